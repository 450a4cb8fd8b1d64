//! Load test (BENCHMARKS.md): virtual users with think time, over real HTTP connections, against
//! the portal as `serve` builds it, on SQLite and then on PostgreSQL.
//!
//! Each virtual user keeps one role for the whole run and repeats that role's journeys, pausing
//! [`THINK`] between steps as a person reading a page does:
//! - visitors (7 in 10): browse (home, the services list, a guide), search, or look up hospitals
//!   and a bus stop's arrivals;
//! - citizens (2 in 10): sign in, open their applications, on every second journey apply for the
//!   allowance (answer its steps, upload a 256 KiB scanned PDF, submit), then sign out;
//! - clerks (1 in 10): poll their department's queue and open its most urgent case.
//!
//! The number of users rises through [`LEVELS`]; each level starts its users over [`SETTLE`] and
//! then holds them for [`HOLD`], measured. A level passes when no request failed (a transport
//! error or any status but the one the step expects) and the 95th percentile of every measured
//! request is under [`BUDGET`]. After the first failing level, the midpoint between it and the last
//! passing one is tried. The answer is the most users held.
//!
//! Server and users share this process and its two worker threads, like a portal and its load
//! generator sharing one small machine, so the figure is a floor for the server alone. All users
//! come from 127.0.0.1, so the per-address limits on sign-ins and registrations are raised for the
//! run (they exist against one address guessing passwords, not a city's users).
//!
//! `make load` (release build; PostgreSQL is started by `.ci/with-postgres.sh`). Not a test:
//! nothing here fails on a number. The table is printed as Markdown and written as JSON to
//! `target/bench/load.json`.

use app::platform::Backend;
use axum::http::{header, Request, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;

use support::files::{jpeg, picture, sized, ScannedPdf};

const LEVELS: [usize; 8] = [50, 100, 200, 400, 800, 1600, 3200, 6400];
const SETTLE: Duration = Duration::from_secs(6);
const HOLD: Duration = Duration::from_secs(20);
const BUDGET: Duration = Duration::from_millis(500);
/// A pause between steps: uniform between these, in milliseconds.
const THINK: (u64, u64) = (1_000, 3_000);
/// 最低生活保障: a form with a repeating group and a required scan (the authorisation).
const LOW_INCOME: &str = "620100-MZ-JF-0001";
const DEPARTMENT: &str = "civil-affairs";
const SLOT: &str = "authorisation_scan";
const PASSWORD: &str = "river-bridge-sunset-1936";
const QUERIES: [&str; 6] = ["户口", "身份证", "营业执照", "出生医学证明", "低保", "结婚登记"];
const UPLOAD_BYTES: usize = 256 * 1024;
const BOUNDARY: &str = "----onestop-load-boundary-Qm9uZVN0b3A";
/// Citizens' virtual users per account: a citizen may be signed in on five devices at most.
const USERS_PER_ACCOUNT: usize = 4;

fn main() {
    // Set before any thread starts; the portal reads these limits from its environment.
    for name in ["ONESTOP_SIGN_INS_PER_ADDRESS", "ONESTOP_REGISTRATIONS_PER_ADDRESS"] {
        std::env::set_var(name, "1000000");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut backends = vec![Backend::Sqlite];
    if std::env::var("ONESTOP_TEST_POSTGRES_URL").is_ok() {
        backends.push(Backend::Postgres);
    } else {
        println!("PostgreSQL NOT MEASURED: ONESTOP_TEST_POSTGRES_URL is not set (`make load` sets it)");
    }
    let mut json = String::from("{\"backends\":[");
    for (n, backend) in backends.into_iter().enumerate() {
        let result = runtime.block_on(run(backend));
        let _ = write!(json, "{}{result}", if n == 0 { "" } else { "," });
    }
    json.push_str("]}\n");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "../target".into()))
        .join("bench");
    if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(dir.join("load.json"), &json).is_ok() {
        println!("\n(written to {})", dir.join("load.json").display());
    }
}

/// What every user shares: the client, the portal's address and what the journeys pick from.
struct World {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    origin: String,
    guides: Vec<String>,
    hospitals: Vec<String>,
    stops: Vec<String>,
    accounts: Vec<Account>,
    clerk_cookie: String,
    pdf: ScannedPdf,
    serial: AtomicU64,
}

struct Account {
    email: String,
    name: String,
    id_number: String,
    household_address: String,
}

