"""The web app and the report in a real Chromium, against `storyline serve` on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from storyline.pipeline import analyze

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "articles"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
HOSTILE = ("Markup in an article\n\nThe page said <script>window.pwned = true</script> and "
           "<img src=x onerror=\"window.pwned = true\"> and <b>bold</b> things on Monday.\n")

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="needs Debian chromium (make test installs it as root)")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE)
    db = corpus.parent / "web.db"
    analyze([str(corpus)], db=db, report=corpus.parent / "report.html")
    return db


@pytest.fixture(scope="module")
def server(store_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline", "serve", "--db", str(store_path), "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/summary", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that records console errors and leaves a screenshot behind."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.console_errors = []
    opened.on("console", lambda m: m.type == "error" and opened.console_errors.append(m.text))
    opened.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    yield opened
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_server_binds_to_loopback_and_serves_the_contract(server):
    assert server.startswith("http://127.0.0.1:")
    document = json.load(urllib.request.urlopen(server + "/api/documents/003_4bc889afb33c0e05"))
    assert document["published"] == "2024-02-08" and "timexes" in document


def test_overview_loads_without_console_errors_and_draws_the_timeline(server, page):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator("svg.timeline circle").count() >= 2
    assert page.console_errors == []


def test_search_finds_an_article_and_opens_it(server, page):
    page.goto(server + "/")
    page.get_by_label("Search articles").fill("Ushakov")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=Ushakov")
    link = page.get_by_role("link", name="China, Russia should pursue")
    assert link.count() == 1
    link.click()
    assert "Yuri Ushakov" in page.locator("main").inner_text()
    assert page.locator("mark.timex").count() > 0
    assert page.console_errors == []


def test_event_page_shows_the_outlets_side_by_side(server, page):
    events = json.load(urllib.request.urlopen(server + "/api/events"))
    call = next(e for e in events if len(e["documents"]) == 3)
    page.goto(server + "/")
    page.get_by_role("link", name=call["title"]).first.click()
    page.wait_for_url(f"**/events/{call['id']}")
    columns = page.locator(".columns > section")
    assert columns.count() == 3
    names = {columns.nth(i).locator("h3").inner_text() for i in range(3)}
    assert {"Global Times", "The Epoch Times"} <= names
    assert page.console_errors == []


def test_article_markup_and_script_are_shown_inert(server, page):
    page.goto(server + "/articles/hostile")
    assert "<script>window.pwned = true</script>" in page.locator("main").inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img, main b").count() == 0
    assert page.console_errors == []


def test_filters_narrow_the_article_list(server, page):
    page.goto(server + "/search?outlet=Global+Times")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Xi, Putin hold phone call" in rows.first.inner_text()


def test_report_file_opened_offline_shows_articles(store_path, page):
    page.route("http*://**", lambda route: route.abort())  # no network at all
    page.goto((store_path.parent / "report.html").as_uri())
    text = page.locator("body").inner_text()
    assert "Xi, Putin hold phone call" in text and "Global Times" in text
    assert page.evaluate("window.pwned") is None
    assert page.console_errors == []


def fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers["content-type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["content-type"], error.read().decode()


def test_unknown_pages_are_html_404s_in_the_site_layout(server, page):
    for path in ("/events/no-such-event", "/articles/no-such-article", "/stories/nope",
                 "/no/such/page"):
        status, kind, body = fetch(server + path)
        assert status == 404 and kind.startswith("text/html"), path
        assert 'href="/search"' in body and "not found" in body.lower(), path
    page.goto(server + "/articles/no-such-article")
    assert "no-such-article" in page.locator("main").inner_text()
    status, kind, body = fetch(server + "/api/events/no-such-event")
    assert status == 404 and kind == "application/json"
    assert json.loads(body) == {"detail": "no event 'no-such-event'"}


def test_text_filters_ignore_case(server, page):
    for params in ("entity=NATO", "outlet=Global+Times", "language=en"):
        page.goto(server + "/search?" + params)
        exact = page.locator("tbody tr").count()
        page.goto(server + "/search?" + params.lower())
        assert exact > 0 and page.locator("tbody tr").count() == exact, params


def test_invalid_dates_are_reported_not_silently_empty(server, page):
    page.goto(server + "/search?from=notadate&to=2024-02-30")
    text = page.locator("main").inner_text()
    assert "'notadate' is not a date (YYYY-MM-DD)" in text
    assert "'2024-02-30' is not a date (YYYY-MM-DD)" in text
    assert "No articles match" not in text
    status, _, body = fetch(server + "/api/documents?from=notadate")
    assert status == 422 and "'notadate' is not a date (YYYY-MM-DD)" in body
    page.goto(server + "/search?from=2024&to=2024-02")  # partial dates are periods
    assert page.locator("tbody tr").count() == 1


def test_api_paging_is_bounded(server):
    for query in ("limit=-1", "limit=0", "limit=1001", "offset=-1"):
        status, kind, body = fetch(server + "/api/documents?" + query)
        assert status == 422 and kind == "application/json", query
        assert query.split("=")[0] in body, query
    assert fetch(server + "/api/events?offset=-1")[0] == 422
    status, _, body = fetch(server + "/api/documents?limit=1000&offset=1")
    assert status == 200 and len(json.loads(body)) == 5


def test_api_documents_filter_like_the_search_page(server, page):
    for query in ("entity=nato", "from=2024-01-01", "to=2023", "q=Putin&entity=Taiwan",
                  "outlet=global+times&from=2022-06-01&to=2022-06-30"):
        page.goto(server + "/search?" + query)
        titles = page.locator("tbody tr td:nth-child(2) a").all_inner_texts()
        listed = json.load(urllib.request.urlopen(server + "/api/documents?" + query))
        assert titles and [d["title"] or d["id"] for d in listed] == titles, query


def test_api_docs_work_offline(server, page):
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
               else route.abort())
    page.goto(server + "/api/docs")
    assert "/api/documents" in page.locator("main").inner_text()
    page.get_by_role("link", name="OpenAPI").first.click()
    assert "/api/documents" in json.loads(page.locator("body").inner_text())["paths"]
    assert page.console_errors == []


def test_overview_counts_only_known_outlets(server, page):
    summary = json.load(urllib.request.urlopen(server + "/api/summary"))
    known = [name for name in summary["by_outlet"] if name != "unknown"]
    assert summary["by_outlet"]["unknown"] > 0 and len(known) == 2
    page.goto(server + "/")
    line = page.locator("p.sub").first.inner_text()
    unknown = summary["by_outlet"]["unknown"]
    assert "2 outlets" in line and f"{unknown} from an unknown outlet" in line
