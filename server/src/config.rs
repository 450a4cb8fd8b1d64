//! Configuration from the environment and an optional TOML file, validated at start-up.
//!
//! Precedence: environment variables (`ONESTOP_*`, `DATABASE_URL`) over the file over the
//! defaults. Every value is checked before the server starts, with a message that names it.

use app::platform::files::{BucketSettings, StorageSettings, UploadLimits};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub listen_addr: SocketAddr,
    /// Where the operator endpoints (`/metrics`, `/healthz`) listen; loopback by default.
    pub admin_addr: SocketAddr,
    /// The origin browsers see (scheme://host[:port]); state-changing requests must come from it.
    pub public_origin: String,
    /// Where the built site (pkg/, favicon …) is served from.
    pub site_root: PathBuf,
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub log_format: LogFormat,
    /// `Secure` on cookies; only a plain-HTTP local run turns it off.
    pub secure_cookies: bool,
    pub registers: RegistersConfig,
    /// The hospitals' booking platform: the demo platform's own database.
    pub hospitals_database_url: String,
    /// The gas company's system: the demo company's own database.
    pub gas_database_url: String,
    /// The gas company's interface, when the portal calls it over signed HTTP, and the key
    /// `providers serve` publishes the demo company with.
    pub gas_provider: ExchangeConfig,
    /// The bus company's timetable system: its own database.
    pub bus_database_url: String,
    /// The bus company's GTFS Realtime feed URL; without one the demo company runs in-process.
    pub bus_realtime_url: Option<String>,
    pub library: LibraryConfig,
    /// Map tiles (`ONESTOP_MAP_TILES`, `ONESTOP_MAP_ATTRIBUTION`, `ONESTOP_MAP_MAX_ZOOM`);
    /// none by default, so nothing is fetched from a third party unless the city chooses to.
    pub map_tiles: Option<app::ui::TileSource>,
    /// The portal's secret (keyed hashes of ID numbers, their encryption); created on first use.
    pub secret_key_file: PathBuf,
    pub mail: MailConfig,
    /// Days an unsubmitted application draft is kept after its last change.
    pub draft_days: i64,
    /// Working days a 差评 ledger entry has to be worked.
    pub rating_ledger_days: u32,
    pub files: FilesConfig,
    /// The CJK font issued documents are set in (TrueType/OpenType, or a collection whose first
    /// face is used); checked when `serve` starts.
    pub document_font: PathBuf,
    /// How the built browser files are named (read from the build's hash file, once).
    pub asset_names: AssetNames,
}

/// How the built browser files under `pkg/` are named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetNames {
    /// `onestop.js`, `onestop_bg.wasm`, `onestop.css`: a build without hashing.
    Plain,
    /// `onestop.<hash>.js`, `onestop.<hash>_bg.wasm`, `onestop.<hash>.css`: one hash of all
    /// three (`.ci/build.sh`), so the names follow from the output name alone.
    Hashed(String),
    /// A hash per file (cargo-leptos's layout, the development loop): leptos's own components
    /// read the hash file on every page to find them.
    PerFile,
}

impl AssetNames {
    /// The hash file leptos's layout puts beside the server binary, if there is one.
    pub const HASH_FILE: &str = "hash.txt";

    /// From the hash file beside the running binary.
    pub fn beside_binary() -> AssetNames {
        let text = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(Self::HASH_FILE)))
            .and_then(|file| std::fs::read_to_string(file).ok());
        text.map_or(AssetNames::Plain, |text| AssetNames::from_hash_file(&text))
    }

    /// From the hash file's lines (`js: …`, `wasm: …`, `css: …`).
    pub fn from_hash_file(text: &str) -> AssetNames {
        let hashes: Vec<&str> = text.lines().filter_map(|line| line.split_once(':')).map(|(_, h)| h.trim()).collect();
        match hashes.first() {
            Some(first) if hashes.len() == 3 && hashes.iter().all(|h| h == first) && !first.is_empty() => {
                AssetNames::Hashed((*first).to_owned())
            }
            _ => AssetNames::PerFile,
        }
    }

    /// Whether a file's name changes with its content, so browsers may keep it for good.
    pub fn hashed(&self) -> bool {
        !matches!(self, AssetNames::Plain)
    }
}

/// The documents' font unless configured: Debian's `fonts-wqy-microhei` (installed by
/// `.ci/setup.sh`).
pub const DEFAULT_DOCUMENT_FONT: &str = app::documents::server::DEFAULT_FONT_PATH;

/// Uploaded files: where they are kept and how much a citizen may send.
#[derive(Debug, Clone)]
pub struct FilesConfig {
    pub storage: StorageSettings,
    pub limits: UploadLimits,
    /// How long one upload request may take (instead of `request_timeout`).
    pub upload_timeout: Duration,
}

/// Where outgoing mail goes.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` of a relay; when unset, mail is written to `folder` as `.eml` files.
    pub smtp: Option<(String, u16)>,
    pub folder: PathBuf,
    pub from: String,
}

/// Where the base registers are read from, and the keys that protect them.
#[derive(Debug, Clone)]
pub struct RegistersConfig {
    /// The demo registers' own database (in-process provider, and `providers serve`).
    pub database_url: String,
    /// A department endpoint; when set the portal reads registers over HTTP instead.
    pub remote_url: Option<String>,
    pub key_id: String,
    /// The shared HMAC secret (hex); required for the remote provider and `providers serve`.
    pub key_hex: Option<String>,
    /// The longest a register call may take before the user is asked to type the data.
    pub timeout: Duration,
}

