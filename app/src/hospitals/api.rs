//! The pages' data: public reads of the booking platform (open data: hospitals, departments,
//! doctors and live numbers; nothing about a person).

use super::contract::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// A district centre the citizen measures distances from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    pub code: String,
    pub name: String,
    pub longitude: f64,
    pub latitude: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HospitalListing {
    pub rules: BookingRules,
    /// Nearest first when an origin was chosen.
    pub hospitals: Vec<(Organization, Option<Distance>)>,
    /// The districts to choose from; empty when the spatial register did not answer.
    pub origins: Vec<Origin>,
    pub origin: Option<Origin>,
    pub origins_unavailable: bool,
    /// Where the map's tiles come from; none when the deployment has no tile server.
    pub map_tiles: Option<crate::ui::TileSource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Distance {
    pub km: f64,
    /// Degrees clockwise from north, from the origin to the hospital.
    pub bearing: f64,
}

/// Great-circle distance and initial bearing between two WGS-84 points.
pub fn distance(from: (f64, f64), to: (f64, f64)) -> Distance {
    let (lon1, lat1, lon2, lat2) = (from.0.to_radians(), from.1.to_radians(), to.0.to_radians(), to.1.to_radians());
    let (dlat, dlon) = (lat2 - lat1, lon2 - lon1);
    let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    let km = 6371.0 * 2.0 * a.sqrt().asin();
    let y = dlon.sin() * lat2.cos();
    let x = lat1.cos() * lat2.sin() - lat1.sin() * lat2.cos() * dlon.cos();
    Distance { km, bearing: y.atan2(x).to_degrees().rem_euclid(360.0) }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HospitalView {
    pub hospital: Organization,
    pub services: Vec<HealthcareService>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorSummary {
    pub role: PractitionerRole,
    /// The earliest slot with numbers left.
    pub next: Option<Slot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub hospital: Organization,
    pub service: HealthcareService,
    pub doctors: Vec<DoctorSummary>,
    /// The department's earliest free slot across its doctors (of `title` when given).
    pub next: Option<(Slot, PractitionerRole)>,
    pub title: Option<Title>,
    /// With a title: every free or full slot of that title's doctors.
    pub title_slots: Vec<(Slot, PractitionerRole)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoctorView {
    pub hospital: Organization,
    pub service: HealthcareService,
    pub role: PractitionerRole,
    pub slots: Vec<Slot>,
    pub rules: BookingRules,
}

#[cfg(feature = "ssr")]
fn unavailable(err: ProviderError) -> AppError {
    match err {
        ProviderError::NotFound => crate::platform::fail(AppError::NotFound),
        _ => crate::platform::fail(AppError::Unavailable),
    }
}

#[cfg(feature = "ssr")]
async fn hospital_and_service(
    provider: &super::Provider,
    hospital: &str,
    service: &str,
) -> Result<(Organization, HealthcareService), AppError> {
    use super::HospitalProvider;
    let org = provider
        .hospitals()
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|h| h.id == hospital)
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let service = provider
        .services(hospital)
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|s| s.id == service)
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    Ok((org, service))
}

#[server(name = ListHospitals, prefix = "/api", endpoint = "hospitals/list", input = GetUrl)]
pub async fn list_hospitals(from: Option<String>) -> Result<HospitalListing, AppError> {
    use super::HospitalProvider;
    use crate::registers::contract::{PlaceKind, PlaceRequest};
    let ctx = crate::platform::AppContext::current()?;
    let caller = crate::sharing::server::Caller::for_request("hospitals.nearby", "public");
    let rules = ctx.hospitals.rules().await.map_err(unavailable)?;
    let hospitals = ctx.hospitals.hospitals().await.map_err(unavailable)?;
    let request = PlaceRequest { text: String::new(), kind: Some(PlaceKind::District), within: None, limit: 50 };
    let (origins, origins_unavailable) = match ctx.shared.places(&caller, &request).await {
        Ok(places) => (
            places
                .into_iter()
                .map(|p| Origin { code: p.code, name: p.name, longitude: p.longitude, latitude: p.latitude })
                .collect::<Vec<_>>(),
            false,
        ),
        Err(_) => (Vec::new(), true),
    };
    let origin = from.and_then(|code| origins.iter().find(|o| o.code == code).cloned());
    let mut hospitals: Vec<(Organization, Option<Distance>)> = hospitals
        .into_iter()
        .map(|h| {
            let d = origin.as_ref().map(|o| distance((o.longitude, o.latitude), (h.longitude, h.latitude)));
            (h, d)
        })
        .collect();
    if origin.is_some() {
        hospitals.sort_by(|a, b| {
            let (x, y) = (a.1.map_or(f64::MAX, |d| d.km), b.1.map_or(f64::MAX, |d| d.km));
            x.total_cmp(&y)
        });
    }
    let map_tiles = ctx.map_tiles.clone();
    Ok(HospitalListing { rules, hospitals, origins, origin, origins_unavailable, map_tiles })
}

#[server(name = HospitalDetail, prefix = "/api", endpoint = "hospitals/hospital", input = GetUrl)]
pub async fn hospital_detail(hospital: String) -> Result<HospitalView, AppError> {
    use super::HospitalProvider;
    let ctx = crate::platform::AppContext::current()?;
    let org = ctx
        .hospitals
        .hospitals()
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|h| h.id == hospital)
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let services = ctx.hospitals.services(&org.id).await.map_err(unavailable)?;
    Ok(HospitalView { hospital: org, services })
}

#[server(name = DepartmentDetail, prefix = "/api", endpoint = "hospitals/department", input = GetUrl)]
pub async fn department_detail(
    hospital: String,
    service: String,
    title: Option<String>,
) -> Result<DepartmentView, AppError> {
    use super::HospitalProvider;
    let ctx = crate::platform::AppContext::current()?;
    let at = ctx.clock.now();
    let (org, service) = hospital_and_service(&ctx.hospitals, &hospital, &service).await?;
    let title = title.as_deref().and_then(Title::from_code);
    let roles = ctx.hospitals.roles(&service.id).await.map_err(unavailable)?;
    let query = SlotQuery { healthcare_service: service.id.clone(), practitioner_role: None, title: None, at };
    let slots = ctx.hospitals.slots(&query).await.map_err(unavailable)?;
    let role_of = |slot: &Slot| roles.iter().find(|r| r.id == slot.schedule).cloned();
    let doctors = roles
        .iter()
        .map(|role| DoctorSummary {
            role: role.clone(),
            next: slots.iter().find(|s| s.schedule == role.id && s.status == SlotStatus::Free).cloned(),
        })
        .collect();
    let of_title = |s: &&Slot| title.is_none_or(|t| role_of(s).is_some_and(|r| r.code == t));
    let next = slots
        .iter()
        .filter(of_title)
        .find(|s| s.status == SlotStatus::Free)
        .and_then(|s| Some((s.clone(), role_of(s)?)));
    let title_slots = match title {
        Some(_) => slots.iter().filter(of_title).filter_map(|s| Some((s.clone(), role_of(s)?))).collect(),
        None => Vec::new(),
    };
    Ok(DepartmentView { hospital: org, service, doctors, next, title, title_slots })
}

#[server(name = DoctorDetail, prefix = "/api", endpoint = "hospitals/doctor", input = GetUrl)]
pub async fn doctor_detail(hospital: String, service: String, doctor: String) -> Result<DoctorView, AppError> {
    use super::HospitalProvider;
    let ctx = crate::platform::AppContext::current()?;
    let at = ctx.clock.now();
    let (org, service) = hospital_and_service(&ctx.hospitals, &hospital, &service).await?;
    let role = ctx
        .hospitals
        .roles(&service.id)
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|r| r.id == doctor)
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let rules = ctx.hospitals.rules().await.map_err(unavailable)?;
    let query =
        SlotQuery { healthcare_service: service.id.clone(), practitioner_role: Some(role.id.clone()), title: None, at };
    let slots = ctx.hospitals.slots(&query).await.map_err(unavailable)?;
    Ok(DoctorView { hospital: org, service, role, slots, rules })
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distances_and_bearings_are_sensible() {
        let d = distance((103.8, 36.0), (103.8, 36.1));
        assert!((d.km - 11.12).abs() < 0.05 && (d.bearing < 0.5 || d.bearing > 359.5), "{d:?}");
        let east = distance((103.8, 36.0), (103.9, 36.0));
        assert!((east.bearing - 90.0).abs() < 1.0 && (east.km - 9.0).abs() < 0.1, "{east:?}");
    }
}

