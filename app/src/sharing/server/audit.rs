//! The audit of provider calls (`data_access_log`): append with a hash chain, verify the chain,
//! purge past the retention period, and read it back for data subjects and statistics.
//!
//! The database refuses UPDATE and early DELETE itself (triggers in the migrations), so even a
//! bug or an operator with the application's credentials cannot rewrite history.

use crate::platform::{chain, Backend, Db};
use crate::sharing::model::{AccessRecord, CallStats};
use crate::site::Bilingual;
use sqlx::Row;

/// Audit rows are kept this long (网络安全法 Art. 21: at least six months). The triggers in
/// `migrations/*/0002_shared_data.sql` enforce the same figure.
pub const RETENTION_SECS: i64 = 190 * 86_400;
const _: () = assert!(RETENTION_SECS >= 183 * 86_400, "the law asks for at least six months");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: i64,
    pub consumer: String,
    pub purpose: String,
    pub basis: String,
    pub basis_ref: String,
    pub resource_code: String,
    pub operation: String,
    pub subject_kind: String,
    pub subject_ref: String,
    pub subject_display: String,
    pub fields_requested: Vec<String>,
    pub fields_returned: Vec<String>,
    pub outcome: String,
    pub latency_ms: i64,
    pub actor: String,
    pub request_id: String,
}

impl AuditEntry {
    /// The canonical content hashed into the chain: every column, unit-separated.
    fn content(&self) -> String {
        [
            self.at.to_string(),
            self.consumer.clone(),
            self.purpose.clone(),
            self.basis.clone(),
            self.basis_ref.clone(),
            self.resource_code.clone(),
            self.operation.clone(),
            self.subject_kind.clone(),
            self.subject_ref.clone(),
            self.subject_display.clone(),
            self.fields_requested.join(","),
            self.fields_returned.join(","),
            self.outcome.clone(),
            self.latency_ms.to_string(),
            self.actor.clone(),
            self.request_id.clone(),
        ]
        .join("\u{1f}")
    }
}

fn chain_hash(prev_hash: &str, entry: &AuditEntry) -> String {
    chain::link(prev_hash, &entry.content())
}

