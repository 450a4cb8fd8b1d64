//! All SQL for online applications. Every query about a citizen's application is keyed by the
//! citizen's id from the session as well as the application's reference, so no id from a
//! request alone reaches another citizen's case.

use crate::platform::Db;
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

/// An application as the citizen's pages need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub reference: String,
    pub citizen_id: i64,
    pub item_code: String,
    pub item_version: i64,
    pub status: String,
    pub answers: String,
    pub step: i64,
    pub revision: i64,
    pub number: Option<String>,
    pub submission_key: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub moved_from_version: Option<i64>,
    pub review_due: Option<String>,
    pub promised_due: Option<String>,
    pub statutory_due: Option<String>,
    pub clock_stopped_at: Option<i64>,
    pub closed_at: Option<i64>,
}

const COLUMNS: &str = "id, reference, citizen_id, item_code, item_version, status, answers, step, revision, number, \
     submission_key, created_at, updated_at, submitted_at, expires_at, moved_from_version, review_due, promised_due, \
     statutory_due, clock_stopped_at, closed_at";

pub struct NewDraft<'a> {
    pub reference: &'a str,
    pub citizen_id: i64,
    pub item_code: &'a str,
    pub item_version: i64,
    pub answers: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert_draft(db: &Db, d: &NewDraft<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = insert_draft_in(&mut tx, d).await?;
    tx.commit().await?;
    Ok(id)
}

/// `insert_draft` inside the caller's transaction (a window intake records itself with it).
pub async fn insert_draft_in(tx: &mut Tx, d: &NewDraft<'_>) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO applications (reference, citizen_id, item_code, item_version, status, answers, created_at, \
         updated_at, expires_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $6, $7) RETURNING id",
    )
    .bind(d.reference)
    .bind(d.citizen_id)
    .bind(d.item_code)
    .bind(d.item_version)
    .bind(d.answers)
    .bind(d.now)
    .bind(d.expires_at)
    .fetch_one(&mut **tx)
    .await?;
    // A draft is not yet a case: its timeline starts at submission, so an expired draft can go
    // without touching the append-only history.
    Ok(id)
}

/// The citizen's unfinished draft of an item, if any (a second "apply" resumes it).
pub async fn open_draft(db: &Db, citizen_id: i64, item_code: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT reference FROM applications WHERE citizen_id = $1 AND item_code = $2 AND status = 'draft' \
         ORDER BY updated_at DESC LIMIT 1",
    )
    .bind(citizen_id)
    .bind(item_code)
    .fetch_optional(db.pool())
    .await
}

/// One of the citizen's applications by its reference; `None` for anyone else's.
pub async fn mine(db: &Db, citizen_id: i64, reference: &str) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM applications WHERE reference = $1 AND citizen_id = $2"))
        .bind(reference)
        .bind(citizen_id)
        .fetch_optional(db.pool())
        .await
}

/// Saves answers while the citizen may edit them; false when the application is no longer
/// theirs to change (submitted meanwhile, or not theirs).
pub async fn save_answers(
    db: &Db,
    citizen_id: i64,
    id: i64,
    answers: &str,
    step: i64,
    now: i64,
    expires_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE applications SET answers = $1, step = $2, updated_at = $3, \
         expires_at = CASE WHEN status = 'draft' THEN $4 ELSE expires_at END, \
         reminded_at = CASE WHEN status = 'draft' THEN NULL ELSE reminded_at END \
         WHERE id = $5 AND citizen_id = $6 AND status IN ('draft', 'returned')",
    )
    .bind(answers)
    .bind(step)
    .bind(now)
    .bind(expires_at)
    .bind(id)
    .bind(citizen_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(done == 1)
}

