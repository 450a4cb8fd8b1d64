-- Account security, second part: staff password history (90-day rotation, last five refused),
-- last sign-in (unused accounts are disabled), a staff security log that nobody can change, and
-- short emailed codes for citizens (self-unlock, confirming a new email address).
-- Keep in step with migrations/postgres/0006_account_security.sql (a test compares the two).

ALTER TABLE staff_accounts ADD COLUMN last_sign_in_at BIGINT;

CREATE TABLE staff_password_history (
    staff_id      BIGINT NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    changed_at    BIGINT NOT NULL
);
CREATE INDEX staff_password_history_staff ON staff_password_history (staff_id, changed_at);

-- Sign-ins, set-up, password changes and administration of staff accounts. staff_id is the
-- account concerned (NULL for an unknown username), actor_id who acted (NULL: the account itself
-- or the portal's own jobs).
CREATE TABLE staff_events (
    id         INTEGER PRIMARY KEY NOT NULL,
    at         BIGINT NOT NULL,
    staff_id   BIGINT,
    actor_id   BIGINT,
    event      TEXT NOT NULL,
    success    BIGINT NOT NULL,
    client_ip  TEXT NOT NULL,
    request_id TEXT NOT NULL,
    detail     TEXT NOT NULL
);
CREATE INDEX staff_events_at ON staff_events (at);

CREATE TRIGGER staff_events_no_update BEFORE UPDATE ON staff_events
BEGIN
    SELECT RAISE(ABORT, 'staff_events is append-only');
END;

CREATE TRIGGER staff_events_no_delete BEFORE DELETE ON staff_events
BEGIN
    SELECT RAISE(ABORT, 'staff_events is append-only');
END;

-- Six-digit codes sent by mail, stored as a keyed hash; a few tries each, then void.
CREATE TABLE citizen_codes (
    id         INTEGER PRIMARY KEY NOT NULL,
    citizen_id BIGINT NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('unlock', 'change_email')),
    code_hash  TEXT NOT NULL,
    new_value  TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    used_at    BIGINT
);
CREATE INDEX citizen_codes_citizen ON citizen_codes (citizen_id, purpose, created_at);
