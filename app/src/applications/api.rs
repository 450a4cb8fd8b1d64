//! Server functions the application pages read through. Each takes the citizen from the session
//! first and finds applications by (citizen, reference) only.

use super::model::{Answers, Status, SupplementItem};
use crate::catalogue::model::{FormDefinition, Material};
use crate::error::AppError;
use crate::site::Bilingual;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// Everything the pages of one application show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub reference: String,
    pub number: Option<String>,
    pub status: Status,
    pub item_code: String,
    pub item_name: Bilingual,
    pub form: FormDefinition,
    pub materials: Vec<Material>,
    pub answers: Answers,
    pub files: Vec<FileView>,
    pub step: i64,
    /// How many times it has been submitted (files added since can still be taken off).
    pub revision: i64,
    pub submitted_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub review_due: Option<String>,
    pub promised_due: Option<String>,
    pub statutory_due: Option<String>,
    pub clock_stopped_at: Option<i64>,
    /// Working days from today to the promised day (negative: overdue).
    pub promised_days_left: Option<i64>,
    pub events: Vec<EventView>,
    pub supplement: Option<SupplementView>,
    /// (level 1–5, given by default).
    pub rating: Option<(i64, bool)>,
    /// Answers dropped when the draft moved to a newer version of the item (question ids).
    pub carried_over: Vec<String>,
    pub moved_from_version: Option<i64>,
    pub prefill: PrefillState,
    /// A fresh idempotency key for the submission form rendered now.
    pub submission_key: String,
    /// 我的材料: files of the citizen's earlier applications that can be attached again.
    pub earlier_files: Vec<FileView>,
    pub limits: UploadLimitsView,
    /// Where its pages and files live: `/applications/{reference}` for the citizen, the
    /// console's intake page when a window clerk fills it in for a walk-in applicant.
    pub home: String,
    /// Filled in by a window clerk (一窗受理): one page for all steps, no address suggestions
    /// from the citizen's endpoint, group buttons naming their group.
    pub at_window: bool,
}

/// The upload limits the pages name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimitsView {
    pub bytes_per_file: i64,
    pub files_per_slot: i64,
    pub bytes_per_application: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub slot: String,
    pub name: String,
    pub size: i64,
    pub media_type: String,
    pub pages: Option<i64>,
    pub revision: i64,
    /// A small preview exists (images).
    pub thumbnail: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub at: i64,
    pub status: String,
    pub actor_role: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementView {
    pub requested_at: i64,
    pub items: Vec<SupplementItem>,
    pub note: String,
}

/// The prefill question for this item: whether the form reads registers, what the citizen
/// decided, and what the consent page describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefillState {
    pub asks: bool,
    pub decided: Option<bool>,
    pub real_name_verified: bool,
    pub sources: Vec<PrefillSourceView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefillSourceView {
    pub resource: String,
    pub name: Bilingual,
    pub provider: Bilingual,
    pub purpose: Bilingual,
    pub fields: Vec<Bilingual>,
}

