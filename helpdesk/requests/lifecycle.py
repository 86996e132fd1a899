"""The help-request state machine: the one table of allowed steps, and the one function that takes them.

Reopening: a request that had a mentor goes back to that mentor (claimed), who already knows
the problem; one without a mentor (or whose mentor left the program) goes back to the queue.
"""

from sqlalchemy import update

from helpdesk.accounts.models import User
from helpdesk.clock import utcnow
from helpdesk.extensions import db
from helpdesk.requests.models import HelpRequest, RequestEvent, RequestStatus

S = RequestStatus
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    S.OPEN: frozenset({S.CLAIMED, S.ESCALATED, S.SELF_SERVED, S.CLOSED}),
    S.CLAIMED: frozenset({S.OPEN, S.WAITING, S.RESOLVED, S.ESCALATED, S.CLOSED}),
    # WAITING -> OPEN only when the mentor leaves the program (services.return_to_queue).
    S.WAITING: frozenset({S.CLAIMED, S.RESOLVED, S.ESCALATED, S.CLOSED, S.OPEN}),
    S.RESOLVED: frozenset({S.CLOSED, S.OPEN, S.CLAIMED}),
    S.CLOSED: frozenset({S.OPEN, S.CLAIMED}),
    S.ESCALATED: frozenset({S.CLOSED}),
    S.SELF_SERVED: frozenset({S.OPEN}),
}

ALREADY_CLAIMED = "Another mentor just claimed this request."


class RequestError(ValueError):
    """A help-request step that is not allowed; the message is safe to show."""


def record(
    help_request: HelpRequest,
    actor: User | None,
    from_status: RequestStatus | None,
    to_status: RequestStatus,
    reason: str = "",
) -> None:
    db.session.add(
        RequestEvent(
            request_id=help_request.id,
            actor_id=actor.id if actor else None,
            from_status=from_status.value if from_status else None,
            to_status=to_status.value,
            reason=reason.strip(),
        )
    )


def transition(
    help_request: HelpRequest,
    to_status: RequestStatus,
    actor: User | None,
    reason: str = "",
    *,
    conflict: str | None = None,
    **values,
) -> None:
    """Move a request to a new status with a compare-and-swap on the status it had.

    `values` are set in the same UPDATE (the mentor on a claim, timestamps); `conflict` is the
    message when someone else changed the request first.
    """
    from_status = help_request.status
    if to_status not in TRANSITIONS[from_status]:
        raise RequestError(
            f"A request that is {from_status.label.lower()} cannot become {to_status.label.lower()}."
        )
    changed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == from_status)
        .values(status=to_status, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.refresh(help_request)
        raise RequestError(
            conflict
            or f"Someone changed this request at the same time: it is now {help_request.status.label.lower()}."
        )
    record(help_request, actor, from_status, to_status, reason)
    db.session.flush()
    db.session.refresh(help_request)
