"""What temporal expressions mean: TimeML TIMEX3 type and value for each matched candidate.

One function per rule kind turns the rule's parts into a `Resolution` (type, value, mod and
what it was anchored on), using the document's `Reference` (publication date, last date
mentioned, quarter under discussion) and the clause's tense. A function returns None to
reject a match that is not a temporal expression in its context ("a year" in "a year ago"
is; "may" the verb is not). Without a publication date, relative values stay partial
(XXXX-06-15, XXXX-WXX-3) rather than being guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from storyline.temporal import anchoring as an
from storyline.temporal.lexicon import lexicon
from storyline.temporal.patterns import DAY_KINDS, Candidate

if TYPE_CHECKING:
    from spacy.tokens import Doc

UNKNOWN_DAY = "XXXX-XX-XX"
DEADLINE_WORDS = frozenset({"by", "until", "till", "til"})
# Words right before "years", "a week", ... that make them a duration ("for years", "within a week").
DURATION_CUES = frozenset(
    [
        "for",
        "over",
        "within",
        "in",
        "during",
        "than",
        "about",
        "nearly",
        "almost",
        "only",
        "just",
        "least",
        "after",
        "lasted",
        "lasting",
        "took",
        "take",
        "takes",
        "taking",
        "spent",
        "spend",
        "spending",
        "last",
        "lasts",
        "barely",
        "another",
        "past",
        "next",
        "some",
        "first",
        "full",
        "entire",
        "whole",
        "extra",
        "additional",
        "up",
    ]
)
_QUANTITY_BEFORE = re.compile(
    r"(?:\d|million|billion|thousand|hundred|percent|%|dollars?|cents?|pounds?|euros?|yen|"
    r"francs?|marks?|rubles?|yuan|barrels|tons?|shares|people|visitors|units|cars|times)\W{0,3}$",
    re.IGNORECASE,
)
_FISCAL_YEAR_END = re.compile(r"\s+(?:ended|ending|that\s+ended|to\s+date)\b", re.IGNORECASE)
_QUARTER_ENDED = re.compile(
    r"\s+(?:that\s+)?(?:ended|ending|ends|to)\s+([A-Z][a-z]+\.?)\s+\d", re.IGNORECASE
)
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_OLD = re.compile(r"\s+old\b", re.IGNORECASE)
_NP_AFTER = re.compile(r"\s+(?:of|in|to)\b", re.IGNORECASE)
_PREVIOUS_WORD = re.compile(r"([A-Za-z’']+)\W*$")
_NUMBER_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
_POD_SUFFIX = {"MO": "TMO", "AF": "TAF", "EV": "TEV", "NI": "TNI"}


@dataclass
class Resolution:
    """A normalised timex: TIMEX3 type and value, optional mod, and what anchored it."""

    type: str
    value: str | None
    mod: str | None = None
    anchor: str | None = None
    confidence: float = 1.0


@dataclass
class Context:
    """A candidate in its document: the text, the optional parse and the reference state."""

    text: str
    doc: Doc | None
    ref: an.Reference
    candidate: Candidate

    @cached_property
    def tense(self) -> an.Tense:
        c = self.candidate
        return an.tense_at(self.text, c.start, c.end, self.doc)

    @property
    def direction(self) -> an.Tense:
        """The tense, except that a deadline ("by May", "until mid-November") looks ahead."""
        before = self.text[max(0, self.candidate.start - 12) : self.candidate.start].lower().split()
        if before and before[-1] in DEADLINE_WORDS:
            return "future"
        return self.tense

    @property
    def dct(self) -> dt.date | None:
        return self.ref.dct

    def previous_word(self) -> str:
        match = _PREVIOUS_WORD.search(
            self.text[max(0, self.candidate.start - 30) : self.candidate.start]
        )
        return match.group(1).lower() if match else ""

    def quantity_before(self) -> bool:
        return bool(
            _QUANTITY_BEFORE.search(
                self.text[max(0, self.candidate.start - 20) : self.candidate.start]
            )
        )

    def followed_by(self, regex: re.Pattern[str]) -> bool:
        return bool(regex.match(self.text, self.candidate.end))


# --- numbers ---------------------------------------------------------------------------------


def parse_number(text: str | None) -> float | str | None:
    """A cardinal in digits or words as a number, "X" for vague ones ("several"), else None."""
    if text is None:
        return None
    words = " ".join(text.lower().replace("-", " ").split())
    numbers = lexicon().numbers
    if words in numbers:
        value = numbers[words]
        return value if value == "X" else float(value)
    digits = re.fullmatch(r"([\d,]+(?:\.\d+)?)?(?:\s*(\d)/(\d))?", words)
    if digits and (digits.group(1) or digits.group(2)):
        whole = float(digits.group(1).replace(",", "")) if digits.group(1) else 0.0
        if digits.group(2):
            whole += int(digits.group(2)) / int(digits.group(3))
        return whole
    total = 0.0
    for word in words.split():
        if word in ("and", "a"):
            continue
        value = numbers.get(word)
        if value is None or value == "X":
            return None
        number = float(value)
        total = total * number if number in (100.0, 1000.0) and total else total + number
    return total or None


def _ordinal(text: str) -> int | None:
    word = text.lower().strip()
    match = re.match(r"(\d+)(?:st|nd|rd|th)?$", word)
    if match:
        return int(match.group(1))
    return lexicon().ordinals.get(word)


def _year(text: str | None) -> int | None:
    """A year in digits, a spoken year ("nineteen ninety-six"), or None."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    words = text.lower().replace("-", " ").split()
    words = [w for w in words if w not in ("and", "hundred", "oh")]
    numbers = lexicon().numbers
    if words[:2] == ["two", "thousand"]:
        rest = parse_number(" ".join(words[2:])) if words[2:] else 0.0
        return 2000 + int(rest) if isinstance(rest, float) else None
    head = numbers.get(words[0])
    tail = parse_number(" ".join(words[1:])) if words[1:] else None
    if head is None or head == "X" or not isinstance(tail, float):
        return None
    return int(float(head)) * 100 + int(tail)


