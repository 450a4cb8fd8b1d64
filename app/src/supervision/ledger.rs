//! The 差评 ledger's state machine (both builds): an entry is verified (待核实), put right
//! (整改中), answered to the applicant (已反馈) and reviewed (已复核); the department may appeal a
//! rating it finds unfounded (申诉中), which ends reviewed when upheld or back in 整改中 when not.
//! A review that finds the answer wanting sends the entry back to 整改中.

use serde::{Deserialize, Serialize};

/// Ratings at or below this level (of 5) open an entry.
pub const POOR_RATING: i64 = 2;

/// Working days an entry has by default, from the day of the rating.
pub const DEFAULT_WORKING_DAYS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LedgerState {
    ToVerify,
    Rectifying,
    FedBack,
    Reviewed,
    Appealed,
}

impl LedgerState {
    pub const ALL: [LedgerState; 5] = [
        LedgerState::ToVerify,
        LedgerState::Rectifying,
        LedgerState::FedBack,
        LedgerState::Reviewed,
        LedgerState::Appealed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LedgerState::ToVerify => "to_verify",
            LedgerState::Rectifying => "rectifying",
            LedgerState::FedBack => "fed_back",
            LedgerState::Reviewed => "reviewed",
            LedgerState::Appealed => "appealed",
        }
    }

    pub fn from_code(code: &str) -> Option<LedgerState> {
        LedgerState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the entry is finished (no deadline any more).
    pub fn is_closed(self) -> bool {
        self == LedgerState::Reviewed
    }

    /// The states an entry may move to from this one.
    pub fn next(self) -> &'static [LedgerState] {
        use LedgerState as S;
        match self {
            S::ToVerify => &[S::Rectifying, S::Appealed],
            S::Rectifying => &[S::FedBack],
            S::FedBack => &[S::Reviewed, S::Rectifying],
            S::Appealed => &[S::Reviewed, S::Rectifying],
            S::Reviewed => &[],
        }
    }

    pub fn may_move_to(self, to: LedgerState) -> bool {
        self.next().contains(&to)
    }
}

#[cfg(test)]
mod tests {
    use super::LedgerState as S;

    #[test]
    fn entries_go_from_verification_through_rectification_and_feedback_to_review() {
        assert!(S::ToVerify.may_move_to(S::Rectifying));
        assert!(S::Rectifying.may_move_to(S::FedBack));
        assert!(S::FedBack.may_move_to(S::Reviewed));
        assert!(S::FedBack.may_move_to(S::Rectifying), "a review may send it back");
        assert!(!S::ToVerify.may_move_to(S::Reviewed), "nothing is reviewed before it is answered");
        assert!(!S::ToVerify.may_move_to(S::FedBack));
        assert!(!S::Rectifying.may_move_to(S::Reviewed));
        assert!(S::Reviewed.next().is_empty() && S::Reviewed.is_closed());
    }

    #[test]
    fn an_appeal_is_made_before_rectification_and_ends_reviewed_or_rectifying() {
        assert!(S::ToVerify.may_move_to(S::Appealed));
        assert!(!S::Rectifying.may_move_to(S::Appealed), "only before the work starts");
        assert_eq!(S::Appealed.next(), &[S::Reviewed, S::Rectifying]);
    }

    #[test]
    fn every_state_is_reachable_and_codes_round_trip() {
        for state in S::ALL {
            assert_eq!(S::from_code(state.code()), Some(state));
            let reachable = state == S::ToVerify || S::ALL.iter().any(|s| s.may_move_to(state));
            assert!(reachable, "{state:?}");
            assert!(!state.may_move_to(state), "{state:?} does not move to itself");
        }
        assert_eq!(S::from_code("closed"), None);
    }
}
