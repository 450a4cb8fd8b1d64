//! `/staff/case-audit`: audit administrators (三员分立: neither clerks nor supervisors) search the
//! case audit by period, department, action, application number and staff member, page through
//! it and export what they found; the export is itself written to the staff security log.

use super::text::{use_text, Text};
use crate::error::AppError;
use crate::i18n::{fill, format_beijing_time, use_locale};
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, Notice, NoticeKind, PageHeading, SelectField, TextField};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub at: i64,
    pub username: String,
    pub display_name: String,
    pub staff_role: String,
    pub department_code: String,
    pub action: String,
    pub outcome: String,
    pub detail: String,
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSearch {
    pub entries: Vec<AuditEntryView>,
    pub more: bool,
    /// (code, name) of every department, for the filter.
    pub departments: Vec<(String, crate::site::Bilingual)>,
    /// Fields whose value could not be used (the default was): (field, message code).
    pub problems: Vec<(String, String)>,
}

/// Rows per page.
#[cfg(feature = "ssr")]
const PAGE_ROWS: i64 = 50;
/// Without dates: the last 30 days.
#[cfg(feature = "ssr")]
const DEFAULT_DAYS: i64 = 30;
/// The most rows one export carries.
#[cfg(feature = "ssr")]
const EXPORT_ROWS: i64 = 100_000;

/// The query the filters describe, and the filters that could not be read.
#[cfg(feature = "ssr")]
struct Filters {
    from: i64,
    until: i64,
    department: Option<String>,
    action: Option<String>,
    number: Option<String>,
    staff: Option<String>,
    problems: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
impl Filters {
    fn read(
        now: i64,
        from: Option<String>,
        until: Option<String>,
        department: Option<String>,
        action: Option<String>,
        number: Option<String>,
        staff: Option<String>,
    ) -> Filters {
        let given = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut problems = Vec::new();
        let mut day_start = |field: &str, value: Option<String>| {
            let value = given(value)?;
            let parsed = time::Date::parse(&value, time::macros::format_description!("[year]-[month]-[day]")).ok();
            if parsed.is_none() {
                problems.push((field.to_owned(), "date".to_owned()));
            }
            // Days are Beijing days.
            parsed.map(|d| d.midnight().assume_utc().unix_timestamp() - 8 * 3600)
        };
        let from_day = day_start("from", from);
        let until_day = day_start("until", until);
        let until = until_day.map_or(now + 1, |d| d + 86_400);
        let mut from = from_day.unwrap_or(until - DEFAULT_DAYS * 86_400);
        if from >= until {
            problems.push(("until".to_owned(), "period".to_owned()));
            from = until - DEFAULT_DAYS * 86_400;
        }
        Filters {
            from,
            until,
            department: given(department),
            action: given(action),
            number: given(number),
            staff: given(staff),
            problems,
        }
    }

