//! The dashboard's server function: supervisors only, the scope from their account, the SQL
//! applying it.

use super::{Dashboard, LedgerView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// How long an approved case-list export may be downloaded (once).
#[cfg(feature = "ssr")]
pub const APPROVAL_VALID_SECS: i64 = 86_400;

/// How far back the dashboard lists export requests.
#[cfg(feature = "ssr")]
const REQUESTS_SHOWN_SECS: i64 = 7 * 86_400;

/// A supervisor and their scope; anyone else is refused (403).
#[cfg(feature = "ssr")]
pub async fn supervisor(
) -> Result<(crate::accounts::server::auth::StaffPrincipal, crate::accounts::CaseScope), AppError> {
    let staff = crate::accounts::server::auth::staff_with_role(&[crate::accounts::StaffRole::Supervisor]).await?;
    let scope = staff.case_scope().ok_or(AppError::Forbidden)?;
    Ok((staff, scope))
}

#[server(name = SupervisionDashboard, prefix = "/api", endpoint = "staff/supervision", input = GetUrl)]
pub async fn supervision_dashboard(period: Option<String>) -> Result<Dashboard, AppError> {
    use super::{ExportState, ExportView, Period};
    let ctx = crate::platform::AppContext::current()?;
    let (staff, scope) = supervisor().await.map_err(crate::platform::fail)?;
    let period = period.as_deref().and_then(Period::from_code).unwrap_or_default();
    let mut dashboard = super::server::dashboard(&ctx, &scope, period, crate::i18n::use_locale()).await?;
    let now = ctx.clock.now();
    dashboard.exports = super::server::db::export_requests(&ctx.db, &scope, now - REQUESTS_SHOWN_SECS)
        .await?
        .into_iter()
        .map(|r| ExportView {
            id: r.id,
            period: Period::from_code(&r.period).unwrap_or_default(),
            mine: r.requested_by == staff.id(),
            requester: r.requester,
            requested_at: r.requested_at,
            approver: r.approver,
            state: match (r.approved_at, r.downloaded_at) {
                (_, Some(_)) => ExportState::Downloaded,
                (None, None) => ExportState::Pending,
                (Some(at), None) if at > now - APPROVAL_VALID_SECS => ExportState::Approved,
                (Some(_), None) => ExportState::Expired,
            },
            rows: r.row_count,
        })
        .collect();
    Ok(dashboard)
}

/// One 差评 ledger entry of the caller's scope (not found outside it), with its rating and history.
#[server(name = LedgerEntry, prefix = "/api", endpoint = "staff/supervision/rating", input = GetUrl)]
pub async fn ledger_entry(id: Option<i64>) -> Result<LedgerView, AppError> {
    use super::server::{db, ledger_line};
    let ctx = crate::platform::AppContext::current()?;
    let (_, scope) = supervisor().await.map_err(crate::platform::fail)?;
    let row = db::ledger_entry(&ctx.db, &scope, id.unwrap_or_default())
        .await?
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let locale = crate::i18n::use_locale();
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let service_name =
        |code: &str| snapshot.item(code).map_or(code.to_owned(), |i| i.content.name.get(locale).to_owned());
    let history = db::ledger_events(&ctx.db, row.id).await?;
    let indicators = row.indicators.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let (comment, rated_at) = (row.comment.clone(), row.rated_at);
    let today = crate::applications::server::beijing_day(ctx.clock.now());
    Ok(LedgerView { line: ledger_line(row, today, &service_name), indicators, comment, rated_at, history })
}
