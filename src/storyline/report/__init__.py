"""The self-contained HTML report: one file, no network, every article's text escaped.

A view over the store and nothing else. Sections whose capability has not landed yet say so.
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from storyline.store import Store

MAX_ARTICLES = 1000  # beyond this the report lists titles only; the web app shows the rest


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["paragraphs"] = lambda text: [p for p in (text or "").split("\n\n") if p.strip()]
    return env


def render_report(store: Store) -> str:
    template_text = resources.files("storyline.report").joinpath(
        "templates", "report.html").read_text("utf-8")
    style = resources.files("storyline.report").joinpath("templates", "report.css").read_text(
        "utf-8")
    articles = []
    for n, article in enumerate(store.articles()):
        articles.append((article, n < MAX_ARTICLES))
    return _environment().from_string(template_text).render(
        summary=store.summary(), articles=articles, errors=store.current_errors(), style=style,
        max_articles=MAX_ARTICLES,
    )


def write_report(store: Store, path: str | Path) -> None:
    """Write atomically: a killed run never leaves half a report."""
    path = Path(path)
    html = render_report(store)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(html)
    os.replace(tmp, path)
