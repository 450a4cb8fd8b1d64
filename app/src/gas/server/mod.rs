//! The citizen's side of the gas company: binding accounts (by number and holder's name, or the
//! account at the household's registered address), reading bound accounts and reporting meter
//! readings. Every call to the company about a person goes through `SharedData` (grant, consent,
//! audit row); which citizen bound which account is the portal's own table ([`db`]).

pub mod db;

use super::api::{AccountSummary, AccountView, GasOverview, MonthComparison, TierBand};
use super::contract::*;
use super::GasProvider;
use crate::accounts::server::auth::CitizenPrincipal;
use crate::error::AppError;
use crate::identifiers::ResidentId;
use crate::platform::throttle::{PerAddress, PerKey};
use crate::platform::AppContext;
use crate::registers::contract::{PersonField, Register};
use crate::sharing::server::{Caller, ExternalCall};
use std::sync::LazyLock;

/// The portal feature, as the catalogue's grant on the gas company's resource names it.
pub const CONSUMER: &str = "gas.account";
/// The grant on the population register for the household-address way of binding.
pub const ADDRESS_CONSUMER: &str = "gas.address";
const FIELDS: [&str; 1] = ["gas_account"];
/// The version of the binding notice the citizen agrees to by binding.
pub const NOTICE_VERSION: &str = "gas-binding-1";

/// Binding attempts per citizen and per client address in an hour: enough for typing mistakes,
/// far too few to try account numbers or names in bulk.
pub const BIND_ATTEMPTS_PER_CITIZEN: u32 = 10;
pub const BIND_ATTEMPTS_PER_ADDRESS: u32 = 30;
static BIND_BY_CITIZEN: LazyLock<PerKey<i64>> = LazyLock::new(|| PerKey::new(BIND_ATTEMPTS_PER_CITIZEN, 3600));
static BIND_BY_ADDRESS: LazyLock<PerAddress> = LazyLock::new(|| {
    PerAddress::new(
        crate::platform::throttle::limit_from_env("ONESTOP_GAS_BINDS_PER_ADDRESS", BIND_ATTEMPTS_PER_ADDRESS),
        3600,
    )
});

/// Counts a binding attempt; false once the citizen or their address is over the limit.
pub fn bind_allowed(citizen: &CitizenPrincipal, ip: Option<std::net::IpAddr>, now: i64) -> bool {
    // Both are counted on every attempt, so neither limit can be dodged through the other.
    let by_citizen = BIND_BY_CITIZEN.allows(citizen.id(), now);
    let by_address = BIND_BY_ADDRESS.allows(ip, now);
    by_citizen && by_address
}

/// What a binding attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindOutcome {
    Bound(Vec<String>),
    /// The number and name do not belong together (whatever was wrong).
    NoMatch,
    /// No account is registered at the household's address.
    NoneAtAddress,
}

/// The citizen's own resident ID (real-name verified accounts only).
async fn identity(ctx: &AppContext, citizen: &CitizenPrincipal) -> Result<ResidentId, AppError> {
    crate::accounts::server::own_resident_id(ctx, citizen).await
}

async fn resource(ctx: &AppContext) -> Result<String, AppError> {
    crate::sharing::server::db::resource_granted_to(&ctx.db, CONSUMER).await?.ok_or(AppError::Unavailable)
}

fn caller(citizen: &CitizenPrincipal, consumer: &'static str, request_id: &str) -> Caller {
    Caller { consumer, actor: format!("citizen:{}", citizen.id()), request_id: request_id.to_owned() }
}

fn external<'a>(resource_code: &'a str, operation: &'static str, consent: i64) -> ExternalCall<'a> {
    ExternalCall { resource_code, operation, fields: &FIELDS, consent: Some(consent) }
}

/// The consent binding gives (recorded on every binding attempt, as the form says).
async fn binding_consent(ctx: &AppContext, id: &ResidentId, resource: &str) -> Result<i64, AppError> {
    let fields: Vec<String> = FIELDS.iter().map(|f| (*f).to_owned()).collect();
    Ok(ctx.shared.record_resource_consent(id, resource, CONSUMER, &fields, NOTICE_VERSION).await?)
}

