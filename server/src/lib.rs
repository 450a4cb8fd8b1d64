//! The `onestop` server: configuration, the HTTP stack around the Leptos application, and the
//! command-line tasks. No domain code lives here; features live in the `app` crate.

pub mod bus;
pub mod config;
pub mod demo;
pub mod gas;
pub mod http;
pub mod library;
pub mod registers;
pub mod telemetry;

pub use config::Config;
pub use http::{build_router, BuiltApp};
