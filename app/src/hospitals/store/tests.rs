use super::*;
use std::sync::Arc;

/// Monday 2026-12-07, 07:00 Beijing time.
const MONDAY_7AM: i64 = 1_796_598_000;

async fn store_with(db: Db, capacity: u32) -> HospitalStore {
    let store = HospitalStore::over(db).await.expect("schema");
    store.install(&crate::hospitals::demo::single_hospital(capacity)).await.expect("install");
    store
}

fn request(slot: i64, patient: usize, key: &str) -> BookRequest {
    BookRequest {
        slot,
        patient: Patient { reference: format!("patient-{patient}"), display: "张*".into() },
        booked_by: format!("citizen:{patient}"),
        idempotency_key: key.into(),
        at: MONDAY_7AM,
    }
}

async fn first_slot(store: &HospitalStore, service: &str, day: &str) -> Slot {
    let query = SlotQuery { healthcare_service: service.into(), practitioner_role: None, title: None, at: MONDAY_7AM };
    let slots = store.slots(&query).await.expect("slots");
    slots.into_iter().find(|s| s.day == day).expect("a slot that day")
}

#[test]
fn beijing_days_and_slot_times_agree() {
    let (day, minute) = crate::hospitals::beijing(MONDAY_7AM);
    assert_eq!((day_text(day).as_str(), minute), ("2026-12-07", 7 * 60));
    let slot = Slot {
        id: 1,
        schedule: String::new(),
        day: "2026-12-07".into(),
        start: "08:00".into(),
        end: "08:30".into(),
        status: SlotStatus::Free,
        capacity: 1,
        remaining: 1,
    };
    assert_eq!(crate::hospitals::slot_start_unix(&slot), Some(MONDAY_7AM + 3600));
}

crate::db_test!(release_follows_window_release_time_and_holidays, |db| {
    let store = store_with(db, 5).await;
    let query =
        SlotQuery { healthcare_service: "H01-D01".into(), practitioner_role: None, title: None, at: MONDAY_7AM };
    let slots = store.slots(&query).await.expect("slots");
    let days: std::collections::BTreeSet<&str> = slots.iter().map(|s| s.day.as_str()).collect();
    // Before 15:00 the window ends six days ahead; the Wednesday holiday has no clinic.
    assert_eq!(
        days.into_iter().collect::<Vec<_>>(),
        ["2026-12-07", "2026-12-08", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-13"]
    );
    assert!(slots.iter().all(|s| s.capacity == 5 && s.remaining == 5 && s.status == SlotStatus::Free));
    let after_release = SlotQuery { at: MONDAY_7AM + 9 * 3600, ..query };
    let later = store.slots(&after_release).await.expect("slots");
    assert!(later.iter().any(|s| s.day == "2026-12-14"), "15:00 releases the seventh day");
    // The morning's slots have started by 16:00 and are no longer free.
    assert!(later.iter().filter(|s| s.day == "2026-12-07").all(|s| s.status == SlotStatus::Busy));
});

crate::db_test!(booking_storm_never_overbooks, |db| {
    let store = Arc::new(store_with(db, 5).await);
    let slot = first_slot(&store, "H01-D01", "2026-12-08").await;
    let mut tasks = Vec::new();
    for patient in 0..200 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move { store.book(&request(slot.id, patient, &format!("k{patient}"))).await }));
    }
    let mut booked = Vec::new();
    let mut full = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(BookingOutcome::Booked { appointment, repeat: false }) => booked.push(*appointment),
            Ok(BookingOutcome::Refused { refusal: BookingRefusal::Full }) => full += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!((booked.len(), full), (5, 195));
    let mut numbers: Vec<i64> = booked.iter().map(|a| a.sequence).collect();
    numbers.sort();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    let after = first_slot(&store, "H01-D01", "2026-12-08").await;
    assert_eq!((after.remaining, after.status), (0, SlotStatus::Busy));

    // A repeated request finds its booking and takes nothing.
    let winner = &booked[0];
    let patient: usize = winner.patient.reference.trim_start_matches("patient-").parse().expect("patient");
    let again = store.book(&request(slot.id, patient, &format!("k{patient}"))).await.expect("repeat");
    let BookingOutcome::Booked { appointment, repeat: true } = again else { panic!("not a repeat: {again:?}") };
    // The same booking; its slot as it is now (the storm took every number after the first booking).
    assert_eq!(Appointment { slot: winner.slot.clone(), ..*appointment.clone() }, *winner);
    assert_eq!(appointment.slot.remaining, 0);

    // Cancelling returns exactly one number, once.
    let cancel = CancelRequest { appointment: winner.id, booked_by: format!("citizen:{patient}"), at: MONDAY_7AM };
    let cancelled = store.cancel(&cancel).await.expect("cancel");
    assert_eq!(cancelled.appointment.status, AppointmentStatus::Cancelled);
    assert!(cancelled.offers.is_empty(), "no one waits: the number goes back to the pool");
    assert!(store.cancel(&cancel).await.is_err(), "a second cancel is refused");
    assert_eq!(first_slot(&store, "H01-D01", "2026-12-08").await.remaining, 1);
    // Another account cannot cancel someone else's booking.
    let other = CancelRequest { appointment: booked[1].id, booked_by: "citizen:9999".into(), at: MONDAY_7AM };
    assert_eq!(store.cancel(&other).await, Err(ProviderError::NotFound));
    // The freed number goes to the next request, with the freed 号序.
    let next = store.book(&request(slot.id, 500, "k500")).await.expect("book");
    let BookingOutcome::Booked { appointment, .. } = next else { panic!("{next:?}") };
    assert_eq!(appointment.sequence, winner.sequence);
});

