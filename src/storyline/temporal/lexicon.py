"""The temporal tagger's language knowledge, read once from the data files in `data/`.

Month and weekday names, number words, units, parts of the day, seasons, holidays, vague
reference words, set words, modifiers and tense cues are English facts, not code: each lives
in a small tab-separated file that a linguist can extend without touching the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


def _rows(name: str) -> list[list[str]]:
    """The non-comment, non-empty lines of a data file, split on tabs."""
    text = resources.files("storyline.temporal").joinpath("data", name).read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@dataclass(frozen=True)
class Name:
    """A name (month, weekday) with its number and whether it must be capitalised to count."""

    word: str
    number: int
    flag: str = ""


@dataclass(frozen=True)
class Unit:
    """A calendar unit: its TimeML duration per unit and the granularity of a point in it."""

    singular: str
    plural: str
    duration: str
    granularity: str


@dataclass(frozen=True)
class Lexicon:
    months: tuple[Name, ...]
    weekdays: tuple[Name, ...]
    numbers: dict[str, str]
    ordinals: dict[str, int]
    units: tuple[Unit, ...]
    parts_of_day: dict[str, str]
    seasons: dict[str, str]
    holidays: dict[str, str]
    reference_words: dict[str, tuple[str, str]]
    set_words: dict[str, str]
    modifiers: dict[str, tuple[str, str]]
    tense_cues: dict[str, str]
    not_past_participles: frozenset[str]
    metadata_cues: tuple[str, ...]
    not_event_cues: frozenset[str]

    def month_number(self, word: str) -> int:
        return _lookup_name(self.months, word)

    def weekday_number(self, word: str) -> int:
        return _lookup_name(self.weekdays, word)

    def unit(self, word: str) -> Unit:
        """The unit named by a singular or plural word ("weeks" -> week)."""
        word = word.lower()
        for unit in self.units:
            if word in (unit.singular, unit.plural):
                return unit
        raise KeyError(word)


def _lookup_name(names: tuple[Name, ...], word: str) -> int:
    key = word.lower().strip()
    for name in names:
        if name.word == key or name.word.rstrip(".") == key.rstrip("."):
            return name.number
    raise KeyError(word)


@cache
def lexicon() -> Lexicon:
    """The lexicon, loaded on first use and shared."""
    return Lexicon(
        months=tuple(Name(r[0], int(r[1]), r[2] if len(r) > 2 else "") for r in _rows("months.tsv")),
        weekdays=tuple(
            Name(r[0], int(r[1]), r[2] if len(r) > 2 else "") for r in _rows("weekdays.tsv")
        ),
        numbers={r[0]: r[1] for r in _rows("numbers.tsv")},
        ordinals={r[0]: int(r[1]) for r in _rows("ordinals.tsv")},
        units=tuple(Unit(*r[:4]) for r in _rows("units.tsv")),
        parts_of_day={r[0]: r[1] for r in _rows("parts_of_day.tsv")},
        seasons={r[0]: r[1] for r in _rows("seasons.tsv")},
        holidays={r[0]: r[1] for r in _rows("holidays.tsv")},
        reference_words={r[0]: (r[1], r[2]) for r in _rows("reference_words.tsv")},
        set_words={r[0]: r[1] for r in _rows("set_words.tsv")},
        modifiers={r[0]: (r[1], r[2]) for r in _rows("modifiers.tsv")},
        tense_cues={r[0]: r[1] for r in _rows("tense_cues.tsv")},
        not_past_participles=frozenset(r[0] for r in _rows("tense_suffix_exceptions.txt")),
        metadata_cues=tuple(r[0] for r in _rows("dating_cues.tsv") if r[1] == "metadata"),
        not_event_cues=frozenset(r[0] for r in _rows("dating_cues.tsv") if r[1] == "not_event"),
    )
