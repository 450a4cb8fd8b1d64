pub mod db;
#[cfg(test)]
mod tests;

use super::Department;
use crate::platform::request_cache::RequestCache;
use crate::platform::Db;
use std::sync::Arc;

/// Every department, read once per request however many parts of the page list them (the home
/// page's service cards and its department section both need the names).
pub async fn all(db: &Db) -> Result<Arc<Vec<Department>>, sqlx::Error> {
    #[derive(Clone)]
    struct AllDepartments(Arc<Vec<Department>>);
    let all =
        RequestCache::get_or_load(|| async { Ok::<_, sqlx::Error>(AllDepartments(Arc::new(db::list(db).await?))) })
            .await?;
    Ok(all.0)
}
