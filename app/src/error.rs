//! The one error type that crosses the server-function boundary.
//!
//! Variants are stable codes that the UI maps to localized text; none carries database or
//! library error text. Server-side causes are logged once, with a reference the user can quote.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A field-level validation message: which field, and which message key describes the problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("too many requests")]
    RateLimited,
    /// Another system the request depends on (a department's register) cannot answer now.
    #[error("service temporarily unavailable")]
    Unavailable,
    #[error("request could not be processed")]
    BadRequest,
    /// The portal's own database cannot answer now (stopped, unreachable, full or locked past
    /// its wait): a 503 the reader can retry, not a defect.
    #[error("the portal is busy")]
    Busy,
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
}

impl FieldError {
    /// The code for text carrying control characters the portal never accepts (NUL, the other
    /// C0 controls and DEL; tab and line breaks outside multi-line fields), refused at the input
    /// boundary before any handler runs (see `platform::input`).
    pub const CONTROL_CHARACTERS: &'static str = "control_characters";

    pub fn new(field: &str, code: &str) -> Self {
        FieldError { field: field.to_owned(), code: code.to_owned() }
    }
}

impl AppError {
    pub fn validation(field: &str, code: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, code)])
    }

    /// The HTTP status that matches this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) | AppError::BadRequest => 400,
            AppError::RateLimited => 429,
            AppError::Unavailable | AppError::Busy => 503,
            AppError::Internal { .. } => 500,
        }
    }

    /// Logs the real cause once, server-side, and returns an opaque error with a reference.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        use rand::Rng;
        let reference = format!("{:08x}", rand::rng().random::<u32>());
        tracing::error!(error.reference = %reference, error.cause = %cause, "internal error");
        AppError::Internal { reference }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if crate::platform::db::is_outage(&err) {
            // Still an ERROR: someone must look at the database, though the request was fine.
            tracing::error!(error.cause = %err, "the database cannot answer now");
            return AppError::Busy;
        }
        AppError::internal(&err)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let err = match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            // On the server this logs the cause under the reference shown to the user; in the
            // browser (a failed fetch) there is nothing server-side to refer to.
            #[cfg(feature = "ssr")]
            other => AppError::internal(&other),
            #[cfg(not(feature = "ssr"))]
            _ => AppError::Internal { reference: String::new() },
        };
        // A malformed request is the caller's fault: answer 400, not server_fn's default 500.
        set_status(err.status_code());
        err
    }
}

/// Sets the HTTP status of the page being rendered (server only; a no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// How a call to another organisation's system (a register, the gas company, …) can fail. Every
/// variant is something the caller can act on: the data does not exist, the request was wrong,
/// or the provider cannot answer now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error", content = "detail")]
pub enum ProviderError {
    #[error("no such record")]
    NotFound,
    #[error("the provider refused the request: {0}")]
    BadRequest(String),
    #[error("the provider did not answer in time")]
    Timeout,
    #[error("the provider is unavailable")]
    Unavailable,
    #[error("the provider is failing; calls are paused")]
    CircuitOpen,
    #[error("the provider's answer was rejected: {0}")]
    InvalidResponse(String),
}
