//! Hospital appointment pages over the demo booking platform: hospitals with distances,
//! departments, doctors with fees, hours and the next free numbers, a doctor's numbers per slot.

use crate::on_both_backends;
use crate::support::body_text;

/// The first link in `html` whose address starts with `prefix`.
fn first_link(html: &str, prefix: &str) -> String {
    let at = html.find(&format!("href=\"{prefix}")).unwrap_or_else(|| panic!("a link to {prefix}…"));
    let rest = &html[at + 6..];
    rest[..rest.find('"').expect("closing quote")].to_owned()
}

on_both_backends!(hospitals_are_listed_with_address_and_distance_without_javascript, |app| {
    let res = app.get("/hospitals").await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert_eq!(html.matches("id=\"hospital-").count(), 8, "every demo hospital has a row");
    assert!(html.contains("城关区人民医院") && html.contains("社区卫生服务中心"), "{html}");
    assert!(html.contains("甘肃省兰州市城关区"), "addresses are listed");
    assert!(html.contains("每天 15:00 放出"), "the release rule is published");
    assert!(html.contains("选择区县后显示"), "no distance before a district is chosen");

    let html = body_text(app.get("/hospitals?from=620102").await).await;
    assert_eq!(html.matches("距城关区中心约").count(), 8, "each hospital has its distance and direction");
    let first = html.find("id=\"hospital-").expect("a row");
    assert!(html[first..].starts_with("id=\"hospital-H01\""), "the nearest hospital comes first");

    let html = body_text(app.get_with_cookie("/hospitals?from=620102", "onestop_lang=en").await).await;
    assert!(html.contains("From the centre of 城关区: about"), "English page");
});

/// A map only where the city configured a tile server: its tiles (and no other third party's)
/// under one numbered link per hospital, the licence's attribution as text, and the page's CSP
/// letting the browser load exactly those tiles.
#[tokio::test]
async fn the_hospital_map_uses_the_configured_tiles_and_the_list_stays_complete() {
    use crate::support::{test_config, TestApp};
    let plain = TestApp::new(app::platform::Backend::Sqlite).await;
    let html = body_text(plain.get("/hospitals").await).await;
    assert!(!html.contains("class=\"map\"") && !html.contains("<image"), "no tile server, no map");

    let config = test_config(&[
        ("ONESTOP_MAP_TILES", "https://tiles.example.org/osm/{z}/{x}/{y}.png"),
        ("ONESTOP_MAP_ATTRIBUTION", "© <OpenStreetMap> & contributors"),
    ]);
    let app = TestApp::with_config(app::platform::Backend::Sqlite, config).await;
    let res = app.get("/hospitals").await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.contains("img-src 'self' data: https://tiles.example.org;"), "{csp}");
    let html = body_text(res).await;
    let map = &html[html.find("<figure class=\"map\"").expect("a map")..];
    let map = &map[..map.find("</figure>").expect("end of the map")];
    assert_eq!(map.matches("class=\"map__marker\"").count(), 8, "one marker per hospital");
    assert!(map.contains("href=\"/hospitals/H01\""), "markers open the hospital");
    let tiles = map.matches("<image href=\"https://tiles.example.org/osm/").count();
    assert!((2..=12).contains(&tiles), "the tiles of one view: {tiles}");
    assert!(map.contains("© &lt;OpenStreetMap&gt; &amp; contributors"), "attribution as escaped text: {map}");
    assert_eq!(html.matches("id=\"hospital-").count(), 8, "the list is still complete beside the map");
    assert_eq!(html.matches("class=\"map-number\"").count(), 8, "rows carry their marker's number");
}