/// Appends one row, chained to the previous one. Appends are serialised so the chain has no
/// forks: SQLite's write transaction is exclusive already; PostgreSQL takes a table lock that
/// still lets readers through.
pub async fn append(db: &Db, entry: &AuditEntry) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if db.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE data_access_log IN EXCLUSIVE MODE").execute(&mut *tx).await?;
    }
    let prev: Option<String> = sqlx::query_scalar("SELECT row_hash FROM data_access_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?;
    let prev = prev.unwrap_or_else(|| chain::GENESIS.to_owned());
    let row_hash = chain_hash(&prev, entry);
    sqlx::query(
        "INSERT INTO data_access_log (at, consumer, purpose, basis, basis_ref, resource_code, operation, subject_kind, \
         subject_ref, subject_display, fields_requested, fields_returned, outcome, latency_ms, actor, request_id, \
         prev_hash, row_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(entry.at)
    .bind(&entry.consumer)
    .bind(&entry.purpose)
    .bind(&entry.basis)
    .bind(&entry.basis_ref)
    .bind(&entry.resource_code)
    .bind(&entry.operation)
    .bind(&entry.subject_kind)
    .bind(&entry.subject_ref)
    .bind(&entry.subject_display)
    .bind(entry.fields_requested.join(","))
    .bind(entry.fields_returned.join(","))
    .bind(&entry.outcome)
    .bind(entry.latency_ms)
    .bind(&entry.actor)
    .bind(&entry.request_id)
    .bind(&prev)
    .bind(&row_hash)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Deletes rows older than the retention period as of `now` (the clock is a parameter so the
/// job can be tested). Returns how many rows went. The database refuses to delete younger rows
/// whatever `now` says.
pub async fn purge(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let deleted = sqlx::query("DELETE FROM data_access_log WHERE at < $1")
        .bind(now - RETENTION_SECS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(deleted)
}

#[derive(Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub rows: u64,
    /// The id of the first row whose hash or link does not match, if any.
    pub first_broken: Option<i64>,
}

/// Recomputes the chain from the oldest remaining row (earlier ones may have been purged, so
/// its `prev_hash` is taken as given).
pub async fn verify_chain(db: &Db) -> Result<ChainReport, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, at, consumer, purpose, basis, basis_ref, resource_code, operation, subject_kind, subject_ref, \
         subject_display, fields_requested, fields_returned, outcome, latency_ms, actor, request_id, prev_hash, \
         row_hash FROM data_access_log ORDER BY id",
    )
    .fetch_all(db.pool())
    .await?;
    let split = |s: String| s.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let mut expected_prev: Option<String> = None;
    for r in &rows {
        let text = |i: usize| r.try_get::<String, _>(i);
        let id: i64 = r.try_get(0)?;
        let entry = AuditEntry {
            at: r.try_get(1)?,
            consumer: text(2)?,
            purpose: text(3)?,
            basis: text(4)?,
            basis_ref: text(5)?,
            resource_code: text(6)?,
            operation: text(7)?,
            subject_kind: text(8)?,
            subject_ref: text(9)?,
            subject_display: text(10)?,
            fields_requested: split(text(11)?),
            fields_returned: split(text(12)?),
            outcome: text(13)?,
            latency_ms: r.try_get(14)?,
            actor: text(15)?,
            request_id: text(16)?,
        };
        let (prev_hash, row_hash) = (text(17)?, text(18)?);
        let linked = expected_prev.as_deref().is_none_or(|p| p == prev_hash);
        if !linked || chain_hash(&prev_hash, &entry) != row_hash {
            return Ok(ChainReport { rows: rows.len() as u64, first_broken: Some(id) });
        }
        expected_prev = Some(row_hash);
    }
    Ok(ChainReport { rows: rows.len() as u64, first_broken: None })
}

type AccessRow = (i64, String, String, String, String, String, String, String, String, String, String, String);

/// Every access to one subject's data, newest first, with the resource and provider names, the
/// purpose of the consumer's grant, and the names of the data items consulted.
pub async fn accesses_of(db: &Db, subject_ref: &str, limit: i64) -> Result<Vec<AccessRecord>, sqlx::Error> {
    let rows: Vec<AccessRow> = sqlx::query_as(
        "SELECT l.at, l.consumer, l.basis, l.fields_requested, l.outcome, l.resource_code, \
                COALESCE(r.name_zh, l.resource_code), COALESCE(r.name_en, l.resource_code), \
                COALESCE(d.name_zh, ''), COALESCE(d.name_en, ''), \
                COALESCE(g.purpose_zh, l.purpose), COALESCE(g.purpose_en, l.purpose) \
         FROM data_access_log l \
         LEFT JOIN data_resources r ON r.code = l.resource_code \
         LEFT JOIN departments d ON d.code = r.provider_department \
         LEFT JOIN data_grants g ON g.resource_id = r.id AND g.consumer = l.consumer \
         WHERE l.subject_ref = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2",
    )
    .bind(subject_ref)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let names: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT r.code, f.field_key, f.name_zh, f.name_en FROM data_resource_fields f \
         JOIN data_resources r ON r.id = f.resource_id",
    )
    .fetch_all(db.pool())
    .await?;
    let name_of = |resource: &str, key: &str| {
        names
            .iter()
            .find(|(r, k, _, _)| r == resource && k == key)
            .map(|(_, _, zh, en)| Bilingual { zh: zh.clone(), en: en.clone() })
            .unwrap_or_else(|| Bilingual { zh: key.to_owned(), en: key.to_owned() })
    };
    Ok(rows
        .into_iter()
        .map(|r| AccessRecord {
            at: r.0,
            consumer: r.1,
            basis: r.2,
            fields: r.3.split(',').filter(|k| !k.is_empty()).map(|k| name_of(&r.5, k)).collect(),
            outcome: r.4,
            resource_name: Bilingual { zh: r.6, en: r.7 },
            provider_name: Bilingual { zh: r.8, en: r.9 },
            purpose: Bilingual { zh: r.10, en: r.11 },
        })
        .collect())
}

/// Calls per resource and consumer since `since`: volume, provider errors, refusals and the
/// 95th percentile latency (nearest rank).
pub async fn call_stats(db: &Db, since: i64) -> Result<Vec<CallStats>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT resource_code, consumer, outcome, latency_ms FROM data_access_log WHERE at >= $1 \
         ORDER BY resource_code, consumer",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await?;
    let mut stats: Vec<(CallStats, Vec<i64>)> = Vec::new();
    for (resource, consumer, outcome, latency) in rows {
        let index = match stats.iter().position(|(s, _)| s.resource_code == resource && s.consumer == consumer) {
            Some(i) => i,
            None => {
                let empty =
                    CallStats { resource_code: resource, consumer, calls: 0, errors: 0, refused: 0, p95_latency_ms: 0 };
                stats.push((empty, Vec::new()));
                stats.len() - 1
            }
        };
        let (s, latencies) = &mut stats[index];
        s.calls += 1;
        if outcome.starts_with("refused") {
            s.refused += 1;
        } else if !matches!(outcome.as_str(), "ok" | "not_found") {
            s.errors += 1;
        }
        latencies.push(latency);
    }
    Ok(stats
        .into_iter()
        .map(|(mut s, mut latencies)| {
            latencies.sort_unstable();
            let rank = ((latencies.len() as f64) * 0.95).ceil() as usize;
            s.p95_latency_ms = latencies.get(rank.saturating_sub(1)).copied().unwrap_or_default().max(0) as u64;
            s
        })
        .collect())
}
