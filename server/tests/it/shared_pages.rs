//! Public pages built on the shared-data layer: statistics, the open-data catalogue and the
//! place lookup, including what citizens see when a register cannot answer.

use crate::on_both_backends;
use crate::registers::{key, serve};
use crate::support::{body_text, test_config, TestApp};
use app::platform::Backend;
use app::registers::http_client::{HttpProvider, HttpProviderConfig};
use app::registers::Provider;
use std::sync::Arc;
use std::time::Duration;

on_both_backends!(statistics_page_draws_charts_with_tables_and_audits_the_read, |app| {
    let res = app.get("/statistics").await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert_eq!(html.matches("<figure").count(), 4);
    assert_eq!(html.matches("role=\"img\"").count(), 4);
    assert!(html.contains("<caption>地区生产总值（单位：亿元）</caption>"));
    assert!(html.contains("<th scope=\"row\">2025</th><td class=\"numeric\">3781</td>"), "the table holds the numbers");
    assert!(html.contains("2025 年：3781 亿元，比上年 +4.1%"), "latest value with change");
    assert_eq!(html.matches("class=\"chart__bar\"").count(), 36, "12 years × 3 bar charts");
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT consumer, outcome, request_id FROM data_access_log")
            .fetch_all(app.db.pool())
            .await
            .expect("audit");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("statistics.public", "ok"));
    assert!(!rows[0].2.is_empty(), "the audit row carries the request id");
});

on_both_backends!(open_data_lists_only_unconditional_resources_without_internal_wiring, |app| {
    let html = body_text(app.get("/open-data").await).await;
    for code in ["JJ-0001", "DZ-0001"] {
        assert!(html.contains(code), "{code} listed");
    }
    for hidden in ["RK-0001", "FR-0001", "RK-0002", "statistics.public", "places.autocomplete"] {
        assert!(!html.contains(hidden), "{hidden} must not appear");
    }
    assert!(html.contains("市统计局") && html.contains("无条件共享"));
    let en = body_text(app.get_with_cookie("/open-data", "onestop_lang=en").await).await;
    assert!(en.contains("Main macro-economic indicators") && en.contains("Shared without conditions"));
});

on_both_backends!(place_lookup_finds_streets_and_refuses_overlong_queries_keeping_them, |app| {
    let html = body_text(app.get("/places?q=%E9%85%92%E6%B3%89%E8%B7%AF").await).await;
    assert!(html.contains("城关区 酒泉路街道"));
    assert!(html.contains("620102001"));
    let long = "长".repeat(40);
    let res = app.get(&format!("/places?q={}", urlencode(&long))).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains(&format!("value=\"{long}\"")), "typed text is kept");
    assert!(html.contains("查询内容不能超过 32 个字"));
    assert!(html.contains("aria-invalid=\"true\""));
});

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn a_register_that_does_not_answer_gives_a_clear_503_and_keeps_the_query() {
    let silent = axum::Router::new().route(
        "/registers/v1/{op}",
        axum::routing::post(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            ""
        }),
    );
    let mut config = HttpProviderConfig::new(&serve(silent).await, key());
    config.attempt_timeout = Duration::from_millis(200);
    config.deadline = Duration::from_millis(500);
    let provider = Provider::Http(Arc::new(HttpProvider::new(config)));
    let app = TestApp::with_provider(Backend::Sqlite, test_config(&[]), provider).await;
    let res = app.get("/places?q=%E9%85%92%E6%B3%89%E8%B7%AF").await;
    assert_eq!(res.status(), 503);
    let html = body_text(res).await;
    assert!(html.contains("地名地址库暂时无法访问"));
    assert!(html.contains("可以直接输入完整地址"));
    assert!(html.contains("value=\"酒泉路\""), "what was typed is kept");
    let res = app.get("/statistics").await;
    assert_eq!(res.status(), 503);
    assert!(body_text(res).await.contains("暂时无法获取"));
    let outcomes: Vec<String> = sqlx::query_scalar("SELECT outcome FROM data_access_log ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
    assert_eq!(outcomes, vec!["timeout", "timeout"]);
}
