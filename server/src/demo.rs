//! Demo data: a city profile (site settings, departments, the shared-data catalogue and the base
//! registers' source data) read from TOML. Seeding is idempotent, so `make run` can seed on
//! every start without duplicating anything, and the registers are only regenerated when their
//! sources change.

use anyhow::Context;
use app::catalogue::model::ItemContent;
use app::catalogue::search::Synonym;
use app::catalogue::server::{ProfileLoad, SaveError};
use app::departments::Department;
use app::library::demo::LibraryProfile;
use app::library::store::LibraryStore;
use app::platform::Db;
use app::registers::contract::{EntityField, PersonField, Register};
use app::registers::demo::{self, Gazetteer, RegistersProfile};
use app::registers::store::RegisterStore;
use app::sharing::{Basis, DataResource, SharingType};
use app::site::SiteProfile;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The profile shipped with the portal, used when no other file is given.
pub const BUILT_IN_PROFILE: &str = include_str!("../demo/city.toml");

/// Binary files the built-in profile refers to: the library's MARC records (see
/// `demo/library/PROVENANCE.md`).
const BUILT_IN_BINARY_FILES: &[(&str, &[u8])] =
    &[("library/loc_books_chi_sample.mrc.gz", include_bytes!("../demo/library/loc_books_chi_sample.mrc.gz"))];

/// Files the built-in profile refers to, embedded so the binary needs nothing beside it.
const BUILT_IN_FILES: &[(&str, &str)] = &[
    ("places/lanzhou_streets_6201.csv", include_str!("../demo/places/lanzhou_streets_6201.csv")),
    ("places/lanzhou_villages_6201.csv", include_str!("../demo/places/lanzhou_villages_6201.csv")),
    ("search-synonyms.toml", include_str!("../demo/search-synonyms.toml")),
    // BEGIN service items
    ("catalogue/birth-medical-certificate.toml", include_str!("../demo/catalogue/birth-medical-certificate.toml")),
    (
        "catalogue/company-formation-registration.toml",
        include_str!("../demo/catalogue/company-formation-registration.toml"),
    ),
    (
        "catalogue/compulsory-education-school-transfer.toml",
        include_str!("../demo/catalogue/compulsory-education-school-transfer.toml"),
    ),
    ("catalogue/construction-permit.toml", include_str!("../demo/catalogue/construction-permit.toml")),
    ("catalogue/disability-certificate.toml", include_str!("../demo/catalogue/disability-certificate.toml")),
    ("catalogue/food-business-licence.toml", include_str!("../demo/catalogue/food-business-licence.toml")),
    (
        "catalogue/household-transfer-within-city.toml",
        include_str!("../demo/catalogue/household-transfer-within-city.toml"),
    ),
    ("catalogue/id-card-renewal.toml", include_str!("../demo/catalogue/id-card-renewal.toml")),
    ("catalogue/land-use-planning-permit.toml", include_str!("../demo/catalogue/land-use-planning-permit.toml")),
    (
        "catalogue/legal-representative-change-registration.toml",
        include_str!("../demo/catalogue/legal-representative-change-registration.toml"),
    ),
    (
        "catalogue/marriage-registration-appointment.toml",
        include_str!("../demo/catalogue/marriage-registration-appointment.toml"),
    ),
    ("catalogue/minimum-living-allowance.toml", include_str!("../demo/catalogue/minimum-living-allowance.toml")),
    (
        "catalogue/newborn-household-registration.toml",
        include_str!("../demo/catalogue/newborn-household-registration.toml"),
    ),
    (
        "catalogue/out-of-area-medical-treatment-filing.toml",
        include_str!("../demo/catalogue/out-of-area-medical-treatment-filing.toml"),
    ),
    (
        "catalogue/pension-eligibility-certification.toml",
        include_str!("../demo/catalogue/pension-eligibility-certification.toml"),
    ),
    (
        "catalogue/private-school-operating-licence.toml",
        include_str!("../demo/catalogue/private-school-operating-licence.toml"),
    ),
    (
        "catalogue/public-rental-housing-application.toml",
        include_str!("../demo/catalogue/public-rental-housing-application.toml"),
    ),
    (
        "catalogue/public-venue-hygiene-licence.toml",
        include_str!("../demo/catalogue/public-venue-hygiene-licence.toml"),
    ),
    (
        "catalogue/residence-permit-application.toml",
        include_str!("../demo/catalogue/residence-permit-application.toml"),
    ),
    (
        "catalogue/resident-medical-insurance-enrolment.toml",
        include_str!("../demo/catalogue/resident-medical-insurance-enrolment.toml"),
    ),
    (
        "catalogue/second-hand-home-transfer-registration.toml",
        include_str!("../demo/catalogue/second-hand-home-transfer-registration.toml"),
    ),
    (
        "catalogue/social-security-card-application.toml",
        include_str!("../demo/catalogue/social-security-card-application.toml"),
    ),
    (
        "catalogue/sole-proprietorship-registration.toml",
        include_str!("../demo/catalogue/sole-proprietorship-registration.toml"),
    ),
    ("catalogue/statistical-data-inquiry.toml", include_str!("../demo/catalogue/statistical-data-inquiry.toml")),
    (
        "catalogue/unemployment-insurance-benefit.toml",
        include_str!("../demo/catalogue/unemployment-insurance-benefit.toml"),
    ),
    // END service items
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityProfile {
    pub site: SiteProfile,
    pub departments: Vec<Department>,
    pub data_resources: Vec<DataResource>,
    pub gazetteer: GazetteerFiles,
    pub registers: RegistersProfile,
    pub catalogue: CatalogueFiles,
    /// The gas company's demo data; a city without it has no gas demo.
    #[serde(default)]
    pub gas: Option<app::gas::demo::GasProfile>,
    /// The hospitals' booking platform; a city without one has no hospital booking demo.
    #[serde(default)]
    pub hospitals: Option<app::hospitals::demo::HospitalsProfile>,
    /// The bus company's timetable; a city without it has no bus demo.
    #[serde(default)]
    pub bus: Option<app::bus::demo::BusProfile>,
    /// The city library's demo system (branches, MARC files, catalogue size).
    #[serde(default)]
    pub library: Option<LibraryProfile>,
}

/// The city's service items (one TOML file each, relative to the profile), the ones the home
/// page features, in order, and the search synonym list editors keep with them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFiles {
    pub items: Vec<String>,
    #[serde(default)]
    pub featured: Vec<String>,
    pub synonyms: Option<String>,
}

