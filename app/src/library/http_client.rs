//! The library's interface over the exchange's signed HTTP ([`SignedClient`]): the same
//! contract as the in-process demo library, with its answers checked for shape before the portal
//! uses them. Refused reservations and renewals are definite answers (200 with the refusal), not
//! provider errors.

use super::contract::*;
use super::provider::{checks, LibraryProvider};
use crate::platform::exchange::client::SignedClient;
use crate::platform::exchange::wire::Protocol;
use serde::{Deserialize, Serialize};

pub use crate::platform::exchange::client::ClientConfig as HttpProviderConfig;

/// `POST /library/v1/{operation}` with the exchange headers.
pub static PROTOCOL: Protocol = Protocol::new("library", "/library/v1/");

/// The operations of the contract, as they appear in the path.
pub const OPERATIONS: [&str; 8] =
    ["branches", "changes", "record", "holdings", "verify-patron", "patron", "reserve", "renew"];

/// The most branches the portal accepts (a city's worth; more is a wrong answer).
const MOST_BRANCHES: usize = 200;

/// Which record a call is about (the body of `record`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRef {
    pub id: String,
}

pub struct HttpProvider {
    client: SignedClient,
}

impl HttpProvider {
    pub fn new(config: HttpProviderConfig) -> HttpProvider {
        HttpProvider { client: SignedClient::new(&PROTOCOL, config) }
    }
}

fn invalid(what: &str) -> ProviderError {
    ProviderError::InvalidResponse(what.to_owned())
}

impl LibraryProvider for HttpProvider {
    async fn branches(&self) -> Result<Vec<Branch>, ProviderError> {
        let branches: Vec<Branch> = self.client.call("branches", &()).await?;
        if branches.len() > MOST_BRANCHES {
            return Err(invalid("more branches than a library has"));
        }
        Ok(branches)
    }

    async fn changes(&self, req: &ChangesRequest) -> Result<ChangesPage, ProviderError> {
        checks::changes(req)?;
        let page: ChangesPage = self.client.call("changes", req).await?;
        // Only changes after the cursor, at most as many as asked, and a cursor that moves on.
        let in_order = page.records.iter().all(|r| r.seq > req.cursor && r.seq <= page.next_cursor);
        if page.records.len() > req.limit as usize || !in_order || page.next_cursor < req.cursor {
            return Err(invalid("changes outside the page asked for"));
        }
        Ok(page)
    }

    async fn record(&self, id: &str) -> Result<BibRecord, ProviderError> {
        checks::record_id(id)?;
        let record: BibRecord = self.client.call("record", &RecordRef { id: id.to_owned() }).await?;
        if record.id != id {
            return Err(invalid("another record than the one asked for"));
        }
        Ok(record)
    }

    async fn holdings(&self, req: &HoldingsRequest) -> Result<Vec<Item>, ProviderError> {
        checks::holdings(req)?;
        let items: Vec<Item> = self.client.call("holdings", req).await?;
        if items.iter().any(|i| !req.record_ids.contains(&i.record_id)) {
            return Err(invalid("copies of records nobody asked for"));
        }
        Ok(items)
    }

    async fn verify_patron(&self, check: &PatronCheck) -> Result<bool, ProviderError> {
        checks::patron(check)?;
        self.client.call("verify-patron", check).await
    }

    async fn patron(&self, card_no: &str) -> Result<PatronAccount, ProviderError> {
        checks::card_no(card_no)?;
        let account: PatronAccount = self.client.call("patron", &CardRef { card_no: card_no.to_owned() }).await?;
        // Another reader's loans are never shown in place of the ones asked for.
        if account.card_no != card_no {
            return Err(invalid("the account of another card"));
        }
        Ok(account)
    }

    async fn reserve(&self, req: &ReserveRequest) -> Result<Result<Hold, ReserveRefusal>, ProviderError> {
        checks::reserve(req)?;
        let answer: Result<Hold, ReserveRefusal> = self.client.call("reserve", req).await?;
        if let Ok(hold) = &answer {
            if hold.barcode != req.barcode || hold.pickup_branch != req.pickup_branch {
                return Err(invalid("a hold on another copy or branch"));
            }
        }
        Ok(answer)
    }

    async fn renew(&self, req: &RenewRequest) -> Result<Result<Renewed, RenewRefusal>, ProviderError> {
        checks::renew(req)?;
        self.client.call("renew", req).await
    }
}
