use super::db::{self, SaveVersion};
use super::*;
use crate::db_test;
use time::macros::date;

fn save<'a>(code: &'a str, content: &'a str, now: i64) -> SaveVersion<'a> {
    SaveVersion {
        code,
        department: "public-security",
        name_zh: "测试事项",
        content,
        staff_id: Some(7),
        request_id: "r",
        now,
    }
}

db_test!(every_save_is_a_new_version_and_publishing_picks_one, |db| {
    let first = db::save_version(&db, &save("620100-T-0001", "{\"v\":1}", 100)).await.expect("save");
    let second = db::save_version(&db, &save("620100-T-0001", "{\"v\":2}", 200)).await.expect("save");
    assert_eq!((first.1, second.1), (1, 2));
    assert_eq!(first.0, second.0, "one item");
    assert!(db::published(&db).await.expect("published").is_empty(), "nothing is public before publishing");
    assert!(db::set_published(&db, first.0, Some(1), Some(7), "r", 300).await.expect("publish"));
    let published = db::published(&db).await.expect("published");
    assert_eq!(published.len(), 1);
    assert_eq!((published[0].0.version, published[0].0.content.as_str()), (1, "{\"v\":1}"));
    assert_eq!(db::latest(&db, "620100-T-0001").await.expect("latest").map(|v| v.version), Some(2));
    assert_eq!(db::version(&db, "620100-T-0001", 1).await.expect("v1").map(|v| v.content), Some("{\"v\":1}".into()));
    assert!(!db::set_published(&db, first.0, Some(9), None, "r", 300).await.expect("no such version"));
    assert!(db::set_published(&db, first.0, None, Some(7), "r", 400).await.expect("unpublish"));
    assert!(db::published(&db).await.expect("published").is_empty());
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM service_item_events ORDER BY id")
        .fetch_all(db.pool())
        .await
        .expect("log");
    assert_eq!(actions, ["saved", "saved", "published", "unpublished"]);
});

db_test!(a_saved_version_never_changes, |db| {
    db::save_version(&db, &save("620100-T-0002", "{}", 100)).await.expect("save");
    let update =
        sqlx::query("UPDATE service_item_versions SET content = '{\"changed\":true}'").execute(db.pool()).await;
    assert!(update.is_err(), "the database refuses to change a version");
    assert!(sqlx::query("DELETE FROM service_item_versions").execute(db.pool()).await.is_err());
    assert!(sqlx::query("DELETE FROM service_item_events").execute(db.pool()).await.is_err());
});

db_test!(the_calendar_holds_the_holiday_notices_and_can_be_edited, |db| {
    let calendar = work_calendar(&db).await.expect("calendar");
    assert!(calendar.is_working_day(date!(2026 - 02 - 14)), "2026 Spring Festival make-up Saturday");
    assert!(!calendar.is_working_day(date!(2026 - 02 - 16)));
    assert!(!calendar.is_working_day(date!(2025 - 10 - 08)), "2025 National Day and Mid-Autumn");
    assert!(calendar.is_working_day(date!(2025 - 09 - 28)), "a Sunday worked in 2025");
    assert!(!calendar.is_working_day(date!(2027 - 02 - 08)), "2027 Spring Festival, statutory");
    assert_eq!(calendar.add_working_days(date!(2026 - 09 - 30), 1), date!(2026 - 10 - 08), "over National Day");
    db::set_calendar_day(&db, "2027-02-09", "holiday", "春节", "test notice", 1).await.expect("edit");
    db::set_calendar_day(&db, "2027-02-07", "workday", "春节调休上班", "test notice", 1).await.expect("edit");
    let calendar = work_calendar(&db).await.expect("calendar");
    assert!(!calendar.is_working_day(date!(2027 - 02 - 09)));
    assert!(calendar.is_working_day(date!(2027 - 02 - 07)), "a Sunday made a working day");
    assert!(db::clear_calendar_day(&db, "2027-02-07").await.expect("clear"));
    assert!(!work_calendar(&db).await.expect("calendar").is_working_day(date!(2027 - 02 - 07)));
});

db_test!(the_synonym_list_is_replaced_whole_and_moves_the_generation, |db| {
    use crate::catalogue::search::Synonym;
    let entry = |say: &str, means: &[&str]| Synonym {
        say: vec![say.to_owned()],
        means: means.iter().map(|m| (*m).to_owned()).collect(),
    };
    let list = vec![entry("生孩子", &["出生", "新生儿"]), entry("社保卡", &["社会保障卡"])];
    let before = db::generation(&db).await.expect("generation");
    assert!(db::replace_synonyms(&db, &list, 1_000).await.expect("replace"));
    assert_eq!(db::synonyms(&db).await.expect("read"), list, "read back in the editors' order");
    let loaded = db::generation(&db).await.expect("generation");
    assert_ne!(loaded, before);
    assert!(!db::replace_synonyms(&db, &list, 2_000).await.expect("same list"), "an unchanged list is left alone");
    assert_eq!(db::generation(&db).await.expect("generation"), loaded, "so caches stay valid");
    // Changed within the same second, then emptied: the generation moves every time.
    assert!(db::replace_synonyms(&db, &list[..1], 1_000).await.expect("replace"));
    let shorter = db::generation(&db).await.expect("generation");
    assert_ne!(shorter, loaded);
    assert!(db::replace_synonyms(&db, &[], 1_000).await.expect("empty"));
    assert!(db::synonyms(&db).await.expect("read").is_empty());
    assert_ne!(db::generation(&db).await.expect("generation"), shorter);
});
