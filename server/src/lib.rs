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

/// The server's allocator, here rather than in `main.rs` so that benchmarks and tests measure the
/// same allocator the server runs with. See BENCHMARKS.md for why it is not glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
