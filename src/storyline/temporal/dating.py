"""The date of the event a document reports, from its headline and lead, with evidence.

News puts the when of its main event in the headline or the first sentences ("Xi told Putin
on Wednesday ..."). This stage reads the timexes there, skips publication metadata lines
("Published: Jun 16, 2022", "(last modified ...)"), and picks the most specific date that
is not a mere reference point ("since February 24"). It returns the value, the evidence
span, a confidence and the reasoning in words. The publication date alone is weak evidence
(an article reports the previous day's events as often as the same day's), so it is only a
low-confidence fallback; with no anchor at all the value is None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storyline.model import EventDate, Timex
from storyline.temporal.lexicon import lexicon

LEAD_SENTENCES = 4
LEAD_MAX_CHARS = 1200
HEADLINE_SEARCH_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(]?[A-Z0-9]|\s*$)")
_WORD = re.compile(r"\w+")
_DAY = re.compile(r"(\d{4}|XXXX)-(\d\d)-(\d\d)")
_MONTH = re.compile(r"(\d{4}|XXXX)-(\d\d)$")
_WEEKDAY_ONLY = re.compile(r"XXXX-WXX-\d")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_LEADING_MARKS = "•·*-–—([ "
# Words that may come before a bare clock time ("shortly after 7 p.m.").
CLOCK_MODIFIERS = ("about", "around", "approximately", "roughly", "nearly", "at", "shortly",
                   "just", "before", "after", "until", "by")
_CLOCK_ONLY = re.compile(
    r"(?:(?:" + "|".join(CLOCK_MODIFIERS) + r")\s+)*"
    r"(?:\d{1,2}(?::\d\d)?\s*(?:[ap]\.?\s?m\b\.?|o'clock)?|noon|midnight)",
    re.IGNORECASE,
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# How specific a clue is: a full date, a day without its year, a weekday alone, a month.
FULL_DAY, DAY_WITHOUT_YEAR, WEEKDAY_ONLY, MONTH_ONLY = 3, 2, 1, 0


@dataclass
class Clue:
    """A timex that may date the main event, with where it was found and how specific it is."""

    timex: Timex
    day: str
    place: str
    in_text: bool
    reference_point: bool
    rank: int


def main_event_date(
    text: str, title: str | None, timexes: list[Timex], dct: dt.date | None
) -> EventDate:
    """The document's main event date from its headline and lead sentences, with evidence."""
    headline = _headline_span(text, title)
    clues = _headline_clues(text, title, headline, timexes, dct)
    spans = lead_spans(text, headline)
    clues += [
        clue
        for t in timexes
        if any(s <= t.start < e for s, e in spans) and (clue := _clue(t, text, "lead", True))
    ]
    if clues:
        best = max(
            enumerate(clues), key=lambda ic: (not ic[1].reference_point, ic[1].rank, -ic[0])
        )[1]
        return _dated(best, text, timexes, dct)
    if dct is not None:
        return EventDate(
            value=dct.isoformat(),
            confidence=0.3,
            reasoning=(
                f"no date in the headline or lead; only the publication date "
                f"{_weekday(dct)} {dct.isoformat()}, which is weak evidence: articles "
                f"report the previous day's events as often as the same day's"
            ),
        )
    return EventDate(
        value=None,
        confidence=0.0,
        reasoning="no date in the headline or lead and no publication date",
    )


# --- where to look -----------------------------------------------------------------------


def _headline_span(text: str, title: str | None) -> tuple[int, int] | None:
    """Where the headline is in the text: the title near the top, else an opening line that
    is not a sentence."""
    if title:
        start = text.find(title.strip(), 0, HEADLINE_SEARCH_CHARS + len(title))
        return (start, start + len(title.strip())) if start >= 0 else None
    stripped = text.lstrip()
    first_line = stripped.split("\n", 1)[0].strip()
    if first_line and not _SENTENCE_END.search(first_line) and not _is_metadata(first_line):
        start = text.index(first_line)
        return start, start + len(first_line)
    return None


def _headline_clues(
    text: str,
    title: str | None,
    headline: tuple[int, int] | None,
    timexes: list[Timex],
    dct: dt.date | None,
) -> list[Clue]:
    if headline is not None:
        start, end = headline
        return [
            c for t in timexes if start <= t.start < end and (c := _clue(t, text, "headline", True))
        ]
    if not title:
        return []
    from storyline.temporal import tag_timexes  # the tagger itself, for a title outside the text

    return [c for t in tag_timexes(title, dct) if (c := _clue(t, title, "headline", False))]


