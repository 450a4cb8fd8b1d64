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

/// Heads of demo households with one gas account each (the first heads born in the 1940s in
/// Xigu district, 620104194…, by ID number): (name, ID number, account number). The HTTP tests
/// use the first three, end2end/tests/gas.test.js the rest, one per browser variant.
pub const GAS_PEOPLE: [(&str, &str, &str); 7] = [
    ("陈兵", "620104194001113299", "3100042045"),
    ("田涛", "620104194005312690", "3100019307"),
    ("孙艳倩", "620104194103212108", "3100039223"),
    ("孙博", "620104194109087651", "3100001097"),
    ("王国强", "620104194302260516", "3100034324"),
    ("吴海", "620104194404166133", "3100041175"),
    ("马成海", "62010419440801185X", "3100027149"),
];

#[test]
fn accounts_do_not_depend_on_the_day_the_demo_is_generated() {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text).expect("profile");
    let streets = source.read(&profile.gazetteer.streets).expect("streets");
    let communities = source.read(&profile.gazetteer.communities).expect("communities");
    let gazetteer = app::registers::demo::Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let registers = app::registers::demo::generate(&profile.registers, &source.text, &gazetteer).expect("registers");
    let gas = profile.gas.as_ref().expect("gas");
    let accounts = |day| {
        let data = app::gas::demo::generate(gas, &source.text, &registers, profile.registers.seed, day).expect("gas");
        data.accounts.into_iter().map(|a| (a.account_no, a.holder_name, a.address)).collect::<Vec<_>>()
    };
    // A day before and after many households' reading and due days, and a month later.
    let first = accounts(date!(2026 - 12 - 04));
    assert_eq!(first, accounts(date!(2026 - 12 - 05)));
    assert_eq!(first, accounts(date!(2027 - 01 - 20)));
}

#[test]
fn the_tests_demo_people_head_households_with_one_gas_account() {
    let (data, registers) = generated();
    let households: HashMap<i64, &str> = registers.households.iter().map(|h| (h.id, h.address.as_str())).collect();
    for (name, id, account_no) in GAS_PEOPLE {
        let person = registers.people.iter().find(|p| p.id_number == id).expect("a registered person");
        assert_eq!(person.name, name);
        assert_eq!(person.relation, app::registers::contract::Relation::Head);
        let address = households[&person.household_id];
        let at: Vec<&GasAccount> = data.accounts.iter().filter(|a| a.address == address).collect();
        assert_eq!(at.len(), 1, "{name}");
        assert_eq!((at[0].account_no.as_str(), at[0].holder_name.as_str()), (account_no, name));
    }
}

mod http {
    use super::GAS_PEOPLE;
    use crate::accounts::Browser;
    use crate::applications::{location, verified_citizen};
    use crate::on_both_backends;
    use crate::support::body_text;
    use app::gas::GasProvider;

    /// The text of the bind form's problem message.
    fn bind_problem(html: &str) -> String {
        let at = html.find("id=\"gas-bind-problem\">").expect("a problem message");
        let rest = &html[at + 21..];
        rest[..rest.find("</p>").expect("end")].to_owned()
    }

