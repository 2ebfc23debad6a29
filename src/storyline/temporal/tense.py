"""The tense of the clause a temporal expression sits in, which tells "on Friday" apart.

"said on Wednesday" is the past Wednesday, "will meet on Friday" the coming Friday. With the
spaCy parse of the text (tagger and dependency parser), the tense comes from the verb the
timex hangs on and its auxiliaries; without it, from the nearest cue word in the same clause
("will", "scheduled to", "said", a past participle in -ed). The parse also tells what the timex
is attached to: a past verb ("was killed Nov. 2") or a noun ("an April 7 shooting").
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Literal

from storyline.temporal.lexicon import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Tense = Literal["past", "future", "present"] | None

FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
# Modals say little about time in news ("could be located Wednesday" is past): no tense.
MODAL_AUX = frozenset({"would", "could", "might", "may", "should", "must", "can", "ca"})
PAST_AUX = frozenset({"was", "were", "had", "did", "'d"})
PRESENT_AUX = frozenset({"is", "are", "am", "'s", "'re"})
PERFECT_AUX = frozenset({"has", "have", "'ve"})
# Prepositions of a point in time, which leave a date the adjunct of the verb ("killed on May 7").
POINT_PREPOSITIONS = frozenset({"on", "in", "at", "around", "about", "near"})
# Words before a participle in -ed that make it no past tense ("will be signed", "the united").
NOT_PAST_BEFORE = frozenset({"be", "been", "being", "is", "are", "will", "to", "the", "a"})
_WORD = re.compile(r"[A-Za-z’']+")
_CLAUSE_BREAK = re.compile(r"[.;:!?\n]\s|[\"“”]")
_HYPHENATED = re.compile(r"[\w’']+(?:-[\w’']+)*")


def tense_at(text: str, start: int, end: int, doc: Doc | None = None) -> Tense:
    """The tense of the clause a timex sits in: from the parse if given, else from nearby words."""
    if doc is not None:
        parsed = tense_from_parse(doc, start, end)
        if parsed in ("past", "future"):
            return parsed
    return _tense_from_words(text, start, end)


def tense_from_parse(doc: Doc, start: int, end: int) -> Tense:
    """The tense of the verb the parse hangs a timex on, or None when the parse gives none."""
    verb = governing_verb(doc, start, end)
    if verb is None:
        return None
    if verb.tag_ == "VBD" and verb.lower_ in _future_words() and end <= verb.idx:
        return "past"  # "On Friday, the government planned to pay": Friday is when it planned
    return _verb_tense(verb)


def is_scheduled_present(doc: Doc | None, start: int, end: int) -> bool:
    """Whether the timex hangs on a simple present of a verb of arrangement: news writes what is
    scheduled in the present ("Arafat meet separately Monday", "faces a judge Monday"), but also
    what already happened, in headlines and photo captions ("Man opens fire Saturday night",
    "Officials respond to a home Tuesday"), so any other verb is no schedule."""
    if doc is None:
        return False
    verb = governing_verb(doc, start, end)
    if verb is None or verb.tag_ not in ("VBZ", "VBP") or verb.pos_ != "VERB":
        return False
    if any(child.dep_ in ("aux", "auxpass", "neg") for child in verb.children):
        return False
    return verb.lower_ in _arrangement_verbs()


def hangs_on_past_verb(doc: Doc, start: int, end: int) -> bool:
    """Whether the parse makes the timex an adjunct of a verb in the past ("was killed Nov. 2",
    "was arrested on May 7", "occurred about 4:30 p.m. June 8"), rather than of an adjective or
    noun in its clause ("declared a dividend, payable Dec. 7", "gave no reason for the Jan. 14
    deadline") or the end of a span ("extended to Nov. 20"), which may lie ahead."""
    attachment = _attachment(doc, start, end)
    if attachment is None:
        return False
    token, head = attachment
    if token.dep_ not in ("npadvmod", "prep", "tmod") or head.pos_ not in ("VERB", "AUX"):
        return False
    return _simple_past(head)


def noun_dated(doc: Doc, start: int, end: int) -> str | None:
    """The noun the parse makes the timex modify, lower-cased ("his arrest June 29", "the
    shooting on May 10", "an April 7 shooting"), or None."""
    attachment = _attachment(doc, start, end)
    if attachment is None:
        return None
    token, head = attachment
    if token.dep_ in ("npadvmod", "compound", "nmod", "amod", "prep") and head.pos_ == "NOUN":
        return _HYPHENATED.match(doc.text, head.idx).group().lower()  # "drive-by", one noun
    return None


def _attachment(doc: Doc, start: int, end: int) -> tuple[Token, Token] | None:
    """(the token that attaches the timex, what it attaches to), past a point preposition ("on
    May 7") and a part of the day it dates ("the night of May 10")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token, head = span.root, span.root.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in lexicon().parts_of_day:
        token = head.head
        head = token.head
    if token.dep_ == "pobj" and head.lower_ in POINT_PREPOSITIONS:
        token, head = head, head.head
    return token, head


def in_simple_past(doc: Doc, start: int, end: int) -> bool:
    """Whether the verb the timex hangs on is a simple or past perfect past ("did not report the
    attack until Wednesday"), not a present perfect ("has given them until Tuesday"), an
    infinitive whose tense is borrowed ("had been set to expire Nov. 6") or a verb that sets a
    date ("postponed until Saturday")."""
    verb = governing_verb(doc, start, end)
    return verb is not None and _simple_past(verb)


def _simple_past(verb: Token) -> bool:
    """A past verb group that is no present perfect, no borrowed infinitive, and does not set a
    date, which may lie ahead ("set a hearing for Sept. 25", "postponed until Saturday")."""
    if verb.lower_ in lexicon().cues("setting"):
        return False
    if (
        verb.dep_ == "conj"
        and verb.tag_ in ("VBN", "VBD")
        and not _auxiliaries(verb)
        and verb.head.pos_ in ("VERB", "AUX")
    ):
        verb = verb.head  # "were shot and killed ... on August 8th"
    if _auxiliaries(verb) & (PERFECT_AUX | {"to"}) or verb.dep_ == "xcomp":
        return False
    return _verb_tense(verb) == "past"


def governing_verb(doc: Doc, start: int, end: int) -> Token | None:
    """The verb the parse hangs a timex on (up to six heads up), or None."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") and token.i not in range(span.start, span.end):
            break
        if token.head is token:
            break
        token = token.head
    return token if token.pos_ in ("VERB", "AUX") else None


def event_verb(doc: Doc, start: int, end: int) -> str | None:
    """The verb a timex dates, as a key to match the same happening told again ("was shot to death
    last Oct. 23" ... "was shot to death at 10 p.m."); None for a copula or an auxiliary."""
    verb = governing_verb(doc, start, end)
    if verb is None or verb.pos_ != "VERB":
        return None
    return verb.lemma_.lower() or verb.lower_


@cache
def _arrangement_verbs() -> frozenset[str]:
    """Verbs whose present or progressive schedules what it dates (context_cues.tsv)."""
    return lexicon().cues("arrangement")


def _auxiliaries(verb: Token) -> set[str]:
    return {a.lower_ for a in verb.children if a.dep_ in ("aux", "auxpass")}


def _verb_tense(verb: Token, depth: int = 0) -> Tense:
    """Tense of a verb group: auxiliaries first (will -> future, was -> past), then the verb's tag.

    A verb that looks ahead ("planned a rally Saturday", "scheduled to meet Friday") makes a
    future unless a past perfect puts it behind ("had been due to expire Friday"). Otherwise an
    infinitive takes the tense of the verb it depends on, except a past one: "decided to admit
    them in March" says nothing about when March is.
    """
    words = _auxiliaries(verb)
    if words & FUTURE_AUX:
        return "future"
    if verb.lower_ in _future_words() and "had" not in words and (words or verb.tag_ != "VBN"):
        return "future"  # "planned a rally on Saturday", "has scheduled a news conference Thursday"
    if words & MODAL_AUX:
        return None
    if "to" in words or (verb.dep_ == "xcomp" and verb.tag_ == "VB"):
        governor = verb.head
        if governor is verb or depth > 2:
            return None
        if governor.lower_ in _looking_ahead():
            # "had been scheduled to expire Friday", "had been due to expire": past
            return "past" if _had_before(governor) else "future"
        governing = _verb_tense(governor, depth + 1)
        return None if governing == "past" else governing  # "decided to admit them in March"
    if "going" in words:
        return "future"
    if verb.tag_ == "VBG" and words & PRESENT_AUX:
        # "are meeting Friday" is arranged; "are investigating the shooting Wednesday" ongoing
        return "future" if verb.lower_ in _arrangement_verbs() else "present"
    if words & PAST_AUX or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and words & PERFECT_AUX:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBN" and words & {"is", "are"}):
        return "present"
    return None


def _tense_from_words(text: str, start: int, end: int) -> Tense:
    """The nearest tense cue in the same clause, looking up to 8 words back and 5 ahead."""
    left = _clause_tail(text[max(0, start - 90) : start])
    right = _clause_head(text[end : end + 60])
    before = _WORD.findall(left)[-8:]
    after = _WORD.findall(right)[:5]
    recent = " ".join(before[-6:]).lower() + " "
    if _future_phrase().search(recent) and " had " not in f" {recent}":
        return "future"  # "scheduled to resume Monday", but not "had been due to expire Friday"
    candidates: list[tuple[int, str]] = []
    for distance, word in enumerate(reversed(before)):
        cue = _word_tense(word, before[-distance - 2] if distance + 2 <= len(before) else "")
        if cue:
            candidates.append((distance * 2, cue))
    for distance, word in enumerate(after):
        cue = _word_tense(word, "")
        if cue:
            candidates.append((distance * 2 + 1, cue))
    if not candidates:
        return None
    return min(candidates)[1]


def _had_before(token: Token) -> bool:
    """Whether a past perfect "had" stands just before the token in its sentence."""
    start = max(token.sent.start, token.i - 4)
    return any(t.lower_ in ("had", "'d") for t in token.doc[start : token.i])


@cache
def _looking_ahead() -> frozenset[str]:
    """Verbs whose infinitive points ahead: "scheduled (to meet)", "plans (to visit)"."""
    cues = lexicon().tense_cues
    phrases = [w.split()[0] for w, cue in cues.items() if cue == "future" and w.endswith(" to")]
    verbs = frozenset(phrases) | {w for w, cue in cues.items() if cue == "future" and " " not in w}
    return verbs - PAST_AUX - PRESENT_AUX  # "was to" is a cue in words, not a governing verb


@cache
def _future_words() -> frozenset[str]:
    """Single words that point ahead whatever their own tense: "planned", "scheduled", "due"."""
    cues = lexicon().tense_cues
    return frozenset(w for w, cue in cues.items() if cue == "future" and " " not in w)


@cache
def _future_phrase() -> re.Pattern[str]:
    """Multi-word future cues ("scheduled to", "as soon as") from the tense cue list."""
    phrases = [w for w, cue in lexicon().tense_cues.items() if " " in w and cue == "future"]
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b")


def _clause_tail(text: str) -> str:
    parts = _CLAUSE_BREAK.split(text)
    return parts[-1] if parts else text


def _clause_head(text: str) -> str:
    parts = _CLAUSE_BREAK.split(text)
    return parts[0] if parts else text


def _word_tense(word: str, previous: str) -> str | None:
    lex = lexicon()
    lower = word.lower().replace("’", "'")
    cue = lex.tense_cues.get(lower)
    if cue:
        return cue
    if (
        len(lower) > 4
        and lower.endswith("ed")
        and lower not in lex.not_past_participles
        and previous.lower() not in NOT_PAST_BEFORE
        and word[0].islower()
    ):
        return "past"
    return None
