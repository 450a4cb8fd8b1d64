//! With JavaScript, a step of the form checks each answer as soon as it is changed (the same
//! rules the server applies, compiled into the browser build) and saves the draft a moment after
//! typing stops; an address field is offered standard addresses as it is typed (see `address`).
//! Without JavaScript nothing here runs and the form works as plain HTML: the server checks on
//! "save and continue" and every post saves.

use crate::catalogue::model::Question;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One field on the page: its element id, its answer key and the question it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldCheck {
    pub id: String,
    pub key: String,
    pub question: Question,
}

/// The status line of the autosave, and the listeners that check and save the step's fields.
/// `messages` maps each answer problem's code to its text in the reader's language.
#[island]
pub fn StepEnhancer(
    reference: String,
    step: u32,
    checks: Vec<FieldCheck>,
    messages: Vec<(String, String)>,
    saved_text: String,
    failed_text: String,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let setup = browser::Setup { reference, step, checks, messages, saved_text, failed_text, status };
        Effect::new(move |_| setup.attach());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (reference, step, checks, messages, saved_text, failed_text);
    view! { <p class="autosave" role="status" aria-live="polite">{move || status.get()}</p> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::FieldCheck;
    use crate::catalogue::model::QuestionKind;
    use leptos::prelude::*;
    use leptos::web_sys::{Document, Element, Event, HtmlInputElement, HtmlSelectElement};
    use std::time::Duration;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    #[derive(Clone)]
    pub struct Setup {
        pub reference: String,
        pub step: u32,
        pub checks: Vec<FieldCheck>,
        pub messages: Vec<(String, String)>,
        pub saved_text: String,
        pub failed_text: String,
        pub status: RwSignal<String>,
    }

    fn value_of(element: &Element) -> String {
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            input.value()
        } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
            select.value()
        } else {
            String::new()
        }
    }

    /// Shows or clears a field's message the way the server draws it: the text above the input,
    /// tied to it with `aria-describedby`, the input marked invalid.
    fn show(document: &Document, id: &str, problem: Option<&str>) {
        let Some(input) = document.get_element_by_id(id) else { return };
        let error_id = format!("{id}-error");
        let existing = document.get_element_by_id(&error_id);
        let described: Vec<String> = input
            .get_attribute("aria-describedby")
            .unwrap_or_default()
            .split_whitespace()
            .filter(|d| *d != error_id)
            .map(str::to_owned)
            .collect();
        let field = input.closest(".field").ok().flatten();
        match problem {
            Some(text) => {
                let message = existing.or_else(|| {
                    let p = document.create_element("p").ok()?;
                    p.set_id(&error_id);
                    p.set_class_name("field__error");
                    input.parent_node()?.insert_before(&p, Some(&input)).ok()?;
                    Some(p)
                });
                if let Some(message) = message {
                    message.set_text_content(Some(text));
                }
                let mut ids = described;
                ids.push(error_id);
                let _ = input.set_attribute("aria-describedby", &ids.join(" "));
                let _ = input.set_attribute("aria-invalid", "true");
                if let Some(field) = field {
                    let _ = field.class_list().add_1("field--error");
                }
            }
            None => {
                if let Some(message) = existing {
                    message.remove();
                }
                let _ = if described.is_empty() {
                    input.remove_attribute("aria-describedby")
                } else {
                    input.set_attribute("aria-describedby", &described.join(" "))
                };
                let _ = input.remove_attribute("aria-invalid");
                if let Some(field) = field {
                    let _ = field.class_list().remove_1("field--error");
                }
            }
        }
    }

    impl Setup {
        pub fn attach(&self) {
            let document = document();
            let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
            for check in &self.checks {
                let Some(element) = document.get_element_by_id(&check.id) else { continue };
                let (this, doc, field) = (self.clone(), document.clone(), check.clone());
                let on_change = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                    let Some(element) = doc.get_element_by_id(&field.id) else { return };
                    let problem = crate::applications::rules::check_answer(&field.question, &value_of(&element))
                        .and_then(|code| this.messages.iter().find(|(c, _)| c == code).map(|(_, text)| text.as_str()));
                    show(&doc, &field.id, problem);
                });
                let _ = element.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
                on_change.forget();
                let this = self.clone();
                let on_input = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                    if let Some(previous) = timer.get_value() {
                        previous.clear();
                    }
                    let this = this.clone();
                    let handle = set_timeout_with_handle(move || this.save(), Duration::from_millis(1500)).ok();
                    timer.set_value(handle);
                });
                for event in ["input", "change"] {
                    let _ = element.add_event_listener_with_callback(event, on_input.as_ref().unchecked_ref());
                }
                on_input.forget();
                if check.question.kind == QuestionKind::Address {
                    self.suggest_while_typing(&element, check.id.clone());
                }
            }
        }

        /// Fills the field's datalist with standard addresses for what it holds, once typing
        /// pauses. An answer that arrives after the field changed again is dropped; a failed
        /// lookup leaves the list as it was.
        fn suggest_while_typing(&self, element: &Element, id: String) {
            let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
            let reference = self.reference.clone();
            let on_input = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                if let Some(previous) = timer.get_value() {
                    previous.clear();
                }
                let (reference, id) = (reference.clone(), id.clone());
                let lookup = move || {
                    let document = document();
                    let typed = document.get_element_by_id(&id).map(|e| value_of(&e)).unwrap_or_default();
                    if !crate::applications::rules::address_lookup_wanted(&typed) {
                        return;
                    }
                    leptos::task::spawn_local(async move {
                        let Ok(found) =
                            super::super::address::suggest_addresses(Some(reference), Some(typed.clone())).await
                        else {
                            return;
                        };
                        let document = leptos::prelude::document();
                        let still = document.get_element_by_id(&id).is_some_and(|e| value_of(&e) == typed);
                        let Some(list) = document.get_element_by_id(&format!("{id}-places")).filter(|_| still) else {
                            return;
                        };
                        list.set_text_content(None);
                        for address in found {
                            if let Ok(option) = document.create_element("option") {
                                let _ = option.set_attribute("value", &address);
                                let _ = list.append_child(&option);
                            }
                        }
                    });
                };
                timer.set_value(set_timeout_with_handle(lookup, Duration::from_millis(300)).ok());
            });
            let _ = element.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
            on_input.forget();
        }

        fn save(&self) {
            let document = document();
            let (keys, values): (Vec<String>, Vec<String>) = self
                .checks
                .iter()
                .filter_map(|c| document.get_element_by_id(&c.id).map(|e| (c.key.clone(), value_of(&e))))
                .unzip();
            let this = self.clone();
            leptos::task::spawn_local(async move {
                let result =
                    super::autosave_step(Some(this.reference.clone()), Some(this.step), Some(keys), Some(values)).await;
                this.status.set(if result.is_ok() { this.saved_text.clone() } else { this.failed_text.clone() });
            });
        }
    }
}

