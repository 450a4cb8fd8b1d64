//! The warning before an idle sign-out (WCAG 2.2.1 timing adjustable, ASVS 7.3): two minutes
//! before the idle timeout a signed-in page offers "stay signed in", which renews the session on
//! the server. It is an island: without JavaScript nothing shows, and a form posted after the
//! timeout is kept across signing in again instead (`FormRequest::keep_until_signed_in`).

use crate::error::AppError;
use crate::i18n::{fill, use_messages};
use leptos::prelude::*;

/// The warning appears this long before the idle sign-out.
pub const WARN_BEFORE_SECS: i64 = 2 * 60;

/// Renews the signed-in session (citizen or staff) and answers its idle timeout in seconds.
#[server(name = KeepSignedIn, prefix = "/api", endpoint = "session/keep-alive")]
pub async fn keep_signed_in() -> Result<i64, AppError> {
    use super::server::auth;
    let ctx = crate::platform::AppContext::current()?;
    let session = auth::request_session().ok_or(AppError::Unauthenticated).map_err(crate::platform::fail)?;
    if auth::citizen_of(&session, &ctx).await?.is_ok() {
        return Ok(auth::CITIZEN_IDLE_SECS);
    }
    if auth::staff_of(&session, &ctx).await?.is_ok() {
        return Ok(auth::STAFF_IDLE_SECS);
    }
    Err(crate::platform::fail(AppError::Unauthenticated))
}

/// Placed on pages shown to a signed-in person; `staff` picks the staff timeout and sign-in page.
#[component]
pub fn SessionKeeper(staff: bool) -> impl IntoView {
    let t = use_messages();
    let idle_secs = if staff { super::STAFF_IDLE_SECS } else { super::CITIZEN_IDLE_SECS };
    let minutes = (WARN_BEFORE_SECS / 60).to_string();
    view! {
        <SessionTimeoutWarning
            idle_secs
            warn_before_secs=WARN_BEFORE_SECS
            warning=fill(t.session_warning, &[&minutes])
            stay_label=t.session_stay_button.to_owned()
            ended=t.session_ended.to_owned()
            sign_in_href=if staff { "/staff/login".to_owned() } else { "/login".to_owned() }
            sign_in_label=t.login_title.to_owned()
        />
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Quiet,
    Warning,
    Ended,
}

/// The texts come from the server, so the wasm carries no message tables.
#[island]
fn SessionTimeoutWarning(
    idle_secs: i64,
    warn_before_secs: i64,
    warning: String,
    stay_label: String,
    ended: String,
    sign_in_href: String,
    sign_in_label: String,
) -> impl IntoView {
    let (phase, set_phase) = signal(Phase::Quiet);
    // Timers from before a renewal must not fire: each carries the generation it was set in.
    let generation = StoredValue::new(0u32);
    let schedule = move || {
        let current = generation.get_value();
        let at = |secs: i64, to: Phase| {
            set_timeout(
                move || {
                    if generation.get_value() == current {
                        set_phase.set(to);
                    }
                },
                std::time::Duration::from_secs(secs.max(0).unsigned_abs()),
            )
        };
        at(idle_secs - warn_before_secs, Phase::Warning);
        at(idle_secs, Phase::Ended);
    };
    // Effects run only in the browser.
    Effect::new(move |_| schedule());
    let stay = move |_| {
        leptos::task::spawn_local(async move {
            match keep_signed_in().await {
                Ok(_) => {
                    generation.update_value(|g| *g += 1);
                    set_phase.set(Phase::Quiet);
                    schedule();
                }
                Err(_) => set_phase.set(Phase::Ended),
            }
        });
    };
    view! {
        <div class="session-timeout">
            {move || match phase.get() {
                Phase::Quiet => None,
                Phase::Warning => Some(view! {
                    <div class="notice notice--warning session-timeout__panel" role="alert">
                        <p>{warning.clone()}</p>
                        <button type="button" class="button" on:click=stay>{stay_label.clone()}</button>
                    </div>
                }.into_any()),
                Phase::Ended => Some(view! {
                    <div class="notice notice--error session-timeout__panel" role="alert">
                        <p>{ended.clone()}</p>
                        <a class="button" href=sign_in_href.clone()>{sign_in_label.clone()}</a>
                    </div>
                }.into_any()),
            }}
        </div>
    }
}
