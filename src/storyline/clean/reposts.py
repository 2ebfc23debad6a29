"""Reposts and near-duplicates across the corpus, found with MinHash LSH (datasketch).

Each document gets a compact fingerprint (`fingerprint_text`) that the store keeps as a blob,
so a later run finds copies of earlier documents without their text. The text is normalised
(case, punctuation and line breaks ignored) into word 3-shingles; a fixed, content-defined
quarter of the shingle hashes is kept, in document order. Because the same shingles are kept
in every document, the kept hashes of an article embedded in a longer page reappear, in the
same order, inside the page's, and set overlaps of the kept hashes estimate Jaccard
similarity and containment without bias.

`RepostIndex` finds candidates through MinHash LSH over overlapping windows of the kept
hashes (a whole-document MinHash misses an article inside a much longer page), verifies each
candidate pair on the kept hashes, and decides:

- exact: the same normalised text;
- near: estimated Jaccard >= NEAR_JACCARD (reflowed, lightly edited, boilerplate added);
- contained: >= CONTAINMENT of the shorter text lies inside the longer one (partial repost).

In every related pair the later document (by published date, undated after dated, ties by
id) is the copy. Exact and near copies form groups whose earliest member is the original.
A contained pair links two groups, and the later group points at the earlier group's
original; chains are followed so a copy of a copy points at the first original, but never
from one article, up into a page that contains it, and down into another article of
that page (a page holding two articles does not make them copies of each other).

Limits, on purpose: texts under MIN_KEPT kept hashes (about 50 words) are matched only
exactly; a window shared by more than MAX_WINDOW_DOCS documents is site furniture and never
proposes candidates, so a site's common footer cannot make the search quadratic; documents
are compared on their first MAX_KEPT kept hashes (about 30,000 words). The index lives in
memory (about 16 kB per document, most of it datasketch's LSH buckets).
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 3
SAMPLE_MASK = 3  # keep shingle hashes whose low bits are 0: one in four
WINDOW_STEP = 12  # windows start every 12 kept hashes (about 50 words)...
WINDOW = 2 * WINDOW_STEP  # ...and overlap by half, so an embedded article fills some window
NUM_PERM = 8
LSH_THRESHOLD = 0.4  # window Jaccard to become a candidate (4 bands of 2); verification decides
SEED = 20220615
MIN_KEPT = 12  # below this (about 50 words) only exact copies are reported
MAX_KEPT = 8192  # longer documents (over about 30,000 words) are compared on their opening
NEAR_JACCARD = 0.8
CONTAINMENT = 0.8
MAX_WINDOW_DOCS = 100  # a window shared by more documents is site furniture, not an article

_KEYS_PER_DOC = 1024  # LSH key = document number * this + window number (MAX_KEPT fits)
_MAGIC = b"SLR1"  # change it with anything above that alters fingerprints: old blobs then fail
_HEADER = struct.Struct("<4sI16s")  # magic, shingle count, digest of the normalised text

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Words; in scripts written without spaces every character counts as a word.
_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)
_SHINGLE_MULTIPLIERS = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9))

Kind = Literal["exact", "near", "contained"]


@dataclass
class Copy:
    """A document that copies another; `duplicate_of` is the earliest copy of the text."""

    doc_id: str
    duplicate_of: str
    kind: Kind
    similarity: float


def fingerprint_text(text: str) -> bytes:
    """Serialisable fingerprint: a digest of the normalised text plus the kept shingle hashes."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())
    digest = hashlib.blake2b(" ".join(tokens).encode("utf-8", "surrogatepass"),
                             digest_size=16).digest()
    shingles = _shingle_hashes(tokens)
    kept = (shingles[(shingles & np.uint64(SAMPLE_MASK)) == 0] >> np.uint64(32)).astype("<u4")
    return _HEADER.pack(_MAGIC, len(shingles), digest) + kept[:MAX_KEPT].tobytes()


