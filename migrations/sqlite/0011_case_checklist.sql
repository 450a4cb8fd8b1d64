-- The window console's review checklist: a verdict per material of a case.
-- Keep in step with migrations/postgres/0011_case_checklist.sql (a test compares the two).

-- One verdict per material of a case; recording again replaces it (every change is in
-- case_audit). `revision` is the submission the clerk looked at: a later submission that adds
-- files for the material makes the verdict one to review again.
CREATE TABLE case_material_checks (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    material       TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('present', 'legible', 'valid', 'mismatch')),
    note           TEXT NOT NULL DEFAULT '',
    revision       BIGINT NOT NULL,
    staff_id       BIGINT NOT NULL REFERENCES staff_accounts (id),
    at             BIGINT NOT NULL,
    PRIMARY KEY (application_id, material)
);
