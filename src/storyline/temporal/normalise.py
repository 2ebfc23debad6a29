"""What temporal expressions mean: the TimeML TIMEX3 type and value of each matched candidate.

One function per rule kind turns the rule's parts into a `Resolution` (type, value, mod and
what it was anchored on), using the document's `Reference` (publication date, last date
mentioned, fiscal quarter under discussion) and the tense of the clause. A function returns
None to reject a match that is not a temporal expression in its context: "a year" is one in
"for a year", not in "a year of turmoil"; "Jan" is one in "Jan 8", not in "Jan Kavan". Without a
publication date, relative values stay partial (XXXX-06-15, XXXX-WXX-3) rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from storyline.temporal import anchoring as an
from storyline.temporal import dates
from storyline.temporal.amounts import duration_value, parse_number, parse_ordinal, parse_year
from storyline.temporal.lexicon import lexicon
from storyline.temporal.patterns import DAY_KINDS, Candidate, leading_modifier, modifier_scope
from storyline.temporal.tense import (
    FUTURE_AUX,
    MODAL_AUX,
    Tense,
    event_verb,
    hangs_on_past_verb,
    in_simple_past,
    is_scheduled_present,
    noun_dated,
    tense_at,
    tense_from_parse,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

UNKNOWN_DAY = "XXXX-XX-XX"
QUOTE_MARKS = frozenset({'"', "“", "`", "'"})
POD_SUFFIX = {"MO": "TMO", "AF": "TAF", "EV": "TEV", "NI": "TNI"}
# Parts of day TimeBank writes into a weekday's value ("Friday evening": 2000-01-07TEV); for
# "Friday night" and "Friday morning" its annotators mostly give the day alone.
WRITTEN_PARTS_OF_DAY = frozenset({"AF", "EV"})
PARTIAL_VALUES = {
    "year": "XXXX",
    "month": "XXXX-XX",
    "week": "XXXX-WXX",
    "quarter": "XXXX-QX",
    "decade": "XXX",
    "century": "XX",
}
DEICTIC_OFFSETS = {
    "today": 0,
    "tonight": 0,
    "yesterday": -1,
    "tomorrow": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
PREVIOUS_YEAR_WORDS = frozenset(
    {"year-ago", "year-earlier", "year ago", "year earlier", "year-before", "prior-year"}
)
REFERRING_WORDS = frozenset(
    {"latest", "recent", "most recent", "same", "comparable", "corresponding"}
)
_FISCAL_YEAR_END = re.compile(r"\s+(?:ended|ending|that\s+ended|to\s+date)\b", re.IGNORECASE)
_QUARTER_ENDED = re.compile(r"\s+(?:that\s+)?(?:ended|ending|ends|to)\s+([A-Z][a-z]+\.?)\s+\d")
# Units whose bare "a week" is an amount of time without a cue ("gave him a week to withdraw").
BARE_DURATION_UNITS = frozenset({"week", "month", "decade", "year", "day", "hour"})
_WORDS = re.compile(r"[\w’',.]+")
_COMMA = re.compile(r"\s*,")
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_OLD = re.compile(r"\s+old\b", re.IGNORECASE)
_OF_IN_TO = re.compile(r"\s+(?:of|in|to)\b", re.IGNORECASE)
_DIRECTION_AFTER = re.compile(r"\s+(?:of|ago|later|earlier|before|after|apart)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\w’'%]+(?:-[\w’'%]+)*)\W*$")  # "drive-by", not "by"
_LOWER_WORD_AFTER = re.compile(r"\s+[a-z]")
_CLAUSE_BREAK = re.compile(r"[.;:!?]\s")
_POSSESSIVE = re.compile(r"['’]s\b")
_HAD = re.compile(r"\bhad\b|'d\b", re.IGNORECASE)
_OF_FOR_NAME = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?[A-Z]")
_FULL_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_APPOSITION_COMMA = re.compile(r"\s*,\s*")
_OF_AFTER_NOUN = re.compile(r"(?<![\w'’])(?:the|a|an)\s+[a-z]+\s+of\s+$")
_POSSESSIVE_WORDS = re.compile(r"['’]s\s+([a-z]+)(?:\s+([a-z]+))?")
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"”’]?\s+|\n)\s*$")
_NAME_BEFORE = re.compile(r"(?<![\w'’])[A-Z][\w'’&-]*[ \t]+$")
_COMPOUND_TO = re.compile(r"-to-(?!date\b)\w", re.IGNORECASE)
# A determiner before a date that modifies a noun ("an April 7 shooting"), and up to two
# modifiers between the date and the noun ("the Aug. 22 triple homicide"), not function words.
_DETERMINER_BEFORE = re.compile(
    r"(?<![\w'’])(?:a|an|the|this|that|his|her|their|its|our)\s+$", re.IGNORECASE
)
_NOUN_AFTER = re.compile(
    r"(?:\s+(?!(?:of|for|to|in|on|at|and|or|with|by|from|as|when|after|before)\b)[a-z][\w'’-]*){1,3}"
)
_WORD_AFTER = re.compile(r"\W*?([\w’']+)")
_HEADLINE_START = re.compile(r"\s+[A-Z0-9\"'“‘]")
_MODS = re.compile(
    r"year[-\s](?:ago|earlier)|year-before|prior-year|most\s+recent|fiscal-\w+|[\w']+"
)


@dataclass
class Resolution:
    """A normalised timex: TIMEX3 type and value, optional mod, and what anchored it."""

    type: str
    value: str | None
    mod: str | None = None
    anchor: str | None = None
    confidence: float = 1.0
    counted: bool = False  # counted from another date ("a year earlier"): not a new anchor


@dataclass
class Context:
    """A candidate in its document: the text, the optional parse and the reference state."""

    text: str
    doc: Doc | None
    ref: an.Reference
    candidate: Candidate

    @property
    def tense_span(self) -> tuple[int, int]:
        return self.candidate.tense_span or (self.candidate.start, self.candidate.end)

    @cached_property
    def tense(self) -> Tense:
        return tense_at(self.text, *self.tense_span, self.doc)

    @cached_property
    def parsed_tense(self) -> Tense:
        """The tense the parse alone gives, without the word cues' guess."""
        if self.doc is None:
            return None
        return tense_from_parse(self.doc, *self.tense_span)

    def is_noun_modifier(self) -> bool:
        """Whether the parse makes the timex modify a noun ("November transactions")."""
        if self.doc is None:
            return False
        span = self.doc.char_span(self.candidate.start, self.candidate.end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("compound", "nmod", "amod")

    @property
    def direction(self) -> Tense:
        """The tense, except that a deadline ("by May", "until mid-November") looks ahead unless
        a past perfect or a simple past puts it behind ("had filed reports by Wednesday", "did
        not report the attack until Wednesday"); what was put off is ahead ("postponed until
        Saturday"), and so is the day a change takes effect ("a new pact effective June 1")."""
        if self.previous_word() in lexicon().cues("takes_effect") and not self._past_perfect():
            return "future"
        if self.previous_word() in lexicon().cues("deadline") and not self._past_perfect():
            simple_past = self.doc is not None and in_simple_past(self.doc, *self.tense_span)
            return "past" if simple_past else "future"
        return self.tense

    def dates_incident(self) -> bool:
        """Whether the timex modifies an unplanned happening ("an April 7 shooting", "a Saturday
        night shooting", "his arrest June 29"), which news reports once it has happened."""
        incidents = lexicon().cues("incident")
        start = self.candidate.start
        noun = noun_dated(self.doc, start, self.candidate.end) if self.doc is not None else None
        if noun is not None:  # "his arrest June 29", but not "the May 28 court date"
            return noun in incidents
        if not _DETERMINER_BEFORE.search(self.text, max(0, start - 8), start):
            return False
        match = _NOUN_AFTER.match(self.text, self.candidate.end)
        return bool(match) and bool(set(match.group().split()) & incidents)

    def dates_past_event(self) -> bool:
        """Whether the timex dates something past: an unplanned happening, or an adjunct of a verb
        in the past ("was killed Nov. 2"), not of an adjective ("declared ..., payable Dec. 7")."""
        if self.dates_incident():
            return True
        return self.doc is not None and hangs_on_past_verb(self.doc, *self.tense_span)

    def follows_ahead_of(self) -> bool:
        """Whether "ahead of" (or the like) stands right before: "ahead of the weekend"."""
        start = self.candidate.start
        return bool(_ahead_of().search(self.text, max(0, start - 30), start))

    def looks_back(self) -> bool:
        """Whether the word before points back: "since May 9", "the year ended Jan. 31"."""
        return self.previous_word() in lexicon().cues("backward")

    def _past_perfect(self) -> bool:
        """A "had" in the sentence around the timex: "had filed by Wednesday", "Until Thursday,
        they had not called him"."""
        start, end = self.candidate.start, self.candidate.end
        before = _CLAUSE_BREAK.split(self.text[max(0, start - 80) : start])[-1]
        after = _CLAUSE_BREAK.split(self.text[end : end + 40])[0]
        return bool(_HAD.search(before) or _HAD.search(after))

    @property
    def dct(self) -> dt.date | None:
        return self.ref.dct

    def previous_word(self) -> str:
        start = self.candidate.start
        match = _WORD_BEFORE.search(self.text, max(0, start - 30), start)
        return match.group(1).lower() if match else ""

    def quantity_before(self) -> bool:
        """A number or a measure right before: "$500 million a year", "twice a week"."""
        word = self.previous_word()
        return bool(word) and (
            word[-1].isdigit() or word[-1] == "%" or word in lexicon().cues("quantity")
        )

    def count_before_noun(self) -> bool:
        """A count of things right before, which makes "a week" a rate: "700 seats a week"."""
        words = _WORDS.findall(self.text, max(0, self.candidate.start - 40), self.candidate.start)
        if len(words) < 2:
            return False
        count = words[-2].lower()
        return count[-1].isdigit() or lexicon().numbers.get(count, "1") not in ("1", "X")

    def followed_by(self, regex: re.Pattern[str]) -> bool:
        return bool(regex.match(self.text, self.candidate.end))


@cache
def _ahead_of() -> re.Pattern[str]:
    """A phrase right before a timex that puts it ahead of the story ("ahead of", context_cues)."""
    phrases = sorted(lexicon().cues("ahead"), key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternation})\s+(?:the\s+)?$", re.IGNORECASE)


