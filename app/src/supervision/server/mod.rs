//! Supervision on the server: the time-limit standing of cases in a scope, the dashboard's
//! figures for a period, and the CSV exports.

pub mod csv;
pub mod db;

use super::ledger::LedgerState;
use super::time_limit::{parse_day, pauses, standing, Standing, Urgency};
use super::{Breakdown, Dashboard, LedgerLine, OverdueCase, Period};
use crate::accounts::CaseScope;
use crate::applications::server::beijing_day;
use crate::catalogue::calendar::WorkCalendar;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::platform::{AppContext, Db};
use db::Timelines;
use std::collections::{BTreeMap, HashMap};
use time::Date;

/// The standings of `cases` (id, submitted at, promised day, the day to weigh them on), their
/// pauses read from the timelines `which` selects (cases whose clock never stopped have none).
pub async fn standings(
    db: &Db,
    scope: &CaseScope,
    calendar: &WorkCalendar,
    which: Timelines,
    cases: &[(i64, i64, Option<&str>, Date)],
) -> Result<HashMap<i64, Standing>, AppError> {
    let mut timelines: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (id, at, entry) in db::paused_timelines(db, scope, which).await? {
        timelines.entry(id).or_default().push((at, entry));
    }
    Ok(cases
        .iter()
        .filter_map(|(id, submitted_at, due, on)| {
            let due = parse_day((*due)?)?;
            let timeline = timelines.get(id).map(Vec::as_slice).unwrap_or_default();
            let paused = pauses(timeline, beijing_day, *on);
            Some((*id, standing(calendar, beijing_day(*submitted_at), due, &paused, *on)))
        })
        .collect())
}

/// The open cases of the scope past their promised limit, the longest overdue first.
pub async fn overdue_cases(
    ctx: &AppContext,
    scope: &CaseScope,
    calendar: &WorkCalendar,
) -> Result<Vec<(db::CaseRow, Standing)>, AppError> {
    let today = beijing_day(ctx.clock.now());
    let open = db::open_cases(&ctx.db, scope).await?;
    let keys: Vec<_> = open.iter().map(|c| (c.id, c.submitted_at, c.promised_due.as_deref(), today)).collect();
    let standings = standings(&ctx.db, scope, calendar, Timelines::Open, &keys).await?;
    let mut overdue: Vec<_> = open
        .into_iter()
        .filter_map(|c| standings.get(&c.id).filter(|s| s.urgency == Some(Urgency::Overdue)).map(|s| (c, *s)))
        .collect();
    overdue.sort_by_key(|(c, s)| (s.due, c.id));
    Ok(overdue)
}

/// `[from, to)` of a period ending now, in Unix seconds; months and years start at midnight in
/// Beijing.
pub fn period_range(period: Period, now: i64) -> (i64, i64) {
    let today = beijing_day(now);
    let midnight = |day: Date| day.midnight().assume_utc().unix_timestamp() - 8 * 3600;
    let from = match period {
        Period::Last30Days => now - 30 * 86_400,
        Period::ThisMonth => midnight(today.replace_day(1).unwrap_or(today)),
        Period::ThisYear => midnight(Date::from_ordinal_date(today.year(), 1).unwrap_or(today)),
    };
    (from, now + 1)
}

/// Figures of one department or service while they are added up.
#[derive(Default)]
struct Tally {
    received: i64,
    accepted: i64,
    completed: i64,
    on_time: i64,
    days: u64,
    ratings: [i64; 5],
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.received += other.received;
        self.accepted += other.accepted;
        self.completed += other.completed;
        self.on_time += other.on_time;
        self.days += other.days;
        for (a, b) in self.ratings.iter_mut().zip(other.ratings) {
            *a += b;
        }
    }

    fn breakdown(&self, name: String) -> Breakdown {
        Breakdown {
            name,
            received: self.received,
            accepted: self.accepted,
            completed: self.completed,
            on_time: self.on_time,
            average_days: (self.completed > 0).then(|| self.days as f64 / self.completed as f64),
            ratings: self.ratings,
        }
    }
}

