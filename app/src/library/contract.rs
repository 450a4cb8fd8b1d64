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

/// The top class of a class number; one that does not start with a top class letter counts as
/// `Z` (综合性图书), as in [`clc_path`].
pub fn clc_top(clc: &str) -> char {
    clc.trim().chars().next().map(|c| c.to_ascii_uppercase()).filter(|c| CLC_TOP_CLASSES.contains(c)).unwrap_or('Z')
}

/// The 22 top classes of 中图法 (5th edition).
pub const CLC_TOP_CLASSES: [char; 22] =
    ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'X', 'Z'];

/// The longest class notation kept as a level: a top class letter and eight more characters.
pub const CLC_MAX_NOTATION: usize = 9;

/// The classes a class number belongs to, broadest first: `I247.5` → `I`, `I2`, `I24`, `I247`;
/// `TP311.13` → `T`, `TP`, `TP3`, `TP31`, `TP311`. Each digit is one level down; under `T` a
/// second letter is a level of its own (工业技术's 二级类 TB … TV). The class part ends at
/// anything else (`.`, `-`, `/` of a call number, a space) and after [`CLC_MAX_NOTATION`]
/// characters. Never empty: a number without a top class is `Z`.
pub fn clc_path(clc: &str) -> Vec<String> {
    let upper = clc.trim().to_ascii_uppercase();
    let mut chars = upper.chars().peekable();
    let top = clc_top(&upper);
    let mut notation = top.to_string();
    let mut path = vec![notation.clone()];
    if chars.next() != Some(top) {
        return path;
    }
    if top == 'T' {
        if let Some(second) = chars.next_if(char::is_ascii_uppercase) {
            notation.push(second);
            path.push(notation.clone());
        }
    }
    for c in chars {
        if !c.is_ascii_digit() || notation.len() >= CLC_MAX_NOTATION {
            break;
        }
        notation.push(c);
        path.push(notation.clone());
    }
    path
}

/// A class notation as a search filter: exactly one of the levels [`clc_path`] yields (`I`,
/// `I24`, `TP3`), nothing else (no lower case, no `.`, no letter after the digits).
pub fn clc_notation(text: &str) -> Option<String> {
    (text.len() <= CLC_MAX_NOTATION && clc_path(text).last().is_some_and(|last| last == text)).then(|| text.to_owned())
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_numbers_expand_to_their_levels() {
        assert_eq!(clc_path("I247.5"), ["I", "I2", "I24", "I247"]);
        assert_eq!(clc_path("I247.5/1234"), ["I", "I2", "I24", "I247"]);
        assert_eq!(clc_path("K204-2"), ["K", "K2", "K20", "K204"]);
        assert_eq!(clc_path("TP311.13"), ["T", "TP", "TP3", "TP31", "TP311"]);
        assert_eq!(clc_path("TU"), ["T", "TU"]);
        assert_eq!(clc_path("T"), ["T"]);
        // Only T has a level of letters; a letter elsewhere ends the class.
        assert_eq!(clc_path("IA12"), ["I"]);
        assert_eq!(clc_path(" i24 "), ["I", "I2", "I24"]);
        assert_eq!(clc_path("X"), ["X"]);
        // No top class: general works. Not L, W, Y (no such classes), not empty.
        assert_eq!(clc_path(""), ["Z"]);
        assert_eq!(clc_path("L12"), ["Z"]);
        assert_eq!(clc_path("247"), ["Z"]);
        assert_eq!(clc_top("TP3"), 'T');
        assert_eq!(clc_top("W1"), 'Z');
        // At most nine characters.
        assert_eq!(clc_path("I2471234567").last().map(String::as_str), Some("I24712345"));
    }

    #[test]
    fn only_exact_levels_are_class_notations() {
        for ok in ["I", "I2", "I24", "TP", "TP3", "Z", "X9", "I24712345"] {
            assert_eq!(clc_notation(ok).as_deref(), Some(ok), "{ok}");
        }
        for bad in ["", "i2", "I2.4", "I2 ", " I", "IA", "TPX", "L", "W1", "I247123456", "I2/3", "<script>", "I２"] {
            assert_eq!(clc_notation(bad), None, "{bad}");
        }
    }
}
