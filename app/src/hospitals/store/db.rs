//! All SQL of the hospitals' booking platform. These tables live only in the platform's own
//! database (`data/hospitals.db` for the demo); the portal's migrations never create them.

use super::super::contract::*;
use super::super::demo::DemoHospitals;
use crate::platform::Db;
use sqlx::Executor;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS hospital_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hospital_orgs (
  id TEXT PRIMARY KEY NOT NULL, position BIGINT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  district TEXT NOT NULL, address TEXT NOT NULL, telecom TEXT NOT NULL,
  longitude DOUBLE PRECISION NOT NULL, latitude DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS hospital_services (
  id TEXT PRIMARY KEY NOT NULL, org_id TEXT NOT NULL REFERENCES hospital_orgs(id), position BIGINT NOT NULL,
  category TEXT NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hospital_roles (
  id TEXT PRIMARY KEY NOT NULL, org_id TEXT NOT NULL, service_id TEXT NOT NULL REFERENCES hospital_services(id),
  position BIGINT NOT NULL, practitioner_id TEXT NOT NULL, name TEXT NOT NULL, gender TEXT NOT NULL,
  qualification TEXT NOT NULL, title TEXT NOT NULL, specialty TEXT NOT NULL, exceptions TEXT NOT NULL,
  fee_fen BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS hospital_sessions (
  role_id TEXT NOT NULL REFERENCES hospital_roles(id), day_of_week BIGINT NOT NULL, start_minute BIGINT NOT NULL,
  end_minute BIGINT NOT NULL, slot_minutes BIGINT NOT NULL, per_slot BIGINT NOT NULL,
  PRIMARY KEY (role_id, day_of_week, start_minute));
CREATE TABLE IF NOT EXISTS hospital_calendar (day TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hospital_slots (
  id {ID}, role_id TEXT NOT NULL REFERENCES hospital_roles(id), service_id TEXT NOT NULL, day TEXT NOT NULL,
  start_minute BIGINT NOT NULL, end_minute BIGINT NOT NULL, capacity BIGINT NOT NULL, remaining BIGINT NOT NULL,
  CHECK (remaining >= 0 AND remaining <= capacity), UNIQUE (role_id, day, start_minute));
CREATE INDEX IF NOT EXISTS hospital_slots_service ON hospital_slots(service_id, day);
CREATE TABLE IF NOT EXISTS hospital_patients (
  reference TEXT PRIMARY KEY NOT NULL, no_shows BIGINT NOT NULL DEFAULT 0, banned_until BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS hospital_appointments (
  id {ID}, identifier TEXT NOT NULL UNIQUE, slot_id BIGINT NOT NULL REFERENCES hospital_slots(id),
  service_id TEXT NOT NULL, day TEXT NOT NULL, patient_ref TEXT NOT NULL, patient_display TEXT NOT NULL,
  booked_by TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, status TEXT NOT NULL, sequence BIGINT NOT NULL,
  fee_fen BIGINT NOT NULL, created_at BIGINT NOT NULL, cancelled_at BIGINT);
CREATE UNIQUE INDEX IF NOT EXISTS hospital_appointments_number ON hospital_appointments(slot_id, sequence)
  WHERE status = 'booked';
CREATE INDEX IF NOT EXISTS hospital_appointments_patient ON hospital_appointments(patient_ref, day);
CREATE INDEX IF NOT EXISTS hospital_appointments_booker ON hospital_appointments(booked_by);
CREATE INDEX IF NOT EXISTS hospital_appointments_status ON hospital_appointments(status, day);
CREATE TABLE IF NOT EXISTS hospital_no_shows (
  appointment_id BIGINT PRIMARY KEY NOT NULL, patient_ref TEXT NOT NULL, day TEXT NOT NULL, spent_at BIGINT);
CREATE INDEX IF NOT EXISTS hospital_no_shows_patient ON hospital_no_shows(patient_ref, day);
CREATE TABLE IF NOT EXISTS hospital_waitlist (
  id {ID}, role_id TEXT NOT NULL REFERENCES hospital_roles(id), day TEXT NOT NULL, patient_ref TEXT NOT NULL,
  patient_display TEXT NOT NULL, booked_by TEXT NOT NULL, status TEXT NOT NULL,
  offer_slot BIGINT REFERENCES hospital_slots(id), offer_expires BIGINT, created_at BIGINT NOT NULL,
  announced_at BIGINT,
  CHECK (status <> 'offered' OR (offer_slot IS NOT NULL AND offer_expires IS NOT NULL)));
CREATE UNIQUE INDEX IF NOT EXISTS hospital_waitlist_one ON hospital_waitlist(role_id, day, patient_ref)
  WHERE status IN ('waiting', 'offered');
CREATE INDEX IF NOT EXISTS hospital_waitlist_queue ON hospital_waitlist(role_id, day, status);
CREATE INDEX IF NOT EXISTS hospital_waitlist_booker ON hospital_waitlist(booked_by);
";

/// Tables in dependency order (children last), for wiping before an install.
const TABLES: [&str; 11] = [
    "hospital_meta",
    "hospital_orgs",
    "hospital_services",
    "hospital_roles",
    "hospital_sessions",
    "hospital_calendar",
    "hospital_slots",
    "hospital_patients",
    "hospital_appointments",
    "hospital_no_shows",
    "hospital_waitlist",
];

/// Rows per multi-row INSERT: far below both backends' parameter limits.
const CHUNK: usize = 200;

/// `($1, $2), ($3, $4)` for `rows` rows of `columns` values: numbered placeholders, which both
/// backends read (sqlx's query builder writes `?` for `Any`, which PostgreSQL does not).
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn create_schema(db: &Db) -> Result<(), sqlx::Error> {
    let id = db.dialect("INTEGER PRIMARY KEY NOT NULL", "BIGSERIAL PRIMARY KEY");
    db.pool().execute(SCHEMA.replace("{ID}", id).as_str()).await?;
    add_announced_at(db).await
}

/// Gives a waiting list made before offers recorded their announcement the `announced_at`
/// column (SQLite has no `ADD COLUMN IF NOT EXISTS`). Its current offers went out with the call
/// that made them, so they count as announced. On SQLite the probe names the column, on the
/// connection that alters the table: a connection holding an older schema re-reads it then,
/// which a `pragma_table_info` would not.
async fn add_announced_at(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let probe: Result<i64, sqlx::Error> = sqlx::query_scalar(db.dialect(
        "SELECT COUNT(announced_at) + 1 FROM hospital_waitlist WHERE 1 = 0",
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() \
         AND table_name = 'hospital_waitlist' AND column_name = 'announced_at'",
    ))
    .fetch_one(&mut *tx)
    .await;
    if matches!(probe, Ok(n) if n > 0) {
        return tx.commit().await;
    }
    sqlx::query("ALTER TABLE hospital_waitlist ADD COLUMN announced_at BIGINT").execute(&mut *tx).await?;
    sqlx::query("UPDATE hospital_waitlist SET announced_at = created_at WHERE status = 'offered'")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn meta(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM hospital_meta WHERE key = $1").bind(key).fetch_optional(db.pool()).await
}

pub async fn replace_all(db: &Db, data: &DemoHospitals) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in TABLES.iter().rev() {
        // Table names come from the constant list above, never from input.
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    for (position, h) in data.hospitals.iter().enumerate() {
        sqlx::query(
            "INSERT INTO hospital_orgs (id, position, name, kind, district, address, telecom, longitude, latitude) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&h.id)
        .bind(position as i64)
        .bind(&h.name)
        .bind(kind_code(h.kind))
        .bind(&h.district)
        .bind(&h.address)
        .bind(&h.telecom)
        .bind(h.longitude)
        .bind(h.latitude)
        .execute(&mut *tx)
        .await?;
    }
    for (position, s) in data.services.iter().enumerate() {
        sqlx::query("INSERT INTO hospital_services (id, org_id, position, category, name) VALUES ($1, $2, $3, $4, $5)")
            .bind(&s.id)
            .bind(&s.provided_by)
            .bind(position as i64)
            .bind(&s.category)
            .bind(&s.name)
            .execute(&mut *tx)
            .await?;
    }
    for chunk in data.doctors.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO hospital_roles (id, org_id, service_id, position, practitioner_id, name, gender, \
             qualification, title, specialty, exceptions, fee_fen) VALUES {}",
            placeholders(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            let r = &d.role;
            let position = data.doctors.iter().position(|x| x.role.id == r.id).unwrap_or_default() as i64;
            q = q
                .bind(&r.id)
                .bind(&r.organization)
                .bind(&r.healthcare_service)
                .bind(position)
                .bind(&r.practitioner.id)
                .bind(&r.practitioner.name)
                .bind(gender_code(r.practitioner.gender))
                .bind(&r.practitioner.qualification)
                .bind(r.code.code())
                .bind(&r.specialty)
                .bind(&r.availability_exceptions)
                .bind(r.fee_fen);
        }
        q.execute(&mut *tx).await?;
    }
    for d in &data.doctors {
        for s in &d.sessions {
            sqlx::query(
                "INSERT INTO hospital_sessions (role_id, day_of_week, start_minute, end_minute, slot_minutes, per_slot) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&d.role.id)
            .bind(i64::from(s.day_of_week))
            .bind(i64::from(s.start_minute))
            .bind(i64::from(s.end_minute))
            .bind(i64::from(s.slot_minutes))
            .bind(i64::from(s.per_slot))
            .execute(&mut *tx)
            .await?;
        }
    }
    for (days, kind) in [(&data.holidays, "holiday"), (&data.workdays, "workday")] {
        for day in days {
            sqlx::query("INSERT INTO hospital_calendar (day, kind) VALUES ($1, $2)")
                .bind(day)
                .bind(kind)
                .execute(&mut *tx)
                .await?;
        }
    }
    let rules = serde_json::to_string(&data.rules).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    for (key, value) in [("fingerprint", data.fingerprint.as_str()), ("rules", rules.as_str())] {
        sqlx::query("INSERT INTO hospital_meta (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

type OrgRow = (String, String, String, String, String, String, f64, f64);

fn org(r: OrgRow) -> Option<Organization> {
    Some(Organization {
        id: r.0,
        name: r.1,
        kind: kind_from(&r.2)?,
        district: r.3,
        address: r.4,
        telecom: r.5,
        longitude: r.6,
        latitude: r.7,
    })
}

pub async fn hospitals(db: &Db) -> Result<Vec<Organization>, sqlx::Error> {
    let rows: Vec<OrgRow> = sqlx::query_as(
        "SELECT id, name, kind, district, address, telecom, longitude, latitude FROM hospital_orgs ORDER BY position",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().filter_map(org).collect())
}

pub async fn services(db: &Db, hospital: &str) -> Result<Vec<HealthcareService>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT id, org_id, category, name FROM hospital_services WHERE org_id = $1 ORDER BY position")
            .bind(hospital)
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, provided_by, category, name)| HealthcareService { id, provided_by, category, name })
        .collect())
}

type RoleRow = (String, String, String, String, String, String, String, String, String, String, i64);

/// Doctors of a department, or the one doctor `role`.
pub async fn roles(db: &Db, service: &str, role: Option<&str>) -> Result<Vec<PractitionerRole>, sqlx::Error> {
    let rows: Vec<RoleRow> = sqlx::query_as(
        "SELECT id, org_id, service_id, practitioner_id, name, gender, qualification, title, specialty, exceptions, \
         fee_fen FROM hospital_roles WHERE service_id = $1 AND ($2 = '' OR id = $2) ORDER BY position",
    )
    .bind(service)
    .bind(role.unwrap_or(""))
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let sessions = sessions(db, &r.0).await?;
        let (Some(gender), Some(code)) = (gender_from(&r.5), Title::from_code(&r.7)) else { continue };
        out.push(PractitionerRole {
            practitioner: Practitioner { id: r.3, name: r.4, gender, qualification: r.6 },
            available_time: super::super::demo::available_time(&sessions),
            id: r.0,
            organization: r.1,
            healthcare_service: r.2,
            code,
            specialty: r.8,
            availability_exceptions: r.9,
            fee_fen: r.10,
        });
    }
    Ok(out)
}

pub async fn sessions(db: &Db, role: &str) -> Result<Vec<super::super::demo::ClinicSession>, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT day_of_week, start_minute, end_minute, slot_minutes, per_slot FROM hospital_sessions \
         WHERE role_id = $1 ORDER BY day_of_week, start_minute",
    )
    .bind(role)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| super::super::demo::ClinicSession {
            day_of_week: r.0 as u8,
            start_minute: r.1 as u32,
            end_minute: r.2 as u32,
            slot_minutes: r.3 as u32,
            per_slot: r.4 as u32,
        })
        .collect())
}

/// Every weekly session, with its role's department: (role, service, session).
pub async fn all_sessions(db: &Db) -> Result<Vec<(String, String, super::super::demo::ClinicSession)>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.role_id, r.service_id, s.day_of_week, s.start_minute, s.end_minute, s.slot_minutes, s.per_slot \
         FROM hospital_sessions s JOIN hospital_roles r ON r.id = s.role_id ORDER BY s.role_id, s.day_of_week",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.0,
                r.1,
                super::super::demo::ClinicSession {
                    day_of_week: r.2 as u8,
                    start_minute: r.3 as u32,
                    end_minute: r.4 as u32,
                    slot_minutes: r.5 as u32,
                    per_slot: r.6 as u32,
                },
            )
        })
        .collect())
}

