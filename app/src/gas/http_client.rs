//! The gas company's interface over the exchange's signed HTTP ([`SignedClient`]): the same
//! contract as the in-process company, with its answers checked for shape before the portal uses
//! them. A refused reading is a definite answer (200 with the refusal), not a provider error.

use super::contract::*;
use super::provider::GasProvider;
use crate::platform::exchange::client::SignedClient;
use crate::platform::exchange::wire::Protocol;

pub use crate::platform::exchange::client::ClientConfig as HttpProviderConfig;

/// `POST /gas/v1/{operation}` with the exchange headers.
pub static PROTOCOL: Protocol = Protocol::new("gas company", "/gas/v1/");

/// The operations of the contract, as they appear in the path.
pub const OPERATIONS: [&str; 5] = ["tariffs", "check-holder", "accounts-at", "statement", "report-reading"];

/// The most accounts the portal accepts at one address (a building's worth is a wrong answer).
const MOST_ACCOUNTS_AT_AN_ADDRESS: usize = 20;

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

impl GasProvider for HttpProvider {
    async fn tariffs(&self) -> Result<TariffTable, ProviderError> {
        let table: TariffTable = self.client.call("tariffs", &()).await?;
        if table.versions.is_empty() {
            return Err(invalid("a price table without prices"));
        }
        Ok(table)
    }

    async fn check_holder(&self, check: &HolderCheck) -> Result<bool, ProviderError> {
        self.client.call("check-holder", check).await
    }

    async fn accounts_at(&self, address: &str) -> Result<Vec<String>, ProviderError> {
        let found: Vec<String> = self.client.call("accounts-at", &AddressRef { address: address.to_owned() }).await?;
        if found.len() > MOST_ACCOUNTS_AT_AN_ADDRESS {
            return Err(invalid("more accounts than an address holds"));
        }
        Ok(found)
    }

    async fn statement(&self, account_no: &str) -> Result<AccountStatement, ProviderError> {
        let statement: AccountStatement =
            self.client.call("statement", &AccountRef { account_no: account_no.to_owned() }).await?;
        // Another household's statement is never shown in place of the one asked for.
        if statement.account.account_no != account_no {
            return Err(invalid("the statement of another account"));
        }
        Ok(statement)
    }

    async fn report_reading(&self, reading: &SelfReading) -> Result<Result<(), ReadingRefusal>, ProviderError> {
        self.client.call("report-reading", reading).await
    }
}
