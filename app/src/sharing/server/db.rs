//! SQL for the catalogue, grants and consent records.

use crate::platform::Db;
use crate::sharing::model::*;
use crate::site::Bilingual;
use std::collections::HashMap;

/// Replaces the catalogue with `resources` (resources, their fields and grants) in one
/// transaction. Audit rows refer to resources by code, so they survive a reload.
pub async fn replace_catalogue(db: &Db, resources: &[DataResource]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM data_grant_fields").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM data_grants").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM data_resource_fields").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM data_resources").execute(&mut *tx).await?;
    for (order, r) in resources.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO data_resources (code, register, name_zh, name_en, description_zh, description_en, \
             provider_department, sharing_type, frequency_zh, frequency_en, sort_order) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&r.code)
        .bind(&r.register)
        .bind(&r.name.zh)
        .bind(&r.name.en)
        .bind(&r.description.zh)
        .bind(&r.description.en)
        .bind(&r.provider_department)
        .bind(r.sharing.code())
        .bind(&r.frequency.zh)
        .bind(&r.frequency.en)
        .bind(order as i64)
        .fetch_one(&mut *tx)
        .await?;
        for (position, f) in r.fields.iter().enumerate() {
            sqlx::query(
                "INSERT INTO data_resource_fields (resource_id, field_key, name_zh, name_en, personal, position) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(&f.key)
            .bind(&f.name.zh)
            .bind(&f.name.en)
            .bind(i64::from(f.personal))
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
        }
        for g in &r.grants {
            let grant_id: i64 = sqlx::query_scalar(
                "INSERT INTO data_grants (resource_id, consumer, purpose_zh, purpose_en, basis, legal_basis_zh, \
                 legal_basis_en) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(id)
            .bind(&g.consumer)
            .bind(&g.purpose.zh)
            .bind(&g.purpose.en)
            .bind(g.basis.code())
            .bind(&g.legal_basis.zh)
            .bind(&g.legal_basis.en)
            .fetch_one(&mut *tx)
            .await?;
            for key in &g.fields {
                sqlx::query("INSERT INTO data_grant_fields (grant_id, field_key) VALUES ($1, $2)")
                    .bind(grant_id)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    tx.commit().await
}

/// id, resource id, consumer, purpose (zh, en), basis, legal basis (zh, en).
type GrantRow = (i64, i64, String, String, String, String, String, String);

type ResourceRow =
    (i64, String, Option<String>, String, String, String, String, String, String, String, String, String, String);

/// The whole catalogue in display order, optionally only resources of one sharing type.
pub async fn catalogue(db: &Db, only: Option<SharingType>) -> Result<Vec<CatalogueEntry>, sqlx::Error> {
    let rows: Vec<ResourceRow> = sqlx::query_as(
        "SELECT r.id, r.code, r.register, r.name_zh, r.name_en, r.description_zh, r.description_en, \
         r.provider_department, r.sharing_type, r.frequency_zh, r.frequency_en, d.name_zh, d.name_en \
         FROM data_resources r JOIN departments d ON d.code = r.provider_department \
         WHERE $1 = '' OR r.sharing_type = $1 ORDER BY r.sort_order, r.code",
    )
    .bind(only.map(SharingType::code).unwrap_or_default())
    .fetch_all(db.pool())
    .await?;
    let field_rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT resource_id, field_key, name_zh, name_en, personal FROM data_resource_fields ORDER BY resource_id, position",
    )
    .fetch_all(db.pool())
    .await?;
    let grant_rows: Vec<GrantRow> = sqlx::query_as(
        "SELECT id, resource_id, consumer, purpose_zh, purpose_en, basis, legal_basis_zh, legal_basis_en \
         FROM data_grants ORDER BY resource_id, consumer",
    )
    .fetch_all(db.pool())
    .await?;
    let grant_fields: Vec<(i64, String)> =
        sqlx::query_as("SELECT grant_id, field_key FROM data_grant_fields").fetch_all(db.pool()).await?;

    let mut fields_of: HashMap<i64, Vec<ResourceField>> = HashMap::new();
    for (rid, key, zh, en, personal) in field_rows {
        fields_of.entry(rid).or_default().push(ResourceField {
            key,
            name: Bilingual { zh, en },
            personal: personal != 0,
        });
    }
    let mut keys_of_grant: HashMap<i64, Vec<String>> = HashMap::new();
    for (gid, key) in grant_fields {
        keys_of_grant.entry(gid).or_default().push(key);
    }
    let mut grants_of: HashMap<i64, Vec<Grant>> = HashMap::new();
    for (gid, rid, consumer, pzh, pen, basis, lzh, len) in grant_rows {
        let Some(basis) = Basis::from_code(&basis) else { continue };
        grants_of.entry(rid).or_default().push(Grant {
            consumer,
            purpose: Bilingual { zh: pzh, en: pen },
            basis,
            legal_basis: Bilingual { zh: lzh, en: len },
            fields: keys_of_grant.remove(&gid).unwrap_or_default(),
        });
    }
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let mut fields = fields_of.remove(&r.0).unwrap_or_default();
            let mut grants = grants_of.remove(&r.0).unwrap_or_default();
            // Grant fields in the resource's own order.
            for g in &mut grants {
                g.fields.sort_by_key(|k| fields.iter().position(|f| &f.key == k));
            }
            fields.shrink_to_fit();
            Some(CatalogueEntry {
                resource: DataResource {
                    code: r.1,
                    register: r.2,
                    name: Bilingual { zh: r.3, en: r.4 },
                    description: Bilingual { zh: r.5, en: r.6 },
                    provider_department: r.7,
                    sharing: SharingType::from_code(&r.8)?,
                    frequency: Bilingual { zh: r.9, en: r.10 },
                    fields,
                    grants,
                },
                provider_name: Bilingual { zh: r.11, en: r.12 },
            })
        })
        .collect())
}

