//! The demo library: the real MARC records a profile names, plus a generated catalogue
//! (deterministic from the profile's seed) to reach a realistic size, and copies in every
//! branch with call numbers by 中图法 class and a status as of the profile's day.

use super::contract::*;
use super::marc;
use crate::registers::contract::Sex;
use crate::registers::demo::names;
use crate::registers::demo::rng::Rng;
use crate::site::Bilingual;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Bump when the generator's output changes, so `seed-demo` regenerates.
const GENERATOR_VERSION: u32 = 1;

/// The `[library]` section of a city profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryProfile {
    pub seed: u64,
    /// Loans' due dates are relative to this day (`YYYY-MM-DD`).
    pub as_of: String,
    /// The whole catalogue's size: the MARC records plus generated ones up to this number.
    pub records: usize,
    /// MARC21 files (ISO 2709, UTF-8), relative to the profile.
    #[serde(default)]
    pub marc: Vec<String>,
    pub branches: Vec<Branch>,
    /// Readers with a library card (demo people of the registers, so they can try the portal).
    #[serde(default)]
    pub patrons: Vec<DemoPatron>,
    #[serde(default = "default_rules")]
    pub rules: LoanRules,
}

/// A demo reader: card number, name and PIN, as the profile documents them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoPatron {
    pub card: String,
    pub name: String,
    pub pin: String,
}

pub fn default_rules() -> LoanRules {
    LoanRules { max_renewals: 2, renew_days: 30, pickup_days: 7 }
}

/// The fingerprint of the readers' part, which also depends on the day their loans are due from.
pub fn patrons_fingerprint(profile: &LibraryProfile, today: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("{:?}{:?}{today}", profile.patrons, profile.rules).as_bytes());
    hex::encode(hash.finalize())
}

pub struct DemoLibrary {
    pub fingerprint: String,
    pub branches: Vec<Branch>,
    pub records: Vec<BibRecord>,
    pub items: Vec<Item>,
}

pub fn fingerprint(profile: &LibraryProfile, marc_files: &[Vec<u8>]) -> String {
    let mut hash = Sha256::new();
    hash.update(GENERATOR_VERSION.to_le_bytes());
    hash.update(format!("{profile:?}").as_bytes());
    for file in marc_files {
        hash.update((file.len() as u64).to_le_bytes());
        hash.update(file);
    }
    hex::encode(hash.finalize())
}

