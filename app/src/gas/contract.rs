//! The gas company's contract with the portal: what its system answers about a household's gas
//! account, shaped on the Green Button / ESPI entities (usage point = the account and its meter,
//! meter readings, usage summaries = the bills) with the Chinese bill's fields. Money is in fen,
//! volumes in litres and days `YYYY-MM-DD`, so the portal's pages need no arithmetic of their own.

use serde::{Deserialize, Serialize};

pub use crate::registers::contract::ProviderError;

/// Cooking-only households and households that heat with gas have ladders of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GasClass {
    Cooking,
    Heating,
}

impl GasClass {
    pub fn code(self) -> &'static str {
        match self {
            GasClass::Cooking => "cooking",
            GasClass::Heating => "heating",
        }
    }

    pub fn from_code(code: &str) -> Option<GasClass> {
        match code {
            "cooking" => Some(GasClass::Cooking),
            "heating" => Some(GasClass::Heating),
            _ => None,
        }
    }
}

/// How a reading was taken (人工 / 自报 / 远传 / 估抄).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingSource {
    Inspector,
    SelfReported,
    Remote,
    Estimated,
}

impl ReadingSource {
    pub fn code(self) -> &'static str {
        match self {
            ReadingSource::Inspector => "inspector",
            ReadingSource::SelfReported => "self_reported",
            ReadingSource::Remote => "remote",
            ReadingSource::Estimated => "estimated",
        }
    }

    pub fn from_code(code: &str) -> Option<ReadingSource> {
        [ReadingSource::Inspector, ReadingSource::SelfReported, ReadingSource::Remote, ReadingSource::Estimated]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// One gas account (户号) with its meter, as the company holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GasAccount {
    pub account_no: String,
    pub holder_name: String,
    pub address: String,
    pub class: GasClass,
    /// People registered for the account (larger households get more of each tier).
    pub people: u8,
    pub meter_no: String,
    /// Credit on the account (positive) or the amount owed (negative), in fen.
    pub balance_fen: i64,
    /// The current tier year's first day and its use so far.
    pub tier_year_from: String,
    pub tier_year_used: i64,
}

/// One priced line of a bill.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillLine {
    pub tier: u8,
    pub from: String,
    pub to: String,
    pub volume: i64,
    /// Ten-thousandths of a yuan per m³.
    pub unit_price: i64,
    pub amount_fen: i64,
}

/// The bill of one reading period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bill {
    pub period_from: String,
    pub period_to: String,
    pub start_reading: i64,
    pub end_reading: i64,
    pub end_source: ReadingSource,
    pub volume: i64,
    pub lines: Vec<BillLine>,
    pub amount_fen: i64,
    pub due_on: String,
    /// The day it was paid, if it was.
    pub paid_on: Option<String>,
}

/// One step of a ladder as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedTier {
    /// The tier year's use up to which this price applies, in litres (none for the last tier).
    pub up_to: Option<i64>,
    pub unit_price: i64,
}

/// A ladder of one class from a day on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedTariff {
    pub class: GasClass,
    pub effective_from: String,
    pub tiers: Vec<PublishedTier>,
    pub base_household: u8,
    pub extra_per_person: i64,
}

/// The company's published price table and the day its tier year starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffTable {
    pub company: crate::site::Bilingual,
    pub versions: Vec<PublishedTariff>,
    /// `MM-DD`.
    pub tier_year_starts: String,
    /// Values of a demonstration data set, not the city's actual prices.
    pub demo: bool,
}

/// Everything the account page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountStatement {
    pub account: GasAccount,
    /// Newest first.
    pub bills: Vec<Bill>,
    /// A self-reported reading waiting for the next bill, if any: (day, litres).
    pub pending_reading: Option<(String, i64)>,
}

/// Does this account belong to a holder of this name? The answer is only yes or no.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolderCheck {
    pub account_no: String,
    pub holder_name: String,
}

/// A household's own reading of its meter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfReading {
    pub account_no: String,
    pub read_on: String,
    pub litres: i64,
}

/// Why the company refused a self-reported reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingRefusal {
    /// Lower than the last reading on the bill.
    BelowLast,
    /// More than a household could use since the last reading.
    Implausible,
    /// Not after the last reading, or in the future.
    BadDay,
}

/// Which account a call is about (the body of `statement`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRef {
    pub account_no: String,
}

/// Which address a call is about (the body of `accounts-at`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressRef {
    pub address: String,
}
