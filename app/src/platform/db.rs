//! The database: one pool, created once, over SQLite (default, embedded) or PostgreSQL.
//!
//! Queries go through sqlx's `Any` driver so that one SQL string serves both backends where the
//! dialects agree (`$1` placeholders work on both). Where they differ, a feature's `db.rs` keeps
//! both versions side by side and picks one with [`Db::dialect`]. Values crossing the driver are
//! plain integers, text, floats and blobs; timestamps are Unix seconds.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Connection, Executor, Transaction};
use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (expected sqlite:… or postgres://…)")]
    UnsupportedUrl,
    #[error("cannot create the database directory {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error("unsuitable PostgreSQL server: {0}")]
    UnsuitableServer(String),
}

/// The oldest PostgreSQL major version the test suite runs on (Debian 12's); older servers are
/// refused at start-up rather than failing later on a feature they lack.
pub const OLDEST_POSTGRES_MAJOR: u32 = 15;

/// Why a PostgreSQL server cannot hold the portal's data, from what it reports about itself:
/// text must be stored as UTF-8 (names, addresses and answers are Chinese), and the version must
/// be one the suite has run on. `version_num` is `server_version_num` (e.g. 150018).
pub fn postgres_server_problem(encoding: &str, version_num: &str) -> Option<String> {
    if !encoding.eq_ignore_ascii_case("UTF8") {
        return Some(format!(
            "the database's encoding is {encoding}, but OneStop needs UTF8 \
             (create it with `CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0`)"
        ));
    }
    match version_num.trim().parse::<u32>() {
        Ok(num) if num / 10_000 >= OLDEST_POSTGRES_MAJOR => None,
        Ok(num) => Some(format!(
            "PostgreSQL {} is older than {OLDEST_POSTGRES_MAJOR}, the oldest version OneStop is tested on",
            num / 10_000
        )),
        Err(_) => Some(format!("cannot read the server's version ({version_num:?})")),
    }
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

impl Db {
    /// Connects and configures the pool. For SQLite the file (and its directory) is created if
    /// missing, and every connection gets WAL, `synchronous=FULL` (a citizen's submission must
    /// survive power loss), foreign keys and a busy timeout.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

        let backend = Backend::from_url(url).ok_or(DbError::UnsupportedUrl)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        let pool = match backend {
            // Each SQLite connection is a worker thread; a few suffice on small machines, and
            // writes are serialised by SQLite anyway.
            // A connection to a file cannot go stale the way a network one can, so it is not
            // pinged before each use: that was a second round trip to the worker per query.
            Backend::Sqlite => {
                AnyPoolOptions::new().max_connections(4).test_before_acquire(false).after_connect(|conn, _meta| {
                    Box::pin(async move {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                        Ok(())
                    })
                })
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(10),
        }
        // A connection whose transaction the database ended by itself (SQLite rolls back the
        // whole transaction on a full disk or an I/O error) still counts as inside it for sqlx,
        // whose ROLLBACK then fails: every later `begin_write` on it would fail for good, and
        // one poisoned connection of four fails a quarter of all writes. Such a connection is
        // closed instead of handed out (reading a counter; no round trip).
        .before_acquire(|conn, _meta| {
            Box::pin(async move {
                let usable = !conn.is_in_transaction();
                if !usable {
                    tracing::warn!("a database connection left inside a transaction was closed");
                }
                Ok(usable)
            })
        })
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(DbError::Connect)?;
        let db = Db { pool, backend };
        if backend == Backend::Postgres {
            db.check_postgres_server().await?;
        }
        Ok(db)
    }

    async fn check_postgres_server(&self) -> Result<(), DbError> {
        let (encoding, version): (String, String) =
            sqlx::query_as("SELECT current_setting('server_encoding'), current_setting('server_version_num')")
                .fetch_one(&self.pool)
                .await
                .map_err(DbError::Connect)?;
        match postgres_server_problem(&encoding, &version) {
            Some(problem) => Err(DbError::UnsuitableServer(problem)),
            None => Ok(()),
        }
    }

    /// Applies the backend's migrations; the numbering is the same on both.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.map_err(DbError::Migrate)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Chooses between two versions of a statement where the dialects differ.
    pub fn dialect(&self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self.backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front (`BEGIN
    /// IMMEDIATE`), so concurrent writers wait on the busy timeout instead of failing mid-way.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Whether the database answers a trivial query (for `/healthz`).
    pub async fn is_reachable(&self) -> bool {
        sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Tables and their columns (name, nullable), for checking that both backends' migrations
    /// produce the same schema shape.
    pub async fn schema_shape(&self) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
        let sql = self.dialect(
            "SELECT m.name, p.name, CASE WHEN p.\"notnull\" = 0 THEN 1 ELSE 0 END FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%' \
             ORDER BY 1, 2",
            "SELECT table_name::text, column_name::text, CAST(CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS BIGINT) \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx\\_%' \
             ORDER BY 1, 2",
        );
        let rows = sqlx::query_as::<_, (String, String, i64)>(sql).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(table, column, nullable)| (table, column, nullable == 1)).collect())
    }
}

