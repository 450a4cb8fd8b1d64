//! A GTFS Schedule reader that tolerates what real feeds do (short rows, unknown columns, a
//! byte-order mark, CRLF) but validates what the timetable depends on, and reports every
//! problem with its file and line instead of stopping at the first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;

/// One finding about the feed; `line` 0 is about the whole file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// Errors refuse the feed; warnings are reported and the feed is still imported.
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agency {
    pub id: String,
    pub name: String,
    pub url: String,
    pub timezone: String,
    pub lang: String,
    pub phone: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    pub id: String,
    pub agency_id: String,
    pub short_name: String,
    pub long_name: String,
    pub route_type: i64,
    pub color: String,
    pub text_color: String,
    pub sort_order: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stop {
    pub id: String,
    pub code: String,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub location_type: i64,
    pub parent_station: String,
    pub wheelchair_boarding: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trip {
    pub id: String,
    pub route_id: String,
    pub service_id: String,
    pub headsign: String,
    pub direction_id: Option<i64>,
    pub block_id: String,
    pub shape_id: String,
    pub wheelchair_accessible: i64,
}

/// Times are seconds after the service day's noon-minus-12h; they may pass 24:00:00.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StopTime {
    pub trip_id: String,
    pub arrival: Option<u32>,
    pub departure: Option<u32>,
    pub stop_id: String,
    pub sequence: u32,
    pub headsign: String,
    pub pickup_type: i64,
    pub drop_off_type: i64,
    pub dist: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Calendar {
    pub service_id: String,
    /// Monday first.
    pub days: [bool; 7],
    pub start_date: String,
    pub end_date: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CalendarDate {
    pub service_id: String,
    pub date: String,
    /// 1 service added, 2 removed.
    pub exception_type: i64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frequency {
    pub trip_id: String,
    pub start: u32,
    pub end: u32,
    pub headway_secs: u32,
    pub exact_times: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShapePoint {
    pub shape_id: String,
    pub lat: f64,
    pub lon: f64,
    pub sequence: u32,
    pub dist: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Translation {
    pub table_name: String,
    pub field_name: String,
    pub language: String,
    pub translation: String,
    pub record_id: String,
    pub record_sub_id: String,
    pub field_value: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeedInfo {
    pub publisher_name: String,
    pub publisher_url: String,
    pub lang: String,
    pub start_date: String,
    pub end_date: String,
    pub version: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Feed {
    pub agencies: Vec<Agency>,
    pub routes: Vec<Route>,
    pub stops: Vec<Stop>,
    pub trips: Vec<Trip>,
    pub stop_times: Vec<StopTime>,
    pub calendars: Vec<Calendar>,
    pub calendar_dates: Vec<CalendarDate>,
    pub frequencies: Vec<Frequency>,
    pub shapes: Vec<ShapePoint>,
    pub translations: Vec<Translation>,
    pub feed_info: Option<FeedInfo>,
}

impl Feed {
    /// Rows the importer writes, for its progress bar.
    pub fn row_count(&self) -> u64 {
        (self.agencies.len()
            + self.routes.len()
            + self.stops.len()
            + self.trips.len()
            + self.stop_times.len()
            + self.calendars.len()
            + self.calendar_dates.len()
            + self.frequencies.len()
            + self.shapes.len()
            + self.translations.len()
            + usize::from(self.feed_info.is_some())) as u64
    }
}

/// The feed's files by name (`stops.txt` …).
pub type Files = BTreeMap<String, Vec<u8>>;

/// Reads the `.txt` files of a zip (also inside one folder of it, as some publishers pack them).
pub fn files_from_zip(bytes: &[u8]) -> Result<Files, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a zip file: {e}"))?;
    let mut files = Files::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| format!("unreadable zip entry: {e}"))?;
        if !entry.is_file() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| format!("unreadable zip entry name: {e}"))?
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        if !name.ends_with(".txt") || name.starts_with('.') {
            continue;
        }
        let mut content = Vec::new();
        entry.read_to_end(&mut content).map_err(|e| format!("{name}: cannot decompress: {e}"))?;
        files.insert(name, content);
    }
    Ok(files)
}

/// Reads a zip file or a directory of `.txt` files.
pub fn files_from_path(path: &Path) -> Result<Files, String> {
    if path.is_dir() {
        let mut files = Files::new();
        let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: {e}", path.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".txt") && entry.path().is_file() {
                let content = std::fs::read(entry.path()).map_err(|e| format!("{name}: {e}"))?;
                files.insert(name, content);
            }
        }
        Ok(files)
    } else {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        files_from_zip(&bytes)
    }
}

/// One CSV file: header positions and rows with their line numbers.
struct Table<'a> {
    file: &'static str,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
    report: &'a mut Report,
}

struct Row<'t, 'a> {
    table: &'t mut Table<'a>,
    line: u64,
    record: csv::StringRecord,
}

impl Row<'_, '_> {
    fn text(&self, column: &str) -> String {
        self.table.columns.get(column).and_then(|&i| self.record.get(i)).unwrap_or_default().trim().to_owned()
    }

    fn error(&mut self, message: String) {
        let problem = Problem { file: self.table.file.to_owned(), line: self.line, message };
        self.table.report.errors.push(problem);
    }

    fn required(&mut self, column: &str) -> String {
        let value = self.text(column);
        if value.is_empty() && self.table.columns.contains_key(column) {
            self.error(format!("{column} is empty"));
        }
        value
    }

    fn int(&mut self, column: &str, default: i64, allowed: std::ops::RangeInclusive<i64>) -> i64 {
        self.optional_int(column, allowed).unwrap_or(default)
    }

    fn optional_int(&mut self, column: &str, allowed: std::ops::RangeInclusive<i64>) -> Option<i64> {
        let value = self.text(column);
        if value.is_empty() {
            return None;
        }
        match value.parse::<i64>() {
            Ok(n) if allowed.contains(&n) => Some(n),
            _ => {
                self.error(format!(
                    "{column} \"{value}\" is not a whole number from {} to {}",
                    allowed.start(),
                    allowed.end()
                ));
                None
            }
        }
    }

    fn float(&mut self, column: &str, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
        let value = self.text(column);
        if value.is_empty() {
            return None;
        }
        match value.parse::<f64>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                self.error(format!("{column} \"{value}\" is not a number from {} to {}", range.start(), range.end()));
                None
            }
        }
    }

    fn time(&mut self, column: &str) -> Option<u32> {
        let value = self.text(column);
        if value.is_empty() {
            return None;
        }
        let parsed = parse_time(&value);
        if parsed.is_none() {
            self.error(format!("{column} \"{value}\" is not a time H:MM:SS (hours may pass 24)"));
        }
        parsed
    }

    fn date(&mut self, column: &str) -> String {
        let value = self.required(column);
        if !value.is_empty() && !is_date(&value) {
            self.error(format!("{column} \"{value}\" is not a date YYYYMMDD"));
        }
        value
    }
}

