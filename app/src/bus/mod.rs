//! Real-time bus times (实时公交). The bus company's timetable and vehicle feed are another
//! organisation's system, like the base registers: the company publishes GTFS Schedule
//! ([`gtfs`], imported into its own database by [`store`]) and GTFS Realtime. The portal's own
//! part is the citizen's favourite stops (a portal migration).

mod api;
mod pages;
pub mod text;

pub use api::*;
pub use pages::{BusLinePage, BusPage, BusStopPage};

#[cfg(feature = "ssr")]
pub mod arrivals;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod dispatch;
#[cfg(feature = "ssr")]
pub mod forms;
#[cfg(feature = "ssr")]
pub mod gtfs;
#[cfg(feature = "ssr")]
pub mod realtime;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod store;

/// Form posts of this feature: (path posted to, page shown again on a problem, handler).
#[cfg(feature = "ssr")]
pub const FORM_ROUTES: &[(&str, &str, crate::platform::forms::FormHandler)] = &[
    ("/bus/stops/{id}/favourite", "/bus/stops/{id}", forms::add),
    ("/bus/stops/{id}/unfavourite", "/bus/stops/{id}", forms::remove),
];

crate::page_routes!(BusRoutes {
    "/bus" => BusPage,
    "/bus/stops/:id" => BusStopPage,
    "/bus/lines/:id" => BusLinePage,
});
