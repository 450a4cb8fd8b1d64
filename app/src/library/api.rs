//! The library's server functions: public reads (no personal data), GET so a page's address
//! is the search.

use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(name = SearchCatalogue, prefix = "/api", endpoint = "library/search", input = GetUrl)]
pub async fn search_catalogue(
    q: String,
    field: Option<String>,
    branch: Option<String>,
    available: Option<String>,
    class: Option<String>,
    decade: Option<String>,
    page: Option<String>,
) -> Result<SearchResults, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let params = SearchParams::from_pairs(&q, field, branch, available, class, decade, page);
    super::server::search(&ctx.library, &params).await.map_err(crate::platform::fail)
}

#[server(name = LibraryRecord, prefix = "/api", endpoint = "library/record", input = GetUrl)]
pub async fn library_record(id: String) -> Result<RecordView, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    super::server::record_view(&ctx.library, &id).await.map_err(crate::platform::fail)
}
