-- Keep in step with migrations/postgres/0004_staff_sign_in.sql (a test compares the two).
-- Staff sign-in: department (for clerks and supervisors), TOTP secret (sealed), lockout and
-- session cut-off, like citizens.
ALTER TABLE staff_accounts ADD COLUMN department_code TEXT;
ALTER TABLE staff_accounts ADD COLUMN totp_sealed TEXT;
ALTER TABLE staff_accounts ADD COLUMN totp_last_step BIGINT;
ALTER TABLE staff_accounts ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff_accounts ADD COLUMN first_failed_at BIGINT;
ALTER TABLE staff_accounts ADD COLUMN locked_until BIGINT;
ALTER TABLE staff_accounts ADD COLUMN sessions_valid_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff_accounts ADD COLUMN password_changed_at BIGINT;
