"""The `storyline` command: thin commands over the library (`storyline.pipeline`, the store)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from storyline.eval import DataError
from storyline.ingest import Input
from storyline.model import Article
from storyline.nlp import ModelError, resolve_model_name
from storyline.pipeline import DEFAULT_DB, RunResult, analyze, load
from storyline.settings import Settings
from storyline.store import StoreError

app = typer.Typer(
    help="Turn news articles from many outlets into a sourced record of what happened.",
    no_args_is_help=True,
    add_completion=False,
)
eval_app = typer.Typer(help="Score storyline against human-labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
console = Console(stderr=True)


def _output_path(path: Path | None) -> Path | None:
    """A file to write must have a folder to go in: said before a long run, not after it."""
    if path is not None and str(path) != "-" and not path.absolute().parent.is_dir():
        raise typer.BadParameter(f"there is no folder {path.absolute().parent} to write in")
    return path


DbOption = Annotated[Path, typer.Option(
    "--db", help="The SQLite store (created if missing).", callback=_output_path)]
StoreOption = Annotated[Path, typer.Option("--db", help="The SQLite store to read.")]
JsonOption = Annotated[Path | None, typer.Option(
    "--json", help="Also write the whole store as one JSON object (the output contract).",
    callback=_output_path)]
ReportOption = Annotated[Path | None, typer.Option(
    "--report", help="Also write a self-contained HTML report.", callback=_output_path)]


@contextmanager
def _user_errors() -> Iterator[None]:
    """Mistakes in what the user gave (a wrong data file, a missing model, a file that is not a
    store) are one red line and exit status 2, not a traceback."""
    try:
        yield
    except (DataError, ModelError, StoreError) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    parquet = "parquet"


class TimePart(StrEnum):
    overall = "overall"
    train_part = "train-part"
    dev_part = "dev-part"


class Engine(StrEnum):
    local = "local"
    ray = "ray"


class BarProgress:
    """A rich progress bar over the inputs, with a count of documents processed."""

    def __init__(self, progress: Progress) -> None:
        self.bar = progress
        self.task = progress.add_task("reading", total=None)
        self.documents = 0

    def start(self, inputs: list[Input]) -> None:
        self.bar.update(self.task, total=len(inputs), description="analysing")

    def input_done(self, item: Input) -> None:
        self.bar.advance(self.task)

    def document_done(self, article: Article) -> None:
        self.documents += 1
        self.bar.update(self.task, description=f"analysing · {self.documents} documents")

    def stage(self, name: str) -> None:
        self.bar.update(self.task, description=name)


@app.command("analyze")
def analyze_command(
    paths: Annotated[list[str], typer.Argument(
        help="Files, folders (recursive), feeds, WARC files, URLs, or - for JSONL on stdin.",
        show_default=False)],
    db: DbOption = Path(DEFAULT_DB),
    json_out: JsonOption = None,
    report: ReportOption = None,
    processes: Annotated[int, typer.Option(
        help="spaCy worker processes (more is faster on many documents).", min=1)] = 1,
    model: Annotated[str | None, typer.Option(
        help="spaCy model name (default: en_core_web_sm if installed, else its PyPI copy).")
    ] = None,
    since: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Leave out documents published before this day "
        "(YYYY-MM-DD); documents without a date are kept.")] = None,
    engine: Annotated[Engine, typer.Option(
        help="local: read and annotate in this process; ray: read, clean and annotate on a "
        "Ray cluster (a local one unless --address), writing Parquet by month, then load "
        "it.")] = Engine.local,
    address: Annotated[str | None, typer.Option(
        help="Ray cluster to join, e.g. 10.0.0.5:6379 (with --engine ray).")] = None,
    parquet: Annotated[Path | None, typer.Option(
        help="Where --engine ray writes the annotated articles (default: beside the store, "
        "STORE.parquet/run-N/month=YYYY-MM/).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest articles into the store, annotate the new ones and print a summary.

    Re-running on a growing folder processes only new or changed documents, and compares
    again only the events they touch. Bad files never stop the run: each gets one line in
    the summary and in the store. The exit status is 1 when no input gave a document.

    Example: storyline analyze examples/ --db storyline.db --json out.json --report report.html

    Example: storyline analyze crawl/ --since 2024-02-01

    Example: storyline analyze crawl/ --engine ray --address 10.0.0.5:6379
    """
    if address and engine is not Engine.ray:
        console.print("[red]--address needs --engine ray[/]")
        raise typer.Exit(2)
    if engine is Engine.ray and importlib.util.find_spec("ray") is None:
        console.print("[red]--engine ray needs Ray: pip install 'storyline[ray]'[/]")
        raise typer.Exit(2)
    settings = Settings(model=model or Settings().model, processes=processes,
                        since=since.date() if since else None, engine=engine.value,
                        ray_address=address, parquet=str(parquet) if parquet else None)
    with _user_errors():
        resolve_model_name(settings.model)
        try:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=console, disable=quiet) as bar:
                result = analyze(paths, db=db, json_out=json_out, report=report,
                                 settings=settings, progress=BarProgress(bar), stdin=sys.stdin)
        except KeyboardInterrupt:
            console.print(f"[yellow]interrupted[/]: what was stored in {db} is kept; run the "
                          "same command again to finish")
            raise typer.Exit(130) from None
    print_summary(result)
    if json_out:
        console.print(f"JSON written to {json_out}")
    if report:
        console.print(f"report written to {report}")
    _exit_if_nothing_read(result)


