//! Real-time bus times (实时公交). The bus company's timetable and vehicle feed are another
//! organisation's system, like the base registers: the company publishes GTFS Schedule
//! ([`gtfs`], imported into its own database by [`store`]) and GTFS Realtime.

#[cfg(feature = "ssr")]
pub mod arrivals;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod gtfs;
#[cfg(feature = "ssr")]
pub mod realtime;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;
