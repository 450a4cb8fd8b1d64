//! The `onestop` binary itself: exit codes and messages a deployment relies on.

use app::platform::Db;
use std::process::Command;

fn onestop() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onestop"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ONESTOP_") || key == "DATABASE_URL" {
            cmd.env_remove(key);
        }
    }
    // The hospitals' own database stays out of the working directory.
    let hospitals = std::env::temp_dir().join(format!("onestop-cli-hospitals-{}.db", std::process::id()));
    cmd.env("ONESTOP_HOSPITALS_DATABASE", format!("sqlite://{}", hospitals.display()));
    let bus = std::env::temp_dir().join(format!("onestop-cli-bus-{}.db", std::process::id()));
    cmd.env("ONESTOP_BUS_DATABASE", format!("sqlite://{}", bus.display()));
    let gas = std::env::temp_dir().join(format!("onestop-cli-gas-{}.db", std::process::id()));
    cmd.env("ONESTOP_GAS_DATABASE", format!("sqlite://{}", gas.display()));
    // The library's own database and the portal's index over it, never under the working directory.
    let library = std::env::temp_dir().join(format!("onestop-cli-library-{}", std::process::id()));
    cmd.env("ONESTOP_LIBRARY_DATABASE", format!("sqlite://{}.db", library.display()))
        .env("ONESTOP_LIBRARY_INDEX_DIR", library.with_extension("index"));
    cmd
}

