//! Where files live: content-addressed objects (`objects/<sha256>`) in a local directory or an
//! S3-compatible bucket, behind one interface ([`FileStore`]).
//!
//! Local writes are atomic and durable: object_store's `LocalFileSystem` with fsync writes a
//! staging file next to the object, syncs it, hard-links it into place (which fails when the
//! object exists: content-addressed, so that is a no-op) and syncs the directory. Uploads in
//! progress are spooled to `<dir>/tmp`, never into the object namespace.

use super::images;
use super::inspect::SNIFF_LEN;
use super::{pdf, FileShape, MediaType, ReceivedFile, StoreError, UploadRefusal};
use bytes::Bytes;
use futures_util::stream::{BoxStream, Stream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, RetryConfig};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

/// The prefix every object key lives under.
const OBJECTS: &str = "objects";
/// Decoding and parsing use memory in proportion to the file (an 8000×8000 image is 256 MB of
/// pixels): only this many files are checked at once, whatever the number of uploads.
const CHECKS_AT_ONCE: usize = 2;
/// Read and write buffers of the checks.
const IO_BUFFER: usize = 64 * 1024;

/// Where the store keeps objects (operator settings, `ONESTOP_FILES_*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageSettings {
    /// Local objects (`<dir>/objects`, when no bucket is set) and uploads in progress
    /// (`<dir>/tmp`, always). Must not be under a served directory.
    pub dir: PathBuf,
    /// An S3-compatible bucket for the objects instead of `dir`.
    pub bucket: Option<BucketSettings>,
}

/// An S3-compatible bucket (AWS, MinIO, Ceph, the Chinese clouds' S3 endpoints).
#[derive(Clone, PartialEq, Eq)]
pub struct BucketSettings {
    pub bucket: String,
    /// `https://host[:port]` of a non-AWS service; AWS itself when unset.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Whether a plain `http://` endpoint is allowed (a bucket on the same private network).
    pub allow_http: bool,
}

impl std::fmt::Debug for BucketSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BucketSettings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"***")
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// The uploaded-file store. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct FileStore {
    inner: Arc<Inner>,
}

struct Inner {
    objects: Arc<dyn ObjectStore>,
    /// The local store's directory (for refreshing an object's time and clean-up); `None` for
    /// a bucket.
    local_root: Option<PathBuf>,
    temp_dir: PathBuf,
    checks: Semaphore,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore").field("objects", &self.inner.objects.to_string()).finish_non_exhaustive()
    }
}

/// A stored object, for a download: its size and its bytes as a stream.
pub struct ObjectReader {
    pub size: u64,
    pub stream: BoxStream<'static, Result<Bytes, std::io::Error>>,
}

/// What one clean-up run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GcReport {
    /// Unreferenced objects past the grace period, deleted.
    pub deleted: usize,
    /// Objects kept: referenced, or younger than the grace period.
    pub kept: usize,
    /// Abandoned uploads and staging files removed.
    pub leftovers: usize,
}

