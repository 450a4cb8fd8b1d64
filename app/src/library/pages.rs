//! `/library` (search with facets and pages) and `/library/records/{id}` (description,
//! copies per branch, where to find them, citations). Plain links and a GET form: everything
//! works without JavaScript.

use super::api::{library_record, search_catalogue};
use super::contract::clc_path;
use super::contract::{Branch, ItemStatus, RecordSource};
use super::model::*;
use super::text::{class_label, class_name, use_text, Text};
use crate::error::AppError;
use crate::i18n::{fill, use_locale, Locale};
use crate::ui::when_ready;
use crate::ui::{
    cell, row, DataTable, ErrorSummary, FieldMessage, MapMarker, Notice, NoticeKind, PageHeading, SelectField,
    TextField, TileMap,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn query_problem_text(t: &Text, problem: QueryProblem) -> String {
    match problem {
        QueryProblem::Empty => t.error_empty.to_owned(),
        QueryProblem::TooLong => fill(t.error_too_long, &[&MAX_QUERY_CHARS.to_string()]),
        QueryProblem::NothingToSearch => t.error_nothing.to_owned(),
    }
}

#[component]
pub fn LibrarySearchPage() -> impl IntoView {
    let t = use_text();
    let locale = use_locale();
    let get = |key: &str| use_query_map().with_untracked(|q| q.get(key));
    let submitted = get("q").is_some();
    let params = SearchParams::from_query(get);
    // An empty box on arrival is no error; an empty search is.
    let problem = check_query(&params.query).err().filter(|_| submitted);
    let error = problem.map(|p| query_problem_text(t, p));
    if error.is_some() {
        crate::error::set_status(400);
    }
    let summary = error.iter().map(|e| FieldMessage { field_id: "library-q".into(), text: e.clone() }).collect();
    let to_search = (submitted && problem.is_none()).then(|| params.clone());
    let results = Resource::new(
        move || to_search.clone(),
        |p| async move {
            match p {
                Some(p) => search_catalogue(
                    p.query.clone(),
                    Some(p.field.code().to_owned()),
                    p.branch.clone(),
                    p.available_only.then(|| "1".to_owned()),
                    p.class.clone(),
                    p.decade.map(|d| d.to_string()),
                    Some(p.page.to_string()),
                )
                .await
                .map(|r| Some((p, r))),
                None => Ok(None),
            }
        },
    );
    let fields: Vec<(String, String)> =
        SearchField::ALL.iter().map(|f| (f.code().to_owned(), t.field(*f).to_owned())).collect();
    // Filters chosen so far travel with a new query.
    let kept_filters = {
        let mut kept = Vec::new();
        if let Some(b) = &params.branch {
            kept.push(("branch", b.clone()));
        }
        if params.available_only {
            kept.push(("available", "1".to_owned()));
        }
        if let Some(c) = &params.class {
            kept.push(("class", c.clone()));
        }
        if let Some(d) = params.decade {
            kept.push(("decade", d.to_string()));
        }
        kept
    };
    view! {
        <div class="container">
            <PageHeading title=t.search_title lead=t.search_lead/>
            <ErrorSummary errors=summary/>
            <form class="search-form" role="search" method="get" action="/library">
                <TextField id="library-q" name="q" label=t.search_label value=params.query.clone() hint=Some(t.search_hint.to_owned()) error=error/>
                <SelectField id="library-field" name="field" label=t.search_field_label options=fields value=params.field.code().to_owned()/>
                {kept_filters.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
                <button type="submit" class="button">{t.search_button}</button>
            </form>
            {when_ready(move || async move {
                match results.await {
                    Ok(Some((p, found))) => view! { <SearchResultsView params=p found=found locale=locale/> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(AppError::Unavailable) => view! {
                        <Notice kind=NoticeKind::Warning title=t.unavailable_title>
                            <p>{t.unavailable_body}</p>
                        </Notice>
                    }
                    .into_any(),
                    Err(AppError::Validation(_)) => ().into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

fn branch_name(branches: &[Branch], code: &str, locale: Locale) -> String {
    branches.iter().find(|b| b.code == code).map(|b| b.name.get(locale).to_owned()).unwrap_or_else(|| code.to_owned())
}

#[component]
fn SearchResultsView(params: SearchParams, found: SearchResults, locale: Locale) -> impl IntoView {
    let t = use_text();
    let with = |change: &dyn Fn(&mut SearchParams)| {
        let mut p = params.clone();
        p.page = 1;
        change(&mut p);
        p.href()
    };
    // Active filters, each with a link removing it.
    let mut active: Vec<(String, String)> = Vec::new();
    if let Some(b) = &params.branch {
        active.push((branch_name(&found.branches, b, locale), with(&|p| p.branch = None)));
    }
    if params.available_only {
        active.push((t.facet_available.to_owned(), with(&|p| p.available_only = false)));
    }
    if let Some(c) = &params.class {
        active.push((class_label(c, locale), with(&|p| p.class = None)));
    }
    if let Some(d) = params.decade {
        active.push((fill(t.decade, &[&d.to_string()]), with(&|p| p.decade = None)));
    }
    let active_view = (!active.is_empty()).then(|| {
        view! {
            <div class="library-active-filters">
                <h2 class="visually-hidden">{t.filters_active}</h2>
                <ul class="link-list">
                    {active
                        .into_iter()
                        .map(|(label, href)| view! { <li><a href=href>{fill(t.filter_remove, &[&label])}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    if found.total == 0 {
        return view! {
            {active_view}
            <Notice kind=NoticeKind::Info><p>{fill(t.no_results, &[&params.query])}</p></Notice>
        }
        .into_any();
    }
    let facets = &found.facets;
    let facet_link = |label: String, count: u64, href: String| {
        view! { <li><a href=href>{label}</a>" "<span class="count">{format!("({count})")}</span></li> }
    };
    let availability = (!params.available_only && facets.available > 0)
        .then(|| facet_link(t.facet_available.to_owned(), facets.available, with(&|p| p.available_only = true)));
    let branch_links = facets
        .branches
        .iter()
        .filter(|_| params.branch.is_none())
        .map(|f| {
            let code = f.key.clone();
            facet_link(
                branch_name(&found.branches, &f.key, locale),
                f.count,
                with(&move |p| p.branch = Some(code.clone())),
            )
        })
        .collect_view();
    // The chosen class's path, each broader level a link back up, then the next level down.
    let class_trail = params.class.as_deref().map(|chosen| {
        let levels = clc_path(chosen);
        let (current, broader) = levels.split_last().map(|(c, b)| (c.clone(), b.to_vec())).unwrap_or_default();
        view! {
            <ol class="library-class-path" aria-label=t.class_path>
                <li><a href=with(&|p| p.class = None)>{t.class_all}</a></li>
                {broader
                    .into_iter()
                    .map(|level| {
                        let label = class_label(&level, locale);
                        view! { <li><a href=with(&move |p| p.class = Some(level.clone()))>{label}</a></li> }
                    })
                    .collect_view()}
                <li aria-current="true">{class_label(&current, locale)}</li>
            </ol>
        }
    });
    let class_links = facets
        .classes
        .iter()
        .map(|f| {
            let c = f.key.clone();
            facet_link(class_label(&c, locale), f.count, with(&move |p| p.class = Some(c.clone())))
        })
        .collect_view();
    let class_exact = params.class.as_deref().filter(|_| facets.class_exact > 0).map(|chosen| {
        view! {
            <li>
                {fill(t.class_exact, &[chosen])}" "
                <span class="count">{format!("({})", facets.class_exact)}</span>
            </li>
        }
    });
    let decade_links = facets
        .decades
        .iter()
        .filter(|_| params.decade.is_none())
        .filter_map(|f| {
            let d = f.key?;
            Some(facet_link(fill(t.decade, &[&d.to_string()]), f.count, with(&move |p| p.decade = Some(d))))
        })
        .collect_view();
    let pages = found.total.div_ceil(PAGE_SIZE as u64).min(u64::from(MAX_PAGE)) as u32;
    let page_href = |page: u32| {
        let mut p = params.clone();
        p.page = page;
        p.href()
    };
    let previous = (params.page > 1).then(|| page_href(params.page - 1));
    let next = (params.page < pages).then(|| page_href(params.page + 1));
    let deep = found.total > (MAX_PAGE as u64) * (PAGE_SIZE as u64);
    let branches = found.branches.clone();
    let start = (params.page as usize - 1) * PAGE_SIZE + 1;
    view! {
        {active_view}
        <p class="results-count" role="status">{fill(t.results_count, &[&found.total.to_string()])}</p>
        {(!found.live).then(|| view! { <Notice kind=NoticeKind::Warning><p>{t.not_live}</p></Notice> })}
        <div class="library-results">
            <nav class="library-facets" aria-label=t.facets_title>
                <h2>{t.facets_title}</h2>
                {availability.map(|a| view! { <h3>{t.facet_availability}</h3><ul class="link-list">{a}</ul> })}
                {params.branch.is_none().then(|| view! { <h3>{t.facet_branch}</h3><ul class="link-list">{branch_links}</ul> })}
                <h3>{t.facet_class}</h3>
                {class_trail}
                <ul class="link-list">{class_links}{class_exact}</ul>
                {params.decade.is_none().then(|| view! { <h3>{t.facet_decade}</h3><ul class="link-list">{decade_links}</ul> })}
            </nav>
            <section class="library-hits" aria-label=fill(t.results_caption, &[&params.query])>
                <ol class="library-hit-list" start=start.to_string()>
                    {found
                        .hits
                        .into_iter()
                        .map(|hit| {
                            let href = format!("/library/records/{}", hit.id);
                            let title = match &hit.subtitle {
                                Some(sub) => format!("{}：{sub}", hit.title),
                                None => hit.title.clone(),
                            };
                            let line = [
                                (!hit.authors.is_empty()).then(|| locale.join_list(&hit.authors)),
                                hit.publisher.clone(),
                                hit.year.map(|y| y.to_string()),
                                Some(hit.clc.clone()),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" · ");
                            let copies = match hit.copies {
                                None => view! { <p class="hint">{t.copies_unknown}</p> }.into_any(),
                                Some(c) if c.is_empty() => view! { <p class="hint">{t.no_copies}</p> }.into_any(),
                                Some(c) => view! {
                                    <ul class="library-copies">
                                        {c
                                            .into_iter()
                                            .map(|b| {
                                                let name = branch_name(&branches, &b.branch, locale);
                                                let text = fill(t.copies_summary, &[&name, &b.on_shelf.to_string(), &b.copies.to_string()]);
                                                let class = if b.on_shelf > 0 { "available" } else { "unavailable" };
                                                view! { <li class=class>{text}</li> }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                .into_any(),
                            };
                            view! {
                                <li class="library-hit">
                                    <h3><a href=href>{title}</a></h3>
                                    <p>{line}</p>
                                    {copies}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <nav class="pagination" aria-label=t.page_nav>
                    {previous.map(|href| view! { <a href=href rel="prev">{t.page_previous}</a> })}
                    <span>{fill(t.page_of, &[&params.page.to_string(), &pages.to_string()])}</span>
                    {next.map(|href| view! { <a href=href rel="next">{t.page_next}</a> })}
                </nav>
                {deep.then(|| view! { <p class="hint">{fill(t.deep_pages, &[&MAX_PAGE.to_string()])}</p> })}
            </section>
        </div>
    }
    .into_any()
}

#[component]
pub fn LibraryRecordPage() -> impl IntoView {
    let t = use_text();
    let locale = use_locale();
    let id = use_params_map().with_untracked(|p| p.get("id").unwrap_or_default());
    let record = Resource::new(move || id.clone(), library_record);
    // Whether a reserve button can be shown: only with a bound card (an anonymous visitor or a
    // citizen without a card gets a link to bind one instead).
    let card = Resource::new(
        || (),
        |_| async move {
            // Asked only for a signed-in citizen, so a visitor's page is never a 401.
            match crate::accounts::current_viewer().await {
                crate::accounts::Viewer::Citizen { .. } => super::api::has_library_card().await.unwrap_or(false),
                _ => false,
            }
        },
    );
    let posted = crate::ui::use_posted_form();
    view! {
        <div class="container">
            <p><a href="/library">{t.back_to_results}</a></p>
            {when_ready(move || {
                let posted = posted.clone();
                async move {
                let has_card = card.await;
                match record.await {
                    Ok(view) => view! { <RecordDetails view=view locale=locale has_card posted/> }.into_any(),
                    Err(AppError::NotFound) => view! {
                        <PageHeading title=t.record_title_fallback/>
                        <Notice kind=NoticeKind::Info><p>{t.record_not_found}</p></Notice>
                    }
                    .into_any(),
                    Err(AppError::Unavailable) => view! {
                        <PageHeading title=t.record_title_fallback/>
                        <Notice kind=NoticeKind::Warning title=t.unavailable_title>
                            <p>{t.record_unavailable_body}</p>
                        </Notice>
                    }
                    .into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            }})}
        </div>
    }
}

#[component]
fn RecordDetails(view: RecordView, locale: Locale, has_card: bool, posted: crate::ui::PostedForm) -> impl IntoView {
    let t = use_text();
    let r = view.record;
    let citation = super::citation::gbt7714(&r);
    let ris_href = format!("/library/records/{}/citation.ris", r.id);
    let publication = {
        let imprint = [r.place.clone(), r.publisher.clone()].into_iter().flatten().collect::<Vec<_>>().join(" : ");
        match r.year {
            Some(y) if imprint.is_empty() => y.to_string(),
            Some(y) => format!("{imprint}, {y}"),
            None => imprint,
        }
    };
    let rows: Vec<(&str, Option<String>)> = vec![
        (t.record_title, Some(r.title.clone())),
        (t.record_romanized, r.title_romanized.clone()),
        (t.record_responsibility, r.responsibility.clone()),
        (t.record_authors, (!r.authors.is_empty()).then(|| locale.join_list(&r.authors))),
        (t.record_edition, r.edition.clone()),
        (t.record_publication, (!publication.is_empty()).then_some(publication)),
        (t.record_extent, r.extent.clone()),
        (t.record_isbn, (!r.isbns.is_empty()).then(|| locale.join_list(&r.isbns))),
        (t.record_series, r.series.clone()),
        (t.record_subjects, (!r.subjects.is_empty()).then(|| r.subjects.join("; "))),
        (t.record_summary, r.summary.clone()),
        (
            t.record_clc,
            // The number with the name of its narrowest named class.
            Some(match clc_path(&r.clc).iter().rev().find_map(|level| class_name(level, locale)) {
                Some(name) => format!("{} {name}", r.clc),
                None => r.clc.clone(),
            }),
        ),
        (t.record_lcc, r.lcc.clone()),
        (
            t.record_source,
            Some(match r.source {
                RecordSource::LibraryOfCongress => t.source_loc.to_owned(),
                RecordSource::Generated => t.source_generated.to_owned(),
            }),
        ),
    ];
    let heading = match &r.subtitle {
        Some(sub) => format!("{}：{sub}", r.title),
        None => r.title.clone(),
    };
    let items = view.items;
    let record_path = format!("/library/records/{}", r.id);
    let reserve_action = format!("{record_path}/reserve");
    let bind_href = crate::ui::link::with_query("/library/my", &[("next", record_path.clone())]);
    let branch_options: Vec<(String, String)> =
        view.branches.iter().map(|b| (b.code.clone(), b.name.get(locale).to_owned())).collect();
    let reserve_problem = posted.form_error.map(|code| {
        view! { <Notice kind=NoticeKind::Error><p id="library-reserve-problem">{t.form_error(code)}</p></Notice> }
    });
    let reserve_intro = (!has_card && items.iter().any(|i| i.status == ItemStatus::OnShelf)).then(|| {
        view! { <p>{t.reserve_to_bind}" "<a href=bind_href.clone()>{t.reserve_bind_link}</a></p> }
    });
    let mut headers = vec![t.col_call_number, t.col_barcode, t.col_location, t.col_status];
    if has_card {
        headers.push(t.col_reserve);
    }
    let holding_branches: Vec<&Branch> =
        view.branches.iter().filter(|b| items.iter().any(|i| i.branch == b.code)).collect();
    let numbered = view.map_tiles.is_some();
    let map = view.map_tiles.map(|source| {
        let markers = holding_branches
            .iter()
            .enumerate()
            .map(|(i, b)| MapMarker {
                label: (i + 1).to_string(),
                name: b.name.get(locale).to_owned(),
                href: format!("#branch-{}", b.code),
                longitude: b.longitude,
                latitude: b.latitude,
            })
            .collect();
        view! { <TileMap source markers label=t.map_label.to_owned() caption=t.map_caption.to_owned()/> }
    });
    let holdings = holding_branches
        .into_iter()
        .enumerate()
        .map(|(n, b)| {
            let here: Vec<_> = items.iter().filter(|i| i.branch == b.code).cloned().collect();
            let map = format!(
                "https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}#map=17/{:.5}/{:.5}",
                b.latitude, b.longitude, b.latitude, b.longitude
            );
            let name = b.name.get(locale).to_owned();
            // The marker's number, so the map and the sections can be read together.
            let number = numbered.then(|| view! { <span class="map-number">{n + 1}</span>" " });
            view! {
                <section class="library-branch" id=format!("branch-{}", b.code)>
                    <h3>{number}{name.clone()}</h3>
                    <DataTable
                        caption=fill(t.holdings_caption, &[&name])
                        headers=headers.clone()
                        rows=here
                            .into_iter()
                            .map(|i| {
                                let status = t.status(i.status, i.due_date.as_deref());
                                let on_shelf = i.status == ItemStatus::OnShelf;
                                let class = if on_shelf { "status available" } else { "status" };
                                let reserve = has_card.then(|| {
                                    let form = on_shelf.then(|| {
                                        let select_id = format!("pickup-{}", i.barcode);
                                        let options = branch_options
                                            .iter()
                                            .map(|(code, name)| {
                                                view! { <option value=code.clone() selected=*code == i.branch>{name.clone()}</option> }
                                            })
                                            .collect_view();
                                        view! {
                                            <form method="post" action=reserve_action.clone() class="library-reserve">
                                                <input type="hidden" name="barcode" value=i.barcode.clone()/>
                                                <label for=select_id.clone()>{t.pickup_label}</label>
                                                <select id=select_id name="pickup_branch">{options}</select>
                                                <button type="submit" class="button button--secondary"
                                                    aria-label=fill(t.reserve_label, &[&i.barcode])>{t.reserve_button}</button>
                                            </form>
                                        }
                                    });
                                    cell(view! { {form} })
                                });
                                let mut cells = vec![
                                    cell(i.call_number.clone()),
                                    cell(i.barcode.clone()),
                                    cell(i.location.get(locale).to_owned()),
                                    cell(view! { <span class=class>{status}</span> }),
                                ];
                                cells.extend(reserve);
                                row(cells).id(format!("copy-{}", i.barcode))
                            })
                            .collect()
                    />
                    <h4>{t.where_title}</h4>
                    <p>{fill(t.where_address, &[b.address.get(locale)])}</p>
                    <p>{fill(t.where_hours, &[b.hours.get(locale)])}</p>
                    <p><a href=map rel="noopener noreferrer">{t.where_map}</a></p>
                </section>
            }
        })
        .collect_view();
    view! {
        <PageHeading title=heading/>
        <h2>{t.record_description}</h2>
        <dl class="library-description">
            {rows
                .into_iter()
                .filter_map(|(label, value)| value.map(|v| view! { <dt>{label}</dt><dd>{v}</dd> }))
                .collect_view()}
        </dl>
        <h2>{t.holdings_title}</h2>
        {reserve_problem}
        {reserve_intro}
        {if items.is_empty() { Some(view! { <p>{t.no_copies}</p> }) } else { None }}
        {map}
        {holdings}
        <p class="hint">{t.where_shelf}</p>
        <h2>{t.cite_title}</h2>
        <p><strong>{t.cite_gbt}</strong></p>
        <p class="library-citation">{citation}</p>
        <p><a href=ris_href download="">{t.cite_ris}</a></p>
    }
}

fn done_notice(t: &Text, notice: &str) -> Option<impl IntoView> {
    let text = match notice {
        "bound" => t.bound_notice,
        "unbound" => t.unbound_notice,
        "renewed" => t.renewed_notice,
        "reserved" => t.reserved_notice,
        _ => return None,
    };
    Some(view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> })
}

/// `/library/my`: the bound card's loans (with renew buttons) and holds, or the bind form.
#[component]
pub fn MyLibraryPage() -> impl IntoView {
    let t = use_text();
    let locale = use_locale();
    let query = |key: &str| use_query_map().with_untracked(|q| q.get(key).unwrap_or_default());
    let (notice, next) = (query("notice"), query("next"));
    let posted = crate::ui::use_posted_form();
    let mine = Resource::new(|| (), |_| super::api::my_library());
    let here = crate::ui::link::with_query("/library/my", &[("next", next.clone())]);
    view! {
        <div class="container">
            <PageHeading title=t.my_title lead=t.my_lead/>
            {done_notice(t, &notice)}
            {when_ready(move || {
                let (posted, next, here) = (posted.clone(), next.clone(), here.clone());
                async move {
                    match mine.await {
                        Ok(m) if !m.real_name_verified => view! {
                            <Notice kind=NoticeKind::Info>
                                <p>{t.needs_real_name}" "<a href="/account/profile">{t.verify_link}</a></p>
                            </Notice>
                        }
                        .into_any(),
                        Ok(MyLibrary { account: None, .. }) => view! { <BindCard posted next/> }.into_any(),
                        Ok(MyLibrary { account: Some(account), branches, .. }) => {
                            view! { <CardView account branches posted locale/> }.into_any()
                        }
                        Err(AppError::Unauthenticated) => view! {
                            <p>{t.sign_in}</p>
                            <crate::ui::SignInNeeded next=here/>
                        }
                        .into_any(),
                        Err(AppError::Unavailable) => view! {
                            <Notice kind=NoticeKind::Warning title=t.unavailable_title>
                                <p>{t.error_unavailable}</p>
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

#[component]
fn BindCard(posted: crate::ui::PostedForm, next: String) -> impl IntoView {
    let t = use_text();
    let error_of = |field: &str| {
        posted.error_code(field).map(|code| match (code, field) {
            (crate::error::FieldError::CONTROL_CHARACTERS, _) => {
                crate::i18n::use_messages().field_error_control_characters.to_owned()
            }
            ("format", "card_no") => t.error_card_format.to_owned(),
            (_, "card_no") => t.error_required_card.to_owned(),
            ("format", _) => t.error_pin_format.to_owned(),
            _ => t.error_required_pin.to_owned(),
        })
    };
    let (card_error, pin_error) = (error_of("card_no"), error_of("pin"));
    let summary: Vec<FieldMessage> = [("library-card-no", &card_error), ("library-pin", &pin_error)]
        .into_iter()
        .filter_map(|(id, e)| e.clone().map(|text| FieldMessage { field_id: id.into(), text }))
        .collect();
    let problem = posted.form_error.map(|code| {
        view! { <Notice kind=NoticeKind::Error><p id="library-bind-problem">{t.form_error(code)}</p></Notice> }
    });
    let next = if posted.values.contains_key("next") { posted.value("next") } else { next };
    view! {
        <section aria-labelledby="library-bind-title">
            <h2 id="library-bind-title">{t.bind_title}</h2>
            <ErrorSummary errors=summary/>
            {problem}
            <p>{t.bind_notice}</p>
            <form method="post" action="/library/my/bind" class="stack">
                <input type="hidden" name="next" value=next/>
                <TextField
                    id="library-card-no"
                    name="card_no"
                    label=t.card_label
                    value=posted.value("card_no")
                    hint=Some(t.card_hint.to_owned())
                    error=card_error
                    autocomplete="off"
                />
                <TextField
                    id="library-pin"
                    name="pin"
                    label=t.pin_label
                    hint=Some(t.pin_hint.to_owned())
                    error=pin_error
                    input_type="password"
                    autocomplete="off"
                />
                <button type="submit" class="button">{t.bind_button}</button>
            </form>
        </section>
    }
}

#[component]
fn CardView(
    account: super::contract::PatronAccount,
    branches: Vec<Branch>,
    posted: crate::ui::PostedForm,
    locale: Locale,
) -> impl IntoView {
    let t = use_text();
    let rules = account.rules;
    // A refused renewal names its loan: the message stands in that loan's row and in the summary.
    let refused: Option<(String, &'static str)> = posted
        .errors
        .iter()
        .find_map(|e| e.field.strip_prefix("renew-").map(|b| (b.to_owned(), t.form_error(&e.code))));
    let summary: Vec<FieldMessage> = refused
        .iter()
        .map(|(barcode, text)| FieldMessage { field_id: format!("loan-{barcode}"), text: (*text).to_owned() })
        .collect();
    let problem = posted.form_error.filter(|_| refused.is_none()).map(|code| {
        view! { <Notice kind=NoticeKind::Error><p id="library-problem">{t.form_error(code)}</p></Notice> }
    });
    let loans = if account.loans.is_empty() {
        view! { <p>{t.no_loans}</p> }.into_any()
    } else {
        let rows = account
            .loans
            .iter()
            .map(|l| {
                let overdue = l.due_date < account.today;
                let due = if overdue { format!("{}（{}）", l.due_date, t.overdue) } else { l.due_date.clone() };
                let mut due_view = vec![due];
                if l.reserved_by_another {
                    due_view.push(t.reserved_by_another.to_owned());
                }
                let message = refused.as_ref().filter(|(b, _)| *b == l.barcode).map(|(_, text)| {
                    view! { <p class="field__error" id=format!("loan-{}-error", l.barcode)>{*text}</p> }
                });
                let action = format!("/library/my/loans/{}/renew", l.barcode);
                row([
                    cell(view! { <a href=format!("/library/records/{}", l.record_id)>{l.title.clone()}</a> }),
                    cell(branch_name(&branches, &l.branch, locale)),
                    cell(due_view.join("，")),
                    cell(fill(t.renewals, &[&l.renewals.to_string(), &rules.max_renewals.to_string()])),
                    cell(view! {
                        {message}
                        <form method="post" action=action>
                            <input type="hidden" name="barcode" value=l.barcode.clone()/>
                            <button type="submit" class="button button--secondary" id=format!("loan-{}", l.barcode)
                                aria-label=fill(t.renew_label, &[&l.title])>{t.renew_button}</button>
                        </form>
                    }),
                ])
                .id(format!("library-loan-{}", l.barcode))
            })
            .collect();
        view! {
            <DataTable caption=t.loans_title headers=vec![t.col_title, t.col_branch, t.col_due, t.col_renewals, t.col_action] rows/>
        }
        .into_any()
    };
    let holds = if account.holds.is_empty() {
        view! { <p>{t.no_holds}</p> }.into_any()
    } else {
        let rows = account
            .holds
            .iter()
            .map(|h| {
                row([
                    cell(view! { <a href=format!("/library/records/{}", h.record_id)>{h.title.clone()}</a> }),
                    cell(branch_name(&branches, &h.pickup_branch, locale)),
                    cell(h.pickup_by.clone().unwrap_or_else(|| t.hold_waiting.to_owned())),
                ])
                .id(format!("library-hold-{}", h.barcode))
            })
            .collect();
        view! { <DataTable caption=t.holds_title headers=vec![t.col_title, t.col_pickup, t.col_pickup_by] rows/> }
            .into_any()
    };
    let rules_text = fill(
        t.rules,
        &[&rules.max_renewals.to_string(), &rules.renew_days.to_string(), &rules.pickup_days.to_string()],
    );
    view! {
        <ErrorSummary errors=summary/>
        {problem}
        <h2>{fill(t.card_heading, &[&account.card_no, &account.name])}</h2>
        <h3>{t.loans_title}</h3>
        {loans}
        <p class="hint">{rules_text}</p>
        <h3>{t.holds_title}</h3>
        {holds}
        <p><a href="/library">{t.search_title}</a></p>
        <section aria-labelledby="library-unbind-title">
            <h2 id="library-unbind-title">{t.unbind_title}</h2>
            <p>{t.unbind_lead}</p>
            <form method="post" action="/library/my/unbind">
                <button type="submit" class="button button--secondary">{t.unbind_button}</button>
            </form>
        </section>
    }
}
