//! The gas form posts: bind (by number and holder's name, or the household's address), unbind,
//! and report a meter reading. The citizen comes from the session; an account is reached only
//! through the citizen's binding of it.

use super::contract::{ReadingRefusal, SelfReading};
use super::server::BindOutcome;
use crate::accounts::forms::signed_in;
use crate::error::{AppError, FieldError};
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

/// `POST /gas/bind`.
pub fn bind(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        if !citizen.real_name_verified {
            return req.rerender(403, Vec::new(), Some("needs_real_name"));
        }
        let household = req.field("method") == "household";
        let (account_no, holder) = (req.field("account_no"), req.field("holder_name"));
        if !household {
            let mut errors = Vec::new();
            if account_no.trim().is_empty() {
                errors.push(FieldError::new("account_no", "required"));
            }
            if holder.trim().is_empty() {
                errors.push(FieldError::new("holder_name", "required"));
            }
            if !errors.is_empty() {
                return req.rerender(400, errors, None);
            }
        }
        // Every attempt counts, so neither wrong numbers nor wrong names can be tried in bulk.
        if !super::server::bind_allowed(&citizen, req.client_ip, req.ctx.clock.now()) {
            return req.rerender(429, Vec::new(), Some("throttled"));
        }
        let outcome = if household {
            super::server::bind_household(&req.ctx, &citizen, &req.request_id).await
        } else {
            super::server::bind_by_number(&req.ctx, &citizen, &account_no, &holder, &req.request_id).await
        };
        match outcome {
            Ok(BindOutcome::Bound(accounts)) if accounts.len() == 1 => {
                FormOutcome::Redirect(format!("/gas/accounts/{}?notice=bound", accounts[0]).into())
            }
            Ok(BindOutcome::Bound(_)) => FormOutcome::Redirect("/gas?notice=bound".into()),
            Ok(BindOutcome::NoMatch) => req.rerender(422, Vec::new(), Some("no_match")),
            Ok(BindOutcome::NoneAtAddress) => req.rerender(422, Vec::new(), Some("none_at_address")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /gas/accounts/{account}/unbind`.
pub fn unbind(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        match super::server::unbind(&req.ctx, &citizen, req.param("account")).await {
            Ok(()) => FormOutcome::Redirect("/gas?notice=unbound".into()),
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("not_found")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /gas/accounts/{account}/reading`.
pub fn reading(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let account_no = req.param("account").to_owned();
        let litres = super::text::parse_m3(&req.field("reading"));
        let day = req.field("read_on").trim().to_owned();
        let mut errors = Vec::new();
        if litres.is_none() {
            errors.push(FieldError::new("reading", "format"));
        }
        if super::demo::parse_day(&day).is_none() {
            errors.push(FieldError::new("read_on", "format"));
        }
        let (Some(litres), true) = (litres, errors.is_empty()) else {
            return req.rerender(400, errors, None);
        };
        let reading = SelfReading { account_no, read_on: day, litres };
        match super::server::report_reading(&req.ctx, &citizen, &reading, &req.request_id).await {
            Ok(Ok(())) => FormOutcome::Redirect(format!("/gas/accounts/{}?notice=reported", reading.account_no).into()),
            Ok(Err(refusal)) => {
                let (field, code) = match refusal {
                    ReadingRefusal::BelowLast => ("reading", "below_last"),
                    ReadingRefusal::Implausible => ("reading", "implausible"),
                    ReadingRefusal::BadDay => ("read_on", "bad_day"),
                };
                req.rerender(422, vec![FieldError::new(field, code)], None)
            }
            Err(AppError::NotFound) => req.rerender(404, Vec::new(), Some("not_found")),
            Err(AppError::Unavailable) => req.rerender(503, Vec::new(), Some("unavailable")),
            Err(AppError::Forbidden) => req.rerender(403, Vec::new(), Some("needs_real_name")),
            Err(err) => req.failed_because(&err),
        }
    })
}
