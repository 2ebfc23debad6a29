"""Scores of the event grouping and dating on labelled data (format of shared/data/events/).

Each line of the data holds a document (`doc_id`, `text`, `title`, `published`) and its gold
`event_id`. The documents go through `storyline.pipeline.analyze` into a store (a temporary
one unless given), exactly as a user's run; the predicted events are compared with the gold
ones by BCubed and pairwise precision, recall and F1. Where `<split>.events.jsonl` lies
beside the data (incident records with a `date`), the date of each document's predicted
event is compared with its incident's date.

    storyline eval events --data ../shared/data/events/gvc/dev.jsonl
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.eval import read_jsonl
from storyline.eval.metrics import f1, precision_recall_f1
from storyline.settings import Settings
from storyline.store import Store


@dataclass
class Scores:
    """Every figure of one evaluation run."""

    documents: int
    gold_events: int
    predicted_events: int
    bcubed: tuple[float, float, float]
    pairwise: tuple[float, float, float]
    date_accuracy: float | None = None
    dated_documents: int = 0
    non_english: int = 0
    non_english_alone: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def read_gold(path: str | Path) -> list[dict]:
    return read_jsonl(path, ("doc_id", "text", "event_id"), "documents labelled with events")


def read_incident_dates(path: str | Path) -> dict[str, str]:
    """event id -> incident date from `<split>.events.jsonl` beside the data, if there is one."""
    data = Path(path)
    records = data.with_name(data.name.removesuffix(".jsonl") + ".events.jsonl")
    if not records.exists():
        return {}
    return {r["event_id"]: r["date"] for r in read_jsonl(records, ("event_id",), "events")
            if r.get("date")}


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 over the documents of `gold`."""
    by_predicted: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for doc, label in gold.items():
        by_gold[label].add(doc)
        by_predicted[predicted[doc]].add(doc)
    precision = recall = 0.0
    for doc, label in gold.items():
        cluster, truth = by_predicted[predicted[doc]], by_gold[label]
        overlap = len(cluster & truth)
        precision += overlap / len(cluster)
        recall += overlap / len(truth)
    n = len(gold) or 1
    return precision / n, recall / n, f1(precision / n, recall / n)


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over the pairs of documents put in one event."""
    joint = Counter((predicted[d], g) for d, g in gold.items())
    pairs_of = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    both = pairs_of(joint)
    system = pairs_of(Counter(predicted[d] for d in gold))
    truth = pairs_of(Counter(gold.values()))
    figures = precision_recall_f1(both, system, both, truth)
    return figures["precision"], figures["recall"], figures["f1"]


def score(store: Store, data: str | Path) -> Scores:
    """Compare the events in the store with the gold labels of `data`."""
    rows = read_gold(data)
    gold = {r["doc_id"]: r["event_id"] for r in rows}
    event_of: dict[str, str] = {}
    languages: dict[str, str | None] = {}
    for article in store.articles():
        event_of[article.id] = article.event_id or f"alone:{article.id}"
        languages[article.id] = article.language
    predicted = {doc: event_of.get(doc, f"missing:{doc}") for doc in gold}
    event_dates = {e["id"]: e.get("date") for e in store.events()}
    incidents = read_incident_dates(data)
    dated = [(doc, incidents[g]) for doc, g in gold.items() if g in incidents]
    right = sum(event_dates.get(predicted[doc]) == day for doc, day in dated)
    sizes = Counter(predicted.values())
    foreign = [d for d in gold if (languages.get(d) or "en") != "en"]
    return Scores(
        documents=len(gold),
        gold_events=len(set(gold.values())),
        predicted_events=len(sizes),
        bcubed=bcubed(predicted, gold),
        pairwise=pairwise(predicted, gold),
        date_accuracy=right / len(dated) if dated else None,
        dated_documents=len(dated),
        non_english=len(foreign),
        non_english_alone=sum(sizes[predicted[d]] == 1 for d in foreign),
    )


def write_input(data: str | Path, target: Path) -> None:
    """The data as storyline's JSONL input: id, text and the metadata the data has."""
    with open(target, "w", encoding="utf-8") as out:
        for row in read_gold(data):
            record = {"id": row["doc_id"], "text": row["text"]}
            for key in ("title", "published", "url", "outlet", "language"):
                if row.get(key):
                    record[key] = row[key]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def evaluate(data: str | Path, db: str | Path | None = None,
             settings: Settings | None = None) -> Scores:
    """Run the pipeline on the data (into `db`, else a temporary store) and score it.

    With `db`, the input is written beside it (`X.input.jsonl` for `X.db`), so a second
    run finds every document unchanged, skips the NLP and only groups again.
    """
    from storyline.pipeline import analyze

    with tempfile.TemporaryDirectory() as folder:
        target = Path(db) if db else Path(folder) / "events.db"
        source = target.with_suffix(".input.jsonl")
        write_input(data, source)
        analyze([str(source)], db=target, settings=settings)
        with Store(target, readonly=True) as store:
            return score(store, data)


def format_report(scores: Scores) -> str:
    def row(name: str, figures: tuple[float, float, float]) -> str:
        p, r, f = figures
        return f"{name:<10} P {p:.3f}  R {r:.3f}  F1 {f:.3f}"

    lines = [
        f"documents  {scores.documents}",
        f"events     {scores.predicted_events} found, {scores.gold_events} gold",
        row("BCubed", scores.bcubed),
        row("pairwise", scores.pairwise),
    ]
    if scores.date_accuracy is not None:
        lines.append(f"dates      accuracy {scores.date_accuracy:.3f} "
                     f"({scores.dated_documents} documents with an incident date)")
    lines.append(f"languages  {scores.non_english} non-English documents, "
                 f"{scores.non_english_alone} of them alone in their event")
    return "\n".join(lines)