pub async fn calendar(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT day, kind FROM hospital_calendar").fetch_all(db.pool()).await
}

/// A generated slot, before it is stored.
pub struct NewSlot<'a> {
    pub role: &'a str,
    pub service: &'a str,
    pub day: String,
    pub start_minute: u32,
    pub end_minute: u32,
    pub capacity: u32,
}

/// Stores released slots (those already there stay as they are) and records the last day
/// released, in one transaction.
pub async fn release(db: &Db, slots: &[NewSlot<'_>], through: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for chunk in slots.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO hospital_slots (role_id, service_id, day, start_minute, end_minute, capacity, remaining) \
             VALUES {} ON CONFLICT (role_id, day, start_minute) DO NOTHING",
            placeholders(chunk.len(), 7)
        );
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q
                .bind(s.role)
                .bind(s.service)
                .bind(&s.day)
                .bind(i64::from(s.start_minute))
                .bind(i64::from(s.end_minute))
                .bind(i64::from(s.capacity))
                .bind(i64::from(s.capacity));
        }
        q.execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO hospital_meta (key, value) VALUES ('released_through', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(through)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

type SlotRow = (i64, String, String, i64, i64, i64, i64);

fn slot(r: SlotRow) -> Slot {
    Slot {
        id: r.0,
        schedule: r.1,
        day: r.2,
        start: super::super::hhmm(r.3 as u32),
        end: super::super::hhmm(r.4 as u32),
        status: if r.6 > 0 { SlotStatus::Free } else { SlotStatus::Busy },
        capacity: r.5,
        remaining: r.6,
    }
}

const SLOT_COLUMNS: &str = "s.id, s.role_id, s.day, s.start_minute, s.end_minute, s.capacity, s.remaining";

/// Slots of a department (one doctor, or one title) on days `from..=to`.
pub async fn slots(
    db: &Db,
    service: &str,
    role: Option<&str>,
    title: Option<Title>,
    from: &str,
    to: &str,
) -> Result<Vec<Slot>, sqlx::Error> {
    let rows: Vec<SlotRow> = sqlx::query_as(&format!(
        "SELECT {SLOT_COLUMNS} FROM hospital_slots s JOIN hospital_roles r ON r.id = s.role_id \
         WHERE s.service_id = $1 AND ($2 = '' OR s.role_id = $2) AND ($3 = '' OR r.title = $3) \
         AND s.day >= $4 AND s.day <= $5 ORDER BY s.day, s.start_minute, r.position"
    ))
    .bind(service)
    .bind(role.unwrap_or(""))
    .bind(title.map(Title::code).unwrap_or(""))
    .bind(from)
    .bind(to)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(slot).collect())
}

