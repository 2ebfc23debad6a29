"""The reference-time model: what a relative expression is anchored on, and which way it points.

Deictic expressions ("yesterday", "last week", "on Wednesday") are anchored on the document
creation time (the publication date); anaphoric ones ("the next day", "a year earlier") on
the last date the text itself named, which `Reference` keeps while a document is read left
to right. An underspecified date ("on Friday", "June 15", "in March", "last summer") is the
nearest such date in the direction the clause's tense gives (see `tense`); a clock time in a
past clause with no day beside it falls on the last day the story named (its narrative time),
or on the day it gave the same happening ("was shot to death last Oct. 23 ... was shot to death
at 10 p.m."). A day counted from an event ("the day after his death") counts from the last day
named; "that day" with no day named before is a generic day, no date. Weekdays stay deictic even
deep in a past narrative: TimeBank's annotators anchor 46 of 50 such weekdays on the publication
date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storyline.temporal.dates import SEASON_ORDER, quarter_of, season_of, weekday_near
from storyline.temporal.tense import Tense

__all__ = ["Reference", "month_day_near", "month_near", "season_near", "weekday_near"]

# A bare "June 15" or "in March" without a future cue is taken as coming only this close ahead.
NEAR_FUTURE_DAYS = 125


@dataclass
class Reference:
    """What relative expressions are anchored on while a document is read left to right.

    `dct` is the publication date (None when unknown); `last_day` the last day the text named
    (the story's narrative time);
    `quarter` the fiscal quarter under discussion, which "the year-ago quarter" and "a year
    earlier" refer back to in earnings reports (`quarter_named` when the text gave its number,
    which may be a fiscal one: "the fiscal first quarter ... the quarter ended Sept. 30"), and
    `period` whether the figures last named were for a quarter or for a longer stretch ("the
    first nine months").
    """

    dct: dt.date | None
    last_day: dt.date | None = None
    last_day_text: str | None = None
    last_day_end: int | None = None
    quarter: tuple[int, int] | None = None
    quarter_text: str | None = None
    quarter_named: bool = False  # named with its number ("the fiscal first quarter")
    period: str | None = None
    last_year: int | None = None
    last_month: tuple[int, int] | None = None
    # the day each verb of the story was dated with ("was shot to death last Oct. 23"), for a
    # clock time told later with the same verb ("was shot to death at 10 p.m.")
    day_of_verb: dict[str, tuple[dt.date, str]] = field(default_factory=dict)
    # True while candidates are only screened, before the text is read left to right: what
    # depends on the dates named before (a generic "that day" with none) is decided later
    screening: bool = False

    def anaphoric_day(self) -> tuple[dt.date | None, str]:
        """The day "the next day" counts from: the last one mentioned, else the publication date."""
        if self.last_day is not None:
            return self.last_day, self.last_day_text or "previous date"
        return self.dct, "dct"

    def default_quarter(self) -> tuple[int, int] | None:
        """The quarter an earnings report most likely means: the last one mentioned, else the last
        completed one before publication."""
        if self.quarter is not None:
            return self.quarter
        if self.dct is None:
            return None
        q = quarter_of(self.dct) - 1
        return (self.dct.year, q) if q else (self.dct.year - 1, 4)


def month_day_near(
    anchor: dt.date, month: int, day: int, direction: Tense, *, behind: bool = False
) -> dt.date | None:
    """The year of "June 15": on or after the anchor in a future clause, on or before it when the
    words say so (`behind`: "since May 9", "ended Jan. 31"), else the last one before it unless
    the next one is within a few months.

    A past tense is no evidence against a coming date in news ("extended the offer to Nov. 16",
    "payable Dec. 14"), so only the future narrows the choice; news mostly looks back, so a date
    more than about four months ahead is taken to be last year's.
    """
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if direction == "future":
        later = [d for d in options if d >= anchor]
        return min(later) if later else max(options)
    ahead = [d for d in options if d >= anchor]
    if ahead and not behind and (min(ahead) - anchor).days <= NEAR_FUTURE_DAYS:
        return min(ahead)
    behind = [d for d in options if d <= anchor]
    return max(behind) if behind else min(options)


def month_near(anchor: dt.date, month: int, direction: Tense) -> tuple[int, int]:
    """The (year, month) of a bare month name: the last one in a past clause ("was fired in March"),
    the coming one in a future clause, and without a tense the coming one only when it is a few
    months ahead. Unlike a day ("payable Dec. 14"), a month a past verb governs is behind."""
    if month == anchor.month:
        return anchor.year, month
    ahead = (month - anchor.month) % 12
    if direction == "future" or (direction != "past" and ahead * 30 <= NEAR_FUTURE_DAYS):
        return anchor.year + (1 if month < anchor.month else 0), month
    return anchor.year - (1 if month > anchor.month else 0), month


def season_near(anchor: dt.date, season: str, direction: Tense, *, strict: bool) -> int:
    """The year of a season relative to the anchor: the latest (past) or next (future) one."""
    current_year, current = season_of(anchor)
    here = (current_year, SEASON_ORDER.index(current))
    there_this_year = (current_year, SEASON_ORDER.index(season))
    if direction == "future":
        if there_this_year > here or (there_this_year == here and not strict):
            return current_year
        return current_year + 1
    if there_this_year < here or (there_this_year == here and not strict):
        return current_year
    return current_year - 1
