//! A part of a page that brings itself up to date. With JavaScript, every so often the page is
//! fetched again and its live part (the element with `target` as id) replaced by the fresh
//! one, parsed with `DOMParser` and imported as nodes: the markup is the server's own render,
//! never a string pasted into the page. The reader sees that it updates and can pause it
//! (WCAG 2.2.2). It waits while the tab is hidden, and while focus is inside the live part, so
//! nobody loses their place. Without JavaScript it renders nothing.

use leptos::prelude::*;

/// Marks a request a page makes by itself. Such a request is not the user's activity, so it
/// does not hold a signed-in session open past its idle timeout (see `accounts::server::auth`).
pub const BACKGROUND_HEADER: &str = "x-onestop-background";

/// The texts, in the reader's language: the status while running and while paused, and the
/// button's two labels.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LiveUpdateText {
    pub running: String,
    pub paused: String,
    pub pause: String,
    pub resume: String,
}

#[island]
pub fn LiveUpdate(target: String, every_secs: u32, text: LiveUpdateText) -> impl IntoView {
    let running = RwSignal::new(true);
    // Only true once this runs in a browser: the server renders nothing.
    let active = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        active.set(true);
        browser::start(target.clone(), every_secs, running);
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (target, every_secs);
    let text = StoredValue::new(text);
    move || {
        active.get().then(|| {
            let (status, label) = text.with_value(|t| {
                if running.get() { (t.running.clone(), t.pause.clone()) } else { (t.paused.clone(), t.resume.clone()) }
            });
            view! {
                <p class="live-update">
                    {status}" "
                    <button type="button" class="button button--secondary" on:click=move |_| running.update(|r| *r = !*r)>
                        {label}
                    </button>
                </p>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::web_sys::{DomParser, Element, RequestInit, Response, SupportedType};
    use std::time::Duration;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    pub fn start(target: String, every_secs: u32, running: RwSignal<bool>) {
        let _ = set_interval_with_handle(
            move || {
                if running.get_untracked() {
                    let target = target.clone();
                    leptos::task::spawn_local(async move {
                        let _ = update(&target).await;
                    });
                }
            },
            Duration::from_secs(u64::from(every_secs)),
        );
    }

    /// One update; any failure leaves the part as it was until the next one.
    async fn update(target: &str) -> Option<()> {
        let window = leptos::web_sys::window()?;
        let document = window.document()?;
        let current = document.get_element_by_id(target)?;
        if document.hidden() || focus_inside(&document, &current) {
            return None;
        }
        let init = RequestInit::new();
        let headers = leptos::web_sys::Headers::new().ok()?;
        headers.set(super::BACKGROUND_HEADER, "1").ok()?;
        init.set_headers(&headers);
        let url = window.location().href().ok()?;
        let response: Response =
            JsFuture::from(window.fetch_with_str_and_init(&url, &init)).await.ok()?.dyn_into().ok()?;
        if !response.ok() {
            return None;
        }
        let html = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
        let parsed = DomParser::new().ok()?.parse_from_string(&html, SupportedType::TextHtml).ok()?;
        let fresh = parsed.get_element_by_id(target)?;
        let imported = document.import_node_with_deep(&fresh, true).ok()?;
        // Focus may have moved in while the page was being fetched.
        if focus_inside(&document, &current) {
            return None;
        }
        current.replace_with_with_node_1(&imported).ok()
    }

    fn focus_inside(document: &leptos::web_sys::Document, part: &Element) -> bool {
        document.active_element().is_some_and(|focused| part.contains(Some(&focused)))
    }
}
