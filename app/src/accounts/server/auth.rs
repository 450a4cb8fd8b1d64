//! Who is signed in: the session's auth record, the timeouts, and the typed principal every
//! account operation takes.

use super::citizens;
use crate::error::AppError;
use crate::platform::sessions::AUTH_KEY;
use crate::platform::AppContext;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

pub use crate::accounts::{CITIZEN_IDLE_SECS, STAFF_IDLE_SECS};

/// Citizens: signed out 12 hours after signing in whatever they do (ASVS 7.3; the security
/// reference's resolution for citizens).
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
    /// The name given at registration, as the site header shows it.
    pub name: String,
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

/// Concurrent sessions (ASVS 7.1.2): a citizen may be signed in on up to five devices (the least
/// recently used one ends when a sixth begins); a staff member on one (signing in ends the other).
pub const CITIZEN_MAX_SESSIONS: usize = 5;
pub const STAFF_MAX_SESSIONS: usize = 1;

/// A staff member whose password is older than this must choose a new one before anything else
/// (等保 定期更换; the security reference's resolution: staff only, citizens never forced).
pub const STAFF_PASSWORD_MAX_AGE_SECS: i64 = 90 * 86400;
/// The session kind of a staff member who signed in with both factors but must change an expired
/// password first: it is not a staff session, so every staff page and function refuses it.
pub const PASSWORD_CHANGE_KIND: &str = "staff_password_change";
/// How long that restricted session lasts.
pub const PASSWORD_CHANGE_SECS: i64 = 10 * 60;

/// Starts a signed-in session: a new session id (the old one is discarded), then the record.
/// Other sessions of the account beyond the concurrent-session limit end.
pub async fn sign_in(
    session: &Session,
    db: &crate::platform::Db,
    kind: &str,
    account_id: i64,
    now: i64,
) -> Result<(), AppError> {
    session.cycle_id().await.map_err(|e| AppError::internal(&e))?;
    let keep = match kind {
        "citizen" => Some(CITIZEN_MAX_SESSIONS - 1),
        "staff" | PASSWORD_CHANGE_KIND => Some(STAFF_MAX_SESSIONS - 1),
        _ => None,
    };
    if let Some(keep) = keep {
        // The restricted password-change session and the full one share the staff limit.
        let kinds: &[&str] = if kind == "citizen" { &["citizen"] } else { &["staff", PASSWORD_CHANGE_KIND] };
        for stored_kind in kinds {
            crate::platform::sessions::keep_newest(db, stored_kind, account_id, keep).await?;
        }
    }
    let record = AuthRecord { kind: kind.to_owned(), account_id, authenticated_at: now, last_seen_at: now };
    session.insert(AUTH_KEY, record).await.map_err(|e| AppError::internal(&e))
}

/// A request the page made by itself (`ui::live_update`) is not the user's activity: it must not
/// keep an idle session alive (ASVS 3.3).
fn is_background_request() -> bool {
    leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        parts.headers.contains_key(crate::ui::live_update::BACKGROUND_HEADER)
    })
    .unwrap_or(false)
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
    if now - record.last_seen_at >= TOUCH_EVERY_SECS && !is_background_request() {
        record.last_seen_at = now;
        session.insert(AUTH_KEY, record).await.map_err(|e| AppError::internal(&e))?;
    }
    Ok(Ok(CitizenPrincipal {
        id: row.id,
        name: row.name,
        real_name_verified: row.real_name_verified_at.is_some(),
        subject_ref: row.id_number_ref,
    }))
}

/// The session of the request being handled (set by the session layer).
pub fn request_session() -> Option<Session> {
    leptos::prelude::with_context::<http::request::Parts, _>(|p| p.extensions.get::<Session>().cloned()).flatten()
}

/// For server functions and pages: the signed-in citizen, or 401.
pub async fn citizen() -> Result<CitizenPrincipal, AppError> {
    let ctx = AppContext::current()?;
    let session = request_session().ok_or(AppError::Unauthenticated)?;
    citizen_of(&session, &ctx).await?.map_err(|_| AppError::Unauthenticated)
}

/// Staff: 8 hours after signing in (stricter than citizens: they see others' data).
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

    /// Whose applications this person works on: a clerk their department, a supervisor theirs
    /// or the whole city; administrators none (三员 do not handle cases).
    pub fn case_scope(&self) -> Option<crate::accounts::CaseScope> {
        use crate::accounts::{CaseScope, StaffRole};
        match (self.role, &self.department_code) {
            (StaffRole::WindowClerk | StaffRole::Supervisor, Some(code)) => Some(CaseScope::Department(code.clone())),
            (StaffRole::Supervisor, None) => Some(CaseScope::City),
            _ => None,
        }
    }
}

/// A staff member who proved both factors but whose password has expired: only the password
/// page accepts this. Returns the account id while the restricted session lasts.
pub async fn pending_password_change(session: &Session, ctx: &AppContext) -> Result<Option<i64>, AppError> {
    let record: Option<AuthRecord> = session.get(AUTH_KEY).await.map_err(|e| AppError::internal(&e))?;
    let Some(record) = record.filter(|r| r.kind == PASSWORD_CHANGE_KIND) else { return Ok(None) };
    if ctx.clock.now() - record.authenticated_at > PASSWORD_CHANGE_SECS {
        sign_out(session).await?;
        return Ok(None);
    }
    Ok(Some(record.account_id))
}

/// Whether a password set at `changed_at` (never, for `None`) must be changed at `now`.
pub fn staff_password_expired(changed_at: Option<i64>, now: i64) -> bool {
    changed_at.is_none_or(|t| now - t > STAFF_PASSWORD_MAX_AGE_SECS)
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
    if now - record.last_seen_at >= TOUCH_EVERY_SECS && !is_background_request() {
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
/// The principal of a staff account for work recorded as theirs outside any request: only the
/// demo data (`seed-demo --with-cases`), whose decisions are the demo clerk's. Requests get their
/// principal from the session (`staff`, `staff_of`), never from here.
pub async fn principal_of_account(db: &crate::platform::Db, id: i64) -> Result<Option<StaffPrincipal>, AppError> {
    let Some(row) = super::staff::by_id(db, id).await? else { return Ok(None) };
    let Some(role) = crate::accounts::StaffRole::from_code(&row.role) else { return Ok(None) };
    Ok(Some(StaffPrincipal { id: row.id, role, department_code: row.department_code, display_name: row.display_name }))
}

pub async fn staff_with_role(roles: &[crate::accounts::StaffRole]) -> Result<StaffPrincipal, AppError> {
    let staff = staff().await?;
    if roles.contains(&staff.role) {
        Ok(staff)
    } else {
        Err(AppError::Forbidden)
    }
}