crate::db_test!(patient_limits_hold, |db| {
    let store = store_with(db, 5).await;
    let monday = first_slot(&store, "H01-D01", "2026-12-08").await;
    let ok = store.book(&request(monday.id, 1, "a")).await.expect("book");
    assert!(matches!(ok, BookingOutcome::Booked { .. }));
    let same_day = store.book(&request(monday.id + 1, 1, "b")).await.expect("answer");
    assert_eq!(same_day, BookingOutcome::Refused { refusal: BookingRefusal::DepartmentDayLimit });
    // Other department the same day, then another day: the weekly limit (3) stops the fourth.
    let other = first_slot(&store, "H01-D02", "2026-12-08").await;
    assert!(matches!(store.book(&request(other.id, 1, "c")).await, Ok(BookingOutcome::Booked { .. })));
    let thursday = first_slot(&store, "H01-D01", "2026-12-10").await;
    assert!(matches!(store.book(&request(thursday.id, 1, "d")).await, Ok(BookingOutcome::Booked { .. })));
    let friday = first_slot(&store, "H01-D01", "2026-12-11").await;
    assert_eq!(
        store.book(&request(friday.id, 1, "e")).await,
        Ok(BookingOutcome::Refused { refusal: BookingRefusal::WeeklyLimit })
    );
    // Beyond the window or started: not open.
    let mut early = request(monday.id, 2, "f");
    early.at = MONDAY_7AM + 2 * 86_400;
    assert_eq!(store.book(&early).await, Ok(BookingOutcome::Refused { refusal: BookingRefusal::NotOpen }));
});

/// Seconds from Monday 07:00 to `day` days later at `hh:mm` (Beijing time).
fn at(days: i64, hh: i64, mm: i64) -> i64 {
    MONDAY_7AM + days * 86_400 + (hh - 7) * 3600 + mm * 60
}

/// The slot of `service` on `day` starting at `start`, as released by `when`.
async fn slot_at(store: &HospitalStore, service: &str, day: &str, start: &str, when: i64) -> Slot {
    let query = SlotQuery { healthcare_service: service.into(), practitioner_role: None, title: None, at: when };
    let slots = store.slots(&query).await.expect("slots");
    slots.into_iter().find(|s| s.day == day && s.start == start).expect("that slot")
}

async fn booked(store: &HospitalStore, slot: i64, patient: usize, key: &str, when: i64) -> Appointment {
    let mut r = request(slot, patient, key);
    r.at = when;
    match store.book(&r).await.expect("answer") {
        BookingOutcome::Booked { appointment, .. } => *appointment,
        other => panic!("not booked: {other:?}"),
    }
}

async fn status_of(store: &HospitalStore, a: &Appointment, patient: usize, when: i64) -> AppointmentStatus {
    let list = store.appointments(&format!("citizen:{patient}"), when).await.expect("list");
    list.into_iter().find(|x| x.id == a.id).expect("the booking").status
}