on_both_backends!(a_department_shows_doctors_fees_hours_and_the_next_free_number, |app| {
    let html = body_text(app.get("/hospitals/H01").await).await;
    assert!(html.contains("<h3>内科</h3>") && html.contains("呼吸内科"), "departments under their categories");
    let department = first_link(&html, "/hospitals/H01/departments/");
    let res = app.get(&department).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert_eq!(html.matches("id=\"doctor-").count(), 4, "four doctors, one per title");
    for text in ["主任医师", "50 元", "住院医师", "10 元", "周", "最早可约"] {
        assert!(html.contains(text), "{text} missing");
    }
    let by_title = body_text(app.get(&format!("{department}?title=chief")).await).await;
    assert!(by_title.contains("主任医师：全部医生的号源"), "any doctor of one title");

    let doctor = first_link(&html, &format!("{department}/doctors/"));
    let html = body_text(app.get(&doctor).await).await;
    assert!(html.contains("医生简介") && html.contains("出诊时间"), "profile and hours");
    assert!(html.contains("id=\"slot-") || html.contains("可预约的日期内没有出诊"), "slots or none");
});

on_both_backends!(unknown_hospitals_departments_and_doctors_are_not_found, |app| {
    for path in
        ["/hospitals/NOPE", "/hospitals/H01/departments/NOPE", "/hospitals/H01/departments/H01-D01/doctors/NOPE"]
    {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
    }
});

/// Every link in `html` containing `part`.
fn links_with(html: &str, part: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains(part))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

