"""Quotes: quotation marks, reported speech and speakers, on the seed articles and small texts."""

from __future__ import annotations

import json
from pathlib import Path

import pycrfsuite
import pytest
from spacy.tokens import Doc

from storyline.clean.plaintext import clean_plain_text
from storyline.model import Quote
from storyline.nlp import group_entities, load_model
from storyline.quotes import confidence, extract_quotes, tagger
from storyline.quotes.attribute import Candidate
from storyline.quotes.direct import find_quotations
from storyline.quotes.indirect import find_attributions
from storyline.quotes.train import FOLDS, THRESHOLDS, cross_fitted_examples, train

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"
FIXTURE = Path(__file__).parent / "fixtures" / "quotes" / "attributions.jsonl"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def quotes_of(nlp, text: str) -> list[Quote]:
    doc = nlp(text)
    return extract_quotes(text, doc, group_entities("t", doc))


@pytest.fixture(scope="module")
def seeds(nlp) -> dict[str, tuple[str, list[Quote]]]:
    found = {}
    for path in sorted(EXAMPLES.glob("00[034]_*.txt")):
        text = clean_plain_text(path.read_text(encoding="utf-8")).text
        found[path.name[:3]] = (text, quotes_of(nlp, text))
    return found


def quoted(text: str) -> list[str]:
    return [" / ".join(text[s:e] for s, e in q.pieces) for q in find_quotations(text)]


def speaker_of(quotes: list[Quote], words: str) -> str | None:
    """The resolved speaker name of the shortest quote whose content holds `words`."""
    matching = [q for q in quotes if words in q.text]
    assert matching, words
    speaker = min(matching, key=lambda q: len(q.text)).speaker
    return speaker.name if speaker else None


def test_straight_and_curly_marks_pair_and_the_content_leaves_them_out():
    text = 'He said "we are ready" and “we will go” today.'
    assert quoted(text) == ["we are ready", "we will go"]


def test_doubled_apostrophes_and_guillemets_are_quotation_marks():
    assert quoted("She called it ''a fair deal'' and «a start».") == ["a fair deal", "a start"]


def test_an_open_quote_at_a_paragraph_end_continues_into_a_paragraph_opening_with_a_mark():
    text = '"We came far.\n\n"We stay," he said.\n\nNext.'
    assert quoted(text) == ["We came far. / We stay,"]


def test_a_quote_left_open_ends_with_its_paragraph_and_a_stray_mark_is_ignored():
    text = 'Regional bodies such as BRICS. “\n\nHe spoke.\n\nIt was over.” Then “done.'
    assert quoted(text) == ["done."]


def test_a_quotation_split_by_its_attribution_is_one_quote(nlp):
    text = '"We will not cut corners," Mayor Ana Reyes said, "and safety comes first."'
    [quote] = quotes_of(nlp, text)
    assert quote.direct and quote.cue == "said"
    assert text[quote.speaker.start : quote.speaker.end] == "Mayor Ana Reyes"
    assert quote.text.startswith("We will not") and quote.text.endswith("comes first.")


def test_reported_speech_has_its_content_cue_and_source(nlp):
    text = "Opposition leader Kim Lund said the government had ignored the auditors."
    [quote] = quotes_of(nlp, text)
    assert (quote.text, quote.cue, quote.direct) == (
        "the government had ignored the auditors", "said", False)
    assert text[quote.speaker.start : quote.speaker.end] == "Opposition leader Kim Lund"


def test_according_to_reports_the_rest_of_its_sentence(nlp):
    text = ("Farmers in the valley fear a second dry summer, according to a survey by the "
            "regional cooperative.")
    [quote] = quotes_of(nlp, text)
    assert (quote.text, quote.cue) == ("Farmers in the valley fear a second dry summer",
                                       "according to")
    assert text[quote.speaker.start : quote.speaker.end].startswith("a survey")


def test_an_attribution_inside_its_clause_keeps_the_whole_clause(nlp):
    text = "The latest test, North Korea said, was its biggest yet."
    [quote] = quotes_of(nlp, text)
    assert quote.text == "The latest test, North Korea said, was its biggest yet"
    assert text[quote.speaker.start : quote.speaker.end] == "North Korea"


