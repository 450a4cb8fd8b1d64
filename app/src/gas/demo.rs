//! The demo gas company: accounts for a share of the demo registers' households (so an account's
//! address is a household's registered address and its holder the head of that household), a
//! published-style price table from the city profile (marked as demonstration values), and two
//! years of monthly readings with a winter peak, priced by [`super::tariff`]. Deterministic for a
//! profile, a register data set and a month.

use super::contract::*;
use super::tariff::{self, Litres, TariffVersion, Tariffs, Tier, UnitPrice, Usage};
use crate::registers::contract::Relation;
use crate::registers::demo::rng::Rng;
use crate::registers::demo::DemoRegisters;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use time::{Date, Duration, Month};

/// Bumped whenever the generator's output for the same inputs changes.
const GENERATOR_VERSION: u32 = 2;

/// Monthly shares of a year's use (January first), each set adding up to 12: cooking and hot
/// water rise in winter; heating is nearly all of November to March.
const COOKING_MONTHS: [f64; 12] = [1.35, 1.3, 1.15, 1.0, 0.85, 0.75, 0.7, 0.7, 0.8, 0.95, 1.15, 1.3];
const HEATING_MONTHS: [f64; 12] = [2.6, 2.3, 1.5, 0.5, 0.2, 0.15, 0.15, 0.15, 0.2, 0.6, 1.6, 2.05];

