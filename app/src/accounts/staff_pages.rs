//! Staff pages: set-up with the one-time token, sign-in with password and TOTP, the console home.

use super::pages::{done_text, form_fields, form_problem, Field};
use super::StaffRole;
use crate::error::AppError;
use crate::i18n::{use_messages, Messages};
use crate::ui::{use_posted_form, ErrorSummary, Notice, NoticeKind, PageHeading};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// What the set-up page shows: whose account, and the authenticator secret to enrol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub username: String,
    pub secret: String,
    pub qr_svg: String,
}

/// Public by design: the one-time set-up token is the authorisation. A new secret is drawn
/// unless the page is being shown again after a mistake (then the posted one is kept).
#[server(name = StaffEnrolment, prefix = "/api", endpoint = "staff/enrolment", input = GetUrl)]
pub async fn staff_enrolment(token: String, secret: Option<String>) -> Result<Enrolment, AppError> {
    use super::server::{hash_token, staff, totp};
    let ctx = crate::platform::AppContext::current()?;
    let username = staff::pending_username(&ctx.db, &hash_token(token.trim()), ctx.clock.now())
        .await?
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let secret = secret.and_then(|s| totp::from_base32(&s)).filter(|s| s.len() >= 16).unwrap_or_else(totp::new_secret);
    let uri = totp::otpauth_uri(&ctx.site.portal_name.zh, &username, &secret);
    let qr_svg = totp::qr_svg(&uri).ok_or_else(|| AppError::internal(&"QR code could not be drawn"))?;
    Ok(Enrolment { username, secret: totp::base32(&secret), qr_svg })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffView {
    pub display_name: String,
    pub role: StaffRole,
}

#[server(name = StaffMe, prefix = "/api", endpoint = "staff/me", input = GetUrl)]
pub async fn staff_me() -> Result<StaffView, AppError> {
    let staff = super::server::auth::staff().await.map_err(crate::platform::fail)?;
    Ok(StaffView { display_name: staff.display_name, role: staff.role })
}

pub fn role_label(role: StaffRole, t: &'static Messages) -> &'static str {
    match role {
        StaffRole::WindowClerk => t.role_window_clerk,
        StaffRole::Supervisor => t.role_supervisor,
        StaffRole::SystemAdmin => t.role_system_admin,
        StaffRole::SecurityAdmin => t.role_security_admin,
        StaffRole::AuditAdmin => t.role_audit_admin,
    }
}

#[component]
pub fn StaffSetupPage() -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_else(|| posted.value("token"));
    let kept_secret = Some(posted.value("secret")).filter(|s| !s.is_empty());
    let key = (token.clone(), kept_secret);
    let enrolment = Resource::new(move || key.clone(), |(t, s)| staff_enrolment(t, s));
    view! {
        <div class="container narrow">
            <PageHeading title=t.staff_setup_title lead=t.staff_setup_lead/>
            <Suspense>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        match enrolment.await {
                            Ok(enrolment) => view! { <SetupForm enrolment token/> }.into_any(),
                            Err(AppError::NotFound) => view! {
                                <Notice kind=NoticeKind::Error><p>{t.setup_token_invalid}</p></Notice>
                            }
                            .into_any(),
                            Err(err) => view! { <crate::app::ErrorNotice error=err/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn SetupForm(enrolment: Enrolment, token: String) -> impl IntoView {
    let t = use_messages();
    let fields = vec![
        Field {
            name: "password",
            label: t.field_password,
            hint: Some(t.field_staff_password_hint),
            input_type: "password",
            autocomplete: "new-password",
        },
        Field {
            name: "code",
            label: t.field_totp_code,
            hint: Some(t.field_totp_hint),
            input_type: "text",
            autocomplete: "one-time-code",
        },
    ];
    let (summary, inputs) = form_fields(fields, "setup");
    view! {
        <ErrorSummary errors=summary/>
        {form_problem()}
        <form method="post" action="/staff/setup" class="stack" novalidate>
            <input type="hidden" name="token" value=token/>
            <input type="hidden" name="secret" value=enrolment.secret.clone()/>
            <p><strong>{t.field_username}": "</strong>{enrolment.username.clone()}</p>
            <figure class="qr">
                <div class="qr__code" role="img" aria-label=t.staff_setup_qr inner_html=enrolment.qr_svg.clone()></div>
                <figcaption>{t.staff_setup_qr}</figcaption>
            </figure>
            <p>{t.staff_setup_secret}": "<code class="secret">{enrolment.secret.clone()}</code></p>
            {inputs}
            <button type="submit" class="button">{t.staff_setup_button}</button>
        </form>
    }
}

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let t = use_messages();
    let done = use_query_map().with_untracked(|q| q.get("done")).and_then(|d| done_text(&d, t));
    let fields = vec![
        Field { name: "username", label: t.field_username, hint: None, input_type: "text", autocomplete: "username" },
        Field {
            name: "password",
            label: t.field_password,
            hint: None,
            input_type: "password",
            autocomplete: "current-password",
        },
        Field {
            name: "code",
            label: t.field_totp_code,
            hint: Some(t.field_totp_hint),
            input_type: "text",
            autocomplete: "one-time-code",
        },
    ];
    let (summary, inputs) = form_fields(fields, "staff-login");
    view! {
        <div class="container narrow">
            <PageHeading title=t.staff_login_title lead=t.staff_login_lead/>
            {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
            <ErrorSummary errors=summary/>
            {form_problem()}
            <form method="post" action="/staff/login" class="stack" novalidate>
                {inputs}
                <button type="submit" class="button">{t.login_button}</button>
            </form>
        </div>
    }
}

/// Shown on staff pages to someone without a staff session (401) or without the role (403).
#[component]
pub fn StaffAccessNotice(error: AppError) -> impl IntoView {
    let t = use_messages();
    match error {
        AppError::Unauthenticated => {
            crate::app::set_status(401);
            view! {
                <Notice kind=NoticeKind::Info>
                    <p>{t.staff_sign_in_needed}</p>
                    <p><a class="button" href="/staff/login">{t.staff_login_title}</a></p>
                </Notice>
            }
            .into_any()
        }
        AppError::Forbidden => {
            crate::app::set_status(403);
            view! { <Notice kind=NoticeKind::Error><p>{t.staff_forbidden}</p></Notice> }.into_any()
        }
        other => view! { <crate::app::ErrorNotice error=other/> }.into_any(),
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let t = use_messages();
    let me = Resource::new(|| (), |_| staff_me());
    view! {
        <div class="container">
            <PageHeading title=t.staff_home_title/>
            <Suspense>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(me) => view! {
                            <dl class="facts">
                                <div><dt>{t.staff_signed_in_as}</dt><dd>{me.display_name.clone()}</dd></div>
                                <div><dt>{t.staff_role}</dt><dd>{role_label(me.role, t)}</dd></div>
                            </dl>
                            <ul class="link-list">
                                <li><a href="/staff/catalogue">{t.nav_staff_catalogue}</a></li>
                                {(me.role == StaffRole::AuditAdmin).then(|| view! {
                                    <li><a href="/staff/data-calls">{t.nav_staff_data_calls}</a></li>
                                })}
                            </ul>
                            <form method="post" action="/logout">
                                <button type="submit" class="button button--secondary">{t.logout_button}</button>
                            </form>
                        }
                        .into_any(),
                        Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