def _exit_if_nothing_read(result: RunResult) -> None:
    """Exit status 1 when no input gave a document, so a script can tell a run did nothing."""
    counts = result.counts
    if not (counts["added"] or counts["updated"] or counts["unchanged"]
            or counts["before since"]):
        console.print("[red]no document was read[/]"
                      + (": see the problems above" if result.errors else
                         ": no input files found"))
        raise typer.Exit(1)


def print_summary(result: RunResult) -> None:
    counts, summary = result.counts, result.summary
    console.print(
        f"[bold]run {result.run_id}[/] · store {result.db}: "
        f"{counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['errors']} errors, "
        f"{counts['warnings']} warnings · {summary.get('documents', 0)} documents in store, "
        f"{summary.get('duplicates', 0)} reposts/duplicates, {counts['events']} events "
        f"({counts['events compared']} compared again)"
        + (f" · {counts['before since']} published before --since, left out"
           if counts["before since"] else "")
    )
    for title, key in (("outlet", "by_outlet"), ("language", "by_language"), ("month", "by_month")):
        rows = summary.get(key) or {}
        if rows:
            table = Table(title=f"documents by {title}", title_justify="left")
            table.add_column(title)
            table.add_column("documents", justify="right")
            for name, n in sorted(rows.items(), key=lambda kv: (-kv[1], str(kv[0])))[:15]:
                table.add_row(str(name), str(n))
            console.print(table)
    if result.errors:
        table = Table(title="problems in this run", title_justify="left")
        for column in ("level", "source", "problem"):
            table.add_column(column, overflow="fold")
        for error in result.errors:
            table.add_row(error.level, error.source, error.error)
        console.print(table)


@app.command("load")
def load_command(
    parquet: Annotated[Path, typer.Option(
        "--parquet", help="Folder of annotated articles in Parquet, one sub-folder per month "
        "(what `analyze --engine ray` writes).")],
    db: DbOption = Path(DEFAULT_DB),
    json_out: JsonOption = None,
    report: ReportOption = None,
) -> None:
    """Build the store from annotated articles in Parquet, then group events and compare.

    Articles already in the store unchanged are skipped, as on a re-run of analyze.

    Example: storyline load --parquet annotated/ --db storyline.db
    """
    import pyarrow as pa

    if not parquet.is_dir():
        console.print(f"[red]no Parquet folder at {parquet}[/]")
        raise typer.Exit(2)
    with _user_errors():
        try:
            result = load(parquet, db=db, json_out=json_out, report=report)
        except pa.ArrowException as error:
            console.print(f"[red]{parquet} holds a file that is not storyline's Parquet[/]: "
                          f"{error}")
            raise typer.Exit(2) from None
    print_summary(result)


@app.command("export")
def export_command(
    out_path: Annotated[Path, typer.Option("--out", help="File to write, or - for standard "
                        "output (json, jsonl).", callback=_output_path)],
    db: StoreOption = Path(DEFAULT_DB),
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json: one object (the output "
                   "contract); jsonl: a document per line; parquet: a documents table.")
                   ] = ExportFormat.json,
) -> None:
    """Export the store: json holds everything (documents, events, stories, outlets, errors),
    jsonl and parquet the documents, one per line or row.

    Example: storyline export --db storyline.db --format jsonl --out - | jq .title
    """
    from storyline.store.export import export

    with _open_store(db) as store:
        try:
            n = export(store, out_path, fmt.value)
        except ValueError as error:  # Parquet asked for on standard output
            raise typer.BadParameter(str(error), param_hint="--out") from None
    target = "standard output" if str(out_path) == "-" else out_path
    console.print(f"{n} documents written to {target} ({fmt.value})")


@app.command("report")
def report_command(
    out_path: Annotated[Path, typer.Option("--out", help="HTML file to write.",
                                           callback=_output_path)] = Path("report.html"),
    db: StoreOption = Path(DEFAULT_DB),
) -> None:
    """Write a self-contained HTML report of the store (works offline)."""
    from storyline.report import write_report

    with _open_store(db) as store:
        write_report(store, out_path)
    console.print(f"report written to {out_path}")


