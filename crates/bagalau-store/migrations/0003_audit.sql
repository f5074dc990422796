-- The audit trail: one entry per write, each hash covering the previous one.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    key         TEXT NOT NULL,
    old_content TEXT,
    new_content TEXT,
    reason      TEXT,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE INDEX audit_log_record ON audit_log (entity, key);