@cache
def _address_after() -> re.Pattern[str]:
    """What follows a house or block number: "block", or a street name ending in "Street"."""
    lex = lexicon()
    blocks = "|".join(re.escape(w) for w in sorted(lex.cues("address"), key=len, reverse=True))
    streets = "|".join(re.escape(w) for w in sorted(lex.cues("street"), key=len, reverse=True))
    return re.compile(
        rf"""(?:\s*(?:-|\s(?:and|to|or|through)\s)\s*\d{{2,5}})?\s+(?i:hundred\s+)?(?i:{blocks})\b
        |\s+(?:(?i:north|south|east|west)\s+|[NSEW]\.?\s+)?(?:[A-Z0-9][\w'’.-]*\s+){{1,3}}
         (?i:{streets})(?![\w])""",
        re.VERBOSE,
    )


@cache
def _of_a_day() -> re.Pattern[str]:
    """ "of" and a day after a stretch of it: "(the early hours) of Thursday", "of Jan. 9"."""
    lex = lexicon()
    days = [d.word for d in lex.weekdays] + [m.word for m in lex.months]
    days += ["today", "yesterday", "tomorrow", *lex.parts_of_day]
    alternation = "|".join(re.escape(w) for w in sorted(days, key=len, reverse=True))
    return re.compile(rf"\s+of\s+(?:the\s+|that\s+|last\s+)?(?:{alternation})\b", re.IGNORECASE)


@cache
def _vehicle_make_after() -> re.Pattern[str]:
    """A car maker's name right after a year (context_cues.tsv, vehicle_make)."""
    makes = sorted(lexicon().cues("vehicle_make"), key=len, reverse=True)
    alternation = "|".join(re.escape(m) for m in makes)
    return re.compile(rf"\s+(?=[A-Z])(?i:{alternation})(?![\w-])")


@cache
def deictic_shift() -> dict[str, int]:
    """ "last", "next", "this": how many units they move from the publication date."""
    return lexicon().relative("dct")


@cache
def anaphoric_shift() -> dict[str, int]:
    """ "the following", "the previous", "that": how far from the last date the text named."""
    return lexicon().relative("text")


@cache
def backward_words() -> frozenset[str]:
    return frozenset(p for p, word in lexicon().relative_words.items() if word.shift < 0)


@cache
def forward_words() -> frozenset[str]:
    return frozenset(p for p, word in lexicon().relative_words.items() if word.shift > 0)


def resolve(
    candidate: Candidate, text: str, ref: an.Reference, doc: Doc | None = None
) -> Resolution | None:
    """The TIMEX3 reading of a candidate in its document, or None if it is not a timex there."""
    if _COMPOUND_TO.match(text, candidate.end):
        return None  # "quarter-to-quarter comparison", "day-to-day": an adjective, not a time
    try:
        resolution = NORMALISERS[candidate.kind](candidate, Context(text, doc, ref, candidate))
    except (ValueError, OverflowError):  # a date moved past year 1 or 9999 has no value
        return None
    if resolution is not None and candidate.mod and resolution.mod is None:
        resolution.mod = candidate.mod
    return resolution


# --- calendar dates ------------------------------------------------------------------------


def iso_date(c: Candidate, ctx: Context) -> Resolution | None:
    day = _safe_date(int(c.part("y")), int(c.part("m")), int(c.part("d")))
    if day is None:
        return None
    if c.part("h24"):
        clock = _clock_text(c.part("h24"), c.part("mi24"), c.part("s24"))
        return Resolution("TIME", f"{day.isoformat()}T{clock}")
    return Resolution("DATE", day.isoformat())


def numeric_date(c: Candidate, ctx: Context) -> Resolution | None:
    """15/6/2022, 6/15/22, 15.06.2022: day and month are told apart by range, else by the dct."""
    a, b = int(c.part("a")), int(c.part("b"))
    year = int(c.part("y"))
    if year < 100:
        year += 2000 if year <= 40 else 1900
    readings = [d for d in (_safe_date(year, b, a), _safe_date(year, a, b)) if d is not None]
    if not readings:
        return None
    if c.part("sep") == "/" and len(readings) == 2:
        readings.reverse()  # month first, as in American usage, unless the dct says otherwise
    if ctx.dct and len(readings) == 2:
        readings.sort(key=lambda d: abs((d - ctx.dct).days))
    return Resolution("DATE", readings[0].isoformat())


def month_day(c: Candidate, ctx: Context) -> Resolution | None:
    """A month name with a day ("June 15", "Friday, Oct. 23"), with a year ("June 1990", "July
    last year") or alone ("in June")."""
    if c.part("year_only"):
        return _month_of_year(c)
    if c.part("yrel"):
        return _month_of_relative_year(c, ctx)
    if not c.part("day"):
        return _month(c, ctx)
    number = lexicon().month_number(c.part("month"))
    day = parse_ordinal(c.part("day"))
    if day is None or not 1 <= day <= 31:
        return None
    year = parse_year(c.part("y"))
    if year is not None:
        found = _safe_date(year, number, day)
        return Resolution("DATE", found.isoformat()) if found else None
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{number:02d}-{day:02d}", anchor="no dct", confidence=0.6)
    past = ctx.dates_past_event()  # "was killed Nov. 2", "an April 7 shooting"
    found = _year_of_weekday(ctx.dct, number, day, c.part("wd")) or an.month_day_near(
        ctx.dct, number, day, None if past else ctx.direction, behind=past or ctx.looks_back()
    )
    if found is None:
        return None
    return Resolution("DATE", found.isoformat(), anchor="dct", confidence=0.9)


def day_month(c: Candidate, ctx: Context) -> Resolution | None:
    return month_day(c, ctx)


