"""Readers for JSON records: JSON Lines (.jsonl, .ndjson, stdin) and JSON files (.json).

A record is `{"id", "text", "title"?, "url"?, "published"?, "outlet"?, "language"?,
"byline"?}`, with the aliases of `FIELD_ALIASES` accepted (`doc_id`, `dct`, `publisher`, as
labelled corpora write them). Its id and text are kept exactly as given (`verbatim=True`) so
gold annotations on that text still line up; other keys are ignored. Both readers stream:
JSON Lines one line at a time, a JSON array one item at a time, so a multi-gigabyte export
never sits in memory.
A bad line or record is one error and reading goes on; a truncated gzip ends the file with
one error after the records read so far.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from storyline.clean import normalise_date
from storyline.ingest.files import READ_FAILURES, read_failure, too_many_chars
from storyline.model import IngestError, RawRecord

METADATA_FIELDS = ("title", "url", "published", "outlet", "language", "byline")
# Other names corpora and news APIs give the same fields, tried after the field's own name.
FIELD_ALIASES = {
    "id": ("doc_id",),
    "published": ("dct", "publication_date"),
    "outlet": ("publisher",),
}
MAX_RECORD_BYTES = 64 * 1024 * 1024
"""A JSON line or array item longer than this is refused rather than held in memory."""

READ_CHARS = 1024 * 1024
HEAD_BYTES = 1024 * 1024
DECODE_SLACK = 16
"""A syntax error this close to the end of the buffer may just be a token cut by the chunk."""

JSON_SPACE = re.compile(r"[^ \t\r\n]")
DECODER = json.JSONDecoder()


def read_jsonl(stream: BinaryIO | TextIO, source: str, *,
               max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """One record per line; a malformed line is one error naming it, later lines go on."""
    lineno = 0
    try:
        for lineno, line in _numbered_lines(stream):
            if line is None:
                yield IngestError(source, f"line {lineno} is longer than "
                                          f"{MAX_RECORD_BYTES // (1024 * 1024)} MB; skipped")
                continue
            yield from _line_records(line, lineno, source, max_article_chars)
    except READ_FAILURES as exc:
        yield IngestError(source, f"{read_failure(exc)} after line {lineno}")
    except UnicodeDecodeError as exc:
        yield IngestError(source, f"not valid UTF-8 after line {lineno}: {exc.reason}")


def read_json(stream: BinaryIO, source: str, *,
              max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """A JSON file: one object, an array of objects, or JSON Lines under a .json name."""
    head = _peek(stream, HEAD_BYTES)
    if not head.strip():
        yield IngestError(source, "empty file")
        return
    if _looks_like_json_lines(head):
        yield from read_jsonl(stream, source, max_article_chars=max_article_chars)
        return
    text = io.TextIOWrapper(stream, encoding="utf-8-sig")
    count = 0
    try:
        for count, (line, value) in enumerate(_JsonValues(text).values(), 1):
            where = f"item {count} (line {line})"
            yield from record_from_json(value, source, where, max_article_chars)
    except _JsonSyntaxError as exc:
        yield IngestError(source, str(exc))
    except READ_FAILURES as exc:
        yield IngestError(source, f"{read_failure(exc)} after item {count}")
    except UnicodeDecodeError as exc:
        yield IngestError(source, f"not valid UTF-8 after item {count}: {exc.reason}")
    finally:
        text.detach()  # the caller owns the underlying stream


def record_from_json(value: Any, source: str, where: str,
                     max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """A RawRecord for a valid object, else one error; warnings for ignored metadata values."""
    if not isinstance(value, dict):
        yield IngestError(source, f"{where}: expected a JSON object, got {_json_type(value)}")
        return
    record_id = _record_id(_field(value, "id"))
    if record_id is None:
        yield IngestError(source, f'{where}: record has no "id" (or "doc_id")')
        return
    where = f"{where} (id {json.dumps(record_id, ensure_ascii=False)})"
    text = value.get("text")
    if not isinstance(text, str) or not text.strip():
        yield IngestError(source, f'{where}: record has no "text"')
        return
    if len(text) > max_article_chars:
        yield IngestError(source, f"{where}: {too_many_chars(len(text), max_article_chars)}")
        return
    metadata: dict[str, str] = {}
    ignored: list[str] = []
    for name in METADATA_FIELDS:
        field_value = _field(value, name)
        if isinstance(field_value, str):
            metadata[name] = field_value
        elif field_value is not None:
            ignored.append(f'"{name}" ({_json_type(field_value)})')
    yield RawRecord(source=f"{source}#{record_id}", id=record_id, text=text, verbatim=True,
                    input_format="json", **metadata)
    if ignored:
        yield IngestError(source, f"{where}: ignored {', '.join(ignored)}: expected a string",
                          level="warning")
    published = metadata.get("published")
    if published is not None and normalise_date(published) is None:
        yield IngestError(source, f'{where}: "published" {json.dumps(published)} is not a '
                          "date; left unknown", level="warning")


def _line_records(line: bytes | str, lineno: int, source: str,
                  max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield IngestError(source, f"line {lineno} is not valid UTF-8 "
                                      f"(byte 0x{line[exc.start]:02x} at offset {exc.start})")
            return
    if lineno == 1:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        return
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        yield IngestError(source, f"invalid JSON on line {lineno}: {exc.msg} (col {exc.colno})")
        return
    yield from record_from_json(value, source, f"line {lineno}", max_article_chars)


def _numbered_lines(stream: BinaryIO | TextIO) -> Iterator[tuple[int, bytes | str | None]]:
    """(number, line) pairs; None for a line over the size cap, which is skipped unread."""
    lineno = 0
    while line := stream.readline(MAX_RECORD_BYTES + 1):
        lineno += 1
        if len(line) > MAX_RECORD_BYTES and line[-1:] not in (b"\n", "\n"):
            while (rest := stream.readline(READ_CHARS)) and rest[-1:] not in (b"\n", "\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line


def _field(record: dict[str, Any], name: str) -> Any:
    """The field under its own name, else under the first alias the record has."""
    for key in (name, *FIELD_ALIASES.get(name, ())):
        if record.get(key) is not None:
            return record[key]
    return None


def _record_id(value: Any) -> str | None:
    """The id as a string: strings as given, numbers stringified; anything else is no id."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _peek(stream: BinaryIO, size: int) -> bytes:
    """The first bytes of a (possibly truncated) stream, then rewind it."""
    head = b""
    try:
        while len(head) < size and (chunk := stream.read(min(65536, size - len(head)))):
            head += chunk
    except READ_FAILURES:
        pass
    stream.seek(0)
    return head


