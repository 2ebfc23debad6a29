"""Reported speech from the dependency parse: a cue verb, its source and the content it reports.

A cue is a verb or noun form listed in `data/cues.tsv`. Its content is the dependent the
parse hangs on it that the table names ("X said (that) ...", "X urged Y to ...", "X called
for ...", "X called Y a liar", "his claim that ..."), or, when the cue is set off after or
inside the clause it attributes ("..., X said.", "The test, X said, was ..."), that clause.
A verb's content follows PolNeAR's spans: it takes in the object before a prepositional content
("accused X of Y") and the cue's dependents that run on after it ("endorsed X for governor"),
but not the scene ("at a rally"), nor a trailing ", which ..." aside of the writer's.
"according to X" reports the rest of its sentence. Content stays within the cue's paragraph.
The source is the cue's subject, found by climbing out of participles and co-ordinations
("..., adding that ...", "X was quoted as saying ..."), a noun's possessor, or X of "according
to X". Cues with a source but no content ("In April, X said.") are kept too: they attribute a
neighbouring quotation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storyline.quotes.lexicon import cue_forms, noun_cue_forms, raising_forms

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECTS = {"nsubj", "nsubjpass"}
# Dependencies through which a cue inherits the subject of the verb it hangs on.
CLIMB = {"advcl", "xcomp", "conj", "pcomp", "acl"}
# Dependents of the source's head that still belong to the source as written.
SOURCE_PARTS = {"compound", "flat", "prep", "pobj", "nmod", "amod", "poss", "case", "nummod"}
CONTENT_AFTER_CUE = {"parataxis", "ccomp"}
# Dependents of a cue that, after its content and with no punctuation between, still belong to it.
CONTENT_CONTINUES = {"prep", "advcl", "conj", "ccomp"}
BREAKS = {",", ";", ":"}
# Prepositions that set the scene of what was said ("praised X at a rally on Monday"), not its
# content.
SETTING_PREPOSITIONS = {
    "at", "on", "in", "during", "throughout", "after", "before", "since", "amid"}
PREPOSITION_OBJECTS = {"pobj", "pcomp"}
NOMINAL = {"NOUN", "PROPN", "PRON"}
FINITE = {"VBD", "VBZ", "VBP"}
LABEL_WORDS = 4  # at most this many words before the colon of a speaker label
MARKS = "\"“”„«»‘’'`"
EDGE_PUNCT = ".,;:!?-–— \n\t"


@dataclass
class Attribution:
    """A cue token with its source (head token and span as written) and its content span.

    `content` is None for a cue that reports nothing in its own clause.
    """

    cue: Token
    cue_text: str
    source: tuple[int, int] | None
    source_head: Token | None
    content: tuple[int, int] | None
    confidence: float = 1.0

    @property
    def content_length(self) -> int:
        return self.content[1] - self.content[0] if self.content else 0


def find_attributions(doc: Doc, text: str) -> list[Attribution]:
    """Every cue of the document with what the parse says about its source and content."""
    forms, nouns = cue_forms(), noun_cue_forms()
    found: list[Attribution] = []
    for token in doc:
        lower = token.lower_
        if lower == "according":
            attribution = _according_to(token, text)
        elif lower in forms and token.tag_.startswith("VB"):
            attribution = _verb_attribution(token, forms[lower].complements, text)
        elif lower in nouns and token.pos_ == "NOUN":
            attribution = _noun_attribution(token, nouns[lower].complements, text)
        else:
            continue
        if attribution is not None:
            attribution.content = _within_paragraph(attribution.content, token.idx, text)
            found.append(attribution)
    found.extend(_speaker_labels(doc, text))
    return sorted(found, key=lambda a: a.cue.i)


def _speaker_labels(doc: Doc, text: str) -> list[Attribution]:
    """ "BENENSON: Senator Sanders doesn't ...", "Graham: Trump's rhetoric ...": a paragraph
    opened by a name and a colon reports the rest of the paragraph."""
    found = []
    for sentence in doc.sents:
        before = sentence.start_char - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before >= 0 and text[before] != "\n":
            continue
        label = sentence[:LABEL_WORDS + 1]
        colon = next((t for t in label if t.text == ":"), None)
        if colon is None or colon.i == sentence.start:
            continue
        words = doc[sentence.start : colon.i]
        names = [t for t in words if t.pos_ in {"PROPN", "NOUN"}]
        if not names or any(t.pos_ in {"VERB", "AUX"} for t in words):
            continue
        after = text.find("\n\n", colon.idx)
        content = _span_of(colon.i + 1, len(doc) - 1, doc, text) if colon.i + 1 < len(doc) else None
        if content is not None and after >= 0:
            content = (content[0], min(content[1], after))
        if content is not None and content[0] < content[1]:
            found.append(Attribution(colon, ":", (words.start_char, words.end_char), names[-1],
                                     content))
    return found


def _within_paragraph(
    content: tuple[int, int] | None, position: int, text: str
) -> tuple[int, int] | None:
    """Reported content stays in its cue's paragraph, even when a sentence runs over a break."""
    if content is None:
        return None
    before = text.rfind("\n\n", 0, position)
    start = max(content[0], before + 2 if before >= 0 else 0)
    after = text.find("\n\n", position)
    end = min(content[1], after if after >= 0 else len(text))
    return (start, end) if start < end else None


