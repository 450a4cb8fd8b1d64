//! The registers' dialect of the exchange protocol ([`crate::platform::exchange::wire`]):
//! `POST /registers/v1/{operation}` with the `X-Register-*` headers departments already speak.

use crate::platform::exchange::wire::Protocol;
pub use crate::platform::exchange::wire::{
    is_valid_nonce, new_nonce, SigningKey, MAX_CLOCK_SKEW_SECS, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES, MIN_SECRET_BYTES,
};

pub const PATH_PREFIX: &str = "/registers/v1/";
pub const HEADER_KEY: &str = "x-register-key";
pub const HEADER_TIMESTAMP: &str = "x-register-timestamp";
pub const HEADER_NONCE: &str = "x-register-nonce";
pub const HEADER_SIGNATURE: &str = "x-register-signature";

pub static PROTOCOL: Protocol = Protocol {
    partner: "register",
    path_prefix: PATH_PREFIX,
    header_key: HEADER_KEY,
    header_timestamp: HEADER_TIMESTAMP,
    header_nonce: HEADER_NONCE,
    header_signature: HEADER_SIGNATURE,
};

/// The operations of the contract, as they appear in the path.
pub const OPERATIONS: [&str; 5] = ["person", "verify-identity", "entity", "indicators", "places"];
