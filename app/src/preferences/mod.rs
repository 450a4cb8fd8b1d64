//! Display preferences: language and elder mode.
//!
//! Both live in plain cookies so that they work before sign-in and without JavaScript: the
//! switches are ordinary `<form method="post">`s that a server function answers with a cookie
//! and a redirect back. With JavaScript, the elder-mode switch is an island that flips the page
//! at once and saves the choice in the background.

mod api;
mod components;

pub use api::{SetDisplayMode, SetLanguage};
pub use components::{current_path, ElderModeToggle, LanguageSwitch};

use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

pub const LANGUAGE_COOKIE: &str = "onestop_lang";
pub const ELDER_COOKIE: &str = "onestop_elder";

/// The preferences that shape every page, read once per request and provided as context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Preferences {
    pub locale: Locale,
    pub elder_mode: bool,
}

impl Preferences {
    /// Reads the preference cookies from a `Cookie` header value; unknown values fall back to
    /// the defaults (zh-CN, standard display).
    pub fn from_cookie_header(header: &str) -> Preferences {
        let mut prefs = Preferences::default();
        for pair in header.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else { continue };
            match name {
                LANGUAGE_COOKIE => {
                    if let Some(locale) = Locale::from_tag(value) {
                        prefs.locale = locale;
                    }
                }
                ELDER_COOKIE => prefs.elder_mode = value == "1",
                _ => {}
            }
        }
        prefs
    }

    /// Class names for `<html>`.
    pub fn html_class(&self) -> &'static str {
        if self.elder_mode {
            "elder"
        } else {
            ""
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_set_locale_and_elder_mode() {
        let prefs = Preferences::from_cookie_header("a=b; onestop_lang=en; onestop_elder=1");
        assert_eq!(prefs, Preferences { locale: Locale::En, elder_mode: true });
    }

    #[test]
    fn missing_or_unknown_cookies_fall_back_to_defaults() {
        assert_eq!(Preferences::from_cookie_header(""), Preferences::default());
        let prefs = Preferences::from_cookie_header("onestop_lang=klingon; onestop_elder=yes");
        assert_eq!(prefs, Preferences { locale: Locale::ZhCn, elder_mode: false });
    }
}
