//! Plain HTML form posts that re-render their page on error.
//!
//! A form posts to its own page's URL. The feature's handler either redirects (303, the
//! post/redirect/get pattern) or hands back a [`PostedForm`]: what was typed (never passwords)
//! and the problems found. The server then renders the same page with that in context and the
//! right status, so the reader sees their answers and the messages next to the fields, with or
//! without JavaScript.

pub use super::redirect::LocalPath;
use super::AppContext;
use crate::error::FieldError;
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
    /// The page this form belongs to (where it is shown again), with the posted path's
    /// parameters filled in.
    pub page_path: String,
    /// The parameters of the posted path (`{reference}` in `/applications/{reference}/review`).
    pub params: HashMap<String, String>,
}

impl FormRequest {
    /// The client's address as text for logs and audit rows (empty when unknown).
    pub fn client_address(&self) -> String {
        self.client_ip.map(|ip| ip.to_string()).unwrap_or_default()
    }

    /// A field's value; the first if repeated, empty if absent.
    /// A parameter of the posted path; empty if the route has none by that name.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn field(&self, name: &str) -> String {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// The posted values to show the form again with: everything but passwords and one-time
    /// codes, which are never sent back to the browser.
    pub fn kept_values(&self) -> HashMap<String, String> {
        self.fields.iter().filter(|(k, _)| !is_secret(k)).cloned().collect()
    }

    /// Shows the form's page again with what was typed, the problems found and `status`.
    pub fn rerender(&self, status: u16, errors: Vec<FieldError>, form_error: Option<&'static str>) -> FormOutcome {
        FormOutcome::Render(PostedForm {
            values: self.kept_values(),
            extra: HashMap::new(),
            errors,
            form_error,
            status,
            restored: false,
        })
    }

    /// Shows the form's page again (200) with what was typed plus `extra` values for the page to
    /// use (a code was sent, a preview, a one-time link), which the page reads with
    /// `PostedForm::extra` and which no posted field can stand in for.
    pub fn show_with(&self, extra: impl IntoIterator<Item = (&'static str, String)>) -> FormOutcome {
        self.render_with(200, Vec::new(), extra)
    }

    /// Like [`FormRequest::rerender`], with `extra` values for the page as well.
    pub fn render_with(
        &self,
        status: u16,
        errors: Vec<FieldError>,
        extra: impl IntoIterator<Item = (&'static str, String)>,
    ) -> FormOutcome {
        let extra = extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        FormOutcome::Render(PostedForm {
            values: self.kept_values(),
            extra,
            errors,
            form_error: None,
            status,
            restored: false,
        })
    }

    /// Something failed on our side: logged here with the line that gave up, the generic
    /// message shown, what was typed kept. Prefer [`FormRequest::failed_because`] when there is
    /// an error to say why.
    #[track_caller]
    pub fn failed(&self) -> FormOutcome {
        self.log_failure(std::panic::Location::caller(), None);
        self.rerender(500, Vec::new(), Some("error_generic"))
    }

    /// [`FormRequest::failed`] with the error that caused it in the log line (never shown).
    /// When the database cannot answer now (see `db::is_outage`) the status is 503, which the
    /// reader may retry with what they typed, still on the page.
    #[track_caller]
    pub fn failed_because<E: std::error::Error + 'static>(&self, cause: &E) -> FormOutcome {
        self.log_failure(std::panic::Location::caller(), Some(cause));
        let cause: &(dyn std::error::Error + 'static) = cause;
        let outage = cause.downcast_ref::<sqlx::Error>().is_some_and(super::db::is_outage)
            || cause.downcast_ref::<crate::error::AppError>() == Some(&crate::error::AppError::Busy);
        self.rerender(if outage { 503 } else { 500 }, Vec::new(), Some("error_generic"))
    }

    /// A 500 is a defect or an outage: an operator must be able to find where and why, so it is
    /// never answered without an ERROR line.
    fn log_failure(&self, at: &std::panic::Location<'_>, cause: Option<&dyn std::fmt::Display>) {
        let cause = cause.map(ToString::to_string).unwrap_or_default();
        tracing::error!(request.id = %self.request_id, page = %self.page_path, at = %at, error = %cause, "a form post failed");
    }

    /// The session ran out before this post arrived (WCAG 2.2.5): what was typed is kept in the
    /// (now anonymous) session, the sign-in page says what happened, and after signing in the
    /// form's page shows the answers again, once.
    pub async fn keep_until_signed_in(&self) -> FormOutcome {
        let kept = KeptForm { path: self.page_path.clone(), values: self.kept_values() };
        if let Err(err) = self.session.insert(KEPT_FORM_KEY, kept).await {
            tracing::error!(error = %err, "cannot keep a form across sign-in");
        }
        let next: String = url_component(&self.page_path);
        FormOutcome::Redirect(format!("/login?expired=1&next={next}").into())
    }
}

/// The session key of a form kept across an expired session.
pub const KEPT_FORM_KEY: &str = "kept_form";

/// What was typed into a form whose post arrived after the session had ended.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct KeptForm {
    pub path: String,
    pub values: HashMap<String, String>,
}

/// For a signed-in visit to `path`: the form kept there before the session ran out, taken out of
/// the session so it is shown once.
pub async fn take_kept_form(session: &tower_sessions::Session, path: &str) -> Option<PostedForm> {
    // Without a session cookie nothing was kept: no session to load to find that out.
    session.id()?;
    let signed_in = session.get_value(super::sessions::AUTH_KEY).await.ok().flatten().is_some();
    if !signed_in {
        return None;
    }
    let kept: KeptForm = session.get(KEPT_FORM_KEY).await.ok().flatten()?;
    if kept.path != path {
        return None;
    }
    session.remove_value(KEPT_FORM_KEY).await.ok()?;
    Some(PostedForm { values: kept.values, restored: true, status: 200, ..PostedForm::default() })
}

fn url_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Passwords (`password`, `current_password`, …) and one-time codes (`code`).
fn is_secret(field: &str) -> bool {
    field == "password" || field.ends_with("_password") || field == "code" || field == "pin"
}

pub enum FormOutcome {
    /// 303 to this path: a [`LocalPath`], so no handler can send a browser to another site
    /// (`"/account".into()` checks a fixed path the same way).
    Redirect(LocalPath),
    /// Render the page again with this state.
    Render(PostedForm),
}

pub type FormFuture = Pin<Box<dyn Future<Output = FormOutcome> + Send>>;

/// A form handler's `?`: the `Ok` value, or return the `Err`'s ready answer (the sign-in
/// redirect, a 404 page, …) from the handler.
macro_rules! or_return {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(outcome) => return outcome,
        }
    };
}
pub(crate) use or_return;
pub type FormHandler = fn(FormRequest) -> FormFuture;

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_and_codes_are_never_kept() {
        for secret in ["password", "current_password", "new_password", "cancel_password", "code"] {
            assert!(super::is_secret(secret), "{secret}");
        }
        for kept in ["name", "email", "passwords_hint", "postcode", "credit_code"] {
            assert!(!super::is_secret(kept), "{kept}");
        }
    }
}
