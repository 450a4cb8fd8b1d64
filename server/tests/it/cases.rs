//! The window console through the real router on both databases: the queue and a case in the
//! clerk's department, 补正 with one notice and the clock stopped, the citizen's answer and what
//! changed, acceptance to completion and the rating; clerks of another department reach none of
//! it by any address; two clerks on one case; the chained, append-only case audit.

use crate::accounts::{Browser, PASSWORD};
use crate::applications::{fill_low_income, hidden_value, location, pdf, verified_citizen};
use crate::on_both_backends;
use crate::registers::ZHANG_WEI;
use crate::staff::{set_up_with_token, sign_in, Staff};
use crate::support::{body_text, TestApp};
use app::accounts::StaffRole;
use axum::body::Body;
use axum::http::Response;

/// A clerk or supervisor of `department` (`None`: the whole city), set up and signed in.
pub(crate) async fn case_worker<'a>(
    app: &'a TestApp,
    username: &str,
    role: StaffRole,
    department: Option<&str>,
) -> Staff<'a> {
    // Any 64 hex digits serve as the one-time token.
    let token = app::accounts::server::hash_token(username);
    let now = app.clock.now();
    app::accounts::server::staff::create(
        &app.db,
        &app::accounts::server::staff::NewStaff {
            username,
            display_name: &format!("窗口{username}"),
            role: role.code(),
            department_code: department,
            token_hash: &app::accounts::server::hash_token(&token),
            now,
            expires_at: now + 86_400,
        },
    )
    .await
    .expect("staff account");
    let mut staff = set_up_with_token(app, &token).await;
    assert_eq!(location(&sign_in(&mut staff, username).await), "/staff");
    staff
}

