//! Demo cases (`onestop seed-demo --with-cases`, never for a deployed portal): for the two
//! departments with the most services applied for online, a window clerk and a supervisor
//! (one-time set-up links, as for any new staff account) and applications in every state of
//! the lifecycle — some submitted weeks ago, so the queue has overdue cases — made through the
//! same code as real ones: drafts, uploaded files, submission, claim and decisions.

use super::{db, decide, load, DecisionInput, DecisionOutcome};
use crate::accounts::server::auth::StaffPrincipal;
use crate::accounts::server::citizens;
use crate::accounts::{CaseScope, StaffRole};
use crate::applications::lifecycle::Action;
use crate::applications::model::{entry_key, Answers, SupplementItem};
use crate::applications::server::{self as apps, db as apps_db};
use crate::catalogue::model::{Channel, ItemContent, Question, QuestionKind};
use crate::error::AppError;
use crate::platform::AppContext;

/// Someone of the population register a demo application is made for.
#[derive(Debug, Clone)]
pub struct DemoApplicant {
    pub id_number: String,
    pub name: String,
    pub household_address: String,
}

/// What was made: the staff accounts with their set-up links, and how many applications.
#[derive(Debug, Default)]
pub struct DemoCases {
    /// (username, role, department code, one-time set-up link).
    pub staff: Vec<(String, StaffRole, String, String)>,
    pub applications: usize,
    /// Seeded before: nothing was made.
    pub already: bool,
}

/// The states demo applications are taken to, each with the decisions that lead there from
/// "submitted", and how many days ago it was submitted.
const PATHS: &[(&[Action], i64)] = &[
    (&[], 0),
    (&[], 12),
    (&[Action::PassPrereview], 2),
    (&[Action::RequestSupplement], 3),
    (&[Action::Accept], 4),
    (&[Action::Accept], 90),
    (&[Action::NotAccept], 5),
    (&[Action::Accept, Action::Suspend], 6),
    (&[Action::Accept, Action::Approve], 8),
    (&[Action::Accept, Action::Deny], 9),
    (&[Action::Accept, Action::Approve, Action::Complete], 15),
    (&[Action::Accept, Action::Approve, Action::Complete], 20),
];

/// How many services per department get demo applications.
const ITEMS_PER_DEPARTMENT: usize = 2;

pub async fn seed(ctx: &AppContext, applicants: &[DemoApplicant]) -> Result<DemoCases, AppError> {
    let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
    let fillable: Vec<&ItemContent> = snapshot
        .items
        .iter()
        .map(|i| &*i.content)
        .filter(|c| c.channels.contains(&Channel::Online) && answers_for(c, &applicants[0]).is_some())
        .collect();
    let mut departments: Vec<(&str, usize)> = Vec::new();
    for item in &fillable {
        match departments.iter_mut().find(|(d, _)| *d == item.department) {
            Some((_, n)) => *n += 1,
            None => departments.push((&item.department, 1)),
        }
    }
    departments.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut report = DemoCases::default();
    let mut people = applicants.iter().cycle();
    for (department, _) in departments.into_iter().take(2) {
        let Some(clerk) = staff_account(ctx, department, StaffRole::WindowClerk, &mut report).await? else {
            return Ok(DemoCases { already: true, ..DemoCases::default() });
        };
        staff_account(ctx, department, StaffRole::Supervisor, &mut report).await?;
        let scope = CaseScope::Department(department.to_owned());
        for item in fillable.iter().filter(|i| i.department == department).take(ITEMS_PER_DEPARTMENT) {
            for (actions, days_ago) in PATHS {
                let applicant = people.next().ok_or(AppError::NotFound)?;
                application(ctx, &clerk, &scope, item, applicant, actions, *days_ago).await?;
                report.applications += 1;
            }
        }
    }
    Ok(report)
}