fn temp_db_url(tag: &str) -> (std::path::PathBuf, String) {
    let path = std::env::temp_dir().join(format!("onestop-cli-{tag}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    (path, url)
}

#[tokio::test]
async fn a_failed_migration_stops_with_a_clear_message_and_non_zero_exit() {
    let (path, url) = temp_db_url("broken");
    // A database that already holds a table the first migration creates, as after a manual
    // change: the migration must fail loudly, not be skipped.
    let db = Db::connect(&url).await.expect("connect");
    sqlx::query("CREATE TABLE departments (unrelated INTEGER)").execute(db.pool()).await.expect("create");
    db.close().await;

    for command in ["migrate", "serve"] {
        let out = onestop().env("DATABASE_URL", &url).arg(command).output().expect("run onestop");
        assert!(!out.status.success(), "{command} must fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("database migration failed"), "{command}: {stderr}");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn serve_without_the_documents_font_stops_naming_the_setting() {
    let (path, url) = temp_db_url("no-font");
    let out = onestop()
        .env("DATABASE_URL", &url)
        .env("ONESTOP_DOCUMENT_FONT", "/nonexistent/fonts/wqy-microhei.ttc")
        .arg("serve")
        .output()
        .expect("run onestop");
    assert!(!out.status.success(), "serve must not start without its font");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ONESTOP_DOCUMENT_FONT") && stderr.contains("/nonexistent/fonts/wqy-microhei.ttc"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn migrate_and_seed_succeed_and_are_repeatable() {
    let (path, url) = temp_db_url("ok");
    let (registers_path, registers_url) = temp_db_url("ok-registers");
    let run = |args: &[&str]| {
        let out = onestop()
            .env("DATABASE_URL", &url)
            .env("ONESTOP_REGISTERS_DATABASE", &registers_url)
            .args(args)
            .output()
            .expect("run onestop");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["migrate"]);
    let first = run(&["seed-demo"]);
    assert!(first.contains("11 departments, 8 data resources"), "{first}");
    assert!(first.contains("demo registers generated: 20001 people, 3000 legal entities"), "{first}");
    assert!(first.contains("demo hospitals: 8 hospitals, 184 doctors"), "{first}");
    assert!(first.contains("demo library generated: 100000 records"), "{first}");
    assert!(first.contains("demo library card for 张伟: card number 6201000000017, PIN 314159"), "{first}");
    let second = run(&["seed-demo"]);
    assert!(second.contains("11 departments") && second.contains("demo registers are current"), "{second}");
    assert!(second.contains("demo library is current"), "{second}");
    let verified = run(&["audit", "verify"]);
    assert!(verified.contains("audit chain intact: 0 rows") && verified.contains("case audit chain intact: 0 rows"));
    assert!(run(&["audit", "purge"]).contains("deleted: 0"));
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&registers_path);
}

#[tokio::test]
async fn seed_demo_with_cases_fills_the_console_once_and_only_for_a_local_demo() {
    let (path, url) = temp_db_url("cases");
    let (registers_path, registers_url) = temp_db_url("cases-registers");
    let scratch = std::env::temp_dir().join(format!("onestop-cli-cases-{}", std::process::id()));
    let run = |args: &[&str], extra: &[(&str, &str)]| {
        let mut cmd = onestop();
        cmd.env("DATABASE_URL", &url)
            .env("ONESTOP_REGISTERS_DATABASE", &registers_url)
            .env("ONESTOP_FILES_DIR", scratch.join("files"))
            .env("ONESTOP_SECRET_KEY_FILE", scratch.join("secret.key"))
            .env("ONESTOP_MAIL_DIR", scratch.join("mail"));
        for (k, v) in extra {
            cmd.env(k, v);
        }
        cmd.args(args).output().expect("run onestop")
    };
    let refused = run(&["seed-demo", "--with-cases"], &[("ONESTOP_SECURE_COOKIES", "true")]);
    assert!(!refused.status.success(), "not for a deployed portal");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("local demo only"));

    let first = run(&["seed-demo", "--with-cases"], &[]);
    let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let links = stdout.lines().filter(|l| l.contains("/staff/setup?token=")).count();
    assert_eq!(links, 4, "a clerk and a supervisor for two departments: {stdout}");
    let db = Db::connect(&url).await.expect("connect");
    let statuses: Vec<String> = sqlx::query_scalar("SELECT DISTINCT status FROM applications ORDER BY status")
        .fetch_all(db.pool())
        .await
        .expect("statuses");
    assert_eq!(
        statuses,
        [
            "accepted",
            "completed",
            "denied",
            "not_accepted",
            "submitted",
            "supplement_requested",
            "suspended",
            "approved"
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>(),
        "applications in every state a case can be in"
    );
    let overdue: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications WHERE closed_at IS NULL AND clock_stopped_at IS NULL AND promised_due < $1",
    )
    .bind(app::applications::server::iso_day(app::applications::server::beijing_day(app::platform::time::now_unix())))
    .fetch_one(db.pool())
    .await
    .expect("overdue");
    assert!(overdue > 0, "some cases are overdue");
    let without_files: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_files f WHERE f.application_id = a.id)",
    )
    .fetch_one(db.pool())
    .await
    .expect("files");
    assert_eq!(without_files, 0, "every demo application carries its uploaded materials");
    // The demo applicants have no email address. Their decisions' notices belong in the inbox
    // only: a mail to nobody was queued for each, and the sender retried it for a day.
    let undeliverable: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE recipient NOT LIKE '%@%'")
        .fetch_one(db.pool())
        .await
        .expect("outbox");
    assert_eq!(undeliverable, 0, "mail queued without an address");
    let notices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications").fetch_one(db.pool()).await.expect("inbox");
    assert!(notices > 0, "the decisions' notices are in the applicants' inboxes");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(db.pool()).await.expect("count");
    let verified = String::from_utf8_lossy(&run(&["audit", "verify"], &[]).stdout).into_owned();
    assert!(verified.contains("case audit chain intact"), "{verified}");

    let again = run(&["seed-demo", "--with-cases"], &[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("demo cases are already there"));
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(db.pool()).await.expect("count");
    assert_eq!(after, count, "a second run makes nothing");
    db.close().await;
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&registers_path);
    let _ = std::fs::remove_dir_all(&scratch);
}

