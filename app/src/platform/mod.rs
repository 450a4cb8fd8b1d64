//! Server-only plumbing shared by every feature: the database, the per-request context,
//! uploaded files and cookie helpers. Nothing here knows about a particular feature.

pub mod chain;
pub mod clock;
pub mod context;
pub mod cookies;
pub mod db;
pub mod exchange;
pub mod files;
pub mod forms;
pub mod inbox;
pub mod input;
pub mod jobs;
pub mod mail;
pub mod redirect;
pub mod request_cache;
pub mod secrets;
pub mod sessions;
pub mod throttle;
pub mod time;

#[cfg(feature = "testing")]
pub mod testing;

pub use context::{AppContext, AppServices};

/// The id of the request being handled (set by the request-id layer), for audit rows; empty
/// outside a request.
pub fn request_id() -> String {
    leptos::prelude::with_context::<http::request::Parts, _>(|parts| {
        parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
    })
    .flatten()
    .unwrap_or_default()
}

/// Sets the response status for an error a server function is about to return (server_fn
/// would otherwise answer every error with 500).
pub fn fail(err: crate::error::AppError) -> crate::error::AppError {
    crate::error::set_status(err.status_code());
    err
}
pub use db::{Backend, Db};
