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
