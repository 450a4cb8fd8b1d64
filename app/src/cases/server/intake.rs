//! SQL of window intake (一窗受理): the draft a clerk registers for a walk-in applicant, found
//! again only by a clerk of the department that registered it, while it is still a draft.

use super::db::{append_in, AuditEntry};
use crate::applications::server::db::{insert_draft_in, NewDraft};
use crate::platform::Db;

/// Creates the applicant's draft, records which clerk of which department registered it, and
/// audits the registration (`application_id` in `audit` is filled in here), all in one commit.
pub async fn register(db: &Db, draft: &NewDraft<'_>, staff_id: i64, audit: &AuditEntry) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = insert_draft_in(&mut tx, draft).await?;
    sqlx::query(
        "INSERT INTO window_intakes (application_id, department_code, staff_id, registered_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(&audit.department_code)
    .bind(staff_id)
    .bind(draft.now)
    .execute(&mut *tx)
    .await?;
    append_in(&mut tx, db.backend(), &AuditEntry { application_id: id, ..audit.clone() }).await?;
    tx.commit().await?;
    Ok(id)
}

/// A window draft of `department_code` by its reference: (application id, applicant's account).
/// Anything else — another department's, submitted already, not made at the window — is none.
pub async fn draft_of_department(
    db: &Db,
    department_code: &str,
    reference: &str,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.citizen_id FROM window_intakes w JOIN applications a ON a.id = w.application_id \
         JOIN service_items i ON i.code = a.item_code \
         WHERE a.reference = $1 AND a.status = 'draft' AND w.department_code = $2 AND i.department_code = $2",
    )
    .bind(reference)
    .bind(department_code)
    .fetch_optional(db.pool())
    .await
}

/// One unfinished intake on the clerk's list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenIntake {
    pub reference: String,
    pub item_code: String,
    pub applicant: String,
    pub registered_at: i64,
}

/// The department's window drafts not yet submitted, newest first.
pub async fn open_intakes(db: &Db, department_code: &str) -> Result<Vec<OpenIntake>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.reference, a.item_code, c.name AS applicant, w.registered_at FROM window_intakes w \
         JOIN applications a ON a.id = w.application_id JOIN citizens c ON c.id = a.citizen_id \
         WHERE w.department_code = $1 AND a.status = 'draft' ORDER BY w.registered_at DESC, a.id DESC LIMIT 50",
    )
    .bind(department_code)
    .fetch_all(db.pool())
    .await
}
