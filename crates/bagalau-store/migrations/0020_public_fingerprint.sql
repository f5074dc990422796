-- The public pages' fingerprint follows the latest audit entry that a public
-- page may show. Besides sign-ins (failed logins, session tokens), the
-- accounts and the cycle's work in hand show nowhere public until a year is
-- published: reported values and submissions, evidence, conclusions,
-- objections, opinions, findings, the verification draw, extensions, the
-- cycle's calendar, assessments and recommendations. Publications, the
-- registry, packs and registers are in the fingerprint by their hashes.
-- Keep this list equal to `PRIVATE_ENTITIES` in src/sql.rs.
DROP INDEX audit_log_public;
CREATE INDEX audit_log_public ON audit_log (seq) WHERE entity NOT IN (
    'login_failure', 'token', 'user', 'value', 'submission', 'submission_evidence',
    'evidence', 'conclusion', 'objection', 'opinion', 'finding', 'selection',
    'extension', 'cycle', 'assessment', 'recommendation');
