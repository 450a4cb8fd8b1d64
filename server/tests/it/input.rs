//! Text entering and leaving the portal. Every field of every form route (found on the pages
//! themselves, so a new form is covered without touching this file) gets hostile markup, which
//! must come back escaped; and control characters in any field, page address or server-function
//! argument are refused at the boundary: 400, a message, nothing stored, on both databases.

use crate::accounts::{Browser, PASSWORD};
use crate::catalogue::{edited, html_unescape, NEWBORN};
use crate::on_both_backends;
use crate::registers::ZHANG_WEI;
use crate::staff::{set_up, sign_in, Staff};
use crate::support::{body_text, TestApp};
use app::accounts::StaffRole;
use app::platform::Backend;
use axum::body::Body;
use axum::http::{Request, Response};
use leptos::server_fn::axum::server_fn_paths;
use std::collections::BTreeMap;

const CITIZEN_EMAIL: &str = "zhang.wei@example.cn";

/// Who can reach a form.
#[derive(Clone, Copy, Debug)]
enum Who {
    Anyone,
    Citizen,
    /// The catalogue, the calendar and their own password.
    SystemAdmin,
    /// Staff accounts.
    SecurityAdmin,
    /// The window console.
    Clerk,
    /// The console's assignment.
    Supervisor,
}

fn who_posts(route: &str) -> Who {
    match route {
        r if r.starts_with("/account") || r.starts_with("/applications") || r.starts_with("/gas") => Who::Citizen,
        r if r.starts_with("/library") => Who::Citizen,
        r if r.ends_with("/apply") => Who::Citizen,
        "/staff/setup" | "/staff/login" => Who::Anyone,
        r if r.starts_with("/staff/accounts") => Who::SecurityAdmin,
        r if r.starts_with("/staff/cases") && r.ends_with("/assign") => Who::Supervisor,
        r if r.starts_with("/staff/supervision") => Who::Supervisor,
        r if r.starts_with("/staff/cases") || r.starts_with("/staff/intake") => Who::Clerk,
        r if r.starts_with("/staff") => Who::SystemAdmin,
        _ => Who::Anyone,
    }
}

/// One browser per kind of visitor, each with its own session.
struct Visitors<'a> {
    anyone: Browser<'a>,
    citizen: Browser<'a>,
    admin: Staff<'a>,
    security: Staff<'a>,
    clerk: Staff<'a>,
    supervisor: Staff<'a>,
}

impl<'a> Visitors<'a> {
    async fn new(app: &'a TestApp) -> Visitors<'a> {
        let mut citizen = Browser::new(app);
        assert_eq!(citizen.register("张伟", ZHANG_WEI, CITIZEN_EMAIL).await.status(), 303);
        let mut admin = set_up(app, "sysadmin", StaffRole::SystemAdmin).await;
        sign_in(&mut admin, "sysadmin").await;
        let mut security = set_up(app, "secadmin", StaffRole::SecurityAdmin).await;
        sign_in(&mut security, "secadmin").await;
        let clerk = crate::cases::case_worker(app, "clerk", StaffRole::WindowClerk, Some("civil-affairs")).await;
        let supervisor = crate::cases::case_worker(app, "head", StaffRole::Supervisor, Some("civil-affairs")).await;
        Visitors { anyone: Browser::new(app), citizen, admin, security, clerk, supervisor }
    }

    async fn get(&mut self, who: Who, uri: &str) -> Response<Body> {
        match who {
            Who::Anyone => self.anyone.get(uri).await,
            Who::Citizen => self.citizen.get(uri).await,
            Who::SystemAdmin => self.admin.get(uri).await,
            Who::SecurityAdmin => self.security.get(uri).await,
            Who::Clerk => self.clerk.get(uri).await,
            Who::Supervisor => self.supervisor.get(uri).await,
        }
    }

    async fn post(&mut self, who: Who, uri: &str, form: &[(&str, &str)]) -> Response<Body> {
        match who {
            Who::Anyone => self.anyone.post(uri, form).await,
            Who::Citizen => self.citizen.post(uri, form).await,
            Who::SystemAdmin => self.admin.post(uri, form).await,
            Who::SecurityAdmin => self.security.post(uri, form).await,
            Who::Clerk => self.clerk.post(uri, form).await,
            Who::Supervisor => self.supervisor.post(uri, form).await,
        }
    }
}

/// A control of a form: its name and what it is (`input:text`, `textarea`, `select`, …).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Control {
    name: String,
    kind: String,
}

