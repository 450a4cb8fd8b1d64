//! The citizen account forms: register, sign in, sign out, confirm the email address, real-name
//! verification. Each is a plain HTML form posted to its own page (see `platform::forms`).

use super::server::auth::{self, CitizenPrincipal};
use super::server::{citizens, lockout, password};
use super::validate;
use crate::error::FieldError;
use crate::identifiers::ResidentId;
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest, LocalPath};
use crate::platform::throttle::PerAddress;
use crate::sharing::server::{AccessError, Caller};
use std::net::IpAddr;
use zeroize::Zeroizing;

/// Email confirmation links stay valid this long.
const VERIFY_EMAIL_SECS: i64 = 24 * 3600;
/// Sign-in attempts per client address per 15 minutes, over all accounts.
pub const ATTEMPTS_PER_ADDRESS: u32 = 30;
const ADDRESS_WINDOW_SECS: i64 = 15 * 60;

pub(super) async fn event(req: &FormRequest, citizen_id: Option<i64>, event: &str, success: bool) {
    let e = citizens::Event {
        at: req.ctx.clock.now(),
        citizen_id,
        event,
        success,
        client_ip: &req.client_address(),
        request_id: &req.request_id,
    };
    if let Err(err) = citizens::record_event(&req.ctx.db, &e).await {
        tracing::error!(error = %err, event, "cannot record account event");
    }
}

/// A new random token (256 bits, hex) and its stored hash.
fn new_token() -> (String, String) {
    use rand::Rng;
    let token = hex::encode(rand::rng().random::<[u8; 32]>());
    let hash = super::server::hash_token(&token);
    (token, hash)
}

async fn send_verification(req: &FormRequest, citizen_id: i64, email: &str) -> Result<(), sqlx::Error> {
    let now = req.ctx.clock.now();
    let (token, hash) = new_token();
    citizens::store_token(&req.ctx.db, &hash, citizen_id, "verify_email", now + VERIFY_EMAIL_SECS).await?;
    let link = format!("{}/account/verify-email?token={token}", req.ctx.public_origin);
    let portal = &req.ctx.site.portal_name;
    let subject = format!("{}：请确认您的电子邮箱 / Please confirm your email address", portal.zh);
    let body = format!(
        "您好！\n\n请在 24 小时内打开以下链接，确认这是您的电子邮箱：\n{link}\n\n如果您没有注册{zh}账号，请忽略本邮件。\n\n\
         Hello,\n\nPlease open this link within 24 hours to confirm your email address:\n{link}\n\n\
         If you did not register with {en}, ignore this message.\n",
        zh = portal.zh,
        en = portal.en
    );
    crate::platform::mail::enqueue(&req.ctx.db, email, &subject, &body, now).await?;
    if req.ctx.mail_is_local {
        tracing::info!(%link, "email confirmation link (mail is written to the local folder)");
    }
    Ok(())
}

