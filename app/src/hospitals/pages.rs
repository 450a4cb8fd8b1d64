//! The public booking pages: hospitals (with distance and direction from a chosen district),
//! a hospital's departments, a department's doctors with the next free numbers, and one
//! doctor's profile, clinic hours and numbers per time slot. Plain links and one GET form.

use super::api::*;
use super::contract::*;
use super::text::{use_text, Text};
use crate::error::AppError;
use crate::i18n::fill;
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, MapMarker, Notice, NoticeKind, PageHeading, SelectField, TileMap};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn param(name: &'static str) -> String {
    use_params_map().with_untracked(|p| p.get(name).unwrap_or_default())
}

/// Day of week of a `YYYY-MM-DD` date, 1 = Monday (Sakamoto's method).
pub fn weekday_of(day: &str) -> u8 {
    let mut parts = day.splitn(3, '-').map(|p| p.parse::<i64>().unwrap_or(1));
    let (mut y, m, d) = (parts.next().unwrap_or(2000), parts.next().unwrap_or(1), parts.next().unwrap_or(1));
    const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    if m < 3 {
        y -= 1;
    }
    let sunday_zero = (y + y / 4 - y / 100 + y / 400 + T[((m - 1).clamp(0, 11)) as usize] + d).rem_euclid(7);
    if sunday_zero == 0 {
        7
    } else {
        sunday_zero as u8
    }
}

fn fee(t: &Text, fen: i64) -> String {
    let yuan = if fen % 100 == 0 { (fen / 100).to_string() } else { format!("{}.{:02}", fen / 100, fen % 100) };
    fill(t.fee, &[&yuan])
}

fn hours(t: &Text, role: &PractitionerRole) -> String {
    let mut entries = Vec::new();
    for a in &role.available_time {
        for d in &a.days_of_week {
            entries.push((
                d.number(),
                fill(t.hours_entry, &[t.weekday(d.number()), &a.available_start_time, &a.available_end_time]),
            ));
        }
    }
    entries.sort();
    crate::i18n::use_locale().join_list(&entries.into_iter().map(|(_, e)| e).collect::<Vec<_>>())
}

fn slot_when(t: &Text, slot: &Slot) -> String {
    format!("{} {} {}–{}", slot.day, t.weekday(weekday_of(&slot.day)), slot.start, slot.end)
}

fn doctor_path(role: &PractitionerRole) -> String {
    format!("/hospitals/{}/departments/{}/doctors/{}", role.organization, role.healthcare_service, role.id)
}

/// What a page shows when the platform does not answer (or the thing is not there).
#[component]
fn Problem(error: AppError) -> impl IntoView {
    let t = use_text();
    match error {
        AppError::Unavailable => view! {
            <Notice kind=NoticeKind::Warning title=t.unavailable_title>
                <p>{t.unavailable_body}</p>
            </Notice>
        }
        .into_any(),
        other => view! { <crate::ui::ErrorNotice error=other/> }.into_any(),
    }
}

#[component]
fn Rules(rules: BookingRules) -> impl IntoView {
    let t = use_text();
    view! {
        <section aria-labelledby="rules-title">
            <h2 id="rules-title">{t.rules_title}</h2>
            <ul>
                <li>{fill(t.rules_window, &[&rules.window_days.to_string(), &rules.release_time])}</li>
                <li>{fill(t.rules_limits, &[&rules.per_department_per_day.to_string(), &rules.per_week.to_string()])}</li>
                <li>{fill(t.rules_cancel, &[&rules.cancel_cutoff_hours.to_string()])}</li>
                <li>{t.rules_holidays}</li>
                <li>{no_show_rule(t, &rules)}</li>
            </ul>
        </section>
    }
}

