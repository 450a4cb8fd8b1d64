//! Test support: a fresh, migrated database per test on either backend; memory measurements in
//! a process of their own.
//!
//! SQLite gets a new file in the temp directory. PostgreSQL gets a new database on the server
//! named by `ONESTOP_TEST_POSTGRES_URL` (the test command starts a throwaway server and sets it).

use super::{Backend, Db};
use rand::Rng;

/// An active citizen row with placeholder identity fields, for data-layer tests of tables that
/// refer to citizens; `n` makes the email and reference unique in the test's database.
pub async fn citizen_row(db: &Db, n: i64) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO citizens (email, name, id_number_sealed, id_number_ref, id_number_masked, password_hash, \
         status, created_at) VALUES ($1, '测试', 'sealed', $2, 'masked', 'hash', 'active', 0) RETURNING id",
    )
    .bind(format!("citizen{n}@example.cn"))
    .bind(format!("ref-{n}"))
    .fetch_one(db.pool())
    .await
    .expect("a test citizen")
}

pub async fn fresh_db(backend: Backend) -> Db {
    let name = format!("onestop_test_{:016x}", rand::rng().random::<u64>());
    let url = match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres => {
            let admin_url = std::env::var("ONESTOP_TEST_POSTGRES_URL").unwrap_or_else(|_| {
                panic!("ONESTOP_TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts PostgreSQL")
            });
            let admin = Db::connect(&admin_url).await.unwrap_or_else(|e| panic!("cannot reach test PostgreSQL: {e}"));
            // DDL takes no bind parameters; `name` is generated above from hex digits only.
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(admin.pool())
                .await
                .unwrap_or_else(|e| panic!("cannot create test database: {e}"));
            admin.close().await;
            with_database_name(&admin_url, &name)
        }
    };
    let db = Db::connect(&url).await.unwrap_or_else(|e| panic!("cannot open test database: {e}"));
    db.migrate().await.unwrap_or_else(|e| panic!("test migrations failed: {e}"));
    db
}

/// Replaces the database name in a PostgreSQL URL, keeping any query string.
pub fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let prefix = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

/// Declares a test that runs once on SQLite and once on PostgreSQL with a fresh database.
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let $db = $crate::platform::testing::fresh_db($crate::platform::Backend::Sqlite).await;
                $body
            }
            #[tokio::test]
            async fn postgres() {
                let $db = $crate::platform::testing::fresh_db($crate::platform::Backend::Postgres).await;
                $body
            }
        }
    };
}

/// For a test that measures this process's memory: `true` in a fresh process running only
/// `test` (its full path, e.g. `uploads::a_test`), where the caller measures; otherwise runs
/// that process, fails if the measurement failed, and returns `false`. The peak resident size
/// of a process that ran other tests says nothing about this one.
pub fn measuring_in_own_process(test: &str) -> bool {
    const MARK: &str = "ONESTOP_MEASURING_TEST";
    if std::env::var(MARK).is_ok_and(|running| running == test) {
        return true;
    }
    let status = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", test, "--nocapture"])
        .env(MARK, test)
        .status()
        .expect("run the measurement");
    assert!(status.success(), "the measurement in its own process failed");
    false
}

/// Resets this process's peak resident size (`VmHWM`) to what is resident now, so a
/// measurement is not hidden under a peak reached earlier (building the input, starting up).
pub fn reset_peak_memory() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident size");
}

/// A memory figure of this process from `/proc/self/status`, in KiB (`VmRSS`: resident now,
/// `VmHWM`: the peak so far).
pub fn memory_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse().ok())
        .expect("memory field")
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(with_database_name("postgres://u@h:5/postgres", "t1"), "postgres://u@h:5/t1");
        assert_eq!(
            with_database_name("postgres://u@h/postgres?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
