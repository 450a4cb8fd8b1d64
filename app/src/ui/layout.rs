//! The page furniture around every route: header (portal name, language and elder-mode
//! switches, sign-in or the signed-in name, navigation and search behind a menu on phones),
//! page heading and footer.

use super::{in_one_pass, when_ready};
use crate::accounts::{current_viewer, surely_visitor, Viewer};
use crate::i18n::{use_locale, use_messages};
use crate::preferences::{current_path, ElderModeToggle, LanguageSwitch, Preferences};
use crate::site::use_site_profile;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

/// The header on every page. On phones it is one compact bar (portal name, sign-in or the
/// signed-in person's name, a menu) over a row with the language and elder-mode switches; the
/// menu is a `<details>` element, so it opens without JavaScript. On wide screens the menu's
/// contents (navigation and search) show in a row of their own. The home and search pages have
/// their own search box, so the header leaves its out there.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let site = use_site_profile();
    let prefs = use_context::<Preferences>().unwrap_or_default();
    let path = current_path();
    let current_route = path.split('?').next().unwrap_or("/").to_owned();
    // The home and search pages have their own, larger search box.
    let own_search_box = matches!(current_route.as_str(), "/" | "/search");
    let in_applications = current_route.starts_with("/applications");
    // Without a session there is no one to look up: no resource, nothing to wait for.
    let viewer = (!surely_visitor()).then(|| Resource::new(|| (), |_| current_viewer()));
    let anonymous = viewer.is_none();
    let nav = [
        ("/", t.nav_home),
        ("/services", t.nav_services),
        ("/departments", t.nav_departments),
        ("/search", t.nav_search),
        ("/accessibility", t.nav_accessibility),
    ];
    let header = view! {
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
                {match viewer {
                    None => Either::Left(view! { <AccountLink viewer=Viewer::Visitor/> }),
                    Some(viewer) => Either::Right(view! {
                        {when_ready(move || async move { view! { <AccountLink viewer=viewer.await/> } })}
                    }),
                }}
                <details class="site-menu">
                    <summary class="site-menu__toggle">{t.menu_button}</summary>
                    <div class="site-menu__panel">
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
                                {viewer.map(|viewer| view! {
                                    {when_ready(move || async move {
                                        matches!(viewer.await, Viewer::Citizen { .. }).then(|| {
                                            view! {
                                                <li>
                                                    <a href="/applications" aria-current=in_applications.then_some("page")>{t.header_my_applications}</a>
                                                </li>
                                            }
                                        })
                                    })}
                                })}
                            </ul>
                        </nav>
                        {(!own_search_box).then(|| view! {
                            <form class="header-search" role="search" method="get" action="/search">
                                <label for="site-search" class="visually-hidden">{t.search_label}</label>
                                <input id="site-search" name="q" type="search" placeholder=t.search_placeholder maxlength="100"/>
                                <button type="submit" class="button">{t.search_button}</button>
                            </form>
                        })}
                    </div>
                </details>
            </div>
        </header>
    };
    // A visitor's header waits for nothing, so it renders in one pass.
    if anonymous {
        Either::Left(in_one_pass(header))
    } else {
        Either::Right(header)
    }
}

/// Sign-in for visitors; for someone signed in, their name, linking to their account (citizens)
/// or console (staff). The hidden prefix says where the link goes.
#[component]
fn AccountLink(viewer: Viewer) -> impl IntoView {
    let t = use_messages();
    let applications = match &viewer {
        Viewer::Citizen { unread, .. } => Some(*unread),
        _ => None,
    };
    let (href, prefix, text) = match viewer {
        Viewer::Visitor => ("/login", None, t.login_title.to_owned()),
        Viewer::Citizen { name, .. } => ("/account", Some(t.header_account_of), name),
        Viewer::Staff { name } => ("/staff", Some(t.header_console_of), name),
    };
    view! {
        // Unread news about the citizen's applications: a compact badge in the bar (the menu
        // holds the 我的办件 link itself, so a phone's header stays one row).
        {applications.filter(|unread| *unread > 0).map(|unread| view! {
            <a class="site-header__inbox" href="/applications">
                <span class="visually-hidden">{t.header_my_applications}": "</span>
                <span class="badge">{unread}</span>
                <span class="visually-hidden">{t.header_unread}</span>
            </a>
        })}
        <a class="site-header__account" href=href>
            {prefix.map(|p| view! { <span class="visually-hidden">{p}</span> })}
            {text}
        </a>
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
    in_one_pass(view! {
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
                        <li><a href="/hospitals">{t.nav_hospitals}</a></li>
                        <li><a href="/library">{t.nav_library}</a></li>
                        <li><a href="/gas">{t.nav_gas}</a></li>
                    </ul>
                    {(!site.record_number.is_empty())
                        .then(|| view! { <p>{t.footer_record}": "{site.record_number.clone()}</p> })}
                </nav>
            </div>
        </footer>
    })
}
