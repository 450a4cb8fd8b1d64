//! The dashboard's form posts: a supervisor requests a case-list export with personal data, and
//! another supervisor of the same scope approves it. Both, with refusals, go to the staff
//! security log in the same transaction as the change.

use crate::accounts::server::auth::StaffPrincipal;
use crate::accounts::server::staff::StaffEvent;
use crate::accounts::{CaseScope, StaffRole};
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

async fn supervisor(req: &FormRequest) -> Result<(StaffPrincipal, CaseScope), FormOutcome> {
    let staff = crate::accounts::staff_forms::staff_with_role(req, &[StaffRole::Supervisor]).await?;
    let scope = staff.case_scope().ok_or_else(|| req.rerender(403, Vec::new(), Some("staff_forbidden")))?;
    Ok((staff, scope))
}

fn event<'a>(req: &'a FormRequest, staff: &StaffPrincipal, event: &'a str, client_ip: &'a str) -> StaffEvent<'a> {
    StaffEvent {
        at: req.ctx.clock.now(),
        staff_id: Some(staff.id()),
        actor_id: Some(staff.id()),
        event,
        success: true,
        client_ip,
        request_id: &req.request_id,
        detail: "",
    }
}

/// `POST /staff/supervision/exports`: asks for the case list of a period.
pub fn request_export(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope) = or_return!(supervisor(&req).await);
        let Some(period) = super::Period::from_code(&req.field("period")) else {
            return req.rerender(400, Vec::new(), Some("export_period"));
        };
        let client_ip = req.client_address();
        let log = event(&req, &staff, "export_requested", &client_ip);
        match super::server::db::request_export(&req.ctx.db, &scope, period.code(), staff.id(), &log).await {
            Ok(_) => {
                FormOutcome::Redirect(format!("/staff/supervision?period={}&done=requested", period.code()).into())
            }
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /staff/supervision/exports/approve`: a second supervisor approves someone else's request.
pub fn approve_export(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope) = or_return!(supervisor(&req).await);
        let Ok(id) = req.field("export").parse::<i64>() else {
            return req.rerender(400, Vec::new(), Some("export_not_approvable"));
        };
        let client_ip = req.client_address();
        let log = event(&req, &staff, "export_approved", &client_ip);
        match super::server::db::approve_export(&req.ctx.db, &scope, id, staff.id(), &log).await {
            Ok(true) => FormOutcome::Redirect("/staff/supervision?done=approved".into()),
            Ok(false) => req.rerender(403, Vec::new(), Some("export_not_approvable")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /staff/supervision/ratings/{id}`: moves a 差评 ledger entry to its next state, with the
/// person responsible and a note; applied only if the entry is still in the state the page
/// showed, and recorded with the change.
pub fn move_ledger(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        use super::ledger::LedgerState;
        use crate::error::FieldError;
        let (staff, scope) = or_return!(supervisor(&req).await);
        let Ok(id) = req.param("id").parse::<i64>() else {
            return req.rerender(404, Vec::new(), Some("ledger_missing"));
        };
        let seen = LedgerState::from_code(&req.field("seen"));
        let to = LedgerState::from_code(&req.field("to"));
        let responsible = req.field("responsible").trim().to_owned();
        let note = req.field("note").trim().to_owned();
        let mut errors = Vec::new();
        let allowed = matches!((seen, to), (Some(from), Some(to)) if from.may_move_to(to));
        if !allowed {
            errors.push(FieldError::new("to", "ledger_state"));
        }
        if responsible.is_empty() {
            errors.push(FieldError::new("responsible", "ledger_responsible"));
        } else if responsible.chars().count() > 100 {
            errors.push(FieldError::new("responsible", "ledger_too_long"));
        }
        if note.is_empty() {
            errors.push(FieldError::new("note", "ledger_note"));
        } else if note.chars().count() > 2000 {
            errors.push(FieldError::new("note", "ledger_too_long"));
        }
        let (Some(from), Some(to)) = (seen, to) else { return req.rerender(400, errors, None) };
        if !errors.is_empty() {
            return req.rerender(400, errors, None);
        }
        let change = super::server::db::LedgerMove {
            id,
            from: from.code(),
            to: to.code(),
            responsible: &responsible,
            note: &note,
            staff_id: staff.id(),
            now: req.ctx.clock.now(),
        };
        match super::server::db::move_ledger(&req.ctx.db, &scope, &change).await {
            Ok(true) => FormOutcome::Redirect(format!("/staff/supervision/ratings/{id}?done=moved").into()),
            Ok(false) => req.rerender(409, Vec::new(), Some("ledger_conflict")),
            Err(err) => req.failed_because(&err),
        }
    })
}
