//! All SQL of the register database. These tables exist only in the registers' own database
//! file; the portal's migrations never create them.

use super::super::contract::*;
use super::super::demo::{DemoEntity, DemoPerson, DemoRegisters};
use crate::platform::Db;
use crate::site::Bilingual;
use sqlx::{Any, Executor, QueryBuilder};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS register_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS households (id INTEGER PRIMARY KEY NOT NULL, address TEXT NOT NULL, place_code TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS people (
  id_number TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,
  ethnicity TEXT NOT NULL, household_id INTEGER NOT NULL REFERENCES households(id), relation TEXT NOT NULL,
  marital_status TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS people_household ON people(household_id);
CREATE TABLE IF NOT EXISTS entities (
  credit_code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, legal_representative TEXT NOT NULL,
  legal_representative_id TEXT NOT NULL, registered_capital INTEGER, address TEXT NOT NULL, status TEXT NOT NULL,
  established_on TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indicators (
  code TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL, name_zh TEXT NOT NULL, name_en TEXT NOT NULL,
  unit_zh TEXT NOT NULL, unit_en TEXT NOT NULL, source_zh TEXT NOT NULL, source_en TEXT NOT NULL, frequency TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indicator_values (
  code TEXT NOT NULL REFERENCES indicators(code), period TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (code, period));
CREATE TABLE IF NOT EXISTS places (
  code TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, full_name TEXT NOT NULL, parent_code TEXT,
  longitude REAL NOT NULL, latitude REAL NOT NULL, surveyed INTEGER NOT NULL);
";

/// Tables in dependency order (children last), for wiping before an install.
const TABLES: [&str; 7] =
    ["register_meta", "households", "people", "entities", "indicators", "indicator_values", "places"];

/// Rows per multi-row INSERT: far below SQLite's parameter limit, large enough to be fast.
const CHUNK: usize = 200;

pub async fn create_schema(db: &Db) -> Result<(), sqlx::Error> {
    db.pool().execute(SCHEMA).await?;
    Ok(())
}

pub async fn fingerprint(db: &Db) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM register_meta WHERE key = 'fingerprint'").fetch_optional(db.pool()).await
}

pub async fn replace_all(db: &Db, data: &DemoRegisters) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in TABLES.iter().rev() {
        // Table names come from the constant list above, never from input.
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    for chunk in data.households.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new("INSERT INTO households (id, address, place_code) ");
        q.push_values(chunk, |mut row, h| {
            row.push_bind(h.id).push_bind(&h.address).push_bind(&h.place_code);
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in data.people.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO people (id_number, name, sex, birth_date, ethnicity, household_id, relation, marital_status) ",
        );
        q.push_values(chunk, |mut row, p: &DemoPerson| {
            row.push_bind(&p.id_number)
                .push_bind(&p.name)
                .push_bind(sex_code(p.sex))
                .push_bind(&p.birth_date)
                .push_bind(&p.ethnicity)
                .push_bind(p.household_id)
                .push_bind(relation_code(p.relation))
                .push_bind(marital_code(p.marital_status));
        });
        q.build().execute(&mut *tx).await?;
    }
    for chunk in data.entities.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO entities (credit_code, name, kind, legal_representative, legal_representative_id, \
             registered_capital, address, status, established_on) ",
        );
        q.push_values(chunk, |mut row, e: &DemoEntity| {
            row.push_bind(&e.credit_code)
                .push_bind(&e.name)
                .push_bind(kind_code(e.kind))
                .push_bind(&e.legal_representative)
                .push_bind(&e.legal_representative_id)
                .push_bind(e.registered_capital)
                .push_bind(&e.address)
                .push_bind(status_code(e.status))
                .push_bind(&e.established_on);
        });
        q.build().execute(&mut *tx).await?;
    }
    for (position, s) in data.indicators.iter().enumerate() {
        sqlx::query(
            "INSERT INTO indicators (code, position, name_zh, name_en, unit_zh, unit_en, source_zh, source_en, frequency) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&s.code)
        .bind(position as i64)
        .bind(&s.name.zh)
        .bind(&s.name.en)
        .bind(&s.unit.zh)
        .bind(&s.unit.en)
        .bind(&s.source.zh)
        .bind(&s.source.en)
        .bind(frequency_code(s.frequency))
        .execute(&mut *tx)
        .await?;
        for chunk in s.points.chunks(CHUNK) {
            let mut q = QueryBuilder::<Any>::new("INSERT INTO indicator_values (code, period, value) ");
            q.push_values(chunk, |mut row, p| {
                row.push_bind(&s.code).push_bind(&p.period).push_bind(p.value);
            });
            q.build().execute(&mut *tx).await?;
        }
    }
    for chunk in data.places.chunks(CHUNK) {
        let mut q = QueryBuilder::<Any>::new(
            "INSERT INTO places (code, kind, name, full_name, parent_code, longitude, latitude, surveyed) ",
        );
        q.push_values(chunk, |mut row, p: &Place| {
            row.push_bind(&p.code)
                .push_bind(p.kind.code())
                .push_bind(&p.name)
                .push_bind(&p.full_name)
                .push_bind(&p.parent_code)
                .push_bind(p.longitude)
                .push_bind(p.latitude)
                .push_bind(i64::from(p.surveyed));
        });
        q.build().execute(&mut *tx).await?;
    }
    sqlx::query("INSERT INTO register_meta (key, value) VALUES ('fingerprint', $1)")
        .bind(&data.fingerprint)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    // Move the bulk load out of the write-ahead log into the database file, so the file is
    // complete on its own (it can be copied or backed up) and the log does not stay large.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(db.pool()).await?;
    Ok(())
}

type PersonRow = (String, String, String, String, i64, String);

pub async fn person(db: &Db, id_number: &str, fields: &[PersonField]) -> Result<Option<PersonRecord>, sqlx::Error> {
    let row: Option<PersonRow> = sqlx::query_as(
        "SELECT p.name, p.sex, p.birth_date, p.ethnicity, p.household_id, p.marital_status \
         FROM people p WHERE p.id_number = $1",
    )
    .bind(id_number)
    .fetch_optional(db.pool())
    .await?;
    let Some((name, sex, birth_date, ethnicity, household_id, marital)) = row else { return Ok(None) };
    let mut record = PersonRecord {
        name: Some(name),
        sex: sex_from(&sex),
        birth_date: Some(birth_date),
        ethnicity: Some(ethnicity),
        household_address: None,
        marital_status: marital_from(&marital),
        household_members: None,
    };
    // The household is only read when asked for.
    if fields.contains(&PersonField::HouseholdAddress) {
        record.household_address = sqlx::query_scalar("SELECT address FROM households WHERE id = $1")
            .bind(household_id)
            .fetch_optional(db.pool())
            .await?;
    }
    if fields.contains(&PersonField::HouseholdMembers) {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT relation, name, id_number, birth_date FROM people WHERE household_id = $1 \
             ORDER BY CASE relation WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 ELSE 2 END, birth_date, id_number",
        )
        .bind(household_id)
        .fetch_all(db.pool())
        .await?;
        record.household_members = Some(
            rows.into_iter()
                .filter_map(|(relation, name, id_number, birth_date)| {
                    Some(HouseholdMember { relation: relation_from(&relation)?, name, id_number, birth_date })
                })
                .collect(),
        );
    }
    Ok(Some(record))
}

pub async fn person_name(db: &Db, id_number: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM people WHERE id_number = $1").bind(id_number).fetch_optional(db.pool()).await
}

type EntityRow = (String, String, String, String, Option<i64>, String, String, String);

pub async fn entity(db: &Db, credit_code: &str) -> Result<Option<EntityRecord>, sqlx::Error> {
    let row: Option<EntityRow> = sqlx::query_as(
        "SELECT name, kind, legal_representative, legal_representative_id, registered_capital, address, status, \
         established_on FROM entities WHERE credit_code = $1",
    )
    .bind(credit_code)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| EntityRecord {
        name: Some(r.0),
        kind: kind_from(&r.1),
        legal_representative: Some(r.2),
        legal_representative_id: Some(r.3),
        registered_capital: r.4,
        address: Some(r.5),
        status: status_from(&r.6),
        established_on: Some(r.7),
    }))
}

