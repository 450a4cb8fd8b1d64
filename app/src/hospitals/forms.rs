//! The booking form posts: book a slot (health-data notice acknowledged, idempotent by the
//! page's key) and cancel a booking. The citizen comes from the session; a booking is found by
//! (citizen, id) on the platform.

use super::contract::{BookingOutcome, BookingRefusal};
use super::server::For;
use crate::accounts::forms::signed_in;
use crate::error::{AppError, FieldError};
use crate::platform::forms::{FormFuture, FormOutcome, FormRequest};

fn valid_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `POST /hospitals/{hospital}/departments/{service}/doctors/{doctor}/book`.
pub fn book(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = match signed_in(&req).await {
            Ok(c) => c,
            Err(outcome) => return outcome,
        };
        if !citizen.real_name_verified {
            return req.rerender(403, Vec::new(), Some("needs_real_name"));
        }
        // "List my household": the consent is recorded and the page shows the members, with
        // everything else as typed.
        if req.field("household") == "read" {
            return match super::server::allow_household(&req.ctx, &citizen).await {
                Ok(()) => req.show_with([]),
                Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
                Err(_) => req.failed(),
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
        let patient = match posted_patient.as_str() {
            "" | "self" => For::Myself,
            token => For::Member(token),
        };
        let mut errors = Vec::new();
        if req.field("notice") != "yes" {
            errors.push(FieldError { field: "notice".into(), code: "notice_required".into() });
        }
        if !errors.is_empty() {
            return req.rerender(400, errors, None);
        }
        match super::server::book(&req.ctx, &citizen, slot, &key, patient, &req.request_id).await {
            Ok(BookingOutcome::Booked { appointment, .. }) => {
                FormOutcome::Redirect(format!("/hospitals/bookings/{}?notice=booked", appointment.id).into())
            }
            Ok(BookingOutcome::Refused { refusal }) => {
                let (code, extra) = match refusal {
                    BookingRefusal::Full => ("full", String::new()),
                    BookingRefusal::NotOpen => ("not_open", String::new()),
                    BookingRefusal::DepartmentDayLimit => ("department_day", String::new()),
                    BookingRefusal::WeeklyLimit => ("weekly", String::new()),
                    BookingRefusal::Banned { until } => ("banned", super::when_text(until)),
                };
                req.render_with(409, Vec::new(), [("refusal", code.to_owned()), ("until", extra)])
            }
            // The posted member is not (or no longer) in the household the register has.
            Err(AppError::NotFound) if patient != For::Myself => {
                req.rerender(400, vec![FieldError { field: "patient".into(), code: "patient_unknown".into() }], None)
            }
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(_) => req.failed(),
        }
    })
}

/// `POST /hospitals/bookings/{id}/cancel`.
pub fn cancel(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = match signed_in(&req).await {
            Ok(c) => c,
            Err(outcome) => return outcome,
        };
        let Ok(id) = req.param("id").parse::<i64>() else {
            return req.rerender(404, Vec::new(), Some("generic"));
        };
        match super::server::cancel(&req.ctx, &citizen, id, &req.request_id).await {
            Ok(Some(_)) => FormOutcome::Redirect(format!("/hospitals/bookings/{id}?notice=cancelled").into()),
            Ok(None) => req.rerender(409, Vec::new(), Some("cannot_cancel")),
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("generic")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(_) => req.failed(),
        }
    })
}
