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
    store.install_patrons(&library, app::platform::time::beijing_today()).await.expect("demo readers");
    let library = Library::new(app::library::Provider::InProcess(Arc::new(store)), None);
    assert_eq!(library.update(&mut |_, _| {}).await.expect("indexes"), 3000);
    library
}

/// A small generated library (no MARC records) with the demo readers: for tests that need the
/// library's pages and forms, not its catalogue.
pub async fn small_library() -> Library {
    let library = Library::new(app::library::Provider::InProcess(small_store().await), None);
    library.update(&mut |_, _| {}).await.expect("indexes");
    library
}

/// The demo library's system for [`small_library`], on its own.
pub async fn small_store() -> Arc<LibraryStore> {
    let source = demo::ProfileSource::built_in();
    let profile = demo::CityProfile::parse(&source.text).expect("profile");
    let mut library = profile.library.clone().expect("the demo city has a library");
    library.records = 300;
    library.marc.clear();
    let path = std::env::temp_dir().join(format!("onestop-it-small-library-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = LibraryStore::open(&format!("sqlite://{}", path.display())).await.expect("store");
    store.install(&app::library::demo::generate(&library, &[]).expect("generates")).await.expect("installs");
    store.install_patrons(&library, app::platform::time::beijing_today()).await.expect("demo readers");
    Arc::new(store)
}

/// A test app with [`small_library`].
pub async fn app_with_small_library(backend: Backend) -> TestApp {
    TestApp::with_library(backend, small_library().await).await
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
    // Classes drill down: the top classes; after I its subclasses with the path back up; after
    // I2 the next level. A malformed class is no filter at all.
    let q = "%E4%B8%AD%E5%9B%BD"; // 中国
    let link = |class: &str| format!("href=\"/library?q={q}&amp;class={class}\"");
    let top = body_text(app.get(&format!("/library?q={q}")).await).await;
    assert!(top.contains(&link("I")) && top.contains("I 文学") && !top.contains("全部分类"), "{top}");
    let literature = body_text(app.get(&format!("/library?q={q}&class=I")).await).await;
    for expected in [
        link("I2"),
        "I2 中国文学".into(),
        "全部分类".into(),
        format!("href=\"/library?q={q}\""),
        "仅分到 I 的图书".into(),
    ] {
        assert!(literature.contains(&expected), "{expected}: {literature}");
    }
    let chinese = body_text(app.get(&format!("/library?q={q}&class=I2")).await).await;
    for expected in [link("I"), link("I24"), "I24 小说".into(), "取消筛选：I2 中国文学".into()] {
        assert!(chinese.contains(&expected), "{expected}: {chinese}");
    }
    assert!(!chinese.contains("仅分到 I2 的图书"), "no record is classed at I2 itself");
    for bad in ["I2.4", "i2", "IA", "%3Cb%3EI%3C%2Fb%3E"] {
        let page = body_text(app.get(&format!("/library?q={q}&class={bad}")).await).await;
        assert!(!page.contains("取消筛选") && page.contains(&link("I")) && !page.contains("全部分类"), "{bad}: {page}");
    }
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

/// Where the city configured map tiles, the record page draws the branches holding copies on
/// a map, each marker numbered as its branch's section and leading to it; without tiles the
/// sections are the same, unnumbered, with no map.
#[tokio::test]
async fn a_record_shows_its_branches_on_the_map_only_with_tiles() {
    let library = demo_library().await;
    let plain = TestApp::with_library(Backend::Sqlite, library.clone()).await;
    let html = body_text(plain.get("/library/records/loc-00434132").await).await;
    assert!(!html.contains("<figure class=\"map\"") && !html.contains("class=\"map-number\""), "no tiles, no map");
    let sections = html.matches("<section id=\"branch-").count();
    assert!(sections >= 1, "copies in at least one branch: {html}");

    let config = crate::support::test_config(&[
        ("ONESTOP_MAP_TILES", "https://tiles.example.org/osm/{z}/{x}/{y}.png"),
        ("ONESTOP_MAP_ATTRIBUTION", "© OpenStreetMap contributors"),
    ]);
    let app = TestApp::with_library_and_config(Backend::Sqlite, config, library).await;
    let html = body_text(app.get("/library/records/loc-00434132").await).await;
    let map = &html[html.find("<figure class=\"map\"").expect("a map")..];
    let map = &map[..map.find("</figure>").expect("end of the map")];
    assert_eq!(map.matches("class=\"map__marker\"").count(), sections, "one marker per branch with copies");
    assert_eq!(html.matches("class=\"map-number\"").count(), sections, "sections carry their marker's number");
    let mut at = 0;
    while let Some(found) = map[at..].find("href=\"#branch-") {
        let start = at + found + "href=\"#".len();
        let id = &map[start..start + map[start..].find('"').expect("end of href")];
        assert!(html.contains(&format!("id=\"{id}\"")), "the marker {id} leads to its section");
        at = start;
    }
    assert!(at > 0, "markers link to sections: {map}");
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
    const LIBRARY_TABLES: [&str; 7] = [
        "library_meta",
        "library_branches",
        "bib_records",
        "bib_items",
        "library_patrons",
        "library_loans",
        "library_holds",
    ];
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let shape = app::platform::testing::fresh_db(backend).await.schema_shape().await.expect("shape");
        for (table, _, _) in &shape {
            assert!(!LIBRARY_TABLES.contains(&table.as_str()), "{backend:?} portal schema has library table {table}");
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let allowed = root.join("app/src/library/store");
    let mut files = crate::support::rust_files(&root.join("app/src"));
    files.extend(crate::support::rust_files(&root.join("server/src")));
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

/// The demo readers of the built-in profile: (name, ID number, card, PIN).
pub const LIBRARY_READERS: [(&str, &str, &str, &str); 2] = [
    ("张伟", "620102198803128172", "6201000000017", "314159"),
    ("李娜", "620105197901253860", "6201000000025", "271828"),
];

mod cards {
    use super::{demo_library, LIBRARY_READERS};
    use crate::applications::{location, verified_citizen};
    use crate::support::{body_text, TestApp};
    use app::library::contract::*;
    use app::library::LibraryProvider;
    use app::platform::Backend;

    /// The text of a problem message with this id.
    fn problem(html: &str, id: &str) -> String {
        let marker = format!("id=\"{id}\">");
        let at = html.find(&marker).unwrap_or_else(|| panic!("no {id} in {html}"));
        let rest = &html[at + marker.len()..];
        rest[..rest.find("</p>").expect("end")].to_owned()
    }

    async fn audited(app: &TestApp, operation: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM data_access_log WHERE consumer = 'library.card' AND operation = $1 AND outcome = 'ok'",
        )
        .bind(operation)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
    }

    /// A record with a copy on the shelf, and that copy.
    async fn copy_on_shelf(app: &TestApp) -> Item {
        let provider = app.ctx.library.provider().expect("a library");
        for n in 1..200 {
            let items = provider
                .holdings(&HoldingsRequest { record_ids: vec![format!("gen-{n:06}")] })
                .await
                .expect("holdings");
            if let Some(item) = items.into_iter().find(|i| i.status == ItemStatus::OnShelf) {
                return item;
            }
        }
        panic!("no copy on the shelf")
    }

    async fn binds_renews_and_reserves(backend: Backend) {
        let app = TestApp::with_library(backend, demo_library().await).await;
        let (name, id, card, pin) = LIBRARY_READERS[0];
        assert_eq!(app.get("/library/my").await.status(), 401, "anonymous visitors are asked to sign in");
        let english = body_text(app.get_with_cookie("/library/my", "onestop_lang=en").await).await;
        assert!(english.contains("Sign in to bind your library card"), "English page");
        let mut b = verified_citizen(&app, name, id, "library.reader@example.cn").await;
        let html = body_text(b.get("/library/my").await).await;
        assert!(html.contains("action=\"/library/my/bind\""), "{html}");

        // Empty fields: 400, each named at its field, with the summary.
        let res = b.post("/library/my/bind", &[("card_no", ""), ("pin", "")]).await;
        assert_eq!(res.status(), 400);
        let html = body_text(res).await;
        assert!(html.contains("请填写读者证号") && html.contains("请填写读者证密码") && html.contains("error-summary"));
        let res = b.post("/library/my/bind", &[("card_no", "12ab"), ("pin", "1")]).await;
        assert_eq!(res.status(), 400);
        assert!(body_text(res).await.contains("读者证号是 6 到 20 位数字"));

        // A wrong PIN and an unknown card get the same answer; the card typed is kept, the PIN never.
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", "864209")]).await;
        assert_eq!(res.status(), 422);
        let wrong = body_text(res).await;
        assert!(wrong.contains(&format!("value=\"{card}\"")) && !wrong.contains("864209"), "{wrong}");
        let res = b.post("/library/my/bind", &[("card_no", "6201999999999"), ("pin", pin)]).await;
        assert_eq!(res.status(), 422);
        let unknown = body_text(res).await;
        assert_eq!(problem(&wrong, "library-bind-problem"), problem(&unknown, "library-bind-problem"));
        assert!(problem(&unknown, "library-bind-problem").contains("读者证号或密码不正确"));
        assert_eq!(audited(&app, "verify_patron").await, 2, "every check went through the audited gateway");

        // The record page offers binding, keeping the way back.
        let item = copy_on_shelf(&app).await;
        let record = format!("/library/records/{}", item.record_id);
        let html = body_text(b.get(&record).await).await;
        let bind_link = format!("/library/my?next=%2Flibrary%2Frecords%2F{}", item.record_id);
        assert!(html.contains(&bind_link) && !html.contains("/reserve\""), "{html}");
        let html = body_text(b.get(&bind_link).await).await;
        assert!(html.contains(&format!("name=\"next\" value=\"{record}\"")), "{html}");
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", pin), ("next", &record)]).await;
        assert_eq!(location(&res), record, "back to the record");
        assert_eq!(audited(&app, "verify_patron").await, 3);

        // My library: four loans, each case shown.
        let res = b.get("/library/my").await;
        assert_eq!(res.status(), 200);
        let html = body_text(res).await;
        for text in [card, "在借图书", "有其他读者预约", "已逾期", "每本书最多续借 2 次", "解除绑定读者证"]
        {
            assert!(html.contains(text), "{text} missing: {html}");
        }
        let account = app.ctx.library.provider().expect("library").patron(card).await.expect("account");
        assert_eq!(account.loans.len(), 4);
        for loan in &account.loans {
            assert!(html.contains(&format!("action=\"/library/my/loans/{}/renew\"", loan.barcode)));
        }
        let find =
            |f: &dyn Fn(&Loan) -> bool| account.loans.iter().find(|l| f(l)).expect("such a loan").barcode.clone();
        let limit = find(&|l| l.renewals == 2);
        let reserved = find(&|l| l.reserved_by_another);
        let overdue = find(&|l| l.due_date < account.today);
        let fine = find(&|l| l.renewals == 0 && !l.reserved_by_another && l.due_date >= account.today);
        for (barcode, message) in
            [(&limit, "已达到续借次数上限"), (&reserved, "有其他读者在等"), (&overdue, "已逾期，不能续借")]
        {
            let res = b.post(&format!("/library/my/loans/{barcode}/renew"), &[("barcode", barcode)]).await;
            assert_eq!(res.status(), 422, "{message}");
            let html = body_text(res).await;
            assert!(html.contains(message) && html.contains(&format!("id=\"loan-{barcode}-error\"")), "{html}");
            assert!(html.contains("error-summary") && html.contains(&format!("href=\"#loan-{barcode}\"")));
        }

        // Another citizen cannot act on my card: without a card, and with their own.
        let (other_name, other_id, other_card, other_pin) = LIBRARY_READERS[1];
        let mut other = verified_citizen(&app, other_name, other_id, "library.other@example.cn").await;
        let renew_mine = format!("/library/my/loans/{fine}/renew");
        assert_eq!(other.post(&renew_mine, &[("barcode", &fine)]).await.status(), 404);
        let res = other.post("/library/my/bind", &[("card_no", other_card), ("pin", other_pin)]).await;
        assert_eq!(location(&res), "/library/my?notice=bound");
        assert_eq!(other.post(&renew_mine, &[("barcode", &fine)]).await.status(), 404);
        let res = b.post(&renew_mine, &[("barcode", &fine)]).await;
        assert_eq!(location(&res), "/library/my?notice=renewed");
        let account = app.ctx.library.provider().expect("library").patron(card).await.expect("account");
        assert_eq!(
            account.loans.iter().find(|l| l.barcode == fine).map(|l| l.renewals),
            Some(1),
            "renewed once, by me"
        );
        assert_eq!(
            audited(&app, "renew").await,
            5,
            "three refusals, the other reader's attempt on their card, one renewal"
        );

        // Reserving from the record page: the copy becomes on hold, and is not reserved twice.
        let html = body_text(b.get(&record).await).await;
        assert!(html.contains(&format!("action=\"{record}/reserve\"")), "{html}");
        let form = [("barcode", item.barcode.as_str()), ("pickup_branch", "anning")];
        let res = b.post(&format!("{record}/reserve"), &form).await;
        assert_eq!(location(&res), "/library/my?notice=reserved");
        let html = body_text(b.get("/library/my?notice=reserved").await).await;
        assert!(html.contains("预约成功") && html.contains(&format!("id=\"library-hold-{}\"", item.barcode)));
        assert!(html.contains("安宁区分馆"), "the pick-up branch");
        assert!(body_text(app.get(&record).await).await.contains("已被预约，保留待取"));
        let res = other.post(&format!("{record}/reserve"), &form).await;
        assert_eq!(res.status(), 409);
        let html = body_text(res).await;
        assert!(problem(&html, "library-reserve-problem").contains("刚被借出或已被预约"));
        assert_eq!(audited(&app, "reserve").await, 2);
        assert!(audited(&app, "patron").await >= 2);

        // Unbinding: the bind form again; mine only.
        let res = b.post("/library/my/unbind", &[]).await;
        assert_eq!(location(&res), "/library/my?notice=unbound");
        assert!(body_text(b.get("/library/my").await).await.contains("action=\"/library/my/bind\""));
        assert_eq!(b.post(&renew_mine, &[("barcode", &fine)]).await.status(), 404);
        assert!(body_text(other.get("/library/my").await).await.contains(other_card), "theirs stays bound");
    }

    #[tokio::test]
    async fn a_citizen_binds_a_card_renews_and_reserves_sqlite() {
        binds_renews_and_reserves(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn a_citizen_binds_a_card_renews_and_reserves_postgres() {
        binds_renews_and_reserves(Backend::Postgres).await;
    }

    async fn pin_attempts_are_limited(backend: Backend) {
        let app = TestApp::with_library(backend, demo_library().await).await;
        let (name, id, card, pin) = LIBRARY_READERS[0];
        let mut b = verified_citizen(&app, name, id, "library.guess@example.cn").await;
        for _ in 0..app::library::server::patron::BIND_ATTEMPTS_PER_CARD {
            assert_eq!(b.post("/library/my/bind", &[("card_no", card), ("pin", "999999")]).await.status(), 422);
        }
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", pin)]).await;
        assert_eq!(res.status(), 429, "even the right PIN once over the limit");
        assert!(body_text(res).await.contains("尝试次数过多"));
        // The card is locked for everyone, and the citizen for every card.
        let (other_name, other_id, other_card, other_pin) = LIBRARY_READERS[1];
        let mut other = verified_citizen(&app, other_name, other_id, "library.other.guess@example.cn").await;
        assert_eq!(other.post("/library/my/bind", &[("card_no", card), ("pin", pin)]).await.status(), 429);
        assert_eq!(b.post("/library/my/bind", &[("card_no", other_card), ("pin", other_pin)]).await.status(), 429);
        let res = other.post("/library/my/bind", &[("card_no", other_card), ("pin", other_pin)]).await;
        assert_eq!(location(&res), "/library/my?notice=bound", "a fresh card and citizen are not affected");
    }

    #[tokio::test]
    async fn pin_attempts_are_limited_per_card_and_per_citizen_sqlite() {
        pin_attempts_are_limited(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn pin_attempts_are_limited_per_card_and_per_citizen_postgres() {
        pin_attempts_are_limited(Backend::Postgres).await;
    }

    #[tokio::test]
    async fn unverified_citizens_are_asked_to_verify_first() {
        let app = TestApp::with_library(Backend::Sqlite, demo_library().await).await;
        let mut b = crate::accounts::Browser::new(&app);
        b.register("张伟", LIBRARY_READERS[0].1, "library.unverified@example.cn").await;
        assert!(body_text(b.get("/library/my").await).await.contains("绑定读者证需要先完成实名认证"));
        let res = b.post("/library/my/bind", &[("card_no", LIBRARY_READERS[0].2), ("pin", LIBRARY_READERS[0].3)]).await;
        assert_eq!(res.status(), 403);
    }
}

/// The demo library behind its signed-HTTP endpoint on loopback, as the portal calls the
/// library's interface.
mod over_http {
    use super::{small_store, LIBRARY_READERS};
    use crate::applications::{location, verified_citizen};
    use crate::gas::over_http::{key, quick, send_to, serve};
    use crate::support::{body_text, TestApp};
    use app::library::contract::*;
    use app::library::http_client::{HttpProvider, PROTOCOL};
    use app::library::server::Library;
    use app::library::{LibraryProvider, Provider};
    use app::platform::exchange::wire::{self, SigningKey};
    use app::platform::Backend;
    use axum::response::IntoResponse;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    /// `store` behind its endpoint and an HTTP provider calling it; while `down` is set the
    /// exchange gateway answers 502, as it does when the library's system is down.
    fn behind_endpoint(store: Provider, down: Arc<AtomicBool>) -> Provider {
        let gateway = axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
            let down = down.clone();
            async move {
                if down.load(Ordering::SeqCst) {
                    axum::http::StatusCode::BAD_GATEWAY.into_response()
                } else {
                    next.run(req).await
                }
            }
        });
        let url = serve(app::library::http_service::router(store, key()).layer(gateway));
        Provider::Http(Arc::new(HttpProvider::new(quick(&url))))
    }

    async fn answers_as_in_process(backend: Backend) {
        let local = Provider::InProcess(small_store().await);
        let remote = behind_endpoint(local.clone(), Arc::default());
        // The index is built from the changes read over HTTP.
        let library = Library::new(remote.clone(), None);
        assert_eq!(library.update(&mut |_, _| {}).await.expect("indexes over HTTP"), 300);
        assert_eq!(remote.branches().await, local.branches().await);
        assert_eq!(remote.record("gen-000007").await, local.record("gen-000007").await);
        assert_eq!(remote.record("gen-999999").await, Err(ProviderError::NotFound));
        let ids = HoldingsRequest { record_ids: (1..=20).map(|n| format!("gen-{n:06}")).collect() };
        assert_eq!(remote.holdings(&ids).await, local.holdings(&ids).await);
        let (name, id, card, pin) = LIBRARY_READERS[0];
        assert_eq!(remote.patron(card).await, local.patron(card).await);

        let app = TestApp::with_library(backend, library).await;
        let res = app.get("/library?q=%E5%B0%8F%E8%AF%B4").await;
        assert_eq!(res.status(), 200);
        assert!(body_text(res).await.contains("href=\"/library/records/gen-"), "search results over HTTP");
        let mut b = verified_citizen(&app, name, id, "library.http@example.cn").await;
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", "864209")]).await;
        assert_eq!(res.status(), 422, "a wrong PIN is a definite no over HTTP too");
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", pin)]).await;
        assert_eq!(location(&res), "/library/my?notice=bound");
        let account = local.patron(card).await.expect("account");
        let html = body_text(b.get("/library/my").await).await;
        for loan in &account.loans {
            assert!(html.contains(&format!("id=\"library-loan-{}\"", loan.barcode)), "{html}");
        }
        let limit = account.loans.iter().find(|l| l.renewals == 2).expect("renewed to the limit");
        let res = b.post(&format!("/library/my/loans/{}/renew", limit.barcode), &[("barcode", &limit.barcode)]).await;
        assert_eq!(res.status(), 422, "a refusal is the library's answer, not a failure");
        assert!(body_text(res).await.contains("已达到续借次数上限"));
        let fine = account
            .loans
            .iter()
            .find(|l| l.renewals == 0 && !l.reserved_by_another && l.due_date >= account.today)
            .expect("a renewable loan");
        let res = b.post(&format!("/library/my/loans/{}/renew", fine.barcode), &[("barcode", &fine.barcode)]).await;
        assert_eq!(location(&res), "/library/my?notice=renewed");
        let renewed = local.patron(card).await.expect("account");
        assert_eq!(renewed.loans.iter().find(|l| l.barcode == fine.barcode).map(|l| l.renewals), Some(1));

        let copy = local.holdings(&ids).await.expect("holdings").into_iter().find(|i| i.status == ItemStatus::OnShelf);
        let copy = copy.expect("a copy on the shelf");
        let form = [("barcode", copy.barcode.as_str()), ("pickup_branch", copy.branch.as_str())];
        let res = b.post(&format!("/library/records/{}/reserve", copy.record_id), &form).await;
        assert_eq!(location(&res), "/library/my?notice=reserved");
        let res = b.post(&format!("/library/records/{}/reserve", copy.record_id), &form).await;
        assert_eq!(res.status(), 409, "the same copy is not reserved twice");
        assert!(local.patron(card).await.expect("account").holds.iter().any(|h| h.barcode == copy.barcode));
    }

    #[tokio::test]
    async fn the_library_answers_over_http_as_in_process_sqlite() {
        answers_as_in_process(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn the_library_answers_over_http_as_in_process_postgres() {
        answers_as_in_process(Backend::Postgres).await;
    }

    #[tokio::test]
    async fn the_endpoint_refuses_unsigned_tampered_and_replayed_requests() {
        let url = serve(app::library::http_service::router(Provider::InProcess(small_store().await), key()));
        let (_, _, card, pin) = LIBRARY_READERS[0];
        let honest = serde_json::to_vec(&PatronCheck { card_no: card.into(), pin: "864209".into() }).expect("json");
        let tampered = serde_json::to_vec(&PatronCheck { card_no: card.into(), pin: pin.into() }).expect("json");
        let send = |signed: &'static [u8], body: &'static [u8], nonce: String, sign: bool| {
            let url = url.clone();
            async move { send_to(&PROTOCOL, &url, "verify-patron", signed, body, &nonce, sign).await }
        };
        let (honest, tampered): (&'static [u8], &'static [u8]) = (honest.leak(), tampered.leak());
        assert_eq!(send(honest, honest, wire::new_nonce(), false).await, 401, "unsigned");
        assert_eq!(send(honest, tampered, wire::new_nonce(), true).await, 401, "tampered");
        let nonce = wire::new_nonce();
        assert_eq!(send(honest, honest, nonce.clone(), true).await, 200);
        assert_eq!(send(honest, honest, nonce, true).await, 401, "replayed");

        // A portal holding another secret is refused, and cannot read the refusal as an answer.
        let wrong = SigningKey::new("portal", &[0x48; 32]).expect("key");
        let provider = HttpProvider::new(app::library::http_client::HttpProviderConfig::new(&url, wrong));
        assert!(matches!(provider.branches().await, Err(ProviderError::InvalidResponse(_))));
    }

    #[tokio::test]
    async fn a_library_that_is_down_gets_the_unreachable_page_not_an_error() {
        let down = Arc::new(AtomicBool::new(false));
        let remote = behind_endpoint(Provider::InProcess(small_store().await), down.clone());
        let library = Library::new(remote, None);
        library.update(&mut |_, _| {}).await.expect("indexes");
        let app = TestApp::with_library(Backend::Sqlite, library).await;
        let (name, id, card, pin) = LIBRARY_READERS[0];
        let mut b = verified_citizen(&app, name, id, "library.down@example.cn").await;
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", pin)]).await;
        assert_eq!(location(&res), "/library/my?notice=bound");

        down.store(true, Ordering::SeqCst);
        let res = b.get("/library/my").await;
        assert_eq!(res.status(), 503);
        assert!(body_text(res).await.contains("图书馆系统暂时无法访问"));
        let res = b.post("/library/my/unbind", &[]).await;
        assert_eq!(location(&res), "/library/my?notice=unbound", "unbinding is the portal's own");
        let res = b.post("/library/my/bind", &[("card_no", card), ("pin", pin)]).await;
        assert_eq!(res.status(), 503);
        let html = body_text(res).await;
        assert!(html.contains("图书馆系统暂时无法访问") && html.contains(&format!("value=\"{card}\"")), "input kept");
        let outcomes: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT outcome FROM data_access_log WHERE consumer = 'library.card' AND outcome <> 'ok'",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert!(
            !outcomes.is_empty() && outcomes.iter().all(|o| o == "unavailable" || o == "circuit_open"),
            "{outcomes:?}"
        );
    }
}
