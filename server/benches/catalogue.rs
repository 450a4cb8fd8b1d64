//! Catalogue pages against hand-written baselines, measured in the same process (performance
//! reference §7): the portal's home, service list, service guide and search pages, and for each
//! a plain axum handler (B3) that issues the same SQL, keeps the same kind of cache and writes the
//! same information as HTML by hand — once bare and once behind the portal's own middleware
//! (B3+mw: sessions, security headers and CSP nonce, origin check, deadlines, body limit,
//! compression, request id, metrics, panic catcher). B1 is axum's "hello" bare and behind the
//! same stack, which prices the stack alone. Requests go through each router in-process (no
//! sockets); runs rotate which side goes first, and the medians of the runs are reported.
//!
//! `make bench` (SQLite, release build). Not a test: nothing here fails on a number. The table
//! is printed as Markdown and written as JSON to `target/bench/catalogue.json`.

use app::catalogue::model::{ItemContent, Target, LIFE_EVENTS, TOPICS};
use app::catalogue::search::SearchIndex;
use app::catalogue::server::search_doc;
use app::platform::Db;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

mod support;

use support::{check, compare, esc, median_rate, pair_ratios, percentile, ROUNDS, RUN};

const GUIDE_CODE: &str = "620100-GA-QR-0001";
/// A mix of two- and three-character queries, a colloquial name and a material.
const QUERIES: [&str; 4] = ["户口", "身份证", "营业执照", "出生医学证明"];

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

/// One page and the baseline's address for the same information.
struct Scenario {
    name: &'static str,
    portal: fn(usize) -> String,
    baseline: fn(usize) -> String,
    /// Text both answers must contain, checked before anything is counted.
    expect: &'static str,
}

fn query(i: usize) -> String {
    encode(QUERIES[i % QUERIES.len()])
}

const SCENARIOS: [Scenario; 4] = [
    Scenario { name: "S1 home `/`", portal: |_| "/".into(), baseline: |_| "/b3/home".into(), expect: "class=\"card\"" },
    Scenario {
        name: "S1′ services list `/services`",
        portal: |_| "/services".into(),
        baseline: |_| "/b3/services".into(),
        expect: "620100-GA-QR-0001",
    },
    Scenario {
        name: "S2 service guide",
        portal: |_| format!("/services/{GUIDE_CODE}"),
        baseline: |_| format!("/b3/guide/{GUIDE_CODE}"),
        expect: "新生儿出生登记（落户）",
    },
    Scenario {
        name: "S3′ service search `/search?q=…`",
        portal: |i| format!("/search?q={}", query(i)),
        baseline: |i| format!("/b3/search?q={}", query(i)),
        expect: "class=\"result\"",
    },
];

