//! Form fields with labels, hints and error messages tied together for assistive technology,
//! and the error summary shown at the top of a form that failed validation.

use crate::i18n::use_messages;
use leptos::prelude::*;

/// A message for one field: which input it belongs to (its id) and the text to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    pub field_id: String,
    pub text: String,
}

/// Lists every problem with links to the fields, and takes focus so it is read first.
#[component]
pub fn ErrorSummary(errors: Vec<FieldMessage>) -> impl IntoView {
    let t = use_messages();
    (!errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title" class="error-summary__title">{t.error_summary_title}</h2>
                <ul>
                    {errors
                        .into_iter()
                        .map(|e| view! { <li><a href=format!("#{}", e.field_id)>{e.text}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// A labelled single-line text input. The hint and the error are linked with
/// `aria-describedby`, and an error marks the input `aria-invalid`.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
    #[prop(default = None)] hint: Option<String>,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional)] visually_hidden_label: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = [hint.as_ref().map(|_| hint_id.clone()), error.as_ref().map(|_| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let invalid = error.is_some();
    view! {
        <div class=if invalid { "field field--error" } else { "field" }>
            <label for=id.clone() class=if visually_hidden_label { "visually-hidden" } else { "field__label" }>
                {label}
            </label>
            {hint.map(|h| view! { <p id=hint_id class="field__hint">{h}</p> })}
            {error.map(|e| view! { <p id=error_id class="field__error">{e}</p> })}
            <input
                id=id
                name=name
                type=input_type
                class="field__input"
                value=value
                autocomplete=autocomplete
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!described_by.is_empty()).then_some(described_by)
            />
        </div>
    }
}

/// A labelled drop-down list; `options` are (value, text) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(optional, into)] value: String,
    #[prop(default = None)] error: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = error.is_some();
    view! {
        <div class=if invalid { "field field--error" } else { "field" }>
            <label for=id.clone() class="field__label">{label}</label>
            {error.map(|e| view! { <p id=error_id.clone() class="field__error">{e}</p> })}
            <select
                id=id
                name=name
                class="field__input"
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then_some(error_id.clone())
            >
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = v == value;
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
