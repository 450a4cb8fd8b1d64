//! Time as seen by the application. Timestamps are stored as Unix seconds (BIGINT) so that the
//! same SQL works on SQLite and PostgreSQL.

pub fn now_unix() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// A `YYYY-MM-DD` day.
#[cfg(feature = "ssr")]
pub fn parse_day(text: &str) -> Option<time::Date> {
    let mut parts = text.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = time::Month::try_from(parts.next()?.parse::<u8>().ok()?).ok()?;
    let day = parts.next()?.parse().ok()?;
    (text.len() == 10).then_some(())?;
    time::Date::from_calendar_date(year, month, day).ok()
}

#[cfg(feature = "ssr")]
pub fn day_text(day: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// Today in Beijing (partners' bills, loans and readings are dated there).
#[cfg(feature = "ssr")]
pub fn beijing_today() -> time::Date {
    let now = now_unix() + 8 * 3600;
    time::Date::from_julian_day(i32::try_from(now.div_euclid(86_400) + 2_440_588).unwrap_or(0))
        .unwrap_or(time::Date::MIN)
}
