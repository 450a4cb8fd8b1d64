//! The documents as files: text a machine can read back (pdftotext, from poppler-utils, which
//! `.ci/setup.sh test` installs), the font embedded as a subset, the QR code read back from the
//! rendered page (pdftoppm + rqrr), and the same bytes for the same facts.

use super::pdf::{render, DocumentFont, Facts, DEFAULT_FONT_PATH};
use super::testing::pdf_text;
use crate::documents::DocumentKind;
use std::path::PathBuf;
use std::process::Command;

fn font() -> DocumentFont {
    DocumentFont::load(std::path::Path::new(DEFAULT_FONT_PATH)).expect("the documents' font: run .ci/setup.sh")
}

fn facts(kind: DocumentKind) -> Facts {
    Facts {
        kind,
        portal: "金城市政务服务网".to_owned(),
        department: "金城市市场监督管理局".to_owned(),
        applicant: "王小明".to_owned(),
        item: "食品经营许可证核发".to_owned(),
        number: "20261203000017X".to_owned(),
        submitted_at: 1_796_300_000,
        issued_at: 1_796_400_000,
        promised_due: Some("2026-12-20".to_owned()),
        supplement_due: None,
        reason: String::new(),
        appeal: String::new(),
        materials: Vec::new(),
        reference: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".to_owned(),
        verify_url: "https://zwfw.example.gov.cn/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".to_owned(),
    }
}

/// A file of its own in the temporary directory.
fn temp_file(pdf: &[u8]) -> PathBuf {
    use rand::Rng;
    let path = std::env::temp_dir().join(format!("onestop-document-{:016x}.pdf", rand::rng().random::<u64>()));
    std::fs::write(&path, pdf).expect("write the PDF");
    path
}

