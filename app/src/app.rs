//! The HTML shell and the route table, composed from the features' own parts.

use crate::i18n::use_messages;
use crate::preferences::Preferences;
use crate::site::use_site_profile;
use crate::ui::{NotFoundPage, Notice, NoticeKind, SharedRoutes, SharedRoutesSlot, SiteFooter, SiteHeader};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{FlatRoutes, FlatRoutesProps, RouteChildren, Router};
use leptos_router::MatchNestedRoutes;

/// A form post answered by a feature handler: (path posted to, page rendered again with what was
/// typed when the handler finds a problem, handler). Paths may hold `{name}` parameters, which
/// the page path repeats. See `platform::forms`.
#[cfg(feature = "ssr")]
pub type FormRoute = (&'static str, &'static str, crate::platform::forms::FormHandler);

/// Every form route: the features' own tables, composed here.
#[cfg(feature = "ssr")]
pub fn form_routes() -> impl Iterator<Item = &'static FormRoute> {
    FORM_ROUTES
        .iter()
        .chain(crate::applications::FORM_ROUTES)
        .chain(crate::cases::FORM_ROUTES)
        .chain(crate::supervision::FORM_ROUTES)
        .chain(crate::hospitals::FORM_ROUTES)
        .chain(crate::gas::FORM_ROUTES)
        .chain(crate::library::FORM_ROUTES)
        .chain(crate::bus::FORM_ROUTES)
}

/// Every multi-line field: (form route, field name). See [`MULTI_LINE_FIELDS`].
#[cfg(feature = "ssr")]
pub fn multi_line_fields() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    MULTI_LINE_FIELDS
        .iter()
        .chain(crate::applications::MULTI_LINE_FIELDS)
        .chain(crate::cases::MULTI_LINE_FIELDS)
        .chain(crate::supervision::MULTI_LINE_FIELDS)
}

/// Whether `field` of the form posted to `route` may hold several lines (`platform::input`).
#[cfg(feature = "ssr")]
pub fn is_multi_line(route: &str, field: &str) -> bool {
    multi_line_fields().any(|(r, f)| *r == route && *f == field)
}

/// The form routes of the account, staff and catalogue features.
#[cfg(feature = "ssr")]
pub const FORM_ROUTES: &[FormRoute] = &[
    ("/register", "/register", crate::accounts::forms::register),
    ("/login", "/login", crate::accounts::forms::login),
    ("/logout", "/", crate::accounts::forms::logout),
    ("/account/verify-email", "/account/verify-email", crate::accounts::forms::confirm_email),
    ("/account/resend-confirmation", "/account", crate::accounts::forms::resend_confirmation),
    ("/account/real-name", "/account", crate::accounts::forms::verify_real_name),
    ("/account/password", "/account/security", crate::accounts::forms::change_password),
    ("/account/sign-out-everywhere", "/account/security", crate::accounts::forms::sign_out_everywhere),
    ("/account/cancel", "/account/data", crate::accounts::forms::cancel_account),
    ("/account/entities", "/account/business", crate::accounts::forms::link_entity),
    ("/account/sessions/revoke", "/account/security", crate::accounts::forms::revoke_session),
    ("/account/contact/confirm", "/account/contact", crate::accounts::reauthenticate),
    ("/account/contact/email", "/account/contact", crate::accounts::change_email),
    ("/account/contact/email/confirm", "/account/contact", crate::accounts::confirm_email_change),
    ("/account/contact/phone", "/account/contact", crate::accounts::change_phone),
    ("/login/unlock", "/login/unlock", crate::accounts::request_unlock),
    ("/login/unlock/code", "/login/unlock", crate::accounts::unlock),
    ("/password-reset", "/password-reset", crate::accounts::forms::request_reset),
    ("/password-reset/new", "/password-reset/new", crate::accounts::forms::reset_password),
    ("/staff/setup", "/staff/setup", crate::accounts::staff_forms::setup),
    ("/staff/login", "/staff/login", crate::accounts::staff_forms::login),
    ("/staff/accounts", "/staff/accounts", crate::accounts::staff_forms::create_staff),
    ("/staff/accounts/disable", "/staff/accounts", crate::accounts::staff_forms::disable_staff),
    ("/staff/password", "/staff/password", crate::accounts::staff_forms::change_password),
    ("/staff/services/edit", "/staff/services/edit", crate::catalogue::save_item),
    ("/staff/services/publish", "/staff/services", crate::catalogue::publish),
    ("/staff/services/unpublish", "/staff/services", crate::catalogue::unpublish),
    ("/staff/calendar", "/staff/calendar", crate::catalogue::save_day),
    ("/staff/calendar/clear", "/staff/calendar", crate::catalogue::clear_day),
];

