//! The window console on the server: who may work on cases, loading a case inside the staff
//! member's scope (audited), and decisions through the lifecycle, each written whole with its
//! timeline entry, notice and audit row.

pub mod db;
pub mod demo;
pub mod intake;

use crate::accounts::server::auth::StaffPrincipal;
use crate::accounts::{CaseScope, StaffRole};
use crate::applications::lifecycle::{Action, Actor, CaseState, Clock};
use crate::applications::model::{Answers, Status, SupplementItem};
use crate::applications::server as apps;
use crate::catalogue::model::ItemContent;
use crate::error::AppError;
use crate::platform::AppContext;
use db::{AuditEntry, CaseRow};

/// Clerks and supervisors work on cases; administrators do not (三员 handle no cases).
pub async fn case_staff() -> Result<(StaffPrincipal, CaseScope), AppError> {
    let staff =
        crate::accounts::server::auth::staff_with_role(&[StaffRole::WindowClerk, StaffRole::Supervisor]).await?;
    let scope = staff.case_scope().ok_or(AppError::Forbidden)?;
    Ok((staff, scope))
}

/// A case in scope with the item version it was made under.
#[derive(Debug, Clone)]
pub struct Case {
    pub row: CaseRow,
    pub status: Status,
    pub item: ItemContent,
    pub answers: Answers,
}

/// The case numbered `number` if it is in the scope, else `None` (the same for a case that
/// does not exist and one of another department, so numbers cannot be probed).
pub async fn load(ctx: &AppContext, scope: &CaseScope, number: &str) -> Result<Option<Case>, AppError> {
    let Some(number) = crate::applications::model::parse_application_number(number) else { return Ok(None) };
    let Some(row) = db::case_in_scope(&ctx.db, scope, &number).await? else { return Ok(None) };
    let item = apps::item_version(ctx, &row.item_code, row.item_version).await?;
    let status = Status::from_code(&row.status).ok_or_else(|| AppError::internal(&"unknown application status"))?;
    let answers = serde_json::from_str(&row.answers).map_err(|e| AppError::internal(&e))?;
    Ok(Some(Case { row, status, item, answers }))
}

/// The hourly job: cases whose pre-review period ended without a decision are accepted by law
/// (行政许可法 art. 32). Returns how many.
pub async fn deem_overdue_reviews_accepted(ctx: &AppContext) -> Result<u64, AppError> {
    let now = ctx.clock.now();
    let today = apps::iso_day(apps::beijing_day(now));
    let mut accepted = 0;
    for (id, citizen_id, number, reference, item_code, item_version) in db::past_review(&ctx.db, &today).await? {
        let item = apps::item_version(ctx, &item_code, item_version).await?;
        let email = crate::accounts::server::citizens::by_id(&ctx.db, citizen_id).await?.and_then(|c| c.email);
        let link = format!("{}/applications/{reference}", ctx.public_origin);
        let (subject, body) = apps::status_mail(&item.name, &number, "deemed_accepted", &link);
        let notice =
            apps::db::Notice { kind: "deemed_accepted", email: email.as_deref(), subject: &subject, body: &body };
        if db::deem_accepted(&ctx.db, id, citizen_id, &today, now, &notice).await? {
            accepted += 1;
        }
    }
    Ok(accepted)
}

/// Who records the review checklist: the clerk holding the case, or a supervisor of its scope;
/// nobody once the case is closed.
pub fn may_record_checks(staff: &StaffPrincipal, case: &Case) -> bool {
    !case.status.is_closed() && (case.row.claimed_by == Some(staff.id()) || staff.role == StaffRole::Supervisor)
}

/// Who assigns cases: a supervisor, while the case is open.
pub fn may_assign(staff: &StaffPrincipal, case: &Case) -> bool {
    staff.role == StaffRole::Supervisor && !case.status.is_closed()
}

/// The claim of a case as a form carries it: holder and claim time, `0:0` for none.
pub fn claim_seen(row: &CaseRow) -> String {
    format!("{}:{}", row.claimed_by.unwrap_or(0), row.claimed_at.unwrap_or(0))
}

/// The claim a form carried (see `claim_seen`); `None` for anything else.
pub fn parse_claim_seen(text: &str) -> Option<(i64, i64)> {
    let (holder, at) = text.split_once(':')?;
    Some((holder.parse().ok()?, at.parse().ok()?))
}

