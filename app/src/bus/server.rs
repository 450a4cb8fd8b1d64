//! The portal's in-memory view of the bus company: the timetable index and the latest
//! real-time message, swapped whole when new ones arrive, so a page view reads neither the
//! company's database nor its feed.

pub mod db;
pub mod feed;

use super::arrivals::{Board, Timetable};
use super::realtime::Realtime;
use std::sync::{Arc, RwLock};
use std::time::Duration;

#[derive(Default)]
struct Snapshot {
    timetable: Option<Arc<Timetable>>,
    realtime: Option<Arc<Realtime>>,
}

/// Cheap to clone: every clone shares one snapshot.
#[derive(Clone, Default)]
pub struct Buses {
    snapshot: Arc<RwLock<Snapshot>>,
}

/// How often the portal asks the company for its real-time feed.
pub const POLL_INTERVAL: Duration = Duration::from_secs(15);

impl Buses {
    pub fn set_timetable(&self, timetable: Timetable) {
        if let Ok(mut s) = self.snapshot.write() {
            s.timetable = Some(Arc::new(timetable));
        }
    }

    pub fn set_realtime(&self, realtime: Realtime) {
        if let Ok(mut s) = self.snapshot.write() {
            s.realtime = Some(Arc::new(realtime));
        }
    }

    pub fn timetable(&self) -> Option<Arc<Timetable>> {
        self.snapshot.read().ok().and_then(|s| s.timetable.clone())
    }

    pub fn realtime(&self) -> Option<Arc<Realtime>> {
        self.snapshot.read().ok().and_then(|s| s.realtime.clone())
    }

    /// A stop's board at `now`; `None` before a timetable is loaded.
    pub fn board(&self, stop_id: &str, now: i64, horizon: i64) -> Option<Board> {
        let (timetable, realtime) = {
            let s = self.snapshot.read().ok()?;
            (s.timetable.clone()?, s.realtime.clone())
        };
        Some(timetable.board(stop_id, now, horizon, realtime.as_deref()))
    }

    /// One poll: a message that cannot be fetched or read leaves the last one in place, which
    /// then ages into the timetable fallback.
    pub fn accept(&self, fetched: Result<Vec<u8>, String>) -> Result<(), String> {
        let bytes = fetched?;
        let realtime = Realtime::decode(&bytes).map_err(|e| format!("unreadable GTFS Realtime message: {e}"))?;
        self.set_realtime(realtime);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::gtfs::{Calendar, Feed, Route, Stop, StopTime, Trip};
    use prost::Message;

    /// Monday 2026-12-07, 06:00 Beijing time.
    const SIX: i64 = 1_796_572_800 + 6 * 3600;

    fn timetable() -> Timetable {
        let call = |stop: &str, sequence: u32, at: u32| StopTime {
            trip_id: "T".into(),
            stop_id: stop.into(),
            sequence,
            arrival: Some(at),
            departure: Some(at),
            ..StopTime::default()
        };
        Timetable::new(&Feed {
            routes: vec![Route { id: "R".into(), short_name: "9".into(), route_type: 3, ..Route::default() }],
            stops: ["A", "B"]
                .iter()
                .map(|id| Stop {
                    id: (*id).into(),
                    name: (*id).into(),
                    lat: Some(36.0),
                    lon: Some(103.8),
                    ..Stop::default()
                })
                .collect(),
            trips: vec![Trip { id: "T".into(), route_id: "R".into(), service_id: "D".into(), ..Trip::default() }],
            stop_times: vec![call("A", 1, 6 * 3600 + 300), call("B", 2, 6 * 3600 + 900)],
            calendars: vec![Calendar {
                service_id: "D".into(),
                days: [true; 7],
                start_date: "20260101".into(),
                end_date: "20261231".into(),
            }],
            ..Feed::default()
        })
    }

    #[test]
    fn a_board_reads_the_snapshot_and_a_failed_poll_keeps_the_last_message_to_age() {
        let buses = Buses::default();
        assert!(buses.board("B", SIX, 3600).is_none(), "no timetable yet");
        buses.set_timetable(timetable());
        let board = buses.board("B", SIX, 3600).expect("a board");
        assert_eq!(board.source, super::super::arrivals::Source::Down);
        assert_eq!(board.arrivals.len(), 1);

        let message = buses.timetable().expect("timetable").simulate(SIX + 400, 1).encode_to_vec();
        buses.accept(Ok(message)).expect("accepted");
        assert_eq!(
            buses.board("B", SIX + 410, 3600).expect("a board").source,
            super::super::arrivals::Source::Live { age_secs: 10 }
        );
        assert!(buses.accept(Err("connection refused".into())).is_err());
        assert!(buses.accept(Ok(vec![0xff, 0xff, 0xff])).is_err());
        // The company stays silent: two minutes on, the board is the timetable's, saying how old.
        assert_eq!(
            buses.board("B", SIX + 520, 3600).expect("a board").source,
            super::super::arrivals::Source::Stale { age_secs: 120 }
        );
    }
}
