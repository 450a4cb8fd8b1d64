//! Staff forms: first set-up with the one-time token (password and authenticator enrolment) and
//! sign-in with password and TOTP. A staff session needs both factors.

use super::server::{auth, password, staff, totp};
use crate::error::FieldError;
use crate::platform::forms::{FormFuture, FormOutcome, FormRequest, PostedForm};
use zeroize::Zeroizing;

const LOCK_AFTER_FAILURES: i64 = 5;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;
const LOCK_SECS: i64 = 30 * 60;

fn render(status: u16, req: &FormRequest, errors: Vec<FieldError>, form_error: Option<&'static str>) -> FormOutcome {
    FormOutcome::Render(PostedForm { values: req.kept_values(&["password", "code"]), errors, form_error, status })
}

fn field_error(field: &str, code: &str) -> FieldError {
    FieldError { field: field.to_owned(), code: code.to_owned() }
}

fn internal(req: &FormRequest) -> FormOutcome {
    render(500, req, Vec::new(), Some("error_generic"))
}

/// Redeems the set-up token: sets the password and enrols the authenticator shown on the page
/// (its secret travels in the form, so a mistake does not change the QR code).
pub fn setup(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let token_hash = super::server::hash_token(req.field("token").trim());
        let now = req.ctx.clock.now();
        let username = match staff::pending_username(&req.ctx.db, &token_hash, now).await {
            Ok(Some(u)) => u,
            Ok(None) => return render(400, &req, Vec::new(), Some("setup_token_invalid")),
            Err(_) => return internal(&req),
        };
        let pass = Zeroizing::new(req.field("password"));
        let mut errors = Vec::new();
        if let Err(problem) = password::check_staff_password(&pass, &[&username]) {
            let code = if problem == password::PasswordProblem::TooShort {
                "staff_password_too_short"
            } else {
                problem.code()
            };
            errors.push(field_error("password", code));
        }
        let secret = totp::from_base32(&req.field("secret")).filter(|s| s.len() >= 16);
        let step = secret.as_ref().and_then(|s| totp::verify(s, &req.field("code"), now, None));
        if step.is_none() {
            errors.push(field_error("code", "totp_invalid"));
        }
        let (Some(secret), Some(step)) = (secret, step.filter(|_| errors.is_empty())) else {
            return render(400, &req, errors, None);
        };
        let Some(hash) = password::hash(pass).await else { return internal(&req) };
        let Ok(Some((id, _))) = staff::redeem_setup_token(&req.ctx.db, &token_hash, now).await else {
            return render(400, &req, Vec::new(), Some("setup_token_invalid"));
        };
        let sealed = req.ctx.secrets.cipher().encrypt(&totp::base32(&secret));
        if staff::activate(&req.ctx.db, id, &hash, &sealed, step, now).await.is_err() {
            return internal(&req);
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
                errors.push(field_error(field, "required"));
            }
        }
        if pass.chars().count() > password::MAX_CHARS {
            errors.push(field_error("password", "password_too_long"));
        }
        if !errors.is_empty() {
            return render(400, &req, errors, None);
        }
        let row = match staff::for_login(&req.ctx.db, &username).await {
            Ok(row) => row,
            Err(_) => return internal(&req),
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
                let in_window = r.first_failed_at.is_some_and(|t| now - t < FAILURE_WINDOW_SECS);
                let (count, first) =
                    if in_window { (r.failed_logins + 1, r.first_failed_at.unwrap_or(now)) } else { (1, now) };
                let locked = (count >= LOCK_AFTER_FAILURES).then_some(now + LOCK_SECS);
                if let Err(err) = staff::record_failure(&req.ctx.db, r.id, count, first, locked).await {
                    tracing::error!(error = %err, "cannot record a failed staff sign-in");
                }
            }
            tracing::warn!(request.id = %req.request_id, "staff sign-in refused");
            return render(401, &req, Vec::new(), Some("staff_login_failed"));
        };
        if staff::record_success(&req.ctx.db, row.id, step, verified.rehash.as_deref()).await.is_err() {
            return internal(&req);
        }
        if auth::sign_in(&req.session, "staff", row.id, now).await.is_err() {
            return internal(&req);
        }
        tracing::info!(request.id = %req.request_id, staff = row.id, "staff signed in");
        FormOutcome::Redirect("/staff".into())
    })
}

async fn security_admin(req: &FormRequest) -> Result<auth::StaffPrincipal, FormOutcome> {
    match auth::staff_of(&req.session, &req.ctx).await {
        Ok(Ok(s)) if s.role == crate::accounts::StaffRole::SecurityAdmin => Ok(s),
        Ok(Ok(_)) => Err(render(403, req, Vec::new(), Some("staff_forbidden"))),
        Ok(Err(_)) => Err(FormOutcome::Redirect("/staff/login".into())),
        Err(_) => Err(internal(req)),
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
            errors.push(field_error("username", "username_invalid"));
        }
        if super::validate::name(&display_name).is_err() {
            errors.push(field_error("display_name", "name_invalid"));
        }
        match role {
            None => errors.push(field_error("role", "required")),
            Some(StaffRole::WindowClerk | StaffRole::Supervisor) if department.is_none() => {
                errors.push(field_error("department", "department_required"))
            }
            _ => {}
        }
        if errors.is_empty() && staff::username_taken(&req.ctx.db, &username).await.unwrap_or(true) {
            errors.push(field_error("username", "username_taken"));
        }
        let Some(role) = role.filter(|_| errors.is_empty()) else { return render(400, &req, errors, None) };
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
            return internal(&req);
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
        let Ok(id) = req.field("staff_id").parse::<i64>() else { return render(400, &req, Vec::new(), None) };
        if id == admin.id() {
            return render(400, &req, Vec::new(), Some("staff_cannot_disable_self"));
        }
        match staff::disable(&req.ctx.db, id, req.ctx.clock.now()).await {
            Ok(_) => {
                tracing::info!(request.id = %req.request_id, staff = id, "staff account disabled");
                FormOutcome::Redirect("/staff/accounts?done=staff_disabled".into())
            }
            Err(_) => internal(&req),
        }
    })
}