/// The slot with its doctor's department, hospital and fee.
pub async fn slot_by_id(db: &Db, id: i64) -> Result<Option<(Slot, String, String, i64)>, sqlx::Error> {
    type Row = (i64, String, String, i64, i64, i64, i64, String, String, i64);
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {SLOT_COLUMNS}, r.service_id, r.org_id, r.fee_fen FROM hospital_slots s \
         JOIN hospital_roles r ON r.id = s.role_id WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| (slot((r.0, r.1, r.2, r.3, r.4, r.5, r.6)), r.7, r.8, r.9)))
}

/// Why a booking transaction ended without a booking.
pub enum BookError {
    Refused(BookingRefusal),
    /// No such unexpired offer of the account's to accept.
    NoOffer,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for BookError {
    fn from(e: sqlx::Error) -> Self {
        BookError::Db(e)
    }
}

/// What the booking transaction needs besides the request.
pub struct BookingPlan<'a> {
    pub request: &'a BookRequest,
    pub service: &'a str,
    pub day: &'a str,
    /// The week's first and last day (Monday to Sunday) for the weekly limit.
    pub week: (&'a str, &'a str),
    pub rules: &'a BookingRules,
    pub fee_fen: i64,
    pub identifier: String,
}

/// Books one number, or refuses. The only statement that takes a number is one conditional
/// update of the slot (`remaining > 0`), so no interleaving can overbook; the patient's row is
/// locked first, so one patient's concurrent requests are judged one after the other.
/// The booking's id, and whether an earlier request with the same key made it.
pub async fn book(db: &Db, plan: &BookingPlan<'_>) -> Result<(i64, bool), BookError> {
    let mut tx = db.begin_write().await?;
    if let Some(id) = admit(&mut tx, plan).await? {
        tx.commit().await?;
        return Ok((id, true));
    }
    let taken = sqlx::query("UPDATE hospital_slots SET remaining = remaining - 1 WHERE id = $1 AND remaining > 0")
        .bind(plan.request.slot)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if taken != 1 {
        return Err(BookError::Refused(BookingRefusal::Full));
    }
    let id = insert_booking(&mut tx, plan).await?;
    tx.commit().await?;
    Ok((id, false))
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The booking rules inside a booking transaction: locks the patient's row, then finds an
/// earlier booking with the request's key (`Some`), or refuses a suspended patient or one at a
/// limit.
async fn admit(tx: &mut Tx, plan: &BookingPlan<'_>) -> Result<Option<i64>, BookError> {
    let req = plan.request;
    sqlx::query(
        "INSERT INTO hospital_patients (reference) VALUES ($1) \
         ON CONFLICT (reference) DO UPDATE SET no_shows = hospital_patients.no_shows",
    )
    .bind(&req.patient.reference)
    .execute(&mut **tx)
    .await?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM hospital_appointments WHERE idempotency_key = $1 AND booked_by = $2")
            .bind(&req.idempotency_key)
            .bind(&req.booked_by)
            .fetch_optional(&mut **tx)
            .await?;
    if existing.is_some() {
        return Ok(existing);
    }
    let banned_until: i64 = sqlx::query_scalar("SELECT banned_until FROM hospital_patients WHERE reference = $1")
        .bind(&req.patient.reference)
        .fetch_one(&mut **tx)
        .await?;
    if banned_until > req.at {
        return Err(BookError::Refused(BookingRefusal::Banned { until: banned_until }));
    }
    let same_day: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hospital_appointments WHERE patient_ref = $1 AND service_id = $2 AND day = $3 \
         AND status = 'booked'",
    )
    .bind(&req.patient.reference)
    .bind(plan.service)
    .bind(plan.day)
    .fetch_one(&mut **tx)
    .await?;
    if same_day >= i64::from(plan.rules.per_department_per_day) {
        return Err(BookError::Refused(BookingRefusal::DepartmentDayLimit));
    }
    let week: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hospital_appointments WHERE patient_ref = $1 AND day >= $2 AND day <= $3 \
         AND status = 'booked'",
    )
    .bind(&req.patient.reference)
    .bind(plan.week.0)
    .bind(plan.week.1)
    .fetch_one(&mut **tx)
    .await?;
    if week >= i64::from(plan.rules.per_week) {
        return Err(BookError::Refused(BookingRefusal::WeeklyLimit));
    }
    Ok(None)
}