#[test]
fn an_acceptance_notice_reads_back_as_chinese_text_with_its_facts() {
    let pdf = render(&font(), &facts(DocumentKind::Acceptance)).expect("render");
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for expected in [
        "受理通知书",
        "金城市市场监督管理局",
        "王小明",
        "食品经营许可证核发",
        "20261203000017X",
        "金城市政务服务网",
        "决定予以受理",
        "2026-12-20",
        "2026年12月5日",
        "https://zwfw.example.gov.cn/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}

#[test]
fn each_kind_says_what_it_decides() {
    let font = font();
    let mut supplement = facts(DocumentKind::Supplement);
    supplement.materials = vec![
        ("营业执照副本".to_owned(), "复印件不清晰，请重新扫描".to_owned()),
        ("健康证明".to_owned(), "已过有效期".to_owned()),
    ];
    supplement.reason = "请一次性补齐".to_owned();
    let text = pdf_text(&render(&font, &supplement).expect("render"));
    for expected in
        ["补正材料告知书", "1.营业执照副本：复印件不清晰，请重新扫描", "2.健康证明：已过有效期", "请一次性补齐"]
    {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    let mut not_accepted = facts(DocumentKind::NonAcceptance);
    not_accepted.reason = "本事项不属于本机关职权范围".to_owned();
    not_accepted.appeal = "可在六十日内向市人民政府申请行政复议".to_owned();
    let text = pdf_text(&render(&font, &not_accepted).expect("render"));
    for expected in ["不予受理通知书", "理由：本事项不属于本机关职权范围", "可在六十日内向市人民政府申请行政复议"]
    {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    let mut denied = facts(DocumentKind::Denial);
    denied.reason = "经营场所不符合要求".to_owned();
    let text = pdf_text(&render(&font, &denied).expect("render"));
    for expected in ["不予行政许可决定书", "理由：经营场所不符合要求", "行政复议"] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let text = pdf_text(&render(&font, &facts(DocumentKind::Approval)).expect("render"));
    assert!(text.contains("准予行政许可决定书") && text.contains("决定准予行政许可"), "{text}");
}

#[test]
fn long_texts_go_on_over_the_next_page_with_nothing_lost() {
    let mut supplement = facts(DocumentKind::Supplement);
    // The console allows 1000 characters per reason: far more than one page holds.
    supplement.materials =
        (1..=4).map(|i| (format!("材料{i}"), format!("第{i}项原因。{}", "甲乙丙丁。".repeat(240)))).collect();
    supplement.reason = format!("{}最后一句。", "补充说明。".repeat(190));
    let text = pdf_text(&render(&font(), &supplement).expect("render"));
    for expected in ["1.材料1：第1项原因", "4.材料4：第4项原因", "最后一句。", "文书核验码："]
    {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    let at = text.find("第1页，共").expect("page numbers") + "第1页，共".len();
    let pages: usize = text[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("count");
    assert!(pages >= 3, "{pages} pages");
    for page in 1..=pages {
        assert!(text.contains(&format!("第{page}页，共{pages}页")), "page {page} of {pages}");
    }
    // Counted by one character: a phrase may be split by a line or page break (and the footer).
    assert_eq!(text.matches('丙').count(), 4 * 240, "every line of every page is there once");
}

#[test]
fn the_font_is_embedded_as_a_subset_far_smaller_than_the_font() {
    let font = font();
    let pdf = render(&font, &facts(DocumentKind::Acceptance)).expect("render");
    let raw = String::from_utf8_lossy(&pdf);
    // `/FontName /ABCDEF+Name` in each font descriptor (the writer may leave out the space).
    let names: Vec<&str> = raw
        .match_indices("/FontName")
        .map(|(i, _)| raw[i + 9..].trim_start().trim_start_matches('/'))
        .map(|rest| &rest[..rest.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(rest.len())])
        .collect();
    assert!(!names.is_empty(), "no font descriptor");
    for name in &names {
        let (tag, _) = name.split_once('+').unwrap_or_else(|| panic!("not a subset font name: {name}"));
        assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()), "subset tag {tag}");
    }
    assert!(raw.contains("/FontFile2") || raw.contains("/FontFile3"), "the font program is embedded");
    assert!(pdf.len() * 20 < font.file_size(), "{} bytes of PDF for a {} byte font", pdf.len(), font.file_size());
}

#[test]
fn the_qr_code_reads_back_as_the_verification_address() {
    let facts = facts(DocumentKind::Acceptance);
    let path = temp_file(&render(&font(), &facts).expect("render"));
    let prefix = path.with_extension("");
    let status = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(&path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let png = prefix.with_extension("png");
    let image = image::open(&png).expect("rendered page").to_luma8();
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&png);
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, content) = grids[0].decode().expect("a readable QR code");
    assert_eq!(content, facts.verify_url);
}

#[test]
fn the_verification_address_is_also_a_link() {
    let facts = facts(DocumentKind::Acceptance);
    let pdf = render(&font(), &facts).expect("render");
    let raw = String::from_utf8_lossy(&pdf);
    let link = raw
        .match_indices("/URI")
        .any(|(i, _)| raw[i + 4..].trim_start().trim_start_matches('(').starts_with(&facts.verify_url));
    assert!(link, "a link annotation to the verification address");
}

#[test]
fn the_same_facts_give_the_same_bytes_and_other_facts_others() {
    let font = font();
    let first = render(&font, &facts(DocumentKind::Acceptance)).expect("render");
    assert_eq!(first, render(&font, &facts(DocumentKind::Acceptance)).expect("render"));
    let mut other = facts(DocumentKind::Acceptance);
    other.applicant = "李四".to_owned();
    assert_ne!(first, render(&font, &other).expect("render"));
}

#[test]
fn a_missing_or_unusable_font_is_refused_with_a_reason() {
    let err = DocumentFont::load(std::path::Path::new("/nonexistent/font.ttc")).expect_err("missing");
    assert!(err.contains("/nonexistent/font.ttc"), "{err}");
    let err = DocumentFont::from_bytes(b"not a font".to_vec()).expect_err("not a font");
    assert!(err.contains("not a usable font"), "{err}");
}
