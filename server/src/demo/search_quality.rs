//! Search quality over the demo catalogue, its departments and synonym list: the realistic
//! queries in `demo/search-queries.toml`, each with the service that should come first.

use super::*;
use app::catalogue::search::SearchIndex;
use app::catalogue::server::search_doc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuerySet {
    queries: Vec<Query>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    q: String,
    expected: String,
    #[serde(default)]
    also: Vec<String>,
}

/// The built-in profile's item codes and their search index, built as the portal builds it.
fn demo_index() -> (Vec<String>, SearchIndex) {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text).expect("profile");
    let items = service_items(&source, &profile).expect("items");
    let docs = items
        .iter()
        .map(|item| {
            let department = profile.departments.iter().find(|d| d.code == item.department).expect("department");
            search_doc(item, &department.name.zh)
        })
        .collect();
    let index = SearchIndex::new(docs, &synonyms(&source, &profile).expect("synonyms"));
    (items.into_iter().map(|i| i.code).collect(), index)
}

/// Every query is answered, the right service comes first for nine in ten and among the first
/// three for nearly all; the misses are printed so a failure says which queries went wrong.
#[test]
fn realistic_queries_find_the_right_service_first() {
    let set: QuerySet = toml::from_str(include_str!("../../demo/search-queries.toml")).expect("query set");
    let (codes, index) = demo_index();
    assert!(set.queries.len() >= 60, "a query set worth measuring");
    for code in &codes {
        assert!(set.queries.iter().any(|q| &q.expected == code), "no query expects {code}");
    }
    let (mut first, mut top3) = (0usize, 0usize);
    let mut misses = Vec::new();
    let mut unanswered = Vec::new();
    for query in &set.queries {
        assert!(codes.contains(&query.expected), "{}: no demo item {}", query.q, query.expected);
        let hits: Vec<String> = index.search(&query.q).into_iter().map(|h| h.code).collect();
        let rank = hits.iter().position(|code| code == &query.expected || query.also.contains(code));
        first += usize::from(rank == Some(0));
        top3 += usize::from(rank.is_some_and(|r| r < 3));
        if hits.is_empty() {
            unanswered.push(query.q.as_str());
        }
        if rank != Some(0) {
            let shown = rank.map_or("not found".to_owned(), |r| format!("rank {}", r + 1));
            misses.push(format!(
                "  {} → {shown}; expected {}; got {:?}",
                query.q,
                query.expected,
                &hits[..hits.len().min(3)]
            ));
        }
    }
    let n = set.queries.len() as f64;
    let (at1, at3) = (first as f64 / n, top3 as f64 / n);
    println!("search quality over {} queries: hits@1 {at1:.3}, hits@3 {at3:.3}", set.queries.len());
    println!("misses at 1:\n{}", misses.join("\n"));
    assert!(unanswered.is_empty(), "queries answered with nothing: {unanswered:?}");
    assert!(at1 >= 0.9, "hits@1 {at1:.3} < 0.9; misses:\n{}", misses.join("\n"));
    assert!(at3 >= 0.97, "hits@3 {at3:.3} < 0.97; misses:\n{}", misses.join("\n"));
}
