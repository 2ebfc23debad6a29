"""How likely an English article is machine-translated, with the sentences that say so.

Machine translation into English leaves marks that edited news copy does not have. Three
rules look for them, each a clear pattern a reader can check in the evidence:

- fragment_sentence: a sentence of one to three words made only of auxiliaries, reporting
  verbs and "there" ("Will be." "There is." "Stated."): a verb the MT split from a
  sentence whose subject it dropped.
- subjectless_sentence: a sentence of two to six words opening with a finite verb and no
  subject ("Provides an economical lifeline.").
- unbalanced_quote: a quote mark without a partner: an opening mark dangling at the end of
  a paragraph, a closing mark that closes nothing, a quotation reopened before it closed or
  never closed. Marks are paired over the whole text (curly or straight, direction read
  from the spacing around them), so quotations running over line or paragraph breaks, with
  the news convention of reopening each continued paragraph, are balanced.

Sentences inside quotations are never fragments (speech is allowed to be clipped); headings
(no closing period), shouted or Title Case lines and sentence tails ("said.") never match.
Word lists live in `data/mt_fragments.tsv` and `data/abbreviations.txt`.

Score: the weighted count of signals per sentence, d = weight / max(sentences, 20), mapped to
1 - exp(-RATE * d). Fragments weigh 1; stray quote marks 0.5 and at most two count, since
scraped human text loses a mark now and then. RATE puts the score at 0.5 (the threshold) at
one full signal per twelve sentences: a single odd sentence, or quote trouble alone, stays
at or below 0.34 however short the article, while machine-translated copy with a fragment
every few sentences scores above the threshold. On the development corpora in shared/data
(6,925 human-written English news texts) no text reaches 0.5. Only English is scored (MT
detection is for English output here); text of unknown language (None) is scored too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from storyline.clean.plaintext import abbreviations

MACHINE_TRANSLATION_THRESHOLD = 0.5
SIGNALS_AT_THRESHOLD = 1 / 12  # signals per sentence that score exactly the threshold
RATE = math.log(2) / SIGNALS_AT_THRESHOLD
MIN_SENTENCES = 20  # shorter texts count as this long, so one signal never decides alone
WEIGHTS = {"fragment_sentence": 1.0, "subjectless_sentence": 1.0, "unbalanced_quote": 0.5}
MAX_COUNTED = {"unbalanced_quote": 2}  # scraped text often loses a quote mark; few count
MAX_FRAGMENT_WORDS = 3
MAX_SUBJECTLESS_WORDS = 6

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=[.!?:\"”])[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s|$)")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_QUOTE_MARK = re.compile(r"[\"“”„‟]|''|‘‘|’’|``")
_OPENING_GLYPHS = {"“", "„", "‟", "‘‘", "``"}
_CLOSING_GLYPHS = {"”", "’’"}
_BEFORE_OPENING = "([{—–-/"
_AFTER_CLOSING = ".,;:!?)]}—–-/…"


@dataclass
class _Span:
    start: int
    end: int


def machine_translation_evidence(
    text: str, language: str | None
) -> tuple[float, list[dict[str, Any]]]:
    """Score in 0..1 that `text` is machine-translated English, and the evidence spans."""
    if language is not None and re.split(r"[-_]", language.lower())[0] != "en":
        return 0.0, []
    evidence: list[dict[str, Any]] = []
    sentence_count = 0
    paragraphs = _paragraphs(text)
    sentences = [_sentences(text, p) for p in paragraphs]
    quotes = _read_quotes(text, paragraphs)
    for in_paragraph in sentences:
        sentence_count += len(in_paragraph)
        for sentence in in_paragraph:
            rule = _fragment_rule(text[sentence.start:sentence.end])
            if rule and not _inside(sentence, quotes.quoted):
                evidence.append(_evidence(text, rule, sentence))
    for number, mark in quotes.stray:
        evidence.append(_evidence(text, "unbalanced_quote", _around(mark, sentences[number])))
    evidence.sort(key=lambda e: e["start"])
    return _score(evidence, sentence_count), evidence


def _score(evidence: list[dict[str, Any]], sentence_count: int) -> float:
    """Signals per sentence, squashed into 0..1; see the module docstring."""
    counts = Counter(e["rule"] for e in evidence)
    weight = sum(WEIGHTS[rule] * min(n, MAX_COUNTED.get(rule, n)) for rule, n in counts.items())
    density = weight / max(sentence_count, MIN_SENTENCES)
    return 1.0 - math.exp(-RATE * density)


def _evidence(text: str, rule: str, span: _Span) -> dict[str, Any]:
    return {"rule": rule, "text": text[span.start:span.end], "start": span.start, "end": span.end}


def _paragraphs(text: str) -> list[_Span]:
    """Blank-line blocks, and lines that end a sentence; hard-wrapped lines stay together."""
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append(_Span(start, match.start()))
        start = match.end()
    spans.append(_Span(start, len(text)))
    return [s for s in (_strip(text, s) for s in spans) if s.end > s.start]


def _sentences(text: str, paragraph: _Span) -> list[_Span]:
    """Sentences of a paragraph, split after . ! ? unless the period ends an abbreviation."""
    spans, start = [], paragraph.start
    for match in _SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        if _is_abbreviation(text, start, match):
            continue
        spans.append(_Span(start, match.end()))
        start = match.end()
    spans.append(_Span(start, paragraph.end))
    return [s for s in (_strip(text, s) for s in spans) if _WORD.search(text, s.start, s.end)]


def _is_abbreviation(text: str, start: int, end: re.Match[str]) -> bool:
    if not end.group().startswith(".") or len(end.group()) > 1:
        return False
    words = _WORD.findall(text, start, end.start())
    if not words:
        return False
    last = words[-1].lower()
    return len(last) == 1 or "." in last or last in abbreviations()


def _strip(text: str, span: _Span) -> _Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return _Span(start, end)


def _fragment_rule(sentence: str) -> str | None:
    """Which fragment rule a sentence breaks, if any; quoted or unfinished ones never do."""
    if not _plain_sentence(sentence):
        return None
    words = [w.lower() for w in _WORD.findall(sentence)]
    fragment_words, leads = _fragment_vocabulary()
    if 1 <= len(words) <= MAX_FRAGMENT_WORDS and all(w in fragment_words for w in words):
        return "fragment_sentence"
    if 2 <= len(words) <= MAX_SUBJECTLESS_WORDS and words[0] in leads:
        return "subjectless_sentence"
    return None


def _plain_sentence(sentence: str) -> bool:
    """A capitalised sentence closed by one period or "!", in neither capitals nor Title Case.

    Quotes, headings, ellipses, split-off sentence ends ("said.") and shouted or title-cased
    lines are left to other stages: they are not the MT fragments these rules describe.
    """
    if not sentence[:1].isupper() or not sentence.endswith((".", "!")) or sentence.endswith(".."):
        return False
    if _QUOTE_MARK.search(sentence):
        return False
    words = _WORD.findall(sentence)
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) < 2 or capitalised < len(words)


@dataclass
class _Quotes:
    quoted: list[_Span]  # stretches inside quotation marks, possibly over several paragraphs
    stray: list[tuple[int, int]]  # (paragraph number, offset) of marks without a partner


def _read_quotes(text: str, paragraphs: list[_Span]) -> _Quotes:
    """Pair quote marks over the whole text, as a reader does.

    A quotation may run over paragraph or line breaks, and by news convention a paragraph
    that continues a quotation opens with a mark of its own. A mark is stray when it closes
    nothing, when a quotation is reopened mid-paragraph before it was closed, when it opens
    a quotation that never closes, or when it dangles, opening nothing at a paragraph's end.
    """
    quotes = _Quotes([], [])
    opened: tuple[int, int] | None = None
    for number, paragraph in enumerate(paragraphs):
        for mark in _QUOTE_MARK.finditer(text, paragraph.start, paragraph.end):
            role = _mark_role(text, mark, paragraph, opened is not None)
            if role == "dangling":
                quotes.stray.append((number, mark.start()))
            elif role == "open" and opened is None:
                opened = (number, mark.start())
            elif role == "open" and not (mark.start() == paragraph.start and number > opened[0]):
                quotes.stray.append(opened)
                quotes.quoted.append(_Span(opened[1], mark.start()))
                opened = (number, mark.start())
            elif role == "close" and opened is None:
                quotes.stray.append((number, mark.start()))
                quotes.quoted.append(_Span(paragraph.start, mark.end()))
            elif role == "close":
                quotes.quoted.append(_Span(opened[1], mark.end()))
                opened = None
    if opened is not None:
        quotes.stray.append(opened)
        quotes.quoted.append(_Span(opened[1], paragraphs[opened[0]].end))
    return quotes


def _mark_role(text: str, mark: re.Match[str], paragraph: _Span, is_open: bool) -> str:
    """open, close, dangling, or inch (5'8"): by the mark's shape, else by its glyph."""
    before = text[mark.start() - 1] if mark.start() > paragraph.start else " "
    if before.isdigit():
        return "inch"
    if mark.end() >= paragraph.end:  # paragraphs are stripped: nothing follows the mark
        return "dangling" if before.isspace() or mark.group() in _OPENING_GLYPHS else "close"
    after = text[mark.end()]
    space_before = before.isspace() or before in _BEFORE_OPENING
    space_after = after.isspace() or after in _AFTER_CLOSING
    if space_before and not space_after:
        return "open"
    if space_after and not space_before:
        return "close"
    if mark.group() in _OPENING_GLYPHS:
        return "open"
    if mark.group() in _CLOSING_GLYPHS:
        return "close"
    return "close" if is_open else "open"


def _around(mark: int, sentences: list[_Span]) -> _Span:
    """The sentence holding a quote mark; a stray mark after the last one joins that one."""
    before = [s for s in sentences if s.start <= mark] or sentences[:1] or [_Span(mark, mark)]
    return _Span(before[-1].start, max(before[-1].end, mark + 1))


def _inside(span: _Span, quoted: list[_Span]) -> bool:
    return any(q.start <= span.start and span.end <= q.end for q in quoted)


@cache
def _fragment_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    words: dict[str, set[str]] = {"word": set(), "lead": set()}
    for row in _data_rows("mt_fragments.tsv"):
        kind, word = row.split("\t")
        words[kind].add(word.strip().lower())
    return frozenset(words["word"]), frozenset(words["lead"])


def _data_rows(name: str) -> list[str]:
    text = resources.files("storyline.clean").joinpath("data", name).read_text("utf-8")
    return [r for r in text.splitlines() if r.strip() and not r.startswith("#")]
