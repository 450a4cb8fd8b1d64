//! All SQL of supervision. Every query about cases carries the supervisor's `CaseScope` in its
//! WHERE clause (`in_scope`, the console's own condition), so nothing of another department is
//! counted, listed or exported.

use crate::accounts::server::staff::{insert_event, StaffEvent};
use crate::accounts::CaseScope;
use crate::cases::server::db::{in_scope, scope_value};
use crate::platform::Db;

const CASES: &str = "FROM applications a JOIN service_items i ON i.code = a.item_code";

/// Which cases' timelines to read.
#[derive(Debug, Clone, Copy)]
pub enum Timelines {
    /// The open cases.
    Open,
    /// The cases completed in `[from, to)`.
    CompletedBetween(i64, i64),
}

/// (application, at, entry) of the timelines of the cases in scope whose clock ever stopped,
/// from their latest submission on, oldest first.
pub async fn paused_timelines(
    db: &Db,
    scope: &CaseScope,
    which: Timelines,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    let (condition, next) = match which {
        Timelines::Open => ("a.closed_at IS NULL", 1),
        Timelines::CompletedBetween(..) => ("a.status = 'completed' AND a.closed_at >= $1 AND a.closed_at < $2", 3),
    };
    let sql = format!(
        "SELECT e.application_id, e.at, e.status FROM application_events e JOIN applications a ON a.id = e.application_id \
         JOIN service_items i ON i.code = a.item_code WHERE a.number IS NOT NULL AND {condition} \
         AND (a.paused_secs > 0 OR a.clock_stopped_at IS NOT NULL) AND e.at >= a.submitted_at{} \
         ORDER BY e.application_id, e.at, e.id",
        in_scope(scope, next)
    );
    let mut query = sqlx::query_as(&sql);
    if let Timelines::CompletedBetween(from, to) = which {
        query = query.bind(from).bind(to);
    }
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// Runs `sql` (its period bound as `$1`, `$2` and the scope condition as `$3`) over `[from, to)`.
async fn in_period<T>(db: &Db, scope: &CaseScope, sql: &str, from: i64, to: i64) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut query = sqlx::query_as(sql).bind(from).bind(to);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// A case as the dashboard and the digest weigh it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub number: String,
    pub item_code: String,
    pub department_code: String,
    pub submitted_at: i64,
    pub closed_at: Option<i64>,
    pub promised_due: Option<String>,
    pub holder: Option<String>,
}

const CASE_COLUMNS: &str = "a.id, a.number, a.item_code, i.department_code, a.submitted_at, a.closed_at, \
     a.promised_due, s.display_name AS holder";
const CASES_WITH_HOLDER: &str = "FROM applications a JOIN service_items i ON i.code = a.item_code \
     LEFT JOIN staff_accounts s ON s.id = a.claimed_by";

/// The open cases in scope.
pub async fn open_cases(db: &Db, scope: &CaseScope) -> Result<Vec<CaseRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} {CASES_WITH_HOLDER} WHERE a.number IS NOT NULL AND a.closed_at IS NULL{} \
         ORDER BY a.promised_due, a.id",
        in_scope(scope, 1)
    );
    let mut query = sqlx::query_as(&sql);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// The cases in scope completed (办结) in `[from, to)`.
pub async fn completed(db: &Db, scope: &CaseScope, from: i64, to: i64) -> Result<Vec<CaseRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} {CASES_WITH_HOLDER} WHERE a.status = 'completed' AND a.closed_at >= $1 \
         AND a.closed_at < $2{} ORDER BY a.closed_at, a.id",
        in_scope(scope, 3)
    );
    in_period(db, scope, &sql, from, to).await
}

/// (department, service, how many) of the cases in scope submitted in `[from, to)`.
pub async fn received(
    db: &Db,
    scope: &CaseScope,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT i.department_code, a.item_code, COUNT(*) {CASES} WHERE a.number IS NOT NULL \
         AND a.submitted_at >= $1 AND a.submitted_at < $2{} GROUP BY i.department_code, a.item_code",
        in_scope(scope, 3)
    );
    in_period(db, scope, &sql, from, to).await
}

