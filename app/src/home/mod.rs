//! The home page: search first, then ways in (popular services, people or companies, topics,
//! life events, departments), help, and elder mode.

use crate::catalogue::catalogue_overview;
use crate::departments::list_departments;
use crate::i18n::{use_locale, use_messages};
use crate::site::use_site_profile;
use crate::ui::{in_one_pass, when_ready};
use leptos::prelude::*;
use leptos_meta::Title;

/// How many departments the home page shows before linking to the full list.
pub const HOME_DEPARTMENTS: usize = 8;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let site = use_site_profile();
    view! {
        <Title text=t.home_title/>
        {in_one_pass(view! {
            <section class="hero" aria-labelledby="hero-title">
                <div class="container">
                    <h1 id="hero-title" class="hero__title">{t.home_hero_title}</h1>
                    <p class="hero__lead">{t.home_hero_lead}</p>
                    <form class="hero__search" role="search" method="get" action="/search">
                        <label for="home-search" class="hero__search-label">{t.search_label}</label>
                        <div class="hero__search-row">
                            <input id="home-search" name="q" type="search" placeholder=t.search_placeholder maxlength="100"/>
                            <button type="submit" class="button button--large">{t.search_button}</button>
                        </div>
                    </form>
                </div>
            </section>
        })}
        <div class="container home-sections">
            // One waiting part for both: parts wait one after another, and a part must not wait
            // for a value another part has begun to load (see `ui::when_ready`).
            {when_ready(move || async move {
                let overview = catalogue_overview().await;
                let departments = list_departments().await;
                in_one_pass(view! {
                    <crate::catalogue::CatalogueSections overview/>
                    <section aria-labelledby="home-departments-title">
                        <h2 id="home-departments-title">{t.home_departments_title}</h2>
                        <p>{t.home_departments_lead}</p>
                        {match departments {
                            Ok(list) => view! {
                                <ul class="card-grid">
                                    {list
                                        .iter()
                                        .take(HOME_DEPARTMENTS)
                                        .map(|d| view! {
                                            <li class="card">
                                                <a class="card__link" href=format!("/services?department={}", d.code)>
                                                    {d.name.get(locale).to_owned()}
                                                </a>
                                                <p class="card__text">{d.duties.get(locale).to_owned()}</p>
                                            </li>
                                        })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any(),
                            Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                        }}
                        <p><a href="/departments" class="more-link">{t.home_departments_all}</a></p>
                    </section>
                })
            })}
            {in_one_pass(view! {
                <div class="two-columns">
                    <section aria-labelledby="home-help-title" class="panel">
                        <h2 id="home-help-title">{t.home_help_title}</h2>
                        <p>{t.home_help_lead}</p>
                        <dl class="facts">
                            <dt>{t.footer_hotline}</dt>
                            <dd><a href=format!("tel:{}", site.hotline) class="hotline">{site.hotline.clone()}</a></dd>
                            <dt>{t.footer_hall}</dt>
                            <dd>{site.hall_address.get(locale).to_owned()}</dd>
                            <dt>{t.footer_hours}</dt>
                            <dd>{site.hall_hours.get(locale).to_owned()}</dd>
                        </dl>
                    </section>
                    <section aria-labelledby="home-elder-title" class="panel">
                        <h2 id="home-elder-title">{t.home_elder_title}</h2>
                        <p>{t.home_elder_lead}</p>
                        <p><a href="/accessibility">{t.nav_accessibility}</a></p>
                    </section>
                </div>
            })}
        </div>
    }
}

/// The accessibility statement: what the site promises and how to use elder mode.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let t = use_messages();
    let sections = [
        (t.accessibility_keyboard_title, t.accessibility_keyboard_body),
        (t.accessibility_elder_title, t.accessibility_elder_body),
        (t.accessibility_language_title, t.accessibility_language_body),
        (t.accessibility_feedback_title, t.accessibility_feedback_body),
    ];
    view! {
        <div class="container prose">
            <crate::ui::PageHeading title=t.accessibility_title lead=t.accessibility_intro/>
            {sections
                .into_iter()
                .map(|(title, body)| view! {
                    <section>
                        <h2>{title}</h2>
                        <p>{body}</p>
                    </section>
                })
                .collect_view()}
        </div>
    }
}

crate::page_routes!(HomeRoutes {
    "/" => HomePage,
    "/accessibility" => AccessibilityPage,
});
