"""Speaker resolution: the source as written ("he", "the Chinese president", "Cui") to an entity.

A small within-document coreference layer over the parse and the merged entities:
- a source that is or contains a named entity resolves to it; a bare surname shared by several
  people ("Yang" for Yang Jin and Yang Jiechi) to the one mentioned most recently;
- "he"/"she" to the most recent person who was a subject or a speaker outside quotations;
- a role noun ("the president", "Putin's top advisor") to the entity introduced with that role
  ("Chinese President Xi Jinping", "Putin's foreign policy adviser Yuri Ushakov"), preferring
  the one whose introduction shares the most modifiers ("Chinese", "Putin");
- "who" to the noun its relative clause describes.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from storyline.model import Entity, Speaker
from storyline.quotes.lexicon import cue_forms, role_nouns

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PERSONAL = {"he", "she", "him", "her", "his"}
RELATIVE = {"who", "that", "which", "whom"}
UNNAMED = PERSONAL | RELATIVE | {"they", "we", "i", "you", "it", "them", "us", "me"}
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")  # in order of preference
SUBJECTS = {"nsubj", "nsubjpass"}
SOURCE_PREPOSITIONS = {"from", "of", "by", "for"}
NOT_MODIFIERS = {"the", "a", "an", "his", "her", "its", "their", "'s", "’s", "of", ",", "-"}


# Who holds which role in a text: canonical role -> [(entity, modifier words, position)].
Roles = dict[str, list[tuple[Entity, set[str], int]]]


class SpeakerResolver:
    """Resolves the sources of one document, in text order, remembering earlier speakers."""

    def __init__(
        self, doc: Doc, text: str, entities: list[Entity], quoted: list[tuple[int, int]]
    ) -> None:
        self.doc = doc
        self.text = text
        self.entity_at: dict[int, Entity] = {}
        for entity in entities:
            for start, end in entity.mentions:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    for token in span:
                        self.entity_at[token.i] = entity
        self.people = [e for e in entities if e.type == "PERSON"]
        self.subjects = self._person_subjects(quoted)
        self.roles = self._roles()
        self.speakers: list[tuple[int, Entity]] = []

    def speaker(self, span: tuple[int, int], head: Token) -> Speaker:
        """The speaker of one attribution, remembered for later pronouns."""
        entity = self._resolve(span, head)
        if entity is not None:
            bisect.insort(self.speakers, (span[0], entity), key=lambda item: item[0])
            return Speaker(span[0], span[1], entity.name, entity.id)
        name = None if head.lower_ in UNNAMED else self.text[span[0] : span[1]]
        return Speaker(span[0], span[1], name, None)

    def _resolve(self, span: tuple[int, int], head: Token) -> Entity | None:
        lower = head.lower_
        if lower in RELATIVE and head.head.dep_ == "relcl":
            head = head.head.head
            lower = head.lower_
        entity = self.entity_at.get(head.i)
        if entity is not None:
            return self._fullest_person(entity, span[0]) if entity.type == "PERSON" else entity
        if lower in PERSONAL:
            return self._recent_person(span[0])
        role = role_nouns().get(lower)
        holder = self._role_holder(role, head, span[0]) if role else None
        if holder is None and head.pos_ == "PROPN":
            holder = self._person_by_word(head.text, span[0])
        return holder or self._named_in(span, head)

    def _named_in(self, span: tuple[int, int], head: Token) -> Entity | None:
        """The entity named inside the source ("a readout from CCTV"), people and organisations
        first; a possessor ("Putin's top advisor") is not the speaker."""
        found = []
        for token in self.doc[head.left_edge.i : head.right_edge.i + 1]:
            entity = self.entity_at.get(token.i)
            if token.idx >= span[1]:
                break
            if (entity is not None and entity.type in SPEAKER_LABELS
                    and "poss" not in (token.dep_, token.head.dep_)
                    and self._names_who_speaks(token, head)):
                found.append(entity)
        return min(found, key=lambda e: SPEAKER_LABELS.index(e.type), default=None)

    def _names_who_speaks(self, token: Token, head: Token) -> bool:
        """Whether a name inside a source says who speaks: the object of "from", "of", "by"
        or "for" ("a readout from CCTV"), not a word describing the source ("Chinese state
        media", "U.S. intelligence leaders") nor a place or party in it ("the war in
        Ukraine", "a call between the West and Putin")."""
        while token.i != head.i and token.head.i != token.i:
            parent = token.head
            name = self.entity_at.get(token.i)
            if name is not None and self.entity_at.get(parent.i) is name:
                token = parent  # a part of the same name ("Xi" of "Xi Jinping")
            elif token.dep_ == "pobj" and parent.lower_ in SOURCE_PREPOSITIONS:
                token = parent.head
            elif token.dep_ == "appos":
                token = parent
            else:
                return False
        return token.i == head.i

    def _fullest_person(self, entity: Entity, position: int) -> Entity:
        """A one-word name shared by longer names: the one of them mentioned most recently."""
        if " " in entity.name:
            return entity
        return self._person_by_word(entity.name, position) or entity

    def _person_by_word(self, word: str, position: int) -> Entity | None:
        fuller = [
            e for e in self.people if word in e.name.split() and " " in e.name
        ]
        best, best_at = None, -1
        for entity in fuller:
            before = [start for start, _ in entity.mentions if start < position]
            at = max(before) if before else -1
            if at > best_at:
                best, best_at = entity, at
        return best

    def _recent_person(self, position: int) -> Entity | None:
        """The latest person before `position` who was a subject outside quotes or a speaker."""
        best, best_at = None, -1
        index = bisect.bisect_left(self.subjects, position, key=lambda item: item[0]) - 1
        if index >= 0:
            best_at, best = self.subjects[index]
        index = bisect.bisect_left(self.speakers, position, key=lambda item: item[0]) - 1
        while index >= 0 and self.speakers[index][1].type != "PERSON":
            index -= 1
        if index >= 0 and self.speakers[index][0] > best_at:
            best_at, best = self.speakers[index]
        return best

    def _person_subjects(self, quoted: list[tuple[int, int]]) -> list[tuple[int, Entity]]:
        """People who act in the text outside quotations: subjects, and names right before a
        speech verb (which the parse sometimes does not make the subject)."""
        subjects = []
        forms = cue_forms()
        doc = self.doc
        for i, entity in self.entity_at.items():
            token = doc[i]
            acts = token.dep_ in SUBJECTS or (i + 1 < len(doc) and doc[i + 1].lower_ in forms)
            if (entity.type == "PERSON" and acts
                    and not any(start <= token.idx < end for start, end in quoted)):
                subjects.append((token.idx, self._fullest_person(entity, token.idx)))
        return sorted(subjects, key=lambda item: item[0])

    def _roles(self) -> Roles:
        """Roles named next to a person: "President Xi", "adviser Yuri Ushakov", "X, an expert"."""
        roles: Roles = {}
        nouns = role_nouns()
        for i, entity in self.entity_at.items():
            token = self.doc[i]
            if entity.type != "PERSON" or self.entity_at.get(token.head.i) is entity:
                continue
            for holder in self._role_tokens(token):
                role = nouns.get(holder.lower_)
                if role:
                    words = _modifiers(holder, token)
                    roles.setdefault(role, []).append((entity, words, token.idx))
        return roles

    def _role_tokens(self, name: Token) -> list[Token]:
        """Role nouns in the name's own phrase or in apposition to it."""
        found = [t for t in name.lefts if t.dep_ in {"compound", "amod", "nmod"}]
        if name.dep_ == "appos" or name.dep_ == "compound":
            found.append(name.head)
        found.extend(c for c in name.rights if c.dep_ == "appos")
        return found

    def _role_holder(self, role: str, head: Token, position: int) -> Entity | None:
        holders = self.roles.get(role)
        if not holders:
            return None
        words = _modifiers(head, head)

        def rank(item: tuple[Entity, set[str], int]) -> tuple[int, int, int]:
            entity, modifiers, at = item
            return (len(words & modifiers), at < position, at if at < position else -at)

        return max(holders, key=rank)[0]


def _modifiers(role: Token, name: Token) -> set[str]:
    """Lower-cased words qualifying a role ("chinese", "putin", "top"), for matching roles."""
    words = {t.lower_ for t in role.subtree if t.i != name.i and t.i != role.i}
    words |= {t.lower_ for t in name.lefts if t.i != role.i}
    return words - NOT_MODIFIERS
