//! Window intake (一窗受理): a window clerk registers an application for someone at the hall.
//! The applicant is identified against the population register (through `SharedData`, audited);
//! the application is an ordinary one of their account — made at the hall when they had none —
//! filled in on one page, with scanned materials through the same upload path, and once
//! submitted it follows the same workflow and shows in the applicant's 我的办件.

#[cfg(feature = "ssr")]
pub mod forms;
mod pages;

pub use pages::{IntakeDraftPage, IntakePage};

use crate::applications::ApplicationView;
use crate::error::AppError;
use crate::site::Bilingual;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenIntakeView {
    pub reference: String,
    pub item_name: Bilingual,
    pub applicant: String,
    pub registered_at: i64,
}

/// What the intake page offers: the department's services taken at the window, and the
/// registrations not yet submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeStart {
    pub services: Vec<(String, Bilingual)>,
    pub open: Vec<OpenIntakeView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntakeDraft {
    pub application: ApplicationView,
    /// The applicant's name (the clerk typed it) and ID number, masked.
    pub applicant: String,
    pub id_masked: String,
}

/// The clerk at the window and their department: only window clerks register walk-in
/// applications, and only for their own department's services.
#[cfg(feature = "ssr")]
pub(crate) fn intake_department(staff: &crate::accounts::server::auth::StaffPrincipal) -> Option<String> {
    (staff.role == crate::accounts::StaffRole::WindowClerk).then(|| staff.department_code.clone()).flatten()
}

/// The published services of `department` that are taken at the window.
#[cfg(feature = "ssr")]
pub(crate) fn window_services(
    snapshot: &crate::catalogue::server::Snapshot,
    department: &str,
) -> Vec<(String, Bilingual)> {
    snapshot
        .items
        .iter()
        .filter(|i| {
            i.content.department == department && i.content.channels.contains(&crate::catalogue::model::Channel::Window)
        })
        .map(|i| (i.content.code.clone(), i.content.name.clone()))
        .collect()
}

#[server(name = IntakeStartData, prefix = "/api", endpoint = "staff/intake", input = GetUrl)]
pub async fn intake_start() -> Result<IntakeStart, AppError> {
    use crate::accounts::StaffRole;
    let ctx = crate::platform::AppContext::current()?;
    let staff = crate::accounts::server::auth::staff_with_role(&[StaffRole::WindowClerk])
        .await
        .map_err(crate::platform::fail)?;
    let department = intake_department(&staff).ok_or_else(|| crate::platform::fail(AppError::Forbidden))?;
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let services = window_services(&snapshot, &department);
    let open = super::server::intake::open_intakes(&ctx.db, &department)
        .await?
        .into_iter()
        .map(|o| OpenIntakeView {
            item_name: snapshot
                .item(&o.item_code)
                .map(|i| i.content.name.clone())
                .unwrap_or_else(|| Bilingual { zh: o.item_code.clone(), en: o.item_code.clone() }),
            reference: o.reference,
            applicant: o.applicant,
            registered_at: o.registered_at,
        })
        .collect();
    Ok(IntakeStart { services, open })
}

#[server(name = IntakeDraftData, prefix = "/api", endpoint = "staff/intake/draft", input = GetUrl)]
pub async fn intake_draft(reference: Option<String>) -> Result<IntakeDraft, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let staff = crate::accounts::server::auth::staff_with_role(&[crate::accounts::StaffRole::WindowClerk])
        .await
        .map_err(crate::platform::fail)?;
    let reference = reference.unwrap_or_default();
    let (loaded, citizen) =
        forms::load(&ctx, &staff, &reference).await?.ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let home = format!("/staff/intake/{reference}");
    let application = crate::applications::window_draft_view(&ctx, loaded, home).await?;
    Ok(IntakeDraft { application, applicant: citizen.name, id_masked: citizen.id_number_masked })
}