/// Seconds of `H:MM:SS` / `HH:MM:SS`; hours may pass 24 for trips after midnight.
pub fn parse_time(text: &str) -> Option<u32> {
    let mut parts = text.split(':');
    let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || h.is_empty() || h.len() > 3 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(h) && all_digits(m) && all_digits(s)) {
        return None;
    }
    let (h, m, s): (u32, u32, u32) = (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?);
    (m < 60 && s < 60 && h < 48).then_some(h * 3600 + m * 60 + s)
}

/// `HH:MM:SS` of seconds after the service day began (`25:10:00` after midnight).
pub fn time_text(seconds: u32) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

fn is_date(text: &str) -> bool {
    text.len() == 8
        && text.bytes().all(|b| b.is_ascii_digit())
        && time::Date::from_calendar_date(
            text[..4].parse().unwrap_or(0),
            time::Month::try_from(text[4..6].parse::<u8>().unwrap_or(0)).unwrap_or(time::Month::January),
            text[6..].parse().unwrap_or(0),
        )
        .is_ok()
        && (1..=12).contains(&text[4..6].parse::<u8>().unwrap_or(0))
}

/// The columns each file defines (the first `required` of them must be present).
struct Spec {
    file: &'static str,
    required: &'static [&'static str],
    optional: &'static [&'static str],
}