# --- durations -------------------------------------------------------------------------------

# How a fraction of a unit is written in the next smaller one (date units, then time units).
_SMALLER = {"Y": (12, "M"), "M": (30, "D"), "W": (7, "D"), "D": (24, "H"), "Q": (3, "M")}
_SMALLER_TIME = {"H": (60, "M"), "M": (60, "S")}


def duration_value(amount: float | str, unit_word: str) -> str:
    """TimeML duration for an amount of a unit: P3Y, PT4H, P2Y6M, PXY ("several years")."""
    unit = lexicon().unit(unit_word)
    match = re.fullmatch(r"P(T?)(\d+)([A-Z])", unit.duration)
    assert match is not None
    time_part, per, letter = match.group(1), int(match.group(2)), match.group(3)
    if amount == "X":
        vague = {"decade": "E", "century": "C", "millennium": "L"}.get(unit.singular, letter)
        return f"P{time_part}X{vague}"
    total = float(amount) * per
    whole = int(total)
    fraction = total - whole
    value = f"P{time_part}{whole}{letter}" if whole else f"P{time_part}"
    smaller_units = _SMALLER_TIME if time_part else _SMALLER
    if fraction > 1e-9 and letter in smaller_units:
        factor, smaller = smaller_units[letter]
        rest = round(fraction * factor)
        if letter == "D":
            return f"{value}T{rest}{smaller}"
        value += f"{rest}{smaller}"
    return value if value not in ("P", "PT") else f"P{time_part}0{letter}"


# --- kinds -----------------------------------------------------------------------------------


def _day_or_partial(day: dt.date | None, partial: str = UNKNOWN_DAY) -> str:
    return day.isoformat() if day else partial


def _direction(ctx: Context) -> an.Tense:
    """Past unless the clause is future: news mostly reports what already happened."""
    return "future" if ctx.tense == "future" else "past"


def iso_date(c: Candidate, ctx: Context) -> Resolution | None:
    day = _safe_date(int(c.part("y")), int(c.part("m")), int(c.part("d")))
    if day is None:
        return None
    if c.part("h24"):
        return Resolution(
            "TIME", f"{day.isoformat()}T{_clock_text(c.part('h24'), c.part('mi24'), c.part('s24'))}"
        )
    return Resolution("DATE", day.isoformat())


def numeric_date(c: Candidate, ctx: Context) -> Resolution | None:
    a, b = int(c.part("a")), int(c.part("b"))
    year = int(c.part("y"))
    if year < 100:
        year += 2000 if year <= 40 else 1900
    readings = [d for d in (_safe_date(year, b, a), _safe_date(year, a, b)) if d is not None]
    if not readings:
        return None
    if c.part("sep") == "/" and len(readings) == 2 and readings[0] != readings[1]:
        readings.reverse()  # month/day first, as in American usage, unless the dct says otherwise
    if ctx.dct and len(readings) == 2:
        readings.sort(key=lambda d: abs((d - ctx.dct).days))
    return Resolution("DATE", readings[0].isoformat())


def month_day(c: Candidate, ctx: Context) -> Resolution | None:
    """A month name with a day ("June 15", "Friday, Oct. 23"), a year ("June 1990",
    "July last year") or alone ("in June")."""
    if c.part("year_only"):
        return month_year(c, ctx)
    if c.part("yrel"):
        return month_rel_year(c, ctx)
    if not c.part("day"):
        return month(c, ctx)
    number = lexicon().month_number(c.part("month"))
    day = _ordinal(c.part("day"))
    if day is None or not 1 <= day <= 31:
        return None
    year = _year(c.part("y"))
    weekday = lexicon().weekday_number(c.part("wd")) if c.part("wd") else None
    if year is not None:
        found = _safe_date(year, number, day)
        return Resolution("DATE", found.isoformat()) if found else None
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{number:02d}-{day:02d}", anchor="no dct", confidence=0.6)
    found = None
    if weekday is not None:
        matching = [
            d
            for d in (_safe_date(y, number, day) for y in range(ctx.dct.year - 1, ctx.dct.year + 2))
            if d and d.isoweekday() == weekday
        ]
        found = min(matching, key=lambda d: abs((d - ctx.dct).days)) if matching else None
    found = found or an.month_day_near(ctx.dct, number, day, ctx.direction)
    if found is None:
        return None
    return Resolution("DATE", found.isoformat(), anchor="dct", confidence=0.9)


def day_month(c: Candidate, ctx: Context) -> Resolution | None:
    return month_day(c, ctx)


def month_year(c: Candidate, ctx: Context) -> Resolution | None:
    year = _year(c.part("year_only"))
    if year is None:
        return None
    return Resolution("DATE", an.month_value(year, lexicon().month_number(c.part("month"))))


def month_rel_year(c: Candidate, ctx: Context) -> Resolution | None:
    month = lexicon().month_number(c.part("month"))
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{month:02d}", anchor="no dct", confidence=0.5)
    year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[c.part("yrel").lower()]
    return Resolution("DATE", an.month_value(year, month), anchor="dct")


