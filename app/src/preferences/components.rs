use super::Preferences;
use crate::i18n::{use_messages, Locale};
use leptos::prelude::*;

/// The current path and query, so a switch can return the reader to the same page.
pub fn current_path() -> String {
    #[cfg(feature = "ssr")]
    {
        with_context::<http::request::Parts, _>(|parts| parts.uri.path_and_query().map(|pq| pq.as_str().to_owned()))
            .flatten()
            .unwrap_or_else(|| "/".to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".to_owned()
    }
}

/// Buttons for each language other than the current one, posted as a plain form.
#[component]
pub fn LanguageSwitch(return_to: String) -> impl IntoView {
    let t = use_messages();
    let prefs = use_context::<Preferences>().unwrap_or_default();
    view! {
        <form class="language-switch" method="post" action="/api/preferences/language">
            <input type="hidden" name="return_to" value=return_to/>
            {Locale::ALL
                .into_iter()
                .filter(move |l| *l != prefs.locale)
                .map(|l| {
                    view! {
                        <button
                            type="submit"
                            class="link-button"
                            name="locale"
                            value=l.tag()
                            lang=l.tag()
                            aria-label=format!("{} {}", t.language_switch_to, l.native_name())
                        >
                            {l.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}

/// The elder-mode switch. Without JavaScript it is a form post that sets a cookie and reloads;
/// once hydrated it flips the page in place and saves the choice in the background.
#[island]
pub fn ElderModeToggle(
    elder: bool,
    /// Button text in each state, passed in so the wasm carries no message tables.
    label_on: String,
    label_off: String,
    return_to: String,
) -> impl IntoView {
    let (on, set_on) = signal(elder);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = !on.get_untracked();
        set_on.set(next);
        apply_elder_class(next);
        leptos::task::spawn_local(async move {
            // The page has already changed; if saving fails the choice just lasts until reload.
            let _ = super::api::set_display_mode(next, String::new()).await;
        });
    };
    view! {
        <form class="elder-toggle" method="post" action="/api/preferences/display-mode" on:submit=submit>
            <input type="hidden" name="elder" value=move || (!on.get()).to_string()/>
            <input type="hidden" name="return_to" value=return_to/>
            <button type="submit" class="toggle-button" aria-pressed=move || on.get().to_string()>
                {move || if on.get() { label_on.clone() } else { label_off.clone() }}
            </button>
        </form>
    }
}

fn apply_elder_class(on: bool) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = document().document_element() {
        let _ = if on { root.class_list().add_1("elder") } else { root.class_list().remove_1("elder") };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = on;
}
