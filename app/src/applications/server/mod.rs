//! Online applications on the server: starting and resuming drafts, prefill through the audited
//! gateway with the citizen's consent, deadlines from the working-day calendar, submission,
//! notices, and the draft and rating jobs.

pub mod address;
pub mod db;

use super::lifecycle::{Action, Actor};
use super::model::{application_number, Answers, Source, Status};
use crate::catalogue::model::{Channel, ItemContent, QuestionKind};
use crate::error::AppError;
use crate::platform::AppContext;
use crate::site::Bilingual;
use db::ApplicationRow;

/// The shared-data consumer for form prefill (its grants name the fields forms may use).
pub use crate::catalogue::server::PREFILL_CONSUMER;

/// Drafts live this long after their last change unless the operator says otherwise.
pub const DEFAULT_DRAFT_DAYS: i64 = 30;
/// The reminder goes out this long before a draft expires.
pub const REMINDER_BEFORE: i64 = 3 * 86_400;
/// No rating within this long after completion counts as 基本满意 (domain reference §3).
pub const RATING_WINDOW: i64 = 7 * 86_400;
/// 行政许可法 art. 32: the applicant is told within five working days what is missing, or the
/// application counts as accepted.
pub const REVIEW_WORKING_DAYS: u32 = 5;

/// One of the citizen's applications with the item version it was made under.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub row: ApplicationRow,
    pub status: Status,
    pub item: ItemContent,
    pub answers: Answers,
}

/// The citizen's application `reference`, or `None` when there is none of theirs by that name.
pub async fn load_mine(ctx: &AppContext, citizen_id: i64, reference: &str) -> Result<Option<Loaded>, AppError> {
    if !is_reference(reference) {
        return Ok(None);
    }
    let Some(row) = db::mine(&ctx.db, citizen_id, reference).await? else { return Ok(None) };
    let item = item_version(ctx, &row.item_code, row.item_version).await?;
    let status = Status::from_code(&row.status).ok_or_else(|| AppError::internal(&"unknown application status"))?;
    let answers = serde_json::from_str(&row.answers).map_err(|e| AppError::internal(&e))?;
    Ok(Some(Loaded { row, status, item, answers }))
}

/// The content of one saved item version (an application keeps the version it was made under).
pub async fn item_version(ctx: &AppContext, code: &str, version: i64) -> Result<ItemContent, AppError> {
    let stored = crate::catalogue::server::db::version(&ctx.db, code, version)
        .await?
        .ok_or_else(|| AppError::internal(&"an application's item version is missing"))?;
    serde_json::from_str(&stored.content).map_err(|e| AppError::internal(&e))
}

/// References are 20 characters of lowercase base32: random, so not guessable, and checked
/// before any query so odd input never reaches one.
pub fn is_reference(reference: &str) -> bool {
    reference.len() == 20 && reference.bytes().all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7'))
}

pub fn new_reference() -> String {
    use rand::Rng;
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..32)] as char).collect()
}

/// Starts an application of a published item that offers the online channel, or resumes the
/// citizen's open draft of it. Returns the reference.
pub async fn start(ctx: &AppContext, citizen_id: i64, code: &str) -> Result<String, AppError> {
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let item = snapshot.item(code).ok_or(AppError::NotFound)?;
    if !item.content.channels.contains(&Channel::Online) {
        return Err(AppError::NotFound);
    }
    if let Some(reference) = db::open_draft(&ctx.db, citizen_id, code).await? {
        return Ok(reference);
    }
    let reference = new_reference();
    let now = ctx.clock.now();
    let answers = serde_json::to_string(&Answers::default()).map_err(|e| AppError::internal(&e))?;
    db::insert_draft(
        &ctx.db,
        &db::NewDraft {
            reference: &reference,
            citizen_id,
            item_code: code,
            item_version: item.version,
            answers: &answers,
            now,
            expires_at: now + draft_lifetime(ctx),
        },
    )
    .await?;
    Ok(reference)
}

