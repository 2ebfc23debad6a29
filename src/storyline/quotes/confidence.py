"""How likely a reported-speech candidate is an attribution as PolNeAR annotators mark them.

The rules and the tagger both over-generate: a listed verb whose object is no report ("spoke
to a gathering"), a content cut at the wrong clause, two readings of one sentence. A logistic
model (a CRF over one-item sequences, so no second learning library) weighs each candidate that
is not a whole quotation from its cue, its content's length and first word, how sure the tagger
is that the span is content, its source, how it nests with the other candidates and how sure
the tagger is of it against its rivals (the readings of the same words `select` keeps only one
of); those below the threshold are dropped. It is fitted by `python -m storyline.quotes.train`
on the candidates of every training document as read by a tagger not trained on it, and ships
as `data/candidates.crfsuite` with its threshold in `data/candidates.json`.
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.quotes.lexicon import cue_forms, noun_cue_forms
from storyline.quotes.tagger import open_model

if TYPE_CHECKING:
    import pycrfsuite
    from spacy.tokens import Doc, Token

    from storyline.quotes.attribute import Candidate
    from storyline.quotes.tagger import Reading

MODEL = Path(__file__).parent / "data" / "candidates.crfsuite"
# The weight a report needs to be kept: chosen by the training command on held-out documents
# and written next to the model.
SETTINGS = Path(__file__).parent / "data" / "candidates.json"
KEEP = "keep"
LENGTHS = (1, 2, 3, 5, 8, 12, 20, 35)  # content length classes, in tokens
MARKS = "\"“”„«»"


def _threshold() -> float:
    if SETTINGS.exists():
        return float(json.loads(SETTINGS.read_text(encoding="utf-8"))["threshold"])
    return 0.5


THRESHOLD = _threshold()


def classifier() -> pycrfsuite.Tagger | None:
    """The fitted candidate model (None before `storyline.quotes.train` has fitted it)."""
    return open_model(MODEL)


def candidate_features(
    candidates: list[Candidate], doc: Doc, text: str, reading: Reading
) -> list[dict[str, float]]:
    """The features of each candidate (weighted: buckets as 1, probabilities as themselves)."""
    from spacy.attrs import IDX

    forms, nouns = cue_forms(), noun_cue_forms()
    starts = doc.to_array(IDX).tolist()
    spans = [(c.start, c.end) for c in candidates]
    found = []
    for candidate in candidates:
        first = min(bisect.bisect_right(starts, candidate.start) - 1, len(doc) - 1)
        last = max(bisect.bisect_left(starts, candidate.end) - 1, first)
        length = last - first + 1
        origin = candidate.origin
        attribution = candidate.attribution
        cue = attribution.cue if attribution is not None else None
        cue_word = cue.lower_ if cue is not None else "<none>"
        listed = forms.get(cue_word) or nouns.get(cue_word)
        probability = reading.content_probability(candidate.start, candidate.end)
        row: dict[str, float] = {
            "bias": 1.0,
            f"origin={origin}": 1.0,
            f"cue={cue_word}": 1.0,
            f"cue|origin={cue_word}|{origin}": 1.0,
            f"kind={listed.kind if listed else 'unlisted'}|{origin}": 1.0,
            f"length={_bucket(length)}|{origin}": 1.0,
            f"first={doc[first].lower_}": 1.0,
            f"first.tag={doc[first].tag_}": 1.0,
            f"content={round(probability, 1)}|{origin}": 1.0,
            f"content.p|{origin}": probability,
            f"confidence.p|{origin}": attribution.confidence if attribution else 0.0,
            f"source={candidate.source is not None}|{origin}": 1.0,
            f"sentences={min(_sentences(doc, first, last), 3)}": 1.0,
        }
        at = reading.at(doc[first].idx)
        if at is not None:
            row[f"begin.p|{origin}"] = reading.begins[at]
            following = at + last - first + 1
            if following < len(reading.content):
                row[f"after.p|{origin}"] = reading.content[following] - reading.begins[following]
        root = _root(doc, first, last)
        row[f"root={root.dep_}|{root.tag_}"] = 1.0
        if cue is not None:
            row[f"cue|root={cue_word}|{root.dep_}"] = 1.0
            cue_at = reading.at(cue.idx)
            if cue_at is not None:
                row[f"cue.p|{origin}"] = reading.cues[cue_at]
            row[f"cue.tag={cue.tag_}|{cue.dep_}"] = 1.0
            side = "before" if cue.idx < candidate.start else (
                "after" if cue.idx >= candidate.end else "inside")
            row[f"cue.side={side}|{origin}"] = 1.0
        head = candidate.source_head
        if head is not None:
            row[f"source.head={head.lower_ if head.pos_ == 'PRON' else head.pos_}"] = 1.0
            row[f"source.ent={head.ent_type_}"] = 1.0
        if any(mark in text[candidate.start : candidate.end] for mark in MARKS):
            row["quoted.part"] = 1.0
        for other in spans:
            if other == (candidate.start, candidate.end):
                continue
            if other[0] <= candidate.start and candidate.end <= other[1]:
                row[f"inside.other|{origin}"] = 1.0
            elif candidate.start <= other[0] and other[1] <= candidate.end:
                row[f"holds.other|{origin}"] = 1.0
            elif min(other[1], candidate.end) > max(other[0], candidate.start):
                row[f"overlaps.other|{origin}"] = 1.0
        found.append(row)
    _add_rivalry(candidates, found)
    return found


def _add_rivalry(candidates: list[Candidate], rows: list[dict[str, float]]) -> None:
    """Features of each candidate against its rivals, the candidates `select` would not keep
    beside it (overlapping by more than half the shorter): most lost reports lose to a longer
    rival that holds them, so how sure the tagger is of each, relative to the others, counts."""
    spans = [(c.start, c.end) for c in candidates]
    content = [next((v for k, v in row.items() if k.startswith("content.p|")), 0.0)
               for row in rows]
    begins = [next((v for k, v in row.items() if k.startswith("begin.p|")), None) for row in rows]
    order = sorted(range(len(spans)), key=lambda n: spans[n])
    longest = max((end - start for start, end in spans), default=0)
    for position, n in enumerate(order):
        start, end = spans[n]
        row, origin, mine = rows[n], candidates[n].origin, content[n]
        rivals = []
        for m in (order[ahead] for ahead in range(position + 1, len(order))):
            if spans[m][0] >= end:
                break
            rivals.append(m)
        for m in (order[back] for back in range(position - 1, -1, -1)):
            if spans[m][0] + longest <= start:
                break  # this one and all before it end before `start`
            if spans[m][1] > start:
                rivals.append(m)
        rivals = [m for m in rivals if not candidates[m].direct and _rivals(spans[n], spans[m])]
        if not rivals:
            row["rivals=0"] = 1.0
            continue
        row[f"rivals={min(len(rivals), 3)}"] = 1.0
        row[f"rival.rank={min(sum(content[m] > mine for m in rivals), 2)}|{origin}"] = 1.0
        row[f"rival.margin|{origin}"] = mine - max(content[m] for m in rivals)
        shorter = sum(spans[m][1] - spans[m][0] < end - start for m in rivals)
        row[f"rival.longer={min(shorter, 2)}|of={min(len(rivals), 2)}|{origin}"] = 1.0
        for m in rivals:
            other = spans[m]
            how = "in" if other[0] <= start and end <= other[1] else (
                "holds" if start <= other[0] and other[1] <= end else "crosses")
            key = f"rival={candidates[m].origin}|{how}|{origin}"
            row[key] = 1.0
            margin = mine - content[m]
            row[f"{key}|margin"] = min(row.get(f"{key}|margin", margin), margin)
        rival_begins = [begins[m] for m in rivals if begins[m] is not None]
        if begins[n] is not None and rival_begins:
            row[f"rival.begin.margin|{origin}"] = begins[n] - max(rival_begins)


def _rivals(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared * 2 > min(a[1] - a[0], b[1] - b[0])


def keep_probabilities(
    candidates: list[Candidate], doc: Doc, text: str, reading: Reading
) -> list[float]:
    """The probability that each candidate is an attribution (1 without a fitted model)."""
    model = classifier()
    if model is None:
        return [1.0] * len(candidates)
    return weigh(model, candidate_features(candidates, doc, text, reading))


def weigh(model: pycrfsuite.Tagger, rows: list[dict[str, float]]) -> list[float]:
    """The model's probability of keeping each candidate (0 if it never saw one kept)."""
    if KEEP not in model.labels():
        return [0.0] * len(rows)
    found = []
    for row in rows:
        model.set([row])
        found.append(model.marginal(KEEP, 0))
    return found


def _root(doc: Doc, first: int, last: int) -> Token:
    """The token of a span whose head lies outside it."""
    inside = doc[first : last + 1]
    return next((t for t in inside if not first <= t.head.i <= last or t.head.i == t.i), doc[last])


def _bucket(length: int) -> int:
    return next((limit for limit in LENGTHS if length <= limit), LENGTHS[-1] + 1)


def _sentences(doc: Doc, first: int, last: int) -> int:
    return 1 + sum(doc[i].is_sent_start for i in range(first + 1, last + 1))
