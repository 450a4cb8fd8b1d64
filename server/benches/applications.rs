//! Online applications against a hand-written baseline, measured in the same process
//! (BENCHMARKS.md).
//!
//! 1. Throughput: a signed-in citizen uploads a 1 MiB scanned PDF into a material slot of a
//!    prepared draft and submits it, through the router `serve` builds (session, citizen and
//!    application checks, the streamed multipart reader, spooling, the PDF check, the
//!    content-addressed store, the file row, the submission with its number, timeline, revision
//!    and mail). The baseline (B4) is one plain axum handler that streams the same multipart body
//!    through multer, hashes it (SHA-256), writes it to a file atomically (write, fsync, rename,
//!    fsync of the directory) and inserts an application row, its file row and an event row in
//!    one SQLite transaction on the same database. Preparing a draft (starting it and answering
//!    its steps) and making each copy of the file unique are not timed; runs are interleaved A-B
//!    and the median of the per-pair ratios is reported.
//! 2. Memory: the peak resident set while one 10 MiB upload (PDF, JPEG, PNG; and the baseline's)
//!    goes through, each in a fresh process of its own, against a budget of 2 MiB over the
//!    resting set.
//!
//! `make bench` (SQLite, release build). Not a test: nothing here fails on a number.

use app::platform::testing::memory_kib;
use app::platform::Db;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::collections::HashMap;
use std::convert::Infallible;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;

mod support;

use support::files::{jpeg, picture, sized, Encoded, ScannedPdf};

/// 最低生活保障: a form with a repeating group and a required scan (the authorisation).
const LOW_INCOME: &str = "620100-MZ-JF-0001";
const SLOT: &str = "authorisation_scan";
const NAME: &str = "张伟";
const ID_NUMBER: &str = "620102198803128172";
const EMAIL: &str = "zhang.wei@example.cn";
const PASSWORD: &str = "river-bridge-sunset-1936";
const DETAILS: [(&str, &str); 7] = [
    ("applicant_name", NAME),
    ("applicant_id", ID_NUMBER),
    ("household_address", "甘肃省兰州市城关区"),
    ("living_address", "甘肃省兰州市城关区张掖路1号"),
    ("phone", "13912345678"),
    ("hardship_reason", "illness"),
    ("action", "continue"),
];
const MEMBER: [(&str, &str); 5] = [
    ("members.0.member_name", NAME),
    ("members.0.member_id", ID_NUMBER),
    ("members.0.member_relation", "self"),
    ("members.0.member_income", "800"),
    ("action", "continue"),
];

const MIB: usize = 1024 * 1024;
/// What a network hands the server at a time.
const CHUNK: usize = 64 * 1024;
const BOUNDARY: &str = "----onestop-bench-boundary-7MA4YWxkTrZu0gW";
const PAIRS: usize = 5;
/// Measured time per run (preparing drafts comes on top).
const RUN: Duration = Duration::from_secs(3);
const WARM_UP: Duration = Duration::from_secs(1);
/// Different 1 MiB photos: more than a run of the portal uploads.
const PHOTOS: u64 = 64;
/// The memory budget of one upload over the resting set.
const BUDGET_KIB: u64 = 2 * 1024;
/// Set in the process that measures one upload's memory: which upload.
const MEASURE: &str = "ONESTOP_BENCH_MEMORY";
/// The file that process uploads.
const UPLOAD_FILE: &str = "ONESTOP_BENCH_UPLOAD";

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    match std::env::var(MEASURE) {
        Ok(case) => {
            let file = PathBuf::from(std::env::var(UPLOAD_FILE).expect("the file to upload"));
            let case = Case::ALL.into_iter().find(|c| c.key() == case).expect("a known case");
            let m = runtime.block_on(measure_memory(case, &file));
            println!("memory {} {} {} {}", m.resting, m.streaming, m.peak, m.method);
        }
        Err(_) => runtime.block_on(run()),
    }
}

