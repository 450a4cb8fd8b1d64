//! The provider contract, run against the in-process provider and against the HTTP provider
//! talking to the portal's own provider endpoint on loopback; plus the HTTP provider's defences
//! against slow, failing, forged and malformed departments.

use crate::support::{demo_provider, demo_registers_url};
use app::identifiers::ResidentId;
use app::platform::Db;
use app::registers::contract::*;
use app::registers::http_client::{HttpProvider, HttpProviderConfig};
use app::registers::store::RegisterStore;
use app::registers::wire::{self, SigningKey};
use app::registers::RegisterProvider;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Demo personas from the built-in city, as listed in the README.
pub const ZHANG_WEI: &str = "620102198803128172";
pub const WANG_JIANGUO: &str = "620103198209208811";
pub const LI_NA: &str = "620105197901253860";
pub const LI_NA_COMPANY: &str = "91620105MACKFHWX9P";

pub fn key() -> SigningKey {
    SigningKey::new("portal", &[0x42; 32]).expect("key")
}

/// Serves `router` on a free loopback port; returns its base URL.
pub async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await.ok() });
    format!("http://{addr}")
}

/// The portal's provider endpoint over the demo registers, and an HTTP provider that calls it.
pub async fn http_provider() -> HttpProvider {
    let store = RegisterStore::open(&demo_registers_url().await).await.expect("store");
    let url = serve(app::registers::http_service::router(store, key())).await;
    HttpProvider::new(HttpProviderConfig::new(&url, key()))
}

fn person(id: &str, fields: &[PersonField]) -> PersonRequest {
    PersonRequest { id_number: id.into(), fields: fields.to_vec() }
}

/// The contract: every provider must pass this.
async fn contract_suite(p: &impl RegisterProvider) {
    // Only the requested fields come back.
    let r = p.person(&person(ZHANG_WEI, &[PersonField::Name, PersonField::Sex])).await.expect("person");
    assert_eq!(r.name.as_deref(), Some("张伟"));
    assert_eq!(r.sex, Some(Sex::Male));
    assert_eq!(r.present_fields(), vec![PersonField::Name, PersonField::Sex]);

    let all = p.person(&person(WANG_JIANGUO, PersonField::ALL)).await.expect("person");
    assert_eq!(all.birth_date.as_deref(), Some("1982-09-20"));
    assert_eq!(all.marital_status, Some(MaritalStatus::Married));
    assert!(all.household_address.as_deref().is_some_and(|a| a.starts_with("甘肃省兰州市七里河区")));
    let members = all.household_members.expect("members");
    let summary: Vec<(Relation, &str)> = members.iter().map(|m| (m.relation, m.name.as_str())).collect();
    assert_eq!(
        summary,
        vec![
            (Relation::Head, "王建国"),
            (Relation::Spouse, "刘芳"),
            (Relation::Son, "王子涵"),
            (Relation::Daughter, "王雨桐")
        ]
    );
    assert!(members.iter().all(|m| ResidentId::parse(&m.id_number).is_ok()));

    // Unknown but valid number; bad checksum; nothing asked for.
    let unknown = ResidentId::complete("62010219990101999").expect("valid body");
    assert_eq!(p.person(&person(unknown.as_str(), &[PersonField::Name])).await, Err(ProviderError::NotFound));
    let bad = format!("{}{}", &ZHANG_WEI[..17], if ZHANG_WEI.ends_with('1') { '2' } else { '1' });
    assert!(matches!(p.person(&person(&bad, &[PersonField::Name])).await, Err(ProviderError::BadRequest(_))));
    assert!(matches!(p.person(&person(ZHANG_WEI, &[])).await, Err(ProviderError::BadRequest(_))));

    let check = |name: &str| IdentityCheckRequest { id_number: ZHANG_WEI.into(), name: name.into() };
    assert_eq!(p.verify_identity(&check("张伟")).await, Ok(IdentityCheck { matches: true }));
    assert_eq!(p.verify_identity(&check("张玮")).await, Ok(IdentityCheck { matches: false }));

    let e = p
        .entity(&EntityRequest {
            credit_code: LI_NA_COMPANY.into(),
            fields: vec![EntityField::Name, EntityField::LegalRepresentative, EntityField::Status],
        })
        .await
        .expect("entity");
    assert_eq!(e.name.as_deref(), Some("兰州金城智联信息技术有限公司"));
    assert_eq!(e.legal_representative.as_deref(), Some("李娜"));
    assert_eq!((e.status, e.registered_capital), (Some(EntityStatus::Active), None));
    let missing = app::identifiers::CreditCode::complete("91620102MA0000000").expect("valid body");
    let req = EntityRequest { credit_code: missing.as_str().into(), fields: vec![EntityField::Name] };
    assert_eq!(p.entity(&req).await, Err(ProviderError::NotFound));

    let series = p.indicators(&IndicatorRequest { codes: vec!["gdp".into(), "cpi".into()] }).await.expect("series");
    assert_eq!(series.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), vec!["gdp", "cpi"]);
    assert!(series[0].points.len() >= 10 && series[0].points[0].period == "2014");
    let everything = p.indicators(&IndicatorRequest::default()).await.expect("all");
    assert!(everything.iter().any(|s| s.frequency == Frequency::QuarterlyCumulative));
    let unknown = IndicatorRequest { codes: vec!["no_such".into()] };
    assert!(matches!(p.indicators(&unknown).await, Err(ProviderError::BadRequest(_))));

    let req = PlaceRequest { text: "酒泉路".into(), kind: None, within: None, limit: 5 };
    let places = p.places(&req).await.expect("places");
    assert_eq!(places[0].full_name, "城关区 酒泉路街道");
    assert_eq!(places[0].kind, PlaceKind::Street);
    assert!(places.len() <= 5 && places.iter().all(|pl| pl.full_name.contains("酒泉路")));
    let req = PlaceRequest {
        text: "社区".into(),
        kind: Some(PlaceKind::Community),
        within: Some("620105".into()),
        limit: 50,
    };
    let places = p.places(&req).await.expect("places");
    assert_eq!(places.len(), 50);
    assert!(places.iter().all(|pl| pl.kind == PlaceKind::Community && pl.code.starts_with("620105")));
    let library = PlaceRequest { text: "图书馆".into(), kind: Some(PlaceKind::Named), within: None, limit: 10 };
    let places = p.places(&library).await.expect("places");
    assert!(places.len() >= 2 && places.iter().all(|pl| (103.0..105.0).contains(&pl.longitude)));
    let too_many = PlaceRequest { limit: MAX_PLACES + 1, ..library };
    assert!(matches!(p.places(&too_many).await, Err(ProviderError::BadRequest(_))));
}

