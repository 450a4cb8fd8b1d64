//! Self-unlock: a citizen whose account is temporarily locked after wrong passwords asks for a
//! six-digit code by email and enters it, instead of waiting out the lock (the security
//! reference's lockout resolution). The page and its answers are the same whether or not the
//! address belongs to a locked account, so it reveals nothing about accounts.

use super::pages::{form_fields, form_problem, Field};
use crate::i18n::use_messages;
use crate::ui::{use_posted_form, ErrorSummary, Notice, NoticeKind, PageHeading};
use leptos::prelude::*;

/// Unlock codes last ten minutes and allow five tries (ASVS 6.5: short-lived, single use, limited).
#[cfg(feature = "ssr")]
pub const UNLOCK_CODE_SECS: i64 = 10 * 60;
#[cfg(feature = "ssr")]
pub const UNLOCK_CODE_TRIES: i64 = 5;

#[component]
pub fn UnlockPage() -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    let sent = posted.extra("code_sent") == Some("1");
    let (summary_request, request_inputs) = form_fields(
        vec![Field { name: "email", label: t.field_email, hint: None, input_type: "email", autocomplete: "email" }],
        "unlock-request",
    );
    let (summary_code, code_inputs) = form_fields(
        vec![
            Field { name: "email", label: t.field_email, hint: None, input_type: "email", autocomplete: "email" },
            Field {
                name: "code",
                label: t.field_unlock_code,
                hint: Some(t.field_unlock_code_hint),
                input_type: "text",
                autocomplete: "one-time-code",
            },
        ],
        "unlock-code",
    );
    // One summary: both forms report on the same posted fields.
    let mut summary = summary_request;
    summary.extend(summary_code.into_iter().filter(|m| m.field_id.ends_with("-code")));
    view! {
        <div class="container narrow">
            <PageHeading title=t.unlock_title lead=t.unlock_lead/>
            {sent.then(|| view! { <Notice kind=NoticeKind::Success><p>{t.unlock_code_sent}</p></Notice> })}
            <ErrorSummary errors=summary/>
            {form_problem()}
            <section aria-labelledby="unlock-step-1">
                <h2 id="unlock-step-1">{t.unlock_step_request}</h2>
                <form method="post" action="/login/unlock" class="stack" novalidate>
                    {request_inputs}
                    <button type="submit" class="button button--secondary">{t.unlock_send_button}</button>
                </form>
            </section>
            <section aria-labelledby="unlock-step-2">
                <h2 id="unlock-step-2">{t.unlock_step_code}</h2>
                <form method="post" action="/login/unlock/code" class="stack" novalidate>
                    {code_inputs}
                    <button type="submit" class="button">{t.unlock_button}</button>
                </form>
            </section>
        </div>
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{request_unlock, unlock};

#[cfg(feature = "ssr")]
mod handlers {
    use super::{UNLOCK_CODE_SECS, UNLOCK_CODE_TRIES};
    use crate::accounts::forms::{address_allows, event};
    use crate::accounts::server::citizens::{self, CodeCheck};
    use crate::accounts::validate;
    use crate::error::FieldError;
    use crate::platform::forms::{FormFuture, FormOutcome, FormRequest};
    use crate::platform::AppContext;

    /// Sends an unlock code when the address belongs to a locked account; answers the same way
    /// in every case.
    pub fn request_unlock(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let now = req.ctx.clock.now();
            if !address_allows(req.client_ip, now) {
                return req.rerender(429, Vec::new(), Some("login_throttled"));
            }
            let email = req.field("email").trim().to_lowercase();
            if let Err(code) = validate::email(&email) {
                return req.rerender(400, vec![FieldError::new("email", code)], None);
            }
            match citizens::locked_by_email(&req.ctx.db, &email, now).await {
                Ok(Some(id)) => {
                    // The code is issued and mailed in the background: the answer for a locked
                    // account does not wait for that work, so it comes as soon as anyone's.
                    let ctx = req.ctx.clone();
                    tokio::spawn(async move {
                        if let Err(err) = send_code(&ctx, id, &email, now).await {
                            tracing::error!(error = %err, "cannot queue an unlock code");
                        }
                    });
                    event(&req, Some(id), "unlock_code_requested", true).await;
                }
                Ok(None) => event(&req, None, "unlock_code_requested", false).await,
                Err(err) => return req.failed_because(&err),
            }
            req.show_with([("code_sent", "1".to_owned())])
        })
    }

    async fn send_code(ctx: &AppContext, id: i64, email: &str, now: i64) -> Result<(), sqlx::Error> {
        let Some(code) = crate::accounts::server::issue_code(ctx, id, "unlock", None, UNLOCK_CODE_SECS).await? else {
            return Ok(()); // one was sent a moment ago; that one still works
        };
        let portal = &ctx.site.portal_name;
        let subject = format!("{}：账号解锁验证码 / Code to unlock your account", portal.zh);
        let body = format!(
            "您好！\n\n您的账号因多次输错密码被暂时锁定。解锁验证码：{code}\n10 分钟内有效，只能使用一次。\n\n\
             如果不是您本人操作，说明有人在尝试登录您的账号，建议您解锁后修改密码。\n\n\
             Hello,\n\nYour account is locked for a while after several wrong passwords. Your unlock code: {code}\n\
             It works once, within 10 minutes.\n\n\
             If this was not you, someone may be trying to sign in as you: change your password after unlocking.\n"
        );
        crate::platform::mail::enqueue(&ctx.db, email, &subject, &body, now).await?;
        if ctx.mail_is_local {
            tracing::info!(%code, "unlock code (mail is written to the local folder)");
        }
        Ok(())
    }

    /// Checks the code; the right one lifts the lock at once.
    pub fn unlock(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let now = req.ctx.clock.now();
            if !address_allows(req.client_ip, now) {
                return req.rerender(429, Vec::new(), Some("login_throttled"));
            }
            let email = req.field("email").trim().to_lowercase();
            let code = req.field("code").trim().to_owned();
            let mut errors = Vec::new();
            if let Err(problem) = validate::email(&email) {
                errors.push(FieldError::new("email", problem));
            }
            if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(FieldError::new("code", "unlock_code_format"));
            }
            if !errors.is_empty() {
                return req.rerender(400, errors, None);
            }
            let id = match citizens::active_by_email(&req.ctx.db, &email).await {
                Ok(id) => id,
                Err(err) => return req.failed_because(&err),
            };
            let check =
                match crate::accounts::server::check_code(&req.ctx, id, "unlock", &code, UNLOCK_CODE_TRIES).await {
                    Ok(check) => check,
                    Err(err) => return req.failed_because(&err),
                };
            let (CodeCheck::Accepted(_), Some(id)) = (check, id) else {
                event(&req, id, "account_unlock", false).await;
                return req.rerender(400, vec![FieldError::new("code", "unlock_code_invalid")], None);
            };
            if citizens::unlock(&req.ctx.db, id).await.is_err() {
                return req.failed();
            }
            event(&req, Some(id), "account_unlock", true).await;
            FormOutcome::Redirect("/login?done=unlocked".into())
        })
    }
}
