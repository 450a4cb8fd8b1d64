//! All SQL for citizen accounts, their emailed tokens and codes, and account events.

use crate::platform::Db;

pub struct NewCitizen<'a> {
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub name: &'a str,
    pub id_number_sealed: &'a str,
    pub id_number_ref: &'a str,
    pub id_number_masked: &'a str,
    pub password_hash: &'a str,
    pub now: i64,
}

/// A unique value of a registration that an existing account already holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Email,
    Phone,
    IdNumber,
}

/// An existing account holding one or more of a registration's unique values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: i64,
    pub email: Option<String>,
    pub holds: Vec<Taken>,
}

/// The accounts that already hold this email address, phone number or ID number (at most three).
pub async fn holders(db: &Db, email: &str, phone: Option<&str>, id_ref: &str) -> Result<Vec<Holder>, sqlx::Error> {
    let rows: Vec<(i64, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT id, email, phone, id_number_ref FROM citizens WHERE email = $1 OR phone = $2 OR id_number_ref = $3 \
         ORDER BY id",
    )
    .bind(email)
    .bind(phone)
    .bind(id_ref)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, e, p, i)| {
            let holds = [
                (e.as_deref() == Some(email), Taken::Email),
                (phone.is_some() && p.as_deref() == phone, Taken::Phone),
                (i == id_ref, Taken::IdNumber),
            ];
            Holder { id, email: e, holds: holds.into_iter().filter(|(held, _)| *held).map(|(_, t)| t).collect() }
        })
        .collect())
}

pub async fn insert(db: &Db, c: &NewCitizen<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO citizens (email, phone, name, id_number_sealed, id_number_ref, id_number_masked, password_hash, \
         status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) RETURNING id",
    )
    .bind(c.email)
    .bind(c.phone)
    .bind(c.name)
    .bind(c.id_number_sealed)
    .bind(c.id_number_ref)
    .bind(c.id_number_masked)
    .bind(c.password_hash)
    .bind(c.now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The account holding this ID number (its keyed reference), if any.
pub async fn id_by_id_ref(db: &Db, id_ref: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM citizens WHERE id_number_ref = $1").bind(id_ref).fetch_optional(db.pool()).await
}

/// An account made at the hall for a walk-in applicant who had none (一窗受理): identified in
/// person against the population register, so real-name verified, but without a password
/// (`password_hash` empty, which never verifies) until they register online or reset it.
pub struct WindowCitizen<'a> {
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub name: &'a str,
    pub id_number_sealed: &'a str,
    pub id_number_ref: &'a str,
    pub id_number_masked: &'a str,
    pub now: i64,
}

pub async fn insert_at_window(db: &Db, c: &WindowCitizen<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO citizens (email, phone, name, id_number_sealed, id_number_ref, id_number_masked, password_hash, \
         real_name_verified_at, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7, 'active', $7) RETURNING id",
    )
    .bind(c.email)
    .bind(c.phone)
    .bind(c.name)
    .bind(c.id_number_sealed)
    .bind(c.id_number_ref)
    .bind(c.id_number_masked)
    .bind(c.now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Registration by the person an account was made for at the hall: the same name, and the same
/// email and phone where the hall recorded them. Sets the contact details and password of the
/// account still without one; false when the account is not (or no longer) such a one.
pub async fn claim_window_account(
    db: &Db,
    id: i64,
    name: &str,
    email: &str,
    phone: Option<&str>,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query(
        "UPDATE citizens SET email = $1, phone = COALESCE(phone, $2), password_hash = $3 \
         WHERE id = $4 AND password_hash = '' AND status = 'active' AND name = $5 \
         AND (email IS NULL OR email = $1) AND (phone IS NULL OR phone = $2)",
    )
    .bind(email)
    .bind(phone)
    .bind(password_hash)
    .bind(id)
    .bind(name)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(claimed)
}

/// What sign-in needs to know about an account.
pub struct LoginRow {
    pub id: i64,
    pub password_hash: String,
    pub status: String,
    pub failed_logins: i64,
    pub first_failed_at: Option<i64>,
    pub locked_until: Option<i64>,
}

/// id, password hash, status, failed logins, first failure, locked until.
type LoginTuple = (i64, String, String, i64, Option<i64>, Option<i64>);

pub async fn for_login(db: &Db, identifier: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    let row: Option<LoginTuple> = sqlx::query_as(
        "SELECT id, password_hash, status, failed_logins, first_failed_at, locked_until FROM citizens \
         WHERE email = $1 OR phone = $1",
    )
    .bind(identifier)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| LoginRow {
        id: r.0,
        password_hash: r.1,
        status: r.2,
        failed_logins: r.3,
        first_failed_at: r.4,
        locked_until: r.5,
    }))
}

pub async fn record_success(db: &Db, id: i64, rehash: Option<&str>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE citizens SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL, \
         password_hash = COALESCE($1, password_hash) WHERE id = $2",
    )
    .bind(rehash)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The signed-in citizen as the account pages show them (ID and phone masked).
