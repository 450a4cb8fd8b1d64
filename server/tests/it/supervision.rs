//! Supervision through the real router on both databases: the time-limit colours at 80 % of the
//! promised working days and past them (paused days not counted), the dashboard and its exports
//! for supervisors only and only of their scope, and the second supervisor's approval of an
//! export with personal data.

use crate::accounts::PASSWORD;
use crate::applications::location;
use crate::cases::{answer_supplement, case_worker, decide, submitted_low_income};
use crate::on_both_backends;
use crate::staff::{sign_in, Staff};
use crate::support::{body_text, TestApp};
use app::accounts::StaffRole;
use app::applications::server::beijing_day;
use time::Date;

/// Moves the application's clock forward to the same time of day on `day` (Beijing).
fn advance_to(app: &TestApp, day: Date) {
    let today = beijing_day(app.clock.now());
    app.clock.advance((day - today).whole_days() * 86_400);
}

/// The submission day and the promised day of the case numbered `number`.
async fn days_of(app: &TestApp, number: &str) -> (Date, Date) {
    let (submitted_at, due): (i64, String) =
        sqlx::query_as("SELECT submitted_at, promised_due FROM applications WHERE number = $1")
            .bind(number)
            .fetch_one(app.db.pool())
            .await
            .expect("case");
    (beijing_day(submitted_at), app::supervision::time_limit::parse_day(&due).expect("day"))
}

/// The queue line of `number`, from its link to the end of its row.
async fn queue_row(staff: &mut Staff<'_>, query: &str, number: &str) -> Option<String> {
    let page = body_text(staff.get(&format!("/staff/cases{query}")).await).await;
    let start = page.find(&format!("/staff/cases/{number}\""))?;
    let end = page[start..].find("</tr>").map_or(page.len(), |e| start + e);
    Some(page[start..end].to_owned())
}

async fn events(app: &TestApp, event: &str) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT success, detail FROM staff_events WHERE event = $1 ORDER BY id")
        .bind(event)
        .fetch_all(app.db.pool())
        .await
        .expect("security log")
}

on_both_backends!(cases_turn_yellow_at_eighty_percent_of_the_promise_and_red_past_it, |app| {
    let (_citizen, number, _reference) = submitted_low_income(&app).await;
    let calendar = app::catalogue::server::work_calendar(&app.db).await.expect("calendar");
    let (start, due) = days_of(&app, &number).await;
    let promised = calendar.working_days_between(start, due);
    assert!(promised >= 10, "the item promises {promised} working days");
    // The first working day at which 80 % are used, and the one before it.
    let warn_from = (1..=promised).find(|d| d * 5 >= promised * 4).expect("a day");
    let supervisor = "sup.civil";
    let mut clerk = case_worker(&app, supervisor, StaffRole::Supervisor, Some("civil-affairs")).await;

    advance_to(&app, calendar.add_working_days(start, warn_from - 1));
    assert_eq!(location(&sign_in(&mut clerk, supervisor).await), "/staff");
    let line = queue_row(&mut clerk, "", &number).await.expect("listed");
    assert!(!line.contains("tag--warning") && !line.contains("tag--error"), "not yet: {line}");
    assert!(queue_row(&mut clerk, "?due=soon", &number).await.is_none(), "the near-due filter leaves it out");

    advance_to(&app, calendar.add_working_days(start, warn_from));
    assert_eq!(location(&sign_in(&mut clerk, supervisor).await), "/staff");
    let line = queue_row(&mut clerk, "", &number).await.expect("listed");
    assert!(line.contains("tag--warning") && !line.contains("tag--error"), "80 % used: {line}");
    assert!(queue_row(&mut clerk, "?due=soon", &number).await.is_some());
    assert!(queue_row(&mut clerk, "?due=overdue", &number).await.is_none());
    let case = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    assert!(case.contains(&format!("{warn_from} / {promised} 个工作日")) && case.contains("tag--warning"));

    advance_to(&app, calendar.add_working_days(due, 1));
    assert_eq!(location(&sign_in(&mut clerk, supervisor).await), "/staff");
    let line = queue_row(&mut clerk, "?due=overdue", &number).await.expect("overdue");
    assert!(line.contains("tag--error"), "{line}");
    let dashboard = body_text(clerk.get("/staff/supervision").await).await;
    let overdue = &dashboard[dashboard.find("overdue-title").expect("section")..];
    assert!(overdue.contains(&format!("/staff/cases/{number}")), "the dashboard lists the overdue case");
});

