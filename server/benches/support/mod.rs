//! What the benchmarks share: the portal as `serve` builds it, the interleaved A-B runs, the
//! side-by-side router runs and the report lines (BENCHMARKS.md).

// Each bench is its own crate and uses a part of this module.
#![allow(dead_code)]

use app::platform::{AppContext, Backend, Db};
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use onestop_server::{build_router, demo, Config};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

pub mod files;

/// The portal as `serve` builds it, on a fresh SQLite database with the demo city.
pub struct Portal {
    pub router: Router,
    pub db: Db,
    /// The uploaded-file store's directory (`objects/`, `tmp/`).
    pub files: PathBuf,
    /// The origin the portal's same-origin check expects.
    pub origin: String,
    /// The in-process registers' database.
    registers: PathBuf,
    /// The configuration the portal was built with.
    pub config: Config,
    /// The portal's bus snapshot (empty until a bench loads a timetable into it).
    pub bus: app::bus::server::Buses,
    /// The portal's clock.
    pub clock: app::platform::clock::Clock,
}

impl Portal {
    /// `router` behind the portal's own middleware: the session layer and the platform layers,
    /// in the order `serve` stacks them.
    pub fn behind_the_stack(&self, router: Router) -> Router {
        let options = onestop_server::http::leptos_options(&self.config);
        let policy = Arc::new(onestop_server::http::SecurityPolicy::new(&self.config, &options));
        let metrics = Arc::new(onestop_server::telemetry::Metrics::default());
        onestop_server::http::with_platform_layers(
            router.layer(onestop_server::http::session_layer(&self.config, &self.db)),
            &self.config,
            policy,
            metrics,
        )
    }

    /// Removes what the portal wrote to the temporary directory: its database, the registers'
    /// database and the file store.
    pub async fn remove(self) {
        let main: Option<String> = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(self.db.pool())
            .await
            .ok()
            .flatten();
        self.db.close().await;
        let hospitals = self.registers.with_extension("hospitals.db");
        let gas = self.registers.with_extension("gas.db");
        for db in main.map(PathBuf::from).into_iter().chain([self.registers, hospitals, gas]) {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
        }
        let _ = std::fs::remove_dir_all(&self.files);
    }
}

/// The portal on a fresh SQLite database.
pub async fn portal() -> Portal {
    portal_on(Backend::Sqlite).await
}

/// The portal on a fresh database of `backend` (PostgreSQL: a new database on the server
/// `ONESTOP_TEST_POSTGRES_URL` names, as the tests use).
pub async fn portal_on(backend: Backend) -> Portal {
    let db = app::platform::testing::fresh_db(backend).await;
    let profile = demo::CityProfile::parse(demo::BUILT_IN_PROFILE).expect("profile");
    demo::seed(&db, &profile, &demo::ProfileSource::built_in()).await.expect("seed");
    let site_root = std::env::temp_dir().join("onestop-bench-site").display().to_string();
    let config = Config::load(None, |k| (k == "ONESTOP_SITE_ROOT").then(|| site_root.clone())).expect("config");
    let registers = std::env::temp_dir().join(format!("onestop-bench-registers-{}.db", std::process::id()));
    let store =
        app::registers::store::RegisterStore::open(&format!("sqlite://{}", registers.display())).await.expect("store");
    let secrets = app::platform::secrets::Secrets::from_master(&[7; 32]).expect("secrets");
    let shared = Arc::new(app::sharing::server::SharedData::new(
        db.clone(),
        app::registers::Provider::InProcess(Arc::new(store)),
        secrets.subject().clone(),
        config.registers.timeout,
    ));
    let files = std::env::temp_dir().join(format!("onestop-bench-files-{}", std::process::id()));
    let bus = app::bus::server::Buses::default();
    let clock = app::platform::clock::Clock::system();
    let ctx = AppContext::new(app::platform::AppServices {
        db: db.clone(),
        site: Arc::new(app::site::server::load(&db).await.expect("site")),
        secure_cookies: false,
        shared,
        hospitals: app::hospitals::Provider::InProcess(Arc::new(
            demo::hospitals_at(&registers.with_extension("hospitals.db")).await.expect("hospitals"),
        )),
        gas: app::gas::Provider::InProcess(Arc::new(
            demo::gas_at(&registers.with_extension("gas.db"), app::gas::store::today()).await.expect("gas"),
        )),
        bus: bus.clone(),
        secrets,
        clock: clock.clone(),
        public_origin: config.public_origin.clone(),
        mail_is_local: true,
        catalogue: Default::default(),
        credentials: Default::default(),
        applications: app::applications::server::Settings::new(
            config.draft_days,
            &config.files.limits,
            config.rating_ledger_days,
        ),
        files: app::platform::files::FileStore::new(&app::platform::files::StorageSettings {
            dir: files.clone(),
            bucket: None,
        })
        .expect("file store"),
        document_font: app::documents::server::DocumentFont::load(&config.document_font).expect("documents' font"),
        library: Default::default(),
        map_tiles: None,
    });
    let router = build_router(&config, ctx).router;
    Portal { router, db, files, origin: config.public_origin.clone(), registers, config, bus, clock }
}

