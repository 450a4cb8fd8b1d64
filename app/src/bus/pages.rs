//! The citizen's bus pages: find a stop (by name, line number or a place nearby), a stop's next
//! buses (with JavaScript its live part updates itself every 30 s and can be paused; without,
//! a refresh link and an opt-in 30 s reload) and a line's stops in order. Plain links, GET
//! forms and form posts.

use super::api::*;
use super::text::{use_text, Text};
use crate::error::set_status;
use crate::error::AppError;
use crate::i18n::fill;
use crate::ui::when_ready;
use crate::ui::{
    cell, row, DataTable, ErrorNotice, ErrorSummary, FieldMessage, LiveUpdate, LiveUpdateText, NotFoundPage, Notice,
    NoticeKind, PageHeading, SelectField, TextField,
};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name).unwrap_or_default())
}

fn query(name: &'static str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

fn stop_path(id: &str) -> String {
    format!("/bus/stops/{}", segment(id))
}

fn line_path(id: &str) -> String {
    format!("/bus/lines/{}", segment(id))
}

/// An id as one path segment.
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn line_label(t: &Text, name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_digit()) {
        fill(t.line_name, &[name])
    } else {
        name.to_owned()
    }
}

fn problem_text(t: &Text, p: QueryProblem) -> &'static str {
    match p {
        QueryProblem::Empty => t.query_empty,
        QueryProblem::TooLong => t.query_too_long,
        QueryProblem::NoLetters => t.query_no_letters,
    }
}

fn form_error_text(t: &Text, code: &str) -> &'static str {
    match code {
        "too_many" => t.too_many,
        _ => t.form_generic,
    }
}

/// What a page shows when the thing is not there or the bus data cannot be read.
#[component]
fn Problem(error: AppError) -> impl IntoView {
    let t = use_text();
    match error {
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        AppError::Unavailable => {
            set_status(503);
            view! {
                <Notice kind=NoticeKind::Warning title=t.no_timetable_title>
                    <p>{t.no_timetable_body}</p>
                </Notice>
            }
            .into_any()
        }
        other => view! { <ErrorNotice error=other/> }.into_any(),
    }
}

