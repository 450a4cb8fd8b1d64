//! Citizen account pages. Forms post to their own page; the server re-renders the page with
//! what was typed and the messages when something is wrong (`ui::PostedForm`).

use crate::error::AppError;
use crate::i18n::{fill, format_beijing_time, use_locale, use_messages, Messages};
use crate::preferences::current_path;
use crate::sharing::AccessRecord;
use crate::ui::when_ready;
use crate::ui::{
    cell, row, use_posted_form, DataTable, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, SignInNeeded,
    TextField,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The signed-in citizen's details as their own account page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub id_number_masked: String,
    pub email: String,
    pub email_verified: bool,
    pub phone_masked: Option<String>,
    pub real_name_verified: bool,
    /// Businesses the citizen acts for: (credit code, name).
    pub entities: Vec<(String, String)>,
}

#[server(name = MyAccount, prefix = "/api", endpoint = "account/me", input = GetUrl)]
pub async fn my_account() -> Result<AccountView, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = super::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let row = super::server::citizens::by_id(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    Ok(AccountView {
        name: row.name,
        id_number_masked: row.id_number_masked,
        email: row.email.unwrap_or_default(),
        email_verified: row.email_verified_at.is_some(),
        phone_masked: row.phone.as_deref().map(crate::identifiers::mask_phone),
        real_name_verified: row.real_name_verified_at.is_some(),
        entities: super::server::citizens::entities_of(&ctx.db, citizen.id()).await?,
    })
}

/// Every register call about the signed-in citizen, newest first (their own records only: the
/// query is keyed by their reference, taken from the session, never from the request).
#[server(name = MyDataAccess, prefix = "/api", endpoint = "account/data-access", input = GetUrl)]
pub async fn my_data_access() -> Result<Vec<AccessRecord>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = super::server::auth::citizen().await.map_err(crate::platform::fail)?;
    Ok(crate::sharing::server::audit::accesses_of(&ctx.db, &citizen.subject_ref, 500).await?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedEvent {
    pub at: i64,
    pub event: String,
    pub success: bool,
}

/// Everything the portal holds about the signed-in citizen (PIPL Art. 45: a copy on request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountExport {
    pub exported_at: i64,
    pub name: String,
    pub id_number: String,
    pub email: String,
    pub phone: Option<String>,
    pub created_at: i64,
    pub email_verified_at: Option<i64>,
    pub real_name_verified_at: Option<i64>,
    pub account_events: Vec<ExportedEvent>,
    pub data_accesses: Vec<AccessRecord>,
}

