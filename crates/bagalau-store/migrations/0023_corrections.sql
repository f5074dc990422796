-- Corrections of approved years: asked by a coordinator with a reason,
-- decided by a commission member, published as a new version.
CREATE TABLE corrections (
    id           BIGINT PRIMARY KEY,
    year         INTEGER NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    reason       TEXT NOT NULL,
    state        TEXT NOT NULL,
    decided_by   TEXT,
    decision     TEXT,
    version      INTEGER
);
CREATE INDEX corrections_year ON corrections (year);