#[component]
pub fn HospitalsPage() -> impl IntoView {
    let t = use_text();
    let from = use_query_map().with_untracked(|q| q.get("from").filter(|f| !f.is_empty()));
    let listing = Resource::new(move || from.clone(), list_hospitals);
    view! {
        <div class="container">
            <PageHeading title=t.list_title lead=t.list_lead/>
            {when_ready(move || async move {
                match listing.await {
                    Ok(listing) => view! { <HospitalList listing/> }.into_any(),
                    Err(error) => view! { <Problem error/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn HospitalList(listing: HospitalListing) -> impl IntoView {
    let t = use_text();
    let mut options = vec![(String::new(), t.from_none.to_owned())];
    options.extend(listing.origins.iter().map(|o| (o.code.clone(), o.name.clone())));
    let chosen = listing.origin.as_ref().map(|o| o.code.clone()).unwrap_or_default();
    let origin_name = listing.origin.as_ref().map(|o| o.name.clone()).unwrap_or_default();
    let numbered = listing.map_tiles.is_some();
    let map = listing.map_tiles.map(|source| {
        let markers = listing
            .hospitals
            .iter()
            .enumerate()
            .map(|(i, (h, _))| MapMarker {
                label: (i + 1).to_string(),
                name: h.name.clone(),
                href: format!("/hospitals/{}", h.id),
                longitude: h.longitude,
                latitude: h.latitude,
            })
            .collect();
        view! { <TileMap source markers label=t.map_label.to_owned() caption=t.map_caption.to_owned()/> }
    });
    let rows = listing
        .hospitals
        .into_iter()
        .enumerate()
        .map(|(i, (h, d))| {
            let distance = match d {
                Some(d) => fill(t.distance, &[&origin_name, &format!("{:.1}", d.km), t.direction(d.bearing)]),
                None => t.distance_unknown.to_owned(),
            };
            // The marker's number, so the map and the table can be read together.
            let number = numbered.then(|| view! { <span class="map-number">{i + 1}</span>" " });
            row([
                cell(view! { {number}<a href=format!("/hospitals/{}", h.id)>{h.name.clone()}</a> }),
                cell(t.kind(h.kind)),
                cell(h.address.clone()),
                cell(view! { <a href=format!("tel:{}", h.telecom)>{h.telecom.clone()}</a> }),
                cell(distance),
            ])
            .id(format!("hospital-{}", h.id))
        })
        .collect();
    view! {
        <p><a href="/hospitals/bookings">{t.my_bookings_title}</a></p>
        {listing.origins_unavailable.then(|| view! { <Notice kind=NoticeKind::Info><p>{t.places_unavailable}</p></Notice> })}
        {(!listing.origins.is_empty()).then(|| view! {
            <form class="search-form" method="get" action="/hospitals">
                <SelectField id="hospitals-from" name="from" label=t.from_label options value=chosen/>
                <button type="submit" class="button">{t.from_button}</button>
            </form>
        })}
        {map}
        <DataTable
            caption=t.list_title
            headers=vec![t.col_hospital, t.col_kind, t.col_address, t.col_phone, t.col_distance]
            rows
        />
        <Rules rules=listing.rules/>
    }
}

#[component]
pub fn HospitalPage() -> impl IntoView {
    let t = use_text();
    let id = param("hospital");
    let detail = Resource::new(move || id.clone(), hospital_detail);
    view! {
        <div class="container">
            <p><a href="/hospitals">{t.back_to_hospitals}</a></p>
            {when_ready(move || async move {
                match detail.await {
                    Ok(view) => view! { <Hospital view/> }.into_any(),
                    Err(error) => view! { <PageHeading title=t.list_title/><Problem error/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn Hospital(view: HospitalView) -> impl IntoView {
    let t = use_text();
    let h = view.hospital;
    let mut categories: Vec<(String, Vec<HealthcareService>)> = Vec::new();
    for s in view.services {
        match categories.iter_mut().find(|(c, _)| *c == s.category) {
            Some((_, list)) => list.push(s),
            None => categories.push((s.category.clone(), vec![s])),
        }
    }
    view! {
        <PageHeading title=h.name.clone() lead=fill(t.hospital_lead, &[t.kind(h.kind), &h.address, &h.telecom])/>
        <h2>{t.departments_title}</h2>
        {categories
            .into_iter()
            .map(|(category, services)| view! {
                <h3>{category}</h3>
                <ul class="link-list">
                    {services
                        .into_iter()
                        .map(|s| view! { <li><a href=format!("/hospitals/{}/departments/{}", h.id, s.id)>{s.name}</a></li> })
                        .collect_view()}
                </ul>
            })
            .collect_view()}
    }
}

#[component]
pub fn DepartmentPage() -> impl IntoView {
    let t = use_text();
    let (hospital, service) = (param("hospital"), param("service"));
    let title = use_query_map().with_untracked(|q| q.get("title").filter(|f| !f.is_empty()));
    let back = format!("/hospitals/{hospital}");
    let detail = Resource::new(
        move || (hospital.clone(), service.clone(), title.clone()),
        |(h, s, title)| department_detail(h, s, title),
    );
    view! {
        <div class="container">
            {when_ready(move || {
                let back = back.clone();
                async move {
                    match detail.await {
                        Ok(view) => view! { <Department view/> }.into_any(),
                        Err(error) => view! {
                            <p><a href=back>{t.back_to_hospitals}</a></p>
                            <PageHeading title=t.list_title/>
                            <Problem error/>
                        }
                        .into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn Department(view: DepartmentView) -> impl IntoView {
    let t = use_text();
    let DepartmentView { hospital, service, doctors, next, title, title_slots } = view;
    let base = format!("/hospitals/{}/departments/{}", hospital.id, service.id);
    let next_text = next.as_ref().map(|(slot, role)| {
        (
            doctor_path(role),
            fill(
                t.next_slot,
                &[
                    &slot.day,
                    t.weekday(weekday_of(&slot.day)),
                    &slot.start,
                    &slot.end,
                    &role.practitioner.name,
                    t.title(role.code),
                    &slot.remaining.to_string(),
                ],
            ),
        )
    });
    let rows = doctors
        .into_iter()
        .map(|d| {
            let next = match &d.next {
                Some(s) => slot_when(t, s),
                None => t.no_free_slot.to_owned(),
            };
            row([
                cell(view! { <a href=doctor_path(&d.role)>{d.role.practitioner.name.clone()}</a> }),
                cell(t.title(d.role.code)),
                cell(fee(t, d.role.fee_fen)),
                cell(d.role.specialty.clone()),
                cell(hours(t, &d.role)),
                cell(next),
            ])
            .id(format!("doctor-{}", d.role.id))
        })
        .collect();
    let title_rows = title_slots
        .into_iter()
        .map(|(slot, role)| {
            row([
                cell(slot_when(t, &slot)),
                cell(view! { <a href=doctor_path(&role)>{role.practitioner.name.clone()}</a> }),
                cell(fill(t.remaining_of, &[&slot.remaining.to_string(), &slot.capacity.to_string()])),
                cell(status_text(t, &slot)),
            ])
        })
        .collect::<Vec<_>>();
    let title_links = Title::ALL
        .into_iter()
        .map(|candidate| {
            let current = title == Some(candidate);
            view! {
                <li>
                    <a href=format!("{base}?title={}", candidate.code()) aria-current=current.then_some("page")>
                        {t.title(candidate)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <p><a href=format!("/hospitals/{}", hospital.id)>{fill(t.back_to_hospital, &[&hospital.name])}</a></p>
        <PageHeading title=format!("{} · {}", hospital.name, service.name)/>
        <section aria-labelledby="next-title">
            <h2 id="next-title">{t.next_title}</h2>
            {match next_text {
                Some((href, text)) => view! { <p><a href=href>{text}</a></p> }.into_any(),
                None => view! { <p>{t.next_none}</p> }.into_any(),
            }}
        </section>
        <DataTable
            caption=t.doctors_title
            headers=vec![t.col_doctor, t.col_title, t.col_fee, t.col_specialty, t.col_hours, t.col_next]
            rows
        />
        <section aria-labelledby="by-title">
            <h2 id="by-title">{t.by_title_title}</h2>
            <p>{t.by_title_lead}</p>
            <ul class="link-list">
                {title_links}
                <li><a href=base.clone()>{t.all_titles}</a></li>
            </ul>
            {title.map(|title| view! {
                <DataTable
                    caption=fill(t.by_title_heading, &[t.title(title)])
                    headers=vec![t.col_time, t.col_doctor, t.col_remaining, t.col_status]
                    rows=title_rows
                />
            })}
        </section>
    }
}

fn status_text(t: &Text, slot: &Slot) -> &'static str {
    match slot.status {
        SlotStatus::Free => t.status_free,
        SlotStatus::Busy if slot.remaining > 0 => t.status_closed,
        SlotStatus::Busy => t.status_full,
    }
}

#[component]
pub fn DoctorPage() -> impl IntoView {
    let t = use_text();
    let (hospital, service, doctor) = (param("hospital"), param("service"), param("doctor"));
    let back = format!("/hospitals/{hospital}/departments/{service}");
    let posted = crate::ui::use_posted_form();
    let detail =
        Resource::new(move || (hospital.clone(), service.clone(), doctor.clone()), |(h, s, d)| doctor_detail(h, s, d));
    view! {
        <div class="container">
            {when_ready(move || {
                let (back, posted) = (back.clone(), posted.clone());
                async move {
                    match detail.await {
                        Ok(view) => view! { <Doctor view posted/> }.into_any(),
                        Err(error) => view! {
                            <p><a href=back>{t.back_to_hospitals}</a></p>
                            <PageHeading title=t.list_title/>
                            <Problem error/>
                        }
                        .into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn Doctor(view: DoctorView, posted: crate::ui::PostedForm) -> impl IntoView {
    let t = use_text();
    let DoctorView { hospital, service, role, slots, rules } = view;
    let (hold, waitlist_rules) = (rules.offer_hold_minutes, rules.clone());
    let posted_day = posted.value("day");
    let summary: Vec<crate::ui::FieldMessage> = if posted_day.is_empty() {
        Vec::new()
    } else {
        let notice = posted.error_code("notice").map(|_| crate::ui::FieldMessage {
            field_id: format!("waitlist-notice-{posted_day}"),
            text: t.error_notice_required.to_owned(),
        });
        let problem = waitlist_problem(t, &rules, &posted)
            .map(|text| crate::ui::FieldMessage { field_id: format!("waitlist-{posted_day}"), text });
        notice.into_iter().chain(problem).collect()
    };
    let mut days: Vec<(String, Vec<Slot>)> = Vec::new();
    for s in slots {
        match days.iter_mut().find(|(d, _)| *d == s.day) {
            Some((_, list)) => list.push(s),
            None => days.push((s.day.clone(), vec![s])),
        }
    }
    let title = format!("{} · {}", role.practitioner.name, t.title(role.code));
    view! {
        <p>
            <a href=format!("/hospitals/{}/departments/{}", hospital.id, service.id)>
                {fill(t.back_to_department, &[&service.name])}
            </a>
        </p>
        <PageHeading title lead=format!("{} · {}", hospital.name, service.name)/>
        <crate::ui::ErrorSummary errors=summary/>
        <section aria-labelledby="profile-title">
            <h2 id="profile-title">{t.profile_title}</h2>
            <dl class="summary-list">
                <div><dt>{t.col_title}</dt><dd>{t.title(role.code)}</dd></div>
                <div><dt>{t.col_fee}</dt><dd>{fee(t, role.fee_fen)}</dd></div>
                <div><dt>{t.col_specialty}</dt><dd>{role.specialty.clone()}</dd></div>
                <div><dt>{t.col_hours}</dt><dd>{hours(t, &role)}</dd></div>
            </dl>
            <p>{role.practitioner.qualification.clone()}</p>
            <p class="hint">{role.availability_exceptions.clone()}</p>
        </section>
        <section aria-labelledby="slots-title">
            <h2 id="slots-title">{t.slots_title}</h2>
            {days.is_empty().then(|| view! { <p>{t.no_slots}</p> })}
            {days
                .into_iter()
                .map(|(day, slots)| {
                    let caption = fill(t.slots_caption, &[&format!("{day} {}", t.weekday(weekday_of(&day)))]);
                    // Every number of the day taken: the waiting list instead.
                    let full = !slots.iter().any(|s| s.status == SlotStatus::Free) && slots.iter().any(|s| s.remaining == 0);
                    let waitlist = full.then(|| {
                        let posted = (posted_day == day).then(|| posted.clone());
                        let problem = posted.as_ref().and_then(|p| waitlist_problem(t, &waitlist_rules, p));
                        view! { <WaitlistForm role=role.clone() day=day.clone() hold posted problem/> }
                    });
                    let rows = slots
                        .into_iter()
                        .map(|s| {
                            row([
                                cell(format!("{}–{}", s.start, s.end)),
                                cell(fill(t.remaining_of, &[&s.remaining.to_string(), &s.capacity.to_string()])),
                                cell(status_text(t, &s)),
                                cell(match s.status {
                                    SlotStatus::Free => view! { <a href=book_path(&role, &s)>{t.book_link}</a> }.into_any(),
                                    SlotStatus::Busy => "—".into_any(),
                                }),
                            ])
                            .id(format!("slot-{}", s.id))
                        })
                        .collect();
                    view! { <DataTable caption headers=vec![t.col_time, t.col_remaining, t.col_status, t.book_link] rows/>{waitlist} }
                })
                .collect_view()}
        </section>
        <Rules rules/>
    }
}

/// "排队候补" for one fully booked day of a doctor: the health-data notice to acknowledge and
/// the button; the answer to a post for this day beside it.
#[component]
fn WaitlistForm(
    role: PractitionerRole,
    day: String,
    hold: u32,
    posted: Option<crate::ui::PostedForm>,
    problem: Option<String>,
) -> impl IntoView {
    let t = use_text();
    let when = format!("{day} {}", t.weekday(weekday_of(&day)));
    let notice_error = posted.as_ref().and_then(|p| p.error_code("notice")).map(|_| t.error_notice_required);
    let verify = posted.as_ref().is_some_and(|p| p.form_error == Some("needs_real_name"));
    let problem = problem.map(|text| {
        let verify = verify.then(|| view! { " "<a href="/account/profile">{t.verify_link}</a> });
        view! { <Notice kind=NoticeKind::Error><p>{text}{verify}</p></Notice> }
    });
    let agreed = posted.as_ref().is_some_and(|p| p.value("notice") == "yes");
    let (section, notice_id, error_id) =
        (format!("waitlist-{day}"), format!("waitlist-notice-{day}"), format!("waitlist-notice-{day}-error"));
    let described_by = notice_error.is_some().then(|| error_id.clone());
    let (title_id, labelled_by) = (format!("{section}-title"), format!("{section}-title"));
    view! {
        <section id=section aria-labelledby=labelled_by tabindex="-1">
            <h3 id=title_id>{t.waitlist_title}</h3>
            <p>{fill(t.waitlist_lead, &[&when, &hold.to_string()])}</p>
            {problem}
            <form method="post" action=format!("{}/waitlist", doctor_path(&role))>
                <input type="hidden" name="day" value=day.clone()/>
                <details>
                    <summary>{t.notice_title}</summary>
                    <p>{t.notice_body}</p>
                </details>
                <div class=if notice_error.is_some() { "field field--error" } else { "field" }>
                    {notice_error.map(|e| view! { <p id=error_id class="field__error">{e}</p> })}
                    <input
                        type="checkbox"
                        id=notice_id.clone()
                        name="notice"
                        value="yes"
                        checked=agreed
                        aria-describedby=described_by
                    />
                    " "
                    <label for=notice_id>{t.notice_agree}</label>
                </div>
                <p class="hint">{t.waitlist_sign_in}</p>
                <button type="submit" class="button">{t.waitlist_button}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::weekday_of;

    #[test]
    fn weekdays_of_dates() {
        assert_eq!(weekday_of("2026-12-07"), 1);
        assert_eq!(weekday_of("2026-12-13"), 7);
        assert_eq!(weekday_of("2027-01-01"), 5);
        assert_eq!(weekday_of("2024-02-29"), 4);
    }
}

fn book_path(role: &PractitionerRole, slot: &Slot) -> String {
    format!("{}/book?slot={}", doctor_path(role), slot.id)
}

fn form_error_text(t: &Text, code: &str) -> &'static str {
    match code {
        "needs_real_name" => t.needs_real_name,
        "not_open" => t.error_not_open,
        "unavailable" => t.error_unavailable,
        "cannot_cancel" => t.error_cannot_cancel,
        "not_full" => t.error_not_full,
        "waitlist_not_open" => t.error_waitlist_not_open,
        "already_waiting_other" => t.error_already_waiting_other,
        "offer_gone" => t.error_offer_gone,
        _ => t.error_generic,
    }
}

/// What a post to a day's waiting list (or an offer's form) was refused for, if it was.
fn waitlist_problem(t: &Text, rules: &BookingRules, posted: &crate::ui::PostedForm) -> Option<String> {
    posted
        .form_error
        .map(|code| form_error_text(t, code).to_owned())
        .or_else(|| posted.extra("refusal").map(|code| refusal_text(t, code, rules, posted)))
}

/// Why the platform's rules refused a booking or an accepted offer (other than "full").
fn refusal_text(t: &Text, code: &str, rules: &BookingRules, posted: &crate::ui::PostedForm) -> String {
    match code {
        "department_day" => t.error_department_day.to_owned(),
        "weekly" => fill(t.error_weekly, &[&rules.per_week.to_string()]),
        "banned" => fill(t.error_banned, &[posted.extra("until").unwrap_or_default()]),
        "full" => t.error_full_none.to_owned(),
        _ => t.error_not_open.to_owned(),
    }
}

fn status_label(t: &Text, status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => t.status_booked,
        AppointmentStatus::Arrived => t.status_arrived,
        AppointmentStatus::Cancelled => t.status_cancelled,
        AppointmentStatus::Noshow => t.status_noshow,
        AppointmentStatus::Fulfilled => t.status_fulfilled,
    }
}

/// `/hospitals/:hospital/departments/:service/doctors/:doctor/book?slot=`: the chosen slot, the
/// health-data notice to acknowledge, and the confirm button.
#[component]
pub fn BookPage() -> impl IntoView {
    let t = use_text();
    let (hospital, service, doctor) = (param("hospital"), param("service"), param("doctor"));
    let posted = crate::ui::use_posted_form();
    let slot_text = {
        let from_post = posted.value("slot");
        if from_post.is_empty() {
            use_query_map().with_untracked(|q| q.get("slot").unwrap_or_default())
        } else {
            from_post
        }
    };
    let slot: i64 = slot_text.parse().unwrap_or(0);
    let here = format!("/hospitals/{hospital}/departments/{service}/doctors/{doctor}/book");
    let next = format!("{here}%3Fslot%3D{slot}");
    let form = Resource::new(
        move || (hospital.clone(), service.clone(), doctor.clone(), slot),
        |(h, s, d, slot)| booking_form(h, s, d, slot),
    );
    view! {
        <div class="container narrow">
            <PageHeading title=t.book_title/>
            {when_ready(move || {
                let (here, next, posted) = (here.clone(), next.clone(), posted.clone());
                async move {
                    match form.await {
                        Ok(form) => view! { <BookForm form here posted/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <p>{t.sign_in_to_book}</p>
                            <crate::ui::SignInNeeded next/>
                        }
                        .into_any(),
                        Err(error) => view! { <Problem error/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn BookForm(form: BookingForm, here: String, posted: crate::ui::PostedForm) -> impl IntoView {
    let t = use_text();
    let DoctorView { hospital, service, role, slots, rules } = form.doctor;
    let back = view! { <p><a href=doctor_path(&role)>{fill(t.back_to_department, &[&role.practitioner.name])}</a></p> };
    let refusal = posted.extra("refusal").map(str::to_owned);
    // After "full": the doctor's nearest free slots, by distance in time from the chosen one.
    let chosen = posted.value("slot").parse::<i64>().ok();
    let nearest: Vec<Slot> = match (&refusal, chosen) {
        (Some(r), Some(chosen)) if r == "full" => {
            let position = slots.iter().position(|s| s.id == chosen).unwrap_or(0);
            let mut free: Vec<(usize, Slot)> = slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.status == SlotStatus::Free && s.id != chosen)
                .map(|(i, s)| (i.abs_diff(position), s.clone()))
                .collect();
            free.sort_by_key(|(d, _)| *d);
            free.into_iter().take(3).map(|(_, s)| s).collect()
        }
        _ => Vec::new(),
    };
    let refusal_view = refusal.map(|code| {
        let text = match code.as_str() {
            "full" if nearest.is_empty() => t.error_full_none.to_owned(),
            "full" => t.error_full.to_owned(),
            other => refusal_text(t, other, &rules, &posted),
        };
        let links = nearest
            .iter()
            .map(|s| view! { <li><a href=book_path(&role, s)>{slot_when(t, s)}" · "{fill(t.remaining_of, &[&s.remaining.to_string(), &s.capacity.to_string()])}</a></li> })
            .collect_view();
        view! {
            <Notice kind=NoticeKind::Error>
                <p>{text}</p>
                <ul>{links}</ul>
            </Notice>
        }
    });
    let problem = posted.form_error.map(|code| {
        let verify = (code == "needs_real_name").then(|| view! { " "<a href="/account/profile">{t.verify_link}</a> });
        view! { <Notice kind=NoticeKind::Error><p>{form_error_text(t, code)}{verify}</p></Notice> }
    });
    let notice_error = posted.error_code("notice").map(|_| t.error_notice_required.to_owned());
    let patient_error = posted.error_code("patient").map(|_| t.error_patient_unknown.to_owned());
    let summary: Vec<crate::ui::FieldMessage> = patient_error
        .iter()
        .map(|e| crate::ui::FieldMessage { field_id: "book-patient-self".into(), text: e.clone() })
        .chain(notice_error.iter().map(|e| crate::ui::FieldMessage { field_id: "book-notice".into(), text: e.clone() }))
        .collect();
    let Some(patient) = form.patient else {
        return view! {
            {back}
            <Notice kind=NoticeKind::Info>
                <p>{t.needs_real_name}" "<a href="/account/profile">{t.verify_link}</a></p>
            </Notice>
        }
        .into_any();
    };
    let Some(slot) = form.slot.or_else(|| chosen.and_then(|c| slots.iter().find(|s| s.id == c).cloned())) else {
        return view! { {back}<Notice kind=NoticeKind::Info><p>{t.slot_gone}</p></Notice> }.into_any();
    };
    let key = {
        let kept = posted.value("key");
        if kept.is_empty() {
            form.key
        } else {
            kept
        }
    };
    let agreed = posted.value("notice") == "yes";
    view! {
        {back}
        <crate::ui::ErrorSummary errors=summary/>
        {refusal_view}
        {problem}
        <h2>{t.book_summary}</h2>
        <dl class="summary-list">
            <div><dt>{t.col_hospital_short}</dt><dd>{hospital.name.clone()}" · "{hospital.address.clone()}</dd></div>
            <div><dt>{t.col_department}</dt><dd>{service.name.clone()}</dd></div>
            <div><dt>{t.col_doctor}</dt><dd>{role.practitioner.name.clone()}" · "{t.title(role.code)}</dd></div>
            <div><dt>{t.col_when}</dt><dd>{slot_when(t, &slot)}</dd></div>
            <div><dt>{t.col_remaining}</dt><dd>{fill(t.remaining_of, &[&slot.remaining.to_string(), &slot.capacity.to_string()])}</dd></div>
            <div><dt>{t.col_fee}</dt><dd>{fee(t, role.fee_fen)}</dd></div>
        </dl>
        <form method="post" action=here>
            <input type="hidden" name="slot" value=slot.id.to_string()/>
            <input type="hidden" name="key" value=key/>
            <PatientChoice patient household=form.household chosen=posted.value("patient") error=patient_error/>
            <section aria-labelledby="notice-title" class="notice notice--info">
                <h2 id="notice-title">{t.notice_title}</h2>
                <p>{t.notice_body}</p>
                <p>{t.notice_member}</p>
            </section>
            <div class=if notice_error.is_some() { "field field--error" } else { "field" }>
                {notice_error.clone().map(|e| view! { <p id="book-notice-error" class="field__error">{e}</p> })}
                <input
                    type="checkbox"
                    id="book-notice"
                    name="notice"
                    value="yes"
                    checked=agreed
                    aria-describedby=notice_error.is_some().then_some("book-notice-error")
                />
                " "
                <label for="book-notice">{t.notice_agree}</label>
            </div>
            <button type="submit" class="button">{t.book_button}</button>
        </form>
        <Rules rules/>
    }
    .into_any()
}

/// "For whom": the citizen, or a member of their registered household once they let the
/// portal read it (a submit button of the same form, so nothing typed is lost).
#[component]
fn PatientChoice(patient: String, household: Household, chosen: String, error: Option<String>) -> impl IntoView {
    let t = use_text();
    let chosen = if chosen.is_empty() { "self".to_owned() } else { chosen };
    let invalid = error.is_some();
    let members = match household {
        Household::NotRead => view! {
            <p class="field__hint" id="book-household-hint">{t.household_hint}</p>
            <button type="submit" name="household" value="read" class="button button--secondary" aria-describedby="book-household-hint">
                {t.household_button}
            </button>
        }
        .into_any(),
        Household::Unavailable => view! { <p class="field__hint">{t.household_unavailable}</p> }.into_any(),
        Household::Members(list) if list.is_empty() => view! { <p class="field__hint">{t.household_none}</p> }.into_any(),
        Household::Members(list) => list
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                let id = format!("book-patient-{}", i + 1);
                let checked = chosen == m.token;
                view! {
                    <div class="radio">
                        <input type="radio" id=id.clone() name="patient" value=m.token checked=checked/>
                        <label for=id>{fill(t.patient_member, &[&m.display, t.relation(m.relation)])}</label>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <fieldset
            id="book-patient"
            class=if invalid { "field field--error" } else { "field" }
            aria-describedby=if invalid { "book-patient-hint book-patient-error" } else { "book-patient-hint" }
        >
            <legend>{t.col_patient}</legend>
            <p class="field__hint" id="book-patient-hint">{t.patient_hint}</p>
            {error.map(|e| view! { <p id="book-patient-error" class="field__error">{e}</p> })}
            <div class="radio">
                <input type="radio" id="book-patient-self" name="patient" value="self" checked=chosen == "self"/>
                <label for="book-patient-self">{fill(t.patient_self, &[&patient])}</label>
            </div>
            {members}
        </fieldset>
    }
}

/// Each patient with misses that count, how many more lead to a suspension, or the
/// suspension itself; and the rule.
#[component]
fn Standings(standings: Vec<StandingView>, rules: BookingRules) -> impl IntoView {
    let t = use_text();
    let lines = standings
        .into_iter()
        .map(|s| {
            let who = if s.for_self {
                fill(t.patient_self, &[&s.display])
            } else {
                fill(t.patient_member_short, &[&s.display])
            };
            let text = match &s.banned_until {
                Some(until) => fill(t.standing_banned, &[&who, until]),
                None => fill(
                    t.standing_counted,
                    &[
                        &who,
                        &s.counted_no_shows.to_string(),
                        &rules.no_show_window_days.to_string(),
                        &rules.no_show_limit.saturating_sub(s.counted_no_shows).to_string(),
                        &rules.no_show_ban_days.to_string(),
                    ],
                ),
            };
            view! { <li>{text}</li> }
        })
        .collect_view();
    view! {
        <Notice kind=NoticeKind::Warning>
            <h2>{t.standing_title}</h2>
            <ul>{lines}</ul>
            <p>{no_show_rule(t, &rules)}</p>
        </Notice>
    }
}

fn no_show_rule(t: &Text, rules: &BookingRules) -> String {
    fill(
        t.standing_rule,
        &[
            &rules.no_show_window_days.to_string(),
            &rules.no_show_limit.to_string(),
            &rules.no_show_ban_days.to_string(),
            &rules.cancel_cutoff_hours.to_string(),
        ],
    )
}

/// Whom a booking is for, as the citizen's own pages say it.
fn patient_text(t: &Text, b: &BookingView) -> String {
    if b.for_self {
        fill(t.patient_self, &[&b.appointment.patient.display])
    } else {
        fill(t.patient_member_short, &[&b.appointment.patient.display])
    }
}

/// `/hospitals/bookings`: the citizen's bookings.
#[component]
pub fn MyBookingsPage() -> impl IntoView {
    let t = use_text();
    let notice = use_query_map().with_untracked(|q| q.get("notice").unwrap_or_default());
    let done = match notice.as_str() {
        "waitlisted" => Some(t.waitlist_joined),
        "already_waiting" => Some(t.waitlist_already),
        "left" => Some(t.waitlist_left),
        _ => None,
    }
    .map(|text| view! { <Notice kind=NoticeKind::Success><p>{text}</p></Notice> });
    let posted = crate::ui::use_posted_form();
    let list = Resource::new(|| (), |_| my_bookings());
    view! {
        <div class="container">
            <PageHeading title=t.my_bookings_title/>
            {done}
            {when_ready(move || {
                let posted = posted.clone();
                async move {
                match list.await {
                    Ok(view) if view.bookings.is_empty() && view.waitlist.is_empty() => view! { <p>{t.my_bookings_empty}</p> }.into_any(),
                    Ok(MyBookingsView { bookings, waitlist, standings, rules }) => {
                        let problem = waitlist_problem(t, &rules, &posted)
                            .map(|text| view! { <Notice kind=NoticeKind::Error><p>{text}</p></Notice> });
                        let waiting = (!waitlist.is_empty()).then(|| view! { <MyWaitlist entries=waitlist/> });
                        let standing = (!standings.is_empty()).then(|| view! { <Standings standings rules=rules.clone()/> });
                        let rows = bookings
                            .into_iter()
                            .map(|b| {
                                row([
                                    cell(view! { <a href=format!("/hospitals/bookings/{}", b.appointment.id)>{slot_when(t, &b.appointment.slot)}</a> }),
                                    cell(b.hospital.name.clone()),
                                    cell(b.service.clone()),
                                    cell(format!("{} · {}", b.doctor.practitioner.name, t.title(b.doctor.code))),
                                    cell(patient_text(t, &b)),
                                    cell(status_label(t, b.appointment.status)),
                                ])
                                .id(format!("booking-{}", b.appointment.id))
                            })
                            .collect();
                        view! {
                            {problem}
                            {standing}
                            {waiting}
                            <DataTable
                                caption=t.my_bookings_title
                                headers=vec![t.col_when, t.col_hospital_short, t.col_department, t.col_doctor, t.col_patient, t.status_label]
                                rows
                            />
                        }
                        .into_any()
                    }
                    Err(AppError::Unauthenticated) => view! { <crate::ui::SignInNeeded next="/hospitals/bookings"/> }.into_any(),
                    Err(error) => view! { <Problem error/> }.into_any(),
                }
                }
            })}
        </div>
    }
}

/// 我的候补: each entry waiting (with its place in the queue) or offered (the held number, the
/// deadline, and the forms to book it or decline).
#[component]
fn MyWaitlist(entries: Vec<WaitlistView>) -> impl IntoView {
    let t = use_text();
    let rows = entries
        .into_iter()
        .map(|w| {
            let e = &w.entry;
            let patient = if w.for_self {
                fill(t.patient_self, &[&e.patient.display])
            } else {
                fill(t.patient_member_short, &[&e.patient.display])
            };
            let (status, actions) = match (e.status, &e.offer_slot, &w.offer_until) {
                (WaitlistStatus::Offered, Some(slot), Some(until)) => (
                    fill(t.waitlist_offered, &[&slot_when(t, slot), until]),
                    view! {
                        <form method="post" action=format!("/hospitals/waitlist/{}/accept", e.id)>
                            <button type="submit" class="button">{t.accept_button}</button>
                        </form>
                        <form method="post" action=format!("/hospitals/waitlist/{}/leave", e.id)>
                            <button type="submit" class="button button--secondary">{t.decline_button}</button>
                        </form>
                    }
                    .into_any(),
                ),
                _ => (
                    fill(t.waitlist_position, &[&e.position.unwrap_or(1).to_string()]),
                    view! {
                        <form method="post" action=format!("/hospitals/waitlist/{}/leave", e.id)>
                            <button type="submit" class="button button--secondary">{t.leave_button}</button>
                        </form>
                    }
                    .into_any(),
                ),
            };
            row([
                cell(format!("{} {}", e.day, t.weekday(weekday_of(&e.day)))),
                cell(w.hospital.clone()),
                cell(w.service.clone()),
                cell(format!("{} · {}", w.doctor.practitioner.name, t.title(w.doctor.code))),
                cell(patient),
                cell(status),
                cell(actions),
            ])
            .id(format!("waitlist-{}", e.id))
        })
        .collect();
    view! {
        <DataTable
            caption=t.my_waitlist_title
            headers=vec![t.col_when, t.col_hospital_short, t.col_department, t.col_doctor, t.col_patient, t.col_waitlist_status, t.col_actions]
            rows
        />
    }
}

/// `/hospitals/bookings/:id`: the confirmation with the QR code, and the cancel button.
#[component]
pub fn BookingDetailPage() -> impl IntoView {
    let t = use_text();
    let id: i64 = param("id").parse().unwrap_or(0);
    let notice = use_query_map().with_untracked(|q| q.get("notice").unwrap_or_default());
    let posted = crate::ui::use_posted_form();
    let booking = Resource::new(move || id, my_booking);
    view! {
        <div class="container narrow">
            <p><a href="/hospitals/bookings">{t.my_bookings_title}</a></p>
            {when_ready(move || {
                let (notice, posted) = (notice.clone(), posted.clone());
                async move {
                    match booking.await {
                        Ok(b) => view! { <BookingDetail b notice posted/> }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <PageHeading title=t.booking_title/>
                            <crate::ui::SignInNeeded next=format!("/hospitals/bookings/{id}")/>
                        }
                        .into_any(),
                        Err(error) => view! { <PageHeading title=t.booking_title/><Problem error/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

#[component]
fn BookingDetail(b: BookingView, notice: String, posted: crate::ui::PostedForm) -> impl IntoView {
    let t = use_text();
    let a = &b.appointment;
    let title = if notice == "booked" { t.confirmation_title } else { t.booking_title };
    let done = match notice.as_str() {
        "booked" => Some((NoticeKind::Success, t.booked_notice)),
        "cancelled" => Some((NoticeKind::Success, t.cancelled_notice)),
        _ => None,
    }
    .map(|(kind, text)| view! { <Notice kind><p>{text}</p></Notice> });
    let problem = posted
        .form_error
        .map(|code| view! { <Notice kind=NoticeKind::Error><p>{form_error_text(t, code)}</p></Notice> });
    let qr = b.qr.clone().map(|(path, size)| {
        let label = fill(t.qr_label, &[&a.identifier]);
        view! {
            <figure class="booking-qr">
                <svg
                    role="img"
                    aria-label=label.clone()
                    viewBox=format!("0 0 {size} {size}")
                    width="220"
                    height="220"
                    shape-rendering="crispEdges"
                >
                    <rect width=size.to_string() height=size.to_string() fill="#fff"/>
                    <path d=path fill="#000"/>
                </svg>
                <figcaption>{label}</figcaption>
            </figure>
        }
    });
    view! {
        <PageHeading title/>
        {done}
        {problem}
        {qr}
        <dl class="summary-list">
            <div><dt>{t.identifier_label}</dt><dd><strong>{a.identifier.clone()}</strong></dd></div>
            <div><dt>{t.sequence_label}</dt><dd>{a.sequence.to_string()}</dd></div>
            <div><dt>{t.status_label}</dt><dd>{status_label(t, a.status)}</dd></div>
            <div><dt>{t.col_hospital_short}</dt><dd>{b.hospital.name.clone()}" · "{b.hospital.address.clone()}</dd></div>
            <div><dt>{t.col_department}</dt><dd>{b.service.clone()}</dd></div>
            <div><dt>{t.col_doctor}</dt><dd>{b.doctor.practitioner.name.clone()}" · "{t.title(b.doctor.code)}</dd></div>
            <div><dt>{t.col_when}</dt><dd>{slot_when(t, &a.slot)}</dd></div>
            <div><dt>{t.col_patient}</dt><dd>{patient_text(t, &b)}</dd></div>
            <div><dt>{t.col_fee}</dt><dd>{fee(t, a.fee_fen)}</dd></div>
        </dl>
        {b.can_cancel.then(|| view! {
            <form method="post" action=format!("/hospitals/bookings/{}/cancel", a.id)>
                <button type="submit" class="button button--secondary">{t.cancel_button}</button>
            </form>
        })}
    }
}
