//! Built assets under `/pkg`, sent as the build's brotli or gzip copy when the browser accepts
//! it. With hashed file names (release builds) a file never changes under its name, so browsers
//! may keep it for a year; without hashing they must revalidate.

use axum::http::{header, HeaderValue};
use leptos::prelude::LeptosOptions;
use std::path::PathBuf;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn pkg_service(options: &LeptosOptions, hashed_names: bool) -> axum::routing::MethodRouter {
    let dir = PathBuf::from(&*options.site_root).join(&*options.site_pkg_dir);
    let cache = if hashed_names { "public, max-age=31536000, immutable" } else { "no-cache" };
    let service = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static(cache)))
        // The answer depends on the encodings the browser accepts (the build's brotli and gzip
        // copies are sent as they are), which caches in between must know.
        .layer(SetResponseHeaderLayer::if_not_present(header::VARY, HeaderValue::from_static("accept-encoding")))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip());
    axum::routing::get_service(service)
}
