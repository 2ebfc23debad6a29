"""The reference-time model: what a relative expression is anchored on, and in which direction.

Deictic expressions ("yesterday", "last week", "on Wednesday") are anchored on the document
creation time (the publication date); anaphoric ones ("the next day", "a year earlier") on
the last date the text itself mentioned. The direction of an underspecified date ("on
Friday", "in June") comes from the tense of the clause: from the spaCy parse when the
pipeline has one, else from cheap lexical cues ("will", "said", "-ed"). Calendar arithmetic
and the TimeML value spellings live here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from storyline.temporal.lexicon import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

Tense = Literal["past", "future", "present"] | None

FUTURE_AUX = frozenset(
    {
        "will",
        "'ll",
        "shall",
        "wo",
        "would",
        "could",
        "might",
        "may",
        "should",
        "must",
        "can",
        "ca",
        "'d",
    }
)
PAST_AUX = frozenset({"was", "were", "had", "did", "'d"})
NEAR_FUTURE_DAYS = 125
_WORD = re.compile(r"[A-Za-z’']+")
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]\s|[\"“”]")


# --- TimeML value spellings -------------------------------------------------------------


def day_value(day: dt.date) -> str:
    return day.isoformat()


def week_value(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


# --- calendar arithmetic ------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day-of-month `months` later (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = _month_length(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def _month_length(year: int, month: int) -> int:
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
    if granularity in ("year", "season", "decade_as_year"):
        return f"{day.year:04d}"
    if granularity == "decade":
        return f"{day.year // 10:03d}"
    if granularity == "century":
        return f"{day.year // 100:02d}"
    raise ValueError(granularity)


def weekday_near(
    anchor: dt.date, weekday: int, direction: Tense, *, strict: bool = False
) -> dt.date:
    """The given ISO weekday nearest `anchor` in `direction` (the anchor's own day counts unless strict)."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if strict:
        back, ahead = back or 7, ahead or 7
    if direction == "future":
        return anchor + dt.timedelta(days=ahead)
    return anchor - dt.timedelta(days=back)


def month_day_near(anchor: dt.date, month: int, day: int, direction: Tense) -> dt.date | None:
    """The year of "June 15": on or after the anchor in a future clause, else the last one before
    it unless the next one is within a few months.

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
    if ahead and (min(ahead) - anchor).days <= NEAR_FUTURE_DAYS:
        return min(ahead)
    behind = [d for d in options if d <= anchor]
    return max(behind) if behind else min(options)


def month_near(anchor: dt.date, month: int, direction: Tense) -> tuple[int, int]:
    """The (year, month) of a bare month name relative to the anchor and tense."""
    if month == anchor.month:
        return anchor.year, month
    if direction == "past":
        return (anchor.year if month < anchor.month else anchor.year - 1), month
    if direction == "future":
        return (anchor.year if month > anchor.month else anchor.year + 1), month
    ahead = (month - anchor.month) % 12
    if ahead * 30 <= NEAR_FUTURE_DAYS:
        return anchor.year + (1 if month < anchor.month else 0), month
    return anchor.year - (1 if month > anchor.month else 0), month


# --- the reference state a document builds up while it is read ---------------------------


@dataclass
class Reference:
    """What relative expressions are anchored on while a document is read left to right.

    `dct` is the publication date (None when unknown); `last_day` the last day the text named;
    `quarter` the fiscal quarter under discussion, which "the year-ago quarter" and "a year
    earlier" refer back to in earnings reports.
    """

    dct: dt.date | None
    last_day: dt.date | None = None
    last_day_text: str | None = None
    last_day_end: int | None = None
    quarter: tuple[int, int] | None = None
    quarter_text: str | None = None
    last_year: int | None = None
    last_month: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)

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


# --- tense ----------------------------------------------------------------------------------


def tense_at(text: str, start: int, end: int, doc: Doc | None = None) -> Tense:
    """The tense of the clause a timex sits in: from the parse if given, else from nearby words."""
    if doc is not None:
        parsed = _tense_from_parse(doc, start, end)
        if parsed in ("past", "future"):
            return parsed
    return _tense_from_words(text, start, end)


def _tense_from_parse(doc: Doc, start: int, end: int) -> Tense:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") and token.i not in range(span.start, span.end):
            break
        if token.head is token:
            break
        token = token.head
    if token.pos_ not in ("VERB", "AUX"):
        return None
    return _verb_tense(token)


def _verb_tense(verb, depth: int = 0) -> Tense:  # noqa: ANN001 - a spaCy Token
    """Tense of a verb group: auxiliaries first (will -> future, was -> past), then the verb's tag.

    An infinitive takes the tense of the verb it depends on, unless that verb looks ahead
    ("scheduled to meet Friday", "plans to visit in June").
    """
    words = {a.lower_ for a in verb.children if a.dep_ in ("aux", "auxpass")}
    if words & FUTURE_AUX - {"'d"}:
        return "future"
    if "to" in words or (verb.dep_ == "xcomp" and verb.tag_ == "VB"):
        governor = verb.head
        if governor is verb or depth > 2:
            return None
        if lexicon().tense_cues.get(governor.lower_) == "future":
            return "future"
        return _verb_tense(governor, depth + 1)
    if "going" in words:
        return "future"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re"}:
        return "future"
    if words & PAST_AUX or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and words & {"has", "have", "'ve"}:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBN" and words & {"is", "are"}):
        return "present"
    return None


def _tense_from_words(text: str, start: int, end: int) -> Tense:
    """The nearest tense cue in the same clause, looking up to 8 words back and 5 ahead."""
    left = _clause_tail(text[max(0, start - 90) : start])
    right = _clause_head(text[end : end + 60])
    before = _WORD.findall(left)[-8:]
    after = _WORD.findall(right)[:5]
    recent = " ".join(before[-6:]).lower() + " "
    if _future_phrase().search(recent) and " had " not in f" {recent}":
        return "future"  # "scheduled to resume Monday", but not "had been due to expire Friday"
    candidates: list[tuple[int, str]] = []
    for distance, word in enumerate(reversed(before)):
        cue = _word_tense(word, before[-distance - 2] if distance + 2 <= len(before) else "")
        if cue:
            candidates.append((distance * 2, cue))
    for distance, word in enumerate(after):
        cue = _word_tense(word, "")
        if cue:
            candidates.append((distance * 2 + 1, cue))
    if not candidates:
        return None
    return min(candidates)[1]


@cache
def _future_phrase() -> re.Pattern[str]:
    """Multi-word future cues ("scheduled to", "as soon as") from the tense cue list."""
    phrases = [w for w, cue in lexicon().tense_cues.items() if " " in w and cue == "future"]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


def _clause_tail(text: str) -> str:
    parts = _CLAUSE_BREAK.split(text)
    return parts[-1] if parts else text


def _clause_head(text: str) -> str:
    parts = _CLAUSE_BREAK.split(text)
    return parts[0] if parts else text


def _word_tense(word: str, previous: str) -> str | None:
    lex = lexicon()
    lower = word.lower().replace("’", "'")
    cue = lex.tense_cues.get(lower)
    if cue == "present":
        return "present"
    if cue:
        return cue
    if (
        len(lower) > 4
        and lower.endswith("ed")
        and lower not in lex.not_past_participles
        and previous.lower() not in ("be", "been", "being", "is", "are", "will", "to", "the", "a")
        and word[0].islower()
    ):
        return "past"
    return None


# --- holidays and seasons -------------------------------------------------------------------


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
        last = dt.date(year, month, _month_length(year, month))
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


SEASON_START_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def season_of(day: dt.date) -> tuple[int, str]:
    """The (year, season) a day falls in; January and February belong to the previous winter."""
    if day.month in (1, 2):
        return day.year - 1, "WI"
    for code, first in sorted(SEASON_START_MONTH.items(), key=lambda kv: -kv[1]):
        if day.month >= first:
            return day.year, code
    return day.year, "WI"


def season_near(anchor: dt.date, season: str, direction: Tense, *, strict: bool) -> int:
    """The year of a season relative to the anchor: the latest (past) or next (future) one."""
    current_year, current = season_of(anchor)
    order = ["SP", "SU", "FA", "WI"]
    here = (current_year, order.index(current))
    there_this_year = (current_year, order.index(season))
    if direction == "future":
        if there_this_year > here or (there_this_year == here and not strict):
            return current_year
        return current_year + 1
    if there_this_year < here or (there_this_year == here and not strict):
        return current_year
    return current_year - 1
