//! Deterministic demo data for the four base registers, generated from a city's profile (its
//! districts, streets and communities, named places, personas and published indicators). Nothing
//! here names a city: another city supplies another profile.

pub(crate) mod names;
pub(crate) mod rng;

use super::contract::*;
use crate::identifiers::{CreditCode, ResidentId};
use crate::site::Bilingual;
use rng::Rng;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// Bumped whenever the generator's output changes, so installed data is rebuilt.
const GENERATOR_VERSION: u32 = 1;

/// The `[registers]` section of a city profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistersProfile {
    pub seed: u64,
    /// Ages and dates are computed relative to this day (`YYYY-MM-DD`), not the clock, so the
    /// data is the same whenever it is generated.
    pub as_of: String,
    pub people: usize,
    pub entities: usize,
    /// Prefix of every address, e.g. province and city.
    pub address_prefix: String,
    /// The city's short name used in company names.
    pub trade_name_prefix: String,
    pub districts: Vec<DistrictProfile>,
    #[serde(default)]
    pub named_places: Vec<NamedPlaceProfile>,
    #[serde(default)]
    pub households: Vec<PersonaHousehold>,
    #[serde(default)]
    pub companies: Vec<PersonaCompany>,
    pub indicators: Vec<IndicatorProfile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistrictProfile {
    pub code: String,
    pub name: String,
    /// WGS-84 centre.
    pub longitude: f64,
    pub latitude: f64,
    /// Share of residents, relative to the other districts.
    pub weight: f64,
    /// Rural counties spread further from their centre and have farmers' cooperatives.
    #[serde(default)]
    pub rural: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPlaceProfile {
    pub code: String,
    pub name: String,
    pub district: String,
    pub longitude: f64,
    pub latitude: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaHousehold {
    pub district: String,
    pub members: Vec<PersonaMember>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaMember {
    pub name: String,
    pub sex: Sex,
    pub birth_date: String,
    pub relation: Relation,
    pub marital_status: MaritalStatus,
    #[serde(default)]
    pub ethnicity: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonaCompany {
    pub name: String,
    pub kind: EntityKind,
    /// Name of a persona, who becomes the legal representative.
    pub legal_representative: String,
    pub registered_capital: Option<i64>,
    pub established_on: String,
    pub district: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorProfile {
    pub code: String,
    pub name: Bilingual,
    pub unit: Bilingual,
    pub source: Bilingual,
    /// `[year, value]` pairs.
    pub annual: Vec<(i32, f64)>,
    /// Cumulative shares of the annual value reached after Q1, Q2 and Q3; when present a
    /// quarterly-cumulative series `<code>_quarterly` is derived.
    #[serde(default)]
    pub quarterly_shares: Option<[f64; 3]>,
}

/// Streets (乡镇/街道) and communities (村/居委会) of the city, as CSV text in the national
/// statistical division code format.
pub struct Gazetteer<'a> {
    pub streets_csv: &'a str,
    pub communities_csv: &'a str,
}

pub struct DemoHousehold {
    pub id: i64,
    pub address: String,
    pub place_code: String,
}

pub struct DemoPerson {
    pub id_number: String,
    pub name: String,
    pub sex: Sex,
    pub birth_date: String,
    pub ethnicity: String,
    pub household_id: i64,
    pub relation: Relation,
    pub marital_status: MaritalStatus,
}

pub struct DemoEntity {
    pub credit_code: String,
    pub name: String,
    pub kind: EntityKind,
    pub legal_representative: String,
    pub legal_representative_id: String,
    pub registered_capital: Option<i64>,
    pub address: String,
    pub status: EntityStatus,
    pub established_on: String,
}

pub struct DemoRegisters {
    /// Changes whenever the profile, the gazetteer or the generator changes.
    pub fingerprint: String,
    pub households: Vec<DemoHousehold>,
    pub people: Vec<DemoPerson>,
    pub entities: Vec<DemoEntity>,
    pub indicators: Vec<IndicatorSeries>,
    pub places: Vec<Place>,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("gazetteer line {line}: {problem}")]
    Gazetteer { line: usize, problem: String },
    #[error("registers profile: {0}")]
    Profile(String),
}

struct Street {
    code: String,
    name: String,
    district: usize,
    communities: Vec<Community>,
}

struct Community {
    code: String,
    name: String,
}

/// The fingerprint of a profile and gazetteer, cheap to compute, to decide whether installed
/// data is current without generating it again.
pub fn fingerprint(profile_text: &str, gazetteer: &Gazetteer) -> String {
    let mut hash = Sha256::new();
    hash.update(GENERATOR_VERSION.to_le_bytes());
    for part in [profile_text, gazetteer.streets_csv, gazetteer.communities_csv] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hex::encode(hash.finalize())
}

/// Generates the registers. `profile_text` is the profile's source, used for the fingerprint.
pub fn generate(
    profile: &RegistersProfile,
    profile_text: &str,
    gazetteer: &Gazetteer,
) -> Result<DemoRegisters, DemoError> {
    let as_of = parse_date(&profile.as_of).ok_or_else(|| DemoError::Profile("as_of is not a date".into()))?;
    if profile.districts.is_empty() {
        return Err(DemoError::Profile("no districts".into()));
    }
    let streets = read_gazetteer(profile, gazetteer)?;
    let mut g = Generator {
        rng: Rng::new(profile.seed),
        profile,
        as_of,
        streets,
        issued: HashSet::new(),
        households: Vec::new(),
        people: Vec::new(),
    };
    let places = g.places();
    g.personas()?;
    while g.people.len() < profile.people {
        g.household();
    }
    let entities = g.entities()?;
    let indicators = indicators(profile);
    Ok(DemoRegisters {
        fingerprint: fingerprint(profile_text, gazetteer),
        households: g.households,
        people: g.people,
        entities,
        indicators,
        places,
    })
}

fn read_gazetteer(profile: &RegistersProfile, gazetteer: &Gazetteer) -> Result<Vec<Street>, DemoError> {
    let district_of = |code: &str| profile.districts.iter().position(|d| d.code == code);
    let mut streets: Vec<Street> = Vec::new();
    // code,name,areaCode,...
    for (line, fields) in csv_rows(gazetteer.streets_csv) {
        let [code, name, area, ..] = fields.as_slice() else {
            return Err(DemoError::Gazetteer { line, problem: "expected code,name,areaCode".into() });
        };
        let Some(district) = district_of(area) else { continue };
        streets.push(Street { code: code.clone(), name: name.clone(), district, communities: Vec::new() });
    }
    // code,name,streetCode,...
    for (line, fields) in csv_rows(gazetteer.communities_csv) {
        let [code, name, street, ..] = fields.as_slice() else {
            return Err(DemoError::Gazetteer { line, problem: "expected code,name,streetCode".into() });
        };
        if let Some(s) = streets.iter_mut().find(|s| &s.code == street) {
            s.communities.push(Community { code: code.clone(), name: name.clone() });
        }
    }
    streets.retain(|s| !s.communities.is_empty());
    for (i, d) in profile.districts.iter().enumerate() {
        if !streets.iter().any(|s| s.district == i) {
            return Err(DemoError::Profile(format!("district {} has no streets in the gazetteer", d.code)));
        }
    }
    Ok(streets)
}

/// Rows of a simple CSV (quoted fields without embedded quotes or commas), header skipped,
/// with 1-based line numbers.
fn csv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
    text.lines().enumerate().skip(1).filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| {
        (i + 1, l.trim_end_matches('\r').split(',').map(|f| f.trim().trim_matches('"').to_owned()).collect())
    })
}

/// Where a generated household lives and what its members share.
struct Home {
    district: usize,
    household: i64,
    ethnicity: String,
}

struct Generator<'a> {
    rng: Rng,
    profile: &'a RegistersProfile,
    as_of: (i32, u32, u32),
    streets: Vec<Street>,
    issued: HashSet<String>,
    households: Vec<DemoHousehold>,
    people: Vec<DemoPerson>,
}