on_both_backends!(paused_working_days_are_shown_and_not_counted, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let calendar = app::catalogue::server::work_calendar(&app.db).await.expect("calendar");
    let (start, due) = days_of(&app, &number).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    let res = decide(
        &mut clerk,
        &number,
        &[("action", "request_supplement"), ("need.income_statement", "yes"), ("why.income_statement", "请补充")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let asked = beijing_day(app.clock.now());
    app.clock.advance(9 * 86_400);
    let answered = beijing_day(app.clock.now());
    let res = citizen.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), 303);
    answer_supplement(&mut citizen, &reference, "收入证明.pdf", "已补充").await;
    assert_eq!(location(&sign_in(&mut clerk, "clerk.civil").await), "/staff");
    let case = body_text(clerk.get(&format!("/staff/cases/{number}")).await).await;
    let paused = calendar.working_days_between(asked.max(start), answered);
    assert!(paused >= 5, "nine days hold {paused} working days");
    assert!(case.contains(&format!("{paused} 个工作日（不计入时限）")), "the paused working days are shown");
    let used = calendar.working_days_between(start, answered) - paused;
    let promised = calendar.working_days_between(start, due);
    assert!(case.contains(&format!("{used} / {promised} 个工作日")), "paused days are not used days");
    let moved = app::applications::server::iso_day(calendar.add_working_days(due, paused));
    assert!(case.contains(&moved), "the promised day moves by the paused days ({moved})");
});