def _verb_attribution(
    cue: Token, complements: tuple[str, ...], text: str
) -> Attribution | None:
    content = None
    holder = _content_holder(cue, complements, text)
    raised = _raised_subject(cue, holder)
    if raised is not None:
        content = _span_of(raised.left_edge.i, holder.right_edge.i, cue.doc, text)
    elif holder is not None and holder.dep_ == "oprd":
        content = _labelling(cue, holder, text)
    elif holder is not None:
        content = _span_of(*_governed(cue, holder), cue.doc, text)
    if content is None and cue.dep_ in CONTENT_AFTER_CUE and _set_off(cue) and _has_subject(cue):
        content = _clause_without(cue.head, cue, text)
    head = _agent(cue) if raised is not None else _source_head(cue)
    if content is None and head is None:
        return None
    return Attribution(cue, cue.text, _source_span(head) if head is not None else None, head,
                       content)


def _governed(cue: Token, holder: Token) -> tuple[int, int]:
    """First and last token of what the cue reports from `holder` on. "accused X of Y" and
    "described X as Y" report the object too; the cue's dependents that follow the holder
    without a break ("said A but that B", "endorsed X for president") belong to it as well."""
    first, last = holder.left_edge.i, holder.right_edge.i
    if holder.dep_ in PREPOSITION_OBJECTS:
        obj = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < holder.i), None)
        if obj is not None:
            first = obj.left_edge.i
    top = holder if holder.head.i == cue.i else holder.head
    for child in cue.rights:
        if child.i <= top.i:
            continue
        if child.dep_ not in CONTENT_CONTINUES or child.lower_ in SETTING_PREPOSITIONS:
            break
        if any(t.text in BREAKS for t in cue.doc[last + 1 : child.left_edge.i]):
            break
        last = max(last, child.right_edge.i)
    return first, _without_relative_aside(cue.doc, first, last)


def _without_relative_aside(doc: Doc, first: int, last: int) -> int:
    """The last token of a content without a trailing ", who/which ..." clause: the writer's
    aside on a name in the content, not part of what was reported."""
    for token in doc[first + 1 : last + 1]:
        opening = token.left_edge.i
        if (token.dep_ == "relcl" and opening > first + 1 and doc[opening - 1].text == ","
                and token.right_edge.i >= last - 1 and token.head.i < opening):
            return opening - 2
    return last


def _raised_subject(cue: Token, holder: Token | None) -> Token | None:
    """The subject of "X is expected to ...", "X seems to ...": part of the content, not its
    source, since the cue is passive or a raising verb."""
    if holder is None or holder.dep_ != "xcomp" or cue.i > holder.i:
        return None
    subject = next((c for c in cue.children if c.dep_ in SUBJECTS), None)
    if subject is None or subject.i > cue.i:
        return None
    if subject.dep_ == "nsubjpass" or cue.lower_ in raising_forms():
        return subject
    return None