/// One level's outcome.
struct Level {
    users: usize,
    requests: usize,
    errors: usize,
    first_errors: Vec<String>,
    rate: f64,
    p50: Duration,
    p95: Duration,
    p99: Duration,
    /// The step with the highest 95th percentile, and that percentile.
    slowest: (&'static str, Duration),
}

impl Level {
    fn passed(&self) -> bool {
        self.errors == 0 && self.p95 < BUDGET
    }
}

async fn run(backend: Backend) -> String {
    let label = match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let started = Instant::now();
    let site = support::portal_on(backend).await;
    let now = app::platform::time::now_unix();
    let stops: Vec<String> = support::run_demo_buses(&site, now).into_iter().take(40).collect();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listener");
    let addr = listener.local_addr().expect("address");
    let router = site.router.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
    });
    let client = Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(30)).build_http();
    let base = format!("http://{addr}");

    // The clerk waits for a fresh TOTP step while the citizens register.
    let (clerk_cookie, accounts) = tokio::join!(
        support::signed_in_clerk(&site, "load.clerk", DEPARTMENT),
        register_citizens(&client, &base, &site.origin, LEVELS[LEVELS.len() - 1] * 2 / 10 / USERS_PER_ACCOUNT)
    );
    let scan = sized(UPLOAD_BYTES - 4096, |w, h| jpeg(&picture(w, h, 7)));
    let mut world = World {
        client,
        base,
        origin: site.origin.clone(),
        guides: Vec::new(),
        hospitals: Vec::new(),
        stops,
        accounts,
        clerk_cookie,
        pdf: ScannedPdf::new(&[&scan], UPLOAD_BYTES),
        serial: AtomicU64::new(1),
    };
    let services = world.page("/services").await;
    world.guides = links(&services, "/services/", |rest| !rest.contains(['?', '/']));
    let hospitals = world.page("/hospitals").await;
    world.hospitals = links(&hospitals, "/hospitals/", |rest| !rest.contains(['?', '/']) && rest != "bookings");
    assert!(!world.guides.is_empty() && !world.hospitals.is_empty() && !world.stops.is_empty(), "pages to visit");
    let world = Arc::new(world);
    println!(
        "\nload test, {label}: {} citizen accounts, {} guides, {} hospitals, {} bus stops; think {}–{} ms; \
         {SETTLE:?} to start the users, then {HOLD:?} measured per level",
        world.accounts.len(),
        world.guides.len(),
        world.hospitals.len(),
        world.stops.len(),
        THINK.0,
        THINK.1
    );
    println!();
    println!(
        "| Users | Requests | Errors | Requests/s | p50 (ms) | p95 (ms) | p99 (ms) | Slowest step (p95 ms) | Held |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---|---|");
    let mut levels: Vec<Level> = Vec::new();
    for users in LEVELS {
        let level = hold(&world, users).await;
        print_level(&level);
        let passed = level.passed();
        levels.push(level);
        if !passed {
            let below = levels.iter().filter(|l| l.passed()).map(|l| l.users).max().unwrap_or(0);
            let mid = (below + users) / 2;
            if mid > below && mid < users {
                let level = hold(&world, mid).await;
                print_level(&level);
                levels.push(level);
            }
            break;
        }
    }
    let held = levels.iter().filter(|l| l.passed()).map(|l| l.users).max().unwrap_or(0);
    println!();
    println!(
        "{label}: **{held} concurrent users held** (p95 under {} ms, no errors); {:.0} s in all",
        BUDGET.as_millis(),
        started.elapsed().as_secs_f64()
    );
    for level in levels.iter().filter(|l| !l.first_errors.is_empty()) {
        println!("errors at {} users, the first ones: {}", level.users, level.first_errors.join("; "));
    }
    server.abort();
    site.remove().await;
    let mut json = format!("{{\"backend\":\"{label}\",\"held\":{held},\"levels\":[");
    for (n, l) in levels.iter().enumerate() {
        let _ = write!(
            json,
            "{}{{\"users\":{},\"requests\":{},\"errors\":{},\"rate\":{:.1},\"p50_ms\":{:.1},\"p95_ms\":{:.1},\"p99_ms\":{:.1}}}",
            if n == 0 { "" } else { "," },
            l.users,
            l.requests,
            l.errors,
            l.rate,
            ms(l.p50),
            ms(l.p95),
            ms(l.p99)
        );
    }
    json.push_str("]}");
    json
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn print_level(l: &Level) {
    println!(
        "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {} ({:.0}) | {} |",
        l.users,
        l.requests,
        l.errors,
        l.rate,
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
        l.slowest.0,
        ms(l.slowest.1),
        if l.passed() { "yes" } else { "no" }
    );
}

