//! Wiring for the bus company's system: `onestop bus import`, and while serving the portal's
//! in-memory timetable and the polled real-time feed.

use anyhow::Context;
use app::bus::gtfs;
use app::bus::store::{BusStore, ImportError};
use std::io::Write;
use std::path::Path;

/// `onestop bus import <feed>`: validates the feed, lists every problem, and replaces the stored
/// timetable only when there is none; a progress bar on stderr while rows are written.
pub async fn import(database_url: &str, feed: &Path) -> anyhow::Result<()> {
    let files = gtfs::files_from_path(feed).map_err(|e| anyhow::anyhow!("cannot read the feed: {e}"))?;
    let store = BusStore::open(database_url).await.context("cannot open the bus company's database")?;
    let started = std::time::Instant::now();
    let mut stderr = std::io::stderr();
    let mut progress = |done: u64, total: u64| {
        const WIDTH: u64 = 30;
        let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
        let bar = format!("{}{}", "#".repeat(filled as usize), " ".repeat((WIDTH - filled) as usize));
        let _ = write!(stderr, "\r[{bar}] {done} / {total} rows");
        let _ = stderr.flush();
    };
    let source = feed.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let outcome = store.import(&files, &source, app::platform::time::now_unix(), &mut progress).await;
    store.close().await;
    match outcome {
        Ok(imported) => {
            eprintln!();
            for warning in &imported.warnings {
                eprintln!("warning: {warning}");
            }
            let counts: Vec<String> =
                imported.counts.iter().map(|(table, n)| format!("{} {n}", table.trim_start_matches("bus_"))).collect();
            println!("bus timetable imported in {:.1} s: {}", started.elapsed().as_secs_f64(), counts.join(", "));
            Ok(())
        }
        Err(ImportError::Invalid(report)) => {
            for warning in &report.warnings {
                eprintln!("warning: {warning}");
            }
            for error in &report.errors {
                eprintln!("error: {error}");
            }
            anyhow::bail!(
                "the feed has {} error(s); nothing was imported and the previous timetable is unchanged",
                report.errors.len()
            )
        }
        Err(err) => Err(err).context("the import failed; the previous timetable is unchanged"),
    }
}

/// While serving: load the timetable (again when the company imports a new feed) and poll the
/// company's real-time feed. The demo company is in-process: its dispatch system simulates the
/// vehicles along the timetable.
pub async fn keep_current(database_url: String, buses: app::bus::server::Buses) {
    let store = match BusStore::open(&database_url).await {
        Ok(store) => store,
        Err(err) => {
            tracing::warn!(error = %err, "the bus company's database cannot be opened; no bus times");
            return;
        }
    };
    let mut loaded: Option<String> = None;
    let mut interval = tokio::time::interval(app::bus::server::POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let stamp = match (store.source().await, store.counts().await) {
            (Ok(Some(source)), Ok(counts)) => format!("{source} {counts:?}"),
            (Ok(None), _) => continue,
            (Err(err), _) | (_, Err(err)) => {
                tracing::warn!(error = %err, "the bus company's database failed; will retry");
                continue;
            }
        };
        if loaded.as_deref() != Some(stamp.as_str()) {
            match store.feed().await {
                Ok(feed) => {
                    buses.set_timetable(app::bus::arrivals::Timetable::new(&feed));
                    tracing::info!(trips = feed.trips.len(), "bus timetable loaded");
                    loaded = Some(stamp);
                }
                Err(err) => {
                    tracing::warn!(error = %err, "the bus timetable could not be read; will retry");
                    continue;
                }
            }
        }
        if let Some(timetable) = buses.timetable() {
            let message = app::bus::realtime::encode(&timetable.simulate(app::platform::time::now_unix(), DEMO_SEED));
            if let Err(err) = buses.accept(Ok(message)) {
                tracing::warn!(error = %err, "the bus company's real-time feed was not accepted");
            }
        }
    }
}

/// The demo dispatch system's delays.
const DEMO_SEED: u64 = 140;
