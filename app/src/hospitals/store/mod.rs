//! The in-process demo booking platform: the hospitals' data as their platform would hold it,
//! in a database of its own (`data/hospitals.db` by default). Only this module opens that
//! database and only `db.rs` here names its tables; the portal reaches it through
//! [`HospitalProvider`](super::HospitalProvider) like any remote system.

mod db;

use super::contract::*;
use super::demo::DemoHospitals;
use super::provider::HospitalProvider;
use super::{beijing, day_text, parse_day};
use crate::catalogue::calendar::{DayKind, WorkCalendar};
use crate::platform::db::DbError;
use crate::platform::Db;
use time::{Date, Duration};

pub struct HospitalStore {
    db: Db,
}

impl HospitalStore {
    /// Opens (creating if missing) the platform's database at `url`.
    pub async fn open(url: &str) -> Result<HospitalStore, DbError> {
        let db = Db::connect(url).await?;
        Self::over(db).await.map_err(DbError::Connect)
    }

    /// The platform over an open database (tests use a fresh one of either backend).
    pub async fn over(db: Db) -> Result<HospitalStore, sqlx::Error> {
        db::create_schema(&db).await?;
        Ok(HospitalStore { db })
    }

    pub async fn installed_fingerprint(&self) -> Result<Option<String>, sqlx::Error> {
        db::meta(&self.db, "fingerprint").await
    }

    /// Replaces all data (bookings included) with `data` in one transaction.
    pub async fn install(&self, data: &DemoHospitals) -> Result<(), sqlx::Error> {
        db::replace_all(&self.db, data).await
    }

    pub async fn close(&self) {
        self.db.close().await;
    }

    async fn stored_rules(&self) -> Result<BookingRules, ProviderError> {
        let text = db::meta(&self.db, "rules").await.map_err(unavailable)?.ok_or(ProviderError::Unavailable)?;
        serde_json::from_str(&text).map_err(|_| ProviderError::Unavailable)
    }

    /// The days open for booking at `at`: today up to the window's end, which moves one day
    /// further at the daily release time.
    fn open_days(rules: &BookingRules, at: i64) -> (Date, Date) {
        let (today, minute) = beijing(at);
        let released_today = super::minutes_of(&rules.release_time).is_some_and(|m| minute >= m);
        let ahead = i64::from(rules.window_days) - i64::from(!released_today);
        (today, today + Duration::days(ahead.max(0)))
    }

    /// Creates the slots of every day released by `at` that has none yet (idempotent).
    async fn release(&self, rules: &BookingRules, at: i64) -> Result<(Date, Date), ProviderError> {
        let (today, last) = Self::open_days(rules, at);
        let through = db::meta(&self.db, "released_through").await.map_err(unavailable)?.and_then(|d| parse_day(&d));
        if through.is_some_and(|t| t >= last) {
            return Ok((today, last));
        }
        let first = match through {
            Some(t) if t >= today => t + Duration::days(1),
            _ => today,
        };
        let calendar = WorkCalendar::new(db::calendar(&self.db).await.map_err(unavailable)?.into_iter().filter_map(
            |(day, kind)| {
                let kind = match kind.as_str() {
                    "holiday" => DayKind::Holiday,
                    "workday" => DayKind::Workday,
                    _ => return None,
                };
                Some((parse_day(&day)?, kind))
            },
        ));
        let holidays: Vec<Date> = {
            let mut d = first;
            let mut out = Vec::new();
            while d <= last {
                if !calendar.is_working_day(d) && d.weekday().number_from_monday() <= 5 {
                    out.push(d);
                }
                d += Duration::days(1);
            }
            out
        };
        let sessions = db::all_sessions(&self.db).await.map_err(unavailable)?;
        let mut slots = Vec::new();
        let mut day = first;
        while day <= last {
            let text = day_text(day);
            // Holidays close the clinics; a 调休 workday on a weekend runs Monday's clinics.
            let weekday = day.weekday().number_from_monday();
            let template = if holidays.contains(&day) {
                None
            } else if weekday >= 6 && calendar.is_working_day(day) {
                Some(1)
            } else {
                Some(weekday)
            };
            for (role, service, s) in &sessions {
                if Some(s.day_of_week) != template || s.slot_minutes == 0 {
                    continue;
                }
                let mut start = s.start_minute;
                while start + s.slot_minutes <= s.end_minute {
                    slots.push(db::NewSlot {
                        role,
                        service,
                        day: text.clone(),
                        start_minute: start,
                        end_minute: start + s.slot_minutes,
                        capacity: s.per_slot,
                    });
                    start += s.slot_minutes;
                }
            }
            day += Duration::days(1);
        }
        db::release(&self.db, &slots, &day_text(last)).await.map_err(unavailable)?;
        Ok((today, last))
    }

