//! Read-only public endpoints: department information is published for everyone.

use super::Department;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(name = ListDepartments, prefix = "/api", endpoint = "departments/list", input = GetUrl)]
pub async fn list_departments() -> Result<std::sync::Arc<Vec<Department>>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    // The request's shared list: a page reads it, so it takes a reference count, not a copy.
    Ok(super::server::all(&ctx.db).await?)
}

#[server(name = SearchDepartments, prefix = "/api", endpoint = "departments/search", input = GetUrl)]
pub async fn search_departments(query: String) -> Result<Vec<Department>, AppError> {
    let query = super::check_query(&query)
        .map_err(|problem| crate::platform::fail(AppError::validation("q", problem.code())))?;
    let ctx = crate::platform::AppContext::current()?;
    Ok(super::server::db::search(&ctx.db, query).await?)
}
