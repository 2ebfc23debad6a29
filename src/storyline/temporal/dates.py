"""Calendar arithmetic and the TimeML spellings of points in time.

Moving a date by calendar units (months clamp to the month's end), writing a date at a
granularity (2022-06-15, 2022-W24, 2022-06, 2022-Q2, 2022, 202, 20), and the dates of
holidays (fixed, n-th weekday of a month, Easter-based) and seasons.
"""

from __future__ import annotations

import datetime as dt

SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
SEASON_ORDER = ("SP", "SU", "FA", "WI")


def day_value(day: dt.date) -> str:
    return day.isoformat()


def week_value(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day-of-month `months` later (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_length(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def month_length(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def shift(day: dt.date, amount: int, unit: str) -> dt.date:
    """`day` moved by `amount` calendar units (negative = into the past)."""
    if unit == "day":
        return day + dt.timedelta(days=amount)
    if unit == "week":
        return day + dt.timedelta(weeks=amount)
    if unit == "month":
        return add_months(day, amount)
    if unit == "quarter":
        return add_months(day, 3 * amount)
    if unit in ("year", "season"):
        return add_months(day, 12 * amount)
    if unit == "decade":
        return add_months(day, 120 * amount)
    if unit == "century":
        return add_months(day, 1200 * amount)
    raise ValueError(unit)


def point_value(day: dt.date, granularity: str) -> str:
    """`day` written at a granularity: 2022-06-15, 2022-W24, 2022-06, 2022-Q2, 2022, 202, 20."""
    if granularity in ("day", "hour", "minute", "second"):
        return day_value(day)
    if granularity == "week":
        return week_value(day)
    if granularity == "month":
        return month_value(day.year, day.month)
    if granularity == "quarter":
        return f"{day.year:04d}-Q{quarter_of(day)}"
    if granularity in ("year", "season"):
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    raise ValueError(granularity)


def weekday_near(
    anchor: dt.date, weekday: int, direction: str | None, *, strict: bool = False
) -> dt.date:
    """The ISO weekday nearest `anchor` in `direction` ("future" or else the past); the anchor's
    own day counts unless `strict`."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if strict:
        back, ahead = back or 7, ahead or 7
    if direction == "future":
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back)


def holiday_date(rule: str, year: int) -> dt.date:
    """The date of a holiday in a year from its rule in holidays.tsv (12-25, 11/4/4, easter-2)."""
    if rule == "election":
        first_monday = weekday_near(dt.date(year, 11, 1), 1, "future")
        return first_monday + dt.timedelta(days=1)
    if rule.startswith("easter"):
        return _easter(year) + dt.timedelta(days=int(rule[6:] or 0))
    if "/" in rule:
        month, nth, weekday = (int(x) for x in rule.split("/"))
        if nth > 0:
            first = weekday_near(dt.date(year, month, 1), weekday, "future")
            return first + dt.timedelta(weeks=nth - 1)
        last = dt.date(year, month, month_length(year, month))
        return weekday_near(last, weekday, "past")
    month, day = (int(x) for x in rule.split("-"))
    return dt.date(year, month, day)


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def season_of(day: dt.date) -> tuple[int, str]:
    """The (year, season) a day falls in; January and February belong to the previous winter."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    for code, first in sorted(SEASON_START_MONTH.items(), key=lambda kv: -kv[1]):
        if day.month >= first:
            return day.year, code
    return day.year, "WI"
