//! The data-provider contract: what the portal may ask each base register, and what comes back.
//!
//! Every request names the fields it wants, and a provider returns those fields and no others
//! (field minimisation is checked again on the portal side). The same types travel as JSON over
//! HTTP, so a remote department's system and the in-process demo provider are interchangeable.

use crate::site::Bilingual;
use serde::{Deserialize, Serialize};

/// The four base registers (基础库).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Register {
    Population,
    LegalEntities,
    Economy,
    Spatial,
}

impl Register {
    pub const ALL: [Register; 4] =
        [Register::Population, Register::LegalEntities, Register::Economy, Register::Spatial];

    pub fn code(self) -> &'static str {
        match self {
            Register::Population => "population",
            Register::LegalEntities => "legal_entities",
            Register::Economy => "economy",
            Register::Spatial => "spatial",
        }
    }

    pub fn from_code(code: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Declares a field enum whose wire name is also its catalogue key.
macro_rules! field_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

field_enum!(
    /// Fields of the population register (人口库), keyed by resident ID number.
    PersonField {
        Name => "name",
        Sex => "sex",
        BirthDate => "birth_date",
        Ethnicity => "ethnicity",
        HouseholdAddress => "household_address",
        MaritalStatus => "marital_status",
        HouseholdMembers => "household_members",
    }
);

field_enum!(
    /// Fields of the legal-entity register (法人库), keyed by unified social credit code.
    EntityField {
        Name => "name",
        Kind => "kind",
        LegalRepresentative => "legal_representative",
        LegalRepresentativeId => "legal_representative_id",
        RegisteredCapital => "registered_capital",
        Address => "address",
        Status => "status",
        EstablishedOn => "established_on",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaritalStatus {
    Unmarried,
    Married,
    Divorced,
    Widowed,
}

/// A household member's relation to the head of household (与户主关系).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Head,
    Spouse,
    Son,
    Daughter,
    Father,
    Mother,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdMember {
    pub relation: Relation,
    pub name: String,
    pub id_number: String,
    pub birth_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    pub id_number: String,
    pub fields: Vec<PersonField>,
}

/// A person as returned: only the requested fields are present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<MaritalStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household_members: Option<Vec<HouseholdMember>>,
}

impl PersonRecord {
    pub fn present_fields(&self) -> Vec<PersonField> {
        let present = [
            (PersonField::Name, self.name.is_some()),
            (PersonField::Sex, self.sex.is_some()),
            (PersonField::BirthDate, self.birth_date.is_some()),
            (PersonField::Ethnicity, self.ethnicity.is_some()),
            (PersonField::HouseholdAddress, self.household_address.is_some()),
            (PersonField::MaritalStatus, self.marital_status.is_some()),
            (PersonField::HouseholdMembers, self.household_members.is_some()),
        ];
        present.into_iter().filter(|(_, p)| *p).map(|(f, _)| f).collect()
    }

    /// Drops every field not in `fields`.
    pub fn keep_only(mut self, fields: &[PersonField]) -> Self {
        let keep = |f: PersonField| fields.contains(&f);
        if !keep(PersonField::Name) {
            self.name = None;
        }
        if !keep(PersonField::Sex) {
            self.sex = None;
        }
        if !keep(PersonField::BirthDate) {
            self.birth_date = None;
        }
        if !keep(PersonField::Ethnicity) {
            self.ethnicity = None;
        }
        if !keep(PersonField::HouseholdAddress) {
            self.household_address = None;
        }
        if !keep(PersonField::MaritalStatus) {
            self.marital_status = None;
        }
        if !keep(PersonField::HouseholdMembers) {
            self.household_members = None;
        }
        self
    }
}

/// Real-name check (实名核验): does this name belong to this ID number? Answers yes or no and
/// returns no register data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityCheckRequest {
    pub id_number: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityCheck {
    pub matches: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRequest {
    pub credit_code: String,
    pub fields: Vec<EntityField>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    LimitedCompany,
    JointStockCompany,
    SoleProprietorship,
    IndividualBusiness,
    FarmersCooperative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityStatus {
    /// 存续（在营、开业、在册）
    Active,
    /// 吊销
    Revoked,
    /// 注销
    Deregistered,
    /// 迁出
    MovedOut,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EntityKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_representative_id: Option<String>,
    /// Registered capital in yuan (individual businesses have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_capital: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EntityStatus>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub established_on: Option<String>,
}

impl EntityRecord {
    pub fn present_fields(&self) -> Vec<EntityField> {
        let present = [
            (EntityField::Name, self.name.is_some()),
            (EntityField::Kind, self.kind.is_some()),
            (EntityField::LegalRepresentative, self.legal_representative.is_some()),
            (EntityField::LegalRepresentativeId, self.legal_representative_id.is_some()),
            (EntityField::RegisteredCapital, self.registered_capital.is_some()),
            (EntityField::Address, self.address.is_some()),
            (EntityField::Status, self.status.is_some()),
            (EntityField::EstablishedOn, self.established_on.is_some()),
        ];
        present.into_iter().filter(|(_, p)| *p).map(|(f, _)| f).collect()
    }

    /// Drops every field not in `fields`.
    pub fn keep_only(mut self, fields: &[EntityField]) -> Self {
        let keep = |f: EntityField| fields.contains(&f);
        if !keep(EntityField::Name) {
            self.name = None;
        }
        if !keep(EntityField::Kind) {
            self.kind = None;
        }
        if !keep(EntityField::LegalRepresentative) {
            self.legal_representative = None;
        }
        if !keep(EntityField::LegalRepresentativeId) {
            self.legal_representative_id = None;
        }
        if !keep(EntityField::RegisteredCapital) {
            self.registered_capital = None;
        }
        if !keep(EntityField::Address) {
            self.address = None;
        }
        if !keep(EntityField::Status) {
            self.status = None;
        }
        if !keep(EntityField::EstablishedOn) {
            self.established_on = None;
        }
        self
    }
}

/// Macro-economic indicators; an empty `codes` list asks for every indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRequest {
    pub codes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Annual,
    /// Quarterly, cumulative from the start of the year (累计), as statistical bulletins report.
    QuarterlyCumulative,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorPoint {
    /// `2023` for a year, `2023Q2` for a quarter.
    pub period: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSeries {
    pub code: String,
    pub name: Bilingual,
    pub unit: Bilingual,
    pub source: Bilingual,
    pub frequency: Frequency,
    /// Oldest first.
    pub points: Vec<IndicatorPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    District,
    Street,
    Community,
    /// Halls, hospitals, libraries, stations and landmarks.
    Named,
}

impl PlaceKind {
    pub fn code(self) -> &'static str {
        match self {
            PlaceKind::District => "district",
            PlaceKind::Street => "street",
            PlaceKind::Community => "community",
            PlaceKind::Named => "named",
        }
    }

    pub fn from_code(code: &str) -> Option<PlaceKind> {
        [PlaceKind::District, PlaceKind::Street, PlaceKind::Community, PlaceKind::Named]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Address search: places whose full name contains `text`, optionally of one kind and inside
/// one parent area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceRequest {
    pub text: String,
    pub kind: Option<PlaceKind>,
    pub within: Option<String>,
    pub limit: u32,
}

/// The most places one request may return.
pub const MAX_PLACES: u32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub code: String,
    pub kind: PlaceKind,
    pub name: String,
    /// District → street → community, e.g. `城关区 酒泉路街道 畅家巷社区居委会`.
    pub full_name: String,
    pub parent_code: Option<String>,
    /// WGS-84.
    pub longitude: f64,
    pub latitude: f64,
    /// False when the coordinates are an approximation (a point inside the area), not a survey.
    pub surveyed: bool,
}

/// How a provider call can fail (shared by every partner system: `crate::error`).
pub use crate::error::ProviderError;
