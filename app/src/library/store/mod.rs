//! The in-process demo provider: the library's system over a database of its own
//! (`data/library.db` by default). Only this module opens that database and only `db.rs` here
//! names its tables; the portal reaches it through [`LibraryProvider`](super::LibraryProvider).

mod db;

use super::contract::*;
use super::demo::DemoLibrary;
use super::provider::{checks, LibraryProvider};
use crate::platform::db::DbError;
use crate::platform::Db;

pub struct LibraryStore {
    db: Db,
}

impl LibraryStore {
    /// Opens (creating if missing) the library database at `url`, a `sqlite:` URL.
    pub async fn open(url: &str) -> Result<LibraryStore, DbError> {
        let db = Db::connect(url).await?;
        db::create_schema(&db).await.map_err(DbError::Connect)?;
        Ok(LibraryStore { db })
    }

    pub async fn installed_fingerprint(&self) -> Result<Option<String>, sqlx::Error> {
        db::fingerprint(&self.db).await
    }

    /// Replaces the whole catalogue with `data` in one transaction.
    pub async fn install(&self, data: &DemoLibrary) -> Result<(), sqlx::Error> {
        db::replace_all(&self.db, data).await
    }

    pub async fn close(&self) {
        self.db.close().await;
    }
}

fn unavailable(err: sqlx::Error) -> ProviderError {
    tracing::error!(error = %err, "library database failed");
    ProviderError::Unavailable
}

impl LibraryProvider for LibraryStore {
    async fn branches(&self) -> Result<Vec<Branch>, ProviderError> {
        db::branches(&self.db).await.map_err(unavailable)
    }

    async fn changes(&self, req: &ChangesRequest) -> Result<ChangesPage, ProviderError> {
        checks::changes(req)?;
        db::changes(&self.db, req.cursor, req.limit).await.map_err(unavailable)
    }

    async fn record(&self, id: &str) -> Result<BibRecord, ProviderError> {
        checks::record_id(id)?;
        db::record(&self.db, id).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)
    }

    async fn holdings(&self, req: &HoldingsRequest) -> Result<Vec<Item>, ProviderError> {
        checks::holdings(req)?;
        db::holdings(&self.db, &req.record_ids).await.map_err(unavailable)
    }
}

#[cfg(test)]
mod tests;
