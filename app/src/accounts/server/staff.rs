//! All SQL for staff sign-in: set-up tokens, credentials and second factor, lockout.

use crate::platform::Db;

/// Marks a valid, unused set-up token used and returns the staff account it belongs to, if that
/// account still waits for set-up. One conditional UPDATE, so a token works once.
pub async fn redeem_setup_token(db: &Db, token_hash: &str, now: i64) -> Result<Option<(i64, String)>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let staff: Option<i64> = sqlx::query_scalar(
        "UPDATE staff_setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
         RETURNING staff_id",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let account = match staff {
        Some(id) => {
            sqlx::query_as("SELECT id, username FROM staff_accounts WHERE id = $1 AND status = 'pending_setup'")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    // Only commit the use of the token when it really sets up an account.
    if account.is_some() {
        tx.commit().await?;
    }
    Ok(account)
}

/// The username for a token that could still be redeemed (for the set-up page).
pub async fn pending_username(db: &Db, token_hash: &str, now: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.username FROM staff_setup_tokens t JOIN staff_accounts a ON a.id = t.staff_id \
         WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND a.status = 'pending_setup'",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

pub async fn activate(
    db: &Db,
    id: i64,
    password_hash: &str,
    totp_sealed: &str,
    totp_step: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE staff_accounts SET password_hash = $1, totp_sealed = $2, totp_last_step = $3, status = 'active', \
         password_changed_at = $4 WHERE id = $5 AND status = 'pending_setup'",
    )
    .bind(password_hash)
    .bind(totp_sealed)
    .bind(totp_step)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub department_code: Option<&'a str>,
    pub token_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// Creates a staff account waiting for set-up, with its one-time token (stored hashed).
pub async fn create(db: &Db, new: &NewStaff<'_>) -> Result<i64, sqlx::Error> {
    let NewStaff { username, display_name, role, department_code, token_hash, now, expires_at } = *new;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_accounts (username, display_name, role, status, department_code, created_at) \
         VALUES ($1, $2, $3, 'pending_setup', $4, $5) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role)
    .bind(department_code)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO staff_setup_tokens (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(id)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Disables an account and ends its sessions. Returns whether an account changed.
pub async fn disable(db: &Db, id: i64, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query(
        "UPDATE staff_accounts SET status = 'disabled', sessions_valid_after = $1 WHERE id = $2 AND status <> 'disabled'",
    )
    .bind(now + 1)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(changed == 1)
}

pub async fn username_taken(db: &Db, username: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(db.pool())
        .await?;
    Ok(found.is_some())
}

/// (id, username, display name, role, department, status).
pub type StaffListRow = (i64, String, String, String, Option<String>, String);

/// Every staff account for the administration page, by username.
pub async fn list(db: &Db) -> Result<Vec<StaffListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, display_name, role, department_code, status FROM staff_accounts ORDER BY username",
    )
    .fetch_all(db.pool())
    .await
}

pub struct StaffLogin {
    pub id: i64,
    pub password_hash: Option<String>,
    pub totp_sealed: Option<String>,
    pub totp_last_step: Option<i64>,
    pub status: String,
    pub failed_logins: i64,
    pub first_failed_at: Option<i64>,
    pub locked_until: Option<i64>,
}

type LoginTuple = (i64, Option<String>, Option<String>, Option<i64>, String, i64, Option<i64>, Option<i64>);

pub async fn for_login(db: &Db, username: &str) -> Result<Option<StaffLogin>, sqlx::Error> {
    let row: Option<LoginTuple> = sqlx::query_as(
        "SELECT id, password_hash, totp_sealed, totp_last_step, status, failed_logins, first_failed_at, locked_until \
         FROM staff_accounts WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| StaffLogin {
        id: r.0,
        password_hash: r.1,
        totp_sealed: r.2,
        totp_last_step: r.3,
        status: r.4,
        failed_logins: r.5,
        first_failed_at: r.6,
        locked_until: r.7,
    }))
}

pub async fn record_failure(
    db: &Db,
    id: i64,
    failed_logins: i64,
    first_failed_at: i64,
    locked_until: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE staff_accounts SET failed_logins = $1, first_failed_at = $2, locked_until = $3 WHERE id = $4")
        .bind(failed_logins)
        .bind(first_failed_at)
        .bind(locked_until)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A successful sign-in: clears failures and records the code's time step so it cannot be reused.
pub async fn record_success(db: &Db, id: i64, totp_step: i64, rehash: Option<&str>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE staff_accounts SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL, totp_last_step = $1, \
         password_hash = COALESCE($2, password_hash) WHERE id = $3",
    )
    .bind(totp_step)
    .bind(rehash)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub struct StaffRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department_code: Option<String>,
    pub status: String,
    pub sessions_valid_after: i64,
}

type StaffTuple = (i64, String, String, String, Option<String>, String, i64);

pub async fn by_id(db: &Db, id: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    let row: Option<StaffTuple> = sqlx::query_as(
        "SELECT id, username, display_name, role, department_code, status, sessions_valid_after FROM staff_accounts \
         WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| StaffRow {
        id: r.0,
        username: r.1,
        display_name: r.2,
        role: r.3,
        department_code: r.4,
        status: r.5,
        sessions_valid_after: r.6,
    }))
}
