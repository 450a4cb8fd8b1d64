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
use app::catalogue::{life_event_label, limit_text, topic_label};
use app::departments::Department;
use app::i18n::{fill, Locale, Messages};
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
    // The guide's parts alone (about two minutes), for working on them.
    if std::env::var_os("ONESTOP_BENCH_GUIDE_PARTS").is_some() {
        let mut json = String::new();
        guide_parts(&site, &portal, &with_stack, &mut json).await;
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
    // Equal output before anything is counted, as for the guide's sections below: B3's home and
    // services list write what the portal's `<main>` holds (less Leptos's `<!>` markers between
    // adjacent texts, which a browser ignores). Search's B3 still writes less than its page.
    for (page, by_hand) in [("/", "/b3/home"), ("/services", "/b3/services")] {
        let (page_html, hand_html) = (support::body(&portal, page).await, support::body(&bare, by_hand).await);
        assert_eq!(
            main_of(&page_html, "<main id=\"main\" tabindex=\"-1\">").replace("<!>", ""),
            main_of(&hand_html, "<main>"),
            "{by_hand} differs from what {page} shows"
        );
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
    json.push(']');
    guide_parts(&site, &portal, &with_stack, &mut json).await;
    json.push_str("}\n");
    let dir = std::path::PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "../target".into()))
        .join("bench");
    if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(dir.join("catalogue.json"), &json).is_ok() {
        println!("\n(written to {})", dir.join("catalogue.json").display());
    }
    site.remove().await;
}

/// A named side: a router and the address asked of it.
type Part<'a> = (&'static str, &'a Router, &'a dyn Fn(usize) -> String);

/// Where the guide page's time goes: the page, its parts each alone, and the baseline, in the
/// same interleaved runs. A part runs behind a route of its own (an in-process route costs well
/// under a microsecond, B1 above).
async fn guide_parts(site: &support::Portal, portal: &Router, with_stack: &Router, json: &mut String) {
    let baseline = Arc::new(Baseline::new(site.db.clone()).await);
    let (snapshot, _, _) = baseline.snapshot().await;
    let (content, _, version) = snapshot.0.iter().find(|(c, _, _)| c.code == GUIDE_CODE).expect("the guide").clone();
    let department = app::departments::server::db::list(&site.db)
        .await
        .expect("departments")
        .into_iter()
        .find(|d| d.code == content.department)
        .expect("its department")
        .name;
    let mut by_hand = String::new();
    guide_sections(&mut by_hand, &content, &department.zh, version);
    let guide = Arc::new(app::catalogue::GuideView { content: Arc::new(content), version, department });
    // Equal output before anything is counted: Leptos's only additions are its `<!>` markers
    // between adjacent texts, which a browser ignores.
    let rendered = app::catalogue::render_guide_sections(&guide);
    assert_eq!(rendered.replace("<!>", ""), by_hand, "the hand-written sections differ from the page's");
    let parts = Router::new()
        .route(
            "/part/sql",
            get({
                let baseline = baseline.clone();
                move || async move { Html(baseline.snapshot().await.1.len().to_string()) }
            }),
        )
        .route(
            "/part/leptos",
            get({
                let guide = guide.clone();
                move || async move { Html(app::catalogue::render_guide_sections(&guide)) }
            }),
        )
        .route(
            "/part/waiting",
            get({
                let guide = guide.clone();
                let baseline = baseline.clone();
                move || {
                    let baseline = baseline.clone();
                    let sql = async move {
                        baseline.snapshot().await;
                    };
                    let guide = guide.clone();
                    async move { Html(app::catalogue::render_guide_part(guide, sql).await) }
                }
            }),
        )
        .route(
            "/part/ready",
            get({
                let guide = guide.clone();
                move || {
                    let guide = guide.clone();
                    async move { Html(app::catalogue::render_guide_part(guide, async {}).await) }
                }
            }),
        )
        .route(
            "/part/hand",
            get({
                let guide = guide.clone();
                move || async move {
                    let mut h = String::with_capacity(8 * 1024);
                    guide_sections(&mut h, &guide.content, &guide.department.zh, guide.version);
                    Html(h)
                }
            }),
        );
    check(portal, "/accessibility", "</html>").await;
    let sides: [Part; 8] = [
        ("the whole guide page (portal)", portal, &|_| format!("/services/{GUIDE_CODE}")),
        (
            "its shell alone: `/accessibility` (head, header, navigation, footer, and that page's short text)",
            portal,
            &|_| "/accessibility".into(),
        ),
        ("the guide's part alone: awaits the SQL, then renders the sections", &parts, &|_| "/part/waiting".into()),
        ("the SQL alone (B3's queries and cache check)", &parts, &|_| "/part/sql".into()),
        ("the guide's sections rendered by Leptos alone", &parts, &|_| "/part/leptos".into()),
        ("the same sections written by hand", &parts, &|_| "/part/hand".into()),
        ("the whole baseline guide page (B3+mw)", with_stack, &|_| format!("/b3/guide/{GUIDE_CODE}")),
        ("the guide's part with its data already there (no SQL)", &parts, &|_| "/part/ready".into()),
    ];
    let runs = compare(&sides.iter().map(|(_, r, u)| (*r, *u)).collect::<Vec<_>>()).await;
    let micros: Vec<f64> = runs.iter().map(|r| 1e6 / median_rate(r)).collect();
    println!();
    println!("Where the guide's time goes (µs per request, from each side's median rate):");
    println!();
    println!("| Part | µs |");
    println!("|---|---:|");
    for ((name, _, _), us) in sides.iter().zip(&micros) {
        println!("| {name} | {us:.1} |");
    }
    let waiting = micros[2] - micros[3] - micros[4];
    let rest = micros[0] - micros[1] - micros[2];
    println!("| the waiting itself (the part − SQL − sections) | {waiting:.1} |");
    println!("| the rest: the page's own data path and response (the page − shell − the part) | {rest:.1} |");
    println!();
    println!("Leptos ÷ hand-written on equal output: {:.1} × ({} bytes)", micros[4] / micros[5], by_hand.len());
    let _ = write!(
        json,
        ",\"guide_parts_us\":{{\"page\":{:.1},\"shell\":{:.1},\"part\":{:.1},\"sql\":{:.1},\"leptos_sections\":{:.1},\"hand_sections\":{:.1},\"b3_stack\":{:.1},\"part_data_ready\":{:.1},\"waiting\":{waiting:.1},\"rest\":{rest:.1}}}",
        micros[0], micros[1], micros[2], micros[3], micros[4], micros[5], micros[6], micros[7]
    );
}

