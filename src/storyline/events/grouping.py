"""Grouping documents into event instances: candidates from an index, then average linkage.

Each document is a TF-IDF vector of its content words and names (IDF from the documents being
grouped). Candidate pairs come from an inverted index over each document's most salient
terms and names, also keyed by week so that a common word ("shooting", a big city) still
finds the documents of the same days; keys held by too many documents are skipped and each
document keeps its `max_candidates` best-sharing partners, so the work grows linearly.

A candidate pair's similarity is the cosine, lowered when the documents' dates disagree (two
calls two years apart are two events) unless one names the other's date (a trial report
naming the day of the shooting), and lowered when each misses the other's leading names (two
title fights of one boxer). Average linkage then merges groups while their mean similarity
(missing pairs count as zero) stays above a threshold, and two groups of several documents
only while they are nearly as close to each other as their own members are (`cohesion`).
Every merge keeps its reason. The result does not depend on the order of the documents.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

from storyline.events.profiles import Profile


@dataclass(frozen=True)
class Config:
    """One configuration for every corpus; values chosen on the train and dev splits of
    ECB+, GVC and GVA long-tail (see `storyline eval events`)."""

    threshold: float = 0.095
    salient_terms: int = 20
    salient_names: int = 10
    max_postings: int = 150
    candidate_budget: int = 600  # postings a document reads; dev documents read at most 373
    max_candidates: int = 40
    week_keys: bool = True
    date_tolerance_days: int = 3
    date_horizon_days: int = 14
    date_penalty: float = 0.15
    confident_date: float = 0.5
    mentioned_date_factor: float = 0.9
    cohesion: float = 0.6
    cohesion_size: int = 3
    name_conflict: float = 0.4
    top_names: int = 3


DEFAULT = Config()


@dataclass
class Merge:
    """Why two groups were joined: the closest pair of documents and what they share."""

    documents: tuple[str, str]
    similarity: float
    average: float
    shared_names: list[str] = field(default_factory=list)
    date_gap_days: int | None = None

    def to_dict(self) -> dict:
        return {
            "documents": list(self.documents),
            "similarity": round(self.similarity, 3),
            "average_similarity": round(self.average, 3),
            "shared_names": self.shared_names,
            "date_gap_days": self.date_gap_days,
        }


@dataclass
class Group:
    documents: list[str]
    merges: list[Merge]


def idf_weights(profiles: Iterable[Profile]) -> dict[str, float]:
    """Smoothed inverse document frequency of every term of the corpus."""
    df: Counter[str] = Counter()
    total = 0
    for profile in profiles:
        df.update(profile.terms.keys())
        total += 1
    return {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in df.items()}


def vector(profile: Profile, idf: dict[str, float]) -> dict[str, float]:
    """The unit-length TF-IDF vector of a profile."""
    weights = {t: w * idf.get(t, 1.0) for t, w in profile.terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def reference_date(profile: Profile, config: Config):
    """The date to compare: the event date, else the publication date."""
    return profile.date or profile.published


def mentions_date_of(a: Profile, b: Profile, config: Config) -> bool:
    """Whether `a` mentions the day (±1) or the month of `b`'s date: a follow-up's look back."""
    day = reference_date(b, config)
    if day is None:
        return False
    ordinal = day.toordinal()
    if any(ordinal + k in a.mentioned_days for k in (-1, 0, 1)):
        return True
    return day.isoformat()[:7] in a.mentioned_months


def date_gap(a: Profile, b: Profile, config: Config) -> int | None:
    """Days between the two documents' dates; a day without a year takes the other's year."""
    da, db = reference_date(a, config), reference_date(b, config)
    if da is not None and db is not None:
        return abs((da - db).days)
    if da is None and db is None:
        if a.month_day is None or b.month_day is None:
            return None
        da, b = dt.date(2000, *a.month_day), replace(b, date=None)
        return date_gap(replace(a, date=da), b, config)
    known, partial = (da, b) if da is not None else (db, a)
    if partial.month_day is None:
        return None
    gaps = []
    for year in (known.year - 1, known.year, known.year + 1):
        try:
            gaps.append(abs((dt.date(year, *partial.month_day) - known).days))
        except ValueError:
            return None
    return min(gaps)


def date_factor(a: Profile, b: Profile, config: Config) -> float:
    """1 when dates agree or are unknown; lower as the gap grows past the tolerance.

    A document that mentions the other's date (a trial report naming the day of the
    shooting) keeps most of its similarity.
    """
    gap = date_gap(a, b, config)
    if gap is None:
        return 1.0
    if gap <= config.date_tolerance_days:
        return 1.0
    if mentions_date_of(a, b, config) or mentions_date_of(b, a, config):
        return config.mentioned_date_factor
    confident = min(a.date_confidence, b.date_confidence) >= config.confident_date
    if gap >= config.date_horizon_days:
        return config.date_penalty * (0.5 if confident else 1.0)
    span = config.date_horizon_days - config.date_tolerance_days
    fall = (gap - config.date_tolerance_days) / span
    return 1.0 - (1.0 - config.date_penalty) * fall


def language_free(vec: dict[str, float]) -> dict[str, float]:
    """The part of a vector two languages share: names and numbers, of unit length."""
    kept = {t: w for t, w in vec.items() if t.startswith("n:") or t[:1].isdigit()}
    norm = math.sqrt(sum(w * w for w in kept.values())) or 1.0
    return {t: w / norm for t, w in kept.items()}


def similarity(
    a: Profile, b: Profile, va: dict[str, float], vb: dict[str, float], config: Config,
    leading: tuple[list[str], list[str]] | None = None,
) -> float:
    """Cosine of the two documents, lowered when their dates or leading names disagree.

    Documents in two languages are compared on what they can share: names and numbers.

    Leading names count only when the dates do not already agree: the first report of a
    shooting often lacks the victim's name that the next day's report gives.
    """
    if a.language and b.language and a.language[:2] != b.language[:2]:
        va, vb = language_free(va), language_free(vb)
    content = cosine(va, vb)
    factor = date_factor(a, b, config)
    if config.name_conflict and not (factor == 1.0 and _dated(a, b, config)):
        top_a, top_b = leading or (leading_names(va, config), leading_names(vb, config))
        content *= 1 - config.name_conflict * name_mismatch(a, b, top_a, top_b)
    return content * factor


def _dated(a: Profile, b: Profile, config: Config) -> bool:
    return reference_date(a, config) is not None and reference_date(b, config) is not None


def leading_names(vec: dict[str, float], config: Config) -> list[str]:
    """The document's most salient names."""
    names = [t for t in vec if t.startswith("n:")]
    return sorted(names, key=vec.__getitem__, reverse=True)[: config.top_names]


