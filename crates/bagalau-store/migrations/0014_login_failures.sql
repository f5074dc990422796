-- Failed logins per account name (known or not), for rate limiting that
-- holds across restarts and server processes.
CREATE TABLE login_failures (
    name      TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_by_name ON login_failures (name, failed_at);
