//! All SQL of issued documents. A document is written inside the decision's transaction
//! (`insert_in`), replacing the current one of its kind; reads are keyed by the citizen, by the
//! clerk's scope, or by the signed reference.

use crate::accounts::CaseScope;
use crate::platform::Db;
use sqlx::{Any, Transaction};

/// A document as it is stored at issue.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub application_id: i64,
    pub kind: &'static str,
    pub reference: String,
    pub issued_at: i64,
    pub number: String,
    pub item_name: String,
    pub department_name: String,
    pub applicant_masked: String,
    pub sha256: String,
    pub pdf: Vec<u8>,
}

/// Stores `doc` and marks the current document of the same kind for the same application as
/// replaced, in the caller's transaction (the decision's).
pub async fn insert_in(tx: &mut Transaction<'static, Any>, doc: &NewDocument) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE case_documents SET superseded_at = $1 \
         WHERE application_id = $2 AND kind = $3 AND superseded_at IS NULL",
    )
    .bind(doc.issued_at)
    .bind(doc.application_id)
    .bind(doc.kind)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_documents (application_id, kind, reference, issued_at, number, item_name, department_name, \
         applicant_masked, sha256, pdf) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(doc.application_id)
    .bind(doc.kind)
    .bind(&doc.reference)
    .bind(doc.issued_at)
    .bind(&doc.number)
    .bind(&doc.item_name)
    .bind(&doc.department_name)
    .bind(&doc.applicant_masked)
    .bind(&doc.sha256)
    .bind(&doc.pdf)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One document in a list (no bytes).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub kind: String,
    pub issued_at: i64,
    pub superseded_at: Option<i64>,
    pub number: String,
}

const LIST_COLUMNS: &str = "d.id, d.kind, d.issued_at, d.superseded_at, d.number";

/// The documents of the citizen's application `reference`, newest first; none for anyone else's.
pub async fn mine(db: &Db, citizen_id: i64, reference: &str) -> Result<Vec<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {LIST_COLUMNS} FROM case_documents d JOIN applications a ON a.id = d.application_id \
         WHERE a.citizen_id = $1 AND a.reference = $2 ORDER BY d.issued_at DESC, d.id DESC"
    ))
    .bind(citizen_id)
    .bind(reference)
    .fetch_all(db.pool())
    .await
}

/// The documents of the case numbered `number` if it is in `scope`, newest first.
pub async fn of_case(db: &Db, scope: &CaseScope, number: &str) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let mut sql = format!(
        "SELECT {LIST_COLUMNS} FROM case_documents d JOIN applications a ON a.id = d.application_id \
         JOIN service_items i ON i.code = a.item_code WHERE a.number = $1"
    );
    if let CaseScope::Department(_) = scope {
        sql.push_str(" AND i.department_code = $2");
    }
    sql.push_str(" ORDER BY d.issued_at DESC, d.id DESC");
    let mut query = sqlx::query_as(&sql).bind(number);
    if let CaseScope::Department(code) = scope {
        query = query.bind(code);
    }
    query.fetch_all(db.pool()).await
}

/// A document's file: (kind, number, pdf).
pub type DocumentFile = (String, String, Vec<u8>);

/// Document `id` of the citizen's application `reference`; `None` for anyone else's.
pub async fn my_file(db: &Db, citizen_id: i64, reference: &str, id: i64) -> Result<Option<DocumentFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.kind, d.number, d.pdf FROM case_documents d JOIN applications a ON a.id = d.application_id \
         WHERE d.id = $1 AND a.citizen_id = $2 AND a.reference = $3",
    )
    .bind(id)
    .bind(citizen_id)
    .bind(reference)
    .fetch_optional(db.pool())
    .await
}

/// Document `id` of the case numbered `number`, if that case is in `scope`.
pub async fn case_file(db: &Db, scope: &CaseScope, number: &str, id: i64) -> Result<Option<DocumentFile>, sqlx::Error> {
    let mut sql =
        "SELECT d.kind, d.number, d.pdf FROM case_documents d JOIN applications a ON a.id = d.application_id \
         JOIN service_items i ON i.code = a.item_code WHERE d.id = $1 AND a.number = $2"
            .to_owned();
    if let CaseScope::Department(_) = scope {
        sql.push_str(" AND i.department_code = $3");
    }
    let mut query = sqlx::query_as(&sql).bind(id).bind(number);
    if let CaseScope::Department(code) = scope {
        query = query.bind(code);
    }
    query.fetch_optional(db.pool()).await
}

/// What the public verification page shows of a document.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IssuedRow {
    pub kind: String,
    pub issued_at: i64,
    pub superseded_at: Option<i64>,
    pub number: String,
    pub item_name: String,
    pub department_name: String,
    pub applicant_masked: String,
    pub sha256: String,
}

/// The document with this (already signature-checked) reference.
pub async fn by_reference(db: &Db, reference: &str) -> Result<Option<IssuedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, issued_at, superseded_at, number, item_name, department_name, applicant_masked, sha256 \
         FROM case_documents WHERE reference = $1",
    )
    .bind(reference)
    .fetch_optional(db.pool())
    .await
}

/// The department's Chinese name (documents are issued in Chinese).
pub async fn department_name(db: &Db, code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name_zh FROM departments WHERE code = $1").bind(code).fetch_optional(db.pool()).await
}