on_both_backends!(the_dashboard_is_for_supervisors_and_shows_only_their_scope, |app| {
    let (mut citizen, number, _reference) = submitted_low_income(&app).await;
    let mut clerk = case_worker(&app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    for path in ["/staff/supervision", "/staff/supervision/figures.csv"] {
        assert_eq!(clerk.get(path).await.status(), 403, "a clerk is refused {path}");
        assert_eq!(citizen.get(path).await.status(), 403, "a citizen is refused {path}");
    }
    let res = clerk.post("/staff/supervision/exports", &[("period", "30d")]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(clerk.post("/staff/supervision/exports/1/download", &[]).await.status(), 403);
    let requests: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM supervision_exports").fetch_one(app.db.pool()).await.expect("count");
    assert_eq!(requests, 0, "nothing was recorded for the clerk");

    let mut civil = case_worker(&app, "sup.civil", StaffRole::Supervisor, Some("civil-affairs")).await;
    let page = body_text(civil.get("/staff/supervision").await).await;
    assert!(page.contains("最低生活保障") && page.contains("<svg"), "the case counts, with a chart");
    let received =
        |page: &str| page.split("<dt>收件</dt><dd>").nth(1).and_then(|r| r.split('<').next()).map(str::to_owned);
    assert_eq!(received(&page).as_deref(), Some("1"));
    let csv = body_text(civil.get("/staff/supervision/figures.csv?period=month").await).await;
    assert!(csv.starts_with('\u{feff}') && csv.contains("最低生活保障"), "{csv}");
    assert!(!csv.contains("张伟") && !csv.contains(&number), "the figures carry no personal data");

    let mut housing = case_worker(&app, "sup.housing", StaffRole::Supervisor, Some("housing")).await;
    let page = body_text(housing.get("/staff/supervision").await).await;
    assert_eq!(received(&page).as_deref(), Some("0"), "another department's case is not counted");
    assert!(!page.contains("最低生活保障") && !page.contains(&number));
    let csv = body_text(housing.get("/staff/supervision/figures.csv").await).await;
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
    let mut city = case_worker(&app, "sup.city", StaffRole::Supervisor, None).await;
    let page = body_text(city.get("/staff/supervision").await).await;
    assert_eq!(received(&page).as_deref(), Some("1"), "a city-wide supervisor counts every department");
});

on_both_backends!(a_case_list_with_personal_data_needs_a_second_supervisor, |app| {
    let (_citizen, number, _reference) = submitted_low_income(&app).await;
    let mut asker = case_worker(&app, "sup.one", StaffRole::Supervisor, Some("civil-affairs")).await;
    let mut second = case_worker(&app, "sup.two", StaffRole::Supervisor, Some("civil-affairs")).await;
    let mut other = case_worker(&app, "sup.housing", StaffRole::Supervisor, Some("housing")).await;
    let res = asker.post("/staff/supervision/exports", &[("period", "30d")]).await;
    assert_eq!(location(&res), "/staff/supervision?period=30d&done=requested");
    let id: i64 = sqlx::query_scalar("SELECT id FROM supervision_exports").fetch_one(app.db.pool()).await.expect("id");
    let download = format!("/staff/supervision/exports/{id}/download");
    assert_eq!(asker.post(&download, &[]).await.status(), 403, "not before the approval");

    let res = asker.post("/staff/supervision/exports/approve", &[("export", &id.to_string())]).await;
    assert_eq!(res.status(), 403, "the requester cannot approve their own request");
    assert!(body_text(res).await.contains("只能批准本范围内其他督办人员"));
    let res = other.post("/staff/supervision/exports/approve", &[("export", &id.to_string())]).await;
    assert_eq!(res.status(), 403, "a supervisor of another department cannot approve it");
    assert!(!body_text(other.get("/staff/supervision").await).await.contains("sup.one"));
    let res = second.post("/staff/supervision/exports/approve", &[("export", &id.to_string())]).await;
    assert_eq!(location(&res), "/staff/supervision?done=approved");
    assert_eq!(second.post(&download, &[]).await.status(), 403, "only the requester downloads");

    let res = asker.post(&download, &[]).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
    let csv = body_text(res).await;
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.lines().count(), 2, "the header and the one case: {csv}");
    assert!(csv.contains(&number) && csv.contains("张伟") && !csv.contains(crate::registers::ZHANG_WEI));
    assert_eq!(asker.post(&download, &[]).await.status(), 403, "once");

    assert_eq!(events(&app, "export_requested").await.len(), 1);
    let approvals: Vec<i64> = events(&app, "export_approved").await.into_iter().map(|(ok, _)| ok).collect();
    assert_eq!(approvals, vec![0, 0, 1], "the refused approvals are logged too");
    let downloads = events(&app, "export_downloaded").await;
    assert!(downloads.contains(&(1, format!("export {id} rows 1"))), "{downloads:?}");
    assert_eq!(downloads.iter().filter(|(ok, _)| *ok == 1).count(), 1);
});

/// Takes 张伟's case to completion through the console and returns the clerk.
async fn completed<'a>(app: &'a TestApp, number: &str) -> Staff<'a> {
    let mut clerk = case_worker(app, "clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")).await;
    for action in ["accept", "approve", "complete"] {
        let res = decide(&mut clerk, number, &[("action", action)]).await;
        assert_eq!(res.status(), 303, "{action}");
    }
    clerk
}

async fn ledger_entries(app: &TestApp) -> Vec<(i64, String, String)> {
    sqlx::query_as("SELECT id, state, due FROM rating_ledger ORDER BY id")
        .fetch_all(app.db.pool())
        .await
        .expect("ledger")
}