/// A synonym file: `[[synonyms]]` entries with `say` and `means`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymFile {
    #[serde(default)]
    synonyms: Vec<Synonym>,
}

/// The streets and communities CSV files, relative to the profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerFiles {
    pub streets: String,
    pub communities: String,
}

/// A profile's text and where its relative file names resolve.
pub struct ProfileSource {
    pub text: String,
    /// `None` for the built-in profile, whose files are embedded.
    pub dir: Option<PathBuf>,
}

impl ProfileSource {
    pub fn built_in() -> ProfileSource {
        ProfileSource { text: BUILT_IN_PROFILE.to_owned(), dir: None }
    }

    pub fn from_file(path: &Path) -> anyhow::Result<ProfileSource> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(ProfileSource { text, dir: Some(path.parent().map(Path::to_path_buf).unwrap_or_default()) })
    }

    pub fn read_bytes(&self, relative: &str) -> anyhow::Result<Vec<u8>> {
        match &self.dir {
            None => BUILT_IN_BINARY_FILES
                .iter()
                .find(|(name, _)| *name == relative)
                .map(|(_, bytes)| bytes.to_vec())
                .with_context(|| format!("the built-in profile has no file {relative}")),
            Some(dir) => {
                let path = dir.join(relative);
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))
            }
        }
    }

    pub fn read(&self, relative: &str) -> anyhow::Result<String> {
        match &self.dir {
            None => BUILT_IN_FILES
                .iter()
                .find(|(name, _)| *name == relative)
                .map(|(_, text)| (*text).to_owned())
                .with_context(|| format!("the built-in profile has no file {relative}")),
            Some(dir) => {
                let path = dir.join(relative);
                std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
            }
        }
    }
}

