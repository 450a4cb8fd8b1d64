//! The citizen's form posts for applications (see `platform::forms`): start or resume, the
//! prefill decision, each step, submission, withdrawal, the 补正 answer, the rating and the
//! progress lookup without signing in. Every handler takes the citizen from the session and
//! finds the application by (citizen, reference), never by a reference alone.

use super::model::{is_asked, step_fields, steps, Answers, Status, StepKind};
use super::rules::check_step;
use super::server::{self as apps, db, Loaded};
use crate::accounts::forms::signed_in;
use crate::accounts::server::auth::CitizenPrincipal;
use crate::catalogue::model::QuestionKind;
use crate::error::FieldError;
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};

/// `POST /services/{code}/apply`: a new draft, or the open one of this item.
pub fn start(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let citizen = or_return!(signed_in(&req).await);
        let code = req.param("code").to_owned();
        // A service for businesses is applied for on behalf of one: the citizen must act for a
        // business (a legal-person link checked against the register) first.
        if let Ok(snapshot) = req.ctx.catalogue.snapshot(&req.ctx.db).await {
            let for_business =
                snapshot.item(&code).is_some_and(|i| i.content.target == crate::catalogue::model::Target::Entity);
            if for_business {
                match crate::accounts::server::citizens::entities_of(&req.ctx.db, citizen.id()).await {
                    Ok(entities) if entities.is_empty() => {
                        return req.rerender(403, Vec::new(), Some("needs_business"))
                    }
                    Ok(_) => {}
                    Err(err) => return req.failed_because(&err),
                }
            }
        }
        match apps::start(&req.ctx, citizen.id(), &code).await {
            Ok(reference) => first_page(&req, &citizen, &reference).await,
            Err(crate::error::AppError::NotFound) => req.rerender(404, Vec::new(), Some("item_not_found")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// Where a started application opens: the prefill question when the form reads a register
/// and the citizen has not answered it for this item, else the first step (or where they were).
async fn first_page(req: &FormRequest, citizen: &CitizenPrincipal, reference: &str) -> FormOutcome {
    let Ok(Some(loaded)) = apps::load_mine(&req.ctx, citizen.id(), reference).await else { return req.failed() };
    let asks = !apps::prefill_fields(&loaded.item).is_empty();
    let decided = matches!(db::prefill_decision(&req.ctx.db, citizen.id(), &loaded.row.item_code).await, Ok(Some(_)));
    if asks && !decided {
        return FormOutcome::Redirect(format!("/applications/{reference}/prefill").into());
    }
    if asks && citizen.real_name_verified {
        // Agreed before: fill what is still empty (declined: nothing is read).
        if let Ok(Some((true, _))) = db::prefill_decision(&req.ctx.db, citizen.id(), &loaded.row.item_code).await {
            let mut answers = loaded.answers.clone();
            if let Ok(apps::PrefillOutcome::Filled) =
                apps::prefill(&req.ctx, citizen, &mut answers, &loaded.item, &req.request_id).await
            {
                if save(req, citizen, &loaded, &answers, loaded.row.step).await.is_err() {
                    return req.failed();
                }
            }
        }
    }
    let step = loaded.row.step.max(1);
    FormOutcome::Redirect(format!("/applications/{reference}/step/{step}").into())
}

/// The citizen's application named in the posted path, editable or not.
async fn mine(req: &FormRequest) -> Result<(CitizenPrincipal, Loaded), FormOutcome> {
    let citizen = signed_in(req).await?;
    match apps::load_mine(&req.ctx, citizen.id(), req.param("reference")).await {
        Ok(Some(loaded)) => Ok((citizen, loaded)),
        Ok(None) => Err(req.rerender(404, Vec::new(), Some("application_not_found"))),
        Err(_) => Err(req.failed()),
    }
}

async fn save(
    req: &FormRequest,
    citizen: &CitizenPrincipal,
    loaded: &Loaded,
    answers: &Answers,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let json = serde_json::to_string(answers).unwrap_or_else(|_| "{}".into());
    let now = req.ctx.clock.now();
    db::save_answers(
        &req.ctx.db,
        citizen.id(),
        loaded.row.id,
        &json,
        step,
        now,
        Some(now + apps::draft_lifetime(&req.ctx)),
    )
    .await
}

/// `POST /applications/{reference}/prefill`: agree (read the registers now, through the audited
/// gateway) or decline (type by hand). Asked once per item.
pub fn prefill(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let reference = loaded.row.reference.clone();
        let agreed = match req.field("decision").as_str() {
            "agree" => true,
            "decline" => false,
            _ => return req.rerender(400, vec![FieldError::new("decision", "required")], None),
        };
        let now = req.ctx.clock.now();
        if db::record_prefill_decision(&req.ctx.db, citizen.id(), &loaded.row.item_code, agreed, None, now)
            .await
            .is_err()
        {
            return req.failed();
        }
        let mut notice = "";
        if agreed && loaded.status.citizen_can_edit() {
            let mut answers = loaded.answers.clone();
            match apps::prefill(&req.ctx, &citizen, &mut answers, &loaded.item, &req.request_id).await {
                Ok(apps::PrefillOutcome::Filled) => {
                    if save(&req, &citizen, &loaded, &answers, 1).await.is_err() {
                        return req.failed();
                    }
                    notice = "?notice=prefilled";
                }
                Ok(apps::PrefillOutcome::Unavailable) => notice = "?notice=register_unavailable",
                Ok(apps::PrefillOutcome::Nothing) => notice = "?notice=prefill_needs_real_name",
                Err(crate::error::AppError::Unavailable) => notice = "?notice=register_unavailable",
                Err(err) => return req.failed_because(&err),
            }
        }
        FormOutcome::Redirect(format!("/applications/{reference}/step/1{notice}").into())
    })
}

/// What a step post asks for besides saving.
#[derive(Debug, Clone, PartialEq, Eq)]
enum StepAction {
    /// Check this step and go on.
    Continue,
    /// Keep the answers and leave (drafts are listed in 我的办件).
    SaveAndLeave,
    AddEntry,
    RemoveEntry(u16),
    /// Show the standard addresses for what an address field holds (its answer key).
    FindAddress(String),
    /// Take the address chosen among them (already in the answers: see `chosen_address`).
    UseAddress(String),
}

fn step_action(value: &str) -> StepAction {
    match value {
        "save" => StepAction::SaveAndLeave,
        "add" => StepAction::AddEntry,
        other => {
            if let Some(key) = other.strip_prefix("find:") {
                return StepAction::FindAddress(key.to_owned());
            }
            if let Some(key) = other.strip_prefix("pick:") {
                return StepAction::UseAddress(key.to_owned());
            }
            match other.strip_prefix("remove:").and_then(|i| i.parse().ok()) {
                Some(i) => StepAction::RemoveEntry(i),
                None => StepAction::Continue,
            }
        }
    }
}

/// The address chosen for the field `key` among the standard addresses the page offered
/// (`pick.<key>`; empty: keep what was typed). It is only text the citizen could have typed,
/// so it is checked like any answer.
fn chosen_address(req: &FormRequest, address_keys: &[String], key: &str) -> Option<String> {
    if !address_keys.iter().any(|k| k == key) {
        return None;
    }
    let pick = format!("pick.{key}");
    req.fields.iter().find(|(k, v)| *k == pick && !v.trim().is_empty()).map(|(_, v)| v.clone())
}

/// `POST /applications/{reference}/step/{n}`: saves what was typed whatever its state (nothing
/// typed is lost), then goes on, adds or removes a group entry, or leaves.
pub fn save_step(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let reference = loaded.row.reference.clone();
        if !loaded.status.citizen_can_edit() {
            return FormOutcome::Redirect(format!("/applications/{reference}").into());
        }
        let all = steps(&loaded.item.form);
        let number: usize = req.param("n").parse().unwrap_or(0);
        let Some(step) = number.checked_sub(1).and_then(|i| all.get(i)) else {
            return req.rerender(404, Vec::new(), Some("application_not_found"));
        };
        let address_keys: Vec<String> = step_fields(step, &loaded.answers)
            .into_iter()
            .filter(|(_, q)| q.kind == QuestionKind::Address)
            .map(|(key, _)| key)
            .collect();
        let mut answers = loaded.answers.clone();
        answers.take_posted(&step.questions, |key| {
            chosen_address(&req, &address_keys, key)
                .or_else(|| req.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
        });
        let action = step_action(&req.field("action"));
        let here = format!("/applications/{reference}/step/{number}");
        if step.kind == StepKind::Group {
            let group = step.questions[0];
            let len = answers.group_len(&group.id);
            match action {
                StepAction::AddEntry if group.max_items.is_none_or(|max| len < max) => {
                    answers.groups.insert(group.id.clone(), len + 1);
                }
                StepAction::RemoveEntry(i) => answers.remove_entry(group, i),
                _ => {}
            }
        }
        if save(&req, &citizen, &loaded, &answers, number as i64).await.is_err() {
            return req.failed();
        }
        match action {
            StepAction::AddEntry => {
                let added = answers.group_len(&step.questions[0].id).saturating_sub(1);
                let anchor = crate::applications::model::field_id(&format!("{}.{added}", step.questions[0].id));
                FormOutcome::Redirect(format!("{here}#{anchor}").into())
            }
            StepAction::RemoveEntry(_) => FormOutcome::Redirect(format!("{here}?notice=entry_removed").into()),
            StepAction::SaveAndLeave => FormOutcome::Redirect("/applications?notice=draft_saved".into()),
            StepAction::FindAddress(key) if address_keys.contains(&key) => {
                let anchor = crate::applications::model::field_id(&key);
                FormOutcome::Redirect(format!("{here}?address={key}#{anchor}-choices").into())
            }
            StepAction::UseAddress(key) if address_keys.contains(&key) => {
                let anchor = crate::applications::model::field_id(&key);
                FormOutcome::Redirect(format!("{here}?notice=address_chosen#{anchor}").into())
            }
            // A field this step does not have: saved, shown again.
            StepAction::FindAddress(_) | StepAction::UseAddress(_) => FormOutcome::Redirect(here.into()),
            StepAction::Continue => {
                let files = match db::files(&req.ctx.db, loaded.row.id).await {
                    Ok(files) => files,
                    Err(err) => return req.failed_because(&err),
                };
                let count = |slot: &str| files.iter().filter(|f| f.slot == slot).count();
                let errors = check_step(step, &answers, &count);
                if !errors.is_empty() {
                    return req.rerender(400, errors, None);
                }
                let next = if number < all.len() {
                    format!("/applications/{reference}/step/{}", number + 1)
                } else {
                    format!("/applications/{reference}/review")
                };
                FormOutcome::Redirect(next.into())
            }
        }
    })
}

