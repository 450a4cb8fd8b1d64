//! Catalogue pages against hand-written baselines, measured in the same process (performance
//! reference §7): the portal's service guide and search result pages, and for each a plain
//! axum handler (B4) that issues the same SQL, keeps the same kind of cache and writes the same
//! information as HTML by hand. Requests go through each router in-process (no sockets), so the
//! ratio isolates routing, Leptos rendering and middleware over the ideal code for the same
//! work. Runs are interleaved A-B, and the median of the per-pair throughput ratios is reported.
//!
//! `make bench` (SQLite, release build). Not a test: nothing here fails on a number.

use app::catalogue::model::ItemContent;
use app::catalogue::search::SearchIndex;
use app::catalogue::server::search_doc;
use app::platform::Db;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::Request;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::Pairs;
use tower::ServiceExt;

mod support;

const GUIDE: &str = "/services/620100-GA-QR-0001";
const BASELINE_GUIDE: &str = "/b4/guide/620100-GA-QR-0001";
/// A mix of two- and three-character queries, a colloquial name and a material.
const QUERIES: [&str; 4] = ["户口", "身份证", "营业执照", "出生医学证明"];
const PAIRS: usize = 5;
const RUN: Duration = Duration::from_secs(3);

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let site = support::portal().await;
    let portal = site.router.clone();
    let baseline = baseline(site.db.clone()).await;
    // Both answer, and with the same content, before anything is counted.
    check(&portal, GUIDE, "新生儿出生登记（落户）").await;
    check(&baseline, BASELINE_GUIDE, "新生儿出生登记（落户）").await;
    for q in QUERIES {
        check(&portal, &format!("/search?q={}", encode(q)), "class=\"result\"").await;
        check(&baseline, &format!("/b4/search?q={}", encode(q)), "class=\"result\"").await;
    }
    println!("catalogue pages ÷ hand-written axum + sqlx (B4), in-process, SQLite, {PAIRS} pairs of {RUN:?}");
    println!("{:<28} {:>12} {:>12} {:>8}", "scenario", "portal/s", "B4/s", "ratio");
    let guide = compare(&portal, &baseline, |_| GUIDE.to_owned(), |_| BASELINE_GUIDE.to_owned()).await;
    support::report("S2 service guide", &guide);
    let search = compare(
        &portal,
        &baseline,
        |i| format!("/search?q={}", encode(QUERIES[i % QUERIES.len()])),
        |i| format!("/b4/search?q={}", encode(QUERIES[i % QUERIES.len()])),
    )
    .await;
    support::report("S3' service search", &search);
    site.remove().await;
}

async fn compare(
    portal: &Router,
    baseline: &Router,
    portal_uri: impl Fn(usize) -> String,
    baseline_uri: impl Fn(usize) -> String,
) -> Pairs {
    // Warm-up: caches filled, the search index built.
    throughput(portal, &portal_uri, Duration::from_secs(1)).await;
    throughput(baseline, &baseline_uri, Duration::from_secs(1)).await;
    support::interleave(
        PAIRS,
        async || throughput(portal, &portal_uri, RUN).await,
        async || throughput(baseline, &baseline_uri, RUN).await,
    )
    .await
}

