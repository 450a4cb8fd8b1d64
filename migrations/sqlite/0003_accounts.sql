-- Accounts: sessions, citizens, emailed tokens, the mail outbox and account events.
-- Keep in step with migrations/postgres/0003_accounts.sql (a test compares the two).

-- Sessions (tower-sessions records). account_kind/account_id are copied out of the record so an
-- account's sessions can be listed and ended together.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY NOT NULL,
    data         TEXT NOT NULL,
    expires_at   BIGINT NOT NULL,
    account_kind TEXT,
    account_id   BIGINT,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_kind, account_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Citizen accounts. The ID number is stored encrypted, with a keyed hash for lookups (the same
-- reference the shared-data audit uses) and a masked form for display.
CREATE TABLE citizens (
    id                    INTEGER PRIMARY KEY NOT NULL,
    email                 TEXT UNIQUE,
    phone                 TEXT UNIQUE,
    name                  TEXT NOT NULL,
    id_number_sealed      TEXT NOT NULL,
    id_number_ref         TEXT NOT NULL UNIQUE,
    id_number_masked      TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    email_verified_at     BIGINT,
    real_name_verified_at BIGINT,
    status                TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'cancelled')),
    failed_logins         BIGINT NOT NULL DEFAULT 0,
    first_failed_at       BIGINT,
    locked_until          BIGINT,
    sessions_valid_after  BIGINT NOT NULL DEFAULT 0,
    created_at            BIGINT NOT NULL
);

-- Single-use emailed tokens, stored as SHA-256 of the token.
CREATE TABLE citizen_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Mail waits here until the sender delivers it, so an SMTP outage delays mail but loses none.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

-- Security events of accounts (sign-in success and failure, lockout, sign-out, verification).
CREATE TABLE account_events (
    id         INTEGER PRIMARY KEY NOT NULL,
    at         BIGINT NOT NULL,
    citizen_id BIGINT,
    event      TEXT NOT NULL,
    success    BIGINT NOT NULL,
    client_ip  TEXT NOT NULL,
    request_id TEXT NOT NULL
);
CREATE INDEX account_events_citizen ON account_events (citizen_id, at);
