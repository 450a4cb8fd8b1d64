//! Who is signed in: the session's auth record, the timeouts, and the typed principal every
//! account operation takes.

use super::citizens;
use crate::error::AppError;
use crate::platform::sessions::AUTH_KEY;
use crate::platform::AppContext;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Citizens: signed out after 30 minutes without a request, and 12 hours after signing in
/// whatever they do (ASVS 7.3; the security reference's resolution for citizens).
pub const CITIZEN_IDLE_SECS: i64 = 30 * 60;
pub const CITIZEN_ABSOLUTE_SECS: i64 = 12 * 3600;
/// Activity is written back at most this often, so reading pages does not write on every click.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AuthRecord {
    pub kind: String,
    pub account_id: i64,
    pub authenticated_at: i64,
    pub last_seen_at: i64,
}

/// A signed-in citizen. Only obtained through [`citizen`], so holding one proves the check ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenPrincipal {
    id: i64,
    pub real_name_verified: bool,
    pub subject_ref: String,
}

impl CitizenPrincipal {
    pub fn id(&self) -> i64 {
        self.id
    }
}

/// Why there is no principal: never signed in, or the session ran out (the page says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSignedIn {
    Anonymous,
    Expired,
}

/// Starts a signed-in session: a new session id (the old one is discarded), then the record.
pub async fn sign_in(session: &Session, kind: &str, account_id: i64, now: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(|e| AppError::internal(&e))?;
    let record = AuthRecord { kind: kind.to_owned(), account_id, authenticated_at: now, last_seen_at: now };
    session.insert(AUTH_KEY, record).await.map_err(|e| AppError::internal(&e))
}

/// Ends the session everywhere it is stored.
pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(|e| AppError::internal(&e))
}

/// The signed-in citizen for this session, after the idle and absolute timeouts and the
/// account's state (disabled, cancelled, or all sessions ended) have been checked.
pub async fn citizen_of(
    session: &Session,
    ctx: &AppContext,
) -> Result<Result<CitizenPrincipal, NotSignedIn>, AppError> {
    let record: Option<AuthRecord> = session.get(AUTH_KEY).await.map_err(|e| AppError::internal(&e))?;
    let Some(mut record) = record.filter(|r| r.kind == "citizen") else { return Ok(Err(NotSignedIn::Anonymous)) };
    let now = ctx.clock.now();
    if now - record.last_seen_at > CITIZEN_IDLE_SECS || now - record.authenticated_at > CITIZEN_ABSOLUTE_SECS {
        sign_out(session).await?;
        return Ok(Err(NotSignedIn::Expired));
    }
    let Some(row) = citizens::by_id(&ctx.db, record.account_id).await? else {
        sign_out(session).await?;
        return Ok(Err(NotSignedIn::Anonymous));
    };
    if row.status != "active" || record.authenticated_at < row.sessions_valid_after {
        sign_out(session).await?;
        return Ok(Err(NotSignedIn::Expired));
    }
    if now - record.last_seen_at >= TOUCH_EVERY_SECS {
        record.last_seen_at = now;
        session.insert(AUTH_KEY, record).await.map_err(|e| AppError::internal(&e))?;
    }
    Ok(Ok(CitizenPrincipal {
        id: row.id,
        real_name_verified: row.real_name_verified_at.is_some(),
        subject_ref: row.id_number_ref,
    }))
}

/// The session of the request being handled (set by the session layer).
pub fn request_session() -> Option<Session> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<Session>().cloned())
}

/// For server functions and pages: the signed-in citizen, or 401.
pub async fn citizen() -> Result<CitizenPrincipal, AppError> {
    let ctx = AppContext::current()?;
    let session = request_session().ok_or(AppError::Unauthenticated)?;
    citizen_of(&session, &ctx).await?.map_err(|_| AppError::Unauthenticated)
}

/// Staff: 15 minutes idle, 8 hours after signing in (stricter than citizens: they see others' data).
pub const STAFF_IDLE_SECS: i64 = 15 * 60;
pub const STAFF_ABSOLUTE_SECS: i64 = 8 * 3600;

/// A signed-in staff member (password and TOTP both checked at sign-in), with their role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffPrincipal {
    id: i64,
    pub role: crate::accounts::StaffRole,
    pub department_code: Option<String>,
    pub display_name: String,
}

impl StaffPrincipal {
    pub fn id(&self) -> i64 {
        self.id
    }
}

pub async fn staff_of(session: &Session, ctx: &AppContext) -> Result<Result<StaffPrincipal, NotSignedIn>, AppError> {
    let record: Option<AuthRecord> = session.get(AUTH_KEY).await.map_err(|e| AppError::internal(&e))?;
    let Some(mut record) = record.filter(|r| r.kind == "staff") else { return Ok(Err(NotSignedIn::Anonymous)) };
    let now = ctx.clock.now();
    if now - record.last_seen_at > STAFF_IDLE_SECS || now - record.authenticated_at > STAFF_ABSOLUTE_SECS {
        sign_out(session).await?;
        return Ok(Err(NotSignedIn::Expired));
    }
    let row = super::staff::by_id(&ctx.db, record.account_id).await?;
    let Some(row) = row.filter(|r| r.status == "active" && record.authenticated_at >= r.sessions_valid_after) else {
        sign_out(session).await?;
        return Ok(Err(NotSignedIn::Expired));
    };
    let Some(role) = crate::accounts::StaffRole::from_code(&row.role) else {
        return Err(AppError::internal(&format!("staff {} has an unknown role", row.id)));
    };
    if now - record.last_seen_at >= TOUCH_EVERY_SECS {
        record.last_seen_at = now;
        session.insert(AUTH_KEY, record).await.map_err(|e| AppError::internal(&e))?;
    }
    Ok(Ok(StaffPrincipal { id: row.id, role, department_code: row.department_code, display_name: row.display_name }))
}

/// For server functions: a signed-in staff member (401 otherwise; 403 for a citizen session).
pub async fn staff() -> Result<StaffPrincipal, AppError> {
    let ctx = AppContext::current()?;
    let session = request_session().ok_or(AppError::Unauthenticated)?;
    match staff_of(&session, &ctx).await? {
        Ok(staff) => Ok(staff),
        Err(_) => {
            let citizen: Option<AuthRecord> = session.get(AUTH_KEY).await.map_err(|e| AppError::internal(&e))?;
            Err(if citizen.is_some_and(|r| r.kind == "citizen") {
                AppError::Forbidden
            } else {
                AppError::Unauthenticated
            })
        }
    }
}

/// A signed-in staff member holding one of `roles` (403 otherwise).
pub async fn staff_with_role(roles: &[crate::accounts::StaffRole]) -> Result<StaffPrincipal, AppError> {
    let staff = staff().await?;
    if roles.contains(&staff.role) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}
