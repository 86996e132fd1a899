"""open → reviewing → closed with an outcome, every step in the history; races have one winner."""

import threading

import pytest

from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import Concern, ConcernEvent, ConcernStatus


def _move(client, concern, expected, to, note=""):
    page = f"/concerns/{concern.id}"
    return client.post_form(
        f"/concerns/{concern.id}/status", {"expected": expected, "to": to, "note": note}, page=page
    )


def test_a_concern_moves_through_its_states_with_history(
    client, db, world, places, login, raise_one, clock
):
    concern = raise_one()
    login(world.advisor)
    assert _move(client, concern, "open", "reviewing").status_code == 302
    clock.advance(hours=2)
    client.post_form("/logout")
    login(places.contact)
    response = _move(client, concern, "reviewing", "closed", "Spoke with both; reminded of norms.")
    assert response.status_code == 302
    db.session.refresh(concern)
    assert concern.status is ConcernStatus.CLOSED
    assert concern.outcome == "Spoke with both; reminded of norms."
    assert concern.closed_at == clock.now
    history = [(e.from_status, e.to_status, e.actor_id) for e in concern.events]
    assert history == [
        (None, "open", world.teacher.id),
        ("open", "reviewing", world.advisor.id),
        ("reviewing", "closed", places.contact.id),
    ]
    html = client.get(f"/concerns/{concern.id}").get_data(as_text=True)
    assert "Being reviewed → <strong>Closed</strong>" in html
    assert "Spoke with both" in html

    # Reopening needs a reason and starts a new review.
    assert _move(client, concern, "closed", "reviewing").status_code == 400
    assert _move(client, concern, "closed", "reviewing", "The parent called.").status_code == 302
    db.session.refresh(concern)
    assert concern.status is ConcernStatus.REVIEWING and concern.closed_at is None


@pytest.mark.parametrize(
    ("expected", "to", "note", "message"),
    [
        ("open", "closed", "", "Write the outcome before closing"),
        ("open", "open", "", "cannot become open"),
        ("open", "escalated", "", "could not be read"),
        ("reviewing", "closed", "Done", "Someone changed this concern a moment ago"),
        ("open", "closed", "x" * 2001, "2000"),
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(
    client, db, world, places, login, raise_one, expected, to, note, message
):
    concern = raise_one()
    login(world.advisor)
    response = _move(client, concern, expected, to, note)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(concern)
    assert concern.status is ConcernStatus.OPEN
    assert len(concern.events) == 1


def test_the_reporter_sees_the_status_but_not_the_outcome(
    client, db, world, places, login, raise_one, clock
):
    concern = raise_one()
    concerns.change_status(
        concern, world.advisor, ConcernStatus.CLOSED, "Mentor re-trained.", clock.now
    )
    db.session.commit()
    login(world.teacher)
    html = client.get("/concerns/mine").get_data(as_text=True)
    assert "Closed" in html
    assert "Mentor re-trained" not in html
    assert client.get(f"/concerns/{concern.id}").status_code == 404


def test_history_cannot_be_rewritten(db, world, places, raise_one):
    concern = raise_one()
    event = concern.events[0]
    event.note = "edited"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(ValueError, match="append-only"):
        db.session.delete(db.session.get(ConcernEvent, event.id))
        db.session.flush()
    db.session.rollback()


def test_two_people_closing_at_once_close_it_once(app, db, world, places, raise_one, clock):
    concern_id = raise_one().id
    handlers = [world.advisor.id, places.contact.id]
    db.session.commit()  # the test's own session must hold no SQLite lock
    barrier = threading.Barrier(len(handlers))
    results: list[str] = []

    def close(user_id: int) -> None:
        with app.app_context():
            from helpdesk.accounts.models import User

            user = db.session.get(User, user_id)
            concern = db.session.get(Concern, concern_id)
            db.session.commit()  # hold no lock while waiting for the other
            barrier.wait()
            try:
                # Both pages showed it open.
                concerns.change_status(
                    concern,
                    user,
                    ConcernStatus.CLOSED,
                    f"Closed by {user_id}",
                    clock.now,
                    expected=ConcernStatus.OPEN,
                )
                db.session.commit()
                results.append("closed")
            except concerns.ConcernError:
                db.session.rollback()
                results.append("refused")
            except Exception as error:  # reported by the assertion below
                results.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=close, args=(h,)) for h in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["closed", "refused"]
    closings = db.session.scalars(
        db.select(ConcernEvent).where(
            ConcernEvent.concern_id == concern_id, ConcernEvent.to_status == "closed"
        )
    ).all()
    assert len(closings) == 1
