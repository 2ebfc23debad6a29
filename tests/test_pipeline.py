"""`analyze` end to end: the sample corpus, re-runs, bad input, and a run killed mid-way."""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyline.pipeline import analyze, load
from storyline.store import Store
from storyline.store.parquet import article_record, write_parquet

ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "articles"
CONTRACT_DOCUMENT_KEYS = {"id", "source", "title", "url", "outlet", "byline", "published",
                          "language", "text", "flags", "timexes", "quotes", "entities",
                          "event_id"}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The sample corpus analysed once, shared by the tests that only read the result."""
    tmp = tmp_path_factory.mktemp("sample")
    result = analyze([str(EXAMPLES)], db=tmp / "s.db", json_out=tmp / "s.json",
                     report=tmp / "report.html")
    return result, json.loads((tmp / "s.json").read_text()), tmp


def test_sample_corpus_output_follows_the_contract(sample_run):
    result, output, _ = sample_run
    assert result.counts["added"] == 5 and result.counts["errors"] == 0
    assert {"documents", "events", "stories", "errors"} <= output.keys()
    assert len(output["documents"]) == 5
    for document in output["documents"]:
        assert document.keys() >= CONTRACT_DOCUMENT_KEYS
        assert "duplicate_of" in document["flags"] and "machine_translation" in document["flags"]
        for entity in document["entities"]:
            for start, end in entity["mentions"]:
                assert document["text"][start:end]


def test_sample_corpus_metadata(sample_run):
    documents = {d["id"][:3]: d for d in sample_run[1]["documents"]}
    assert documents["004"]["outlet"] == "Global Times"
    assert documents["004"]["published"] == "2022-06-16"
    assert documents["004"]["byline"] == "Yang Sheng, Wan Hengyi and Cui Fandi"
    assert documents["003"]["published"] == "2024-02-08"
    assert documents["000"]["outlet"] == "The Epoch Times"
    assert documents["000"]["byline"] == "Andrew Thornebrooke"
    assert documents["000"]["flags"]["machine_translation"]
    assert all(d["flags"]["duplicate_of"] is None for d in documents.values())
    names = {e["name"] for d in documents.values() for e in d["entities"]}
    assert {"Xi Jinping", "Vladimir Putin"} <= names


def test_report_is_written_and_escapes_nothing_unsafe(sample_run):
    html = (sample_run[2] / "report.html").read_text()
    assert "Xi, Putin hold phone call" in html and "<script" not in html


def test_the_report_quotes_direct_speech_and_marks_reported_speech(sample_run):
    import html as html_module

    marked_up = (sample_run[2] / "report.html").read_text()
    report = html_module.unescape(re.sub(r"<[^>]+>", "", marked_up))
    quotes = [q for d in sample_run[1]["documents"] for q in d["quotes"][:8]  # as listed
              if len(q["text"]) <= 150]  # not truncated
    direct = next(q["text"] for q in quotes if q["direct"])
    reported = next(q["text"] for q in quotes if not q["direct"])
    assert f"“{direct}”" in report
    assert f"{reported} (reported)" in report and f"“{reported}”" not in report


def test_rerun_processes_only_new_or_changed_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(EXAMPLES.glob("*.txt"))[:2]:
        (corpus / path.name).write_text(path.read_text())
    db = tmp_path / "s.db"
    assert analyze([str(corpus)], db=db).counts["added"] == 2
    again = analyze([str(corpus)], db=db)
    assert again.counts["added"] == 0 and again.counts["unchanged"] == 2
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text() + "\nA late paragraph added by the editor.\n")
    (corpus / "new.txt").write_text("A new headline\n\nThe body of a new article arrived today.\n")
    third = analyze([str(corpus)], db=db)
    assert (third.counts["added"], third.counts["updated"], third.counts["unchanged"]) == (1, 1, 1)
    with Store(db, readonly=True) as store:
        assert store.count() == 3
        assert "late paragraph" in store.article(first.stem).text


def test_rerun_compares_only_the_events_whose_members_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    db = tmp_path / "s.db"
    first = analyze([str(corpus)], db=db)
    assert first.counts["events compared"] == first.counts["events"] == 3
    with Store(db, readonly=True) as store:
        claims_before = {e["id"]: e["claims"] for e in store.events()}
    again = analyze([str(corpus)], db=db)
    assert again.counts["events compared"] == 0
    changed = corpus / "003_4bc889afb33c0e05.txt"
    changed.write_text(changed.read_text() + "\nThe Kremlin gave no further details.\n")
    third = analyze([str(corpus)], db=db)
    assert third.counts["updated"] == 1 and third.counts["events compared"] == 1
    with Store(db, readonly=True) as store:
        event_of_changed = store.article("003_4bc889afb33c0e05").event_id
        for event in store.events():
            assert event["claims"], event["id"]
            if event["id"] != event_of_changed:
                assert event["claims"] == claims_before[event["id"]]


def test_load_builds_the_same_store_from_annotated_articles_in_parquet(sample_run, tmp_path):
    with Store(sample_run[2] / "s.db", readonly=True) as store:
        signatures = dict(store.minhashes())
        articles = list(store.articles())
        events = {frozenset(e["documents"]) for e in store.events()}
    written = write_parquet((article_record(a, signatures[a.id]) for a in articles),
                            tmp_path / "annotated")
    assert written == 5
    assert {p.name for p in (tmp_path / "annotated").iterdir()} == {
        "month=2022-06", "month=2024-02", "month=undated"}
    result = load(tmp_path / "annotated", db=tmp_path / "loaded.db")
    assert result.counts["added"] == 5 and result.counts["events"] == 3
    with Store(tmp_path / "loaded.db", readonly=True) as store:
        assert {frozenset(e["documents"]) for e in store.events()} == events
        assert list(store.articles()) == articles  # every annotation survives the trip
    again = load(tmp_path / "annotated", db=tmp_path / "loaded.db")
    assert again.counts["unchanged"] == 5 and again.counts["events compared"] == 0


def test_jsonl_ids_and_text_are_kept_exactly(tmp_path):
    records = [{"id": "doc/1 ", "text": "  Odd   spacing\nstays.  ", "published": "2016-09-12"},
               {"id": 42, "text": "Numeric ids become strings."}]
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    analyze([str(data)], db=tmp_path / "s.db", json_out=tmp_path / "out.json")
    documents = {d["id"]: d for d in json.loads((tmp_path / "out.json").read_text())["documents"]}
    assert documents["doc/1 "]["text"] == records[0]["text"]
    assert documents["42"]["text"] == records[1]["text"]


def test_a_repeated_id_says_whether_the_record_is_the_same_or_another(tmp_path):
    records = [{"id": "a", "text": "The mayor opened the bridge."}] * 2
    records.append({"id": "a", "text": "The mayor closed the bridge."})
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = analyze([str(data)], db=tmp_path / "s.db")
    assert [e.error for e in result.errors] == [
        "same record twice in this run",
        "another record with this id came earlier in this run; this one is left out"]
    with Store(tmp_path / "s.db", readonly=True) as store:
        assert [a.text for a in store.articles()] == [records[0]["text"]]


def test_reposts_across_runs_point_at_the_earliest_copy(tmp_path):
    original = (EXAMPLES / "003_4bc889afb33c0e05.txt").read_text()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "original.txt").write_text(original)
    analyze([str(tmp_path / "a")], db=tmp_path / "s.db")
    blog = "My blog\n\nSome words of my own about the weather today.\n\n" + original.replace(
        "Feb 08, 2024 16:25 UTC", "Feb 10, 2024 09:00 UTC") + "\nPost a Comment\n"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "repost.txt").write_text(blog)
    result = analyze([str(tmp_path / "b")], db=tmp_path / "s.db")
    assert result.counts["duplicates"] == 1
    with Store(tmp_path / "s.db", readonly=True) as store:
        assert store.article("repost").flags.duplicate_of == "original"
        assert store.article("original").flags.duplicate_of is None


def write_bad_inputs(folder: Path) -> dict[str, Path]:
    """One file of each kind of bad input, next to good ones."""
    folder.mkdir()
    good = (EXAMPLES / "003_4bc889afb33c0e05.txt").read_text()
    paths = {
        "good": folder / "good.txt",
        "empty": folder / "empty.txt",
        "binary": folder / "image.txt",
        "huge": folder / "huge.txt",
        "invalid_utf8": folder / "invalid.txt",
        "cp1252": folder / "cp1252.txt",
        "jsonl": folder / "records.jsonl",
        "html": folder / "broken.html",
        "warc": folder / "truncated.warc.gz",
        "links": folder / "links.txt",
        "navigation": folder / "menu.html",
    }
    paths["good"].write_text(good)
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(bytes(range(256)) * 64)
    with paths["huge"].open("w") as handle:
        line = "This is a very long file that no article could ever be. " * 20 + "\n"
        for _ in range(60 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    paths["invalid_utf8"].write_bytes(
        b"A headline\n\nThe mayor said the bridge will reopen on Monday.\n"
        + b"\xff\xfe broken \xc3\x28 bytes here.\n")
    paths["cp1252"].write_bytes(
        "Council votes\n\nThe council\u2019s \u201cfinal\u201d vote came on Tuesday.\n".encode(
            "cp1252"))
    paths["jsonl"].write_text(
        json.dumps({"id": "r1", "text": "The first record is fine."}) + "\n"
        + '{"id": "r2", "text": "broken\n'
        + json.dumps({"id": "r3", "text": "The third record is fine too."}) + "\n")
    paths["html"].write_text("<html><head><title>Half a page</title><body><div><p>Only the "
                             "opening of a page that was cut off in the middle of a senten")
    payload = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5000\r\n\r\n" + b"x" * 3000
    paths["warc"].write_bytes(gzip.compress(payload)[:-40])
    paths["links"].write_text("https://example.org/a\nhttps://example.org/b\n")
    paths["navigation"].write_text("<html><body><nav><a href='/'>Home</a> <a href='/news'>News"
                                   "</a></nav></body></html>")
    return paths


def test_bad_input_never_aborts_and_each_problem_is_reported_once(tmp_path):
    paths = write_bad_inputs(tmp_path / "in")
    missing = tmp_path / "does-not-exist.txt"
    out = tmp_path / "out.json"
    result = analyze([str(tmp_path / "in"), str(missing)], db=tmp_path / "s.db", json_out=out)

    output = json.loads(out.read_text())
    ids = {d["id"] for d in output["documents"]}
    assert {"good", "cp1252", "invalid", "r1", "r3"} <= ids
    cp1252 = next(d for d in output["documents"] if d["id"] == "cp1252")
    assert "council\u2019s \u201cfinal\u201d vote" in cp1252["text"]

    def problems(name: str) -> list:
        return [e for e in result.errors if e.source.startswith(str(paths.get(name, missing)))]

    for name in ("empty", "binary", "huge", "warc"):
        assert len([e for e in problems(name) if e.level == "error"]) == 1, name
    assert len(problems("jsonl")) == 1 and "line 2" in problems("jsonl")[0].error
    assert len([e for e in result.errors if e.source == str(missing)]) == 1
    assert [e.error for e in problems("links")] == ["no article text in this text file"]
    assert [e.error for e in problems("navigation")] == ["no article text in this HTML page"]
    assert not {"links", "menu"} & ids
    assert problems("invalid_utf8") and problems("cp1252")  # kept, with a warning each

    json_sources = {e["source"] for e in output["errors"]}
    with Store(tmp_path / "s.db", readonly=True) as store:
        stored = {e["source"] for e in store.errors()}
    assert {e.source for e in result.errors} == json_sources == stored


WRITER = """
import sys
from storyline.pipeline import analyze, load
from storyline.settings import Settings
analyze([sys.argv[1]], db=sys.argv[2], settings=Settings(write_batch_size=4))
"""


@pytest.mark.slow
def test_run_killed_at_any_moment_leaves_a_consistent_store_and_rerun_completes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))]
    for i in range(60):
        (corpus / f"doc{i:03}.txt").write_text(f"Story number {i}\n\n{texts[i % 5]}\n"
                                               f"This copy carries the serial {i}.\n")
    db = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    rng = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(corpus), str(db)], env=env)
        time.sleep(rng.uniform(2.0, 6.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        connection = sqlite3.connect(db)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        created = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
        orphans = created and connection.execute(  # killed before the store existed: fine
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM sentences s WHERE s.doc_id = d.id)").fetchone()[0]
        connection.close()
        assert orphans == 0
    result = analyze([str(corpus)], db=db)
    with Store(db, readonly=True) as store:
        assert store.count() == 60
    assert result.counts["added"] + result.counts["unchanged"] == 60


def test_python_api_for_notebooks(tmp_path):
    import storyline

    result = storyline.analyze([str(EXAMPLES / "003_4bc889afb33c0e05.txt")], db=tmp_path / "n.db")
    assert result.counts["added"] == 1
    with storyline.Store(tmp_path / "n.db", readonly=True) as store:
        (article,) = list(store.articles())
        assert store.search("Ushakov")[0]["id"] == article.id
    assert article.published == "2024-02-08"
    assert article.event_date.value == "2024-02-08"
    assert any(t.value == "2024-02-08" for t in article.timexes)


def test_a_failing_annotation_stage_keeps_the_document_and_reports_it(tmp_path, monkeypatch):
    import storyline.pipeline as pipeline

    def broken(*args, **kwargs):
        raise ValueError("a bug in one stage")

    monkeypatch.setattr(pipeline, "extract_quotes", broken)  # a bug we plant, not the internet
    result = analyze([str(EXAMPLES / "003_4bc889afb33c0e05.txt")], db=tmp_path / "s.db")
    assert result.counts["added"] == 1
    assert [e.level for e in result.errors] == ["warning"]
    assert "a bug in one stage" in result.errors[0].error
