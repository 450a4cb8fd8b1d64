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
fn migrate_and_seed_succeed_and_are_repeatable() {
    let (path, url) = temp_db_url("ok");
    for args in [&["migrate"][..], &["seed-demo"], &["seed-demo"]] {
        let out = onestop().env("DATABASE_URL", &url).args(args).output().expect("run onestop");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = onestop().env("DATABASE_URL", &url).arg("seed-demo").output().expect("run onestop");
    assert!(String::from_utf8_lossy(&out.stdout).contains("10 departments"));
    let _ = std::fs::remove_file(&path);
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
