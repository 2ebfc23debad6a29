"""Tests for storyline.store: real SQLite files, real article text, real killed processes."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storyline.model import (
    Article,
    Edit,
    Entity,
    EventDate,
    EventRecord,
    Evidence,
    Flags,
    IngestError,
    Quote,
    Sentence,
    Speaker,
    Timex,
)
from storyline.store import MATCH_END, MATCH_START, Store, StoreError
from storyline.store.export import contract_object, export

FIXTURES = Path(__file__).parent / "fixtures" / "store"
SEED = (FIXTURES / "seed_article.txt").read_text(encoding="utf-8")
SRC = Path(__file__).resolve().parents[1] / "src"

CONTRACT_DOCUMENT_KEYS = {
    "id", "source", "title", "url", "outlet", "byline", "published", "language", "text",
    "flags", "timexes", "quotes", "entities", "event_id",
}


def seed_article(doc_id: str = "d1", source: str = "corpus/seed.txt", **overrides) -> Article:
    """The seed article, annotated the way the pipeline would: every field of the model set."""
    title, _, body = SEED.partition("\n")
    text = body.strip()
    sentences = [Sentence(m.start(), m.end()) for m in re.finditer(r"[^.!?]+[.!?]", text)]
    entities = [
        Entity(f"e{n}", name, type_, [(m.start(), m.end()) for m in re.finditer(name, text)])
        for n, (name, type_) in enumerate(
            [("Xi Jinping", "PERSON"), ("Vladimir Putin", "PERSON"), ("Russia", "GPE")]
        )
    ]
    date = text.index("June 15")
    call = text.index("phone call")
    quote = re.search(r"“[^”]+”", text)
    article = Article(
        id=doc_id,
        source=source,
        text=text,
        fingerprint="sha256-of-raw-input",
        title=title.strip(),
        url="https://example.org/xi-putin",
        outlet="example.org",
        byline="Staff",
        published="2022-06-16",
        language="en",
        input_format="text",
        flags=Flags(
            duplicate_of="d0", duplicate_kind="repost", duplicate_similarity=0.93,
            machine_translation=True, machine_translation_score=0.71,
            machine_translation_evidence=[{"rule": "odd verb form", "text": "reconfirmation"}],
        ),
        evidence={
            "title": Evidence("Xi and Putin", "first line", "Xi and Putin agree", 0.9),
            "published": Evidence("2022-06-16", "input field"),
        },
        edits=[Edit("read-also", "removed", "Read Also: ...", 10, 24),
               Edit("title-line", "moved", title, 0, len(title), field="title")],
        sentences=sentences,
        entities=entities,
        timexes=[Timex(date, date + 7, "June 15", "DATE", "2022-06-15", anchor="dct",
                       confidence=0.8)],
        event_date=EventDate("2022-06-15", 0.8, "explicit date", date, date + 7, "June 15"),
        quotes=[Quote(quote.start(), quote.end(), quote.group(), direct=True, cue="said",
                      speaker=Speaker(0, 2, name="Xi", entity_id="e0"))],
        records=[EventRecord("d1", "CONSULT", "phone call", call, call + 10,
                             (sentences[0].start, sentences[0].end), mode="phone call",
                             actor="Xi Jinping", target="Vladimir Putin", date="2022-06-15")],
        event_id=None,
    )
    for name, value in overrides.items():
        setattr(article, name, value)
    return article


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "sentences", "entities", "mentions", "annotations",
                          "minhashes")
        }


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "storyline.db") as opened:
        yield opened


def test_article_survives_write_and_read_exactly(store: Store) -> None:
    article = seed_article()
    run = store.begin_run(["corpus/"])
    store.write_articles(run, [article], minhashes={"d1": b"\x00\xffsig"})

    assert store.article("d1") == article
    assert list(store.articles()) == [article]
    assert store.article("missing") is None
    assert list(store.minhashes()) == [("d1", b"\x00\xffsig")]
    assert store.known_fingerprints() == {"corpus/seed.txt": "sha256-of-raw-input"}
    assert store.existing_ids() == {"d1"}


def test_store_reopens_with_the_same_content(tmp_path: Path) -> None:
    path = tmp_path / "storyline.db"
    with Store(path) as first:
        first.write_articles(first.begin_run([]), [seed_article()])
    with Store(path) as again:
        assert again.article("d1") == seed_article()
        assert again._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_rewriting_a_source_replaces_all_its_rows(store: Store) -> None:
    run = store.begin_run([])
    store.write_articles(run, [seed_article()], minhashes={"d1": b"old"})
    before = table_counts(store.path)

    changed = seed_article(text="Kremlin readout of a call. Nothing else.",
                           sentences=[Sentence(0, 26)], entities=[], timexes=[], quotes=[],
                           records=[], event_date=None)
    store.write_articles(run, [changed])
    after = table_counts(store.path)

    assert before["sentences"] > 1 and before["mentions"] > 1
    assert after == {"documents": 1, "sentences": 1, "entities": 0, "mentions": 0,
                     "annotations": 0, "minhashes": 0}
    assert store.article("d1") == changed
    assert [hit["id"] for hit in store.search("readout")] == ["d1"]
    assert store.search("Jinping") == []


def test_rewriting_a_source_under_a_new_id_drops_the_old_id(store: Store) -> None:
    run = store.begin_run([])
    store.write_articles(run, [seed_article("old-id")])
    store.write_articles(run, [seed_article("new-id")])
    assert store.existing_ids() == {"new-id"}
    assert table_counts(store.path)["sentences"] == len(seed_article().sentences)


def test_readonly_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "storyline.db"
    with Store(path) as writer:
        writer.write_articles(writer.begin_run([]), [seed_article()])
    with Store(path, readonly=True) as reader:
        assert reader.article("d1") == seed_article()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.write_articles(1, [seed_article("d2", "other.txt")])
        with pytest.raises(sqlite3.OperationalError):
            reader.begin_run([])
        assert reader.count() == 1


def test_readonly_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    with pytest.raises(FileNotFoundError, match="nowhere.db"):
        Store(path, readonly=True)
    assert not path.exists()


def test_store_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        Store(tmp_path / "no-such-folder" / "storyline.db")


def test_readonly_reader_sees_what_a_live_writer_commits(tmp_path: Path) -> None:
    path = tmp_path / "storyline.db"
    with Store(path) as writer:
        run = writer.begin_run([])
        writer.write_articles(run, [seed_article()])
        with Store(path, readonly=True) as reader:
            assert reader.count() == 1
            writer.write_articles(run, [seed_article("d2", "other.txt")])
            assert reader.count() == 2
            assert reader.article("d2") == seed_article("d2", "other.txt")


def test_store_of_a_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        Store(path)
    with pytest.raises(StoreError, match="newer"):
        Store(path, readonly=True)


def test_other_files_are_not_taken_for_a_store(tmp_path: Path) -> None:
    other_db = tmp_path / "other.db"
    with sqlite3.connect(other_db) as db:
        db.execute("CREATE TABLE documents (x)")
    with pytest.raises(StoreError, match="not a storyline store"):
        Store(other_db)
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database at all, just text " * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(text_file)


def test_search_finds_an_article_by_a_word_of_its_text(store: Store) -> None:
    run = store.begin_run([])
    other = seed_article("d2", "corpus/other.txt", title="Weather", text="Rain in Oslo today.",
                         sentences=[], entities=[], timexes=[], quotes=[])
    store.write_articles(run, [seed_article(), other])

    hits = store.search("Kremlin")
    assert [hit["id"] for hit in hits] == ["d1"]
    assert set(hits[0]) == {"id", "title", "snippet", "rank"}
    assert f"{MATCH_START}Kremlin{MATCH_END}" in hits[0]["snippet"]
    assert [hit["id"] for hit in store.search("oslo")] == ["d2"]
    assert [hit["id"] for hit in store.search("Russia’s")] == ["d1"]


@pytest.mark.parametrize(
    "query", ['"', "AND (", "*", "-x", "NEAR(", "title:", "x OR", "^", "'", "Putin's", "", "  "]
)
def test_odd_search_queries_do_not_raise(store: Store, query: str) -> None:
    store.write_articles(store.begin_run([]), [seed_article()])
    assert isinstance(store.search(query), list)


WRITER = """
import re, sys
from storyline.model import Article, Entity, Sentence, Timex
from storyline.store import Store