async fn run() {
    let work = std::env::temp_dir().join(format!("onestop-bench-uploads-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("work directory");
    let started = Instant::now();
    let scan = sized(MIB - 4096, |w, h| jpeg(&picture(w, h, 1)));
    let pdf = ScannedPdf::new(&[&scan], MIB);
    println!(
        "files: 1 MiB PDF = one page, a {}×{} JPEG scan ({} bytes), padded to {} bytes",
        scan.width,
        scan.height,
        scan.bytes.len(),
        pdf.bytes.len()
    );

    let portal = support::portal().await;
    let mut citizen = Citizen::signed_in(&portal).await;
    // The first draft answers the prefill question (declined: typed by hand); every later one
    // starts on step 1.
    let draft = citizen.prepare().await;
    citizen.upload(&draft, in_memory_body(pdf.copy(0), "授权书.pdf")).await;
    citizen.submit(&draft).await;
    let b4 = Arc::new(B4::new(&portal, &work).await);
    let baseline = Router::new().route("/b4/submissions", post(b4_submit)).with_state(b4.clone());
    check(&portal.db, &draft.reference, &b4, &baseline, &pdf).await;

    // Photos are re-encoded, so copies must differ in their pixels: a pool of distinct ones.
    let photo = sized(MIB, |w, h| jpeg(&picture(w, h, 100)));
    let photos: Vec<Bytes> =
        (0..PHOTOS).map(|i| Bytes::from(jpeg(&picture(photo.width, photo.height, 100 + i)))).collect();
    println!("files: 1 MiB JPEG = a {}×{} photo, {PHOTOS} different ones", photo.width, photo.height);
    println!(
        "online application ÷ hand-written axum + multer + sqlx (B4), in-process, SQLite, {PAIRS} pairs of {RUN:?} measured"
    );
    println!("{:<28} {:>12} {:>12} {:>8}", "scenario", "portal/s", "B4/s", "ratio");
    let serial = Cell::new(1u64);
    let objects = [portal.files.join("objects"), b4.dir.join("objects")];
    for (name, uploads) in
        [("S5 1 MiB PDF + submit", Uploads::Pdf(pdf)), ("S5 1 MiB JPEG + submit", Uploads::Photos(photos))]
    {
        portal_run(&mut citizen, &uploads, &serial, WARM_UP).await;
        baseline_run(&baseline, &uploads, &serial, WARM_UP).await;
        let pairs = support::interleave(
            PAIRS,
            async || {
                let per_sec = portal_run(&mut citizen, &uploads, &serial, RUN).await;
                objects.iter().for_each(|dir| empty(dir));
                per_sec
            },
            async || {
                let per_sec = baseline_run(&baseline, &uploads, &serial, RUN).await;
                objects.iter().for_each(|dir| empty(dir));
                per_sec
            },
        )
        .await;
        support::report(name, &pairs);
    }

    // Memory: each upload in a fresh process, so nothing another upload left behind (allocator
    // caches, a raised mmap threshold) hides or adds growth.
    let photo = sized(10 * MIB, |w, h| jpeg(&picture(w, h, 2)));
    let scan_png = sized(10 * MIB, |w, h| png(&picture(w, h, 3)));
    let page = sized(MIB - 4096, |w, h| jpeg(&picture(w, h, 4)));
    let pages = ScannedPdf::new(&[&page; 10], 10 * MIB);
    let files: [(Case, Vec<u8>, String); 4] = [
        (Case::Pdf, pages.bytes.clone(), format!("PDF, 10 pages of {}×{} JPEG scans", page.width, page.height)),
        (Case::Jpeg, photo.bytes, format!("JPEG photo {}×{}", photo.width, photo.height)),
        (Case::Png, scan_png.bytes, format!("PNG {}×{}", scan_png.width, scan_png.height)),
        (Case::Baseline, pages.bytes, "the same PDF, B4".to_owned()),
    ];
    println!();
    println!("resident set while one upload goes through (KiB; budget +{BUDGET_KIB} KiB over resting)");
    println!(
        "{:<12} {:>10} {:>10} {:>16} {:>10} {:>8}  file",
        "upload", "bytes", "resting", "streamed (Δ)", "peak Δ", "budget"
    );
    for (case, bytes, what) in files {
        let path = work.join(case.key());
        std::fs::write(&path, &bytes).expect("write the upload");
        let out = std::process::Command::new(std::env::current_exe().expect("this bench"))
            .env(MEASURE, case.key())
            .env(UPLOAD_FILE, &path)
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run the measurement");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text.lines().find_map(|l| l.strip_prefix("memory ")).unwrap_or_else(|| panic!("{case:?}: {text}"));
        let v: Vec<&str> = line.split(' ').collect();
        let kib = |i: usize| v[i].parse::<u64>().expect("KiB");
        let (resting, streaming, peak) = (kib(0), kib(1), kib(2));
        let delta = peak.saturating_sub(resting);
        println!(
            "{:<12} {:>10} {:>10} {:>16} {:>10} {:>8}  {what} ({})",
            case.key(),
            bytes.len(),
            resting,
            format!("{streaming} ({})", streaming.saturating_sub(resting)),
            delta,
            if delta <= BUDGET_KIB { "within" } else { "OVER" },
            v[3],
        );
    }
    std::fs::remove_dir_all(&work).ok();
    portal.remove().await;
    println!("({:.0} s in all)", started.elapsed().as_secs_f64());
}

/// What a throughput row uploads: copies of one scanned PDF, each with its own serial number, or
/// a pool of different photos.
enum Uploads {
    Pdf(ScannedPdf),
    Photos(Vec<Bytes>),
}

impl Uploads {
    fn file(&self, n: u64) -> (Bytes, &'static str) {
        match self {
            Uploads::Pdf(pdf) => (pdf.copy(n), "授权书.pdf"),
            Uploads::Photos(photos) => (photos[(n % photos.len() as u64) as usize].clone(), "授权书.jpg"),
        }
    }

    /// How many uploads in a row are different content (the portal stores a repeat as a no-op).
    fn distinct(&self) -> u32 {
        match self {
            Uploads::Pdf(_) => u32::MAX,
            Uploads::Photos(photos) => photos.len() as u32,
        }
    }
}

/// Portal submissions per second of measured time: each draft is prepared (untimed), then its
/// upload and submission are timed. A run ends early rather than upload the same photo twice
/// (the stored objects are removed between runs).
async fn portal_run(citizen: &mut Citizen<'_>, uploads: &Uploads, serial: &Cell<u64>, run: Duration) -> f64 {
    let mut measured = Duration::ZERO;
    let mut n = 0u32;
    while measured < run && n < uploads.distinct() {
        let draft = citizen.prepare().await;
        let (file, name) = uploads.file(next(serial));
        let body = in_memory_body(file, name);
        let start = Instant::now();
        citizen.upload(&draft, body).await;
        citizen.submit(&draft).await;
        measured += start.elapsed();
        n += 1;
    }
    f64::from(n) / measured.as_secs_f64()
}

/// B4 submissions per second (B4 does the same work for a repeated file: no run ends early).
async fn baseline_run(baseline: &Router, uploads: &Uploads, serial: &Cell<u64>, run: Duration) -> f64 {
    let mut measured = Duration::ZERO;
    let mut n = 0u32;
    while measured < run {
        let (file, name) = uploads.file(next(serial));
        let body = in_memory_body(file, name);
        let start = Instant::now();
        let res = send(baseline, multipart_post(&format!("/b4/submissions?slot={SLOT}"), None, "", body)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "B4 answered {}", res.status);
        measured += start.elapsed();
        n += 1;
    }
    f64::from(n) / measured.as_secs_f64()
}

fn next(serial: &Cell<u64>) -> u64 {
    let n = serial.get();
    serial.set(n + 1);
    n
}

/// Removes the stored objects between runs (each upload is a new object; the disk would fill).
fn empty(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
}

/// Both sides did the work before anything is counted: the portal's application is submitted
/// with its file, and B4 stored the same bytes under their hash with its three rows.
async fn check(db: &Db, reference: &str, b4: &B4, baseline: &Router, pdf: &ScannedPdf) {
    let (status, size, pages): (String, i64, Option<i64>) = sqlx::query_as(
        "SELECT a.status, f.size, f.pages FROM applications a JOIN application_files f ON f.application_id = a.id \
         WHERE a.reference = $1",
    )
    .bind(reference)
    .fetch_one(db.pool())
    .await
    .expect("the portal's application");
    assert_eq!((status.as_str(), size, pages), ("submitted", MIB as i64, Some(1)));
    let bytes = pdf.copy(0);
    let res = send(
        baseline,
        multipart_post(&format!("/b4/submissions?slot={SLOT}"), None, "", in_memory_body(bytes.clone(), "a.pdf")),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let sha = hex::encode(Sha256::digest(&bytes));
    assert_eq!(std::fs::read(b4.dir.join("objects").join(&sha)).expect("B4's object"), bytes.as_ref());
    let rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications a JOIN application_files f ON f.application_id = a.id \
         JOIN application_events e ON e.application_id = a.id WHERE f.sha256 = $1 AND a.reference LIKE 'b4%'",
    )
    .bind(&sha)
    .fetch_one(db.pool())
    .await
    .expect("B4's rows");
    assert_eq!(rows, 1);
}

// ---------------------------------------------------------------------------------------------
// The citizen's side: a minimal browser over the router.

struct Answer {
    status: StatusCode,
    location: String,
    body: Bytes,
}

async fn send(router: &Router, req: axum::http::Request<Body>) -> Answer {
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    Answer { status, location, body }
}

/// A `multipart/form-data` post as a browser's upload form sends it.
fn multipart_post(
    uri: &str,
    cookie: Option<&str>,
    origin: &str,
    (body, len): (Body, u64),
) -> axum::http::Request<Body> {
    let mut req = axum::http::Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .header(header::CONTENT_LENGTH, len)
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin")
        .header(header::ORIGIN, origin);
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    req.body(body).expect("request")
}

fn multipart_head(file_name: &str) -> Bytes {
    Bytes::from(format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    ))
}

fn multipart_tail() -> Bytes {
    Bytes::from(format!("\r\n--{BOUNDARY}--\r\n"))
}

/// The body as a network delivers it: [`CHUNK`] bytes at a time, the server getting a turn
/// between chunks (so a reader that pulls whatever is ready does not see the whole body at once).
fn in_memory_body(file: Bytes, file_name: &str) -> (Body, u64) {
    let mut chunks = vec![multipart_head(file_name)];
    chunks.extend((0..file.len()).step_by(CHUNK).map(|at| file.slice(at..(at + CHUNK).min(file.len()))));
    chunks.push(multipart_tail());
    let len = chunks.iter().map(|c| c.len() as u64).sum();
    let paced = stream::iter(chunks).then(|chunk| async move {
        tokio::task::yield_now().await;
        Ok::<_, Infallible>(chunk)
    });
    (Body::from_stream(paced), len)
}

/// The same from a file on disk, never holding more than one chunk; `at_tail` runs when the
/// last chunk (the closing boundary) is handed over, i.e. once the server has taken the file.
fn file_body(path: &Path, file_name: &str, at_tail: impl FnOnce() + Send + 'static) -> (Body, u64) {
    let head = multipart_head(file_name);
    let tail = multipart_tail();
    let size = std::fs::metadata(path).expect("upload file").len();
    let len = head.len() as u64 + size + tail.len() as u64;
    let file = std::fs::File::open(path).expect("upload file");
    enum Part {
        Head,
        File,
        Done,
    }
    let state = (Part::Head, file, Some(at_tail), head, tail);
    let chunks = stream::unfold(state, |(part, mut file, mut at_tail, head, tail)| async move {
        tokio::task::yield_now().await;
        let (chunk, next) = match part {
            Part::Head => (head.clone(), Part::File),
            Part::File => {
                let mut buf = vec![0; CHUNK];
                let n = file.read(&mut buf).expect("read upload file");
                if n == 0 {
                    if let Some(f) = at_tail.take() {
                        f();
                    }
                    (tail.clone(), Part::Done)
                } else {
                    buf.truncate(n);
                    (Bytes::from(buf), Part::File)
                }
            }
            Part::Done => return None,
        };
        Some((Ok::<_, Infallible>(chunk), (next, file, at_tail, head, tail)))
    });
    (Body::from_stream(chunks), len)
}

/// A signed-in citizen: the session cookie, carried between requests.
struct Citizen<'a> {
    router: &'a Router,
    origin: String,
    cookie: Option<String>,
}