def test_labelling_reports_the_labelled_and_the_label(nlp):
    [quote] = quotes_of(nlp, 'Bernie Sanders called Trump a "pathological liar."')
    assert quote.text == 'Trump a "pathological liar' and quote.cue == "called"


def test_a_prepositional_content_takes_in_the_object_before_it(nlp):
    text = "Opposition leader Kim Lund accused the mayor of ignoring the flood warnings."
    [quote] = quotes_of(nlp, text)
    assert (quote.text, quote.cue) == ("the mayor of ignoring the flood warnings", "accused")


def parsed(nlp, rows: list[tuple[str, str, str, int, str]]) -> Doc:
    """A parse given by hand, (word, space after, tag, head, dependency) per token, to pin how
    content is read off a tree the model may or may not build for a given sentence."""
    words, spaces, tags, heads, deps = zip(*rows, strict=True)
    pos = ["VERB" if t.startswith("VB") else "PUNCT" if t in {".", "``", "''", "_SP"} else "X"
           for t in tags]
    return Doc(nlp.vocab, words=list(words), spaces=[s == " " for s in spaces], tags=list(tags),
               pos=pos, heads=list(heads), deps=list(deps))


def test_a_content_runs_on_through_the_cue_dependents_but_not_the_scene(nlp):
    doc = parsed(nlp, [
        ("Critics", " ", "NNS", 1, "nsubj"), ("blamed", " ", "VBD", 1, "ROOT"),
        ("Obama", " ", "NNP", 1, "dobj"), ("for", " ", "IN", 1, "prep"),
        ("the", " ", "DT", 5, "det"), ("crisis", " ", "NN", 3, "pobj"),
        ("at", " ", "IN", 1, "prep"), ("a", " ", "DT", 8, "det"), ("rally", "", "NN", 6, "pobj"),
        (".", "", ".", 1, "punct")])
    [attribution] = find_attributions(doc, doc.text)
    assert doc.text[slice(*attribution.content)] == "Obama for the crisis"


def test_a_content_the_parse_hung_across_a_paragraph_break_is_not_taken(nlp):
    doc = parsed(nlp, [
        ('"', "", "``", 2, "punct"), ("We", " ", "PRP", 2, "nsubj"), ("won", "", "VBD", 7, "ccomp"),
        (".", "", ".", 2, "punct"), ('"', "", "''", 2, "punct"), ("\n\n", "", "_SP", 4, "dep"),
        ("Aides", " ", "NNS", 7, "nsubj"), ("said", " ", "VBD", 7, "ROOT"),
        ("the", " ", "DT", 9, "det"), ("total", " ", "NN", 10, "nsubj"),
        ("was", " ", "VBD", 7, "ccomp"), ("high", "", "JJ", 10, "acomp"),
        (".", "", ".", 7, "punct")])
    [attribution] = find_attributions(doc, doc.text)
    assert doc.text[slice(*attribution.content)] == "the total was high"


def test_the_rules_leave_a_trailing_relative_aside_out_of_the_content(nlp):
    # The rules read the aside as the writer's; the learned weights may still prefer the
    # tagger's longer reading, as PolNeAR annotators often include it.
    text = "Kim Lund said the plan favours Westfield, which voted for her party in May."
    said = next(a for a in find_attributions(nlp(text), text) if a.cue_text == "said")
    assert text[slice(*said.content)] == "the plan favours Westfield"
    [quote] = quotes_of(nlp, text)
    assert quote.text.startswith("the plan favours Westfield") and quote.speaker.name == "Kim Lund"


def test_reported_speech_after_a_quotation_paragraph_keeps_its_own_content(nlp):
    text = ('"We will rebuild the bridge," Mayor Ana Reyes said in a statement. "It is our first '
            'duty to this town."\n\nCity officials said the repairs would cost about $2 million.')
    reported = [q for q in quotes_of(nlp, text) if not q.direct]
    assert [(q.text, q.speaker.name) for q in reported] == [
        ("the repairs would cost about $2 million", "City officials")]


