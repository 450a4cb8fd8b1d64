//! Address suggestions from the spatial register (标准地名地址) while a citizen answers an
//! address question. What was typed is read as an area (administrative units, e.g. `城关区`,
//! `酒泉路街道`, `畅家巷`) and a detail (from the first digit on: house number, unit, room). The
//! last unit typed, the most specific one, is looked up through the audited gateway under the
//! `applications.address` grant; each district, street or community found becomes an address
//! the citizen can take: the area as the register names it, followed by the detail they typed.
//! A register that does not answer (or refuses) leaves the field as it is.

use super::super::model::Status;
use super::super::rules::{address_lookup_wanted, DEFAULT_MAX_LENGTH};
use crate::error::AppError;
use crate::platform::throttle::PerAddress;
use crate::platform::AppContext;
use crate::registers::contract::{Place, PlaceKind, PlaceRequest};
use crate::sharing::server::{AccessError, Caller};
use std::net::IpAddr;

/// The shared-data consumer for address suggestions (its grant on the spatial register names
/// the purpose each audit row carries).
pub const ADDRESS_CONSUMER: &str = "applications.address";

/// Enough to choose from while typing; more means typing on.
pub const MAX_SUGGESTIONS: usize = 8;

/// Asked of the register: more than are shown, since named places (halls, hospitals) are no
/// address area and the places matching more of what was typed come first.
const ASKED: u32 = 24;

/// Lookups from one client address: typing with a pause every second for a minute, with room
/// for an office behind one address; a script walking the register gets refused.
static LOOKUPS: PerAddress = PerAddress::new(120, 60);

/// The words that end an administrative unit in a typed address.
const LEVEL_ENDINGS: [&str; 10] = ["自治区", "省", "市", "区", "县", "旗", "街道", "镇", "乡", "社区"];

/// Units naming the province or city, typed before the district: kept as typed (the register's
/// names start at the district).
const REGION_ENDINGS: [&str; 3] = ["自治区", "省", "市"];

/// What a citizen typed in an address field, read as an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedAddress {
    /// The area in administrative units, without spaces or punctuation:
    /// `城关区酒泉路街道畅家巷` → `["城关区", "酒泉路街道", "畅家巷"]`.
    pub units: Vec<String>,
    /// From the first digit on, as typed (`12 号 3 单元 501`).
    pub detail: String,
}

impl TypedAddress {
    pub fn read(typed: &str) -> TypedAddress {
        let typed = typed.trim();
        let cut = typed
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || ('０'..='９').contains(c))
            .map_or(typed.len(), |(i, _)| i);
        let (area, detail) = typed.split_at(cut);
        let mut units = Vec::new();
        let mut unit = String::new();
        for c in area.chars().filter(|c| c.is_alphanumeric()) {
            unit.push(c);
            if LEVEL_ENDINGS.iter().any(|ending| unit.ends_with(ending)) {
                units.push(std::mem::take(&mut unit));
            }
        }
        if !unit.is_empty() {
            units.push(unit);
        }
        TypedAddress { units, detail: detail.trim().to_owned() }
    }

    /// What to ask the register: the last unit, the most specific one (possibly half typed).
    pub fn query(&self) -> Option<&str> {
        self.units.last().map(String::as_str).filter(|u| u.chars().count() <= crate::places::MAX_PLACE_QUERY_CHARS)
    }

    /// The addresses to offer for the places found: those matching more of the typed units
    /// first (the register's order otherwise), named places left out, none twice and none the
    /// same as what was typed, at most `MAX_SUGGESTIONS`.
    pub fn suggestions(&self, places: &[Place]) -> Vec<String> {
        let typed: String = self.units.concat();
        let mut scored: Vec<(usize, String)> = places
            .iter()
            .filter(|p| p.kind != PlaceKind::Named)
            .map(|place| {
                let compact: String = place.full_name.split_whitespace().collect();
                let matched = self.units.iter().filter(|u| compact.contains(u.as_str())).count();
                let region: String = self
                    .units
                    .iter()
                    .take_while(|u| REGION_ENDINGS.iter().any(|e| u.ends_with(e)))
                    .filter(|u| !compact.contains(u.as_str()))
                    .map(String::as_str)
                    .collect();
                (matched, format!("{region}{}", address_area(place)))
            })
            .collect();
        scored.sort_by_key(|(matched, _)| std::cmp::Reverse(*matched));
        let mut offered: Vec<String> = Vec::new();
        for (_, area) in scored {
            let text = if self.detail.is_empty() { area.clone() } else { format!("{area} {}", self.detail) };
            if offered.len() < MAX_SUGGESTIONS && area != typed && !offered.contains(&text) {
                offered.push(text);
            }
        }
        offered
    }
}

/// A place as an address writes it: its levels without spaces, a community by its own name
/// rather than its committee's (`畅家巷社区居委会` → `畅家巷社区`, `红村委会` → `红村`).
fn address_area(place: &Place) -> String {
    let mut parts: Vec<&str> = place.full_name.split_whitespace().collect();
    if place.kind == PlaceKind::Community {
        if let Some(last) = parts.last_mut() {
            *last = community_in_address(last);
        }
    }
    parts.concat()
}

fn community_in_address(name: &str) -> &str {
    for committee in ["居民委员会", "居委会"] {
        if let Some(place) = name.strip_suffix(committee).filter(|p| !p.is_empty()) {
            return place;
        }
    }
    for committee in ["村民委员会", "村委会"] {
        if let Some(place) = name.strip_suffix(committee).filter(|p| !p.is_empty()) {
            // Keep the 村 of the committee's name.
            return &name[..place.len() + '村'.len_utf8()];
        }
    }
    name
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Addresses(Vec<String>),
    /// The register did not answer, or refused: the citizen types the address.
    Unavailable,
}

