//! The working-day calendar every deadline uses: weekends are rest days and weekdays working
//! days, except the dates the State Council's yearly notice moves (法定节假日 off, 调休 make-up
//! days on). Periods follow the Civil Code: the starting day does not count (第二百零一条), and a
//! period whose last day is a rest day ends on the next working day (第二百零三条).

use super::model::{DayUnit, TimeLimit};
use std::collections::BTreeMap;
use time::{Date, Duration, Weekday};

/// A date the yearly notice moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 放假: no work although it may be a weekday.
    Holiday,
    /// 调休上班: work although it may be a weekend.
    Workday,
}

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    moved: BTreeMap<Date, DayKind>,
}

impl WorkCalendar {
    pub fn new(moved: impl IntoIterator<Item = (Date, DayKind)>) -> WorkCalendar {
        WorkCalendar { moved: moved.into_iter().collect() }
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        match self.moved.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The last day of "N working days from `start`" (自受理之日起 N 个工作日): the Nth working day
    /// after `start`. Zero days is `start` itself (即办).
    pub fn add_working_days(&self, start: Date, days: u32) -> Date {
        let mut day = start;
        let mut left = days;
        while left > 0 {
            day = day.next_day().unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The last day of a time limit counted from `start`, in working or natural days. A natural
    /// period that ends on a rest day runs to the next working day.
    pub fn deadline(&self, start: Date, limit: TimeLimit) -> Date {
        match limit.unit {
            DayUnit::Working => self.add_working_days(start, u32::from(limit.days)),
            DayUnit::Natural => {
                let mut day = start + Duration::days(i64::from(limit.days));
                while limit.days > 0 && !self.is_working_day(day) {
                    day = day.next_day().unwrap_or(day);
                }
                day
            }
        }
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to` ≤ `from`): what a
    /// deadline clock shows as used.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.next_day().unwrap_or(to);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use time::macros::date;

    /// The State Council's 2026 notice around the Spring Festival: 2月15日至23日放假, 2月14日
    /// (周六)、2月28日(周六)上班.
    pub(crate) fn spring_festival_2026() -> WorkCalendar {
        let mut moved: Vec<(Date, DayKind)> = (15..=23)
            .map(|d| (Date::from_calendar_date(2026, time::Month::February, d).expect("date"), DayKind::Holiday))
            .collect();
        moved.push((date!(2026 - 02 - 14), DayKind::Workday));
        moved.push((date!(2026 - 02 - 28), DayKind::Workday));
        WorkCalendar::new(moved)
    }

    #[test]
    fn weekends_rest_and_weekdays_work_unless_moved() {
        let c = spring_festival_2026();
        assert!(c.is_working_day(date!(2026 - 02 - 13)), "Friday");
        assert!(c.is_working_day(date!(2026 - 02 - 14)), "make-up Saturday");
        assert!(!c.is_working_day(date!(2026 - 02 - 16)), "Monday in the holiday");
        assert!(!c.is_working_day(date!(2026 - 02 - 21)), "Saturday");
    }

    #[test]
    fn working_days_skip_the_holiday_and_count_make_up_days() {
        let c = spring_festival_2026();
        // Accepted Thursday 12 Feb: Fri 13, Sat 14 (make-up), then the holiday to 23 Feb.
        assert_eq!(c.add_working_days(date!(2026 - 02 - 12), 1), date!(2026 - 02 - 13));
        assert_eq!(c.add_working_days(date!(2026 - 02 - 12), 2), date!(2026 - 02 - 14));
        assert_eq!(c.add_working_days(date!(2026 - 02 - 12), 3), date!(2026 - 02 - 24));
        // 20 working days from 12 Feb (the usual 行政许可 limit), the make-up Saturday 28 Feb
        // among them, ends on Wednesday 18 March.
        assert_eq!(c.add_working_days(date!(2026 - 02 - 12), 20), date!(2026 - 03 - 18));
        assert_eq!(c.add_working_days(date!(2026 - 02 - 12), 0), date!(2026 - 02 - 12), "即办");
        assert_eq!(c.working_days_between(date!(2026 - 02 - 12), date!(2026 - 03 - 18)), 20);
        assert_eq!(c.working_days_between(date!(2026 - 03 - 18), date!(2026 - 02 - 12)), 0);
    }

    #[test]
    fn a_natural_period_ending_on_a_rest_day_runs_to_the_next_working_day() {
        let c = spring_festival_2026();
        let ten = TimeLimit { days: 10, unit: DayUnit::Natural };
        // 10 Feb + 10 days = 20 Feb, inside the holiday: the period ends on Tuesday 24 Feb.
        assert_eq!(c.deadline(date!(2026 - 02 - 10), ten), date!(2026 - 02 - 24));
        assert_eq!(c.deadline(date!(2026 - 03 - 02), ten), date!(2026 - 03 - 12));
        let twenty = TimeLimit { days: 20, unit: DayUnit::Working };
        assert_eq!(c.deadline(date!(2026 - 02 - 12), twenty), date!(2026 - 03 - 18));
    }
}
