"""Template filters: instants are stored in UTC and shown in a school's time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo


def local_time(moment: datetime, timezone: str, fmt: str = "%a %-d %b, %H:%M") -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime(fmt)


def local_day(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%a %-d %b")


def local_clock(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%H:%M")


def tz_abbrev(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Z")


FILTERS = {
    "local_time": local_time,
    "local_day": local_day,
    "local_clock": local_clock,
    "tz_abbrev": tz_abbrev,
}
