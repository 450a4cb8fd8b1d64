//! Wiring for the gas company: which provider the portal talks to (its interface over signed
//! HTTP when `ONESTOP_GAS_PROVIDER_URL` is set, else the demo company's own database), and the
//! demo company's endpoint for `providers serve`.

use crate::config::Config;
use anyhow::Context;
use app::gas::http_client::{HttpProvider, HttpProviderConfig};
use app::gas::store::GasStore;
use app::gas::Provider;
use std::sync::Arc;

const KEY: &str = "ONESTOP_GAS_PROVIDER_KEY";

pub async fn provider(config: &Config) -> anyhow::Result<Provider> {
    let exchange = &config.gas_provider;
    match &exchange.remote_url {
        Some(url) => {
            let key = crate::registers::key_from(KEY, &exchange.key_id, exchange.key_hex.as_deref())?;
            let http = HttpProviderConfig::new(url, key).within(exchange.timeout);
            Ok(Provider::Http(Arc::new(HttpProvider::new(http))))
        }
        None => Ok(Provider::InProcess(Arc::new(open(config).await?))),
    }
}

async fn open(config: &Config) -> anyhow::Result<GasStore> {
    GasStore::open(&config.gas_database_url).await.context("cannot open the gas company's database")
}

/// The demo company's endpoint when its key is set; it must have been seeded.
pub async fn endpoint(config: &Config) -> anyhow::Result<Option<axum::Router>> {
    let exchange = &config.gas_provider;
    if exchange.key_hex.is_none() {
        return Ok(None);
    }
    let key = crate::registers::key_from(KEY, &exchange.key_id, exchange.key_hex.as_deref())?;
    let store = open(config).await?;
    if store.installed_fingerprint().await?.is_none() {
        anyhow::bail!("the gas company's database is empty: run `onestop seed-demo` first");
    }
    Ok(Some(app::gas::http_service::router(store, key)))
}