/// Writes the booking of a number the transaction has taken, with the lowest free 号序. The
/// caller holds the slot's row lock, so that 号序 is its alone.
async fn insert_booking(tx: &mut Tx, plan: &BookingPlan<'_>) -> Result<i64, sqlx::Error> {
    let req = plan.request;
    let used: Vec<i64> = sqlx::query_scalar(
        "SELECT sequence FROM hospital_appointments WHERE slot_id = $1 AND status = 'booked' ORDER BY sequence",
    )
    .bind(req.slot)
    .fetch_all(&mut **tx)
    .await?;
    let sequence = (1..).find(|n| !used.contains(n)).unwrap_or(1);
    sqlx::query_scalar(
        "INSERT INTO hospital_appointments (identifier, slot_id, service_id, day, patient_ref, patient_display, \
         booked_by, idempotency_key, status, sequence, fee_fen, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'booked', $9, $10, $11) RETURNING id",
    )
    .bind(&plan.identifier)
    .bind(req.slot)
    .bind(plan.service)
    .bind(plan.day)
    .bind(&req.patient.reference)
    .bind(&req.patient.display)
    .bind(&req.booked_by)
    .bind(&req.idempotency_key)
    .bind(sequence)
    .bind(plan.fee_fen)
    .bind(req.at)
    .fetch_one(&mut **tx)
    .await
}

