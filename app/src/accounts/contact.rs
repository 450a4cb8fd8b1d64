//! Changing the email address or phone number of a citizen account. The citizen first confirms
//! their password (ASVS 7.5.1: re-authentication before changing how they are reached); that
//! confirmation lasts five minutes. A new email address is used only once the six-digit code
//! sent to it comes back; the old address is told of the change.

use super::pages::{form_fields, form_problem, Field};
use crate::error::AppError;
use crate::i18n::use_messages;
use crate::ui::when_ready;
use crate::ui::SignInNeeded;
use crate::ui::{use_posted_form, ErrorSummary, Notice, NoticeKind, PageHeading};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A password confirmation allows contact changes for this long.
#[cfg(feature = "ssr")]
pub const REAUTH_SECS: i64 = 5 * 60;

/// Whether a password confirmation at `at` still allows contact changes at `now`.
#[cfg(feature = "ssr")]
fn still_fresh(at: Option<i64>, now: i64) -> bool {
    at.is_some_and(|at| now - at <= REAUTH_SECS)
}
/// The session key holding when the password was last confirmed.
#[cfg(feature = "ssr")]
pub const REAUTH_KEY: &str = "reauthenticated_at";
/// Codes confirming a new address last 10 minutes and allow five tries.
#[cfg(feature = "ssr")]
pub const EMAIL_CODE_SECS: i64 = 10 * 60;
#[cfg(feature = "ssr")]
pub const EMAIL_CODE_TRIES: i64 = 5;

/// What the contact page shows the signed-in citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub email: String,
    pub phone_masked: Option<String>,
    /// The password was confirmed within the last five minutes.
    pub reauthenticated: bool,
}

