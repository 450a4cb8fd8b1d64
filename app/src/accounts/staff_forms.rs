//! Staff forms: first set-up with the one-time token (password and authenticator enrolment),
//! sign-in with password and TOTP (a staff session needs both), password changes (every 90 days,
//! none of the last five again) and account administration. Each is written to the staff
//! security log.

use super::server::{auth, lockout, password, staff, totp};
use crate::error::FieldError;
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};
use zeroize::Zeroizing;

/// How many earlier passwords a staff member may not choose again.
pub const PASSWORD_HISTORY: i64 = 5;

/// Appends to the staff security log; a failure to log is reported, never hidden.
pub(crate) async fn log(
    req: &FormRequest,
    staff_id: Option<i64>,
    actor_id: Option<i64>,
    event: &str,
    success: bool,
    detail: &str,
) {
    let client_ip = req.client_address();
    let e = staff::StaffEvent {
        at: req.ctx.clock.now(),
        staff_id,
        actor_id,
        event,
        success,
        client_ip: &client_ip,
        request_id: &req.request_id,
        detail,
    };
    if let Err(err) = staff::record_event(&req.ctx.db, &e).await {
        tracing::error!(error = %err, event, "cannot record a staff security event");
    }
}

/// The staff password rules with the username as context, as a field error on `field`.
fn staff_password_error(field: &'static str, pass: &str, username: &str) -> Option<FieldError> {
    password::check_staff_password(pass, &[username]).err().map(|problem| {
        let code =
            if problem == password::PasswordProblem::TooShort { "staff_password_too_short" } else { problem.code() };
        FieldError::new(field, code)
    })
}

/// Redeems the set-up token: sets the password and enrols the authenticator shown on the page
/// (its secret travels in the form, so a mistake does not change the QR code).
pub fn setup(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let token_hash = super::server::hash_token(req.field("token").trim());
        let now = req.ctx.clock.now();
        let username = match staff::pending_username(&req.ctx.db, &token_hash, now).await {
            Ok(Some(u)) => u,
            Ok(None) => return req.rerender(400, Vec::new(), Some("setup_token_invalid")),
            Err(err) => return req.failed_because(&err),
        };
        let pass = Zeroizing::new(req.field("password"));
        let mut errors: Vec<FieldError> = staff_password_error("password", &pass, &username).into_iter().collect();
        let secret = totp::from_base32(&req.field("secret")).filter(|s| s.len() >= 16);
        let step = secret.as_ref().and_then(|s| totp::verify(s, &req.field("code"), now, None));
        if step.is_none() {
            errors.push(FieldError::new("code", "totp_invalid"));
        }
        let (Some(secret), Some(step)) = (secret, step.filter(|_| errors.is_empty())) else {
            return req.rerender(400, errors, None);
        };
        let Some(hash) = req.ctx.credentials.hash(pass).await else { return req.failed() };
        let Ok(Some((id, _))) = staff::redeem_setup_token(&req.ctx.db, &token_hash, now).await else {
            return req.rerender(400, Vec::new(), Some("setup_token_invalid"));
        };
        let sealed = req.ctx.secrets.cipher().encrypt(&totp::base32(&secret));
        if staff::activate(&req.ctx.db, id, &hash, &sealed, step, now).await.is_err() {
            return req.failed();
        }
        log(&req, Some(id), None, "setup", true, "").await;
        FormOutcome::Redirect("/staff/login?done=setup".into())
    })
}

