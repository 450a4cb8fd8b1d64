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
