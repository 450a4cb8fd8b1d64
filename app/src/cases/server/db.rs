//! All SQL of the window console. Every query about cases takes the staff member's
//! `CaseScope` and puts it into its WHERE clause (`in_scope`), so a case outside the scope is
//! never listed, counted, read, claimed or decided, whatever id a request carries.

use crate::accounts::CaseScope;
use crate::applications::server::db::{insert_event, notify_in, Notice};
use crate::platform::{chain, Backend, Db};
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

/// The scope condition on `service_items i` joined to the case: the item's department, or
/// nothing for the whole city. `next` is the number of the parameter it binds.
pub(crate) fn in_scope(scope: &CaseScope, next: usize) -> String {
    match scope {
        CaseScope::Department(_) => format!(" AND i.department_code = ${next}"),
        CaseScope::City => String::new(),
    }
}

pub(crate) fn scope_value(scope: &CaseScope) -> Option<&str> {
    match scope {
        CaseScope::Department(code) => Some(code),
        CaseScope::City => None,
    }
}

/// Which cases the queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter<'a> {
    /// One status; `None`: every open case.
    pub status: Option<&'a str>,
    pub item_code: Option<&'a str>,
    /// Claimed by this staff member.
    pub claimed_by: Option<i64>,
    /// Assigned to this staff member by a supervisor (and still theirs).
    pub assigned_to: Option<i64>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub number: String,
    pub item_code: String,
    pub item_version: i64,
    pub status: String,
    pub submitted_at: i64,
    pub review_due: Option<String>,
    pub promised_due: Option<String>,
    pub clock_stopped_at: Option<i64>,
    pub claimed_by: Option<i64>,
    pub claimed_by_name: Option<String>,
    /// The supervisor who assigned the case to its holder.
    pub assigned_by: Option<i64>,
    pub applicant: String,
}

/// How many rows the queue shows at most (the filters narrow it down).
pub const QUEUE_ROWS: i64 = 200;

const CASE_FROM: &str = "FROM applications a JOIN service_items i ON i.code = a.item_code \
     JOIN citizens c ON c.id = a.citizen_id LEFT JOIN staff_accounts s ON s.id = a.claimed_by \
     LEFT JOIN staff_accounts sa ON sa.id = a.assigned_by";

/// The queue: cases in scope matching the filter, the most urgent first.
pub async fn queue(db: &Db, scope: &CaseScope, filter: &QueueFilter<'_>) -> Result<Vec<QueueRow>, sqlx::Error> {
    let mut sql = format!(
        "SELECT a.id, a.number, a.item_code, a.item_version, a.status, a.submitted_at, a.review_due, a.promised_due, \
         a.clock_stopped_at, a.claimed_by, s.display_name AS claimed_by_name, a.assigned_by, c.name AS applicant {CASE_FROM} \
         WHERE a.number IS NOT NULL{}",
        in_scope(scope, 1)
    );
    let mut n = 1 + usize::from(scope_value(scope).is_some());
    let mut push = |sql: &mut String, condition: &str| {
        sql.push_str(&format!(" AND {condition} ${n}"));
        n += 1;
    };
    match filter.status {
        Some(_) => push(&mut sql, "a.status ="),
        None => sql.push_str(" AND a.closed_at IS NULL"),
    }
    if filter.item_code.is_some() {
        push(&mut sql, "a.item_code =");
    }
    if filter.claimed_by.is_some() {
        push(&mut sql, "a.claimed_by =");
    }
    if filter.assigned_to.is_some() {
        push(&mut sql, "a.assigned_by IS NOT NULL AND a.claimed_by =");
    }
    sql.push_str(&format!(
        " ORDER BY CASE WHEN a.promised_due IS NULL THEN 1 ELSE 0 END, a.promised_due, a.review_due, a.submitted_at, a.id LIMIT {QUEUE_ROWS}"
    ));
    let mut query = sqlx::query_as::<_, QueueRow>(&sql);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    for value in [filter.status, filter.item_code].into_iter().flatten() {
        query = query.bind(value);
    }
    for staff in [filter.claimed_by, filter.assigned_to].into_iter().flatten() {
        query = query.bind(staff);
    }
    query.fetch_all(db.pool()).await
}

/// (status, how many) of the cases in scope, drafts left out.
pub async fn counts(db: &Db, scope: &CaseScope) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT a.status, COUNT(*) FROM applications a JOIN service_items i ON i.code = a.item_code \
         WHERE a.number IS NOT NULL{} GROUP BY a.status",
        in_scope(scope, 1)
    );
    let mut query = sqlx::query_as(&sql);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// The items with cases in scope (code), for the queue's service filter.
