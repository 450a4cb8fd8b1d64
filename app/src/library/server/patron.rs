//! The citizen's side of the library: binding a library card (card number and PIN, checked by
//! the library), the card's loans and holds, reserving and renewing. Every call to the library
//! about a person goes through `SharedData` (grant, consent, audit row); which citizen bound which
//! card is the portal's own table ([`cards`](super::cards)), and every action takes the card from
//! it, never from the request.

use super::super::contract::*;
use super::super::model::MyLibrary;
use super::super::provider::LibraryProvider;
use super::cards;
use crate::accounts::server::auth::CitizenPrincipal;
use crate::accounts::server::own_resident_id;
use crate::error::AppError;
use crate::platform::throttle::PerKey;
use crate::platform::AppContext;
use crate::sharing::server::{Caller, ExternalCall};
use std::sync::LazyLock;

/// The portal feature, as the catalogue's grant on the library's reader resource names it.
pub const CONSUMER: &str = "library.card";
const FIELDS: [&str; 1] = ["library_loans"];
/// The version of the binding notice the citizen agrees to by binding.
pub const NOTICE_VERSION: &str = "library-card-1";

/// PIN attempts in an hour per citizen and per card: enough for typing mistakes, far too few to
/// guess a PIN, from one account or spread over many.
pub const BIND_ATTEMPTS_PER_CITIZEN: u32 = 5;
pub const BIND_ATTEMPTS_PER_CARD: u32 = 5;
static BIND_BY_CITIZEN: LazyLock<PerKey<i64>> = LazyLock::new(|| PerKey::new(BIND_ATTEMPTS_PER_CITIZEN, 3600));
static BIND_BY_CARD: LazyLock<PerKey<String>> = LazyLock::new(|| PerKey::new(BIND_ATTEMPTS_PER_CARD, 3600));

/// Counts a PIN attempt; false once the citizen or the card is over the limit.
pub fn bind_allowed(citizen: &CitizenPrincipal, card_no: &str, now: i64) -> bool {
    // Both are counted on every attempt, so neither limit can be dodged through the other.
    let by_citizen = BIND_BY_CITIZEN.allows(citizen.id(), now);
    let by_card = BIND_BY_CARD.allows(card_no.to_owned(), now);
    by_citizen && by_card
}

/// Card numbers as the form accepts them: digits only (spaces typed between groups dropped).
pub fn normalise_card(card_no: &str) -> Option<String> {
    let digits: String = card_no.chars().filter(|c| !c.is_whitespace()).collect();
    ((6..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn provider(ctx: &AppContext) -> Result<&super::super::Provider, AppError> {
    ctx.library.provider().ok_or(AppError::Unavailable)
}

async fn resource(ctx: &AppContext) -> Result<String, AppError> {
    crate::sharing::server::db::resource_granted_to(&ctx.db, CONSUMER).await?.ok_or(AppError::Unavailable)
}

fn caller(citizen: &CitizenPrincipal, request_id: &str) -> Caller {
    Caller { consumer: CONSUMER, actor: format!("citizen:{}", citizen.id()), request_id: request_id.to_owned() }
}

/// Binds the card if the library says the PIN is its PIN. The PIN goes to the library once
/// and is kept nowhere.
pub async fn bind(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    card_no: &str,
    pin: &str,
    request_id: &str,
) -> Result<bool, AppError> {
    let id = own_resident_id(ctx, citizen).await?;
    let library = provider(ctx)?;
    let resource = resource(ctx).await?;
    let fields: Vec<String> = FIELDS.iter().map(|f| (*f).to_owned()).collect();
    let consent = ctx.shared.record_resource_consent(&id, &resource, CONSUMER, &fields, NOTICE_VERSION).await?;
    let check = PatronCheck { card_no: card_no.to_owned(), pin: pin.to_owned() };
    let what =
        ExternalCall { resource_code: &resource, operation: "verify_patron", fields: &FIELDS, consent: Some(consent) };
    let matches =
        ctx.shared.about_person(&caller(citizen, request_id), what, &id, library.verify_patron(&check)).await?;
    if matches {
        cards::bind(&ctx.db, citizen.id(), card_no, ctx.clock.now()).await?;
    }
    Ok(matches)
}

/// Removes the citizen's card; `NotFound` when they have none.
pub async fn unbind(ctx: &AppContext, citizen: &CitizenPrincipal) -> Result<(), AppError> {
    if cards::unbind(&ctx.db, citizen.id()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The citizen's bound card number (read by the citizen's id in SQL); `NotFound` without one.
pub async fn own_card(ctx: &AppContext, citizen: &CitizenPrincipal) -> Result<String, AppError> {
    cards::card_of(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)
}

/// One library call about the citizen's own card, under the consent given when binding it.
async fn about_own_card<T>(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    request_id: &str,
    operation: &'static str,
    call: impl FnOnce(
        &super::super::Provider,
        String,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, ProviderError>> + Send + '_>>,
) -> Result<T, AppError> {
    let card_no = own_card(ctx, citizen).await?;
    let id = own_resident_id(ctx, citizen).await?;
    let library = provider(ctx)?;
    let resource = resource(ctx).await?;
    let consent = ctx.shared.latest_consent(&id, &resource, CONSUMER).await?.ok_or(AppError::NotFound)?;
    let what = ExternalCall { resource_code: &resource, operation, fields: &FIELDS, consent: Some(consent) };
    Ok(ctx.shared.about_person(&caller(citizen, request_id), what, &id, call(library, card_no)).await?)
}

/// `/library/my`: the bound card's loans and holds.
pub async fn my_library(ctx: &AppContext, citizen: &CitizenPrincipal, request_id: &str) -> Result<MyLibrary, AppError> {
    if !citizen.real_name_verified {
        return Ok(MyLibrary { real_name_verified: false, account: None, branches: Vec::new() });
    }
    if cards::card_of(&ctx.db, citizen.id()).await?.is_none() {
        return Ok(MyLibrary { real_name_verified: true, account: None, branches: Vec::new() });
    }
    let account =
        about_own_card(ctx, citizen, request_id, "patron", |p, card| Box::pin(async move { p.patron(&card).await }))
            .await?;
    let branches = provider(ctx)?.branches().await.unwrap_or_default();
    Ok(MyLibrary { real_name_verified: true, account: Some(account), branches })
}

/// Reserves a copy on the shelf for the citizen's card, to be picked up at `pickup_branch`.
pub async fn reserve(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    barcode: &str,
    pickup_branch: &str,
    request_id: &str,
) -> Result<Result<Hold, ReserveRefusal>, AppError> {
    let (barcode, pickup_branch) = (barcode.to_owned(), pickup_branch.to_owned());
    about_own_card(ctx, citizen, request_id, "reserve", move |p, card_no| {
        Box::pin(async move { p.reserve(&ReserveRequest { card_no, barcode, pickup_branch }).await })
    })
    .await
}

/// Renews one loan of the citizen's card; the library's refusal is returned as it is.
pub async fn renew(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    barcode: &str,
    request_id: &str,
) -> Result<Result<Renewed, RenewRefusal>, AppError> {
    let barcode = barcode.to_owned();
    about_own_card(ctx, citizen, request_id, "renew", move |p, card_no| {
        Box::pin(async move { p.renew(&RenewRequest { card_no, barcode }).await })
    })
    .await
}
