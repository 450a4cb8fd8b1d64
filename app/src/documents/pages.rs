//! The documents on the applicant's case page and the console's case page, and the public
//! verification page (`/verify/:reference`).

use super::api::{case_documents, my_documents, verify_document, DocumentEntry, Verification};
use super::text::{use_text, Text};
use crate::error::AppError;
use crate::i18n::format_beijing_time;
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, Notice, NoticeKind, PageHeading};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The documents of the signed-in citizen's application `reference`.
#[component]
pub fn MyDocuments(reference: String) -> impl IntoView {
    let documents = Resource::new(move || reference.clone(), |r| my_documents(Some(r)));
    view! { <DocumentSection documents/> }
}

/// The documents of the case numbered `number`, for staff of its scope.
#[component]
pub fn CaseDocuments(number: String) -> impl IntoView {
    let documents = Resource::new(move || number.clone(), |n| case_documents(Some(n)));
    view! { <DocumentSection documents/> }
}

#[component]
fn DocumentSection(documents: Resource<Result<Vec<DocumentEntry>, AppError>>) -> impl IntoView {
    let x = use_text();
    view! {
        {when_ready(move || async move {
            // The page around it reports a failure of its own data; this list just stays away.
            let list = documents.await.unwrap_or_default();
            view! {
                <section class="documents" aria-labelledby="documents-title">
                    <h2 id="documents-title">{x.documents_title}</h2>
                    {if list.is_empty() {
                        view! { <p>{x.documents_none}</p> }.into_any()
                    } else {
                        view! { <p>{x.documents_lead}</p>{document_table(x, list)} }.into_any()
                    }}
                </section>
            }
        })}
    }
}

fn document_table(x: &'static Text, list: Vec<DocumentEntry>) -> impl IntoView {
    let rows = list
        .into_iter()
        .map(|d| {
            let name = x.kind_label(d.kind);
            let state = if d.superseded { x.state_superseded } else { x.state_current };
            let label = crate::i18n::fill(x.download_label, &[name]);
            row([
                cell(name),
                cell(format_beijing_time(d.issued_at)),
                cell(state),
                cell(view! { <a href=d.href aria-label=label>{x.download_link}</a> }),
            ])
        })
        .collect();
    view! {
        <DataTable caption=x.documents_title headers=vec![x.col_document, x.col_issued, x.col_state, x.col_download] rows/>
    }
}

/// `/verify/:reference`: whether a document is genuine and current, with what it says in
/// outline (the applicant's name masked) and its SHA-256. No sign-in; an unknown or forged
/// reference is a 404 saying so.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let reference = use_params_map().with_untracked(|p| p.get("reference")).unwrap_or_default();
    let verification = Resource::new(move || reference.clone(), |r| verify_document(Some(r)));
    let x = use_text();
    view! {
        <div class="container prose">
            {when_ready(move || async move {
                match verification.await {
                    Ok(v) => verified(x, v).into_any(),
                    Err(AppError::NotFound) => {
                        crate::error::set_status(404);
                        view! {
                            <PageHeading title=x.verify_title/>
                            <Notice kind=NoticeKind::Error><p>{x.verify_unknown}</p></Notice>
                        }
                        .into_any()
                    }
                    Err(err) => view! { <PageHeading title=x.verify_title/><crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

fn verified(x: &'static Text, v: Verification) -> impl IntoView {
    let (kind, message, state) = if v.current {
        (NoticeKind::Success, x.verify_genuine, x.state_current)
    } else {
        (NoticeKind::Warning, x.verify_superseded, x.state_superseded)
    };
    let issued = format_beijing_time(v.issued_at).chars().take(10).collect::<String>();
    view! {
        <PageHeading title=x.verify_title/>
        <Notice kind><p class="verify-result">{message}</p></Notice>
        <h2>{x.verify_facts}</h2>
        <dl class="facts">
            <div><dt>{x.verify_kind}</dt><dd>{x.kind_label(v.kind)}</dd></div>
            <div><dt>{x.verify_state}</dt><dd>{state}</dd></div>
            <div><dt>{x.verify_number}</dt><dd>{v.number}</dd></div>
            <div><dt>{x.verify_item}</dt><dd lang="zh-CN">{v.item_name}</dd></div>
            <div><dt>{x.verify_issued}</dt><dd>{issued}</dd></div>
            <div><dt>{x.verify_department}</dt><dd lang="zh-CN">{v.department_name}</dd></div>
            <div><dt>{x.verify_applicant}</dt><dd lang="zh-CN">{v.applicant_masked}</dd></div>
            <div><dt>{x.verify_sha256}</dt><dd><code class="digest">{v.sha256}</code></dd></div>
        </dl>
        <p>{x.verify_sha256_hint}</p>
    }
}
