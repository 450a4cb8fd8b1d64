//! Online applications through the real router on both databases: start, prefill with consent
//! through the audited gateway, steps with repeating groups, errors that keep what was typed,
//! check your answers, idempotent submission with a number, deadlines and mail, tracking,
//! progress lookup without signing in, withdrawal, 补正, rating, and another citizen kept out of
//! every address that names an application.

use crate::accounts::{Browser, PASSWORD};
use crate::on_both_backends;
use crate::registers::{WANG_JIANGUO, ZHANG_WEI};
use crate::support::{body_text, TestApp};
use axum::body::Body;
use axum::http::Response;

pub(crate) const LOW_INCOME: &str = "620100-MZ-JF-0001";

/// Valid answers to the first step of the minimum living allowance form (张伟), and "continue".
pub(crate) const LOW_INCOME_DETAILS: [(&str, &str); 7] = [
    ("applicant_name", "张伟"),
    ("applicant_id", ZHANG_WEI),
    ("household_address", "甘肃省兰州市城关区"),
    ("living_address", "甘肃省兰州市城关区张掖路1号"),
    ("phone", "13912345678"),
    ("hardship_reason", "illness"),
    ("action", "continue"),
];

/// One household member (the applicant), and "continue".
pub(crate) const LOW_INCOME_MEMBER: [(&str, &str); 5] = [
    ("members.0.member_name", "张伟"),
    ("members.0.member_id", ZHANG_WEI),
    ("members.0.member_relation", "self"),
    ("members.0.member_income", "800"),
    ("action", "continue"),
];

pub(crate) fn location(res: &Response<Body>) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// A signed-in citizen whose real name is verified (so prefill can read the register).
pub(crate) async fn verified_citizen<'a>(app: &'a TestApp, name: &str, id: &str, email: &str) -> Browser<'a> {
    let mut b = Browser::new(app);
    assert_eq!(b.register(name, id, email).await.status(), 303);
    assert_eq!(b.post("/account/real-name", &[]).await.status(), 303);
    b
}

/// The application's reference from an address under `/applications/`.
fn reference_in(path: &str) -> String {
    path.trim_start_matches("/applications/").split(['/', '?']).next().unwrap_or_default().to_owned()
}