/// 张伟 applies for the minimum living allowance (civil affairs); returns the browser, the
/// application's number and reference.
pub(crate) async fn submitted_low_income(app: &TestApp) -> (Browser<'_>, String, String) {
    let mut b = verified_citizen(app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let reference = fill_low_income(&mut b).await;
    let review = body_text(b.get(&format!("/applications/{reference}/review")).await).await;
    let key = hidden_value(&review, "submission_key");
    let res =
        b.post(&format!("/applications/{reference}/review"), &[("submission_key", &key), ("declaration", "yes")]).await;
    assert_eq!(res.status(), 303);
    let number: String = sqlx::query_scalar("SELECT number FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.db.pool())
        .await
        .expect("number");
    (b, number, reference)
}

pub(crate) async fn status_of(app: &TestApp, number: &str) -> String {
    sqlx::query_scalar("SELECT status FROM applications WHERE number = $1")
        .bind(number)
        .fetch_one(app.db.pool())
        .await
        .expect("status")
}

async fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT subject FROM mail_outbox WHERE recipient = $1 ORDER BY id")
        .bind(to)
        .fetch_all(app.db.pool())
        .await
        .expect("outbox")
}

/// Posts one of the case page's forms (`/staff/cases/{number}/{form}`) with the hidden value
/// the page was rendered with (`read_at`, `revision`), as a browser would.
async fn post_as_seen(
    staff: &mut Staff<'_>,
    number: &str,
    (form, hidden): (&str, &str),
    fields: &[(&str, &str)],
) -> Response<Body> {
    let page = body_text(staff.get(&format!("/staff/cases/{number}")).await).await;
    let seen = hidden_value(&page, hidden);
    let mut all = vec![(hidden, seen.as_str())];
    all.extend_from_slice(fields);
    staff.post(&format!("/staff/cases/{number}/{form}"), &all).await
}

/// Posts one decision with the version the case page was rendered at.
pub(crate) async fn decide(clerk: &mut Staff<'_>, number: &str, form: &[(&str, &str)]) -> Response<Body> {
    post_as_seen(clerk, number, ("decision", "read_at"), form).await
}

/// The citizen answers a 补正 notice with one new file for the income statement.
pub(crate) async fn answer_supplement(citizen: &mut Browser<'_>, reference: &str, file_name: &str, note: &str) {
    let res = citizen
        .post_files(
            &format!("/applications/{reference}/files?slot=income_statement_scan"),
            &[("file", file_name, &pdf(file_name))],
        )
        .await;
    assert_eq!(res.status(), 303);
    let res = citizen.post(&format!("/applications/{reference}/supplement"), &[("note", note)]).await;
    assert_eq!(location(&res), format!("/applications/{reference}?notice=supplemented"));
}

on_both_backends!(a_clerk_asks_for_what_is_missing_and_takes_the_case_to_completion, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let home = body_text(clerk.get("/staff").await).await;
    assert!(home.contains("/staff/cases"), "the console home links the queue");

    let queue = body_text(clerk.get("/staff/cases").await).await;
    assert!(queue.contains(&number) && queue.contains("张伟"), "the new case is in the department's queue");
    let case = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    assert!(case.contains("人口基础信息库"), "register-filled answers name their register");
    assert!(!case.contains(ZHANG_WEI), "ID numbers stay masked");
    let revealed = body_text(clerk.get(&format!("/staff/cases/{number}?reveal=id")).await).await;
    assert!(revealed.contains(ZHANG_WEI), "until the clerk asks");
    let reveals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_audit WHERE action = 'reveal'")
        .fetch_one(app.db.pool())
        .await
        .expect("audit");
    assert_eq!(reveals, 1, "each reveal is audited");
    assert!(case.contains("一次性告知补正") && case.contains("受理"), "the pre-review decisions are offered");
    assert!(!case.contains("准予许可"), "a decision the lifecycle does not allow now is not offered");

    // 补正 needs at least one material, each with its reason; typed text survives.
    let res = decide(&mut clerk, &number, &[("action", "request_supplement"), ("reason", "请补充材料")]).await;
    assert_eq!(res.status(), 400);
    let page = body_text(res).await;
    assert!(page.contains("请至少勾选一项需要补正的材料") && page.contains("请补充材料"));
    let res = decide(&mut clerk, &number, &[("action", "request_supplement"), ("need.income_statement", "yes")]).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("请写明这项材料需要补正的原因"));
    let mails_before = mails_to(&app, "zhang.wei@example.cn").await.len();
    let res = decide(
        &mut clerk,
        &number,
        &[
            ("action", "request_supplement"),
            ("need.income_statement", "yes"),
            ("why.income_statement", "请提供近6个月的收入证明"),
        ],
    )
    .await;
    assert_eq!(location(&res), format!("/staff/cases/{number}?done=request_supplement"));
    assert_eq!(status_of(&app, &number).await, "supplement_requested");
    let mails = mails_to(&app, "zhang.wei@example.cn").await;
    assert_eq!(mails.len(), mails_before + 1, "one notice, in the same transaction");
    assert!(mails.last().is_some_and(|s| s.contains(&number) && s.contains("待补正")));

    // The citizen sees the one notice, sends the file two days later; the clock stood still.
    let page = body_text(citizen.get(&format!("/applications/{reference}")).await).await;
    assert!(page.contains("请提供近6个月的收入证明") && page.contains("暂停计算"));
    app.clock.advance(2 * 86_400);
    let res = citizen.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), 303, "signed in again after two days");
    answer_supplement(&mut citizen, &reference, "收入证明.pdf", "已补充").await;
    let paused: i64 = sqlx::query_scalar("SELECT paused_secs FROM applications WHERE number = $1")
        .bind(&number)
        .fetch_one(app.db.pool())
        .await
        .expect("paused");
    assert!((2 * 86_400..2 * 86_400 + 600).contains(&paused), "the stopped time is counted: {paused}");

    // The clerk (signed in again: two days passed) sees what changed: no answers, one new
    // file; then accepts and decides.
    assert_eq!(location(&sign_in(&mut clerk, "clerk.civil").await), "/staff");
    let case = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    assert!(case.contains("重新提交后的改动") && case.contains("申请内容没有改动") && case.contains("收入证明.pdf"));
    assert!(case.contains("计时暂停累计") && case.contains("2.0 天"));
    for (action, status) in [("accept", "accepted"), ("approve", "approved"), ("complete", "completed")] {
        let res = decide(&mut clerk, &number, &[("action", action)]).await;
        assert_eq!(location(&res), format!("/staff/cases/{number}?done={action}"));
        assert_eq!(status_of(&app, &number).await, status);
    }
    let case = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    assert!(case.contains("该办件当前状态下没有可作出的办理决定"));

    // The citizen's timeline shows every step by the clerk, and the finished case is rated.
    let page = body_text(citizen.get(&format!("/applications/{reference}")).await).await;
    assert!(page.contains("已受理") && page.contains("已办结") && page.contains("窗口工作人员"));
    let res = citizen
        .post(&format!("/applications/{reference}/rating"), &[("level", "2"), ("indicator", "efficiency")])
        .await;
    assert_eq!(location(&res), format!("/applications/{reference}?notice=rated"));

    // Every view and decision is in the chained audit, which the database keeps append-only.
    let audited: Vec<(String, String)> = sqlx::query_as("SELECT action, outcome FROM case_audit ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
    assert!(audited.iter().filter(|(a, o)| a == "decide" && o == "ok").count() == 4);
    assert!(audited.iter().any(|(a, _)| a == "view"));
    assert_eq!(app::cases::server::db::verify_chain(&app.db).await.expect("verify"), (audited.len() as u64, None));
    let changed =
        sqlx::query("UPDATE case_audit SET outcome = 'ok' WHERE action = 'view'").execute(app.db.pool()).await;
    assert!(changed.is_err(), "audit rows cannot be changed");
    let deleted = sqlx::query("DELETE FROM case_audit").execute(app.db.pool()).await;
    assert!(deleted.is_err(), "audit rows cannot be deleted");
    // Someone who lifts the protection and edits a row is found by the verifier.
    let lift = match app.db.backend() {
        app::platform::Backend::Sqlite => "DROP TRIGGER case_audit_no_update",
        app::platform::Backend::Postgres => "DROP TRIGGER case_audit_no_change ON case_audit",
    };
    sqlx::query(lift).execute(app.db.pool()).await.expect("drop the trigger");
    let first_decision: i64 = sqlx::query_scalar("SELECT MIN(id) FROM case_audit WHERE action = 'decide'")
        .fetch_one(app.db.pool())
        .await
        .expect("row");
    sqlx::query("UPDATE case_audit SET outcome = 'conflict' WHERE id = $1")
        .bind(first_decision)
        .execute(app.db.pool())
        .await
        .expect("tamper");
    let (_, broken) = app::cases::server::db::verify_chain(&app.db).await.expect("verify");
    assert_eq!(broken, Some(first_decision));
});

