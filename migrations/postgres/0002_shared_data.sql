-- Shared data: the resource catalogue, grants, consent and the audit of every provider call.
-- Keep in step with migrations/sqlite/0002_shared_data.sql (a test compares the two).

CREATE TABLE data_resources (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

CREATE FUNCTION data_access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < extract(epoch FROM now())::bigint - 190 * 86400 THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'data_access_log rows are kept for 190 days';
    END IF;
    RAISE EXCEPTION 'data_access_log is append-only';
END;
$$;

CREATE TRIGGER data_access_log_guard BEFORE UPDATE OR DELETE ON data_access_log
    FOR EACH ROW EXECUTE FUNCTION data_access_log_guard();

CREATE FUNCTION data_access_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'data_access_log is append-only';
END;
$$;

CREATE TRIGGER data_access_log_no_truncate BEFORE TRUNCATE ON data_access_log
    FOR EACH STATEMENT EXECUTE FUNCTION data_access_log_no_truncate();