/// The operator's settings for applications (from the server's configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Days a draft lives after its last change (`ONESTOP_DRAFT_DAYS`).
    pub draft_days: i64,
    /// Bytes one file may take (`ONESTOP_UPLOAD_MAX_FILE_BYTES`).
    pub bytes_per_file: i64,
    /// Files one material slot may hold.
    pub files_per_slot: i64,
    /// Bytes all of an application's files may take together.
    pub bytes_per_application: i64,
    /// Working days a 差评 ledger entry has (`ONESTOP_RATING_LEDGER_DAYS`).
    pub rating_ledger_days: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            draft_days: DEFAULT_DRAFT_DAYS,
            bytes_per_file: 10 * 1024 * 1024,
            files_per_slot: 10,
            bytes_per_application: 50 * 1024 * 1024,
            rating_ledger_days: crate::supervision::ledger::DEFAULT_WORKING_DAYS,
        }
    }
}

impl Settings {
    /// The operator's draft lifetime and upload limits.
    pub fn new(draft_days: i64, limits: &crate::platform::files::UploadLimits, rating_ledger_days: u32) -> Settings {
        let bytes = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Settings {
            draft_days,
            bytes_per_file: bytes(limits.per_file),
            files_per_slot: i64::from(limits.files_per_slot),
            bytes_per_application: bytes(limits.per_application),
            rating_ledger_days,
        }
    }
}

/// How long a draft lives after its last change, in seconds.
pub fn draft_lifetime(ctx: &AppContext) -> i64 {
    ctx.applications.draft_days * 86_400
}

/// A draft begun under an older version of its item is carried to the published one: answers
/// to questions still asked stay, the others are dropped and listed for the citizen.
pub async fn carry_over(ctx: &AppContext, citizen_id: i64, loaded: &mut Loaded) -> Result<Vec<String>, AppError> {
    if loaded.status != Status::Draft {
        return Ok(Vec::new());
    }
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let Some(published) = snapshot.item(&loaded.row.item_code) else { return Ok(Vec::new()) };
    if published.version == loaded.row.item_version {
        return Ok(Vec::new());
    }
    let mut answers = loaded.answers.clone();
    let dropped = answers.keep_only_questions_of(&published.content.form);
    let json = serde_json::to_string(&answers).map_err(|e| AppError::internal(&e))?;
    let moved = db::move_draft(
        &ctx.db,
        citizen_id,
        loaded.row.id,
        loaded.row.item_version,
        published.version,
        &json,
        ctx.clock.now(),
    )
    .await?;
    if moved {
        loaded.row.moved_from_version = Some(loaded.row.item_version);
        loaded.row.item_version = published.version;
        loaded.item = ItemContent::clone(&published.content);
        loaded.answers = answers;
    }
    Ok(dropped)
}

/// A register field a form would read: which answer, from which resource and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefillField {
    pub question: String,
    pub resource: String,
    pub field: String,
}

/// The top-level questions of an item's form that name a register field.
pub fn prefill_fields(item: &ItemContent) -> Vec<PrefillField> {
    item.form
        .questions
        .iter()
        .filter(|q| !matches!(q.kind, QuestionKind::Group | QuestionKind::File))
        .filter_map(|q| {
            let (resource, field) = q.prefill.as_deref()?.split_once('.')?;
            Some(PrefillField { question: q.id.clone(), resource: resource.to_owned(), field: field.to_owned() })
        })
        .collect()
}

/// What the consent page shows for one register: its name, the purpose of the grant and the
/// names of the fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PrefillSource {
    pub resource: String,
    pub name: Bilingual,
    pub provider: Bilingual,
    pub purpose: Bilingual,
    pub fields: Vec<Bilingual>,
}

pub async fn prefill_sources(ctx: &AppContext, item: &ItemContent) -> Result<Vec<PrefillSource>, AppError> {
    let wanted = prefill_fields(item);
    let catalogue = crate::sharing::server::db::catalogue(&ctx.db, None).await?;
    let mut sources = Vec::new();
    for entry in catalogue {
        let resource = &entry.resource;
        let fields: Vec<Bilingual> = resource
            .fields
            .iter()
            .filter(|f| wanted.iter().any(|w| w.resource == resource.code && w.field == f.key))
            .map(|f| f.name.clone())
            .collect();
        if fields.is_empty() {
            continue;
        }
        let Some(grant) = crate::sharing::server::db::grant(&ctx.db, &resource.code, PREFILL_CONSUMER).await? else {
            continue;
        };
        sources.push(PrefillSource {
            resource: resource.code.clone(),
            name: resource.name.clone(),
            provider: entry.provider_name.clone(),
            purpose: grant.purpose,
            fields,
        });
    }
    Ok(sources)
}