/// A pending staff account of the department with its set-up link; `None` when the demo account
/// exists already (seeded before).
async fn staff_account(
    ctx: &AppContext,
    department: &str,
    role: StaffRole,
    report: &mut DemoCases,
) -> Result<Option<StaffPrincipal>, AppError> {
    use crate::accounts::server::{hash_token, staff};
    use rand::RngCore;
    let kind = if role == StaffRole::Supervisor { "supervisor" } else { "clerk" };
    let username = format!("demo-{kind}-{department}");
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = ctx.clock.now();
    let display_name = format!("示例{}（{department}）", if role == StaffRole::Supervisor { "科长" } else { "窗口" });
    let created = staff::create(
        &ctx.db,
        &staff::NewStaff {
            username: &username,
            display_name: &display_name,
            role: role.code(),
            department_code: Some(department),
            token_hash: &hash_token(&token),
            now,
            expires_at: now + crate::accounts::server::SETUP_TOKEN_LIFETIME_SECS,
        },
    )
    .await;
    let id = match created {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let link = format!("{}/staff/setup?token={token}", ctx.public_origin);
    report.staff.push((username, role, department.to_owned(), link));
    crate::accounts::server::auth::principal_of_account(&ctx.db, id).await
}

/// One application of `applicant` for `item`, submitted `days_ago` and taken through `actions`
/// by the clerk.
async fn application(
    ctx: &AppContext,
    clerk: &StaffPrincipal,
    scope: &CaseScope,
    item: &ItemContent,
    applicant: &DemoApplicant,
    actions: &[Action],
    days_ago: i64,
) -> Result<(), AppError> {
    let answers = answers_for(item, applicant).ok_or(AppError::NotFound)?;
    // The seeding context's own clock, set back so deadlines and the timeline are as if it had
    // happened then.
    let ctx = AppContext::new(crate::platform::AppServices {
        clock: crate::platform::clock::Clock::system(),
        ..(**ctx).clone()
    });
    ctx.clock.advance(-days_ago * 86_400);
    let citizen_id = applicant_account(&ctx, applicant).await?;
    let reference = apps::new_reference();
    let published =
        ctx.catalogue.snapshot(&ctx.db).await?.item(&item.code).map(|i| i.version).ok_or(AppError::NotFound)?;
    let json = serde_json::to_string(&answers).map_err(|e| AppError::internal(&e))?;
    let now = ctx.clock.now();
    apps_db::insert_draft(
        &ctx.db,
        &apps_db::NewDraft {
            reference: &reference,
            citizen_id,
            item_code: &item.code,
            item_version: published,
            answers: &json,
            now,
            expires_at: now + apps::draft_lifetime(&ctx),
        },
    )
    .await?;
    let loaded = apps::load_mine(&ctx, citizen_id, &reference).await?.ok_or(AppError::NotFound)?;
    for q in item.form.questions.iter().filter(|q| q.kind == QuestionKind::File) {
        attach_sample(&ctx, citizen_id, loaded.row.id, q).await?;
    }
    let key = apps::new_reference();
    let number = match apps::submit(&ctx, citizen_id, &loaded, &key, None).await? {
        apps::Submitted::Now(n) | apps::Submitted::Before(n) => n,
        apps::Submitted::NotEditable => return Err(AppError::internal(&"a demo draft could not be submitted")),
    };
    if actions.is_empty() {
        return Ok(());
    }
    ctx.clock.advance(3600);
    let case = load(&ctx, scope, &number).await?.ok_or(AppError::NotFound)?;
    let audit = super::audit_entry(&ctx, clerk, &case, "claim", "");
    db::claim(&ctx.db, scope, case.row.id, clerk.id(), ctx.clock.now(), &audit).await?;
    for action in actions {
        ctx.clock.advance(86_400);
        let case = load(&ctx, scope, &number).await?.ok_or(AppError::NotFound)?;
        let input = DecisionInput {
            reason: if action.needs_reason() {
                "（演示）材料与申请条件不符".to_owned()
            } else {
                String::new()
            },
            appeal: if *action == Action::NotAccept {
                "如不服本决定，可在六十日内申请行政复议，或在六个月内提起行政诉讼。".to_owned()
            } else {
                String::new()
            },
            items: match (action, item.materials.first()) {
                (Action::RequestSupplement, Some(m)) => {
                    vec![SupplementItem {
                        material: m.id.clone(),
                        reason: "（演示）复印件不清晰，请重新上传".to_owned(),
                    }]
                }
                _ => Vec::new(),
            },
            read_at: case.row.updated_at,
        };
        match decide(&ctx, clerk, scope, &case, *action, &input).await? {
            DecisionOutcome::Done => {}
            other => return Err(AppError::internal(&format!("demo decision {action:?}: {other:?}"))),
        }
    }
    Ok(())
}

/// The applicant's account, or one made at the hall (no password) for the demo.
async fn applicant_account(ctx: &AppContext, applicant: &DemoApplicant) -> Result<i64, AppError> {
    let id = crate::identifiers::ResidentId::parse(&applicant.id_number)
        .map_err(|_| AppError::internal(&"a demo applicant's ID number is invalid"))?;
    let id_ref = ctx.secrets.subject().person(&id);
    if let Some(existing) = citizens::id_by_id_ref(&ctx.db, &id_ref).await? {
        return Ok(existing);
    }
    let sealed = ctx.secrets.cipher().encrypt(id.as_str());
    let masked = id.masked();
    let new = citizens::WindowCitizen {
        email: None,
        phone: None,
        name: &applicant.name,
        id_number_sealed: &sealed,
        id_number_ref: &id_ref,
        id_number_masked: &masked,
        now: ctx.clock.now(),
    };
    Ok(citizens::insert_at_window(&ctx.db, &new).await?)
}

/// A one-page PDF named after the file question, stored and attached like an upload.
async fn attach_sample(ctx: &AppContext, citizen_id: i64, application_id: i64, q: &Question) -> Result<(), AppError> {
    let name = format!("{}.pdf", q.label.zh);
    let bytes = bytes::Bytes::from(sample_pdf(&format!("demo {} {application_id}", q.id)));
    let stream = futures_util::stream::once(async move { Ok::<_, crate::platform::files::UploadRefusal>(bytes) });
    let received = ctx
        .files
        .receive(stream, &name, 1024 * 1024)
        .await
        .map_err(|r| AppError::internal(&format!("a demo file was refused: {}", r.code())))?;
    let file = apps_db::NewFile {
        pages: Some(1),
        sha256: received.sha256,
        size: i64::try_from(received.size).unwrap_or(i64::MAX),
        media_type: received.media_type.mime().to_owned(),
        original_name: received.original_name,
        thumbnail: received.thumbnail,
    };
    let limits = (ctx.applications.files_per_slot, ctx.applications.bytes_per_application);
    apps_db::attach_files(&ctx.db, citizen_id, application_id, &q.id, &[file], limits, ctx.clock.now())
        .await?
        .map_err(|_| AppError::internal(&"a demo file could not be attached"))
}

/// A small valid one-page PDF whose text makes its content (and hash) unique.
pub fn sample_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 72 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1));
    out.into_bytes()
}