#[tokio::test]
async fn providers_serve_publishes_the_registers_and_the_gas_company_over_signed_http() {
    use app::gas::GasProvider;
    use app::registers::contract::{PersonField, PersonRequest};
    use app::registers::http_client::{HttpProvider, HttpProviderConfig};
    use app::registers::RegisterProvider;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("addr").port()
    };
    let secret = [0x42u8; 32];
    let gas_secret = [0x47u8; 32];
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let (company, gas_db) = crate::support::test_gas().await;
    let mut child = onestop()
        .env("ONESTOP_REGISTERS_DATABASE", crate::support::demo_registers_url().await)
        .env("ONESTOP_REGISTERS_KEY", hex(&secret))
        .env("ONESTOP_GAS_DATABASE", format!("sqlite://{}", gas_db.display()))
        .env("ONESTOP_GAS_PROVIDER_KEY", hex(&gas_secret))
        .args(["providers", "serve", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start provider");
    let url = format!("http://127.0.0.1:{port}");
    let key = app::registers::wire::SigningKey::new("portal", &secret).expect("key");
    let provider = HttpProvider::new(HttpProviderConfig::new(&url, key));
    let gas_key = app::platform::exchange::wire::SigningKey::new("portal", &gas_secret).expect("key");
    let gas = app::gas::http_client::HttpProvider::new(app::gas::http_client::HttpProviderConfig::new(&url, gas_key));
    let request = PersonRequest { id_number: crate::registers::ZHANG_WEI.into(), fields: vec![PersonField::Name] };
    // Wait until it listens (calling earlier would only trip the client's circuit breaker).
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let answer = provider.person(&request).await;
    let tariffs = gas.tariffs().await;
    child.kill().ok();
    child.wait().ok();
    assert_eq!(answer.expect("the provider answered").name.as_deref(), Some("张伟"));
    assert_eq!(tariffs.expect("the gas company answered"), company.tariffs().await.expect("in-process"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", gas_db.display()));
    }
}

#[test]
fn providers_serve_needs_a_key() {
    let out = onestop().args(["providers", "serve"]).output().expect("run onestop");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ONESTOP_REGISTERS_KEY"));
}

#[test]
fn create_admin_prints_a_one_time_token_once() {
    let (path, url) = temp_db_url("admin");
    let run = || {
        onestop()
            .env("DATABASE_URL", &url)
            .args(["create-admin", "--username", "admin", "--display-name", "系统管理员"])
            .output()
            .expect("run onestop")
    };
    let first = run();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.lines().any(|l| l.len() == 64 && l.chars().all(|c| c.is_ascii_hexdigit())), "{stdout}");
    let second = run();
    assert!(!second.status.success(), "a second admin with the same name is refused");
    assert!(String::from_utf8_lossy(&second.stderr).contains("already exists"));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn invalid_configuration_names_the_setting_and_exits_2() {
    let out = onestop().env("ONESTOP_LISTEN_ADDR", "nowhere").arg("migrate").output().expect("run onestop");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ONESTOP_LISTEN_ADDR"));
}

#[tokio::test]
async fn a_postgres_database_not_in_utf8_is_refused_at_start_up() {
    let admin_url =
        std::env::var("ONESTOP_TEST_POSTGRES_URL").expect("ONESTOP_TEST_POSTGRES_URL (make test starts PostgreSQL)");
    let admin = sqlx::PgPool::connect(&admin_url).await.expect("connect admin");
    let name = format!("onestop_ascii_{}", std::process::id());
    // DDL takes no bind parameters; `name` is made of letters, digits and underscores only.
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.expect("drop");
    sqlx::query(&format!("CREATE DATABASE {name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"))
        .execute(&admin)
        .await
        .expect("create SQL_ASCII database");
    let url = app::platform::testing::with_database_name(&admin_url, &name);

    for command in ["migrate", "serve"] {
        let out = onestop().env("DATABASE_URL", &url).arg(command).output().expect("run onestop");
        assert!(!out.status.success(), "{command} must refuse a SQL_ASCII database");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("SQL_ASCII") && stderr.contains("UTF8"), "{command}: {stderr}");
    }
    // Nothing was created in it.
    let db = sqlx::PgPool::connect(&url).await.expect("connect");
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            .fetch_one(&db)
            .await
            .expect("count");
    assert_eq!(tables, 0);
    db.close().await;
    sqlx::query(&format!("DROP DATABASE {name}")).execute(&admin).await.expect("drop");
}

/// `serve` builds the catalogue's search index at start, before any request asks for it.
#[tokio::test]
async fn serve_builds_the_search_index_before_the_first_request() {
    use std::io::{BufRead, BufReader};
    let (path, url) = temp_db_url("warm");
    let (registers_path, registers_url) = temp_db_url("warm-registers");
    let key_path = std::env::temp_dir().join(format!("onestop-cli-warm-{}.key", std::process::id()));
    let mail_dir = std::env::temp_dir().join(format!("onestop-cli-warm-mail-{}", std::process::id()));
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let profile = onestop_server::demo::CityProfile::parse(onestop_server::demo::BUILT_IN_PROFILE).expect("profile");
    onestop_server::demo::seed(&db, &profile, &onestop_server::demo::ProfileSource::built_in()).await.expect("seed");
    db.close().await;
    let free_port =
        || std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let (port, admin_port) = (free_port(), free_port());
    let mut child = onestop()
        .env("ONESTOP_ADMIN_ADDR", format!("127.0.0.1:{admin_port}"))
        .env("DATABASE_URL", &url)
        .env("ONESTOP_REGISTERS_DATABASE", &registers_url)
        .env("ONESTOP_SECRET_KEY_FILE", &key_path)
        .env("ONESTOP_MAIL_DIR", &mail_dir)
        .env("ONESTOP_LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("ONESTOP_LOG_FORMAT", "json")
        .arg("serve")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().expect("stdout");
    // Reads the log until the index is reported (or the server ends); no request is made.
    let ready = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout).lines().map_while(Result::ok).find(|l| l.contains("catalogue and search index ready"))
    });
    let line = tokio::time::timeout(std::time::Duration::from_secs(60), ready).await;
    child.kill().ok();
    child.wait().ok();
    for file in [&path, &registers_path, &key_path] {
        let _ = std::fs::remove_file(file);
    }
    let _ = std::fs::remove_dir_all(&mail_dir);
    let line = line.expect("reported within a minute").expect("log reader").expect("the index is built at start");
    assert!(line.contains("\"items\":25"), "{line}");
}

