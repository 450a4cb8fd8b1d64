//! A bus stop's page against a hand-written handler reading the same in-memory snapshot
//! (performance reference §7, issue "stop page throughput vs a hand-written handler"): the
//! demo company's timetable and a fresh real-time message loaded into the portal's `Buses`;
//! the portal's `/bus/stops/{id}` (Leptos SSR, shell, server function, i18n) next to a plain
//! axum handler that asks the same snapshot for the same board and writes the same rows as
//! HTML by hand — bare, and behind the portal's middleware (B3+mw). Stops rotate over the
//! busiest ones so no single board is cached by accident.
//!
//! `cargo bench --locked -p onestop-server --bench bus` (release build). Not a test: nothing here
//! fails on a number.

use app::bus::server::Buses;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use std::fmt::Write as _;

mod support;

use support::{check, compare, esc, median_rate, pair_ratios, percentile, ROUNDS, RUN};

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let site = support::portal().await;
    // Buses run at 08:00 Beijing time; the snapshot is built for then and both sides read it then.
    let now = {
        let (_, seconds) = app::bus::arrivals::beijing(app::platform::time::now_unix());
        app::platform::time::now_unix() + (8 * 3600 - i64::from(seconds)).rem_euclid(86_400)
    };
    // The busiest stops: the most lines call there, so each board has the most rows to write.
    let stops: Vec<String> = support::run_demo_buses(&site, now).into_iter().take(8).collect();
    // The portal's pages read its clock: stopped at the same moment.
    site.clock.freeze();
    site.clock.advance(now - site.clock.now());

    let portal = site.router.clone();
    let bare = baseline(site.bus.clone(), now);
    let with_stack = site.behind_the_stack(bare.clone());
    let stop_uri = |prefix: &'static str| {
        let stops = stops.clone();
        move |i: usize| format!("{prefix}{}", stops[i % stops.len()])
    };
    let (portal_uri, baseline_uri) = (stop_uri("/bus/stops/"), stop_uri("/b3/stops/"));
    for i in 0..stops.len() {
        check(&portal, &portal_uri(i), "bus-live").await;
        check(&bare, &baseline_uri(i), "<td>").await;
    }
    println!(
        "bus stop page ÷ hand-written handler on the same snapshot, in-process, {ROUNDS} rounds of {RUN:?} per side"
    );
    println!();
    println!("| Scenario | Portal req/s | B3+mw req/s | B3 req/s | Portal ÷ B3+mw (range) | Portal ÷ B3 | p50 portal / B3+mw (µs) | p99 portal / B3+mw (µs) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let runs = compare(&[(&portal, &portal_uri), (&with_stack, &baseline_uri), (&bare, &baseline_uri)]).await;
    let ratios = pair_ratios(&runs[0], &runs[1]);
    let (p, m, b) = (median_rate(&runs[0]), median_rate(&runs[1]), median_rate(&runs[2]));
    println!(
        "| S6 bus stop `/bus/stops/{{id}}` | {p:.0} | {m:.0} | {b:.0} | **{:.2}** ({:.2}–{:.2}) | {:.2} | {:.0} / {:.0} | {:.0} / {:.0} |",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
        p / b,
        percentile(&runs[0], 0.50),
        percentile(&runs[1], 0.50),
        percentile(&runs[0], 0.99),
        percentile(&runs[1], 0.99),
    );
    site.remove().await;
}

/// The hand-written stop page: the same board from the same snapshot, the same rows (two per
/// line and direction), written as HTML by hand.
fn baseline(buses: Buses, now: i64) -> Router {
    Router::new().route("/b3/stops/{id}", get(b3_stop)).with_state((buses, now))
}

async fn b3_stop(State((buses, now)): State<(Buses, i64)>, Path(id): Path<String>) -> Html<String> {
    let timetable = buses.timetable().expect("timetable");
    let stop = timetable.stop(&id).expect("stop");
    let board = buses.board(&id, now, 2 * 3600).expect("board");
    let mut html = String::with_capacity(8 * 1024);
    let _ = write!(html, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><h1>{}</h1><table>", esc(&stop.name), esc(&stop.name));
    let mut shown: Vec<(&str, &str, usize)> = Vec::new();
    for a in &board.arrivals {
        match shown.iter_mut().find(|(r, h, _)| *r == a.route_id && *h == a.headsign) {
            Some(entry) if entry.2 >= 2 => continue,
            Some(entry) => entry.2 += 1,
            None => shown.push((&a.route_id, &a.headsign, 1)),
        }
        let (_, seconds) = app::bus::arrivals::beijing(a.at());
        let _ = write!(
            html,
            "<tr><td><a href=\"/bus/lines/{}\">{}路</a></td><td>{}</td><td>约 {} 分钟（{}）</td><td>{}</td></tr>",
            esc(&a.route_id),
            esc(&a.route_name),
            esc(&a.headsign),
            (a.at() - now).max(0) / 60,
            app::bus::clock_of(seconds),
            if a.is_live() { "实时" } else { "计划" }
        );
    }
    html.push_str("</table></body></html>");
    Html(html)
}
