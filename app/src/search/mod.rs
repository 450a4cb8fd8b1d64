//! Site search: service items (by name, alias, keyword, material, pinyin initials) first, then
//! departments.

use crate::departments::{check_query, search_departments, Department, QueryProblem, MAX_QUERY_CHARS};
use crate::i18n::{fill, use_locale, use_messages};
use crate::ui::{in_one_pass, when_ready};
use crate::ui::{ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, TextField};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_messages();
    let query = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let checked = check_query(&query);
    // The input boundary removed control characters from the address and named `q`.
    let refused = crate::ui::use_posted_form().error_code("q") == Some(crate::error::FieldError::CONTROL_CHARACTERS);
    // An empty search just shows the form; only an overlong or refused one is an error.
    let error = if refused {
        Some(t.field_error_control_characters.to_owned())
    } else {
        (checked == Err(QueryProblem::TooLong)).then(|| fill(t.search_error_too_long, &[&MAX_QUERY_CHARS.to_string()]))
    };
    if error.is_some() {
        crate::error::set_status(400);
    }
    let summary = error.iter().map(|e| FieldMessage { field_id: "search-q".into(), text: e.clone() }).collect();
    let to_search = checked.ok().filter(|_| !refused).map(str::to_owned);
    let results = move || {
        let to_search = to_search.clone();
        async move {
            match to_search {
                Some(q) => {
                    let services = crate::catalogue::search_services(q.clone()).await?;
                    let departments = search_departments(q).await?;
                    Ok(Some((services, departments)))
                }
                None => Ok(None),
            }
        }
    };
    view! {
        <div class="container">
            <PageHeading title=t.search_title/>
            <ErrorSummary errors=summary/>
            <form class="search-form" role="search" method="get" action="/search">
                <TextField
                    id="search-q"
                    name="q"
                    label=t.search_label
                    value=query.clone()
                    hint=Some(t.search_hint.to_owned())
                    error=error
                    input_type="search"
                />
                <button type="submit" class="button">{t.search_button}</button>
            </form>
            {when_ready(move || {
                let query = query.trim().to_owned();
                let results = results();
                async move {
                    match results.await {
                        Ok(Some((services, found))) => in_one_pass(view! { <SearchResults query services found/> }).into_any(),
                        Ok(None) => ().into_any(),
                        Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn SearchResults(query: String, services: Vec<crate::catalogue::ServiceHit>, found: Vec<Department>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    if found.is_empty() && services.is_empty() {
        return view! {
            <section aria-labelledby="results-title">
                <h2 id="results-title">{fill(t.search_results_for, &[&query])}</h2>
                <Notice kind=NoticeKind::Info><p>{fill(t.search_no_results, &[&query])}</p></Notice>
            </section>
        }
        .into_any();
    }
    let total = services.len() + found.len();
    view! {
        <section aria-labelledby="results-title">
            <h2 id="results-title">{fill(t.search_results_for, &[&query])}</h2>
            <p class="results-count">{fill(t.search_results_count, &[&total.to_string()])}</p>
            <ol class="result-list">
                <crate::catalogue::ServiceResults hits=services/>
                {found
                    .into_iter()
                    .map(|d| {
                        view! {
                            <li class="result">
                                <p class="result__kind">{t.search_result_department}</p>
                                <h3 class="result__title">
                                    <a href=format!("/services?department={}", d.code)>{d.name.get(locale).to_owned()}</a>
                                </h3>
                                <p>{d.duties.get(locale).to_owned()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

crate::page_routes!(SearchRoutes {
    "/search" => SearchPage,
});