    async fn audited(app: &crate::support::TestApp, operation: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM data_access_log WHERE consumer = 'gas.account' AND operation = $1 AND outcome = 'ok'",
        )
        .bind(operation)
        .fetch_one(app.db.pool())
        .await
        .expect("count")
    }

    on_both_backends!(a_citizen_binds_by_number_and_name_sees_the_account_and_unbinds_it, |app| {
        let (name, id, account_no) = GAS_PEOPLE[0];
        assert_eq!(app.get("/gas").await.status(), 401, "anonymous visitors are asked to sign in");
        let english = body_text(app.get_with_cookie("/gas", "onestop_lang=en").await).await;
        assert!(english.contains("Sign in to see and bind gas accounts."), "English page");
        let mut b = verified_citizen(&app, name, id, "gas.owner@example.cn").await;
        let res = b.get("/gas").await;
        assert_eq!(res.status(), 200);
        let html = body_text(res).await;
        assert!(html.contains("您还没有绑定燃气户号") && html.contains("action=\"/gas/bind\""), "{html}");

        // Empty fields: 400, each named at its field.
        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", ""), ("holder_name", "")]).await;
        assert_eq!(res.status(), 400);
        let html = body_text(res).await;
        assert!(html.contains("请填写燃气户号") && html.contains("请填写户主姓名") && html.contains("error-summary"));

        // A wrong name and an unknown account get the same answer; what was typed is kept.
        let res =
            b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", "王某某")]).await;
        assert_eq!(res.status(), 422);
        let wrong_name = body_text(res).await;
        assert!(wrong_name.contains(&format!("value=\"{account_no}\"")), "the number typed is kept");
        let res =
            b.post("/gas/bind", &[("method", "number"), ("account_no", "3100000000"), ("holder_name", name)]).await;
        assert_eq!(res.status(), 422);
        let unknown = body_text(res).await;
        assert_eq!(bind_problem(&wrong_name), bind_problem(&unknown));
        assert!(bind_problem(&unknown).contains("户号与户主姓名不匹配"));
        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", "31000'--"), ("holder_name", name)]).await;
        assert_eq!(bind_problem(&body_text(res).await), bind_problem(&unknown), "malformed numbers too");
        assert_eq!(audited(&app, "check_holder").await, 3, "every check went through the audited gateway");

        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", name)]).await;
        assert_eq!(location(&res), format!("/gas/accounts/{account_no}?notice=bound"));
        let html = body_text(b.get("/gas").await).await;
        assert!(html.contains(&format!("id=\"gas-account-{account_no}\"")), "listed with its balance");
        assert!(html.contains("余额") || html.contains("欠费"));

        let page = format!("/gas/accounts/{account_no}");
        let res = b.get(&page).await;
        assert_eq!(res.status(), 200);
        let html = body_text(res).await;
        for text in [
            "最新账单",
            "本阶梯年度用气进度",
            "第 1 档",
            "每月用气量",
            "<svg",
            "历史账单",
            "计费明细",
            "同比",
            "自报抄表读数",
        ] {
            assert!(html.contains(text), "{text} missing");
        }
        assert!(html.contains(&format!("/gas/accounts/{account_no}/bills/")), "bills link their PDF");
        assert!(audited(&app, "statement").await >= 2);

        // Another citizen can neither see nor unbind nor report for it.
        let (other_name, other_id, _) = GAS_PEOPLE[2];
        let mut other = verified_citizen(&app, other_name, other_id, "gas.other@example.cn").await;
        assert_eq!(other.get(&page).await.status(), 404);
        assert_eq!(other.post(&format!("{page}/unbind"), &[]).await.status(), 404);
        let res = other.post(&format!("{page}/reading"), &[("reading", "1"), ("read_on", "2026-12-01")]).await;
        assert_eq!(res.status(), 404);
        assert_eq!(b.get(&page).await.status(), 200, "still mine");

        // The newest bill as a PDF: the owner's only.
        let pdf = html
            .split("href=\"")
            .filter_map(|rest| rest.split('"').next())
            .find(|href| href.ends_with(".pdf"))
            .expect("a bill's PDF link")
            .to_owned();
        let res = b.get(&pdf).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(res.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment;"));
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("body");
        assert!(bytes.starts_with(b"%PDF-") && bytes.len() > 2_000, "a PDF");
        assert!(bytes.windows(5).rev().take(64).any(|w| w == b"%%EOF"), "a complete PDF");
        assert_eq!(other.get(&pdf).await.status(), 404);
        assert_eq!(app.get(&pdf).await.status(), 401);
        assert_eq!(b.get(&format!("{page}/bills/1999-01-01.pdf")).await.status(), 404);

        let res = b.post(&format!("{page}/unbind"), &[]).await;
        assert_eq!(location(&res), "/gas?notice=unbound");
        assert_eq!(b.get(&page).await.status(), 404);
    });

    on_both_backends!(a_citizen_binds_the_account_at_the_household_address, |app| {
        let (name, id, account_no) = GAS_PEOPLE[1];
        let mut b = verified_citizen(&app, name, id, "gas.household@example.cn").await;
        let res = b.post("/gas/bind", &[("method", "household")]).await;
        assert_eq!(location(&res), format!("/gas/accounts/{account_no}?notice=bound"));
        assert_eq!(b.get(&format!("/gas/accounts/{account_no}")).await.status(), 200);
        assert_eq!(audited(&app, "accounts_at").await, 1);
        let read: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM data_access_log WHERE consumer = 'gas.address' AND outcome = 'ok'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("count");
        assert_eq!(read, 1, "the household address was read through the audited gateway");
    });

    on_both_backends!(binding_attempts_are_limited_per_citizen, |app| {
        let (name, id, account_no) = GAS_PEOPLE[2];
        let mut b = verified_citizen(&app, name, id, "gas.throttled@example.cn").await;
        for _ in 0..app::gas::server::BIND_ATTEMPTS_PER_CITIZEN {
            let res =
                b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", "错")]).await;
            assert_eq!(res.status(), 422);
        }
        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", name)]).await;
        assert_eq!(res.status(), 429, "even the right name once over the limit");
        assert!(body_text(res).await.contains("绑定尝试次数过多"));
    });

    on_both_backends!(unverified_citizens_are_asked_to_verify_first, |app| {
        let mut b = Browser::new(&app);
        b.register("陈兵", GAS_PEOPLE[0].1, "gas.unverified@example.cn").await;
        let html = body_text(b.get("/gas").await).await;
        assert!(html.contains("绑定燃气户号需要先完成实名认证"));
        let res = b.post("/gas/bind", &[("method", "household")]).await;
        assert_eq!(res.status(), 403);
    });

    on_both_backends!(a_meter_reading_is_checked_and_kept_for_the_next_bill, |app| {
        let (name, id, account_no) = GAS_PEOPLE[0];
        let mut b = verified_citizen(&app, name, id, "gas.reader@example.cn").await;
        b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", name)]).await;
        let statement = app.ctx.gas.statement(account_no).await.expect("statement");
        let last = &statement.bills[0];
        let next_day = app::gas::demo::day_text(
            app::gas::demo::parse_day(&last.period_to).expect("day") + time::Duration::days(1),
        );
        let form = format!("/gas/accounts/{account_no}/reading");
        let below = app::gas::text::m3(last.end_reading - 1000);
        let res = b.post(&form, &[("reading", &below), ("read_on", &next_day)]).await;
        assert_eq!(res.status(), 422);
        let html = body_text(res).await;
        assert!(html.contains("读数低于上次抄表读数") && html.contains("id=\"gas-reading-error\""), "at the field");
        assert!(html.contains(&format!("value=\"{below}\"")), "the typed reading is kept");
        let res = b.post(&form, &[("reading", "12,5"), ("read_on", "tomorrow")]).await;
        assert_eq!(res.status(), 400);
        let html = body_text(res).await;
        assert!(html.contains("最多三位小数") && html.contains("请按 2026-12-04 的格式填写日期"));
        let fine = app::gas::text::m3(last.end_reading + 1500);
        let res = b.post(&form, &[("reading", &fine), ("read_on", &next_day)]).await;
        assert_eq!(location(&res), format!("/gas/accounts/{account_no}?notice=reported"));
        let html = body_text(b.get(&format!("/gas/accounts/{account_no}?notice=reported")).await).await;
        assert!(html.contains("读数已提交") && html.contains(&format!("已提交的读数：{fine} 立方米")));
    });
}