#[server(name = MyApplication, prefix = "/api", endpoint = "applications/one", input = GetUrl)]
pub async fn my_application(reference: Option<String>) -> Result<ApplicationView, AppError> {
    use super::server::{self as apps, db};
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let reference = reference.unwrap_or_default();
    let mut loaded = apps::load_mine(&ctx, citizen.id(), &reference)
        .await?
        .ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let carried_over = apps::carry_over(&ctx, citizen.id(), &mut loaded).await?;
    let id = loaded.row.id;
    let files = db::files(&ctx.db, id).await?;
    let events = db::events(&ctx.db, id).await?;
    let supplement = match loaded.status {
        Status::SupplementRequested => db::open_supplement(&ctx.db, id).await?.map(|s| SupplementView {
            requested_at: s.requested_at,
            items: serde_json::from_str(&s.items).unwrap_or_default(),
            note: s.note,
        }),
        _ => None,
    };
    let rating = db::rating(&ctx.db, id).await?;
    let asks = !apps::prefill_fields(&loaded.item).is_empty();
    let decided = db::prefill_decision(&ctx.db, citizen.id(), &loaded.row.item_code).await?.map(|(agreed, _)| agreed);
    let sources = if asks && decided.is_none() {
        apps::prefill_sources(&ctx, &loaded.item)
            .await?
            .into_iter()
            .map(|s| PrefillSourceView {
                resource: s.resource,
                name: s.name,
                provider: s.provider,
                purpose: s.purpose,
                fields: s.fields,
            })
            .collect()
    } else {
        Vec::new()
    };
    let promised_days_left = match (&loaded.row.promised_due, loaded.status.is_closed()) {
        (Some(due), false) => {
            let calendar = crate::catalogue::server::work_calendar(&ctx.db).await?;
            let today = apps::beijing_day(ctx.clock.now());
            parse_day(due).map(|due| {
                if due >= today {
                    i64::from(calendar.working_days_between(today, due))
                } else {
                    -i64::from(calendar.working_days_between(due, today))
                }
            })
        }
        _ => None,
    };
    let earlier_files = if loaded.status.citizen_can_edit() || loaded.status == Status::SupplementRequested {
        db::my_earlier_files(&ctx.db, citizen.id(), id).await?.into_iter().map(file_view).collect()
    } else {
        Vec::new()
    };
    db::mark_read(&ctx.db, citizen.id(), id, ctx.clock.now()).await?;
    let row = loaded.row;
    let home = format!("/applications/{}", row.reference);
    Ok(ApplicationView {
        reference: row.reference,
        number: row.number,
        status: loaded.status,
        item_code: row.item_code,
        item_name: loaded.item.name,
        form: loaded.item.form,
        materials: loaded.item.materials,
        answers: loaded.answers,
        files: files.into_iter().map(file_view).collect(),
        step: row.step,
        revision: row.revision,
        submitted_at: row.submitted_at,
        expires_at: row.expires_at,
        review_due: row.review_due,
        promised_due: row.promised_due,
        statutory_due: row.statutory_due,
        clock_stopped_at: row.clock_stopped_at,
        promised_days_left,
        events: events
            .into_iter()
            .map(|e| EventView { at: e.at, status: e.status, actor_role: e.actor_role, note: e.note })
            .collect(),
        supplement,
        rating,
        carried_over,
        moved_from_version: row.moved_from_version,
        prefill: PrefillState { asks, decided, real_name_verified: citizen.real_name_verified, sources },
        submission_key: new_submission_key(),
        earlier_files,
        limits: upload_limits(&ctx),
        home,
        at_window: false,
    })
}

#[cfg(feature = "ssr")]
fn upload_limits(ctx: &crate::platform::AppContext) -> UploadLimitsView {
    UploadLimitsView {
        bytes_per_file: ctx.applications.bytes_per_file,
        files_per_slot: ctx.applications.files_per_slot,
        bytes_per_application: ctx.applications.bytes_per_application,
    }
}

/// A draft a window clerk fills in for a walk-in applicant (一窗受理), as the one intake page
/// at `home` draws it. The caller has found it inside the clerk's scope.
#[cfg(feature = "ssr")]
pub async fn window_draft_view(
    ctx: &crate::platform::AppContext,
    loaded: super::server::Loaded,
    home: String,
) -> Result<ApplicationView, AppError> {
    let files = super::server::db::files(&ctx.db, loaded.row.id).await?;
    let row = loaded.row;
    Ok(ApplicationView {
        reference: row.reference,
        number: row.number,
        status: loaded.status,
        item_code: row.item_code,
        item_name: loaded.item.name,
        form: loaded.item.form,
        materials: loaded.item.materials,
        answers: loaded.answers,
        files: files.into_iter().map(file_view).collect(),
        step: row.step,
        revision: row.revision,
        submitted_at: row.submitted_at,
        expires_at: row.expires_at,
        review_due: row.review_due,
        promised_due: row.promised_due,
        statutory_due: row.statutory_due,
        clock_stopped_at: row.clock_stopped_at,
        promised_days_left: None,
        events: Vec::new(),
        supplement: None,
        rating: None,
        carried_over: Vec::new(),
        moved_from_version: row.moved_from_version,
        prefill: PrefillState { asks: false, decided: None, real_name_verified: true, sources: Vec::new() },
        submission_key: new_submission_key(),
        earlier_files: Vec::new(),
        limits: upload_limits(ctx),
        home,
        at_window: true,
    })
}