/// What a page holds inside `<main>`, opened by `open`.
fn main_of<'a>(html: &'a str, open: &str) -> &'a str {
    let start = html.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    &html[start..html.rfind("</main>").expect("</main>")]
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
    /// The site's hotline and hall, read once as the portal reads them once at start.
    site: app::site::SiteProfile,
}

/// The catalogue generation a snapshot was built at, and the snapshot.
type Cached = ((i64, i64, i64), Arc<Published>);

/// The published items with their rank among the popular services and their version, and their
/// index, as the baseline caches them.
type Published = (Vec<(ItemContent, Option<i64>, i64)>, SearchIndex);

impl Baseline {
    async fn new(db: Db) -> Baseline {
        let site = app::site::server::load(&db).await.expect("site");
        Baseline { db, cache: tokio::sync::RwLock::new(None), site }
    }

    /// The snapshot, the department names by code, and the departments in their listed order
    /// (one query per request, which the portal's pages share however many parts show them).
    async fn snapshot(&self) -> (Arc<Published>, HashMap<String, String>, Vec<Department>) {
        let generation = app::catalogue::server::db::generation(&self.db).await.expect("generation");
        let listed = app::departments::server::db::list(&self.db).await.expect("departments");
        let departments: HashMap<String, String> = listed.iter().map(|d| (d.code.clone(), d.name.zh.clone())).collect();
        if let Some((g, s)) = self.cache.read().await.as_ref() {
            if *g == generation {
                return (s.clone(), departments, listed);
            }
        }
        let items: Vec<(ItemContent, Option<i64>, i64)> = app::catalogue::server::db::published(&self.db)
            .await
            .expect("published")
            .into_iter()
            .map(|(v, rank)| (serde_json::from_str(&v.content).expect("content"), rank, v.version))
            .collect();
        let docs = items
            .iter()
            .map(|(c, _, _)| search_doc(c, departments.get(&c.department).map_or("", String::as_str)))
            .collect();
        let synonyms = app::catalogue::server::db::synonyms(&self.db).await.expect("synonyms");
        let snapshot = Arc::new((items, SearchIndex::new(docs, &synonyms)));
        *self.cache.write().await = Some((generation, snapshot.clone()));
        (snapshot, departments, listed)
    }
}

