"""Document profiles: what the grouping compares — salient words, names, numbers and a date.

A profile is built from one annotated `Article` (sentences, entities, event date). Words of
the headline and lead count more than the body, because they name the main event; person
names are also split into their parts so "Lohan" meets "Lindsay Lohan". In articles of other
languages the frequent actors of `names` (Путин, 普京) are added under their English names.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from storyline.events.names import known_names
from storyline.model import Article

LEAD_SENTENCES = 3
LEAD_WEIGHT = 2.0
NAME_TYPES = frozenset({"PERSON", "GPE", "LOC", "FAC", "ORG", "NORP", "EVENT"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_MONTH_VALUE = re.compile(r"\d{4}-\d\d")
_WEEKDAY_VALUE = re.compile(r"XXXX-WXX-([1-7])")
_MONTH_DAY_VALUE = re.compile(r"XXXX-(\d\d)-(\d\d)")


@dataclass
class Profile:
    """The comparable features of one document; `terms` are raw weights before IDF."""

    doc_id: str
    terms: dict[str, float]
    names: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    # Cities, regions and countries: two reports of one event name them alike, while the
    # streets and buildings they name vary ("Patton Avenue", "the 3700 block of Elm Street").
    towns: set[str] = field(default_factory=set)
    date: dt.date | None = None
    date_confidence: float = 0.0
    published: dt.date | None = None
    language: str | None = None
    mentioned_days: frozenset[int] = frozenset()
    month_day: tuple[int, int] | None = None
    mentioned_months: frozenset[str] = frozenset()


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop list of the language (English when unknown or not available)."""
    code = (language or "en").split("-")[0].lower()
    try:
        module = import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        module = import_module("spacy.lang.en.stop_words")
    return frozenset(module.STOP_WORDS)


def normal_word(word: str) -> str:
    """Lower case without possessive ending or dots inside abbreviations."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.replace(".", "") if not _NUMBER.fullmatch(word) else word


def words(text: str, language: str | None) -> list[str]:
    """The content words of a text: no stop words, no one-letter tokens."""
    stops = stop_words(language)
    found = []
    for match in _WORD.finditer(text):
        word = normal_word(match.group())
        if len(word) > 1 and word not in stops:
            found.append(word)
    return found


def lead_end(article: Article) -> int:
    """Character offset where the lead (headline and first sentences) ends."""
    if len(article.sentences) > LEAD_SENTENCES:
        return article.sentences[LEAD_SENTENCES].start
    return len(article.text)


def name_keys(name: str, type_: str, language: str | None) -> list[str]:
    """Keys under which a name is matched: the full name, and each part of a person's name."""
    parts = words(name, language)
    if not parts:
        return []
    keys = ["n:" + " ".join(parts)]
    if type_ == "PERSON" and len(parts) > 1:
        keys += ["n:" + part for part in parts if not part.isdigit()]
    return keys


def build_profile(article: Article) -> Profile:
    """Features of one article for grouping."""
    language = article.language
    split = lead_end(article)
    counts: Counter[str] = Counter()
    head = (article.title or "") + "\n" + article.text[:split]
    for word in words(head, language):
        counts[word] += LEAD_WEIGHT
    for word in words(article.text[split:], language):
        counts[word] += 1.0
    names: set[str] = set()
    places: set[str] = set()
    towns: set[str] = set()
    for entity in article.entities:
        if entity.type not in NAME_TYPES:
            continue
        keys = name_keys(entity.name, entity.type, language)
        in_lead = any(start < split for start, _ in entity.mentions)
        weight = len(entity.mentions) + (LEAD_WEIGHT if in_lead else 0.0)
        for key in keys:
            counts[key] += weight
        names.update(keys)
        if entity.type in PLACE_TYPES and keys:
            places.add(keys[0])
            if entity.type == "GPE":
                towns.add(keys[0])
    if language and not language.startswith("en"):
        for name, type_, start, _ in known_names(article.text):
            keys = name_keys(name, type_, "en")
            for key in keys:
                counts[key] += LEAD_WEIGHT if start < split else 1.0
                names.add(key)
            if type_ in PLACE_TYPES and keys:
                places.add(keys[0])
                if type_ == "GPE":
                    towns.add(keys[0])
    terms = {term: 1.0 + math.log(count) for term, count in counts.items() if count >= 1.0}
    event_date = article.event_date
    days = {_day(t.value) for t in article.timexes if t.type == "DATE"}
    return Profile(
        doc_id=article.id,
        terms=terms,
        names=names,
        places=places,
        towns=towns,
        date=anchored_day(article),
        date_confidence=event_date.confidence if event_date and event_date.value else 0.0,
        month_day=_month_day(event_date.value if event_date else None),
        published=_day(article.published),
        language=language,
        mentioned_days=frozenset(day.toordinal() for day in days if day),
        mentioned_months=frozenset(
            t.value[:7] for t in article.timexes
            if t.value and _MONTH_VALUE.fullmatch(t.value[:7]) and t.value[:4] != "XXXX"),
    )


def anchor_day(article: Article) -> dt.date | None:
    """The day the text was written: its publication date, else a full date in its dateline.

    A dateline ("Published: Jun 16, 2022") is a full date written before the event date's
    own mention; without one, partial dates ("Wednesday") stay unresolved.
    """
    if article.published:
        return _day(article.published)
    before = article.event_date.start if article.event_date and article.event_date.start else 0
    for timex in article.timexes:
        if timex.start >= before:
            break
        if timex.type in ("DATE", "TIME") and (day := _day(timex.value)):
            return day
    return None


def anchored_day(article: Article) -> dt.date | None:
    """The event date as a day, resolving "Wednesday" or "June 15" against the dateline."""
    found = article.event_date
    if found is None or not found.value:
        return None
    if day := _day(found.value):
        return day
    anchor = anchor_day(article)
    if anchor is None:
        return None
    if weekday := _WEEKDAY_VALUE.fullmatch(found.value):
        back = (anchor.isoweekday() - int(weekday.group(1))) % 7
        return anchor - dt.timedelta(days=back)
    if (month_day := _month_day(found.value)) is not None:
        for year in (anchor.year, anchor.year - 1):
            try:
                day = dt.date(year, *month_day)
            except ValueError:
                return None
            if day <= anchor + dt.timedelta(days=1):
                return day
    return None


def _month_day(value: str | None) -> tuple[int, int] | None:
    match = _MONTH_DAY_VALUE.fullmatch(value or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
