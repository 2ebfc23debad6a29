"""Cleaning of plain-text articles, pinned on the real sample articles in examples/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyline.clean import clean_record, normalise_date
from storyline.clean.plaintext import (
    clean_plain_text,
    is_boilerplate,
    outlet_for_url,
    parse_date_line,
)
from storyline.model import RawRecord

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"
SEEDS = {p.name[:3]: p for p in sorted(EXAMPLES.glob("*.txt"))}


def raw(seed: str) -> str:
    return SEEDS[seed].read_text(encoding="utf-8")


def cleaned(seed: str):
    return clean_plain_text(raw(seed))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("seed, title", [
    ("000", "Xi and Putin agree on “strategic coordination” between China and Russia"),
    ("001", "President Xi Jinping Reassures Putin, China Will Continue to Support Russia"),
    ("002", None),  # starts straight with running text: no headline to take
    ("003", "China, Russia should pursue ‘close strategic coordination’: Xi to Putin"),
    ("004", "Xi, Putin hold phone call, vow mutual support amid global turbulence"),
])
def test_title_is_the_headline_line(seed, title):
    assert cleaned(seed).title == title


def test_repeated_title_lines_and_bullet_echoes_are_removed():
    for seed in ("001", "003"):
        result = cleaned(seed)
        assert result.title not in result.text
        assert any(e.rule == "title-echo" for e in result.edits)


def test_global_times_repost_metadata_and_reflow():
    result = cleaned("004")
    assert result.evidence["outlet"].value == "Global Times"
    assert result.evidence["published"].value == "2022-06-16"
    assert result.byline == "Yang Sheng, Wan Hengyi and Cui Fandi"
    assert result.url == "https://www.globaltimes.cn/page/202206/1268239.shtml"
    assert "\n" not in result.text.replace("\n\n", "")  # no hard wraps left
    assert "Chinese President Xi Jinping on Wednesday afternoon held a phone conversation" in (
        result.text)
    assert any(e.action == "reflowed" for e in result.edits)


def test_dateline_with_gmt_timestamp_gives_the_publication_date():
    evidence = cleaned("003").evidence["published"]
    assert evidence.value == "2024-02-08"
    assert evidence.confidence >= 0.85  # two date lines agree


def test_author_bio_names_byline_and_outlet_and_leaves_the_body():
    result = cleaned("000")
    assert result.byline == "Andrew Thornebrooke"
    assert result.evidence["outlet"].value == "The Epoch Times"
    assert "is a reporter for" not in result.text
    assert "Andrew Thornbrook" not in result.text  # the signature line above the bio
    assert result.text.endswith("offers one possible interpretation.")


def test_site_boilerplate_is_removed():
    text_001, text_004 = cleaned("001").text, cleaned("004").text
    for phrase in ("Read Also", "Post a Comment", "Previous Post Next Post"):
        assert phrase not in text_001
    for phrase in ("No hay comentarios", "Publicar un comentario"):
        assert phrase not in text_004


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_body_sentence_survives_cleaning(seed):
    source = raw(seed)
    result = clean_plain_text(source)
    moved = [(e.start, e.end) for e in result.edits if e.action != "reflowed"]
    body = squash(result.text)
    for match in re.finditer(r"[^\n]+", source):
        if any(s <= match.start() < e for s, e in moved):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", match.group()):
            assert squash(sentence) in body, sentence


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_edit_points_at_the_raw_text(seed):
    source = raw(seed)
    for edit in clean_plain_text(source).edits:
        assert source[edit.start:edit.end] == edit.text


def test_no_date_is_invented():
    for seed in ("000", "001", "002"):
        assert "published" not in cleaned(seed).evidence


@pytest.mark.parametrize("line, expected", [
    ("Published: Jun 16, 2022", "2022-06-16"),
    ("(last modified Thu, 08 Feb 2024 16:25:52 GMT )", "2024-02-08"),
    ("Feb 08, 2024 16:25 UTC", "2024-02-08"),
    ("Updated on 3 March 2021", "2021-03-03"),
    ("The summit in 2022 was the first since the war began in earnest.", None),
])
def test_date_lines(line, expected):
    parsed = parse_date_line(line)
    assert (parsed[0].date().isoformat() if parsed else None) == expected


def test_outlet_table_matches_subdomains_and_ignores_unknown_hosts():
    assert outlet_for_url("https://www.globaltimes.cn/page/1.shtml") == "Global Times"
    assert outlet_for_url("https://edition.cnn.com/x") == "CNN"
    assert outlet_for_url("https://someblog.example.org/post") is None


def test_boilerplate_phrases_need_the_whole_line_or_a_short_prefix():
    assert is_boilerplate("Read Also: Something Else Entirely")
    assert is_boilerplate("  Post a Comment ")
    assert not is_boilerplate("Share prices fell sharply on Monday after the announcement.")


def test_byline_over_several_lines_and_by_prefix_in_running_text():
    text = ("Storm hits coast\nBy Jane Doe and\nJohn Roe\n"
            "By the time the storm hit, towns were empty.\n")
    result = clean_plain_text(text)
    assert result.byline == "Jane Doe and John Roe"
    assert "By the time the storm hit" in result.text


def test_json_records_are_kept_verbatim():
    text = "  Line one.\nLine two  \n\nRead Also: kept as given"
    record = RawRecord(source="x.jsonl#a1", text=text, id="a1", verbatim=True,
                       input_format="json", published="2016-09-12T08:00:00Z")
    article = clean_record(record, "a1")
    assert article.text == text and article.id == "a1"
    assert article.published == "2016-09-12"
    assert article.edits == []


def test_seed_articles_get_language_and_translation_flags():
    articles = {
        seed: clean_record(RawRecord(source=str(path), text=path.read_text("utf-8")), seed)
        for seed, path in SEEDS.items()
    }
    assert {a.language for a in articles.values()} == {"en"}
    assert articles["000"].flags.machine_translation
    assert not articles["003"].flags.machine_translation
    assert articles["004"].outlet == "Global Times"
    assert articles["000"].outlet == "The Epoch Times"


@pytest.mark.parametrize("given, iso", [
    ("2022-06-16", "2022-06-16"), ("2024-02-08T16:25:52Z", "2024-02-08"),
    ("Jun 16, 2022", "2022-06-16"), ("not a date", None),
])
def test_declared_dates_are_normalised(given, iso):
    assert normalise_date(given) == iso
