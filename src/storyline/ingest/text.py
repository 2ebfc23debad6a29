"""Reader for plain-text articles (.txt, .md, .text): one file, one article.

The text is passed on as found (decoded, nothing cleaned); the cleaner finds the title,
byline and boilerplate in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from storyline.ingest.decoding import decode_text
from storyline.ingest.files import MAX_ARTICLE_BYTES, read_limited, too_large, too_many_chars
from storyline.model import IngestError, RawRecord


def read_text(stream: BinaryIO, source: str, *,
              max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """One plain-text article, or one error saying why the file is not one."""
    data = read_limited(stream, MAX_ARTICLE_BYTES)
    if data is None:
        yield IngestError(source, too_large(None, MAX_ARTICLE_BYTES))
        return
    decoded = decode_text(data)
    if decoded is None:
        yield IngestError(source, "binary file, not text")
        return
    text = decoded.text
    if not text.strip():
        yield IngestError(source, "empty file")
        return
    if len(text) > max_article_chars:
        yield IngestError(source, too_many_chars(len(text), max_article_chars))
        return
    yield RawRecord(source=source, text=text, input_format="text")
    if decoded.warning:
        yield IngestError(source, decoded.warning, level="warning")