type AppointmentRow = (i64, String, String, i64, String, String, String, i64, i64, i64, String, String);

const APPOINTMENT_COLUMNS: &str = "a.id, a.identifier, a.status, a.slot_id, a.patient_ref, a.patient_display, \
     a.service_id, a.sequence, a.fee_fen, a.created_at, r.org_id, r.id";

async fn appointment_from(db: &Db, r: AppointmentRow) -> Result<Option<Appointment>, sqlx::Error> {
    let Some((slot, _, _, _)) = slot_by_id(db, r.3).await? else { return Ok(None) };
    let Some(status) = status_from(&r.2) else { return Ok(None) };
    Ok(Some(Appointment {
        id: r.0,
        identifier: r.1,
        status,
        slot,
        patient: Patient { reference: r.4, display: r.5 },
        healthcare_service: r.6,
        sequence: r.7,
        fee_fen: r.8,
        created: r.9,
        organization: r.10,
        practitioner_role: r.11,
    }))
}

/// One booking made by `booked_by`.
pub async fn appointment(db: &Db, id: i64, booked_by: &str) -> Result<Option<Appointment>, sqlx::Error> {
    let row: Option<AppointmentRow> = sqlx::query_as(&format!(
        "SELECT {APPOINTMENT_COLUMNS} FROM hospital_appointments a JOIN hospital_slots s ON s.id = a.slot_id \
         JOIN hospital_roles r ON r.id = s.role_id WHERE a.id = $1 AND a.booked_by = $2"
    ))
    .bind(id)
    .bind(booked_by)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => appointment_from(db, r).await,
        None => Ok(None),
    }
}

/// Every booking made by `booked_by`, latest slot first.
pub async fn appointments(db: &Db, booked_by: &str) -> Result<Vec<Appointment>, sqlx::Error> {
    let rows: Vec<AppointmentRow> = sqlx::query_as(&format!(
        "SELECT {APPOINTMENT_COLUMNS} FROM hospital_appointments a JOIN hospital_slots s ON s.id = a.slot_id \
         JOIN hospital_roles r ON r.id = s.role_id WHERE a.booked_by = $1 \
         ORDER BY a.day DESC, s.start_minute DESC, a.id DESC"
    ))
    .bind(booked_by)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(a) = appointment_from(db, r).await? {
            out.push(a);
        }
    }
    Ok(out)
}

/// When a number is freed: the moment (Beijing day and minute, Unix time) and until when it is
/// held for the first person waiting.
pub struct Hold<'a> {
    pub at: i64,
    pub today: &'a str,
    pub minute: u32,
    pub expires: i64,
}

/// Cancels a booking of `booked_by` and frees its number, in one transaction: `None` when
/// there was no such active booking, else the waiting-list entry now holding the number, if any.
pub async fn cancel(db: &Db, id: i64, booked_by: &str, hold: &Hold<'_>) -> Result<Option<Option<i64>>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let slot: Option<i64> = sqlx::query_scalar(
        "UPDATE hospital_appointments SET status = 'cancelled', cancelled_at = $3 \
         WHERE id = $1 AND booked_by = $2 AND status = 'booked' RETURNING slot_id",
    )
    .bind(id)
    .bind(booked_by)
    .bind(hold.at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(slot) = slot else { return Ok(None) };
    let offered = pass_on(&mut tx, slot, hold).await?;
    tx.commit().await?;
    Ok(Some(offered))
}

