//! The demo bus company's timetable, generated from the city profile and written as GTFS, so
//! the same importer checks it as any published feed. Stops are the gazetteer's streets and
//! communities and the profile's named places, placed around their district's centre; lines
//! run straight across a district in both directions, by headway (frequencies.txt) between the
//! first and last bus, with weekday and weekend services moved by the working-day calendar
//! (holidays run the weekend service, 调休 Saturdays the weekday one). Nothing names a city.

use super::gtfs::Files;
use crate::catalogue::calendar::{DayKind, WorkCalendar};
use crate::registers::demo::rng::Rng;
use crate::registers::demo::{csv_rows, Gazetteer, RegistersProfile};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::{Date, Duration};

/// Bumped whenever the generator's output changes, so an installed feed is rebuilt.
const GENERATOR_VERSION: u32 = 1;

/// The `[bus]` section of a city profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusProfile {
    pub seed: u64,
    pub agency_name: String,
    pub agency_url: String,
    pub agency_phone: String,
    pub routes: usize,
    pub stops_per_route: usize,
    /// `HH:MM` of the first departure from either terminus.
    pub first_bus: String,
    /// `HH:MM` of the last departure; night lines' may pass 24:00 (`24:30`).
    pub last_bus: String,
    pub night_routes: usize,
    pub night_last_bus: String,
    pub headway_minutes: u32,
    pub peak_headway_minutes: u32,
    pub weekend_headway_minutes: u32,
    /// The feed's validity, `YYYY-MM-DD`.
    pub start_date: String,
    pub end_date: String,
    /// Public holidays and 调休 workdays, `YYYY-MM-DD` (the State Council's notice).
    #[serde(default)]
    pub holidays: Vec<String>,
    #[serde(default)]
    pub workdays: Vec<String>,
}

pub struct DemoFeed {
    pub fingerprint: String,
    pub files: Files,
    pub routes: usize,
    pub stops: usize,
}

pub fn fingerprint(profile_text: &str, gazetteer: &Gazetteer) -> String {
    let mut hash = Sha256::new();
    hash.update(GENERATOR_VERSION.to_le_bytes());
    for part in [profile_text, gazetteer.streets_csv, gazetteer.communities_csv] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hex::encode(hash.finalize())
}

fn day(text: &str) -> Result<Date, String> {
    let bad = || format!("bus: \"{text}\" is not a date YYYY-MM-DD");
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    let (Some(y), Some(m), Some(d)) = (y, m, d) else { return Err(bad()) };
    let month = time::Month::try_from(m.parse::<u8>().map_err(|_| bad())?).map_err(|_| bad())?;
    Date::from_calendar_date(y.parse().map_err(|_| bad())?, month, d.parse().map_err(|_| bad())?).map_err(|_| bad())
}

fn gtfs_date(day: Date) -> String {
    format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day())
}