/// The distinct `prefix…` link targets on a page, in order.
fn links(html: &str, prefix: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in html.split(&format!("href=\"{prefix}")).skip(1) {
        let rest = part.split('"').next().unwrap_or_default();
        let path = format!("{prefix}{rest}");
        if !rest.is_empty() && keep(rest) && !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// Registers citizens of the demo registers (adults heading a household) through the
/// registration form, as many as `wanted` or as the registers have.
async fn register_citizens(
    client: &Client<HttpConnector, Full<Bytes>>,
    base: &str,
    origin: &str,
    wanted: usize,
) -> Vec<Account> {
    let source = onestop_server::demo::ProfileSource::built_in();
    let profile = onestop_server::demo::CityProfile::parse(&source.text).expect("profile");
    let people = onestop_server::demo::demo_applicants(&profile, &source, wanted).expect("demo adults");
    let mut accounts = Vec::new();
    for (i, p) in people.into_iter().enumerate() {
        let email = format!("load.{i}@example.cn");
        let form = [
            ("name", p.name.as_str()),
            ("id_number", p.id_number.as_str()),
            ("email", email.as_str()),
            ("phone", ""),
            ("password", PASSWORD),
        ];
        let req = form_post(base, origin, "/register", &form, None);
        let res = client.request(req).await.expect("register");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "registering {}", p.name);
        let _ = res.into_body().collect().await;
        accounts.push(Account { email, name: p.name, id_number: p.id_number, household_address: p.household_address });
    }
    accounts
}

fn form_post(
    base: &str,
    origin: &str,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> Request<Full<Bytes>> {
    let mut req = Request::post(format!("{base}{path}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, origin);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Full::new(Bytes::from(serde_urlencoded::to_string(form).expect("form")))).expect("request")
}

impl World {
    /// A page fetched for setting up, not measured.
    async fn page(&self, path: &str) -> String {
        let req = Request::get(format!("{}{path}", self.base)).body(Full::default()).expect("request");
        let res = self.client.request(req).await.expect("page");
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        String::from_utf8_lossy(&res.into_body().collect().await.expect("body").to_bytes()).into_owned()
    }
}

/// `users` users for [`SETTLE`] + [`HOLD`]; the requests that start after [`SETTLE`] count.
async fn hold(world: &Arc<World>, users: usize) -> Level {
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let measure_from = start + SETTLE;
    let tasks: Vec<_> = (0..users)
        .map(|i| {
            let world = world.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                // Arrivals spread over the settling time.
                let offset = SETTLE.mul_f64(i as f64 / users as f64 * 0.8);
                tokio::time::sleep(offset).await;
                let mut user = User::new(world, i, measure_from);
                while !stop.load(Ordering::Relaxed) {
                    user.journey(&stop).await;
                }
                user.samples
            })
        })
        .collect();
    tokio::time::sleep_until((measure_from + HOLD).into()).await;
    stop.store(true, Ordering::Relaxed);
    let mut samples: Vec<Sample> = Vec::new();
    for t in tasks {
        samples.extend(t.await.expect("user"));
    }
    // Only requests that started inside the measured window, and were done by its end plus one
    // budget (a slower one still counts, against the budget).
    let end = measure_from + HOLD;
    samples.retain(|s| s.started < end);
    let errors: Vec<&Sample> = samples.iter().filter(|s| s.error.is_some()).collect();
    let mut all: Vec<Duration> = samples.iter().map(|s| s.took).collect();
    all.sort();
    let at = |q: f64| all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1))).copied();
    let mut steps: Vec<&'static str> = samples.iter().map(|s| s.step).collect();
    steps.sort();
    steps.dedup();
    let slowest = steps
        .iter()
        .map(|step| {
            let mut t: Vec<Duration> = samples.iter().filter(|s| s.step == *step).map(|s| s.took).collect();
            t.sort();
            (*step, t[((t.len() as f64 * 0.95) as usize).min(t.len() - 1)])
        })
        .max_by_key(|(_, p95)| *p95)
        .unwrap_or(("-", Duration::ZERO));
    Level {
        users,
        requests: samples.len(),
        errors: errors.len(),
        first_errors: errors.iter().take(3).filter_map(|s| s.error.clone()).collect(),
        rate: samples.len() as f64 / HOLD.as_secs_f64(),
        p50: at(0.50).unwrap_or_default(),
        p95: at(0.95).unwrap_or_default(),
        p99: at(0.99).unwrap_or_default(),
        slowest,
    }
}

struct Sample {
    step: &'static str,
    started: Instant,
    took: Duration,
    error: Option<String>,
}

/// One answer, read whole.
struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

enum Role {
    Visitor,
    Citizen(usize),
    Clerk,
}

