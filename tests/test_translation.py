"""Machine-translation likelihood: the MT seed article, clean wire copy, and each rule."""

from pathlib import Path

import pytest

from storyline.clean.translation import (
    MACHINE_TRANSLATION_THRESHOLD,
    machine_translation_evidence,
)

FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def _rules(text: str, language: str | None = "en") -> list[tuple[str, str]]:
    return [(e["rule"], e["text"]) for e in machine_translation_evidence(text, language)[1]]


def test_machine_translated_seed_scores_above_threshold_with_its_fragments():
    text = _read("seed_000.txt")
    score, evidence = machine_translation_evidence(text, "en")
    assert score >= MACHINE_TRANSLATION_THRESHOLD
    found = {(e["rule"], e["text"]) for e in evidence}
    assert ("fragment_sentence", "Will be.") in found
    assert ("fragment_sentence", "There is.") in found
    assert ("fragment_sentence", "Stated.") in found
    assert ("subjectless_sentence", "Provides an economical lifeline.") in found
    stray = [e for e in evidence if e["rule"] == "unbalanced_quote"]
    assert len(stray) == 1 and stray[0]["text"].endswith("Organization. “")


def test_evidence_offsets_point_into_the_text():
    text = _read("seed_000.txt")
    for item in machine_translation_evidence(text, "en")[1]:
        assert set(item) == {"rule", "text", "start", "end"}
        assert text[item["start"]:item["end"]] == item["text"]


@pytest.mark.parametrize(
    "name",
    ["seed_001.txt", "seed_002.txt", "seed_003.txt", "seed_004.txt",
     "wire_reuters_style.txt", "wire_ap_style.txt"],
)
def test_human_written_news_scores_low(name):
    score, evidence = machine_translation_evidence(_read(name), "en")
    assert score < MACHINE_TRANSLATION_THRESHOLD / 2
    assert evidence == []


def test_one_odd_sentence_in_a_long_clean_article_stays_low():
    text = _read("wire_reuters_style.txt").replace(
        "It did not give a timeline.", "It did not give a timeline. Will be.")
    score, evidence = machine_translation_evidence(text, "en")
    assert [e["text"] for e in evidence] == ["Will be."]
    assert 0 < score < MACHINE_TRANSLATION_THRESHOLD


def test_one_fragment_never_flags_even_a_short_text():
    score, _ = machine_translation_evidence("The talks ended on Monday. There is.", "en")
    assert 0 < score < MACHINE_TRANSLATION_THRESHOLD


def test_stray_quote_marks_alone_never_flag_an_article():
    text = "\n\n".join(f"“Quote number {i} that never closes, said the official." for i in range(8))
    score, evidence = machine_translation_evidence(text, "en")
    assert {e["rule"] for e in evidence} == {"unbalanced_quote"}
    assert score < MACHINE_TRANSLATION_THRESHOLD


def test_fragment_sentences_standing_alone_or_ending_a_paragraph():
    text = ("The bridge opened to traffic in June. Will be.\n\n"
            "Has been done.\n\n"
            "Officials said the agreement was signed. There are.")
    assert _rules(text) == [("fragment_sentence", "Will be."),
                            ("fragment_sentence", "Has been done."),
                            ("fragment_sentence", "There are.")]


def test_sentences_with_a_subject_are_not_fragments():
    text = ("He said. It is. Officials said. There is hope. They will. Talks resumed. "
            "The minister declined to comment.")
    assert _rules(text) == []


def test_quoted_clipped_speech_is_not_a_fragment():
    text = ('“Will it happen? Will be. Has to be,” he said.\n\n'
            '"Stated." That was all the spokesman wrote.')
    assert _rules(text) == []


def test_headings_and_shouted_lines_are_not_fragments():
    text = ("Stated\n\nWILL BE HELD ON MONDAY.\n\nIs The Ultimate Celebration Of Sisterhood.\n\n"
            "The meeting was postponed.")
    assert _rules(text) == []


def test_inverted_attribution_is_not_subjectless():
    assert _rules("Said the minister: nothing has changed. Added another aide.") == []


def test_subjectless_sentence_opens_with_a_finite_verb():
    text = "Beijing refused to join the sanctions. Provides an economical lifeline."
    assert _rules(text) == [("subjectless_sentence", "Provides an economical lifeline.")]


def test_abbreviations_do_not_split_sentences_into_fragments():
    text = "The U.S. Is a party to the accord, said Gen. Is Smith. Mr. Has Jones agreed."
    assert _rules(text) == []


def test_dangling_opening_quote_is_unbalanced():
    text = "The treaty covers trade and energy. “\n\nThe talks will resume in May."
    assert _rules(text) == [("unbalanced_quote", "The treaty covers trade and energy. “")]


def test_closing_quote_that_closes_nothing_is_unbalanced():
    text = "The ministry said the move was legal. It was a mistake,” he said."
    assert [rule for rule, _ in _rules(text)] == ["unbalanced_quote"]


def test_quotation_continued_into_next_paragraph_is_balanced():
    text = ("“We have a long road ahead,” the mayor said. “But nobody died.\n\n"
            "“We will rebuild the school. We have done it before.”")
    assert _rules(text) == []


def test_quotation_over_one_sentence_per_line_is_balanced():
    text = ('The witness said: "I heard three shots.\n'
            "Then everyone was running.\n"
            'I hid behind a car."\n'
            "Police arrived minutes later.")
    assert _rules(text) == []


def test_inch_marks_and_mixed_quote_styles_are_not_unbalanced():
    text = ("The suspect is described as 5’8” tall, with a 12\" knife.\n\n"
            "“It's unusual,“ said a lawyer. \"He's still in shock,’’ she said.")
    assert _rules(text) == []


def test_other_languages_score_zero():
    assert machine_translation_evidence(_read("seed_000.txt"), "es") == (0.0, [])
    assert machine_translation_evidence("Will be. There is. Stated.", "de") == (0.0, [])


def test_unknown_language_and_regional_english_are_scored():
    text = _read("seed_000.txt")
    assert machine_translation_evidence(text, None)[0] >= MACHINE_TRANSLATION_THRESHOLD
    assert machine_translation_evidence(text, "en-GB")[0] >= MACHINE_TRANSLATION_THRESHOLD


def test_empty_text_scores_zero():
    assert machine_translation_evidence("", "en") == (0.0, [])