/// Moves a draft to the item's newest published version (answers already carried over).
pub async fn move_draft(
    db: &Db,
    citizen_id: i64,
    id: i64,
    from_version: i64,
    to_version: i64,
    answers: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE applications SET item_version = $1, moved_from_version = $2, answers = $3, updated_at = $4 \
         WHERE id = $5 AND citizen_id = $6 AND status = 'draft' AND item_version = $2",
    )
    .bind(to_version)
    .bind(from_version)
    .bind(answers)
    .bind(now)
    .bind(id)
    .bind(citizen_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(done == 1)
}

/// A row of "我的办件".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListRow {
    pub reference: String,
    pub item_code: String,
    pub item_version: i64,
    pub status: String,
    pub number: Option<String>,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub promised_due: Option<String>,
}

pub async fn list_mine(db: &Db, citizen_id: i64) -> Result<Vec<ListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT reference, item_code, item_version, status, number, updated_at, submitted_at, expires_at, promised_due \
         FROM applications WHERE citizen_id = $1 ORDER BY updated_at DESC, id DESC LIMIT 200",
    )
    .bind(citizen_id)
    .fetch_all(db.pool())
    .await
}

/// A timeline entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub status: String,
    pub actor_role: String,
    pub note: String,
}

pub async fn events(db: &Db, application_id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, status, actor_role, note FROM application_events WHERE application_id = $1 ORDER BY at, id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

pub async fn insert_event(
    tx: &mut Tx,
    application_id: i64,
    at: i64,
    status: &str,
    actor_role: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO application_events (application_id, at, status, actor_role, note) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(application_id)
    .bind(at)
    .bind(status)
    .bind(actor_role)
    .bind(note)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What a submission writes.
pub struct Submission<'a> {
    pub citizen_id: i64,
    pub id: i64,
    pub key: &'a str,
    pub answers: &'a str,
    pub note: &'a str,
    pub now: i64,
    /// `YYYYMMDD` of the submission in Beijing time, for the number.
    pub day: &'a str,
    pub review_due: &'a str,
    pub promised_due: &'a str,
    pub statutory_due: &'a str,
    /// What the citizen is told, written in the same transaction.
    pub notice: Option<Notice<'a>>,
}

pub struct Notice<'a> {
    pub kind: &'a str,
    pub email: Option<&'a str>,
    pub subject: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Submitted now, with this number.
    Submitted(String),
    /// This key already submitted it (a retry or double click): the same number.
    AlreadySubmitted(String),
    /// Not a draft any more, and not by this key.
    NotEditable,
}

/// Submits a draft (or resubmits a returned case): one conditional update decides, so two
/// racing posts of the same form create one application; the number, the answers as
/// submitted, the timeline entry and the notice commit together.
pub async fn submit(
    db: &Db,
    s: &Submission<'_>,
    number_of: impl Fn(u32) -> String,
) -> Result<SubmitOutcome, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let current: Option<(String, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT status, number, submission_key, revision FROM applications WHERE id = $1 AND citizen_id = $2",
    )
    .bind(s.id)
    .bind(s.citizen_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((status, number, key, revision)) = current else {
        return Ok(SubmitOutcome::NotEditable);
    };
    if key.as_deref() == Some(s.key) {
        return Ok(number.map_or(SubmitOutcome::NotEditable, SubmitOutcome::AlreadySubmitted));
    }
    if status != "draft" && status != "returned" {
        return Ok(SubmitOutcome::NotEditable);
    }
    let number = match number {
        Some(n) => n,
        None => {
            let sequence: i64 = sqlx::query_scalar(
                "INSERT INTO application_numbers (day, last) VALUES ($1, 1) \
                 ON CONFLICT (day) DO UPDATE SET last = application_numbers.last + 1 RETURNING last",
            )
            .bind(s.day)
            .fetch_one(&mut *tx)
            .await?;
            number_of(u32::try_from(sequence).unwrap_or(u32::MAX))
        }
    };
    let revision = revision + 1;
    let updated = sqlx::query(
        "UPDATE applications SET status = 'submitted', number = $1, submission_key = $2, answers = $3, \
         revision = $4, submitted_at = $5, updated_at = $5, expires_at = NULL, review_due = $6, promised_due = $7, \
         statutory_due = $8, clock_stopped_at = NULL WHERE id = $9 AND citizen_id = $10 AND status IN ('draft', 'returned')",
    )
    .bind(&number)
    .bind(s.key)
    .bind(s.answers)
    .bind(revision)
    .bind(s.now)
    .bind(s.review_due)
    .bind(s.promised_due)
    .bind(s.statutory_due)
    .bind(s.id)
    .bind(s.citizen_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(SubmitOutcome::NotEditable);
    }
    insert_revision(&mut tx, s.id, revision, s.answers, s.note, s.now).await?;
    let event = if revision == 1 { "submitted" } else { "resubmitted" };
    insert_event(&mut tx, s.id, s.now, event, "citizen", "").await?;
    if let Some(notice) = &s.notice {
        let subject = notice.subject.replace(super::NUMBER_PLACEHOLDER, &number);
        let body = notice.body.replace(super::NUMBER_PLACEHOLDER, &number);
        let notice = Notice { kind: notice.kind, email: notice.email, subject: &subject, body: &body };
        notify_in(&mut tx, s.citizen_id, s.id, &notice, s.now).await?;
    }
    tx.commit().await?;
    Ok(SubmitOutcome::Submitted(number))
}