fn hidden_value(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("hidden {name}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').expect("quote")].to_owned()
}

on_both_backends!(a_citizen_books_gets_a_confirmation_with_qr_and_mail_and_cancels_once, |app| {
    use crate::applications::{location, verified_citizen};
    use crate::registers::ZHANG_WEI;
    // Anonymous visitors are asked to sign in first.
    let department = "/hospitals/H01/departments/H01-D01";
    let html = body_text(app.get(department).await).await;
    let doctor = links_with(&html, "/doctors/").into_iter().next().expect("a doctor");
    let html = body_text(app.get(&doctor).await).await;
    let book = links_with(&html, "/book?slot=").pop().expect("a free slot, the latest one");
    let res = app.get(&book).await;
    assert_eq!(res.status(), 401);

    let mut b = verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await;
    let res = b.get(&book).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(html.contains("健康信息处理告知") && html.contains("本人（张*）"), "notice and patient");
    let key = hidden_value(&html, "key");
    let slot = hidden_value(&html, "slot");
    let action = book.split('?').next().expect("path").to_owned();

    // Without the acknowledgement: 400, the message at the field and in the summary.
    let res = b.post(&action, &[("slot", &slot), ("key", &key)]).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert_eq!(html.matches("请阅读告知并勾选同意后再预约").count(), 2, "field message and summary");

    let form = [("slot", slot.as_str()), ("key", key.as_str()), ("notice", "yes")];
    let res = b.post(&action, &form).await;
    assert_eq!(res.status(), 303);
    let confirmation = location(&res);
    assert!(
        confirmation.starts_with("/hospitals/bookings/") && confirmation.ends_with("?notice=booked"),
        "{confirmation}"
    );
    // The same form posted again (a double click) finds the same booking.
    assert_eq!(location(&b.post(&action, &form).await), confirmation);

    let html = body_text(b.get(&confirmation).await).await;
    assert!(html.contains("预约成功") && html.contains("<svg") && html.contains("<path d=\"M"), "QR code");
    let code = html.split("<strong>").nth(1).and_then(|r| r.split("</strong>").next()).expect("the code").to_owned();
    assert_eq!(code.len(), 8);
    let mails: Vec<String> =
        sqlx::query_scalar("SELECT body FROM mail_outbox WHERE recipient = 'zhang.wei@example.cn'")
            .fetch_all(app.db.pool())
            .await
            .expect("mail");
    assert_eq!(mails.iter().filter(|m| m.contains(&code)).count(), 1, "one confirmation, with the code");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM data_access_log WHERE consumer = 'hospitals.booking' AND operation = 'book' AND outcome = 'ok'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(audited, 2, "each booking call is audited");

    let list = body_text(b.get("/hospitals/bookings").await).await;
    assert_eq!(list.matches("id=\"booking-").count(), 1);

    // Someone else cannot see or cancel it.
    let id = confirmation.trim_start_matches("/hospitals/bookings/").split('?').next().expect("id").to_owned();
    let mut other = verified_citizen(&app, "王建国", crate::registers::WANG_JIANGUO, "wang@example.cn").await;
    assert_eq!(other.get(&format!("/hospitals/bookings/{id}")).await.status(), 404);
    assert_eq!(other.post(&format!("/hospitals/bookings/{id}/cancel"), &[]).await.status(), 404);

    let remaining_before = body_text(app.get(&doctor).await).await;
    let res = b.post(&format!("/hospitals/bookings/{id}/cancel"), &[]).await;
    assert_eq!(location(&res), format!("/hospitals/bookings/{id}?notice=cancelled"));
    let html = body_text(b.get(&format!("/hospitals/bookings/{id}")).await).await;
    assert!(html.contains("已取消") && !html.contains("取消预约</button>"), "cancelled, no button");
    assert_eq!(b.post(&format!("/hospitals/bookings/{id}/cancel"), &[]).await.status(), 409, "only once");
    let remaining_after = body_text(app.get(&doctor).await).await;
    assert_ne!(remaining_before, remaining_after, "the number went back to the pool");
});

on_both_backends!(a_slot_taken_between_page_and_post_answers_full_with_the_nearest_free_slots, |app| {
    use crate::applications::verified_citizen;
    use app::hospitals::contract::{BookRequest, BookingOutcome, Patient};
    use app::hospitals::HospitalProvider;
    let doctor = "/hospitals/H01/departments/H01-D01/doctors/H01-D01-R04";
    let html = body_text(app.get(doctor).await).await;
    let book = links_with(&html, "/book?slot=").pop().expect("a free slot");
    let mut b = verified_citizen(&app, "张伟", crate::registers::ZHANG_WEI, "zhang.wei@example.cn").await;
    let html = body_text(b.get(&book).await).await;
    let (slot, key) = (hidden_value(&html, "slot"), hidden_value(&html, "key"));
    // Others take every number left before this citizen confirms.
    for n in 0..10 {
        let request = BookRequest {
            slot: slot.parse().expect("slot id"),
            patient: Patient { reference: format!("other-{n}"), display: "李*".into() },
            booked_by: format!("other:{n}"),
            idempotency_key: format!("other-key-{n:08}"),
            at: app.clock.now(),
        };
        let _: BookingOutcome = app.ctx.hospitals.book(&request).await.expect("platform answers");
    }
    let action = book.split('?').next().expect("path").to_owned();
    let res = b.post(&action, &[("slot", &slot), ("key", &key), ("notice", "yes")]).await;
    assert_eq!(res.status(), 409);
    let html = body_text(res).await;
    assert!(html.contains("这个时段的号刚刚被约满了"), "a clear message");
    assert!(
        !links_with(&html, "/book?slot=").is_empty() || html.contains("该医生近期已无余号"),
        "the nearest free slots are offered"
    );
    assert!(html.contains("value=\"yes\" checked"), "the acknowledgement is kept");
    let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE '预约挂号成功%'")
        .fetch_one(app.db.pool())
        .await
        .expect("mail");
    assert_eq!(mails, 0, "nothing was booked, nothing mailed");
});

/// A demo persona with others in their registered household: (name, ID number, the others'
/// names), read through the register provider's contract.
async fn persona_with_household() -> (&'static str, &'static str, Vec<String>) {
    use app::registers::contract::{PersonField, PersonRequest};
    use app::registers::RegisterProvider;
    let provider = crate::support::demo_provider().await;
    for (name, id) in [
        ("张伟", crate::registers::ZHANG_WEI),
        ("王建国", crate::registers::WANG_JIANGUO),
        ("李娜", crate::registers::LI_NA),
    ] {
        let request = PersonRequest { id_number: id.into(), fields: vec![PersonField::HouseholdMembers] };
        let record = provider.person(&request).await.expect("person");
        let others: Vec<String> = record
            .household_members
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.id_number != id)
            .map(|m| m.name)
            .collect();
        if !others.is_empty() {
            return (name, id, others);
        }
    }
    panic!("no demo persona lives with others");
}

/// Values of the radio buttons named `name` in `html`.
fn radio_values(html: &str, name: &str) -> Vec<String> {
    html.split("<input")
        .skip(1)
        .filter(|tag| tag.contains("type=\"radio\"") && tag.contains(&format!("name=\"{name}\"")))
        .filter_map(|tag| tag.split("value=\"").nth(1)?.split('"').next().map(str::to_owned))
        .collect()
}

