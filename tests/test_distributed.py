"""The Ray engine: a local Ray instance (2 CPUs) annotates the sample corpus into Parquet by
month, and the store built from it matches the local engine's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storyline.pipeline import analyze
from storyline.settings import Settings
from storyline.store import Store

ray = pytest.importorskip("ray")
EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def outcome(db: Path) -> tuple[set[frozenset[str]], list]:
    with Store(db, readonly=True) as store:
        events = {frozenset(e["documents"]) for e in store.events()}
        annotations = [(a.id, a.sentences, a.entities, a.timexes, a.event_date, a.quotes)
                       for a in store.articles()]
    return events, annotations


@pytest.fixture(scope="module")
def both_engines(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("engines")
    corpus = tmp / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    local = analyze([str(corpus)], db=tmp / "local.db")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)  # one for the module
    try:
        on_ray = analyze([str(corpus)], db=tmp / "ray.db",
                         settings=Settings(engine="ray", ray_workers=2))
        yield tmp, corpus, local, on_ray
    finally:
        ray.shutdown()


def test_ray_engine_gives_the_local_engines_events_and_annotations(both_engines):
    tmp, _, local, on_ray = both_engines
    assert on_ray.counts["added"] == local.counts["added"] == 5
    assert on_ray.errors == local.errors == []
    assert outcome(tmp / "ray.db") == outcome(tmp / "local.db")


def test_ray_engine_writes_parquet_partitioned_by_publication_month(both_engines):
    tmp = both_engines[0]
    run_folder = tmp / "ray.parquet" / "run-1"
    assert {p.name for p in run_folder.iterdir()} == {
        "month=2022-06", "month=2024-02", "month=undated"}


def test_ray_engine_rerun_adds_only_new_documents(both_engines):
    tmp, corpus, _, _ = both_engines
    (corpus / "new.txt").write_text(
        "Council approves budget\n\nThe city council approved the budget on Tuesday.\n")
    again = analyze([str(corpus)], db=tmp / "ray.db",
                    settings=Settings(engine="ray", ray_workers=2))
    assert again.counts["added"] == 1 and again.counts["unchanged"] == 5
    assert again.counts["events compared"] == 1


def test_event_evaluation_runs_on_the_ray_engine_with_the_local_figures(both_engines):
    from storyline.eval.events import evaluate

    fixture = Path(__file__).parent / "fixtures" / "events" / "seeds.jsonl"
    local = evaluate(fixture)
    on_ray = evaluate(fixture, settings=Settings(engine="ray", ray_workers=2))
    assert on_ray.bcubed == local.bcubed and on_ray.predicted_events == local.predicted_events


def test_event_grouping_windows_run_as_ray_tasks_with_the_local_result(both_engines):
    import sys

    from storyline.distributed import ray_session
    from storyline.events import group_articles

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from events import synthetic_articles

    articles = synthetic_articles(400)
    local = group_articles(articles)
    with ray_session(Settings(engine="ray", ray_workers=2)) as run_tasks:
        on_ray = group_articles(articles, run_tasks=run_tasks)
    assert ray.is_initialized()  # the module's Ray, left running
    assert [(g.documents, [m.to_dict() for m in g.merges]) for g in on_ray] == \
        [(g.documents, [m.to_dict() for m in g.merges]) for g in local]
    assert len(local) < len(articles)