/// Keeps the answers as (re)submitted: one row per revision, never changed.
async fn insert_revision(
    tx: &mut Tx,
    application_id: i64,
    revision: i64,
    answers: &str,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO application_revisions (application_id, revision, answers, note, submitted_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(application_id)
    .bind(revision)
    .bind(answers)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The inbox row and, when the citizen has an address, the mail: inside the change's transaction.
pub async fn notify_in(
    tx: &mut Tx,
    citizen_id: i64,
    application_id: i64,
    n: &Notice<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO notifications (citizen_id, application_id, kind, created_at) VALUES ($1, $2, $3, $4)")
        .bind(citizen_id)
        .bind(application_id)
        .bind(n.kind)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    if let Some(email) = n.email {
        crate::platform::mail::enqueue_in(tx, email, n.subject, n.body, now).await?;
    }
    Ok(())
}

/// Moves a case from one status to another if it is still in one of `from`, with its timeline
/// entry and notice, in one transaction. False when the case was not in such a state.
pub struct Transition<'a> {
    pub citizen_id: i64,
    pub id: i64,
    pub from: &'a [&'a str],
    pub to: &'a str,
    pub actor_role: &'a str,
    pub note: &'a str,
    pub now: i64,
    /// Stop the deadline clock (补正, suspension), restart it, or leave it.
    pub clock: Clock,
    pub closes: bool,
    pub notice: Option<Notice<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Keep,
    Stop,
}

pub async fn transition(db: &Db, t: &Transition<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ok = transition_in(&mut tx, t).await?;
    if ok {
        tx.commit().await?;
    }
    Ok(ok)
}

pub async fn transition_in(tx: &mut Tx, t: &Transition<'_>) -> Result<bool, sqlx::Error> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM applications WHERE id = $1 AND citizen_id = $2")
            .bind(t.id)
            .bind(t.citizen_id)
            .fetch_optional(&mut **tx)
            .await?;
    if !status.is_some_and(|s| t.from.contains(&s.as_str())) {
        return Ok(false);
    }
    let stopped_at = match t.clock {
        Clock::Stop => Some(t.now),
        Clock::Keep => None,
    };
    sqlx::query(
        "UPDATE applications SET status = $1, updated_at = $2, \
         clock_stopped_at = CASE WHEN $3 = 1 THEN $4 ELSE clock_stopped_at END, \
         closed_at = CASE WHEN $5 = 1 THEN $2 ELSE closed_at END WHERE id = $6 AND citizen_id = $7",
    )
    .bind(t.to)
    .bind(t.now)
    .bind(i64::from(stopped_at.is_some()))
    .bind(stopped_at)
    .bind(i64::from(t.closes))
    .bind(t.id)
    .bind(t.citizen_id)
    .execute(&mut **tx)
    .await?;
    insert_event(tx, t.id, t.now, t.to, t.actor_role, t.note).await?;
    if let Some(notice) = &t.notice {
        notify_in(tx, t.citizen_id, t.id, notice, t.now).await?;
    }
    Ok(true)
}

