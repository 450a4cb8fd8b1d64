//! The window console (受理与审批): clerks and supervisors work on the applications of their
//! scope — a queue sorted by deadline, one case with its answers (register-filled ones marked),
//! materials with the checklist's verdicts (`checklist`), the changes of a resubmission,
//! internal notes and timeline, and decisions through the application lifecycle
//! (`applications::lifecycle`). Every query carries the staff member's `CaseScope`; every view,
//! download, verdict and decision is in the chained case audit.

mod api;
mod audit;
pub mod checklist;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod intake;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod text;

pub use api::{case_detail, case_queue, CaseDetail, CaseQueue, CaseView, QueueView};
pub use audit::{case_audit_search, export_case_audit, CaseAuditPage};
pub use intake::{IntakeDraftPage, IntakePage};
pub use pages::{CasePage, CaseQueuePage};

/// Form posts of this feature: (path posted to, page shown again on a problem, handler).
#[cfg(feature = "ssr")]
pub const FORM_ROUTES: &[(&str, &str, crate::platform::forms::FormHandler)] = &[
    ("/staff/cases/{number}/claim", "/staff/cases/{number}", forms::claim),
    ("/staff/cases/{number}/release", "/staff/cases/{number}", forms::release),
    ("/staff/cases/{number}/decision", "/staff/cases/{number}", forms::decide),
    ("/staff/cases/{number}/notes", "/staff/cases/{number}", forms::note),
    ("/staff/cases/{number}/checks", "/staff/cases/{number}", forms::record_checks),
    ("/staff/cases/{number}/assign", "/staff/cases/{number}", forms::assign),
    ("/staff/intake", "/staff/intake", intake::forms::identify),
    ("/staff/intake/{reference}", "/staff/intake/{reference}", intake::forms::save),
    ("/staff/intake/{reference}/files/remove", "/staff/intake/{reference}", intake::forms::remove_file),
];

/// This feature's multi-line fields (see `app::MULTI_LINE_FIELDS`).
#[cfg(feature = "ssr")]
pub const MULTI_LINE_FIELDS: &[(&str, &str)] = &[
    ("/staff/cases/{number}/decision", "reason"),
    ("/staff/cases/{number}/decision", "appeal"),
    ("/staff/cases/{number}/notes", "body"),
];

crate::page_routes!(CaseRoutes {
    "/staff/cases" => CaseQueuePage,
    "/staff/cases/:number" => CasePage,
    "/staff/case-audit" => CaseAuditPage,
    "/staff/intake" => IntakePage,
    "/staff/intake/:reference" => IntakeDraftPage,
});