/// The whole demo library. `marc_files` are the contents of the profile's MARC files.
pub fn generate(profile: &LibraryProfile, marc_files: &[Vec<u8>]) -> Result<DemoLibrary, String> {
    if profile.branches.is_empty() {
        return Err("the library profile names no branch".into());
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let as_of = time::Date::parse(&profile.as_of, format).map_err(|_| "library.as_of is not YYYY-MM-DD")?;
    let mut records = Vec::with_capacity(profile.records);
    for file in marc_files {
        let parsed = marc::parse_file(file).map_err(|e| e.to_string())?;
        records.extend(parsed.iter().filter_map(marc::to_bib_record));
    }
    let mut rng = Rng::new(profile.seed);
    let mut n = 0usize;
    while records.len() < profile.records {
        n += 1;
        records.push(generated_record(&mut rng, n));
    }
    let mut items = Vec::with_capacity(records.len() * 2);
    let mut barcode = 0u64;
    for (number, record) in records.iter().enumerate() {
        let copies = 1 + rng.weighted(&[4.0, 3.0, 2.0, 1.0]);
        let mut branches: Vec<&Branch> = Vec::new();
        for _ in 0..copies {
            // The central library (first branch) holds most copies.
            let b = if rng.chance(0.45) { &profile.branches[0] } else { rng.pick(&profile.branches) };
            branches.push(b);
        }
        let book_number = number + 1;
        for branch in branches {
            barcode += 1;
            let status = match rng.weighted(&[60.0, 25.0, 5.0, 10.0]) {
                0 => ItemStatus::OnShelf,
                1 => ItemStatus::OnLoan,
                2 => ItemStatus::InTransit,
                _ => ItemStatus::ReferenceOnly,
            };
            let due_date = (status == ItemStatus::OnLoan)
                .then(|| (as_of + time::Duration::days(rng.between(1, 30))).format(format).unwrap_or_default());
            items.push(Item {
                barcode: format!("3{:011}", barcode),
                record_id: record.id.clone(),
                branch: branch.code.clone(),
                call_number: format!("{}/{}", record.clc, book_number),
                location: shelf(record.clc_top(), status, &mut rng),
                status,
                due_date,
            });
        }
    }
    Ok(DemoLibrary {
        fingerprint: fingerprint(profile, marc_files),
        branches: profile.branches.clone(),
        records,
        items,
    })
}

/// Floor and reading room by class, and a shelf number.
fn shelf(top: char, status: ItemStatus, rng: &mut Rng) -> Bilingual {
    let shelf = rng.between(1, 40);
    if status == ItemStatus::ReferenceOnly {
        return Bilingual {
            zh: format!("四楼 典藏阅览室 {shelf} 架"),
            en: format!("4th floor, reference room, shelf {shelf}"),
        };
    }
    let (zh, en) = match top {
        'I' | 'J' => ("二楼 文学艺术借阅区", "2nd floor, literature and arts"),
        'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'K' => ("三楼 社会科学借阅区", "3rd floor, social sciences"),
        _ => ("三楼 自然科学借阅区", "3rd floor, sciences and technology"),
    };
    Bilingual { zh: format!("{zh} {shelf} 架"), en: format!("{en}, shelf {shelf}") }
}

struct Topic {
    clc: &'static str,
    words: &'static [&'static str],
    subject: &'static str,
}

const TOPICS: &[Topic] = &[
    Topic {
        clc: "B2", words: &["中国哲学", "先秦诸子", "宋明理学", "儒家思想", "道家思想"], subject: "哲学"
    },
    Topic { clc: "B84", words: &["心理学", "儿童心理", "社会心理", "认知心理"], subject: "心理学" },
    Topic {
        clc: "C91", words: &["城市社会", "乡村振兴", "人口流动", "社区治理"], subject: "社会学"
    },
    Topic { clc: "D9", words: &["民法典", "行政法", "劳动合同法", "知识产权"], subject: "法律" },
    Topic { clc: "E2", words: &["军事史", "国防教育", "古代兵法"], subject: "军事" },
    Topic {
        clc: "F12", words: &["中国经济", "区域经济", "数字经济", "西部开发", "乡村产业"], subject: "经济"
    },
    Topic { clc: "F83", words: &["金融市场", "家庭理财", "货币银行"], subject: "金融" },
    Topic { clc: "G62", words: &["小学教育", "家庭教育", "阅读教学", "课堂管理"], subject: "教育" },
    Topic { clc: "G8", words: &["体育锻炼", "马拉松", "太极拳", "足球"], subject: "体育" },
    Topic { clc: "H1", words: &["汉字", "现代汉语", "古代汉语", "方言"], subject: "汉语" },
    Topic { clc: "H31", words: &["英语语法", "英语写作", "英语口语"], subject: "英语" },
    Topic { clc: "I24", words: &["小说", "短篇小说", "长篇小说", "武侠小说"], subject: "中国小说" },
    Topic { clc: "I26", words: &["散文", "随笔", "游记"], subject: "中国散文" },
    Topic { clc: "I22", words: &["诗歌", "唐诗", "宋词", "现代诗"], subject: "中国诗歌" },
    Topic { clc: "J2", words: &["中国画", "山水画", "花鸟画", "书法"], subject: "绘画" },
    Topic { clc: "J6", words: &["音乐", "民歌", "钢琴", "秦腔"], subject: "音乐" },
    Topic {
        clc: "K2", words: &["中国古代史", "丝绸之路", "敦煌", "明清史", "近代史"], subject: "中国历史"
    },
    Topic { clc: "K92", words: &["西北地理", "黄河", "河西走廊", "旅游地理"], subject: "地理" },
    Topic { clc: "N49", words: &["科普", "自然科学", "科学史"], subject: "科学普及" },
    Topic { clc: "O1", words: &["高等数学", "线性代数", "概率论", "数论"], subject: "数学" },
    Topic { clc: "O4", words: &["物理学", "量子力学", "光学"], subject: "物理学" },
    Topic { clc: "P4", words: &["气象", "气候变化", "沙漠"], subject: "气象学" },
    Topic { clc: "Q94", words: &["植物", "野生植物", "草原生态"], subject: "植物学" },
    Topic { clc: "R2", words: &["中医", "针灸", "本草", "养生"], subject: "中医学" },
    Topic { clc: "R4", words: &["临床医学", "护理", "急救", "健康管理"], subject: "医学" },
    Topic { clc: "S5", words: &["农作物", "马铃薯", "旱作农业", "果树栽培"], subject: "农业" },
    Topic {
        clc: "TP3",
        words: &["计算机", "程序设计", "数据库", "人工智能", "网络安全", "Rust语言", "Python"],
        subject: "计算机",
    },
    Topic { clc: "TU", words: &["建筑设计", "城市规划", "园林", "古建筑"], subject: "建筑" },
    Topic { clc: "U4", words: &["公路", "城市交通", "铁路"], subject: "交通运输" },
    Topic { clc: "X", words: &["环境保护", "水资源", "生态文明"], subject: "环境科学" },
];

