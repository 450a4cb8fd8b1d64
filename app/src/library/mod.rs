//! The city library's catalogue (图书信息检索). The library is another organisation's system,
//! like the base registers: it answers one contract ([`contract`]), served in-process from its
//! own database ([`store`], the demo: real Library of Congress MARC21 records plus a generated
//! catalogue, with holdings per branch) or by the library's interface over the portal's signed
//! exchange ([`http_client`]; [`http_service`] is the answering end the demo library is
//! published with). The portal
//! keeps only what it can rebuild: a search index over the provider's records, and which
//! citizen bound which library card (`server::cards`), to see loans and holds, renew and reserve.

pub mod api;
pub mod citation;
pub mod contract;
pub mod model;
pub mod pages;
pub mod text;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
pub mod http_client;
#[cfg(feature = "ssr")]
pub mod http_service;
#[cfg(feature = "ssr")]
pub mod marc;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

#[cfg(feature = "ssr")]
pub use provider::{LibraryProvider, Provider};

/// Form posts of this feature: (path posted to, page shown again on a problem, handler).
#[cfg(feature = "ssr")]
pub const FORM_ROUTES: &[(&str, &str, crate::platform::forms::FormHandler)] = &[
    ("/library/my/bind", "/library/my", forms::bind),
    ("/library/my/unbind", "/library/my", forms::unbind),
    ("/library/my/loans/{barcode}/renew", "/library/my", forms::renew),
    ("/library/records/{id}/reserve", "/library/records/{id}", forms::reserve),
];

use pages::{LibraryRecordPage, LibrarySearchPage, MyLibraryPage};

crate::page_routes!(LibraryRoutes {
    "/library/my" => MyLibraryPage,
    "/library" => LibrarySearchPage,
    "/library/records/:id" => LibraryRecordPage,
});
