//! The wire protocol between the portal and another organisation's system: JSON bodies,
//! HMAC-SHA256 signatures on requests and responses, a timestamp window and single-use nonces.
//! Each partner's [`Protocol`] names its path prefix and headers; the rules are the same.
//!
//! Request:  `POST {prefix}{operation}` with the key id, timestamp, nonce and
//! `signature = HMAC(secret, "POST\n{path}\n{ts}\n{nonce}\n{sha256(body)}")` headers.
//! Response: timestamp and `signature = HMAC(secret, "{status}\n{request nonce}\n{ts}\n{sha256(body)}")`,
//! so a response cannot be forged, altered or replayed for another request.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// How far a signed timestamp may be from the receiver's clock.
pub const MAX_CLOCK_SKEW_SECS: i64 = 300;
/// The largest request body an endpoint accepts.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// The largest response body the portal reads.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// One partner's dialect of the protocol: where its operations live and what its headers are
/// called.
#[derive(Debug)]
pub struct Protocol {
    /// Names the partner in log lines, e.g. "register" or "gas company".
    pub partner: &'static str,
    /// e.g. `/registers/v1/`; the operation follows it.
    pub path_prefix: &'static str,
    pub header_key: &'static str,
    pub header_timestamp: &'static str,
    pub header_nonce: &'static str,
    pub header_signature: &'static str,
}

impl Protocol {
    /// A partner on the portal's exchange headers (`x-exchange-*`).
    pub const fn new(partner: &'static str, path_prefix: &'static str) -> Protocol {
        Protocol {
            partner,
            path_prefix,
            header_key: "x-exchange-key",
            header_timestamp: "x-exchange-timestamp",
            header_nonce: "x-exchange-nonce",
            header_signature: "x-exchange-signature",
        }
    }

    pub fn path(&self, operation: &str) -> String {
        format!("{}{operation}", self.path_prefix)
    }
}

/// A shared secret between the portal and one department, identified by a key id.
#[derive(Clone)]
pub struct SigningKey {
    pub key_id: String,
    secret: Vec<u8>,
}

/// Shorter secrets are refused: HMAC is only as strong as its key.
pub const MIN_SECRET_BYTES: usize = 32;

impl SigningKey {
    pub fn new(key_id: &str, secret: &[u8]) -> Result<SigningKey, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!("the signing secret must be at least {MIN_SECRET_BYTES} bytes"));
        }
        if key_id.is_empty() || !key_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err("the key id must be letters, digits, '-' or '_'".into());
        }
        Ok(SigningKey { key_id: key_id.to_owned(), secret: secret.to_vec() })
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length; this cannot fail.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!("HMAC takes any key"))
    }

    pub fn sign_request(&self, path: &str, timestamp: i64, nonce: &str, body: &[u8]) -> String {
        self.sign(&request_message(path, timestamp, nonce, body))
    }

    pub fn verify_request(&self, path: &str, timestamp: i64, nonce: &str, body: &[u8], signature: &str) -> bool {
        self.verify(&request_message(path, timestamp, nonce, body), signature)
    }

    pub fn sign_response(&self, status: u16, request_nonce: &str, timestamp: i64, body: &[u8]) -> String {
        self.sign(&response_message(status, request_nonce, timestamp, body))
    }

    pub fn verify_response(
        &self,
        status: u16,
        request_nonce: &str,
        timestamp: i64,
        body: &[u8],
        signature: &str,
    ) -> bool {
        self.verify(&response_message(status, request_nonce, timestamp, body), signature)
    }

    fn sign(&self, message: &str) -> String {
        let mut mac = self.mac();
        mac.update(message.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Constant-time comparison of the expected and presented signature.
    fn verify(&self, message: &str, signature: &str) -> bool {
        let Ok(presented) = hex::decode(signature) else { return false };
        let mut mac = self.mac();
        mac.update(message.as_bytes());
        mac.verify_slice(&presented).is_ok()
    }
}

fn body_digest(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn request_message(path: &str, timestamp: i64, nonce: &str, body: &[u8]) -> String {
    format!("POST\n{path}\n{timestamp}\n{nonce}\n{}", body_digest(body))
}

fn response_message(status: u16, nonce: &str, timestamp: i64, body: &[u8]) -> String {
    format!("{status}\n{nonce}\n{timestamp}\n{}", body_digest(body))
}

/// A fresh 128-bit nonce.
pub fn new_nonce() -> String {
    use rand::Rng;
    hex::encode(rand::rng().random::<[u8; 16]>())
}

/// Nonces are 32 lower-case hex digits.
pub fn is_valid_nonce(nonce: &str) -> bool {
    nonce.len() == 32 && nonce.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::new("portal", &[7u8; 32]).expect("valid key")
    }

    #[test]
    fn signatures_bind_every_part_of_the_message() {
        let k = key();
        let sig = k.sign_request("/registers/v1/person", 100, "n1", b"{}");
        assert!(k.verify_request("/registers/v1/person", 100, "n1", b"{}", &sig));
        assert!(!k.verify_request("/registers/v1/entity", 100, "n1", b"{}", &sig), "path");
        assert!(!k.verify_request("/registers/v1/person", 101, "n1", b"{}", &sig), "timestamp");
        assert!(!k.verify_request("/registers/v1/person", 100, "n2", b"{}", &sig), "nonce");
        assert!(!k.verify_request("/registers/v1/person", 100, "n1", b"{ }", &sig), "body");
        let other = SigningKey::new("portal", &[8u8; 32]).expect("valid key");
        assert!(!other.verify_request("/registers/v1/person", 100, "n1", b"{}", &sig), "secret");
        assert!(!k.verify_request("/registers/v1/person", 100, "n1", b"{}", "zz"), "not hex");

        let sig = k.sign_response(200, "n1", 100, b"[]");
        assert!(k.verify_response(200, "n1", 100, b"[]", &sig));
        assert!(!k.verify_response(404, "n1", 100, b"[]", &sig), "status");
        assert!(!k.verify_response(200, "n2", 100, b"[]", &sig), "another request's nonce");
    }

    #[test]
    fn weak_keys_and_odd_key_ids_are_refused() {
        assert!(SigningKey::new("portal", &[1u8; 31]).is_err());
        assert!(SigningKey::new("por tal", &[1u8; 32]).is_err());
        assert!(SigningKey::new("", &[1u8; 32]).is_err());
        assert!(is_valid_nonce(&new_nonce()));
        assert!(!is_valid_nonce("ABCDEF0123456789abcdef0123456789"));
    }
}
