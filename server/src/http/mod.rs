//! The HTTP stack: the Leptos routes plus the platform middleware every feature relies on.
//!
//! Request flow, outermost first: request id → trace/metrics → panic catcher → security
//! headers → method and cross-origin check → timeout (longer on upload routes) → body limit
//! (upload routes: streamed, see [`uploads`]) → compression → router
//! (static files, `/healthz`, server functions under `/api`, pages). `/metrics` is on a separate
//! router for the admin address ([`admin_router`]).

mod application_files;
mod body_limit;
mod documents;
mod errors;
mod forms;
mod gas;
mod input;
mod library;
mod ops;
mod security;
mod static_files;
mod supervision;
pub mod uploads;

use crate::config::AssetNames;
use crate::telemetry::{self, Metrics};
use crate::Config;
use app::accounts::server::auth::CITIZEN_IDLE_SECS;
use app::app::{shell, App};
use app::platform::sessions::SqlSessionStore;
use app::platform::AppContext;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use security::SecurityPolicy;

/// The public router, the operator router and what the operator endpoints read.
pub struct BuiltApp {
    /// Pages, server functions, form posts, static files and `/healthz`, for the public listener.
    pub router: Router,
    /// `/metrics` and `/healthz`, for the admin listener (`ONESTOP_ADMIN_ADDR`) only.
    pub admin: Router,
    pub metrics: Arc<Metrics>,
}

/// The Leptos options for this build: cargo-leptos's output layout under the configured site
/// root. With one hash for all the browser files (release builds) the hashed name is the output
/// name, so leptos's head components find the files without reading the hash file; with a hash
/// per file they read it on every page (development only).
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let (output_name, per_file) = match &config.asset_names {
        AssetNames::Plain => (OUTPUT_NAME.to_owned(), false),
        AssetNames::Hashed(hash) => (format!("{OUTPUT_NAME}.{hash}"), false),
        AssetNames::PerFile => (OUTPUT_NAME.to_owned(), true),
    };
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.listen_addr)
        .hash_file(Arc::from(AssetNames::HASH_FILE))
        .hash_files(per_file)
        .build()
}

/// The pages' router state: the Leptos options, shared (see `build_router`).
#[derive(Clone)]
struct PageOptions(Arc<LeptosOptions>);

impl axum::extract::FromRef<PageOptions> for LeptosOptions {
    fn from_ref(state: &PageOptions) -> LeptosOptions {
        LeptosOptions::clone(&state.0)
    }
}

/// The name the build gives the browser files (`output-name` in Cargo.toml).
const OUTPUT_NAME: &str = "onestop";

/// Builds the whole application: pages, server functions, static files, operator endpoints
/// and the platform layers.
pub fn build_router(config: &Config, ctx: AppContext) -> BuiltApp {
    let options = leptos_options(config);
    let metrics = Arc::new(Metrics::default());
    let policy = Arc::new(SecurityPolicy::new(config, &options));

    let page_context = {
        let ctx = ctx.clone();
        move || {
            provide_context(ctx.clone());
            provide_context(app::platform::request_cache::RequestCache::default());
            SecurityPolicy::provide_page_nonce();
        }
    };
    let routes = generate_route_list(App);
    // leptos_axum copies the router's state into every page's context, and copies its handler
    // closures (holding the state and the shell's options) for every request: behind an `Arc`
    // each copy is a reference count, not the options' dozen fields.
    let shared_options = PageOptions(Arc::new(options.clone()));
    let pages = Router::new()
        .leptos_routes_with_context(&shared_options, routes, page_context.clone(), {
            let options = shared_options.clone();
            move || shell(LeptosOptions::clone(&options.0))
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<PageOptions, _>(page_context.clone(), shell))
        .with_state(shared_options);

    let router = Router::new()
        .merge(forms::routes(&ctx, page_context.clone(), options.clone()))
        .merge(application_files::routes(&ctx, page_context.clone(), options.clone()))
        .merge(documents::routes(&ctx))
        .merge(supervision::routes(&ctx))
        .merge(library::routes(&ctx))
        .merge(gas::routes(&ctx))
        // Load balancers probe the public address, so liveness stays here too.
        .route("/healthz", get(ops::healthz).with_state(ctx.db.clone()))
        .nest_service("/pkg", static_files::pkg_service(&options, config.asset_names.hashed()))
        .merge(
            pages
                .layer(axum::middleware::from_fn(forms::restore_kept_form))
                .layer(axum::middleware::from_fn(input::refuse_control_characters)),
        )
        .layer(session_layer(config, &ctx.db));

    let admin = admin_router(&ctx.db, metrics.clone());
    BuiltApp { router: with_platform_layers(router, config, policy, metrics.clone()), admin, metrics }
}

/// The session cookie and its store. Public so that benchmarks can put a baseline behind the
/// same stack as the portal.
pub fn session_layer(config: &Config, db: &app::platform::Db) -> SessionManagerLayer<SqlSessionStore> {
    SessionManagerLayer::new(SqlSessionStore::new(db.clone()))
        // `__Host-` pins the cookie to this host over HTTPS; it needs `Secure`, so plain-HTTP
        // local runs use an unprefixed name.
        .with_name(if config.secure_cookies { "__Host-sid" } else { "onestop_sid" })
        .with_secure(config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(CITIZEN_IDLE_SECS)))
}

/// The operator endpoints, served only on the admin address: metrics reveal traffic and
/// internals that the public has no business reading.
pub fn admin_router(db: &app::platform::Db, metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/healthz", get(ops::healthz).with_state(db.clone()))
        .route("/metrics", get(ops::metrics).with_state(metrics))
}

/// Wraps any router in the platform middleware. Public so that tests can wrap extra routes
/// (for example one that panics) in exactly the production stack.
pub fn with_platform_layers(
    router: Router,
    config: &Config,
    policy: Arc<SecurityPolicy>,
    metrics: Arc<Metrics>,
) -> Router {
    let inner = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(policy.clone(), security::security_headers))
        .layer(axum::middleware::from_fn_with_state(policy, security::reject_unsafe_requests))
        .layer(axum::middleware::from_fn_with_state(
            uploads::Deadlines { request: config.request_timeout, upload: config.files.upload_timeout },
            uploads::deadline,
        ))
        // Inside the timeout, so a body that trickles in is cut off too.
        .layer(axum::middleware::from_fn_with_state(
            body_limit::BodyLimits {
                whole: config.body_limit_bytes,
                upload: config.files.limits.per_application + uploads::MULTIPART_OVERHEAD,
            },
            body_limit::limit_body,
        ))
        // The body above is complete and within the limit: extractors need no limit of their own.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(CompressionLayer::new());
    router.layer(inner).layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(telemetry::RandomRequestId))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(axum::middleware::from_fn_with_state(metrics, telemetry::observe))
            .layer(CatchPanicLayer::custom(errors::panic_response)),
    )
}
