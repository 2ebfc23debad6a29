"""Claims of one event: statements cut from each document, aligned across documents, given a status.

Needs documents that went through the annotate stage (sentences, entities, timexes) and the
repost pass (`flags.duplicate_of`); the documents of one event only, since conflicts are only
looked for inside one event.

- Units: each sentence is a candidate statement. A headline, dateline or whole sentence on a
  line of its own that the sentence splitter glued to the next sentence is cut off at its line
  break (except in hard-wrapped text); units without enough content words (datelines, "Post a
  Comment") are dropped.
- Alignment: a unit is a weighted set of content words read in their dictionary form
  (`data/lemmas.tsv`: "fled" as "flee"), lightly stemmed and compared on their first TRUNCATE
  letters (`data/stopwords.txt`, paraphrase classes in `data/synonyms.tsv`), names (weight 2),
  figures (weight 2, number words read through `data/numbers.tsv`, "two-year-old" as
  "2-year-old") and times (the day of a TIMEX3 date or clock time, the hour of a clock time,
  a year or a duration). A leading dateline ("LITTLE ROCK, Ark. (KTHV) –") is left out; the
  attribution around a reported statement ("Police say ...") weighs ATTRIBUTION_WEIGHT. Two
  units of different documents are similar by the mean of the cosine and the overlap
  coefficient of those sets, each word weighted down by how many sentences of the event hold
  it; the similarity is scaled by POLARITY_MISMATCH when only one of them is negated
  (`data/negations.txt`). Only pairs that share one of their rarest words are compared
  (`candidate_pairs`, an inverted index): the others cannot reach a similarity that counts
  (CANDIDATE), so the work grows with the pairs that can align, not with the square of the
  sentences.
  A pair model turns similarity into how likely two sentences state one claim
  (`pair_probability`, a logistic regression in `data/pair_model.tsv` fitted on one of the
  team's gold sets and checked on the other): it also reads how many content words they
  share (many shared common words count even when each weighs little), whether both open
  their documents (headline and lead state the main claim), how alike their lengths are, and
  how close the pair comes to each sentence's best match in the other document.
  Pairs above ALIGN (or above BEST_MATCH when each is the other's best match in its document)
  are merged, most likely first, while the two clusters stay AVERAGE_LINK close on average (so
  chains of weak links do not snowball), no two of their sentences are below WEAKEST_LINK,
  and no two unlike sentences of one document meet. A sentence that states two claims
  ("Johnson, 66, was killed Wednesday") then also joins every other claim it is AVERAGE_LINK
  close to (SHARED_LINK if that claim holds a sentence of its own document), and pairs with a
  sentence in no claim yet that it is ALIGN close to. A denied participle ("unidentified",
  not the undoing verbs of `data/reversatives.txt`) counts as a negation.
- Independence: documents of one outlet, and a copy with its original (`flags.duplicate_of`),
  are one source. A claim is `corroborated` when two or more sources state it.
- Conflicts: two units of different sources that are about the same fact (similarity above
  CONFLICT, figures and dates aside) and give it a different value: a figure counting the same
  thing ("six AK-47 rifles" / "14 AK-47 rifles"), a different day, or a different person after
  the same title. Two ages of the same kind of person, in sentences that agree on another
  figure ("a 17-year-old girl and a 16-year-old boy" / "a 17-year-old girl and a 15-year-old
  boy"), need only AGE_CONFLICT, and two sentences that say when the event happened ("The
  shooting happened Friday, June 3" / "... on June 1 when the tragedy occurred") conflict on
  their days whatever else they say. Their claims become `conflicting` and point at each
  other.
"""

from __future__ import annotations

import hashlib
import math
import operator
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from storyline.model import Article, Claim, ClaimSupport

