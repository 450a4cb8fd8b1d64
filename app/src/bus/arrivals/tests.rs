use super::*;
use crate::bus::gtfs::{Calendar, Feed, Frequency, Route, Stop, StopTime, Trip};
use crate::bus::realtime::proto;

/// Monday 2026-12-07, 00:00 Beijing time.
const MONDAY: i64 = 1_796_572_800;
const MIN: i64 = 60;
const HOUR: i64 = 3600;

fn call(trip: &str, stop: &str, sequence: u32, at: u32) -> StopTime {
    StopTime {
        trip_id: trip.into(),
        stop_id: stop.into(),
        sequence,
        arrival: Some(at),
        departure: Some(at),
        ..StopTime::default()
    }
}

/// Line 1 by headway (06:00-07:00 every 10 min, A→B 5 min, B→C 5 min) every day, and a night
/// trip N on Mondays only, leaving A at 23:50 and reaching B at 24:10.
fn feed() -> Feed {
    let stop = |id: &str| Stop { id: id.into(), name: id.into(), lat: Some(36.0), lon: Some(103.8), ..Stop::default() };
    let trip = |id: &str, service: &str| Trip {
        id: id.into(),
        route_id: "R1".into(),
        service_id: service.into(),
        direction_id: Some(0),
        headsign: "C".into(),
        ..Trip::default()
    };
    Feed {
        routes: vec![Route { id: "R1".into(), short_name: "1".into(), route_type: 3, ..Route::default() }],
        stops: vec![stop("A"), stop("B"), stop("C")],
        trips: vec![trip("T1", "DAILY"), trip("N", "MON")],
        stop_times: vec![
            call("T1", "A", 1, 6 * 3600),
            call("T1", "B", 2, 6 * 3600 + 300),
            call("T1", "C", 3, 6 * 3600 + 600),
            call("N", "A", 1, 23 * 3600 + 50 * 60),
            call("N", "B", 2, 24 * 3600 + 10 * 60),
        ],
        calendars: vec![
            Calendar {
                service_id: "DAILY".into(),
                days: [true; 7],
                start_date: "20260101".into(),
                end_date: "20261231".into(),
            },
            Calendar {
                service_id: "MON".into(),
                days: [true, false, false, false, false, false, false],
                start_date: "20260101".into(),
                end_date: "20261231".into(),
            },
        ],
        frequencies: vec![Frequency {
            trip_id: "T1".into(),
            start: 6 * 3600,
            end: 7 * 3600,
            headway_secs: 600,
            exact_times: false,
        }],
        ..Feed::default()
    }
}

fn clock(arrivals: &[Arrival]) -> Vec<String> {
    arrivals
        .iter()
        .map(|a| {
            let (_, s) = beijing(a.at());
            format!("{:02}:{:02}", s / 3600, s / 60 % 60)
        })
        .collect()
}

#[test]
fn a_headway_line_arrives_every_headway_from_its_first_run() {
    let timetable = Timetable::new(&feed());
    let now = MONDAY + 6 * HOUR + 4 * MIN;
    assert_eq!(clock(&timetable.scheduled("B", now, 30 * MIN)), ["06:05", "06:15", "06:25"]);
    // The last run leaves A at 06:50; nothing from 07:00.
    assert_eq!(clock(&timetable.scheduled("C", MONDAY + 6 * HOUR + 55 * MIN, HOUR)), ["07:00"]);
    assert!(timetable.scheduled("nowhere", now, HOUR).is_empty());
}

#[test]
fn a_trip_past_midnight_belongs_to_the_previous_service_day() {
    let timetable = Timetable::new(&feed());
    // Tuesday 00:05: Monday's night trip is still due at B at 24:10, that is 00:10.
    let tuesday = MONDAY + 24 * HOUR;
    let board = timetable.scheduled("B", tuesday + 5 * MIN, 30 * MIN);
    assert_eq!(clock(&board), ["00:10"]);
    assert_eq!(board[0].trip_id, "N");
    // Wednesday 00:05: Tuesday has no night trip.
    assert!(timetable.scheduled("B", tuesday + 24 * HOUR + 5 * MIN, 30 * MIN).is_empty());
}

fn message(timestamp: u64) -> Vec<u8> {
    use prost::Message;
    let trip = |start: &str| proto::TripDescriptor {
        trip_id: Some("T1".into()),
        start_time: Some(start.into()),
        start_date: Some("20261207".into()),
        ..proto::TripDescriptor::default()
    };
    let vehicle = proto::VehiclePosition {
        trip: Some(trip("06:10:00")),
        vehicle: Some(proto::VehicleDescriptor { id: Some("V7".into()), ..Default::default() }),
        current_stop_sequence: Some(1),
        current_status: Some(proto::vehicle_position::VehicleStopStatus::StoppedAt as i32),
        timestamp: Some(timestamp),
        ..proto::VehiclePosition::default()
    };
    let update = proto::TripUpdate {
        trip: trip("06:10:00"),
        stop_time_update: vec![proto::trip_update::StopTimeUpdate {
            stop_sequence: Some(2),
            arrival: Some(proto::trip_update::StopTimeEvent { delay: Some(120), ..Default::default() }),
            ..Default::default()
        }],
        ..proto::TripUpdate::default()
    };
    // The 06:00 run has passed B already.
    let gone = proto::VehiclePosition {
        trip: Some(trip("06:00:00")),
        current_stop_sequence: Some(3),
        ..proto::VehiclePosition::default()
    };
    let entity = |id: &str| proto::FeedEntity { id: id.into(), ..proto::FeedEntity::default() };
    proto::FeedMessage {
        header: proto::FeedHeader {
            gtfs_realtime_version: "2.0".into(),
            timestamp: Some(timestamp),
            ..proto::FeedHeader::default()
        },
        entity: vec![
            proto::FeedEntity { vehicle: Some(vehicle), ..entity("v") },
            proto::FeedEntity { trip_update: Some(update), ..entity("u") },
            proto::FeedEntity { vehicle: Some(gone), ..entity("g") },
        ],
    }
    .encode_to_vec()
}

