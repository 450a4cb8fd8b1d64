//! What the portal may ask the library's system, and what comes back. The same types travel
//! as JSON, so the in-process demo store and a remote library system are interchangeable.

use crate::site::Bilingual;
use serde::{Deserialize, Serialize};

pub use crate::registers::contract::ProviderError;

/// A branch (分馆) with where it is, as the library publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    pub code: String,
    pub name: Bilingual,
    pub address: Bilingual,
    pub hours: Bilingual,
    /// WGS-84.
    pub longitude: f64,
    pub latitude: f64,
}

/// Where a record came from: a real catalogue record, or the generated demo catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordSource {
    LibraryOfCongress,
    Generated,
}

/// One bibliographic record, in the vernacular script where the catalogue has it (MARC 880)
/// and with ISBD punctuation removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BibRecord {
    pub id: String,
    pub source: RecordSource,
    /// Title proper (245 $a $n $p).
    pub title: String,
    /// Other title information or parallel title (245 $b).
    pub subtitle: Option<String>,
    pub title_romanized: Option<String>,
    /// Statement of responsibility (245 $c), as printed.
    pub responsibility: Option<String>,
    pub authors: Vec<String>,
    pub edition: Option<String>,
    pub place: Option<String>,
    pub publisher: Option<String>,
    pub year: Option<i32>,
    pub extent: Option<String>,
    /// ISBN-10 or ISBN-13 digits (X allowed last), without hyphens.
    pub isbns: Vec<String>,
    pub subjects: Vec<String>,
    pub series: Option<String>,
    pub summary: Option<String>,
    /// 中图法 class number, e.g. `I247.5`.
    pub clc: String,
    /// Library of Congress classification, when the record has one.
    pub lcc: Option<String>,
    /// MARC language code, e.g. `chi`.
    pub language: String,
}

impl BibRecord {
    /// The 中图法 top class letter (`T` for `TP311`).
    pub fn clc_top(&self) -> char {
        clc_top(&self.clc)
    }
}

pub fn clc_top(clc: &str) -> char {
    clc.chars().next().filter(char::is_ascii_uppercase).unwrap_or('Z')
}

/// The 22 top classes of 中图法 (5th edition), the only levels shipped.
pub const CLC_TOP_CLASSES: [char; 22] =
    ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'X', 'Z'];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// 在架
    OnShelf,
    /// 借出 (with a due date)
    OnLoan,
    /// 在途 (moving between branches)
    InTransit,
    /// 仅供阅览
    ReferenceOnly,
    /// 预约保留: kept at a pick-up desk for the reader who reserved it.
    OnHold,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 5] =
        [ItemStatus::OnShelf, ItemStatus::OnLoan, ItemStatus::InTransit, ItemStatus::ReferenceOnly, ItemStatus::OnHold];

    pub fn code(self) -> &'static str {
        match self {
            ItemStatus::OnShelf => "on_shelf",
            ItemStatus::OnLoan => "on_loan",
            ItemStatus::InTransit => "in_transit",
            ItemStatus::ReferenceOnly => "reference_only",
            ItemStatus::OnHold => "on_hold",
        }
    }

    pub fn from_code(code: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One copy (册) of a record in a branch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub barcode: String,
    pub record_id: String,
    pub branch: String,
    /// 索书号: class number / book number, e.g. `I247.5/1234`.
    pub call_number: String,
    /// Floor, room and shelf, e.g. `二楼 文学借阅区 12 架`.
    pub location: Bilingual,
    pub status: ItemStatus,
    /// `YYYY-MM-DD`, for a copy on loan.
    pub due_date: Option<String>,
}

/// Records changed after `cursor` (a change sequence number), oldest change first: the portal
/// rebuilds and updates its search index from these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesRequest {
    pub cursor: i64,
    pub limit: u32,
}

/// The most records one changes request may return.
pub const MAX_CHANGES: u32 = 2000;

/// A record with where its copies are, as the index needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangedRecord {
    pub seq: i64,
    pub record: BibRecord,
    /// Branch codes holding a copy, each once.
    pub branches: Vec<String>,
    /// Whether any copy is on the shelf for lending at the time of the change.
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangesPage {
    pub records: Vec<ChangedRecord>,
    /// Pass this as the next request's cursor.
    pub next_cursor: i64,
    /// The total number of records the library holds.
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldingsRequest {
    pub record_ids: Vec<String>,
}

/// The most records one holdings request may name (a page of results).
pub const MAX_HOLDINGS_RECORDS: usize = 100;

/// Does this library card have this PIN? The answer is only yes or no; the portal never keeps
/// the PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatronCheck {
    pub card_no: String,
    pub pin: String,
}

/// Which card a call is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardRef {
    pub card_no: String,
}

/// The library's lending rules, as it publishes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanRules {
    /// How often one loan may be renewed.
    pub max_renewals: u8,
    /// Days a renewal adds, counted from the day of renewal.
    pub renew_days: u16,
    /// Days a reserved copy waits at the pick-up branch.
    pub pickup_days: u16,
}

/// One copy a reader has borrowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loan {
    pub barcode: String,
    pub record_id: String,
    pub title: String,
    pub branch: String,
    /// `YYYY-MM-DD`.
    pub due_date: String,
    pub renewals: u8,
    /// Another reader is waiting for this copy.
    pub reserved_by_another: bool,
}

/// One copy a reader has reserved (预约).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hold {
    pub barcode: String,
    pub record_id: String,
    pub title: String,
    /// The branch where it is picked up.
    pub pickup_branch: String,
    /// `YYYY-MM-DD`: the last day it waits there; none while the copy is still on loan.
    pub pickup_by: Option<String>,
}

/// A reader's account as the library holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatronAccount {
    pub card_no: String,
    pub name: String,
    pub loans: Vec<Loan>,
    pub holds: Vec<Hold>,
    pub rules: LoanRules,
    /// The library's today (`YYYY-MM-DD`), against which loans are overdue.
    pub today: String,
}

/// Place a hold on one copy on the shelf, to be picked up at a branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReserveRequest {
    pub card_no: String,
    pub barcode: String,
    pub pickup_branch: String,
}

/// Why the library refused a reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReserveRefusal {
    /// The copy is not on the shelf to lend (on loan, already reserved, reference only…).
    NotAvailable,
    /// No such copy, or no such pick-up branch.
    Unknown,
}

/// Renew one loan of a card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewRequest {
    pub card_no: String,
    pub barcode: String,
}

/// Why the library refused a renewal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewRefusal {
    /// Renewed as often as the rules allow.
    LimitReached,
    /// Another reader has reserved the copy.
    Reserved,
    /// Past its due date: it must be returned.
    Overdue,
    /// The card has no such loan.
    NotOnLoan,
}

/// A renewal's new due date (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renewed {
    pub due_date: String,
}