/// Answers to every question of the item's form as the applicant would give them (the first
/// choice, the lowest allowed number, their name, ID number and address where asked), or `None`
/// when the form's rules would still find something missing.
pub fn answers_for(item: &ItemContent, applicant: &DemoApplicant) -> Option<Answers> {
    let mut answers = Answers::default();
    let form = &item.form;
    for q in &form.questions {
        match q.kind {
            QuestionKind::File => {}
            QuestionKind::Group => {
                let entries = q.min_items.unwrap_or(1).max(1);
                answers.groups.insert(q.id.clone(), entries);
                for index in 0..entries {
                    for inner in &q.questions {
                        answers.values.insert(entry_key(&q.id, index, &inner.id), answer(inner, applicant));
                    }
                }
            }
            _ => {
                answers.values.insert(q.id.clone(), answer(q, applicant));
            }
        }
    }
    // Every file question gets a sample file.
    let files_present = |_: &str| 1;
    crate::applications::rules::check_form(form, &answers, &files_present).is_empty().then_some(answers)
}

fn answer(q: &Question, applicant: &DemoApplicant) -> String {
    let label = &q.label.zh;
    let asks = |field: &str| q.prefill.as_deref().is_some_and(|p| p.ends_with(field));
    match q.kind {
        QuestionKind::IdNumber => applicant.id_number.clone(),
        QuestionKind::Choice => q.options.first().map(|o| o.value.clone()).unwrap_or_default(),
        QuestionKind::Date => "2026-11-02".to_owned(),
        QuestionKind::Phone => "13800000000".to_owned(),
        QuestionKind::Number => {
            let low = q.min.unwrap_or(1.0);
            format!("{}", q.max.map_or(low, |max| low.min(max)))
        }
        QuestionKind::Address => applicant.household_address.clone(),
        _ if asks("name") || label.contains("姓名") => applicant.name.clone(),
        _ if asks("address") || label.contains("地址") => applicant.household_address.clone(),
        _ => {
            let text = format!("（演示）{label}");
            match q.max_length {
                Some(max) => text.chars().take(max as usize).collect(),
                None => text,
            }
        }
    }
}
