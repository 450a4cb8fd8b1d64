use crate::on_both_backends;
use crate::support::body_text;

on_both_backends!(healthz_checks_the_database, |app| {
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(body_text(res).await, "ok\n");
    app.db.close().await;
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 503, "a closed pool must report the database as unreachable");
});

/// A request to the admin listener's router.
async fn admin_get(app: &crate::support::TestApp, uri: &str) -> axum::http::Response<axum::body::Body> {
    use tower::ServiceExt;
    let req = axum::http::Request::get(uri).body(axum::body::Body::empty()).expect("request");
    app.admin.clone().oneshot(req).await.expect("infallible router")
}

#[tokio::test]
async fn metrics_are_served_only_on_the_admin_address() {
    let app = crate::support::TestApp::new(app::platform::Backend::Sqlite).await;
    let public = app.get("/metrics").await;
    assert_eq!(public.status(), 404, "the public listener does not serve metrics");
    assert!(!body_text(public).await.contains("onestop_http_requests_total"));
    assert_eq!(app.get("/healthz").await.status(), 200, "load balancers still probe the public address");
    let admin = admin_get(&app, "/metrics").await;
    assert_eq!(admin.status(), 200);
    assert!(body_text(admin).await.contains("onestop_http_requests_total{method=\"GET\",status=\"404\"} 1\n"));
    assert_eq!(admin_get(&app, "/healthz").await.status(), 200);
    assert_eq!(admin_get(&app, "/").await.status(), 404, "the admin address serves nothing else");
}

#[tokio::test]
async fn metrics_count_requests_in_prometheus_format() {
    let app = crate::support::TestApp::new(app::platform::Backend::Sqlite).await;
    app.get("/").await;
    app.get("/no-such-page").await;
    let res = admin_get(&app, "/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("ascii").starts_with("text/plain; version=0.0.4"));
    let text = body_text(res).await;
    assert!(text.contains("onestop_http_requests_total{method=\"GET\",status=\"200\"} 1\n"), "{text}");
    assert!(text.contains("onestop_http_requests_total{method=\"GET\",status=\"404\"} 1\n"), "{text}");
    assert!(text.contains("# TYPE onestop_http_request_duration_seconds histogram"));
}
