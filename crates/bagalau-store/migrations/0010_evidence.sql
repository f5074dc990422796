-- Evidence files: the content lives in the content-addressed file store
-- (by SHA-256); each upload is recorded here with who sent it under what name.
CREATE TABLE evidence_uploads (
    id          BIGINT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    media_type  TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX evidence_uploads_by_hash ON evidence_uploads (sha256);

-- The evidence of a recommendation's latest report: a JSON array of SHA-256.
ALTER TABLE recommendations ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