/// The signed-in citizen's own data as a JSON download; the export is recorded.
#[server(name = ExportMyData, prefix = "/api", endpoint = "account/export", input = GetUrl)]
pub async fn export_my_data() -> Result<AccountExport, AppError> {
    use super::server::citizens;
    let ctx = crate::platform::AppContext::current()?;
    let citizen = super::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let row = citizens::by_id(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    let sealed = citizens::sealed_id_number(&ctx.db, citizen.id()).await?.unwrap_or_default();
    let (created_at, email_verified_at, real_name_verified_at) =
        citizens::timestamps(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    let now = ctx.clock.now();
    let request_id = crate::platform::request_id();
    let event = citizens::Event {
        at: now,
        citizen_id: Some(citizen.id()),
        event: "data_export",
        success: true,
        client_ip: "",
        request_id: &request_id,
    };
    citizens::record_event(&ctx.db, &event).await?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("attachment; filename=\"onestop-my-data.json\""),
        );
    }
    Ok(AccountExport {
        exported_at: now,
        name: row.name,
        id_number: ctx.secrets.cipher().decrypt(&sealed).unwrap_or_default(),
        email: row.email.unwrap_or_default(),
        phone: row.phone,
        created_at,
        email_verified_at,
        real_name_verified_at,
        account_events: citizens::events_of(&ctx.db, citizen.id())
            .await?
            .into_iter()
            .map(|(at, event, success)| ExportedEvent { at, event, success })
            .collect(),
        data_accesses: crate::sharing::server::audit::accesses_of(&ctx.db, &citizen.subject_ref, 10_000).await?,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub reference: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

/// The signed-in citizen's live sessions (references only, never session ids).
#[server(name = MySessions, prefix = "/api", endpoint = "account/sessions", input = GetUrl)]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    use crate::platform::sessions::{session_reference, sessions_of};
    // Everything from the request context is taken before the first await: a resource's
    // future may be polled after its component's owner has gone.
    let ctx = crate::platform::AppContext::current()?;
    let current =
        super::server::auth::request_session().and_then(|s| s.id()).map(|id| session_reference(&id.to_string()));
    let citizen = super::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let valid_after = super::server::citizens::by_id(&ctx.db, citizen.id())
        .await?
        .map(|r| r.sessions_valid_after)
        .unwrap_or_default();
    Ok(sessions_of(&ctx.db, "citizen", citizen.id(), valid_after)
        .await?
        .into_iter()
        .map(|s| SessionView {
            current: current.as_deref() == Some(s.reference.as_str()),
            reference: s.reference,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        })
        .collect())
}

/// The message for a field error code.
pub fn field_error_text(code: &str, t: &'static Messages) -> &'static str {
    match code {
        "required" => t.field_error_required,
        "name_invalid" => t.field_error_name_invalid,
        "email_invalid" => t.field_error_email_invalid,
        "phone_invalid" => t.field_error_phone_invalid,
        "id_length" => t.field_error_id_length,
        "id_character" => t.field_error_id_character,
        "id_birth_date" => t.field_error_id_birth_date,
        "id_checksum" => t.field_error_id_checksum,
        "email_taken" => t.field_error_email_taken,
        "phone_taken" => t.field_error_phone_taken,
        "password_too_short" => t.field_error_password_too_short,
        "password_too_long" => t.field_error_password_too_long,
        "password_weak" => t.field_error_password_weak,
        "totp_invalid" => t.field_error_totp_invalid,
        "current_password_wrong" => t.field_error_current_password_wrong,
        "credit_id_length" => t.field_error_credit_length,
        "credit_id_character" => t.field_error_credit_character,
        "credit_id_checksum" | "credit_id_birth_date" => t.field_error_credit_checksum,
        "entity_not_found" => t.field_error_entity_not_found,
        "username_invalid" => t.field_error_username_invalid,
        "username_taken" => t.field_error_username_taken,
        "department_required" => t.field_error_department_required,
        "not_legal_representative" => t.field_error_not_legal_representative,
        "entity_inactive" => t.field_error_entity_inactive,
        "staff_password_too_short" => t.field_error_staff_password_too_short,
        "password_reused" => t.field_error_password_reused,
        "unlock_code_format" => t.field_error_code_format,
        "unlock_code_invalid" => t.field_error_unlock_code_invalid,
        "email_code_invalid" => t.field_error_email_code_invalid,
        "department_unknown" => t.field_error_department_unknown,
        crate::error::FieldError::CONTROL_CHARACTERS => t.field_error_control_characters,
        _ => t.field_error_password_personal,
    }
}

/// The message for a whole-form problem key.
fn form_error_text(key: &str, t: &'static Messages) -> &'static str {
    match key {
        "login_failed" => t.login_failed,
        "login_throttled" => t.login_throttled,
        "register_throttled" => t.register_throttled,
        "token_invalid" => t.token_invalid,
        "real_name_mismatch" => t.real_name_mismatch,
        "real_name_not_found" => t.real_name_not_found,
        "real_name_unavailable" => t.real_name_unavailable,
        "setup_token_invalid" => t.setup_token_invalid,
        "entity_needs_real_name" => t.entity_needs_real_name,
        "staff_forbidden" => t.staff_forbidden,
        "staff_cannot_disable_self" => t.staff_cannot_disable_self,
        "entity_register_unavailable" => t.entity_register_unavailable,
        "reset_token_invalid" => t.reset_token_invalid,
        "staff_login_failed" => t.staff_login_failed,
        "reauth_needed" => t.reauth_needed,
        "code_recently_sent" => t.code_recently_sent,
        "item_not_found" => t.item_not_found,
        _ => t.error_generic,
    }
}

/// One field of a posted form: its label, what was typed and its error, wired for screen readers.
pub(crate) struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
}

pub(crate) fn form_fields(fields: Vec<Field>, form_id: &str) -> (Vec<FieldMessage>, impl IntoView) {
    let t = use_messages();
    let posted = use_posted_form();
    let summary: Vec<FieldMessage> = fields
        .iter()
        .filter_map(|f| {
            posted.error_code(f.name).map(|code| FieldMessage {
                field_id: format!("{form_id}-{}", f.name),
                text: field_error_text(code, t).to_owned(),
            })
        })
        .collect();
    let inputs = fields
        .into_iter()
        .map(|f| {
            let error = posted.error_code(f.name).map(|code| field_error_text(code, t).to_owned());
            // Passwords are never sent back.
            let value = if f.input_type == "password" { String::new() } else { posted.value(f.name) };
            view! {
                <TextField
                    id=format!("{form_id}-{}", f.name)
                    name=f.name
                    label=f.label
                    value=value
                    hint=f.hint.map(str::to_owned)
                    error=error
                    input_type=f.input_type
                    autocomplete=f.autocomplete
                />
            }
        })
        .collect_view();
    (summary, inputs)
}

pub(crate) fn form_problem() -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    // Answers restored after signing in again are news, not a fault.
    let restored =
        posted.restored.then(|| view! { <Notice kind=NoticeKind::Info><p>{t.kept_after_sign_in}</p></Notice> });
    let problem =
        posted.form_error.map(|key| view! { <Notice kind=NoticeKind::Error><p>{form_error_text(key, t)}</p></Notice> });
    (restored, problem)
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_messages();
    let fields = vec![
        Field {
            name: "name",
            label: t.field_name,
            hint: Some(t.field_name_hint),
            input_type: "text",
            autocomplete: "name",
        },
        Field {
            name: "id_number",
            label: t.field_id_number,
            hint: Some(t.field_id_number_hint),
            input_type: "text",
            autocomplete: "off",
        },
        Field {
            name: "email",
            label: t.field_email,
            hint: Some(t.field_email_hint),
            input_type: "email",
            autocomplete: "email",
        },
        Field {
            name: "phone",
            label: t.field_phone,
            hint: Some(t.field_phone_hint),
            input_type: "tel",
            autocomplete: "tel",
        },
        Field {
            name: "password",
            label: t.field_password,
            hint: Some(t.field_password_hint),
            input_type: "password",
            autocomplete: "new-password",
        },
    ];
    let (summary, inputs) = form_fields(fields, "register");
    // Every registration ends here, whether or not the details already had an account: what
    // happens next is said only in the mail, to the address's owner.
    let check_mail = use_query_map().with_untracked(|q| q.get("done")).as_deref() == Some("check_mail");
    if check_mail {
        return view! {
            <div class="container narrow">
                <PageHeading title=t.register_check_mail_title/>
                <Notice kind=NoticeKind::Success><p>{t.register_check_mail}</p></Notice>
                <p>{t.register_check_mail_next}" "<a href="/login">{t.login_title}</a></p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="container narrow">
            <PageHeading title=t.register_title lead=t.register_lead/>
            <ErrorSummary errors=summary/>
            {form_problem()}
            <form method="post" action="/register" class="stack" novalidate>
                {inputs}
                <button type="submit" class="button">{t.register_button}</button>
            </form>
            <p>{t.register_have_account}" "<a href="/login">{t.login_title}</a></p>
        </div>
    }
    .into_any()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_messages();
    let query = use_query_map();
    let expired = query.with_untracked(|q| q.get("expired").is_some());
    let done = query.with_untracked(|q| q.get("done")).and_then(|d| done_text(&d, t));
    let fields = vec![
        Field {
            name: "identifier",
            label: t.field_identifier,
            hint: None,
            input_type: "text",
            autocomplete: "username",
        },
        Field {
            name: "password",
            label: t.field_password,
            hint: None,
            input_type: "password",
            autocomplete: "current-password",
        },
    ];
    let (summary, inputs) = form_fields(fields, "login");
    // The form posts to this same URL, so `next` travels with it.
    let action = current_path();
    view! {
        <div class="container narrow">
            <PageHeading title=t.login_title lead=t.login_lead/>
            {expired.then(|| view! {
                <Notice kind=NoticeKind::Warning><p>{t.session_expired}</p><p>{t.session_expired_kept}</p></Notice>
            })}
            {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
            <ErrorSummary errors=summary/>
            {form_problem()}
            <form method="post" action=action class="stack" novalidate>
                {inputs}
                <button type="submit" class="button">{t.login_button}</button>
            </form>
            <p><a href="/password-reset">{t.login_forgot}</a></p>
            <p><a href="/login/unlock">{t.login_locked}</a></p>
            <p>{t.login_no_account}" "<a href="/register">{t.login_register_link}</a></p>
        </div>
    }
}

#[component]
pub fn PasswordResetPage() -> impl IntoView {
    let t = use_messages();
    let done = use_query_map().with_untracked(|q| q.get("done")).and_then(|d| done_text(&d, t));
    let fields =
        vec![Field { name: "email", label: t.field_email, hint: None, input_type: "email", autocomplete: "email" }];
    let (summary, inputs) = form_fields(fields, "reset");
    view! {
        <div class="container narrow">
            <PageHeading title=t.reset_title lead=t.reset_lead/>
            {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
            <ErrorSummary errors=summary/>
            <form method="post" action="/password-reset" class="stack" novalidate>
                {inputs}
                <button type="submit" class="button">{t.reset_button}</button>
            </form>
        </div>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let t = use_messages();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_else(|| use_posted_form().value("token"));
    let fields = vec![Field {
        name: "password",
        label: t.field_password,
        hint: Some(t.field_password_hint),
        input_type: "password",
        autocomplete: "new-password",
    }];
    let (summary, inputs) = form_fields(fields, "new-password");
    view! {
        <div class="container narrow">
            <PageHeading title=t.new_password_title lead=t.new_password_lead/>
            <ErrorSummary errors=summary/>
            {form_problem()}
            <form method="post" action="/password-reset/new" class="stack" novalidate>
                <input type="hidden" name="token" value=token/>
                {inputs}
                <button type="submit" class="button">{t.new_password_button}</button>
            </form>
        </div>
    }
}

pub(crate) fn done_text(key: &str, t: &'static Messages) -> Option<&'static str> {
    match key {
        "email_verified" => Some(t.done_email_verified),
        "real_name_verified" => Some(t.done_real_name_verified),
        "mail_sent" => Some(t.done_mail_sent),
        "setup" => Some(t.done_setup),
        "password_reset" => Some(t.done_password_reset),
        "password_changed" => Some(t.done_password_changed),
        "signed_out_everywhere" => Some(t.done_signed_out_everywhere),
        "account_cancelled" => Some(t.done_account_cancelled),
        "entity_linked" => Some(t.done_entity_linked),
        "session_revoked" => Some(t.done_session_revoked),
        "staff_disabled" => Some(t.done_staff_disabled),
        "unlocked" => Some(t.done_unlocked),
        "email_changed" => Some(t.done_email_changed),
        "phone_changed" => Some(t.done_phone_changed),
        "sent" => Some(t.reset_sent),
        _ => None,
    }
}

/// The account overview: who is signed in, what is still to do (confirm the email address,
/// verify the real name), and one card per section of the account. Each section is a page of
/// its own, short enough to read on a phone, reached in one tap.
#[component]
pub fn AccountPage() -> impl IntoView {
    let t = use_messages();
    view! {
        <AccountSectionPage title=t.account_title path="/account" lead=t.account_overview_lead back=false body=|account: AccountView| view! { <AccountOverview account/> }/>
    }
}

#[component]
pub fn AccountProfilePage() -> impl IntoView {
    let t = use_messages();
    view! {
        <AccountSectionPage title=t.account_section_profile path="/account/profile" body=|account: AccountView| view! { <AccountDetails account/> }/>
    }
}

#[component]
pub fn AccountSecurityPage() -> impl IntoView {
    let t = use_messages();
    view! {
        <AccountSectionPage title=t.account_security path="/account/security" body=|_: AccountView| view! { <AccountSecurity/><Sessions/> }/>
    }
}

#[component]
pub fn AccountBusinessPage() -> impl IntoView {
    let t = use_messages();
    view! {
        <AccountSectionPage title=t.account_entities_title path="/account/business" lead=t.account_entities_lead body=|account: AccountView| view! { <Businesses verified=account.real_name_verified entities=account.entities/> }/>
    }
}

#[component]
pub fn AccountDataPage() -> impl IntoView {
    let t = use_messages();
    view! {
        <AccountSectionPage title=t.account_section_data path="/account/data" body=|_: AccountView| view! { <AccountData/> }/>
    }
}

/// What every account page shares: heading, the outcome of the last form (`?done=` or a
/// problem), the signed-in check (401 and a sign-in link that returns here), the idle-timeout
/// island, and for sections a way back to the overview.
#[component]
fn AccountSectionPage<F, V>(
    title: &'static str,
    /// This page's path, where signing in returns to.
    path: &'static str,
    #[prop(optional)] lead: Option<&'static str>,
    #[prop(default = true)] back: bool,
    /// The page's content for the signed-in citizen.
    body: F,
) -> impl IntoView
where
    F: Fn(AccountView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let t = use_messages();
    let done = use_query_map().with_untracked(|q| q.get("done")).and_then(|d| done_text(&d, t));
    let account = Resource::new(|| (), |_| my_account());
    view! {
        <div class="container account">
            {back.then(|| view! { <p class="back-link"><a href="/account">{t.back_to_account}</a></p> })}
            {match lead {
                Some(lead) => view! { <PageHeading title=title lead=lead/> }.into_any(),
                None => view! { <PageHeading title=title/> }.into_any(),
            }}
            {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
            {form_problem()}
            {when_ready(move || {
                let body = body.clone();
                async move {
                    match account.await {
                        Ok(a) => view! { {body(a)}<crate::accounts::SessionKeeper staff=false/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <SignInNeeded next=path/> }.into_any(),
                        Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn AccountOverview(account: AccountView) -> impl IntoView {
    let t = use_messages();
    let entities = account.entities.len();
    let sections = [
        ("/account/profile", t.account_section_profile, t.account_section_profile_text),
        ("/account/security", t.account_security, t.account_section_security_text),
        ("/account/business", t.account_entities_title, t.account_section_business_text),
        ("/account/data", t.account_section_data, t.account_section_data_text),
    ];
    view! {
        <section aria-labelledby="status-title">
            <h2 id="status-title">{t.account_status_title}</h2>
            <dl class="facts">
                <IdentityFacts account=account.clone()/>
                <div>
                    <dt>{t.account_real_name}</dt>
                    <dd>{if account.real_name_verified { t.account_real_name_done } else { t.account_real_name_todo }}</dd>
                </div>
                {(entities > 0).then(|| view! {
                    <div><dt>{t.account_entities_linked}</dt><dd>{fill(t.account_entities_count, &[&entities.to_string()])}</dd></div>
                })}
            </dl>
            {(!account.email_verified).then(|| view! {
                <form method="post" action="/account/resend-confirmation">
                    <button type="submit" class="button button--secondary">{t.account_resend}</button>
                </form>
            })}
            {(!account.real_name_verified).then(|| view! {
                <form method="post" action="/account/real-name">
                    <button type="submit" class="button">{t.account_real_name_button}</button>
                </form>
            })}
        </section>
        <section aria-labelledby="sections-title">
            <h2 id="sections-title">{t.account_sections_title}</h2>
            <ul class="card-grid card-grid--two">
                {sections
                    .into_iter()
                    .map(|(href, title, text)| view! {
                        <li class="card">
                            <a class="card__link" href=href>{title}</a>
                            <p class="card__text">{text}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
        <form method="post" action="/logout">
            <button type="submit" class="button button--secondary">{t.logout_button}</button>
        </form>
    }
}

/// Name, masked ID number, and the email address with whether it is confirmed: the facts the
/// overview and the details page both start with (inside a `<dl>`).
#[component]
fn IdentityFacts(account: AccountView) -> impl IntoView {
    let t = use_messages();
    let confirmed = if account.email_verified { t.account_email_verified } else { t.account_email_unverified };
    view! {
        <div><dt>{t.field_name}</dt><dd>{account.name}</dd></div>
        <div><dt>{t.field_id_number}</dt><dd>{account.id_number_masked}</dd></div>
        <div><dt>{t.field_email}</dt><dd><span class="long-text">{account.email}</span>" ("{confirmed}")"</dd></div>
    }
}

#[component]
fn AccountDetails(account: AccountView) -> impl IntoView {
    let t = use_messages();
    view! {
        <dl class="facts">
            <IdentityFacts account=account.clone()/>
            <div>
                <dt>{t.field_phone}</dt>
                <dd>{account.phone_masked.clone().unwrap_or_else(|| t.account_not_provided.to_owned())}</dd>
            </div>
        </dl>
        <p><a href="/account/contact">{t.account_contact_link}</a></p>
    }
}

/// Change of password (the current one is needed).
#[component]
fn AccountSecurity() -> impl IntoView {
    let t = use_messages();
    let fields = vec![
        Field {
            name: "current_password",
            label: t.field_current_password,
            hint: None,
            input_type: "password",
            autocomplete: "current-password",
        },
        Field {
            name: "new_password",
            label: t.field_new_password,
            hint: Some(t.field_password_hint),
            input_type: "password",
            autocomplete: "new-password",
        },
    ];
    let (summary, inputs) = form_fields(fields, "change");
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">{t.account_password_title}</h2>
            <ErrorSummary errors=summary/>
            <form method="post" action="/account/password" class="stack narrow" novalidate>
                {inputs}
                <button type="submit" class="button">{t.change_password_button}</button>
            </form>
        </section>
    }
}

/// Businesses the citizen acts for, and linking another (after real-name verification).
#[component]
fn Businesses(verified: bool, entities: Vec<(String, String)>) -> impl IntoView {
    let t = use_messages();
    let fields = vec![Field {
        name: "credit_code",
        label: t.field_credit_code,
        hint: Some(t.field_credit_code_hint),
        input_type: "text",
        autocomplete: "off",
    }];
    let (summary, inputs) = form_fields(fields, "entity");
    view! {
        {(!entities.is_empty()).then(|| view! {
            <section aria-labelledby="entities-title">
                <h2 id="entities-title">{t.account_entities_linked}</h2>
                <ul>
                    {entities.into_iter().map(|(code, name)| view! { <li>{name}" "<code class="long-text">{code}</code></li> }).collect_view()}
                </ul>
            </section>
        })}
        {if verified {
            view! {
                <ErrorSummary errors=summary/>
                <form method="post" action="/account/entities" class="stack narrow" novalidate>
                    {inputs}
                    <button type="submit" class="button">{t.link_entity_button}</button>
                </form>
            }
            .into_any()
        } else {
            view! { <p>{t.account_entities_need_real_name}</p> }.into_any()
        }}
    }
}

/// Where the citizen is signed in, with a way to end any other sign-in or all of them.
#[component]
fn Sessions() -> impl IntoView {
    let t = use_messages();
    let sessions = Resource::new(|| (), |_| my_sessions());
    view! {
        <section aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t.sessions_title}</h2>
            {when_ready(move || async move {
                let list = sessions.await.unwrap_or_default();
                view! {
                    <DataTable
                        caption=t.sessions_caption
                        headers=vec![t.sessions_col_started, t.sessions_col_last_used, t.staff_col_action]
                        rows=list
                            .into_iter()
                            .map(|s| {
                                let action = if s.current {
                                    view! { <strong>{t.sessions_this_device}</strong> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action="/account/sessions/revoke">
                                            <input type="hidden" name="reference" value=s.reference.clone()/>
                                            <button type="submit" class="button button--secondary">{t.sessions_revoke}</button>
                                        </form>
                                    }
                                    .into_any()
                                };
                                row([
                                    cell(format_beijing_time(s.created_at)),
                                    cell(format_beijing_time(s.last_seen_at)),
                                    cell(action),
                                ])
                            })
                            .collect()
                    />
                }
            })}
            <p>{t.sign_out_everywhere_hint}</p>
            <form method="post" action="/account/sign-out-everywhere">
                <button type="submit" class="button button--secondary">{t.sign_out_everywhere_button}</button>
            </form>
        </section>
    }
}

/// Who used one's data, a copy of it, and closing the account.
#[component]
fn AccountData() -> impl IntoView {
    let t = use_messages();
    let fields = vec![Field {
        name: "cancel_password",
        label: t.field_cancel_password,
        hint: None,
        input_type: "password",
        autocomplete: "current-password",
    }];
    let (summary, inputs) = form_fields(fields, "cancel");
    view! {
        <section aria-labelledby="data-access-title">
            <h2 id="data-access-title">{t.data_access_title}</h2>
            <p><a href="/account/data-access">{t.account_data_access_link}</a></p>
        </section>
        <section aria-labelledby="export-title">
            <h2 id="export-title">{t.account_export_title}</h2>
            <p>{t.account_export_lead}</p>
            <p><a href="/api/account/export" download="onestop-my-data.json">{t.account_export_link}</a></p>
        </section>
        <section aria-labelledby="cancel-title">
            <h2 id="cancel-title">{t.account_cancel_title}</h2>
            <p>{t.account_cancel_warning}</p>
            <ErrorSummary errors=summary/>
            <form method="post" action="/account/cancel" class="stack narrow" novalidate>
                {inputs}
                <button type="submit" class="button button--secondary">{t.account_cancel_button}</button>
            </form>
        </section>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let t = use_messages();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_else(|| use_posted_form().value("token"));
    view! {
        <div class="container narrow">
            <PageHeading title=t.verify_email_title lead=t.verify_email_lead/>
            {form_problem()}
            <form method="post" action="/account/verify-email">
                <input type="hidden" name="token" value=token/>
                <button type="submit" class="button">{t.verify_email_button}</button>
            </form>
        </div>
    }
}

#[component]
pub fn DataAccessPage() -> impl IntoView {
    let t = use_messages();
    let records = Resource::new(|| (), |_| my_data_access());
    view! {
        <div class="container">
            <PageHeading title=t.data_access_title lead=t.data_access_lead/>
            {when_ready(move || async move {
                match records.await {
                    Ok(list) if list.is_empty() => {
                        view! { <Notice kind=NoticeKind::Info><p>{t.data_access_empty}</p></Notice> }.into_any()
                    }
                    Ok(list) => view! { <AccessTable records=list/><crate::accounts::SessionKeeper staff=false/> }.into_any(),
                    Err(AppError::Unauthenticated) => {
                        view! { <SignInNeeded next="/account/data-access"/> }.into_any()
                    }
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
            <p><a href="/account/data">{t.account_section_data}</a></p>
        </div>
    }
}

#[component]
fn AccessTable(records: Vec<AccessRecord>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    view! {
        <DataTable
            caption=t.data_access_caption
            headers=vec![
                t.data_access_col_time,
                t.data_access_col_resource,
                t.data_access_col_purpose,
                t.data_access_col_basis,
                t.data_access_col_fields,
                t.data_access_col_outcome,
            ]
            rows=records
                .into_iter()
                .map(|r| {
                    let basis = match r.basis.as_str() {
                        "statutory" => t.basis_statutory,
                        "consent" => t.basis_consent,
                        "open" => t.basis_open,
                        _ => "",
                    };
                    let outcome = match r.outcome.as_str() {
                        "ok" | "not_found" => t.outcome_ok,
                        o if o.starts_with("refused") => t.outcome_refused,
                        _ => t.outcome_failed,
                    };
                    row([
                        cell(format_beijing_time(r.at)),
                        cell(view! { {r.resource_name.get(locale).to_owned()}<br/>{r.provider_name.get(locale).to_owned()} }),
                        cell(r.purpose.get(locale).to_owned()),
                        cell(basis),
                        cell(locale.join_list(&r.fields.iter().map(|f| f.get(locale)).collect::<Vec<_>>())),
                        cell(outcome),
                    ])
                })
                .collect()
        />
    }
}
