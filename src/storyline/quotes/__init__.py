"""Quotes: who said what, direct and reported, with the speaker resolved to an entity.

Cheap passes over the spaCy parse the pipeline already made (tagger, parser, NER; no
lemmatizer): quotation marks are paired (`direct`), cues and their sources and contents are
read off the dependency tree (`indirect`), quotations are joined to their attributions
(`attribute`), a CRF learned from PolNeAR tags the attributions no cue table lists
(`tagger`), every reported-speech candidate is weighed by a model learned likewise
(`confidence`) and the likeliest of overlapping ones kept, and sources are resolved to the
document's entities (`speakers`). Speech verbs, role nouns and the two models live in `data/`;
`python -m storyline.quotes.train` refits the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.model import Entity, Quote
from storyline.quotes.attribute import Candidate, join, overlap
from storyline.quotes.confidence import THRESHOLD, keep_probabilities
from storyline.quotes.direct import Quotation, find_quotations
from storyline.quotes.indirect import Attribution, find_attributions
from storyline.quotes.speakers import SpeakerResolver
from storyline.quotes.tagger import Reading

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_quotes", "find_candidates", "select"]


# A tagged attribution becomes a candidate when the tagger is at least this sure of its content.
LEARNED_CONFIDENCE = 0.3
# A report found by rule inside a kept one is kept too when weighed at least this much.
NESTED = 0.25


def extract_quotes(text: str, doc: Doc, entities: list[Entity]) -> list[Quote]:
    """Every quote of one document; `doc` is the parse of `text`, `entities` its merged entities."""
    quotations = find_quotations(text)
    quoted = sorted(piece for q in quotations for piece in q.pieces)
    rules = find_attributions(doc, text)
    reading = Reading(doc, text, quoted)
    candidates = find_candidates(doc, text, quotations, rules, reading)
    weights = keep_probabilities(candidates, doc, text, reading)
    candidates = select(candidates, weights)
    resolver = SpeakerResolver(doc, text, entities, quoted)
    quotes = []
    for candidate in sorted(candidates, key=lambda c: c.source[0] if c.source else c.start):
        speaker = None
        if candidate.source is not None and candidate.source_head is not None:
            speaker = resolver.speaker(candidate.source, candidate.source_head)
        quotes.append(Quote(candidate.start, candidate.end, text[candidate.start : candidate.end],
                            candidate.direct, candidate.cue, speaker))
    return sorted(quotes, key=lambda q: q.start)


def find_candidates(
    doc: Doc, text: str, quotations: list[Quotation], rules: list[Attribution], reading: Reading
) -> list[Candidate]:
    """The rules' quotes and reported speech, and the tagger's attributions with a cue and a
    span of their own, before they are weighed (competing readings of one report included)."""
    candidates = join(doc, text, quotations, rules)
    found = list(candidates)
    for attribution in reading.attributions:
        if attribution.content is None or not attribution.cue_text:
            continue
        if attribution.confidence < LEARNED_CONFIDENCE:
            continue
        start, end = attribution.content
        if any((c.start, c.end) == (start, end) for c in candidates):
            continue
        found.append(Candidate(start, end, False, attribution.cue_text, attribution.source,
                               attribution.source_head, attribution, learned=True))
    return sorted(found, key=lambda c: c.start)


def _reported_within(candidate: Candidate, kept: list[Candidate]) -> bool:
    """A report inside another kept one, cue and all ("..., Xi told Putin that ..., CCTV
    said"): the inner speaker is kept too, though annotators mark only the outer report."""
    attribution = candidate.attribution
    if attribution is None or candidate.learned:
        return False
    return any(c.start <= attribution.cue.idx and candidate.end <= c.end
               and (c.start, c.end) != (candidate.start, candidate.end) for c in kept)


def select(
    candidates: list[Candidate], weights: list[float], threshold: float = THRESHOLD
) -> list[Candidate]:
    """Whole quotations; the likeliest reports, each overlapping no likelier one by half the
    shorter; and reports found by rule inside a kept one (see `_reported_within`)."""
    kept = _best_of_overlapping(candidates, weights, threshold)
    chosen = {id(c) for c in kept}
    return kept + [c for c, w in zip(candidates, weights, strict=True)
                   if id(c) not in chosen and not c.direct and w >= NESTED
                   and _reported_within(c, kept)]


def _best_of_overlapping(
    candidates: list[Candidate], weights: list[float], threshold: float
) -> list[Candidate]:
    kept = [c for c in candidates if c.direct]
    ranked = sorted((w, n) for n, w in enumerate(weights) if w >= threshold)
    for _, number in reversed(ranked):
        candidate = candidates[number]
        if candidate.direct:
            continue
        span = (candidate.start, candidate.end)
        if all(overlap(span, (c.start, c.end)) * 2 <= min(span[1] - span[0], c.end - c.start)
               for c in kept):
            kept.append(candidate)
    return kept
