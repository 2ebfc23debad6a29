"""Scores of claim alignment and claim status against a hand-made gold set.

The gold (JSONL, one event a line; `tests/fixtures/claims/gold.jsonl`) holds only document
ids, character spans and labels, never article text: each line names the data file its
documents come from (`data`, relative to the events data folder, e.g. `ecbplus/dev.jsonl`),
or carries the texts itself (`texts`, for self-written fixtures). A line lists the event's
`documents`, `skip` spans (datelines, bylines: no claim) and `claims`, each with a `status`,
its `spans` (whole sentences) and, when conflicting, the ids it `conflicts_with`.

The documents run through `storyline.pipeline.analyze` (a temporary store), so they carry
what the pipeline gives them (sentences, entities, timexes, quotes, repost flags); each gold
event's documents then go through `compare_event` together.

- Alignment: pairs of sentences of different documents that state the same claim. A system
  pair is the two support spans of one claim; it matches a gold pair when each span overlaps
  its gold span by at least half of the shorter one. Precision over system pairs, recall over
  gold pairs.
- Status: each gold claim takes the status of the system claim that holds most of its spans
  ("missing" when none does); precision and recall per status over the gold claims.
- Conflicts: gold pairs of conflicting claims found as a system conflict, and system conflict
  pairs that join two gold claims of a gold conflict.

    storyline eval claims --gold tests/fixtures/claims/gold.jsonl --data ../shared/data/events

`fit_pair_model` fits the weights of the alignment's pair model (`compare/data/pair_model.tsv`)
on one gold set, to be checked on the other:

    python -m storyline.eval.claims fit tests/fixtures/claims/gold_more.jsonl > pair_model.tsv

(the run reads the shipped model, so the new one is written elsewhere, then moved into place).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from storyline.eval import DataError, read_jsonl
from storyline.model import Article, Claim

STATUSES = ("corroborated", "single_source", "conflicting")
DEFAULT_DATA = Path("../shared/data/events")

Span = tuple[str, int, int]


def read_gold(path: str | Path) -> list[dict]:
    return read_jsonl(path, ("event", "documents", "claims"), "gold events with aligned claims")


def _overlaps(a: Span, b: Span) -> bool:
    """Same document, and they share at least half of the shorter span."""
    if a[0] != b[0]:
        return False
    shared = min(a[2], b[2]) - max(a[1], b[1])
    return shared > 0 and shared * 2 >= min(a[2] - a[1], b[2] - b[1])


def _pairs(spans: list[Span]) -> set[tuple[Span, Span]]:
    return {(a, b) if a < b else (b, a)
            for i, a in enumerate(spans) for b in spans[i + 1:] if a[0] != b[0]}


def _prf(correct_p: int, total_p: int, correct_r: int, total_r: int) -> dict[str, float]:
    precision = correct_p / total_p if total_p else 0.0
    recall = correct_r / total_r if total_r else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _pair_matches(system: tuple[Span, Span], gold: tuple[Span, Span]) -> bool:
    (a, b), (x, y) = system, gold
    return (_overlaps(a, x) and _overlaps(b, y)) or (_overlaps(a, y) and _overlaps(b, x))


def score_event(gold: dict, claims: list[Claim]) -> dict[str, Any]:
    """Raw counts of one event: alignment pairs, status per gold claim, conflicts."""
    gold_pairs: set[tuple[Span, Span]] = set()
    for claim in gold["claims"]:
        gold_pairs |= _pairs([tuple(s) for s in claim["spans"]])
    system_pairs: set[tuple[Span, Span]] = set()
    for claim in claims:
        system_pairs |= _pairs([(s.doc, s.start, s.end) for s in claim.support])
    right = [p for p in system_pairs if any(_pair_matches(p, g) for g in gold_pairs)]
    found = [g for g in gold_pairs if any(_pair_matches(p, g) for p in system_pairs)]
    matched = {c["id"]: _matching_claim(c, claims) for c in gold["claims"]}
    statuses = [(c["status"], matched[c["id"]].status if matched[c["id"]] else "missing")
                for c in gold["claims"]]
    return {
        "gold_pairs": len(gold_pairs), "system_pairs": len(system_pairs),
        "pairs_right": len(right), "pairs_found": len(found),
        "statuses": statuses,
        "false_pairs": [p for p in system_pairs if p not in right],
        "missed_pairs": [g for g in gold_pairs if g not in found],
        **_conflicts(gold, claims, matched),
    }


def _matching_claim(gold_claim: dict, claims: list[Claim]) -> Claim | None:
    votes: Counter[int] = Counter()
    for span in gold_claim["spans"]:
        for index, claim in enumerate(claims):
            if any(_overlaps(tuple(span), (s.doc, s.start, s.end)) for s in claim.support):
                votes[index] += 1
    return claims[votes.most_common(1)[0][0]] if votes else None


def _conflicts(gold: dict, claims: list[Claim], matched: dict[str, Claim | None]) -> dict:
    gold_conflicts = {tuple(sorted((c["id"], other))) for c in gold["claims"]
                      for other in c.get("conflicts_with", [])}
    found = sum(
        1 for a, b in gold_conflicts
        if matched[a] and matched[b] and matched[b].id in matched[a].conflicts_with)
    system_conflicts = {tuple(sorted((c.id, other))) for c in claims for other in c.conflicts_with}
    gold_of = {cl.id: gid for gid, cl in matched.items() if cl}
    right = sum(1 for a, b in system_conflicts
                if tuple(sorted((gold_of.get(a, ""), gold_of.get(b, "")))) in gold_conflicts)
    return {"gold_conflicts": len(gold_conflicts), "conflicts_found": found,
            "system_conflicts": len(system_conflicts), "conflicts_right": right}


def load_articles(gold: list[dict], data: Path, workdir: Path) -> dict[str, Article]:
    """The gold events' documents, analysed by the pipeline as a user's run would."""
    from storyline.pipeline import analyze
    from storyline.store import Store

    wanted = {doc for event in gold for doc in event["documents"]}
    records: dict[str, dict] = {}
    for event in gold:
        if "texts" in event:
            for doc, record in event["texts"].items():
                records[doc] = {"id": doc, **record}
            continue
        if not (data / event["data"]).is_file():
            raise DataError(f"no {data / event['data']}: --data should be the folder of the "
                            "events data sets the gold names")
        with open(data / event["data"], encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if row["doc_id"] in wanted and row["doc_id"] in event["documents"]:
                    records[row["doc_id"]] = {
                        "id": row["doc_id"], "text": row["text"],
                        **{k: row[k] for k in ("title", "published", "outlet") if row.get(k)}}
    missing = wanted - records.keys()
    if missing:
        raise DataError(f"gold documents not found in the data: {sorted(missing)}")
    source = workdir / "claims.input.jsonl"
    with open(source, "w", encoding="utf-8") as out:
        for record in records.values():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    analyze([str(source)], db=workdir / "claims.db")
    with Store(workdir / "claims.db", readonly=True) as store:
        return {a.id: a for a in store.articles() if a.id in wanted}


def evaluate(path: str | Path, data: str | Path | None = None) -> dict[str, Any]:
    """Run compare_event on every gold event and score alignment, status and conflicts."""
    from storyline.compare import compare_event

    gold = read_gold(path)
    with tempfile.TemporaryDirectory() as folder:
        articles = load_articles(gold, Path(data) if data else DEFAULT_DATA, Path(folder))
    totals: Counter[str] = Counter()
    by_data: dict[str, Counter[str]] = {}
    statuses: list[tuple[str, str]] = []
    errors: list[dict] = []
    for event in gold:
        claims = compare_event([articles[d] for d in event["documents"]]).claims
        counts = score_event(event, claims)
        statuses += counts.pop("statuses")
        errors += [{"event": event["event"], "kind": kind, "pair": pair}
                   for kind in ("false_pairs", "missed_pairs") for pair in counts.pop(kind)]
        totals.update(counts)
        by_data.setdefault(event.get("data", "inline"), Counter()).update(counts)
    return {
        "events": len(gold),
        "documents": sum(len(e["documents"]) for e in gold),
        "gold_claims": len(statuses),
        "gold_pairs": totals["gold_pairs"],
        "system_pairs": totals["system_pairs"],
        "alignment": _prf(totals["pairs_right"], totals["system_pairs"],
                          totals["pairs_found"], totals["gold_pairs"]),
        "status": {s: {**_prf(sum(g == s == p for g, p in statuses),
                               sum(p == s for _, p in statuses),
                               sum(g == s == p for g, p in statuses),
                               sum(g == s for g, _ in statuses)),
                       "gold": sum(g == s for g, _ in statuses)} for s in STATUSES},
        "status_accuracy": round(sum(g == p for g, p in statuses) / len(statuses), 4)
        if statuses else 0.0,
        "conflicts": {"gold": totals["gold_conflicts"], "found": totals["conflicts_found"],
                      "system": totals["system_conflicts"], "right": totals["conflicts_right"]},
        "alignment_by_data": {
            name: {**_prf(c["pairs_right"], c["system_pairs"], c["pairs_found"],
                          c["gold_pairs"]), "gold_pairs": c["gold_pairs"]}
            for name, c in by_data.items()},
        "errors": errors,
    }


def format_report(scores: dict[str, Any]) -> str:
    alignment = scores["alignment"]
    lines = [
        f"gold set   {scores['events']} events, {scores['documents']} documents, "
        f"{scores['gold_claims']} claims, {scores['gold_pairs']} aligned sentence pairs",
        f"alignment  P {alignment['precision']:.3f}  R {alignment['recall']:.3f}  "
        f"F1 {alignment['f1']:.3f}  ({scores['system_pairs']} system pairs)",
    ]
    for name, figures in scores.get("alignment_by_data", {}).items():
        lines.append(f"  {name:<22} P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
                     f"({figures['gold_pairs']} gold pairs)")
    for status, figures in scores["status"].items():
        lines.append(f"{status:<14} P {figures['precision']:.3f}  R {figures['recall']:.3f}  "
                     f"F1 {figures['f1']:.3f}  ({figures['gold']} gold)")
    lines.append(f"status     accuracy {scores['status_accuracy']:.3f}")
    conflicts = scores["conflicts"]
    lines.append(f"conflicts  {conflicts['found']}/{conflicts['gold']} gold found, "
                 f"{conflicts['right']}/{conflicts['system']} system right")
    return "\n".join(lines)


FIT_FLOOR = 0.15  # the pairs the model learns from: more than it scores (CANDIDATE), so it
# also sees the many weak pairs that are not gold


def pair_examples(gold: list[dict], articles: dict[str, Article],
                  floor: float = FIT_FLOOR) -> tuple[list[list[float]], list[bool]]:
    """The pair model's features of each gold event's pairs at least `floor` similar, and
    whether the pair is a gold pair."""
    from storyline.compare import claims as cl

    features: list[list[float]] = []
    labels: list[bool] = []
    for event in gold:
        members = [articles[d] for d in event["documents"]]
        units = cl.event_units(members, cl.source_keys(members))
        gold_pairs: set[tuple[Span, Span]] = set()
        for claim in event["claims"]:
            gold_pairs |= _pairs([tuple(s) for s in claim["spans"]])
        candidates = [(units[i], units[j]) for i, j in cl.candidate_pairs(units, floor)]
        scores = [cl.alignment_score(a, b) for a, b in candidates]
        best: Counter[tuple[int, str]] = Counter()
        for (a, b), score in zip(candidates, scores, strict=True):
            best[id(a), b.doc] = max(best[id(a), b.doc], score)
            best[id(b), a.doc] = max(best[id(b), a.doc], score)
        for (a, b), score in zip(candidates, scores, strict=True):
            if score < floor:
                continue
            features.append(cl.pair_features(a, b, score, best[id(a), b.doc], best[id(b), a.doc]))
            pair = ((a.doc, a.start, a.end), (b.doc, b.start, b.end))
            labels.append(any(_pair_matches(pair, g) for g in gold_pairs))
    return features, labels


def fit_logistic(features: list[list[float]], labels: list[bool], *, l2: float = 1.0,
                 steps: int = 5000) -> tuple[float, list[float]]:
    """Bias and weights of an L2-regularised logistic regression (gradient descent on
    standardised features, given back on the raw scale): few features, no library needed."""
    import numpy as np

    x, y = np.array(features, dtype=float), np.array(labels, dtype=float)
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / spread
    weights, bias = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        error = 1 / (1 + np.exp(-(z @ weights + bias))) - y
        weights -= 0.5 * (z.T @ error + l2 * weights) / len(y)
        bias -= 0.5 * error.mean()
    raw = weights / spread
    return float(bias - (raw * mean).sum()), [float(w) for w in raw]


def fit_pair_model(path: str | Path, data: str | Path | None = None) -> str:
    """The pair model fitted on a gold set, as the lines of `compare/data/pair_model.tsv`."""
    from storyline.compare.claims import PAIR_FEATURES

    gold = read_gold(path)
    with tempfile.TemporaryDirectory() as folder:
        articles = load_articles(gold, Path(data) if data else DEFAULT_DATA, Path(folder))
    bias, weights = fit_logistic(*pair_examples(gold, articles))
    header = [
        "# The alignment's pair model (claims.pair_probability): a logistic regression over the",
        "# features of claims.pair_features, whose names are the keys here. Fitted on",
        f"# {Path(path).as_posix()} with `python -m storyline.eval.claims fit`; check it on the",
        "# other gold set. Refit when the features, the similarity or the annotations change.",
        "# feature\tweight",
    ]
    return "\n".join(header + [f"bias\t{bias:.3f}"] + [f"{name}\t{weight:.3f}" for name, weight
                                                       in zip(PAIR_FEATURES, weights, strict=True)])


if __name__ == "__main__":
    import sys

    if len(sys.argv) >= 3 and sys.argv[1] == "fit":
        print(fit_pair_model(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
    else:
        print(format_report(evaluate(sys.argv[1] if len(sys.argv) > 1
                                     else "tests/fixtures/claims/gold.jsonl")))
