//! Staff pages: set-up with the one-time token, sign-in with password and TOTP, the console home.

use super::pages::{done_text, form_fields, form_problem, Field};
use super::StaffRole;
use crate::error::AppError;
use crate::i18n::{use_messages, Messages};
use crate::ui::when_ready;
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
    /// For clerks and supervisors: the department's name, or `None` for the whole city.
    pub scope: Option<Option<String>>,
}

#[server(name = StaffMe, prefix = "/api", endpoint = "staff/me", input = GetUrl)]
pub async fn staff_me() -> Result<StaffView, AppError> {
    use super::CaseScope;
    let staff = super::server::auth::staff().await.map_err(crate::platform::fail)?;
    let scope = match staff.case_scope() {
        None => None,
        Some(CaseScope::City) => Some(None),
        Some(CaseScope::Department(code)) => {
            let ctx = crate::platform::AppContext::current()?;
            let locale = crate::i18n::use_locale();
            let name = crate::departments::server::db::list(&ctx.db)
                .await?
                .into_iter()
                .find(|d| d.code == code)
                .map_or(code, |d| d.name.get(locale).to_owned());
            Some(Some(name))
        }
    };
    Ok(StaffView { display_name: staff.display_name, role: staff.role, scope })
}

/// Who is changing their password on the staff password page, and whether because it expired
/// (then the current password is not asked again: both factors were just proven).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub username: String,
    pub expired: bool,
}

/// For a staff session, or the restricted session of a staff member whose password expired.
#[server(name = StaffPasswordChange, prefix = "/api", endpoint = "staff/password", input = GetUrl)]
pub async fn staff_password_change() -> Result<PasswordChange, AppError> {
    use super::server::auth;
    let ctx = crate::platform::AppContext::current()?;
    let session = auth::request_session().ok_or(AppError::Unauthenticated).map_err(crate::platform::fail)?;
    let (id, expired) = match auth::pending_password_change(&session, &ctx).await? {
        Some(id) => (id, true),
        None => (auth::staff().await.map_err(crate::platform::fail)?.id(), false),
    };
    let row = super::server::staff::by_id(&ctx.db, id).await?.ok_or(AppError::Unauthenticated)?;
    Ok(PasswordChange { username: row.username, expired })
}

/// One row of the staff security log as the audit administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffEventView {
    pub at: i64,
    pub account: Option<String>,
    pub actor: Option<String>,
    pub event: String,
    pub success: bool,
    pub client_ip: String,
    pub detail: String,
}

/// How many rows the security log page shows.
#[cfg(feature = "ssr")]
const SECURITY_LOG_ROWS: i64 = 200;

/// The newest staff security events; audit administrators only (三员分立).
#[server(name = StaffSecurityLog, prefix = "/api", endpoint = "staff/security-log", input = GetUrl)]
pub async fn staff_security_log() -> Result<Vec<StaffEventView>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    super::server::auth::staff_with_role(&[StaffRole::AuditAdmin]).await.map_err(crate::platform::fail)?;
    Ok(super::server::staff::recent_events(&ctx.db, SECURITY_LOG_ROWS)
        .await?
        .into_iter()
        .map(StaffEventView::from)
        .collect())
}

