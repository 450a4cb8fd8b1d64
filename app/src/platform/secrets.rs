//! Keys derived from the portal's one secret (a key file kept outside the database): a keyed
//! hash that turns ID numbers into stable references (audit rows, consent, account lookup), and
//! AES-256-GCM for the ID numbers the portal must keep, and the signature of the references
//! printed on issued documents.

use crate::identifiers::{CreditCode, ResidentId};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Clone)]
pub struct Secrets {
    subject: SubjectKey,
    cipher: IdCipher,
    documents: DocumentKey,
}

impl Secrets {
    pub fn from_master(secret: &[u8]) -> Result<Secrets, String> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!("the secret key must be at least {MIN_SECRET_BYTES} bytes"));
        }
        Ok(Secrets {
            subject: SubjectKey(derive(secret, b"onestop subject reference v1").to_vec()),
            cipher: IdCipher(derive(secret, b"onestop id-number encryption v1")),
            documents: DocumentKey(derive(secret, b"onestop document reference v1")),
        })
    }

    pub fn subject(&self) -> &SubjectKey {
        &self.subject
    }

    pub fn cipher(&self) -> &IdCipher {
        &self.cipher
    }

    pub fn documents(&self) -> &DocumentKey {
        &self.documents
    }
}

/// Compares two secrets without stopping at the first difference (no timing oracle).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn derive(secret: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(purpose);
    mac.finalize().into_bytes().into()
}

/// Turns ID numbers into stable, non-reversible references, so logs and lookups never hold the
/// number itself.
#[derive(Clone)]
pub struct SubjectKey(Vec<u8>);

impl SubjectKey {
    pub fn person(&self, id: &ResidentId) -> String {
        self.reference("person", id.as_str())
    }

    pub fn entity(&self, code: &CreditCode) -> String {
        self.reference("entity", code.as_str())
    }

    /// A short emailed code as stored: keyed, so a copy of the database does not reveal codes
    /// (a million six-digit codes would be trivial to hash without the key).
    pub fn one_time_code(&self, account_id: i64, purpose: &str, code: &str) -> String {
        self.reference("code", &format!("{account_id}:{purpose}:{code}"))
    }

    fn reference(&self, kind: &str, key: &str) -> String {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.0) else { return String::new() };
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(key.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Signs the references printed on issued documents (their verification address): 16 random
/// base32 characters and 16 of their keyed hash, so a reference cannot be guessed or made up
/// and a forged one is refused before the database is asked.
#[derive(Clone)]
pub struct DocumentKey([u8; 32]);

impl DocumentKey {
    const HALF: usize = 16;

    /// A new reference: fresh random characters and their signature.
    pub fn new_reference(&self) -> String {
        use rand::Rng;
        let random: [u8; 10] = rand::rng().random();
        let nonce = crate::accounts::server::totp::base32(&random);
        let signature = self.signature(&nonce);
        format!("{nonce}{signature}")
    }

    /// Whether `reference` is one this key signed (any other text, whatever its length, is not).
    pub fn is_signed(&self, reference: &str) -> bool {
        if reference.len() != 2 * Self::HALF || !reference.is_ascii() {
            return false;
        }
        let (nonce, signature) = reference.split_at(Self::HALF);
        constant_time_eq(self.signature(nonce).as_bytes(), signature.as_bytes())
    }

    fn signature(&self, nonce: &str) -> String {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.0) else { return String::new() };
        mac.update(b"document:");
        mac.update(nonce.as_bytes());
        crate::accounts::server::totp::base32(&mac.finalize().into_bytes()[..10])
    }
}

/// Authenticated encryption of short personal identifiers.
#[derive(Clone)]
pub struct IdCipher([u8; 32]);

impl IdCipher {
    /// `hex(nonce ‖ ciphertext)` with a fresh random 96-bit nonce.
    pub fn encrypt(&self, plain: &str) -> String {
        use rand::Rng;
        let cipher = Aes256Gcm::new((&self.0).into());
        let nonce: [u8; 12] = rand::rng().random();
        let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
        format!("{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    pub fn decrypt(&self, sealed: &str) -> Option<String> {
        let bytes = hex::decode(sealed).ok()?;
        if bytes.len() < 12 + 16 {
            return None;
        }
        let (nonce, body) = bytes.split_at(12);
        let plain = Aes256Gcm::new((&self.0).into()).decrypt(Nonce::from_slice(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_stable_keyed_and_hide_the_number() {
        let id = ResidentId::parse("11010519491231002X").expect("valid");
        let secrets = Secrets::from_master(&[1u8; 32]).expect("key");
        let reference = secrets.subject().person(&id);
        assert_eq!(reference, secrets.subject().person(&id));
        assert_eq!(reference.len(), 64);
        assert!(!reference.contains("19491231"));
        let other = Secrets::from_master(&[2u8; 32]).expect("key");
        assert_ne!(reference, other.subject().person(&id), "another key, another reference");
        assert!(Secrets::from_master(&[1u8; 31]).is_err());
    }

    #[test]
    fn document_references_are_signed_and_forgeries_refused() {
        let key = Secrets::from_master(&[5u8; 32]).expect("key");
        let reference = key.documents().new_reference();
        assert_eq!(reference.len(), 32);
        assert!(reference.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)), "{reference}");
        assert!(key.documents().is_signed(&reference));
        assert_ne!(reference, key.documents().new_reference(), "each reference is new");
        let mut forged = reference.clone().into_bytes();
        forged[3] = if forged[3] == b'A' { b'B' } else { b'A' };
        assert!(!key.documents().is_signed(&String::from_utf8(forged).expect("ascii")), "changed nonce");
        assert!(!key.documents().is_signed(&reference[..31]));
        assert!(!key.documents().is_signed(&format!("{reference}A")));
        assert!(!key.documents().is_signed("张三张三张三张三张三张三"));
        let other = Secrets::from_master(&[6u8; 32]).expect("key");
        assert!(!other.documents().is_signed(&reference), "another key signs other references");
    }

    #[test]
    fn id_numbers_round_trip_and_tampering_is_detected() {
        let secrets = Secrets::from_master(&[3u8; 32]).expect("key");
        let sealed = secrets.cipher().encrypt("11010519491231002X");
        assert!(!sealed.contains("19491231"));
        assert_ne!(sealed, secrets.cipher().encrypt("11010519491231002X"), "fresh nonce each time");
        assert_eq!(secrets.cipher().decrypt(&sealed).as_deref(), Some("11010519491231002X"));
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(secrets.cipher().decrypt(&String::from_utf8(tampered).expect("hex")), None);
        assert_eq!(Secrets::from_master(&[4u8; 32]).expect("key").cipher().decrypt(&sealed), None, "another key");
    }
}
