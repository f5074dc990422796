-- Risk-based verification: the bodies selected (by risk or by the seeded
-- draw, with their reasons), and the findings verifiers recorded.
CREATE TABLE verification_selections (
    year        INTEGER NOT NULL,
    body        TEXT NOT NULL,
    selected_by TEXT NOT NULL CHECK (selected_by IN ('risk', 'draw')),
    score       DOUBLE PRECISION NOT NULL,
    reasons     TEXT NOT NULL,
    seed        BIGINT NOT NULL,
    selected_at TEXT NOT NULL,
    PRIMARY KEY (year, body)
);

CREATE TABLE findings (
    id          BIGINT PRIMARY KEY,
    year        INTEGER NOT NULL,
    body        TEXT NOT NULL,
    indicator   TEXT NOT NULL,
    old_value   DOUBLE PRECISION,
    new_value   DOUBLE PRECISION,
    reason      TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
