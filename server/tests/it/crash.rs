//! Crash safety of submissions with uploads: the real `onestop` binary is killed (SIGKILL) at
//! random moments while a citizen's browser applies again and again, retrying whatever failed
//! the way a person would (the same form again). After the last restart every acknowledged
//! submission is complete (its row, its number, its files, each stored object's bytes hashing to
//! the recorded SHA-256) and nothing is duplicated.
//!
//! `make test` runs the short version (3 submissions). The long one:
//! `ONESTOP_CRASH_SUBMISSIONS=200 cargo nextest run -p onestop-server --features app/testing crash`.

use crate::applications::{pdf, LOW_INCOME, LOW_INCOME_DETAILS, LOW_INCOME_MEMBER};
use crate::registers::ZHANG_WEI;
use crate::support::demo_registers_url;
use app::platform::Db;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use rand::Rng;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::sync::Mutex;

const PASSWORD: &str = "river-bridge-sunset-1936";

struct Portal {
    dir: PathBuf,
    port: u16,
    admin_port: u16,
    registers: String,
}

impl Portal {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_onestop"));
        for (key, _) in std::env::vars() {
            if key.starts_with("ONESTOP_") || key == "DATABASE_URL" {
                cmd.env_remove(key);
            }
        }
        cmd.env("DATABASE_URL", format!("sqlite://{}", self.dir.join("onestop.db").display()))
            .env("ONESTOP_REGISTERS_DATABASE", &self.registers)
            .env("ONESTOP_LIBRARY_DATABASE", format!("sqlite://{}", self.dir.join("library.db").display()))
            .env("ONESTOP_LIBRARY_INDEX_DIR", self.dir.join("library-index"))
            .env("ONESTOP_SECRET_KEY_FILE", self.dir.join("secret.key"))
            .env("ONESTOP_FILES_DIR", self.dir.join("files"))
            .env("ONESTOP_MAIL_DIR", self.dir.join("mail"))
            .env("ONESTOP_SITE_ROOT", self.dir.join("site"))
            .env("ONESTOP_LISTEN_ADDR", format!("127.0.0.1:{}", self.port))
            .env("ONESTOP_ADMIN_ADDR", format!("127.0.0.1:{}", self.admin_port))
            .env("ONESTOP_LOG", "warn")
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    async fn start(&self) -> Child {
        let child = self.command(&["serve"]).spawn().expect("start onestop");
        for _ in 0..300 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return child;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the portal did not start listening");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A browser's HTTP: one session cookie, same-origin posts.
struct Browser {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
    cookie: Option<String>,
}

struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Browser {
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<String>,
        body: Vec<u8>,
    ) -> Result<Answer, String> {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .header("accept", "text/html");
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let req = req.body(Full::new(Bytes::from(body))).map_err(|e| e.to_string())?;
        let res = tokio::time::timeout(Duration::from_secs(20), self.client.request(req))
            .await
            .map_err(|_| "timed out".to_owned())?
            .map_err(|e| e.to_string())?;
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            if text.contains("sid=") && !text.contains("Max-Age=0") {
                self.cookie = text.split(';').next().map(str::to_owned);
            }
        }
        let status = res.status().as_u16();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok(Answer { status, location, body: String::from_utf8_lossy(&body).into_owned() })
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Answer, String> {
        let body = serde_urlencoded::to_string(form).expect("form").into_bytes();
        self.send("POST", path, Some("application/x-www-form-urlencoded".into()), body).await
    }

    async fn get(&mut self, path: &str) -> Result<Answer, String> {
        self.send("GET", path, None, Vec::new()).await
    }

    async fn upload(&mut self, path: &str, name: &str, bytes: &[u8]) -> Result<Answer, String> {
        let boundary = "----onestop-crash-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send("POST", path, Some(format!("multipart/form-data; boundary={boundary}")), body).await
    }
}

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

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
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
    let portal =
        Portal { dir: dir.clone(), port: free_port(), admin_port: free_port(), registers: demo_registers_url().await };
    let status = portal.command(&["seed-demo"]).status().await.expect("seed");
    assert!(status.success());
    let server = Arc::new(Mutex::new(portal.start().await));

    let mut b = Browser {
        client: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base: format!("http://127.0.0.1:{}", portal.port),
        cookie: None,
    };
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
        let portal = Portal {
            dir: dir.clone(),
            port: portal.port,
            admin_port: portal.admin_port,
            registers: portal.registers.clone(),
        };
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
