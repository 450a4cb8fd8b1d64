//! File uploads over HTTP: which routes take them, and the streaming multipart reader.
//!
//! Upload routes are the one exception to "the platform reads the whole body first"
//! (`body_limit.rs`): their bodies are streamed, part by part, through
//! [`app::platform::files::FileStore::receive`], so memory does not grow with the upload. They
//! keep a fast 413 for a declared length over the upload limit, and get their own deadline
//! (`ONESTOP_UPLOAD_TIMEOUT_SECS`) instead of the page timeout, since a phone on a slow network
//! needs minutes for 50 MiB. A client that sends too slowly is cut off by the reader.

use app::platform::files::{FileStore, ReceivedFile, UploadRefusal};
use app::platform::input;
use axum::body::{Body, BodyDataStream};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use futures_util::stream::{Stream, StreamExt, TryStreamExt};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// Whether `path` is an upload route: `/applications/{reference}/files` or a window clerk's
/// `/staff/intake/{reference}/files` (one non-empty segment in the middle). The one list of
/// routes whose bodies are streamed instead of read whole; a new upload route must be added here.
pub fn is_upload_route(path: &str) -> bool {
    ["/applications/", "/staff/intake/"].iter().any(|prefix| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("/files"))
            .is_some_and(|reference| !reference.is_empty() && !reference.contains('/'))
    })
}

/// What a multipart body carries besides its files (boundaries, part headers, text fields); a
/// request may declare this much more than the files it is allowed.
pub const MULTIPART_OVERHEAD: u64 = 256 * 1024;
/// The longest text field an upload form has.
pub const MAX_TEXT_FIELD_BYTES: usize = 4 * 1024;
/// The most text fields one upload request may carry.
pub const MAX_TEXT_FIELDS: usize = 32;
/// The most file parts one upload request may carry.
pub const MAX_FILE_PARTS: usize = 32;
/// The most bytes read while looking for a part's headers (and the preamble before the first
/// part): headers are a few hundred bytes; without a bound a body of "headers" that never end
/// would be buffered up to the request limit.
const MAX_HEADER_BYTES: u64 = 64 * 1024;
/// No data for this long: the client is gone or stalling.
const IDLE_LIMIT: Duration = Duration::from_secs(20);
/// After the first [`RATE_GRACE`] of waiting, the client must average at least this rate.
const MIN_BYTES_PER_SEC: u64 = 1024;
const RATE_GRACE: Duration = Duration::from_secs(10);

/// A parsed upload: its text fields (checked for control characters) and its stored files.
#[derive(Debug, Default)]
pub struct UploadForm {
    pub fields: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

/// One stored file and the form field it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    pub field: String,
    pub file: ReceivedFile,
}

/// Reads a `multipart/form-data` body as it arrives: text fields into memory (bounded), each
/// file part through [`FileStore::receive`] (refused past `per_file_limit`). The whole request
/// is refused the moment it passes `per_request_limit`, without reading the rest. A file input
/// left empty (no name, no bytes) is skipped. Files stored before a refusal stay unreferenced
/// and are removed by [`FileStore::gc`].
pub async fn read_upload(
    body: Body,
    content_type: &HeaderValue,
    store: &FileStore,
    per_request_limit: u64,
    per_file_limit: u64,
) -> Result<UploadForm, UploadRefusal> {
    let boundary =
        content_type.to_str().ok().and_then(|ct| multer::parse_boundary(ct).ok()).ok_or(UploadRefusal::Malformed)?;
    let meter = Arc::new(Meter::default());
    let paced = Paced::new(body.into_data_stream(), meter.clone());
    let limits = multer::SizeLimit::new().whole_stream(per_request_limit).per_field(per_file_limit);
    let mut multipart =
        multer::Multipart::with_constraints(paced, boundary, multer::Constraints::new().size_limit(limits));

    let mut form = UploadForm::default();
    loop {
        meter.expect_headers();
        let Some(field) = multipart.next_field().await.map_err(refusal)? else { break };
        meter.expect_data();
        let name = field.name().ok_or(UploadRefusal::Malformed)?.to_owned();
        if input::has_refused(&name, false) {
            return Err(UploadRefusal::ControlCharacters { field: input::without_refused(&name, false) });
        }
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let mut data = field.map_err(refusal).try_filter(|chunk| std::future::ready(!chunk.is_empty()));
                let Some(first) = data.next().await.transpose()? else {
                    if file_name.is_empty() {
                        continue; // a file input nobody filled in
                    }
                    return Err(UploadRefusal::Empty);
                };
                if form.files.len() == MAX_FILE_PARTS {
                    return Err(UploadRefusal::TooManyFiles);
                }
                let stream = futures_util::stream::iter([Ok(first)]).chain(data);
                let file = store.receive(stream, &file_name, per_file_limit).await?;
                form.files.push(UploadedFile { field: name, file });
            }
            None => {
                if form.fields.len() == MAX_TEXT_FIELDS {
                    return Err(UploadRefusal::TooManyFields);
                }
                let value = read_text(field, &name).await?;
                form.fields.push((name, value));
            }
        }
    }
    Ok(form)
}

