//! Periodic jobs when several portal instances share one database. Every instance schedules
//! every job; each run of a job (one period of its schedule: the hour, the day) is claimed with
//! one conditional write, and only the instance whose write took effect does the work. A job
//! scheduled on N instances therefore runs once per period, and keeps running while any one
//! instance is up.

use super::Db;
use std::time::Duration;

/// A job's name and how often it runs.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub job: &'static str,
    pub every: Duration,
}

impl Schedule {
    /// The period `now` falls in: whole periods since the Unix epoch.
    pub fn period(&self, now: i64) -> i64 {
        now.div_euclid(i64::try_from(self.every.as_secs().max(1)).unwrap_or(i64::MAX))
    }
}

/// Claims `period` of `job` for `holder`; `true` for exactly one caller per period, whichever
/// instance asks first. A period earlier than the last one claimed is never granted (a clock
/// behind the others' cannot run a period twice).
pub async fn claim(db: &Db, job: &str, period: i64, holder: &str, now: i64) -> Result<bool, sqlx::Error> {
    // Both PostgreSQL and SQLite: an upsert whose update only moves the row forward, so of two
    // claims of one period the second changes nothing (under PostgreSQL it waits for the first's
    // row lock, then finds the period taken).
    let changed = sqlx::query(
        "INSERT INTO job_claims (job, period, holder, claimed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (job) DO UPDATE SET period = excluded.period, holder = excluded.holder, \
         claimed_at = excluded.claimed_at WHERE job_claims.period < excluded.period",
    )
    .bind(job)
    .bind(period)
    .bind(holder)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// Which instance ran `job` last, and for which period.
pub async fn last_claim(db: &Db, job: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT period, holder FROM job_claims WHERE job = $1").bind(job).fetch_optional(db.pool()).await
}

/// A name for this process among the instances: host, process id and a random part (a restarted
/// process is another holder).
pub fn instance_name() -> String {
    use rand::Rng;
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
    format!("{host}:{}:{:08x}", std::process::id(), rand::rng().random::<u32>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;

    const HOURLY: Schedule = Schedule { job: "test-hourly", every: Duration::from_secs(3600) };

    #[test]
    fn periods_are_whole_intervals_since_the_epoch() {
        assert_eq!(HOURLY.period(0), 0);
        assert_eq!(HOURLY.period(3599), 0);
        assert_eq!(HOURLY.period(3600), 1);
        assert_eq!(HOURLY.period(1_796_598_000), 499_055);
    }

    db_test!(each_period_goes_to_exactly_one_of_many_racing_instances, |db| {
        let now = 1_796_598_000;
        for period in [10, 11, 12] {
            // Sixteen instances ask for the same period at once.
            let claims = (0..16).map(|i| {
                let db = db.clone();
                async move { claim(&db, HOURLY.job, period, &format!("instance-{i}"), now).await.expect("claim") }
            });
            let granted: Vec<bool> = futures_util::future::join_all(claims).await;
            assert_eq!(granted.iter().filter(|g| **g).count(), 1, "period {period}: {granted:?}");
            let winner = granted.iter().position(|g| *g).expect("one winner");
            let (last, holder) = last_claim(&db, HOURLY.job).await.expect("read").expect("a claim");
            assert_eq!((last, holder), (period, format!("instance-{winner}")));
        }
        assert!(!claim(&db, HOURLY.job, 12, "late", now).await.expect("claim"), "a period runs once");
        assert!(!claim(&db, HOURLY.job, 11, "behind", now).await.expect("claim"), "never an earlier period");
        assert!(claim(&db, "another-job", 12, "late", now).await.expect("claim"), "each job has its own periods");
    });
}
