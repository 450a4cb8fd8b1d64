//! The demo bus company's dispatch system: what it publishes as GTFS Realtime at a moment (its
//! vehicles along the delayed timetable, and its service notices), and the HTTP endpoint it
//! publishes on. The portal reads this endpoint like any company's feed URL; it is the company's
//! side, served by `onestop bus serve-feed`, and in-process only when no feed URL is configured.

use super::arrivals::Timetable;
use super::realtime::proto;
use super::server::Buses;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// Where the company serves its feed (one message with TripUpdates, VehiclePositions and Alerts).
pub const FEED_PATH: &str = "/gtfs-rt/v1/feed";

/// The seed of the demo dispatch system's delays.
const SEED: u64 = 140;

/// The whole feed message at `now`.
pub fn message(timetable: &Timetable, now: i64) -> proto::FeedMessage {
    let mut message = timetable.simulate(now, SEED);
    message.entity.extend(notice(timetable));
    message
}

fn translated(zh: String, en: String) -> proto::TranslatedString {
    let one = |language: &str, text: String| proto::translated_string::Translation {
        text,
        language: Some(language.to_owned()),
    };
    proto::TranslatedString { translation: vec![one("zh-CN", zh), one("en", en)] }
}

/// The demo company's standing notice: road works moving one stop of its first line (the
/// notice a real company publishes most often). Derived from the timetable, so any city's
/// generated feed has one.
fn notice(timetable: &Timetable) -> Option<proto::FeedEntity> {
    let line = timetable.lines().into_iter().next()?;
    let (_, directions) = timetable.line(&line.id, 0, None)?;
    let stops = &directions.first()?.stops;
    let stop = stops.get(stops.len() / 2)?;
    let informed = |route: Option<String>, stop: Option<String>| proto::EntitySelector {
        route_id: route,
        stop_id: stop,
        ..proto::EntitySelector::default()
    };
    Some(proto::FeedEntity {
        id: format!("notice-{}-{}", line.id, stop.id),
        alert: Some(proto::Alert {
            informed_entity: vec![informed(Some(line.id.clone()), None), informed(None, Some(stop.id.clone()))],
            cause: Some(proto::alert::Cause::Construction as i32),
            effect: Some(proto::alert::Effect::StopMoved as i32),
            header_text: Some(translated(
                format!("道路施工：{}路“{}”站临时移位", line.name, stop.name),
                format!("Road works: line {} stop “{}” moved", line.name, stop.name),
            )),
            description_text: Some(translated(
                format!("施工期间，{}站临时停靠点设在原站点以北 50 米处。", stop.name),
                format!("While the works last, buses stop 50 m north of the usual {} stop.", stop.name),
            )),
            ..proto::Alert::default()
        }),
        ..proto::FeedEntity::default()
    })
}

/// The company's feed endpoint over the timetable `buses` holds (kept current by its loader).
pub fn router(buses: Buses, clock: crate::platform::clock::Clock) -> Router {
    Router::new().route(
        FEED_PATH,
        get(move || {
            let (buses, clock) = (buses.clone(), clock.clone());
            async move { feed(&buses, clock.now()) }
        }),
    )
}

fn feed(buses: &Buses, now: i64) -> Response {
    match buses.timetable() {
        Some(timetable) => {
            let bytes = super::realtime::encode(&message(&timetable, now));
            ([(header::CONTENT_TYPE, "application/x-protobuf"), (header::CACHE_CONTROL, "no-store")], bytes)
                .into_response()
        }
        // No timetable loaded yet: nothing true to publish.
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