pub fn login(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let now = req.ctx.clock.now();
        let username = req.field("username").trim().to_lowercase();
        let pass = Zeroizing::new(req.field("password"));
        let code = req.field("code");
        let mut errors = Vec::new();
        for (field, value) in [("username", username.as_str()), ("password", pass.as_str()), ("code", code.trim())] {
            if value.is_empty() {
                errors.push(FieldError::new(field, "required"));
            }
        }
        if pass.chars().count() > password::MAX_CHARS {
            errors.push(FieldError::new("password", "password_too_long"));
        }
        if !errors.is_empty() {
            return req.rerender(400, errors, None);
        }
        let row = match staff::for_login(&req.ctx.db, &username).await {
            Ok(row) => row,
            Err(err) => return req.failed_because(&err),
        };
        // Only an active, unlocked account with a password is checked against its hash; every
        // other state against the dummy, so each path costs one argon2 run and one failure write.
        let usable = row.as_ref().filter(|r| r.status == "active" && r.locked_until.is_none_or(|t| t <= now));
        let stored = usable.and_then(|r| r.password_hash.clone());
        let verified = req.ctx.credentials.verify(pass, stored).await;
        // The second factor is checked only after the password, and both failures look alike.
        let step = usable.filter(|_| verified.ok).and_then(|r| {
            let secret = r.totp_sealed.as_deref().and_then(|s| req.ctx.secrets.cipher().decrypt(s))?;
            totp::verify(&totp::from_base32(&secret)?, &code, now, r.totp_last_step)
        });
        let (Some(row), Some(step)) = (usable, step) else {
            let mut reason = match &row {
                None => "unknown_username",
                Some(r) if r.status != "active" => "account_not_active",
                Some(r) if r.locked_until.is_some_and(|t| t > now) => "account_locked",
                Some(_) if !verified.ok => "wrong_password",
                Some(_) => "wrong_code",
            };
            let f = usable.map_or(lockout::Failures::NONE, |r| {
                lockout::STAFF.after_failure(r.failed_logins, r.first_failed_at, now)
            });
            let id = usable.map(|r| r.id);
            if let Err(err) = lockout::record_failure(&req.ctx.db, lockout::Accounts::Staff, id, f).await {
                tracing::error!(error = %err, "cannot record a failed staff sign-in");
            }
            if f.locked_until.is_some() {
                reason = "locked_now";
            }
            log(&req, row.as_ref().map(|r| r.id), None, "sign_in", false, reason).await;
            return req.rerender(401, Vec::new(), Some("staff_login_failed"));
        };
        if staff::record_success(&req.ctx.db, row.id, step, verified.rehash.as_deref(), now).await.is_err() {
            return req.failed();
        }
        let changed_at = match staff::by_id(&req.ctx.db, row.id).await {
            Ok(Some(r)) => r.password_changed_at,
            _ => return req.failed(),
        };
        if auth::staff_password_expired(changed_at, now) {
            // Both factors are proven, but nothing else is open until the password is new.
            if auth::sign_in(&req.session, &req.ctx.db, auth::PASSWORD_CHANGE_KIND, row.id, now).await.is_err() {
                return req.failed();
            }
            log(&req, Some(row.id), None, "sign_in", true, "password_expired").await;
            return FormOutcome::Redirect("/staff/password".into());
        }
        if auth::sign_in(&req.session, &req.ctx.db, "staff", row.id, now).await.is_err() {
            return req.failed();
        }
        log(&req, Some(row.id), None, "sign_in", true, "").await;
        FormOutcome::Redirect("/staff".into())
    })
}

/// For a staff form: the signed-in staff member if they hold one of `roles`; otherwise the
/// answer to give (sign-in page, or the form again with 403).
pub(crate) async fn staff_with_role(
    req: &FormRequest,
    roles: &[crate::accounts::StaffRole],
) -> Result<auth::StaffPrincipal, FormOutcome> {
    match auth::staff_of(&req.session, &req.ctx).await {
        Ok(Ok(s)) if roles.contains(&s.role) => Ok(s),
        Ok(Ok(_)) => Err(req.rerender(403, Vec::new(), Some("staff_forbidden"))),
        Ok(Err(_)) => Err(FormOutcome::Redirect("/staff/login".into())),
        Err(_) => Err(req.failed()),
    }
}

async fn security_admin(req: &FormRequest) -> Result<auth::StaffPrincipal, FormOutcome> {
    staff_with_role(req, &[crate::accounts::StaffRole::SecurityAdmin]).await
}

