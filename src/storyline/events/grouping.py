"""Grouping documents into event instances: candidates from an index, then average linkage.

Each document is a TF-IDF vector of its content words and names (IDF from the documents being
grouped). Candidate pairs come from an inverted index over each document's most salient
terms and names, also keyed by week so that a common word ("shooting", a big city) still
finds the documents of the same days; keys held by too many documents are skipped and each
document keeps its `max_candidates` best-sharing partners, so the work grows linearly.

A candidate pair's similarity is the cosine, lowered when the documents' dates disagree (two
calls two years apart are two events) unless one names the other's date (a trial report
naming the day of the shooting), and lowered when each misses the other's leading names (two
title fights of one boxer) or, when the dates agree, when neither names the other's leading
towns (a stabbing in one city, a shooting in another that day). Average linkage then
merges groups while their mean similarity (missing pairs count as zero) stays above a
threshold, and two groups of several documents only while they are nearly as close to
each other as their own members are (`cohesion`). Every merge keeps its reason. The result
does not depend on the order of the documents.
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
from itertools import islice
from typing import Any

import numpy as np

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
    place_conflict: float = 0.4
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
    elif config.place_conflict and places_apart(a, b, va, vb, config):
        content *= 1 - config.place_conflict
    return content * factor


def places_apart(a: Profile, b: Profile, va: dict[str, float], vb: dict[str, float],
                 config: Config) -> bool:
    """Whether neither document names any of the other's leading towns: a shooting in Lyon
    and a stabbing in Leeds on the same day are two events however alike their words."""
    top_a = sorted(a.towns & va.keys(), key=va.__getitem__, reverse=True)[: config.top_names]
    top_b = sorted(b.towns & vb.keys(), key=vb.__getitem__, reverse=True)[: config.top_names]
    return bool(top_a and top_b) and not any(p in b.names for p in top_a) and not any(
        p in a.names for p in top_b)


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


def salient_keys(vec: dict[str, float], config: Config) -> list[str]:
    """A document's index keys: its most salient terms, then its next most salient names."""
    ranked = sorted(vec, key=vec.__getitem__, reverse=True)
    names = (t for t in islice(ranked, config.salient_terms, None) if t.startswith("n:"))
    return ranked[: config.salient_terms] + list(islice(names, config.salient_names))


