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

impl HospitalStore {
    /// Runs the booking transaction (`offer`: on the number that waiting-list entry holds) and
    /// reads the booking back. A clash of the random identifier (or of a racing repeat of the
    /// same request) is answered by trying again: the repeat then finds the first booking by
    /// its key.
    async fn take(&self, plan: &mut db::BookingPlan<'_>, offer: Option<i64>) -> Result<BookingOutcome, ProviderError> {
        for _ in 0..3 {
            let taken = match offer {
                Some(entry) => db::accept(&self.db, entry, plan).await,
                None => db::book(&self.db, plan).await,
            };
            match taken {
                Ok((id, repeat)) => {
                    let appointment = db::appointment(&self.db, id, &plan.request.booked_by)
                        .await
                        .map_err(unavailable)?
                        .ok_or(ProviderError::Unavailable)?;
                    return Ok(BookingOutcome::Booked { appointment: Box::new(appointment), repeat });
                }
                Err(db::BookError::Refused(refusal)) => return Ok(BookingOutcome::Refused { refusal }),
                Err(db::BookError::NoOffer) => return Err(ProviderError::NotFound),
                Err(db::BookError::Db(e)) if is_unique_violation(&e) => plan.identifier = new_identifier(),
                Err(db::BookError::Db(e)) => return Err(unavailable(e)),
            }
        }
        Err(ProviderError::Unavailable)
    }

    /// Ends the offers not taken by `at`, passing each number on; the offers that made.
    ///
    /// Like the no-show sweep, run before every answer that depends on it, since the demo
    /// platform has no process of its own.
    pub async fn sweep_offers(&self, at: i64) -> Result<Vec<WaitlistEntry>, ProviderError> {
        let rules = self.stored_rules().await?;
        let (today, minute) = beijing(at);
        let today = day_text(today);
        let hold = Self::hold(&rules, at, &today, minute);
        let mut offered = Vec::new();
        for id in db::expired_offers(&self.db, at).await.map_err(unavailable)? {
            if let Some(Some(entry)) = db::expire(&self.db, id, &hold).await.map_err(unavailable)? {
                offered.push(entry);
            }
        }
        self.entries(offered).await
    }

    fn hold<'a>(rules: &BookingRules, at: i64, today: &'a str, minute: u32) -> db::Hold<'a> {
        db::Hold { at, today, minute, expires: at + i64::from(rules.offer_hold_minutes) * 60 }
    }

    async fn entries(&self, ids: Vec<i64>) -> Result<Vec<WaitlistEntry>, ProviderError> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(e) = db::waitlist_entry(&self.db, id, None).await.map_err(unavailable)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// The plan for booking `slot` on `day` (the week's limit counts Monday to Sunday).
    fn plan<'a>(
        request: &'a BookRequest,
        service: &'a str,
        day: &'a str,
        week: &'a (String, String),
        rules: &'a BookingRules,
        fee_fen: i64,
    ) -> db::BookingPlan<'a> {
        db::BookingPlan {
            request,
            service,
            day,
            week: (&week.0, &week.1),
            rules,
            fee_fen,
            identifier: new_identifier(),
        }
    }
}

