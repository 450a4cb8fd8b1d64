//! The in-process demo provider: the base registers as the departments would hold them, in a
//! database of their own (`data/registers.db` by default). Only this module opens that database
//! and only `db.rs` here names its tables; the portal reaches the data through
//! [`RegisterProvider`](super::RegisterProvider) like any remote department.

mod db;

use super::contract::*;
use super::demo::DemoRegisters;
use super::provider::{checks, RegisterProvider};
use crate::platform::db::DbError;
use crate::platform::Db;

pub struct RegisterStore {
    db: Db,
}

impl RegisterStore {
    /// Opens (creating if missing) the register database at `url`, a `sqlite:` URL.
    pub async fn open(url: &str) -> Result<RegisterStore, DbError> {
        let db = Db::connect(url).await?;
        db::create_schema(&db).await.map_err(DbError::Connect)?;
        Ok(RegisterStore { db })
    }

    /// The fingerprint of the data set currently installed, if any.
    pub async fn installed_fingerprint(&self) -> Result<Option<String>, sqlx::Error> {
        db::fingerprint(&self.db).await
    }

    /// Replaces all register data with `data` in one transaction.
    pub async fn install(&self, data: &DemoRegisters) -> Result<(), sqlx::Error> {
        db::replace_all(&self.db, data).await
    }

    pub async fn close(&self) {
        self.db.close().await;
    }
}

fn unavailable(err: sqlx::Error) -> ProviderError {
    tracing::error!(error = %err, "register database failed");
    ProviderError::Unavailable
}

impl RegisterProvider for RegisterStore {
    async fn person(&self, req: &PersonRequest) -> Result<PersonRecord, ProviderError> {
        let id = checks::person(req)?;
        let record = db::person(&self.db, id.as_str(), &req.fields).await.map_err(unavailable)?;
        record.map(|r| r.keep_only(&req.fields)).ok_or(ProviderError::NotFound)
    }

    async fn verify_identity(&self, req: &IdentityCheckRequest) -> Result<IdentityCheck, ProviderError> {
        let id = checks::identity(req)?;
        let name = db::person_name(&self.db, id.as_str()).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        Ok(IdentityCheck { matches: name == req.name.trim() })
    }

    async fn entity(&self, req: &EntityRequest) -> Result<EntityRecord, ProviderError> {
        let code = checks::entity(req)?;
        let record = db::entity(&self.db, code.as_str()).await.map_err(unavailable)?;
        record.map(|r| r.keep_only(&req.fields)).ok_or(ProviderError::NotFound)
    }

    async fn indicators(&self, req: &IndicatorRequest) -> Result<Vec<IndicatorSeries>, ProviderError> {
        let series = db::indicators(&self.db, &req.codes).await.map_err(unavailable)?;
        if let Some(missing) = req.codes.iter().find(|c| !series.iter().any(|s| &s.code == *c)) {
            return Err(ProviderError::BadRequest(format!("unknown indicator {missing}")));
        }
        Ok(series)
    }

    async fn places(&self, req: &PlaceRequest) -> Result<Vec<Place>, ProviderError> {
        checks::places(req)?;
        db::places(&self.db, req).await.map_err(unavailable)
    }
}