/// Whether `key` is an object key: exactly 64 lowercase hexadecimal digits. Every key a caller
/// passes in is checked with this before it reaches a path.
pub fn is_object_key(key: &str) -> bool {
    key.len() == 64 && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl FileStore {
    /// Opens the store (creating the local directories). Errors name the problem, for start-up.
    pub fn new(settings: &StorageSettings) -> std::io::Result<FileStore> {
        let temp_dir = settings.dir.join("tmp");
        std::fs::create_dir_all(&temp_dir)?;
        let (objects, local_root): (Arc<dyn ObjectStore>, _) = match &settings.bucket {
            None => {
                std::fs::create_dir_all(settings.dir.join(OBJECTS))?;
                let local = LocalFileSystem::new_with_prefix(&settings.dir)
                    .map_err(std::io::Error::other)?
                    .with_fsync(true)
                    .with_automatic_cleanup(false);
                (Arc::new(local), Some(std::fs::canonicalize(&settings.dir)?))
            }
            Some(bucket) => (Arc::new(build_bucket(bucket).map_err(std::io::Error::other)?), None),
        };
        Ok(FileStore {
            inner: Arc::new(Inner { objects, local_root, temp_dir, checks: Semaphore::new(CHECKS_AT_ONCE) }),
        })
    }

    /// Receives one uploaded file: streams it to a temporary file (refused as soon as it passes
    /// `limit` bytes), identifies it by content, checks and neutralises it, stores it (and an
    /// image's thumbnail) and returns what was stored. The temporary file is removed whatever
    /// happens. `declared_name` is kept only as cleaned metadata.
    pub async fn receive<S, E>(&self, stream: S, declared_name: &str, limit: u64) -> Result<ReceivedFile, UploadRefusal>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: Into<UploadRefusal>,
    {
        let mut spool = Spool::create(&self.inner.temp_dir).await?;
        let (size, sha256, media_type) = spool.fill(stream, limit).await?;
        let original_name = super::sanitize_file_name(declared_name);

        let _permit = self.inner.checks.acquire().await.map_err(|_| UploadRefusal::StorageUnavailable)?;
        // An image is rewritten into a second file; a PDF is stored as sent.
        let rewritten = match media_type.is_image() {
            true => Some(Spool::create(&self.inner.temp_dir).await?),
            false => None,
        };
        let input = spool.path.clone();
        let output = rewritten.as_ref().map(|r| r.path.clone());
        let checked = tokio::task::spawn_blocking(move || check_file(&input, media_type, output.as_deref()))
            .await
            .map_err(|_| UploadRefusal::Unreadable)??;
        match (checked, rewritten) {
            (Checked::Pdf { pages }, _) => {
                self.put_file(&sha256, &spool.path).await?;
                Ok(ReceivedFile {
                    sha256,
                    size,
                    media_type,
                    original_name,
                    shape: FileShape::Pdf { pages },
                    thumbnail: None,
                })
            }
            (Checked::Image { sha256, size, width, height, thumbnail }, Some(rewritten)) => {
                let thumbnail_key = hex::encode(Sha256::digest(&thumbnail));
                self.put(&thumbnail_key, thumbnail).await?;
                self.put_file(&sha256, &rewritten.path).await?;
                Ok(ReceivedFile {
                    sha256,
                    size,
                    media_type,
                    original_name,
                    shape: FileShape::Image { width, height },
                    thumbnail: Some(thumbnail_key),
                })
            }
            (Checked::Image { .. }, None) => Err(UploadRefusal::StorageUnavailable),
        }
    }

    /// The object's bytes as a stream, for a download.
    pub async fn open(&self, sha256: &str) -> Result<ObjectReader, StoreError> {
        let location = object_path(sha256)?;
        let found = self.inner.objects.get(&location).await.map_err(read_failure)?;
        let size = found.meta.size;
        let stream = found.into_stream().map(|chunk| chunk.map_err(std::io::Error::other)).boxed();
        Ok(ObjectReader { size, stream })
    }

    pub async fn exists(&self, sha256: &str) -> Result<bool, StoreError> {
        let location = object_path(sha256)?;
        match self.inner.objects.head(&location).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(err) => Err(store_error(&err)),
        }
    }

    /// Deletes objects no row refers to once they are older than `older_than` (the grace
    /// period covers uploads whose rows are not committed yet), and uploads abandoned by a
    /// crash. `referenced` holds every key the database refers to, thumbnails included.
    pub async fn gc(&self, referenced: &HashSet<String>, older_than: Duration) -> Result<GcReport, StoreError> {
        let cutoff = SystemTime::now().checked_sub(older_than).unwrap_or(UNIX_EPOCH);
        let cutoff_secs = cutoff.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        let mut report = GcReport::default();
        let prefix = ObjectPath::from(OBJECTS);
        let mut listing = self.inner.objects.list(Some(&prefix));
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| store_error(&e))?;
            let Some(key) = meta.location.filename().filter(|k| is_object_key(k)) else { continue };
            if referenced.contains(key) || meta.last_modified.timestamp() > cutoff_secs {
                report.kept += 1;
                continue;
            }
            // Stored again since the listing (an upload of the same content refreshes the time)?
            match self.inner.objects.head(&meta.location).await {
                Ok(now) if now.last_modified.timestamp() > cutoff_secs => report.kept += 1,
                Ok(_) => match self.inner.objects.delete(&meta.location).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => report.deleted += 1,
                    Err(err) => return Err(store_error(&err)),
                },
                Err(object_store::Error::NotFound { .. }) => {}
                Err(err) => return Err(store_error(&err)),
            }
        }
        let mut dirs = vec![self.inner.temp_dir.clone()];
        dirs.extend(self.inner.local_root.as_ref().map(|root| root.join(OBJECTS)));
        report.leftovers =
            tokio::task::spawn_blocking(move || dirs.iter().map(|dir| remove_leftovers(dir, cutoff)).sum::<usize>())
                .await
                .unwrap_or(0);
        Ok(report)
    }

    /// Stores `bytes` under `sha256` unless that object exists (then only its time is
    /// refreshed, so a clean-up running now does not take it as abandoned).
    async fn put(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), UploadRefusal> {
        let location = object_path(sha256)?;
        let payload = PutPayload::from(bytes);
        match &self.inner.local_root {
            Some(root) => {
                let create = PutOptions::from(PutMode::Create);
                match self.inner.objects.put_opts(&location, payload, create).await {
                    Ok(_) => Ok(()),
                    Err(object_store::Error::AlreadyExists { .. }) => {
                        let path = root.join(OBJECTS).join(sha256);
                        tokio::task::spawn_blocking(move || touch(&path))
                            .await
                            .map_err(|_| UploadRefusal::StorageUnavailable)?
                            .map_err(|e| storage_failure(&e))
                    }
                    Err(err) => Err(store_error(&err).into()),
                }
            }
            // Conditional writes vary between S3-compatible services; writing the same bytes
            // again is harmless and refreshes the time.
            None => self.inner.objects.put(&location, payload).await.map(drop).map_err(|e| store_error(&e).into()),
        }
    }

    /// Stores the file at `path` (a spooled upload, on the same file system as the objects) under
    /// `sha256` without reading it into memory: synced, then hard-linked into place, then the
    /// directory synced (the same steps as the store's own writes). An existing object only has
    /// its time refreshed. A bucket receives the file's bytes in one request.
    async fn put_file(&self, sha256: &str, path: &Path) -> Result<(), UploadRefusal> {
        let location = object_path(sha256)?;
        let Some(root) = &self.inner.local_root else {
            let bytes = tokio::fs::read(path).await.map_err(|e| storage_failure(&e))?;
            let payload = PutPayload::from(bytes);
            return self.inner.objects.put(&location, payload).await.map(drop).map_err(|e| store_error(&e).into());
        };
        let (source, target) = (path.to_owned(), root.join(OBJECTS).join(sha256));
        tokio::task::spawn_blocking(move || link_durably(&source, &target))
            .await
            .map_err(|_| UploadRefusal::StorageUnavailable)?
            .map_err(|e| storage_failure(&e))
    }
}