FULL_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def month(c: Candidate, ctx: Context) -> Resolution | None:
    word = c.part("month")
    number = lexicon().month_number(word)
    rel = _rel(c)
    if rel == "that" or (not word.endswith(".") and word.lower() not in FULL_MONTHS):
        return None  # "Jan Kavan": a bare abbreviation is a month only inside a date
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{number:02d}", anchor="no dct", confidence=0.6)
    dct = ctx.dct
    if rel in ("last", "past", "this past", "the past", "previous", "the previous"):
        year = dct.year if number < dct.month else dct.year - 1
    elif rel in ("next", "coming", "this coming", "the coming", "following", "the following"):
        year = dct.year if number > dct.month else dct.year + 1
    elif rel == "this":
        year = dct.year
    else:
        year, _ = an.month_near(dct, number, ctx.direction if ctx.direction != "present" else None)
    return Resolution("DATE", an.month_value(year, number), anchor="dct", confidence=0.85)


def ordinal_day(c: Candidate, ctx: Context) -> Resolution | None:
    if ctx.previous_word() not in ("on", "by", "until", "till", "since", "from", "before", "after"):
        return None
    if re.match(r"\s+[a-z]", ctx.text[c.end : c.end + 3]):
        return None
    day = _ordinal(c.part("day"))
    if not day or day > 31:
        return None
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-XX-{day:02d}", anchor="no dct", confidence=0.5)
    base = ctx.dct
    if ctx.tense == "future" and day < base.day:
        base = an.add_months(base.replace(day=1), 1)
    elif ctx.tense != "future" and day > base.day:
        base = an.add_months(base.replace(day=1), -1)
    found = _safe_date(base.year, base.month, day)
    return Resolution("DATE", found.isoformat(), anchor="dct", confidence=0.6) if found else None


def year(c: Candidate, ctx: Context) -> Resolution | None:
    value = int(c.part("y"))
    if not c.part("fiscal") and not 1000 <= value <= 2099:
        return None
    mod = "ON_OR_AFTER" if c.part("after") else None
    return Resolution("DATE", f"{value:04d}", mod=mod)


def spoken_year(c: Candidate, ctx: Context) -> Resolution | None:
    value = _year(c.part("spoken"))
    if value is None or not 1000 <= value <= 2099:
        return None
    return Resolution("DATE", f"{value:04d}")


def decade(c: Candidate, ctx: Context) -> Resolution | None:
    return Resolution("DATE", c.part("dy")[:3])


DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}


def decade_short(c: Candidate, ctx: Context) -> Resolution | None:
    if c.part("word"):
        tens = DECADE_WORDS[c.part("word").lower()]
    else:
        tens = int(c.part("short")) // 10
    century = 19
    if ctx.dct and tens * 10 <= ctx.dct.year % 100 and ctx.dct.year >= 2000 and tens < 3:
        century = 20
    return Resolution("DATE", f"{century}{tens}")


def century(c: Candidate, ctx: Context) -> Resolution | None:
    number = _ordinal(c.part("ord"))
    if not number or number > 30:
        return None
    return Resolution("DATE", f"{number - 1:02d}")


# --- fiscal quarters and halves ------------------------------------------------------------

QUARTER_WORDS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "march": 1,
    "june": 2,
    "september": 3,
    "december": 4,
}
PREVIOUS_YEAR_MODS = frozenset(
    {"year-ago", "year-earlier", "year ago", "year earlier", "year-before", "prior-year"}
)
REFERRING_MODS = frozenset(
    {"latest", "recent", "most recent", "same", "comparable", "corresponding"}
)


def quarter(c: Candidate, ctx: Context) -> Resolution | None:
    mods = [
        m.lower()
        for m in re.findall(
            r"year[-\s](?:ago|earlier)|year-before|prior-year|most\s+recent|fiscal-\w+|[\w']+",
            (c.part("mods") or "").replace("-", " - "),
        )
    ]
    mods = [" ".join(m.split()) for m in mods if m != "-"]
    unit = c.part("unit").lower()
    det = (c.part("det") or "").lower()
    number = next(
        (
            QUARTER_WORDS[m.removeprefix("fiscal-")]
            for m in mods
            if m.removeprefix("fiscal-") in QUARTER_WORDS
        ),
        None,
    )
    years = [int(m) for m in mods if m.isdigit()]
    if c.part("yposs"):
        years.append(int(c.part("yposs")))
    if c.part("y"):
        years.append(int(c.part("y")))
    explicit_year = years[0] if years else None
    year_shift = 0
    for rel in (c.part("yrel"), c.part("yrel2")):
        if rel:
            year_shift = {"this": 0, "last": -1, "next": 1}[rel.lower()]
    previous_year = any(m in PREVIOUS_YEAR_MODS for m in mods) or bool(c.part("ago"))
    previous_year = previous_year or ("year" in mods and ("ago" in mods or "earlier" in mods))
    if unit == "quarters":
        if number and not explicit_year:
            return Resolution("SET", f"XXXX-Q{number}")
        return None
    if not mods and det in ("", "a") and not (c.part("yrel") or c.part("yposs")):
        return None
    if unit in ("period", "half") and not (
        mods
        and (
            number
            or explicit_year
            or previous_year
            or set(mods) & (REFERRING_MODS | {"last", "first", "second"})
        )
    ):
        return None
    if det == "a" and not number:
        return None
    if unit == "half":
        return _half(mods, explicit_year, year_shift, ctx)
    return _quarter_value(mods, number, explicit_year, year_shift, previous_year, unit, det, ctx)


def _half(
    mods: list[str], explicit_year: int | None, year_shift: int, ctx: Context
) -> Resolution | None:
    if "first" in mods:
        half = 1
    elif set(mods) & {"second", "last", "final", "latter"}:
        half = 2
    else:
        return None
    if explicit_year:
        return Resolution("DATE", f"{explicit_year}-H{half}")
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-H{half}", anchor="no dct", confidence=0.5)
    year = ctx.dct.year + year_shift
    if not year_shift and half == 2 and ctx.dct.month <= 6 and ctx.tense != "future":
        year -= 1
    return Resolution("DATE", f"{year}-H{half}", anchor="dct")


