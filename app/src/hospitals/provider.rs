//! The provider trait and the configured provider. Callers never know which one answers.

use super::contract::*;
use super::store::HospitalStore;
use std::future::Future;
use std::sync::Arc;

/// The contract every hospital booking platform fulfils.
pub trait HospitalProvider: Send + Sync {
    fn rules(&self) -> impl Future<Output = Result<BookingRules, ProviderError>> + Send;
    fn hospitals(&self) -> impl Future<Output = Result<Vec<Organization>, ProviderError>> + Send;
    fn services(&self, hospital: &str) -> impl Future<Output = Result<Vec<HealthcareService>, ProviderError>> + Send;
    fn roles(&self, service: &str) -> impl Future<Output = Result<Vec<PractitionerRole>, ProviderError>> + Send;
    fn slots(&self, query: &SlotQuery) -> impl Future<Output = Result<Vec<Slot>, ProviderError>> + Send;
    fn book(&self, request: &BookRequest) -> impl Future<Output = Result<BookingOutcome, ProviderError>> + Send;
    /// The bookings `booked_by` made, as they stand at `at` (Unix seconds).
    fn appointments(
        &self,
        booked_by: &str,
        at: i64,
    ) -> impl Future<Output = Result<Vec<Appointment>, ProviderError>> + Send;
    fn cancel(&self, request: &CancelRequest) -> impl Future<Output = Result<Cancelled, ProviderError>> + Send;
    /// Puts a patient on a fully booked doctor's waiting list for a day (once per patient).
    fn join_waitlist(
        &self,
        request: &JoinWaitlistRequest,
    ) -> impl Future<Output = Result<WaitlistOutcome, ProviderError>> + Send;
    /// The account's entries still waiting or offered, as they stand at `at`.
    fn waitlist(
        &self,
        booked_by: &str,
        at: i64,
    ) -> impl Future<Output = Result<Vec<WaitlistEntry>, ProviderError>> + Send;
    /// Books the number held by an offer; refused by the booking rules like a booking.
    fn accept_offer(
        &self,
        action: &WaitlistAction,
    ) -> impl Future<Output = Result<BookingOutcome, ProviderError>> + Send;
    /// Leaves the list; leaving while offered declines the offer and passes the number on.
    fn leave_waitlist(
        &self,
        action: &WaitlistAction,
    ) -> impl Future<Output = Result<LeftWaitlist, ProviderError>> + Send;
    /// Ends the offers lapsed by `at` (passing their numbers on), then answers every offer not
    /// yet announced, however it was made, and marks it announced: each offer is answered by
    /// exactly one call, whoever makes it.
    fn take_new_offers(&self, at: i64) -> impl Future<Output = Result<Vec<WaitlistEntry>, ProviderError>> + Send;
    /// The no-show standing of every patient `booked_by` booked for.
    fn standing(
        &self,
        query: &StandingQuery,
    ) -> impl Future<Output = Result<Vec<PatientStanding>, ProviderError>> + Send;
}

/// The platform chosen by configuration.
#[derive(Clone)]
pub enum Provider {
    InProcess(Arc<HospitalStore>),
}

macro_rules! delegate {
    ($self:ident, $method:ident $(, $arg:ident)?) => {
        match $self {
            Provider::InProcess(p) => p.$method($($arg)?).await,
        }
    };
}

impl HospitalProvider for Provider {
    async fn rules(&self) -> Result<BookingRules, ProviderError> {
        delegate!(self, rules)
    }
    async fn hospitals(&self) -> Result<Vec<Organization>, ProviderError> {
        delegate!(self, hospitals)
    }
    async fn services(&self, hospital: &str) -> Result<Vec<HealthcareService>, ProviderError> {
        delegate!(self, services, hospital)
    }
    async fn roles(&self, service: &str) -> Result<Vec<PractitionerRole>, ProviderError> {
        delegate!(self, roles, service)
    }
    async fn slots(&self, query: &SlotQuery) -> Result<Vec<Slot>, ProviderError> {
        delegate!(self, slots, query)
    }
    async fn book(&self, request: &BookRequest) -> Result<BookingOutcome, ProviderError> {
        delegate!(self, book, request)
    }
    async fn appointments(&self, booked_by: &str, at: i64) -> Result<Vec<Appointment>, ProviderError> {
        match self {
            Provider::InProcess(p) => p.appointments(booked_by, at).await,
        }
    }
    async fn cancel(&self, request: &CancelRequest) -> Result<Cancelled, ProviderError> {
        delegate!(self, cancel, request)
    }
    async fn join_waitlist(&self, request: &JoinWaitlistRequest) -> Result<WaitlistOutcome, ProviderError> {
        delegate!(self, join_waitlist, request)
    }
    async fn waitlist(&self, booked_by: &str, at: i64) -> Result<Vec<WaitlistEntry>, ProviderError> {
        match self {
            Provider::InProcess(p) => p.waitlist(booked_by, at).await,
        }
    }
    async fn accept_offer(&self, action: &WaitlistAction) -> Result<BookingOutcome, ProviderError> {
        delegate!(self, accept_offer, action)
    }
    async fn leave_waitlist(&self, action: &WaitlistAction) -> Result<LeftWaitlist, ProviderError> {
        delegate!(self, leave_waitlist, action)
    }
    async fn standing(&self, query: &StandingQuery) -> Result<Vec<PatientStanding>, ProviderError> {
        delegate!(self, standing, query)
    }
    async fn take_new_offers(&self, at: i64) -> Result<Vec<WaitlistEntry>, ProviderError> {
        delegate!(self, take_new_offers, at)
    }
}
