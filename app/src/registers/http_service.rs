//! A department's register endpoint: serves any register provider through the exchange's
//! [`service`](crate::platform::exchange::service). The portal uses it to publish its demo
//! registers (`onestop providers serve`) so the HTTP path runs end to end.

use super::contract::*;
use super::provider::RegisterProvider;
use super::wire::{self, SigningKey};
use crate::platform::exchange::service::{self, answer, Answer, Dispatch};

struct Registers<P>(P);

impl<P: RegisterProvider + 'static> Dispatch for Registers<P> {
    async fn dispatch(&self, operation: &str, body: &[u8]) -> Option<Answer> {
        let p = &self.0;
        Some(match operation {
            "person" => answer(body, |r: PersonRequest| async move { p.person(&r).await }).await,
            "verify-identity" => {
                answer(body, |r: IdentityCheckRequest| async move { p.verify_identity(&r).await }).await
            }
            "entity" => answer(body, |r: EntityRequest| async move { p.entity(&r).await }).await,
            "indicators" => answer(body, |r: IndicatorRequest| async move { p.indicators(&r).await }).await,
            "places" => answer(body, |r: PlaceRequest| async move { p.places(&r).await }).await,
            _ => return None,
        })
    }
}

pub fn router<P: RegisterProvider + 'static>(provider: P, key: SigningKey) -> axum::Router {
    service::router(&wire::PROTOCOL, key, Registers(provider))
}
