//! The session store for tower-sessions: sessions live in the portal's database (SQLite or
//! PostgreSQL), so they survive restarts and can be listed and ended per account.

use super::time::now_unix;
use super::Db;
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

/// The session key under which the signed-in account is kept; the store copies its `kind` and
/// `id` into columns so an account's sessions can be found without reading every record.
pub const AUTH_KEY: &str = "auth";

#[derive(Debug, Clone)]
pub struct SqlSessionStore {
    db: Db,
}

impl SqlSessionStore {
    pub fn new(db: Db) -> SqlSessionStore {
        SqlSessionStore { db }
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        let n = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_unix())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}

/// A signed-in session as its owner sees it: a reference (a hash, never the session id, which
/// is a bearer secret), when it started and when it was last used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub reference: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// The reference shown for a session id.
pub fn session_reference(id: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(id.as_bytes())[..8])
}

/// An account's live sessions, most recently used first.
pub async fn sessions_of(
    db: &Db,
    kind: &str,
    account_id: i64,
    valid_after: i64,
) -> std::result::Result<Vec<SessionSummary>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT id, created_at, last_seen_at FROM sessions WHERE account_kind = $1 AND account_id = $2 \
         AND expires_at > $3 AND last_seen_at >= $4 ORDER BY last_seen_at DESC",
    )
    .bind(kind)
    .bind(account_id)
    .bind(now_unix())
    .bind(valid_after)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, created_at, last_seen_at)| SessionSummary {
            reference: session_reference(&id),
            created_at,
            last_seen_at,
        })
        .collect())
}

/// Ends one of an account's sessions, named by its reference. Returns whether one ended.
pub async fn revoke(db: &Db, kind: &str, account_id: i64, reference: &str) -> std::result::Result<bool, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sessions WHERE account_kind = $1 AND account_id = $2")
        .bind(kind)
        .bind(account_id)
        .fetch_all(db.pool())
        .await?;
    let Some(id) = ids.into_iter().find(|id| session_reference(id) == reference) else { return Ok(false) };
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Ends all but the `keep` most recently used sessions of an account (the concurrent-session
/// rule, applied at sign-in before the new session is stored). Returns how many ended.
pub async fn keep_newest(db: &Db, kind: &str, account_id: i64, keep: usize) -> std::result::Result<u64, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM sessions WHERE account_kind = $1 AND account_id = $2 ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(kind)
    .bind(account_id)
    .fetch_all(db.pool())
    .await?;
    let mut tx = db.begin_write().await?;
    let mut ended = 0;
    for id in ids.iter().skip(keep) {
        ended += sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(ended)
}

fn backend(err: sqlx::Error) -> Error {
    Error::Backend(err.to_string())
}

fn account_of(record: &Record) -> (Option<String>, Option<i64>) {
    let auth = record.data.get(AUTH_KEY);
    let kind = auth.and_then(|a| a.get("kind")).and_then(|k| k.as_str()).map(str::to_owned);
    let id = auth.and_then(|a| a.get("account_id")).and_then(|i| i.as_i64());
    (kind, id)
}

#[async_trait]
impl SessionStore for SqlSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Ids are 128-bit random; on the (astronomically unlikely) collision, draw again.
        loop {
            let exists: Option<String> = sqlx::query_scalar("SELECT id FROM sessions WHERE id = $1")
                .bind(record.id.to_string())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
            if exists.is_none() {
                break;
            }
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let (kind, account) = account_of(record);
        let now = now_unix();
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at, account_kind, account_id, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, \
             account_kind = excluded.account_kind, account_id = excluded.account_id, last_seen_at = excluded.last_seen_at",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(record.expiry_date.unix_timestamp())
        .bind(kind)
        .bind(account)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(now_unix())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
        let Some((data, expires_at)) = row else { return Ok(None) };
        let data = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp(expires_at).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let mut tx = self.db.begin_write().await.map_err(backend)?;
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }
}
