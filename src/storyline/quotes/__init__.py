"""Quotes: who said what, direct and reported, with the speaker resolved to an entity.

Cheap passes over the spaCy parse the pipeline already made (tagger, parser, NER; no
lemmatizer): quotation marks are paired (`direct`), cues and their sources and contents are
read off the dependency tree (`indirect`), quotations are joined to their attributions
(`attribute`), and sources are resolved to the document's entities (`speakers`). Speech verbs
and role nouns live in `data/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storyline.model import Entity, Quote
from storyline.quotes.attribute import join
from storyline.quotes.direct import find_quotations
from storyline.quotes.indirect import find_attributions
from storyline.quotes.speakers import SpeakerResolver

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["extract_quotes"]


def extract_quotes(text: str, doc: Doc, entities: list[Entity]) -> list[Quote]:
    """Every quote of one document; `doc` is the parse of `text`, `entities` its merged entities."""
    quotations = find_quotations(text)
    candidates = join(doc, text, quotations, find_attributions(doc, text))
    resolver = SpeakerResolver(doc, text, entities, [(q.start, q.end) for q in quotations])
    quotes = []
    for candidate in sorted(candidates, key=lambda c: c.source[0] if c.source else c.start):
        speaker = None
        if candidate.source is not None and candidate.source_head is not None:
            speaker = resolver.speaker(candidate.source, candidate.source_head)
        quotes.append(Quote(candidate.start, candidate.end, text[candidate.start : candidate.end],
                            candidate.direct, candidate.cue, speaker))
    return sorted(quotes, key=lambda q: q.start)