pub async fn items_with_cases(db: &Db, scope: &CaseScope) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "SELECT DISTINCT a.item_code FROM applications a JOIN service_items i ON i.code = a.item_code \
         WHERE a.number IS NOT NULL{} ORDER BY a.item_code",
        in_scope(scope, 1)
    );
    let mut query = sqlx::query_scalar(&sql);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// One case as the review page needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub number: String,
    pub citizen_id: i64,
    pub item_code: String,
    pub item_version: i64,
    pub department_code: String,
    pub status: String,
    pub answers: String,
    pub revision: i64,
    pub submitted_at: i64,
    pub updated_at: i64,
    pub review_due: Option<String>,
    pub promised_due: Option<String>,
    pub statutory_due: Option<String>,
    pub clock_stopped_at: Option<i64>,
    pub paused_secs: i64,
    pub prereviewed_at: Option<i64>,
    pub claimed_by: Option<i64>,
    pub claimed_at: Option<i64>,
    pub claimed_by_name: Option<String>,
    /// The supervisor who assigned the case to its holder.
    pub assigned_by_name: Option<String>,
    pub applicant: String,
    pub applicant_id_masked: String,
    pub applicant_id_sealed: String,
}

/// The case numbered `number` if it is in scope (drafts are never cases).
pub async fn case_in_scope(db: &Db, scope: &CaseScope, number: &str) -> Result<Option<CaseRow>, sqlx::Error> {
    let sql = format!(
        "SELECT a.id, a.reference, a.number, a.citizen_id, a.item_code, a.item_version, i.department_code, a.status, a.answers, \
         a.revision, a.submitted_at, a.updated_at, a.review_due, a.promised_due, a.statutory_due, a.clock_stopped_at, \
         a.paused_secs, a.prereviewed_at, a.claimed_by, a.claimed_at, s.display_name AS claimed_by_name, \
         sa.display_name AS assigned_by_name, c.name AS applicant, \
         c.id_number_masked AS applicant_id_masked, c.id_number_sealed AS applicant_id_sealed {CASE_FROM} \
         WHERE a.number = $1{}",
        in_scope(scope, 2)
    );
    let mut query = sqlx::query_as::<_, CaseRow>(&sql).bind(number);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_optional(db.pool()).await
}

/// The condition that keeps an UPDATE of `applications` inside the scope.
fn update_in_scope(scope: &CaseScope, next: usize) -> String {
    match scope {
        CaseScope::Department(_) => {
            format!(" AND item_code IN (SELECT code FROM service_items WHERE department_code = ${next})")
        }
        CaseScope::City => String::new(),
    }
}

/// Takes an unclaimed case (or keeps one already ours). False when someone else was first.
pub async fn claim(
    db: &Db,
    scope: &CaseScope,
    application_id: i64,
    staff_id: i64,
    now: i64,
    audit: &AuditEntry,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE applications SET claimed_by = $1, claimed_at = $2, \
         assigned_by = CASE WHEN claimed_by = $1 THEN assigned_by ELSE NULL END WHERE id = $3 AND number IS NOT NULL \
         AND (claimed_by IS NULL OR claimed_by = $1){}",
        update_in_scope(scope, 4)
    );
    let mut query = sqlx::query(&sql).bind(staff_id).bind(now).bind(application_id);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    let claimed = query.execute(&mut *tx).await?.rows_affected() == 1;
    let outcome = if claimed { "ok" } else { "taken" };
    append_in(&mut tx, db.backend(), &AuditEntry { outcome: outcome.to_owned(), ..audit.clone() }).await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Gives up a case the staff member holds; the audit row (`ok`, or `not_held` when it was not
/// theirs) commits with it.
pub async fn release(
    db: &Db,
    scope: &CaseScope,
    application_id: i64,
    staff_id: i64,
    audit: &AuditEntry,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE applications SET claimed_by = NULL, claimed_at = NULL, assigned_by = NULL \
         WHERE id = $1 AND claimed_by = $2{}",
        update_in_scope(scope, 3)
    );
    let mut query = sqlx::query(&sql).bind(application_id).bind(staff_id);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    let released = query.execute(&mut *tx).await?.rows_affected() == 1;
    let outcome = if released { "ok" } else { "not_held" };
    append_in(&mut tx, db.backend(), &AuditEntry { outcome: outcome.to_owned(), ..audit.clone() }).await?;
    tx.commit().await?;
    Ok(released)
}

