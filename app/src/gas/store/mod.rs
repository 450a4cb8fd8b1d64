//! The in-process demo gas company: accounts, bills and readings as the company would hold them,
//! in a database of its own (`data/gas.db` by default). Only this module opens that database and
//! only `db.rs` here names its tables; the portal reaches it through
//! [`GasProvider`](super::GasProvider) like the company's real interface.

mod db;

use super::contract::*;
use super::demo::{self, DemoGas};
use super::provider::GasProvider;
use crate::platform::db::DbError;
use crate::platform::Db;
use time::Date;

/// The most a household's meter can plausibly turn in a day (a heating boiler running flat out).
const MOST_LITRES_PER_DAY: i64 = 60_000;

pub struct GasStore {
    db: Db,
}

impl GasStore {
    /// Opens (creating if missing) the company's database at `url`.
    pub async fn open(url: &str) -> Result<GasStore, DbError> {
        let db = Db::connect(url).await?;
        db::create_schema(&db).await.map_err(DbError::Connect)?;
        Ok(GasStore { db })
    }

    /// The fingerprint of the data set currently installed, if any.
    pub async fn installed_fingerprint(&self) -> Result<Option<String>, sqlx::Error> {
        db::meta(&self.db, "fingerprint").await
    }

    /// Replaces all of the company's data with `data` in one transaction.
    pub async fn install(&self, data: &DemoGas) -> Result<(), sqlx::Error> {
        db::replace_all(&self.db, data).await
    }

    pub async fn close(&self) {
        self.db.close().await;
    }

    async fn table(&self) -> Result<TariffTable, ProviderError> {
        let text = db::meta(&self.db, "tariffs").await.map_err(unavailable)?.ok_or(ProviderError::Unavailable)?;
        serde_json::from_str(&text).map_err(|_| ProviderError::Unavailable)
    }
}

fn unavailable(err: sqlx::Error) -> ProviderError {
    tracing::error!(error = %err, "gas company database failed");
    ProviderError::Unavailable
}

/// Account numbers are ten digits; anything else is not asked of the database.
fn well_formed(account_no: &str) -> bool {
    account_no.len() == 10 && account_no.bytes().all(|b| b.is_ascii_digit())
}

/// Today in Beijing (the company's bills and readings are dated there).
pub fn today() -> Date {
    crate::platform::time::beijing_today()
}

impl GasProvider for GasStore {
    async fn tariffs(&self) -> Result<TariffTable, ProviderError> {
        self.table().await
    }

    async fn check_holder(&self, check: &HolderCheck) -> Result<bool, ProviderError> {
        if !well_formed(&check.account_no) {
            return Ok(false);
        }
        let holder = db::holder(&self.db, &check.account_no).await.map_err(unavailable)?;
        // Digests compared in constant time: how long the comparison takes says nothing about
        // how much of a guessed name was right, nor whether the account exists.
        let digest = |name: &str| -> [u8; 32] { <sha2::Sha256 as sha2::Digest>::digest(name.trim().as_bytes()).into() };
        let given = digest(&check.holder_name);
        let registered = digest(holder.as_deref().unwrap_or(""));
        Ok(crate::platform::secrets::constant_time_eq(&given, &registered) && holder.is_some())
    }

    async fn accounts_at(&self, address: &str) -> Result<Vec<String>, ProviderError> {
        db::accounts_at(&self.db, address.trim()).await.map_err(unavailable)
    }

    async fn statement(&self, account_no: &str) -> Result<AccountStatement, ProviderError> {
        if !well_formed(account_no) {
            return Err(ProviderError::NotFound);
        }
        let mut account =
            db::account(&self.db, account_no).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        let bills = db::bills(&self.db, account_no).await.map_err(unavailable)?;
        let tariffs = demo::from_published(&self.table().await?).ok_or(ProviderError::Unavailable)?;
        let today = today();
        account.tier_year_from = demo::day_text(tariffs.year_start(today));
        account.tier_year_used = demo::tier_year_used(&tariffs, &bills, today);
        let pending_reading = db::self_reading(&self.db, account_no).await.map_err(unavailable)?;
        Ok(AccountStatement { account, bills, pending_reading })
    }

    async fn report_reading(&self, reading: &SelfReading) -> Result<Result<(), ReadingRefusal>, ProviderError> {
        let statement = self.statement(&reading.account_no).await?;
        let Some(last) = statement.bills.first() else { return Ok(Err(ReadingRefusal::BadDay)) };
        let (Some(day), Some(last_day)) = (demo::parse_day(&reading.read_on), demo::parse_day(&last.period_to)) else {
            return Ok(Err(ReadingRefusal::BadDay));
        };
        if day <= last_day || day > today() {
            return Ok(Err(ReadingRefusal::BadDay));
        }
        if reading.litres < last.end_reading {
            return Ok(Err(ReadingRefusal::BelowLast));
        }
        if reading.litres - last.end_reading > MOST_LITRES_PER_DAY * (day - last_day).whole_days() {
            return Ok(Err(ReadingRefusal::Implausible));
        }
        db::put_self_reading(&self.db, reading, crate::platform::time::now_unix()).await.map_err(unavailable)?;
        Ok(Ok(()))
    }
}