ALIGN = 0.7  # pair-model probability of two units to state the same claim
CONFLICT = 0.45  # similarity, figures and dates left out, to be about the same fact
BEST_MATCH = 0.4  # a lower probability will do for two sentences that are each other's best match
AVERAGE_LINK = 0.35  # mean probability between two clusters' sentences for them to merge
WEAKEST_LINK = 0.05  # nor may a claim hold two sentences of different documents this unlike
AGE_CONFLICT = 0.25  # the same, for two ages of one kind of person in one group
SHARED_LINK = 0.75  # the same, to join a claim that holds another sentence of its document
CANDIDATE = 0.25  # pairs below this similarity are not scored: they never align
SAME_DOCUMENT = 0.1  # two sentences of one document in one claim must be at least this close
MIN_CONTENT_WORDS = 3
TRUNCATE = 6  # words are compared on this many first letters of their stem
NAME_WEIGHT = 2.0
FIGURE_WEIGHT = 2.0
DATE_WEIGHT = 1.0
ATTRIBUTION_WEIGHT = 0.5  # words outside a reported statement ("Police say ...") say who said it
POLARITY_MISMATCH = 0.7  # similarity kept when one of two sentences is negated
HEADLINE_WORDS = 16  # a line this short without final punctuation may be a headline
AGE = "year-o"  # the key of "16-year-old" (the comparable form of "year-old")
HAPPENED = "happened"  # with its paraphrases in data/synonyms.tsv ("occurred"): when it happened
DAY = re.compile(r"^((?:\d{4}|XXXX)-\d{2}-\d{2})(?:$|T)")  # "2016-06-28", "2016-06-28T22:00"
PERIOD = re.compile(r"^(\d{4}(-\d{2})?|P(T?)\d+[A-Z])$")  # a year, a month, "PT2H", "P5D"
CLOCK = re.compile(r"T(\d{2}):\d{2}")  # the hour of a clock time: "8:30 p.m." meets "8:34 p.m."
WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*", re.UNICODE)
TITLE_WORD = re.compile(r"[\w'’.-]+")
DATELINE = re.compile(  # "WATERBURY, Conn. (WTNH) — ", "(via KARK) -- "
    r"(?:[A-Z][A-Z.'’]+(?:[ -][A-Z.'’]+)*"  # the place in capitals
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)?[ \t]*)?"  # its state
    r"(?:\([^)\n]{1,40}\)[ \t]*)?"  # the station or agency
    r"(?:--|[–—-])[ \t]+")
FIGURE = re.compile(
    r"(?P<currency>[$€£¥])?\s?(?P<number>\d[\d,]*(?:\.\d+)?)(?P<suffix>%|-year-old)?", re.UNICODE)


@dataclass
class Figure:
    """A number in a unit and the word that says what it counts (the key to compare it by)."""

    value: float
    key: str
    start: int
    end: int


@dataclass
class Unit:
    """One candidate statement: a span of one document and what alignment compares."""

    doc: str
    outlet: str | None
    source: str
    start: int
    end: int
    text: str
    position: int
    words: dict[str, float] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    dates: set[str] = field(default_factory=set)
    titled_names: dict[str, str] = field(default_factory=dict)
    persons: set[str] = field(default_factory=set)
    fragment: bool = False
    negated: bool = False

    plain_words: dict[str, float] = field(default_factory=dict)
    totals: tuple[float, float] = (0.0, 0.0)

    def weigh(self, words: dict[str, float]) -> None:
        """Set the word weights, and what similarity reads of them: the words without figures
        (#) and dates (@), and both sums."""
        self.words = words
        self.plain_words = {w: x for w, x in words.items() if w[0] not in "#@"}
        self.totals = (sum(words.values()), sum(self.plain_words.values()))

    def total(self, values: bool = True) -> float:
        return self.totals[0] if values else self.totals[1]


def _read_lines(name: str) -> list[str]:
    text = resources.files("storyline.compare").joinpath("data", name).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def stopwords() -> frozenset[str]:
    return frozenset(line.strip() for line in _read_lines("stopwords.txt"))


@cache
def titles() -> frozenset[str]:
    return frozenset(line.strip() for line in _read_lines("titles.txt"))


@cache
def number_words() -> dict[str, float]:
    return {word: float(value) for word, value in
            (line.split("\t") for line in _read_lines("numbers.tsv"))}


@cache
def negations() -> frozenset[str]:
    return frozenset(line.strip() for line in _read_lines("negations.txt"))


@cache
def reversatives() -> frozenset[str]:
    return frozenset(stem(line.strip()) for line in _read_lines("reversatives.txt"))


@cache
def lemmas() -> dict[str, str]:
    return dict(line.split("\t") for line in _read_lines("lemmas.tsv"))


@cache
def synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _read_lines("synonyms.tsv"):
        canonical, *variants = line.split("\t")
        for variant in variants:
            table[stem(variant)] = table[_lemma_stem(variant)] = _lemma_stem(canonical)
    return table


def stem(word: str) -> str:
    """A light suffix stripper: enough for "kills / killed / killing" to meet, no more."""
    word = word.lower().replace("’", "'").removesuffix("'s").strip("'-")
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
                                ("e", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: len(word) - len(suffix)] + replacement
            if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "aeioulsz":
                word = word[:-1]  # "stopped", "occurred": the doubled consonant goes too
            return word
    return word