crate::db_test!(a_sweep_marks_exactly_the_bookings_whose_slot_ended_without_arrival, |db| {
    let store = store_with(db, 5).await;
    let eight = slot_at(&store, "H01-D01", "2026-12-08", "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", "2026-12-08", "08:30", MONDAY_7AM).await;
    let missed = booked(&store, eight.id, 1, "a", MONDAY_7AM).await;
    let later = booked(&store, half_past.id, 2, "b", MONDAY_7AM).await;
    let came = booked(&store, eight.id, 3, "c", MONDAY_7AM).await;
    let cancelled = booked(&store, eight.id, 4, "d", MONDAY_7AM).await;
    let cancel = CancelRequest { appointment: cancelled.id, booked_by: "citizen:4".into(), at: MONDAY_7AM };
    store.cancel(&cancel).await.expect("cancel");

    // The desk records arrivals only on the day, before the slot ends.
    assert_eq!(store.arrive(&came.identifier, MONDAY_7AM).await, Ok(false), "not the day before");
    assert_eq!(store.arrive("00000000", at(1, 8, 10)).await, Ok(false), "no such code");
    assert_eq!(store.arrive(&came.identifier, at(1, 8, 10)).await, Ok(true));
    assert_eq!(store.arrive(&came.identifier, at(1, 8, 11)).await, Ok(false), "once");

    assert_eq!(store.sweep_no_shows(at(1, 8, 29)).await, Ok(0), "nothing has ended yet");
    assert_eq!(store.sweep_no_shows(at(1, 8, 30)).await, Ok(1), "only the 08:00 booking without arrival");
    assert_eq!(store.sweep_no_shows(at(1, 8, 45)).await, Ok(0), "a miss is marked once");
    assert_eq!(status_of(&store, &missed, 1, at(1, 8, 45)).await, AppointmentStatus::Noshow);
    assert_eq!(status_of(&store, &came, 3, at(1, 8, 45)).await, AppointmentStatus::Arrived);
    assert_eq!(status_of(&store, &later, 2, at(1, 8, 45)).await, AppointmentStatus::Booked);
    assert_eq!(status_of(&store, &cancelled, 4, at(1, 8, 45)).await, AppointmentStatus::Cancelled);
    assert_eq!(store.arrive(&missed.identifier, at(1, 8, 45)).await, Ok(false), "too late to arrive");
    // Asking for the bookings after 09:00 sweeps first: the 08:30 one is missed too.
    assert_eq!(status_of(&store, &later, 2, at(1, 9, 0)).await, AppointmentStatus::Noshow);
});

crate::db_test!(the_nth_miss_suspends_booking_until_the_suspension_ends, |db| {
    let store = store_with(db, 5).await;
    // The fixture's rule: two misses within 30 days suspend booking for 7 days.
    let tuesday = slot_at(&store, "H01-D01", "2026-12-08", "08:00", MONDAY_7AM).await;
    let thursday = slot_at(&store, "H01-D01", "2026-12-10", "08:00", MONDAY_7AM).await;
    booked(&store, tuesday.id, 1, "a", MONDAY_7AM).await;
    booked(&store, thursday.id, 1, "b", MONDAY_7AM).await;
    let standing = |when| {
        let store = &store;
        async move {
            let query = StandingQuery { booked_by: "citizen:1".into(), at: when };
            let mut list = store.standing(&query).await.expect("standing");
            assert_eq!(list.len(), 1);
            let s = list.remove(0);
            (s.counted_no_shows, s.banned_until)
        }
    };
    assert_eq!(standing(at(1, 9, 0)).await, (1, 0), "one miss, no suspension");
    // Still allowed to book after one miss.
    let friday = slot_at(&store, "H01-D02", "2026-12-11", "08:00", at(1, 9, 0)).await;
    let friday_booking = booked(&store, friday.id, 1, "c", at(1, 9, 0)).await;

    // The second miss (Thursday) suspends booking for seven days from when it was found.
    let found = at(3, 9, 0);
    let saturday = slot_at(&store, "H01-D01", "2026-12-12", "08:00", found).await;
    let mut r = request(saturday.id, 1, "d");
    r.at = found;
    let until = found + 7 * 86_400;
    assert_eq!(store.book(&r).await, Ok(BookingOutcome::Refused { refusal: BookingRefusal::Banned { until } }));
    // Nor can the suspended patient wait for a number.
    let wait = JoinWaitlistRequest {
        practitioner_role: saturday.schedule.clone(),
        day: saturday.day.clone(),
        patient: r.patient.clone(),
        booked_by: r.booked_by.clone(),
        at: found,
    };
    assert_eq!(
        store.join_waitlist(&wait).await,
        Ok(WaitlistOutcome::Refused { refusal: WaitlistRefusal::Banned { until } })
    );
    assert_eq!(standing(found).await, (0, until), "the misses are spent on the suspension");
    // Another patient is not affected; bookings made before stay.
    booked(&store, saturday.id, 2, "e", found).await;
    assert_eq!(status_of(&store, &friday_booking, 1, found).await, AppointmentStatus::Booked);

    // The Friday booking is missed during the suspension: it counts towards the next one only.
    let after = until + 60;
    assert_eq!(standing(after).await, (1, until));
    let next = slot_at(&store, "H01-D01", "2026-12-18", "08:30", after).await;
    let mut r = request(next.id, 1, "f");
    r.at = after;
    assert!(matches!(store.book(&r).await, Ok(BookingOutcome::Booked { .. })), "the suspension has ended");
});