type IndicatorRow = (String, String, String, String, String, String, String, String);

pub async fn indicators(db: &Db, codes: &[String]) -> Result<Vec<IndicatorSeries>, sqlx::Error> {
    let rows: Vec<IndicatorRow> = sqlx::query_as(
        "SELECT code, name_zh, name_en, unit_zh, unit_en, source_zh, source_en, frequency FROM indicators \
         ORDER BY position",
    )
    .fetch_all(db.pool())
    .await?;
    let mut series = Vec::new();
    for r in rows.into_iter().filter(|r| codes.is_empty() || codes.contains(&r.0)) {
        let points: Vec<(String, f64)> =
            sqlx::query_as("SELECT period, value FROM indicator_values WHERE code = $1 ORDER BY period")
                .bind(&r.0)
                .fetch_all(db.pool())
                .await?;
        let Some(frequency) = frequency_from(&r.7) else { continue };
        series.push(IndicatorSeries {
            code: r.0,
            name: Bilingual { zh: r.1, en: r.2 },
            unit: Bilingual { zh: r.3, en: r.4 },
            source: Bilingual { zh: r.5, en: r.6 },
            frequency,
            points: points.into_iter().map(|(period, value)| IndicatorPoint { period, value }).collect(),
        });
    }
    Ok(series)
}