/// Throughputs of the portal and its baseline, one pair per run.
pub struct Pairs {
    pub portal: Vec<f64>,
    pub baseline: Vec<f64>,
}

/// `pairs` pairs of runs, alternating which side goes first; each run returns its throughput.
pub async fn interleave(
    pairs: usize,
    mut portal: impl AsyncFnMut() -> f64,
    mut baseline: impl AsyncFnMut() -> f64,
) -> Pairs {
    let mut out = Pairs { portal: Vec::new(), baseline: Vec::new() };
    for i in 0..pairs {
        if i % 2 == 0 {
            out.portal.push(portal().await);
            out.baseline.push(baseline().await);
        } else {
            out.baseline.push(baseline().await);
            out.portal.push(portal().await);
        }
    }
    out
}

pub fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One table line: the medians of both sides, the median of the per-pair ratios and their range.
pub fn report(name: &str, pairs: &Pairs) {
    let mut ratios: Vec<f64> = pairs.portal.iter().zip(&pairs.baseline).map(|(p, b)| p / b).collect();
    ratios.sort_by(f64::total_cmp);
    // Whole requests per second, with a decimal below 100.
    let rate = |x: f64| if x < 100.0 { format!("{x:.1}") } else { format!("{x:.0}") };
    println!(
        "{name:<28} {:>12} {:>12} {:>8.2}   (pair ratios {:.2}–{:.2})",
        rate(median(&pairs.portal)),
        rate(median(&pairs.baseline)),
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// Side-by-side runs of routers in one process (catalogue, bus): every side `ROUNDS` times for
/// `RUN` each, rotating which goes first.
pub const ROUNDS: usize = 5;
pub const RUN: Duration = Duration::from_secs(3);

/// One timed run of one side: its throughput and every request's time.
pub struct Run {
    pub rate: f64,
    pub latencies: Vec<Duration>,
}

/// Every side gets a warm-up, then `ROUNDS` runs each; round `r` starts with side `r mod n`, so
/// no side always runs first or last.
pub async fn compare(sides: &[(&Router, &dyn Fn(usize) -> String)]) -> Vec<Vec<Run>> {
    for (router, uri) in sides {
        measure(router, uri, Duration::from_secs(1)).await;
    }
    let mut runs: Vec<Vec<Run>> = sides.iter().map(|_| Vec::new()).collect();
    for round in 0..ROUNDS {
        for k in 0..sides.len() {
            let side = (round + k) % sides.len();
            let (router, uri) = sides[side];
            runs[side].push(measure(router, uri, RUN).await);
        }
    }
    runs
}

/// Requests one after another for `run`.
pub async fn measure(router: &Router, uri: &dyn Fn(usize) -> String, run: Duration) -> Run {
    let start = Instant::now();
    let mut latencies = Vec::with_capacity(32 * 1024);
    while start.elapsed() < run {
        let target = uri(latencies.len());
        let began = Instant::now();
        let res = router.clone().oneshot(Request::get(&target).body(Body::empty()).expect("request")).await;
        let res = res.expect("infallible");
        assert!(res.status().is_success(), "{target} answered {}", res.status());
        let _ = http_body_util::BodyExt::collect(res.into_body()).await.expect("body");
        latencies.push(began.elapsed());
    }
    Run { rate: latencies.len() as f64 / start.elapsed().as_secs_f64(), latencies }
}

pub fn median_rate(runs: &[Run]) -> f64 {
    median(&runs.iter().map(|r| r.rate).collect::<Vec<_>>())
}

/// Portal ÷ baseline for each round, sorted.
pub fn pair_ratios(portal: &[Run], baseline: &[Run]) -> Vec<f64> {
    let mut ratios: Vec<f64> = portal.iter().zip(baseline).map(|(p, b)| p.rate / b.rate).collect();
    ratios.sort_by(f64::total_cmp);
    ratios
}

/// The `q` quantile of every request's time over all runs, in microseconds.
pub fn percentile(runs: &[Run], q: f64) -> f64 {
    let mut all: Vec<Duration> = runs.iter().flat_map(|r| r.latencies.iter().copied()).collect();
    all.sort();
    let i = ((all.len() as f64 * q) as usize).min(all.len() - 1);
    all[i].as_secs_f64() * 1e6
}

pub async fn check(router: &Router, uri: &str, expected: &str) {
    assert!(body(router, uri).await.contains(expected), "{uri} lacks {expected}");
}

/// The text of a successful GET.
pub async fn body(router: &Router, uri: &str) -> String {
    let res = router.clone().oneshot(Request::get(uri).body(Body::empty()).expect("request")).await.expect("ok");
    assert!(res.status().is_success(), "{uri}: {}", res.status());
    let body = http_body_util::BodyExt::collect(res.into_body()).await.expect("body").to_bytes();
    String::from_utf8_lossy(&body).into_owned()
}

/// HTML escaping for the hand-written baselines, the way a careful hand-written handler does it:
/// one pass, and no copy when nothing needs escaping.
pub fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    let Some(first) = s.find(['&', '<', '>', '"']) else {
        return std::borrow::Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The demo city's bus timetable in the portal's snapshot, with a real-time message for `now`;
/// returns the stops where the most lines call, busiest first.
pub fn run_demo_buses(site: &Portal, now: i64) -> Vec<String> {
    let generated = onestop_server::demo::built_in_bus_feed().expect("generates");
    let (feed, _) = app::bus::gtfs::read(&generated.files).expect("valid GTFS");
    let timetable = app::bus::arrivals::Timetable::new(&feed);
    let mut stops: Vec<(usize, String)> = timetable
        .lines()
        .iter()
        .filter_map(|l| timetable.line(&l.id, 0, None))
        .flat_map(|(_, directions)| directions.into_iter().flat_map(|d| d.stops.into_iter().map(|s| s.id)))
        .filter_map(|id| timetable.stop(&id).map(|s| (s.lines.len(), id)))
        .collect();
    stops.sort_by(|a, b| b.cmp(a));
    stops.dedup_by(|a, b| a.1 == b.1);
    let message = app::bus::realtime::encode(&app::bus::dispatch::message(&timetable, now));
    site.bus.set_timetable(timetable);
    site.bus.accept(Ok(message)).expect("the feed decodes");
    stops.into_iter().map(|(_, id)| id).collect()
}

/// A window clerk of `department` set up and signed in the way a clerk does it (one-time link,
/// password, TOTP; the sign-in waits for the next TOTP step, since a code is good once);
/// returns the session cookie (`sid=…`).
pub async fn signed_in_clerk(site: &Portal, username: &str, department: &str) -> String {
    use app::accounts::server::{hash_token, staff, totp};
    const PASSWORD: &str = "Queue-Bench-Yellow-River-7";
    let token = format!("bench-token-{username}");
    let clock = app::platform::clock::Clock::system();
    let now = || clock.now();
    staff::create(
        &site.db,
        &staff::NewStaff {
            username,
            display_name: "窗口压测",
            role: app::accounts::StaffRole::WindowClerk.code(),
            department_code: Some(department),
            token_hash: &hash_token(&token),
            now: now(),
            expires_at: now() + 3600,
        },
    )
    .await
    .expect("staff");
    let send = |req: Request<Body>| async { site.router.clone().oneshot(req).await.expect("infallible") };
    let post = |uri: &str, form: &[(&str, &str)]| {
        Request::post(uri)
            .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .header(axum::http::header::ORIGIN, &site.origin)
            .body(Body::from(serde_urlencoded::to_string(form).expect("form")))
            .expect("request")
    };
    let res = send(Request::get(format!("/staff/setup?token={token}")).body(Body::empty()).expect("request")).await;
    let page = http_body_util::BodyExt::collect(res.into_body()).await.expect("body").to_bytes();
    let page = String::from_utf8_lossy(&page);
    let secret = page.split("name=\"secret\" value=\"").nth(1).and_then(|r| r.split('"').next()).expect("secret");
    let key = totp::from_base32(secret).expect("base32");
    let setup_step = now() / 30;
    let code = totp::code_at(&key, now());
    let form = [("token", token.as_str()), ("secret", secret), ("password", PASSWORD), ("code", &code)];
    assert_eq!(send(post("/staff/setup", &form)).await.status(), 303, "set-up");
    while now() / 30 == setup_step {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let code = totp::code_at(&key, now());
    let res = send(post("/staff/login", &[("username", username), ("password", PASSWORD), ("code", &code)])).await;
    assert_eq!(res.status(), 303, "sign-in");
    res.headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.contains("sid="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_owned()
}