def _shingle_hashes(tokens: list[str]) -> np.ndarray:
    """64-bit hashes of consecutive word triples, stable across runs and machines."""
    codes = {t: zlib.crc32(t.encode("utf-8", "surrogatepass")) for t in set(tokens)}
    words = np.fromiter((codes[t] for t in tokens), dtype=np.uint64, count=len(tokens))
    n = len(words) - SHINGLE_WORDS + 1
    if n <= 0:
        return _mix64(words[:1]) if len(words) else words
    combined = words[:n].copy()
    for offset, multiplier in enumerate(_SHINGLE_MULTIPLIERS, start=1):
        combined = combined * multiplier + words[offset:offset + n]
    return _mix64(combined)


def _mix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the whole hash."""
    values = values ^ (values >> np.uint64(33))
    values = values * _M1
    values = values ^ (values >> np.uint64(33))
    values = values * _M2
    return values ^ (values >> np.uint64(33))


@dataclass
class _Fingerprint:
    shingles: int
    digest: bytes
    kept: np.ndarray  # uint32, document order


def _parse(fingerprint: bytes) -> _Fingerprint:
    magic, shingles, digest = _HEADER.unpack_from(fingerprint)
    if magic != _MAGIC:
        raise ValueError("not a storyline repost fingerprint")
    return _Fingerprint(shingles, digest, np.frombuffer(fingerprint, "<u4", offset=_HEADER.size))


class _WindowSketcher:
    """MinHash of every window of kept hashes at once, equal to datasketch's own MinHash."""

    def __init__(self) -> None:
        template = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32")
        self.a, self.b = template.permutations

    def sketch(self, kept: np.ndarray) -> list[LeanMinHash]:
        """MinHash of each window of WINDOW kept hashes, starting every WINDOW_STEP.

        Each equals `MinHash(NUM_PERM, SEED, scheme="affine32", hashfunc=int)` updated with
        the window's values; the last window may be shorter.
        """
        permuted = _mix32(kept.astype(np.uint32))[:, None] * self.a + self.b
        blocks = np.minimum.reduceat(permuted, np.arange(0, len(kept), WINDOW_STEP), axis=0)
        rows = np.minimum(blocks[:-1], blocks[1:]) if len(blocks) > 1 else blocks
        return [LeanMinHash(seed=SEED, hashvalues=row, scheme="affine32") for row in rows]


def _mix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, which datasketch's affine32 scheme applies first."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


@dataclass
class _Doc:
    doc_id: str
    order: tuple[int, float, str]
    digest: bytes
    kept: np.ndarray  # sorted unique kept hashes, for set overlaps
    windows: list[LeanMinHash] | None  # None: too short, or an exact copy of an earlier doc


