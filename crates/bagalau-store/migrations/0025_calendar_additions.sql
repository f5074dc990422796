-- Additions to the built-in working-day calendar (movable holidays and
-- transfers of days off announced after a release), kept like the register
-- of public services: one document, replaced whole by an import, audited.
-- It was a file named by the setting `services.calendar` before, which a
-- second server did not see.
CREATE TABLE calendar_additions (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    file_name    TEXT NOT NULL,
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);
