"""Stories: events linked by their main actors and theme over time, with a timeline.

Two events belong to one story when they share at least two of their leading participants
(people, organisations, countries) — the Xi–Putin calls of 2022 and 2024 — found through an
index from participant to events, so linking is not quadratic. Stories are the connected
groups of two or more events; each has a title from its participants and a dated timeline.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from storyline.model import Event, Story

LEADING_PARTICIPANTS = 4
SHARED_TO_LINK = 2
MAX_EVENTS_PER_NAME = 200


def _leaders(event: Event) -> set[str]:
    return {p["name"].lower() for p in event.participants[:LEADING_PARTICIPANTS]}


def link_stories(events: list[Event]) -> list[Story]:
    """Stories of the events (only those with two or more events)."""
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_name: dict[str, list[int]] = defaultdict(list)
    leaders = [_leaders(e) for e in events]
    for i, names in enumerate(leaders):
        for name in names:
            by_name[name].append(i)
    for i, names in enumerate(leaders):
        shared: dict[int, int] = defaultdict(int)
        for name in names:
            if len(by_name[name]) <= MAX_EVENTS_PER_NAME:
                for j in by_name[name]:
                    if j != i:
                        shared[j] += 1
        for j, n in shared.items():
            if n >= SHARED_TO_LINK:
                parent[root(i)] = root(j)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(events)):
        members[root(i)].append(i)
    return [_story([events[i] for i in group]) for group in members.values() if len(group) > 1]


def _story(events: list[Event]) -> Story:
    timeline = sorted(events, key=lambda e: (e.date or "9999", e.id))
    ids = sorted(e.id for e in events)
    return Story(
        id="story-" + hashlib.sha1(" ".join(ids).encode("utf-8")).hexdigest()[:10],
        title=" – ".join(_title_names(timeline)[:3]) or timeline[0].title,
        events=[e.id for e in timeline],
        timeline=[{"date": e.date, "event_id": e.id, "title": e.title} for e in timeline],
    )


def _title_names(events: list[Event]) -> list[str]:
    """The participants every event has, people first, then by how high they rank in each;
    nationality words ("Chinese") describe rather than name an actor."""
    ranks: list[dict[str, tuple[int, str, str]]] = [
        {p["name"].lower(): (rank, p["name"], p.get("type", "")) for rank, p in
         enumerate(e.participants) if p.get("type") != "NORP"} for e in events]
    common = set.intersection(*(set(r) for r in ranks))
    first = ranks[0]
    return [first[key][1] for key in sorted(
        common, key=lambda key: (first[key][2] != "PERSON", sum(r[key][0] for r in ranks), key))]
