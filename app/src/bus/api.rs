//! The pages' data: stops, lines and arrivals are the bus company's open data; favourites are
//! the signed-in citizen's own (read with the session's citizen, never an id from the request).

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The longest stop name or line number worth searching for.
pub const MAX_QUERY_CHARS: usize = 40;

/// Why a search was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryProblem {
    Empty,
    TooLong,
    NoLetters,
}

/// A search as typed: `None` when it can be run.
pub fn query_problem(query: &str) -> Option<QueryProblem> {
    let query = query.trim();
    if query.is_empty() {
        Some(QueryProblem::Empty)
    } else if query.chars().count() > MAX_QUERY_CHARS {
        Some(QueryProblem::TooLong)
    } else if !query.chars().any(char::is_alphanumeric) {
        Some(QueryProblem::NoLetters)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopItem {
    pub id: String,
    pub name: String,
    pub lines: Vec<String>,
    pub metres: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub id: String,
    pub name: String,
    pub long_name: String,
}

/// A district or named place the citizen finds stops near.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    pub code: String,
    pub name: String,
    pub longitude: f64,
    pub latitude: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusHome {
    /// False before the bus company's timetable is loaded.
    pub timetable: bool,
    pub problem: Option<QueryProblem>,
    /// `None` when nothing was searched for.
    pub results: Option<Vec<StopItem>>,
    pub origins: Vec<Origin>,
    pub origins_unavailable: bool,
    pub origin: Option<Origin>,
    /// Why the typed address was not looked up.
    pub near_problem: Option<QueryProblem>,
    /// A typed address the address register does not know.
    pub near_unknown: bool,
    /// Other places the typed address also matched, to pick from.
    pub near_others: Vec<Origin>,
    pub nearby: Vec<StopItem>,
    pub lines: Vec<LineItem>,
    /// `None` for an anonymous visitor.
    pub favourites: Option<Vec<StopItem>>,
}

/// Where the times on a page come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedState {
    Live { age_secs: i64 },
    Stale { age_secs: i64 },
    Down,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArrivalItem {
    pub line_id: String,
    pub line: String,
    pub headsign: String,
    pub live: bool,
    /// Whole minutes from now (0: due).
    pub minutes: i64,
    /// `HH:MM` Beijing time.
    pub clock: String,
    pub stops_away: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertItem {
    pub header: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopView {
    pub stop: StopItem,
    pub feed: FeedState,
    /// Per line and direction, soonest first: at most the next two of each.
    pub arrivals: Vec<ArrivalItem>,
    pub alerts: Vec<AlertItem>,
    /// `None` for an anonymous visitor.
    pub favourite: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StripItem {
    pub id: String,
    pub name: String,
    pub vehicles_at: u32,
    pub vehicles_approaching: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectionItem {
    pub headsign: String,
    pub stops: Vec<StripItem>,
    /// `HH:MM` (past midnight shown as such).
    pub first: Option<String>,
    pub last: Option<String>,
    /// Minutes between buses: (shortest, longest).
    pub headway: Option<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineView {
    pub line: LineItem,
    pub feed: FeedState,
    pub directions: Vec<DirectionItem>,
    pub alerts: Vec<AlertItem>,
}

/// `HH:MM` of seconds after a service day's midnight (a time past 24:00 wraps).
pub fn clock_of(seconds: u32) -> String {
    let minutes = seconds / 60;
    format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60)
}

#[cfg(feature = "ssr")]
fn item(s: super::arrivals::StopSummary) -> StopItem {
    StopItem { id: s.id, name: s.name, lines: s.lines, metres: s.metres }
}

#[cfg(feature = "ssr")]
fn feed_state(buses: &super::server::Buses, now: i64) -> FeedState {
    match buses.realtime() {
        None => FeedState::Down,
        Some(rt) if now - rt.timestamp > super::arrivals::STALE_AFTER_SECS => {
            FeedState::Stale { age_secs: now - rt.timestamp }
        }
        Some(rt) => FeedState::Live { age_secs: (now - rt.timestamp).max(0) },
    }
}

#[cfg(feature = "ssr")]
fn alerts(buses: &super::server::Buses, applies: impl Fn(&super::realtime::ServiceAlert) -> bool) -> Vec<AlertItem> {
    let language = crate::i18n::use_locale().pick("zh", "en");
    buses
        .realtime()
        .map(|rt| {
            rt.alerts
                .iter()
                .filter(|a| applies(a))
                .map(|a| AlertItem {
                    header: a.header.in_language(language).to_owned(),
                    description: a.description.in_language(language).to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
async fn places(ctx: &crate::platform::AppContext) -> Option<Vec<Origin>> {
    use crate::registers::contract::{PlaceKind, PlaceRequest};
    let caller = crate::sharing::server::Caller::for_request("bus.nearby", "public");
    let mut origins = Vec::new();
    for kind in [PlaceKind::District, PlaceKind::Named] {
        let request = PlaceRequest { text: String::new(), kind: Some(kind), within: None, limit: 50 };
        let places = ctx.shared.places(&caller, &request).await.ok()?;
        origins.extend(places.into_iter().map(|p| Origin {
            code: p.code,
            name: p.name,
            longitude: p.longitude,
            latitude: p.latitude,
        }));
    }
    Some(origins)
}

/// Streets, communities and places the address register finds for a typed address, best first;
/// `None` when the register cannot be reached.
#[cfg(feature = "ssr")]
async fn addresses(ctx: &crate::platform::AppContext, text: &str) -> Option<Vec<Origin>> {
    use crate::registers::contract::PlaceRequest;
    let caller = crate::sharing::server::Caller::for_request("bus.nearby", "public");
    let request = PlaceRequest { text: text.to_owned(), kind: None, within: None, limit: 5 };
    let places = ctx.shared.places(&caller, &request).await.ok()?;
    Some(
        places
            .into_iter()
            .map(|p| Origin { code: p.code, name: p.full_name, longitude: p.longitude, latitude: p.latitude })
            .collect(),
    )
}

/// The signed-in citizen, or `None` for a visitor (no status set: these pages are public).
#[cfg(feature = "ssr")]
async fn citizen() -> Option<crate::accounts::server::auth::CitizenPrincipal> {
    crate::accounts::server::auth::citizen().await.ok()
}

#[server(name = BusHomeData, prefix = "/api", endpoint = "bus/home", input = GetUrl)]
pub async fn bus_home(q: Option<String>, from: Option<String>, near: Option<String>) -> Result<BusHome, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let timetable = ctx.bus.timetable();
    let problem = q.as_deref().and_then(query_problem);
    let results = match (&q, problem, &timetable) {
        (Some(q), None, Some(t)) => Some(t.search(q, 30).into_iter().map(item).collect()),
        _ => None,
    };
    let (origins, origins_unavailable) = match places(&ctx).await {
        Some(o) => (o, false),
        None => (Vec::new(), true),
    };
    let near_problem = near.as_deref().and_then(query_problem);
    let (near_found, near_failed) = match (&near, near_problem) {
        (Some(text), None) => match addresses(&ctx, text.trim()).await {
            Some(found) => (found, false),
            None => (Vec::new(), true),
        },
        _ => (Vec::new(), false),
    };
    let near_unknown = near.is_some() && near_problem.is_none() && !near_failed && near_found.is_empty();
    let mut near_found = near_found.into_iter();
    let origin = match from {
        Some(code) => origins.iter().find(|o| o.code == code).cloned(),
        None => near_found.next(),
    };
    let near_others: Vec<Origin> = near_found.collect();
    let origins_unavailable = origins_unavailable || near_failed;
    let nearby = match (&origin, &timetable) {
        (Some(o), Some(t)) => t.nearby(o.latitude, o.longitude, 8).into_iter().map(item).collect(),
        _ => Vec::new(),
    };
    let lines = timetable
        .as_ref()
        .map(|t| t.lines().into_iter().map(|l| LineItem { id: l.id, name: l.name, long_name: l.long_name }).collect())
        .unwrap_or_default();
    let favourites = match citizen().await {
        Some(c) => {
            let ids =
                super::server::db::favourites(&ctx.db, c.id()).await.map_err(|e| crate::platform::fail(e.into()))?;
            Some(ids.iter().filter_map(|id| timetable.as_ref()?.stop(id)).map(item).collect())
        }
        None => None,
    };
    Ok(BusHome {
        timetable: timetable.is_some(),
        problem,
        results,
        origins,
        origins_unavailable,
        origin,
        near_problem,
        near_unknown,
        near_others,
        nearby,
        lines,
        favourites,
    })
}

#[server(name = BusStop, prefix = "/api", endpoint = "bus/stop", input = GetUrl)]
pub async fn bus_stop(#[server(default)] id: String) -> Result<StopView, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let timetable = ctx.bus.timetable().ok_or_else(|| crate::platform::fail(AppError::Unavailable))?;
    let stop = timetable.stop(&id).ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let now = ctx.clock.now();
    let board = ctx.bus.board(&id, now, 2 * 3600).ok_or_else(|| crate::platform::fail(AppError::Unavailable))?;
    let mut shown: Vec<(String, String, usize)> = Vec::new();
    let mut arrivals = Vec::new();
    for a in board.arrivals {
        let key = (a.route_id.clone(), a.headsign.clone());
        let count = match shown.iter_mut().find(|(r, h, _)| (r, h) == (&key.0, &key.1)) {
            Some(entry) => {
                entry.2 += 1;
                entry.2
            }
            None => {
                shown.push((key.0, key.1, 1));
                1
            }
        };
        if count > 2 {
            continue;
        }
        let (_, seconds) = super::arrivals::beijing(a.at());
        arrivals.push(ArrivalItem {
            line_id: a.route_id.clone(),
            line: a.route_name.clone(),
            headsign: a.headsign.clone(),
            live: a.is_live(),
            minutes: (a.at() - now).max(0) / 60,
            clock: clock_of(seconds),
            stops_away: a.stops_away,
        });
    }
    let feed = match board.source {
        super::arrivals::Source::Live { age_secs } => FeedState::Live { age_secs },
        super::arrivals::Source::Stale { age_secs } => FeedState::Stale { age_secs },
        super::arrivals::Source::Down => FeedState::Down,
    };
    let routes: Vec<String> = arrivals.iter().map(|a| a.line_id.clone()).collect();
    let alerts = alerts(&ctx.bus, |a| a.stop_ids.contains(&id) || a.route_ids.iter().any(|r| routes.contains(r)));
    let favourite = match citizen().await {
        Some(c) => Some(
            super::server::db::favourites(&ctx.db, c.id())
                .await
                .map_err(|e| crate::platform::fail(e.into()))?
                .contains(&id),
        ),
        None => None,
    };
    Ok(StopView { stop: item(stop), feed, arrivals, alerts, favourite })
}

#[server(name = BusLine, prefix = "/api", endpoint = "bus/line", input = GetUrl)]
pub async fn bus_line(#[server(default)] id: String) -> Result<LineView, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let timetable = ctx.bus.timetable().ok_or_else(|| crate::platform::fail(AppError::Unavailable))?;
    let now = ctx.clock.now();
    let realtime = ctx.bus.realtime();
    let (line, directions) =
        timetable.line(&id, now, realtime.as_deref()).ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let directions = directions
        .into_iter()
        .map(|d| DirectionItem {
            headsign: d.headsign,
            stops: d
                .stops
                .into_iter()
                .map(|s| StripItem {
                    id: s.id,
                    name: s.name,
                    vehicles_at: s.vehicles_at,
                    vehicles_approaching: s.vehicles_approaching,
                })
                .collect(),
            first: d.first.map(clock_of),
            last: d.last.map(clock_of),
            headway: d.headway.map(|(lo, hi)| (lo / 60, hi / 60)),
        })
        .collect();
    let alerts = alerts(&ctx.bus, |a| a.route_ids.contains(&id));
    Ok(LineView {
        line: LineItem { id: line.id, name: line.name, long_name: line.long_name },
        feed: feed_state(&ctx.bus, now),
        directions,
        alerts,
    })
}