const ROLE: &str = "H01-D01-R1";
const TUESDAY: &str = "2026-12-08";

fn join(patient: usize, when: i64) -> JoinWaitlistRequest {
    JoinWaitlistRequest {
        practitioner_role: ROLE.into(),
        day: TUESDAY.into(),
        patient: Patient { reference: format!("patient-{patient}"), display: "李*".into() },
        booked_by: format!("citizen:{patient}"),
        at: when,
    }
}

async fn joined(store: &HospitalStore, patient: usize, when: i64) -> WaitlistEntry {
    match store.join_waitlist(&join(patient, when)).await.expect("answer") {
        WaitlistOutcome::Joined { entry, repeat: false } => *entry,
        other => panic!("not joined: {other:?}"),
    }
}

fn action(entry: &WaitlistEntry, patient: usize, when: i64) -> WaitlistAction {
    WaitlistAction { entry: entry.id, booked_by: format!("citizen:{patient}"), at: when }
}

async fn remaining(store: &HospitalStore, start: &str, when: i64) -> i64 {
    slot_at(store, "H01-D01", TUESDAY, start, when).await.remaining
}

crate::db_test!(a_freed_number_is_held_for_the_first_waiting_and_only_they_can_take_it, |db| {
    let store = store_with(db, 1).await;
    let eight = slot_at(&store, "H01-D01", TUESDAY, "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", TUESDAY, "08:30", MONDAY_7AM).await;
    let first = booked(&store, eight.id, 1, "a", MONDAY_7AM).await;
    assert_eq!(
        store.join_waitlist(&join(3, MONDAY_7AM)).await,
        Ok(WaitlistOutcome::Refused { refusal: WaitlistRefusal::NotFull }),
        "a number is still free at 08:30"
    );
    booked(&store, half_past.id, 2, "b", MONDAY_7AM).await;
    // Patient 2 already has a number of this doctor that day, and waits anyway; then patient 3.
    let second = joined(&store, 2, MONDAY_7AM).await;
    let third = joined(&store, 3, MONDAY_7AM + 1).await;
    assert_eq!(third.status, WaitlistStatus::Waiting);
    let again = store.join_waitlist(&join(3, MONDAY_7AM + 2)).await.expect("answer");
    assert!(matches!(again, WaitlistOutcome::Joined { ref entry, repeat: true } if entry.id == third.id));

    // The cancel holds the number for the first waiting; the public count stays at zero.
    let when = MONDAY_7AM + 60;
    let cancel = CancelRequest { appointment: first.id, booked_by: "citizen:1".into(), at: when };
    let cancelled = store.cancel(&cancel).await.expect("cancel");
    assert_eq!(cancelled.offers.len(), 1, "exactly one offer");
    let offer = &cancelled.offers[0];
    assert_eq!((offer.id, offer.status, offer.booked_by.as_str()), (second.id, WaitlistStatus::Offered, "citizen:2"));
    assert_eq!(offer.offer_slot.as_ref().map(|s| s.id), Some(eight.id));
    assert_eq!(offer.offer_expires, Some(when + 30 * 60));
    assert_eq!(remaining(&store, "08:00", when).await, 0);
    let mut r = request(eight.id, 5, "e");
    r.at = when;
    assert_eq!(store.book(&r).await, Ok(BookingOutcome::Refused { refusal: BookingRefusal::Full }));

    // Nobody else can accept or decline it, and trying changes nothing.
    assert_eq!(store.accept_offer(&action(offer, 3, when)).await, Err(ProviderError::NotFound));
    assert_eq!(store.leave_waitlist(&action(offer, 3, when)).await.map(|_| ()), Err(ProviderError::NotFound));
    let mine = store.waitlist("citizen:2", when).await.expect("list");
    assert_eq!(mine.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(), [(second.id, WaitlistStatus::Offered)]);

    // Accepting is judged by the booking rules: patient 2 is at the department's daily limit.
    assert_eq!(
        store.accept_offer(&action(offer, 2, when)).await,
        Ok(BookingOutcome::Refused { refusal: BookingRefusal::DepartmentDayLimit })
    );
    // Declining passes the number to the next waiting, still held.
    let left = store.leave_waitlist(&action(offer, 2, when)).await.expect("decline");
    assert_eq!(left.entry.status, WaitlistStatus::Left);
    assert_eq!(left.offers.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(), [(third.id, WaitlistStatus::Offered)]);
    assert_eq!(remaining(&store, "08:00", when).await, 0);
    assert!(store.waitlist("citizen:2", when).await.expect("list").is_empty());

    // Patient 3 accepts: a booking on the held number; the slot is still full.
    let outcome = store.accept_offer(&action(&third, 3, when + 60)).await.expect("accept");
    let BookingOutcome::Booked { appointment, repeat: false } = outcome else { panic!("{outcome:?}") };
    assert_eq!((appointment.slot.id, appointment.sequence), (eight.id, 1));
    assert_eq!(appointment.status, AppointmentStatus::Booked);
    assert_eq!(remaining(&store, "08:00", when + 60).await, 0);
    assert_eq!(store.accept_offer(&action(&third, 3, when + 61)).await, Err(ProviderError::NotFound), "once");
    let list = store.appointments("citizen:3", when + 61).await.expect("list");
    assert_eq!(list.iter().filter(|a| a.status == AppointmentStatus::Booked).count(), 1);
    assert!(store.waitlist("citizen:3", when + 61).await.expect("list").is_empty());
});

