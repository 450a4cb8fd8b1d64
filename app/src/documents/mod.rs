//! The documents the window console issues with its decisions — 补正材料告知书, 受理通知书,
//! 不予受理通知书 and the licence decision (准予 / 不予行政许可决定书): PDFs made by the server at
//! the decision, in the decision's transaction, kept byte for byte; downloads for the applicant
//! (their own only) and for clerks of the case's scope (audited); and the public verification
//! page their QR code opens (`/verify/{reference}`, a signed reference).

mod api;
mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod text;

use serde::{Deserialize, Serialize};

pub use api::{case_documents, my_documents, verify_document, DocumentEntry, Verification};
pub use pages::{CaseDocuments, MyDocuments, VerifyPage};

/// What a document is; a later document of the same kind replaces the earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentKind {
    /// 补正材料告知书.
    Supplement,
    /// 受理通知书.
    Acceptance,
    /// 不予受理通知书.
    NonAcceptance,
    /// 准予行政许可决定书.
    Approval,
    /// 不予行政许可决定书.
    Denial,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::Supplement,
        DocumentKind::Acceptance,
        DocumentKind::NonAcceptance,
        DocumentKind::Approval,
        DocumentKind::Denial,
    ];

    /// As stored.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Supplement => "supplement",
            DocumentKind::Acceptance => "acceptance",
            DocumentKind::NonAcceptance => "non_acceptance",
            DocumentKind::Approval => "approval",
            DocumentKind::Denial => "denial",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The document a staff decision issues, if any.
    pub fn issued_by(action: crate::applications::lifecycle::Action) -> Option<DocumentKind> {
        use crate::applications::lifecycle::Action;
        match action {
            Action::RequestSupplement => Some(DocumentKind::Supplement),
            Action::Accept => Some(DocumentKind::Acceptance),
            Action::NotAccept => Some(DocumentKind::NonAcceptance),
            Action::Approve => Some(DocumentKind::Approval),
            Action::Deny => Some(DocumentKind::Denial),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DocumentKind;

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(DocumentKind::from_code("licence"), None);
    }
}

crate::page_routes!(DocumentRoutes {
    "/verify/:reference" => VerifyPage,
});
