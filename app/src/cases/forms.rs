//! The console's form posts (see `platform::forms`): claim, release, decide, note, the
//! material checklist and a supervisor's assignment. Each takes
//! the staff member from the session, loads the case inside their scope (a case outside it is
//! "not found", as on the page) and lets the lifecycle and the database re-check the decision.

use super::checklist::{Verdict, MAX_NOTE};
use super::server::{self as cases, db, Case, DecisionInput, DecisionOutcome};
use crate::accounts::server::auth::StaffPrincipal;
use crate::accounts::{CaseScope, StaffRole};
use crate::applications::lifecycle::Action;
use crate::applications::model::SupplementItem;
use crate::error::FieldError;
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest, PostedForm};

/// The longest reason, note or appeal text.
const MAX_TEXT: usize = 1000;

/// The staff member (clerk or supervisor with a scope) and the case of the posted path.
async fn case_of(req: &FormRequest) -> Result<(StaffPrincipal, CaseScope, Case), FormOutcome> {
    let staff =
        crate::accounts::staff_forms::staff_with_role(req, &[StaffRole::WindowClerk, StaffRole::Supervisor]).await?;
    let Some(scope) = staff.case_scope() else { return Err(req.rerender(403, Vec::new(), Some("staff_forbidden"))) };
    match cases::load(&req.ctx, &scope, req.param("number")).await {
        Ok(Some(case)) => Ok((staff, scope, case)),
        Ok(None) => Err(req.rerender(404, Vec::new(), None)),
        Err(_) => Err(req.failed()),
    }
}

fn case_page(case: &Case, done: &str) -> FormOutcome {
    FormOutcome::Redirect(format!("/staff/cases/{}?done={done}", case.row.number).into())
}