/// One decision as it is written: the status move (only if the case is still as it was read:
/// same status, same `updated_at`, unclaimed or claimed by the decider), the timeline entry, the
/// 补正 notice's items, the applicant's notice and the audit row, in one transaction.
pub struct Decision<'a> {
    pub scope: &'a CaseScope,
    pub application_id: i64,
    pub citizen_id: i64,
    pub staff_id: i64,
    pub from: &'a str,
    pub read_at: i64,
    pub to: &'a str,
    /// The timeline's entry (the new status, or an event such as `prereview_passed`).
    pub event: &'a str,
    pub note: &'a str,
    pub now: i64,
    pub clock_stopped_at: Option<i64>,
    pub paused_secs: i64,
    pub closes: bool,
    pub prereviewed: bool,
    /// For 补正: the listed items as JSON.
    pub supplement_items: Option<&'a str>,
    pub notice: Notice<'a>,
    pub audit: AuditEntry,
    /// The document the decision issues (受理通知书 …), replacing the earlier one of its kind.
    pub document: Option<&'a crate::documents::server::db::NewDocument>,
}

/// False when the case moved on or someone else holds it; then nothing was written except the
/// audit row saying so.
pub async fn decide(db: &Db, d: &Decision<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE applications SET status = $1, updated_at = $2, clock_stopped_at = $3, paused_secs = $4, \
         closed_at = CASE WHEN $5 = 1 THEN $2 ELSE closed_at END, \
         prereviewed_at = CASE WHEN $6 = 1 THEN $2 ELSE prereviewed_at END, \
         claimed_by = COALESCE(claimed_by, $7), claimed_at = COALESCE(claimed_at, $2) \
         WHERE id = $8 AND status = $9 AND updated_at = $10 AND (claimed_by IS NULL OR claimed_by = $7){}",
        update_in_scope(d.scope, 11)
    );
    let mut query = sqlx::query(&sql)
        .bind(d.to)
        .bind(d.now)
        .bind(d.clock_stopped_at)
        .bind(d.paused_secs)
        .bind(i64::from(d.closes))
        .bind(i64::from(d.prereviewed))
        .bind(d.staff_id)
        .bind(d.application_id)
        .bind(d.from)
        .bind(d.read_at);
    if let Some(code) = scope_value(d.scope) {
        query = query.bind(code);
    }
    let moved = query.execute(&mut *tx).await?.rows_affected() == 1;
    if !moved {
        append_in(&mut tx, db.backend(), &AuditEntry { outcome: "conflict".to_owned(), ..d.audit.clone() }).await?;
        tx.commit().await?;
        return Ok(false);
    }
    insert_event(&mut tx, d.application_id, d.now, d.event, "staff", d.note).await?;
    if let Some(items) = d.supplement_items {
        sqlx::query(
            "INSERT INTO supplement_requests (application_id, requested_at, items, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(d.application_id)
        .bind(d.now)
        .bind(items)
        .bind(d.note)
        .execute(&mut *tx)
        .await?;
    }
    notify_in(&mut tx, d.citizen_id, d.application_id, &d.notice, d.now).await?;
    if let Some(document) = d.document {
        crate::documents::server::db::insert_in(&mut tx, document).await?;
    }
    append_in(&mut tx, db.backend(), &d.audit).await?;
    tx.commit().await?;
    Ok(true)
}

/// Submitted cases whose pre-review day has passed without a decision:
/// (id, citizen, number, reference, item code, item version).
pub async fn past_review(db: &Db, today: &str) -> Result<Vec<(i64, i64, String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, citizen_id, number, reference, item_code, item_version FROM applications \
         WHERE status = 'submitted' AND review_due < $1 ORDER BY id",
    )
    .bind(today)
    .fetch_all(db.pool())
    .await
}

/// 行政许可法 art. 32: no notice within the review period means accepted. Moves the case if it
/// is still waiting, with its timeline entry (by the system) and the applicant's notice.
pub async fn deem_accepted(
    db: &Db,
    application_id: i64,
    citizen_id: i64,
    today: &str,
    now: i64,
    notice: &Notice<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let moved = sqlx::query(
        "UPDATE applications SET status = 'accepted', updated_at = $1 \
         WHERE id = $2 AND status = 'submitted' AND review_due < $3",
    )
    .bind(now)
    .bind(application_id)
    .bind(today)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if moved {
        insert_event(&mut tx, application_id, now, "deemed_accepted", "system", "").await?;
        notify_in(&mut tx, citizen_id, application_id, notice, now).await?;
        tx.commit().await?;
    }
    Ok(moved)
}

