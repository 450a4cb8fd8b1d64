//! The bus company's system: the demo timetable generated from the city profile.

use app::bus::gtfs;
use app::bus::store::BusStore;
use app::platform::testing::fresh_db;
use app::platform::Backend;
use onestop_server::demo::{install_bus, BusInstall, CityProfile, ProfileSource};

async fn demo_feed_checks(backend: Backend) {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text).expect("built-in profile");
    let store = BusStore::over(fresh_db(backend).await).await.expect("bus store");
    let BusInstall::Imported { routes, stops } = install_bus(&store, &profile, &source).await.expect("installs") else {
        panic!("a fresh store gets the demo feed")
    };
    assert!(routes >= 20 && stops >= 100, "{routes} lines, {stops} stops");
    assert!(matches!(install_bus(&store, &profile, &source).await.expect("again"), BusInstall::AlreadyCurrent));

    let feed = store.feed().await.expect("stored feed");
    assert_eq!(feed.agencies[0].timezone, "Asia/Shanghai");
    for route in &feed.routes {
        for direction in [0, 1] {
            let trips: Vec<_> =
                feed.trips.iter().filter(|t| t.route_id == route.id && t.direction_id == Some(direction)).collect();
            assert_eq!(trips.len(), 2, "line {} direction {direction}: a weekday and a weekend trip", route.short_name);
            for trip in trips {
                assert!(feed.frequencies.iter().any(|f| f.trip_id == trip.id), "{} runs by headway", trip.id);
            }
        }
    }
    // Stops are the gazetteer's streets and communities (or the profile's named places).
    let streets = source.read(&profile.gazetteer.streets).expect("streets");
    let communities = source.read(&profile.gazetteer.communities).expect("communities");
    for stop in &feed.stops {
        assert!(
            streets.contains(&stop.name) || communities.contains(&stop.name) || source.text.contains(&stop.name),
            "{} is a real place name",
            stop.name
        );
    }
    // 2026-10-01 (a Thursday) is a holiday: the weekend service runs; 2026-10-10 (a Saturday)
    // is a 调休 workday: the weekday service runs.
    let exception = |service: &str, date: &str| {
        feed.calendar_dates.iter().find(|d| d.service_id == service && d.date == date).map(|d| d.exception_type)
    };
    assert_eq!((exception("WD", "20261001"), exception("WE", "20261001")), (Some(2), Some(1)));
    assert_eq!((exception("WD", "20261010"), exception("WE", "20261010")), (Some(1), Some(2)));
    assert_eq!(exception("WD", "20261012"), None, "an ordinary Monday keeps its service");
    // Night lines run past midnight.
    assert!(feed.frequencies.iter().any(|f| f.end > 24 * 3600));
}

#[tokio::test]
async fn the_demo_timetable_is_generated_from_the_profile_and_imported_checked_sqlite() {
    demo_feed_checks(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_demo_timetable_is_generated_from_the_profile_and_imported_checked_postgres() {
    demo_feed_checks(Backend::Postgres).await;
}

#[test]
fn the_demo_timetable_is_deterministic_and_has_no_warnings() {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text).expect("built-in profile");
    let bus = profile.bus.as_ref().expect("the built-in city has buses");
    let streets = source.read(&profile.gazetteer.streets).expect("streets");
    let communities = source.read(&profile.gazetteer.communities).expect("communities");
    let gazetteer = app::registers::demo::Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let one = app::bus::demo::generate(bus, &profile.registers, &source.text, &gazetteer).expect("generates");
    let two = app::bus::demo::generate(bus, &profile.registers, &source.text, &gazetteer).expect("generates");
    assert_eq!(one.files, two.files);
    let (_, report) = gtfs::read(&one.files).expect("valid GTFS");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}
