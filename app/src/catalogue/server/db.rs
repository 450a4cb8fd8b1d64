//! All SQL for the service catalogue and the working-day calendar.

use crate::catalogue::search::Synonym;
use crate::platform::Db;

/// One saved version as stored: the item's JSON and where it belongs.
#[derive(Debug, Clone)]
pub struct StoredVersion {
    pub item_id: i64,
    pub code: String,
    pub version: i64,
    pub content: String,
}

pub struct SaveVersion<'a> {
    pub code: &'a str,
    pub department: &'a str,
    pub name_zh: &'a str,
    pub content: &'a str,
    pub staff_id: Option<i64>,
    pub request_id: &'a str,
    pub now: i64,
}

/// Saves a new version (the item is created with its first); earlier versions stay as they were.
/// Returns (item id, version).
pub async fn save_version(db: &Db, v: &SaveVersion<'_>) -> Result<(i64, i64), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let existing: Option<(i64, i64)> = sqlx::query_as("SELECT id, latest_version FROM service_items WHERE code = $1")
        .bind(v.code)
        .fetch_optional(&mut *tx)
        .await?;
    let (item_id, version) = match existing {
        Some((id, latest)) => {
            sqlx::query(
                "UPDATE service_items SET latest_version = $1, department_code = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(latest + 1)
            .bind(v.department)
            .bind(v.now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            (id, latest + 1)
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO service_items (code, department_code, latest_version, created_at, updated_at) \
                 VALUES ($1, $2, 1, $3, $3) RETURNING id",
            )
            .bind(v.code)
            .bind(v.department)
            .bind(v.now)
            .fetch_one(&mut *tx)
            .await?;
            (id, 1)
        }
    };
    sqlx::query(
        "INSERT INTO service_item_versions (item_id, version, name_zh, content, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(item_id)
    .bind(version)
    .bind(v.name_zh)
    .bind(v.content)
    .bind(v.now)
    .bind(v.staff_id)
    .execute(&mut *tx)
    .await?;
    insert_event(&mut tx, v.now, item_id, version, "saved", v.staff_id, v.request_id).await?;
    tx.commit().await?;
    Ok((item_id, version))
}

async fn insert_event(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    at: i64,
    item_id: i64,
    version: i64,
    action: &str,
    staff_id: Option<i64>,
    request_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO service_item_events (at, item_id, version, action, staff_id, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(item_id)
    .bind(version)
    .bind(action)
    .bind(staff_id)
    .bind(request_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes `version` the one citizens see (or, with `None`, withdraws the item). Returns false when
/// the item has no such version.
pub async fn set_published(
    db: &Db,
    item_id: i64,
    version: Option<i64>,
    staff_id: Option<i64>,
    request_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let current: Option<Option<i64>> = sqlx::query_scalar("SELECT published_version FROM service_items WHERE id = $1")
        .bind(item_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(current) = current else { return Ok(false) };
    if let Some(v) = version {
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT version FROM service_item_versions WHERE item_id = $1 AND version = $2")
                .bind(item_id)
                .bind(v)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Ok(false);
        }
    }
    sqlx::query("UPDATE service_items SET published_version = $1, updated_at = $2 WHERE id = $3")
        .bind(version)
        .bind(now)
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
    let (action, logged) = match version {
        Some(v) => ("published", v),
        None => ("unpublished", current.unwrap_or(0)),
    };
    insert_event(&mut tx, now, item_id, logged, action, staff_id, request_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// The newest saved version of an item, published or not.
pub async fn latest(db: &Db, code: &str) -> Result<Option<StoredVersion>, sqlx::Error> {
    let row: Option<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT i.id, i.code, v.version, v.content FROM service_items i \
         JOIN service_item_versions v ON v.item_id = i.id AND v.version = i.latest_version WHERE i.code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(item_id, code, version, content)| StoredVersion { item_id, code, version, content }))
}

/// One version of an item (the one an application was made under, for instance).
pub async fn version(db: &Db, code: &str, version: i64) -> Result<Option<StoredVersion>, sqlx::Error> {
    let row: Option<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT i.id, i.code, v.version, v.content FROM service_items i \
         JOIN service_item_versions v ON v.item_id = i.id WHERE i.code = $1 AND v.version = $2",
    )
    .bind(code)
    .bind(version)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(item_id, code, version, content)| StoredVersion { item_id, code, version, content }))
}

/// Every published item's published version, with its featured rank.
pub async fn published(db: &Db) -> Result<Vec<(StoredVersion, Option<i64>)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT i.id, i.code, v.version, v.content, i.featured_rank FROM service_items i \
         JOIN service_item_versions v ON v.item_id = i.id AND v.version = i.published_version ORDER BY i.code",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(item_id, code, version, content, rank)| (StoredVersion { item_id, code, version, content }, rank))
        .collect())
}