pub fn register(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        // Every post counts, like sign-in attempts: the limit is on trying, not on succeeding.
        let now = req.ctx.clock.now();
        if !REGISTRATIONS.allows(req.client_ip, now) {
            event(&req, None, "register_throttled", false).await;
            return req.rerender(429, Vec::new(), Some("register_throttled"));
        }
        let name = req.field("name").trim().to_owned();
        let email = req.field("email").trim().to_lowercase();
        let phone_input = req.field("phone");
        let pass = Zeroizing::new(req.field("password"));
        let mut errors = Vec::new();
        if let Err(code) = validate::name(&name) {
            errors.push(FieldError::new("name", code));
        }
        let id = match ResidentId::parse(&req.field("id_number")) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(FieldError::new("id_number", e.code()));
                None
            }
        };
        if let Err(code) = validate::email(&email) {
            errors.push(FieldError::new("email", code));
        }
        let phone = match validate::phone(&phone_input) {
            Ok(p) => p,
            Err(code) => {
                errors.push(FieldError::new("phone", code));
                None
            }
        };
        let id_text = id.as_ref().map(|i| i.as_str().to_owned()).unwrap_or_default();
        let personal = [name.as_str(), email.as_str(), phone.as_deref().unwrap_or(""), id_text.as_str()];
        if let Err(problem) = password::check_new_password(&pass, &personal) {
            errors.push(FieldError::new("password", problem.code()));
        }
        let Some(id) = id.filter(|_| errors.is_empty()) else { return req.rerender(400, errors, None) };
        // From here every case does the same: one password hash, one lookup, one mail to each
        // address concerned, and the same answer. Whether the email address, phone number or ID
        // number already has an account is told only to that account's owner, by mail.
        let Some(hash) = req.ctx.credentials.hash(pass).await else { return req.failed() };
        let secrets = &req.ctx.secrets;
        let id_ref = secrets.subject().person(&id);
        let phone = phone.as_deref();
        let mut holders = match citizens::holders(&req.ctx.db, &email, phone, &id_ref).await {
            Ok(holders) => holders,
            Err(err) => return req.failed_because(&err),
        };
        if holders.is_empty() {
            let new = citizens::NewCitizen {
                email: &email,
                phone,
                name: &name,
                id_number_sealed: &secrets.cipher().encrypt(id.as_str()),
                id_number_ref: &id_ref,
                id_number_masked: &id.masked(),
                password_hash: &hash,
                now,
            };
            match citizens::insert(&req.ctx.db, &new).await {
                Ok(citizen_id) => {
                    // The account exists now; a mail problem only delays the confirmation mail.
                    if let Err(err) = send_verification(&req, citizen_id, &email).await {
                        tracing::error!(error = %err, "cannot queue the confirmation mail");
                    }
                    event(&req, Some(citizen_id), "register", true).await;
                }
                // A concurrent registration took the email, phone or ID number first.
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    holders = citizens::holders(&req.ctx.db, &email, phone, &id_ref).await.unwrap_or_default();
                }
                Err(err) => return req.failed_because(&err),
            }
        }
        // The only holder may be the account the hall made for this person (一窗受理): the
        // registration completes it, and their window applications are theirs online.
        if let [holder] = holders.as_slice() {
            if holder.holds.contains(&citizens::Taken::IdNumber) {
                match citizens::claim_window_account(&req.ctx.db, holder.id, &name, &email, phone, &hash).await {
                    Ok(true) => {
                        if let Err(err) = send_verification(&req, holder.id, &email).await {
                            tracing::error!(error = %err, "cannot queue the confirmation mail");
                        }
                        event(&req, Some(holder.id), "register_window_account", true).await;
                        return FormOutcome::Redirect(REGISTERED.into());
                    }
                    Ok(false) => {}
                    Err(err) => return req.failed_because(&err),
                }
            }
        }
        for holder in &holders {
            tell_holder(&req, holder).await;
            event(&req, Some(holder.id), "register_existing", false).await;
        }
        FormOutcome::Redirect(REGISTERED.into())
    })
}

/// Where every registration ends: "check your mail".
pub const REGISTERED: &str = "/register?done=check_mail";

/// Registrations per client address per hour (each one hashes a password and sends mail).
pub const REGISTRATIONS_PER_ADDRESS: u32 = 10;
// A service hall or a company behind one address may need more: both limits can be raised by the
// operator (README, configuration).
static REGISTRATIONS: std::sync::LazyLock<PerAddress> = std::sync::LazyLock::new(|| {
    PerAddress::new(
        crate::platform::throttle::limit_from_env("ONESTOP_REGISTRATIONS_PER_ADDRESS", REGISTRATIONS_PER_ADDRESS),
        3600,
    )
});
static SIGN_INS: std::sync::LazyLock<PerAddress> = std::sync::LazyLock::new(|| {
    PerAddress::new(
        crate::platform::throttle::limit_from_env("ONESTOP_SIGN_INS_PER_ADDRESS", ATTEMPTS_PER_ADDRESS),
        ADDRESS_WINDOW_SECS,
    )
});