/// A security administrator creates a staff account (三员分立: only they grant roles). The
/// one-time set-up link is shown once, on the page that answers the post.
pub fn create_staff(req: FormRequest) -> FormFuture {
    use crate::accounts::{is_valid_username, StaffRole};
    Box::pin(async move {
        let admin = or_return!(security_admin(&req).await);
        let username = req.field("username").trim().to_lowercase();
        let display_name = req.field("display_name").trim().to_owned();
        let role = StaffRole::from_code(&req.field("role"));
        let department = Some(req.field("department")).filter(|d| !d.is_empty());
        // Where the supervisors' daily digest goes; optional for every role.
        let email = Some(req.field("email").trim().to_lowercase()).filter(|e| !e.is_empty());
        let mut errors = Vec::new();
        if let Some(Err(code)) = email.as_deref().map(super::validate::email) {
            errors.push(FieldError::new("email", code));
        }
        if !is_valid_username(&username) {
            errors.push(FieldError::new("username", "username_invalid"));
        }
        if super::validate::name(&display_name).is_err() {
            errors.push(FieldError::new("display_name", "name_invalid"));
        }
        // A supervisor without a department oversees the whole city; a clerk always has one.
        match role {
            None => errors.push(FieldError::new("role", "required")),
            Some(StaffRole::WindowClerk) if department.is_none() => {
                errors.push(FieldError::new("department", "department_required"))
            }
            _ => {}
        }
        if let Some(code) = department.as_deref() {
            match crate::departments::server::db::list(&req.ctx.db).await {
                Ok(known) if known.iter().any(|d| d.code == code) => {}
                Ok(_) => errors.push(FieldError::new("department", "department_unknown")),
                Err(err) => return req.failed_because(&err),
            }
        }
        if errors.is_empty() && staff::username_taken(&req.ctx.db, &username).await.unwrap_or(true) {
            errors.push(FieldError::new("username", "username_taken"));
        }
        let Some(role) = role.filter(|_| errors.is_empty()) else { return req.rerender(400, errors, None) };
        let department = department.filter(|_| matches!(role, StaffRole::WindowClerk | StaffRole::Supervisor));
        let token = {
            use rand::Rng;
            hex::encode(rand::rng().random::<[u8; 32]>())
        };
        let now = req.ctx.clock.now();
        let new = staff::NewStaff {
            username: &username,
            display_name: &display_name,
            role: role.code(),
            department_code: department.as_deref(),
            token_hash: &super::server::hash_token(&token),
            now,
            expires_at: now + super::server::SETUP_TOKEN_LIFETIME_SECS,
        };
        let Ok(id) = staff::create(&req.ctx.db, &new).await else { return req.failed() };
        if let Some(email) = email.as_deref() {
            if staff::set_email(&req.ctx.db, id, email).await.is_err() {
                return req.failed();
            }
        }
        let detail = format!("{} {}", role.code(), department.as_deref().unwrap_or("city"));
        log(&req, Some(id), Some(admin.id()), "account_created", true, &detail).await;
        let link = format!("{}/staff/setup?token={token}", req.ctx.public_origin);
        req.show_with([("created_username", username), ("created_link", link)])
    })
}

/// A security administrator disables a staff account; its sessions end at once.
pub fn disable_staff(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let admin = or_return!(security_admin(&req).await);
        let Ok(id) = req.field("staff_id").parse::<i64>() else { return req.rerender(400, Vec::new(), None) };
        if id == admin.id() {
            return req.rerender(400, Vec::new(), Some("staff_cannot_disable_self"));
        }
        match staff::disable(&req.ctx.db, id, req.ctx.clock.now()).await {
            Ok(changed) => {
                log(&req, Some(id), Some(admin.id()), "account_disabled", changed, "").await;
                FormOutcome::Redirect("/staff/accounts?done=staff_disabled".into())
            }
            Err(err) => req.failed_because(&err),
        }
    })
}

/// A staff member changes their password: when it expired, straight after signing in with both
/// factors (the restricted session); otherwise from the console with the current password. The
/// new one must follow the staff rules and differ from the last five.
pub fn change_password(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let now = req.ctx.clock.now();
        let (id, expired) = match auth::pending_password_change(&req.session, &req.ctx).await {
            Ok(Some(id)) => (id, true),
            Ok(None) => match auth::staff_of(&req.session, &req.ctx).await {
                Ok(Ok(s)) => (s.id(), false),
                Ok(Err(_)) => return FormOutcome::Redirect("/staff/login".into()),
                Err(err) => return req.failed_because(&err),
            },
            Err(err) => return req.failed_because(&err),
        };
        let Ok(Some(row)) = staff::by_id(&req.ctx.db, id).await else { return req.failed() };
        if !expired {
            let current = Zeroizing::new(req.field("current_password"));
            if !req.ctx.credentials.verify(current, row.password_hash.clone()).await.ok {
                log(&req, Some(id), None, "password_change", false, "current_password_wrong").await;
                return req.rerender(403, vec![FieldError::new("current_password", "current_password_wrong")], None);
            }
        }
        let new = Zeroizing::new(req.field("new_password"));
        if let Some(error) = staff_password_error("new_password", &new, &row.username) {
            return req.rerender(400, vec![error], None);
        }
        let Ok(recent) = staff::recent_password_hashes(&req.ctx.db, id, PASSWORD_HISTORY).await else {
            return req.failed();
        };
        for old in recent {
            if req.ctx.credentials.verify(Zeroizing::new(new.to_string()), Some(old)).await.ok {
                log(&req, Some(id), None, "password_change", false, "reused").await;
                return req.rerender(400, vec![FieldError::new("new_password", "password_reused")], None);
            }
        }
        let Some(hash) = req.ctx.credentials.hash(new).await else { return req.failed() };
        if staff::change_password(&req.ctx.db, id, &hash, now).await.is_err() {
            return req.failed();
        }
        // A full staff session from here, after the cut-off that ended every other one.
        if auth::sign_in(&req.session, &req.ctx.db, "staff", id, now).await.is_err() {
            return req.failed();
        }
        log(&req, Some(id), None, "password_change", true, if expired { "expired" } else { "" }).await;
        FormOutcome::Redirect("/staff?done=password_changed".into())
    })
}
