"""Tests for storyline.ingest: each reader on real-looking input, and bad input never raises."""

from __future__ import annotations

import gzip
import http.server
import inspect
import io
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import Input, discover, read_input
from storyline.ingest.decoding import decode_text
from storyline.ingest.files import MAX_ARTICLE_BYTES
from storyline.ingest.jsonl import _JsonSyntaxError, _JsonValues
from storyline.model import IngestError, RawRecord

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NEWS_PAGE = (FIXTURES / "news_page.html").read_bytes()


def read_path(path: Path | str, **options) -> list[RawRecord | IngestError]:
    """Everything read_input yields for one path, as discover would hand it over."""
    [item] = discover([str(path)])
    return list(read_input(item, **options))


def records(found: list) -> list[RawRecord]:
    return [item for item in found if isinstance(item, RawRecord)]


def errors(found: list, level: str = "error") -> list[IngestError]:
    return [item for item in found if isinstance(item, IngestError) and item.level == level]


# --- discovery -----------------------------------------------------------------------------


def test_discover_walks_folders_in_sorted_order_and_skips_hidden_entries(tmp_path: Path) -> None:
    for name in ["b/2.txt", "b/10.txt", "a.html", "c/deep/z.jsonl", ".hidden.txt",
                 ".git/config", "b/.DS_Store", "c/.cache/x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text")
    found = discover([str(tmp_path)])
    relative = [Path(item.source).relative_to(tmp_path).as_posix() for item in found]
    assert relative == ["a.html", "b/10.txt", "b/2.txt", "c/deep/z.jsonl"]
    assert all(item.kind == "file" and item.size == 4 for item in found)


