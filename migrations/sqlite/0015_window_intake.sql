-- 一窗受理 (applications a window clerk registers for a walk-in applicant), and the index the
-- console reads a department's cases by.
-- Keep in step with migrations/postgres/0015_window_intake.sql (a test compares the two).

-- Which clerk of which department registered the application at the hall. The application
-- itself is an ordinary one of the applicant's account (one made at the window when they had
-- none: it has no password until they register online or reset it), so it follows the same
-- workflow and shows in 我的办件.
CREATE TABLE window_intakes (
    application_id  BIGINT PRIMARY KEY NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    department_code TEXT NOT NULL,
    staff_id        BIGINT NOT NULL REFERENCES staff_accounts (id),
    registered_at   BIGINT NOT NULL
);
CREATE INDEX window_intakes_by_staff ON window_intakes (staff_id, registered_at);

-- The console's queue, counts and service filter go from a department's items to their
-- applications: without this every console page read all applications of the city (measured
-- with 100,000: 127 ms of SQL per queue page before, about 20 ms after; BENCHMARKS.md).
CREATE INDEX applications_of_item ON applications (item_code, status, number);
