//! Server functions the console pages read through. Each checks first that the caller is a
//! clerk or supervisor and takes the scope from their account; the SQL applies it.

use super::checklist::MaterialCheck;
use crate::applications::lifecycle::Action;
use crate::applications::model::{Answers, Status, SupplementItem};
use crate::catalogue::model::{FormDefinition, Material};
use crate::error::AppError;
use crate::site::Bilingual;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

pub use crate::supervision::Urgency;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEntry {
    pub number: String,
    pub item_name: Bilingual,
    pub applicant: String,
    pub status: Status,
    pub submitted_at: i64,
    pub promised_due: Option<String>,
    pub urgency: Option<Urgency>,
    pub holder: Option<String>,
    pub held_by_me: bool,
    /// The holder was assigned the case by a supervisor.
    pub assigned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    /// A city-wide supervisor (no department).
    pub city: bool,
    pub department: String,
    pub counts: Vec<(Status, i64)>,
    /// (code, name) of the services with cases in scope.
    pub services: Vec<(String, Bilingual)>,
    pub entries: Vec<QueueEntry>,
}

#[server(name = CaseQueue, prefix = "/api", endpoint = "staff/cases", input = GetUrl)]
pub async fn case_queue(
    status: Option<String>,
    service: Option<String>,
    due: Option<String>,
    mine: Option<String>,
    assigned: Option<String>,
) -> Result<QueueView, AppError> {
    use super::server::{case_staff, db};
    let ctx = crate::platform::AppContext::current()?;
    let (staff, scope) = case_staff().await.map_err(crate::platform::fail)?;
    let calendar = crate::catalogue::server::work_calendar(&ctx.db).await?;
    let status = status.filter(|s| Status::from_code(s).is_some_and(|s| s != Status::Draft));
    // Near due (80 % of the promised working days used) and overdue depend on the paused days,
    // so these filters apply to the standings below, not in SQL.
    let due_filter = match due.as_deref() {
        Some("soon") => Some(Urgency::Soon),
        Some("overdue") => Some(Urgency::Overdue),
        _ => None,
    };
    let filter = db::QueueFilter {
        status: status.as_deref(),
        item_code: service.as_deref().filter(|s| !s.is_empty()),
        claimed_by: (mine.as_deref() == Some("yes")).then(|| staff.id()),
        assigned_to: (assigned.as_deref() == Some("yes")).then(|| staff.id()),
    };
    let rows = db::queue(&ctx.db, &scope, &filter).await?;
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let name_of = |code: &str| {
        snapshot
            .item(code)
            .map(|i| i.content.name.clone())
            .unwrap_or_else(|| Bilingual { zh: code.to_owned(), en: code.to_owned() })
    };
    let today = crate::applications::server::beijing_day(ctx.clock.now());
    let open: Vec<_> = rows
        .iter()
        .filter(|r| Status::from_code(&r.status).is_some_and(|s| !s.is_closed()))
        .map(|r| (r.id, r.submitted_at, r.promised_due.as_deref(), today))
        .collect();
    let open_timelines = crate::supervision::server::db::Timelines::Open;
    let standings = crate::supervision::server::standings(&ctx.db, &scope, &calendar, open_timelines, &open).await?;
    let entries = rows
        .into_iter()
        .filter_map(|r| {
            let status = Status::from_code(&r.status).unwrap_or(Status::Submitted);
            let urgency = standings.get(&r.id).and_then(|s| s.urgency);
            // "Near due" lists overdue cases too: both need attention.
            let wanted = match due_filter {
                None => true,
                Some(Urgency::Soon) => urgency.is_some(),
                Some(Urgency::Overdue) => urgency == Some(Urgency::Overdue),
            };
            wanted.then(|| QueueEntry {
                item_name: name_of(&r.item_code),
                number: r.number,
                applicant: r.applicant,
                status,
                submitted_at: r.submitted_at,
                promised_due: r.promised_due,
                urgency,
                held_by_me: r.claimed_by == Some(staff.id()),
                holder: r.claimed_by_name,
                assigned: r.assigned_by.is_some(),
            })
        })
        .collect();
    let mut counts: Vec<(Status, i64)> = db::counts(&ctx.db, &scope)
        .await?
        .into_iter()
        .filter_map(|(code, n)| Status::from_code(&code).map(|s| (s, n)))
        .collect();
    counts.sort_by_key(|(s, _)| Status::ALL.iter().position(|x| x == s));
    let services = db::items_with_cases(&ctx.db, &scope).await?.into_iter().map(|c| (c.clone(), name_of(&c))).collect();
    let department = match &scope {
        crate::accounts::CaseScope::Department(code) => department_name(&ctx, code).await?,
        crate::accounts::CaseScope::City => String::new(),
    };
    Ok(QueueView { city: department.is_empty(), department, counts, services, entries })
}

