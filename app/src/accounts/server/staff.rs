//! All SQL for staff accounts: set-up tokens, credentials and second factor, lockout, password
//! history, disabling unused accounts, and the staff security log.

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
    remember_password(&mut tx, id, password_hash, now).await?;
    tx.commit().await
}

async fn remember_password(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO staff_password_history (staff_id, password_hash, changed_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(password_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The hashes of the account's last `count` passwords, newest first (reuse is refused).
pub async fn recent_password_hashes(db: &Db, id: i64, count: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT password_hash FROM staff_password_history WHERE staff_id = $1 ORDER BY changed_at DESC LIMIT $2",
    )
    .bind(id)
    .bind(count)
    .fetch_all(db.pool())
    .await
}

/// A new password: stored, remembered in the history, and every other session of the account ends.
pub async fn change_password(db: &Db, id: i64, password_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE staff_accounts SET password_hash = $1, password_changed_at = $2, sessions_valid_after = $2 \
         WHERE id = $3 AND status = 'active'",
    )
    .bind(password_hash)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    remember_password(&mut tx, id, password_hash, now).await?;
    tx.commit().await
}

/// Staff accounts not used for this long are disabled (等保 访问控制 c); the security reference's
/// AC7 figure). A security administrator can create a new set-up link for the person.
pub const UNUSED_AFTER_SECS: i64 = 90 * 86400;

/// The daily job: disables accounts unused for [`UNUSED_AFTER_SECS`] as of `now`.
pub async fn disable_unused_as_of(db: &Db, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    disable_unused(db, now - UNUSED_AFTER_SECS, now).await
}

/// Disables every active or never set-up account whose last sign-in (or, failing that, its
/// activation or creation) is older than `unused_since`, ends their sessions and logs each one.
/// Returns the accounts disabled.
pub async fn disable_unused(db: &Db, unused_since: i64, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE staff_accounts SET status = 'disabled', sessions_valid_after = $1 \
         WHERE status IN ('active', 'pending_setup') \
         AND COALESCE(last_sign_in_at, password_changed_at, created_at) < $2 RETURNING id",
    )
    .bind(now + 1)
    .bind(unused_since)
    .fetch_all(&mut *tx)
    .await?;
    for id in &ids {
        insert_event(
            &mut tx,
            &StaffEvent {
                at: now,
                staff_id: Some(*id),
                actor_id: None,
                event: "disabled_unused",
                success: true,
                client_ip: "",
                request_id: "",
                detail: "",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ids)
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

/// The address a staff member's mail (the supervisors' daily digest) goes to.
pub async fn set_email(db: &Db, id: i64, email: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE staff_accounts SET email = $1 WHERE id = $2").bind(email).bind(id).execute(&mut *tx).await?;
    tx.commit().await
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

/// A successful sign-in: clears failures, records the code's time step so it cannot be reused,
/// and the time (accounts unused for long are disabled).
pub async fn record_success(
    db: &Db,
    id: i64,
    totp_step: i64,
    rehash: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE staff_accounts SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL, totp_last_step = $1, \
         password_hash = COALESCE($2, password_hash), last_sign_in_at = $3 WHERE id = $4",
    )
    .bind(totp_step)
    .bind(rehash)
    .bind(now)
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
    pub password_changed_at: Option<i64>,
    pub password_hash: Option<String>,
}

type StaffTuple = (i64, String, String, String, Option<String>, String, i64, Option<i64>, Option<String>);

pub async fn by_id(db: &Db, id: i64) -> Result<Option<StaffRow>, sqlx::Error> {
    let row: Option<StaffTuple> = sqlx::query_as(
        "SELECT id, username, display_name, role, department_code, status, sessions_valid_after, \
         password_changed_at, password_hash FROM staff_accounts WHERE id = $1",
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
        password_changed_at: r.7,
        password_hash: r.8,
    }))
}

/// One row of the staff security log.
pub struct StaffEvent<'a> {
    pub at: i64,
    pub staff_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub event: &'a str,
    pub success: bool,
    pub client_ip: &'a str,
    pub request_id: &'a str,
    pub detail: &'a str,
}

pub async fn insert_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    e: &StaffEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_events (at, staff_id, actor_id, event, success, client_ip, request_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.at)
    .bind(e.staff_id)
    .bind(e.actor_id)
    .bind(e.event)
    .bind(i64::from(e.success))
    .bind(e.client_ip)
    .bind(e.request_id)
    .bind(e.detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn record_event(db: &Db, e: &StaffEvent<'_>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    insert_event(&mut tx, e).await?;
    tx.commit().await
}

/// (at, account username, actor username, event, success, client address, detail).
pub type StaffEventRow = (i64, Option<String>, Option<String>, String, bool, String, String);

/// The newest `limit` rows of the staff security log, with usernames.
pub async fn recent_events(db: &Db, limit: i64) -> Result<Vec<StaffEventRow>, sqlx::Error> {
    type EventTuple = (i64, Option<String>, Option<String>, String, i64, String, String);
    let rows: Vec<EventTuple> = sqlx::query_as(
        "SELECT e.at, a.username, b.username, e.event, e.success, e.client_ip, e.detail FROM staff_events e \
         LEFT JOIN staff_accounts a ON a.id = e.staff_id LEFT JOIN staff_accounts b ON b.id = e.actor_id \
         ORDER BY e.at DESC, e.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|r| (r.0, r.1, r.2, r.3, r.4 != 0, r.5, r.6)).collect())
}
