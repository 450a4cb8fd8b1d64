//! The application context: built once at start-up and provided to every render and server
//! function through Leptos context.

use super::Db;
use crate::error::AppError;
use crate::site::SiteProfile;
use leptos::prelude::*;
use std::sync::Arc;

/// What every request shares, behind one `Arc`: a request clones its context several times
/// (the route's handler, the page's context, each server function), so a copy is one counter.
#[derive(Clone)]
pub struct AppContext(Arc<AppServices>);

/// The services the application context holds (read through `AppContext`'s `Deref`).
#[derive(Clone)]
pub struct AppServices {
    pub db: Db,
    pub site: Arc<SiteProfile>,
    /// Whether cookies carry `Secure` (off only for plain-HTTP local runs).
    pub secure_cookies: bool,
    /// The audited gateway to the base registers.
    pub shared: Arc<crate::sharing::server::SharedData>,
    /// The hospitals' booking platform.
    pub hospitals: crate::hospitals::Provider,
    /// The gas company's system.
    pub gas: crate::gas::Provider,
    /// The bus company's timetable and latest real-time message, in memory.
    pub bus: crate::bus::server::Buses,
    pub secrets: super::secrets::Secrets,
    pub clock: super::clock::Clock,
    /// The origin browsers use, for links in mail (`https://zwfw.example.gov.cn`).
    pub public_origin: String,
    /// Mail goes to a local folder (development), so links are also logged for the developer.
    pub mail_is_local: bool,
    /// The published catalogue and its search index, refreshed when the catalogue changes.
    pub catalogue: crate::catalogue::server::CatalogueCache,
    /// Password hashing and checking, and the count of that work (equal on every sign-in path).
    pub credentials: crate::accounts::server::password::Credentials,
    /// Online applications: draft lifetime and upload limits.
    pub applications: crate::applications::server::Settings,
    /// Where uploaded files are kept (a local directory or an S3-compatible bucket).
    pub files: super::files::FileStore,
    /// The font issued documents are set in (a subset of it is embedded in each).
    pub document_font: crate::documents::server::DocumentFont,
    /// The city library's system and the portal's catalogue search index over it.
    pub library: crate::library::server::Library,
    /// Where maps get their tiles; without a source, places are listed in text only.
    pub map_tiles: Option<crate::ui::TileSource>,
}

impl AppContext {
    pub fn new(services: AppServices) -> Self {
        Self(Arc::new(services))
    }

    /// The context for the current request; its absence is a wiring bug, reported opaquely.
    pub fn current() -> Result<AppContext, AppError> {
        use_context::<AppContext>().ok_or_else(|| AppError::internal(&"AppContext missing from request context"))
    }
}

impl std::ops::Deref for AppContext {
    type Target = AppServices;

    fn deref(&self) -> &AppServices {
        &self.0
    }
}
