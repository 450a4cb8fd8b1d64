use super::*;

const PROFILE: &str = r#"
seed = 42
as_of = "2026-01-01"
people = 600
entities = 120
address_prefix = "某省某市"
trade_name_prefix = "某市"
districts = [
  { code = "810102", name = "甲区", longitude = 103.8, latitude = 36.05, weight = 3.0 },
  { code = "810121", name = "乙县", longitude = 103.2, latitude = 36.7, weight = 1.0, rural = true },
]
named_places = [{ code = "N-1", name = "市民中心", district = "810102", longitude = 103.81, latitude = 36.06 }]
[[households]]
district = "810102"
members = [
  { name = "张伟", sex = "male", birth_date = "1988-03-12", relation = "head", marital_status = "married" },
  { name = "刘芳", sex = "female", birth_date = "1990-02-28", relation = "spouse", marital_status = "married" },
]
[[companies]]
name = "某市示例科技有限公司"
kind = "limited_company"
legal_representative = "刘芳"
registered_capital = 1000000
established_on = "2016-04-08"
district = "810102"
[[indicators]]
code = "gdp"
name = { zh = "地区生产总值", en = "GDP" }
unit = { zh = "亿元", en = "100 million yuan" }
source = { zh = "演示", en = "demo" }
annual = [[2024, 100.0], [2025, 110.0]]
quarterly_shares = [0.2, 0.45, 0.7]
"#;

const STREETS: &str =
    "code,name,areaCode\n810102001,\"东街道\",810102\n810102002,\"西街道\",810102\n810121100,\"南镇\",810121\n";
const COMMUNITIES: &str = "code,name,streetCode\n810102001001,\"一社区居委会\",810102001\n810102002001,\"二社区居委会\",810102002\n810121100201,\"红村委会\",810121100\n";

fn generated() -> DemoRegisters {
    let profile: RegistersProfile = toml::from_str(PROFILE).expect("profile parses");
    let gazetteer = Gazetteer { streets_csv: STREETS, communities_csv: COMMUNITIES };
    generate(&profile, PROFILE, &gazetteer).expect("generates")
}

#[test]
fn the_same_profile_gives_the_same_registers() {
    let (a, b) = (generated(), generated());
    assert_eq!(a.fingerprint, b.fingerprint);
    let ids = |r: &DemoRegisters| r.people.iter().map(|p| (p.id_number.clone(), p.name.clone())).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    let codes = |r: &DemoRegisters| r.entities.iter().map(|e| e.credit_code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&a), codes(&b));
}

#[test]
fn identifiers_are_valid_unique_and_agree_with_the_person() {
    let r = generated();
    assert!(r.people.len() >= 600 && r.entities.len() == 120);
    let mut seen = HashSet::new();
    for p in &r.people {
        let id = ResidentId::parse(&p.id_number).unwrap_or_else(|e| panic!("{}: {e:?}", p.id_number));
        assert!(seen.insert(p.id_number.clone()), "duplicate {}", p.id_number);
        assert_eq!(id.is_male(), p.sex == Sex::Male, "{}", p.id_number);
        let (y, m, d) = id.birth_date();
        assert_eq!(format!("{y:04}-{m:02}-{d:02}"), p.birth_date);
        assert!(p.birth_date.as_str() <= "2026-01-01");
        assert!(["810102", "810121"].contains(&id.area_code()));
    }
    let mut seen = HashSet::new();
    for e in &r.entities {
        let code = CreditCode::parse(&e.credit_code).unwrap_or_else(|err| panic!("{}: {err:?}", e.credit_code));
        assert!(seen.insert(e.credit_code.clone()));
        let org = &e.credit_code[8..17];
        assert_eq!(org_code_check(&org[..8]), org.chars().last().unwrap_or_default(), "{}", e.credit_code);
        assert!(r.people.iter().any(|p| p.id_number == e.legal_representative_id && p.name == e.legal_representative));
        assert_eq!(e.kind == EntityKind::IndividualBusiness, e.registered_capital.is_none());
        assert!(["810102", "810121"].contains(&code.area_code()));
    }
}

#[test]
fn households_have_one_head_and_consistent_members() {
    let r = generated();
    for h in &r.households {
        let members: Vec<_> = r.people.iter().filter(|p| p.household_id == h.id).collect();
        assert_eq!(members.iter().filter(|p| p.relation == Relation::Head).count(), 1, "household {}", h.id);
        assert!(h.address.starts_with("某省某市"));
        let spouses = members.iter().filter(|p| p.relation == Relation::Spouse).count();
        assert!(spouses <= 1);
        if spouses == 1 {
            let head = members.iter().find(|p| p.relation == Relation::Head).map(|p| p.marital_status);
            assert_eq!(head, Some(MaritalStatus::Married));
        }
    }
}

#[test]
fn personas_come_first_with_their_given_details() {
    let r = generated();
    assert_eq!(r.people[0].name, "张伟");
    assert!(r.people[0].id_number.starts_with("81010219880312"));
    assert_eq!(r.people[1].household_id, r.people[0].household_id);
    let company = &r.entities[0];
    assert_eq!((company.name.as_str(), company.legal_representative.as_str()), ("某市示例科技有限公司", "刘芳"));
    assert_eq!(company.legal_representative_id, r.people[1].id_number);
}

#[test]
fn places_cover_every_level_and_quarters_are_derived() {
    let r = generated();
    let count = |k: PlaceKind| r.places.iter().filter(|p| p.kind == k).count();
    assert_eq!((count(PlaceKind::District), count(PlaceKind::Street), count(PlaceKind::Community)), (2, 3, 3));
    assert_eq!(count(PlaceKind::Named), 1);
    let village = r.places.iter().find(|p| p.code == "810121100201").expect("village");
    assert_eq!(village.full_name, "乙县 南镇 红村委会");
    assert!(!village.surveyed && (village.longitude - 103.2).abs() < 0.2);
    let quarterly = r.indicators.iter().find(|s| s.code == "gdp_quarterly").expect("derived");
    assert_eq!(quarterly.points.len(), 8);
    assert_eq!((quarterly.points[1].period.as_str(), quarterly.points[1].value), ("2024Q2", 45.0));
    assert_eq!(quarterly.points[3].value, 100.0);
}

#[test]
fn a_changed_profile_changes_the_fingerprint() {
    let g = Gazetteer { streets_csv: STREETS, communities_csv: COMMUNITIES };
    assert_ne!(fingerprint(PROFILE, &g), fingerprint(&PROFILE.replace("seed = 42", "seed = 43"), &g));
}
