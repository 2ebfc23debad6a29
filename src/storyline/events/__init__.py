"""Events: documents grouped into event instances, and events linked into stories.

`assign_events(store)` reads the store's annotated articles (sentences, entities, event
dates), builds a profile of each (`profiles`, with `names` for actors written in other
scripts), groups them (`grouping`: candidates from an index, average linkage, a reason for
every merge), describes each event (`describe`: title, date with confidence and disagreeing
dates, PLOVER type and mode from the sentence `records`, participants, place), links events
into stories (`stories`) and writes events, stories and each document's event id.

Every run groups the whole store again (linear in the corpus), so the result does not depend
on the order or the runs in which documents arrived. Event ids are kept across runs: a group
keeps the id most of its documents had, and only events whose content changed are rewritten,
so a re-run with new documents only changes the events those documents touch.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict

from storyline.events.describe import (
    central_member,
    event_date,
    event_type,
    headline,
    participants_and_place,
)
from storyline.events.grouping import (
    DEFAULT,
    Config,
    Group,
    TaskRunner,
    cyclic_gc_paused,
    group,
    run_here,
)
from storyline.events.profiles import Profile, build_profile
from storyline.events.stories import link_stories
from storyline.model import Article, Event
from storyline.store import Store

__all__ = ["TaskRunner", "assign_events", "describe_events", "group_articles", "run_here"]


def group_articles(
    articles: list[Article], config: Config = DEFAULT, profiles: list[Profile] | None = None,
    run_tasks: TaskRunner = run_here,
) -> list[Group]:
    """Event groups of the articles (reposts included: a copy reports its original's event)."""
    with cyclic_gc_paused():
        return group(profiles or [build_profile(a) for a in articles], config, run_tasks)


def describe_events(
    articles: list[Article],
    groups: list[Group],
    previous: dict[str, str | None] | None = None,
    profiles: dict[str, Profile] | None = None,
) -> list[Event]:
    """Events of the groups, with ids kept from `previous` (doc -> earlier event id)."""
    by_id = {a.id: a for a in articles}
    profiles = profiles or {a.id: build_profile(a) for a in articles}
    previous = previous or {}
    taken: set[str] = set()
    events = []
    for found in sorted(groups, key=lambda g: (-len(g.documents), g.documents[0])):
        members = [by_id[d] for d in found.documents]
        event_id = _event_id(found.documents, previous, taken)
        taken.add(event_id)
        member_profiles = [profiles[a.id] for a in members]
        people, place = participants_and_place(members)
        kind = event_type(members)
        events.append(Event(
            id=event_id,
            title=headline(members[central_member(member_profiles)]),
            documents=found.documents,
            **kind,
            **event_date(members, kind["type"]),
            participants=people,
            location=place,
            merges=[m.to_dict() for m in found.merges],
        ))
    return events


def assign_events(
    store: Store, config: Config = DEFAULT, articles: list[Article] | None = None,
    run_tasks: TaskRunner = run_here,
) -> int:
    """Group every stored article into events and stories; returns the number of events.

    `articles` are the store's articles when the caller has already loaded them; `run_tasks`
    runs the grouping's time windows (on Ray with `--engine ray`).
    """
    articles = list(store.articles()) if articles is None else articles
    previous = {a.id: a.event_id for a in articles}
    with cyclic_gc_paused():
        profiles = [build_profile(a) for a in articles]
        groups = group_articles(articles, config, profiles, run_tasks)
    found = describe_events(articles, groups, previous,
                            {a.id: p for a, p in zip(articles, profiles, strict=True)})
    stories = [asdict(s) for s in link_stories(found)]
    events = [asdict(e) for e in found]
    old = {e["id"]: e for e in store.events()}
    for event in events:  # the same members keep their claims; the compare stage checks them
        earlier = old.get(event["id"])
        if earlier and earlier["documents"] == event["documents"]:
            event["claims"] = earlier.get("claims", [])
            event["summary"] = earlier.get("summary", [])
    gone = set(old) - {e["id"] for e in events}
    gone |= {s["id"] for s in store.stories()} - {s["id"] for s in stories}
    changed = [e for e in events if _canonical(old.get(e["id"])) != _canonical(e)]
    store.write_events(events if gone else changed, stories, replace_all=bool(gone))
    assignment = {doc: e["id"] for e in events for doc in e["documents"]}
    store.set_event_ids({d: ev for d, ev in assignment.items() if previous.get(d) != ev})
    return len(events)


def _canonical(event: dict | None) -> str:
    return json.dumps(event, sort_keys=True, ensure_ascii=False)


def _event_id(documents: list[str], previous: dict[str, str | None], taken: set[str]) -> str:
    """The id most members had before (if still free), else one derived from the members."""
    earlier = Counter(previous.get(d) for d in documents if previous.get(d))
    for event_id, _ in earlier.most_common():
        if event_id not in taken:
            return event_id
    base = "ev-" + hashlib.sha1(min(documents).encode("utf-8")).hexdigest()[:10]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
