"""The demo district shows concerns: the principal as contact, one open and one closed."""

from datetime import UTC, datetime

from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import Concern, ConcernStatus
from helpdesk.demo import DOMAIN, seed

MONDAY = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def test_the_demo_has_an_open_and_a_closed_concern_once(db, clock):
    clock.now = MONDAY
    seed()
    db.session.commit()
    rows = list(db.session.scalars(db.select(Concern).order_by(Concern.id)))
    assert [c.status for c in rows] == [ConcernStatus.CLOSED, ConcernStatus.OPEN]
    closed, open_ = rows
    assert [e.to_status for e in closed.events] == ["open", "reviewing", "closed"]
    assert closed.about.is_mentor and closed.reporter.is_teacher
    assert open_.about.is_teacher and open_.reporter.is_mentor
    assert all(e.at <= MONDAY for c in rows for e in c.events)
    assert concerns.contact().email == f"principal@{DOMAIN}"

    assert seed() == 0
    assert db.session.scalar(db.select(db.func.count(Concern.id))) == 2
