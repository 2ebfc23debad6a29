"""The TempEval-3-style scorer: extent matching, attribute scores, the dev split and the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.eval.time import compare, dev_ids, evaluate, format_report
from storyline.model import Timex

SAMPLE = Path(__file__).parent / "fixtures" / "time" / "timex_sample.jsonl"
TEXT = "He left on Friday, June 15, and stayed for two weeks until now."


def gold(text: str, start: int, end: int, type_: str, value: str) -> dict:
    assert TEXT[start:end] == text
    return {"start": start, "end": end, "text": text, "type": type_, "value": value}


def system(start: int, end: int, type_: str, value: str) -> Timex:
    return Timex(start, end, TEXT[start:end], type_, value)  # type: ignore[arg-type]


GOLD = [
    gold("Friday, June 15", 11, 26, "DATE", "2022-06-15"),
    gold("two weeks", 43, 52, "DURATION", "P2W"),
    gold("now", 59, 62, "DATE", "PRESENT_REF"),
]


def test_exact_offsets_count_as_strict_and_relaxed():
    counts = compare(GOLD, [system(43, 52, "DURATION", "P2W")], TEXT).counts
    assert (counts.strict, counts.relaxed, counts.value_correct) == (1, 1, 1)


def test_overlap_counts_as_relaxed_only_and_attributes_count_on_it():
    counts = compare(GOLD, [system(11, 17, "DATE", "2022-06-15")], TEXT).counts
    assert (counts.strict, counts.relaxed, counts.type_correct, counts.value_correct) == (
        0,
        1,
        1,
        1,
    )


def test_relaxed_matching_is_one_to_one():
    pieces = [system(11, 17, "DATE", "2022-06-15"), system(19, 26, "DATE", "2022-06-15")]
    result = compare(GOLD, pieces, TEXT)
    assert result.counts.relaxed == 1
    assert [e["kind"] for e in result.errors].count("spurious") == 1


def test_exact_match_wins_over_a_larger_overlap():
    pieces = [system(40, 62, "DURATION", "P2W"), system(43, 52, "DURATION", "P2W")]
    counts = compare(GOLD, pieces, TEXT).counts
    assert counts.strict == 1


def test_attribute_precision_and_recall_divide_by_system_and_gold_counts():
    result = compare(
        GOLD, [system(43, 52, "DURATION", "P14D"), system(59, 62, "DATE", "PRESENT_REF")], TEXT
    )
    scores = result.counts.scores()
    assert scores["value"]["precision"] == pytest.approx(1 / 2)
    assert scores["value"]["recall"] == pytest.approx(1 / 3)
    assert scores["value"]["f1"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert scores["type"]["f1"] == pytest.approx(2 * 1 * (2 / 3) / (1 + 2 / 3))
    assert scores["value"]["accuracy"] == pytest.approx(1 / 2)


def test_dev_part_is_every_fifth_document_by_sorted_id():
    documents = [{"doc_id": f"d{i:02d}"} for i in reversed(range(12))]
    assert dev_ids(documents) == {"d04", "d09"}


def test_evaluate_scores_the_sample_overall_and_per_part():
    scores = evaluate(SAMPLE, use_spacy=False)
    overall = scores["overall"]
    assert overall["documents"] == 5
    assert overall["gold"] == 21
    assert scores["train-part"]["documents"] + scores["dev-part"]["documents"] == 5
    assert scores["train-part"]["gold"] + scores["dev-part"]["gold"] == 21
    assert overall["relaxed"]["f1"] >= 0.9
    assert overall["value"]["f1"] >= 0.9
    assert all(e["kind"] in ("missed", "spurious", "mismatch") for e in scores["errors"])


def test_report_prints_one_row_per_part():
    report = format_report(evaluate(SAMPLE, use_spacy=False))
    rows = [line.split()[0] for line in report.splitlines()]
    assert {"overall", "train-part", "dev-part"} <= set(rows)
    assert "relaxed P/R/F1" in report and "value P/R/F1" in report


def test_module_runs_as_a_command():
    done = subprocess.run(
        [sys.executable, "-m", "storyline.eval.time", str(SAMPLE), "--no-spacy"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    assert "overall" in done.stdout


def test_sample_lines_are_in_the_data_format():
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        document = json.loads(line)
        for timex in document["timexes"]:
            assert document["text"][timex["start"] : timex["end"]] == timex["text"]
