//! The arrivals board: the timetable indexed in memory (calls per stop, frequencies, service
//! days) and the latest real-time message, so showing a stop reads no feed and no database.
//! Real time is used while it is fresh (90 s); older or missing, the board falls back to the
//! timetable and says how old the feed is.

use super::gtfs::Feed;
use super::realtime::{Realtime, RunKey};
use std::collections::HashMap;
use time::Date;

/// Real-time data older than this is not shown as real time.
pub const STALE_AFTER_SECS: i64 = 90;

/// The bus company keeps Beijing time (UTC+8, no daylight saving).
const BEIJING_SECONDS: i64 = 8 * 3600;

#[derive(Clone, Debug)]
struct Call {
    stop_id: String,
    sequence: u32,
    /// Seconds after the run's first departure.
    offset: u32,
}

#[derive(Clone, Debug)]
struct TripInfo {
    route_id: String,
    service_id: String,
    direction: Option<i64>,
    headsign: String,
    /// The timetabled first departure (ignored when the trip runs by headway).
    first: u32,
    calls: Vec<Call>,
}

#[derive(Clone, Debug)]
struct Service {
    days: [bool; 7],
    start: String,
    end: String,
    added: Vec<String>,
    removed: Vec<String>,
}

/// Where a board's times come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Real time, `age_secs` old.
    Live { age_secs: i64 },
    /// The timetable, because the feed is this old.
    Stale { age_secs: i64 },
    /// The timetable, because there is no real-time feed.
    Down,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arrival {
    pub route_id: String,
    pub route_name: String,
    pub direction: Option<i64>,
    pub headsign: String,
    pub trip_id: String,
    pub run_start: u32,
    pub scheduled_at: i64,
    /// Real-time estimate when a vehicle or prediction covers this run.
    pub estimated_at: Option<i64>,
    /// Stops between the vehicle and this stop (0: at the stop).
    pub stops_away: Option<u32>,
}

impl Arrival {
    pub fn is_live(&self) -> bool {
        self.estimated_at.is_some()
    }

    pub fn at(&self) -> i64 {
        self.estimated_at.unwrap_or(self.scheduled_at)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    pub source: Source,
    pub arrivals: Vec<Arrival>,
}

pub struct Timetable {
    trips: HashMap<String, TripInfo>,
    frequencies: HashMap<String, Vec<(u32, u32, u32)>>,
    by_stop: HashMap<String, Vec<(String, usize)>>,
    services: HashMap<String, Service>,
    route_names: HashMap<String, String>,
    positions: HashMap<String, (f64, f64)>,
    stops: Vec<(String, String)>,
    /// (id, short name, long name) in the feed's order.
    routes: Vec<(String, String, String)>,
}

/// A stop as a search or nearby list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StopSummary {
    pub id: String,
    pub name: String,
    /// Route names of the lines calling here, in order.
    pub lines: Vec<String>,
    /// From the place asked about, when there was one.
    pub metres: Option<u32>,
}

/// The Beijing service date of Unix time `at`, and seconds since its midnight.
pub fn beijing(at: i64) -> (Date, u32) {
    let local = at + BEIJING_SECONDS;
    let day = Date::from_julian_day((local.div_euclid(86_400) + 2_440_588) as i32).unwrap_or(Date::MIN);
    (day, local.rem_euclid(86_400) as u32)
}

/// Unix time of `seconds` into service date `day` (Beijing noon minus 12 h: no DST in China).
pub fn unix_at(day: Date, seconds: u32) -> i64 {
    (i64::from(day.to_julian_day()) - 2_440_588) * 86_400 - BEIJING_SECONDS + i64::from(seconds)
}

fn gtfs_date(day: Date) -> String {
    format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day())
}

