//! Security headers and the refusal of cross-origin state changes.
//!
//! Server functions are public HTTP endpoints that accept plain form posts, which any other
//! site could send. So every request that is not GET/HEAD/OPTIONS must prove it came from one
//! of our own pages: `Sec-Fetch-Site: same-origin`, or, from browsers that do not send fetch
//! metadata, an `Origin` equal to the configured public origin. Anything else gets 403 before
//! any handler runs. This works for no-JavaScript form posts too, unlike a custom header.

use super::errors;
use crate::Config;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Debug)]
pub struct SecurityPolicy {
    origin: String,
    hsts: bool,
    /// Extra `connect-src` for the development live-reload socket (only under `cargo leptos watch`).
    dev_connect_src: Option<String>,
}

impl SecurityPolicy {
    pub fn new(config: &Config, options: &LeptosOptions) -> SecurityPolicy {
        let dev_connect_src = std::env::var("LEPTOS_WATCH")
            .is_ok()
            .then(|| format!("ws://{}:{}", options.site_addr.ip(), options.reload_port));
        SecurityPolicy { origin: config.public_origin.clone(), hsts: config.is_https(), dev_connect_src }
    }

    /// The page CSP: scripts only from our origin or carrying this response's nonce, and
    /// WebAssembly compilation for the islands; no inline styles or `eval`.
    pub fn page_csp(&self, nonce: &str) -> String {
        let connect = match &self.dev_connect_src {
            Some(ws) => format!("'self' {ws}"),
            None => "'self'".to_owned(),
        };
        let upgrade = if self.hsts { "; upgrade-insecure-requests" } else { "" };
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self'; connect-src {connect}; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'{upgrade}"
        )
    }

    /// Called while a page renders: stamps the CSP that matches the nonce Leptos put on the
    /// hydration scripts.
    pub fn apply_page_csp(&self) {
        if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
            if let Ok(value) = HeaderValue::from_str(&self.page_csp(&nonce)) {
                res.insert_header(header::CONTENT_SECURITY_POLICY, value);
            }
        }
    }

    /// Whether a state-changing request demonstrably comes from one of our pages.
    pub fn is_same_origin(&self, headers: &HeaderMap) -> bool {
        match headers.get("sec-fetch-site") {
            Some(site) => site.as_bytes() == b"same-origin",
            None => headers.get(header::ORIGIN).is_some_and(|o| o.as_bytes() == self.origin.as_bytes()),
        }
    }
}

/// Refuses TRACE/CONNECT and cross-origin state changes before any handler runs.
pub async fn reject_unsafe_requests(State(policy): State<Arc<SecurityPolicy>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if method == Method::TRACE || method == Method::CONNECT {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let is_safe = method == Method::GET || method == Method::HEAD || method == Method::OPTIONS;
    if !is_safe && !policy.is_same_origin(req.headers()) {
        tracing::warn!(http.method = %method, "refused cross-origin state-changing request");
        return errors::forbidden_cross_origin();
    }
    next.run(req).await
}

/// Headers on every response. Pages carry their own nonce CSP; everything else gets a CSP
/// that allows nothing, which costs nothing for data and assets.
pub async fn security_headers(State(policy): State<Arc<SecurityPolicy>>, req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(), payment=()"),
        (header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        );
    }
    if policy.hsts {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}
