"""The language knowledge of the quotes stage: speech verbs (`data/cues.tsv`) and role nouns
(`data/roles.tsv`), read once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Cue:
    """A verb that introduces reported content, and the dependents that can hold the content,
    in order of preference ("prep:for" is the object of "for")."""

    lemma: str
    complements: tuple[str, ...]
    kind: str


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@cache
def cue_forms() -> dict[str, Cue]:
    """Every listed verb form, lower-cased, to its cue (the parse has no lemmatizer)."""
    return _forms(nouns=False)


@cache
def noun_cue_forms() -> dict[str, Cue]:
    """Nouns that report content ("his claim that ...", "criticism of ..."), by form."""
    return _forms(nouns=True)


@cache
def raising_forms() -> frozenset[str]:
    """Forms of verbs whose subject belongs to their content ("X seems to ...": kind raising)."""
    return frozenset(form for form, cue in cue_forms().items() if cue.kind == "raising")


def _forms(*, nouns: bool) -> dict[str, Cue]:
    forms: dict[str, Cue] = {}
    for lemma, inflected, complements, kind in _rows("cues.tsv"):
        if (kind == "noun") != nouns:
            continue
        cue = Cue(lemma, tuple(complements.split(",")), kind)
        for form in inflected.split():
            forms.setdefault(form, cue)
    return forms


@cache
def role_nouns() -> dict[str, str]:
    """Role noun, lower-cased, to its canonical form ("advisor" -> "adviser")."""
    return {row[0]: (row[1] if len(row) > 1 and row[1] else row[0]) for row in _rows("roles.tsv")}
