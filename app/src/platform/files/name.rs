//! The original name of an uploaded file, cleaned for display and download names. It is only
//! ever metadata: no path is built from it.

use unicode_normalization::UnicodeNormalization;

/// The longest name kept, in bytes (what common file systems allow).
const MAX_NAME_BYTES: usize = 255;
/// An extension longer than this is part of the name, not kept when shortening.
const MAX_EXTENSION_BYTES: usize = 16;
/// Device names Windows will not save a file under, whatever the extension.
const WINDOWS_DEVICES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name fit to show and to offer as a download name: the last path component only
/// (browsers on Windows once sent whole paths), NFC-normalised (macOS sends NFD), without
/// control characters or bidirectional overrides (which make `gpj.exe` look like `exe.jpg`),
/// without characters Windows refuses in names, without leading dots or trailing dots and
/// spaces, not a Windows device name, at most 255 bytes with its extension kept; `file` when
/// nothing is left.
pub fn sanitize_file_name(declared: &str) -> String {
    let last = declared.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .nfc()
        .filter(|c| !is_invisible_control(*c))
        .map(|c| if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim_start_matches(|c: char| c == '.' || c.is_whitespace());
    let trimmed = trimmed.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return "file".to_owned();
    }
    let stem = trimmed.split('.').next().unwrap_or_default();
    let name = if WINDOWS_DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem.trim_end())) {
        format!("_{trimmed}")
    } else {
        trimmed.to_owned()
    };
    shorten(name)
}

/// Control characters (C0, DEL, C1) and the bidirectional formatting characters.
fn is_invisible_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// At most [`MAX_NAME_BYTES`], cut on a character boundary, keeping a short extension.
fn shorten(name: String) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    let extension = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= MAX_EXTENSION_BYTES => ext,
        _ => "",
    };
    let room = if extension.is_empty() { MAX_NAME_BYTES } else { MAX_NAME_BYTES - extension.len() - 1 };
    let mut cut = room;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    let stem = name[..cut].trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if extension.is_empty() {
        stem.to_owned()
    } else {
        format!("{stem}.{extension}")
    }
}
