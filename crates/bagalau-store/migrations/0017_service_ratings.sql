-- Published ratings of public-service quality: immutable, one row per
-- published version of a year, like the assessment's publications; a
-- correction is a new version with its reason. Rows are only ever inserted.
-- The content is the ratings' canonical JSON (`Ratings::to_json`).
CREATE TABLE service_ratings (
    year         INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    reason       TEXT,
    PRIMARY KEY (year, version)
);
