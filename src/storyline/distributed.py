"""The per-document stages on a Ray cluster: `storyline analyze … --engine ray`.

Everything that reads a document runs on the cluster as Ray Data batches, in two passes:

1. Read and clean: tasks read the inputs (a few files each; HTML extraction included) and
   clean every record they find, in blocks of `CLEAN_BLOCK_ROWS`. The driver then reads only
   each record's source, given id, fingerprint, publication date and problems, in reading
   order, to choose what goes on exactly as the local engine does (`pipeline.NewDocuments`:
   each source once, not when unchanged, a free id, not before `--since`). It holds the
   store, so that choice is the one thing that cannot be spread out.
2. Annotate: a pool of actors, each loading the NLP model once, annotates the chosen records
   (sentences, entities, time, quotes, event records: the same `annotate_parsed` as the
   local engine) and writes them as Parquet partitioned by publication month.

The pipeline then loads that folder into the store and runs the corpus-wide stages (reposts,
events, comparison) as the local engine does, except that the event grouping scores and
clusters its monthly windows as Ray tasks (`ray_session` yields the task runner), with the
same result. On a cluster of several machines the inputs and the output folder must be on a
file system all of them see; stdin is first copied beside the output folder for that reason.

Ray starts a local instance when no address is given; with `--address` (or RAY_ADDRESS) it
joins a running cluster (`ray start --head` on one machine, `ray start --address=HEAD:6379`
on the others).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TextIO

import numpy as np
import pyarrow as pa

from storyline.clean import clean_record
from storyline.clean.reposts import fingerprint_text
from storyline.events import TaskRunner
from storyline.ingest import Input, read_input
from storyline.model import IngestError, RawRecord
from storyline.settings import Settings
from storyline.store.parquet import (
    PARTITION,
    RECORD_SCHEMA,
    article_from_record,
    article_record,
)

READ_TASKS_PER_WORKER = 4  # inputs are spread over this many read tasks per worker
CLEAN_BLOCK_ROWS = 256  # a file of many records is cleaned by many tasks, a block each
ROWS_PER_FILE = 1000  # fewer, larger Parquet files than one per block and month
CLEANED_SCHEMA = pa.schema([
    ("input", pa.int64()), ("number", pa.int64()), ("given_id", pa.string()),
    ("read_problem", pa.string()), ("level", pa.string()), ("cleaning_problem", pa.string()),
    *RECORD_SCHEMA])
NO_RECORD = {f.name: None for f in fields(RawRecord)}
# Ray collects usage statistics unless told not to; storyline sends nothing anywhere.
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
# A local instance for one run needs no token; a cluster sets its own mode.
os.environ.setdefault("RAY_AUTH_MODE", "disabled")


class Found(NamedTuple):
    """What the driver reads of each record found, to choose whether it goes on."""

    position: int  # the input's number and the record's number within it, as one key
    input: int
    source: str
    given_id: str | None
    fingerprint: str | None
    published: str | None
    read_problem: str | None  # the reader's error or warning (then `level` says which)
    level: str | None
    cleaning_problem: str | None


Choose = Callable[[Iterable[Found]], Iterator[tuple[int, str]]]
"""Takes the records found in reading order, yields (position, document id) of those to annotate."""


def read_records(item: dict[str, Any], max_article_chars: int) -> Iterator[dict[str, Any]]:
    """A read task: every record and reading problem of one input, as rows."""
    source = Input(item["source"], item["size"], item["kind"], item["error"])
    with open(item["spool"], "rb") if item["spool"] else nullcontext() as stdin:
        found = read_input(source, stdin=stdin, max_article_chars=max_article_chars)
        for number, record in enumerate(found):
            position = {"input": item["input"], "number": number}
            if isinstance(record, IngestError):
                yield {**NO_RECORD, **position, "source": record.source,
                       "problem": record.error, "level": record.level}
            else:
                yield {**asdict(record), **position, "problem": None, "level": None}


def clean_records(block: pa.Table) -> pa.Table:
    """A clean task: each record cleaned as the local engine cleans it; its id comes later."""
    from storyline.pipeline import cleaning_failed

    cleaned = []
    for row in block.to_pylist():
        position = {"input": row.pop("input"), "number": row.pop("number")}
        problem, level = row.pop("problem"), row.pop("level")
        if problem is not None:
            cleaned.append({**position, "source": row["source"], "read_problem": problem,
                            "level": level})
            continue
        record = RawRecord(**row)
        identity = {"given_id": record.id, "source": record.source,
                    "fingerprint": record.fingerprint}
        try:
            article = clean_record(record, "")
        except Exception as exc:  # noqa: BLE001 - reported, the other records go on
            cleaned.append({**position, **identity, "cleaning_problem": cleaning_failed(exc)})
            continue
        cleaned.append({**position, **article_record(article), **identity})
    return pa.Table.from_pylist(cleaned, schema=CLEANED_SCHEMA)


class AnnotateArticles:
    """A Ray actor: loads the NLP model once, then annotates block after block of the chosen
    records under their ids (`chosen`: positions in order, and their ids)."""

    def __init__(self, model: str | None, batch_size: int, chosen: Any) -> None:
        import ray

        from storyline.nlp import load_model

        self.nlp = load_model(model)
        self.batch_size = batch_size
        self.positions, self.ids = ray.get(chosen)

    def __call__(self, block: pa.Table) -> pa.Table:
        from storyline.nlp import annotate
        from storyline.pipeline import annotate_parsed

        positions = _positions(block)
        at = np.minimum(np.searchsorted(self.positions, positions), len(self.positions) - 1)
        chosen = self.positions[at] == positions
        articles = []
        for row, index in zip(block.filter(pa.array(chosen)).to_pylist(), at[chosen],
                              strict=True):
            article = article_from_record(row).article
            article.id = self.ids[index]
            articles.append((article, None))
        annotated = []
        for article, doc, _ in annotate(articles, self.nlp, batch_size=self.batch_size):
            problem = annotate_parsed(article, doc)
            annotated.append(article_record(article, fingerprint_text(article.text), problem))
        return pa.Table.from_pylist(annotated, schema=RECORD_SCHEMA)


def annotate_on_ray(
    items: Sequence[Input], folder: str | Path, settings: Settings, choose: Choose,
    stdin: TextIO | BinaryIO | None = None,
) -> int:
    """Read, clean and annotate the inputs on Ray, writing what `choose` keeps under
    `folder`; returns how many were annotated. The driver never holds the articles."""
    import ray

    if not items:
        return 0
    folder = Path(folder)
    spool = folder.with_name(f"{folder.name}-stdin.jsonl")
    with ray_session(settings):
        if any(item.kind == "stdin" for item in items):
            _copy_stdin(stdin, spool)
        inputs = [{"input": number, "source": item.source, "size": item.size, "kind": item.kind,
                   "error": item.error, "spool": str(spool) if item.kind == "stdin" else None}
                  for number, item in enumerate(items)]
        read_tasks = min(len(inputs), settings.ray_workers * READ_TASKS_PER_WORKER)
        try:
            cleaned = (
                ray.data.from_items(inputs, override_num_blocks=read_tasks)
                .flat_map(read_records,
                          fn_kwargs={"max_article_chars": settings.max_article_chars})
                .repartition(target_num_rows_per_block=CLEAN_BLOCK_ROWS)
                .map_batches(clean_records, batch_format="pyarrow", batch_size=None)
                .materialize()
            )
        finally:
            spool.unlink(missing_ok=True)
        chosen = list(choose(_found_in_reading_order(cleaned)))
        if not chosen:
            return 0
        positions = np.array([position for position, _ in chosen], dtype=np.int64)
        block_rows = settings.nlp_batch_size * 2
        cleaned.map_batches(
            AnnotateArticles,
            fn_constructor_kwargs={"model": settings.model, "batch_size": settings.nlp_batch_size,
                                   "chosen": ray.put((positions, [i for _, i in chosen]))},
            batch_size=block_rows,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=settings.ray_workers),
            num_cpus=1,
        ).write_parquet(str(folder), partition_cols=[PARTITION],
                        min_rows_per_file=ROWS_PER_FILE,
                        ray_remote_args={"num_cpus": 0})  # the actors hold every CPU
    return len(chosen)


def _positions(table: pa.Table) -> np.ndarray:
    """One sortable key per row from its input's and record's numbers."""
    inputs = table["input"].to_numpy().astype(np.int64)
    return (inputs << 32) | table["number"].to_numpy().astype(np.int64)


def _found_in_reading_order(cleaned: Any, slice_rows: int = 10_000) -> Iterator[Found]:
    """The driver's view of the records: a few small columns, sorted as they were read."""
    columns = [name for name in Found._fields if name != "position"] + ["number"]
    batches = list(cleaned.select_columns(columns).iter_batches(batch_format="pyarrow",
                                                                batch_size=None))
    if not batches:
        return
    table = pa.concat_tables(batches).sort_by([("input", "ascending"), ("number", "ascending")])
    positions = _positions(table).tolist()
    for at in range(0, table.num_rows, slice_rows):
        for position, row in zip(positions[at : at + slice_rows],
                                 table.slice(at, slice_rows).to_pylist(), strict=True):
            del row["number"]
            yield Found(position, **row)


def _copy_stdin(stdin: TextIO | BinaryIO | None, spool: Path) -> None:
    """Copy stdin to a file the read task can open, wherever it runs."""
    spool.parent.mkdir(parents=True, exist_ok=True)
    lines = stdin if stdin is not None else sys.stdin.buffer
    with open(spool, "wb") as copy:
        for line in lines:
            copy.write(line.encode() if isinstance(line, str) else line)


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
