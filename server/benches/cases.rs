//! The window clerk's queue (`/staff/cases`) with 100,000 applications in the database, against a
//! hand-written axum handler (B4) issuing the same SQL — the catalogue generation, the working
//! calendar, the queue, the counts per status and the services with cases, all in the clerk's
//! department — and writing the same table as HTML by hand. The portal side is a signed-in clerk
//! (session load, staff check, scope) through the full router; requests go in-process (no
//! sockets). Interleaved A-B runs; the median of the per-pair throughput ratios is reported.
//!
//! `make bench` (SQLite, release build). Not a test: nothing here fails on a number.

use app::accounts::CaseScope;
use app::cases::server::db::{self as cases_db, QueueFilter};
use app::platform::Db;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Request, Response};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

mod support;

const CASES: usize = 100_000;
const DEPARTMENT: &str = "civil-affairs";
const PAIRS: usize = 5;
const RUN: Duration = Duration::from_secs(3);

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let site = support::portal().await;
    let in_department = seed_cases(&site.db, CASES).await;
    let cookie = support::signed_in_clerk(&site, "bench.clerk", DEPARTMENT).await;
    let portal = site.router.clone();
    let baseline = baseline(site.db.clone());
    // Both answer with the department's most urgent case before anything is counted.
    let first = first_number(&site.db).await;
    check(&portal, Some(&cookie), "/staff/cases", &first).await;
    check(&baseline, None, "/b4/queue", &first).await;
    println!(
        "clerk queue ÷ hand-written axum + sqlx (B4), in-process, SQLite, {CASES} applications \
         ({in_department} in the clerk's department), {PAIRS} pairs of {RUN:?}"
    );
    println!("{:<28} {:>12} {:>12} {:>8}", "scenario", "portal/s", "B4/s", "ratio");
    throughput(&portal, Some(&cookie), "/staff/cases", Duration::from_secs(1)).await;
    throughput(&baseline, None, "/b4/queue", Duration::from_secs(1)).await;
    let pairs = support::interleave(
        PAIRS,
        async || throughput(&portal, Some(&cookie), "/staff/cases", RUN).await,
        async || throughput(&baseline, None, "/b4/queue", RUN).await,
    )
    .await;
    support::report("S5 clerk queue (100k)", &pairs);
    site.remove().await;
}

/// `count` submitted applications spread over every published service (so most belong to other
/// departments), in open and closed states, with deadlines over the coming weeks; returns how
/// many are the clerk's department's.
async fn seed_cases(db: &Db, count: usize) -> usize {
    let items: Vec<(String, i64, String)> = app::catalogue::server::db::published(db)
        .await
        .expect("published")
        .into_iter()
        .map(|(v, _)| {
            let content: app::catalogue::model::ItemContent = serde_json::from_str(&v.content).expect("content");
            (content.code, v.version, content.department)
        })
        .collect();
    let mut tx = db.begin_write().await.expect("begin");
    let now = 1_780_000_000_i64;
    let mut citizens = Vec::new();
    for i in 0..1000 {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO citizens (email, name, id_number_sealed, id_number_ref, id_number_masked, password_hash, \
             status, created_at) VALUES ($1, $2, 'sealed', $3, '6201**********0000', '', 'active', $4) RETURNING id",
        )
        .bind(format!("bench{i}@example.cn"))
        .bind(format!("申请人{i}"))
        .bind(format!("bench-ref-{i}"))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .expect("citizen");
        citizens.push(id);
    }
    let statuses = ["submitted", "accepted", "supplement_requested", "completed", "submitted", "suspended"];
    let mut in_department = 0;
    for i in 0..count {
        let (code, version, department) = &items[i % items.len()];
        in_department += usize::from(department == DEPARTMENT);
        let status = statuses[i % statuses.len()];
        let day = 1 + (i * 7 % 28);
        let promised = format!("2026-{:02}-{day:02}", 1 + (i / 28) % 12);
        sqlx::query(
            "INSERT INTO applications (reference, citizen_id, item_code, item_version, status, answers, number, \
             created_at, updated_at, submitted_at, review_due, promised_due, statutory_due, closed_at) \
             VALUES ($1, $2, $3, $4, $5, '{}', $6, $7, $7, $7, $8, $8, $8, $9)",
        )
        .bind(format!("bench{i:015}"))
        .bind(citizens[i % citizens.len()])
        .bind(code)
        .bind(version)
        .bind(status)
        .bind(format!("2026010{:08}", i))
        .bind(now - i as i64)
        .bind(&promised)
        .bind((status == "completed").then_some(now))
        .execute(&mut *tx)
        .await
        .expect("application");
    }
    tx.commit().await.expect("commit");
    in_department
}

