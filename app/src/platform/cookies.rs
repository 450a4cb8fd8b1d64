//! Cookie and redirect helpers for server functions.

use super::AppContext;
use axum::http::{header, request::Parts, HeaderValue};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

const ONE_YEAR: u32 = 365 * 24 * 3600;

/// Sets a long-lived, non-secret preference cookie (language, elder mode).
pub fn set_preference_cookie(name: &str, value: &str) {
    let secure = AppContext::current().map(|c| c.secure_cookies).unwrap_or(true);
    let cookie = format!(
        "{name}={value}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax; HttpOnly{}",
        if secure { "; Secure" } else { "" }
    );
    if let (Some(res), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(&cookie)) {
        res.append_header(header::SET_COOKIE, value);
    }
}

/// After a plain HTML form post (no JavaScript), send the reader back to where they were.
/// Calls from hydrated islands get no redirect, so the page stays as it is.
pub fn redirect_plain_form(return_to: &str) {
    let is_plain_form = with_context::<Parts, _>(|p| {
        p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html"))
    })
    .flatten()
    .unwrap_or(false);
    if is_plain_form {
        leptos_axum::redirect(super::redirect::LocalPath::or(return_to, "/").as_str());
    }
}
