//! All SQL of the library's database. These tables exist only in the library's own database
//! file; the portal's migrations never create them.

use super::super::contract::*;
use super::super::demo::DemoLibrary;
use crate::platform::Db;
use crate::site::Bilingual;
use sqlx::{Any, Executor, QueryBuilder};
use std::collections::BTreeMap;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS library_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS library_branches (
  code TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
  address_zh TEXT NOT NULL, address_en TEXT NOT NULL, hours_zh TEXT NOT NULL, hours_en TEXT NOT NULL,
  longitude REAL NOT NULL, latitude REAL NOT NULL);
CREATE TABLE IF NOT EXISTS bib_records (
  id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bib_items (
  barcode TEXT PRIMARY KEY NOT NULL, record_id TEXT NOT NULL REFERENCES bib_records(id), branch TEXT NOT NULL
  REFERENCES library_branches(code), call_number TEXT NOT NULL, location_zh TEXT NOT NULL, location_en TEXT NOT NULL,
  status TEXT NOT NULL, due_date TEXT);
CREATE INDEX IF NOT EXISTS bib_items_record ON bib_items(record_id);
CREATE TABLE IF NOT EXISTS library_patrons (
  card_no TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, pin_digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS library_loans (
  barcode TEXT PRIMARY KEY NOT NULL REFERENCES bib_items(barcode),
  card_no TEXT NOT NULL REFERENCES library_patrons(card_no), due_date TEXT NOT NULL,
  renewals INTEGER NOT NULL CHECK (renewals >= 0));
CREATE INDEX IF NOT EXISTS library_loans_card ON library_loans(card_no);
CREATE TABLE IF NOT EXISTS library_holds (
  barcode TEXT PRIMARY KEY NOT NULL REFERENCES bib_items(barcode),
  card_no TEXT NOT NULL REFERENCES library_patrons(card_no),
  pickup_branch TEXT NOT NULL REFERENCES library_branches(code), pickup_by TEXT);
CREATE INDEX IF NOT EXISTS library_holds_card ON library_holds(card_no);
";

/// Tables in dependency order (children last), for wiping before an install.
const TABLES: [&str; 7] = [
    "library_meta",
    "library_branches",
    "bib_records",
    "bib_items",
    "library_patrons",
    "library_loans",
    "library_holds",
];

/// Rows per multi-row INSERT: far below SQLite's parameter limit.
const CHUNK: usize = 200;

pub async fn create_schema(db: &Db) -> Result<(), sqlx::Error> {
    db.pool().execute(SCHEMA).await?;
    Ok(())
}

pub async fn fingerprint(db: &Db) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM library_meta WHERE key = 'fingerprint'").fetch_optional(db.pool()).await
}

fn json_error(err: serde_json::Error) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(err))
}

pub async fn replace_all(db: &Db, data: &DemoLibrary) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in TABLES.iter().rev() {
        // Table names come from the constant list above, never from input.
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    for (position, b) in data.branches.iter().enumerate() {
        sqlx::query(
            "INSERT INTO library_branches (code, position, name_zh, name_en, address_zh, address_en, hours_zh, \
             hours_en, longitude, latitude) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&b.code)
        .bind(position as i64)
        .bind(&b.name.zh)
        .bind(&b.name.en)
        .bind(&b.address.zh)
        .bind(&b.address.en)
        .bind(&b.hours.zh)
        .bind(&b.hours.en)
        .bind(b.longitude)
        .bind(b.latitude)
        .execute(&mut *tx)
        .await?;
    }
    let bodies: Vec<(usize, &BibRecord, String)> = data
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| serde_json::to_string(r).map(|body| (i, r, body)))
        .collect::<Result<_, _>>()
        .map_err(json_error)?;
    for chunk in bodies.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new("INSERT INTO bib_records (id, seq, body) ");
        q.push_values(chunk, |mut row, (i, r, body)| {
            row.push_bind(&r.id).push_bind(*i as i64 + 1).push_bind(body);
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in data.items.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO bib_items (barcode, record_id, branch, call_number, location_zh, location_en, status, due_date) ",
        );
        q.push_values(chunk, |mut row, item: &Item| {
            row.push_bind(&item.barcode)
                .push_bind(&item.record_id)
                .push_bind(&item.branch)
                .push_bind(&item.call_number)
                .push_bind(&item.location.zh)
                .push_bind(&item.location.en)
                .push_bind(item.status.code())
                .push_bind(&item.due_date);
        });
        q.build().execute(&mut *tx).await?;
    }
    sqlx::query("INSERT INTO library_meta (key, value) VALUES ('fingerprint', $1)")
        .bind(&data.fingerprint)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(db.pool()).await?;
    Ok(())
}

