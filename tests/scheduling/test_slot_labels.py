"""How open times read: labels from bell periods, days in the school's zone, "more times"."""

from datetime import UTC, date, datetime, timedelta
from functools import partial

from helpdesk import slot_labels
from helpdesk.availability.slots import Slot

NY = "America/New_York"
# The labels alone, without an app: the locale is passed, as a job or an email would.
slot_label = partial(slot_labels.slot_label, locale="en-US")
slot_when = partial(slot_labels.slot_when, locale="en-US")
slot_days = partial(slot_labels.slot_days, locale="en-US")
slot_picker = partial(slot_labels.slot_picker, locale="en-US")


def at(day: int, hour: int, minute: int = 0, minutes: int = 40, **labels) -> Slot:
    """A slot on a day of December 2026, from New York's wall clock (UTC-5 then)."""
    start = datetime(2026, 12, day, hour + 5, minute, tzinfo=UTC)
    return Slot(start, start + timedelta(minutes=minutes), **labels)


def test_a_bell_period_slot_says_period_day_type_and_times():
    slot = at(7, 10, 45, period="Period 4", day_type="A")
    assert slot_label(slot, NY) == "Period 4 · A day · 10:45–11:25 AM"
    assert slot_when(slot, NY) == "Mon, Dec 7, 2026 · Period 4 · A day · 10:45–11:25 AM"


def test_free_time_shows_its_clock_times_and_a_school_without_rotation_no_day_type():
    assert slot_label(at(7, 15, day_type="B"), NY) == "3:00–3:40 PM"
    assert slot_label(at(7, 10, 45, period="Period 4"), NY) == "Period 4 · 10:45–11:25 AM"


def test_labels_are_not_mixed_up_between_slots_with_the_same_times():
    plain, period = at(7, 10, 45), at(7, 10, 45, period="Period 4", day_type="A")
    assert plain == period  # slots compare by their times
    assert slot_label(plain, NY) != slot_label(period, NY)


def test_days_group_by_the_schools_local_date():
    # 23:30 in New York is already the next day in UTC: it stays on Monday.
    late = at(7, 18, 30, minutes=20)
    days = slot_days([at(7, 10, day_type="A"), late, at(8, 10, day_type="B")], NY)
    assert [(d.on, d.label, len(d.slots)) for d in days] == [
        (date(2026, 12, 7), "Mon, Dec 7, 2026 · A day", 2),
        (date(2026, 12, 8), "Tue, Dec 8, 2026 · B day", 1),
    ]


def test_the_picker_shows_the_first_times_and_folds_the_rest():
    slots = [at(day, 10) for day in (7, 8, 9, 10)]
    picker = slot_picker(slots, NY, shown=3)
    assert [d.on.day for d in picker.shown] == [7, 8, 9]
    assert [d.on.day for d in picker.more] == [10] and picker.more_count == 1
    assert slot_picker(slots[:2], NY, shown=3).more_count == 0


def test_the_locale_is_the_one_passed():
    slot = at(7, 15, period="Period 4", day_type="A")
    assert slot_labels.slot_label(slot, NY, "en-GB") == "Period 4 · A day · 15:00–15:40"
    assert slot_label(slot, NY) == "Period 4 · A day · 3:00–3:40 PM"
    [day] = slot_labels.slot_days([slot], NY, "en-GB")
    assert day.label == "Mon, 7 Dec 2026 · A day"
