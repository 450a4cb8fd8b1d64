//! Account data and rules on the server: citizens' SQL, sessions and principals, passwords, and
//! staff account creation with a one-time set-up token.

pub mod auth;
pub mod citizens;
pub mod lockout;
pub mod password;
pub mod staff;
#[cfg(test)]
mod tests;
pub mod totp;

use crate::accounts::{is_valid_username, StaffRole};
use crate::platform::{time::now_unix, Db};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The citizen's own resident ID, for calls to other organisations about them: real-name
/// verified accounts only (`Forbidden` otherwise).
pub async fn own_resident_id(
    ctx: &crate::platform::AppContext,
    citizen: &auth::CitizenPrincipal,
) -> Result<crate::identifiers::ResidentId, crate::error::AppError> {
    use crate::error::AppError;
    if !citizen.real_name_verified {
        return Err(AppError::Forbidden);
    }
    let sealed = citizens::sealed_id_number(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    let own = ctx.secrets.cipher().decrypt(&sealed).ok_or_else(|| AppError::internal(&"cannot open ID number"))?;
    crate::identifiers::ResidentId::parse(&own).map_err(|_| AppError::internal(&"stored ID number does not parse"))
}

/// Issues a six-digit code to mail for `purpose` (self-unlock, confirming a new address): drawn
/// uniformly, stored only as a keyed hash, earlier unused codes void, valid for `lifetime_secs`.
/// `None` when one was issued under a minute ago (that one still works).
pub async fn issue_code(
    ctx: &crate::platform::AppContext,
    citizen_id: i64,
    purpose: &str,
    new_value: Option<&str>,
    lifetime_secs: i64,
) -> Result<Option<String>, sqlx::Error> {
    use rand::Rng;
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000u32));
    let hash = ctx.secrets.subject().one_time_code(citizen_id, purpose, &code);
    let now = ctx.clock.now();
    let stored = citizens::store_code(&ctx.db, citizen_id, purpose, &hash, new_value, now, now + lifetime_secs).await?;
    Ok(stored.then_some(code))
}

/// Checks a typed code against the account's live code for `purpose`, counting wrong tries.
/// Without an account (`None`: unknown, or not in a state that has codes) the same keyed hash
/// and the same lookup run and find nothing, so the answer costs the same either way.
pub async fn check_code(
    ctx: &crate::platform::AppContext,
    citizen_id: Option<i64>,
    purpose: &str,
    code: &str,
    max_tries: i64,
) -> Result<citizens::CodeCheck, sqlx::Error> {
    const NO_ROW: i64 = -1;
    let citizen_id = citizen_id.unwrap_or(NO_ROW);
    let hash = ctx.secrets.subject().one_time_code(citizen_id, purpose, code.trim());
    ctx.credentials.count_code_check();
    citizens::check_code(&ctx.db, citizen_id, purpose, &hash, max_tries, ctx.clock.now()).await
}

/// How long a set-up token stays valid.
pub const SETUP_TOKEN_LIFETIME_SECS: i64 = 24 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error(
        "the username must be 3–32 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter"
    )]
    InvalidUsername,
    #[error("only system_admin, security_admin and audit_admin accounts are created from the command line")]
    NotAnAdminRole,
    #[error("a staff account named '{0}' already exists")]
    UsernameTaken(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The one-time token, shown once and stored only as a SHA-256 hash.
#[derive(Debug)]
pub struct SetupToken {
    pub token: String,
    pub expires_at: i64,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates an administrator (system, security or audit: 三员) without a password and returns a
/// 256-bit set-up token, valid for 24 hours, with which they choose a password and enrol TOTP.
pub async fn create_admin(
    db: &Db,
    username: &str,
    display_name: &str,
    role: StaffRole,
) -> Result<SetupToken, CreateAdminError> {
    if !is_valid_username(username) {
        return Err(CreateAdminError::InvalidUsername);
    }
    if !StaffRole::ADMINS.contains(&role) {
        return Err(CreateAdminError::NotAnAdminRole);
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_unix();
    let expires_at = now + SETUP_TOKEN_LIFETIME_SECS;

    let mut tx = db.begin_write().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(CreateAdminError::UsernameTaken(username.to_owned()));
    }
    let staff_id: i64 = sqlx::query_scalar(
        "INSERT INTO staff_accounts (username, display_name, role, status, created_at) \
         VALUES ($1, $2, $3, 'pending_setup', $4) RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(role.code())
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO staff_setup_tokens (token_hash, staff_id, expires_at) VALUES ($1, $2, $3)")
        .bind(hash_token(&token))
        .bind(staff_id)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(SetupToken { token, expires_at })
}
