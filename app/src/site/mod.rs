//! The site profile: which city runs the portal and how citizens reach it (portal name, sponsor,
//! hotline, service hall). Stored as data, so no city is hard-wired into the code.

#[cfg(feature = "ssr")]
pub mod server;

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A text kept in both interface languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn get(&self, locale: Locale) -> &str {
        locale.pick(&self.zh, &self.en)
    }

    /// The text in `locale`, moved out of a value the caller owns (a page's card), not copied.
    pub fn into_text(self, locale: Locale) -> String {
        match locale {
            Locale::ZhCn => self.zh,
            Locale::En => self.en,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteProfile {
    pub portal_name: Bilingual,
    pub city_name: Bilingual,
    pub sponsor: Bilingual,
    pub hotline: String,
    pub hall_address: Bilingual,
    pub hall_hours: Bilingual,
    pub record_number: String,
}

/// The site profile for rendering. On the server it comes from the application context; the
/// browser never renders the furniture (islands only), so it gets the empty default.
pub fn use_site_profile() -> std::sync::Arc<SiteProfile> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::with_context::<crate::platform::AppContext, _>(|c| c.site.clone()).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        std::sync::Arc::default()
    }
}
