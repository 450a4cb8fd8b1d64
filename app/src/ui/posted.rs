use crate::error::FieldError;
use std::collections::HashMap;

/// What a page needs to show a rejected form post again: what was typed (never passwords), the
/// problems found, and the status to answer with. Provided as context when the server renders
/// a page in reply to its own form's post; absent on a plain visit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostedForm {
    pub values: HashMap<String, String>,
    /// What the server adds for the page (a preview, a one-time link, "a code was sent"). Kept
    /// apart from `values` so that nothing a post carries can pose as it.
    pub extra: HashMap<String, String>,
    pub errors: Vec<FieldError>,
    /// A message key for a problem with the whole form (e.g. wrong credentials).
    pub form_error: Option<&'static str>,
    pub status: u16,
    /// The answers were kept across an expired session and are shown again after signing in.
    pub restored: bool,
}

impl PostedForm {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    /// A value the server added for the page (see [`PostedForm::extra`]).
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extra.get(key).map(String::as_str)
    }

    pub fn error_code(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.code.as_str())
    }
}

/// The posted form of this render: the page is answering its own form's post, or showing a form
/// kept across an expired session (handed over in the request).
pub fn use_posted_form() -> PostedForm {
    if let Some(posted) = leptos::prelude::use_context::<PostedForm>() {
        return posted;
    }
    #[cfg(feature = "ssr")]
    if let Some(kept) =
        leptos::prelude::with_context::<http::request::Parts, _>(|parts| parts.extensions.get::<PostedForm>().cloned())
            .flatten()
    {
        return kept;
    }
    PostedForm::default()
}