const AGENCY: Spec = Spec {
    file: "agency.txt",
    required: &["agency_name", "agency_url", "agency_timezone"],
    optional: &["agency_id", "agency_lang", "agency_phone", "agency_fare_url", "agency_email", "cemv_support"],
};
const ROUTES: Spec = Spec {
    file: "routes.txt",
    required: &["route_id", "route_type"],
    optional: &[
        "agency_id",
        "route_short_name",
        "route_long_name",
        "route_desc",
        "route_url",
        "route_color",
        "route_text_color",
        "route_sort_order",
        "continuous_pickup",
        "continuous_drop_off",
        "network_id",
        "cemv_support",
    ],
};
const STOPS: Spec = Spec {
    file: "stops.txt",
    required: &["stop_id"],
    optional: &[
        "stop_code",
        "stop_name",
        "tts_stop_name",
        "stop_desc",
        "stop_lat",
        "stop_lon",
        "zone_id",
        "stop_url",
        "location_type",
        "parent_station",
        "stop_timezone",
        "wheelchair_boarding",
        "level_id",
        "platform_code",
        "stop_access",
    ],
};
const TRIPS: Spec = Spec {
    file: "trips.txt",
    required: &["route_id", "service_id", "trip_id"],
    optional: &[
        "trip_headsign",
        "trip_short_name",
        "direction_id",
        "block_id",
        "shape_id",
        "wheelchair_accessible",
        "bikes_allowed",
        "cars_allowed",
    ],
};
const STOP_TIMES: Spec = Spec {
    file: "stop_times.txt",
    required: &["trip_id", "stop_id", "stop_sequence"],
    optional: &[
        "arrival_time",
        "departure_time",
        "location_group_id",
        "location_id",
        "stop_headsign",
        "start_pickup_drop_off_window",
        "end_pickup_drop_off_window",
        "pickup_type",
        "drop_off_type",
        "continuous_pickup",
        "continuous_drop_off",
        "shape_dist_traveled",
        "timepoint",
        "pickup_booking_rule_id",
        "drop_off_booking_rule_id",
    ],
};
const CALENDAR: Spec = Spec {
    file: "calendar.txt",
    required: &[
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
    optional: &[],
};
const CALENDAR_DATES: Spec =
    Spec { file: "calendar_dates.txt", required: &["service_id", "date", "exception_type"], optional: &[] };
const FREQUENCIES: Spec = Spec {
    file: "frequencies.txt",
    required: &["trip_id", "start_time", "end_time", "headway_secs"],
    optional: &["exact_times"],
};
const SHAPES: Spec = Spec {
    file: "shapes.txt",
    required: &["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"],
    optional: &["shape_dist_traveled"],
};
const TRANSLATIONS: Spec = Spec {
    file: "translations.txt",
    required: &["table_name", "field_name", "language", "translation"],
    optional: &["record_id", "record_sub_id", "field_value"],
};
const FEED_INFO: Spec = Spec {
    file: "feed_info.txt",
    required: &["feed_publisher_name", "feed_publisher_url", "feed_lang"],
    optional: &[
        "default_lang",
        "feed_start_date",
        "feed_end_date",
        "feed_version",
        "feed_contact_email",
        "feed_contact_url",
    ],
};

/// Levenshtein distance, for "did you mean" on misspelt column names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            current.push((previous[j] + usize::from(ca != *cb)).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Parses one file's header and rows; `None` when the file is absent or its header unusable.
fn table<'a>(files: &Files, spec: &Spec, report: &'a mut Report) -> Option<Table<'a>> {
    let bytes = files.get(spec.file)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(bytes);
    let mut records = reader.records();
    let problem = |line: u64, message: String| Problem { file: spec.file.to_owned(), line, message };
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            report.errors.push(problem(1, format!("unreadable header: {e}")));
            return None;
        }
        None => {
            report.errors.push(problem(0, "the file is empty (no header)".into()));
            return None;
        }
    };
    let mut columns = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_owned();
        if columns.contains_key(&name) {
            report.errors.push(problem(1, format!("column {name} appears twice")));
            continue;
        }
        if !spec.required.contains(&name.as_str()) && !spec.optional.contains(&name.as_str()) && !name.is_empty() {
            let near = spec.required.iter().chain(spec.optional).find(|known| distance(known, &name) <= 2);
            let hint = near.map(|k| format!(" (did you mean {k}?)")).unwrap_or_default();
            report.warnings.push(problem(1, format!("unknown column {name} is ignored{hint}")));
        }
        columns.insert(name, i);
    }
    let mut missing = false;
    for required in spec.required {
        if !columns.contains_key(*required) {
            report.errors.push(problem(1, format!("required column {required} is missing")));
            missing = true;
        }
    }
    if missing {
        return None;
    }
    let width = header.len();
    // The line a record starts on, from its byte offset (the reader's own line count is off by
    // one after CRLF line ends).
    let mut counted = (0usize, 1u64);
    let mut line_at = |position: Option<&csv::Position>| -> u64 {
        let Some(position) = position else { return 0 };
        let mut offset = (position.byte() as usize).min(bytes.len());
        while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        if offset >= counted.0 {
            counted.1 += bytes[counted.0..offset].iter().filter(|&&b| b == b'\n').count() as u64;
            counted.0 = offset;
        }
        counted.1
    };
    let mut rows = Vec::new();
    let mut short_lines = Vec::new();
    for record in records {
        match record {
            Ok(r) => {
                let line = line_at(r.position());
                if r.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                if r.len() > width {
                    report.errors.push(problem(line, format!("{} fields but the header has {width}", r.len())));
                    continue;
                }
                if r.len() < width {
                    short_lines.push(line);
                }
                rows.push((line, r));
            }
            Err(e) => {
                let line = line_at(e.position());
                report.errors.push(problem(line, format!("unreadable row: {e}")));
            }
        }
    }
    // Short rows are read with their missing trailing fields empty; one warning per run of lines.
    for (first, last) in runs(&short_lines) {
        let lines = if first == last { format!("{first}") } else { format!("{first}-{last}") };
        report.warnings.push(Problem {
            file: spec.file.to_owned(),
            line: first,
            message: format!("lines {lines} have fewer fields than the header; the missing ones are read as empty"),
        });
    }
    Some(Table { file: spec.file, columns, rows, report })
}