/// Gives a freed number of `slot` to the first person waiting for its doctor and day, as an
/// offer holding it (the slot's `remaining` stays as it is, so the hold counts against the
/// capacity), or, with no one waiting or the slot started, back to the pool. Each offer is one
/// conditional update, so two numbers freed at once never go to the same entry.
async fn pass_on(tx: &mut Tx, slot: i64, hold: &Hold<'_>) -> Result<Option<i64>, sqlx::Error> {
    let (role, day, start): (String, String, i64) =
        sqlx::query_as("SELECT role_id, day, start_minute FROM hospital_slots WHERE id = $1")
            .bind(slot)
            .fetch_one(&mut **tx)
            .await?;
    let started = day.as_str() < hold.today || (day == hold.today && start <= i64::from(hold.minute));
    if !started {
        let waiting: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM hospital_waitlist WHERE role_id = $1 AND day = $2 AND status = 'waiting' \
             ORDER BY created_at, id",
        )
        .bind(&role)
        .bind(&day)
        .fetch_all(&mut **tx)
        .await?;
        for entry in waiting {
            let offered = sqlx::query(
                "UPDATE hospital_waitlist SET status = 'offered', offer_slot = $2, offer_expires = $3, \
                 announced_at = NULL WHERE id = $1 AND status = 'waiting'",
            )
            .bind(entry)
            .bind(slot)
            .bind(hold.expires)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if offered == 1 {
                return Ok(Some(entry));
            }
        }
    }
    sqlx::query("UPDATE hospital_slots SET remaining = remaining + 1 WHERE id = $1 AND remaining < capacity")
        .bind(slot)
        .execute(&mut **tx)
        .await?;
    Ok(None)
}

type WaitlistRow = (i64, String, String, String, String, String, String, String, String, Option<i64>, Option<i64>, i64);

const WAITLIST_COLUMNS: &str = "w.id, w.role_id, r.service_id, r.org_id, w.day, w.patient_ref, \
     w.patient_display, w.booked_by, w.status, w.offer_slot, w.offer_expires, w.created_at";

async fn entry_from(db: &Db, r: WaitlistRow) -> Result<Option<WaitlistEntry>, sqlx::Error> {
    let Some(status) = waitlist_status_from(&r.8) else { return Ok(None) };
    let offer_slot = match (status, r.9) {
        (WaitlistStatus::Offered, Some(id)) => slot_by_id(db, id).await?.map(|(s, _, _, _)| s),
        _ => None,
    };
    // The same order `pass_on` offers in.
    let position = if status == WaitlistStatus::Waiting {
        let ahead: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM hospital_waitlist WHERE role_id = $1 AND day = $2 AND status = 'waiting' \
             AND (created_at < $3 OR (created_at = $3 AND id <= $4))",
        )
        .bind(&r.1)
        .bind(&r.4)
        .bind(r.11)
        .bind(r.0)
        .fetch_one(db.pool())
        .await?;
        u32::try_from(ahead).ok()
    } else {
        None
    };
    Ok(Some(WaitlistEntry {
        id: r.0,
        practitioner_role: r.1,
        healthcare_service: r.2,
        organization: r.3,
        day: r.4,
        patient: Patient { reference: r.5, display: r.6 },
        booked_by: r.7,
        status,
        offer_expires: if offer_slot.is_some() { r.10 } else { None },
        offer_slot,
        position,
        created: r.11,
    }))
}

/// One waiting-list entry; only `booked_by`'s when given.
pub async fn waitlist_entry(db: &Db, id: i64, booked_by: Option<&str>) -> Result<Option<WaitlistEntry>, sqlx::Error> {
    let row: Option<WaitlistRow> = sqlx::query_as(&format!(
        "SELECT {WAITLIST_COLUMNS} FROM hospital_waitlist w JOIN hospital_roles r ON r.id = w.role_id \
         WHERE w.id = $1 AND ($2 = '' OR w.booked_by = $2)"
    ))
    .bind(id)
    .bind(booked_by.unwrap_or(""))
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(r) => entry_from(db, r).await,
        None => Ok(None),
    }
}

/// `booked_by`'s entries still waiting or offered, by day.
pub async fn waitlist(db: &Db, booked_by: &str) -> Result<Vec<WaitlistEntry>, sqlx::Error> {
    let rows: Vec<WaitlistRow> = sqlx::query_as(&format!(
        "SELECT {WAITLIST_COLUMNS} FROM hospital_waitlist w JOIN hospital_roles r ON r.id = w.role_id \
         WHERE w.booked_by = $1 AND w.status IN ('waiting', 'offered') ORDER BY w.day, w.id"
    ))
    .bind(booked_by)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        if let Some(e) = entry_from(db, r).await? {
            out.push(e);
        }
    }
    Ok(out)
}

/// Unix time the patient's booking is suspended until (0 when never suspended).
pub async fn banned_until(db: &Db, reference: &str) -> Result<i64, sqlx::Error> {
    let until: Option<i64> = sqlx::query_scalar("SELECT banned_until FROM hospital_patients WHERE reference = $1")
        .bind(reference)
        .fetch_optional(db.pool())
        .await?;
    Ok(until.unwrap_or(0))
}

