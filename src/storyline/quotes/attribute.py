"""Joining quotations to attributions: which cue and source each quoted stretch belongs to.

A quotation that is the content of a cue ("…," Xi said) takes that cue. One that is only part
of a cue's content is a partial quotation inside reported speech and stays inside it. Else the
cue is looked for around it: in its own sentence, in a preceding sentence that ends in a colon,
in the short sentences that follow ("…" Stated. In April, X said.), or in the quotation just
before it (a quotation running on). A quotation split by its attribution ("…," he said, "…")
is one quote. A short quoted phrase that nobody is said to have said is a scare quote or a
title, not a quote.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.quotes.direct import Quotation
from storyline.quotes.indirect import MARKS, Attribution
from storyline.quotes.lexicon import cue_forms

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Words outside the quotation that a cue's content may still hold and be a direct quote.
LINKING = {"that"}
SPLIT_GAP = 200
# Shorter quoted phrases are scare quotes, titles or part of reported speech, not quotes.
MIN_QUOTE_WORDS = 4
MIN_UNATTRIBUTED_WORDS = 8
# A quotation's attribution may follow in this many sentences, each at most this long.
FOLLOWING_SENTENCES = 2
ATTRIBUTION_TOKENS = 25
RUN_ON_CHARS = 300
WORD = re.compile(r"[A-Za-z]+")
SENTENCE_END = re.compile(r"[.!?:]\s")
ABBREVIATION = re.compile(r"[A-Z][a-z]{0,3}|(?:[A-Z]\.)+[A-Z]?")  # Mr. Sen. Gov. U.S.


@dataclass
class Candidate:
    """A quote before its speaker is resolved and before it is weighed; `attribution` is the
    reading it came from, `learned` whether the tagger (not the rules) found it."""

    start: int
    end: int
    direct: bool
    cue: str | None
    source: tuple[int, int] | None
    source_head: Token | None
    attribution: Attribution | None = None
    learned: bool = False

    @property
    def origin(self) -> str:
        """Which reading proposed it, for the weights."""
        return "learned" if self.learned else "rule"


def join(
    doc: Doc, text: str, quotations: list[Quotation], attributions: list[Attribution]
) -> list[Candidate]:
    """Direct quotes with their attributions, then the reported speech no quotation took."""
    quotations = _merge_split(text, quotations)
    pieces = sorted(piece for q in quotations for piece in q.pieces)
    attributions = [a for a in attributions if not _quoted(a.cue.idx, pieces)]
    sentences = list(doc.sents)
    starts = [s.start_char for s in sentences]
    taken: set[int] = set()
    candidates: list[Candidate] = []
    for quotation in quotations:
        candidate = _direct(quotation, attributions, sentences, starts, taken, candidates, text)
        if candidate is not None:
            candidates.append(candidate)
    direct_spans = [(c.start, c.end) for c in candidates]
    for number, attribution in enumerate(attributions):
        if number in taken or attribution.content is None:
            continue
        start, end = attribution.content
        if any(overlap((start, end), span) * 2 > end - start for span in direct_spans):
            continue
        candidates.append(Candidate(start, end, False, attribution.cue_text, attribution.source,
                                    attribution.source_head, attribution))
    return sorted(candidates, key=lambda c: c.start)


def _direct(
    quotation: Quotation,
    attributions: list[Attribution],
    sentences: list[Span],
    starts: list[int],
    taken: set[int],
    earlier: list[Candidate],
    text: str,
) -> Candidate | None:
    span = (quotation.start, quotation.end)
    length = span[1] - span[0]
    best = None
    for number, attribution in enumerate(attributions):
        content = attribution.content
        if content is None or overlap(content, span) * 2 <= length:
            continue
        if best is None or content[1] - content[0] < attributions[best].content_length:
            best = number
    if best is not None:
        start, end = attributions[best].content
        outside = text[start : span[0]] + " " + text[span[1] : end]
        if any(word.lower() not in LINKING for word in WORD.findall(outside)):
            return None  # a partial quotation: the reported speech around it is the quote
        taken.add(best)
        return _candidate(span, attributions[best])
    words = len(WORD.findall(text[span[0] : span[1]]))
    number = None
    if words >= MIN_QUOTE_WORDS:
        number = _nearby_cue(quotation, attributions, sentences, starts, taken, text)
    if number is not None:
        taken.add(number)
        return _candidate(span, attributions[number])
    if words < MIN_UNATTRIBUTED_WORDS:
        return None
    if earlier and earlier[-1].source and _runs_on(text, earlier[-1].end, span[0]):
        previous = earlier[-1]
        return Candidate(*span, True, previous.cue, previous.source, previous.source_head)
    return Candidate(*span, True, None, None, None)
    return None


def _candidate(span: tuple[int, int], attribution: Attribution) -> Candidate:
    return Candidate(span[0], span[1], True, attribution.cue_text, attribution.source,
                     attribution.source_head, attribution)


def _nearby_cue(
    quotation: Quotation,
    attributions: list[Attribution],
    sentences: list[Span],
    starts: list[int],
    taken: set[int],
    text: str,
) -> int | None:
    """A cue outside the quotation in its sentences, a colon-ended sentence before it, or the
    short sentences after it; only cues with a source and no content of their own elsewhere."""
    first = _sentence_index(starts, quotation.start)
    last = _sentence_index(starts, max(quotation.end - 1, quotation.start))
    window = (sentences[first].start_char, sentences[last].end_char)
    usable = [
        n for n, a in enumerate(attributions)
        if n not in taken and a.source is not None
        and not _quoted(a.cue.idx, quotation.pieces)
        and (a.content is None or overlap(a.content, (quotation.start, quotation.end)) > 0)
    ]
    between = [n for n in usable if quotation.start <= attributions[n].cue.idx < quotation.end]
    if between:
        return between[0]
    inside = [n for n in usable if window[0] <= attributions[n].cue.idx < window[1]]
    after = [n for n in inside if attributions[n].cue.idx >= quotation.end]
    if after:
        return after[0]
    if inside:
        return inside[-1]
    if first > 0 and sentences[first - 1].text.rstrip().endswith(":"):
        before = sentences[first - 1]
        found = [n for n in usable
                 if before.start_char <= attributions[n].cue.idx < before.end_char]
        if found:
            return found[-1]
    for following in sentences[last + 1 : last + 1 + FOLLOWING_SENTENCES]:
        if "\n\n" in text[window[1] : following.start_char]:
            break
        found = [
            n for n in usable
            if following.start_char <= attributions[n].cue.idx < following.end_char
            and attributions[n].content is None
        ]
        if found:
            return found[0]
        if len(following) > ATTRIBUTION_TOKENS:
            break
    return None


def _runs_on(text: str, previous_end: int, start: int) -> bool:
    """The quotation follows the previous attributed quote closely, in its paragraph or the
    next, so it is taken to go on in the same voice."""
    between = text[previous_end:start]
    return len(between) <= RUN_ON_CHARS and between.count("\n\n") <= 1


def _merge_split(text: str, quotations: list[Quotation]) -> list[Quotation]:
    """Join quotations that only their attribution separates within a paragraph ("…," he
    said, "…" or "…," he said. "…"): a quoted comma, or a cue in the gap, says it goes on."""
    forms = cue_forms()
    merged: list[Quotation] = []
    for quotation in quotations:
        if merged:
            gap = text[merged[-1].end : quotation.start]
            words = gap.strip(MARKS + " \t")
            goes_on = text[merged[-1].end - 1] == "," or words[:1] == ","
            cues = sum(w.lower() in forms for w in WORD.findall(gap))
            if (len(gap) <= SPLIT_GAP and "\n" not in gap and words[-1:] in {",", ".", ":"}
                    and (goes_on or cues) and not _sentence_inside(words)):
                merged[-1] = Quotation(merged[-1].pieces + quotation.pieces)
                continue
        merged.append(quotation)
    return merged


def _sentence_inside(words: str) -> bool:
    """Whether an attribution between two quotations holds a sentence end before its own
    ("said X. Then she added:"), so the second quotation is not the first one going on."""
    for end in SENTENCE_END.finditer(words[:-1]):
        before = words[: end.start()].split()
        if not before or not ABBREVIATION.fullmatch(before[-1]):
            return True
    return False


def _quoted(position: int, pieces: list[tuple[int, int]]) -> bool:
    """Whether a position is inside quoted words (attributions quoted there are not reported);
    `pieces` are sorted and do not overlap."""
    index = bisect.bisect_right(pieces, (position, float("inf"))) - 1
    return index >= 0 and pieces[index][0] <= position < pieces[index][1]


def _sentence_index(starts: list[int], position: int) -> int:
    return max(bisect.bisect_right(starts, position) - 1, 0)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
