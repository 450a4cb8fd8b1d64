-- The window console (受理与审批): who works on a case, the pre-review mark, the time the
-- deadline clock stood still, internal notes and the audit of everything staff do with a case.
-- Keep in step with migrations/postgres/0010_case_work.sql (a test compares the two).

-- `claimed_by` is the clerk working on the case (claimed first come, first served);
-- `paused_secs` adds up the time the clock stood still (补正, 挂起, 预审退回), so the deadlines
-- move by exactly that much.
ALTER TABLE applications ADD COLUMN claimed_by BIGINT REFERENCES staff_accounts (id);
ALTER TABLE applications ADD COLUMN claimed_at BIGINT;
ALTER TABLE applications ADD COLUMN prereviewed_at BIGINT;
ALTER TABLE applications ADD COLUMN paused_secs BIGINT NOT NULL DEFAULT 0;
CREATE INDEX applications_queue ON applications (status, promised_due);

-- Notes clerks leave for each other; never shown to the applicant.
CREATE TABLE case_notes (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    staff_id       BIGINT NOT NULL REFERENCES staff_accounts (id),
    at             BIGINT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX case_notes_of ON case_notes (application_id, at);

-- Every view, download, reveal and decision by staff: who, in which role and department, when,
-- what, and the outcome. Append-only and chained like data_access_log:
-- row_hash = SHA-256(prev_hash | content).
CREATE TABLE case_audit (
    id              INTEGER PRIMARY KEY NOT NULL,
    at              BIGINT NOT NULL,
    staff_id        BIGINT NOT NULL,
    staff_role      TEXT NOT NULL,
    department_code TEXT NOT NULL,
    application_id  BIGINT NOT NULL,
    action          TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    detail          TEXT NOT NULL,
    prev_hash       TEXT NOT NULL,
    row_hash        TEXT NOT NULL
);
CREATE INDEX case_audit_of ON case_audit (application_id, at);
CREATE TRIGGER case_audit_no_update BEFORE UPDATE ON case_audit
BEGIN
    SELECT RAISE(ABORT, 'case_audit is append-only');
END;
CREATE TRIGGER case_audit_no_delete BEFORE DELETE ON case_audit
BEGIN
    SELECT RAISE(ABORT, 'case_audit is append-only');
END;
