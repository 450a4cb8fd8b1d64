//! The catalogue on the server: saving validated versions, publishing, the published snapshot
//! with its search index (rebuilt when the catalogue changes), and the working-day calendar.

pub mod db;

use super::calendar::{DayKind, WorkCalendar};
use super::model::ItemContent;
use super::search::{SearchDoc, SearchIndex};
use super::validate::{validate, Problem, Rules};
use crate::error::AppError;
use crate::platform::Db;
use std::sync::{Arc, RwLock};

/// The shared-data consumer whose grants say which register fields forms may prefill.
pub const PREFILL_CONSUMER: &str = "applications.prefill";

#[derive(Debug, Clone)]
pub struct PublishedItem {
    pub item_id: i64,
    pub version: i64,
    pub featured_rank: Option<i64>,
    /// Shared, so a page showing the item (the guide) takes a reference count, not a copy of
    /// every condition, material and step.
    pub content: Arc<ItemContent>,
}

/// The published catalogue at one moment, with its search index.
pub struct Snapshot {
    generation: (i64, i64, i64),
    pub items: Vec<PublishedItem>,
    pub index: SearchIndex,
}

impl Snapshot {
    pub fn item(&self, code: &str) -> Option<&PublishedItem> {
        self.items.iter().find(|i| i.content.code == code)
    }
}

/// The process's copy of the published catalogue. Every use asks the database whether the
/// catalogue changed (one small query), so several portal processes stay in step.
#[derive(Clone, Default)]
pub struct CatalogueCache(Arc<RwLock<Option<Arc<Snapshot>>>>);

impl CatalogueCache {
    pub async fn snapshot(&self, db: &Db) -> Result<Arc<Snapshot>, AppError> {
        let generation = db::generation(db).await?;
        let cached = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(s) = cached.filter(|s| s.generation == generation) {
            return Ok(s);
        }
        let departments = crate::departments::server::db::list(db).await?;
        let mut items = Vec::new();
        for (stored, featured_rank) in db::published(db).await? {
            match serde_json::from_str::<ItemContent>(&stored.content) {
                Ok(content) => items.push(PublishedItem {
                    item_id: stored.item_id,
                    version: stored.version,
                    featured_rank,
                    content: Arc::new(content),
                }),
                Err(err) => tracing::error!(item = stored.code, error = %err, "a published item cannot be read"),
            }
        }
        let docs = items
            .iter()
            .map(|i| {
                let department = departments.iter().find(|d| d.code == i.content.department);
                search_doc(&i.content, department.map_or("", |d| d.name.zh.as_str()))
            })
            .collect();
        let synonyms = db::synonyms(db).await?;
        // Building the index loads the segmentation dictionary the first time: keep it off the
        // async workers.
        let index = tokio::task::spawn_blocking(move || SearchIndex::new(docs, &synonyms))
            .await
            .map_err(|e| AppError::internal(&e))?;
        let snapshot = Arc::new(Snapshot { generation, items, index });
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }
}

/// What the search index knows of an item, with its department's name.
pub fn search_doc(c: &ItemContent, department_name: &str) -> SearchDoc {
    SearchDoc {
        code: c.code.clone(),
        name_zh: c.name.zh.clone(),
        name_en: c.name.en.clone(),
        aliases: c.aliases.clone(),
        keywords: c.keywords.clone(),
        materials: c.materials.iter().map(|m| m.name.clone()).collect(),
        department: department_name.to_owned(),
        summary: c.summary.zh.clone(),
        summary_en: c.summary.en.clone(),
    }
}

/// Why a version was not saved.
#[derive(Debug)]
pub enum SaveError {
    Invalid(Vec<Problem>),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for SaveError {
    fn from(err: sqlx::Error) -> Self {
        SaveError::Database(err)
    }
}

/// Checks a version against the departments that exist and the fields granted to prefill.
pub async fn check(db: &Db, item: &ItemContent) -> Result<Vec<Problem>, sqlx::Error> {
    let departments: Vec<String> =
        crate::departments::server::db::list(db).await?.into_iter().map(|d| d.code).collect();
    let prefill_fields = crate::sharing::server::db::granted_fields(db, PREFILL_CONSUMER).await?;
    Ok(validate(item, &Rules { departments: &departments, prefill_fields: &prefill_fields }))
}

/// Validates and saves `item` as the item's next version. Returns (item id, version).
pub async fn save(
    db: &Db,
    item: &ItemContent,
    staff_id: Option<i64>,
    request_id: &str,
    now: i64,
) -> Result<(i64, i64), SaveError> {
    let problems = check(db, item).await?;
    if !problems.is_empty() {
        return Err(SaveError::Invalid(problems));
    }
    let content = serde_json::to_string(item).map_err(|e| SaveError::Database(sqlx::Error::Encode(Box::new(e))))?;
    let saved = db::save_version(
        db,
        &db::SaveVersion {
            code: &item.code,
            department: &item.department,
            name_zh: &item.name.zh,
            content: &content,
            staff_id,
            request_id,
            now,
        },
    )
    .await?;
    Ok(saved)
}

/// What loading a profile's items did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ProfileLoad {
    pub published: usize,
    pub unchanged: usize,
}

/// Loads a city profile's items: each one that differs from its latest version is saved as a
/// new version and published; unchanged ones are left alone (so `seed-demo` can run again).
pub async fn load_profile_items(
    db: &Db,
    items: &[ItemContent],
    featured: &[String],
    now: i64,
) -> Result<ProfileLoad, SaveError> {
    let mut report = ProfileLoad::default();
    for item in items {
        if let Some(latest) = db::latest(db, &item.code).await? {
            let same = serde_json::from_str::<ItemContent>(&latest.content).is_ok_and(|c| &c == item);
            if same {
                report.unchanged += 1;
                continue;
            }
        }
        let (item_id, version) = save(db, item, None, "", now).await?;
        db::set_published(db, item_id, Some(version), None, "", now).await?;
        report.published += 1;
    }
    db::set_featured(db, featured).await?;
    Ok(report)
}

/// The working-day calendar from the database.
pub async fn work_calendar(db: &Db) -> Result<WorkCalendar, sqlx::Error> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let moved = db::calendar(db).await?.into_iter().filter_map(|(day, kind, _, _)| {
        let date = time::Date::parse(&day, &format).ok()?;
        let kind = match kind.as_str() {
            "holiday" => DayKind::Holiday,
            "workday" => DayKind::Workday,
            _ => return None,
        };
        Some((date, kind))
    });
    Ok(WorkCalendar::new(moved))
}

#[cfg(test)]
mod tests;
