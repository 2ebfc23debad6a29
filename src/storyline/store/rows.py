"""How an `Article` maps to rows of the store's tables, and back.

Scalar metadata become columns of `documents`; flags, metadata evidence and cleaning edits are
JSON columns; sentences, entities and mentions get their own rows, and timexes, quotes and the
event date one `annotations` row each (JSON), so they can be queried. Reading tolerates JSON
keys the model no longer has, so an older row still loads.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, is_dataclass
from typing import Any

from storyline.model import (
    Article,
    Edit,
    Entity,
    EventDate,
    EventRecord,
    Evidence,
    Flags,
    Quote,
    Sentence,
    Timex,
)

# Annotation kind -> (Article field holding a list of them, dataclass of an item or None when
# items are plain dicts). Later stages may store other kinds in the same table.
LIST_ANNOTATIONS: dict[str, tuple[str, type | None]] = {
    "timex": ("timexes", Timex),
    "quote": ("quotes", Quote),
    "record": ("records", EventRecord),
}
# Annotation kind -> (Article field holding at most one, its dataclass).
SINGLE_ANNOTATIONS: dict[str, tuple[str, type]] = {
    "event_date": ("event_date", EventDate),
}

DOCUMENT_COLUMNS = (
    "id", "source", "fingerprint", "title", "url", "outlet", "byline", "published", "language",
    "input_format", "text", "flags", "evidence", "cleaning", "event_id",
)


def to_json(value: Any) -> str:
    """Compact JSON that keeps non-ASCII text readable in the database file."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def flags_json(flags: Flags) -> str:
    return to_json(asdict(flags))


def document_row(article: Article) -> tuple[Any, ...]:
    """Values for DOCUMENT_COLUMNS, in that order."""
    return (
        article.id, article.source, article.fingerprint, article.title, article.url,
        article.outlet, article.byline, article.published, article.language,
        article.input_format, article.text, flags_json(article.flags),
        to_json({name: asdict(ev) for name, ev in article.evidence.items()}),
        to_json([asdict(edit) for edit in article.edits]),
        article.event_id,
    )


def sentence_rows(article: Article) -> list[tuple[str, int, int, int]]:
    return [(article.id, seq, s.start, s.end) for seq, s in enumerate(article.sentences)]


def entity_rows(article: Article) -> list[tuple[str, str, int, str, str]]:
    return [(article.id, e.id, seq, e.name, e.type) for seq, e in enumerate(article.entities)]


def mention_rows(article: Article) -> list[tuple[str, str, int, int, int]]:
    return [
        (article.id, entity.id, seq, start, end)
        for entity in article.entities
        for seq, (start, end) in enumerate(entity.mentions)
    ]


def _plain(item: Any) -> Any:
    return asdict(item) if is_dataclass(item) else item


def annotation_rows(article: Article) -> list[tuple[str, str, int, str]]:
    rows = [
        (article.id, kind, seq, to_json(_plain(item)))
        for kind, (name, _) in LIST_ANNOTATIONS.items()
        for seq, item in enumerate(getattr(article, name))
    ]
    for kind, (name, _) in SINGLE_ANNOTATIONS.items():
        if getattr(article, name) is not None:
            rows.append((article.id, kind, 0, to_json(_plain(getattr(article, name)))))
    return rows


def _known_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Keep only the keys the dataclass still has, so a row written by another version loads."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _item(cls: type | None, data: str) -> Any:
    value = json.loads(data)
    return cls(**_known_fields(cls, value)) if cls else value


def flags_from_json(text: str) -> Flags:
    return Flags(**_known_fields(Flags, json.loads(text)))


def article_from_rows(
    doc: dict[str, Any],
    sentences: list[tuple[int, int]],
    entities: list[tuple[str, str, str]],
    mentions: dict[str, list[tuple[int, int]]],
    annotations: dict[str, list[str]],
) -> Article:
    """Rebuild the Article from its `documents` row and its child rows, each in stored order."""
    evidence = json.loads(doc["evidence"])
    annotated: dict[str, Any] = {
        name: [_item(cls, data) for data in annotations.get(kind, [])]
        for kind, (name, cls) in LIST_ANNOTATIONS.items()
    }
    for kind, (name, cls) in SINGLE_ANNOTATIONS.items():
        found = annotations.get(kind)
        annotated[name] = _item(cls, found[0]) if found else None
    return Article(
        id=doc["id"],
        source=doc["source"],
        text=doc["text"],
        fingerprint=doc["fingerprint"],
        title=doc["title"],
        url=doc["url"],
        outlet=doc["outlet"],
        byline=doc["byline"],
        published=doc["published"],
        language=doc["language"],
        input_format=doc["input_format"],
        flags=flags_from_json(doc["flags"]),
        evidence={name: Evidence(**_known_fields(Evidence, ev)) for name, ev in evidence.items()},
        edits=[Edit(**_known_fields(Edit, e)) for e in json.loads(doc["cleaning"])],
        sentences=[Sentence(start, end) for start, end in sentences],
        entities=[
            Entity(id=entity_id, name=name, type=type_, mentions=mentions.get(entity_id, []))
            for entity_id, name, type_ in entities
        ],
        event_id=doc["event_id"],
        **annotated,
    )
