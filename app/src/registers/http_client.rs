//! The HTTP provider: a department's register endpoint called through the exchange's
//! [`SignedClient`]; on top of its checks, answers carrying fields or records nobody asked for
//! are rejected.

use super::contract::*;
use super::provider::{checks, RegisterProvider};
use super::wire;
use crate::platform::exchange::client::SignedClient;

pub use crate::platform::exchange::client::ClientConfig as HttpProviderConfig;

pub struct HttpProvider {
    client: SignedClient,
}

impl HttpProvider {
    pub fn new(config: HttpProviderConfig) -> HttpProvider {
        HttpProvider { client: SignedClient::new(&wire::PROTOCOL, config) }
    }
}

fn only_requested<F: PartialEq + Copy>(present: Vec<F>, requested: &[F]) -> Result<(), ProviderError> {
    if present.iter().all(|f| requested.contains(f)) {
        Ok(())
    } else {
        Err(ProviderError::InvalidResponse("fields that were not requested".into()))
    }
}

impl RegisterProvider for HttpProvider {
    async fn person(&self, req: &PersonRequest) -> Result<PersonRecord, ProviderError> {
        checks::person(req)?;
        let record: PersonRecord = self.client.call("person", req).await?;
        only_requested(record.present_fields(), &req.fields)?;
        Ok(record)
    }

    async fn verify_identity(&self, req: &IdentityCheckRequest) -> Result<IdentityCheck, ProviderError> {
        checks::identity(req)?;
        self.client.call("verify-identity", req).await
    }

    async fn entity(&self, req: &EntityRequest) -> Result<EntityRecord, ProviderError> {
        checks::entity(req)?;
        let record: EntityRecord = self.client.call("entity", req).await?;
        only_requested(record.present_fields(), &req.fields)?;
        Ok(record)
    }

    async fn indicators(&self, req: &IndicatorRequest) -> Result<Vec<IndicatorSeries>, ProviderError> {
        let series: Vec<IndicatorSeries> = self.client.call("indicators", req).await?;
        if series.iter().any(|s| !req.codes.is_empty() && !req.codes.contains(&s.code)) {
            return Err(ProviderError::InvalidResponse("indicators that were not requested".into()));
        }
        Ok(series)
    }

    async fn places(&self, req: &PlaceRequest) -> Result<Vec<Place>, ProviderError> {
        checks::places(req)?;
        let places: Vec<Place> = self.client.call("places", req).await?;
        if places.len() > req.limit as usize {
            return Err(ProviderError::InvalidResponse("more places than asked for".into()));
        }
        Ok(places)
    }
}
