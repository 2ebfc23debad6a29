"""Trains the attribution tagger (`tagger.py`) and the candidate weights (`confidence.py`) on
PolNeAR-format gold data.

The tagger: each gold attribution marks its cue, source and content fragments on the tokens
they cover (BIO; a token in two roles takes cue before source before content), paragraph by
paragraph, and a CRF is fitted with L-BFGS and elastic-net regularisation on all documents.
The weights are fitted on the candidates of every document as read by a tagger fitted on the
other three folds of four (cross-fitting), so the tagger's confidence is as on unseen text; a
candidate counts as kept when it soft-matches a gold attribution. The threshold on the weights
is the one with the best soft F1 when the weights are fitted on one half of the documents and
applied to the other, both ways round; it is written to `candidates.json`. Training is
deterministic: this reproduces the shipped files byte for byte (five taggers, about twenty
CPU minutes; `--cache` keeps the spaCy parses between runs, `--processes` fits the fold taggers
side by side):

    python -m storyline.quotes.train --data PolNeAR/train.jsonl [--out src/storyline/quotes/data]
        [--cache DIR] [--processes N]
"""

from __future__ import annotations

import argparse
import bisect
import json
import multiprocessing
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storyline.quotes.confidence import KEEP, candidate_features, weigh
from storyline.quotes.direct import find_quotations
from storyline.quotes.indirect import find_attributions
from storyline.quotes.tagger import ROLES, Columns, Reading, features, paragraphs

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storyline.quotes.attribute import Candidate

DATA = Path(__file__).parent / "data"
TAGGER_PARAMETERS = {
    "c1": 1.0,
    "c2": 0.01,
    "max_iterations": 150,
    "feature.possible_transitions": True,
    "feature.minfreq": 3,
}
WEIGHT_PARAMETERS = {"c1": 0.0, "c2": 1.0, "max_iterations": 200}
FOLDS = 4  # the weights are fitted on readings by taggers fitted on the other folds
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


def gold_labels(
    columns: Columns, indices: list[int], attributions: list[dict[str, Any]]
) -> list[str]:
    """BIO labels of one paragraph's tokens from the gold fragments they overlap."""
    starts = [columns.idx[i] for i in indices]
    marks: list[tuple[int, str, int] | None] = [None] * len(indices)
    for number, attribution in enumerate(attributions):
        for rank, role in enumerate(ROLES):
            span = attribution.get(role.lower())
            for piece, fragment in enumerate(span["fragments"] if span else []):
                first = max(bisect.bisect_right(starts, fragment["start"]) - 1, 0)
                last = bisect.bisect_left(starts, fragment["end"])
                for k in range(first, last):
                    if columns.end[indices[k]] <= fragment["start"]:
                        continue
                    if marks[k] is None or marks[k][0] > rank:
                        marks[k] = (rank, role, number * 100 + piece)
    labels = []
    for k, mark in enumerate(marks):
        if mark is None:
            labels.append("O")
        elif k > 0 and marks[k - 1] is not None and marks[k - 1][1:] == mark[1:]:
            labels.append(f"I-{mark[1]}")
        else:
            labels.append(f"B-{mark[1]}")
    return labels


def sequences(
    text: str, doc: Doc, attributions: list[dict[str, Any]]
) -> Iterator[tuple[list[list[str]], list[str]]]:
    """(features, labels) of each paragraph of one document."""
    quoted = sorted(piece for q in find_quotations(text) for piece in q.pieces)
    columns = Columns(doc)
    for indices in paragraphs(columns):
        yield features(columns, indices, quoted), gold_labels(columns, indices, attributions)


