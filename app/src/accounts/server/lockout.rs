//! Temporary lockout after repeated wrong passwords (ASVS 6.3.1, 等保 登录失败处理): one rule for
//! citizens and staff, with their own figures, and the one statement that stores the counter.

/// `after` failures within `window_secs` lock the account for `lock_secs`.
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    pub after: i64,
    pub window_secs: i64,
    pub lock_secs: i64,
}

/// Citizens: 5 failures in 15 minutes lock for 15 minutes.
pub const CITIZENS: Lockout = Lockout { after: 5, window_secs: 15 * 60, lock_secs: 15 * 60 };
/// Staff: 5 failures in 15 minutes lock for 30 minutes.
pub const STAFF: Lockout = Lockout { after: 5, window_secs: 15 * 60, lock_secs: 30 * 60 };

/// The failure counter after one more failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub first_at: i64,
    pub locked_until: Option<i64>,
}

impl Failures {
    /// What is written when there is no account to count against.
    pub const NONE: Failures = Failures { count: 0, first_at: 0, locked_until: None };
}

/// Whose failure counter: the lock lives in each kind of account's own row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accounts {
    Citizens,
    Staff,
}

/// Stores an account's counter after a failure (the result of [`Lockout::after_failure`]).
/// Without an account that may sign in (`None`: unknown, locked, disabled…) the same statement
/// runs and matches no row, so a failed sign-in costs the same whatever the account's state.
pub async fn record_failure(
    db: &crate::platform::Db,
    accounts: Accounts,
    id: Option<i64>,
    f: Failures,
) -> Result<(), sqlx::Error> {
    const NO_ROW: i64 = -1;
    let id = id.unwrap_or(NO_ROW);
    let sql = match accounts {
        Accounts::Citizens => {
            "UPDATE citizens SET failed_logins = $1, first_failed_at = $2, locked_until = $3 WHERE id = $4"
        }
        Accounts::Staff => {
            "UPDATE staff_accounts SET failed_logins = $1, first_failed_at = $2, locked_until = $3 WHERE id = $4"
        }
    };
    let mut tx = db.begin_write().await?;
    sqlx::query(sql).bind(f.count).bind(f.first_at).bind(f.locked_until).bind(id).execute(&mut *tx).await?;
    tx.commit().await
}

impl Lockout {
    /// Counts a failure at `now`, given the account's counter so far; a failure after the window
    /// starts a new count.
    pub fn after_failure(&self, count: i64, first_at: Option<i64>, now: i64) -> Failures {
        let (count, first_at) = match first_at {
            Some(first) if now - first < self.window_secs => (count + 1, first),
            _ => (1, now),
        };
        Failures { count, first_at, locked_until: (count >= self.after).then_some(now + self.lock_secs) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_in_the_window_locks_and_an_old_count_restarts() {
        let mut f = Failures { count: 0, first_at: 0, locked_until: None };
        for i in 0..4 {
            f = CITIZENS.after_failure(f.count, (i > 0).then_some(f.first_at), 1000 + i * 60);
            assert_eq!(f.locked_until, None);
        }
        f = CITIZENS.after_failure(f.count, Some(f.first_at), 1300);
        assert_eq!(f, Failures { count: 5, first_at: 1000, locked_until: Some(1300 + 15 * 60) });
        let later = CITIZENS.after_failure(4, Some(1000), 1000 + 15 * 60);
        assert_eq!(later, Failures { count: 1, first_at: 1900, locked_until: None }, "outside the window");
        assert_eq!(STAFF.after_failure(4, Some(1000), 1010).locked_until, Some(1010 + 30 * 60));
    }
}