def test_discover_keeps_urls_stdin_and_files_in_the_order_given(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Hello")
    found = discover(["https://example.org/feed.xml", "-", str(article), str(article)])
    assert [(item.source, item.kind) for item in found] == [
        ("https://example.org/feed.xml", "url"), ("-", "stdin"), (str(article), "file")]
    assert found[2].size == 5


def test_missing_path_becomes_an_input_that_yields_one_error(tmp_path: Path) -> None:
    [item] = discover([str(tmp_path / "nowhere.txt")])
    assert item.kind == "unreadable"
    assert [(e.source, e.error) for e in read_input(item)] == [
        (str(tmp_path / "nowhere.txt"), "no such file or directory")]


def test_a_fifo_is_not_read_but_reported(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    [error] = read_path(fifo)
    assert error.error == "not a regular file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_file_without_read_permission_is_one_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    [error] = read_path(locked)
    assert error.error == "permission denied"


# --- plain text ----------------------------------------------------------------------------


def test_plain_text_article_is_passed_on_exactly_as_collected() -> None:
    path = FIXTURES / "seed_article.txt"
    [record] = read_path(path)
    assert record.text == path.read_text(encoding="utf-8")
    assert (record.source, record.input_format, record.id, record.verbatim) == (
        str(path), "text", None, False)


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffMinisters met on Friday.".encode())
    [record] = read_path(path)
    assert record.text == "Ministers met on Friday."


def test_windows_1252_text_is_decoded_with_a_warning_naming_the_encoding() -> None:
    found = read_path(FIXTURES / "resignation_cp1252.txt")
    [record] = records(found)
    assert record.text.startswith("Minister resigns after \u201cunacceptable\u201d remarks")
    assert ("minister\u2019s resignation was announced on Tuesday \u2013 two days after the "
            "caf\u00e9") in record.text
    [warning] = errors(found, "warning")
    assert warning.error == "not valid UTF-8; decoded as cp1252"
    assert errors(found) == []


def test_invalid_utf8_bytes_are_replaced_and_reported() -> None:
    found = read_path(FIXTURES / "damaged_utf8.txt")
    [record] = records(found)
    assert "S\u00e3o Paulo" in record.text
    assert "\u201cthe largest march this year\u201d" in record.text
    assert "stray byte \ufffd here and \ufffd there" in record.text
    [warning] = errors(found, "warning")
    assert warning.error == "invalid UTF-8: 2 byte sequence(s) replaced with U+FFFD"


def test_central_european_legacy_text_is_not_forced_into_cp1252() -> None:
    polish = "Zaż\u00f3łć gęślą jaźń \u2013 powiedział minister w poniedziałek. " * 3
    decoded = decode_text(polish.encode("cp1250"))
    assert decoded is not None
    assert decoded.text == polish
    assert decoded.warning == "not valid UTF-8; decoded as cp1250"


@pytest.mark.parametrize("name", ["empty.txt", "blank.md"])
def test_empty_or_whitespace_only_file_is_one_error(name: str) -> None:
    assert [(e.level, e.error) for e in read_path(FIXTURES / name)] == [("error", "empty file")]


def test_binary_file_is_one_error() -> None:
    assert [e.error for e in read_path(FIXTURES / "scan.txt")] == ["binary file, not text"]


def test_binary_file_without_known_extension_is_sniffed_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8)
    assert [e.error for e in read_path(path)] == ["binary file, not text"]


def test_huge_text_file_is_refused_from_its_size_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    line = b"A line of a log file that somebody saved with a .txt name.\n"
    with open(path, "wb") as out:
        block = line * (1024 * 1024 // len(line))
        for _ in range(60):
            out.write(block)
    megabytes = path.stat().st_size / (1024 * 1024)
    started = time.perf_counter()
    found = read_path(path)
    elapsed = time.perf_counter() - started
    path.unlink()
    assert [e.error for e in found] == [
        f"file too large for one article: {megabytes:.1f} MB (limit 10.0 MB)"]
    assert elapsed < 0.5


def test_gzipped_text_article_is_read(tmp_path: Path) -> None:
    path = tmp_path / "article.txt.gz"
    path.write_bytes(gzip.compress(b"Ministers met on Friday.\n"))
    [record] = read_path(path)
    assert record.text == "Ministers met on Friday.\n"


def test_truncated_gzipped_text_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "article.txt.gz"
    data = gzip.compress(os.urandom(20000).hex().encode())
    path.write_bytes(data[: len(data) // 2])
    assert [e.error for e in read_path(path)] == [
        "truncated gzip file (compressed data ended early)"]


def test_article_longer_than_max_article_chars_is_an_error() -> None:
    found = read_path(FIXTURES / "seed_article.txt", max_article_chars=100)
    [error] = found
    assert error.error.startswith("article text is ") and "over the limit of 100" in error.error


# --- HTML ----------------------------------------------------------------------------------


def test_news_page_gives_main_text_and_page_metadata() -> None:
    path = FIXTURES / "news_page.html"
    [record] = read_path(path)
    assert record.input_format == "html"
    assert record.html == NEWS_PAGE.decode()
    assert record.title == "Port workers end strike after pay deal"
    assert record.url == ("https://www.harbourgazette.example/business/2023/03/09/"
                          "port-workers-end-strike")
    assert record.published == "2023-03-09"
    assert record.outlet == "The Harbour Gazette"
    assert record.byline == "Maria Lindqvist"
    assert record.language == "en"
    assert "voted on Thursday to end a nine-day strike" in record.text
    assert "a move local businesses feared would cost jobs." in record.text
    for boilerplate in ["Subscribe", "cookies", "Most read", "Finally! About time",
                        "Privacy policy", "All rights reserved", "newsletter"]:
        assert boilerplate not in record.text


def test_broken_html_still_gives_what_can_be_extracted(tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    cut = NEWS_PAGE[: NEWS_PAGE.index(b"The port authority said")]
    path.write_bytes(cut + b"<p>The page stops in the mid<di")
    [record] = read_path(path)
    assert "voted on Thursday to end a nine-day strike" in record.text
    assert record.published == "2023-03-09"


def test_html_without_article_text_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "app.html"
    path.write_text("<!DOCTYPE html><html><head><title>App</title>"
                    "<script>document.write('loading')</script></head><body></body></html>")
    assert [e.error for e in read_path(path)] == ["no article text in this HTML page"]


def test_html_declaring_a_legacy_charset_is_decoded_without_warning(tmp_path: Path) -> None:
    page = ('<html lang="de"><head><meta charset="windows-1252"><title>Stra\u00dfe</title></head>'
            "<body><article><p>Die Stra\u00dfe in M\u00fcnchen wurde am Montag "
            "\u201egesperrt\u201c, teilte die Polizei mit.</p></article></body></html>")
    path = tmp_path / "seite.htm"
    path.write_bytes(page.encode("cp1252"))
    found = read_path(path)
    [record] = records(found)
    assert "Die Stra\u00dfe in M\u00fcnchen wurde am Montag \u201egesperrt\u201c" in record.text
    assert record.language == "de"
    assert errors(found, "warning") == []


def test_page_without_date_markup_has_no_published_date(tmp_path: Path) -> None:
    path = tmp_path / "undated.html"
    path.write_text("<html><body><article><p>The ferry service resumed on Monday after "
                    "repairs, the operator said in 2019 and again last year.</p></article>"
                    "</body></html>")
    [record] = read_path(path)
    assert record.published is None


def test_sniffed_html_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "saved_page"
    path.write_bytes(NEWS_PAGE)
    [record] = read_path(path)
    assert record.input_format == "html" and record.outlet == "The Harbour Gazette"


# --- JSON and JSON Lines -------------------------------------------------------------------


def test_jsonl_keeps_good_records_verbatim_and_names_each_bad_line() -> None:
    path = FIXTURES / "mixed_records.jsonl"
    found = read_path(path)
    assert [(r.source, r.id) for r in records(found)] == [
        (f"{path}#nl-1", "nl-1"), (f"{path}#2", "2"), (f"{path}#nl-6", "nl-6")]
    first, second, _ = records(found)
    assert first.text == ("Dock workers voted on Thursday to end a nine-day strike.\n\n"
                          "The port authority offered a 7.5 per cent pay rise.")
    assert (first.title, first.url, first.published, first.outlet, first.language) == (
        "Port workers end strike", "https://harbourgazette.example/a/1", "2023-03-09",
        "The Harbour Gazette", "en")
    assert first.verbatim and first.input_format == "json"
    assert second.text == "  Leading spaces and a trailing newline are kept exactly.\n"
    assert second.published == "March 9, 2023"
    assert [e.error for e in errors(found)] == [
        "invalid JSON on line 3: Expecting ',' delimiter (col 65)",
        'line 4: record has no "id" (or "doc_id")',
        'line 5 (id "nl-5"): record has no "text"',
    ]
    assert [e.error for e in errors(found, "warning")] == [
        'line 7 (id "nl-6"): ignored "outlet" (number): expected a string']


def test_a_declared_date_that_is_no_date_is_kept_as_given_and_warned_about(
        tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join(json.dumps({"id": doc_id, "text": "The ferry resumed.",
                                          "published": published})
                              for doc_id, published in (("a", "not a date"),
                                                        ("b", "2023-02-30"),
                                                        ("c", "March 3, 2023"))))
    found = read_path(path)
    assert [r.published for r in records(found)] == ["not a date", "2023-02-30", "March 3, 2023"]
    assert [e.error for e in errors(found, "warning")] == [
        'line 1 (id "a"): "published" "not a date" is not a date; left unknown',
        'line 2 (id "b"): "published" "2023-02-30" is not a date; left unknown']


def test_truncated_gzipped_jsonl_gives_the_records_before_the_break_and_one_error(
        tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{i}", "text": f"Report number {i}: " + os.urandom(40).hex()})
             for i in range(3000)]
    data = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    found = read_path(path)
    good = records(found)
    assert 500 < len(good) < 3000
    assert [r.id for r in good] == [f"r{i}" for i in range(len(good))]
    assert [e.error for e in found if isinstance(e, IngestError)] == [
        f"truncated gzip file (compressed data ended early) after line {len(good)}"]


def test_json_array_file_gives_one_record_per_item(tmp_path: Path) -> None:
    items = [{"id": 7, "text": "First report.", "title": "One"},
             {"id": "b", "text": "Second report.", "extra": {"nested": [1, 2]}},
             {"id": "c"}]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(items, indent=2))
    found = read_path(path)
    assert [(r.id, r.text, r.title) for r in records(found)] == [
        ("7", "First report.", "One"), ("b", "Second report.", None)]
    assert [e.error for e in errors(found)] == ['item 3 (line 17) (id "c"): record has no "text"']


def test_single_json_object_file_is_one_record(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(json.dumps({"id": "x1", "text": "Only one.", "outlet": "Wire"}, indent=1))
    [record] = read_path(path)
    assert (record.id, record.text, record.outlet, record.source) == (
        "x1", "Only one.", "Wire", f"{path}#x1")


def test_malformed_json_array_names_line_and_column_after_the_good_items(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n {"id": 1, "text": "ok"},\n {"id": 2 "text": "bad"}\n]')
    found = read_path(path)
    assert [r.id for r in records(found)] == ["1"]
    assert [e.error for e in errors(found)] == [
        "invalid JSON on line 3: Expecting ',' delimiter (col 11)"]


def test_jsonl_saved_as_json_still_recovers_after_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"id": 1, "text": "a"}\n{"id": 2, "text": \n{"id": 3, "text": "c"}\n')
    found = read_path(path)
    assert [r.id for r in records(found)] == ["1", "3"]
    assert len(errors(found)) == 1 and errors(found)[0].error.startswith("invalid JSON on line 2")


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.dictionaries(
    st.text(max_size=5), st.one_of(st.text(max_size=30), st.integers(), st.none(),
                                   st.lists(st.booleans(), max_size=3)), max_size=4),
    max_size=6), indent=st.sampled_from([None, 1]), chunk=st.integers(1, 40))
def test_chunked_json_reader_reads_what_json_loads_reads(values: list, indent: int | None,
                                                        chunk: int) -> None:
    text = json.dumps(values, indent=indent, ensure_ascii=False)
    found = [value for _, value in _JsonValues(io.StringIO(text), chunk_chars=chunk).values()]
    assert found == values


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(1, 200), chunk=st.integers(1, 50))
def test_chunked_json_reader_reports_errors_where_json_loads_does(cut: int, chunk: int) -> None:
    text = json.dumps([{"id": i, "text": f"line\n{i}"} for i in range(8)], indent=2)
    broken = text[:cut] + "@" + text[cut:]
    try:
        json.loads(broken)
    except json.JSONDecodeError as exc:
        expected_line = exc.lineno
    else:
        return
    with pytest.raises(_JsonSyntaxError) as raised:
        list(_JsonValues(io.StringIO(broken), chunk_chars=chunk).values())
    assert str(raised.value).startswith(f"invalid JSON on line {expected_line}:")


def test_stdin_is_read_as_json_lines() -> None:
    stdin = io.StringIO('{"id": "s1", "text": "From a pipe."}\n'
                        'not json\n'
                        '{"id": 2, "text": "Two"}\n')
    [item] = discover(["-"])
    found = list(read_input(item, stdin=stdin))
    assert [(r.source, r.text) for r in records(found)] == [
        ("stdin#s1", "From a pipe."), ("stdin#2", "Two")]
    assert [(e.source, e.error) for e in errors(found)] == [
        ("stdin", "invalid JSON on line 2: Expecting value (col 1)")]


def test_record_longer_than_max_article_chars_is_an_error_for_that_record_only(
        tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "long", "text": "x" * 50}) + "\n"
                    + json.dumps({"id": "short", "text": "fine"}) + "\n")
    found = read_path(path, max_article_chars=20)
    assert [r.id for r in records(found)] == ["short"]
    assert [e.error for e in errors(found)] == [
        'line 1 (id "long"): article text is 50 characters, over the limit of 20']