/// Another organisation's system reached over the signed exchange protocol.
#[derive(Debug, Clone)]
pub struct ExchangeConfig {
    /// Its endpoint; when set the portal calls it instead of the in-process demo.
    pub remote_url: Option<String>,
    pub key_id: String,
    /// The shared HMAC secret (hex); required with `remote_url` and for `providers serve`.
    pub key_hex: Option<String>,
    /// The longest a call may take, retries included.
    pub timeout: Duration,
}

/// The settings' names for one partner, so messages name what the operator set.
struct ExchangeNames {
    url: &'static str,
    key_id: &'static str,
    key: &'static str,
    timeout_ms: &'static str,
}

/// The city library's system and the portal's search index over it.
#[derive(Debug, Clone)]
pub struct LibraryConfig {
    /// The demo library's own database (what `seed-demo` installs and `providers serve` publishes).
    pub database_url: String,
    /// The library's interface, when the portal calls it over signed HTTP (otherwise the demo
    /// library's database answers in-process), and the key `providers serve` publishes it with.
    pub exchange: ExchangeConfig,
    /// Where the portal keeps its catalogue search index (rebuildable with
    /// `onestop library reindex`).
    pub index_dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The file form: every field optional, so a file can set only what it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    listen_addr: Option<String>,
    admin_addr: Option<String>,
    public_origin: Option<String>,
    site_root: Option<String>,
    body_limit_bytes: Option<usize>,
    draft_days: Option<i64>,
    rating_ledger_days: Option<u32>,
    request_timeout_secs: Option<u64>,
    log_format: Option<String>,
    secure_cookies: Option<bool>,
    registers_database_url: Option<String>,
    registers_url: Option<String>,
    registers_key_id: Option<String>,
    registers_timeout_ms: Option<u64>,
    hospitals_database_url: Option<String>,
    gas_database_url: Option<String>,
    gas_provider_url: Option<String>,
    gas_provider_key_id: Option<String>,
    gas_provider_timeout_ms: Option<u64>,
    bus_database_url: Option<String>,
    bus_realtime_url: Option<String>,
    library_database_url: Option<String>,
    library_index_dir: Option<String>,
    map_tiles: Option<String>,
    map_attribution: Option<String>,
    map_max_zoom: Option<u8>,
    library_provider_url: Option<String>,
    library_provider_key_id: Option<String>,
    library_provider_timeout_ms: Option<u64>,
    secret_key_file: Option<String>,
    smtp_url: Option<String>,
    mail_dir: Option<String>,
    mail_from: Option<String>,
    files_dir: Option<String>,
    files_s3_bucket: Option<String>,
    files_s3_endpoint: Option<String>,
    files_s3_region: Option<String>,
    files_s3_access_key_id: Option<String>,
    files_s3_allow_http: Option<bool>,
    upload_max_file_bytes: Option<u64>,
    upload_max_application_bytes: Option<u64>,
    upload_max_files_per_slot: Option<u32>,
    upload_timeout_secs: Option<u64>,
    document_font: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("invalid value for {name}: {reason}")]
    Invalid { name: &'static str, reason: String },
}