async fn booked_count(app: &crate::support::TestApp) -> i64 {
    use app::hospitals::HospitalProvider;
    let mut n = 0;
    for i in 0..100 {
        n += app.ctx.hospitals.appointments(&format!("citizen:{i}"), app.clock.now()).await.expect("platform").len()
            as i64;
    }
    n
}

/// A booking on the platform by its id, whichever account made it.
async fn booking_by_id(app: &crate::support::TestApp, id: i64) -> app::hospitals::contract::Appointment {
    use app::hospitals::HospitalProvider;
    for i in 0..100 {
        let list = app.ctx.hospitals.appointments(&format!("citizen:{i}"), app.clock.now()).await.expect("platform");
        if let Some(a) = list.into_iter().find(|a| a.id == id) {
            return a;
        }
    }
    panic!("no booking {id}");
}

on_both_backends!(a_citizen_books_for_a_household_member_read_again_from_the_register, |app| {
    use crate::applications::{location, verified_citizen};
    let (name, id, others) = persona_with_household().await;
    let doctor = "/hospitals/H01/departments/H01-D01/doctors/H01-D01-R04";
    let html = body_text(app.get(doctor).await).await;
    let book = links_with(&html, "/book?slot=").pop().expect("a free slot");
    let action = book.split('?').next().expect("path").to_owned();
    let mut b = verified_citizen(&app, name, id, "household.booker@example.cn").await;
    let html = body_text(b.get(&book).await).await;
    assert!(html.contains("为家庭成员预约"), "the household is offered, not read before consent");
    assert_eq!(radio_values(&html, "patient"), vec!["self".to_owned()]);
    let household_reads = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM data_access_log WHERE consumer = 'hospitals.household' AND outcome = 'ok'",
        )
        .fetch_one(app.db.pool())
        .await
        .expect("audit")
    };
    assert_eq!(household_reads().await, 0);
    let (slot, key) = (hidden_value(&html, "slot"), hidden_value(&html, "key"));

    // Asking for the household keeps what was ticked and lists the members, masked.
    let res = b.post(&action, &[("slot", &slot), ("key", &key), ("notice", "yes"), ("household", "read")]).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert!(html.contains("value=\"yes\" checked"), "the acknowledgement is kept");
    let members = radio_values(&html, "patient");
    assert_eq!(members.len(), 1 + others.len(), "yourself and each other member: {members:?}");
    let first_other: String = others[0].chars().next().map(String::from).expect("a name");
    assert!(html.contains(&format!("{first_other}*")), "masked names");
    assert!(!html.contains(&others[0]) || others[0].chars().count() == 1, "no full name of a member");
    assert!(household_reads().await >= 1, "the household read is audited");
    let member = members[1].clone();

    // A member not in the household (a made-up reference): 400 at the field, nothing booked.
    let before = booked_count(&app).await;
    let forged = "f".repeat(member.len());
    let res = b.post(&action, &[("slot", &slot), ("key", &key), ("notice", "yes"), ("patient", &forged)]).await;
    assert_eq!(res.status(), 400);
    let html = body_text(res).await;
    assert_eq!(html.matches("所选的人不在您的户籍同户成员中").count(), 2, "field message and summary");
    assert_eq!(booked_count(&app).await, before, "nothing booked");

    // Booked for the member: the platform keeps the member as the patient.
    let res = b.post(&action, &[("slot", &slot), ("key", &key), ("notice", "yes"), ("patient", &member)]).await;
    assert_eq!(res.status(), 303);
    let confirmation = location(&res);
    let html = body_text(b.get(&confirmation).await).await;
    assert!(html.contains(&format!("家人 {first_other}*")), "the booking says whom it is for");
    let book_rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT subject_ref, basis_ref FROM data_access_log WHERE consumer = 'hospitals.booking' \
         AND operation = 'book' AND outcome = 'ok'",
    )
    .fetch_all(app.db.pool())
    .await
    .expect("audit");
    assert_eq!(book_rows.len(), 1);
    assert_eq!(book_rows[0].0, member, "the audit row names the member as the subject");

    // Limits count per patient: the citizen may still book the same department that day, the
    // member may not.
    let html = body_text(b.get(&book).await).await;
    let key2 = hidden_value(&html, "key");
    let res = b.post(&action, &[("slot", &slot), ("key", &key2), ("notice", "yes"), ("patient", "self")]).await;
    assert_eq!(res.status(), 303, "the citizen's own limit is untouched");
    let html = body_text(b.get(&book).await).await;
    let key3 = hidden_value(&html, "key");
    let res = b.post(&action, &[("slot", &slot), ("key", &key3), ("notice", "yes"), ("patient", &member)]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("同一就诊人同一天在同一科室只能预约一个号"));

    let list = body_text(b.get("/hospitals/bookings").await).await;
    assert_eq!(list.matches("id=\"booking-").count(), 2);
    assert!(list.contains("本人（") && list.contains("家人 "), "whom each booking is for");
});

