//! The console pages: the queue and one case with its answers, materials, changes, decisions,
//! internal notes and timeline. Plain HTML forms throughout; each decision is its own form so a
//! clerk sees exactly what each one asks for.

use super::api::*;
use super::checklist::{slots_of, Verdict};
use super::text::{use_text, Text};
use crate::accounts::StaffAccessNotice;
use crate::applications::lifecycle::Action;
use crate::applications::model::Status;
use crate::applications::{answer_text, answers_by_step, question_label};
use crate::error::AppError;
use crate::i18n::{fill, format_beijing_time, use_locale, Locale};
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

/// `/staff/cases`: the scope's cases, filtered by plain GET parameters.
#[component]
pub fn CaseQueuePage() -> impl IntoView {
    let x = use_text();
    let (status, service, due, mine) = (query("status"), query("service"), query("due"), query("mine"));
    let assigned = query("assigned");
    let shows_assigned = assigned.is_some();
    let args = (status.clone(), service.clone(), due.clone(), mine.clone(), assigned);
    let queue = Resource::new(move || args.clone(), |(s, v, d, m, a)| case_queue(s, v, d, m, a));
    view! {
        <div class="container">
            <PageHeading title=x.queue_title/>
            {when_ready(move || {
                let (status, service, due, mine) = (status.clone(), service.clone(), due.clone(), mine.clone());
                async move {
                    match queue.await {
                        Ok(q) => view! {
                            <QueueBody q status=status.unwrap_or_default() service=service.unwrap_or_default() due=due.unwrap_or_default() mine=mine.is_some() assigned=shows_assigned/>
                            <crate::accounts::SessionKeeper staff=true/>
                        }.into_any(),
                        Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn QueueBody(q: QueueView, status: String, service: String, due: String, mine: bool, assigned: bool) -> impl IntoView {
    let x = use_text();
    let ax = crate::applications::text::use_text();
    let locale = use_locale();
    let lead = if q.city { x.queue_lead_city.to_owned() } else { format!("{} {}", q.department, x.queue_lead) };
    let mut status_options = vec![(String::new(), x.filter_status_open.to_owned())];
    status_options.extend(
        Status::ALL
            .into_iter()
            .filter(|s| *s != Status::Draft)
            .map(|s| (s.code().to_owned(), ax.status_label(s).to_owned())),
    );
    let mut service_options = vec![(String::new(), x.filter_service_all.to_owned())];
    service_options.extend(q.services.iter().map(|(code, name)| (code.clone(), name.get(locale).to_owned())));
    let due_options = vec![
        (String::new(), x.filter_due_all.to_owned()),
        ("soon".to_owned(), x.filter_due_soon.to_owned()),
        ("overdue".to_owned(), x.filter_due_overdue.to_owned()),
    ];
    let empty = q.entries.is_empty();
    let rows = q
        .entries
        .into_iter()
        .map(|e| {
            let urgency = e.urgency.map(|u| match u {
                Urgency::Soon => view! { " "<span class="tag tag--warning">{x.due_soon}</span> },
                Urgency::Overdue => view! { " "<span class="tag tag--error">{x.due_overdue}</span> },
            });
            let holder = match (e.held_by_me, e.holder) {
                (true, _) => x.held_by_you.to_owned(),
                (false, Some(name)) => name,
                (false, None) => x.unclaimed.to_owned(),
            };
            let holder = view! { {holder}{e.assigned.then(|| view! { " "<span class="tag">{x.assigned_tag}</span> })} };
            row([
                cell(view! { <a href=format!("/staff/cases/{}", e.number)>{e.number.clone()}</a> }),
                cell(e.item_name.get(locale).to_owned()),
                cell(e.applicant),
                cell(view! { <span class=format!("status status--{}", e.status.code())>{ax.status_label(e.status)}</span> }),
                cell(format_beijing_time(e.submitted_at)),
                cell(view! { {e.promised_due.unwrap_or_default()}{urgency} }),
                cell(holder),
            ])
        })
        .collect::<Vec<_>>();
    view! {
        <p class="lead">{lead}</p>
        <section aria-labelledby="counts-title">
            <h2 id="counts-title">{x.counts_title}</h2>
            {if q.counts.is_empty() {
                view! { <p>{x.counts_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="counts">
                        {q.counts.iter().map(|(s, n)| view! {
                            <li><a href=format!("/staff/cases?status={}", s.code())>{ax.status_label(*s)}" "<strong>{*n}</strong></a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <form method="get" action="/staff/cases" class="filters" aria-labelledby="filter-title">
            <h2 id="filter-title">{x.filter_title}</h2>
            <SelectField id="filter-status" name="status" label=x.filter_status options=status_options value=status/>
            <SelectField id="filter-service" name="service" label=x.filter_service options=service_options value=service/>
            <SelectField id="filter-due" name="due" label=x.filter_due options=due_options value=due/>
            <div class="checkbox">
                <input type="checkbox" id="filter-mine" name="mine" value="yes" checked=mine/>
                <label for="filter-mine">{x.filter_mine}</label>
            </div>
            <div class="checkbox">
                <input type="checkbox" id="filter-assigned" name="assigned" value="yes" checked=assigned/>
                <label for="filter-assigned">{x.filter_assigned}</label>
            </div>
            <button type="submit" class="button button--secondary">{x.filter_apply}</button>
        </form>
        {if empty {
            view! { <p>{x.queue_empty}</p> }.into_any()
        } else {
            view! {
                <DataTable
                    caption=x.queue_title
                    headers=vec![x.col_number, x.col_service, x.col_applicant, x.col_status, x.col_submitted, x.col_due, x.col_holder]
                    rows=rows
                />
            }.into_any()
        }}
    }
}

/// The notice a redirect after a console post names (`?done=`).
fn done_notice(x: &'static Text) -> Option<impl IntoView> {
    let text = match query("done")?.as_str() {
        "claimed" => x.done_claimed.to_owned(),
        "released" => x.done_released.to_owned(),
        "note" => x.done_note.to_owned(),
        "checks" => x.done_checks.to_owned(),
        "assigned" => x.done_assigned.to_owned(),
        "intake" => x.intake_done.to_owned(),
        code => fill(x.done_decided, &[x.action_label(Action::from_code(code)?)]),
    };
    Some(view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })
}

/// `/staff/cases/:number`: one case in the caller's scope.
#[component]
pub fn CasePage() -> impl IntoView {
    let number = use_params_map().with_untracked(|p| p.get("number")).unwrap_or_default();
    let reveal = query("reveal").is_some_and(|r| r == "id");
    let case = Resource::new(move || number.clone(), move |n| case_detail(Some(n), Some(reveal)));
    let x = use_text();
    view! {
        <div class="container case">
            <p class="back-link"><a href="/staff/cases">{x.back_to_queue}</a></p>
            {when_ready(move || async move {
                match case.await {
                    Ok(c) => view! { <CaseBody c/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(AppError::NotFound) => {
                        crate::error::set_status(404);
                        view! { <PageHeading title=x.case_not_found/> }.into_any()
                    }
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn CaseBody(c: CaseView) -> impl IntoView {
    let x = use_text();
    let ax = crate::applications::text::use_text();
    let locale = use_locale();
    let posted = use_posted_form();
    let title = format!("{} {}", c.item_name.get(locale), c.number);
    let base = format!("/staff/cases/{}", c.number);
    let form_error = posted.form_error.map(|code| {
        let text = match code {
            "assign_taken" => fill(x.form_assign_taken, &[posted.extra("holder").unwrap_or_default()]),
            code => x.form_error_text(code).to_owned(),
        };
        view! { <Notice kind=NoticeKind::Error><p>{text}</p></Notice> }
    });
    let holder = match (c.held_by_me, c.holder.clone()) {
        (true, _) => x.held_by_you.to_owned(),
        (false, Some(name)) => name,
        (false, None) => x.unclaimed.to_owned(),
    };
    let held_by_other = c.holder.clone().filter(|_| !c.held_by_me);
    let claim_form = (!c.held_by_me && c.holder.is_none() && !c.status.is_closed()).then(|| view! {
        <form method="post" action=format!("{base}/claim")><button type="submit" class="button">{x.claim}</button></form>
    });
    let release_form = (c.held_by_me && !c.status.is_closed()).then(|| view! {
        <form method="post" action=format!("{base}/release")><button type="submit" class="button button--secondary">{x.release}</button></form>
    });
    let paused_days = format!("{:.1}", c.paused_secs as f64 / 86_400.0);
    let files: Vec<(String, String)> = c.files.iter().map(|f| (f.slot.clone(), f.name.clone())).collect();
    view! {
        <PageHeading title=title/>
        {done_notice(x)}
        {form_error}
        <dl class="facts">
            <div><dt>{ax.status_title}</dt><dd><span class=format!("status status--{}", c.status.code())>{ax.status_label(c.status)}</span></dd></div>
            <div><dt>{x.applicant}</dt><dd>{c.applicant.clone()}</dd></div>
            <div><dt>{x.applicant_id}</dt><dd>{c.applicant_id_masked.clone()}" "{if c.revealed {
                view! { <a href=base.clone()>{x.hide_id}</a> }.into_any()
            } else {
                view! { <a href=format!("{base}?reveal=id")>{x.reveal_id}</a> }.into_any()
            }}</dd></div>
            <div><dt>{ax.submitted_at}</dt><dd>{format_beijing_time(c.submitted_at)}</dd></div>
            {c.review_due.clone().filter(|_| c.status == Status::Submitted).map(|d| view! {
                <div><dt>{x.review_due}</dt><dd>{d}<br/><small>{x.review_due_hint}</small></dd></div>
            })}
            {c.promised_due.clone().map(|d| view! { <div><dt>{ax.promised_due}</dt><dd>{d}</dd></div> })}
            {c.statutory_due.clone().map(|d| view! { <div><dt>{ax.statutory_due}</dt><dd>{d}</dd></div> })}
            {c.standing.clone().map(|s| time_limit_facts(x, &s))}
            {(c.paused_secs > 0).then(|| view! { <div><dt>{x.paused}</dt><dd>{fill(x.paused_value, &[&paused_days])}</dd></div> })}
            {c.prereviewed_at.map(|t| view! { <div><dt>{x.prereviewed}</dt><dd>{format_beijing_time(t)}</dd></div> })}
            <div><dt>{x.holder}</dt><dd>{holder}</dd></div>
            {c.assigned_by.clone().map(|name| view! { <div><dt>{x.assigned_by}</dt><dd>{name}</dd></div> })}
        </dl>
        {claim_form}
        {release_form}
        {c.may_assign.then(|| assign_section(x, &c))}
        {c.changes.clone().map(|changes| changes_section(x, locale, &c, changes))}
        <section aria-labelledby="answers-title" class="case__answers">
            <h2 id="answers-title">{x.answers_title}</h2>
            {answers_by_step(ax, locale, &c.form, &c.answers, &files, None, c.revealed)}
        </section>
        {materials_section(x, &c)}
        {decisions_section(x, &c, held_by_other)}
        <crate::documents::CaseDocuments number=c.number.clone()/>
        {notes_section(x, &c)}
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{ax.timeline_title}</h2>
            <ol class="timeline">{timeline(x, &c)}</ol>
        </section>
    }
}

/// The case's timeline, newest first: what the applicant sees, and the staff-only entries
/// (assignments) marked as such.
fn timeline(x: &'static Text, c: &CaseView) -> impl IntoView {
    let ax = crate::applications::text::use_text();
    let mut entries: Vec<(i64, AnyView)> = c
        .events
        .iter()
        .map(|e| {
            let entry = view! {
                <li>
                    <time>{format_beijing_time(e.at)}</time>" "
                    <strong>{ax.event_label(&e.status)}</strong>
                    " · "{ax.actor_label(&e.actor_role)}
                    {(!e.note.is_empty()).then(|| view! { <p class="preserve-lines">{e.note.clone()}</p> })}
                </li>
            };
            (e.at, entry.into_any())
        })
        .chain(c.assignments.iter().map(|a| {
            let entry = view! {
                <li>
                    <time>{format_beijing_time(a.at)}</time>" "
                    <strong>{fill(x.timeline_assigned, &[&a.by, &a.to])}</strong>
                    " "<span class="tag">{x.timeline_internal}</span>
                </li>
            };
            (a.at, entry.into_any())
        }))
        .collect();
    // Stable: entries of the same second keep their order (applicant's first), then reversed.
    entries.sort_by_key(|(at, _)| *at);
    entries.into_iter().rev().map(|(_, entry)| entry).collect_view()
}

/// A supervisor's form to assign or reassign the case; it carries the claim shown, so a claim
/// or assignment made in between wins and this one is refused.
fn assign_section(x: &'static Text, c: &CaseView) -> impl IntoView {
    let posted = use_posted_form();
    let error = posted.error_code("assignee").map(|e| x.field_error_text(e).to_owned());
    let problems: Vec<FieldMessage> =
        error.iter().map(|text| FieldMessage { field_id: "assign-assignee".to_owned(), text: text.clone() }).collect();
    let body = if c.assignees.is_empty() {
        view! { <p>{x.assign_none}</p> }.into_any()
    } else {
        let mut options = vec![(String::new(), x.assignee_choose.to_owned())];
        options.extend(c.assignees.iter().map(|(id, name)| (id.to_string(), name.clone())));
        view! {
            <ErrorSummary errors=problems/>
            <form method="post" action=format!("/staff/cases/{}/assign", c.number) novalidate>
                <input type="hidden" name="claim_seen" value=c.claim_seen.clone()/>
                <SelectField id="assign-assignee" name="assignee" label=x.assignee options=options value=posted.value("assignee") error=error/>
                <button type="submit" class="button button--secondary">{x.assign_submit}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="assign-title" class="case__assign">
            <h2 id="assign-title">{x.assign_title}</h2>
            <p>{x.assign_lead}</p>
            {body}
        </section>
    }
}

fn changes_section(x: &'static Text, locale: Locale, c: &CaseView, changes: Vec<ChangedAnswer>) -> impl IntoView {
    let ax = crate::applications::text::use_text();
    let added: Vec<String> = c.files.iter().filter(|f| f.new_in_latest).map(|f| f.name.clone()).collect();
    let rows = changes
        .into_iter()
        .map(|ch| {
            row([
                cell(question_label(locale, &c.form, &ch.key)),
                cell(answer_text(ax, locale, &c.form, &ch.key, &ch.before, c.revealed)),
                cell(answer_text(ax, locale, &c.form, &ch.key, &ch.after, c.revealed)),
            ])
        })
        .collect::<Vec<_>>();
    let none = rows.is_empty();
    view! {
        <section aria-labelledby="changes-title" class="card case__changes">
            <h2 id="changes-title">{x.changes_title}</h2>
            <p>{fill(x.changes_lead, &[&(c.revision - 1).to_string()])}</p>
            {if none {
                view! { <p>{x.changes_none}</p> }.into_any()
            } else {
                view! { <DataTable caption=x.changes_title headers=vec![x.change_question, x.change_before, x.change_after] rows=rows/> }.into_any()
            }}
            {(!added.is_empty()).then(|| view! {
                <h3>{x.files_added}</h3>
                <ul>{added.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

/// The materials, each with its files and the checklist's verdict. For the holder of the case
/// (or a supervisor) the whole list is one form: the clerk goes through every material and saves
/// once, and a problem with one verdict keeps what was chosen for the others.
fn materials_section(x: &'static Text, c: &CaseView) -> impl IntoView {
    let posted = use_posted_form();
    let editable = c.may_record_checks;
    // This form was posted and came back with a problem (another form's post leaves it alone).
    let mine = posted.values.keys().any(|k| k.starts_with("verdict.") || k.starts_with("note."));
    let error_of = |field: &str| posted.error_code(field).map(|e| x.field_error_text(e).to_owned());
    let problems: Vec<FieldMessage> = posted
        .errors
        .iter()
        .filter(|e| e.field.starts_with("verdict.") || e.field.starts_with("note."))
        .map(|e| FieldMessage {
            field_id: format!("check-{}", e.field.replace('.', "-")),
            text: x.field_error_text(&e.code).to_owned(),
        })
        .collect();
    let materials = c
        .materials
        .iter()
        .map(|m| {
            let slots = slots_of(&c.form, &m.id);
            let files: Vec<CaseFile> = c.files.iter().filter(|f| slots.contains(&f.slot)).cloned().collect();
            let check = c.checks.iter().find(|k| k.material == m.id).cloned();
            let number = c.number.clone();
            let verdict_line = match &check {
                Some(k) => view! {
                    <p class="material__verdict">
                        <span class=if k.verdict == Verdict::Mismatch { "tag tag--error" } else { "tag" }>{x.verdict_label(k.verdict)}</span>
                        {k.needs_review.then(|| view! { " "<span class="tag tag--warning">{x.check_needs_review}</span> })}
                        " "<small>{fill(x.check_recorded, &[&k.by, &format_beijing_time(k.at)])}</small>
                        {(!k.note.is_empty()).then(|| view! { <br/>{k.note.clone()} })}
                    </p>
                }
                .into_any(),
                None => view! { <p class="material__verdict"><span class="tag">{x.verdict_none}</span></p> }.into_any(),
            };
            let fields = editable.then(|| {
                let (verdict_name, note_name) = (format!("verdict.{}", m.id), format!("note.{}", m.id));
                // Shown again after a problem: what was chosen; otherwise what is recorded.
                let (verdict, note) = if !mine {
                    (check.as_ref().map(|k| k.verdict.code().to_owned()).unwrap_or_default(), check.as_ref().map(|k| k.note.clone()).unwrap_or_default())
                } else {
                    (posted.value(&verdict_name), posted.value(&note_name))
                };
                // A recorded verdict is replaced, not taken back: "not checked" only until then.
                let mut options: Vec<(String, String)> =
                    if check.is_none() { vec![(String::new(), x.verdict_none.to_owned())] } else { Vec::new() };
                options.extend(Verdict::ALL.into_iter().map(|v| (v.code().to_owned(), x.verdict_label(v).to_owned())));
                view! {
                    <SelectField id=format!("check-verdict-{}", m.id) name=verdict_name.clone() label=fill(x.check_verdict, &[&m.name]) options=options value=verdict error=error_of(&verdict_name)/>
                    <TextField id=format!("check-note-{}", m.id) name=note_name.clone() label=fill(x.check_note, &[&m.name]) value=note error=error_of(&note_name)/>
                }
            });
            view! {
                <div class="material">
                    <h3>{m.name.clone()}</h3>
                    {if files.is_empty() {
                        view! { <p>{x.material_missing}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="case-files">
                                {files.into_iter().map(|f| {
                                    let href = format!("/staff/cases/{number}/files/{}", f.id);
                                    let thumb = f.thumbnail.then(|| view! { <img src=format!("{href}/thumbnail") alt="" width="96"/> });
                                    view! { <li>{thumb}<a href=href.clone() download="">{fill(x.download, &[&f.name])}</a></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {verdict_line}
                    {fields}
                </div>
            }
        })
        .collect_view();
    let body = if editable {
        view! {
            <p>{x.checks_lead}</p>
            <ErrorSummary errors=problems/>
            <form method="post" action=format!("/staff/cases/{}/checks", c.number) novalidate>
                <input type="hidden" name="revision" value=c.revision.to_string()/>
                {materials}
                <button type="submit" class="button">{x.checks_save}</button>
            </form>
        }
        .into_any()
    } else {
        view! { <p>{x.checks_read_only}</p>{materials} }.into_any()
    };
    view! {
        <section aria-labelledby="materials-title" class="case__materials">
            <h2 id="materials-title">{x.materials_title}</h2>
            {body}
        </section>
    }
}

/// Problems of the posted decision, with the ids of the fields they belong to.
fn decision_problems(x: &'static Text, action: &str) -> Vec<FieldMessage> {
    let posted = use_posted_form();
    posted
        .errors
        .iter()
        .map(|e| FieldMessage {
            field_id: format!("{action}-{}", e.field.replace('.', "-")),
            text: x.field_error_text(&e.code).to_owned(),
        })
        .collect()
}

fn decisions_section(x: &'static Text, c: &CaseView, held_by_other: Option<String>) -> impl IntoView {
    let posted = use_posted_form();
    let posted_action = posted.value("action");
    let base = format!("/staff/cases/{}", c.number);
    let body = if let Some(name) = held_by_other {
        view! { <p>{fill(x.decisions_claim_first, &[&name])}</p> }.into_any()
    } else if c.decisions.is_empty() {
        view! { <p>{x.decisions_none}</p> }.into_any()
    } else {
        c.decisions
            .iter()
            .map(|action| {
                let action = *action;
                let code = action.code();
                let mine = posted_action == code;
                let problems = if mine { decision_problems(x, code) } else { Vec::new() };
                let error_of = |field: &str| {
                    mine.then(|| posted.error_code(field).map(|e| x.field_error_text(e).to_owned())).flatten().into_iter().collect::<Vec<_>>()
                };
                let kept = |field: &str, default: &str| if mine { posted.value(field) } else { default.to_owned() };
                let reason_label = if action.needs_reason() { x.reason } else { x.note_optional };
                let appeal = (action == Action::NotAccept).then(|| view! {
                    <TextArea id=format!("{code}-appeal") name="appeal" label=x.appeal value=kept("appeal", x.appeal_default) errors=error_of("appeal") rows=3/>
                });
                let items = (action == Action::RequestSupplement).then(|| supplement_fields(x, c, mine));
                let reason = view! {
                    <TextArea id=format!("{code}-reason") name="reason" label=reason_label value=kept("reason", "") errors=error_of("reason") rows=3/>
                };
                view! {
                    <section class="card decision" aria-labelledby=format!("{code}-title")>
                        <h3 id=format!("{code}-title")>{x.action_label(action)}</h3>
                        <p>{x.action_lead(action)}</p>
                        <ErrorSummary errors=problems/>
                        <form method="post" action=format!("{base}/decision") novalidate>
                            <input type="hidden" name="action" value=code/>
                            <input type="hidden" name="read_at" value=c.read_at.to_string()/>
                            {items}
                            {reason}
                            {appeal}
                            <button type="submit" class=if matches!(action, Action::NotAccept | Action::Deny | Action::Return) { "button button--warning" } else { "button" }>
                                {x.action_label(action)}
                            </button>
                        </form>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <section aria-labelledby="decisions-title" class="case__decisions">
            <h2 id="decisions-title">{x.decisions_title}</h2>
            {body}
        </section>
    }
}

/// The 补正 checklist: every material of the item, ticked ones with their reason.
fn supplement_fields(x: &'static Text, c: &CaseView, mine: bool) -> impl IntoView {
    let posted = use_posted_form();
    let items_error = mine.then(|| posted.error_code("items").map(|e| x.field_error_text(e).to_owned())).flatten();
    let class = if items_error.is_some() { "field field--error" } else { "field" };
    view! {
        <fieldset id="request_supplement-items" class=class>
            <legend class="field__label">{x.supplement_items}</legend>
            {(!c.suggested_supplement.is_empty()).then(|| view! { <p class="field__hint">{x.supplement_suggested}</p> })}
            {items_error.map(|e| view! { <p class="field__error">{e}</p> })}
            {c.materials.iter().map(|m| {
                let need = format!("need.{}", m.id);
                let why = format!("why.{}", m.id);
                let ticked = if mine { posted.value(&need) == "yes" } else { c.suggested_supplement.contains(&m.id) };
                let why_error = mine.then(|| posted.error_code(&why).map(|e| x.field_error_text(e).to_owned())).flatten();
                let why_value = if mine { posted.value(&why) } else { String::new() };
                view! {
                    <div class="checkbox">
                        <input type="checkbox" id=format!("request_supplement-need-{}", m.id) name=need value="yes" checked=ticked/>
                        <label for=format!("request_supplement-need-{}", m.id)>{m.name.clone()}</label>
                    </div>
                    <TextField id=format!("request_supplement-why-{}", m.id) name=why label=fill(x.supplement_item_reason, &[&m.name]) value=why_value error=why_error/>
                }
            }).collect_view()}
        </fieldset>
    }
}

fn notes_section(x: &'static Text, c: &CaseView) -> impl IntoView {
    let posted = use_posted_form();
    let mine = posted.value("action").is_empty() && posted.error_code("body").is_some();
    let errors = if mine {
        posted.error_code("body").map(|e| x.field_error_text(e).to_owned()).into_iter().collect()
    } else {
        Vec::new()
    };
    let value = if mine { posted.value("body") } else { String::new() };
    view! {
        <section aria-labelledby="notes-title" class="case__notes">
            <h2 id="notes-title">{x.notes_title}</h2>
            <p>{x.notes_lead}</p>
            {if c.notes.is_empty() {
                view! { <p>{x.notes_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="notes">
                        {c.notes.iter().map(|n| view! {
                            <li><time>{format_beijing_time(n.at)}</time>" · "{n.author.clone()}<p class="preserve-lines">{n.body.clone()}</p></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form method="post" action=format!("/staff/cases/{}/notes", c.number) novalidate>
                <TextArea id="note-body" name="body" label=x.note_body value=value errors=errors rows=3/>
                <button type="submit" class="button button--secondary">{x.note_add}</button>
            </form>
        </section>
    }
}

/// The time limit as it stands: working days used of those promised (with the warning or
/// overdue tag), the paused working days, and the promised day moved by them.
fn time_limit_facts(x: &'static Text, s: &crate::supervision::TimeStanding) -> impl IntoView {
    let tag = s.urgency.map(|u| match u {
        Urgency::Soon => view! { " "<span class="tag tag--warning">{x.due_soon}</span> },
        Urgency::Overdue => view! { " "<span class="tag tag--error">{x.due_overdue}</span> },
    });
    let used = fill(x.time_used_value, &[&s.used_days.to_string(), &s.promised_days.to_string()]);
    view! {
        <div><dt>{x.time_used}</dt><dd>{used}{tag}</dd></div>
        {(s.paused_days > 0).then(|| view! {
            <div><dt>{x.time_paused}</dt><dd>{fill(x.time_paused_value, &[&s.paused_days.to_string()])}</dd></div>
            <div><dt>{x.time_due_moved}</dt><dd>{s.due.clone()}</dd></div>
        })}
    }
}
