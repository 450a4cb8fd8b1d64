//! The life of an application as one state machine (domain reference §2d, 行政许可法 art. 32),
//! shared by the citizen's pages, the window console and the server. Pages offer only the
//! moves `Action::allowed` lists; the server checks the same table again and then moves the
//! row only if it is still in the status the decision was made on, so a decision is applied
//! whole or not at all.

use super::model::Status;
use serde::{Deserialize, Serialize};

/// Who moves an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Citizen,
    /// A window clerk or a supervisor working on their scope's cases.
    Staff,
    /// The portal itself (time limits).
    System,
}

impl Actor {
    /// As the timeline stores it (a role, never a name).
    pub fn code(self) -> &'static str {
        match self {
            Actor::Citizen => "citizen",
            Actor::Staff => "staff",
            Actor::System => "system",
        }
    }
}

/// Every move an application can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A draft becomes an application.
    Submit,
    /// 预审退回 answered: the citizen changed the application and sends it again.
    Resubmit,
    /// 补正 answered: the listed materials are sent; the clock runs again.
    AnswerSupplement,
    /// The applicant withdraws before acceptance.
    Withdraw,
    /// 预审通过: the online materials are in order; acceptance follows.
    PassPrereview,
    /// 预审退回: handed back to the applicant with the reason.
    Return,
    /// 补正告知: every missing or faulty material with its reason, in one notice.
    RequestSupplement,
    /// 受理.
    Accept,
    /// 不予受理: with the reason and the applicant's appeal rights.
    NotAccept,
    /// 挂起 (特别程序 and the like): the clock stops.
    Suspend,
    /// The suspension ends; the clock runs again.
    Resume,
    /// 准予许可.
    Approve,
    /// 不予许可: with the reason.
    Deny,
    /// 办结: the result is issued.
    Complete,
    /// No 补正 notice within the review limit means accepted (行政许可法 art. 32).
    DeemAccepted,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Submit,
        Action::Resubmit,
        Action::AnswerSupplement,
        Action::Withdraw,
        Action::PassPrereview,
        Action::Return,
        Action::RequestSupplement,
        Action::Accept,
        Action::NotAccept,
        Action::Suspend,
        Action::Resume,
        Action::Approve,
        Action::Deny,
        Action::Complete,
        Action::DeemAccepted,
    ];

    /// The decisions a clerk chooses from, in the order the console shows them.
    pub const DECISIONS: [Action; 10] = [
        Action::PassPrereview,
        Action::Accept,
        Action::RequestSupplement,
        Action::Return,
        Action::NotAccept,
        Action::Suspend,
        Action::Resume,
        Action::Approve,
        Action::Deny,
        Action::Complete,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Resubmit => "resubmit",
            Action::AnswerSupplement => "answer_supplement",
            Action::Withdraw => "withdraw",
            Action::PassPrereview => "pass_prereview",
            Action::Return => "return",
            Action::RequestSupplement => "request_supplement",
            Action::Accept => "accept",
            Action::NotAccept => "not_accept",
            Action::Suspend => "suspend",
            Action::Resume => "resume",
            Action::Approve => "approve",
            Action::Deny => "deny",
            Action::Complete => "complete",
            Action::DeemAccepted => "deem_accepted",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Who may take this action.
    pub fn actor(self) -> Actor {
        match self {
            Action::Submit | Action::Resubmit | Action::AnswerSupplement | Action::Withdraw => Actor::Citizen,
            Action::DeemAccepted => Actor::System,
            _ => Actor::Staff,
        }
    }

    /// The status this action leads to from `from`, or `None` when it is not allowed there.
    pub fn next(self, from: Status) -> Option<Status> {
        use Status as S;
        let to = match (self, from) {
            (Action::Submit, S::Draft) => S::Submitted,
            (Action::Resubmit, S::Returned) => S::Submitted,
            (Action::AnswerSupplement, S::SupplementRequested) => S::Submitted,
            (Action::Withdraw, S::Submitted | S::Returned | S::SupplementRequested) => S::Withdrawn,
            (Action::PassPrereview, S::Submitted) => S::Submitted,
            (Action::Return, S::Submitted) => S::Returned,
            (Action::RequestSupplement, S::Submitted) => S::SupplementRequested,
            (Action::Accept | Action::DeemAccepted, S::Submitted) => S::Accepted,
            (Action::NotAccept, S::Submitted) => S::NotAccepted,
            (Action::Suspend, S::Accepted) => S::Suspended,
            (Action::Resume, S::Suspended) => S::Accepted,
            (Action::Approve, S::Accepted) => S::Approved,
            (Action::Deny, S::Accepted) => S::Denied,
            (Action::Complete, S::Approved | S::Denied) => S::Completed,
            _ => return None,
        };
        Some(to)
    }

    /// Whether `actor` may take this action on an application in `from`.
    pub fn allowed_for(self, actor: Actor, from: Status) -> bool {
        self.actor() == actor && self.next(from).is_some()
    }

    /// Every status this action may start from (the server's guard in SQL).
    pub fn from_statuses(self) -> Vec<&'static str> {
        Status::ALL.into_iter().filter(|s| self.next(*s).is_some()).map(Status::code).collect()
    }

    /// The decisions open to staff on an application in `status`, in the console's order.
    pub fn staff_decisions(status: Status) -> Vec<Action> {
        Action::DECISIONS.into_iter().filter(|a| a.allowed_for(Actor::Staff, status)).collect()
    }

    /// A written reason is required (and shown to the applicant).
    pub fn needs_reason(self) -> bool {
        matches!(self, Action::Return | Action::NotAccept | Action::Suspend | Action::Deny)
    }
}