def name_mismatch(a: Profile, b: Profile, top_a: list[str], top_b: list[str]) -> float:
    """How far each document's leading names are missing from the other (0 to 1).

    Two fights of one boxer share his name but not the opponents'; both sides must miss
    the other's leading names for a conflict.
    """
    if not top_a or not top_b:
        return 0.0
    miss_a = sum(name not in b.names for name in top_a) / len(top_a)
    miss_b = sum(name not in a.names for name in top_b) / len(top_b)
    return min(miss_a, miss_b)


def candidate_keys(profile: Profile, vec: dict[str, float], config: Config) -> list[str]:
    """Index keys of a document: its most salient terms and names, alone and with their week."""
    ranked = sorted(vec, key=vec.__getitem__, reverse=True)
    top = ranked[: config.salient_terms]
    top += [t for t in ranked[config.salient_terms:] if t.startswith("n:")][: config.salient_names]
    keys = list(top)
    day = reference_date(profile, config)
    if config.week_keys and day is not None:
        week = day.toordinal() // 7
        keys += [f"{term}@{w}" for term in top for w in (week - 1, week, week + 1)]
    return keys


def candidate_pairs(
    profiles: list[Profile], vectors: list[dict[str, float]], config: Config
) -> set[tuple[int, int]]:
    """Pairs of documents that share index keys held by few enough documents.

    A document reads the postings of its rarest keys first, up to `candidate_budget` entries
    (common keys fill up as the corpus grows, and would make each document's work grow with
    it), and keeps the `max_candidates` others that share the most keys with it, so the work
    and the number of pairs grow linearly with the corpus.
    """
    keys = [candidate_keys(p, v, config) for p, v in zip(profiles, vectors, strict=True)]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, profile in enumerate(profiles):
        day = reference_date(profile, config)
        own_week = f"@{day.toordinal() // 7}" if day is not None else None
        for key in keys[i]:
            if "@" in key and not key.endswith(own_week or "\0"):
                continue  # a document is filed under its own week only, queried with ±1
            postings[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for i, own_keys in enumerate(keys):
        lists = [found for key in own_keys
                 if (found := postings.get(key)) and len(found) <= config.max_postings]
        if sum(map(len, lists)) > config.candidate_budget:
            lists = _rarest_within(lists, config.candidate_budget)
        shared = Counter(chain.from_iterable(lists))
        shared.pop(i, None)
        best = (shared.most_common(config.max_candidates)
                if len(shared) > config.max_candidates else shared.items())
        pairs.update((min(i, j), max(i, j)) for j, _ in best)
    return pairs


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while millions of small containers are built.

    Grouping makes no reference cycles, but each full collection walks every live object, so
    left on, the collector's passes grow with the corpus and make grouping superlinear.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Runs one function over a list of argument tuples and returns the results in order: plain
# calls here, Ray tasks on a cluster (`storyline.distributed.ray_session`).
TaskRunner = Callable[[Callable[..., Any], list[tuple]], list[Any]]


def run_here(function: Callable[..., Any], tasks: list[tuple]) -> list[Any]:
    return [function(*arguments) for arguments in tasks]


def group(profiles: list[Profile], config: Config = DEFAULT,
          run_tasks: TaskRunner = run_here) -> list[Group]:
    """Event groups of the documents, each with the reasons of its merges.

    The corpus-wide parts (IDF, the candidate index) run here; scoring the candidate pairs
    and the linkage run window by window (a calendar month of the documents' dates) through
    `run_tasks`. Documents linked across a window border are clustered together in the
    earlier window, and each linked component is clustered on its own, so the result does
    not depend on the runner.
    """
    with cyclic_gc_paused():
        idf = idf_weights(profiles)
        vectors = [vector(p, idf) for p in profiles]
        window_of = [time_window(p, config) for p in profiles]
        pairs_by_window: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, j in sorted(candidate_pairs(profiles, vectors, config)):
            pairs_by_window[window_of[i]].append((i, j))
        scoring = []
        for window in sorted(pairs_by_window):
            pairs = pairs_by_window[window]
            involved = sorted({k for pair in pairs for k in pair})
            scoring.append(({k: profiles[k] for k in involved},
                            {k: vectors[k] for k in involved}, pairs, config))
        links: dict[int, dict[int, float]] = defaultdict(dict)
        for scored in run_tasks(score_pairs, scoring):
            for i, j, value in scored:
                links[i][j] = links[j][i] = value
        by_window: dict[str, list[list[int]]] = defaultdict(list)
        groups = []
        for component in linked_components(len(profiles), links, config.threshold):
            if len(component) == 1:
                groups.append(Group([profiles[component[0]].doc_id], []))
            else:
                by_window[min(window_of[k] for k in component)].append(component)
        linkage = []
        for window in sorted(by_window):
            components = by_window[window]
            linkage.append(([(c, _links_within(c, links)) for c in components],
                            {k: profiles[k] for c in components for k in c}, config))
        for found in run_tasks(link_components, linkage):
            groups.extend(found)
    return sorted(groups, key=lambda g: g.documents[0])


def time_window(profile: Profile, config: Config) -> str:
    """The calendar month of a document's date ("" when it has none): the unit of work."""
    day = reference_date(profile, config)
    return day.isoformat()[:7] if day is not None else ""


def score_pairs(profiles: dict[int, Profile], vectors: dict[int, dict[str, float]],
                pairs: list[tuple[int, int]], config: Config) -> list[tuple[int, int, float]]:
    """The similarity of each candidate pair that has any."""
    leading = {k: leading_names(v, config) for k, v in vectors.items()}
    scored = []
    for i, j in pairs:
        value = similarity(profiles[i], profiles[j], vectors[i], vectors[j], config,
                           (leading[i], leading[j]))
        if value > 0:
            scored.append((i, j, value))
    return scored


def linked_components(count: int, links: dict[int, dict[int, float]],
                      threshold: float) -> list[list[int]]:
    """The documents connected through links at or above `threshold` (union-find), each
    component sorted.

    Average linkage joins two groups only when their mean similarity reaches the threshold,
    so only when some link between them does: each component clusters alone, with just the
    links inside it. (Weaker links join nearly a whole large corpus into one component.)
    """
    parent = list(range(count))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, others in links.items():
        for j, value in others.items():
            if value < threshold:
                continue
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    components: dict[int, list[int]] = defaultdict(list)
    for k in range(count):
        components[root(k)].append(k)
    return list(components.values())


def _links_within(component: list[int],
                  links: dict[int, dict[int, float]]) -> dict[int, dict[int, float]]:
    inside = set(component)
    return {k: {j: value for j, value in links[k].items() if j in inside} for k in component}


def link_components(components: list[tuple[list[int], dict[int, dict[int, float]]]],
                    profiles: dict[int, Profile], config: Config) -> list[Group]:
    """Average linkage inside each linked component (its documents and their links)."""
    return [group for documents, links in components
            for group in _average_linkage(documents, links, profiles, config)]


def _average_linkage(documents: list[int], similarities: dict[int, dict[int, float]],
                     profiles: dict[int, Profile], config: Config) -> list[Group]:
    """Merge groups while their mean similarity (missing pairs count as zero) stays above the
    threshold; new groups are numbered after the component's documents, so ties break the
    same way wherever the component is clustered."""
    links: dict[int, dict[int, list]] = {}  # group -> group -> [sum, best, pair]
    for i in documents:
        links[i] = {}
    for i in documents:
        for j, value in similarities[i].items():
            if i < j:
                links[i][j] = links[j][i] = [value, value, (i, j)]
    members = {i: [i] for i in documents}
    inner = {i: 0.0 for i in documents}  # sum of similarities inside each group
    merges: dict[int, list[Merge]] = {i: [] for i in documents}
    # Only pairs at or above the threshold go on the heap: no merge happens below it.
    heap = [(-s, i, j) for i in links for j, (s, _, _) in links[i].items()
            if i < j and s >= config.threshold]
    heapq.heapify(heap)
    next_id = max(documents) + 1
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        average = -negative
        total, best, (x, y) = links[a][b]
        if not _cohesive(average, (a, b), members, inner, config):
            continue
        merge = _merge_reason(profiles[x], profiles[y], best, average, config)
        c = next_id
        next_id += 1
        members[c] = members.pop(a) + members.pop(b)
        inner[c] = inner.pop(a) + inner.pop(b) + total
        merges[c] = merges.pop(a) + merges.pop(b) + [merge]
        neighbours: dict[int, list] = {}
        for old in (a, b):
            for other, (s, top, pair) in links.pop(old).items():
                if other in (a, b):
                    continue
                links[other].pop(old, None)
                entry = neighbours.setdefault(other, [0.0, 0.0, pair])
                entry[0] += s
                if top > entry[1]:
                    entry[1], entry[2] = top, pair
        links[c] = neighbours
        size = len(members[c])
        for other, entry in neighbours.items():
            links[other][c] = entry
            mean = entry[0] / (size * len(members[other]))
            if mean >= config.threshold:
                heapq.heappush(heap, (-mean, c, other))
    return [
        Group([profiles[i].doc_id for i in sorted(docs)], merges[key])
        for key, docs in members.items()
    ]


def _rarest_within(lists: list[list[int]], budget: int) -> list[list[int]]:
    """The shortest posting lists whose lengths add up to at most `budget`, in their order."""
    kept, total = set(), 0
    for k in sorted(range(len(lists)), key=lambda k: len(lists[k])):
        total += len(lists[k])
        if total > budget:
            break
        kept.add(k)
    return [found for k, found in enumerate(lists) if k in kept]


def _cohesive(average: float, pair: tuple[int, int], members: dict[int, list[int]],
              inner: dict[int, float], config: Config) -> bool:
    """Whether two groups of several documents are about as close as their own members are.

    Two look-alike events (two rehab stays, two title fights of one boxer) form two tight
    groups whose mutual similarity stays well below each group's own.
    """
    if not config.cohesion:
        return True
    own = []
    for side in pair:
        n = len(members[side])
        if n < config.cohesion_size:
            return True
        own.append(inner[side] / (n * (n - 1) / 2))
    return average >= config.cohesion * min(own)


def _merge_reason(a: Profile, b: Profile, similarity: float, average: float,
                  config: Config) -> Merge:
    shared = sorted(key[2:] for key in a.names & b.names if " " in key or key in a.places)
    return Merge(
        documents=(a.doc_id, b.doc_id),
        similarity=similarity,
        average=average,
        shared_names=shared[:8],
        date_gap_days=date_gap(a, b, config),
    )