def _year_of_weekday(dct: dt.date, month: int, day: int, weekday: str | None) -> dt.date | None:
    """The year near the dct in which "Friday, Oct. 23" is a Friday."""
    if not weekday:
        return None
    number = lexicon().weekday_number(weekday)
    dates = (_safe_date(year, month, day) for year in range(dct.year - 1, dct.year + 2))
    matching = [d for d in dates if d and d.isoweekday() == number]
    return min(matching, key=lambda d: abs((d - dct).days)) if matching else None


def _month_of_year(c: Candidate) -> Resolution | None:
    year = parse_year(c.part("year_only"))
    if year is None:
        return None
    return Resolution("DATE", dates.month_value(year, lexicon().month_number(c.part("month"))))


def _month_of_relative_year(c: Candidate, ctx: Context) -> Resolution:
    number = lexicon().month_number(c.part("month"))
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{number:02d}", anchor="no dct", confidence=0.5)
    year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[c.part("yrel").lower()]
    return Resolution("DATE", dates.month_value(year, number), anchor="dct")


def _month(c: Candidate, ctx: Context) -> Resolution | None:
    word = c.part("month")
    number = lexicon().month_number(word)
    rel = _rel(c)
    if rel == "that" or (lexicon().is_abbreviated_month(word) and not word.endswith(".")):
        return None  # "Jan Kavan": an abbreviation without its dot is a month only in a date
    if ctx.followed_by(_OF_FOR_NAME):
        return None  # "the March for Life", "the March of the Mothers"
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{number:02d}", anchor="no dct", confidence=0.6)
    dct = ctx.dct
    if rel in backward_words():
        # "last February" on March 1: the month just ended would be "last month", so the
        # name points a year further back
        just_ended = (dct.month - number) % 12 == 1
        year = dct.year if number < dct.month else dct.year - 1
        year -= 1 if just_ended and rel == "last" else 0
    elif rel in forward_words():
        year = dct.year if number > dct.month else dct.year + 1
    elif rel == "this":
        year = dct.year
    else:
        year, _ = an.month_near(dct, number, _month_direction(ctx, number))
    return Resolution("DATE", dates.month_value(year, number), anchor="dct", confidence=0.85)


def _month_direction(ctx: Context, number: int) -> Tense:
    """The way a bare month points: ahead in a future clause or after "by", "until"; behind only
    when the parse puts the verb it hangs on in the past ("was fired in March") or it dates an
    incident ("the October slaying"). The coming month is ahead even after a past verb ("told
    companies of a cutback in September", written in August): eleven months back, news writes
    "last September"."""
    if ctx.looks_back() or ctx.dates_incident():
        return "past"
    if ctx.previous_word() in lexicon().cues("span_end"):
        return None  # "loans through January": the verb's tense does not place the month
    if ctx.previous_word() not in lexicon().cues("deadline") and ctx.is_noun_modifier():
        return None  # "a June agreement": the tense is the clause's, not the month's
    direction = ctx.direction
    if direction == "past" and (
        ctx.parsed_tense != "past" or (ctx.dct and (number - ctx.dct.month) % 12 == 1)
    ):
        return None
    return direction if direction != "present" else None


def day_of_stretch(c: Candidate, ctx: Context) -> Resolution:
    """ "the second day of an offensive": the day the story is on, counted within a stretch."""
    day, anchor = _story_day(c, ctx)
    return Resolution("DATE", day, anchor=anchor, confidence=0.6, counted=True)


def ordinal_day(c: Candidate, ctx: Context) -> Resolution | None:
    """ "on the 15th": a day of the publication month (or the one before or after, by tense)."""
    if ctx.previous_word() not in ("on", "by", "until", "till", "since", "from", "before", "after"):
        return None
    if ctx.followed_by(_LOWER_WORD_AFTER):
        return None  # "the 15th largest"
    day = parse_ordinal(c.part("day"))
    if not day or day > 31:
        return None
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-XX-{day:02d}", anchor="no dct", confidence=0.5)
    month_start = ctx.dct.replace(day=1)
    if ctx.tense == "future" and day < ctx.dct.day:
        month_start = dates.add_months(month_start, 1)
    elif ctx.tense != "future" and day > ctx.dct.day:
        month_start = dates.add_months(month_start, -1)
    found = _safe_date(month_start.year, month_start.month, day)
    return Resolution("DATE", found.isoformat(), anchor="dct", confidence=0.6) if found else None


def year(c: Candidate, ctx: Context) -> Resolution | None:
    value = int(c.part("y"))
    if not c.part("fiscal") and not 1000 <= value <= 2099:
        return None
    if not c.part("fiscal") and ctx.followed_by(_address_after()):
        return None  # "the 1700 block of Godman Street", "1900 N. Main St.": a place
    if (
        not c.part("fiscal")
        and ctx.followed_by(_vehicle_make_after())
        and ctx.previous_word() not in lexicon().cues("year_preposition")
    ):
        return None  # "Kopp's 1987 Chevrolet Cavalier": a model year
    return Resolution("DATE", f"{value:04d}", mod="ON_OR_AFTER" if c.part("after") else None)


def spoken_year(c: Candidate, ctx: Context) -> Resolution | None:
    value = parse_year(c.part("spoken"))
    if value is None or not 1000 <= value <= 2099:
        return None
    return Resolution("DATE", f"{value:04d}")


def decade(c: Candidate, ctx: Context) -> Resolution:
    return Resolution("DATE", c.part("dy")[:3])


def decade_short(c: Candidate, ctx: Context) -> Resolution:
    """ "the '80s", "the nineties": the 20th century's decade unless the dct is past it."""
    word = c.part("word")
    tens = lexicon().decades[word.lower()] if word else int(c.part("short")) // 10
    recent = ctx.dct is not None and ctx.dct.year >= 2000 and tens * 10 <= ctx.dct.year % 100
    return Resolution("DATE", f"{20 if recent and tens < 3 else 19}{tens}")


def century(c: Candidate, ctx: Context) -> Resolution | None:
    number = parse_ordinal(c.part("ord"))
    if not number or number > 30:
        return None
    return Resolution("DATE", f"{number - 1:02d}")


# --- fiscal quarters and halves ------------------------------------------------------------


@dataclass
class PeriodPhrase:
    """What a fiscal-period phrase says: "the year-ago third quarter", "next year's first half"."""

    unit: str
    det: str
    words: list[str]
    number: int | None
    year: int | None
    year_shift: int
    previous_year: bool
    names_year: bool


def _period_phrase(c: Candidate) -> PeriodPhrase:
    text = (c.part("mods") or "").replace("-", " - ")
    words = [" ".join(m.lower().split()) for m in _MODS.findall(text)]
    words = [w for w in words if w != "-"]
    years = [int(w) for w in words if w.isdigit()]
    years += [int(y) for y in (c.part("yposs"), c.part("y")) if y]
    relative = c.part("yrel") or c.part("yrel2")
    previous_year = (
        bool(c.part("ago"))
        or any(w in PREVIOUS_YEAR_WORDS for w in words)
        or ("year" in words and ("ago" in words or "earlier" in words))
    )
    return PeriodPhrase(
        unit=c.part("unit").lower(),
        det=(c.part("det") or "").lower(),
        words=words,
        number=next((n for n in map(_quarter_number, words) if n), None),
        year=years[0] if years else None,
        year_shift={"this": 0, "last": -1, "next": 1}[relative.lower()] if relative else 0,
        previous_year=previous_year,
        names_year=bool(c.part("yrel") or c.part("yposs")),
    )


def _quarter_number(word: str) -> int | None:
    """1-4 from "third", "3rd", "fiscal-third" or a quarter's last month ("September quarter")."""
    word = word.removeprefix("fiscal-")
    number = parse_ordinal(word)
    if number and 1 <= number <= 4:
        return number
    try:
        month_number = lexicon().month_number(word)
    except KeyError:
        return None
    return month_number // 3 if month_number % 3 == 0 and len(word) > 3 else None