/// Tells the owner of an existing account that someone tried to register with their email
/// address, phone number or ID number, and how to sign in or reset the password.
async fn tell_holder(req: &FormRequest, holder: &citizens::Holder) {
    let Some(to) = holder.email.as_deref() else { return };
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for taken in &holder.holds {
        let (z, e) = match taken {
            citizens::Taken::Email => ("电子邮箱", "email address"),
            citizens::Taken::Phone => ("手机号码", "mobile number"),
            citizens::Taken::IdNumber => ("身份证号码", "ID number"),
        };
        zh.push(z);
        en.push(e);
    }
    let (zh, en) = (zh.join("、"), en.join(" and "));
    let origin = &req.ctx.public_origin;
    let portal = &req.ctx.site.portal_name;
    let subject = format!("{}：有人尝试用您的信息注册账号 / Someone tried to register with your details", portal.zh);
    let body = format!(
        "您好！\n\n有人（可能是您本人）刚刚尝试用您的{zh}注册新的{pzh}账号。您已经有账号，因此没有创建新账号。\n\n\
         如果是您本人，请直接登录：{origin}/login\n忘记密码可以在这里重新设置：{origin}/password-reset\n\n\
         如果不是您本人，您无需做任何事，您的账号没有任何变化。\n\n\
         Hello,\n\nSomeone (perhaps you) just tried to register a new {pen} account with your {en}. You already have \
         an account, so no new one was created.\n\n\
         If it was you, sign in: {origin}/login\nIf you have forgotten your password, choose a new one: \
         {origin}/password-reset\n\n\
         If it was not you, there is nothing to do: your account has not changed.\n",
        pzh = portal.zh,
        pen = portal.en
    );
    if let Err(err) = crate::platform::mail::enqueue(&req.ctx.db, to, &subject, &body, req.ctx.clock.now()).await {
        tracing::error!(error = %err, "cannot queue the registration notice");
    }
}

/// Counts a sign-in (or unlock, or re-authentication) attempt from this client address: 30 per
/// 15 minutes over all accounts. The per-account lock is in the database.
pub(super) fn address_allows(ip: Option<IpAddr>, now: i64) -> bool {
    SIGN_INS.allows(ip, now)
}

pub fn login(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let now = req.ctx.clock.now();
        if !address_allows(req.client_ip, now) {
            event(&req, None, "login_throttled", false).await;
            return req.rerender(429, Vec::new(), Some("login_throttled"));
        }
        let identifier = validate::login_identifier(&req.field("identifier"));
        let pass = Zeroizing::new(req.field("password"));
        let mut errors = Vec::new();
        if identifier.is_empty() {
            errors.push(FieldError::new("identifier", "required"));
        }
        if pass.is_empty() {
            errors.push(FieldError::new("password", "required"));
        }
        if pass.chars().count() > password::MAX_CHARS {
            errors.push(FieldError::new("password", "password_too_long"));
        }
        if !errors.is_empty() {
            return req.rerender(400, errors, None);
        }
        let row = match citizens::for_login(&req.ctx.db, &identifier).await {
            Ok(row) => row,
            Err(err) => return req.failed_because(&err),
        };
        // Only an active, unlocked account is checked against its hash; every other state is
        // checked against the dummy, so each path costs one argon2 run and one failure write.
        let usable = row.as_ref().filter(|r| r.status == "active" && r.locked_until.is_none_or(|t| t <= now));
        let verified = req.ctx.credentials.verify(pass, usable.map(|r| r.password_hash.clone())).await;
        if !verified.ok {
            let f = usable.map_or(lockout::Failures::NONE, |r| {
                lockout::CITIZENS.after_failure(r.failed_logins, r.first_failed_at, now)
            });
            let id = usable.map(|r| r.id);
            if let Err(err) = lockout::record_failure(&req.ctx.db, lockout::Accounts::Citizens, id, f).await {
                tracing::error!(error = %err, "cannot record a failed login");
            }
            if let (Some(id), Some(_)) = (id, f.locked_until) {
                event(&req, Some(id), "account_locked", true).await;
            }
            event(&req, row.as_ref().map(|r| r.id), "login", false).await;
            return req.rerender(401, Vec::new(), Some("login_failed"));
        }
        let Some(row) = usable else { return req.failed() };
        if let Err(err) = citizens::record_success(&req.ctx.db, row.id, verified.rehash.as_deref()).await {
            tracing::error!(error = %err, "cannot record a successful login");
        }
        if auth::sign_in(&req.session, &req.ctx.db, "citizen", row.id, now).await.is_err() {
            return req.failed();
        }
        event(&req, Some(row.id), "login", true).await;
        let next = req.query.get("next").map(String::as_str).unwrap_or_default();
        FormOutcome::Redirect(LocalPath::or(next, "/account"))
    })
}

pub fn logout(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let who = auth::citizen_of(&req.session, &req.ctx).await.ok().and_then(Result::ok).map(|c| c.id());
        if auth::sign_out(&req.session).await.is_err() {
            return req.failed();
        }
        event(&req, who, "logout", true).await;
        FormOutcome::Redirect("/?done=signed_out".into())
    })
}

