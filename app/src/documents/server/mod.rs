//! Issued documents on the server: what a decision issues (`for_decision`, drawn before the
//! decision's transaction and written inside it), the applicant's and the clerk's copies, and
//! the public verification by signed reference.

pub mod db;
pub mod pdf;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use pdf::{DocumentFont, Facts, DEFAULT_FONT_PATH};

use super::DocumentKind;
use crate::applications::lifecycle::Action;
use crate::cases::server::{Case, DecisionInput};
use crate::error::AppError;
use crate::platform::AppContext;
use sha2::{Digest, Sha256};

/// The verification address printed (and encoded in the QR code) on a document.
pub fn verify_url(ctx: &AppContext, reference: &str) -> String {
    format!("{}/verify/{reference}", ctx.public_origin)
}

/// The document a staff decision on `case` issues, ready to be stored with the decision;
/// `None` for decisions that issue none (预审, 挂起, 办结 …).
pub async fn for_decision(
    ctx: &AppContext,
    case: &Case,
    action: Action,
    input: &DecisionInput,
    now: i64,
) -> Result<Option<db::NewDocument>, AppError> {
    let Some(kind) = DocumentKind::issued_by(action) else { return Ok(None) };
    let department = db::department_name(&ctx.db, &case.row.department_code)
        .await?
        .ok_or_else(|| AppError::internal(&"the case's department is not in the departments table"))?;
    let reference = ctx.secrets.documents().new_reference();
    let materials = input
        .items
        .iter()
        .map(|i| {
            let name = case.item.materials.iter().find(|m| m.id == i.material).map_or(&i.material, |m| &m.name);
            (name.clone(), i.reason.clone())
        })
        .collect();
    let facts = Facts {
        kind,
        portal: ctx.site.portal_name.zh.clone(),
        department: department.clone(),
        applicant: case.row.applicant.clone(),
        item: case.item.name.zh.clone(),
        number: case.row.number.clone(),
        submitted_at: case.row.submitted_at,
        issued_at: now,
        promised_due: case.row.promised_due.clone(),
        supplement_due: None,
        reason: input.reason.clone(),
        appeal: input.appeal.clone(),
        materials,
        verify_url: verify_url(ctx, &reference),
        reference: reference.clone(),
    };
    let font = ctx.document_font.clone();
    // Setting text and subsetting the font takes a few milliseconds of CPU: off the runtime.
    let pdf = tokio::task::spawn_blocking(move || pdf::render(&font, &facts))
        .await
        .map_err(|e| AppError::internal(&e))?
        .map_err(|e| AppError::internal(&e))?;
    Ok(Some(db::NewDocument {
        application_id: case.row.id,
        kind: kind.code(),
        reference,
        issued_at: now,
        number: case.row.number.clone(),
        item_name: case.item.name.zh.clone(),
        department_name: department,
        applicant_masked: crate::identifiers::mask_name(&case.row.applicant),
        sha256: hex::encode(Sha256::digest(&pdf)),
        pdf,
    }))
}

/// A download's file name: the kind and the application number (ASCII, so no header can break).
pub fn file_name(kind: &str, number: &str) -> String {
    let number: String = number.chars().filter(char::is_ascii_alphanumeric).collect();
    let kind: String = kind.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    format!("{kind}-{number}.pdf")
}

#[cfg(test)]
mod tests;