#[cfg(feature = "ssr")]
fn file_view(f: super::server::db::FileRow) -> FileView {
    FileView {
        id: f.id,
        slot: f.slot,
        name: f.original_name,
        size: f.size,
        media_type: f.media_type,
        pages: f.pages,
        revision: f.added_revision,
        thumbnail: f.thumbnail.is_some(),
    }
}

#[cfg(feature = "ssr")]
fn parse_day(day: &str) -> Option<time::Date> {
    time::Date::parse(day, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(feature = "ssr")]
fn new_submission_key() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

/// A row of 我的办件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationEntry {
    pub reference: String,
    pub item_name: Bilingual,
    pub status: Status,
    pub number: Option<String>,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub promised_due: Option<String>,
}

/// An inbox entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub kind: String,
    pub at: i64,
    pub unread: bool,
    pub reference: String,
    pub item_name: Bilingual,
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplications {
    pub entries: Vec<ApplicationEntry>,
    pub notifications: Vec<NotificationView>,
}

#[server(name = MyApplicationList, prefix = "/api", endpoint = "applications/mine", input = GetUrl)]
pub async fn my_applications() -> Result<MyApplications, AppError> {
    use super::server::db;
    let ctx = crate::platform::AppContext::current()?;
    let citizen = crate::accounts::server::auth::citizen().await.map_err(crate::platform::fail)?;
    let rows = db::list_mine(&ctx.db, citizen.id()).await?;
    let notifications = db::notifications(&ctx.db, citizen.id()).await?;
    let mut names = std::collections::HashMap::<(String, i64), Bilingual>::new();
    let mut entries = Vec::new();
    for r in rows {
        let key = (r.item_code.clone(), r.item_version);
        if !names.contains_key(&key) {
            let item = super::server::item_version(&ctx, &r.item_code, r.item_version).await?;
            names.insert(key.clone(), item.name);
        }
        entries.push(ApplicationEntry {
            reference: r.reference,
            item_name: names[&key].clone(),
            status: Status::from_code(&r.status).unwrap_or(Status::Draft),
            number: r.number,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at,
            expires_at: r.expires_at,
            promised_due: r.promised_due,
        });
    }
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let notifications = notifications
        .into_iter()
        .map(|n| NotificationView {
            kind: n.kind,
            at: n.created_at,
            unread: n.read_at.is_none(),
            item_name: snapshot
                .item(&n.item_code)
                .map(|i| i.content.name.clone())
                .unwrap_or_else(|| Bilingual { zh: n.item_code.clone(), en: n.item_code.clone() }),
            reference: n.reference,
            number: n.number,
        })
        .collect();
    Ok(MyApplications { entries, notifications })
}

/// What the start page of an online application shows: public facts of the published item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplyIntro {
    pub code: String,
    pub name: Bilingual,
    pub online: bool,
    pub form: FormDefinition,
    pub materials: Vec<Material>,
    pub promised_days: u16,
    pub promised_working: bool,
}

#[server(name = ApplyIntroFor, prefix = "/api", endpoint = "services/apply-intro", input = GetUrl)]
pub async fn apply_intro(code: String) -> Result<ApplyIntro, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let item = snapshot.item(&code).ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    let c = &item.content;
    Ok(ApplyIntro {
        code: c.code.clone(),
        name: c.name.clone(),
        online: c.channels.contains(&crate::catalogue::model::Channel::Online),
        form: c.form.clone(),
        materials: c.materials.clone(),
        promised_days: c.promised_limit.days,
        promised_working: c.promised_limit.unit == crate::catalogue::model::DayUnit::Working,
    })
}
