-- Shared data: the resource catalogue, grants, consent and the audit of every provider call.
-- Keep in step with migrations/postgres/0002_shared_data.sql (a test compares the two).

CREATE TABLE data_resources (
    id                  INTEGER PRIMARY KEY NOT NULL,
    code                TEXT NOT NULL UNIQUE,
    register            TEXT UNIQUE CHECK (register IN ('population', 'legal_entities', 'economy', 'spatial')),
    name_zh             TEXT NOT NULL,
    name_en             TEXT NOT NULL,
    description_zh      TEXT NOT NULL,
    description_en      TEXT NOT NULL,
    provider_department TEXT NOT NULL REFERENCES departments (code),
    sharing_type        TEXT NOT NULL CHECK (sharing_type IN ('unconditional', 'conditional', 'not_shared')),
    frequency_zh        TEXT NOT NULL,
    frequency_en        TEXT NOT NULL,
    sort_order          BIGINT NOT NULL DEFAULT 0
);

-- The data items (信息项) of a resource.
CREATE TABLE data_resource_fields (
    resource_id BIGINT NOT NULL REFERENCES data_resources (id) ON DELETE CASCADE,
    field_key   TEXT NOT NULL,
    name_zh     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    personal    BIGINT NOT NULL DEFAULT 0,
    position    BIGINT NOT NULL,
    PRIMARY KEY (resource_id, field_key)
);

-- Which portal feature (consumer) may receive which fields of a resource, for what purpose and
-- on what basis. A consumer asking for anything else is refused.
CREATE TABLE data_grants (
    id             INTEGER PRIMARY KEY NOT NULL,
    resource_id    BIGINT NOT NULL REFERENCES data_resources (id) ON DELETE CASCADE,
    consumer       TEXT NOT NULL,
    purpose_zh     TEXT NOT NULL,
    purpose_en     TEXT NOT NULL,
    basis          TEXT NOT NULL CHECK (basis IN ('statutory', 'consent', 'open')),
    legal_basis_zh TEXT NOT NULL,
    legal_basis_en TEXT NOT NULL,
    UNIQUE (resource_id, consumer)
);

CREATE TABLE data_grant_fields (
    grant_id  BIGINT NOT NULL REFERENCES data_grants (id) ON DELETE CASCADE,
    field_key TEXT NOT NULL,
    PRIMARY KEY (grant_id, field_key)
);

-- Consent given by a data subject for one consumer to receive fields of one resource.
-- The subject is stored as a keyed hash, never as the ID number.
CREATE TABLE data_consents (
    id             INTEGER PRIMARY KEY NOT NULL,
    subject_ref    TEXT NOT NULL,
    resource_code  TEXT NOT NULL,
    consumer       TEXT NOT NULL,
    fields         TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    given_at       BIGINT NOT NULL,
    withdrawn_at   BIGINT
);
CREATE INDEX data_consents_subject ON data_consents (subject_ref);

-- One row per provider call, whatever its outcome. Append-only: the triggers below refuse
-- UPDATE, and DELETE of rows younger than the retention period (190 days). Rows are chained:
-- row_hash = SHA-256(prev_hash | content), so an altered row breaks the chain.
CREATE TABLE data_access_log (
    id               INTEGER PRIMARY KEY NOT NULL,
    at               BIGINT NOT NULL,
    consumer         TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    basis            TEXT NOT NULL,
    basis_ref        TEXT NOT NULL,
    resource_code    TEXT NOT NULL,
    operation        TEXT NOT NULL,
    subject_kind     TEXT NOT NULL CHECK (subject_kind IN ('person', 'entity', 'none')),
    subject_ref      TEXT NOT NULL,
    subject_display  TEXT NOT NULL,
    fields_requested TEXT NOT NULL,
    fields_returned  TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    latency_ms       BIGINT NOT NULL,
    actor            TEXT NOT NULL,
    request_id       TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    row_hash         TEXT NOT NULL
);
CREATE INDEX data_access_log_subject ON data_access_log (subject_ref, at);
CREATE INDEX data_access_log_at ON data_access_log (at);

CREATE TRIGGER data_access_log_no_update BEFORE UPDATE ON data_access_log
BEGIN
    SELECT RAISE(ABORT, 'data_access_log is append-only');
END;

CREATE TRIGGER data_access_log_retention BEFORE DELETE ON data_access_log
WHEN OLD.at >= unixepoch() - 190 * 86400
BEGIN
    SELECT RAISE(ABORT, 'data_access_log rows are kept for 190 days');
END;
