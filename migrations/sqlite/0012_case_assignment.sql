-- The window console's assignment by a supervisor and the staff-only timeline of a case.
-- Keep in step with migrations/postgres/0012_case_assignment.sql (a test compares the two).

-- The supervisor who gave the case to its current holder (NULL when the holder claimed it).
ALTER TABLE applications ADD COLUMN assigned_by BIGINT REFERENCES staff_accounts (id);

-- What staff did with a case that the applicant does not see (their timeline is
-- application_events): for now assignments, `subject_id` being the clerk assigned.
CREATE TABLE case_events (
    id             INTEGER PRIMARY KEY NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at             BIGINT NOT NULL,
    staff_id       BIGINT NOT NULL REFERENCES staff_accounts (id),
    kind           TEXT NOT NULL CHECK (kind IN ('assigned')),
    subject_id     BIGINT REFERENCES staff_accounts (id)
);
CREATE INDEX case_events_of ON case_events (application_id, at);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