crate::db_test!(an_offer_not_taken_in_time_passes_on_then_returns_to_the_pool, |db| {
    let store = store_with(db, 1).await;
    let eight = slot_at(&store, "H01-D01", TUESDAY, "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", TUESDAY, "08:30", MONDAY_7AM).await;
    let first = booked(&store, eight.id, 1, "a", MONDAY_7AM).await;
    booked(&store, half_past.id, 2, "b", MONDAY_7AM).await;
    let waiting = joined(&store, 3, MONDAY_7AM).await;
    let next = joined(&store, 4, MONDAY_7AM + 1).await;
    let cancel = CancelRequest { appointment: first.id, booked_by: "citizen:1".into(), at: MONDAY_7AM };
    let cancelled = store.cancel(&cancel).await.expect("cancel");
    assert_eq!(cancelled.offers.iter().map(|e| e.id).collect::<Vec<_>>(), [waiting.id]);
    let expires = MONDAY_7AM + 30 * 60;

    // Expired: it cannot be accepted, and the sweep offers the number to the next waiting.
    assert_eq!(store.sweep_offers(expires - 1).await.map(|o| o.len()), Ok(0), "not yet");
    let passed = store.sweep_offers(expires).await.expect("sweep");
    assert_eq!(passed.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(), [(next.id, WaitlistStatus::Offered)]);
    assert_eq!(store.accept_offer(&action(&waiting, 3, expires)).await, Err(ProviderError::NotFound));
    assert!(store.waitlist("citizen:3", expires).await.expect("list").is_empty());
    assert_eq!(remaining(&store, "08:00", expires).await, 0, "still held");

    // The second offer lapses too, asked through the slots: no one waits, exactly one number returns.
    let later = expires + 30 * 60;
    assert_eq!(remaining(&store, "08:00", later).await, 1);
    assert_eq!(remaining(&store, "08:00", later + 60).await, 1, "returned once");
    assert_eq!(store.accept_offer(&action(&next, 4, later)).await, Err(ProviderError::NotFound));
    booked(&store, eight.id, 5, "e", later).await;
    assert_eq!(remaining(&store, "08:00", later).await, 0);
});

