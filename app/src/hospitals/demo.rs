//! Deterministic demo data for the hospitals' booking platform, generated from the city profile:
//! a people's hospital in the largest districts, community health centres named after real
//! streets of the gazetteer, departments, doctors with titles, specialties and weekly clinic
//! hours. Nothing here names a city; another profile gives another city's hospitals.

use super::contract::*;
use crate::registers::demo::names;
use crate::registers::demo::rng::Rng;
use crate::registers::demo::{csv_rows, Gazetteer, RegistersProfile};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Bumped whenever the generator's output changes, so installed data is rebuilt.
const GENERATOR_VERSION: u32 = 1;

/// The `[hospitals]` section of a city profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospitalsProfile {
    pub seed: u64,
    /// People's hospitals, one per district, largest districts first.
    pub city_hospitals: usize,
    /// Community health centres, named after streets of the urban districts.
    pub community_centres: usize,
    pub window_days: u32,
    pub release_time: String,
    pub cancel_cutoff_hours: u32,
    pub per_department_per_day: u32,
    pub per_week: u32,
    pub no_show_limit: u32,
    pub no_show_window_days: u32,
    pub no_show_ban_days: u32,
    /// Public holidays (no clinics) and 调休 workdays (weekday clinics on a weekend), `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
    #[serde(default)]
    pub workdays: Vec<String>,
}

/// One weekly clinic session of a doctor: `day_of_week` 1 = Monday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicSession {
    pub day_of_week: u8,
    /// Minutes after midnight.
    pub start_minute: u32,
    pub end_minute: u32,
    pub slot_minutes: u32,
    /// Numbers (号源) per slot.
    pub per_slot: u32,
}

pub struct DemoDoctor {
    pub role: PractitionerRole,
    pub sessions: Vec<ClinicSession>,
}

pub struct DemoHospitals {
    pub fingerprint: String,
    pub rules: BookingRules,
    pub holidays: Vec<String>,
    pub workdays: Vec<String>,
    pub hospitals: Vec<Organization>,
    pub services: Vec<HealthcareService>,
    pub doctors: Vec<DemoDoctor>,
}

#[derive(Debug, thiserror::Error)]
pub enum HospitalsDemoError {
    #[error("hospitals profile: {0}")]
    Profile(String),
}

/// (first-level category, department, what its doctors are good at).
const CITY_DEPARTMENTS: &[(&str, &str, &[&str])] = &[
    ("内科", "呼吸内科", &["慢性阻塞性肺疾病", "支气管哮喘", "肺部感染", "肺结节随访"]),
    ("内科", "心血管内科", &["高血压", "冠心病", "心律失常", "心力衰竭"]),
    ("内科", "消化内科", &["胃炎", "消化性溃疡", "炎症性肠病", "消化道早癌筛查"]),
    ("内科", "内分泌科", &["糖尿病", "甲状腺疾病", "骨质疏松"]),
    ("外科", "普通外科", &["甲状腺外科", "疝", "胆囊结石", "乳腺疾病"]),
    ("外科", "骨科", &["关节置换", "脊柱疾病", "运动损伤", "骨折"]),
    ("妇产科", "妇科", &["妇科炎症", "子宫肌瘤", "月经失调"]),
    ("儿科", "儿科", &["小儿呼吸道感染", "小儿消化", "儿童生长发育"]),
    ("五官科", "眼科", &["白内障", "青光眼", "屈光不正"]),
    ("中医科", "中医内科", &["脾胃病", "失眠", "慢性咳嗽调理"]),
];

const COMMUNITY_DEPARTMENTS: &[(&str, &str, &[&str])] = &[
    ("全科医学科", "全科门诊", &["慢性病管理", "常见病多发病", "家庭医生签约服务"]),
    ("中医科", "中医科", &["针灸", "推拿", "中医体质调理"]),
    ("预防保健科", "儿童保健", &["预防接种咨询", "儿童生长发育评估"]),
];

