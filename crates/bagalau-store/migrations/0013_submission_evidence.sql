-- Evidence files attached to a body's submission of a year's data.
CREATE TABLE submission_evidence (
    year     INTEGER NOT NULL,
    body     TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (year, body, sha256)
);
