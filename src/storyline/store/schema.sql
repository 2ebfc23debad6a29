-- storyline store, schema version 1 (kept in PRAGMA user_version).
--
-- One SQLite file is the single source of truth for a corpus. Every statement is
-- idempotent (IF NOT EXISTS) so opening an existing store re-runs this file harmlessly.
-- Offsets (start, end) are character offsets into documents.text, as in the document model.
-- Columns ending in JSON hold JSON text; their shape is that of the dataclass named beside them
-- in src/storyline/model.py.

-- One row per `storyline analyze` run: what it was given and how it ended.
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY,
    started  TEXT NOT NULL,                     -- ISO 8601, UTC
    finished TEXT,                              -- NULL while running (or if the run was killed)
    inputs   TEXT NOT NULL DEFAULT '[]',        -- JSON list of the paths / URLs given
    status   TEXT NOT NULL DEFAULT 'running',   -- running | finished | failed | ...
    counts   TEXT NOT NULL DEFAULT '{}'         -- JSON {name: number}, e.g. documents, errors
);

-- One row per cleaned article.
-- doc_key is a stable integer key for the full-text index only (a rowid that is not an
-- INTEGER PRIMARY KEY may change on VACUUM); everything else refers to a document by `id`.
CREATE TABLE IF NOT EXISTS documents (
    doc_key      INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,          -- the document id of the output contract
    source       TEXT NOT NULL UNIQUE,          -- file path, path#record or URL it came from
    fingerprint  TEXT NOT NULL,                 -- hash of the raw input; unchanged => skipped
    title        TEXT,
    url          TEXT,
    outlet       TEXT,
    byline       TEXT,
    published    TEXT,                          -- ISO 8601 date or datetime; NULL if unknown
    language     TEXT,                          -- ISO 639-1 code
    input_format TEXT NOT NULL,                 -- text | html | json | warc | feed ...
    text         TEXT NOT NULL,                 -- the cleaned text every offset refers to
    flags        TEXT NOT NULL DEFAULT '{}',    -- JSON Flags (reposts, machine translation ...)
    evidence     TEXT NOT NULL DEFAULT '{}',    -- JSON {field: Evidence}: where metadata came from
    cleaning     TEXT NOT NULL DEFAULT '[]',    -- JSON [Edit]: what cleaning changed
    event_id     TEXT,                          -- set by event grouping
    run_id       INTEGER REFERENCES runs (id),  -- the run that wrote this row
    added_at     TEXT NOT NULL                  -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS documents_event_id ON documents (event_id);
CREATE INDEX IF NOT EXISTS documents_published ON documents (published, id);
CREATE INDEX IF NOT EXISTS documents_duplicate_of
    ON documents (json_extract(flags, '$.duplicate_of'));
CREATE INDEX IF NOT EXISTS documents_outlet ON documents (outlet);
CREATE INDEX IF NOT EXISTS documents_language ON documents (language);

-- Sentence boundaries, in text order (seq).
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    start  INTEGER NOT NULL,
    end    INTEGER NOT NULL,
    PRIMARY KEY (doc_id, seq)
) WITHOUT ROWID;

-- Named entities of one document (already merged across name variants within it).
CREATE TABLE IF NOT EXISTS entities (
    doc_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,                 -- order in Article.entities
    name      TEXT NOT NULL,
    type      TEXT NOT NULL,                    -- PERSON | ORG | GPE | ...
    PRIMARY KEY (doc_id, entity_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS entities_name ON entities (name);

-- Where each entity is mentioned in the text.
CREATE TABLE IF NOT EXISTS mentions (
    doc_id    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,                 -- order in Entity.mentions
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    PRIMARY KEY (doc_id, entity_id, seq),
    FOREIGN KEY (doc_id, entity_id) REFERENCES entities (doc_id, entity_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Annotations of later stages, one JSON object each: kind 'timex' (a TIMEX3 Timex), 'quote',
-- 'event_date' (the document's EventDate), ...
CREATE TABLE IF NOT EXISTS annotations (
    doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind   TEXT NOT NULL,
    seq    INTEGER NOT NULL,                    -- order within the document and kind
    data   TEXT NOT NULL,                       -- JSON object
    PRIMARY KEY (doc_id, kind, seq)
) WITHOUT ROWID;

-- MinHash signatures, so near-duplicates are found across runs without re-reading texts.
CREATE TABLE IF NOT EXISTS minhashes (
    doc_id    TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);

-- Inputs that could not be read: one row per problem, kept per run as a log.
CREATE TABLE IF NOT EXISTS errors (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs (id),
    source TEXT NOT NULL,
    level  TEXT NOT NULL DEFAULT 'error',       -- error | warning
    error  TEXT NOT NULL,
    at     TEXT NOT NULL                        -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS errors_source ON errors (source, run_id);

-- Events and stories of the output contract, filled by the event stages (data: JSON object).
CREATE TABLE IF NOT EXISTS events (
    id   TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    id   TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
-- What each event's claims were computed from (its members' ids and inputs), so that a
-- re-run compares again only the events whose members changed.
CREATE TABLE IF NOT EXISTS event_comparisons (
    event_id TEXT PRIMARY KEY,
    basis    TEXT NOT NULL
);

-- How each outlet tells the stories (names, loaded terms, whom it cites, tone, omissions).
CREATE TABLE IF NOT EXISTS outlets (
    name TEXT PRIMARY KEY,
    data TEXT NOT NULL
);

-- Full-text index over title and text. It stores no copy of the text (content=documents);
-- the triggers below keep it in step with every insert, delete and change of documents.
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5 (
    title, text,
    content = 'documents', content_rowid = 'doc_key',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER IF NOT EXISTS documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.doc_key, new.title, new.text);
END;

CREATE TRIGGER IF NOT EXISTS documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.doc_key, old.title, old.text);
END;

CREATE TRIGGER IF NOT EXISTS documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.doc_key, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.doc_key, new.title, new.text);
END;
