//! Tiered gas prices (阶梯气价) and the bill arithmetic of the gas company, exact to the fen.
//!
//! Volumes are whole litres (a meter reads to 0.001 m³), prices ten-thousandths of a yuan per m³
//! and money fen, all integers, so nothing is lost to binary fractions. A bill period is split
//! where the tier year starts again and where a new tariff version takes effect; the volume goes
//! to the parts in proportion to their days (the remainder to the last part, so the parts add up
//! to the meter's volume exactly), and each part climbs the tiers from the year's use before it.
//! Each line is rounded half up to the fen (四舍五入), as the bill prints it.

pub use super::contract::GasClass;
use std::fmt;
use time::{Date, Month};

/// Litres of gas (1 m³ = 1000 L).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Litres(pub i64);

impl Litres {
    pub const fn from_m3(m3: i64) -> Litres {
        Litres(m3 * 1000)
    }
}

/// Shown as m³ with up to three decimals ("12.5", "300").
impl fmt::Display for Litres {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, part) = (self.0 / 1000, (self.0 % 1000).abs());
        if part == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{part:03}");
            write!(f, "{}{whole}.{}", if self.0 < 0 && whole == 0 { "-" } else { "" }, digits.trim_end_matches('0'))
        }
    }
}

/// Money in fen (0.01 元).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Fen(pub i64);

/// Shown as yuan with two decimals ("1234.50").
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

/// A unit price in ten-thousandths of a yuan per m³ (2.61 元/m³ = 26100).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnitPrice(pub i64);

/// Shown as yuan per m³ with two to four decimals ("2.61", "2.6125").
impl fmt::Display for UnitPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = format!("{:04}", self.0 % 10_000);
        let trimmed = part.trim_end_matches('0');
        let shown = if trimmed.len() < 2 { &part[..2] } else { trimmed };
        write!(f, "{}.{shown}", self.0 / 10_000)
    }
}

/// What `volume` costs at `price`, rounded half up to the fen.
pub fn cost(volume: Litres, price: UnitPrice) -> Fen {
    // litres × (元/10⁴ per m³) = 10⁻⁷ 元; a fen is 10⁵ of those.
    let tenth_millionths = i128::from(volume.0) * i128::from(price.0);
    let fen = (tenth_millionths + 50_000) / 100_000;
    Fen(i64::try_from(fen).expect("a household's gas bill fits in i64 fen"))
}

/// One step of the price ladder: the price up to `up_to` litres of the tier year (the last tier
/// has no limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub up_to: Option<Litres>,
    pub price: UnitPrice,
}

/// The ladder of one customer class from a day on, until the next version of the same class.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TariffVersion {
    pub class: GasClass,
    pub effective_from: Date,
    pub tiers: Vec<Tier>,
    /// Households of more people than this get `extra_per_person` more of every tier limit per
    /// further person (the 多人口 allowance).
    pub base_household: u8,
    pub extra_per_person: Litres,
}

impl TariffVersion {
    /// The tier limits for a household of `people`.
    fn limits(&self, people: u8) -> Vec<(Option<Litres>, UnitPrice)> {
        let extra = i64::from(people.saturating_sub(self.base_household)) * self.extra_per_person.0;
        self.tiers.iter().map(|t| (t.up_to.map(|l| Litres(l.0 + extra)), t.price)).collect()
    }
}

/// Every version of every class, and the day the tier year starts again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tariffs {
    pub versions: Vec<TariffVersion>,
    /// The tier year's first day as month and day (1 January for most cities).
    pub year_starts: (Month, u8),
}

/// What a tariff table cannot be used for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TariffError {
    NoVersion { class: GasClass, day: Date },
    BadPeriod,
}

impl Tariffs {
    /// The version of `class` in force on `day`.
    pub fn version_on(&self, class: GasClass, day: Date) -> Result<&TariffVersion, TariffError> {
        self.versions
            .iter()
            .filter(|v| v.class == class && v.effective_from <= day)
            .max_by_key(|v| v.effective_from)
            .ok_or(TariffError::NoVersion { class, day })
    }

    /// The first day of the tier year `day` belongs to.
    pub fn year_start(&self, day: Date) -> Date {
        let (month, dom) = self.year_starts;
        let this_year = Date::from_calendar_date(day.year(), month, dom).expect("a valid tier-year start");
        if this_year <= day {
            this_year
        } else {
            Date::from_calendar_date(day.year() - 1, month, dom).expect("a valid tier-year start")
        }
    }

    fn next_year_start(&self, day: Date) -> Date {
        let (month, dom) = self.year_starts;
        let start = self.year_start(day);
        Date::from_calendar_date(start.year() + 1, month, dom).expect("a valid tier-year start")
    }
}