def test_a_name_inside_a_source_is_its_speaker_only_when_it_says_who_speaks(nlp):
    text = ("Chinese state media said the talks would resume in March. "
            "A readout from the Kremlin said the two leaders spoke for an hour. "
            "Officials in Brazil said the harvest was late.")
    quotes = quotes_of(nlp, text)
    assert speaker_of(quotes, "talks would resume") == "Chinese state media"
    assert speaker_of(quotes, "spoke for an hour") == "Kremlin"
    assert speaker_of(quotes, "harvest was late") == "Officials in Brazil"


def test_a_speaker_label_opening_a_paragraph_reports_the_paragraph(nlp):
    text = "Interview.\n\nBENENSON: Senator Sanders does not get to decide when we debate."
    [quote] = quotes_of(nlp, text)
    assert quote.cue == ":" and quote.text.startswith("Senator Sanders does not get")
    assert text[quote.speaker.start : quote.speaker.end] == "BENENSON"


def test_a_partial_quotation_stays_inside_the_reported_speech(nlp):
    text = 'Lund said the plan was "a reckless gamble" with public money.'
    [quote] = quotes_of(nlp, text)
    assert not quote.direct and quote.text == 'the plan was "a reckless gamble" with public money'


def test_words_attributed_inside_a_quotation_are_not_reported_again(nlp):
    text = '"I think they know it," Lund said.'
    [quote] = quotes_of(nlp, text)
    assert quote.text == "I think they know it," and quote.speaker.name == "Lund"


def test_seed_003_xi_putin_and_ushakov(seeds):
    text, quotes = seeds["003"]
    assert speaker_of(quotes, "both countries should employ") == "Xi Jinping"
    assert speaker_of(quotes, "that Beijing and Moscow “should closely") == "Xi Jinping"
    assert speaker_of(quotes, "should also cultivate new dynamics") == "Xi Jinping"
    assert speaker_of(quotes, "ties between the two countries were at") == "Vladimir Putin"
    assert speaker_of(quotes, "both leaders had rejected") == "Yuri Ushakov"
    assert speaker_of(quotes, "their foreign policy would be aimed at") == "Xi Jinping"
    according = next(q for q in quotes if q.cue == "according to" and "Xi and Putin" in q.text)
    assert according.speaker.name == "Yuri Ushakov"
    top_advisor = next(q for q in quotes if "reciprocal visits" in q.text)
    assert text[top_advisor.speaker.start : top_advisor.speaker.end] == "Putin’s top advisor"
    assert top_advisor.speaker.name == "Yuri Ushakov"


def test_seed_004_experts_yang_jin_and_cui_heng(seeds):
    text, quotes = seeds["004"]
    assert speaker_of(quotes, "this shows that the strategic firmness") == "Yang Jin"
    assert speaker_of(quotes, "the US has fully activated its Cold War") == "Cui Heng"
    he_said = next(q for q in quotes if "NATO is no longer a military organization" in q.text)
    assert he_said.direct and text[he_said.speaker.start : he_said.speaker.end] == "he"
    assert he_said.speaker.name == "Cui Heng"
    assert speaker_of(quotes, "have no choice but to jointly resist") == "Cui Heng"
    assert speaker_of(quotes, "the backbone of a multipolar world") == "Cui Heng"
    stressed = next(q for q in quotes if q.cue == "stressed")
    assert stressed.speaker.name == "Yang Jin"
    assert speaker_of(quotes, "Chinese side stands ready") == "Xi Jinping"


def test_seed_000_machine_translated_stated_then_said_attribution(seeds):
    text, quotes = seeds["000"]
    nuclear = next(q for q in quotes if q.text.startswith("We now need to share"))
    assert nuclear.direct and nuclear.cue == "said"
    assert nuclear.speaker.name == "David Santoro"
    assert speaker_of(quotes, "China is ready to work with Russia") == "Xi Jinping"


def test_quotes_are_offsets_into_the_text(seeds):
    for text, quotes in seeds.values():
        for quote in quotes:
            assert text[quote.start : quote.end] == quote.text
            if quote.speaker:
                assert quote.speaker.start < quote.speaker.end