#[derive(Debug, Clone)]
pub struct CitizenRow {
    pub id: i64,
    pub name: String,
    /// None for an account made at a service hall without one: nothing may be mailed to it.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub id_number_masked: String,
    pub id_number_ref: String,
    pub email_verified_at: Option<i64>,
    pub real_name_verified_at: Option<i64>,
    pub status: String,
    pub sessions_valid_after: i64,
}

type Row = (i64, String, Option<String>, Option<String>, String, String, Option<i64>, Option<i64>, String, i64);

pub async fn by_id(db: &Db, id: i64) -> Result<Option<CitizenRow>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, email, phone, id_number_masked, id_number_ref, email_verified_at, real_name_verified_at, \
         status, sessions_valid_after FROM citizens WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| CitizenRow {
        id: r.0,
        name: r.1,
        email: r.2.filter(|e| !e.is_empty()),
        phone: r.3,
        id_number_masked: r.4,
        id_number_ref: r.5,
        email_verified_at: r.6,
        real_name_verified_at: r.7,
        status: r.8,
        sessions_valid_after: r.9,
    }))
}

pub async fn sealed_id_number(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id_number_sealed FROM citizens WHERE id = $1").bind(id).fetch_optional(db.pool()).await
}

pub async fn set_real_name_verified(db: &Db, id: i64, at: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE citizens SET real_name_verified_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn store_token(
    db: &Db,
    token_hash: &str,
    citizen_id: i64,
    purpose: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO citizen_tokens (token_hash, citizen_id, purpose, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(citizen_id)
        .bind(purpose)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Marks a valid, unused token of this purpose used and returns its citizen; in one
/// conditional UPDATE, so a token works once even when two requests race.
pub async fn redeem_token(db: &Db, token_hash: &str, purpose: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let citizen: Option<i64> = sqlx::query_scalar(
        "UPDATE citizen_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL \
         AND expires_at > $1 RETURNING citizen_id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(&mut *tx)
    .await?;
    if let (Some(id), "verify_email") = (citizen, purpose) {
        sqlx::query("UPDATE citizens SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(citizen)
}

/// The account with this email address, for a password reset (active accounts only).
pub async fn id_by_email(db: &Db, email: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM citizens WHERE email = $1 AND status = 'active'")
        .bind(email)
        .fetch_optional(db.pool())
        .await
}

/// A new password: stored, failures and lock cleared, and every existing session ended.
pub async fn reset_password(db: &Db, id: i64, password_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE citizens SET password_hash = $1, failed_logins = 0, first_failed_at = NULL, locked_until = NULL, \
         sessions_valid_after = $2 WHERE id = $3",
    )
    .bind(password_hash)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The citizen a still-valid, unused token of this purpose belongs to (without using it).
pub async fn token_owner(db: &Db, token_hash: &str, purpose: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT citizen_id FROM citizen_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(db.pool())
    .await
}

/// Ends every session of the account that started before `now`.
pub async fn end_sessions(db: &Db, id: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE citizens SET sessions_valid_after = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn password_hash(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM citizens WHERE id = $1").bind(id).fetch_optional(db.pool()).await
}

/// Cancels an account: it can no longer sign in, every session ends, and the personal data it
/// held (name, contact details, ID number) is erased, so the same person can register again.
/// The row stays as the anchor of its account events; the register-call audit is kept under
/// its keyed references for the legal retention period.
pub async fn cancel(db: &Db, id: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE citizens SET status = 'cancelled', name = '', email = NULL, phone = NULL, id_number_sealed = '', \
         id_number_ref = 'cancelled-' || CAST(id AS TEXT), id_number_masked = '', password_hash = '', \
         sessions_valid_after = $1 WHERE id = $2",
    )
    .bind(now + 1)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM citizen_tokens WHERE citizen_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM citizen_entities WHERE citizen_id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await
}

/// The account's own security events, newest first (for the data export).
pub async fn events_of(db: &Db, id: i64) -> Result<Vec<(i64, String, bool)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT at, event, success FROM account_events WHERE citizen_id = $1 ORDER BY at DESC, id DESC")
            .bind(id)
            .fetch_all(db.pool())
            .await?;
    Ok(rows.into_iter().map(|(at, event, success)| (at, event, success != 0)).collect())
}

/// When the account was created and its verifications happened.
pub async fn timestamps(db: &Db, id: i64) -> Result<Option<(i64, Option<i64>, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT created_at, email_verified_at, real_name_verified_at FROM citizens WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

pub async fn link_entity(db: &Db, id: i64, credit_code: &str, name: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO citizen_entities (citizen_id, credit_code, entity_name, linked_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (citizen_id, credit_code) DO UPDATE SET entity_name = excluded.entity_name, linked_at = excluded.linked_at",
    )
    .bind(id)
    .bind(credit_code)
    .bind(name)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// The entities a citizen acts for: (credit code, name), in the order they were linked.
pub async fn entities_of(db: &Db, id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT credit_code, entity_name FROM citizen_entities WHERE citizen_id = $1 ORDER BY linked_at, credit_code",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
}

pub struct Event<'a> {
    pub at: i64,
    pub citizen_id: Option<i64>,
    pub event: &'a str,
    pub success: bool,
    pub client_ip: &'a str,
    pub request_id: &'a str,
}

pub async fn record_event(db: &Db, e: &Event<'_>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO account_events (at, citizen_id, event, success, client_ip, request_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.at)
    .bind(e.citizen_id)
    .bind(e.event)
    .bind(i64::from(e.success))
    .bind(e.client_ip)
    .bind(e.request_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// A short code was issued less than this long ago: another is not sent yet (mail flooding).
pub const CODE_RESEND_SECS: i64 = 60;

/// Stores a new emailed code (its keyed hash), voiding earlier unused codes for the same purpose.
/// Returns false, storing nothing, when the last one was issued under [`CODE_RESEND_SECS`] ago.
pub async fn store_code(
    db: &Db,
    citizen_id: i64,
    purpose: &str,
    code_hash: &str,
    new_value: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let recent: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM citizen_codes WHERE citizen_id = $1 AND purpose = $2 AND created_at > $3 LIMIT 1",
    )
    .bind(citizen_id)
    .bind(purpose)
    .bind(now - CODE_RESEND_SECS)
    .fetch_optional(&mut *tx)
    .await?;
    if recent.is_some() {
        return Ok(false);
    }
    sqlx::query("UPDATE citizen_codes SET used_at = $1 WHERE citizen_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(citizen_id)
        .bind(purpose)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO citizen_codes (citizen_id, purpose, code_hash, new_value, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(citizen_id)
    .bind(purpose)
    .bind(code_hash)
    .bind(new_value)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// What checking an emailed code found.
#[derive(Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right code: it is now used up. Carries the value it was issued for (a new email address).
    Accepted(Option<String>),
    /// Wrong code; `tries_left` more before the code is void.
    Wrong { tries_left: i64 },
    /// No live code: never sent, expired, used, or too many wrong tries.
    NoCode,
}

/// Checks `code_hash` against the account's live code for `purpose`, counting wrong tries.
pub async fn check_code(
    db: &Db,
    citizen_id: i64,
    purpose: &str,
    code_hash: &str,
    max_tries: i64,
    now: i64,
) -> Result<CodeCheck, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let live: Option<(i64, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, code_hash, new_value, attempts FROM citizen_codes WHERE citizen_id = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3 AND attempts < $4 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(citizen_id)
    .bind(purpose)
    .bind(now)
    .bind(max_tries)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, stored, new_value, attempts)) = live else { return Ok(CodeCheck::NoCode) };
    let check = if crate::platform::secrets::constant_time_eq(stored.as_bytes(), code_hash.as_bytes()) {
        sqlx::query("UPDATE citizen_codes SET used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *tx).await?;
        CodeCheck::Accepted(new_value)
    } else {
        sqlx::query("UPDATE citizen_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        CodeCheck::Wrong { tries_left: max_tries - attempts - 1 }
    };
    tx.commit().await?;
    Ok(check)
}

/// Lifts a temporary lock and clears the failure count.
pub async fn unlock(db: &Db, id: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE citizens SET failed_logins = 0, first_failed_at = NULL, locked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// The active account with this email address, if it is locked at `now`.
pub async fn locked_by_email(db: &Db, email: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM citizens WHERE email = $1 AND status = 'active' AND locked_until > $2")
        .bind(email)
        .bind(now)
        .fetch_optional(db.pool())
        .await
}

/// The active account with this email address.
pub async fn active_by_email(db: &Db, email: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM citizens WHERE email = $1 AND status = 'active'")
        .bind(email)
        .fetch_optional(db.pool())
        .await
}

/// Whether another account uses this email address or phone number.
pub async fn contact_taken(db: &Db, id: i64, email: Option<&str>, phone: Option<&str>) -> Result<bool, sqlx::Error> {
    let other: Option<i64> =
        sqlx::query_scalar("SELECT id FROM citizens WHERE id <> $1 AND (email = $2 OR phone = $3) LIMIT 1")
            .bind(id)
            .bind(email)
            .bind(phone)
            .fetch_optional(db.pool())
            .await?;
    Ok(other.is_some())
}

/// A confirmed new email address replaces the old one.
pub async fn set_email(db: &Db, id: i64, email: &str, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE citizens SET email = $1, email_verified_at = $2 WHERE id = $3")
        .bind(email)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A new phone number, or none.
pub async fn set_phone(db: &Db, id: i64, phone: Option<&str>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("UPDATE citizens SET phone = $1 WHERE id = $2").bind(phone).bind(id).execute(&mut *tx).await?;
    tx.commit().await
}