/// The resource served by a register, with its sharing type.
pub async fn resource_for_register(db: &Db, register: &str) -> Result<Option<(String, SharingType)>, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT code, sharing_type FROM data_resources WHERE register = $1")
            .bind(register)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|(code, sharing)| Some((code, SharingType::from_code(&sharing)?))))
}

/// A resource by its catalogue code, with its sharing type.
pub async fn resource_by_code(db: &Db, code: &str) -> Result<Option<(String, SharingType)>, sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT code, sharing_type FROM data_resources WHERE code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.and_then(|(code, sharing)| Some((code, SharingType::from_code(&sharing)?))))
}

/// The resource granted to `consumer` (the first, by code), for consumers that use one.
pub async fn resource_granted_to(db: &Db, consumer: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.code FROM data_grants g JOIN data_resources r ON r.id = g.resource_id WHERE g.consumer = $1 \
         ORDER BY r.code LIMIT 1",
    )
    .bind(consumer)
    .fetch_optional(db.pool())
    .await
}

/// The latest unwithdrawn consent of a subject for a consumer to receive a resource.
pub async fn latest_consent(
    db: &Db,
    subject_ref: &str,
    resource_code: &str,
    consumer: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM data_consents WHERE subject_ref = $1 AND resource_code = $2 AND consumer = $3 \
         AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(subject_ref)
    .bind(resource_code)
    .bind(consumer)
    .fetch_optional(db.pool())
    .await
}

/// The grant of one resource to one consumer, with its fields.
pub async fn grant(db: &Db, resource_code: &str, consumer: &str) -> Result<Option<Grant>, sqlx::Error> {
    let row: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
        "SELECT g.id, g.purpose_zh, g.purpose_en, g.basis, g.legal_basis_zh, g.legal_basis_en \
         FROM data_grants g JOIN data_resources r ON r.id = g.resource_id \
         WHERE r.code = $1 AND g.consumer = $2",
    )
    .bind(resource_code)
    .bind(consumer)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, pzh, pen, basis, lzh, len)) = row else { return Ok(None) };
    let fields: Vec<String> = sqlx::query_scalar("SELECT field_key FROM data_grant_fields WHERE grant_id = $1")
        .bind(id)
        .fetch_all(db.pool())
        .await?;
    Ok(Basis::from_code(&basis).map(|basis| Grant {
        consumer: consumer.to_owned(),
        purpose: Bilingual { zh: pzh, en: pen },
        basis,
        legal_basis: Bilingual { zh: lzh, en: len },
        fields,
    }))
}

/// Every register field granted to `consumer`, as `RESOURCE.field` (e.g. `RK-0001.name`).
pub async fn granted_fields(db: &Db, consumer: &str) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.code, f.field_key FROM data_grant_fields f JOIN data_grants g ON g.id = f.grant_id \
         JOIN data_resources r ON r.id = g.resource_id WHERE g.consumer = $1 ORDER BY r.code, f.field_key",
    )
    .bind(consumer)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(code, field)| format!("{code}.{field}")).collect())
}

pub struct NewConsent<'a> {
    pub subject_ref: &'a str,
    pub resource_code: &'a str,
    pub consumer: &'a str,
    pub fields: &'a [String],
    pub purpose: &'a str,
    pub policy_version: &'a str,
    pub given_at: i64,
}

pub async fn record_consent(db: &Db, c: &NewConsent<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO data_consents (subject_ref, resource_code, consumer, fields, purpose, policy_version, given_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.subject_ref)
    .bind(c.resource_code)
    .bind(c.consumer)
    .bind(c.fields.join(","))
    .bind(c.purpose)
    .bind(c.policy_version)
    .bind(c.given_at)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The fields covered by a consent, if it exists for this subject, resource and consumer and
/// has not been withdrawn.
pub async fn consented_fields(
    db: &Db,
    consent_id: i64,
    subject_ref: &str,
    resource_code: &str,
    consumer: &str,
) -> Result<Option<Vec<String>>, sqlx::Error> {
    let fields: Option<String> = sqlx::query_scalar(
        "SELECT fields FROM data_consents WHERE id = $1 AND subject_ref = $2 AND resource_code = $3 \
         AND consumer = $4 AND withdrawn_at IS NULL",
    )
    .bind(consent_id)
    .bind(subject_ref)
    .bind(resource_code)
    .bind(consumer)
    .fetch_optional(db.pool())
    .await?;
    Ok(fields.map(|f| f.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect()))
}

pub async fn withdraw_consent(db: &Db, consent_id: i64, subject_ref: &str, at: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE data_consents SET withdrawn_at = $1 WHERE id = $2 AND subject_ref = $3 AND withdrawn_at IS NULL",
    )
    .bind(at)
    .bind(consent_id)
    .bind(subject_ref)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(done == 1)
}
