use crate::on_both_backends;
use crate::support::{body_text, form_post, same_origin_form_post, test_config, TestApp, ORIGIN};
use app::platform::Backend;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::Router;
use onestop_server::http::{with_platform_layers, SecurityPolicy};
use onestop_server::telemetry::Metrics;
use std::sync::Arc;
use tower::ServiceExt;

fn csp_nonce(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("nonce in CSP") + "'nonce-".len();
    csp[start..].split('\'').next().expect("nonce end").to_owned()
}

on_both_backends!(html_pages_carry_a_fresh_nonce_csp_and_the_security_headers, |app| {
    let mut nonces = Vec::new();
    for path in ["/", "/departments", "/no-such-page"] {
        let res = app.get(path).await;
        let h = res.headers().clone();
        let csp = h["content-security-policy"].to_str().expect("ascii").to_owned();
        for directive in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {directive} missing from {csp}");
        }
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).expect("script-src");
        assert!(!script_src.contains("unsafe-inline") && !script_src.contains("'unsafe-eval'"), "{script_src}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin");
        assert!(h["permissions-policy"].to_str().expect("ascii").contains("camera=()"));
        assert!(h.get("strict-transport-security").is_none(), "no HSTS over plain HTTP");
        assert!(h.get("x-request-id").is_some());
        let nonce = csp_nonce(&csp);
        let html = body_text(res).await;
        assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{path}: the hydration script carries the CSP nonce");
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "every response gets its own nonce");
});

// Every page route, not a sample: a page added to any feature's part of the route table is
// covered without being listed here. Parameters get a value no object has, so pages answer as
// they do to a stranger (sign-in redirect, 404), and every answer must carry the headers.
on_both_backends!(every_page_route_renders_async_and_answers_with_the_csp_and_security_headers, |app| {
    let routes = leptos_axum::generate_route_list(app::app::App);
    assert!(routes.len() >= 60, "only {} page routes found", routes.len());
    for route in &routes {
        assert_eq!(*route.mode(), leptos_router::SsrMode::Async, "{} must render whole (SsrMode::Async)", route.path());
        let path = route
            .path()
            .split('/')
            .map(|segment| if segment.starts_with([':', '{', '*']) { "none-such" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        let res = app.get(&path).await;
        let status = res.status().as_u16();
        // 503 is a partner system this test app has none of (the bus company's timetable).
        assert!(status < 500 || status == 503, "GET {path} answered {status}");
        let h = res.headers().clone();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        let csp = h["content-security-policy"].to_str().expect("ascii").to_owned();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'"), "{path}: {csp}");
        if status == 200 {
            assert!(csp.contains("default-src 'self'") && csp.contains("'nonce-"), "{path}: {csp}");
            let nonce = csp_nonce(&csp);
            let html = body_text(res).await;
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{path}: the page's scripts carry its CSP nonce");
        }
    }
});

on_both_backends!(non_html_responses_get_a_deny_all_csp_and_nosniff, |app| {
    let res = app.get("/healthz").await;
    assert_eq!(
        res.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
});

on_both_backends!(cross_origin_state_changes_are_refused_and_change_nothing, |app| {
    let body = "locale=en&return_to=%2F";
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("cross-site fetch metadata", vec![("sec-fetch-site", "cross-site")]),
        ("same-site but cross-origin", vec![("sec-fetch-site", "same-site"), ("origin", "http://127.0.0.1:9999")]),
        ("foreign Origin without fetch metadata", vec![("origin", "https://evil.example")]),
        ("no provenance at all", vec![]),
        ("user-typed navigation", vec![("sec-fetch-site", "none")]),
    ];
    for (what, headers) in attempts {
        let headers: Vec<_> = [("accept", "text/html")].into_iter().chain(headers).collect();
        let res = app.send(form_post("/api/preferences/language", body, &headers)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{what}");
        assert!(res.headers().get("set-cookie").is_none(), "{what}: the server function must not run");
        assert!(body_text(res).await.contains("请求被拒绝"), "{what}");
    }
    // The same post from our own origin, without fetch metadata (older browsers), is accepted.
    let res =
        app.send(form_post("/api/preferences/language", body, &[("accept", "text/html"), ("origin", ORIGIN)])).await;
    assert_eq!(res.status(), StatusCode::FOUND);
});

on_both_backends!(cors_preflight_from_a_foreign_origin_is_not_granted, |app| {
    let req = Request::options("/api/preferences/language")
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .body(Body::empty())
        .expect("request");
    let res = app.send(req).await;
    assert!(res.headers().get("access-control-allow-origin").is_none());
});

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let config = test_config(&[("ONESTOP_BODY_LIMIT_BYTES", "2048")]);
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let big = format!("locale=en&return_to=%2F{}", "a".repeat(4096));
    let mut req = same_origin_form_post("/api/preferences/language", &big);
    req.headers_mut().insert("content-length", big.len().into());
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.headers().get("set-cookie").is_none());
    let small = app.send(same_origin_form_post("/api/preferences/language", "locale=en&return_to=%2F")).await;
    assert_eq!(small.status(), StatusCode::FOUND, "a body under the limit still works");
}

/// Sends `body` to `path` over a real HTTP/1.1 connection in chunks, without Content-Length,
/// as a same-origin form post; returns the status code.
async fn post_chunked(addr: std::net::SocketAddr, path: &str, body: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: text/html\r\nSec-Fetch-Site: same-origin\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let mut request = head.into_bytes();
    for chunk in body.chunks(500) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(&request).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let status_line = String::from_utf8_lossy(&response).lines().next().unwrap_or_default().to_owned();
    status_line.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or_else(|| panic!("{status_line:?}"))
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_gets_413_too() {
    let config = test_config(&[("ONESTOP_BODY_LIMIT_BYTES", "2048")]);
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await
    });
    let big = format!("locale=en&return_to=%2F{}", "a".repeat(4096));
    // A form post, a server function, and a path that takes no body at all.
    for path in ["/login", "/api/preferences/language", "/no-such-page"] {
        assert_eq!(post_chunked(addr, path, big.as_bytes()).await, 413, "{path}");
    }
    let small = post_chunked(addr, "/api/preferences/language", b"locale=en&return_to=%2F").await;
    assert_eq!(small, 302, "a chunked body under the limit still works");
}

