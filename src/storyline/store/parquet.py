"""Annotated articles as Parquet files partitioned by publication month, and back.

The hand-over between an engine that annotates documents elsewhere (a Ray cluster) and the
SQLite store (`storyline load`): one row per article with the `documents` columns, its child
rows as JSON in the store's own encoding (`rows`), and its MinHash signature for the repost
stage. Folders are Hive-style (`month=2024-02/…`), as Ray Data and pyarrow write them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from storyline.model import Article
from storyline.store import rows

PARTITION = "month"
UNDATED = "undated"
RECORD_SCHEMA = pa.schema(
    [(name, pa.string()) for name in rows.DOCUMENT_COLUMNS]
    + [("sentences", pa.string()), ("entities", pa.string()), ("annotations", pa.string()),
       ("minhash", pa.binary()), ("warning", pa.string()), (PARTITION, pa.string())]
)


class AnnotatedArticle(NamedTuple):
    """A row read back: the article, its MinHash, and what went wrong annotating it, if any."""

    article: Article
    minhash: bytes
    warning: str | None = None


def article_record(article: Article, minhash: bytes = b"",
                   warning: str | None = None) -> dict[str, Any]:
    """One Parquet row: the article with all its annotations, and its MinHash signature."""
    return {
        **dict(zip(rows.DOCUMENT_COLUMNS, rows.document_row(article), strict=True)),
        "sentences": rows.to_json([(s.start, s.end) for s in article.sentences]),
        "entities": rows.to_json([(e.id, e.name, e.type, e.mentions) for e in article.entities]),
        "annotations": rows.to_json(
            [(kind, data) for _, kind, _, data in rows.annotation_rows(article)]),
        "minhash": minhash,
        "warning": warning,
        PARTITION: publication_month(article.published),
    }


def publication_month(published: str | None) -> str:
    """The partition of a publication date: "2024-02", or "undated"."""
    return published[:7] if published and len(published) >= 7 else UNDATED


def article_from_record(record: dict[str, Any]) -> AnnotatedArticle:
    """The article, MinHash and warning of one row written by `article_record`."""
    entities = json.loads(record["entities"])
    annotations: dict[str, list[str]] = defaultdict(list)
    for kind, data in json.loads(record["annotations"]):
        annotations[kind].append(data)
    article = rows.article_from_rows(
        record,
        [tuple(span) for span in json.loads(record["sentences"])],
        [(entity_id, name, type_) for entity_id, name, type_, _ in entities],
        {entity_id: [tuple(m) for m in found] for entity_id, _, _, found in entities},
        annotations,
    )
    return AnnotatedArticle(article, record["minhash"], record.get("warning"))


def write_parquet(records: Iterable[dict[str, Any]], folder: str | Path) -> int:
    """Add the rows to the dataset in `folder`, one sub-folder per publication month."""
    table = pa.Table.from_pylist(list(records), schema=RECORD_SCHEMA)
    if table.num_rows:
        pq.write_to_dataset(table, str(folder), partition_cols=[PARTITION])
    return table.num_rows


def read_parquet(folder: str | Path, batch_rows: int = 256) -> Iterator[AnnotatedArticle]:
    """Every article of the dataset in `folder`, a batch of rows at a time."""
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"no Parquet folder at {folder}")
    dataset = ds.dataset(str(folder), format="parquet", partitioning="hive")
    for batch in dataset.to_batches(batch_size=batch_rows):
        for record in batch.to_pylist():
            yield article_from_record(record)
