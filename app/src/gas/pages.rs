//! The citizen's gas pages: `/gas` (bound accounts with balance or amount owed, the bind forms)
//! and `/gas/accounts/:account` (latest bill, the tier year's ladder, bills with priced lines,
//! monthly use as an SVG chart with its table, this year against last, the reading form).
//! Plain links and form posts; no JavaScript needed.

use super::api::*;
use super::text::{m3, unit_price, use_text, yuan, Text};
use crate::error::AppError;
use crate::i18n::fill;
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, FieldMessage, Notice, NoticeKind, PageHeading, PostedForm, TextField};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn form_error_text(t: &Text, code: &str) -> &'static str {
    match code {
        "needs_real_name" => t.needs_real_name,
        "no_match" => t.error_no_match,
        "none_at_address" => t.error_none_at_address,
        "throttled" => t.error_throttled,
        "unavailable" => t.error_unavailable,
        "not_found" => t.not_found,
        _ => t.error_generic,
    }
}

fn control_characters() -> String {
    crate::i18n::use_messages().field_error_control_characters.to_owned()
}

fn balance_text(t: &Text, balance_fen: i64) -> String {
    if balance_fen < 0 {
        fill(t.owed, &[&yuan(-balance_fen)])
    } else {
        fill(t.balance, &[&yuan(balance_fen)])
    }
}

#[component]
fn Problem(error: AppError) -> impl IntoView {
    let t = use_text();
    match error {
        AppError::Unavailable => view! {
            <Notice kind=NoticeKind::Warning title=t.unavailable_title>
                <p>{t.unavailable_body}</p>
            </Notice>
        }
        .into_any(),
        AppError::NotFound => view! { <Notice kind=NoticeKind::Info><p>{t.not_found}</p></Notice> }.into_any(),
        other => view! { <crate::ui::ErrorNotice error=other/> }.into_any(),
    }
}

fn done_notice(t: &Text, notice: &str) -> Option<impl IntoView> {
    let text = match notice {
        "bound" => t.bound_notice,
        "unbound" => t.unbound_notice,
        "reported" => t.reported_notice,
        _ => return None,
    };
    Some(view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })
}