/// `POST /staff/cases/{number}/claim`: first come, first served.
pub fn claim(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope, case) = or_return!(case_of(&req).await);
        let audit = cases::audit_entry(&req.ctx, &staff, &case, "claim", "");
        match db::claim(&req.ctx.db, &scope, case.row.id, staff.id(), req.ctx.clock.now(), &audit).await {
            Ok(true) => case_page(&case, "claimed"),
            Ok(false) => req.rerender(409, Vec::new(), Some("held")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /staff/cases/{number}/release`.
pub fn release(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope, case) = or_return!(case_of(&req).await);
        let audit = cases::audit_entry(&req.ctx, &staff, &case, "release", "");
        match db::release(&req.ctx.db, &scope, case.row.id, staff.id(), &audit).await {
            Ok(_) => case_page(&case, "released"),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /staff/cases/{number}/notes`: an internal note.
pub fn note(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope, case) = or_return!(case_of(&req).await);
        let body = req.field("body").trim().to_owned();
        if body.is_empty() {
            return req.rerender(400, vec![FieldError::new("body", "note_required")], None);
        }
        if body.chars().count() > MAX_TEXT {
            return req.rerender(400, vec![FieldError::new("body", "too_long")], None);
        }
        match db::add_note(&req.ctx.db, &scope, case.row.id, staff.id(), &body, req.ctx.clock.now()).await {
            Ok(true) => case_page(&case, "note"),
            Ok(false) => req.rerender(404, Vec::new(), None),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// What the decision form says, checked: the reason where one is needed, the appeal rights for
/// 不予受理, and for 补正 at least one material, each with its reason.
pub fn decision_input(
    req: &FormRequest,
    action: Action,
    materials: &[String],
) -> Result<DecisionInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let reason = req.field("reason").trim().to_owned();
    if action.needs_reason() && reason.is_empty() {
        errors.push(FieldError::new("reason", "reason_required"));
    }
    if reason.chars().count() > MAX_TEXT {
        errors.push(FieldError::new("reason", "too_long"));
    }
    let appeal = req.field("appeal").trim().to_owned();
    if action == Action::NotAccept && appeal.is_empty() {
        errors.push(FieldError::new("appeal", "appeal_required"));
    }
    if appeal.chars().count() > MAX_TEXT {
        errors.push(FieldError::new("appeal", "too_long"));
    }
    let mut items = Vec::new();
    if action == Action::RequestSupplement {
        for material in materials {
            if req.field(&format!("need.{material}")) != "yes" {
                continue;
            }
            let why = req.field(&format!("why.{material}")).trim().to_owned();
            if why.is_empty() {
                errors.push(FieldError::new(&format!("why.{material}"), "item_reason_required"));
            } else if why.chars().count() > MAX_TEXT {
                errors.push(FieldError::new(&format!("why.{material}"), "too_long"));
            }
            items.push(SupplementItem { material: material.clone(), reason: why });
        }
        if items.is_empty() {
            errors.push(FieldError::new("items", "items_required"));
        }
    }
    let read_at = req.field("read_at").parse().unwrap_or(-1);
    if errors.is_empty() {
        Ok(DecisionInput { reason, appeal, items, read_at })
    } else {
        Err(errors)
    }
}

/// `POST /staff/cases/{number}/decision`: one decision through the lifecycle.
pub fn decide(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope, case) = or_return!(case_of(&req).await);
        let Some(action) = Action::from_code(&req.field("action")).filter(|a| Action::DECISIONS.contains(a)) else {
            return req.rerender(400, Vec::new(), Some("not_allowed"));
        };
        let materials: Vec<String> = case.item.materials.iter().map(|m| m.id.clone()).collect();
        let input = match decision_input(&req, action, &materials) {
            Ok(input) => input,
            Err(errors) => return req.rerender(400, errors, None),
        };
        match cases::decide(&req.ctx, &staff, &scope, &case, action, &input).await {
            Ok(DecisionOutcome::Done) => case_page(&case, action.code()),
            Ok(DecisionOutcome::NotAllowed) => req.rerender(409, Vec::new(), Some("not_allowed")),
            Ok(DecisionOutcome::Conflict(Some(_))) => req.rerender(409, Vec::new(), Some("held")),
            Ok(DecisionOutcome::Conflict(None)) => req.rerender(409, Vec::new(), Some("conflict")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// The checklist as posted: for each material of the item, the verdict chosen (none: not
/// recorded this time) and its note. An unknown verdict, a note without a verdict or one that is
/// too long is named next to its field.
pub fn checklist_input(
    req: &FormRequest,
    materials: &[String],
) -> Result<Vec<(String, Verdict, String)>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut chosen = Vec::new();
    for material in materials {
        let (verdict_field, note_field) = (format!("verdict.{material}"), format!("note.{material}"));
        let note = req.field(&note_field).trim().to_owned();
        if note.chars().count() > MAX_NOTE {
            errors.push(FieldError::new(&note_field, "note_too_long"));
        }
        match req.field(&verdict_field).as_str() {
            "" if note.is_empty() => {}
            "" => errors.push(FieldError::new(&verdict_field, "verdict_required")),
            code => match Verdict::from_code(code) {
                Some(verdict) => chosen.push((material.clone(), verdict, note)),
                None => errors.push(FieldError::new(&verdict_field, "verdict_unknown")),
            },
        }
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors)
    }
}

/// `POST /staff/cases/{number}/checks`: the verdicts of the review checklist. Only the verdicts
/// that differ from the recorded ones (or were made on an earlier submission) are written, each
/// with its audit row, in one transaction.
pub fn record_checks(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope, case) = or_return!(case_of(&req).await);
        if !cases::may_record_checks(&staff, &case) {
            return req.rerender(403, Vec::new(), Some("checks_not_allowed"));
        }
        let materials: Vec<String> = case.item.materials.iter().map(|m| m.id.clone()).collect();
        let chosen = match checklist_input(&req, &materials) {
            Ok(chosen) => chosen,
            Err(errors) => return req.rerender(400, errors, None),
        };
        // The submission the page showed: verdicts are about the files seen.
        let revision = req.field("revision").parse().unwrap_or(-1);
        let recorded = match db::checks(&req.ctx.db, case.row.id).await {
            Ok(rows) => rows,
            Err(err) => return req.failed_because(&err),
        };
        let changes: Vec<db::CheckChange> = chosen
            .into_iter()
            .filter_map(|(material, verdict, note)| {
                let before = recorded.iter().find(|r| r.material == material);
                let same =
                    before.is_some_and(|r| r.verdict == verdict.code() && r.note == note && r.revision == revision);
                let detail = serde_json::json!({
                    "material": material,
                    "verdict": verdict.code(),
                    "note": note,
                    "before": before.map(|r| r.verdict.as_str()),
                })
                .to_string();
                let audit = cases::audit_entry(&req.ctx, &staff, &case, "check_material", &detail);
                (!same).then_some(db::CheckChange { material, verdict: verdict.code(), note, audit })
            })
            .collect();
        let recorder = (staff.id(), staff.role == StaffRole::Supervisor);
        match db::record_checks(&req.ctx.db, &scope, case.row.id, revision, recorder, &changes, req.ctx.clock.now())
            .await
        {
            Ok(true) => case_page(&case, "checks"),
            Ok(false) => req.rerender(409, Vec::new(), Some("checks_conflict")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /staff/cases/{number}/assign`: a supervisor gives the case to a clerk of its department,
/// only if nobody claimed it or had it assigned since the page was shown; otherwise the page says
/// who has it now and nothing changes.
pub fn assign(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, scope, case) = or_return!(case_of(&req).await);
        if staff.role != StaffRole::Supervisor {
            return req.rerender(403, Vec::new(), Some("assign_supervisors_only"));
        }
        if !cases::may_assign(&staff, &case) {
            return req.rerender(409, Vec::new(), Some("not_allowed"));
        }
        let clerks = match db::assignees(&req.ctx.db, &scope, case.row.id).await {
            Ok(clerks) => clerks,
            Err(err) => return req.failed_because(&err),
        };
        let typed = req.field("assignee");
        let Some(assignee) = typed.parse::<i64>().ok().filter(|id| clerks.iter().any(|(clerk, _)| clerk == id)) else {
            let code = if typed.is_empty() { "assignee_required" } else { "assignee_unknown" };
            return req.rerender(400, vec![FieldError::new("assignee", code)], None);
        };
        // A claim the form did not carry properly matches no case: refused like a stale one.
        let seen = cases::parse_claim_seen(&req.field("claim_seen")).unwrap_or((-1, -1));
        let detail = serde_json::json!({ "to": assignee, "from": case.row.claimed_by }).to_string();
        let assignment = db::Assignment {
            scope: &scope,
            application_id: case.row.id,
            assignee,
            supervisor: staff.id(),
            seen,
            now: req.ctx.clock.now(),
            audit: cases::audit_entry(&req.ctx, &staff, &case, "assign", &detail),
        };
        match db::assign(&req.ctx.db, &assignment).await {
            Ok(true) => case_page(&case, "assigned"),
            Ok(false) => match db::case_in_scope(&req.ctx.db, &scope, &case.row.number).await {
                Ok(Some(now)) => match now.claimed_by_name {
                    Some(holder) => FormOutcome::Render(PostedForm {
                        values: req.kept_values(),
                        extra: [("holder".to_owned(), holder)].into(),
                        errors: Vec::new(),
                        form_error: Some("assign_taken"),
                        status: 409,
                        restored: false,
                    }),
                    None => req.rerender(409, Vec::new(), Some("conflict")),
                },
                Ok(None) => req.rerender(404, Vec::new(), None),
                Err(err) => req.failed_because(&err),
            },
            Err(err) => req.failed_because(&err),
        }
    })
}