/// Registration fee (fen) for a title at a city hospital; community centres charge the
/// general-clinic fee whatever the title.
fn fee_fen(title: Title, kind: HospitalKind) -> i64 {
    match (kind, title) {
        (HospitalKind::CommunityCentre, _) => 500,
        (_, Title::Chief) => 5000,
        (_, Title::AssociateChief) => 3000,
        (_, Title::Attending) => 1500,
        (_, Title::Resident) => 1000,
    }
}

/// Fewer numbers per half hour for senior doctors: they see each patient longer.
fn per_slot(title: Title) -> u32 {
    match title {
        Title::Chief => 2,
        Title::AssociateChief => 3,
        Title::Attending => 4,
        Title::Resident => 5,
    }
}

pub fn fingerprint(profile_text: &str, gazetteer: &Gazetteer) -> String {
    let mut hash = Sha256::new();
    hash.update(GENERATOR_VERSION.to_le_bytes());
    for part in [profile_text, gazetteer.streets_csv] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hex::encode(hash.finalize())
}

pub fn generate(
    profile: &HospitalsProfile,
    registers: &RegistersProfile,
    profile_text: &str,
    gazetteer: &Gazetteer,
) -> Result<DemoHospitals, HospitalsDemoError> {
    let bad = |m: &str| HospitalsDemoError::Profile(m.to_owned());
    if super::minutes_of(&profile.release_time).is_none() {
        return Err(bad("release_time is not HH:MM"));
    }
    if !(1..=31).contains(&profile.window_days) {
        return Err(bad("window_days must be 1..=31"));
    }
    for day in profile.holidays.iter().chain(&profile.workdays) {
        if super::parse_day(day).is_none() {
            return Err(bad("holidays and workdays must be YYYY-MM-DD"));
        }
    }
    let mut rng = Rng::new(profile.seed);
    // Districts by size; rural counties last, so hospitals go where people are.
    let mut districts: Vec<_> = registers.districts.iter().collect();
    districts.sort_by(|a, b| a.rural.cmp(&b.rural).then(b.weight.total_cmp(&a.weight)));
    if profile.city_hospitals > districts.len() {
        return Err(bad("more city hospitals than districts"));
    }
    // Streets (code, name, district code) of the profile's districts.
    let streets: Vec<(String, String)> = csv_rows(gazetteer.streets_csv)
        .filter_map(|(_, f)| match f.as_slice() {
            [_, name, area, ..] if registers.districts.iter().any(|d| &d.code == area) => {
                Some((name.clone(), area.clone()))
            }
            _ => None,
        })
        .collect();
    let street_in = |rng: &mut Rng, district: &str| -> Option<String> {
        let here: Vec<&(String, String)> = streets.iter().filter(|(_, d)| d == district).collect();
        (!here.is_empty()).then(|| rng.pick(&here).0.clone())
    };
    let mut out = DemoHospitals {
        fingerprint: fingerprint(profile_text, gazetteer),
        rules: BookingRules {
            window_days: profile.window_days,
            release_time: profile.release_time.clone(),
            cancel_cutoff_hours: profile.cancel_cutoff_hours,
            per_department_per_day: profile.per_department_per_day,
            per_week: profile.per_week,
            no_show_limit: profile.no_show_limit,
            no_show_window_days: profile.no_show_window_days,
            no_show_ban_days: profile.no_show_ban_days,
            offer_hold_minutes: 30,
        },
        holidays: profile.holidays.clone(),
        workdays: profile.workdays.clone(),
        hospitals: Vec::new(),
        services: Vec::new(),
        doctors: Vec::new(),
    };
    for (i, d) in districts.iter().take(profile.city_hospitals).enumerate() {
        let street = street_in(&mut rng, &d.code).ok_or_else(|| bad("a district has no streets"))?;
        let hospital = Organization {
            id: format!("H{:02}", i + 1),
            name: format!("{}人民医院", d.name),
            kind: HospitalKind::CityHospital,
            district: d.name.clone(),
            address: format!("{}{}{}{}号", registers.address_prefix, d.name, street, rng.between(1, 300)),
            telecom: format!("0{}-{}", 900 + rng.between(10, 99), rng.between(8_000_000, 8_999_999)),
            longitude: d.longitude + (rng.unit() - 0.5) * 0.02,
            latitude: d.latitude + (rng.unit() - 0.5) * 0.02,
        };
        add_hospital(&mut out, &mut rng, hospital, CITY_DEPARTMENTS);
    }
    // Community centres take distinct streets of the urban districts, in gazetteer order.
    let mut urban_streets: Vec<&(String, String)> = streets
        .iter()
        .filter(|(name, d)| name.ends_with("街道") && registers.districts.iter().any(|x| &x.code == d && !x.rural))
        .collect();
    if urban_streets.len() < profile.community_centres {
        return Err(bad("not enough urban streets for the community centres"));
    }
    for i in 0..profile.community_centres {
        let (street, district_code) = urban_streets.remove(rng.below(urban_streets.len() as u64) as usize);
        let Some(d) = registers.districts.iter().find(|d| &d.code == district_code) else { continue };
        let stem = street.trim_end_matches("街道");
        let hospital = Organization {
            id: format!("C{:02}", i + 1),
            name: format!("{}{}社区卫生服务中心", d.name, stem),
            kind: HospitalKind::CommunityCentre,
            district: d.name.clone(),
            address: format!("{}{}{}{}号", registers.address_prefix, d.name, street, rng.between(1, 200)),
            telecom: format!("0{}-{}", 900 + rng.between(10, 99), rng.between(8_000_000, 8_999_999)),
            longitude: d.longitude + (rng.unit() - 0.5) * 0.06,
            latitude: d.latitude + (rng.unit() - 0.5) * 0.06,
        };
        add_hospital(&mut out, &mut rng, hospital, COMMUNITY_DEPARTMENTS);
    }
    Ok(out)
}

