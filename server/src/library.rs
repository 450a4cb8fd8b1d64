//! Wiring for the city library: the configured provider, the portal's search index over it,
//! `onestop library reindex`, and the job keeping the index current while serving.

use crate::config::{LibraryConfig, LibraryProviderConfig};
use anyhow::Context;
use app::library::server::Library;
use app::library::store::LibraryStore;
use app::library::Provider;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// The configured library provider and the index directory.
pub async fn library(config: &LibraryConfig) -> anyhow::Result<Library> {
    let provider = match &config.provider {
        LibraryProviderConfig::InProcess { database_url } => {
            let store = LibraryStore::open(database_url).await.context("cannot open the library's database")?;
            Provider::InProcess(Arc::new(store))
        }
    };
    Ok(Library::new(provider, Some(config.index_dir.clone())))
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
                tracing::warn!("no library search index: run `onestop library reindex`");
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
