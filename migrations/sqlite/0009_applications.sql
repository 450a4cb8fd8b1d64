-- Online applications (办件): drafts, submissions, their timeline, files, 补正 requests, the
-- in-site inbox and ratings. Keep in step with migrations/postgres/0009_applications.sql (a test
-- compares the two).

-- One row per application, a draft until it is submitted. `reference` is the random name used in
-- addresses; `number` (办件编号) is given at submission. Answers are one JSON document (values,
-- repeating-group sizes and which answers came from a register, when).
CREATE TABLE applications (
    id                INTEGER PRIMARY KEY NOT NULL,
    reference         TEXT NOT NULL UNIQUE,
    citizen_id        BIGINT NOT NULL REFERENCES citizens (id),
    item_code         TEXT NOT NULL,
    item_version      BIGINT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'supplement_requested',
                          'accepted', 'not_accepted', 'suspended', 'approved', 'denied', 'completed', 'withdrawn')),
    answers           TEXT NOT NULL,
    step              BIGINT NOT NULL DEFAULT 1,
    revision          BIGINT NOT NULL DEFAULT 0,
    number            TEXT UNIQUE,
    submission_key    TEXT UNIQUE,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    submitted_at      BIGINT,
    expires_at        BIGINT,
    reminded_at       BIGINT,
    moved_from_version BIGINT,
    review_due        TEXT,
    promised_due      TEXT,
    statutory_due     TEXT,
    clock_stopped_at  BIGINT,
    closed_at         BIGINT
);
CREATE INDEX applications_of_citizen ON applications (citizen_id, updated_at);
CREATE INDEX applications_drafts_due ON applications (status, expires_at);

-- The timeline: every status change, who caused it (a role, never a name) and its message.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at             BIGINT NOT NULL,
    status         TEXT NOT NULL,
    actor_role     TEXT NOT NULL CHECK (actor_role IN ('citizen', 'staff', 'system')),
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX application_events_of ON application_events (application_id, at);
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
BEGIN
    SELECT RAISE(ABORT, 'application_events is append-only');
END;
CREATE TRIGGER application_events_no_delete BEFORE DELETE ON application_events
BEGIN
    SELECT RAISE(ABORT, 'application_events is append-only');
END;

-- The answers as submitted, once per (re)submission: earlier versions are kept, never overwritten.
CREATE TABLE application_revisions (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    revision       BIGINT NOT NULL,
    answers        TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    submitted_at   BIGINT NOT NULL,
    PRIMARY KEY (application_id, revision)
);
CREATE TRIGGER application_revisions_no_update BEFORE UPDATE ON application_revisions
BEGIN
    SELECT RAISE(ABORT, 'application_revisions is append-only');
END;

-- Files attached to a material slot (a file question). The bytes live in the object store under
-- their SHA-256; a removed file keeps its row (removed_at) so earlier revisions still show it.
CREATE TABLE application_files (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    slot           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    size           BIGINT NOT NULL,
    media_type     TEXT NOT NULL,
    original_name  TEXT NOT NULL,
    thumbnail      TEXT,
    pages          BIGINT,
    added_revision BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    removed_at     BIGINT
);
CREATE INDEX application_files_of ON application_files (application_id, slot);
CREATE INDEX application_files_hash ON application_files (sha256);

-- Whether a citizen agreed to prefill an item's forms from the registers (asked once per item).
CREATE TABLE prefill_decisions (
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    item_code  TEXT NOT NULL,
    agreed     BIGINT NOT NULL,
    consent_id BIGINT,
    decided_at BIGINT NOT NULL,
    PRIMARY KEY (citizen_id, item_code)
);

-- 补正: one notice listing every material and reason; answered by one resubmission.
CREATE TABLE supplement_requests (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    requested_at   BIGINT NOT NULL,
    items          TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    answered_at    BIGINT,
    answer_note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supplement_requests_of ON supplement_requests (application_id);

-- The in-site inbox: one row per status change a citizen is told about.
CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY NOT NULL,
    citizen_id     BIGINT NOT NULL REFERENCES citizens (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    kind           TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    read_at        BIGINT
);
CREATE INDEX notifications_of ON notifications (citizen_id, read_at);

-- 好差评: one rating per application; none within 7 days counts as 基本满意 (defaulted = 1).
CREATE TABLE application_ratings (
    application_id BIGINT PRIMARY KEY NOT NULL REFERENCES applications (id),
    level          BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    indicators     TEXT NOT NULL DEFAULT '',
    comment        TEXT NOT NULL DEFAULT '',
    rated_at       BIGINT NOT NULL,
    defaulted      BIGINT NOT NULL DEFAULT 0
);

-- The daily sequence behind application numbers.
CREATE TABLE application_numbers (
    day  TEXT PRIMARY KEY NOT NULL,
    last BIGINT NOT NULL
);
