"""The demo district has graduation years, and last year's class waiting to be anonymized."""

from datetime import date

from sqlalchemy import select

from helpdesk.accounts.models import Role, User
from helpdesk.demo import class_of, seed
from helpdesk.people import anonymize


def test_demo_mentors_have_graduation_years_and_last_years_class_is_inactive(db, clock):
    seed()
    db.session.commit()
    mentors = db.session.scalars(select(User).where(User.role == Role.MENTOR)).all()
    assert all(m.class_of for m in mentors)
    graduated = [m for m in mentors if m.class_of == 2026]
    assert {m.full_name for m in graduated} == {"Olivia Grant", "Marcus Bell"}
    assert not any(m.is_active for m in graduated)
    assert anonymize.preview(2026, clock.now).people == 2
    assert seed() == 0


def test_class_of_follows_the_school_year():
    assert class_of(12, date(2026, 11, 30)) == 2027
    assert class_of(12, date(2027, 3, 1)) == 2027
    assert class_of(9, date(2026, 8, 20)) == 2030