/// The citizen's decision on prefill for an item: (agreed, consent id).
pub async fn prefill_decision(
    db: &Db,
    citizen_id: i64,
    item_code: &str,
) -> Result<Option<(bool, Option<i64>)>, sqlx::Error> {
    let row: Option<(i64, Option<i64>)> =
        sqlx::query_as("SELECT agreed, consent_id FROM prefill_decisions WHERE citizen_id = $1 AND item_code = $2")
            .bind(citizen_id)
            .bind(item_code)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(agreed, consent)| (agreed != 0, consent)))
}

pub async fn record_prefill_decision(
    db: &Db,
    citizen_id: i64,
    item_code: &str,
    agreed: bool,
    consent_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO prefill_decisions (citizen_id, item_code, agreed, consent_id, decided_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (citizen_id, item_code) DO UPDATE SET agreed = $3, consent_id = $4, decided_at = $5",
    )
    .bind(citizen_id)
    .bind(item_code)
    .bind(i64::from(agreed))
    .bind(consent_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An open 补正 request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SupplementRow {
    pub id: i64,
    pub requested_at: i64,
    pub items: String,
    pub note: String,
}

pub async fn open_supplement(db: &Db, application_id: i64) -> Result<Option<SupplementRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, requested_at, items, note FROM supplement_requests WHERE application_id = $1 AND answered_at IS NULL \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(application_id)
    .fetch_optional(db.pool())
    .await
}

/// Records a 补正 request and stops the clock (the review console's side of the step).
pub async fn request_supplement(
    db: &Db,
    citizen_id: i64,
    application_id: i64,
    items: &str,
    note: &str,
    now: i64,
    notice: Option<Notice<'_>>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let moved = transition_in(
        &mut tx,
        &Transition {
            citizen_id,
            id: application_id,
            from: &["submitted"],
            to: "supplement_requested",
            actor_role: "staff",
            note,
            now,
            clock: Clock::Stop,
            closes: false,
            notice,
        },
    )
    .await?;
    if !moved {
        return Ok(false);
    }
    sqlx::query("INSERT INTO supplement_requests (application_id, requested_at, items, note) VALUES ($1, $2, $3, $4)")
        .bind(application_id)
        .bind(now)
        .bind(items)
        .bind(note)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// What answering a 补正 request writes.
pub struct SupplementAnswer<'a> {
    pub citizen_id: i64,
    pub application_id: i64,
    pub request_id: i64,
    pub answers: &'a str,
    pub note: &'a str,
    pub now: i64,
    pub notice: Option<Notice<'a>>,
}