class RepostIndex:
    """All fingerprints of a corpus, stored or new, and the copies among them."""

    def __init__(self) -> None:
        self._docs: list[_Doc] = []
        self._ids: dict[str, int] = {}
        self._by_digest: dict[bytes, list[int]] = {}
        self._window_docs: Counter[int] = Counter()  # documents per window, by its sketch
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._sketcher = _WindowSketcher()

    def add(self, doc_id: str, fingerprint: bytes, published: str | None) -> None:
        """Index one document; each id may be added once."""
        if doc_id in self._ids:
            raise ValueError(f"document {doc_id!r} is already in the repost index")
        parsed = _parse(fingerprint)
        parsed.kept = parsed.kept[:MAX_KEPT]
        index = len(self._docs)
        same_text = self._by_digest.setdefault(parsed.digest, [])
        windows = None
        if not same_text and len(parsed.kept) >= MIN_KEPT:
            windows = self._sketcher.sketch(parsed.kept)
            for number, window in enumerate(windows):
                self._lsh.insert(index * _KEYS_PER_DOC + number, window, check_duplication=False)
            self._window_docs.update({hash(w.hashvalues.tobytes()) for w in windows})
        same_text.append(index)
        self._ids[doc_id] = index
        self._docs.append(_Doc(doc_id, _order(doc_id, published), parsed.digest,
                               np.unique(parsed.kept), windows))

    def resolve(self) -> dict[str, Copy]:
        """Every document that copies another, keyed by its id."""
        groups = _Groups(len(self._docs))
        for indexes in self._by_digest.values():
            for other in indexes[1:]:
                groups.union(indexes[0], other)
        contained: list[tuple[int, int, float]] = []
        for i, j in self._candidate_pairs():
            jaccard, in_i, in_j = _overlap(self._docs[i].kept, self._docs[j].kept)
            if jaccard >= NEAR_JACCARD:
                groups.union(i, j)
            elif max(in_i, in_j) >= CONTAINMENT:
                part, whole = (i, j) if in_i >= in_j else (j, i)
                contained.append((part, whole, max(in_i, in_j)))
        return self._copies(groups, contained)

    def _candidate_pairs(self) -> set[tuple[int, int]]:
        """Document pairs sharing an LSH bucket for some window; furniture windows skipped."""
        pairs: set[tuple[int, int]] = set()
        for i, doc in enumerate(self._docs):
            if doc.windows is None:
                continue
            for window in doc.windows:
                if self._window_docs[hash(window.hashvalues.tobytes())] > MAX_WINDOW_DOCS:
                    continue
                found = {key // _KEYS_PER_DOC for key in self._lsh.query(window)}
                if len(found) > MAX_WINDOW_DOCS:
                    continue
                pairs.update((i, j) for j in found if j > i)
        return pairs

    def _copies(self, groups: _Groups, contained: list[tuple[int, int, float]]) -> dict[str, Copy]:
        """Point every copy at the earliest original, following containment between groups."""
        members: dict[int, list[int]] = {}
        for index in range(len(self._docs)):
            members.setdefault(groups.find(index), []).append(index)
        original = {root: min(docs, key=lambda d: self._docs[d].order)
                    for root, docs in members.items()}
        links = _ContainmentLinks(
            {root: self._docs[first].order for root, first in original.items()})
        for part, whole, value in contained:
            links.add(groups.find(part), groups.find(whole), value)

        copies: dict[str, Copy] = {}
        for root, docs in members.items():
            target, value = links.resolve(root)
            for index in docs:
                if target != root:
                    copies[self._docs[index].doc_id] = Copy(
                        self._docs[index].doc_id, self._docs[original[target]].doc_id,
                        "contained", round(value, 3))
                elif index != original[root]:
                    copies[self._docs[index].doc_id] = self._group_copy(index, original[root])
        return copies

    def _group_copy(self, index: int, first: int) -> Copy:
        doc, source = self._docs[index], self._docs[first]
        if doc.digest == source.digest:
            return Copy(doc.doc_id, source.doc_id, "exact", 1.0)
        jaccard, _, _ = _overlap(doc.kept, source.kept)
        return Copy(doc.doc_id, source.doc_id, "near", round(jaccard, 3))


def _overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Estimated Jaccard, share of `a` inside `b`, share of `b` inside `a`."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - shared
    return (shared / union if union else 0.0,
            shared / len(a) if len(a) else 0.0,
            shared / len(b) if len(b) else 0.0)


def _order(doc_id: str, published: str | None) -> tuple[int, float, str]:
    """Sort key for 'earliest': dated before undated, then by time, then by id."""
    if published:
        try:
            moment = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return (0, moment.timestamp(), doc_id)
    return (1, 0.0, doc_id)


class _Groups:
    """Union-find over document indexes: exact and near copies share a group."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


class _ContainmentLinks:
    """Containment between groups: each group links to its earliest earlier neighbour."""

    def __init__(self, order: dict[int, tuple[int, float, str]]) -> None:
        self.order = order
        self.best: dict[int, tuple[int, bool, float]] = {}  # group -> (earlier, goes up, value)

    def add(self, part: int, whole: int, value: float) -> None:
        if part == whole:
            return
        later, earlier = (part, whole) if self.order[part] > self.order[whole] else (whole, part)
        current = self.best.get(later)
        if current is None or self.order[earlier] < self.order[current[0]]:
            self.best[later] = (earlier, later == part, value)

    def resolve(self, group: int) -> tuple[int, float]:
        """The group at the end of the chain and the weakest containment on the way."""
        value, went_up = 1.0, False
        while group in self.best:
            earlier, goes_up, link_value = self.best[group]
            if went_up and not goes_up:
                break  # article -> page -> another article of that page: not the same text
            group, went_up, value = earlier, went_up or goes_up, min(value, link_value)
        return group, value