path, total, batch, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
text = open(seed, encoding="utf-8").read()

def article(n):
    body = f"{text} Article {n}."
    sentences = [Sentence(m.start(), m.end()) for m in re.finditer(r"[^.]+[.]", body)]
    entities = [Entity(f"e{k}", "Putin", "PERSON", [(k, k + 5)] * 5) for k in range(20)]
    timexes = [Timex(k, k + 4, body[k:k + 4], "DATE", "2022") for k in range(10)]
    return Article(id=f"doc{n:05d}", source=f"corpus/{n}.txt", text=body, fingerprint=str(n),
                   sentences=sentences, entities=entities, timexes=timexes)

with Store(path) as store:
    done = store.existing_ids()
    run = store.begin_run([path])
    print("ready", flush=True)
    for first in range(0, total, batch):
        numbers = [n for n in range(first, first + batch) if f"doc{n:05d}" not in done]
        if numbers:
            store.write_articles(run, [article(n) for n in numbers],
                                 {f"doc{n:05d}": bytes(64) for n in numbers})
    store.finish_run(run, {"documents": total})
"""


def run_writer(path: Path, total: int, batch: int, kill_after: float | None) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    args = [sys.executable, "-c", WRITER, str(path), str(total), str(batch),
            str(FIXTURES / "seed_article.txt")]
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True) as writer:
        assert writer.stdout.readline().strip() == "ready"
        if kill_after is None:
            assert writer.wait(timeout=60) == 0
            return
        try:
            writer.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            writer.send_signal(signal.SIGKILL)
            writer.wait()


def assert_consistent(path: Path, batch: int) -> int:
    """The store passes SQLite's checks and holds only whole documents and whole batches."""
    incomplete = """
        SELECT count(*) FROM documents AS d
        WHERE (SELECT count(*) FROM sentences WHERE doc_id = d.id)
                  != length(d.text) - length(replace(d.text, '.', ''))
           OR (SELECT count(*) FROM entities WHERE doc_id = d.id) != 20
           OR (SELECT count(*) FROM mentions WHERE doc_id = d.id) != 100
           OR (SELECT count(*) FROM annotations WHERE doc_id = d.id) != 10
           OR NOT EXISTS (SELECT 1 FROM minhashes WHERE doc_id = d.id)
    """
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
        assert db.execute(incomplete).fetchone()[0] == 0
    with Store(path, readonly=True) as store:
        count = store.count()
        assert count % batch == 0
        assert len(store.search("Kremlin", limit=count + 1)) == count
        return count


