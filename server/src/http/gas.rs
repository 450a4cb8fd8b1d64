//! The PDF of a bill of a bound gas account (a file, not a page): the account is reached only
//! through the signed-in citizen's binding of it, and the read is audited like the page's.

use app::platform::AppContext;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes(ctx: &AppContext) -> Router {
    Router::new().route("/gas/accounts/{account}/bills/{file}", get(bill)).with_state(ctx.clone())
}

/// `GET /gas/accounts/{account}/bills/{period_from}.pdf`.
async fn bill(State(ctx): State<AppContext>, Path((account, file)): Path<(String, String)>, req: Request) -> Response {
    let Some(period_from) = file.strip_suffix(".pdf") else { return StatusCode::NOT_FOUND.into_response() };
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(session) = session else { return StatusCode::UNAUTHORIZED.into_response() };
    let citizen = match app::accounts::server::auth::citizen_of(&session, &ctx).await {
        Ok(Ok(c)) => c,
        _ => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    match app::gas::server::bill_pdf(&ctx, &citizen, &account, period_from, &request_id).await {
        Ok((name, pdf)) => {
            let disposition = super::application_files::attachment_named(&name, &name);
            let size = u64::try_from(pdf.len()).unwrap_or(u64::MAX);
            (super::application_files::download_headers("application/pdf", size, &disposition), Body::from(pdf))
                .into_response()
        }
        Err(app::error::AppError::NotFound | app::error::AppError::Forbidden) => StatusCode::NOT_FOUND.into_response(),
        Err(app::error::AppError::Unavailable) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
