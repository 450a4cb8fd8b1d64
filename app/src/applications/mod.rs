//! Online applications (网上办件): a citizen applies for a published service item step by step,
//! with answers prefilled from the registers when they agree, saves drafts, uploads materials,
//! checks and submits, follows the case on its timeline, answers a 补正 request and rates the
//! finished case. Works as plain HTML forms; the review console meets it at 补正.

mod address;
mod api;
mod enhance;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod lifecycle;
pub mod model;
mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod server;
pub mod text;

pub use address::{suggest_addresses, SuggestAddresses};
#[cfg(feature = "ssr")]
pub(crate) use api::window_draft_view;
pub use api::{
    apply_intro, my_application, my_applications, ApplicationEntry, ApplicationView, ApplyIntro, ApplyIntroFor,
    MyApplication, MyApplicationList, MyApplications,
};
pub use enhance::{autosave_step, AutosaveStep, FieldCheck, StepEnhancer};
pub(crate) use pages::{answer_text, answers_by_step, group_fields, materials_section, question_field, question_label};
pub use pages::{
    ApplicationPage, ApplyPage, MyApplicationsPage, PrefillPage, ProgressPage, ReviewPage, StepPage, SupplementPage,
};

/// Form posts of this feature: (path posted to, page shown again on a problem, handler).
#[cfg(feature = "ssr")]
pub const FORM_ROUTES: &[(&str, &str, crate::platform::forms::FormHandler)] = &[
    ("/services/{code}/apply", "/services/{code}/apply", forms::start),
    ("/applications/{reference}/prefill", "/applications/{reference}/prefill", forms::prefill),
    ("/applications/{reference}/step/{n}", "/applications/{reference}/step/{n}", forms::save_step),
    ("/applications/{reference}/review", "/applications/{reference}/review", forms::submit),
    ("/applications/{reference}/withdraw", "/applications/{reference}", forms::withdraw),
    ("/applications/{reference}/supplement", "/applications/{reference}/supplement", forms::supplement),
    ("/applications/{reference}/rating", "/applications/{reference}", forms::rate),
    ("/applications/{reference}/files/remove", "/applications/{reference}", forms::remove_file),
    ("/applications/{reference}/files/reuse", "/applications/{reference}", forms::reuse_file),
    ("/progress", "/progress", forms::progress),
];

/// This feature's multi-line fields (see `app::MULTI_LINE_FIELDS`).
#[cfg(feature = "ssr")]
pub const MULTI_LINE_FIELDS: &[(&str, &str)] =
    &[("/applications/{reference}/supplement", "note"), ("/applications/{reference}/rating", "comment")];

crate::page_routes!(ApplicationRoutes {
    "/services/:code/apply" => ApplyPage,
    "/applications" => MyApplicationsPage,
    "/applications/:reference" => ApplicationPage,
    "/applications/:reference/prefill" => PrefillPage,
    "/applications/:reference/step/:n" => StepPage,
    "/applications/:reference/review" => ReviewPage,
    "/applications/:reference/supplement" => SupplementPage,
    "/progress" => ProgressPage,
});
