"""The local web app: events, a timeline, articles with their annotations, search and JSON.

A thin view over the store: every request opens the store read-only, every page escapes
article text (articles can contain markup and script), and the server binds to 127.0.0.1
unless told otherwise. JSON endpoints mirror the output contract.
"""


import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.report import quotes_by_speaker, template_source
from storyline.report.markup import annotated_paragraphs
from storyline.report.timeline import timeline_points, timeline_svg
from storyline.store import MATCH_END, MATCH_START, Store

PAGE_SIZE = 50
MAX_PAGE = 1000  # most documents one API call returns
DEFAULT_HOST = "127.0.0.1"
PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DocumentFilters:
    """The filters of the document list, the same for the search page and the JSON API."""

    query: str = ""
    outlet: str = ""
    language: str = ""
    entity: str = ""
    date_from: str = ""
    date_to: str = ""

    def problems(self) -> list[str]:
        """What the user must correct: a filter that would otherwise silently match nothing."""
        return [f"{value!r} is not a date (YYYY-MM-DD)" for value in (self.date_from, self.date_to)
                if value and not _is_partial_date(value)]

    def find(self, store: Store, *, limit: int, offset: int) -> list[dict]:
        return store.find_documents(**{k: v or None for k, v in asdict(self).items()},
                                    limit=limit, offset=offset)


def document_filters(
    q: Annotated[str, Query(description="Words to find (full-text search)")] = "",
    outlet: Annotated[str, Query(description="Outlet name, any case")] = "",
    language: Annotated[str, Query(description="Language code, e.g. en")] = "",
    entity: Annotated[str, Query(description="A named entity, any case")] = "",
    date_from: Annotated[str, Query(alias="from", description="Published on or after "
                                    "(YYYY-MM-DD, or YYYY-MM / YYYY for a whole period)")] = "",
    date_to: Annotated[str, Query(alias="to", description="Published on or before "
                                  "(YYYY-MM-DD, YYYY-MM or YYYY)")] = "",
) -> DocumentFilters:
    return DocumentFilters(q.strip(), outlet.strip(), language.strip(), entity.strip(),
                           date_from.strip(), date_to.strip())


def _is_partial_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day or period (the store compares prefixes)."""
    match = PARTIAL_DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


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
    # No Swagger UI: it loads from a CDN and the app must work offline; /api/docs is ours.
    app = FastAPI(title="storyline", openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None)
    templates = _environment()

    def store() -> Iterator[Store]:
        with Store(db, readonly=True) as opened:
            yield opened

    StoreDep = Annotated[Store, Depends(store)]

    FiltersDep = Annotated[DocumentFilters, Depends(document_filters)]

    def page(name: str, request: Request, status_code: int = 200, **context) -> HTMLResponse:
        html = templates.get_template(name).render(request=request, **context)
        return HTMLResponse(html, status_code=status_code)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") and request.url.path != "/api/docs"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """JSON for the API, a page in the site's layout for people."""
        if is_api(request):
            return await http_exception_handler(request, exc)
        message = (f"There is no page at {request.url.path}." if exc.detail == "Not Found"
                   else f"{str(exc.detail)[:1].upper()}{str(exc.detail)[1:]}.")
        title = "Not found" if exc.status_code == 404 else str(exc.detail)
        return page("error.html", request, exc.status_code, title=title, messages=[message])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return await request_validation_exception_handler(request, exc)
        messages = [f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors()]
        return page("error.html", request, 422, title="Invalid request", messages=messages)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
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

    @app.get("/articles/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(doc_id: str, request: Request, store: StoreDep):
        article = store.article(doc_id)
        if article is None:
            raise HTTPException(404, f"no article {doc_id!r}")
        return page("article.html", request, article=article)

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
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

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, store: StoreDep, filters: FiltersDep,
                    page_number: int = Query(1, alias="page", ge=1)):
        problems = filters.problems()
        results = [] if problems else filters.find(store, limit=PAGE_SIZE,
                                                   offset=(page_number - 1) * PAGE_SIZE)
        return page("search.html", request, 422 if problems else 200, results=results,
                    filters=filters, problems=problems, facets=store.facets(),
                    entities=store.entity_names(100), page_number=page_number,
                    page_size=PAGE_SIZE)

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request):
        return page("api.html", request, api=app.openapi(), openapi_url=app.openapi_url)

    @app.get("/api/documents")
    def api_documents(store: StoreDep, filters: FiltersDep,
                      limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE),
                      offset: int = Query(0, ge=0)):
        """Documents (light rows) matching the search page's filters: newest or best match first."""
        if problems := filters.problems():
            raise HTTPException(422, "; ".join(problems))
        return filters.find(store, limit=limit, offset=offset)

    @app.get("/api/documents/{doc_id:path}")
    def api_document(doc_id: str, store: StoreDep):
        """One document with all its annotations, as in the output contract."""
        article = store.article(doc_id)
        if article is None:
            raise HTTPException(404, f"no article {doc_id!r}")
        return article.to_contract()

    @app.get("/api/events")
    def api_events(store: StoreDep, limit: int = Query(1000, ge=1, le=10_000),
                   offset: int = Query(0, ge=0)):
        """Events, each with its documents, claims and summary."""
        return _json(store.events(limit=limit, offset=offset))

    @app.get("/api/events/{event_id}")
    def api_event(event_id: str, store: StoreDep):
        """One event."""
        return _event(store, event_id)

    @app.get("/api/stories")
    def api_stories(store: StoreDep):
        """Stories: events that belong together."""
        return store.stories()

    @app.get("/api/summary")
    def api_summary(store: StoreDep):
        """Counts of documents, duplicates, input problems, per outlet, language and month."""
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
