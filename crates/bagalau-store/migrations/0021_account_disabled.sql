-- Accounts can be disabled (and enabled again) by an administrator: a
-- disabled account signs in nowhere and its tokens are revoked.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
