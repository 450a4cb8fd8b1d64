//! Pages for a missing thing or a failure, and the page status, shared by every feature.

use super::{Notice, NoticeKind, PageHeading};
use crate::error::AppError;
use crate::i18n::use_messages;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let t = use_messages();
    set_status(404);
    view! {
        <div class="container prose">
            <PageHeading title=t.not_found_title lead=t.not_found_body/>
            <ul class="link-list">
                <li><a href="/">{t.back_home}</a></li>
                <li><a href="/search">{t.nav_search}</a></li>
            </ul>
        </div>
    }
}

/// A failure that reached a page: the generic message plus the reference, never the cause.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let t = use_messages();
    let reference = match &error {
        AppError::Internal { reference } if !reference.is_empty() => Some(reference.clone()),
        _ => None,
    };
    set_status(error.status_code());
    let message = if error == AppError::Unavailable { t.error_unavailable } else { t.error_generic };
    view! {
        <Notice kind=NoticeKind::Error>
            <p>{message}</p>
            {reference.map(|r| view! { <p>{t.error_reference}": "<code>{r}</code></p> })}
        </Notice>
    }
}

/// Sets the HTTP status of the page being rendered (server only; a no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code)) {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
