"""Cleaning of plain-text articles, pinned on the real sample articles in examples/."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.clean import NoArticleText, clean_record, normalise_date
from storyline.clean.plaintext import (
    clean_plain_text,
    ends_sentence,
    is_boilerplate,
    looks_like_headline,
    outlet_for_url,
    parse_date_line,
)
from storyline.ingest import discover, read_input
from storyline.model import IngestError, RawRecord

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


def clean_file(path: Path):
    """The article cleaned from a real file, read as `storyline analyze` reads it."""
    [item] = discover([str(path)])
    [record] = [r for r in read_input(item) if not isinstance(r, IngestError)]
    return clean_record(record, path.stem)


AP_LEAD = ("KYIV, Ukraine (AP) — Russian missiles struck an energy facility in western Ukraine "
           "on Thursday, killing two workers and cutting power to thousands of homes, "
           "officials said.")


def test_a_lead_sentence_with_a_dateline_stays_in_the_text(tmp_path):
    path = tmp_path / "ap.txt"
    path.write_text(f"{AP_LEAD}\n\nThe regional governor said crews were still searching.\n",
                    encoding="utf-8")
    article = clean_file(path)
    assert article.title is None
    assert article.text.startswith("KYIV, Ukraine (AP) — Russian missiles struck")
    assert "on Thursday" in article.text
    assert not any(e.rule == "title-line" for e in article.edits)


@pytest.mark.parametrize("line", [
    AP_LEAD,
    "WASHINGTON (AP) — The Senate passed the bill.",  # short, but opens with a dateline
    "STOCKHOLM, Jan 9 (Reuters) - Shipping companies warned of delays.",
    "Officials in Hamburg said on Monday that the new airport will open in October.",
])
def test_full_sentences_are_not_headlines(line):
    assert not looks_like_headline(line)


@pytest.mark.parametrize("line", [
    "Xi, Putin hold phone call, vow mutual support amid global turbulence",
    "Fatal hunting accident occurs in Frederick County, Md.",  # abbreviation, not a full stop
    "Biden lands in the U.S.",
    "Airport opens.",  # short, no dateline: a headline with a stray full stop
    "Is the bridge safe?",
    "# The council met on Monday and voted to close the old bridge for good.",  # marked up
])
def test_headlines_stay_headlines(line):
    assert looks_like_headline(line)


@pytest.mark.parametrize("text, ends", [
    ("Officials said.", True), ("He said “never.”", True), ("in the U.S.", False),
    ("Gen.", False), ("Wait...", False), ("No stop", False), ("Plan B.", False),
])
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


def test_a_file_of_one_sentence_keeps_it_as_text(tmp_path):
    path = tmp_path / "story.txt"
    sentence = "Police in Shelbyville arrested two men on Friday after a robbery at a bank."
    path.write_text(sentence + "\n", encoding="utf-8")
    article = clean_file(path)
    assert article.title is None and article.text == sentence


def test_a_file_of_one_headline_like_line_keeps_it_as_text(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Bridge to open in June after more delays\n", encoding="utf-8")
    article = clean_file(path)
    assert article.title is None
    assert article.text == "Bridge to open in June after more delays"


@pytest.mark.parametrize("heading", ["# Airport opens", "## Airport opens ##", "#   Airport opens"])
def test_markdown_heading_marker_is_stripped_from_the_title(tmp_path, heading):
    path = tmp_path / "airport.md"
    path.write_text(f"{heading}\n\nThe new airport opened on Monday after years of delay.\n\n"
                    "# Airport opens\n\nFlights start next week.\n", encoding="utf-8")
    article = clean_file(path)
    assert article.title == "Airport opens"
    assert article.evidence["title"].text == heading  # the line as written, for the audit
    assert article.text.startswith("The new airport opened on Monday")
    assert "Airport opens" not in article.text  # the echo in the head went too


def test_hashtag_is_not_a_heading():
    assert clean_plain_text("#MeToo founder speaks out\n\nBody text here.").title == (
        "#MeToo founder speaks out")


def test_seed_titles_and_texts_are_kept_by_the_title_rule():
    for seed, path in SEEDS.items():
        article = clean_record(RawRecord(source=str(path), text=raw(seed)), seed)
        assert article.title == cleaned(seed).title
        assert article.text and article.title not in article.text.split("\n\n")[:1]


@pytest.mark.parametrize("name, content", [
    ("links.txt", "https://example.com/news/a\nhttps://example.org/b\n"),
    ("furniture.txt", "Share this article\n\n3763\n"),
    ("nav.html", "<html><head><title>Nothing</title></head>"
                 "<body><nav>Home | About</nav></body></html>"),
])
def test_input_without_article_text_raises_no_article_text(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NoArticleText, match=r"^no article text in this (text file|HTML page)$"):
        clean_file(path)


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_json_record_with_blank_text_raises_no_article_text(text):
    record = RawRecord(source="x.jsonl#a1", text=text, id="a1", verbatim=True,
                       input_format="json")
    with pytest.raises(NoArticleText, match="no article text in this JSON record"):
        clean_record(record, "a1")


def test_warc_page_without_article_text_raises_no_article_text(tmp_path):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                               protocol="HTTP/1.1")
    page = b"<html><head><title>Home</title></head><body><nav>Home | About</nav></body></html>"
    writer.write_record(writer.create_warc_record(
        "https://news.example/", "response", payload=io.BytesIO(page), http_headers=headers))
    path = tmp_path / "crawl.warc"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(NoArticleText, match="no article text in this HTML page"):
        clean_file(path)