impl CityProfile {
    pub fn parse(text: &str) -> anyhow::Result<CityProfile> {
        let profile: CityProfile = toml::from_str(text)?;
        anyhow::ensure!(!profile.site.portal_name.zh.is_empty(), "site.portal_name.zh is empty");
        anyhow::ensure!(!profile.departments.is_empty(), "the profile lists no departments");
        profile.check_catalogue()?;
        Ok(profile)
    }

    /// Every resource names a real department; every grant names fields of its resource, fits
    /// the sharing type, and register fields exist in the provider contract.
    fn check_catalogue(&self) -> anyhow::Result<()> {
        for r in &self.data_resources {
            anyhow::ensure!(
                self.departments.iter().any(|d| d.code == r.provider_department),
                "resource {}: unknown provider department {}",
                r.code,
                r.provider_department
            );
            if let Some(code) = &r.register {
                let register = Register::from_code(code)
                    .with_context(|| format!("resource {}: unknown register {code}", r.code))?;
                for f in &r.fields {
                    let known = match register {
                        Register::Population => PersonField::from_key(&f.key).is_some(),
                        Register::LegalEntities => EntityField::from_key(&f.key).is_some(),
                        Register::Economy => f.key == "indicators",
                        Register::Spatial => f.key == "places",
                    };
                    anyhow::ensure!(known, "resource {}: the {code} register has no field {}", r.code, f.key);
                }
            }
            for g in &r.grants {
                for key in &g.fields {
                    anyhow::ensure!(
                        r.fields.iter().any(|f| &f.key == key),
                        "resource {}: grant to {} names unknown field {key}",
                        r.code,
                        g.consumer
                    );
                }
                let fits = match r.sharing {
                    SharingType::Unconditional => g.basis == Basis::Open,
                    SharingType::Conditional => g.basis != Basis::Open,
                    SharingType::NotShared => false,
                };
                anyhow::ensure!(
                    fits,
                    "resource {}: a {:?} grant does not fit a {:?} resource",
                    r.code,
                    g.basis,
                    r.sharing
                );
            }
        }
        Ok(())
    }
}

/// The profile's service items, parsed (each file names itself in errors).
pub fn service_items(source: &ProfileSource, profile: &CityProfile) -> anyhow::Result<Vec<ItemContent>> {
    profile
        .catalogue
        .items
        .iter()
        .map(|file| {
            let text = source.read(file)?;
            toml::from_str::<ItemContent>(&text).with_context(|| format!("service item {file}"))
        })
        .collect()
}

/// The profile's search synonyms (none without a synonym file); an entry without words on either
/// side is refused with its number.
pub fn synonyms(source: &ProfileSource, profile: &CityProfile) -> anyhow::Result<Vec<Synonym>> {
    let Some(file) = &profile.catalogue.synonyms else { return Ok(Vec::new()) };
    let parsed: SynonymFile = toml::from_str(&source.read(file)?).with_context(|| format!("search synonyms {file}"))?;
    for (n, entry) in parsed.synonyms.iter().enumerate() {
        let empty = |words: &[String]| words.iter().all(|w| w.trim().is_empty());
        anyhow::ensure!(
            !empty(&entry.say) && !empty(&entry.means),
            "search synonyms {file}: entry {} needs words in both `say` and `means`",
            n + 1
        );
    }
    Ok(parsed.synonyms)
}

/// Site, departments, the shared-data catalogue, the service items and the search synonyms into
/// the portal's database. Items that changed become new published versions; unchanged ones stay
/// as they are.
pub async fn seed(db: &Db, profile: &CityProfile, source: &ProfileSource) -> anyhow::Result<ProfileLoad> {
    app::site::server::save(db, &profile.site).await?;
    app::departments::server::db::upsert_all(db, &profile.departments).await?;
    app::sharing::server::db::replace_catalogue(db, &profile.data_resources).await?;
    let items = service_items(source, profile)?;
    let now = app::platform::time::now_unix();
    app::catalogue::server::db::replace_synonyms(db, &synonyms(source, profile)?, now).await?;
    match app::catalogue::server::load_profile_items(db, &items, &profile.catalogue.featured, now).await {
        Ok(report) => Ok(report),
        Err(SaveError::Database(err)) => Err(err.into()),
        Err(SaveError::Invalid(problems)) => {
            let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.path, p.code)).collect();
            anyhow::bail!("a service item in the profile is not valid: {}", list.join("; "))
        }
    }
}

