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
    /// `img-src` sources beyond our own: the configured map tile server.
    extra_img_src: String,
    /// Extra `connect-src` for the development live-reload socket (only under `cargo leptos watch`).
    dev_connect_src: Option<String>,
}

impl SecurityPolicy {
    pub fn new(config: &Config, options: &LeptosOptions) -> SecurityPolicy {
        let dev_connect_src = std::env::var("LEPTOS_WATCH")
            .is_ok()
            .then(|| format!("ws://{}:{}", options.site_addr.ip(), options.reload_port));
        let extra_img_src = config.map_tiles.as_ref().map(|t| format!(" {}", t.origin())).unwrap_or_default();
        SecurityPolicy { origin: config.public_origin.clone(), hsts: config.is_https(), extra_img_src, dev_connect_src }
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
             style-src 'self' 'nonce-{nonce}'; img-src 'self' data:{img}; font-src 'self'; connect-src {connect}; \
             object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'{upgrade}",
            img = self.extra_img_src
        )
    }

    /// Called while a page renders: hands Leptos the nonce this request's CSP header will name,
    /// so the hydration scripts carry it.
    pub fn provide_page_nonce() {
        let nonce =
            with_context::<axum::http::request::Parts, _>(|p| p.extensions.get::<PageNonce>().cloned()).flatten();
        if let Some(PageNonce(nonce)) = nonce {
            provide_context(leptos::nonce::Nonce::from_value(nonce));
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
/// Paths whose answers carry personal data or credentials: never stored by browsers or proxies
/// (ASVS 14.3). Any other page whose header names the signed-in person marks itself `no-store`
/// as it renders (`accounts::current_viewer`).
const PRIVATE_PREFIXES: [&str; 11] = [
    "/account",
    "/staff",
    "/login",
    "/logout",
    "/register",
    "/password-reset",
    "/applications",
    "/progress",
    "/api/account/",
    "/api/staff/",
    "/api/applications/",
];

/// The CSP nonce of one request, chosen before the handler runs: the page renders with it and
/// the header names it, whatever the handler does with its own response options.
#[derive(Debug, Clone)]
pub struct PageNonce(pub String);

pub async fn security_headers(
    State(policy): State<Arc<SecurityPolicy>>,
    mut req: Request<Body>,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let nonce = {
        use base64::Engine as _;
        use rand::Rng as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::rng().random::<[u8; 16]>())
    };
    req.extensions_mut().insert(PageNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let is_html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        if let Ok(value) = HeaderValue::from_str(&policy.page_csp(&nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    if PRIVATE_PREFIXES.iter().any(|p| path.starts_with(p)) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if path == "/logout" {
        // Signing out also clears what the browser kept for this site.
        headers.insert(
            header::HeaderName::from_static("clear-site-data"),
            HeaderValue::from_static("\"cache\", \"storage\""),
        );
    }
    // Server functions answer plain form posts with a redirect to the Referer (leptos_axum):
    // like every redirect, it may only lead to a path on this site.
    if let Some(location) = headers.get(header::LOCATION) {
        let local = local_location(location, &policy.origin);
        headers.insert(header::LOCATION, local);
    }
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

/// A `Location` as a path on this site: an absolute URL on our own origin becomes its path, and
/// anything `LocalPath` does not accept becomes the home page.
fn local_location(location: &HeaderValue, origin: &str) -> HeaderValue {
    let text = location.to_str().unwrap_or_default();
    let path = match text.strip_prefix(origin) {
        Some("") => "/",
        Some(rest) if rest.starts_with(['/', '?', '#']) => rest,
        _ => text,
    };
    let path = if path.starts_with(['?', '#']) { format!("/{path}") } else { path.to_owned() };
    let local = app::platform::redirect::LocalPath::or(&path, "/");
    HeaderValue::from_str(local.as_str()).unwrap_or(HeaderValue::from_static("/"))
}

#[cfg(test)]
mod tests {
    use super::local_location;
    use axum::http::HeaderValue;

    #[test]
    fn locations_stay_on_this_site() {
        let origin = "https://zwfw.example.gov.cn";
        for (given, sent) in [
            ("/search?q=x", "/search?q=x"),
            ("https://zwfw.example.gov.cn/search?q=x", "/search?q=x"),
            ("https://zwfw.example.gov.cn", "/"),
            ("https://zwfw.example.gov.cn?__server_fn_error=x", "/?__server_fn_error=x"),
            ("https://zwfw.example.gov.cn.evil.example/", "/"),
            ("https://zwfw.example.gov.cn@evil.example/", "/"),
            ("https://evil.example/", "/"),
            ("//evil.example/", "/"),
            ("/\t/evil.example", "/"),
        ] {
            let value = HeaderValue::from_str(given).expect("header");
            assert_eq!(local_location(&value, origin).to_str().ok(), Some(sent), "{given}");
        }
    }
}
