"""The date of the event a document reports, from its headline and lead, with evidence.

News puts the when of the main event in the headline or the first sentences ("Xi told Putin
on Wednesday ..."). This stage reads the timexes there, skipping publication metadata lines
("Published: Jun 16, 2022", "last modified ..."), and picks the most specific date that is
not a mere reference point ("since February 24"). It returns the value, the evidence span,
a confidence and the reasoning in words. The publication date alone is weak evidence (an
article reports the previous day's events as often as the same day's), so it is used only as
a low-confidence fallback; without any anchor the value is None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storyline.model import EventDate, Timex
from storyline.temporal.lexicon import lexicon

LEAD_SENTENCES = 4
LEAD_MAX_CHARS = 1200
SHORT_LINE_WORDS = 5
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(]?[A-Z0-9]|\s*$)")
_WORD = re.compile(r"\w+")
_DAY = re.compile(r"(\d{4}|XXXX)-(\d\d|XX)-(\d\d|XX)")
_MONTH = re.compile(r"(\d{4}|XXXX)-(\d\d)$")
_WEEKDAY_PARTIAL = re.compile(r"XXXX-WXX-(\d)")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass
class Clue:
    """A timex that may date the main event, with where it was found."""

    timex: Timex
    day: str
    place: str  # "headline" or "lead"
    in_text: bool
    reference_point: bool
    rank: int


def main_event_date(
    text: str, title: str | None, timexes: list[Timex], dct: dt.date | None
) -> EventDate:
    """The document's main event date from its headline and lead sentences, with evidence."""
    clues = _headline_clues(text, title, timexes, dct) + _lead_clues(text, title, timexes)
    best = _best(clues)
    if best is not None:
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


def _headline_clues(
    text: str, title: str | None, timexes: list[Timex], dct: dt.date | None
) -> list[Clue]:
    """Timexes of the headline: its span at the top of the text, or the title tagged on its own."""
    if not title:
        return []
    start = text.find(title.strip())
    if 0 <= start <= 200:
        end = start + len(title.strip())
        return [
            c for t in timexes if start <= t.start < end and (c := _clue(t, text, "headline", True))
        ]
    from storyline.temporal import tag_timexes  # the tagger, for a headline not in the text

    return [c for t in tag_timexes(title, dct) if (c := _clue(t, title, "headline", False))]


def _lead_clues(text: str, title: str | None, timexes: list[Timex]) -> list[Clue]:
    spans = lead_spans(text, title)
    return [
        c
        for t in timexes
        if any(s <= t.start < e for s, e in spans) and (c := _clue(t, text, "lead", True))
    ]


def lead_spans(text: str, title: str | None = None) -> list[tuple[int, int]]:
    """The character spans of the lead: the first sentences of prose, without the headline,
    repeated headlines and publication metadata lines."""
    spans: list[tuple[int, int]] = []
    sentences = 0
    offset = 0
    headline = _normal(title) if title else None
    for number, line in enumerate(text.splitlines(keepends=True)):
        start, end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        content = line.strip()
        if not content or _is_metadata(content):
            continue
        if headline is None and number == 0 and not _SENTENCE_END.search(content):
            headline = _normal(content)  # an untitled text opens with its headline
            continue
        if (
            headline
            and (_normal(content) in headline or headline in _normal(content))
            and len(content) < 2 * len(headline)
        ):
            continue
        spans.append((start, end))
        sentences += len(_SENTENCE_END.findall(content))
        if sentences >= LEAD_SENTENCES or end - spans[0][0] > LEAD_MAX_CHARS:
            break
    return _cut_after_sentences(text, spans)


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
    lowered = line.lower().lstrip("•·*-–—([ ")
    if _URL.search(line) and len(_WORD.findall(line)) < 12:
        return True
    for cue in lexicon().metadata_cues:
        if lowered.startswith(cue.lstrip("(")) and (
            len(lowered) == len(cue.lstrip("(")) or not lowered[len(cue.lstrip("(")) :][0].isalpha()
        ):
            return True
    words = _WORD.findall(line)
    return (
        len(words) <= 8 and sum(w.isdigit() for w in words) >= 2 and not _SENTENCE_END.search(line)
    )


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


# --- which clue --------------------------------------------------------------------------


def _clue(timex: Timex, source: str, place: str, in_text: bool) -> Clue | None:
    """A timex as a dating clue, ranked: a full day beats a partial day beats a month."""
    if timex.type not in ("DATE", "TIME") or not timex.value:
        return None
    value = timex.value.split("T")[0]
    day = _DAY.match(value)
    if day and day.group(2) != "XX" and day.group(3) != "XX":
        rank = 3 if day.group(1) != "XXXX" else 2
    elif _WEEKDAY_PARTIAL.match(value):
        rank = 1
    elif _MONTH.match(value):
        rank = 0
    else:
        return None
    before = source[max(0, timex.start - 12) : timex.start].lower().split()
    reference_point = bool(before) and (
        before[-1] in lexicon().not_event_cues or " ".join(before[-2:]) in lexicon().not_event_cues
    )
    return Clue(timex, value, place, in_text, reference_point, rank)


def _best(clues: list[Clue]) -> Clue | None:
    """The most specific clue, event dates before reference points, the earliest among equals."""
    if not clues:
        return None
    return max(enumerate(clues), key=lambda ic: (not ic[1].reference_point, ic[1].rank, -ic[0]))[1]


def _dated(clue: Clue, text: str, timexes: list[Timex], dct: dt.date | None) -> EventDate:
    timex = clue.timex
    evidence = _evidence(timex, text, timexes) if clue.in_text else timex.text
    where = "headline" if clue.place == "headline" else "lead"
    quoted = f'"{evidence}" ({where})'
    value = clue.day
    if clue.rank == 3 and timex.anchor == "dct" and dct is not None:
        reasoning = f"{quoted} + published {_weekday(dct)} {dct.isoformat()} -> {value}" + (
            " (the day of publication)" if value == dct.isoformat() else ""
        )
        confidence = 0.85 * timex.confidence / max(timex.confidence, 0.9)
    elif clue.rank == 3 and timex.anchor and timex.anchor not in ("dct", "no dct"):
        reasoning = f"{quoted}, anchored on {timex.anchor} -> {value}"
        confidence = 0.9 if evidence != timex.text else 0.75
    elif clue.rank == 3:
        reasoning = f"{quoted} -> {value}"
        confidence = 0.95
    elif clue.rank == 2:
        reasoning = (
            f"{quoted} gives the day but not the year, and there is no publication "
            f"date -> {value}; the year is uncertain (take it from the event)"
        )
        confidence = 0.6
    elif clue.rank == 1:
        reasoning = f"{quoted} names only a weekday and there is no publication date -> {value}"
        confidence = 0.3
    else:
        reasoning = f"{quoted} names only a month -> {value}"
        confidence = 0.4
    if clue.reference_point:
        reasoning += "; it follows a preposition that makes it a reference point, not the event"
        confidence *= 0.5
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
    for other in timexes:
        if (
            other.start > timex.end
            and other.start - timex.end <= 3
            and other.value
            and timex.value
            and other.value.split("T")[0] == timex.value.split("T")[0]
        ):
            closing = text.find(")", other.end, other.end + 2)
            return text[timex.start : closing + 1 if closing >= 0 else other.end]
    return timex.text


def _weekday(day: dt.date) -> str:
    return WEEKDAY_NAMES[day.weekday()]