struct User {
    world: Arc<World>,
    role: Role,
    cookie: Option<String>,
    rng: u64,
    journeys: u64,
    measure_from: Instant,
    samples: Vec<Sample>,
}

impl User {
    fn new(world: Arc<World>, i: usize, measure_from: Instant) -> User {
        let role = match i % 10 {
            0 => Role::Clerk,
            1 | 2 => Role::Citizen((i / 10 * 2 + i % 10 - 1) / USERS_PER_ACCOUNT % world.accounts.len()),
            _ => Role::Visitor,
        };
        let cookie = matches!(role, Role::Clerk).then(|| world.clerk_cookie.clone());
        let rng = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        User { world, role, cookie, rng, journeys: 0, measure_from, samples: Vec::new() }
    }

    fn random(&mut self, below: usize) -> usize {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        (self.rng % below.max(1) as u64) as usize
    }

    /// One of a list of the world's, at random.
    fn pick(&mut self, list: impl Fn(&World) -> &Vec<String>) -> String {
        let n = self.random(list(&self.world).len());
        list(&self.world)[n].clone()
    }

    async fn think(&mut self, stop: &AtomicBool) {
        let ms = THINK.0 + self.random((THINK.1 - THINK.0) as usize) as u64;
        let until = Instant::now() + Duration::from_millis(ms);
        // Wakes early once the level is over.
        while !stop.load(Ordering::Relaxed) && Instant::now() < until {
            tokio::time::sleep(Duration::from_millis(100).min(until - Instant::now())).await;
        }
    }

    async fn journey(&mut self, stop: &AtomicBool) {
        self.journeys += 1;
        match self.role {
            Role::Visitor => match self.random(4) {
                0 | 1 => self.browse(stop).await,
                2 => self.search(stop).await,
                _ => self.look_up(stop).await,
            },
            Role::Citizen(account) => self.citizen(account, stop).await,
            Role::Clerk => self.clerk(stop).await,
        }
        self.think(stop).await;
    }

    async fn browse(&mut self, stop: &AtomicBool) {
        self.get("home", "/").await;
        self.think(stop).await;
        self.get("services list", "/services").await;
        self.think(stop).await;
        let guide = self.pick(|w| &w.guides);
        self.get("service guide", &guide).await;
    }

    async fn search(&mut self, stop: &AtomicBool) {
        let q = QUERIES[self.random(QUERIES.len())];
        let uri = format!("/search?q={}", url_encode(q));
        self.get("search", &uri).await;
        self.think(stop).await;
        let guide = self.pick(|w| &w.guides);
        self.get("service guide", &guide).await;
    }

    async fn look_up(&mut self, stop: &AtomicBool) {
        if self.random(2) == 0 {
            self.get("hospitals", "/hospitals").await;
            self.think(stop).await;
            let hospital = self.pick(|w| &w.hospitals);
            self.get("hospital", &hospital).await;
        } else {
            let stop_id = self.pick(|w| &w.stops);
            self.get("bus stop", &format!("/bus/stops/{stop_id}")).await;
        }
    }

    async fn citizen(&mut self, account: usize, stop: &AtomicBool) {
        let email = self.world.accounts[account].email.clone();
        self.get("sign-in page", "/login").await;
        self.think(stop).await;
        let signed_in = self.post("sign in", "/login", &[("identifier", &email), ("password", PASSWORD)]).await;
        if signed_in.is_none() || self.cookie.is_none() {
            return;
        }
        self.think(stop).await;
        self.get("my applications", "/applications").await;
        if self.journeys.is_multiple_of(2) && !stop.load(Ordering::Relaxed) {
            self.think(stop).await;
            self.apply(account, stop).await;
        }
        self.think(stop).await;
        self.post("sign out", "/logout", &[]).await;
        self.cookie = None;
    }

