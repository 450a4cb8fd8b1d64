//! The one place the request body limit is enforced. The whole body is read here, within the
//! limit, before any handler runs: a body over it gets 413 whether it declared its length or
//! came in chunks, and handlers (form posts, server functions) get a complete body in memory.

use super::errors;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

pub async fn limit_body(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return errors::payload_too_large();
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => next.run(Request::from_parts(parts, Body::from(collected.to_bytes()))).await,
        Err(err) if err.is::<LengthLimitError>() => errors::payload_too_large(),
        // The client went away or sent a broken chunked body.
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// Whether reading a body failed because it was over the limit (for handlers that read the
/// body themselves, should they ever run outside [`limit_body`]).
pub fn is_too_large(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if e.is::<LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}