def _quarter_value(
    mods: list[str],
    number: int | None,
    explicit_year: int | None,
    year_shift: int,
    previous_year: bool,
    unit: str,
    det: str,
    ctx: Context,
) -> Resolution | None:
    ref = ctx.ref
    anchor = "dct"
    if number is None:
        number = _quarter_ending(ctx)
    if number is None:
        return _referred_quarter(mods, explicit_year, year_shift, previous_year, det, ctx)
    if explicit_year:
        year = explicit_year
    elif previous_year and ref.quarter:
        year = ref.quarter[0] - 1
    elif ctx.dct is None:
        return Resolution("DATE", f"XXXX-Q{number}", anchor="no dct", confidence=0.5)
    else:
        year = ctx.dct.year + year_shift
        current = an.quarter_of(ctx.dct)
        if (
            not year_shift
            and number > current
            and ctx.tense != "future"
            and (ctx.tense == "past" or number - current >= 2)
        ):
            year -= 1
        if previous_year:
            year -= 1
    ended = ctx.dct is None or an.add_months(dt.date(year, 3 * number - 2, 1), 3) <= ctx.dct
    if ended or _QUARTER_ENDED.match(ctx.text, ctx.candidate.end):
        ref.quarter = (year, number)  # a reported quarter, not a forecast one
        ref.quarter_text = f"Q{number} {year}"
    return Resolution("DATE", f"{year}-Q{number}", anchor=None if explicit_year else "dct")


def _quarter_ending(ctx: Context) -> int | None:
    """The quarter of "the quarter ended Sept. 30": the one whose middle month precedes that month."""
    match = _QUARTER_ENDED.match(ctx.text, ctx.candidate.end)
    if not match:
        return None
    try:
        month_number = lexicon().month_number(match.group(1))
    except KeyError:
        return None
    return (month_number - 2) % 12 // 3 + 1


def _referred_quarter(
    mods: list[str],
    explicit_year: int | None,
    year_shift: int,
    previous_year: bool,
    det: str,
    ctx: Context,
) -> Resolution:
    """A quarter named without its number: "the quarter", "the latest period", "the year-ago quarter"."""
    ref = ctx.ref
    words = set(mods)
    if ctx.dct is None and ref.quarter is None:
        return Resolution("DATE", f"{explicit_year or 'XXXX'}-QX", anchor="no dct", confidence=0.4)
    anchor = ref.quarter_text or "last completed quarter before dct"
    last_completed = an.Reference(ctx.dct).default_quarter() if ctx.dct else ref.quarter
    if explicit_year:
        return Resolution(
            "DATE", f"{explicit_year}-Q{ref.default_quarter()[1]}", anchor=anchor, confidence=0.6
        )
    if words & {"current", "this"} or (det == "this" and not words and ctx.tense == "future"):
        year, number = ctx.dct.year, an.quarter_of(ctx.dct)
        anchor = "dct"
    elif words & {"next", "coming", "upcoming"}:
        q = an.quarter_of(ctx.dct) + 1
        year, number = (ctx.dct.year, q) if q <= 4 else (ctx.dct.year + 1, 1)
        anchor = "dct"
    elif words & {"previous", "preceding", "prior", "last", "past"} and not previous_year:
        year, q = ref.default_quarter()
        year, number = (year, q - 1) if q > 1 else (year - 1, 4)
    elif words & {"latest", "recent", "most recent"}:
        year, number = last_completed
        anchor = "last completed quarter before dct"
    else:
        year, number = ref.default_quarter()
    year += year_shift - (1 if previous_year else 0)
    return Resolution("DATE", f"{year}-Q{number}", anchor=anchor, confidence=0.7)


def quarter_abbrev(c: Candidate, ctx: Context) -> Resolution | None:
    number = int(c.part("q") or c.part("q2"))
    mods = [{1: "first", 2: "second", 3: "third", 4: "fourth"}[number]]
    year = int(c.part("y")) if c.part("y") else None
    return _quarter_value(mods, number, year, 0, False, "quarter", "", ctx)


def year_end(c: Candidate, ctx: Context) -> Resolution | None:
    if ctx.dct is None:
        return Resolution("DATE", "XXXX", mod="END", anchor="no dct", confidence=0.4)
    return Resolution("DATE", f"{ctx.dct.year}", mod="END", anchor="dct", confidence=0.7)


def year_ago_adj(c: Candidate, ctx: Context) -> Resolution | None:
    if ctx.ref.quarter:
        year, q = ctx.ref.quarter
        return Resolution("DATE", f"{year - 1}-Q{q}", anchor=ctx.ref.quarter_text, confidence=0.7)
    if ctx.dct is None:
        return Resolution("DATE", "XXXX", anchor="no dct", confidence=0.3)
    return Resolution("DATE", f"{ctx.dct.year - 1}", anchor="dct", confidence=0.6)


# --- days relative to the publication date ------------------------------------------------

DEICTIC_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}


def deictic(c: Candidate, ctx: Context) -> Resolution | None:
    word = " ".join(c.part("word").lower().split())
    pod = _pod_code(c.part("pod"))
    if word == "tonight":
        pod = pod or "NI"
    day = ctx.dct + dt.timedelta(days=DEICTIC_OFFSETS[word]) if ctx.dct else None
    anchor = "dct" if ctx.dct else "no dct"
    if pod:
        return Resolution("TIME", _day_or_partial(day) + _POD_SUFFIX[pod], anchor=anchor)
    return Resolution("DATE", _day_or_partial(day), anchor=anchor)


