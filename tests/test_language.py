"""Language identification: the seed articles, other languages, and text too short to tell."""

import time
from pathlib import Path

import pytest

from storyline.clean.language import identify_language

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


@pytest.mark.parametrize("name", ["seed_000", "seed_001", "seed_002", "seed_003", "seed_004"])
def test_seed_articles_are_english(name):
    language, confidence = identify_language((FIXTURES / f"{name}.txt").read_text("utf-8"))
    assert language == "en"
    assert 0.9 <= confidence <= 1.0


def test_english_article_on_spanish_blog_is_still_english():
    # 004 ends with the Spanish blog's "No hay comentarios: / Publicar un comentario".
    text = (FIXTURES / "seed_004.txt").read_text("utf-8")
    assert "No hay comentarios" in text
    assert identify_language(text)[0] == "en"


def test_spanish_news_is_spanish():
    language, confidence = identify_language((FIXTURES / "spanish_news.txt").read_text("utf-8"))
    assert language == "es"
    assert confidence > 0.9


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Der Bundeskanzler sagte am Mittwoch in Berlin, die Regierung werde die Hilfen "
         "für Familien verlängern.", "de"),
        ("Путин провёл телефонный разговор с Си Цзиньпином и обсудил двустороннее "
         "сотрудничество.", "ru"),
        ("Le président a annoncé mercredi une réforme des retraites qui sera présentée "
         "au Parlement en septembre.", "fr"),
    ],
)
def test_other_languages_get_their_iso_639_1_code(text, code):
    assert identify_language(text)[0] == code


def test_chinese_varieties_fold_into_chinese():
    # py3langid splits Chinese into zh, Wu (wuu) and Cantonese (yue); the code is ISO 639-1 zh.
    text = ("国家主席习近平同俄罗斯总统普京通电话，"
            "两国元首就双边关系和共同关心的国际问题深入交换意见。")
    language, confidence = identify_language(text)
    assert language == "zh"
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   \n", "Share", "12345 67890 !!! 2022-06-15", "OK, yes."])
def test_short_or_non_linguistic_text_has_no_language(text):
    assert identify_language(text) == (None, 0.0)


def test_identification_is_fast_enough_for_every_document():
    text = (FIXTURES / "seed_000.txt").read_text("utf-8")
    identify_language(text)  # loads the model once
    started = time.perf_counter()
    for _ in range(200):
        identify_language(text)
    assert time.perf_counter() - started < 5.0  # about 5 ms each on a slow shared core
