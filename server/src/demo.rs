//! Demo data: a city profile (site settings and departments) read from TOML. Seeding is
//! idempotent, so `make run` can seed on every start without duplicating anything.

use app::departments::Department;
use app::platform::Db;
use app::site::SiteProfile;
use serde::Deserialize;

/// The profile shipped with the portal, used when no other file is given.
pub const BUILT_IN_PROFILE: &str = include_str!("../demo/city.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityProfile {
    pub site: SiteProfile,
    pub departments: Vec<Department>,
}

impl CityProfile {
    pub fn parse(text: &str) -> anyhow::Result<CityProfile> {
        let profile: CityProfile = toml::from_str(text)?;
        anyhow::ensure!(!profile.site.portal_name.zh.is_empty(), "site.portal_name.zh is empty");
        anyhow::ensure!(!profile.departments.is_empty(), "the profile lists no departments");
        Ok(profile)
    }
}

pub async fn seed(db: &Db, profile: &CityProfile) -> anyhow::Result<()> {
    app::site::server::save(db, &profile.site).await?;
    app::departments::server::db::upsert_all(db, &profile.departments).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_profile_is_complete_in_both_languages() {
        let profile = CityProfile::parse(BUILT_IN_PROFILE).expect("built-in profile parses");
        assert!(profile.departments.len() >= 8);
        for d in &profile.departments {
            for text in [&d.name.zh, &d.name.en, &d.duties.zh, &d.duties.en, &d.address.zh, &d.address.en] {
                assert!(!text.trim().is_empty(), "department {} has an empty field", d.code);
            }
        }
        let codes: std::collections::HashSet<_> = profile.departments.iter().map(|d| &d.code).collect();
        assert_eq!(codes.len(), profile.departments.len(), "department codes are unique");
    }
}
