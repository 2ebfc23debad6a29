"""The temporal tagger's language knowledge, read once from the data files in `data/`.

Month and weekday names, number words, units, parts of the day, seasons, holidays, vague
reference words, set words, modifiers, tense cues and context cues are English facts, not
code: each lives in a small tab-separated file that a linguist can extend without touching
the rules.
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
    """A month or weekday name with its number and flags: "cap" (counts only when capitalised,
    as "May" and "March" are common words), "abbr" (an abbreviation)."""

    word: str
    number: int
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Unit:
    """A calendar unit: its TimeML duration per unit, the granularity of a point in it, how it
    moves a date ("decade": 10 years) and the granularity of a date that far back ("two
    decades ago" is a year)."""

    singular: str
    plural: str
    duration: str
    granularity: str
    step_count: int
    step_unit: str
    ago_granularity: str


@dataclass(frozen=True)
class RelativeWord:
    """ "last", "next", "the following": what it counts from ("dct" or "text") and how far."""

    anchor: str
    shift: int


@dataclass(frozen=True)
class Lexicon:
    months: tuple[Name, ...]
    weekdays: tuple[Name, ...]
    numbers: dict[str, str]
    ordinals: dict[str, int]
    decades: dict[str, int]
    units: tuple[Unit, ...]
    parts_of_day: dict[str, str]
    seasons: dict[str, str]
    holidays: dict[str, str]
    reference_words: dict[str, tuple[str, str]]
    relative_words: dict[str, RelativeWord]
    set_words: dict[str, str]
    modifiers: dict[str, tuple[str, str]]
    tense_cues: dict[str, str]
    not_past_participles: frozenset[str]
    context_cues: dict[str, frozenset[str]]
    dating_cues: dict[str, frozenset[str]]
    day_shifts: dict[str, int]

    def month_number(self, word: str) -> int:
        return _lookup_name(self.months, word)

    def weekday_number(self, word: str) -> int:
        return _lookup_name(self.weekdays, word)

    def is_abbreviated_month(self, word: str) -> bool:
        key = word.lower()
        return any(m.word == key and "abbr" in m.flags for m in self.months)

    def unit(self, word: str) -> Unit:
        """The unit named by a singular or plural word ("weeks" -> week)."""
        word = word.lower()
        for unit in self.units:
            if word in (unit.singular, unit.plural):
                return unit
        raise KeyError(word)

    def relative(self, anchor: str, shift: int | None = None) -> dict[str, int]:
        """Relative words counting from an anchor ("dct", "text"), as {phrase: shift}."""
        return {
            phrase: word.shift
            for phrase, word in self.relative_words.items()
            if word.anchor == anchor and (shift is None or word.shift == shift)
        }

    def cues(self, role: str) -> frozenset[str]:
        """The context words of a role in context_cues.tsv ("duration", "deadline", ...)."""
        return self.context_cues.get(role, frozenset())


def _lookup_name(names: tuple[Name, ...], word: str) -> int:
    key = word.lower().strip()
    for name in names:
        if name.word == key or name.word.rstrip(".") == key.rstrip("."):
            return name.number
    raise KeyError(word)


def _names(file: str) -> tuple[Name, ...]:
    return tuple(
        Name(r[0], int(r[1]), frozenset(r[2].split(",")) if len(r) > 2 else frozenset())
        for r in _rows(file)
    )


def _unit(row: list[str]) -> Unit:
    count, step_unit = row[4].split()
    return Unit(row[0], row[1], row[2], row[3], int(count), step_unit, row[5])


def _by_role(file: str) -> dict[str, frozenset[str]]:
    """A word list with a role per word, as {role: words}."""
    roles: dict[str, set[str]] = {}
    for row in _rows(file):
        roles.setdefault(row[1], set()).add(row[0])
    return {role: frozenset(words) for role, words in roles.items()}


@cache
def lexicon() -> Lexicon:
    """The lexicon, loaded on first use and shared."""
    return Lexicon(
        months=_names("months.tsv"),
        weekdays=_names("weekdays.tsv"),
        numbers={r[0]: r[1] for r in _rows("numbers.tsv")},
        ordinals={r[0]: int(r[1]) for r in _rows("ordinals.tsv")},
        decades={r[0]: int(r[1]) for r in _rows("decades.tsv")},
        units=tuple(_unit(r) for r in _rows("units.tsv")),
        parts_of_day={r[0]: r[1] for r in _rows("parts_of_day.tsv")},
        seasons={r[0]: r[1] for r in _rows("seasons.tsv")},
        holidays={r[0]: r[1] for r in _rows("holidays.tsv")},
        reference_words={r[0]: (r[1], r[2]) for r in _rows("reference_words.tsv")},
        relative_words={r[0]: RelativeWord(r[1], int(r[2])) for r in _rows("relative_words.tsv")},
        set_words={r[0]: r[1] for r in _rows("set_words.tsv")},
        modifiers={r[0]: (r[1], r[2]) for r in _rows("modifiers.tsv")},
        tense_cues={r[0]: r[1] for r in _rows("tense_cues.tsv")},
        not_past_participles=frozenset(r[0] for r in _rows("tense_suffix_exceptions.txt")),
        context_cues=_by_role("context_cues.tsv"),
        dating_cues=_by_role("dating_cues.tsv"),
        day_shifts={r[0]: int(r[1]) for r in _rows("day_shifts.tsv")},
    )