const FORMS: &[&str] = &[
    "研究", "概论", "导论", "简史", "论稿", "十讲", "读本", "入门", "通论", "新编", "教程", "手册", "文集", "图说",
    "百问",
];

const PUBLISHERS: &[(&str, &str)] = &[
    ("人民出版社", "北京"),
    ("商务印书馆", "北京"),
    ("中华书局", "北京"),
    ("人民文学出版社", "北京"),
    ("科学出版社", "北京"),
    ("高等教育出版社", "北京"),
    ("清华大学出版社", "北京"),
    ("生活·读书·新知三联书店", "北京"),
    ("上海古籍出版社", "上海"),
    ("上海人民出版社", "上海"),
    ("译林出版社", "南京"),
    ("浙江人民出版社", "杭州"),
    ("四川人民出版社", "成都"),
    ("甘肃人民出版社", "兰州"),
    ("甘肃教育出版社", "兰州"),
    ("读者出版社", "兰州"),
    ("敦煌文艺出版社", "兰州"),
    ("兰州大学出版社", "兰州"),
];

/// Classics with their authors, in many editions, as any public library holds them.
const CLASSICS: &[(&str, &str, &str)] = &[
    ("红楼梦", "曹雪芹", "I242.4"),
    ("三国演义", "罗贯中", "I242.4"),
    ("水浒传", "施耐庵", "I242.4"),
    ("西游记", "吴承恩", "I242.4"),
    ("儒林外史", "吴敬梓", "I242.4"),
    ("聊斋志异", "蒲松龄", "I242.1"),
    ("史记", "司马迁", "K204.2"),
    ("论语译注", "杨伯峻", "B222.2"),
    ("呐喊", "鲁迅", "I246.7"),
    ("骆驼祥子", "老舍", "I246.5"),
    ("边城", "沈从文", "I246.5"),
    ("围城", "钱锺书", "I246.5"),
    ("家", "巴金", "I246.5"),
    ("平凡的世界", "路遥", "I247.5"),
    ("活着", "余华", "I247.5"),
];