impl Timetable {
    pub fn new(feed: &Feed) -> Timetable {
        let mut trips: HashMap<String, TripInfo> = feed
            .trips
            .iter()
            .map(|t| {
                let info = TripInfo {
                    route_id: t.route_id.clone(),
                    service_id: t.service_id.clone(),
                    direction: t.direction_id,
                    headsign: t.headsign.clone(),
                    first: 0,
                    calls: Vec::new(),
                };
                (t.id.clone(), info)
            })
            .collect();
        let mut times: HashMap<&str, Vec<&super::gtfs::StopTime>> = HashMap::new();
        for st in &feed.stop_times {
            times.entry(st.trip_id.as_str()).or_default().push(st);
        }
        for (trip_id, mut calls) in times {
            calls.sort_by_key(|s| s.sequence);
            let Some(info) = trips.get_mut(trip_id) else { continue };
            let first = calls.first().and_then(|s| s.departure).unwrap_or_default();
            // Stops without a time are placed by the stops around them that have one.
            let mut last_known = (0usize, first);
            let known: Vec<Option<u32>> = calls.iter().map(|s| s.arrival).collect();
            for (i, st) in calls.iter().enumerate() {
                let at = match known[i] {
                    Some(t) => {
                        last_known = (i, t);
                        t
                    }
                    None => {
                        let next = (i..calls.len()).find_map(|j| known[j].map(|t| (j, t)));
                        match next {
                            Some((j, t)) => {
                                let (k, from) = last_known;
                                from + (t.saturating_sub(from)) * (i - k) as u32 / (j - k).max(1) as u32
                            }
                            None => last_known.1,
                        }
                    }
                };
                info.calls.push(Call {
                    stop_id: st.stop_id.clone(),
                    sequence: st.sequence,
                    offset: at.saturating_sub(first),
                });
            }
            info.first = first;
        }
        let mut frequencies: HashMap<String, Vec<(u32, u32, u32)>> = HashMap::new();
        for f in &feed.frequencies {
            frequencies.entry(f.trip_id.clone()).or_default().push((f.start, f.end, f.headway_secs.max(1)));
        }
        let mut by_stop: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for (trip_id, info) in &trips {
            for (i, call) in info.calls.iter().enumerate() {
                by_stop.entry(call.stop_id.clone()).or_default().push((trip_id.clone(), i));
            }
        }
        let mut services: HashMap<String, Service> = HashMap::new();
        for c in &feed.calendars {
            services.insert(
                c.service_id.clone(),
                Service {
                    days: c.days,
                    start: c.start_date.clone(),
                    end: c.end_date.clone(),
                    added: vec![],
                    removed: vec![],
                },
            );
        }
        for d in &feed.calendar_dates {
            let s = services.entry(d.service_id.clone()).or_insert_with(|| Service {
                days: [false; 7],
                start: String::new(),
                end: String::new(),
                added: vec![],
                removed: vec![],
            });
            if d.exception_type == 1 {
                s.added.push(d.date.clone())
            } else {
                s.removed.push(d.date.clone())
            }
        }
        let route_names = feed
            .routes
            .iter()
            .map(|r| (r.id.clone(), if r.short_name.is_empty() { r.long_name.clone() } else { r.short_name.clone() }))
            .collect();
        let positions = feed.stops.iter().filter_map(|s| Some((s.id.clone(), (s.lat?, s.lon?)))).collect();
        let stops =
            feed.stops.iter().filter(|s| s.location_type == 0).map(|s| (s.id.clone(), s.name.clone())).collect();
        let routes = feed.routes.iter().map(|r| (r.id.clone(), r.short_name.clone(), r.long_name.clone())).collect();
        Timetable { trips, frequencies, by_stop, services, route_names, positions, stops, routes }
    }

    /// Whether `service_id` runs on `day` (calendar, then calendar_dates' exceptions).
    pub fn runs_on(&self, service_id: &str, day: Date) -> bool {
        let Some(s) = self.services.get(service_id) else { return false };
        let date = gtfs_date(day);
        if s.removed.contains(&date) {
            return false;
        }
        if s.added.contains(&date) {
            return true;
        }
        let weekday = day.weekday().number_days_from_monday() as usize;
        s.days[weekday] && s.start <= date && date <= s.end
    }

