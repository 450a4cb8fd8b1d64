//! All SQL for departments.

use crate::departments::Department;
use crate::platform::Db;
use crate::site::Bilingual;

type Row = (String, String, String, String, String, String, String, String);

macro_rules! columns {
    () => {
        "code, name_zh, name_en, duties_zh, duties_en, phone, address_zh, address_en"
    };
}

fn from_row(r: Row) -> Department {
    Department {
        code: r.0,
        name: Bilingual { zh: r.1, en: r.2 },
        duties: Bilingual { zh: r.3, en: r.4 },
        phone: r.5,
        address: Bilingual { zh: r.6, en: r.7 },
    }
}

pub async fn list(db: &Db) -> Result<Vec<Department>, sqlx::Error> {
    let sql = concat!("SELECT ", columns!(), " FROM departments ORDER BY sort_order, code");
    let rows: Vec<Row> = sqlx::query_as(sql).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Case-insensitive substring search over names and duties in both languages. The text is
/// matched literally: `%` and `_` typed by the user are escaped.
pub async fn search(db: &Db, text: &str) -> Result<Vec<Department>, sqlx::Error> {
    let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM departments \
         WHERE lower(name_zh) LIKE $1 ESCAPE '\\' OR lower(name_en) LIKE $1 ESCAPE '\\' \
            OR lower(duties_zh) LIKE $1 ESCAPE '\\' OR lower(duties_en) LIKE $1 ESCAPE '\\' \
         ORDER BY CASE WHEN lower(name_zh) LIKE $1 ESCAPE '\\' OR lower(name_en) LIKE $1 ESCAPE '\\' \
                  THEN 0 ELSE 1 END, sort_order, code"
    );
    let rows: Vec<Row> = sqlx::query_as(sql).bind(pattern).fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(from_row).collect())
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Inserts or updates departments by code, keeping the given order.
pub async fn upsert_all(db: &Db, departments: &[Department]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for (order, d) in departments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO departments (code, name_zh, name_en, duties_zh, duties_en, phone, address_zh, address_en, sort_order) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, \
               duties_zh = excluded.duties_zh, duties_en = excluded.duties_en, phone = excluded.phone, \
               address_zh = excluded.address_zh, address_en = excluded.address_en, sort_order = excluded.sort_order",
        )
        .bind(&d.code)
        .bind(&d.name.zh)
        .bind(&d.name.en)
        .bind(&d.duties.zh)
        .bind(&d.duties.en)
        .bind(&d.phone)
        .bind(&d.address.zh)
        .bind(&d.address.en)
        .bind(order as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