impl Config {
    /// Reads the optional file, then the environment (`lookup` is `std::env::var` in production).
    pub fn load(file: Option<&Path>, lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let from_file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| ConfigError::File { path: path.display().to_string(), reason: e.to_string() })?;
                toml::from_str::<FileConfig>(&text)
                    .map_err(|e| ConfigError::File { path: path.display().to_string(), reason: e.to_string() })?
            }
            None => FileConfig::default(),
        };
        let registers = registers_config(&lookup, &from_file)?;
        let hospitals_database_url = lookup("ONESTOP_HOSPITALS_DATABASE")
            .or(from_file.hospitals_database_url.clone())
            .unwrap_or_else(|| "sqlite://data/hospitals.db".to_owned());
        if !hospitals_database_url.starts_with("sqlite:") && !hospitals_database_url.starts_with("postgres") {
            return Err(invalid("ONESTOP_HOSPITALS_DATABASE", "expected a sqlite: or postgres: URL"));
        }
        let gas_database_url = lookup("ONESTOP_GAS_DATABASE")
            .or(from_file.gas_database_url.clone())
            .unwrap_or_else(|| "sqlite://data/gas.db".to_owned());
        if !gas_database_url.starts_with("sqlite:") && !gas_database_url.starts_with("postgres") {
            return Err(invalid("ONESTOP_GAS_DATABASE", "expected a sqlite: or postgres: URL"));
        }
        let gas_provider = exchange_config(
            &lookup,
            &ExchangeNames {
                url: "ONESTOP_GAS_PROVIDER_URL",
                key_id: "ONESTOP_GAS_PROVIDER_KEY_ID",
                key: "ONESTOP_GAS_PROVIDER_KEY",
                timeout_ms: "ONESTOP_GAS_PROVIDER_TIMEOUT_MS",
            },
            (&from_file.gas_provider_url, &from_file.gas_provider_key_id, from_file.gas_provider_timeout_ms),
        )?;
        let bus_database_url = lookup("ONESTOP_BUS_DATABASE")
            .or(from_file.bus_database_url.clone())
            .unwrap_or_else(|| "sqlite://data/bus.db".to_owned());
        if !bus_database_url.starts_with("sqlite:") && !bus_database_url.starts_with("postgres") {
            return Err(invalid("ONESTOP_BUS_DATABASE", "expected a sqlite: or postgres: URL"));
        }
        let bus_realtime_url = lookup("ONESTOP_BUS_REALTIME_URL").or(from_file.bus_realtime_url.clone());
        // Plain HTTP, as between departments: transport encryption is the exchange gateway's job.
        if bus_realtime_url.as_deref().is_some_and(|url| !url.starts_with("http://")) {
            return Err(invalid("ONESTOP_BUS_REALTIME_URL", "expected an http:// URL"));
        }
        let library = library_config(&lookup, &from_file)?;
        let map_tiles = match lookup("ONESTOP_MAP_TILES").or(from_file.map_tiles.clone()) {
            None => None,
            Some(template) => {
                let attribution = lookup("ONESTOP_MAP_ATTRIBUTION").or(from_file.map_attribution.clone());
                let max_zoom = match lookup("ONESTOP_MAP_MAX_ZOOM") {
                    Some(v) => v.parse().map_err(|_| invalid("ONESTOP_MAP_MAX_ZOOM", "expected a number 1..=22"))?,
                    None => from_file.map_max_zoom.unwrap_or(18),
                };
                let source = app::ui::TileSource::parse(&template, attribution.as_deref().unwrap_or(""), max_zoom)
                    .map_err(|reason| invalid("ONESTOP_MAP_TILES", reason))?;
                Some(source)
            }
        };
        let secret_key_file = lookup("ONESTOP_SECRET_KEY_FILE")
            .or(from_file.secret_key_file.clone())
            .unwrap_or_else(|| "data/secret.key".to_owned());
        let mail = mail_config(&lookup, &from_file)?;
        let files = files_config(&lookup, &from_file)?;
        let pick = |env: &str, file_value: Option<String>| lookup(env).or(file_value);

        let database_url =
            pick("DATABASE_URL", from_file.database_url).unwrap_or_else(|| "sqlite://data/onestop.db".to_owned());
        if app::platform::Backend::from_url(&database_url).is_none() {
            return Err(invalid("DATABASE_URL", "expected sqlite:… or postgres://…"));
        }

        let listen_addr = pick("ONESTOP_LISTEN_ADDR", from_file.listen_addr)
            .or_else(|| lookup("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let listen_addr: SocketAddr = listen_addr
            .parse()
            .map_err(|_| invalid("ONESTOP_LISTEN_ADDR", "expected host:port, e.g. 127.0.0.1:3000"))?;

        let admin_addr: SocketAddr = pick("ONESTOP_ADMIN_ADDR", from_file.admin_addr)
            .unwrap_or_else(|| "127.0.0.1:3001".to_owned())
            .parse()
            .map_err(|_| invalid("ONESTOP_ADMIN_ADDR", "expected host:port, e.g. 127.0.0.1:3001"))?;
        if same_socket(admin_addr, listen_addr) {
            return Err(invalid("ONESTOP_ADMIN_ADDR", "must differ from ONESTOP_LISTEN_ADDR (set another port)"));
        }

        let public_origin =
            pick("ONESTOP_PUBLIC_ORIGIN", from_file.public_origin).unwrap_or_else(|| format!("http://{listen_addr}"));
        let public_origin = validate_origin(&public_origin)?;

        let site_root = pick("ONESTOP_SITE_ROOT", from_file.site_root)
            .or_else(|| lookup("LEPTOS_SITE_ROOT"))
            .unwrap_or_else(|| "target/site".to_owned());

        let body_limit_bytes = match lookup("ONESTOP_BODY_LIMIT_BYTES") {
            Some(v) => v.parse().map_err(|_| invalid("ONESTOP_BODY_LIMIT_BYTES", "expected a number of bytes"))?,
            None => from_file.body_limit_bytes.unwrap_or(1024 * 1024),
        };
        if !(1024..=512 * 1024 * 1024).contains(&body_limit_bytes) {
            return Err(invalid("ONESTOP_BODY_LIMIT_BYTES", "must be between 1 KiB and 512 MiB"));
        }

        let draft_days = match lookup("ONESTOP_DRAFT_DAYS") {
            Some(v) => v.parse().map_err(|_| invalid("ONESTOP_DRAFT_DAYS", "expected a whole number of days"))?,
            None => from_file.draft_days.unwrap_or(30),
        };
        if !(1..=365).contains(&draft_days) {
            return Err(invalid("ONESTOP_DRAFT_DAYS", "must be between 1 and 365 days"));
        }

        let rating_ledger_days = match lookup("ONESTOP_RATING_LEDGER_DAYS") {
            Some(v) => v
                .parse()
                .map_err(|_| invalid("ONESTOP_RATING_LEDGER_DAYS", "expected a whole number of working days"))?,
            None => from_file.rating_ledger_days.unwrap_or(app::supervision::ledger::DEFAULT_WORKING_DAYS),
        };
        if !(1..=60).contains(&rating_ledger_days) {
            return Err(invalid("ONESTOP_RATING_LEDGER_DAYS", "must be between 1 and 60 working days"));
        }

        let timeout_secs = match lookup("ONESTOP_REQUEST_TIMEOUT_SECS") {
            Some(v) => v.parse().map_err(|_| invalid("ONESTOP_REQUEST_TIMEOUT_SECS", "expected whole seconds"))?,
            None => from_file.request_timeout_secs.unwrap_or(30),
        };
        if !(1..=600).contains(&timeout_secs) {
            return Err(invalid("ONESTOP_REQUEST_TIMEOUT_SECS", "must be between 1 and 600"));
        }

        let log_format = match pick("ONESTOP_LOG_FORMAT", from_file.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => return Err(invalid("ONESTOP_LOG_FORMAT", "expected text or json")),
        };

        let secure_cookies = match lookup("ONESTOP_SECURE_COOKIES") {
            Some(v) => parse_bool(&v).ok_or_else(|| invalid("ONESTOP_SECURE_COOKIES", "expected true or false"))?,
            None => from_file.secure_cookies.unwrap_or_else(|| public_origin.starts_with("https://")),
        };
        if !secure_cookies && public_origin.starts_with("https://") {
            return Err(invalid("ONESTOP_SECURE_COOKIES", "cookies must be Secure when the site is served over HTTPS"));
        }

        let document_font =
            pick("ONESTOP_DOCUMENT_FONT", from_file.document_font).unwrap_or_else(|| DEFAULT_DOCUMENT_FONT.to_owned());
        if document_font.trim().is_empty() {
            return Err(invalid("ONESTOP_DOCUMENT_FONT", "expected the path of a font file"));
        }

        Ok(Config {
            document_font: PathBuf::from(document_font),
            registers,
            hospitals_database_url,
            gas_database_url,
            gas_provider,
            bus_database_url,
            bus_realtime_url,
            library,
            map_tiles,
            secret_key_file: PathBuf::from(secret_key_file),
            mail,
            files,
            database_url,
            listen_addr,
            admin_addr,
            public_origin,
            site_root: PathBuf::from(site_root),
            body_limit_bytes,
            draft_days,
            rating_ledger_days,
            request_timeout: Duration::from_secs(timeout_secs),
            log_format,
            secure_cookies,
            asset_names: AssetNames::beside_binary(),
        })
    }

    pub fn is_https(&self) -> bool {
        self.public_origin.starts_with("https://")
    }
}

