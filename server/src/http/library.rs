//! The RIS citation download of a library record (a file, not a page).

use app::platform::AppContext;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes(ctx: &AppContext) -> Router {
    Router::new().route("/library/records/{id}/citation.ris", get(ris)).with_state(ctx.clone())
}

async fn ris(State(ctx): State<AppContext>, Path(id): Path<String>) -> Response {
    match app::library::server::record_view(&ctx.library, &id).await {
        Ok(view) => (
            [
                (header::CONTENT_TYPE, "application/x-research-info-systems; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, {
                    let name = format!("{}.ris", view.record.id);
                    super::application_files::attachment_named(&name, &name)
                }),
            ],
            app::library::citation::ris(&view.record),
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}
