//! The bus company's timetable system: its GTFS feed as the company would hold it, in a
//! database of its own (`data/bus.db` by default). Only this module opens that database and
//! only `db.rs` here names its tables; the portal reads the timetable through it like any
//! other organisation's system.

mod db;
#[cfg(test)]
mod tests;

use super::gtfs::{self, Feed, Files, Report};
use crate::platform::db::DbError;
use crate::platform::Db;

pub struct BusStore {
    db: Db,
}

/// Why an import did not replace the feed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the feed has {} problem(s); nothing was imported", .0.errors.len())]
    Invalid(Report),
    #[error("the bus database refused the feed: {0}")]
    Database(#[from] sqlx::Error),
}

/// What an accepted import wrote, with the warnings it gave.
#[derive(Debug)]
pub struct Imported {
    pub counts: Vec<(&'static str, i64)>,
    pub warnings: Vec<gtfs::Problem>,
}

impl BusStore {
    /// Opens (creating if missing) the company's database at `url`.
    pub async fn open(url: &str) -> Result<BusStore, DbError> {
        let db = Db::connect(url).await?;
        Self::over(db).await.map_err(DbError::Connect)
    }

    /// The store over an open database (tests use a fresh one of either backend).
    pub async fn over(db: Db) -> Result<BusStore, sqlx::Error> {
        db::create_schema(&db).await?;
        Ok(BusStore { db })
    }

    /// Validates `files` and, only if they hold no error, replaces the stored feed with them in
    /// one transaction. `progress(done, total)` hears of the rows written.
    pub async fn import(
        &self,
        files: &Files,
        source: &str,
        imported_at: i64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Imported, ImportError> {
        let (feed, report) = gtfs::read(files).map_err(ImportError::Invalid)?;
        self.install(&feed, source, imported_at, progress).await?;
        Ok(Imported { counts: db::counts(&self.db).await?, warnings: report.warnings })
    }

    /// Replaces the stored feed with an already validated one.
    async fn install(
        &self,
        feed: &Feed,
        source: &str,
        imported_at: i64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(), sqlx::Error> {
        let meta = [("source", source.to_owned()), ("imported_at", imported_at.to_string())];
        let total = feed.row_count() + meta.len() as u64;
        let mut done = 0;
        db::replace_feed(&self.db, feed, &meta, &mut |rows| {
            done += rows;
            progress(done, total);
        })
        .await
    }

    /// Rows per table of the stored feed.
    pub async fn counts(&self) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
        db::counts(&self.db).await
    }

    /// Where the stored feed came from (`None` before the first import).
    pub async fn source(&self) -> Result<Option<String>, sqlx::Error> {
        db::meta(&self.db, "source").await
    }

    /// The whole stored feed, for the portal's in-memory timetable.
    pub async fn feed(&self) -> Result<Feed, sqlx::Error> {
        db::load_feed(&self.db).await
    }

    pub async fn close(&self) {
        self.db.close().await;
    }
}
