//! All SQL of the library's database. These tables exist only in the library's own database
//! file; the portal's migrations never create them.

use super::super::contract::*;
use super::super::demo::DemoLibrary;
use crate::platform::Db;
use crate::site::Bilingual;
use sqlx::{Any, Executor, QueryBuilder};
use std::collections::BTreeMap;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS library_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS library_branches (
  code TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
  address_zh TEXT NOT NULL, address_en TEXT NOT NULL, hours_zh TEXT NOT NULL, hours_en TEXT NOT NULL,
  longitude REAL NOT NULL, latitude REAL NOT NULL);
CREATE TABLE IF NOT EXISTS bib_records (
  id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bib_items (
  barcode TEXT PRIMARY KEY NOT NULL, record_id TEXT NOT NULL REFERENCES bib_records(id), branch TEXT NOT NULL
  REFERENCES library_branches(code), call_number TEXT NOT NULL, location_zh TEXT NOT NULL, location_en TEXT NOT NULL,
  status TEXT NOT NULL, due_date TEXT);
CREATE INDEX IF NOT EXISTS bib_items_record ON bib_items(record_id);
";

/// Tables in dependency order (children last), for wiping before an install.
const TABLES: [&str; 4] = ["library_meta", "library_branches", "bib_records", "bib_items"];

/// Rows per multi-row INSERT: far below SQLite's parameter limit.
const CHUNK: usize = 200;

pub async fn create_schema(db: &Db) -> Result<(), sqlx::Error> {
    db.pool().execute(SCHEMA).await?;
    Ok(())
}

pub async fn fingerprint(db: &Db) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM library_meta WHERE key = 'fingerprint'").fetch_optional(db.pool()).await
}

fn json_error(err: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(err))
}

pub async fn replace_all(db: &Db, data: &DemoLibrary) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in TABLES.iter().rev() {
        // Table names come from the constant list above, never from input.
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    for (position, b) in data.branches.iter().enumerate() {
        sqlx::query(
            "INSERT INTO library_branches (code, position, name_zh, name_en, address_zh, address_en, hours_zh, \
             hours_en, longitude, latitude) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&b.code)
        .bind(position as i64)
        .bind(&b.name.zh)
        .bind(&b.name.en)
        .bind(&b.address.zh)
        .bind(&b.address.en)
        .bind(&b.hours.zh)
        .bind(&b.hours.en)
        .bind(b.longitude)
        .bind(b.latitude)
        .execute(&mut *tx)
        .await?;
    }
    let bodies: Vec<(usize, &BibRecord, String)> = data
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| serde_json::to_string(r).map(|body| (i, r, body)))
        .collect::<Result<_, _>>()
        .map_err(json_error)?;
    for chunk in bodies.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new("INSERT INTO bib_records (id, seq, body) ");
        q.push_values(chunk, |mut row, (i, r, body)| {
            row.push_bind(&r.id).push_bind(*i as i64 + 1).push_bind(body);
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in data.items.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO bib_items (barcode, record_id, branch, call_number, location_zh, location_en, status, due_date) ",
        );
        q.push_values(chunk, |mut row, item: &Item| {
            row.push_bind(&item.barcode)
                .push_bind(&item.record_id)
                .push_bind(&item.branch)
                .push_bind(&item.call_number)
                .push_bind(&item.location.zh)
                .push_bind(&item.location.en)
                .push_bind(item.status.code())
                .push_bind(&item.due_date);
        });
        q.build().execute(&mut *tx).await?;
    }
    sqlx::query("INSERT INTO library_meta (key, value) VALUES ('fingerprint', $1)")
        .bind(&data.fingerprint)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(db.pool()).await?;
    Ok(())
}

type BranchRow = (String, String, String, String, String, String, String, f64, f64);

pub async fn branches(db: &Db) -> Result<Vec<Branch>, sqlx::Error> {
    let rows: Vec<BranchRow> = sqlx::query_as(
        "SELECT code, name_zh, name_en, address_zh, address_en, hours_zh, hours_en, longitude, latitude \
         FROM library_branches ORDER BY position",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name_zh, name_en, address_zh, address_en, hours_zh, hours_en, longitude, latitude)| Branch {
            code,
            name: Bilingual { zh: name_zh, en: name_en },
            address: Bilingual { zh: address_zh, en: address_en },
            hours: Bilingual { zh: hours_zh, en: hours_en },
            longitude,
            latitude,
        })
        .collect())
}

pub async fn record(db: &Db, id: &str) -> Result<Option<BibRecord>, sqlx::Error> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM bib_records WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    body.map(|b| serde_json::from_str(&b).map_err(json_error)).transpose()
}

pub async fn changes(db: &Db, cursor: i64, limit: u32) -> Result<ChangesPage, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, body FROM bib_records WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(cursor)
            .bind(i64::from(limit))
            .fetch_all(db.pool())
            .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bib_records").fetch_one(db.pool()).await?;
    let next_cursor = rows.last().map(|(seq, _)| *seq).unwrap_or(cursor);
    let mut records = Vec::with_capacity(rows.len());
    for (seq, body) in rows {
        let record: BibRecord = serde_json::from_str(&body).map_err(json_error)?;
        records.push(ChangedRecord { seq, record, branches: Vec::new(), available: false });
    }
    if let (Some(first), Some(last)) = (records.first(), records.last()) {
        // The copies of the records in this page, read in one range query over the page's ids.
        let (first_seq, last_seq) = (first.seq, last.seq);
        let copies: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT i.record_id, i.branch, i.status FROM bib_items i JOIN bib_records r ON r.id = i.record_id \
             WHERE r.seq BETWEEN $1 AND $2 ORDER BY i.barcode",
        )
        .bind(first_seq)
        .bind(last_seq)
        .fetch_all(db.pool())
        .await?;
        let mut by_record: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
        for (record_id, branch, status) in copies {
            let entry = by_record.entry(record_id).or_default();
            if !entry.0.contains(&branch) {
                entry.0.push(branch);
            }
            entry.1 |= status == ItemStatus::OnShelf.code();
        }
        for changed in &mut records {
            if let Some((branches, available)) = by_record.remove(&changed.record.id) {
                changed.branches = branches;
                changed.available = available;
            }
        }
    }
    Ok(ChangesPage { records, next_cursor, total: u64::try_from(total).unwrap_or(0) })
}

type ItemRow = (String, String, String, String, String, String, String, Option<String>);

pub async fn holdings(db: &Db, record_ids: &[String]) -> Result<Vec<Item>, sqlx::Error> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Any>::new(
        "SELECT i.barcode, i.record_id, i.branch, i.call_number, i.location_zh, i.location_en, i.status, i.due_date \
         FROM bib_items i JOIN library_branches b ON b.code = i.branch WHERE i.record_id IN (",
    );
    let mut ids = q.separated(", ");
    for id in record_ids {
        ids.push_bind(id);
    }
    q.push(") ORDER BY b.position, i.barcode");
    let rows: Vec<ItemRow> = q.build_query_as().fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(barcode, record_id, branch, call_number, location_zh, location_en, status, due_date)| Item {
            barcode,
            record_id,
            branch,
            call_number,
            location: Bilingual { zh: location_zh, en: location_en },
            status: ItemStatus::from_code(&status).unwrap_or(ItemStatus::ReferenceOnly),
            due_date,
        })
        .collect())
}
