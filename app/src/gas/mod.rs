//! Household gas (燃气): the gas company's tariffs and bill arithmetic.

#[cfg(feature = "ssr")]
pub mod tariff;