#[test]
fn bus_import_loads_a_feed_and_refuses_a_broken_one_listing_every_problem() {
    let (path, url) = temp_db_url("bus");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gtfs");
    let out = onestop()
        .env("ONESTOP_BUS_DATABASE", &url)
        .args(["bus", "import"])
        .arg(fixtures.join("gtfs-kit-sample_gtfs.zip"))
        .output()
        .expect("run onestop");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("routes 5") && stdout.contains("stop_times 28"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("28 / "), "a progress bar on stderr");

    let broken = std::env::temp_dir().join(format!("onestop-cli-bus-broken-{}", std::process::id()));
    std::fs::create_dir_all(&broken).expect("temp files");
    std::fs::write(
        broken.join("agency.txt"),
        "agency_name,agency_url,agency_timezone\nBus,http://bus.example,Asia/Shanghai\n",
    )
    .expect("temp files");
    std::fs::write(broken.join("routes.txt"), "route_id,route_short_name,route_type\n1,1,3\n").expect("temp files");
    std::fs::write(broken.join("stops.txt"), "stop_id,stop_name,stop_lat,stop_lon\nA,A,36.0,103.8\n")
        .expect("temp files");
    std::fs::write(broken.join("calendar_dates.txt"), "service_id,date,exception_type\nW,20261204,1\n")
        .expect("temp files");
    std::fs::write(broken.join("trips.txt"), "route_id,service_id,trip_id\n1,W,T1\n2,W,T2\n").expect("temp files");
    std::fs::write(
        broken.join("stop_times.txt"),
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,08:00:00,08:00:00,A,1\nT1,7:61:00,08:10:00,B,2\n",
    )
    .expect("temp files");
    let out =
        onestop().env("ONESTOP_BUS_DATABASE", &url).args(["bus", "import"]).arg(&broken).output().expect("run onestop");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    for problem in [
        "error: trips.txt:3: route_id 2 is not in routes.txt",
        "error: stop_times.txt:3: arrival_time \"7:61:00\" is not a time",
        "error: stop_times.txt:3: stop_id B is not in stops.txt",
        "previous timetable is unchanged",
    ] {
        assert!(stderr.contains(problem), "{problem} in {stderr}");
    }
    let _ = std::fs::remove_dir_all(&broken);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn hospitals_arrive_refuses_a_code_with_no_booking_waiting() {
    let path = std::env::temp_dir().join(format!("onestop-cli-arrive-{}.db", std::process::id()));
    let store = onestop_server::demo::hospitals_at(&path).await.expect("demo hospitals");
    store.close().await;
    let out = onestop()
        .env("ONESTOP_HOSPITALS_DATABASE", format!("sqlite://{}", path.display()))
        .args(["hospitals", "arrive", "12345678"])
        .output()
        .expect("run onestop");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("no booking 12345678 is waiting for an arrival now"), "{stderr}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