on_both_backends!(server_functions_send_plain_form_posts_back_only_to_pages_of_this_site, |app| {
    let location = |referer: &'static str| {
        let app = &app;
        async move {
            let req = Request::get("/api/departments/list")
                .header("accept", "text/html")
                .header("referer", referer)
                .body(Body::empty())
                .expect("request");
            let res = app.send(req).await;
            res.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned)
        }
    };
    assert_eq!(location("http://127.0.0.1:3000/departments?x=1").await.as_deref(), Some("/departments?x=1"));
    // A link from another site: the Referer is theirs, the redirect stays here.
    assert_eq!(location("https://evil.example/page").await.as_deref(), Some("/"));
    assert_eq!(location("http://127.0.0.1:3000.evil.example/").await.as_deref(), Some("/"));
});

on_both_backends!(trace_is_not_allowed_and_dotfiles_are_not_served, |app| {
    let res = app.send(Request::builder().method("TRACE").uri("/").body(Body::empty()).expect("request")).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(app.get("/.git/HEAD").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/pkg/../Cargo.toml").await.status(), StatusCode::NOT_FOUND);
});

#[tokio::test]
async fn a_panic_becomes_a_generic_500_page() {
    let config = test_config(&[]);
    let options = onestop_server::http::leptos_options(&config);
    let policy = Arc::new(SecurityPolicy::new(&config, &options));
    let router = Router::new().route(
        "/boom",
        get(|| async {
            let secret_path = "/srv/onestop/app/src/secret.rs";
            panic!("database password is hunter2 at {secret_path}");
            #[allow(unreachable_code)]
            ""
        }),
    );
    let router = with_platform_layers(router, &config, policy, Arc::new(Metrics::default()));
    let res = router.oneshot(Request::get("/boom").body(Body::empty()).expect("request")).await.expect("response");
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.headers()["content-type"], "text/html; charset=utf-8");
    let html = body_text(res).await;
    assert!(html.contains("服务暂时不可用"));
    for leak in ["hunter2", "secret.rs", "/srv/", "panicked", "src/"] {
        assert!(!html.contains(leak), "500 page leaks {leak}");
    }
}

on_both_backends!(the_404_page_leaks_nothing, |app| {
    let html = body_text(app.get("/api/../../etc/passwd").await).await;
    for leak in ["root:", "panicked", ".rs:", "sqlx", "backtrace", "/src/"] {
        assert!(!html.to_lowercase().contains(leak), "404 page mentions {leak}");
    }
});