impl Generator<'_> {
    fn places(&mut self) -> Vec<Place> {
        let mut places = Vec::new();
        for d in &self.profile.districts {
            places.push(Place {
                code: d.code.clone(),
                kind: PlaceKind::District,
                name: d.name.clone(),
                full_name: d.name.clone(),
                parent_code: None,
                longitude: d.longitude,
                latitude: d.latitude,
                surveyed: true,
            });
        }
        // Streets and communities have no published coordinates: place them near their
        // district's centre and say so (`surveyed: false`).
        for s in &self.streets {
            let d = &self.profile.districts[s.district];
            let spread = if d.rural { 0.12 } else { 0.025 };
            let (lon, lat) = (jitter(&mut self.rng, d.longitude, spread), jitter(&mut self.rng, d.latitude, spread));
            let street_full = format!("{} {}", d.name, s.name);
            places.push(Place {
                code: s.code.clone(),
                kind: PlaceKind::Street,
                name: s.name.clone(),
                full_name: street_full.clone(),
                parent_code: Some(d.code.clone()),
                longitude: lon,
                latitude: lat,
                surveyed: false,
            });
            for c in &s.communities {
                places.push(Place {
                    code: c.code.clone(),
                    kind: PlaceKind::Community,
                    name: c.name.clone(),
                    full_name: format!("{street_full} {}", c.name),
                    parent_code: Some(s.code.clone()),
                    longitude: jitter(&mut self.rng, lon, spread / 4.0),
                    latitude: jitter(&mut self.rng, lat, spread / 4.0),
                    surveyed: false,
                });
            }
        }
        for p in &self.profile.named_places {
            let district = self.profile.districts.iter().find(|d| d.code == p.district);
            places.push(Place {
                code: p.code.clone(),
                kind: PlaceKind::Named,
                name: p.name.clone(),
                full_name: match district {
                    Some(d) => format!("{} {}", d.name, p.name),
                    None => p.name.clone(),
                },
                parent_code: district.map(|d| d.code.clone()),
                longitude: p.longitude,
                latitude: p.latitude,
                surveyed: true,
            });
        }
        places
    }

    fn district_index(&self, code: &str) -> Result<usize, DemoError> {
        self.profile
            .districts
            .iter()
            .position(|d| d.code == code)
            .ok_or_else(|| DemoError::Profile(format!("unknown district {code}")))
    }

    fn personas(&mut self) -> Result<(), DemoError> {
        for household in &self.profile.households {
            let district = self.district_index(&household.district)?;
            let household_id = self.new_household(district);
            for m in &household.members {
                let birth = parse_date(&m.birth_date)
                    .ok_or_else(|| DemoError::Profile(format!("{}: bad birth date", m.name)))?;
                let id_number = self.issue_id(&household.district, birth, m.sex)?;
                self.people.push(DemoPerson {
                    id_number,
                    name: m.name.clone(),
                    sex: m.sex,
                    birth_date: m.birth_date.clone(),
                    ethnicity: m.ethnicity.clone().unwrap_or_else(|| "汉族".into()),
                    household_id,
                    relation: m.relation,
                    marital_status: m.marital_status,
                });
            }
        }
        Ok(())
    }

    fn new_household(&mut self, district: usize) -> i64 {
        let candidates: Vec<usize> =
            (0..self.streets.len()).filter(|i| self.streets[*i].district == district).collect();
        let street = &self.streets[*self.rng.pick(&candidates)];
        let community = self.rng.pick(&street.communities);
        let d = &self.profile.districts[district];
        let village = community.name.ends_with("村委会");
        let place = community.name.trim_end_matches("居委会").trim_end_matches("委会");
        let address = if village {
            format!(
                "{}{}{}{}{}社{}号",
                self.profile.address_prefix,
                d.name,
                street.name,
                place,
                self.rng.between(1, 12),
                self.rng.between(1, 160)
            )
        } else {
            format!(
                "{}{}{}{}{}号楼{}单元{}{:02}室",
                self.profile.address_prefix,
                d.name,
                street.name,
                place,
                self.rng.between(1, 40),
                self.rng.between(1, 6),
                self.rng.between(1, 28),
                self.rng.between(1, 4)
            )
        };
        let id = self.households.len() as i64 + 1;
        let place_code = community.code.clone();
        self.households.push(DemoHousehold { id, address, place_code });
        id
    }

    /// Issues a resident ID number: area code, birth date, a sequence number whose last digit
    /// is odd for men and even for women, and the check character.
    fn issue_id(&mut self, area: &str, birth: (i32, u32, u32), sex: Sex) -> Result<String, DemoError> {
        for _ in 0..1000 {
            let mut sequence = self.rng.between(0, 998) as u32;
            if (sequence % 2 == 1) != (sex == Sex::Male) {
                sequence += 1;
            }
            let body = format!("{area}{:04}{:02}{:02}{sequence:03}", birth.0, birth.1, birth.2);
            let id = ResidentId::complete(&body)
                .ok_or_else(|| DemoError::Profile(format!("cannot issue an ID number for {body}")))?;
            if self.issued.insert(id.as_str().to_owned()) {
                return Ok(id.as_str().to_owned());
            }
        }
        Err(DemoError::Profile("ran out of ID numbers".into()))
    }

    fn birth_for_age(&mut self, age: i32) -> (i32, u32, u32) {
        let (y, m, d) = self.as_of;
        let month = self.rng.between(1, 12) as u32;
        let day = self.rng.between(1, i64::from(days_in_month(y - age, month))) as u32;
        // Born on or before the as-of day in the year that gives this age.
        let year = if (month, day) <= (m, d) { y - age } else { y - age - 1 };
        let day = day.min(days_in_month(year, month));
        (year, month, day)
    }

    fn person(
        &mut self,
        home: &Home,
        relation: Relation,
        sex: Sex,
        age: i32,
        surname: &str,
        marital: MaritalStatus,
    ) -> Result<(), DemoError> {
        let birth = self.birth_for_age(age.max(0));
        let area = self.profile.districts[home.district].code.clone();
        let id_number = self.issue_id(&area, birth, sex)?;
        let name = format!("{surname}{}", names::given_name(&mut self.rng, sex));
        self.people.push(DemoPerson {
            id_number,
            name,
            sex,
            birth_date: format!("{:04}-{:02}-{:02}", birth.0, birth.1, birth.2),
            ethnicity: home.ethnicity.clone(),
            household_id: home.household,
            relation,
            marital_status: marital,
        });
        Ok(())
    }

    /// One household of a random kind: a person living alone, a couple, parents with children,
    /// or three generations.
    fn household(&mut self) {
        let weights: Vec<f64> = self.profile.districts.iter().map(|d| d.weight).collect();
        let district = self.rng.weighted(&weights);
        let household = self.new_household(district);
        let ethnicity = names::ethnicity(&mut self.rng).to_owned();
        let home = Home { district, household, ethnicity: ethnicity.clone() };
        let surname = names::surname(&mut self.rng, &ethnicity).to_owned();
        let spouse_surname = names::surname(&mut self.rng, &ethnicity).to_owned();
        let head_sex = if self.rng.chance(0.7) { Sex::Male } else { Sex::Female };
        let other = |s: Sex| if s == Sex::Male { Sex::Female } else { Sex::Male };
        let kind = self.rng.weighted(&[0.16, 0.24, 0.45, 0.15]);
        let head_age = match kind {
            0 => self.rng.between(20, 88) as i32,
            1 => self.rng.between(24, 85) as i32,
            2 => self.rng.between(28, 52) as i32,
            _ => self.rng.between(30, 50) as i32,
        };
        // Generation cannot fail here: areas come from the profile and dates are real.
        let result = (|| -> Result<(), DemoError> {
            if kind == 0 {
                let marital = match head_age {
                    a if a < 30 => MaritalStatus::Unmarried,
                    a if a > 65 => {
                        *self.rng.pick(&[MaritalStatus::Widowed, MaritalStatus::Widowed, MaritalStatus::Divorced])
                    }
                    _ => *self.rng.pick(&[MaritalStatus::Unmarried, MaritalStatus::Divorced, MaritalStatus::Divorced]),
                };
                return self.person(&home, Relation::Head, head_sex, head_age, &surname, marital);
            }
            self.person(&home, Relation::Head, head_sex, head_age, &surname, MaritalStatus::Married)?;
            let spouse_age = (head_age + self.rng.between(-5, 5) as i32).max(20);
            self.person(&home, Relation::Spouse, other(head_sex), spouse_age, &spouse_surname, MaritalStatus::Married)?;
            if kind >= 2 {
                let children = self.rng.weighted(&[0.45, 0.45, 0.10]) + 1;
                let youngest_parent = head_age.min(spouse_age);
                for _ in 0..children {
                    let age = (youngest_parent - self.rng.between(22, 36) as i32).max(0);
                    let sex = if self.rng.chance(0.51) { Sex::Male } else { Sex::Female };
                    let relation = if sex == Sex::Male { Relation::Son } else { Relation::Daughter };
                    let marital = if age >= 24 && self.rng.chance(0.4) {
                        MaritalStatus::Married
                    } else {
                        MaritalStatus::Unmarried
                    };
                    self.person(&home, relation, sex, age, &surname, marital)?;
                }
            }
            if kind == 3 {
                let parent_age = head_age + self.rng.between(24, 34) as i32;
                let parent_surname = if head_sex == Sex::Male {
                    surname.clone()
                } else {
                    names::surname(&mut self.rng, &ethnicity).to_owned()
                };
                let (relation, sex) =
                    if self.rng.chance(0.6) { (Relation::Mother, Sex::Female) } else { (Relation::Father, Sex::Male) };
                let marital = if self.rng.chance(0.6) { MaritalStatus::Widowed } else { MaritalStatus::Married };
                self.person(&home, relation, sex, parent_age, &parent_surname, marital)?;
            }
            Ok(())
        })();
        if let Err(err) = result {
            tracing::warn!(error = %err, "skipped a demo household");
        }
    }

    fn entities(&mut self) -> Result<Vec<DemoEntity>, DemoError> {
        let mut entities = Vec::new();
        let mut names_used = HashSet::new();
        let mut codes_used = HashSet::new();
        for c in &self.profile.companies {
            let rep = self
                .people
                .iter()
                .find(|p| p.name == c.legal_representative)
                .ok_or_else(|| DemoError::Profile(format!("{}: no persona {}", c.name, c.legal_representative)))?;
            let (rep_name, rep_id) = (rep.name.clone(), rep.id_number.clone());
            let district = self.district_index(&c.district)?;
            let code = self.credit_code(c.kind, &c.district, &mut codes_used)?;
            let address = self.business_address(district);
            names_used.insert(c.name.clone());
            entities.push(DemoEntity {
                credit_code: code,
                name: c.name.clone(),
                kind: c.kind,
                legal_representative: rep_name,
                legal_representative_id: rep_id,
                registered_capital: c.registered_capital,
                address,
                status: EntityStatus::Active,
                established_on: c.established_on.clone(),
            });
        }
        let adults: Vec<usize> =
            (0..self.people.len()).filter(|i| self.age_of(&self.people[*i].birth_date) >= 22).collect();
        let weights: Vec<f64> = self.profile.districts.iter().map(|d| d.weight).collect();
        while entities.len() < self.profile.entities {
            let district = self.rng.weighted(&weights);
            let d = &self.profile.districts[district];
            let kind = if d.rural {
                [
                    EntityKind::LimitedCompany,
                    EntityKind::IndividualBusiness,
                    EntityKind::FarmersCooperative,
                    EntityKind::SoleProprietorship,
                ][self.rng.weighted(&[0.35, 0.35, 0.25, 0.05])]
            } else {
                [
                    EntityKind::LimitedCompany,
                    EntityKind::IndividualBusiness,
                    EntityKind::SoleProprietorship,
                    EntityKind::JointStockCompany,
                ][self.rng.weighted(&[0.58, 0.31, 0.07, 0.04])]
            };
            let name = names::entity_name(&mut self.rng, kind, &self.profile.trade_name_prefix, &d.name);
            if !names_used.insert(name.clone()) {
                continue;
            }
            let rep = &self.people[*self.rng.pick(&adults)];
            let (rep_name, rep_id) = (rep.name.clone(), rep.id_number.clone());
            let code = self.credit_code(kind, &d.code.clone(), &mut codes_used)?;
            let registered_capital = match kind {
                EntityKind::IndividualBusiness => None,
                EntityKind::JointStockCompany => {
                    Some(*self.rng.pick(&[5_000_000, 10_000_000, 30_000_000, 50_000_000, 100_000_000]))
                }
                EntityKind::FarmersCooperative => Some(*self.rng.pick(&[100_000, 300_000, 500_000, 1_000_000])),
                _ => Some(*self.rng.pick(&[
                    100_000, 300_000, 500_000, 1_000_000, 1_000_000, 2_000_000, 3_000_000, 5_000_000, 10_000_000,
                    20_000_000,
                ])),
            };
            let status =
                [EntityStatus::Active, EntityStatus::Deregistered, EntityStatus::Revoked, EntityStatus::MovedOut]
                    [self.rng.weighted(&[0.85, 0.09, 0.04, 0.02])];
            let years_ago = self.rng.weighted(&[0.35, 0.3, 0.2, 0.15]) as i64;
            let age = match years_ago {
                0 => self.rng.between(0, 4),
                1 => self.rng.between(5, 9),
                2 => self.rng.between(10, 19),
                _ => self.rng.between(20, 30),
            } as i32;
            let (y, m, day) = self.birth_for_age(age);
            let address = self.business_address(district);
            entities.push(DemoEntity {
                credit_code: code,
                name,
                kind,
                legal_representative: rep_name,
                legal_representative_id: rep_id,
                registered_capital,
                address,
                status,
                established_on: format!("{y:04}-{m:02}-{day:02}"),
            });
        }
        Ok(entities)
    }

    fn business_address(&mut self, district: usize) -> String {
        let candidates: Vec<usize> =
            (0..self.streets.len()).filter(|i| self.streets[*i].district == district).collect();
        let street = &self.streets[*self.rng.pick(&candidates)];
        let community = self.rng.pick(&street.communities);
        let place = community.name.trim_end_matches("居委会").trim_end_matches("委会");
        format!(
            "{}{}{}{}{}号",
            self.profile.address_prefix,
            self.profile.districts[district].name,
            street.name,
            place,
            self.rng.between(1, 300)
        )
    }

    /// A unified social credit code: registration authority and kind, area code, an
    /// organisation code with its GB 11714 check character, and the GB 32100 check character.
    fn credit_code(&mut self, kind: EntityKind, area: &str, used: &mut HashSet<String>) -> Result<String, DemoError> {
        const BODY: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let prefix = match kind {
            EntityKind::IndividualBusiness => "92",
            EntityKind::FarmersCooperative => "93",
            _ => "91",
        };
        loop {
            let mut org: String = "MA".into();
            for _ in 0..6 {
                org.push(BODY[self.rng.below(BODY.len() as u64) as usize] as char);
            }
            org.push(org_code_check(&org));
            let code = CreditCode::complete(&format!("{prefix}{area}{org}"))
                .ok_or_else(|| DemoError::Profile(format!("cannot issue a credit code in {area}")))?;
            if used.insert(code.as_str().to_owned()) {
                return Ok(code.as_str().to_owned());
            }
        }
    }

    fn age_of(&self, birth_date: &str) -> i32 {
        let Some((y, m, d)) = parse_date(birth_date) else { return 0 };
        let (ay, am, ad) = self.as_of;
        ay - y - i32::from((am, ad) < (m, d))
    }
}

