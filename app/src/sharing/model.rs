//! The shared-data catalogue (共享目录) as seen by people: resources, their data items, who may
//! receive which items for what purpose, and the record of every access.

use crate::site::Bilingual;
use serde::{Deserialize, Serialize};

/// 共享类型: whether a resource is open to every consumer, open on conditions (a grant), or
/// not shared at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharingType {
    Unconditional,
    Conditional,
    NotShared,
}

impl SharingType {
    pub fn code(self) -> &'static str {
        match self {
            SharingType::Unconditional => "unconditional",
            SharingType::Conditional => "conditional",
            SharingType::NotShared => "not_shared",
        }
    }

    pub fn from_code(code: &str) -> Option<SharingType> {
        [SharingType::Unconditional, SharingType::Conditional, SharingType::NotShared]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Why a consumer may receive data: a statutory duty, the data subject's consent, or open data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Statutory,
    Consent,
    Open,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Basis::Statutory => "statutory",
            Basis::Consent => "consent",
            Basis::Open => "open",
        }
    }

    pub fn from_code(code: &str) -> Option<Basis> {
        [Basis::Statutory, Basis::Consent, Basis::Open].into_iter().find(|b| b.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceField {
    pub key: String,
    pub name: Bilingual,
    /// Personal information (个人信息): shown with care and never granted without a basis.
    #[serde(default)]
    pub personal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// The portal feature that receives the data, e.g. `accounts.real_name`.
    pub consumer: String,
    pub purpose: Bilingual,
    pub basis: Basis,
    pub legal_basis: Bilingual,
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataResource {
    pub code: String,
    /// The base register whose interface serves this resource, if any.
    #[serde(default)]
    pub register: Option<String>,
    pub name: Bilingual,
    pub description: Bilingual,
    /// Department code of the provider.
    pub provider_department: String,
    pub sharing: SharingType,
    /// 更新周期, e.g. 实时 / real time.
    pub frequency: Bilingual,
    pub fields: Vec<ResourceField>,
    #[serde(default)]
    pub grants: Vec<Grant>,
}

/// A resource with its provider's name, for listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub resource: DataResource,
    pub provider_name: Bilingual,
}

/// One access to a person's or entity's data, as shown to them ("who accessed my data").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRecord {
    pub at: i64,
    pub resource_name: Bilingual,
    pub provider_name: Bilingual,
    pub consumer: String,
    pub purpose: Bilingual,
    pub basis: String,
    /// The data items asked for, by name.
    pub fields: Vec<Bilingual>,
    pub outcome: String,
}

/// Call statistics for one provider resource and consumer over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallStats {
    pub resource_code: String,
    pub consumer: String,
    pub calls: u64,
    pub errors: u64,
    pub refused: u64,
    pub p95_latency_ms: u64,
}
