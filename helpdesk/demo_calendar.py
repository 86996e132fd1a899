"""The demo district's school year, placed around today so the demo never goes stale.

The term starts about thirteen weeks before the day the demo is first loaded (a term of
history) and runs about thirty weeks after it. Its closed days are the holidays a New York
district closes for, found by their rules (Thanksgiving is the fourth Thursday of November), so
they land on the right dates whatever the year.
"""

from datetime import date, timedelta

HISTORY_WEEKS = 13
FUTURE_WEEKS = 30


def term_around(today: date) -> tuple[date, date]:
    """A Monday about a term before today, and a Friday about thirty weeks after it."""
    start = today - timedelta(weeks=HISTORY_WEEKS)
    start -= timedelta(days=start.weekday())
    end = today + timedelta(weeks=FUTURE_WEEKS)
    end += timedelta(days=(4 - end.weekday()) % 7)
    return start, end


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 for the last) given weekday (0 = Monday) of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _weekdays(start: date, end: date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def _holidays_of(year: int) -> list[tuple[date, str]]:
    """The closed days of the school year that starts in the autumn of `year`."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    presidents = _nth_weekday(year + 1, 2, 0, 3)
    april = date(year + 1, 4, 1)
    spring = april + timedelta(days=(7 - april.weekday()) % 7 + 7)  # second Monday of April
    days = [
        (_nth_weekday(year, 9, 0, 1), "Labor Day"),
        (_nth_weekday(year, 10, 0, 2), "Indigenous Peoples' Day"),
        (_nth_weekday(year, 11, 0, 1) + timedelta(days=1), "Election Day (staff development)"),
        (date(year, 11, 11), "Veterans Day"),
        (thanksgiving, "Thanksgiving"),
        (thanksgiving + timedelta(days=1), "Thanksgiving break"),
        *[(d, "Winter break") for d in _weekdays(date(year, 12, 24), date(year + 1, 1, 1))],
        (_nth_weekday(year + 1, 1, 0, 3), "Martin Luther King Jr. Day"),
        *[(d, "Midwinter recess") for d in _weekdays(presidents, presidents + timedelta(4))],
        *[(d, "Spring recess") for d in _weekdays(spring, spring + timedelta(days=4))],
        (_nth_weekday(year + 1, 5, 0, -1), "Memorial Day"),
        (date(year + 1, 6, 19), "Juneteenth"),
    ]
    return [(d, name) for d, name in days if d.weekday() < 5]


def holidays(start: date, end: date) -> list[tuple[date, str]]:
    """The closed weekdays in [start, end], by date; a date named twice keeps its first name."""
    seen: dict[date, str] = {}
    for year in range(start.year - 1, end.year + 1):
        for day, name in _holidays_of(year):
            if start <= day <= end:
                seen.setdefault(day, name)
    return sorted(seen.items())


def early_dismissals(start: date, end: date) -> list[tuple[date, str]]:
    """The school days before Thanksgiving and before winter break end early."""
    closed = {d for d, _name in holidays(start, end)}
    found: dict[date, str] = {}
    for day, name in holidays(start, end):
        if name not in ("Thanksgiving", "Winter break"):
            continue
        before = day - timedelta(days=1)
        while before.weekday() >= 5:
            before -= timedelta(days=1)
        if before not in closed and start <= before:
            found.setdefault(before, f"Early dismissal before {name.replace('W', 'w')}")
    return sorted(found.items())
