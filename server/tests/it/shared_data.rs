//! The shared-data gateway on both databases: grants and field minimisation, consent, the
//! audit row of every call, append-only audit with retention, and the separation between the
//! portal and the registers' own data.

use crate::registers::{key, serve, LI_NA_COMPANY, WANG_JIANGUO, ZHANG_WEI};
use crate::support::{demo_provider, test_subject_key, TestApp};
use app::identifiers::{CreditCode, ResidentId};
use app::platform::time::now_unix;
use app::platform::{Backend, Db};
use app::registers::contract::*;
use app::registers::http_client::{HttpProvider, HttpProviderConfig};
use app::registers::Provider;
use app::sharing::server::audit::{self, AuditEntry};
use app::sharing::server::{AccessError, Caller, Refusal, SharedData};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn id(text: &str) -> ResidentId {
    ResidentId::parse(text).expect("valid id")
}

/// The audit rows, oldest first: (consumer, operation, outcome, requested, returned, subject_ref).
async fn audit_rows(db: &Db) -> Vec<(String, String, String, String, String, String)> {
    sqlx::query_as(
        "SELECT consumer, operation, outcome, fields_requested, fields_returned, subject_ref FROM data_access_log ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .expect("audit rows")
}

crate::on_both_backends!(a_granted_call_returns_only_granted_fields_and_is_audited, |app| {
    let caller = Caller { consumer: "accounts.real_name", actor: "citizen:1".into(), request_id: "req-1".into() };
    assert_eq!(app.shared.verify_identity(&caller, &id(ZHANG_WEI), "张伟").await, Ok(true));
    assert_eq!(app.shared.verify_identity(&caller, &id(ZHANG_WEI), "李四").await, Ok(false));
    let rows = audit_rows(&app.db).await;
    assert_eq!(rows.len(), 2);
    let expected_ref = test_subject_key().person(&id(ZHANG_WEI));
    assert_eq!(
        rows[0],
        ("accounts.real_name".into(), "verify_identity".into(), "ok".into(), "name".into(), "".into(), expected_ref)
    );
    let (display, actor, request, basis): (String, String, String, String) =
        sqlx::query_as("SELECT subject_display, actor, request_id, basis FROM data_access_log ORDER BY id LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert_eq!(
        (display.as_str(), actor.as_str(), request.as_str(), basis.as_str()),
        ("620102********8172", "citizen:1", "req-1", "statutory")
    );
});

crate::on_both_backends!(an_ungranted_field_or_consumer_is_refused_and_audited, |app| {
    let caller = Caller::public("accounts.real_name");
    let asked = [PersonField::Name, PersonField::BirthDate];
    let result = app.shared.person(&caller, &id(ZHANG_WEI), &asked, None).await;
    assert_eq!(result, Err(AccessError::Refused(Refusal::FieldNotGranted)));
    let stranger = Caller::public("marketing.newsletter");
    let result = app.shared.person(&stranger, &id(ZHANG_WEI), &[PersonField::Name], None).await;
    assert_eq!(result, Err(AccessError::Refused(Refusal::NoGrant)));
    let rows = audit_rows(&app.db).await;
    let outcomes: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r.2.as_str(), r.3.as_str(), r.4.as_str())).collect();
    assert_eq!(outcomes, vec![("refused_field", "name,birth_date", ""), ("refused_no_grant", "name", "")]);
});

crate::on_both_backends!(consent_based_grants_need_a_matching_unwithdrawn_consent, |app| {
    let caller = Caller::public("applications.prefill");
    let citizen = id(WANG_JIANGUO);
    let wanted = [PersonField::Name, PersonField::HouseholdMembers];
    assert_eq!(
        app.shared.person(&caller, &citizen, &wanted, None).await,
        Err(AccessError::Refused(Refusal::NoConsent))
    );
    let fields = vec!["name".to_owned(), "household_members".to_owned()];
    let consent = app
        .shared
        .record_person_consent(&citizen, Register::Population, "applications.prefill", &fields, "2026-01")
        .await
        .expect("consent recorded");
    let record = app.shared.person(&caller, &citizen, &wanted, Some(consent)).await.expect("prefill");
    assert_eq!(record.name.as_deref(), Some("王建国"));
    assert_eq!(record.household_members.map(|m| m.len()), Some(4));
    assert_eq!(record.birth_date, None);
    // Beyond the consent, someone else's consent, or after withdrawal: refused.
    let wider = [PersonField::Name, PersonField::BirthDate];
    assert_eq!(
        app.shared.person(&caller, &citizen, &wider, Some(consent)).await,
        Err(AccessError::Refused(Refusal::NoConsent))
    );
    assert_eq!(
        app.shared.person(&caller, &id(ZHANG_WEI), &[PersonField::Name], Some(consent)).await,
        Err(AccessError::Refused(Refusal::NoConsent))
    );
    let subject = test_subject_key().person(&citizen);
    assert!(app::sharing::server::db::withdraw_consent(&app.db, consent, &subject, now_unix())
        .await
        .expect("withdraw"));
    assert_eq!(
        app.shared.person(&caller, &citizen, &wanted, Some(consent)).await,
        Err(AccessError::Refused(Refusal::NoConsent))
    );
    let stored: (String, String, String) =
        sqlx::query_as("SELECT fields, policy_version, consumer FROM data_consents WHERE id = $1")
            .bind(consent)
            .fetch_one(app.db.pool())
            .await
            .expect("consent row");
    assert_eq!(stored, ("name,household_members".into(), "2026-01".into(), "applications.prefill".into()));
    let basis_refs: Vec<String> = sqlx::query_scalar("SELECT basis_ref FROM data_access_log WHERE outcome = 'ok'")
        .fetch_all(app.db.pool())
        .await
        .expect("refs");
    assert_eq!(basis_refs, vec![format!("consent:{consent}")]);
});

