//! The favourite-stop form posts. The citizen comes from the session and the SQL is keyed by
//! them, so a post can only add to or remove from the poster's own list.

use crate::accounts::forms::signed_in;
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

/// `POST /bus/stops/{id}/favourite`.
pub fn add(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let stop = req.param("id").to_owned();
        let known = req.ctx.bus.timetable().is_some_and(|t| t.stop(&stop).is_some());
        if !known {
            return req.rerender(404, Vec::new(), Some("generic"));
        }
        let now = req.ctx.clock.now();
        match super::server::db::add_favourite(&req.ctx.db, citizen.id(), &stop, now).await {
            Ok(true) => FormOutcome::Redirect(format!("/bus/stops/{}?notice=saved", encode(&stop)).into()),
            Ok(false) => req.rerender(409, Vec::new(), Some("too_many")),
            Err(err) => {
                let _ = crate::error::AppError::from(err);
                req.failed()
            }
        }
    })
}

/// `POST /bus/stops/{id}/unfavourite`.
pub fn remove(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let stop = req.param("id").to_owned();
        match super::server::db::remove_favourite(&req.ctx.db, citizen.id(), &stop).await {
            Ok(true) => FormOutcome::Redirect("/bus?notice=removed".into()),
            Ok(false) => req.rerender(404, Vec::new(), Some("generic")),
            Err(err) => {
                let _ = crate::error::AppError::from(err);
                req.failed()
            }
        }
    })
}

/// A stop id as one path segment.
fn encode(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
