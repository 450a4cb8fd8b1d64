//! PDF checks: the document must parse, must not be encrypted, and must carry no active content.
//!
//! Two passes, so neither parser's blind spots decide alone:
//! - every object lopdf loads (including those inside compressed object streams, with `#xx`
//!   escapes in names decoded) is walked for the names below, and every `/OpenAction` and `/AA`
//!   must be a plain `GoTo` (or, for an open action, a destination array);
//! - the raw bytes are scanned for the same names, which also finds objects outside the
//!   cross-reference table that a lenient viewer could still reconstruct.

use super::UploadRefusal;
use lopdf::{Document, LoadOptions, Object};

/// Names that mark scripts, programs to launch and files carried inside the PDF. As a key or a
/// value (an action's `/S /JavaScript`), anywhere.
const ACTIVE_NAMES: [&[u8]; 5] = [b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"];
/// The most any one stream may inflate to while loading (object and cross-reference streams).
const MAX_INFLATED_STREAM: usize = 64 * 1024 * 1024;
/// How many `/Next` actions or references an action check follows.
const MAX_ACTION_DEPTH: usize = 16;

/// Checks a PDF and returns its page count.
pub(super) fn check(bytes: &[u8]) -> Result<u32, UploadRefusal> {
    if raw_names(bytes).any(|name| is_active(&name)) {
        return Err(UploadRefusal::ActiveContent);
    }
    // lopdf is not written for hostile input: a panic in it is an unreadable file, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_document(bytes)))
        .unwrap_or(Err(UploadRefusal::Unreadable))
}

fn check_document(bytes: &[u8]) -> Result<u32, UploadRefusal> {
    let options = LoadOptions { max_decompressed_size: Some(MAX_INFLATED_STREAM), ..LoadOptions::default() };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|_| UploadRefusal::Unreadable)?;
    if doc.trailer.get(b"Encrypt").is_ok() || doc.was_encrypted() {
        return Err(UploadRefusal::Unreadable);
    }
    if has_active_content(&doc) {
        return Err(UploadRefusal::ActiveContent);
    }
    match u32::try_from(doc.page_iter().count()) {
        Ok(0) | Err(_) => Err(UploadRefusal::Unreadable),
        Ok(pages) => Ok(pages),
    }
}

fn is_active(name: &[u8]) -> bool {
    ACTIVE_NAMES.contains(&name)
}

/// Walks every loaded object (without recursion: nesting depth is the sender's choice).
fn has_active_content(doc: &Document) -> bool {
    let mut pending: Vec<&Object> = doc.trailer.iter().map(|(_, v)| v).collect();
    pending.extend(doc.objects.values());
    while let Some(object) = pending.pop() {
        let dict = match object {
            Object::Name(name) if is_active(name) => return true,
            Object::Array(items) => {
                pending.extend(items);
                continue;
            }
            Object::Dictionary(dict) => dict,
            Object::Stream(stream) => &stream.dict,
            _ => continue,
        };
        for (key, value) in dict.iter() {
            if is_active(key) {
                return true;
            }
            let automatic = match key.as_slice() {
                b"OpenAction" => !is_plain_go_to(doc, value, true, 0),
                b"AA" => match resolve(doc, value) {
                    Some(Object::Dictionary(triggers)) => {
                        triggers.iter().any(|(_, action)| !is_plain_go_to(doc, action, false, 0))
                    }
                    _ => false,
                },
                _ => false,
            };
            if automatic {
                return true;
            }
            pending.push(value);
        }
    }
    false
}

/// Whether an automatic action only moves to a page: a `GoTo` action (whose `/Next` actions are
/// the same), or for an open action a destination array.
fn is_plain_go_to(doc: &Document, action: &Object, destination_allowed: bool, depth: usize) -> bool {
    if depth > MAX_ACTION_DEPTH {
        return false;
    }
    match resolve(doc, action) {
        None | Some(Object::Null) => true,
        Some(Object::Array(_)) if destination_allowed => true,
        Some(Object::Dictionary(dict)) => {
            let go_to = matches!(dict.get(b"S"), Ok(Object::Name(s)) if s == b"GoTo");
            go_to
                && match dict.get(b"Next") {
                    Err(_) => true,
                    Ok(Object::Array(next)) => next.iter().all(|a| is_plain_go_to(doc, a, false, depth + 1)),
                    Ok(next) => is_plain_go_to(doc, next, false, depth + 1),
                }
        }
        Some(_) => false,
    }
}

/// Follows references (a bounded number of them); `None` for a dangling one.
fn resolve<'a>(doc: &'a Document, mut object: &'a Object) -> Option<&'a Object> {
    for _ in 0..MAX_ACTION_DEPTH {
        match object {
            Object::Reference(id) => object = doc.objects.get(id)?,
            other => return Some(other),
        }
    }
    None
}

/// Every name token in raw PDF bytes outside stream data, `#xx` escapes decoded. Stream data
/// (compressed, images) is skipped: random bytes would now and then spell a short name like `/JS`.
fn raw_names(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            if starts_stream_data(bytes, at) {
                at = find(bytes, at, b"endstream").map_or(bytes.len(), |end| end + b"endstream".len());
            } else if bytes[at] == b'/' {
                let start = at + 1;
                let mut end = start;
                while end < bytes.len() && is_regular(bytes[end]) {
                    end += 1;
                }
                at = end;
                return Some(decode_name(&bytes[start..end]));
            } else {
                at += 1;
            }
        }
        None
    })
}

/// Whether the `stream` keyword that opens stream data starts at `at`.
fn starts_stream_data(bytes: &[u8], at: usize) -> bool {
    bytes[at..].starts_with(b"stream")
        && (at == 0 || !is_regular(bytes[at - 1]))
        && matches!(bytes.get(at + b"stream".len()), Some(b'\r' | b'\n'))
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes[from..].windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

/// Not white space and not a delimiter (PDF 32000-1, 7.2.2).
fn is_regular(b: u8) -> bool {
    !matches!(
        b,
        b'\0'
            | b'\t'
            | b'\n'
            | b'\x0c'
            | b'\r'
            | b' '
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
    )
}

fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let escaped = (raw[i] == b'#')
            .then(|| raw.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(raw[i]);
                i += 1;
            }
        }
    }
    out
}