/// The department a doctor works in.
pub async fn role_service(db: &Db, role: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT service_id FROM hospital_roles WHERE id = $1").bind(role).fetch_optional(db.pool()).await
}

/// Puts the patient on the list, once: the entry's id and whether it was already there, or the
/// account that put it there when that was another one.
pub async fn join_waitlist(db: &Db, req: &JoinWaitlistRequest) -> Result<Result<(i64, bool), String>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let existing: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, booked_by FROM hospital_waitlist WHERE role_id = $1 AND day = $2 AND patient_ref = $3 \
         AND status IN ('waiting', 'offered')",
    )
    .bind(&req.practitioner_role)
    .bind(&req.day)
    .bind(&req.patient.reference)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some((id, by)) = existing {
        tx.commit().await?;
        return Ok(if by == req.booked_by { Ok((id, true)) } else { Err(by) });
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO hospital_waitlist (role_id, day, patient_ref, patient_display, booked_by, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'waiting', $6) RETURNING id",
    )
    .bind(&req.practitioner_role)
    .bind(&req.day)
    .bind(&req.patient.reference)
    .bind(&req.patient.display)
    .bind(&req.booked_by)
    .bind(req.at)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok((id, false)))
}

/// Books the number held by offer `entry` (the plan's request names its slot and patient):
/// admitted by the same rules as a booking, then one conditional update ends the offer — only
/// while it is offered and unexpired — so a held number is booked at most once.
pub async fn accept(db: &Db, entry: i64, plan: &BookingPlan<'_>) -> Result<(i64, bool), BookError> {
    let req = plan.request;
    let mut tx = db.begin_write().await?;
    if let Some(id) = admit(&mut tx, plan).await? {
        tx.commit().await?;
        return Ok((id, true));
    }
    let ended = sqlx::query(
        "UPDATE hospital_waitlist SET status = 'accepted' WHERE id = $1 AND booked_by = $2 AND status = 'offered' \
         AND offer_slot = $3 AND offer_expires > $4",
    )
    .bind(entry)
    .bind(&req.booked_by)
    .bind(req.slot)
    .bind(req.at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ended != 1 {
        return Err(BookError::NoOffer);
    }
    // Locks the slot's row, as a booking's conditional update does, for the 号序.
    sqlx::query("UPDATE hospital_slots SET remaining = remaining WHERE id = $1")
        .bind(req.slot)
        .execute(&mut *tx)
        .await?;
    let id = insert_booking(&mut tx, plan).await?;
    tx.commit().await?;
    Ok((id, false))
}

/// Ends `booked_by`'s entry (leaving, or declining its offer, passing the number on): `None`
/// when there is no such waiting or offered entry, else the entry the number went to, if any.
pub async fn leave(db: &Db, id: i64, booked_by: &str, hold: &Hold<'_>) -> Result<Option<Option<i64>>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT status, offer_slot FROM hospital_waitlist WHERE id = $1 AND booked_by = $2 \
         AND status IN ('waiting', 'offered')",
    )
    .bind(id)
    .bind(booked_by)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, slot)) = row else { return Ok(None) };
    let left = sqlx::query("UPDATE hospital_waitlist SET status = 'left' WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(&status)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if left != 1 {
        return Ok(None);
    }
    let offered = match (status.as_str(), slot) {
        ("offered", Some(slot)) => pass_on(&mut tx, slot, hold).await?,
        _ => None,
    };
    tx.commit().await?;
    Ok(Some(offered))
}

/// Offers not taken by `at`.
pub async fn expired_offers(db: &Db, at: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM hospital_waitlist WHERE status = 'offered' AND offer_expires <= $1 ORDER BY offer_expires, id",
    )
    .bind(at)
    .fetch_all(db.pool())
    .await
}

/// Ends one offer not taken in time and passes its number on, in one transaction; `None` when
/// it was no longer an expired offer (a racing sweep or the patient got there first).
pub async fn expire(db: &Db, id: i64, hold: &Hold<'_>) -> Result<Option<Option<i64>>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let slot: Option<Option<i64>> = sqlx::query_scalar(
        "UPDATE hospital_waitlist SET status = 'expired' WHERE id = $1 AND status = 'offered' \
         AND offer_expires <= $2 RETURNING offer_slot",
    )
    .bind(id)
    .bind(hold.at)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Some(slot)) = slot else { return Ok(None) };
    let offered = pass_on(&mut tx, slot, hold).await?;
    tx.commit().await?;
    Ok(Some(offered))
}

/// Claims the offers nobody has been told about yet, marking them announced at `at`, and
/// answers their ids. One conditional update finds and marks them, so two racing claims never
/// both get an offer: on PostgreSQL the second waits for the first's row locks and re-reads
/// `announced_at`; SQLite runs one write at a time.
pub async fn claim_unannounced(db: &Db, at: i64) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let mut ids: Vec<i64> = sqlx::query_scalar(
        "UPDATE hospital_waitlist SET announced_at = $1 WHERE status = 'offered' AND announced_at IS NULL \
         RETURNING id",
    )
    .bind(at)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    ids.sort_unstable();
    Ok(ids)
}

