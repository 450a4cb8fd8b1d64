//! The portal's own gas data: which citizen bound which account number. Every read and delete
//! names the citizen, so one citizen's binding is never reachable by another's request.

use crate::platform::Db;

/// The citizen's bound account numbers, in the order bound.
pub async fn bindings(db: &Db, citizen: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT account_no FROM gas_bindings WHERE citizen_id = $1 ORDER BY id")
        .bind(citizen)
        .fetch_all(db.pool())
        .await
}

/// Whether `account_no` is bound by this citizen.
pub async fn is_bound(db: &Db, citizen: i64, account_no: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM gas_bindings WHERE citizen_id = $1 AND account_no = $2")
            .bind(citizen)
            .bind(account_no)
            .fetch_optional(db.pool())
            .await?;
    Ok(found.is_some())
}

/// Binds `account_no` to the citizen; binding it again changes nothing.
pub async fn bind(db: &Db, citizen: i64, account_no: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO gas_bindings (citizen_id, account_no, bound_at) VALUES ($1, $2, $3) \
         ON CONFLICT (citizen_id, account_no) DO NOTHING",
    )
    .bind(citizen)
    .bind(account_no)
    .bind(at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Removes the citizen's binding of `account_no`; false when they had none.
pub async fn unbind(db: &Db, citizen: i64, account_no: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM gas_bindings WHERE citizen_id = $1 AND account_no = $2")
        .bind(citizen)
        .bind(account_no)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::platform::testing::citizen_row as citizen;

    crate::db_test!(bindings_belong_to_their_citizen_only, |db| {
        let (me, other) = (citizen(&db, 1).await, citizen(&db, 2).await);
        bind(&db, me, "3100000001", 10).await.expect("bind");
        bind(&db, me, "3100000002", 11).await.expect("bind");
        bind(&db, me, "3100000001", 12).await.expect("binding again changes nothing");
        assert_eq!(bindings(&db, me).await.expect("list"), ["3100000001", "3100000002"]);
        assert!(bindings(&db, other).await.expect("list").is_empty());
        assert!(is_bound(&db, me, "3100000001").await.expect("bound"));
        assert!(!is_bound(&db, other, "3100000001").await.expect("not theirs"));
        assert!(!unbind(&db, other, "3100000001").await.expect("unbind"), "another citizen cannot unbind mine");
        assert!(is_bound(&db, me, "3100000001").await.expect("still bound"));
        // The same account may be bound by another member of the household.
        bind(&db, other, "3100000001", 13).await.expect("bind");
        assert!(unbind(&db, me, "3100000001").await.expect("unbind"));
        assert_eq!(bindings(&db, me).await.expect("list"), ["3100000002"]);
        assert!(is_bound(&db, other, "3100000001").await.expect("theirs stays"));
    });
}
