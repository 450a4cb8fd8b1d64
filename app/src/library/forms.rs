//! The library form posts: bind a card (number and PIN), unbind it, renew a loan, reserve a
//! copy. The citizen comes from the session and the card from their binding, never from the form.

use super::contract::{RenewRefusal, ReserveRefusal};
use crate::accounts::forms::signed_in;
use crate::error::{AppError, FieldError};
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest, LocalPath};

/// A well-formed barcode or branch code (anything else is not asked of the library).
fn code_ok(code: &str) -> bool {
    super::provider::checks::code("code", code).is_ok()
}

/// Where to go after binding: back to the record the citizen came from, else their page.
fn after_binding(next: &str) -> LocalPath {
    if next.starts_with("/library/records/") {
        LocalPath::or(next, "/library/my?notice=bound")
    } else {
        "/library/my?notice=bound".into()
    }
}

/// `POST /library/my/bind`.
pub fn bind(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        if !citizen.real_name_verified {
            return req.rerender(403, Vec::new(), Some("needs_real_name"));
        }
        let (typed, pin) = (req.field("card_no"), req.field("pin"));
        let card = super::server::patron::normalise_card(&typed);
        let mut errors = Vec::new();
        if typed.trim().is_empty() {
            errors.push(FieldError::new("card_no", "required"));
        } else if card.is_none() {
            errors.push(FieldError::new("card_no", "format"));
        }
        if pin.is_empty() {
            errors.push(FieldError::new("pin", "required"));
        } else if pin.chars().count() > 32 {
            errors.push(FieldError::new("pin", "format"));
        }
        let (Some(card), true) = (card, errors.is_empty()) else {
            return req.rerender(400, errors, None);
        };
        // Every attempt counts, per citizen and per card, so PINs cannot be tried in bulk.
        if !super::server::patron::bind_allowed(&citizen, &card, req.ctx.clock.now()) {
            return req.rerender(429, Vec::new(), Some("throttled"));
        }
        match super::server::patron::bind(&req.ctx, &citizen, &card, &pin, &req.request_id).await {
            Ok(true) => FormOutcome::Redirect(after_binding(&req.field("next"))),
            Ok(false) => req.rerender(422, Vec::new(), Some("no_match")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /library/my/unbind`.
pub fn unbind(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        match super::server::patron::unbind(&req.ctx, &citizen).await {
            Ok(()) => FormOutcome::Redirect("/library/my?notice=unbound".into()),
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("no_card")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /library/my/loans/{barcode}/renew`.
pub fn renew(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let barcode = req.param("barcode").to_owned();
        if !code_ok(&barcode) {
            return req.rerender(404, Vec::new(), Some("not_on_loan"));
        }
        match super::server::patron::renew(&req.ctx, &citizen, &barcode, &req.request_id).await {
            Ok(Ok(_)) => FormOutcome::Redirect("/library/my?notice=renewed".into()),
            Ok(Err(refusal)) => {
                let code = match refusal {
                    RenewRefusal::LimitReached => "renew_limit",
                    RenewRefusal::Reserved => "renew_reserved",
                    RenewRefusal::Overdue => "renew_overdue",
                    RenewRefusal::NotOnLoan => return req.rerender(404, Vec::new(), Some("not_on_loan")),
                };
                req.rerender(422, vec![FieldError::new(&format!("renew-{barcode}"), code)], Some(code))
            }
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("no_card")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /library/records/{id}/reserve`.
pub fn reserve(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let (barcode, branch) = (req.field("barcode"), req.field("pickup_branch"));
        if !code_ok(&barcode) || !code_ok(&branch) {
            return req.rerender(422, Vec::new(), Some("reserve_unknown"));
        }
        match super::server::patron::reserve(&req.ctx, &citizen, &barcode, &branch, &req.request_id).await {
            Ok(Ok(_)) => FormOutcome::Redirect("/library/my?notice=reserved".into()),
            Ok(Err(ReserveRefusal::NotAvailable)) => req.rerender(409, Vec::new(), Some("reserve_not_available")),
            Ok(Err(ReserveRefusal::Unknown)) => req.rerender(422, Vec::new(), Some("reserve_unknown")),
            Err(AppError::NotFound) => req.rerender(403, Vec::new(), Some("no_card")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}
