//! Authorization over every server function: each is a public HTTP endpoint, so each must refuse
//! callers it does not serve. The public list is documented in ARCHITECTURE.md.

use crate::on_both_backends;
use crate::support::{same_origin_form_post, zhang_wei_registration};
use axum::body::Body;
use axum::http::{Method, Request};
use leptos::server_fn::axum::server_fn_paths;

/// Server functions anyone may call: display preferences, published data, staff set-up
/// (authorised by its one-time token, not by a session) and the verification of an issued
/// document (by its signed reference), the hospitals' public pages, the library catalogue and the bus
/// pages (no personal data; a signed-in citizen's own favourites come from the session).
const PUBLIC: [&str; 23] = [
    "/api/preferences/language",
    "/api/preferences/display-mode",
    "/api/departments/list",
    "/api/departments/search",
    "/api/statistics/indicators",
    "/api/open-data/resources",
    "/api/places/search",
    "/api/library/search",
    "/api/library/record",
    "/api/services/overview",
    "/api/services/list",
    "/api/services/guide",
    "/api/services/apply-intro",
    "/api/services/search",
    "/api/staff/enrolment",
    "/api/documents/verify",
    "/api/hospitals/list",
    "/api/hospitals/hospital",
    "/api/hospitals/department",
    "/api/hospitals/doctor",
    "/api/bus/home",
    "/api/bus/stop",
    "/api/bus/line",
];

fn request(path: &str, method: &Method, cookie: Option<&str>) -> Request<Body> {
    let mut req = if *method == Method::GET {
        Request::get(path).body(Body::empty()).expect("request")
    } else {
        same_origin_form_post(path, "")
    };
    if let Some(c) = cookie {
        req.headers_mut().insert("cookie", c.parse().expect("cookie"));
    }
    req
}

on_both_backends!(
    every_server_function_off_the_public_list_refuses_anonymous_callers_and_citizens_get_no_staff_data,
    |app| {
        let paths: Vec<(&str, Method)> = server_fn_paths().collect();
        for public in PUBLIC {
            assert!(paths.iter().any(|(p, _)| *p == public), "{public} is on the public list but does not exist");
        }
        let guarded: Vec<_> = paths.iter().filter(|(p, _)| !PUBLIC.contains(p)).collect();
        assert!(guarded.len() >= 5, "found {guarded:?}");
        // Address suggestions read the spatial register for a citizen's own application: unlike
        // the public place search, they are for signed-in citizens only.
        let suggestions = "/api/applications/address-suggestions";
        for gas in ["/api/gas/accounts", "/api/gas/account", "/api/library/my", "/api/library/has-card"] {
            assert!(guarded.iter().any(|(p, _)| *p == gas), "{gas} is registered and guarded");
        }
        assert!(guarded.iter().any(|(p, _)| *p == suggestions), "{suggestions} is registered and guarded");
        for (path, method) in &guarded {
            let status = app.send(request(path, method, None)).await.status().as_u16();
            assert!(matches!(status, 401 | 403), "{method} {path} answered {status} to an anonymous caller");
        }

        // A signed-in citizen: staff functions answer 403.
        let body = zhang_wei_registration();
        app.send(same_origin_form_post("/register", &body)).await;
        let sign_in = serde_urlencoded::to_string([
            ("identifier", "zhang.wei@example.cn"),
            ("password", "river-bridge-sunset-1936"),
        ])
        .expect("form");
        let res = app.send(same_origin_form_post("/login", &sign_in)).await;
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.contains("sid="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_owned();
        for (path, method) in guarded.iter().filter(|(p, _)| p.starts_with("/api/staff/")) {
            let status = app.send(request(path, method, Some(&cookie))).await.status().as_u16();
            assert_eq!(status, 403, "{method} {path} for a citizen");
        }
    }
);

on_both_backends!(private_pages_are_never_cached_and_sign_out_clears_the_site_data, |app| {
    for uri in ["/login", "/register", "/account", "/staff/login", "/api/account/me"] {
        let res = app.get(uri).await;
        assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{uri}");
    }
    assert!(app.get("/statistics").await.headers().get("cache-control").is_none(), "public pages may be cached");
    let res = app.send(same_origin_form_post("/logout", "")).await;
    assert_eq!(res.headers().get("clear-site-data").and_then(|v| v.to_str().ok()), Some("\"cache\", \"storage\""));
});