on_both_backends!(my_bookings_show_a_missed_appointment_and_how_many_more_suspend_booking, |app| {
    use crate::applications::{location, verified_citizen};
    use app::hospitals::contract::AppointmentStatus;
    let doctor = "/hospitals/H01/departments/H01-D01/doctors/H01-D01-R04";
    let html = body_text(app.get(doctor).await).await;
    let book = links_with(&html, "/book?slot=").pop().expect("a free slot");
    let action = book.split('?').next().expect("path").to_owned();
    let mut b = verified_citizen(&app, "张伟", crate::registers::ZHANG_WEI, "zhang.wei@example.cn").await;
    let html = body_text(b.get(&book).await).await;
    let (slot, key) = (hidden_value(&html, "slot"), hidden_value(&html, "key"));
    let res = b.post(&action, &[("slot", &slot), ("key", &key), ("notice", "yes")]).await;
    let id: i64 =
        location(&res).trim_start_matches("/hospitals/bookings/").split('?').next().expect("id").parse().expect("id");
    let list = body_text(b.get("/hospitals/bookings").await).await;
    assert!(!list.contains("爽约提醒"), "no warning before a miss");

    // The slot ends without an arrival: the platform's sweep marks the miss.
    let app::hospitals::Provider::InProcess(store) = &app.ctx.hospitals;
    let booking = booking_by_id(&app, id).await;
    let end = app::hospitals::slot_start_unix(&booking.slot).expect("start") + 30 * 60 + 60;
    assert_eq!(store.sweep_no_shows(end).await, Ok(1));

    let list = body_text(b.get("/hospitals/bookings").await).await;
    assert!(list.contains("已爽约"), "the booking is shown as missed");
    assert!(list.contains("本人（张*）已爽约 1 次（90 天内）。再爽约 2 次将暂停预约 90 天。"), "{list}");
    assert_eq!(booking_by_id(&app, id).await.status, AppointmentStatus::Noshow);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM data_access_log WHERE consumer = 'hospitals.booking' AND operation = 'standing'",
    )
    .fetch_one(app.db.pool())
    .await
    .expect("audit");
    assert!(audited >= 2, "every read of the standing is audited");
});

/// Takes every number left on the day of `slot` for its doctor through the platform, by other
/// accounts (one patient each), leaving one number in `slot` itself when `keep_one`: the day,
/// and each booking made with its account.
pub(crate) async fn fill_day(app: &crate::support::TestApp, slot: i64, keep_one: bool) -> (String, Vec<(i64, String)>) {
    use app::hospitals::contract::{BookRequest, BookingOutcome, Patient, SlotQuery, SlotStatus};
    use app::hospitals::HospitalProvider;
    let query =
        SlotQuery { healthcare_service: "H01-D01".into(), practitioner_role: None, title: None, at: app.clock.now() };
    let slots = app.ctx.hospitals.slots(&query).await.expect("slots");
    let chosen = slots.iter().find(|s| s.id == slot).expect("the slot").clone();
    let mut made = Vec::new();
    for s in
        slots.iter().filter(|s| s.schedule == chosen.schedule && s.day == chosen.day && s.status == SlotStatus::Free)
    {
        let keep = i64::from(keep_one && s.id == slot);
        for _ in 0..(s.remaining - keep) {
            let n = made.len();
            let request = BookRequest {
                slot: s.id,
                patient: Patient { reference: format!("filler-{n}"), display: "赵*".into() },
                booked_by: format!("other:{n}"),
                idempotency_key: format!("filler-key-{n:08}"),
                at: app.clock.now(),
            };
            match app.ctx.hospitals.book(&request).await.expect("platform answers") {
                BookingOutcome::Booked { appointment, .. } => made.push((appointment.id, request.booked_by)),
                other => panic!("not booked: {other:?}"),
            }
        }
    }
    (chosen.day, made)
}

