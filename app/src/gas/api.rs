//! The pages' data: the citizen's bound gas accounts and one account's bills, tier progress and
//! monthly use. Every function checks the signed-in citizen and, for one account, their binding
//! of it (in SQL) before the gas company is asked.

use super::contract::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// One bound account as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub account_no: String,
    pub address: String,
    pub class: GasClass,
    /// Credit (positive) or amount owed (negative), in fen.
    pub balance_fen: i64,
}

/// `/gas`: the citizen's accounts, or why there are none to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GasOverview {
    pub real_name_verified: bool,
    pub accounts: Vec<AccountSummary>,
    /// Bound accounts the company did not answer for just now.
    pub unavailable: Vec<String>,
}

/// One step of the household's ladder this tier year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierBand {
    pub tier: u8,
    pub from: i64,
    pub up_to: Option<i64>,
    pub unit_price: i64,
}

/// Use of one calendar month this year and the year before, in litres.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthComparison {
    pub month: u8,
    pub this_year: Option<i64>,
    pub last_year: Option<i64>,
}

/// Everything the account page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub statement: AccountStatement,
    pub company: crate::site::Bilingual,
    pub demo_prices: bool,
    pub today: String,
    pub tiers: Vec<TierBand>,
    /// 1-based tier the next litre is priced in.
    pub tier: u8,
    pub to_next: Option<i64>,
    /// The day the household will likely reach the next tier at its recent rate of use, when
    /// that is within this tier year.
    pub next_tier_on: Option<String>,
    pub tier_year_ends: String,
    /// (`YYYY-MM` of the period's start, litres), oldest first.
    pub months: Vec<(String, i64)>,
    pub year: i32,
    pub comparison: Vec<MonthComparison>,
}

impl AccountView {
    /// What the household owes now (the unpaid bills), in fen.
    pub fn owed_fen(&self) -> i64 {
        self.statement.bills.iter().filter(|b| b.paid_on.is_none()).map(|b| b.amount_fen).sum()
    }
}

#[server(name = MyGasAccounts, prefix = "/api", endpoint = "gas/accounts", input = GetUrl)]
pub async fn my_gas_accounts() -> Result<GasOverview, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    super::server::overview(&ctx, &citizen, &crate::platform::request_id()).await.map_err(crate::platform::fail)
}

#[server(name = GasAccountDetail, prefix = "/api", endpoint = "gas/account", input = GetUrl)]
pub async fn gas_account(#[server(default)] account_no: String) -> Result<AccountView, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    super::server::account_view(&ctx, &citizen, &account_no, &crate::platform::request_id())
        .await
        .map_err(crate::platform::fail)
}