fn mail_config(lookup: &impl Fn(&str) -> Option<String>, file: &FileConfig) -> Result<MailConfig, ConfigError> {
    let smtp = match lookup("ONESTOP_SMTP_URL").or_else(|| file.smtp_url.clone()) {
        None => None,
        Some(url) => {
            let err = || invalid("ONESTOP_SMTP_URL", "expected smtp://host:port");
            let rest = url.strip_prefix("smtp://").ok_or_else(err)?.trim_end_matches('/');
            let (host, port) = rest.rsplit_once(':').ok_or_else(err)?;
            let port: u16 = port.parse().map_err(|_| err())?;
            if host.is_empty() {
                return Err(err());
            }
            Some((host.to_owned(), port))
        }
    };
    let folder = lookup("ONESTOP_MAIL_DIR").or_else(|| file.mail_dir.clone()).unwrap_or_else(|| "data/mail".to_owned());
    let from = lookup("ONESTOP_MAIL_FROM")
        .or_else(|| file.mail_from.clone())
        .unwrap_or_else(|| "OneStop <noreply@localhost>".to_owned());
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(invalid("ONESTOP_MAIL_FROM", "expected a mailbox such as Portal <noreply@example.gov.cn>"));
    }
    Ok(MailConfig { smtp, folder: PathBuf::from(folder), from })
}

fn files_config(lookup: &impl Fn(&str) -> Option<String>, file: &FileConfig) -> Result<FilesConfig, ConfigError> {
    let pick = |env: &str, file_value: &Option<String>| lookup(env).or_else(|| file_value.clone());
    let number = |env: &'static str, file_value: Option<u64>, default: u64, range: std::ops::RangeInclusive<u64>| {
        let value = match lookup(env) {
            Some(v) => v.trim().parse().map_err(|_| invalid(env, "expected a whole number"))?,
            None => file_value.unwrap_or(default),
        };
        if !range.contains(&value) {
            return Err(invalid(env, &format!("must be between {} and {}", range.start(), range.end())));
        }
        Ok(value)
    };
    let defaults = UploadLimits::default();
    const MIB: u64 = 1024 * 1024;
    let per_file =
        number("ONESTOP_UPLOAD_MAX_FILE_BYTES", file.upload_max_file_bytes, defaults.per_file, 1024..=100 * MIB)?;
    let per_application = number(
        "ONESTOP_UPLOAD_MAX_APPLICATION_BYTES",
        file.upload_max_application_bytes,
        defaults.per_application,
        1024..=1024 * MIB,
    )?;
    if per_application < per_file {
        return Err(invalid("ONESTOP_UPLOAD_MAX_APPLICATION_BYTES", "must be at least ONESTOP_UPLOAD_MAX_FILE_BYTES"));
    }
    let files_per_slot = number(
        "ONESTOP_UPLOAD_MAX_FILES_PER_SLOT",
        file.upload_max_files_per_slot.map(u64::from),
        u64::from(defaults.files_per_slot),
        1..=100,
    )? as u32;
    let upload_timeout = number("ONESTOP_UPLOAD_TIMEOUT_SECS", file.upload_timeout_secs, 600, 30..=3600)?;

    let dir = pick("ONESTOP_FILES_DIR", &file.files_dir).unwrap_or_else(|| "data/files".to_owned());
    if dir.trim().is_empty() {
        return Err(invalid("ONESTOP_FILES_DIR", "expected a directory"));
    }
    let bucket = match pick("ONESTOP_FILES_S3_BUCKET", &file.files_s3_bucket) {
        None => None,
        Some(bucket) => Some(bucket_settings(lookup, file, bucket)?),
    };
    Ok(FilesConfig {
        storage: StorageSettings { dir: PathBuf::from(dir), bucket },
        limits: UploadLimits { per_file, per_application, files_per_slot },
        upload_timeout: Duration::from_secs(upload_timeout),
    })
}