/// The deadline clock: stopped while the applicant owes something or the case is suspended,
/// with the time spent stopped added up (so the deadline moves by exactly that much).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Clock {
    pub stopped_at: Option<i64>,
    pub paused_secs: i64,
}

impl Clock {
    /// The clock after a move into `to` at `now`.
    pub fn after(self, to: Status, now: i64) -> Clock {
        match (to.clock_stopped(), self.stopped_at) {
            (true, None) => Clock { stopped_at: Some(now), ..self },
            (false, Some(since)) => Clock { stopped_at: None, paused_secs: self.paused_secs + (now - since).max(0) },
            _ => self,
        }
    }
}

/// An application's state as far as the machine cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseState {
    pub status: Status,
    pub clock: Clock,
}

/// Why a move was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This actor never takes this action.
    NotYours,
    /// Not from this status (someone else decided first, or the case moved on).
    NotNow,
}

impl CaseState {
    /// The state after `actor` takes `action` at `now`; a refused move changes nothing.
    pub fn apply(self, actor: Actor, action: Action, now: i64) -> Result<CaseState, Refusal> {
        if action.actor() != actor {
            return Err(Refusal::NotYours);
        }
        let to = action.next(self.status).ok_or(Refusal::NotNow)?;
        Ok(CaseState { status: to, clock: self.clock.after(to, now) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn closed_applications_have_no_moves_left() {
        for status in Status::ALL.into_iter().filter(|s| s.is_closed()) {
            for action in Action::ALL {
                assert_eq!(action.next(status), None, "{action:?} from {status:?}");
            }
        }
    }

    #[test]
    fn withdrawal_is_possible_exactly_before_acceptance() {
        for status in Status::ALL {
            assert_eq!(Action::Withdraw.next(status).is_some(), status.can_withdraw(), "{status:?}");
        }
    }

    #[test]
    fn a_new_application_offers_the_clerk_the_pre_review_decisions() {
        assert_eq!(
            Action::staff_decisions(Status::Submitted),
            [Action::PassPrereview, Action::Accept, Action::RequestSupplement, Action::Return, Action::NotAccept]
        );
        assert_eq!(Action::staff_decisions(Status::Accepted), [Action::Suspend, Action::Approve, Action::Deny]);
        assert_eq!(Action::staff_decisions(Status::SupplementRequested), []);
    }

    #[test]
    fn the_clock_counts_the_time_spent_waiting_for_the_applicant() {
        let start = CaseState { status: Status::Submitted, clock: Clock::default() };
        let asked = start.apply(Actor::Staff, Action::RequestSupplement, 100).expect("asked");
        assert_eq!(asked.clock, Clock { stopped_at: Some(100), paused_secs: 0 });
        let answered = asked.apply(Actor::Citizen, Action::AnswerSupplement, 400).expect("answered");
        assert_eq!(answered.clock, Clock { stopped_at: None, paused_secs: 300 });
        assert_eq!(answered.apply(Actor::Citizen, Action::Accept, 500), Err(Refusal::NotYours));
        assert_eq!(answered.apply(Actor::Staff, Action::Approve, 500), Err(Refusal::NotNow));
    }

    fn any_actor() -> impl Strategy<Value = Actor> {
        prop_oneof![Just(Actor::Citizen), Just(Actor::Staff), Just(Actor::System)]
    }

    fn any_action() -> impl Strategy<Value = Action> {
        (0..Action::ALL.len()).prop_map(|i| Action::ALL[i])
    }

    proptest! {
        /// Random moves by random actors: every accepted move is one of the table's, refused
        /// moves change nothing, closed cases stay closed, and the clock is stopped exactly
        /// while the status says so, its paused time never shrinking.
        #[test]
        fn random_moves_never_reach_an_illegal_state(
            moves in proptest::collection::vec((any_actor(), any_action(), 0i64..10_000), 1..60)
        ) {
            let mut state = CaseState { status: Status::Draft, clock: Clock::default() };
            let mut now = 0;
            for (actor, action, wait) in moves {
                now += wait;
                let before = state;
                match state.apply(actor, action, now) {
                    Ok(after) => {
                        prop_assert_eq!(action.actor(), actor);
                        prop_assert_eq!(Some(after.status), action.next(before.status));
                        prop_assert!(!before.status.is_closed());
                        prop_assert!(after.clock.paused_secs >= before.clock.paused_secs);
                        if !before.status.clock_stopped() {
                            prop_assert_eq!(after.clock.paused_secs, before.clock.paused_secs);
                        }
                        state = after;
                    }
                    Err(_) => prop_assert_eq!(state, before),
                }
                prop_assert_eq!(state.clock.stopped_at.is_some(), state.status.clock_stopped());
                prop_assert!(state.status != Status::Draft || state.clock == Clock::default());
            }
        }
    }
}
