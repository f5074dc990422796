-- Public monitoring of public services by accredited organisations (NGOs):
-- the organisations and their accreditation, their monitoring projects,
-- the findings with the bodies' replies, and the recommendations to the
-- bodies, tracked like the cycle's. Lists (services, regions, evidence)
-- are JSON arrays; dates are ISO 8601 text, like the rest of the schema.
CREATE TABLE monitoring_organisations (
    id                TEXT PRIMARY KEY,
    name_kk           TEXT NOT NULL,
    name_ru           TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    accredited_by     TEXT,
    accredited_from   TEXT,
    accredited_until  TEXT,
    revoked_on        TEXT,
    revocation_reason TEXT,
    registered_at     TEXT NOT NULL
);

CREATE TABLE monitoring_projects (
    id           BIGINT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES monitoring_organisations (id),
    title        TEXT NOT NULL,
    services     TEXT NOT NULL,
    regions      TEXT NOT NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    method       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'active', 'reported', 'closed')),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    reported_at  TEXT
);
CREATE INDEX monitoring_projects_by_organisation ON monitoring_projects (organisation);

CREATE TABLE monitoring_findings (
    id             BIGINT PRIMARY KEY,
    project        BIGINT NOT NULL REFERENCES monitoring_projects (id),
    service        TEXT NOT NULL,
    body           TEXT NOT NULL,
    region         TEXT NOT NULL,
    office         TEXT,
    observed_on    TEXT NOT NULL,
    text           TEXT NOT NULL,
    severity       TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
    evidence       TEXT NOT NULL DEFAULT '[]',
    submitted_by   TEXT NOT NULL,
    submitted_at   TEXT NOT NULL,
    reply_due      TEXT NOT NULL,
    reply_by       TEXT,
    reply_at       TEXT,
    reply_stance   TEXT CHECK (reply_stance IS NULL OR reply_stance IN ('accepts', 'disputes')),
    reply_text     TEXT,
    reply_evidence TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX monitoring_findings_by_project ON monitoring_findings (project);
CREATE INDEX monitoring_findings_by_body ON monitoring_findings (body);

CREATE TABLE monitoring_recommendations (
    id            BIGINT PRIMARY KEY,
    project       BIGINT NOT NULL REFERENCES monitoring_projects (id),
    organisation  TEXT NOT NULL REFERENCES monitoring_organisations (id),
    year          INTEGER NOT NULL,
    body          TEXT NOT NULL,
    issued_by     TEXT NOT NULL,
    text          TEXT NOT NULL,
    due           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'reported', 'returned', 'executed')),
    report        TEXT,
    reported_at   TEXT,
    review_reason TEXT,
    evidence      TEXT NOT NULL DEFAULT '[]',
    issued_at     TEXT NOT NULL
);
CREATE INDEX monitoring_recommendations_by_project ON monitoring_recommendations (project);
