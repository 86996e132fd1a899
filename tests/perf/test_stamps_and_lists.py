"""The pieces the finder's fast path stands on: stamps kept for one transaction only, a list of
ids as one parameter matching what IN matches, and open-time labels from Babel kept by wall
clock giving the very words Babel writes for each slot."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from helpdesk import slot_labels
from helpdesk.availability.slots import Slot
from helpdesk.db import listed, one_of
from helpdesk.formatting import clock_range, local_day
from helpdesk.stamps import ChangeStamp, read_stamps, renew_stamp

pytestmark = pytest.mark.usefixtures("as_migrated")


def test_a_stamp_is_read_once_a_transaction_and_afresh_after_it(db, count_queries):
    renew_stamp("perf-test")
    db.session.commit()
    first = read_stamps(["perf-test", "perf-never"])
    with count_queries() as again:
        assert read_stamps(["perf-test"]) == first
        assert read_stamps(["perf-never"]) == {}
    assert again == []
    renew_stamp("perf-test")  # this transaction's own renewal is never read from before it
    assert read_stamps(["perf-test"]) != first
    db.session.commit()
    after_commit = read_stamps(["perf-test"])
    assert after_commit != first
    db.session.rollback()
    with count_queries() as after_rollback:
        assert read_stamps(["perf-test"]) == after_commit
    assert len(after_rollback) == 1


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], set()), (["a"], {"a"}), (["b", "a", "b", "zz"], {"a", "b"}), (["it's", "a"], {"a"})],
)
def test_one_of_matches_what_in_matches(db, values, expected):
    for name in ("a", "b", "c"):
        db.session.add(ChangeStamp(name=name, stamp=name * 3))
    db.session.flush()
    dialect = db.session.get_bind().dialect.name
    found = set(
        db.session.scalars(
            select(ChangeStamp.name).where(one_of(ChangeStamp.name, values, dialect))
        )
    )
    named = select(ChangeStamp.name).where(one_of(ChangeStamp.name, (), dialect, name="names"))
    by_name = set(db.session.scalars(named, {"names": listed(values, dialect)}))
    with_in = set(db.session.scalars(select(ChangeStamp.name).where(ChangeStamp.name.in_(values))))
    assert found == by_name == with_in == expected


@pytest.mark.parametrize("timezone", ["America/New_York", "America/Phoenix", "Australia/Lord_Howe"])
@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_kept_slot_labels_are_the_words_babel_writes(timezone, locale):
    # Three days around the US spring-forward, every 25 minutes, short and long sessions.
    moment = datetime(2027, 3, 13, 0, 0, tzinfo=UTC)
    while moment < datetime(2027, 3, 16, tzinfo=UTC):
        for minutes in (30, 45, 600):
            slot = Slot(moment, moment + timedelta(minutes=minutes), "Period 4", "A")
            plain = Slot(slot.start_at, slot.end_at)
            words = clock_range(slot.start_at, slot.end_at, timezone, locale)
            assert slot_labels.slot_label(plain, timezone, locale) == words
            label = slot_labels.slot_label(slot, timezone, locale)
            assert label == f"Period 4 · A day · {words}"
            assert slot_labels.slot_when(slot, timezone, locale) == (
                f"{local_day(slot.start_at, timezone, locale)} · {label}"
            )
        moment += timedelta(minutes=25)
