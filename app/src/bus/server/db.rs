//! The portal's own bus data: a citizen's favourite stops. Every query is keyed by the
//! session's citizen, so one citizen never reads or removes another's.

use crate::platform::Db;

/// How many stops one citizen may keep.
pub const MAX_FAVOURITES: i64 = 20;

/// The citizen's favourite stop ids, oldest first.
pub async fn favourites(db: &Db, citizen_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT stop_id FROM bus_favourites WHERE citizen_id = $1 ORDER BY added_at, stop_id")
        .bind(citizen_id)
        .fetch_all(db.pool())
        .await
}

/// Adds a stop; `false` when the citizen already keeps the most allowed.
pub async fn add_favourite(db: &Db, citizen_id: i64, stop_id: &str, at: i64) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bus_favourites WHERE citizen_id = $1")
        .bind(citizen_id)
        .fetch_one(db.pool())
        .await?;
    if count >= MAX_FAVOURITES {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO bus_favourites (citizen_id, stop_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (citizen_id, stop_id) DO NOTHING",
    )
    .bind(citizen_id)
    .bind(stop_id)
    .bind(at)
    .execute(db.pool())
    .await?;
    Ok(true)
}

/// Removes one of the citizen's own stops; `false` when they had no such favourite.
pub async fn remove_favourite(db: &Db, citizen_id: i64, stop_id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM bus_favourites WHERE citizen_id = $1 AND stop_id = $2")
        .bind(citizen_id)
        .bind(stop_id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}