fn bucket_settings(
    lookup: &impl Fn(&str) -> Option<String>,
    file: &FileConfig,
    bucket: String,
) -> Result<BucketSettings, ConfigError> {
    let pick = |env: &str, file_value: &Option<String>| lookup(env).or_else(|| file_value.clone());
    // S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens.
    if !(3..=63).contains(&bucket.len())
        || !bucket.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-'))
    {
        return Err(invalid("ONESTOP_FILES_S3_BUCKET", "expected 3 to 63 lowercase letters, digits, dots or hyphens"));
    }
    let allow_http = match lookup("ONESTOP_FILES_S3_ALLOW_HTTP") {
        Some(v) => parse_bool(&v).ok_or_else(|| invalid("ONESTOP_FILES_S3_ALLOW_HTTP", "expected true or false"))?,
        None => file.files_s3_allow_http.unwrap_or(false),
    };
    let endpoint = pick("ONESTOP_FILES_S3_ENDPOINT", &file.files_s3_endpoint);
    if let Some(endpoint) = &endpoint {
        let rest = endpoint.strip_prefix("https://").or_else(|| endpoint.strip_prefix("http://"));
        if rest.is_none_or(|r| r.is_empty() || r.contains(['?', '#', '@', ' '])) {
            return Err(invalid("ONESTOP_FILES_S3_ENDPOINT", "expected https://host[:port]"));
        }
        if endpoint.starts_with("http://") && !allow_http {
            return Err(invalid("ONESTOP_FILES_S3_ENDPOINT", "plain http:// needs ONESTOP_FILES_S3_ALLOW_HTTP=true"));
        }
    }
    let region = pick("ONESTOP_FILES_S3_REGION", &file.files_s3_region).unwrap_or_else(|| "us-east-1".to_owned());
    let access_key_id = pick("ONESTOP_FILES_S3_ACCESS_KEY_ID", &file.files_s3_access_key_id)
        .ok_or_else(|| invalid("ONESTOP_FILES_S3_ACCESS_KEY_ID", "required when ONESTOP_FILES_S3_BUCKET is set"))?;
    // The secret is never read from the file: secrets come from the environment only.
    let secret_access_key = lookup("ONESTOP_FILES_S3_SECRET_ACCESS_KEY")
        .ok_or_else(|| invalid("ONESTOP_FILES_S3_SECRET_ACCESS_KEY", "required when ONESTOP_FILES_S3_BUCKET is set"))?;
    Ok(BucketSettings { bucket, endpoint, region, access_key_id, secret_access_key, allow_http })
}

fn registers_config(
    lookup: &impl Fn(&str) -> Option<String>,
    file: &FileConfig,
) -> Result<RegistersConfig, ConfigError> {
    let pick = |env: &str, file_value: &Option<String>| lookup(env).or_else(|| file_value.clone());
    let database_url = pick("ONESTOP_REGISTERS_DATABASE", &file.registers_database_url)
        .unwrap_or_else(|| "sqlite://data/registers.db".to_owned());
    if !database_url.starts_with("sqlite:") {
        return Err(invalid("ONESTOP_REGISTERS_DATABASE", "expected a sqlite: URL for the demo registers"));
    }
    let exchange = exchange_config(
        lookup,
        &ExchangeNames {
            url: "ONESTOP_REGISTERS_URL",
            key_id: "ONESTOP_REGISTERS_KEY_ID",
            key: "ONESTOP_REGISTERS_KEY",
            timeout_ms: "ONESTOP_REGISTERS_TIMEOUT_MS",
        },
        (&file.registers_url, &file.registers_key_id, file.registers_timeout_ms),
    )?;
    let ExchangeConfig { remote_url, key_id, key_hex, timeout } = exchange;
    Ok(RegistersConfig { database_url, remote_url, key_id, key_hex, timeout })
}

