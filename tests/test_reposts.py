"""Reposts and near-duplicates: exact, near and partial copies, the earliest-copy rule, and
articles about the same event that are not copies."""

import itertools
import random
import re
import sqlite3
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from storyline.clean.reposts import (
    NEAR_JACCARD,
    NUM_PERM,
    SEED,
    WINDOW,
    Copy,
    RepostIndex,
    _parse,
    _WindowSketcher,
    fingerprint_text,
)

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def _resolve(*docs: tuple[str, str, str | None]) -> dict[str, Copy]:
    index = RepostIndex()
    for doc_id, text, published in docs:
        index.add(doc_id, fingerprint_text(text), published)
    return index.resolve()


def _hard_wrap(text: str, width: int = 72) -> str:
    return "\n".join(textwrap.fill(p, width) for p in text.split("\n") if p.strip())


def _blog_page(*posts: str) -> str:
    header = ("Noticias del Mundo\nInicio | Política | Economía | Contacto\n"
              "Entrada más reciente Entrada antigua Página principal\n")
    footer = "No hay comentarios:\nPublicar un comentario\nSuscribirse a: Enviar comentarios (Atom)"
    separator = "\n\nPosted by admin at 10:42 | Share this\n\n"
    return header + separator.join(posts) + "\n\n" + footer


def test_exact_copy_points_at_the_earlier_document():
    text = _read("seed_003.txt")
    copies = _resolve(("gt", text, "2024-02-08"),
                      ("mirror", _hard_wrap(text.upper()), "2024-02-09"))
    assert copies == {"mirror": Copy("mirror", "gt", "exact", 1.0)}


def test_near_copy_with_reflowed_lines_edits_and_boilerplate():
    original = _read("seed_003.txt")
    edited = (original.replace("Chinese President Xi Jinping", "China's President Xi Jinping")
              .replace("firmly stand up", "firmly stand")
              .replace("highly critical", "very critical")
              .replace("Separately,", "Meanwhile,"))
    repost = ("Share this article\nRead Also: Xi and Putin discuss Ukraine\n\n"
              + _hard_wrap(edited) + "\n\nPost a Comment\nPrevious Post Next Post")
    copies = _resolve(("first", original, "2024-02-08T16:25:52+00:00"),
                      ("repost", repost, "2024-02-10"))
    assert set(copies) == {"repost"}
    assert copies["repost"].duplicate_of == "first"
    assert copies["repost"].kind == "near"
    assert NEAR_JACCARD <= copies["repost"].similarity < 1.0


def test_article_embedded_in_a_longer_blog_page_is_a_partial_repost():
    article = _read("seed_003.txt")
    page = _blog_page(_read("wire_ap_style.txt"), _read("seed_002.txt"), _hard_wrap(article),
                      _read("wire_reuters_style.txt"))
    assert len(fingerprint_text(page)) > 3 * len(fingerprint_text(article))  # Jaccard < 1/3
    copies = _resolve(("article", article, "2024-02-08"), ("blog", page, "2024-02-12"))
    assert set(copies) == {"blog"}
    assert copies["blog"].duplicate_of == "article"
    assert copies["blog"].kind == "contained"
    assert copies["blog"].similarity >= 0.8


def test_article_lifted_later_out_of_an_earlier_page_is_the_copy():
    article = _read("seed_003.txt")
    page = _blog_page(_read("wire_ap_style.txt"), article)
    copies = _resolve(("page", page, "2024-02-08"), ("excerpt", article, "2024-03-01"))
    assert copies == {"excerpt": Copy("excerpt", "page", "contained", copies["excerpt"].similarity)}


def test_page_with_two_articles_does_not_make_them_copies_of_each_other():
    first, second = _read("seed_003.txt"), _read("wire_ap_style.txt")
    page = _blog_page(first, second)
    copies = _resolve(("first", first, "2024-02-08"), ("page", page, "2024-02-09"),
                      ("second", second, "2024-02-10"))
    assert copies["page"].duplicate_of == "first"
    assert copies["second"].duplicate_of == "page"  # lifted from the page, not from `first`
    assert "first" not in copies