def this_pod(c: Candidate, ctx: Context) -> Resolution | None:
    rel = (
        _rel(c)
        .replace("early ", "")
        .replace("late ", "")
        .replace("later ", "")
        .replace("earlier ", "")
    )
    pod = _pod_code(c.part("pod"))
    if pod is None:
        return None
    if rel in ("that", "the same", "the next", "the following", "the previous"):
        base, anchor = ctx.ref.anaphoric_day()
        offset = {"the next": 1, "the following": 1, "the previous": -1}.get(rel, 0)
    else:
        base, anchor = ctx.dct, "dct"
        offset = {"last": -1, "yesterday": -1, "tomorrow": 1}.get(rel, 0)
        if rel == "last" and pod != "NI":
            return None
    day = base + dt.timedelta(days=offset) if base else None
    kind = (
        "TIME" if anchor == "dct" else "DATE"
    )  # "this morning" is a TIME, "the next morning" a DATE
    return Resolution(kind, _day_or_partial(day) + _POD_SUFFIX[pod], anchor=anchor or "no dct")


def weekday(c: Candidate, ctx: Context) -> Resolution | None:
    number = lexicon().weekday_number(c.part("wd"))
    rel = _rel(c)
    pod = _pod_code(c.part("pod"))
    suffix = _POD_SUFFIX[pod] if pod else ""
    kind = (
        "DATE"  # "Friday night" is a DATE in TimeBank; only clock times and "this morning" are TIME
    )
    attached = _attached_day(c, ctx)
    if attached is not None:
        confidence = 1.0 if attached.isoweekday() == number else 0.5
        written = c.attached[0]
        return Resolution(
            kind,
            attached.isoformat() + suffix,
            anchor=f'"{ctx.text[written.start : written.end]}" next to it',
            confidence=confidence,
        )
    if rel in ("the previous", "the following", "that"):
        base, anchor = ctx.ref.anaphoric_day()
        direction = "future" if rel == "the following" else "past"
        strict = rel != "that"
    else:
        base, anchor = ctx.dct, "dct"
        strict = rel in (
            "last",
            "next",
            "this past",
            "this coming",
            "coming",
            "past",
            "previous",
            "following",
        )
        if rel in ("last", "this past", "past", "previous"):
            direction = "past"
        elif rel in ("next", "this coming", "coming", "following"):
            direction = "future"
        else:
            direction = _direction(ctx)
    if base is None:
        return Resolution(kind, f"XXXX-WXX-{number}{suffix}", anchor="no dct", confidence=0.5)
    day = an.weekday_near(base, number, direction, strict=strict)
    confidence = 0.9 if rel or ctx.tense else 0.75
    return Resolution(kind, day.isoformat() + suffix, anchor=anchor, confidence=confidence)


def _attached_day(c: Candidate, ctx: Context) -> dt.date | None:
    """The date given in apposition to a weekday: "Wednesday (15/6/2022)"."""
    for other in c.attached:
        resolved = NORMALISERS[other.kind](other, ctx)
        if resolved and resolved.value and re.fullmatch(r"\d{4}-\d\d-\d\d", resolved.value):
            return dt.date.fromisoformat(resolved.value)
    return None


GRANULARITY_SHIFT = {
    "last": -1,
    "past": -1,
    "previous": -1,
    "this past": -1,
    "the past": -1,
    "the last": -1,
    "the latest": -1,
    "this": 0,
    "current": 0,
    "the current": 0,
    "the full": 0,
    "the whole": 0,
    "the entire": 0,
    "next": 1,
    "coming": 1,
    "this coming": 1,
    "the coming": 1,
}
ANAPHORIC_SHIFT = {
    "the next": 1,
    "the following": 1,
    "following": 1,
    "the previous": -1,
    "the prior": -1,
    "the preceding": -1,
    "the same": 0,
    "that same": 0,
    "that": 0,
}


def relative_unit(c: Candidate, ctx: Context) -> Resolution | None:
    rel = _rel(c)
    unit = c.part("unit").lower()
    if unit in lexicon().seasons:
        return _relative_season(c, ctx, rel, lexicon().seasons[unit])
    if unit == "day":
        return _anaphoric_day(rel, ctx)
    if unit == "weekend":
        return _weekend(rel, ctx)
    if rel == "the":
        return _the_unit(unit, c, ctx)
    if unit in ("decade", "century") and rel in (
        "last",
        "past",
        "the past",
        "the last",
        "next",
        "coming",
        "the next",
        "the coming",
    ):
        return Resolution("DURATION", duration_value(1, unit))
    if rel in ANAPHORIC_SHIFT:
        base = _anaphoric_base(unit, ctx)
        if base is None:
            return Resolution("DATE", _partial(unit), anchor="no anchor", confidence=0.3)
        granularity = "year" if unit in ("decade", "century") else unit
        value = an.point_value(an.shift(base[0], ANAPHORIC_SHIFT[rel], unit), granularity)
        return Resolution("DATE", value, anchor=base[1], confidence=0.6)
    if rel not in GRANULARITY_SHIFT:
        return None
    if ctx.dct is None:
        return Resolution("DATE", _partial(unit), anchor="no dct", confidence=0.4)
    day = an.shift(ctx.dct, GRANULARITY_SHIFT[rel], unit)
    return Resolution("DATE", an.point_value(day, unit), anchor="dct")


def _anaphoric_base(unit: str, ctx: Context) -> tuple[dt.date, str] | None:
    """The point "the following month" or "that year" counts from: the last one the text named."""
    if unit == "year" and ctx.ref.last_year is not None:
        return dt.date(ctx.ref.last_year, 7, 1), str(ctx.ref.last_year)
    if unit == "month" and ctx.ref.last_month is not None:
        year, month_number = ctx.ref.last_month
        return dt.date(year, month_number, 1), an.month_value(year, month_number)
    base, anchor = ctx.ref.anaphoric_day()
    return (base, anchor) if base else None