/// Cancels a booking another account made, on the platform itself.
pub(crate) async fn cancel_on_platform(app: &crate::support::TestApp, booking: &(i64, String)) {
    use app::hospitals::contract::CancelRequest;
    use app::hospitals::HospitalProvider;
    let request = CancelRequest { appointment: booking.0, booked_by: booking.1.clone(), at: app.clock.now() };
    app.ctx.hospitals.cancel(&request).await.expect("cancelled");
}

async fn mails_to(app: &crate::support::TestApp, recipient: &str, subject: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT body FROM mail_outbox WHERE recipient = $1 AND subject LIKE $2")
        .bind(recipient)
        .bind(format!("{subject}%"))
        .fetch_all(app.db.pool())
        .await
        .expect("mail")
}

/// The address of the first form in `html` posting to an address ending in `end`.
fn form_action(html: &str, end: &str) -> String {
    html.split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|a| a.ends_with(end))
        .unwrap_or_else(|| panic!("a form posting to …{end}"))
        .to_owned()
}

on_both_backends!(a_full_day_has_a_waiting_list_whose_offer_is_mailed_once_declined_and_booked, |app| {
    use crate::applications::{location, verified_citizen};
    use crate::registers::{LI_NA, WANG_JIANGUO, ZHANG_WEI};
    use app::hospitals::contract::{AppointmentStatus, SlotQuery};
    use app::hospitals::HospitalProvider;
    let doctor = "/hospitals/H01/departments/H01-D01/doctors/H01-D01-R04";
    let join = format!("{doctor}/waitlist");
    let html = body_text(app.get(doctor).await).await;
    let book = links_with(&html, "/book?slot=").pop().expect("a free slot");
    let slot: i64 = book.rsplit('=').next().expect("slot").parse().expect("slot id");
    let (mut a, mut b) = (
        verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await,
        verified_citizen(&app, "王建国", WANG_JIANGUO, "wang@example.cn").await,
    );
    let mut c = verified_citizen(&app, "李娜", LI_NA, "li.na@example.cn").await;

    // Every number but one taken; the day still has one: waiting is refused, clearly.
    let (day, filled) = fill_day(&app, slot, true).await;
    let res = a.post(&join, &[("day", &day), ("notice", "yes")]).await;
    assert_eq!(res.status(), 409);
    assert!(body_text(res).await.contains("这一天还有余号，不需要候补，请直接预约。"));
    assert!(!body_text(a.get(doctor).await).await.contains(&format!("name=\"day\" value=\"{day}\"")), "no form");

    // B takes the last number through the portal: the day is full and offers its waiting list.
    let html = body_text(b.get(&book).await).await;
    let action = book.split('?').next().expect("path").to_owned();
    let res =
        b.post(&action, &[("slot", &slot.to_string()), ("key", &hidden_value(&html, "key")), ("notice", "yes")]).await;
    assert_eq!(res.status(), 303);
    let b_booking = location(&res).trim_start_matches("/hospitals/bookings/").split('?').next().expect("id").to_owned();
    let html = body_text(a.get(doctor).await).await;
    assert!(html.contains(&format!("name=\"day\" value=\"{day}\"")) && html.contains("排队候补"), "the form");
    assert_eq!(form_action(&html, "/waitlist"), join);

    // Without the acknowledgement: 400, at the box and in the summary.
    let res = a.post(&join, &[("day", &day)]).await;
    assert_eq!(res.status(), 400);
    assert_eq!(body_text(res).await.matches("请阅读告知并勾选同意后再预约").count(), 2);
    let res = a.post(&join, &[("day", &day), ("notice", "yes")]).await;
    assert_eq!(location(&res), "/hospitals/bookings?notice=waitlisted");
    let res = a.post(&join, &[("day", &day), ("notice", "yes")]).await;
    assert_eq!(location(&res), "/hospitals/bookings?notice=already_waiting", "once per patient");
    let html = body_text(a.get("/hospitals/bookings?notice=waitlisted").await).await;
    assert!(html.contains("已加入候补队列") && html.contains("排队中，第 1 位"), "{html}");
    assert_eq!(
        location(&c.post(&join, &[("day", &day), ("notice", "yes")]).await),
        "/hospitals/bookings?notice=waitlisted"
    );
    assert!(body_text(c.get("/hospitals/bookings").await).await.contains("排队中，第 2 位"));
    assert!(mails_to(&app, "zhang.wei@example.cn", "号源候补成功").await.is_empty(), "no offer yet");

    // B cancels: the number is held for A, who is mailed once.
    let res = b.post(&format!("/hospitals/bookings/{b_booking}/cancel"), &[]).await;
    assert_eq!(res.status(), 303);
    let mails = mails_to(&app, "zhang.wei@example.cn", "号源候补成功").await;
    assert_eq!(mails.len(), 1, "one offer, one mail");
    assert!(
        mails[0].contains("/hospitals/bookings") && mails[0].contains("confirm the booking before"),
        "{}",
        mails[0]
    );
    assert!(mails_to(&app, "li.na@example.cn", "号源候补成功").await.is_empty());
    let html = body_text(a.get("/hospitals/bookings").await).await;
    assert!(html.contains("确认预约保留的号") && html.contains("请在"), "the offer and its deadline");
    let accept_a = form_action(&html, "/accept");
    let leave_a = form_action(&html, "/leave");

    // Another account cannot take or decline it; nothing changes.
    assert_eq!(c.post(&accept_a, &[]).await.status(), 404);
    assert_eq!(c.post(&leave_a, &[]).await.status(), 404);
    assert_eq!(form_action(&body_text(a.get("/hospitals/bookings").await).await, "/accept"), accept_a, "still A's");
    assert!(body_text(c.get("/hospitals/bookings").await).await.contains("排队中，第 1 位"), "C next, still waiting");

    // A declines: the number passes to C, mailed once; A is not mailed again.
    assert_eq!(location(&a.post(&leave_a, &[]).await), "/hospitals/bookings?notice=left");
    assert_eq!(a.post(&accept_a, &[]).await.status(), 404, "a declined offer is gone");
    assert_eq!(mails_to(&app, "li.na@example.cn", "号源候补成功").await.len(), 1);
    assert_eq!(mails_to(&app, "zhang.wei@example.cn", "号源候补成功").await.len(), 1);

    // C accepts: booked like any booking, confirmation page and mail, the slot never over.
    let html = body_text(c.get("/hospitals/bookings").await).await;
    let res = c.post(&form_action(&html, "/accept"), &[]).await;
    assert_eq!(res.status(), 303);
    let confirmation = location(&res);
    assert!(confirmation.starts_with("/hospitals/bookings/") && confirmation.ends_with("?notice=booked"));
    let html = body_text(c.get(&confirmation).await).await;
    assert!(html.contains("预约成功") && html.contains("<path d=\"M"), "confirmation with the QR code");
    assert_eq!(mails_to(&app, "li.na@example.cn", "预约挂号成功").await.len(), 1, "the confirmation mail");
    let id: i64 =
        confirmation.trim_start_matches("/hospitals/bookings/").split('?').next().expect("id").parse().expect("id");
    let booking = booking_by_id(&app, id).await;
    assert_eq!((booking.slot.id, booking.status), (slot, AppointmentStatus::Booked));
    let query =
        SlotQuery { healthcare_service: "H01-D01".into(), practitioner_role: None, title: None, at: app.clock.now() };
    let now = app.ctx.hospitals.slots(&query).await.expect("slots");
    let taken = now.iter().find(|s| s.id == slot).expect("slot");
    assert_eq!(taken.remaining, 0, "the held number was booked, not returned");
    let mut active = 0;
    for by in filled.iter().map(|(_, by)| by.clone()).chain((0..100).map(|n| format!("citizen:{n}"))) {
        let list = app.ctx.hospitals.appointments(&by, app.clock.now()).await.expect("list");
        active += list.iter().filter(|a| a.slot.id == slot && a.status == AppointmentStatus::Booked).count() as i64;
    }
    assert_eq!(active, taken.capacity, "exactly the capacity booked");
    assert!(body_text(c.get("/hospitals/bookings").await).await.contains("id=\"booking-"), "listed");
    assert_eq!(mails_to(&app, "li.na@example.cn", "号源候补成功").await.len(), 1, "still one offer mail");
});