/// What `install_registers` did.
#[derive(Debug, PartialEq, Eq)]
pub enum RegistersInstall {
    AlreadyCurrent,
    Generated { people: usize, entities: usize, places: usize },
}

/// Generates the demo registers into their own database unless the data there already comes
/// from the same sources.
pub async fn install_registers(
    store: &RegisterStore,
    profile: &CityProfile,
    source: &ProfileSource,
) -> anyhow::Result<RegistersInstall> {
    let streets = source.read(&profile.gazetteer.streets)?;
    let communities = source.read(&profile.gazetteer.communities)?;
    let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let fingerprint = demo::fingerprint(&source.text, &gazetteer);
    if store.installed_fingerprint().await?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(RegistersInstall::AlreadyCurrent);
    }
    let data = demo::generate(&profile.registers, &source.text, &gazetteer)?;
    store.install(&data).await?;
    Ok(RegistersInstall::Generated {
        people: data.people.len(),
        entities: data.entities.len(),
        places: data.places.len(),
    })
}

/// Generates the demo gas company's accounts and bills into its own database unless the data
/// there comes from the same sources in the same month; the number of accounts, or `None` when
/// the profile has no gas company or the data was current.
pub async fn install_gas(
    store: &app::gas::store::GasStore,
    profile: &CityProfile,
    source: &ProfileSource,
    today: time::Date,
) -> anyhow::Result<Option<usize>> {
    let Some(gas) = &profile.gas else { return Ok(None) };
    let streets = source.read(&profile.gazetteer.streets)?;
    let communities = source.read(&profile.gazetteer.communities)?;
    let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let fingerprint = app::gas::demo::fingerprint(&source.text, &demo::fingerprint(&source.text, &gazetteer), today);
    if store.installed_fingerprint().await?.as_deref() == Some(fingerprint.as_str()) {
        return Ok(None);
    }
    let registers = demo::generate(&profile.registers, &source.text, &gazetteer)?;
    let data = app::gas::demo::generate(gas, &source.text, &registers, profile.registers.seed, today)
        .map_err(|problem| anyhow::anyhow!("the gas profile: {problem}"))?;
    store.install(&data).await?;
    Ok(Some(data.accounts.len()))
}

/// The built-in city's demo gas company in a database file of its own at `path` (created or
/// replaced), as of `today`, for tests and benchmarks.
pub async fn gas_at(path: &Path, today: time::Date) -> anyhow::Result<app::gas::store::GasStore> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = app::gas::store::GasStore::open(&format!("sqlite://{}", path.display())).await?;
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text)?;
    install_gas(&store, &profile, &source, today).await?;
    Ok(store)
}

/// Generates the demo hospitals into their platform's own database unless the data there
/// already comes from the same sources; `None` when the profile has no hospitals.
pub async fn install_hospitals(
    store: &app::hospitals::store::HospitalStore,
    profile: &CityProfile,
    source: &ProfileSource,
) -> anyhow::Result<Option<(usize, usize)>> {
    let Some(hospitals) = &profile.hospitals else { return Ok(None) };
    let streets = source.read(&profile.gazetteer.streets)?;
    let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: "" };
    let fingerprint = app::hospitals::demo::fingerprint(&source.text, &gazetteer);
    let data = app::hospitals::demo::generate(hospitals, &profile.registers, &source.text, &gazetteer)?;
    if store.installed_fingerprint().await?.as_deref() != Some(fingerprint.as_str()) {
        store.install(&data).await?;
    }
    Ok(Some((data.hospitals.len(), data.doctors.len())))
}

/// What `install_bus` did.
pub enum BusInstall {
    NoBus,
    AlreadyCurrent,
    Imported { routes: usize, stops: usize },
}