/// An attribute of a start tag as Leptos writes it (double-quoted, escaped).
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next().map(html_unescape)
}

/// The forms on a page: action → its named controls.
fn forms_on(html: &str) -> Vec<(String, Vec<Control>)> {
    let mut forms = Vec::new();
    for (start, _) in html.match_indices("<form") {
        let rest = &html[start..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let Some(action) = attr(tag, "action") else { continue };
        let inner = &rest[..rest.find("</form>").unwrap_or(rest.len())];
        let mut controls = Vec::new();
        for element in ["input", "textarea", "select", "button"] {
            for (at, _) in inner.match_indices(&format!("<{element}")) {
                let tag = &inner[at..at + inner[at..].find('>').unwrap_or(inner.len() - at)];
                if let Some(name) = attr(tag, "name") {
                    let hidden = tag.contains(" hidden ") || tag.ends_with(" hidden") || tag.ends_with(" hidden/");
                    let kind = match attr(tag, "type") {
                        _ if hidden => "input:hidden".to_owned(),
                        Some(t) if element == "input" => format!("input:{t}"),
                        _ => element.to_owned(),
                    };
                    controls.push(Control { name, kind });
                }
            }
        }
        forms.push((action, controls));
    }
    forms
}

/// Every form route with the controls its pages draw, collected by visiting the pages (and the
/// steps that reveal the forms shown only on the way: a code sent, the password re-entered).
/// Whether a form's action is an address of the route `pattern` (`{name}` matches one segment).
fn action_matches(pattern: &str, action: &str) -> bool {
    let (p, a): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), action.split('/').collect());
    p.len() == a.len() && p.iter().zip(&a).all(|(p, a)| (p.starts_with('{') && !a.is_empty()) || p == a)
}

/// The booking form (for the now real-name verified citizen), a booking's page with its cancel
/// form, the doctor's page with the waiting list of the day once every number is taken, and
/// my bookings with the offer (accept, decline) once someone else cancels.
async fn hospital_pages(app: &TestApp, visitors: &mut Visitors<'_>, pages: &mut Vec<String>) {
    let doctor_page = "/hospitals/H01/departments/H01-D01/doctors/H01-D01-R04";
    let doctor = body_text(visitors.get(Who::Anyone, doctor_page).await).await;
    let book = doctor
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains("/book?slot="))
        .last()
        .expect("a free slot")
        .replace("&amp;", "&");
    let res = visitors.get(Who::Citizen, &book).await;
    assert_eq!(res.status(), 200, "{book}");
    let html = body_text(res).await;
    let value = |name: &str| {
        let at = html.find(&format!("name=\"{name}\" value=\"")).expect("hidden field") + name.len() + 15;
        html[at..].split('"').next().expect("value").to_owned()
    };
    let (slot, key) = (value("slot"), value("key"));
    pages.push(html);
    let path = book.split('?').next().expect("path");
    let res = visitors.post(Who::Citizen, path, &[("slot", &slot), ("key", &key), ("notice", "yes")]).await;
    assert_eq!(res.status(), 303, "booked");
    let to = res.headers()["location"].to_str().expect("location").to_owned();
    pages.push(body_text(visitors.get(Who::Citizen, &to).await).await);

    let (day, others) = crate::hospitals::fill_day(app, slot.parse().expect("slot id"), false).await;
    let html = body_text(visitors.get(Who::Citizen, doctor_page).await).await;
    assert!(html.contains(&format!("name=\"day\" value=\"{day}\"")), "the day's waiting list");
    pages.push(html);
    let res =
        visitors.post(Who::Citizen, &format!("{doctor_page}/waitlist"), &[("day", &day), ("notice", "yes")]).await;
    assert_eq!(res.status(), 303, "waiting");
    crate::hospitals::cancel_on_platform(app, &others[0]).await;
    let html = body_text(visitors.get(Who::Citizen, "/hospitals/bookings").await).await;
    assert!(html.contains("/accept\"") && html.contains("/leave\""), "the offer's forms");
    pages.push(html);
}

/// The gas accounts page with the bind forms, and an account's page (reading, unbind) after the
/// now real-name verified citizen bound one.
async fn gas_pages(visitors: &mut Visitors<'_>, pages: &mut Vec<String>) {
    let (holder, _, account_no) = crate::gas::GAS_PEOPLE[0];
    pages.push(body_text(visitors.get(Who::Citizen, "/gas").await).await);
    let form = [("method", "number"), ("account_no", account_no), ("holder_name", holder)];
    assert_eq!(visitors.post(Who::Citizen, "/gas/bind", &form).await.status(), 303, "bound");
    let res = visitors.get(Who::Citizen, &format!("/gas/accounts/{account_no}")).await;
    assert_eq!(res.status(), 200);
    pages.push(body_text(res).await);
}