#[cfg(feature = "ssr")]
async fn department_name(ctx: &crate::platform::AppContext, code: &str) -> Result<String, AppError> {
    let locale = crate::i18n::use_locale();
    Ok(crate::departments::server::db::list(&ctx.db)
        .await?
        .into_iter()
        .find(|d| d.code == code)
        .map_or(code.to_owned(), |d| d.name.get(locale).to_owned()))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub id: i64,
    pub slot: String,
    pub name: String,
    pub size: i64,
    pub media_type: String,
    pub thumbnail: bool,
    /// Added with the latest submission (after a 补正 or a return).
    pub new_in_latest: bool,
    /// The submission the file came with.
    pub added_revision: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: i64,
    pub status: String,
    pub actor_role: String,
    pub note: String,
}

/// An answer that changed between the last two submissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedAnswer {
    pub key: String,
    pub before: String,
    pub after: String,
}

/// An entry of the staff-only timeline: `by` assigned the case to `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseAssignment {
    pub at: i64,
    pub by: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNote {
    pub at: i64,
    pub author: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub number: String,
    pub status: Status,
    pub item_name: Bilingual,
    pub form: FormDefinition,
    pub materials: Vec<Material>,
    pub answers: Answers,
    pub files: Vec<CaseFile>,
    pub applicant: String,
    pub applicant_id_masked: String,
    pub submitted_at: i64,
    pub review_due: Option<String>,
    pub promised_due: Option<String>,
    pub statutory_due: Option<String>,
    pub clock_stopped_at: Option<i64>,
    pub paused_secs: i64,
    /// Where an open case stands against its promised limit.
    pub standing: Option<crate::supervision::TimeStanding>,
    pub prereviewed_at: Option<i64>,
    pub holder: Option<String>,
    pub held_by_me: bool,
    /// The supervisor who assigned the case to its holder.
    pub assigned_by: Option<String>,
    /// The caller supervises and the case is open: the assignment form is shown.
    pub may_assign: bool,
    /// (id, name) of the clerks the case may be assigned to (for a supervisor only).
    pub assignees: Vec<(i64, String)>,
    /// The claim as the page shows it (holder and claim time), which an assignment must still
    /// find (optimistic locking).
    pub claim_seen: String,
    /// The staff-only timeline: assignments.
    pub assignments: Vec<CaseAssignment>,
    pub revision: i64,
    /// With a resubmission: the answers that changed since the previous one.
    pub changes: Option<Vec<ChangedAnswer>>,
    pub events: Vec<CaseEvent>,
    pub open_supplement: Option<Vec<SupplementItem>>,
    pub notes: Vec<CaseNote>,
    /// The review checklist's verdicts, by material.
    pub checks: Vec<MaterialCheck>,
    /// The caller may record verdicts (they hold the case, or supervise; it is open).
    pub may_record_checks: bool,
    /// The materials the 补正 form starts with ticked (see `checklist::suggest_supplement`).
    pub suggested_supplement: Vec<String>,
    /// The decisions the lifecycle allows now, in the console's order.
    pub decisions: Vec<Action>,
    /// The version the decision forms apply to (optimistic locking).
    pub read_at: i64,
    /// The full ID numbers are shown (the clerk asked; the reveal is audited).
    pub revealed: bool,
}

