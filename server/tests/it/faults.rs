//! Fault tests: the portal's database taken away and given back.
//! - A PostgreSQL server of the test's own (not the shared one other tests use) is stopped while
//!   requests arrive: every reader gets a clear 503 within the pool's acquire timeout, a form
//!   keeps what was typed, and once the server is back the same portal answers again without a
//!   restart.
//! - The SQLite database's disk fills up (a small tmpfs of the test's own): a registration is
//!   refused with a 503 and what was typed, nothing half-written stays, and the same post works
//!   once space is freed.
//! - The uploads' store on a full disk: a file is refused as "storage full" (507), nothing of it
//!   stays (no partial object, no temporary file), and the same file is taken once space is freed.
//!
//! SIGKILL during submissions is `crash.rs`; SMTP down is `mail.rs`.

use crate::support::{body_text, files_under, same_origin_form_post, zhang_wei_registration, TestApp};
use app::platform::Db;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A throwaway PostgreSQL cluster on a loopback port, removed when dropped.
struct OwnPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl OwnPostgres {
    /// `None` (said on stderr) where PostgreSQL is not installed; `make test` installs it, so
    /// there, with `ONESTOP_TEST_POSTGRES_URL` set, a missing server fails the test instead.
    fn start() -> Option<OwnPostgres> {
        let Some(bin) = postgres_bin() else {
            assert!(
                std::env::var_os("ONESTOP_TEST_POSTGRES_URL").is_none(),
                "PostgreSQL's programs are missing though the test run provides a server"
            );
            eprintln!("SKIPPED: no PostgreSQL programs under /usr/lib/postgresql; run `make test`");
            return None;
        };
        let dir = std::env::temp_dir().join(format!("onestop-fault-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("cluster directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let pg = OwnPostgres { bin, dir, port };
        if is_root() {
            // PostgreSQL refuses to run as root; its own account owns the cluster.
            run(Command::new("chown").arg("postgres:postgres").arg(&pg.dir));
        }
        let data = pg.dir.join("data");
        run(pg.as_postgres("initdb").arg("-D").arg(&data).args(["-U", "postgres", "-A", "trust", "-E", "UTF8"]));
        pg.start_server();
        Some(pg)
    }

    fn as_postgres(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }

    fn start_server(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} -c fsync=off",
            self.port,
            self.dir.display()
        );
        run(self
            .as_postgres("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-w", "-o", &options])
            .arg("-l")
            .arg(self.dir.join("server.log"))
            .arg("start"));
    }

    /// A fast shutdown, as an operator's `systemctl stop` does: open sessions are ended.
    fn stop_server(&self) {
        run(self.as_postgres("pg_ctl").arg("-D").arg(self.dir.join("data")).args(["-w", "-m", "fast", "stop"]));
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ =
            self.as_postgres("pg_ctl").arg("-D").arg(self.dir.join("data")).args(["-m", "immediate", "stop"]).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort_by_key(|bin| version_of(bin));
    versions.pop()
}

fn version_of(bin: &Path) -> u32 {
    bin.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse().ok()).unwrap_or(0)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn postgres_stopped_under_load_answers_503_and_the_portal_recovers_without_a_restart() {
    let Some(pg) = OwnPostgres::start() else { return };
    let db = Db::connect(&pg.url()).await.expect("connect");
    db.migrate().await.expect("migrate");
    let app = TestApp::on_database(db).await;
    assert_eq!(app.get("/departments").await.status(), 200, "before the outage");

    pg.stop_server();
    // Readers arriving together while the database is gone: each waits at most the pool's
    // acquire timeout (10 s), then hears that the portal is busy, not that it broke.
    let started = Instant::now();
    let readers = (0..8).map(|_| app.get("/departments"));
    let form = same_origin_form_post("/login", "identifier=13912345678&password=correct-horse-battery");
    let (answers, login) = tokio::join!(futures_util::future::join_all(readers), app.send(form));
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(20), "answered after {waited:?}");
    for answer in answers {
        assert_eq!(answer.status(), 503);
        let page = body_text(answer).await;
        assert!(page.contains("系统暂时繁忙，请稍后再试"), "the busy message");
        assert!(!page.contains("参考编号"), "no incident reference for an outage");
    }
    assert_eq!(login.status(), 503, "a form post during the outage");
    let page = body_text(login).await;
    assert!(page.contains("value=\"13912345678\""), "what was typed is kept");
    assert!(!page.contains("correct-horse-battery"), "never the password");

    pg.start_server();
    let back = Instant::now();
    loop {
        let status = app.get("/departments").await.status();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "only busy while coming back");
        assert!(back.elapsed() < Duration::from_secs(30), "the portal did not recover");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Each refused request said so once, as an ERROR an operator sees; nothing else was logged.
    crate::error_log::assert_only_expected(&["the database cannot answer now".into(), "a form post failed".into()]);
}

