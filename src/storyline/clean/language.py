"""Language identification for every document, with py3langid.

py3langid's Naive Bayes model is loaded once, on first use, with normalised probabilities,
so the confidence is a probability in 0..1. Its labels are mostly ISO 639-1 codes; regional
varieties and the few ISO 639-3-only labels are folded into their ISO 639-1 macrolanguage
(`data/language_codes.tsv`: Wu and Cantonese count as Chinese, Egyptian Arabic as Arabic)
and their probabilities added up. Labels without a two-letter code stay as ISO 639-3.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from itertools import islice

MIN_LETTERS = 20  # below this, text is too short (or not language) to identify
MAX_CHARS = 20_000  # the opening of a long document decides; keeps the cost per document flat
NO_LANGUAGE = "zxx"  # py3langid's label for "no linguistic content"


def identify_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence; (None, 0.0) for short or non-linguistic text."""
    if sum(1 for _ in islice(filter(str.isalpha, text), MIN_LETTERS)) < MIN_LETTERS:
        return None, 0.0
    codes = _label_codes()
    scores: dict[str, float] = {}
    for label, probability in _identifier().rank(text[:MAX_CHARS]):
        code = codes.get(label, label)
        scores[code] = scores.get(code, 0.0) + probability
    code, confidence = max(scores.items(), key=lambda item: item[1])
    if code == NO_LANGUAGE:
        return None, 0.0
    return code, min(1.0, float(confidence))


@cache
def _identifier():
    """The py3langid model, loaded on first use (about a second) and shared."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@cache
def _label_codes() -> dict[str, str]:
    text = resources.files("storyline.clean").joinpath("data", "language_codes.tsv").read_text(
        "utf-8")
    rows = [r.split("\t") for r in text.splitlines() if r.strip() and not r.startswith("#")]
    return {label: code for label, code in rows}
