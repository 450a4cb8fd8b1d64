//! The input boundary for everything but form posts (those are checked in `forms.rs`): page
//! addresses and server-function arguments carrying control characters (`platform::input`)
//! are refused here, before any page or function runs.
//!
//! - A page answers 400 and renders as if the refused parameters had not been given (a path
//!   loses the refused characters), with the parameters named for the page (the search page
//!   puts its message next to the search box) and a notice that says what happened.
//! - A server function answers 400 with `AppError::Validation` naming each argument.

use app::error::{AppError, FieldError};
use app::platform::forms::PostedForm;
use app::platform::input;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_control_characters(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return server_function(req, next).await;
    }
    let Some((uri, errors)) = cleaned_uri(req.uri()) else {
        return next.run(req).await;
    };
    tracing::info!(fields = errors.len(), "address refused: control characters");
    let (mut parts, body) = req.into_parts();
    parts.uri = uri;
    parts.extensions.insert(PostedForm { errors, status: 400, ..PostedForm::default() });
    let mut response = next.run(Request::from_parts(parts, body)).await;
    // Whatever the page would have said (a token not found, say), the address was refused.
    if response.status().is_success() || response.status().is_client_error() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}

/// The address without the refused parameters (and the path without its control characters),
/// and the names of what was refused (`path` for the path itself); `None` when nothing was.
fn cleaned_uri(uri: &Uri) -> Option<(Uri, Vec<FieldError>)> {
    let path = uri.path();
    let path_refused = input::has_encoded_control(path);
    let query = uri.query().and_then(input::check_raw_query);
    if !path_refused && query.is_none() {
        return None;
    }
    let mut errors = Vec::new();
    let mut text = if path_refused {
        errors.push(FieldError::new("path", FieldError::CONTROL_CHARACTERS));
        input::without_encoded_control(path)
    } else {
        path.to_owned()
    };
    match query {
        Some((cleaned, refused)) => {
            errors.extend(refused);
            text = format!("{text}?{cleaned}");
        }
        None => {
            if let Some(q) = uri.query() {
                text = format!("{text}?{q}");
            }
        }
    }
    Some((text.parse().unwrap_or_else(|_| Uri::from_static("/")), errors))
}

/// Server functions take their arguments from the query (GET) or a form-encoded or JSON body.
async fn server_function(req: Request, next: Next) -> Response {
    let mut errors = match req.uri().query().and_then(input::check_raw_query) {
        Some((_, errors)) => errors,
        None => Vec::new(),
    };
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let json = content_type.starts_with("application/json");
    let req = if form || json {
        let (parts, body) = req.into_parts();
        // The body limit layer outside has already capped the size.
        let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
            return StatusCode::BAD_REQUEST.into_response();
        };
        if form {
            let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).unwrap_or_default();
            errors.extend(input::check_pairs(pairs, |_| false).1);
        } else if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            json_strings_refused(&value, "", &mut errors);
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    if errors.is_empty() {
        return next.run(req).await;
    }
    tracing::info!(path = req.uri().path(), fields = errors.len(), "server function refused: control characters");
    let body = serde_json::to_string(&AppError::Validation(errors)).unwrap_or_default();
    let mut response = (StatusCode::BAD_REQUEST, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    // How server_fn marks an error answer, so its client decodes the body as `AppError`.
    if let Ok(path) = HeaderValue::from_str(req.uri().path()) {
        response.headers_mut().insert("serverfnerror", path);
    }
    response
}

/// Adds an error for every string in a JSON argument (or key) holding a control character,
/// named by its path (`filter.topic`).
fn json_strings_refused(value: &serde_json::Value, at: &str, errors: &mut Vec<FieldError>) {
    match value {
        serde_json::Value::String(s) if input::has_refused(s, false) => refuse(errors, at),
        serde_json::Value::Array(items) => items.iter().for_each(|item| json_strings_refused(item, at, errors)),
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                if input::has_refused(key, false) {
                    refuse(errors, &input::without_refused(&path, false));
                }
                json_strings_refused(item, &path, errors);
            }
        }
        _ => {}
    }
}

fn refuse(errors: &mut Vec<FieldError>, field: &str) {
    if !errors.iter().any(|e| e.field == field) {
        errors.push(FieldError::new(field, FieldError::CONTROL_CHARACTERS));
    }
}
