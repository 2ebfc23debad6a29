"""Temporal tagging: every TIMEX3 expression of a text, normalised on the publication date.

`tag_timexes` finds DATE, TIME, DURATION and SET expressions with the rule grammar in
`patterns`, joins pieces that form one expression ("10 p.m. Wednesday"), adds leading
modifiers ("early", "more than"), and gives each a TimeML value with `normalise`, reading
the text left to right so anaphoric expressions ("the next day") see the dates before them.
`main_event_date` (in `dating`) picks the date of the event a document reports.

Needs: the text, its document creation time (publication date) if known, and optionally the
spaCy Doc of the same text, whose parse gives the tense that places "on Friday".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING

from storyline.model import EventDate, Timex
from storyline.temporal.amounts import parse_ordinal
from storyline.temporal.anchoring import Reference
from storyline.temporal.dating import main_event_date
from storyline.temporal.lexicon import lexicon
from storyline.temporal.normalise import Resolution, resolve
from storyline.temporal.patterns import (
    DAY_KINDS,
    Candidate,
    find_candidates,
    leading_modifier,
    modifier_scope,
)
from storyline.temporal.tense import event_verb

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["EventDate", "Timex", "main_event_date", "tag_timexes"]

SPAN_KINDS = frozenset({"duration", "units_bare"})
UNMODIFIABLE_KINDS = frozenset(
    {"reference", "set_word", "set_every", "set_freq", "set_weekdays", "year_end", "year_ago_adj"}
)
_CLOCK_THEN_DAY = re.compile(r"\s*,?\s*(?:on\s+)?")
_DAY_THEN_CLOCK = re.compile(r"\s*,?\s*")
_APPOSITION_OPEN = re.compile(r"\s*[(\[]\s*")
_APPOSITION_CLOSE = re.compile(r"\s*[)\]]")
_FULL_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_YEAR = re.compile(r"(\d{4})(?:$|-)")
_MONTH = re.compile(r"(\d{4})-(\d\d)(?:$|-)")
_QUARTER = re.compile(r"-Q\d$")
_ELLIPTICAL_ORDINAL = re.compile(
    r"(?<![\w-])(?:the|its|their)\s+(?P<ord>[a-z]+|\d(?:st|nd|rd|th))\s+(?:and|or|&)\s+$", re.I
)
_ELLIPTICAL_DAY = re.compile(
    r"\s+(?:and|or|&)\s+(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?=\s*[,.;:)!?](?!\d)|\s*$)"
)


def tag_timexes(text: str, dct: dt.date | None, doc: Doc | None = None) -> list[Timex]:
    """All TIMEX3 expressions of `text` with TimeML values anchored on `dct` (None: unknown).

    Offsets are character offsets into `text`. With `doc` (the spaCy parse of the same text)
    the tense of each clause comes from the parse; without it from lexical cues.
    """

    def accept(candidate: Candidate) -> bool:
        return resolve(candidate, text, Reference(dct, screening=True), doc) is not None

    found = _add_elliptical_days(text, find_candidates(text, accept))
    candidates = _attach_modifiers(text, _join_pieces(text, _add_elliptical_quarters(text, found)))
    ref = Reference(dct)
    timexes = []
    for candidate in candidates:
        resolution = resolve(candidate, text, ref, doc)
        if resolution is None:
            continue
        _shift_by_day_phrase(text, candidate, resolution)
        _remember(ref, resolution, candidate, text, doc)
        timexes.append(
            Timex(
                start=candidate.start,
                end=candidate.end,
                text=text[candidate.start : candidate.end],
                type=resolution.type,  # type: ignore[arg-type]
                value=resolution.value,
                mod=resolution.mod,
                anchor=resolution.anchor,
                confidence=resolution.confidence,
            )
        )
    return timexes


def _shift_by_day_phrase(text: str, candidate: Candidate, resolution: Resolution) -> None:
    """Take "the day before" into a date's extent and move its day: "the day before last
    Tuesday's hearing" is the Monday."""
    day = _FULL_DAY.fullmatch(resolution.value or "")
    if day is None or resolution.type != "DATE":
        return
    match = _day_shift_before().search(text, max(0, candidate.start - 30), candidate.start)
    if match is None:
        return
    shift = lexicon().day_shifts[" ".join(match.group("phrase").lower().split())]
    try:
        moved = dt.date(*(int(part) for part in day.groups())) + dt.timedelta(days=shift)
    except (ValueError, OverflowError):
        return
    candidate.start = match.start("phrase")
    resolution.value = moved.isoformat()


@cache
def _day_shift_before() -> re.Pattern[str]:
    """A day-shifting phrase ending right before a timex (day_shifts.tsv)."""
    phrases = sorted(lexicon().day_shifts, key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?<![\w-])(?P<phrase>{alternation})\s+$", re.IGNORECASE)