/// (department, service, how many) of the cases in scope first accepted (受理, or accepted by
/// law) in `[from, to)`; a resumption after 挂起 is not a second acceptance.
pub async fn accepted(
    db: &Db,
    scope: &CaseScope,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT department_code, item_code, COUNT(*) FROM (SELECT i.department_code, a.item_code, MIN(e.at) AS first_at \
         FROM application_events e JOIN applications a ON a.id = e.application_id JOIN service_items i ON i.code = a.item_code \
         WHERE e.status IN ('accepted', 'deemed_accepted'){} GROUP BY a.id, i.department_code, a.item_code) firsts \
         WHERE first_at >= $1 AND first_at < $2 GROUP BY department_code, item_code",
        in_scope(scope, 3)
    );
    in_period(db, scope, &sql, from, to).await
}

/// (department, service, level, how many) of the ratings given in `[from, to)` on cases in scope.
pub async fn ratings(
    db: &Db,
    scope: &CaseScope,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64, i64)>, sqlx::Error> {
    let sql = format!(
        "SELECT i.department_code, a.item_code, r.level, COUNT(*) FROM application_ratings r \
         JOIN applications a ON a.id = r.application_id JOIN service_items i ON i.code = a.item_code \
         WHERE r.rated_at >= $1 AND r.rated_at < $2{} GROUP BY i.department_code, a.item_code, r.level",
        in_scope(scope, 3)
    );
    in_period(db, scope, &sql, from, to).await
}

/// One line of the case list export (personal data: the applicant's name and masked ID).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRow {
    pub number: String,
    pub item_code: String,
    pub department_code: String,
    pub status: String,
    pub submitted_at: i64,
    pub closed_at: Option<i64>,
    pub promised_due: Option<String>,
    pub applicant: String,
    pub applicant_id_masked: String,
}

/// The cases in scope submitted in `[from, to)`, with their applicants.
pub async fn case_list(db: &Db, scope: &CaseScope, from: i64, to: i64) -> Result<Vec<ExportRow>, sqlx::Error> {
    let sql = format!(
        "SELECT a.number, a.item_code, i.department_code, a.status, a.submitted_at, a.closed_at, a.promised_due, \
         c.name AS applicant, c.id_number_masked AS applicant_id_masked {CASES} JOIN citizens c ON c.id = a.citizen_id \
         WHERE a.number IS NOT NULL AND a.submitted_at >= $1 AND a.submitted_at < $2{} ORDER BY a.submitted_at, a.id",
        in_scope(scope, 3)
    );
    in_period(db, scope, &sql, from, to).await
}

/// The scope condition on `supervision_exports x`: the same department, or city-wide requests.
fn export_in_scope(scope: &CaseScope, next: usize) -> String {
    match scope {
        CaseScope::Department(_) => format!(" AND x.department_code = ${next}"),
        CaseScope::City => " AND x.department_code IS NULL".to_owned(),
    }
}

/// One export request as the dashboard lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportRequest {
    pub id: i64,
    pub period: String,
    pub requested_by: i64,
    pub requester: String,
    pub requested_at: i64,
    pub approver: Option<String>,
    pub approved_at: Option<i64>,
    pub downloaded_at: Option<i64>,
    pub row_count: Option<i64>,
}

