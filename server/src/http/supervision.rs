//! The supervisors' CSV downloads: the figures of a period (no personal data, at once) and an
//! approved case-list export (`POST`, once: it is marked downloaded and logged with its row
//! count). Supervisors only; the scope comes from their account.

use app::accounts::server::auth::StaffPrincipal;
use app::accounts::server::staff::StaffEvent;
use app::accounts::{CaseScope, StaffRole};
use app::i18n::Locale;
use app::platform::AppContext;
use app::supervision::Period;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::net::SocketAddr;

pub fn routes(ctx: &AppContext) -> Router {
    Router::new()
        .route("/staff/supervision/figures.csv", get(figures))
        .route("/staff/supervision/exports/{id}/download", post(case_list))
        .with_state(ctx.clone())
}

/// The signed-in supervisor and their scope, or the refusal: 401 for nobody signed in, 403 for a
/// citizen or any other staff role.
async fn supervisor(ctx: &AppContext, req: &Parts) -> Result<(StaffPrincipal, CaseScope), Response> {
    let session = req.extensions.get::<tower_sessions::Session>().ok_or(StatusCode::UNAUTHORIZED.into_response())?;
    let staff = match app::accounts::server::auth::staff_of(session, ctx).await {
        Ok(Ok(staff)) => staff,
        // A signed-in citizen is refused like any other role; nobody signed in is asked to.
        Ok(Err(_)) => {
            let citizen = app::accounts::server::auth::citizen_of(session, ctx).await;
            let status = if matches!(citizen, Ok(Ok(_))) { StatusCode::FORBIDDEN } else { StatusCode::UNAUTHORIZED };
            return Err(status.into_response());
        }
        Err(_) => return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    };
    match staff.case_scope() {
        Some(scope) if staff.role == StaffRole::Supervisor => Ok((staff, scope)),
        _ => Err(StatusCode::FORBIDDEN.into_response()),
    }
}

fn locale(headers: &HeaderMap) -> Locale {
    let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    app::preferences::Preferences::from_cookie_header(cookies).locale
}

fn csv(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /staff/supervision/figures.csv?period=`: one line per service.
async fn figures(
    State(ctx): State<AppContext>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let (req, _) = req.into_parts();
    let (_, scope) = match supervisor(&ctx, &req).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let period = query.get("period").and_then(|p| Period::from_code(p)).unwrap_or_default();
    match app::supervision::server::figures_csv(&ctx, &scope, period, locale(&req.headers)).await {
        Ok(bytes) => csv(bytes, &format!("supervision-figures-{}.csv", period.code())),
        Err(err) => {
            tracing::error!(error = ?err, "cannot build the figures export");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /staff/supervision/exports/{id}/download`: the approved case list, once.
async fn case_list(State(ctx): State<AppContext>, Path(id): Path<i64>, req: Request) -> Response {
    let (req, _) = req.into_parts();
    let (staff, scope) = match supervisor(&ctx, &req).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let client_ip = req.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default();
    let request_id = req.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let log = StaffEvent {
        at: ctx.clock.now(),
        staff_id: Some(staff.id()),
        actor_id: Some(staff.id()),
        event: "export_downloaded",
        success: true,
        client_ip: &client_ip,
        request_id: &request_id,
        detail: "",
    };
    match app::supervision::server::download_case_list(&ctx, staff.id(), &scope, id, locale(&req.headers), &log).await {
        Ok(Some(bytes)) => csv(bytes, &format!("supervision-cases-{id}.csv")),
        Ok(None) => StatusCode::FORBIDDEN.into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "cannot build the case-list export");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