/// One priced line of a bill: a volume in one tier under one tariff version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillLine {
    /// 1-based tier number.
    pub tier: u8,
    pub from: Date,
    /// The last day (inclusive) this line covers.
    pub to: Date,
    pub volume: Litres,
    pub price: UnitPrice,
    pub amount: Fen,
}

/// The priced bill of one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedBill {
    pub lines: Vec<BillLine>,
    pub volume: Litres,
    pub amount: Fen,
    /// The tier year's use after this bill (of the year the period ends in).
    pub year_used_after: Litres,
}

/// The meter's use over `from..=to` (whole days) for a household: `used_before` is the tier
/// year's use before `from`.
pub struct Usage {
    pub class: GasClass,
    pub people: u8,
    pub from: Date,
    pub to: Date,
    pub volume: Litres,
    pub used_before: Litres,
}

/// Prices one period's use (see the module comment).
pub fn price(tariffs: &Tariffs, usage: &Usage) -> Result<PricedBill, TariffError> {
    if usage.to < usage.from || usage.volume.0 < 0 || usage.used_before.0 < 0 {
        return Err(TariffError::BadPeriod);
    }
    // The parts: cut where a tier year starts and where a version of the class takes effect.
    let mut cuts = vec![usage.from];
    let mut day = usage.from;
    while tariffs.next_year_start(day) <= usage.to {
        day = tariffs.next_year_start(day);
        cuts.push(day);
    }
    for v in tariffs.versions.iter().filter(|v| v.class == usage.class) {
        if v.effective_from > usage.from && v.effective_from <= usage.to {
            cuts.push(v.effective_from);
        }
    }
    cuts.sort();
    cuts.dedup();
    let total_days = (usage.to - usage.from).whole_days() + 1;
    let mut lines = Vec::new();
    let mut allocated = 0i64;
    let mut year_used = usage.used_before;
    let mut year = tariffs.year_start(usage.from);
    for (i, start) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).map(|next| next.previous_day().expect("a day before")).unwrap_or(usage.to);
        let days = (end - *start).whole_days() + 1;
        let volume = if i + 1 == cuts.len() {
            usage.volume.0 - allocated
        } else {
            // Rounded to the litre; the last part takes what is left.
            let share = (i128::from(usage.volume.0) * i128::from(days) * 2 + i128::from(total_days))
                / (2 * i128::from(total_days));
            i64::try_from(share).expect("a part of an i64 volume")
        };
        allocated += volume;
        if tariffs.year_start(*start) != year {
            year = tariffs.year_start(*start);
            year_used = Litres(0);
        }
        let version = tariffs.version_on(usage.class, *start)?;
        let mut left = volume;
        for (n, (limit, price)) in version.limits(usage.people).into_iter().enumerate() {
            if left == 0 {
                break;
            }
            let room = match limit {
                Some(limit) => (limit.0 - year_used.0).max(0),
                None => i64::MAX,
            };
            let here = left.min(room);
            if here == 0 {
                continue;
            }
            lines.push(BillLine {
                tier: u8::try_from(n + 1).unwrap_or(u8::MAX),
                from: *start,
                to: end,
                volume: Litres(here),
                price,
                amount: cost(Litres(here), price),
            });
            year_used = Litres(year_used.0 + here);
            left -= here;
        }
    }
    let amount = Fen(lines.iter().map(|l| l.amount.0).sum());
    Ok(PricedBill { lines, volume: usage.volume, amount, year_used_after: year_used })
}

/// Where a household stands on this tier year's ladder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierProgress {
    /// 1-based tier the next litre is priced in.
    pub tier: u8,
    pub used: Litres,
    /// Each tier's limit for this household (the last is open).
    pub limits: Vec<(Option<Litres>, UnitPrice)>,
    /// How much more until the next tier, if there is one.
    pub to_next: Option<Litres>,
}