on_both_backends!(a_poor_rating_opens_a_ledger_entry_that_supervisors_of_its_scope_work, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let mut clerk = completed(&app, &number).await;
    let res = citizen
        .post(&format!("/applications/{reference}/rating"), &[("level", "2"), ("indicator", "efficiency")])
        .await;
    assert_eq!(res.status(), 303);
    let entries = ledger_entries(&app).await;
    assert_eq!(entries.len(), 1, "the 差评 opened one entry");
    let (id, state, due) = entries[0].clone();
    assert_eq!(state, "to_verify");
    let calendar = app::catalogue::server::work_calendar(&app.db).await.expect("calendar");
    let expected = calendar.add_working_days(beijing_day(app.clock.now()), 5);
    assert_eq!(due, app::applications::server::iso_day(expected), "five working days by default");
    let entry = format!("/staff/supervision/ratings/{id}");

    assert_eq!(clerk.get(&entry).await.status(), 403, "a clerk does not work the ledger");
    let move_to = |to: &'static str, seen: &'static str| {
        vec![("seen", seen), ("to", to), ("responsible", "李科长"), ("note", "已核实：办理时间过长")]
    };
    assert_eq!(clerk.post(&entry, &move_to("rectifying", "to_verify")).await.status(), 403);
    let mut housing = case_worker(&app, "sup.housing", StaffRole::Supervisor, Some("housing")).await;
    assert_eq!(housing.get(&entry).await.status(), 404, "another department's entry is not found");
    assert_eq!(housing.post(&entry, &move_to("rectifying", "to_verify")).await.status(), 409);
    let page = body_text(housing.get("/staff/supervision").await).await;
    assert!(!page.contains(&entry) && page.contains("没有待处理的差评"), "none of its entries are listed");

    let mut supervisor = case_worker(&app, "sup.civil", StaffRole::Supervisor, Some("civil-affairs")).await;
    let page = body_text(supervisor.get("/staff/supervision").await).await;
    assert!(page.contains(&entry) && page.contains(&due), "listed with its deadline");
    let res = supervisor.post(&entry, &move_to("reviewed", "to_verify")).await;
    assert_eq!(res.status(), 400, "nothing is reviewed before it is put right and answered");
    assert!(body_text(res).await.contains("请选择当前进度允许的下一步"));
    let res = supervisor.post(&entry, &[("seen", "to_verify"), ("to", "rectifying"), ("note", "x")]).await;
    assert_eq!(res.status(), 400);
    assert!(body_text(res).await.contains("请填写责任人"));
    let res = supervisor.post(&entry, &move_to("rectifying", "to_verify")).await;
    assert_eq!(location(&res), format!("{entry}?done=moved"));
    assert_eq!(ledger_entries(&app).await[0].1, "rectifying");
    let res = supervisor.post(&entry, &move_to("appealed", "to_verify")).await;
    assert_eq!(res.status(), 409, "a form of a state the entry has left changes nothing");
    let history: Vec<(String, String, String)> =
        sqlx::query_as("SELECT from_state, to_state, responsible FROM rating_ledger_events ORDER BY id")
            .fetch_all(app.db.pool())
            .await
            .expect("history");
    assert_eq!(history, vec![("to_verify".to_owned(), "rectifying".to_owned(), "李科长".to_owned())]);
    let changed = sqlx::query("UPDATE rating_ledger_events SET note = 'x'").execute(app.db.pool()).await;
    assert!(changed.is_err(), "the history is append-only");

    // Past its deadline the entry is red on the dashboard.
    let page = body_text(supervisor.get("/staff/supervision").await).await;
    let ledger = &page[page.find("ledger-title").expect("section")..];
    assert!(!ledger.split("</section>").next().unwrap_or_default().contains("tag--error"));
    advance_to(&app, calendar.add_working_days(expected, 1));
    assert_eq!(location(&sign_in(&mut supervisor, "sup.civil").await), "/staff");
    let page = body_text(supervisor.get("/staff/supervision").await).await;
    let ledger = &page[page.find("ledger-title").expect("section")..];
    assert!(ledger.split("</section>").next().unwrap_or_default().contains("tag--error"), "overdue");
});

