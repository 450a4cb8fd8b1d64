//! The public booking pages: hospitals (with distance and direction from a chosen district),
//! a hospital's departments, a department's doctors with the next free numbers, and one
//! doctor's profile, clinic hours and numbers per time slot. Plain links and one GET form.

use super::api::*;
use super::contract::*;
use super::text::{use_text, Text};
use crate::error::AppError;
use crate::i18n::fill;
use crate::ui::{cell, row, DataTable, Notice, NoticeKind, PageHeading, SelectField};
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
        other => view! { <crate::app::ErrorNotice error=other/> }.into_any(),
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
            <Suspense>
                {move || Suspend::new(async move {
                    match listing.await {
                        Ok(listing) => view! { <HospitalList listing/> }.into_any(),
                        Err(error) => view! { <Problem error/> }.into_any(),
                    }
                })}
            </Suspense>
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
    let rows = listing
        .hospitals
        .into_iter()
        .map(|(h, d)| {
            let distance = match d {
                Some(d) => fill(t.distance, &[&origin_name, &format!("{:.1}", d.km), t.direction(d.bearing)]),
                None => t.distance_unknown.to_owned(),
            };
            row([
                cell(view! { <a href=format!("/hospitals/{}", h.id)>{h.name.clone()}</a> }),
                cell(t.kind(h.kind)),
                cell(h.address.clone()),
                cell(view! { <a href=format!("tel:{}", h.telecom)>{h.telecom.clone()}</a> }),
                cell(distance),
            ])
            .id(format!("hospital-{}", h.id))
        })
        .collect();
    view! {
        {listing.origins_unavailable.then(|| view! { <Notice kind=NoticeKind::Info><p>{t.places_unavailable}</p></Notice> })}
        {(!listing.origins.is_empty()).then(|| view! {
            <form class="search-form" method="get" action="/hospitals">
                <SelectField id="hospitals-from" name="from" label=t.from_label options value=chosen/>
                <button type="submit" class="button">{t.from_button}</button>
            </form>
        })}
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
            <Suspense>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(view) => view! { <Hospital view/> }.into_any(),
                        Err(error) => view! { <PageHeading title=t.list_title/><Problem error/> }.into_any(),
                    }
                })}
            </Suspense>
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
            <Suspense>
                {move || {
                    let back = back.clone();
                    Suspend::new(async move {
                        match detail.await {
                            Ok(view) => view! { <Department view/> }.into_any(),
                            Err(error) => view! {
                                <p><a href=back>{t.back_to_hospitals}</a></p>
                                <PageHeading title=t.list_title/>
                                <Problem error/>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
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
    let detail =
        Resource::new(move || (hospital.clone(), service.clone(), doctor.clone()), |(h, s, d)| doctor_detail(h, s, d));
    view! {
        <div class="container">
            <Suspense>
                {move || {
                    let back = back.clone();
                    Suspend::new(async move {
                        match detail.await {
                            Ok(view) => view! { <Doctor view/> }.into_any(),
                            Err(error) => view! {
                                <p><a href=back>{t.back_to_hospitals}</a></p>
                                <PageHeading title=t.list_title/>
                                <Problem error/>
                            }
                            .into_any(),
                        }
                    })
                }}
            </Suspense>
        </div>
    }
}

#[component]
fn Doctor(view: DoctorView) -> impl IntoView {
    let t = use_text();
    let DoctorView { hospital, service, role, slots, rules } = view;
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
                    let rows = slots
                        .into_iter()
                        .map(|s| {
                            row([
                                cell(format!("{}–{}", s.start, s.end)),
                                cell(fill(t.remaining_of, &[&s.remaining.to_string(), &s.capacity.to_string()])),
                                cell(status_text(t, &s)),
                            ])
                            .id(format!("slot-{}", s.id))
                        })
                        .collect();
                    view! { <DataTable caption headers=vec![t.col_time, t.col_remaining, t.col_status] rows/> }
                })
                .collect_view()}
        </section>
        <Rules rules/>
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
