use super::db::{self, NewDraft, Submission, SubmitOutcome};
use super::*;
use crate::accounts::server::citizens::{self, NewCitizen};
use crate::catalogue::calendar::{DayKind, WorkCalendar};
use crate::catalogue::model::{DayUnit, TimeLimit};
use crate::db_test;
use crate::platform::Db;
use time::macros::date;

async fn citizen(db: &Db, n: u8) -> i64 {
    let email = format!("c{n}@example.cn");
    let reference = format!("ref-{n}");
    citizens::insert(
        db,
        &NewCitizen {
            email: &email,
            phone: None,
            name: "张伟",
            id_number_sealed: "sealed",
            id_number_ref: &reference,
            id_number_masked: "1101**********8515",
            password_hash: "x",
            now: 1,
        },
    )
    .await
    .expect("citizen")
}

async fn draft(db: &Db, citizen_id: i64, reference: &str) -> i64 {
    db::insert_draft(
        db,
        &NewDraft {
            reference,
            citizen_id,
            item_code: "620100-T-0001",
            item_version: 1,
            answers: "{}",
            now: 100,
            expires_at: 100 + 30 * 86_400,
        },
    )
    .await
    .expect("draft")
}

fn submission<'a>(citizen_id: i64, id: i64, key: &'a str) -> Submission<'a> {
    Submission {
        citizen_id,
        id,
        key,
        answers: "{\"values\":{}}",
        note: "",
        now: 1_000,
        day: "20261203",
        review_due: "2026-12-10",
        promised_due: "2026-12-17",
        statutory_due: "2026-12-31",
        notice: Some(db::Notice {
            kind: "submitted",
            email: Some("c1@example.cn"),
            subject: "s {application-number}",
            body: "b {application-number}",
        }),
    }
}

db_test!(racing_submissions_of_one_form_make_one_application_with_one_number_and_one_mail, |db| {
    let c = citizen(&db, 1).await;
    let id = draft(&db, c, "aaaaaaaaaaaaaaaaaaaa").await;
    let number_of = |sequence: u32| crate::applications::model::application_number("20261203", sequence);
    let runs = (0..8).map(|_| {
        let db = db.clone();
        tokio::spawn(async move { db::submit(&db, &submission(c, id, "key-one-aaaaaaaaaa"), number_of).await })
    });
    let mut outcomes = Vec::new();
    for run in runs {
        outcomes.push(run.await.expect("join").expect("submit"));
    }
    let fresh: Vec<&SubmitOutcome> = outcomes.iter().filter(|o| matches!(o, SubmitOutcome::Submitted(_))).collect();
    assert_eq!(fresh.len(), 1, "{outcomes:?}");
    let SubmitOutcome::Submitted(number) = fresh[0] else { unreachable!() };
    assert!(outcomes
        .iter()
        .all(|o| matches!(o, SubmitOutcome::Submitted(n) | SubmitOutcome::AlreadySubmitted(n) if n == number)));
    assert_eq!(number, &number_of(1));
    let counts: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM application_revisions), (SELECT COUNT(*) FROM application_events), \
         (SELECT COUNT(*) FROM notifications), (SELECT COUNT(*) FROM mail_outbox)",
    )
    .fetch_one(db.pool())
    .await
    .expect("counts");
    assert_eq!(counts, (1, 1, 1, 1), "one revision, one timeline entry, one inbox row, one mail");
    let body: String = sqlx::query_scalar("SELECT body FROM mail_outbox").fetch_one(db.pool()).await.expect("mail");
    assert_eq!(body, format!("b {number}"), "the mail names the number drawn in the same transaction");
    // Another form (another key) of a submitted application changes nothing.
    let again = db::submit(&db, &submission(c, id, "key-two-bbbbbbbbbb"), number_of).await.expect("submit");
    assert_eq!(again, SubmitOutcome::NotEditable);
    // The next application of the day draws the next number.
    let second = draft(&db, c, "bbbbbbbbbbbbbbbbbbbb").await;
    let outcome = db::submit(&db, &submission(c, second, "key-three-cccccccc"), number_of).await.expect("submit");
    assert_eq!(outcome, SubmitOutcome::Submitted(number_of(2)));
});

db_test!(one_citizen_cannot_submit_or_read_another_citizens_application, |db| {
    let owner = citizen(&db, 1).await;
    let other = citizen(&db, 2).await;
    let id = draft(&db, owner, "aaaaaaaaaaaaaaaaaaaa").await;
    assert!(db::mine(&db, other, "aaaaaaaaaaaaaaaaaaaa").await.expect("read").is_none());
    assert!(!db::save_answers(&db, other, id, "{}", 1, 200, None).await.expect("save"));
    let number_of = |s: u32| crate::applications::model::application_number("20261203", s);
    let outcome = db::submit(&db, &submission(other, id, "key-other-aaaaaaaa"), number_of).await.expect("submit");
    assert_eq!(outcome, SubmitOutcome::NotEditable);
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .expect("s");
    assert_eq!(status, "draft");
});

