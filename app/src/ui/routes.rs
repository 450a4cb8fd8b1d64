//! A feature's part of the route table (composed in `app.rs`).

/// Declares a feature's pages as a transparent component for `<Routes>`: each path with its page
/// component, every one rendered whole on the server (`SsrMode::Async`: complete HTML without
/// streamed fragments that need JavaScript, and a page can still set its status).
///
/// ```ignore
/// crate::page_routes!(BusRoutes {
///     "/bus" => BusPage,
///     "/bus/stops/:id" => BusStopPage,
/// });
/// ```
#[macro_export]
macro_rules! page_routes {
    ($name:ident { $($path:tt => $page:ident),+ $(,)? }) => {
        /// This feature's pages in the route table.
        #[leptos::component(transparent)]
        pub fn $name() -> impl leptos_router::MatchNestedRoutes + Clone {
            use leptos::prelude::*;
            use leptos_router::components::Route;
            use leptos_router::{path, SsrMode};
            view! { $(<Route path=path!($path) view=$page ssr=SsrMode::Async/>)+ }.into_inner()
        }
    };
}