def _the_unit(unit: str, c: Candidate, ctx: Context) -> Resolution | None:
    """ "the year", "the week", "the month": the current one when a modifier makes it a point."""
    if c.mod in ("START", "END", "MID") or unit in ("week", "month"):
        if ctx.dct is None:
            return Resolution("DATE", _partial(unit), anchor="no dct", confidence=0.4)
        return Resolution("DATE", an.point_value(ctx.dct, unit), anchor="dct", confidence=0.6)
    if unit == "year" and ctx.followed_by(_FISCAL_YEAR_END):
        return Resolution("DURATION", "P1Y")  # "the year ended Sept. 30": a fiscal year
    if unit == "year":
        if ctx.dct is None:
            return Resolution("DATE", "XXXX", anchor="no dct", confidence=0.4)
        return Resolution("DATE", str(ctx.dct.year), anchor="dct", confidence=0.6)
    return None


def _partial(unit: str) -> str:
    return {
        "year": "XXXX",
        "month": "XXXX-XX",
        "week": "XXXX-WXX",
        "quarter": "XXXX-QX",
        "decade": "XXX",
        "century": "XX",
    }.get(unit, UNKNOWN_DAY)


def _anaphoric_day(rel: str, ctx: Context) -> Resolution | None:
    if rel not in ANAPHORIC_SHIFT:
        return None
    base, anchor = ctx.ref.anaphoric_day()
    if base is None:
        return Resolution("DATE", UNKNOWN_DAY, anchor="no anchor", confidence=0.3)
    day = base + dt.timedelta(days=ANAPHORIC_SHIFT[rel])
    return Resolution("DATE", day.isoformat(), anchor=anchor, confidence=0.7)


def _weekend(rel: str, ctx: Context) -> Resolution | None:
    if ctx.dct is None:
        return Resolution("DATE", "XXXX-WXX-WE", anchor="no dct", confidence=0.4)
    if rel in ("last", "past", "this past", "the past", "the last", "previous", "the previous"):
        saturday = an.weekday_near(ctx.dct - dt.timedelta(days=1), 6, "past")
    elif rel in ("next", "the next", "coming", "the coming", "this coming", "the following"):
        saturday = an.weekday_near(ctx.dct + dt.timedelta(days=1), 6, "future")
    elif ctx.dct.isoweekday() >= 6:
        saturday = an.weekday_near(ctx.dct, 6, "past")
    else:
        saturday = an.weekday_near(ctx.dct, 6, _direction(ctx) if rel == "the" else "future")
    return Resolution("DATE", f"{an.week_value(saturday)}-WE", anchor="dct", confidence=0.7)


def _relative_season(c: Candidate, ctx: Context, rel: str, season: str) -> Resolution | None:
    if rel == "the" and not _season_context(ctx):
        return None
    if rel in ("that", "the same", "that same"):
        return None
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{season}", anchor="no dct", confidence=0.4)
    if rel in ("this", "current", "the current"):
        year = ctx.dct.year if not (season == "WI" and ctx.dct.month <= 2) else ctx.dct.year - 1
    elif rel in ("next", "coming", "this coming", "the coming", "the next", "the following"):
        year = an.season_near(ctx.dct, season, "future", strict=True)
    elif rel in ("last", "past", "this past", "the past", "the last", "previous", "the previous"):
        year = an.season_near(ctx.dct, season, "past", strict=True)
    else:
        year = an.season_near(ctx.dct, season, _direction(ctx), strict=False)
    return Resolution("DATE", f"{year}-{season}", anchor="dct", confidence=0.7)


def _season_context(ctx: Context) -> bool:
    return ctx.previous_word() in (
        "in",
        "during",
        "since",
        "until",
        "by",
        "through",
        "over",
        "for",
        "throughout",
        "before",
        "after",
        "early",
        "late",
        "of",
    ) and not ctx.followed_by(_NP_AFTER)


def season(c: Candidate, ctx: Context) -> Resolution | None:
    code = lexicon().seasons[c.part("season").lower()]
    year_value = _year(c.part("y"))
    if year_value:
        return Resolution("DATE", f"{year_value}-{code}")
    rel = _rel(c)
    if rel:
        return _relative_season(c, ctx, rel, code)
    if code == "FA" or not _season_context(ctx):
        return None
    return _relative_season(c, ctx, "", code)


def unit_dir(c: Candidate, ctx: Context) -> Resolution | None:
    unit = lexicon().unit(c.part("unit"))
    if unit.granularity not in ("day", "week", "month", "year"):
        return None
    direction = c.part("dir").lower()
    amount = 1 if direction in ("after", "later") else -1
    base = _anaphoric_base(unit.granularity, ctx)
    if base is None:
        return Resolution("DATE", _partial(unit.granularity), anchor="no anchor", confidence=0.3)
    day = an.shift(base[0], amount, unit.granularity)
    return Resolution("DATE", an.point_value(day, unit.granularity), anchor=base[1], confidence=0.6)


def ago(c: Candidate, ctx: Context) -> Resolution | None:
    amount = parse_number(c.part("num"))
    unit = lexicon().unit(c.part("unit"))
    direction = " ".join(c.part("dir").lower().split())
    mod = "APPROX" if c.part("orso") else None
    if amount is None:
        return None
    backwards = direction in ("ago", "earlier", "before", "back", "previously", "prior")
    if amount == "X":
        return Resolution("DATE", "PAST_REF" if backwards else "FUTURE_REF", mod=mod)
    if direction in ("ago", "back", "hence", "from now"):
        base, anchor = ctx.dct, "dct"
    else:
        base, anchor = _anaphoric_base(unit.granularity, ctx) or (None, "no anchor")
    if unit.singular == "year" and amount == 1 and ctx.ref.quarter and backwards:
        year, q = ctx.ref.quarter
        return Resolution(
            "DATE", f"{year - 1}-Q{q}", mod=mod, anchor=ctx.ref.quarter_text, confidence=0.7
        )
    granularity = {
        "decade": "year",
        "century": "year",
        "millennium": "year",
        "night": "day",
        "hour": "day",
        "minute": "day",
        "second": "day",
        "fortnight": "week",
        "weekend": "week",
        "season": "year",
    }.get(unit.singular, unit.granularity)
    if base is None:
        return Resolution("DATE", _partial(granularity), mod=mod, anchor=anchor, confidence=0.3)
    steps, step_unit = _steps(amount, unit.singular)
    if steps is None:
        return None
    day = an.shift(base, -steps if backwards else steps, step_unit)
    return Resolution(
        "DATE", an.point_value(day, granularity), mod=mod, anchor=anchor, confidence=0.8
    )