db_test!(the_timeline_and_submitted_answers_are_kept_and_never_changed, |db| {
    let c = citizen(&db, 1).await;
    let id = draft(&db, c, "aaaaaaaaaaaaaaaaaaaa").await;
    let number_of = |s: u32| crate::applications::model::application_number("20261203", s);
    db::submit(&db, &submission(c, id, "key-one-aaaaaaaaaa"), number_of).await.expect("submit");
    assert!(sqlx::query("UPDATE application_events SET note = 'x'").execute(db.pool()).await.is_err());
    assert!(sqlx::query("DELETE FROM application_events").execute(db.pool()).await.is_err());
    assert!(sqlx::query("UPDATE application_revisions SET answers = '{}'").execute(db.pool()).await.is_err());
    // 补正: requested, answered; both answer versions stay.
    assert!(db::request_supplement(&db, c, id, "[]", "缺少材料", 2_000, None).await.expect("request"));
    let request = db::open_supplement(&db, id).await.expect("open").expect("a request");
    let stopped: Option<i64> = sqlx::query_scalar("SELECT clock_stopped_at FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await
        .expect("c");
    assert_eq!(stopped, Some(2_000), "the clock stops at the request");
    let answer = |answers: &'static str, now: i64| db::SupplementAnswer {
        citizen_id: c,
        application_id: id,
        request_id: request.id,
        answers,
        note: "已补",
        now,
        notice: None,
    };
    assert!(db::answer_supplement(&db, &answer("{\"values\":{\"a\":\"2\"}}", 3_000)).await.expect("answer"));
    assert!(!db::answer_supplement(&db, &answer("{}", 3_001)).await.expect("twice"), "answered once");
    let revisions = db::revisions(&db, id).await.expect("revisions");
    assert_eq!(revisions.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(revisions[0].1, "{\"values\":{}}", "the first version is as submitted");
    let row = db::mine(&db, c, "aaaaaaaaaaaaaaaaaaaa").await.expect("read").expect("row");
    assert_eq!((row.status.as_str(), row.clock_stopped_at), ("submitted", None), "back to pre-review, clock running");
    let events: Vec<String> = db::events(&db, id).await.expect("events").into_iter().map(|e| e.status).collect();
    assert_eq!(events, ["submitted", "supplement_requested", "supplemented"]);
});

db_test!(drafts_are_reminded_once_three_days_before_and_removed_when_they_expire, |db| {
    let c = citizen(&db, 1).await;
    let id = draft(&db, c, "aaaaaaaaaaaaaaaaaaaa").await;
    let expires = 100 + 30 * 86_400;
    assert!(db::drafts_to_remind(&db, expires - REMINDER_BEFORE - 1).await.expect("due").is_empty(), "not yet");
    let due = db::drafts_to_remind(&db, expires).await.expect("due");
    assert_eq!(due.len(), 1);
    assert!(db::mark_reminded(&db, id, expires, 500, Some(("c1@example.cn", "s", "b"))).await.expect("mark"));
    assert!(!db::mark_reminded(&db, id, expires, 501, Some(("c1@example.cn", "s", "b"))).await.expect("again"));
    assert!(db::drafts_to_remind(&db, expires).await.expect("due").is_empty(), "reminded once");
    let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox").fetch_one(db.pool()).await.expect("n");
    assert_eq!(mails, 1);
    assert_eq!(db::delete_expired_drafts(&db, expires - 1).await.expect("expire"), 0);
    assert_eq!(db::delete_expired_drafts(&db, expires).await.expect("expire"), 1);
    assert!(db::mine(&db, c, "aaaaaaaaaaaaaaaaaaaa").await.expect("read").is_none());
});

#[test]
fn deadlines_count_working_days_over_holidays_and_make_up_days() {
    // 2026 National Day: 10-01..10-07 off, Sunday 09-27 and Saturday 10-10 worked (调休).
    let calendar = WorkCalendar::new([
        (date!(2026 - 09 - 27), DayKind::Workday),
        (date!(2026 - 10 - 01), DayKind::Holiday),
        (date!(2026 - 10 - 02), DayKind::Holiday),
        (date!(2026 - 10 - 05), DayKind::Holiday),
        (date!(2026 - 10 - 06), DayKind::Holiday),
        (date!(2026 - 10 - 07), DayKind::Holiday),
        (date!(2026 - 10 - 10), DayKind::Workday),
    ]);
    let mut item: crate::catalogue::model::ItemContent =
        toml::from_str(include_str!("../../catalogue/new_item_template.toml")).expect("template");
    item.promised_limit = TimeLimit { days: 3, unit: DayUnit::Working };
    item.statutory_limit = TimeLimit { days: 10, unit: DayUnit::Natural };
    // Submitted on Wednesday 30 September. Working days after it: Thu 10-08 (1), Fri 10-09 (2),
    // the make-up Saturday 10-10 (3), Mon 10-12 (4), Tue 10-13 (5).
    let (review, promised, statutory) = deadlines(&calendar, &item, date!(2026 - 09 - 30));
    assert_eq!(promised, date!(2026 - 10 - 10), "3 working days end on the make-up Saturday");
    assert_eq!(review, date!(2026 - 10 - 13), "the 补正 notice is due within 5 working days");
    assert_eq!(statutory, date!(2026 - 10 - 10), "10 natural days end on a Saturday that is worked");
    // Submitted on Friday 25 September: 10 natural days end on Monday 5 October, a holiday, so
    // the period runs to the next working day.
    let (_, _, statutory) = deadlines(&calendar, &item, date!(2026 - 09 - 25));
    assert_eq!(statutory, date!(2026 - 10 - 08));
}