/// The booking page: the chosen slot of a doctor, for the signed-in citizen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingForm {
    pub doctor: DoctorView,
    /// `None` when the slot is not (or no longer) among the doctor's open slots.
    pub slot: Option<Slot>,
    /// A fresh idempotency key for this page's form.
    pub key: String,
    /// The patient as the hospital will see them (masked), when real-name verified.
    pub patient: Option<String>,
    pub household: Household,
}

/// The household members offered on the booking form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Household {
    /// The citizen has not agreed to their household being read.
    NotRead,
    /// Read now from the population register (the citizen left out).
    Members(Vec<MemberChoice>),
    /// The population register did not answer.
    Unavailable,
}

/// A member of the citizen's household as the form offers them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberChoice {
    /// The value the form posts: the member's keyed reference, never the ID number.
    pub token: String,
    /// The masked name (王*).
    pub display: String,
    pub relation: crate::registers::contract::Relation,
}

#[server(name = BookingPage, prefix = "/api", endpoint = "hospitals/booking-form", input = GetUrl)]
pub async fn booking_form(
    #[server(default)] hospital: String,
    #[server(default)] service: String,
    #[server(default)] doctor: String,
    #[server(default)] slot: i64,
) -> Result<BookingForm, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let request_id = crate::platform::request_id();
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let patient = match super::server::identity(&ctx, &citizen).await {
        Ok((_, row)) => Some(super::server::masked_name(&row.name)),
        Err(AppError::Forbidden) => None,
        Err(err) => return Err(crate::platform::fail(err)),
    };
    let household = if patient.is_none() {
        Household::NotRead
    } else {
        match super::server::household(&ctx, &citizen, &request_id).await {
            Ok(None) => Household::NotRead,
            Ok(Some(members)) => Household::Members(
                members
                    .iter()
                    .map(|m| MemberChoice {
                        token: m.token(&ctx),
                        display: super::server::masked_name(&m.name),
                        relation: m.relation,
                    })
                    .collect(),
            ),
            // Booking for oneself still works when the register does not answer.
            Err(AppError::Unavailable | AppError::Forbidden) => Household::Unavailable,
            Err(err) => return Err(crate::platform::fail(err)),
        }
    };
    let doctor = doctor_detail(hospital, service, doctor).await?;
    let slot = doctor.slots.iter().find(|s| s.id == slot && s.status == SlotStatus::Free).cloned();
    let key = {
        use rand::Rng;
        hex::encode(rand::rng().random::<[u8; 16]>())
    };
    Ok(BookingForm { doctor, slot, key, patient, household })
}