/// The export requests of the scope made since `since`, newest first.
pub async fn export_requests(db: &Db, scope: &CaseScope, since: i64) -> Result<Vec<ExportRequest>, sqlx::Error> {
    let sql = format!(
        "SELECT x.id, x.period, x.requested_by, r.display_name AS requester, x.requested_at, \
         p.display_name AS approver, x.approved_at, x.downloaded_at, x.row_count FROM supervision_exports x \
         JOIN staff_accounts r ON r.id = x.requested_by LEFT JOIN staff_accounts p ON p.id = x.approved_by \
         WHERE x.requested_at >= $1{} ORDER BY x.requested_at DESC, x.id DESC",
        export_in_scope(scope, 2)
    );
    let mut query = sqlx::query_as(&sql).bind(since);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// Records a request with its security-log row; returns its id.
pub async fn request_export(
    db: &Db,
    scope: &CaseScope,
    period: &str,
    staff_id: i64,
    log: &StaffEvent<'_>,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO supervision_exports (department_code, period, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(scope_value(scope))
    .bind(period)
    .bind(staff_id)
    .bind(log.at)
    .fetch_one(&mut *tx)
    .await?;
    insert_event(&mut tx, &StaffEvent { detail: &format!("export {id} period {period}"), ..*log }).await?;
    tx.commit().await?;
    Ok(id)
}

/// Approves a request of the scope made by someone else, not yet approved; the security-log row
/// (success or refusal) commits with it. False when nothing was approved.
pub async fn approve_export(
    db: &Db,
    scope: &CaseScope,
    id: i64,
    staff_id: i64,
    log: &StaffEvent<'_>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE supervision_exports SET approved_by = $1, approved_at = $2 WHERE id = $3 AND requested_by <> $1 \
         AND approved_by IS NULL AND id IN (SELECT x.id FROM supervision_exports x WHERE x.id = $3{})",
        export_in_scope(scope, 4)
    );
    let mut query = sqlx::query(&sql).bind(staff_id).bind(log.at).bind(id);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    let approved = query.execute(&mut *tx).await?.rows_affected() == 1;
    insert_event(&mut tx, &StaffEvent { success: approved, detail: &format!("export {id}"), ..*log }).await?;
    tx.commit().await?;
    Ok(approved)
}

/// The period of an approved request of `staff_id` in scope, approved after `approved_after`
/// and not downloaded yet.
pub async fn downloadable_export(
    db: &Db,
    scope: &CaseScope,
    id: i64,
    staff_id: i64,
    approved_after: i64,
) -> Result<Option<String>, sqlx::Error> {
    let sql = format!(
        "SELECT x.period FROM supervision_exports x WHERE x.id = $1 AND x.requested_by = $2 \
         AND x.approved_by IS NOT NULL AND x.approved_at > $3 AND x.downloaded_at IS NULL{}",
        export_in_scope(scope, 4)
    );
    let mut query = sqlx::query_scalar(&sql).bind(id).bind(staff_id).bind(approved_after);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_optional(db.pool()).await
}

/// Marks the one download of a request with its row count and writes the security-log row
/// (success, or a refusal when someone downloaded it meanwhile) in one transaction.
pub async fn mark_downloaded(db: &Db, id: i64, rows: i64, log: &StaffEvent<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE supervision_exports SET downloaded_at = $1, row_count = $2 WHERE id = $3 AND downloaded_at IS NULL",
    )
    .bind(log.at)
    .bind(rows)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    let detail = format!("export {id} rows {rows}");
    insert_event(&mut tx, &StaffEvent { success: marked, detail: &detail, ..*log }).await?;
    tx.commit().await?;
    Ok(marked)
}

/// Writes a refused download to the security log.
pub async fn refuse_download(db: &Db, id: i64, log: &StaffEvent<'_>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    insert_event(&mut tx, &StaffEvent { success: false, detail: &format!("export {id}"), ..*log }).await?;
    tx.commit().await
}

/// Opens the 差评 ledger entry of a rating inside the transaction storing the rating.
pub async fn open_ledger_entry(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    application_id: i64,
    due: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rating_ledger (application_id, opened_at, due, state, updated_at) \
         VALUES ($1, $2, $3, 'to_verify', $2) ON CONFLICT (application_id) DO NOTHING",
    )
    .bind(application_id)
    .bind(now)
    .bind(due)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A ledger entry with its rating and case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LedgerRow {
    pub id: i64,
    pub number: String,
    pub item_code: String,
    pub department_code: String,
    pub level: i64,
    pub indicators: String,
    pub comment: String,
    pub rated_at: i64,
    pub due: String,
    pub state: String,
    pub responsible: String,
}

const LEDGER: &str = "SELECT l.id, a.number, a.item_code, i.department_code, r.level, r.indicators, r.comment, \
     r.rated_at, l.due, l.state, l.responsible FROM rating_ledger l JOIN applications a ON a.id = l.application_id \
     JOIN application_ratings r ON r.application_id = a.id JOIN service_items i ON i.code = a.item_code";

