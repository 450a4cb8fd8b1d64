//! Logs and metrics. Logs carry the request id, method, route, status and latency, never
//! query strings or bodies (they can hold personal data).

use crate::config::LogFormat;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tower_http::request_id::{MakeRequestId, RequestId};

pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("ONESTOP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    // A second initialisation (tests, repeated commands) is harmless, so its error is ignored.
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// 128-bit random request ids, hex-encoded.
#[derive(Clone, Copy, Default)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _req: &axum::http::Request<B>) -> Option<RequestId> {
        let id = format!("{:032x}", rand::random::<u128>());
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// Latency histogram bounds in seconds (Prometheus convention: cumulative `le` buckets).
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
pub struct Metrics {
    by_status: Mutex<BTreeMap<(String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    pub fn record(&self, method: &str, status: u16, seconds: f64) {
        if let Ok(mut map) = self.by_status.lock() {
            *map.entry((method.to_owned(), status)).or_default() += 1;
        }
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// Prometheus text exposition format 0.0.4.
    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP onestop_http_requests_total HTTP requests by method and status.\n");
        out.push_str("# TYPE onestop_http_requests_total counter\n");
        if let Ok(map) = self.by_status.lock() {
            for ((method, status), n) in map.iter() {
                out.push_str(&format!("onestop_http_requests_total{{method=\"{method}\",status=\"{status}\"}} {n}\n"));
            }
        }
        out.push_str("# HELP onestop_http_request_duration_seconds HTTP request latency.\n");
        out.push_str("# TYPE onestop_http_request_duration_seconds histogram\n");
        for (bucket, bound) in self.buckets.iter().zip(BUCKETS) {
            out.push_str(&format!(
                "onestop_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}\n",
                bucket.load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        out.push_str(&format!("onestop_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"));
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        out.push_str(&format!("onestop_http_request_duration_seconds_sum {sum}\n"));
        out.push_str(&format!("onestop_http_request_duration_seconds_count {count}\n"));
        out
    }
}

/// Times each request, records it in the metrics and writes one log line.
pub async fn observe(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    // The matched route pattern where there is one; otherwise the bare path (never the query).
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let res = next.run(req).await;
    let elapsed = started.elapsed().as_secs_f64();
    let status = res.status().as_u16();
    metrics.record(&method, status, elapsed);
    tracing::info!(
        request.id = %request_id,
        http.method = %method,
        http.route = %route,
        http.status = status,
        duration_ms = elapsed * 1000.0,
        "request"
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative_and_counts_match() {
        let m = Metrics::default();
        m.record("GET", 200, 0.003);
        m.record("GET", 200, 0.2);
        m.record("POST", 403, 20.0);
        let text = m.render();
        assert!(text.contains("onestop_http_requests_total{method=\"GET\",status=\"200\"} 2\n"));
        assert!(text.contains("onestop_http_requests_total{method=\"POST\",status=\"403\"} 1\n"));
        assert!(text.contains("onestop_http_request_duration_seconds_bucket{le=\"0.005\"} 1\n"));
        assert!(text.contains("onestop_http_request_duration_seconds_bucket{le=\"0.25\"} 2\n"));
        assert!(text.contains("onestop_http_request_duration_seconds_bucket{le=\"10\"} 2\n"));
        assert!(text.contains("onestop_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("onestop_http_request_duration_seconds_count 3\n"));
    }
}
