use app::platform::testing::fresh_db;
use app::platform::Backend;

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema_shape() {
    let sqlite = fresh_db(Backend::Sqlite).await.schema_shape().await.expect("sqlite schema");
    let postgres = fresh_db(Backend::Postgres).await.schema_shape().await.expect("postgres schema");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "tables, columns and nullability must match between migrations/sqlite and migrations/postgres"
    );
}

#[tokio::test]
async fn both_backends_have_the_same_migration_numbers() {
    let names = |dir: &str| -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(dir);
        let mut names: Vec<String> = std::fs::read_dir(path)
            .expect("migrations dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names("sqlite"), names("postgres"));
}
