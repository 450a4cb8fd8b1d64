//! Citizen pages of the catalogue: browsing by person or company, topic, life event and
//! department; the service guide (print-friendly); and service results in site search.

use super::model::*;
use crate::error::AppError;
use crate::i18n::{fill, use_locale, use_messages, Messages};
use crate::site::Bilingual;
use crate::ui::{cell, row, DataTable, PageHeading};
use crate::ui::{in_one_pass, when_ready};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// A service in a list: enough to choose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub code: String,
    pub name: Bilingual,
    pub summary: Bilingual,
    pub department: Bilingual,
    pub target: Target,
    pub handling: Handling,
    pub promised_limit: TimeLimit,
    pub online_depth: u8,
}

/// Which services a list shows; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFilter {
    pub topic: Option<String>,
    pub event: Option<String>,
    pub target: Option<Target>,
    pub department: Option<String>,
}

/// The home page's ways in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueOverview {
    pub featured: Vec<ServiceCard>,
    /// (topic code, number of services), topics with services only.
    pub topics: Vec<(String, usize)>,
    pub life_events: Vec<(String, usize)>,
    pub for_people: usize,
    pub for_companies: usize,
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::*;
    use crate::catalogue::server::{PublishedItem, Snapshot};

    pub async fn snapshot(
    ) -> Result<(std::sync::Arc<Snapshot>, std::sync::Arc<Vec<crate::departments::Department>>), AppError> {
        let ctx = crate::platform::AppContext::current()?;
        let snapshot = ctx.catalogue.snapshot(&ctx.db).await?;
        let departments = crate::departments::server::all(&ctx.db).await?;
        Ok((snapshot, departments))
    }

    pub fn card(item: &PublishedItem, departments: &[crate::departments::Department]) -> ServiceCard {
        let c = &item.content;
        ServiceCard {
            code: c.code.clone(),
            name: c.name.clone(),
            summary: c.summary.clone(),
            department: department_name(&c.department, departments),
            target: c.target,
            handling: c.handling,
            promised_limit: c.promised_limit,
            online_depth: c.online_depth,
        }
    }

    /// A department's name by its code; the code itself for a department no longer listed.
    pub fn department_name(code: &str, departments: &[crate::departments::Department]) -> Bilingual {
        departments
            .iter()
            .find(|d| d.code == code)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| Bilingual { zh: code.to_owned(), en: code.to_owned() })
    }

    pub fn serves(item: &ItemContent, target: Target) -> bool {
        item.target == target || item.target == Target::Both
    }
}

