"""The local web app: events, a timeline, articles with their annotations, search and JSON.

A thin view over the store: every request opens the store read-only, every page escapes
article text (articles can contain markup and script), and the server binds to 127.0.0.1
unless told otherwise. JSON endpoints mirror the output contract.
"""


import json
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup, escape

from storyline.report import quotes_by_speaker, template_source
from storyline.report.markup import annotated_paragraphs
from storyline.report.timeline import timeline_points, timeline_svg
from storyline.store import MATCH_END, MATCH_START, Store

PAGE_SIZE = 50
DEFAULT_HOST = "127.0.0.1"


def _template_source(name: str) -> str:
    """The web app's own templates, then the ones it shares with the report."""
    own = resources.files("storyline.web").joinpath("templates", name)
    return own.read_text("utf-8") if own.is_file() else template_source(name)


def _environment() -> Environment:
    env = Environment(loader=FunctionLoader(_template_source),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals["style"] = Markup(resources.files("storyline.report").joinpath(
        "templates", "report.css").read_text("utf-8"))
    env.filters["annotated"] = annotated_paragraphs
    env.globals["article_href"] = lambda doc_id: f"/articles/{quote(doc_id, safe='')}"
    env.filters["replace_page"] = lambda params, number: urlencode({**params, "page": number})
    env.filters["snippet"] = lambda text: Markup(
        str(escape(text or "")).replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))
    return env


def create_app(db: str | Path) -> FastAPI:
    """The app over one store file, which must exist (it is only ever read)."""
    db = Path(db)
    if not db.exists():
        raise FileNotFoundError(f"no store at {db}: run `storyline analyze PATH --db {db}` first")
    app = FastAPI(title="storyline", docs_url="/api/docs", redoc_url=None)
    templates = _environment()

    def store() -> Iterator[Store]:
        with Store(db, readonly=True) as opened:
            yield opened

    StoreDep = Annotated[Store, Depends(store)]

    def page(name: str, request: Request, **context) -> HTMLResponse:
        html = templates.get_template(name).render(request=request, **context)
        return HTMLResponse(html)

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request, store: StoreDep):
        events = store.events()
        rows = ([(e.get("date"), e.get("title") or e["id"], f"/events/{e['id']}",
                  len(e.get("documents", []))) for e in events]
                if events else
                [(day, f"{n} articles", f"/search?from={day}&to={day}", n)
                 for day, n in store.documents_per_day()])
        what = "events" if events else "articles by publication date"
        return page("index.html", request, summary=store.summary(), events=events[:200],
                    documents=store.find_documents(limit=PAGE_SIZE),
                    timeline=timeline_svg(timeline_points(rows), title=f"Timeline of {what}"),
                    timeline_of=what)

    @app.get("/articles/{doc_id:path}", response_class=HTMLResponse)
    def article_page(doc_id: str, request: Request, store: StoreDep):
        article = store.article(doc_id)
        if article is None:
            raise HTTPException(404, f"no article {doc_id!r}")
        return page("article.html", request, article=article)

    @app.get("/events/{event_id}", response_class=HTMLResponse)
    def event_page(event_id: str, request: Request, store: StoreDep):
        event = _event(store, event_id)
        by_outlet: dict[str, list] = defaultdict(list)
        for doc_id in event.get("documents", []):
            if (article := store.article(doc_id)) is not None:
                by_outlet[article.outlet or "unknown outlet"].append(article)
        names = set(by_outlet)
        framing = [o for o in store.outlets() if o.get("outlet") in names]
        members = [article for group in by_outlet.values() for article in group]
        return page("event.html", request, event=event, by_outlet=dict(sorted(by_outlet.items())),
                    speakers=quotes_by_speaker(members), framing=framing)

    @app.get("/search", response_class=HTMLResponse)
    def search_page(
        request: Request, store: StoreDep, q: str = "", outlet: str = "", language: str = "",
        entity: str = "", date_from: str = Query("", alias="from"),
        date_to: str = Query("", alias="to"), page_number: int = Query(1, alias="page", ge=1),
    ):
        filters = {"query": q, "outlet": outlet, "language": language, "entity": entity,
                   "date_from": date_from, "date_to": date_to}
        results = store.find_documents(**{k: v or None for k, v in filters.items()},
                                       limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
        return page("search.html", request, results=results, filters=filters,
                    facets=store.facets(), entities=store.entity_names(100),
                    page_number=page_number, page_size=PAGE_SIZE)

    @app.get("/api/documents")
    def api_documents(store: StoreDep, limit: int = Query(PAGE_SIZE, le=1000), offset: int = 0,
                      q: str = "", outlet: str = "", language: str = ""):
        return store.find_documents(query=q or None, outlet=outlet or None,
                                    language=language or None, limit=limit, offset=offset)

    @app.get("/api/documents/{doc_id:path}")
    def api_document(doc_id: str, store: StoreDep):
        article = store.article(doc_id)
        if article is None:
            raise HTTPException(404, f"no article {doc_id!r}")
        return article.to_contract()

    @app.get("/api/events")
    def api_events(store: StoreDep, limit: int = Query(1000, le=10_000), offset: int = 0):
        return _json(store.events(limit=limit, offset=offset))

    @app.get("/api/events/{event_id}")
    def api_event(event_id: str, store: StoreDep):
        return _event(store, event_id)

    @app.get("/api/stories")
    def api_stories(store: StoreDep):
        return store.stories()

    @app.get("/api/summary")
    def api_summary(store: StoreDep):
        return store.summary()

    return app


def _json(content: object) -> Response:
    """Plain JSON of data that is already JSON-shaped (FastAPI's encoder is slow on big lists)."""
    return Response(json.dumps(content, ensure_ascii=False), media_type="application/json")


def _event(store: Store, event_id: str) -> dict:
    event = store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return event


def serve(db: str | Path, *, host: str = DEFAULT_HOST, port: int = 8000) -> None:
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
