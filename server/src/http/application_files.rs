//! The files of a citizen's application over HTTP: the upload (a streamed multipart post, see
//! `uploads`), and downloads of a file and an image's thumbnail. Each finds the application by
//! the signed-in citizen and its reference, never by an id alone.

use super::forms::{page_renderer, render_page, see_other, RenderPage};
use super::uploads::{read_upload, MULTIPART_OVERHEAD};
use app::applications::forms::attach_refusal_code;
use app::applications::server::{self as apps, db};
use app::error::FieldError;
use app::platform::files::UploadRefusal;
use app::platform::forms::PostedForm;
use app::platform::AppContext;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone)]
struct FilesRoute {
    ctx: AppContext,
    render: Arc<RenderPage>,
}

pub fn routes(
    ctx: &AppContext,
    page_context: impl Fn() + Clone + Send + Sync + 'static,
    options: LeptosOptions,
) -> Router {
    let state = FilesRoute { ctx: ctx.clone(), render: page_renderer(page_context, options) };
    Router::new()
        .route("/applications/{reference}/files", post(upload))
        .route("/applications/{reference}/files/{id}", get(download))
        .route("/applications/{reference}/files/{id}/thumbnail", get(thumbnail))
        .route("/staff/cases/{number}/files/{id}", get(case_download))
        .route("/staff/cases/{number}/files/{id}/thumbnail", get(case_thumbnail))
        .route("/staff/intake/{reference}/files", post(intake_upload))
        .route("/staff/intake/{reference}/files/{id}", get(intake_download))
        .route("/staff/intake/{reference}/files/{id}/thumbnail", get(intake_thumbnail))
        .with_state(state)
}

/// The message code of a refused upload.
fn refusal_code(refusal: &UploadRefusal, per_file: u64) -> &'static str {
    match refusal {
        UploadRefusal::TooLarge { limit } if *limit == per_file => "upload_too_large",
        UploadRefusal::TooLarge { .. } => "upload_total_too_large",
        UploadRefusal::UnsupportedType => "upload_type",
        UploadRefusal::Empty => "upload_empty",
        UploadRefusal::Blank => "upload_blank",
        UploadRefusal::Unreadable | UploadRefusal::Malformed => "upload_unreadable",
        UploadRefusal::TooManyPixels => "upload_too_many_pixels",
        UploadRefusal::ActiveContent => "upload_active_content",
        UploadRefusal::TooManyFiles => "upload_too_many",
        UploadRefusal::ControlCharacters { .. } => FieldError::CONTROL_CHARACTERS,
        UploadRefusal::StorageFull | UploadRefusal::StorageUnavailable | UploadRefusal::TimedOut => "upload_storage",
        UploadRefusal::TooManyFields | UploadRefusal::FieldTooLong { .. } => "upload_unreadable",
    }
}