#[test]
fn real_time_gives_stops_away_and_the_predicted_delay() {
    let timetable = Timetable::new(&feed());
    let now = MONDAY + 6 * HOUR + 10 * MIN;
    let rt = Realtime::decode(&message(now as u64 - 20)).expect("decodes");
    let board = timetable.board("C", now, 30 * MIN, Some(&rt));
    assert_eq!(board.source, Source::Live { age_secs: 20 });
    assert_eq!(clock(&board.arrivals), ["06:10", "06:22", "06:30", "06:40"]);
    // The 06:00 run is on its way to C, on time.
    assert_eq!((board.arrivals[0].run_start, board.arrivals[0].stops_away), (6 * 3600, Some(0)));
    // The 06:10 run: at A, two stops from C, two minutes late from B on (06:20 → 06:22).
    let second = &board.arrivals[1];
    assert_eq!((second.run_start, second.stops_away, second.is_live()), (6 * 3600 + 600, Some(2), true));
    assert!(!board.arrivals[2].is_live(), "runs without a vehicle or prediction stay timetabled");
    // At B, the 06:00 run (due 06:05) is gone past it already: not on the board.
    let earlier = MONDAY + 6 * HOUR + 4 * MIN;
    let rt = Realtime::decode(&message(earlier as u64 - 20)).expect("decodes");
    let board = timetable.board("B", earlier, 30 * MIN, Some(&rt));
    assert_eq!(clock(&board.arrivals), ["06:17", "06:25"]);
}

#[test]
fn a_stale_or_missing_feed_falls_back_to_the_timetable_and_says_how_old() {
    let timetable = Timetable::new(&feed());
    let now = MONDAY + 6 * HOUR + 10 * MIN;
    let rt = Realtime::decode(&message(now as u64 - 200)).expect("decodes");
    let board = timetable.board("C", now, 30 * MIN, Some(&rt));
    assert_eq!(board.source, Source::Stale { age_secs: 200 });
    assert!(board.arrivals.iter().all(|a| !a.is_live()));
    assert_eq!(clock(&board.arrivals), ["06:10", "06:20", "06:30", "06:40"]);
    assert_eq!(timetable.board("C", now, 30 * MIN, None).source, Source::Down);
}

#[test]
fn the_demo_dispatch_system_publishes_every_run_under_way_deterministically() {
    use prost::Message;
    let timetable = Timetable::new(&feed());
    let now = MONDAY + 6 * HOUR + 12 * MIN;
    let message = timetable.simulate(now, 7);
    assert_eq!(message.encode_to_vec(), timetable.simulate(now, 7).encode_to_vec());
    let rt = Realtime::decode(&message.encode_to_vec()).expect("decodes");
    assert_eq!(rt.timestamp, now);
    // With seed 7's delays the runs of 06:00 and 06:10 are under way.
    let mut runs: Vec<Option<u32>> = rt.vehicles.iter().map(|v| v.run.start).collect();
    runs.sort();
    assert_eq!(runs, [Some(6 * 3600), Some(6 * 3600 + 600)]);
    assert_eq!(rt.updates.len(), 2);
    for v in &rt.vehicles {
        let (lat, lon) = (v.lat.expect("a position"), v.lon.expect("a position"));
        assert!((lat - 36.0).abs() < 1e-4 && (lon - 103.8).abs() < 1e-4);
    }
    // The board for C shows them live, with stops away.
    let board = timetable.board("C", now, 30 * MIN, Some(&rt));
    assert_eq!(board.source, Source::Live { age_secs: 0 });
    assert!(board.arrivals.iter().filter(|a| a.is_live()).all(|a| a.stops_away.is_some()));
    assert!(board.arrivals.iter().any(|a| a.run_start == 6 * 3600 + 600 && a.is_live()));
    // At 03:00 nothing runs.
    assert!(timetable.simulate(MONDAY + 3 * HOUR, 7).entity.is_empty());
}

#[test]
fn stops_are_found_by_name_or_line_and_by_distance() {
    let mut feed = feed();
    feed.stops[1].name = "酒泉路".into();
    feed.stops[2].lat = Some(36.01);
    let timetable = Timetable::new(&feed);
    let names = |found: Vec<StopSummary>| found.into_iter().map(|s| s.name).collect::<Vec<_>>();
    assert_eq!(names(timetable.search("酒泉", 10)), ["酒泉路"]);
    assert_eq!(names(timetable.search("1路", 10)), ["A", "酒泉路", "C"]);
    assert_eq!(timetable.search("1", 1)[0].lines, ["1"]);
    assert!(timetable.search("  ", 10).is_empty() && timetable.search("99", 10).is_empty());
    let near = timetable.nearby(36.01, 103.8, 2);
    assert_eq!((near[0].name.as_str(), near[0].metres), ("C", Some(0)));
    assert_eq!(near[1].metres, Some(1112), "a hundredth of a degree of latitude");
}
