"""Reader for RSS and Atom feeds, with feedparser.

An entry that carries the full article (content:encoded, Atom content, or a summary long
enough to be the article) becomes an HTML article: title, link as URL, publication date,
author as byline and the feed's title as outlet. An entry with only a link and a teaser is
not fetched here; it is reported as a warning so the user sees what was left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html import escape
from typing import Any, BinaryIO

import feedparser
from lxml import etree
from lxml.html import fragment_fromstring

from storyline.ingest.files import read_limited
from storyline.ingest.html import html_record
from storyline.model import IngestError, RawRecord

MAX_FEED_BYTES = 50 * 1024 * 1024
FULL_TEXT_MIN_CHARS = 500
"""A summary with at least this much text is taken as the article, not a teaser."""

HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")


def read_feed(stream: BinaryIO, source: str, *,
              max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """Full-text entries as articles; link-only entries as "not fetched" warnings."""
    data = read_limited(stream, MAX_FEED_BYTES)
    if data is None:
        yield IngestError(source, f"feed larger than {MAX_FEED_BYTES // (1024 * 1024)} MB")
        return
    if not data.strip():
        yield IngestError(source, "empty file")
        return
    try:
        parsed = feedparser.parse(data)  # bytes, never a string: a string may be fetched as a URL
    except Exception as exc:  # feedparser's strict parser has crashed on malformed namespaces
        reason = f"{type(exc).__name__}: {exc}"
        yield IngestError(source, f"unreadable feed ({reason})")
        return
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        yield IngestError(source, f"not an RSS or Atom feed ({reason})")
        return
    if not parsed.entries:
        yield IngestError(source, "feed has no entries", level="warning")
    outlet = parsed.feed.get("title") or None
    language = parsed.feed.get("language") or None
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry_record(entry, number, source, outlet, language, max_article_chars)


def _entry_record(entry: Any, number: int, source: str, outlet: str | None,
                  language: str | None, max_article_chars: int) -> RawRecord | IngestError:
    link = entry.get("link") or None
    content = full_text(entry)
    if content is None:
        what = link or f"entry {number} ({entry.get('title') or 'untitled'})"
        return IngestError(source, f"not fetched: {what} (entry has no full text)",
                           level="warning")
    title = entry.get("title") or None
    known = {
        "title": title,
        "url": link,
        "published": entry_date(entry),
        "byline": entry.get("author") or None,
        "outlet": outlet,
        "language": language,
    }
    page = _page(title, content)
    where = f"{source}#{entry.get('id') or link or number}"
    return html_record(page, where, max_article_chars=max_article_chars, url=link, known=known)


def full_text(entry: Any) -> str | None:
    """The entry's article as HTML: its longest content, or a summary long enough to be it."""
    contents = [item for item in entry.get("content") or [] if (item.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda item: len(item["value"]))
        return _as_html(best["value"], best.get("type") or "")
    summary = entry.get("summary") or ""
    summary_type = (entry.get("summary_detail") or {}).get("type") or "text/html"
    if len(_visible_text(summary).strip()) >= FULL_TEXT_MIN_CHARS:
        return _as_html(summary, summary_type)
    return None


def entry_date(entry: Any) -> str | None:
    """The entry's publication date as YYYY-MM-DD, in the feed's own time zone.

    Read from the date string itself: feedparser's parsed tuple is in UTC, which can move
    a late-evening story to the next day.
    """
    for key in ("published", "updated"):
        raw = (entry.get(key) or "").strip()
        if raw:
            found = _parse_date(raw) or _utc_date(entry.get(f"{key}_parsed"))
            if found:
                return found.isoformat()
    return None


def _parse_date(raw: str) -> date | None:
    try:
        return parsedate_to_datetime(raw).date()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()  # Atom: RFC 3339
    except ValueError:
        return None


def _utc_date(parsed: Any) -> date | None:
    try:
        return date(*parsed[:3]) if parsed else None
    except (TypeError, ValueError):
        return None


def _as_html(value: str, content_type: str) -> str:
    if content_type.lower() in HTML_CONTENT_TYPES:
        return value
    paragraphs = [part.strip() for part in value.split("\n\n") if part.strip()]
    return "\n".join(f"<p>{escape(part)}</p>" for part in paragraphs)


def _page(title: str | None, content: str) -> str:
    """A whole HTML document around the entry's content, which the extractor expects."""
    head = f"<title>{escape(title)}</title>" if title else ""
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8">{head}</head>'
            f"<body><article>{content}</article></body></html>")


def _visible_text(markup: str) -> str:
    if "<" not in markup:
        return markup
    try:
        return fragment_fromstring(markup, create_parent="div").text_content()
    except (etree.ParserError, ValueError):
        return markup
