"""The claim evaluation: scoring rules on hand-made claims, and a run over a tiny gold event."""

from __future__ import annotations

from pathlib import Path

from storyline.eval.claims import evaluate, format_report, score_event
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