fn runs(lines: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &line in lines {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == line => *last = line,
            _ => out.push((line, line)),
        }
    }
    out
}

impl<'a> Table<'a> {
    fn each(mut self, mut f: impl FnMut(&mut Row<'_, 'a>)) {
        let rows = std::mem::take(&mut self.rows);
        for (line, record) in rows {
            let mut row = Row { table: &mut self, line, record };
            f(&mut row);
        }
    }
}

/// Parses and validates a feed: the feed when there were no errors, else every error.
pub fn read(files: &Files) -> Result<(Feed, Report), Report> {
    let mut report = Report::default();
    let mut feed = Feed::default();
    for required in ["agency.txt", "routes.txt", "trips.txt", "stop_times.txt", "stops.txt"] {
        if !files.contains_key(required) {
            report.errors.push(Problem { file: required.into(), line: 0, message: "required file is missing".into() });
        }
    }
    if !files.contains_key("calendar.txt") && !files.contains_key("calendar_dates.txt") {
        report.errors.push(Problem {
            file: "calendar.txt".into(),
            line: 0,
            message: "neither calendar.txt nor calendar_dates.txt is present: no service days".into(),
        });
    }

    let mut keys: HashMap<&'static str, HashSet<String>> = HashMap::new();
    let mut lines: Vec<(&'static str, u64)> = Vec::new();
    // Duplicate primary keys are errors: the references below would be ambiguous.
    let mut unique = |row: &mut Row<'_, '_>, kind: &'static str, key: String| {
        if !key.is_empty() && !keys.entry(kind).or_default().insert(key.clone()) {
            row.error(format!("{kind} {key} appears twice"));
        }
    };

    if let Some(t) = table(files, &AGENCY, &mut report) {
        t.each(|row| {
            let agency = Agency {
                id: row.text("agency_id"),
                name: row.required("agency_name"),
                url: row.required("agency_url"),
                timezone: row.required("agency_timezone"),
                lang: row.text("agency_lang"),
                phone: row.text("agency_phone"),
            };
            unique(row, "agency_id", agency.id.clone());
            feed.agencies.push(agency);
        });
    }
    if let Some(t) = table(files, &ROUTES, &mut report) {
        let several_agencies = feed.agencies.len() > 1;
        let agency_ids: HashSet<String> = feed.agencies.iter().map(|a| a.id.clone()).collect();
        t.each(|row| {
            let route = Route {
                id: row.required("route_id"),
                agency_id: row.text("agency_id"),
                short_name: row.text("route_short_name"),
                long_name: row.text("route_long_name"),
                route_type: row.int("route_type", 3, 0..=1702),
                color: row.text("route_color"),
                text_color: row.text("route_text_color"),
                sort_order: row.optional_int("route_sort_order", 0..=i64::from(u32::MAX)),
            };
            if row.text("route_type").is_empty() {
                row.error("route_type is empty".into());
            }
            if route.short_name.is_empty() && route.long_name.is_empty() {
                row.error("route_short_name and route_long_name are both empty".into());
            }
            if route.agency_id.is_empty() && several_agencies {
                row.error("agency_id is empty but the feed has several agencies".into());
            } else if !route.agency_id.is_empty() && !agency_ids.contains(&route.agency_id) {
                row.error(format!("agency_id {} is not in agency.txt", route.agency_id));
            }
            unique(row, "route_id", route.id.clone());
            feed.routes.push(route);
        });
    }
    if let Some(t) = table(files, &STOPS, &mut report) {
        t.each(|row| {
            let stop = Stop {
                id: row.required("stop_id"),
                code: row.text("stop_code"),
                name: row.text("stop_name"),
                lat: row.float("stop_lat", -90.0..=90.0),
                lon: row.float("stop_lon", -180.0..=180.0),
                location_type: row.int("location_type", 0, 0..=4),
                parent_station: row.text("parent_station"),
                wheelchair_boarding: row.int("wheelchair_boarding", 0, 0..=2),
            };
            // Stops, stations and entrances need a name and a position; nodes and boarding areas may not.
            if stop.location_type <= 2 {
                if stop.name.is_empty() {
                    row.error("stop_name is empty".into());
                }
                if stop.lat.is_none() && row.text("stop_lat").is_empty() {
                    row.error("stop_lat is empty".into());
                }
                if stop.lon.is_none() && row.text("stop_lon").is_empty() {
                    row.error("stop_lon is empty".into());
                }
            }
            unique(row, "stop_id", stop.id.clone());
            lines.push(("stops.txt", row.line));
            feed.stops.push(stop);
        });
    }
    let stop_ids: HashSet<&str> = feed.stops.iter().map(|s| s.id.as_str()).collect();
    for (stop, &(_, line)) in feed.stops.iter().zip(lines.iter().filter(|(f, _)| *f == "stops.txt")) {
        if !stop.parent_station.is_empty() && !stop_ids.contains(stop.parent_station.as_str()) {
            report.errors.push(Problem {
                file: "stops.txt".into(),
                line,
                message: format!("parent_station {} is not a stop_id in stops.txt", stop.parent_station),
            });
        }
    }

    if let Some(t) = table(files, &CALENDAR, &mut report) {
        const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        t.each(|row| {
            let mut days = [false; 7];
            for (i, day) in DAYS.iter().enumerate() {
                let value = row.text(day);
                match value.as_str() {
                    "1" => days[i] = true,
                    "0" => {}
                    _ => row.error(format!("{day} \"{value}\" is not 0 or 1")),
                }
            }
            let calendar = Calendar {
                service_id: row.required("service_id"),
                days,
                start_date: row.date("start_date"),
                end_date: row.date("end_date"),
            };
            if is_date(&calendar.start_date) && is_date(&calendar.end_date) && calendar.end_date < calendar.start_date {
                row.error(format!("end_date {} is before start_date {}", calendar.end_date, calendar.start_date));
            }
            unique(row, "service_id", calendar.service_id.clone());
            feed.calendars.push(calendar);
        });
    }
    if let Some(t) = table(files, &CALENDAR_DATES, &mut report) {
        t.each(|row| {
            let date = CalendarDate {
                service_id: row.required("service_id"),
                date: row.date("date"),
                exception_type: row.int("exception_type", 0, 1..=2),
            };
            if row.text("exception_type").is_empty() {
                row.error("exception_type is empty".into());
            }
            unique(row, "service date", format!("{} {}", date.service_id, date.date));
            feed.calendar_dates.push(date);
        });
    }
    let services: HashSet<&str> = feed
        .calendars
        .iter()
        .map(|c| c.service_id.as_str())
        .chain(feed.calendar_dates.iter().map(|d| d.service_id.as_str()))
        .collect();

    if let Some(t) = table(files, &SHAPES, &mut report) {
        t.each(|row| {
            let point = ShapePoint {
                shape_id: row.required("shape_id"),
                lat: row.float("shape_pt_lat", -90.0..=90.0).unwrap_or_default(),
                lon: row.float("shape_pt_lon", -180.0..=180.0).unwrap_or_default(),
                sequence: row.int("shape_pt_sequence", 0, 0..=i64::from(u32::MAX)) as u32,
                dist: row.float("shape_dist_traveled", 0.0..=f64::MAX),
            };
            for column in ["shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"] {
                if row.text(column).is_empty() {
                    row.error(format!("{column} is empty"));
                }
            }
            unique(row, "shape point", format!("{} {}", point.shape_id, point.sequence));
            feed.shapes.push(point);
        });
    }
    let shape_ids: HashSet<&str> = feed.shapes.iter().map(|p| p.shape_id.as_str()).collect();
    let route_ids: HashSet<&str> = feed.routes.iter().map(|r| r.id.as_str()).collect();

    if let Some(t) = table(files, &TRIPS, &mut report) {
        t.each(|row| {
            let trip = Trip {
                id: row.required("trip_id"),
                route_id: row.required("route_id"),
                service_id: row.required("service_id"),
                headsign: row.text("trip_headsign"),
                direction_id: row.optional_int("direction_id", 0..=1),
                block_id: row.text("block_id"),
                shape_id: row.text("shape_id"),
                wheelchair_accessible: row.int("wheelchair_accessible", 0, 0..=2),
            };
            if !trip.route_id.is_empty() && !route_ids.contains(trip.route_id.as_str()) {
                row.error(format!("route_id {} is not in routes.txt", trip.route_id));
            }
            if !trip.service_id.is_empty() && !services.contains(trip.service_id.as_str()) {
                row.error(format!("service_id {} is not in calendar.txt or calendar_dates.txt", trip.service_id));
            }
            if !trip.shape_id.is_empty() && !shape_ids.contains(trip.shape_id.as_str()) {
                row.error(format!("shape_id {} is not in shapes.txt", trip.shape_id));
            }
            unique(row, "trip_id", trip.id.clone());
            feed.trips.push(trip);
        });
    }
    let trip_ids: HashSet<&str> = feed.trips.iter().map(|t| t.id.as_str()).collect();

    let mut stop_time_lines = Vec::new();
    if let Some(t) = table(files, &STOP_TIMES, &mut report) {
        t.each(|row| {
            let mut arrival = row.time("arrival_time");
            let mut departure = row.time("departure_time");
            // One of the two given stands for both.
            if arrival.is_none() {
                arrival = departure;
            }
            if departure.is_none() {
                departure = arrival;
            }
            if let (Some(a), Some(d)) = (arrival, departure) {
                if d < a {
                    row.error(format!("departure_time {} is before arrival_time {}", time_text(d), time_text(a)));
                }
            }
            let stop_time = StopTime {
                trip_id: row.required("trip_id"),
                arrival,
                departure,
                stop_id: row.required("stop_id"),
                sequence: row.int("stop_sequence", 0, 0..=i64::from(u32::MAX)) as u32,
                headsign: row.text("stop_headsign"),
                pickup_type: row.int("pickup_type", 0, 0..=3),
                drop_off_type: row.int("drop_off_type", 0, 0..=3),
                dist: row.float("shape_dist_traveled", 0.0..=f64::MAX),
            };
            if row.text("stop_sequence").is_empty() {
                row.error("stop_sequence is empty".into());
            }
            if !stop_time.trip_id.is_empty() && !trip_ids.contains(stop_time.trip_id.as_str()) {
                row.error(format!("trip_id {} is not in trips.txt", stop_time.trip_id));
            }
            if !stop_time.stop_id.is_empty() && !stop_ids.contains(stop_time.stop_id.as_str()) {
                row.error(format!("stop_id {} is not in stops.txt", stop_time.stop_id));
            }
            unique(row, "stop time", format!("trip {} stop_sequence {}", stop_time.trip_id, stop_time.sequence));
            stop_time_lines.push(row.line);
            feed.stop_times.push(stop_time);
        });
    }
    check_trip_times(&feed, &stop_time_lines, &mut report);

    if let Some(t) = table(files, &FREQUENCIES, &mut report) {
        t.each(|row| {
            let start = row.time("start_time");
            let end = row.time("end_time");
            let frequency = Frequency {
                trip_id: row.required("trip_id"),
                start: start.unwrap_or_default(),
                end: end.unwrap_or_default(),
                headway_secs: row.int("headway_secs", 0, 1..=86_400) as u32,
                exact_times: row.int("exact_times", 0, 0..=1) == 1,
            };
            for column in ["start_time", "end_time", "headway_secs"] {
                if row.text(column).is_empty() {
                    row.error(format!("{column} is empty"));
                }
            }
            if let (Some(s), Some(e)) = (start, end) {
                if e <= s {
                    row.error(format!("end_time {} is not after start_time {}", time_text(e), time_text(s)));
                }
            }
            if !frequency.trip_id.is_empty() && !trip_ids.contains(frequency.trip_id.as_str()) {
                row.error(format!("trip_id {} is not in trips.txt", frequency.trip_id));
            }
            feed.frequencies.push(frequency);
        });
    }
    if let Some(t) = table(files, &TRANSLATIONS, &mut report) {
        t.each(|row| {
            feed.translations.push(Translation {
                table_name: row.required("table_name"),
                field_name: row.required("field_name"),
                language: row.required("language"),
                translation: row.required("translation"),
                record_id: row.text("record_id"),
                record_sub_id: row.text("record_sub_id"),
                field_value: row.text("field_value"),
            });
        });
    }
    if let Some(t) = table(files, &FEED_INFO, &mut report) {
        t.each(|row| {
            let start_date = row.text("feed_start_date");
            let end_date = row.text("feed_end_date");
            for (column, value) in [("feed_start_date", &start_date), ("feed_end_date", &end_date)] {
                if !value.is_empty() && !is_date(value) {
                    row.error(format!("{column} \"{value}\" is not a date YYYYMMDD"));
                }
            }
            if feed.feed_info.is_some() {
                row.error("feed_info.txt has more than one row".into());
            }
            feed.feed_info = Some(FeedInfo {
                publisher_name: row.required("feed_publisher_name"),
                publisher_url: row.required("feed_publisher_url"),
                lang: row.required("feed_lang"),
                start_date,
                end_date,
                version: row.text("feed_version"),
            });
        });
    }
    let timed: HashSet<&str> = feed.stop_times.iter().map(|s| s.trip_id.as_str()).collect();
    for trip in &feed.trips {
        if !timed.contains(trip.id.as_str()) {
            report.warnings.push(Problem {
                file: "trips.txt".into(),
                line: 0,
                message: format!("trip {} has no stop times and will never run", trip.id),
            });
        }
    }
    if report.errors.is_empty() {
        Ok((feed, report))
    } else {
        Err(report)
    }
}

