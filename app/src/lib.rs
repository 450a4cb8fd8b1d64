//! OneStop (一网通办): the Leptos application, shared by the server (`ssr`) and the browser
//! (`hydrate`, islands only).
//!
//! Crate map:
//! - [`app`]: the HTML shell and the one route table.
//! - [`error`]: [`error::AppError`], the only error type that crosses the HTTP boundary.
//! - [`i18n`]: locales and the complete zh-CN / English message tables.
//! - [`ui`]: design-system pieces with no domain knowledge (layout, fields, notices, tables).
//! - [`platform`] (server only): database, request context, configuration shared by features.
//! - Features, each owning its types, server functions, SQL and views: [`preferences`],
//!   [`site`], [`departments`], [`home`], [`search`], [`accounts`], [`applications`], [`cases`]
//!   (the window console), [`documents`], [`supervision`], [`sharing`] (catalogue, grants,
//!   consent, audited gateway), [`statistics`], [`places`], [`hospitals`] (appointments),
//!   [`library`] (catalogue search).
//! - [`registers`]: the base registers as other departments hold them, behind one provider
//!   contract (in-process demo data or signed HTTP); [`hospitals`], [`library`] and [`gas`] hold
//!   other organisations' systems the same way.
//! - [`identifiers`]: resident ID and credit code validation, shared by browser and server.

pub mod app;
pub mod error;
pub mod i18n;
pub mod ui;

pub mod accounts;
pub mod applications;
pub mod bus;
pub mod cases;
pub mod catalogue;
pub mod departments;
pub mod documents;
pub mod gas;
pub mod home;
pub mod hospitals;
pub mod identifiers;
pub mod library;
pub mod places;
pub mod preferences;
pub mod registers;
pub mod search;
pub mod sharing;
pub mod site;
pub mod statistics;
pub mod supervision;

#[cfg(feature = "ssr")]
pub mod platform;

/// Browser entry point: islands mode hydrates only the `#[island]` components, so content pages
/// ship almost no wasm.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
