//! The library catalogue's pages over the demo library (its real LoC records and a small
//! generated catalogue), and what they do when the library cannot answer.

use crate::support::{body_text, TestApp};
use app::library::server::Library;
use app::library::store::LibraryStore;
use app::platform::Backend;
use onestop_server::demo;
use std::sync::Arc;

/// The built-in profile's library, cut down to 3,000 records, with its index in memory.
async fn demo_library() -> Library {
    let source = demo::ProfileSource::built_in();
    let profile = demo::CityProfile::parse(&source.text).expect("profile");
    let mut library = profile.library.clone().expect("the demo city has a library");
    library.records = 3000;
    let marc: Vec<Vec<u8>> = library.marc.iter().map(|f| source.read_bytes(f).expect("marc")).collect();
    let path = std::env::temp_dir().join(format!("onestop-it-library-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = LibraryStore::open(&format!("sqlite://{}", path.display())).await.expect("store");
    store.install(&app::library::demo::generate(&library, &marc).expect("generates")).await.expect("installs");
    let library = Library::new(app::library::Provider::InProcess(Arc::new(store)), None);
    assert_eq!(library.update(&mut |_, _| {}).await.expect("indexes"), 3000);
    library
}

#[tokio::test]
async fn search_filter_and_record_pages_work_as_plain_html() {
    let app = TestApp::with_library(Backend::Sqlite, demo_library().await).await;
    // Initials find 清宮瓷器, with its branches' live availability and facet links keeping the query.
    let res = app.get("/library?q=qgcq").await;
    assert_eq!(res.status(), 200);
    let page = body_text(res).await;
    assert!(page.contains("清宮瓷器"), "{page}");
    assert!(page.contains("在架") && page.contains("href=\"/library/records/loc-"), "{page}");
    assert!(page.contains("/library?q=qgcq&amp;class=J"), "a class facet keeps the query: {page}");
    // A filter narrows and can be removed.
    let filtered = body_text(app.get("/library?q=%E7%93%B7%E5%99%A8&class=J").await).await;
    assert!(filtered.contains("取消筛选") && filtered.contains("清宮瓷器"), "{filtered}");
    // The record: description, copies with call numbers, where, citations.
    let res = app.get("/library/records/loc-00434132").await;
    assert_eq!(res.status(), 200);
    let record = body_text(res).await;
    for expected in
        ["中国古代书法家辞典", "索书号", "J29/", "开放时间", "吴木, 胡文虎. 中国古代书法家辞典", "citation.ris"]
    {
        assert!(record.contains(expected), "{expected}: {record}");
    }
    let ris = app.get("/library/records/loc-00434132/citation.ris").await;
    assert_eq!(ris.status(), 200);
    assert!(ris.headers()["content-disposition"].to_str().expect("ascii").contains("loc-00434132.ris"));
    let text = body_text(ris).await;
    assert!(text.starts_with("TY  - BOOK\r\n") && text.contains("SN  - 7213017179"), "{text}");
    assert_eq!(app.get("/library/records/loc-nonexistent").await.status(), 404);
    assert_eq!(app.get("/library/records/loc-nonexistent/citation.ris").await.status(), 404);
}

#[tokio::test]
async fn empty_absurd_and_punctuation_queries_get_a_message_not_a_search() {
    let app = TestApp::with_library(Backend::Sqlite, demo_library().await).await;
    let res = app.get("/library").await;
    assert_eq!(res.status(), 200, "arriving with an empty box is no error");
    let long = "书".repeat(10_000);
    for (query, message) in
        [("", "请输入要检索的"), ("%E3%80%82%EF%BC%8C%EF%BC%81", "没有文字或数字"), (long.as_str(), "检索词太长了")]
    {
        let res = app.get(&format!("/library?q={query}")).await;
        assert_eq!(res.status(), 400);
        let page = body_text(res).await;
        assert!(page.contains(message) && page.contains("error-summary"), "{message}: {page:.3000}");
    }
}

#[tokio::test]
async fn without_the_library_the_page_says_so_and_keeps_the_search() {
    // No library answers: the portal has neither a provider nor an index.
    let app = TestApp::new(Backend::Sqlite).await;
    let res = app.get("/library?q=%E7%BA%A2%E6%A5%BC%E6%A2%A6&class=I&available=1").await;
    assert_eq!(res.status(), 503);
    let page = body_text(res).await;
    assert!(page.contains("图书馆系统暂时无法访问"), "{page}");
    assert!(page.contains("value=\"红楼梦\""), "the query stays in the box: {page}");
    assert!(page.contains("name=\"class\" value=\"I\"") && page.contains("name=\"available\" value=\"1\""), "{page}");
    assert_eq!(app.get("/library/records/loc-00434132").await.status(), 503);
}

#[tokio::test]
async fn the_portal_database_has_no_library_tables_and_only_the_library_store_names_them() {
    const LIBRARY_TABLES: [&str; 4] = ["library_meta", "library_branches", "bib_records", "bib_items"];
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let shape = app::platform::testing::fresh_db(backend).await.schema_shape().await.expect("shape");
        for (table, _, _) in &shape {
            assert!(!LIBRARY_TABLES.contains(&table.as_str()), "{backend:?} portal schema has library table {table}");
        }
    }
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let allowed = root.join("app/src/library/store");
    let mut files = Vec::new();
    rust_files(&root.join("app/src"), &mut files);
    rust_files(&root.join("server/src"), &mut files);
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&allowed)) {
        let text = std::fs::read_to_string(file).expect("read source").to_uppercase();
        for table in LIBRARY_TABLES {
            for keyword in ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"] {
                if text.contains(&format!("{keyword} {} ", table.to_uppercase())) {
                    offenders.push(format!("{}: {keyword} {table}", file.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}