/// My library with the bind form, then with the card bound (renew, unbind), and a record's page
/// with the reserve form for a copy on the shelf.
async fn library_pages(app: &TestApp, visitors: &mut Visitors<'_>, pages: &mut Vec<String>) {
    use app::library::LibraryProvider;
    let (_, _, card, pin) = crate::library::LIBRARY_READERS[0];
    pages.push(body_text(visitors.get(Who::Citizen, "/library/my").await).await);
    let res = visitors.post(Who::Citizen, "/library/my/bind", &[("card_no", card), ("pin", pin)]).await;
    assert_eq!(res.status(), 303, "bound");
    let res = visitors.get(Who::Citizen, "/library/my").await;
    assert_eq!(res.status(), 200);
    pages.push(body_text(res).await);
    let provider = app.ctx.library.provider().expect("a library");
    for n in 1..200 {
        let record_ids = vec![format!("gen-{n:06}")];
        let items = provider.holdings(&app::library::contract::HoldingsRequest { record_ids }).await.expect("holdings");
        if items.iter().any(|i| i.status == app::library::contract::ItemStatus::OnShelf) {
            pages.push(body_text(visitors.get(Who::Citizen, &format!("/library/records/gen-{n:06}")).await).await);
            return;
        }
    }
    panic!("no copy on the shelf to reserve");
}

/// A stop's page with its save form, and the bus page listing the saved stop with its remove
/// form.
async fn bus_pages(app: &TestApp, visitors: &mut Visitors<'_>, pages: &mut Vec<String>) {
    let (stop, _) = crate::bus::install_demo_buses(app);
    pages.push(body_text(visitors.get(Who::Citizen, &format!("/bus/stops/{stop}")).await).await);
    let res = visitors.post(Who::Citizen, &format!("/bus/stops/{stop}/favourite"), &[]).await;
    assert_eq!(res.status(), 303, "saved");
    pages.push(body_text(visitors.get(Who::Citizen, "/bus").await).await);
}