/// A tmpfs volume of the test's own, unmounted when dropped.
struct SmallDisk {
    dir: PathBuf,
}

impl SmallDisk {
    /// `None` (said on stderr) without root, which mounting needs; `make test` runs as root here.
    fn mount(mib: u32) -> Option<SmallDisk> {
        if !is_root() {
            eprintln!("SKIPPED: mounting a small volume for the full-disk test needs root");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("onestop-full-disk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mount point");
        run(Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={mib}m"), "tmpfs"]).arg(&dir));
        Some(SmallDisk { dir })
    }

    /// A file that takes every byte left on the volume.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.dir.join("filler");
        let mut file = std::fs::File::create(&path).expect("filler");
        for chunk in [1 << 20, 4096, 1] {
            let bytes = vec![0u8; chunk];
            while file.write_all(&bytes).is_ok() {}
        }
        let _ = file.flush();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).output();
        let _ = std::fs::remove_dir(&self.dir);
    }
}

#[tokio::test]
async fn a_full_disk_refuses_a_write_clearly_and_the_same_post_works_once_space_is_freed() {
    let Some(disk) = SmallDisk::mount(128) else { return };
    let db = Db::connect(&format!("sqlite://{}/onestop.db", disk.dir.display())).await.expect("connect");
    db.migrate().await.expect("migrate");
    let app = TestApp::on_database(db.clone()).await;
    // The write-ahead log keeps its size after a checkpoint; truncated, the next write must grow
    // it on the full disk instead of reusing space it already has.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(db.pool()).await.expect("checkpoint");
    let filler = disk.fill();

    let body = zhang_wei_registration();
    let refused = app.send(same_origin_form_post("/register", &body)).await;
    assert_eq!(refused.status(), 503, "a full disk is an outage to retry");
    let page = body_text(refused).await;
    assert!(page.contains("value=\"zhang.wei@example.cn\""), "what was typed is kept");
    assert!(!page.contains("river-bridge-sunset-1936"), "never the password");
    let accounts = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM citizens WHERE email = 'zhang.wei@example.cn'")
            .fetch_one(db.pool())
            .await
            .expect("count")
    };
    assert_eq!(accounts().await, 0, "nothing half-written");

    std::fs::remove_file(&filler).expect("free the space");
    let accepted = app.send(same_origin_form_post("/register", &body)).await;
    assert_eq!(accepted.status(), 303, "the same post once space is back");
    assert_eq!(accounts().await, 1);
    crate::error_log::assert_only_expected(&["the database cannot answer now".into(), "a form post failed".into()]);
    drop(app);
    db.close().await;
}

#[tokio::test]
async fn a_full_disk_refuses_an_upload_as_storage_full_keeps_nothing_of_it_and_takes_it_once_space_is_freed() {
    use app::platform::files::{FileStore, StorageSettings, UploadRefusal};
    use axum::body::Bytes;
    crate::error_log::watch();
    let Some(disk) = SmallDisk::mount(16) else { return };
    let files = disk.dir.join("files");
    let store = FileStore::new(&StorageSettings { dir: files.clone(), bucket: None }).expect("store");
    let scan = crate::uploads::pdf(512 * 1024, "full-disk");
    let sent = || {
        let chunks: Vec<Result<Bytes, UploadRefusal>> =
            scan.chunks(16 * 1024).map(|chunk| Ok(Bytes::copy_from_slice(chunk))).collect();
        futures_util::stream::iter(chunks)
    };
    let limit = 10 << 20;
    let before = files_under(&files);
    let filler = disk.fill();

    let refused = store.receive(sent(), "scan.pdf", limit).await;
    assert_eq!(refused.err(), Some(UploadRefusal::StorageFull));
    assert_eq!(UploadRefusal::StorageFull.status(), 507, "said as insufficient storage, not as a bad file");
    assert_eq!(files_under(&files), before, "no partial object and no temporary file stays");

    std::fs::remove_file(&filler).expect("free the space");
    let received = store.receive(sent(), "scan.pdf", limit).await.expect("the same file once space is back");
    assert_eq!(received.size, scan.len() as u64);
    assert!(store.exists(&received.sha256).await.expect("exists"), "stored whole");
    crate::error_log::assert_only_expected(&["file storage failed".into()]);
}
