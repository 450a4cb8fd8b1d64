//! Wiring for the bus company's system: `onestop bus import`, and while serving the portal's
//! in-memory timetable and the polled real-time feed.

use anyhow::Context;
use app::bus::gtfs;
use app::bus::store::{BusStore, ImportError};
use app::platform::time::now_unix;
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

/// Where the portal gets the bus company's real-time feed from.
#[derive(Debug, Clone)]
pub enum RealtimeSource {
    /// The company's feed URL (`ONESTOP_BUS_REALTIME_URL`), polled over HTTP.
    Url(String),
    /// No URL configured: the demo company's dispatch system runs in-process.
    InProcessDemo,
}

/// While serving: load the timetable (again when the company imports a new feed) and poll the
/// company's real-time feed every `POLL_INTERVAL`.
pub async fn keep_current(database_url: String, buses: app::bus::server::Buses, source: RealtimeSource) {
    let Some(mut timetable) = TimetableLoader::open(&database_url).await else { return };
    let client = match &source {
        RealtimeSource::Url(url) => Some(app::bus::server::feed::FeedClient::new(url)),
        RealtimeSource::InProcessDemo => None,
    };
    let mut interval = tokio::time::interval(app::bus::server::POLL_INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        timetable.refresh(&buses).await;
        let fetched = match &client {
            Some(client) => client.fetch().await,
            // In-process, the message needs no bytes in between: no encoding to decode again.
            None => {
                if let Some(t) = buses.timetable() {
                    let message = app::bus::dispatch::message(&t, now_unix());
                    buses.set_realtime(app::bus::realtime::Realtime::from_message(&message));
                }
                continue;
            }
        };
        if let Err(err) = buses.accept(fetched) {
            // The last message stays and ages into the timetable fallback, which the pages say.
            tracing::warn!(error = %err, "the bus company's real-time feed was not accepted");
        }
    }
}

/// `onestop bus serve-feed`: the demo company's GTFS Realtime endpoint over its own timetable,
/// for a portal configured with `ONESTOP_BUS_REALTIME_URL`.
pub async fn serve_feed(
    database_url: &str,
    listen: std::net::SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let buses = app::bus::server::Buses::default();
    let mut timetable = TimetableLoader::open(database_url).await.context("cannot open the bus company's database")?;
    timetable.refresh(&buses).await;
    let loader = buses.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(app::bus::server::POLL_INTERVAL);
        loop {
            interval.tick().await;
            timetable.refresh(&loader).await;
        }
    });
    let router = app::bus::dispatch::router(buses, app::platform::clock::Clock::system());
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    println!("bus real-time feed on http://{listen}{}", app::bus::dispatch::FEED_PATH);
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await?;
    Ok(())
}

/// Loads the company's timetable into the snapshot, and again whenever a new feed is imported.
struct TimetableLoader {
    store: BusStore,
    loaded: Option<String>,
}

impl TimetableLoader {
    async fn open(database_url: &str) -> Option<TimetableLoader> {
        match BusStore::open(database_url).await {
            Ok(store) => Some(TimetableLoader { store, loaded: None }),
            Err(err) => {
                tracing::warn!(error = %err, "the bus company's database cannot be opened; no bus times");
                None
            }
        }
    }

    async fn refresh(&mut self, buses: &app::bus::server::Buses) {
        let stamp = match (self.store.source().await, self.store.counts().await) {
            (Ok(Some(source)), Ok(counts)) => format!("{source} {counts:?}"),
            (Ok(None), _) => return,
            (Err(err), _) | (_, Err(err)) => {
                tracing::warn!(error = %err, "the bus company's database failed; will retry");
                return;
            }
        };
        if self.loaded.as_deref() == Some(stamp.as_str()) {
            return;
        }
        match self.store.feed().await {
            Ok(feed) => {
                buses.set_timetable(app::bus::arrivals::Timetable::new(&feed));
                tracing::info!(trips = feed.trips.len(), "bus timetable loaded");
                self.loaded = Some(stamp);
            }
            Err(err) => tracing::warn!(error = %err, "the bus timetable could not be read; will retry"),
        }
    }
}