/// A draft ready for its scan: every step answered, the review page's submission key in hand.
struct Draft {
    reference: String,
    key: String,
}

impl<'a> Citizen<'a> {
    /// Registers 张伟 and signs in (registering never signs in).
    async fn signed_in(portal: &'a support::Portal) -> Citizen<'a> {
        let mut c = Citizen { router: &portal.router, origin: portal.origin.clone(), cookie: None };
        let form = [("name", NAME), ("id_number", ID_NUMBER), ("email", EMAIL), ("phone", ""), ("password", PASSWORD)];
        assert_eq!(c.post("/register", &form).await.status, StatusCode::SEE_OTHER);
        let res = c.post("/login", &[("identifier", EMAIL), ("password", PASSWORD)]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(c.cookie.is_some(), "signed in");
        c
    }

    async fn send(&mut self, req: axum::http::Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        for value in res.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            if text.contains("sid=") {
                let pair = text.split(';').next().unwrap_or_default().to_owned();
                self.cookie = (!text.contains("Max-Age=0")).then_some(pair);
            }
        }
        let status = res.status();
        let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let body = res.into_body().collect().await.expect("body").to_bytes();
        Answer { status, location, body }
    }

    async fn get(&mut self, uri: &str) -> Answer {
        let mut req = axum::http::Request::get(uri).header(header::ACCEPT, "text/html");
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    async fn post(&mut self, uri: &str, form: &[(&str, &str)]) -> Answer {
        let mut req = axum::http::Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, &self.origin);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        let body = serde_urlencoded::to_string(form).expect("form");
        self.send(req.body(Body::from(body)).expect("request")).await
    }

    /// Starts a draft of the allowance and answers every step but the scan, as a browser without
    /// JavaScript does; takes the submission key from the review page.
    async fn prepare(&mut self) -> Draft {
        let res = self.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await;
        let mut to = res.location;
        if to.ends_with("/prefill") {
            to = self.post(&to, &[("decision", "decline")]).await.location;
        }
        let reference = to.trim_start_matches("/applications/").split(['/', '?']).next().unwrap_or_default().to_owned();
        assert_eq!(to, format!("/applications/{reference}/step/1"), "a new draft");
        let step = |n: u32| format!("/applications/{reference}/step/{n}");
        assert_eq!(self.post(&step(1), &DETAILS).await.location, step(2));
        assert_eq!(self.post(&step(2), &[("action", "add")]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(self.post(&step(2), &MEMBER).await.location, step(3));
        let review = self.get(&format!("/applications/{reference}/review")).await;
        assert_eq!(review.status, StatusCode::OK);
        let html = String::from_utf8_lossy(&review.body);
        let key = html
            .split("name=\"submission_key\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the review page's submission key")
            .to_owned();
        Draft { reference, key }
    }

    async fn upload(&mut self, draft: &Draft, body: (Body, u64)) {
        let uri = format!("/applications/{}/files?slot={SLOT}", draft.reference);
        let req = multipart_post(&uri, self.cookie.as_deref(), &self.origin, body);
        let res = self.send(req).await;
        assert!(res.location.ends_with("?notice=uploaded"), "upload answered {} {}", res.status, res.location);
    }

    async fn submit(&mut self, draft: &Draft) {
        let form = [("submission_key", draft.key.as_str()), ("declaration", "yes")];
        let res = self.post(&format!("/applications/{}/review", draft.reference), &form).await;
        assert_eq!(res.location, format!("/applications/{}?notice=submitted", draft.reference));
    }
}

// ---------------------------------------------------------------------------------------------
// B4: the same work written by hand.

struct B4 {
    db: Db,
    /// `tmp/` for uploads in progress, `objects/<sha256>` for stored files.
    dir: PathBuf,
    /// An application's fixed values, taken from the portal's first submission.
    citizen_id: i64,
    item_code: String,
    item_version: i64,
    answers: String,
    serial: AtomicU64,
}

impl B4 {
    async fn new(portal: &support::Portal, work: &Path) -> B4 {
        let (citizen_id, item_code, item_version, answers): (i64, String, i64, String) = sqlx::query_as(
            "SELECT citizen_id, item_code, item_version, answers FROM applications WHERE status = 'submitted' LIMIT 1",
        )
        .fetch_one(portal.db.pool())
        .await
        .expect("a submitted application");
        let dir = work.join("b4");
        std::fs::create_dir_all(dir.join("tmp")).expect("b4 tmp");
        std::fs::create_dir_all(dir.join("objects")).expect("b4 objects");
        B4 { db: portal.db.clone(), dir, citizen_id, item_code, item_version, answers, serial: AtomicU64::new(0) }
    }
}

/// `POST /b4/submissions?slot=…`: the file streamed to disk and hashed, renamed into place, and
/// the application, file and event rows in one transaction.
async fn b4_submit(State(b4): State<Arc<B4>>, Query(query): Query<HashMap<String, String>>, req: Request) -> Response {
    let failed = |what: &str| {
        eprintln!("B4: {what}");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let Ok(boundary) = multer::parse_boundary(content_type) else { return StatusCode::BAD_REQUEST.into_response() };
    let limits = multer::SizeLimit::new().whole_stream(11 * MIB as u64).per_field(10 * MIB as u64);
    let mut multipart = multer::Multipart::with_constraints(
        req.into_body().into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limits),
    );
    let n = b4.serial.fetch_add(1, Ordering::Relaxed);
    let mut stored = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let part = b4.dir.join("tmp").join(format!("{n}.part"));
        let Ok(mut file) = tokio::fs::File::create(&part).await else { return failed("create") };
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut pdf = None;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    pdf = pdf.or(Some(chunk.starts_with(b"%PDF-")));
                    hasher.update(&chunk);
                    size += chunk.len() as u64;
                    if file.write_all(&chunk).await.is_err() {
                        return failed("write");
                    }
                }
                Ok(None) => break,
                Err(_) => return StatusCode::BAD_REQUEST.into_response(),
            }
        }
        // Durable before it has its name, and the name durable before the row refers to it.
        if file.sync_all().await.is_err() {
            return failed("sync");
        }
        let sha256 = hex::encode(hasher.finalize());
        let objects = b4.dir.join("objects");
        if tokio::fs::rename(&part, objects.join(&sha256)).await.is_err() {
            return failed("rename");
        }
        let synced = tokio::task::spawn_blocking(move || std::fs::File::open(&objects)?.sync_all()).await;
        if !matches!(synced, Ok(Ok(()))) {
            return failed("sync directory");
        }
        let media_type = if pdf == Some(true) { "application/pdf" } else { "image/jpeg" };
        stored = Some(StoredFile { sha256, size, name, media_type });
    }
    let Some(file) = stored else { return StatusCode::BAD_REQUEST.into_response() };
    let slot = query.get("slot").cloned().unwrap_or_default();
    match b4_rows(&b4, n, &slot, &file).await {
        Ok(reference) => {
            (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/b4/applications/{reference}"))]).into_response()
        }
        Err(err) => failed(&err.to_string()),
    }
}

