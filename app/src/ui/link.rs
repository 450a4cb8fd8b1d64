//! Links with a query string, built the one way: every value percent-encoded (RFC 3986
//! unreserved characters kept), so typed text can never end a parameter or start another.

/// `value` percent-encoded for a query string.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `base?k=v&…`, or `base` alone when there are no pairs.
pub fn with_query(base: &str, pairs: &[(&str, String)]) -> String {
    let encoded: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect();
    if encoded.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", encoded.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_stays_one_value() {
        assert_eq!(
            with_query("/bus", &[("near", "酒泉路 & q=1".to_owned())]),
            "/bus?near=%E9%85%92%E6%B3%89%E8%B7%AF%20%26%20q%3D1"
        );
        assert_eq!(with_query("/bus", &[]), "/bus");
        assert_eq!(percent_encode("a-b_c.d~e/f"), "a-b_c.d~e%2Ff");
    }
}
