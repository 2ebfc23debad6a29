"""Numbers and amounts of time as TimeML writes them: "two and a half years" -> P2Y6M.

Pure functions over the lexicon: cardinal and ordinal numbers in digits or words, spoken
years ("nineteen ninety-six"), and TimeML duration values, including vague ones ("several
years" -> PXY).
"""

from __future__ import annotations

import re

from storyline.temporal.lexicon import lexicon

# How a fraction of a unit is written in the next smaller one (date units, then time units).
SMALLER_DATE_UNIT = {"Y": (12, "M"), "M": (30, "D"), "W": (7, "D"), "D": (24, "H"), "Q": (3, "M")}
SMALLER_TIME_UNIT = {"H": (60, "M"), "M": (60, "S")}
# TimeML letters of vague amounts of the large units: "decades" -> PXE, as TimeBank writes them.
VAGUE_UNIT_LETTER = {"decade": "E", "century": "C", "millennium": "L"}
_DIGITS = re.compile(r"([\d,]+(?:\.\d+)?)?(?:\s*(\d)/(\d))?")
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)?")
_DURATION = re.compile(r"P(T?)(\d+)([A-Z])")


def parse_number(text: str | None) -> float | str | None:
    """A cardinal in digits or words as a number, "X" for vague ones ("several"), else None."""
    if text is None:
        return None
    words = " ".join(text.lower().replace("-", " ").split())
    numbers = lexicon().numbers
    if words in numbers:
        value = numbers[words]
        return value if value == "X" else float(value)
    digits = _DIGITS.fullmatch(words)
    if digits and (digits.group(1) or digits.group(2)):
        whole = float(digits.group(1).replace(",", "")) if digits.group(1) else 0.0
        if digits.group(2):
            whole += int(digits.group(2)) / int(digits.group(3))
        return whole
    total = 0.0
    for word in words.split():
        if word in ("and", "a"):
            continue
        value = numbers.get(word)
        if value is None or value == "X":
            return None
        number = float(value)
        total = total * number if number in (100.0, 1000.0) and total else total + number
    return total or None


def parse_ordinal(text: str) -> int | None:
    """An ordinal ("15th", "fifteenth", "15") as a number."""
    word = text.lower().strip()
    match = _ORDINAL_DIGITS.fullmatch(word)
    if match:
        return int(match.group(1))
    return lexicon().ordinals.get(word)


def parse_year(text: str | None) -> int | None:
    """A year in digits or spoken ("nineteen ninety-six", "two thousand"), else None."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    words = [w for w in text.lower().replace("-", " ").split() if w not in ("and", "hundred", "oh")]
    numbers = lexicon().numbers
    if words[:2] == ["two", "thousand"]:
        rest = parse_number(" ".join(words[2:])) if words[2:] else 0.0
        return 2000 + int(rest) if isinstance(rest, float) else None
    century = numbers.get(words[0])
    rest = parse_number(" ".join(words[1:])) if words[1:] else None
    if century is None or century == "X" or not isinstance(rest, float):
        return None
    return int(float(century)) * 100 + int(rest)


def duration_value(amount: float | str, unit_word: str) -> str:
    """TimeML duration of an amount of a unit: P3Y, PT4H, P2Y6M, PT1M30S, PXY ("several years")."""
    unit = lexicon().unit(unit_word)
    match = _DURATION.fullmatch(unit.duration)
    assert match is not None, unit.duration
    time_part, per, letter = match.group(1), int(match.group(2)), match.group(3)
    if amount == "X":
        return f"P{time_part}X{VAGUE_UNIT_LETTER.get(unit.singular, letter)}"
    total = float(amount) * per
    whole = int(total)
    value = f"P{time_part}{whole}{letter}" if whole else f"P{time_part}"
    smaller_units = SMALLER_TIME_UNIT if time_part else SMALLER_DATE_UNIT
    if total - whole > 1e-9 and letter in smaller_units:
        factor, smaller = smaller_units[letter]
        rest = round((total - whole) * factor)
        return value + ("T" if letter == "D" else "") + f"{rest}{smaller}"
    return value if whole else f"P{time_part}0{letter}"
