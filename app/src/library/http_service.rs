//! The library's endpoint: serves any library provider through the exchange's
//! [`service`](crate::platform::exchange::service). The portal publishes its demo library with it
//! (`onestop providers serve`) so the HTTP path runs end to end.

use super::contract::*;
use super::http_client::{RecordRef, PROTOCOL};
use super::provider::LibraryProvider;
use crate::platform::exchange::service::{self, answer, Answer, Dispatch};
use crate::platform::exchange::wire::SigningKey;

struct Library<P>(P);

impl<P: LibraryProvider + 'static> Dispatch for Library<P> {
    async fn dispatch(&self, operation: &str, body: &[u8]) -> Option<Answer> {
        let p = &self.0;
        Some(match operation {
            "branches" => answer(body, |()| async move { p.branches().await }).await,
            "changes" => answer(body, |r: ChangesRequest| async move { p.changes(&r).await }).await,
            "record" => answer(body, |r: RecordRef| async move { p.record(&r.id).await }).await,
            "holdings" => answer(body, |r: HoldingsRequest| async move { p.holdings(&r).await }).await,
            "verify-patron" => answer(body, |r: PatronCheck| async move { p.verify_patron(&r).await }).await,
            "patron" => answer(body, |r: CardRef| async move { p.patron(&r.card_no).await }).await,
            "reserve" => answer(body, |r: ReserveRequest| async move { p.reserve(&r).await }).await,
            "renew" => answer(body, |r: RenewRequest| async move { p.renew(&r).await }).await,
            _ => return None,
        })
    }
}

pub fn router<P: LibraryProvider + 'static>(provider: P, key: SigningKey) -> axum::Router {
    service::router(&PROTOCOL, key, Library(provider))
}
