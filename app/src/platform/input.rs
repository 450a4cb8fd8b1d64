//! The one rule for text entering the portal: NUL, the other C0 control characters and DEL are
//! never accepted; tab, carriage return and line feed only in fields declared multi-line
//! (`app::is_multi_line`, composed from the features' tables). PostgreSQL refuses NUL in text outright and nothing the portal
//! asks for needs the others, so they are refused at the boundary — form posts, page addresses
//! and server-function arguments (`server/src/http`) — before any feature's code sees them, the
//! same on both database backends. Anything else that takes text from outside (uploaded file
//! names, say) checks it with [`has_refused`].

use crate::error::FieldError;

/// Whether `c` is refused in a field that is (or is not) multi-line.
pub fn is_refused(c: char, multi_line: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' => !multi_line,
        '\u{0}'..='\u{1f}' | '\u{7f}' => true,
        _ => false,
    }
}

/// Whether `text` holds a character the rule refuses.
pub fn has_refused(text: &str, multi_line: bool) -> bool {
    text.chars().any(|c| is_refused(c, multi_line))
}

/// `text` without the characters the rule refuses (what a refused form shows again).
pub fn without_refused(text: &str, multi_line: bool) -> String {
    text.chars().filter(|c| !is_refused(*c, multi_line)).collect()
}

/// Checks name/value pairs: the refused ones become field errors (one per field name) and every
/// pair comes back with the refused characters removed.
pub fn check_pairs(
    pairs: Vec<(String, String)>,
    multi_line: impl Fn(&str) -> bool,
) -> (Vec<(String, String)>, Vec<FieldError>) {
    let mut errors: Vec<FieldError> = Vec::new();
    let cleaned = pairs
        .into_iter()
        .map(|(name, value)| {
            let lines = multi_line(&name);
            if has_refused(&name, false) || has_refused(&value, lines) {
                let field = without_refused(&name, false);
                if !errors.iter().any(|e| e.field == field) {
                    errors.push(FieldError::new(&field, FieldError::CONTROL_CHARACTERS));
                }
            }
            (without_refused(&name, false), without_refused(&value, lines))
        })
        .collect();
    (cleaned, errors)
}

/// A raw query string checked without decoding it: a percent-encoded byte below 0x20 or 0x7F
/// is always a control character (UTF-8 never uses those bytes inside a longer sequence), and
/// raw ones cannot appear in a URI. Returns the query without the refused parameters (a page
/// then acts as if they had not been given) and their names; `None` when nothing was refused.
pub fn check_raw_query(raw: &str) -> Option<(String, Vec<FieldError>)> {
    if !has_encoded_control(raw) {
        return None;
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let mut kept: Vec<&str> = Vec::new();
    for pair in raw.split('&') {
        if !has_encoded_control(pair) {
            kept.push(pair);
            continue;
        }
        let name = decode_component(&without_encoded_control(pair.split('=').next().unwrap_or_default()));
        if !errors.iter().any(|e| e.field == name) {
            errors.push(FieldError::new(&name, FieldError::CONTROL_CHARACTERS));
        }
    }
    Some((kept.join("&"), errors))
}

/// Whether a raw URI component holds a percent-encoded control character.
pub fn has_encoded_control(raw: &str) -> bool {
    encoded_controls(raw).next().is_some()
}

/// A raw URI component without its percent-encoded control characters.
pub fn without_encoded_control(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = 0;
    for at in encoded_controls(raw) {
        out.push_str(&raw[rest..at]);
        rest = at + 3;
    }
    out.push_str(&raw[rest..]);
    out
}

/// Byte offsets of `%XX` escapes that encode a control character.
fn encoded_controls(raw: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = raw.as_bytes();
    (0..bytes.len()).filter(move |&i| {
        bytes[i] == b'%'
            && bytes.get(i + 1..i + 3).is_some_and(|hex| {
                std::str::from_utf8(hex)
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .is_some_and(|b| is_refused(char::from(b), false))
            })
    })
}

/// A query component decoded for messages (`+` is a space).
fn decode_component(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_line_breaks_only_where_lines_are_expected() {
        for c in ['\0', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}'] {
            assert!(is_refused(c, false) && is_refused(c, true), "{:?}", c);
        }
        for c in ['\t', '\n', '\r'] {
            assert!(is_refused(c, false) && !is_refused(c, true), "{:?}", c);
        }
        for ok in ["张伟", "river bridge sunset 1936", "👍🏽 emoji", "O'Brien <b>&amp;", "\u{80}\u{a0}\u{2028}"] {
            assert!(!has_refused(ok, false), "{ok}");
        }
        assert_eq!(without_refused("a\0b\tc\u{7f}", false), "abc");
        assert_eq!(without_refused("a\0b\tc\r\n", true), "ab\tc\r\n");
    }

    #[test]
    fn pairs_name_each_refused_field_once_and_come_back_cleaned() {
        let pairs = vec![
            ("name".to_owned(), "张\0伟".to_owned()),
            ("name".to_owned(), "x\u{1}".to_owned()),
            ("content".to_owned(), "a = 1\n\tb = 2\r\n".to_owned()),
            ("email".to_owned(), "a@example.cn".to_owned()),
        ];
        let (cleaned, errors) = check_pairs(pairs, |f| f == "content");
        assert_eq!(errors, vec![FieldError::new("name", FieldError::CONTROL_CHARACTERS)]);
        assert_eq!(cleaned[0].1, "张伟");
        assert_eq!(cleaned[2].1, "a = 1\n\tb = 2\r\n", "multi-line text keeps its tabs and line breaks");
        let (_, errors) = check_pairs(vec![("content".into(), "a\tb".into())], |_| false);
        assert_eq!(errors.len(), 1, "a tab in a single-line field is refused");
    }

    #[test]
    fn raw_queries_lose_encoded_controls_and_keep_everything_else() {
        assert_eq!(check_raw_query("q=%E5%BC%A0%20x+y&next=%2Faccount"), None);
        let (cleaned, errors) = check_raw_query("q=a%00b%0A&page=2&next%09x=%7F%7f").expect("refused");
        assert_eq!(cleaned, "page=2");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["q", "nextx"]);
        let (_, errors) = check_raw_query("%E5%90%8D+x=%00").expect("refused");
        assert_eq!(errors[0].field, "名 x");
        assert!(has_encoded_control("/services/ab%1Fc") && !has_encoded_control("/services/%E4%B8%AD%20"));
        assert_eq!(without_encoded_control("%"), "%", "a lone percent sign is left alone");
    }
}
