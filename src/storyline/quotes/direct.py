"""Quotation marks: which stretches of the text are quoted, as a reader pairs the marks.

Straight, curly, doubled-apostrophe (''…''), low-high („…“) and guillemet marks are paired
over the whole text. Whether a mark opens or closes is read from the characters around it
first and from its shape second, so a mis-typed or machine-translated mark still pairs. An
opening mark whose paragraph ends without a closing one continues into the next paragraph
when that one opens with a mark (the print convention for long quotations); otherwise the
quotation ends with its paragraph. Stray closing marks are ignored. Curly single quotes
(‘…’) count at the top level only, since a straight apostrophe is too often just one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DOUBLE_MARK = re.compile(r"''|``|[\"“”„«»]")
OPENING_SHAPES = "“„«`"
CLOSING_SHAPES = "”»"
SINGLE_QUOTED = re.compile(r"(?<![\w’'])‘(?=[\w\"“])([^‘’\n]*?[\w.,!?\"”])’(?![\w])")
BEFORE_OPENING = set(" \t\n([{—–-/")
AFTER_CLOSING = set(" \t\n.,;:!?)]}—–-…")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class Quotation:
    """Quoted text: `pieces` are the stretches inside the marks (one per paragraph or per part
    of a quotation split by its attribution); `start`/`end` is their hull."""

    pieces: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def find_quotations(text: str) -> list[Quotation]:
    """Every quoted stretch of `text`, in order, with the marks left out."""
    breaks = _paragraph_breaks(text)
    quotations = _pair_double_marks(text, breaks)
    quoted = [(q.start, q.end) for q in quotations]
    for match in SINGLE_QUOTED.finditer(text):
        if not any(s <= match.start() < e for s, e in quoted):
            quotations.append(Quotation([match.span(1)]))
    quotations = [q for q in (_trimmed(text, q) for q in quotations) if q.pieces]
    return sorted(quotations, key=lambda q: q.start)


def _paragraph_breaks(text: str) -> list[tuple[int, int]]:
    """Paragraph separators: blank lines, or single newlines in a text that has no blank line."""
    breaks = [m.span() for m in PARAGRAPH_BREAK.finditer(text)]
    if not breaks:
        breaks = [m.span() for m in re.finditer(r"\n", text)]
    return breaks


def _direction(text: str, start: int, end: int) -> str:
    """"open", "close" or "either", from the neighbouring characters, then the mark's shape."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    opens, closes = before in BEFORE_OPENING, after in AFTER_CLOSING
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    mark = text[start]
    if mark in OPENING_SHAPES:
        return "open"
    if mark in CLOSING_SHAPES:
        return "close"
    return "either"


def _pair_double_marks(text: str, breaks: list[tuple[int, int]]) -> list[Quotation]:
    quotations: list[Quotation] = []
    current: Quotation | None = None
    opened_at = 0
    paragraph_of_open = 0
    paragraph = 0
    for mark in DOUBLE_MARK.finditer(text):
        start, end = mark.span()
        while paragraph < len(breaks) and breaks[paragraph][1] <= start:
            paragraph += 1
        direction = _direction(text, start, end)
        if current is not None and paragraph != paragraph_of_open:
            current.pieces.append((opened_at, breaks[paragraph_of_open][0]))
            starts_paragraph = not text[breaks[paragraph - 1][1]:start].strip()
            if paragraph == paragraph_of_open + 1 and starts_paragraph and direction != "close":
                opened_at, paragraph_of_open = end, paragraph
                continue
            quotations.append(current)
            current = None
        if current is None:
            if direction != "close":
                current, opened_at, paragraph_of_open = Quotation(), end, paragraph
        elif direction == "open" and text[opened_at:start].strip():
            opened_at = end  # the earlier mark lost its partner: quote from this one
        elif direction != "open":
            current.pieces.append((opened_at, start))
            quotations.append(current)
            current = None
    if current is not None:
        stop = breaks[paragraph_of_open][0] if paragraph_of_open < len(breaks) else len(text)
        current.pieces.append((opened_at, stop))
        quotations.append(current)
    return quotations


def _trimmed(text: str, quotation: Quotation) -> Quotation:
    """Drop surrounding white space from each piece, and empty pieces."""
    pieces = []
    for start, end in quotation.pieces:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            left = start + len(piece) - len(piece.lstrip())
            pieces.append((left, left + len(stripped)))
    return Quotation(pieces)
