"""How open times read on a page: "Period 4 · A day · 10:45–11:25 AM", grouped day by day.

Every date and clock time goes through helpdesk.formatting, so its locale and clock apply here.
Like formatting, each helper takes `locale=None` for "this request's": code outside a request
(a job, a test of the labels alone) passes one, so nothing here needs Flask.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from helpdesk.availability.slots import Slot
from helpdesk.formatting import clock_range, local_day
from helpdesk.locale import current_locale

SEPARATOR = " · "
SHOWN = 6  # open times a list shows before "more times"


@dataclass(frozen=True)
class SlotDay:
    """One day of open times: its heading ("Mon, Dec 7, 2026 · A day") and its slots, in order."""

    on: date
    label: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class SlotPicker:
    """A list of open times: the first few days shown, the rest behind "more times"."""

    shown: tuple[SlotDay, ...]
    more: tuple[SlotDay, ...]
    more_count: int


def slot_time(slot: Slot, timezone: str, locale: str | None = None) -> str:
    """The slot's clock times in the district's locale: "10:45–11:25 AM"."""
    return clock_range(slot.start_at, slot.end_at, timezone, locale)


def slot_label(slot: Slot, timezone: str, locale: str | None = None) -> str:
    """ "Period 4 · A day · 10:45–11:25 AM" for a bell period's slot, else the clock times."""
    return _label(
        slot.start_at,
        slot.end_at,
        slot.period,
        slot.day_type,
        timezone,
        locale or current_locale(),
    )


@lru_cache(maxsize=16384)
def _label(start_at, end_at, period, day_type, timezone, locale) -> str:
    # Keyed by every field and the locale: slots compare by their times alone, not labels.
    zone = ZoneInfo(timezone)
    start, end = start_at.astimezone(zone), end_at.astimezone(zone)
    times = _clock_words(start.time(), end.time(), (end.date() - start.date()).days, locale)
    if period is None:
        return times
    parts = [period, f"{day_type} day"] if day_type else [period]
    return SEPARATOR.join([*parts, times])


@lru_cache(maxsize=4096)
def _clock_words(start: time, end: time, days: int, locale: str) -> str:
    """What clock_range writes for two wall-clock times `days` apart: the words depend on nothing
    else, so each day's and each mentor's 10:00–10:30 share one call into Babel."""
    first = datetime.combine(_ANY_DAY, start, UTC)
    last = datetime.combine(_ANY_DAY + timedelta(days=days), end, UTC)
    return clock_range(first, last, "UTC", locale)


_ANY_DAY = date(2001, 1, 1)


def slot_when(slot: Slot, timezone: str, locale: str | None = None) -> str:
    """The day and the label, for a page that shows one slot: "Mon, Dec 7, 2026 · Period 4 · …"."""
    return _when(
        slot.start_at,
        slot.end_at,
        slot.period,
        slot.day_type,
        timezone,
        locale or current_locale(),
    )


@lru_cache(maxsize=16384)
def _when(start_at, end_at, period, day_type, timezone, locale) -> str:
    return (
        local_day(start_at, timezone, locale)
        + SEPARATOR
        + _label(start_at, end_at, period, day_type, timezone, locale)
    )


def day_label(slot: Slot, timezone: str, locale: str | None = None) -> str:
    """ "Mon, Dec 7, 2026 · A day": a day's heading (the day type only when the school rotates)."""
    day = local_day(slot.start_at, timezone, locale)
    return day + SEPARATOR + f"{slot.day_type} day" if slot.day_type else day


def slot_days(
    slots: Sequence[Slot], timezone: str, locale: str | None = None
) -> tuple[SlotDay, ...]:
    """Sorted slots grouped by their local date in the school's zone."""
    zone = ZoneInfo(timezone)
    days: list[SlotDay] = []
    current: list[Slot] = []
    current_on: date | None = None
    for slot in slots:
        on = slot.start_at.astimezone(zone).date()
        if on != current_on and current:
            days.append(
                SlotDay(current_on, day_label(current[0], timezone, locale), tuple(current))
            )
            current = []
        current_on = on
        current.append(slot)
    if current:
        days.append(SlotDay(current_on, day_label(current[0], timezone, locale), tuple(current)))
    return tuple(days)


def slot_picker(
    slots: Sequence[Slot], timezone: str, shown: int = SHOWN, locale: str | None = None
) -> SlotPicker:
    """The first `shown` open times day by day, and the rest (also day by day) to open in place."""
    return SlotPicker(
        slot_days(slots[:shown], timezone, locale),
        slot_days(slots[shown:], timezone, locale),
        max(0, len(slots) - shown),
    )


FILTERS = {
    "slot_chip": slot_label,
    "slot_when": slot_when,
    "slot_picker": slot_picker,
}
