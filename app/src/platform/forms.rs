//! Plain HTML form posts that re-render their page on error.
//!
//! A form posts to its own page's URL. The feature's handler either redirects (303, the
//! post/redirect/get pattern) or hands back a [`PostedForm`]: what was typed (never passwords)
//! and the problems found. The server then renders the same page with that in context and the
//! right status, so the reader sees their answers and the messages next to the fields, with or
//! without JavaScript.

use super::AppContext;
pub use crate::ui::PostedForm;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

/// A form post as a feature's handler sees it.
pub struct FormRequest {
    pub fields: Vec<(String, String)>,
    pub session: tower_sessions::Session,
    pub ctx: AppContext,
    /// The client's address, for throttling.
    pub client_ip: Option<std::net::IpAddr>,
    /// The query string of the posted URL (e.g. `next=`).
    pub query: HashMap<String, String>,
    /// The request id, carried into audit rows and account events.
    pub request_id: String,
}

impl FormRequest {
    /// A field's value; the first if repeated, empty if absent.
    pub fn field(&self, name: &str) -> String {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The posted values except `secret` ones (passwords, codes), for showing the form again.
    pub fn kept_values(&self, secret: &[&str]) -> HashMap<String, String> {
        self.fields.iter().filter(|(k, _)| !secret.contains(&k.as_str())).cloned().collect()
    }
}

pub enum FormOutcome {
    /// 303 to this path (always a local path).
    Redirect(String),
    /// Render the page again with this state.
    Render(PostedForm),
}

pub type FormFuture = Pin<Box<dyn Future<Output = FormOutcome> + Send>>;
pub type FormHandler = fn(FormRequest) -> FormFuture;