def _steps(amount: float, unit: str) -> tuple[int | None, str]:
    """A count of calendar steps for shifting: 2 weeks -> (2, week), 3 decades -> (30, year)."""
    factor, step = {
        "decade": (10, "year"),
        "century": (100, "year"),
        "millennium": (1000, "year"),
        "fortnight": (2, "week"),
        "night": (1, "day"),
        "weekend": (1, "week"),
        "season": (1, "quarter"),
        "hour": (0, "day"),
        "minute": (0, "day"),
        "second": (0, "day"),
    }.get(unit, (1, unit))
    total = amount * factor
    if total != int(total):
        return None, step
    return int(total), step


def duration(c: Candidate, ctx: Context) -> Resolution | None:
    """An amount of time ("three years", "a four-hour"), or a date that far from an anchor when
    a direction follows ("two weeks ago", "a year earlier")."""
    if c.part("dir"):
        return ago(c, ctx)
    amount = parse_number(c.part("num"))
    if amount is None:
        return None
    word = c.part("num").lower()
    unit_word = c.part("unit").lower()
    bare_article = word in ("a", "an", "one") and not (
        c.part("det") or c.part("rel") or c.part("half") or c.part("suffix") or "-" in c.part("sep")
    )
    if (
        bare_article
        and ctx.quantity_before()
        and unit_word in ("day", "week", "month", "year", "hour")
    ):
        return Resolution("SET", duration_value(1, unit_word))
    if bare_article and not (ctx.previous_word() in DURATION_CUES or c.mod):
        return None
    if word in ("some", "many", "a number of", "numerous") and not (
        ctx.previous_word() in DURATION_CUES or c.part("rel")
    ):
        return None
    if unit_word in ("second", "seconds") and word in ("a", "one") and not c.part("det"):
        return None
    if (
        unit_word.startswith("quarter")
        and amount != "X"
        and (ctx.followed_by(_OF) or unit_word == "quarters" and "-" in c.part("sep"))
    ):
        return None  # "three-quarters of its food" is a fraction
    if (c.part("suffix") or "").lower() == "old" or ctx.followed_by(_OLD):
        return None  # ages ("a 6-year-old", "52 years old") are not timexes in TimeBank
    if isinstance(amount, float) and c.part("half"):
        amount += 0.5
    if isinstance(amount, float) and amount > 10000:
        return None
    return Resolution(
        "DURATION", duration_value(amount, unit_word), mod="APPROX" if c.part("orso") else None
    )


def units_bare(c: Candidate, ctx: Context) -> Resolution | None:
    """A unit without a number: "for years", "recent weeks", "months ago"."""
    if c.part("dir"):
        return Resolution("DATE", "PAST_REF")
    q = " ".join((c.part("q") or "").lower().split())
    unit = lexicon().unit(c.part("unit"))
    if q == "recent" and unit.singular == "year":
        return Resolution("DATE", "PAST_REF")
    if not q and not c.part("long") and ctx.previous_word() not in DURATION_CUES:
        return None
    if not q and ctx.followed_by(re.compile(r"\s+(?:of|ago|later|earlier|before|after)\b", re.I)):
        return None
    if unit.singular in ("second", "night", "weekend", "season"):
        return None
    return Resolution("DURATION", duration_value("X", unit.singular))


def set_word(c: Candidate, ctx: Context) -> Resolution | None:
    return Resolution("SET", lexicon().set_words[c.part("word").lower()])


def set_every(c: Candidate, ctx: Context) -> Resolution | None:
    target = c.part("unit").lower()
    lex = lexicon()
    every = 2 if (c.part("other") or "").lower() == "other" else 1
    amount = parse_number(c.part("num")) if c.part("num") else every
    if target in lex.seasons:
        return Resolution("SET", f"XXXX-{lex.seasons[target]}")
    if target in lex.parts_of_day:
        return Resolution("SET", f"XXXX-XX-XXT{lex.parts_of_day[target]}")
    try:
        return Resolution("SET", f"XXXX-WXX-{lex.weekday_number(target)}")
    except KeyError:
        pass
    try:
        return Resolution("SET", f"XXXX-{lex.month_number(target):02d}")
    except KeyError:
        pass
    if amount is None:
        return None
    return Resolution("SET", duration_value(amount, target))


def set_freq(c: Candidate, ctx: Context) -> Resolution | None:
    return Resolution("SET", duration_value(1, c.part("unit")))


def set_weekdays(c: Candidate, ctx: Context) -> Resolution | None:
    if ctx.previous_word() not in ("on", "every", "most", "some", "all", "the", "other"):
        return None
    return Resolution("SET", f"XXXX-WXX-{lexicon().weekday_number(c.part('wd'))}")


def reference(c: Candidate, ctx: Context) -> Resolution | None:
    phrase = " ".join(c.part("ref").lower().replace("’", "'").split())
    value, kind = lexicon().reference_words[phrase]
    return Resolution(kind, value)