/// Applies for the minimum living allowance up to the review page, the way a browser without
/// JavaScript does; returns the reference.
pub(crate) async fn fill_low_income(b: &mut Browser<'_>) -> String {
    let res = b.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    assert!(to.ends_with("/prefill"), "the form reads the population register, so it asks first: {to}");
    let reference = reference_in(&to);
    let res = b.post(&to, &[("decision", "agree")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/1?notice=prefilled"));
    let res = b.post(&format!("/applications/{reference}/step/1"), &LOW_INCOME_DETAILS).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/2"));
    let step2 = format!("/applications/{reference}/step/2");
    assert_eq!(b.post(&step2, &[("action", "add")]).await.status(), 303);
    let res = b.post(&step2, &LOW_INCOME_MEMBER).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/3"));
    let res = b
        .post_files(
            &format!("/applications/{reference}/files?slot=authorisation_scan"),
            &[("file", "授权书.pdf", &pdf("authorisation"))],
        )
        .await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/3?notice=uploaded"));
    let res = b.post(&format!("/applications/{reference}/step/3"), &[("action", "continue")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}/review"));
    reference
}

/// A small, valid one-page PDF whose text makes its content (and hash) unique (the one the demo
/// cases attach).
pub(crate) fn pdf(text: &str) -> Vec<u8> {
    app::cases::server::demo::sample_pdf(text)
}

pub(crate) fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}

on_both_backends!(a_citizen_applies_with_prefill_and_submits_once, |app| {
    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let guide = body_text(b.get(&format!("/services/{LOW_INCOME}")).await).await;
    assert!(guide.contains(&format!("/services/{LOW_INCOME}/apply")), "the guide offers to apply online");
    let start = b.get(&format!("/services/{LOW_INCOME}/apply")).await;
    assert_eq!(start.status(), 200);

    let reference = fill_low_income(&mut b).await;
    // The prefilled answer says where it came from; the register call is audited.
    let step1 = body_text(b.get(&format!("/applications/{reference}/step/1")).await).await;
    assert!(step1.contains("人口基础信息库"), "the prefilled answer names its register");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM data_access_log WHERE consumer = 'applications.prefill'")
            .fetch_one(app.db.pool())
            .await
            .expect("audit");
    assert!(audited >= 1, "prefill went through the audited gateway");

    let review = body_text(b.get(&format!("/applications/{reference}/review")).await).await;
    assert!(review.contains("800") && review.contains("家庭成员患病"), "check your answers shows them");
    assert!(review.contains(&format!("/applications/{reference}/step/2")), "with a change link per step");
    let key = hidden_value(&review, "submission_key");
    assert_eq!(key.len(), 32);

    // Without the declaration: the same page, 400, the message next to the box.
    let res = b.post(&format!("/applications/{reference}/review"), &[("submission_key", &key)]).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("请确认承诺后再提交"));

    // A double click: two posts of the same form, one application.
    let form = [("submission_key", key.as_str()), ("declaration", "yes")];
    let first = b.post(&format!("/applications/{reference}/review"), &form).await;
    let second = b.post(&format!("/applications/{reference}/review"), &form).await;
    assert_eq!(location(&first), format!("/applications/{reference}?notice=submitted"));
    assert_eq!(location(&second), location(&first));
    let (count, number): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(number) FROM applications WHERE status = 'submitted'")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
    assert_eq!(count, 1);
    let number = number.expect("a number");
    assert!(app::applications::model::parse_application_number(&number).is_some(), "{number} carries its check");

    let page = body_text(b.get(&format!("/applications/{reference}")).await).await;
    assert!(page.contains(&number) && page.contains("已提交，待预审"), "confirmation with number and status");
    assert!(page.contains("最迟在"), "says by when the pre-review answers");
    let mail: String = sqlx::query_scalar(
        "SELECT body FROM mail_outbox WHERE recipient = 'zhang.wei@example.cn' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("mail");
    assert!(mail.contains(&number) && mail.contains(&reference), "the mail names the number and links the case");
    let mine = body_text(b.get("/applications").await).await;
    assert!(mine.contains(&number));

    // Progress without signing in: number + ID ending; a wrong ending answers like no number.
    let mut visitor = Browser::new(&app);
    let last4 = &ZHANG_WEI[14..];
    let res = visitor.post("/progress", &[("number", &number), ("id_last4", last4)]).await;
    assert_eq!(res.status(), 200);
    let found = body_text(res).await;
    assert!(found.contains("已提交，待预审") && !found.contains("张伟"), "status, and no name");
    let wrong = visitor.post("/progress", &[("number", &number), ("id_last4", "0000")]).await;
    assert_eq!(wrong.status(), 404);
    let wrong_text = body_text(wrong).await;
    let other_number = app::applications::model::application_number("20200101", 1);
    let unknown = visitor.post("/progress", &[("number", &other_number), ("id_last4", last4)]).await;
    assert_eq!(unknown.status(), 404);
    let main =
        |html: &str| html.split("<main").nth(1).and_then(|m| m.split("</main>").next()).unwrap_or_default().to_owned();
    assert_eq!(
        main(&wrong_text).replace(&number, "N").replace("0000", "L"),
        main(&body_text(unknown).await).replace(&other_number, "N").replace(last4, "L"),
        "an existing number with the wrong ID ending reads exactly like an unknown number"
    );
    let slip = visitor.post("/progress", &[("number", "202612030000010"), ("id_last4", last4)]).await;
    assert_eq!(slip.status(), 400, "a mistyped number is caught by its check character");

    // Withdrawal before acceptance, with confirmation.
    let res = b.post(&format!("/applications/{reference}/withdraw"), &[]).await;
    assert_eq!(res.status(), 400);
    let res = b.post(&format!("/applications/{reference}/withdraw"), &[("confirm", "yes")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}?notice=withdrawn"));
    let page = body_text(b.get(&format!("/applications/{reference}")).await).await;
    assert!(page.contains("已撤回"));
});

on_both_backends!(answers_survive_errors_and_groups_work_without_javascript, |app| {
    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let res = b.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await;
    let reference = reference_in(&location(&res));
    let res = b.post(&format!("/applications/{reference}/prefill"), &[("decision", "decline")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/1"));
    let step1 = body_text(b.get(&format!("/applications/{reference}/step/1")).await).await;
    assert!(!step1.contains("人口基础信息库"), "declined: nothing read");
    let res = b
        .post(
            &format!("/applications/{reference}/step/1"),
            &[
                ("applicant_name", "张伟"),
                ("applicant_id", "620102198803128173"),
                ("phone", "12"),
                ("action", "continue"),
            ],
        )
        .await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert!(html.contains("error-summary"), "an error summary");
    assert!(html.contains("href=\"#q-applicant_id\""), "linking to the field");
    assert!(html.contains("身份证号码校验位不正确"), "the message in the reader's language");
    assert!(html.contains("value=\"620102198803128173\""), "what was typed is still there");
    // And it was saved: a new visit shows it too (drafts keep even wrong answers).
    let again = body_text(b.get(&format!("/applications/{reference}/step/1")).await).await;
    assert!(again.contains("value=\"620102198803128173\""));

    // With JavaScript the step saves itself as the citizen types (the island calls this).
    let autosave =
        format!("reference={reference}&step=1&keys[0]=living_address&values[0]=%E5%BC%A0%E6%8E%96%E8%B7%AF2%E5%8F%B7");
    let res = b.post_raw("/api/applications/autosave", &autosave).await;
    assert_eq!(res.status(), 200);
    let again = body_text(b.get(&format!("/applications/{reference}/step/1")).await).await;
    assert!(again.contains("value=\"张掖路2号\""), "autosaved");
    assert!(again.contains("StepEnhancer"), "the step carries the checking and saving island");
    let mut stranger = verified_citizen(&app, "王建国", WANG_JIANGUO, "wang@example.cn").await;
    assert_eq!(stranger.post_raw("/api/applications/autosave", &autosave).await.status(), 404);

    let step2 = format!("/applications/{reference}/step/2");
    for _ in 0..3 {
        assert_eq!(b.post(&step2, &[("action", "add")]).await.status(), 303);
    }
    let form = [
        ("members.0.member_name", "甲"),
        ("members.1.member_name", "乙"),
        ("members.2.member_name", "丙"),
        ("action", "remove:1"),
    ];
    assert_eq!(b.post(&step2, &form).await.status(), 303);
    let html = body_text(b.get(&step2).await).await;
    assert!(html.contains("value=\"甲\"") && html.contains("value=\"丙\"") && !html.contains("value=\"乙\""));
    assert!(!html.contains("members.2.member_name"), "two entries left");

    // Leaving: the draft is listed and resumes where it was.
    let res = b.post(&step2, &[("action", "save")]).await;
    assert_eq!(location(&res), "/applications?notice=draft_saved");
    let mut elsewhere = Browser::new(&app);
    elsewhere.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    let list = body_text(elsewhere.get("/applications").await).await;
    assert!(list.contains(&reference), "the draft is listed on another device");
    let res = elsewhere.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/2"), "applying again resumes the draft");
});

on_both_backends!(another_citizen_reaches_nothing_of_an_application, |app| {
    let mut owner = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let reference = fill_low_income(&mut owner).await;
    let mut other = verified_citizen(&app, "王建国", WANG_JIANGUO, "wang@example.cn").await;
    for page in ["", "/prefill", "/step/1", "/review", "/supplement"] {
        let res = other.get(&format!("/applications/{reference}{page}")).await;
        assert_eq!(res.status(), 404, "GET {page}");
        assert!(!body_text(res).await.contains("张伟"), "GET {page} shows nothing of the owner");
    }
    let posts: [(&str, &[(&str, &str)]); 7] = [
        ("/prefill", &[("decision", "agree")]),
        ("/step/1", &[("applicant_name", "x"), ("action", "continue")]),
        ("/review", &[("submission_key", "0123456789abcdef0123"), ("declaration", "yes")]),
        ("/withdraw", &[("confirm", "yes")]),
        ("/supplement", &[("note", "x")]),
        ("/rating", &[("level", "5")]),
        ("/step/2", &[("action", "add")]),
    ];
    for (path, form) in posts {
        let res = other.post(&format!("/applications/{reference}{path}"), form).await;
        assert_eq!(res.status(), 404, "POST {path}");
    }
    let api = other.get(&format!("/api/applications/one?reference={reference}")).await;
    assert_eq!(api.status(), 404);
    let (status, answers): (String, String) =
        sqlx::query_as("SELECT status, answers FROM applications WHERE reference = $1")
            .bind(&reference)
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert_eq!(status, "draft");
    assert!(answers.contains("13912345678") && !answers.contains("\"x\""), "nothing changed");
    // Anonymous: sign in first.
    let mut visitor = Browser::new(&app);
    assert_eq!(visitor.get(&format!("/applications/{reference}")).await.status(), 401);
    let res = visitor.post(&format!("/applications/{reference}/step/1"), &[("action", "continue")]).await;
    assert!(location(&res).starts_with("/login?next="), "anonymous posts go to sign in");
});

on_both_backends!(a_supplement_request_is_answered_with_new_files_and_the_case_is_rated_once, |app| {
    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let reference = fill_low_income(&mut b).await;
    let review = body_text(b.get(&format!("/applications/{reference}/review")).await).await;
    let key = hidden_value(&review, "submission_key");
    b.post(&format!("/applications/{reference}/review"), &[("submission_key", &key), ("declaration", "yes")]).await;

    // The clerk's side (the review console) asks for one material, with a reason.
    let ctx_db = app.db.clone();
    let (id, citizen): (i64, i64) = sqlx::query_as("SELECT id, citizen_id FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(ctx_db.pool())
        .await
        .expect("row");
    let items = r#"[{"material":"income_statement","reason":"请提供近6个月的收入证明"}]"#;
    assert!(app::applications::server::db::request_supplement(&ctx_db, citizen, id, items, "", 1, None)
        .await
        .expect("request"));
    let page = body_text(b.get(&format!("/applications/{reference}")).await).await;
    assert!(page.contains("请提供近6个月的收入证明") && page.contains("暂停计算"), "the notice and the stopped clock");
    // Resubmitting without the file: refused, named.
    let res = b.post(&format!("/applications/{reference}/supplement"), &[("note", "已补充")]).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("请为此材料上传新文件"));
    let res = b
        .post_files(
            &format!("/applications/{reference}/files?slot=income_statement_scan"),
            &[("file", "收入证明.pdf", &pdf("income for the supplement"))],
        )
        .await;
    assert_eq!(location(&res), format!("/applications/{reference}/supplement?notice=uploaded"));
    let res = b.post(&format!("/applications/{reference}/supplement"), &[("note", "已补充\n收入证明")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}?notice=supplemented"));
    let revisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM application_revisions WHERE application_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("n");
    assert_eq!(revisions, 2, "the first version is kept");

    // Completed (by the console later): rated once; a 差评 needs an aspect.
    sqlx::query("UPDATE applications SET status = 'completed', closed_at = 1 WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .expect("complete");
    let page = body_text(b.get(&format!("/applications/{reference}")).await).await;
    assert!(page.contains("评价本次服务"));
    let res = b.post(&format!("/applications/{reference}/rating"), &[("level", "2")]).await;
    assert_eq!(res.status(), 400);
    let res = b
        .post(
            &format!("/applications/{reference}/rating"),
            &[("level", "2"), ("indicator", "efficiency"), ("comment", "太慢")],
        )
        .await;
    assert_eq!(location(&res), format!("/applications/{reference}?notice=rated"));
    let res = b.post(&format!("/applications/{reference}/rating"), &[("level", "5")]).await;
    assert_eq!(res.status(), 409, "one rating per application");
    let level: i64 = sqlx::query_scalar("SELECT level FROM application_ratings WHERE application_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("rating");
    assert_eq!(level, 2);
});

/// A valid answer for a question, as a citizen would type it.
fn typed_answer(q: &app::catalogue::model::Question, id_number: &str) -> String {
    use app::catalogue::model::QuestionKind::*;
    let text = |s: &str| s.chars().take(q.max_length.map_or(50, |m| m as usize)).collect::<String>();
    match q.kind {
        Text => text("测试填写内容"),
        Address => text("甘肃省兰州市城关区张掖路1号"),
        Number => q.min.map_or(1.0, |m| m.max(0.0).ceil()).to_string(),
        Date => "2024-01-15".into(),
        Choice => q.options.first().map(|o| o.value.clone()).unwrap_or_default(),
        IdNumber => id_number.into(),
        Phone => "13912345678".into(),
        Group | File => String::new(),
    }
}

on_both_backends!(every_demo_service_offering_the_online_channel_takes_an_application_end_to_end, |app| {
    use app::applications::model::{entry_key, steps, StepKind};
    use app::catalogue::model::{Channel, ItemContent, QuestionKind, Target};
    let li_na = crate::registers::LI_NA;
    let mut b = verified_citizen(&app, "李娜", li_na, "li.na@example.cn").await;
    let items: Vec<ItemContent> = app::catalogue::server::db::published(&app.db)
        .await
        .expect("published")
        .into_iter()
        .map(|(v, _)| serde_json::from_str(&v.content).expect("item"))
        .filter(|i: &ItemContent| i.channels.contains(&Channel::Online))
        .collect();
    assert!(items.len() >= 5, "the demo city offers online applications");
    // A business service needs the citizen to act for a business first.
    let business = items.iter().find(|i| i.target == Target::Entity).expect("a service for businesses");
    let res = b.post(&format!("/services/{}/apply", business.code), &[]).await;
    assert_eq!(res.status(), 403);
    let html = body_text(res).await;
    assert!(html.contains("/account/business"), "{}", html.split("<main").nth(1).unwrap_or_default());
    let res = b.post("/account/entities", &[("credit_code", crate::registers::LI_NA_COMPANY)]).await;
    assert_eq!(res.status(), 303);

    for item in &items {
        let res = b.post(&format!("/services/{}/apply", item.code), &[]).await;
        assert_eq!(res.status(), 303, "{}", item.code);
        let mut to = location(&res);
        let reference = reference_in(&to);
        if to.ends_with("/prefill") {
            let res = b.post(&to, &[("decision", "agree")]).await;
            to = location(&res);
        }
        assert!(to.starts_with(&format!("/applications/{reference}/step/1")), "{}: {to}", item.code);
        for (i, step) in steps(&item.form).iter().enumerate() {
            let path = format!("/applications/{reference}/step/{}", i + 1);
            let mut form: Vec<(String, String)> = Vec::new();
            for q in &step.questions {
                match q.kind {
                    QuestionKind::Group => {
                        let n = q.min_items.unwrap_or(1).max(1);
                        for _ in 0..n {
                            assert_eq!(b.post(&path, &[("action", "add")]).await.status(), 303, "{}", item.code);
                        }
                        for index in 0..n {
                            for inner in &q.questions {
                                form.push((entry_key(&q.id, index, &inner.id), typed_answer(inner, li_na)));
                            }
                        }
                    }
                    QuestionKind::File => {
                        if q.required {
                            let res = b
                                .post_files(
                                    &format!("/applications/{reference}/files?slot={}", q.id),
                                    &[("file", "材料.pdf", &pdf(&format!("{} {}", item.code, q.id)))],
                                )
                                .await;
                            assert_eq!(res.status(), 303, "{} {}", item.code, q.id);
                        }
                    }
                    _ => form.push((q.id.clone(), typed_answer(q, li_na))),
                }
            }
            let page = body_text(b.get(&path).await).await;
            for (name, _) in &form {
                let top = name.split('.').next().unwrap_or_default();
                let conditional = item.form.questions.iter().any(|q| q.id == top && q.visible_if.is_some());
                assert!(conditional || page.contains(&format!("name=\"{name}\"")), "{} draws {name}", item.code);
            }
            if step.kind == StepKind::Materials {
                assert!(page.contains("multipart/form-data"), "{}: an upload form per material", item.code);
            }
            form.push(("action".into(), "continue".into()));
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let res = b.post(&path, &pairs).await;
            assert_eq!(res.status(), 303, "{} step {}: {}", item.code, i + 1, body_text(res).await.len());
        }
        let review = body_text(b.get(&format!("/applications/{reference}/review")).await).await;
        assert!(!review.contains("error-summary"), "{}: nothing left to fix", item.code);
        let key = hidden_value(&review, "submission_key");
        let res = b
            .post(&format!("/applications/{reference}/review"), &[("submission_key", &key), ("declaration", "yes")])
            .await;
        assert_eq!(location(&res), format!("/applications/{reference}?notice=submitted"), "{}", item.code);
    }
    let submitted: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE status = 'submitted' AND number IS NOT NULL")
            .fetch_one(app.db.pool())
            .await
            .expect("n");
    assert_eq!(submitted, items.len() as i64);
});

/// The portal with a register endpoint that never answers (calls give up after half a second).
async fn app_whose_registers_do_not_answer() -> TestApp {
    use app::registers::http_client::{HttpProvider, HttpProviderConfig};
    use std::time::Duration;
    let silent = axum::Router::new().route(
        "/registers/v1/{op}",
        axum::routing::post(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            ""
        }),
    );
    let mut config = HttpProviderConfig::new(&crate::registers::serve(silent).await, crate::registers::key());
    config.attempt_timeout = Duration::from_millis(200);
    config.deadline = Duration::from_millis(500);
    let provider = app::registers::Provider::Http(std::sync::Arc::new(HttpProvider::new(config)));
    TestApp::with_provider(app::platform::Backend::Sqlite, crate::support::test_config(&[]), provider).await
}

#[tokio::test]
async fn a_register_that_does_not_answer_leaves_the_citizen_typing_by_hand() {
    let app = app_whose_registers_do_not_answer().await;
    let mut b = Browser::new(&app);
    assert_eq!(b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await.status(), 303);
    // Verified earlier, while the register still answered.
    sqlx::query("UPDATE citizens SET real_name_verified_at = 1").execute(app.db.pool()).await.expect("verify");
    let res = b.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await;
    let to = location(&res);
    let reference = reference_in(&to);
    let res = b.post(&to, &[("decision", "agree")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/1?notice=register_unavailable"));
    let res = b.get(&format!("/applications/{reference}/step/1?notice=register_unavailable")).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(html.contains("部门数据暂时无法读取，请手动填写"));
    assert!(html.contains("name=\"applicant_name\"") && !html.contains("人口基础信息库"), "an empty field to type in");
    let outcomes: Vec<String> =
        sqlx::query_scalar("SELECT outcome FROM data_access_log WHERE consumer = 'applications.prefill'")
            .fetch_all(app.db.pool())
            .await
            .expect("audit");
    assert_eq!(outcomes, vec!["timeout"], "the failed call is audited too");
}

on_both_backends!(uploads_are_checked_kept_to_their_owner_and_served_safely, |app| {
    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let reference = fill_low_income(&mut b).await;
    let slot = format!("/applications/{reference}/files?slot=income_statement_scan");
    // Wrong type by content (an executable named .pdf): 415, the accepted types named, next to the slot.
    let res = b.post_files(&slot, &[("file", "收入.pdf", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0")]).await;
    assert_eq!(res.status(), 415);
    let html = body_text(res).await;
    assert!(html.contains("只能上传 PDF、JPEG 或 PNG 文件"), "the message names the accepted types");
    assert!(html.contains("id=\"q-income_statement_scan-error\""), "next to the slot");
    // Over the per-file limit: 413 naming it.
    let big = [b"%PDF-1.4\n".as_slice(), &vec![b'0'; 10 * 1024 * 1024]].concat();
    let res = b.post_files(&slot, &[("file", "大.pdf", &big)]).await;
    assert_eq!(res.status(), 413);
    assert!(body_text(res).await.contains("文件超过 10 MB"));
    // The same content twice in one application: refused at once.
    let res = b.post_files(&slot, &[("file", "again.pdf", &pdf("authorisation"))]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("这个文件已经上传过了"));
    // A slot the form does not have.
    let res =
        b.post_files(&format!("/applications/{reference}/files?slot=nonsense"), &[("file", "a.pdf", &pdf("x"))]).await;
    assert_eq!(res.status(), 409);
    // A hostile name is kept only as cleaned text.
    let res = b.post_files(&slot, &[("file", "../../etc/\u{202e}fdp.exe", &pdf("income"))]).await;
    assert_eq!(res.status(), 303);
    let names: Vec<String> = sqlx::query_scalar("SELECT original_name FROM application_files ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("names");
    assert!(names.iter().all(|n| !n.contains('/') && !n.contains('\u{202e}')), "{names:?}");

    // Downloads: the owner gets the file with the safe headers; nobody else does.
    let id: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM application_files").fetch_one(app.db.pool()).await.expect("id");
    let res = b.get(&format!("/applications/{reference}/files/{id}")).await;
    assert_eq!(res.status(), 200);
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert!(header("content-disposition").starts_with("attachment; filename=\"download.pdf\"; filename*=UTF-8''"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-security-policy"), "sandbox; default-src 'none'");
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("cross-origin-resource-policy"), "same-origin");
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.expect("body").to_bytes();
    assert_eq!(bytes.as_ref(), pdf("authorisation").as_slice(), "the stored PDF is the one sent");
    let mut other = verified_citizen(&app, "王建国", WANG_JIANGUO, "wang@example.cn").await;
    assert_eq!(other.get(&format!("/applications/{reference}/files/{id}")).await.status(), 404);
    assert_eq!(other.post_files(&slot, &[("file", "x.pdf", &pdf("other"))]).await.status(), 404);
    let mut visitor = Browser::new(&app);
    assert_eq!(visitor.get(&format!("/applications/{reference}/files/{id}")).await.status(), 404);
    // Another citizen cannot take a file off it either.
    let res = other.post(&format!("/applications/{reference}/files/remove"), &[("file", &id.to_string())]).await;
    assert_eq!(res.status(), 404);
    let res = b.post(&format!("/applications/{reference}/files/remove"), &[("file", &id.to_string())]).await;
    assert_eq!(res.status(), 303);
});

const ADDRESS_API: &str = "/api/applications/address-suggestions";

/// A low-income application of 张伟 at its first step, prefill declined (no register read).
async fn first_step_typed_by_hand(b: &mut Browser<'_>) -> String {
    let res = b.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await;
    let to = location(&res);
    let reference = reference_in(&to);
    let res = b.post(&to, &[("decision", "decline")]).await;
    assert_eq!(location(&res), format!("/applications/{reference}/step/1"));
    reference
}

/// The first step's answers with `living_address` as given, and the rest of the post.
fn details_living_at<'a>(living_address: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> =
        LOW_INCOME_DETAILS.iter().copied().filter(|(k, _)| !matches!(*k, "action" | "living_address")).collect();
    form.push(("living_address", living_address));
    form.extend_from_slice(more);
    form
}

async fn suggestions(b: &mut Browser<'_>, reference: &str, text: &str) -> (u16, Vec<String>) {
    let query = serde_urlencoded::to_string([("reference", reference), ("text", text)]).expect("query");
    let res = b.get(&format!("{ADDRESS_API}?{query}")).await;
    let status = res.status().as_u16();
    let body = body_text(res).await;
    (status, if status == 200 { serde_json::from_str(&body).expect("a list of addresses") } else { Vec::new() })
}

async fn address_lookups(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT actor, purpose, outcome FROM data_access_log WHERE consumer = 'applications.address' ORDER BY id",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("audit")
}

on_both_backends!(an_address_question_suggests_standard_addresses_for_the_citizen_only_and_audited, |app| {
    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let reference = first_step_typed_by_hand(&mut b).await;
    let (status, found) = suggestions(&mut b, &reference, "酒泉路").await;
    assert_eq!(status, 200);
    assert!((1..=8).contains(&found.len()), "{found:?}");
    assert!(found.iter().all(|a| a.starts_with("城关区酒泉路街道")), "{found:?}");
    assert!(found.contains(&"城关区酒泉路街道畅家巷社区".to_owned()), "a community by its own name: {found:?}");
    // A whole address typed as citizens do: the area as the register names it, the rest kept.
    let (_, found) = suggestions(&mut b, &reference, "城关区酒泉路街道畅家巷 12 号 3 单元 501").await;
    assert_eq!(found, ["城关区酒泉路街道畅家巷社区 12 号 3 单元 501"]);
    // One character is no lookup.
    assert_eq!(suggestions(&mut b, &reference, "酒").await, (200, Vec::new()));
    let audited = address_lookups(&app).await;
    let citizen: i64 = sqlx::query_scalar("SELECT citizen_id FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.db.pool())
        .await
        .expect("citizen");
    let expected = (format!("citizen:{citizen}"), "在线申请填写地址时提示标准地址".to_owned(), "ok".to_owned());
    assert_eq!(audited, vec![expected.clone(), expected], "each lookup audited with its purpose");

    // Nobody else: not signed in 401, another citizen's application 404, neither audited.
    let mut visitor = Browser::new(&app);
    assert_eq!(suggestions(&mut visitor, &reference, "酒泉路").await.0, 401);
    let mut other = verified_citizen(&app, "王建国", WANG_JIANGUO, "wang@example.cn").await;
    assert_eq!(suggestions(&mut other, &reference, "酒泉路").await.0, 404);
    assert_eq!(address_lookups(&app).await.len(), 2);

    // One client address may look up 120 times a minute.
    let query = serde_urlencoded::to_string([("reference", reference.as_str()), ("text", "张掖路")]).expect("query");
    let sign_in =
        serde_urlencoded::to_string([("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).expect("form");
    let res = app.send(crate::support::same_origin_form_post("/login", &sign_in)).await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next().filter(|pair| pair.contains("sid=")))
        .expect("a session")
        .to_owned();
    let from = std::net::SocketAddr::from(([198, 51, 100, 77], 40_000));
    let mut statuses = Vec::new();
    for _ in 0..121 {
        let mut req = axum::http::Request::get(format!("{ADDRESS_API}?{query}"))
            .header("cookie", &cookie)
            .body(Body::empty())
            .expect("request");
        req.extensions_mut().insert(axum::extract::ConnectInfo(from));
        statuses.push(app.send(req).await.status().as_u16());
    }
    assert!(statuses[..120].iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(statuses[120], 429);

    // Submitted: no more suggestions for it.
    sqlx::query("UPDATE applications SET status = 'submitted' WHERE reference = $1")
        .bind(&reference)
        .execute(app.db.pool())
        .await
        .expect("submit");
    assert_eq!(suggestions(&mut b, &reference, "酒泉路").await.0, 403);
});

on_both_backends!(without_javascript_find_address_saves_the_step_and_offers_the_addresses_to_choose, |app| {
    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let reference = first_step_typed_by_hand(&mut b).await;
    let step1 = format!("/applications/{reference}/step/1");
    let page = body_text(b.get(&step1).await).await;
    assert!(page.contains("list=\"q-living_address-places\""), "the input names its datalist");
    assert!(page.contains("<datalist id=\"q-living_address-places\"></datalist>"), "empty while the field is");

    // "查找地址" with an incomplete address: saved (with everything else typed), and back
    // with the standard addresses as radio buttons under the field.
    let form = details_living_at("酒泉路", &[("action", "find:living_address")]);
    let res = b.post(&step1, &form).await;
    assert_eq!(location(&res), format!("{step1}?address=living_address#q-living_address-choices"));
    let page = body_text(b.get(&format!("{step1}?address=living_address")).await).await;
    assert!(page.contains("id=\"q-living_address-choices\"") && page.contains("选择标准地址：实际居住地址"));
    assert!(page.contains("name=\"pick.living_address\" value=\"\" checked"), "keeping what was typed comes first");
    assert!(page.contains("value=\"城关区酒泉路街道畅家巷社区\""), "a standard address to choose");
    assert!(page.contains("<option value=\"城关区酒泉路街道畅家巷社区\">"), "and in the datalist");
    let saved: String = sqlx::query_scalar("SELECT answers FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.db.pool())
        .await
        .expect("answers");
    assert!(saved.contains("\"living_address\":\"酒泉路\"") && saved.contains("\"applicant_name\":\"张伟\""), "saved");

    // Choosing one puts it in the field.
    let form = details_living_at(
        "酒泉路",
        &[("pick.living_address", "城关区酒泉路街道畅家巷社区"), ("action", "pick:living_address")],
    );
    let res = b.post(&step1, &form).await;
    assert_eq!(location(&res), format!("{step1}?notice=address_chosen#q-living_address"));
    let answers: String = sqlx::query_scalar("SELECT answers FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.db.pool())
        .await
        .expect("answers");
    let answers: serde_json::Value = serde_json::from_str(&answers).expect("json");
    assert_eq!(answers["values"]["living_address"], "城关区酒泉路街道畅家巷社区");

    // Saved with an area and no house number: the next showing of the step offers addresses
    // in the datalist, no radio buttons unless asked.
    let form = details_living_at("张掖路", &[("action", "save")]);
    assert_eq!(location(&b.post(&step1, &form).await), "/applications?notice=draft_saved");
    let page = body_text(b.get(&step1).await).await;
    assert!(page.contains("<option value=\"城关区张掖路街道"), "suggestions for what the field holds");
    assert!(!page.contains("q-living_address-choices"));
    // A field this step does not have is no lookup: saved, shown again.
    let res = b.post(&step1, &[("action", "find:nonsense")]).await;
    assert_eq!(location(&res), step1);
});

#[tokio::test]
async fn an_address_lookup_the_register_does_not_answer_leaves_the_field_working() {
    let app = app_whose_registers_do_not_answer().await;
    let mut b = Browser::new(&app);
    assert_eq!(b.register("张伟", ZHANG_WEI, "zhang.wei@example.cn").await.status(), 303);
    let reference = first_step_typed_by_hand(&mut b).await;
    assert_eq!(suggestions(&mut b, &reference, "酒泉路").await.0, 503);
    let step1 = format!("/applications/{reference}/step/1");
    let res = b.post(&step1, &[("living_address", "酒泉路"), ("action", "find:living_address")]).await;
    assert_eq!(res.status(), 303, "the step is saved whatever the register does");
    let res = b.get(&format!("{step1}?address=living_address")).await;
    assert_eq!(res.status(), 200);
    let page = body_text(res).await;
    assert!(page.contains("暂时无法查找标准地址，请直接填写完整地址。"));
    assert!(page.contains("name=\"living_address\"") && page.contains("value=\"酒泉路\""), "the field keeps its text");
    let outcomes: Vec<String> = address_lookups(&app).await.into_iter().map(|(_, _, outcome)| outcome).collect();
    assert_eq!(outcomes.len(), 2, "every failed call is audited too: {outcomes:?}");
    assert!(outcomes.iter().all(|o| o != "ok"), "{outcomes:?}");
}
