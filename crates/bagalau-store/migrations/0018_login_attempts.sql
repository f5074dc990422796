-- Login attempts by account name and source address, for the backoff that
-- slows guessing (bagalau_core::accounts::login_allowed_at). An attempt is
-- reserved (failed = 0) before the password is checked, so concurrent
-- attempts count against each other; a failed one is kept (failed = 1) and
-- audited as `login_failure` under its id (`NAME@TIME/RANDOM`), a
-- successful one is removed. `at` is UTC as
-- `YYYY-MM-DDTHH:MM:SS.ffffffZ`, so times compare as text.
CREATE TABLE login_attempts (
    id     TEXT NOT NULL,
    name   TEXT NOT NULL,
    source TEXT NOT NULL,
    at     TEXT NOT NULL,
    failed INTEGER NOT NULL
);
CREATE INDEX login_attempts_by_id ON login_attempts (id);
CREATE INDEX login_attempts_by_name ON login_attempts (name, at);
CREATE INDEX login_attempts_by_source ON login_attempts (source, at);
-- Earlier failures stay audited records, with the key and content they were audited with.
INSERT INTO login_attempts (id, name, source, at, failed)
    SELECT name || '@' || failed_at, name, '', failed_at, 1 FROM login_failures;
DROP TABLE login_failures;
-- The public pages' fingerprint follows the latest entry that is not a
-- sign-in (failed logins and session tokens change nothing public).
CREATE INDEX audit_log_public ON audit_log (seq) WHERE entity NOT IN ('login_failure', 'token');