/// A partner's endpoint, key and deadline; `file` holds the file's URL, key id and timeout.
fn exchange_config(
    lookup: &impl Fn(&str) -> Option<String>,
    names: &ExchangeNames,
    file: (&Option<String>, &Option<String>, Option<u64>),
) -> Result<ExchangeConfig, ConfigError> {
    let remote_url = lookup(names.url).or_else(|| file.0.clone());
    if let Some(url) = &remote_url {
        if !url.starts_with("http://") || url.trim_end_matches('/').contains(['?', '#', ' ']) {
            return Err(invalid(names.url, "expected http://host:port of the exchange gateway"));
        }
    }
    let key_id = lookup(names.key_id).or_else(|| file.1.clone()).unwrap_or_else(|| "portal".to_owned());
    // The secret is never read from the file: secrets come from the environment only.
    let key_hex = lookup(names.key);
    if let Some(key) = &key_hex {
        let bytes = hex::decode(key.trim()).map_err(|_| invalid(names.key, "expected hex digits"))?;
        app::platform::exchange::wire::SigningKey::new(&key_id, &bytes).map_err(|e| invalid(names.key, &e))?;
    }
    if remote_url.is_some() && key_hex.is_none() {
        return Err(ConfigError::Invalid { name: names.key, reason: format!("required when {} is set", names.url) });
    }
    let timeout_ms = match lookup(names.timeout_ms) {
        Some(v) => v.parse().map_err(|_| invalid(names.timeout_ms, "expected milliseconds"))?,
        None => file.2.unwrap_or(3000),
    };
    if !(100..=30_000).contains(&timeout_ms) {
        return Err(invalid(names.timeout_ms, "must be between 100 and 30000"));
    }
    Ok(ExchangeConfig { remote_url, key_id, key_hex, timeout: Duration::from_millis(timeout_ms) })
}

fn library_config(lookup: &impl Fn(&str) -> Option<String>, file: &FileConfig) -> Result<LibraryConfig, ConfigError> {
    let pick = |env: &str, file_value: &Option<String>| lookup(env).or_else(|| file_value.clone());
    let database_url = pick("ONESTOP_LIBRARY_DATABASE", &file.library_database_url)
        .unwrap_or_else(|| "sqlite://data/library.db".to_owned());
    if !database_url.starts_with("sqlite:") {
        return Err(invalid("ONESTOP_LIBRARY_DATABASE", "expected a sqlite: URL for the demo library"));
    }
    let index_dir =
        pick("ONESTOP_LIBRARY_INDEX_DIR", &file.library_index_dir).unwrap_or_else(|| "data/library-index".to_owned());
    let exchange = exchange_config(
        lookup,
        &ExchangeNames {
            url: "ONESTOP_LIBRARY_PROVIDER_URL",
            key_id: "ONESTOP_LIBRARY_PROVIDER_KEY_ID",
            key: "ONESTOP_LIBRARY_PROVIDER_KEY",
            timeout_ms: "ONESTOP_LIBRARY_PROVIDER_TIMEOUT_MS",
        },
        (&file.library_provider_url, &file.library_provider_key_id, file.library_provider_timeout_ms),
    )?;
    Ok(LibraryConfig { database_url, exchange, index_dir: PathBuf::from(index_dir) })
}

fn invalid(name: &'static str, reason: &str) -> ConfigError {
    ConfigError::Invalid { name, reason: reason.to_owned() }
}

