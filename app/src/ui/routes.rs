//! A feature's part of the route table (composed in `app.rs`), and the table shared between
//! requests.

use leptos_router::{GeneratedRouteData, MatchNestedRoutes, RouteMatchId};
use std::any::Any;
use std::sync::{Arc, OnceLock};

/// Where a route table is kept once built (a `static` beside the function that builds it).
pub type SharedRoutesSlot = OnceLock<Box<dyn Any + Send + Sync>>;

/// Route definitions built once and shared between requests: copying them is one reference
/// count, where each definition holds allocations of its own.
pub struct SharedRoutes<R>(Arc<R>);

impl<R> Clone for SharedRoutes<R> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<R: Send + Sync + 'static> SharedRoutes<R> {
    /// The table kept in `slot`, built by `build` on first use. A slot belongs to the one
    /// function that fills it, so what it holds is always that function's table.
    pub fn get_or_build(slot: &'static SharedRoutesSlot, build: impl FnOnce() -> R) -> Self {
        let table = slot.get_or_init(|| Box::new(Arc::new(build())));
        Self(table.downcast_ref::<Arc<R>>().expect("a route table slot is filled by one function").clone())
    }
}

impl<R: MatchNestedRoutes> MatchNestedRoutes for SharedRoutes<R> {
    type Data = R::Data;
    type Match = R::Match;

    fn match_nested<'a>(&'a self, path: &'a str) -> (Option<(RouteMatchId, Self::Match)>, &'a str) {
        self.0.match_nested(path)
    }

    fn generate_routes(&self) -> impl IntoIterator<Item = GeneratedRouteData> + '_ {
        self.0.generate_routes()
    }

    fn optional(&self) -> bool {
        self.0.optional()
    }
}

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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Every request asks for the table; it is built on the first and shared after.
    #[test]
    fn a_table_is_built_once_and_shared() {
        static SLOT: SharedRoutesSlot = SharedRoutesSlot::new();
        let builds = AtomicUsize::new(0);
        let build = || {
            builds.fetch_add(1, Ordering::SeqCst);
            crate::home::HomeRoutes()
        };
        let first = SharedRoutes::get_or_build(&SLOT, build);
        let second = SharedRoutes::get_or_build(&SLOT, build);
        assert_eq!(builds.load(Ordering::SeqCst), 1);
        assert!(Arc::ptr_eq(&first.0, &second.0));
    }

    /// The shared table matches and lists exactly what the table itself does.
    #[test]
    fn a_shared_table_routes_as_the_table_does() {
        static SLOT: SharedRoutesSlot = SharedRoutesSlot::new();
        let shared = SharedRoutes::get_or_build(&SLOT, crate::home::HomeRoutes);
        let own = crate::home::HomeRoutes();
        for path in ["/", "/accessibility", "/services", "/accessibility/more"] {
            let (matched, rest) = shared.match_nested(path);
            let (expected, expected_rest) = own.match_nested(path);
            assert_eq!(matched.is_some(), expected.is_some(), "{path}");
            assert_eq!(rest, expected_rest, "{path}");
        }
        assert!(shared.match_nested("/accessibility").0.is_some());
        assert!(shared.match_nested("/services").0.is_none());
        let listed = |routes: Vec<GeneratedRouteData>| routes.into_iter().map(|r| r.segments).collect::<Vec<_>>();
        assert_eq!(
            listed(shared.generate_routes().into_iter().collect()),
            listed(own.generate_routes().into_iter().collect())
        );
        assert_eq!(listed(shared.generate_routes().into_iter().collect()).len(), 2);
    }
}