def _lemma_stem(word: str) -> str:
    """The stem of a word's dictionary form ("fled" -> "flee", "children" -> "child")."""
    lowered = word.lower()
    return stem(lemmas().get(lowered, lowered))


@lru_cache(maxsize=200_000)  # called for every word of every sentence; words repeat
def normal_word(word: str) -> str | None:
    """The comparable form of a word, or None for words that carry no claim content."""
    lowered = word.lower().replace("’", "'")
    if lowered in stopwords() or lowered in number_words() or not lowered[0].isalpha() \
            or lowered.endswith("n't"):  # "wasn't": the denial is the unit's `negated`
        return None
    stemmed = _lemma_stem(lowered)
    if stemmed in stopwords() or len(stemmed) < 2:
        return None
    return synonyms().get(stemmed, stemmed)[:TRUNCATE]


def source_keys(articles: list[Article]) -> dict[str, str]:
    """doc id -> independent source: one per outlet, a copy joined with its original."""
    parent = {a.id: a.id for a in articles}

    def root(doc: str) -> str:
        while parent[doc] != doc:
            parent[doc] = parent[parent[doc]]
            doc = parent[doc]
        return doc

    by_outlet: dict[str, str] = {}
    for article in articles:
        original = article.flags.duplicate_of
        if original in parent:
            parent[root(article.id)] = root(original)
        if article.outlet:
            key = article.outlet.casefold()
            if key in by_outlet:
                parent[root(article.id)] = root(by_outlet[key])
            else:
                by_outlet[key] = article.id
    return {doc: root(doc) for doc in parent}


