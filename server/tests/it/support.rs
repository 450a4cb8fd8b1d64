use app::platform::secrets::{Secrets, SubjectKey};
use app::platform::testing::fresh_db;
use app::platform::{AppContext, Backend, Db};
use app::registers::store::RegisterStore;
use app::registers::Provider;
use app::sharing::server::SharedData;
use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use http_body_util::BodyExt;
use onestop_server::{build_router, demo, Config};
use std::sync::Arc;
use tower::ServiceExt;

pub const ORIGIN: &str = "http://127.0.0.1:3000";

pub struct TestApp {
    pub router: Router,
    /// The operator endpoints, as served on the admin address.
    pub admin: Router,
    pub db: Db,
    pub shared: Arc<SharedData>,
    /// The application's clock; tests move it forward to pass timeouts.
    pub clock: app::platform::clock::Clock,
    /// The application's password checker, whose work the sign-in tests count.
    pub credentials: app::accounts::server::password::Credentials,
    /// The context the router's handlers get, for running the scheduled jobs directly.
    pub ctx: AppContext,
    /// The test's own demo hospitals' and gas company's databases, removed with the app.
    hospitals_db: std::path::PathBuf,
    /// The test's own uploaded-file store, removed with the app.
    files_dir: std::path::PathBuf,
    /// The test's own gas company database, removed with the app.
    gas_db: std::path::PathBuf,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.hospitals_db.display()));
            let _ = std::fs::remove_file(format!("{}{suffix}", self.gas_db.display()));
        }
        let _ = std::fs::remove_dir_all(&self.files_dir);
        // Every server ERROR line is a defect (the test already failing says more).
        if !std::thread::panicking() {
            crate::error_log::assert_only_expected(&[]);
        }
    }
}

/// The subject key every test uses, so tests can compute the references they expect.
pub fn test_secrets() -> Secrets {
    Secrets::from_master(&[0x5a; 32]).expect("valid key")
}

pub fn test_subject_key() -> SubjectKey {
    test_secrets().subject().clone()
}

/// The demo registers of the built-in city, generated once per fingerprint into a file that
/// every test (and test process) opens read-mostly. Written under a temporary name and renamed,
/// so a parallel test never sees half a database.
pub async fn demo_registers_url() -> String {
    static READY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    READY
        .get_or_init(|| async {
            let source = demo::ProfileSource::built_in();
            let profile = demo::CityProfile::parse(&source.text).expect("profile");
            let streets = source.read(&profile.gazetteer.streets).expect("streets");
            let communities = source.read(&profile.gazetteer.communities).expect("communities");
            let gazetteer = app::registers::demo::Gazetteer { streets_csv: &streets, communities_csv: &communities };
            let fingerprint = app::registers::demo::fingerprint(&source.text, &gazetteer);
            let path = std::env::temp_dir().join(format!("onestop-test-registers-sealed-{}.db", &fingerprint[..16]));
            if !path.exists() {
                let partial = std::env::temp_dir().join(format!(
                    "onestop-test-registers-{}-{}.db",
                    &fingerprint[..16],
                    std::process::id()
                ));
                let store = RegisterStore::open(&format!("sqlite://{}", partial.display())).await.expect("open");
                demo::install_registers(&store, &profile, &source).await.expect("install");
                store.close().await;
                seal_sqlite(&partial, &path).await;
            }
            format!("sqlite://{}", path.display())
        })
        .await
        .clone()
}

/// The in-process provider over the shared demo registers.
pub async fn demo_provider() -> Provider {
    let store = RegisterStore::open(&demo_registers_url().await).await.expect("open registers");
    Provider::InProcess(Arc::new(store))
}

/// A demo hospital platform of its own for one test (bookings change it), in the temporary
/// directory; the path is for removing it afterwards.
pub async fn test_hospitals() -> (app::hospitals::Provider, std::path::PathBuf) {
    use rand::Rng;
    let path = std::env::temp_dir().join(format!("onestop-test-hospitals-{:016x}.db", rand::rng().random::<u64>()));
    let store = demo::hospitals_at(&path).await.expect("demo hospitals");
    (app::hospitals::Provider::InProcess(Arc::new(store)), path)
}

/// A demo gas company of its own for one test (readings change it): a copy of this month's
/// demo data, generated once per month into the temporary directory and shared by the tests.
pub async fn test_gas() -> (app::gas::Provider, std::path::PathBuf) {
    use rand::Rng;
    let today = app::gas::store::today();
    let fingerprint = app::gas::demo::fingerprint(demo::BUILT_IN_PROFILE, "", today);
    let template = std::env::temp_dir().join(format!("onestop-test-gas-sealed-{}.db", &fingerprint[..16]));
    if !template.exists() {
        let partial = template.with_extension(format!("{}.partial", std::process::id()));
        let store = demo::gas_at(&partial, today).await.expect("demo gas company");
        store.close().await;
        seal_sqlite(&partial, &template).await;
    }
    let path = std::env::temp_dir().join(format!("onestop-test-gas-{:016x}.db", rand::rng().random::<u64>()));
    std::fs::copy(&template, &path).expect("copy the demo gas company");
    let store = app::gas::store::GasStore::open(&format!("sqlite://{}", path.display())).await.expect("gas");
    (app::gas::Provider::InProcess(Arc::new(store)), path)
}

