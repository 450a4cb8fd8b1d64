//! Routes for plain HTML form posts (`app::app::FORM_ROUTES`): run the feature's handler, then
//! redirect (303) or render the form's page again with what was typed and the right status.

use app::platform::forms::{FormOutcome, FormRequest, LocalPath, PostedForm};
use app::platform::input;
use app::platform::AppContext;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use leptos::prelude::*;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// Renders a form's page with the posted form in context.
pub(super) type RenderPage =
    dyn Fn(PostedForm, Request) -> std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>> + Send + Sync;

#[derive(Clone)]
struct FormRoute {
    ctx: AppContext,
    path: &'static str,
    render_path: &'static str,
    handler: app::platform::forms::FormHandler,
    /// Renders a page with extra context (the posted form), like the page routes do.
    render: Arc<RenderPage>,
}

pub fn routes(
    ctx: &AppContext,
    page_context: impl Fn() + Clone + Send + Sync + 'static,
    options: LeptosOptions,
) -> Router {
    let mut router = Router::new();
    for (path, render_path, handler) in app::app::form_routes() {
        let render = page_renderer(page_context.clone(), options.clone());
        let state = FormRoute { ctx: ctx.clone(), path, render_path, handler: *handler, render };
        router = router.route(path, post(handle).with_state(state));
    }
    router
}

/// Renders a page (the request's path) with a posted form in context, like the page routes do.
pub(super) fn page_renderer(
    page_context: impl Fn() + Clone + Send + Sync + 'static,
    options: LeptosOptions,
) -> Arc<RenderPage> {
    Arc::new(move |posted: PostedForm, req: Request| {
        let page_context = page_context.clone();
        let options = options.clone();
        let handler = leptos_axum::render_app_async_with_context(
            move || {
                page_context();
                provide_context(posted.clone());
            },
            move || app::app::shell(options.clone()),
        );
        handler(req)
    })
}

/// Renders `path` as a GET of that page, with `posted` in context and `status`.
pub(super) async fn render_page(
    render: &Arc<RenderPage>,
    parts: axum::http::request::Parts,
    path: &str,
    posted: PostedForm,
) -> Response {
    let status = StatusCode::from_u16(posted.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut parts = parts;
    parts.uri = path.parse::<Uri>().unwrap_or_else(|_| Uri::from_static("/"));
    parts.method = axum::http::Method::GET;
    let mut response = render(posted, Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

async fn handle(
    State(route): State<FormRoute>,
    params: Option<axum::extract::Path<HashMap<String, String>>>,
    req: Request,
) -> Response {
    let params = params.map(|p| p.0).unwrap_or_default();
    let (parts, body) = req.into_parts();
    // Path parameters are text from outside like any other: the same boundary applies.
    if params.values().any(|v| input::has_refused(v, false)) {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let page_path = fill_pattern(route.render_path, &params);
    let Some(session) = parts.extensions.get::<tower_sessions::Session>().cloned() else {
        tracing::error!("form post without a session layer");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // `body_limit::limit_body` has already read the body within the limit.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) if is_form => bytes,
        Err(err) if super::body_limit::is_too_large(&err) => return super::errors::payload_too_large(),
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    // The input boundary (`platform::input`): text with control characters never reaches the
    // feature's handler; the page comes back with them removed and the fields named.
    let (fields, mut refused) = input::check_pairs(form_urlencoded_pairs(&bytes), |field| {
        app::app::multi_line_fields().any(|(r, f)| *r == route.path && *f == field)
    });
    let query_text = match parts.uri.query().and_then(input::check_raw_query) {
        Some((cleaned, errors)) => {
            refused.extend(errors);
            Some(cleaned)
        }
        None => parts.uri.query().map(str::to_owned),
    };
    let query: HashMap<String, String> =
        query_text.as_deref().map(|q| form_urlencoded_pairs(q.as_bytes()).into_iter().collect()).unwrap_or_default();
    let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let client_ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let request = FormRequest {
        fields,
        session,
        ctx: route.ctx.clone(),
        client_ip,
        query,
        request_id,
        page_path: page_path.clone(),
        params,
    };
    let outcome = if refused.is_empty() {
        (route.handler)(request).await
    } else {
        tracing::info!(route = route.path, fields = refused.len(), "form refused: control characters");
        request.rerender(400, refused, None)
    };
    match outcome {
        FormOutcome::Redirect(to) => see_other(&to),
        FormOutcome::Render(posted) => {
            // Render the form's page as if visited, keeping the query (e.g. `next=`).
            let uri = match query_text {
                Some(q) => format!("{page_path}?{q}"),
                None => page_path.clone(),
            };
            render_page(&route.render, parts, &uri, posted).await
        }
    }
}

/// A route pattern with its `{name}` parameters replaced by the posted path's values.
fn fill_pattern(pattern: &str, params: &HashMap<String, String>) -> String {
    let mut out = pattern.to_owned();
    for (name, value) in params {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// 303 to a local path. A `LocalPath` is always a valid header value; were one ever not, the
/// home page is the answer rather than a 500.
pub(super) fn see_other(to: &LocalPath) -> Response {
    let location = header::HeaderValue::from_str(to.as_str()).unwrap_or(header::HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// On a signed-in page visit: a form kept when its post arrived after the session had ended is
/// handed to the page (see `FormRequest::keep_until_signed_in`).
pub async fn restore_kept_form(mut req: Request, next: axum::middleware::Next) -> Response {
    if req.method() == axum::http::Method::GET {
        if let Some(session) = req.extensions().get::<tower_sessions::Session>().cloned() {
            let path = req.uri().path().to_owned();
            if let Some(posted) = app::platform::forms::take_kept_form(&session, &path).await {
                req.extensions_mut().insert(posted);
            }
        }
    }
    next.run(req).await
}

/// `application/x-www-form-urlencoded` pairs, in order.
fn form_urlencoded_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default()
}
