//! The page furniture around every route: header (portal name, language and elder-mode
//! switches, navigation, search), page heading and footer.

use crate::i18n::{use_locale, use_messages};
use crate::preferences::{current_path, ElderModeToggle, LanguageSwitch, Preferences};
use crate::site::use_site_profile;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let site = use_site_profile();
    let prefs = use_context::<Preferences>().unwrap_or_default();
    let path = current_path();
    let current_route = path.split('?').next().unwrap_or("/").to_owned();
    let nav = [
        ("/", t.nav_home),
        ("/departments", t.nav_departments),
        ("/search", t.nav_search),
        ("/accessibility", t.nav_accessibility),
        ("/account", t.nav_account),
    ];
    view! {
        <header class="site-header">
            <div class="container site-header__bar">
                <a class="site-header__brand" href="/">
                    {site.portal_name.get(locale).to_owned()}
                </a>
                <div class="site-header__tools" role="group" aria-label=t.settings_label>
                    <LanguageSwitch return_to=path.clone()/>
                    <ElderModeToggle
                        elder=prefs.elder_mode
                        label_on=t.elder_mode_on.to_owned()
                        label_off=t.elder_mode_off.to_owned()
                        return_to=path.clone()
                    />
                </div>
            </div>
            <div class="container site-header__row">
                <nav class="site-nav" aria-label=t.nav_label>
                    <ul>
                        {nav
                            .into_iter()
                            .map(|(href, label)| {
                                let current = current_route == href;
                                view! {
                                    <li>
                                        <a href=href aria-current=current.then_some("page")>{label}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <form class="header-search" role="search" method="get" action="/search">
                    <label for="site-search" class="visually-hidden">{t.search_label}</label>
                    <input id="site-search" name="q" type="search" placeholder=t.search_placeholder maxlength="100"/>
                    <button type="submit" class="button">{t.search_button}</button>
                </form>
            </div>
        </header>
    }
}

/// The page's `<h1>` and `<title>`, with an optional lead paragraph.
#[component]
pub fn PageHeading(#[prop(into)] title: String, #[prop(optional, into)] lead: Option<String>) -> impl IntoView {
    view! {
        <Title text=title.clone()/>
        <h1 class="page-title">{title}</h1>
        {lead.map(|l| view! { <p class="lead">{l}</p> })}
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let site = use_site_profile();
    view! {
        <footer class="site-footer">
            <div class="container site-footer__grid">
                <dl class="site-footer__facts">
                    <div>
                        <dt>{t.footer_sponsor}</dt>
                        <dd>{site.sponsor.get(locale).to_owned()}</dd>
                    </div>
                    <div>
                        <dt>{t.footer_hotline}</dt>
                        <dd><a href=format!("tel:{}", site.hotline)>{site.hotline.clone()}</a></dd>
                    </div>
                    <div>
                        <dt>{t.footer_hall}</dt>
                        <dd>{site.hall_address.get(locale).to_owned()}</dd>
                    </div>
                    <div>
                        <dt>{t.footer_hours}</dt>
                        <dd>{site.hall_hours.get(locale).to_owned()}</dd>
                    </div>
                </dl>
                <nav aria-label=t.footer_links class="site-footer__links">
                    <ul>
                        <li><a href="/accessibility">{t.nav_accessibility}</a></li>
                        <li><a href="/departments">{t.nav_departments}</a></li>
                        <li><a href="/statistics">{t.nav_statistics}</a></li>
                        <li><a href="/open-data">{t.nav_open_data}</a></li>
                        <li><a href="/places">{t.nav_places}</a></li>
                    </ul>
                    {(!site.record_number.is_empty())
                        .then(|| view! { <p>{t.footer_record}": "{site.record_number.clone()}</p> })}
                </nav>
            </div>
        </footer>
    }
}