@pytest.mark.slow
def test_killed_writer_leaves_a_consistent_store_and_a_rerun_completes(tmp_path: Path) -> None:
    total, batch = 600, 12
    rng = random.Random(20220615)
    killed_midway = 0
    for attempt in range(5):
        path = tmp_path / f"killed-{attempt}.db"
        Store(path).close()
        run_writer(path, total, batch, kill_after=rng.uniform(0.05, 0.5))
        written = assert_consistent(path, batch)
        killed_midway += 0 < written < total

        run_writer(path, total, batch, kill_after=None)
        assert assert_consistent(path, batch) == total
    assert killed_midway >= 2, "the writer finished too fast for the kills to land mid-run"


def test_errors_are_logged_per_run_and_listed_once_per_source(store: Store) -> None:
    first = store.begin_run(["in/"])
    store.record_errors(first, [IngestError("in/empty.txt", "empty file"),
                                IngestError("in/bad.json", "line 3: invalid JSON")])
    store.finish_run(first, {"documents": 0, "errors": 2}, status="finished")
    second = store.begin_run(["in/"])
    store.record_errors(second, [IngestError("in/empty.txt", "empty file")])

    assert store.errors(second) == [
        {"source": "in/empty.txt", "level": "error", "error": "empty file", "run_id": second}
    ]
    assert len(store.errors()) == 3
    assert contract_object(store)["errors"] == [
        {"source": "in/bad.json", "error": "line 3: invalid JSON", "level": "error"},
        {"source": "in/empty.txt", "error": "empty file", "level": "error"},
    ]
    assert store.summary()["errors"] == 2
    with sqlite3.connect(store.path) as db:
        status, counts = db.execute("SELECT status, counts FROM runs WHERE id = ?",
                                    (first,)).fetchone()
    assert (status, json.loads(counts)) == ("finished", {"documents": 0, "errors": 2})


def test_flags_and_event_ids_are_updated_in_place(store: Store) -> None:
    store.write_articles(store.begin_run([]), [seed_article(), seed_article("d2", "b.txt")])
    store.update_flags({"d2": Flags(duplicate_of="d1", duplicate_kind="exact")})
    store.set_event_ids({"d1": "ev1", "d2": "ev1"})

    assert store.article("d2").flags == Flags(duplicate_of="d1", duplicate_kind="exact")
    assert store.article("d1").flags == seed_article().flags
    assert [a.event_id for a in store.articles()] == ["ev1", "ev1"]
    assert sorted(hit["id"] for hit in store.search("Kremlin")) == ["d1", "d2"]


def test_set_duplicates_makes_the_complete_set_of_reposts(store: Store) -> None:
    articles = [seed_article(f"d{n}", f"s{n}.txt", flags=Flags(), published=f"2022-06-1{n}")
                for n in range(3)]
    store.write_articles(store.begin_run([]), articles)
    store.set_duplicates({"d1": ("d0", "near", 0.93), "d2": ("d0", "exact", 1.0)})
    store.set_duplicates({"d2": ("d1", "near", 0.875)})

    flags = {a.id: a.flags for a in store.articles()}
    assert flags["d0"] == flags["d1"] == Flags()
    assert flags["d2"] == Flags(duplicate_of="d1", duplicate_kind="near",
                                duplicate_similarity=0.875)
    assert store.summary()["duplicates"] == 1
    assert store.ids_by_source() == {"s0.txt": "d0", "s1.txt": "d1", "s2.txt": "d2"}
    assert store.published_dates() == {"d0": "2022-06-10", "d1": "2022-06-11",
                                       "d2": "2022-06-12"}


