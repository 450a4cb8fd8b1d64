//! Scale-out: two portal processes (A and B) behind nginx, on one PostgreSQL database, keeping
//! uploaded files in one S3-compatible bucket (s3s-fs, an S3 server over a directory). Sessions
//! live in the database, so an instance holds nothing a request needs.
//!
//! A citizen signs in on A and uploads on B; the clerk, on A, reads the file B stored. Requests
//! through nginx reach both. Every scheduled job, scheduled on both, runs once per period.
//!
//! Needs nginx and s3s-fs, which `.ci/setup.sh` installs for `make test`; without them the test
//! fails and names what is missing rather than passing.

use crate::applications::{pdf, LOW_INCOME, LOW_INCOME_DETAILS, LOW_INCOME_MEMBER};
use crate::processes::{free_port, hidden, wait_for_port, Browser, Instance};
use crate::registers::ZHANG_WEI;
use crate::support::demo_registers_url;
use app::platform::Db;
use rand::Rng;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::{Child, Command};

const PASSWORD: &str = "river-bridge-sunset-1936";
const CLERK_PASSWORD: &str = "Two-Instances-Yellow-River-7";
const BUCKET: &str = "onestop-files";
const ACCESS_KEY: &str = "onestop-test";
const SECRET_KEY: &str = "onestop-test-secret-key-0123456789";
/// The jobs `serve` schedules (server/src/main.rs).
const JOBS: [&str; 6] =
    ["applications", "file-clean-up", "supervision-digest", "hospital-offers", "retention", "session-clean-up"];

/// A program the test needs, from PATH or where `.ci/setup.sh` puts it.
fn program(name: &str, also: &[PathBuf]) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(also.iter().cloned())
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("NOT RUN: {name} is not installed; `make test` installs it (.ci/setup.sh)"))
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