type BranchRow = (String, String, String, String, String, String, String, f64, f64);

pub async fn branches(db: &Db) -> Result<Vec<Branch>, sqlx::Error> {
    let rows: Vec<BranchRow> = sqlx::query_as(
        "SELECT code, name_zh, name_en, address_zh, address_en, hours_zh, hours_en, longitude, latitude \
         FROM library_branches ORDER BY position",
    )
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name_zh, name_en, address_zh, address_en, hours_zh, hours_en, longitude, latitude)| Branch {
            code,
            name: Bilingual { zh: name_zh, en: name_en },
            address: Bilingual { zh: address_zh, en: address_en },
            hours: Bilingual { zh: hours_zh, en: hours_en },
            longitude,
            latitude,
        })
        .collect())
}

pub async fn record(db: &Db, id: &str) -> Result<Option<BibRecord>, sqlx::Error> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT body FROM bib_records WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    body.map(|b| serde_json::from_str(&b).map_err(json_error)).transpose()
}

pub async fn changes(db: &Db, cursor: i64, limit: u32) -> Result<ChangesPage, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT seq, body FROM bib_records WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(cursor)
            .bind(i64::from(limit))
            .fetch_all(db.pool())
            .await?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bib_records").fetch_one(db.pool()).await?;
    let next_cursor = rows.last().map(|(seq, _)| *seq).unwrap_or(cursor);
    let mut records = Vec::with_capacity(rows.len());
    for (seq, body) in rows {
        let record: BibRecord = serde_json::from_str(&body).map_err(json_error)?;
        records.push(ChangedRecord { seq, record, branches: Vec::new(), available: false });
    }
    if let (Some(first), Some(last)) = (records.first(), records.last()) {
        // The copies of the records in this page, read in one range query over the page's ids.
        let (first_seq, last_seq) = (first.seq, last.seq);
        let copies: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT i.record_id, i.branch, i.status FROM bib_items i JOIN bib_records r ON r.id = i.record_id \
             WHERE r.seq BETWEEN $1 AND $2 ORDER BY i.barcode",
        )
        .bind(first_seq)
        .bind(last_seq)
        .fetch_all(db.pool())
        .await?;
        let mut by_record: BTreeMap<String, (Vec<String>, bool)> = BTreeMap::new();
        for (record_id, branch, status) in copies {
            let entry = by_record.entry(record_id).or_default();
            if !entry.0.contains(&branch) {
                entry.0.push(branch);
            }
            entry.1 |= status == ItemStatus::OnShelf.code();
        }
        for changed in &mut records {
            if let Some((branches, available)) = by_record.remove(&changed.record.id) {
                changed.branches = branches;
                changed.available = available;
            }
        }
    }
    Ok(ChangesPage { records, next_cursor, total: u64::try_from(total).unwrap_or(0) })
}

type ItemRow = (String, String, String, String, String, String, String, Option<String>);

pub async fn holdings(db: &Db, record_ids: &[String]) -> Result<Vec<Item>, sqlx::Error> {
    if record_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = QueryBuilder::<Any>::new(
        "SELECT i.barcode, i.record_id, i.branch, i.call_number, i.location_zh, i.location_en, i.status, i.due_date \
         FROM bib_items i JOIN library_branches b ON b.code = i.branch WHERE i.record_id IN (",
    );
    let mut ids = q.separated(", ");
    for id in record_ids {
        ids.push_bind(id);
    }
    q.push(") ORDER BY b.position, i.barcode");
    let rows: Vec<ItemRow> = q.build_query_as().fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(barcode, record_id, branch, call_number, location_zh, location_en, status, due_date)| Item {
            barcode,
            record_id,
            branch,
            call_number,
            location: Bilingual { zh: location_zh, en: location_en },
            status: ItemStatus::from_code(&status).unwrap_or(ItemStatus::ReferenceOnly),
            due_date,
        })
        .collect())
}

