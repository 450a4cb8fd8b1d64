//! The browser build must not pull in server-only crates (they would bloat the wasm or fail to
//! build, and signal that server code leaked into shared modules).

use std::process::Command;

const SERVER_ONLY: &[&str] = &[
    "sqlx",
    "argon2",
    "lettre",
    "tokio",
    "axum",
    "tower-sessions",
    "leptos_axum",
    "hyper",
    // Uploaded files (platform::files): storage, its HTTP and TLS stack, decoders.
    "object_store",
    "reqwest",
    "rustls",
    "aws-lc-rs",
    "image",
    "unicode-normalization",
    // Issued documents (documents::server::pdf): the PDF writer and its font subsetter.
    "krilla",
    "subsetter",
    "ttf-parser",
    // The bus timetable (bus::gtfs) and GTFS Realtime (bus::realtime).
    "csv",
    "zip",
    "prost",
];

fn dependency_names(features: &str, target: Option<&str>) -> Vec<String> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(workspace)
        .args(["tree", "--locked", "--offline", "-p", "app", "--no-default-features", "--features", features])
        .args(["-e", "normal", "--prefix", "none", "--format", "{p}"]);
    if let Some(target) = target {
        cmd.args(["--target", target]);
    }
    let out = cmd.output().expect("run cargo tree");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_wasm_build_contains_no_server_only_crates() {
    let wasm = dependency_names("hydrate", Some("wasm32-unknown-unknown"));
    assert!(wasm.iter().any(|c| c == "leptos"), "the tree was read: {wasm:?}");
    let leaked: Vec<_> = wasm.iter().filter(|c| SERVER_ONLY.contains(&c.as_str())).collect();
    assert!(leaked.is_empty(), "server-only crates in the wasm build: {leaked:?}");

    // The same query on the server build does find them, so the check above can fail.
    let server = dependency_names("ssr", None);
    for name in ["sqlx", "axum", "tokio", "object_store", "image", "krilla"] {
        assert!(server.iter().any(|c| c == name), "{name} expected in the server build");
    }
}
