//! Where a case stands against its promised time limit (承诺时限), in working days of the
//! calendar: how many the promise gives, how many are used, how many the clock was stopped (补正,
//! 挂起, 退回), and whether the case needs attention — a warning once 80 % of the promised days are
//! used, overdue once more than all of them are. Pure, shared by the queue, the case page, the
//! supervisors' dashboard and the daily digest.

pub use super::Urgency;
use crate::applications::model::Status;
use crate::catalogue::calendar::WorkCalendar;
use serde::{Deserialize, Serialize};
use time::Date;

/// The share of the promised days after which a case is flagged: used / promised ≥ 4 / 5.
const WARN_NUMERATOR: u32 = 4;
const WARN_DENOMINATOR: u32 = 5;

/// A case's standing against its promised limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    /// Working days the promise gives (submission day to the promised day).
    pub promised_days: u32,
    /// Working days used: elapsed since submission, less the paused ones.
    pub used_days: u32,
    /// Working days the clock stood still.
    pub paused_days: u32,
    /// The promised day moved by the paused working days.
    pub due: Date,
    pub urgency: Option<Urgency>,
}

impl Standing {
    pub fn view(&self) -> super::TimeStanding {
        super::TimeStanding {
            promised_days: self.promised_days,
            used_days: self.used_days,
            paused_days: self.paused_days,
            due: crate::applications::server::iso_day(self.due),
            urgency: self.urgency,
        }
    }
}

/// A period the clock stood still, as Beijing days: from the day it stopped to the day it ran
/// again (today for a clock still stopped). Working days strictly after `from` up to `to` count
/// as paused, the same rule that counts used days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: Date,
    pub to: Date,
}

/// The standing on `today` of a case submitted on `start` with the promised day `promised_due`.
pub fn standing(calendar: &WorkCalendar, start: Date, promised_due: Date, pauses: &[Pause], today: Date) -> Standing {
    let promised_days = calendar.working_days_between(start, promised_due);
    let paused_days =
        pauses.iter().map(|p| calendar.working_days_between(p.from.max(start), p.to.min(today))).sum::<u32>();
    let used_days = calendar.working_days_between(start, today).saturating_sub(paused_days);
    let urgency = if used_days > promised_days {
        Some(Urgency::Overdue)
    } else if used_days * WARN_DENOMINATOR >= promised_days * WARN_NUMERATOR {
        Some(Urgency::Soon)
    } else {
        None
    };
    let due = calendar.add_working_days(promised_due, paused_days);
    Standing { promised_days, used_days, paused_days, due, urgency }
}

/// Whether a timeline entry starts (`Some(true)`) or ends (`Some(false)`) a pause of the clock,
/// or leaves it as it is. Entries are status codes or events such as `supplemented`.
fn stops_clock(entry: &str) -> Option<bool> {
    match entry {
        "supplemented" | "deemed_accepted" => Some(false),
        other => Status::from_code(other).map(Status::clock_stopped),
    }
}

/// The pauses of a case from its timeline `(at, entry)`, oldest first, as Beijing days (`day_of`
/// turns a Unix time into one); a pause still open runs to `today`.
pub fn pauses(timeline: &[(i64, String)], day_of: impl Fn(i64) -> Date, today: Date) -> Vec<Pause> {
    let mut pauses = Vec::new();
    let mut stopped_since: Option<Date> = None;
    for (at, entry) in timeline {
        match (stops_clock(entry), stopped_since) {
            (Some(true), None) => stopped_since = Some(day_of(*at)),
            (Some(false), Some(from)) => {
                pauses.push(Pause { from, to: day_of(*at) });
                stopped_since = None;
            }
            _ => {}
        }
    }
    if let Some(from) = stopped_since {
        pauses.push(Pause { from, to: today });
    }
    pauses
}

