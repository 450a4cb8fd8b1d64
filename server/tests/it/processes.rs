//! The real `onestop` binary as a separate process, and a browser's HTTP to it: for the tests
//! that kill a portal (`crash`) or run two of them side by side (`scale_out`).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::path::PathBuf;
use std::time::Duration;
use tokio::process::{Child, Command};

/// One portal process: its directory (files, mail, site, key), database, ports and any further
/// settings.
#[derive(Clone)]
pub struct Instance {
    pub dir: PathBuf,
    pub database_url: String,
    pub port: u16,
    pub admin_port: u16,
    pub registers: String,
    pub settings: Vec<(String, String)>,
    /// Where the process's output goes (`None`: discarded).
    pub log: Option<PathBuf>,
}

impl Instance {
    /// A portal on its own SQLite database in `dir`.
    pub fn on_sqlite(dir: PathBuf, registers: String) -> Instance {
        let database_url = format!("sqlite://{}", dir.join("onestop.db").display());
        Instance {
            dir,
            database_url,
            port: free_port(),
            admin_port: free_port(),
            registers,
            settings: Vec::new(),
            log: None,
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_onestop"));
        for (key, _) in std::env::vars() {
            if key.starts_with("ONESTOP_") || key == "DATABASE_URL" {
                cmd.env_remove(key);
            }
        }
        cmd.env("DATABASE_URL", &self.database_url)
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
            .envs(self.settings.iter().map(|(k, v)| (k, v)))
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(log) = &self.log {
            // The log goes to standard output, a failure to start to standard error.
            let file = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log file");
            cmd.stderr(file.try_clone().expect("log file"));
            cmd.stdout(file);
        }
        cmd
    }

    /// Starts `serve` and waits until it listens.
    pub async fn start(&self) -> Child {
        let child = self.command(&["serve"]).spawn().expect("start onestop");
        wait_for_port(self.port).await;
        child
    }
}

pub async fn wait_for_port(port: u16) {
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nothing listens on port {port}");
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A browser's HTTP: one session cookie, same-origin posts. `base` is where requests go,
/// `origin` the portal's public origin its forms are posted from.
pub struct Browser {
    client: Client<HttpConnector, Full<Bytes>>,
    pub base: String,
    pub origin: String,
    pub cookie: Option<String>,
}

pub struct Answer {
    pub status: u16,
    pub location: String,
    pub body: String,
    pub bytes: Bytes,
    pub headers: http::HeaderMap,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            client: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
            base: base.to_owned(),
            origin: base.to_owned(),
            cookie: None,
        }
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<String>,
        body: Vec<u8>,
    ) -> Result<Answer, String> {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("origin", &self.origin)
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
        let headers = res.headers().clone();
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok(Answer { status, location, body: String::from_utf8_lossy(&bytes).into_owned(), bytes, headers })
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Result<Answer, String> {
        let body = serde_urlencoded::to_string(form).expect("form").into_bytes();
        self.send("POST", path, Some("application/x-www-form-urlencoded".into()), body).await
    }

    pub async fn get(&mut self, path: &str) -> Result<Answer, String> {
        self.send("GET", path, None, Vec::new()).await
    }

    pub async fn upload(&mut self, path: &str, name: &str, bytes: &[u8]) -> Result<Answer, String> {
        let boundary = "----onestop-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.send("POST", path, Some(format!("multipart/form-data; boundary={boundary}")), body).await
    }
}

/// The value of the hidden field `name` on a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_owned()
}
