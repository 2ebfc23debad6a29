"""An article's text as HTML with its annotations highlighted, for the report and the web app.

Annotations may overlap (a date inside a quote, a name inside a quote), so the text is cut at
every span boundary and each piece is wrapped once with the classes of all spans covering
it. All article text is escaped: articles can contain markup and script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from storyline.model import Article

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    css: str
    label: str


def highlights(article: Article) -> list[Highlight]:
    """Every span worth showing: dates with their values, entities, quotes with speakers."""
    spans = [Highlight(t.start, t.end, "timex", f"{t.type} {t.value or 'unknown'}")
             for t in article.timexes]
    for entity in article.entities:
        spans += [Highlight(a, b, f"entity {entity.type.lower()}", f"{entity.type}: {entity.name}")
                  for a, b in entity.mentions]
    for quote in article.quotes:
        speaker = getattr(quote, "speaker", None)
        name = getattr(speaker, "name", None) if speaker else None
        kind = "direct quote" if getattr(quote, "direct", False) else "reported speech"
        spans.append(Highlight(quote.start, quote.end, "quote",
                               f"{kind} — {name or 'speaker unknown'}"))
    return [s for s in spans if 0 <= s.start < s.end <= len(article.text)]


def annotated_paragraphs(article: Article) -> list[Markup]:
    """The text's paragraphs as escaped HTML with <mark> elements for the annotations."""
    text, spans = article.text, highlights(article)
    boundaries = {0, len(text), *(s.start for s in spans), *(s.end for s in spans)}
    paragraphs, start = [], 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            cuts = sorted({start, end, *(b for b in boundaries if start < b < end)})
            paragraphs.append(Markup("".join(_piece(text, spans, a, b)
                                             for a, b in zip(cuts, cuts[1:], strict=False))))
        start = match.end() if match else end
    return paragraphs


def _piece(text: str, spans: list[Highlight], a: int, b: int) -> str:
    piece = str(escape(text[a:b])).replace("\n", "<br>")
    covering = [s for s in spans if s.start <= a and b <= s.end]
    if not covering:
        return piece
    classes = " ".join(sorted({c for s in covering for c in s.css.split()}))
    title = escape("; ".join(dict.fromkeys(s.label for s in covering)))
    return f'<mark class="{classes}" title="{title}">{piece}</mark>'
