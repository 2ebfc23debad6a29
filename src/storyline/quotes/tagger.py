"""A learned attribution tagger: cue, source and content tokens, read by a CRF over the parse.

PolNeAR counts beliefs, plans, stances and reactions as attributions ("made it clear", "was
booed", "hopes to"), with many more cues than a table can list. A linear-chain CRF
(python-crfsuite) tags each paragraph's tokens as cue, source or content (BIO) from the parse:
the word and its neighbours, its tag, dependency and entity type, its head, the two verbs above
it and the dependency through which it hangs on them, whether those are listed cues, and
whether it is quoted. Tagged runs become attributions: content runs only punctuation parts are
one content, which takes the cue run inside it or else the nearest one of its sentences, and
the cue takes the source run nearest to it, else its subject from the parse. The tagger's
per-token probabilities also weigh the rules' candidates (`confidence`). The model is trained
on PolNeAR train by `python -m storyline.quotes.train`, ships as `data/attributions.crfsuite`
and is opened once per process.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from storyline.quotes.indirect import Attribution, _source_head, _source_span, _span_of
from storyline.quotes.lexicon import cue_forms, noun_cue_forms

if TYPE_CHECKING:
    import pycrfsuite
    from spacy.tokens import Doc, Token

MODEL = Path(__file__).parent / "data" / "attributions.crfsuite"
ROLES = ("CUE", "SOURCE", "CONTENT")  # a token in two roles takes the first
VERBAL = {"VERB", "AUX"}
ATTRIBUTE_COLUMNS = ("lower", "tag", "dep", "pos", "ent")


class Columns:
    """A document's parse as plain lists, read once: making spaCy tokens costs more than the
    features themselves."""

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import (
            DEP,
            ENT_TYPE,
            HEAD,
            IDX,
            IS_PUNCT,
            IS_QUOTE,
            IS_SPACE,
            LENGTH,
            LOWER,
            POS,
            SENT_START,
            TAG,
        )

        self.doc = doc
        names = ATTRIBUTE_COLUMNS
        array = doc.to_array([LOWER, TAG, DEP, POS, ENT_TYPE, HEAD, IDX, LENGTH, IS_SPACE,
                              SENT_START, IS_QUOTE, IS_PUNCT]).reshape(len(doc), 12)
        values = array.view("int64").T.tolist()
        strings = doc.vocab.strings
        found: dict[int, str] = {}
        for name, column in zip(names, array[:, :5].T.tolist(), strict=True):
            setattr(self, name, [found.get(h) or found.setdefault(h, strings[h]) for h in column])
        self.lower: list[str]
        self.tag: list[str]
        self.dep: list[str]
        self.pos: list[str]
        self.ent: list[str]
        self.head: list[int] = [i + offset for i, offset in enumerate(values[5])]
        self.idx: list[int] = values[6]
        self.end: list[int] = [i + n for i, n in zip(values[6], values[7], strict=True)]
        self.space: list[bool] = [bool(v) for v in values[8]]
        text = doc.text
        self.newline = [space and "\n" in text[start:end]
                        for space, start, end in zip(self.space, self.idx, self.end, strict=True)]
        self.sent_start: list[bool] = [v == 1 for v in values[9]]
        self.quote: list[bool] = [bool(v) for v in values[10]]
        self.punct: list[bool] = [bool(v) for v in values[11]]
        self.verb_above = self._verbs_above()

    def _verbs_above(self) -> list[tuple[int, str] | None]:
        """For each token, the nearest verb (or listed cue noun) above it and the dependency
        by which the token's branch hangs on it; one pass, each chain walked once."""
        nouns = noun_cue_forms()
        heads, pos, lower, dep = self.head, self.pos, self.lower, self.dep
        unknown: tuple[int, str] = (-1, "")
        found: list[tuple[int, str] | None] = [unknown] * len(heads)
        for i in range(len(heads)):
            chain = []
            j = i
            while found[j] is unknown:
                head = heads[j]
                if head == j:
                    found[j] = None
                elif pos[head] in VERBAL or lower[head] in nouns:
                    found[j] = (head, dep[j])
                else:
                    chain.append(j)
                    j = head
            for k in chain:
                found[k] = found[j]
        return found


def paragraphs(columns: Columns) -> Iterator[list[int]]:
    """The token indices of each paragraph, white space left out: one tagged sequence each."""
    current: list[int] = []
    for i, space in enumerate(columns.space):
        if space:
            if columns.newline[i] and current:
                yield current
                current = []
            continue
        current.append(i)
    if current:
        yield current


