"""TempEval-3-style scores for the temporal tagger on TIMEX3 gold data (JSONL, see data README).

Each line holds a document's `text`, its creation time `dct` and gold `timexes`. The tagger
runs on every text anchored on its dct; the scorer then reports, like the TempEval-3 scorer:
strict extent match (same offsets) and relaxed extent match (any overlap, one-to-one) as
P/R/F1, and type and value, where an attribute counts as correct on a relaxed match and
P and R divide the correct count by the system and the gold counts. Documents are split
deterministically into a train part and a dev part (every 5th by sorted doc_id) so a rule
tuned on errors of one part can be checked on the other.

    python -m storyline.eval.time FILE.jsonl [--no-spacy] [--errors N]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.eval import read_jsonl
from storyline.eval.metrics import precision_recall_f1
from storyline.model import Timex
from storyline.temporal import tag_timexes

DEV_EVERY = 5
PARTS = ("overall", "train-part", "dev-part")


@dataclass
class Counts:
    """Match counts of one or more documents, from which every figure is derived."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_correct: int = 0
    value_correct: int = 0
    documents: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "documents": self.documents,
            "gold": self.gold,
            "system": self.system,
        }
        for name, correct in (
            ("strict", self.strict),
            ("relaxed", self.relaxed),
            ("type", self.type_correct),
            ("value", self.value_correct),
        ):
            figures[name] = {"correct": correct,
                             **precision_recall_f1(correct, self.system, correct, self.gold)}
        for name, correct in (("type", self.type_correct), ("value", self.value_correct)):
            figures[name]["accuracy"] = correct / self.relaxed if self.relaxed else 0.0
        return figures


@dataclass
class Comparison:
    counts: Counts
    errors: list[dict[str, Any]] = field(default_factory=list)


def compare(gold: list[dict[str, Any]], system: list[Timex], text: str) -> Comparison:
    """Match one document's system timexes to gold one-to-one: exact offsets first, then the
    largest overlap; any overlap is a relaxed match, on which type and value are judged."""
    counts = Counts(gold=len(gold), system=len(system), documents=1)
    pairs: list[tuple[bool, int, int, int]] = []
    for g_index, g in enumerate(gold):
        for s_index, s in enumerate(system):
            overlap = min(g["end"], s.end) - max(g["start"], s.start)
            if overlap > 0:
                exact = g["start"] == s.start and g["end"] == s.end
                pairs.append((not exact, -overlap, g_index, s_index))
    pairs.sort()
    used_gold: set[int] = set()
    used_system: set[int] = set()
    errors = []
    for inexact, _, g_index, s_index in pairs:
        if g_index in used_gold or s_index in used_system:
            continue
        used_gold.add(g_index)
        used_system.add(s_index)
        g, s = gold[g_index], system[s_index]
        counts.relaxed += 1
        counts.strict += not inexact
        counts.type_correct += g["type"] == s.type
        counts.value_correct += g["value"] == s.value
        if inexact or g["type"] != s.type or g["value"] != s.value:
            errors.append(_error("mismatch", g, s, text))
    errors += [_error("missed", g, None, text) for i, g in enumerate(gold) if i not in used_gold]
    errors += [
        _error("spurious", None, s, text) for i, s in enumerate(system) if i not in used_system
    ]
    return Comparison(counts, errors)


def _error(
    kind: str, gold: dict[str, Any] | None, system: Timex | None, text: str
) -> dict[str, Any]:
    start = gold["start"] if gold else system.start  # type: ignore[union-attr]
    end = gold["end"] if gold else system.end  # type: ignore[union-attr]
    return {
        "kind": kind,
        "gold": None if gold is None else {k: gold[k] for k in ("text", "type", "value")},
        "system": None
        if system is None
        else {"text": system.text, "type": system.type, "value": system.value},
        "context": text[max(0, start - 60) : end + 40].replace("\n", " "),
    }


def read_documents(path: str | Path) -> list[dict[str, Any]]:
    return read_jsonl(path, ("doc_id", "text", "timexes"), "TempEval-style documents")


