-- Foundation schema. Keep in step with migrations/sqlite/0001_foundation.sql: same tables,
-- same columns, same nullability (a test compares the two).

CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE departments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    duties_zh  TEXT NOT NULL,
    duties_en  TEXT NOT NULL,
    phone      TEXT NOT NULL,
    address_zh TEXT NOT NULL,
    address_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE staff_accounts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('window_clerk', 'supervisor', 'system_admin', 'security_admin', 'audit_admin')),
    status        TEXT NOT NULL CHECK (status IN ('pending_setup', 'active', 'disabled')),
    password_hash TEXT,
    created_at    BIGINT NOT NULL
);

CREATE TABLE staff_setup_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    staff_id   BIGINT NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
