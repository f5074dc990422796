-- Publication snapshots: immutable, one row per published version; a
-- correction is a new version with its reason. Rows are only ever inserted.
CREATE TABLE publications (
    year         INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    reason       TEXT,
    PRIMARY KEY (year, version)
);
