"""One way to write time: dates, times, ranges, zones, numbers and plurals, through Babel.

Instants are stored in UTC and shown in a school's time zone, in the district's locale (see
helpdesk.locale): en-US writes "Thu, Dec 3, 2026, 10:45 AM" and "10:45–11:25 AM"; en-GB writes
"Thu, 3 Dec 2026, 10:45". A zone is shown by its name ("Eastern Time"), never its tz id. Every
function takes `locale=None` for "the district's"; jobs and emails may pass one.

Babel writes CLDR's narrow and thin spaces (U+202F before AM, U+2009 around a range's dash); they
are written here as plain spaces and a tight dash, so the words are the same ones people type.
"""

import re
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_interval, format_skeleton, format_time, get_timezone_name
from babel.numbers import format_decimal

from helpdesk.locale import DEFAULT_LOCALE, LOCALES, current_locale

DAY = "yMMMEd"  # the one date format: "Thu, Dec 3, 2026" (en-US), "Thu, 3 Dec 2026" (en-GB)
MONTH = "yMMM"  # a report's column: "Dec 2026"
_QUOTED = re.compile(r"'[^']*'")


@lru_cache(maxsize=32)
def _parse(code: str) -> Locale:
    # A locale the settings form never offers (an edited row) writes en-US, not a 500 on every page.
    return Locale.parse(code if code in LOCALES else DEFAULT_LOCALE, sep="-")


def _where(locale: str | None) -> Locale:
    return _parse(locale or current_locale())


@lru_cache(maxsize=32)
def _clock_skeleton(locale: Locale) -> str:
    """ "hm" where the locale writes a 12-hour clock, "Hm" where it writes a 24-hour one."""
    pattern = _QUOTED.sub("", locale.time_formats["short"].pattern)
    return "hm" if "h" in pattern or "K" in pattern else "Hm"


def _plain(text: str, *, tight: bool = True) -> str:
    """Plain spaces for CLDR's narrow ones; a clock range's dash tight, a day range's spaced."""
    if tight:
        text = text.replace("\u2009–\u2009", "–")
    return text.replace("\u2009", " ").replace("\u202f", " ")


def _in_zone(moment: datetime, timezone: str | None) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Only aware datetimes can be shown in a time zone.")
    if not timezone:
        raise ValueError("An instant needs the school's time zone to be shown.")
    return moment.astimezone(ZoneInfo(timezone))


def local_day(
    value: datetime | date, timezone: str | None = None, locale: str | None = None
) -> str:
    """The day, "Thu, Dec 3, 2026": an instant's day in the zone, or a calendar date as it is."""
    if isinstance(value, datetime):
        value = _in_zone(value, timezone).date()
    return _day(value, locale or current_locale())


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    # A page of open times writes the same few days hundreds of times.
    return _plain(format_skeleton(DAY, value, locale=_parse(locale)))


def local_clock(
    value: datetime | time, timezone: str | None = None, locale: str | None = None
) -> str:
    """The clock time, "10:45 AM": an instant's in the zone, or a wall-clock time as it is."""
    if isinstance(value, datetime):
        value = _in_zone(value, timezone).time()
    return _plain(format_time(value, "short", locale=_where(locale)))


def local_time(moment: datetime, timezone: str, locale: str | None = None) -> str:
    """Day and clock time, "Thu, Dec 3, 2026, 10:45 AM", in the zone."""
    return _local_time(moment, timezone, locale or current_locale())


# Lists show the same instants to many people, page after page: Babel takes tens of microseconds
# a call, a cache hit one. Equal instants in any zone hash alike and give the same words.
@lru_cache(maxsize=16384)
def _local_time(moment: datetime, timezone: str, locale: str) -> str:
    where = _where(locale)
    return _join(where, local_day(moment, timezone, locale), local_clock(moment, timezone, locale))


def _join(where: Locale, day: str, clock: str) -> str:
    return where.datetime_formats["medium"].format(clock, day)


def clock_range(
    start: datetime | time,
    end: datetime | time,
    timezone: str | None = None,
    locale: str | None = None,
) -> str:
    """From one clock time to another on the same day, "10:45–11:25 AM" (a period, a slot)."""
    where = _where(locale)
    if isinstance(start, datetime):
        start, end = _in_zone(start, timezone), _in_zone(end, timezone)
    return _plain(format_interval(start, end, _clock_skeleton(where), locale=where))


def local_span(start: datetime, end: datetime, timezone: str, locale: str | None = None) -> str:
    """A session's time, "Thu, Dec 3, 2026, 10:45–11:25 AM"; both ends in full if days differ."""
    return _local_span(start, end, timezone, locale or current_locale())


@lru_cache(maxsize=16384)
def _local_span(start: datetime, end: datetime, timezone: str, locale: str) -> str:
    where = _where(locale)
    if _in_zone(start, timezone).date() != _in_zone(end, timezone).date():
        return f"{local_time(start, timezone, locale)} – {local_time(end, timezone, locale)}"
    return _join(
        where, local_day(start, timezone, locale), clock_range(start, end, timezone, locale)
    )


def day_range(first: date, last: date, locale: str | None = None) -> str:
    """Calendar days from first to last, "Thu, Dec 3 – Sat, Dec 5, 2026"; one day if the same."""
    where = _where(locale)
    if first == last:
        return local_day(first, locale=locale)
    return _plain(format_interval(first, last, DAY, locale=where), tight=False)


def month_label(value: date | str, locale: str | None = None) -> str:
    """A month, "Dec 2026", from a date or an ISO "2026-12"."""
    if isinstance(value, str):
        value = date.fromisoformat(f"{value}-01")
    return _plain(format_skeleton(MONTH, value, locale=_where(locale)))


def short_day(value: date, locale: str | None = None) -> str:
    """A day without its year, for a chart's axis: "Dec 3" (en-US), "3 Dec" (en-GB)."""
    return _plain(format_skeleton("MMMd", value, locale=_where(locale)))


def zone_name(timezone: str, locale: str | None = None) -> str:
    """A time zone as people say it, "Eastern Time", never its tz id."""
    return get_timezone_name(ZoneInfo(timezone), "long", locale=_where(locale))


def tz_abbrev(_moment: datetime, timezone: str, locale: str | None = None) -> str:
    """The zone's name for a moment's page ("Eastern Time"); kept for templates that pass one."""
    return zone_name(timezone, locale)


def slot_label(slot, timezone: str, locale: str | None = None) -> str:
    """ "Fri, Mar 12, 2027, 10:00–10:30 AM" in the zone; the finder shows one slot to many people."""
    return local_span(slot.start_at, slot.end_at, timezone, locale)


def number(count: float, locale: str | None = None) -> str:
    """A count with the locale's grouping and decimal mark, "1,204", "28.3"."""
    return format_decimal(count, locale=_where(locale))


def plural(
    count: float, singular: str, plural_form: str | None = None, locale: str | None = None
) -> str:
    """ "1 session", "2 sessions", "28.3 school hours": the count and the word the locale picks."""
    where = _where(locale)
    word = singular if where.plural_form(count) == "one" else (plural_form or singular + "s")
    return f"{number(count, locale)} {word}"


FILTERS = {
    "plural": plural,
    "number": number,
    "local_time": local_time,
    "local_day": local_day,
    "local_clock": local_clock,
    "local_span": local_span,
    "clock_range": clock_range,
    "day_range": day_range,
    "month_label": month_label,
    "short_day": short_day,
    "zone_name": zone_name,
    "tz_abbrev": tz_abbrev,
    "slot_label": slot_label,
}