def _line_cuts(text: str, start: int, end: int, wrapped: bool) -> list[tuple[int, int]]:
    """Cut a sentence at paragraph breaks, and after headline-like lines or whole sentences
    the splitter joined to it ("4 p.m.\nPolice ..."; not in hard-wrapped text, where a line
    break means nothing)."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for match in re.finditer(r"[ \t]*\n\s*", text[start:end]):
        line_end = start + match.start()
        line = text[cursor:line_end].strip()
        following = text[start + match.end(): end]
        first = following[:1]
        starts_anew = bool(first) and (first.isupper() or first.isdigit() or first in "\"“'‘")
        paragraph = match.group().count("\n") >= 2
        headline = (not wrapped and line and line[-1] not in ".,;:!?\"”'’)"
                    and len(line.split()) <= HEADLINE_WORDS)
        line_is_sentence = not wrapped and line and line[-1] in ".!?\"”"
        if line and starts_anew and (paragraph or headline or line_is_sentence):
            pieces.append((cursor, line_end))
            cursor = start + match.end()
    pieces.append((cursor, end))
    return pieces


def hard_wrapped(article: Article) -> bool:
    """Text whose lines break inside sentences (a line break followed by a lower-case word)."""
    breaks = re.findall(r"\n(\S)", article.text)
    return len(breaks) >= 5 and sum(c.islower() for c in breaks) / len(breaks) > 0.2


def units_of(article: Article, source: str) -> list[Unit]:
    """The candidate statements of one document."""
    text = article.text
    wrapped = hard_wrapped(article)
    spans = [s for sentence in article.sentences
             for s in _line_cuts(text, sentence.start, sentence.end, wrapped)]
    fragments = [e for e in article.flags.machine_translation_evidence
                 if isinstance(e, dict) and "start" in e]
    spans_in_text = _SpanIndex(article)
    units = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        unit = Unit(article.id, article.outlet, source, start, end, text[start:end], len(units))
        _describe(unit, article, spans_in_text)
        unit.fragment = any(start <= e["start"] < end for e in fragments)
        if sum(1 for w, weight in unit.words.items() if w[0] not in "#@") >= MIN_CONTENT_WORDS:
            units.append(unit)
    return units


class _SpanIndex:
    """An article's entity mentions and timexes by position, to find a sentence's quickly."""

    def __init__(self, article: Article) -> None:
        self.mentions = sorted((s, e, entity) for entity in article.entities
                               for s, e in entity.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self.timexes = sorted(article.timexes, key=lambda t: t.start)
        self.timex_starts = [t.start for t in self.timexes]
        self.quotes = sorted((q for q in article.quotes if q.cue and q.end > q.start
                              and _reporting(q.cue)), key=lambda q: q.start)
        self.quote_starts = [q.start for q in self.quotes]

    def quotes_in(self, start: int, end: int):
        """Reported statements inside the span, given with a reporting verb ("said")."""
        first = bisect_left(self.quote_starts, start)
        return [q for q in self.quotes[first:bisect_left(self.quote_starts, end)]
                if q.end <= end]

    def mentions_in(self, start: int, end: int):
        first = bisect_left(self.mention_starts, start)
        return [m for m in self.mentions[first:bisect_left(self.mention_starts, end)]
                if m[1] <= end]

    def timexes_in(self, start: int, end: int):
        first = bisect_left(self.timex_starts, start)
        return [t for t in self.timexes[first:bisect_left(self.timex_starts, end)]
                if t.end <= end]


def _reporting(cue: str) -> bool:
    """A cue that reports speech ("said", "according to"): a stopword, unlike "listed"."""
    return normal_word(cue.split()[0]) is None


def words_in(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """The word and number tokens of text[start:end] with their offsets; a number word joined
    to what it counts ("two-year-old") is cut in two, so it reads as "2-year-old" does."""
    tokens = []
    for match in WORD.finditer(text, start, len(text) if end is None else end):
        token = match.group()
        head, dash, rest = token.partition("-")
        if dash and rest and head.lower() in number_words() \
                and rest.lower() not in number_words():
            tokens.append((match.start(), match.start() + len(head), head))
            tokens.append((match.end() - len(rest), match.end(), rest))
        else:
            tokens.append((match.start(), match.end(), token))
    return tokens


def _dateline_end(text: str, start: int, end: int) -> int:
    """Where a leading dateline ("LITTLE ROCK, Ark. (KTHV) –") ends: its place and station
    say nothing about the claim."""
    match = DATELINE.match(text, start, end)
    return match.end() if match else start


def _describe(unit: Unit, article: Article, index: _SpanIndex) -> None:
    """Fill the unit's word set, figures, dates and titled names."""
    text = article.text
    names: set[str] = set()
    for start, end, entity in index.mentions_in(unit.start, unit.end):
        names.update(n for _, _, w in words_in(text, start, end) if (n := normal_word(w)))
        if entity.type == "PERSON":
            _note_title(unit, text, start, end, entity.name)
    reported = [(q.start, q.end) for q in index.quotes_in(unit.start, unit.end)]
    for start, _, word in words_in(text, _dateline_end(text, unit.start, unit.end), unit.end):
        lowered = word.lower().replace("’", "'")
        unit.negated = unit.negated or lowered in negations() or lowered.endswith("n't")
        if denied := _denied_participle(lowered):  # "unloaded" states "not loaded"
            unit.negated, word = True, denied
        if normal := normal_word(word):
            weight = NAME_WEIGHT if normal in names else 1.0
            if reported and not any(s <= start < e for s, e in reported):
                weight *= ATTRIBUTION_WEIGHT
            unit.words[normal] = max(weight, unit.words.get(normal, 0.0))
    timex_spans = []
    for timex in index.timexes_in(unit.start, unit.end):
        timex_spans.append((timex.start, timex.end))
        day = DAY.match(timex.value or "") if timex.type in ("DATE", "TIME") else None
        if day:
            unit.dates.add(day.group(1))
            unit.words["@" + day.group(1)[5:]] = DATE_WEIGHT  # the year may be unresolved
        hour = CLOCK.search(timex.value or "") if timex.type == "TIME" else None
        if hour:
            unit.words["@T" + hour.group(1)] = DATE_WEIGHT
        elif not day and timex.value and PERIOD.match(timex.value):
            unit.words["@" + timex.value] = DATE_WEIGHT  # "in 2007", "two hours later"
    unit.figures = figures_in(text, unit.start, unit.end, timex_spans)
    for figure in unit.figures:
        unit.words[f"#{figure.value:g}"] = FIGURE_WEIGHT
    unit.weigh(unit.words)


def _denied_participle(word: str) -> str | None:
    """The participle an "un-" form denies ("unidentified" -> "identified", "unarmed" ->
    "armed"), or None; "underlined" and the undoing verbs of `data/reversatives.txt`
    ("unveiled") are not such forms."""
    if not (word.startswith("un") and word.endswith("ed")) or word.startswith("under") \
            or stem(word) in reversatives():
        return None
    rest = word[2:]
    return rest if len(stem(rest)) >= 3 and normal_word(rest) else None


def _note_title(unit: Unit, text: str, start: int, end: int, name: str) -> None:
    """Remember who holds a title here: "chinese president" -> "jinping"."""
    form = titled_form(text, max(start, unit.start), end)
    title = " ".join(form[: len(form) - len(text[start:end])].lower().split())
    if title and title.split()[-1] in titles():
        unit.titled_names[title] = name.split()[-1].lower()
    unit.persons.add(name.split()[-1].lower())


