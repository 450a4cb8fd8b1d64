//! Booking for the signed-in, real-name verified citizen or a member of their registered
//! household: the health-data notice becomes a recorded consent, and every call to the booking
//! platform about a person goes through `SharedData` (grant, consent, deadline, audit row). The
//! household is read from the population register through `SharedData` too, with the citizen's
//! consent, and read again at every booking: a member is never taken from the form. The
//! confirmation mail goes through the outbox.

use super::contract::*;
use super::HospitalProvider;
use crate::accounts::server::auth::CitizenPrincipal;
use crate::error::AppError;
use crate::identifiers::ResidentId;
use crate::platform::AppContext;
use crate::registers::contract::{PersonField, Register};
use crate::sharing::server::{AccessError, Caller, ExternalCall};

/// The portal feature, as the catalogue's grant names it.
pub const CONSUMER: &str = "hospitals.booking";
/// The data items a booking exchanges.
const FIELDS: [&str; 1] = ["appointments"];
/// The version of the health-data notice the citizen acknowledges.
pub const NOTICE_VERSION: &str = "hospitals-notice-1";
/// The grant on the population register for listing the household members one may book for.
pub const HOUSEHOLD_CONSUMER: &str = "hospitals.household";
/// The version of the household notice the citizen agrees to by asking for their members.
pub const HOUSEHOLD_NOTICE_VERSION: &str = "hospitals-household-1";

/// The catalogue resource the booking platform's data is listed under.
async fn resource(ctx: &AppContext) -> Result<String, AppError> {
    crate::sharing::server::db::resource_granted_to(&ctx.db, CONSUMER).await?.ok_or(AppError::Unavailable)
}

