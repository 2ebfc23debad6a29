"""Export the store as the output contract: one JSON object, JSON Lines, or Parquet.

Documents are streamed from the store, so an export of millions of articles holds one batch
in memory. Each export is written to a temporary file next to the target and renamed into
place, so a killed export never leaves half a file under the target name. Parquet needs
pyarrow, imported only when that format is asked for.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

from storyline.model import Article
from storyline.store import Store

Format = Literal["json", "jsonl", "parquet"]
BATCH_SIZE = 500


def contract_object(store: Store) -> dict:
    """The whole output contract as one object, in memory (for the API and tests)."""
    return {
        "documents": [article.to_contract() for article in store.articles()],
        "events": store.events(),
        "stories": store.stories(),
        "outlets": store.outlets(),
        "errors": _contract_errors(store),
    }


def export(store: Store, out: Path | str, fmt: Format) -> int:
    """Write the store to `out` ("-": standard output) in `fmt`; returns the documents written."""
    text_writers = {"json": _write_json, "jsonl": _write_jsonl}
    if fmt == "parquet":
        if str(out) == "-":
            raise ValueError("Parquet cannot go to standard output: give a file name")
        with replaced_atomically(Path(out)) as tmp:
            return _write_parquet(store, tmp)
    if fmt not in text_writers:
        raise ValueError(f"unknown export format {fmt!r}; expected json, jsonl or parquet")
    if str(out) == "-":
        return text_writers[fmt](store, sys.stdout)
    with replaced_atomically(Path(out)) as tmp, open(tmp, "w", encoding="utf-8") as stream:
        return text_writers[fmt](store, stream)


def _contract_errors(store: Store) -> list[dict]:
    return [
        {"source": e["source"], "error": e["error"], "level": e["level"]}
        for e in store.current_errors()
    ]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@contextmanager
def replaced_atomically(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` that replaces `out` only once fully written."""
    # Not mkstemp: its file would keep mode 0600 after the rename instead of the user's umask.
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(6)}.tmp")
    try:
        yield tmp
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _write_documents(store: Store, stream: IO[str], separator: str) -> int:
    count = 0
    for article in store.articles(batch_size=BATCH_SIZE):
        if count:
            stream.write(separator)
        stream.write(_dumps(article.to_contract()))
        count += 1
    return count


def _write_json(store: Store, stream: IO[str]) -> int:
    stream.write('{"documents": [\n')
    count = _write_documents(store, stream, ",\n")
    stream.write("\n],\n")
    stream.write(f'"events": {_dumps(store.events())},\n')
    stream.write(f'"stories": {_dumps(store.stories())},\n')
    stream.write(f'"outlets": {_dumps(store.outlets())},\n')
    stream.write(f'"errors": {_dumps(_contract_errors(store))}}}\n')
    return count


def _write_jsonl(store: Store, stream: IO[str]) -> int:
    count = _write_documents(store, stream, "\n")
    if count:
        stream.write("\n")
    return count


def _parquet_columns() -> list[str]:
    """The contract's document keys, taken from the model so the columns follow it."""
    return list(Article(id="", source="", text="", fingerprint="").to_contract())


def _parquet_record(article: Article, columns: list[str]) -> dict[str, Any]:
    """One row: strings stay strings, anything else (nested or not) becomes JSON text."""
    doc = article.to_contract()
    return {
        key: doc[key] if isinstance(doc[key], str | None) else _dumps(doc[key])
        for key in columns
    }


def _write_parquet(store: Store, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _parquet_columns()
    schema = pa.schema([(key, pa.string()) for key in columns])
    count = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for article in store.articles(batch_size=BATCH_SIZE):
            batch.append(_parquet_record(article, columns))
            if len(batch) == BATCH_SIZE:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or not count:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