#[server(name = MyContact, prefix = "/api", endpoint = "account/contact", input = GetUrl)]
pub async fn my_contact() -> Result<ContactView, AppError> {
    use super::server::{auth, citizens};
    let ctx = crate::platform::AppContext::current()?;
    let citizen = auth::citizen().await.map_err(crate::platform::fail)?;
    let session = auth::request_session().ok_or(AppError::Unauthenticated)?;
    let at: Option<i64> = session.get(REAUTH_KEY).await.map_err(|e| AppError::internal(&e))?;
    let row = citizens::by_id(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    Ok(ContactView {
        email: row.email.unwrap_or_default(),
        phone_masked: row.phone.as_deref().map(crate::identifiers::mask_phone),
        reauthenticated: still_fresh(at, ctx.clock.now()),
    })
}

#[component]
pub fn ContactPage() -> impl IntoView {
    let t = use_messages();
    let contact = Resource::new(|| (), |_| my_contact());
    view! {
        <div class="container narrow">
            <PageHeading title=t.contact_title lead=t.contact_lead/>
            {form_problem()}
            {when_ready(move || async move {
                match contact.await {
                    Ok(c) if c.reauthenticated => view! { <ContactForms contact=c/><crate::accounts::SessionKeeper staff=false/> }.into_any(),
                    Ok(_) => view! { <Reauthenticate/><crate::accounts::SessionKeeper staff=false/> }.into_any(),
                    Err(AppError::Unauthenticated) => view! { <SignInNeeded next="/account/contact"/> }.into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
            <p><a href="/account">{t.back_to_account}</a></p>
        </div>
    }
}

#[component]
fn Reauthenticate() -> impl IntoView {
    let t = use_messages();
    let (summary, inputs) = form_fields(
        vec![Field {
            name: "password",
            label: t.field_password,
            hint: None,
            input_type: "password",
            autocomplete: "current-password",
        }],
        "reauth",
    );
    view! {
        <p>{t.contact_reauth_lead}</p>
        <ErrorSummary errors=summary/>
        <form method="post" action="/account/contact/confirm" class="stack" novalidate>
            {inputs}
            <button type="submit" class="button">{t.contact_reauth_button}</button>
        </form>
    }
}

#[component]
fn ContactForms(contact: ContactView) -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    let code_sent = posted.extra("email_code_sent") == Some("1");
    let (email_summary, email_inputs) = form_fields(
        vec![Field {
            name: "new_email",
            label: t.field_new_email,
            hint: Some(t.field_new_email_hint),
            input_type: "email",
            autocomplete: "email",
        }],
        "contact-email",
    );
    let (code_summary, code_inputs) = form_fields(
        vec![Field {
            name: "code",
            label: t.field_email_code,
            hint: Some(t.field_email_code_hint),
            input_type: "text",
            autocomplete: "one-time-code",
        }],
        "contact-code",
    );
    let (phone_summary, phone_inputs) = form_fields(
        vec![Field {
            name: "phone",
            label: t.field_new_phone,
            hint: Some(t.field_new_phone_hint),
            input_type: "tel",
            autocomplete: "tel",
        }],
        "contact-phone",
    );
    let summary: Vec<_> = email_summary.into_iter().chain(code_summary).chain(phone_summary).collect();
    view! {
        <ErrorSummary errors=summary/>
        <section aria-labelledby="contact-email-title">
            <h2 id="contact-email-title">{t.field_email}</h2>
            <p>{t.contact_current}": "{contact.email.clone()}</p>
            {code_sent.then(|| view! { <Notice kind=NoticeKind::Success><p>{t.contact_code_sent}</p></Notice> })}
            <form method="post" action="/account/contact/email" class="stack" novalidate>
                {email_inputs}
                <button type="submit" class="button button--secondary">{t.contact_send_code_button}</button>
            </form>
            <form method="post" action="/account/contact/email/confirm" class="stack" novalidate>
                {code_inputs}
                <button type="submit" class="button">{t.contact_confirm_email_button}</button>
            </form>
        </section>
        <section aria-labelledby="contact-phone-title">
            <h2 id="contact-phone-title">{t.field_phone}</h2>
            <p>
                {t.contact_current}": "
                {contact.phone_masked.clone().unwrap_or_else(|| t.account_not_provided.to_owned())}
            </p>
            <form method="post" action="/account/contact/phone" class="stack" novalidate>
                {phone_inputs}
                <button type="submit" class="button">{t.contact_phone_button}</button>
            </form>
        </section>
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{change_email, change_phone, confirm_email_change, reauthenticate};

#[cfg(feature = "ssr")]
mod handlers {
    use super::{EMAIL_CODE_SECS, EMAIL_CODE_TRIES, REAUTH_KEY};
    use crate::accounts::forms::{address_allows, event, signed_in};
    use crate::accounts::server::auth::CitizenPrincipal;
    use crate::accounts::server::citizens::{self, CodeCheck};
    use crate::accounts::validate;
    use crate::error::FieldError;
    use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};
    use zeroize::Zeroizing;

    /// The password again: opens the contact forms for five minutes.
    pub fn reauthenticate(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let citizen = or_return!(signed_in(&req).await);
            let now = req.ctx.clock.now();
            if !address_allows(req.client_ip, now) {
                return req.rerender(429, Vec::new(), Some("login_throttled"));
            }
            let Ok(stored) = citizens::password_hash(&req.ctx.db, citizen.id()).await else { return req.failed() };
            if !req.ctx.credentials.verify(Zeroizing::new(req.field("password")), stored).await.ok {
                event(&req, Some(citizen.id()), "reauthenticate", false).await;
                return req.rerender(403, vec![FieldError::new("password", "current_password_wrong")], None);
            }
            if req.session.insert(REAUTH_KEY, now).await.is_err() {
                return req.failed();
            }
            event(&req, Some(citizen.id()), "reauthenticate", true).await;
            FormOutcome::Redirect("/account/contact".into())
        })
    }

    /// The signed-in citizen, if they confirmed their password within the last five minutes;
    /// otherwise 403 and the page asks for the password again.
    async fn reauthenticated(req: &FormRequest) -> Result<CitizenPrincipal, FormOutcome> {
        let citizen = signed_in(req).await?;
        let at: Option<i64> = req.session.get(REAUTH_KEY).await.map_err(|_| req.failed())?;
        if super::still_fresh(at, req.ctx.clock.now()) {
            Ok(citizen)
        } else {
            Err(req.rerender(403, Vec::new(), Some("reauth_needed")))
        }
    }

    /// Sends a code to the new address; the address changes only when the code comes back.
    pub fn change_email(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let citizen = or_return!(reauthenticated(&req).await);
            let email = req.field("new_email").trim().to_lowercase();
            if let Err(code) = validate::email(&email) {
                return req.rerender(400, vec![FieldError::new("new_email", code)], None);
            }
            match citizens::contact_taken(&req.ctx.db, citizen.id(), Some(&email), None).await {
                Ok(false) => {}
                Ok(true) => return req.rerender(400, vec![FieldError::new("new_email", "email_taken")], None),
                Err(err) => return req.failed_because(&err),
            }
            let now = req.ctx.clock.now();
            let issued = crate::accounts::server::issue_code(
                &req.ctx,
                citizen.id(),
                "change_email",
                Some(&email),
                EMAIL_CODE_SECS,
            )
            .await;
            let code = match issued {
                Ok(Some(code)) => code,
                Ok(None) => return req.rerender(429, Vec::new(), Some("code_recently_sent")),
                Err(err) => return req.failed_because(&err),
            };
            let portal = &req.ctx.site.portal_name;
            let subject = format!("{}：确认新的电子邮箱 / Confirm your new email address", portal.zh);
            let body = format!(
                "您好！\n\n您正在把{zh}账号的电子邮箱改为本地址。验证码：{code}\n10 分钟内有效，只能使用一次。\n\
                 如果不是您本人操作，请忽略本邮件。\n\n\
                 Hello,\n\nYou are changing the email address of your {en} account to this one. Your code: {code}\n\
                 It works once, within 10 minutes. If this was not you, ignore this message.\n",
                zh = portal.zh,
                en = portal.en
            );
            if crate::platform::mail::enqueue(&req.ctx.db, &email, &subject, &body, now).await.is_err() {
                return req.failed();
            }
            if req.ctx.mail_is_local {
                tracing::info!(%code, "email-change code (mail is written to the local folder)");
            }
            event(&req, Some(citizen.id()), "email_change_requested", true).await;
            req.show_with([("email_code_sent", "1".to_owned())])
        })
    }

    /// The code from the new address: the address becomes the account's (already confirmed),
    /// and the old one is told.
    pub fn confirm_email_change(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let citizen = or_return!(reauthenticated(&req).await);
            let now = req.ctx.clock.now();
            let code = req.field("code");
            let check = match crate::accounts::server::check_code(
                &req.ctx,
                Some(citizen.id()),
                "change_email",
                &code,
                EMAIL_CODE_TRIES,
            )
            .await
            {
                Ok(check) => check,
                Err(err) => return req.failed_because(&err),
            };
            let CodeCheck::Accepted(Some(email)) = check else {
                event(&req, Some(citizen.id()), "email_change", false).await;
                return req.rerender(400, vec![FieldError::new("code", "email_code_invalid")], None);
            };
            let Ok(Some(row)) = citizens::by_id(&req.ctx.db, citizen.id()).await else { return req.failed() };
            // The address may have been taken while the code was on its way.
            match citizens::contact_taken(&req.ctx.db, citizen.id(), Some(&email), None).await {
                Ok(false) => {}
                Ok(true) => return req.rerender(400, vec![FieldError::new("new_email", "email_taken")], None),
                Err(err) => return req.failed_because(&err),
            }
            if citizens::set_email(&req.ctx.db, citizen.id(), &email, now).await.is_err() {
                return req.failed();
            }
            let portal = &req.ctx.site.portal_name;
            let subject = format!("{}：您的电子邮箱已更改 / Your email address was changed", portal.zh);
            let masked = crate::identifiers::mask_email(&email);
            let body = format!(
                "您好！\n\n您的{zh}账号的电子邮箱已改为 {masked}，以后的通知将发送到新地址。\n\
                 如果不是您本人操作，请立即拨打政务服务热线。\n\n\
                 Hello,\n\nThe email address of your {en} account is now {masked}; messages go there from now on.\n\
                 If this was not you, call the government service hotline at once.\n",
                zh = portal.zh,
                en = portal.en
            );
            if let Some(old) = row.email.as_deref() {
                if let Err(err) = crate::platform::mail::enqueue(&req.ctx.db, old, &subject, &body, now).await {
                    tracing::error!(error = %err, "cannot queue the email-change notice");
                }
            }
            event(&req, Some(citizen.id()), "email_change", true).await;
            FormOutcome::Redirect("/account/profile?done=email_changed".into())
        })
    }

    /// A new phone number, or none (an empty field removes it).
    pub fn change_phone(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let citizen = or_return!(reauthenticated(&req).await);
            let phone = match validate::phone(&req.field("phone")) {
                Ok(phone) => phone,
                Err(code) => return req.rerender(400, vec![FieldError::new("phone", code)], None),
            };
            if let Some(p) = phone.as_deref() {
                match citizens::contact_taken(&req.ctx.db, citizen.id(), None, Some(p)).await {
                    Ok(false) => {}
                    Ok(true) => return req.rerender(400, vec![FieldError::new("phone", "phone_taken")], None),
                    Err(err) => return req.failed_because(&err),
                }
            }
            if citizens::set_phone(&req.ctx.db, citizen.id(), phone.as_deref()).await.is_err() {
                return req.failed();
            }
            event(&req, Some(citizen.id()), "phone_change", true).await;
            FormOutcome::Redirect("/account/profile?done=phone_changed".into())
        })
    }
}
