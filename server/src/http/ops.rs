//! Operator endpoints: liveness with a database check, and Prometheus metrics.

use crate::telemetry::Metrics;
use app::platform::Db;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use std::sync::Arc;

pub async fn healthz(State(db): State<Db>) -> impl IntoResponse {
    let text_plain = [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    if db.is_reachable().await {
        (StatusCode::OK, text_plain, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, text_plain, "database unreachable\n")
    }
}

pub async fn metrics(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        metrics.render(),
    )
}
