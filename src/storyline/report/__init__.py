"""The self-contained HTML report: one file, no network, every article's text escaped.

A view over the store and nothing else. Sections whose capability has not landed yet say so.
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, select_autoescape

from storyline.model import Article, Quote
from storyline.report.markup import annotated_paragraphs
from storyline.report.timeline import timeline_points, timeline_svg
from storyline.store import Store
from storyline.store.export import replaced_atomically

MAX_ARTICLES = 1000  # beyond this the report lists titles only; the web app shows the rest


def template_source(name: str) -> str:
    """Templates of the report, which the web app shares (framing, quotes by speaker)."""
    return resources.files("storyline.report").joinpath("templates", name).read_text("utf-8")


def _environment() -> Environment:
    env = Environment(loader=FunctionLoader(template_source),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["annotated"] = annotated_paragraphs
    env.globals["article_href"] = lambda doc_id: f"#doc-{doc_id}"
    return env


def quotes_by_speaker(articles: list[Article]) -> dict[str, list[tuple[str, str, Quote]]]:
    """Every quote of the articles under its speaker's name, most quoted speaker first."""
    said: dict[str, list[tuple[str, str, Quote]]] = defaultdict(list)
    for article in articles:
        for quote in article.quotes:
            name = quote.speaker.name if quote.speaker and quote.speaker.name else None
            said[name or "unknown speaker"].append((article.outlet or "unknown outlet",
                                                    article.id, quote))
    return dict(sorted(said.items(), key=lambda item: -len(item[1])))


def render_report(store: Store) -> str:
    style = template_source("report.css")
    articles = {article.id: article for article in store.articles()}
    events = store.events()
    if events:
        rows = [(e.get("date"), e.get("title") or e["id"], f"#event-{e['id']}",
                 len(e.get("documents", []))) for e in events]
    else:
        rows = [(day, f"{n} articles", None, n) for day, n in store.documents_per_day()]
    timeline = timeline_svg(timeline_points(rows),
                            title="Timeline of " + ("events" if events else "articles"))
    return _environment().get_template("report.html").render(
        summary=store.summary(), articles=list(articles.values()), errors=store.current_errors(),
        style=style, events=[_event_view(e, articles) for e in events], timeline=timeline,
        framing=store.outlets(),
        max_articles=MAX_ARTICLES,
    )


def _event_view(event: dict, articles: dict[str, Article]) -> dict:
    """An event with its member articles grouped by outlet, for side-by-side columns."""
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for doc_id in event.get("documents", []):
        if doc_id in articles:
            by_outlet[articles[doc_id].outlet or "unknown outlet"].append(articles[doc_id])
    members = [article for group in by_outlet.values() for article in group]
    return {**event, "by_outlet": dict(sorted(by_outlet.items())),
            "speakers": quotes_by_speaker(members)}


def write_report(store: Store, path: str | Path) -> None:
    """Write atomically: a killed run never leaves half a report."""
    html = render_report(store)
    with replaced_atomically(Path(path)) as tmp:
        tmp.write_text(html, encoding="utf-8")