struct StoredFile {
    sha256: String,
    size: u64,
    name: String,
    media_type: &'static str,
}

async fn b4_rows(b4: &B4, n: u64, slot: &str, file: &StoredFile) -> Result<String, sqlx::Error> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let reference = format!("b4{n:018}");
    let mut tx = b4.db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO applications (reference, citizen_id, item_code, item_version, status, answers, step, revision, \
         number, submission_key, created_at, updated_at, submitted_at) \
         VALUES ($1, $2, $3, $4, 'submitted', $5, 3, 1, $6, $7, $8, $8, $8) RETURNING id",
    )
    .bind(&reference)
    .bind(b4.citizen_id)
    .bind(&b4.item_code)
    .bind(b4.item_version)
    .bind(&b4.answers)
    .bind(format!("B4{n:013}"))
    .bind(format!("b4key{n:027}"))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO application_files (application_id, slot, sha256, size, media_type, original_name, pages, \
         added_revision, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
    )
    .bind(id)
    .bind(slot)
    .bind(&file.sha256)
    .bind(file.size as i64)
    .bind(file.media_type)
    .bind(&file.name)
    .bind((file.media_type == "application/pdf").then_some(1i64))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO application_events (application_id, at, status, actor_role, note) VALUES ($1, $2, 'submitted', 'citizen', '')",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(reference)
}

