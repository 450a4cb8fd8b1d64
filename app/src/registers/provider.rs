//! The provider trait and the configured provider: in-process (the demo registers' own database)
//! or HTTP (a department's endpoint). Callers never know which one answers.

use super::contract::*;
use super::http_client::HttpProvider;
use super::store::RegisterStore;
use std::future::Future;
use std::sync::Arc;

/// The contract every register provider fulfils. Implementations must return only the requested
/// fields and answer `NotFound` for unknown keys.
pub trait RegisterProvider: Send + Sync {
    fn person(&self, req: &PersonRequest) -> impl Future<Output = Result<PersonRecord, ProviderError>> + Send;
    fn verify_identity(
        &self,
        req: &IdentityCheckRequest,
    ) -> impl Future<Output = Result<IdentityCheck, ProviderError>> + Send;
    fn entity(&self, req: &EntityRequest) -> impl Future<Output = Result<EntityRecord, ProviderError>> + Send;
    fn indicators(
        &self,
        req: &IndicatorRequest,
    ) -> impl Future<Output = Result<Vec<IndicatorSeries>, ProviderError>> + Send;
    fn places(&self, req: &PlaceRequest) -> impl Future<Output = Result<Vec<Place>, ProviderError>> + Send;
}

/// The provider chosen by configuration.
#[derive(Clone)]
pub enum Provider {
    InProcess(Arc<RegisterStore>),
    Http(Arc<HttpProvider>),
}

macro_rules! delegate {
    ($self:ident, $method:ident, $req:ident) => {
        match $self {
            Provider::InProcess(p) => p.$method($req).await,
            Provider::Http(p) => p.$method($req).await,
        }
    };
}

impl RegisterProvider for Provider {
    async fn person(&self, req: &PersonRequest) -> Result<PersonRecord, ProviderError> {
        delegate!(self, person, req)
    }
    async fn verify_identity(&self, req: &IdentityCheckRequest) -> Result<IdentityCheck, ProviderError> {
        delegate!(self, verify_identity, req)
    }
    async fn entity(&self, req: &EntityRequest) -> Result<EntityRecord, ProviderError> {
        delegate!(self, entity, req)
    }
    async fn indicators(&self, req: &IndicatorRequest) -> Result<Vec<IndicatorSeries>, ProviderError> {
        delegate!(self, indicators, req)
    }
    async fn places(&self, req: &PlaceRequest) -> Result<Vec<Place>, ProviderError> {
        delegate!(self, places, req)
    }
}

/// Request checks every provider applies before touching data, so that both implementations
/// refuse the same malformed requests in the same way.
pub(crate) mod checks {
    use super::*;
    use crate::identifiers::{CreditCode, ResidentId};

    pub fn person(req: &PersonRequest) -> Result<ResidentId, ProviderError> {
        if req.fields.is_empty() {
            return Err(ProviderError::BadRequest("no fields requested".into()));
        }
        ResidentId::parse(&req.id_number).map_err(|_| ProviderError::BadRequest("invalid resident ID number".into()))
    }

    pub fn identity(req: &IdentityCheckRequest) -> Result<ResidentId, ProviderError> {
        if req.name.trim().is_empty() {
            return Err(ProviderError::BadRequest("empty name".into()));
        }
        ResidentId::parse(&req.id_number).map_err(|_| ProviderError::BadRequest("invalid resident ID number".into()))
    }

    pub fn entity(req: &EntityRequest) -> Result<CreditCode, ProviderError> {
        if req.fields.is_empty() {
            return Err(ProviderError::BadRequest("no fields requested".into()));
        }
        CreditCode::parse(&req.credit_code).map_err(|_| ProviderError::BadRequest("invalid credit code".into()))
    }

    pub fn places(req: &PlaceRequest) -> Result<(), ProviderError> {
        if req.limit == 0 || req.limit > MAX_PLACES {
            return Err(ProviderError::BadRequest(format!("limit must be 1..={MAX_PLACES}")));
        }
        if req.text.chars().count() > 64 {
            return Err(ProviderError::BadRequest("search text too long".into()));
        }
        Ok(())
    }
}