def holiday(c: Candidate, ctx: Context) -> Resolution | None:
    name = " ".join(c.part("name").lower().replace("’", "'").split())
    rule = lexicon().holidays.get(name) or lexicon().holidays.get(name.replace("'", ""))
    if rule is None:
        return None
    year_value = _year(c.part("y"))
    if year_value:
        return Resolution("DATE", an.holiday_date(rule, year_value).isoformat())
    if ctx.dct is None:
        return Resolution(
            "DATE",
            "XXXX-" + an.holiday_date(rule, 2001).strftime("%m-%d")
            if "-" in rule and rule[0].isdigit()
            else UNKNOWN_DAY,
            anchor="no dct",
            confidence=0.5,
        )
    rel = _rel(c)
    direction = {
        "last": "past",
        "this past": "past",
        "past": "past",
        "previous": "past",
        "next": "future",
        "coming": "future",
        "this coming": "future",
    }.get(rel)
    direction = direction or (_direction(ctx) if ctx.tense else None)
    options = [an.holiday_date(rule, y) for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)]
    if direction == "past":
        options = [d for d in options if d < ctx.dct] or options
        found = max(options)
    elif direction == "future":
        options = [d for d in options if d > ctx.dct] or options
        found = min(options)
    else:
        found = min(options, key=lambda d: abs((d - ctx.dct).days))
    return Resolution("DATE", found.isoformat(), anchor="dct", confidence=0.7)


def week_of(c: Candidate, ctx: Context) -> Resolution | None:
    inner = month_day(c, ctx)
    if inner is None or not re.fullmatch(r"\d{4}-\d\d-\d\d", inner.value or ""):
        return Resolution("DATE", "XXXX-WXX", anchor="no dct", confidence=0.4)
    return Resolution(
        "DATE", an.week_value(dt.date.fromisoformat(inner.value)), anchor=inner.anchor
    )


# --- clock times ---------------------------------------------------------------------------


def clock(c: Candidate, ctx: Context) -> Resolution | None:
    time_text = _clock_of(c)
    if time_text is None:
        return None
    day_value, anchor = _clock_day(c, ctx)
    return Resolution("TIME", f"{day_value}T{time_text}", anchor=anchor)


def _clock_of(c: Candidate) -> str | None:
    if c.part("named"):
        return {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[c.part("named").lower()]
    if c.part("h24"):
        return _clock_text(c.part("h24"), c.part("mi24"), c.part("s24"))
    if c.part("hw") or c.part("hp"):
        hour = parse_number(c.part("hw") or c.part("hp"))
        if not isinstance(hour, float) or not 1 <= hour <= 12:
            return None
        hour = int(hour)
        if c.part("pod") and c.part("pod").lower() in ("afternoon", "evening") and hour < 12:
            hour += 12
        return f"{hour:02d}:00"
    hour = int(c.part("h"))
    if not 1 <= hour <= 12:
        return None
    pm = c.part("ampm").lower().startswith("p")
    hour = hour % 12 + (12 if pm else 0)
    return _clock_text(str(hour), c.part("mi") or "00", c.part("s"))


def _clock_text(hour: str, minute: str | None, second: str | None) -> str:
    text = f"{int(hour):02d}:{minute or '00'}"
    return f"{text}:{second}" if second else text


def _clock_day(c: Candidate, ctx: Context) -> tuple[str, str]:
    """The day a clock time is on: the date written next to it, a date just before, or the dct."""
    for other in c.attached:
        resolved = NORMALISERS[other.kind](other, ctx)
        if resolved and resolved.value:
            return resolved.value.split("T")[0], f'"{ctx.text[other.start : other.end]}"'

    if (
        ctx.ref.last_day is not None
        and ctx.ref.last_day_end is not None
        and c.start - ctx.ref.last_day_end < 120
    ):
        return ctx.ref.last_day.isoformat(), ctx.ref.last_day_text or "previous date"
    if ctx.dct:
        return ctx.dct.isoformat(), "dct"
    return UNKNOWN_DAY, "no dct"


# --- small shared pieces -------------------------------------------------------------------


def _rel(c: Candidate) -> str:
    return " ".join((c.part("rel") or "").lower().split())


def _pod_code(word: str | None) -> str | None:
    if not word:
        return None
    return lexicon().parts_of_day.get(" ".join(word.lower().split()))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


NORMALISERS: dict[str, Callable[[Candidate, Context], Resolution | None]] = {
    "iso_date": iso_date,
    "numeric_date": numeric_date,
    "month_day": month_day,
    "day_month": day_month,
    "ordinal_day": ordinal_day,
    "year": year,
    "spoken_year": spoken_year,
    "decade": decade,
    "decade_short": decade_short,
    "century": century,
    "quarter": quarter,
    "quarter_abbrev": quarter_abbrev,
    "year_end": year_end,
    "year_ago_adj": year_ago_adj,
    "deictic": deictic,
    "this_pod": this_pod,
    "weekday": weekday,
    "relative_unit": relative_unit,
    "unit_dir": unit_dir,
    "duration": duration,
    "units_bare": units_bare,
    "set_word": set_word,
    "set_every": set_every,
    "set_freq": set_freq,
    "set_weekdays": set_weekdays,
    "reference": reference,
    "season": season,
    "holiday": holiday,
    "week_of": week_of,
    "clock": clock,
}
assert NORMALISERS.keys() >= DAY_KINDS


def resolve(
    candidate: Candidate, text: str, ref: an.Reference, doc: Doc | None = None
) -> Resolution | None:
    """The TIMEX3 reading of a candidate in its document, or None if it is not a timex there."""
    ctx = Context(text, doc, ref, candidate)
    resolution = NORMALISERS[candidate.kind](candidate, ctx)
    if resolution is not None and candidate.mod and resolution.mod is None:
        resolution.mod = candidate.mod
    return resolution