    fn query(&self) -> super::server::db::AuditQuery<'_> {
        super::server::db::AuditQuery {
            from: self.from,
            until: self.until,
            department_code: self.department.as_deref(),
            action: self.action.as_deref(),
            number: self.number.as_deref(),
            staff: self.staff.as_deref(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<super::server::db::AuditRow> for AuditEntryView {
    fn from(r: super::server::db::AuditRow) -> AuditEntryView {
        AuditEntryView {
            at: r.at,
            username: r.username,
            display_name: r.display_name,
            staff_role: r.staff_role,
            department_code: r.department_code,
            action: r.action,
            outcome: r.outcome,
            detail: r.detail,
            number: r.number,
        }
    }
}

#[server(name = CaseAuditSearch, prefix = "/api", endpoint = "staff/case-audit", input = GetUrl)]
pub async fn case_audit_search(
    from: Option<String>,
    until: Option<String>,
    department: Option<String>,
    action: Option<String>,
    number: Option<String>,
    staff: Option<String>,
    page: Option<u32>,
) -> Result<AuditSearch, AppError> {
    use crate::accounts::StaffRole;
    let ctx = crate::platform::AppContext::current()?;
    crate::accounts::server::auth::staff_with_role(&[StaffRole::AuditAdmin]).await.map_err(crate::platform::fail)?;
    let filters = Filters::read(ctx.clock.now(), from, until, department, action, number, staff);
    let offset = i64::from(page.unwrap_or(1).max(1) - 1) * PAGE_ROWS;
    let mut rows = super::server::db::search_audit(&ctx.db, &filters.query(), PAGE_ROWS + 1, offset).await?;
    let more = rows.len() as i64 > PAGE_ROWS;
    rows.truncate(PAGE_ROWS as usize);
    let departments =
        crate::departments::server::db::list(&ctx.db).await?.into_iter().map(|d| (d.code, d.name)).collect();
    Ok(AuditSearch {
        entries: rows.into_iter().map(AuditEntryView::from).collect(),
        more,
        departments,
        problems: filters.problems,
    })
}

/// What the filters found, as a JSON download; the export and its row count go to the staff
/// security log.
#[server(name = ExportCaseAudit, prefix = "/api", endpoint = "staff/case-audit/export", input = GetUrl)]
pub async fn export_case_audit(
    from: Option<String>,
    until: Option<String>,
    department: Option<String>,
    action: Option<String>,
    number: Option<String>,
    staff: Option<String>,
) -> Result<Vec<AuditEntryView>, AppError> {
    use crate::accounts::server::staff as staff_log;
    use crate::accounts::StaffRole;
    let ctx = crate::platform::AppContext::current()?;
    let auditor = crate::accounts::server::auth::staff_with_role(&[StaffRole::AuditAdmin])
        .await
        .map_err(crate::platform::fail)?;
    let filters = Filters::read(ctx.clock.now(), from, until, department, action, number, staff);
    let rows = super::server::db::search_audit(&ctx.db, &filters.query(), EXPORT_ROWS, 0).await?;
    let request_id = crate::platform::request_id();
    let detail = format!("case audit: {} rows", rows.len());
    staff_log::record_event(
        &ctx.db,
        &staff_log::StaffEvent {
            at: ctx.clock.now(),
            staff_id: Some(auditor.id()),
            actor_id: Some(auditor.id()),
            event: "log_exported",
            success: true,
            client_ip: "",
            request_id: &request_id,
            detail: &detail,
        },
    )
    .await?;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("attachment; filename=\"onestop-case-audit.json\""),
        );
    }
    Ok(rows.into_iter().map(AuditEntryView::from).collect())
}

fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name)).filter(|v| !v.is_empty())
}

/// The filters of the page's address, in the order the server functions take them.
type FilterArgs = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

fn filter_args() -> FilterArgs {
    (query("from"), query("until"), query("department"), query("action"), query("number"), query("staff"))
}