def quarter(c: Candidate, ctx: Context) -> Resolution | None:
    phrase = _period_phrase(c)
    if phrase.unit == "quarters":  # "the second and fourth quarters (of 2021)"
        if phrase.number is None:
            return None
        if phrase.year:
            return Resolution("DATE", f"{phrase.year}-Q{phrase.number}")
        return Resolution("SET", f"XXXX-Q{phrase.number}")
    if not _names_a_period(phrase):
        return None
    if phrase.unit == "half" and c.part("decade"):
        return _half_of_decade(phrase, c.part("decade"), ctx)
    if phrase.unit == "half":
        return _half(phrase, ctx)
    ending = None if phrase.number else _quarter_ending(ctx)
    if ending and ctx.ref.quarter_named and not phrase.year:
        ending = None  # "the fiscal first quarter ... the quarter ended Sept. 30": the same one
    number = phrase.number or ending
    if number is None:
        return _referred_quarter(phrase, ctx)
    return _numbered_quarter(phrase, number, ctx)


def quarter_span(c: Candidate, ctx: Context) -> Resolution:
    """ "the first two quarters of 1990": that year's first half; "the first three quarters": nine
    months, as a span."""
    count = 2 if c.part("n").lower() in ("two", "2") else 3
    year_written = parse_year(c.part("y"))
    if count == 2 and year_written:
        half = 1 if c.part("edge").lower() == "first" else 2
        return Resolution("DATE", f"{year_written}-H{half}")
    return Resolution("DURATION", f"P{3 * count}M")


def quarter_abbrev(c: Candidate, ctx: Context) -> Resolution:
    year_written = int(c.part("y")) if c.part("y") else None
    phrase = PeriodPhrase(
        "quarter", "", [], int(c.part("q") or c.part("q2")), year_written, 0, False, False
    )
    return _numbered_quarter(phrase, phrase.number, ctx)


def _names_a_period(phrase: PeriodPhrase) -> bool:
    """Whether the phrase names a fiscal period: "the quarter" does, "a quarter" does not."""
    if not phrase.words and phrase.det in ("", "a") and not phrase.names_year:
        return False
    if phrase.unit in ("period", "half") and not (
        phrase.words
        and (
            phrase.number
            or phrase.year
            or phrase.previous_year
            or set(phrase.words) & (REFERRING_WORDS | {"last", "first", "second"})
        )
    ):
        return False
    return not (phrase.det == "a" and not phrase.number)


def _half(phrase: PeriodPhrase, ctx: Context) -> Resolution | None:
    if "first" in phrase.words:
        half = 1
    elif set(phrase.words) & {"second", "last", "final", "latter"}:
        half = 2
    else:
        return None
    if phrase.year:
        return Resolution("DATE", f"{phrase.year}-H{half}")
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-H{half}", anchor="no dct", confidence=0.5)
    year = ctx.dct.year + phrase.year_shift
    if not phrase.year_shift and half == 2 and ctx.dct.month <= 6 and ctx.tense != "future":
        year -= 1
    return Resolution("DATE", f"{year}-H{half}", anchor="dct")


def _half_of_decade(phrase: PeriodPhrase, decade_text: str, ctx: Context) -> Resolution | None:
    """ "the last half of the '80s": the decade, its end (TimeML writes the decade, 198)."""
    digits = decade_text.strip("'s")
    if len(digits) == 4:
        value = digits[:3]
    else:
        value = decade_short(Candidate(0, 0, "decade_short", {"short": digits}), ctx).value
    words = set(phrase.words)
    mod = "START" if "first" in words else "END" if words & {"second", "last", "latter"} else None
    return Resolution("DATE", value, mod=mod) if mod else None


def _numbered_quarter(phrase: PeriodPhrase, number: int, ctx: Context) -> Resolution:
    """ "the third quarter": of the dct's year, or the year before when it cannot have begun."""
    ref = ctx.ref
    if phrase.year:
        year = phrase.year
    elif phrase.previous_year and ref.quarter:
        year = ref.quarter[0] - 1
    elif ctx.dct is None:
        return Resolution("DATE", f"XXXX-Q{number}", anchor="no dct", confidence=0.5)
    else:
        year = ctx.dct.year + phrase.year_shift - (1 if phrase.previous_year else 0)
        current = dates.quarter_of(ctx.dct)
        if (
            not phrase.year_shift
            and number > current
            and ctx.tense != "future"
            and (ctx.tense == "past" or number - current >= 2)
        ):
            year -= 1
    ended = ctx.dct is None or dates.add_months(dt.date(year, 3 * number - 2, 1), 3) <= ctx.dct
    reported = ended or ctx.tense == "past" or _QUARTER_ENDED.match(ctx.text, ctx.candidate.end)
    if reported and not (phrase.det == "a" and ref.quarter):
        # "After a flat second quarter" is an aside: the quarter under discussion stays
        ref.quarter = (year, number)  # a reported quarter, which later phrases refer back to
        ref.quarter_text = f"Q{number} {year}"
        ref.quarter_named = phrase.number == number and _fiscal_numbering(phrase, number, ctx)
    return Resolution("DATE", f"{year}-Q{number}", anchor=None if phrase.year else "dct")


def _fiscal_numbering(phrase: PeriodPhrase, number: int, ctx: Context) -> bool:
    """Whether a numbered quarter counts a fiscal year: "the fiscal first quarter", or "its
    fourth quarter ended June 30", whose end month is not that of the calendar quarter."""
    if any(word.startswith("fiscal") for word in phrase.words):
        return True
    ending = _quarter_ending(ctx)
    return ending is not None and ending != number


def _quarter_ending(ctx: Context) -> int | None:
    """The quarter of "the quarter ended Sept. 30": the one whose middle month precedes it."""
    match = _QUARTER_ENDED.match(ctx.text, ctx.candidate.end)
    if not match:
        return None
    try:
        month_number = lexicon().month_number(match.group(1))
    except KeyError:
        return None
    return (month_number - 2) % 12 // 3 + 1


def _referred_quarter(phrase: PeriodPhrase, ctx: Context) -> Resolution:
    """A quarter named without its number: "the quarter", "the latest period", "this quarter"."""
    ref = ctx.ref
    if ctx.dct is None and ref.quarter is None:
        return Resolution("DATE", f"{phrase.year or 'XXXX'}-QX", anchor="no dct", confidence=0.4)
    anchor = ref.quarter_text or "last completed quarter before dct"
    if phrase.year:
        number = ref.default_quarter()[1]
        return Resolution("DATE", f"{phrase.year}-Q{number}", anchor=anchor, confidence=0.6)
    words = set(phrase.words)
    current = (ctx.dct.year, dates.quarter_of(ctx.dct)) if ctx.dct else ref.quarter
    if words & {"current", "this"} or (
        phrase.det == "this" and not words and ctx.tense == "future"
    ):
        (year, number), anchor = current, "dct"
    elif words & {"next", "coming", "upcoming"}:
        (year, number), anchor = _next_quarter(current), "dct"
    elif words & {"previous", "preceding", "prior", "last", "past"} and not phrase.previous_year:
        year, number = _next_quarter(ref.default_quarter(), -1)
    elif words & {"latest", "recent", "most recent"} and ref.quarter is None:
        year, number = an.Reference(ctx.dct).default_quarter()
        anchor = "last completed quarter before dct"
    else:
        year, number = ref.default_quarter()
    year += phrase.year_shift - (1 if phrase.previous_year else 0)
    return Resolution("DATE", f"{year}-Q{number}", anchor=anchor, confidence=0.7)


def _next_quarter(quarter_: tuple[int, int], step: int = 1) -> tuple[int, int]:
    index = quarter_[0] * 4 + quarter_[1] - 1 + step
    return index // 4, index % 4 + 1


def year_end(c: Candidate, ctx: Context) -> Resolution:
    if ctx.dct is None:
        return Resolution("DATE", "XXXX", mod="END", anchor="no dct", confidence=0.4)
    return Resolution("DATE", f"{ctx.dct.year}", mod="END", anchor="dct", confidence=0.7)


