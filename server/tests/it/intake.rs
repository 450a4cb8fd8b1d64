//! Window intake (一窗受理) through the real router on both databases: a clerk identifies a
//! walk-in applicant against the population register (audited), fills in the application on one
//! page with scanned materials, submits it into the department's queue; clerks of another
//! department reach none of it; the applicant, who had no account, registers online and finds it.

use crate::accounts::{Browser, PASSWORD};
use crate::applications::{hidden_value, location, pdf, LOW_INCOME};
use crate::cases::case_worker;
use crate::on_both_backends;
use crate::registers::WANG_JIANGUO;
use crate::support::{body_text, TestApp};
use app::accounts::StaffRole;

/// 王建国's details and household as the clerk types them from his papers.
const DETAILS: [(&str, &str); 6] = [
    ("applicant_name", "王建国"),
    ("applicant_id", WANG_JIANGUO),
    ("household_address", "甘肃省兰州市七里河区"),
    ("living_address", "甘肃省兰州市七里河区西津西路16号"),
    ("phone", "13800001111"),
    ("hardship_reason", "illness"),
];

async fn intake_calls(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM data_access_log WHERE consumer = 'cases.intake'")
        .fetch_one(app.db.pool())
        .await
        .expect("audit")
}

on_both_backends!(a_clerk_registers_a_walk_in_application_that_joins_the_queue_and_the_applicants_account, |app| {
    let mut clerk = case_worker(&app, "clerk.window", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let start = body_text(clerk.get("/staff/intake").await).await;
    assert!(start.contains(LOW_INCOME), "the department's window services are offered");

    // A name that does not go with the number is refused next to the field, and audited.
    let typed =
        [("service", LOW_INCOME), ("name", "王建华"), ("id_number", WANG_JIANGUO), ("email", ""), ("phone", "")];
    let res = clerk.post("/staff/intake", &typed).await;
    assert_eq!(res.status(), 400);
    let page = body_text(res).await;
    assert!(page.contains("姓名与身份证号码不一致"), "the mismatch is told");
    assert!(page.contains("value=\"王建华\""), "what was typed is kept");
    assert_eq!(intake_calls(&app).await, 1, "the register check is in the data-access audit");
    let res = clerk.post("/staff/intake", &[("service", ""), ("name", ""), ("id_number", "123")]).await;
    assert_eq!(res.status(), 400);
    let page = body_text(res).await;
    assert!(page.contains("请选择办理事项") && page.contains("请填写申请人姓名"), "each field says what is wrong");
    assert_eq!(intake_calls(&app).await, 1, "nothing reaches the register before the form is valid");

    let typed =
        [("service", LOW_INCOME), ("name", "王建国"), ("id_number", WANG_JIANGUO), ("email", ""), ("phone", "")];
    let res = clerk.post("/staff/intake", &typed).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let reference = to.trim_start_matches("/staff/intake/").split('?').next().unwrap_or_default().to_owned();
    assert!(to.ends_with("?notice=registered") && !reference.is_empty(), "{to}");
    let accounts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM citizens WHERE name = '王建国' AND password_hash = ''")
            .fetch_one(app.db.pool())
            .await
            .expect("account");
    assert_eq!(accounts, 1, "he had no account: one is made at the hall, without a password");

    // Another department's clerk reaches neither the page, the upload nor the form.
    let mut other = case_worker(&app, "clerk.other", StaffRole::WindowClerk, Some("public-security")).await;
    assert_eq!(other.get(&format!("/staff/intake/{reference}")).await.status(), 404);
    let res = other
        .post_files(
            &format!("/staff/intake/{reference}/files?slot=authorisation_scan"),
            &[("file", "x.pdf", &pdf("x"))],
        )
        .await;
    assert_eq!(res.status(), 404);
    let res =
        other.post(&format!("/staff/intake/{reference}"), &[("action", "save"), ("applicant_name", "篡改")]).await;
    assert_eq!(res.status(), 404);

    // One page: details, the household group, the scans.
    let here = format!("/staff/intake/{reference}");
    let mut form: Vec<(&str, &str)> = DETAILS.to_vec();
    form.push(("action", "add:members"));
    let res = clerk.post(&here, &form).await;
    assert_eq!(res.status(), 303);
    let member = [
        ("members.0.member_name", "王建国"),
        ("members.0.member_id", WANG_JIANGUO),
        ("members.0.member_relation", "self"),
        ("members.0.member_income", "600"),
        ("action", "save"),
    ];
    assert_eq!(location(&clerk.post(&here, &member).await), format!("{here}?notice=saved"));
    let res = clerk
        .post_files(
            &format!("{here}/files?slot=authorisation_scan"),
            &[("file", "授权书扫描件.pdf", &pdf("walk-in scan"))],
        )
        .await;
    assert_eq!(location(&res), format!("{here}?notice=uploaded"));
    let page = body_text(clerk.get(&here).await).await;
    assert!(page.contains("授权书扫描件.pdf") && page.contains("七里河区西津西路16号"), "what was entered is shown");

    // Submitting without the applicant's confirmation is refused and loses nothing.
    let key = hidden_value(&page, "submission_key");
    let res = clerk.post(&here, &[("action", "submit"), ("submission_key", &key)]).await;
    assert_eq!(res.status(), 400);
    let again = body_text(res).await;
    assert!(again.contains("七里河区西津西路16号"), "the answers are still there");
    let res = clerk.post(&here, &[("action", "submit"), ("submission_key", &key), ("declaration", "yes")]).await;
    assert_eq!(res.status(), 303);
    let to = location(&res);
    let number = to.trim_start_matches("/staff/cases/").split('?').next().unwrap_or_default().to_owned();
    assert!(to.ends_with("?done=intake"), "{to}");
    let queue = body_text(clerk.get("/staff/cases").await).await;
    assert!(queue.contains(&number) && queue.contains("王建国"), "the walk-in case is in the department's queue");
    assert_eq!(other.get(&format!("/staff/cases/{number}")).await.status(), 404, "and only there");
    assert_eq!(clerk.get(&here).await.status(), 404, "a submitted intake is no longer a draft to edit");
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM case_audit WHERE action LIKE 'intake%' ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .expect("audit");
    assert_eq!(audited, ["intake", "intake_submit"]);

    // Nobody can sign in to the account made at the hall, not even with an empty password.
    let mut stranger = Browser::new(&app);
    let res = stranger.post("/login", &[("identifier", ""), ("password", "")]).await;
    assert_ne!(res.status(), 303);

    // 王建国 registers online with the same name and number: the account is his, and so is the case.
    let mut citizen = Browser::new(&app);
    assert_eq!(citizen.register("王建国", WANG_JIANGUO, "wang.jianguo@example.cn").await.status(), 303);
    let mine = body_text(citizen.get("/applications").await).await;
    assert!(mine.contains(&number), "the walk-in application is in 我的办件");
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM citizens WHERE name = '王建国'")
        .fetch_one(app.db.pool())
        .await
        .expect("accounts");
    assert_eq!(accounts, 1, "the registration completed the account made at the hall");
    let _ = PASSWORD;
});

on_both_backends!(the_account_made_at_the_hall_is_not_completed_by_a_different_name, |app| {
    let mut clerk = case_worker(&app, "clerk.window", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let typed =
        [("service", LOW_INCOME), ("name", "王建国"), ("id_number", WANG_JIANGUO), ("email", ""), ("phone", "")];
    assert_eq!(clerk.post("/staff/intake", &typed).await.status(), 303);
    let mut someone = Browser::new(&app);
    assert_eq!(someone.register("王建华", WANG_JIANGUO, "someone@example.cn").await.status(), 303, "the same answer");
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM citizens WHERE name = '王建国'")
        .fetch_one(app.db.pool())
        .await
        .expect("account");
    assert_eq!(hash, "", "the account stays unclaimed");
    assert_eq!(someone.get("/applications").await.status(), 401, "and nobody is signed in");
});

on_both_backends!(only_window_clerks_register_walk_in_applications, |app| {
    let mut supervisor = case_worker(&app, "super", StaffRole::Supervisor, Some("civil-affairs")).await;
    assert_eq!(supervisor.get("/staff/intake").await.status(), 403);
    let typed = [("service", LOW_INCOME), ("name", "王建国"), ("id_number", WANG_JIANGUO)];
    assert_eq!(supervisor.post("/staff/intake", &typed).await.status(), 403);
    let mut citizen = Browser::new(&app);
    let res = citizen.post("/staff/intake", &typed).await;
    assert!(matches!(res.status().as_u16(), 303 | 401 | 403), "{}", res.status());
    assert_eq!(intake_calls(&app).await, 0, "no register call for anyone but a window clerk");
});
