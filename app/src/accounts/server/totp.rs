//! Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30 s), the second factor staff
//! sign in with, as every authenticator app understands them.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new 160-bit secret (RFC 4226 recommends 160 bits).
pub fn new_secret() -> Vec<u8> {
    use rand::Rng;
    rand::rng().random::<[u8; 20]>().to_vec()
}

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            out.push(BASE32[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32.iter().position(|b| *b as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            out.push((buffer >> (bits - 8)) as u8);
            bits -= 8;
        }
    }
    Some(out)
}

/// The code for the time step containing `unix`.
pub fn code_at(secret: &[u8], unix: i64) -> String {
    code_for_step(secret, unix.div_euclid(STEP_SECS))
}

fn code_for_step(secret: &[u8], step: i64) -> String {
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(secret) else { return String::new() };
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[hash.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    format!("{:0width$}", binary % 10u32.pow(DIGITS), width = DIGITS as usize)
}

/// The time step a code belongs to, accepting one step of clock drift either way and never a
/// step at or before `last_used` (a code works once).
pub fn verify(secret: &[u8], code: &str, unix: i64, last_used: Option<i64>) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = unix.div_euclid(STEP_SECS);
    [now - 1, now, now + 1].into_iter().filter(|step| last_used.is_none_or(|used| *step > used)).find(|step| {
        crate::platform::secrets::constant_time_eq(code_for_step(secret, *step).as_bytes(), code.as_bytes())
    })
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// The QR code of `text` as an SVG document.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 secret, last six of the eight published digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            assert_eq!(code_at(secret, time), code, "T={time}");
        }
    }

    #[test]
    fn codes_allow_one_step_of_drift_and_work_once() {
        let secret = b"12345678901234567890";
        let now = 1_234_567_890;
        let code = code_at(secret, now);
        let step = verify(secret, &code, now + 30, None).expect("one step late is fine");
        assert_eq!(verify(secret, &code, now + 30, Some(step)), None, "the same code cannot be used twice");
        assert_eq!(verify(secret, &code, now + 90, None), None, "three steps late is refused");
        assert_eq!(verify(secret, "12345", now, None), None);
        assert_eq!(verify(secret, "abcdef", now, None), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(from_base32("MZXW6YTBOI").as_deref(), Some(&b"foobar"[..]));
        let secret = new_secret();
        assert_eq!(from_base32(&base32(&secret)), Some(secret));
        assert!(otpauth_uri("兰州市一网通办", "admin", b"foobar").starts_with("otpauth://totp/%E5%85%B0"));
        assert!(qr_svg("otpauth://totp/x").is_some_and(|svg| svg.contains("<svg")));
    }

    /// The page puts this SVG in as markup: it must hold the code's geometry only, never the
    /// encoded text (which names the account).
    #[test]
    fn the_qr_svg_carries_no_text_of_its_own() {
        let svg = qr_svg("otpauth://totp/</svg><script>alert(1)</script>:x\"'&").expect("svg");
        let tags: Vec<&str> =
            svg.split('<').skip(1).map(|t| t.split([' ', '>', '/']).next().unwrap_or_default()).collect();
        assert_eq!(tags, ["?xml", "svg", "rect", "path", ""], "{svg}");
        assert!(!svg.contains("script") && !svg.contains("otpauth"));
    }
}