/// Gives `source` the name `target` durably; an existing `target` (the same content) is only
/// touched. Across file systems (an operator mounting `objects/` elsewhere) the bytes are copied
/// to a staging name beside the target first, which a clean-up removes if a crash leaves it.
fn link_durably(source: &Path, target: &Path) -> std::io::Result<()> {
    std::fs::File::open(source)?.sync_all()?;
    let linked = match std::fs::hard_link(source, target) {
        Err(err) if err.kind() == std::io::ErrorKind::CrossesDevices => {
            let name: [u8; 8] = rand::random();
            let staging = target.with_file_name(format!(
                "{}#{}",
                target.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
                hex::encode(name)
            ));
            std::fs::copy(source, &staging)?;
            std::fs::File::open(&staging)?.sync_all()?;
            let linked = std::fs::hard_link(&staging, target);
            std::fs::remove_file(&staging)?;
            linked
        }
        other => other,
    };
    match linked {
        Ok(()) => std::fs::File::open(target.parent().unwrap_or(target))?.sync_all(),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => touch(target),
        Err(err) => Err(err),
    }
}

fn build_bucket(settings: &BucketSettings) -> object_store::Result<object_store::aws::AmazonS3> {
    // Every client setting here: the builder's `with_client_options` replaces the whole set, the
    // builder's own `with_allow_http` included (which left plain-http endpoints refused).
    let client = ClientOptions::new()
        .with_allow_http(settings.allow_http)
        .with_timeout(Duration::from_secs(60))
        .with_connect_timeout(Duration::from_secs(5));
    // A failing store should answer "unavailable" within seconds, not after minutes of retries.
    let retry = RetryConfig { max_retries: 2, retry_timeout: Duration::from_secs(15), ..RetryConfig::default() };
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&settings.bucket)
        .with_region(&settings.region)
        .with_access_key_id(&settings.access_key_id)
        .with_secret_access_key(&settings.secret_access_key)
        .with_client_options(client)
        .with_retry(retry);
    if let Some(endpoint) = &settings.endpoint {
        // Self-hosted services address buckets by path, not by host name.
        builder = builder.with_endpoint(endpoint).with_virtual_hosted_style_request(false);
    }
    builder.build()
}