#[cfg(feature = "ssr")]
impl From<super::server::staff::StaffEventRow> for StaffEventView {
    fn from((at, account, actor, event, success, client_ip, detail): super::server::staff::StaffEventRow) -> Self {
        StaffEventView { at, account, actor, event, success, client_ip, detail }
    }
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
            {when_ready(move || {
                let token = token.clone();
                async move {
                    match enrolment.await {
                        Ok(enrolment) => view! { <SetupForm enrolment token/> }.into_any(),
                        Err(AppError::NotFound) => view! {
                            <Notice kind=NoticeKind::Error><p>{t.setup_token_invalid}</p></Notice>
                        }
                        .into_any(),
                        Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                    }
                }
            })}
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
            // The SVG is drawn by the qrcode crate from the modules of the code (rects and paths
            // only); no user text reaches this markup.
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
            crate::error::set_status(401);
            view! {
                <Notice kind=NoticeKind::Info>
                    <p>{t.staff_sign_in_needed}</p>
                    <p><a class="button" href="/staff/login">{t.staff_login_title}</a></p>
                </Notice>
            }
            .into_any()
        }
        AppError::Forbidden => {
            crate::error::set_status(403);
            view! { <Notice kind=NoticeKind::Error><p>{t.staff_forbidden}</p></Notice> }.into_any()
        }
        other => view! { <crate::ui::ErrorNotice error=other/> }.into_any(),
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let t = use_messages();
    let done = use_query_map().with_untracked(|q| q.get("done")).and_then(|d| done_text(&d, t));
    let me = Resource::new(|| (), |_| staff_me());
    view! {
        <div class="container">
            <PageHeading title=t.staff_home_title/>
            {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
            {when_ready(move || async move {
                match me.await {
                    Ok(me) => view! {
                        <dl class="facts">
                            <div><dt>{t.staff_signed_in_as}</dt><dd>{me.display_name.clone()}</dd></div>
                            <div><dt>{t.staff_role}</dt><dd>{role_label(me.role, t)}</dd></div>
                            {me.scope.clone().map(|scope| view! {
                                <div><dt>{t.staff_scope}</dt><dd>{scope.unwrap_or_else(|| t.staff_scope_city.to_owned())}</dd></div>
                            })}
                        </dl>
                        <ul class="link-list">
                            {matches!(me.role, StaffRole::Supervisor | StaffRole::WindowClerk).then(|| view! {
                                <li><a href="/staff/cases">{crate::cases::text::use_text().queue_title}</a></li>
                            })}
                            {(me.role == StaffRole::WindowClerk).then(|| view! {
                                <li><a href="/staff/cases?assigned=yes">{crate::cases::text::use_text().assigned_to_me}</a></li>
                                <li><a href="/staff/intake">{crate::cases::text::use_text().intake_title}</a></li>
                            })}
                            {matches!(me.role, StaffRole::SystemAdmin | StaffRole::Supervisor | StaffRole::WindowClerk).then(|| view! {
                                <li><a href="/staff/services">{t.staff_services_title}</a></li>
                            })}
                            {(me.role == StaffRole::SystemAdmin).then(|| view! {
                                <li><a href="/staff/calendar">{t.staff_calendar_title}</a></li>
                            })}
                            <li><a href="/staff/catalogue">{t.nav_staff_catalogue}</a></li>
                            {(me.role == StaffRole::SecurityAdmin).then(|| view! {
                                <li><a href="/staff/accounts">{t.nav_staff_accounts}</a></li>
                            })}
                            {(me.role == StaffRole::AuditAdmin).then(|| view! {
                                <li><a href="/staff/data-calls">{t.nav_staff_data_calls}</a></li>
                                <li><a href="/staff/security-log">{t.nav_staff_security_log}</a></li>
                                <li><a href="/staff/case-audit">{crate::cases::text::use_text().audit_title}</a></li>
                            })}
                            <li><a href="/staff/password">{t.staff_password_title}</a></li>
                        </ul>
                        <form method="post" action="/logout">
                            <button type="submit" class="button button--secondary">{t.logout_button}</button>
                        </form>
                        <crate::accounts::SessionKeeper staff=true/>
                    }
                    .into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

/// The whole staff security log as a JSON download, for audit administrators only; the export is
/// itself logged.
#[server(name = ExportStaffSecurityLog, prefix = "/api", endpoint = "staff/security-log/export", input = GetUrl)]
pub async fn export_staff_security_log() -> Result<Vec<StaffEventView>, AppError> {
    use super::server::staff;
    let ctx = crate::platform::AppContext::current()?;
    let auditor =
        super::server::auth::staff_with_role(&[StaffRole::AuditAdmin]).await.map_err(crate::platform::fail)?;
    let rows = staff::recent_events(&ctx.db, i64::MAX).await?;
    let request_id = crate::platform::request_id();
    let detail = format!("{} rows", rows.len());
    let event = staff::StaffEvent {
        at: ctx.clock.now(),
        staff_id: Some(auditor.id()),
        actor_id: Some(auditor.id()),
        event: "log_exported",
        success: true,
        client_ip: "",
        request_id: &request_id,
        detail: &detail,
    };
    staff::record_event(&ctx.db, &event).await?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("attachment; filename=\"onestop-staff-security-log.json\""),
        );
    }
    Ok(rows.into_iter().map(StaffEventView::from).collect())
}

#[component]
pub fn StaffPasswordPage() -> impl IntoView {
    let t = use_messages();
    let who = Resource::new(|| (), |_| staff_password_change());
    view! {
        <div class="container narrow">
            <PageHeading title=t.staff_password_title/>
            {when_ready(move || async move {
                match who.await {
                    Ok(who) => view! { <StaffPasswordForm who/> }.into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn StaffPasswordForm(who: PasswordChange) -> impl IntoView {
    let t = use_messages();
    let mut fields = Vec::new();
    if !who.expired {
        fields.push(Field {
            name: "current_password",
            label: t.field_current_password,
            hint: None,
            input_type: "password",
            autocomplete: "current-password",
        });
    }
    fields.push(Field {
        name: "new_password",
        label: t.field_new_password,
        hint: Some(t.field_staff_new_password_hint),
        input_type: "password",
        autocomplete: "new-password",
    });
    let (summary, inputs) = form_fields(fields, "staff-password");
    view! {
        {who.expired.then(|| view! { <Notice kind=NoticeKind::Info><p>{t.staff_password_expired}</p></Notice> })}
        <ErrorSummary errors=summary/>
        {form_problem()}
        <form method="post" action="/staff/password" class="stack" novalidate>
            // For password managers: the account whose password changes.
            <input type="text" name="username" value=who.username autocomplete="username" hidden/>
            {inputs}
            <button type="submit" class="button">{t.change_password_button}</button>
        </form>
    }
}

/// What an event of the staff security log is called on the page.
fn staff_event_label(event: &str, t: &'static Messages) -> String {
    match event {
        "sign_in" => t.staff_event_sign_in.to_owned(),
        "setup" => t.staff_event_setup.to_owned(),
        "password_change" => t.staff_event_password_change.to_owned(),
        "account_created" => t.staff_event_account_created.to_owned(),
        "account_disabled" => t.staff_event_account_disabled.to_owned(),
        "disabled_unused" => t.staff_event_disabled_unused.to_owned(),
        "log_exported" => t.staff_event_log_exported.to_owned(),
        "calendar_changed" => t.staff_event_calendar_changed.to_owned(),
        other => other.to_owned(),
    }
}

#[component]
pub fn StaffSecurityLogPage() -> impl IntoView {
    use crate::i18n::format_beijing_time;
    use crate::ui::{cell, row, DataTable};
    let t = use_messages();
    let log = Resource::new(|| (), |_| staff_security_log());
    view! {
        <div class="container">
            <PageHeading title=t.nav_staff_security_log lead=t.staff_security_log_lead/>
            <p><a class="button button--secondary" href="/api/staff/security-log/export" download>{t.staff_security_log_export}</a></p>
            {when_ready(move || async move {
                match log.await {
                    Ok(rows) => view! {
                        <DataTable
                            caption=t.nav_staff_security_log
                            headers=vec![t.data_access_col_time, t.staff_col_username, t.staff_col_event, t.staff_col_result, t.staff_col_actor, t.staff_col_address, t.staff_col_detail]
                            rows=rows
                                .into_iter()
                                .map(|r| row([
                                    cell(format_beijing_time(r.at)),
                                    cell(r.account.clone().unwrap_or_default()),
                                    cell(staff_event_label(&r.event, t)),
                                    cell(if r.success { t.result_success } else { t.result_refused }),
                                    cell(r.actor.clone().unwrap_or_default()),
                                    cell(r.client_ip.clone()),
                                    cell(r.detail.clone()),
                                ]))
                                .collect()
                        />
                        <crate::accounts::SessionKeeper staff=true/>
                    }
                    .into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Option<StaffRole>,
    pub department: Option<String>,
    pub status: String,
}

/// Staff accounts and the departments they can belong to; security administrators only.
#[server(name = StaffAccounts, prefix = "/api", endpoint = "staff/accounts", input = GetUrl)]
pub async fn staff_accounts() -> Result<(Vec<StaffAccountView>, Vec<(String, String)>), AppError> {
    let ctx = crate::platform::AppContext::current()?;
    super::server::auth::staff_with_role(&[StaffRole::SecurityAdmin]).await.map_err(crate::platform::fail)?;
    let locale = crate::i18n::use_locale();
    let departments: Vec<(String, String)> = crate::departments::server::db::list(&ctx.db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name.get(locale).to_owned()))
        .collect();
    let accounts = super::server::staff::list(&ctx.db)
        .await?
        .into_iter()
        .map(|(id, username, display_name, role, department, status)| StaffAccountView {
            id,
            username,
            display_name,
            role: StaffRole::from_code(&role),
            department: department
                .and_then(|code| departments.iter().find(|(c, _)| *c == code).map(|(_, n)| n.clone())),
            status,
        })
        .collect();
    Ok((accounts, departments))
}

#[component]
pub fn StaffAccountsPage() -> impl IntoView {
    let t = use_messages();
    let done = use_query_map().with_untracked(|q| q.get("done")).and_then(|d| done_text(&d, t));
    let data = Resource::new(|| (), |_| staff_accounts());
    view! {
        <div class="container">
            <PageHeading title=t.staff_accounts_title lead=t.staff_accounts_lead/>
            {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
            {form_problem()}
            {when_ready(move || async move {
                match data.await {
                    Ok((accounts, departments)) => view! { <StaffAdmin accounts departments/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn StaffAdmin(accounts: Vec<StaffAccountView>, departments: Vec<(String, String)>) -> impl IntoView {
    use crate::i18n::fill;
    use crate::ui::{cell, row, DataTable, SelectField};
    let t = use_messages();
    let posted = use_posted_form();
    let created = posted.extra("created_link").filter(|l| !l.is_empty()).map(|link| {
        let (link, who) = (link.to_owned(), posted.extra("created_username").unwrap_or_default().to_owned());
        view! {
            <Notice kind=NoticeKind::Success>
                <p>{fill(t.staff_created, &[&who])}</p>
                <p><code class="secret">{link}</code></p>
            </Notice>
        }
    });
    // After a successful creation the form starts empty again.
    let keep = created.is_none();
    let error = |field: &str| posted.error_code(field).map(|c| super::field_error_text(c, t).to_owned());
    let summary: Vec<crate::ui::FieldMessage> = ["username", "display_name", "email", "role", "department"]
        .iter()
        .filter_map(|f| error(f).map(|text| crate::ui::FieldMessage { field_id: format!("staff-{f}"), text }))
        .collect();
    let value = |field: &str| if keep { posted.value(field) } else { String::new() };
    let roles: Vec<(String, String)> =
        StaffRole::ALL.iter().map(|r| (r.code().to_owned(), role_label(*r, t).to_owned())).collect();
    let mut department_options = vec![(String::new(), t.field_department_none.to_owned())];
    department_options.extend(departments);
    let status_label = |s: &str| match s {
        "active" => t.staff_status_active,
        "disabled" => t.staff_status_disabled,
        _ => t.staff_status_pending,
    };
    view! {
        {created}
        <section aria-labelledby="create-staff-title">
            <h2 id="create-staff-title">{t.create_staff_title}</h2>
            <ErrorSummary errors=summary/>
            <form method="post" action="/staff/accounts" class="stack" novalidate>
                <crate::ui::TextField id="staff-username" name="username" label=t.field_username value=value("username") error=error("username") autocomplete="off"/>
                <crate::ui::TextField id="staff-display_name" name="display_name" label=t.field_display_name value=value("display_name") error=error("display_name") autocomplete="off"/>
                <crate::ui::TextField id="staff-email" name="email" label=t.field_staff_email value=value("email") hint=Some(t.field_staff_email_hint.to_owned()) error=error("email") input_type="email" autocomplete="off"/>
                <SelectField id="staff-role" name="role" label=t.field_role options=roles value=value("role") error=error("role")/>
                <SelectField id="staff-department" name="department" label=t.field_department options=department_options value=value("department") error=error("department")/>
                <button type="submit" class="button">{t.create_staff_button}</button>
            </form>
        </section>
        <DataTable
            caption=t.staff_accounts_title
            headers=vec![t.staff_col_username, t.field_display_name, t.field_role, t.staff_col_department, t.staff_col_status, t.staff_col_action]
            rows=accounts
                .into_iter()
                .map(|a| {
                    let disable = (a.status != "disabled").then(|| view! {
                        <form method="post" action="/staff/accounts/disable">
                            <input type="hidden" name="staff_id" value=a.id.to_string()/>
                            <button type="submit" class="button button--secondary" aria-label=format!("{} {}", t.disable_button, a.username)>{t.disable_button}</button>
                        </form>
                    });
                    row([
                        cell(a.username.clone()),
                        cell(a.display_name.clone()),
                        cell(a.role.map(|r| role_label(r, t)).unwrap_or_default()),
                        cell(a.department.clone().or_else(|| (a.role == Some(StaffRole::Supervisor)).then(|| t.staff_scope_city.to_owned())).unwrap_or_default()),
                        cell(status_label(&a.status)),
                        cell(disable),
                    ])
                })
                .collect()
        />
    }
}
