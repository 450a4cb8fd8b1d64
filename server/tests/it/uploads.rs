//! Upload routes through the production platform layers: the body is streamed to the reader
//! (not read whole by the body limit), refused the moment it passes its limit, text fields keep
//! the portal's input rule, slow clients are cut off. Memory is measured for a 200 MiB body.

use crate::support::{body_text, test_config};
use app::platform::files::{FileStore, StorageSettings};
use app::platform::testing::{measuring_in_own_process, memory_kib};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use onestop_server::http::uploads::{read_upload, MULTIPART_OVERHEAD};
use onestop_server::http::{with_platform_layers, SecurityPolicy};
use onestop_server::telemetry::Metrics;
use onestop_server::Config;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

const BOUNDARY: &str = "----onestop-test-boundary-7MA4YWxkTrZu0gW";

/// A router with one upload route (and one ordinary route under the same prefix) in the
/// production layers, over a store in a fresh directory.
struct UploadApp {
    router: Router,
    root: PathBuf,
}

impl Drop for UploadApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[derive(Clone)]
struct Route {
    store: FileStore,
    per_request: u64,
    per_file: u64,
}

async fn upload(State(route): State<Route>, req: Request) -> Response {
    let content_type = req.headers().get(header::CONTENT_TYPE).cloned().unwrap_or(header::HeaderValue::from_static(""));
    match read_upload(req.into_body(), &content_type, &route.store, route.per_request, route.per_file).await {
        Ok(form) => {
            let fields: Vec<String> = form.fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let files: Vec<String> =
                form.files.iter().map(|f| format!("{}:{}:{:?}", f.field, f.file.original_name, f.file.shape)).collect();
            format!("fields {}; files {}", fields.join(","), files.join(",")).into_response()
        }
        Err(refusal) => (StatusCode::from_u16(refusal.status()).expect("status"), refusal.code()).into_response(),
    }
}

impl UploadApp {
    fn new(vars: &[(&str, &str)]) -> UploadApp {
        let root = std::env::temp_dir().join(format!("onestop-uploads-{}", hex::encode(rand::random::<[u8; 8]>())));
        let mut vars = vars.to_vec();
        let dir = root.display().to_string();
        vars.push(("ONESTOP_FILES_DIR", &dir));
        let config = test_config(&vars);
        let store = FileStore::new(&config.files.storage).expect("store");
        assert_eq!(config.files.storage, StorageSettings { dir: root.clone(), bucket: None });
        let route = Route {
            store,
            per_request: config.files.limits.per_application + MULTIPART_OVERHEAD,
            per_file: config.files.limits.per_file,
        };
        let router = Router::new()
            .route("/applications/{number}/files", post(upload))
            .route("/applications/{number}/notes", post(upload))
            .with_state(route);
        UploadApp { router: layered(router, &config), root }
    }

    async fn post(&self, path: &str, body: Body) -> (StatusCode, String) {
        let req = axum::http::Request::post(path)
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .header("sec-fetch-site", "same-origin")
            .body(body)
            .expect("request");
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        (status, body_text(res).await)
    }

    fn objects(&self) -> usize {
        std::fs::read_dir(self.root.join("objects")).map_or(0, |d| d.count())
    }

    fn temp_files(&self) -> usize {
        std::fs::read_dir(self.root.join("tmp")).map_or(0, |d| d.count())
    }
}

fn layered(router: Router, config: &Config) -> Router {
    let options = onestop_server::http::leptos_options(config);
    let policy = Arc::new(SecurityPolicy::new(config, &options));
    with_platform_layers(router, config, policy, Arc::new(Metrics::default()))
}