type PlaceRow = (String, String, String, String, Option<String>, f64, f64, i64);

/// Places whose full name contains the text; names that start with it come first, then larger
/// areas before smaller ones.
pub async fn places(db: &Db, req: &PlaceRequest) -> Result<Vec<Place>, sqlx::Error> {
    let text = req.text.trim();
    let contains = format!("%{}%", escape_like(text));
    let starts = format!("{}%", escape_like(text));
    let mut q = QueryBuilder::<Any>::new(
        "SELECT code, kind, name, full_name, parent_code, longitude, latitude, surveyed FROM places WHERE full_name LIKE ",
    );
    q.push_bind(contains).push(" ESCAPE '\\'");
    if let Some(kind) = req.kind {
        q.push(" AND kind = ").push_bind(kind.code());
    }
    if let Some(within) = &req.within {
        q.push(" AND (parent_code = ")
            .push_bind(within.clone())
            .push(" OR code LIKE ")
            .push_bind(format!("{}%", escape_like(within)));
        q.push(" ESCAPE '\\')");
    }
    q.push(" ORDER BY CASE WHEN name LIKE ").push_bind(starts).push(" ESCAPE '\\' THEN 0 ELSE 1 END, ");
    q.push("CASE kind WHEN 'district' THEN 0 WHEN 'street' THEN 1 WHEN 'named' THEN 2 ELSE 3 END, code LIMIT ");
    q.push_bind(i64::from(req.limit));
    let rows: Vec<PlaceRow> = q.build_query_as().fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Place {
                code: r.0,
                kind: PlaceKind::from_code(&r.1)?,
                name: r.2,
                full_name: r.3,
                parent_code: r.4,
                longitude: r.5,
                latitude: r.6,
                surveyed: r.7 != 0,
            })
        })
        .collect())
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Declares the text stored for each variant of a contract enum, both directions.
macro_rules! stored_as_text {
    ($ty:ident, $to:ident, $from:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        fn $to(value: $ty) -> &'static str {
            match value { $($ty::$variant => $text),+ }
        }
        fn $from(text: &str) -> Option<$ty> {
            match text { $($text => Some($ty::$variant),)+ _ => None }
        }
    };
}

stored_as_text!(Sex, sex_code, sex_from { Male => "male", Female => "female" });
stored_as_text!(MaritalStatus, marital_code, marital_from {
    Unmarried => "unmarried", Married => "married", Divorced => "divorced", Widowed => "widowed",
});
stored_as_text!(Relation, relation_code, relation_from {
    Head => "head", Spouse => "spouse", Son => "son", Daughter => "daughter", Father => "father", Mother => "mother",
});
stored_as_text!(EntityKind, kind_code, kind_from {
    LimitedCompany => "limited_company", JointStockCompany => "joint_stock_company",
    SoleProprietorship => "sole_proprietorship", IndividualBusiness => "individual_business",
    FarmersCooperative => "farmers_cooperative",
});
stored_as_text!(EntityStatus, status_code, status_from {
    Active => "active", Revoked => "revoked", Deregistered => "deregistered", MovedOut => "moved_out",
});
stored_as_text!(Frequency, frequency_code, frequency_from {
    Annual => "annual", QuarterlyCumulative => "quarterly_cumulative",
});
