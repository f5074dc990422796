-- Portable SQL: the same migrations run on SQLite and PostgreSQL.
-- The registry is kept as the document it was imported from (the source of
-- truth, re-validated on load) plus a table of bodies for queries.
CREATE TABLE registry (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);

CREATE TABLE bodies (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('cgb', 'leb', 'other')),
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- One methodology pack per assessment year, kept as its text.
CREATE TABLE packs (
    year         INTEGER PRIMARY KEY,
    pack_id      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);

-- Reported indicator values; value NULL records an explicit "no data".
CREATE TABLE reporting_values (
    year         INTEGER NOT NULL,
    body_id      TEXT NOT NULL REFERENCES bodies (id),
    indicator_id TEXT NOT NULL,
    value        DOUBLE PRECISION,
    note         TEXT,
    origin       TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    PRIMARY KEY (year, body_id, indicator_id)
);

-- Computed results, keyed by what produced them: the same pack and inputs
-- always give the same results, so a row is never rewritten.
CREATE TABLE assessments (
    year          INTEGER NOT NULL,
    pack_hash     TEXT NOT NULL,
    input_hash    TEXT NOT NULL,
    pack_id       TEXT NOT NULL,
    demonstration BOOLEAN NOT NULL,
    results       TEXT NOT NULL,
    computed_at   TEXT NOT NULL,
    PRIMARY KEY (year, pack_hash, input_hash)
);