/// A coordinate within `spread` degrees of `centre`, to six decimals (about 0.1 m).
fn jitter(rng: &mut Rng, centre: f64, spread: f64) -> f64 {
    let value = centre + (rng.unit() * 2.0 - 1.0) * spread;
    (value * 1e6).round() / 1e6
}

/// GB 11714 organisation code check character for an 8-character body.
fn org_code_check(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(36).unwrap_or(0) * w).sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

fn indicators(profile: &RegistersProfile) -> Vec<IndicatorSeries> {
    let mut series = Vec::new();
    for i in &profile.indicators {
        let annual: Vec<IndicatorPoint> =
            i.annual.iter().map(|(year, value)| IndicatorPoint { period: year.to_string(), value: *value }).collect();
        series.push(IndicatorSeries {
            code: i.code.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            source: i.source.clone(),
            frequency: Frequency::Annual,
            points: annual,
        });
        if let Some(shares) = i.quarterly_shares {
            let mut points = Vec::new();
            for (year, value) in &i.annual {
                for (q, share) in shares.iter().chain([1.0].iter()).enumerate() {
                    points.push(IndicatorPoint {
                        period: format!("{year}Q{}", q + 1),
                        value: (value * share * 10.0).round() / 10.0,
                    });
                }
            }
            series.push(IndicatorSeries {
                code: format!("{}_quarterly", i.code),
                name: Bilingual {
                    zh: format!("{}（季度累计）", i.name.zh),
                    en: format!("{} (quarterly, cumulative)", i.name.en),
                },
                unit: i.unit.clone(),
                source: i.source.clone(),
                frequency: Frequency::QuarterlyCumulative,
                points,
            });
        }
    }
    series
}

fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    (parts.next().is_none() && (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then_some((y, m, d))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        _ => 28,
    }
}

#[cfg(test)]
mod tests;