def features(
    columns: Columns, indices: list[int], quoted: list[tuple[int, int]]
) -> list[list[str]]:
    """The feature strings of each token of one paragraph; `quoted` are sorted quoted spans."""
    forms, nouns = cue_forms(), noun_cue_forms()
    lowers = [columns.lower[i] for i in indices]
    tags = [columns.tag[i] for i in indices]
    rows = [_own(columns, i, quoted, forms, nouns) for i in indices]
    previous = ["w-1=<edge>", *(f"w-1={w}" for w in lowers[:-1])]
    following = [*(f"w+1={w}" for w in lowers[1:]), "w+1=<edge>"]
    previous_tag = ["t-1=<edge>", *(f"t-1={t}" for t in tags[:-1])]
    following_tag = [*(f"t+1={t}" for t in tags[1:]), "t+1=<edge>"]
    cue_at = [k for k, w in enumerate(lowers) if w in forms and tags[k].startswith("VB")]
    sentence = sentence_numbers(columns, indices)
    size = len(indices)
    for k, row in enumerate(rows):
        row += (previous[k], following[k], previous_tag[k], following_tag[k])
        if k == 0 or sentence[k] != sentence[k - 1]:
            row.append("first")
        if k + 1 == size or sentence[k + 1] != sentence[k]:
            row.append("last")
        before = bisect.bisect_left(cue_at, k)
        near = [j for j in cue_at[max(before - 1, 0) : before + 1] if sentence[j] == sentence[k]]
        if not near:
            row.append("cue@none")
        for j in near:
            row.append("cue@before" if j < k else ("cue@here" if j == k else "cue@after"))
    return rows


def sentence_numbers(columns: Columns, indices: list[int]) -> list[int]:
    """The number of each token's sentence within the paragraph."""
    numbers, number = [], 0
    for k, i in enumerate(indices):
        number += k > 0 and columns.sent_start[i]
        numbers.append(number)
    return numbers


def _own(
    columns: Columns, i: int, quoted: list[tuple[int, int]], forms: dict, nouns: dict
) -> list[str]:
    lower, tag, dep, head = columns.lower[i], columns.tag[i], columns.dep[i], columns.head[i]
    row = [f"w={lower}", f"t={tag}", f"d={dep}", f"e={columns.ent[i]}",
           f"d|hw={dep}|{columns.lower[head]}"]
    if lower in forms and tag.startswith("VB"):
        row.append(f"cue.kind={forms[lower].kind}")
    elif lower in nouns and columns.pos[i] == "NOUN":
        row.append("cue=noun")
    if quoted and _quoted(columns.idx[i], quoted):
        row.append("quoted")
    if columns.quote[i]:
        row.append("mark")
    lowers, above = columns.lower, columns.verb_above[i]
    for level in (1, 2):
        # the verbs (or listed cues) above the token, with the dependency it hangs on them by
        if above is None:
            break
        verb, by = above
        listed = lowers[verb] in forms or lowers[verb] in nouns
        row.append(f"v{level}={lowers[verb]}|{by}")
        row.append(f"v{level}.side={'L' if i < verb else 'R'}|{by}|{listed}")
        above = columns.verb_above[verb]
    return row


def _quoted(position: int, quoted: list[tuple[int, int]]) -> bool:
    index = bisect.bisect_right(quoted, (position, float("inf"))) - 1
    return index >= 0 and quoted[index][0] <= position < quoted[index][1]


@cache
def open_model(path: Path) -> pycrfsuite.Tagger | None:
    """A trained CRF model, opened once per process; None when it has not been trained."""
    import pycrfsuite

    if not path.exists():
        return None
    model = pycrfsuite.Tagger()
    model.open(str(path))
    return model


def tagger() -> pycrfsuite.Tagger | None:
    return open_model(MODEL)