/// How prefill went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefillOutcome {
    Filled,
    /// A register did not answer in time: the citizen types those answers.
    Unavailable,
    /// Nothing to fill (no real-name verification, no linked business).
    Nothing,
}

/// Fills empty answers from the registers through the audited gateway, under the consent the
/// citizen just gave. Answers already typed are never overwritten.
pub async fn prefill(
    ctx: &AppContext,
    citizen: &crate::accounts::server::auth::CitizenPrincipal,
    answers: &mut Answers,
    item: &ItemContent,
    request_id: &str,
) -> Result<PrefillOutcome, AppError> {
    use crate::identifiers::{CreditCode, ResidentId};
    use crate::registers::contract::{EntityField, PersonField, Register};
    use crate::sharing::server::{AccessError, Caller};
    if !citizen.real_name_verified {
        return Ok(PrefillOutcome::Nothing);
    }
    let wanted = prefill_fields(item);
    let caller = Caller {
        consumer: PREFILL_CONSUMER,
        actor: format!("citizen:{}", citizen.id()),
        request_id: request_id.to_owned(),
    };
    let sealed =
        crate::accounts::server::citizens::sealed_id_number(&ctx.db, citizen.id()).await?.ok_or(AppError::NotFound)?;
    let own_id = ctx.secrets.cipher().decrypt(&sealed).ok_or_else(|| AppError::internal(&"cannot open ID number"))?;
    let id = ResidentId::parse(&own_id).map_err(|_| AppError::internal(&"stored ID number does not parse"))?;
    let now = ctx.clock.now();
    let mut outcome = PrefillOutcome::Nothing;
    let fill = |answers: &mut Answers, record: serde_json::Value, resource: &str| -> bool {
        let mut filled = false;
        for w in wanted.iter().filter(|w| w.resource == resource) {
            let Some(value) = record.get(&w.field).and_then(|v| v.as_str()) else { continue };
            if !answers.value(&w.question).trim().is_empty() {
                continue;
            }
            answers.values.insert(w.question.clone(), value.to_owned());
            answers.sources.insert(
                w.question.clone(),
                Source {
                    resource: w.resource.clone(),
                    field: w.field.clone(),
                    retrieved_at: now,
                    value: value.to_owned(),
                },
            );
            filled = true;
        }
        filled
    };
    for (resource, register) in [("population", Register::Population), ("legal_entities", Register::LegalEntities)] {
        let Some((code, _)) = crate::sharing::server::db::resource_for_register(&ctx.db, resource).await? else {
            continue;
        };
        let fields: Vec<String> = wanted.iter().filter(|w| w.resource == code).map(|w| w.field.clone()).collect();
        if fields.is_empty() {
            continue;
        }
        let result = match register {
            Register::Population => {
                let consent = ctx
                    .shared
                    .record_person_consent(&id, register, PREFILL_CONSUMER, &fields, CONSENT_POLICY)
                    .await
                    .map_err(AppError::from)?;
                let keys: Vec<PersonField> = fields.iter().filter_map(|f| PersonField::from_key(f)).collect();
                ctx.shared.person(&caller, &id, &keys, Some(consent)).await.map(|r| serde_json::to_value(r).ok())
            }
            _ => {
                let entities = crate::accounts::server::citizens::entities_of(&ctx.db, citizen.id()).await?;
                let Some(code) = entities.first().and_then(|(c, _)| CreditCode::parse(c).ok()) else { continue };
                // The link was checked against the register: the citizen is the business's legal
                // representative, who consents for it.
                let consent = ctx
                    .shared
                    .record_entity_consent(&code, register, PREFILL_CONSUMER, &fields, CONSENT_POLICY)
                    .await
                    .map_err(AppError::from)?;
                let keys: Vec<EntityField> = fields.iter().filter_map(|f| EntityField::from_key(f)).collect();
                ctx.shared.entity(&caller, &code, &keys, Some(consent)).await.map(|r| serde_json::to_value(r).ok())
            }
        };
        match result {
            Ok(Some(record)) => {
                if fill(answers, record, &code) && outcome == PrefillOutcome::Nothing {
                    outcome = PrefillOutcome::Filled;
                }
            }
            Ok(None) | Err(AccessError::NotFound) => {}
            Err(AccessError::Unavailable) => outcome = PrefillOutcome::Unavailable,
            // A refusal is the catalogue's configuration, not the citizen's doing: they type
            // the answers, and the operator sees why in the log (and the audit row).
            Err(AccessError::Refused(refusal)) => {
                tracing::warn!(?refusal, resource = %code, "prefill refused by the shared-data gateway");
                outcome = PrefillOutcome::Unavailable;
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(outcome)
}

/// The version of the consent text citizens agree to on the prefill page.
pub const CONSENT_POLICY: &str = "prefill-2026-12";

/// The three dates a submission sets: the pre-review (补正 notice) deadline, the promised and
/// the statutory limit, all counted from the submission day on the working-day calendar.
pub fn deadlines(
    calendar: &crate::catalogue::calendar::WorkCalendar,
    item: &ItemContent,
    day: time::Date,
) -> (time::Date, time::Date, time::Date) {
    (
        calendar.add_working_days(day, REVIEW_WORKING_DAYS),
        calendar.deadline(day, item.promised_limit),
        calendar.deadline(day, item.statutory_limit),
    )
}

/// The calendar day in Beijing time of a Unix time.
pub fn beijing_day(unix: i64) -> time::Date {
    time::OffsetDateTime::from_unix_timestamp(unix + 8 * 3600).map(|t| t.date()).unwrap_or(time::Date::MIN)
}

pub fn iso_day(day: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// What submission produced.
pub enum Submitted {
    Now(String),
    Before(String),
    NotEditable,
}

/// Submits the citizen's draft (or returned case) with the form's idempotency key. The caller has
/// checked the answers.
pub async fn submit(
    ctx: &AppContext,
    citizen_id: i64,
    loaded: &Loaded,
    key: &str,
    notice: Option<(Option<&str>, String, String)>,
) -> Result<Submitted, AppError> {
    let now = ctx.clock.now();
    let today = beijing_day(now);
    let calendar = crate::catalogue::server::work_calendar(&ctx.db).await?;
    let (review, promised, statutory) = deadlines(&calendar, &loaded.item, today);
    let answers = serde_json::to_string(&loaded.answers).map_err(|e| AppError::internal(&e))?;
    let day = format!("{:04}{:02}{:02}", today.year(), u8::from(today.month()), today.day());
    let notice =
        notice.as_ref().map(|(email, subject, body)| db::Notice { kind: "submitted", email: *email, subject, body });
    let outcome = db::submit(
        &ctx.db,
        &db::Submission {
            citizen_id,
            id: loaded.row.id,
            key,
            answers: &answers,
            note: "",
            now,
            day: &day,
            review_due: &iso_day(review),
            promised_due: &iso_day(promised),
            statutory_due: &iso_day(statutory),
            notice,
        },
        |sequence| application_number(&day, sequence),
    )
    .await?;
    Ok(match outcome {
        db::SubmitOutcome::Submitted(n) => Submitted::Now(n),
        db::SubmitOutcome::AlreadySubmitted(n) => Submitted::Before(n),
        db::SubmitOutcome::NotEditable => Submitted::NotEditable,
    })
}

/// Whether files may go into `slot` now: a file question of the form, while the citizen may
/// change the application, or one providing a material a 补正 request names.
pub async fn slot_takes_files(ctx: &AppContext, loaded: &Loaded, slot: &str) -> Result<bool, AppError> {
    let is_file_question = loaded.item.form.questions.iter().any(|q| q.id == slot && q.kind == QuestionKind::File);
    if !is_file_question {
        return Ok(false);
    }
    match loaded.status {
        Status::Draft | Status::Returned => Ok(true),
        Status::SupplementRequested => {
            let Some(request) = db::open_supplement(&ctx.db, loaded.row.id).await? else { return Ok(false) };
            let items: Vec<super::model::SupplementItem> = serde_json::from_str(&request.items).unwrap_or_default();
            Ok(items.iter().any(|i| super::model::slots_for_material(&loaded.item.form, &i.material).contains(&slot)))
        }
        _ => Ok(false),
    }
}

/// Where the citizen attaches files now: the materials step, or the 补正 page.
pub fn files_page(loaded: &Loaded) -> String {
    let reference = &loaded.row.reference;
    if loaded.status == Status::SupplementRequested {
        format!("/applications/{reference}/supplement")
    } else {
        format!("/applications/{reference}/step/{}", super::model::steps(&loaded.item.form).len())
    }
}

/// Stands for the application number in a notice written before the number is drawn.
pub const NUMBER_PLACEHOLDER: &str = "{application-number}";

/// The mail for a status change or timeline event (`event`: a status code or an event such as
/// `prereview_passed`): plain text, in Chinese and English (the citizen's language is not known
/// outside a request), naming the item, the number, the new status and the link.
pub fn status_mail(item: &Bilingual, number: &str, event: &str, link: &str) -> (String, String) {
    let zh = super::text::ZH_CN.event_label(event);
    let en = super::text::EN.event_label(event);
    let subject = format!("【{}】办件 {number}：{zh} / Application {number}: {en}", item.zh);
    let body = format!(
        "您好：\n\n您申请的“{}”（办件编号 {number}）状态已更新为：{zh}。\n查看详情：{link}\n\n         Your application \"{}\" (number {number}) is now: {en}.\nDetails: {link}\n\n         本邮件由系统自动发送，请勿回复。This message was sent automatically; please do not reply.\n",
        item.zh, item.en
    );
    (subject, body)
}

/// A status change the citizen causes or is told of, with its timeline entry and notice in one
/// transaction. False when the case is not in a state that allows it.
pub async fn change_status(
    ctx: &AppContext,
    citizen_id: i64,
    loaded: &Loaded,
    action: Action,
    note: &str,
) -> Result<bool, AppError> {
    let Some(to) = action.next(loaded.status).filter(|_| action.actor() == Actor::Citizen) else { return Ok(false) };
    let from = action.from_statuses();
    let actor_role = Actor::Citizen.code();
    let (email, subject, body) = notice_for(ctx, citizen_id, loaded, to).await?;
    let moved = db::transition(
        &ctx.db,
        &db::Transition {
            citizen_id,
            id: loaded.row.id,
            from: &from,
            to: to.code(),
            actor_role,
            note,
            now: ctx.clock.now(),
            clock: if to.clock_stopped() { db::Clock::Stop } else { db::Clock::Keep },
            closes: to.is_closed(),
            notice: Some(db::Notice { kind: to.code(), email: email.as_deref(), subject: &subject, body: &body }),
        },
    )
    .await?;
    Ok(moved)
}

async fn notice_for(
    ctx: &AppContext,
    citizen_id: i64,
    loaded: &Loaded,
    status: Status,
) -> Result<(Option<String>, String, String), AppError> {
    let email = crate::accounts::server::citizens::by_id(&ctx.db, citizen_id).await?.and_then(|c| c.email);
    let link = format!("{}/applications/{}", ctx.public_origin, loaded.row.reference);
    let number = loaded.row.number.clone().unwrap_or_default();
    let (subject, body) = status_mail(&loaded.item.name, &number, status.code(), &link);
    Ok((email, subject, body))
}

/// Records a 补正 request on a submitted application (the review console's side; here for the
/// citizen's side and its tests): one notice, every material and reason, the clock stopped.
pub async fn request_supplement(
    ctx: &AppContext,
    citizen_id: i64,
    loaded: &Loaded,
    items: &[super::model::SupplementItem],
    note: &str,
) -> Result<bool, AppError> {
    let (email, subject, body) = notice_for(ctx, citizen_id, loaded, Status::SupplementRequested).await?;
    let items = serde_json::to_string(items).map_err(|e| AppError::internal(&e))?;
    Ok(db::request_supplement(
        &ctx.db,
        citizen_id,
        loaded.row.id,
        &items,
        note,
        ctx.clock.now(),
        Some(db::Notice { kind: "supplement_requested", email: email.as_deref(), subject: &subject, body: &body }),
    )
    .await?)
}

/// The citizen's answer to the open 补正 request.
pub async fn answer_supplement(
    ctx: &AppContext,
    citizen_id: i64,
    loaded: &Loaded,
    request_id: i64,
    note: &str,
) -> Result<bool, AppError> {
    let (email, subject, body) = notice_for(ctx, citizen_id, loaded, Status::Submitted).await?;
    let answers = serde_json::to_string(&loaded.answers).map_err(|e| AppError::internal(&e))?;
    Ok(db::answer_supplement(
        &ctx.db,
        &db::SupplementAnswer {
            citizen_id,
            application_id: loaded.row.id,
            request_id,
            answers: &answers,
            note: note.trim(),
            now: ctx.clock.now(),
            notice: Some(db::Notice { kind: "supplemented", email: email.as_deref(), subject: &subject, body: &body }),
        },
    )
    .await?)
}

/// Progress by number for someone not signed in, as JSON for the page (status code, item
/// name, submission day, promised day), or `None`. The ID ending is compared in constant time
/// against a stored value that exists for unknown numbers too, so the answer and the work are
/// the same whether the number exists or not.
pub async fn public_progress(ctx: &AppContext, number: &str, last4: &str) -> Result<Option<String>, AppError> {
    let row = db::by_number(&ctx.db, number).await?;
    let stored = row.as_ref().map_or("\u{0}\u{0}\u{0}\u{0}".to_owned(), |r| {
        r.id_number_masked.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect()
    });
    let matches = constant_time_eq(stored.as_bytes(), last4.as_bytes());
    let Some(row) = row.filter(|_| matches) else { return Ok(None) };
    let item = item_version(ctx, &row.item_code, row.item_version).await?;
    let view = super::model::PublicProgress {
        number: number.to_owned(),
        status: Status::from_code(&row.status).unwrap_or(Status::Submitted),
        item: item.name,
        submitted_at: row.submitted_at,
        promised_due: row.promised_due,
    };
    serde_json::to_string(&view).map(Some).map_err(|e| AppError::internal(&e))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The daily jobs: reminders for drafts about to expire, removal of expired drafts, default
/// ratings. Returns (reminded, removed, defaulted).
pub async fn run_daily_jobs(ctx: &AppContext) -> Result<(usize, u64, u64), sqlx::Error> {
    let now = ctx.clock.now();
    let mut reminded = 0;
    for (id, _citizen, reference, item_code, expires_at, email) in
        db::drafts_to_remind(&ctx.db, now + REMINDER_BEFORE).await?
    {
        let name = match ctx.catalogue.snapshot(&ctx.db).await {
            Ok(snapshot) => snapshot.item(&item_code).map(|i| i.content.name.zh.clone()).unwrap_or(item_code.clone()),
            Err(_) => item_code.clone(),
        };
        let link = format!("{}/applications/{reference}/review", ctx.public_origin);
        let subject = format!("您的“{name}”申请草稿即将过期 / Your draft application will expire soon");
        let body = format!(
            "您好：\n\n您在本平台填写的“{name}”申请尚未提交，草稿将于 {} 过期并被删除。如需继续办理，请登录后打开：\n{link}\n\n\
             Your draft application \"{name}\" has not been submitted. It will expire and be deleted on {}. To continue, sign in and open:\n{link}\n",
            crate::i18n::format_beijing_time(expires_at),
            crate::i18n::format_beijing_time(expires_at),
        );
        let mail = email.as_deref().map(|e| (e, subject.as_str(), body.as_str()));
        if db::mark_reminded(&ctx.db, id, expires_at, now, mail).await? {
            reminded += 1;
        }
    }
    let removed = db::delete_expired_drafts(&ctx.db, now).await?;
    let defaulted = db::default_ratings(&ctx.db, now, RATING_WINDOW).await?;
    Ok((reminded, removed, defaulted))
}

#[cfg(test)]
mod tests;
