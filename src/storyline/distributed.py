"""The per-document stages on a Ray cluster: `storyline analyze … --engine ray`.

The driver reads and cleans the inputs (it holds the store, so it knows which documents are
new and which ids are taken) and hands the cleaned articles to Ray Data. A pool of actors,
each loading the NLP model once, runs the same annotation as the local engine (sentences,
entities, time, quotes) on blocks of articles, and the annotated articles are written as
Parquet partitioned by publication month. The pipeline then loads that folder into the store
and runs the corpus-wide stages (reposts, events, comparison) as the local engine does, except
that the event grouping scores and clusters its monthly windows as Ray tasks (`ray_session`
yields the task runner), with the same result.

Ray starts a local instance when no address is given; with `--address` (or RAY_ADDRESS) it
joins a running cluster (`ray start --head` on one machine, `ray start --address=HEAD:6379`
on the others).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from storyline.clean.reposts import fingerprint_text
from storyline.events import TaskRunner
from storyline.model import Article
from storyline.settings import Settings
from storyline.store.parquet import (
    PARTITION,
    RECORD_SCHEMA,
    article_from_record,
    article_record,
)

CHUNK_ARTICLES = 20_000  # each chunk starts its actors anew (about 20 s), so chunks are large
ROWS_PER_FILE = 1000  # fewer, larger Parquet files than one per block and month
# Ray collects usage statistics unless told not to; storyline sends nothing anywhere.
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
# A local instance for one run needs no token; a cluster sets its own mode.
os.environ.setdefault("RAY_AUTH_MODE", "disabled")


class AnnotateArticles:
    """A Ray actor: loads the NLP model once, then annotates block after block of articles."""

    def __init__(self, model: str | None, batch_size: int) -> None:
        from storyline.nlp import load_model

        self.nlp = load_model(model)
        self.batch_size = batch_size

    def __call__(self, block: pa.Table) -> pa.Table:
        from storyline.nlp import annotate
        from storyline.pipeline import add_dates_and_quotes

        articles = ((article_from_record(r).article, None) for r in block.to_pylist())
        annotated = []
        for article, doc, _ in annotate(articles, self.nlp, batch_size=self.batch_size):
            problem = add_dates_and_quotes(article, doc)
            annotated.append(article_record(article, fingerprint_text(article.text), problem))
        return pa.Table.from_pylist(annotated, schema=RECORD_SCHEMA)


def annotate_on_ray(articles: Iterable[Article], folder: str | Path, settings: Settings) -> int:
    """Annotate the articles on Ray and write them under `folder`; returns how many.

    The articles go to the cluster `CHUNK_ARTICLES` at a time, so the driver never holds the
    whole corpus. On a cluster of several machines `folder` must be one they all see.
    """
    import ray

    written = 0
    with ray_session(settings):
        for chunk in _chunks(articles, CHUNK_ARTICLES):
            table = pa.Table.from_pylist([article_record(a) for a in chunk], schema=RECORD_SCHEMA)
            block_rows = settings.nlp_batch_size * 2
            blocks = [table.slice(at, block_rows) for at in range(0, table.num_rows, block_rows)]
            ray.data.from_arrow(blocks).map_batches(
                AnnotateArticles,
                fn_constructor_kwargs={"model": settings.model,
                                       "batch_size": settings.nlp_batch_size},
                batch_size=block_rows,
                batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=settings.ray_workers),
                num_cpus=1,
            ).write_parquet(str(folder), partition_cols=[PARTITION],
                            min_rows_per_file=ROWS_PER_FILE,
                            ray_remote_args={"num_cpus": 0})  # the actors hold every CPU
            written += table.num_rows
    return written


@contextmanager
def ray_session(settings: Settings) -> Iterator[TaskRunner]:
    """Ray for the length of the block, started here unless it already runs (then it is left
    running); yields a task runner for the event grouping's windows (see `events.grouping`)."""
    import ray

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # storyline's own progress bar speaks for the run
    context.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=settings.ray_address, include_dashboard=False,
                 log_to_driver=False, configure_logging=False,
                 **({} if settings.ray_address else {"num_cpus": settings.ray_workers}))

    def run_tasks(function: Callable[..., Any], tasks: list[tuple]) -> list:
        remote = ray.remote(num_cpus=1)(function)
        return ray.get([remote.remote(*arguments) for arguments in tasks])

    try:
        yield run_tasks
    finally:
        if started_here and ray.is_initialized():
            ray.shutdown()


def _chunks(items: Iterable[Article], size: int) -> Iterable[list[Article]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
