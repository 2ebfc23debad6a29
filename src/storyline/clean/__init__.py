"""Cleaning: turn a raw record into an `Article` with its metadata, provenance and flags.

Plain-text and HTML-extracted articles go through `clean_plain_text` (title, byline, date,
URL and outlet lines; boilerplate; hard wraps). JSON records are kept verbatim, since gold
annotations point into their text. Every article gets a language and a machine-translation
likelihood. Reposts are found later, across the corpus (`clean.reposts`). A record with no
article text left (a page of navigation only, a file of links) raises `NoArticleText`, whose
message is the error line the user sees for that input.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from storyline.clean.language import identify_language
from storyline.clean.plaintext import clean_plain_text, outlet_for_url, parse_datetime
from storyline.clean.translation import (
    MACHINE_TRANSLATION_THRESHOLD,
    machine_translation_evidence,
)
from storyline.model import Article, Evidence, Flags, RawRecord

__all__ = ["NoArticleText", "clean_record", "normalise_date"]

INPUT_KINDS = {"text": "text file", "html": "HTML page", "json": "JSON record"}
"""What a record is called in an error line, by its `input_format` (WARC and feed pages are
HTML)."""


class NoArticleText(ValueError):
    """A record whose text is empty once extracted and cleaned: an input error, not a bug.

    Its message is the one-line error for the run summary and the store's error table.
    """

    def __init__(self, record: RawRecord) -> None:
        kind = INPUT_KINDS.get(record.input_format, "input")
        super().__init__(f"no article text in this {kind}")


def clean_record(record: RawRecord, doc_id: str) -> Article:
    """Clean one record; metadata the input declared wins over what the text suggests."""
    if record.verbatim:
        text, found_title, edits = record.text or "", None, []
        evidence, byline, url = {}, None, None
    else:
        cleaned = clean_plain_text(record.text or "", known_title=record.title)
        text, found_title, edits = cleaned.text, cleaned.title, cleaned.edits
        evidence, byline, url = cleaned.evidence, cleaned.byline, cleaned.url
    if not text.strip():
        raise NoArticleText(record)

    declared = {
        "title": record.title, "url": record.url, "outlet": record.outlet,
        "byline": record.byline, "language": record.language,
        "published": normalise_date(record.published) if record.published else None,
    }
    for name, value in declared.items():
        if value:
            evidence[name] = Evidence(value, f"input:{record.input_format}", None, 1.0)
    url = record.url or url
    if url and "outlet" not in evidence and (outlet := outlet_for_url(url)):
        evidence["outlet"] = Evidence(outlet, "url-host", url, 0.95)

    language, confidence = (record.language, 1.0) if record.language else identify_language(text)
    if language and "language" not in evidence:
        evidence["language"] = Evidence(language, "py3langid", None, round(confidence, 3))
    score, signals = machine_translation_evidence(text, language)

    return Article(
        id=doc_id,
        source=record.source,
        text=text,
        fingerprint=record.fingerprint,
        title=record.title or found_title,
        url=url,
        outlet=_value(evidence, "outlet"),
        byline=record.byline or byline,
        published=_value(evidence, "published"),
        language=language,
        input_format=record.input_format,
        flags=Flags(
            machine_translation=score >= MACHINE_TRANSLATION_THRESHOLD,
            machine_translation_score=round(score, 3),
            machine_translation_evidence=signals,
        ),
        evidence=evidence,
        edits=edits,
    )


@lru_cache(maxsize=4096)  # read once when a record is checked, again when it is cleaned
def normalise_date(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from a declared date string; None if it is not a date."""
    text = text.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        parsed = parse_datetime(text)
        return parsed.date().isoformat() if parsed else None


def _value(evidence: dict[str, Evidence], name: str) -> str | None:
    return evidence[name].value if name in evidence else None