def candidate_pairs(
    profiles: list[Profile], vectors: list[dict[str, float]], config: Config
) -> list[tuple[int, int]]:
    """Pairs of documents (sorted) that share index keys held by few enough documents.

    The keys are a document's salient terms, alone and with its week (filed under its own
    week, looked up with the weeks before and after). A document reads the postings of its
    rarest keys first, up to `candidate_budget` entries (common keys fill up as the corpus
    grows, and would make each document's work grow with it), and keeps the
    `max_candidates` others that share the most keys with it (ties: the one met first), so
    the work and the number of pairs grow linearly with the corpus. The index lives in
    integer arrays and the documents are read a slice at a time: with dicts and sets, or
    with sorts over the whole corpus, each look-up slowed as the corpus grew.
    """
    keys = _IndexKeys(profiles, vectors, config)
    index = _Index(*keys.filed())
    step = max(1, _ENTRIES_PER_STEP // max(1, config.candidate_budget))
    count = len(profiles)
    found = [index.closest_pairs(*keys.queries(first, first + step), count, config)
             for first in range(0, count, step)]
    codes = _distinct(np.concatenate(found)) if found else np.empty(0, np.int64)
    return list(zip((codes // count).tolist(), (codes % count).tolist(), strict=True))


_ENTRIES_PER_STEP = 2_000_000  # postings read per slice of documents: bounds time and memory
_WEEK_SHIFTS = (-1, 0, 1)  # a document is filed under its own week, looked up with ±1


class _IndexKeys:
    """Each document's index keys as integers: term × slots + slot, slot 0 for the term
    alone and 2 + week - first week for the term in a week (slot 1 is the week before)."""

    def __init__(self, profiles: list[Profile], vectors: list[dict[str, float]],
                 config: Config) -> None:
        term_ids: dict[str, int] = {}
        documents: list[int] = []
        terms: list[int] = []
        self.weeks = np.full(len(profiles), -1, dtype=np.int64)
        for i, (profile, vec) in enumerate(zip(profiles, vectors, strict=True)):
            keys = salient_keys(vec, config)
            terms.extend(term_ids.setdefault(key, len(term_ids)) for key in keys)
            documents.extend([i] * len(keys))
            day = reference_date(profile, config)
            if config.week_keys and day is not None:
                self.weeks[i] = day.toordinal() // 7
        self.documents = np.array(documents, dtype=np.int64)
        self.terms = np.array(terms, dtype=np.int64)
        self.rank = np.arange(len(documents)) - _run_starts(self.documents)
        dated = self.weeks[self.weeks >= 0]
        self.first_week = int(dated.min()) if len(dated) else 0
        self.slots = int(dated.max()) - self.first_week + 4 if len(dated) else 1

    def filed(self) -> tuple[np.ndarray, np.ndarray]:
        """(key, document) of every key a document is filed under."""
        documents, _, codes = self._keys(self.documents, self.rank, self.terms, (0,))
        return codes, documents

    def queries(self, first: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(document, order, key) of every key the documents `first` to `stop` look up,
        `order` being the key's place among its document's keys."""
        lo, hi = np.searchsorted(self.documents, (first, stop))
        return self._keys(self.documents[lo:hi], self.rank[lo:hi], self.terms[lo:hi],
                          _WEEK_SHIFTS)

    def _keys(self, documents: np.ndarray, rank: np.ndarray, terms: np.ndarray,
              shifts: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        parts = [(documents, rank, terms * self.slots)]
        dated = self.weeks[documents] >= 0
        width = int(rank.max()) + 1 if len(rank) else 1
        for n, shift in enumerate(shifts):  # after the plain keys, term by term
            slot = self.weeks[documents[dated]] + shift - self.first_week + 2
            parts.append((documents[dated], width + len(shifts) * rank[dated] + n,
                          terms[dated] * self.slots + slot))
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))


class _Index:
    """The documents filed under each key (in document order), from (key, document) pairs."""

    def __init__(self, codes: np.ndarray, documents: np.ndarray) -> None:
        codes, self.postings = _sorted_rows(codes, documents)
        self.starts = _first_rows(codes)
        self.keys = codes[self.starts]
        self.lengths = np.diff(self.starts, append=len(codes))

    def closest_pairs(self, documents: np.ndarray, order: np.ndarray, codes: np.ndarray,
                      count: int, config: Config) -> np.ndarray:
        """Pair codes (low × count + high) of each document's `max_candidates` others
        that share the most keys with it among the postings it reads."""
        found = _found_at(self.keys, codes)
        length = np.where(found >= 0, self.lengths[found], 0)
        usable = (length > 0) & (length <= config.max_postings)
        documents, order, found, length = (documents[usable], order[usable], found[usable],
                                           length[usable])
        read = _rarest_within(documents, length, order, config.candidate_budget)
        documents, order, found, length = (documents[read], order[read], found[read],
                                           length[read])
        ends = np.cumsum(length)
        total = int(ends[-1]) if len(ends) else 0
        at = np.repeat(self.starts[found] - ends + length, length) + np.arange(total)
        owner, other = _closest(np.repeat(documents, length), self.postings[at],
                                np.repeat(order, length), config.max_candidates)
        return np.minimum(owner, other) * count + np.maximum(owner, other)


def _rarest_within(documents: np.ndarray, length: np.ndarray, order: np.ndarray,
                   budget: int) -> np.ndarray:
    """Indices of the keys each document reads: its shortest posting lists (ties: its
    first keys) while their lengths add up to at most `budget`, grouped by document."""
    documents, length, _, entry = _sorted_rows(documents, length, order,
                                               np.arange(len(order)))
    total = np.cumsum(length)
    before = (total - length)[_run_starts(documents)]
    return entry[total - before <= budget]


def _closest(owners: np.ndarray, others: np.ndarray, orders: np.ndarray,
             keep: int) -> tuple[np.ndarray, np.ndarray]:
    """(owner, other) for each owner's `keep` others found most often; ties go to the other
    found first (under an earlier key of the owner, then the lower document), as a count in
    reading order would give."""
    owner, other, order = _sorted_rows(owners, others, orders)
    starts = np.flatnonzero((np.diff(owner, prepend=-1) != 0)
                            | (np.diff(other, prepend=-1) != 0))
    shared = np.diff(starts, append=len(owner))
    owner, other, order = owner[starts], other[starts], order[starts]
    apart = owner != other
    owner, other, order, shared = owner[apart], other[apart], order[apart], shared[apart]
    owner, _, _, other = _sorted_rows(owner, shared.max(initial=0) - shared, order, other)
    rank = np.arange(len(owner)) - _run_starts(owner)
    return owner[rank < keep], other[rank < keep]


def _found_at(keys: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Where each code is in the sorted `keys`, -1 if absent. The codes are looked up in
    sorted order: consecutive binary searches then touch the same memory."""
    found = np.full(len(codes), -1, dtype=np.int64)
    if not len(keys):
        return found
    wanted, entry = _sorted_rows(codes, np.arange(len(codes)))
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found[entry] = np.where(keys[at] == wanted, at, -1)
    return found


def _first_rows(values: np.ndarray) -> np.ndarray:
    """The index of the first row of each run of equal (non-negative, sorted) `values`."""
    return np.flatnonzero(np.diff(values, prepend=-1))


def _run_starts(values: np.ndarray) -> np.ndarray:
    """For each row of sorted `values`, the index of the first row with its value."""
    starts = _first_rows(values)
    return np.repeat(starts, np.diff(starts, append=len(values)))


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (np.unique hashes, which is slower on millions)."""
    values = np.sort(values)
    return values[_first_rows(values)]


def _sorted_rows(*columns: np.ndarray) -> list[np.ndarray]:
    """The rows of non-negative integer columns sorted by the first column, then the next…

    The columns are packed side by side into one int64 per row when they fit, so that one
    `np.sort` does the work: several times faster than `np.lexsort` or an argsort.
    """
    widths = [int(column.max()).bit_length() if len(column) else 0 for column in columns]
    if sum(widths) > 63:
        order = np.lexsort(columns[::-1])
        return [column[order] for column in columns]
    packed = np.zeros(len(columns[0]), dtype=np.int64)
    for column, width in zip(columns, widths, strict=True):
        packed = (packed << width) | column
    packed.sort()
    rows = []
    for width in reversed(widths):
        rows.append(packed & ((1 << width) - 1))
        packed = packed >> width
    return rows[::-1]


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
        for i, j in candidate_pairs(profiles, vectors, config):
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