def titled_form(text: str, start: int, end: int) -> str:
    """The mention widened over the titles and capitalised words before it, on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    words = list(TITLE_WORD.finditer(text, line_start, start))
    first = start
    for match in reversed(words):
        gap = text[match.end():first]
        word = match.group().strip("’'")
        is_title = word.lower() in titles() or (word[:1].isupper() and word.lower() not in
                                                ("the", "a", "an", "in", "on", "at", "by"))
        if not is_title or gap.strip(" ()") or len(gap) > 3 or match.start() < line_start:
            break
        if match.start() == line_start and word.lower() not in titles() and \
                not text[match.end():start].strip().startswith("("):
            first = match.start()
            break
        first = match.start()
    return " ".join(text[first:end].split())


def figures_in(text: str, start: int, end: int,
               skip: list[tuple[int, int]] | None = None) -> list[Figure]:
    """Numbers (digits or number words) in text[start:end], with the word each one counts."""
    found: list[Figure] = []
    tokens = words_in(text, start, end)
    words = number_words()
    index = 0
    while index < len(tokens):
        t_start, t_end, token = tokens[index]
        value = _number_value(token, words)
        if value is None or any(s <= t_start < e for s, e in skip or []) \
                or _in_digit_group(text, t_start, t_end) \
                or (token[0].isalpha() and not _key_after(tokens, index)):
            index += 1
            continue
        figure_start = t_start
        while index + 1 < len(tokens) and tokens[index + 1][2].lower() in words \
                and words[tokens[index + 1][2].lower()] >= 100:
            index += 1
            value *= words[tokens[index][2].lower()]
            t_end = tokens[index][1]
        prefix = text[max(start, figure_start - 1):figure_start]
        key = "$" if prefix in "$€£¥" and prefix else _key_after(tokens, index)
        if key == AGE:  # whose age: "16-year-old boy" and "15-year-old boy" disagree
            key += ":" + _key_after(tokens, index + _age_span(tokens, index))
        if not (1900 <= value <= 2100 and key != "$" and "." not in token):
            found.append(Figure(value, key, figure_start, t_end))
        index += 1
    return found


def _in_digit_group(text: str, start: int, end: int) -> bool:
    """Part of a phone number, a date or a code ("574-6920", "08/02/2013"), not a figure."""
    return bool(re.match(r"[-/:]\d", text[end:end + 2]) or re.search(r"\d[-/:]$", text[:start]))


def _number_value(token: str, words: dict[str, float]) -> float | None:
    lowered = token.lower()
    if lowered in words and words[lowered] < 100:
        return words[lowered]
    if lowered in ("hundred", "dozen"):
        return words[lowered]
    if token[0].isdigit():
        try:
            return float(token.rstrip(".,").replace(",", ""))
        except ValueError:
            return None
    return None


def _age_span(tokens: list[tuple[int, int, str]], index: int) -> int:
    """How many tokens after a number say it is an age ("-year-old", "year old", "years old")."""
    following = [t[2].lower() for t in tokens[index + 1:index + 3]]
    return 2 if following[:1] in (["year"], ["years"]) and following[1:] == ["old"] else 1


def _key_after(tokens: list[tuple[int, int, str]], index: int) -> str:
    """The first content word after a number: what the number counts."""
    following = tokens[index + 1: index + 4]
    for position, (_, _, token) in enumerate(following):
        lowered = token.lower()
        if lowered.startswith("-") or lowered in ("percent", "%"):
            return lowered.strip("-")
        if lowered in ("year", "years") and following[position + 1:position + 2] \
                and following[position + 1][2].lower() == "old":
            return normal_word("year-old") or ""  # "12-year old", "12 years old": an age
        if normal := normal_word(token):
            return normal
    return ""


def similarity(a: Unit, b: Unit, *, values: bool = True) -> float:
    """Mean of the cosine and the overlap coefficient of the two weighted word sets (figures
    and dates left out unless `values`): the overlap term lets a headline meet the longer
    sentence that says the same, the cosine term keeps long sentences from meeting everything."""
    wa, wb = (a.words, b.words) if values else (a.plain_words, b.plain_words)
    if len(wa) > len(wb):
        wa, wb = wb, wa
    shared = sum(min(x, wb[w]) for w, x in wa.items() if w in wb)
    if not shared:
        return 0.0
    total_a, total_b = a.total(values), b.total(values)
    return (shared / math.sqrt(total_a * total_b) + shared / min(total_a, total_b)) / 2


def alignment_score(a: Unit, b: Unit) -> float:
    """Similarity, lowered when one sentence denies what the other does not ("has not been
    identified" / "was identified as"): the same words then state different claims."""
    score = similarity(a, b)
    return score * POLARITY_MISMATCH if a.negated != b.negated else score


def value_conflict(a: Unit, b: Unit) -> str | None:
    """Why two units about the same fact disagree on its value, or None when they do not."""
    for figure in a.figures:
        same_key = [f for f in b.figures if f.key and f.key == figure.key]
        if same_key and all(f.value != figure.value for f in same_key) and not any(
                f.value == figure.value for f in a.figures if f is not figure) and not any(
                g.value == figure.value for g in b.figures):
            other = same_key[0]
            return f"figure: {figure.value:g} vs {other.value:g} ({figure.key})"
    if a.dates and b.dates and not any(same_day(x, y) for x in a.dates for y in b.dates):
        return f"date: {min(a.dates)} vs {min(b.dates)}"
    for title, name in a.titled_names.items():
        other_name = b.titled_names.get(title)
        if other_name and other_name not in a.persons and name not in b.persons:
            return f"name: {title} {name} vs {other_name}"
    return None


def disagree(a: Unit, b: Unit) -> bool:
    """About the same fact (close once values are set aside) but with a different value; two
    ages of the same kind of person among people both name alike ("a 17-year-old girl and a
    16-year-old boy" / "a 17-year-old girl and a 15-year-old boy") need less."""
    reason = value_conflict(a, b) or value_conflict(b, a)
    if reason is None:
        return False
    if reason.startswith("date:") and _tells_when(a) and _tells_when(b):
        return True
    agreed = {(f.key, f.value) for f in a.figures} & {(f.key, f.value) for f in b.figures}
    gate = AGE_CONFLICT if f"({AGE}:" in reason and agreed else CONFLICT
    return similarity(a, b, values=False) >= gate


def _tells_when(unit: Unit) -> bool:
    """A sentence that says when the event happened ("The shooting happened Friday, June 3")."""
    return normal_word(HAPPENED) in unit.words


def same_day(first: str, second: str) -> bool:
    """Two TIMEX3 day values that may be the same day (an unresolved XXXX year fits any)."""
    return all(x == y or "X" in (x, y) for x, y in zip(first, second, strict=True))


def extract_claims(articles: list[Article]) -> list[Claim]:
    """Aligned, sourced and checked claims of the documents of one event."""
    return claims_of_units(event_units(articles, source_keys(articles)))


def event_units(articles: list[Article], sources: dict[str, str]) -> list[Unit]:
    """The candidate statements of an event's documents, weighed against each other."""
    units = [u for a in articles for u in units_of(a, sources[a.id])]
    weigh_by_rarity(units)
    return units


def claims_of_units(units: list[Unit]) -> list[Claim]:
    """Align an event's weighed statements into claims, with their status and conflicts."""
    clusters = _align(units)
    claims, claim_of = _claims(clusters)
    _mark_conflicts(units, claims, claim_of)
    return claims


def weigh_by_rarity(units: list[Unit]) -> None:
    """Words most sentences of the event share (its main names) say little about which claim
    a sentence states: scale each weight by log(1 + units / units with the word)."""
    counts: Counter[str] = Counter(w for u in units for w in u.words)
    for unit in units:
        unit.weigh({w: x * math.log(1 + len(units) / counts[w]) for w, x in unit.words.items()})


def candidate_pairs(units: list[Unit], threshold: float,
                    values: bool = True) -> list[tuple[int, int]]:
    """The pairs (i < j, units of different documents) whose similarity may reach `threshold`;
    every other pair is below it, so it need not be compared.

    An inverted index from each word, figure and date to the units that hold it, probed with
    each unit's rarest keys only (prefix filtering): similarity is at most the weighted overlap
    over the smaller unit, so a pair that reaches the threshold shares a key among the rarest
    ones of that unit that together carry more than 1 - threshold of its weight. Words most of
    the event's sentences share ("police", the victim's name) are looked up only from the
    sentences made of little else.
    """
    weights = [u.words if values else u.plain_words for u in units]
    holders: dict[str, list[int]] = defaultdict(list)
    for i, words in enumerate(weights):
        for key in words:
            holders[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for i, words in enumerate(weights):
        doc = units[i].doc
        remaining = sum(words.values())
        stop = threshold * remaining * (1 - 1e-9)
        for key in sorted(words, key=lambda k: (len(holders[k]), k)):
            if remaining < stop:
                break
            remaining -= words[key]
            pairs.update((i, j) if i < j else (j, i) for j in holders[key]
                         if units[j].doc != doc)
    return sorted(pairs)


def _align(units: list[Unit]) -> list[list[Unit]]:
    """Merge units of different documents, most likely pairs first (see the module docstring)."""
    candidates = candidate_pairs(units, CANDIDATE)
    similar = _pair_model(units, candidates)
    scored = [(similar(units[i], units[j]), units[i], units[j]) for i, j in candidates]
    best: dict[tuple[int, str], float] = defaultdict(float)
    neighbours: dict[int, list[Unit]] = defaultdict(list)
    for score, a, b in scored:
        best[id(a), b.doc] = max(best[id(a), b.doc], score)
        best[id(b), a.doc] = max(best[id(b), a.doc], score)
        if score >= AVERAGE_LINK:
            neighbours[id(a)].append(b)
            neighbours[id(b)].append(a)
    pairs = [(score, a, b) for score, a, b in scored
             if score >= ALIGN or (score >= BEST_MATCH and score == best[id(a), b.doc]
                                   and score == best[id(b), a.doc])]
    cluster_of: dict[int, list[Unit]] = {id(u): [u] for u in units}
    for _, a, b in sorted(pairs, key=lambda p: -p[0]):
        first, second = cluster_of[id(a)], cluster_of[id(b)]
        if first is second or disagree(a, b):
            continue
        if not _may_merge(first, second, similar):
            continue
        first.extend(second)
        for unit in second:
            cluster_of[id(unit)] = first
    unique = list({id(c): c for c in cluster_of.values()}.values())
    _join_second_claims(units, neighbours, cluster_of, similar)
    return sorted((sorted(c, key=lambda u: (u.doc, u.start)) for c in unique),
                  key=lambda c: (c[0].doc, c[0].start))


PAIR_FEATURES = ("similarity", "shared_words", "leads", "length_ratio", "worse_rank",
                 "better_rank")


def pair_features(a: Unit, b: Unit, score: float, best_a: float, best_b: float) -> list[float]:
    """What the pair model reads of two units of different documents: their similarity, how
    many content words they share, whether both open their documents, how alike their lengths
    are, and how close the pair comes to each one's best match in the other's document."""
    fewer, more = sorted((a.plain_words, b.plain_words), key=len)
    shared = sum(1 for w in fewer if w in more)
    ranks = sorted((score / best_a if best_a else 0.0, score / best_b if best_b else 0.0))
    sizes = sorted((len(a.words), len(b.words)))
    return [score, math.log1p(shared), float(max(a.position, b.position) <= 1),
            sizes[0] / sizes[1] if sizes[1] else 0.0, ranks[0], ranks[1]]


@cache
def pair_weights() -> tuple[float, tuple[float, ...]]:
    """The pair model's bias and feature weights (`data/pair_model.tsv`)."""
    table = {name: float(weight) for name, weight in
             (line.split("\t") for line in _read_lines("pair_model.tsv"))}
    return table["bias"], tuple(table[name] for name in PAIR_FEATURES)


def pair_probability(features: list[float]) -> float:
    """A logistic model over `pair_features`: how likely the pair states one claim."""
    bias, weights = pair_weights()
    return 1 / (1 + math.exp(-bias - sum(map(operator.mul, weights, features))))


def _pair_model(units: list[Unit],
                candidates: list[tuple[int, int]]) -> Callable[[Unit, Unit], float]:
    """How likely two units of different documents state the same claim (`pair_probability`
    over their similarity and each one's best match among the candidates), or the plain
    similarity of two units of one document; cached, since merging asks for pairs many times."""
    raw: dict[tuple[int, int], float] = {}

    def similar(a: Unit, b: Unit) -> float:
        key = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        if key not in raw:
            raw[key] = alignment_score(a, b)
        return raw[key]

    best: dict[tuple[int, str], float] = defaultdict(float)
    for i, j in candidates:
        a, b = units[i], units[j]
        best[id(a), b.doc] = max(best[id(a), b.doc], similar(a, b))
        best[id(b), a.doc] = max(best[id(b), a.doc], similar(a, b))
    probability: dict[tuple[int, int], float] = {}

    def likely(a: Unit, b: Unit) -> float:
        if a.doc == b.doc:
            return similar(a, b)
        key = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        if key not in probability:
            score = similar(a, b)
            probability[key] = pair_probability(pair_features(
                a, b, score, best[id(a), b.doc], best[id(b), a.doc])) if score else 0.0
        return probability[key]

    return likely


def _may_merge(first: list[Unit], second: list[Unit],
               similar: Callable[[Unit, Unit], float], link: float = AVERAGE_LINK) -> bool:
    """Close on average across documents (`link`), and no unlike sentences of one document
    together."""
    links = [similar(x, y) for x in first for y in second if x.doc != y.doc]
    if not links or sum(links) / len(links) < link or min(links) < WEAKEST_LINK:
        return False
    return all(similar(x, y) >= SAME_DOCUMENT for x in first for y in second if x.doc == y.doc)


def _join_second_claims(units: list[Unit], neighbours: dict[int, list[Unit]],
                        cluster_of: dict[int, list[Unit]],
                        similar: Callable[[Unit, Unit], float]) -> None:
    """A sentence stating two claims also supports the other one it is close to: a claim of
    several sentences it is AVERAGE_LINK close to on average, or a sentence in no claim yet
    that it is ALIGN close to ("Johnson, 66, was killed Wednesday" meets both "a 66-year-old
    woman was killed" and "the crash happened Wednesday"); SHARED_LINK close when the claim
    already holds a sentence of its document (a report's headline and lead both state it).
    Only the claims of its `neighbours` (units at least AVERAGE_LINK close) can qualify."""
    additions: list[tuple[list[Unit], Unit]] = []
    for unit in units:
        near = {id(cluster_of[id(v)]): cluster_of[id(v)] for v in neighbours[id(unit)]}
        for cluster in near.values():
            if cluster is cluster_of[id(unit)]:
                continue
            shares = any(u.doc == unit.doc for u in cluster)  # a headline and its lead
            link = SHARED_LINK if shares else AVERAGE_LINK
            close = (similar(unit, cluster[0]) >= ALIGN if len(cluster) == 1
                     else _may_merge(cluster, [unit], similar, link))
            if close and not any(disagree(unit, u) for u in cluster):
                additions.append((cluster, unit))
    for cluster, unit in additions:
        cluster.append(unit)


def _claims(clusters: list[list[Unit]]) -> tuple[list[Claim], dict[int, Claim]]:
    claims: list[Claim] = []
    claim_of: dict[int, Claim] = {}
    seen: set[str] = set()
    for cluster in clusters:
        # Named by all its sentences: one sentence can support, and represent, several claims.
        members = ";".join(sorted(f"{u.doc}:{u.start}" for u in cluster))
        if members in seen:
            continue  # two clusters that took each other's sentences: one claim
        seen.add(members)
        head = _representative(cluster)
        sources = {u.source for u in cluster}
        claim = Claim(
            id="cl-" + hashlib.sha1(members.encode()).hexdigest()[:10],
            text=head.text,
            status="corroborated" if len(sources) >= 2 else "single_source",
            support=[ClaimSupport(u.doc, u.start, u.end, u.outlet) for u in cluster],
        )
        claims.append(claim)
        for unit in cluster:
            claim_of.setdefault(id(unit), claim)  # a sentence's first claim is its own
    return claims, claim_of


def _representative(cluster: list[Unit]) -> Unit:
    """The unit that reads best as the claim: early in its document, of a readable length."""
    return min(cluster, key=lambda u: (u.position, abs(len(u.text.split()) - 25)))


def _mark_conflicts(units: list[Unit], claims: list[Claim], claim_of: dict[int, Claim]) -> None:
    """Claims of two sources that give one fact different values point at each other; only
    pairs close enough once values are set aside (CONFLICT) can disagree."""
    by_claim: dict[str, set[str]] = defaultdict(set)
    pairs = set(candidate_pairs(units, min(CONFLICT, AGE_CONFLICT), values=False))
    timed = [i for i, unit in enumerate(units) if unit.dates and _tells_when(unit)]
    pairs.update((i, j) for n, i in enumerate(timed) for j in timed[n + 1:])  # a handful
    for i, j in sorted(pairs):
        a, b = units[i], units[j]
        if a.source == b.source or claim_of[id(a)] is claim_of[id(b)]:
            continue
        if disagree(a, b):
            first, second = claim_of[id(a)], claim_of[id(b)]
            by_claim[first.id].add(second.id)
            by_claim[second.id].add(first.id)
    for claim in claims:
        if claim.id in by_claim:
            claim.status = "conflicting"
            claim.conflicts_with = sorted(by_claim[claim.id])
