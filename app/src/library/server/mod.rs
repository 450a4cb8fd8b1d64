//! The portal's side of the library: the configured provider and the catalogue search index
//! built from it (cached per process, kept current from the provider's change cursor).

pub mod cards;
pub mod index;
pub mod patron;
mod search;

pub use search::{record_view, search};

use super::contract::{ChangesRequest, ProviderError, MAX_CHANGES};

/// Records per changes request: a quarter of the most allowed, so a page stays well inside the
/// exchange's answer size limit when the library answers over HTTP.
const CHANGES_PAGE: u32 = MAX_CHANGES / 4;
use super::provider::{LibraryProvider, Provider};
use index::CatalogueIndex;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// The library as the portal holds it: absent when no library is configured.
#[derive(Clone, Default)]
pub struct Library {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    provider: Provider,
    /// Where the index lives on disk; `None` keeps it in memory (tests).
    index_dir: Option<PathBuf>,
    index: RwLock<Option<Arc<CatalogueIndex>>>,
    /// One update at a time.
    updating: tokio::sync::Mutex<()>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("the library did not answer: {0}")]
    Provider(#[from] ProviderError),
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("index directory: {0}")]
    Io(#[from] std::io::Error),
}

impl Library {
    pub fn new(provider: Provider, index_dir: Option<PathBuf>) -> Library {
        Library {
            inner: Some(Arc::new(Inner {
                provider,
                index_dir,
                index: RwLock::new(None),
                updating: tokio::sync::Mutex::new(()),
            })),
        }
    }

    pub fn provider(&self) -> Option<&Provider> {
        self.inner.as_ref().map(|i| &i.provider)
    }

    /// The current index, opening the one on disk on first use.
    pub fn index(&self) -> Option<Arc<CatalogueIndex>> {
        let inner = self.inner.as_ref()?;
        if let Some(index) = inner.index.read().ok()?.as_ref() {
            return Some(index.clone());
        }
        let dir = inner.index_dir.as_ref()?;
        let opened = Arc::new(CatalogueIndex::open(dir).ok()?);
        *inner.index.write().ok()? = Some(opened.clone());
        Some(opened)
    }

    /// Why the index on disk cannot be opened (built by another version of the portal, or
    /// damaged); `None` when it opens or there is none.
    pub fn index_open_error(&self) -> Option<String> {
        let dir = self.inner.as_ref()?.index_dir.as_ref()?;
        if !dir.join("meta.json").exists() {
            return None;
        }
        CatalogueIndex::open(dir).err().map(|e| e.to_string())
    }

    /// Brings the index up to date with the provider's changes since its cursor; builds it
    /// when there is none. Returns the number of records indexed.
    pub async fn update(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64, IndexError> {
        let Some(inner) = self.inner.as_ref() else { return Ok(0) };
        let _one = inner.updating.lock().await;
        let index = match self.index() {
            Some(index) => index,
            None => {
                let built = Arc::new(match &inner.index_dir {
                    Some(dir) => {
                        // Nothing usable there (none, or built by another version): start afresh.
                        // Only a directory holding an index (or nothing) is ever removed.
                        if dir.join("meta.json").exists() {
                            std::fs::remove_dir_all(dir)?;
                        }
                        CatalogueIndex::create(dir)?
                    }
                    None => CatalogueIndex::in_memory()?,
                });
                if let Ok(mut slot) = inner.index.write() {
                    *slot = Some(built.clone());
                }
                built
            }
        };
        pull_changes(&inner.provider, &index, progress).await
    }

    /// Builds a new index from every record and replaces the current one (`library reindex`).
    pub async fn rebuild(&self, progress: &mut (dyn FnMut(u64, u64) + Send)) -> Result<u64, IndexError> {
        let Some(inner) = self.inner.as_ref() else { return Ok(0) };
        let _one = inner.updating.lock().await;
        let fresh = match &inner.index_dir {
            Some(dir) => {
                let building = dir.with_extension("building");
                if building.exists() {
                    std::fs::remove_dir_all(&building)?;
                }
                let fresh = CatalogueIndex::create(&building)?;
                let count = pull_changes(&inner.provider, &fresh, progress).await?;
                drop(fresh);
                // Swap directories: the old index is removed only once the new one is complete.
                let old = dir.with_extension("old");
                if dir.exists() {
                    if old.exists() {
                        std::fs::remove_dir_all(&old)?;
                    }
                    std::fs::rename(dir, &old)?;
                }
                std::fs::rename(&building, dir)?;
                if old.exists() {
                    std::fs::remove_dir_all(&old)?;
                }
                let reopened = Arc::new(CatalogueIndex::open(dir)?);
                if let Ok(mut slot) = inner.index.write() {
                    *slot = Some(reopened);
                }
                return Ok(count);
            }
            None => Arc::new(CatalogueIndex::in_memory()?),
        };
        let count = pull_changes(&inner.provider, &fresh, progress).await?;
        if let Ok(mut slot) = inner.index.write() {
            *slot = Some(fresh);
        }
        Ok(count)
    }
}

async fn pull_changes(
    provider: &Provider,
    index: &CatalogueIndex,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<u64, IndexError> {
    let mut cursor = index.cursor();
    let mut done = 0u64;
    let mut writer = None;
    loop {
        let page = provider.changes(&ChangesRequest { cursor, limit: CHANGES_PAGE }).await?;
        if page.records.is_empty() {
            break;
        }
        let w = match writer.as_mut() {
            Some(w) => w,
            None => writer.insert(index.writer()?),
        };
        for changed in &page.records {
            index.upsert(w, changed)?;
        }
        done += page.records.len() as u64;
        cursor = page.next_cursor;
        progress(done, page.total);
    }
    if let Some(w) = writer {
        index.commit(w, cursor)?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests;