// Stored markup across roles: what a citizen writes (a file's name, the 补正 note) is shown to the
// clerk, and what a clerk writes (a material's reason) to the citizen, always as text.
on_both_backends!(markup_a_citizen_or_a_clerk_writes_reaches_the_other_as_text, |app| {
    use crate::input::{injected, HOSTILE};
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let reason = format!("收入证明{}", HOSTILE[1]);
    let res = decide(
        &mut clerk,
        &number,
        &[("action", "request_supplement"), ("need.income_statement", "yes"), ("why.income_statement", &reason)],
    )
    .await;
    assert_eq!(location(&res), format!("/staff/cases/{number}?done=request_supplement"));
    let page = body_text(citizen.get(&format!("/applications/{reference}")).await).await;
    assert_eq!(injected(&page), None, "the clerk's reason on the citizen's page");
    assert!(page.contains("&lt;h1 id=pwn&gt;"), "the reason, as text");

    let file_name = format!("{}.pdf", HOSTILE[0]);
    answer_supplement(&mut citizen, &reference, &file_name, &format!("已补充{}", HOSTILE[2])).await;
    for (who, html) in [
        ("the clerk's case page", body_text(clerk.get(&format!("/staff/cases/{number}")).await).await),
        ("the citizen's page", body_text(citizen.get(&format!("/applications/{reference}")).await).await),
        ("the clerk's queue", body_text(clerk.get("/staff/cases").await).await),
    ] {
        assert_eq!(injected(&html), None, "{who}");
    }
    let case = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    let at = case.find("已补充").map(|i| &case[i..(i + 300).min(case.len())]);
    assert!(
        case.contains("已补充&lt;/title&gt;&lt;/style&gt;&lt;/script&gt;&lt;h1 id=pwn&gt;"),
        "the note, as text: {at:?}"
    );
});

on_both_backends!(silence_past_the_review_period_means_accepted, |app| {
    let (_citizen, number, _reference) = submitted_low_income(&app).await;
    assert_eq!(app::cases::server::deem_overdue_reviews_accepted(&app.ctx).await.expect("job"), 0, "within the period");
    app.clock.advance(3 * 86_400);
    assert_eq!(app::cases::server::deem_overdue_reviews_accepted(&app.ctx).await.expect("job"), 0, "still within");
    app.clock.advance(10 * 86_400);
    assert_eq!(app::cases::server::deem_overdue_reviews_accepted(&app.ctx).await.expect("job"), 1);
    assert_eq!(status_of(&app, &number).await, "accepted");
    let actor: String = sqlx::query_scalar(
        "SELECT e.actor_role FROM application_events e JOIN applications a ON a.id = e.application_id \
         WHERE a.number = $1 AND e.status = 'deemed_accepted'",
    )
    .bind(&number)
    .fetch_one(app.db.pool())
    .await
    .expect("event");
    assert_eq!(actor, "system");
    assert!(mails_to(&app, "zhang.wei@example.cn").await.last().is_some_and(|s| s.contains("视为受理")));
    assert_eq!(app::cases::server::deem_overdue_reviews_accepted(&app.ctx).await.expect("job"), 0, "once");
});