async fn form_routes(app: &TestApp, visitors: &mut Visitors<'_>) -> BTreeMap<&'static str, (String, Vec<Control>)> {
    let setup_token = app::accounts::server::create_admin(&app.db, "newauditor", "新审计员", StaffRole::AuditAdmin)
        .await
        .expect("token")
        .token;
    let mut pages: Vec<String> = Vec::new();
    for (who, uri) in [
        (Who::Anyone, "/".to_owned()),
        (Who::Anyone, "/register".to_owned()),
        (Who::Anyone, "/login".to_owned()),
        (Who::Anyone, "/login/unlock".to_owned()),
        (Who::Anyone, "/password-reset".to_owned()),
        (Who::Anyone, "/password-reset/new?token=abc".to_owned()),
        (Who::Anyone, "/staff/login".to_owned()),
        (Who::Anyone, format!("/staff/setup?token={setup_token}")),
        (Who::Citizen, "/account".to_owned()),
        (Who::Citizen, "/account/profile".to_owned()),
        (Who::Citizen, "/account/security".to_owned()),
        (Who::Citizen, "/account/business".to_owned()),
        (Who::Citizen, "/account/data".to_owned()),
        (Who::Citizen, "/account/verify-email?token=abc".to_owned()),
        (Who::Citizen, "/account/contact".to_owned()),
        (Who::SystemAdmin, "/staff/services".to_owned()),
        (Who::SystemAdmin, format!("/staff/services/edit?code={NEWBORN}")),
        (Who::SystemAdmin, "/staff/calendar?from=2026-02-12&days=20".to_owned()),
        (Who::SystemAdmin, "/staff/password".to_owned()),
        (Who::SecurityAdmin, "/staff/accounts".to_owned()),
    ] {
        let res = visitors.get(who, &uri).await;
        assert_eq!(res.status(), 200, "{uri}");
        pages.push(body_text(res).await);
    }
    // Forms shown only after a step: ending another session (once there is one), linking a
    // company (after real-name verification), the unlock code, the contact changes and their code.
    let editor = body_text(visitors.get(Who::SystemAdmin, &format!("/staff/services/edit?code={NEWBORN}")).await).await;
    let res = visitors
        .post(Who::SystemAdmin, "/staff/services/edit", &[("content", &editor_document(&editor)), ("action", "save")])
        .await;
    assert_eq!(res.status(), 303, "a new version, to be published");
    pages.push(body_text(visitors.get(Who::SystemAdmin, "/staff/services").await).await);
    let mut elsewhere = Browser::new(app);
    let res = elsewhere.post("/login", &[("identifier", CITIZEN_EMAIL), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), 303);
    pages.push(body_text(visitors.get(Who::Citizen, "/account/security").await).await);
    assert_eq!(visitors.post(Who::Citizen, "/account/real-name", &[]).await.status(), 303);
    pages.push(body_text(visitors.get(Who::Citizen, "/account/business").await).await);
    let res = visitors.post(Who::Anyone, "/login/unlock", &[("email", CITIZEN_EMAIL)]).await;
    pages.push(body_text(res).await);
    let res = visitors.post(Who::Citizen, "/account/contact/confirm", &[("password", PASSWORD)]).await;
    assert_eq!(res.status(), 303, "the password re-entered");
    pages.push(body_text(visitors.get(Who::Citizen, "/account/contact").await).await);
    let res = visitors.post(Who::Citizen, "/account/contact/email", &[("new_email", "zhang.wei@example.org")]).await;
    pages.push(body_text(res).await);
    application_pages(app, visitors, &mut pages).await;
    hospital_pages(app, visitors, &mut pages).await;
    gas_pages(visitors, &mut pages).await;
    library_pages(app, visitors, &mut pages).await;
    bus_pages(app, visitors, &mut pages).await;

    let mut routes: BTreeMap<&'static str, (String, Vec<Control>)> = BTreeMap::new();
    for (path, _, _) in app::app::form_routes() {
        let forms: Vec<(String, Vec<Control>)> =
            pages.iter().flat_map(|html| forms_on(html)).filter(|(action, _)| action_matches(path, action)).collect();
        let Some(action) = forms.first().map(|(action, _)| action.clone()) else {
            panic!("no page visited here shows the form posting to {path}: add the page (or the step) that does")
        };
        let mut controls: Vec<Control> = forms.into_iter().flat_map(|(_, controls)| controls).collect();
        controls.sort();
        controls.dedup();
        routes.insert(path, (action, controls));
    }
    routes
}

/// The pages of an application in each state that shows a form: start, prefill question, the
/// steps, check your answers, the case page (withdrawal), the 补正 page, rating, progress lookup.
async fn application_pages(app: &TestApp, visitors: &mut Visitors<'_>, pages: &mut Vec<String>) {
    use crate::applications::{fill_low_income, LOW_INCOME};
    for uri in [format!("/services/{LOW_INCOME}/apply"), "/progress".to_owned()] {
        let res = visitors.get(Who::Anyone, &uri).await;
        assert_eq!(res.status(), 200, "{uri}");
        pages.push(body_text(res).await);
    }
    let reference = fill_low_income(&mut visitors.citizen).await;
    for page in ["prefill", "step/1", "step/2", "step/3", "review"] {
        let res = visitors.get(Who::Citizen, &format!("/applications/{reference}/{page}")).await;
        assert_eq!(res.status(), 200, "{page}");
        pages.push(body_text(res).await);
    }
    let review = pages.last().cloned().unwrap_or_default();
    let key =
        review.split("name=\"submission_key\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_default();
    let form = [("submission_key", key), ("declaration", "yes")];
    assert_eq!(visitors.post(Who::Citizen, &format!("/applications/{reference}/review"), &form).await.status(), 303);
    pages.push(body_text(visitors.get(Who::Citizen, &format!("/applications/{reference}")).await).await);
    // The clerk's case page, before and after claiming it (claim, release, decisions, notes, the
    // checklist).
    let number: String = sqlx::query_scalar("SELECT number FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.db.pool())
        .await
        .expect("number");
    let case = format!("/staff/cases/{number}");
    pages.push(body_text(visitors.get(Who::Clerk, &case).await).await);
    assert_eq!(visitors.post(Who::Clerk, &format!("{case}/claim"), &[]).await.status(), 303);
    pages.push(body_text(visitors.get(Who::Clerk, &case).await).await);
    // A supervisor's view of it (assignment).
    pages.push(body_text(visitors.get(Who::Supervisor, &case).await).await);
    // Window intake: the identification form, then the one-page form with a scanned file on it.
    pages.push(body_text(visitors.get(Who::Clerk, "/staff/intake").await).await);
    let walk_in = [("service", LOW_INCOME), ("name", "王建国"), ("id_number", crate::registers::WANG_JIANGUO)];
    let res = visitors.post(Who::Clerk, "/staff/intake", &walk_in).await;
    assert_eq!(res.status(), 303, "a walk-in application registered");
    let intake = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let intake = intake.split('?').next().unwrap_or_default().to_owned();
    let scan = crate::applications::pdf("walk-in");
    let res = visitors
        .clerk
        .post_files(&format!("{intake}/files?slot=authorisation_scan"), &[("file", "扫描件.pdf", &scan)])
        .await;
    assert_eq!(res.status(), 303, "a scan uploaded");
    pages.push(body_text(visitors.get(Who::Clerk, &intake).await).await);
    // The supervisors' dashboard, with an export request of someone else to approve.
    sqlx::query(
        "INSERT INTO supervision_exports (department_code, period, requested_by, requested_at) \
         SELECT 'civil-affairs', '30d', id, $1 FROM staff_accounts WHERE username = 'clerk'",
    )
    .bind(app.clock.now())
    .execute(app.db.pool())
    .await
    .expect("an export request");
    pages.push(body_text(visitors.get(Who::Supervisor, "/staff/supervision").await).await);
    // A second application of the same service: its materials step offers the files of the first.
    let res = visitors.post(Who::Citizen, &format!("/services/{LOW_INCOME}/apply"), &[]).await;
    let second = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let second = second.trim_start_matches("/applications/").split('/').next().unwrap_or_default().to_owned();
    let materials = body_text(visitors.get(Who::Citizen, &format!("/applications/{second}/step/3")).await).await;
    assert!(materials.contains("/files/reuse"), "我的材料 offers the earlier file");
    pages.push(materials);
    let (id, citizen): (i64, i64) = sqlx::query_as("SELECT id, citizen_id FROM applications WHERE reference = $1")
        .bind(&reference)
        .fetch_one(app.db.pool())
        .await
        .expect("application");
    let items = r#"[{"material":"income_statement","reason":"近6个月"}]"#;
    assert!(app::applications::server::db::request_supplement(&app.db, citizen, id, items, "", 1, None)
        .await
        .expect("request"));
    pages.push(body_text(visitors.get(Who::Citizen, &format!("/applications/{reference}/supplement")).await).await);
    sqlx::query("UPDATE applications SET status = 'completed', closed_at = 1 WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await
        .expect("complete");
    pages.push(body_text(visitors.get(Who::Citizen, &format!("/applications/{reference}")).await).await);
    // A poor rating opens a ledger entry, which supervisors work on its page.
    let rated = app::applications::server::db::rate(&app.db, citizen, id, 1, "efficiency", "", 2, Some("2026-12-31"))
        .await
        .expect("rate");
    assert!(rated);
    let entry: i64 = sqlx::query_scalar("SELECT id FROM rating_ledger WHERE application_id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .expect("ledger entry");
    let page = visitors.get(Who::Supervisor, &format!("/staff/supervision/ratings/{entry}")).await;
    pages.push(body_text(page).await);
}

/// The text in the editor's box, as the browser takes it.
fn editor_document(html: &str) -> String {
    html.split("name=\"content\"")
        .nth(1)
        .and_then(|r| r.split_once('>'))
        .and_then(|(_, r)| r.split("</textarea>").next())
        .map(html_unescape)
        .expect("the document in the editor")
}

/// Routes whose post may end the visitor's session; they go last.
fn ends_session(route: &str) -> bool {
    matches!(route, "/logout" | "/account/sign-out-everywhere" | "/account/cancel")
}

fn ordered(routes: &BTreeMap<&'static str, (String, Vec<Control>)>) -> Vec<(&'static str, String, Vec<Control>)> {
    let mut list: Vec<_> = routes.iter().map(|(r, (a, c))| (*r, a.clone(), c.clone())).collect();
    list.sort_by_key(|(route, _, _)| ends_session(route));
    list
}

/// Markup that tries to leave every context it may land in: a text box, an attribute in either
/// quotes, the title, style and script, a comment, CDATA.
pub(crate) const HOSTILE: [&str; 4] = [
    "</textarea><h1 id=pwn>x</h1><img src=x onerror=alert(1)>",
    "\"><script>alert(1)</script>'><h1 id=pwn>x</h1>",
    "</title></style></script><h1 id=pwn>x</h1>",
    "]]><!--><h1 id=pwn>x</h1><![CDATA[x",
];

/// What appears in a page only if hostile markup got out unescaped.
pub(crate) fn injected(html: &str) -> Option<&'static str> {
    ["<h1 id=pwn", "<img src=x", "<script>alert", "<![CDATA["].into_iter().find(|m| html.contains(m))
}

#[tokio::test]
async fn hostile_markup_in_every_field_of_every_form_comes_back_escaped() {
    let app = crate::library::app_with_small_library(Backend::Sqlite).await;
    let mut visitors = Visitors::new(&app).await;
    let routes = form_routes(&app, &mut visitors).await;
    // Multi-line fields are declared once, and they are exactly the text boxes.
    for (route, (_, controls)) in &routes {
        for c in controls.iter().filter(|c| c.kind == "textarea") {
            assert!(app::app::is_multi_line(route, &c.name), "{route} {} is not in MULTI_LINE_FIELDS", c.name);
        }
    }
    for (route, field) in app::app::multi_line_fields() {
        let controls = routes.get(route).map(|(_, c)| c.as_slice()).unwrap_or_default();
        assert!(controls.iter().any(|c| c.name == *field && c.kind == "textarea"), "{route} {field} is no text box");
    }
    let mut reflected = Vec::new();
    for (route, action, controls) in ordered(&routes) {
        let who = who_posts(route);
        for hostile in HOSTILE {
            let form: Vec<(&str, &str)> = controls.iter().map(|c| (c.name.as_str(), hostile)).collect();
            let res = visitors.post(who, &action, &form).await;
            let status = res.status().as_u16();
            assert!(status < 500, "{route} answered {status}");
            let html = body_text(res).await;
            assert_eq!(injected(&html), None, "{route} let hostile markup out: {hostile}");
            if html.contains("&lt;h1 id=pwn&gt;") {
                reflected.push(route);
            }
        }
    }
    // The test sees what it checks: typed text is shown again, escaped, in the editor's box
    // (the original hole) and on the citizen's forms.
    for route in ["/staff/services/edit", "/register", "/login", "/account/entities"] {
        assert!(reflected.contains(&route), "{route} did not show the typed text again");
    }
    // The box shows what was typed, exactly.
    let res =
        visitors.post(Who::SystemAdmin, "/staff/services/edit", &[("content", HOSTILE[0]), ("action", "save")]).await;
    assert_eq!(editor_document(&body_text(res).await), format!("\n{}", HOSTILE[0]));
}

#[tokio::test]
async fn an_item_named_with_markup_shows_as_text_in_titles_lists_and_search() {
    let app = TestApp::new(Backend::Sqlite).await;
    let mut admin = set_up(&app, "sysadmin", StaffRole::SystemAdmin).await;
    sign_in(&mut admin, "sysadmin").await;
    let editor = body_text(admin.get(&format!("/staff/services/edit?code={NEWBORN}")).await).await;
    let toml = editor_document(&editor);
    let hostile = edited(&toml, |item| {
        item.name.zh = format!("出生登记{}", HOSTILE[2]);
        item.name.en = HOSTILE[0].to_owned();
        item.summary.zh = HOSTILE[1].to_owned();
    });
    let preview = admin.post("/staff/services/edit", &[("content", &hostile), ("action", "preview")]).await;
    assert_eq!(preview.status(), 200);
    assert_eq!(injected(&body_text(preview).await), None, "the preview");
    let saved = admin.post("/staff/services/edit", &[("content", &hostile), ("action", "save")]).await;
    assert_eq!(saved.status(), 303);
    let published = admin.post("/staff/services/publish", &[("code", NEWBORN), ("version", "2")]).await;
    assert_eq!(published.status(), 303);
    for uri in [
        format!("/services/{NEWBORN}"),
        "/services?topic=birth".to_owned(),
        "/search?q=%E5%87%BA%E7%94%9F%E7%99%BB%E8%AE%B0".to_owned(),
        "/".to_owned(),
    ] {
        let html = body_text(app.get(&uri).await).await;
        assert_eq!(injected(&html), None, "{uri}");
        assert!(html.contains("&lt;h1 id=pwn&gt;"), "{uri} shows the name as text");
    }
    let english = body_text(app.get_with_cookie(&format!("/services/{NEWBORN}"), "onestop_lang=en").await).await;
    assert_eq!(injected(&english), None);
    let title = english.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).expect("title");
    assert!(title.starts_with("&lt;/textarea&gt;&lt;h1 id=pwn&gt;"), "{title}");
    for uri in ["/staff/services".to_owned(), format!("/staff/services/edit?code={NEWBORN}")] {
        assert_eq!(injected(&body_text(admin.get(&uri).await).await), None, "{uri}");
    }
}

/// The C0 control characters and DEL, each refused everywhere (tab and line breaks only
/// outside multi-line fields, checked separately).
const CONTROLS: [char; 8] = ['\0', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}'];

/// Rows in every table but the session store (a visit may refresh a session), to show nothing
/// was stored.
async fn stored_rows(app: &TestApp) -> BTreeMap<String, i64> {
    let tables: Vec<String> = match app.db.backend() {
        Backend::Sqlite => sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'"),
        Backend::Postgres => {
            sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()")
        }
    }
    .fetch_all(app.db.pool())
    .await
    .expect("tables");
    let mut rows = BTreeMap::new();
    for table in tables.into_iter().filter(|t| t != "sessions") {
        // A refused post shows the case page (or a gas account's or library card's page) again,
        // and each showing is audited as a view (a read of the account's statement or the card).
        let only = match table.as_str() {
            "case_audit" => " WHERE action <> 'view'",
            "data_access_log" => " WHERE operation NOT IN ('statement', 'patron')",
            _ => "",
        };
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}{only}"))
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        rows.insert(table, count);
    }
    rows
}

const NOTICE: &str = "您提交的内容或网址中含有不允许的控制字符";
const FIELD_MESSAGE: &str = "含有不允许的控制字符（如空字符），请删除后重试";

on_both_backends!(
    control_characters_are_refused_in_every_field_address_and_argument,
    crate::library::app_with_small_library,
    |app| {
        let mut visitors = Visitors::new(&app).await;
        let routes = form_routes(&app, &mut visitors).await;
        let before = stored_rows(&app).await;

        // Every field of every form, alone: 400, the notice, the field's own message where the page
        // draws the field, and what was typed shown again without the refused character.
        let mut turn = 0;
        for (route, action, controls) in ordered(&routes) {
            let who = who_posts(route);
            for control in controls.iter().chain([&Control { name: "extra".into(), kind: "input:text".into() }]) {
                let multi_line = app::app::is_multi_line(route, &control.name);
                let mut bad = vec![format!("张伟{}x", CONTROLS[turn % CONTROLS.len()]), "a\0b".to_owned()];
                if !multi_line {
                    bad.push(["a\tb", "a\nb", "a\r\nb"][turn % 3].to_owned());
                }
                turn += 1;
                for value in &bad {
                    let form: Vec<(&str, &str)> = controls
                        .iter()
                        .map(|c| (c.name.as_str(), if c.name == control.name { value.as_str() } else { "ok" }))
                        .chain((control.name == "extra").then_some(("extra", value.as_str())))
                        .collect();
                    let res = visitors.post(who, &action, &form).await;
                    assert_eq!(res.status(), 400, "{route} {} = {value:?}", control.name);
                    let html = body_text(res).await;
                    assert!(html.contains(NOTICE), "{route} {}: the notice", control.name);
                    let visible =
                        matches!(control.kind.as_str(), "input:text" | "input:email" | "input:tel" | "textarea")
                            && control.name != "extra";
                    if visible && html.contains(&format!("name=\"{}\"", control.name)) {
                        assert!(html.contains(FIELD_MESSAGE), "{route} {}: the field's message", control.name);
                    }
                    if control.name == "name" {
                        assert!(
                            html.contains("张伟x") || html.contains("value=\"ab\""),
                            "{route}: typed value kept, cleaned"
                        );
                    }
                }
            }
        }
        // Field names and the query of a form post are text too.
        let res = visitors.post(Who::Anyone, "/login", &[("identifier\0", "a@example.cn")]).await;
        assert_eq!(res.status(), 400);
        let res = visitors
            .post(Who::Anyone, "/login?next=/account%00", &[("identifier", "a@example.cn"), ("password", "x")])
            .await;
        assert_eq!(res.status(), 400);
        assert_eq!(stored_rows(&app).await, before, "nothing was stored by a refused post");

        // Every query parameter a page reads, and a page path.
        for (who, uri) in [
            (Who::Anyone, "/search?q=%E6%88%B7%00%E5%8F%A3"),
            (Who::Anyone, "/search?q=a%0Ab"),
            (Who::Anyone, "/places?q=%E5%85%B0%07"),
            (Who::Anyone, "/services?topic=birth%00"),
            (Who::Anyone, "/services?event=%1B"),
            (Who::Anyone, "/services?target=person%7F"),
            (Who::Anyone, "/services?department=public-security%00"),
            (Who::Anyone, "/services/620100-GA-QR-0001%00"),
            (Who::Anyone, "/login?next=%2Faccount%00"),
            (Who::Anyone, "/login?expired=1%00"),
            (Who::Anyone, "/register?next=%00"),
            (Who::Anyone, "/password-reset/new?token=a%00b"),
            (Who::Anyone, "/staff/setup?token=a%00b"),
            (Who::Anyone, "/staff/login?done=%00"),
            (Who::Citizen, "/account?done=%00"),
            (Who::Citizen, "/account/verify-email?token=%00"),
            (Who::SystemAdmin, "/staff/services?done=%09"),
            (Who::SystemAdmin, "/staff/services/edit?code=620100-GA-QR-0001%00"),
            (Who::SystemAdmin, "/staff/calendar?from=2026-02-12%00&days=2%00"),
        ] {
            let res = visitors.get(who, uri).await;
            assert_eq!(res.status(), 400, "{uri}");
            assert!(body_text(res).await.contains(NOTICE), "{uri}: the notice");
        }
        // Search says so next to its box and searches for nothing.
        let html = body_text(app.get("/search?q=%E6%88%B7%00%E5%8F%A3").await).await;
        assert!(html.contains("id=\"search-q-error\"") && html.contains(FIELD_MESSAGE));
        assert!(!html.contains("results-title"), "no results for a refused search");

        // Every server function, whatever its arguments, and the real arguments of those that take
        // text.
        for (path, method) in server_fn_paths() {
            let req = if method == axum::http::Method::GET {
                Request::get(format!("{path}?probe=%00")).body(Body::empty()).expect("request")
            } else {
                crate::support::same_origin_form_post(path, "probe=a%01")
            };
            let res = app.send(req).await;
            assert_eq!(res.status(), 400, "{method} {path}");
            let body = body_text(res).await;
            assert!(body.contains("\"Validation\"") && body.contains("control_characters"), "{path}: {body}");
        }
        for uri in [
            "/api/services/search?query=%E6%88%B7%00",
            "/api/departments/search?query=%00",
            "/api/places/search?query=%E5%85%B0%0A",
            "/api/services/guide?code=620100-GA-QR-0001%00",
            "/api/services/list?filter%5Btopic%5D=birth%00",
            "/api/staff/enrolment?token=a%00",
        ] {
            let res = app.get(uri).await;
            assert_eq!(res.status(), 400, "{uri}");
            let body = body_text(res).await;
            assert!(body.contains("control_characters"), "{uri}: {body}");
        }
        let res = app
            .send(crate::support::same_origin_form_post("/api/preferences/language", "locale=en%00&return_to=%2F"))
            .await;
        assert_eq!(res.status(), 400);
        assert!(body_text(res).await.contains("{\"field\":\"locale\",\"code\":\"control_characters\"}"));
        assert_eq!(stored_rows(&app).await, before, "nothing was stored");
    }
);

on_both_backends!(ordinary_text_passes_the_boundary_untouched, |app| {
    // Chinese, emoji and a password with spaces.
    let mut person = Browser::new(&app);
    let res = person
        .post(
            "/register",
            &[
                ("name", "张伟"),
                ("id_number", ZHANG_WEI),
                ("email", CITIZEN_EMAIL),
                ("phone", ""),
                ("password", "river bridge sunset 1936 🌉"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let mut again = Browser::new(&app);
    let res = again.post("/login", &[("identifier", CITIZEN_EMAIL), ("password", "river bridge sunset 1936 🌉")]).await;
    assert_eq!(res.status(), 303, "signed in with the spaced password");
    let res = app.get("/search?q=%E6%88%B7%E5%8F%A3+%F0%9F%91%B6").await;
    assert_eq!(res.status(), 200);
    // A multi-line document keeps its tabs and line breaks.
    let mut admin = set_up(&app, "sysadmin", StaffRole::SystemAdmin).await;
    sign_in(&mut admin, "sysadmin").await;
    let editor = body_text(admin.get(&format!("/staff/services/edit?code={NEWBORN}")).await).await;
    let toml = editor_document(&editor);
    let tabbed = format!("# 备注\t👍\r\n{}", toml.replace("\nname", "\n\tname"));
    let res = admin.post("/staff/services/edit", &[("content", &tabbed), ("action", "preview")]).await;
    assert_eq!(res.status(), 200, "tabs and CR LF are fine in the document");
    let html = body_text(res).await;
    assert!(html.contains("# 备注\t👍\r\n"), "shown again exactly");
});