#[tokio::test]
async fn the_in_process_provider_fulfils_the_contract() {
    contract_suite(&demo_provider().await).await;
}

#[tokio::test]
async fn the_http_provider_fulfils_the_same_contract_against_the_portal_endpoint() {
    contract_suite(&http_provider().await).await;
}

#[tokio::test]
async fn the_demo_registers_are_large_valid_and_deterministic() {
    let db = Db::connect(&demo_registers_url().await).await.expect("registers db");
    let count = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db.pool()).await.expect(sql) }
    };
    assert!(count("SELECT COUNT(*) FROM people").await >= 20_000);
    assert!(count("SELECT COUNT(*) FROM entities").await >= 3_000);
    assert!(count("SELECT COUNT(DISTINCT period) FROM indicator_values WHERE code = 'gdp'").await >= 10);
    assert!(count("SELECT COUNT(*) FROM places WHERE kind = 'community'").await > 1_000);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id_number FROM people").fetch_all(db.pool()).await.expect("ids");
    assert!(ids.iter().all(|id| ResidentId::parse(id).is_ok_and(|r| r.area_code().starts_with("6201"))));
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT credit_code FROM entities").fetch_all(db.pool()).await.expect("codes");
    assert!(codes.iter().all(|c| app::identifiers::CreditCode::parse(c).is_ok()));
    db.close().await;
}

#[tokio::test]
async fn the_readme_lists_demo_people_and_companies_that_exist() {
    let readme = include_str!("../../../README.md");
    for id in [ZHANG_WEI, WANG_JIANGUO, LI_NA, LI_NA_COMPANY] {
        assert!(readme.contains(id), "README does not list {id}");
    }
    let p = demo_provider().await;
    let li_na = p.person(&person(LI_NA, &[PersonField::Name])).await.expect("李娜");
    assert_eq!(li_na.name.as_deref(), Some("李娜"));
    let req = EntityRequest { credit_code: LI_NA_COMPANY.into(), fields: vec![EntityField::LegalRepresentativeId] };
    assert_eq!(p.entity(&req).await.expect("company").legal_representative_id.as_deref(), Some(LI_NA));
}

