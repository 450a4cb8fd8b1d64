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
    /// The id of a `<datalist>` of suggestions for this input.
    #[prop(optional, into)]
    list: Option<String>,
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
                list=list
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!described_by.is_empty()).then_some(described_by)
            />
        </div>
    }
}

/// A labelled multi-line text box (its field must be listed in `app::MULTI_LINE_FIELDS`, the
/// only fields that accept line breaks). `<textarea>` is a raw-text element: Leptos writes its
/// children out unescaped (tachys marks it, like `script` and `style`, as not escaping
/// children), so a value given as a child lets `</textarea><h1>…` out of the box. The value is
/// therefore escaped here and set as the element's markup; every textarea uses this component.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
    #[prop(default = None)] hint: Option<String>,
    /// Messages for this field, each its own line.
    #[prop(optional)]
    errors: Vec<String>,
    #[prop(default = 6)] rows: u32,
    /// Monospaced, without spell checking (for documents such as TOML).
    #[prop(optional)]
    code: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let invalid = !errors.is_empty();
    let described_by = [hint.as_ref().map(|_| hint_id.clone()), invalid.then(|| error_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <div class=if invalid { "field field--error" } else { "field" }>
            <label for=id.clone() class="field__label">{label}</label>
            {hint.map(|h| view! { <p id=hint_id class="field__hint">{h}</p> })}
            {invalid.then(|| view! {
                <ul id=error_id class="field__error">
                    {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                </ul>
            })}
            <textarea
                id=id
                name=name
                class=if code { "field__input field__input--code" } else { "field__input" }
                rows=rows.to_string()
                spellcheck=code.then_some("false")
                aria-invalid=invalid.then_some("true")
                aria-describedby=(!described_by.is_empty()).then_some(described_by)
                inner_html=textarea_markup(&value)
            ></textarea>
        </div>
    }
}

/// The markup that makes a `<textarea>` hold exactly `value`: `&`, `<` and `>` escaped (the
/// browser decodes character references inside a textarea, so a typed `&amp;` must stay
/// `&amp;amp;`), after a line break, which the HTML parser drops right after `<textarea>` so
/// that a value starting with a line break keeps it.
pub fn textarea_markup(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 1);
    out.push('\n');
    out.push_str(&escape_text(value));
    out
}

/// `text` escaped for HTML text content (`&`, `<`, `>`), for the few places where markup is
/// written without Leptos's own escaping.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textarea_markup_cannot_close_the_box_and_keeps_text_exactly() {
        let hostile = "</textarea><h1 id=pwn>x</h1>&amp; 张伟 👍\n\tb = 2";
        let markup = textarea_markup(hostile);
        assert!(!markup.contains('<') && !markup.contains('>'));
        assert_eq!(markup, "\n&lt;/textarea&gt;&lt;h1 id=pwn&gt;x&lt;/h1&gt;&amp;amp; 张伟 👍\n\tb = 2");
    }
}
