//! `/staff/calendar`: the working-day calendar for system administrators — the dates moved by
//! the State Council's yearly notice, adding and correcting them when a new notice comes out, and
//! a check of what "N working days from a date" gives. Every change is in the staff security log.

use crate::accounts::StaffAccessNotice;
use crate::error::AppError;
use crate::i18n::{fill, use_messages};
use crate::ui::when_ready;
use crate::ui::{
    cell, row, use_posted_form, DataTable, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, SelectField,
    TextField,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDayView {
    pub day: String,
    pub holiday: bool,
    pub name: String,
    pub source: String,
}

/// The moved dates, and the answer to "`days` working days from `from`" when asked.
#[server(name = StaffCalendar, prefix = "/api", endpoint = "staff/calendar", input = GetUrl)]
pub async fn staff_calendar(
    from: Option<String>,
    days: Option<u32>,
) -> Result<(Vec<CalendarDayView>, Option<String>), AppError> {
    use crate::accounts::StaffRole;
    let ctx = crate::platform::AppContext::current()?;
    crate::accounts::server::auth::staff_with_role(&[StaffRole::SystemAdmin]).await.map_err(crate::platform::fail)?;
    let rows = super::server::db::calendar(&ctx.db).await?;
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let answer = match (from.as_deref().map(|f| time::Date::parse(f, &format)), days) {
        (Some(Ok(start)), Some(n)) if n <= 366 => {
            let calendar = super::server::work_calendar(&ctx.db).await?;
            calendar.add_working_days(start, n).format(&format).ok()
        }
        _ => None,
    };
    let days = rows
        .into_iter()
        .map(|(day, kind, name, source)| CalendarDayView { day, holiday: kind == "holiday", name, source })
        .collect();
    Ok((days, answer))
}

#[component]
pub fn StaffCalendarPage() -> impl IntoView {
    let t = use_messages();
    let query = use_query_map();
    let done = query.with_untracked(|q| q.get("done")).is_some();
    let from = query.with_untracked(|q| q.get("from"));
    let days = query.with_untracked(|q| q.get("days").and_then(|d| d.parse::<u32>().ok()));
    let data = Resource::new(move || (from.clone(), days), |(f, d)| staff_calendar(f, d));
    view! {
        <div class="container">
            <PageHeading title=t.staff_calendar_title lead=t.staff_calendar_lead/>
            {done.then(|| view! { <Notice kind=NoticeKind::Success><p>{t.done_calendar_saved}</p></Notice> })}
            {crate::accounts::form_problem_notice()}
            {when_ready(move || async move {
                match data.await {
                    Ok((rows, answer)) => view! {
                        <CalendarEditor rows answer/>
                        <crate::accounts::SessionKeeper staff=true/>
                    }
                    .into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn CalendarEditor(rows: Vec<CalendarDayView>, answer: Option<String>) -> impl IntoView {
    let t = use_messages();
    let posted = use_posted_form();
    let query = use_query_map();
    let error = |field: &str| posted.error_code(field).map(|c| super::staff::problem_text(c, t).to_owned());
    let summary: Vec<FieldMessage> = ["day", "kind", "name", "source"]
        .iter()
        .filter_map(|f| error(f).map(|text| FieldMessage { field_id: format!("calendar-{f}"), text }))
        .collect();
    let kinds = vec![
        ("holiday".to_owned(), t.calendar_kind_holiday.to_owned()),
        ("workday".to_owned(), t.calendar_kind_workday.to_owned()),
    ];
    let from = query.with_untracked(|q| q.get("from").unwrap_or_default());
    let days = query.with_untracked(|q| q.get("days").unwrap_or_default());
    view! {
        <section aria-labelledby="calendar-check-title">
            <h2 id="calendar-check-title">{t.calendar_check_title}</h2>
            <form method="get" action="/staff/calendar" class="stack">
                <TextField id="calendar-from" name="from" label=t.calendar_from value=from.clone() input_type="date"/>
                <TextField id="calendar-days" name="days" label=t.calendar_days value=days.clone() input_type="number"/>
                <button type="submit" class="button button--secondary">{t.calendar_check_button}</button>
            </form>
            {answer.map(|a| view! { <p role="status" class="calendar-answer">{fill(t.calendar_answer, &[&from, &days, &a])}</p> })}
        </section>
        <section aria-labelledby="calendar-edit-title">
            <h2 id="calendar-edit-title">{t.calendar_edit_title}</h2>
            <ErrorSummary errors=summary/>
            <form method="post" action="/staff/calendar" class="stack" novalidate>
                <TextField id="calendar-day" name="day" label=t.calendar_day value=posted.value("day") error=error("day") input_type="date"/>
                <SelectField id="calendar-kind" name="kind" label=t.calendar_kind options=kinds value=posted.value("kind") error=error("kind")/>
                <TextField id="calendar-name" name="name" label=t.calendar_name value=posted.value("name") error=error("name")/>
                <TextField id="calendar-source" name="source" label=t.calendar_source value=posted.value("source") error=error("source") hint=Some(t.calendar_source_hint.to_owned())/>
                <button type="submit" class="button">{t.calendar_save}</button>
            </form>
        </section>
        <DataTable
            caption=t.calendar_table
            headers=vec![t.calendar_day, t.calendar_kind, t.calendar_name, t.calendar_source, t.staff_col_action]
            rows=rows.into_iter().map(|r| row([
                cell(r.day.clone()),
                cell(if r.holiday { t.calendar_kind_holiday } else { t.calendar_kind_workday }),
                cell(r.name),
                cell(r.source).class("calendar-source"),
                cell(view! {
                    <form method="post" action="/staff/calendar/clear">
                        <input type="hidden" name="day" value=r.day.clone()/>
                        <button type="submit" class="button button--secondary" aria-label=format!("{} {}", t.calendar_clear, r.day)>{t.calendar_clear}</button>
                    </form>
                }),
            ])).collect()
        />
    }
}

#[cfg(feature = "ssr")]
pub use handlers::{clear_day, save_day};

#[cfg(feature = "ssr")]
mod handlers {
    use crate::accounts::server::auth;
    use crate::accounts::staff_forms::staff_with_role;
    use crate::accounts::StaffRole;
    use crate::catalogue::server::db;
    use crate::error::FieldError;
    use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

    async fn admin(req: &FormRequest) -> Result<auth::StaffPrincipal, FormOutcome> {
        staff_with_role(req, &[StaffRole::SystemAdmin]).await
    }

    async fn log(req: &FormRequest, admin: i64, detail: &str) {
        crate::accounts::staff_forms::log(req, Some(admin), Some(admin), "calendar_changed", true, detail).await;
    }

    fn parse_day(text: &str) -> Option<time::Date> {
        time::Date::parse(text.trim(), &time::macros::format_description!("[year]-[month]-[day]")).ok()
    }

    /// Adds or corrects one moved date. A make-up working day must fall on a weekend.
    pub fn save_day(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let admin = or_return!(admin(&req).await);
            let day = parse_day(&req.field("day"));
            let kind = req.field("kind");
            let name = req.field("name").trim().to_owned();
            let source = req.field("source").trim().to_owned();
            let mut errors = Vec::new();
            match day {
                None => errors.push(FieldError::new("day", "calendar_day_invalid")),
                Some(d)
                    if kind == "workday" && !matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday) =>
                {
                    errors.push(FieldError::new("kind", "calendar_workday_on_weekday"))
                }
                Some(_) => {}
            }
            if kind != "holiday" && kind != "workday" {
                errors.push(FieldError::new("kind", "required"));
            }
            if name.is_empty() || name.chars().count() > 50 {
                errors.push(FieldError::new("name", "required"));
            }
            if source.is_empty() || source.chars().count() > 200 {
                errors.push(FieldError::new("source", "required"));
            }
            let Some(day) = day.filter(|_| errors.is_empty()) else { return req.rerender(400, errors, None) };
            let text = day.to_string();
            if db::set_calendar_day(&req.ctx.db, &text, &kind, &name, &source, req.ctx.clock.now()).await.is_err() {
                return req.failed();
            }
            log(&req, admin.id(), &format!("{text} {kind} {name}")).await;
            FormOutcome::Redirect("/staff/calendar?done=saved".into())
        })
    }

    /// Makes a date ordinary again.
    pub fn clear_day(req: FormRequest) -> FormFuture {
        Box::pin(async move {
            let admin = or_return!(admin(&req).await);
            let Some(day) = parse_day(&req.field("day")) else {
                return req.rerender(400, vec![FieldError::new("day", "calendar_day_invalid")], None);
            };
            let text = day.to_string();
            match db::clear_calendar_day(&req.ctx.db, &text).await {
                Ok(_) => {
                    log(&req, admin.id(), &format!("{text} cleared")).await;
                    FormOutcome::Redirect("/staff/calendar?done=saved".into())
                }
                Err(err) => req.failed_because(&err),
            }
        })
    }
}
