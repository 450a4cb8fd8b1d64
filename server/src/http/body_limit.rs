//! The one place the request body limit is enforced. The whole body is read here, within the
//! limit, before any handler runs: a body over it gets 413 whether it declared its length or
//! came in chunks, and handlers (form posts, server functions) get a complete body in memory.
//!
//! Upload routes ([`super::uploads::is_upload_route`]) are the exception: a declared length over
//! the upload limit still gets 413 here, but the body itself is passed on unread, for the
//! streaming reader (`uploads::read_upload`), which enforces the limit as the bytes arrive.

use super::errors;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// The body limits: `ONESTOP_BODY_LIMIT_BYTES` for everything, and for upload routes the most
/// one upload request may carry.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub whole: usize,
    pub upload: u64,
}

pub async fn limit_body(State(limits): State<BodyLimits>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if super::uploads::is_upload_route(parts.uri.path()) {
        if declared.is_some_and(|n| n > limits.upload) {
            return errors::payload_too_large();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    let limit = limits.whole;
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