def year_ago_adj(c: Candidate, ctx: Context) -> Resolution:
    """ "year-earlier results": the quarter under discussion a year before, else last year."""
    if ctx.ref.quarter:
        year_, number = ctx.ref.quarter
        return Resolution(
            "DATE",
            f"{year_ - 1}-Q{number}",
            anchor=ctx.ref.quarter_text,
            confidence=0.7,
            counted=True,
        )
    if ctx.dct is None:
        return Resolution("DATE", "XXXX", anchor="no dct", confidence=0.3, counted=True)
    return Resolution("DATE", f"{ctx.dct.year - 1}", anchor="dct", confidence=0.6, counted=True)


# --- days relative to the publication date ------------------------------------------------


def deictic(c: Candidate, ctx: Context) -> Resolution | None:
    if ctx.text[c.start].isupper() and _NAME_BEFORE.search(ctx.text, max(0, c.start - 40), c.start):
        return None  # "USA Today", "This is VOA Today": a title, not the day
    word = " ".join(c.part("word").lower().split())
    if word in ("today", "tomorrow") and _stands_for_the_age(c, ctx):
        return None
    pod = _pod_code(c.part("pod") or c.part("pod_before")) or ("NI" if word == "tonight" else None)
    day = ctx.dct + dt.timedelta(days=DEICTIC_OFFSETS[word]) if ctx.dct else None
    anchor = "dct" if ctx.dct else "no dct"
    if pod:
        return Resolution("TIME", _day_or_partial(day) + POD_SUFFIX[pod], anchor=anchor)
    return Resolution("DATE", _day_or_partial(day), anchor=anchor)


def _stands_for_the_age(c: Candidate, ctx: Context) -> bool:
    """ "in today's world", "the people of tomorrow": the present or coming age, not a day."""
    if _OF_AFTER_NOUN.search(ctx.text, max(0, c.start - 40), c.start):
        return True
    after = _POSSESSIVE_WORDS.match(ctx.text, c.end)
    generic = lexicon().cues("present_age")
    return after is not None and any(
        (word or "").lower() in generic for word in after.group(1, 2)
    )


def part_of_day(c: Candidate, ctx: Context) -> Resolution | None:
    """ "in the morning", "by mid-afternoon": that part of the day the story is on."""
    if ctx.previous_word() not in lexicon().cues("part_of_day"):
        return None
    pod = _pod_code(c.part("pod"))
    if pod is None or not (c.part("the") or c.part("pod").lower().startswith("mid")):
        return None  # "in the morning", "by mid-afternoon"; a bare "morning" is too vague
    day, anchor = _story_day(c, ctx)
    return Resolution("TIME", day + POD_SUFFIX[pod], anchor=anchor, confidence=0.6)


def this_pod(c: Candidate, ctx: Context) -> Resolution | None:
    """ "this morning", "last night": a TIME on the dct; "the next morning": a DATE, anaphoric."""
    rel = _rel(c)
    pod = _pod_code(c.part("pod"))
    if pod is None or (rel == "last" and pod != "NI"):
        return None
    if rel in anaphoric_shift():
        if _no_antecedent(rel, ctx):
            return None  # "I will never forget that night": no day named before, no date
        base, anchor = ctx.ref.anaphoric_day()
        day = base + dt.timedelta(days=anaphoric_shift()[rel]) if base else None
        return Resolution("DATE", _day_or_partial(day), anchor=anchor or "no anchor")
    offset = {"last": -1, "yesterday": -1, "tomorrow": 1}.get(rel, 0)
    day = ctx.dct + dt.timedelta(days=offset) if ctx.dct else None
    anchor = "dct" if ctx.dct else "no dct"
    return Resolution("TIME", _day_or_partial(day) + POD_SUFFIX[pod], anchor=anchor)


def day_of_event(c: Candidate, ctx: Context) -> Resolution:
    """ "the day after his death": a day from the last one the story named, the event's own;
    in apposition to that date ("Oct. 12, the day before the crash") the date itself. With no
    day named yet the event is undated, and so is the expression. The event's day stays the
    anchor of what follows ("... the night before the shooting")."""
    ref = ctx.ref
    if ref.last_day is None or ref.last_day_end is None:
        return Resolution("DATE", UNKNOWN_DAY, anchor="no anchor", confidence=0.3)
    anchor = ref.last_day_text or "previous date"
    apposition = _APPOSITION_COMMA.fullmatch(ctx.text, ref.last_day_end, c.start)
    shift = 0 if apposition else 1 if c.part("dir").lower() == "after" else -1
    day = (ref.last_day + dt.timedelta(days=shift)).isoformat()
    pod = _pod_code(c.part("unit"))
    kind, value = ("TIME", day + POD_SUFFIX[pod]) if pod else ("DATE", day)
    return Resolution(kind, value, anchor=anchor, confidence=0.6, counted=True)


def weekday(c: Candidate, ctx: Context) -> Resolution:
    """ "on Wednesday": the past one in news unless the clause looks ahead; "next Friday".

    "Friday evening" is a DATE with its part of day (2022-06-17TEV); "Friday night" and
    "Friday morning" have the day alone, as TimeBank's annotators mostly write them.
    """
    number = lexicon().weekday_number(c.part("wd"))
    rel = _rel(c)
    shared = _plural_weekday_after().match(ctx.text, c.end)
    if shared and not rel and not c.part("pod"):  # "on Monday and Tuesday nights": both a SET
        pod = _pod_code(shared.group("pod"))
        return Resolution("SET", f"XXXX-WXX-{number}" + (POD_SUFFIX[pod] if pod else ""))
    written = _written_day(c, ctx)
    if written is not None:
        day, source = written
        return Resolution(
            "DATE",
            day.isoformat(),
            anchor=f'"{source}" next to it',
            confidence=1.0 if day.isoweekday() == number else 0.5,
        )
    if rel in ("the previous", "the following", "that"):
        base, anchor = ctx.ref.anaphoric_day()
        direction: Tense = "future" if rel == "the following" else "past"
        strict = rel != "that"
    else:
        base, anchor = ctx.dct, "dct"
        strict = rel in backward_words() | forward_words()
        if rel in backward_words():
            direction = "past"
        elif rel in forward_words():
            direction = "future"
        else:
            scheduled = ctx.direction in (None, "present") and is_scheduled_present(
                ctx.doc, c.start, c.end
            )  # "Arafat meet separately Monday"
            ahead = (ctx.direction == "future" or scheduled) and not (
                ctx.followed_by(_POSSESSIVE) or ctx.dates_incident()
            )
            direction = "future" if ahead else "past"  # "Wednesday's ruling" is done
    if base is None:
        return Resolution("DATE", f"XXXX-WXX-{number}", anchor="no dct", confidence=0.5)
    day = an.weekday_near(base, number, direction, strict=strict)
    confidence = 0.9 if rel or ctx.tense else 0.75
    pod = _pod_code(c.part("pod"))
    suffix = POD_SUFFIX[pod] if pod in WRITTEN_PARTS_OF_DAY else ""
    return Resolution("DATE", day.isoformat() + suffix, anchor=anchor, confidence=confidence)


@cache
def _plural_weekday_after() -> re.Pattern[str]:
    """A plural weekday joined to the one before, whose plural it shares: "Monday and Tuesday
    nights", "Saturday or Sunday mornings"."""
    lex = lexicon()
    days = "|".join(d.word for d in lex.weekdays if "abbr" not in d.flags)
    pods = "|".join(sorted(lex.parts_of_day, key=len, reverse=True))
    return re.compile(rf"\s+(?:and|or)\s+(?:{days})(?:\s+(?P<pod>{pods}))?s\b", re.IGNORECASE)


def _written_day(c: Candidate, ctx: Context) -> tuple[dt.date, str] | None:
    """The date written in apposition to a weekday, "Wednesday (15/6/2022)", with its text."""
    for other in c.attached:
        resolved = NORMALISERS[other.kind](other, ctx)
        if resolved and resolved.value and _FULL_DAY.fullmatch(resolved.value):
            return dt.date.fromisoformat(resolved.value), ctx.text[other.start : other.end]
    return None


