//! The answering end: an axum router that lets through only signed, fresh, first-use requests
//! and hands each to a partner's [`Dispatch`], signing whatever it answers. The portal uses it to
//! publish its demo partners (`onestop providers serve`) so the HTTP path runs end to end.

use super::wire::{self, Protocol, SigningKey};
use super::ProviderError;
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
use std::future::Future;
use std::sync::{Arc, Mutex};

/// A status and JSON body to sign and send.
pub type Answer = (StatusCode, Vec<u8>);

/// A partner's operations: the answer to an authenticated request, or `None` for an operation
/// the partner does not have.
pub trait Dispatch: Send + Sync + 'static {
    fn dispatch(&self, operation: &str, body: &[u8]) -> impl Future<Output = Option<Answer>> + Send;
}

struct Service<D> {
    protocol: &'static Protocol,
    dispatch: D,
    key: SigningKey,
    /// Nonces seen within the clock-skew window, refused if presented again.
    seen_nonces: Mutex<HashMap<String, i64>>,
}

/// `POST {prefix}{operation}` for `dispatch`, authenticated with `key`.
pub fn router<D: Dispatch>(protocol: &'static Protocol, key: SigningKey, dispatch: D) -> Router {
    let service = Arc::new(Service { protocol, dispatch, key, seen_nonces: Mutex::new(HashMap::new()) });
    Router::new()
        .route(&format!("{}{{operation}}", protocol.path_prefix), post(handle::<D>))
        .layer(DefaultBodyLimit::max(wire::MAX_REQUEST_BYTES))
        .with_state(service)
}

async fn handle<D: Dispatch>(
    State(service): State<Arc<Service<D>>>,
    Path(operation): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let protocol = service.protocol;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let nonce = header(protocol.header_nonce);
    // Unauthenticated callers learn nothing beyond "no": no signature, no body.
    let path = protocol.path(&operation);
    let authentic = header(protocol.header_key) == service.key.key_id
        && wire::is_valid_nonce(&nonce)
        && header(protocol.header_timestamp).parse::<i64>().is_ok_and(|ts| {
            (now_unix() - ts).abs() <= wire::MAX_CLOCK_SKEW_SECS
                && service.key.verify_request(&path, ts, &nonce, &body, &header(protocol.header_signature))
        });
    if !authentic || !service.first_use(&nonce) {
        tracing::warn!(partner = protocol.partner, operation, "refused an unauthenticated or replayed request");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match service.dispatch.dispatch(&operation, &body).await {
        Some((status, json)) => service.signed(status, &nonce, json),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Parses the request strictly, runs `call` and encodes its outcome: 200 with the value, or the
/// `ProviderError` with 404 (not found), 400 (refused request) or 503 (anything else).
pub async fn answer<Req, Resp, F, Fut>(body: &[u8], call: F) -> Answer
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(Req) -> Fut,
    Fut: Future<Output = Result<Resp, ProviderError>>,
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

impl<D> Service<D> {
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
            headers.insert(self.protocol.header_timestamp, ts);
            headers.insert(self.protocol.header_signature, sig);
        }
        response
    }
}
