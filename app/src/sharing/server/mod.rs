//! The gateway between portal features and the register providers. Every call:
//! 1. finds the catalogue resource the register serves and the consumer's grant for it;
//! 2. refuses fields outside the grant, and consent-based calls without a matching consent;
//! 3. calls the provider under a deadline;
//! 4. keeps only granted fields of the answer;
//! 5. writes one audit row, whatever happened; if that write fails the data is not released.

pub mod audit;
pub mod db;

use crate::identifiers::{CreditCode, ResidentId};
use crate::platform::secrets::SubjectKey;
use crate::platform::time::now_unix;
use crate::platform::Db;
use crate::registers::contract::*;
use crate::registers::{Provider, RegisterProvider};
use crate::sharing::model::{Basis, Grant, SharingType};
use audit::AuditEntry;
use std::future::Future;
use std::time::{Duration, Instant};

/// Who is calling, on whose behalf, in which request.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The portal feature, as named in the catalogue's grants (e.g. `accounts.real_name`).
    pub consumer: &'static str,
    /// The person acting (`citizen:12`, `staff:3`) or `public` for anonymous pages.
    pub actor: String,
    pub request_id: String,
}

impl Caller {
    pub fn public(consumer: &'static str) -> Caller {
        Caller { consumer, actor: "public".into(), request_id: String::new() }
    }

    /// A caller inside a request, tagged with the request id the access log also carries, so
    /// an audit row can be matched to the request that caused it.
    pub fn for_request(consumer: &'static str, actor: &str) -> Caller {
        Caller { consumer, actor: actor.to_owned(), request_id: crate::platform::request_id() }
    }
}

/// Why a call was refused before it reached the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The catalogue has no shared resource for this register.
    NoResource,
    /// The consumer holds no grant for the resource.
    NoGrant,
    /// A requested field is outside the grant.
    FieldNotGranted,
    /// The grant needs consent and none (or a withdrawn or narrower one) was given.
    NoConsent,
}

impl Refusal {
    fn outcome(self) -> &'static str {
        match self {
            Refusal::NoResource => "refused_no_resource",
            Refusal::NoGrant => "refused_no_grant",
            Refusal::FieldNotGranted => "refused_field",
            Refusal::NoConsent => "refused_consent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("no such record")]
    NotFound,
    /// The provider did not answer usefully in time: the user should type the data by hand.
    #[error("the data provider is unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
}

impl From<AccessError> for crate::error::AppError {
    fn from(err: AccessError) -> Self {
        use crate::error::AppError;
        match err {
            AccessError::Refused(_) => AppError::Forbidden,
            AccessError::NotFound => AppError::NotFound,
            AccessError::Unavailable => AppError::Unavailable,
            AccessError::Internal => AppError::internal(&"shared-data gateway failure"),
        }
    }
}

/// The subject of a call, as audited.
struct Subject {
    kind: &'static str,
    reference: String,
    display: String,
}

impl Subject {
    fn none() -> Subject {
        Subject { kind: "none", reference: String::new(), display: String::new() }
    }
}

/// Where the data of a call comes from: a base register, or another organisation's system
/// named by its catalogue resource (the hospitals' booking platform).
#[derive(Clone, Copy)]
enum Source<'a> {
    Register(Register),
    Resource(&'a str),
}

/// A call to a catalogued system that is not a base register: which resource, which
/// operation, the data items it exchanges and the consent it relies on.
#[derive(Debug, Clone, Copy)]
pub struct ExternalCall<'a> {
    pub resource_code: &'a str,
    pub operation: &'static str,
    pub fields: &'a [&'a str],
    pub consent: Option<i64>,
}

/// One call as the gateway prepares it.
struct Call<'a> {
    caller: &'a Caller,
    register: Source<'a>,
    operation: &'static str,
    subject: Subject,
    fields: Vec<String>,
    consent: Option<i64>,
}

pub struct SharedData {
    db: Db,
    provider: Provider,
    subject_key: SubjectKey,
    /// An upper bound on any provider call, whatever the provider's own settings.
    call_timeout: Duration,
}

impl SharedData {
    pub fn new(db: Db, provider: Provider, subject_key: SubjectKey, call_timeout: Duration) -> SharedData {
        SharedData { db, provider, subject_key, call_timeout }
    }

    pub fn subject_key(&self) -> &SubjectKey {
        &self.subject_key
    }

