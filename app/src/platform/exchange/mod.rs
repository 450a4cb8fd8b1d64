//! The signed-HTTP exchange with other organisations' systems (the base registers, the gas
//! company, …): [`wire`] (keys, signatures, nonces, each partner's [`wire::Protocol`]),
//! [`client`] (the portal's calling end: deadline, retries, circuit breaker, answers verified)
//! and [`service`] (the answering end: authentication and replay refusal in front of a partner's
//! [`service::Dispatch`]). A partner adds only its operations and the checks of its answers.

pub mod client;
pub mod service;
pub mod wire;

/// The one error every partner's contract shares (defined with the registers' contract, which
/// both builds compile; the others re-export it).
pub use crate::error::ProviderError;
