//! Word lists for demo names: common surnames with rough frequencies, given-name characters,
//! ethnic groups of north-west China, and parts of business names. The people are fictional.

use super::rng::Rng;
use crate::registers::contract::{EntityKind, Sex};

/// Surnames weighted roughly by national frequency.
const SURNAMES: &[(&str, f64)] = &[
    ("王", 7.1),
    ("李", 7.0),
    ("张", 6.8),
    ("刘", 5.4),
    ("陈", 4.5),
    ("杨", 3.1),
    ("赵", 2.3),
    ("黄", 2.2),
    ("周", 2.1),
    ("吴", 2.0),
    ("徐", 1.7),
    ("孙", 1.5),
    ("马", 1.5),
    ("朱", 1.3),
    ("胡", 1.3),
    ("郭", 1.2),
    ("何", 1.2),
    ("高", 1.1),
    ("林", 1.1),
    ("罗", 1.0),
    ("郑", 1.0),
    ("梁", 0.9),
    ("谢", 0.8),
    ("宋", 0.8),
    ("唐", 0.8),
    ("许", 0.7),
    ("韩", 0.7),
    ("冯", 0.7),
    ("邓", 0.7),
    ("曹", 0.7),
    ("彭", 0.6),
    ("曾", 0.6),
    ("魏", 0.6),
    ("苏", 0.5),
    ("田", 0.5),
    ("董", 0.5),
    ("袁", 0.5),
    ("潘", 0.5),
    ("蒋", 0.5),
    ("蔡", 0.5),
    ("杜", 0.4),
    ("丁", 0.4),
    ("薛", 0.4),
    ("任", 0.4),
    ("姚", 0.4),
    ("贾", 0.4),
    ("牛", 0.3),
    ("焦", 0.3),
    ("安", 0.3),
    ("石", 0.3),
    ("雷", 0.3),
    ("白", 0.3),
    ("段", 0.3),
    ("康", 0.2),
    ("孔", 0.2),
    ("祁", 0.2),
];

/// Surnames common among Hui, Dongxiang and other Muslim communities of the region.
const MUSLIM_SURNAMES: &[(&str, f64)] = &[
    ("马", 6.0),
    ("韩", 1.5),
    ("丁", 1.2),
    ("白", 1.0),
    ("哈", 0.8),
    ("穆", 0.6),
    ("妥", 0.5),
    ("喇", 0.4),
    ("冶", 0.4),
];

const ETHNIC_GROUPS: &[(&str, f64)] = &[
    ("汉族", 90.0),
    ("回族", 6.0),
    ("东乡族", 1.4),
    ("藏族", 0.8),
    ("满族", 0.6),
    ("土族", 0.4),
    ("蒙古族", 0.3),
    ("保安族", 0.2),
    ("撒拉族", 0.2),
    ("裕固族", 0.1),
];

const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌",
    "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "博", "晨", "睿", "航", "轩", "泽", "文", "武", "海",
    "峰", "东", "建", "国", "志", "荣", "德", "福", "兵", "成",
];

const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "燕", "婷", "雪", "慧", "颖", "琳", "倩", "欣",
    "怡", "梓", "涵", "雨", "桐", "馨", "佳", "婉", "晶", "萍", "红", "梅", "兰", "莉", "蓉", "洁", "璐", "瑶", "悦",
];

const TRADE_CHARS: &[&str] = &[
    "鑫", "盛", "华", "泰", "金", "陇", "原", "恒", "通", "宏", "达", "瑞", "祥", "丰", "源", "明", "远", "博", "创",
    "隆", "兴", "嘉", "禾", "安", "天", "成", "正", "德", "信", "诚", "汇", "聚", "峰", "润", "新", "合", "利", "众",
];

const INDUSTRIES: &[&str] = &[
    "商贸",
    "科技",
    "信息技术",
    "餐饮管理",
    "建筑工程",
    "物流",
    "文化传媒",
    "农业开发",
    "医药",
    "食品",
    "房地产开发",
    "环保科技",
    "教育咨询",
    "汽车服务",
    "旅游开发",
    "机械设备",
    "电子商务",
    "劳务服务",
    "装饰工程",
    "新能源",
];

const SHOPS: &[&str] = &[
    "牛肉面馆",
    "便利店",
    "理发店",
    "五金店",
    "干洗店",
    "手机维修部",
    "水果店",
    "粮油店",
    "小吃店",
    "烟酒店",
    "服装店",
    "药店",
    "茶叶店",
    "复印店",
];

const PRODUCE: &[&str] = &["蔬菜", "百合", "玫瑰", "马铃薯", "中药材", "果品", "花卉", "养殖", "高原夏菜"];

fn weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, f64)]) -> &'a str {
    let weights: Vec<f64> = items.iter().map(|(_, w)| *w).collect();
    items[rng.weighted(&weights)].0
}

pub fn ethnicity(rng: &mut Rng) -> &'static str {
    weighted(rng, ETHNIC_GROUPS)
}

pub fn surname(rng: &mut Rng, ethnicity: &str) -> &'static str {
    match ethnicity {
        "回族" | "东乡族" | "保安族" | "撒拉族" if rng.chance(0.7) => weighted(rng, MUSLIM_SURNAMES),
        _ => weighted(rng, SURNAMES),
    }
}

pub fn given_name(rng: &mut Rng, sex: Sex) -> String {
    let chars = if sex == Sex::Male { MALE_CHARS } else { FEMALE_CHARS };
    let first = *rng.pick(chars);
    if rng.chance(0.35) {
        first.to_owned()
    } else {
        format!("{first}{}", rng.pick(chars))
    }
}

/// A business name in the usual pattern for its kind: place + trade name + industry + form.
pub fn entity_name(rng: &mut Rng, kind: EntityKind, city: &str, district: &str) -> String {
    let trade = format!("{}{}", rng.pick(TRADE_CHARS), rng.pick(TRADE_CHARS));
    match kind {
        EntityKind::LimitedCompany => format!("{city}{trade}{}有限公司", rng.pick(INDUSTRIES)),
        EntityKind::JointStockCompany => format!("{city}{trade}{}股份有限公司", rng.pick(INDUSTRIES)),
        EntityKind::SoleProprietorship => format!("{city}{trade}{}中心", rng.pick(INDUSTRIES)),
        EntityKind::IndividualBusiness => format!("{district}{trade}{}", rng.pick(SHOPS)),
        EntityKind::FarmersCooperative => format!("{district}{trade}{}种植农民专业合作社", rng.pick(PRODUCE)),
    }
}
