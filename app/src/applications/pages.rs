//! The citizen's application pages. Every one is a plain HTML page whose forms post to their
//! own address (`platform::forms`), so the whole flow works without JavaScript.

use super::api::*;
use super::model::{entry_key, field_id, is_asked, steps, PublicProgress, Status, StepKind, RATING_INDICATORS};
use super::text::{use_text, Text};
use crate::catalogue::model::{Question, QuestionKind};
use crate::error::AppError;
use crate::i18n::{fill, format_beijing_time, use_locale, Locale};
use crate::ui::when_ready;
use crate::ui::{
    use_posted_form, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, SelectField, SignInNeeded, TextArea,
    TextField,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name)).unwrap_or_default()
}

fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

/// The frame of every page about one application: loads it for the signed-in citizen, or says
/// to sign in (401) or that there is no such application of theirs (404).
#[component]
fn ApplicationFrame<F, V>(body: F) -> impl IntoView
where
    F: Fn(ApplicationView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let reference = param("reference");
    let here = leptos_router::hooks::use_location().pathname.get_untracked();
    let view_of = Resource::new(move || reference.clone(), |r| my_application(Some(r)));
    view! {
        <div class="container application">
            {when_ready(move || {
                let body = body.clone();
                let here = here.clone();
                async move {
                    match view_of.await {
                        Ok(v) => view! { {body(v)}<crate::accounts::SessionKeeper staff=false/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! { <SignInNeeded next=here/> }.into_any(),
                        Err(AppError::NotFound) => {
                            let x = use_text();
                            crate::error::set_status(404);
                            view! { <PageHeading title=x.application_not_found/> <p><a href="/applications">{x.my_applications_title}</a></p> }.into_any()
                        }
                        Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

/// A notice named by `?notice=` after a redirect, or a whole-form problem of a rejected post.
fn notices(x: &'static Text) -> impl IntoView {
    let posted = use_posted_form();
    let done = query("notice")
        .and_then(|n| x.notice_text(&n))
        .map(|(kind, text)| view! { <Notice kind=kind><p>{text}</p></Notice> });
    let problem = posted.form_error.map(|key| {
        let business =
            (key == "needs_business").then(|| view! { " "<a href="/account/business">{x.link_business}</a> });
        view! { <Notice kind=NoticeKind::Error><p>{x.form_error_text(key)}{business}</p></Notice> }
    });
    let restored = posted.restored.then(
        || view! { <Notice kind=NoticeKind::Info><p>{crate::i18n::use_messages().kept_after_sign_in}</p></Notice> },
    );
    (done, problem, restored)
}

fn item_name(locale: Locale, name: &crate::site::Bilingual) -> String {
    name.get(locale).to_owned()
}

/// `/services/:code/apply`: what applying online takes, and the start button.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    let code = param("code");
    let intro = Resource::new(move || code.clone(), apply_intro);
    view! {
        <div class="container narrow">
            {when_ready(move || async move {
                match intro.await {
                    Ok(i) if i.online => {
                        let name = item_name(locale, &i.name);
                        let titles: Vec<String> = steps(&i.form).iter().map(|s| step_title(x, locale, s.kind, &s.questions)).collect();
                        let uploads: Vec<String> = i.form.questions.iter().filter(|q| q.kind == QuestionKind::File).map(|q| q.label.get(locale).to_owned()).collect();
                        let limit = if i.promised_working { fill(x.apply_limit_working, &[&i.promised_days.to_string()]) } else { fill(x.apply_limit_natural, &[&i.promised_days.to_string()]) };
                        view! {
                            <leptos_meta::Title text=fill(x.apply_title, &[&name])/>
                            <p class="back-link"><a href=format!("/services/{}", i.code)>{x.back_to_guide}</a></p>
                            <PageHeading title=fill(x.apply_title, &[&name]) lead=x.apply_lead/>
                            {notices(x)}
                            <h2>{x.apply_steps_title}</h2>
                            <ol class="task-list">
                                {titles.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                                <li>{x.step_review}</li>
                            </ol>
                            {(!uploads.is_empty()).then(|| view! {
                                <h2>{x.apply_uploads_title}</h2>
                                <p>{x.apply_uploads_lead}</p>
                                <ul>{uploads.into_iter().map(|u| view! { <li>{u}</li> }).collect_view()}</ul>
                            })}
                            <p>{limit}</p>
                            <p>{x.apply_drafts_kept}</p>
                            <form method="post" action=format!("/services/{}/apply", i.code)>
                                <button type="submit" class="button button--start">{x.apply_start}</button>
                            </form>
                        }.into_any()
                    }
                    Ok(_) | Err(AppError::NotFound) => {
                        crate::error::set_status(404);
                        view! { <PageHeading title=x.apply_not_online/> <p><a href="/services">{x.back_to_services}</a></p> }.into_any()
                    }
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

fn step_title(x: &'static Text, locale: Locale, kind: StepKind, questions: &[&Question]) -> String {
    match kind {
        StepKind::Details => x.step_details.to_owned(),
        StepKind::Group => questions.first().map(|q| q.label.get(locale).to_owned()).unwrap_or_default(),
        StepKind::Materials => x.step_materials.to_owned(),
    }
}

/// `/applications/:reference/prefill`: the consent question, asked once per item: which fields,
/// from which register, for what; agree or type by hand.
#[component]
pub fn PrefillPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    view! {
        <ApplicationFrame body=move |a: ApplicationView| {
            let name = item_name(locale, &a.item_name);
            let action = format!("/applications/{}/prefill", a.reference);
            view! {
                <leptos_meta::Title text=x.prefill_title/>
                <PageHeading title=x.prefill_title lead=name/>
                {notices(x)}
                {(!a.prefill.real_name_verified).then(|| view! {
                    <Notice kind=NoticeKind::Info><p>{x.prefill_needs_real_name}" "<a href="/account">{x.prefill_verify_link}</a></p></Notice>
                })}
                <p>{x.prefill_lead}</p>
                {a.prefill.sources.into_iter().map(|s| view! {
                    <section class="card consent">
                        <h2>{s.name.get(locale).to_owned()}</h2>
                        <dl class="facts">
                            <div><dt>{x.prefill_provider}</dt><dd>{s.provider.get(locale).to_owned()}</dd></div>
                            <div><dt>{x.prefill_purpose}</dt><dd>{s.purpose.get(locale).to_owned()}</dd></div>
                            <div><dt>{x.prefill_fields}</dt><dd>{locale.join_list(&s.fields.iter().map(|f| f.get(locale).to_owned()).collect::<Vec<_>>())}</dd></div>
                        </dl>
                    </section>
                }).collect_view()}
                <p>{x.prefill_editable}</p>
                <form method="post" action=action class="button-row">
                    <button type="submit" name="decision" value="agree" class="button">{x.prefill_agree}</button>
                    <button type="submit" name="decision" value="decline" class="button button--secondary">{x.prefill_decline}</button>
                </form>
            }
        }/>
    }
}

/// `/applications/:reference/step/:n`: one step of the form.
#[component]
pub fn StepPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    let number: usize = param("n").parse().unwrap_or(0);
    view! {
        <ApplicationFrame body=move |a: ApplicationView| {
            let all = steps(&a.form);
            let total = all.len();
            let Some(step) = number.checked_sub(1).and_then(|i| all.get(i)).cloned() else {
                crate::error::set_status(404);
                return view! { <PageHeading title=x.application_not_found/> }.into_any();
            };
            if !a.status.citizen_can_edit() {
                return view! {
                    <Notice kind=NoticeKind::Info><p>{x.not_editable}" "<a href=format!("/applications/{}", a.reference)>{x.see_progress}</a></p></Notice>
                }.into_any();
            }
            let title = step_title(x, locale, step.kind, &step.questions);
            let posted = use_posted_form();
            let summary: Vec<FieldMessage> = posted
                .errors
                .iter()
                .map(|e| FieldMessage { field_id: field_id(&e.field), text: x.field_error_text(&e.code).to_owned() })
                .collect();
            let action = format!("/applications/{}/step/{number}", a.reference);
            let name = item_name(locale, &a.item_name);
            let progress = fill(x.step_of, &[&number.to_string(), &total.to_string()]);
            let is_materials = step.kind == StepKind::Materials;
            let back = if number > 1 { format!("/applications/{}/step/{}", a.reference, number - 1) } else { format!("/services/{}", a.item_code) };
            let dropped = !a.carried_over.is_empty();
            let moved = (number == 1 && a.moved_from_version.is_some()).then(|| view! {
                <Notice kind=NoticeKind::Info>
                    <p>{x.draft_moved}</p>
                    {dropped.then(|| view! { <p>{x.draft_moved_dropped}</p> })}
                </Notice>
            });
            let questions: Vec<Question> = step.questions.iter().map(|q| (*q).clone()).collect();
            let fields = match step.kind {
                StepKind::Details => questions.iter().filter(|q| is_asked(q, &a.answers, "")).map(|q| question_field(x, locale, q, q.id.clone(), &a)).collect_view().into_any(),
                StepKind::Group => group_fields(x, locale, &questions[0], &a).into_any(),
                StepKind::Materials => ().into_any(),
            };
            let uploads = is_materials.then(|| materials_section(x, locale, &questions, &a));
            let checks = field_checks(&step, &a);
            let enhancer = (!checks.is_empty()).then(|| view! {
                <super::enhance::StepEnhancer
                    reference=a.reference.clone()
                    step=number as u32
                    checks=checks
                    messages=x.answer_messages()
                    saved_text=x.autosaved.to_owned()
                    failed_text=x.autosave_failed.to_owned()
                />
            });
            view! {
                <leptos_meta::Title text=format!("{title} - {name}")/>
                <p class="back-link"><a href=back>{x.back}</a></p>
                <p class="step-progress">{progress}</p>
                <PageHeading title=title lead=name/>
                {moved}
                {notices(x)}
                <ErrorSummary errors=summary/>
                {uploads}
                <form method="post" action=action class="application-form" novalidate>
                    // Enter in a text field sends the form's first button: make that "continue".
                    <button type="submit" name="action" value="continue" class="visually-hidden" tabindex="-1" aria-hidden="true">{x.continue_button}</button>
                    {fields}
                    {enhancer}
                    <div class="button-row">
                        <button type="submit" name="action" value="continue" class="button">{x.continue_button}</button>
                        <button type="submit" name="action" value="save" class="button button--secondary">{x.save_and_leave}</button>
                    </div>
                </form>
            }.into_any()
        }/>
    }
}

/// The fields a step draws, for the browser's checks and autosave.
fn field_checks(step: &super::model::Step<'_>, a: &ApplicationView) -> Vec<super::enhance::FieldCheck> {
    super::model::step_fields(step, &a.answers)
        .into_iter()
        .map(|(key, q)| super::enhance::FieldCheck { id: field_id(&key), key, question: q.clone() })
        .collect()
}

/// One question as a labelled field, with its answer (typed, posted or prefilled), its message,
/// and where a prefilled answer came from.
pub(crate) fn question_field(
    x: &'static Text,
    locale: Locale,
    q: &Question,
    key: String,
    a: &ApplicationView,
) -> AnyView {
    let posted = use_posted_form();
    let value = if posted.values.contains_key(&key) { posted.value(&key) } else { a.answers.value(&key).to_owned() };
    let error = posted.error_code(&key).map(|code| x.field_error_text(code).to_owned());
    let mut label = q.label.get(locale).to_owned();
    if !q.required {
        label.push_str(x.optional_suffix);
    }
    let source = a.answers.source_of(&key).map(|s| {
        let register = x.register_name(&s.resource);
        fill(x.prefilled_from, &[register, &format_beijing_time(s.retrieved_at)])
    });
    let hint = match (q.hint.as_ref().map(|h| h.get(locale).to_owned()), source) {
        (Some(h), Some(s)) => Some(format!("{h} {s}")),
        (h, s) => h.or(s),
    };
    let id = field_id(&key);
    match q.kind {
        QuestionKind::Choice => {
            let mut options = vec![(String::new(), x.choose.to_owned())];
            options.extend(q.options.iter().map(|o| (o.value.clone(), o.label.get(locale).to_owned())));
            view! { <SelectField id=id name=key label=label options=options value=value error=error/> }.into_any()
        }
        QuestionKind::Address if a.at_window => {
            view! { <TextField id=id name=key label=label value=value hint=hint error=error autocomplete="off"/> }
                .into_any()
        }
        QuestionKind::Address => {
            let choosing = query("address").as_deref() == Some(key.as_str());
            let help = view! {
                <super::address::AddressHelp reference=a.reference.clone() key=key.clone() id=id.clone() value=value.clone() label=label.clone() choosing=choosing/>
            };
            view! {
                <TextField id=id.clone() name=key label=label value=value hint=hint error=error autocomplete="off" list=format!("{id}-places")/>
                {help}
            }
            .into_any()
        }
        _ => {
            let (input_type, autocomplete) = match q.kind {
                QuestionKind::Date => ("date", "off"),
                QuestionKind::Phone => ("tel", "tel"),
                _ => ("text", "off"),
            };
            view! { <TextField id=id name=key label=label value=value hint=hint error=error input_type=input_type autocomplete=autocomplete/> }.into_any()
        }
    }
}

/// A repeating group: each entry in its own fieldset with a remove button, and an add button;
/// both are plain submit buttons, so no JavaScript is needed.
pub(crate) fn group_fields(x: &'static Text, locale: Locale, group: &Question, a: &ApplicationView) -> impl IntoView {
    let posted = use_posted_form();
    let len = a.answers.group_len(&group.id);
    let label = group.label.get(locale).to_owned();
    let hint = group.hint.as_ref().map(|h| h.get(locale).to_owned());
    let error = posted.error_code(&group.id).map(|code| x.field_error_text(code).to_owned());
    let error_shown = error.is_some();
    let can_add = group.max_items.is_none_or(|max| len < max);
    let limits = match (group.min_items, group.max_items) {
        (Some(min), Some(max)) => Some(fill(x.group_limits, &[&min.to_string(), &max.to_string()])),
        _ => None,
    };
    // On the clerk's one-page intake form several groups share a form: the buttons name theirs.
    let (add_value, remove_value) = if a.at_window {
        let id = group.id.clone();
        (format!("add:{id}"), Box::new(move |i: u16| format!("remove:{id}:{i}")) as Box<dyn Fn(u16) -> String>)
    } else {
        ("add".to_owned(), Box::new(|i: u16| format!("remove:{i}")) as Box<dyn Fn(u16) -> String>)
    };
    let entries = (0..len)
        .map(|index| {
            let prefix = format!("{}.{index}.", group.id);
            let legend = fill(x.group_entry, &[&label, &(index + 1).to_string()]);
            let fields = group
                .questions
                .iter()
                .filter(|q| is_asked(q, &a.answers, &prefix))
                .map(|q| question_field(x, locale, q, entry_key(&group.id, index, &q.id), a))
                .collect_view();
            view! {
                <fieldset class="group-entry" id=field_id(&format!("{}.{index}", group.id))>
                    <legend>{legend.clone()}</legend>
                    {fields}
                    <button type="submit" name="action" value=remove_value(index) class="button button--secondary button--small">
                        {fill(x.group_remove, &[&legend])}
                    </button>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div class=if error_shown { "field field--error" } else { "field" } id=field_id(&group.id)>
            {hint.map(|h| view! { <p class="field__hint">{h}</p> })}
            {limits.map(|l| view! { <p class="field__hint">{l}</p> })}
            {error.map(|e| view! { <p class="field__error">{e}</p> })}
            {(len == 0).then(|| view! { <p>{x.group_empty}</p> })}
        </div>
        {entries}
        {can_add.then(|| view! {
            <button type="submit" name="action" value=add_value class="button button--secondary">{fill(x.group_add, &[&label])}</button>
        })}
    }
}

/// The materials step: for each file question, what is attached and a form to attach more.
pub(crate) fn materials_section(
    x: &'static Text,
    locale: Locale,
    questions: &[Question],
    a: &ApplicationView,
) -> impl IntoView {
    let posted = use_posted_form();
    // Files added since the last submission can be taken off; submitted ones stay with their
    // revision.
    let submitted_revision = a.revision;
    questions
        .iter()
        .map(|q| {
            let files: Vec<FileView> = a.files.iter().filter(|f| f.slot == q.id).cloned().collect();
            let material = a.materials.iter().find(|m| Some(&m.id) == q.material.as_ref()).map(|m| m.name.clone());
            let error = posted.error_code(&q.id).map(|code| upload_error_text(x, code, &a.limits));
            let error_shown = error.is_some();
            let mut label = q.label.get(locale).to_owned();
            if !q.required {
                label.push_str(x.optional_suffix);
            }
            let home = a.home.clone();
            // The slot rides in the address, so a refused upload knows where its message goes
            // before reading a byte of the body.
            let upload_action = format!("{home}/files?slot={}", q.id);
            let input_id = field_id(&q.id);
            let types_id = format!("{input_id}-types");
            let title_id = format!("{input_id}-title");
            let reusable: Vec<FileView> =
                a.earlier_files.iter().filter(|e| !a.files.iter().any(|f| f.slot == q.id && f.name == e.name && f.size == e.size)).cloned().collect();
            let slot = q.id.clone();
            view! {
                <section class=if error_shown { "card upload field--error" } else { "card upload" } aria-labelledby=title_id.clone()>
                    <h2 id=title_id.clone()>{label}</h2>
                    {material.map(|m| view! { <p class="field__hint">{fill(x.upload_material, &[&m])}</p> })}
                    {error.map(|e| view! { <p class="field__error" id=format!("{input_id}-error")>{e}</p> })}
                    {if files.is_empty() {
                        view! { <p>{x.upload_none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="file-list">
                                {files.into_iter().map(|f| {
                                    let href = format!("{home}/files/{}", f.id);
                                    let removable = f.revision > submitted_revision;
                                    view! {
                                        <li>
                                            {f.thumbnail.then(|| view! { <img class="file-list__thumb" src=format!("{href}/thumbnail") alt="" width="60" height="60"/> })}
                                            <a href=href.clone()>{f.name.clone()}<span class="visually-hidden">" "{fill(x.upload_view, &[&f.name])}</span></a>
                                            <span>" ("{file_facts(x, &f)}")"</span>
                                            {removable.then(|| view! {
                                                <form method="post" action=format!("{home}/files/remove") class="inline-form">
                                                    <input type="hidden" name="file" value=f.id.to_string()/>
                                                    <button type="submit" class="button button--link">{fill(x.upload_remove, &[&f.name])}</button>
                                                </form>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    <form method="post" action=upload_action enctype="multipart/form-data" class="upload-form">
                        <label for=input_id.clone() class="field__label">{x.upload_choose}</label>
                        <p class="field__hint" id=types_id.clone()>{fill(x.upload_types, &[&megabytes(a.limits.bytes_per_file)])}</p>
                        <input id=input_id.clone() type="file" name="file" multiple accept="application/pdf,image/jpeg,image/png" aria-describedby=types_id/>
                        <button type="submit" class="button button--secondary">{x.upload_button}</button>
                    </form>
                    {(!reusable.is_empty()).then(|| view! {
                        <details class="reuse">
                            <summary>{x.upload_reuse}</summary>
                            <ul class="file-list">
                                {reusable.into_iter().map(|f| view! {
                                    <li>
                                        <span>{f.name.clone()}" ("{file_facts(x, &f)}")"</span>
                                        <form method="post" action=format!("{home}/files/reuse") class="inline-form">
                                            <input type="hidden" name="slot" value=slot.clone()/>
                                            <input type="hidden" name="file" value=f.id.to_string()/>
                                            <button type="submit" class="button button--link">{fill(x.upload_reuse_button, &[&f.name])}</button>
                                        </form>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </details>
                    })}
                </section>
            }
        })
        .collect_view()
}

/// A size as people read it: "10 MB".
fn megabytes(bytes: i64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// An upload problem's message, naming the limit it is about.
fn upload_error_text(x: &'static Text, code: &str, limits: &UploadLimitsView) -> String {
    let text = x.field_error_text(code);
    match code {
        "upload_too_large" => fill(text, &[&megabytes(limits.bytes_per_file)]),
        "upload_too_many" => fill(text, &[&limits.files_per_slot.to_string()]),
        "upload_total_too_large" => fill(text, &[&megabytes(limits.bytes_per_application)]),
        _ => text.to_owned(),
    }
}

fn file_facts(x: &'static Text, f: &FileView) -> String {
    let kind = match f.media_type.as_str() {
        "application/pdf" => "PDF",
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        _ => "",
    };
    let size = if f.size >= 1024 * 1024 {
        format!("{:.1} MB", f.size as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (f.size + 1023) / 1024)
    };
    match f.pages {
        Some(p) => format!("{kind}, {}, {size}", fill(x.pdf_pages, &[&p.to_string()])),
        None => format!("{kind}, {size}"),
    }
}

/// The answers of a form, step by step, with a change link per step when still editable.
fn answers_list(x: &'static Text, locale: Locale, a: &ApplicationView, change: bool) -> impl IntoView {
    let files: Vec<(String, String)> = a.files.iter().map(|f| (f.slot.clone(), f.name.clone())).collect();
    answers_by_step(x, locale, &a.form, &a.answers, &files, change.then_some(a.reference.as_str()), false)
}

/// The answers of `form`, one section per step; `files` are (slot, name) of the files attached;
/// with `change_reference`, each step links to its page of that application. Prefilled answers
/// say which register they came from and when (for the applicant and the clerk alike). ID
/// numbers and phones are masked unless `unmasked` (a clerk's audited reveal).
pub(crate) fn answers_by_step(
    x: &'static Text,
    locale: Locale,
    form: &crate::catalogue::model::FormDefinition,
    answers: &super::model::Answers,
    files: &[(String, String)],
    change_reference: Option<&str>,
    unmasked: bool,
) -> impl IntoView {
    let shown = move |q: &Question, value: &str| {
        if unmasked && !value.trim().is_empty() && matches!(q.kind, QuestionKind::IdNumber | QuestionKind::Phone) {
            value.to_owned()
        } else {
            display_answer(x, locale, q, value)
        }
    };
    steps(form)
        .into_iter()
        .enumerate()
        .map(|(i, step)| {
            let title = step_title(x, locale, step.kind, &step.questions);
            let href = change_reference.map(|r| format!("/applications/{r}/step/{}", i + 1));
            let mut rows: Vec<(String, String, Option<String>)> = Vec::new();
            for q in &step.questions {
                if !is_asked(q, answers, "") {
                    continue;
                }
                match q.kind {
                    QuestionKind::Group => {
                        for index in 0..answers.group_len(&q.id) {
                            for inner in &q.questions {
                                let key = entry_key(&q.id, index, &inner.id);
                                let label = format!("{} {} · {}", q.label.get(locale), index + 1, inner.label.get(locale));
                                rows.push((label, shown(inner, answers.value(&key)), source_note(x, answers, &key)));
                            }
                        }
                    }
                    QuestionKind::File => {
                        let names: Vec<String> = files.iter().filter(|(slot, _)| *slot == q.id).map(|(_, name)| name.clone()).collect();
                        let shown = if names.is_empty() { x.not_answered.to_owned() } else { locale.join_list(&names) };
                        rows.push((q.label.get(locale).to_owned(), shown, None));
                    }
                    _ => rows.push((q.label.get(locale).to_owned(), shown(q, answers.value(&q.id)), source_note(x, answers, &q.id))),
                }
            }
            view! {
                <section class="answers">
                    <div class="answers__head">
                        <h2>{title.clone()}</h2>
                        {href.map(|href| view! { <a href=href>{x.change}<span class="visually-hidden">" "{title.clone()}</span></a> })}
                    </div>
                    <dl class="facts">
                        {rows.into_iter().map(|(label, value, source)| view! {
                            <div><dt>{label}</dt><dd>{value}{source.map(|s| view! { <br/><small>{s}</small> })}</dd></div>
                        }).collect_view()}
                    </dl>
                </section>
            }
        })
        .collect_view()
}

/// An answer as shown to people: a choice's label, ID numbers and phones masked, "not
/// answered" for nothing. `key` may name a repeating group's entry.
pub(crate) fn answer_text(
    x: &'static Text,
    locale: Locale,
    form: &crate::catalogue::model::FormDefinition,
    key: &str,
    value: &str,
    unmasked: bool,
) -> String {
    let mut parts = key.split('.');
    let first = parts.next().unwrap_or_default();
    let question = form.questions.iter().find(|q| q.id == first).and_then(|q| match parts.nth(1) {
        Some(inner) => q.questions.iter().find(|i| i.id == inner),
        None => Some(q),
    });
    match question {
        Some(q) if unmasked && matches!(q.kind, QuestionKind::IdNumber | QuestionKind::Phone) => value.to_owned(),
        Some(q) => display_answer(x, locale, q, value),
        None => value.to_owned(),
    }
}

/// The label of the question an answer key belongs to (group entries: group, number, question).
pub(crate) fn question_label(locale: Locale, form: &crate::catalogue::model::FormDefinition, key: &str) -> String {
    let mut parts = key.split('.');
    let first = parts.next().unwrap_or_default();
    let Some(q) = form.questions.iter().find(|q| q.id == first) else { return key.to_owned() };
    match (parts.next().and_then(|i| i.parse::<u16>().ok()), parts.next()) {
        (Some(index), Some(inner)) => {
            let inner =
                q.questions.iter().find(|i| i.id == inner).map(|i| i.label.get(locale).to_owned()).unwrap_or_default();
            format!("{} {} · {inner}", q.label.get(locale), index + 1)
        }
        _ => q.label.get(locale).to_owned(),
    }
}

fn display_answer(x: &'static Text, locale: Locale, q: &Question, value: &str) -> String {
    if value.trim().is_empty() {
        return x.not_answered.to_owned();
    }
    match q.kind {
        QuestionKind::Choice => q
            .options
            .iter()
            .find(|o| o.value == value)
            .map(|o| o.label.get(locale).to_owned())
            .unwrap_or_else(|| value.to_owned()),
        QuestionKind::IdNumber => {
            crate::identifiers::ResidentId::parse(value).map(|id| id.masked()).unwrap_or_else(|_| value.to_owned())
        }
        QuestionKind::Phone => crate::identifiers::mask_phone(value),
        _ => value.to_owned(),
    }
}

fn source_note(x: &'static Text, answers: &super::model::Answers, key: &str) -> Option<String> {
    answers
        .source_of(key)
        .map(|s| fill(x.prefilled_from, &[x.register_name(&s.resource), &format_beijing_time(s.retrieved_at)]))
}

/// `/applications/:reference/review`: check your answers, then declare and submit.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    view! {
        <ApplicationFrame body=move |a: ApplicationView| {
            if !a.status.citizen_can_edit() {
                return view! {
                    <Notice kind=NoticeKind::Info><p>{x.not_editable}" "<a href=format!("/applications/{}", a.reference)>{x.see_progress}</a></p></Notice>
                }.into_any();
            }
            let posted = use_posted_form();
            let count = |slot: &str| a.files.iter().filter(|f| f.slot == slot).count();
            let problems = super::rules::check_form(&a.form, &a.answers, &count);
            // Each problem links to the field on its step's page.
            let summary: Vec<(String, String)> = problems
                .iter()
                .map(|(step, e)| {
                    let label = question_label(locale, &a.form, &e.field);
                    (format!("{label}：{}", x.field_error_text(&e.code)), format!("/applications/{}/step/{step}#{}", a.reference, field_id(&e.field)))
                })
                .collect();
            let declaration_error = posted.error_code("declaration").map(|c| x.field_error_text(c).to_owned());
            let declaration_shown = declaration_error.is_some();
            let name = item_name(locale, &a.item_name);
            let action = format!("/applications/{}/review", a.reference);
            view! {
                <leptos_meta::Title text=format!("{} - {name}", x.step_review)/>
                <PageHeading title=x.step_review lead=name/>
                {notices(x)}
                {(!summary.is_empty()).then(|| view! {
                    <div class="error-summary" role="alert" aria-labelledby="problems-title" tabindex="-1">
                        <h2 id="problems-title" class="error-summary__title">{x.review_problems}</h2>
                        <ul>
                            {summary.into_iter().map(|(text, href)| view! { <li><a href=href>{text}</a></li> }).collect_view()}
                        </ul>
                    </div>
                })}
                {answers_list(x, locale, &a, true)}
                <form method="post" action=action class="application-form" novalidate>
                    <input type="hidden" name="submission_key" value=a.submission_key.clone()/>
                    <div class=if declaration_shown { "field field--error" } else { "field" }>
                        {declaration_error.map(|e| view! { <p class="field__error" id="q-declaration-error">{e}</p> })}
                        <div class="checkbox">
                            <input type="checkbox" id="q-declaration" name="declaration" value="yes"/>
                            <label for="q-declaration">{x.declaration}</label>
                        </div>
                    </div>
                    <button type="submit" class="button">{x.submit_button}</button>
                </form>
            }.into_any()
        }/>
    }
}

/// `/applications/:reference`: where the case stands, what happens next and by when, the
/// timeline, and what the citizen can do now (withdraw, answer a 补正 request, rate).
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    view! {
        <ApplicationFrame body=move |a: ApplicationView| {
            let name = item_name(locale, &a.item_name);
            let status = x.status_label(a.status);
            let draft = a.status == Status::Draft;
            let posted = use_posted_form();
            let confirm_error = posted.error_code("confirm").map(|c| x.field_error_text(c).to_owned());
            let confirm_shown = confirm_error.is_some();
            let next = next_steps(x, &a);
            let clock = clock_text(x, &a);
            view! {
                <leptos_meta::Title text=format!("{status} - {name}")/>
                <p class="back-link"><a href="/applications">{x.my_applications_title}</a></p>
                <PageHeading title=name.clone()/>
                {notices(x)}
                <dl class="facts">
                    {a.number.clone().map(|n| view! { <div><dt>{x.number_label}</dt><dd><strong class="application-number">{n}</strong></dd></div> })}
                    <div><dt>{x.status_title}</dt><dd><span class=format!("status status--{}", a.status.code())>{status}</span></dd></div>
                    {a.submitted_at.map(|t| view! { <div><dt>{x.submitted_at}</dt><dd>{format_beijing_time(t)}</dd></div> })}
                    {a.promised_due.clone().filter(|_| !a.status.is_closed()).map(|d| view! { <div><dt>{x.promised_due}</dt><dd>{d}</dd></div> })}
                    {a.statutory_due.clone().filter(|_| !a.status.is_closed()).map(|d| view! { <div><dt>{x.statutory_due}</dt><dd>{d}</dd></div> })}
                    {draft.then(|| a.expires_at.map(|t| view! { <div><dt>{x.draft_expires}</dt><dd>{format_beijing_time(t)}</dd></div> }))}
                </dl>
                {clock.map(|c| view! { <p class="clock">{c}</p> })}
                <h2>{x.next_title}</h2>
                <p>{next}</p>
                {draft.then(|| view! { <p><a class="button" href=format!("/applications/{}/step/{}", a.reference, a.step.max(1))>{x.continue_draft}</a></p> })}
                {a.supplement.clone().map(|s| view! {
                    <section class="card supplement" aria-labelledby="supplement-title">
                        <h2 id="supplement-title">{x.supplement_title}</h2>
                        <p>{fill(x.supplement_requested_at, &[&format_beijing_time(s.requested_at)])}</p>
                        {(!s.note.is_empty()).then(|| view! { <p>{s.note.clone()}</p> })}
                        <ul>{s.items.iter().map(|i| {
                            let material = a.materials.iter().find(|m| m.id == i.material).map(|m| m.name.clone()).unwrap_or_else(|| i.material.clone());
                            view! { <li><strong>{material}</strong>"："{i.reason.clone()}</li> }
                        }).collect_view()}</ul>
                        <p><a class="button" href=format!("/applications/{}/supplement", a.reference)>{x.supplement_answer}</a></p>
                    </section>
                })}
                {(!draft).then(|| view! { <crate::documents::MyDocuments reference=a.reference.clone()/> })}
                {(a.status == Status::Completed && a.rating.is_none()).then(|| rating_form(x, &a))}
                {a.rating.map(|(level, defaulted)| view! {
                    <p>{if defaulted { fill(x.rating_defaulted, &[x.rating_level(level)]) } else { fill(x.rating_given, &[x.rating_level(level)]) }}</p>
                })}
                {(!a.events.is_empty()).then(|| view! {
                    <h2>{x.timeline_title}</h2>
                    <ol class="timeline">
                        {a.events.iter().rev().map(|e| view! {
                            <li>
                                <time>{format_beijing_time(e.at)}</time>" "
                                <strong>{x.event_label(&e.status)}</strong>
                                " · "{x.actor_label(&e.actor_role)}
                                {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                            </li>
                        }).collect_view()}
                    </ol>
                })}
                {(!draft).then(|| view! {
                    <details class="answers-details">
                        <summary>{x.your_answers}</summary>
                        {answers_list(x, locale, &a, false)}
                    </details>
                })}
                {a.status.can_withdraw().then(|| view! {
                    <section class="card" aria-labelledby="withdraw-title">
                        <h2 id="withdraw-title">{x.withdraw_title}</h2>
                        <p>{x.withdraw_lead}</p>
                        <form method="post" action=format!("/applications/{}/withdraw", a.reference)>
                            <div class=if confirm_shown { "field field--error" } else { "field" }>
                                {confirm_error.clone().map(|e| view! { <p class="field__error">{e}</p> })}
                                <div class="checkbox">
                                    <input type="checkbox" id="q-confirm" name="confirm" value="yes"/>
                                    <label for="q-confirm">{x.withdraw_confirm}</label>
                                </div>
                            </div>
                            <button type="submit" class="button button--warning">{x.withdraw_button}</button>
                        </form>
                    </section>
                })}
            }
        }/>
    }
}

fn next_steps(x: &'static Text, a: &ApplicationView) -> String {
    match a.status {
        Status::Draft => x.next_draft.to_owned(),
        Status::Submitted => fill(x.next_submitted, &[a.review_due.as_deref().unwrap_or("")]),
        Status::Returned => x.next_returned.to_owned(),
        Status::SupplementRequested => x.next_supplement.to_owned(),
        Status::Accepted => fill(x.next_accepted, &[a.promised_due.as_deref().unwrap_or("")]),
        Status::Suspended => x.next_suspended.to_owned(),
        Status::Approved | Status::Denied => x.next_decided.to_owned(),
        Status::NotAccepted | Status::Completed | Status::Withdrawn => x.next_closed.to_owned(),
    }
}

/// The deadline countdown: days left, or why the clock stands still.
fn clock_text(x: &'static Text, a: &ApplicationView) -> Option<String> {
    if a.status.is_closed() || a.status == Status::Draft {
        return None;
    }
    if let (true, Some(since)) = (a.status.clock_stopped(), a.clock_stopped_at) {
        let why = match a.status {
            Status::SupplementRequested => x.clock_why_supplement,
            Status::Suspended => x.clock_why_suspended,
            _ => x.clock_why_returned,
        };
        return Some(fill(x.clock_stopped, &[&format_beijing_time(since), why]));
    }
    a.promised_days_left.map(|left| {
        if left >= 0 {
            fill(x.clock_days_left, &[&left.to_string()])
        } else {
            fill(x.clock_overdue, &[&(-left).to_string()])
        }
    })
}

fn rating_form(x: &'static Text, a: &ApplicationView) -> impl IntoView {
    let posted = use_posted_form();
    let level_error = posted.error_code("level").map(|c| x.field_error_text(c).to_owned());
    let indicator_error = posted.error_code("indicator").map(|c| x.field_error_text(c).to_owned());
    let (level_shown, indicator_shown) = (level_error.is_some(), indicator_error.is_some());
    let comment_error: Vec<String> =
        posted.error_code("comment").map(|c| x.field_error_text(c).to_owned()).into_iter().collect();
    view! {
        <section class="card rating" aria-labelledby="rating-title">
            <h2 id="rating-title">{x.rating_title}</h2>
            <p>{x.rating_lead}</p>
            <form method="post" action=format!("/applications/{}/rating", a.reference)>
                <fieldset class=if level_shown { "field field--error" } else { "field" } id="q-level">
                    <legend>{x.rating_level_label}</legend>
                    {level_error.map(|e| view! { <p class="field__error">{e}</p> })}
                    {(1..=5).rev().map(|level: i64| view! {
                        <div class="radio">
                            <input type="radio" id=format!("q-level-{level}") name="level" value=level.to_string() checked=posted.value("level") == level.to_string()/>
                            <label for=format!("q-level-{level}")>{x.rating_level(level)}</label>
                        </div>
                    }).collect_view()}
                </fieldset>
                <fieldset class=if indicator_shown { "field field--error" } else { "field" } id="q-indicator">
                    <legend>{x.rating_indicators_label}</legend>
                    {indicator_error.map(|e| view! { <p class="field__error">{e}</p> })}
                    {RATING_INDICATORS.iter().map(|i| view! {
                        <div class="checkbox">
                            <input type="checkbox" id=format!("q-indicator-{i}") name="indicator" value=*i/>
                            <label for=format!("q-indicator-{i}")>{x.indicator_label(i)}</label>
                        </div>
                    }).collect_view()}
                </fieldset>
                <TextArea id="q-comment" name="comment" label=x.rating_comment value=posted.value("comment") errors=comment_error rows=4/>
                <button type="submit" class="button">{x.rating_submit}</button>
            </form>
        </section>
    }
}

/// `/applications/:reference/supplement`: the 补正 notice with an upload per material it names,
/// a note, and the resubmission.
#[component]
pub fn SupplementPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    view! {
        <ApplicationFrame body=move |a: ApplicationView| {
            let Some(s) = a.supplement.clone() else {
                return view! {
                    <Notice kind=NoticeKind::Info><p>{x.supplement_none}" "<a href=format!("/applications/{}", a.reference)>{x.see_progress}</a></p></Notice>
                }.into_any();
            };
            let posted = use_posted_form();
            let name = item_name(locale, &a.item_name);
            let slots: Vec<Question> = a
                .form
                .questions
                .iter()
                .filter(|q| q.kind == QuestionKind::File && s.items.iter().any(|i| q.material.as_deref() == Some(i.material.as_str())))
                .cloned()
                .collect();
            let missing: Vec<FieldMessage> = posted
                .errors
                .iter()
                .map(|e| FieldMessage { field_id: e.field.clone(), text: x.field_error_text(&e.code).to_owned() })
                .collect();
            let note_errors: Vec<String> = posted.error_code("note").map(|c| x.field_error_text(c).to_owned()).into_iter().collect();
            view! {
                <leptos_meta::Title text=format!("{} - {name}", x.supplement_title)/>
                <p class="back-link"><a href=format!("/applications/{}", a.reference)>{x.back}</a></p>
                <PageHeading title=x.supplement_title lead=name/>
                {notices(x)}
                <ErrorSummary errors=missing/>
                <ul>{s.items.iter().map(|i| {
                    let material = a.materials.iter().find(|m| m.id == i.material).map(|m| m.name.clone()).unwrap_or_else(|| i.material.clone());
                    view! { <li id=format!("material-{}", i.material)><strong>{material}</strong>"："{i.reason.clone()}</li> }
                }).collect_view()}</ul>
                {materials_section(x, locale, &slots, &a)}
                <form method="post" action=format!("/applications/{}/supplement", a.reference) class="application-form">
                    <TextArea id="q-note" name="note" label=x.supplement_note value=posted.value("note") errors=note_errors rows=4/>
                    <button type="submit" class="button">{x.supplement_submit}</button>
                </form>
            }.into_any()
        }/>
    }
}

/// `/applications`: 我的办件 — drafts to finish, cases in progress, finished ones, and the inbox.
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    let list = Resource::new(|| (), |_| my_applications());
    view! {
        <div class="container">
            <leptos_meta::Title text=x.my_applications_title/>
            <PageHeading title=x.my_applications_title lead=x.my_applications_lead/>
            {notices(x)}
            {when_ready(move || async move {
                match list.await {
                    Ok(mine) => {
                        let unread: Vec<NotificationView> = mine.notifications.iter().filter(|n| n.unread).cloned().collect();
                        let (drafts, cases): (Vec<ApplicationEntry>, Vec<ApplicationEntry>) = mine.entries.into_iter().partition(|e| e.status == Status::Draft);
                        view! {
                            <section aria-labelledby="inbox-title">
                                <h2 id="inbox-title">{fill(x.inbox_title, &[&unread.len().to_string()])}</h2>
                                {if unread.is_empty() {
                                    view! { <p>{x.inbox_empty}</p> }.into_any()
                                } else {
                                    view! { <ul class="inbox">{unread.into_iter().map(|n| view! {
                                        <li><a href=format!("/applications/{}", n.reference)>{item_name(locale, &n.item_name)}</a>"："{x.event_label(&n.kind)}" · "<time>{format_beijing_time(n.at)}</time></li>
                                    }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="drafts-title">
                                <h2 id="drafts-title">{x.drafts_title}</h2>
                                {if drafts.is_empty() { view! { <p>{x.drafts_empty}</p> }.into_any() } else {
                                    view! { <ul class="card-list">{drafts.into_iter().map(|d| view! {
                                        <li class="card">
                                            <a class="card__link" href=format!("/applications/{}", d.reference)>{item_name(locale, &d.item_name)}</a>
                                            <p class="card__text">{fill(x.draft_saved_at, &[&format_beijing_time(d.updated_at)])}
                                                {d.expires_at.map(|t| view! { " "{fill(x.draft_expires_at, &[&format_beijing_time(t)])} })}</p>
                                        </li>
                                    }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="cases-title">
                                <h2 id="cases-title">{x.cases_title}</h2>
                                {if cases.is_empty() { view! { <p>{x.cases_empty}</p> }.into_any() } else {
                                    view! { <ul class="card-list">{cases.into_iter().map(|c| view! {
                                        <li class="card">
                                            <a class="card__link" href=format!("/applications/{}", c.reference)>{item_name(locale, &c.item_name)}</a>
                                            <p class="card__text">
                                                {c.number.clone().map(|n| view! { {x.number_label}" "{n}" · " })}
                                                <span class=format!("status status--{}", c.status.code())>{x.status_label(c.status)}</span>
                                                {c.submitted_at.map(|t| view! { " · "{fill(x.submitted_on, &[&format_beijing_time(t)])} })}
                                            </p>
                                        </li>
                                    }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                            <crate::accounts::SessionKeeper staff=false/>
                        }.into_any()
                    }
                    Err(AppError::Unauthenticated) => view! { <SignInNeeded next="/applications"/> }.into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
            <p><a href="/progress">{x.progress_link}</a></p>
        </div>
    }
}

/// The lookup's result, handed to the page as JSON by the form handler (server only: the page
/// is not an island).
fn progress_from_json(json: &str) -> Option<PublicProgress> {
    #[cfg(feature = "ssr")]
    {
        serde_json::from_str(json).ok()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = json;
        None
    }
}

/// `/progress`: an application's progress by number and ID ending, without signing in.
#[component]
pub fn ProgressPage() -> impl IntoView {
    let x = use_text();
    let locale = use_locale();
    let posted = use_posted_form();
    let found: Option<PublicProgress> = posted.extra("progress").and_then(progress_from_json);
    let summary: Vec<FieldMessage> = posted
        .errors
        .iter()
        .map(|e| FieldMessage { field_id: format!("q-{}", e.field), text: x.field_error_text(&e.code).to_owned() })
        .collect();
    let number_error = posted.error_code("number").map(|c| x.field_error_text(c).to_owned());
    let last4_error = posted.error_code("id_last4").map(|c| x.field_error_text(c).to_owned());
    view! {
        <div class="container narrow">
            <leptos_meta::Title text=x.progress_title/>
            <PageHeading title=x.progress_title lead=x.progress_lead/>
            {notices(x)}
            <ErrorSummary errors=summary/>
            {found.map(|p| view! {
                <section class="card" aria-labelledby="progress-result">
                    <h2 id="progress-result">{item_name(locale, &p.item)}</h2>
                    <dl class="facts">
                        <div><dt>{x.number_label}</dt><dd>{p.number.clone()}</dd></div>
                        <div><dt>{x.status_title}</dt><dd>{x.status_label(p.status)}</dd></div>
                        {p.submitted_at.map(|t| view! { <div><dt>{x.submitted_at}</dt><dd>{format_beijing_time(t)}</dd></div> })}
                        {p.promised_due.clone().filter(|_| !p.status.is_closed()).map(|d| view! { <div><dt>{x.promised_due}</dt><dd>{d}</dd></div> })}
                    </dl>
                </section>
            })}
            <form method="post" action="/progress" novalidate>
                <TextField id="q-number" name="number" label=x.progress_number value=posted.value("number") hint=Some(x.progress_number_hint.to_owned()) error=number_error autocomplete="off"/>
                <TextField id="q-id_last4" name="id_last4" label=x.progress_last4 value=posted.value("id_last4") hint=Some(x.progress_last4_hint.to_owned()) error=last4_error autocomplete="off"/>
                <button type="submit" class="button">{x.progress_submit}</button>
            </form>
        </div>
    }
}