fn week_of(day: Date) -> (String, String) {
    let monday = day - Duration::days(i64::from(day.weekday().number_days_from_monday()));
    (day_text(monday), day_text(monday + Duration::days(6)))
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
        self.sweep_offers(query.at).await?;
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
        // Misses up to now count before the suspension check; numbers of lapsed offers are free.
        self.sweep_no_shows(request.at).await?;
        self.sweep_offers(request.at).await?;
        let (slot, service, _, fee_fen) =
            db::slot_by_id(&self.db, request.slot).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        let refused = |refusal| Ok(BookingOutcome::Refused { refusal });
        let Some(day) = parse_day(&slot.day) else { return Err(ProviderError::Unavailable) };
        let (_, minute) = beijing(request.at);
        let started = day == today && super::minutes_of(&slot.start).is_some_and(|m| m <= minute);
        if day < today || day > last || started {
            return refused(BookingRefusal::NotOpen);
        }
        let week = week_of(day);
        let mut plan = Self::plan(request, &service, &slot.day, &week, &rules, fee_fen);
        self.take(&mut plan, None).await
    }

    async fn appointments(&self, booked_by: &str, at: i64) -> Result<Vec<Appointment>, ProviderError> {
        self.sweep_no_shows(at).await?;
        self.sweep_offers(at).await?;
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

    async fn cancel(&self, request: &CancelRequest) -> Result<Cancelled, ProviderError> {
        let rules = self.stored_rules().await?;
        self.sweep_no_shows(request.at).await?;
        let mut offers = self.sweep_offers(request.at).await?;
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
        let (today, minute) = beijing(request.at);
        let today = day_text(today);
        let hold = Self::hold(&rules, request.at, &today, minute);
        let Some(offered) =
            db::cancel(&self.db, request.appointment, &request.booked_by, &hold).await.map_err(unavailable)?
        else {
            return Err(ProviderError::BadRequest("not an active booking".into()));
        };
        offers.extend(self.entries(offered.into_iter().collect()).await?);
        let appointment = db::appointment(&self.db, request.appointment, &request.booked_by)
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)?;
        Ok(Cancelled { appointment, offers })
    }

    async fn join_waitlist(&self, request: &JoinWaitlistRequest) -> Result<WaitlistOutcome, ProviderError> {
        let refused = |refusal| Ok(WaitlistOutcome::Refused { refusal });
        let rules = self.stored_rules().await?;
        let (today, last) = self.release(&rules, request.at).await?;
        let Some(day) = parse_day(&request.day) else { return refused(WaitlistRefusal::NotOpen) };
        if day < today || day > last {
            return refused(WaitlistRefusal::NotOpen);
        }
        // Waiting for a number the patient could not book: misses up to now count first.
        self.sweep_no_shows(request.at).await?;
        let until = db::banned_until(&self.db, &request.patient.reference).await.map_err(unavailable)?;
        if until > request.at {
            return refused(WaitlistRefusal::Banned { until });
        }
        let service = db::role_service(&self.db, &request.practitioner_role)
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)?;
        let query = SlotQuery {
            healthcare_service: service,
            practitioner_role: Some(request.practitioner_role.clone()),
            title: None,
            at: request.at,
        };
        let slots: Vec<Slot> = self.slots(&query).await?.into_iter().filter(|s| s.day == request.day).collect();
        // Waiting makes sense only for a day with numbers still to come, none of them free.
        let (_, minute) = beijing(request.at);
        let to_come = |s: &&Slot| day > today || super::minutes_of(&s.start).is_some_and(|m| m > minute);
        if slots.iter().filter(to_come).count() == 0 {
            return refused(WaitlistRefusal::NotOpen);
        }
        if slots.iter().any(|s| s.status == SlotStatus::Free) {
            return refused(WaitlistRefusal::NotFull);
        }
        // Two racing joins of the same patient: the loser's insert meets the unique index and
        // the retry finds the winner's entry.
        for _ in 0..2 {
            match db::join_waitlist(&self.db, request).await {
                Ok(Ok((id, repeat))) => {
                    let entry = db::waitlist_entry(&self.db, id, Some(&request.booked_by))
                        .await
                        .map_err(unavailable)?
                        .ok_or(ProviderError::Unavailable)?;
                    return Ok(WaitlistOutcome::Joined { entry: Box::new(entry), repeat });
                }
                Ok(Err(_)) => return refused(WaitlistRefusal::AlreadyWaiting),
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(unavailable(e)),
            }
        }
        Err(ProviderError::Unavailable)
    }

    async fn waitlist(&self, booked_by: &str, at: i64) -> Result<Vec<WaitlistEntry>, ProviderError> {
        self.sweep_offers(at).await?;
        db::waitlist(&self.db, booked_by).await.map_err(unavailable)
    }

    async fn accept_offer(&self, action: &WaitlistAction) -> Result<BookingOutcome, ProviderError> {
        let rules = self.stored_rules().await?;
        self.sweep_no_shows(action.at).await?;
        self.sweep_offers(action.at).await?;
        let entry = db::waitlist_entry(&self.db, action.entry, Some(&action.booked_by))
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)?;
        let (Some(slot), WaitlistStatus::Offered) = (entry.offer_slot, entry.status) else {
            return Err(ProviderError::NotFound);
        };
        let (_, _, _, fee_fen) =
            db::slot_by_id(&self.db, slot.id).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        let Some(day) = parse_day(&slot.day) else { return Err(ProviderError::Unavailable) };
        let (today, minute) = beijing(action.at);
        if day < today || (day == today && super::minutes_of(&slot.start).is_none_or(|m| m <= minute)) {
            return Ok(BookingOutcome::Refused { refusal: BookingRefusal::NotOpen });
        }
        let week = week_of(day);
        let request = BookRequest {
            slot: slot.id,
            patient: entry.patient.clone(),
            booked_by: action.booked_by.clone(),
            // One booking per offer, however often it is accepted.
            idempotency_key: format!("waitlist-{}", entry.id),
            at: action.at,
        };
        let mut plan = Self::plan(&request, &entry.healthcare_service, &slot.day, &week, &rules, fee_fen);
        self.take(&mut plan, Some(entry.id)).await
    }

    async fn leave_waitlist(&self, action: &WaitlistAction) -> Result<LeftWaitlist, ProviderError> {
        let rules = self.stored_rules().await?;
        let mut offers = self.sweep_offers(action.at).await?;
        let (today, minute) = beijing(action.at);
        let today = day_text(today);
        let hold = Self::hold(&rules, action.at, &today, minute);
        let offered = db::leave(&self.db, action.entry, &action.booked_by, &hold)
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)?;
        offers.extend(self.entries(offered.into_iter().collect()).await?);
        let entry = db::waitlist_entry(&self.db, action.entry, Some(&action.booked_by))
            .await
            .map_err(unavailable)?
            .ok_or(ProviderError::NotFound)?;
        Ok(LeftWaitlist { entry, offers })
    }

    async fn take_new_offers(&self, at: i64) -> Result<Vec<WaitlistEntry>, ProviderError> {
        // Lapsed offers first, so the numbers they pass on are among the new offers.
        self.sweep_offers(at).await?;
        let claimed = db::claim_unannounced(&self.db, at).await.map_err(unavailable)?;
        self.entries(claimed).await
    }
}

fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}

#[cfg(test)]
mod tests;