/// The citizen's answer to a 补正 request: the answers as now, a new revision, the clock
/// restarted (back to 待预审), all at once.
pub async fn answer_supplement(db: &Db, a: &SupplementAnswer<'_>) -> Result<bool, sqlx::Error> {
    let SupplementAnswer { citizen_id, application_id, request_id, answers, note, now, ref notice } = *a;
    let mut tx = db.begin_write().await?;
    let answered = sqlx::query(
        "UPDATE supplement_requests SET answered_at = $1, answer_note = $2 \
         WHERE id = $3 AND application_id = $4 AND answered_at IS NULL",
    )
    .bind(now)
    .bind(note)
    .bind(request_id)
    .bind(application_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if answered != 1 {
        return Ok(false);
    }
    let revision: Option<i64> = sqlx::query_scalar(
        "UPDATE applications SET status = 'submitted', revision = revision + 1, answers = $1, updated_at = $2, \
         paused_secs = paused_secs + CASE WHEN clock_stopped_at IS NULL THEN 0 ELSE $2 - clock_stopped_at END, \
         clock_stopped_at = NULL WHERE id = $3 AND citizen_id = $4 AND status = 'supplement_requested' RETURNING revision",
    )
    .bind(answers)
    .bind(now)
    .bind(application_id)
    .bind(citizen_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(revision) = revision else { return Ok(false) };
    insert_revision(&mut tx, application_id, revision, answers, note, now).await?;
    // The note is for the clerk: it shows in the case timeline with the answer.
    insert_event(&mut tx, application_id, now, "supplemented", "citizen", note).await?;
    if let Some(notice) = notice {
        notify_in(&mut tx, citizen_id, application_id, notice, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// How many answer versions an application has kept (one per submission).
pub async fn revisions(db: &Db, application_id: i64) -> Result<Vec<(i64, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT revision, answers, note, submitted_at FROM application_revisions WHERE application_id = $1 ORDER BY revision",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// The inbox, newest first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub reference: String,
    pub item_code: String,
    pub number: Option<String>,
}

pub async fn notifications(db: &Db, citizen_id: i64) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.kind, n.created_at, n.read_at, a.reference, a.item_code, a.number FROM notifications n \
         JOIN applications a ON a.id = n.application_id WHERE n.citizen_id = $1 ORDER BY n.id DESC LIMIT 100",
    )
    .bind(citizen_id)
    .fetch_all(db.pool())
    .await
}

/// Marks the citizen's notifications about one application read (when they open it).
pub async fn mark_read(db: &Db, citizen_id: i64, application_id: i64, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE citizen_id = $2 AND application_id = $3 AND read_at IS NULL",
    )
    .bind(now)
    .bind(citizen_id)
    .bind(application_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Progress lookup without signing in: status facts by number, and the last four characters of
/// the applicant's ID number to compare (the caller compares in constant time).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicProgressRow {
    pub id: i64,
    pub item_code: String,
    pub item_version: i64,
    pub status: String,
    pub submitted_at: Option<i64>,
    pub promised_due: Option<String>,
    pub id_number_masked: String,
}

pub async fn by_number(db: &Db, number: &str) -> Result<Option<PublicProgressRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.item_code, a.item_version, a.status, a.submitted_at, a.promised_due, c.id_number_masked \
         FROM applications a JOIN citizens c ON c.id = a.citizen_id WHERE a.number = $1",
    )
    .bind(number)
    .fetch_optional(db.pool())
    .await
}

/// Drafts whose expiry falls before `before` and whose owner has not been reminded: (application
/// id, citizen id, reference, item code, expires at, email).
pub async fn drafts_to_remind(
    db: &Db,
    before: i64,
) -> Result<Vec<(i64, i64, String, String, i64, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.citizen_id, a.reference, a.item_code, a.expires_at, c.email FROM applications a \
         JOIN citizens c ON c.id = a.citizen_id \
         WHERE a.status = 'draft' AND a.reminded_at IS NULL AND a.expires_at <= $1 ORDER BY a.id LIMIT 500",
    )
    .bind(before)
    .fetch_all(db.pool())
    .await
}

