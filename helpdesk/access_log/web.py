"""The access log at the request's edge: who (the signed-in user) and from where (the client
address, as ProxyFix reports it behind the configured proxies)."""

from flask import after_this_request, current_app, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.services import record_access
from helpdesk.db import WRITE_LOCK
from helpdesk.extensions import db


def client_address() -> str:
    return (request.remote_addr or "")[:45]


def _actor_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def log_action(action: AccessAction, *, subject_id: int | None = None, detail: str = "") -> None:
    """For a change (a POST): the entry joins the change's transaction, so it is written exactly
    when the change commits; a change that rolls back leaves no entry for what did not happen."""
    record_access(
        action,
        actor_id=_actor_id(),
        subject_id=subject_id,
        detail=detail,
        ip_address=client_address(),
    )


def log_read(action: AccessAction, *, subject_id: int | None = None, detail: str = "") -> None:
    """For a page or download that only reads: written in a transaction of its own once the
    response is ready, and only if the response shows something (2xx). A failed write is logged
    for the operator and never costs the person the page."""
    actor_id, address = _actor_id(), client_address()

    @after_this_request
    def _write(response):
        if not 200 <= response.status_code < 300:
            return response
        try:
            db.session.commit()  # end the page's read transaction: the entry starts its own
            # On SQLite, take the write lock at BEGIN: a read transaction that turns writer
            # mid-way fails at once ("database is locked") when another write came first.
            db.session.connection(execution_options={WRITE_LOCK: True})
            record_access(
                action,
                actor_id=actor_id,
                subject_id=subject_id,
                detail=detail,
                ip_address=address,
            )
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception(
                "access log entry not written: %s by %s about %s", action, actor_id, subject_id
            )
        return response
