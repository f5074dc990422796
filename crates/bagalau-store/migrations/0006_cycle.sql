-- The yearly cycle: the calendar of a year, extensions of the submission
-- deadline, and each body's submission state.
CREATE TABLE cycles (
    year      INTEGER PRIMARY KEY,
    calendar  TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL
);

CREATE TABLE extensions (
    year       INTEGER NOT NULL,
    body       TEXT NOT NULL,
    until_at   TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    reason     TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (year, body, granted_at)
);

CREATE TABLE submissions (
    year       INTEGER NOT NULL,
    body       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (year, body)
);
