//! The gas company's endpoint: serves any gas provider through the exchange's
//! [`service`](crate::platform::exchange::service). The portal publishes its demo company with it
//! (`onestop providers serve`) so the HTTP path runs end to end.

use super::contract::*;
use super::http_client::PROTOCOL;
use super::provider::GasProvider;
use crate::platform::exchange::service::{self, answer, Answer, Dispatch};
use crate::platform::exchange::wire::SigningKey;

struct Company<P>(P);

impl<P: GasProvider + 'static> Dispatch for Company<P> {
    async fn dispatch(&self, operation: &str, body: &[u8]) -> Option<Answer> {
        let p = &self.0;
        Some(match operation {
            "tariffs" => answer(body, |()| async move { p.tariffs().await }).await,
            "check-holder" => answer(body, |r: HolderCheck| async move { p.check_holder(&r).await }).await,
            "accounts-at" => answer(body, |r: AddressRef| async move { p.accounts_at(&r.address).await }).await,
            "statement" => answer(body, |r: AccountRef| async move { p.statement(&r.account_no).await }).await,
            "report-reading" => answer(body, |r: SelfReading| async move { p.report_reading(&r).await }).await,
            _ => return None,
        })
    }
}

pub fn router<P: GasProvider + 'static>(provider: P, key: SigningKey) -> axum::Router {
    service::router(&PROTOCOL, key, Company(provider))
}