def lead_spans(text: str, headline: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """The character spans of the lead: the first sentences of prose, without the headline,
    repeated headlines and publication metadata lines."""
    repeated = _normal(text[headline[0] : headline[1]]) if headline else None
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        content = line.strip()
        if not content or _is_metadata(content) or (headline and start < headline[1]):
            continue
        if repeated and _normal(content) in repeated:
            continue  # the headline again, as sites print it above the article
        spans.append((start, end))
        if _sentences_in(text, spans) >= LEAD_SENTENCES or end - spans[0][0] > LEAD_MAX_CHARS:
            break
    return _cut_after_sentences(text, spans)


def _sentences_in(text: str, spans: list[tuple[int, int]]) -> int:
    return sum(len(_SENTENCE_END.findall(text, start, end)) for start, end in spans)


def _cut_after_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Trim the last span so the lead ends with its last counted sentence."""
    count = 0
    for index, (start, end) in enumerate(spans):
        for match in _SENTENCE_END.finditer(text, start, end):
            count += 1
            if count == LEAD_SENTENCES:
                return spans[:index] + [(start, match.end())]
    return spans


def _is_metadata(line: str) -> bool:
    """A line of publication metadata: "Published: ...", "By ...", a URL, a bare date line."""
    words = _WORD.findall(line)
    if _URL.search(line) and len(words) < 12:
        return True
    lowered = line.lower().lstrip(_LEADING_MARKS)
    for cue in lexicon().dating_cues["metadata"]:
        cue = cue.lstrip("(")
        if lowered.startswith(cue) and not lowered[len(cue) : len(cue) + 1].isalpha():
            return True
    return (
        len(words) <= 8 and sum(w.isdigit() for w in words) >= 2 and not _SENTENCE_END.search(line)
    )


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


# --- which clue, and why -----------------------------------------------------------------


def _clue(timex: Timex, source: str, place: str, in_text: bool) -> Clue | None:
    """A timex as a dating clue, if it names a day, a weekday or a month."""
    if timex.type not in ("DATE", "TIME") or not timex.value:
        return None
    value = timex.value.split("T")[0]
    day = _DAY.match(value)
    if day:
        rank = FULL_DAY if day.group(1) != "XXXX" else DAY_WITHOUT_YEAR
    elif _WEEKDAY_ONLY.match(value):
        rank = WEEKDAY_ONLY
    elif _MONTH.match(value):
        rank = MONTH_ONLY
    else:
        return None
    before = _WORD.findall(source[max(0, timex.start - 16) : timex.start].lower())
    if _follows(before, lexicon().dating_cues["stamp"]):
        return None  # "(Published Wednesday, Jan. 21, 2015)": the page's date, not the event's
    not_event = lexicon().dating_cues["not_event"]
    return Clue(timex, value, place, in_text, _follows(before, not_event), rank)


def day_is_guessed(timex: Timex) -> bool:
    """A bare clock time ("at 7 p.m.") dated by the publication day alone."""
    return timex.anchor == "dct" and bool(_CLOCK_ONLY.fullmatch(timex.text.strip()))


def _follows(words: list[str], cues: frozenset[str]) -> bool:
    """Whether the words end with one of the cues (of one or two words)."""
    return bool(words) and (words[-1] in cues or " ".join(words[-2:]) in cues)


def _dated(clue: Clue, text: str, timexes: list[Timex], dct: dt.date | None) -> EventDate:
    timex = clue.timex
    evidence = _evidence(timex, text, timexes) if clue.in_text else timex.text
    quoted = f'"{evidence}" ({clue.place})'
    value = clue.day
    if clue.rank == FULL_DAY and timex.anchor == "dct" and dct is not None:
        reasoning = f"{quoted} + published {_weekday(dct)} {dct.isoformat()} -> {value}"
        if value == dct.isoformat():
            reasoning += " (the day of publication)"
        confidence = 0.85 if timex.confidence >= 0.9 else 0.75  # lower when the tense was a guess
        if day_is_guessed(timex):
            reasoning += "; a clock time names no day, so the day is a guess"
            confidence = 0.5
    elif clue.rank == FULL_DAY and timex.anchor and timex.anchor != "no dct":
        reasoning = f"{quoted}, dated by {timex.anchor} -> {value}"
        confidence = 0.9 if evidence != timex.text else 0.75
    elif clue.rank == FULL_DAY:
        reasoning = f"{quoted} -> {value}"
        confidence = 0.95
    elif clue.rank == DAY_WITHOUT_YEAR:
        reasoning = (
            f"{quoted} gives the day but not the year, and there is no publication date "
            f"-> {value}; the year is uncertain (take it from the event)"
        )
        confidence = 0.6
    elif clue.rank == WEEKDAY_ONLY:
        reasoning = f"{quoted} names only a weekday and there is no publication date -> {value}"
        confidence = 0.3
    else:
        reasoning = f"{quoted} names only a month -> {value}"
        confidence = 0.4
    if clue.reference_point:
        reasoning += "; it follows a word that makes it a reference point, not the event itself"
        confidence /= 2
    start, end = (timex.start, timex.start + len(evidence)) if clue.in_text else (None, None)
    return EventDate(
        value=value,
        confidence=round(confidence, 2),
        reasoning=reasoning,
        start=start,
        end=end,
        text=evidence,
    )


def _evidence(timex: Timex, text: str, timexes: list[Timex]) -> str:
    """The timex text, extended over a date in apposition: "Wednesday (15/6/2022)"."""
    day = (timex.value or "").split("T")[0]
    for other in timexes:
        close = 0 < other.start - timex.end <= 3
        if close and other.value and other.value.split("T")[0] == day:
            closing = text.find(")", other.end, other.end + 2)
            return text[timex.start : closing + 1 if closing >= 0 else other.end]
    return timex.text


def _weekday(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]