on_both_backends!(good_and_default_ratings_open_no_ledger_entry, |app| {
    let (mut citizen, number, reference) = submitted_low_income(&app).await;
    let _clerk = completed(&app, &number).await;
    let res = citizen.post(&format!("/applications/{reference}/rating"), &[("level", "4")]).await;
    assert_eq!(res.status(), 303);
    assert!(ledger_entries(&app).await.is_empty());
    // The default rating of an unrated case (基本满意) opens none either.
    sqlx::query("DELETE FROM application_ratings").execute(app.db.pool()).await.expect("unrate");
    app.clock.advance(app::applications::server::RATING_WINDOW + 1);
    let (_, _, defaulted) = app::applications::server::run_daily_jobs(&app.ctx).await.expect("jobs");
    assert_eq!(defaulted, 1);
    assert!(ledger_entries(&app).await.is_empty());
});

async fn outbox_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body FROM mail_outbox WHERE recipient = $1 ORDER BY id")
        .bind(to)
        .fetch_all(app.db.pool())
        .await
        .expect("outbox")
}

on_both_backends!(supervisors_get_one_digest_a_day_of_their_scope_and_none_without_anything_overdue, |app| {
    let (_citizen, number, _reference) = submitted_low_income(&app).await;
    for (username, role, department) in [
        ("sup.civil", StaffRole::Supervisor, Some("civil-affairs")),
        ("sup.housing", StaffRole::Supervisor, Some("housing")),
        ("clerk.civil", StaffRole::WindowClerk, Some("civil-affairs")),
    ] {
        case_worker(&app, username, role, department).await;
        sqlx::query("UPDATE staff_accounts SET email = $1 WHERE username = $2")
            .bind(format!("{username}@gov.example.cn"))
            .bind(username)
            .execute(app.db.pool())
            .await
            .expect("email");
    }
    // Nine in the morning, Beijing time, the next day.
    let beijing_secs = (app.clock.now() + 8 * 3600).rem_euclid(86_400);
    app.clock.advance((9 * 3600 - beijing_secs).rem_euclid(86_400) + 86_400);
    let send = || app::supervision::server::send_daily_digests(&app.ctx);
    assert_eq!(send().await.expect("digest"), 0, "nothing is overdue yet");
    let days: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM supervision_digests").fetch_one(app.db.pool()).await.expect("rows");
    assert_eq!(days, 0, "and nothing is recorded, so a case overdue later today is still reported");

    let calendar = app::catalogue::server::work_calendar(&app.db).await.expect("calendar");
    let (_, due) = days_of(&app, &number).await;
    advance_to(&app, calendar.add_working_days(due, 1));
    app.clock.advance(-3 * 3600);
    assert_eq!(send().await.expect("digest"), 0, "not before the working day starts");
    app.clock.advance(3 * 3600);
    assert_eq!(send().await.expect("digest"), 1, "one supervisor has an overdue case");
    let mails = outbox_to(&app, "sup.civil@gov.example.cn").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].0.contains("超期办件 1 件") && mails[0].1.contains(&number), "{mails:?}");
    assert!(outbox_to(&app, "sup.housing@gov.example.cn").await.is_empty(), "another department's case is not theirs");
    assert!(outbox_to(&app, "clerk.civil@gov.example.cn").await.is_empty(), "clerks get no digest");
    assert_eq!(send().await.expect("digest"), 0, "once a day");
    app.clock.advance(86_400);
    assert_eq!(send().await.expect("digest"), 1, "and again the next day");
    assert_eq!(outbox_to(&app, "sup.civil@gov.example.cn").await.len(), 2);
});
