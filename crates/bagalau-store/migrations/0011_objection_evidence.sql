-- The supporting files of an objection: a JSON array of SHA-256 (files in
-- the evidence store), set when it is filed.
ALTER TABLE objections ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
