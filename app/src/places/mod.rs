//! Place-name and address lookup (地名地址查询): find a district, street, community or named
//! place in the spatial register, with its code, parent areas and coordinates. Open data, read
//! through the audited gateway; when the register cannot answer, the page says so and the
//! citizen carries on with the address as they typed it.

use crate::error::AppError;
use crate::i18n::{fill, use_messages, Locale};
use crate::registers::contract::{Place, PlaceKind};
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, ErrorSummary, FieldMessage, Notice, NoticeKind, PageHeading, TextField};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::use_query_map;

/// The longest place query: the longest full names (区 + 街道 + 社区) are about 25 characters.
pub const MAX_PLACE_QUERY_CHARS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceQueryProblem {
    Empty,
    TooLong,
}

/// The one rule for place queries, shared by the page and the endpoint.
pub fn check_place_query(text: &str) -> Result<&str, PlaceQueryProblem> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err(PlaceQueryProblem::Empty),
        n if n > MAX_PLACE_QUERY_CHARS => Err(PlaceQueryProblem::TooLong),
        _ => Ok(text),
    }
}

#[server(name = SearchPlaces, prefix = "/api", endpoint = "places/search", input = GetUrl)]
pub async fn search_places(query: String) -> Result<Vec<Place>, AppError> {
    let text = check_place_query(&query)
        .map_err(|_| crate::platform::fail(AppError::validation("q", "place_query_length")))?;
    /// Enough to choose from; more means the query should be more specific.
    const RESULTS: u32 = 30;
    let ctx = crate::platform::AppContext::current()?;
    let caller = crate::sharing::server::Caller::for_request("places.autocomplete", "public");
    let request =
        crate::registers::contract::PlaceRequest { text: text.to_owned(), kind: None, within: None, limit: RESULTS };
    ctx.shared.places(&caller, &request).await.map_err(|e| crate::platform::fail(e.into()))
}

#[component]
pub fn PlacesPage() -> impl IntoView {
    let t = use_messages();
    let query = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let error = (check_place_query(&query) == Err(PlaceQueryProblem::TooLong))
        .then(|| fill(t.places_error_too_long, &[&MAX_PLACE_QUERY_CHARS.to_string()]));
    if error.is_some() {
        crate::error::set_status(400);
    }
    let summary = error.iter().map(|e| FieldMessage { field_id: "places-q".into(), text: e.clone() }).collect();
    let to_search = check_place_query(&query).ok().map(str::to_owned);
    let results = Resource::new(
        move || to_search.clone(),
        |q| async move {
            match q {
                Some(q) => search_places(q).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <div class="container">
            <PageHeading title=t.places_title lead=t.places_lead/>
            <ErrorSummary errors=summary/>
            <form class="search-form" role="search" method="get" action="/places">
                <TextField id="places-q" name="q" label=t.places_label value=query.clone() hint=Some(t.places_hint.to_owned()) error=error/>
                <button type="submit" class="button">{t.places_button}</button>
            </form>
            {when_ready(move || {
                let query = query.trim().to_owned();
                async move {
                    match results.await {
                        Ok(Some(found)) => view! { <PlaceResults query found/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(AppError::Unavailable) => view! {
                            <Notice kind=NoticeKind::Warning title=t.places_unavailable_title>
                                <p>{t.places_unavailable_body}</p>
                            </Notice>
                        }
                        .into_any(),
                        Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

pub fn kind_label(kind: PlaceKind, locale: Locale) -> &'static str {
    let t = locale.messages();
    match kind {
        PlaceKind::District => t.place_kind_district,
        PlaceKind::Street => t.place_kind_street,
        PlaceKind::Community => t.place_kind_community,
        PlaceKind::Named => t.place_kind_named,
    }
}

#[component]
fn PlaceResults(query: String, found: Vec<Place>) -> impl IntoView {
    let t = use_messages();
    let locale = crate::i18n::use_locale();
    if found.is_empty() {
        return view! { <Notice kind=NoticeKind::Info><p>{fill(t.places_no_results, &[&query])}</p></Notice> }
            .into_any();
    }
    view! {
        <p class="results-count">{fill(t.search_results_count, &[&found.len().to_string()])}</p>
        <DataTable
            caption=fill(t.search_results_for, &[&query])
            headers=vec![t.places_col_name, t.places_col_kind, t.places_col_area, t.places_col_code, t.places_col_position]
            rows=found
                .into_iter()
                .map(|p| {
                    let position = format!("{:.5}, {:.5}", p.latitude, p.longitude);
                    let position = if p.surveyed { position } else { fill(t.places_approximate, &[&position]) };
                    row([
                        cell(p.name),
                        cell(kind_label(p.kind, locale)),
                        cell(p.full_name),
                        cell(view! { <code>{p.code}</code> }),
                        cell(position),
                    ])
                })
                .collect()
        />
        <p class="hint">{t.places_coordinates_note}</p>
    }
    .into_any()
}

crate::page_routes!(PlaceRoutes {
    "/places" => PlacesPage,
});
