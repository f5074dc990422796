-- The audit trail as a verifiable log (bagalau_core::transparency).
-- The Merkle tree over the entries, its hashes kept at the Go checksum
-- database's stored-hash indexes: a write adds about two per entry and
-- reads at most one per bit of the entry count.
CREATE TABLE audit_tree (
    idx  BIGINT PRIMARY KEY,
    hash TEXT NOT NULL
);

-- Signed checkpoints (C2SP signed notes): one at every write, made with
-- the audit key, which is kept outside the database; and one at each
-- `bagalau audit checkpoint`. By the number of entries they sign.
CREATE TABLE audit_checkpoints (
    size BIGINT PRIMARY KEY,
    at   TEXT NOT NULL,
    note TEXT NOT NULL
);
