//! The hospitals' contract: what the portal may ask the city's hospital booking platform and what
//! comes back. The shapes follow FHIR R4 (4.0.1) — Organization, HealthcareService, Practitioner,
//! PractitionerRole (with `availableTime`, the weekly clinic hours), Slot and Appointment — as
//! our own structs with R4 element names on the wire. Two extensions to Slot carry what Chinese
//! booking shows: `capacity` and `remaining` numbers (号源) for the time segment.

use serde::{Deserialize, Serialize};

/// Re-used from the registers: the same failures, the same meanings.
pub use crate::registers::contract::ProviderError;

/// City hospital or community health centre (社区卫生服务中心).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HospitalKind {
    CityHospital,
    CommunityCentre,
}

/// FHIR Organization with its main Location's position and address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub kind: HospitalKind,
    /// The district (区县) the hospital is in.
    pub district: String,
    pub address: String,
    pub telecom: String,
    /// WGS-84 position of the main entrance.
    pub longitude: f64,
    pub latitude: f64,
}

/// FHIR HealthcareService: a clinical department (二级科室) under its first-level category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthcareService {
    pub id: String,
    pub provided_by: String,
    /// First-level department (一级科室), e.g. 内科.
    pub category: String,
    pub name: String,
}

/// 职称, carried in `PractitionerRole.code`. The registration fee follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Title {
    Chief,
    AssociateChief,
    Attending,
    Resident,
}

impl Title {
    pub const ALL: [Title; 4] = [Title::Chief, Title::AssociateChief, Title::Attending, Title::Resident];

    pub fn code(self) -> &'static str {
        match self {
            Title::Chief => "chief",
            Title::AssociateChief => "associate_chief",
            Title::Attending => "attending",
            Title::Resident => "resident",
        }
    }

    pub fn from_code(code: &str) -> Option<Title> {
        Title::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

/// FHIR Practitioner (the person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Practitioner {
    pub id: String,
    pub name: String,
    pub gender: Gender,
    /// Profile text (简介).
    pub qualification: String,
}

/// Day of week as FHIR codes it (`mon` … `sun`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DayOfWeek {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl DayOfWeek {
    pub const ALL: [DayOfWeek; 7] = [
        DayOfWeek::Mon,
        DayOfWeek::Tue,
        DayOfWeek::Wed,
        DayOfWeek::Thu,
        DayOfWeek::Fri,
        DayOfWeek::Sat,
        DayOfWeek::Sun,
    ];

    /// 1 = Monday … 7 = Sunday.
    pub fn number(self) -> u8 {
        DayOfWeek::ALL.iter().position(|d| *d == self).unwrap_or(0) as u8 + 1
    }

    pub fn from_number(n: u8) -> Option<DayOfWeek> {
        DayOfWeek::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }
}

/// One entry of the weekly clinic hours (出诊时间), FHIR `PractitionerRole.availableTime`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AvailableTime {
    pub days_of_week: Vec<DayOfWeek>,
    /// `HH:MM`.
    pub available_start_time: String,
    pub available_end_time: String,
}

/// FHIR PractitionerRole: a doctor in a department, with title, specialties and clinic hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PractitionerRole {
    pub id: String,
    pub practitioner: Practitioner,
    pub organization: String,
    pub healthcare_service: String,
    pub code: Title,
    /// 擅长.
    pub specialty: String,
    pub available_time: Vec<AvailableTime>,
    /// e.g. 法定节假日停诊.
    pub availability_exceptions: String,
    /// Registration fee for this title, in fen (分).
    pub fee_fen: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlotStatus {
    Free,
    Busy,
}