crate::on_both_backends!(open_data_and_entities_go_through_the_same_gateway, |app| {
    let series = app.shared.indicators(&Caller::public("statistics.public"), &["gdp".into()]).await.expect("gdp");
    assert_eq!(series[0].code, "gdp");
    let req = PlaceRequest { text: "城关".into(), kind: Some(PlaceKind::District), within: None, limit: 3 };
    let places = app.shared.places(&Caller::public("places.autocomplete"), &req).await.expect("places");
    assert_eq!(places[0].name, "城关区");
    let code = CreditCode::parse(LI_NA_COMPANY).expect("code");
    let fields = [EntityField::Name, EntityField::LegalRepresentative];
    let company =
        app.shared.entity(&Caller::public("accounts.legal_person"), &code, &fields, None).await.expect("entity");
    assert_eq!(company.legal_representative.as_deref(), Some("李娜"));
    let stats = audit::call_stats(&app.db, 0).await.expect("stats");
    let summary: Vec<(&str, &str, u64)> =
        stats.iter().map(|s| (s.resource_code.as_str(), s.consumer.as_str(), s.calls)).collect();
    assert_eq!(
        summary,
        vec![
            ("DZ-0001", "places.autocomplete", 1),
            ("FR-0001", "accounts.legal_person", 1),
            ("JJ-0001", "statistics.public", 1)
        ]
    );
});

crate::on_both_backends!(a_citizen_sees_every_access_to_their_data_and_only_theirs, |app| {
    let caller = Caller::public("accounts.real_name");
    app.shared.verify_identity(&caller, &id(ZHANG_WEI), "张伟").await.expect("check");
    app.shared.person(&caller, &id(ZHANG_WEI), &[PersonField::Sex], None).await.ok();
    app.shared.verify_identity(&caller, &id(WANG_JIANGUO), "王建国").await.expect("check");
    let mine = audit::accesses_of(&app.db, &test_subject_key().person(&id(ZHANG_WEI)), 50).await.expect("accesses");
    assert_eq!(mine.len(), 2, "a refused call is an access attempt too and is shown");
    assert_eq!(mine[0].outcome, "refused_field");
    assert_eq!(mine[1].resource_name.zh, "人口基础信息");
    assert_eq!(mine[1].provider_name.zh, "市公安局");
    assert!(mine[1].purpose.zh.starts_with("实名认证"));
});

/// An audit row at a given time, written as the gateway writes it.
fn entry_at(at: i64) -> AuditEntry {
    AuditEntry {
        at,
        consumer: "test".into(),
        purpose: "test".into(),
        basis: "open".into(),
        basis_ref: String::new(),
        resource_code: "JJ-0001".into(),
        operation: "indicators".into(),
        subject_kind: "none".into(),
        subject_ref: String::new(),
        subject_display: String::new(),
        fields_requested: vec!["indicators".into()],
        fields_returned: vec!["indicators".into()],
        outcome: "ok".into(),
        latency_ms: 3,
        actor: "public".into(),
        request_id: String::new(),
    }
}

const DAY: i64 = 86_400;

crate::on_both_backends!(audit_rows_cannot_be_updated_or_deleted_early, |app| {
    let now = now_unix();
    audit::append(&app.db, &entry_at(now)).await.expect("append");
    for sql in [
        "UPDATE data_access_log SET outcome = 'ok' WHERE id > 0",
        "UPDATE data_access_log SET at = 0",
        "DELETE FROM data_access_log",
    ] {
        assert!(sqlx::query(sql).execute(app.db.pool()).await.is_err(), "{sql} must be refused");
    }
    if app.db.backend() == Backend::Postgres {
        assert!(sqlx::query("TRUNCATE data_access_log").execute(app.db.pool()).await.is_err(), "TRUNCATE");
    }
    assert_eq!(audit_rows(&app.db).await.len(), 1);
});

