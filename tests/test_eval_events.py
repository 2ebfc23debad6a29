"""The event scorer's metrics, and `storyline eval events` on the seed articles end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storyline.eval.events import bcubed, pairwise, read_incident_dates
from storyline.store import Store

SEEDS = Path(__file__).parent / "fixtures" / "events" / "seeds.jsonl"


def test_bcubed_and_pairwise_on_a_known_partition():
    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    predicted = {"a": "x", "b": "x", "c": "y", "d": "y"}
    precision, recall, f1 = bcubed(predicted, gold)
    assert precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert pairwise(predicted, gold) == pytest.approx((0.5, 1 / 3, 0.4))


def test_every_document_alone_has_full_bcubed_precision_and_no_pairs():
    gold = {"a": "1", "b": "1", "c": "2"}
    alone = {d: d for d in gold}
    assert bcubed(alone, gold)[0] == 1.0
    assert pairwise(alone, gold) == (0.0, 0.0, 0.0)


def test_incident_dates_are_read_from_the_records_beside_the_split(tmp_path):
    data = tmp_path / "dev.jsonl"
    data.write_text("")
    (tmp_path / "dev.events.jsonl").write_text(
        json.dumps({"event_id": "146565", "date": "2014-06-15", "city_or_county": "Kokomo"})
        + "\n")
    assert read_incident_dates(data) == {"146565": "2014-06-15"}
    assert read_incident_dates(SEEDS) == {}


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    """`storyline eval events` on the seeds, keeping the store for inspection."""
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    run = subprocess.run(
        [sys.executable, "-m", "storyline", "eval", "events", "--data", str(SEEDS),
         "--db", str(db)], capture_output=True, text=True, timeout=600,
    )
    return run, db


def test_eval_events_prints_the_figures_on_the_seeds(seeds_run):
    run, _ = seeds_run
    assert run.returncode == 0, run.stderr
    assert "events     3 found, 3 gold" in run.stdout
    assert "BCubed     P 1.000  R 1.000  F1 1.000" in run.stdout
    assert "pairwise" in run.stdout and "non-English" in run.stdout


def test_seeds_make_three_events_dated_like_the_calls_they_report(seeds_run):
    _, db = seeds_run
    with Store(db, readonly=True) as store:
        events = {frozenset(d[:3] for d in e["documents"]): e for e in store.events()}
        event_ids = {a.id[:3]: a.event_id for a in store.articles()}
    assert set(events) == {frozenset({"000", "001", "004"}), frozenset({"003"}),
                           frozenset({"002"})}
    assert events[frozenset({"000", "001", "004"})]["date"] == "2022-06-15"
    assert events[frozenset({"003"})]["date"] == "2024-02-08"
    assert event_ids["000"] == event_ids["004"] != event_ids["003"]