def test_duplicate_of_is_the_earliest_copy_dated_before_undated_ties_by_id():
    text = _read("seed_002.txt")
    copies = _resolve(("c-undated", text, None), ("b-late", text, "2025-05-12"),
                      ("z-early", text, "2025-05-10"), ("a-early", text, "2025-05-10T00:00:00"),
                      ("garbled-date", text, "sometime in May"))
    assert {doc: c.duplicate_of for doc, c in copies.items()} == {
        "c-undated": "a-early", "b-late": "a-early", "z-early": "a-early",
        "garbled-date": "a-early"}


def test_undated_copies_order_by_id():
    text = _read("seed_002.txt")
    copies = _resolve(("doc-b", text, None), ("doc-a", text, None))
    assert copies == {"doc-b": Copy("doc-b", "doc-a", "exact", 1.0)}


def test_copy_of_a_copy_points_at_the_original():
    original = _read("seed_003.txt")
    near = original.replace("Separately,", "Meanwhile,").replace("too,", "also")
    page = _blog_page(_read("wire_reuters_style.txt"), _hard_wrap(near))
    copies = _resolve(("page", page, "2024-02-20"), ("near", near, "2024-02-09"),
                      ("original", original, "2024-02-08"), ("mirror", near, "2024-02-11"))
    assert {doc: c.duplicate_of for doc, c in copies.items()} == {
        "near": "original", "mirror": "original", "page": "original"}
    assert copies["near"].kind == "near"
    assert copies["mirror"].kind == "near"
    assert copies["page"].kind == "contained"


def test_near_copies_chain_into_one_group_with_the_earliest_original():
    words = _read("seed_004.txt").split()
    drift = [" ".join(words)]
    for step in range(1, 4):  # each version edits a different stretch of the last one
        changed = list(words)
        for position in range(step * 150, step * 150 + 40, 4):
            changed[position] = "changed"
        words = changed
        drift.append(" ".join(words))
    copies = _resolve(*[(f"v{n}", text, f"2022-06-{16 + n}") for n, text in enumerate(drift)])
    assert {doc: c.duplicate_of for doc, c in copies.items()} == {
        "v1": "v0", "v2": "v0", "v3": "v0"}


def test_articles_on_the_same_event_by_different_outlets_are_not_copies():
    # 000, 001 and 004 report the same phone call and share quotes, in different sentences.
    docs = [(name, _read(f"{name}.txt"), "2022-06-16")
            for name in ("seed_000", "seed_001", "seed_002", "seed_003", "seed_004")]
    docs += [("reuters", _read("wire_reuters_style.txt"), None),
             ("ap", _read("wire_ap_style.txt"), None)]
    assert _resolve(*docs) == {}


def test_shared_quotes_alone_do_not_make_a_copy():
    quote = re.search(r"“China is ready to work with Russia.*?” Xi said\.",
                      _read("seed_000.txt")).group()
    first = _read("wire_ap_style.txt") + "\n\n" + quote
    second = _read("wire_reuters_style.txt") + "\n\n" + quote
    assert _resolve(("a", first, "2022-06-15"), ("b", second, "2022-06-16")) == {}


def test_site_furniture_shared_by_many_pages_is_not_a_repost():
    footer = _read("wire_reuters_style.txt")  # a long block repeated on every page of a site
    rng = random.Random(3)
    vocabulary = sorted(set(re.findall(r"\w+", _read("seed_004.txt").lower())))
    pages = [(f"page{n}", " ".join(rng.choices(vocabulary, k=220)) + "\n\n" + footer, None)
             for n in range(120)]
    assert _resolve(*pages) == {}


def test_short_texts_are_only_matched_exactly():
    short = "Xi and Putin spoke by phone on Wednesday, state media said."
    copies = _resolve(("a", short, "2022-06-15"), ("b", short.lower(), "2022-06-16"),
                      ("page", _read("seed_001.txt") + "\n" + short, "2022-06-17"))
    assert copies == {"b": Copy("b", "a", "exact", 1.0)}


