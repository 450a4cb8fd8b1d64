//! Wiring for the base registers: which provider the portal talks to, the shared-data gateway,
//! the subject key, and `onestop providers serve`.

use crate::config::{Config, RegistersConfig};
use anyhow::Context;
use app::platform::secrets::Secrets;
use app::platform::Db;
use app::registers::http_client::{HttpProvider, HttpProviderConfig};
use app::registers::store::RegisterStore;
use app::registers::wire::SigningKey;
use app::registers::Provider;
use app::sharing::server::SharedData;
use std::path::Path;
use std::sync::Arc;

pub fn signing_key(config: &RegistersConfig) -> anyhow::Result<SigningKey> {
    key_from("ONESTOP_REGISTERS_KEY", &config.key_id, config.key_hex.as_deref())
}

/// The signing key set in the environment variable `name` (as hex), presented as `key_id`.
pub fn key_from(name: &str, key_id: &str, key_hex: Option<&str>) -> anyhow::Result<SigningKey> {
    let hex = key_hex.with_context(|| format!("{name} is not set"))?;
    let secret = hex::decode(hex.trim()).ok().with_context(|| format!("{name} is not hex"))?;
    SigningKey::new(key_id, &secret).map_err(anyhow::Error::msg)
}

/// The configured provider: a department endpoint when `ONESTOP_REGISTERS_URL` is set, else the
/// demo registers' own database.
pub async fn provider(config: &RegistersConfig) -> anyhow::Result<Provider> {
    match &config.remote_url {
        Some(url) => {
            let http = HttpProviderConfig::new(url, signing_key(config)?).within(config.timeout);
            Ok(Provider::Http(Arc::new(HttpProvider::new(http))))
        }
        None => {
            let store =
                RegisterStore::open(&config.database_url).await.context("cannot open the registers' database")?;
            Ok(Provider::InProcess(Arc::new(store)))
        }
    }
}

/// Reads the portal's secret, creating a random one (readable by the owner only) on first use.
pub fn load_or_create_secrets(path: &Path) -> anyhow::Result<Secrets> {
    if !path.exists() {
        use rand::Rng;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let secret: [u8; 32] = rand::rng().random();
        create_whole(path, hex::encode(secret).as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let secret =
        hex::decode(text.trim()).ok().with_context(|| format!("{} does not hold hex digits", path.display()))?;
    Secrets::from_master(&secret).map_err(anyhow::Error::msg)
}

/// Creates `path` holding `contents`, readable by its owner only, unless it exists by now. The
/// file appears whole (written under another name, then linked into place): instances starting
/// together on one shared key file all read the one key the first of them wrote.
fn create_whole(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let staging = path.with_extension(format!("new-{}-{:08x}", std::process::id(), rand::random::<u32>()));
    write_private(&staging, contents)?;
    let linked = std::fs::hard_link(&staging, path);
    std::fs::remove_file(&staging)?;
    match linked {
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

pub async fn shared_data(config: &Config, db: &Db, secrets: &Secrets) -> anyhow::Result<SharedData> {
    let provider = provider(&config.registers).await?;
    Ok(SharedData::new(db.clone(), provider, secrets.subject().clone(), config.registers.timeout))
}

/// Serves the demo registers (when `ONESTOP_REGISTERS_KEY` is set), the demo gas company (when
/// `ONESTOP_GAS_PROVIDER_KEY` is set) and the demo library (when `ONESTOP_LIBRARY_PROVIDER_KEY`
/// is set) over the signed HTTP protocol, each under its own path and key, until SIGTERM or
/// Ctrl-C.
pub async fn serve_providers(
    config: &Config,
    listen: std::net::SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let registers = &config.registers;
    let gas = crate::gas::endpoint(config).await?;
    let library = crate::library::endpoint(&config.library).await?;
    if registers.key_hex.is_none() && gas.is_none() && library.is_none() {
        anyhow::bail!(
            "nothing to serve: set ONESTOP_REGISTERS_KEY (the registers), ONESTOP_GAS_PROVIDER_KEY (the gas company) \
             or ONESTOP_LIBRARY_PROVIDER_KEY (the library)"
        );
    }
    let mut router = axum::Router::new();
    if registers.key_hex.is_some() {
        let key = signing_key(registers)?;
        let store =
            RegisterStore::open(&registers.database_url).await.context("cannot open the registers' database")?;
        if store.installed_fingerprint().await?.is_none() {
            anyhow::bail!("the registers' database is empty: run `onestop seed-demo` first");
        }
        router = router.merge(app::registers::http_service::router(store, key));
        tracing::info!(%listen, "serving the demo registers");
    }
    if let Some(gas) = gas {
        router = router.merge(gas);
        tracing::info!(%listen, "serving the demo gas company");
    }
    if let Some(library) = library {
        router = router.merge(library);
        tracing::info!(%listen, "serving the demo library");
    }
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await.context("provider server error")
}

#[cfg(test)]
mod tests {
    use super::load_or_create_secrets;

    #[test]
    fn instances_starting_together_on_a_new_key_file_all_start_with_one_key() {
        for round in 0..20 {
            let dir = std::env::temp_dir().join(format!("onestop-key-race-{}-{round}", std::process::id()));
            let path = dir.join("secret.key");
            let start = std::sync::Barrier::new(4);
            std::thread::scope(|s| {
                for _ in 0..4 {
                    s.spawn(|| {
                        start.wait();
                        load_or_create_secrets(&path).expect("every instance starts");
                    });
                }
            });
            let key = std::fs::read_to_string(&path).expect("the key file");
            assert!(key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()), "{key:?}");
            let files: Vec<_> = std::fs::read_dir(&dir).expect("dir").collect();
            assert_eq!(files.len(), 1, "no staging file is left behind");
            std::fs::remove_dir_all(&dir).expect("clean up");
        }
    }
}
