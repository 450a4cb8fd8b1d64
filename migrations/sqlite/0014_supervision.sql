-- Supervision: exports of case lists with personal data, which a second supervisor approves,
-- the ledger of poor ratings (差评) and the supervisors' daily digest.
-- Keep in step with migrations/postgres/0014_supervision.sql (a test compares the two).

-- One request to export the case list of a scope and period. `department_code` NULL is the
-- whole city. Another supervisor of the same scope approves it; the requester may then download
-- it once, within a day of the approval. Request, approval and download are in staff_events.
CREATE TABLE supervision_exports (
    id              INTEGER PRIMARY KEY NOT NULL,
    department_code TEXT REFERENCES departments (code),
    period          TEXT NOT NULL,
    requested_by    BIGINT NOT NULL REFERENCES staff_accounts (id),
    requested_at    BIGINT NOT NULL,
    approved_by     BIGINT REFERENCES staff_accounts (id),
    approved_at     BIGINT,
    downloaded_at   BIGINT,
    row_count       BIGINT,
    CHECK (approved_by IS NULL OR approved_by <> requested_by)
);
CREATE INDEX supervision_exports_requested ON supervision_exports (requested_at);

-- The 差评 ledger: every rating of one or two stars opens an entry, in the transaction storing
-- the rating, to be verified, put right, answered and reviewed (or appealed) by its deadline.
CREATE TABLE rating_ledger (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    opened_at      BIGINT NOT NULL,
    due            TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('to_verify', 'rectifying', 'fed_back', 'reviewed', 'appealed')),
    responsible    TEXT NOT NULL DEFAULT '',
    updated_at     BIGINT NOT NULL
);
CREATE INDEX rating_ledger_open ON rating_ledger (state, due);

-- Every change of a ledger entry: who moved it from which state to which, with the note.
CREATE TABLE rating_ledger_events (
    id          INTEGER PRIMARY KEY NOT NULL,
    entry_id    BIGINT NOT NULL REFERENCES rating_ledger (id),
    at          BIGINT NOT NULL,
    staff_id    BIGINT NOT NULL REFERENCES staff_accounts (id),
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    responsible TEXT NOT NULL,
    note        TEXT NOT NULL
);
CREATE INDEX rating_ledger_events_of ON rating_ledger_events (entry_id, at);
CREATE TRIGGER rating_ledger_events_no_update BEFORE UPDATE ON rating_ledger_events
BEGIN
    SELECT RAISE(ABORT, 'rating_ledger_events is append-only');
END;
CREATE TRIGGER rating_ledger_events_no_delete BEFORE DELETE ON rating_ledger_events
BEGIN
    SELECT RAISE(ABORT, 'rating_ledger_events is append-only');
END;

-- Where a staff member is mailed (the supervisors' daily digest); NULL: not mailed.
ALTER TABLE staff_accounts ADD COLUMN email TEXT;

-- One row per supervisor and Beijing day a digest of overdue cases and ledger entries was
-- queued: the job runs every hour and mails each supervisor at most once a day.
CREATE TABLE supervision_digests (
    staff_id BIGINT NOT NULL REFERENCES staff_accounts (id),
    day      TEXT NOT NULL,
    sent_at  BIGINT NOT NULL,
    cases    BIGINT NOT NULL,
    entries  BIGINT NOT NULL,
    PRIMARY KEY (staff_id, day)
);