/// (code, name of the latest version, latest version, published version, department), by code:
/// the staff list.
pub type ItemListRow = (String, String, i64, Option<i64>, String);

pub async fn all_items(db: &Db) -> Result<Vec<ItemListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.code, v.name_zh, i.latest_version, i.published_version, i.department_code FROM service_items i \
         JOIN service_item_versions v ON v.item_id = i.id AND v.version = i.latest_version ORDER BY i.code",
    )
    .fetch_all(db.pool())
    .await
}

/// Sets the order of featured items (the home page's popular services): rank 1 first.
pub async fn set_featured(db: &Db, codes: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let now = crate::platform::time::now_unix();
    sqlx::query("UPDATE service_items SET featured_rank = NULL, updated_at = $1 WHERE featured_rank IS NOT NULL")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    for (rank, code) in codes.iter().enumerate() {
        sqlx::query("UPDATE service_items SET featured_rank = $1, updated_at = $2 WHERE code = $3")
            .bind(i64::try_from(rank).unwrap_or(i64::MAX) + 1)
            .bind(now)
            .bind(code)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// Changes to the catalogue since a snapshot: every save and publication adds an event,
/// featuring touches `updated_at`, and replacing the synonym list raises its revision.
pub async fn generation(db: &Db) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM service_item_events), \
         (SELECT COALESCE(MAX(updated_at), 0) FROM service_items), \
         (SELECT COALESCE(MAX(revision), 0) FROM search_synonyms)",
    )
    .fetch_one(db.pool())
    .await
}

/// The search synonym list, in the editors' order.
pub async fn synonyms(db: &Db) -> Result<Vec<Synonym>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT say, means FROM search_synonyms ORDER BY position").fetch_all(db.pool()).await?;
    rows.into_iter()
        .map(|(say, means)| {
            Ok(Synonym {
                say: serde_json::from_str(&say).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                means: serde_json::from_str(&means).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
            })
        })
        .collect()
}

/// Replaces the synonym list unless it is the same. Returns whether it changed. The new
/// revision is the current time, or one more than the last if that is later, so it grows even
/// after the list was emptied.
pub async fn replace_synonyms(db: &Db, list: &[Synonym], now: i64) -> Result<bool, sqlx::Error> {
    if synonyms(db).await? == list {
        return Ok(false);
    }
    let mut tx = db.begin_write().await?;
    let last: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(revision), 0) FROM search_synonyms").fetch_one(&mut *tx).await?;
    let revision = now.max(last + 1);
    sqlx::query("DELETE FROM search_synonyms").execute(&mut *tx).await?;
    for (position, entry) in list.iter().enumerate() {
        let encode = |words: &Vec<String>| serde_json::to_string(words).map_err(|e| sqlx::Error::Encode(Box::new(e)));
        sqlx::query("INSERT INTO search_synonyms (position, say, means, revision) VALUES ($1, $2, $3, $4)")
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(encode(&entry.say)?)
            .bind(encode(&entry.means)?)
            .bind(revision)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// (day `YYYY-MM-DD`, kind, name, source) for every moved date.
pub type CalendarRow = (String, String, String, String);

pub async fn calendar(db: &Db) -> Result<Vec<CalendarRow>, sqlx::Error> {
    sqlx::query_as("SELECT day, kind, name, source FROM calendar_days ORDER BY day").fetch_all(db.pool()).await
}

/// Adds or changes one moved date.
pub async fn set_calendar_day(
    db: &Db,
    day: &str,
    kind: &str,
    name: &str,
    source: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, name, source, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, source = excluded.source, \
         updated_at = excluded.updated_at",
    )
    .bind(day)
    .bind(kind)
    .bind(name)
    .bind(source)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Makes a date ordinary again (a weekday works, a weekend rests).
pub async fn clear_calendar_day(db: &Db, day: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(&mut *tx).await?.rows_affected();
    tx.commit().await?;
    Ok(n > 0)
}
