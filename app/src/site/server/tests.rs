use super::*;
use crate::db_test;

fn sample() -> SiteProfile {
    let bi = |zh: &str, en: &str| Bilingual { zh: zh.into(), en: en.into() };
    SiteProfile {
        portal_name: bi("示例市一网通办", "Example City OneStop"),
        city_name: bi("示例市", "Example City"),
        sponsor: bi("示例市人民政府", "Example City Government"),
        hotline: "12345".into(),
        hall_address: bi("示例路 1 号", "1 Example Road"),
        hall_hours: bi("工作日 9:00–17:00", "Weekdays 9:00–17:00"),
        record_number: "示ICP备00000000号".into(),
    }
}

db_test!(profile_round_trips_and_updates_in_place, |db| {
    assert_eq!(load(&db).await.expect("load empty"), SiteProfile::default());
    let mut profile = sample();
    save(&db, &profile).await.expect("save");
    assert_eq!(load(&db).await.expect("load"), profile);
    profile.hotline = "0000-12345".into();
    save(&db, &profile).await.expect("save again");
    assert_eq!(load(&db).await.expect("load again").hotline, "0000-12345");
});
