//! The provider trait and the configured provider. Callers never know which one answers.

use super::contract::*;
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
}

impl GasProvider for Provider {
    async fn tariffs(&self) -> Result<TariffTable, ProviderError> {
        match self {
            Provider::InProcess(p) => p.tariffs().await,
        }
    }
    async fn check_holder(&self, check: &HolderCheck) -> Result<bool, ProviderError> {
        match self {
            Provider::InProcess(p) => p.check_holder(check).await,
        }
    }
    async fn accounts_at(&self, address: &str) -> Result<Vec<String>, ProviderError> {
        match self {
            Provider::InProcess(p) => p.accounts_at(address).await,
        }
    }
    async fn statement(&self, account_no: &str) -> Result<AccountStatement, ProviderError> {
        match self {
            Provider::InProcess(p) => p.statement(account_no).await,
        }
    }
    async fn report_reading(&self, reading: &SelfReading) -> Result<Result<(), ReadingRefusal>, ProviderError> {
        match self {
            Provider::InProcess(p) => p.report_reading(reading).await,
        }
    }
}