def test_fingerprint_survives_a_round_trip_through_sqlite(tmp_path):
    texts = {"original": _read("seed_003.txt"),
             "repost": _blog_page(_hard_wrap(_read("seed_003.txt")), _read("wire_ap_style.txt"))}
    database = tmp_path / "store.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE docs (id TEXT PRIMARY KEY, published TEXT, fp BLOB)")
        connection.executemany(
            "INSERT INTO docs VALUES (?, ?, ?)",
            [("original", "2024-02-08", fingerprint_text(texts["original"])),
             ("repost", "2024-02-09", fingerprint_text(texts["repost"]))])
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, published, fp FROM docs ORDER BY id").fetchall()
    for doc_id, _, blob in rows:
        assert isinstance(blob, bytes) and blob == fingerprint_text(texts[doc_id])
    index = RepostIndex()
    for doc_id, published, blob in rows:
        index.add(doc_id, blob, published)
    assert index.resolve()["repost"].duplicate_of == "original"


def test_fingerprint_is_compact_and_stable():
    text = _read("seed_000.txt")
    blob = fingerprint_text(text)
    assert blob == fingerprint_text(text.replace("\n\n", "\n").upper())
    assert len(blob) < len(text.encode("utf-8")) / 4


def test_new_index_over_stored_fingerprints_finds_a_copy_added_later():
    stored = {name: fingerprint_text(_read(f"{name}.txt"))
              for name in ("seed_000", "seed_001", "seed_004")}
    first_run = RepostIndex()
    for name, blob in stored.items():
        first_run.add(name, blob, "2022-06-16")
    assert first_run.resolve() == {}

    second_run = RepostIndex()
    for name, blob in stored.items():
        second_run.add(name, blob, "2022-06-16")
    repost = _blog_page(_hard_wrap(_read("seed_001.txt")), _read("wire_ap_style.txt"))
    second_run.add("blog-2022-06-20", fingerprint_text(repost), "2022-06-20")
    copies = second_run.resolve()
    assert set(copies) == {"blog-2022-06-20"}
    assert copies["blog-2022-06-20"].duplicate_of == "seed_001"


def test_window_sketch_equals_datasketch_minhash():
    kept = _parse(fingerprint_text(_read("seed_004.txt"))).kept
    windows = _WindowSketcher().sketch(kept)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32", hashfunc=int)
    minhash.update_batch(kept[:WINDOW].tolist())
    assert np.array_equal(windows[0].hashvalues, minhash.hashvalues)


def test_adding_an_id_twice_or_a_foreign_blob_is_an_error():
    index = RepostIndex()
    index.add("a", fingerprint_text("some text"), None)
    with pytest.raises(ValueError):
        index.add("a", fingerprint_text("other text"), None)
    with pytest.raises(ValueError):
        index.add("b", b"not a fingerprint at all, just bytes", None)


def test_empty_and_punctuation_only_texts_are_exact_copies_of_each_other():
    copies = _resolve(("a", "", None), ("b", " ... \n", None))
    assert copies == {"b": Copy("b", "a", "exact", 1.0)}


def _synthetic_corpus(count: int, copies: int) -> list[str]:
    """Articles of about 3,000 characters from a Zipf-distributed vocabulary, and copies."""
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(20_000)]
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary))))
    texts = []
    for _ in range(count):
        words = rng.choices(vocabulary, cum_weights=weights, k=480)
        texts.append("\n\n".join(" ".join(words[i:i + 48]) + "." for i in range(0, 480, 48)))
    texts += [texts[rng.randrange(count)].replace("\n\n", "\n").upper() for _ in range(copies)]
    return texts


def _time_corpus(count: int) -> tuple[float, dict[str, Copy]]:
    texts = _synthetic_corpus(count, count // 20)
    started = time.perf_counter()
    index = RepostIndex()
    for number, text in enumerate(texts):
        index.add(f"doc{number:06d}", fingerprint_text(text), None)
    copies = index.resolve()
    return time.perf_counter() - started, copies


def test_thousand_articles_fingerprint_index_and_resolve_quickly():
    seconds, copies = _time_corpus(1_000)
    assert len(copies) == 50
    assert all(c.kind == "exact" for c in copies.values())
    assert seconds < 15  # about 2 s on one core of the shared test machine


@pytest.mark.slow
def test_ten_thousand_articles_well_under_a_minute():
    seconds, copies = _time_corpus(10_000)
    print(f"\nreposts: fingerprint + add + resolve of 10,500 articles: {seconds:.1f} s")
    assert len(copies) == 500
    assert seconds < 60
