//! The provider trait and the configured provider: in-process (the demo company's own database)
//! or HTTP (the company's interface). Callers never know which one answers.

use super::contract::*;
use super::http_client::HttpProvider;
use super::store::GasStore;
use std::future::Future;
use std::sync::Arc;

/// The contract the gas company's system fulfils.
pub trait GasProvider: Send + Sync {
    fn tariffs(&self) -> impl Future<Output = Result<TariffTable, ProviderError>> + Send;
    /// Yes or no only: whether the account's holder has this name.
    fn check_holder(&self, check: &HolderCheck) -> impl Future<Output = Result<bool, ProviderError>> + Send;
    /// The accounts registered at an address, as written in the population register.
    fn accounts_at(&self, address: &str) -> impl Future<Output = Result<Vec<String>, ProviderError>> + Send;
    fn statement(&self, account_no: &str) -> impl Future<Output = Result<AccountStatement, ProviderError>> + Send;
    fn report_reading(
        &self,
        reading: &SelfReading,
    ) -> impl Future<Output = Result<Result<(), ReadingRefusal>, ProviderError>> + Send;
}

/// The company's system chosen by configuration.
#[derive(Clone)]
pub enum Provider {
    InProcess(Arc<GasStore>),
    Http(Arc<HttpProvider>),
}

macro_rules! delegate {
    ($self:ident, $method:ident $(, $arg:ident)?) => {
        match $self {
            Provider::InProcess(p) => p.$method($($arg)?).await,
            Provider::Http(p) => p.$method($($arg)?).await,
        }
    };
}

impl GasProvider for Provider {
    async fn tariffs(&self) -> Result<TariffTable, ProviderError> {
        delegate!(self, tariffs)
    }
    async fn check_holder(&self, check: &HolderCheck) -> Result<bool, ProviderError> {
        delegate!(self, check_holder, check)
    }
    async fn accounts_at(&self, address: &str) -> Result<Vec<String>, ProviderError> {
        delegate!(self, accounts_at, address)
    }
    async fn statement(&self, account_no: &str) -> Result<AccountStatement, ProviderError> {
        delegate!(self, statement, account_no)
    }
    async fn report_reading(&self, reading: &SelfReading) -> Result<Result<(), ReadingRefusal>, ProviderError> {
        delegate!(self, report_reading, reading)
    }
}
