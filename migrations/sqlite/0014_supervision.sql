-- Supervision: exports of case lists with personal data, which a second supervisor approves.
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