/// The number of the case the queue shows first.
async fn first_number(db: &Db) -> String {
    let scope = CaseScope::Department(DEPARTMENT.to_owned());
    let rows = cases_db::queue(db, &scope, &QueueFilter::default()).await.expect("queue");
    rows.first().expect("a case in the department").number.clone()
}

/// A window clerk of the department, set up (password and authenticator) and signed in through
/// the pages; returns the session cookie.
/// Requests per second, one after another, for `run`.
async fn throughput(router: &Router, cookie: Option<&str>, uri: &str, run: Duration) -> f64 {
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < run {
        let res = send(router, Request::get(uri), cookie).await;
        assert!(res.status().is_success(), "{uri} answered {}", res.status());
        let _ = body(res).await;
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn send(router: &Router, req: axum::http::request::Builder, cookie: Option<&str>) -> Response<Body> {
    let req = match cookie {
        Some(c) => req.header(header::COOKIE, c),
        None => req,
    };
    router.clone().oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible")
}

async fn body(res: Response<Body>) -> String {
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.expect("body").to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn check(router: &Router, cookie: Option<&str>, uri: &str, expected: &str) {
    let res = send(router, Request::get(uri), cookie).await;
    assert!(res.status().is_success(), "{uri}: {}", res.status());
    assert!(body(res).await.contains(expected), "{uri} lacks {expected}");
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn baseline(db: Db) -> Router {
    Router::new().route("/b4/queue", get(b4_queue)).with_state(Arc::new(db))
}

/// B4: the queue page's SQL for the department, the table written by hand with escaping.
async fn b4_queue(State(db): State<Arc<Db>>) -> Html<String> {
    let scope = CaseScope::Department(DEPARTMENT.to_owned());
    let _generation = app::catalogue::server::db::generation(&db).await.expect("generation");
    let _calendar = app::catalogue::server::work_calendar(&db).await.expect("calendar");
    let rows = cases_db::queue(&db, &scope, &QueueFilter::default()).await.expect("queue");
    let counts = cases_db::counts(&db, &scope).await.expect("counts");
    let services = cases_db::items_with_cases(&db, &scope).await.expect("services");
    let mut h = String::with_capacity(64 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>办件受理</title></head><body><main><h1>办件受理</h1><ul>");
    for (status, n) in counts {
        h.push_str(&format!("<li><a href=\"/staff/cases?status={0}\">{0} <strong>{n}</strong></a></li>", esc(&status)));
    }
    h.push_str("</ul><form method=\"get\"><select name=\"service\">");
    for code in services {
        h.push_str(&format!("<option value=\"{0}\">{0}</option>", esc(&code)));
    }
    h.push_str("</select></form><table><tbody>");
    for r in rows {
        h.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"/staff/cases/{0}\">{0}</a></th><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td><td>{5}</td></tr>",
            esc(&r.number),
            esc(&r.item_code),
            esc(&r.applicant),
            esc(&r.status),
            r.submitted_at,
            esc(r.promised_due.as_deref().unwrap_or(""))
        ));
    }
    h.push_str("</tbody></table></main></body></html>");
    Html(h)
}