/// Marks a draft reminded and enqueues the reminder, unless another process did so first.
pub async fn mark_reminded(
    db: &Db,
    id: i64,
    expires_at: i64,
    now: i64,
    mail: Option<(&str, &str, &str)>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let marked = sqlx::query(
        "UPDATE applications SET reminded_at = $1 WHERE id = $2 AND status = 'draft' AND reminded_at IS NULL AND expires_at = $3",
    )
    .bind(now)
    .bind(id)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if marked != 1 {
        return Ok(false);
    }
    if let Some((email, subject, body)) = mail {
        crate::platform::mail::enqueue_in(&mut tx, email, subject, body, now).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Deletes drafts past their expiry with everything hanging off them; returns how many.
pub async fn delete_expired_drafts(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM applications WHERE status = 'draft' AND expires_at <= $1")
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
    let mut deleted = 0;
    for id in &ids {
        sqlx::query("DELETE FROM application_files WHERE application_id = $1").bind(id).execute(&mut *tx).await?;
        deleted += sqlx::query("DELETE FROM applications WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    tx.commit().await?;
    Ok(deleted)
}

/// The rating of an application, if any: (level, defaulted).
pub async fn rating(db: &Db, application_id: i64) -> Result<Option<(i64, bool)>, sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT level, defaulted FROM application_ratings WHERE application_id = $1")
            .bind(application_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|(level, defaulted)| (level, defaulted != 0)))
}

/// Stores the one rating of a completed application; false when it was already rated. A poor
/// rating opens its 差评 ledger entry, due on `ledger_due`, in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn rate(
    db: &Db,
    citizen_id: i64,
    application_id: i64,
    level: i64,
    indicators: &str,
    comment: &str,
    now: i64,
    ledger_due: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let completed: Option<i64> =
        sqlx::query_scalar("SELECT id FROM applications WHERE id = $1 AND citizen_id = $2 AND status = 'completed'")
            .bind(application_id)
            .bind(citizen_id)
            .fetch_optional(&mut *tx)
            .await?;
    if completed.is_none() {
        return Ok(false);
    }
    let inserted = sqlx::query(
        "INSERT INTO application_ratings (application_id, level, indicators, comment, rated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (application_id) DO NOTHING",
    )
    .bind(application_id)
    .bind(level)
    .bind(indicators)
    .bind(comment)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if let Some(due) = ledger_due.filter(|_| inserted == 1) {
        crate::supervision::server::db::open_ledger_entry(&mut tx, application_id, due, now).await?;
    }
    tx.commit().await?;
    Ok(inserted == 1)
}

/// Completed applications unrated for `window` seconds get the default rating (基本满意).
pub async fn default_ratings(db: &Db, now: i64, window: i64) -> Result<u64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let n = sqlx::query(
        "INSERT INTO application_ratings (application_id, level, rated_at, defaulted) \
         SELECT a.id, 3, $1, 1 FROM applications a WHERE a.status = 'completed' AND a.closed_at <= $2 \
         AND NOT EXISTS (SELECT 1 FROM application_ratings r WHERE r.application_id = a.id)",
    )
    .bind(now)
    .bind(now - window)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Files attached to one of the citizen's applications, still attached.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub slot: String,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub original_name: String,
    pub thumbnail: Option<String>,
    pub pages: Option<i64>,
    pub added_revision: i64,
}

pub async fn files(db: &Db, application_id: i64) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, slot, sha256, size, media_type, original_name, thumbnail, pages, added_revision FROM application_files \
         WHERE application_id = $1 AND removed_at IS NULL ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// A stored file to attach to a slot.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub original_name: String,
    pub thumbnail: Option<String>,
    pub pages: Option<i64>,
}

/// Why files could not be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachRefusal {
    /// The slot already holds as many files as it may.
    TooMany,
    /// The same content is already attached to this application.
    Duplicate,
    /// The application's files together would pass the limit.
    TotalTooLarge,
    /// The application is no longer in a state that takes files.
    NotEditable,
}