@app.command("serve")
def serve_command(
    db: StoreOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to listen on. Anything but 127.0.0.1 "
                    "makes the store readable by other machines.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """A local web app over the store: events, timeline, articles, search, JSON API.

    The store is opened read-only. Example: storyline serve --db storyline.db --port 8000
    """
    from storyline.web import serve

    _open_store(db).close()  # a clear error now rather than on the first page
    console.print(f"serving {db} on http://{host}:{port}/ (Ctrl+C to stop)")
    serve(db, host=host, port=port)


@eval_app.command("time")
def eval_time_command(
    data: Annotated[Path, typer.Option("--data", help="JSONL in the format of "
                    "shared/data/time/ (text, dct, gold timexes).", exists=True, dir_okay=False)],
    parse: Annotated[bool, typer.Option(help="Take tense from the spaCy parse (else from "
                     "word cues only).")] = True,
    errors: Annotated[int, typer.Option(help="Also print this many errors, one JSON per line.",
                      min=0)] = 0,
    part: Annotated[TimePart, typer.Option(help="Errors of all documents, or of one part: "
                    "dev-part is every 5th document by doc_id (rules are checked there), "
                    "train-part the rest.")] = TimePart.overall,
) -> None:
    """TempEval-3 figures of the temporal tagger: extent (strict, relaxed), type and value F1.

    Example: storyline eval time --data ../shared/data/time/tempeval3_tbaq_train.jsonl
    """
    from storyline.eval.time import evaluate, format_errors, format_report

    with _user_errors():
        scores = evaluate(data, use_spacy=parse)
    typer.echo(format_report(scores))
    if errors:
        typer.echo(format_errors(scores, part=part.value, limit=errors))


@eval_app.command("quotes")
def eval_quotes_command(
    data: Annotated[Path, typer.Option("--data", help="JSONL in the format of "
                    "shared/data/quotes/polnear/ (text, gold attributions).", exists=True,
                    dir_okay=False)],
    cache: Annotated[Path | None, typer.Option(help="Keep the spaCy parses in this folder "
                     "between runs.", file_okay=False)] = None,
    errors: Annotated[int, typer.Option(help="Also print this many errors, one JSON per line.",
                      min=0)] = 0,
    kind: Annotated[str | None, typer.Option(help="Errors of one kind only: missed, spurious "
                    "or source.")] = None,
) -> None:
    """Attribution figures of the quotes stage: content P/R/F1 (soft and exact) and source
    P/R/F1 over matched quotes, for all, direct, mixed and indirect quotes.

    Example: storyline eval quotes --data ../shared/data/quotes/polnear/dev.jsonl
    """
    from storyline.eval.quotes import evaluate, format_errors, format_report

    with _user_errors():
        scores = evaluate(data, cache=cache)
    typer.echo(format_report(scores))
    if errors:
        typer.echo(format_errors(scores, kind=kind, limit=errors))



@eval_app.command("events")
def eval_events_command(
    data: Annotated[Path, typer.Option("--data", help="JSONL in the format of "
                    "shared/data/events/ (doc_id, text, gold event_id).", exists=True,
                    dir_okay=False)],
    db: Annotated[Path | None, typer.Option("--db", help="Keep the analysed store here; a "
                  "second run reuses it and only groups again.")] = None,
    engine: Annotated[Engine, typer.Option(
        help="Annotate with the local or the Ray engine (to compare the two).")] = Engine.local,
) -> None:
    """BCubed and pairwise figures of the event grouping, and event date accuracy.

    Example: storyline eval events --data ../shared/data/events/gvc/dev.jsonl
    """
    from storyline.eval.events import evaluate, format_report

    with _user_errors():
        typer.echo(format_report(evaluate(data, db, Settings(engine=engine.value))))

@eval_app.command("claims")
def eval_claims_command(
    gold: Annotated[Path, typer.Option("--gold", help="Gold aligned claims (JSONL: events, "
                    "documents, claim spans), e.g. tests/fixtures/claims/gold.jsonl.",
                    exists=True, dir_okay=False)],
    data: Annotated[Path | None, typer.Option("--data", help="Folder of the data sets the gold "
                    "names (default ../shared/data/events).", file_okay=False)] = None,
    errors: Annotated[bool, typer.Option(help="Also print every false and missed pair.")
                      ] = False,
) -> None:
    """Claim alignment and status: precision and recall against a gold set of aligned claims.

    Example: storyline eval claims --gold tests/fixtures/claims/gold.jsonl
    """
    import json

    from storyline.eval.claims import evaluate, format_report

    with _user_errors():
        scores = evaluate(gold, data)
    typer.echo(format_report(scores))
    if errors:
        for error in scores["errors"]:
            typer.echo(json.dumps(error, ensure_ascii=False))


def _open_store(db: Path):
    """A missing store is the user's mistake: say how to make one, no traceback."""
    from storyline.store import Store

    if not db.exists():
        console.print(f"[red]no store at {db}[/]: run `storyline analyze PATH --db {db}` first")
        raise typer.Exit(2)
    with _user_errors():
        return Store(db, readonly=True)


if __name__ == "__main__":
    app()
