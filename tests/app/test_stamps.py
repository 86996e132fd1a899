"""Change stamps renew with exactly the transactions that write what they cover."""

from datetime import UTC, datetime

from sqlalchemy import update

from helpdesk.accounts.models import Role
from helpdesk.extensions import db
from helpdesk.finder.cache import AVAILABILITY
from helpdesk.requests.desk_cache import DESK
from helpdesk.skills.models import Skill
from helpdesk.stamps import current_stamp


def _stamps():
    db.session.rollback()  # read what is committed
    return current_stamp(AVAILABILITY), current_stamp(DESK)


def test_a_table_two_caches_watch_renews_both(db):
    db.session.add(Skill(name="Google Docs"))
    db.session.commit()
    before = _stamps()
    db.session.scalar(db.select(Skill)).name = "Google Docs (all)"
    db.session.commit()
    after = _stamps()
    assert after[0] != before[0] and after[1] != before[1]


def test_bulk_updates_renew_and_other_columns_do_not(db, make_user):
    teacher = make_user(Role.TEACHER)
    before = _stamps()
    teacher = db.session.get(type(teacher), teacher.id)
    teacher.last_login_at = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    db.session.commit()
    assert _stamps() == before
    db.session.execute(
        update(type(teacher)).where(type(teacher).id == teacher.id).values(full_name="Helen P.")
    )
    db.session.commit()
    assert _stamps()[0] != before[0]


def test_nothing_renews_until_the_real_commit(db):
    db.session.add(Skill(name="Google Docs"))
    db.session.commit()
    before = _stamps()
    with db.session.begin_nested():
        db.session.add(Skill(name="Video"))
    assert current_stamp(AVAILABILITY) == before[0]  # a savepoint is not a commit
    db.session.rollback()
    assert _stamps() == before