/// Generates the demo timetable as GTFS and imports it through the same checks as any feed,
/// unless the same feed is installed already.
pub async fn install_bus(
    store: &app::bus::store::BusStore,
    profile: &CityProfile,
    source: &ProfileSource,
) -> anyhow::Result<BusInstall> {
    let Some(bus) = &profile.bus else { return Ok(BusInstall::NoBus) };
    let streets = source.read(&profile.gazetteer.streets)?;
    let communities = source.read(&profile.gazetteer.communities)?;
    let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let label = format!("demo:{}", app::bus::demo::fingerprint(&source.text, &gazetteer));
    if store.source().await?.as_deref() == Some(label.as_str()) {
        return Ok(BusInstall::AlreadyCurrent);
    }
    let feed =
        app::bus::demo::generate(bus, &profile.registers, &source.text, &gazetteer).map_err(anyhow::Error::msg)?;
    match store.import(&feed.files, &label, app::platform::time::now_unix(), &mut |_, _| {}).await {
        Ok(_) => Ok(BusInstall::Imported { routes: feed.routes, stops: feed.stops }),
        Err(app::bus::store::ImportError::Invalid(report)) => {
            let problems: Vec<String> = report.errors.iter().take(20).map(ToString::to_string).collect();
            anyhow::bail!("the generated bus feed is invalid:\n{}", problems.join("\n"))
        }
        Err(err) => Err(err.into()),
    }
}

/// The built-in city's demo timetable as GTFS files, generated as `install_bus` does, for tests
/// and benchmarks that want it without a database.
pub fn built_in_bus_feed() -> anyhow::Result<app::bus::demo::DemoFeed> {
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text)?;
    let bus = profile.bus.as_ref().context("the built-in city has no buses")?;
    let streets = source.read(&profile.gazetteer.streets)?;
    let communities = source.read(&profile.gazetteer.communities)?;
    let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: &communities };
    app::bus::demo::generate(bus, &profile.registers, &source.text, &gazetteer).map_err(anyhow::Error::msg)
}

/// The built-in city's demo hospitals in a database file of their own under `path` (created
/// or replaced), for tests and benchmarks that book.
pub async fn hospitals_at(path: &Path) -> anyhow::Result<app::hospitals::store::HospitalStore> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let store = app::hospitals::store::HospitalStore::open(&format!("sqlite://{}", path.display())).await?;
    let source = ProfileSource::built_in();
    let profile = CityProfile::parse(&source.text)?;
    install_hospitals(&store, &profile, &source).await?;
    Ok(store)
}

/// What `install_library` did.
pub enum LibraryInstall {
    NoLibrary,
    AlreadyCurrent { readers: Option<usize> },
    Generated { records: usize, items: usize, branches: usize, readers: Option<usize> },
}

/// Installs the demo library into its own database unless it already holds the same data.
pub async fn install_library(
    store: &LibraryStore,
    profile: &CityProfile,
    source: &ProfileSource,
) -> anyhow::Result<LibraryInstall> {
    let Some(library) = &profile.library else { return Ok(LibraryInstall::NoLibrary) };
    let marc = library.marc.iter().map(|f| source.read_bytes(f)).collect::<anyhow::Result<Vec<_>>>()?;
    let fingerprint = app::library::demo::fingerprint(library, &marc);
    let today = app::platform::time::beijing_today();
    // The demo readers' loans are due around today, so they are renewed when the day changes.
    let readers = |installed: bool| installed.then_some(library.patrons.len());
    if store.installed_fingerprint().await?.as_deref() == Some(fingerprint.as_str()) {
        let installed = store.install_patrons(library, today).await?;
        return Ok(LibraryInstall::AlreadyCurrent { readers: readers(installed) });
    }
    let data = app::library::demo::generate(library, &marc).map_err(anyhow::Error::msg)?;
    store.install(&data).await?;
    let installed = store.install_patrons(library, today).await?;
    Ok(LibraryInstall::Generated {
        records: data.records.len(),
        items: data.items.len(),
        branches: data.branches.len(),
        readers: readers(installed),
    })
}