/// The dashboard of `scope` for `period`, names in `locale`.
pub async fn dashboard(
    ctx: &AppContext,
    scope: &CaseScope,
    period: Period,
    locale: Locale,
) -> Result<Dashboard, AppError> {
    let now = ctx.clock.now();
    let (from, to) = period_range(period, now);
    let calendar = crate::catalogue::server::work_calendar(&ctx.db).await?;
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for (department, item, n) in db::received(&ctx.db, scope, from, to).await? {
        tallies.entry((department, item)).or_default().received += n;
    }
    for (department, item, n) in db::accepted(&ctx.db, scope, from, to).await? {
        tallies.entry((department, item)).or_default().accepted += n;
    }
    let completed = db::completed(&ctx.db, scope, from, to).await?;
    let keys: Vec<_> = completed
        .iter()
        .map(|c| (c.id, c.submitted_at, c.promised_due.as_deref(), beijing_day(c.closed_at.unwrap_or(now))))
        .collect();
    let standings = standings(&ctx.db, scope, &calendar, Timelines::CompletedBetween(from, to), &keys).await?;
    for c in &completed {
        let tally = tallies.entry((c.department_code.clone(), c.item_code.clone())).or_default();
        tally.completed += 1;
        if let Some(s) = standings.get(&c.id) {
            tally.days += u64::from(s.used_days);
            tally.on_time += i64::from(s.urgency != Some(Urgency::Overdue));
        } else {
            tally.on_time += 1;
        }
    }
    for (department, item, level, n) in db::ratings(&ctx.db, scope, from, to).await? {
        if let Some(slot) = usize::try_from(level - 1).ok().filter(|i| *i < 5) {
            tallies.entry((department, item)).or_default().ratings[slot] += n;
        }
    }
    let departments: HashMap<String, String> = crate::departments::server::db::list(&ctx.db)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), d.name.get(locale).to_owned()))
        .collect();
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let service_name =
        |code: &str| snapshot.item(code).map_or(code.to_owned(), |i| i.content.name.get(locale).to_owned());
    let department_name = |code: &str| departments.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let mut total = Tally::default();
    let mut per_department: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_service = Vec::new();
    for ((department, item), tally) in &tallies {
        total.add(tally);
        per_department.entry(department.clone()).or_default().add(tally);
        by_service.push(tally.breakdown(format!("{} · {}", service_name(item), department_name(department))));
    }
    let by_department = per_department.iter().map(|(code, t)| t.breakdown(department_name(code))).collect();
    let overdue = overdue_cases(ctx, scope, &calendar)
        .await?
        .into_iter()
        .map(|(c, s)| OverdueCase {
            number: c.number,
            service: service_name(&c.item_code),
            holder: c.holder,
            due: crate::applications::server::iso_day(s.due),
            used_days: s.used_days,
            promised_days: s.promised_days,
        })
        .collect();
    let department = match scope {
        CaseScope::Department(code) => department_name(code),
        CaseScope::City => String::new(),
    };
    Ok(Dashboard {
        city: matches!(scope, CaseScope::City),
        department,
        period,
        total: total.breakdown(String::new()),
        by_department,
        by_service,
        overdue,
        ledger: db::open_ledger(&ctx.db, scope)
            .await?
            .into_iter()
            .map(|row| ledger_line(row, beijing_day(now), &service_name))
            .collect(),
        exports: Vec::new(),
    })
}

/// A ledger row as lists show it: overdue once its day has passed unreviewed.
pub fn ledger_line(row: db::LedgerRow, today: Date, service_name: &dyn Fn(&str) -> String) -> LedgerLine {
    let state = LedgerState::from_code(&row.state).unwrap_or(LedgerState::ToVerify);
    LedgerLine {
        overdue: !state.is_closed() && parse_day(&row.due).is_some_and(|due| due < today),
        id: row.id,
        service: service_name(&row.item_code),
        number: row.number,
        level: row.level,
        state,
        due: row.due,
        responsible: row.responsible,
    }
}

