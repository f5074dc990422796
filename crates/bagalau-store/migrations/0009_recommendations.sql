-- Recommendations and orders issued to evaluated bodies, with the monitoring
-- of their execution. The state and the latest report change; the audit
-- trail keeps every earlier version.
CREATE TABLE recommendations (
    id            BIGINT PRIMARY KEY,
    year          INTEGER NOT NULL,
    body          TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    text          TEXT NOT NULL,
    due           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'reported', 'returned', 'executed')),
    report        TEXT,
    reported_at   TEXT,
    review_reason TEXT,
    issued_at     TEXT NOT NULL
);
CREATE INDEX recommendations_by_body ON recommendations (body, year);