/// Requests per second, one after another, for `run`.
async fn throughput(router: &Router, uri: &impl Fn(usize) -> String, run: Duration) -> f64 {
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < run {
        let res = router.clone().oneshot(Request::get(uri(n)).body(Body::empty()).expect("request")).await;
        let res = res.expect("infallible");
        assert!(res.status().is_success(), "{} answered {}", uri(n), res.status());
        let _ = http_body_util::BodyExt::collect(res.into_body()).await.expect("body");
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn check(router: &Router, uri: &str, expected: &str) {
    let res = router.clone().oneshot(Request::get(uri).body(Body::empty()).expect("request")).await.expect("ok");
    assert!(res.status().is_success(), "{uri}: {}", res.status());
    let body = http_body_util::BodyExt::collect(res.into_body()).await.expect("body").to_bytes();
    assert!(String::from_utf8_lossy(&body).contains(expected), "{uri} lacks {expected}");
}

fn encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// B4: the same SQL per request (has the catalogue changed? the departments; for search also the
/// department search), the same cached
/// snapshot and index, and the HTML written by hand with escaping.
struct Baseline {
    db: Db,
    cache: tokio::sync::RwLock<Option<Cached>>,
}

/// The catalogue generation a snapshot was built at, and the snapshot.
type Cached = ((i64, i64, i64), Arc<Published>);

/// The published items and their index, as the baseline caches them.
type Published = (Vec<ItemContent>, SearchIndex);

impl Baseline {
    async fn snapshot(&self) -> (Arc<Published>, HashMap<String, String>) {
        let generation = app::catalogue::server::db::generation(&self.db).await.expect("generation");
        let departments: HashMap<String, String> = app::departments::server::db::list(&self.db)
            .await
            .expect("departments")
            .into_iter()
            .map(|d| (d.code, d.name.zh))
            .collect();
        if let Some((g, s)) = self.cache.read().await.as_ref() {
            if *g == generation {
                return (s.clone(), departments);
            }
        }
        let items: Vec<ItemContent> = app::catalogue::server::db::published(&self.db)
            .await
            .expect("published")
            .into_iter()
            .map(|(v, _)| serde_json::from_str(&v.content).expect("content"))
            .collect();
        let docs =
            items.iter().map(|c| search_doc(c, departments.get(&c.department).map_or("", String::as_str))).collect();
        let synonyms = app::catalogue::server::db::synonyms(&self.db).await.expect("synonyms");
        let snapshot = Arc::new((items, SearchIndex::new(docs, &synonyms)));
        *self.cache.write().await = Some((generation, snapshot.clone()));
        (snapshot, departments)
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn baseline(db: Db) -> Router {
    let state = Arc::new(Baseline { db, cache: tokio::sync::RwLock::new(None) });
    Router::new().route("/b4/guide/{code}", get(b4_guide)).route("/b4/search", get(b4_search)).with_state(state)
}

async fn b4_guide(State(b): State<Arc<Baseline>>, Path(code): Path<String>) -> Html<String> {
    let (snapshot, departments) = b.snapshot().await;
    let Some(c) = snapshot.0.iter().find(|c| c.code == code) else { return Html(String::new()) };
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
    h.push_str(&esc(&c.name.zh));
    h.push_str("</title></head><body><main><h1>");
    h.push_str(&esc(&c.name.zh));
    h.push_str("</h1><p>");
    h.push_str(&esc(&c.summary.zh));
    h.push_str("</p><p>");
    h.push_str(&esc(departments.get(&c.department).map_or("", String::as_str)));
    h.push_str(&format!(" · 自受理之日起 {} 个工作日</p><h2>受理条件</h2><ul>", c.promised_limit.days));
    for x in &c.conditions {
        h.push_str(&format!("<li>{}</li>", esc(x)));
    }
    h.push_str("</ul><h2>申请材料</h2><table><tbody>");
    for m in &c.materials {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(&m.name),
            m.originals,
            esc(&m.source_note)
        ));
    }
    h.push_str("</tbody></table><h2>办理流程</h2><ol>");
    for s in &c.process {
        h.push_str(&format!("<li><strong>{}</strong>：{}</li>", esc(&s.step), esc(&s.description)));
    }
    h.push_str("</ol><h2>设定依据</h2><ul>");
    for l in &c.legal_basis {
        h.push_str(&format!("<li>{} {}<blockquote>{}</blockquote></li>", esc(&l.law), esc(&l.article), esc(&l.text)));
    }
    h.push_str(&format!(
        "</ul><h2>办理地点和时间</h2><p>{}</p><p>{}</p><h2>咨询和投诉</h2><p>{}</p><p>{}</p><dl>",
        esc(&c.location),
        esc(&c.hours),
        esc(&c.consultation_phone),
        esc(&c.complaint_phone)
    ));
    for f in &c.faq {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(&f.question), esc(&f.answer)));
    }
    h.push_str("</dl></main></body></html>");
    Html(h)
}

async fn b4_search(State(b): State<Arc<Baseline>>, Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let query = q.get("q").cloned().unwrap_or_default();
    let (snapshot, departments) = b.snapshot().await;
    // The portal's search page also looks for departments.
    let matching_departments = app::departments::server::db::search(&b.db, &query).await.expect("departments");
    let hits = snapshot.1.search(&query);
    let mut h = String::with_capacity(8 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>搜索</title></head><body><main><h1>搜索</h1><ol>");
    for hit in hits {
        let Some(c) = snapshot.0.iter().find(|c| c.code == hit.code) else { continue };
        h.push_str(&format!(
            "<li class=\"result\"><p>服务事项 · {}</p><h3><a href=\"/services/{}\">{}</a></h3><p>{}</p></li>",
            esc(departments.get(&c.department).map_or("", String::as_str)),
            esc(&c.code),
            esc(&c.name.zh),
            esc(&c.summary.zh)
        ));
    }
    for d in matching_departments {
        h.push_str(&format!("<li class=\"result\"><p>办事部门</p><h3>{}</h3></li>", esc(&d.name.zh)));
    }
    h.push_str("</ol></main></body></html>");
    Html(h)
}
