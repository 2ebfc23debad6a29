"""Attribution scores for the quotes stage on PolNeAR-format gold data (JSONL, see data README).

Each line holds a document's `text` and gold `attributions` (source, cue, content spans and a
`quote_type`: direct, mixed or indirect). Every text is parsed once with the shared spaCy
model and run through `extract_quotes` exactly as the pipeline does. Content spans are
compared as hulls (first fragment start to last fragment end):

- soft content match: overlap of at least half the longer span, one-to-one, largest first;
- exact content match: the same span once quotation marks, white space and edge punctuation
  are trimmed from both, one-to-one;
- source, over soft-matched pairs: right when the system speaker span overlaps the gold source
  span; P divides by the pairs where the system names a speaker, R by those with a gold source.

Figures are given for all quotes and per type. A system quote's type is read from its text
with the data's own rule: `direct` when the system says so, `mixed` when its content holds a
quotation mark, else `indirect`; mixed is reported on its own row.

    python -m storyline.eval.quotes FILE.jsonl [--cache DIR] [--errors N]
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.eval import read_jsonl
from storyline.eval.metrics import precision_recall_f1
from storyline.model import Quote

GROUPS = ("all", "direct", "mixed", "indirect")
QUOTE_MARKS = "\"“”„«»‘’'`"
TRIM = QUOTE_MARKS + " \t\n.,;:!?-–—"


@dataclass
class Counts:
    """Per-group match counts from which every figure is derived."""

    gold: int = 0
    system: int = 0
    gold_matched: int = 0
    system_matched: int = 0
    gold_exact: int = 0
    system_exact: int = 0
    with_gold_source: int = 0
    with_system_speaker: int = 0
    source_correct: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "system": self.system,
            "content": precision_recall_f1(
                self.system_matched, self.system, self.gold_matched, self.gold),
            "exact": precision_recall_f1(
                self.system_exact, self.system, self.gold_exact, self.gold),
            "source": precision_recall_f1(
                self.source_correct, self.with_system_speaker,
                self.source_correct, self.with_gold_source),
        }


@dataclass
class Comparison:
    counts: dict[str, Counts]
    errors: list[dict[str, Any]] = field(default_factory=list)


def system_type(quote: Quote) -> str:
    """The data's own typing rule, applied to a system quote."""
    if quote.direct:
        return "direct"
    return "mixed" if any(mark in quote.text for mark in QUOTE_MARKS[:-3]) else "indirect"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def _one_to_one(pairs: list[tuple[Any, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of (priority, gold, system) pairs, lowest priority first."""
    used_gold: set[int] = set()
    used_system: set[int] = set()
    matched = []
    for _, g, s in sorted(pairs):
        if g not in used_gold and s not in used_system:
            used_gold.add(g)
            used_system.add(s)
            matched.append((g, s))
    return matched


def soft_matches(
    gold: list[dict[str, Any]], spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(gold, system) index pairs whose contents overlap by at least half the longer span,
    one-to-one, largest overlap first."""
    soft = []
    for g_index, g in enumerate(gold):
        g_start, g_end = g["content"]["start"], g["content"]["end"]
        for s_index, (start, end) in enumerate(spans):
            overlap = min(g_end, end) - max(g_start, start)
            if overlap * 2 >= max(g_end - g_start, end - start) and overlap > 0:
                soft.append((-overlap, g_index, s_index))
    return _one_to_one(soft)


def compare(gold: list[dict[str, Any]], system: list[Quote], text: str) -> Comparison:
    """Match one document's system quotes to the gold attributions and count, per group."""
    gold_types = [g["quote_type"] for g in gold]
    system_types = [system_type(q) for q in system]
    exact = []
    for g_index, g in enumerate(gold):
        g_trim = _trimmed(text, g["content"]["start"], g["content"]["end"])
        for s_index, s in enumerate(system):
            if g_trim == _trimmed(text, s.start, s.end):
                exact.append((0, g_index, s_index))
    soft_pairs = soft_matches(gold, [(s.start, s.end) for s in system])
    exact_pairs = _one_to_one(exact)
    counts = {group: Counts() for group in GROUPS}
    for group in GROUPS:
        c = counts[group]
        in_gold = {i for i, t in enumerate(gold_types) if group in ("all", t)}
        in_system = {i for i, t in enumerate(system_types) if group in ("all", t)}
        c.gold, c.system = len(in_gold), len(in_system)
        c.gold_matched = sum(g in in_gold for g, _ in soft_pairs)
        c.system_matched = sum(s in in_system for _, s in soft_pairs)
        c.gold_exact = sum(g in in_gold for g, _ in exact_pairs)
        c.system_exact = sum(s in in_system for _, s in exact_pairs)
        for g, s in soft_pairs:
            if g not in in_gold:
                continue
            source, speaker = gold[g]["source"], system[s].speaker
            c.with_gold_source += source is not None
            c.with_system_speaker += speaker is not None
            c.source_correct += (source is not None and speaker is not None
                                 and min(source["end"], speaker.end)
                                 > max(source["start"], speaker.start))
    return Comparison(counts, _errors(gold, system, soft_pairs, text))


def _errors(
    gold: list[dict[str, Any]], system: list[Quote], pairs: list[tuple[int, int]], text: str
) -> list[dict[str, Any]]:
    """Missed, spurious and wrong-source quotes, with the text around them, for reading."""
    errors = []
    matched_gold = {g for g, _ in pairs}
    matched_system = {s for _, s in pairs}
    for g_index, g in enumerate(gold):
        if g_index not in matched_gold:
            errors.append({"kind": "missed", "type": g["quote_type"],
                           "cue": g["cue"] and g["cue"]["text"],
                           "source": g["source"] and g["source"]["text"],
                           "content": g["content"]["text"],
                           "context": _context(text, g["content"]["start"], g["content"]["end"])})
    for s_index, s in enumerate(system):
        if s_index not in matched_system:
            errors.append({"kind": "spurious", "type": system_type(s), "cue": s.cue,
                           "source": _speaker_text(s, text), "content": s.text,
                           "context": _context(text, s.start, s.end)})
    for g_index, s_index in pairs:
        g, s = gold[g_index], system[s_index]
        source = g["source"]
        if source and (s.speaker is None or min(source["end"], s.speaker.end)
                       <= max(source["start"], s.speaker.start)):
            errors.append({"kind": "source", "type": g["quote_type"], "cue": s.cue,
                           "gold_source": source["text"], "source": _speaker_text(s, text),
                           "content": s.text, "context": _context(text, g["content"]["start"],
                                                                  g["content"]["end"])})
    return errors


def _speaker_text(quote: Quote, text: str) -> str | None:
    return text[quote.speaker.start : quote.speaker.end] if quote.speaker else None


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 120) : end + 80].replace("\n", " ")


def read_documents(path: str | Path) -> list[dict[str, Any]]:
    return read_jsonl(path, ("doc_id", "text", "attributions"), "PolNeAR-style documents")


def evaluate(path: str | Path, *, cache: Path | None = None) -> dict[str, Any]:
    """Extract quotes from every document of a PolNeAR-format file and score them by group.

    `cache` is a folder where the spaCy parses are kept between runs (they dominate the time).
    """
    from storyline.nlp import group_entities
    from storyline.quotes import extract_quotes

    documents = read_documents(path)
    totals = {group: Counts() for group in GROUPS}
    errors: list[dict[str, Any]] = []
    for document, doc in zip(documents, parse_documents(documents, cache), strict=True):
        entities = group_entities(document["doc_id"], doc)
        system = extract_quotes(document["text"], doc, entities)
        comparison = compare(document["attributions"], system, document["text"])
        for group in GROUPS:
            totals[group].add(comparison.counts[group])
        errors += [{"doc_id": document["doc_id"], **e} for e in comparison.errors]
    scores: dict[str, Any] = {group: totals[group].scores() for group in GROUPS}
    scores["data"] = str(path)
    scores["documents"] = len(documents)
    scores["errors"] = errors
    return scores


def parse_documents(documents: list[dict[str, Any]], cache: Path | None) -> Iterator[Any]:
    """The shared model's parse of each text, read from or written to `cache` when given."""
    from spacy.tokens import DocBin

    from storyline.nlp import load_model, resolve_model_name

    nlp = load_model()
    texts = [d["text"] for d in documents]
    cached = None
    if cache is not None:
        key = hashlib.sha256("\0".join([resolve_model_name(), *texts]).encode()).hexdigest()
        cached = cache / f"quotes-{key[:16]}.spacy"
        if cached.exists():
            yield from DocBin().from_disk(cached).get_docs(nlp.vocab)
            return
    parsed = DocBin(store_user_data=False)
    for doc in nlp.pipe(texts, batch_size=16):
        if cached is not None:
            parsed.add(doc)
        yield doc
    if cached is not None:
        cache.mkdir(parents=True, exist_ok=True)
        parsed.to_disk(cached)


def format_report(scores: dict[str, Any]) -> str:
    """The printed table: one row per group, content soft and exact, source over matches."""
    header = (
        f"{'group':<9} {'gold':>6} {'sys':>6} | {'content soft P/R/F1':^20} | "
        f"{'exact P/R/F1':^20} | {'source P/R/F1':^20}"
    )
    lines = [
        f"Attribution scores for {scores.get('data', '?')} ({scores.get('documents', 0)} docs)",
        header,
        "-" * len(header),
    ]
    for group in GROUPS:
        s = scores[group]
        lines.append(
            f"{group:<9} {s['gold']:>6} {s['system']:>6} | {_figures(s['content'])} | "
            f"{_figures(s['exact'])} | {_figures(s['source'])}"
        )
    lines.append("(soft: overlap >= half the longer span, one-to-one; exact: same span without "
                 "marks and edge punctuation; source: speaker overlaps gold source on soft "
                 "matches; mixed = content partly quoted, its own row)")
    return "\n".join(lines)


def _figures(figures: dict[str, float]) -> str:
    return f"{figures['precision']:.3f} {figures['recall']:.3f} {figures['f1']:.3f}".center(20)


def format_errors(scores: dict[str, Any], *, kind: str | None = None, limit: int = 20) -> str:
    """One JSON line per error (missed, spurious or source), for reading what goes wrong."""
    shown = [e for e in scores["errors"] if kind is None or e["kind"] == kind]
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in shown[:limit])


if __name__ == "__main__":
    arguments = sys.argv[1:]
    folder = Path(arguments[arguments.index("--cache") + 1]) if "--cache" in arguments else None
    result = evaluate(arguments[0], cache=folder)
    print(format_report(result))
    if "--errors" in arguments:
        print(format_errors(result, limit=int(arguments[arguments.index("--errors") + 1])))