fn generated_record(rng: &mut Rng, n: usize) -> BibRecord {
    let sex = if rng.chance(0.5) { Sex::Male } else { Sex::Female };
    let mut author = format!("{}{}", names::surname(rng, "汉族"), names::given_name(rng, sex));
    let (publisher, place) = *rng.pick(PUBLISHERS);
    let year = rng.between(1980, 2025) as i32;
    let (title, clc, subject, responsibility) = if rng.chance(0.02) {
        let (title, classic_author, clc) = *rng.pick(CLASSICS);
        let editor = author.clone();
        author = classic_author.to_owned();
        (title.to_owned(), clc.to_owned(), "中国文学".to_owned(), format!("{classic_author}著 ; {editor}校注"))
    } else {
        let topic = rng.pick(TOPICS);
        let word = *rng.pick(topic.words);
        let title = if rng.chance(0.3) {
            let other = *rng.pick(topic.words);
            if other == word {
                format!("{word}{}", rng.pick(FORMS))
            } else {
                format!("{word}与{other}")
            }
        } else {
            format!("{word}{}", rng.pick(FORMS))
        };
        let clc = format!("{}{}", topic.clc, rng.between(1, 9));
        (title, clc, topic.subject.to_owned(), format!("{author}著"))
    };
    BibRecord {
        id: format!("gen-{n:06}"),
        source: RecordSource::Generated,
        title,
        subtitle: None,
        title_romanized: None,
        responsibility: Some(responsibility),
        authors: vec![author],
        edition: Some(format!("第{}版", rng.weighted(&[8.0, 2.0, 1.0]) + 1)),
        place: Some(place.to_owned()),
        publisher: Some(publisher.to_owned()),
        year: Some(year),
        extent: Some(format!("{}页", rng.between(80, 600))),
        isbns: vec![isbn13(rng)],
        subjects: vec![subject],
        series: None,
        summary: None,
        clc,
        lcc: None,
        language: "chi".to_owned(),
    }
}

/// A well-formed ISBN-13 in the Chinese group (978-7).
fn isbn13(rng: &mut Rng) -> String {
    let body = format!("9787{:08}", rng.below(100_000_000));
    let sum: u32 =
        body.chars().enumerate().map(|(i, c)| c.to_digit(10).unwrap_or(0) * if i % 2 == 0 { 1 } else { 3 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(records: usize) -> LibraryProfile {
        let branch = |code: &str| Branch {
            code: code.into(),
            name: Bilingual { zh: format!("{code}馆"), en: code.into() },
            address: Bilingual { zh: "地址".into(), en: "address".into() },
            hours: Bilingual { zh: "9:00–17:00".into(), en: "9:00–17:00".into() },
            longitude: 103.8,
            latitude: 36.0,
        };
        LibraryProfile {
            seed: 7,
            as_of: "2026-01-01".into(),
            records,
            marc: vec![],
            branches: vec![branch("main"), branch("east")],
            patrons: Vec::new(),
            rules: default_rules(),
        }
    }

    #[test]
    fn generation_is_deterministic_and_reaches_the_size() {
        let marc = vec![include_bytes!("../../../server/demo/library/loc_books_chi_sample.mrc.gz").to_vec()];
        let a = generate(&profile(3000), &marc).expect("generates");
        let b = generate(&profile(3000), &marc).expect("generates");
        assert_eq!(a.records.len(), 3000);
        assert_eq!(a.records, b.records);
        assert_eq!(a.items, b.items);
        assert_eq!(a.records.iter().filter(|r| r.source == RecordSource::LibraryOfCongress).count(), 1014);
        // Every record has a copy, every copy a known branch, loans a due date.
        for r in &a.records {
            assert!(a.items.iter().any(|i| i.record_id == r.id), "{} has no copy", r.id);
        }
        assert!(a.items.iter().all(|i| i.branch == "main" || i.branch == "east"));
        assert!(a.items.iter().all(|i| (i.status == ItemStatus::OnLoan) == i.due_date.is_some()));
        let isbn = &a.records[2000].isbns[0];
        assert_eq!(isbn.len(), 13);
        assert_ne!(a.fingerprint, generate(&profile(3001), &marc).expect("generates").fingerprint);
    }
}