/// The digest a PIN is kept as: bound to its card, so equal PINs of two cards differ.
pub fn pin_digest(card_no: &str, pin: &str) -> [u8; 32] {
    <sha2::Sha256 as sha2::Digest>::digest(format!("{card_no}:{pin}").as_bytes()).into()
}

pub async fn meta(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM library_meta WHERE key = $1").bind(key).fetch_optional(db.pool()).await
}

/// The stored PIN digest of a card, if the card exists.
pub async fn pin_of(db: &Db, card_no: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT pin_digest FROM library_patrons WHERE card_no = $1")
        .bind(card_no)
        .fetch_optional(db.pool())
        .await
}

pub async fn patron_name(db: &Db, card_no: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM library_patrons WHERE card_no = $1")
        .bind(card_no)
        .fetch_optional(db.pool())
        .await
}

fn title_of(body: &str) -> Result<(String, String), sqlx::Error> {
    let record: BibRecord = serde_json::from_str(body).map_err(json_error)?;
    Ok((record.id, record.title))
}

pub async fn loans(db: &Db, card_no: &str) -> Result<Vec<Loan>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT l.barcode, r.body, i.branch, l.due_date, l.renewals, \
         (SELECT COUNT(*) FROM library_holds h WHERE h.barcode = l.barcode AND h.card_no <> l.card_no) \
         FROM library_loans l JOIN bib_items i ON i.barcode = l.barcode JOIN bib_records r ON r.id = i.record_id \
         WHERE l.card_no = $1 ORDER BY l.due_date, l.barcode",
    )
    .bind(card_no)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(barcode, body, branch, due_date, renewals, waiting)| {
            let (record_id, title) = title_of(&body)?;
            Ok(Loan {
                barcode,
                record_id,
                title,
                branch,
                due_date,
                renewals: u8::try_from(renewals).unwrap_or(u8::MAX),
                reserved_by_another: waiting > 0,
            })
        })
        .collect()
}

pub async fn holds(db: &Db, card_no: &str) -> Result<Vec<Hold>, sqlx::Error> {
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT h.barcode, r.body, h.pickup_branch, h.pickup_by FROM library_holds h \
         JOIN bib_items i ON i.barcode = h.barcode JOIN bib_records r ON r.id = i.record_id \
         WHERE h.card_no = $1 ORDER BY h.barcode",
    )
    .bind(card_no)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(barcode, body, pickup_branch, pickup_by)| {
            let (record_id, title) = title_of(&body)?;
            Ok(Hold { barcode, record_id, title, pickup_branch, pickup_by })
        })
        .collect()
}

/// Places a hold on a copy on the shelf: the copy's status moves to on hold in the same
/// statement that checks it was on the shelf, so one copy is never reserved twice.
pub async fn reserve(
    db: &Db,
    req: &ReserveRequest,
    pickup_by: &str,
) -> Result<Result<Hold, ReserveRefusal>, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let branch: Option<String> = sqlx::query_scalar("SELECT code FROM library_branches WHERE code = $1")
        .bind(&req.pickup_branch)
        .fetch_optional(&mut *tx)
        .await?;
    let copy: Option<String> = sqlx::query_scalar(
        "SELECT r.body FROM bib_items i JOIN bib_records r ON r.id = i.record_id WHERE i.barcode = $1",
    )
    .bind(&req.barcode)
    .fetch_optional(&mut *tx)
    .await?;
    let (Some(_), Some(body)) = (branch, copy) else { return Ok(Err(ReserveRefusal::Unknown)) };
    let taken = sqlx::query("UPDATE bib_items SET status = 'on_hold' WHERE barcode = $1 AND status = 'on_shelf'")
        .bind(&req.barcode)
        .execute(&mut *tx)
        .await?;
    if taken.rows_affected() != 1 {
        return Ok(Err(ReserveRefusal::NotAvailable));
    }
    sqlx::query("INSERT INTO library_holds (barcode, card_no, pickup_branch, pickup_by) VALUES ($1, $2, $3, $4)")
        .bind(&req.barcode)
        .bind(&req.card_no)
        .bind(&req.pickup_branch)
        .bind(pickup_by)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let (record_id, title) = title_of(&body)?;
    Ok(Ok(Hold {
        barcode: req.barcode.clone(),
        record_id,
        title,
        pickup_branch: req.pickup_branch.clone(),
        pickup_by: Some(pickup_by.to_owned()),
    }))
}

