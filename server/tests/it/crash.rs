//! Crash safety of submissions with uploads: the real `onestop` binary is killed (SIGKILL) at
//! random moments while a citizen's browser applies again and again, retrying whatever failed
//! the way a person would (the same form again). After the last restart every acknowledged
//! submission is complete (its row, its number, its files, each stored object's bytes hashing to
//! the recorded SHA-256) and nothing is duplicated.
//!
//! `make test` runs the short version (3 submissions). The long one:
//! `ONESTOP_CRASH_SUBMISSIONS=200 cargo nextest run -p onestop-server --features app/testing crash`.

use crate::applications::{pdf, LOW_INCOME, LOW_INCOME_DETAILS, LOW_INCOME_MEMBER};
use crate::processes::{hidden, Browser, Instance};
use crate::registers::ZHANG_WEI;
use crate::support::demo_registers_url;
use app::platform::Db;
use rand::Rng;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

const PASSWORD: &str = "river-bridge-sunset-1936";

/// Repeats one step until the portal answers it (a person pressing the button again after an
/// error page), and evaluates to the answer.
macro_rules! until_answered {
    ($step:expr) => {{
        let mut tries = 0;
        loop {
            match $step.await {
                Ok(answer) if answer.status < 500 => break answer,
                _ => {
                    tries += 1;
                    assert!(tries < 600, "the portal never answered");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }};
}

/// One application, start to acknowledged submission: (reference, number, SHA-256 of the file sent).
async fn apply_once(b: &mut Browser, n: usize) -> (String, String, String) {
    let start = until_answered!(b.post(&format!("/services/{LOW_INCOME}/apply"), &[]));
    assert_eq!(start.status, 303, "start: {}", start.body.len());
    let reference =
        start.location.trim_start_matches("/applications/").split(['/', '?']).next().unwrap_or_default().to_owned();
    if start.location.ends_with("/prefill") {
        until_answered!(b.post(&start.location, &[("decision", "decline")]));
    }
    let step1 = format!("/applications/{reference}/step/1");
    until_answered!(b.post(&step1, &LOW_INCOME_DETAILS));
    let step2 = format!("/applications/{reference}/step/2");
    // One entry: add only while the page shows none (a retried add must not add twice).
    loop {
        let page = until_answered!(b.get(&step2));
        if page.body.contains("members.0.member_name") {
            break;
        }
        until_answered!(b.post(&step2, &[("action", "add")]));
    }
    until_answered!(b.post(&step2, &LOW_INCOME_MEMBER));
    let file = pdf(&format!("crash test {n}"));
    let sha = hex::encode(sha2::Sha256::digest(&file));
    let slot = format!("/applications/{reference}/files?slot=authorisation_scan");
    // 409 "already attached" means an earlier attempt's upload committed.
    let uploaded = until_answered!(b.upload(&slot, "授权书.pdf", &file));
    assert!(matches!(uploaded.status, 303 | 409), "upload answered {}", uploaded.status);
    let review = until_answered!(b.get(&format!("/applications/{reference}/review")));
    let key = hidden(&review.body, "submission_key");
    let form = [("submission_key", key.as_str()), ("declaration", "yes")];
    let submitted = until_answered!(b.post(&format!("/applications/{reference}/review"), &form));
    assert_eq!(submitted.status, 303, "submission: {}", submitted.location);
    let page = until_answered!(b.get(&format!("/applications/{reference}")));
    let number = page
        .body
        .split("class=\"application-number\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(number.len(), 15, "the confirmation shows the number");
    (reference, number, sha)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_acknowledged_before_a_kill_are_complete_after_the_restart() {
    let submissions: usize = std::env::var("ONESTOP_CRASH_SUBMISSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let dir = std::env::temp_dir().join(format!("onestop-crash-{:016x}", rand::rng().random::<u64>()));
    std::fs::create_dir_all(&dir).expect("dir");
    let portal = Instance::on_sqlite(dir.clone(), demo_registers_url().await);
    let status = portal.command(&["seed-demo"]).status().await.expect("seed");
    assert!(status.success());
    let server = Arc::new(Mutex::new(portal.start().await));

    let mut b = Browser::new(&portal.base());
    let form = [("name", "张伟"), ("id_number", ZHANG_WEI), ("email", "zhang.wei@example.cn"), ("password", PASSWORD)];
    assert_eq!(b.post("/register", &form).await.expect("register").status, 303);
    assert_eq!(
        b.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)])
            .await
            .expect("login")
            .status,
        303
    );

    // The killer: SIGKILL at a random moment, restart, again, until told to stop.
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let kills = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let killer = {
        let server = server.clone();
        let kills = kills.clone();
        let portal = portal.clone();
        tokio::spawn(async move {
            loop {
                let pause = Duration::from_millis(rand::rng().random_range(150..900));
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stopped.changed() => return,
                }
                let mut child = server.lock().await;
                let _ = child.start_kill();
                let _ = child.wait().await;
                kills.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                *child = portal.start().await;
            }
        })
    };

    // Apply until enough submissions were acknowledged and the portal died under them at least
    // as often (a fast machine finishes a few submissions between two kills).
    let mut acknowledged = Vec::new();
    while acknowledged.len() < submissions || kills.load(std::sync::atomic::Ordering::Relaxed) < submissions.min(3) {
        let n = acknowledged.len();
        acknowledged.push(apply_once(&mut b, n).await);
    }
    let _ = stop.send(true);
    killer.await.expect("killer");
    {
        let mut child = server.lock().await;
        let _ = child.start_kill();
        let _ = child.wait().await;
    }

    let db = Db::connect(&format!("sqlite://{}", dir.join("onestop.db").display())).await.expect("open");
    let submitted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE number IS NOT NULL")
        .fetch_one(db.pool())
        .await
        .expect("count");
    assert_eq!(submitted, acknowledged.len() as i64, "one application per acknowledged submission, none twice");
    for (reference, number, sha) in &acknowledged {
        let row: (String, Option<String>) =
            sqlx::query_as("SELECT status, number FROM applications WHERE reference = $1")
                .bind(reference)
                .fetch_one(db.pool())
                .await
                .expect("the acknowledged application is there");
        assert_eq!(row, ("submitted".to_owned(), Some(number.clone())));
        let files: Vec<String> = sqlx::query_scalar(
            "SELECT f.sha256 FROM application_files f JOIN applications a ON a.id = f.application_id \
             WHERE a.reference = $1 AND f.removed_at IS NULL",
        )
        .bind(reference)
        .fetch_all(db.pool())
        .await
        .expect("files");
        assert_eq!(files.as_slice(), std::slice::from_ref(sha), "its file, once");
        let stored = std::fs::read(stored_object(&dir, sha)).expect("the stored object exists");
        assert_eq!(&hex::encode(sha2::Sha256::digest(&stored)), sha, "the stored bytes are the ones acknowledged");
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn stored_object(dir: &Path, sha: &str) -> PathBuf {
    dir.join("files").join("objects").join(sha)
}
