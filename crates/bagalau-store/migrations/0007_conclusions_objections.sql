-- Conclusions per direction and body (preliminary and final), and objections
-- to preliminary conclusions with their decisions.
CREATE TABLE conclusions (
    year       INTEGER NOT NULL,
    direction  TEXT NOT NULL,
    body       TEXT NOT NULL,
    is_final   BOOLEAN NOT NULL,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    written_at TEXT NOT NULL,
    PRIMARY KEY (year, direction, body, is_final)
);

CREATE TABLE objections (
    id         BIGINT PRIMARY KEY,
    year       INTEGER NOT NULL,
    body       TEXT NOT NULL,
    direction  TEXT NOT NULL,
    criterion  TEXT NOT NULL,
    filed_by   TEXT NOT NULL,
    statement  TEXT NOT NULL,
    state      TEXT NOT NULL,
    decided_by TEXT,
    reason     TEXT,
    filed_at   TEXT NOT NULL
);