/// A text part, at most [`MAX_TEXT_FIELD_BYTES`], UTF-8, single-line and without control
/// characters (the portal's input rule).
async fn read_text(mut field: multer::Field<'_>, name: &str) -> Result<String, UploadRefusal> {
    let mut value = BytesMut::new();
    while let Some(chunk) = field.chunk().await.map_err(refusal)? {
        if value.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
            return Err(UploadRefusal::FieldTooLong { field: name.to_owned() });
        }
        value.extend_from_slice(&chunk);
    }
    let value = String::from_utf8(value.to_vec()).map_err(|_| UploadRefusal::Malformed)?;
    if input::has_refused(&value, false) {
        return Err(UploadRefusal::ControlCharacters { field: name.to_owned() });
    }
    Ok(value)
}

fn refusal(err: multer::Error) -> UploadRefusal {
    match err {
        multer::Error::StreamSizeExceeded { limit } | multer::Error::FieldSizeExceeded { limit, .. } => {
            UploadRefusal::TooLarge { limit }
        }
        multer::Error::StreamReadFailed(cause) => match cause.downcast::<ReadRefused>() {
            Ok(refused) => refused.0,
            Err(_) => UploadRefusal::Malformed,
        },
        _ => UploadRefusal::Malformed,
    }
}

/// Why the body stream stopped (carried through multer as its stream error).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct ReadRefused(UploadRefusal);

/// What the reader has pulled from the body, and how much of it may go to part headers.
#[derive(Default)]
struct Meter {
    pulled: AtomicU64,
    /// `pulled` past which part headers are too long; `u64::MAX` while reading part data.
    headers_end_by: AtomicU64,
}

impl Meter {
    fn expect_headers(&self) {
        let by = self.pulled.load(Ordering::Relaxed).saturating_add(MAX_HEADER_BYTES);
        self.headers_end_by.store(by, Ordering::Relaxed);
    }

    fn expect_data(&self) {
        self.headers_end_by.store(u64::MAX, Ordering::Relaxed);
    }
}

/// The request body as the multipart parser sees it: refused when the client stalls
/// ([`IDLE_LIMIT`]) or sends far too slowly ([`MIN_BYTES_PER_SEC`], counting only time spent
/// waiting for the client), and handing over one chunk per poll. multer pulls chunks until the
/// stream is pending, so a client faster than the server would otherwise be buffered in memory
/// up to the request limit; this way it buffers one chunk and waits for the consumer.
struct Paced {
    body: BodyDataStream,
    meter: Arc<Meter>,
    idle: Pin<Box<tokio::time::Sleep>>,
    waited: Duration,
    waiting_since: Option<Instant>,
    give_turn: bool,
    done: bool,
}

impl Paced {
    fn new(body: BodyDataStream, meter: Arc<Meter>) -> Self {
        Paced {
            body,
            meter,
            idle: Box::pin(tokio::time::sleep(IDLE_LIMIT)),
            waited: Duration::ZERO,
            waiting_since: None,
            give_turn: false,
            done: false,
        }
    }

    fn refuse(&mut self, why: UploadRefusal) -> Poll<Option<Result<Bytes, ReadRefused>>> {
        self.done = true;
        Poll::Ready(Some(Err(ReadRefused(why))))
    }
}

impl Stream for Paced {
    type Item = Result<Bytes, ReadRefused>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if this.give_turn {
            this.give_turn = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let since = match this.waiting_since {
            Some(since) => since,
            None => {
                let now = Instant::now();
                this.idle.as_mut().reset(now + IDLE_LIMIT);
                this.waiting_since = Some(now);
                now
            }
        };
        match this.body.poll_next_unpin(cx) {
            Poll::Pending => {
                if this.idle.as_mut().poll(cx).is_ready() {
                    return this.refuse(UploadRefusal::TimedOut);
                }
                Poll::Pending
            }
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Ready(Some(Err(_))) => this.refuse(UploadRefusal::Malformed),
            Poll::Ready(Some(Ok(chunk))) => {
                this.waiting_since = None;
                this.waited += since.elapsed();
                let len = chunk.len() as u64;
                let before = this.meter.pulled.fetch_add(len, Ordering::Relaxed);
                // Past the budget before this chunk: what is buffered already is no header.
                if before > this.meter.headers_end_by.load(Ordering::Relaxed) {
                    return this.refuse(UploadRefusal::Malformed);
                }
                let pulled = before + len;
                let owed = this.waited.saturating_sub(RATE_GRACE).as_secs().saturating_mul(MIN_BYTES_PER_SEC);
                if pulled < owed {
                    return this.refuse(UploadRefusal::TimedOut);
                }
                this.give_turn = true;
                Poll::Ready(Some(Ok(chunk)))
            }
        }
    }
}

/// How long a request may take: the configured request timeout, or the upload timeout on an
/// upload route. 408 when it runs out.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deadlines {
    pub(super) request: Duration,
    pub(super) upload: Duration,
}

pub(super) async fn deadline(State(deadlines): State<Deadlines>, req: Request, next: Next) -> Response {
    let limit = if is_upload_route(req.uri().path()) { deadlines.upload } else { deadlines.request };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}
