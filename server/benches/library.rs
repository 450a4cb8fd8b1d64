//! Library catalogue search over 100,000 records (the built-in demo library: 1,014 Library of
//! Congress records and a generated catalogue), against a hand-written baseline in the same
//! process: a scan of every title in memory for the query text (what a `LIKE '%…%'` search
//! does, without its database). Measured per query: the index alone (ranking, facets, a page
//! of hits) and the whole search the page runs (plus live availability from the library's
//! database). Reports p50 and p99 latency of each and the p99 ratio to the baseline.
//!
//! `cargo bench -p onestop-server --bench library` (release build). Not a test: nothing here
//! fails on a number.

use app::library::model::SearchParams;
use app::library::server::Library;
use app::library::store::LibraryStore;
use onestop_server::demo;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Two-character words, a longer title, two words, pinyin initials, full pinyin, traditional
/// characters and an ISBN.
const QUERIES: [&str; 8] = ["书法", "瓷器", "中国古代史", "敦煌 研究", "hlm", "hongloumeng", "紅樓夢", "7213017179"];
const ROUNDS: usize = 200;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let source = demo::ProfileSource::built_in();
    let profile = demo::CityProfile::parse(&source.text).expect("profile");
    let library_profile = profile.library.clone().expect("library");
    let marc: Vec<Vec<u8>> = library_profile.marc.iter().map(|f| source.read_bytes(f).expect("marc")).collect();
    let data = app::library::demo::generate(&library_profile, &marc).expect("generates");
    let titles: Vec<String> = data.records.iter().map(|r| r.title.clone()).collect();
    let path = std::env::temp_dir().join(format!("onestop-bench-library-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = LibraryStore::open(&format!("sqlite://{}", path.display())).await.expect("store");
    store.install(&data).await.expect("installs");
    let library = Library::new(app::library::Provider::InProcess(Arc::new(store)), None);
    let started = Instant::now();
    let indexed = library.update(&mut |_, _| {}).await.expect("indexes");
    println!("library: {indexed} records indexed in {:.1} s (in memory)", started.elapsed().as_secs_f64());
    let index = library.index().expect("index");

    let mut scan = Vec::new();
    let mut index_only = Vec::new();
    let mut whole = Vec::new();
    for round in 0..ROUNDS {
        let query = QUERIES[round % QUERIES.len()];
        let params = SearchParams { query: query.to_owned(), page: 1, ..Default::default() };
        let t = Instant::now();
        let found = titles.iter().filter(|t| t.contains(query)).take(20).count();
        std::hint::black_box(found);
        scan.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(index.search(&params, query).expect("searches"));
        index_only.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(app::library::server::search(&library, &params).await.expect("searches"));
        whole.push(t.elapsed());
    }
    let (scan50, scan99) = percentiles(&mut scan);
    let (index50, index99) = percentiles(&mut index_only);
    let (whole50, whole99) = percentiles(&mut whole);
    println!("{ROUNDS} searches over {} records, queries {QUERIES:?}", titles.len());
    println!("{:<36} {:>10} {:>10} {:>12}", "scenario", "p50", "p99", "p99 ÷ scan");
    println!("{:<36} {:>10.2?} {:>10.2?} {:>12}", "baseline: scan of every title", scan50, scan99, "1.00");
    let ratio = |d: Duration| d.as_secs_f64() / scan99.as_secs_f64().max(1e-9);
    println!("{:<36} {:>10.2?} {:>10.2?} {:>12.2}", "index: rank, facets, page", index50, index99, ratio(index99));
    println!("{:<36} {:>10.2?} {:>10.2?} {:>12.2}", "search + live availability", whole50, whole99, ratio(whole99));
    let _ = std::fs::remove_file(&path);
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99))
}
