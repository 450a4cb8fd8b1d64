use crate::on_both_backends;
use crate::support::body_text;

on_both_backends!(home_page_shows_the_city_and_its_departments_in_chinese_by_default, |app| {
    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let html = body_text(res).await;
    assert!(html.contains("<html lang=\"zh-CN\""), "default language is zh-CN");
    assert!(html.contains("兰州市一网通办"), "portal name from the site profile");
    assert!(html.contains("市民政局"), "departments come from the database");
    assert!(html.contains("href=\"#main\""), "skip link");
    assert!(html.contains("<title>首页 - 兰州市一网通办</title>"), "{html}");
});

on_both_backends!(english_and_elder_mode_come_from_cookies, |app| {
    let html = body_text(app.get_with_cookie("/", "onestop_lang=en; onestop_elder=1").await).await;
    assert!(html.contains("<html lang=\"en\" class=\"elder\""), "{}", &html[..300.min(html.len())]);
    assert!(html.contains("Lanzhou OneStop Government Services"));
    assert!(html.contains("Civil Affairs Bureau"));
    assert!(!html.contains("市民政局"), "no Chinese department names on the English page");
    assert!(html.contains("aria-pressed=\"true\""), "the elder switch shows its state");
});

on_both_backends!(departments_page_lists_every_department_in_a_table, |app| {
    let res = app.get("/departments").await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(html.contains("<caption>办事部门一览</caption>"));
    assert_eq!(html.matches("<th scope=\"row\"").count(), 11, "all eleven demo departments");
});

on_both_backends!(search_finds_departments_by_duty, |app| {
    let html = body_text(app.get("/search?q=%E5%A9%9A%E5%A7%BB").await).await; // 婚姻
    assert!(html.contains("href=\"/services?department=civil-affairs\""), "the department, leading to its services");
    assert!(html.contains("结婚登记预约"), "and the service about marriage");
    assert!(!html.contains("department=public-security\""), "{html}");
});

on_both_backends!(search_with_no_match_says_so, |app| {
    let res = app.get("/search?q=zzzz").await;
    assert_eq!(res.status(), 200);
    assert!(body_text(res).await.contains("没有找到与“zzzz”相关的结果"));
});

on_both_backends!(overlong_search_is_a_400_with_a_field_message_and_keeps_the_text, |app| {
    let long = "a".repeat(101);
    let res = app.get(&format!("/search?q={long}")).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("class=\"error-summary\""), "error summary");
    assert!(html.contains("id=\"search-q-error\""), "message next to the field");
    assert!(html.contains("搜索内容不能超过 100 个字"));
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains(&format!("value=\"{long}\"")), "typed text is kept");
});

on_both_backends!(unknown_pages_are_404_with_a_helpful_page, |app| {
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let html = body_text(res).await;
    assert!(html.contains("页面未找到"));
    assert!(html.contains("href=\"/search\""));
});

on_both_backends!(accessibility_statement_names_the_standard, |app| {
    let html = body_text(app.get_with_cookie("/accessibility", "onestop_lang=en").await).await;
    assert!(html.contains("GB/T 37668-2019"));
    assert!(html.contains("aria-current=\"page\""), "navigation marks the current page");
});

// The header's menu opens without JavaScript, and each page has exactly one search box: the
// home and search pages their own large one, every other page the header's.
on_both_backends!(the_header_menu_needs_no_script_and_each_page_has_one_search_box, |app| {
    for uri in ["/", "/search?q=%E5%A9%9A%E5%A7%BB", "/departments", "/services", "/accessibility"] {
        let html = body_text(app.get(uri).await).await;
        assert!(html.contains("<details class=\"site-menu\"><summary"), "{uri}: a <details> menu");
        assert_eq!(html.matches("role=\"search\"").count(), 1, "{uri}: one search box");
        assert_eq!(html.contains("id=\"site-search\""), !(uri == "/" || uri.starts_with("/search")), "{uri}");
        let sign_in = crate::support::header_account_link(&html);
        assert_eq!(sign_in, ("/login".to_owned(), "登录".to_owned()), "{uri}: sign in");
    }
});

// On phones each row of a wide table becomes a card in which every value carries its
// column's name: every cell names the column it sits in.
on_both_backends!(every_table_cell_carries_its_column_name_for_the_phone_layout, |app| {
    for uri in ["/departments", "/services/620100-GA-QR-0001"] {
        let html = body_text(app.get(uri).await).await;
        let headers: Vec<&str> = html
            .split("<th scope=\"col\" role=\"columnheader\">")
            .skip(1)
            .filter_map(|h| h.split('<').next())
            .collect();
        assert!(headers.len() >= 4, "{uri}: {headers:?}");
        let body = html.split("<tbody").nth(1).expect("a table body");
        let rows: Vec<&str> = body.split("</tbody>").next().unwrap_or_default().split("<tr").skip(1).collect();
        assert!(!rows.is_empty(), "{uri}");
        for row in rows {
            let labels: Vec<&str> = row.split("data-label=\"").skip(1).filter_map(|l| l.split('"').next()).collect();
            assert_eq!(labels, headers[1..], "{uri}: the row header, then one labelled cell per column");
        }
    }
});

// Lists in running text are joined as each language writes them.
on_both_backends!(lists_are_joined_per_language, |app| {
    let chinese = body_text(app.get("/services/620100-GA-QR-0001").await).await;
    assert!(chinese.contains("窗口办理、网上办理"));
    let english = body_text(app.get_with_cookie("/services/620100-GA-QR-0001", "onestop_lang=en").await).await;
    assert!(english.contains("At the counter, Online"), "not joined with 、 in English");
    assert!(!english.contains("At the counter、"));
});

