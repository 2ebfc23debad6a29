"""The attribution scorer: soft and exact content matching, source over matches, the command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from storyline.eval.quotes import compare, evaluate, format_report, system_type
from storyline.model import Quote, Speaker

ROOT = Path(__file__).parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "quotes" / "attributions.jsonl"
TEXT = 'Ana Reyes said the bridge would reopen in May. "It is safe," she said.'


def span(text: str, after: int = 0) -> dict:
    start = TEXT.index(text, after)
    return {"start": start, "end": start + len(text), "text": text}


def gold(content: str, source: str | None, quote_type: str) -> dict:
    return {"content": span(content), "source": span(source) if source else None,
            "cue": None, "quote_type": quote_type}


GOLD = [
    gold("the bridge would reopen in May", "Ana Reyes", "indirect"),
    gold("It is safe,", "she", "direct"),
]


def system(content: str, direct: bool, speaker: str | None = None) -> Quote:
    found = span(content)
    who = Speaker(span(speaker)["start"], span(speaker)["end"]) if speaker else None
    return Quote(found["start"], found["end"], content, direct, "said", who)


def test_half_overlap_is_a_soft_match_and_exact_ignores_marks_and_punctuation():
    quotes = [system("the bridge would reopen", True, "Reyes"), system("It is safe", True, "she")]
    counts = compare(GOLD, quotes, TEXT).counts["all"]
    assert (counts.gold_matched, counts.system_matched) == (2, 2)
    assert counts.gold_exact == 1  # "It is safe" == "It is safe," once trimmed


def test_less_than_half_of_the_longer_span_is_no_match():
    counts = compare(GOLD, [system("the bridge", False)], TEXT).counts["all"]
    assert counts.gold_matched == 0 and counts.system == 1


def test_source_counts_on_matched_pairs_only_when_the_speaker_overlaps_the_gold_source():
    quotes = [system("the bridge would reopen in May", False, "Reyes"),
              system("It is safe,", True, "Ana Reyes")]
    counts = compare(GOLD, quotes, TEXT).counts["all"]
    assert (counts.with_gold_source, counts.with_system_speaker, counts.source_correct) == (2, 2, 1)


def test_groups_split_gold_by_quote_type_and_system_by_its_text():
    assert system_type(Quote(0, 5, 'a "b"', False)) == "mixed"
    assert system_type(Quote(0, 5, "a b", False)) == "indirect"
    counts = compare(GOLD, [system("It is safe,", True, "she")], TEXT).counts
    direct = counts["direct"]
    assert (direct.gold, direct.system, direct.gold_matched) == (1, 1, 1)
    assert (counts["indirect"].gold, counts["indirect"].system) == (1, 0)


def test_evaluate_runs_the_stage_on_a_fixture_of_the_data_format_and_caches_parses(tmp_path):
    scores = evaluate(FIXTURE, cache=tmp_path)
    assert scores["documents"] == 3 and scores["all"]["gold"] == 8
    assert scores["direct"]["content"]["f1"] == 1.0
    assert scores["all"]["content"]["f1"] > 0.8 and scores["all"]["source"]["f1"] > 0.8
    assert list(tmp_path.glob("*.spacy"))
    assert evaluate(FIXTURE, cache=tmp_path)["all"] == scores["all"]
    report = format_report(scores)
    assert "content soft P/R/F1" in report and "\ndirect " in report


def test_eval_quotes_command_prints_the_figures_and_errors():
    run = subprocess.run(
        [sys.executable, "-m", "storyline", "eval", "quotes", "--data", str(FIXTURE),
         "--errors", "3"], capture_output=True, text=True, cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "source P/R/F1" in lines[1] and lines[3].startswith("all")
    errors = [json.loads(line) for line in lines if line.startswith("{")]
    assert errors and all(e["kind"] in {"missed", "spurious", "source"} for e in errors)