pub fn confirm_email(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let hash = super::server::hash_token(req.field("token").trim());
        match citizens::redeem_token(&req.ctx.db, &hash, "verify_email", req.ctx.clock.now()).await {
            Ok(Some(id)) => {
                event(&req, Some(id), "email_verified", true).await;
                // Registering does not sign in: the link usually opens in a browser that is not.
                let signed_in = matches!(auth::citizen_of(&req.session, &req.ctx).await, Ok(Ok(_)));
                let next = if signed_in { "/account?done=email_verified" } else { "/login?done=email_verified" };
                FormOutcome::Redirect(next.into())
            }
            Ok(None) => req.rerender(400, Vec::new(), Some("token_invalid")),
            Err(err) => req.failed_because(&err),
        }
    })
}

pub async fn signed_in(req: &FormRequest) -> Result<CitizenPrincipal, FormOutcome> {
    match auth::citizen_of(&req.session, &req.ctx).await {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(auth::NotSignedIn::Expired)) => Err(req.keep_until_signed_in().await),
        Ok(Err(auth::NotSignedIn::Anonymous)) => {
            Err(FormOutcome::Redirect(format!("/login?next={}", req.page_path).into()))
        }
        Err(_) => Err(req.failed()),
    }
}

pub fn resend_confirmation(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let row = match citizens::by_id(&req.ctx.db, citizen.id()).await {
            Ok(Some(row)) => row,
            _ => return req.failed(),
        };
        // Nothing to confirm (already confirmed, or an account made at a service hall without an
        // address): the page says nothing was sent rather than that it was.
        let Some(email) = row.email.as_deref().filter(|_| row.email_verified_at.is_none()) else {
            return FormOutcome::Redirect("/account".into());
        };
        if send_verification(&req, row.id, email).await.is_err() {
            return req.failed();
        }
        FormOutcome::Redirect("/account?done=mail_sent".into())
    })
}