fn add_hospital(out: &mut DemoHospitals, rng: &mut Rng, hospital: Organization, departments: &[(&str, &str, &[&str])]) {
    let kind = hospital.kind;
    for (d, (category, name, skills)) in departments.iter().enumerate() {
        let service = HealthcareService {
            id: format!("{}-D{:02}", hospital.id, d + 1),
            provided_by: hospital.id.clone(),
            category: (*category).to_owned(),
            name: (*name).to_owned(),
        };
        let titles: &[Title] = match kind {
            HospitalKind::CityHospital => &[Title::Chief, Title::AssociateChief, Title::Attending, Title::Resident],
            HospitalKind::CommunityCentre => &[Title::Attending, Title::Resident],
        };
        for (n, title) in titles.iter().enumerate() {
            let sex = if rng.chance(0.5) {
                crate::registers::contract::Sex::Male
            } else {
                crate::registers::contract::Sex::Female
            };
            let name = format!("{}{}", names::surname(rng, "汉族"), names::given_name(rng, sex));
            let first = rng.pick(skills);
            let second = rng.pick(skills);
            let specialty = if first == second { (*first).to_owned() } else { format!("{first}、{second}") };
            let years = match title {
                Title::Chief => rng.between(25, 35),
                Title::AssociateChief => rng.between(15, 25),
                Title::Attending => rng.between(8, 15),
                Title::Resident => rng.between(2, 7),
            };
            let sessions = weekly_sessions(rng, *title, kind);
            let role = PractitionerRole {
                id: format!("{}-R{:02}", service.id, n + 1),
                practitioner: Practitioner {
                    id: format!("{}-P{:02}", service.id, n + 1),
                    name,
                    gender: if sex == crate::registers::contract::Sex::Male { Gender::Male } else { Gender::Female },
                    qualification: format!("从事{}临床工作{}年。", service.name, years),
                },
                organization: hospital.id.clone(),
                healthcare_service: service.id.clone(),
                code: *title,
                specialty,
                available_time: available_time(&sessions),
                availability_exceptions: "法定节假日停诊；调休工作日按周一出诊。".to_owned(),
                fee_fen: fee_fen(*title, kind),
            };
            out.doctors.push(DemoDoctor { role, sessions });
        }
        out.services.push(service);
    }
    out.hospitals.push(hospital);
}

const MORNING: (u32, u32) = (8 * 60, 12 * 60);
const AFTERNOON: (u32, u32) = (14 * 60 + 30, 17 * 60 + 30);

