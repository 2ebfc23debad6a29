"""Reader for web archives (.warc, .warc.gz) with warcio.

Each successful `response` (or `resource`) record holding an HTML page becomes one HTML
article, with its URL from WARC-Target-URI; requests, metadata, redirects, error pages and
non-HTML payloads are skipped silently. The WARC-Date (when the crawler fetched the page)
is not a publication date and is not used. warcio itself tolerates a truncated archive
quietly, so truncation is detected here: a record shorter than its Content-Length, or bytes
left over after the last record, end the file with one error after the records read so far.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from storyline.ingest.decoding import decode_text
from storyline.ingest.files import GZIP_MAGIC, MAX_ARTICLE_BYTES, read_limited, too_large
from storyline.ingest.html import declared_charset, html_record
from storyline.model import IngestError, RawRecord

HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE_RECORD_TYPES = ("response", "resource")
DRAIN_BYTES = 1024 * 1024
HEAD_BYTES = 512


def read_warc(stream: BinaryIO, source: str, *,
              max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """Every HTML page in the archive as an article, then one error if the archive is cut."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        yield IngestError(source, "empty file")
        return
    if not _starts_like_warc(head):
        yield IngestError(source, "not a WARC file (it does not start with a WARC/1.x header)")
        return
    records = ArchiveIterator(stream)
    captures = iter(records)
    read = 0
    while True:
        try:
            record = next(captures, None)
            if record is None:
                break
            page = _payload(record) if _is_html_page(record) else None
            complete = _drain(record)
        except Exception as exc:  # warcio raises many kinds of error (even AttributeError)
            reason = f"{type(exc).__name__}: {exc}"
            yield IngestError(source, f"corrupt or truncated WARC after {read} record(s): {reason}")
            return
        if not complete:
            yield IngestError(source, f"truncated WARC: record {read + 1} "
                                      f"({_record_name(record)}) is incomplete")
            return
        read += 1
        if page is not None:
            yield from _page_record(record, page, source, max_article_chars)
    size = stream.tell()
    if size > records.offset:
        yield IngestError(source, f"truncated WARC: {size - records.offset} byte(s) after "
                                  f"record {read} could not be read")
    elif records.err_count:
        yield IngestError(source, f"malformed WARC: {records.err_count} record(s) not followed by "
                                  "a blank line (wrong Content-Length?); pages may be cut")


def _starts_like_warc(head: bytes) -> bool:
    """The (decompressed) start of the file is a WARC record header (or an old ARC one)."""
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://"))


def _is_html_page(record: ArcWarcRecord) -> bool:
    """A successful capture of an HTML page (not a request, redirect, error page or image)."""
    if record.rec_type not in PAGE_RECORD_TYPES:
        return False
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return False
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    return content_type.lower().startswith(HTML_TYPES)


def _payload(record: ArcWarcRecord) -> bytes | str:
    """The decoded HTTP body (chunking and compression undone), or why it could not be read."""
    try:
        page = read_limited(record.content_stream(), MAX_ARTICLE_BYTES)
    except Exception as exc:  # a broken Content-Encoding must cost this record only
        return f"unreadable HTTP body: {type(exc).__name__}: {exc}"
    return page if page is not None else too_large(None, MAX_ARTICLE_BYTES)


def _drain(record: ArcWarcRecord) -> bool:
    """Read the rest of the record; False when the file ended before its Content-Length."""
    while record.raw_stream.read(DRAIN_BYTES):
        pass
    return getattr(record.raw_stream, "limit", 0) <= 0


def _page_record(record: ArcWarcRecord, page: bytes | str, source: str,
                 max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """The article of one captured page; `page` is its body, or why the body was unreadable."""
    where = f"{source}#{_record_name(record)}"
    if isinstance(page, str):
        yield IngestError(where, page)
        return
    if not page.strip():
        yield IngestError(where, "empty HTML page")
        return
    charset = _content_type_charset(record) or declared_charset(page)
    decoded = decode_text(page, charset)
    if decoded is None:
        yield IngestError(where, "binary content, not HTML")
        return
    url = record.rec_headers.get_header("WARC-Target-URI")
    yield html_record(decoded.text, where, max_article_chars=max_article_chars, url=url)
    if decoded.warning:
        yield IngestError(where, decoded.warning, level="warning")


def _record_name(record: ArcWarcRecord) -> str:
    """The record's WARC-Record-ID without its angle brackets, else its target URI."""
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<> ")
    return record_id or record.rec_headers.get_header("WARC-Target-URI") or "unnamed record"


def _content_type_charset(record: ArcWarcRecord) -> str | None:
    headers = record.http_headers or record.rec_headers
    content_type = headers.get_header("Content-Type") or ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