/// Active bookings whose slot has ended by `minute` of `today` (Beijing time).
pub async fn overdue(db: &Db, today: &str, minute: u32) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.id FROM hospital_appointments a JOIN hospital_slots s ON s.id = a.slot_id \
         WHERE a.status = 'booked' AND (a.day < $1 OR (a.day = $1 AND s.end_minute <= $2)) ORDER BY a.day, a.id",
    )
    .bind(today)
    .bind(i64::from(minute))
    .fetch_all(db.pool())
    .await
}

/// Marks one booking a no-show if it is still active, and suspends its patient when the misses
/// not yet spent on a suspension, from `window_from` on, reach the rule's limit: one
/// transaction, so a miss is counted once however many sweeps race.
pub async fn mark_no_show(
    db: &Db,
    id: i64,
    rules: &BookingRules,
    window_from: &str,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let marked: Option<(String, String)> = sqlx::query_as(
        "UPDATE hospital_appointments SET status = 'noshow' WHERE id = $1 AND status = 'booked' \
         RETURNING patient_ref, day",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((patient, day)) = marked else { return Ok(false) };
    sqlx::query("INSERT INTO hospital_no_shows (appointment_id, patient_ref, day) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(&patient)
        .bind(&day)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO hospital_patients (reference, no_shows) VALUES ($1, 1) \
         ON CONFLICT (reference) DO UPDATE SET no_shows = hospital_patients.no_shows + 1",
    )
    .bind(&patient)
    .execute(&mut *tx)
    .await?;
    let counted: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM hospital_no_shows WHERE patient_ref = $1 AND spent_at IS NULL AND day >= $2",
    )
    .bind(&patient)
    .bind(window_from)
    .fetch_one(&mut *tx)
    .await?;
    if rules.no_show_limit > 0 && counted >= i64::from(rules.no_show_limit) {
        let until = at + i64::from(rules.no_show_ban_days) * 86_400;
        sqlx::query(
            "UPDATE hospital_patients SET banned_until = CASE WHEN banned_until > $2 THEN banned_until ELSE $2 END \
             WHERE reference = $1",
        )
        .bind(&patient)
        .bind(until)
        .execute(&mut *tx)
        .await?;
        // The misses that led to this suspension do not count towards the next one.
        sqlx::query("UPDATE hospital_no_shows SET spent_at = $2 WHERE patient_ref = $1 AND spent_at IS NULL")
            .bind(&patient)
            .bind(at)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Records the arrival of the booking with code `identifier` on its day, before its slot ends;
/// false when no such booking is waiting.
pub async fn arrive(db: &Db, identifier: &str, today: &str, minute: u32) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE hospital_appointments SET status = 'arrived' WHERE identifier = $1 AND status = 'booked' \
         AND day = $2 AND EXISTS (SELECT 1 FROM hospital_slots s WHERE s.id = hospital_appointments.slot_id \
         AND s.end_minute > $3)",
    )
    .bind(identifier)
    .bind(today)
    .bind(i64::from(minute))
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// The no-show standing of every patient `booked_by` booked for: (reference, display, misses
/// counting from `window_from`, banned until).
pub async fn standing(
    db: &Db,
    booked_by: &str,
    window_from: &str,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.reference, (SELECT MAX(a.patient_display) FROM hospital_appointments a \
         WHERE a.patient_ref = p.reference AND a.booked_by = $1), \
         (SELECT COUNT(*) FROM hospital_no_shows n WHERE n.patient_ref = p.reference AND n.spent_at IS NULL \
         AND n.day >= $2), p.banned_until \
         FROM hospital_patients p WHERE p.reference IN \
         (SELECT patient_ref FROM hospital_appointments WHERE booked_by = $1) ORDER BY p.reference",
    )
    .bind(booked_by)
    .bind(window_from)
    .fetch_all(db.pool())
    .await
}

/// Declares the text stored for each variant of a contract enum, both directions.
macro_rules! stored_as_text {
    ($ty:ident, $to:ident, $from:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        fn $to(value: $ty) -> &'static str {
            match value { $($ty::$variant => $text),+ }
        }
        fn $from(text: &str) -> Option<$ty> {
            match text { $($text => Some($ty::$variant),)+ _ => None }
        }
    };
}

stored_as_text!(HospitalKind, kind_code, kind_from { CityHospital => "city_hospital", CommunityCentre => "community_centre" });
stored_as_text!(Gender, gender_code, gender_from { Male => "male", Female => "female" });
stored_as_text!(WaitlistStatus, _waitlist_status_code, waitlist_status_from {
    Waiting => "waiting", Offered => "offered", Accepted => "accepted", Left => "left", Expired => "expired",
});
stored_as_text!(AppointmentStatus, _status_code, status_from {
    Booked => "booked", Arrived => "arrived", Cancelled => "cancelled", Noshow => "noshow", Fulfilled => "fulfilled",
});
