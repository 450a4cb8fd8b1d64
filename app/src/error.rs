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
    #[error("request could not be processed")]
    BadRequest,
    #[error("internal error (reference {reference})")]
    Internal { reference: String },
}

impl AppError {
    pub fn validation(field: &str, code: &str) -> Self {
        AppError::Validation(vec![FieldError { field: field.to_owned(), code: code.to_owned() }])
    }

    /// The HTTP status that matches this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) | AppError::BadRequest => 400,
            AppError::RateLimited => 429,
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
        AppError::internal(&err)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest
            }
            ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            other => AppError::Internal { reference: short_reference(&other.to_string()) },
        }
    }
}

/// A stable, non-revealing reference for framework errors (a hash, not the text).
fn short_reference(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{:08x}", hash as u32)
}