fn minutes(text: &str) -> Result<u32, String> {
    let bad = || format!("bus: \"{text}\" is not a time HH:MM");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h >= 30 || m >= 60 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

fn hms(seconds: u32) -> String {
    super::gtfs::time_text(seconds)
}

/// Metres between two WGS-84 points (equirectangular: exact enough within a city).
pub fn metres(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let x = (lon2 - lon1).to_radians() * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = (lat2 - lat1).to_radians();
    (x * x + y * y).sqrt() * 6_371_000.0
}

struct DemoStop {
    id: String,
    name: String,
    district: String,
    lat: f64,
    lon: f64,
}

/// A street or community's name as a stop: without 街道 / 社区居委会 and the like.
fn stop_name(raw: &str) -> String {
    let mut name = raw.to_owned();
    for suffix in
        ["社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "居委会", "村委会", "街道办事处", "街道", "社区"]
    {
        if let Some(stem) = name.strip_suffix(suffix) {
            name = stem.to_owned();
            break;
        }
    }
    name
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        writer.write_record(&row).map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

pub fn generate(
    profile: &BusProfile,
    registers: &RegistersProfile,
    profile_text: &str,
    gazetteer: &Gazetteer,
) -> Result<DemoFeed, String> {
    let (first_bus, last_bus, night_last) =
        (minutes(&profile.first_bus)?, minutes(&profile.last_bus)?, minutes(&profile.night_last_bus)?);
    if first_bus >= last_bus || last_bus > night_last {
        return Err("bus: first_bus < last_bus <= night_last_bus".into());
    }
    if profile.stops_per_route < 2 || profile.routes == 0 || profile.night_routes > profile.routes {
        return Err("bus: a line needs two stops, and night lines are some of the lines".into());
    }
    if [profile.headway_minutes, profile.peak_headway_minutes, profile.weekend_headway_minutes].contains(&0) {
        return Err("bus: headways are at least a minute".into());
    }
    let (start, end) = (day(&profile.start_date)?, day(&profile.end_date)?);
    if end < start {
        return Err("bus: end_date is before start_date".into());
    }
    let mut moved = Vec::new();
    for (days, kind) in [(&profile.holidays, DayKind::Holiday), (&profile.workdays, DayKind::Workday)] {
        for d in days {
            moved.push((day(d)?, kind));
        }
    }
    let calendar = WorkCalendar::new(moved);
    let mut rng = Rng::new(profile.seed);

    // Stops: the urban districts' streets and communities, and the named places where they are.
    let urban: Vec<_> = registers.districts.iter().filter(|d| !d.rural).collect();
    let mut stops: Vec<DemoStop> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in &registers.named_places {
        if urban.iter().any(|d| d.code == p.district) && seen.insert(p.name.clone()) {
            let id = format!("S{:04}", stops.len() + 1);
            stops.push(DemoStop {
                id,
                name: p.name.clone(),
                district: p.district.clone(),
                lat: p.latitude,
                lon: p.longitude,
            });
        }
    }
    let rows = csv_rows(gazetteer.streets_csv)
        .filter_map(|(_, f)| match f.as_slice() {
            [_, name, area, ..] => Some((name.clone(), area.clone())),
            _ => None,
        })
        .chain(csv_rows(gazetteer.communities_csv).filter_map(|(_, f)| match f.as_slice() {
            [_, name, _, _, _, area, ..] => Some((name.clone(), area.clone())),
            _ => None,
        }));
    for (raw, area) in rows {
        let Some(d) = urban.iter().find(|d| d.code == area) else { continue };
        let name = stop_name(&raw);
        if name.chars().count() < 2 || !seen.insert(name.clone()) {
            continue;
        }
        let id = format!("S{:04}", stops.len() + 1);
        let lat = d.latitude + (rng.unit() - 0.5) * 0.05;
        let lon = d.longitude + (rng.unit() - 0.5) * 0.07;
        stops.push(DemoStop { id, name, district: area, lat, lon });
    }

    let mut route_rows = Vec::new();
    let mut trip_rows = Vec::new();
    let mut stop_time_rows = Vec::new();
    let mut frequency_rows = Vec::new();
    let mut used = vec![false; stops.len()];
    let weights: Vec<f64> = urban.iter().map(|d| d.weight).collect();
    for r in 0..profile.routes {
        let district = urban[rng.weighted(&weights)];
        let here: Vec<usize> = (0..stops.len()).filter(|&i| stops[i].district == district.code).collect();
        if here.len() < profile.stops_per_route {
            return Err(format!("bus: {} has fewer stops than a line needs", district.name));
        }
        // A line runs across the district: stops nearest a random straight course, in order along it.
        let bearing = rng.unit() * std::f64::consts::PI;
        let (dx, dy) = (bearing.cos(), bearing.sin());
        let offset = |i: usize| {
            let s = &stops[i];
            let (x, y) = ((s.lon - district.longitude) * 0.8, s.lat - district.latitude);
            (x * dx + y * dy, (x * -dy + y * dx).abs())
        };
        let mut candidates = here.clone();
        candidates.sort_by(|&a, &b| offset(a).1.total_cmp(&offset(b).1).then(a.cmp(&b)));
        let mut line: Vec<usize> = candidates.into_iter().take(profile.stops_per_route).collect();
        line.sort_by(|&a, &b| offset(a).0.total_cmp(&offset(b).0));
        for &i in &line {
            used[i] = true;
        }
        let route_id = format!("R{:02}", r + 1);
        let number = (r + 1).to_string();
        let night = r >= profile.routes - profile.night_routes;
        let last = if night { night_last } else { last_bus };
        let (from, to) = (&stops[line[0]].name, &stops[line[line.len() - 1]].name);
        route_rows.push(vec![
            route_id.clone(),
            "BUS".into(),
            number.clone(),
            format!("{from}—{to}"),
            "3".into(),
            format!("{:06X}", 0x1F5FA0 + (r as u32 * 0x0A0B07) % 0x606060),
            "FFFFFF".into(),
            (r + 1).to_string(),
        ]);
        for direction in 0..2 {
            let stops_in_order: Vec<usize> =
                if direction == 0 { line.clone() } else { line.iter().rev().copied().collect() };
            let headsign = stops[stops_in_order[stops_in_order.len() - 1]].name.clone();
            for (service, windows) in [
                (
                    "WD",
                    vec![
                        (first_bus, 7 * 60, profile.headway_minutes),
                        (7 * 60, 9 * 60, profile.peak_headway_minutes),
                        (9 * 60, 17 * 60, profile.headway_minutes),
                        (17 * 60, 19 * 60, profile.peak_headway_minutes),
                        (19 * 60, last + 1, profile.headway_minutes),
                    ],
                ),
                ("WE", vec![(first_bus, last + 1, profile.weekend_headway_minutes)]),
            ] {
                let trip_id = format!("{route_id}-{service}-{direction}");
                trip_rows.push(vec![
                    route_id.clone(),
                    service.into(),
                    trip_id.clone(),
                    headsign.clone(),
                    direction.to_string(),
                    "1".into(),
                ]);
                // Travel at 18 km/h between stops plus half a minute at each, to the minute.
                let mut at = first_bus * 60;
                for (seq, &i) in stops_in_order.iter().enumerate() {
                    if seq > 0 {
                        let p = &stops[stops_in_order[seq - 1]];
                        let metres = metres(p.lat, p.lon, stops[i].lat, stops[i].lon);
                        at += ((metres / 5.0 + 30.0) / 60.0).ceil().max(1.0) as u32 * 60;
                    }
                    stop_time_rows.push(vec![
                        trip_id.clone(),
                        hms(at),
                        hms(at),
                        stops[i].id.clone(),
                        (seq + 1).to_string(),
                    ]);
                }
                for (from, until, headway) in windows {
                    let from = from.max(first_bus);
                    let until = until.min(last + 1);
                    if from < until {
                        frequency_rows.push(vec![
                            trip_id.clone(),
                            hms(from * 60),
                            hms(until * 60),
                            (headway * 60).to_string(),
                            "0".into(),
                        ]);
                    }
                }
            }
        }
    }
    // Only stops some line calls at are published.
    let kept: Vec<&DemoStop> = stops.iter().zip(&used).filter(|(_, u)| **u).map(|(s, _)| s).collect();
    let stop_rows = kept
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.id.trim_start_matches('S').to_owned(),
                s.name.clone(),
                format!("{:.6}", s.lat),
                format!("{:.6}", s.lon),
                "1".into(),
            ]
        })
        .collect();
    let mut date_rows = Vec::new();
    let mut d = start;
    while d <= end {
        let weekend = d.weekday().number_from_monday() >= 6;
        let working = calendar.is_working_day(d);
        // A weekday holiday runs the weekend service; a 调休 weekend workday the weekday one.
        if working == weekend {
            let (off, on) = if working { ("WE", "WD") } else { ("WD", "WE") };
            date_rows.push(vec![off.into(), gtfs_date(d), "2".into()]);
            date_rows.push(vec![on.into(), gtfs_date(d), "1".into()]);
        }
        d += Duration::days(1);
    }
    let (s, e) = (gtfs_date(start), gtfs_date(end));
    let mut files = Files::new();
    files.insert(
        "agency.txt".into(),
        table(
            &["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone"],
            vec![vec![
                "BUS".into(),
                profile.agency_name.clone(),
                profile.agency_url.clone(),
                "Asia/Shanghai".into(),
                "zh".into(),
                profile.agency_phone.clone(),
            ]],
        )?,
    );
    files.insert(
        "routes.txt".into(),
        table(
            &[
                "route_id",
                "agency_id",
                "route_short_name",
                "route_long_name",
                "route_type",
                "route_color",
                "route_text_color",
                "route_sort_order",
            ],
            route_rows,
        )?,
    );
    files.insert(
        "stops.txt".into(),
        table(&["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "wheelchair_boarding"], stop_rows)?,
    );
    files.insert(
        "trips.txt".into(),
        table(
            &["route_id", "service_id", "trip_id", "trip_headsign", "direction_id", "wheelchair_accessible"],
            trip_rows,
        )?,
    );
    files.insert(
        "stop_times.txt".into(),
        table(&["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_time_rows)?,
    );
    files.insert(
        "frequencies.txt".into(),
        table(&["trip_id", "start_time", "end_time", "headway_secs", "exact_times"], frequency_rows)?,
    );
    files.insert(
        "calendar.txt".into(),
        table(
            &[
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            vec![
                ["WD", "1", "1", "1", "1", "1", "0", "0"]
                    .iter()
                    .map(|x| (*x).to_owned())
                    .chain([s.clone(), e.clone()])
                    .collect(),
                ["WE", "0", "0", "0", "0", "0", "1", "1"]
                    .iter()
                    .map(|x| (*x).to_owned())
                    .chain([s.clone(), e.clone()])
                    .collect(),
            ],
        )?,
    );
    files.insert("calendar_dates.txt".into(), table(&["service_id", "date", "exception_type"], date_rows)?);
    files.insert(
        "feed_info.txt".into(),
        table(
            &[
                "feed_publisher_name",
                "feed_publisher_url",
                "feed_lang",
                "feed_start_date",
                "feed_end_date",
                "feed_version",
            ],
            vec![vec![
                profile.agency_name.clone(),
                profile.agency_url.clone(),
                "zh".into(),
                s,
                e,
                format!("demo-{GENERATOR_VERSION}"),
            ]],
        )?,
    );
    Ok(DemoFeed { fingerprint: fingerprint(profile_text, gazetteer), files, routes: profile.routes, stops: kept.len() })
}