/// The same demo company behind its signed-HTTP endpoint on loopback, as the portal calls the
/// company's interface.
pub(crate) mod over_http {
    use super::GAS_PEOPLE;
    use crate::applications::{location, verified_citizen};
    use crate::support::{body_text, TestApp};
    use app::gas::contract::*;
    use app::gas::http_client::{HttpProvider, HttpProviderConfig, PROTOCOL};
    use app::gas::GasProvider;
    use app::platform::exchange::wire::{self, SigningKey};
    use app::platform::Backend;
    use axum::response::IntoResponse;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    pub(crate) fn key() -> SigningKey {
        SigningKey::new("portal", &[0x47; 32]).expect("key")
    }

    /// Serves `router` on a free loopback port; returns its base URL.
    pub(crate) fn serve(router: axum::Router) -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let addr = listener.local_addr().expect("addr");
        let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
        tokio::spawn(async move { axum::serve(listener, router).await.ok() });
        format!("http://{addr}")
    }

    pub(crate) fn quick(url: &str) -> HttpProviderConfig {
        let mut config = HttpProviderConfig::new(url, key());
        config.attempt_timeout = Duration::from_millis(300);
        config.deadline = Duration::from_millis(800);
        config
    }

    /// `company` behind its endpoint, and an HTTP provider calling it. While `down` is set the
    /// exchange gateway answers 502 instead, as it does when the company's system is down.
    fn behind_endpoint(company: app::gas::Provider, down: Arc<AtomicBool>) -> app::gas::Provider {
        let gateway = axum::middleware::from_fn(move |req: axum::extract::Request, next: axum::middleware::Next| {
            let down = down.clone();
            async move {
                if down.load(Ordering::SeqCst) {
                    axum::http::StatusCode::BAD_GATEWAY.into_response()
                } else {
                    next.run(req).await
                }
            }
        });
        let url = serve(app::gas::http_service::router(company, key()).layer(gateway));
        app::gas::Provider::Http(Arc::new(HttpProvider::new(quick(&url))))
    }

    async fn binds_and_reads_as_in_process(backend: Backend) {
        let mut company = None;
        let app = TestApp::with_gas(backend, |c| {
            company = Some(c.clone());
            behind_endpoint(c, Arc::default())
        })
        .await;
        let company = company.expect("the in-process company");
        assert!(matches!(app.ctx.gas, app::gas::Provider::Http(_)), "the portal calls the company over HTTP");

        let (name, id, account_no) = GAS_PEOPLE[0];
        let mut b = verified_citizen(&app, name, id, "gas.http@example.cn").await;
        let res =
            b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", "王某某")]).await;
        assert_eq!(res.status(), 422, "a wrong name is a definite no over HTTP too");
        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", name)]).await;
        assert_eq!(location(&res), format!("/gas/accounts/{account_no}?notice=bound"));

        // Exactly the in-process company's answers.
        let remote = app.ctx.gas.statement(account_no).await.expect("statement over HTTP");
        assert_eq!(remote, company.statement(account_no).await.expect("statement in-process"));
        assert_eq!(app.ctx.gas.tariffs().await, company.tariffs().await);
        assert_eq!(app.ctx.gas.statement("3100000000").await, Err(ProviderError::NotFound));

        let page = format!("/gas/accounts/{account_no}");
        let res = b.get(&page).await;
        assert_eq!(res.status(), 200);
        let html = body_text(res).await;
        for text in ["最新账单", "本阶梯年度用气进度", "每月用气量", "历史账单", "自报抄表读数"]
        {
            assert!(html.contains(text), "{text} missing");
        }
        let newest = &remote.bills[0];
        assert!(html.contains(&format!("/gas/accounts/{account_no}/bills/{}.pdf", newest.period_from)), "newest bill");

        // A refused reading is the company's answer, not a failure: the form says why.
        let next_day = app::gas::demo::day_text(
            app::gas::demo::parse_day(&newest.period_to).expect("day") + time::Duration::days(1),
        );
        let below =
            SelfReading { account_no: account_no.into(), read_on: next_day.clone(), litres: newest.end_reading - 1 };
        assert_eq!(app.ctx.gas.report_reading(&below).await, Ok(Err(ReadingRefusal::BelowLast)));
        let form = format!("{page}/reading");
        let typed = app::gas::text::m3(newest.end_reading - 1000);
        let res = b.post(&form, &[("reading", &typed), ("read_on", &next_day)]).await;
        assert_eq!(res.status(), 422);
        assert!(body_text(res).await.contains("读数低于上次抄表读数"));
        let fine = app::gas::text::m3(newest.end_reading + 1500);
        let res = b.post(&form, &[("reading", &fine), ("read_on", &next_day)]).await;
        assert_eq!(location(&res), format!("{page}?notice=reported"));
        let kept = company.statement(account_no).await.expect("statement").pending_reading;
        assert_eq!(kept, Some((next_day, newest.end_reading + 1500)), "the company kept it");

        // The household-address way asks the company for the accounts at an address.
        let (name, id, account_no) = GAS_PEOPLE[1];
        let mut b = verified_citizen(&app, name, id, "gas.http.household@example.cn").await;
        let res = b.post("/gas/bind", &[("method", "household")]).await;
        assert_eq!(location(&res), format!("/gas/accounts/{account_no}?notice=bound"));
    }

    #[tokio::test]
    async fn a_citizen_binds_and_reads_an_account_over_http_as_in_process_sqlite() {
        binds_and_reads_as_in_process(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn a_citizen_binds_and_reads_an_account_over_http_as_in_process_postgres() {
        binds_and_reads_as_in_process(Backend::Postgres).await;
    }

    /// Sends `body` to the endpoint signed as `signed_body` with `nonce`; returns the status.
    async fn send(url: &str, operation: &str, signed_body: &[u8], body: &[u8], nonce: &str, sign: bool) -> u16 {
        send_to(&PROTOCOL, url, operation, signed_body, body, nonce, sign).await
    }

    /// Posts `body` to a partner's endpoint, signed (over `signed_body`) with [`key`] or not.
    pub(crate) async fn send_to(
        protocol: &wire::Protocol,
        url: &str,
        operation: &str,
        signed_body: &[u8],
        body: &[u8],
        nonce: &str,
        sign: bool,
    ) -> u16 {
        let (protocol, path) = (protocol, protocol.path(operation));
        let ts = app::platform::time::now_unix();
        let mut req = http::Request::post(format!("{url}{path}"));
        if sign {
            req = req
                .header(protocol.header_key, "portal")
                .header(protocol.header_timestamp, ts.to_string())
                .header(protocol.header_nonce, nonce)
                .header(protocol.header_signature, key().sign_request(&path, ts, nonce, signed_body));
        }
        let req = req.body(http_body_util::Full::new(bytes::Bytes::copy_from_slice(body))).expect("request");
        let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build_http();
        client.request(req).await.expect("response").status().as_u16()
    }

    #[tokio::test]
    async fn the_endpoint_refuses_unsigned_tampered_and_replayed_requests() {
        let (company, path) = crate::support::test_gas().await;
        let url = serve(app::gas::http_service::router(company, key()));
        let (name, _, account_no) = GAS_PEOPLE[0];
        let honest =
            serde_json::to_vec(&HolderCheck { account_no: account_no.into(), holder_name: "王某某".into() })
                .expect("json");
        let tampered =
            serde_json::to_vec(&HolderCheck { account_no: account_no.into(), holder_name: name.into() }).expect("json");

        assert_eq!(send(&url, "check-holder", &honest, &honest, &wire::new_nonce(), false).await, 401, "unsigned");
        assert_eq!(send(&url, "check-holder", &honest, &tampered, &wire::new_nonce(), true).await, 401, "tampered");
        let nonce = wire::new_nonce();
        assert_eq!(send(&url, "check-holder", &honest, &honest, &nonce, true).await, 200);
        assert_eq!(send(&url, "check-holder", &honest, &honest, &nonce, true).await, 401, "replayed");
        assert_eq!(send(&url, "no-such-operation", b"{}", b"{}", &wire::new_nonce(), true).await, 404);

        // A portal holding another secret is refused, and cannot read the refusal as an answer.
        let wrong = SigningKey::new("portal", &[0x48; 32]).expect("key");
        let provider = HttpProvider::new(HttpProviderConfig::new(&url, wrong));
        assert!(matches!(provider.tariffs().await, Err(ProviderError::InvalidResponse(_))));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    /// A company whose system answers every statement with one household's.
    struct Mixed(app::gas::Provider);

    impl GasProvider for Mixed {
        async fn tariffs(&self) -> Result<TariffTable, ProviderError> {
            self.0.tariffs().await
        }
        async fn check_holder(&self, check: &HolderCheck) -> Result<bool, ProviderError> {
            self.0.check_holder(check).await
        }
        async fn accounts_at(&self, address: &str) -> Result<Vec<String>, ProviderError> {
            self.0.accounts_at(address).await
        }
        async fn statement(&self, _: &str) -> Result<AccountStatement, ProviderError> {
            self.0.statement(GAS_PEOPLE[1].2).await
        }
        async fn report_reading(&self, r: &SelfReading) -> Result<Result<(), ReadingRefusal>, ProviderError> {
            self.0.report_reading(r).await
        }
    }

    #[tokio::test]
    async fn another_households_statement_is_rejected() {
        let (company, path) = crate::support::test_gas().await;
        let url = serve(app::gas::http_service::router(Mixed(company), key()));
        let provider = HttpProvider::new(quick(&url));
        assert!(provider.statement(GAS_PEOPLE[1].2).await.is_ok(), "the one it does answer for");
        let other = provider.statement(GAS_PEOPLE[0].2).await;
        assert!(matches!(other, Err(ProviderError::InvalidResponse(_))), "{other:?}");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    #[tokio::test]
    async fn a_company_that_is_down_gets_the_unreachable_page_not_an_error() {
        let down = Arc::new(AtomicBool::new(false));
        let switch = down.clone();
        let app = TestApp::with_gas(Backend::Sqlite, move |c| behind_endpoint(c, switch)).await;
        let (name, id, account_no) = GAS_PEOPLE[2];
        let mut b = verified_citizen(&app, name, id, "gas.down@example.cn").await;
        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", name)]).await;
        assert_eq!(location(&res), format!("/gas/accounts/{account_no}?notice=bound"));

        down.store(true, Ordering::SeqCst);
        // The status and notice the in-process path gives a provider error.
        let page = format!("/gas/accounts/{account_no}");
        let res = b.get(&page).await;
        assert_eq!(res.status(), app::error::AppError::Unavailable.status_code());
        assert!(body_text(res).await.contains("燃气公司暂时无法访问"));
        let res = b.get("/gas").await;
        assert_eq!(res.status(), 200, "the list still shows, naming the account not answered for");
        assert!(body_text(res).await.contains(&format!("燃气公司暂时没有答复以下户号，请稍后刷新：{account_no}")));
        let res = b.post("/gas/bind", &[("method", "number"), ("account_no", account_no), ("holder_name", name)]).await;
        assert_eq!(res.status(), 503);
        assert!(
            body_text(res).await.contains("燃气公司暂时无法访问，未能完成"),
            "the form says so and keeps the input"
        );
        let outcomes: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT outcome FROM data_access_log WHERE consumer = 'gas.account' AND outcome <> 'ok'",
        )
        .fetch_all(app.db.pool())
        .await
        .expect("audit");
        assert!(
            !outcomes.is_empty() && outcomes.iter().all(|o| o == "unavailable" || o == "circuit_open"),
            "{outcomes:?}"
        );

        // Nothing listening at all: the same answer.
        let closed = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            format!("http://{}", probe.local_addr().expect("addr"))
        };
        let unreachable = HttpProvider::new(quick(&closed));
        assert_eq!(unreachable.statement(account_no).await, Err(ProviderError::Unavailable));
    }
}