def test_large_jsonl_is_streamed_record_by_record(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    body = "Officials said the talks would resume next week. " * 20
    with open(path, "w") as out:
        for block in range(60):
            out.write("".join(json.dumps({"id": f"{block}-{i}", "text": body}) + "\n"
                              for i in range(1000)))
    assert path.stat().st_size > 60_000_000
    [item] = discover([str(path)])
    started = time.perf_counter()
    reader = read_input(item)
    assert inspect.isgenerator(reader)
    first = next(reader)
    elapsed = time.perf_counter() - started
    reader.close()
    path.unlink()
    assert isinstance(first, RawRecord) and first.id == "0-0"
    assert elapsed < 0.5


# --- WARC ----------------------------------------------------------------------------------


def build_warc(gzip_records: bool) -> bytes:
    """A small crawl: a request, an HTML page, a JSON API response and a redirect."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    page_url = "https://www.harbourgazette.example/business/port-strike"
    request_headers = StatusAndHeaders("GET /business/port-strike HTTP/1.1",
                                       [("Host", "www.harbourgazette.example")],
                                       is_http_request=True)
    writer.write_record(writer.create_warc_record(page_url, "request",
                                                  http_headers=request_headers))
    html_headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        page_url, "response", payload=io.BytesIO(NEWS_PAGE), http_headers=html_headers,
        warc_headers_dict={"WARC-Date": "2024-01-05T10:00:00Z"}))
    json_headers = StatusAndHeaders("200 OK", [("Content-Type", "application/json")],
                                    protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://www.harbourgazette.example/api/weather", "response",
        payload=io.BytesIO(b'{"forecast": "rain"}'), http_headers=json_headers))
    redirect = StatusAndHeaders("301 Moved Permanently",
                                [("Content-Type", "text/html"), ("Location", page_url)],
                                protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "http://harbourgazette.example/", "response",
        payload=io.BytesIO(b"<html><body><p>Moved here.</p></body></html>"),
        http_headers=redirect))
    return buffer.getvalue()


@pytest.mark.parametrize("name,compressed", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_responses_become_articles(tmp_path: Path, name: str, compressed: bool) -> None:
    path = tmp_path / name
    path.write_bytes(build_warc(compressed))
    found = read_path(path)
    [record] = found
    assert record.input_format == "html"
    assert record.url == "https://www.harbourgazette.example/business/port-strike"
    assert record.source.startswith(f"{path}#urn:uuid:")
    assert record.published == "2023-03-09"  # the page's date, not the crawl's WARC-Date
    assert record.outlet == "The Harbour Gazette"
    assert "voted on Thursday to end a nine-day strike" in record.text


def test_truncated_warc_gz_gives_the_records_before_the_break_and_one_error(
        tmp_path: Path) -> None:
    complete = build_warc(True)
    second_page = complete + build_warc(True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(second_page[: len(complete) + len(complete) // 2])
    found = read_path(path)
    assert len(records(found)) == 1
    [error] = errors(found)
    assert error.error.startswith("truncated WARC")


def test_file_that_is_not_a_warc_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("this is not a web archive\n" * 20)
    assert [e.error for e in read_path(path)] == [
        "not a WARC file (it does not start with a WARC/1.x header)"]


def test_empty_warc_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(b"")
    assert [e.error for e in read_path(path)] == ["empty file"]


# --- feeds ---------------------------------------------------------------------------------


def test_rss_full_content_entry_is_an_article_and_link_only_entry_a_warning() -> None:
    path = FIXTURES / "world_news.rss"
    found = read_path(path)
    [record] = records(found)
    assert record.source == f"{path}#nl-world-88412"
    assert record.title == "Leaders agree to reopen grain corridor after phone call"
    assert record.url == "https://northernledger.example/world/2022/06/16/grain-corridor-call"
    assert record.published == "2022-06-17"  # the outlet's own date, not UTC's 2022-06-16
    assert record.byline == "Anna Kowalczyk"
    assert record.outlet == "Northern Ledger \u2013 World"
    assert record.language == "en-gb"
    assert record.text.startswith("The two presidents agreed on Wednesday")
    assert ("\u201cWe have reached an understanding on the safe passage of ships,\u201d"
            in record.text)
    assert [(e.level, e.error) for e in found if isinstance(e, IngestError)] == [
        ("warning", "not fetched: https://northernledger.example/world/2022/06/16/"
                    "port-contract-inquiry (entry has no full text)")]


def test_atom_entry_with_html_content_is_an_article() -> None:
    [record] = read_path(FIXTURES / "city_desk.atom")
    assert (record.title, record.byline, record.outlet, record.published) == (
        "Council votes to extend night buses", "Grace Okafor", "City Desk", "2023-03-09")
    assert record.url == "https://citydesk.example/2023/03/09/night-buses"
    assert "said councillor Ruth Adeyemi, who proposed the change" in record.text


def test_xml_file_is_sniffed_as_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "world.xml"
    shutil.copy(FIXTURES / "world_news.rss", path)
    assert len(records(read_path(path))) == 1


def test_xml_file_that_is_not_a_feed_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url>'
                    "</urlset>")
    assert [e.error for e in read_path(path)] == ["XML file that is not an RSS or Atom feed"]


def test_long_summary_counts_as_full_text_but_a_teaser_does_not(tmp_path: Path) -> None:
    story = " ".join(["The regional assembly approved the budget after a long debate."] * 10)
    teaser = "The regional assembly approved the budget."
    path = tmp_path / "summaries.rss"
    path.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Assembly</title>
<item><title>Long</title><link>https://a.example/long</link><description>&lt;p&gt;{story}&lt;/p&gt;
</description></item>
<item><title>Short</title><link>https://a.example/short</link><description>{teaser}</description>
</item></channel></rss>""")
    found = read_path(path)
    assert [r.url for r in records(found)] == ["https://a.example/long"]
    assert [e.error for e in errors(found, "warning")] == [
        "not fetched: https://a.example/short (entry has no full text)"]


