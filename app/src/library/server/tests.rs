//! Relevance on the real Library of Congress records (plus a small generated catalogue around
//! them): what a citizen types finds the book they mean.

use super::*;
use crate::library::contract::{clc_notation, clc_path};
use crate::library::demo::{generate, LibraryProfile};
use crate::library::model::*;
use crate::library::store::LibraryStore;
use crate::site::Bilingual;

async fn library(name: &str) -> (Library, std::path::PathBuf) {
    library_with_index(name, false).await
}

async fn library_with_index(name: &str, on_disk: bool) -> (Library, std::path::PathBuf) {
    let branch = |code: &str| crate::library::contract::Branch {
        code: code.into(),
        name: Bilingual { zh: format!("{code}馆"), en: code.into() },
        address: Bilingual { zh: "演示地址".into(), en: "demo address".into() },
        hours: Bilingual { zh: "9:00–17:00".into(), en: "9:00–17:00".into() },
        longitude: 103.8,
        latitude: 36.0,
    };
    let profile = LibraryProfile {
        seed: 3,
        as_of: "2026-01-01".into(),
        records: 4000,
        marc: vec![],
        branches: vec![branch("central"), branch("east"), branch("west")],
        patrons: Vec::new(),
        rules: crate::library::demo::default_rules(),
    };
    let marc = vec![include_bytes!("../../../../server/demo/library/loc_books_chi_sample.mrc.gz").to_vec()];
    let dir = std::env::temp_dir().join(format!("onestop-library-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = LibraryStore::open(&format!("sqlite://{}/library.db?mode=rwc", dir.display())).await.expect("store");
    store.install(&generate(&profile, &marc).expect("generates")).await.expect("installs");
    let index_dir = on_disk.then(|| dir.join("index"));
    let library = Library::new(Provider::InProcess(std::sync::Arc::new(store)), index_dir);
    let indexed = library.update(&mut |_, _| {}).await.expect("indexes");
    assert_eq!(indexed, 4000);
    (library, dir)
}

fn params(query: &str) -> SearchParams {
    SearchParams { query: query.into(), page: 1, ..Default::default() }
}

async fn ids(library: &Library, p: SearchParams) -> Vec<String> {
    search(library, &p).await.expect("searches").hits.into_iter().map(|h| h.id).collect()
}

#[tokio::test]
async fn known_titles_are_found_by_two_characters_pinyin_isbn_and_traditional_characters() {
    let (library, dir) = library("relevance").await;
    // 中国古代书法家辞典 (LCCN 00434132): two characters of the title, first.
    let dictionary = "loc-00434132";
    let found = ids(&library, params("辞典")).await;
    assert!(found.iter().any(|id| id == dictionary), "{found:?}");
    let porcelain = ids(&library, params("瓷器")).await;
    assert!(porcelain.len() >= 2 && porcelain.iter().all(|id| id.starts_with("loc-")), "{porcelain:?}");
    // AND: both words must match; a word from another field narrows, one that matches nothing empties.
    assert_eq!(ids(&library, params("书法 辞典")).await.first().map(String::as_str), Some(dictionary));
    assert!(ids(&library, params("书法 量子力学")).await.is_empty());
    // ISBN, as catalogued, with hyphens, and as ISBN-13.
    for isbn in ["7213017179", "7-213-01717-9", "9787213017179"] {
        assert_eq!(ids(&library, params(isbn)).await, [dictionary], "{isbn}");
    }
    // 清宮瓷器 by its initials, by full pinyin, and typed in simplified characters.
    let porcelain = ids(&library, params("清宫瓷器")).await;
    let first = porcelain.first().cloned().expect("found by simplified characters");
    assert_eq!(ids(&library, params("qgcq")).await.first(), Some(&first));
    assert!(ids(&library, params("qinggong")).await.contains(&first));
    // 李琦画集 is catalogued in simplified characters; the traditional 畫集 finds it too.
    let paintings = ids(&library, SearchParams { query: "李琦 畫集".into(), page: 1, ..Default::default() }).await;
    assert_eq!(paintings.first().map(String::as_str), Some("loc-00294107"));
    // Field search: 吴木 as author finds the dictionary, as publisher nothing.
    let by_author = SearchParams { field: SearchField::Author, ..params("吴木") };
    assert!(ids(&library, by_author).await.contains(&dictionary.to_owned()));
    let by_publisher = SearchParams { field: SearchField::Publisher, ..params("吴木") };
    assert!(ids(&library, by_publisher).await.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn facets_add_up_filters_narrow_and_pages_do_not_repeat() {
    let (library, dir) = library("facets").await;
    let all = search(&library, &params("中国")).await.expect("searches");
    assert!(all.total > 40, "{}", all.total);
    assert!(all.live);
    let f = &all.facets;
    assert_eq!(f.available + f.not_available, all.total);
    assert_eq!(f.classes.iter().map(|c| c.count).sum::<u64>(), all.total);
    assert_eq!(f.class_exact, 0, "with no class chosen every record is under a top class");
    assert_eq!(f.decades.iter().map(|c| c.count).sum::<u64>(), all.total);
    assert!(f.branches.iter().map(|c| c.count).sum::<u64>() >= all.total);
    // A class filter gives exactly that class's count, every hit in that class.
    let class = f.classes.iter().max_by_key(|c| c.count).expect("a class");
    let narrowed =
        search(&library, &SearchParams { class: Some(class.key.clone()), ..params("中国") }).await.expect("filters");
    assert_eq!(narrowed.total, class.count);
    assert!(narrowed.hits.iter().all(|h| h.clc.starts_with(class.key.as_str())));
    // Available only: every hit has a copy on the shelf now (the library says so, live).
    let available = search(&library, &SearchParams { available_only: true, ..params("中国") }).await.expect("filters");
    assert_eq!(available.total, f.available);
    assert!(available.hits.iter().all(|h| h.copies.as_ref().is_some_and(|c| c.iter().any(|b| b.on_shelf > 0))));
    // Pages: twenty each, no record twice.
    let second = search(&library, &SearchParams { page: 2, ..params("中国") }).await.expect("page 2");
    assert_eq!(all.hits.len(), PAGE_SIZE);
    assert!(second.hits.iter().all(|h| !all.hits.iter().any(|a| a.id == h.id)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every hit of a search, page by page.
async fn all_hits(library: &Library, p: &SearchParams) -> Vec<Hit> {
    let mut hits = Vec::new();
    for page in 1..=MAX_PAGE {
        let found = search(library, &SearchParams { page, ..p.clone() }).await.expect("searches");
        let last = found.hits.len() < PAGE_SIZE;
        hits.extend(found.hits);
        if last {
            break;
        }
    }
    hits
}

#[tokio::test]
async fn classes_drill_down_a_level_at_a_time_and_their_counts_add_up() {
    let (library, dir) = library("classes").await;
    // 中国 finds Library of Congress records classed at I only (from LC's P classes) beside
    // generated poems, novels and essays (I22x, I24x, I26x) and classics (I242.4, I246.5 …).
    let mut expected = search(&library, &params("中国")).await.expect("searches").total;
    let mut chosen: Option<String> = None;
    let mut exact_at = Vec::new();
    for next in ["I", "I2", "I24", "I242", ""] {
        let p = SearchParams { class: chosen.clone(), ..params("中国") };
        let found = search(&library, &p).await.expect("searches");
        let f = &found.facets;
        let at = chosen.as_deref().unwrap_or("everything");
        assert_eq!(found.total, expected, "{at}: the count its facet link showed one level up");
        // Every result is in exactly one class of the next level, or classed here and no deeper.
        assert_eq!(f.classes.iter().map(|c| c.count).sum::<u64>() + f.class_exact, found.total, "{at}");
        let depth = chosen.as_deref().map_or(0, |c| clc_path(c).len());
        for child in &f.classes {
            assert_eq!(clc_notation(&child.key).as_deref(), Some(child.key.as_str()), "{at}");
            assert_eq!(clc_path(&child.key).len(), depth + 1, "{at}: {}", child.key);
            assert!(child.key.starts_with(chosen.as_deref().unwrap_or("")) && child.count > 0, "{at}");
        }
        // Below the top the results fit the pages one may step through: the counts are the
        // index's for the whole result set, and every page's hits agree with them.
        if let Some(class) = &chosen {
            assert!(found.total <= u64::from(MAX_PAGE) * PAGE_SIZE as u64, "{at}: {}", found.total);
            let hits = all_hits(&library, &p).await;
            assert_eq!(hits.len() as u64, found.total, "{at}");
            assert!(hits.iter().all(|h| h.clc.starts_with(class.as_str()) && clc_path(&h.clc).contains(class)), "{at}");
            assert_eq!(hits.iter().filter(|h| clc_path(&h.clc).len() == depth).count() as u64, f.class_exact, "{at}");
            for child in &f.classes {
                let under = hits.iter().filter(|h| clc_path(&h.clc).get(depth) == Some(&child.key)).count();
                assert_eq!(under as u64, child.count, "{at}: {}", child.key);
            }
        }
        exact_at.push(f.class_exact);
        if next.is_empty() {
            break;
        }
        let child = f.classes.iter().find(|c| c.key == next).unwrap_or_else(|| panic!("{at}: no {next}: {f:?}"));
        expected = child.count;
        chosen = Some(next.to_owned());
    }
    // Library of Congress records classed at I only; none exactly at I2 or I24 (the generated
    // ones go a level deeper); all of I242 at I242 (I242.4, I242.1 and I242 itself).
    assert!(exact_at[1] > 0, "{exact_at:?}");
    assert_eq!(exact_at[2..4], [0, 0], "{exact_at:?}");
    assert!(exact_at[4] > 0, "{exact_at:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_index_built_with_another_schema_is_refused_with_its_reason_and_rebuilt() {
    let (library, dir) = library_with_index("schema", true).await;
    drop(library);
    // What an older portal left: an index whose class facet was the top letter, in `class`.
    let index_dir = dir.join("index");
    std::fs::remove_dir_all(&index_dir).expect("removes");
    std::fs::create_dir_all(&index_dir).expect("creates");
    let mut old = tantivy::schema::Schema::builder();
    old.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
    old.add_facet_field("class", tantivy::schema::FacetOptions::default());
    drop(tantivy::Index::create_in_dir(&index_dir, old.build()).expect("an old index"));
    let store = LibraryStore::open(&format!("sqlite://{}/library.db", dir.display())).await.expect("store");
    let again = Library::new(Provider::InProcess(std::sync::Arc::new(store)), Some(index_dir.clone()));
    assert!(again.index().is_none(), "not searched with the wrong schema");
    let reason = again.index_open_error().expect("a reason");
    assert!(reason.contains("another version of the portal"), "{reason}");
    assert!(matches!(search(&again, &params("中国")).await, Err(crate::error::AppError::Unavailable)));
    // The update builds it afresh, and drilling down works on it.
    assert_eq!(again.update(&mut |_, _| {}).await.expect("rebuilds"), 4000);
    assert_eq!(again.index_open_error(), None);
    let novels = search(&again, &SearchParams { class: Some("I24".into()), ..params("中国") }).await.expect("searches");
    assert!(novels.total > 0 && novels.facets.classes.iter().all(|c| c.key.starts_with("I24")), "{novels:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn empty_absurd_and_punctuation_queries_are_refused_without_searching() {
    let (library, dir) = library("absurd").await;
    for query in ["", "   ", "。，！？", &"书".repeat(10_000)] {
        let err = search(&library, &params(query)).await.expect_err("refused");
        assert!(matches!(err, crate::error::AppError::Validation(_)), "{query:.20}: {err:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_index_on_disk_is_reopened_current_rebuilt_whole_and_updated_from_the_cursor() {
    let (library, dir) = library_with_index("disk", true).await;
    let index_dir = dir.join("index");
    assert!(index_dir.join("meta.json").exists());
    // Another process (the server after `library reindex`) opens it, current to the cursor.
    let store = LibraryStore::open(&format!("sqlite://{}/library.db", dir.display())).await.expect("store");
    let again = Library::new(Provider::InProcess(std::sync::Arc::new(store)), Some(index_dir.clone()));
    assert_eq!(again.index().expect("opens").len(), 4000);
    assert_eq!(again.update(&mut |_, _| {}).await.expect("updates"), 0, "nothing changed since the cursor");
    // A rebuild replaces it whole and reports progress up to the total.
    let mut last = (0, 0);
    assert_eq!(again.rebuild(&mut |done, total| last = (done, total)).await.expect("rebuilds"), 4000);
    assert_eq!(last, (4000, 4000));
    assert!(!index_dir.with_extension("building").exists() && !index_dir.with_extension("old").exists());
    assert_eq!(ids(&again, params("7213017179")).await, ["loc-00434132"]);
    drop(library);
    let _ = std::fs::remove_dir_all(&dir);
}
