"""Reader for URLs (http, https): fetch the page or feed, then read it like a file.

Fetched with urllib (no extra dependency), a 20 s timeout, a User-Agent naming storyline
and a size cap. The Content-Type header, or sniffing when it is vague, picks the reader:
HTML page, RSS/Atom feed, JSON, JSON Lines, WARC or plain text. A network failure is one
error naming the URL and the reason.
"""

from __future__ import annotations

import http.client
import io
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

from storyline.ingest.feed import read_feed
from storyline.ingest.files import gunzipped, is_feed, read_limited, sniff_format
from storyline.ingest.html import read_html
from storyline.ingest.jsonl import read_json, read_jsonl
from storyline.ingest.text import read_text
from storyline.ingest.warc import read_warc
from storyline.model import IngestError, RawRecord

USER_AGENT = "storyline/0.1 (news corpus analysis; +https://pypi.org/project/storyline/)"
FETCH_TIMEOUT_SECONDS = 20
MAX_FETCH_BYTES = 50 * 1024 * 1024

FORMAT_BY_CONTENT_TYPE = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/feed+json": "json",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "application/warc": "warc",
}
"""Content types that say what the body is; others (text/plain, */xml, ...) are sniffed."""


@dataclass(frozen=True)
class Fetched:
    """A downloaded body with the URL it finally came from and its declared type."""

    url: str
    body: bytes
    content_type: str
    charset: str | None


def read_url(url: str, *, max_article_chars: int) -> Iterator[RawRecord | IngestError]:
    """Fetch a URL and read what came back; one error if it could not be fetched."""
    fetched = fetch(url)
    if isinstance(fetched, str):
        yield IngestError(url, f"could not fetch {url}: {fetched}")
        return
    stream = gunzipped(io.BytesIO(fetched.body))
    kind = FORMAT_BY_CONTENT_TYPE.get(fetched.content_type)
    if kind is None:
        head = stream.read(4096)
        stream.seek(0)
        kind = sniff_format(head)
        if fetched.content_type.endswith("xml") and not is_feed(head):
            yield IngestError(url, f"unsupported content: {fetched.content_type} "
                                   "that is not an RSS or Atom feed")
            return
    if kind == "html":
        yield from read_html(stream, url, max_article_chars=max_article_chars, url=fetched.url,
                             charset=fetched.charset)
    else:
        reader = {"feed": read_feed, "json": read_json, "jsonl": read_jsonl,
                  "warc": read_warc, "text": read_text}[kind]
        yield from reader(stream, url, max_article_chars=max_article_chars)


def fetch(url: str) -> Fetched | str:
    """The response body and type, or the reason the fetch failed."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > MAX_FETCH_BYTES:
                return f"response too large ({_mb(int(declared))}, limit {_mb(MAX_FETCH_BYTES)})"
            body = read_limited(response, MAX_FETCH_BYTES)
            headers: Message = response.headers
            final_url = response.geturl()
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        return str(exc.reason)
    except TimeoutError:
        return f"timed out after {FETCH_TIMEOUT_SECONDS} s"
    except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad URL, cut body
        return f"{type(exc).__name__}: {exc}"
    if body is None:
        return f"response larger than {_mb(MAX_FETCH_BYTES)}"
    return Fetched(final_url, body, headers.get_content_type(), headers.get_content_charset())


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