# --- URLs ----------------------------------------------------------------------------------


class NewsSite(http.server.BaseHTTPRequestHandler):
    """A tiny news site: a page, a feed, an API export and a missing page."""

    routes = {
        "/business/port-strike": ("text/html; charset=utf-8", NEWS_PAGE),
        "/world/rss": ("application/rss+xml", (FIXTURES / "world_news.rss").read_bytes()),
        "/export": ("application/x-ndjson", b'{"id": "api-1", "text": "From the API."}\n'),
        "/feed-as-text-xml": ("text/xml", (FIXTURES / "city_desk.atom").read_bytes()),
    }
    user_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        NewsSite.user_agents.append(self.headers.get("User-Agent", ""))
        if self.path not in self.routes:
            self.send_error(404, "Not Found")
            return
        content_type, body = self.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NewsSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_to_an_html_page_is_fetched_and_extracted(site: str) -> None:
    [record] = read_path(f"{site}/business/port-strike")
    assert record.source == f"{site}/business/port-strike"
    assert record.url == f"{site}/business/port-strike"
    assert record.published == "2023-03-09" and record.outlet == "The Harbour Gazette"
    assert NewsSite.user_agents[-1].startswith("storyline/")


def test_url_to_a_feed_reads_its_entries(site: str) -> None:
    found = read_path(f"{site}/world/rss")
    assert len(records(found)) == 1 and len(errors(found, "warning")) == 1
    assert len(records(read_path(f"{site}/feed-as-text-xml"))) == 1