    /// Timetabled arrivals at `stop_id` from `now` to `now + horizon`, soonest first; trips
    /// after midnight belong to the previous service date.
    pub fn scheduled(&self, stop_id: &str, now: i64, horizon: i64) -> Vec<Arrival> {
        let Some(calls) = self.by_stop.get(stop_id) else { return Vec::new() };
        let (today, _) = beijing(now);
        let mut out = Vec::new();
        for day in [today.previous_day(), Some(today)].into_iter().flatten() {
            for (trip_id, index) in calls {
                let trip = &self.trips[trip_id];
                if !self.runs_on(&trip.service_id, day) {
                    continue;
                }
                let offset = trip.calls[*index].offset;
                let starts: Vec<u32> = match self.frequencies.get(trip_id) {
                    Some(windows) => windows
                        .iter()
                        .flat_map(|&(start, end, headway)| (start..end).step_by(headway as usize))
                        .collect(),
                    None => vec![trip.first],
                };
                for start in starts {
                    let at = unix_at(day, start + offset);
                    if at >= now && at <= now + horizon {
                        out.push(Arrival {
                            route_id: trip.route_id.clone(),
                            route_name: self.route_names.get(&trip.route_id).cloned().unwrap_or_default(),
                            direction: trip.direction,
                            headsign: trip.headsign.clone(),
                            trip_id: trip_id.clone(),
                            run_start: start,
                            scheduled_at: at,
                            estimated_at: None,
                            stops_away: None,
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| a.scheduled_at.cmp(&b.scheduled_at).then(a.route_name.cmp(&b.route_name)));
        out
    }

    /// The board of `stop_id`: the timetable, with real time where `realtime` is fresh.
    pub fn board(&self, stop_id: &str, now: i64, horizon: i64, realtime: Option<&Realtime>) -> Board {
        // Runs that started before now may still be on their way: look back an hour.
        let mut arrivals = self.scheduled(stop_id, now - 3600, horizon + 3600);
        let source = match realtime {
            None => Source::Down,
            Some(rt) if now - rt.timestamp > STALE_AFTER_SECS => Source::Stale { age_secs: now - rt.timestamp },
            Some(rt) => {
                arrivals.retain_mut(|a| self.apply(stop_id, a, rt));
                Source::Live { age_secs: (now - rt.timestamp).max(0) }
            }
        };
        arrivals.retain(|a| a.at() >= now && a.at() <= now + horizon);
        arrivals.sort_by(|a, b| a.at().cmp(&b.at()).then(a.route_name.cmp(&b.route_name)));
        Board { source, arrivals }
    }

    /// Puts real time on one arrival; `false` when its vehicle has passed the stop.
    fn apply(&self, stop_id: &str, arrival: &mut Arrival, rt: &Realtime) -> bool {
        let Some(trip) = self.trips.get(&arrival.trip_id) else { return true };
        let Some(target) = trip.calls.iter().find(|c| c.stop_id == stop_id) else { return true };
        let frequency_based = self.frequencies.contains_key(&arrival.trip_id);
        let matches = |run: &RunKey| {
            run.trip_id == arrival.trip_id && (!frequency_based || run.start.is_none_or(|s| s == arrival.run_start))
        };
        let update = rt.updates.iter().find(|(run, _)| matches(run)).map(|(_, u)| u);
        if let Some(update) = update {
            let here = update.stops.iter().find(|p| {
                p.stop_sequence == Some(target.sequence) || (p.stop_sequence.is_none() && p.stop_id == stop_id)
            });
            if here.is_some_and(|p| p.skipped) {
                return false;
            }
            // The latest prediction at or before this stop carries its delay on.
            let before = update
                .stops
                .iter()
                .filter(|p| p.stop_sequence.is_some_and(|s| s <= target.sequence))
                .max_by_key(|p| p.stop_sequence);
            arrival.estimated_at =
                match (here.and_then(|p| p.time), here.or(before).and_then(|p| p.delay), update.delay) {
                    (Some(time), _, _) => Some(time),
                    (None, Some(delay), _) | (None, None, Some(delay)) => Some(arrival.scheduled_at + i64::from(delay)),
                    _ => None,
                };
        }
        let vehicle = rt.vehicles.iter().find(|v| matches(&v.run));
        if let Some(v) = vehicle {
            if let Some(current) = v.current_stop_sequence {
                let position = |seq: u32| trip.calls.iter().position(|c| c.sequence == seq);
                let (Some(at), Some(here)) = (position(current), position(target.sequence)) else { return true };
                if at > here {
                    return false;
                }
                let away = (here - at) as u32;
                arrival.stops_away = Some(away);
                if arrival.estimated_at.is_none() {
                    // No prediction: the vehicle's lateness at its current stop, carried on.
                    let due_there = arrival.scheduled_at - i64::from(target.offset) + i64::from(trip.calls[at].offset);
                    let late = v.timestamp.map(|t| (t - due_there).max(0)).unwrap_or(0);
                    arrival.estimated_at = Some(arrival.scheduled_at + late);
                }
            }
        }
        true
    }
}

impl Timetable {
    fn summary(&self, id: &str, name: &str, metres: Option<u32>) -> StopSummary {
        let mut lines: Vec<String> = self
            .by_stop
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|(trip, _)| self.route_names.get(&self.trips.get(trip)?.route_id).cloned())
            .collect();
        lines.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
        lines.dedup();
        StopSummary { id: id.to_owned(), name: name.to_owned(), lines, metres }
    }

    /// Stops whose name contains `query`, or served by the line named `query` (at most `limit`).
    pub fn search(&self, query: &str, limit: usize) -> Vec<StopSummary> {
        let query = query.trim().trim_end_matches('路');
        if query.is_empty() {
            return Vec::new();
        }
        let by_line = |id: &str| {
            self.by_stop.get(id).into_iter().flatten().any(|(trip, _)| {
                self.trips.get(trip).and_then(|t| self.route_names.get(&t.route_id)).is_some_and(|n| n == query)
            })
        };
        self.stops
            .iter()
            .filter(|(id, name)| name.contains(query) || by_line(id))
            .take(limit)
            .map(|(id, name)| self.summary(id, name, None))
            .collect()
    }

    /// The `limit` stops nearest a point, with their distance.
    pub fn nearby(&self, lat: f64, lon: f64, limit: usize) -> Vec<StopSummary> {
        let mut near: Vec<(f64, &(String, String))> = self
            .stops
            .iter()
            .filter_map(|s| {
                let (slat, slon) = self.positions.get(&s.0)?;
                Some((super::demo::metres(lat, lon, *slat, *slon), s))
            })
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        near.into_iter().take(limit).map(|(m, (id, name))| self.summary(id, name, Some(m.round() as u32))).collect()
    }
}

/// A line as the list of lines shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSummary {
    pub id: String,
    pub name: String,
    pub long_name: String,
}

/// One stop of a line's strip, with the vehicles there or on their way to it.
#[derive(Clone, Debug, PartialEq)]
pub struct StripStop {
    pub id: String,
    pub name: String,
    pub vehicles_at: u32,
    pub vehicles_approaching: u32,
}

/// One direction of a line: its stops in order, first and last departures and headways
/// (seconds) on the service date asked about.
#[derive(Clone, Debug, PartialEq)]
pub struct LineDirection {
    pub direction: Option<i64>,
    pub headsign: String,
    pub stops: Vec<StripStop>,
    pub first: Option<u32>,
    pub last: Option<u32>,
    pub headway: Option<(u32, u32)>,
}

impl Timetable {
    /// Every line, by number.
    pub fn lines(&self) -> Vec<LineSummary> {
        let mut lines: Vec<LineSummary> = self
            .routes
            .iter()
            .map(|(id, short, long)| LineSummary {
                id: id.clone(),
                name: if short.is_empty() { long.clone() } else { short.clone() },
                long_name: long.clone(),
            })
            .collect();
        lines.sort_by(|a, b| (a.name.len(), &a.name).cmp(&(b.name.len(), &b.name)));
        lines
    }

    /// A stop's name and lines; `None` for a stop the timetable does not have.
    pub fn stop(&self, id: &str) -> Option<StopSummary> {
        let (_, name) = self.stops.iter().find(|(s, _)| s == id)?;
        Some(self.summary(id, name, None))
    }

    /// A line's directions at `now`; vehicles come from `realtime` only while it is fresh.
    pub fn line(
        &self,
        route_id: &str,
        now: i64,
        realtime: Option<&Realtime>,
    ) -> Option<(LineSummary, Vec<LineDirection>)> {
        let summary = self.lines().into_iter().find(|l| l.id == route_id)?;
        let (today, _) = beijing(now);
        let fresh = realtime.filter(|rt| now - rt.timestamp <= STALE_AFTER_SECS);
        let mut directions = Vec::new();
        let mut keys: Vec<Option<i64>> =
            self.trips.values().filter(|t| t.route_id == route_id).map(|t| t.direction).collect();
        keys.sort();
        keys.dedup();
        for direction in keys {
            let mut trips: Vec<(&String, &TripInfo)> =
                self.trips.iter().filter(|(_, t)| t.route_id == route_id && t.direction == direction).collect();
            trips.sort_by(|a, b| a.0.cmp(b.0));
            // The trip with the most calls draws the strip.
            let Some((_, longest)) = trips.iter().max_by_key(|(_, t)| t.calls.len()) else { continue };
            let mut stops: Vec<StripStop> = longest
                .calls
                .iter()
                .map(|c| StripStop {
                    id: c.stop_id.clone(),
                    name: self
                        .stops
                        .iter()
                        .find(|(id, _)| *id == c.stop_id)
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default(),
                    vehicles_at: 0,
                    vehicles_approaching: 0,
                })
                .collect();
            let today_trips: Vec<&(&String, &TripInfo)> =
                trips.iter().filter(|(_, t)| self.runs_on(&t.service_id, today)).collect();
            let (mut first, mut last, mut headway): (Option<u32>, Option<u32>, Option<(u32, u32)>) = (None, None, None);
            for (id, trip) in &today_trips {
                let windows: Vec<(u32, u32, u32)> = match self.frequencies.get(*id) {
                    Some(w) => w.clone(),
                    None => vec![(trip.first, trip.first + 1, 0)],
                };
                for (start, end, every) in windows {
                    let final_start = start + (end - 1 - start).checked_div(every).map_or(0, |runs| runs * every);
                    first = Some(first.map_or(start, |f| f.min(start)));
                    last = Some(last.map_or(final_start, |l| l.max(final_start)));
                    if every > 0 {
                        headway = Some(headway.map_or((every, every), |(lo, hi)| (lo.min(every), hi.max(every))));
                    }
                }
            }
            if let Some(rt) = fresh {
                for v in &rt.vehicles {
                    let Some(trip) = self.trips.get(&v.run.trip_id) else { continue };
                    if trip.route_id != route_id || trip.direction != direction {
                        continue;
                    }
                    let Some(seq) = v.current_stop_sequence else { continue };
                    let Some(call) = trip.calls.iter().find(|c| c.sequence == seq) else { continue };
                    if let Some(stop) = stops.iter_mut().find(|s| s.id == call.stop_id) {
                        if v.stopped_at {
                            stop.vehicles_at += 1;
                        } else {
                            stop.vehicles_approaching += 1;
                        }
                    }
                }
            }
            directions.push(LineDirection {
                direction,
                headsign: longest.headsign.clone(),
                stops: std::mem::take(&mut stops),
                first,
                last,
                headway,
            });
        }
        Some((summary, directions))
    }
}

/// How late the demo company's run is: up to five minutes, the same for the same run.
fn demo_delay(seed: u64, trip_id: &str, day: Date, start: u32) -> i64 {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(seed.to_le_bytes());
    hash.update(trip_id.as_bytes());
    hash.update(day.to_julian_day().to_le_bytes());
    hash.update(start.to_le_bytes());
    let digest = hash.finalize();
    i64::from(u16::from_le_bytes([digest[0], digest[1]]) % 301)
}

impl Timetable {
    /// The demo company's dispatch system at `now`: every run under way, at the place its
    /// (deterministically) delayed timetable puts it, as the GTFS Realtime message it publishes
    /// (a TripUpdate and a VehiclePosition per run).
    pub fn simulate(&self, now: i64, seed: u64) -> super::realtime::proto::FeedMessage {
        use super::realtime::proto::{self, vehicle_position::VehicleStopStatus};
        let (today, _) = beijing(now);
        let mut entities = Vec::new();
        let mut trip_ids: Vec<&String> = self.trips.keys().collect();
        trip_ids.sort();
        for day in [today.previous_day(), Some(today)].into_iter().flatten() {
            for trip_id in &trip_ids {
                let trip = &self.trips[*trip_id];
                let Some(last) = trip.calls.last() else { continue };
                if !self.runs_on(&trip.service_id, day) {
                    continue;
                }
                let starts: Vec<u32> = match self.frequencies.get(*trip_id) {
                    Some(windows) => windows
                        .iter()
                        .flat_map(|&(start, end, headway)| (start..end).step_by(headway as usize))
                        .collect(),
                    None => vec![trip.first],
                };
                for start in starts {
                    let delay = demo_delay(seed, trip_id, day, start);
                    let elapsed = now - unix_at(day, start) - delay;
                    if elapsed < 0 || elapsed > i64::from(last.offset) {
                        continue;
                    }
                    // The last stop reached, and whether the bus still stands there (30 s).
                    let at = trip.calls.iter().rposition(|c| i64::from(c.offset) <= elapsed).unwrap_or(0);
                    let standing = elapsed - i64::from(trip.calls[at].offset) < 30 || at + 1 == trip.calls.len();
                    let (current, status) = if standing {
                        (at, VehicleStopStatus::StoppedAt)
                    } else {
                        (at + 1, VehicleStopStatus::InTransitTo)
                    };
                    let here = self.positions.get(&trip.calls[at].stop_id).copied();
                    let next = self.positions.get(&trip.calls[current].stop_id).copied();
                    let position = match (here, next) {
                        (Some((lat1, lon1)), Some((lat2, lon2))) => {
                            let span =
                                f64::from(trip.calls[current].offset.saturating_sub(trip.calls[at].offset)).max(1.0);
                            let part = if standing {
                                0.0
                            } else {
                                ((elapsed - i64::from(trip.calls[at].offset)) as f64 / span).min(1.0)
                            };
                            Some(proto::Position {
                                latitude: (lat1 + (lat2 - lat1) * part) as f32,
                                longitude: (lon1 + (lon2 - lon1) * part) as f32,
                                ..proto::Position::default()
                            })
                        }
                        _ => None,
                    };
                    let descriptor = proto::TripDescriptor {
                        trip_id: Some((*trip_id).clone()),
                        route_id: Some(trip.route_id.clone()),
                        direction_id: trip.direction.map(|d| d as u32),
                        start_time: Some(super::gtfs::time_text(start)),
                        start_date: Some(gtfs_date(day)),
                        ..proto::TripDescriptor::default()
                    };
                    let id = format!("{trip_id}@{}@{}", gtfs_date(day), start);
                    let vehicle = proto::VehicleDescriptor {
                        id: Some(format!("V-{id}")),
                        label: Some(self.route_names.get(&trip.route_id).cloned().unwrap_or_default()),
                        ..proto::VehicleDescriptor::default()
                    };
                    entities.push(proto::FeedEntity {
                        id: format!("vehicle-{id}"),
                        vehicle: Some(proto::VehiclePosition {
                            trip: Some(descriptor.clone()),
                            vehicle: Some(vehicle.clone()),
                            position,
                            current_stop_sequence: Some(trip.calls[current].sequence),
                            stop_id: Some(trip.calls[current].stop_id.clone()),
                            current_status: Some(status as i32),
                            timestamp: Some(now as u64),
                            ..proto::VehiclePosition::default()
                        }),
                        ..proto::FeedEntity::default()
                    });
                    entities.push(proto::FeedEntity {
                        id: format!("trip-{id}"),
                        trip_update: Some(proto::TripUpdate {
                            trip: descriptor,
                            vehicle: Some(vehicle),
                            stop_time_update: vec![proto::trip_update::StopTimeUpdate {
                                stop_sequence: Some(trip.calls[current].sequence),
                                stop_id: Some(trip.calls[current].stop_id.clone()),
                                arrival: Some(proto::trip_update::StopTimeEvent {
                                    delay: Some(delay as i32),
                                    ..proto::trip_update::StopTimeEvent::default()
                                }),
                                ..proto::trip_update::StopTimeUpdate::default()
                            }],
                            timestamp: Some(now as u64),
                            delay: Some(delay as i32),
                            ..proto::TripUpdate::default()
                        }),
                        ..proto::FeedEntity::default()
                    });
                }
            }
        }
        proto::FeedMessage {
            header: proto::FeedHeader {
                gtfs_realtime_version: "2.0".into(),
                incrementality: Some(proto::feed_header::Incrementality::FullDataset as i32),
                timestamp: Some(now as u64),
                ..proto::FeedHeader::default()
            },
            entity: entities,
        }
    }
}

#[cfg(test)]
mod tests;