/// The ladder position after `used` litres of the tier year that contains `day`.
pub fn progress(
    tariffs: &Tariffs,
    class: GasClass,
    people: u8,
    day: Date,
    used: Litres,
) -> Result<TierProgress, TariffError> {
    let limits = tariffs.version_on(class, day)?.limits(people);
    let index = limits.iter().position(|(limit, _)| limit.is_none_or(|l| used < l)).unwrap_or(limits.len() - 1);
    let to_next = limits[index].0.map(|l| Litres(l.0 - used.0));
    Ok(TierProgress { tier: u8::try_from(index + 1).unwrap_or(u8::MAX), used, limits, to_next })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// A ladder like the example tables (2.61 / 2.83 / 4.23 元 at 350 and 500 m³), one price
    /// change on 21 March 2026, the tier year from 1 January.
    fn tariffs() -> Tariffs {
        let ladder = |from, p1, p2, p3| TariffVersion {
            class: GasClass::Cooking,
            effective_from: from,
            tiers: vec![
                Tier { up_to: Some(Litres::from_m3(350)), price: UnitPrice(p1) },
                Tier { up_to: Some(Litres::from_m3(500)), price: UnitPrice(p2) },
                Tier { up_to: None, price: UnitPrice(p3) },
            ],
            base_household: 4,
            extra_per_person: Litres::from_m3(50),
        };
        Tariffs {
            versions: vec![
                ladder(date!(2020 - 01 - 01), 26100, 28300, 42300),
                ladder(date!(2026 - 03 - 21), 29000, 31500, 46000),
            ],
            year_starts: (Month::January, 1),
        }
    }

    fn usage(from: Date, to: Date, m3: i64, before_m3: i64) -> Usage {
        Usage {
            class: GasClass::Cooking,
            people: 3,
            from,
            to,
            volume: Litres::from_m3(m3),
            used_before: Litres::from_m3(before_m3),
        }
    }

    fn amounts(bill: &PricedBill) -> Vec<(u8, i64, i64)> {
        bill.lines.iter().map(|l| (l.tier, l.volume.0, l.amount.0)).collect()
    }

    #[test]
    fn a_line_is_rounded_half_up_to_the_fen() {
        // 7.3 m³ × 2.61 = 19.053 → 19.05; 0.5 m³ × 2.61 = 1.305 → 1.31 (not banker's 1.30).
        assert_eq!(cost(Litres(7300), UnitPrice(26100)), Fen(1905));
        assert_eq!(cost(Litres(500), UnitPrice(26100)), Fen(131));
        assert_eq!(cost(Litres(0), UnitPrice(26100)), Fen(0));
        // 1 L × 2.6125 = 0.0026125 元 → 0.00.
        assert_eq!(cost(Litres(1), UnitPrice(26125)), Fen(0));
    }

    #[test]
    fn use_within_the_first_tier_is_one_line() {
        let bill = price(&tariffs(), &usage(date!(2025 - 05 - 01), date!(2025 - 05 - 31), 30, 100)).expect("priced");
        assert_eq!(amounts(&bill), vec![(1, 30_000, 7830)]); // 30 × 2.61 = 78.30
        assert_eq!(bill.amount, Fen(7830));
        assert_eq!(bill.year_used_after, Litres::from_m3(130));
    }

    #[test]
    fn use_that_crosses_a_tier_limit_is_split_there() {
        // 340 m³ used: 10 more at 2.61 = 26.10, 10 at 2.83 = 28.30, total 54.40.
        let bill = price(&tariffs(), &usage(date!(2025 - 11 - 01), date!(2025 - 11 - 30), 20, 340)).expect("priced");
        assert_eq!(amounts(&bill), vec![(1, 10_000, 2610), (2, 10_000, 2830)]);
        assert_eq!(bill.amount, Fen(5440));
    }

    #[test]
    fn a_period_over_new_year_starts_the_ladder_again_on_the_first() {
        // 16 Dec – 15 Jan is 31 days: 16 in December (62 × 16/31 = 32 m³ at tier 2, the year
        // having used 355) and 15 in January (30 m³ from zero at tier 1).
        let bill = price(&tariffs(), &usage(date!(2025 - 12 - 16), date!(2026 - 01 - 15), 62, 355)).expect("priced");
        assert_eq!(amounts(&bill), vec![(2, 32_000, 9056), (1, 30_000, 7830)]); // 32 × 2.83, 30 × 2.61
        assert_eq!(bill.amount, Fen(16886));
        assert_eq!(bill.lines[0].to, date!(2025 - 12 - 31));
        assert_eq!(bill.lines[1].from, date!(2026 - 01 - 01));
        assert_eq!(bill.year_used_after, Litres::from_m3(30));
    }

    #[test]
    fn a_price_change_inside_the_period_splits_the_volume_by_days() {
        // March: 20 days before the change, 11 after; 31 m³ → 20 at 2.61 = 52.20, 11 at 2.90 = 31.90.
        let bill = price(&tariffs(), &usage(date!(2026 - 03 - 01), date!(2026 - 03 - 31), 31, 50)).expect("priced");
        assert_eq!(amounts(&bill), vec![(1, 20_000, 5220), (1, 11_000, 3190)]);
        assert_eq!(bill.amount, Fen(8410));
        assert_eq!(bill.lines[1].from, date!(2026 - 03 - 21));
    }

    #[test]
    fn a_price_change_and_a_tier_limit_in_one_period() {
        // 345 m³ used; 1–31 March 2026 with 15.5 m³: 20/31 of it (10.000 m³) before the change:
        // 5 at 2.61 = 13.05 and 5 at 2.83 = 14.15; the rest (5.5 m³) at the new tier-2 price
        // 3.15 = 17.325 → 17.33. Total 44.53.
        let mut u = usage(date!(2026 - 03 - 01), date!(2026 - 03 - 31), 0, 345);
        u.volume = Litres(15_500);
        let bill = price(&tariffs(), &u).expect("priced");
        assert_eq!(amounts(&bill), vec![(1, 5_000, 1305), (2, 5_000, 1415), (2, 5_500, 1733)]);
        assert_eq!(bill.amount, Fen(4453));
    }

    #[test]
    fn the_parts_add_up_to_the_meter_exactly() {
        // 10.001 m³ over 31 December – 2 January: one day of three in the old year is 3333.67 L,
        // rounded to 3334; January takes the other 6667.
        let t = tariffs();
        let mut u = usage(date!(2025 - 12 - 31), date!(2026 - 01 - 02), 0, 0);
        u.volume = Litres(10_001);
        let bill = price(&t, &u).expect("priced");
        assert_eq!(bill.lines.iter().map(|l| l.volume.0).sum::<i64>(), 10_001);
        assert_eq!(bill.lines[0].volume, Litres(3334)); // 10001 × 1/3 = 3333.67 → 3334
    }

    #[test]
    fn a_larger_household_gets_more_of_each_tier() {
        // Six people: two above four, 2 × 50 m³ more per limit: tier 1 up to 450 m³.
        let mut u = usage(date!(2025 - 11 - 01), date!(2025 - 11 - 30), 20, 420);
        u.people = 6;
        let bill = price(&tariffs(), &u).expect("priced");
        assert_eq!(amounts(&bill), vec![(1, 20_000, 5220)]);
        let p =
            progress(&tariffs(), GasClass::Cooking, 6, date!(2025 - 11 - 30), bill.year_used_after).expect("progress");
        assert_eq!((p.tier, p.to_next), (1, Some(Litres::from_m3(10))));
    }

    #[test]
    fn progress_names_the_tier_and_what_is_left_of_it() {
        let t = tariffs();
        let at = |m3| progress(&t, GasClass::Cooking, 3, date!(2025 - 06 - 01), Litres::from_m3(m3)).expect("progress");
        assert_eq!((at(0).tier, at(0).to_next), (1, Some(Litres::from_m3(350))));
        assert_eq!((at(350).tier, at(350).to_next), (2, Some(Litres::from_m3(150))));
        assert_eq!((at(600).tier, at(600).to_next), (3, None));
    }

    #[test]
    fn the_tier_year_may_start_on_another_day() {
        let t = Tariffs { year_starts: (Month::November, 1), ..tariffs() };
        assert_eq!(t.year_start(date!(2026 - 02 - 10)), date!(2025 - 11 - 01));
        assert_eq!(t.year_start(date!(2026 - 11 - 01)), date!(2026 - 11 - 01));
        // 20–31 October and 1–10 November 2025: 12 and 10 of 22 days.
        let bill = price(&t, &usage(date!(2025 - 10 - 20), date!(2025 - 11 - 10), 22, 400)).expect("priced");
        assert_eq!(amounts(&bill), vec![(2, 12_000, 3396), (1, 10_000, 2610)]);
    }

    #[test]
    fn no_version_yet_and_backwards_periods_are_errors() {
        let t = tariffs();
        assert!(matches!(
            price(&t, &usage(date!(2019 - 05 - 01), date!(2019 - 05 - 31), 1, 0)),
            Err(TariffError::NoVersion { .. })
        ));
        assert_eq!(price(&t, &usage(date!(2025 - 05 - 31), date!(2025 - 05 - 01), 1, 0)), Err(TariffError::BadPeriod));
    }

    #[test]
    fn amounts_and_volumes_read_as_on_a_bill() {
        assert_eq!(Fen(123450).to_string(), "1234.50");
        assert_eq!(Fen(-5).to_string(), "-0.05");
        assert_eq!(Litres(12_500).to_string(), "12.5");
        assert_eq!(Litres(300_000).to_string(), "300");
        assert_eq!(Litres(1).to_string(), "0.001");
        assert_eq!(UnitPrice(26100).to_string(), "2.61");
        assert_eq!(UnitPrice(26125).to_string(), "2.6125");
        assert_eq!(UnitPrice(30000).to_string(), "3.00");
    }
}
