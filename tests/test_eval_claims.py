"""The claim evaluation: scoring rules on hand-made claims, and a run over a tiny gold event."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.eval.claims import (
    evaluate,
    fit_logistic,
    format_report,
    load_articles,
    pair_examples,
    read_gold,
    score_event,
)
from storyline.model import Claim, ClaimSupport

FIXTURES = Path(__file__).parent / "fixtures" / "claims"

GOLD_EVENT = {
    "event": "e", "documents": ["a", "b", "c"], "skip": [],
    "claims": [
        {"id": "g1", "status": "corroborated", "spans": [["a", 0, 50], ["b", 0, 40],
                                                         ["c", 0, 60]]},
        {"id": "g2", "status": "conflicting", "spans": [["a", 51, 90]], "conflicts_with": ["g3"]},
        {"id": "g3", "status": "conflicting", "spans": [["b", 41, 80]], "conflicts_with": ["g2"]},
    ],
}


def test_alignment_pairs_are_scored_by_span_overlap():
    claims = [
        Claim("s1", "x", "corroborated", [ClaimSupport("a", 0, 48), ClaimSupport("b", 2, 40)]),
        Claim("s2", "y", "single_source", [ClaimSupport("c", 0, 60)]),
        Claim("s3", "z", "conflicting", [ClaimSupport("a", 51, 90)], ["s4"]),
        Claim("s4", "w", "conflicting", [ClaimSupport("b", 41, 80)], ["s3"]),
    ]
    counts = score_event(GOLD_EVENT, claims)
    assert counts["gold_pairs"] == 3 and counts["system_pairs"] == 1
    assert counts["pairs_right"] == 1 and counts["pairs_found"] == 1
    assert counts["statuses"] == [("corroborated", "corroborated"),
                                  ("conflicting", "conflicting"), ("conflicting", "conflicting")]
    assert counts["conflicts_found"] == counts["conflicts_right"] == 1


def test_a_pair_across_two_gold_claims_is_a_false_alignment():
    claims = [Claim("s1", "x", "corroborated", [ClaimSupport("a", 0, 50),
                                                ClaimSupport("b", 41, 80)])]
    counts = score_event(GOLD_EVENT, claims)
    assert counts["pairs_right"] == 0 and counts["system_pairs"] == 1
    assert counts["statuses"][1] == ("conflicting", "missing")
    assert counts["statuses"][2] == ("conflicting", "corroborated")


def test_evaluation_runs_the_pipeline_on_a_small_gold_event():
    scores = evaluate(FIXTURES / "smoke.jsonl")
    assert scores["events"] == 1 and scores["documents"] == 3 and scores["gold_claims"] == 5
    assert scores["alignment"]["precision"] >= 0.8
    assert scores["alignment"]["recall"] >= 0.6
    assert scores["conflicts"]["found"] == 1
    report = format_report(scores)
    assert "alignment  P" in report and "5 claims" in report


@pytest.mark.parametrize("name", ["gold.jsonl", "gold_more.jsonl"])
def test_gold_claims_are_well_formed(name):
    """Spans fall in the event's documents, none is both skipped and claimed, no sentence of a
    document is claimed twice by one claim, and conflicts point at conflicting claims."""
    for event in read_gold(FIXTURES / name):
        documents = set(event["documents"])
        claims = {c["id"]: c for c in event["claims"]}
        assert len(claims) == len(event["claims"])
        skipped = {tuple(s) for s in event["skip"]}
        for claim in claims.values():
            spans = [tuple(s) for s in claim["spans"]]
            assert spans and len(set(spans)) == len(spans)
            assert all(doc in documents and 0 <= start < end for doc, start, end in spans)
            assert skipped.isdisjoint(spans)
            assert claim["status"] in ("corroborated", "single_source", "conflicting")
            others = claim.get("conflicts_with", [])
            assert (claim["status"] == "conflicting") == bool(others)
            assert all(claims[o]["status"] == "conflicting" and claim["id"] in
                       claims[o]["conflicts_with"] for o in others)
            if claim["status"] == "corroborated":
                assert len({doc for doc, _, _ in spans}) >= 2


def test_the_pair_model_is_fitted_on_the_gold_pairs_of_a_small_event(tmp_path):
    gold = read_gold(FIXTURES / "smoke.jsonl")
    articles = load_articles(gold, tmp_path, tmp_path)
    features, labels = pair_examples(gold, articles)
    assert len(features) == len(labels) and any(labels) and not all(labels)
    assert {len(f) for f in features} == {6}
    bias, weights = fit_logistic(features, labels)
    assert weights[0] > 0  # more similar pairs are more often gold pairs
    scores = [bias + sum(w * x for w, x in zip(weights, f, strict=True)) for f in features]
    ranked = [label for _, label in sorted(zip(scores, labels, strict=True), reverse=True)]
    assert ranked[0] and not ranked[-1]