/// Attaches files to a slot of the citizen's application in one transaction, checking the
/// slot's count, the application's total and duplicates against what is attached now.
pub async fn attach_files(
    db: &Db,
    citizen_id: i64,
    application_id: i64,
    slot: &str,
    files: &[NewFile],
    limits: (i64, i64),
    now: i64,
) -> Result<Result<(), AttachRefusal>, sqlx::Error> {
    let (per_slot, per_application) = limits;
    let mut tx = db.begin_write().await?;
    let state: Option<(String, i64)> =
        sqlx::query_as("SELECT status, revision FROM applications WHERE id = $1 AND citizen_id = $2")
            .bind(application_id)
            .bind(citizen_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((status, revision)) =
        state.filter(|(s, _)| matches!(s.as_str(), "draft" | "returned" | "supplement_requested"))
    else {
        return Ok(Err(AttachRefusal::NotEditable));
    };
    let _ = status;
    let attached: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT slot, sha256, size FROM application_files WHERE application_id = $1 AND removed_at IS NULL",
    )
    .bind(application_id)
    .fetch_all(&mut *tx)
    .await?;
    let in_slot = attached.iter().filter(|(s, _, _)| s == slot).count() as i64;
    if in_slot + files.len() as i64 > per_slot {
        return Ok(Err(AttachRefusal::TooMany));
    }
    let total: i64 = attached.iter().map(|(_, _, size)| size).sum::<i64>() + files.iter().map(|f| f.size).sum::<i64>();
    if total > per_application {
        return Ok(Err(AttachRefusal::TotalTooLarge));
    }
    let mut seen: Vec<&str> = attached.iter().map(|(_, sha, _)| sha.as_str()).collect();
    for f in files {
        if seen.contains(&f.sha256.as_str()) {
            return Ok(Err(AttachRefusal::Duplicate));
        }
        seen.push(&f.sha256);
    }
    for f in files {
        sqlx::query(
            "INSERT INTO application_files (application_id, slot, sha256, size, media_type, original_name, thumbnail, \
             pages, added_revision, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(application_id)
        .bind(slot)
        .bind(&f.sha256)
        .bind(f.size)
        .bind(&f.media_type)
        .bind(&f.original_name)
        .bind(&f.thumbnail)
        .bind(f.pages)
        .bind(revision + 1)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// Takes a file off the citizen's application while they may still change it; the row stays
/// (earlier revisions name it). False when there was no such attached file of theirs.
pub async fn remove_file(
    db: &Db,
    citizen_id: i64,
    application_id: i64,
    file_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE application_files SET removed_at = $1 WHERE id = $2 AND application_id = $3 AND removed_at IS NULL \
         AND added_revision > (SELECT revision FROM applications WHERE id = $3 AND citizen_id = $4 \
         AND status IN ('draft', 'returned', 'supplement_requested'))",
    )
    .bind(now)
    .bind(file_id)
    .bind(application_id)
    .bind(citizen_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(done == 1)
}

/// One attached file of the citizen's application, for download.
pub async fn my_file(db: &Db, citizen_id: i64, reference: &str, file_id: i64) -> Result<Option<FileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.slot, f.sha256, f.size, f.media_type, f.original_name, f.thumbnail, f.pages, f.added_revision \
         FROM application_files f JOIN applications a ON a.id = f.application_id \
         WHERE f.id = $1 AND a.reference = $2 AND a.citizen_id = $3",
    )
    .bind(file_id)
    .bind(reference)
    .bind(citizen_id)
    .fetch_optional(db.pool())
    .await
}

/// 我的材料: files the citizen attached to applications already submitted, newest first, one per
/// content, for attaching again without uploading.
pub async fn my_earlier_files(db: &Db, citizen_id: i64, except_application: i64) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT f.id, f.slot, f.sha256, f.size, f.media_type, f.original_name, f.thumbnail, f.pages, f.added_revision \
         FROM application_files f JOIN applications a ON a.id = f.application_id \
         WHERE a.citizen_id = $1 AND a.id <> $2 AND a.status NOT IN ('draft', 'withdrawn') AND f.removed_at IS NULL \
         ORDER BY f.id DESC LIMIT 50",
    )
    .bind(citizen_id)
    .bind(except_application)
    .fetch_all(db.pool())
    .await
}

/// Every object any application row names (files and thumbnails), for the store's clean-up.
pub async fn referenced_objects(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT sha256 FROM application_files UNION SELECT thumbnail FROM application_files WHERE thumbnail IS NOT NULL",
    )
    .fetch_all(db.pool())
    .await
}