on_both_backends!(another_department_reaches_nothing_and_one_clerk_decides_at_a_time, |app| {
    let (mut citizen, number, _reference) = submitted_low_income(&app).await;
    let file_id: i64 = sqlx::query_scalar(
        "SELECT f.id FROM application_files f JOIN applications a ON a.id = f.application_id WHERE a.number = $1",
    )
    .bind(&number)
    .fetch_one(app.db.pool())
    .await
    .expect("file");
    let case_path = format!("/staff/cases/{number}");

    // A clerk of public security: the case is not in any of their answers.
    let mut other = case_worker(&app, "clerk.police", StaffRole::WindowClerk, Some("public-security")).await;
    let queue = body_text(other.get("/staff/cases").await).await;
    assert!(!queue.contains(&number) && !queue.contains("张伟"), "no row of another department");
    assert!(!body_text(other.get("/staff/cases?status=submitted").await).await.contains(&number));
    assert_eq!(other.get(&case_path).await.status(), 404);
    assert_eq!(other.get(&format!("/api/staff/cases/one?number={number}")).await.status(), 404);
    assert_eq!(other.get(&format!("{case_path}/files/{file_id}")).await.status(), 404);
    assert_eq!(other.get(&format!("{case_path}/files/{file_id}/thumbnail")).await.status(), 404);
    assert_eq!(other.post(&format!("{case_path}/claim"), &[]).await.status(), 404);
    assert_eq!(other.post(&format!("{case_path}/release"), &[]).await.status(), 404);
    assert_eq!(other.post(&format!("{case_path}/notes"), &[("body", "看看")]).await.status(), 404);
    let res = other.post(&format!("{case_path}/decision"), &[("action", "accept"), ("read_at", "0")]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(status_of(&app, &number).await, "submitted", "nothing changed");

    // A citizen is never staff; an audit administrator handles no cases.
    assert_eq!(citizen.get("/staff/cases").await.status(), 403);
    assert_eq!(citizen.get(&format!("/api/staff/cases/one?number={number}")).await.status(), 403);
    assert_eq!(citizen.get(&format!("{case_path}/files/{file_id}")).await.status(), 404);
    let mut auditor = case_worker(&app, "auditor", StaffRole::AuditAdmin, None).await;
    assert_eq!(auditor.get("/staff/cases").await.status(), 403);

    // A city-wide supervisor sees it; the department's clerk downloads the material (audited).
    let mut supervisor = case_worker(&app, "supervisor", StaffRole::Supervisor, None).await;
    assert!(body_text(supervisor.get("/staff/cases").await).await.contains(&number));
    let mut clerk = case_worker(&app, "clerk.one", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let file = clerk.get(&format!("{case_path}/files/{file_id}")).await;
    assert_eq!(file.status(), 200);
    assert!(file.headers()["content-disposition"].to_str().unwrap_or_default().starts_with("attachment"));
    let downloads: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM case_audit WHERE action = 'download' AND outcome = 'ok'")
            .fetch_one(app.db.pool())
            .await
            .expect("audit");
    assert_eq!(downloads, 1);

    // Two clerks of the department: the first to claim holds it; the second cannot decide.
    let mut second = case_worker(&app, "clerk.two", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let stale = hidden_value(&body_text(second.get(&case_path).await).await, "read_at");
    assert_eq!(location(&clerk.post(&format!("{case_path}/claim"), &[]).await), format!("{case_path}?done=claimed"));
    let res = second.post(&format!("{case_path}/claim"), &[]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("该办件已由其他工作人员认领"));
    let res = second.post(&format!("{case_path}/decision"), &[("action", "accept"), ("read_at", &stale)]).await;
    assert_eq!(res.status(), 409, "the holder decides");
    assert!(body_text(second.get(&case_path).await).await.contains("只有认领人可以办理"));

    // A decision made on an outdated page, or one the lifecycle forbids, changes nothing.
    let res = clerk.post(&format!("{case_path}/decision"), &[("action", "accept"), ("read_at", "1")]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("其他工作人员刚刚处理或认领了该办件"));
    let res = decide(&mut clerk, &number, &[("action", "approve")]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(status_of(&app, &number).await, "submitted");

    // 不予受理 needs the reason and the appeal rights, each named next to its field.
    let res = decide(&mut clerk, &number, &[("action", "not_accept"), ("reason", ""), ("appeal", "")]).await;
    assert_eq!(res.status(), 400);
    let page = body_text(res).await;
    assert!(page.contains("请填写理由") && page.contains("请填写救济途径"));
    assert!(page.contains("href=\"#not_accept-reason\""), "the error summary links to the field");
    let res = decide(
        &mut clerk,
        &number,
        &[("action", "not_accept"), ("reason", "不属于本部门受理范围"), ("appeal", "可申请行政复议")],
    )
    .await;
    assert_eq!(location(&res), format!("{case_path}?done=not_accept"));
    assert_eq!(status_of(&app, &number).await, "not_accepted");
    let queue = body_text(clerk.get("/staff/cases").await).await;
    assert!(!queue.contains(&number), "closed cases leave the open queue");
    assert!(body_text(clerk.get("/staff/cases?status=not_accepted").await).await.contains(&number));
});

/// For calling the data layer directly: the case's id, the staff member's, and an audit row of
/// `action` by them on it.
async fn direct_call(
    app: &TestApp,
    number: &str,
    username: &str,
    action: &str,
) -> (i64, i64, app::cases::server::db::AuditEntry) {
    let (id, staff_id, role, department): (i64, i64, String, String) = sqlx::query_as(
        "SELECT a.id, s.id, s.role, s.department_code FROM applications a, staff_accounts s \
         WHERE a.number = $1 AND s.username = $2",
    )
    .bind(number)
    .bind(username)
    .fetch_one(app.db.pool())
    .await
    .expect("ids");
    let audit = app::cases::server::db::AuditEntry {
        at: app.clock.now(),
        staff_id,
        staff_role: role,
        department_code: department,
        application_id: id,
        action: action.to_owned(),
        outcome: "ok".into(),
        detail: String::new(),
    };
    (id, staff_id, audit)
}

/// Whether the input with this id is drawn checked.
fn is_checked(html: &str, id: &str) -> bool {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no input {id}"));
    let start = html[..at].rfind('<').unwrap_or(0);
    let end = at + html[at..].find('>').unwrap_or(0);
    html[start..end].contains(" checked")
}

/// (material, verdict, note) of a case's checklist.
async fn verdicts(app: &TestApp, number: &str) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT m.material, m.verdict, m.note FROM case_material_checks m \
         JOIN applications a ON a.id = m.application_id WHERE a.number = $1 ORDER BY m.material",
    )
    .bind(number)
    .fetch_all(app.db.pool())
    .await
    .expect("checks")
}

async fn verdict_of(app: &TestApp, number: &str, material: &str) -> Option<(String, String)> {
    verdicts(app, number).await.into_iter().find(|(m, _, _)| m == material).map(|(_, v, n)| (v, n))
}

async fn audited_checks(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT detail FROM case_audit WHERE action = 'check_material' ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("audit")
}

/// Posts the checklist with the submission the case page shows.
async fn record(staff: &mut Staff<'_>, number: &str, form: &[(&str, &str)]) -> Response<Body> {
    post_as_seen(staff, number, ("checks", "revision"), form).await
}

on_both_backends!(the_holder_records_a_verdict_per_material_and_the_supplement_notice_follows, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let case_path = format!("/staff/cases/{number}");
    let checks_path = format!("{case_path}/checks");
    let form = [("revision", "1"), ("verdict.income_statement", "valid")];

    // Another department: not found, nothing written.
    let mut other = case_worker(&app, "clerk.police", StaffRole::WindowClerk, Some("public-security")).await;
    assert_eq!(other.post(&checks_path, &form).await.status(), 404);
    // The scope is in the statement itself, whatever id reaches it.
    let (id, other_id, audit) = direct_call(&app, &number, "clerk.police", "check_material").await;
    let change = app::cases::server::db::CheckChange {
        material: "income_statement".into(),
        verdict: "valid",
        note: String::new(),
        audit,
    };
    let police = app::accounts::CaseScope::Department("public-security".into());
    let recorded = app::cases::server::db::record_checks(&app.db, &police, id, 1, (other_id, true), &[change], 0)
        .await
        .expect("record");
    assert!(!recorded, "another department's scope matches no case");
    // The department's clerk must hold the case first; until then the verdicts are read-only.
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let page = body_text(clerk.get(&case_path).await).await;
    assert!(!page.contains(&checks_path) && page.contains("核验结论由认领该办件的工作人员或主管记录"));
    assert_eq!(clerk.post(&checks_path, &form).await.status(), 403);
    assert!(verdicts(&app, &number).await.is_empty() && audited_checks(&app).await.is_empty());

    assert_eq!(location(&clerk.post(&format!("{case_path}/claim"), &[]).await), format!("{case_path}?done=claimed"));
    let page = body_text(clerk.get(&case_path).await).await;
    assert!(page.contains(&checks_path), "the holder gets the checklist form");
    assert!(page.contains("家庭成员收入情况说明或收入证明：核验结论"), "each verdict is labelled with its material");
    assert!(!is_checked(&page, "request_supplement-need-income_statement"), "nothing suggested yet");

    // Bad input: each problem next to its field and in the summary, what was typed kept.
    let long = "长".repeat(201);
    let res = record(
        &mut clerk,
        &number,
        &[
            ("verdict.income_statement", "missing"),
            ("verdict.authorisation", "legible"),
            ("note.authorisation", &long),
            ("note.application", "申请书签名待核"),
        ],
    )
    .await;
    assert_eq!(res.status(), 400);
    let page = body_text(res).await;
    assert!(page.contains("请从列出的核验结论中选择") && page.contains("核验说明过长，最多 200 字"));
    assert!(page.contains("填写核验说明时请同时选择核验结论"));
    assert!(
        page.contains("href=\"#check-verdict-income_statement\"")
            && page.contains("href=\"#check-note-authorisation\"")
    );
    assert!(page.contains("申请书签名待核") && page.contains(&long), "typed notes are shown again");
    assert!(verdicts(&app, &number).await.is_empty() && audited_checks(&app).await.is_empty(), "nothing stored");

    // Recorded: two verdicts, two audit rows; the mismatch is ticked for the 补正 notice.
    let res = record(
        &mut clerk,
        &number,
        &[
            ("verdict.income_statement", "mismatch"),
            ("note.income_statement", "收入金额与申报不符"),
            ("verdict.authorisation", "legible"),
        ],
    )
    .await;
    assert_eq!(location(&res), format!("{case_path}?done=checks"));
    assert_eq!(
        verdicts(&app, &number).await,
        vec![
            ("authorisation".to_owned(), "legible".to_owned(), String::new()),
            ("income_statement".to_owned(), "mismatch".to_owned(), "收入金额与申报不符".to_owned()),
        ]
    );
    assert_eq!(audited_checks(&app).await.len(), 2);
    let page = body_text(clerk.get(&case_path).await).await;
    assert!(page.contains("与申请内容不符") && page.contains("收入金额与申报不符") && page.contains("清晰可辨"));
    assert!(is_checked(&page, "request_supplement-need-income_statement"), "the mismatch is suggested");
    assert!(!is_checked(&page, "request_supplement-need-authorisation"), "a legible material is not");

    // The same verdicts again change nothing; a replaced verdict is one more audit row.
    let same = [
        ("verdict.income_statement", "mismatch"),
        ("note.income_statement", "收入金额与申报不符"),
        ("verdict.authorisation", "legible"),
    ];
    assert_eq!(record(&mut clerk, &number, &same).await.status(), 303);
    assert_eq!(audited_checks(&app).await.len(), 2, "no change, no row");
    let res =
        record(&mut clerk, &number, &[("verdict.authorisation", "valid"), ("note.authorisation", "原件已核")]).await;
    assert_eq!(res.status(), 303);
    let audit = audited_checks(&app).await;
    assert_eq!(audit.len(), 3);
    assert!(audit[2].contains("\"before\":\"legible\"") && audit[2].contains("\"verdict\":\"valid\""), "{}", audit[2]);
    assert_eq!(verdict_of(&app, &number, "authorisation").await, Some(("valid".into(), "原件已核".into())));

    // Another clerk of the department sees the verdicts but cannot record; a supervisor can.
    let mut second = case_worker(&app, "clerk.two", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let page = body_text(second.get(&case_path).await).await;
    assert!(page.contains("真实有效") && page.contains("原件已核") && !page.contains(&checks_path));
    let res = second.post(&checks_path, &[("revision", "1"), ("verdict.authorisation", "present")]).await;
    assert_eq!(res.status(), 403);
    assert!(body_text(res).await.contains("只有认领该办件的工作人员或主管可以记录核验结论"));
    let mut supervisor = case_worker(&app, "head.civil", StaffRole::Supervisor, Some("civil-affairs")).await;
    assert_eq!(record(&mut supervisor, &number, &[("verdict.application", "present")]).await.status(), 303);
    assert_eq!(verdicts(&app, &number).await.len(), 3);
    assert_eq!(verdict_of(&app, &number, "application").await, Some(("present".into(), String::new())));
    assert_eq!(
        verdict_of(&app, &number, "authorisation").await.map(|v| v.0),
        Some("valid".into()),
        "not by the other clerk"
    );

    // 补正 from the suggestion; the resubmitted material's verdict is to be checked again, and a
    // checklist posted on the page of the earlier submission is refused.
    let stale = hidden_value(&body_text(clerk.get(&case_path).await).await, "revision");
    let res = decide(
        &mut clerk,
        &number,
        &[
            ("action", "request_supplement"),
            ("need.income_statement", "yes"),
            ("why.income_statement", "请提供收入证明原件"),
        ],
    )
    .await;
    assert_eq!(location(&res), format!("{case_path}?done=request_supplement"));
    answer_supplement(&mut citizen, &reference, "新收入证明.pdf", "已更正").await;
    let page = body_text(clerk.get(&case_path).await).await;
    assert_eq!(page.matches("材料已重新提交，需重新核验").count(), 1, "only the material with new files");
    assert!(!is_checked(&page, "request_supplement-need-income_statement"), "new files came for it");
    let res = clerk.post(&checks_path, &[("revision", stale.as_str()), ("verdict.income_statement", "valid")]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("核验结论没有保存"));
    assert_eq!(verdict_of(&app, &number, "income_statement").await.map(|v| v.0), Some("mismatch".into()), "unchanged");
    assert_eq!(audited_checks(&app).await.len(), 4);
    let res = record(&mut clerk, &number, &[("verdict.income_statement", "valid")]).await;
    assert_eq!(res.status(), 303);
    assert!(!body_text(clerk.get(&case_path).await).await.contains("需重新核验"));
    assert_eq!(app::cases::server::db::verify_chain(&app.db).await.expect("verify").1, None);
});

async fn staff_id(app: &TestApp, username: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM staff_accounts WHERE username = $1")
        .bind(username)
        .fetch_one(app.db.pool())
        .await
        .expect("staff");
    id.to_string()
}

/// (holder's username, assigning supervisor's username) of a case.
async fn holder_of(app: &TestApp, number: &str) -> (Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT h.username, s.username FROM applications a LEFT JOIN staff_accounts h ON h.id = a.claimed_by \
         LEFT JOIN staff_accounts s ON s.id = a.assigned_by WHERE a.number = $1",
    )
    .bind(number)
    .fetch_one(app.db.pool())
    .await
    .expect("holder")
}

/// (assignments in the staff-only timeline, assignment audit rows as outcome list).
async fn assignments(app: &TestApp) -> (i64, Vec<String>) {
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE kind = 'assigned'")
        .fetch_one(app.db.pool())
        .await
        .expect("events");
    let audit = sqlx::query_scalar("SELECT outcome FROM case_audit WHERE action = 'assign' ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
    (events, audit)
}

/// The assignment form of a supervisor's case page.
fn assign_form(page: &str) -> &str {
    let start = page.find("/assign\"").expect("the assignment form");
    &page[start..start + page[start..].find("</form>").unwrap_or(0)]
}

on_both_backends!(a_supervisor_assigns_a_case_to_a_clerk_of_its_department_and_a_stale_form_loses, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let case_path = format!("/staff/cases/{number}");
    let assign_path = format!("{case_path}/assign");
    let mut one = case_worker(&app, "clerk.one", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let mut two = case_worker(&app, "clerk.two", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let _police = case_worker(&app, "clerk.police", StaffRole::WindowClerk, Some("public-security")).await;
    let mut head = case_worker(&app, "head.civil", StaffRole::Supervisor, Some("civil-affairs")).await;
    let mut head_police = case_worker(&app, "head.police", StaffRole::Supervisor, Some("public-security")).await;
    let mut city = case_worker(&app, "head.city", StaffRole::Supervisor, None).await;
    let (one_id, two_id, police_id) =
        (staff_id(&app, "clerk.one").await, staff_id(&app, "clerk.two").await, staff_id(&app, "clerk.police").await);

    // Only the department's clerks are offered; clerks see no assignment form.
    let page = body_text(head.get(&case_path).await).await;
    let form = assign_form(&page);
    assert!(form.contains("窗口clerk.one") && form.contains("窗口clerk.two"));
    assert!(!form.contains("窗口clerk.police") && !form.contains("窗口head.civil"), "{form}");
    let seen = hidden_value(&page, "claim_seen");
    assert_eq!(seen, "0:0", "nobody holds the case yet");
    assert!(!body_text(one.get(&case_path).await).await.contains(&assign_path));

    // Refused, each changing nothing: a clerk, another department's supervisor, a clerk of
    // another department, no clerk at all.
    let res = one.post(&assign_path, &[("claim_seen", &seen), ("assignee", &two_id)]).await;
    assert_eq!(res.status(), 403);
    assert!(body_text(res).await.contains("只有主管可以指派办件"));
    let res = head_police.post(&assign_path, &[("claim_seen", &seen), ("assignee", &police_id)]).await;
    assert_eq!(res.status(), 404);
    let res = head.post(&assign_path, &[("claim_seen", &seen), ("assignee", &police_id)]).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("只能指派给本部门的窗口工作人员"));
    let res = head.post(&assign_path, &[("claim_seen", &seen), ("assignee", "")]).await;
    assert_eq!(res.status(), 400);
    let page = body_text(res).await;
    assert!(page.contains("请选择要指派的工作人员") && page.contains("href=\"#assign-assignee\""));
    // The statement itself re-checks the clerk's department, whatever reaches it.
    let (id, head_id, audit) = direct_call(&app, &number, "head.civil", "assign").await;
    let civil = app::accounts::CaseScope::Department("civil-affairs".into());
    let direct = app::cases::server::db::Assignment {
        scope: &civil,
        application_id: id,
        assignee: police_id.parse().expect("id"),
        supervisor: head_id,
        seen: (0, 0),
        now: app.clock.now(),
        audit,
    };
    assert!(!app::cases::server::db::assign(&app.db, &direct).await.expect("assign"));
    assert_eq!(holder_of(&app, &number).await, (None, None));
    assert_eq!(assignments(&app).await, (0, vec!["conflict".to_owned()]));

    // Assigned: the clerk holds it, finds it among the cases assigned to them, and sees who
    // assigned it in the staff-only timeline; the applicant sees nothing of it.
    let res = head.post(&assign_path, &[("claim_seen", &seen), ("assignee", &one_id)]).await;
    assert_eq!(location(&res), format!("{case_path}?done=assigned"));
    assert_eq!(holder_of(&app, &number).await, (Some("clerk.one".into()), Some("head.civil".into())));
    assert_eq!(assignments(&app).await, (1, vec!["conflict".to_owned(), "ok".to_owned()]));
    assert!(body_text(one.get("/staff").await).await.contains("/staff/cases?assigned=yes"));
    assert!(body_text(one.get("/staff/cases?assigned=yes").await).await.contains(&number));
    assert!(!body_text(two.get("/staff/cases?assigned=yes").await).await.contains(&number));
    let page = body_text(one.get(&case_path).await).await;
    assert!(page.contains("窗口head.civil 将办件指派给 窗口clerk.one") && page.contains("仅工作人员可见"));
    assert!(!body_text(citizen.get(&format!("/applications/{reference}")).await).await.contains("指派"));

    // Two supervisors on one page: the first reassignment wins, the second is told who has the
    // case now and changes nothing.
    let stale = hidden_value(&body_text(head.get(&case_path).await).await, "claim_seen");
    let fresh = hidden_value(&body_text(city.get(&case_path).await).await, "claim_seen");
    let res = city.post(&assign_path, &[("claim_seen", &fresh), ("assignee", &two_id)]).await;
    assert_eq!(location(&res), format!("{case_path}?done=assigned"));
    let res = head.post(&assign_path, &[("claim_seen", &stale), ("assignee", &one_id)]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("该办件已由 窗口clerk.two 处理"));
    assert_eq!(holder_of(&app, &number).await, (Some("clerk.two".into()), Some("head.city".into())));
    let outcomes = ["conflict", "ok", "ok", "conflict"].map(str::to_owned).to_vec();
    assert_eq!(assignments(&app).await, (2, outcomes));

    // A claim in between wins the same way; a claim of one's own clears the assignment mark.
    assert_eq!(location(&two.post(&format!("{case_path}/release"), &[]).await), format!("{case_path}?done=released"));
    // Giving a case up is audited like taking it; a second release finds nothing held.
    assert_eq!(location(&two.post(&format!("{case_path}/release"), &[]).await), format!("{case_path}?done=released"));
    let releases: Vec<String> =
        sqlx::query_scalar("SELECT outcome FROM case_audit WHERE action = 'release' ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .expect("audit");
    assert_eq!(releases, ["ok", "not_held"]);
    let unclaimed = hidden_value(&body_text(head.get(&case_path).await).await, "claim_seen");
    assert_eq!(location(&one.post(&format!("{case_path}/claim"), &[]).await), format!("{case_path}?done=claimed"));
    let res = head.post(&assign_path, &[("claim_seen", &unclaimed), ("assignee", &two_id)]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("该办件已由 窗口clerk.one 处理"));
    assert_eq!(holder_of(&app, &number).await, (Some("clerk.one".into()), None));
    assert!(!body_text(one.get("/staff/cases?assigned=yes").await).await.contains(&number));
    assert_eq!(app::cases::server::db::verify_chain(&app.db).await.expect("verify").1, None);
});

/// The case audit rows an audit administrator's search page lists, as (action, number) from its
/// table, in page order.
fn audit_rows(html: &str) -> Vec<String> {
    html.split("<tr").skip(2).map(|r| r.split("</tr>").next().unwrap_or_default().to_owned()).collect()
}

on_both_backends!(audit_administrators_search_and_export_the_case_audit_and_nobody_else_does, |app| {
    let (_citizen, number, _) = submitted_low_income(&app).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    assert_eq!(clerk.get(&format!("/staff/cases/{number}")).await.status(), 200);
    assert_eq!(clerk.post(&format!("/staff/cases/{number}/claim"), &[]).await.status(), 303);
    assert_eq!(clerk.get("/staff/case-audit").await.status(), 403, "clerks do not read the audit");
    let mut supervisor = case_worker(&app, "super.civil", StaffRole::Supervisor, Some("civil-affairs")).await;
    assert_eq!(supervisor.get("/staff/case-audit").await.status(), 403, "nor do supervisors (三员分立)");
    assert_eq!(Browser::new(&app).get("/api/staff/case-audit/export").await.status(), 401);

    let mut auditor = crate::staff::set_up(&app, "auditor", StaffRole::AuditAdmin).await;
    assert_eq!(location(&sign_in(&mut auditor, "auditor").await), "/staff");
    let all = body_text(auditor.get("/staff/case-audit").await).await;
    let rows = audit_rows(&all);
    assert_eq!(rows.len(), 2, "the view and the claim");
    assert!(
        rows[0].contains("认领") && rows[0].contains("窗口clerk.civil") && rows[0].contains(&number),
        "newest first"
    );
    assert!(rows[1].contains("查看办件"));
    let claims = body_text(auditor.get(&format!("/staff/case-audit?action=claim&number={number}")).await).await;
    assert_eq!(audit_rows(&claims).len(), 1);
    let elsewhere = body_text(auditor.get("/staff/case-audit?department=public-security").await).await;
    assert!(audit_rows(&elsewhere).is_empty() && elsewhere.contains("没有符合条件的记录"));
    let by_staff = body_text(auditor.get("/staff/case-audit?staff=clerk.civil").await).await;
    assert_eq!(audit_rows(&by_staff).len(), 2);
    let bad = body_text(auditor.get("/staff/case-audit?from=yesterday").await).await;
    assert!(bad.contains("请按 2026-12-03 的格式填写日期"), "a date that cannot be read says so next to the field");
    assert_eq!(audit_rows(&bad).len(), 2, "and the default period is searched");
    let future = body_text(auditor.get("/staff/case-audit?from=2099-01-01&until=2099-01-31").await).await;
    assert!(audit_rows(&future).is_empty());

    let res = auditor.get(&format!("/api/staff/case-audit/export?number={number}")).await;
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get("content-disposition")
        .is_some_and(|v| v.to_str().unwrap_or_default().contains("attachment")));
    let exported: serde_json::Value = serde_json::from_str(&body_text(res).await).expect("json");
    assert_eq!(exported.as_array().map(Vec::len), Some(2));
    let logged: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM staff_events WHERE event = 'log_exported' ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .expect("log");
    assert_eq!(logged, ["case audit: 2 rows"], "the export is in the staff security log with its row count");
});
