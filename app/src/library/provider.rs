//! The library provider trait and the configured provider. Callers never know which
//! implementation answers.

use super::contract::*;
use super::store::LibraryStore;
use std::future::Future;
use std::sync::Arc;

/// The contract every library provider fulfils.
pub trait LibraryProvider: Send + Sync {
    fn branches(&self) -> impl Future<Output = Result<Vec<Branch>, ProviderError>> + Send;
    /// Records changed after a cursor, for building and updating the portal's search index.
    fn changes(&self, req: &ChangesRequest) -> impl Future<Output = Result<ChangesPage, ProviderError>> + Send;
    fn record(&self, id: &str) -> impl Future<Output = Result<BibRecord, ProviderError>> + Send;
    /// The copies of some records, with their live status.
    fn holdings(&self, req: &HoldingsRequest) -> impl Future<Output = Result<Vec<Item>, ProviderError>> + Send;
}

/// The provider chosen by configuration.
#[derive(Clone)]
pub enum Provider {
    InProcess(Arc<LibraryStore>),
}

impl LibraryProvider for Provider {
    async fn branches(&self) -> Result<Vec<Branch>, ProviderError> {
        match self {
            Provider::InProcess(p) => p.branches().await,
        }
    }
    async fn changes(&self, req: &ChangesRequest) -> Result<ChangesPage, ProviderError> {
        match self {
            Provider::InProcess(p) => p.changes(req).await,
        }
    }
    async fn record(&self, id: &str) -> Result<BibRecord, ProviderError> {
        match self {
            Provider::InProcess(p) => p.record(id).await,
        }
    }
    async fn holdings(&self, req: &HoldingsRequest) -> Result<Vec<Item>, ProviderError> {
        match self {
            Provider::InProcess(p) => p.holdings(req).await,
        }
    }
}

/// Request checks every provider applies, so both refuse the same malformed requests.
pub(crate) mod checks {
    use super::*;

    pub fn changes(req: &ChangesRequest) -> Result<(), ProviderError> {
        if req.limit == 0 || req.limit > MAX_CHANGES {
            return Err(ProviderError::BadRequest(format!("limit must be 1..={MAX_CHANGES}")));
        }
        Ok(())
    }

    pub fn record_id(id: &str) -> Result<(), ProviderError> {
        let ok = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(ProviderError::BadRequest("invalid record id".into()))
        }
    }

    pub fn holdings(req: &HoldingsRequest) -> Result<(), ProviderError> {
        if req.record_ids.len() > MAX_HOLDINGS_RECORDS {
            return Err(ProviderError::BadRequest(format!("at most {MAX_HOLDINGS_RECORDS} records")));
        }
        req.record_ids.iter().try_for_each(|id| record_id(id))
    }
}