/// Whether `err` says the database cannot answer now rather than that the request or the code is
/// wrong: the server is stopped or unreachable, the pool waited too long, the disk is full, or
/// the write lock stayed taken past the busy timeout (SQLite) / a serialisation conflict
/// (PostgreSQL). Such requests get a 503 to retry, not a 500.
pub fn is_outage(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => {
            let code = e.code().unwrap_or_default();
            if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // Extended result codes; the low byte is the primary one: BUSY, LOCKED, IOERR, FULL.
                code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6 | 10 | 13))
            } else {
                // SQLSTATE classes 08 (connection), 53 (resources: disk full, memory,
                // connections), 57P (shut down, starting up); 40001/40P01 (conflicts).
                code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57P")
                    || code == "40001"
                    || code == "40P01"
            }
        }
        _ => false,
    }
}

/// Makes sure the SQLite file's directory exists and that the file is created on first use.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| DbError::Directory { path: dir.display().to_string(), source })?;
        }
    }
    let mode = if query.contains("mode=") { String::new() } else { "mode=rwc".to_owned() };
    let query = [query, &mode].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("&");
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(prepare_sqlite_url("sqlite::memory:").ok().as_deref(), Some("sqlite://:memory:?mode=rwc"));
        assert_eq!(prepare_sqlite_url("sqlite://:memory:?mode=ro").ok().as_deref(), Some("sqlite://:memory:?mode=ro"));
    }

    #[test]
    fn backends_are_chosen_by_url() {
        assert_eq!(Backend::from_url("sqlite://data/onestop.db"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("mysql://u@h/db"), None);
    }

    #[test]
    fn postgres_servers_must_store_utf8_and_be_tested_versions() {
        assert_eq!(postgres_server_problem("UTF8", "150018"), None);
        assert_eq!(postgres_server_problem("UTF8", "170002"), None);
        let ascii = postgres_server_problem("SQL_ASCII", "150018").expect("refused");
        assert!(ascii.contains("SQL_ASCII") && ascii.contains("UTF8"), "{ascii}");
        let old = postgres_server_problem("UTF8", "140011").expect("refused");
        assert!(old.contains("14") && old.contains("15"), "{old}");
        assert!(postgres_server_problem("UTF8", "").is_some());
    }

    /// A write that cannot get SQLite's lock is an outage to retry (503); a broken constraint or
    /// bad SQL is not.
    #[tokio::test]
    async fn a_taken_write_lock_is_an_outage_and_a_constraint_is_not() {
        let dir = std::env::temp_dir().join(format!("onestop-outage-{}", std::process::id()));
        let url = format!("sqlite://{}/busy.db", dir.display());
        let db = Db::connect(&url).await.expect("connect");
        sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY)").execute(db.pool()).await.expect("create");
        let holder = db.begin_write().await.expect("first writer");
        // A second connection that does not wait for the lock at all.
        let mut other = db.pool().acquire().await.expect("second connection");
        sqlx::query("PRAGMA busy_timeout = 0").execute(&mut *other).await.expect("no wait");
        let busy = sqlx::query("INSERT INTO t (id) VALUES (1)").execute(&mut *other).await.expect_err("locked");
        assert!(is_outage(&busy), "{busy:?}");
        drop(holder);
        drop(other);
        sqlx::query("INSERT INTO t (id) VALUES (1)").execute(db.pool()).await.expect("insert");
        let duplicate = sqlx::query("INSERT INTO t (id) VALUES (1)").execute(db.pool()).await.expect_err("duplicate");
        assert!(!is_outage(&duplicate), "{duplicate:?}");
        let bad_sql = sqlx::query("SELECT nothing FROM nowhere").execute(db.pool()).await.expect_err("bad sql");
        assert!(!is_outage(&bad_sql), "{bad_sql:?}");
        db.close().await;
        assert!(is_outage(&sqlx::query("SELECT 1").execute(db.pool()).await.expect_err("closed")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