def test_url_to_a_jsonl_export_reads_its_records(site: str) -> None:
    [record] = read_path(f"{site}/export")
    assert (record.id, record.text, record.source) == ("api-1", "From the API.",
                                                       f"{site}/export#api-1")


def test_url_not_found_is_one_error_naming_url_and_reason(site: str) -> None:
    assert [e.error for e in read_path(f"{site}/gone")] == [
        f"could not fetch {site}/gone: HTTP 404 Not Found"]


def test_unreachable_url_is_one_error(site: str) -> None:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}/news"
    [error] = read_path(url)
    assert error.source == url
    assert error.error.startswith(f"could not fetch {url}: ")
    assert "refused" in error.error.lower()


# --- nothing raises ------------------------------------------------------------------------


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600),
       suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".warc", ".warc.gz",
                               ".rss", ".xml", ".gz", ""]))
def test_no_input_makes_a_reader_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for found in read_input(Input(str(path), size=len(data))):
        assert isinstance(found, RawRecord | IngestError)
        if isinstance(found, IngestError):
            assert "\n" not in found.error


def test_max_article_bytes_is_ten_megabytes() -> None:
    assert MAX_ARTICLE_BYTES == 10 * 1024 * 1024


def test_labelled_corpus_field_names_are_read_as_their_contract_fields(tmp_path):
    data = tmp_path / "corpus.jsonl"
    data.write_text(json.dumps({"doc_id": "1_10ecb", "text": "Kept  as given.\n", "dct":
                                "1998-03-04", "publisher": "nyt", "event_id": "x"}) + "\n")
    (record,) = list(read_input(discover([str(data)])[0]))
    assert (record.id, record.text) == ("1_10ecb", "Kept  as given.\n")
    assert (record.published, record.outlet) == ("1998-03-04", "nyt")