/// One booking with what its pages show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingView {
    pub appointment: Appointment,
    pub hospital: Organization,
    pub service: String,
    pub doctor: PractitionerRole,
    /// The QR code of the booking code: an SVG path and the grid's size.
    pub qr: Option<(String, usize)>,
    pub can_cancel: bool,
    /// Booked for the citizen themselves (otherwise for a household member).
    pub for_self: bool,
}

/// One of the citizen's waiting-list entries with the names its row shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitlistView {
    pub entry: WaitlistEntry,
    pub hospital: String,
    pub service: String,
    pub doctor: PractitionerRole,
    pub for_self: bool,
    /// Beijing date and time the held number is released, while offered.
    pub offer_until: Option<String>,
}

/// 我的预约: the bookings, the waiting-list entries, and a word for each patient with misses or
/// a suspension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyBookingsView {
    pub bookings: Vec<BookingView>,
    pub waitlist: Vec<WaitlistView>,
    pub standings: Vec<StandingView>,
    pub rules: BookingRules,
}

/// A patient's standing with the no-show rule, as the citizen's page says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandingView {
    pub display: String,
    pub for_self: bool,
    pub counted_no_shows: u32,
    /// Beijing date and time the suspension ends, while it lasts.
    pub banned_until: Option<String>,
}

