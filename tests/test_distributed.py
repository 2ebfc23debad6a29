"""The Ray engine: a local Ray instance (2 CPUs) annotates the sample corpus into Parquet by
month, and the store built from it matches the local engine's."""

from __future__ import annotations

import json
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


def test_ray_engine_reads_and_cleans_on_the_cluster_with_the_local_choices(both_engines):
    """Reading problems, repeated sources, taken ids, `--since` and stdin come out as the
    local engine reports them, though reading and cleaning ran in Ray tasks."""
    import io
    from datetime import date

    from test_pipeline import write_bad_inputs

    tmp = both_engines[0] / "choices"
    tmp.mkdir()
    write_bad_inputs(tmp / "in")
    records = [{"id": "old", "text": "The mayor opened the bridge.", "published": "2020-03-02"},
               {"id": "new", "text": "The mayor closed the bridge.", "published": "2023-03-02"},
               {"id": "new", "text": "The same id again, from the same file."}]
    (tmp / "in" / "dated.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    (tmp / "in" / "other.jsonl").write_text(json.dumps({"id": "new", "text": "Taken id."}))
    piped = '{"id": "piped", "text": "A record that came in on stdin."}\n'

    def run(engine: str) -> tuple:
        result = analyze([str(tmp / "in"), "-"], db=tmp / f"{engine}.db",
                         stdin=io.StringIO(piped),
                         settings=Settings(engine=engine, ray_workers=2, since=date(2021, 1, 1)))
        with Store(tmp / f"{engine}.db", readonly=True) as store:
            stored = sorted((a.id, a.source, a.text, a.published) for a in store.articles())
        errors = sorted((e.source, e.error, e.level) for e in result.errors)
        return stored, errors, result.counts

    local, on_ray = run("local"), run("ray")
    assert on_ray == local
    stored, errors, counts = on_ray
    assert counts["before since"] == 1 and "piped" in {doc_id for doc_id, *_ in stored}
    assert any("another record with this id came earlier" in e for _, e, _ in errors)
    assert any("already used" in e for _, e, _ in errors)
