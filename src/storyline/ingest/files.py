"""Finding the inputs and telling what format each one is.

`discover` expands the paths, folders, URLs and "-" a user gave into a flat, sorted list of
`Input`s. The format of a file is chosen by its extension and, when the extension says
nothing, by sniffing its first bytes (gzip-compressed files are looked through).
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import urlsplit

MAX_ARTICLE_BYTES = 10 * 1024 * 1024
"""A single text or HTML article larger than this is refused (a log dump, not an article)."""

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 4096

READ_FAILURES = (EOFError, OSError, zlib.error)
"""What a truncated or corrupt gzip, or a failing disk, raises while a file is read."""

FORMAT_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "xml",
}
"""Extension (after any .gz) to reader. "xml" is sniffed: a feed, or not something we read."""

FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:rdf")
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")


@dataclass(frozen=True)
class Input:
    """One thing to read: a file, a URL or stdin, with its size in bytes for progress.

    `error` is set when the input cannot be read at all (missing or unreadable path); reading
    such an input yields just that error.
    """

    source: str
    size: int = 0
    kind: Literal["file", "url", "stdin", "unreadable"] = "file"
    error: str | None = None


def discover(inputs: Sequence[str]) -> list[Input]:
    """Expand folders recursively (sorted, hidden entries skipped); keep files, URLs and "-"."""
    found: list[Input] = []
    seen: set[str] = set()
    for given in inputs:
        for item in _expand(given):
            if item.source not in seen:
                seen.add(item.source)
                found.append(item)
    return found


def _expand(given: str) -> Iterator[Input]:
    if given == "-":
        yield Input("-", kind="stdin")
    elif given.lower().startswith(("http://", "https://")):
        yield _url_input(given)
    elif os.path.isdir(given):
        yield from _walk(given)
    else:
        yield _file_input(given)


def _url_input(url: str) -> Input:
    if not urlsplit(url).hostname:
        return Input(url, kind="unreadable", error=f"invalid URL: {url}")
    return Input(url, kind="url")


def _walk(folder: str) -> Iterator[Input]:
    """Every visible file under a folder, in sorted path order; unreadable folders are errors."""
    problems: list[Input] = []

    def on_error(exc: OSError) -> None:
        where = exc.filename or folder
        problems.append(Input(str(where), kind="unreadable", error=_os_reason(exc)))

    paths: list[Path] = []
    for root, dirnames, filenames in os.walk(folder, onerror=on_error):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        paths.extend(Path(root, name) for name in filenames if not name.startswith("."))
    for path in sorted(paths, key=lambda p: p.parts):
        yield _file_input(str(path))
    yield from problems


def _file_input(path: str) -> Input:
    try:
        info = os.stat(path)
    except OSError as exc:
        return Input(path, kind="unreadable", error=_os_reason(exc))
    if not stat.S_ISREG(info.st_mode):
        return Input(path, kind="unreadable", error="not a regular file")
    if not os.access(path, os.R_OK):
        return Input(path, kind="unreadable", error="permission denied")
    return Input(path, size=info.st_size)


def _os_reason(exc: OSError) -> str:
    """"no such file or directory" rather than "[Errno 2] No such file or directory: 'x'"."""
    reason = exc.strerror or str(exc)
    return reason[:1].lower() + reason[1:]


def gunzipped(raw: BinaryIO) -> BinaryIO:
    """The stream itself, or its decompressed content when it starts with the gzip magic."""
    head = raw.read(2)
    raw.seek(0)
    return gzip.GzipFile(fileobj=raw) if head == GZIP_MAGIC else raw  # type: ignore[return-value]


def read_limited(stream: BinaryIO, limit: int) -> bytes | None:
    """Up to `limit` bytes of a stream, or None when there is more: never reads past the cap."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def format_by_name(path: str) -> str | None:
    """The reader an extension asks for ("json", "html", ...), looking through a .gz suffix."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return FORMAT_BY_EXTENSION.get(os.path.splitext(name)[1])


def sniff_format(head: bytes) -> str:
    """Guess the reader from the first bytes of (decompressed) content; "text" when unsure."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start[:1] in (b"{", b"["):
        return "json"
    if is_feed(start):
        return "feed"
    if any(marker in start[:1024] for marker in HTML_MARKERS):
        return "html"
    return "text"


def is_feed(head: bytes) -> bool:
    """An XML document whose root element is RSS, Atom or RSS 1.0 (RDF)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not start.startswith(b"<"):
        return False
    html_at = start.find(b"<html")
    for root in FEED_ROOTS:
        found = start.find(root)
        if found >= 0 and (html_at < 0 or found < html_at):
            return True
    return False


def file_format(path: str) -> str:
    """The reader for a file: its extension's, else what its first bytes look like."""
    by_name = format_by_name(path)
    if by_name not in (None, "xml"):
        return by_name
    with open(path, "rb") as raw:
        head = gunzipped(raw).read(SNIFF_BYTES)
    if by_name == "xml":
        return "feed" if is_feed(head) else "xml"
    return sniff_format(head)


def read_failure(exc: BaseException) -> str:
    """One line saying why reading stopped: truncated gzip, corrupt data or an OS error."""
    if isinstance(exc, EOFError):
        return "truncated gzip file (compressed data ended early)"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"cannot read file: {_os_reason(exc)}"
    return f"corrupt gzip data ({exc})"


def too_large(size: int | None, limit: int) -> str:
    """The error for a file too big to be one article; size None means "more than the limit"."""
    actual = _megabytes(size) if size is not None else f"more than {_megabytes(limit)}"
    return f"file too large for one article: {actual} (limit {_megabytes(limit)})"


def too_many_chars(length: int, limit: int) -> str:
    """The error for an article longer than the caller's max_article_chars."""
    return f"article text is {length:,} characters, over the limit of {limit:,}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
