//! Downloads of issued documents (`app::documents`): the applicant's own, found by the signed-in
//! citizen and the application's reference, and a case's for clerks of its scope, every access
//! granted or not in the case audit (like the case's materials in `application_files`).

use super::application_files::{attachment_named, audited_case_read, download_headers};
use app::documents::server::{self as documents, db};
use app::documents::text::ZH_CN;
use app::documents::DocumentKind;
use app::platform::AppContext;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes(ctx: &AppContext) -> Router {
    Router::new()
        .route("/applications/{reference}/documents/{id}", get(download))
        .route("/staff/cases/{number}/documents/{id}", get(case_download))
        .with_state(ctx.clone())
}

/// `GET /applications/{reference}/documents/{id}`: the citizen's document as issued.
async fn download(State(ctx): State<AppContext>, Path((reference, id)): Path<(String, i64)>, req: Request) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    match my_document(&ctx, session, &reference, id).await {
        Some(file) => send(file),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn my_document(
    ctx: &AppContext,
    session: Option<tower_sessions::Session>,
    reference: &str,
    id: i64,
) -> Option<db::DocumentFile> {
    let citizen = app::accounts::server::auth::citizen_of(&session?, ctx).await.ok()?.ok()?;
    if !app::applications::server::is_reference(reference) {
        return None;
    }
    db::my_file(&ctx.db, citizen.id(), reference, id).await.ok()?
}

/// `GET /staff/cases/{number}/documents/{id}`: a case's document for a clerk or supervisor of
/// its scope; audited as `document_download` (outcome `not_found` for a document the case
/// does not have).
async fn case_download(
    State(ctx): State<AppContext>,
    Path((number, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    match case_document(&ctx, session, &number, id).await {
        Some(file) => send(file),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn case_document(
    ctx: &AppContext,
    session: Option<tower_sessions::Session>,
    number: &str,
    id: i64,
) -> Option<db::DocumentFile> {
    audited_case_read(ctx, session, number, id, "document_download", |scope, number| async move {
        db::case_file(&ctx.db, &scope, &number, id).await
    })
    .await
}

/// The PDF as an attachment named by its kind and number (`受理通知书-….pdf`).
fn send((kind, number, pdf): db::DocumentFile) -> Response {
    let title = DocumentKind::from_code(&kind).map_or("document", |k| ZH_CN.kind_label(k));
    let disposition = attachment_named(&documents::file_name(&kind, &number), &format!("{title}-{number}.pdf"));
    let size = u64::try_from(pdf.len()).unwrap_or(u64::MAX);
    (download_headers("application/pdf", size, &disposition), Body::from(pdf)).into_response()
}
