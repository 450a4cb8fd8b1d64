//! The intake's form posts: identify the applicant and start (`/staff/intake`), save or submit
//! the one-page form (`/staff/intake/{reference}`), take a scanned file off. Only window clerks,
//! only for their department's services, only while the application is still a draft.

use super::intake_department;
use crate::accounts::server::auth::StaffPrincipal;
use crate::accounts::server::citizens::{self, CitizenRow};
use crate::accounts::StaffRole;
use crate::applications::model::{steps, Status};
use crate::applications::server::{self as apps, db as apps_db, Loaded};
use crate::catalogue::model::QuestionKind;
use crate::error::{AppError, FieldError};
use crate::identifiers::ResidentId;
use crate::platform::forms::{or_return, FormFuture, FormOutcome, FormRequest};
use crate::platform::AppContext;
use crate::sharing::server::{AccessError, Caller};

/// The window draft `reference` of the clerk's department with its applicant, or `None`.
pub async fn load(
    ctx: &AppContext,
    staff: &StaffPrincipal,
    reference: &str,
) -> Result<Option<(Loaded, CitizenRow)>, AppError> {
    let Some(department) = intake_department(staff) else { return Ok(None) };
    if !apps::is_reference(reference) {
        return Ok(None);
    }
    let Some((_, citizen_id)) =
        crate::cases::server::intake::draft_of_department(&ctx.db, &department, reference).await?
    else {
        return Ok(None);
    };
    let Some(loaded) = apps::load_mine(ctx, citizen_id, reference).await? else { return Ok(None) };
    let Some(citizen) = citizens::by_id(&ctx.db, citizen_id).await? else { return Ok(None) };
    Ok(Some((loaded, citizen)))
}

async fn clerk(req: &FormRequest) -> Result<StaffPrincipal, FormOutcome> {
    crate::accounts::staff_forms::staff_with_role(req, &[StaffRole::WindowClerk]).await
}

async fn draft(req: &FormRequest) -> Result<(StaffPrincipal, Loaded, CitizenRow), FormOutcome> {
    let staff = clerk(req).await?;
    match load(&req.ctx, &staff, req.param("reference")).await {
        Ok(Some((loaded, citizen))) => Ok((staff, loaded, citizen)),
        Ok(None) => Err(req.rerender(404, Vec::new(), None)),
        Err(_) => Err(req.failed()),
    }
}

/// `POST /staff/intake`: checks the applicant's name and ID number against the population
/// register, finds their account (or makes one at the hall), and starts the draft.
pub fn identify(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let staff = or_return!(clerk(&req).await);
        let Some(department) = intake_department(&staff) else {
            return req.rerender(403, Vec::new(), Some("staff_forbidden"));
        };
        let code = req.field("service");
        let name = req.field("name").trim().to_owned();
        let email = req.field("email").trim().to_lowercase();
        let mut errors = Vec::new();
        let snapshot = match req.ctx.catalogue.snapshot(&req.ctx.db).await {
            Ok(snapshot) => snapshot,
            Err(err) => return req.failed_because(&err),
        };
        let item = super::window_services(&snapshot, &department)
            .iter()
            .any(|(c, _)| *c == code)
            .then(|| snapshot.item(&code))
            .flatten();
        if item.is_none() {
            errors.push(FieldError::new("service", "service_required"));
        }
        if crate::accounts::validate::name(&name).is_err() {
            errors.push(FieldError::new("name", "name_required"));
        }
        let id = match ResidentId::parse(&req.field("id_number")) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(FieldError::new("id_number", e.code()));
                None
            }
        };
        if !email.is_empty() && crate::accounts::validate::email(&email).is_err() {
            errors.push(FieldError::new("email", "email_invalid"));
        }
        let phone = match crate::accounts::validate::phone(&req.field("phone")) {
            Ok(phone) => phone,
            Err(code) => {
                errors.push(FieldError::new("phone", code));
                None
            }
        };
        let (Some(item), Some(id), true) = (item, id, errors.is_empty()) else {
            return req.rerender(400, errors, None);
        };
        let caller = Caller {
            consumer: "cases.intake",
            actor: format!("staff:{}", staff.id()),
            request_id: req.request_id.clone(),
        };
        match req.ctx.shared.verify_identity(&caller, &id, &name).await {
            Ok(true) => {}
            Ok(false) => return req.rerender(400, vec![FieldError::new("id_number", "identity_mismatch")], None),
            Err(AccessError::NotFound) => {
                return req.rerender(400, vec![FieldError::new("id_number", "identity_not_found")], None)
            }
            Err(AccessError::Unavailable) => return req.rerender(503, Vec::new(), Some("identity_unavailable")),
            Err(err) => return req.failed_because(&err),
        }
        let Ok(citizen_id) =
            applicant_account(&req, &id, &name, (!email.is_empty()).then_some(email.as_str()), phone.as_deref()).await
        else {
            return req.failed();
        };
        let now = req.ctx.clock.now();
        let reference = apps::new_reference();
        let Ok(answers) = serde_json::to_string(&crate::applications::model::Answers::default()) else {
            return req.failed();
        };
        let draft = apps_db::NewDraft {
            reference: &reference,
            citizen_id,
            item_code: &item.content.code,
            item_version: item.version,
            answers: &answers,
            now,
            expires_at: now + apps::draft_lifetime(&req.ctx),
        };
        let audit = crate::cases::server::db::AuditEntry {
            at: now,
            staff_id: staff.id(),
            staff_role: staff.role.code().to_owned(),
            department_code: department,
            application_id: 0,
            action: "intake".to_owned(),
            outcome: "ok".to_owned(),
            detail: String::new(),
        };
        match crate::cases::server::intake::register(&req.ctx.db, &draft, staff.id(), &audit).await {
            Ok(_) => FormOutcome::Redirect(format!("/staff/intake/{reference}?notice=registered").into()),
            Err(err) => req.failed_because(&err),
        }
    })
}

