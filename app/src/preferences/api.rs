//! Server functions for the preference switches. Public by design: they only set the caller's
//! own display cookies. Like every state change they are POST-only and pass the cross-origin
//! check in the platform middleware.

use crate::error::AppError;
use leptos::prelude::*;

#[server(name = SetLanguage, prefix = "/api", endpoint = "preferences/language")]
pub async fn set_language(locale: String, return_to: String) -> Result<(), AppError> {
    use super::LANGUAGE_COOKIE;
    use crate::i18n::Locale;
    let locale = Locale::from_tag(&locale)
        .ok_or_else(|| crate::platform::fail(AppError::validation("locale", "unknown_locale")))?;
    crate::platform::cookies::set_preference_cookie(LANGUAGE_COOKIE, locale.tag());
    crate::platform::cookies::redirect_plain_form(&return_to);
    Ok(())
}

#[server(name = SetDisplayMode, prefix = "/api", endpoint = "preferences/display-mode")]
pub async fn set_display_mode(elder: bool, return_to: String) -> Result<(), AppError> {
    use super::ELDER_COOKIE;
    crate::platform::cookies::set_preference_cookie(ELDER_COOKIE, if elder { "1" } else { "0" });
    crate::platform::cookies::redirect_plain_form(&return_to);
    Ok(())
}