async fn baseline(db: Db) -> Router {
    let state = Arc::new(Baseline::new(db).await);
    Router::new()
        .route("/b3/home", get(b3_home))
        .route("/b3/services", get(b3_services))
        .route("/b3/guide/{code}", get(b3_guide))
        .route("/b3/search", get(b3_search))
        .with_state(state)
}

/// The service cards as the portal's lists show them (`ServiceCards`): name, summary,
/// department, time limit, and a tag for services that can be done entirely online.
fn service_cards<'a>(
    h: &mut String,
    cards: impl ExactSizeIterator<Item = &'a ItemContent>,
    departments: &HashMap<String, String>,
    t: &'static Messages,
) {
    if cards.len() == 0 {
        let _ = write!(h, "<p>{}</p>", esc(t.services_none));
        return;
    }
    h.push_str("<ul class=\"service-list\">");
    for c in cards {
        let _ = write!(
            h,
            "<li class=\"service-card\"><h3 class=\"service-card__title\"><a href=\"/services/{}\">{}</a></h3><p class=\"service-card__summary\">{}</p><p class=\"service-card__facts\"><span>{}</span><span>{}</span>",
            esc(&c.code),
            esc(&c.name.zh),
            esc(&c.summary.zh),
            esc(departments.get(&c.department).map_or("", String::as_str)),
            esc(&limit_text(c.handling, c.promised_limit, t))
        );
        if c.online_depth >= 3 {
            let _ = write!(h, "<span class=\"tag\">{}</span>", esc(t.services_online));
        }
        h.push_str("</p></li>");
    }
    h.push_str("</ul>");
}

fn serves(c: &ItemContent, target: Target) -> bool {
    c.target == target || c.target == Target::Both
}

