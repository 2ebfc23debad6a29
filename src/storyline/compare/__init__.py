"""Compare the outlets of an event: which claims several independent outlets confirm, which
only one makes, where they contradict each other, a cited summary, and each outlet's framing.

Pure functions over annotated documents (sentences, entities, timexes, quotes, repost flags);
the pipeline calls them once the documents are grouped into events.

    comparison = compare_event(members_of_one_event)
    event["claims"], event["summary"] = comparison.contract()
    outlets = outlet_framing(all_articles, {event_id: doc_ids, ...})

`compare_events(store)` does this for every stored event and writes the result back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from storyline.compare.claims import claims_of_units, event_units, source_keys
from storyline.compare.framing import outlet_framing
from storyline.compare.summary import summarize
from storyline.model import Article, Claim
from storyline.store import Store

__all__ = ["EventComparison", "compare_event", "compare_events", "outlet_framing"]


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


def compare_events(store: Store, articles: list[Article] | None = None) -> int:
    """Claims and a summary for every stored event, and each outlet's framing; the claim count.

    `articles` are the store's articles when the caller has already loaded them.
    """
    articles = {a.id: a for a in (store.articles() if articles is None else articles)}
    events = store.events()
    claims_by_event: dict[str, list[Claim]] = {}
    for event in events:
        comparison = compare_event([articles[d] for d in event["documents"] if d in articles])
        event["claims"], event["summary"] = comparison.contract()
        claims_by_event[event["id"]] = comparison.claims
    members = {event["id"]: event["documents"] for event in events}
    store.write_events(events)
    store.write_outlets(outlet_framing(list(articles.values()), members, claims_by_event))
    return sum(len(event["claims"]) for event in events)
