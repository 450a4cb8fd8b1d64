//! What both benchmarks share: the portal as `serve` builds it, the interleaved A-B runs and the
//! report line (BENCHMARKS.md).

// Each bench is its own crate and uses a part of this module.
#![allow(dead_code)]

use app::platform::{AppContext, Backend, Db};
use axum::Router;
use onestop_server::{build_router, demo, Config};
use std::path::PathBuf;
use std::sync::Arc;

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

pub async fn portal() -> Portal {
    let db = app::platform::testing::fresh_db(Backend::Sqlite).await;
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
    let ctx = AppContext {
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
        bus: Default::default(),
        secrets,
        clock: app::platform::clock::Clock::system(),
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
    };
    let router = build_router(&config, ctx).router;
    Portal { router, db, files, origin: config.public_origin.clone(), registers, config }
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