/// The applicant's account: theirs if they have one, else one made at the hall (identified in
/// person, no password until they register online or reset it). Contact details another
/// account already holds are left off rather than refusing the applicant.
async fn applicant_account(
    req: &FormRequest,
    id: &ResidentId,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let secrets = &req.ctx.secrets;
    let id_ref = secrets.subject().person(id);
    if let Some(existing) = citizens::id_by_id_ref(&req.ctx.db, &id_ref).await? {
        return Ok(existing);
    }
    let sealed = secrets.cipher().encrypt(id.as_str());
    let masked = id.masked();
    let mut new = citizens::WindowCitizen {
        email,
        phone,
        name,
        id_number_sealed: &sealed,
        id_number_ref: &id_ref,
        id_number_masked: &masked,
        now: req.ctx.clock.now(),
    };
    match citizens::insert_at_window(&req.ctx.db, &new).await {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            // Made meanwhile by another window, or the contact details are someone else's.
            if let Some(existing) = citizens::id_by_id_ref(&req.ctx.db, &id_ref).await? {
                return Ok(existing);
            }
            new.email = None;
            new.phone = None;
            citizens::insert_at_window(&req.ctx.db, &new).await
        }
        other => other,
    }
}

/// What a button of the one-page form asks for.
enum IntakeAction {
    Save,
    Submit,
    AddEntry(String),
    RemoveEntry(String, u16),
}

fn intake_action(value: &str) -> IntakeAction {
    if let Some(group) = value.strip_prefix("add:") {
        return IntakeAction::AddEntry(group.to_owned());
    }
    if let Some((group, index)) = value.strip_prefix("remove:").and_then(|rest| rest.rsplit_once(':')) {
        if let Ok(index) = index.parse() {
            return IntakeAction::RemoveEntry(group.to_owned(), index);
        }
    }
    if value == "submit" {
        IntakeAction::Submit
    } else {
        IntakeAction::Save
    }
}

/// `POST /staff/intake/{reference}`: saves every answer on the page whatever its state, then adds
/// or removes a group entry, or submits: the application joins the department's queue.
pub fn save(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (staff, loaded, citizen) = or_return!(draft(&req).await);
        let reference = loaded.row.reference.clone();
        let here = format!("/staff/intake/{reference}");
        let form = &loaded.item.form;
        let mut answers = loaded.answers.clone();
        for step in steps(form) {
            answers
                .take_posted(&step.questions, |key| req.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()));
        }
        let group_named = |id: &str| form.questions.iter().find(|q| q.id == id && q.kind == QuestionKind::Group);
        let action = intake_action(&req.field("action"));
        match &action {
            IntakeAction::AddEntry(id) => {
                if let Some(group) = group_named(id) {
                    let len = answers.group_len(&group.id);
                    if group.max_items.is_none_or(|max| len < max) {
                        answers.groups.insert(group.id.clone(), len + 1);
                    }
                }
            }
            IntakeAction::RemoveEntry(id, index) => {
                if let Some(group) = group_named(id) {
                    answers.remove_entry(group, *index);
                }
            }
            IntakeAction::Save | IntakeAction::Submit => {}
        }
        let now = req.ctx.clock.now();
        let json = serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into());
        let expires = Some(now + apps::draft_lifetime(&req.ctx));
        match apps_db::save_answers(&req.ctx.db, citizen.id, loaded.row.id, &json, 1, now, expires).await {
            Ok(true) => {}
            Ok(false) => return req.rerender(409, Vec::new(), Some("not_allowed")),
            Err(err) => return req.failed_because(&err),
        }
        match action {
            IntakeAction::Save => FormOutcome::Redirect(format!("{here}?notice=saved").into()),
            IntakeAction::AddEntry(id) => {
                let added = answers.group_len(&id).saturating_sub(1);
                let anchor = crate::applications::model::field_id(&format!("{id}.{added}"));
                FormOutcome::Redirect(format!("{here}#{anchor}").into())
            }
            IntakeAction::RemoveEntry(..) => FormOutcome::Redirect(format!("{here}?notice=saved").into()),
            IntakeAction::Submit => submit(&req, &staff, loaded, &citizen, answers).await,
        }
    })
}