/// An internal note on a case in scope.
pub async fn add_note(
    db: &Db,
    scope: &CaseScope,
    application_id: i64,
    staff_id: i64,
    body: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "INSERT INTO case_notes (application_id, staff_id, at, body) \
         SELECT a.id, $1, $2, $3 FROM applications a JOIN service_items i ON i.code = a.item_code \
         WHERE a.id = $4 AND a.number IS NOT NULL{}",
        in_scope(scope, 5)
    );
    let mut query = sqlx::query(&sql).bind(staff_id).bind(now).bind(body).bind(application_id);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    let added = query.execute(&mut *tx).await?.rows_affected() == 1;
    tx.commit().await?;
    Ok(added)
}

/// (when, who, text) of a case's internal notes, oldest first. The id comes from a scoped read.
pub async fn notes(db: &Db, application_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.at, s.display_name, n.body FROM case_notes n JOIN staff_accounts s ON s.id = n.staff_id \
         WHERE n.application_id = $1 ORDER BY n.at, n.id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// The clerks a case in scope may be assigned to: active window clerks of its department.
pub async fn assignees(db: &Db, scope: &CaseScope, application_id: i64) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT s.id, s.display_name FROM staff_accounts s WHERE s.role = 'window_clerk' AND s.status = 'active' \
         AND s.department_code = (SELECT i.department_code FROM applications a \
         JOIN service_items i ON i.code = a.item_code WHERE a.id = $1{}) ORDER BY s.display_name, s.id",
        in_scope(scope, 2)
    );
    let mut query = sqlx::query_as(&sql).bind(application_id);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// A supervisor gives a case to a clerk: applied only if the claim is still the one the
/// supervisor saw (`seen`: holder and claim time, 0 for none), the case is open and in scope, and
/// the clerk is an active window clerk of the case's department.
pub struct Assignment<'a> {
    pub scope: &'a CaseScope,
    pub application_id: i64,
    pub assignee: i64,
    pub supervisor: i64,
    pub seen: (i64, i64),
    pub now: i64,
    pub audit: AuditEntry,
}

/// False when the claim changed in between (or the clerk may not have the case); then only the
/// audit row saying so is written. Otherwise the new holder, the staff-only timeline entry and
/// the audit row commit together.
pub async fn assign(db: &Db, a: &Assignment<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE applications SET claimed_by = $1, claimed_at = $2, assigned_by = $3 \
         WHERE id = $4 AND number IS NOT NULL AND closed_at IS NULL \
         AND COALESCE(claimed_by, 0) = $5 AND COALESCE(claimed_at, 0) = $6 \
         AND $1 IN (SELECT s.id FROM staff_accounts s JOIN service_items si ON si.department_code = s.department_code \
         WHERE si.code = applications.item_code AND s.role = 'window_clerk' AND s.status = 'active'){}",
        update_in_scope(a.scope, 7)
    );
    let mut query = sqlx::query(&sql)
        .bind(a.assignee)
        .bind(a.now)
        .bind(a.supervisor)
        .bind(a.application_id)
        .bind(a.seen.0)
        .bind(a.seen.1);
    if let Some(code) = scope_value(a.scope) {
        query = query.bind(code);
    }
    let assigned = query.execute(&mut *tx).await?.rows_affected() == 1;
    if assigned {
        sqlx::query(
            "INSERT INTO case_events (application_id, at, staff_id, kind, subject_id) VALUES ($1, $2, $3, 'assigned', $4)",
        )
        .bind(a.application_id)
        .bind(a.now)
        .bind(a.supervisor)
        .bind(a.assignee)
        .execute(&mut *tx)
        .await?;
    }
    let outcome = if assigned { "ok" } else { "conflict" };
    append_in(&mut tx, db.backend(), &AuditEntry { outcome: outcome.to_owned(), ..a.audit.clone() }).await?;
    tx.commit().await?;
    Ok(assigned)
}

