//! The in-process demo provider: the library's system over a database of its own
//! (`data/library.db` by default). Only this module opens that database and only `db.rs` here
//! names its tables; the portal reaches it through [`LibraryProvider`](super::LibraryProvider).

mod db;

use super::contract::*;
use super::demo::{DemoLibrary, LibraryProfile};
use super::provider::{checks, LibraryProvider};
use crate::platform::db::DbError;
use crate::platform::time::{beijing_today, day_text, parse_day};
use crate::platform::Db;

pub struct LibraryStore {
    db: Db,
}

impl LibraryStore {
    /// Opens (creating if missing) the library database at `url`, a `sqlite:` URL.
    pub async fn open(url: &str) -> Result<LibraryStore, DbError> {
        let db = Db::connect(url).await?;
        db::create_schema(&db).await.map_err(DbError::Connect)?;
        Ok(LibraryStore { db })
    }

    pub async fn installed_fingerprint(&self) -> Result<Option<String>, sqlx::Error> {
        db::fingerprint(&self.db).await
    }

    /// Replaces the whole catalogue with `data` in one transaction.
    pub async fn install(&self, data: &DemoLibrary) -> Result<(), sqlx::Error> {
        db::replace_all(&self.db, data).await
    }

    /// Gives the profile's demo readers their cards, each with four loans — one renewable, one
    /// renewed to the limit, one another reader waits for (that reader's hold), one overdue —
    /// due around `today`; unless the readers installed are already these. Returns whether it
    /// installed them.
    pub async fn install_patrons(&self, profile: &LibraryProfile, today: time::Date) -> Result<bool, sqlx::Error> {
        let fingerprint = super::demo::patrons_fingerprint(profile, &day_text(today));
        if db::meta(&self.db, "patrons_fingerprint").await?.as_deref() == Some(fingerprint.as_str()) {
            return Ok(false);
        }
        let n = profile.patrons.len();
        let copies = db::copies_on_loan(&self.db, 4 * n as i64).await?;
        let due = |days: i64| day_text(today + time::Duration::days(days));
        let mut lending = db::Lending { loans: Vec::new(), holds: Vec::new() };
        for (i, (patron, four)) in profile.patrons.iter().zip(copies.chunks(4)).enumerate() {
            let plan = [(due(14), 0), (due(10), i64::from(profile.rules.max_renewals)), (due(20), 0), (due(-3), 0)];
            for ((barcode, _), (due_date, renewals)) in four.iter().zip(plan) {
                lending.loans.push((patron.card.clone(), barcode.clone(), due_date, renewals));
            }
            // The next reader waits for the third loan.
            if let (Some((barcode, branch)), true) = (four.get(2), n > 1) {
                lending.holds.push((profile.patrons[(i + 1) % n].card.clone(), barcode.clone(), branch.clone()));
            }
        }
        let rows: Vec<db::PatronRows> =
            profile.patrons.iter().map(|p| db::PatronRows { card_no: &p.card, name: &p.name, pin: &p.pin }).collect();
        db::replace_patrons(&self.db, &rows, &lending, &profile.rules, &fingerprint).await?;
        Ok(true)
    }

    async fn rules(&self) -> Result<LoanRules, ProviderError> {
        let text = db::meta(&self.db, "loan_rules").await.map_err(unavailable)?;
        match text {
            Some(text) => serde_json::from_str(&text).map_err(|_| ProviderError::Unavailable),
            None => Ok(super::demo::default_rules()),
        }
    }

    pub async fn close(&self) {
        self.db.close().await;
    }
}

fn unavailable(err: sqlx::Error) -> ProviderError {
    tracing::error!(error = %err, "library database failed");
    ProviderError::Unavailable
}

impl LibraryProvider for LibraryStore {
    async fn branches(&self) -> Result<Vec<Branch>, ProviderError> {
        db::branches(&self.db).await.map_err(unavailable)
    }

    async fn changes(&self, req: &ChangesRequest) -> Result<ChangesPage, ProviderError> {
        checks::changes(req)?;
        db::changes(&self.db, req.cursor, req.limit).await.map_err(unavailable)
    }

    async fn record(&self, id: &str) -> Result<BibRecord, ProviderError> {
        checks::record_id(id)?;
        db::record(&self.db, id).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)
    }

    async fn holdings(&self, req: &HoldingsRequest) -> Result<Vec<Item>, ProviderError> {
        checks::holdings(req)?;
        db::holdings(&self.db, &req.record_ids).await.map_err(unavailable)
    }

    async fn verify_patron(&self, check: &PatronCheck) -> Result<bool, ProviderError> {
        checks::patron(check)?;
        let stored = db::pin_of(&self.db, &check.card_no).await.map_err(unavailable)?;
        // One lookup and one digest whether the card exists or not, compared in constant time.
        let given = db::pin_digest(&check.card_no, &check.pin);
        let known = stored.as_deref().and_then(|h| hex::decode(h).ok()).unwrap_or_else(|| vec![0; 32]);
        Ok(crate::platform::secrets::constant_time_eq(&given, &known) && stored.is_some())
    }

    async fn patron(&self, card_no: &str) -> Result<PatronAccount, ProviderError> {
        checks::card_no(card_no)?;
        let name = db::patron_name(&self.db, card_no).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        let loans = db::loans(&self.db, card_no).await.map_err(unavailable)?;
        let holds = db::holds(&self.db, card_no).await.map_err(unavailable)?;
        Ok(PatronAccount {
            card_no: card_no.to_owned(),
            name,
            loans,
            holds,
            rules: self.rules().await?,
            today: day_text(beijing_today()),
        })
    }

    async fn reserve(&self, req: &ReserveRequest) -> Result<Result<Hold, ReserveRefusal>, ProviderError> {
        checks::reserve(req)?;
        db::patron_name(&self.db, &req.card_no).await.map_err(unavailable)?.ok_or(ProviderError::NotFound)?;
        let rules = self.rules().await?;
        let pickup_by = day_text(beijing_today() + time::Duration::days(i64::from(rules.pickup_days)));
        db::reserve(&self.db, req, &pickup_by).await.map_err(unavailable)
    }

    async fn renew(&self, req: &RenewRequest) -> Result<Result<Renewed, RenewRefusal>, ProviderError> {
        checks::renew(req)?;
        let rules = self.rules().await?;
        let Some((due, renewals, waiting)) =
            db::loan_of(&self.db, &req.card_no, &req.barcode).await.map_err(unavailable)?
        else {
            return Ok(Err(RenewRefusal::NotOnLoan));
        };
        let today = beijing_today();
        if parse_day(&due).is_none_or(|d| d < today) {
            return Ok(Err(RenewRefusal::Overdue));
        }
        if renewals >= i64::from(rules.max_renewals) {
            return Ok(Err(RenewRefusal::LimitReached));
        }
        if waiting {
            return Ok(Err(RenewRefusal::Reserved));
        }
        // A renewal never shortens a loan.
        let new_due =
            day_text((today + time::Duration::days(i64::from(rules.renew_days))).max(parse_day(&due).unwrap_or(today)));
        if db::renew(&self.db, &req.card_no, &req.barcode, renewals, &new_due).await.map_err(unavailable)? {
            Ok(Ok(Renewed { due_date: new_due }))
        } else {
            // Renewed meanwhile by another request: answer as the rules now stand.
            Ok(Err(RenewRefusal::LimitReached))
        }
    }
}

#[cfg(test)]
mod tests;