#[server(name = CatalogueHome, prefix = "/api", endpoint = "services/overview", input = GetUrl)]
pub async fn catalogue_overview() -> Result<CatalogueOverview, AppError> {
    use server_side::*;
    let (snapshot, departments) = snapshot().await?;
    let mut featured: Vec<_> = snapshot.items.iter().filter(|i| i.featured_rank.is_some()).collect();
    featured.sort_by_key(|i| i.featured_rank);
    let count = |codes: &[&str], of: fn(&ItemContent) -> &Vec<String>| -> Vec<(String, usize)> {
        codes
            .iter()
            .map(|code| {
                (code.to_string(), snapshot.items.iter().filter(|i| of(&i.content).iter().any(|t| t == code)).count())
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    Ok(CatalogueOverview {
        featured: featured.into_iter().map(|i| card(i, &departments)).collect(),
        topics: count(TOPICS, |c| &c.topics),
        life_events: count(LIFE_EVENTS, |c| &c.life_events),
        for_people: snapshot.items.iter().filter(|i| serves(&i.content, Target::Person)).count(),
        for_companies: snapshot.items.iter().filter(|i| serves(&i.content, Target::Entity)).count(),
    })
}

#[server(name = ListServices, prefix = "/api", endpoint = "services/list", input = GetUrl)]
pub async fn list_services(filter: ServiceFilter) -> Result<Vec<ServiceCard>, AppError> {
    use server_side::*;
    let (snapshot, departments) = snapshot().await?;
    let locale = crate::i18n::use_locale();
    let mut cards: Vec<ServiceCard> = snapshot
        .items
        .iter()
        .filter(|i| {
            let c = &i.content;
            filter.topic.as_ref().is_none_or(|t| c.topics.contains(t))
                && filter.event.as_ref().is_none_or(|e| c.life_events.contains(e))
                && filter.target.is_none_or(|t| serves(c, t))
                && filter.department.as_ref().is_none_or(|d| &c.department == d)
        })
        .map(|i| card(i, &departments))
        .collect();
    cards.sort_by(|a, b| a.name.get(locale).cmp(b.name.get(locale)));
    Ok(cards)
}

/// One published guide, with its department and version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideView {
    /// The snapshot's own copy, shared (the page reads it; nothing changes it).
    pub content: std::sync::Arc<ItemContent>,
    pub version: i64,
    pub department: Bilingual,
}

#[server(name = ServiceGuide, prefix = "/api", endpoint = "services/guide", input = GetUrl)]
pub async fn service_guide(code: String) -> Result<GuideView, AppError> {
    use server_side::*;
    let (snapshot, departments) = snapshot().await?;
    let item = snapshot.item(&code).ok_or_else(|| crate::platform::fail(AppError::NotFound))?;
    Ok(GuideView {
        department: department_name(&item.content.department, &departments),
        version: item.version,
        content: std::sync::Arc::clone(&item.content),
    })
}

/// A search result: the service and where the query matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceHit {
    pub card: ServiceCard,
    /// Set when a material is what matched best, to say why the service is listed.
    pub via_material: Option<String>,
}

#[server(name = SearchServices, prefix = "/api", endpoint = "services/search", input = GetUrl)]
pub async fn search_services(query: String) -> Result<Vec<ServiceHit>, AppError> {
    use crate::catalogue::search::MatchedIn;
    use server_side::*;
    let query = crate::departments::check_query(&query)
        .map_err(|problem| crate::platform::fail(AppError::validation("q", problem.code())))?;
    let (snapshot, departments) = snapshot().await?;
    Ok(snapshot
        .index
        .search(query)
        .into_iter()
        .filter_map(|hit| {
            let item = snapshot.item(&hit.code)?;
            let via_material = (hit.matched_in == MatchedIn::Material).then_some(hit.matched_text);
            Some(ServiceHit { card: card(item, &departments), via_material })
        })
        .collect())
}

pub fn topic_label(code: &str, t: &'static Messages) -> &'static str {
    match code {
        "birth" => t.topic_birth,
        "household" => t.topic_household,
        "identity" => t.topic_identity,
        "marriage" => t.topic_marriage,
        "social_assistance" => t.topic_social_assistance,
        "pension" => t.topic_pension,
        "disability" => t.topic_disability,
        "health" => t.topic_health,
        "housing" => t.topic_housing,
        "education" => t.topic_education,
        "employment" => t.topic_employment,
        "business_start" => t.topic_business_start,
        "business_change" => t.topic_business_change,
        "food" => t.topic_food,
        "construction" => t.topic_construction,
        _ => t.topic_other,
    }
}

pub fn life_event_label(code: &str, t: &'static Messages) -> &'static str {
    match code {
        "having_a_baby" => t.event_having_a_baby,
        "getting_married" => t.event_getting_married,
        "moving_home" => t.event_moving_home,
        "retiring" => t.event_retiring,
        "hardship" => t.event_hardship,
        "starting_a_business" => t.event_starting_a_business,
        "building" => t.event_building,
        _ => t.topic_other,
    }
}

/// "自受理之日起 N 个工作日" or "即办".
pub fn limit_text(handling: Handling, limit: TimeLimit, t: &'static Messages) -> String {
    if handling == Handling::Immediate || limit.days == 0 {
        return t.limit_immediate.to_owned();
    }
    let unit = match limit.unit {
        DayUnit::Working => t.limit_working_days,
        DayUnit::Natural => t.limit_natural_days,
    };
    fill(t.limit_from_acceptance, &[&limit.days.to_string(), unit])
}

/// The list of services a page shows.
#[component]
pub fn ServiceCards(cards: Vec<ServiceCard>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    if cards.is_empty() {
        return view! { <p>{t.services_none}</p> }.into_any();
    }
    view! {
        <ul class="service-list">
            {cards
                .into_iter()
                .map(|c| view! {
                    <li class="service-card">
                        <h3 class="service-card__title">
                            <a href=format!("/services/{}", c.code)>{c.name.into_text(locale)}</a>
                        </h3>
                        <p class="service-card__summary">{c.summary.into_text(locale)}</p>
                        <p class="service-card__facts">
                            <span>{c.department.into_text(locale)}</span>
                            <span>{limit_text(c.handling, c.promised_limit, t)}</span>
                            {(c.online_depth >= 3).then(|| view! { <span class="tag">{t.services_online}</span> })}
                        </p>
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The home page's catalogue sections: popular services, for people or companies, by topic and
/// by life event.
#[component]
pub fn CatalogueSections(overview: Result<CatalogueOverview, AppError>) -> impl IntoView {
    let t = use_messages();
    view! {
        {
            match overview {
                Ok(CatalogueOverview { featured, topics, life_events, for_people, for_companies }) => view! {
                    <section aria-labelledby="home-popular-title">
                        <h2 id="home-popular-title">{t.home_popular_title}</h2>
                        <ServiceCards cards=featured/>
                    </section>
                    <section aria-labelledby="home-target-title">
                        <h2 id="home-target-title">{t.home_target_title}</h2>
                        <ul class="card-grid card-grid--two">
                            <li class="card">
                                <a class="card__link" href="/services?target=person">{t.services_for_people}</a>
                                <p class="card__text">{fill(t.services_count, &[&for_people.to_string()])}</p>
                            </li>
                            <li class="card">
                                <a class="card__link" href="/services?target=entity">{t.services_for_companies}</a>
                                <p class="card__text">{fill(t.services_count, &[&for_companies.to_string()])}</p>
                            </li>
                        </ul>
                    </section>
                    <section aria-labelledby="home-topics-title">
                        <h2 id="home-topics-title">{t.home_topics_title}</h2>
                        <ul class="chip-list">
                            {topics.iter().map(|(code, n)| view! {
                                <li><a class="chip" href=format!("/services?topic={code}")>{topic_label(code, t)}" ("{n.to_string()}")"</a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                    <section aria-labelledby="home-events-title">
                        <h2 id="home-events-title">{t.home_events_title}</h2>
                        <ul class="chip-list">
                            {life_events.iter().map(|(code, n)| view! {
                                <li><a class="chip" href=format!("/services?event={code}")>{life_event_label(code, t)}" ("{n.to_string()}")"</a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
                .into_any(),
                Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
            }
        }
    }
}

/// `/services`: every published service, or those of one topic, life event, audience or
/// department.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let t = use_messages();
    let query = use_query_map();
    let filter = query.with_untracked(|q| ServiceFilter {
        topic: q.get("topic").filter(|v| TOPICS.contains(&v.as_str())),
        event: q.get("event").filter(|v| LIFE_EVENTS.contains(&v.as_str())),
        target: match q.get("target").as_deref() {
            Some("person") => Some(Target::Person),
            Some("entity") => Some(Target::Entity),
            _ => None,
        },
        department: q.get("department"),
    });
    let title = match (&filter.topic, &filter.event, filter.target, &filter.department) {
        (Some(topic), _, _, _) => fill(t.services_topic_title, &[topic_label(topic, t)]),
        (_, Some(event), _, _) => life_event_label(event, t).to_owned(),
        (_, _, Some(Target::Person), _) => t.services_for_people.to_owned(),
        (_, _, Some(_), _) => t.services_for_companies.to_owned(),
        (_, _, _, Some(_)) => t.services_department_title.to_owned(),
        _ => t.services_all_title.to_owned(),
    };
    let department_code = filter.department.clone();
    let locale = use_locale();
    view! {
        <div class="container">
            <PageHeading title=title/>
            // One waiting part for both: parts wait one after another, and a part must not wait
            // for a value another part has begun to load (see `ui::when_ready`).
            {when_ready(move || {
                let filter = filter.clone();
                let department_code = department_code.clone();
                async move {
                    let services = list_services(filter).await;
                    // A department's page: who they are and how to reach them, above their services.
                    let department = match department_code {
                        Some(code) => crate::departments::list_departments()
                            .await
                            .ok()
                            .and_then(|list| list.iter().find(|d| d.code == code).cloned()),
                        None => None,
                    };
                    in_one_pass(view! {
                        {department.map(|d| view! {
                            <section class="panel department-card" aria-labelledby="department-name">
                                <h2 id="department-name">{d.name.get(locale).to_owned()}</h2>
                                <p>{d.duties.get(locale).to_owned()}</p>
                                <dl class="facts">
                                    <div><dt>{t.departments_col_phone}</dt><dd><a href=format!("tel:{}", d.phone)>{d.phone.clone()}</a></dd></div>
                                    <div><dt>{t.departments_col_address}</dt><dd>{d.address.get(locale).to_owned()}</dd></div>
                                </dl>
                            </section>
                        })}
                        {match services {
                            Ok(cards) => view! {
                                <h2 class="results-count">{fill(t.services_count, &[&cards.len().to_string()])}</h2>
                                <ServiceCards cards/>
                            }
                            .into_any(),
                            Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                        }}
                    })
                }
            })}
            <p><a href="/services" class="more-link">{t.services_all_title}</a></p>
        </div>
    }
}

/// `/services/{code}`: the guide. Printing drops the site's navigation (see the print styles).
#[component]
pub fn ServiceGuidePage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    view! {
        <div class="container guide">
            {when_ready(move || {
                let code = code.clone();
                async move {
                    match service_guide(code).await {
                        Ok(g) => in_one_pass(guide_body(&g, false)).into_any(),
                        Err(AppError::NotFound) => view! { <crate::ui::NotFoundPage/> }.into_any(),
                        Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                    }
                }
            })}
        </div>
    }
}

fn item_type_label(kind: ItemType, t: &'static Messages) -> &'static str {
    match kind {
        ItemType::Licence => t.item_type_licence,
        ItemType::Payment => t.item_type_payment,
        ItemType::Confirmation => t.item_type_confirmation,
        ItemType::Adjudication => t.item_type_adjudication,
        ItemType::Reward => t.item_type_reward,
        ItemType::Levy => t.item_type_levy,
        ItemType::OtherPower => t.item_type_other_power,
        ItemType::PublicService => t.item_type_public_service,
    }
}

fn material_form_label(form: MaterialForm, t: &'static Messages) -> &'static str {
    match form {
        MaterialForm::Original => t.material_original,
        MaterialForm::Copy => t.material_copy,
        MaterialForm::OriginalAndCopy => t.material_original_and_copy,
        MaterialForm::Electronic => t.material_electronic,
    }
}

/// The guide as citizens would see it, for the staff editor's preview.
#[component]
pub(crate) fn StaffGuidePreview(guide: GuideView) -> impl IntoView {
    view! { <div class="guide preview__frame">{guide_body(&guide, true)}</div> }
}

/// The guide's sections as the page shows them, rendered alone outside any page: the catalogue
/// benchmark prices Leptos's rendering of them against the same HTML written by hand.
#[cfg(feature = "testing")]
pub fn render_guide_sections(guide: &GuideView) -> String {
    Owner::new().with(|| {
        leptos_meta::provide_meta_context();
        guide_body(guide, false).to_html()
    })
}

/// The same sections as the guide page builds them, in a page part that first awaits `fetch`
/// (standing in for the page's queries), rendered alone outside any page.
#[cfg(feature = "testing")]
pub async fn render_guide_part<Fetch>(guide: std::sync::Arc<GuideView>, fetch: Fetch) -> String
where
    Fetch: std::future::Future<Output = ()> + Send + 'static,
{
    use futures_util::StreamExt;
    let owner = Owner::new();
    let fetch = std::sync::Mutex::new(Some(fetch));
    let stream = owner.with(|| {
        leptos_meta::provide_meta_context();
        view! {
            <div class="container guide">
                {when_ready(move || {
                    let guide = guide.clone();
                    let fetch = fetch.lock().ok().and_then(|mut f| f.take());
                    async move {
                        if let Some(fetch) = fetch {
                            fetch.await;
                        }
                        in_one_pass(guide_body(&guide, false))
                    }
                })}
            </div>
        }
        .to_html_stream_in_order()
    });
    stream.collect::<String>().await
}

/// The guide's sections; in a `preview` (inside the staff editor) the page keeps its own title
/// and main heading.
fn guide_body(guide: &GuideView, preview: bool) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let c = &guide.content;
    let target = match c.target {
        Target::Person => t.target_person,
        Target::Entity => t.target_entity,
        Target::Both => t.target_both,
    };
    let channels: Vec<&str> = c
        .channels
        .iter()
        .map(|ch| match ch {
            Channel::Window => t.channel_window,
            Channel::Online => t.channel_online,
            Channel::Post => t.channel_post,
        })
        .collect();
    let scope = match c.scope {
        Scope::City => t.scope_city,
        Scope::Province => t.scope_province,
        Scope::National => t.scope_national,
    };
    let depth = match c.online_depth {
        4 => t.online_depth_4,
        3 => t.online_depth_3,
        2 => t.online_depth_2,
        _ => t.online_depth_1,
    };
    let handling = if c.handling == Handling::Immediate { t.handling_immediate } else { t.handling_promised };
    let sections = [
        ("guide-basics", t.guide_basics),
        ("guide-conditions", t.guide_conditions),
        ("guide-materials", t.guide_materials),
        ("guide-process", t.guide_process),
        ("guide-fees", t.guide_fees),
        ("guide-basis", t.guide_basis),
        ("guide-where", t.guide_where),
        ("guide-contacts", t.guide_contacts),
    ];
    view! {
        {if preview {
            view! {
                <h3 class="page-title">{c.name.get(locale).to_owned()}</h3>
                <p class="lead">{c.summary.get(locale).to_owned()}</p>
            }
            .into_any()
        } else {
            view! { <PageHeading title=c.name.get(locale).to_owned() lead=c.summary.get(locale).to_owned()/> }.into_any()
        }}
        <p class="guide__meta">{guide.department.get(locale).to_owned()}" · "{limit_text(c.handling, c.promised_limit, t)}</p>
        <div class="guide__actions no-print">
            {c.channels.contains(&Channel::Online).then(|| view! {
                <p>{t.guide_apply_online_lead}</p>
                <p><a class="button button--start" href=format!("/services/{}/apply", c.code)>{t.guide_apply_online}</a></p>
            })}
            {c.appointment.then(|| view! {
                <p>{fill(t.guide_appointment, &[&c.consultation_phone])}</p>
            })}
            <p class="guide__print-hint">{t.guide_print_hint}</p>
        </div>
        <nav class="guide__contents no-print" aria-labelledby="guide-contents-title">
            <h2 id="guide-contents-title">{t.guide_contents}</h2>
            <ol>
                {sections.iter().map(|(id, title)| view! { <li><a href=format!("#{id}")>{*title}</a></li> }).collect_view()}
            </ol>
        </nav>
        <section id="guide-basics" aria-labelledby="guide-basics-title">
            <h2 id="guide-basics-title">{t.guide_basics}</h2>
            <dl class="facts guide__facts">
                <div><dt>{t.guide_item_type}</dt><dd>{item_type_label(c.item_type, t)}</dd></div>
                <div><dt>{t.guide_body}</dt><dd>{c.implementing_body.get(locale).to_owned()}</dd></div>
                <div><dt>{t.guide_target}</dt><dd>{target}</dd></div>
                <div><dt>{t.guide_handling}</dt><dd>{handling}</dd></div>
                <div><dt>{t.guide_statutory_limit}</dt><dd>{limit_text(Handling::Promised, c.statutory_limit, t)}</dd></div>
                <div><dt>{t.guide_promised_limit}</dt><dd>{limit_text(c.handling, c.promised_limit, t)}</dd></div>
                <div><dt>{t.guide_channels}</dt><dd>{locale.join_list(&channels)}</dd></div>
                <div><dt>{t.guide_online_depth}</dt><dd>{depth}</dd></div>
                <div>
                    <dt>{t.guide_visits}</dt>
                    <dd>{fill(t.guide_visits_value, &[&c.visits.to_string()])}" "<span lang="zh-CN">{c.visits_note.clone()}</span></dd>
                </div>
                <div><dt>{t.guide_scope}</dt><dd>{scope}</dd></div>
                {(!c.quantity_limit.is_empty()).then(|| view! {
                    <div><dt>{t.guide_quantity_limit}</dt><dd lang="zh-CN">{c.quantity_limit.clone()}</dd></div>
                })}
                <div>
                    <dt>{t.guide_result}</dt>
                    <dd>
                        <span lang="zh-CN">{c.result.name.clone()}</span>
                        {(!c.result.validity.is_empty()).then(|| view! { " ("{t.guide_validity}": "<span lang="zh-CN">{c.result.validity.clone()}</span>")" })}
                    </dd>
                </div>
                <div><dt>{t.guide_code}</dt><dd><code>{c.code.clone()}</code>" · "{fill(t.guide_version, &[&guide.version.to_string()])}</dd></div>
            </dl>
        </section>
        <section id="guide-conditions" aria-labelledby="guide-conditions-title">
            <h2 id="guide-conditions-title">{t.guide_conditions}</h2>
            <ul lang="zh-CN">{c.conditions.iter().map(|x| view! { <li>{x.clone()}</li> }).collect_view()}</ul>
        </section>
        <section id="guide-materials" aria-labelledby="guide-materials-title">
            <h2 id="guide-materials-title">{t.guide_materials}</h2>
            <DataTable
                caption=t.guide_materials
                headers=vec![t.material_name, t.material_form, t.material_quantity, t.material_necessity, t.material_source]
                rows=c.materials.iter().map(|m| {
                    let necessity = match m.necessity {
                        Necessity::Required => t.necessity_required,
                        Necessity::Optional => t.necessity_optional,
                        Necessity::Deferrable => t.necessity_deferrable,
                    };
                    let source = match m.source {
                        MaterialSource::Applicant => t.source_applicant,
                        MaterialSource::Government => t.source_government,
                        MaterialSource::Other => t.source_other,
                    };
                    let quantity = fill(t.material_quantity_value, &[&m.originals.to_string(), &m.copies.to_string()]);
                    row([
                        cell(view! {
                            <span lang="zh-CN">{m.name.clone()}</span>
                            {m.e_certificate.clone().map(|cert| view! { <span class="material__note">{fill(t.material_e_certificate, &[&cert])}</span> })}
                            {m.declaration_allowed.then(|| view! { <span class="material__note">{t.material_declaration}</span> })}
                            {(!m.note.is_empty()).then(|| view! { <span class="material__note" lang="zh-CN">{m.note.clone()}</span> })}
                        }),
                        cell(material_form_label(m.form, t)),
                        cell(quantity),
                        cell(necessity),
                        cell(view! { {source}{(!m.source_note.is_empty()).then(|| view! { <span lang="zh-CN">{format!("：{}", m.source_note)}</span> })} }),
                    ])
                }).collect()
            />
        </section>
        <section id="guide-process" aria-labelledby="guide-process-title">
            <h2 id="guide-process-title">{t.guide_process}</h2>
            <ol class="steps" lang="zh-CN">
                {c.process.iter().map(|s| view! { <li><strong>{s.step.clone()}</strong>"："{s.description.clone()}</li> }).collect_view()}
            </ol>
        </section>
        <section id="guide-fees" aria-labelledby="guide-fees-title">
            <h2 id="guide-fees-title">{t.guide_fees}</h2>
            {if c.fees.is_empty() {
                view! { <p>{t.guide_no_fee}</p> }.into_any()
            } else {
                view! {
                    <ul lang="zh-CN">
                        {c.fees.iter().map(|f| view! {
                            <li>{f.name.clone()}"："{f.standard.clone()}"（"{f.basis.clone()}"）"{(!f.reduction.is_empty()).then(|| format!(" {}", f.reduction))}</li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section id="guide-basis" aria-labelledby="guide-basis-title">
            <h2 id="guide-basis-title">{t.guide_basis}</h2>
            <ul lang="zh-CN">
                {c.legal_basis.iter().map(|b| view! {
                    <li><strong>{b.law.clone()}" "{b.article.clone()}</strong>{(!b.text.is_empty()).then(|| view! { <blockquote>{b.text.clone()}</blockquote> })}</li>
                }).collect_view()}
            </ul>
        </section>
        <section id="guide-where" aria-labelledby="guide-where-title">
            <h2 id="guide-where-title">{t.guide_where}</h2>
            <dl class="facts">
                <div><dt>{t.guide_location}</dt><dd lang="zh-CN">{c.location.clone()}</dd></div>
                <div><dt>{t.guide_hours}</dt><dd lang="zh-CN">{c.hours.clone()}</dd></div>
            </dl>
        </section>
        <section id="guide-contacts" aria-labelledby="guide-contacts-title">
            <h2 id="guide-contacts-title">{t.guide_contacts}</h2>
            <dl class="facts">
                <div><dt>{t.guide_consultation}</dt><dd><a href=format!("tel:{}", c.consultation_phone)>{c.consultation_phone.clone()}</a></dd></div>
                <div><dt>{t.guide_complaint}</dt><dd><a href=format!("tel:{}", c.complaint_phone)>{c.complaint_phone.clone()}</a></dd></div>
            </dl>
        </section>
        {(!c.faq.is_empty()).then(|| view! {
            <section id="guide-faq" aria-labelledby="guide-faq-title">
                <h2 id="guide-faq-title">{t.guide_faq}</h2>
                <dl class="faq" lang="zh-CN">
                    {c.faq.iter().map(|f| view! { <dt>{f.question.clone()}</dt><dd>{f.answer.clone()}</dd> }).collect_view()}
                </dl>
            </section>
        })}
    }
}

/// Service results for the site search page, as items of its result list.
#[component]
pub fn ServiceResults(hits: Vec<ServiceHit>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    hits.into_iter()
        .map(|h| view! {
            <li class="result">
                <p class="result__kind">{t.search_result_service}" · "{h.card.department.get(locale).to_owned()}</p>
                <h3 class="result__title"><a href=format!("/services/{}", h.card.code)>{h.card.name.get(locale).to_owned()}</a></h3>
                <p>{h.card.summary.get(locale).to_owned()}</p>
                {h.via_material.map(|m| view! { <p class="result__why">{fill(t.search_via_material, &[&m])}</p> })}
            </li>
        })
        .collect_view()
}