def _agent(cue: Token) -> Token | None:
    agent = next((c for c in cue.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None


def _content_holder(cue: Token, complements: tuple[str, ...], text: str) -> Token | None:
    """The first dependent, in the cue's order of preference, that holds its content; one the
    parse hung on it across a paragraph break (the quotation before it) does not."""
    children = []
    for child in cue.children:
        first, last = min(child.left_edge.idx, cue.idx), max(child.idx, cue.idx)
        if text.find("\n\n", first, last) < 0:
            children.append(child)
    for complement in complements:
        dep, _, word = complement.partition(":")
        for child in children:
            if child.dep_ != dep or (word and child.lower_ != word):
                continue
            if not word:
                return child
            found = next((c for c in child.children if c.dep_ in PREPOSITION_OBJECTS), None)
            if found is not None:
                return found
    return None


def _noun_attribution(cue: Token, complements: tuple[str, ...], text: str) -> Attribution | None:
    """ "his claim that ...": the content the noun governs, its possessor as the source."""
    holder = _content_holder(cue, complements, text)
    if holder is None:
        return None
    content = _span_of(holder.left_edge.i, holder.right_edge.i, cue.doc, text)
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    source = (owner.idx, owner.idx + len(owner.text)) if owner is not None else None
    return Attribution(cue, cue.text, source, owner, content)


def _labelling(cue: Token, label: Token, text: str) -> tuple[int, int] | None:
    """ "X called Y a liar": what was labelled and the label, as one content."""
    labelled = next((c for c in cue.children if c.dep_ == "dobj" and c.i < label.i), None)
    first = (labelled or label).left_edge.i
    return _span_of(first, label.right_edge.i, cue.doc, text)


def _according_to(according: Token, text: str) -> Attribution | None:
    """ "according to X, S": X is the source and S, without this phrase, the content."""
    to = next((c for c in according.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
    if source is None:
        return None
    content = _clause_without(according.sent.root, according, text, aside_keeps_hull=False)
    if content is None:
        return None
    return Attribution(according, "according to", _source_span(source), source, content)


def _clause_without(
    clause: Token, part: Token, text: str, *, aside_keeps_hull: bool = True
) -> tuple[int, int] | None:
    """The span of `clause`'s subtree with `part`'s subtree cut off the end it stands at. A part
    inside the clause ("The test, North Korea said, was ...") leaves the whole clause as hull,
    unless `aside_keeps_hull` is off: then the longer side is the content."""
    doc = clause.doc
    first, last = clause.left_edge.i, clause.right_edge.i
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    cut_first, cut_last = part.left_edge.i, part.right_edge.i
    if not aside_keeps_hull and first < cut_first and cut_last < last:
        if last - cut_last > cut_first - first:
            first = cut_last + 1
        else:
            last = cut_first - 1
    elif cut_last >= last:
        last = cut_first - 1
    elif cut_first <= first:
        first = cut_last + 1
    return _span_of(first, last, doc, text) if first <= last else None


def _span_of(first: int, last: int, doc: Doc, text: str) -> tuple[int, int] | None:
    """Character span of tokens first..last, without edge punctuation and quotation marks."""
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    while start < end and (text[start] in EDGE_PUNCT or text[start] in MARKS):
        start += 1
    while end > start and (text[end - 1] in EDGE_PUNCT or text[end - 1] in MARKS):
        end -= 1
    return (start, end) if end > start else None


def _set_off(cue: Token) -> bool:
    """The cue's clause is set off by punctuation (", he said"), not a clause of its own."""
    first = cue.left_edge.i
    return cue.doc[first].is_punct or (first > 0 and cue.doc[first - 1].is_punct)


def _has_subject(token: Token) -> bool:
    return any(child.dep_ in SUBJECTS for child in token.children)


def _source_head(cue: Token) -> Token | None:
    """The cue's subject, or the subject of the verb a participle or conjunct hangs on."""
    token = cue
    for _ in range(4):
        subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
        if subject is not None:
            return subject
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if token.dep_ == "acl" and token.head.pos_ in NOMINAL:
            return token.head  # "analysts saying ..."
        if token.dep_ not in CLIMB or token.head.i == token.i:
            break
        token = token.head
    return _subject_left_of(cue) if cue.tag_ in FINITE else None


def _subject_left_of(cue: Token) -> Token | None:
    """A finite cue the parse left without subject: the noun just before it, past one aside
    ("..., Putin, for his part, told Xi ...")."""
    doc, i = cue.doc, cue.i - 1
    if i >= 0 and doc[i].text == ",":
        opening = next((j for j in range(i - 1, max(i - 7, -1), -1) if doc[j].text == ","), None)
        i = opening - 1 if opening is not None else -1
    if i >= 0 and doc[i].pos_ in NOMINAL and doc[i].dep_ != "pobj":
        return doc[i]
    return None


def _source_span(head: Token) -> tuple[int, int]:
    """The source as written: the head with its left modifiers and the modifiers to its right
    up to a comma, so an apposition or relative clause is left out."""
    last = head.i
    for child in head.rights:
        if child.dep_ not in SOURCE_PARTS or any(
            t.text in ",(" for t in head.doc[last + 1 : child.i]
        ):
            break
        last = child.right_edge.i
    doc = head.doc
    last = next((t.i - 1 for t in doc[head.i + 1 : last + 1] if t.text in ",("), last)
    return doc[head.left_edge.i].idx, doc[last].idx + len(doc[last].text)