crate::on_both_backends!(purge_keeps_rows_younger_than_retention_whatever_the_clock_says, |app| {
    let now = now_unix();
    for age_days in [200, 191, 182, 1] {
        audit::append(&app.db, &entry_at(now - age_days * DAY)).await.expect("append");
    }
    assert_eq!(audit::purge(&app.db, now).await.expect("purge"), 2);
    let left: Vec<i64> =
        sqlx::query_scalar("SELECT at FROM data_access_log ORDER BY at").fetch_all(app.db.pool()).await.expect("rows");
    assert_eq!(left, vec![now - 182 * DAY, now - DAY]);
    // A purge job whose clock runs a year fast cannot take young rows with it.
    assert!(audit::purge(&app.db, now + 365 * DAY).await.is_err());
    assert_eq!(audit_rows(&app.db).await.len(), 2);
    // The chain still verifies after a purge (it starts from the oldest remaining row).
    assert_eq!(audit::verify_chain(&app.db).await.expect("verify").first_broken, None);
});

crate::on_both_backends!(the_hash_chain_reveals_a_row_altered_behind_the_triggers, |app| {
    let now = now_unix();
    for offset in 0..3 {
        audit::append(&app.db, &entry_at(now + offset)).await.expect("append");
    }
    assert_eq!(audit::verify_chain(&app.db).await.expect("verify"), audit::ChainReport { rows: 3, first_broken: None });
    // Someone with DDL rights drops the guard and edits a row.
    let drop = match app.db.backend() {
        Backend::Sqlite => "DROP TRIGGER data_access_log_no_update",
        Backend::Postgres => "DROP TRIGGER data_access_log_guard ON data_access_log",
    };
    sqlx::query(drop).execute(app.db.pool()).await.expect("drop trigger");
    let second: i64 = sqlx::query_scalar("SELECT id FROM data_access_log ORDER BY id LIMIT 1 OFFSET 1")
        .fetch_one(app.db.pool())
        .await
        .expect("id");
    sqlx::query("UPDATE data_access_log SET outcome = 'not_found' WHERE id = $1")
        .bind(second)
        .execute(app.db.pool())
        .await
        .expect("tamper");
    assert_eq!(audit::verify_chain(&app.db).await.expect("verify").first_broken, Some(second));
});

crate::on_both_backends!(a_slow_provider_gives_a_typed_unavailable_error_within_the_timeout, |app| {
    // A department endpoint that never answers in time.
    let slow = axum::Router::new().route(
        "/registers/v1/{op}",
        axum::routing::post(|| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            "{}"
        }),
    );
    let url = serve(slow).await;
    let mut config = HttpProviderConfig::new(&url, key());
    config.attempt_timeout = Duration::from_millis(400);
    config.deadline = Duration::from_millis(5_000);
    let provider = Provider::Http(Arc::new(HttpProvider::new(config)));
    // The gateway's own limit is shorter than the provider's deadline: the gateway's wins.
    let shared = SharedData::new(app.db.clone(), provider, test_subject_key(), Duration::from_millis(700));
    let started = Instant::now();
    let result = shared.verify_identity(&Caller::public("accounts.real_name"), &id(ZHANG_WEI), "张伟").await;
    assert_eq!(result, Err(AccessError::Unavailable));
    assert!(started.elapsed() < Duration::from_millis(1_500), "took {:?}", started.elapsed());
    let rows = audit_rows(&app.db).await;
    assert_eq!(rows.last().map(|r| r.2.as_str()), Some("timeout"));
});

#[tokio::test]
async fn the_portal_database_has_no_register_tables_and_no_module_reads_them() {
    // 1. The portal's schema (after every migration, on both backends) holds none of them.
    const REGISTER_TABLES: [&str; 7] =
        ["people", "households", "entities", "indicators", "indicator_values", "places", "register_meta"];
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let shape = app::platform::testing::fresh_db(backend).await.schema_shape().await.expect("shape");
        let tables: std::collections::HashSet<&str> = shape.iter().map(|(t, _, _)| t.as_str()).collect();
        for table in REGISTER_TABLES {
            assert!(!tables.contains(table), "{backend:?} portal schema has register table {table}");
        }
    }
    // 2. No source file outside the register store names a register table in SQL.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let allowed = root.join("app/src/registers/store");
    let mut offenders = Vec::new();
    for dir in ["app/src", "server/src"] {
        for file in crate::support::rust_files(&root.join(dir)) {
            if file.starts_with(&allowed) {
                continue;
            }
            let text = std::fs::read_to_string(&file).expect("read source").to_uppercase();
            for table in REGISTER_TABLES {
                let table = table.to_uppercase();
                for keyword in ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"] {
                    if text.contains(&format!("{keyword} {table} ")) || text.contains(&format!("{keyword} {table}\n")) {
                        offenders.push(format!("{}: {keyword} {table}", file.display()));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "register tables named outside the register store: {offenders:?}");
    // 3. The scan itself works: the store does name them.
    let store_sql = std::fs::read_to_string(allowed.join("db.rs")).expect("store sql").to_uppercase();
    assert!(store_sql.contains("FROM PEOPLE "));
    // 4. The in-process provider really runs on another database file than the portal.
    drop(demo_provider().await);
    let app = TestApp::new(Backend::Sqlite).await;
    let portal_tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
        .fetch_all(app.db.pool())
        .await
        .expect("tables");
    assert!(!portal_tables.iter().any(|t| t == "people"));
}