/// Saves what the step's fields hold now, without checking it (a draft keeps anything typed).
#[server(name = AutosaveStep, prefix = "/api", endpoint = "applications/autosave")]
pub async fn autosave_step(
    reference: Option<String>,
    step: Option<u32>,
    keys: Option<Vec<String>>,
    values: Option<Vec<String>>,
) -> Result<(), AppError> {
    use super::server::{self as apps, db};
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let reference = reference.unwrap_or_default();
    let loaded = apps::load_mine(&ctx, citizen.id(), &reference)
        .await?
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    if !loaded.status.citizen_can_edit() {
        return Err(crate::platform::fail(AppError::Forbidden));
    }
    let all = super::model::steps(&loaded.item.form);
    let number = step.unwrap_or(0) as usize;
    let on_step =
        number.checked_sub(1).and_then(|i| all.get(i)).ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let (keys, values) = (keys.unwrap_or_default(), values.unwrap_or_default());
    if keys.len() != values.len() || keys.len() > 500 {
        return Err(crate::platform::fail(AppError::BadRequest));
    }
    let mut answers = loaded.answers.clone();
    answers.take_posted(&on_step.questions, |key| keys.iter().position(|k| k == key).map(|i| values[i].clone()));
    let json = serde_json::to_string(&answers).map_err(|e| AppError::internal(&e))?;
    let now = ctx.clock.now();
    let saved = db::save_answers(
        &ctx.db,
        citizen.id(),
        loaded.row.id,
        &json,
        number as i64,
        now,
        Some(now + apps::draft_lifetime(&ctx)),
    )
    .await?;
    if saved {
        Ok(())
    } else {
        Err(crate::platform::fail(AppError::Forbidden))
    }
}