/// `POST /applications/{reference}/review`: submits with the key the review page rendered, so
/// a double click, a retry or the same form posted again makes one application.
pub fn submit(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let reference = loaded.row.reference.clone();
        let key = req.field("submission_key");
        if !(16..=64).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return req.rerender(400, Vec::new(), Some("submission_stale"));
        }
        if loaded.row.submission_key.as_deref() == Some(key.as_str()) {
            return FormOutcome::Redirect(format!("/applications/{reference}?notice=submitted").into());
        }
        if !loaded.status.citizen_can_edit() {
            return FormOutcome::Redirect(format!("/applications/{reference}").into());
        }
        if req.field("declaration") != "yes" {
            return req.rerender(400, vec![FieldError::new("declaration", "declaration_required")], None);
        }
        let files = match db::files(&req.ctx.db, loaded.row.id).await {
            Ok(files) => files,
            Err(err) => return req.failed_because(&err),
        };
        let count = |slot: &str| files.iter().filter(|f| f.slot == slot).count();
        let problems = super::rules::check_form(&loaded.item.form, &loaded.answers, &count);
        if !problems.is_empty() {
            return req.rerender(400, Vec::new(), Some("answers_incomplete"));
        }
        let mut loaded = loaded;
        loaded.answers = without_unasked(&loaded.item.form, &loaded.answers);
        let email = match crate::accounts::server::citizens::by_id(&req.ctx.db, citizen.id()).await {
            Ok(Some(row)) => row.email,
            _ => return req.failed(),
        };
        let link = format!("{}/applications/{reference}", req.ctx.public_origin);
        // The number is only known inside the transaction: the mail names it through a
        // placeholder the submission fills.
        let (subject, body) =
            apps::status_mail(&loaded.item.name, apps::NUMBER_PLACEHOLDER, Status::Submitted.code(), &link);
        match apps::submit(&req.ctx, citizen.id(), &loaded, &key, Some((email.as_deref(), subject, body))).await {
            Ok(apps::Submitted::Now(_) | apps::Submitted::Before(_)) => {
                FormOutcome::Redirect(format!("/applications/{reference}?notice=submitted").into())
            }
            Ok(apps::Submitted::NotEditable) => FormOutcome::Redirect(format!("/applications/{reference}").into()),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// The answers without those to questions the form no longer asks given the other answers (a
/// condition changed after they were typed): what is submitted is what the citizen saw.
pub(crate) fn without_unasked(form: &crate::catalogue::model::FormDefinition, answers: &Answers) -> Answers {
    let mut kept = answers.clone();
    for q in &form.questions {
        if !is_asked(q, answers, "") {
            kept.values.retain(|k, _| k != &q.id && !k.starts_with(&format!("{}.", q.id)));
            kept.sources.remove(&q.id);
            if q.kind == QuestionKind::Group {
                kept.groups.remove(&q.id);
            }
        }
    }
    kept
}

/// `POST /applications/{reference}/withdraw`: before acceptance only.
pub fn withdraw(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let reference = loaded.row.reference.clone();
        if req.field("confirm") != "yes" {
            return req.rerender(400, vec![FieldError::new("confirm", "withdraw_confirm_required")], None);
        }
        match apps::change_status(&req.ctx, citizen.id(), &loaded, super::lifecycle::Action::Withdraw, "").await {
            Ok(true) => FormOutcome::Redirect(format!("/applications/{reference}?notice=withdrawn").into()),
            Ok(false) => req.rerender(409, Vec::new(), Some("cannot_withdraw")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /applications/{reference}/supplement`: the answer to a 补正 request (the files were
/// uploaded to the slots it names); a new revision, the clock running again.
pub fn supplement(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let reference = loaded.row.reference.clone();
        let note = req.field("note");
        if note.chars().count() > 1000 {
            return req.rerender(400, vec![FieldError::new("note", "too_long")], None);
        }
        let request = match db::open_supplement(&req.ctx.db, loaded.row.id).await {
            Ok(Some(request)) if loaded.status == Status::SupplementRequested => request,
            Ok(_) => return FormOutcome::Redirect(format!("/applications/{reference}").into()),
            Err(err) => return req.failed_because(&err),
        };
        let files = match db::files(&req.ctx.db, loaded.row.id).await {
            Ok(files) => files,
            Err(err) => return req.failed_because(&err),
        };
        let wanted: Vec<super::model::SupplementItem> = serde_json::from_str(&request.items).unwrap_or_default();
        let missing: Vec<FieldError> = wanted
            .iter()
            .filter(|item| {
                let slots = super::model::slots_for_material(&loaded.item.form, &item.material);
                !files.iter().any(|f| slots.contains(&f.slot.as_str()) && f.added_revision > loaded.row.revision)
            })
            .map(|item| FieldError::new(&format!("material-{}", item.material), "supplement_file_missing"))
            .collect();
        if !missing.is_empty() {
            return req.rerender(400, missing, None);
        }
        match apps::answer_supplement(&req.ctx, citizen.id(), &loaded, request.id, &note).await {
            Ok(true) => FormOutcome::Redirect(format!("/applications/{reference}?notice=supplemented").into()),
            Ok(false) => FormOutcome::Redirect(format!("/applications/{reference}").into()),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /applications/{reference}/rating`: 好差评, once, after completion.
pub fn rate(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let reference = loaded.row.reference.clone();
        let mut errors = Vec::new();
        let level: i64 = match req.field("level").parse() {
            Ok(level @ 1..=5) => level,
            _ => {
                errors.push(FieldError::new("level", "rating_level_required"));
                0
            }
        };
        let indicators: Vec<String> = req
            .fields
            .iter()
            .filter(|(k, v)| k == "indicator" && super::model::RATING_INDICATORS.contains(&v.as_str()))
            .map(|(_, v)| v.clone())
            .collect();
        let comment = req.field("comment");
        if comment.chars().count() > 500 {
            errors.push(FieldError::new("comment", "too_long"));
        }
        // A 差评 says what went wrong: at least one indicator.
        if (1..=2).contains(&level) && indicators.is_empty() {
            errors.push(FieldError::new("indicator", "rating_indicator_required"));
        }
        if !errors.is_empty() {
            return req.rerender(400, errors, None);
        }
        let now = req.ctx.clock.now();
        let ledger_due = if level <= crate::supervision::ledger::POOR_RATING {
            match crate::catalogue::server::work_calendar(&req.ctx.db).await {
                Ok(calendar) => Some(super::server::iso_day(
                    calendar.add_working_days(super::server::beijing_day(now), req.ctx.applications.rating_ledger_days),
                )),
                Err(err) => return req.failed_because(&err),
            }
        } else {
            None
        };
        let (indicators, comment) = (indicators.join(","), comment.trim());
        match db::rate(
            &req.ctx.db,
            citizen.id(),
            loaded.row.id,
            level,
            &indicators,
            comment,
            now,
            ledger_due.as_deref(),
        )
        .await
        {
            Ok(true) => FormOutcome::Redirect(format!("/applications/{reference}?notice=rated").into()),
            Ok(false) => req.rerender(409, Vec::new(), Some("cannot_rate")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// Lookups from one address: enough for a family, too few to walk the number space.
static PROGRESS_LOOKUPS: crate::platform::throttle::PerAddress =
    crate::platform::throttle::PerAddress::new(20, 15 * 60);

/// `POST /progress`: an application's progress by its number and the last four characters of
/// the applicant's ID number, without signing in. A wrong number and a wrong ID ending answer
/// alike, after the same work, so the form tells nobody which numbers exist.
pub fn progress(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let now = req.ctx.clock.now();
        if !PROGRESS_LOOKUPS.allows(req.client_ip, now) {
            return req.rerender(429, Vec::new(), Some("progress_throttled"));
        }
        let mut errors = Vec::new();
        let number = super::model::parse_application_number(&req.field("number"));
        if number.is_none() {
            errors.push(FieldError::new("number", "number_invalid_check"));
        }
        let last4 = crate::identifiers::normalize(&req.field("id_last4")).to_ascii_uppercase();
        if last4.len() != 4 || !last4.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
            errors.push(FieldError::new("id_last4", "id_last4_invalid"));
        }
        let Some(number) = number.filter(|_| errors.is_empty()) else { return req.rerender(400, errors, None) };
        match apps::public_progress(&req.ctx, &number, &last4).await {
            Ok(Some(found)) => req.show_with([("progress", found)]),
            Ok(None) => req.rerender(404, Vec::new(), Some("progress_not_found")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /applications/{reference}/files/remove`: takes off a file added since the last
/// submission (submitted files stay with the revision that carried them).
pub fn remove_file(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let Ok(file) = req.field("file").parse::<i64>() else {
            return req.rerender(400, Vec::new(), Some("file_not_found"));
        };
        match db::remove_file(&req.ctx.db, citizen.id(), loaded.row.id, file, req.ctx.clock.now()).await {
            Ok(true) => FormOutcome::Redirect(format!("{}?notice=file_removed", apps::files_page(&loaded)).into()),
            Ok(false) => req.rerender(404, Vec::new(), Some("file_not_found")),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// `POST /applications/{reference}/files/reuse`: attaches a file from 我的材料 (the citizen's
/// earlier, submitted applications) to a slot without uploading it again.
pub fn reuse_file(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (citizen, loaded) = or_return!(mine(&req).await);
        let slot = req.field("slot");
        match apps::slot_takes_files(&req.ctx, &loaded, &slot).await {
            Ok(true) => {}
            Ok(false) => return req.rerender(409, Vec::new(), Some("files_not_accepted")),
            Err(err) => return req.failed_because(&err),
        }
        let earlier = match db::my_earlier_files(&req.ctx.db, citizen.id(), loaded.row.id).await {
            Ok(files) => files,
            Err(err) => return req.failed_because(&err),
        };
        let Some(file) = req.field("file").parse::<i64>().ok().and_then(|id| earlier.into_iter().find(|f| f.id == id))
        else {
            return req.rerender(404, Vec::new(), Some("file_not_found"));
        };
        let new = db::NewFile {
            sha256: file.sha256,
            size: file.size,
            media_type: file.media_type,
            original_name: file.original_name,
            thumbnail: file.thumbnail,
            pages: file.pages,
        };
        let limits = (req.ctx.applications.files_per_slot, req.ctx.applications.bytes_per_application);
        match db::attach_files(&req.ctx.db, citizen.id(), loaded.row.id, &slot, &[new], limits, req.ctx.clock.now())
            .await
        {
            Ok(Ok(())) => FormOutcome::Redirect(format!("{}?notice=file_attached", apps::files_page(&loaded)).into()),
            Ok(Err(refusal)) => req.rerender(409, vec![FieldError::new(&slot, attach_refusal_code(refusal))], None),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// The field message code of a refused attachment.
pub fn attach_refusal_code(refusal: db::AttachRefusal) -> &'static str {
    match refusal {
        db::AttachRefusal::TooMany => "upload_too_many",
        db::AttachRefusal::Duplicate => "upload_duplicate",
        db::AttachRefusal::TotalTooLarge => "upload_total_too_large",
        db::AttachRefusal::NotEditable => "upload_not_editable",
    }
}
