//! A department's register endpoint: serves any provider over the wire protocol. The portal uses
//! it to publish its demo registers (`onestop providers serve`) so the HTTP path runs end to end.

use super::contract::*;
use super::provider::RegisterProvider;
use super::wire::{self, SigningKey};
use crate::platform::time::now_unix;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

struct Service<P> {
    provider: P,
    key: SigningKey,
    /// Nonces seen within the clock-skew window, refused if presented again.
    seen_nonces: Mutex<HashMap<String, i64>>,
}

pub fn router<P: RegisterProvider + 'static>(provider: P, key: SigningKey) -> Router {
    let service = Arc::new(Service { provider, key, seen_nonces: Mutex::new(HashMap::new()) });
    Router::new()
        .route("/registers/v1/{operation}", post(handle::<P>))
        .layer(DefaultBodyLimit::max(wire::MAX_REQUEST_BYTES))
        .with_state(service)
}

async fn handle<P: RegisterProvider + 'static>(
    State(service): State<Arc<Service<P>>>,
    Path(operation): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let nonce = header(wire::HEADER_NONCE);
    // Unauthenticated callers learn nothing beyond "no": no signature, no body.
    let path = format!("{}{operation}", wire::PATH_PREFIX);
    let authentic = header(wire::HEADER_KEY) == service.key.key_id
        && wire::is_valid_nonce(&nonce)
        && header(wire::HEADER_TIMESTAMP).parse::<i64>().is_ok_and(|ts| {
            (now_unix() - ts).abs() <= wire::MAX_CLOCK_SKEW_SECS
                && service.key.verify_request(&path, ts, &nonce, &body, &header(wire::HEADER_SIGNATURE))
        });
    if !authentic || !service.first_use(&nonce) {
        tracing::warn!(operation, "refused an unauthenticated or replayed register request");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let p = &service.provider;
    let (status, json) = match operation.as_str() {
        "person" => answer(&body, |r: PersonRequest| async move { p.person(&r).await }).await,
        "verify-identity" => answer(&body, |r: IdentityCheckRequest| async move { p.verify_identity(&r).await }).await,
        "entity" => answer(&body, |r: EntityRequest| async move { p.entity(&r).await }).await,
        "indicators" => answer(&body, |r: IndicatorRequest| async move { p.indicators(&r).await }).await,
        "places" => answer(&body, |r: PlaceRequest| async move { p.places(&r).await }).await,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    service.signed(status, &nonce, json)
}

async fn answer<Req, Resp, F, Fut>(body: &[u8], call: F) -> (StatusCode, Vec<u8>)
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(Req) -> Fut,
    Fut: std::future::Future<Output = Result<Resp, ProviderError>>,
{
    let result = match serde_json::from_slice::<Req>(body) {
        Ok(request) => call(request).await,
        Err(e) => Err(ProviderError::BadRequest(format!("malformed request: {e}"))),
    };
    let encoded = match &result {
        Ok(value) => serde_json::to_vec(value),
        Err(err) => serde_json::to_vec(err),
    };
    let status = match &result {
        Ok(_) => StatusCode::OK,
        Err(ProviderError::NotFound) => StatusCode::NOT_FOUND,
        Err(ProviderError::BadRequest(_)) => StatusCode::BAD_REQUEST,
        Err(_) => StatusCode::SERVICE_UNAVAILABLE,
    };
    match encoded {
        Ok(bytes) => (status, bytes),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Vec::new()),
    }
}

impl<P> Service<P> {
    fn first_use(&self, nonce: &str) -> bool {
        let now = now_unix();
        let mut seen = self.seen_nonces.lock().unwrap_or_else(|e| e.into_inner());
        seen.retain(|_, at| now - *at <= 2 * wire::MAX_CLOCK_SKEW_SECS);
        seen.insert(nonce.to_owned(), now).is_none()
    }

    fn signed(&self, status: StatusCode, nonce: &str, body: Vec<u8>) -> Response {
        let timestamp = now_unix();
        let signature = self.key.sign_response(status.as_u16(), nonce, timestamp, &body);
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let (Ok(ts), Ok(sig)) = (HeaderValue::from_str(&timestamp.to_string()), HeaderValue::from_str(&signature)) {
            headers.insert(wire::HEADER_TIMESTAMP, ts);
            headers.insert(wire::HEADER_SIGNATURE, sig);
        }
        response
    }
}