/// The figures CSV of `scope` for `period`: one line per service, no personal data.
pub async fn figures_csv(
    ctx: &AppContext,
    scope: &CaseScope,
    period: Period,
    locale: Locale,
) -> Result<Vec<u8>, AppError> {
    let x = super::text::Text::of(locale);
    let d = dashboard(ctx, scope, period, locale).await?;
    let header = [
        x.csv_service,
        x.received,
        x.accepted,
        x.completed,
        x.csv_on_time,
        x.average_days,
        x.rating_1,
        x.rating_2,
        x.rating_3,
        x.rating_4,
        x.rating_5,
    ];
    let rows: Vec<Vec<String>> = d
        .by_service
        .iter()
        .map(|b| {
            let mut cells = vec![
                b.name.clone(),
                b.received.to_string(),
                b.accepted.to_string(),
                b.completed.to_string(),
                b.on_time.to_string(),
                b.average_days.map(|d| format!("{d:.1}")).unwrap_or_default(),
            ];
            cells.extend(b.ratings.iter().map(i64::to_string));
            cells
        })
        .collect();
    Ok(csv::document(&header, &rows))
}

/// The case list of `scope` for `period` (applicants' names and masked ID numbers) as CSV, with
/// its number of rows.
async fn case_list_csv(
    ctx: &AppContext,
    scope: &CaseScope,
    period: Period,
    locale: Locale,
) -> Result<(Vec<u8>, i64), AppError> {
    let x = super::text::Text::of(locale);
    let status_text = crate::applications::text::Text::of(locale);
    let (from, to) = period_range(period, ctx.clock.now());
    let cases = db::case_list(&ctx.db, scope, from, to).await?;
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let header = [
        x.csv_number,
        x.csv_service,
        x.csv_department,
        x.csv_status,
        x.csv_submitted,
        x.csv_closed,
        x.csv_promised,
        x.csv_applicant,
        x.csv_applicant_id,
    ];
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            let status = crate::applications::model::Status::from_code(&c.status);
            vec![
                c.number.clone(),
                snapshot.item(&c.item_code).map_or(c.item_code.clone(), |i| i.content.name.get(locale).to_owned()),
                c.department_code.clone(),
                status.map_or(c.status.clone(), |s| status_text.status_label(s).to_owned()),
                crate::i18n::format_beijing_time(c.submitted_at),
                c.closed_at.map(crate::i18n::format_beijing_time).unwrap_or_default(),
                c.promised_due.clone().unwrap_or_default(),
                c.applicant.clone(),
                c.applicant_id_masked.clone(),
            ]
        })
        .collect();
    Ok((csv::document(&header, &rows), i64::try_from(rows.len()).unwrap_or(i64::MAX)))
}

/// The one download of an approved case-list export by the supervisor who asked for it, within
/// a day of the approval; marked and logged with its row count. `None` (the refusal logged) for
/// anything else: someone else's request, not approved, expired, downloaded, another scope.
pub async fn download_case_list(
    ctx: &AppContext,
    staff_id: i64,
    scope: &CaseScope,
    id: i64,
    locale: Locale,
    log: &crate::accounts::server::staff::StaffEvent<'_>,
) -> Result<Option<Vec<u8>>, AppError> {
    let approved_after = ctx.clock.now() - super::api::APPROVAL_VALID_SECS;
    let Some(period) = db::downloadable_export(&ctx.db, scope, id, staff_id, approved_after).await? else {
        db::refuse_download(&ctx.db, id, log).await?;
        return Ok(None);
    };
    let (bytes, rows) = case_list_csv(ctx, scope, Period::from_code(&period).unwrap_or_default(), locale).await?;
    Ok(db::mark_downloaded(&ctx.db, id, rows, log).await?.then_some(bytes))
}

/// The hour (Beijing time) from which the day's digests go out: the start of the working day.
pub const DIGEST_HOUR: i64 = 8;