    /// Marks every active booking whose slot has ended by `at` as a no-show, suspending the
    /// patients whose misses reach the rule's limit; the number marked.
    ///
    /// A real platform does this when each clinic session closes, on its own schedule. This one
    /// runs inside the portal without a process of its own, so it does the same work before
    /// every answer that depends on it (booking, a patient's bookings and standing, cancelling):
    /// each answer is then exactly what the scheduled sweep would have given at `at`, and no
    /// portal job drives another organisation's bookkeeping.
    pub async fn sweep_no_shows(&self, at: i64) -> Result<usize, ProviderError> {
        let rules = self.stored_rules().await?;
        let (today, minute) = beijing(at);
        let overdue = db::overdue(&self.db, &day_text(today), minute).await.map_err(unavailable)?;
        let window_from = day_text(today - Duration::days(i64::from(rules.no_show_window_days)));
        let mut marked = 0;
        for id in overdue {
            if db::mark_no_show(&self.db, id, &rules, &window_from, at).await.map_err(unavailable)? {
                marked += 1;
            }
        }
        Ok(marked)
    }

    /// The hospital desk records that the patient with booking code `identifier` arrived: only
    /// on the booking's day and before its slot ends (after that it is a no-show). False when no
    /// such booking is waiting.
    pub async fn arrive(&self, identifier: &str, at: i64) -> Result<bool, ProviderError> {
        let (today, minute) = beijing(at);
        db::arrive(&self.db, identifier, &day_text(today), minute).await.map_err(unavailable)
    }

    /// Makes sure `at`'s release happened (for tests and the benchmark, which book at once).
    pub async fn release_now(&self, at: i64) -> Result<(), ProviderError> {
        let rules = self.stored_rules().await?;
        self.release(&rules, at).await.map(|_| ())
    }
}

fn unavailable(err: sqlx::Error) -> ProviderError {
    tracing::error!(error = %err, "hospital platform database failed");
    ProviderError::Unavailable
}

/// An 8-digit 识别码 for the hospital desk.
fn new_identifier() -> String {
    use rand::Rng;
    format!("{:08}", rand::rng().random_range(0..100_000_000u32))
}

impl HospitalProvider for HospitalStore {
    async fn rules(&self) -> Result<BookingRules, ProviderError> {
        self.stored_rules().await
    }

    async fn hospitals(&self) -> Result<Vec<Organization>, ProviderError> {
        db::hospitals(&self.db).await.map_err(unavailable)
    }

    async fn services(&self, hospital: &str) -> Result<Vec<HealthcareService>, ProviderError> {
        db::services(&self.db, hospital).await.map_err(unavailable)
    }

    async fn roles(&self, service: &str) -> Result<Vec<PractitionerRole>, ProviderError> {
        db::roles(&self.db, service, None).await.map_err(unavailable)
    }

    async fn slots(&self, query: &SlotQuery) -> Result<Vec<Slot>, ProviderError> {
        let rules = self.stored_rules().await?;
        let (today, last) = self.release(&rules, query.at).await?;
        let (_, minute) = beijing(query.at);
        let today_text = day_text(today);
        let mut slots = db::slots(
            &self.db,
            &query.healthcare_service,
            query.practitioner_role.as_deref(),
            query.title,
            &today_text,
            &day_text(last),
        )
        .await
        .map_err(unavailable)?;
        // A slot that has started can no longer be booked.
        for s in &mut slots {
            if s.day == today_text && super::minutes_of(&s.start).is_some_and(|m| m <= minute) {
                s.status = SlotStatus::Busy;
            }
        }
        Ok(slots)
    }

