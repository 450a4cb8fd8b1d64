//! All SQL of the gas company's database. These tables exist only in the company's own database
//! file; the portal's migrations never create them.

use super::super::contract::*;
use super::super::demo::DemoGas;
use crate::platform::Db;
use sqlx::{Any, Executor, QueryBuilder, Row};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS gas_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS gas_accounts (
  account_no TEXT PRIMARY KEY NOT NULL, holder_name TEXT NOT NULL, address TEXT NOT NULL, class TEXT NOT NULL,
  people BIGINT NOT NULL, meter_no TEXT NOT NULL, balance_fen BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS gas_accounts_at ON gas_accounts (address);
CREATE TABLE IF NOT EXISTS gas_bills (
  account_no TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL, start_reading BIGINT NOT NULL,
  end_reading BIGINT NOT NULL, end_source TEXT NOT NULL, volume BIGINT NOT NULL, lines TEXT NOT NULL,
  amount_fen BIGINT NOT NULL, due_on TEXT NOT NULL, paid_on TEXT, PRIMARY KEY (account_no, period_from));
CREATE TABLE IF NOT EXISTS gas_self_readings (
  account_no TEXT PRIMARY KEY NOT NULL, read_on TEXT NOT NULL, litres BIGINT NOT NULL, reported_at BIGINT NOT NULL);
";

/// Tables wiped before an install (table names from this constant only, never from input).
const TABLES: [&str; 4] = ["gas_meta", "gas_accounts", "gas_bills", "gas_self_readings"];

/// Rows per multi-row INSERT: far below SQLite's parameter limit, large enough to be fast.
const CHUNK: usize = 200;

pub async fn create_schema(db: &Db) -> Result<(), sqlx::Error> {
    db.pool().execute(SCHEMA).await?;
    Ok(())
}

pub async fn meta(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM gas_meta WHERE key = $1").bind(key).fetch_optional(db.pool()).await
}

pub async fn replace_all(db: &Db, data: &DemoGas) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in TABLES {
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    let table = serde_json::to_string(&data.table).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    for (key, value) in [("fingerprint", data.fingerprint.as_str()), ("tariffs", table.as_str())] {
        sqlx::query("INSERT INTO gas_meta (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    for chunk in data.accounts.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO gas_accounts (account_no, holder_name, address, class, people, meter_no, balance_fen) ",
        );
        q.push_values(chunk, |mut row, a| {
            row.push_bind(&a.account_no)
                .push_bind(&a.holder_name)
                .push_bind(&a.address)
                .push_bind(a.class.code())
                .push_bind(i64::from(a.people))
                .push_bind(&a.meter_no)
                .push_bind(a.balance_fen);
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in data.bills.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO gas_bills (account_no, period_from, period_to, start_reading, end_reading, end_source, \
             volume, lines, amount_fen, due_on, paid_on) ",
        );
        q.push_values(chunk, |mut row, (account, b)| {
            row.push_bind(account)
                .push_bind(&b.period_from)
                .push_bind(&b.period_to)
                .push_bind(b.start_reading)
                .push_bind(b.end_reading)
                .push_bind(b.end_source.code())
                .push_bind(b.volume)
                .push_bind(serde_json::to_string(&b.lines).unwrap_or_default())
                .push_bind(b.amount_fen)
                .push_bind(&b.due_on)
                .push_bind(&b.paid_on);
        });
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await
}

pub async fn holder(db: &Db, account_no: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT holder_name FROM gas_accounts WHERE account_no = $1")
        .bind(account_no)
        .fetch_optional(db.pool())
        .await
}

pub async fn accounts_at(db: &Db, address: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT account_no FROM gas_accounts WHERE address = $1 ORDER BY account_no")
        .bind(address)
        .fetch_all(db.pool())
        .await
}

/// An account as stored; the tier-year figures are filled in by the caller.
pub async fn account(db: &Db, account_no: &str) -> Result<Option<GasAccount>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT account_no, holder_name, address, class, people, meter_no, balance_fen FROM gas_accounts \
         WHERE account_no = $1",
    )
    .bind(account_no)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(GasAccount {
            account_no: r.try_get(0)?,
            holder_name: r.try_get(1)?,
            address: r.try_get(2)?,
            class: GasClass::from_code(&r.try_get::<String, _>(3)?).unwrap_or(GasClass::Cooking),
            people: u8::try_from(r.try_get::<i64, _>(4)?).unwrap_or(u8::MAX),
            meter_no: r.try_get(5)?,
            balance_fen: r.try_get(6)?,
            tier_year_from: String::new(),
            tier_year_used: 0,
        })
    })
    .transpose()
}

/// The account's bills, newest first.
pub async fn bills(db: &Db, account_no: &str) -> Result<Vec<Bill>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT period_from, period_to, start_reading, end_reading, end_source, volume, lines, amount_fen, due_on, \
         paid_on FROM gas_bills WHERE account_no = $1 ORDER BY period_from DESC",
    )
    .bind(account_no)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Bill {
                period_from: r.try_get(0)?,
                period_to: r.try_get(1)?,
                start_reading: r.try_get(2)?,
                end_reading: r.try_get(3)?,
                end_source: ReadingSource::from_code(&r.try_get::<String, _>(4)?).unwrap_or(ReadingSource::Inspector),
                volume: r.try_get(5)?,
                lines: serde_json::from_str(&r.try_get::<String, _>(6)?)
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                amount_fen: r.try_get(7)?,
                due_on: r.try_get(8)?,
                paid_on: r.try_get(9)?,
            })
        })
        .collect()
}

pub async fn self_reading(db: &Db, account_no: &str) -> Result<Option<(String, i64)>, sqlx::Error> {
    let row = sqlx::query("SELECT read_on, litres FROM gas_self_readings WHERE account_no = $1")
        .bind(account_no)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// The household's reading for the next bill; a later report replaces an earlier one.
pub async fn put_self_reading(db: &Db, reading: &SelfReading, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO gas_self_readings (account_no, read_on, litres, reported_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account_no) DO UPDATE SET read_on = excluded.read_on, litres = excluded.litres, \
         reported_at = excluded.reported_at",
    )
    .bind(&reading.account_no)
    .bind(&reading.read_on)
    .bind(reading.litres)
    .bind(at)
    .execute(db.pool())
    .await?;
    Ok(())
}