/// One case in the caller's scope; every view is audited. Not found for a case outside it. ID
/// numbers stay masked unless `reveal` asks for them, which is audited as a reveal.
#[server(name = CaseDetail, prefix = "/api", endpoint = "staff/cases/one", input = GetUrl)]
pub async fn case_detail(number: Option<String>, reveal: Option<bool>) -> Result<CaseView, AppError> {
    use super::checklist;
    use super::server::{self as cases, case_staff, db};
    use crate::applications::server::db as apps_db;
    let ctx = crate::platform::AppContext::current()?;
    let (staff, scope) = case_staff().await.map_err(crate::platform::fail)?;
    let case = cases::load(&ctx, &scope, number.as_deref().unwrap_or_default())
        .await?
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let revealed = reveal == Some(true);
    db::append(&ctx.db, &cases::audit_entry(&ctx, &staff, &case, if revealed { "reveal" } else { "view" }, "")).await?;
    let id = case.row.id;
    let revision = case.row.revision;
    let files = apps_db::files(&ctx.db, id)
        .await?
        .into_iter()
        // A file carries the submission it goes with; later ones are not sent yet.
        .filter(|f| f.added_revision <= revision)
        .map(|f| CaseFile {
            id: f.id,
            slot: f.slot,
            name: f.original_name,
            size: f.size,
            media_type: f.media_type,
            thumbnail: f.thumbnail.is_some(),
            new_in_latest: revision > 1 && f.added_revision == revision,
            added_revision: f.added_revision,
        })
        .collect::<Vec<_>>();
    let changes = changed_answers(&apps_db::revisions(&ctx.db, id).await?);
    let events = apps_db::events(&ctx.db, id).await?;
    let standing = time_standing(&ctx, &case, &events).await?;
    let events = events
        .into_iter()
        .map(|e| CaseEvent { at: e.at, status: e.status, actor_role: e.actor_role, note: e.note })
        .collect();
    let open_supplement = match case.status {
        Status::SupplementRequested => {
            apps_db::open_supplement(&ctx.db, id).await?.map(|s| serde_json::from_str(&s.items).unwrap_or_default())
        }
        _ => None,
    };
    let notes =
        db::notes(&ctx.db, id).await?.into_iter().map(|(at, author, body)| CaseNote { at, author, body }).collect();
    let checks = material_checks(&case, &files, db::checks(&ctx.db, id).await?);
    let suggested_supplement = case
        .item
        .materials
        .iter()
        .filter(|m| {
            let slots = checklist::slots_of(&case.item.form, &m.id);
            let uploaded = files.iter().any(|f| slots.contains(&f.slot));
            checklist::suggest_supplement(m, !slots.is_empty(), uploaded, checks.iter().find(|c| c.material == m.id))
        })
        .map(|m| m.id.clone())
        .collect();
    let may_record_checks = cases::may_record_checks(&staff, &case);
    let may_assign = cases::may_assign(&staff, &case);
    let assignees = if may_assign { db::assignees(&ctx.db, &scope, id).await? } else { Vec::new() };
    let assignments = db::case_events(&ctx.db, id)
        .await?
        .into_iter()
        .filter(|(_, kind, _, _)| kind == "assigned")
        .map(|(at, _, by, to)| CaseAssignment { at, by, to })
        .collect();
    let claim_seen = cases::claim_seen(&case.row);
    let held_by_me = case.row.claimed_by == Some(staff.id());
    let decisions =
        if case.row.claimed_by.is_none() || held_by_me { Action::staff_decisions(case.status) } else { Vec::new() };
    let row = case.row;
    Ok(CaseView {
        number: row.number,
        status: case.status,
        item_name: case.item.name,
        form: case.item.form,
        materials: case.item.materials,
        answers: case.answers,
        files,
        applicant: row.applicant,
        applicant_id_masked: if revealed {
            ctx.secrets.cipher().decrypt(&row.applicant_id_sealed).unwrap_or(row.applicant_id_masked)
        } else {
            row.applicant_id_masked
        },
        submitted_at: row.submitted_at,
        review_due: row.review_due,
        promised_due: row.promised_due,
        statutory_due: row.statutory_due,
        clock_stopped_at: row.clock_stopped_at,
        paused_secs: row.paused_secs,
        standing,
        prereviewed_at: row.prereviewed_at,
        holder: row.claimed_by_name,
        held_by_me,
        assigned_by: row.assigned_by_name,
        may_assign,
        assignees,
        claim_seen,
        assignments,
        revision: row.revision,
        changes,
        events,
        open_supplement,
        notes,
        checks,
        may_record_checks,
        suggested_supplement,
        decisions,
        read_at: row.updated_at,
        revealed,
    })
}

