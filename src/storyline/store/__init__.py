"""The store: one SQLite file that is the single source of truth for a corpus.

Every stage writes its results here and every view (CLI summary, report, web app, export)
reads them back from here. The schema is in `schema.sql`, next to this file. Each write
method is one transaction, so a run killed at any moment leaves the store as it was before
the write in progress, and re-running completes the work. Needs only the standard library.
"""

from __future__ import annotations

import errno
import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from storyline.model import Article, Flags, IngestError
from storyline.store import rows

SCHEMA_VERSION = 1
DEFAULT_PATH = "storyline.db"

# Search snippets wrap each matched term in these control characters ("start/end of text"),
# which cleaned news text does not contain: a view escapes the snippet, then turns them into
# its own highlight markup.
MATCH_START = "\x02"
MATCH_END = "\x03"

_WORD = re.compile(r"\w+")
_PAGE_SIZE = 1000


class StoreError(Exception):
    """The file cannot be used as a storyline store (not one, or of another schema version)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A storyline store in one SQLite file; usable as a context manager."""

    def __init__(self, path: str | Path = DEFAULT_PATH, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._conn = _connect(self.path, readonly)
        try:
            _prepare(self._conn, self.path, readonly)
        except BaseException:
            self._conn.close()
            raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken up front so it cannot deadlock later."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            if self._conn.in_transaction:  # SQLite may have rolled back already (disk full)
                self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot, so queries that belong together see the same state."""
        self._conn.execute("BEGIN")
        try:
            yield self._conn
        finally:
            self._conn.execute("COMMIT")

    # -- runs and errors ----------------------------------------------------------------------

    def begin_run(self, inputs: list[str]) -> int:
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO runs (started, inputs, status) VALUES (?, ?, 'running')",
                (_now(), rows.to_json([str(item) for item in inputs])),
            )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, counts: dict[str, int], status: str = "finished") -> None:
        with self._write() as db:
            db.execute(
                "UPDATE runs SET finished = ?, counts = ?, status = ? WHERE id = ?",
                (_now(), rows.to_json(counts), status, run_id),
            )

    def record_errors(self, run_id: int, errors: list[IngestError]) -> None:
        """Log the inputs a run could not read (level "error") or read with a warning."""
        at = _now()
        values = [(run_id, e.source, e.level, e.error, at) for e in errors]
        with self._write() as db:
            db.executemany(
                "INSERT INTO errors (run_id, source, level, error, at) VALUES (?, ?, ?, ?, ?)",
                values,
            )

    def errors(self, run_id: int | None = None) -> list[dict]:
        """Every logged error (of one run, or of all runs), oldest first."""
        sql = "SELECT source, level, error, run_id FROM errors"
        params: tuple[Any, ...] = ()
        if run_id is not None:
            sql += " WHERE run_id = ?"
            params = (run_id,)
        return [dict(row) for row in self._conn.execute(sql + " ORDER BY id", params)]

    def current_errors(self) -> list[dict]:
        """For each failing source, the errors of the latest run that reported it.

        Re-running on the same folder logs the same bad file again; the output lists it once.
        """
        sql = """
            SELECT source, level, error, run_id FROM errors AS e
            WHERE run_id IS (SELECT max(run_id) FROM errors WHERE source = e.source)
            ORDER BY id
        """
        return [dict(row) for row in self._conn.execute(sql)]

    # -- documents ----------------------------------------------------------------------------

    def known_fingerprints(self) -> dict[str, str]:
        """source -> fingerprint of every stored document, to skip unchanged inputs."""
        return dict(self._conn.execute("SELECT source, fingerprint FROM documents"))

    def existing_ids(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT id FROM documents")}

    def ids_by_source(self) -> dict[str, str]:
        """source -> document id, so a changed input keeps its id when processed again."""
        return dict(self._conn.execute("SELECT source, id FROM documents"))

    def published_dates(self) -> dict[str, str | None]:
        """document id -> publication date, to tell an original from its reposts."""
        return dict(self._conn.execute("SELECT id, published FROM documents"))

    def write_articles(
        self, run_id: int, articles: list[Article], minhashes: dict[str, bytes] | None = None
    ) -> None:
        """Store a batch in one transaction, replacing any earlier version of each document.

        An earlier row with the same source or the same id is deleted first; its sentences,
        entities, mentions, annotations, MinHash and full-text entry go with it.
        """
        columns = ", ".join(rows.DOCUMENT_COLUMNS + ("run_id", "added_at"))
        marks = ", ".join("?" * (len(rows.DOCUMENT_COLUMNS) + 2))
        added_at = _now()
        with self._write() as db:
            for article in articles:
                db.execute(
                    "DELETE FROM documents WHERE source = ? OR id = ?",
                    (article.source, article.id),
                )
                db.execute(
                    f"INSERT INTO documents ({columns}) VALUES ({marks})",
                    rows.document_row(article) + (run_id, added_at),
                )
                db.executemany(
                    "INSERT INTO sentences (doc_id, seq, start, end) VALUES (?, ?, ?, ?)",
                    rows.sentence_rows(article),
                )
                db.executemany(
                    "INSERT INTO entities (doc_id, entity_id, seq, name, type)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows.entity_rows(article),
                )
                db.executemany(
                    "INSERT INTO mentions (doc_id, entity_id, seq, start, end)"
                    " VALUES (?, ?, ?, ?, ?)",
                    rows.mention_rows(article),
                )
                db.executemany(
                    "INSERT INTO annotations (doc_id, kind, seq, data) VALUES (?, ?, ?, ?)",
                    rows.annotation_rows(article),
                )
            db.executemany(
                "INSERT OR REPLACE INTO minhashes (doc_id, signature) VALUES (?, ?)",
                (minhashes or {}).items(),
            )

    def update_flags(self, flags_by_id: dict[str, Flags]) -> None:
        with self._write() as db:
            db.executemany(
                "UPDATE documents SET flags = ? WHERE id = ?",
                [(rows.flags_json(flags), doc_id) for doc_id, flags in flags_by_id.items()],
            )

    def set_duplicates(self, copies: dict[str, tuple[str, str, float]]) -> None:
        """Make `copies` the store's complete set of reposts, in one transaction.

        Maps a document id to (id of the original, kind, similarity). Duplicate flags of
        documents not in `copies` are cleared, since repost detection covers the whole store.
        """
        fields = "'$.duplicate_of', ?, '$.duplicate_kind', ?, '$.duplicate_similarity', ?"
        with self._write() as db:
            db.execute(
                f"UPDATE documents SET flags = json_set(flags, {fields})"
                " WHERE json_extract(flags, '$.duplicate_of') IS NOT NULL",
                (None, None, None),
            )
            db.executemany(
                f"UPDATE documents SET flags = json_set(flags, {fields}) WHERE id = ?",
                [(of, kind, similarity, doc_id)
                 for doc_id, (of, kind, similarity) in copies.items()],
            )

    def set_event_ids(self, event_by_doc: dict[str, str | None]) -> None:
        with self._write() as db:
            db.executemany(
                "UPDATE documents SET event_id = ? WHERE id = ?",
                [(event_id, doc_id) for doc_id, event_id in event_by_doc.items()],
            )

    def minhashes(self) -> Iterator[tuple[str, bytes]]:
        """Every stored MinHash signature, read page by page."""
        for page in self._pages("SELECT doc_id, signature FROM minhashes", "doc_id"):
            yield from ((row[0], row[1]) for row in page)

    def article(self, doc_id: str) -> Article | None:
        with self._read():
            found = self._load_range(doc_id, doc_id)
        return found[0] if found else None

    def articles(self, *, batch_size: int = 500) -> Iterator[Article]:
        """Every article ordered by id, loaded batch_size at a time so memory stays flat."""
        for page in self._pages("SELECT id FROM documents", "id", batch_size, as_articles=True):
            yield from page

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def _pages(
        self, select: str, key: str, size: int = _PAGE_SIZE, *, as_articles: bool = False
    ) -> Iterator[list]:
        """Rows of `select` in pages ordered by `key`, each page read in its own snapshot.

        No cursor stays open between pages, so the caller may write while iterating. With
        as_articles, each page of document ids becomes full articles in the same snapshot.
        """
        last: str | None = None
        while True:
            op, after = (">=", "") if last is None else (">", last)
            with self._read() as db:
                page = db.execute(
                    f"{select} WHERE {key} {op} ? ORDER BY {key} LIMIT ?", (after, size)
                ).fetchall()
                if not page:
                    return
                last = page[-1][0]
                if as_articles:
                    page = self._load_range(page[0][0], last)
            yield page

    def _load_range(self, first: str, last: str) -> list[Article]:
        """The articles whose ids sort between first and last, with all their child rows."""
        bounds = (first, last)
        db = self._conn
        columns = ", ".join(rows.DOCUMENT_COLUMNS)
        docs = db.execute(
            f"SELECT {columns} FROM documents WHERE id BETWEEN ? AND ? ORDER BY id", bounds
        ).fetchall()
        sentences: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for doc_id, start, end in db.execute(
            "SELECT doc_id, start, end FROM sentences WHERE doc_id BETWEEN ? AND ?"
            " ORDER BY doc_id, seq", bounds
        ):
            sentences[doc_id].append((start, end))
        entities: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for doc_id, entity_id, name, type_ in db.execute(
            "SELECT doc_id, entity_id, name, type FROM entities WHERE doc_id BETWEEN ? AND ?"
            " ORDER BY doc_id, seq", bounds
        ):
            entities[doc_id].append((entity_id, name, type_))
        mentions: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for doc_id, entity_id, start, end in db.execute(
            "SELECT doc_id, entity_id, start, end FROM mentions WHERE doc_id BETWEEN ? AND ?"
            " ORDER BY doc_id, entity_id, seq", bounds
        ):
            mentions[doc_id][entity_id].append((start, end))
        annotations: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for doc_id, kind, data in db.execute(
            "SELECT doc_id, kind, data FROM annotations WHERE doc_id BETWEEN ? AND ?"
            " ORDER BY doc_id, kind, seq", bounds
        ):
            annotations[doc_id][kind].append(data)
        return [
            rows.article_from_rows(
                doc, sentences[doc["id"]], entities[doc["id"]], mentions[doc["id"]],
                annotations[doc["id"]],
            )
            for doc in docs
        ]

    # -- events and stories -------------------------------------------------------------------

    def write_events(
        self, events: Iterable[dict], stories: Iterable[dict] = (), *, replace_all: bool = False
    ) -> None:
        """Store event and story objects of the output contract (each has an "id").

        With replace_all, earlier events and stories are dropped first (a full re-grouping).
        """
        with self._write() as db:
            if replace_all:
                db.execute("DELETE FROM events")
                db.execute("DELETE FROM stories")
            db.executemany(
                "INSERT OR REPLACE INTO events (id, data) VALUES (?, ?)",
                [(e["id"], rows.to_json(e)) for e in events],
            )
            db.executemany(
                "INSERT OR REPLACE INTO stories (id, data) VALUES (?, ?)",
                [(s["id"], rows.to_json(s)) for s in stories],
            )

    def comparison_bases(self) -> dict[str, str]:
        """event id -> what its stored claims were computed from (see `write_comparisons`)."""
        return dict(self._conn.execute("SELECT event_id, basis FROM event_comparisons"))

    def write_comparisons(self, events: list[dict], bases: dict[str, str]) -> None:
        """Store events with their new claims and what they were computed from, together."""
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO events (id, data) VALUES (?, ?)",
                           [(e["id"], rows.to_json(e)) for e in events])
            db.executemany("INSERT OR REPLACE INTO event_comparisons (event_id, basis)"
                           " VALUES (?, ?)", list(bases.items()))

    def write_outlets(self, outlets: Iterable[dict]) -> None:
        """Replace the framing records of the outlets (each has an "outlet" name)."""
        with self._write() as db:
            db.execute("DELETE FROM outlets")
            db.executemany("INSERT INTO outlets (name, data) VALUES (?, ?)",
                           [(o["outlet"], rows.to_json(o)) for o in outlets])

    def outlets(self) -> list[dict]:
        return [json.loads(row[0]) for row in self._conn.execute(
            "SELECT data FROM outlets ORDER BY name")]

    def events(self, *, limit: int = -1, offset: int = 0) -> list[dict]:
        return [json.loads(row[0]) for row in self._conn.execute(
            "SELECT data FROM events ORDER BY id LIMIT ? OFFSET ?", (limit, offset))]

    def event(self, event_id: str) -> dict | None:
        row = self._conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def stories(self) -> list[dict]:
        return [json.loads(row[0]) for row in self._conn.execute(
            "SELECT data FROM stories ORDER BY id")]

    # -- queries for the views ----------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over titles and texts, best match first.

        The query may use FTS5 syntax (`putin OR xi`, `kreml*`, `"phone call"`); text that is
        not valid FTS5 is searched as plain words instead of raising.
        """
        fts_query = self._fts_query(query)
        return self._match(fts_query, limit) if fts_query else []

    def _fts_query(self, query: str) -> str | None:
        """The query as FTS5 syntax if it is valid, else its words as phrases; None if no words."""
        try:
            self._conn.execute("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1",
                               (query,)).fetchall()
            return query
        except sqlite3.OperationalError:
            # Each whitespace-separated chunk becomes a phrase: "Putin's" matches putin + s.
            chunks = [chunk for chunk in query.split() if _WORD.search(chunk)]
            return " ".join('"' + c.replace('"', '""') + '"' for c in chunks) or None

    def _match(self, fts_query: str, limit: int) -> list[dict]:
        sql = """
            SELECT d.id, d.title,
                   snippet(documents_fts, -1, ?, ?, '…', 24) AS snippet,
                   documents_fts.rank AS rank
            FROM documents_fts JOIN documents AS d ON d.doc_key = documents_fts.rowid
            WHERE documents_fts MATCH ?
            ORDER BY documents_fts.rank
            LIMIT ?
        """
        params = (MATCH_START, MATCH_END, fts_query, limit)
        return [dict(row) for row in self._conn.execute(sql, params)]

    def find_documents(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        language: str | None = None,
        entity: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict]:
        """One page of documents (light rows, no text) matching a search and filters.

        Newest first, or best match first with a query. Dates compare as ISO strings, so
        "2022-06" as `date_to` includes all of June. Undated documents drop out of date filters.
        """
        where, params = [], []
        for column, value in (("d.outlet", outlet), ("d.language", language)):
            if value:
                where.append(f"{column} = ? COLLATE NOCASE")  # typed by people: any case
                params.append(value)
        if date_from:
            where.append("d.published >= ?")
            params.append(date_from)
        if date_to:
            where.append("d.published < ? || '~'")  # '~' sorts after any date suffix
            params.append(date_to)
        if entity:
            where.append("d.id IN (SELECT doc_id FROM entities WHERE name = ? COLLATE NOCASE)")
            params.append(entity)
        columns = ("d.id, d.title, d.outlet, d.published, d.language, "
                   "json_extract(d.flags, '$.duplicate_of') AS duplicate_of, d.event_id")
        filters = (" AND " + " AND ".join(where)) if where else ""
        if not query:
            # NULLs sort last in DESC order; the (published, id) index serves this order.
            sql = (f"SELECT {columns} FROM documents d WHERE 1 = 1{filters}"
                   " ORDER BY d.published DESC, d.id DESC LIMIT ? OFFSET ?")
            return [dict(row) for row in self._conn.execute(sql, [*params, limit, offset])]
        fts_query = self._fts_query(query)
        if fts_query is None:
            return []
        # Rank and page first; snippets are costly, so only the page's rows get one.
        sql = f"""
            WITH page AS (
                SELECT f.rowid AS doc_key, f.rank AS rank
                FROM documents_fts AS f JOIN documents AS d ON d.doc_key = f.rowid
                WHERE documents_fts MATCH ?{filters}
                ORDER BY f.rank LIMIT ? OFFSET ?)
            SELECT {columns}, snippet(documents_fts, -1, ?, ?, '…', 24) AS snippet
            FROM documents_fts JOIN page ON page.doc_key = documents_fts.rowid
                 JOIN documents AS d ON d.doc_key = documents_fts.rowid
            WHERE documents_fts MATCH ?
            ORDER BY page.rank
        """
        rows = self._conn.execute(sql, [fts_query, *params, limit, offset, MATCH_START,
                                        MATCH_END, fts_query])
        return [dict(row) for row in rows]

    def documents_per_day(self) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, documents) for every publication day, for timelines."""
        return [tuple(row) for row in self._conn.execute(
            "SELECT substr(published, 1, 10) AS day, count(*) FROM documents"
            " WHERE published IS NOT NULL GROUP BY day ORDER BY day")]

    def entity_names(self, limit: int = 200) -> list[tuple[str, int]]:
        """The most frequently named entities, for filters: (name, documents)."""
        return [tuple(row) for row in self._conn.execute(
            "SELECT name, count(DISTINCT doc_id) AS n FROM entities"
            " GROUP BY name ORDER BY n DESC, name LIMIT ?", (limit,))]

    def facets(self) -> dict[str, dict[str, int]]:
        """Documents per outlet and per language: the choices of the views' filters."""
        return {"by_outlet": self._count_by("coalesce(outlet, 'unknown')"),
                "by_language": self._count_by("coalesce(language, 'unknown')")}

    def summary(self) -> dict:
        """Counts for the run summary and the report's overview."""
        month = (
            "CASE WHEN published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'"
            " THEN substr(published, 1, 7) ELSE 'unknown' END"
        )
        with self._read() as db:
            return {
                "documents": self.count(),
                "duplicates": db.execute(
                    "SELECT count(*) FROM documents"
                    " WHERE json_extract(flags, '$.duplicate_of') IS NOT NULL"
                ).fetchone()[0],
                "errors": len(self.current_errors()),
                **self.facets(),
                "by_month": self._count_by(month),
            }

    def _count_by(self, expression: str) -> dict[str, int]:
        """Documents per value of an SQL expression, most frequent first."""
        return dict(self._conn.execute(
            f"SELECT {expression} AS value, count(*) AS n FROM documents"
            " GROUP BY value ORDER BY n DESC, value"
        ).fetchall())


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """Open the file; read-only opens never create it and never write to it."""
    if readonly:
        if not path.exists():
            raise FileNotFoundError(errno.ENOENT, "no storyline store at this path", str(path))
        uri = path.resolve().as_uri() + "?mode=ro"
        # A web request may open the store in one worker thread and read it in another; a
        # read-only connection used by one request at a time is safe to hand over.
        conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None,
                               check_same_thread=False)
    else:
        if not path.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no folder for the store", str(path.parent))
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def _prepare(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
    """Check the schema version, then create (or complete) the schema."""
    try:
        conn.execute("BEGIN")  # one snapshot: another process may be creating the schema
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a SQLite database ({exc})") from exc
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: store schema version {version} is newer than this storyline supports "
            f"({SCHEMA_VERSION}); upgrade storyline to open it"
        )
    if version == 0 and tables:
        raise StoreError(f"{path}: an SQLite database, but not a storyline store")
    if 0 < version < SCHEMA_VERSION:
        raise StoreError(f"{path}: unknown store schema version {version}")
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        if version == 0:
            raise StoreError(f"{path}: empty file, not a storyline store")
        return
    conn.execute("PRAGMA journal_mode = WAL")
    # In WAL mode NORMAL loses no committed data when the process dies, only on power loss.
    conn.execute("PRAGMA synchronous = NORMAL")
    _create_schema(conn)  # idempotent: an existing store gains indexes added since


def _create_schema(conn: sqlite3.Connection) -> None:
    schema = files("storyline.store").joinpath("schema.sql").read_text(encoding="utf-8")
    try:
        conn.executescript(
            f"BEGIN IMMEDIATE;\n{schema}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;"
        )
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
