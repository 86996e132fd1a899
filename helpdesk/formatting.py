"""Template filters: instants are stored in UTC and shown in a school's time zone."""

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


def local_time(moment: datetime, timezone: str, fmt: str = "%a %-d %b, %H:%M") -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime(fmt)


def local_day(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%a %-d %b")


def local_clock(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


@lru_cache(maxsize=16384)
def slot_label(slot, timezone: str) -> str:
    """ "Fri 12 Mar, 10:00–10:30" in the zone; the finder shows the same slots to many people."""
    return local_time(slot.start_at, timezone) + "–" + local_clock(slot.end_at, timezone)


def tz_abbrev(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Z")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 session", "2 sessions", "1,204 people": the count and the word that fits it."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


FILTERS = {
    "plural": plural,
    "local_time": local_time,
    "local_day": local_day,
    "local_clock": local_clock,
    "tz_abbrev": tz_abbrev,
    "slot_label": slot_label,
}