/// An audit row for `action` on `case` by `staff`, outcome `ok` unless changed.
pub fn audit_entry(ctx: &AppContext, staff: &StaffPrincipal, case: &Case, action: &str, detail: &str) -> AuditEntry {
    AuditEntry {
        at: ctx.clock.now(),
        staff_id: staff.id(),
        staff_role: staff.role.code().to_owned(),
        department_code: case.row.department_code.clone(),
        application_id: case.row.id,
        action: action.to_owned(),
        outcome: "ok".to_owned(),
        detail: detail.to_owned(),
    }
}

/// What a decision needs besides the action.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    /// The reason shown to the applicant (required for some actions, see `Action::needs_reason`).
    pub reason: String,
    /// For 不予受理: the applicant's appeal rights.
    pub appeal: String,
    /// For 补正: every material asked for, with its reason.
    pub items: Vec<SupplementItem>,
    /// The case's `updated_at` when the page was rendered: the decision applies to that state.
    pub read_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionOutcome {
    Done,
    /// The lifecycle does not allow this action now.
    NotAllowed,
    /// Someone else decided or holds the case since the page was shown (their name, if held).
    Conflict(Option<String>),
}

/// Applies a staff decision: the lifecycle decides whether it is allowed, the database whether
/// the case is still as the clerk saw it; the move, its timeline entry, the 补正 items, the
/// notice to the applicant, the document it issues (`documents`) and the audit row commit
/// together or not at all.
pub async fn decide(
    ctx: &AppContext,
    staff: &StaffPrincipal,
    scope: &CaseScope,
    case: &Case,
    action: Action,
    input: &DecisionInput,
) -> Result<DecisionOutcome, AppError> {
    let now = ctx.clock.now();
    let state = CaseState {
        status: case.status,
        clock: Clock { stopped_at: case.row.clock_stopped_at, paused_secs: case.row.paused_secs },
    };
    let Ok(next) = state.apply(Actor::Staff, action, now) else { return Ok(DecisionOutcome::NotAllowed) };
    let note = match action {
        Action::NotAccept => format!("{}\n{}", input.reason.trim(), input.appeal.trim()),
        _ => input.reason.trim().to_owned(),
    };
    let event = if action == Action::PassPrereview { "prereview_passed" } else { next.status.code() };
    let email = crate::accounts::server::citizens::by_id(&ctx.db, case.row.citizen_id).await?.and_then(|c| c.email);
    let link = format!("{}/applications/{}", ctx.public_origin, case.row.reference);
    let (subject, body) = apps::status_mail(&case.item.name, &case.row.number, event, &link);
    let items = match action {
        Action::RequestSupplement => Some(serde_json::to_string(&input.items).map_err(|e| AppError::internal(&e))?),
        _ => None,
    };
    let detail = match &items {
        Some(items) => format!("{} {items}", action.code()),
        None => action.code().to_owned(),
    };
    let document = crate::documents::server::for_decision(ctx, case, action, input, now).await?;
    let decided = db::decide(
        &ctx.db,
        &db::Decision {
            scope,
            application_id: case.row.id,
            citizen_id: case.row.citizen_id,
            staff_id: staff.id(),
            from: case.status.code(),
            read_at: input.read_at,
            to: next.status.code(),
            event,
            note: &note,
            now,
            clock_stopped_at: next.clock.stopped_at,
            paused_secs: next.clock.paused_secs,
            closes: next.status.is_closed(),
            prereviewed: action == Action::PassPrereview,
            supplement_items: items.as_deref(),
            notice: apps::db::Notice { kind: event, email: email.as_deref(), subject: &subject, body: &body },
            audit: audit_entry(ctx, staff, case, "decide", &detail),
            document: document.as_ref(),
        },
    )
    .await?;
    if decided {
        return Ok(DecisionOutcome::Done);
    }
    let holder = db::case_in_scope(&ctx.db, scope, &case.row.number)
        .await?
        .and_then(|now| now.claimed_by.filter(|id| *id != staff.id()).and(now.claimed_by_name));
    Ok(DecisionOutcome::Conflict(holder))
}
