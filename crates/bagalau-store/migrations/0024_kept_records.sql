-- Records that citizens' interaction with bodies leaves, kept in the store
-- like every other input (they were CSV files under the services directory
-- before): complaints and applications, the Open Government portals'
-- records, and satisfaction-survey responses. One row per record, its
-- canonical CSV row as content (the family's header comes from the code or,
-- for responses, from the questionnaire), so the readers that checked the
-- imported file check the stored records again. Records are only added: an
-- edit at the source is a new fact, refused on import.
--   family: complaint, openness or survey_response
--   part:   '' (complaints), the openness kind, or the questionnaire's id
--   key:    what identifies the record within its part (body/id, tool/id)
CREATE TABLE kept_records (
    family      TEXT NOT NULL,
    part        TEXT NOT NULL,
    key         TEXT NOT NULL,
    content     TEXT NOT NULL,
    origin      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    PRIMARY KEY (family, part, key)
);

-- The questionnaires of satisfaction surveys (TOML), by id. A questionnaire
-- whose responses are kept changes only without changing its measures.
CREATE TABLE questionnaires (
    id           TEXT PRIMARY KEY,
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);

-- Citizens' records show nowhere public: they leave the public pages'
-- fingerprint alone (keep equal to `PRIVATE_ENTITIES` in src/sql.rs).
DROP INDEX audit_log_public;
CREATE INDEX audit_log_public ON audit_log (seq) WHERE entity NOT IN (
    'login_failure', 'token', 'user', 'value', 'submission', 'submission_evidence',
    'evidence', 'conclusion', 'objection', 'opinion', 'finding', 'selection',
    'extension', 'cycle', 'assessment', 'recommendation',
    'complaint', 'openness', 'survey_response', 'questionnaire');
