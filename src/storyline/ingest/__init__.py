"""Ingest: read files, folders, URLs and stdin into raw records, one reader per format.

`discover` turns what the user named into `Input`s; `read_input` streams each one's
`RawRecord`s and `IngestError`s. A reader never raises for bad input: a bad file, line or
record becomes one error (or a warning when the record still comes out) and every good
record of the same file is still produced.

    for item in discover(["corpus/", "feed.xml", "-"]):
        for found in read_input(item):
            ...
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO

from storyline.ingest.feed import read_feed
from storyline.ingest.files import (
    MAX_ARTICLE_BYTES,
    READ_FAILURES,
    Input,
    discover,
    file_format,
    gunzipped,
    read_failure,
    too_large,
)
from storyline.ingest.html import read_html
from storyline.ingest.jsonl import read_json, read_jsonl
from storyline.ingest.text import read_text
from storyline.ingest.url import read_url
from storyline.ingest.warc import read_warc
from storyline.model import IngestError, RawRecord

__all__ = ["MAX_ARTICLE_BYTES", "Input", "discover", "read_input"]

Reader = Callable[..., Iterator[RawRecord | IngestError]]
READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "feed": read_feed,
}
SINGLE_ARTICLE_FORMATS = ("text", "html")


def read_input(item: Input, *, stdin: TextIO | None = None,
               max_article_chars: int = 1_000_000) -> Iterator[RawRecord | IngestError]:
    """Stream the records of one input; errors come out as `IngestError` values, never raised."""
    for found in _records(item, stdin, max_article_chars):
        if isinstance(found, IngestError):
            found.error = " ".join(found.error.split())  # one line, whatever the input held
        yield found


def _records(item: Input, stdin: TextIO | None,
             max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    if item.error is not None:
        yield IngestError(item.source, item.error)
    elif item.kind == "stdin":
        lines = stdin if stdin is not None else sys.stdin.buffer  # bytes: bad UTF-8 costs one line
        yield from read_jsonl(lines, "stdin", max_article_chars=max_article_chars)
    elif item.kind == "url":
        yield from read_url(item.source, max_article_chars=max_article_chars)
    else:
        yield from _read_file(item, max_article_chars)


def _read_file(item: Input, max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    try:
        kind = file_format(item.source)
        if kind == "xml":
            yield IngestError(item.source, "XML file that is not an RSS or Atom feed")
            return
        if kind in SINGLE_ARTICLE_FORMATS and item.size > MAX_ARTICLE_BYTES:
            # refused before reading: compressed or not, this is no single article
            yield IngestError(item.source, too_large(item.size, MAX_ARTICLE_BYTES))
            return
        with open(item.source, "rb") as raw:
            stream: BinaryIO = raw if kind == "warc" else gunzipped(raw)
            reader = read_warc if kind == "warc" else READERS[kind]
            yield from reader(stream, item.source, max_article_chars=max_article_chars)
    except READ_FAILURES as exc:
        yield IngestError(item.source, read_failure(exc))