    /// A person's data from the population register.
    pub async fn person(
        &self,
        caller: &Caller,
        id: &ResidentId,
        fields: &[PersonField],
        consent: Option<i64>,
    ) -> Result<PersonRecord, AccessError> {
        let call = Call {
            caller,
            register: Source::Register(Register::Population),
            operation: "person",
            subject: Subject { kind: "person", reference: self.subject_key.person(id), display: id.masked() },
            fields: fields.iter().map(|f| f.key().to_owned()).collect(),
            consent,
        };
        let request = PersonRequest { id_number: id.as_str().to_owned(), fields: fields.to_vec() };
        self.run(call, self.provider.person(&request), |record: PersonRecord, granted| {
            let allowed: Vec<PersonField> =
                fields.iter().copied().filter(|f| granted.iter().any(|g| g == f.key())).collect();
            let record = record.keep_only(&allowed);
            let returned = record.present_fields().iter().map(|f| f.key().to_owned()).collect();
            (record, returned)
        })
        .await
    }

    /// Real-name check: whether `name` is the registered name for `id`. The register's name
    /// is compared by the provider and never returned.
    pub async fn verify_identity(&self, caller: &Caller, id: &ResidentId, name: &str) -> Result<bool, AccessError> {
        let call = Call {
            caller,
            register: Source::Register(Register::Population),
            operation: "verify_identity",
            subject: Subject { kind: "person", reference: self.subject_key.person(id), display: id.masked() },
            fields: vec![PersonField::Name.key().to_owned()],
            consent: None,
        };
        let request = IdentityCheckRequest { id_number: id.as_str().to_owned(), name: name.to_owned() };
        self.run(call, self.provider.verify_identity(&request), |check: IdentityCheck, _| (check.matches, Vec::new()))
            .await
    }

    /// An entity's data from the legal-entity register.
    pub async fn entity(
        &self,
        caller: &Caller,
        code: &CreditCode,
        fields: &[EntityField],
        consent: Option<i64>,
    ) -> Result<EntityRecord, AccessError> {
        let call = Call {
            caller,
            register: Source::Register(Register::LegalEntities),
            operation: "entity",
            subject: Subject {
                kind: "entity",
                reference: self.subject_key.entity(code),
                display: code.as_str().into(),
            },
            fields: fields.iter().map(|f| f.key().to_owned()).collect(),
            consent,
        };
        let request = EntityRequest { credit_code: code.as_str().to_owned(), fields: fields.to_vec() };
        self.run(call, self.provider.entity(&request), |record: EntityRecord, granted| {
            let allowed: Vec<EntityField> =
                fields.iter().copied().filter(|f| granted.iter().any(|g| g == f.key())).collect();
            let record = record.keep_only(&allowed);
            let returned = record.present_fields().iter().map(|f| f.key().to_owned()).collect();
            (record, returned)
        })
        .await
    }

    /// Macro-economic indicators (open data: no subject).
    pub async fn indicators(&self, caller: &Caller, codes: &[String]) -> Result<Vec<IndicatorSeries>, AccessError> {
        let call = Call {
            caller,
            register: Source::Register(Register::Economy),
            operation: "indicators",
            subject: Subject::none(),
            fields: vec!["indicators".into()],
            consent: None,
        };
        let request = IndicatorRequest { codes: codes.to_vec() };
        self.run(call, self.provider.indicators(&request), |series: Vec<IndicatorSeries>, _| {
            let returned = series.iter().map(|s| s.code.clone()).collect();
            (series, returned)
        })
        .await
    }

    /// Address and place search (open data: no subject).
    pub async fn places(&self, caller: &Caller, request: &PlaceRequest) -> Result<Vec<Place>, AccessError> {
        let call = Call {
            caller,
            register: Source::Register(Register::Spatial),
            operation: "places",
            subject: Subject::none(),
            fields: vec!["places".into()],
            consent: None,
        };
        self.run(call, self.provider.places(request), |places: Vec<Place>, _| {
            let returned = if places.is_empty() { Vec::new() } else { vec!["places".into()] };
            (places, returned)
        })
        .await
    }

