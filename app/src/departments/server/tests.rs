use super::db;
use crate::db_test;
use crate::departments::Department;
use crate::site::Bilingual;

fn department(code: &str, zh: &str, en: &str, duties_zh: &str) -> Department {
    let bi = |zh: &str, en: &str| Bilingual { zh: zh.into(), en: en.into() };
    Department {
        code: code.into(),
        name: bi(zh, en),
        duties: bi(duties_zh, "duties"),
        phone: "0000-1234567".into(),
        address: bi("示例路", "Example Road"),
    }
}

fn sample() -> Vec<Department> {
    vec![
        department("police", "市公安局", "Public Security Bureau", "户籍管理、身份证办理"),
        department("civil", "市民政局", "Civil Affairs Bureau", "婚姻登记、社会救助"),
        department("market", "市市场监督管理局", "Market Regulation 100% Bureau", "企业登记、食品经营许可"),
    ]
}

db_test!(list_keeps_the_given_order, |db| {
    db::upsert_all(&db, &sample()).await.expect("seed");
    let codes: Vec<_> = db::list(&db).await.expect("list").into_iter().map(|d| d.code).collect();
    assert_eq!(codes, ["police", "civil", "market"]);
});

db_test!(upsert_updates_existing_departments, |db| {
    db::upsert_all(&db, &sample()).await.expect("seed");
    let mut changed = sample();
    changed[0].phone = "0000-7654321".into();
    db::upsert_all(&db, &changed).await.expect("seed again");
    let all = db::list(&db).await.expect("list");
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].phone, "0000-7654321");
});

db_test!(search_matches_names_before_duties_in_either_language, |db| {
    db::upsert_all(&db, &sample()).await.expect("seed");
    let by_duty: Vec<_> = db::search(&db, "婚姻").await.expect("search").into_iter().map(|d| d.code).collect();
    assert_eq!(by_duty, ["civil"]);
    let by_english: Vec<_> =
        db::search(&db, "civil affairs").await.expect("search").into_iter().map(|d| d.code).collect();
    assert_eq!(by_english, ["civil"]);
    // "登记" is in the market bureau's duties and the civil bureau's duties, in order.
    let two: Vec<_> = db::search(&db, "登记").await.expect("search").into_iter().map(|d| d.code).collect();
    assert_eq!(two, ["civil", "market"]);
});

db_test!(search_treats_wildcards_literally, |db| {
    db::upsert_all(&db, &sample()).await.expect("seed");
    let hits: Vec<_> = db::search(&db, "100%").await.expect("search").into_iter().map(|d| d.code).collect();
    assert_eq!(hits, ["market"]);
    let percent: Vec<_> = db::search(&db, "%").await.expect("search").into_iter().map(|d| d.code).collect();
    assert_eq!(percent, ["market"], "only the name that really contains a percent sign");
    assert!(db::search(&db, "_").await.expect("search").is_empty());
});