/// Binds the account `account_no` if its holder is `holder_name`. A wrong number and a wrong
/// name give the same answer after the same work: one question to the company either way.
pub async fn bind_by_number(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    account_no: &str,
    holder_name: &str,
    request_id: &str,
) -> Result<BindOutcome, AppError> {
    let id = identity(ctx, citizen).await?;
    let resource = resource(ctx).await?;
    let consent = binding_consent(ctx, &id, &resource).await?;
    let check = HolderCheck { account_no: account_no.trim().to_owned(), holder_name: holder_name.trim().to_owned() };
    let matches = ctx
        .shared
        .about_person(
            &caller(citizen, CONSUMER, request_id),
            external(&resource, "check_holder", consent),
            &id,
            ctx.gas.check_holder(&check),
        )
        .await?;
    if !matches {
        return Ok(BindOutcome::NoMatch);
    }
    db::bind(&ctx.db, citizen.id(), &check.account_no, ctx.clock.now()).await?;
    Ok(BindOutcome::Bound(vec![check.account_no]))
}

/// Binds the accounts registered at the citizen's household address in the population register.
pub async fn bind_household(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    request_id: &str,
) -> Result<BindOutcome, AppError> {
    let id = identity(ctx, citizen).await?;
    let fields = vec![PersonField::HouseholdAddress.key().to_owned()];
    let address_consent =
        ctx.shared.record_person_consent(&id, Register::Population, ADDRESS_CONSUMER, &fields, NOTICE_VERSION).await?;
    let person = ctx
        .shared
        .person(
            &caller(citizen, ADDRESS_CONSUMER, request_id),
            &id,
            &[PersonField::HouseholdAddress],
            Some(address_consent),
        )
        .await?;
    let Some(address) = person.household_address.filter(|a| !a.trim().is_empty()) else {
        return Ok(BindOutcome::NoneAtAddress);
    };
    let resource = resource(ctx).await?;
    let consent = binding_consent(ctx, &id, &resource).await?;
    let found = ctx
        .shared
        .about_person(
            &caller(citizen, CONSUMER, request_id),
            external(&resource, "accounts_at", consent),
            &id,
            ctx.gas.accounts_at(&address),
        )
        .await?;
    if found.is_empty() {
        return Ok(BindOutcome::NoneAtAddress);
    }
    for account_no in &found {
        db::bind(&ctx.db, citizen.id(), account_no, ctx.clock.now()).await?;
    }
    Ok(BindOutcome::Bound(found))
}