async fn run() {
    let site = support::portal().await;
    let portal = site.router.clone();
    let bare = baseline(site.db.clone()).await;
    let with_stack = site.behind_the_stack(bare.clone());
    // For a profiler: one page alone through the portal, nothing else in the process's time.
    if let Ok(uri) = std::env::var("ONESTOP_BENCH_PROFILE") {
        check(&portal, &uri, "</html>").await;
        let run = support::measure(&portal, &|_| uri.clone(), std::time::Duration::from_secs(20)).await;
        println!("{uri}: {:.0} requests/s alone", run.rate);
        site.remove().await;
        return;
    }
    let hello = Router::new().route("/b1", get(|| async { "Hello, World!" }));
    let hello_with_stack = site.behind_the_stack(hello.clone());

    for s in &SCENARIOS {
        for i in 0..QUERIES.len() {
            check(&portal, &(s.portal)(i), s.expect).await;
            check(&bare, &(s.baseline)(i), s.expect).await;
            check(&with_stack, &(s.baseline)(i), s.expect).await;
        }
    }
    println!("catalogue pages ÷ hand-written axum + sqlx, in-process, SQLite, {ROUNDS} rounds of {RUN:?} per side");
    let b1 = compare(&[(&hello, &|_| "/b1".to_owned()), (&hello_with_stack, &|_| "/b1".to_owned())]).await;
    let (raw, stacked) = (median_rate(&b1[0]), median_rate(&b1[1]));
    println!();
    println!(
        "B1 hello: bare {raw:.0}/s, behind the portal's stack {stacked:.0}/s: the stack costs {:.1} µs a request",
        1e6 / stacked - 1e6 / raw
    );
    println!();
    println!("| Scenario | Portal req/s | B3+mw req/s | B3 req/s | Portal ÷ B3+mw (range) | Portal ÷ B3 | p50 portal / B3+mw (µs) | p99 portal / B3+mw (µs) | p99 ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut json = format!("{{\"b1\":{{\"bare\":{raw:.1},\"stack\":{stacked:.1}}},\"scenarios\":[");
    for (n, s) in SCENARIOS.iter().enumerate() {
        let runs = compare(&[(&portal, &s.portal), (&with_stack, &s.baseline), (&bare, &s.baseline)]).await;
        let ratios = pair_ratios(&runs[0], &runs[1]);
        let (p, m, b) = (median_rate(&runs[0]), median_rate(&runs[1]), median_rate(&runs[2]));
        let (p50, p99) = (percentile(&runs[0], 0.50), percentile(&runs[0], 0.99));
        let (m50, m99) = (percentile(&runs[1], 0.50), percentile(&runs[1], 0.99));
        let ratio = ratios[ratios.len() / 2];
        println!(
            "| {} | {p:.0} | {m:.0} | {b:.0} | **{ratio:.2}** ({:.2}–{:.2}) | {:.2} | {p50:.0} / {m50:.0} | {p99:.0} / {m99:.0} | {:.2} |",
            s.name,
            ratios[0],
            ratios[ratios.len() - 1],
            p / b,
            p99 / m99
        );
        let _ = write!(
            json,
            "{}{{\"scenario\":{:?},\"portal\":{p:.1},\"b3_stack\":{m:.1},\"b3\":{b:.1},\"ratio\":{ratio:.3},\"ratio_min\":{:.3},\"ratio_max\":{:.3},\"p50_us\":[{p50:.0},{m50:.0}],\"p99_us\":[{p99:.0},{m99:.0}]}}",
            if n == 0 { "" } else { "," },
            s.name,
            ratios[0],
            ratios[ratios.len() - 1],
        );
    }
    json.push_str("]}\n");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "../target".into()))
        .join("bench");
    if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(dir.join("catalogue.json"), &json).is_ok() {
        println!("\n(written to {})", dir.join("catalogue.json").display());
    }
    site.remove().await;
}

fn encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// B3: the same SQL per request (has the catalogue changed? the departments, once, as the
/// portal reads them once per request; for search also the department search), the same cached
/// snapshot and index, and the HTML written by hand with escaping.
struct Baseline {
    db: Db,
    cache: tokio::sync::RwLock<Option<Cached>>,
}

/// The catalogue generation a snapshot was built at, and the snapshot.
type Cached = ((i64, i64, i64), Arc<Published>);

/// The published items with their rank among the popular services, and their index, as the
/// baseline caches them.
type Published = (Vec<(ItemContent, Option<i64>)>, SearchIndex);

impl Baseline {
    /// The snapshot, the department names by code, and the departments in their listed order
    /// (one query per request, which the portal's pages share however many parts show them).
    async fn snapshot(&self) -> (Arc<Published>, HashMap<String, String>, Vec<(String, String)>) {
        let generation = app::catalogue::server::db::generation(&self.db).await.expect("generation");
        let listed: Vec<(String, String)> = app::departments::server::db::list(&self.db)
            .await
            .expect("departments")
            .into_iter()
            .map(|d| (d.code, d.name.zh))
            .collect();
        let departments: HashMap<String, String> = listed.iter().cloned().collect();
        if let Some((g, s)) = self.cache.read().await.as_ref() {
            if *g == generation {
                return (s.clone(), departments, listed);
            }
        }
        let items: Vec<(ItemContent, Option<i64>)> = app::catalogue::server::db::published(&self.db)
            .await
            .expect("published")
            .into_iter()
            .map(|(v, rank)| (serde_json::from_str(&v.content).expect("content"), rank))
            .collect();
        let docs = items
            .iter()
            .map(|(c, _)| search_doc(c, departments.get(&c.department).map_or("", String::as_str)))
            .collect();
        let synonyms = app::catalogue::server::db::synonyms(&self.db).await.expect("synonyms");
        let snapshot = Arc::new((items, SearchIndex::new(docs, &synonyms)));
        *self.cache.write().await = Some((generation, snapshot.clone()));
        (snapshot, departments, listed)
    }
}