/// The address of the same search at another page, or of its export.
fn search_link(base: &str, args: &FilterArgs, page: Option<u32>) -> String {
    let (from, until, department, action, number, staff) = args;
    let mut pairs: Vec<(&str, String)> = [
        ("from", from),
        ("until", until),
        ("department", department),
        ("action", action),
        ("number", number),
        ("staff", staff),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .collect();
    if let Some(page) = page {
        pairs.push(("page", page.to_string()));
    }
    crate::ui::link::with_query(base, &pairs)
}

#[component]
pub fn CaseAuditPage() -> impl IntoView {
    let x = use_text();
    let args = filter_args();
    let page: u32 = query("page").and_then(|p| p.parse().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let request = args.clone();
    let search = Resource::new(
        move || (request.clone(), page),
        |((from, until, department, action, number, staff), page)| {
            case_audit_search(from, until, department, action, number, staff, Some(page))
        },
    );
    view! {
        <div class="container">
            <PageHeading title=x.audit_title lead=x.audit_lead/>
            {when_ready(move || {
                let args = args.clone();
                async move {
                    match search.await {
                        Ok(found) => view! { <AuditBody found args page/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                        Err(err) => view! { <crate::accounts::StaffAccessNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

fn action_label(x: &'static Text, action: &str) -> String {
    x.audit_actions()
        .iter()
        .find(|(code, _)| *code == action)
        .map_or_else(|| action.to_owned(), |(_, l)| (*l).to_owned())
}

#[component]
fn AuditBody(found: AuditSearch, args: FilterArgs, page: u32) -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    let (from, until, department, action, number, staff) = args.clone();
    let problem = |field: &str| {
        found.problems.iter().find(|(f, _)| f == field).map(|(_, code)| {
            if code == "period" {
                x.audit_error_period.to_owned()
            } else {
                x.audit_error_date.to_owned()
            }
        })
    };
    let mut departments = vec![(String::new(), x.audit_department_all.to_owned())];
    departments.extend(found.departments.iter().map(|(code, name)| (code.clone(), name.get(locale).to_owned())));
    let name_of = |code: &str| {
        found
            .departments
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_owned(), |(_, n)| n.get(locale).to_owned())
    };
    let mut actions = vec![(String::new(), x.audit_action_all.to_owned())];
    actions.extend(x.audit_actions().iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())));
    let empty = found.entries.is_empty();
    let rows = found
        .entries
        .iter()
        .map(|e| {
            let who = if e.display_name.is_empty() {
                e.username.clone()
            } else {
                format!("{}（{}）", e.display_name, e.username)
            };
            let outcome = if e.outcome == "ok" {
                x.audit_outcome_ok.to_owned()
            } else {
                format!("{}：{}", x.audit_outcome_refused, e.outcome)
            };
            row([
                cell(format_beijing_time(e.at)),
                cell(who),
                cell(name_of(&e.department_code)),
                cell(action_label(x, &e.action)),
                cell(e.number.clone().unwrap_or_default()),
                cell(outcome),
                cell(e.detail.clone()),
            ])
        })
        .collect::<Vec<_>>();
    let previous = (page > 1).then(|| search_link("/staff/case-audit", &args, Some(page - 1)));
    let next = found.more.then(|| search_link("/staff/case-audit", &args, Some(page + 1)));
    let export = search_link("/api/staff/case-audit/export", &args, None);
    view! {
        <form method="get" action="/staff/case-audit" class="filters" aria-labelledby="audit-filter-title">
            <h2 id="audit-filter-title">{x.audit_filter_title}</h2>
            <TextField id="audit-from" name="from" label=x.audit_from value=from.unwrap_or_default() hint=Some(x.audit_date_hint.to_owned()) error=problem("from") input_type="date"/>
            <TextField id="audit-until" name="until" label=x.audit_until value=until.unwrap_or_default() hint=Some(x.audit_date_hint.to_owned()) error=problem("until") input_type="date"/>
            <SelectField id="audit-department" name="department" label=x.audit_department options=departments value=department.unwrap_or_default()/>
            <SelectField id="audit-action" name="action" label=x.audit_action options=actions value=action.unwrap_or_default()/>
            <TextField id="audit-number" name="number" label=x.audit_number value=number.unwrap_or_default() autocomplete="off"/>
            <TextField id="audit-staff" name="staff" label=x.audit_staff value=staff.unwrap_or_default() autocomplete="off"/>
            <button type="submit" class="button button--secondary">{x.audit_search}</button>
        </form>
        {if empty {
            view! { <Notice kind=NoticeKind::Info><p>{x.audit_none}</p></Notice> }.into_any()
        } else {
            view! {
                <p><a href=export download="onestop-case-audit.json">{x.audit_export}</a></p>
                <DataTable caption=x.audit_caption headers=vec![x.audit_col_at, x.audit_col_staff, x.audit_col_department, x.audit_col_action, x.audit_col_number, x.audit_col_outcome, x.audit_col_detail] rows=rows/>
            }.into_any()
        }}
        <nav class="pager" aria-label=fill(x.audit_page, &[&page.to_string()])>
            {previous.map(|href| view! { <a href=href rel="prev">{x.audit_previous}</a>" " })}
            <span>{fill(x.audit_page, &[&page.to_string()])}</span>
            {next.map(|href| view! { " "<a href=href rel="next">{x.audit_next}</a> })}
        </nav>
    }
}
