//! The one validator for redirect targets. Every `Location` the portal sends is a [`LocalPath`]:
//! sign-in's `next=`, the preference switches' `return_to`, kept forms and every form handler's
//! redirect. Anything that is not plainly a path on this site falls back to a safe default, so
//! no input can send a browser elsewhere (open redirect) or break the header (500).

use std::fmt;

/// Longer targets are refused (no page of ours needs one; headers stay small).
pub const MAX_LEN: usize = 2048;

/// A path on this site, safe to send as `Location`: starts with exactly one `/`, has no scheme
/// or authority, no backslash and no control character (typed or percent-encoded), and is at
/// most [`MAX_LEN`] long. Spaces and non-ASCII characters are sent percent-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    /// The target if it is a path on this site; `None` for anything else.
    pub fn parse(candidate: &str) -> Option<LocalPath> {
        if candidate.len() > MAX_LEN || !is_local(candidate) {
            return None;
        }
        // A target is judged again after each round of percent-decoding, so an encoded control
        // character or `//` is refused as well as a typed one.
        let mut decoded = candidate.to_owned();
        for _ in 0..3 {
            let next = percent_decode(&decoded);
            if next == decoded {
                break;
            }
            if !is_local(&next) {
                return None;
            }
            decoded = next;
        }
        Some(LocalPath(encode_for_header(candidate)))
    }

    /// The target if it is a path on this site, otherwise `fallback`.
    pub fn or(candidate: &str, fallback: &'static str) -> LocalPath {
        LocalPath::parse(candidate).unwrap_or_else(|| {
            debug_assert!(LocalPath::parse(fallback).is_some(), "fallback {fallback} is not local");
            LocalPath(fallback.to_owned())
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Handlers write `FormOutcome::Redirect("/account".into())`: a fixed path, or one built from
/// input, passes the same check; anything else becomes the home page.
impl From<&str> for LocalPath {
    fn from(candidate: &str) -> Self {
        LocalPath::or(candidate, "/")
    }
}

impl From<String> for LocalPath {
    fn from(candidate: String) -> Self {
        LocalPath::or(&candidate, "/")
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One `/`, then not a second `/` or `\` (browsers read `//host` and `/\host` as another site),
/// no backslash at all, no control character (browsers drop tab and newlines, so `/\t/host`
/// is `//host`; C1 and DEL have no business in a path either).
fn is_local(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

/// `%XX` sequences decoded (invalid ones kept as typed); bytes that are not UTF-8 become U+FFFD.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Spaces and non-ASCII bytes percent-encoded, so the header is plain visible ASCII.
fn encode_for_header(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_are_kept() {
        for (input, sent) in [
            ("/", "/"),
            ("/account", "/account"),
            ("/account/data-access", "/account/data-access"),
            ("/search?q=%E5%85%AC", "/search?q=%E5%85%AC"),
            ("/search?q=公积金", "/search?q=%E5%85%AC%E7%A7%AF%E9%87%91"),
            ("/search?q=a b", "/search?q=a%20b"),
            ("/services?from=https://example.org", "/services?from=https://example.org"),
            ("/login?expired=1&next=/account", "/login?expired=1&next=/account"),
            ("/a/b//c", "/a/b//c"),
            ("/#top", "/#top"),
        ] {
            assert_eq!(LocalPath::parse(input).map(|p| p.0), Some(sent.to_owned()), "{input:?}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_or_break_the_header_falls_back() {
        let long = format!("/{}", "a".repeat(MAX_LEN));
        let hostile = [
            "",
            "account",
            "//evil.example",
            "//evil.example/path",
            "/\\evil.example",
            "\\/evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\r\n/evil.example",
            "/\n/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/\u{0}",
            "/\u{7f}",
            "/\u{85}next-line",
            " /evil",
            "\t//evil.example",
            "https://evil.example/",
            "http:evil.example",
            "https:/evil.example",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/%09/evil.example",
            "/%0d%0a/evil.example",
            "/%0D%0ASet-Cookie:%20a=b",
            "/%2F/evil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%252F/evil.example",
            "/%25252F/evil.example",
            "/%00",
            "/%7F",
            "/a/%5C..%5C",
            "／/evil.example",
            "／／evil.example",
            &long,
        ];
        for input in hostile {
            assert_eq!(LocalPath::parse(input), None, "{input:?}");
            assert_eq!(LocalPath::or(input, "/account").as_str(), "/account", "{input:?}");
        }
    }

    #[test]
    fn every_accepted_target_resolves_to_this_site_in_a_browser_grade_parser() {
        let base = url::Url::parse("https://zwfw.example.gov.cn/services/item").expect("base");
        let inputs = ["/", "/account", "/search?q=公积金", "/a b", "/a/b//c", "/.%2e/x", "/@evil.example", "/:@x"];
        for input in inputs {
            let path = LocalPath::parse(input).unwrap_or_else(|| panic!("{input:?} is local"));
            let resolved = base.join(path.as_str()).expect("joins");
            assert_eq!(resolved.origin(), base.origin(), "{input:?} -> {resolved}");
            assert!(http::HeaderValue::from_str(path.as_str()).is_ok(), "{input:?} is a valid header");
        }
    }

    #[test]
    fn fixed_paths_convert_and_a_bad_one_becomes_the_home_page() {
        assert_eq!(LocalPath::from("/account?done=registered").as_str(), "/account?done=registered");
        assert_eq!(LocalPath::from(format!("/login?next={}", "/account")).as_str(), "/login?next=/account");
        assert_eq!(LocalPath::from("//evil.example").as_str(), "/");
    }
}
