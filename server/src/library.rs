//! Wiring for the city library: the configured provider (its interface over signed HTTP when
//! `ONESTOP_LIBRARY_PROVIDER_URL` is set, else the demo library's own database), the portal's
//! search index over it, `onestop library reindex`, the job keeping the index current while
//! serving, and the demo library's endpoint for `providers serve`.

use crate::config::LibraryConfig;
use anyhow::Context;
use app::library::http_client::{HttpProvider, HttpProviderConfig};
use app::library::server::Library;
use app::library::store::LibraryStore;
use app::library::Provider;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// The configured library provider and the index directory.
pub async fn library(config: &LibraryConfig) -> anyhow::Result<Library> {
    let exchange = &config.exchange;
    let provider = match &exchange.remote_url {
        Some(url) => {
            let key = crate::registers::key_from(KEY, &exchange.key_id, exchange.key_hex.as_deref())?;
            Provider::Http(Arc::new(HttpProvider::new(HttpProviderConfig::new(url, key).within(exchange.timeout))))
        }
        None => Provider::InProcess(Arc::new(open(config).await?)),
    };
    Ok(Library::new(provider, Some(config.index_dir.clone())))
}

const KEY: &str = "ONESTOP_LIBRARY_PROVIDER_KEY";

async fn open(config: &LibraryConfig) -> anyhow::Result<LibraryStore> {
    LibraryStore::open(&config.database_url).await.context("cannot open the library's database")
}

/// The demo library's endpoint when its key is set; it must have been seeded.
pub async fn endpoint(config: &LibraryConfig) -> anyhow::Result<Option<axum::Router>> {
    let exchange = &config.exchange;
    if exchange.key_hex.is_none() {
        return Ok(None);
    }
    let key = crate::registers::key_from(KEY, &exchange.key_id, exchange.key_hex.as_deref())?;
    let store = open(config).await?;
    if store.installed_fingerprint().await?.is_none() {
        anyhow::bail!("the library's database is empty: run `onestop seed-demo` first");
    }
    Ok(Some(app::library::http_service::router(store, key)))
}

/// `onestop library reindex`: a new index from every record, with a progress bar on stderr.
pub async fn reindex(config: &LibraryConfig, if_missing: bool) -> anyhow::Result<()> {
    let library = library(config).await?;
    if if_missing && library.index().is_some() {
        println!("library index present ({})", config.index_dir.display());
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut stderr = std::io::stderr();
    let mut progress = |done: u64, total: u64| {
        const WIDTH: u64 = 30;
        let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
        let bar = format!("{}{}", "#".repeat(filled as usize), " ".repeat((WIDTH - filled) as usize));
        let _ = write!(stderr, "\r[{bar}] {done} / {total} records");
        let _ = stderr.flush();
    };
    let count = library.rebuild(&mut progress).await.context("reindexing the library catalogue failed")?;
    eprintln!();
    if count == 0 {
        anyhow::bail!("the library has no records: run `onestop seed-demo` first");
    }
    println!(
        "library index rebuilt: {count} records in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        config.index_dir.display()
    );
    Ok(())
}

/// While serving: pick up the library's changes (loans, returns, new records) every minute. A
/// missing index is not built here (a whole build is `onestop library reindex`): until then the
/// search page says the catalogue cannot be searched.
pub async fn keep_index_current(library: Library) {
    let mut interval = tokio::time::interval(Duration::from_secs(60));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut warned = false;
    loop {
        interval.tick().await;
        if library.index().is_none() {
            if !warned {
                match library.index_open_error() {
                    Some(error) => tracing::warn!(
                        %error,
                        "the library search index cannot be used: run `onestop library reindex` to rebuild it"
                    ),
                    None => tracing::warn!("no library search index: run `onestop library reindex`"),
                }
                warned = true;
            }
            continue;
        }
        let started = std::time::Instant::now();
        match library.update(&mut |_, _| {}).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                records = n,
                ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "library index updated"
            ),
            Err(err) => tracing::warn!(error = %err, "the library index could not be updated; will retry"),
        }
    }
}