/// Beijing date and time of Unix time `at`, as the pages show it.
#[cfg(feature = "ssr")]
pub fn when_text(at: i64) -> String {
    let (day, minute) = super::beijing(at);
    format!("{} {}", super::day_text(day), super::hhmm(minute))
}

#[server(name = MyBookings, prefix = "/api", endpoint = "hospitals/my-bookings", input = GetUrl)]
pub async fn my_bookings() -> Result<MyBookingsView, AppError> {
    use super::HospitalProvider;
    let ctx = crate::platform::AppContext::current()?;
    let request_id = crate::platform::request_id();
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let list = super::server::bookings(&ctx, &citizen, &request_id).await.map_err(crate::platform::fail)?;
    let own = super::server::own_reference(&ctx, &citizen).await.map_err(crate::platform::fail)?;
    let now = ctx.clock.now();
    let standings = super::server::standing(&ctx, &citizen, &request_id)
        .await
        .map_err(crate::platform::fail)?
        .into_iter()
        .filter(|s| s.counted_no_shows > 0 || s.banned_until > now)
        .map(|s| StandingView {
            for_self: s.patient.reference == own,
            display: s.patient.display,
            counted_no_shows: s.counted_no_shows,
            banned_until: (s.banned_until > now).then(|| when_text(s.banned_until)),
        })
        .collect();
    let rules = ctx.hospitals.rules().await.map_err(unavailable)?;
    let mut bookings = Vec::new();
    for a in list {
        bookings.push(view_of(&ctx, a, &own).await?);
    }
    let entries = super::server::waitlist(&ctx, &citizen, &request_id).await.map_err(crate::platform::fail)?;
    let mut waitlist = Vec::new();
    for entry in entries {
        let (hospital, service, doctor) =
            super::server::names_of(&ctx, &entry.organization, &entry.healthcare_service, &entry.practitioner_role)
                .await
                .map_err(crate::platform::fail)?;
        let offer_until = entry.offer_expires.map(when_text);
        let for_self = entry.patient.reference == own;
        waitlist.push(WaitlistView { entry, hospital: hospital.name, service, doctor, for_self, offer_until });
    }
    Ok(MyBookingsView { bookings, waitlist, standings, rules })
}

#[server(name = MyBooking, prefix = "/api", endpoint = "hospitals/my-booking", input = GetUrl)]
pub async fn my_booking(#[server(default)] id: i64) -> Result<BookingView, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let request_id = crate::platform::request_id();
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let list = super::server::bookings(&ctx, &citizen, &request_id).await.map_err(crate::platform::fail)?;
    let a = list.into_iter().find(|a| a.id == id).ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let own = super::server::own_reference(&ctx, &citizen).await.map_err(crate::platform::fail)?;
    view_of(&ctx, a, &own).await
}

#[cfg(feature = "ssr")]
async fn view_of(
    ctx: &crate::platform::AppContext,
    appointment: Appointment,
    own_reference: &str,
) -> Result<BookingView, AppError> {
    let (hospital, service, doctor) = super::server::names(ctx, &appointment).await.map_err(crate::platform::fail)?;
    let rules = {
        use super::HospitalProvider;
        ctx.hospitals.rules().await.map_err(unavailable)?
    };
    let can_cancel = appointment.status == AppointmentStatus::Booked
        && super::slot_start_unix(&appointment.slot)
            .is_some_and(|start| ctx.clock.now() <= start - i64::from(rules.cancel_cutoff_hours) * 3600);
    let qr = (appointment.status == AppointmentStatus::Booked)
        .then(|| super::server::qr_path(&appointment.identifier))
        .flatten();
    let for_self = appointment.patient.reference == own_reference;
    Ok(BookingView { appointment, hospital, service, doctor, qr, can_cancel, for_self })
}