/// Per trip: sequences ascend with times that never go back, and the first and last stops
/// have times (intermediate stops may leave them to interpolation).
fn check_trip_times(feed: &Feed, lines: &[u64], report: &mut Report) {
    let mut by_trip: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, st) in feed.stop_times.iter().enumerate() {
        by_trip.entry(st.trip_id.as_str()).or_default().push(i);
    }
    let mut trips: Vec<_> = by_trip.into_iter().collect();
    trips.sort_by_key(|(_, rows)| rows[0]);
    for (trip, mut rows) in trips {
        rows.sort_by_key(|&i| feed.stop_times[i].sequence);
        let problem = |i: usize, message: String| Problem { file: "stop_times.txt".into(), line: lines[i], message };
        for &end in [rows[0], rows[rows.len() - 1]].iter() {
            if feed.stop_times[end].arrival.is_none() {
                report.errors.push(problem(end, format!("trip {trip}: its first and last stops need a time")));
            }
        }
        let mut last: Option<u32> = None;
        for &i in &rows {
            let st = &feed.stop_times[i];
            let went_back = match (last, st.arrival) {
                (Some(previous), Some(arrival)) if arrival < previous => Some((previous, arrival)),
                _ => None,
            };
            if let Some((previous, arrival)) = went_back {
                report.errors.push(problem(
                    i,
                    format!(
                        "trip {trip}: arrival_time {} at stop_sequence {} is before the previous stop's time {}",
                        time_text(arrival),
                        st.sequence,
                        time_text(previous)
                    ),
                ));
            }
            if st.departure.is_some() {
                last = st.departure;
            }
        }
        if rows.len() < 2 {
            report.warnings.push(problem(rows[0], format!("trip {trip} has only one stop")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Files {
        let path = format!("{}/../server/tests/fixtures/gtfs/{name}", env!("CARGO_MANIFEST_DIR"));
        files_from_path(Path::new(&path)).expect("fixture readable")
    }

    #[test]
    fn times_pass_midnight_and_refuse_nonsense() {
        assert_eq!(parse_time("6:00:00"), Some(6 * 3600));
        assert_eq!(parse_time("25:10:05"), Some(25 * 3600 + 10 * 60 + 5));
        assert_eq!(time_text(25 * 3600 + 600), "25:10:00");
        for bad in ["", "6:00", "06:60:00", "ab:00:00", "6:0:00", "-1:00:00", "06:00:00:00"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert!(is_date("20241001") && !is_date("20240230") && !is_date("2024-10-01") && !is_date("20241301"));
    }

    #[test]
    fn googles_raw_sample_loads_with_precise_warnings() {
        let (feed, report) = read(&fixture("google-sample-feed-1.zip")).expect("loads");
        assert_eq!((feed.routes.len(), feed.stops.len(), feed.trips.len()), (5, 9, 11));
        assert_eq!(feed.stop_times.len(), 28);
        assert_eq!(feed.frequencies.len(), 11);
        let text: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert!(
            text.contains(
                &"stop_times.txt:1: unknown column drop_off_time is ignored (did you mean drop_off_type?)".into()
            ),
            "{text:?}"
        );
        assert!(text.iter().any(|w| w.starts_with("stop_times.txt:") && w.contains("fewer fields")), "{text:?}");
        // A short row reads its missing fields as empty, not as the next row's.
        let aamv = feed.stop_times.iter().find(|s| s.trip_id == "AAMV1").expect("AAMV1");
        assert_eq!((aamv.stop_id.as_str(), aamv.arrival, aamv.dist), ("BEATTY_AIRPORT", Some(8 * 3600), None));
    }

    #[test]
    fn every_problem_is_reported_with_file_and_line() {
        let mut files = fixture("gtfs-kit-sample_gtfs.zip");
        let stop_times = String::from_utf8(files["stop_times.txt"].clone()).expect("utf-8 fixture");
        let mut lines: Vec<String> = stop_times.lines().map(str::to_owned).collect();
        lines[1] = lines[1].replacen("STAGECOACH", "NOWHERE", 1);
        lines[2] = lines[2].replacen("6:20:00", "6:2x:00", 1);
        files.insert("stop_times.txt".into(), lines.join("\n").into_bytes());
        let trips =
            String::from_utf8(files["trips.txt"].clone()).expect("utf-8 fixture").replacen("route_id", "route", 1);
        files.insert("trips.txt".into(), trips.into_bytes());
        files.remove("agency.txt");
        let report = read(&files).expect_err("refused");
        let text: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert!(text.contains(&"agency.txt: required file is missing".into()), "{text:?}");
        assert!(text.contains(&"trips.txt:1: required column route_id is missing".into()), "{text:?}");
        assert!(text.contains(&"stop_times.txt:2: stop_id NOWHERE is not in stops.txt".into()), "{text:?}");
        assert!(text.iter().any(|e| e.starts_with("stop_times.txt:3: arrival_time")), "{text:?}");
        // Without trips.txt's trips every stop time's trip is unknown, and each one is named.
        assert!(text.iter().filter(|e| e.contains("is not in trips.txt")).count() >= 20, "{text:?}");
    }
}
