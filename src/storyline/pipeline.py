"""Wires the stages: ingest → clean → annotate (NLP, time, quotes) → store → reposts → events
→ claims and framing → export / report.

This is the only module that knows the order of the stages. Documents stream through in
batches; each batch is written in one transaction, so a run killed at any moment leaves a
consistent store and the next run picks up what is missing. Documents whose input did not
change since an earlier run are not processed again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from storyline.clean import NoArticleText, clean_record
from storyline.clean.reposts import RepostIndex, fingerprint_text
from storyline.compare import compare_events
from storyline.events import TaskRunner, assign_events, run_here
from storyline.events.records import sentence_records
from storyline.ingest import Input, discover, read_input
from storyline.model import Article, IngestError
from storyline.nlp import annotate, load_model
from storyline.quotes import extract_quotes
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.export import export
from storyline.store.parquet import read_parquet
from storyline.temporal import main_event_date, tag_timexes

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_DB = "storyline.db"
_UNSAFE_ID = re.compile(r"[^\w.-]+")


class Progress(Protocol):
    """What a front end (the CLI's progress bar) hears about a long run."""

    def start(self, inputs: list[Input]) -> None: ...
    def input_done(self, item: Input) -> None: ...
    def document_done(self, article: Article) -> None: ...
    def stage(self, name: str) -> None: ...


@dataclass
class RunResult:
    """What one `analyze` run did, for the closing summary."""

    run_id: int
    db: str
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[IngestError] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def analyze(
    inputs: Sequence[str],
    *,
    db: str | Path = DEFAULT_DB,
    json_out: str | Path | None = None,
    report: str | Path | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    stdin: TextIO | None = None,
) -> RunResult:
    """Ingest files, folders, feeds or URLs into the store and annotate what is new."""
    settings = settings or Settings()

    def add_documents(store: Store, run_id: int, result: RunResult) -> None:
        items = discover(inputs)
        if progress:
            progress.start(items)
        new = NewDocuments(store, settings, result)
        if settings.engine == "ray":
            _annotate_on_ray(store, run_id, items, new, settings, progress, stdin)
        else:
            cleaned = _cleaned_new_articles(items, new, settings, progress, stdin)
            _annotate_here(store, run_id, cleaned, settings, progress, result)

    return _run(db, [str(i) for i in inputs], add_documents, json_out, report, settings, progress)


def load(
    parquet: str | Path,
    *,
    db: str | Path = DEFAULT_DB,
    json_out: str | Path | None = None,
    report: str | Path | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Build the store from annotated articles in Parquet (as `--engine ray` writes them),
    then run the corpus-wide stages: reposts, events, comparison."""
    settings = settings or Settings()

    def add_documents(store: Store, run_id: int, result: RunResult) -> None:
        _load_parquet(store, run_id, parquet, settings, progress, result)

    return _run(db, [f"parquet:{parquet}"], add_documents, json_out, report, settings, progress)


def _run(
    db: str | Path,
    sources: list[str],
    add_documents: Callable[[Store, int, RunResult], None],
    json_out: str | Path | None,
    report: str | Path | None,
    settings: Settings,
    progress: Progress | None,
) -> RunResult:
    """One recorded run: add documents, then the corpus-wide stages, then the outputs."""
    with Store(db) as store, _task_runner(settings) as run_tasks:
        run_id = store.begin_run(sources)
        result = RunResult(run_id, str(db))
        status = "interrupted"
        try:
            add_documents(store, run_id, result)
            _corpus_stages(store, result, progress, run_tasks)
            status = "finished"
        finally:
            store.finish_run(run_id, dict(result.counts), status=status)
        _finish(store, result, json_out, report)
    return result


def _load_parquet(store: Store, run_id: int, parquet: str | Path, settings: Settings,
                  progress: Progress | None, result: RunResult) -> None:
    """Write the annotated articles of a Parquet folder into the store, batch by batch."""
    known = store.known_fingerprints()
    reported = len(result.errors)
    batch: list[tuple[Article, bytes, str]] = []
    for annotated in read_parquet(parquet):
        article = annotated.article
        if annotated.warning:
            result.errors.append(IngestError(article.source, annotated.warning, "warning"))
            result.counts["warnings"] += 1
        if known.get(article.source) == article.fingerprint:
            result.counts["unchanged"] += 1
            continue
        batch.append((article, annotated.minhash,
                      "updated" if article.source in known else "added"))
        if progress:
            progress.document_done(article)
        if len(batch) >= settings.write_batch_size:
            _write_batch(store, run_id, batch, result)
            batch.clear()
    _write_batch(store, run_id, batch, result)
    store.record_errors(run_id, result.errors[reported:])


@contextmanager
def _task_runner(settings: Settings) -> Iterator[TaskRunner]:
    """Where the event grouping's windows run: here, or on Ray for the whole run."""
    if settings.engine != "ray":
        yield run_here
        return
    from storyline.distributed import ray_session

    with ray_session(settings) as run_tasks:
        yield run_tasks


def _corpus_stages(store: Store, result: RunResult, progress: Progress | None,
                   run_tasks: TaskRunner) -> None:
    """The stages that read the whole store: reposts, events, the comparison of outlets."""
    if progress:
        progress.stage("finding reposts")
    result.counts["duplicates"] = mark_reposts(store)
    if progress:
        progress.stage("grouping events")
    articles = list(store.articles())  # read once for both corpus-wide stages
    result.counts["events"] = assign_events(store, articles=articles, run_tasks=run_tasks)
    if progress:
        progress.stage("comparing outlets")
    result.counts["claims"], result.counts["events compared"] = compare_events(store, articles)


def _finish(store: Store, result: RunResult, json_out: str | Path | None,
            report: str | Path | None) -> None:
    result.summary = store.summary()
    if json_out:
        export(store, json_out, "json")
    if report:
        from storyline.report import write_report

        write_report(store, report)


def _annotate_here(
    store: Store,
    run_id: int,
    new_articles: Iterator[tuple[Article, tuple[bytes, str]]],
    settings: Settings,
    progress: Progress | None,
    result: RunResult,
) -> None:
    """The local engine: NLP, time and quotes in this process, written batch by batch."""
    pending_errors = len(result.errors)
    batch: list[tuple[Article, bytes, str]] = []

    def flush() -> None:
        nonlocal pending_errors
        if batch:
            _write_batch(store, run_id, batch, result)
            batch.clear()
        if len(result.errors) > pending_errors:
            store.record_errors(run_id, result.errors[pending_errors:])
            pending_errors = len(result.errors)

    nlp = load_model(settings.model)
    for article, doc, (text_fingerprint, change) in annotate(
        new_articles, nlp, processes=settings.processes, batch_size=settings.nlp_batch_size
    ):
        if problem := annotate_parsed(article, doc):
            result.errors.append(IngestError(article.source, problem, "warning"))
            result.counts["warnings"] += 1
        batch.append((article, text_fingerprint, change))
        if progress:
            progress.document_done(article)
        if len(batch) >= settings.write_batch_size:
            flush()
    flush()


def annotate_parsed(article: Article, doc: Doc) -> str | None:
    """The annotation stages after the parse: time, quotes, event records. A failure keeps
    the document and returns the problem, for the run's warnings."""
    try:
        publication = date.fromisoformat(article.published[:10]) if article.published else None
        article.timexes = tag_timexes(article.text, publication, doc)
        article.event_date = main_event_date(
            article.text, article.title, article.timexes, publication)
        article.quotes = extract_quotes(article.text, doc, article.entities)
        article.records = sentence_records(article)
    except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the run
        return f"dates, quotes or event records failed ({exc!r}); stored without them"
    return None


def _annotate_on_ray(
    store: Store,
    run_id: int,
    items: list[Input],
    new: NewDocuments,
    settings: Settings,
    progress: Progress | None,
    stdin: TextIO | None,
) -> None:
    """The Ray engine: read, clean and annotate on the cluster into Parquet by month, with
    this process choosing which records go on; then load that folder."""
    from storyline.distributed import Found, annotate_on_ray

    def choose(found: Iterable[Found]) -> Iterator[tuple[int, str]]:
        done = 0  # inputs whose records have all been seen, for the progress bar
        for record in found:
            for item in items[done : record.input] if progress else ():
                progress.input_done(item)
            done = max(done, record.input)
            if record.read_problem is not None:
                new.report(IngestError(record.source, record.read_problem, record.level))
                continue
            doc_id = new.document_id(record.source, record.given_id, record.fingerprint)
            if doc_id is None:
                continue
            if record.cleaning_problem is not None:
                new.report(IngestError(record.source, record.cleaning_problem))
            elif new.in_period(record.published):
                yield record.position, doc_id
        for item in items[done:] if progress else ():
            progress.input_done(item)

    folder = Path(settings.parquet or Path(store.path).with_suffix(".parquet")) / f"run-{run_id}"
    if progress:
        progress.stage("reading and annotating on Ray")
    annotate_on_ray(items, folder, settings, choose, stdin)
    store.record_errors(run_id, new.result.errors)  # what reading and cleaning found
    if folder.is_dir():
        _load_parquet(store, run_id, folder, settings, progress, new.result)


def _write_batch(
    store: Store, run_id: int, batch: list[tuple[Article, bytes, str]], result: RunResult
) -> None:
    """One transaction per batch; if the store refuses it, find the culprit document by document."""
    try:
        store.write_articles(run_id, [a for a, _, _ in batch], {a.id: f for a, f, _ in batch})
        result.counts.update(change for _, _, change in batch)
        return
    except Exception:  # noqa: BLE001 - retried below, one document at a time
        pass
    for article, text_fingerprint, change in batch:
        try:
            store.write_articles(run_id, [article], {article.id: text_fingerprint})
            result.counts[change] += 1
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            result.errors.append(IngestError(article.source, f"could not be stored: {exc}"))
            result.counts["errors"] += 1


class NewDocuments:
    """Which records of a run go on to be annotated, whichever engine reads and cleans them:
    each source once, not when unchanged since an earlier run, under a free id, and not when
    published before `--since`. What is left out is counted (and reported) in the result."""

    def __init__(self, store: Store, settings: Settings, result: RunResult) -> None:
        self.known = store.known_fingerprints()
        self.ids_by_source = store.ids_by_source()
        self.taken = set(self.ids_by_source.values())
        self.seen_sources: dict[str, str] = {}  # source -> fingerprint
        self.since = settings.since.isoformat() if settings.since else None
        self.result = result

    def report(self, problem: IngestError) -> None:
        self.result.errors.append(problem)
        self.result.counts["warnings" if problem.level == "warning" else "errors"] += 1

    def document_id(self, source: str, given_id: str | None, fingerprint: str) -> str | None:
        """The id a record is stored under; None when it is left out."""
        if source in self.seen_sources:
            self.report(IngestError(source, "same record twice in this run"
                                    if self.seen_sources[source] == fingerprint else
                                    "another record with this id came earlier in this run; "
                                    "this one is left out"))
            return None
        self.seen_sources[source] = fingerprint
        if self.known.get(source) == fingerprint:
            self.result.counts["unchanged"] += 1
            return None
        doc_id = self.ids_by_source.get(source) or _new_document_id(source, given_id, self.taken)
        if doc_id is None:
            self.report(IngestError(source, f"id {given_id!r} is already used by another document"))
            return None
        self.taken.add(doc_id)
        return doc_id

    def in_period(self, published: str | None) -> bool:
        if self.since and published and published[:10] < self.since:
            self.result.counts["before since"] += 1
            return False
        return True

    def change(self, source: str) -> str:
        return "updated" if source in self.known else "added"


def _cleaned_new_articles(
    items: list[Input],
    new: NewDocuments,
    settings: Settings,
    progress: Progress | None,
    stdin: TextIO | None,
) -> Iterator[tuple[Article, tuple[bytes, str]]]:
    """Read every input and clean each record that goes on (see `NewDocuments`)."""
    for item in items:
        for record in read_input(item, stdin=stdin, max_article_chars=settings.max_article_chars):
            if isinstance(record, IngestError):
                new.report(record)
                continue
            doc_id = new.document_id(record.source, record.id, record.fingerprint)
            if doc_id is None:
                continue
            try:
                article = clean_record(record, doc_id)
            except Exception as exc:  # a cleaning bug must not lose the other documents
                new.report(IngestError(record.source, cleaning_failed(exc)))
                continue
            if new.in_period(article.published):
                yield article, (fingerprint_text(article.text), new.change(record.source))
        if progress:
            progress.input_done(item)


def cleaning_failed(exc: Exception) -> str:
    """A record with no article text is the input's problem; anything else is a cleaning bug."""
    return str(exc) if isinstance(exc, NoArticleText) else f"cleaning failed: {exc!r}"


def _new_document_id(source: str, given_id: str | None, taken: set[str]) -> str | None:
    """Given ids are kept exactly (None if taken); files get their name, made unique if needed."""
    if given_id is not None:
        return None if given_id in taken else given_id
    location, _, part = source.partition("#")
    stem = _UNSAFE_ID.sub("-", Path(location.rstrip("/")).stem or location).strip("-") or "doc"
    candidate = stem if not part else f"{stem}-{_short_hash(part)}"
    return candidate if candidate not in taken else f"{candidate}-{_short_hash(source)}"


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def mark_reposts(store: Store) -> int:
    """Flag copies across the whole store (earlier runs included); returns how many copies."""
    index = RepostIndex()
    published = store.published_dates()
    for doc_id, signature in store.minhashes():
        index.add(doc_id, signature, published.get(doc_id))
    copies = index.resolve()
    store.set_duplicates({
        doc_id: (c.duplicate_of, c.kind, round(c.similarity, 3)) for doc_id, c in copies.items()
    })
    return len(copies)