/// Everything a lookup needs from the request, taken before anything waits (a page's future
/// may run after its context is gone).
#[derive(Clone)]
pub struct Asker {
    ctx: AppContext,
    session: Option<tower_sessions::Session>,
    request_id: String,
    client_ip: Option<IpAddr>,
}

impl Asker {
    pub fn from_request() -> Result<Asker, AppError> {
        let client_ip = leptos::prelude::with_context::<http::request::Parts, _>(|p| {
            p.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())
        })
        .flatten();
        Ok(Asker {
            ctx: AppContext::current()?,
            session: crate::accounts::server::auth::request_session(),
            request_id: crate::platform::request_id(),
            client_ip,
        })
    }

    /// Suggestions for `typed` in an address field of the signed-in citizen's application
    /// `reference`, while they may still change it.
    pub async fn suggest(&self, reference: &str, typed: &str) -> Result<Found, AppError> {
        use crate::accounts::server::auth;
        let session = self.session.as_ref().ok_or(AppError::Unauthenticated)?;
        let citizen = auth::citizen_of(session, &self.ctx).await?.map_err(|_| AppError::Unauthenticated)?;
        if !super::is_reference(reference) {
            return Err(AppError::NotFound);
        }
        let row = super::db::mine(&self.ctx.db, citizen.id(), reference).await?.ok_or(AppError::NotFound)?;
        if !Status::from_code(&row.status).is_some_and(Status::citizen_can_edit) {
            return Err(AppError::Forbidden);
        }
        if typed.chars().count() > DEFAULT_MAX_LENGTH {
            return Err(AppError::validation("text", "too_long"));
        }
        let address = TypedAddress::read(typed);
        let Some(query) = address.query().filter(|_| address_lookup_wanted(typed)) else {
            return Ok(Found::Addresses(Vec::new()));
        };
        if !LOOKUPS.allows(self.client_ip, self.ctx.clock.now()) {
            return Err(AppError::RateLimited);
        }
        let caller = Caller {
            consumer: ADDRESS_CONSUMER,
            actor: format!("citizen:{}", citizen.id()),
            request_id: self.request_id.clone(),
        };
        let request = PlaceRequest { text: query.to_owned(), kind: None, within: None, limit: ASKED };
        match self.ctx.shared.places(&caller, &request).await {
            Ok(places) => Ok(Found::Addresses(address.suggestions(&places))),
            Err(AccessError::NotFound) => Ok(Found::Addresses(Vec::new())),
            Err(AccessError::Unavailable | AccessError::Refused(_)) => Ok(Found::Unavailable),
            Err(err @ AccessError::Internal) => Err(err.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(kind: PlaceKind, full_name: &str) -> Place {
        Place {
            code: full_name.into(),
            kind,
            name: full_name.rsplit(' ').next().unwrap_or_default().into(),
            full_name: full_name.into(),
            parent_code: None,
            longitude: 103.8,
            latitude: 36.06,
            surveyed: false,
        }
    }

    #[test]
    fn a_typed_address_is_read_as_units_and_the_detail_after_the_first_digit() {
        let typed = TypedAddress::read(" 城关区酒泉路街道畅家巷 12 号 3 单元 501 ");
        assert_eq!(typed.units, ["城关区", "酒泉路街道", "畅家巷"]);
        assert_eq!(typed.detail, "12 号 3 单元 501");
        assert_eq!(typed.query(), Some("畅家巷"));
        let typed = TypedAddress::read("甘肃省兰州市 城关区，畅家巷社区１２号");
        assert_eq!(typed.units, ["甘肃省", "兰州市", "城关区", "畅家巷社区"]);
        assert_eq!(typed.detail, "１２号");
        assert_eq!(TypedAddress::read("酒泉").query(), Some("酒泉"));
        assert_eq!(TypedAddress::read("12号").query(), None, "nothing to look up before the number");
        assert_eq!(TypedAddress::read(&"长".repeat(40)).query(), None, "longer than a place name");
    }

    #[test]
    fn places_become_addresses_with_the_typed_detail_best_matches_first() {
        let found = [
            place(PlaceKind::Street, "七里河区 酒泉路街道"),
            place(PlaceKind::Named, "城关区 酒泉路邮政支局"),
            place(PlaceKind::Street, "城关区 酒泉路街道"),
            place(PlaceKind::Community, "城关区 酒泉路街道 畅家巷社区居委会"),
            place(PlaceKind::Community, "榆中县 城关镇 红村委会"),
            place(PlaceKind::Community, "榆中县 城关镇 兴隆村民委员会"),
        ];
        let typed = TypedAddress::read("甘肃省城关区酒泉路 12 号");
        assert_eq!(
            typed.suggestions(&found),
            [
                "甘肃省城关区酒泉路街道 12 号",
                "甘肃省城关区酒泉路街道畅家巷社区 12 号",
                "甘肃省七里河区酒泉路街道 12 号",
                "甘肃省榆中县城关镇红村 12 号",
                "甘肃省榆中县城关镇兴隆村 12 号",
            ]
        );
        // What was typed already is no suggestion; without a detail nothing is appended.
        let typed = TypedAddress::read("城关区酒泉路街道");
        assert_eq!(typed.suggestions(&found[2..4]), ["城关区酒泉路街道畅家巷社区"]);
        let many: Vec<Place> =
            (0..20).map(|i| place(PlaceKind::Community, &format!("城关区 酒泉路街道 社区{i}居委会"))).collect();
        assert_eq!(TypedAddress::read("酒泉路").suggestions(&many).len(), MAX_SUGGESTIONS);
    }
}