/// The standing of an open case against its promised limit, its pauses read from its timeline
/// since the latest submission.
#[cfg(feature = "ssr")]
async fn time_standing(
    ctx: &crate::platform::AppContext,
    case: &super::server::Case,
    events: &[crate::applications::server::db::EventRow],
) -> Result<Option<crate::supervision::TimeStanding>, AppError> {
    use crate::applications::server::beijing_day;
    use crate::supervision::time_limit::{parse_day, pauses, standing};
    let Some(due) = case.row.promised_due.as_deref().and_then(parse_day).filter(|_| !case.status.is_closed()) else {
        return Ok(None);
    };
    let calendar = crate::catalogue::server::work_calendar(&ctx.db).await?;
    let today = beijing_day(ctx.clock.now());
    let timeline: Vec<(i64, String)> =
        events.iter().filter(|e| e.at >= case.row.submitted_at).map(|e| (e.at, e.status.clone())).collect();
    let paused = pauses(&timeline, beijing_day, today);
    Ok(Some(standing(&calendar, beijing_day(case.row.submitted_at), due, &paused, today).view()))
}

/// The recorded verdicts of materials the item still has, each marked when files for the
/// material came with a later submission than the one it was made on.
#[cfg(feature = "ssr")]
fn material_checks(
    case: &super::server::Case,
    files: &[CaseFile],
    rows: Vec<super::server::db::CheckRow>,
) -> Vec<MaterialCheck> {
    use super::checklist::{needs_review_again, slots_of, Verdict};
    rows.into_iter()
        .filter_map(|row| {
            let verdict = Verdict::from_code(&row.verdict)?;
            let slots = slots_of(&case.item.form, &row.material);
            let added = files.iter().filter(|f| slots.contains(&f.slot)).map(|f| f.added_revision);
            Some(MaterialCheck {
                needs_review: needs_review_again(row.revision, added),
                material: row.material,
                verdict,
                note: row.note,
                by: row.staff_name,
                at: row.at,
            })
        })
        .collect()
}

/// The answers that differ between the last two submissions (`None` before a resubmission).
#[cfg(feature = "ssr")]
fn changed_answers(revisions: &[(i64, String, String, i64)]) -> Option<Vec<ChangedAnswer>> {
    let [.., (_, before, _, _), (_, after, _, _)] = revisions else { return None };
    let before: Answers = serde_json::from_str(before).ok()?;
    let after: Answers = serde_json::from_str(after).ok()?;
    let mut keys: Vec<&String> = before.values.keys().chain(after.values.keys()).collect();
    keys.sort();
    keys.dedup();
    Some(
        keys.into_iter()
            .filter(|k| before.value(k).trim() != after.value(k).trim())
            .map(|k| ChangedAnswer {
                key: k.clone(),
                before: before.value(k).to_owned(),
                after: after.value(k).to_owned(),
            })
            .collect(),
    )
}