fn object_path(sha256: &str) -> Result<ObjectPath, StoreError> {
    if !is_object_key(sha256) {
        return Err(StoreError::InvalidKey);
    }
    Ok(ObjectPath::from(OBJECTS).join(sha256))
}

/// What the checks made of a file.
enum Checked {
    /// Stored as sent.
    Pdf { pages: u32 },
    /// Rewritten into the output file, with the hash and size of what was written.
    Image { sha256: String, size: u64, width: u32, height: u32, thumbnail: Vec<u8> },
}

/// Checks the spooled file at `input`; an image is rewritten into `output`. Both are read and
/// written through small buffers: memory does not grow with the file.
fn check_file(input: &Path, media_type: MediaType, output: Option<&Path>) -> Result<Checked, UploadRefusal> {
    let file = std::fs::File::open(input).map_err(|e| storage_failure(&e))?;
    let reader = std::io::BufReader::with_capacity(IO_BUFFER, file);
    if media_type == MediaType::Pdf {
        return pdf::check(reader).map(|pages| Checked::Pdf { pages });
    }
    let output = output.ok_or(UploadRefusal::StorageUnavailable)?;
    let file = std::fs::OpenOptions::new().write(true).truncate(true).open(output).map_err(|e| storage_failure(&e))?;
    let mut writer = HashingWriter::new(std::io::BufWriter::with_capacity(IO_BUFFER, file));
    let image = images::neutralise_stream(reader, media_type, &mut writer)?;
    let (sha256, size) = writer.finish().map_err(|e| storage_failure(&e))?;
    Ok(Checked::Image { sha256, size, width: image.width, height: image.height, thumbnail: image.thumbnail })
}

/// Writes through, counting and hashing what passes.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    fn new(inner: W) -> Self {
        HashingWriter { inner, hasher: Sha256::new(), size: 0 }
    }
}

