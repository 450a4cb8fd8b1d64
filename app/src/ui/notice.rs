use super::PageHeading;
use crate::error::{set_status, AppError};
use crate::i18n::use_messages;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Success,
    Warning,
    Error,
}

/// A boxed message. Errors and warnings are announced to screen readers as they appear.
#[component]
pub fn Notice(kind: NoticeKind, #[prop(optional, into)] title: Option<String>, children: Children) -> impl IntoView {
    let (class, role) = match kind {
        NoticeKind::Info => ("notice notice--info", None),
        NoticeKind::Success => ("notice notice--success", Some("status")),
        NoticeKind::Warning => ("notice notice--warning", Some("alert")),
        NoticeKind::Error => ("notice notice--error", Some("alert")),
    };
    view! {
        <div class=class role=role>
            {title.map(|t| view! { <p class="notice__title">{t}</p> })}
            {children()}
        </div>
    }
}

/// Shown instead of a page that needs a signed-in citizen (with 401): sign in and come back to
/// `next`, or register.
#[component]
pub fn SignInNeeded(#[prop(into)] next: String) -> impl IntoView {
    let t = crate::i18n::use_messages();
    set_status(401);
    view! {
        <Notice kind=NoticeKind::Info>
            <p>{t.sign_in_needed}</p>
            <p><a class="button" href=format!("/login?next={next}")>{t.login_title}</a></p>
            <p>{t.login_no_account}" "<a href="/register">{t.login_register_link}</a></p>
        </Notice>
    }
}

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
    let message = match error {
        AppError::Unavailable => t.error_unavailable,
        AppError::Busy => t.error_busy,
        _ => t.error_generic,
    };
    view! {
        <Notice kind=NoticeKind::Error>
            <p>{message}</p>
            {reference.map(|r| view! { <p>{t.error_reference}": "<code>{r}</code></p> })}
        </Notice>
    }
}
