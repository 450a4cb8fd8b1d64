//! The service catalogue (办事指南): versioned service items on the national implementation-list
//! fields with their materials and online form definitions, the working-day calendar every
//! deadline uses, and Chinese search.

#[cfg(feature = "ssr")]
pub mod calendar;
pub mod model;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod server;
pub mod validate;