/// Real-name verification: the name and ID number given at registration are checked against
/// the population register through the audited gateway.
pub fn verify_real_name(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        if citizen.real_name_verified {
            return FormOutcome::Redirect("/account".into());
        }
        let (row, sealed) = match (
            citizens::by_id(&req.ctx.db, citizen.id()).await,
            citizens::sealed_id_number(&req.ctx.db, citizen.id()).await,
        ) {
            (Ok(Some(row)), Ok(Some(sealed))) => (row, sealed),
            _ => return req.failed(),
        };
        let Some(id) = req.ctx.secrets.cipher().decrypt(&sealed).and_then(|s| ResidentId::parse(&s).ok()) else {
            tracing::error!(citizen = citizen.id(), "stored ID number cannot be decrypted");
            return req.failed();
        };
        let caller = Caller {
            consumer: "accounts.real_name",
            actor: format!("citizen:{}", citizen.id()),
            request_id: req.request_id.clone(),
        };
        let outcome = req.ctx.shared.verify_identity(&caller, &id, &row.name).await;
        let now = req.ctx.clock.now();
        match outcome {
            Ok(true) => {
                if citizens::set_real_name_verified(&req.ctx.db, citizen.id(), now).await.is_err() {
                    return req.failed();
                }
                event(&req, Some(citizen.id()), "real_name_verified", true).await;
                FormOutcome::Redirect("/account?done=real_name_verified".into())
            }
            Ok(false) => {
                event(&req, Some(citizen.id()), "real_name_verified", false).await;
                req.rerender(400, Vec::new(), Some("real_name_mismatch"))
            }
            Err(AccessError::NotFound) => {
                event(&req, Some(citizen.id()), "real_name_verified", false).await;
                req.rerender(400, Vec::new(), Some("real_name_not_found"))
            }
            Err(AccessError::Unavailable) => req.rerender(503, Vec::new(), Some("real_name_unavailable")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// Reset links stay valid this long (ASVS 6.4: short-lived, single use).
pub const RESET_SECS: i64 = 30 * 60;

/// Asks for a reset link. The answer is the same whether or not the address has an account.
pub fn request_reset(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let email = req.field("email").trim().to_lowercase();
        if let Err(code) = validate::email(&email) {
            return req.rerender(400, vec![FieldError::new("email", code)], None);
        }
        let now = req.ctx.clock.now();
        match citizens::id_by_email(&req.ctx.db, &email).await {
            Ok(Some(id)) => {
                let (token, hash) = new_token();
                let stored = citizens::store_token(&req.ctx.db, &hash, id, "reset_password", now + RESET_SECS).await;
                let link = format!("{}/password-reset/new?token={token}", req.ctx.public_origin);
                let portal = &req.ctx.site.portal_name;
                let subject = format!("{}：重置密码 / Reset your password", portal.zh);
                let body = format!(
                    "您好！\n\n请在 30 分钟内打开以下链接设置新密码（只能使用一次）：\n{link}\n\n\
                     如果不是您本人操作，请忽略本邮件，您的密码不会改变。\n\n\
                     Hello,\n\nOpen this link within 30 minutes to choose a new password (it works once):\n{link}\n\n\
                     If you did not ask for this, ignore this message; your password stays as it is.\n"
                );
                let queued = match stored {
                    Ok(()) => {
                        crate::platform::mail::enqueue(&req.ctx.db, &email, &subject, &body, now).await.map(|_| ())
                    }
                    Err(e) => Err(e),
                };
                if let Err(err) = queued {
                    tracing::error!(error = %err, "cannot queue a password-reset mail");
                }
                if req.ctx.mail_is_local {
                    tracing::info!(%link, "password-reset link (mail is written to the local folder)");
                }
                event(&req, Some(id), "password_reset_requested", true).await;
            }
            Ok(None) => event(&req, None, "password_reset_requested", false).await,
            Err(err) => return req.failed_because(&err),
        }
        FormOutcome::Redirect("/password-reset?done=sent".into())
    })
}

/// Sets a new password with a reset link's token; ends every session of the account.
pub fn reset_password(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let now = req.ctx.clock.now();
        let hash = super::server::hash_token(req.field("token").trim());
        let owner = match citizens::token_owner(&req.ctx.db, &hash, "reset_password", now).await {
            Ok(Some(id)) => id,
            Ok(None) => return req.rerender(400, Vec::new(), Some("reset_token_invalid")),
            Err(err) => return req.failed_because(&err),
        };
        let pass = Zeroizing::new(req.field("password"));
        let row = match citizens::by_id(&req.ctx.db, owner).await {
            Ok(Some(row)) => row,
            _ => return req.failed(),
        };
        let personal = [row.name.as_str(), row.email.as_deref().unwrap_or(""), row.phone.as_deref().unwrap_or("")];
        if let Err(problem) = password::check_new_password(&pass, &personal) {
            return req.rerender(400, vec![FieldError::new("password", problem.code())], None);
        }
        let Some(new_hash) = req.ctx.credentials.hash(pass).await else { return req.failed() };
        // Redeem only now, so a refused password does not burn the link.
        match citizens::redeem_token(&req.ctx.db, &hash, "reset_password", now).await {
            Ok(Some(id)) if id == owner => {}
            Ok(_) => return req.rerender(400, Vec::new(), Some("reset_token_invalid")),
            Err(err) => return req.failed_because(&err),
        }
        if citizens::reset_password(&req.ctx.db, owner, &new_hash, now).await.is_err() {
            return req.failed();
        }
        event(&req, Some(owner), "password_reset", true).await;
        FormOutcome::Redirect("/login?done=password_reset".into())
    })
}

/// A new password for a signed-in citizen: the current one must be given (ASVS 6.2.3). Other
/// sessions end; this one continues with a new id.
pub fn change_password(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let current = Zeroizing::new(req.field("current_password"));
        let new = Zeroizing::new(req.field("new_password"));
        let (Ok(Some(stored)), Ok(Some(row))) = (
            citizens::password_hash(&req.ctx.db, citizen.id()).await,
            citizens::by_id(&req.ctx.db, citizen.id()).await,
        ) else {
            return req.failed();
        };
        if !req.ctx.credentials.verify(current, Some(stored)).await.ok {
            event(&req, Some(citizen.id()), "password_change", false).await;
            return req.rerender(403, vec![FieldError::new("current_password", "current_password_wrong")], None);
        }
        let personal = [row.name.as_str(), row.email.as_deref().unwrap_or(""), row.phone.as_deref().unwrap_or("")];
        if let Err(problem) = password::check_new_password(&new, &personal) {
            return req.rerender(400, vec![FieldError::new("new_password", problem.code())], None);
        }
        let Some(hash) = req.ctx.credentials.hash(new).await else { return req.failed() };
        let now = req.ctx.clock.now();
        if citizens::reset_password(&req.ctx.db, citizen.id(), &hash, now).await.is_err() {
            return req.failed();
        }
        // Every other session ends; this one is signed in afresh (new id, after the cut-off).
        if auth::sign_in(&req.session, &req.ctx.db, "citizen", citizen.id(), now).await.is_err() {
            return req.failed();
        }
        event(&req, Some(citizen.id()), "password_change", true).await;
        FormOutcome::Redirect("/account/security?done=password_changed".into())
    })
}

