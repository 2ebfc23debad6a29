"""Event records: who did what to whom in each sentence, PLOVER-style, with the sentence as proof.

A sentence gives a record for each action cue of the lexicon (`data/plover.tsv`: PLOVER's
top-level categories, a mode such as "phone call", and the words that signal them). The
actor is the first named participant before the cue in the sentence (news sentences open
with their subject), the target the first after it; a person or organisation is preferred to
a nationality word ("Russian President Vladimir Putin" gives Vladimir Putin). The date is a
date written in the sentence, else the document's event date; the place is a place named
in the sentence. Needs sentences, entities and timexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from storyline.events.profiles import anchored_day
from storyline.model import Article, EventRecord

ACTOR_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_FULL_DATE = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True)
class Cue:
    action: str
    mode: str | None
    words: str


@cache
def lexicon() -> tuple[re.Pattern[str], dict[str, Cue]]:
    """One pattern over every cue (longest first) and the cue each matched text stands for."""
    cues: dict[str, Cue] = {}
    text = files("storyline.events").joinpath("data", "plover.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        action, mode, words = line.split("\t")
        for cue in words.split(","):
            cues.setdefault(cue.strip(), Cue(action, None if mode == "-" else mode, cue.strip()))
    alternatives = sorted(cues, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in alternatives) + r")\b",
                         re.IGNORECASE)
    return pattern, cues


def records_of(article: Article, sentences: int | None = None) -> list[EventRecord]:
    """The article's records (of its first `sentences` sentences if given): those annotated
    with it, else derived now (an article stored by an earlier version, or built in memory)."""
    records = article.records or sentence_records(article)
    if sentences is None or sentences >= len(article.sentences):
        return records
    lead_end = article.sentences[sentences].start
    return [r for r in records if r.sentence[0] < lead_end]


def sentence_records(article: Article) -> list[EventRecord]:
    """The records of each of the article's sentences; run once per document when it is
    annotated (`pipeline.annotate_parsed`)."""
    pattern, cues = lexicon()
    mentions = sorted(
        (start, end, entity.name, entity.type)
        for entity in article.entities for start, end in entity.mentions
    )
    anchored = anchored_day(article)
    written = article.event_date.value if article.event_date else None
    # A weekday with no dateline to resolve it (XXXX-WXX-4) is no date: unknown is null.
    default_date = anchored.isoformat() if anchored else (
        written[:10] if written and _FULL_DATE.match(written) else None)
    times = [t for t in article.timexes if t.type in ("DATE", "TIME")]
    records = []
    for sentence in article.sentences:
        inside = [m for m in mentions if sentence.start <= m[0] and m[1] <= sentence.end]
        dates = [t.value for t in article.timexes
                 if sentence.start <= t.start < sentence.end and t.value
                 and _FULL_DATE.match(t.value)]
        for match in pattern.finditer(article.text, sentence.start, sentence.end):
            if any(t.start <= match.start() < t.end for t in times):
                continue  # "March" in "in March 2022" is a month, not a protest
            cue = cues[match.group().lower()]
            before = _participants(m for m in inside if m[1] <= match.start())
            after = _participants(m for m in inside if m[0] >= match.end())
            places = [m[2] for m in inside if m[3] in PLACE_TYPES]
            records.append(EventRecord(
                doc_id=article.id,
                action=cue.action,
                mode=cue.mode,
                cue=match.group(),
                start=match.start(),
                end=match.end(),
                sentence=(sentence.start, sentence.end),
                actor=before[0] if before else None,
                target=after[0] if after else None,
                date=dates[0][:10] if dates else default_date,
                place=places[0] if places else None,
            ))
    return records


def _participants(mentions) -> list[str]:
    """Names of the actor-like mentions in text order, nationality words last."""
    found = [m for m in mentions if m[3] in ACTOR_TYPES]
    return [m[2] for m in sorted(found, key=lambda m: (m[3] == "NORP", m[0]))]