    /// A call about a person to another organisation's system that is not a base register (the
    /// hospitals' booking platform), catalogued as `resource_code`: the same grant and consent
    /// checks, deadline and audit row as a register call. `fields` are the resource's data items
    /// the call exchanges.
    pub async fn about_person<T>(
        &self,
        caller: &Caller,
        what: ExternalCall<'_>,
        id: &ResidentId,
        provider_call: impl Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, AccessError> {
        let call = Call {
            caller,
            register: Source::Resource(what.resource_code),
            operation: what.operation,
            subject: Subject { kind: "person", reference: self.subject_key.person(id), display: id.masked() },
            fields: what.fields.iter().map(|f| (*f).to_owned()).collect(),
            consent: what.consent,
        };
        let returned: Vec<String> = call.fields.clone();
        self.run(call, provider_call, |value, _| (value, returned)).await
    }

    /// The latest unwithdrawn consent `id` gave `consumer` for `resource_code`.
    pub async fn latest_consent(
        &self,
        id: &ResidentId,
        resource_code: &str,
        consumer: &str,
    ) -> Result<Option<i64>, AccessError> {
        db::latest_consent(&self.db, &self.subject_key.person(id), resource_code, consumer).await.map_err(internal)
    }

    /// Records a person's consent for a consumer to exchange fields of a catalogued resource
    /// that is not a register; returns the consent id.
    pub async fn record_resource_consent(
        &self,
        id: &ResidentId,
        resource_code: &str,
        consumer: &str,
        fields: &[String],
        policy_version: &str,
    ) -> Result<i64, AccessError> {
        let grant = db::grant(&self.db, resource_code, consumer)
            .await
            .map_err(internal)?
            .ok_or(AccessError::Refused(Refusal::NoGrant))?;
        if !fields.iter().all(|f| grant.fields.contains(f)) {
            return Err(AccessError::Refused(Refusal::FieldNotGranted));
        }
        db::record_consent(
            &self.db,
            &db::NewConsent {
                subject_ref: &self.subject_key.person(id),
                resource_code,
                consumer,
                fields,
                purpose: &grant.purpose.zh,
                policy_version,
                given_at: now_unix(),
            },
        )
        .await
        .map_err(internal)
    }

    /// Checks the grant, runs the provider call, filters the answer and audits the outcome.
    async fn run<T, U>(
        &self,
        call: Call<'_>,
        provider_call: impl Future<Output = Result<T, ProviderError>>,
        filter: impl FnOnce(T, &[String]) -> (U, Vec<String>),
    ) -> Result<U, AccessError> {
        let started = Instant::now();
        let mut entry = AuditEntry {
            at: now_unix(),
            consumer: call.caller.consumer.to_owned(),
            purpose: String::new(),
            basis: String::new(),
            basis_ref: String::new(),
            resource_code: String::new(),
            operation: call.operation.to_owned(),
            subject_kind: call.subject.kind.to_owned(),
            subject_ref: call.subject.reference.clone(),
            subject_display: call.subject.display.clone(),
            fields_requested: call.fields.clone(),
            fields_returned: Vec::new(),
            outcome: String::new(),
            latency_ms: 0,
            actor: call.caller.actor.clone(),
            request_id: call.caller.request_id.clone(),
        };
        let grant = match self.authorise(&call, &mut entry).await {
            Ok(grant) => grant,
            Err(AccessError::Refused(refusal)) => {
                entry.outcome = refusal.outcome().to_owned();
                self.write(&entry).await?;
                return Err(AccessError::Refused(refusal));
            }
            Err(other) => return Err(other),
        };
        let answer = match tokio::time::timeout(self.call_timeout, provider_call).await {
            Ok(answer) => answer,
            Err(_) => Err(ProviderError::Timeout),
        };
        entry.latency_ms = started.elapsed().as_millis() as i64;
        let result = match answer {
            Ok(value) => {
                let (value, returned) = filter(value, &grant.fields);
                entry.outcome = "ok".into();
                entry.fields_returned = returned;
                Ok(value)
            }
            Err(err) => {
                entry.outcome = match &err {
                    ProviderError::NotFound => "not_found",
                    ProviderError::BadRequest(_) => "bad_request",
                    ProviderError::Timeout => "timeout",
                    ProviderError::Unavailable => "unavailable",
                    ProviderError::CircuitOpen => "circuit_open",
                    ProviderError::InvalidResponse(_) => "invalid_response",
                }
                .into();
                if !matches!(err, ProviderError::NotFound) {
                    tracing::warn!(error = %err, consumer = call.caller.consumer, operation = call.operation, "register call failed");
                }
                Err(match err {
                    ProviderError::NotFound => AccessError::NotFound,
                    ProviderError::BadRequest(_) => AccessError::Internal,
                    _ => AccessError::Unavailable,
                })
            }
        };
        self.write(&entry).await?;
        result
    }

    async fn authorise(&self, call: &Call<'_>, entry: &mut AuditEntry) -> Result<Grant, AccessError> {
        let found = match call.register {
            Source::Register(register) => db::resource_for_register(&self.db, register.code()).await,
            Source::Resource(code) => db::resource_by_code(&self.db, code).await,
        };
        let (resource, sharing) = found.map_err(internal)?.ok_or(AccessError::Refused(Refusal::NoResource))?;
        entry.resource_code = resource.clone();
        if sharing == SharingType::NotShared {
            return Err(AccessError::Refused(Refusal::NoResource));
        }
        let grant = db::grant(&self.db, &resource, call.caller.consumer)
            .await
            .map_err(internal)?
            .ok_or(AccessError::Refused(Refusal::NoGrant))?;
        entry.purpose = grant.purpose.zh.clone();
        entry.basis = grant.basis.code().to_owned();
        entry.basis_ref = match grant.basis {
            Basis::Consent => call.consent.map(|id| format!("consent:{id}")).unwrap_or_default(),
            _ => grant.legal_basis.zh.clone(),
        };
        if !call.fields.iter().all(|f| grant.fields.contains(f)) {
            return Err(AccessError::Refused(Refusal::FieldNotGranted));
        }
        if grant.basis == Basis::Consent {
            let consent = call.consent.ok_or(AccessError::Refused(Refusal::NoConsent))?;
            let covered =
                db::consented_fields(&self.db, consent, &call.subject.reference, &resource, call.caller.consumer)
                    .await
                    .map_err(internal)?
                    .ok_or(AccessError::Refused(Refusal::NoConsent))?;
            if !call.fields.iter().all(|f| covered.contains(f)) {
                return Err(AccessError::Refused(Refusal::NoConsent));
            }
        }
        Ok(grant)
    }

    /// Audit first, answer second: a call that cannot be recorded releases no data.
    async fn write(&self, entry: &AuditEntry) -> Result<(), AccessError> {
        audit::append(&self.db, entry).await.map_err(internal)
    }

    /// Records a data subject's consent for a consumer to receive fields of a register's
    /// resource; returns the consent id to pass with later calls.
    pub async fn record_person_consent(
        &self,
        id: &ResidentId,
        register: Register,
        consumer: &str,
        fields: &[String],
        policy_version: &str,
    ) -> Result<i64, AccessError> {
        self.record_consent(&self.subject_key.person(id), register, consumer, fields, policy_version).await
    }

    /// Records consent given for a business by its legal representative (checked by the caller
    /// against the legal-entity register) to a consumer receiving the business's fields.
    pub async fn record_entity_consent(
        &self,
        code: &CreditCode,
        register: Register,
        consumer: &str,
        fields: &[String],
        policy_version: &str,
    ) -> Result<i64, AccessError> {
        self.record_consent(&self.subject_key.entity(code), register, consumer, fields, policy_version).await
    }

    async fn record_consent(
        &self,
        subject_ref: &str,
        register: Register,
        consumer: &str,
        fields: &[String],
        policy_version: &str,
    ) -> Result<i64, AccessError> {
        let (resource, _) = db::resource_for_register(&self.db, register.code())
            .await
            .map_err(internal)?
            .ok_or(AccessError::Refused(Refusal::NoResource))?;
        let grant = db::grant(&self.db, &resource, consumer)
            .await
            .map_err(internal)?
            .ok_or(AccessError::Refused(Refusal::NoGrant))?;
        if !fields.iter().all(|f| grant.fields.contains(f)) {
            return Err(AccessError::Refused(Refusal::FieldNotGranted));
        }
        db::record_consent(
            &self.db,
            &db::NewConsent {
                subject_ref,
                resource_code: &resource,
                consumer,
                fields,
                purpose: &grant.purpose.zh,
                policy_version,
                given_at: now_unix(),
            },
        )
        .await
        .map_err(internal)
    }
}

fn internal(err: sqlx::Error) -> AccessError {
    tracing::error!(error = %err, "shared-data gateway database error");
    AccessError::Internal
}
