"""anonymize-graduates: counts first, then no name or email of the class left anywhere, while
their tips stay published and searchable and their sessions stay in the hour totals."""

import re

import pytest
from sqlalchemy import LargeBinary, String, Text, select

from helpdesk.accounts.models import User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.clock import utcnow
from helpdesk.mail.models import OutboxMessage
from helpdesk.notifications.models import Notification
from helpdesk.people import anonymize
from helpdesk.reflections.models import Reflection, SessionReport
from helpdesk.reflections.services import credit_for
from helpdesk.requests.models import HelpRequest, RequestScreenshot, RequestStatus
from helpdesk.tips import services as tips
from helpdesk.tips.models import Tip, TipStatus

# Random or keyed values (password hashes, feed and throttle keys): they hold no name, but a
# random string could contain four given letters by chance.
RANDOM_COLUMNS = {"password_hash", "feed_token_hash", "account_key", "client_key", "stamp"}


def dump(db) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    tables = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        tables[table.name] = sorted(rows, key=repr)
    return tables


def text_hits(db, needles: list[str]) -> list[str]:
    """Every (table.column: value) of any string or text column that contains a needle."""
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    hits = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name in RANDOM_COLUMNS:
                continue
            if isinstance(column.type, LargeBinary):
                values = db.session.scalars(select(column)).all()
                hits += [
                    f"{table.name}.{column.name}"
                    for v in values
                    if v and pattern.search(bytes(v).decode("latin-1"))
                ]
            elif isinstance(column.type, String | Text):
                for value in db.session.scalars(select(column)).all():
                    if isinstance(value, str) and pattern.search(value):
                        hits.append(f"{table.name}.{column.name}: {value[:120]!r}")
    return hits


def identity(user: User) -> list[str]:
    return [part for part in user.full_name.split() if len(part) >= 3] + [user.email]


def test_dry_run_counts_and_changes_nothing(db, world, graduate, clock):
    before = dump(db)
    counts = anonymize.preview(2026, clock.now)
    db.session.commit()
    assert dump(db) == before
    assert counts == anonymize.AnonymizeCounts(
        people=1,
        still_active=1,
        upcoming_sessions=1,
        claimed_requests=1,
        sessions_kept=1,
        tips_kept=1,
        writings_emptied=2,  # her reflection and her session notes
        screenshots=2,
        notifications=counts.notifications,
        mail=counts.mail,
    )
    assert counts.notifications > 3 and counts.mail > 3
    lines = anonymize.describe(counts, 2026, done=False)
    assert lines[0].startswith("1 student mentor of the class of 2026")
    assert "1 upcoming session cancelled, with notice to the teacher." in lines
    assert "1 tip kept, credited to “a former student mentor”." in lines


def test_the_real_run_leaves_no_name_or_email_of_the_graduate_anywhere(db, world, graduate, clock):
    maya, leo = world.mentor, world.mentor2
    needles = identity(maya)
    maya_id, hours_before = maya.id, credit_for(maya).hours
    assert text_hits(db, needles)  # the check finds what is there

    counts = anonymize.anonymize_class(2026, None, clock.now)
    db.session.commit()
    db.session.expire_all()

    assert counts.people == 1
    assert text_hits(db, needles) == []
    maya = db.session.get(User, maya_id)
    assert maya.full_name == f"Former mentor {maya_id}"
    assert maya.email == f"former-mentor-{maya_id}@helpdesk.invalid"
    assert not maya.is_active and maya.password_hash is None and maya.anonymized_at
    assert credit_for(maya).hours == hours_before  # the session stays for the totals
    # Leo, of another class, and the teacher keep their names; the text about Maya names the
    # placeholder instead.
    assert db.session.get(User, leo.id).full_name == "Leo Martins"
    teacher_reflection = db.session.scalar(
        select(Reflection).where(Reflection.author_id == world.teacher.id)
    )
    assert teacher_reflection.rating == 5
    assert teacher_reflection.kudos == f"Thanks Former mentor {maya_id}!"
    assert db.session.scalar(
        select(Reflection.went_well).where(Reflection.author_id == maya_id)
    ) == ""  # fmt: skip
    assert db.session.get(SessionReport, graduate.done.id).covered == ""
    assert db.session.scalar(select(db.func.count(RequestScreenshot.id))) == 0
    assert db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == maya_id)) == 0  # fmt: skip
    # Her future session is cancelled and the teacher told; her claimed request is back in the queue.
    assert db.session.get(Booking, graduate.upcoming.id).status is BookingStatus.CANCELLED
    claimed = db.session.get(HelpRequest, graduate.claimed_request_id)
    assert claimed.status is RequestStatus.OPEN and claimed.mentor_id is None
    notice = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == world.teacher.email)
    ).all()[-1]
    assert "has left the student tech team" in notice.body


def test_tips_stay_published_searchable_and_credited_to_a_former_mentor(db, world, graduate, clock):
    anonymize.anonymize_class(2026, None, clock.now)
    db.session.commit()
    tip = db.session.get(Tip, graduate.tip.id)
    assert tip.status is TipStatus.PUBLISHED
    assert tip.credit_name == "a former student mentor"
    assert f"Ask Former mentor {world.mentor.id} if it greys out" in tip.body
    found = tips.search_tips("commenter share")
    assert [t.id for t in found.tips] == [tip.id]
    assert tips.search_tips("maya").tips == []


def test_a_second_run_finds_nobody_and_changes_nothing(db, world, graduate, clock):
    anonymize.anonymize_class(2026, None, clock.now)
    db.session.commit()
    before = dump(db)
    assert anonymize.anonymize_class(2026, None, clock.now).people == 0
    db.session.commit()
    assert dump(db) == before


def test_a_name_that_is_only_part_of_a_word_is_left_alone(db, world, graduate, clock):
    graduate.moved.notes = "The Mayan calendar poster in room Chenille."
    db.session.commit()
    anonymize.anonymize_class(2026, None, clock.now)
    db.session.commit()
    assert db.session.get(Booking, graduate.moved.id).notes == (
        "The Mayan calendar poster in room Chenille."
    )


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_out_of_range_is_refused(db, year):
    with pytest.raises(anonymize.AnonymizeError, match="graduation year"):
        anonymize.preview(year, utcnow())