// ---------------------------------------------------------------------------------------------
// Memory of one upload, in a process of its own.

#[derive(Debug, Clone, Copy)]
enum Case {
    Pdf,
    Jpeg,
    Png,
    Baseline,
}

impl Case {
    const ALL: [Case; 4] = [Case::Pdf, Case::Jpeg, Case::Png, Case::Baseline];

    fn key(self) -> &'static str {
        match self {
            Case::Pdf => "pdf",
            Case::Jpeg => "jpeg",
            Case::Png => "png",
            Case::Baseline => "b4-pdf",
        }
    }

    /// A small file of the same kind, for the warm-up upload.
    fn small_file(self) -> (Bytes, &'static str) {
        match self {
            Case::Pdf | Case::Baseline => {
                let scan = Encoded { bytes: jpeg(&picture(300, 400, 9)), width: 300, height: 400 };
                let size = scan.bytes.len() + 4096;
                (Bytes::from(ScannedPdf::new(&[&scan], size).bytes), "a.pdf")
            }
            Case::Jpeg => (Bytes::from(jpeg(&picture(300, 400, 9))), "a.jpg"),
            Case::Png => (Bytes::from(png(&picture(300, 400, 9))), "a.png"),
        }
    }
}

/// Resident set sizes in KiB: before the upload, the peak until the server had taken the whole
/// file, and the peak of the whole request; and how the peak was read.
struct Memory {
    resting: u64,
    streaming: u64,
    peak: u64,
    method: &'static str,
}

