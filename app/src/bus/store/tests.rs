use super::*;
use crate::db_test;
use std::path::Path;

fn fixture(name: &str) -> Files {
    let path = format!("{}/../server/tests/fixtures/gtfs/{name}", env!("CARGO_MANIFEST_DIR"));
    gtfs::files_from_path(Path::new(&path)).expect("fixture readable")
}

fn count(counts: &[(&str, i64)], table: &str) -> i64 {
    counts.iter().find(|(t, _)| *t == table).map(|(_, n)| *n).expect("table counted")
}

db_test!(cairns_imports_every_row, |db| {
    let store = BusStore::over(db).await.expect("test setup");
    let mut last = (0, 0);
    let imported = store
        .import(&fixture("cairns_gtfs.zip"), "cairns_gtfs.zip", 1, &mut |d, t| last = (d, t))
        .await
        .expect("test setup");
    let c = &imported.counts;
    assert_eq!(
        (count(c, "bus_routes"), count(c, "bus_stops"), count(c, "bus_trips"), count(c, "bus_stop_times")),
        (22, 416, 1_339, 37_790)
    );
    assert_eq!(count(c, "bus_shapes"), 22_784);
    assert_eq!(last.0, last.1, "the progress bar ends full");
    // What is read back is what was read from the files.
    let (expected, _) = gtfs::read(&fixture("cairns_gtfs.zip")).expect("test setup");
    let stored = store.feed().await.expect("test setup");
    assert_eq!(stored.routes, expected.routes);
    assert_eq!(stored.stops, expected.stops);
    let by_service = |mut c: Vec<gtfs::Calendar>| {
        c.sort_by(|a, b| a.service_id.cmp(&b.service_id));
        c
    };
    assert_eq!(by_service(stored.calendars), by_service(expected.calendars));
    let late = expected.stop_times.iter().max_by_key(|s| s.arrival).expect("test setup");
    assert!(stored.stop_times.contains(late));
});

db_test!(googles_raw_and_cleaned_samples_import, |db| {
    let store = BusStore::over(db).await.expect("test setup");
    let raw = store.import(&fixture("google-sample-feed-1.zip"), "raw", 1, &mut |_, _| {}).await.expect("test setup");
    assert_eq!(count(&raw.counts, "bus_stop_times"), 28);
    assert_eq!(count(&raw.counts, "bus_frequencies"), 11);
    assert!(raw.warnings.iter().any(|w| w.message.contains("drop_off_time")));
    let clean =
        store.import(&fixture("gtfs-kit-sample_gtfs.zip"), "clean", 2, &mut |_, _| {}).await.expect("test setup");
    assert_eq!(count(&clean.counts, "bus_routes"), 5);
    assert_eq!(store.source().await.expect("test setup").as_deref(), Some("clean"));
});

db_test!(a_broken_feed_leaves_the_previous_one_in_place, |db| {
    let store = BusStore::over(db).await.expect("test setup");
    store.import(&fixture("gtfs-kit-sample_gtfs.zip"), "good", 1, &mut |_, _| {}).await.expect("test setup");
    let before = store.counts().await.expect("test setup");
    let mut broken = fixture("cairns_gtfs.zip");
    let stops = String::from_utf8(broken["stops.txt"].clone()).expect("test setup");
    broken.insert("stops.txt".into(), stops.replacen("-16.74359", "-196.74359", 1).into_bytes());
    broken.insert(
        "frequencies.txt".into(),
        b"trip_id,start_time,end_time,headway_secs\nghost,25:00:00,24:00:00,600\n".to_vec(),
    );
    let Err(ImportError::Invalid(report)) = store.import(&broken, "broken", 2, &mut |_, _| {}).await else {
        panic!("a broken feed must be refused")
    };
    let text: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert!(text.contains(&"stops.txt:2: stop_lat \"-196.74359\" is not a number from -90 to 90".into()), "{text:?}");
    assert!(text.contains(&"frequencies.txt:2: end_time 24:00:00 is not after start_time 25:00:00".into()), "{text:?}");
    assert!(text.contains(&"frequencies.txt:2: trip_id ghost is not in trips.txt".into()), "{text:?}");
    assert_eq!(store.counts().await.expect("test setup"), before);
    assert_eq!(store.source().await.expect("test setup").as_deref(), Some("good"));
});
