use crate::on_both_backends;
use crate::support::{body_text, form_post, same_origin_form_post, test_config, TestApp};
use app::platform::Backend;
use axum::body::Body;

fn set_cookie_headers(res: &axum::http::Response<Body>) -> Vec<String> {
    res.headers().get_all("set-cookie").iter().map(|v| v.to_str().expect("ascii").to_owned()).collect()
}

on_both_backends!(plain_form_language_switch_sets_a_cookie_and_returns_to_the_page, |app| {
    let res =
        app.send(same_origin_form_post("/api/preferences/language", "locale=en&return_to=%2Fsearch%3Fq%3Dx")).await;
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/search?q=x");
    let cookies = set_cookie_headers(&res);
    assert_eq!(cookies.len(), 1);
    let cookie = &cookies[0];
    assert!(cookie.starts_with("onestop_lang=en;"), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));
    assert!(!cookie.contains("Secure"), "plain-HTTP local config");
});

#[tokio::test]
async fn cookies_are_secure_when_served_over_https() {
    let config = test_config(&[("ONESTOP_PUBLIC_ORIGIN", "https://zwfw.example.gov.cn")]);
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let req = form_post(
        "/api/preferences/display-mode",
        "elder=true&return_to=%2F",
        &[("accept", "text/html"), ("sec-fetch-site", "same-origin")],
    );
    let res = app.send(req).await;
    assert_eq!(res.status(), 302);
    let cookie = &set_cookie_headers(&res)[0];
    assert!(cookie.starts_with("onestop_elder=1;") && cookie.contains("; Secure"), "{cookie}");
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}

on_both_backends!(switches_never_redirect_off_site, |app| {
    let targets = [
        "%2F%2Fevil.example%2F",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "%2F%09%2Fevil.example",
        "%2F%0D%0A%2Fevil.example",
        "%2F%2509%2Fevil.example",
        "%2F%252F%2Fevil.example",
        "javascript%3Aalert(1)",
    ];
    for target in targets {
        let res = app
            .send(same_origin_form_post("/api/preferences/language", &format!("locale=en&return_to={target}")))
            .await;
        // Control characters stop at the input boundary (400, no redirect at all); anything else
        // that is not a path on this site falls back to the home page.
        match res.status().as_u16() {
            400 => assert!(target.contains("%09") || target.contains("%0D"), "{target}"),
            _ => assert_eq!(res.headers()["location"], "/", "{target}"),
        }
        assert!(res.headers().get("location").is_none_or(|l| l == "/"), "{target}");
    }
});

on_both_backends!(island_calls_get_no_redirect, |app| {
    let req = form_post(
        "/api/preferences/display-mode",
        "elder=true&return_to=",
        &[("accept", "application/json"), ("sec-fetch-site", "same-origin")],
    );
    let res = app.send(req).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("location").is_none());
    assert!(set_cookie_headers(&res)[0].starts_with("onestop_elder=1;"));
});

on_both_backends!(malformed_arguments_are_a_400_not_a_500, |app| {
    let req = form_post(
        "/api/preferences/display-mode",
        "elder=perhaps&return_to=%2F",
        &[("accept", "application/json"), ("sec-fetch-site", "same-origin")],
    );
    let res = app.send(req).await;
    assert_eq!(res.status(), 400);
    assert!(set_cookie_headers(&res).is_empty());
    assert!(body_text(res).await.contains("BadRequest"));
});

on_both_backends!(unknown_language_is_refused_without_internals, |app| {
    let req = form_post(
        "/api/preferences/language",
        "locale=xx&return_to=%2F",
        &[("accept", "application/json"), ("sec-fetch-site", "same-origin")],
    );
    let res = app.send(req).await;
    assert_eq!(res.status(), 400);
    assert!(set_cookie_headers(&res).is_empty());
    let body = body_text(res).await;
    assert!(body.contains("unknown_locale"), "{body}");
    assert!(!body.contains(".rs") && !body.contains("panicked"), "{body}");
});