/// The citizen's own resident ID (real-name verified accounts only) and account row.
pub async fn identity(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
) -> Result<(ResidentId, crate::accounts::server::citizens::CitizenRow), AppError> {
    if !citizen.real_name_verified {
        return Err(AppError::Forbidden);
    }
    let row = crate::accounts::server::citizens::by_id(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    let sealed =
        crate::accounts::server::citizens::sealed_id_number(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    let own = ctx.secrets.cipher().decrypt(&sealed).ok_or_else(|| AppError::internal(&"cannot open ID number"))?;
    let id = ResidentId::parse(&own).map_err(|_| AppError::internal(&"stored ID number does not parse"))?;
    Ok((id, row))
}

/// A name as the hospital desk sees it: the surname, the rest hidden (张*, 欧阳**).
pub fn masked_name(name: &str) -> String {
    let mut chars = name.chars();
    let first: String = chars.next().map(String::from).unwrap_or_default();
    format!("{first}{}", "*".repeat(chars.count().max(1)))
}

fn external<'a>(resource_code: &'a str, operation: &'static str, consent: i64) -> ExternalCall<'a> {
    ExternalCall { resource_code, operation, fields: &FIELDS, consent: Some(consent) }
}

fn booked_by(citizen: &CitizenPrincipal) -> String {
    format!("citizen:{}", citizen.id())
}

fn access(err: AccessError) -> AppError {
    err.into()
}

/// A member of the citizen's registered household other than the citizen.
pub struct Member {
    pub id: ResidentId,
    pub name: String,
    pub relation: crate::registers::contract::Relation,
}

impl Member {
    /// What the form posts for this member: the keyed reference the platform knows the patient
    /// by, never the ID number.
    pub fn token(&self, ctx: &AppContext) -> String {
        ctx.shared.subject_key().person(&self.id)
    }
}

/// Records the citizen's consent to list their household members for booking (asked on the
/// booking form, before anything is read).
pub async fn allow_household(ctx: &AppContext, citizen: &CitizenPrincipal) -> Result<(), AppError> {
    let (id, _) = identity(ctx, citizen).await?;
    // A city whose catalogue does not grant the household to booking says so (503), rather than
    // failing inside the consent record.
    crate::sharing::server::db::resource_granted_to(&ctx.db, HOUSEHOLD_CONSUMER).await?.ok_or(AppError::Unavailable)?;
    let fields = vec![PersonField::HouseholdMembers.key().to_owned()];
    ctx.shared
        .record_person_consent(&id, Register::Population, HOUSEHOLD_CONSUMER, &fields, HOUSEHOLD_NOTICE_VERSION)
        .await
        .map_err(access)?;
    Ok(())
}

/// The household members the citizen may book for, read now from the population register under
/// their consent (audited); `None` before they consented.
pub async fn household(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    request_id: &str,
) -> Result<Option<Vec<Member>>, AppError> {
    let (id, _) = identity(ctx, citizen).await?;
    let register = crate::sharing::server::db::resource_granted_to(&ctx.db, HOUSEHOLD_CONSUMER)
        .await?
        .ok_or(AppError::Unavailable)?;
    let Some(consent) = ctx.shared.latest_consent(&id, &register, HOUSEHOLD_CONSUMER).await.map_err(access)? else {
        return Ok(None);
    };
    let caller = Caller { consumer: HOUSEHOLD_CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let person =
        ctx.shared.person(&caller, &id, &[PersonField::HouseholdMembers], Some(consent)).await.map_err(access)?;
    Ok(Some(
        person
            .household_members
            .unwrap_or_default()
            .into_iter()
            .filter_map(|m| {
                let member_id = ResidentId::parse(&m.id_number).ok()?;
                (member_id != id).then_some(Member { id: member_id, name: m.name, relation: m.relation })
            })
            .collect(),
    ))
}

/// Whom a booking is for, as posted: the citizen, or the keyed reference of a household member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum For<'a> {
    Myself,
    Member(&'a str),
}

/// The person a platform call is about and the consent it is made under: the patient (the
/// citizen or a member of their household as the register has it now), with the notice's
/// acknowledgement recorded as consent (for a member, given by the citizen on the member's
/// behalf, and the citizen's own for listing the account's bookings).
struct Patienthood {
    row: crate::accounts::server::citizens::CitizenRow,
    subject: ResidentId,
    patient: Patient,
    resource: String,
    consent: i64,
}

/// `NotFound` when the member is not in the household as the register has it now.
async fn patient_with_consent(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    patient: For<'_>,
    request_id: &str,
) -> Result<Patienthood, AppError> {
    let (id, row) = identity(ctx, citizen).await?;
    let (subject, display) = match patient {
        For::Myself => (id.clone(), masked_name(&row.name)),
        For::Member(token) => {
            let members = household(ctx, citizen, request_id).await?.ok_or(AppError::NotFound)?;
            let member = members.into_iter().find(|m| m.token(ctx) == token).ok_or(AppError::NotFound)?;
            (member.id, masked_name(&member.name))
        }
    };
    let resource = resource(ctx).await?;
    let fields: Vec<String> = FIELDS.iter().map(|f| (*f).to_owned()).collect();
    let own =
        ctx.shared.record_resource_consent(&id, &resource, CONSUMER, &fields, NOTICE_VERSION).await.map_err(access)?;
    let consent = if subject == id {
        own
    } else {
        ctx.shared
            .record_resource_consent(&subject, &resource, CONSUMER, &fields, NOTICE_VERSION)
            .await
            .map_err(access)?
    };
    let patient = Patient { reference: ctx.shared.subject_key().person(&subject), display };
    Ok(Patienthood { row, subject, patient, resource, consent })
}

/// Books `slot` for the citizen or a household member (see [`patient_with_consent`]).
pub async fn book(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    slot: i64,
    key: &str,
    patient: For<'_>,
    request_id: &str,
) -> Result<BookingOutcome, AppError> {
    let p = patient_with_consent(ctx, citizen, patient, request_id).await?;
    let request = BookRequest {
        slot,
        patient: p.patient,
        booked_by: booked_by(citizen),
        idempotency_key: key.to_owned(),
        at: ctx.clock.now(),
    };
    let caller = Caller { consumer: CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let outcome = ctx
        .shared
        .about_person(&caller, external(&p.resource, "book", p.consent), &p.subject, ctx.hospitals.book(&request))
        .await
        .map_err(access)?;
    booked_mail(ctx, p.row.email.as_deref(), &outcome).await;
    Ok(outcome)
}

/// The confirmation of a new booking; a repeated request finds the first booking, whose mail
/// went out then.
async fn booked_mail(ctx: &AppContext, email: Option<&str>, outcome: &BookingOutcome) {
    if let (Some(email), BookingOutcome::Booked { appointment, repeat: false }) = (email, outcome) {
        confirmation_mail(ctx, email, appointment).await;
    }
}

/// Puts the citizen or a household member on a fully booked doctor's waiting list for `day`.
pub async fn join_waitlist(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    practitioner_role: &str,
    day: &str,
    patient: For<'_>,
    request_id: &str,
) -> Result<WaitlistOutcome, AppError> {
    let p = patient_with_consent(ctx, citizen, patient, request_id).await?;
    let request = JoinWaitlistRequest {
        practitioner_role: practitioner_role.to_owned(),
        day: day.to_owned(),
        patient: p.patient,
        booked_by: booked_by(citizen),
        at: ctx.clock.now(),
    };
    let caller = Caller { consumer: CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let call = ctx.hospitals.join_waitlist(&request);
    ctx.shared
        .about_person(&caller, external(&p.resource, "join_waitlist", p.consent), &p.subject, call)
        .await
        .map_err(access)
}

/// A call about the account's own entries: the citizen's resident ID (the audited subject) and
/// the consent given with their first acknowledgement of the notice (`None` before it).
struct AccountCall {
    id: ResidentId,
    row: crate::accounts::server::citizens::CitizenRow,
    resource: String,
    consent: Option<i64>,
    caller: Caller,
    action: WaitlistAction,
}

async fn account_call(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    entry: i64,
    request_id: &str,
) -> Result<AccountCall, AppError> {
    let (id, row) = identity(ctx, citizen).await?;
    let resource = resource(ctx).await?;
    let consent = ctx.shared.latest_consent(&id, &resource, CONSUMER).await.map_err(access)?;
    let caller = Caller { consumer: CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let action = WaitlistAction { entry, booked_by: booked_by(citizen), at: ctx.clock.now() };
    Ok(AccountCall { id, row, resource, consent, caller, action })
}

/// The citizen's waiting-list entries still waiting or offered (none before their first
/// acknowledgement of the notice).
pub async fn waitlist(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    request_id: &str,
) -> Result<Vec<WaitlistEntry>, AppError> {
    let c = account_call(ctx, citizen, 0, request_id).await?;
    let Some(consent) = c.consent else { return Ok(Vec::new()) };
    let call = ctx.hospitals.waitlist(&c.action.booked_by, c.action.at);
    ctx.shared.about_person(&c.caller, external(&c.resource, "waitlist", consent), &c.id, call).await.map_err(access)
}

/// Books the number an offer holds for one of the citizen's entries (`NotFound` for anyone
/// else's, or when it is no longer offered), with the confirmation mail of a booking.
pub async fn accept_offer(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    entry: i64,
    request_id: &str,
) -> Result<BookingOutcome, AppError> {
    let c = account_call(ctx, citizen, entry, request_id).await?;
    let consent = c.consent.ok_or(AppError::NotFound)?;
    let call = ctx.hospitals.accept_offer(&c.action);
    let outcome = ctx
        .shared
        .about_person(&c.caller, external(&c.resource, "accept_offer", consent), &c.id, call)
        .await
        .map_err(access)?;
    booked_mail(ctx, c.row.email.as_deref(), &outcome).await;
    Ok(outcome)
}

/// Leaves the list, or declines the offer (`NotFound` for anyone else's entry); whoever the
/// number passes to is told.
pub async fn leave_waitlist(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    entry: i64,
    request_id: &str,
) -> Result<WaitlistEntry, AppError> {
    let c = account_call(ctx, citizen, entry, request_id).await?;
    let consent = c.consent.ok_or(AppError::NotFound)?;
    let call = ctx.hospitals.leave_waitlist(&c.action);
    let left = ctx
        .shared
        .about_person(&c.caller, external(&c.resource, "leave_waitlist", consent), &c.id, call)
        .await
        .map_err(access)?;
    announce_now(ctx).await;
    Ok(left.entry)
}

/// Mails every waiting-list offer not announced yet, however it was made: by a cancel, by a
/// decline, or by an offer lapsing inside any other call to the platform (which passes the
/// number on there and then). The platform answers each offer to one `take_new_offers` call
/// only, so each is mailed once whichever portal instance asks. Run after a cancel or a decline,
/// so that offer goes out at once, and every minute by the server; the number mailed.
pub async fn announce_offers(ctx: &AppContext) -> Result<usize, AppError> {
    let offers = ctx.hospitals.take_new_offers(ctx.clock.now()).await.map_err(|_| AppError::Unavailable)?;
    Ok(offer_mails(ctx, &offers).await)
}

/// [`announce_offers`] after the citizen's own change: a failure leaves the offers unclaimed
/// for the server's next run, so the change itself still stands.
async fn announce_now(ctx: &AppContext) {
    if let Err(err) = announce_offers(ctx).await {
        tracing::warn!(error = ?err, "waiting-list offers left for the next announcement");
    }
}

/// Tells each account an offer went to; the number of mails enqueued. Accounts other than the
/// portal's citizens are not ours.
async fn offer_mails(ctx: &AppContext, offers: &[WaitlistEntry]) -> usize {
    use crate::i18n::fill;
    let mut mailed = 0;
    for offer in offers {
        let (Some(slot), Some(expires)) = (&offer.offer_slot, offer.offer_expires) else { continue };
        let Some(account) = offer.booked_by.strip_prefix("citizen:").and_then(|n| n.parse::<i64>().ok()) else {
            continue;
        };
        let Ok(Some(row)) = crate::accounts::server::citizens::by_id(&ctx.db, account).await else {
            tracing::warn!("an offer's account could not be read for its mail");
            continue;
        };
        // An account made at a service hall may have no address: the offer shows on its bookings page.
        let Some(email) = row.email.as_deref() else { continue };
        let Ok((hospital, service, role)) =
            names_of(ctx, &offer.organization, &offer.healthcare_service, &offer.practitioner_role).await
        else {
            tracing::warn!("an offer was made but its names could not be read for its mail");
            continue;
        };
        let (_, minute) = super::beijing(expires);
        let (deadline, until) = (super::hhmm(minute), super::when_text(expires));
        let when = format!("{} {}–{}", slot.day, slot.start, slot.end);
        let link = format!("{}/hospitals/bookings", ctx.public_origin);
        let (zh, en) = (&super::text::ZH_CN, &super::text::EN);
        let part = |t: &super::text::Text| {
            let doctor = format!("{}（{}）", role.practitioner.name, t.title(role.code));
            let body = fill(
                t.offer_mail_body,
                &[&hospital.name, &service, &doctor, &when, &offer.patient.display, &until, &link],
            );
            (fill(t.offer_mail_subject, &[&deadline]), body)
        };
        let ((zh_subject, zh_body), (en_subject, en_body)) = (part(zh), part(en));
        let subject = format!("{zh_subject} / {en_subject}");
        let body = format!("{zh_body}\n----\n\n{en_body}");
        match crate::platform::mail::enqueue(&ctx.db, email, &subject, &body, ctx.clock.now()).await {
            Ok(_) => mailed += 1,
            Err(err) => tracing::error!(error = %err, "cannot enqueue a waiting-list offer"),
        }
    }
    mailed
}

/// Names of a booking's hospital, department and doctor (title), from the platform.
pub async fn names(ctx: &AppContext, a: &Appointment) -> Result<(Organization, String, PractitionerRole), AppError> {
    names_of(ctx, &a.organization, &a.healthcare_service, &a.practitioner_role).await
}

/// Names of a hospital, its department and a doctor (title) there, from the platform.
pub async fn names_of(
    ctx: &AppContext,
    organization: &str,
    healthcare_service: &str,
    practitioner_role: &str,
) -> Result<(Organization, String, PractitionerRole), AppError> {
    let unavailable = |_| AppError::Unavailable;
    let hospital = ctx
        .hospitals
        .hospitals()
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|h| h.id == organization)
        .ok_or(AppError::NotFound)?;
    let service = ctx
        .hospitals
        .services(organization)
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|s| s.id == healthcare_service)
        .map(|s| s.name)
        .unwrap_or_default();
    let role = ctx
        .hospitals
        .roles(healthcare_service)
        .await
        .map_err(unavailable)?
        .into_iter()
        .find(|r| r.id == practitioner_role)
        .ok_or(AppError::NotFound)?;
    Ok((hospital, service, role))
}

async fn confirmation_mail(ctx: &AppContext, email: &str, a: &Appointment) {
    use crate::i18n::fill;
    let t = &super::text::ZH_CN;
    let Ok((hospital, service, role)) = names(ctx, a).await else {
        tracing::warn!("booking made but its names could not be read for the confirmation mail");
        return;
    };
    let when = format!("{} {}–{}", a.slot.day, a.slot.start, a.slot.end);
    let link = format!("{}/hospitals/bookings/{}", ctx.public_origin, a.id);
    let doctor = format!("{}（{}）", role.practitioner.name, t.title(role.code));
    let fee = fill(t.fee, &[&format!("{}.{:02}", a.fee_fen / 100, a.fee_fen % 100)]);
    let body = fill(
        t.mail_body,
        &[
            &hospital.name,
            &service,
            &doctor,
            &when,
            &a.patient.display,
            &a.identifier,
            &a.sequence.to_string(),
            &fee,
            &link,
        ],
    );
    let subject = fill(t.mail_subject, &[&hospital.name, &when]);
    if let Err(err) = crate::platform::mail::enqueue(&ctx.db, email, &subject, &body, ctx.clock.now()).await {
        tracing::error!(error = %err, "cannot enqueue the booking confirmation");
    }
}

/// The keyed reference the platform knows the citizen by as a patient.
pub async fn own_reference(ctx: &AppContext, citizen: &CitizenPrincipal) -> Result<String, AppError> {
    let (id, _) = identity(ctx, citizen).await?;
    Ok(ctx.shared.subject_key().person(&id))
}

/// The bookings the citizen made, for themselves and their household (none before their first
/// acknowledgement of the notice).
pub async fn bookings(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    request_id: &str,
) -> Result<Vec<Appointment>, AppError> {
    let (id, _) = identity(ctx, citizen).await?;
    let resource = resource(ctx).await?;
    let Some(consent) = ctx.shared.latest_consent(&id, &resource, CONSUMER).await.map_err(access)? else {
        return Ok(Vec::new());
    };
    let caller = Caller { consumer: CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let by = booked_by(citizen);
    let at = ctx.clock.now();
    ctx.shared
        .about_person(&caller, external(&resource, "appointments", consent), &id, ctx.hospitals.appointments(&by, at))
        .await
        .map_err(access)
}

/// Where each patient the citizen booked for stands with the no-show rule (audited like the
/// bookings themselves; nothing before the first acknowledgement of the notice).
pub async fn standing(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    request_id: &str,
) -> Result<Vec<PatientStanding>, AppError> {
    let (id, _) = identity(ctx, citizen).await?;
    let resource = resource(ctx).await?;
    let Some(consent) = ctx.shared.latest_consent(&id, &resource, CONSUMER).await.map_err(access)? else {
        return Ok(Vec::new());
    };
    let caller = Caller { consumer: CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let query = StandingQuery { booked_by: booked_by(citizen), at: ctx.clock.now() };
    ctx.shared
        .about_person(&caller, external(&resource, "standing", consent), &id, ctx.hospitals.standing(&query))
        .await
        .map_err(access)
}

/// Cancels one of the citizen's bookings; `Ok(None)` when it cannot be cancelled any more.
pub async fn cancel(
    ctx: &AppContext,
    citizen: &CitizenPrincipal,
    appointment: i64,
    request_id: &str,
) -> Result<Option<Appointment>, AppError> {
    let (id, _) = identity(ctx, citizen).await?;
    let resource = resource(ctx).await?;
    let consent =
        ctx.shared.latest_consent(&id, &resource, CONSUMER).await.map_err(access)?.ok_or(AppError::NotFound)?;
    let caller = Caller { consumer: CONSUMER, actor: booked_by(citizen), request_id: request_id.to_owned() };
    let request = CancelRequest { appointment, booked_by: booked_by(citizen), at: ctx.clock.now() };
    match ctx
        .shared
        .about_person(&caller, external(&resource, "cancel", consent), &id, ctx.hospitals.cancel(&request))
        .await
    {
        Ok(c) => {
            announce_now(ctx).await;
            Ok(Some(c.appointment))
        }
        // The platform refuses a cancel past the cut-off or of a cancelled booking.
        Err(AccessError::Internal) => Ok(None),
        Err(err) => Err(access(err)),
    }
}

/// The QR code of a booking code as one SVG path over a `size`×`size` grid (quiet zone
/// included), drawn from the code's geometry alone.
pub fn qr_path(text: &str) -> Option<(String, usize)> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let mut path = String::new();
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((path, width + 2 * quiet))
}