# --- relative and anaphoric units ----------------------------------------------------------


def relative_unit(c: Candidate, ctx: Context) -> Resolution | None:
    """ "last week", "this year", "the following month", "that day", "the weekend"."""
    rel = _rel(c)
    unit = c.part("unit").lower()
    if c.part("unit")[0].isupper() and ctx.text[c.start - 1 : c.start] in QUOTE_MARKS:
        return None  # "This Week With David Brinkley": a title in quotes
    if unit in lexicon().seasons:
        return _relative_season(rel, lexicon().seasons[unit], ctx)
    if unit == "day":
        return _anaphoric_day(rel, ctx)
    if unit == "weekend":
        return _weekend(rel, ctx)
    if rel == "the":
        return _the_unit(unit, c, ctx)
    if unit in ("decade", "century") and rel in backward_words() | forward_words():
        return Resolution("DURATION", duration_value(1, unit))  # "the past decade"
    if rel in anaphoric_shift():
        base = _anaphoric_base(unit, ctx)
        if base is None:
            return Resolution("DATE", PARTIAL_VALUES[unit], anchor="no anchor", confidence=0.3)
        granularity = "year" if unit in ("decade", "century") else unit
        value = dates.point_value(dates.shift(base[0], anaphoric_shift()[rel], unit), granularity)
        return Resolution("DATE", value, anchor=base[1], confidence=0.6)
    if rel not in deictic_shift():
        return None
    if ctx.dct is None:
        return Resolution("DATE", PARTIAL_VALUES[unit], anchor="no dct", confidence=0.4)
    day = dates.shift(ctx.dct, deictic_shift()[rel], unit)
    return Resolution("DATE", dates.point_value(day, unit), anchor="dct")


def _anaphoric_base(unit: str, ctx: Context) -> tuple[dt.date, str] | None:
    """The point "the following month" or "that year" counts from: the last one the text named."""
    if unit == "year" and ctx.ref.last_year is not None:
        return dt.date(ctx.ref.last_year, 7, 1), str(ctx.ref.last_year)
    if unit == "month" and ctx.ref.last_month is not None:
        year_, month_number = ctx.ref.last_month
        return dt.date(year_, month_number, 1), dates.month_value(year_, month_number)
    base, anchor = ctx.ref.anaphoric_day()
    return (base, anchor) if base else None


def _the_unit(unit: str, c: Candidate, ctx: Context) -> Resolution | None:
    """ "the week", "the month", "the year": the current one; "the year ended Sept. 30" a span."""
    if unit == "year" and c.mod is None and ctx.followed_by(_FISCAL_YEAR_END):
        return Resolution("DURATION", "P1Y")
    if unit not in ("week", "month", "year") and c.mod not in ("START", "END", "MID"):
        return None
    if ctx.dct is None:
        return Resolution(
            "DATE", PARTIAL_VALUES.get(unit, UNKNOWN_DAY), anchor="no dct", confidence=0.4
        )
    if unit == "week" and c.mod is None:
        # "For the week, the index fell": the week just ended or the current one, unsaid
        return Resolution("DATE", f"{ctx.dct.year}-WXX", anchor="dct", confidence=0.5)
    return Resolution("DATE", dates.point_value(ctx.dct, unit), anchor="dct", confidence=0.6)


def _anaphoric_day(rel: str, ctx: Context) -> Resolution | None:
    if rel not in anaphoric_shift():
        return None  # "the day", "this day"
    if _no_antecedent(rel, ctx):
        return None  # "strong redemptions that day": no day named before, a generic day
    base, anchor = ctx.ref.anaphoric_day()
    if base is None:
        return Resolution("DATE", UNKNOWN_DAY, anchor="no anchor", confidence=0.3)
    day = base + dt.timedelta(days=anaphoric_shift()[rel])
    return Resolution("DATE", day.isoformat(), anchor=anchor, confidence=0.7)


def _no_antecedent(rel: str, ctx: Context) -> bool:
    """Whether "that day", "the same night" has no day named before it to refer to."""
    return anaphoric_shift()[rel] == 0 and ctx.ref.last_day is None and not ctx.ref.screening


def _weekend(rel: str, ctx: Context) -> Resolution:
    if ctx.dct is None:
        return Resolution("DATE", "XXXX-WXX-WE", anchor="no dct", confidence=0.4)
    if rel in backward_words():
        saturday = an.weekday_near(ctx.dct - dt.timedelta(days=1), 6, "past")
    elif rel in forward_words():
        saturday = an.weekday_near(ctx.dct + dt.timedelta(days=1), 6, "future")
    elif ctx.dct.isoweekday() >= 6:
        saturday = an.weekday_near(ctx.dct, 6, "past")
    else:
        looking_ahead = rel != "the" or ctx.direction == "future" or ctx.follows_ahead_of()
        saturday = an.weekday_near(ctx.dct, 6, "future" if looking_ahead else "past")
    return Resolution("DATE", f"{dates.week_value(saturday)}-WE", anchor="dct", confidence=0.7)


def unit_dir(c: Candidate, ctx: Context) -> Resolution | None:
    """ "the day before", "the year after": one unit from the last date the text named."""
    unit = lexicon().unit(c.part("unit"))
    if unit.granularity not in ("day", "week", "month", "year"):
        return None
    step = 1 if c.part("dir").lower() in ("after", "later") else -1
    base = _anaphoric_base(unit.granularity, ctx)
    if base is None:
        return Resolution(
            "DATE",
            PARTIAL_VALUES.get(unit.granularity, UNKNOWN_DAY),
            anchor="no anchor",
            confidence=0.3,
        )
    day = dates.shift(base[0], step, unit.granularity)
    return Resolution(
        "DATE", dates.point_value(day, unit.granularity), anchor=base[1], confidence=0.6
    )


# --- seasons and holidays ------------------------------------------------------------------


def season(c: Candidate, ctx: Context) -> Resolution | None:
    code = lexicon().seasons[c.part("season").lower()]
    year_written = parse_year(c.part("y"))
    if year_written:
        return Resolution("DATE", f"{year_written}-{code}")
    rel = _rel(c)
    if not rel and (code == "FA" or not _season_context(ctx)):
        return None  # "fall" the verb, "summer camp"
    return _relative_season(rel, code, ctx)


def _relative_season(rel: str, season_code: str, ctx: Context) -> Resolution | None:
    if (rel == "the" and not _season_context(ctx)) or rel in ("that", "the same", "that same"):
        return None
    if ctx.dct is None:
        return Resolution("DATE", f"XXXX-{season_code}", anchor="no dct", confidence=0.4)
    if rel in ("this", "current", "the current"):
        in_winter_tail = season_code == "WI" and ctx.dct.month <= 2
        year_ = ctx.dct.year - 1 if in_winter_tail else ctx.dct.year
    elif rel in forward_words():
        year_ = an.season_near(ctx.dct, season_code, "future", strict=True)
    elif rel in backward_words():
        year_ = an.season_near(ctx.dct, season_code, "past", strict=True)
    else:
        direction = "future" if ctx.tense == "future" else "past"
        year_ = an.season_near(ctx.dct, season_code, direction, strict=False)
    return Resolution("DATE", f"{year_}-{season_code}", anchor="dct", confidence=0.7)


def _season_context(ctx: Context) -> bool:
    """ "in the summer", "during winter" name a season; "the fall of the Wall" does not."""
    return ctx.previous_word() in lexicon().cues("season") and not ctx.followed_by(_OF_IN_TO)


