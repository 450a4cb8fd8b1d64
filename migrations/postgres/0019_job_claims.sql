-- Periodic jobs when several portal instances share one database: each run of a job (one period
-- of its schedule, e.g. an hour) is claimed by one instance, which then does it; the others skip
-- it. One row per job: the latest period claimed and by whom.
-- Keep in step with migrations/sqlite/0019_job_claims.sql (a test compares the two).
CREATE TABLE job_claims (
    job        TEXT PRIMARY KEY NOT NULL,
    period     BIGINT NOT NULL,
    holder     TEXT NOT NULL,
    claimed_at BIGINT NOT NULL
);