async fn measure_memory(case: Case, upload: &Path) -> Memory {
    let portal = support::portal().await;
    let mut citizen = Citizen::signed_in(&portal).await;
    // Warm-up: one small upload of the same kind and a submission, so first-use work (the
    // catalogue snapshot, prepared statements, the decoders) is done before the measurement.
    let draft = citizen.prepare().await;
    let (small, name) = case.small_file();
    citizen.upload(&draft, in_memory_body(small.clone(), name)).await;
    citizen.submit(&draft).await;
    let work = upload.parent().expect("work directory").join(format!("memory-{}", std::process::id()));
    let b4 = Arc::new(B4::new(&portal, &work).await);
    let baseline = Router::new().route("/b4/submissions", post(b4_submit)).with_state(b4);
    let uri = format!("/b4/submissions?slot={SLOT}");
    if let Case::Baseline = case {
        let res = send(&baseline, multipart_post(&uri, None, "", in_memory_body(small, name))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let draft = citizen.prepare().await;

    let resting = memory_kib("VmRSS");
    let peak = Peak::start();
    let streamed = Arc::new(AtomicU64::new(0));
    let at_tail = {
        let (streamed, peak) = (streamed.clone(), peak.reader());
        move || streamed.store(peak(), Ordering::Relaxed)
    };
    let name = match case {
        Case::Jpeg => "photo.jpg",
        Case::Png => "scan.png",
        _ => "scan.pdf",
    };
    let body = file_body(upload, name, at_tail);
    match case {
        Case::Baseline => {
            let res = send(&baseline, multipart_post(&uri, None, "", body)).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER);
        }
        _ => citizen.upload(&draft, body).await,
    }
    let (top, method) = peak.finish();
    std::fs::remove_dir_all(&work).ok();
    portal.remove().await;
    Memory { resting, streaming: streamed.load(Ordering::Relaxed), peak: top, method }
}

/// The process's peak resident set from now on: the kernel's high-water mark, reset through
/// `/proc/self/clear_refs`; where that is not allowed, the resident set sampled every millisecond.
enum Peak {
    HighWaterMark,
    Sampled { max: Arc<AtomicU64>, stop: Arc<AtomicBool>, thread: std::thread::JoinHandle<()> },
}

impl Peak {
    fn start() -> Peak {
        if std::fs::write("/proc/self/clear_refs", "5").is_ok() {
            return Peak::HighWaterMark;
        }
        let max = Arc::new(AtomicU64::new(memory_kib("VmRSS")));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (max, stop) = (max.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    max.fetch_max(memory_kib("VmRSS"), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        Peak::Sampled { max, stop, thread }
    }

    fn reader(&self) -> impl Fn() -> u64 + Send + 'static {
        let max = match self {
            Peak::HighWaterMark => None,
            Peak::Sampled { max, .. } => Some(max.clone()),
        };
        move || max.as_ref().map_or_else(|| memory_kib("VmHWM"), |m| m.load(Ordering::Relaxed))
    }

    fn finish(self) -> (u64, &'static str) {
        match self {
            Peak::HighWaterMark => (memory_kib("VmHWM"), "VmHWM"),
            Peak::Sampled { max, stop, thread } => {
                max.fetch_max(memory_kib("VmRSS"), Ordering::Relaxed);
                stop.store(true, Ordering::Relaxed);
                thread.join().expect("sampler");
                (max.load(Ordering::Relaxed), "VmRSS sampled")
            }
        }
    }
}

/// A PNG of `img` (the memory measurement's scan).
fn png(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)).expect("png");
    out
}
