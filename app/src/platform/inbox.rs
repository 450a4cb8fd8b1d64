//! The citizen's in-site inbox as every page's header sees it: how many messages are unread.
//! Features write the messages (applications: one per status change, in the change's
//! transaction); the header only counts them.

use super::Db;

pub async fn unread_count(db: &Db, citizen_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE citizen_id = $1 AND read_at IS NULL")
        .bind(citizen_id)
        .fetch_one(db.pool())
        .await
}