/// A department endpoint that misbehaves in a chosen way, counting the requests it gets.
async fn misbehaving(behaviour: &'static str, hits: Arc<AtomicUsize>) -> String {
    let handler = move |headers: HeaderMap, _body: axum::body::Bytes| {
        let hits = hits.clone();
        async move {
            hits.fetch_add(1, Ordering::SeqCst);
            let nonce = headers.get(wire::HEADER_NONCE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let signed = |status: u16, body: &str| {
                let ts = app::platform::time::now_unix();
                let sig = key().sign_response(status, &nonce, ts, body.as_bytes());
                let mut res = (StatusCode::from_u16(status).expect("status"), body.to_owned()).into_response();
                res.headers_mut().insert(wire::HEADER_TIMESTAMP, ts.to_string().parse().expect("header"));
                res.headers_mut().insert(wire::HEADER_SIGNATURE, sig.parse().expect("header"));
                res
            };
            match behaviour {
                "slow" => {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    signed(200, "{}")
                }
                "unsigned" => (StatusCode::OK, r#"{"name":"假名"}"#).into_response(),
                "forged" => {
                    let mut res = signed(200, r#"{"name":"张伟"}"#);
                    *res.body_mut() = axum::body::Body::from(r#"{"name":"假名"}"#);
                    res
                }
                "malformed" => signed(200, "<html>gateway</html>"),
                "extra_fields" => signed(200, r#"{"name":"张伟","ethnicity":"汉族"}"#),
                "down" => StatusCode::BAD_GATEWAY.into_response(),
                _ => StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    serve(axum::Router::new().route("/registers/v1/{op}", axum::routing::post(handler))).await
}

fn quick(url: &str) -> HttpProviderConfig {
    let mut config = HttpProviderConfig::new(url, key());
    config.attempt_timeout = Duration::from_millis(300);
    config.deadline = Duration::from_millis(800);
    config
}

#[tokio::test]
async fn forged_unsigned_malformed_and_over_sharing_answers_are_rejected() {
    for behaviour in ["unsigned", "forged", "malformed", "extra_fields"] {
        let hits = Arc::new(AtomicUsize::new(0));
        let provider = HttpProvider::new(quick(&misbehaving(behaviour, hits.clone()).await));
        let result = provider.person(&person(ZHANG_WEI, &[PersonField::Name])).await;
        assert!(matches!(result, Err(ProviderError::InvalidResponse(_))), "{behaviour}: {result:?}");
        assert_eq!(hits.load(Ordering::SeqCst), 1, "{behaviour}: a rejected answer is not retried");
    }
}

#[tokio::test]
async fn a_slow_provider_times_out_within_the_deadline() {
    let hits = Arc::new(AtomicUsize::new(0));
    let provider = HttpProvider::new(quick(&misbehaving("slow", hits.clone()).await));
    let started = Instant::now();
    let result = provider.person(&person(ZHANG_WEI, &[PersonField::Name])).await;
    assert_eq!(result, Err(ProviderError::Timeout));
    assert!(started.elapsed() < Duration::from_millis(1200), "took {:?}", started.elapsed());
    assert!(hits.load(Ordering::SeqCst) >= 2, "timeouts are retried within the deadline");
}

#[tokio::test]
async fn failures_are_retried_a_bounded_number_of_times_then_the_circuit_opens() {
    let hits = Arc::new(AtomicUsize::new(0));
    let mut config = quick(&misbehaving("down", hits.clone()).await);
    config.retries = 2;
    config.breaker_threshold = 3;
    config.breaker_cooldown = Duration::from_millis(400);
    let provider = HttpProvider::new(config);
    let request = person(ZHANG_WEI, &[PersonField::Name]);
    let call = || provider.person(&request);
    assert_eq!(call().await, Err(ProviderError::Unavailable));
    assert_eq!(hits.load(Ordering::SeqCst), 3, "one attempt and two retries");
    call().await.ok();
    call().await.ok();
    let before = hits.load(Ordering::SeqCst);
    assert_eq!(call().await, Err(ProviderError::CircuitOpen));
    assert_eq!(hits.load(Ordering::SeqCst), before, "an open circuit does not call the provider");
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(call().await, Err(ProviderError::Unavailable), "after the cool-down one trial call goes through");
    assert!(hits.load(Ordering::SeqCst) > before);
    assert_eq!(call().await, Err(ProviderError::CircuitOpen), "a failed trial opens the circuit again");
}

#[tokio::test]
async fn the_provider_endpoint_refuses_wrong_keys_and_replays() {
    let store = RegisterStore::open(&demo_registers_url().await).await.expect("store");
    let url = serve(app::registers::http_service::router(store, key())).await;
    let wrong = SigningKey::new("portal", &[0x43; 32]).expect("key");
    let provider = HttpProvider::new(HttpProviderConfig::new(&url, wrong));
    let result = provider.person(&person(ZHANG_WEI, &[PersonField::Name])).await;
    assert!(matches!(result, Err(ProviderError::InvalidResponse(_))), "{result:?}");

    // Replaying a correctly signed request is refused.
    let body = serde_json::to_vec(&person(ZHANG_WEI, &[PersonField::Name])).expect("json");
    let path = "/registers/v1/person";
    let (ts, nonce) = (app::platform::time::now_unix(), wire::new_nonce());
    let sig = key().sign_request(path, ts, &nonce, &body);
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let req = http::Request::post(format!("{url}{path}"))
            .header(wire::HEADER_KEY, "portal")
            .header(wire::HEADER_TIMESTAMP, ts.to_string())
            .header(wire::HEADER_NONCE, &nonce)
            .header(wire::HEADER_SIGNATURE, &sig)
            .body(http_body_util::Full::new(bytes::Bytes::from(body.clone())))
            .expect("request");
        statuses.push(client.request(req).await.expect("response").status().as_u16());
    }
    assert_eq!(statuses, vec![200, 401]);
}
