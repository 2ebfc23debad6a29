"""Compare the outlets of an event: which claims several independent outlets confirm, which
only one makes, where they contradict each other, a cited summary, and each outlet's framing.

Pure functions over annotated documents (sentences, entities, timexes, quotes, repost flags);
the pipeline calls them once the documents are grouped into events.

    comparison = compare_event(members_of_one_event)
    event["claims"], event["summary"] = comparison.contract()
    outlets = outlet_framing(all_articles, {event_id: doc_ids, ...})

`compare_events(store)` does this for every stored event whose members changed since the
last run and writes the result back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from storyline.compare.claims import claims_of_units, event_units, source_keys
from storyline.compare.framing import outlet_framing
from storyline.compare.summary import summarize
from storyline.model import Article, Claim, ClaimSupport
from storyline.store import Store

__all__ = ["EventComparison", "compare_event", "compare_events", "outlet_framing"]

# Change when a new release computes claims differently, so stored claims are computed again.
COMPARISON_VERSION = "2026-11-30.2"


@dataclass
class EventComparison:
    """The claims of one event and its cited summary."""

    claims: list[Claim] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)

    def contract(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """`events[].claims` and `events[].summary` as the SPEC's output contract has them."""
        return [asdict(c) for c in self.claims], list(self.summary)


def compare_event(articles: list[Article]) -> EventComparison:
    """Claims (aligned, with status and conflicts) and a 3-5 sentence summary of one event."""
    if not articles:
        return EventComparison()
    sources = source_keys(articles)
    units = event_units(articles, sources)
    claims = claims_of_units(units)
    by_start = {(u.doc, u.start): u for u in units}
    return EventComparison(claims, summarize(claims, by_start, sources))


def compare_events(store: Store, articles: list[Article] | None = None) -> tuple[int, int]:
    """Claims and a summary for each stored event whose members changed since its claims were
    computed, and each outlet's framing; returns the claim count and the events compared.

    `articles` are the store's articles when the caller has already loaded them.
    """
    articles = {a.id: a for a in (store.articles() if articles is None else articles)}
    events = store.events()
    known = store.comparison_bases()
    claims_by_event: dict[str, list[Claim]] = {}
    compared, bases = [], {}
    for event in events:
        members = [articles[d] for d in event["documents"] if d in articles]
        basis = comparison_basis(members)
        if known.get(event["id"]) == basis and "claims" in event:
            claims_by_event[event["id"]] = [_claim(c) for c in event["claims"]]
            continue
        comparison = compare_event(members)
        event["claims"], event["summary"] = comparison.contract()
        claims_by_event[event["id"]] = comparison.claims
        compared.append(event)
        bases[event["id"]] = basis
    store.write_comparisons(compared, bases)
    members_by_event = {event["id"]: event["documents"] for event in events}
    store.write_outlets(outlet_framing(list(articles.values()), members_by_event, claims_by_event))
    return sum(len(event["claims"]) for event in events), len(compared)


def comparison_basis(members: list[Article]) -> str:
    """What an event's claims depend on: its members' ids, inputs, outlets and repost flags,
    and the version of this stage (`COMPARISON_VERSION`)."""
    digest = hashlib.sha1(COMPARISON_VERSION.encode())
    for article in sorted(members, key=lambda a: a.id):
        digest.update(json.dumps([article.id, article.fingerprint, article.outlet,
                                  article.flags.duplicate_of]).encode())
    return digest.hexdigest()


def _claim(stored: dict[str, Any]) -> Claim:
    return Claim(**{**stored, "support": [ClaimSupport(**s) for s in stored["support"]]})