enum Part<'a> {
    Text(&'a str, &'a str),
    File(&'a str, &'a str, &'a [u8]),
}

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                out.extend_from_slice(value.as_bytes());
            }
            Part::File(name, file_name, bytes) => {
                out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                out.extend_from_slice(bytes);
            }
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// A one-page PDF padded with a comment line to about `size` bytes (`tag` makes it unique).
pub(crate) fn pdf(size: usize, tag: &str) -> Vec<u8> {
    let mut out = format!("%PDF-1.4\n%{tag}{}\n", " ".repeat(size.saturating_sub(400))).into_bytes();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// `bytes` as a streamed body (no length), counting what the server pulled.
fn counted(bytes: Vec<u8>, pulled: Arc<AtomicU64>) -> Body {
    let chunks: Vec<Bytes> = bytes.chunks(16 * 1024).map(Bytes::copy_from_slice).collect();
    Body::from_stream(stream::iter(chunks).map(move |c| {
        pulled.fetch_add(c.len() as u64, Ordering::Relaxed);
        Ok::<_, Infallible>(c)
    }))
}

#[tokio::test]
async fn an_upload_route_streams_past_the_whole_body_limit_and_others_do_not() {
    let app = UploadApp::new(&[("ONESTOP_BODY_LIMIT_BYTES", "2048")]);
    let file = pdf(200 * 1024, "a");
    let body = multipart(&[Part::Text("material", "id-card"), Part::File("file", "身份证.pdf", &file)]);
    let (status, text) = app.post("/applications/2024-000123/files", Body::from(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(text, "fields material=id-card; files file:身份证.pdf:Pdf { pages: 1 }");
    assert_eq!(app.objects(), 1);
    let (status, _) = app.post("/applications/2024-000123/notes", Body::from(body.clone())).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "any other route keeps the whole-body limit");
    let (status, _) = app.post("/applications/2024-000123/files/extra", Body::from(body)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "only the exact upload route pattern is exempt");
    assert_eq!(app.temp_files(), 0);
}

#[tokio::test]
async fn a_declared_length_over_the_upload_limit_is_refused_before_reading() {
    let app = UploadApp::new(&[]);
    let pulled = Arc::new(AtomicU64::new(0));
    let req = axum::http::Request::post("/applications/1/files")
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .header("content-length", (50 * 1024 * 1024 + MULTIPART_OVERHEAD + 1).to_string())
        .header("sec-fetch-site", "same-origin")
        .body(counted(multipart(&[Part::File("file", "a.pdf", &pdf(1000, "x"))]), pulled.clone()))
        .expect("request");
    let res = app.router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(pulled.load(Ordering::Relaxed), 0, "not one byte read");
}

#[tokio::test]
async fn the_request_is_refused_the_moment_it_passes_its_limit() {
    // 64 KiB per file, 100 KiB per application: the request may carry 100 KiB + the overhead.
    let app = UploadApp::new(&[
        ("ONESTOP_UPLOAD_MAX_FILE_BYTES", "65536"),
        ("ONESTOP_UPLOAD_MAX_APPLICATION_BYTES", "102400"),
    ]);
    let limit = 102_400 + MULTIPART_OVERHEAD;
    let files: Vec<Vec<u8>> = (0..12).map(|i| pdf(60 * 1024, &i.to_string())).collect();
    let parts: Vec<Part<'_>> = files.iter().map(|f| Part::File("file", "part.pdf", f)).collect();
    let body = multipart(&parts);
    assert!(body.len() as u64 > limit + 300 * 1024, "well over the limit");
    let pulled = Arc::new(AtomicU64::new(0));
    let (status, code) = app.post("/applications/1/files", counted(body, pulled.clone())).await;
    assert_eq!((status, code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    let read = pulled.load(Ordering::Relaxed);
    assert!(read > limit && read <= limit + 16 * 1024, "read {read} bytes of a {limit}-byte allowance");
    assert_eq!(app.temp_files(), 0);

    let big = pdf(65 * 1024, "big");
    let (status, code) =
        app.post("/applications/1/files", Body::from(multipart(&[Part::File("f", "b.pdf", &big)]))).await;
    assert_eq!((status, code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"), "one file over its own limit");
}

#[tokio::test]
async fn hostile_files_and_fields_get_typed_refusals() {
    let app = UploadApp::new(&[]);
    let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
    elf.resize(8192, 0);
    let long = "x".repeat(4097);
    let many: Vec<(String, String)> = (0..33).map(|i| (format!("f{i}"), "v".to_owned())).collect();
    let many_parts: Vec<Part<'_>> = many.iter().map(|(k, v)| Part::Text(k, v)).collect();
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (multipart(&[Part::File("file", "photo.jpg", &elf)]), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_type"),
        (multipart(&[Part::Text("material", "a\0b")]), StatusCode::BAD_REQUEST, "control_characters"),
        (multipart(&[Part::Text("note", "line\nbreak")]), StatusCode::BAD_REQUEST, "control_characters"),
        (multipart(&[Part::Text("note", &long)]), StatusCode::PAYLOAD_TOO_LARGE, "field_too_long"),
        (multipart(&many_parts), StatusCode::PAYLOAD_TOO_LARGE, "too_many_fields"),
        (multipart(&[Part::File("file", "empty.pdf", b"")]), StatusCode::UNPROCESSABLE_ENTITY, "empty"),
        (b"not multipart at all".to_vec(), StatusCode::BAD_REQUEST, "malformed"),
    ];
    for (body, status, code) in cases {
        assert_eq!(app.post("/applications/1/files", Body::from(body)).await, (status, code.to_owned()));
    }
    // A file input left empty is not a file.
    let body = multipart(&[Part::Text("material", "x"), Part::File("file", "", b"")]);
    assert_eq!(
        app.post("/applications/1/files", Body::from(body)).await,
        (StatusCode::OK, "fields material=x; files ".to_owned())
    );
    assert_eq!((app.objects(), app.temp_files()), (0, 0));
}

#[tokio::test]
async fn part_headers_that_never_end_are_not_buffered() {
    let app = UploadApp::new(&[]);
    let mut body = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"x\"\r\nX-Padding: ").into_bytes();
    body.resize(10 * 1024 * 1024, b'a');
    let pulled = Arc::new(AtomicU64::new(0));
    let (status, code) = app.post("/applications/1/files", counted(body, pulled.clone())).await;
    assert_eq!((status, code.as_str()), (StatusCode::BAD_REQUEST, "malformed"));
    assert!(pulled.load(Ordering::Relaxed) < 128 * 1024, "stopped after {} bytes", pulled.load(Ordering::Relaxed));
}

/// A body that sends `prefix`, then one byte every `every`, forever.
fn trickle(prefix: Vec<u8>, every: Duration) -> impl Stream<Item = Result<Bytes, Infallible>> {
    stream::once(async move { Ok(Bytes::from(prefix)) }).chain(stream::unfold((), move |()| async move {
        tokio::time::sleep(every).await;
        Some((Ok(Bytes::from_static(b"a")), ()))
    }))
}

#[tokio::test(start_paused = true)]
async fn a_client_sending_one_byte_a_second_is_cut_off() {
    let app = UploadApp::new(&[]);
    let prefix = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n").into_bytes();
    let started = tokio::time::Instant::now();
    let (status, code) =
        app.post("/applications/1/files", Body::from_stream(trickle(prefix, Duration::from_secs(1)))).await;
    assert_eq!((status, code.as_str()), (StatusCode::REQUEST_TIMEOUT, "timed_out"));
    // On the paused clock: the rate rule, not the ten-minute upload deadline, ended it.
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[tokio::test(start_paused = true)]
async fn a_client_that_stops_sending_is_cut_off() {
    let app = UploadApp::new(&[]);
    let prefix = format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello").into_bytes();
    let stalled = stream::once(async move { Ok::<_, Infallible>(Bytes::from(prefix)) }).chain(stream::pending());
    let (status, code) = app.post("/applications/1/files", Body::from_stream(stalled)).await;
    assert_eq!((status, code.as_str()), (StatusCode::REQUEST_TIMEOUT, "timed_out"));
}

#[tokio::test(start_paused = true)]
async fn upload_routes_have_their_own_deadline() {
    let config = test_config(&[("ONESTOP_REQUEST_TIMEOUT_SECS", "5"), ("ONESTOP_UPLOAD_TIMEOUT_SECS", "60")]);
    let slow = || async {
        tokio::time::sleep(Duration::from_secs(45)).await;
        "done"
    };
    let router = layered(
        Router::new()
            .route("/applications/{number}/files", post(slow))
            .route("/applications/{number}/notes", post(slow)),
        &config,
    );
    let send = |path: &'static str| {
        let router = router.clone();
        async move {
            let req = axum::http::Request::post(path).header("sec-fetch-site", "same-origin").body(Body::empty());
            router.oneshot(req.expect("request")).await.expect("infallible").status()
        }
    };
    assert_eq!(send("/applications/1/notes").await, StatusCode::REQUEST_TIMEOUT, "the request timeout");
    assert_eq!(send("/applications/1/files").await, StatusCode::OK, "45 s is within the upload deadline");
    let config = test_config(&[("ONESTOP_UPLOAD_TIMEOUT_SECS", "30")]);
    let router = layered(Router::new().route("/applications/{number}/files", post(slow)), &config);
    let req = axum::http::Request::post("/applications/1/files").header("sec-fetch-site", "same-origin");
    let res = router.oneshot(req.body(Body::empty()).expect("request")).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::REQUEST_TIMEOUT, "and the upload deadline holds");
}

#[test]
fn a_200_mib_upload_is_refused_without_memory_growing_with_it() {
    if !measuring_in_own_process("uploads::a_200_mib_upload_is_refused_without_memory_growing_with_it") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let app = UploadApp::new(&[]);
    const TOTAL: u64 = 200 * 1024 * 1024;
    const CHUNK: usize = 64 * 1024;
    let huge_upload = |pulled: Arc<AtomicU64>| {
        let head = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.pdf\"\r\n\r\n%PDF-1.4\n"
        );
        // Generated chunk by chunk: the whole body never exists anywhere.
        Body::from_stream(stream::unfold(0u64, move |sent| {
            let counter = pulled.clone();
            let head = head.clone();
            async move {
                if sent >= TOTAL {
                    return None;
                }
                let chunk = if sent == 0 { Bytes::from(head) } else { Bytes::from(vec![b' '; CHUNK]) };
                counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                Some((Ok::<_, Infallible>(chunk.clone()), sent + chunk.len() as u64))
            }
        }))
    };
    // Once first, so the code the upload runs is loaded (a debug test binary's pages count as
    // resident) and only what the second one holds is measured.
    let (status, _) = runtime.block_on(app.post("/applications/1/files", huge_upload(Arc::new(AtomicU64::new(0)))));
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    app::platform::testing::reset_peak_memory();
    let before = memory_kib("VmRSS");
    let pulled = Arc::new(AtomicU64::new(0));
    let (status, code) = runtime.block_on(app.post("/applications/1/files", huge_upload(pulled.clone())));
    let grown_mib = memory_kib("VmHWM").saturating_sub(before) / 1024;
    let read = pulled.load(Ordering::Relaxed);
    println!("read {} MiB of 200 MiB; peak resident growth {grown_mib} MiB", read / (1024 * 1024));
    assert_eq!((status, code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "too_large"));
    assert!(read < 11 * 1024 * 1024, "refused at the 10 MiB file limit, read {read} bytes");
    assert!(grown_mib < 8, "resident memory peaked {grown_mib} MiB higher");
    assert_eq!(app.temp_files(), 0);
}
