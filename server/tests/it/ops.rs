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

#[tokio::test]
async fn metrics_count_requests_in_prometheus_format() {
    let app = crate::support::TestApp::new(app::platform::Backend::Sqlite).await;
    app.get("/").await;
    app.get("/no-such-page").await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().expect("ascii").starts_with("text/plain; version=0.0.4"));
    let text = body_text(res).await;
    assert!(text.contains("onestop_http_requests_total{method=\"GET\",status=\"200\"} 1\n"), "{text}");
    assert!(text.contains("onestop_http_requests_total{method=\"GET\",status=\"404\"} 1\n"), "{text}");
    assert!(text.contains("# TYPE onestop_http_request_duration_seconds histogram"));
}