on_both_backends!(an_offer_passed_on_when_the_first_lapses_is_mailed_once_by_the_background_announcement, |app| {
    use crate::applications::{location, verified_citizen};
    use crate::registers::{WANG_JIANGUO, ZHANG_WEI};
    use app::hospitals::server::announce_offers;
    use app::hospitals::HospitalProvider;
    app.clock.freeze();
    let subject = "号源候补成功";
    let doctor = "/hospitals/H01/departments/H01-D01/doctors/H01-D01-R04";
    let join = format!("{doctor}/waitlist");
    let html = body_text(app.get(doctor).await).await;
    let book = links_with(&html, "/book?slot=").pop().expect("a free slot");
    let slot: i64 = book.rsplit('=').next().expect("slot").parse().expect("slot id");
    let (mut a, mut b) = (
        verified_citizen(&app, "张伟", ZHANG_WEI, "zhang.wei@example.cn").await,
        verified_citizen(&app, "王建国", WANG_JIANGUO, "wang@example.cn").await,
    );
    let (day, filled) = fill_day(&app, slot, false).await;
    let waitlisted = "/hospitals/bookings?notice=waitlisted";
    assert_eq!(location(&a.post(&join, &[("day", &day), ("notice", "yes")]).await), waitlisted);
    assert_eq!(location(&b.post(&join, &[("day", &day), ("notice", "yes")]).await), waitlisted);

    // Another account cancels on the platform itself: A is offered the number, told by the
    // announcement, once.
    let mut freed = None;
    for (id, by) in &filled {
        let list = app.ctx.hospitals.appointments(by, app.clock.now()).await.expect("list");
        if list.iter().any(|x| x.id == *id && x.slot.id == slot) {
            freed = Some((*id, by.clone()));
        }
    }
    cancel_on_platform(&app, &freed.expect("a booking of the slot")).await;
    assert!(mails_to(&app, "zhang.wei@example.cn", subject).await.is_empty(), "not announced yet");
    assert_eq!(announce_offers(&app.ctx).await.expect("announced"), 1);
    assert_eq!(mails_to(&app, "zhang.wei@example.cn", subject).await.len(), 1);

    // A lets the hold lapse (B's visit halfway keeps B signed in). A visitor's look at the
    // doctor's numbers ends the lapsed offer and holds the number for B; the offer that call
    // made is mailed by the next announcement only.
    let hold = i64::from(app.ctx.hospitals.rules().await.expect("rules").offer_hold_minutes) * 60;
    app.clock.advance(hold / 2);
    assert!(body_text(b.get("/hospitals/bookings").await).await.contains("排队中，第 1 位"), "B waits");
    app.clock.advance(hold - hold / 2 + 1);
    assert_eq!(app.get(doctor).await.status(), 200);
    assert!(mails_to(&app, "wang@example.cn", subject).await.is_empty());
    let html = body_text(b.get("/hospitals/bookings").await).await;
    assert!(html.contains("确认预约保留的号"), "B holds the number");
    assert_eq!(announce_offers(&app.ctx).await.expect("announced"), 1);
    let mails = mails_to(&app, "wang@example.cn", subject).await;
    assert_eq!(mails.len(), 1, "one offer, one mail");
    assert!(mails[0].contains("/hospitals/bookings"), "{}", mails[0]);
    assert_eq!(announce_offers(&app.ctx).await.expect("announced"), 0, "nothing new");
    assert_eq!(mails_to(&app, "wang@example.cn", subject).await.len(), 1);
    assert_eq!(mails_to(&app, "zhang.wei@example.cn", subject).await.len(), 1, "A not mailed again");
});
