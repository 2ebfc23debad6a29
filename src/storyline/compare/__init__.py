"""Compare the outlets of an event: which claims several independent outlets confirm, which
only one makes, where they contradict each other, a cited summary, and each outlet's framing.

Pure functions over annotated documents (sentences, entities, timexes, quotes, repost flags);
the pipeline calls them once the documents are grouped into events.

    comparison = compare_event(members_of_one_event)
    event["claims"], event["summary"] = comparison.contract()
    outlets = outlet_framing(all_articles, {event_id: doc_ids, ...})
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from storyline.compare.claims import extract_claims, source_keys, units_of
from storyline.compare.framing import outlet_framing
from storyline.compare.summary import summarize
from storyline.model import Article, Claim

__all__ = ["EventComparison", "compare_event", "outlet_framing"]


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
    claims = extract_claims(articles)
    sources = source_keys(articles)
    units = {(u.doc, u.start): u for a in articles for u in units_of(a, sources[a.id])}
    return EventComparison(claims, summarize(claims, units, sources))