/// nginx in front of the instances: round robin, each answer naming the instance that gave it.
/// One process, no master (killing a master would leave its workers running).
async fn start_nginx(dir: &Path, port: u16, upstreams: &[u16]) -> Child {
    let servers: String = upstreams.iter().map(|p| format!("server 127.0.0.1:{p};")).collect();
    let conf = format!(
        "daemon off;\nmaster_process off;\npid {dir}/nginx.pid;\nerror_log {dir}/nginx-error.log warn;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {dir}/body;\n  proxy_temp_path {dir}/proxy;\n\
           fastcgi_temp_path {dir}/fastcgi;\n  uwsgi_temp_path {dir}/uwsgi;\n  scgi_temp_path {dir}/scgi;\n\
           client_max_body_size 30m;\n  upstream portal {{ {servers} }}\n\
           server {{\n    listen 127.0.0.1:{port};\n    location / {{\n      proxy_pass http://portal;\n\
               proxy_set_header Host $host:$server_port;\n      proxy_set_header X-Forwarded-For $remote_addr;\n\
               add_header X-Upstream $upstream_addr always;\n    }}\n  }}\n}}\n",
        dir = dir.display()
    );
    let path = dir.join("nginx.conf");
    std::fs::write(&path, conf).expect("nginx.conf");
    let nginx = program("nginx", &[PathBuf::from("/usr/sbin/nginx")]);
    let child = Command::new(nginx)
        .arg("-c")
        .arg(&path)
        .arg("-e")
        .arg(dir.join("nginx-error.log"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start nginx");
    wait_for_port(port).await;
    child
}

async fn start_s3(root: &Path, port: u16) -> Child {
    std::fs::create_dir_all(root.join(BUCKET)).expect("bucket directory");
    let s3s_fs = program("s3s-fs", &[cargo_bin("s3s-fs")]);
    let child = Command::new(s3s_fs)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
        .arg(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start s3s-fs");
    wait_for_port(port).await;
    child
}

/// A new database on the test PostgreSQL server; its URL.
async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("ONESTOP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| panic!("NOT RUN: ONESTOP_TEST_POSTGRES_URL is not set; run `make test`"));
    let name = format!("onestop_scale_{:016x}", rand::rng().random::<u64>());
    let admin = Db::connect(&admin_url).await.expect("test PostgreSQL");
    // DDL takes no bind parameters; the name is hex digits after a fixed prefix.
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.expect("create database");
    admin.close().await;
    app::platform::testing::with_database_name(&admin_url, &name)
}

/// The window clerk `username` of the civil-affairs department, set up and signed in over HTTP
/// through `b` (one-time link, password, TOTP: a code is good once, so the sign-in waits for the
/// next step).
async fn clerk_signs_in(db: &Db, b: &mut Browser, username: &str) {
    use app::accounts::server::{hash_token, staff, totp};
    let token = format!("scale-out-{username}");
    let now = || app::platform::time::now_unix();
    let new = staff::NewStaff {
        username,
        display_name: "双实例窗口",
        role: app::accounts::StaffRole::WindowClerk.code(),
        department_code: Some("civil-affairs"),
        token_hash: &hash_token(&token),
        now: now(),
        expires_at: now() + 3600,
    };
    staff::create(db, &new).await.expect("staff account");
    let page = b.get(&format!("/staff/setup?token={token}")).await.expect("set-up page");
    let secret = hidden(&page.body, "secret");
    let key = totp::from_base32(&secret).expect("base32");
    let step = now() / 30;
    let code = totp::code_at(&key, now());
    let form = [("token", token.as_str()), ("secret", &secret), ("password", CLERK_PASSWORD), ("code", &code)];
    assert_eq!(b.post("/staff/setup", &form).await.expect("set-up").status, 303, "set-up");
    while now() / 30 == step {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let code = totp::code_at(&key, now());
    let form = [("username", username), ("password", CLERK_PASSWORD), ("code", &code)];
    assert_eq!(b.post("/staff/login", &form).await.expect("sign-in").status, 303, "clerk sign-in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_files_and_jobs_behind_nginx() {
    let dir = std::env::temp_dir().join(format!("onestop-scale-{:016x}", rand::rng().random::<u64>()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (s3_port, nginx_port) = (free_port(), free_port());
    let _s3 = start_s3(&dir.join("s3"), s3_port).await;
    let database_url = fresh_postgres_database().await;
    let registers = demo_registers_url().await;
    let public_origin = format!("http://127.0.0.1:{nginx_port}");
    // Both instances: the same database, bucket, key file and public origin; files, mail and
    // logs of their own.
    let instance = |name: &str| {
        let mut i = Instance::on_sqlite(dir.join(name), registers.clone());
        std::fs::create_dir_all(&i.dir).expect("instance dir");
        i.database_url = database_url.clone();
        i.log = Some(dir.join(format!("{name}.log")));
        i.settings = [
            ("ONESTOP_SECRET_KEY_FILE", dir.join("secret.key").display().to_string()),
            ("ONESTOP_PUBLIC_ORIGIN", public_origin.clone()),
            ("ONESTOP_FILES_S3_BUCKET", BUCKET.to_owned()),
            ("ONESTOP_FILES_S3_ENDPOINT", format!("http://127.0.0.1:{s3_port}")),
            ("ONESTOP_FILES_S3_ACCESS_KEY_ID", ACCESS_KEY.to_owned()),
            ("ONESTOP_FILES_S3_SECRET_ACCESS_KEY", SECRET_KEY.to_owned()),
            ("ONESTOP_FILES_S3_ALLOW_HTTP", "true".to_owned()),
            // The scheduler's claims, at debug level, are what the job check counts.
            ("ONESTOP_LOG", "warn,onestop=debug".to_owned()),
            ("ONESTOP_LOG_FORMAT", "json".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        i
    };
    let (a, b) = (instance("a"), instance("b"));
    let seeded = a.command(&["seed-demo"]).status().await.expect("seed");
    assert!(seeded.success(), "seed-demo");
    let (process_a, process_b) = tokio::join!(a.start(), b.start());
    let pids = BTreeMap::from([("a", process_a.id().unwrap_or_default()), ("b", process_b.id().unwrap_or_default())]);
    let _nginx = start_nginx(&dir, nginx_port, &[a.port, b.port]).await;
    let db = Db::connect(&database_url).await.expect("the shared database");

    // Through nginx: pages from both instances.
    let mut visitor = Browser::new(&public_origin);
    let mut upstreams = std::collections::BTreeSet::new();
    for _ in 0..6 {
        let page = visitor.get("/services").await.expect("through nginx");
        assert_eq!(page.status, 200);
        upstreams.insert(page.headers.get("x-upstream").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned());
    }
    let expected: std::collections::BTreeSet<String> =
        [a.port, b.port].iter().map(|p| format!("127.0.0.1:{p}")).collect();
    assert_eq!(upstreams, expected, "nginx sends requests to both instances");

    // The citizen registers through nginx and signs in on A.
    let form = [("name", "张伟"), ("id_number", ZHANG_WEI), ("email", "zhang.wei@example.cn"), ("password", PASSWORD)];
    assert_eq!(visitor.post("/register", &form).await.expect("register").status, 303);
    let mut on_a = Browser::new(&a.base());
    on_a.origin = public_origin.clone();
    let signed_in = on_a.post("/login", &[("identifier", "zhang.wei@example.cn"), ("password", PASSWORD)]).await;
    assert_eq!(signed_in.expect("sign in").status, 303, "sign-in on A");
    // The same session on B: start and fill the application there, upload there.
    let mut on_b = Browser::new(&b.base());
    on_b.origin = public_origin.clone();
    on_b.cookie = on_a.cookie.clone();
    let start = on_b.post(&format!("/services/{LOW_INCOME}/apply"), &[]).await.expect("start");
    assert_eq!(start.status, 303, "B knows the session A made");
    let reference = start.location.trim_start_matches("/applications/").split(['/', '?']).next().unwrap_or_default();
    let reference = reference.to_owned();
    if start.location.ends_with("/prefill") {
        on_b.post(&start.location, &[("decision", "decline")]).await.expect("prefill");
    }
    let step = |n: u32| format!("/applications/{reference}/step/{n}");
    assert_eq!(on_b.post(&step(1), &LOW_INCOME_DETAILS).await.expect("step 1").location, step(2));
    on_b.post(&step(2), &[("action", "add")]).await.expect("add member");
    assert_eq!(on_b.post(&step(2), &LOW_INCOME_MEMBER).await.expect("step 2").location, step(3));
    let file = pdf("uploaded on instance B");
    let slot = format!("/applications/{reference}/files?slot=authorisation_scan");
    let uploaded = on_b.upload(&slot, "授权书.pdf", &file).await.expect("upload");
    assert!(uploaded.location.ends_with("?notice=uploaded"), "upload on B: {} {}", uploaded.status, uploaded.location);
    // Submitted on A.
    let review = on_a.get(&format!("/applications/{reference}/review")).await.expect("review");
    let form = [("submission_key", hidden(&review.body, "submission_key")), ("declaration", "yes".to_owned())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let submitted = on_a.post(&format!("/applications/{reference}/review"), &form).await.expect("submit");
    assert_eq!(submitted.location, format!("/applications/{reference}?notice=submitted"));
    // Nothing of the file is on either instance's disk: it is in the bucket.
    for instance in [&a, &b] {
        let objects = instance.dir.join("files").join("objects");
        let stored = std::fs::read_dir(&objects).map(|d| d.count()).unwrap_or(0);
        assert_eq!(stored, 0, "no object under {}", objects.display());
    }

    // The clerk, on A, opens the case and downloads the file B stored.
    let number: String = sqlx::query_scalar("SELECT number FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(db.pool())
        .await
        .expect("the application's number");
    let mut clerk = Browser::new(&a.base());
    clerk.origin = public_origin.clone();
    clerk_signs_in(&db, &mut clerk, "scale.clerk").await;
    let case = clerk.get(&format!("/staff/cases/{number}")).await.expect("case page");
    assert_eq!(case.status, 200);
    let link = format!("/staff/cases/{number}/files/");
    let file_id =
        case.body.split(&link).nth(1).and_then(|r| r.split(['"', '/']).next()).expect("the case lists the file");
    let download = clerk.get(&format!("{link}{file_id}")).await.expect("download");
    assert_eq!(download.status, 200);
    assert_eq!(download.bytes.as_ref(), file.as_slice(), "the clerk on A gets the bytes uploaded on B");

    // Every job ran once per period, though both instances scheduled it; neither logged an error.
    let mut runs: BTreeMap<(String, i64), Vec<&str>> = BTreeMap::new();
    for name in ["a", "b"] {
        let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
        let errors: Vec<&str> = log.lines().filter(|l| l.contains("\"level\":\"ERROR\"")).collect();
        assert!(errors.is_empty(), "instance {name} logged errors: {errors:#?}");
        for line in log.lines().filter(|l| l.contains("scheduled job claimed")) {
            let event: serde_json::Value = serde_json::from_str(line).expect("a JSON log line");
            let fields = &event["fields"];
            let job = fields["job"].as_str().unwrap_or_default().to_owned();
            runs.entry((job, fields["period"].as_i64().unwrap_or(-1))).or_default().push(name);
        }
    }
    for job in JOBS {
        assert!(runs.keys().any(|(j, _)| j == job), "{job} ran: {runs:?}");
    }
    for ((job, period), by) in &runs {
        assert_eq!(by.len(), 1, "{job} ran once in period {period}, not on {by:?}");
    }
    for job in JOBS {
        let (period, holder) =
            app::platform::jobs::last_claim(&db, job).await.expect("read claims").expect("the job's claim");
        let runner = runs.get(&(job.to_owned(), period)).expect("the claimed period ran");
        assert!(holder.contains(&format!(":{}:", pids[runner[0]])), "{job}: claimed by {holder}, run by {runner:?}");
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