    async fn book(&self, request: &BookRequest) -> Result<BookingOutcome, ProviderError> {
        if request.idempotency_key.is_empty() || request.idempotency_key.len() > 64 {
            return Err(ProviderError::BadRequest("idempotency key must be 1..=64 characters".into()));
        }
        let rules = self.stored_rules().await?;
        let (today, last) = self.release(&rules, request.at).await?;
        // Misses up to now count before the suspension check.
        self.sweep_no_shows(request.at).await?;
        let (slot, service, _, fee_fen) =
            db::slot_by_id(&self.db, request.slot).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        let refused = |refusal| Ok(BookingOutcome::Refused { refusal });
        let Some(day) = parse_day(&slot.day) else { return Err(ProviderError::Unavailable) };
        let (_, minute) = beijing(request.at);
        let started = day == today && super::minutes_of(&slot.start).is_some_and(|m| m <= minute);
        if day < today || day > last || started {
            return refused(BookingRefusal::NotOpen);
        }
        let monday = day - Duration::days(i64::from(day.weekday().number_days_from_monday()));
        let (week_from, week_to) = (day_text(monday), day_text(monday + Duration::days(6)));
        let mut plan = db::BookingPlan {
            request,
            service: &service,
            day: &slot.day,
            week: (&week_from, &week_to),
            rules: &rules,
            fee_fen,
            identifier: new_identifier(),
        };
        // A clash of the random identifier (or of a racing repeat of the same request) is
        // answered by trying again: the repeat then finds the first booking by its key.
        for _ in 0..3 {
            match db::book(&self.db, &plan).await {
                Ok((id, repeat)) => {
                    let appointment = db::appointment(&self.db, id, &request.booked_by)
                        .await
                        .map_err(unavailable)?
                        .ok_or(ProviderError::Unavailable)?;
                    return Ok(BookingOutcome::Booked { appointment: Box::new(appointment), repeat });
                }
                Err(db::BookError::Refused(refusal)) => return refused(refusal),
                Err(db::BookError::Db(e)) if is_unique_violation(&e) => plan.identifier = new_identifier(),
                Err(db::BookError::Db(e)) => return Err(unavailable(e)),
            }
        }
        Err(ProviderError::Unavailable)
    }

    async fn appointments(&self, booked_by: &str, at: i64) -> Result<Vec<Appointment>, ProviderError> {
        self.sweep_no_shows(at).await?;
        db::appointments(&self.db, booked_by).await.map_err(unavailable)
    }

    async fn standing(&self, query: &StandingQuery) -> Result<Vec<PatientStanding>, ProviderError> {
        let rules = self.stored_rules().await?;
        self.sweep_no_shows(query.at).await?;
        let (today, _) = beijing(query.at);
        let window_from = day_text(today - Duration::days(i64::from(rules.no_show_window_days)));
        let rows = db::standing(&self.db, &query.booked_by, &window_from).await.map_err(unavailable)?;
        Ok(rows
            .into_iter()
            .map(|(reference, display, counted, banned_until)| PatientStanding {
                patient: Patient { reference, display },
                counted_no_shows: u32::try_from(counted).unwrap_or(u32::MAX),
                banned_until,
            })
            .collect())
    }

    async fn cancel(&self, request: &CancelRequest) -> Result<Appointment, ProviderError> {
        let rules = self.stored_rules().await?;
        self.sweep_no_shows(request.at).await?;
        let appointment = db::appointment(&self.db, request.appointment, &request.booked_by)
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)?;
        if appointment.status != AppointmentStatus::Booked {
            return Err(ProviderError::BadRequest("not an active booking".into()));
        }
        if super::slot_start_unix(&appointment.slot)
            .is_none_or(|start| request.at > start - i64::from(rules.cancel_cutoff_hours) * 3600)
        {
            return Err(ProviderError::BadRequest("past the cancellation cut-off".into()));
        }
        if !db::cancel(&self.db, request.appointment, &request.booked_by, request.at).await.map_err(unavailable)? {
            return Err(ProviderError::BadRequest("not an active booking".into()));
        }
        db::appointment(&self.db, request.appointment, &request.booked_by)
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)
    }
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests;