/// Parses an ISO day (`2026-03-18`) as the database stores deadlines.
pub fn parse_day(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::calendar::tests::spring_festival_2026 as calendar;
    use time::macros::date;

    #[test]
    fn warns_at_eighty_percent_of_the_promised_days_and_is_overdue_after_them() {
        let c = WorkCalendar::default();
        // Monday 2 March 2026, 10 working days promised: due Monday 16 March.
        let start = date!(2026 - 03 - 02);
        let due = c.add_working_days(start, 10);
        assert_eq!(due, date!(2026 - 03 - 16));
        let on = |today| standing(&c, start, due, &[], today);
        assert_eq!(on(date!(2026 - 03 - 11)).used_days, 7);
        assert_eq!(on(date!(2026 - 03 - 11)).urgency, None, "7 of 10");
        assert_eq!(on(date!(2026 - 03 - 12)).urgency, Some(Urgency::Soon), "8 of 10");
        assert_eq!(on(date!(2026 - 03 - 16)).urgency, Some(Urgency::Soon), "the promised day itself");
        assert_eq!(on(date!(2026 - 03 - 17)).urgency, Some(Urgency::Overdue), "11 of 10");
        assert_eq!(on(date!(2026 - 03 - 17)).promised_days, 10);
        // Weekends do not count: Saturday 14 March is still the 9th day (Friday 13's count).
        assert_eq!(on(date!(2026 - 03 - 14)).used_days, 9);
    }

    #[test]
    fn the_warning_follows_the_promise_not_a_fixed_number_of_days() {
        let c = WorkCalendar::default();
        let start = date!(2026 - 03 - 02);
        // 20 days promised: 16 used (80 %) is flagged, 15 used is not, although a fixed
        // three-day window would flag neither.
        let due = c.add_working_days(start, 20);
        assert_eq!(standing(&c, start, due, &[], c.add_working_days(start, 15)).urgency, None);
        assert_eq!(standing(&c, start, due, &[], c.add_working_days(start, 16)).urgency, Some(Urgency::Soon));
        // 5 days promised: the 4th day warns although 2 remain.
        let due = c.add_working_days(start, 5);
        assert_eq!(standing(&c, start, due, &[], c.add_working_days(start, 3)).urgency, None);
        assert_eq!(standing(&c, start, due, &[], c.add_working_days(start, 4)).urgency, Some(Urgency::Soon));
    }

    #[test]
    fn holidays_are_not_used_days() {
        let c = calendar();
        // Submitted Thursday 12 Feb, 5 working days: 13, 14 (make-up), 24, 25, 26 Feb.
        let start = date!(2026 - 02 - 12);
        let due = c.add_working_days(start, 5);
        assert_eq!(due, date!(2026 - 02 - 26));
        let s = standing(&c, start, due, &[], date!(2026 - 02 - 23));
        assert_eq!((s.used_days, s.urgency), (2, None), "the holiday week uses nothing");
        assert_eq!(standing(&c, start, due, &[], date!(2026 - 02 - 25)).urgency, Some(Urgency::Soon));
        assert_eq!(standing(&c, start, due, &[], date!(2026 - 02 - 27)).urgency, Some(Urgency::Overdue));
    }

    #[test]
    fn paused_days_are_not_used_and_move_the_due_day() {
        let c = calendar();
        let start = date!(2026 - 03 - 02);
        let due = c.add_working_days(start, 10);
        // 补正 asked Wednesday 4 March, answered Monday 9 March: Thu, Fri, Mon paused.
        let pause = [Pause { from: date!(2026 - 03 - 04), to: date!(2026 - 03 - 09) }];
        let s = standing(&c, start, due, &pause, date!(2026 - 03 - 17));
        assert_eq!(s.paused_days, 3);
        assert_eq!(s.used_days, 8, "11 elapsed less 3 paused");
        assert_eq!(s.urgency, Some(Urgency::Soon), "overdue without the pause");
        assert_eq!(s.due, date!(2026 - 03 - 19));
        assert_eq!(standing(&c, start, due, &pause, date!(2026 - 03 - 20)).urgency, Some(Urgency::Overdue));
        // A pause still running counts up to today only, and a pause over the holiday counts
        // its working days only.
        let open = [Pause { from: date!(2026 - 02 - 13), to: date!(2026 - 03 - 03) }];
        let s = standing(&c, date!(2026 - 02 - 12), date!(2026 - 02 - 26), &open, date!(2026 - 02 - 25));
        assert_eq!(s.paused_days, 3, "14 (make-up), 24, 25 Feb");
        assert_eq!(s.used_days, 1);
        // A pause before the (re)submission is not counted.
        let before = [Pause { from: date!(2026 - 02 - 02), to: date!(2026 - 02 - 27) }];
        assert_eq!(standing(&c, start, due, &before, date!(2026 - 03 - 05)).paused_days, 0);
    }

    #[test]
    fn pauses_come_from_the_timeline() {
        let day = |at: i64| date!(2026 - 03 - 01) + time::Duration::days(at);
        let timeline: Vec<(i64, String)> = [
            (1, "submitted"),
            (2, "prereview_passed"),
            (3, "supplement_requested"),
            (5, "supplemented"),
            (6, "accepted"),
            (8, "suspended"),
        ]
        .into_iter()
        .map(|(at, e)| (at, e.to_owned()))
        .collect();
        let today = date!(2026 - 03 - 20);
        assert_eq!(
            pauses(&timeline, day, today),
            vec![
                Pause { from: date!(2026 - 03 - 04), to: date!(2026 - 03 - 06) },
                Pause { from: date!(2026 - 03 - 09), to: today },
            ]
        );
        assert!(pauses(&timeline[..2], day, today).is_empty());
    }

    #[test]
    fn parses_the_stored_days() {
        assert_eq!(parse_day("2026-03-18"), Some(date!(2026 - 03 - 18)));
        assert_eq!(parse_day("18/03/2026"), None);
    }
}
