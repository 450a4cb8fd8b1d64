//! The staff console for service items: list, create and edit (the whole version as a TOML
//! document, checked before it is saved), preview without saving, publish and unpublish. System
//! administrators edit every item; a supervisor edits their department's items (a city-wide
//! supervisor every item). Every save and publication is logged with who did it.

#[cfg(feature = "ssr")]
use super::model::ItemContent;
use super::pages::{GuideView, StaffGuidePreview};
use crate::accounts::StaffAccessNotice;
use crate::error::AppError;
use crate::i18n::{fill, use_messages, Messages};
use crate::ui::when_ready;
use crate::ui::{
    cell, row, use_posted_form, DataTable, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, TextArea,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A row of the staff list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItemRow {
    pub code: String,
    pub name: String,
    pub latest_version: i64,
    pub published_version: Option<i64>,
    pub department: String,
    pub editable: bool,
}

#[cfg(feature = "ssr")]
pub(crate) mod access {
    use crate::accounts::server::auth::{self, StaffPrincipal};
    use crate::accounts::{CaseScope, StaffRole};
    use crate::error::AppError;

    /// Who may change items of `department`: system administrators, and supervisors whose scope
    /// covers it.
    pub fn may_edit(staff: &StaffPrincipal, department: &str) -> bool {
        match staff.role {
            StaffRole::SystemAdmin => true,
            StaffRole::Supervisor => match staff.case_scope() {
                Some(CaseScope::City) => true,
                Some(CaseScope::Department(d)) => d == department,
                None => false,
            },
            _ => false,
        }
    }

    /// Staff who work with the catalogue (clerks may read it; security and audit administrators
    /// have no business here).
    pub async fn catalogue_staff() -> Result<StaffPrincipal, AppError> {
        auth::staff_with_role(&[StaffRole::SystemAdmin, StaffRole::Supervisor, StaffRole::WindowClerk]).await
    }
}

#[server(name = StaffServiceItems, prefix = "/api", endpoint = "staff/services", input = GetUrl)]
pub async fn staff_service_items() -> Result<Vec<StaffItemRow>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let staff = access::catalogue_staff().await.map_err(crate::platform::fail)?;
    Ok(super::server::db::all_items(&ctx.db)
        .await?
        .into_iter()
        .map(|(code, name, latest_version, published_version, department)| StaffItemRow {
            editable: access::may_edit(&staff, &department),
            code,
            name,
            latest_version,
            published_version,
            department,
        })
        .collect())
}

/// The latest version of an item as the TOML the editor shows, or a template for a new item.
#[server(name = StaffServiceDraft, prefix = "/api", endpoint = "staff/services/draft", input = GetUrl)]
pub async fn staff_service_draft(code: Option<String>) -> Result<(String, i64), AppError> {
    let staff = access::catalogue_staff().await.map_err(crate::platform::fail)?;
    if staff.role == crate::accounts::StaffRole::WindowClerk {
        return Err(crate::platform::fail(AppError::Forbidden));
    }
    let ctx = crate::platform::AppContext::current()?;
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return Ok((NEW_ITEM_TEMPLATE.to_owned(), 0));
    };
    let latest = super::server::db::latest(&ctx.db, &code).await?.ok_or(AppError::NotFound)?;
    let content: ItemContent = serde_json::from_str(&latest.content).map_err(|e| AppError::internal(&e))?;
    if !access::may_edit(&staff, &content.department) {
        return Err(crate::platform::fail(AppError::Forbidden));
    }
    let text = toml::to_string_pretty(&content).map_err(|e| AppError::internal(&e))?;
    Ok((text, latest.version))
}

/// What a new item starts from: every required field, to be filled in.
pub const NEW_ITEM_TEMPLATE: &str = include_str!("new_item_template.toml");

