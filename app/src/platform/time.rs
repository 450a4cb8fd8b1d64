//! Time as seen by the application. Timestamps are stored as Unix seconds (BIGINT) so that the
//! same SQL works on SQLite and PostgreSQL.

pub fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}
