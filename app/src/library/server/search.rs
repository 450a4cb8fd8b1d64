//! Searching the catalogue and reading one record: the index finds, the provider says what is
//! on the shelf now.

use super::super::contract::{HoldingsRequest, ItemStatus, ProviderError};
use super::super::model::*;
use super::super::provider::LibraryProvider;
use super::Library;
use crate::error::AppError;
use std::collections::BTreeMap;

fn provider_error(err: ProviderError) -> AppError {
    match err {
        ProviderError::NotFound => AppError::NotFound,
        ProviderError::BadRequest(_) => AppError::NotFound,
        _ => AppError::Unavailable,
    }
}

/// A search; `Unavailable` when there is no library or no index yet.
pub async fn search(library: &Library, params: &SearchParams) -> Result<SearchResults, AppError> {
    let query = check_query(&params.query).map_err(|_| AppError::validation("q", "library_query"))?.to_owned();
    let (Some(provider), Some(index)) = (library.provider(), library.index()) else {
        return Err(AppError::Unavailable);
    };
    let params_for_index = params.clone();
    let (total, mut hits, facets) = tokio::task::spawn_blocking(move || index.search(&params_for_index, &query))
        .await
        .map_err(|e| AppError::internal(&e))?
        .map_err(|e| AppError::internal(&e))?;
    let branches = provider.branches().await;
    let request = HoldingsRequest { record_ids: hits.iter().map(|h| h.id.clone()).collect() };
    let holdings = if request.record_ids.is_empty() { Ok(Vec::new()) } else { provider.holdings(&request).await };
    let live = branches.is_ok() && holdings.is_ok();
    if let Ok(items) = holdings {
        let mut by_record: BTreeMap<&str, Vec<BranchCopies>> = BTreeMap::new();
        for item in &items {
            let copies = by_record.entry(item.record_id.as_str()).or_default();
            let at = match copies.iter().position(|c| c.branch == item.branch) {
                Some(at) => at,
                None => {
                    copies.push(BranchCopies { branch: item.branch.clone(), on_shelf: 0, copies: 0 });
                    copies.len() - 1
                }
            };
            copies[at].copies += 1;
            if item.status == ItemStatus::OnShelf {
                copies[at].on_shelf += 1;
            }
        }
        for hit in &mut hits {
            hit.copies = Some(by_record.remove(hit.id.as_str()).unwrap_or_default());
        }
    }
    Ok(SearchResults { total, hits, facets, branches: branches.unwrap_or_default(), live })
}

/// One record with its copies and the branches.
pub async fn record_view(library: &Library, id: &str) -> Result<RecordView, AppError> {
    let provider = library.provider().ok_or(AppError::Unavailable)?;
    let record = provider.record(id).await.map_err(provider_error)?;
    let items =
        provider.holdings(&HoldingsRequest { record_ids: vec![record.id.clone()] }).await.map_err(provider_error)?;
    let branches = provider.branches().await.map_err(provider_error)?;
    Ok(RecordView { record, items, branches, map_tiles: None })
}
