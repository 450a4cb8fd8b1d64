//! Hash chains for append-only audit tables: each row stores the previous row's hash and
//! `SHA-256(prev_hash | content)`, so changing or removing a row in the middle breaks every
//! later link and a verifier finds the first broken row.

use sha2::{Digest, Sha256};

/// The `prev_hash` of a table's first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of a row whose canonical `content` follows the row hashed `prev_hash`.
pub fn link(prev_hash: &str, content: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(prev_hash.as_bytes());
    hash.update([0x1e]);
    hash.update(content.as_bytes());
    hex::encode(hash.finalize())
}

/// Columns joined with the unit separator (never typed by anyone), the canonical row content.
pub fn content(columns: &[&str]) -> String {
    columns.join("\u{1f}")
}