/// Removes the citizen's binding; `NotFound` when the account is not bound by them.
pub async fn unbind(ctx: &AppContext, citizen: &CitizenPrincipal, account_no: &str) -> Result<(), AppError> {
    if db::unbind(&ctx.db, citizen.id(), account_no).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The company's statement of an account the citizen has bound (checked in SQL first).
pub async fn statement(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    account_no: &str,
    request_id: &str,
) -> Result<AccountStatement, AppError> {
    about_bound_account(ctx, citizen, account_no, request_id, "statement", ctx.gas.statement(account_no)).await
}

/// One company call about an account the citizen has bound (checked in SQL first), under the
/// consent given when binding it, audited through `SharedData`.
async fn about_bound_account<T>(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    account_no: &str,
    request_id: &str,
    operation: &'static str,
    call: impl std::future::Future<Output = Result<T, crate::registers::contract::ProviderError>>,
) -> Result<T, AppError> {
    if !db::is_bound(&ctx.db, citizen.id(), account_no).await? {
        return Err(AppError::NotFound);
    }
    let id = identity(ctx, citizen).await?;
    let resource = resource(ctx).await?;
    let consent = ctx.shared.latest_consent(&id, &resource, CONSUMER).await?.ok_or(AppError::NotFound)?;
    Ok(ctx
        .shared
        .about_person(&caller(citizen, CONSUMER, request_id), external(&resource, operation, consent), &id, call)
        .await?)
}

/// `/gas`: every bound account with its balance.
pub async fn overview(ctx: &AppContext, citizen: &CitizenPrincipal, request_id: &str) -> Result<GasOverview, AppError> {
    if !citizen.real_name_verified {
        return Ok(GasOverview { real_name_verified: false, accounts: Vec::new(), unavailable: Vec::new() });
    }
    let mut accounts = Vec::new();
    let mut unavailable = Vec::new();
    for account_no in db::bindings(&ctx.db, citizen.id()).await? {
        match statement(ctx, citizen, &account_no, request_id).await {
            Ok(s) => accounts.push(AccountSummary {
                account_no: s.account.account_no,
                address: s.account.address,
                class: s.account.class,
                balance_fen: s.account.balance_fen,
            }),
            Err(AppError::Unavailable | AppError::NotFound) => unavailable.push(account_no),
            Err(err) => return Err(err),
        }
    }
    Ok(GasOverview { real_name_verified: true, accounts, unavailable })
}

/// The account page: the statement with the ladder, the projection and the monthly use.
pub async fn account_view(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    account_no: &str,
    request_id: &str,
) -> Result<AccountView, AppError> {
    let statement = statement(ctx, citizen, account_no, request_id).await?;
    let table = ctx.gas.tariffs().await.map_err(|_| AppError::Unavailable)?;
    let tariffs = super::demo::from_published(&table).ok_or(AppError::Unavailable)?;
    let today = super::store::today();
    Ok(view_of(statement, &table, &tariffs, today))
}

/// The page's figures from the statement alone (pure, so it is tested without a server).
pub fn view_of(
    statement: AccountStatement,
    table: &TariffTable,
    tariffs: &super::tariff::Tariffs,
    today: time::Date,
) -> AccountView {
    use super::demo::{day_text, parse_day};
    use super::tariff::{progress, Litres};
    let account = &statement.account;
    let year_start = tariffs.year_start(today);
    let year_end = time::Date::from_calendar_date(year_start.year() + 1, year_start.month(), year_start.day())
        .unwrap_or(year_start)
        .previous_day()
        .unwrap_or(year_start);
    let (tiers, tier, to_next) =
        match progress(tariffs, account.class, account.people, today, Litres(account.tier_year_used)) {
            Ok(p) => {
                let mut from = 0;
                let tiers = p
                    .limits
                    .iter()
                    .enumerate()
                    .map(|(i, (up_to, price))| {
                        let band = TierBand {
                            tier: u8::try_from(i + 1).unwrap_or(u8::MAX),
                            from,
                            up_to: up_to.map(|l| l.0),
                            unit_price: price.0,
                        };
                        from = up_to.map_or(from, |l| l.0);
                        band
                    })
                    .collect();
                (tiers, p.tier, p.to_next.map(|l| l.0))
            }
            Err(_) => (Vec::new(), 1, None),
        };
    // The recent rate: the last twelve bills' use over the days they cover.
    let recent: Vec<&Bill> = statement.bills.iter().take(12).collect();
    let days: i64 = recent
        .iter()
        .filter_map(|b| Some((parse_day(&b.period_to)? - parse_day(&b.period_from)?).whole_days() + 1))
        .sum();
    let litres: i64 = recent.iter().map(|b| b.volume).sum();
    let next_tier_on = match to_next {
        Some(left) if days > 0 && litres > 0 => {
            let day = today + time::Duration::days((left * days + litres - 1) / litres);
            (day <= year_end).then(|| day_text(day))
        }
        _ => None,
    };
    let mut months: Vec<(String, i64)> =
        statement.bills.iter().map(|b| (b.period_from[..7].to_owned(), b.volume)).collect();
    months.reverse();
    let year = today.year();
    let used_in = |y: i32, m: u8| {
        let key = format!("{y:04}-{m:02}");
        months.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    };
    let comparison = (1..=12)
        .map(|m| MonthComparison { month: m, this_year: used_in(year, m), last_year: used_in(year - 1, m) })
        .collect();
    AccountView {
        company: table.company.clone(),
        demo_prices: table.demo,
        today: day_text(today),
        tiers,
        tier,
        to_next,
        next_tier_on,
        tier_year_ends: day_text(year_end),
        months,
        year,
        comparison,
        statement,
    }
}

/// Reports a meter reading for a bound account; the company's refusal is returned as it is.
pub async fn report_reading(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    reading: &SelfReading,
    request_id: &str,
) -> Result<Result<(), ReadingRefusal>, AppError> {
    about_bound_account(
        ctx,
        citizen,
        &reading.account_no,
        request_id,
        "report_reading",
        ctx.gas.report_reading(reading),
    )
    .await
}

/// One bill of a bound account as a PDF (in Chinese, like the company's paper bill), and the
/// file's name; `NotFound` for an account not bound by the citizen or a period it has no bill for.
pub async fn bill_pdf(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    account_no: &str,
    period_from: &str,
    request_id: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let statement = statement(ctx, citizen, account_no, request_id).await?;
    let table = ctx.gas.tariffs().await.map_err(|_| AppError::Unavailable)?;
    let bill = statement.bills.iter().find(|b| b.period_from == period_from).ok_or(AppError::NotFound)?;
    let document = bill_document(&statement.account, bill, &table);
    let pdf = crate::documents::server::pdf::render_plain(&ctx.document_font, &document)
        .map_err(|reason| AppError::internal(&reason))?;
    Ok((format!("gas-bill-{account_no}-{period_from}.pdf"), pdf))
}

/// What a bill's PDF says.
pub fn bill_document(
    account: &GasAccount,
    bill: &Bill,
    table: &TariffTable,
) -> crate::documents::server::pdf::PlainDocument {
    use super::text::{m3, unit_price, yuan, ZH_CN};
    use crate::documents::server::pdf::{Block, PlainDocument};
    use crate::i18n::fill;
    let t = &ZH_CN;
    let pair = |label: &str, value: String| Block::Pair(label.to_owned(), value);
    let mut blocks = vec![
        pair(t.col_account, account.account_no.clone()),
        pair(t.summary_holder, account.holder_name.clone()),
        pair(t.col_address, account.address.clone()),
        pair(t.col_class, t.class(account.class).to_owned()),
        pair(t.summary_meter, account.meter_no.clone()),
        Block::Rule,
        pair(t.col_period, fill(t.period, &[&bill.period_from, &bill.period_to])),
        pair(
            t.col_readings,
            format!("{} → {}（{}）", m3(bill.start_reading), m3(bill.end_reading), t.source(bill.end_source)),
        ),
        pair(t.col_volume, m3(bill.volume)),
        Block::Heading(t.col_lines.to_owned()),
    ];
    for l in &bill.lines {
        blocks.push(Block::Text(fill(
            t.line,
            &[&l.from, &l.to, &l.tier.to_string(), &m3(l.volume), &unit_price(l.unit_price), &yuan(l.amount_fen)],
        )));
    }
    blocks.push(Block::Rule);
    blocks.push(pair(t.col_amount, yuan(bill.amount_fen)));
    blocks.push(pair(
        t.col_status,
        match &bill.paid_on {
            Some(day) => fill(t.paid_on, &[day]),
            None => format!("{}，{}", t.unpaid, fill(t.due_on, &[&bill.due_on])),
        },
    ));
    if table.demo {
        blocks.push(Block::Text(t.demo_prices.to_owned()));
    }
    PlainDocument {
        issuer: table.company.zh.clone(),
        title: format!("{} {}", t.pdf_title, fill(t.period, &[&bill.period_from, &bill.period_to])),
        blocks,
        footer: format!("{} {} · {}", t.pdf_title, account.account_no, t.pdf_page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gas::tariff::{Litres, TariffVersion, Tariffs, Tier, UnitPrice};
    use time::macros::date;
    use time::Month;

    fn tariffs() -> Tariffs {
        Tariffs {
            versions: vec![TariffVersion {
                class: GasClass::Cooking,
                effective_from: date!(2020 - 01 - 01),
                tiers: vec![
                    Tier { up_to: Some(Litres::from_m3(300)), price: UnitPrice(22_000) },
                    Tier { up_to: Some(Litres::from_m3(600)), price: UnitPrice(26_400) },
                    Tier { up_to: None, price: UnitPrice(33_000) },
                ],
                base_household: 4,
                extra_per_person: Litres::from_m3(60),
            }],
            year_starts: (Month::January, 1),
        }
    }

    /// Twelve 30-day periods of 30 m³ each from 9 December 2025 (newest first, as the company
    /// answers), a household of five that has used `used` litres this tier year.
    fn statement(used: i64) -> AccountStatement {
        let mut bills = Vec::new();
        for i in 0..12 {
            let from = date!(2025 - 12 - 09) + time::Duration::days(30 * i);
            bills.push(Bill {
                period_from: crate::gas::demo::day_text(from),
                period_to: crate::gas::demo::day_text(from + time::Duration::days(29)),
                start_reading: 30_000 * i,
                end_reading: 30_000 * (i + 1),
                end_source: ReadingSource::Inspector,
                volume: 30_000,
                lines: Vec::new(),
                amount_fen: 6_600,
                due_on: String::new(),
                paid_on: None,
            });
        }
        bills.reverse();
        AccountStatement {
            account: GasAccount {
                account_no: "3100000001".into(),
                holder_name: "陈兵".into(),
                address: "地址".into(),
                class: GasClass::Cooking,
                people: 5,
                meter_no: "GM00000001".into(),
                balance_fen: 0,
                tier_year_from: "2026-01-01".into(),
                tier_year_used: used,
            },
            bills,
            pending_reading: None,
        }
    }

    fn table() -> TariffTable {
        TariffTable {
            company: crate::site::Bilingual { zh: "燃气公司".into(), en: "Gas".into() },
            versions: Vec::new(),
            tier_year_starts: "01-01".into(),
            demo: true,
        }
    }

    #[test]
    fn the_ladder_is_the_households_and_the_next_tier_is_projected_at_the_recent_rate() {
        let today = date!(2026 - 12 - 04);
        let view = view_of(statement(350_000), &table(), &tariffs(), today);
        // A household of five gets 60 m³ more of each tier.
        let limits: Vec<Option<i64>> = view.tiers.iter().map(|b| b.up_to).collect();
        assert_eq!(limits, [Some(360_000), Some(660_000), None]);
        assert_eq!(view.tiers[1].from, 360_000);
        assert_eq!((view.tier, view.to_next), (1, Some(10_000)));
        // 360 m³ in 360 days: 1 m³ a day, so 10 m³ more takes ten days.
        assert_eq!(view.next_tier_on.as_deref(), Some("2026-12-14"));
        assert_eq!(view.tier_year_ends, "2026-12-31");
        // Too far to reach before the tier year ends: no projected day.
        let view = view_of(statement(300_000), &table(), &tariffs(), today);
        assert_eq!(view.to_next, Some(60_000));
        assert_eq!(view.next_tier_on, None);
        let view = view_of(statement(700_000), &table(), &tariffs(), today);
        assert_eq!((view.tier, view.to_next), (3, None), "the last tier has no next");
    }

    #[test]
    fn monthly_use_runs_oldest_first_and_compares_each_month_with_the_year_before() {
        let view = view_of(statement(0), &table(), &tariffs(), date!(2026 - 12 - 04));
        assert_eq!(view.months.len(), 12);
        assert_eq!(view.months[0], ("2025-12".to_owned(), 30_000));
        assert_eq!(view.months[11].0, "2026-11");
        assert_eq!(view.year, 2026);
        let december = &view.comparison[11];
        assert_eq!((december.this_year, december.last_year), (None, Some(30_000)));
        let january = &view.comparison[0];
        assert_eq!((january.this_year, january.last_year), (Some(30_000), None));
        assert_eq!(view.owed_fen(), 12 * 6_600, "every bill unpaid");
    }

    #[test]
    fn a_bill_pdf_lists_every_priced_line_with_its_price_version() {
        let mut s = statement(0);
        let bill = &mut s.bills[0];
        bill.lines = vec![
            BillLine {
                tier: 1,
                from: "2026-06-10".into(),
                to: "2026-06-30".into(),
                volume: 21_000,
                unit_price: 22_000,
                amount_fen: 4_620,
            },
            BillLine {
                tier: 1,
                from: "2026-07-01".into(),
                to: "2026-07-09".into(),
                volume: 9_000,
                unit_price: 23_500,
                amount_fen: 2_115,
            },
        ];
        let doc = bill_document(&s.account, &s.bills[0], &table());
        let texts: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                crate::documents::server::pdf::Block::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert!(texts.contains(&"2026-06-10 至 2026-06-30：第 1 档 21 立方米 × 2.20 元 = 46.20 元"), "{texts:?}");
        assert!(texts.contains(&"2026-07-01 至 2026-07-09：第 1 档 9 立方米 × 2.35 元 = 21.15 元"), "{texts:?}");
        assert_eq!(doc.issuer, "燃气公司");
    }
}