/// A card's loan of a copy: (due date, renewals, whether another reader waits for it).
pub async fn loan_of(db: &Db, card_no: &str, barcode: &str) -> Result<Option<(String, i64, bool)>, sqlx::Error> {
    let row: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT l.due_date, l.renewals, \
         (SELECT COUNT(*) FROM library_holds h WHERE h.barcode = l.barcode AND h.card_no <> l.card_no) \
         FROM library_loans l WHERE l.card_no = $1 AND l.barcode = $2",
    )
    .bind(card_no)
    .bind(barcode)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(due, renewals, waiting)| (due, renewals, waiting > 0)))
}

/// Moves a loan's due date, only if it is still renewed `renewals` times (a second renewal
/// racing this one finds it changed); false when it was.
pub async fn renew(db: &Db, card_no: &str, barcode: &str, renewals: i64, due_date: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE library_loans SET due_date = $1, renewals = renewals + 1 \
         WHERE card_no = $2 AND barcode = $3 AND renewals = $4",
    )
    .bind(due_date)
    .bind(card_no)
    .bind(barcode)
    .bind(renewals)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE bib_items SET due_date = $1 WHERE barcode = $2")
        .bind(due_date)
        .bind(barcode)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// A demo reader and their loans as `install_patrons` writes them.
pub struct PatronRows<'a> {
    pub card_no: &'a str,
    pub name: &'a str,
    pub pin: &'a str,
}

/// What the demo readers' loans and holds are: (card, barcode, due date, renewals) and
/// (card, barcode, pick-up branch).
pub struct Lending {
    pub loans: Vec<(String, String, String, i64)>,
    pub holds: Vec<(String, String, String)>,
}

/// Copies on loan in the catalogue (not to any demo reader), the first `n` by barcode.
pub async fn copies_on_loan(db: &Db, n: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.barcode, i.branch FROM bib_items i WHERE i.status = 'on_loan' \
         AND i.barcode NOT IN (SELECT barcode FROM library_loans) ORDER BY i.barcode LIMIT $1",
    )
    .bind(n)
    .fetch_all(db.pool())
    .await
}

/// Replaces the readers, their loans and holds (copies held for a reader go back on the shelf),
/// and the lending rules, in one transaction.
pub async fn replace_patrons(
    db: &Db,
    patrons: &[PatronRows<'_>],
    lending: &Lending,
    rules: &LoanRules,
    fingerprint: &str,
) -> Result<(), sqlx::Error> {
    let rules = serde_json::to_string(rules).map_err(json_error)?;
    let mut tx = db.begin_write().await?;
    tx.execute("UPDATE bib_items SET status = 'on_shelf' WHERE status = 'on_hold'").await?;
    tx.execute("DELETE FROM library_holds").await?;
    tx.execute("DELETE FROM library_loans").await?;
    tx.execute("DELETE FROM library_patrons").await?;
    for p in patrons {
        sqlx::query("INSERT INTO library_patrons (card_no, name, pin_digest) VALUES ($1, $2, $3)")
            .bind(p.card_no)
            .bind(p.name)
            .bind(hex::encode(pin_digest(p.card_no, p.pin)))
            .execute(&mut *tx)
            .await?;
    }
    for (card_no, barcode, due_date, renewals) in &lending.loans {
        sqlx::query("INSERT INTO library_loans (barcode, card_no, due_date, renewals) VALUES ($1, $2, $3, $4)")
            .bind(barcode)
            .bind(card_no)
            .bind(due_date)
            .bind(renewals)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE bib_items SET status = 'on_loan', due_date = $1 WHERE barcode = $2")
            .bind(due_date)
            .bind(barcode)
            .execute(&mut *tx)
            .await?;
    }
    for (card_no, barcode, branch) in &lending.holds {
        sqlx::query("INSERT INTO library_holds (barcode, card_no, pickup_branch, pickup_by) VALUES ($1, $2, $3, NULL)")
            .bind(barcode)
            .bind(card_no)
            .bind(branch)
            .execute(&mut *tx)
            .await?;
    }
    for (key, value) in [("loan_rules", rules.as_str()), ("patrons_fingerprint", fingerprint)] {
        sqlx::query("INSERT INTO library_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