/// Senior doctors hold two or three half-day clinics a week, juniors four or five; city
/// hospitals also open on Saturday mornings.
fn weekly_sessions(rng: &mut Rng, title: Title, kind: HospitalKind) -> Vec<ClinicSession> {
    let wanted = match title {
        Title::Chief | Title::AssociateChief => rng.between(2, 3),
        _ => rng.between(4, 5),
    } as usize;
    let days = if kind == HospitalKind::CityHospital { 6 } else { 5 };
    let mut chosen: Vec<(u8, bool)> = Vec::new();
    while chosen.len() < wanted {
        let day = rng.between(1, days) as u8;
        let morning = day == 6 || rng.chance(0.6);
        if !chosen.contains(&(day, morning)) {
            chosen.push((day, morning));
        }
    }
    chosen.sort();
    chosen
        .into_iter()
        .map(|(day, morning)| {
            let (start, end) = if morning { MORNING } else { AFTERNOON };
            ClinicSession {
                day_of_week: day,
                start_minute: start,
                end_minute: end,
                slot_minutes: 30,
                per_slot: per_slot(title),
            }
        })
        .collect()
}

/// The weekly template as FHIR `availableTime`: days grouped by their hours.
pub fn available_time(sessions: &[ClinicSession]) -> Vec<AvailableTime> {
    let mut out: Vec<AvailableTime> = Vec::new();
    for s in sessions {
        let start = super::hhmm(s.start_minute);
        let end = super::hhmm(s.end_minute);
        let Some(day) = DayOfWeek::from_number(s.day_of_week) else { continue };
        match out.iter_mut().find(|a| a.available_start_time == start && a.available_end_time == end) {
            Some(a) => a.days_of_week.push(day),
            None => out.push(AvailableTime {
                days_of_week: vec![day],
                available_start_time: start,
                available_end_time: end,
            }),
        }
    }
    out
}

/// One hospital with two departments of one doctor each, clinics 08:00–09:00 every day in
/// 30-minute slots of `capacity` numbers, a holiday on 2026-12-09: the platform's tests and the
/// booking benchmark run on it (the generated city has too few numbers per slot for a storm).
pub fn single_hospital(capacity: u32) -> DemoHospitals {
    let sessions: Vec<ClinicSession> = (1..=7)
        .map(|day_of_week| ClinicSession {
            day_of_week,
            start_minute: 8 * 60,
            end_minute: 9 * 60,
            slot_minutes: 30,
            per_slot: capacity,
        })
        .collect();
    let role = |n: u32, service: &str| PractitionerRole {
        id: format!("{service}-R{n}"),
        practitioner: Practitioner {
            id: format!("{service}-P{n}"),
            name: "测试医生".into(),
            gender: Gender::Female,
            qualification: String::new(),
        },
        organization: "H01".into(),
        healthcare_service: service.into(),
        code: Title::Attending,
        specialty: String::new(),
        available_time: available_time(&sessions),
        availability_exceptions: String::new(),
        fee_fen: 1500,
    };
    DemoHospitals {
        fingerprint: "test".into(),
        rules: BookingRules {
            window_days: 7,
            release_time: "15:00".into(),
            cancel_cutoff_hours: 0,
            per_department_per_day: 1,
            per_week: 3,
            no_show_limit: 2,
            no_show_window_days: 30,
            no_show_ban_days: 7,
            offer_hold_minutes: 30,
        },
        holidays: vec!["2026-12-09".into()],
        workdays: vec![],
        hospitals: vec![Organization {
            id: "H01".into(),
            name: "测试医院".into(),
            kind: HospitalKind::CityHospital,
            district: "测试区".into(),
            address: "测试路 1 号".into(),
            telecom: "0000".into(),
            longitude: 100.0,
            latitude: 30.0,
        }],
        services: ["H01-D01", "H01-D02"]
            .iter()
            .map(|id| HealthcareService {
                id: (*id).into(),
                provided_by: "H01".into(),
                category: "内科".into(),
                name: (*id).into(),
            })
            .collect(),
        doctors: ["H01-D01", "H01-D02"]
            .iter()
            .map(|s| DemoDoctor { role: role(1, s), sessions: sessions.clone() })
            .collect(),
    }
}
