-- The performance assessment: one indicator pack per year, and the
-- statistical and survey series of bodies, the country and the reference.
CREATE TABLE performance_packs (
    year         INTEGER PRIMARY KEY,
    pack_id      TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);

CREATE TABLE series (
    entity      TEXT NOT NULL,
    indicator   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    source      TEXT,
    origin      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (entity, indicator, year)
);