/// Submits what the clerk entered with the applicant's confirmation; the applicant is told as
/// after an online submission.
async fn submit(
    req: &FormRequest,
    staff: &StaffPrincipal,
    mut loaded: Loaded,
    citizen: &CitizenRow,
    answers: crate::applications::model::Answers,
) -> FormOutcome {
    let key = req.field("submission_key");
    if !(16..=64).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return req.rerender(400, Vec::new(), Some("conflict"));
    }
    let mut errors = Vec::new();
    if req.field("declaration") != "yes" {
        errors.push(FieldError::new("declaration", "declaration_required"));
    }
    let files = match apps_db::files(&req.ctx.db, loaded.row.id).await {
        Ok(files) => files,
        Err(err) => return req.failed_because(&err),
    };
    let count = |slot: &str| files.iter().filter(|f| f.slot == slot).count();
    errors.extend(
        crate::applications::rules::check_form(&loaded.item.form, &answers, &count).into_iter().map(|(_, e)| e),
    );
    if !errors.is_empty() {
        return req.rerender(400, errors, Some("intake_incomplete"));
    }
    loaded.answers = crate::applications::forms::without_unasked(&loaded.item.form, &answers);
    let reference = loaded.row.reference.clone();
    let link = format!("{}/applications/{reference}", req.ctx.public_origin);
    let (subject, body) =
        apps::status_mail(&loaded.item.name, apps::NUMBER_PLACEHOLDER, Status::Submitted.code(), &link);
    let notice = Some((citizen.email.as_deref(), subject, body));
    let number = match apps::submit(&req.ctx, citizen.id, &loaded, &key, notice).await {
        Ok(apps::Submitted::Now(number) | apps::Submitted::Before(number)) => number,
        Ok(apps::Submitted::NotEditable) => return req.rerender(409, Vec::new(), Some("not_allowed")),
        Err(err) => return req.failed_because(&err),
    };
    let audit = crate::cases::server::db::AuditEntry {
        at: req.ctx.clock.now(),
        staff_id: staff.id(),
        staff_role: staff.role.code().to_owned(),
        department_code: staff.department_code.clone().unwrap_or_default(),
        application_id: loaded.row.id,
        action: "intake_submit".to_owned(),
        outcome: "ok".to_owned(),
        detail: number.clone(),
    };
    if crate::cases::server::db::append(&req.ctx.db, &audit).await.is_err() {
        return req.failed();
    }
    FormOutcome::Redirect(format!("/staff/cases/{number}?done=intake").into())
}

/// `POST /staff/intake/{reference}/files/remove`: takes a scanned file off the draft.
pub fn remove_file(req: FormRequest) -> FormFuture {
    Box::pin(async move {
        let (_, loaded, citizen) = or_return!(draft(&req).await);
        let Ok(file) = req.field("file").parse::<i64>() else { return req.rerender(404, Vec::new(), None) };
        match apps_db::remove_file(&req.ctx.db, citizen.id, loaded.row.id, file, req.ctx.clock.now()).await {
            Ok(true) => {
                FormOutcome::Redirect(format!("/staff/intake/{}?notice=file_removed", loaded.row.reference).into())
            }
            Ok(false) => req.rerender(404, Vec::new(), None),
            Err(err) => req.failed_because(&err),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{intake_action, IntakeAction};

    #[test]
    fn buttons_name_their_group() {
        assert!(matches!(intake_action("add:members"), IntakeAction::AddEntry(g) if g == "members"));
        assert!(matches!(intake_action("remove:members:2"), IntakeAction::RemoveEntry(g, 2) if g == "members"));
        assert!(matches!(intake_action("remove:members:x"), IntakeAction::Save));
        assert!(matches!(intake_action("submit"), IntakeAction::Submit));
        assert!(matches!(intake_action("anything"), IntakeAction::Save));
    }
}
