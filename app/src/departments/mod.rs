//! Departments (办事部门): who provides services, what they are responsible for and how to reach
//! them. Later the catalogue hangs service items off these.

mod api;
mod model;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use api::{list_departments, search_departments, ListDepartments, SearchDepartments};
pub use model::{check_query, Department, QueryProblem, MAX_QUERY_CHARS};
pub use pages::DepartmentsPage;

/// This feature's pages in the route table.
#[leptos::component(transparent)]
pub fn DepartmentRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use leptos::prelude::*;
    use leptos_router::components::Route;
    use leptos_router::{path, SsrMode};
    view! {
        <Route path=path!("/departments") view=DepartmentsPage ssr=SsrMode::Async/>
    }
    .into_inner()
}