def holiday(c: Candidate, ctx: Context) -> Resolution | None:
    name = " ".join(c.part("name").lower().replace("’", "'").split())
    rule = lexicon().holidays.get(name) or lexicon().holidays.get(name.replace("'", ""))
    if rule is None:
        return None
    year_written = parse_year(c.part("y"))
    if year_written:
        found = dates.holiday_date(rule, year_written)
        return Resolution("DATE", dates.week_value(found) if c.part("week") else found.isoformat())
    if ctx.dct is None:
        fixed = rule[:1].isdigit() and "-" in rule
        value = dates.holiday_date(rule, 2001).strftime("XXXX-%m-%d") if fixed else UNKNOWN_DAY
        return Resolution("DATE", value, anchor="no dct", confidence=0.5)
    rel = _rel(c)
    if rel in backward_words():
        direction: Tense = "past"
    elif rel in forward_words():
        direction = "future"
    else:
        direction = ("future" if ctx.tense == "future" else "past") if ctx.tense else None
    options = [dates.holiday_date(rule, y) for y in range(ctx.dct.year - 1, ctx.dct.year + 2)]
    if c.part("week"):  # "as Easter week began": the holiday's week nearest the publication
        found = min(options, key=lambda d: abs((d - ctx.dct).days))
        return Resolution("DATE", dates.week_value(found), anchor="dct", confidence=0.7)
    if direction == "past":
        found = max([d for d in options if d < ctx.dct] or options)
    elif direction == "future":
        found = min([d for d in options if d > ctx.dct] or options)
    else:
        found = min(options, key=lambda d: abs((d - ctx.dct).days))
    return Resolution("DATE", found.isoformat(), anchor="dct", confidence=0.7)


def week_of(c: Candidate, ctx: Context) -> Resolution:
    inner = month_day(c, ctx)
    if inner is None or not _FULL_DAY.fullmatch(inner.value or ""):
        return Resolution("DATE", "XXXX-WXX", anchor="no dct", confidence=0.4)
    return Resolution(
        "DATE", dates.week_value(dt.date.fromisoformat(inner.value)), anchor=inner.anchor
    )


# --- amounts of time: durations and "ago" ---------------------------------------------------


def duration(c: Candidate, ctx: Context) -> Resolution | None:
    """An amount of time ("three years", "a four-hour"), or a date that far from an anchor when
    a direction follows ("two weeks ago", "a year earlier")."""
    if c.part("dir"):
        return _ago(c, ctx)
    amount = parse_number(c.part("num"))
    if amount is None:
        return None
    word = c.part("num").lower()
    unit_word = c.part("unit").lower()
    hyphenated = "-" in c.part("sep")
    if word == "one" and unit_word == "day":
        if ctx.previous_word() in FUTURE_AUX | MODAL_AUX:
            return Resolution("DATE", "FUTURE_REF")  # "Islam will one day be ..."
        if _SENTENCE_START.search(ctx.text, max(0, c.start - 4), c.start) and not ctx.followed_by(
            _DIRECTION_AFTER
        ):
            return None  # "One day, he left": a day of the story, not an amount
    bare_article = word in ("a", "an") and not (
        c.part("det") or c.part("rel") or c.part("half") or c.part("suffix") or hyphenated
    )
    duration_cue = ctx.previous_word() in lexicon().cues("duration") or _span_modifier_before(ctx)
    if (
        bare_article
        and ctx.quantity_before()
        and unit_word in ("day", "week", "month", "year", "hour")
    ):
        return Resolution("SET", duration_value(1, unit_word))  # "$5 million a year"
    if (
        bare_article
        and not (duration_cue or c.mod)
        and (
            ctx.followed_by(_DIRECTION_AFTER)
            or unit_word not in BARE_DURATION_UNITS
            or ctx.count_before_noun()
        )
    ):
        return None  # "a year of turmoil", "a day of mourning"; but "offered him a week to leave"
    if word in ("some", "many", "a number of", "numerous") and not (duration_cue or c.part("rel")):
        return None
    if (
        unit_word.startswith("quarter")
        and amount != "X"
        and (ctx.followed_by(_OF) or (unit_word == "quarters" and hyphenated))
    ):
        return None  # "three-quarters of its food" is a fraction
    if (c.part("suffix") or "").lower() == "old" or ctx.followed_by(_OLD):
        return None  # ages ("a 6-year-old", "52 years old") are not timexes in TimeBank
    if isinstance(amount, float) and c.part("half"):
        amount += 0.5
    if isinstance(amount, float) and amount > 10000:
        return None
    mod = "APPROX" if c.part("orso") else None
    return Resolution("DURATION", duration_value(amount, unit_word), mod=mod)


def _span_modifier_before(ctx: Context) -> bool:
    """A modifier of amounts right before ("as long as a month", "up to a year"), which makes
    the amount a duration before the modifier joins the extent."""
    found = leading_modifier(ctx.text, ctx.candidate.start)
    return found is not None and modifier_scope(found[1]) == "span"


def _ago(c: Candidate, ctx: Context) -> Resolution | None:
    """ "two weeks ago" from the dct; "a year earlier", "three days later" from the last date."""
    amount = parse_number(c.part("num"))
    unit = lexicon().unit(c.part("unit"))
    direction = " ".join(c.part("dir").lower().split())
    mod = "APPROX" if c.part("orso") else None
    if amount is None:
        return None
    backwards = direction in ("ago", "earlier", "before", "back", "previously", "prior")
    if amount == "X":
        return Resolution("DATE", "PAST_REF" if backwards else "FUTURE_REF", mod=mod)
    if (
        unit.singular == "year"
        and amount == 1
        and ctx.ref.quarter
        and backwards
        and ctx.ref.period == "quarter"
    ):
        year_, number = ctx.ref.quarter  # "a year ago" in an earnings report: that quarter
        return Resolution(
            "DATE",
            f"{year_ - 1}-Q{number}",
            mod=mod,
            anchor=ctx.ref.quarter_text,
            confidence=0.7,
            counted=True,
        )
    if direction in ("ago", "back", "hence", "from now"):
        base, anchor = ctx.dct, "dct"
    else:
        base, anchor = _anaphoric_base(unit.granularity, ctx) or (None, "no anchor")
    granularity = unit.ago_granularity
    if base is None:
        return Resolution(
            "DATE",
            PARTIAL_VALUES.get(granularity, UNKNOWN_DAY),
            mod=mod,
            anchor=anchor,
            confidence=0.3,
        )
    steps = amount * unit.step_count
    if steps != int(steps):
        return None
    day = dates.shift(base, -int(steps) if backwards else int(steps), unit.step_unit)
    return Resolution(
        "DATE",
        dates.point_value(day, granularity),
        mod=mod,
        anchor=anchor,
        confidence=0.8,
        counted=True,
    )


def units_bare(c: Candidate, ctx: Context) -> Resolution | None:
    """A unit without a number: "for years", "recent weeks", "months ago"."""
    if c.part("dir"):
        return Resolution("DATE", "PAST_REF")
    q = " ".join((c.part("q") or "").lower().split())
    unit = lexicon().unit(c.part("unit"))
    if q == "the" and not (c.part("ahead") or ctx.previous_word() in lexicon().cues("stretch")):
        return None  # "the weeks ahead", "over the years", but not "in the days before"
    if q == "the early" and ctx.followed_by(_of_a_day()):
        return None  # "in the early hours of Thursday morning": a time of that day, no span
    if q == "recent" and unit.singular == "year":
        return Resolution("DATE", "PAST_REF")
    if q == "future":
        return Resolution("DATE", "FUTURE_REF")  # "tax payments in future quarters"
    if (
        not q
        and not c.part("long")
        and not c.part("ahead")
        and ctx.previous_word() not in lexicon().cues("duration")
    ):
        return None
    if not q and ctx.followed_by(_DIRECTION_AFTER):
        return None
    if unit.singular in ("second", "night", "weekend", "season"):
        return None
    return Resolution("DURATION", duration_value("X", unit.singular))


# --- sets and vague references -------------------------------------------------------------


def set_word(c: Candidate, ctx: Context) -> Resolution:
    return Resolution("SET", lexicon().set_words[c.part("word").lower()])


