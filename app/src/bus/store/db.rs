//! All SQL of the bus company's timetable store. These tables live only in the company's own
//! database (`data/bus.db` for the demo); the portal's migrations never create them.

use super::super::gtfs::*;
use crate::platform::Db;
use sqlx::{Executor, Row as _};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS bus_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bus_agencies (
  position BIGINT PRIMARY KEY NOT NULL, agency_id TEXT NOT NULL, name TEXT NOT NULL, url TEXT NOT NULL,
  timezone TEXT NOT NULL, lang TEXT NOT NULL, phone TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bus_routes (
  route_id TEXT PRIMARY KEY NOT NULL, position BIGINT NOT NULL, agency_id TEXT NOT NULL, short_name TEXT NOT NULL,
  long_name TEXT NOT NULL, route_type BIGINT NOT NULL, color TEXT NOT NULL, text_color TEXT NOT NULL,
  sort_order BIGINT);
CREATE TABLE IF NOT EXISTS bus_stops (
  stop_id TEXT PRIMARY KEY NOT NULL, position BIGINT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
  lat DOUBLE PRECISION, lon DOUBLE PRECISION, location_type BIGINT NOT NULL, parent_station TEXT NOT NULL,
  wheelchair_boarding BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS bus_trips (
  trip_id TEXT PRIMARY KEY NOT NULL, position BIGINT NOT NULL, route_id TEXT NOT NULL, service_id TEXT NOT NULL,
  headsign TEXT NOT NULL, direction_id BIGINT, block_id TEXT NOT NULL, shape_id TEXT NOT NULL,
  wheelchair_accessible BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS bus_stop_times (
  trip_id TEXT NOT NULL, stop_sequence BIGINT NOT NULL, stop_id TEXT NOT NULL, arrival BIGINT, departure BIGINT,
  headsign TEXT NOT NULL, pickup_type BIGINT NOT NULL, drop_off_type BIGINT NOT NULL, dist DOUBLE PRECISION,
  PRIMARY KEY (trip_id, stop_sequence));
CREATE INDEX IF NOT EXISTS bus_stop_times_stop ON bus_stop_times(stop_id);
CREATE TABLE IF NOT EXISTS bus_calendar (
  service_id TEXT PRIMARY KEY NOT NULL, days TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bus_calendar_dates (
  service_id TEXT NOT NULL, date TEXT NOT NULL, exception_type BIGINT NOT NULL, PRIMARY KEY (service_id, date));
CREATE TABLE IF NOT EXISTS bus_frequencies (
  trip_id TEXT NOT NULL, start_time BIGINT NOT NULL, end_time BIGINT NOT NULL, headway_secs BIGINT NOT NULL,
  exact_times BIGINT NOT NULL, PRIMARY KEY (trip_id, start_time));
CREATE TABLE IF NOT EXISTS bus_shapes (
  shape_id TEXT NOT NULL, sequence BIGINT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
  dist DOUBLE PRECISION, PRIMARY KEY (shape_id, sequence));
CREATE TABLE IF NOT EXISTS bus_translations (
  position BIGINT PRIMARY KEY NOT NULL, table_name TEXT NOT NULL, field_name TEXT NOT NULL, language TEXT NOT NULL,
  translation TEXT NOT NULL, record_id TEXT NOT NULL, record_sub_id TEXT NOT NULL, field_value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bus_feed_info (
  position BIGINT PRIMARY KEY NOT NULL, publisher_name TEXT NOT NULL, publisher_url TEXT NOT NULL, lang TEXT NOT NULL,
  start_date TEXT NOT NULL, end_date TEXT NOT NULL, version TEXT NOT NULL);
";

/// Every table, each emptied before an import replaces the feed.
const TABLES: [&str; 12] = [
    "bus_meta",
    "bus_agencies",
    "bus_routes",
    "bus_stops",
    "bus_trips",
    "bus_stop_times",
    "bus_calendar",
    "bus_calendar_dates",
    "bus_frequencies",
    "bus_shapes",
    "bus_translations",
    "bus_feed_info",
];

/// Rows per multi-row INSERT: far below both backends' parameter limits.
const CHUNK: usize = 500;

/// One bound value of a row being written.
enum Value<'a> {
    Text(&'a str),
    Int(i64),
    MaybeInt(Option<i64>),
    MaybeFloat(Option<f64>),
}
use Value::*;

fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn create_schema(db: &Db) -> Result<(), sqlx::Error> {
    db.pool().execute(SCHEMA).await?;
    Ok(())
}

pub async fn meta(db: &Db, key: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM bus_meta WHERE key = $1").bind(key).fetch_optional(db.pool()).await
}

/// Writes `rows` into `table` in chunks; `progress` hears of every chunk.
async fn insert<'r, T: 'r>(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
    columns: &[&str],
    rows: &'r [T],
    values: impl Fn(usize, &'r T) -> Vec<Value<'r>>,
    progress: &mut dyn FnMut(u64),
) -> Result<(), sqlx::Error> {
    for (c, chunk) in rows.chunks(CHUNK).enumerate() {
        // Table and column names are constants of this module, never input.
        let sql =
            format!("INSERT INTO {table} ({}) VALUES {}", columns.join(", "), placeholders(chunk.len(), columns.len()));
        let mut q = sqlx::query(&sql);
        for (i, row) in chunk.iter().enumerate() {
            for value in values(c * CHUNK + i, row) {
                q = match value {
                    Text(t) => q.bind(t),
                    Int(n) => q.bind(n),
                    MaybeInt(n) => q.bind(n),
                    MaybeFloat(f) => q.bind(f),
                };
            }
        }
        q.execute(&mut **tx).await?;
        progress(chunk.len() as u64);
    }
    Ok(())
}

/// Replaces the whole feed in one transaction: on any failure the previous feed stays.
pub async fn replace_feed(
    db: &Db,
    feed: &Feed,
    meta: &[(&str, String)],
    progress: &mut dyn FnMut(u64),
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    for table in TABLES {
        tx.execute(format!("DELETE FROM {table}").as_str()).await?;
    }
    let p = progress;
    insert(&mut tx, "bus_meta", &["key", "value"], meta, |_, (k, v)| vec![Text(k), Text(v)], p).await?;
    insert(
        &mut tx,
        "bus_agencies",
        &["position", "agency_id", "name", "url", "timezone", "lang", "phone"],
        &feed.agencies,
        |i, a| {
            vec![
                Int(i as i64),
                Text(&a.id),
                Text(&a.name),
                Text(&a.url),
                Text(&a.timezone),
                Text(&a.lang),
                Text(&a.phone),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_routes",
        &[
            "route_id",
            "position",
            "agency_id",
            "short_name",
            "long_name",
            "route_type",
            "color",
            "text_color",
            "sort_order",
        ],
        &feed.routes,
        |i, r| {
            vec![
                Text(&r.id),
                Int(i as i64),
                Text(&r.agency_id),
                Text(&r.short_name),
                Text(&r.long_name),
                Int(r.route_type),
                Text(&r.color),
                Text(&r.text_color),
                MaybeInt(r.sort_order),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_stops",
        &[
            "stop_id",
            "position",
            "code",
            "name",
            "lat",
            "lon",
            "location_type",
            "parent_station",
            "wheelchair_boarding",
        ],
        &feed.stops,
        |i, s| {
            vec![
                Text(&s.id),
                Int(i as i64),
                Text(&s.code),
                Text(&s.name),
                MaybeFloat(s.lat),
                MaybeFloat(s.lon),
                Int(s.location_type),
                Text(&s.parent_station),
                Int(s.wheelchair_boarding),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_trips",
        &[
            "trip_id",
            "position",
            "route_id",
            "service_id",
            "headsign",
            "direction_id",
            "block_id",
            "shape_id",
            "wheelchair_accessible",
        ],
        &feed.trips,
        |i, t| {
            vec![
                Text(&t.id),
                Int(i as i64),
                Text(&t.route_id),
                Text(&t.service_id),
                Text(&t.headsign),
                MaybeInt(t.direction_id),
                Text(&t.block_id),
                Text(&t.shape_id),
                Int(t.wheelchair_accessible),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_stop_times",
        &[
            "trip_id",
            "stop_sequence",
            "stop_id",
            "arrival",
            "departure",
            "headsign",
            "pickup_type",
            "drop_off_type",
            "dist",
        ],
        &feed.stop_times,
        |_, s| {
            vec![
                Text(&s.trip_id),
                Int(i64::from(s.sequence)),
                Text(&s.stop_id),
                MaybeInt(s.arrival.map(i64::from)),
                MaybeInt(s.departure.map(i64::from)),
                Text(&s.headsign),
                Int(s.pickup_type),
                Int(s.drop_off_type),
                MaybeFloat(s.dist),
            ]
        },
        p,
    )
    .await?;
    let day_masks: Vec<(String, &Calendar)> =
        feed.calendars.iter().map(|c| (c.days.iter().map(|&d| if d { '1' } else { '0' }).collect(), c)).collect();
    insert(
        &mut tx,
        "bus_calendar",
        &["service_id", "days", "start_date", "end_date"],
        &day_masks,
        |_, (days, c)| vec![Text(&c.service_id), Text(days), Text(&c.start_date), Text(&c.end_date)],
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_calendar_dates",
        &["service_id", "date", "exception_type"],
        &feed.calendar_dates,
        |_, d| vec![Text(&d.service_id), Text(&d.date), Int(d.exception_type)],
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_frequencies",
        &["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
        &feed.frequencies,
        |_, f| {
            vec![
                Text(&f.trip_id),
                Int(i64::from(f.start)),
                Int(i64::from(f.end)),
                Int(i64::from(f.headway_secs)),
                Int(i64::from(f.exact_times)),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_shapes",
        &["shape_id", "sequence", "lat", "lon", "dist"],
        &feed.shapes,
        |_, s| {
            vec![
                Text(&s.shape_id),
                Int(i64::from(s.sequence)),
                MaybeFloat(Some(s.lat)),
                MaybeFloat(Some(s.lon)),
                MaybeFloat(s.dist),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_translations",
        &[
            "position",
            "table_name",
            "field_name",
            "language",
            "translation",
            "record_id",
            "record_sub_id",
            "field_value",
        ],
        &feed.translations,
        |i, t| {
            vec![
                Int(i as i64),
                Text(&t.table_name),
                Text(&t.field_name),
                Text(&t.language),
                Text(&t.translation),
                Text(&t.record_id),
                Text(&t.record_sub_id),
                Text(&t.field_value),
            ]
        },
        p,
    )
    .await?;
    insert(
        &mut tx,
        "bus_feed_info",
        &["position", "publisher_name", "publisher_url", "lang", "start_date", "end_date", "version"],
        feed.feed_info.as_slice(),
        |i, f| {
            vec![
                Int(i as i64),
                Text(&f.publisher_name),
                Text(&f.publisher_url),
                Text(&f.lang),
                Text(&f.start_date),
                Text(&f.end_date),
                Text(&f.version),
            ]
        },
        p,
    )
    .await?;
    tx.commit().await
}

/// Rows per table, in [`TABLES`] order without the meta table.
pub async fn counts(db: &Db) -> Result<Vec<(&'static str, i64)>, sqlx::Error> {
    let mut out = Vec::new();
    for table in &TABLES[1..] {
        let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(db.pool()).await?;
        out.push((*table, row.try_get::<i64, _>("n")?));
    }
    Ok(out)
}

/// The whole stored feed, for the in-memory timetable.
pub async fn load_feed(db: &Db) -> Result<Feed, sqlx::Error> {
    let pool = db.pool();
    let text = |r: &sqlx::any::AnyRow, c: &str| r.try_get::<String, _>(c);
    let mut feed = Feed::default();
    for r in sqlx::query("SELECT agency_id, name, url, timezone, lang, phone FROM bus_agencies ORDER BY position")
        .fetch_all(pool)
        .await?
    {
        feed.agencies.push(Agency {
            id: text(&r, "agency_id")?,
            name: text(&r, "name")?,
            url: text(&r, "url")?,
            timezone: text(&r, "timezone")?,
            lang: text(&r, "lang")?,
            phone: text(&r, "phone")?,
        });
    }
    for r in sqlx::query(
        "SELECT route_id, agency_id, short_name, long_name, route_type, color, text_color, sort_order FROM bus_routes \
         ORDER BY position",
    )
    .fetch_all(pool)
    .await?
    {
        feed.routes.push(Route {
            id: text(&r, "route_id")?,
            agency_id: text(&r, "agency_id")?,
            short_name: text(&r, "short_name")?,
            long_name: text(&r, "long_name")?,
            route_type: r.try_get("route_type")?,
            color: text(&r, "color")?,
            text_color: text(&r, "text_color")?,
            sort_order: r.try_get("sort_order")?,
        });
    }
    for r in sqlx::query(
        "SELECT stop_id, code, name, lat, lon, location_type, parent_station, wheelchair_boarding FROM bus_stops \
         ORDER BY position",
    )
    .fetch_all(pool)
    .await?
    {
        feed.stops.push(Stop {
            id: text(&r, "stop_id")?,
            code: text(&r, "code")?,
            name: text(&r, "name")?,
            lat: r.try_get("lat")?,
            lon: r.try_get("lon")?,
            location_type: r.try_get("location_type")?,
            parent_station: text(&r, "parent_station")?,
            wheelchair_boarding: r.try_get("wheelchair_boarding")?,
        });
    }
    for r in sqlx::query(
        "SELECT trip_id, route_id, service_id, headsign, direction_id, block_id, shape_id, wheelchair_accessible \
         FROM bus_trips ORDER BY position",
    )
    .fetch_all(pool)
    .await?
    {
        feed.trips.push(Trip {
            id: text(&r, "trip_id")?,
            route_id: text(&r, "route_id")?,
            service_id: text(&r, "service_id")?,
            headsign: text(&r, "headsign")?,
            direction_id: r.try_get("direction_id")?,
            block_id: text(&r, "block_id")?,
            shape_id: text(&r, "shape_id")?,
            wheelchair_accessible: r.try_get("wheelchair_accessible")?,
        });
    }
    for r in sqlx::query(
        "SELECT trip_id, stop_sequence, stop_id, arrival, departure, headsign, pickup_type, drop_off_type, dist \
         FROM bus_stop_times ORDER BY trip_id, stop_sequence",
    )
    .fetch_all(pool)
    .await?
    {
        feed.stop_times.push(StopTime {
            trip_id: text(&r, "trip_id")?,
            sequence: r.try_get::<i64, _>("stop_sequence")? as u32,
            stop_id: text(&r, "stop_id")?,
            arrival: r.try_get::<Option<i64>, _>("arrival")?.map(|t| t as u32),
            departure: r.try_get::<Option<i64>, _>("departure")?.map(|t| t as u32),
            headsign: text(&r, "headsign")?,
            pickup_type: r.try_get("pickup_type")?,
            drop_off_type: r.try_get("drop_off_type")?,
            dist: r.try_get("dist")?,
        });
    }
    for r in sqlx::query("SELECT service_id, days, start_date, end_date FROM bus_calendar ORDER BY service_id")
        .fetch_all(pool)
        .await?
    {
        let mask = text(&r, "days")?;
        let mut days = [false; 7];
        for (d, c) in days.iter_mut().zip(mask.chars()) {
            *d = c == '1';
        }
        feed.calendars.push(Calendar {
            service_id: text(&r, "service_id")?,
            days,
            start_date: text(&r, "start_date")?,
            end_date: text(&r, "end_date")?,
        });
    }
    for r in sqlx::query("SELECT service_id, date, exception_type FROM bus_calendar_dates ORDER BY service_id, date")
        .fetch_all(pool)
        .await?
    {
        feed.calendar_dates.push(CalendarDate {
            service_id: text(&r, "service_id")?,
            date: text(&r, "date")?,
            exception_type: r.try_get("exception_type")?,
        });
    }
    for r in sqlx::query(
        "SELECT trip_id, start_time, end_time, headway_secs, exact_times FROM bus_frequencies ORDER BY trip_id, start_time",
    )
    .fetch_all(pool)
    .await?
    {
        feed.frequencies.push(Frequency {
            trip_id: text(&r, "trip_id")?,
            start: r.try_get::<i64, _>("start_time")? as u32,
            end: r.try_get::<i64, _>("end_time")? as u32,
            headway_secs: r.try_get::<i64, _>("headway_secs")? as u32,
            exact_times: r.try_get::<i64, _>("exact_times")? == 1,
        });
    }
    for r in sqlx::query("SELECT shape_id, sequence, lat, lon, dist FROM bus_shapes ORDER BY shape_id, sequence")
        .fetch_all(pool)
        .await?
    {
        feed.shapes.push(ShapePoint {
            shape_id: text(&r, "shape_id")?,
            sequence: r.try_get::<i64, _>("sequence")? as u32,
            lat: r.try_get("lat")?,
            lon: r.try_get("lon")?,
            dist: r.try_get("dist")?,
        });
    }
    for r in sqlx::query(
        "SELECT table_name, field_name, language, translation, record_id, record_sub_id, field_value \
         FROM bus_translations ORDER BY position",
    )
    .fetch_all(pool)
    .await?
    {
        feed.translations.push(Translation {
            table_name: text(&r, "table_name")?,
            field_name: text(&r, "field_name")?,
            language: text(&r, "language")?,
            translation: text(&r, "translation")?,
            record_id: text(&r, "record_id")?,
            record_sub_id: text(&r, "record_sub_id")?,
            field_value: text(&r, "field_value")?,
        });
    }
    if let Some(r) = sqlx::query(
        "SELECT publisher_name, publisher_url, lang, start_date, end_date, version FROM bus_feed_info ORDER BY position",
    )
    .fetch_optional(pool)
    .await?
    {
        feed.feed_info = Some(FeedInfo {
            publisher_name: text(&r, "publisher_name")?,
            publisher_url: text(&r, "publisher_url")?,
            lang: text(&r, "lang")?,
            start_date: text(&r, "start_date")?,
            end_date: text(&r, "end_date")?,
            version: text(&r, "version")?,
        });
    }
    Ok(feed)
}