crate::db_test!(freed_numbers_held_for_a_crowd_never_overbook, |db| {
    let store = Arc::new(store_with(db, 3).await);
    let eight = slot_at(&store, "H01-D01", TUESDAY, "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", TUESDAY, "08:30", MONDAY_7AM).await;
    let mut bookings = Vec::new();
    for p in 0..3 {
        bookings.push(booked(&store, eight.id, p, &format!("a{p}"), MONDAY_7AM).await);
        booked(&store, half_past.id, 10 + p, &format!("b{p}"), MONDAY_7AM).await;
    }
    for p in 20..40 {
        joined(&store, p, MONDAY_7AM + p as i64).await;
    }
    // Three cancels and a crowd of bookings at once: the freed numbers are all held.
    let mut tasks = Vec::new();
    for (p, a) in bookings.iter().enumerate() {
        let store = store.clone();
        let cancel = CancelRequest { appointment: a.id, booked_by: format!("citizen:{p}"), at: MONDAY_7AM + 100 };
        tasks.push(tokio::spawn(async move { store.cancel(&cancel).await.map(|c| c.offers.len()) }));
    }
    let mut grabs = Vec::new();
    for p in 50..80 {
        let store = store.clone();
        let mut r = request(eight.id, p, &format!("g{p}"));
        r.at = MONDAY_7AM + 100;
        grabs.push(tokio::spawn(async move { store.book(&r).await }));
    }
    let mut offers = 0;
    for t in tasks {
        offers += t.await.expect("task").expect("cancel");
    }
    for g in grabs {
        assert_eq!(g.await.expect("task"), Ok(BookingOutcome::Refused { refusal: BookingRefusal::Full }));
    }
    assert_eq!(offers, 3);
    // Every offer accepted: exactly the capacity is booked.
    let mut taken = Vec::new();
    for p in 20..40 {
        for e in store.waitlist(&format!("citizen:{p}"), MONDAY_7AM + 200).await.expect("list") {
            if e.status == WaitlistStatus::Offered {
                let outcome = store.accept_offer(&action(&e, p, MONDAY_7AM + 200)).await.expect("accept");
                let BookingOutcome::Booked { appointment, .. } = outcome else { panic!("{outcome:?}") };
                taken.push(appointment.sequence);
            }
        }
    }
    taken.sort();
    assert_eq!(taken, [1, 2, 3]);
    assert_eq!(remaining(&store, "08:00", MONDAY_7AM + 200).await, 0);
});

/// The ids `take_new_offers` answers at `when`, in order.
async fn taken(store: &HospitalStore, when: i64) -> Vec<i64> {
    store.take_new_offers(when).await.expect("take").iter().map(|e| e.id).collect()
}

crate::db_test!(an_offer_made_when_another_lapses_inside_any_call_is_taken_once, |db| {
    let store = store_with(db, 1).await;
    let eight = slot_at(&store, "H01-D01", TUESDAY, "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", TUESDAY, "08:30", MONDAY_7AM).await;
    let first = booked(&store, eight.id, 1, "a", MONDAY_7AM).await;
    booked(&store, half_past.id, 2, "b", MONDAY_7AM).await;
    let waiting = joined(&store, 3, MONDAY_7AM).await;
    let next = joined(&store, 4, MONDAY_7AM + 1).await;
    assert!(taken(&store, MONDAY_7AM).await.is_empty(), "no offer yet");
    let cancel = CancelRequest { appointment: first.id, booked_by: "citizen:1".into(), at: MONDAY_7AM };
    store.cancel(&cancel).await.expect("cancel");
    // The cancel's own offer, once.
    let offers = store.take_new_offers(MONDAY_7AM).await.expect("take");
    assert_eq!(
        offers.iter().map(|e| (e.id, e.status, e.booked_by.as_str())).collect::<Vec<_>>(),
        [(waiting.id, WaitlistStatus::Offered, "citizen:3")]
    );
    assert!(taken(&store, MONDAY_7AM + 1).await.is_empty(), "announced once");

    // It lapses; the slots asked for pass the number on and answer no offer.
    let expires = MONDAY_7AM + 30 * 60;
    assert_eq!(remaining(&store, "08:00", expires).await, 0, "held for the next");
    let offers = store.take_new_offers(expires + 1).await.expect("take");
    assert_eq!(
        offers.iter().map(|e| (e.id, e.status, e.booked_by.as_str())).collect::<Vec<_>>(),
        [(next.id, WaitlistStatus::Offered, "citizen:4")]
    );
    assert_eq!(offers[0].offer_slot.as_ref().map(|s| s.id), Some(eight.id));
    assert!(taken(&store, expires + 2).await.is_empty(), "announced once");

    // The take ends lapsed offers itself: with nobody left waiting, the number returns and no
    // offer is made.
    let later = expires + 30 * 60;
    assert!(taken(&store, later).await.is_empty());
    assert_eq!(remaining(&store, "08:00", later).await, 1);
});

