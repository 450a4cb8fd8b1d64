//! Who a page is rendered for, as the site header shows it: a visitor (a sign-in link), a
//! signed-in citizen or a staff member (their name, linking to their account or console).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    #[default]
    Visitor,
    Citizen {
        name: String,
        /// Unread messages in the citizen's inbox (status changes of their applications).
        unread: i64,
    },
    Staff {
        name: String,
    },
}

/// Whether the request carries no session cookie, so the page is surely for a visitor and the
/// header need not wait for a session lookup: most page views, and the cheapest to render.
pub fn surely_visitor() -> bool {
    #[cfg(feature = "ssr")]
    {
        super::server::auth::request_session().is_none_or(|session| session.id().is_none())
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The viewer of the page being rendered, from the session with every check a page makes
/// (timeouts, account state). A page that names someone must not be kept by any cache, so
/// rendering a name marks the response `Cache-Control: no-store`, whatever its path.
pub async fn current_viewer() -> Viewer {
    #[cfg(feature = "ssr")]
    {
        let viewer = signed_in_viewer().await;
        if viewer != Viewer::Visitor {
            if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                res.insert_header(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
            }
        }
        viewer
    }
    #[cfg(not(feature = "ssr"))]
    {
        Viewer::Visitor
    }
}

#[cfg(feature = "ssr")]
async fn signed_in_viewer() -> Viewer {
    use super::server::auth;
    let (Ok(ctx), Some(session)) = (crate::platform::AppContext::current(), auth::request_session()) else {
        return Viewer::Visitor;
    };
    // A failure to read the session shows the page as to a visitor; the page's own checks (and
    // their error reporting) are unaffected.
    if let Ok(Ok(citizen)) = auth::citizen_of(&session, &ctx).await {
        let unread = crate::platform::inbox::unread_count(&ctx.db, citizen.id()).await.unwrap_or(0);
        return Viewer::Citizen { name: citizen.name, unread };
    }
    if let Ok(Ok(staff)) = auth::staff_of(&session, &ctx).await {
        return Viewer::Staff { name: staff.display_name };
    }
    Viewer::Visitor
}
