//! The demo gas company: its data from the city profile and the demo registers, and its answers.

use app::gas::contract::*;
use app::gas::store::GasStore;
use app::gas::GasProvider;
use onestop_server::demo::{CityProfile, ProfileSource};
use std::collections::HashMap;
use time::macros::date;

/// The built-in city's gas company as generated for 4 December 2026, and its registers.
fn generated() -> (app::gas::demo::DemoGas, app::registers::demo::DemoRegisters) {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text).expect("profile");
    let streets = source.read(&profile.gazetteer.streets).expect("streets");
    let communities = source.read(&profile.gazetteer.communities).expect("communities");
    let gazetteer = app::registers::demo::Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let registers = app::registers::demo::generate(&profile.registers, &source.text, &gazetteer).expect("registers");
    let gas = profile.gas.as_ref().expect("the built-in city has a gas company");
    let data = app::gas::demo::generate(gas, &source.text, &registers, profile.registers.seed, date!(2026 - 12 - 04))
        .expect("gas");
    (data, registers)
}

#[test]
fn demo_accounts_are_real_households_with_two_years_of_consistent_bills() {
    let (data, registers) = generated();
    assert!(data.accounts.len() >= 2000, "{} accounts", data.accounts.len());
    assert!(data.table.demo, "demonstration prices are marked as such");
    let households: HashMap<i64, &str> = registers.households.iter().map(|h| (h.id, h.address.as_str())).collect();
    let heads: HashMap<&str, Vec<&str>> = registers
        .people
        .iter()
        .filter(|p| p.relation == app::registers::contract::Relation::Head)
        .fold(HashMap::new(), |mut m, p| {
            m.entry(households[&p.household_id]).or_default().push(p.name.as_str());
            m
        });
    let mut bills: HashMap<&str, Vec<&Bill>> = HashMap::new();
    for (account, bill) in &data.bills {
        bills.entry(account.as_str()).or_default().push(bill);
    }
    let (mut winter, mut summer, mut split_by_price) = (0i64, 0i64, 0usize);
    for account in &data.accounts {
        // The holder is the head of the household registered at the account's address.
        let names = heads.get(account.address.as_str()).expect("a registered household's address");
        assert!(names.contains(&account.holder_name.as_str()), "{account:?}");
        let list = &bills[account.account_no.as_str()];
        assert_eq!(list.len(), 24);
        for pair in list.windows(2) {
            assert_eq!(pair[0].end_reading, pair[1].start_reading, "readings run on");
        }
        for bill in list {
            assert_eq!(bill.end_reading - bill.start_reading, bill.volume);
            assert_eq!(bill.lines.iter().map(|l| l.volume).sum::<i64>(), bill.volume);
            assert_eq!(bill.lines.iter().map(|l| l.amount_fen).sum::<i64>(), bill.amount_fen);
            if bill.lines.iter().any(|l| l.from == "2026-07-01") && bill.period_from.as_str() < "2026-07-01" {
                split_by_price += 1;
            }
            match &bill.period_from[5..7] {
                "01" | "02" | "12" => winter += bill.volume,
                "06" | "07" | "08" => summer += bill.volume,
                _ => {}
            }
        }
        let owed: i64 = list.iter().filter(|b| b.paid_on.is_none()).map(|b| b.amount_fen).sum();
        assert!(owed == 0 && account.balance_fen >= 0 || account.balance_fen == -owed, "{account:?}");
    }
    assert!(winter > 2 * summer, "a winter peak: {winter} L in winter, {summer} L in summer");
    assert!(split_by_price > 100, "periods over the price change of 1 July are split: {split_by_price}");
    let heating: Vec<_> = data.accounts.iter().filter(|a| a.class == GasClass::Heating).collect();
    assert!(heating.len() > data.accounts.len() / 10 && heating.len() < data.accounts.len() / 3);
    // Deterministic for the same inputs.
    let (again, _) = generated();
    assert_eq!(again.accounts, data.accounts);
    assert_eq!(again.fingerprint, data.fingerprint);
}

#[tokio::test]
async fn the_company_answers_statements_holder_checks_and_readings() {
    let (data, _) = generated();
    let path = std::env::temp_dir().join(format!("onestop-test-gas-{}.db", std::process::id()));
    let store = GasStore::open(&format!("sqlite://{}", path.display())).await.expect("open");
    store.install(&data).await.expect("install");
    assert_eq!(store.installed_fingerprint().await.expect("fingerprint").as_deref(), Some(data.fingerprint.as_str()));
    let account = &data.accounts[0];

    let check = |no: &str, name: &str| HolderCheck { account_no: no.to_owned(), holder_name: name.to_owned() };
    assert!(store.check_holder(&check(&account.account_no, &account.holder_name)).await.expect("check"));
    assert!(!store.check_holder(&check(&account.account_no, "某某某")).await.expect("check"));
    assert!(!store.check_holder(&check("0000000000", &account.holder_name)).await.expect("check"));
    assert!(!store.check_holder(&check("' OR 1=1 --", &account.holder_name)).await.expect("check"));
    assert!(store.accounts_at(&account.address).await.expect("at").contains(&account.account_no));

    let statement = store.statement(&account.account_no).await.expect("statement");
    assert_eq!(statement.bills.len(), 24);
    assert!(statement.bills[0].period_from > statement.bills[1].period_from, "newest first");
    assert_eq!(statement.account.holder_name, account.holder_name);
    assert!(statement.pending_reading.is_none());
    assert_eq!(store.statement("1234567890").await, Err(ProviderError::NotFound));

    // A reading below the last bill's, one no meter could reach, one before the last reading:
    // refused; a plausible one is kept for the next bill.
    let last = &statement.bills[0];
    let read = |litres| SelfReading {
        account_no: account.account_no.clone(),
        read_on: app::gas::demo::day_text(
            app::gas::demo::parse_day(&last.period_to).expect("day") + time::Duration::days(1),
        ),
        litres,
    };
    let today = time::OffsetDateTime::now_utc().date();
    assert!(app::gas::demo::parse_day(&last.period_to).expect("day") < today);
    assert_eq!(store.report_reading(&read(last.end_reading - 1)).await, Ok(Err(ReadingRefusal::BelowLast)));
    assert_eq!(store.report_reading(&read(last.end_reading + 500_000)).await, Ok(Err(ReadingRefusal::Implausible)));
    let mut early = read(last.end_reading + 10);
    early.read_on = last.period_to.clone();
    assert_eq!(store.report_reading(&early).await, Ok(Err(ReadingRefusal::BadDay)));
    assert_eq!(store.report_reading(&read(last.end_reading + 1_500)).await, Ok(Ok(())));
    let statement = store.statement(&account.account_no).await.expect("statement");
    assert_eq!(statement.pending_reading.map(|(_, l)| l), Some(last.end_reading + 1_500));
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
