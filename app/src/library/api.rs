//! The library's server functions: public reads (no personal data), GET so a page's address
//! is the search; and the signed-in citizen's own card (its loans and holds), which the citizen's
//! id from the session keys.

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
    let view = super::server::record_view(&ctx.library, &id).await.map_err(crate::platform::fail)?;
    Ok(RecordView { map_tiles: ctx.map_tiles.clone(), ..view })
}

#[server(name = MyLibraryCard, prefix = "/api", endpoint = "library/my", input = GetUrl)]
pub async fn my_library() -> Result<MyLibrary, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    super::server::patron::my_library(&ctx, &citizen, &crate::platform::request_id())
        .await
        .map_err(crate::platform::fail)
}

/// Whether the signed-in citizen has bound a library card (no call to the library).
#[server(name = HasLibraryCard, prefix = "/api", endpoint = "library/has-card", input = GetUrl)]
pub async fn has_library_card() -> Result<bool, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    Ok(super::server::cards::card_of(&ctx.db, citizen.id())
        .await
        .map_err(|e| crate::platform::fail(e.into()))?
        .is_some())
}
