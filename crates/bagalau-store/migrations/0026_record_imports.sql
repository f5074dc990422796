-- Imports of public-service delivery records, run as jobs: who asked for
-- which file (its SHA-256 and size), where the job stands and, when it
-- ended, its outcome (records added per month, bad rows) as JSON. Kept in
-- the database so that every server behind one address answers for a job
-- another started. Audited on start and end; `rows_read` is a progress
-- hint written while the job runs, and not audited.
CREATE TABLE record_imports (
    id             TEXT PRIMARY KEY,
    file_name      TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    size           BIGINT NOT NULL,
    format         TEXT NOT NULL,
    requested_by   TEXT NOT NULL,
    requested_at   TEXT NOT NULL,
    state          TEXT NOT NULL,
    finished_at    TEXT,
    outcome        TEXT,
    rows_read      BIGINT NOT NULL DEFAULT 0
);

-- Record imports show nowhere public (keep equal to `PRIVATE_ENTITIES` in
-- src/sql.rs).
DROP INDEX audit_log_public;
CREATE INDEX audit_log_public ON audit_log (seq) WHERE entity NOT IN (
    'login_failure', 'token', 'user', 'value', 'submission', 'submission_evidence',
    'evidence', 'conclusion', 'objection', 'opinion', 'finding', 'selection',
    'extension', 'cycle', 'assessment', 'recommendation',
    'complaint', 'openness', 'survey_response', 'questionnaire', 'record_import');
