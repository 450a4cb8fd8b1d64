//! Locales and message tables.
//!
//! Every user-facing string lives in [`messages`]. The `messages!` table lists each key with its
//! zh-CN and English text side by side, so a missing translation is a compile error rather than
//! a blank on screen. Components get the table for the request's locale with [`use_messages`].

/// Defines a message table: a struct with one `&'static str` per key and its zh-CN and English
/// instances. Each key lists both texts side by side, so a missing translation does not compile.
/// The portal-wide table is [`Messages`]; a feature with many strings keeps its own table in its
/// own folder (e.g. `applications::text`), so the shared file does not grow with every feature.
macro_rules! message_table {
    ($name:ident, $zh_static:ident, $en_static:ident; $($key:ident: $zh:expr, $en:expr;)*) => {
        /// User-facing strings for one locale.
        #[derive(Debug)]
        pub struct $name {
            $(pub $key: &'static str,)*
        }

        pub static $zh_static: $name = $name { $($key: $zh,)* };
        pub static $en_static: $name = $name { $($key: $en,)* };

        impl $name {
            /// Key/text pairs, for completeness tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }

            /// The table for `locale`.
            pub fn of(locale: $crate::i18n::Locale) -> &'static $name {
                match locale {
                    $crate::i18n::Locale::ZhCn => &$zh_static,
                    $crate::i18n::Locale::En => &$en_static,
                }
            }
        }
    };
}
pub(crate) use message_table;

mod messages;

use leptos::prelude::*;
pub use messages::Messages;
use serde::{Deserialize, Serialize};

/// A supported user-interface language. zh-CN is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag used in `<html lang>`, cookies and form values.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        match tag.trim() {
            "zh-CN" | "zh-cn" | "zh" => Some(Locale::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language's own name, shown in the switch so each reader finds theirs.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "中文",
            Locale::En => "English",
        }
    }

    pub fn messages(self) -> &'static Messages {
        match self {
            Locale::ZhCn => &messages::ZH_CN,
            Locale::En => &messages::EN,
        }
    }

    /// Joins the items of a list as running text: 、 in Chinese ("窗口办理、网上办理"), a comma
    /// and a space in English ("At the counter, Online").
    pub fn join_list<S: AsRef<str>>(self, items: &[S]) -> String {
        let separator = self.pick("、", ", ");
        let mut out = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push_str(item.as_ref());
        }
        out
    }

    /// Picks the zh-CN or English variant of a bilingual value stored as data.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }
}

/// The message table for the current request (server) or island (browser).
pub fn use_messages() -> &'static Messages {
    use_locale().messages()
}

pub fn use_locale() -> Locale {
    use_context::<crate::preferences::Preferences>().map(|p| p.locale).unwrap_or_default()
}

/// Fills `{}` placeholders in order. Messages with arguments are few and short.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    let mut args = args.iter();
    while let Some(pos) = rest.find("{}") {
        out.push_str(&rest[..pos]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::from_tag("fr"), None);
    }

    #[test]
    fn lists_are_joined_the_way_each_language_writes_them() {
        assert_eq!(Locale::ZhCn.join_list(&["窗口办理", "网上办理", "邮寄办理"]), "窗口办理、网上办理、邮寄办理");
        assert_eq!(Locale::En.join_list(&["At the counter", "Online"]), "At the counter, Online");
        assert_eq!(Locale::En.join_list(&["Online"]), "Online");
        assert_eq!(Locale::En.join_list::<&str>(&[]), "");
    }

    #[test]
    fn fill_replaces_in_order() {
        assert_eq!(fill("共 {} 条，第 {} 页", &["12", "3"]), "共 12 条，第 3 页");
        assert_eq!(fill("no args", &[]), "no args");
    }

    #[test]
    fn every_message_is_translated_and_not_identical_to_its_key() {
        check_table(messages::ZH_CN.entries(), messages::EN.entries());
    }
}

/// Checks a message table's two languages: every text present, the Chinese one in Chinese.
#[cfg(test)]
pub(crate) fn check_table(zh: Vec<(&'static str, &'static str)>, en: Vec<(&'static str, &'static str)>) {
    {
        assert_eq!(zh.len(), en.len());
        for ((key, zh_text), (_, en_text)) in zh.iter().zip(en.iter()) {
            assert!(!zh_text.trim().is_empty(), "empty zh-CN text for {key}");
            assert!(!en_text.trim().is_empty(), "empty English text for {key}");
            assert!(
                zh_text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "zh-CN text for {key} has no Chinese characters: {zh_text}"
            );
        }
    }
}

/// A Unix time as `YYYY-MM-DD HH:MM` in Beijing time (UTC+8), the time citizens read.
pub fn format_beijing_time(unix: i64) -> String {
    let local = unix + 8 * 3600;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

#[cfg(test)]
mod time_tests {
    #[test]
    fn beijing_time_is_utc_plus_eight_across_dates() {
        assert_eq!(super::format_beijing_time(0), "1970-01-01 08:00");
        assert_eq!(super::format_beijing_time(1_709_226_000), "2024-03-01 01:00", "the day after a leap day");
        assert_eq!(
            super::format_beijing_time(1_798_732_800),
            "2027-01-01 00:00",
            "new year in Beijing, still 2026 in UTC"
        );
    }
}