/// The open entries of the scope, the earliest due first.
pub async fn open_ledger(db: &Db, scope: &CaseScope) -> Result<Vec<LedgerRow>, sqlx::Error> {
    let sql = format!("{LEDGER} WHERE l.state <> 'reviewed'{} ORDER BY l.due, l.id", in_scope(scope, 1));
    let mut query = sqlx::query_as(&sql);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// One entry, if it is in the scope.
pub async fn ledger_entry(db: &Db, scope: &CaseScope, id: i64) -> Result<Option<LedgerRow>, sqlx::Error> {
    let sql = format!("{LEDGER} WHERE l.id = $1{}", in_scope(scope, 2));
    let mut query = sqlx::query_as(&sql).bind(id);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    query.fetch_optional(db.pool()).await
}

/// (when, who, from, to, responsible, note) of an entry's changes, oldest first. The id comes
/// from a scoped read.
pub async fn ledger_events(
    db: &Db,
    entry_id: i64,
) -> Result<Vec<(i64, String, String, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.at, s.display_name, e.from_state, e.to_state, e.responsible, e.note FROM rating_ledger_events e \
         JOIN staff_accounts s ON s.id = e.staff_id WHERE e.entry_id = $1 ORDER BY e.at, e.id",
    )
    .bind(entry_id)
    .fetch_all(db.pool())
    .await
}

/// One change of an entry as it is written.
pub struct LedgerMove<'a> {
    pub id: i64,
    pub from: &'a str,
    pub to: &'a str,
    pub responsible: &'a str,
    pub note: &'a str,
    pub staff_id: i64,
    pub now: i64,
}

/// Moves an entry of the scope still in `from` and records the change, together. False when it
/// is not in the scope or has moved on.
pub async fn move_ledger(db: &Db, scope: &CaseScope, m: &LedgerMove<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE rating_ledger SET state = $1, responsible = $2, updated_at = $3 WHERE id = $4 AND state = $5 \
         AND application_id IN (SELECT a.id {CASES} WHERE a.id = rating_ledger.application_id{})",
        in_scope(scope, 6)
    );
    let mut query = sqlx::query(&sql).bind(m.to).bind(m.responsible).bind(m.now).bind(m.id).bind(m.from);
    if let Some(code) = scope_value(scope) {
        query = query.bind(code);
    }
    let moved = query.execute(&mut *tx).await?.rows_affected() == 1;
    if moved {
        sqlx::query(
            "INSERT INTO rating_ledger_events (entry_id, at, staff_id, from_state, to_state, responsible, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(m.id)
        .bind(m.now)
        .bind(m.staff_id)
        .bind(m.from)
        .bind(m.to)
        .bind(m.responsible)
        .bind(m.note)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(moved)
}

/// A supervisor the daily digest goes to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestRecipient {
    pub id: i64,
    pub department_code: Option<String>,
    pub email: String,
}

/// The active supervisors with an email address who have had no digest on `day` yet.
pub async fn digest_recipients(db: &Db, day: &str) -> Result<Vec<DigestRecipient>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.department_code, s.email FROM staff_accounts s WHERE s.role = 'supervisor' \
         AND s.status = 'active' AND s.email IS NOT NULL AND s.email <> '' \
         AND NOT EXISTS (SELECT 1 FROM supervision_digests d WHERE d.staff_id = s.id AND d.day = $1) ORDER BY s.id",
    )
    .bind(day)
    .fetch_all(db.pool())
    .await
}

/// One digest as it is queued.
pub struct Digest<'a> {
    pub staff_id: i64,
    pub day: &'a str,
    pub now: i64,
    pub cases: i64,
    pub entries: i64,
    pub email: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Records the day's digest of a supervisor and queues its mail, together; false when one was
/// already recorded for that day.
pub async fn queue_digest(db: &Db, d: &Digest<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let recorded = sqlx::query(
        "INSERT INTO supervision_digests (staff_id, day, sent_at, cases, entries) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (staff_id, day) DO NOTHING",
    )
    .bind(d.staff_id)
    .bind(d.day)
    .bind(d.now)
    .bind(d.cases)
    .bind(d.entries)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if recorded {
        crate::platform::mail::enqueue_in(&mut tx, d.email, d.subject, d.body, d.now).await?;
    }
    tx.commit().await?;
    Ok(recorded)
}