/// The staff-only timeline of a case, oldest first: (when, kind, by, about whom). The id comes
/// from a scoped read.
pub async fn case_events(db: &Db, application_id: i64) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.at, e.kind, s.display_name, COALESCE(t.display_name, '') FROM case_events e \
         JOIN staff_accounts s ON s.id = e.staff_id LEFT JOIN staff_accounts t ON t.id = e.subject_id \
         WHERE e.application_id = $1 ORDER BY e.at, e.id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// A recorded verdict of the review checklist.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CheckRow {
    pub material: String,
    pub verdict: String,
    pub note: String,
    /// The submission the verdict was made on.
    pub revision: i64,
    pub staff_name: String,
    pub at: i64,
}

/// The checklist of a case. The id comes from a scoped read.
pub async fn checks(db: &Db, application_id: i64) -> Result<Vec<CheckRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.material, m.verdict, m.note, m.revision, s.display_name AS staff_name, m.at \
         FROM case_material_checks m JOIN staff_accounts s ON s.id = m.staff_id \
         WHERE m.application_id = $1 ORDER BY m.material",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// One verdict to record (a new one, or a replacement) with its audit row.
#[derive(Debug, Clone)]
pub struct CheckChange {
    pub material: String,
    pub verdict: &'static str,
    pub note: String,
    pub audit: AuditEntry,
}

/// Records verdicts on submission `revision` of a case in scope, each with its audit row, all
/// or none: only while the case is open, still at that submission, and held by the recorder
/// (or recorded by a supervisor). False when it no longer is; nothing was written then.
pub async fn record_checks(
    db: &Db,
    scope: &CaseScope,
    application_id: i64,
    revision: i64,
    recorder: (i64, bool),
    changes: &[CheckChange],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let (staff_id, supervisor) = recorder;
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "INSERT INTO case_material_checks (application_id, material, verdict, note, revision, staff_id, at) \
         SELECT a.id, $2, $3, $4, a.revision, $5, $6 FROM applications a JOIN service_items i ON i.code = a.item_code \
         WHERE a.id = $1 AND a.number IS NOT NULL AND a.closed_at IS NULL AND a.revision = $7 \
         AND (a.claimed_by = $5 OR $8 = 1){} \
         ON CONFLICT (application_id, material) DO UPDATE SET verdict = excluded.verdict, note = excluded.note, \
         revision = excluded.revision, staff_id = excluded.staff_id, at = excluded.at",
        in_scope(scope, 9)
    );
    for change in changes {
        let mut query = sqlx::query(&sql)
            .bind(application_id)
            .bind(&change.material)
            .bind(change.verdict)
            .bind(&change.note)
            .bind(staff_id)
            .bind(now)
            .bind(revision)
            .bind(i64::from(supervisor));
        if let Some(code) = scope_value(scope) {
            query = query.bind(code);
        }
        if query.execute(&mut *tx).await?.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        append_in(&mut tx, db.backend(), &change.audit).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A file of a case in scope (for the clerk's download), with its stored object and type.
pub async fn case_file(
    db: &Db,
    scope: &CaseScope,
    number: &str,
    file_id: i64,
) -> Result<Option<crate::applications::server::db::FileRow>, sqlx::Error> {
    let sql = format!(
        "SELECT f.id, f.slot, f.sha256, f.size, f.media_type, f.original_name, f.thumbnail, f.pages, \
         f.added_revision FROM application_files f \
         JOIN applications a ON a.id = f.application_id JOIN service_items i ON i.code = a.item_code \
         WHERE f.id = $1 AND a.number = $2 AND f.removed_at IS NULL{}",
        in_scope(scope, 3)
    );
    let mut query = sqlx::query_as(&sql).bind(file_id).bind(number);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_optional(db.pool()).await
}

/// One row of the case audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub staff_id: i64,
    pub staff_role: String,
    pub department_code: String,
    pub application_id: i64,
    pub action: String,
    pub outcome: String,
    pub detail: String,
}

impl AuditEntry {
    fn content(&self) -> String {
        chain::content(&[
            &self.at.to_string(),
            &self.staff_id.to_string(),
            &self.staff_role,
            &self.department_code,
            &self.application_id.to_string(),
            &self.action,
            &self.outcome,
            &self.detail,
        ])
    }
}

/// Appends an audit row on its own (views, downloads).
pub async fn append(db: &Db, entry: &AuditEntry) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    append_in(&mut tx, db.backend(), entry).await?;
    tx.commit().await
}