def _add_elliptical_days(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Give a bare day number its month from the date before it: "April 24 and 25"."""
    added: list[Candidate] = []
    for index, candidate in enumerate(candidates):
        if candidate.kind not in ("month_day", "day_month") or not candidate.part("day"):
            continue
        match = _ELLIPTICAL_DAY.match(text, candidate.end)
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        if match is None or (following is not None and following.start < match.end()):
            continue
        parts = {**candidate.parts, "day": match.group("day"), "wd": None, "rel": None}
        added.append(Candidate(match.start("day"), match.end("day"), candidate.kind, parts))
    return sorted(candidates + added, key=lambda c: c.start) if added else candidates


def _add_elliptical_quarters(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Give a bare ordinal the quarter after it: "the second and fourth quarters"."""
    added: list[Candidate] = []
    for candidate in candidates:
        mods = (candidate.part("mods") or "").split()
        if candidate.kind != "quarter" or len(mods) != 1 or parse_ordinal(mods[0]) is None:
            continue
        match = _ELLIPTICAL_ORDINAL.search(text, max(0, candidate.start - 20), candidate.start)
        if match is None or parse_ordinal(match.group("ord")) is None:
            continue
        parts = {**candidate.parts, "det": None, "mods": match.group("ord") + " "}
        added.append(Candidate(match.start("ord"), match.end("ord"), candidate.kind, parts))
    return sorted(candidates + added, key=lambda c: c.start) if added else candidates


def _join_pieces(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Join a clock time and the day next to it into one TIME ("10 p.m. Wednesday", "Feb 08, 2024
    16:25 UTC"), and give a weekday the date written in apposition ("Wednesday (15/6/2022)")."""
    joined: list[Candidate] = []
    index = 0
    while index < len(candidates):
        current = candidates[index]
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        if following is not None:
            gap = text[current.end : following.start]
            clock_day = (
                current.kind == "clock"
                and following.kind in DAY_KINDS
                and _CLOCK_THEN_DAY.fullmatch(gap)
            )
            day_clock = (
                current.kind in DAY_KINDS
                and following.kind == "clock"
                and _DAY_THEN_CLOCK.fullmatch(gap)
            )
            if clock_day or day_clock:
                clock, day = (current, following) if clock_day else (following, current)
                joined.append(
                    Candidate(current.start, following.end, "clock", clock.parts, attached=[day])
                )
                index += 2
                continue
            if (
                current.kind == "weekday"
                and following.kind in DAY_KINDS - {"weekday", "deictic"}
                and _APPOSITION_OPEN.fullmatch(gap)
                and _APPOSITION_CLOSE.match(text, following.end)
            ):
                current.attached.append(following)
        joined.append(current)
        index += 1
    for clock, apposition in zip(joined, joined[1:], strict=False):
        if (
            clock.kind == apposition.kind == "clock"
            and not clock.attached
            and apposition.attached
            and _APPOSITION_OPEN.fullmatch(text[clock.end : apposition.start])
        ):
            clock.attached.extend(apposition.attached)  # "at 4 in the morning (4 a.m. Thursday)"
            apposition.tense_span = (clock.start, clock.end)
    return joined


def _attach_modifiers(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Take a modifier right before a timex into its extent and mod ("early next year": START)."""
    previous_end = 0
    for candidate in candidates:
        if candidate.kind not in UNMODIFIABLE_KINDS:
            found = leading_modifier(text, candidate.start)
            if found and found[0] >= previous_end and _modifier_fits(found[1], candidate, text):
                candidate.start, candidate.mod = found[0], found[2]
        previous_end = candidate.end
    return candidates


def _modifier_fits(phrase: str, candidate: Candidate, text: str) -> bool:
    scope = modifier_scope(phrase)
    is_span = candidate.kind in SPAN_KINDS
    if scope == "any":
        return True
    if scope == "span":
        return is_span and not text[candidate.start : candidate.end].lower().startswith("the ")
    return not is_span


def _remember(
    ref: Reference, resolution: Resolution, candidate: Candidate, text: str, doc: Doc | None
) -> None:
    """Update the reference state with a resolved date, for later anaphoric expressions."""
    value = resolution.value or ""
    if _QUARTER.search(value):
        ref.period = "quarter"
    elif resolution.type == "DURATION" and value in ("P6M", "P9M", "P1Y"):
        ref.period = "year"
    if resolution.type not in ("DATE", "TIME") or resolution.counted:
        return
    day = _FULL_DAY.match(value)
    if day:
        ref.last_day = dt.date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
        ref.last_day_text = text[candidate.start : candidate.end]
        ref.last_day_end = candidate.end
        verb = event_verb(doc, candidate.start, candidate.end) if doc is not None else None
        if verb is not None:
            ref.day_of_verb[verb] = (ref.last_day, ref.last_day_text)
    year = _YEAR.match(value)
    if year:
        ref.last_year = int(year.group(1))
    month = _MONTH.match(value)
    if month:
        ref.last_month = (int(month.group(1)), int(month.group(2)))