/// The build writes brotli and gzip copies beside each built file; the server sends the one the
/// browser accepts as it is, typed as the original, and says that the answer varies by encoding.
#[tokio::test]
async fn built_files_are_sent_as_their_compressed_copies() {
    use axum::body::Body;
    use axum::http::Request;
    let site = std::env::temp_dir().join(format!("onestop-test-site-{}", std::process::id()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).expect("site dir");
    std::fs::write(pkg.join("onestop.wasm"), b"\0asm raw bytes").expect("wasm");
    std::fs::write(pkg.join("onestop.wasm.br"), b"brotli bytes").expect("br");
    std::fs::write(pkg.join("onestop.wasm.gz"), b"gzip bytes").expect("gz");
    let config = crate::support::test_config(&[("ONESTOP_SITE_ROOT", &site.display().to_string())]);
    let app = crate::support::TestApp::with_config(app::platform::Backend::Sqlite, config).await;
    let fetch = async |encoding: &str| {
        let req =
            Request::get("/pkg/onestop.wasm").header("accept-encoding", encoding).body(Body::empty()).expect("request");
        let res = app.send(req).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/wasm");
        assert!(res.headers()["vary"].to_str().expect("vary").to_ascii_lowercase().contains("accept-encoding"));
        let encoding = res.headers().get("content-encoding").map(|v| v.to_str().expect("encoding").to_owned());
        (encoding, body_text(res).await)
    };
    assert_eq!(fetch("gzip, deflate, br").await, (Some("br".to_owned()), "brotli bytes".to_owned()));
    assert_eq!(fetch("gzip").await, (Some("gzip".to_owned()), "gzip bytes".to_owned()));
    assert_eq!(fetch("identity").await, (None, "\0asm raw bytes".to_owned()));
    std::fs::remove_dir_all(&site).ok();
}

/// A release build names its three browser files after one hash (`.ci/build.sh`). The page's
/// head must name exactly those files, from the output name alone: leptos's head components used
/// to read the hash file beside the binary on every page (about fourteen file system calls).
#[tokio::test]
async fn pages_name_the_hashed_browser_files_without_reading_the_hash_file() {
    use onestop_server::config::AssetNames;
    let hash = "0123456789abcdef0123";
    assert_eq!(
        AssetNames::from_hash_file(&format!("js: {hash}\nwasm: {hash}\ncss: {hash}\n")),
        AssetNames::Hashed(hash.into())
    );
    let mut config = crate::support::test_config(&[]);
    config.asset_names = AssetNames::Hashed(hash.to_owned());
    let options = onestop_server::http::leptos_options(&config);
    assert!(!options.hash_files, "nothing left for leptos to read per page");
    let app = crate::support::TestApp::with_config(app::platform::Backend::Sqlite, config).await;
    let page = body_text(app.get("/").await).await;
    for file in
        [format!("/pkg/onestop.{hash}.css"), format!("/pkg/onestop.{hash}.js"), format!("/pkg/onestop.{hash}_bg.wasm")]
    {
        assert!(page.contains(&format!("\"{file}\"")), "{file} in the head");
    }
    let res = app.get(&format!("/pkg/onestop.{hash}.css")).await;
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
}

/// The heading levels of a page in order (`<h1` … `<h6`).
fn heading_levels(html: &str) -> Vec<u8> {
    html.match_indices("<h")
        .filter_map(|(i, _)| html.as_bytes().get(i + 2).copied())
        .filter(u8::is_ascii_digit)
        .map(|d| d - b'0')
        .collect()
}

// Screen-reader users move through a page by its headings: one h1, and no level skipped on
// the way down (the services list once went from its h1 straight to the cards' h3).
on_both_backends!(the_main_citizen_pages_have_one_h1_and_never_skip_a_heading_level, |app| {
    for path in [
        "/",
        "/services",
        "/services?department=civil-affairs",
        "/services/620100-MZ-JF-0001",
        "/search?q=%E6%88%B7%E5%8F%A3",
        "/departments",
        "/places?q=%E5%9F%8E%E5%85%B3",
        "/hospitals",
        "/library?q=%E4%B8%AD%E5%9B%BD",
        "/login",
        "/register",
        "/progress",
    ] {
        let html = body_text(app.get(path).await).await;
        let levels = heading_levels(&html);
        assert_eq!(levels.iter().filter(|l| **l == 1).count(), 1, "{path}: one h1 in {levels:?}");
        for pair in levels.windows(2) {
            assert!(pair[1] <= pair[0] + 1, "{path}: h{} follows h{} in {levels:?}", pair[1], pair[0]);
        }
    }
});

/// Pages render only on the server (islands mode). There leptos's `<Suspense>` runs the code of
/// its children three times per request, twice to look for resources and once to render: each
/// waiting part of a page was built over again and its lookups repeated (the guide copied the
/// whole item three times; an address field started its register lookup up to three times). Page
/// parts wait through `ui::when_ready`, which runs them once, each under an owner of its own (two
/// bare `Suspend`s waiting under one owner cancel each other). Islands, which render again in the
/// browser, may still use `<Suspense>`.
#[test]
fn page_parts_wait_for_their_data_through_when_ready() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src");
    let helper = root.join("ui/when_ready.rs");
    let offenders: Vec<_> = crate::support::rust_files(&root)
        .into_iter()
        .filter(|file| *file != helper)
        .filter(|file| {
            let text = std::fs::read_to_string(file).expect("read source");
            (text.contains("<Suspense") && !text.contains("#[island")) || text.contains("Suspend::new")
        })
        .collect();
    assert!(offenders.is_empty(), "page parts waiting outside ui::when_ready: {offenders:?}");
}