class Reading:
    """The model's reading of one document: the attributions it tags, and how likely each
    token is to be reported content, to weigh the attributions found by rule."""

    def __init__(
        self, doc: Doc, text: str, quoted: list[tuple[int, int]],
        model: pycrfsuite.Tagger | None = None,
    ) -> None:
        self.attributions: list[Attribution] = []
        self.starts: list[int] = []
        self.content: list[float] = []
        self.begins: list[float] = []
        self.cues: list[float] = []
        model = model or tagger()
        if model is None:
            return
        columns = Columns(doc)
        known = set(model.labels())  # one fitted on a few documents may lack some

        def marginals(label: str, size: int) -> list[float]:
            if label not in known:
                return [0.0] * size
            return [model.marginal(label, k) for k in range(size)]

        for indices in paragraphs(columns):
            labels = model.tag(features(columns, indices, quoted))
            size = len(indices)
            begins = marginals("B-CONTENT", size)
            probabilities = [b + i for b, i in zip(begins, marginals("I-CONTENT", size),
                                                   strict=True)]
            self.starts.extend(columns.idx[i] for i in indices)
            self.content.extend(probabilities)
            self.begins.extend(begins)
            self.cues.extend(b + i for b, i in zip(marginals("B-CUE", size),
                                                   marginals("I-CUE", size), strict=True))
            if any(label != "O" for label in labels):
                self.attributions.extend(
                    _attributions(columns, indices, labels, probabilities, text))

    def at(self, position: int) -> int | None:
        """The index of the token starting at a character position, if any was read."""
        index = bisect.bisect_left(self.starts, position)
        return index if index < len(self.starts) and self.starts[index] == position else None

    def content_probability(self, start: int, end: int) -> float:
        """The mean probability that the tokens of a span are content (1 without a model)."""
        first = bisect.bisect_left(self.starts, start)
        last = bisect.bisect_left(self.starts, end)
        if not self.starts or last <= first:
            return 1.0
        return sum(self.content[first:last]) / (last - first)


def runs(labels: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Runs of one role, as (first, last) positions in the paragraph, by role."""
    found: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    start = None
    for i, label in enumerate([*labels, "O"]):
        if start is not None and label != f"I-{labels[start][2:]}":
            found[labels[start][2:]].append((start, i - 1))
            start = None
        if label.startswith("B-") or (label.startswith("I-") and start is None):
            start = i
    return found


def _attributions(
    columns: Columns, indices: list[int], labels: list[str], probabilities: list[float],
    text: str,
) -> list[Attribution]:
    doc = columns.doc
    tagged = runs(labels)
    sentence = sentence_numbers(columns, indices)
    cues, sources = tagged["CUE"], tagged["SOURCE"]
    contents: list[tuple[int, int]] = []
    for run in tagged["CONTENT"]:
        if contents and all(labels[k] == "O" and columns.punct[indices[k]]
                            for k in range(contents[-1][1] + 1, run[0])):
            contents[-1] = (contents[-1][0], run[1])
        else:
            contents.append(run)
    found = []
    for first, last in contents:
        span = _span_of(indices[first], indices[last], doc, text)
        if span is None:
            continue
        confidence = sum(probabilities[first : last + 1]) / (last + 1 - first)
        inside = [c for c in cues if first <= c[0] and c[1] <= last]
        cue = inside[0] if inside else None
        if cue is None:
            near = _nearest((first, last), cues, sentence)
            cue = cues[near] if near is not None else None
        if cue is None:
            found.append(Attribution(doc[indices[first]], "", None, None, span, confidence))
            continue
        cue_token = _head_of(doc, indices[cue[0] : cue[1] + 1])
        cue_text = text[columns.idx[indices[cue[0]]] : columns.end[indices[cue[1]]]]
        source = _nearest(cue, sources, sentence)
        if source is not None:
            source_indices = indices[sources[source][0] : sources[source][1] + 1]
            head = _head_of(doc, source_indices)
            source_span = (columns.idx[source_indices[0]], columns.end[source_indices[-1]])
        else:
            head = _source_head(cue_token)
            source_span = _source_span(head) if head is not None else None
        found.append(Attribution(cue_token, cue_text, source_span, head, span, confidence))
    return found


def _nearest(
    run: tuple[int, int], others: list[tuple[int, int]], sentence: list[int]
) -> int | None:
    """The index of the run in `others` closest to `run` within its sentences, if any."""
    best, best_distance = None, None
    for index, (first, last) in enumerate(others):
        if not sentence[run[0]] <= sentence[first] <= sentence[run[1]]:
            continue
        distance = first - run[1] if first > run[1] else run[0] - last
        if best_distance is None or distance < best_distance:
            best, best_distance = index, distance
    return best


def _head_of(doc: Doc, indices: list[int]) -> Token:
    """The token of a run whose head lies outside it (its syntactic head)."""
    inside = set(indices)
    tokens = [doc[i] for i in indices]
    return next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[-1])