/// The `[gas]` section of a city profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GasProfile {
    pub company: crate::site::Bilingual,
    /// Share of the registers' households with a gas account, and of those, heating ones.
    pub share: f64,
    pub heating_share: f64,
    /// Months of bills to generate.
    pub months: u32,
    /// `MM-DD`.
    pub tier_year_starts: String,
    /// Whether the prices are demonstration values (shown as such).
    #[serde(default = "yes")]
    pub demo_prices: bool,
    pub tariffs: Vec<TariffProfile>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TariffProfile {
    pub class: GasClass,
    pub effective_from: String,
    pub base_household: u8,
    pub extra_per_person_m3: i64,
    pub tiers: Vec<TierProfile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierProfile {
    pub up_to_m3: Option<i64>,
    /// 元 per m³ as written, e.g. "2.64".
    pub price: String,
}

/// What the demo company holds.
pub struct DemoGas {
    pub fingerprint: String,
    pub table: TariffTable,
    pub accounts: Vec<GasAccount>,
    /// (account number, bill), oldest first per account.
    pub bills: Vec<(String, Bill)>,
}

pub use crate::platform::time::{day_text, parse_day};

/// "2.64" → 26400 ten-thousandths of a yuan.
pub fn parse_price(text: &str) -> Option<UnitPrice> {
    let (whole, part) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || part.len() > 4 || !whole.bytes().chain(part.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let part: i64 = format!("{part:0<4}").parse().ok()?;
    Some(UnitPrice(whole * 10_000 + part))
}

/// The profile's price table as the arithmetic uses it and as the company publishes it.
pub fn tariffs(profile: &GasProfile) -> Result<(Tariffs, TariffTable), String> {
    let (month, day) = profile
        .tier_year_starts
        .split_once('-')
        .and_then(|(m, d)| Some((Month::try_from(m.parse::<u8>().ok()?).ok()?, d.parse::<u8>().ok()?)))
        .filter(|(m, d)| Date::from_calendar_date(2001, *m, *d).is_ok())
        .ok_or("gas.tier_year_starts is not MM-DD")?;
    let mut versions = Vec::new();
    for t in &profile.tariffs {
        let effective_from = parse_day(&t.effective_from).ok_or("gas.tariffs: effective_from is not a date")?;
        let mut tiers = Vec::new();
        for tier in &t.tiers {
            let price =
                parse_price(&tier.price).ok_or_else(|| format!("gas.tariffs: {} is not a price", tier.price))?;
            tiers.push(Tier { up_to: tier.up_to_m3.map(Litres::from_m3), price });
        }
        if tiers.last().is_none_or(|t| t.up_to.is_some()) {
            return Err("gas.tariffs: the last tier must have no limit".into());
        }
        versions.push(TariffVersion {
            class: t.class,
            effective_from,
            tiers,
            base_household: t.base_household,
            extra_per_person: Litres::from_m3(t.extra_per_person_m3),
        });
    }
    let table = TariffTable {
        company: profile.company.clone(),
        versions: versions.iter().map(published).collect(),
        tier_year_starts: profile.tier_year_starts.clone(),
        demo: profile.demo_prices,
    };
    Ok((Tariffs { versions, year_starts: (month, day) }, table))
}

pub fn published(v: &TariffVersion) -> PublishedTariff {
    PublishedTariff {
        class: v.class,
        effective_from: day_text(v.effective_from),
        tiers: v.tiers.iter().map(|t| PublishedTier { up_to: t.up_to.map(|l| l.0), unit_price: t.price.0 }).collect(),
        base_household: v.base_household,
        extra_per_person: v.extra_per_person.0,
    }
}

/// The arithmetic's tariffs from a published table.
pub fn from_published(table: &TariffTable) -> Option<Tariffs> {
    let (m, d) = table.tier_year_starts.split_once('-')?;
    let year_starts = (Month::try_from(m.parse::<u8>().ok()?).ok()?, d.parse().ok()?);
    let versions = table
        .versions
        .iter()
        .map(|v| {
            Some(TariffVersion {
                class: v.class,
                effective_from: parse_day(&v.effective_from)?,
                tiers: v
                    .tiers
                    .iter()
                    .map(|t| Tier { up_to: t.up_to.map(Litres), price: UnitPrice(t.unit_price) })
                    .collect(),
                base_household: v.base_household,
                extra_per_person: Litres(v.extra_per_person),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Tariffs { versions, year_starts })
}

/// Cheap to compute: decides whether installed data is current (it changes monthly).
pub fn fingerprint(profile_text: &str, registers_fingerprint: &str, today: Date) -> String {
    let mut hash = Sha256::new();
    hash.update(GENERATOR_VERSION.to_le_bytes());
    for part in [profile_text, registers_fingerprint] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.update(format!("{}-{}", today.year(), u8::from(today.month())).as_bytes());
    hex::encode(hash.finalize())
}

/// Generates the company's accounts and bills up to `today`.
pub fn generate(
    profile: &GasProfile,
    profile_text: &str,
    registers: &DemoRegisters,
    seed: u64,
    today: Date,
) -> Result<DemoGas, String> {
    let (tariffs, table) = tariffs(profile)?;
    let mut members: HashMap<i64, (Option<&str>, u8)> = HashMap::new();
    for p in &registers.people {
        let entry = members.entry(p.household_id).or_insert((None, 0));
        entry.1 = entry.1.saturating_add(1);
        if p.relation == Relation::Head {
            entry.0 = Some(&p.name);
        }
    }
    let mut accounts = Vec::new();
    let mut bills = Vec::new();
    for household in &registers.households {
        let Some(&(Some(holder), people)) = members.get(&household.id) else { continue };
        // A stream of its own per household: a household's history depends on the day the demo
        // is generated (bills paid by then or not), and with one shared stream that shifted every
        // later household's account number from one day to the next.
        let mut rng = Rng::new(seed ^ 0x6761_7300 ^ (household.id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        if !rng.chance(profile.share) {
            continue;
        }
        let class = if rng.chance(profile.heating_share) { GasClass::Heating } else { GasClass::Cooking };
        let account_no = format!("{:010}", 3_100_000_000u64 + household.id as u64 * 7 + rng.below(7));
        let meter_no = format!("GM{:08}", rng.below(100_000_000));
        let (account_bills, balance) = history(&mut rng, &tariffs, class, people, profile.months, today)?;
        let used = tier_year_used(&tariffs, &account_bills, today);
        accounts.push(GasAccount {
            account_no: account_no.clone(),
            holder_name: holder.to_owned(),
            address: household.address.clone(),
            class,
            people,
            meter_no,
            balance_fen: balance,
            tier_year_from: day_text(tariffs.year_start(today)),
            tier_year_used: used,
        });
        bills.extend(account_bills.into_iter().map(|b| (account_no.clone(), b)));
    }
    Ok(DemoGas { fingerprint: fingerprint(profile_text, &registers.fingerprint, today), table, accounts, bills })
}

/// The use of the tier year containing `today`, from the bills' lines.
pub fn tier_year_used(tariffs: &Tariffs, bills: &[Bill], today: Date) -> i64 {
    let from = day_text(tariffs.year_start(today));
    bills.iter().flat_map(|b| &b.lines).filter(|l| l.from >= from).map(|l| l.volume).sum()
}

/// Monthly readings on one day of the month for `months` months up to `today`, each period
/// priced; the newest bill may be unpaid, and some households owe two.
fn history(
    rng: &mut Rng,
    tariffs: &Tariffs,
    class: GasClass,
    people: u8,
    months: u32,
    today: Date,
) -> Result<(Vec<Bill>, i64), String> {
    let read_day = rng.between(1, 28) as u8;
    let annual_m3 = match class {
        GasClass::Cooking => 110.0 + 30.0 * f64::from(people.min(6)) + rng.between(-30, 60) as f64,
        GasClass::Heating => rng.between(1000, 2200) as f64,
    };
    let shares = if class == GasClass::Heating { &HEATING_MONTHS } else { &COOKING_MONTHS };
    // The newest reading: this month's reading day if it has passed, else last month's.
    let mut last = Date::from_calendar_date(today.year(), today.month(), read_day).map_err(|e| e.to_string())?;
    if last > today {
        last = month_back(last, read_day);
    }
    let mut days = vec![last];
    for _ in 0..months {
        let earlier = month_back(days[days.len() - 1], read_day);
        days.push(earlier);
    }
    days.reverse();
    let mut reading = rng.between(200, 6000) * 1000;
    let mut year_used = Litres(0);
    let mut previous_to: Option<Date> = None;
    let mut bills = Vec::new();
    for pair in days.windows(2) {
        let (from, to) = (pair[0], pair[1].previous_day().ok_or("no day before")?);
        let share = shares[usize::from(u8::from(from.month())) - 1];
        let noise = 0.85 + 0.3 * rng.unit();
        let volume = (annual_m3 * share / 12.0 * noise * 1000.0).round() as i64;
        if previous_to.is_none_or(|p| tariffs.year_start(p) != tariffs.year_start(from)) {
            year_used = Litres(0);
        }
        let priced =
            tariff::price(tariffs, &Usage { class, people, from, to, volume: Litres(volume), used_before: year_used })
                .map_err(|e| format!("{e:?}"))?;
        year_used = priced.year_used_after;
        previous_to = Some(to);
        let source = if rng.chance(0.1) { ReadingSource::Estimated } else { ReadingSource::Inspector };
        bills.push(Bill {
            period_from: day_text(from),
            period_to: day_text(to),
            start_reading: reading,
            end_reading: reading + volume,
            end_source: source,
            volume,
            lines: priced
                .lines
                .iter()
                .map(|l| BillLine {
                    tier: l.tier,
                    from: day_text(l.from),
                    to: day_text(l.to),
                    volume: l.volume.0,
                    unit_price: l.price.0,
                    amount_fen: l.amount.0,
                })
                .collect(),
            amount_fen: priced.amount.0,
            due_on: day_text(pair[1] + Duration::days(20)),
            paid_on: None,
        });
        reading += volume;
    }
    // Paid some days before the due day, if that day has come; one household in ten has left
    // its two newest bills unpaid.
    let in_arrears = rng.chance(0.1);
    let count = bills.len();
    for (i, bill) in bills.iter_mut().enumerate() {
        let due = parse_day(&bill.due_on).ok_or("due day")?;
        let paid = due - Duration::days(rng.between(1, 15));
        if paid <= today && !(in_arrears && i + 2 >= count) {
            bill.paid_on = Some(day_text(paid));
        }
    }
    let owed: i64 = bills.iter().filter(|b| b.paid_on.is_none()).map(|b| b.amount_fen).sum();
    let balance = if owed > 0 { -owed } else { rng.between(0, 20_000) };
    Ok((bills, balance))
}

/// The reading day of the month before `day`'s month.
fn month_back(day: Date, read_day: u8) -> Date {
    let (year, month) = if day.month() == Month::January {
        (day.year() - 1, Month::December)
    } else {
        (day.year(), day.month().previous())
    };
    Date::from_calendar_date(year, month, read_day).unwrap_or(day)
}