crate::db_test!(racing_takes_never_answer_the_same_offer, |db| {
    let store = Arc::new(store_with(db, 3).await);
    let eight = slot_at(&store, "H01-D01", TUESDAY, "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", TUESDAY, "08:30", MONDAY_7AM).await;
    let mut bookings = Vec::new();
    for p in 0..3 {
        bookings.push(booked(&store, eight.id, p, &format!("a{p}"), MONDAY_7AM).await);
        booked(&store, half_past.id, 10 + p, &format!("b{p}"), MONDAY_7AM).await;
    }
    for p in 20..30 {
        joined(&store, p, MONDAY_7AM + p as i64).await;
    }
    // Cancels making offers while several portal instances take them.
    let when = MONDAY_7AM + 100;
    let mut cancels = Vec::new();
    for (p, a) in bookings.iter().enumerate() {
        let store = store.clone();
        let cancel = CancelRequest { appointment: a.id, booked_by: format!("citizen:{p}"), at: when };
        cancels.push(tokio::spawn(async move { store.cancel(&cancel).await.map(|c| c.offers.len()) }));
    }
    let mut takes = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        takes.push(tokio::spawn(async move { store.take_new_offers(when).await }));
    }
    for c in cancels {
        assert_eq!(c.await.expect("task"), Ok(1));
    }
    let mut all = Vec::new();
    for t in takes {
        all.extend(t.await.expect("task").expect("take").into_iter().map(|e| e.id));
    }
    all.extend(taken(&store, when).await);
    all.sort_unstable();
    let mut offered = Vec::new();
    for p in 20..30 {
        for e in store.waitlist(&format!("citizen:{p}"), when).await.expect("list") {
            if e.status == WaitlistStatus::Offered {
                offered.push(e.id);
            }
        }
    }
    offered.sort_unstable();
    assert_eq!(offered.len(), 3);
    assert_eq!(all, offered, "every offer taken exactly once");
});

crate::db_test!(a_waiting_list_from_before_announcements_counts_its_offers_announced, |db| {
    let store = store_with(db.clone(), 1).await;
    let eight = slot_at(&store, "H01-D01", TUESDAY, "08:00", MONDAY_7AM).await;
    let half_past = slot_at(&store, "H01-D01", TUESDAY, "08:30", MONDAY_7AM).await;
    let first = booked(&store, eight.id, 1, "a", MONDAY_7AM).await;
    booked(&store, half_past.id, 2, "b", MONDAY_7AM).await;
    let waiting = joined(&store, 3, MONDAY_7AM).await;
    joined(&store, 4, MONDAY_7AM + 1).await;
    let cancel = CancelRequest { appointment: first.id, booked_by: "citizen:1".into(), at: MONDAY_7AM };
    assert_eq!(store.cancel(&cancel).await.expect("cancel").offers.len(), 1);
    // The database as it was before offers recorded their announcement.
    sqlx::query("ALTER TABLE hospital_waitlist DROP COLUMN announced_at").execute(db.pool()).await.expect("drop");
    let store = HospitalStore::over(db).await.expect("schema evolved");
    assert!(taken(&store, MONDAY_7AM).await.is_empty(), "its offer went out with the cancel");
    // New offers are announced as usual.
    let next = store.leave_waitlist(&action(&waiting, 3, MONDAY_7AM + 60)).await.expect("decline");
    assert_eq!(next.offers.len(), 1);
    assert_eq!(taken(&store, MONDAY_7AM + 60).await, [next.offers[0].id]);
});
