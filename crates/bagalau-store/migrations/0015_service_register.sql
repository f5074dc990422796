-- The Register of public services, kept like the registry of bodies: one
-- document, its canonical CSV (`Register::to_csv`), re-validated on load.
-- The file name says where it came from (`demonstration` for the demo's).
CREATE TABLE service_register (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);