/// The fields that may hold several lines (tab, CR and LF allowed; every other field refuses
/// them with the other control characters, see `platform::input`): (form route, field name).
/// Each is drawn with `ui::TextArea`; a test checks every `<textarea>` on a form page is here.
#[cfg(feature = "ssr")]
pub const MULTI_LINE_FIELDS: &[(&str, &str)] = &[("/staff/services/edit", "content")];

/// The document around every page. Language and elder mode come from the request's cookies,
/// so `<html lang>` and the elder class are right in the first byte, with or without JavaScript.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = request_preferences();
    provide_context(prefs);
    view! {
        <!DOCTYPE html>
        <html lang=prefs.locale.tag() class=prefs.html_class()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="site-css"/>
                {watching().then(|| view! { <AutoReload options=options.clone()/> })}
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Whether `cargo leptos watch` runs this server (it sets `LEPTOS_WATCH`), so pages carry its
/// reload script. Read once: the environment does not change while the server runs.
fn watching() -> bool {
    static WATCHING: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WATCHING.get_or_init(|| std::env::var_os("LEPTOS_WATCH").is_some())
}

fn request_preferences() -> Preferences {
    #[cfg(feature = "ssr")]
    {
        // Borrowed, not cloned: `use_context` would copy every header and extension.
        with_context::<http::request::Parts, _>(|parts| {
            parts.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Preferences::from_cookie_header)
        })
        .flatten()
        .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Preferences::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let t = use_messages();
    let locale = crate::i18n::use_locale();
    let portal = use_site_profile().portal_name.get(locale).to_owned();
    view! {
        // leptos_meta writes the formatted title into `<title>` as it is, unescaped, and every
        // page's title passes through here: item names and the portal's name are data.
        <Title formatter=move |page: String| title_markup(&format!("{page} - {portal}"))/>
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <Router>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <InputRefusedNotice/>
                // Every route renders with `SsrMode::Async`: a page arrives complete (no streamed
                // fragments that need JavaScript to move into place), and a page can still set
                // its HTTP status. The table has no nested routes, so the flat router serves it.
                {pages()}
            </main>
            <SiteFooter/>
        </Router>
    }
}

/// The page the address names, from the shared route table (the `view!` macro cannot hand a
/// ready-made table to the router as its children, so the router is called directly).
fn pages() -> impl IntoView {
    FlatRoutes(
        FlatRoutesProps::builder().fallback(NotFoundPage).children(RouteChildren::to_children(route_table)).build(),
    )
}

/// Every page, each feature owning its part of the table. Built once and shared: the router takes
/// its definitions by value on every render and copies them again, and each of the hundred or so
/// carries its own set of HTTP methods (an allocation). Built per request for the nested router,
/// they took over a third of the shell's time (BENCHMARKS.md).
fn route_table() -> SharedRoutes<impl MatchNestedRoutes + Clone + Send + Sync + 'static> {
    static TABLE: SharedRoutesSlot = SharedRoutesSlot::new();
    SharedRoutes::get_or_build(&TABLE, || {
        view! {
            <crate::home::HomeRoutes/>
            <crate::departments::DepartmentRoutes/>
            <crate::catalogue::CatalogueRoutes/>
            <crate::search::SearchRoutes/>
            <crate::statistics::StatisticsRoutes/>
            <crate::sharing::SharingRoutes/>
            <crate::places::PlaceRoutes/>
            <crate::bus::BusRoutes/>
            <crate::hospitals::HospitalRoutes/>
            <crate::gas::GasRoutes/>
            <crate::library::LibraryRoutes/>
            <crate::accounts::AccountRoutes/>
            <crate::accounts::StaffAccountRoutes/>
            <crate::cases::CaseRoutes/>
            <crate::supervision::SupervisionRoutes/>
            <crate::applications::ApplicationRoutes/>
            <crate::documents::DocumentRoutes/>
        }
        .into_inner()
    })
}

/// Said on any page answering a post or an address whose text the input boundary refused
/// (control characters): the boundary names the fields, but a page shows messages only next to
/// the fields it draws, so this says it for every page, hidden fields and addresses included.
#[component]
fn InputRefusedNotice() -> impl IntoView {
    let t = use_messages();
    let posted = crate::ui::use_posted_form();
    let refused = posted.errors.iter().any(|e| e.code == crate::error::FieldError::CONTROL_CHARACTERS);
    refused.then(|| {
        view! {
            <div class="container">
                <Notice kind=NoticeKind::Error><p>{t.input_control_characters_notice}</p></Notice>
            </div>
        }
    })
}

/// The document title as `<title>` markup: escaped on the server, which writes it unescaped;
/// in the browser it becomes `document.title`, which is plain text.
fn title_markup(title: &str) -> String {
    if cfg!(feature = "ssr") {
        crate::ui::escape_text(title)
    } else {
        title.to_owned()
    }
}