/// Ends every session of the signed-in citizen, this one included.
pub fn sign_out_everywhere(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let now = req.ctx.clock.now();
        if citizens::end_sessions(&req.ctx.db, citizen.id(), now + 1).await.is_err()
            || auth::sign_out(&req.session).await.is_err()
        {
            return req.failed();
        }
        event(&req, Some(citizen.id()), "sign_out_everywhere", true).await;
        FormOutcome::Redirect("/login?done=signed_out_everywhere".into())
    })
}

/// Cancels the signed-in citizen's account after they confirm with their password.
pub fn cancel_account(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let current = Zeroizing::new(req.field("cancel_password"));
        let Ok(Some(stored)) = citizens::password_hash(&req.ctx.db, citizen.id()).await else { return req.failed() };
        if !req.ctx.credentials.verify(current, Some(stored)).await.ok {
            return req.rerender(403, vec![FieldError::new("cancel_password", "current_password_wrong")], None);
        }
        let now = req.ctx.clock.now();
        if citizens::cancel(&req.ctx.db, citizen.id(), now).await.is_err()
            || auth::sign_out(&req.session).await.is_err()
        {
            return req.failed();
        }
        event(&req, Some(citizen.id()), "account_cancelled", true).await;
        FormOutcome::Redirect("/login?done=account_cancelled".into())
    })
}

/// Links a legal-person account: the signed-in, real-name-verified citizen gives a credit code;
/// the legal-entity register must name them as its legal representative and the entity must
/// be active.
pub fn link_entity(req: FormRequest) -> FormFuture {
    use crate::identifiers::CreditCode;
    use crate::registers::contract::{EntityField, EntityStatus};
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        if !citizen.real_name_verified {
            return req.rerender(403, Vec::new(), Some("entity_needs_real_name"));
        }
        // The checksum is checked here, before any register call.
        let code = match CreditCode::parse(&req.field("credit_code")) {
            Ok(code) => code,
            Err(e) => {
                return req.rerender(400, vec![FieldError::new("credit_code", &format!("credit_{}", e.code()))], None)
            }
        };
        let sealed = match citizens::sealed_id_number(&req.ctx.db, citizen.id()).await {
            Ok(Some(sealed)) => sealed,
            _ => return req.failed(),
        };
        let Some(own_id) = req.ctx.secrets.cipher().decrypt(&sealed) else { return req.failed() };
        let caller = Caller {
            consumer: "accounts.legal_person",
            actor: format!("citizen:{}", citizen.id()),
            request_id: req.request_id.clone(),
        };
        let fields = [EntityField::Name, EntityField::LegalRepresentativeId, EntityField::Status];
        let entity = match req.ctx.shared.entity(&caller, &code, &fields, None).await {
            Ok(entity) => entity,
            Err(AccessError::NotFound) => {
                return req.rerender(400, vec![FieldError::new("credit_code", "entity_not_found")], None)
            }
            Err(AccessError::Unavailable) => return req.rerender(503, Vec::new(), Some("entity_register_unavailable")),
            Err(err) => return req.failed_because(&err),
        };
        if entity.legal_representative_id.as_deref() != Some(own_id.as_str()) {
            event(&req, Some(citizen.id()), "entity_link", false).await;
            return req.rerender(403, vec![FieldError::new("credit_code", "not_legal_representative")], None);
        }
        if entity.status != Some(EntityStatus::Active) {
            return req.rerender(400, vec![FieldError::new("credit_code", "entity_inactive")], None);
        }
        let name = entity.name.unwrap_or_default();
        let now = req.ctx.clock.now();
        if citizens::link_entity(&req.ctx.db, citizen.id(), code.as_str(), &name, now).await.is_err() {
            return req.failed();
        }
        event(&req, Some(citizen.id()), "entity_link", true).await;
        FormOutcome::Redirect("/account/business?done=entity_linked".into())
    })
}

/// Ends one of the signed-in citizen's other sessions, named by its reference.
pub fn revoke_session(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let reference = req.field("reference");
        match crate::platform::sessions::revoke(&req.ctx.db, "citizen", citizen.id(), reference.trim()).await {
            Ok(_) => {
                event(&req, Some(citizen.id()), "session_revoked", true).await;
                FormOutcome::Redirect("/account/security?done=session_revoked".into())
            }
            Err(err) => req.failed_because(&err),
        }
    })
}
