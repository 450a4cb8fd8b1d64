use super::*;
use crate::accounts::StaffRole;
use crate::db_test;

db_test!(create_admin_stores_only_a_hash_of_the_token, |db| {
    let setup = create_admin(&db, "admin", "系统管理员", StaffRole::SystemAdmin).await.expect("create");
    assert_eq!(setup.token.len(), 64, "256-bit token, hex");
    let (hash, expires_at): (String, i64) = sqlx::query_as("SELECT token_hash, expires_at FROM staff_setup_tokens")
        .fetch_one(db.pool())
        .await
        .expect("row");
    assert_eq!(hash, hash_token(&setup.token));
    assert_ne!(hash, setup.token);
    assert_eq!(expires_at, setup.expires_at);
    assert!(setup.expires_at - now_unix() <= SETUP_TOKEN_LIFETIME_SECS);
    let (role, status): (String, String) =
        sqlx::query_as("SELECT role, status FROM staff_accounts WHERE username = 'admin'")
            .fetch_one(db.pool())
            .await
            .expect("account");
    assert_eq!((role.as_str(), status.as_str()), ("system_admin", "pending_setup"));
});

db_test!(create_admin_refuses_duplicates_and_bad_names, |db| {
    create_admin(&db, "admin", "A", StaffRole::SystemAdmin).await.expect("first");
    assert!(matches!(
        create_admin(&db, "admin", "B", StaffRole::AuditAdmin).await,
        Err(CreateAdminError::UsernameTaken(_))
    ));
    assert!(matches!(
        create_admin(&db, "Bad Name", "C", StaffRole::SystemAdmin).await,
        Err(CreateAdminError::InvalidUsername)
    ));
    assert!(matches!(
        create_admin(&db, "clerk", "D", StaffRole::WindowClerk).await,
        Err(CreateAdminError::NotAnAdminRole)
    ));
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM staff_accounts").fetch_one(db.pool()).await.expect("count");
    assert_eq!(count, 1);
});