impl HashingWriter<std::io::BufWriter<std::fs::File>> {
    /// Flushes and syncs the file; returns the hash and size of what was written.
    fn finish(self) -> std::io::Result<(String, u64)> {
        let file = self.inner.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        Ok((hex::encode(self.hasher.finalize()), self.size))
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An upload in progress on disk, removed when dropped.
struct Spool {
    path: PathBuf,
    file: Option<tokio::fs::File>,
}

impl Spool {
    async fn create(dir: &Path) -> Result<Spool, UploadRefusal> {
        let name: [u8; 16] = rand::random();
        let path = dir.join(format!("{}.part", hex::encode(name)));
        let file = match open_new(&path).await {
            Ok(file) => file,
            // The directory was removed under us (an operator cleaning up): make it again.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| storage_failure(&e))?;
                open_new(&path).await.map_err(|e| storage_failure(&e))?
            }
            Err(err) => return Err(storage_failure(&err)),
        };
        Ok(Spool { path, file: Some(file) })
    }

    /// Writes the stream to the file with a running count and hash; refuses the moment the
    /// count passes `limit`, or once the first bytes show an unsupported type.
    async fn fill<S, E>(&mut self, stream: S, limit: u64) -> Result<(u64, String, MediaType), UploadRefusal>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: Into<UploadRefusal>,
    {
        let file = self.file.as_mut().ok_or(UploadRefusal::StorageUnavailable)?;
        let mut stream = std::pin::pin!(stream);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
        let mut media_type = None;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(Into::into)?;
            size += chunk.len() as u64;
            if size > limit {
                return Err(UploadRefusal::TooLarge { limit });
            }
            if media_type.is_none() {
                head.extend(chunk.iter().take(SNIFF_LEN - head.len()));
                if head.len() == SNIFF_LEN {
                    media_type = Some(MediaType::sniff(&head).ok_or(UploadRefusal::UnsupportedType)?);
                }
            }
            hasher.update(&chunk);
            file.write_all(&chunk).await.map_err(|e| storage_failure(&e))?;
        }
        file.flush().await.map_err(|e| storage_failure(&e))?;
        if size == 0 {
            return Err(UploadRefusal::Empty);
        }
        let media_type = match media_type {
            Some(known) => known,
            None => MediaType::sniff(&head).ok_or(UploadRefusal::UnsupportedType)?,
        };
        Ok((size, hex::encode(hasher.finalize()), media_type))
    }
}

async fn open_new(path: &Path) -> std::io::Result<tokio::fs::File> {
    tokio::fs::OpenOptions::new().write(true).create_new(true).open(path).await
}

impl Drop for Spool {
    fn drop(&mut self) {
        drop(self.file.take());
        // Nothing else knows this name; failing to remove it leaves it to the next clean-up.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Removes abandoned uploads (`*.part`) and object_store staging files (`<key>#<n>`) older than
/// `cutoff` from `dir`; returns how many.
fn remove_leftovers(dir: &Path, cutoff: SystemTime) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            (name.ends_with(".part") || name.contains('#'))
                && entry
                    .metadata()
                    .ok()
                    .filter(|m| m.is_file())
                    .and_then(|m| m.modified().ok())
                    .is_some_and(|t| t < cutoff)
        })
        .filter(|entry| std::fs::remove_file(entry.path()).is_ok())
        .count()
}

/// Sets a file's modification time to now.
fn touch(path: &Path) -> std::io::Result<()> {
    std::fs::File::options().write(true).open(path)?.set_modified(SystemTime::now())
}

/// A read failure: a missing object is the caller's business, anything else the operator's.
fn read_failure(err: object_store::Error) -> StoreError {
    match err {
        object_store::Error::NotFound { .. } => StoreError::NotFound,
        other => store_error(&other),
    }
}

fn store_error(err: &object_store::Error) -> StoreError {
    classify(err, err)
}

/// A failed read or write of the store's own files (also the images' rewritten output): the
/// store's problem, not the file's.
pub(super) fn storage_failure(err: &std::io::Error) -> UploadRefusal {
    classify(err, err).into()
}

/// Full or unavailable, from the first I/O error in the chain; logged here, once per failure
/// (the message names no file content: paths are keys or random names).
fn classify(err: &(dyn std::error::Error + 'static), shown: &dyn std::fmt::Display) -> StoreError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut full = false;
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            full = matches!(io.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded);
            break;
        }
        source = e.source();
    }
    tracing::error!(error = %shown, full, "file storage failed");
    if full {
        StoreError::Full
    } else {
        StoreError::Unavailable
    }
}