#[component]
fn StopList(stops: Vec<StopItem>, #[prop(optional)] removable: bool) -> impl IntoView {
    let t = use_text();
    view! {
        <ul class="link-list bus-stops">
            {stops
                .into_iter()
                .map(|s| {
                    let lines = s.lines.iter().map(|l| line_label(t, l)).collect::<Vec<_>>();
                    let lines = crate::i18n::use_locale().join_list(&lines);
                    let remove = removable.then(|| {
                        let label = fill(t.remove_button, &[&s.name]);
                        view! {
                            <form method="post" action=format!("{}/unfavourite", stop_path(&s.id)) class="inline-form">
                                <button type="submit" class="button button--secondary">{label}</button>
                            </form>
                        }
                    });
                    view! {
                        <li id=format!("stop-{}", s.id)>
                            <a href=stop_path(&s.id)>{s.name.clone()}</a>
                            {s.metres.map(|m| view! { " "<span class="bus-distance">{fill(t.metres, &[&m.to_string()])}</span> })}
                            {(!s.lines.is_empty()).then(|| view! { <br/><span class="bus-lines">{fill(t.lines_at, &[&lines])}</span> })}
                            {remove}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn BusPage() -> impl IntoView {
    let t = use_text();
    let q = query("q");
    let from = query("from").filter(|f| !f.is_empty());
    let near = query("near");
    let notice = query("notice");
    let typed = (q.clone().unwrap_or_default(), near.clone().unwrap_or_default());
    let home =
        Resource::new(move || (q.clone(), from.clone(), near.clone()), |(q, from, near)| bus_home(q, from, near));
    view! {
        <div class="container">
            <PageHeading title=t.home_title lead=t.home_lead/>
            {(notice.as_deref() == Some("removed")).then(|| view! {
                <Notice kind=NoticeKind::Success><p>{t.removed_notice}</p></Notice>
            })}
            {when_ready(move || {
                let typed = typed.clone();
                async move {
                    match home.await {
                        Ok(home) => view! { <BusHomeView home typed/> }.into_any(),
                        Err(error) => view! { <Problem error/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn BusHomeView(home: BusHome, typed: (String, String)) -> impl IntoView {
    let t = use_text();
    let (typed, typed_near) = typed;
    let error = home.problem.map(|p| problem_text(t, p).to_owned());
    let near_error = home.near_problem.map(|p| problem_text(t, p).to_owned());
    let errors: Vec<FieldMessage> = [("bus-q", &error), ("bus-near", &near_error)]
        .into_iter()
        .filter_map(|(id, e)| e.clone().map(|text| FieldMessage { field_id: id.into(), text }))
        .collect();
    if !errors.is_empty() {
        set_status(400);
    }
    let summary = (!errors.is_empty()).then(|| view! { <ErrorSummary errors/> });
    let near_others = (!home.near_others.is_empty()).then(|| {
        let others = home.near_others.clone();
        view! {
            <p>{t.near_others}</p>
            <ul class="link-list">
                {others
                    .into_iter()
                    .map(|o| {
                        let href = crate::ui::link::with_query("/bus", &[("near", o.name.clone())]);
                        view! { <li><a href=href>{o.name}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let mut options = vec![(String::new(), t.nearby_none.to_owned())];
    options.extend(home.origins.iter().map(|o| (o.code.clone(), o.name.clone())));
    let chosen = home.origin.as_ref().map(|o| o.code.clone()).unwrap_or_default();
    let results = home.results.map(|stops| {
        let empty = stops.is_empty();
        view! {
            <section aria-labelledby="bus-results">
                <h2 id="bus-results">{t.results_title}</h2>
                {empty.then(|| view! { <p>{t.results_none}</p> })}
                <StopList stops/>
            </section>
        }
    });
    let nearby = home.origin.map(|o| {
        let stops = home.nearby;
        view! {
            <h3 id="bus-nearby-from">{fill(t.nearby_from, &[&o.name])}</h3>
            <StopList stops/>
        }
    });
    let favourites = home.favourites.map(|stops| {
        let empty = stops.is_empty();
        view! {
            <section aria-labelledby="bus-favourites">
                <h2 id="bus-favourites">{t.favourites_title}</h2>
                {empty.then(|| view! { <p>{t.favourites_none}</p> })}
                <StopList stops removable=true/>
            </section>
        }
    });
    let lines = home.lines;
    view! {
        {summary}
        {(!home.timetable).then(|| {
            set_status(503);
            view! { <Notice kind=NoticeKind::Warning title=t.no_timetable_title><p>{t.no_timetable_body}</p></Notice> }
        })}
        <form class="search-form" method="get" action="/bus" role="search">
            <TextField id="bus-q" name="q" label=t.search_label value=typed hint=Some(t.search_hint.to_owned()) error/>
            <button type="submit" class="button">{t.search_button}</button>
        </form>
        {results}
        {favourites}
        <section aria-labelledby="bus-nearby">
            <h2 id="bus-nearby">{t.nearby_title}</h2>
            {home.origins_unavailable.then(|| view! { <Notice kind=NoticeKind::Info><p>{t.places_unavailable}</p></Notice> })}
            {(!home.origins.is_empty()).then(|| view! {
                <form class="search-form" method="get" action="/bus">
                    <SelectField id="bus-from" name="from" label=t.nearby_label options value=chosen/>
                    <button type="submit" class="button">{t.nearby_button}</button>
                </form>
            })}
            <form class="search-form" method="get" action="/bus">
                <TextField id="bus-near" name="near" label=t.near_label value=typed_near hint=Some(t.near_hint.to_owned()) error=near_error/>
                <button type="submit" class="button">{t.near_button}</button>
            </form>
            {home.near_unknown.then(|| view! { <p id="bus-near-unknown">{t.near_unknown}</p> })}
            {nearby}
            {near_others}
        </section>
        <section aria-labelledby="bus-lines">
            <h2 id="bus-lines">{t.lines_title}</h2>
            <ul class="link-list bus-line-list">
                {lines
                    .into_iter()
                    .map(|l| view! {
                        <li><a href=line_path(&l.id)>{line_label(t, &l.name)}</a>" "<span>{l.long_name.clone()}</span></li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Alerts(alerts: Vec<AlertItem>) -> impl IntoView {
    let t = use_text();
    (!alerts.is_empty()).then(|| {
        view! {
            <Notice kind=NoticeKind::Warning title=t.alerts_title>
                <ul>
                    {alerts
                        .into_iter()
                        .map(|a| view! { <li><strong>{a.header}</strong>" "{a.description}</li> })
                        .collect_view()}
                </ul>
            </Notice>
        }
    })
}

/// Where the times come from, said in words.
#[component]
fn FeedNotice(feed: FeedState) -> impl IntoView {
    let t = use_text();
    match feed {
        FeedState::Live { age_secs } => {
            view! { <p class="bus-feed" id="bus-feed">{fill(t.feed_live, &[&age_secs.to_string()])}</p> }.into_any()
        }
        FeedState::Stale { age_secs } => view! {
            <div id="bus-feed">
                <Notice kind=NoticeKind::Warning title=t.feed_stale_title>
                    <p>{fill(t.feed_stale, &[&(age_secs / 60).max(1).to_string()])}</p>
                </Notice>
            </div>
        }
        .into_any(),
        FeedState::Down => view! {
            <div id="bus-feed">
                <Notice kind=NoticeKind::Warning title=t.feed_stale_title>
                    <p>{t.feed_down}</p>
                </Notice>
            </div>
        }
        .into_any(),
    }
}

#[component]
pub fn BusStopPage() -> impl IntoView {
    let t = use_text();
    let id = param("id");
    let here = stop_path(&id);
    let notice = query("notice");
    // Refreshing by itself is the citizen's choice (WCAG 2.2.1: a page that reloads on a timer
    // must let the user turn it off), so the timed refresh is only on the page asked for it.
    let auto = query("auto").as_deref() == Some("1");
    let stop = Resource::new(move || id.clone(), bus_stop);
    view! {
        {auto.then(|| view! { <Meta http_equiv="refresh" content="30"/> })}
        <div class="container">
            <p><a href="/bus">{t.back_to_bus}</a></p>
            {when_ready(move || {
                let (here, notice) = (here.clone(), notice.clone());
                async move {
                    match stop.await {
                        Ok(view) => view! { <StopBoard view here notice auto/> }.into_any(),
                        Err(error) => view! { <Problem error/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

/// The part of a stop's page that `LiveUpdate` replaces: notices, the feed's age, arrivals.
const LIVE_PART: &str = "bus-live";

#[component]
fn StopBoard(view: StopView, here: String, notice: Option<String>, auto: bool) -> impl IntoView {
    let t = use_text();
    let posted = crate::ui::use_posted_form();
    let problem = posted.form_error.map(|code| {
        view! {
            <Notice kind=NoticeKind::Error><p>{form_error_text(t, code)}</p></Notice>
        }
    });
    let saved = (notice.as_deref() == Some("saved")).then(|| {
        view! {
            <Notice kind=NoticeKind::Success><p>{t.saved_notice}</p></Notice>
        }
    });
    let name = view.stop.name.clone();
    let favourite = match view.favourite {
        None => view! { <p><a href=format!("/login?next={here}")>{t.sign_in_to_save}</a></p> }.into_any(),
        Some(true) => {
            view! { <p>{t.saved_already}" "<a href="/bus#bus-favourites">{t.favourites_title}</a></p> }.into_any()
        }
        Some(false) => view! {
            <form method="post" action=format!("{here}/favourite")>
                <button type="submit" class="button button--secondary">{t.save_button}</button>
            </form>
        }
        .into_any(),
    };
    let empty = view.arrivals.is_empty();
    let rows = view
        .arrivals
        .into_iter()
        .map(|a| {
            let when = if a.minutes == 0 {
                format!("{}（{}）", t.due, a.clock)
            } else {
                fill(t.minutes, &[&a.minutes.to_string(), &a.clock])
            };
            let away = match a.stops_away {
                Some(0) => Some(t.at_stop.to_owned()),
                Some(n) => Some(fill(t.stops_away, &[&n.to_string()])),
                None => None,
            };
            let when = match away {
                Some(away) => format!("{away} / {when}"),
                None => when,
            };
            let kind = if a.live { t.live } else { t.scheduled };
            row([
                cell(view! { <a href=line_path(&a.line_id)>{line_label(t, &a.line)}</a> }),
                cell(a.headsign.clone()),
                cell(when),
                cell(view! { <span class={if a.live { "bus-kind bus-kind--live" } else { "bus-kind" }}>{kind}</span> }),
            ])
        })
        .collect();
    view! {
        <PageHeading title=name.clone()/>
        {saved}
        {problem}
        // With JS the live part updates itself; the page asked to reload by itself has no need.
        {(!auto).then(|| {
            let text = LiveUpdateText {
                running: t.live_running.to_owned(),
                paused: t.live_paused.to_owned(),
                pause: t.live_pause.to_owned(),
                resume: t.live_resume.to_owned(),
            };
            view! { <LiveUpdate target=LIVE_PART.to_owned() every_secs=30 text/> }
        })}
        <p class="bus-refresh">
            <a href=if auto { format!("{here}?auto=1") } else { here.clone() } id="bus-refresh">{t.refresh}</a>" · "
            {if auto {
                view! { {t.auto_refresh_on}" "<a href=here.clone() id="bus-auto">{t.auto_refresh_stop}</a> }.into_any()
            } else {
                view! { <a href=format!("{here}?auto=1") id="bus-auto">{t.auto_refresh_start}</a> }.into_any()
            }}
        </p>
        <div id=LIVE_PART>
            <Alerts alerts=view.alerts/>
            <FeedNotice feed=view.feed/>
            <h2>{t.arrivals_title}</h2>
            {if empty {
                view! { <p>{t.arrivals_none}</p> }.into_any()
            } else {
                view! {
                    <DataTable
                        caption=fill(t.arrivals_caption, &[&name])
                        headers=vec![t.col_line, t.col_towards, t.col_when, t.col_kind]
                        rows
                    />
                }
                .into_any()
            }}
        </div>
        {favourite}
    }
}

#[component]
pub fn BusLinePage() -> impl IntoView {
    let t = use_text();
    let id = param("id");
    let line = Resource::new(move || id.clone(), bus_line);
    view! {
        <div class="container">
            <p><a href="/bus">{t.back_to_bus}</a></p>
            {when_ready(move || async move {
                match line.await {
                    Ok(view) => view! { <LineStrip view/> }.into_any(),
                    Err(error) => view! { <Problem error/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn LineStrip(view: LineView) -> impl IntoView {
    let t = use_text();
    let title = fill(t.line_title, &[&view.line.name]);
    let live = matches!(view.feed, FeedState::Live { .. });
    view! {
        <PageHeading title lead=view.line.long_name.clone()/>
        <Alerts alerts=view.alerts/>
        {(!live).then(|| view! { <Notice kind=NoticeKind::Info><p>{t.vehicles_not_live}</p></Notice> })}
        {view
            .directions
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let (heading_id, section_label) = (format!("bus-direction-{i}"), format!("bus-direction-{i}"));
                let times = match (&d.first, &d.last) {
                    (Some(f), Some(l)) => fill(t.first_last, &[f, l]),
                    _ => t.no_service_today.to_owned(),
                };
                let headway = d.headway.map(|(lo, hi)| {
                    if lo == hi { fill(t.headway, &[&lo.to_string()]) } else { fill(t.headway_range, &[&lo.to_string(), &hi.to_string()]) }
                });
                view! {
                    <section aria-labelledby=section_label class="bus-direction">
                        <h2 id=heading_id>{fill(t.direction_title, &[&d.headsign])}</h2>
                        <p>{times}</p>
                        {headway.map(|h| view! { <p>{h}</p> })}
                        <ol class="bus-strip" aria-label=fill(t.strip_caption, &[&d.headsign])>
                            {d.stops
                                .into_iter()
                                .map(|s| view! {
                                    <li class={if s.vehicles_at + s.vehicles_approaching > 0 { "bus-strip__stop bus-strip__stop--bus" } else { "bus-strip__stop" }}>
                                        {(s.vehicles_approaching > 0).then(|| view! {
                                            <span class="bus-strip__vehicle">{fill(t.bus_approaching, &[&s.vehicles_approaching.to_string()])}" "</span>
                                        })}
                                        <a href=stop_path(&s.id)>{s.name}</a>
                                        {(s.vehicles_at > 0).then(|| view! {
                                            " "<span class="bus-strip__vehicle">{fill(t.bus_at, &[&s.vehicles_at.to_string()])}</span>
                                        })}
                                    </li>
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })
            .collect_view()}
    }
}