def set_every(c: Candidate, ctx: Context) -> Resolution | None:
    """ "every week" P1W, "every other day" P2D, "each Thursday" XXXX-WXX-4, "each July"."""
    target = c.part("unit").lower()
    lex = lexicon()
    if target in lex.seasons:
        return Resolution("SET", f"XXXX-{lex.seasons[target]}")
    if target in lex.parts_of_day:
        return Resolution("SET", f"XXXX-XX-XXT{lex.parts_of_day[target]}")
    for number_of, template in (
        (lex.weekday_number, "XXXX-WXX-{}"),
        (lex.month_number, "XXXX-{:02d}"),
    ):
        try:
            return Resolution("SET", template.format(number_of(target)))
        except KeyError:
            pass
    every = 2 if (c.part("other") or "").lower() == "other" else 1
    amount = parse_number(c.part("num")) if c.part("num") else every
    return Resolution("SET", duration_value(amount, target)) if amount is not None else None


def set_freq(c: Candidate, ctx: Context) -> Resolution:
    return Resolution("SET", duration_value(1, c.part("unit")))


def set_weekdays(c: Candidate, ctx: Context) -> Resolution | None:
    """ "on Mondays" XXXX-WXX-1; "Tuesday nights" XXXX-WXX-2TNI, a plural that needs no cue."""
    if c.part("wd_pod"):
        pod = _pod_code(c.part("pods"))
        number = lexicon().weekday_number(c.part("wd_pod"))
        return Resolution("SET", f"XXXX-WXX-{number}" + (POD_SUFFIX[pod] if pod else ""))
    if ctx.previous_word() not in ("on", "every", "most", "some", "all", "the", "other"):
        return None
    return Resolution("SET", f"XXXX-WXX-{lexicon().weekday_number(c.part('wd'))}")


def reference(c: Candidate, ctx: Context) -> Resolution | None:
    phrase = " ".join(c.part("ref").lower().replace("’", "'").split())
    value, kind = lexicon().reference_words[phrase]
    if phrase.startswith("the ") and ctx.followed_by(_OF):
        return None  # "the future of our peoples", "the past of the party": a fate, not a time
    if (
        phrase in lexicon().cues("discourse")
        and ctx.followed_by(_COMMA)
        and _SENTENCE_START.search(ctx.text, max(0, c.start - 4), c.start)
    ):
        return None  # "Now, he says, ...": a discourse marker
    return Resolution(kind, value)


# --- clock times ---------------------------------------------------------------------------


def clock(c: Candidate, ctx: Context) -> Resolution | None:
    if c.part("named") and ctx.previous_word() in lexicon().cues("idiom_before_clock"):
        return None  # "High Noon": a film, an idiom, not noon
    if _clip_length(c, ctx):
        return None
    time_text = _clock_of(c)
    if time_text is None:
        return None
    day_value, anchor = _clock_day(c, ctx)
    return Resolution("TIME", f"{day_value}T{time_text}", anchor=anchor)


def _clip_length(c: Candidate, ctx: Context) -> bool:
    """Whether a bare "2:40" is the length of a video in a crawled page's playlist ("2:40 Zoo's
    lion cub gets acquainted with his pride Pause 1:02 Burglar steals purse"): no a.m., zone or
    day beside it, no "at" before it, and a headline or a player's word ("Pause") next to it."""
    if not c.part("h24") or c.part("s24") or c.part("tz") or c.attached:
        return False
    previous = ctx.previous_word()
    if previous in lexicon().cues("clock_before"):
        return False
    following = _WORD_AFTER.match(ctx.text, c.end)
    if following and _names_a_day(following.group(1), ctx.text, following.end()):
        return False  # "11:00 Tuesday", "9:30 Sept. 25" (not "3:45 March and prayer vigil")
    player = lexicon().cues("video_player")
    if previous in player or (following and following.group(1).lower() in player):
        return True
    return ctx.followed_by(_HEADLINE_START)


_DAY_NUMBER_AFTER = re.compile(r"\.?\s*\d")


def _names_a_day(word: str, text: str, end: int) -> bool:
    """A weekday, or a month followed by its day."""
    lex = lexicon()
    for number_of, needs_day in ((lex.weekday_number, False), (lex.month_number, True)):
        try:
            number_of(word)
        except KeyError:
            continue
        return not needs_day or bool(_DAY_NUMBER_AFTER.match(text, end))
    return False


def _clock_of(c: Candidate) -> str | None:
    if c.part("named"):
        return {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}[c.part("named").lower()]
    if c.part("h24"):
        return _clock_text(c.part("h24"), c.part("mi24"), c.part("s24"))
    if c.part("hw") or c.part("hp"):
        hour = parse_number(c.part("hw") or c.part("hp"))
        if not isinstance(hour, float) or not 1 <= hour <= 12:
            return None
        afternoon = (c.part("pod") or "").lower() in ("afternoon", "evening") and hour < 12
        return f"{int(hour) + (12 if afternoon else 0):02d}:00"
    hour = int(c.part("h"))
    if not 1 <= hour <= 12:
        return None
    pm = c.part("ampm").lower().startswith("p")
    return _clock_text(str(hour % 12 + (12 if pm else 0)), c.part("mi") or "00", c.part("s"))


def _clock_text(hour: str, minute: str | None, second: str | None) -> str:
    text = f"{int(hour):02d}:{minute or '00'}"
    return f"{text}:{second}" if second else text


def _clock_day(c: Candidate, ctx: Context) -> tuple[str, str]:
    """The day a clock time is on: the date written next to it, a date just before, or the dct."""
    for other in c.attached:
        resolved = NORMALISERS[other.kind](other, ctx)
        if resolved and resolved.value:
            return resolved.value.split("T")[0], f'"{ctx.text[other.start : other.end]}"'
    verb = event_verb(ctx.doc, c.start, c.end) if ctx.doc is not None else None
    if verb in ctx.ref.day_of_verb:
        day, source = ctx.ref.day_of_verb[verb]
        return day.isoformat(), f'"{source}", told with the same verb'
    return _story_day(c, ctx)


def _story_day(c: Candidate, ctx: Context) -> tuple[str, str]:
    """The day the story is on at a time of day: a date just before, the last day a past clause
    tells of, else the dct."""
    ref = ctx.ref
    if (
        ref.last_day is not None
        and ref.last_day_end is not None
        and (c.start - ref.last_day_end < 120 or _narrative_past(ref.last_day, ctx))
    ):
        return ref.last_day.isoformat(), ref.last_day_text or "previous date"
    if ctx.dct:
        return ctx.dct.isoformat(), "dct"
    return UNKNOWN_DAY, "no dct"


def _narrative_past(day: dt.date, ctx: Context) -> bool:
    """Whether a past-tense clause is told on the last day the story named, before publication:
    "Slepian was shot Oct. 23 ... was shot at 10 p.m." is the night of Oct. 23."""
    return ctx.tense == "past" and ctx.dct is not None and day < ctx.dct


# --- small shared pieces -------------------------------------------------------------------


def _rel(c: Candidate) -> str:
    return " ".join((c.part("rel") or "").lower().split())


def _pod_code(word: str | None) -> str | None:
    return lexicon().parts_of_day.get(" ".join(word.lower().split())) if word else None


def _day_or_partial(day: dt.date | None) -> str:
    return day.isoformat() if day else UNKNOWN_DAY


def _safe_date(year_: int, month_: int, day: int) -> dt.date | None:
    try:
        return dt.date(year_, month_, day)
    except ValueError:
        return None


NORMALISERS: dict[str, Callable[[Candidate, Context], Resolution | None]] = {
    "iso_date": iso_date,
    "numeric_date": numeric_date,
    "month_day": month_day,
    "day_month": day_month,
    "ordinal_day": ordinal_day,
    "day_of_stretch": day_of_stretch,
    "year": year,
    "spoken_year": spoken_year,
    "decade": decade,
    "decade_short": decade_short,
    "century": century,
    "quarter": quarter,
    "quarter_span": quarter_span,
    "quarter_abbrev": quarter_abbrev,
    "year_end": year_end,
    "year_ago_adj": year_ago_adj,
    "deictic": deictic,
    "part_of_day": part_of_day,
    "day_of_event": day_of_event,
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
