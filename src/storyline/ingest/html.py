"""Reader for HTML pages: the main text and the page's own metadata, with trafilatura.

trafilatura drops navigation, footers, comments and other site furniture and reads title,
URL, outlet (site name), byline and, through htmldate, the publication date. The page
language comes from its `lang` markup. The record keeps both the page (`html`) and the
extracted main text (`text`). WARC and feed readers reuse `html_record`.
Needs trafilatura (with htmldate and lxml_html_clean).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import BinaryIO

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document

from storyline.ingest.decoding import decode_text
from storyline.ingest.files import MAX_ARTICLE_BYTES, read_limited, too_large, too_many_chars
from storyline.model import IngestError, RawRecord

# Our failures are reported as IngestError values; the extractor's own "discarding data"
# log lines would repeat them on stderr when the application has not configured logging.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("htmldate").addHandler(logging.NullHandler())

DATE_PARAMS = {"extensive_search": False, "original_date": True}
"""htmldate reads the page's date markup (meta, JSON-LD, <time>, URL) but does not guess a
date from running text: a date the page does not declare stays unknown."""

NO_TEXT = "no article text in this HTML page"  # the wording `clean.NoArticleText` uses too
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
LANGUAGE_XPATHS = (
    "/html/@lang",
    "/html/@xml:lang",
    "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    "='content-language']/@content",
    "//meta[@property='og:locale']/@content",
)


def read_html(stream: BinaryIO, source: str, *, max_article_chars: int, url: str | None = None,
              charset: str | None = None) -> Iterator[RawRecord | IngestError]:
    """One HTML page as one article; `charset` is what an HTTP header declared, if any."""
    data = read_limited(stream, MAX_ARTICLE_BYTES)
    if data is None:
        yield IngestError(source, too_large(None, MAX_ARTICLE_BYTES))
        return
    if not data.strip():
        yield IngestError(source, "empty file")
        return
    decoded = decode_text(data, charset or declared_charset(data))
    if decoded is None:
        yield IngestError(source, "binary file, not HTML")
        return
    yield html_record(decoded.text, source, max_article_chars=max_article_chars, url=url)
    if decoded.warning:
        yield IngestError(source, decoded.warning, level="warning")


def html_record(page: str, source: str, *, max_article_chars: int, url: str | None = None,
                known: Mapping[str, str | None] | None = None) -> RawRecord | IngestError:
    """Main text and metadata of a page; `url` and non-empty `known` fields win over the page's."""
    tree = _parse(page)
    document = _extract(tree, url) if tree is not None else None
    text = (document.text or "").strip() if document is not None else ""
    if not text:
        return IngestError(source, NO_TEXT)
    if len(text) > max_article_chars:
        return IngestError(source, too_many_chars(len(text), max_article_chars))
    fields = {
        "title": document.title,
        "url": url or document.url,
        "published": document.date,
        "outlet": document.sitename,
        "byline": document.author,
        "language": page_language(tree),
    }
    fields.update({name: value for name, value in (known or {}).items() if value})
    return RawRecord(source=source, text=text, html=page, input_format="html", **fields)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its start."""
    match = META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def page_language(tree: HtmlElement) -> str | None:
    """The language the page declares (lang attribute, Content-Language, og:locale)."""
    for xpath in LANGUAGE_XPATHS:
        for value in tree.xpath(xpath, namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}):
            tag = str(value).strip().replace("_", "-")
            if tag:
                return tag
    return None


def _parse(page: str) -> HtmlElement | None:
    try:
        return trafilatura.load_html(page)
    except Exception:  # lxml and the extractor can fail in many ways on hostile markup
        return None


def _extract(tree: HtmlElement, url: str | None) -> Document | None:
    """Main text without comments; tables only when the page has no other text."""
    for include_tables in (False, True):
        try:
            document = trafilatura.bare_extraction(
                tree, url=url, with_metadata=True, include_comments=False,
                include_tables=include_tables, date_extraction_params=DATE_PARAMS)
        except Exception:  # same: a broken page must cost one error, not the run
            return None
        if document is not None and (document.text or "").strip():
            return document
    return None