/// Whether two listen addresses would take the same port (an unspecified address takes it on
/// every interface).
fn same_socket(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() == b.port() && (a.ip() == b.ip() || a.ip().is_unspecified() || b.ip().is_unspecified())
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// An origin is scheme://host[:port] with no path, query or trailing slash.
fn validate_origin(origin: &str) -> Result<String, ConfigError> {
    let err = || invalid("ONESTOP_PUBLIC_ORIGIN", "expected http(s)://host[:port] with no path");
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")).ok_or_else(err)?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err(err());
    }
    Ok(origin.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load_with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::load(None, |k| map.get(k).cloned())
    }

    #[test]
    fn one_hash_for_every_browser_file_is_the_output_name_and_a_hash_each_is_left_to_leptos() {
        let one = "js: abc123\nwasm: abc123\ncss: abc123\n";
        assert_eq!(AssetNames::from_hash_file(one), AssetNames::Hashed("abc123".into()));
        // cargo-leptos's own file (the development loop) has a hash per file.
        let each = "js: abc123\nwasm: def456\ncss: abc123\n";
        assert_eq!(AssetNames::from_hash_file(each), AssetNames::PerFile);
        assert_eq!(AssetNames::from_hash_file("js: \nwasm: \ncss: \n"), AssetNames::PerFile);
        assert!(AssetNames::PerFile.hashed() && !AssetNames::Plain.hashed());
        // Tests run without a build's hash file beside them.
        assert_eq!(load_with(&[]).expect("defaults").asset_names, AssetNames::Plain);
    }

    #[test]
    fn defaults_serve_locally_on_sqlite() {
        let cfg = load_with(&[]).expect("defaults are valid");
        assert_eq!(cfg.database_url, "sqlite://data/onestop.db");
        assert_eq!(cfg.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(cfg.public_origin, "http://127.0.0.1:3000");
        assert_eq!(cfg.admin_addr.to_string(), "127.0.0.1:3001", "operator endpoints on loopback");
        assert!(!cfg.secure_cookies);
    }

    #[test]
    fn the_admin_address_is_configurable_and_never_the_public_one() {
        let cfg = load_with(&[("ONESTOP_ADMIN_ADDR", "127.0.0.1:9464")]).expect("valid");
        assert_eq!(cfg.admin_addr.to_string(), "127.0.0.1:9464");
        for (listen, admin) in [("127.0.0.1:3000", "127.0.0.1:3000"), ("0.0.0.0:3000", "127.0.0.1:3000")] {
            let err = load_with(&[("ONESTOP_LISTEN_ADDR", listen), ("ONESTOP_ADMIN_ADDR", admin)]);
            assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_ADMIN_ADDR", .. })), "{listen} {admin}");
        }
        let moved = load_with(&[("ONESTOP_LISTEN_ADDR", "127.0.0.1:3001")]);
        assert!(
            matches!(moved, Err(ConfigError::Invalid { name: "ONESTOP_ADMIN_ADDR", .. })),
            "default clash is named"
        );
    }

    #[test]
    fn map_tiles_are_off_unless_configured_and_then_need_their_attribution() {
        assert_eq!(load_with(&[]).expect("valid").map_tiles, None);
        let template = ("ONESTOP_MAP_TILES", "https://tiles.example.org/{z}/{x}/{y}.png");
        let cfg = load_with(&[template, ("ONESTOP_MAP_ATTRIBUTION", "© OpenStreetMap contributors")]).expect("valid");
        let tiles = cfg.map_tiles.expect("configured");
        assert_eq!((tiles.origin(), tiles.max_zoom), ("https://tiles.example.org", 18));
        let err = load_with(&[template]);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_MAP_TILES", .. })), "no attribution");
        let err = load_with(&[template, ("ONESTOP_MAP_ATTRIBUTION", "x"), ("ONESTOP_MAP_MAX_ZOOM", "high")]);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_MAP_MAX_ZOOM", .. })));
    }

    #[test]
    fn https_origin_implies_secure_cookies_and_refuses_insecure_ones() {
        let cfg = load_with(&[("ONESTOP_PUBLIC_ORIGIN", "https://zwfw.example.gov.cn")]).expect("valid");
        assert!(cfg.secure_cookies && cfg.is_https());
        let err = load_with(&[("ONESTOP_PUBLIC_ORIGIN", "https://x.example"), ("ONESTOP_SECURE_COOKIES", "false")]);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_SECURE_COOKIES", .. })));
    }

    #[test]
    fn bad_values_name_the_setting() {
        let cases = [
            ("DATABASE_URL", "mysql://x"),
            ("ONESTOP_LISTEN_ADDR", "localhost"),
            ("ONESTOP_ADMIN_ADDR", "metrics.internal"),
            ("ONESTOP_PUBLIC_ORIGIN", "http://x.example/path"),
            ("ONESTOP_BODY_LIMIT_BYTES", "12"),
            ("ONESTOP_REQUEST_TIMEOUT_SECS", "abc"),
            ("ONESTOP_LOG_FORMAT", "xml"),
            ("ONESTOP_REGISTERS_DATABASE", "postgres://x/y"),
            ("ONESTOP_REGISTERS_URL", "ftp://x"),
            ("ONESTOP_REGISTERS_KEY", "not hex"),
            ("ONESTOP_REGISTERS_KEY", "abcd"),
            ("ONESTOP_REGISTERS_TIMEOUT_MS", "5"),
            ("ONESTOP_GAS_PROVIDER_URL", "https://gas.example"),
            ("ONESTOP_GAS_PROVIDER_KEY", "abcd"),
            ("ONESTOP_GAS_PROVIDER_TIMEOUT_MS", "99999"),
            ("ONESTOP_SMTP_URL", "smtps://mail.example:465"),
            ("ONESTOP_SMTP_URL", "smtp://mail.example"),
            ("ONESTOP_MAIL_FROM", "not a mailbox"),
            ("ONESTOP_UPLOAD_MAX_FILE_BYTES", "ten"),
            ("ONESTOP_UPLOAD_MAX_FILE_BYTES", "200000000"),
            ("ONESTOP_UPLOAD_MAX_APPLICATION_BYTES", "4096"),
            ("ONESTOP_UPLOAD_MAX_FILES_PER_SLOT", "0"),
            ("ONESTOP_UPLOAD_TIMEOUT_SECS", "5"),
            ("ONESTOP_FILES_DIR", " "),
            ("ONESTOP_FILES_S3_BUCKET", "Bad_Bucket"),
            ("ONESTOP_DOCUMENT_FONT", " "),
        ];
        for (name, value) in cases {
            match load_with(&[(name, value)]) {
                Err(ConfigError::Invalid { name: reported, .. }) => assert_eq!(reported, name),
                other => panic!("{name}={value} gave {other:?}"),
            }
        }
    }

    #[test]
    fn uploads_default_to_a_local_directory_and_a_bucket_needs_its_keys() {
        let cfg = load_with(&[]).expect("defaults are valid");
        assert_eq!(cfg.files.storage, StorageSettings { dir: PathBuf::from("data/files"), bucket: None });
        assert_eq!(cfg.files.limits, UploadLimits::default());
        assert_eq!(cfg.files.upload_timeout, Duration::from_secs(600));

        let bucket = [("ONESTOP_FILES_S3_BUCKET", "onestop-files"), ("ONESTOP_FILES_S3_ACCESS_KEY_ID", "portal")];
        let err = load_with(&bucket);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_FILES_S3_SECRET_ACCESS_KEY", .. })));
        let mut vars = bucket.to_vec();
        vars.extend([
            ("ONESTOP_FILES_S3_SECRET_ACCESS_KEY", "s3cr3t"),
            ("ONESTOP_FILES_S3_ENDPOINT", "http://10.0.0.5:9000"),
        ]);
        let err = load_with(&vars);
        assert!(
            matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_FILES_S3_ENDPOINT", .. })),
            "http needs consent"
        );
        vars.push(("ONESTOP_FILES_S3_ALLOW_HTTP", "true"));
        let cfg = load_with(&vars).expect("valid");
        let settings = cfg.files.storage.bucket.expect("bucket");
        assert_eq!((settings.bucket.as_str(), settings.region.as_str()), ("onestop-files", "us-east-1"));
        assert!(!format!("{settings:?}").contains("s3cr3t"), "the secret is never printed");

        let limits = load_with(&[
            ("ONESTOP_UPLOAD_MAX_FILE_BYTES", "2097152"),
            ("ONESTOP_UPLOAD_MAX_APPLICATION_BYTES", "1048576"),
        ]);
        assert!(matches!(limits, Err(ConfigError::Invalid { name: "ONESTOP_UPLOAD_MAX_APPLICATION_BYTES", .. })));
    }

    #[test]
    fn a_remote_register_needs_a_key_and_the_key_comes_only_from_the_environment() {
        let err = load_with(&[("ONESTOP_REGISTERS_URL", "http://127.0.0.1:3200")]);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_REGISTERS_KEY", .. })));
        let key = "ab".repeat(32);
        let cfg = load_with(&[("ONESTOP_REGISTERS_URL", "http://127.0.0.1:3200"), ("ONESTOP_REGISTERS_KEY", &key)])
            .expect("valid");
        assert_eq!(cfg.registers.remote_url.as_deref(), Some("http://127.0.0.1:3200"));
        assert_eq!(cfg.registers.key_hex.as_deref(), Some(key.as_str()));
    }

    #[test]
    fn the_library_is_in_process_unless_its_interface_and_key_are_set() {
        let cfg = load_with(&[]).expect("defaults are valid");
        assert_eq!(cfg.library.exchange.remote_url, None);
        let err = load_with(&[("ONESTOP_LIBRARY_PROVIDER_URL", "http://127.0.0.1:3200")]);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_LIBRARY_PROVIDER_KEY", .. })));
        let key = "ef".repeat(32);
        let cfg = load_with(&[
            ("ONESTOP_LIBRARY_PROVIDER_URL", "http://127.0.0.1:3200"),
            ("ONESTOP_LIBRARY_PROVIDER_KEY", &key),
            ("ONESTOP_LIBRARY_PROVIDER_TIMEOUT_MS", "2500"),
        ])
        .expect("valid");
        assert_eq!(cfg.library.exchange.remote_url.as_deref(), Some("http://127.0.0.1:3200"));
        assert_eq!(cfg.library.exchange.key_hex.as_deref(), Some(key.as_str()));
        assert_eq!(cfg.library.exchange.timeout, Duration::from_millis(2500));
    }

    #[test]
    fn the_gas_company_is_in_process_unless_its_interface_and_key_are_set() {
        let cfg = load_with(&[]).expect("defaults are valid");
        assert_eq!(cfg.gas_provider.remote_url, None);
        let err = load_with(&[("ONESTOP_GAS_PROVIDER_URL", "http://127.0.0.1:3200")]);
        assert!(matches!(err, Err(ConfigError::Invalid { name: "ONESTOP_GAS_PROVIDER_KEY", .. })));
        let key = "cd".repeat(32);
        let cfg = load_with(&[
            ("ONESTOP_GAS_PROVIDER_URL", "http://127.0.0.1:3200"),
            ("ONESTOP_GAS_PROVIDER_KEY", &key),
            ("ONESTOP_GAS_PROVIDER_KEY_ID", "onestop"),
            ("ONESTOP_GAS_PROVIDER_TIMEOUT_MS", "1500"),
        ])
        .expect("valid");
        assert_eq!(cfg.gas_provider.remote_url.as_deref(), Some("http://127.0.0.1:3200"));
        assert_eq!((cfg.gas_provider.key_id.as_str(), cfg.gas_provider.key_hex.as_deref()), ("onestop", Some(&*key)));
        assert_eq!(cfg.gas_provider.timeout, Duration::from_millis(1500));
        assert_eq!(cfg.registers.remote_url, None, "the registers stay as they were");
    }

    #[test]
    fn file_values_apply_and_environment_wins() {
        let dir = std::env::temp_dir().join(format!("onestop-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("onestop.toml");
        std::fs::write(
            &path,
            "listen_addr = \"127.0.0.1:4000\"\nadmin_addr = \"127.0.0.1:4001\"\nrequest_timeout_secs = 5\n",
        )
        .expect("write");
        let cfg = Config::load(Some(&path), |k| (k == "ONESTOP_REQUEST_TIMEOUT_SECS").then(|| "7".to_owned()))
            .expect("valid");
        assert_eq!(cfg.listen_addr.port(), 4000);
        assert_eq!(cfg.admin_addr.port(), 4001);
        assert_eq!(cfg.request_timeout, Duration::from_secs(7));
        std::fs::write(&path, "no_such_key = 1\n").expect("write");
        assert!(matches!(Config::load(Some(&path), |_| None), Err(ConfigError::File { .. })));
    }
}
