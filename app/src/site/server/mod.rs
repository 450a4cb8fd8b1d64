//! Loading and saving the site profile (key/value rows in `site_settings`).

#[cfg(test)]
mod tests;

use super::{Bilingual, SiteProfile};
use crate::platform::Db;
use std::collections::HashMap;

/// Field name ↔ row key, in one place so that load and save cannot drift apart.
fn bilingual_fields(profile: &mut SiteProfile) -> [(&'static str, &mut Bilingual); 5] {
    [
        ("portal_name", &mut profile.portal_name),
        ("city_name", &mut profile.city_name),
        ("sponsor", &mut profile.sponsor),
        ("hall_address", &mut profile.hall_address),
        ("hall_hours", &mut profile.hall_hours),
    ]
}

pub async fn load(db: &Db) -> Result<SiteProfile, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM site_settings").fetch_all(db.pool()).await?;
    let mut map: HashMap<String, String> = rows.into_iter().collect();
    let mut take = |key: &str| map.remove(key).unwrap_or_default();
    let mut profile =
        SiteProfile { hotline: take("hotline"), record_number: take("record_number"), ..Default::default() };
    for (name, field) in bilingual_fields(&mut profile) {
        field.zh = take(&format!("{name}.zh"));
        field.en = take(&format!("{name}.en"));
    }
    Ok(profile)
}

pub async fn save(db: &Db, profile: &SiteProfile) -> Result<(), sqlx::Error> {
    let mut profile = profile.clone();
    let mut pairs = vec![
        ("hotline".to_owned(), profile.hotline.clone()),
        ("record_number".to_owned(), profile.record_number.clone()),
    ];
    for (name, field) in bilingual_fields(&mut profile) {
        pairs.push((format!("{name}.zh"), field.zh.clone()));
        pairs.push((format!("{name}.en"), field.en.clone()));
    }
    let mut tx = db.begin_write().await?;
    for (key, value) in pairs {
        sqlx::query(
            "INSERT INTO site_settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}
