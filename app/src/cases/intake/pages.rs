//! `/staff/intake`: identify a walk-in applicant and start; `/staff/intake/:reference`: the whole
//! application on one page (details, groups, scanned materials), saved or submitted by plain
//! form posts.

use super::{intake_draft, intake_start, IntakeDraft, IntakeStart};
use crate::applications::model::{is_asked, steps, StepKind};
use crate::applications::{group_fields, materials_section, question_field};
use crate::cases::text::use_text;
use crate::catalogue::model::Question;
use crate::i18n::{fill, format_beijing_time, use_locale};
use crate::ui::when_ready;
use crate::ui::{
    cell, row, use_posted_form, DataTable, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, SelectField,
    TextField,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn notice() -> Option<String> {
    use_query_map().with_untracked(|q| q.get("notice"))
}

/// A whole-form problem of an intake post.
fn form_problem() -> Option<impl IntoView> {
    let x = use_text();
    use_posted_form().form_error.map(|code| {
        let text = match code {
            "staff_forbidden" => crate::i18n::use_messages().staff_forbidden,
            code => x.form_error_text(code),
        };
        view! { <Notice kind=NoticeKind::Error><p>{text}</p></Notice> }
    })
}

#[component]
pub fn IntakePage() -> impl IntoView {
    let x = use_text();
    let data = Resource::new(|| (), |_| intake_start());
    view! {
        <div class="container">
            <p class="back-link"><a href="/staff/cases">{x.back_to_queue}</a></p>
            <PageHeading title=x.intake_title lead=x.intake_lead/>
            {when_ready(move || async move {
                match data.await {
                    Ok(start) => view! { <IntakeStartBody start/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(err) => view! { <crate::accounts::StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn IntakeStartBody(start: IntakeStart) -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    let posted = use_posted_form();
    let error = |field: &str| posted.error_code(field).map(|code| x.intake_error_text(code).to_owned());
    let summary: Vec<FieldMessage> = posted
        .errors
        .iter()
        .map(|e| FieldMessage {
            field_id: format!("intake-{}", e.field.replace('_', "-")),
            text: x.intake_error_text(&e.code).to_owned(),
        })
        .collect();
    let mut services = vec![(String::new(), x.intake_choose.to_owned())];
    services.extend(start.services.iter().map(|(code, name)| (code.clone(), name.get(locale).to_owned())));
    let open_empty = start.open.is_empty();
    let rows = start
        .open
        .into_iter()
        .map(|o| {
            row([
                cell(
                    view! { <a href=format!("/staff/intake/{}", o.reference)>{o.item_name.get(locale).to_owned()}</a> },
                ),
                cell(o.applicant),
                cell(format_beijing_time(o.registered_at)),
            ])
        })
        .collect::<Vec<_>>();
    view! {
        {form_problem()}
        <ErrorSummary errors=summary/>
        <section class="card" aria-labelledby="intake-identify-title">
            <h2 id="intake-identify-title">{x.intake_identify_title}</h2>
            <form method="post" action="/staff/intake" novalidate>
                <SelectField id="intake-service" name="service" label=x.intake_service options=services value=posted.value("service") error=error("service")/>
                <TextField id="intake-name" name="name" label=x.intake_name value=posted.value("name") error=error("name") autocomplete="off"/>
                <TextField id="intake-id-number" name="id_number" label=x.intake_id_number value=posted.value("id_number") hint=Some(x.intake_id_hint.to_owned()) error=error("id_number") autocomplete="off"/>
                <TextField id="intake-email" name="email" label=x.intake_email value=posted.value("email") error=error("email") input_type="email" autocomplete="off"/>
                <TextField id="intake-phone" name="phone" label=x.intake_phone value=posted.value("phone") error=error("phone") input_type="tel" autocomplete="off"/>
                <button type="submit" class="button">{x.intake_start}</button>
            </form>
        </section>
        <section aria-labelledby="intake-open-title">
            <h2 id="intake-open-title">{x.intake_open_title}</h2>
            {if open_empty {
                view! { <p>{x.intake_open_none}</p> }.into_any()
            } else {
                view! { <DataTable caption=x.intake_open_title headers=vec![x.intake_service, x.col_applicant, x.intake_col_registered] rows=rows/> }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn IntakeDraftPage() -> impl IntoView {
    let x = use_text();
    let reference = use_params_map().with_untracked(|p| p.get("reference")).unwrap_or_default();
    let data = Resource::new(move || reference.clone(), |r| intake_draft(Some(r)));
    view! {
        <div class="container application">
            <p class="back-link"><a href="/staff/intake">{x.intake_title}</a></p>
            {when_ready(move || async move {
                match data.await {
                    Ok(draft) => view! { <IntakeDraftBody draft/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(err) => view! { <crate::accounts::StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn IntakeDraftBody(draft: IntakeDraft) -> impl IntoView {
    let x = use_text();
    let ax = crate::applications::text::use_text();
    let locale = use_locale();
    let posted = use_posted_form();
    let a = draft.application;
    let summary: Vec<FieldMessage> = posted
        .errors
        .iter()
        .map(|e| FieldMessage {
            field_id: crate::applications::model::field_id(&e.field),
            text: ax.field_error_text(&e.code).to_owned(),
        })
        .collect();
    let done = notice().and_then(|n| match n.as_str() {
        "registered" => Some((NoticeKind::Success, x.intake_registered)),
        "saved" => Some((NoticeKind::Success, x.intake_saved)),
        other => ax.notice_text(other),
    });
    let all = steps(&a.form);
    let mut fields = Vec::new();
    let mut file_questions: Vec<Question> = Vec::new();
    for step in &all {
        let questions: Vec<Question> = step.questions.iter().map(|q| (*q).clone()).collect();
        match step.kind {
            StepKind::Details => fields.extend(
                questions
                    .iter()
                    .filter(|q| is_asked(q, &a.answers, ""))
                    .map(|q| question_field(ax, locale, q, q.id.clone(), &a)),
            ),
            StepKind::Group => {
                let label = questions[0].label.get(locale).to_owned();
                let group = group_fields(ax, locale, &questions[0], &a);
                fields.push(view! { <h3>{label}</h3>{group} }.into_any());
            }
            StepKind::Materials => file_questions.extend(questions),
        }
    }
    let uploads = (!file_questions.is_empty()).then(|| {
        let section = materials_section(ax, locale, &file_questions, &a);
        view! { <h2>{x.intake_materials_title}</h2>{section} }
    });
    let declaration_error = posted.error_code("declaration").map(|code| ax.field_error_text(code).to_owned());
    let declaration_class = if declaration_error.is_some() { "field field--error checkbox" } else { "field checkbox" };
    let lead = fill(x.intake_applicant, &[&draft.applicant, &draft.id_masked]);
    view! {
        <leptos_meta::Title text=format!("{} - {}", x.intake_title, a.item_name.get(locale))/>
        <PageHeading title=a.item_name.get(locale).to_owned() lead=lead/>
        {done.map(|(kind, text)| view! { <Notice kind=kind><p>{text}</p></Notice> })}
        {form_problem()}
        <ErrorSummary errors=summary/>
        {uploads}
        <form method="post" action=a.home.clone() class="application-form" novalidate>
            // Enter in a text field saves rather than submitting.
            <button type="submit" name="action" value="save" class="visually-hidden" tabindex="-1" aria-hidden="true">{x.intake_save}</button>
            <h2>{x.intake_answers_title}</h2>
            {fields}
            <input type="hidden" name="submission_key" value=a.submission_key.clone()/>
            <div class=declaration_class id=crate::applications::model::field_id("declaration")>
                {declaration_error.map(|e| view! { <p class="field__error">{e}</p> })}
                <input type="checkbox" id="intake-declaration" name="declaration" value="yes"/>
                <label for="intake-declaration">{x.intake_declaration}</label>
            </div>
            <div class="button-row">
                <button type="submit" name="action" value="submit" class="button">{x.intake_submit}</button>
                <button type="submit" name="action" value="save" class="button button--secondary">{x.intake_save}</button>
            </div>
        </form>
    }
}