/// The message for a problem code of an item.
pub fn problem_text(code: &str, t: &'static Messages) -> &'static str {
    match code {
        "toml_invalid" => t.item_problem_toml,
        "item_code_invalid" => t.item_problem_code,
        "item_name_invalid" => t.item_problem_name,
        "department_unknown" => t.field_error_department_unknown,
        "department_not_yours" => t.item_problem_department_not_yours,
        "topic_unknown" | "life_event_unknown" => t.item_problem_category,
        "limit_units_differ" => t.item_problem_units,
        "promised_exceeds_statutory" => t.item_problem_promised,
        "immediate_promises_days" => t.item_problem_immediate,
        "promised_needs_days" => t.item_problem_promised_days,
        "limit_too_long" => t.item_problem_limit_long,
        "online_depth_invalid" => t.item_problem_depth,
        "online_channel_missing" => t.item_problem_online_channel,
        "identifier_invalid_or_repeated" => t.item_problem_identifier,
        "file_without_material" => t.item_problem_file_material,
        "material_unknown" => t.item_problem_material_unknown,
        "material_on_non_file" => t.item_problem_material_on_non_file,
        "choice_options_invalid" | "options_on_non_choice" => t.item_problem_options,
        "prefill_not_allowed" => t.item_problem_prefill_kind,
        "prefill_not_granted" => t.item_problem_prefill,
        "condition_invalid" => t.item_problem_condition,
        "range_invalid" => t.item_problem_range,
        "group_invalid" => t.item_problem_group,
        "calendar_day_invalid" => t.calendar_problem_day,
        "calendar_workday_on_weekday" => t.calendar_problem_workday,
        crate::error::FieldError::CONTROL_CHARACTERS => t.field_error_control_characters,
        _ => t.field_error_required,
    }
}

#[component]
pub fn StaffServicesPage() -> impl IntoView {
    let t = use_messages();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let rows = Resource::new(|| (), |_| staff_service_items());
    view! {
        <div class="container">
            <PageHeading title=t.staff_services_title lead=t.staff_services_lead/>
            {done.map(|d| {
                let text = match d.as_str() {
                    "published" => t.done_item_published,
                    "unpublished" => t.done_item_unpublished,
                    _ => t.done_item_saved,
                };
                view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> }
            })}
            {crate::accounts::form_problem_notice()}
            {when_ready(move || async move {
                match rows.await {
                    Ok(rows) => view! { <ItemTable rows/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn ItemTable(rows: Vec<StaffItemRow>) -> impl IntoView {
    let t = use_messages();
    let any_editable = rows.iter().any(|r| r.editable);
    view! {
        {any_editable.then(|| view! { <p><a class="button" href="/staff/services/edit">{t.staff_services_new}</a></p> })}
        <DataTable
            caption=t.staff_services_title
            headers=vec![t.staff_services_col_code, t.staff_services_col_name, t.staff_col_department, t.staff_services_col_versions, t.staff_col_action]
            row_header=1
            rows=rows.into_iter().map(|r| {
                let versions = match r.published_version {
                    Some(p) => fill(t.staff_services_versions, &[&r.latest_version.to_string(), &p.to_string()]),
                    None => fill(t.staff_services_versions_unpublished, &[&r.latest_version.to_string()]),
                };
                let can_publish = r.editable && r.published_version != Some(r.latest_version);
                let can_unpublish = r.editable && r.published_version.is_some();
                let name = r.name.clone();
                row([
                    cell(view! { <code>{r.code.clone()}</code> }),
                    cell(match r.published_version {
                        Some(_) => view! { <a href=format!("/services/{}", r.code)>{r.name.clone()}</a> }.into_any(),
                        None => view! { <span>{r.name.clone()}</span> }.into_any(),
                    }),
                    cell(r.department.clone()),
                    cell(versions),
                    cell(view! {
                            {r.editable.then(|| view! {
                                <a href=format!("/staff/services/edit?code={}", r.code) aria-label=format!("{} {}", t.staff_services_edit, name)>{t.staff_services_edit}</a>
                            })}
                            {can_publish.then(|| view! {
                                <form method="post" action="/staff/services/publish">
                                    <input type="hidden" name="code" value=r.code.clone()/>
                                    <input type="hidden" name="version" value=r.latest_version.to_string()/>
                                    <button type="submit" class="button button--secondary" aria-label=format!("{} {}", t.staff_services_publish, r.name)>{fill(t.staff_services_publish_version, &[&r.latest_version.to_string()])}</button>
                                </form>
                            })}
                            {can_unpublish.then(|| view! {
                                <form method="post" action="/staff/services/unpublish">
                                    <input type="hidden" name="code" value=r.code.clone()/>
                                    <button type="submit" class="button button--secondary" aria-label=format!("{} {}", t.staff_services_unpublish, r.name)>{t.staff_services_unpublish}</button>
                                </form>
                            })}
                    })
                    .class("actions"),
                ])
            }).collect()
        />
    }
}

/// `/staff/services/edit[?code=…]`: the editor. After a preview or a refused save the page shows
/// what was posted, the problems next to the document and, for a preview, the guide as citizens
/// would see it.
#[component]
pub fn StaffServiceEditPage() -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    let code = use_query_map().with_untracked(|q| q.get("code"));
    let draft = Resource::new(move || code.clone(), staff_service_draft);
    view! {
        <div class="container">
            <PageHeading title=t.staff_services_edit_title lead=t.staff_services_edit_lead/>
            {crate::accounts::form_problem_notice()}
            {when_ready(move || {
                let posted = posted.clone();
                async move {
                    match draft.await {
                        Ok((text, version)) => {
                            let text = if posted.values.contains_key("content") { posted.value("content") } else { text };
                            view! { <ItemEditor text version/><crate::accounts::SessionKeeper staff=true/> }.into_any()
                        }
                        Err(AppError::NotFound) => {
                            crate::error::set_status(404);
                            view! { <Notice kind=NoticeKind::Error><p>{t.item_not_found}</p></Notice> }.into_any()
                        }
                        Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn ItemEditor(text: String, version: i64) -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    let parse_error = posted.extra("parse_error").filter(|e| !e.is_empty());
    // Problems inside the document name their place in it; the parse error comes with the
    // parser's own words instead, and a refusal at the input boundary is about the whole box.
    let problems: Vec<(String, String)> = posted
        .errors
        .iter()
        .filter(|e| !(e.field == "content" && e.code == "toml_invalid"))
        .map(|e| (e.field.clone(), problem_text(&e.code, t).to_owned()))
        .collect();
    let mut summary: Vec<FieldMessage> = problems
        .iter()
        .map(|(path, text)| {
            let text = if path == "content" { text.clone() } else { format!("{path}：{text}") };
            FieldMessage { field_id: "item-content".into(), text }
        })
        .collect();
    if let Some(e) = &parse_error {
        summary
            .insert(0, FieldMessage { field_id: "item-content".into(), text: format!("{}{e}", t.item_problem_toml) });
    }
    // Rendered on the server only (this is not an island).
    #[cfg(feature = "ssr")]
    let preview: Option<GuideView> =
        posted.extra("preview_json").and_then(|json| serde_json::from_str::<GuideView>(json).ok());
    #[cfg(not(feature = "ssr"))]
    let preview: Option<GuideView> = None;
    view! {
        <ErrorSummary errors=summary.clone()/>
        {(version > 0).then(|| view! { <p>{fill(t.staff_services_editing_version, &[&version.to_string()])}</p> })}
        <form method="post" action="/staff/services/edit" class="stack" novalidate>
            <TextArea
                id="item-content"
                name="content"
                label=t.staff_services_content_label
                hint=Some(t.staff_services_content_hint.to_owned())
                value=text
                errors=summary.into_iter().map(|m| m.text).collect()
                rows=30
                code=true
            />
            <div class="button-row">
                <button type="submit" name="action" value="preview" class="button button--secondary">{t.staff_services_preview}</button>
                <button type="submit" name="action" value="save" class="button">{t.staff_services_save}</button>
            </div>
        </form>
        {preview.map(|guide| view! {
            <section class="preview" aria-labelledby="preview-title">
                <h2 id="preview-title">{t.staff_services_preview_title}</h2>
                <StaffGuidePreview guide/>
            </section>
        })}
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{publish, save_item, unpublish};

#[cfg(feature = "ssr")]
mod handlers {
    use super::access;
    use crate::accounts::server::auth::StaffPrincipal;
    use crate::catalogue::model::ItemContent;
    use crate::catalogue::pages::GuideView;
    use crate::catalogue::server::{self, db, SaveError};
    use crate::error::FieldError;
    use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

    async fn editor(req: &FormRequest) -> Result<StaffPrincipal, FormOutcome> {
        use crate::accounts::StaffRole;
        crate::accounts::staff_forms::staff_with_role(req, &[StaffRole::SystemAdmin, StaffRole::Supervisor]).await
    }

    /// Previews or saves the posted TOML as the item's next version.
    pub fn save_item(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let staff = or_return!(editor(&req).await);
            let content = req.field("content");
            let item: ItemContent = match toml::from_str(&content) {
                Ok(item) => item,
                Err(err) => {
                    // The parser's own words (line, column, what it expected) help the editor.
                    let detail = err.message().to_owned() + &location(&content, err.span());
                    let errors = vec![FieldError::new("content", "toml_invalid")];
                    return req.render_with(400, errors, [("parse_error", detail)]);
                }
            };
            if !access::may_edit(&staff, &item.department) {
                let errors = vec![FieldError::new("department", "department_not_yours")];
                return req.rerender(403, errors, None);
            }
            if let Ok(Some(existing)) = db::latest(&req.ctx.db, &item.code).await {
                let department = serde_json::from_str::<ItemContent>(&existing.content).map(|c| c.department);
                if department.is_ok_and(|d| !access::may_edit(&staff, &d)) {
                    return req.rerender(403, vec![FieldError::new("code", "department_not_yours")], None);
                }
            }
            let problems = match server::check(&req.ctx.db, &item).await {
                Ok(p) => p,
                Err(err) => return req.failed_because(&err),
            };
            if !problems.is_empty() {
                let errors = problems.into_iter().map(|p| FieldError::new(&p.path, p.code)).collect();
                return req.rerender(400, errors, None);
            }
            if req.field("action") == "preview" {
                let departments = crate::departments::server::db::list(&req.ctx.db).await.unwrap_or_default();
                let department =
                    departments.into_iter().find(|d| d.code == item.department).map(|d| d.name).unwrap_or_default();
                let guide = GuideView { content: std::sync::Arc::new(item), version: 0, department };
                return req.show_with([("preview_json", serde_json::to_string(&guide).unwrap_or_default())]);
            }
            match server::save(&req.ctx.db, &item, Some(staff.id()), &req.request_id, req.ctx.clock.now()).await {
                Ok(_) => FormOutcome::Redirect("/staff/services?done=saved".into()),
                Err(SaveError::Invalid(problems)) => {
                    let errors = problems.into_iter().map(|p| FieldError::new(&p.path, p.code)).collect();
                    req.rerender(400, errors, None)
                }
                Err(SaveError::Database(err)) => req.failed_because(&err),
            }
        })
    }

    /// " (line L, column C)" for a parser error's position.
    fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
        let Some(span) = span else { return String::new() };
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!(" ({line}:{column})")
    }

    async fn set(req: &FormRequest, version: Option<i64>) -> FormOutcome {
        let staff = or_return!(editor(req).await);
        let code = req.field("code");
        let Ok(Some(latest)) = db::latest(&req.ctx.db, &code).await else {
            return req.rerender(404, Vec::new(), Some("item_not_found"));
        };
        let department = serde_json::from_str::<ItemContent>(&latest.content).map(|c| c.department).unwrap_or_default();
        if !access::may_edit(&staff, &department) {
            return req.rerender(403, Vec::new(), Some("staff_forbidden"));
        }
        let now = req.ctx.clock.now();
        match db::set_published(&req.ctx.db, latest.item_id, version, Some(staff.id()), &req.request_id, now).await {
            Ok(true) => FormOutcome::Redirect(
                format!("/staff/services?done={}", if version.is_some() { "published" } else { "unpublished" }).into(),
            ),
            Ok(false) => req.rerender(404, Vec::new(), Some("item_not_found")),
            Err(err) => req.failed_because(&err),
        }
    }

    /// Publishes one saved version (citizens see it from now on; the earlier one stays stored).
    pub fn publish(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let Ok(version) = req.field("version").parse::<i64>() else {
                return req.rerender(400, Vec::new(), Some("item_not_found"));
            };
            set(&req, Some(version)).await
        })
    }

    /// Withdraws an item from the catalogue (its versions stay stored).
    pub fn unpublish(req: FormRequest) -> FormFuture {
        Box::pin(async move { set(&req, None).await })
    }
}
