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

crate::page_routes!(DepartmentRoutes {
    "/departments" => DepartmentsPage,
});