/// Appends inside the caller's transaction, chained to the last row. PostgreSQL takes a table
/// lock so two appends cannot fork the chain (SQLite's write transaction is exclusive already).
pub(crate) async fn append_in(tx: &mut Tx, backend: Backend, entry: &AuditEntry) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("LOCK TABLE case_audit IN EXCLUSIVE MODE").execute(&mut **tx).await?;
    }
    let prev: Option<String> = sqlx::query_scalar("SELECT row_hash FROM case_audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    let prev = prev.unwrap_or_else(|| chain::GENESIS.to_owned());
    let row_hash = chain::link(&prev, &entry.content());
    sqlx::query(
        "INSERT INTO case_audit (at, staff_id, staff_role, department_code, application_id, action, outcome, detail, \
         prev_hash, row_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(entry.at)
    .bind(entry.staff_id)
    .bind(&entry.staff_role)
    .bind(&entry.department_code)
    .bind(entry.application_id)
    .bind(&entry.action)
    .bind(&entry.outcome)
    .bind(&entry.detail)
    .bind(&prev)
    .bind(&row_hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What an audit administrator searches the case audit for; every part optional but the period.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery<'a> {
    /// From this moment (Unix seconds, inclusive) to that one (exclusive).
    pub from: i64,
    pub until: i64,
    pub department_code: Option<&'a str>,
    pub action: Option<&'a str>,
    /// The application's number.
    pub number: Option<&'a str>,
    /// A staff member's username or display name, exactly.
    pub staff: Option<&'a str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub username: String,
    pub display_name: String,
    pub staff_role: String,
    pub department_code: String,
    pub action: String,
    pub outcome: String,
    pub detail: String,
    pub number: Option<String>,
}

/// Case audit rows matching `q`, newest first, `limit` from `offset`.
pub async fn search_audit(db: &Db, q: &AuditQuery<'_>, limit: i64, offset: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT ca.id, ca.at, COALESCE(s.username, '') AS username, COALESCE(s.display_name, '') AS display_name, \
         ca.staff_role, ca.department_code, ca.action, ca.outcome, ca.detail, a.number \
         FROM case_audit ca LEFT JOIN staff_accounts s ON s.id = ca.staff_id \
         LEFT JOIN applications a ON a.id = ca.application_id WHERE ca.at >= $1 AND ca.at < $2",
    );
    let mut n = 3;
    for (value, condition) in
        [(q.department_code, "ca.department_code = $"), (q.action, "ca.action = $"), (q.number, "a.number = $")]
    {
        if value.is_some() {
            sql.push_str(&format!(" AND {condition}{n}"));
            n += 1;
        }
    }
    if q.staff.is_some() {
        sql.push_str(&format!(" AND (s.username = ${n} OR s.display_name = ${n})"));
        n += 1;
    }
    sql.push_str(&format!(" ORDER BY ca.id DESC LIMIT ${n} OFFSET ${}", n + 1));
    let mut query = sqlx::query_as::<_, AuditRow>(&sql).bind(q.from).bind(q.until);
    for value in [q.department_code, q.action, q.number, q.staff].into_iter().flatten() {
        query = query.bind(value);
    }
    query.bind(limit).bind(offset).fetch_all(db.pool()).await
}

/// The case audit of one application, oldest first: (at, staff name, action, outcome, detail).
pub async fn audit_of(db: &Db, application_id: i64) -> Result<Vec<(i64, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.at, COALESCE(s.display_name, ''), a.action, a.outcome, a.detail FROM case_audit a \
         LEFT JOIN staff_accounts s ON s.id = a.staff_id WHERE a.application_id = $1 ORDER BY a.id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// Recomputes the case audit chain: (rows, id of the first broken row).
pub async fn verify_chain(db: &Db) -> Result<(u64, Option<i64>), sqlx::Error> {
    type Row = (i64, i64, i64, String, String, i64, String, String, String, String, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, at, staff_id, staff_role, department_code, application_id, action, outcome, detail, prev_hash, \
         row_hash FROM case_audit ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    let mut prev = chain::GENESIS.to_owned();
    for (id, at, staff_id, staff_role, department_code, application_id, action, outcome, detail, prev_hash, row_hash) in
        &rows
    {
        let entry = AuditEntry {
            at: *at,
            staff_id: *staff_id,
            staff_role: staff_role.clone(),
            department_code: department_code.clone(),
            application_id: *application_id,
            action: action.clone(),
            outcome: outcome.clone(),
            detail: detail.clone(),
        };
        if *prev_hash != prev || chain::link(prev_hash, &entry.content()) != *row_hash {
            return Ok((rows.len() as u64, Some(*id)));
        }
        prev = row_hash.clone();
    }
    Ok((rows.len() as u64, None))
}
