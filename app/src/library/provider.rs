//! The library provider trait and the configured provider: in-process (the demo library's own
//! database) or HTTP (the library's interface). Callers never know which one answers.

use super::contract::*;
use super::http_client::HttpProvider;
use super::store::LibraryStore;
use std::future::Future;
use std::sync::Arc;

/// The contract every library provider fulfils.
pub trait LibraryProvider: Send + Sync {
    fn branches(&self) -> impl Future<Output = Result<Vec<Branch>, ProviderError>> + Send;
    /// Records changed after a cursor, for building and updating the portal's search index.
    fn changes(&self, req: &ChangesRequest) -> impl Future<Output = Result<ChangesPage, ProviderError>> + Send;
    fn record(&self, id: &str) -> impl Future<Output = Result<BibRecord, ProviderError>> + Send;
    /// The copies of some records, with their live status.
    fn holdings(&self, req: &HoldingsRequest) -> impl Future<Output = Result<Vec<Item>, ProviderError>> + Send;
    /// Yes or no only: whether the card exists and has this PIN.
    fn verify_patron(&self, check: &PatronCheck) -> impl Future<Output = Result<bool, ProviderError>> + Send;
    /// A reader's loans and holds, with the lending rules.
    fn patron(&self, card_no: &str) -> impl Future<Output = Result<PatronAccount, ProviderError>> + Send;
    fn reserve(
        &self,
        req: &ReserveRequest,
    ) -> impl Future<Output = Result<Result<Hold, ReserveRefusal>, ProviderError>> + Send;
    fn renew(
        &self,
        req: &RenewRequest,
    ) -> impl Future<Output = Result<Result<Renewed, RenewRefusal>, ProviderError>> + Send;
}

/// The provider chosen by configuration.
#[derive(Clone)]
pub enum Provider {
    InProcess(Arc<LibraryStore>),
    Http(Arc<HttpProvider>),
}

macro_rules! delegate {
    ($self:ident, $method:ident $(, $arg:ident)?) => {
        match $self {
            Provider::InProcess(p) => p.$method($($arg)?).await,
            Provider::Http(p) => p.$method($($arg)?).await,
        }
    };
}

impl LibraryProvider for Provider {
    async fn branches(&self) -> Result<Vec<Branch>, ProviderError> {
        delegate!(self, branches)
    }
    async fn changes(&self, req: &ChangesRequest) -> Result<ChangesPage, ProviderError> {
        delegate!(self, changes, req)
    }
    async fn record(&self, id: &str) -> Result<BibRecord, ProviderError> {
        delegate!(self, record, id)
    }
    async fn holdings(&self, req: &HoldingsRequest) -> Result<Vec<Item>, ProviderError> {
        delegate!(self, holdings, req)
    }
    async fn verify_patron(&self, check: &PatronCheck) -> Result<bool, ProviderError> {
        delegate!(self, verify_patron, check)
    }
    async fn patron(&self, card_no: &str) -> Result<PatronAccount, ProviderError> {
        delegate!(self, patron, card_no)
    }
    async fn reserve(&self, req: &ReserveRequest) -> Result<Result<Hold, ReserveRefusal>, ProviderError> {
        delegate!(self, reserve, req)
    }
    async fn renew(&self, req: &RenewRequest) -> Result<Result<Renewed, RenewRefusal>, ProviderError> {
        delegate!(self, renew, req)
    }
}

/// Request checks every provider applies, so both refuse the same malformed requests.
pub(crate) mod checks {
    use super::*;

    pub fn changes(req: &ChangesRequest) -> Result<(), ProviderError> {
        if req.limit == 0 || req.limit > MAX_CHANGES {
            return Err(ProviderError::BadRequest(format!("limit must be 1..={MAX_CHANGES}")));
        }
        Ok(())
    }

    pub fn record_id(id: &str) -> Result<(), ProviderError> {
        let ok = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if ok {
            Ok(())
        } else {
            Err(ProviderError::BadRequest("invalid record id".into()))
        }
    }

    /// Library card numbers: digits only, as printed on the card.
    pub fn card_no(card_no: &str) -> Result<(), ProviderError> {
        if (6..=20).contains(&card_no.len()) && card_no.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err(ProviderError::BadRequest("invalid card number".into()))
        }
    }

    /// Barcodes and branch codes: short, ASCII letters, digits and `-`.
    pub fn code(what: &str, code: &str) -> Result<(), ProviderError> {
        let ok = !code.is_empty() && code.len() <= 40 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok {
            Ok(())
        } else {
            Err(ProviderError::BadRequest(format!("invalid {what}")))
        }
    }

    /// A PIN is checked only if it could be one (a longer text is not hashed at all).
    pub fn patron(check: &PatronCheck) -> Result<(), ProviderError> {
        if check.pin.len() > 32 {
            return Err(ProviderError::BadRequest("invalid PIN".into()));
        }
        card_no(&check.card_no)
    }

    pub fn reserve(req: &ReserveRequest) -> Result<(), ProviderError> {
        card_no(&req.card_no)?;
        code("barcode", &req.barcode)?;
        code("branch", &req.pickup_branch)
    }

    pub fn renew(req: &RenewRequest) -> Result<(), ProviderError> {
        card_no(&req.card_no)?;
        code("barcode", &req.barcode)
    }

    pub fn holdings(req: &HoldingsRequest) -> Result<(), ProviderError> {
        if req.record_ids.len() > MAX_HOLDINGS_RECORDS {
            return Err(ProviderError::BadRequest(format!("at most {MAX_HOLDINGS_RECORDS} records")));
        }
        req.record_ids.iter().try_for_each(|id| record_id(id))
    }
}