def dev_ids(documents: Iterable[dict[str, Any]]) -> set[str]:
    """The dev part: every 5th document by sorted doc_id (deterministic, no randomness)."""
    ordered = sorted(d["doc_id"] for d in documents)
    return {doc_id for index, doc_id in enumerate(ordered) if index % DEV_EVERY == DEV_EVERY - 1}


def evaluate(path: str | Path, *, use_spacy: bool = True) -> dict[str, Any]:
    """Tag every document of a JSONL gold file with its dct and score it, overall and per part."""
    documents = read_documents(path)
    dev = dev_ids(documents)
    totals = {part: Counts() for part in PARTS}
    errors: list[dict[str, Any]] = []
    for document, parsed in zip(documents, _parses(documents, use_spacy), strict=True):
        dct = dt.date.fromisoformat(document["dct"]) if document.get("dct") else None
        system = tag_timexes(document["text"], dct, parsed)
        comparison = compare(document["timexes"], system, document["text"])
        part = "dev-part" if document["doc_id"] in dev else "train-part"
        totals["overall"].add(comparison.counts)
        totals[part].add(comparison.counts)
        errors += [
            {"doc_id": document["doc_id"], "dct": document.get("dct"), "part": part, **e}
            for e in comparison.errors
        ]
    scores: dict[str, Any] = {part: totals[part].scores() for part in PARTS}
    scores["data"] = str(path)
    scores["spacy"] = use_spacy
    scores["split"] = f"dev-part = every {DEV_EVERY}th document by sorted doc_id"
    scores["errors"] = errors
    return scores


def _parses(documents: list[dict[str, Any]], use_spacy: bool) -> Iterator[Any]:
    """The spaCy parse of each text (tagger and parser only), or None for each when not used."""
    if not use_spacy:
        yield from (None for _ in documents)
        return
    import spacy

    from storyline.nlp import resolve_model_name

    nlp = spacy.load(resolve_model_name(), disable=["ner", "lemmatizer"])
    yield from nlp.pipe((d["text"] for d in documents), batch_size=16)


def format_report(scores: dict[str, Any]) -> str:
    """The printed table: one row per part, strict/relaxed extent and type/value P, R, F1."""
    header = (
        f"{'part':<11} {'docs':>5} {'gold':>5} {'sys':>5} | {'strict P/R/F1':^20} | "
        f"{'relaxed P/R/F1':^20} | {'type F1':>7} {'acc':>5} | {'value P/R/F1':^20} {'acc':>5}"
    )
    lines = [
        f"TIMEX3 scores for {scores.get('data', '?')} (spaCy tense: {scores.get('spacy')})",
        header,
        "-" * len(header),
    ]
    for part in PARTS:
        s = scores[part]
        counts = f"{part:<11} {s['documents']:>5} {s['gold']:>5} {s['system']:>5}"
        lines.append(
            f"{counts} | {_prf(s['strict'])} | {_prf(s['relaxed'])} | "
            f"{s['type']['f1']:>7.3f} {s['type']['accuracy']:>5.3f} | "
            f"{_prf(s['value'])} {s['value']['accuracy']:>5.3f}"
        )
    lines.append(f"({scores.get('split', '')}; attributes count on relaxed matches)")
    return "\n".join(lines)


def _prf(figures: dict[str, float]) -> str:
    return f"{figures['precision']:.3f} {figures['recall']:.3f} {figures['f1']:.3f}".center(20)


def format_errors(scores: dict[str, Any], *, part: str = "overall", limit: int = 20) -> str:
    """One JSON line per error of `part`, for reading what the tagger gets wrong."""
    shown = [e for e in scores["errors"] if part == "overall" or e["part"] == part]
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in shown[:limit])


def main(argv: list[str] | None = None) -> None:
    """`python -m storyline.eval.time FILE.jsonl [--no-spacy] [--errors N]`: print the table."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m storyline.eval.time")
    parser.add_argument("data")
    parser.add_argument("--no-spacy", action="store_true")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--part", default="overall", choices=PARTS)
    args = parser.parse_args(argv)
    scores = evaluate(args.data, use_spacy=not args.no_spacy)
    print(format_report(scores))
    if args.errors:
        print(format_errors(scores, part=args.part, limit=args.errors))


if __name__ == "__main__":
    main()