def test_articles_stream_in_id_order_and_allow_writes_between_batches(store: Store) -> None:
    run = store.begin_run([])
    store.write_articles(run, [seed_article(f"d{n}", f"s{n}.txt") for n in (3, 1, 5, 2, 4)])
    seen = []
    for article in store.articles(batch_size=2):
        seen.append(article.id)
        store.set_event_ids({article.id: "ev"})
    assert seen == ["d1", "d2", "d3", "d4", "d5"]
    assert {a.event_id for a in store.articles(batch_size=3)} == {"ev"}


def summary_corpus(store: Store) -> None:
    run = store.begin_run([])
    store.write_articles(run, [
        seed_article("a", "a.txt", outlet="tass.ru", published="2022-06-15T10:00:00+03:00"),
        seed_article("b", "b.txt", outlet="tass.ru", published="2022-06-16", flags=Flags()),
        seed_article("c", "c.txt", outlet=None, language="es", published="2024-02"),
        seed_article("d", "d.txt", outlet="globaltimes.cn", published=None, flags=Flags()),
    ])
    store.record_errors(run, [IngestError("broken.warc.gz", "truncated gzip")])


def test_summary_counts_by_outlet_language_and_month(store: Store) -> None:
    summary_corpus(store)
    assert store.summary() == {
        "documents": 4,
        "duplicates": 2,
        "errors": 1,
        "by_outlet": {"tass.ru": 2, "globaltimes.cn": 1, "unknown": 1},
        "by_language": {"en": 3, "es": 1},
        "by_month": {"2022-06": 2, "2024-02": 1, "unknown": 1},
    }


def test_export_json_is_the_contract_object(store: Store, tmp_path: Path) -> None:
    summary_corpus(store)
    store.write_events([{"id": "ev1", "title": "Call", "documents": ["a", "b"]}],
                       [{"id": "st1", "title": "Ties", "events": ["ev1"]}])
    out = tmp_path / "out.json"
    assert export(store, out, "json") == 4

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == contract_object(store)
    assert set(data) >= {"documents", "events", "stories", "errors"}
    assert [doc["id"] for doc in data["documents"]] == ["a", "b", "c", "d"]
    assert all(set(doc) >= CONTRACT_DOCUMENT_KEYS for doc in data["documents"])
    assert data["documents"][0]["entities"][0]["mentions"][0] == list(
        seed_article().entities[0].mentions[0])
    assert data["events"] == [{"id": "ev1", "title": "Call", "documents": ["a", "b"]}]
    assert data["stories"][0]["events"] == ["ev1"]
    assert data["errors"] == [
        {"source": "broken.warc.gz", "error": "truncated gzip", "level": "error"}]


def test_export_of_an_empty_store_is_valid(store: Store, tmp_path: Path) -> None:
    for fmt in ("json", "jsonl", "parquet"):
        assert export(store, tmp_path / f"empty.{fmt}", fmt) == 0
    assert json.loads((tmp_path / "empty.json").read_text()) == {
        "documents": [], "events": [], "stories": [], "outlets": [], "errors": []}
    assert (tmp_path / "empty.jsonl").read_text() == ""
    assert pq.read_table(tmp_path / "empty.parquet").num_rows == 0


def test_export_jsonl_has_one_contract_document_per_line(store: Store, tmp_path: Path) -> None:
    summary_corpus(store)
    out = tmp_path / "out.jsonl"
    assert export(store, out, "jsonl") == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == contract_object(store)["documents"]


def test_export_parquet_reads_back_with_nested_fields_as_json(store: Store,
                                                              tmp_path: Path) -> None:
    summary_corpus(store)
    out = tmp_path / "out.parquet"
    assert export(store, out, "parquet") == 4

    rows = pq.read_table(out).to_pylist()
    documents = contract_object(store)["documents"]
    assert set(rows[0]) >= CONTRACT_DOCUMENT_KEYS
    assert [row["id"] for row in rows] == ["a", "b", "c", "d"]
    for row, doc in zip(rows, documents, strict=True):
        assert row["text"] == doc["text"] and row["published"] == doc["published"]
        for nested in ("flags", "entities", "timexes", "quotes"):
            assert json.loads(row[nested]) == doc[nested]


def test_export_replaces_the_target_and_leaves_no_temporary_file(store: Store,
                                                                 tmp_path: Path) -> None:
    summary_corpus(store)
    out = tmp_path / "out.jsonl"
    out.write_text("an older export\n")
    export(store, out, "jsonl")
    assert len(out.read_text().splitlines()) == 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(ValueError, match="csv"):
        export(store, out, "csv")
    assert len(out.read_text().splitlines()) == 4
