-- Expert opinions of commission members on a year's results (body NULL) or
-- on one body's.
CREATE TABLE opinions (
    id          BIGINT PRIMARY KEY,
    year        INTEGER NOT NULL,
    author      TEXT NOT NULL,
    body        TEXT,
    text        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