def test_a_stance_no_cue_table_lists_is_read_by_the_learned_tagger(nlp):
    text = "Senator Mary Hale made it clear that she would not support the tax bill."
    assert all(a.content is None for a in find_attributions(nlp(text), text))
    [quote] = quotes_of(nlp, text)
    assert quote.text == "that she would not support the tax bill" and not quote.direct
    assert "made" in quote.cue and quote.speaker.name == "Mary Hale"


def test_the_learned_models_ship_in_the_package_and_are_opened_once():
    assert tagger.MODEL.exists() and confidence.MODEL.exists()
    assert tagger.MODEL.stat().st_size < 6_000_000
    assert tagger.tagger() is tagger.tagger()
    assert confidence.classifier() is confidence.classifier()
    assert 0 < confidence.THRESHOLD < 1


def test_the_training_command_fits_the_tagger_weights_and_threshold(tmp_path):
    train(FIXTURE, tmp_path)
    fitted = pycrfsuite.Tagger()
    fitted.open(str(tmp_path / "attributions.crfsuite"))
    assert {"B-CUE", "B-SOURCE", "B-CONTENT", "I-CONTENT"} <= set(fitted.labels())
    assert (tmp_path / "candidates.crfsuite").exists()
    settings = json.loads((tmp_path / "candidates.json").read_text(encoding="utf-8"))
    assert settings["threshold"] in THRESHOLDS


def test_the_weights_are_fitted_on_every_document_read_by_a_tagger_of_the_other_folds(nlp):
    from storyline.eval.quotes import read_documents

    documents = read_documents(FIXTURE)
    parses = [nlp(d["text"]) for d in documents]
    examples = cross_fitted_examples(documents, parses, processes=2)
    alone = cross_fitted_examples(documents, parses)
    assert [rows for _, rows, _ in examples] == [rows for _, rows, _ in alone]
    assert len(examples) == len(documents) and len(documents) < FOLDS
    for (candidates, rows, gold), document in zip(examples, documents, strict=True):
        assert gold == document["attributions"] and len(rows) == len(candidates) > 0
    assert any(label == confidence.KEEP for _, rows, _ in examples for _, label in rows)


def test_a_report_is_weighed_against_its_rivals_for_the_same_words():
    text = "Reyes said the bridge would reopen in May, after the council approved the budget."
    said, reopen, after = (text.index(w) for w in ("said", "the bridge", "after"))
    long = Candidate(reopen, len(text) - 1, False, "said", None, None)
    short = Candidate(reopen, after - 2, False, "said", None, None, learned=True)
    alone = Candidate(0, said - 1, False, None, None, None)
    rows = [{"content.p|rule": 0.5}, {"content.p|learned": 0.75, "begin.p|learned": 0.5},
            {"content.p|rule": 0.25}]
    confidence._add_rivalry([long, short, alone], rows)
    assert rows[0]["rival=learned|holds|rule"] == 1.0 and rows[0]["rival.margin|rule"] == -0.25
    assert rows[0]["rival.rank=1|rule"] == 1.0 and "rival.longer=1|of=1|rule" in rows[0]
    assert rows[1]["rival=rule|in|learned|margin"] == 0.25 and "rival.rank=0|learned" in rows[1]
    assert rows[2]["rivals=0"] == 1.0 and not any(k.startswith("rival.") for k in rows[2])


def test_the_tagger_reads_the_parse_as_spacy_tokens_give_it(nlp, seeds):
    text, _ = seeds["003"]
    doc = nlp(text)
    columns = tagger.Columns(doc)
    assert columns.lower == [t.lower_ for t in doc] and columns.dep == [t.dep_ for t in doc]
    assert columns.head == [t.head.i for t in doc] and columns.ent == [t.ent_type_ for t in doc]
    assert columns.sent_start == [bool(t.is_sent_start) for t in doc]
    assert columns.end == [t.idx + len(t.text) for t in doc]
    paragraphs = list(tagger.paragraphs(columns))
    assert len(paragraphs) == text.strip().count("\n\n") + 1
    assert not any(doc[i].is_space for paragraph in paragraphs for i in paragraph)