/// Adults of the demo registers for `seed-demo --with-cases` to apply as: heads of household
/// after the personas (whom the README offers for trying the portal oneself), `count` of them.
pub fn demo_applicants(
    profile: &CityProfile,
    source: &ProfileSource,
    count: usize,
) -> anyhow::Result<Vec<app::cases::server::demo::DemoApplicant>> {
    let streets = source.read(&profile.gazetteer.streets)?;
    let communities = source.read(&profile.gazetteer.communities)?;
    let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: &communities };
    let data = demo::generate(&profile.registers, &source.text, &gazetteer)?;
    let personas: usize = profile.registers.households.iter().map(|h| h.members.len()).sum();
    let applicants: Vec<_> = data
        .people
        .iter()
        .skip(personas)
        .filter(|p| p.relation == app::registers::contract::Relation::Head && p.birth_date.as_str() < "2000")
        .take(count)
        .filter_map(|p| {
            let home = data.households.iter().find(|h| h.id == p.household_id)?;
            Some(app::cases::server::demo::DemoApplicant {
                id_number: p.id_number.clone(),
                name: p.name.clone(),
                household_address: home.address.clone(),
            })
        })
        .collect();
    anyhow::ensure!(!applicants.is_empty(), "the demo registers have no adults to apply as");
    Ok(applicants)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_hospitals_come_from_the_profile_and_are_the_same_every_time() {
        let source = ProfileSource::built_in();
        let profile = CityProfile::parse(&source.text).expect("profile");
        let streets = source.read(&profile.gazetteer.streets).expect("streets");
        let gazetteer = Gazetteer { streets_csv: &streets, communities_csv: "" };
        let hospitals = profile.hospitals.as_ref().expect("the built-in city has hospitals");
        let a = app::hospitals::demo::generate(hospitals, &profile.registers, &source.text, &gazetteer).expect("a");
        let b = app::hospitals::demo::generate(hospitals, &profile.registers, &source.text, &gazetteer).expect("b");
        assert!(a.hospitals.len() >= 6 && a.doctors.len() >= 60, "{} {}", a.hospitals.len(), a.doctors.len());
        assert_eq!(a.hospitals, b.hospitals);
        assert_eq!(
            a.doctors.iter().map(|d| &d.role).collect::<Vec<_>>(),
            b.doctors.iter().map(|d| &d.role).collect::<Vec<_>>()
        );
        for h in &a.hospitals {
            // Every name comes from a district of the profile, centres also from a real street.
            let district = profile.registers.districts.iter().find(|d| d.name == h.district).expect("district");
            assert!(h.name.starts_with(&district.name) && h.address.contains(&district.name), "{h:?}");
            if h.kind == app::hospitals::contract::HospitalKind::CommunityCentre {
                let stem = h.name.trim_start_matches(&district.name).trim_end_matches("社区卫生服务中心");
                assert!(streets.contains(&format!("{stem}街道")), "{} is not named after a street", h.name);
            }
        }
        for d in &a.doctors {
            assert!(!d.sessions.is_empty() && !d.role.available_time.is_empty(), "{:?}", d.role);
            assert!(a.services.iter().any(|s| s.id == d.role.healthcare_service));
        }
    }

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
        for r in &profile.data_resources {
            for text in [&r.name.zh, &r.name.en, &r.description.zh, &r.description.en] {
                assert!(!text.trim().is_empty(), "resource {} has an empty text", r.code);
            }
        }
        let registers: Vec<_> = profile.data_resources.iter().filter_map(|r| r.register.as_deref()).collect();
        for register in Register::ALL {
            assert!(registers.contains(&register.code()), "no resource serves {}", register.code());
        }
    }

    #[test]
    fn catalogue_mistakes_are_refused_with_the_resource_named() {
        let broken = [
            ("fields = [\"name\"]", "fields = [\"shoe_size\"]", "unknown field shoe_size"),
            (
                "provider_department = \"statistics\"",
                "provider_department = \"nowhere\"",
                "unknown provider department",
            ),
            (
                "basis = \"open\"\nlegal_basis = { zh = \"《中华人民共和国政府信息公开条例》",
                "basis = \"consent\"\nlegal_basis = { zh = \"《中华人民共和国政府信息公开条例》",
                "does not fit",
            ),
        ];
        for (from, to, expected) in broken {
            assert!(BUILT_IN_PROFILE.contains(from), "test text {from} missing from the profile");
            let err = CityProfile::parse(&BUILT_IN_PROFILE.replacen(from, to, 1)).expect_err(expected);
            assert!(format!("{err:#}").contains(expected), "{err:#}");
        }
    }
}

#[cfg(test)]
mod search_quality;
