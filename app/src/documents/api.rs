//! Server functions the document lists and the verification page read through: the citizen's
//! own application's documents, a case's documents for staff of its scope, and the public
//! verification of a signed reference.

use super::DocumentKind;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One issued document in a list, with where to download it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEntry {
    pub kind: DocumentKind,
    pub issued_at: i64,
    /// A later document of the same kind replaced it.
    pub superseded: bool,
    pub href: String,
}

/// What the public verification page may say about a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub kind: DocumentKind,
    pub current: bool,
    pub number: String,
    pub item_name: String,
    pub department_name: String,
    pub applicant_masked: String,
    pub issued_at: i64,
    pub sha256: String,
}

#[cfg(feature = "ssr")]
fn entries(rows: Vec<super::server::db::DocumentRow>, href: impl Fn(i64) -> String) -> Vec<DocumentEntry> {
    rows.into_iter()
        .filter_map(|r| {
            Some(DocumentEntry {
                kind: DocumentKind::from_code(&r.kind)?,
                issued_at: r.issued_at,
                superseded: r.superseded_at.is_some(),
                href: href(r.id),
            })
        })
        .collect()
}

/// The documents of the signed-in citizen's application `reference` (another citizen's: none).
#[server(name = MyDocuments, prefix = "/api", endpoint = "documents/mine", input = GetUrl)]
pub async fn my_documents(reference: Option<String>) -> Result<Vec<DocumentEntry>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let reference = reference.unwrap_or_default();
    if !crate::applications::server::is_reference(&reference) {
        return Ok(Vec::new());
    }
    let rows = super::server::db::mine(&ctx.db, citizen.id(), &reference).await?;
    Ok(entries(rows, |id| format!("/applications/{reference}/documents/{id}")))
}

/// The documents of the case numbered `number`, for a clerk or supervisor of its scope.
#[server(name = CaseDocumentList, prefix = "/api", endpoint = "staff/cases/documents", input = GetUrl)]
pub async fn case_documents(number: Option<String>) -> Result<Vec<DocumentEntry>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let (_, scope) = crate::cases::server::case_staff().await.map_err(crate::platform::fail)?;
    let number = number.unwrap_or_default();
    let rows = super::server::db::of_case(&ctx.db, &scope, &number).await?;
    Ok(entries(rows, |id| format!("/staff/cases/{number}/documents/{id}")))
}

/// Public: what a document's verification address says. A reference this portal did not sign
/// is refused before the database is asked; an unknown or forged one is `NotFound` alike.
#[server(name = VerifyDocument, prefix = "/api", endpoint = "documents/verify", input = GetUrl)]
pub async fn verify_document(reference: Option<String>) -> Result<Verification, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let reference = reference.unwrap_or_default();
    if !ctx.secrets.documents().is_signed(&reference) {
        return Err(crate::platform::fail(AppError::NotFound));
    }
    let row = super::server::db::by_reference(&ctx.db, &reference)
        .await?
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let kind = DocumentKind::from_code(&row.kind).ok_or_else(|| AppError::internal(&"unknown document kind"))?;
    Ok(Verification {
        kind,
        current: row.superseded_at.is_none(),
        number: row.number,
        item_name: row.item_name,
        department_name: row.department_name,
        applicant_masked: row.applicant_masked,
        issued_at: row.issued_at,
        sha256: row.sha256,
    })
}