def fit_tagger(documents: list[dict[str, Any]], parses: list[Doc], out: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for document, doc in zip(documents, parses, strict=True):
        for xseq, yseq in sequences(document["text"], doc, document["attributions"]):
            trainer.append(xseq, yseq)
    trainer.select("lbfgs")
    trainer.set_params(TAGGER_PARAMETERS)
    trainer.train(str(out))


Example = tuple[dict[str, float], str]


def weight_examples(
    documents: list[dict[str, Any]], parses: list[Doc], model: Any
) -> Iterator[tuple[list[Candidate], list[Example], list[dict[str, Any]]]]:
    """Per document: its candidates, (features, keep or drop) of each, and its gold."""
    from storyline.eval.quotes import soft_matches
    from storyline.quotes import find_candidates

    for document, doc in zip(documents, parses, strict=True):
        text = document["text"]
        quotations = find_quotations(text)
        quoted = sorted(piece for q in quotations for piece in q.pieces)
        rules = find_attributions(doc, text)
        reading = Reading(doc, text, quoted, model)
        candidates = find_candidates(doc, text, quotations, rules, reading)
        gold = document["attributions"]
        matched = {s for _, s in soft_matches(gold, [(c.start, c.end) for c in candidates])}
        rows = candidate_features(candidates, doc, text, reading)
        labels = [KEEP if number in matched else "drop" for number in range(len(candidates))]
        yield candidates, list(zip(rows, labels, strict=True)), gold


def fit_weights(examples: Iterable[tuple[list[Candidate], list[Example], Any]], out: Path) -> None:
    """Fits the weights on the candidates that are not whole quotations."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for candidates, rows, _ in examples:
        for candidate, (row, label) in zip(candidates, rows, strict=True):
            if not candidate.direct:
                trainer.append([row], [label])
    trainer.select("lbfgs")
    trainer.set_params(WEIGHT_PARAMETERS)
    trainer.train(str(out))


def threshold_scores(
    examples: list[tuple[list[Candidate], list[Example], list[dict[str, Any]]]]
) -> dict[float, float]:
    """Soft content F1 of the selection at each threshold, the weights fitted on one half of the
    documents and applied to the other, both ways round."""
    import pycrfsuite

    from storyline.eval.metrics import precision_recall_f1
    from storyline.eval.quotes import soft_matches
    from storyline.quotes import select

    counts = {threshold: [0, 0, 0] for threshold in THRESHOLDS}
    with tempfile.TemporaryDirectory() as folder:
        for half in (0, 1):
            path = Path(folder) / f"weights{half}.crfsuite"
            fitting = [e for n, e in enumerate(examples) if n % 2 != half]
            if not fitting:
                continue
            fit_weights(fitting, path)
            model = pycrfsuite.Tagger()
            model.open(str(path))
            for candidates, rows, gold in examples[half::2]:
                weights = weigh(model, [row for row, _ in rows])
                for threshold in THRESHOLDS:
                    chosen = select(candidates, weights, threshold)
                    pairs = soft_matches(gold, [(c.start, c.end) for c in chosen])
                    counts[threshold][0] += len(pairs)
                    counts[threshold][1] += len(chosen)
                    counts[threshold][2] += len(gold)
            model.close()
    return {t: precision_recall_f1(m, s, m, g)["f1"] for t, (m, s, g) in counts.items()}


def train(data: Path, out: Path, cache: Path | None = None, processes: int = 1) -> None:
    from storyline.eval.quotes import parse_documents, read_documents

    documents = read_documents(data)
    parses = list(parse_documents(documents, cache))
    out.mkdir(parents=True, exist_ok=True)
    examples = cross_fitted_examples(documents, parses, processes)
    fit_tagger(documents, parses, out / "attributions.crfsuite")
    fit_weights(examples, out / "candidates.crfsuite")
    scores = threshold_scores(examples)
    best = max(scores, key=lambda t: scores[t])
    settings = {"threshold": best, "soft_f1_by_threshold": {str(t): round(f, 4)
                                                            for t, f in scores.items()}}
    (out / "candidates.json").write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")


def cross_fitted_examples(
    documents: list[dict[str, Any]], parses: list[Doc], processes: int = 1
) -> list[tuple[list[Candidate], list[Example], list[dict[str, Any]]]]:
    """The weight examples of every document, each read by a tagger fitted on the other folds
    (document n is in fold n % FOLDS), so the weights see the tagger as on unseen text."""
    import pycrfsuite

    examples: list[Any] = [None] * len(documents)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"tagger{fold}.crfsuite" for fold in range(FOLDS)]
        rests = [[i for i in range(len(documents)) if i % FOLDS != fold] for fold in range(FOLDS)]
        fit_taggers(documents, parses, list(zip(paths, rests, strict=True)), processes)
        for fold, path in enumerate(paths):
            held = [i for i in range(len(documents)) if i % FOLDS == fold]
            model = pycrfsuite.Tagger()
            model.open(str(path))
            found = weight_examples(
                [documents[i] for i in held], [parses[i] for i in held], model)
            for number, example in zip(held, found, strict=True):
                examples[number] = example
            model.close()
    return examples


_training: tuple[list[dict[str, Any]], list[Doc]] | None = None


def fit_taggers(
    documents: list[dict[str, Any]], parses: list[Doc], jobs: list[tuple[Path, list[int]]],
    processes: int,
) -> None:
    """Fits one tagger per job (where it goes, which documents it learns from), `processes` at
    a time; forked workers share the parses instead of copying them through a pipe."""
    global _training
    _training = (documents, parses)
    try:
        if processes <= 1 or len(jobs) <= 1:
            for job in jobs:
                _fit_job(*job)
            return
        with multiprocessing.get_context("fork").Pool(min(processes, len(jobs))) as pool:
            pool.starmap(_fit_job, jobs, chunksize=1)
    finally:
        _training = None


def _fit_job(path: Path, numbers: list[int]) -> None:
    assert _training is not None
    documents, parses = _training
    fit_tagger([documents[i] for i in numbers], [parses[i] for i in numbers], path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=None, help="folder for the spaCy parses")
    parser.add_argument("--processes", type=int, default=1,
                        help="fold taggers fitted at once (the result does not depend on it)")
    arguments = parser.parse_args()
    train(arguments.data, arguments.out, arguments.cache, arguments.processes)


if __name__ == "__main__":
    main()
