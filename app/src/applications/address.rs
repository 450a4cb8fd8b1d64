//! Address questions suggest standard addresses from the spatial register. Without JavaScript,
//! "查找地址" posts the step (saving it, as every step post does) and the page comes back with
//! the addresses found as radio buttons under the field; a field holding an area without a
//! house number also gets them as the browser's `<datalist>`. With JavaScript the step's island
//! fills that datalist as the citizen types. Every lookup goes through the audited gateway
//! (`server::address`).
//!
//! The radio buttons, not the datalist, are the accessible way to choose: a datalist's popup
//! is drawn by the browser, ignores the page's text size (elder mode) and is announced
//! unevenly by screen readers, and browsers hide options that do not contain what was typed.
//! A fieldset of radio buttons with a legend is plain HTML every assistive technology reads.

use super::text::use_text;
use crate::error::AppError;
use crate::i18n::fill;
use crate::ui::when_ready;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Addresses for what is typed in an address field of the citizen's application `reference`
/// (at most eight; none for less than two characters). 503 when the register cannot answer.
#[server(name = SuggestAddresses, prefix = "/api", endpoint = "applications/address-suggestions", input = GetUrl)]
pub async fn suggest_addresses(reference: Option<String>, text: Option<String>) -> Result<Vec<String>, AppError> {
    use super::server::address::{Asker, Found};
    let asker = Asker::from_request().map_err(crate::platform::fail)?;
    match asker.suggest(&reference.unwrap_or_default(), &text.unwrap_or_default()).await {
        Ok(Found::Addresses(addresses)) => Ok(addresses),
        Ok(Found::Unavailable) => Err(crate::platform::fail(AppError::Unavailable)),
        Err(err) => Err(crate::platform::fail(err)),
    }
}

/// What the page found for one field (pages render on the server only: the browser build
/// never makes one).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
enum Lookup {
    Found(Vec<String>),
    Unavailable,
}

/// The page's lookup: the same checks as the endpoint, but a refusal or an unanswered register
/// only means no suggestions (the page keeps its status).
#[cfg(feature = "ssr")]
fn lookup(reference: String, typed: String) -> impl std::future::Future<Output = Lookup> + Send + 'static {
    use super::server::address::{Asker, Found};
    let asker = Asker::from_request();
    async move {
        let Ok(asker) = asker else { return Lookup::Unavailable };
        match asker.suggest(&reference, &typed).await {
            Ok(Found::Addresses(addresses)) => Lookup::Found(addresses),
            Ok(Found::Unavailable) | Err(_) => Lookup::Unavailable,
        }
    }
}

/// Pages render on the server only; the browser build never draws them.
#[cfg(not(feature = "ssr"))]
async fn lookup(_: String, _: String) -> Lookup {
    Lookup::Unavailable
}

/// An area typed without a house number yet (`酒泉路`): worth suggesting on every showing.
fn looks_incomplete(typed: &str) -> bool {
    super::rules::address_lookup_wanted(typed)
        && !typed.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
}

/// Under an address field (`id`, answer `key`, holding `value`): the datalist the input names,
/// the "查找地址" button, and, when `choosing` (after that button), the addresses found as
/// radio buttons named `pick.<key>` with the button that takes the chosen one.
#[component]
pub fn AddressHelp(
    reference: String,
    key: String,
    id: String,
    value: String,
    label: String,
    choosing: bool,
) -> impl IntoView {
    let x = use_text();
    let list_id = format!("{id}-places");
    let find = view! {
        // The field's label in the name tells several address buttons apart; the name starts
        // with the visible text, so speaking that text still presses it. (Not `aria-label`: that
        // would make the button one more thing labelled with the field's label.)
        <button type="submit" name="action" value=format!("find:{key}") class="button button--secondary button--small address-find">
            <span aria-hidden="true">{x.address_find}</span>
            <span class="visually-hidden">{fill(x.address_find_for, &[&label])}</span>
        </button>
    };
    if !choosing && !looks_incomplete(&value) {
        return view! { <datalist id=list_id></datalist>{find} }.into_any();
    }
    let found = when_ready(move || {
        let (key, id, value, label, list_id) = (key.clone(), id.clone(), value.clone(), label.clone(), list_id.clone());
        let pending = lookup(reference.clone(), value.clone());
        async move {
            let found = pending.await;
            let options = match &found {
                Lookup::Found(addresses) => addresses.clone(),
                Lookup::Unavailable => Vec::new(),
            };
            let choices = choosing.then(|| choices(&key, &id, &value, &label, found));
            view! {
                <datalist id=list_id>{options.into_iter().map(|a| view! { <option value=a></option> }).collect_view()}</datalist>
                {choices}
            }
        }
    });
    view! { {find}{found} }.into_any()
}

/// The addresses found as a group of radio buttons ("keep what I typed" first, so pressing
/// on without choosing changes nothing), or why there are none.
fn choices(key: &str, id: &str, typed: &str, label: &str, found: Lookup) -> AnyView {
    let x = use_text();
    let box_id = format!("{id}-choices");
    let addresses = match found {
        Lookup::Found(addresses) if !addresses.is_empty() => addresses,
        other => {
            let why = match other {
                Lookup::Unavailable => x.address_unavailable.to_owned(),
                _ if !super::rules::address_lookup_wanted(typed) => x.address_too_short.to_owned(),
                _ => fill(x.address_none, &[typed.trim()]),
            };
            return view! { <div class="address-choices" id=box_id><p>{why}</p></div> }.into_any();
        }
    };
    let name = format!("pick.{key}");
    let radios = addresses
        .into_iter()
        .enumerate()
        .map(|(i, address)| {
            let radio_id = format!("{id}-pick-{}", i + 1);
            view! {
                <div class="radio">
                    <input type="radio" id=radio_id.clone() name=name.clone() value=address.clone()/>
                    <label for=radio_id>{address}</label>
                </div>
            }
        })
        .collect_view();
    let keep_id = format!("{id}-pick-0");
    view! {
        <fieldset class="address-choices" id=box_id aria-describedby=format!("{id}-choices-hint")>
            <legend>{fill(x.address_choices_legend, &[label])}</legend>
            <p class="field__hint" id=format!("{id}-choices-hint")>{x.address_choices_hint}</p>
            <div class="radio">
                <input type="radio" id=keep_id.clone() name=name.clone() value="" checked=true/>
                <label for=keep_id>{fill(x.address_keep, &[typed.trim()])}</label>
            </div>
            {radios}
            <button type="submit" name="action" value=format!("pick:{key}") class="button button--secondary">{x.address_use}</button>
        </fieldset>
    }
    .into_any()
}