    /// The allowance, as a browser without JavaScript applies: start, the prefill question
    /// (declined), two steps, the review page, the scan, the submission.
    async fn apply(&mut self, account: usize, stop: &AtomicBool) {
        let a = &self.world.accounts[account];
        let (name, id, address) = (a.name.clone(), a.id_number.clone(), a.household_address.clone());
        let Some(started) = self.post("start application", &format!("/services/{LOW_INCOME}/apply"), &[]).await else {
            return;
        };
        let mut to = started.location;
        if to.ends_with("/prefill") {
            match self.post("prefill answer", &to, &[("decision", "decline")]).await {
                Some(a) => to = a.location,
                None => return,
            }
        }
        let reference = to.trim_start_matches("/applications/").split(['/', '?']).next().unwrap_or_default().to_owned();
        let step = |n: u32| format!("/applications/{reference}/step/{n}");
        self.think(stop).await;
        let phone = format!("139{:08}", self.random(100_000_000));
        let details = [
            ("applicant_name", name.as_str()),
            ("applicant_id", id.as_str()),
            ("household_address", address.as_str()),
            ("living_address", address.as_str()),
            ("phone", phone.as_str()),
            ("hardship_reason", "illness"),
            ("action", "continue"),
        ];
        if self.post("application step 1", &step(1), &details).await.is_none() {
            return;
        }
        self.think(stop).await;
        if self.post("add a member", &step(2), &[("action", "add")]).await.is_none() {
            return;
        }
        let member = [
            ("members.0.member_name", name.as_str()),
            ("members.0.member_id", id.as_str()),
            ("members.0.member_relation", "self"),
            ("members.0.member_income", "800"),
            ("action", "continue"),
        ];
        if self.post("application step 2", &step(2), &member).await.is_none() {
            return;
        }
        self.think(stop).await;
        let Some(review) = self.get("review page", &format!("/applications/{reference}/review")).await else {
            return;
        };
        let key = review
            .body
            .split("name=\"submission_key\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_owned();
        self.think(stop).await;
        let serial = self.world.serial.fetch_add(1, Ordering::Relaxed);
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"授权书.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&self.world.pdf.copy(serial));
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let req = self
            .request(Request::post(format!("{}/applications/{reference}/files?slot={SLOT}", self.world.base)))
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Full::new(Bytes::from(body)))
            .expect("request");
        if self.send("upload 256 KiB PDF", req, StatusCode::SEE_OTHER).await.is_none() {
            return;
        }
        self.think(stop).await;
        let form = [("submission_key", key.as_str()), ("declaration", "yes")];
        self.post("submit", &format!("/applications/{reference}/review"), &form).await;
    }

    async fn clerk(&mut self, stop: &AtomicBool) {
        let Some(queue) = self.get("clerk queue", "/staff/cases").await else {
            return;
        };
        let first = links(&queue.body, "/staff/cases/", |rest| !rest.contains(['?', '/'])).into_iter().next();
        if let Some(case) = first {
            self.think(stop).await;
            self.get("case page", &case).await;
        }
    }

    fn request(&self, builder: axum::http::request::Builder) -> axum::http::request::Builder {
        let builder = builder
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, &self.world.origin);
        match &self.cookie {
            Some(c) => builder.header(header::COOKIE, c),
            None => builder,
        }
    }

    async fn get(&mut self, step: &'static str, path: &str) -> Option<Answer> {
        let req =
            self.request(Request::get(format!("{}{path}", self.world.base))).body(Full::default()).expect("request");
        self.send(step, req, StatusCode::OK).await
    }

    async fn post(&mut self, step: &'static str, path: &str, form: &[(&str, &str)]) -> Option<Answer> {
        let req = form_post(&self.world.base, &self.world.origin, path, form, self.cookie.as_deref());
        self.send(step, req, StatusCode::SEE_OTHER).await
    }

    /// Sends, reads the whole answer and records the step; `None` when it failed.
    async fn send(&mut self, step: &'static str, req: Request<Full<Bytes>>, expected: StatusCode) -> Option<Answer> {
        let started = Instant::now();
        let outcome = async {
            let res = self.world.client.request(req).await.map_err(|e| format!("{step}: {e}"))?;
            let status = res.status();
            let location =
                res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let cookie = res
                .headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|v| v.starts_with("sid="))
                .map(|v| (v.split(';').next().unwrap_or_default().to_owned(), v.contains("Max-Age=0")));
            let body = res.into_body().collect().await.map_err(|e| format!("{step}: {e}"))?.to_bytes();
            Ok::<_, String>((status, location, cookie, body))
        }
        .await;
        let took = started.elapsed();
        let (answer, error) = match outcome {
            Ok((status, location, cookie, body)) => {
                if let Some((pair, cleared)) = cookie {
                    self.cookie = (!cleared).then_some(pair);
                }
                let error = (status != expected).then(|| format!("{step}: {status} (expected {expected}) {location}"));
                (Some(Answer { status, location, body: String::from_utf8_lossy(&body).into_owned() }), error)
            }
            Err(e) => (None, Some(e)),
        };
        if started >= self.measure_from {
            self.samples.push(Sample { step, started, took, error: error.clone() });
        }
        match (answer, error) {
            (Some(a), None) => Some(a).filter(|a| a.status == expected),
            _ => None,
        }
    }
}

fn url_encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
