//! `/staff/supervision`: the supervisors' dashboard. Figures, charts drawn on the server with
//! their numbers in tables beside them, the overdue cases, and the exports — plain forms and
//! links throughout.

use super::api::*;
use super::ledger::LedgerState;
use super::text::{use_text, Text};
use super::{Breakdown, Dashboard, ExportState, ExportView, LedgerLine, LedgerView, Period};
use crate::accounts::StaffAccessNotice;
use crate::i18n::{fill, format_beijing_time};
use crate::statistics::chart::format_number;
use crate::statistics::{Chart, ChartKind};
use crate::ui::when_ready;
use crate::ui::{
    cell, row, use_posted_form, DataTable, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, SelectField,
    TextArea, TextField,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name)).filter(|v| !v.is_empty())
}

#[component]
pub fn SupervisionPage() -> impl IntoView {
    let x = use_text();
    let period = query("period");
    let dashboard = Resource::new(move || period.clone(), supervision_dashboard);
    view! {
        <div class="container">
            <PageHeading title=x.title/>
            {when_ready(move || async move {
                match dashboard.await {
                    Ok(d) => view! {
                        <DashboardBody d/>
                        <crate::accounts::SessionKeeper staff=true/>
                    }.into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

fn notices(x: &'static Text) -> impl IntoView {
    let done = query("done").and_then(|d| match d.as_str() {
        "requested" => Some(x.done_requested),
        "approved" => Some(x.done_approved),
        _ => None,
    });
    let error = use_posted_form().form_error.map(|code| x.form_error_text(code));
    view! {
        {done.map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })}
        {error.map(|text| view! { <Notice kind=NoticeKind::Error><p>{text}</p></Notice> })}
    }
}

fn percent(x: &'static Text, value: Option<f64>) -> String {
    value.map_or(x.none_value.to_owned(), |v| format!("{v:.1}%"))
}

fn days(x: &'static Text, value: Option<f64>) -> String {
    value.map_or(x.none_value.to_owned(), |v| fill(x.days_value, &[&format!("{v:.1}")]))
}

#[component]
fn DashboardBody(d: Dashboard) -> impl IntoView {
    let x = use_text();
    let lead = if d.city { x.lead_city.to_owned() } else { format!("{} {}", d.department, x.lead) };
    let period_options: Vec<(String, String)> =
        Period::ALL.into_iter().map(|p| (p.code().to_owned(), x.period_label(p).to_owned())).collect();
    let t = &d.total;
    let received_points: Vec<(String, f64)> =
        d.by_service.iter().map(|b| (b.name.clone(), b.received as f64)).collect();
    let rating_points: Vec<(String, f64)> =
        (1..=5).map(|level| (x.rating_label(level).to_owned(), t.ratings[level - 1] as f64)).collect();
    let rating_total: i64 = t.ratings.iter().sum();
    view! {
        {notices(x)}
        <p class="lead">{lead}</p>
        <form method="get" action="/staff/supervision" class="filters">
            <SelectField id="period" name="period" label=x.period options=period_options value=d.period.code()/>
            <button type="submit" class="button button--secondary">{x.period_apply}</button>
        </form>
        <section aria-labelledby="figures-title">
            <h2 id="figures-title">{x.figures_title}" · "{x.period_label(d.period)}</h2>
            <dl class="facts">
                <div><dt>{x.received}</dt><dd>{t.received}</dd></div>
                <div><dt>{x.accepted}</dt><dd>{t.accepted}</dd></div>
                <div><dt>{x.completed}</dt><dd>{t.completed}</dd></div>
                <div><dt>{x.on_time_rate}</dt><dd>{percent(x, t.on_time_rate())}</dd></div>
                <div><dt>{x.average_days}</dt><dd>{days(x, t.average_days)}</dd></div>
            </dl>
        </section>
        <OverdueSection d=d.clone()/>
        <LedgerSection lines=d.ledger.clone()/>
        <div class="figures">
            <ChartFigure id="received" title=x.received_chart_title.to_owned()
                description=fill(x.received_chart_desc, &[&t.received.to_string()])
                label_header=x.col_service count_header=x.received points=received_points/>
            <ChartFigure id="ratings" title=x.ratings_chart_title.to_owned()
                description=fill(x.ratings_chart_desc, &[&rating_total.to_string()])
                label_header=x.col_level count_header=x.col_count points=rating_points/>
        </div>
        <BreakdownTable id="by-department" title=x.by_department_title name_header=x.col_department rows=d.by_department.clone()/>
        <BreakdownTable id="by-service" title=x.by_service_title name_header=x.col_service rows=d.by_service.clone()/>
        <ExportsSection period=d.period exports=d.exports.clone()/>
    }
}

#[component]
fn OverdueSection(d: Dashboard) -> impl IntoView {
    let x = use_text();
    let rows = d
        .overdue
        .into_iter()
        .map(|c| {
            row([
                cell(view! { <a href=format!("/staff/cases/{}", c.number)>{c.number.clone()}</a> }),
                cell(c.service),
                cell(c.holder.unwrap_or_else(|| x.unclaimed.to_owned())),
                cell(view! { {c.due}" "<span class="tag tag--error">{x.overdue_tag}</span> }),
                cell(format!("{} / {}", c.used_days, c.promised_days)),
            ])
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="overdue-title">
            <h2 id="overdue-title">{x.overdue_title}</h2>
            {if rows.is_empty() {
                view! { <p>{x.overdue_none}</p> }.into_any()
            } else {
                view! { <DataTable caption=x.overdue_title headers=vec![x.col_number, x.col_service, x.col_holder, x.col_due, x.col_used] rows/> }.into_any()
            }}
        </section>
    }
}

/// A bar chart with its numbers in a table beside it.
#[component]
fn ChartFigure(
    id: &'static str,
    title: String,
    description: String,
    label_header: &'static str,
    count_header: &'static str,
    points: Vec<(String, f64)>,
) -> impl IntoView {
    let x = use_text();
    let figure_id = format!("figure-{id}");
    let rows = points.iter().map(|(label, value)| row([cell(label.clone()), cell(format_number(*value))])).collect();
    view! {
        <figure class="figure" aria-labelledby=figure_id.clone()>
            <figcaption id=figure_id.clone() class="figure__caption">
                <span class="figure__title">{title.clone()}</span>
                <span class="figure__latest">{description.clone()}</span>
            </figcaption>
            {if points.is_empty() {
                view! { <p>{x.no_data}</p> }.into_any()
            } else {
                view! {
                    <div class="figure__body">
                        <Chart points=points.clone() kind=ChartKind::Bars id=format!("chart-{id}") title=title.clone() description/>
                        <DataTable caption=title headers=vec![label_header, count_header] rows/>
                    </div>
                }.into_any()
            }}
        </figure>
    }
}

#[component]
fn BreakdownTable(
    id: &'static str,
    title: &'static str,
    name_header: &'static str,
    rows: Vec<Breakdown>,
) -> impl IntoView {
    let x = use_text();
    let mut headers = vec![name_header, x.received, x.accepted, x.completed, x.on_time_rate, x.average_days];
    headers.extend((1..=5).map(|level| x.rating_label(level)));
    let empty = rows.is_empty();
    let rows = rows
        .into_iter()
        .map(|b| {
            let mut cells = vec![
                cell(b.name.clone()),
                cell(b.received.to_string()),
                cell(b.accepted.to_string()),
                cell(b.completed.to_string()),
                cell(percent(x, b.on_time_rate())),
                cell(days(x, b.average_days)),
            ];
            cells.extend(b.ratings.iter().map(|n| cell(n.to_string())));
            row(cells)
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{title}</h2>
            {if empty {
                view! { <p>{x.no_data}</p> }.into_any()
            } else {
                view! { <DataTable caption=title headers rows/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ExportsSection(period: Period, exports: Vec<ExportView>) -> impl IntoView {
    let x = use_text();
    let rows = exports
        .into_iter()
        .map(|e| {
            let state = match e.state {
                ExportState::Approved => fill(x.state_approved, &[e.approver.as_deref().unwrap_or_default()]),
                ExportState::Downloaded => fill(x.state_downloaded, &[&e.rows.unwrap_or(0).to_string()]),
                other => x.state_label(other).to_owned(),
            };
            let action = match (e.state, e.mine) {
                (ExportState::Pending, false) => Some(
                    view! {
                        <form method="post" action="/staff/supervision/exports/approve">
                            <input type="hidden" name="export" value=e.id.to_string()/>
                            <button type="submit" class="button button--secondary">{x.approve}</button>
                        </form>
                    }
                    .into_any(),
                ),
                (ExportState::Pending, true) => Some(view! { <span>{x.wait_for_other}</span> }.into_any()),
                (ExportState::Approved, true) => Some(
                    view! {
                        <form method="post" action=format!("/staff/supervision/exports/{}/download", e.id)>
                            <button type="submit" class="button">{x.download}</button>
                        </form>
                    }
                    .into_any(),
                ),
                _ => None,
            };
            row([
                cell(format_beijing_time(e.requested_at)),
                cell(e.requester),
                cell(x.period_label(e.period)),
                cell(state),
                cell(view! { {action} }),
            ])
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="exports-title">
            <h2 id="exports-title">{x.exports_title}</h2>
            <p><a class="button button--secondary" href=format!("/staff/supervision/figures.csv?period={}", period.code()) download="">{x.export_aggregate}</a></p>
            <p>{x.export_cases_lead}</p>
            <form method="post" action="/staff/supervision/exports">
                <input type="hidden" name="period" value=period.code()/>
                <button type="submit" class="button">{x.export_request}" · "{x.period_label(period)}</button>
            </form>
            {if rows.is_empty() {
                view! { <p>{x.exports_none}</p> }.into_any()
            } else {
                view! { <DataTable caption=x.exports_title headers=vec![x.col_requested, x.col_requester, x.col_period, x.col_state, x.col_action] rows/> }.into_any()
            }}
        </section>
    }
}

fn ledger_tag(x: &'static Text, line: &LedgerLine) -> impl IntoView {
    line.overdue.then(|| view! { " "<span class="tag tag--error">{x.ledger_overdue}</span> })
}

#[component]
fn LedgerSection(lines: Vec<LedgerLine>) -> impl IntoView {
    let x = use_text();
    let ax = crate::applications::text::use_text();
    let rows = lines
        .into_iter()
        .map(|l| {
            row([
                cell(view! { <a href=format!("/staff/supervision/ratings/{}", l.id)>{l.number.clone()}</a> }),
                cell(l.service.clone()),
                cell(ax.rating_level(l.level)),
                cell(x.ledger_state_label(l.state)),
                cell(view! { {l.due.clone()}{ledger_tag(x, &l)} }),
                cell(l.responsible.clone()),
            ])
        })
        .collect::<Vec<_>>();
    view! {
        <section aria-labelledby="ledger-title">
            <h2 id="ledger-title">{x.ledger_title}</h2>
            {if rows.is_empty() {
                view! { <p>{x.ledger_none}</p> }.into_any()
            } else {
                view! { <DataTable caption=x.ledger_title headers=vec![x.col_number, x.col_service, x.col_level, x.col_state_ledger, x.col_ledger_due, x.col_responsible] rows/> }.into_any()
            }}
        </section>
    }
}

/// `/staff/supervision/ratings/:id`: one 差评 ledger entry of the caller's scope.
#[component]
pub fn LedgerEntryPage() -> impl IntoView {
    let x = use_text();
    let id = use_params_map().with_untracked(|p| p.get("id")).and_then(|id| id.parse::<i64>().ok());
    let entry = Resource::new(move || id, ledger_entry);
    view! {
        <div class="container">
            <p><a href="/staff/supervision">{x.ledger_back}</a></p>
            {when_ready(move || async move {
                match entry.await {
                    Ok(e) => view! {
                        <LedgerBody e/>
                        <crate::accounts::SessionKeeper staff=true/>
                    }.into_any(),
                    Err(crate::error::AppError::NotFound) => {
                        crate::error::set_status(404);
                        view! { <PageHeading title=x.ledger_title/><p>{x.ledger_not_found}</p> }.into_any()
                    }
                    Err(err) => view! { <PageHeading title=x.ledger_title/><StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn LedgerBody(e: LedgerView) -> impl IntoView {
    let x = use_text();
    let ax = crate::applications::text::use_text();
    let l = e.line.clone();
    let title = fill(x.ledger_entry_title, &[&l.number]);
    let indicators = e
        .indicators
        .iter()
        .map(|i| ax.indicator_label(i))
        .collect::<Vec<_>>()
        .join(crate::i18n::use_locale().pick("、", ", "));
    let done = (query("done").as_deref() == Some("moved"))
        .then(|| view! { <Notice kind=NoticeKind::Success><p>{x.ledger_done}</p></Notice> });
    let history = e
        .history
        .iter()
        .map(|(at, who, from, to, responsible, note)| {
            let label = |code: &str| LedgerState::from_code(code).map_or(code.to_owned(), |s| x.ledger_state_label(s).to_owned());
            view! {
                <li>
                    <time>{format_beijing_time(*at)}</time>" · "{who.clone()}" · "{label(from)}" → "{label(to)}" · "{responsible.clone()}
                    <p class="preserve-lines">{note.clone()}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <PageHeading title=title/>
        {done}
        {notices(x)}
        <dl class="facts">
            <div><dt>{x.ledger_case}</dt><dd><a href=format!("/staff/cases/{}", l.number)>{l.number.clone()}</a>" · "{l.service.clone()}</dd></div>
            <div><dt>{x.col_level}</dt><dd>{ax.rating_level(l.level)}</dd></div>
            <div><dt>{x.ledger_indicators}</dt><dd>{indicators}</dd></div>
            {(!e.comment.is_empty()).then(|| view! { <div><dt>{x.ledger_comment}</dt><dd class="preserve-lines">{e.comment.clone()}</dd></div> })}
            <div><dt>{x.ledger_rated_at}</dt><dd>{format_beijing_time(e.rated_at)}</dd></div>
            <div><dt>{x.col_state_ledger}</dt><dd>{x.ledger_state_label(l.state)}</dd></div>
            <div><dt>{x.col_ledger_due}</dt><dd>{l.due.clone()}{ledger_tag(x, &l)}</dd></div>
            {(!l.responsible.is_empty()).then(|| view! { <div><dt>{x.col_responsible}</dt><dd>{l.responsible.clone()}</dd></div> })}
        </dl>
        <section aria-labelledby="history-title">
            <h2 id="history-title">{x.ledger_history}</h2>
            <ul class="notes">{history}</ul>
        </section>
        {if l.state.is_closed() {
            view! { <p>{x.ledger_closed}</p> }.into_any()
        } else {
            view! { <LedgerForm line=l/> }.into_any()
        }}
    }
}

#[component]
fn LedgerForm(line: LedgerLine) -> impl IntoView {
    let x = use_text();
    let posted = use_posted_form();
    let error_of = |field: &str| posted.error_code(field).map(|c| x.field_error_text(c).to_owned());
    let problems: Vec<FieldMessage> =
        [("to", "ledger-to"), ("responsible", "ledger-responsible"), ("note", "ledger-note")]
            .into_iter()
            .filter_map(|(field, id)| error_of(field).map(|text| FieldMessage { field_id: id.to_owned(), text }))
            .collect();
    let options: Vec<(String, String)> =
        line.state.next().iter().map(|s| (s.code().to_owned(), x.ledger_state_label(*s).to_owned())).collect();
    let responsible = if posted.values.is_empty() { line.responsible.clone() } else { posted.value("responsible") };
    view! {
        <section aria-labelledby="move-title">
            <h2 id="move-title">{x.ledger_move_title}</h2>
            <ErrorSummary errors=problems/>
            <form method="post" action=format!("/staff/supervision/ratings/{}", line.id) novalidate>
                <input type="hidden" name="seen" value=line.state.code()/>
                <SelectField id="ledger-to" name="to" label=x.ledger_to options value=posted.value("to") error=error_of("to")/>
                <TextField id="ledger-responsible" name="responsible" label=x.ledger_responsible_label value=responsible error=error_of("responsible")/>
                <TextArea id="ledger-note" name="note" label=x.ledger_note_label value=posted.value("note") errors=error_of("note").into_iter().collect() rows=4/>
                <button type="submit" class="button">{x.ledger_submit}</button>
            </form>
        </section>
    }
}