/// FHIR Slot for one time segment of one doctor's clinic, with its pool of numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Slot {
    pub id: i64,
    /// The PractitionerRole whose Schedule this slot belongs to.
    pub schedule: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`, Beijing time.
    pub start: String,
    pub end: String,
    pub status: SlotStatus,
    pub capacity: i64,
    pub remaining: i64,
}

/// The booking platform's published rules (放号规则).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BookingRules {
    /// Days ahead that can be booked, today included.
    pub window_days: u32,
    /// `HH:MM`: when the next day's numbers are released.
    pub release_time: String,
    /// Hours before the slot's start after which a booking can no longer be cancelled.
    pub cancel_cutoff_hours: u32,
    pub per_department_per_day: u32,
    pub per_week: u32,
    /// 爽约: this many missed appointments (no arrival by the slot's end) within
    /// `no_show_window_days` suspend booking for `no_show_ban_days`. Misses before a suspension
    /// began do not count again.
    #[serde(default = "default_no_show_limit")]
    pub no_show_limit: u32,
    #[serde(default = "default_no_show_window_days")]
    pub no_show_window_days: u32,
    #[serde(default = "default_no_show_ban_days")]
    pub no_show_ban_days: u32,
    /// Minutes a number freed for the first person on a waiting list is held for them.
    #[serde(default = "default_offer_hold_minutes")]
    pub offer_hold_minutes: u32,
}

fn default_no_show_limit() -> u32 {
    3
}
fn default_no_show_window_days() -> u32 {
    90
}
fn default_no_show_ban_days() -> u32 {
    90
}
fn default_offer_hold_minutes() -> u32 {
    30
}

/// Slots of one doctor, or of every doctor of a department (optionally of one title), from
/// `from` for `days` days, as the platform sees them at `at` (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlotQuery {
    pub healthcare_service: String,
    #[serde(default)]
    pub practitioner_role: Option<String>,
    #[serde(default)]
    pub title: Option<Title>,
    pub at: i64,
}

/// Who a booking is for, as the platform keeps it: a keyed reference (never the ID number) and
/// the masked name shown at the hospital desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patient {
    pub reference: String,
    pub display: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BookRequest {
    pub slot: i64,
    pub patient: Patient,
    /// The account that booked (`citizen:12`): its bookings are listed together.
    pub booked_by: String,
    /// The same key books at most once; a repeat returns the first booking.
    pub idempotency_key: String,
    pub at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppointmentStatus {
    Booked,
    /// The patient arrived at the hospital (recorded by its desk).
    Arrived,
    Cancelled,
    /// The slot ended without an arrival.
    Noshow,
    Fulfilled,
}

/// FHIR Appointment, as the citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Appointment {
    pub id: i64,
    /// The 8-digit 识别码 shown at the hospital (and in the QR code).
    pub identifier: String,
    pub status: AppointmentStatus,
    pub slot: Slot,
    pub patient: Patient,
    pub organization: String,
    pub healthcare_service: String,
    pub practitioner_role: String,
    /// 号序 within the slot, from 1.
    pub sequence: i64,
    pub fee_fen: i64,
    pub created: i64,
}

/// Why a booking was not made: each is an answer for the citizen, not a fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum BookingRefusal {
    #[error("the slot has no numbers left")]
    Full,
    #[error("the slot is not open for booking")]
    NotOpen,
    #[error("already booked in this department that day")]
    DepartmentDayLimit,
    #[error("weekly booking limit reached")]
    WeeklyLimit,
    #[error("banned from booking until {until}")]
    Banned { until: i64 },
}

/// The outcome of a booking request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum BookingOutcome {
    /// `repeat`: an earlier request with the same key made this booking.
    Booked {
        appointment: Box<Appointment>,
        repeat: bool,
    },
    Refused {
        refusal: BookingRefusal,
    },
}

/// A cancellation's answer: the cancelled booking, and the waiting-list offer its freed number
/// became, if someone was waiting (announced to them through `take_new_offers`, like every offer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cancelled {
    pub appointment: Appointment,
    #[serde(default)]
    pub offers: Vec<WaitlistEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CancelRequest {
    pub appointment: i64,
    pub booked_by: String,
    pub at: i64,
}

/// Where a patient the account booked for stands with the no-show rule at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientStanding {
    pub patient: Patient,
    /// Misses that count towards the next suspension.
    pub counted_no_shows: u32,
    /// Unix time booking is suspended until; 0 or past when not suspended.
    pub banned_until: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StandingQuery {
    pub booked_by: String,
    pub at: i64,
}

/// Where a waiting-list entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaitlistStatus {
    /// Waiting for a number of the doctor's day to be freed.
    Waiting,
    /// A freed number is held for the patient until `offer_expires`.
    Offered,
    /// The patient took the held number (a booking now exists).
    Accepted,
    /// Left the list, or declined the offer.
    Left,
    /// The offer was not taken in time.
    Expired,
}

/// A patient waiting for a fully booked doctor (PractitionerRole) on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitlistEntry {
    pub id: i64,
    pub practitioner_role: String,
    pub healthcare_service: String,
    pub organization: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub patient: Patient,
    /// The account that put the patient on the list.
    pub booked_by: String,
    pub status: WaitlistStatus,
    /// The slot whose number is held, while offered.
    #[serde(default)]
    pub offer_slot: Option<Slot>,
    /// Unix time the held number is released, while offered.
    #[serde(default)]
    pub offer_expires: Option<i64>,
    /// Place in the queue (1 = offered the next number freed), while waiting.
    #[serde(default)]
    pub position: Option<u32>,
    pub created: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JoinWaitlistRequest {
    pub practitioner_role: String,
    pub day: String,
    pub patient: Patient,
    pub booked_by: String,
    pub at: i64,
}

/// Why a patient was not put on a waiting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum WaitlistRefusal {
    /// A number is free that day: book it instead.
    #[error("the doctor still has free numbers that day")]
    NotFull,
    #[error("the day is not open for booking")]
    NotOpen,
    /// Another account already put this patient on this list.
    #[error("already waiting through another account")]
    AlreadyWaiting,
    /// Booking is suspended for missed appointments, so a held number could not be taken.
    #[error("banned from booking until {until}")]
    Banned { until: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum WaitlistOutcome {
    /// `repeat`: the patient was already waiting for that doctor and day.
    Joined {
        entry: Box<WaitlistEntry>,
        repeat: bool,
    },
    Refused {
        refusal: WaitlistRefusal,
    },
}

/// Accept, decline or leave one of the account's waiting-list entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitlistAction {
    pub entry: i64,
    pub booked_by: String,
    pub at: i64,
}

/// An entry left (or an offer declined), with the offer its held number became, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeftWaitlist {
    pub entry: WaitlistEntry,
    #[serde(default)]
    pub offers: Vec<WaitlistEntry>,
}
