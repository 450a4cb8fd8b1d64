//! The booking form posts: book a slot (health-data notice acknowledged, idempotent by the
//! page's key) and cancel a booking. The citizen comes from the session; a booking is found by
//! (citizen, id) on the platform.

use super::contract::{BookingOutcome, BookingRefusal, WaitlistOutcome, WaitlistRefusal};
use super::server::For;
use crate::accounts::forms::signed_in;
use crate::error::{AppError, FieldError};
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

fn valid_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `POST /hospitals/{hospital}/departments/{service}/doctors/{doctor}/book`.
pub fn book(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        if !citizen.real_name_verified {
            return req.rerender(403, Vec::new(), Some("needs_real_name"));
        }
        // "List my household": the consent is recorded and the page shows the members, with
        // everything else as typed.
        if req.field("household") == "read" {
            return match super::server::allow_household(&req.ctx, &citizen).await {
                Ok(()) => req.show_with([]),
                Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
                Err(err) => req.failed_because(&err),
            };
        }
        let Ok(slot) = req.field("slot").parse::<i64>() else {
            return req.rerender(400, Vec::new(), Some("not_open"));
        };
        let key = req.field("key");
        if !valid_key(&key) {
            return req.rerender(400, Vec::new(), Some("generic"));
        }
        let posted_patient = req.field("patient");
        let patient = patient_of(&posted_patient);
        if let Some(outcome) = notice_missing(&req) {
            return outcome;
        }
        match super::server::book(&req.ctx, &citizen, slot, &key, patient, &req.request_id).await {
            Ok(BookingOutcome::Booked { appointment, .. }) => {
                FormOutcome::Redirect(format!("/hospitals/bookings/{}?notice=booked", appointment.id).into())
            }
            Ok(BookingOutcome::Refused { refusal }) => refused(&req, refusal),
            // The posted member is not (or no longer) in the household the register has.
            Err(AppError::NotFound) if patient != For::Myself => {
                req.rerender(400, vec![FieldError { field: "patient".into(), code: "patient_unknown".into() }], None)
            }
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// Whom the form is for: the citizen, or the keyed reference of a household member.
fn patient_of(posted: &str) -> For<'_> {
    match posted {
        "" | "self" => For::Myself,
        token => For::Member(token),
    }
}

/// 400 and the message at the box when the health-data notice was not acknowledged.
fn notice_missing(req: &FormRequest) -> Option<FormOutcome> {
    (req.field("notice") != "yes").then(|| req.rerender(400, vec![FieldError::new("notice", "notice_required")], None))
}

/// A booking (or an accepted offer) the platform's rules refused: 409, the page says why.
fn refused(req: &FormRequest, refusal: BookingRefusal) -> FormOutcome {
    let (code, extra) = match refusal {
        BookingRefusal::Full => ("full", String::new()),
        BookingRefusal::NotOpen => ("not_open", String::new()),
        BookingRefusal::DepartmentDayLimit => ("department_day", String::new()),
        BookingRefusal::WeeklyLimit => ("weekly", String::new()),
        BookingRefusal::Banned { until } => ("banned", super::when_text(until)),
    };
    req.render_with(409, Vec::new(), [("refusal", code.to_owned()), ("until", extra)])
}

/// `POST /hospitals/{hospital}/departments/{service}/doctors/{doctor}/waitlist`: the citizen (or
/// a household member) waits for a fully booked day of the doctor.
pub fn join_waitlist(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        if !citizen.real_name_verified {
            return req.rerender(403, Vec::new(), Some("needs_real_name"));
        }
        let day = req.field("day");
        if super::parse_day(&day).is_none() {
            return req.rerender(400, Vec::new(), Some("waitlist_not_open"));
        }
        let posted_patient = req.field("patient");
        let patient = patient_of(&posted_patient);
        if let Some(outcome) = notice_missing(&req) {
            return outcome;
        }
        let role = req.param("doctor").to_owned();
        match super::server::join_waitlist(&req.ctx, &citizen, &role, &day, patient, &req.request_id).await {
            Ok(WaitlistOutcome::Joined { repeat, .. }) => {
                let notice = if repeat { "already_waiting" } else { "waitlisted" };
                FormOutcome::Redirect(format!("/hospitals/bookings?notice={notice}").into())
            }
            Ok(WaitlistOutcome::Refused { refusal }) => {
                let code = match refusal {
                    WaitlistRefusal::NotFull => "not_full",
                    WaitlistRefusal::NotOpen => "waitlist_not_open",
                    WaitlistRefusal::AlreadyWaiting => "already_waiting_other",
                    WaitlistRefusal::Banned { until } => return refused(&req, BookingRefusal::Banned { until }),
                };
                req.rerender(409, Vec::new(), Some(code))
            }
            Err(AppError::NotFound) if patient != For::Myself => {
                req.rerender(400, vec![FieldError::new("patient", "patient_unknown")], None)
            }
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("generic")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /hospitals/waitlist/{id}/accept`: books the number held for one of the citizen's
/// entries; the confirmation page as for any booking.
pub fn accept_offer(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let Ok(id) = req.param("id").parse::<i64>() else {
            return req.rerender(404, Vec::new(), Some("offer_gone"));
        };
        match super::server::accept_offer(&req.ctx, &citizen, id, &req.request_id).await {
            Ok(BookingOutcome::Booked { appointment, .. }) => {
                FormOutcome::Redirect(format!("/hospitals/bookings/{}?notice=booked", appointment.id).into())
            }
            Ok(BookingOutcome::Refused { refusal }) => refused(&req, refusal),
            Err(error) => waitlist_failure(&req, error),
        }
    })
}

/// `POST /hospitals/waitlist/{id}/leave`: leaves the list, or declines the held number.
pub fn leave_waitlist(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let Ok(id) = req.param("id").parse::<i64>() else {
            return req.rerender(404, Vec::new(), Some("offer_gone"));
        };
        match super::server::leave_waitlist(&req.ctx, &citizen, id, &req.request_id).await {
            Ok(_) => FormOutcome::Redirect("/hospitals/bookings?notice=left".into()),
            Err(error) => waitlist_failure(&req, error),
        }
    })
}

/// Another account's entry answers exactly as one that does not exist.
fn waitlist_failure(req: &FormRequest, error: AppError) -> FormOutcome {
    match error {
        AppError::NotFound => req.rerender(404, Vec::new(), Some("offer_gone")),
        AppError::Forbidden => req.rerender(403, Vec::new(), Some("needs_real_name")),
        AppError::Unavailable => req.rerender(503, Vec::new(), Some("unavailable")),
        _ => req.failed(),
    }
}

/// `POST /hospitals/bookings/{id}/cancel`.
pub fn cancel(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let Ok(id) = req.param("id").parse::<i64>() else {
            return req.rerender(404, Vec::new(), Some("generic"));
        };
        match super::server::cancel(&req.ctx, &citizen, id, &req.request_id).await {
            Ok(Some(_)) => FormOutcome::Redirect(format!("/hospitals/bookings/{id}?notice=cancelled").into()),
            Ok(None) => req.rerender(409, Vec::new(), Some("cannot_cancel")),
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("generic")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(err) => req.failed_because(&err),
        }
    })
}