def _looks_like_json_lines(head: bytes) -> bool:
    """A complete object on the first line and more after it: JSON Lines, whatever the name."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    first, newline, rest = text.partition("\n")
    if not first.startswith("{") or not newline or not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except json.JSONDecodeError:
        return False


class _JsonSyntaxError(ValueError):
    """A JSON file that cannot be read further; the message names line and column."""


class _JsonValues:
    """Top-level JSON values of a text stream read in chunks: an array's items or a sequence.

    Holds one value (and one chunk) in memory, not the file, and tracks line and column so an
    error can name them.
    """

    def __init__(self, stream: TextIO, chunk_chars: int = READ_CHARS) -> None:
        self.stream = stream
        self.chunk_chars = chunk_chars
        self.buf = ""
        self.pos = 0
        self.eof = False
        # line and column (1-based) of buf[mark]; moved forward only
        self.mark, self.mark_line, self.mark_col = 0, 1, 1

    def values(self) -> Iterator[tuple[int, Any]]:
        """(line, value) for each item of a top-level array, or each top-level value."""
        char = self._next_char()
        if char != "[":
            while char is not None:
                yield self._value()
                char = self._next_char()
            return
        self.pos += 1
        if self._next_char() == "]":
            self.pos += 1
        else:
            yield from self._array_items()
        if self._next_char() is not None:
            raise self._error(self.pos, "extra data after the JSON array")

    def _array_items(self) -> Iterator[tuple[int, Any]]:
        while True:
            yield self._value()
            char = self._next_char()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                raise self._error(self.pos - 1, "Expecting ',' delimiter or ']'")
            self._next_char()

    def _value(self) -> tuple[int, Any]:
        line, _ = self._line_col(self.pos)
        while True:
            try:
                value, end = DECODER.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return line, value
            except json.JSONDecodeError as exc:
                cut_short = (exc.pos >= len(self.buf) - DECODE_SLACK
                             or exc.msg.startswith("Unterminated string"))
                if self.eof or not cut_short:
                    raise self._error(exc.pos, exc.msg) from None
            if len(self.buf) - self.pos > MAX_RECORD_BYTES:
                raise _JsonSyntaxError(f"the JSON value starting on line {line} is larger than "
                                       f"{MAX_RECORD_BYTES // (1024 * 1024)} MB")
            self._fill(max(self.chunk_chars, len(self.buf) - self.pos))

    def _next_char(self) -> str | None:
        """Skip JSON whitespace; the next character, or None at the end of the stream."""
        while True:
            found = JSON_SPACE.search(self.buf, self.pos)
            if found:
                self.pos = found.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if not self._fill(self.chunk_chars):
                return None

    def _fill(self, size: int) -> bool:
        """Drop what was consumed and read more; False at the end of the stream."""
        if self.eof:
            return False
        self._line_col(self.pos)
        self.buf = self.buf[self.pos:]
        self.mark -= self.pos
        self.pos = 0
        chunk = self.stream.read(size)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _line_col(self, pos: int) -> tuple[int, int]:
        newlines = self.buf.count("\n", self.mark, pos)
        if newlines:
            self.mark_line += newlines
            self.mark_col = pos - self.buf.rfind("\n", self.mark, pos)
        else:
            self.mark_col += pos - self.mark
        self.mark = pos
        return self.mark_line, self.mark_col

    def _error(self, pos: int, message: str) -> _JsonSyntaxError:
        line, col = self._line_col(pos)
        return _JsonSyntaxError(f"invalid JSON on line {line}: {message} (col {col})")