/// `POST /applications/{reference}/files?slot=…`: the files chosen for one material slot. The
/// citizen and the application are checked before the body is read; the body is streamed
/// within what the application may still take. Success goes back to the page the form was on;
/// a refusal shows that page again with the message next to the slot and the status that fits
/// (413 naming the limit, 415 naming the accepted types, 422 for an unusable file).
async fn upload(
    State(route): State<FilesRoute>,
    Path(reference): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let ctx = &route.ctx;
    let Some(session) = parts.extensions.get::<tower_sessions::Session>().cloned() else {
        tracing::error!("upload without a session layer");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let citizen = match app::accounts::server::auth::citizen_of(&session, ctx).await {
        Ok(Ok(citizen)) => citizen,
        Ok(Err(_)) => return see_other(&"/login?next=/applications".into()),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let loaded = match apps::load_mine(ctx, citizen.id(), &reference).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => {
            let posted = PostedForm { status: 404, ..PostedForm::default() };
            return render_page(&route.render, parts, &format!("/applications/{reference}"), posted).await;
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let page = apps::files_page(&loaded);
    receive(&route, parts, body, &query, UploadTarget { citizen_id: citizen.id(), loaded, page }).await
}

/// `POST /staff/intake/{reference}/files?slot=…`: a window clerk's scans for a walk-in
/// application of their department (`upload`, with the clerk and the intake checked first).
async fn intake_upload(
    State(route): State<FilesRoute>,
    Path(reference): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let ctx = &route.ctx;
    let Some(session) = parts.extensions.get::<tower_sessions::Session>().cloned() else {
        tracing::error!("upload without a session layer");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = format!("/staff/intake/{reference}");
    let staff = match app::accounts::server::auth::staff_of(&session, ctx).await {
        Ok(Ok(staff)) => staff,
        Ok(Err(_)) => return see_other(&"/staff/login".into()),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match app::cases::intake::forms::load(ctx, &staff, &reference).await {
        Ok(Some((loaded, citizen))) => {
            receive(&route, parts, body, &query, UploadTarget { citizen_id: citizen.id, loaded, page }).await
        }
        Ok(None) => {
            let posted = PostedForm { status: 404, ..PostedForm::default() };
            render_page(&route.render, parts, &page, posted).await
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The application an upload goes to, whose it is, and the page its form is on.
struct UploadTarget {
    citizen_id: i64,
    loaded: apps::Loaded,
    page: String,
}

/// Reads the upload into the target's slot within what the application may still take.
async fn receive(
    route: &FilesRoute,
    parts: axum::http::request::Parts,
    body: Body,
    query: &HashMap<String, String>,
    target: UploadTarget,
) -> Response {
    let ctx = &route.ctx;
    let UploadTarget { citizen_id, loaded, page } = target;
    let slot = query.get("slot").cloned().unwrap_or_default();
    let refuse = |status: u16, code: &str| PostedForm {
        errors: vec![FieldError::new(&slot, code)],
        status,
        ..PostedForm::default()
    };
    match apps::slot_takes_files(ctx, &loaded, &slot).await {
        Ok(true) => {}
        Ok(false) => return render_page(&route.render, parts, &page, refuse(409, "upload_not_editable")).await,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let used: i64 = match db::files(&ctx.db, loaded.row.id).await {
        Ok(files) => files.iter().map(|f| f.size).sum(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let settings = &ctx.applications;
    let remaining = u64::try_from(settings.bytes_per_application - used).unwrap_or(0);
    if remaining == 0 {
        return render_page(&route.render, parts, &page, refuse(413, "upload_total_too_large")).await;
    }
    let per_file = u64::try_from(settings.bytes_per_file).unwrap_or(0);
    let content_type = parts.headers.get(header::CONTENT_TYPE).cloned().unwrap_or(HeaderValue::from_static(""));
    let form =
        match read_upload(body, &content_type, &ctx.files, remaining + MULTIPART_OVERHEAD, per_file.min(remaining))
            .await
        {
            Ok(form) => form,
            Err(refusal) => {
                tracing::info!(refusal = refusal.code(), "upload refused");
                let code = refusal_code(&refusal, per_file.min(remaining));
                return render_page(&route.render, parts, &page, refuse(refusal.status(), code)).await;
            }
        };
    let files: Vec<db::NewFile> = form
        .files
        .into_iter()
        .filter(|f| f.field == "file")
        .map(|f| db::NewFile {
            pages: match f.file.shape {
                app::platform::files::FileShape::Pdf { pages } => Some(i64::from(pages)),
                app::platform::files::FileShape::Image { .. } => None,
            },
            sha256: f.file.sha256,
            size: i64::try_from(f.file.size).unwrap_or(i64::MAX),
            media_type: f.file.media_type.mime().to_owned(),
            original_name: f.file.original_name,
            thumbnail: f.file.thumbnail,
        })
        .collect();
    if files.is_empty() {
        return render_page(&route.render, parts, &page, refuse(400, "upload_no_file")).await;
    }
    let limits = (settings.files_per_slot, settings.bytes_per_application);
    match db::attach_files(&ctx.db, citizen_id, loaded.row.id, &slot, &files, limits, ctx.clock.now()).await {
        Ok(Ok(())) => see_other(&format!("{page}?notice=uploaded").into()),
        Ok(Err(refusal)) => {
            let status = if refusal == db::AttachRefusal::TotalTooLarge { 413 } else { 409 };
            render_page(&route.render, parts, &page, refuse(status, attach_refusal_code(refusal))).await
        }
        Err(err) => {
            tracing::error!(error = %err, "attaching uploaded files failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The file row a download names, if it is the signed-in citizen's.
async fn my_file(
    ctx: &AppContext,
    session: Option<tower_sessions::Session>,
    reference: &str,
    id: i64,
) -> Option<db::FileRow> {
    let session = session?;
    let citizen = app::accounts::server::auth::citizen_of(&session, ctx).await.ok()?.ok()?;
    if !apps::is_reference(reference) {
        return None;
    }
    db::my_file(&ctx.db, citizen.id(), reference, id).await.ok()?
}

/// A file of a case in the signed-in clerk's or supervisor's scope (see `audited_case_read`).
async fn case_file(
    ctx: &AppContext,
    session: Option<tower_sessions::Session>,
    number: &str,
    id: i64,
    what: &str,
) -> Option<db::FileRow> {
    audited_case_read(ctx, session, number, id, what, |scope, number| async move {
        app::cases::server::db::case_file(&ctx.db, &scope, &number, id).await
    })
    .await
}

/// What `read` finds (given the scope and the case's number) of the case numbered `number`, for
/// the signed-in clerk or supervisor when the case is in their scope; every access, granted or
/// not, is in the case audit as `action` on `id` (outcome `not_found` when `read` finds nothing).
pub(super) async fn audited_case_read<T, Found>(
    ctx: &AppContext,
    session: Option<tower_sessions::Session>,
    number: &str,
    id: i64,
    action: &str,
    read: impl FnOnce(app::accounts::CaseScope, String) -> Found,
) -> Option<T>
where
    Found: std::future::Future<Output = Result<Option<T>, sqlx::Error>>,
{
    use app::cases::server::{self as cases, db as cases_db};
    let staff = app::accounts::server::auth::staff_of(&session?, ctx).await.ok()?.ok()?;
    let scope = staff.case_scope()?;
    let case = cases::load(ctx, &scope, number).await.ok()??;
    let found = read(scope, case.row.number.clone()).await.ok()?;
    let mut entry = cases::audit_entry(ctx, &staff, &case, action, &id.to_string());
    if found.is_none() {
        entry.outcome = "not_found".to_owned();
    }
    if let Err(err) = cases_db::append(&ctx.db, &entry).await {
        tracing::error!(error = %err, action, "cannot audit a case access");
        return None;
    }
    found
}

/// A scanned file of a walk-in draft of the signed-in clerk's department; every access is in
/// the case audit.
async fn intake_file(
    ctx: &AppContext,
    session: Option<tower_sessions::Session>,
    reference: &str,
    id: i64,
    what: &str,
) -> Option<db::FileRow> {
    let staff = app::accounts::server::auth::staff_of(&session?, ctx).await.ok()?.ok()?;
    let (loaded, citizen) = app::cases::intake::forms::load(ctx, &staff, reference).await.ok()??;
    let file = db::my_file(&ctx.db, citizen.id, reference, id).await.ok()?;
    let entry = app::cases::server::db::AuditEntry {
        at: ctx.clock.now(),
        staff_id: staff.id(),
        staff_role: staff.role.code().to_owned(),
        department_code: staff.department_code.clone().unwrap_or_default(),
        application_id: loaded.row.id,
        action: format!("intake_{what}"),
        outcome: if file.is_some() { "ok" } else { "not_found" }.to_owned(),
        detail: id.to_string(),
    };
    if let Err(err) = app::cases::server::db::append(&ctx.db, &entry).await {
        tracing::error!(error = %err, "cannot audit an intake file access");
        return None;
    }
    file
}

/// `GET /staff/intake/{reference}/files/{id}`.
async fn intake_download(
    State(route): State<FilesRoute>,
    Path((reference, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(file) = intake_file(&route.ctx, session, &reference, id, "download").await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let disposition = attachment(&file.original_name, &file.media_type);
    send(&route.ctx, &file.sha256, &file.media_type, &disposition).await
}

/// `GET /staff/intake/{reference}/files/{id}/thumbnail`.
async fn intake_thumbnail(
    State(route): State<FilesRoute>,
    Path((reference, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(key) = intake_file(&route.ctx, session, &reference, id, "thumbnail").await.and_then(|f| f.thumbnail)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    send(&route.ctx, &key, "image/jpeg", "inline").await
}

/// `GET /staff/cases/{number}/files/{id}`: a material for the clerk, as an attachment.
async fn case_download(
    State(route): State<FilesRoute>,
    Path((number, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(file) = case_file(&route.ctx, session, &number, id, "download").await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let disposition = attachment(&file.original_name, &file.media_type);
    send(&route.ctx, &file.sha256, &file.media_type, &disposition).await
}

/// `GET /staff/cases/{number}/files/{id}/thumbnail`: an image material's preview.
async fn case_thumbnail(
    State(route): State<FilesRoute>,
    Path((number, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(key) = case_file(&route.ctx, session, &number, id, "thumbnail").await.and_then(|f| f.thumbnail) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    send(&route.ctx, &key, "image/jpeg", "inline").await
}

/// `GET /applications/{reference}/files/{id}`: the stored file, as an attachment, with the
/// type it was identified as (never the one it was sent with) and the cleaned original name.
async fn download(
    State(route): State<FilesRoute>,
    Path((reference, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(file) = my_file(&route.ctx, session, &reference, id).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let disposition = attachment(&file.original_name, &file.media_type);
    send(&route.ctx, &file.sha256, &file.media_type, &disposition).await
}

/// `GET /applications/{reference}/files/{id}/thumbnail`: an image's small preview.
async fn thumbnail(
    State(route): State<FilesRoute>,
    Path((reference, id)): Path<(String, i64)>,
    req: Request,
) -> Response {
    let session = req.extensions().get::<tower_sessions::Session>().cloned();
    let Some(key) = my_file(&route.ctx, session, &reference, id).await.and_then(|f| f.thumbnail) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    send(&route.ctx, &key, "image/jpeg", "inline").await
}

async fn send(ctx: &AppContext, key: &str, media_type: &str, disposition: &str) -> Response {
    let reader = match ctx.files.open(key).await {
        Ok(reader) => reader,
        Err(err) => {
            tracing::warn!(error = %err, "a stored file could not be opened");
            return StatusCode::from_u16(err.status()).unwrap_or(StatusCode::NOT_FOUND).into_response();
        }
    };
    (download_headers(media_type, reader.size, disposition), Body::from_stream(reader.stream)).into_response()
}

/// The headers of every download: the type, length and name, never sniffed, sandboxed if opened,
/// not cached, not embeddable by other sites.
pub(super) fn download_headers(
    media_type: &str,
    size: u64,
    disposition: &str,
) -> [(header::HeaderName, HeaderValue); 7] {
    [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_str(media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
        ),
        (header::CONTENT_LENGTH, HeaderValue::from(size)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(disposition).unwrap_or(HeaderValue::from_static("attachment")),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'")),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin")),
    ]
}

/// `attachment` with an ASCII fallback name and the real one as RFC 5987 `filename*`, so Chinese
/// names survive and no quote or line break can break the header.
fn attachment(name: &str, media_type: &str) -> String {
    let extension = app::platform::files::MediaType::from_mime(media_type).map_or("bin", |m| m.extension());
    attachment_named(&format!("download.{extension}"), name)
}

/// `attachment` naming `name`, with `fallback` (plain ASCII letters, digits, `.`, `-`, `_`) for
/// clients without RFC 5987.
pub(super) fn attachment_named(fallback: &str, name: &str) -> String {
    let fallback: String =
        fallback.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn attachment_names_survive_and_cannot_break_the_header() {
        let value = super::attachment("身份证 \"正面\"\r\n.pdf", "application/pdf");
        assert_eq!(
            value,
            "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%20%22%E6%AD%A3%E9%9D%A2%22%0D%0A.pdf"
        );
        assert!(axum::http::HeaderValue::from_str(&value).is_ok());
    }
}
