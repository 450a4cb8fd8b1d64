//! Library catalogue search over 100,000 records (the built-in demo library: 1,014 Library of
//! Congress records and a generated catalogue), against a hand-written baseline in the same
//! process: a scan of every title in memory for the query text (what a `LIKE '%…%'` search
//! does, without its database). Measured per search: the index alone (ranking, facets, a page
//! of hits) and the whole search the page runs (plus live availability from the library's
//! database), for two-character queries and for longer ones separately, after a warm-up pass,
//! in interleaved runs. Reports the runs' median p50 and p99 of each and the p99 ratio to the
//! baseline with its range.
//!
//! `cargo bench -p onestop-server --bench library` (release build). Not a test: nothing here
//! fails on a number.

use app::library::model::SearchParams;
use app::library::server::Library;
use app::library::store::LibraryStore;
use onestop_server::demo;
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;

use support::median;

/// Two-character words (the shortest query the segmenter answers), and longer ones: a title,
/// two words, pinyin initials, full pinyin, traditional characters and an ISBN.
const GROUPS: [(&str, &[&str]); 2] = [
    ("two-character words", &["书法", "瓷器", "敦煌", "历史"]),
    ("3+ characters, pinyin, ISBN", &["中国古代史", "敦煌 研究", "hlm", "hongloumeng", "紅樓夢", "7213017179"]),
];
/// Searches per run; each group is measured in `RUNS` runs, interleaved with the other group's.
const SEARCHES: usize = 240;
const RUNS: usize = 5;

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

    // One pass over every query first, so no run pays for cold caches.
    for (_, queries) in GROUPS {
        for query in queries {
            let params = SearchParams { query: (*query).to_owned(), page: 1, ..Default::default() };
            app::library::server::search(&library, &params).await.expect("searches");
        }
    }

    // Per group and run: p50 and p99 of the scan, the index alone and the whole search.
    let mut runs: Vec<Vec<[(Duration, Duration); 3]>> = vec![Vec::new(); GROUPS.len()];
    for _ in 0..RUNS {
        for (g, (_, queries)) in GROUPS.iter().enumerate() {
            let (mut scan, mut index_only, mut whole) = (Vec::new(), Vec::new(), Vec::new());
            for round in 0..SEARCHES {
                let query = queries[round % queries.len()];
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
            runs[g].push([percentiles(&mut scan), percentiles(&mut index_only), percentiles(&mut whole)]);
        }
    }

    println!(
        "{RUNS} runs of {SEARCHES} searches per group over {} records; medians of the runs, ratio range in brackets",
        titles.len()
    );
    println!();
    println!("| Queries | Scenario | p50 | p99 | p99 ÷ scan's p99 (range) |");
    println!("|---|---|---:|---:|---:|");
    for (g, (name, queries)) in GROUPS.iter().enumerate() {
        let scan99: Vec<f64> = runs[g].iter().map(|r| r[0].1.as_secs_f64()).collect();
        for (s, scenario) in
            ["baseline: scan of every title", "index: rank, facets, a page of 20", "search + live availability"]
                .iter()
                .enumerate()
        {
            let p50: Vec<f64> = runs[g].iter().map(|r| r[s].0.as_secs_f64()).collect();
            let p99: Vec<f64> = runs[g].iter().map(|r| r[s].1.as_secs_f64()).collect();
            let ratios: Vec<f64> = p99.iter().zip(&scan99).map(|(p, b)| p / b.max(1e-9)).collect();
            let (low, high) = ratios.iter().fold((f64::MAX, 0f64), |(l, h), r| (l.min(*r), h.max(*r)));
            println!(
                "| {} | {scenario} | {} | {} | **{:.2}** ({low:.2}–{high:.2}) |",
                if s == 0 { format!("{name} ({})", queries.join(" ")) } else { String::new() },
                millis(median(&p50)),
                millis(median(&p99)),
                median(&ratios),
            );
        }
    }
    let _ = std::fs::remove_file(&path);
}

fn millis(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1000.0)
}

fn percentiles(samples: &mut [Duration]) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    (at(0.5), at(0.99))
}
