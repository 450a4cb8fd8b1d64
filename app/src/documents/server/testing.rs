//! Test support: a document's text as a reader extracts it (pdftotext, from poppler-utils, which
//! `.ci/setup.sh test` installs), for this crate's tests and the server's.

use std::process::Command;

/// The text of `pdf` by `pdftotext`, with every space and line break removed (lines wrap where
/// the page is full, so a phrase may be split).
pub fn pdf_text(pdf: &[u8]) -> String {
    use rand::Rng;
    let path = std::env::temp_dir().join(format!("onestop-document-{:016x}.pdf", rand::rng().random::<u64>()));
    std::fs::write(&path, pdf).expect("write the PDF");
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils: run .ci/setup.sh test)");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 text").chars().filter(|c| !c.is_whitespace()).collect()
}