/// The home page's own content as the portal shows it inside `<main>`: the search box, popular
/// services, people or companies, topics, life events, departments, help and elder mode.
async fn b3_home(State(b): State<Arc<Baseline>>) -> Html<String> {
    let (snapshot, departments, listed) = b.snapshot().await;
    let t = Locale::ZhCn.messages();
    let items = &snapshot.0;
    let mut featured: Vec<_> = items.iter().filter(|(_, rank, _)| rank.is_some()).collect();
    featured.sort_by_key(|(_, rank, _)| *rank);
    let mut h = String::with_capacity(16 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{}</title></head><body><main><section aria-labelledby=\"hero-title\" class=\"hero\"><div class=\"container\"><h1 id=\"hero-title\" class=\"hero__title\">{}</h1><p class=\"hero__lead\">{}</p><form role=\"search\" method=\"get\" action=\"/search\" class=\"hero__search\"><label for=\"home-search\" class=\"hero__search-label\">{}</label><div class=\"hero__search-row\"><input id=\"home-search\" name=\"q\" type=\"search\" placeholder=\"{}\" maxlength=\"100\"><button type=\"submit\" class=\"button button--large\">{}</button></div></form></div></section><div class=\"container home-sections\"><section aria-labelledby=\"home-popular-title\"><h2 id=\"home-popular-title\">{}</h2>",
        esc(t.home_title),
        esc(t.home_hero_title),
        esc(t.home_hero_lead),
        esc(t.search_label),
        esc(t.search_placeholder),
        esc(t.search_button),
        esc(t.home_popular_title)
    );
    service_cards(&mut h, featured.iter().map(|(c, _, _)| c), &departments, t);
    let people = items.iter().filter(|(c, _, _)| serves(c, Target::Person)).count();
    let companies = items.iter().filter(|(c, _, _)| serves(c, Target::Entity)).count();
    let _ = write!(
        h,
        "</section><section aria-labelledby=\"home-target-title\"><h2 id=\"home-target-title\">{}</h2><ul class=\"card-grid card-grid--two\"><li class=\"card\"><a href=\"/services?target=person\" class=\"card__link\">{}</a><p class=\"card__text\">{}</p></li><li class=\"card\"><a href=\"/services?target=entity\" class=\"card__link\">{}</a><p class=\"card__text\">{}</p></li></ul></section>",
        esc(t.home_target_title),
        esc(t.services_for_people),
        esc(&fill(t.services_count, &[&people.to_string()])),
        esc(t.services_for_companies),
        esc(&fill(t.services_count, &[&companies.to_string()]))
    );
    type Of = fn(&ItemContent) -> &Vec<String>;
    type Label = fn(&str, &'static Messages) -> &'static str;
    for (codes, of, name, section, title, label) in [
        (
            TOPICS,
            (|c: &ItemContent| &c.topics) as Of,
            "topic",
            "home-topics",
            t.home_topics_title,
            topic_label as Label,
        ),
        (LIFE_EVENTS, |c: &ItemContent| &c.life_events, "event", "home-events", t.home_events_title, life_event_label),
    ] {
        let _ = write!(
            h,
            "<section aria-labelledby=\"{section}-title\"><h2 id=\"{section}-title\">{}</h2><ul class=\"chip-list\">",
            esc(title)
        );
        for code in codes {
            let n = items.iter().filter(|(c, _, _)| of(c).iter().any(|t| t == code)).count();
            if n > 0 {
                let _ = write!(
                    h,
                    "<li><a href=\"/services?{name}={code}\" class=\"chip\">{} ({n})</a></li>",
                    esc(label(code, t))
                );
            }
        }
        h.push_str("</ul></section>");
    }
    let _ = write!(
        h,
        "<section aria-labelledby=\"home-departments-title\"><h2 id=\"home-departments-title\">{}</h2><p>{}</p><ul class=\"card-grid\">",
        esc(t.home_departments_title),
        esc(t.home_departments_lead)
    );
    for d in listed.iter().take(app::home::HOME_DEPARTMENTS) {
        let _ = write!(
            h,
            "<li class=\"card\"><a href=\"/services?department={}\" class=\"card__link\">{}</a><p class=\"card__text\">{}</p></li>",
            esc(&d.code),
            esc(&d.name.zh),
            esc(&d.duties.zh)
        );
    }
    let site = &b.site;
    let _ = write!(
        h,
        "</ul><p><a href=\"/departments\" class=\"more-link\">{}</a></p></section><div class=\"two-columns\"><section aria-labelledby=\"home-help-title\" class=\"panel\"><h2 id=\"home-help-title\">{}</h2><p>{}</p><dl class=\"facts\"><dt>{}</dt><dd><a href=\"tel:{hotline}\" class=\"hotline\">{hotline}</a></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd></dl></section><section aria-labelledby=\"home-elder-title\" class=\"panel\"><h2 id=\"home-elder-title\">{}</h2><p>{}</p><p><a href=\"/accessibility\">{}</a></p></section></div></div></main></body></html>",
        esc(t.home_departments_all),
        esc(t.home_help_title),
        esc(t.home_help_lead),
        esc(t.footer_hotline),
        esc(t.footer_hall),
        esc(&site.hall_address.zh),
        esc(t.footer_hours),
        esc(&site.hall_hours.zh),
        esc(t.home_elder_title),
        esc(t.home_elder_lead),
        esc(t.nav_accessibility),
        hotline = esc(&site.hotline),
    );
    Html(h)
}

/// The services list as the portal shows it inside `<main>`: heading, count, every card by name.
async fn b3_services(State(b): State<Arc<Baseline>>) -> Html<String> {
    let (snapshot, departments, _) = b.snapshot().await;
    let t = Locale::ZhCn.messages();
    let mut items: Vec<&ItemContent> = snapshot.0.iter().map(|(c, _, _)| c).collect();
    items.sort_by(|a, b| a.name.zh.cmp(&b.name.zh));
    let mut h = String::with_capacity(16 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><main><div class=\"container\"><h1 class=\"page-title\">{0}</h1><h2 class=\"results-count\">{1}</h2>",
        esc(t.services_all_title),
        esc(&fill(t.services_count, &[&items.len().to_string()]))
    );
    service_cards(&mut h, items.into_iter(), &departments, t);
    let _ = write!(
        h,
        "<p><a href=\"/services\" class=\"more-link\">{}</a></p></div></main></body></html>",
        esc(t.services_all_title)
    );
    Html(h)
}

async fn b3_guide(State(b): State<Arc<Baseline>>, Path(code): Path<String>) -> Html<String> {
    let (snapshot, departments, _) = b.snapshot().await;
    let Some((c, _, version)) = snapshot.0.iter().find(|(c, _, _)| c.code == code) else { return Html(String::new()) };
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
    h.push_str(&esc(&c.name.zh));
    h.push_str("</title></head><body><main><div class=\"container guide\">");
    guide_sections(&mut h, c, departments.get(&c.department).map_or("", String::as_str), *version);
    h.push_str("</div></main></body></html>");
    Html(h)
}

/// The guide's sections as the portal's guide page shows them (the same elements, attributes
/// and text, in Chinese), written by hand.
fn guide_sections(h: &mut String, c: &ItemContent, department: &str, version: i64) {
    use app::catalogue::model::{Channel, Handling, ItemType, MaterialForm, MaterialSource, Necessity, Scope};
    let t = app::i18n::Locale::ZhCn.messages();
    let limit = app::catalogue::limit_text(c.handling, c.promised_limit, t);
    let _ = write!(
        h,
        "<h1 class=\"page-title\">{}</h1><p class=\"lead\">{}</p><p class=\"guide__meta\">{} · {}</p><div class=\"guide__actions no-print\">",
        esc(&c.name.zh),
        esc(&c.summary.zh),
        esc(department),
        esc(&limit)
    );
    if c.channels.contains(&Channel::Online) {
        let _ = write!(
            h,
            "<p>{}</p><p><a href=\"/services/{}/apply\" class=\"button button--start\">{}</a></p>",
            esc(t.guide_apply_online_lead),
            esc(&c.code),
            esc(t.guide_apply_online)
        );
    }
    if c.appointment {
        let _ = write!(h, "<p>{}</p>", esc(&app::i18n::fill(t.guide_appointment, &[&c.consultation_phone])));
    }
    let _ = write!(
        h,
        "<p class=\"guide__print-hint\">{}</p></div><nav aria-labelledby=\"guide-contents-title\" class=\"guide__contents no-print\"><h2 id=\"guide-contents-title\">{}</h2><ol>",
        esc(t.guide_print_hint),
        esc(t.guide_contents)
    );
    let sections = [
        ("guide-basics", t.guide_basics),
        ("guide-conditions", t.guide_conditions),
        ("guide-materials", t.guide_materials),
        ("guide-process", t.guide_process),
        ("guide-fees", t.guide_fees),
        ("guide-basis", t.guide_basis),
        ("guide-where", t.guide_where),
        ("guide-contacts", t.guide_contacts),
    ];
    for (id, title) in sections {
        let _ = write!(h, "<li><a href=\"#{id}\">{}</a></li>", esc(title));
    }
    h.push_str("</ol></nav>");
    let open = |h: &mut String, id: &str, title: &str| {
        let _ =
            write!(h, "<section id=\"{id}\" aria-labelledby=\"{id}-title\"><h2 id=\"{id}-title\">{}</h2>", esc(title));
    };
    let fact = |h: &mut String, term: &str, value: &str| {
        let _ = write!(h, "<div><dt>{}</dt><dd>{}</dd></div>", esc(term), esc(value));
    };
    open(h, "guide-basics", t.guide_basics);
    h.push_str("<dl class=\"facts guide__facts\">");
    let item_type = match c.item_type {
        ItemType::Licence => t.item_type_licence,
        ItemType::Payment => t.item_type_payment,
        ItemType::Confirmation => t.item_type_confirmation,
        ItemType::Adjudication => t.item_type_adjudication,
        ItemType::Reward => t.item_type_reward,
        ItemType::Levy => t.item_type_levy,
        ItemType::OtherPower => t.item_type_other_power,
        ItemType::PublicService => t.item_type_public_service,
    };
    let target = match c.target {
        Target::Person => t.target_person,
        Target::Entity => t.target_entity,
        Target::Both => t.target_both,
    };
    let handling = if c.handling == Handling::Immediate { t.handling_immediate } else { t.handling_promised };
    let channels: Vec<&str> = c
        .channels
        .iter()
        .map(|ch| match ch {
            Channel::Window => t.channel_window,
            Channel::Online => t.channel_online,
            Channel::Post => t.channel_post,
        })
        .collect();
    let depth = match c.online_depth {
        4 => t.online_depth_4,
        3 => t.online_depth_3,
        2 => t.online_depth_2,
        _ => t.online_depth_1,
    };
    let scope = match c.scope {
        Scope::City => t.scope_city,
        Scope::Province => t.scope_province,
        Scope::National => t.scope_national,
    };
    fact(h, t.guide_item_type, item_type);
    fact(h, t.guide_body, &c.implementing_body.zh);
    fact(h, t.guide_target, target);
    fact(h, t.guide_handling, handling);
    fact(h, t.guide_statutory_limit, &app::catalogue::limit_text(Handling::Promised, c.statutory_limit, t));
    fact(h, t.guide_promised_limit, &limit);
    fact(h, t.guide_channels, &app::i18n::Locale::ZhCn.join_list(&channels));
    fact(h, t.guide_online_depth, depth);
    let _ = write!(
        h,
        "<div><dt>{}</dt><dd>{} <span lang=\"zh-CN\">{}</span></dd></div>",
        esc(t.guide_visits),
        esc(&app::i18n::fill(t.guide_visits_value, &[&c.visits.to_string()])),
        esc(&c.visits_note)
    );
    fact(h, t.guide_scope, scope);
    if !c.quantity_limit.is_empty() {
        let _ = write!(
            h,
            "<div><dt>{}</dt><dd lang=\"zh-CN\">{}</dd></div>",
            esc(t.guide_quantity_limit),
            esc(&c.quantity_limit)
        );
    }
    let _ = write!(h, "<div><dt>{}</dt><dd><span lang=\"zh-CN\">{}</span>", esc(t.guide_result), esc(&c.result.name));
    if !c.result.validity.is_empty() {
        let _ = write!(h, " ({}: <span lang=\"zh-CN\">{}</span>)", esc(t.guide_validity), esc(&c.result.validity));
    }
    let _ = write!(
        h,
        "</dd></div><div><dt>{}</dt><dd><code>{}</code> · {}</dd></div></dl></section>",
        esc(t.guide_code),
        esc(&c.code),
        esc(&app::i18n::fill(t.guide_version, &[&version.to_string()]))
    );
    open(h, "guide-conditions", t.guide_conditions);
    h.push_str("<ul lang=\"zh-CN\">");
    for x in &c.conditions {
        let _ = write!(h, "<li>{}</li>", esc(x));
    }
    h.push_str("</ul></section>");
    open(h, "guide-materials", t.guide_materials);
    let headers = [t.material_name, t.material_form, t.material_quantity, t.material_necessity, t.material_source];
    let _ = write!(
        h,
        "<div role=\"region\" aria-label=\"{0}\" tabindex=\"0\" class=\"table-scroll\"><table role=\"table\" class=\"data-table data-table--stack\"><caption>{0}</caption><thead role=\"rowgroup\"><tr role=\"row\">",
        esc(t.guide_materials)
    );
    for header in headers {
        let _ = write!(h, "<th scope=\"col\" role=\"columnheader\">{}</th>", esc(header));
    }
    h.push_str("</tr></thead><tbody role=\"rowgroup\">");
    for m in &c.materials {
        let _ = write!(
            h,
            "<tr role=\"row\"><th scope=\"row\" role=\"rowheader\" class=\"\"><span lang=\"zh-CN\">{}</span>",
            esc(&m.name)
        );
        if let Some(cert) = &m.e_certificate {
            let _ = write!(
                h,
                "<span class=\"material__note\">{}</span>",
                esc(&app::i18n::fill(t.material_e_certificate, &[cert]))
            );
        }
        if m.declaration_allowed {
            let _ = write!(h, "<span class=\"material__note\">{}</span>", esc(t.material_declaration));
        }
        if !m.note.is_empty() {
            let _ = write!(h, "<span class=\"material__note\" lang=\"zh-CN\">{}</span>", esc(&m.note));
        }
        h.push_str("</th>");
        let form = match m.form {
            MaterialForm::Original => t.material_original,
            MaterialForm::Copy => t.material_copy,
            MaterialForm::OriginalAndCopy => t.material_original_and_copy,
            MaterialForm::Electronic => t.material_electronic,
        };
        let quantity = app::i18n::fill(t.material_quantity_value, &[&m.originals.to_string(), &m.copies.to_string()]);
        let necessity = match m.necessity {
            Necessity::Required => t.necessity_required,
            Necessity::Optional => t.necessity_optional,
            Necessity::Deferrable => t.necessity_deferrable,
        };
        let source = match m.source {
            MaterialSource::Applicant => t.source_applicant,
            MaterialSource::Government => t.source_government,
            MaterialSource::Other => t.source_other,
        };
        for (column, value) in [(1, form), (2, quantity.as_str()), (3, necessity)] {
            let _ =
                write!(h, "<td role=\"cell\" data-label=\"{}\" class=\"\">{}</td>", esc(headers[column]), esc(value));
        }
        let _ = write!(h, "<td role=\"cell\" data-label=\"{}\" class=\"\">{}", esc(headers[4]), esc(source));
        if !m.source_note.is_empty() {
            let _ = write!(h, "<span lang=\"zh-CN\">：{}</span>", esc(&m.source_note));
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</tbody></table></div></section>");
    open(h, "guide-process", t.guide_process);
    h.push_str("<ol lang=\"zh-CN\" class=\"steps\">");
    for step in &c.process {
        let _ = write!(h, "<li><strong>{}</strong>：{}</li>", esc(&step.step), esc(&step.description));
    }
    h.push_str("</ol></section>");
    open(h, "guide-fees", t.guide_fees);
    if c.fees.is_empty() {
        let _ = write!(h, "<p>{}</p>", esc(t.guide_no_fee));
    } else {
        h.push_str("<ul lang=\"zh-CN\">");
        for f in &c.fees {
            let _ = write!(h, "<li>{}：{}（{}）", esc(&f.name), esc(&f.standard), esc(&f.basis));
            if !f.reduction.is_empty() {
                let _ = write!(h, " {}", esc(&f.reduction));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
    open(h, "guide-basis", t.guide_basis);
    h.push_str("<ul lang=\"zh-CN\">");
    for l in &c.legal_basis {
        let _ = write!(h, "<li><strong>{} {}</strong>", esc(&l.law), esc(&l.article));
        if !l.text.is_empty() {
            let _ = write!(h, "<blockquote>{}</blockquote>", esc(&l.text));
        }
        h.push_str("</li>");
    }
    h.push_str("</ul></section>");
    open(h, "guide-where", t.guide_where);
    let _ = write!(
        h,
        "<dl class=\"facts\"><div><dt>{}</dt><dd lang=\"zh-CN\">{}</dd></div><div><dt>{}</dt><dd lang=\"zh-CN\">{}</dd></div></dl></section>",
        esc(t.guide_location),
        esc(&c.location),
        esc(t.guide_hours),
        esc(&c.hours)
    );
    open(h, "guide-contacts", t.guide_contacts);
    let _ = write!(
        h,
        "<dl class=\"facts\"><div><dt>{0}</dt><dd><a href=\"tel:{1}\">{1}</a></dd></div><div><dt>{2}</dt><dd><a href=\"tel:{3}\">{3}</a></dd></div></dl></section>",
        esc(t.guide_consultation),
        esc(&c.consultation_phone),
        esc(t.guide_complaint),
        esc(&c.complaint_phone)
    );
    if !c.faq.is_empty() {
        let _ = write!(
            h,
            "<section id=\"guide-faq\" aria-labelledby=\"guide-faq-title\"><h2 id=\"guide-faq-title\">{}</h2><dl lang=\"zh-CN\" class=\"faq\">",
            esc(t.guide_faq)
        );
        for f in &c.faq {
            let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(&f.question), esc(&f.answer));
        }
        h.push_str("</dl></section>");
    }
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
        let Some((c, _, _)) = snapshot.0.iter().find(|(c, _, _)| c.code == hit.code) else { continue };
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