/// The daily digest: each active supervisor with an email address is mailed, at most once a
/// Beijing day and not before `DIGEST_HOUR`, the overdue cases and overdue 差评 ledger entries of
/// their scope; nothing is sent (or recorded) when there are none. Meant to run every hour, so a
/// restart does not skip a day. Returns how many digests were queued.
pub async fn send_daily_digests(ctx: &AppContext) -> Result<usize, AppError> {
    let now = ctx.clock.now();
    if (now + 8 * 3600).rem_euclid(86_400) < DIGEST_HOUR * 3600 {
        return Ok(0);
    }
    let today = beijing_day(now);
    let day = crate::applications::server::iso_day(today);
    let recipients = db::digest_recipients(&ctx.db, &day).await?;
    if recipients.is_empty() {
        return Ok(0);
    }
    let calendar = crate::catalogue::server::work_calendar(&ctx.db).await?;
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let service_name = |code: &str| snapshot.item(code).map_or(code.to_owned(), |i| i.content.name.zh.clone());
    let mut queued = 0;
    for r in recipients {
        let scope = match r.department_code.clone() {
            Some(code) => CaseScope::Department(code),
            None => CaseScope::City,
        };
        let cases = overdue_cases(ctx, &scope, &calendar).await?;
        let entries: Vec<LedgerLine> = db::open_ledger(&ctx.db, &scope)
            .await?
            .into_iter()
            .map(|row| ledger_line(row, today, &service_name))
            .filter(|l| l.overdue)
            .collect();
        if cases.is_empty() && entries.is_empty() {
            continue;
        }
        let (subject, body) = digest_mail(&day, &ctx.public_origin, &cases, &entries, &service_name);
        let digest = db::Digest {
            staff_id: r.id,
            day: &day,
            now,
            cases: i64::try_from(cases.len()).unwrap_or(i64::MAX),
            entries: i64::try_from(entries.len()).unwrap_or(i64::MAX),
            email: &r.email,
            subject: &subject,
            body: &body,
        };
        if db::queue_digest(&ctx.db, &digest).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The digest's plain-text mail, in Chinese and English (staff's language is not known outside a
/// request): each overdue case with its service, moved promised day and days used, each overdue
/// ledger entry with its deadline, and the dashboard's address.
fn digest_mail(
    day: &str,
    origin: &str,
    cases: &[(db::CaseRow, Standing)],
    entries: &[LedgerLine],
    service_name: &dyn Fn(&str) -> String,
) -> (String, String) {
    let subject = format!(
        "【督办】{day} 超期办件 {} 件、逾期差评 {} 条 / Supervision {day}: {} overdue cases, {} overdue poor ratings",
        cases.len(),
        entries.len(),
        cases.len(),
        entries.len()
    );
    let mut body =
        String::from("您好：\n\n以下事项已超过期限，请及时督办。The following are past their deadlines.\n\n");
    if !cases.is_empty() {
        body.push_str("超期办件 Overdue cases:\n");
        for (c, s) in cases {
            body.push_str(&format!(
                "- {} {}：期限 {}，已用 {}/{} 个工作日 (due {}, {} of {} working days used) {origin}/staff/cases/{}\n",
                c.number,
                service_name(&c.item_code),
                crate::applications::server::iso_day(s.due),
                s.used_days,
                s.promised_days,
                crate::applications::server::iso_day(s.due),
                s.used_days,
                s.promised_days,
                c.number
            ));
        }
        body.push('\n');
    }
    if !entries.is_empty() {
        body.push_str("逾期差评 Overdue poor ratings:\n");
        for l in entries {
            body.push_str(&format!(
                "- {} {}：整改期限 {} (due {}) {origin}/staff/supervision/ratings/{}\n",
                l.number, l.service, l.due, l.due, l.id
            ));
        }
        body.push('\n');
    }
    body.push_str(&format!(
        "督办监督 Supervision: {origin}/staff/supervision\n\n本邮件由系统自动发送，请勿回复。This message was sent automatically; please do not reply.\n"
    ));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_at_midnight_in_beijing() {
        // 2026-12-03 22:00 Beijing = 14:00 UTC.
        let now = 1_796_306_400;
        assert_eq!(beijing_day(now), time::macros::date!(2026 - 12 - 03));
        let (from, to) = period_range(Period::ThisMonth, now);
        assert_eq!(to, now + 1);
        assert_eq!(from, 1_796_083_200 - 8 * 3600, "1 December 00:00 Beijing");
        assert_eq!(period_range(Period::Last30Days, now).0, now - 30 * 86_400);
        let (from, _) = period_range(Period::ThisYear, now);
        assert_eq!(beijing_day(from), time::macros::date!(2026 - 01 - 01));
        assert_eq!(beijing_day(from - 1), time::macros::date!(2025 - 12 - 31));
    }
}