/// `/gas`: the bound accounts and the two ways of binding one.
#[component]
pub fn GasPage() -> impl IntoView {
    let t = use_text();
    let notice = use_query_map().with_untracked(|q| q.get("notice").unwrap_or_default());
    let posted = crate::ui::use_posted_form();
    let overview = Resource::new(|| (), |_| my_gas_accounts());
    view! {
        <div class="container">
            <PageHeading title=t.title lead=t.lead/>
            {done_notice(t, &notice)}
            {when_ready(move || {
                let posted = posted.clone();
                async move {
                    match overview.await {
                        Ok(o) => view! { <Overview o posted/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <p>{t.sign_in}</p>
                            <crate::ui::SignInNeeded next="/gas"/>
                        }
                        .into_any(),
                        Err(error) => view! { <Problem error/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn Overview(o: GasOverview, posted: PostedForm) -> impl IntoView {
    let t = use_text();
    if !o.real_name_verified {
        return view! {
            <Notice kind=NoticeKind::Info>
                <p>{t.needs_real_name}" "<a href="/account/profile">{t.verify_link}</a></p>
            </Notice>
        }
        .into_any();
    }
    let list = if o.accounts.is_empty() {
        view! { <p>{t.no_accounts}</p> }.into_any()
    } else {
        let rows = o
            .accounts
            .iter()
            .map(|a| {
                row([
                    cell(view! { <a href=format!("/gas/accounts/{}", a.account_no)>{a.account_no.clone()}</a> }),
                    cell(a.address.clone()),
                    cell(t.class(a.class)),
                    cell(balance_text(t, a.balance_fen)).class("numeric"),
                ])
                .id(format!("gas-account-{}", a.account_no))
            })
            .collect();
        view! {
            <DataTable caption=t.my_accounts headers=vec![t.col_account, t.col_address, t.col_class, t.col_balance] rows/>
        }
        .into_any()
    };
    let unavailable = (!o.unavailable.is_empty()).then(|| {
        let text = fill(t.unavailable_accounts, &[&o.unavailable.join("、")]);
        view! { <Notice kind=NoticeKind::Warning><p>{text}</p></Notice> }
    });
    view! {
        <h2>{t.my_accounts}</h2>
        {unavailable}
        {list}
        <BindForms posted/>
    }
    .into_any()
}

#[component]
fn BindForms(posted: PostedForm) -> impl IntoView {
    let t = use_text();
    let error_of = |field: &str| {
        posted.error_code(field).map(|code| match (code, field) {
            (crate::error::FieldError::CONTROL_CHARACTERS, _) => control_characters(),
            (_, "account_no") => t.error_required_account.to_owned(),
            _ => t.error_required_holder.to_owned(),
        })
    };
    let (account_error, holder_error) = (error_of("account_no"), error_of("holder_name"));
    let summary: Vec<FieldMessage> = [("gas-account-no", &account_error), ("gas-holder", &holder_error)]
        .into_iter()
        .filter_map(|(id, e)| e.clone().map(|text| FieldMessage { field_id: id.into(), text }))
        .collect();
    let problem = posted.form_error.map(|code| {
        let verify = (code == "needs_real_name").then(|| view! { " "<a href="/account/profile">{t.verify_link}</a> });
        view! { <Notice kind=NoticeKind::Error><p id="gas-bind-problem">{form_error_text(t, code)}{verify}</p></Notice> }
    });
    view! {
        <section aria-labelledby="gas-bind-title">
            <h2 id="gas-bind-title">{t.bind_title}</h2>
            <crate::ui::ErrorSummary errors=summary/>
            {problem}
            <p>{t.bind_notice}</p>
            <form method="post" action="/gas/bind" class="stack">
                <h3>{t.bind_by_number}</h3>
                <input type="hidden" name="method" value="number"/>
                <TextField
                    id="gas-account-no"
                    name="account_no"
                    label=t.account_no_label
                    value=posted.value("account_no")
                    hint=Some(t.account_no_hint.to_owned())
                    error=account_error
                    input_type="text"
                    autocomplete="off"
                />
                <TextField
                    id="gas-holder"
                    name="holder_name"
                    label=t.holder_label
                    value=posted.value("holder_name")
                    hint=Some(t.holder_hint.to_owned())
                    error=holder_error
                    autocomplete="name"
                />
                <button type="submit" class="button">{t.bind_button}</button>
            </form>
            <form method="post" action="/gas/bind" class="stack">
                <h3>{t.bind_household}</h3>
                <p>{t.bind_household_lead}</p>
                <input type="hidden" name="method" value="household"/>
                <button type="submit" class="button button--secondary">{t.bind_household_button}</button>
            </form>
        </section>
    }
}

/// `/gas/accounts/:account`.
#[component]
pub fn GasAccountPage() -> impl IntoView {
    let t = use_text();
    let account = use_params_map().with_untracked(|p| p.get("account").unwrap_or_default());
    let notice = use_query_map().with_untracked(|q| q.get("notice").unwrap_or_default());
    let posted = crate::ui::use_posted_form();
    let here = format!("/gas/accounts/{account}");
    let view_data = Resource::new(move || account.clone(), gas_account);
    view! {
        <div class="container">
            <p><a href="/gas">{t.back}</a></p>
            {done_notice(t, &notice)}
            {when_ready(move || {
                let (posted, here) = (posted.clone(), here.clone());
                async move {
                    match view_data.await {
                        Ok(v) => view! { <Account v posted/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <PageHeading title=t.title/>
                            <crate::ui::SignInNeeded next=here/>
                        }
                        .into_any(),
                        Err(error) => view! { <PageHeading title=t.title/><Problem error/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn Account(v: AccountView, posted: PostedForm) -> impl IntoView {
    let t = use_text();
    let locale = crate::i18n::use_locale();
    let a = v.statement.account.clone();
    let owed = v.owed_fen();
    let problem = posted
        .form_error
        .map(|code| view! { <Notice kind=NoticeKind::Error><p>{form_error_text(t, code)}</p></Notice> });
    let latest = v.statement.bills.first().cloned().map(|b| {
        let status = match &b.paid_on {
            Some(day) => fill(t.paid_on, &[day]),
            None => format!("{} · {}", t.unpaid, fill(t.due_on, &[&b.due_on])),
        };
        view! {
            <section aria-labelledby="gas-latest-title">
                <h2 id="gas-latest-title">{t.latest_bill}</h2>
                <dl class="summary-list">
                    <div><dt>{t.col_period}</dt><dd>{fill(t.period, &[&b.period_from, &b.period_to])}</dd></div>
                    <div><dt>{t.col_volume}</dt><dd>{m3(b.volume)}</dd></div>
                    <div><dt>{t.col_amount}</dt><dd>{yuan(b.amount_fen)}</dd></div>
                    <div><dt>{t.col_status}</dt><dd>{status}</dd></div>
                </dl>
                <p><a href=format!("/gas/accounts/{}/bills/{}.pdf", a.account_no, b.period_from) download="">{t.download_pdf}</a></p>
            </section>
        }
    });
    view! {
        <PageHeading title=fill(t.account_title, &[&a.account_no])/>
        {problem}
        {v.demo_prices.then(|| view! { <p class="hint">{t.demo_prices}</p> })}
        <dl class="summary-list">
            <div><dt>{t.col_address}</dt><dd>{a.address.clone()}</dd></div>
            <div><dt>{t.summary_holder}</dt><dd>{a.holder_name.clone()}</dd></div>
            <div><dt>{t.col_class}</dt><dd>{t.class(a.class)}</dd></div>
            <div><dt>{t.summary_people}</dt><dd>{a.people.to_string()}</dd></div>
            <div><dt>{t.summary_meter}</dt><dd>{a.meter_no.clone()}</dd></div>
            <div><dt>{t.pdf_company}</dt><dd>{v.company.get(locale).to_owned()}</dd></div>
            <div>
                <dt>{t.amount_due}</dt>
                <dd><strong id="gas-amount-due">{if owed > 0 { fill(t.owed_amount, &[&yuan(owed)]) } else { t.nothing_due.to_owned() }}</strong></dd>
            </div>
            <div><dt>{t.col_balance}</dt><dd>{balance_text(t, a.balance_fen)}</dd></div>
        </dl>
        {latest}
        <Ladder v=v.clone()/>
        <Usage v=v.clone()/>
        <Bills v=v.clone()/>
        <ReadingForm v=v.clone() posted/>
        <form method="post" action=format!("/gas/accounts/{}/unbind", a.account_no)>
            <button type="submit" class="button button--secondary">{t.unbind_button}</button>
        </form>
    }
}

#[component]
fn Ladder(v: AccountView) -> impl IntoView {
    let t = use_text();
    let used = v.statement.account.tier_year_used;
    let from = v.statement.account.tier_year_from.clone();
    // The bar spans the ladder up to the last limit and a third beyond it.
    let top = v.tiers.iter().filter_map(|b| b.up_to).max().unwrap_or(1).max(1);
    let span = (top + top / 3).max(used).max(1);
    let percent = |litres: i64| (litres as f64 / span as f64 * 100.0).clamp(0.0, 100.0);
    let next_text = match (v.to_next, &v.next_tier_on) {
        (Some(left), Some(day)) => format!(
            "{} {}",
            fill(t.ladder_to_next, &[&m3(left), &(v.tier + 1).to_string()]),
            fill(t.ladder_projection, &[day])
        ),
        (Some(left), None) => format!(
            "{} {}",
            fill(t.ladder_to_next, &[&m3(left), &(v.tier + 1).to_string()]),
            fill(t.ladder_no_projection, &[&v.tier_year_ends])
        ),
        (None, _) => t.ladder_last.to_owned(),
    };
    let bar_label = fill(t.ladder_bar, &[&m3(used), &v.tier.to_string()]);
    let rows = v
        .tiers
        .iter()
        .map(|b| {
            let range = match b.up_to {
                Some(up) => fill(t.range_to, &[&m3(b.from), &m3(up)]),
                None => fill(t.range_over, &[&m3(b.from)]),
            };
            row([
                cell(fill(t.tier_n, &[&b.tier.to_string()])),
                cell(range),
                cell(unit_price(b.unit_price)).class("numeric"),
            ])
            .id(format!("gas-tier-{}", b.tier))
        })
        .collect();
    view! {
        <section aria-labelledby="gas-ladder-title">
            <h2 id="gas-ladder-title">{t.ladder_title}</h2>
            <p>{fill(t.ladder_text, &[&from, &m3(used), &v.tier.to_string()])}" "{next_text}</p>
            <div class="tier-bar" role="img" aria-label=bar_label>
                <div class="tier-bar__used" style=format!("width: {:.1}%", percent(used))></div>
                {v.tiers.iter().filter_map(|b| b.up_to).map(|limit| view! {
                    <div class="tier-bar__limit" style=format!("left: {:.1}%", percent(limit))></div>
                }).collect_view()}
            </div>
            <DataTable caption=t.ladder_title headers=vec![t.col_tier, t.col_range, t.col_price] rows/>
        </section>
    }
}

#[component]
fn Usage(v: AccountView) -> impl IntoView {
    let t = use_text();
    let points: Vec<(String, f64)> = v.months.iter().map(|(m, l)| (m.clone(), *l as f64 / 1000.0)).collect();
    let (first, last) = (
        v.months.first().map(|m| m.0.clone()).unwrap_or_default(),
        v.months.last().map(|m| m.0.clone()).unwrap_or_default(),
    );
    let title = fill(t.usage_chart, &[&first, &last]);
    let rows = v
        .months
        .iter()
        .rev()
        .map(|(month, litres)| row([cell(month.clone()), cell(m3(*litres)).class("numeric")]))
        .collect();
    let change = |now: Option<i64>, before: Option<i64>| match (now, before) {
        (Some(n), Some(b)) if b > 0 => {
            let c = (n - b) as f64 / b as f64 * 100.0;
            format!("{}{c:.1}%", if c >= 0.0 { "+" } else { "" })
        }
        _ => t.no_data.to_owned(),
    };
    let this_year = v.year.to_string();
    let last_year = (v.year - 1).to_string();
    let yoy_rows = v
        .comparison
        .iter()
        .map(|c| {
            row([
                cell(format!("{:02}", c.month)),
                cell(c.this_year.map_or_else(|| t.no_data.to_owned(), m3)).class("numeric"),
                cell(c.last_year.map_or_else(|| t.no_data.to_owned(), m3)).class("numeric"),
                cell(change(c.this_year, c.last_year)).class("numeric"),
            ])
        })
        .collect();
    let yoy_headers = vec![t.col_month, t.col_this_year, t.col_last_year, t.col_change];
    view! {
        <section aria-labelledby="gas-usage-title">
            <h2 id="gas-usage-title">{t.usage_title}</h2>
            <figure class="figure">
                <div class="figure__body">
                    <crate::statistics::Chart
                        points
                        kind=crate::statistics::chart::ChartKind::Bars
                        id="gas-usage-chart"
                        title=title.clone()
                        description=t.usage_caption
                    />
                    <DataTable caption=t.usage_caption headers=vec![t.col_month, t.col_volume] rows/>
                </div>
            </figure>
            <h2 id="gas-yoy-title">{t.yoy_title}</h2>
            <DataTable caption=fill(t.yoy_caption, &[&this_year, &last_year]) headers=yoy_headers rows=yoy_rows/>
        </section>
    }
}

#[component]
fn Bills(v: AccountView) -> impl IntoView {
    let t = use_text();
    let account_no = v.statement.account.account_no.clone();
    let rows = v
        .statement
        .bills
        .iter()
        .map(|b| {
            let lines = b
                .lines
                .iter()
                .map(|l| {
                    let text = fill(
                        t.line,
                        &[&l.from, &l.to, &l.tier.to_string(), &m3(l.volume), &unit_price(l.unit_price), &yuan(l.amount_fen)],
                    );
                    view! { <li>{text}</li> }
                })
                .collect_view();
            let status = match &b.paid_on {
                Some(day) => fill(t.paid_on, &[day]),
                None => format!("{} · {}", t.unpaid, fill(t.due_on, &[&b.due_on])),
            };
            let pdf = format!("/gas/accounts/{account_no}/bills/{}.pdf", b.period_from);
            row([
                cell(view! { {fill(t.period, &[&b.period_from, &b.period_to])}<br/><a href=pdf download="">{t.download_pdf}</a> }),
                cell(format!("{} → {} ({})", m3(b.start_reading), m3(b.end_reading), t.source(b.end_source))),
                cell(m3(b.volume)).class("numeric"),
                cell(view! { <ul class="plain-list">{lines}</ul> }),
                cell(yuan(b.amount_fen)).class("numeric"),
                cell(status),
            ])
            .id(format!("gas-bill-{}", b.period_from))
        })
        .collect();
    view! {
        <section aria-labelledby="gas-bills-title">
            <h2 id="gas-bills-title">{t.bills_title}</h2>
            <DataTable
                caption=t.bills_title
                headers=vec![t.col_period, t.col_readings, t.col_volume, t.col_lines, t.col_amount, t.col_status]
                rows
            />
        </section>
    }
}

#[component]
fn ReadingForm(v: AccountView, posted: PostedForm) -> impl IntoView {
    let t = use_text();
    let last = v.statement.bills.first().cloned();
    let last_reading = last.as_ref().map(|b| b.end_reading).unwrap_or(0);
    let error_text = |field: &str| {
        posted.error_code(field).map(|code| match code {
            crate::error::FieldError::CONTROL_CHARACTERS => control_characters(),
            "below_last" => fill(t.error_below_last, &[&m3(last_reading)]),
            "implausible" => t.error_implausible.to_owned(),
            "bad_day" => t.error_bad_day.to_owned(),
            _ if field == "read_on" => t.error_day_format.to_owned(),
            _ => t.error_reading_format.to_owned(),
        })
    };
    let (reading_error, day_error) = (error_text("reading"), error_text("read_on"));
    let summary: Vec<FieldMessage> = [("gas-reading", &reading_error), ("gas-read-on", &day_error)]
        .into_iter()
        .filter_map(|(id, e)| e.clone().map(|text| FieldMessage { field_id: id.into(), text }))
        .collect();
    let day = {
        let kept = posted.value("read_on");
        if kept.is_empty() {
            v.today.clone()
        } else {
            kept
        }
    };
    let lead = last.map(|b| fill(t.reading_lead, &[&m3(b.end_reading), &b.period_to]));
    let pending = v
        .statement
        .pending_reading
        .clone()
        .map(|(day, litres)| view! { <p>{fill(t.reading_pending, &[&m3(litres), &day])}</p> });
    view! {
        <section aria-labelledby="gas-reading-title">
            <h2 id="gas-reading-title">{t.reading_title}</h2>
            <crate::ui::ErrorSummary errors=summary/>
            {lead.map(|l| view! { <p>{l}</p> })}
            {pending}
            <form method="post" action=format!("/gas/accounts/{}/reading", v.statement.account.account_no) class="stack">
                <TextField
                    id="gas-reading"
                    name="reading"
                    label=t.reading_label
                    value=posted.value("reading")
                    hint=Some(t.reading_hint.to_owned())
                    error=reading_error
                    autocomplete="off"
                />
                <TextField
                    id="gas-read-on"
                    name="read_on"
                    label=t.read_on_label
                    value=day
                    hint=Some(t.read_on_hint.to_owned())
                    error=day_error
                    autocomplete="off"
                />
                <button type="submit" class="button">{t.reading_button}</button>
            </form>
        </section>
    }
}
