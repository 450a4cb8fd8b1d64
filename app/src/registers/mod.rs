//! Base registers (基础库) as other departments hold them: population, legal entities,
//! macro-economy and addresses/spatial data. The portal never owns these data; it asks a
//! provider through one contract ([`contract`]), served either in-process from the registers'
//! own database ([`store`], the demo) or by a department's HTTP endpoint ([`http_client`]).
//! Portal features do not call providers directly: they go through `sharing`, which checks
//! grants and consent and writes the audit row.

pub mod contract;

#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod http_client;
#[cfg(feature = "ssr")]
pub mod http_service;
#[cfg(feature = "ssr")]
pub mod provider;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod wire;

#[cfg(feature = "ssr")]
pub use provider::{Provider, RegisterProvider};