/// Makes a generated SQLite file self-contained and moves it to `target` in one rename. Closing
/// a pool does not promise that its write-ahead log was folded in, and a log left under the old
/// name would be lost with the rename (templates are copied as one file). So the log is
/// checkpointed into the file, and the file leaves WAL mode.
async fn seal_sqlite(partial: &std::path::Path, target: &std::path::Path) {
    use sqlx::{Connection, Executor};
    let mut conn =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}", partial.display())).await.expect("open the new file");
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").await.expect("checkpoint");
    // Leaving WAL mode needs the only connection to the file, and SQLite answers "locked" at
    // once, without waiting, while the generating pool's worker thread is still closing its
    // handle (its `close()` can return a moment before); so this waits for that here.
    let mut attempts = 0;
    while let Err(err) = conn.execute("PRAGMA journal_mode = DELETE").await {
        attempts += 1;
        assert!(attempts < 100, "leave WAL mode: {err}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    conn.close().await.expect("close");
    std::fs::rename(partial, target).expect("rename the sealed file");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
}

pub fn test_config(extra: &[(&str, &str)]) -> Config {
    let site_root = std::env::temp_dir().join("onestop-test-site");
    let site_root = site_root.display().to_string();
    let mut vars: Vec<(String, String)> = vec![("ONESTOP_SITE_ROOT".into(), site_root)];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::load(None, |k| vars.iter().rev().find(|(name, _)| name == k).map(|(_, v)| v.clone())).expect("test config")
}

/// A file store of its own for one test, in the temporary directory; the path is for removing
/// it afterwards.
pub fn test_file_store() -> (app::platform::files::FileStore, std::path::PathBuf) {
    use rand::Rng;
    let dir = std::env::temp_dir().join(format!("onestop-test-files-{:016x}", rand::rng().random::<u64>()));
    let store =
        app::platform::files::FileStore::new(&app::platform::files::StorageSettings { dir: dir.clone(), bucket: None })
            .expect("test file store");
    (store, dir)
}

/// The documents' font from the configuration's default (installed by `.ci/setup.sh`), read once
/// per test process.
pub fn test_document_font() -> app::documents::server::DocumentFont {
    static FONT: std::sync::OnceLock<app::documents::server::DocumentFont> = std::sync::OnceLock::new();
    FONT.get_or_init(|| {
        let path = std::path::Path::new(onestop_server::config::DEFAULT_DOCUMENT_FONT);
        app::documents::server::DocumentFont::load(path).expect("the documents' font: run .ci/setup.sh")
    })
    .clone()
}

impl TestApp {
    /// A router over a fresh database seeded with the built-in demo city.
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_config(backend, test_config(&[])).await
    }

    pub async fn with_config(backend: Backend, config: Config) -> TestApp {
        Self::with_provider(backend, config, demo_provider().await).await
    }

    /// A router whose registers come from `provider` (e.g. one that is down or slow).
    pub async fn with_provider(backend: Backend, config: Config, provider: Provider) -> TestApp {
        Self::with_parts(backend, config, provider, Default::default(), |gas| gas).await
    }

    /// A router with the city library answering from `library`.
    pub async fn with_library(backend: Backend, library: app::library::server::Library) -> TestApp {
        Self::with_library_and_config(backend, test_config(&[]), library).await
    }

    pub async fn with_library_and_config(
        backend: Backend,
        config: Config,
        library: app::library::server::Library,
    ) -> TestApp {
        Self::with_parts(backend, config, demo_provider().await, library, |gas| gas).await
    }

    /// A router whose gas company is what `gas` makes of the test's own demo company (e.g. that
    /// company behind its HTTP endpoint).
    pub async fn with_gas(backend: Backend, gas: impl FnOnce(app::gas::Provider) -> app::gas::Provider) -> TestApp {
        Self::with_parts(backend, test_config(&[]), demo_provider().await, Default::default(), gas).await
    }

    /// A router over `db` (migrated, empty), seeded here with the built-in demo city: for a
    /// database the test controls, such as a PostgreSQL server of its own that it stops.
    pub async fn on_database(db: Db) -> TestApp {
        Self::build(db, test_config(&[]), demo_provider().await, Default::default(), |gas| gas).await
    }

    async fn with_parts(
        backend: Backend,
        config: Config,
        provider: Provider,
        library: app::library::server::Library,
        gas: impl FnOnce(app::gas::Provider) -> app::gas::Provider,
    ) -> TestApp {
        Self::build(fresh_db(backend).await, config, provider, library, gas).await
    }

    async fn build(
        db: Db,
        config: Config,
        provider: Provider,
        library: app::library::server::Library,
        gas: impl FnOnce(app::gas::Provider) -> app::gas::Provider,
    ) -> TestApp {
        crate::error_log::watch();
        let profile = demo::CityProfile::parse(demo::BUILT_IN_PROFILE).expect("profile");
        demo::seed(&db, &profile, &demo::ProfileSource::built_in()).await.expect("seed");
        let site = app::site::server::load(&db).await.expect("site");
        let shared = Arc::new(SharedData::new(db.clone(), provider, test_subject_key(), config.registers.timeout));
        let clock = app::platform::clock::Clock::system();
        let credentials = app::accounts::server::password::Credentials::default();
        let (hospitals, hospitals_db) = test_hospitals().await;
        let (files, files_dir) = test_file_store();
        let (company, gas_db) = test_gas().await;
        let gas = gas(company);
        let ctx = AppContext::new(app::platform::AppServices {
            db: db.clone(),
            site: Arc::new(site),
            secure_cookies: config.secure_cookies,
            shared: shared.clone(),
            hospitals,
            gas,
            bus: Default::default(),
            secrets: test_secrets(),
            clock: clock.clone(),
            public_origin: config.public_origin.clone(),
            mail_is_local: false,
            catalogue: Default::default(),
            credentials: credentials.clone(),
            applications: app::applications::server::Settings::new(
                config.draft_days,
                &config.files.limits,
                config.rating_ledger_days,
            ),
            files,
            document_font: test_document_font(),
            library,
            map_tiles: config.map_tiles.clone(),
        });
        let built = build_router(&config, ctx.clone());
        TestApp {
            router: built.router,
            admin: built.admin,
            db,
            shared,
            clock,
            credentials,
            ctx,
            hospitals_db,
            files_dir,
            gas_db,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.expect("infallible router")
    }

    pub async fn get(&self, uri: &str) -> Response<Body> {
        self.send(Request::get(uri).body(Body::empty()).expect("request")).await
    }

    pub async fn get_with_cookie(&self, uri: &str, cookie: &str) -> Response<Body> {
        self.send(Request::get(uri).header("cookie", cookie).body(Body::empty()).expect("request")).await
    }
}

/// A form-encoded POST with the given extra headers.
pub fn form_post(uri: &str, body: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut req = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.body(Body::from(body.to_owned())).expect("request")
}

/// A plain HTML form post as a browser sends it from one of our pages.
pub fn same_origin_form_post(uri: &str, body: &str) -> Request<Body> {
    form_post(
        uri,
        body,
        &[("accept", "text/html,application/xhtml+xml"), ("sec-fetch-site", "same-origin"), ("origin", ORIGIN)],
    )
}

/// The registration form of 张伟 (in the demo population register) as posted.
pub fn zhang_wei_registration() -> String {
    serde_urlencoded::to_string([
        ("name", "张伟"),
        ("id_number", crate::registers::ZHANG_WEI),
        ("email", "zhang.wei@example.cn"),
        ("password", "river-bridge-sunset-1936"),
    ])
    .expect("form")
}

pub async fn body_text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

/// The site header's account link as (where it goes, its text with any markup removed): sign-in
/// for visitors, the signed-in person's name otherwise.
pub fn header_account_link(html: &str) -> (String, String) {
    let at = html.find("site-header__account").expect("the header's account link");
    let start = html[..at].rfind("<a ").expect("an <a> element");
    let end = start + html[start..].find("</a>").expect("a closed link");
    let (tag, content) = html[start..end].split_once('>').expect("a start tag");
    let href = tag.split("href=\"").nth(1).and_then(|h| h.split('"').next()).unwrap_or_default().to_owned();
    let mut text = String::new();
    let mut in_tag = false;
    for c in content.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    (href, text)
}

/// Runs an async test body once per backend, each with its own database.
#[macro_export]
macro_rules! on_both_backends {
    // With the app `$make` (an async fn of the backend) builds, e.g. one with a library.
    ($name:ident, $make:path, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let $app = $make(app::platform::Backend::Sqlite).await;
                $body
            }
            #[tokio::test]
            async fn postgres() {
                let $app = $make(app::platform::Backend::Postgres).await;
                $body
            }
        }
    };
    ($name:ident, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let $app = $crate::support::TestApp::new(app::platform::Backend::Sqlite).await;
                $body
            }
            #[tokio::test]
            async fn postgres() {
                let $app = $crate::support::TestApp::new(app::platform::Backend::Postgres).await;
                $body
            }
        }
    };
}

/// Every file under `dir` (recursively) with its size, sorted by path.
pub fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let meta = entry.metadata().expect("metadata");
            if meta.is_dir() {
                pending.push(entry.path());
            } else {
                found.push((entry.path(), meta.len()));
            }
        }
    }
    found.sort();
    found
}

/// The Rust sources under `dir`.
pub fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    files_under(dir).into_iter().map(|(path, _)| path).filter(|p| p.extension().is_some_and(|e| e == "rs")).collect()
}
