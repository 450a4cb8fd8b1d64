//! Staff forms: first set-up with the one-time token (password and authenticator enrolment) and
//! sign-in with password and TOTP. A staff session needs both factors.

use super::server::{auth, lockout, password, staff, totp};
use crate::error::FieldError;
use crate::platform::forms::{FormFuture, FormOutcome, FormRequest, PostedForm};
use zeroize::Zeroizing;

/// Redeems the set-up token: sets the password and enrols the authenticator shown on the page
/// (its secret travels in the form, so a mistake does not change the QR code).
pub fn setup(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let token_hash = super::server::hash_token(req.field("token").trim());
        let now = req.ctx.clock.now();
        let username = match staff::pending_username(&req.ctx.db, &token_hash, now).await {
            Ok(Some(u)) => u,
            Ok(None) => return req.rerender(400, Vec::new(), Some("setup_token_invalid")),
            Err(_) => return req.failed(),
        };
        let pass = Zeroizing::new(req.field("password"));
        let mut errors = Vec::new();
        if let Err(problem) = password::check_staff_password(&pass, &[&username]) {
            let code = if problem == password::PasswordProblem::TooShort {
                "staff_password_too_short"
            } else {
                problem.code()
            };
            errors.push(FieldError::new("password", code));
        }
        let secret = totp::from_base32(&req.field("secret")).filter(|s| s.len() >= 16);
        let step = secret.as_ref().and_then(|s| totp::verify(s, &req.field("code"), now, None));
        if step.is_none() {
            errors.push(FieldError::new("code", "totp_invalid"));
        }
        let (Some(secret), Some(step)) = (secret, step.filter(|_| errors.is_empty())) else {
            return req.rerender(400, errors, None);
        };
        let Some(hash) = password::hash(pass).await else { return req.failed() };
        let Ok(Some((id, _))) = staff::redeem_setup_token(&req.ctx.db, &token_hash, now).await else {
            return req.rerender(400, Vec::new(), Some("setup_token_invalid"));
        };
        let sealed = req.ctx.secrets.cipher().encrypt(&totp::base32(&secret));
        if staff::activate(&req.ctx.db, id, &hash, &sealed, step, now).await.is_err() {
            return req.failed();
        }
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
            Err(_) => return req.failed(),
        };
        let usable = |r: &&staff::StaffLogin| r.status == "active" && r.locked_until.is_none_or(|t| t <= now);
        let stored = row.as_ref().filter(usable).and_then(|r| r.password_hash.clone());
        let verified = password::verify(pass, stored.clone()).await;
        // The second factor is checked only after the password, and both failures look alike.
        let step = row.as_ref().filter(|_| verified.ok && stored.is_some()).and_then(|r| {
            let secret = r.totp_sealed.as_deref().and_then(|s| req.ctx.secrets.cipher().decrypt(s))?;
            totp::verify(&totp::from_base32(&secret)?, &code, now, r.totp_last_step)
        });
        let (Some(row), Some(step)) = (row.as_ref().filter(usable), step) else {
            if let Some(r) = row.as_ref().filter(usable) {
                let f = lockout::STAFF.after_failure(r.failed_logins, r.first_failed_at, now);
                if let Err(err) = staff::record_failure(&req.ctx.db, r.id, f.count, f.first_at, f.locked_until).await {
                    tracing::error!(error = %err, "cannot record a failed staff sign-in");
                }
            }
            tracing::warn!(request.id = %req.request_id, "staff sign-in refused");
            return req.rerender(401, Vec::new(), Some("staff_login_failed"));
        };
        if staff::record_success(&req.ctx.db, row.id, step, verified.rehash.as_deref()).await.is_err() {
            return req.failed();
        }
        if auth::sign_in(&req.session, "staff", row.id, now).await.is_err() {
            return req.failed();
        }
        tracing::info!(request.id = %req.request_id, staff = row.id, "staff signed in");
        FormOutcome::Redirect("/staff".into())
    })
}

async fn security_admin(req: &FormRequest) -> Result<auth::StaffPrincipal, FormOutcome> {
    match auth::staff_of(&req.session, &req.ctx).await {
        Ok(Ok(s)) if s.role == crate::accounts::StaffRole::SecurityAdmin => Ok(s),
        Ok(Ok(_)) => Err(req.rerender(403, Vec::new(), Some("staff_forbidden"))),
        Ok(Err(_)) => Err(FormOutcome::Redirect("/staff/login".into())),
        Err(_) => Err(req.failed()),
    }
}

/// A security administrator creates a staff account (三员分立: only they grant roles). The
/// one-time set-up link is shown once, on the page that answers the post.
pub fn create_staff(req: FormRequest) -> FormFuture {
    use crate::accounts::{is_valid_username, StaffRole};
    Box::pin(async move {
        if let Err(outcome) = security_admin(&req).await {
            return outcome;
        }
        let username = req.field("username").trim().to_lowercase();
        let display_name = req.field("display_name").trim().to_owned();
        let role = StaffRole::from_code(&req.field("role"));
        let department = Some(req.field("department")).filter(|d| !d.is_empty());
        let mut errors = Vec::new();
        if !is_valid_username(&username) {
            errors.push(FieldError::new("username", "username_invalid"));
        }
        if super::validate::name(&display_name).is_err() {
            errors.push(FieldError::new("display_name", "name_invalid"));
        }
        match role {
            None => errors.push(FieldError::new("role", "required")),
            Some(StaffRole::WindowClerk | StaffRole::Supervisor) if department.is_none() => {
                errors.push(FieldError::new("department", "department_required"))
            }
            _ => {}
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
        if staff::create(&req.ctx.db, &new).await.is_err() {
            return req.failed();
        }
        tracing::info!(request.id = %req.request_id, username, role = role.code(), "staff account created");
        let link = format!("{}/staff/setup?token={token}", req.ctx.public_origin);
        let mut values = std::collections::HashMap::new();
        values.insert("created_username".to_owned(), username);
        values.insert("created_link".to_owned(), link);
        FormOutcome::Render(PostedForm { values, errors: Vec::new(), form_error: None, status: 200 })
    })
}

/// A security administrator disables a staff account; its sessions end at once.
pub fn disable_staff(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let admin = match security_admin(&req).await {
            Ok(a) => a,
            Err(outcome) => return outcome,
        };
        let Ok(id) = req.field("staff_id").parse::<i64>() else { return req.rerender(400, Vec::new(), None) };
        if id == admin.id() {
            return req.rerender(400, Vec::new(), Some("staff_cannot_disable_self"));
        }
        match staff::disable(&req.ctx.db, id, req.ctx.clock.now()).await {
            Ok(_) => {
                tracing::info!(request.id = %req.request_id, staff = id, "staff account disabled");
                FormOutcome::Redirect("/staff/accounts?done=staff_disabled".into())
            }
            Err(_) => req.failed(),
        }
    })
}
