-- Accounts: people, their roles (scoped, in text form such as
-- reporter:minfin or assessor:budget@audit_chamber) and API tokens, stored
-- only as SHA-256 hashes.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE user_roles (
    name TEXT NOT NULL REFERENCES users (name),
    role TEXT NOT NULL,
    PRIMARY KEY (name, role)
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    name       TEXT NOT NULL REFERENCES users (name),
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT
);
