"""The self-contained HTML report: one file, no network, every article's text escaped.

A view over the store and nothing else. Sections whose capability has not landed yet say so.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from importlib import resources
from pathlib import Path

from jinja2 import Environment, select_autoescape

from storyline.model import Article
from storyline.report.markup import annotated_paragraphs
from storyline.report.timeline import timeline_points, timeline_svg
from storyline.store import Store

MAX_ARTICLES = 1000  # beyond this the report lists titles only; the web app shows the rest


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["annotated"] = annotated_paragraphs
    return env


def render_report(store: Store) -> str:
    package = resources.files("storyline.report")
    template_text = package.joinpath("templates", "report.html").read_text("utf-8")
    style = package.joinpath("templates", "report.css").read_text("utf-8")
    articles = {article.id: article for article in store.articles()}
    events = store.events()
    if events:
        rows = [(e.get("date"), e.get("title") or e["id"], f"#event-{e['id']}",
                 len(e.get("documents", []))) for e in events]
    else:
        rows = [(day, f"{n} articles", None, n) for day, n in store.documents_per_day()]
    timeline = timeline_svg(timeline_points(rows),
                            title="Timeline of " + ("events" if events else "articles"))
    return _environment().from_string(template_text).render(
        summary=store.summary(), articles=list(articles.values()), errors=store.current_errors(),
        style=style, events=[_event_view(e, articles) for e in events], timeline=timeline,
        max_articles=MAX_ARTICLES,
    )


def _event_view(event: dict, articles: dict[str, Article]) -> dict:
    """An event with its member articles grouped by outlet, for side-by-side columns."""
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for doc_id in event.get("documents", []):
        if doc_id in articles:
            by_outlet[articles[doc_id].outlet or "unknown outlet"].append(articles[doc_id])
    return {**event, "by_outlet": dict(sorted(by_outlet.items()))}


def write_report(store: Store, path: str | Path) -> None:
    """Write atomically: a killed run never leaves half a report."""
    path = Path(path)
    html = render_report(store)
    fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(html)
    os.replace(tmp, path)
