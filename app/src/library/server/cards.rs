//! The portal's own library data: which citizen bound which library card (one each). Every read
//! and delete names the citizen, so one citizen's card is never reachable by another's request.

use crate::platform::Db;

/// The citizen's bound card number, if any.
pub async fn card_of(db: &Db, citizen: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT card_no FROM library_cards WHERE citizen_id = $1")
        .bind(citizen)
        .fetch_optional(db.pool())
        .await
}

/// Binds `card_no` to the citizen, replacing a card bound before.
pub async fn bind(db: &Db, citizen: i64, card_no: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO library_cards (citizen_id, card_no, bound_at) VALUES ($1, $2, $3) \
         ON CONFLICT (citizen_id) DO UPDATE SET card_no = $2, bound_at = $3",
    )
    .bind(citizen)
    .bind(card_no)
    .bind(at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Removes the citizen's card; false when they had none.
pub async fn unbind(db: &Db, citizen: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM library_cards WHERE citizen_id = $1").bind(citizen).execute(db.pool()).await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::platform::testing::citizen_row as citizen;

    crate::db_test!(a_citizen_has_one_card_of_their_own, |db| {
        let (me, other) = (citizen(&db, 1).await, citizen(&db, 2).await);
        bind(&db, me, "2100000001", 10).await.expect("bind");
        bind(&db, me, "2100000002", 11).await.expect("a second card replaces the first");
        assert_eq!(card_of(&db, me).await.expect("card").as_deref(), Some("2100000002"));
        assert_eq!(card_of(&db, other).await.expect("card"), None);
        assert!(!unbind(&db, other).await.expect("unbind"), "another citizen has nothing to unbind");
        assert_eq!(card_of(&db, me).await.expect("card").as_deref(), Some("2100000002"));
        assert!(unbind(&db, me).await.expect("unbind"));
        assert_eq!(card_of(&db, me).await.expect("card"), None);
    });
}
