//! Supervision (督办) of the window console for supervisors: where each case stands against its
//! promised time limit (`time_limit`, used by the queue and the case page too), the dashboard
//! `/staff/supervision` for a department or the city over a period (received, accepted,
//! completed, on time, working days to completion, overdue cases, ratings by department and
//! service, with charts and tables), the aggregate CSV and the case-list CSV with personal data,
//! which a second supervisor of the same scope approves before its one download.

mod api;
#[cfg(feature = "ssr")]
pub mod forms;
pub mod ledger;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod text;
#[cfg(feature = "ssr")]
pub mod time_limit;

pub use api::{ledger_entry, supervision_dashboard, LedgerEntry, SupervisionDashboard};
pub use pages::{LedgerEntryPage, SupervisionPage};

use serde::{Deserialize, Serialize};

/// Form posts of this feature: (path posted to, page shown again on a problem, handler).
#[cfg(feature = "ssr")]
pub const FORM_ROUTES: &[(&str, &str, crate::platform::forms::FormHandler)] = &[
    ("/staff/supervision/exports", "/staff/supervision", forms::request_export),
    ("/staff/supervision/exports/approve", "/staff/supervision", forms::approve_export),
    ("/staff/supervision/ratings/{id}", "/staff/supervision/ratings/{id}", forms::move_ledger),
];

/// This feature's multi-line fields (see `app::MULTI_LINE_FIELDS`).
#[cfg(feature = "ssr")]
pub const MULTI_LINE_FIELDS: &[(&str, &str)] = &[("/staff/supervision/ratings/{id}", "note")];

/// How close a case is to the end of its promised limit (see `time_limit::standing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Urgency {
    /// At least 80 % of the promised working days are used.
    Soon,
    /// More working days used than promised.
    Overdue,
}

/// A case's standing against its promised limit as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeStanding {
    pub promised_days: u32,
    pub used_days: u32,
    pub paused_days: u32,
    /// The promised day moved by the paused working days (ISO day).
    pub due: String,
    pub urgency: Option<Urgency>,
}

/// The period the dashboard and its exports cover, ending now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Period {
    ThisMonth,
    #[default]
    Last30Days,
    ThisYear,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::ThisMonth, Period::Last30Days, Period::ThisYear];

    pub fn code(self) -> &'static str {
        match self {
            Period::ThisMonth => "month",
            Period::Last30Days => "30d",
            Period::ThisYear => "year",
        }
    }

    pub fn from_code(code: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The figures of the whole scope, one department or one service over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub name: String,
    /// Submitted in the period.
    pub received: i64,
    /// First accepted in the period.
    pub accepted: i64,
    /// Completed (办结) in the period.
    pub completed: i64,
    /// Of those completed, within the promised limit.
    pub on_time: i64,
    /// Working days from submission to completion, paused days left out, on average.
    pub average_days: Option<f64>,
    /// Ratings given in the period, by level 1 to 5.
    pub ratings: [i64; 5],
}

impl Breakdown {
    /// The share of completed cases done on time, in per cent.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.completed > 0).then(|| self.on_time as f64 * 100.0 / self.completed as f64)
    }
}

/// An open case past its promised limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueCase {
    pub number: String,
    pub service: String,
    pub holder: Option<String>,
    /// The promised day moved by the pauses.
    pub due: String,
    pub used_days: u32,
    pub promised_days: u32,
}

/// Where a case-list export request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportState {
    /// Waiting for a second supervisor.
    Pending,
    /// Approved: the requester may download it once, until the approval expires.
    Approved,
    Downloaded,
    /// Approved but not downloaded in time.
    Expired,
}

/// One case-list export request of the scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub id: i64,
    pub period: Period,
    pub requester: String,
    pub requested_at: i64,
    /// The caller made this request.
    pub mine: bool,
    pub approver: Option<String>,
    pub state: ExportState,
    pub rows: Option<i64>,
}

/// The dashboard of a scope over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// A city-wide supervisor (no department).
    pub city: bool,
    pub department: String,
    pub period: Period,
    pub total: Breakdown,
    pub by_department: Vec<Breakdown>,
    pub by_service: Vec<Breakdown>,
    pub overdue: Vec<OverdueCase>,
    /// The scope's open 差评 ledger entries, the earliest due first.
    pub ledger: Vec<LedgerLine>,
    pub exports: Vec<ExportView>,
}

/// A 差评 ledger entry as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub id: i64,
    pub number: String,
    pub service: String,
    pub level: i64,
    pub state: ledger::LedgerState,
    pub due: String,
    pub responsible: String,
    /// Past its deadline and not reviewed.
    pub overdue: bool,
}

/// One 差评 ledger entry with its rating and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerView {
    pub line: LedgerLine,
    pub indicators: Vec<String>,
    pub comment: String,
    pub rated_at: i64,
    /// (when, who, from, to, responsible, note), oldest first.
    pub history: Vec<(i64, String, String, String, String, String)>,
}

crate::page_routes!(SupervisionRoutes {
    "/staff/supervision" => SupervisionPage,
    "/staff/supervision/ratings/:id" => LedgerEntryPage,
});