async fn baseline(db: Db) -> Router {
    let state = Arc::new(Baseline { db, cache: tokio::sync::RwLock::new(None) });
    Router::new()
        .route("/b3/home", get(b3_home))
        .route("/b3/services", get(b3_services))
        .route("/b3/guide/{code}", get(b3_guide))
        .route("/b3/search", get(b3_search))
        .with_state(state)
}

/// A service card as the portal's lists show it: name, summary, department.
fn card(h: &mut String, c: &ItemContent, departments: &HashMap<String, String>) {
    let _ = write!(
        h,
        "<li class=\"card\"><a class=\"card__link\" href=\"/services/{}\">{}</a><p>{}</p><p>{}</p></li>",
        esc(&c.code),
        esc(&c.name.zh),
        esc(&c.summary.zh),
        esc(departments.get(&c.department).map_or("", String::as_str))
    );
}

fn serves(c: &ItemContent, target: Target) -> bool {
    c.target == target || c.target == Target::Both
}

async fn b3_home(State(b): State<Arc<Baseline>>) -> Html<String> {
    let (snapshot, departments, _) = b.snapshot().await;
    let items = &snapshot.0;
    let mut featured: Vec<_> = items.iter().filter(|(_, rank)| rank.is_some()).collect();
    featured.sort_by_key(|(_, rank)| *rank);
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>首页</title></head><body><main><h2>热门服务</h2><ul>");
    for (c, _) in featured {
        card(&mut h, c, &departments);
    }
    let people = items.iter().filter(|(c, _)| serves(c, Target::Person)).count();
    let companies = items.iter().filter(|(c, _)| serves(c, Target::Entity)).count();
    let _ = write!(h, "</ul><h2>按服务对象</h2><ul><li><a href=\"/services?target=person\">个人服务</a> 共 {people} 项服务</li><li><a href=\"/services?target=entity\">法人服务</a> 共 {companies} 项服务</li></ul><h2>按主题</h2><ul>");
    for (codes, of, name) in [
        (TOPICS, (|c: &ItemContent| &c.topics) as fn(&ItemContent) -> &Vec<String>, "topic"),
        (LIFE_EVENTS, |c: &ItemContent| &c.life_events, "event"),
    ] {
        for code in codes {
            let n = items.iter().filter(|(c, _)| of(c).iter().any(|t| t == code)).count();
            if n > 0 {
                let _ = write!(h, "<li><a href=\"/services?{name}={code}\">{code} ({n})</a></li>");
            }
        }
    }
    h.push_str("</ul></main></body></html>");
    Html(h)
}

async fn b3_services(State(b): State<Arc<Baseline>>) -> Html<String> {
    // The list page also offers the departments as a filter, from the same query.
    let (snapshot, departments, filter) = b.snapshot().await;
    let mut items: Vec<&ItemContent> = snapshot.0.iter().map(|(c, _)| c).collect();
    items.sort_by(|a, b| a.name.zh.cmp(&b.name.zh));
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>服务事项</title></head><body><main><form><select name=\"department\">");
    for (code, name) in filter {
        let _ = write!(h, "<option value=\"{}\">{}</option>", esc(&code), esc(&name));
    }
    h.push_str("</select></form><ul>");
    for c in items {
        card(&mut h, c, &departments);
    }
    h.push_str("</ul></main></body></html>");
    Html(h)
}

async fn b3_guide(State(b): State<Arc<Baseline>>, Path(code): Path<String>) -> Html<String> {
    let (snapshot, departments, _) = b.snapshot().await;
    let Some((c, _)) = snapshot.0.iter().find(|(c, _)| c.code == code) else { return Html(String::new()) };
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

async fn b3_search(State(b): State<Arc<Baseline>>, Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let query = q.get("q").cloned().unwrap_or_default();
    let (snapshot, departments, _) = b.snapshot().await;
    // The portal's search page also looks for departments.
    let matching_departments = app::departments::server::db::search(&b.db, &query).await.expect("departments");
    let hits = snapshot.1.search(&query);
    let mut h = String::with_capacity(8 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>搜索</title></head><body><main><h1>搜索</h1><ol>");
    for hit in hits {
        let Some((c, _)) = snapshot.0.iter().find(|(c, _)| c.code == hit.code) else { continue };
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
