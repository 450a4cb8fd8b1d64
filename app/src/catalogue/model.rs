//! A service item (政务服务事项) as the national implementation list (实施清单) describes it: the
//! guide's fields (domain reference §2a), its materials (§2b) and the online form. One value of
//! [`ItemContent`] is one version; versions are stored whole and never changed once saved.

use crate::site::Bilingual;
use serde::{Deserialize, Serialize};

/// Everything a citizen reads in the guide and everything the application form asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemContent {
    /// 实施编码: unique per implementing body and area; stays the same across versions.
    pub code: String,
    /// 基本编码 from the basic catalogue.
    pub basic_code: String,
    /// 业务办理项: new, change, renewal or cancellation.
    pub variant: Variant,
    pub name: Bilingual,
    /// What people call it (口语名称), searched like the name.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub item_type: ItemType,
    /// The department (its code in the city profile) that publishes and handles the item.
    pub department: String,
    /// 实施主体.
    pub implementing_body: Bilingual,
    pub target: Target,
    /// 主题分类 and 人生事件: codes from [`TOPICS`] and [`LIFE_EVENTS`].
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub life_events: Vec<String>,
    pub summary: Bilingual,
    /// 受理条件, one condition per entry (no catch-all clauses).
    pub conditions: Vec<String>,
    /// 数量限制; empty when there is none.
    #[serde(default)]
    pub quantity_limit: String,
    pub statutory_limit: TimeLimit,
    /// Promised limit, never longer than the statutory one (validated).
    pub promised_limit: TimeLimit,
    /// 办件类型.
    pub handling: Handling,
    pub channels: Vec<Channel>,
    /// 网上办理深度 1–4 (4: 全程网办).
    pub online_depth: u8,
    /// 到办事现场次数.
    pub visits: u8,
    #[serde(default)]
    pub visits_note: String,
    #[serde(default)]
    pub appointment: bool,
    #[serde(default)]
    pub online_payment: bool,
    #[serde(default)]
    pub courier: bool,
    /// 通办范围.
    pub scope: Scope,
    pub location: String,
    pub hours: String,
    /// Empty means 不收费.
    #[serde(default)]
    pub fees: Vec<Fee>,
    pub legal_basis: Vec<LegalBasis>,
    pub process: Vec<ProcessStep>,
    pub result: ItemResult,
    pub consultation_phone: String,
    pub complaint_phone: String,
    #[serde(default)]
    pub faq: Vec<Faq>,
    pub materials: Vec<Material>,
    pub form: FormDefinition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    New,
    Change,
    Renewal,
    Cancellation,
}

/// 事项类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// 行政许可
    Licence,
    /// 行政给付
    Payment,
    /// 行政确认
    Confirmation,
    /// 行政裁决
    Adjudication,
    /// 行政奖励
    Reward,
    /// 行政征收
    Levy,
    /// 其他行政权力
    OtherPower,
    /// 公共服务
    PublicService,
}

/// 服务对象.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Person,
    Entity,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    pub days: u16,
    pub unit: DayUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    /// 工作日
    Working,
    /// 自然日
    Natural,
}

/// 即办件 (handled while the applicant waits) or 承诺件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    Immediate,
    Promised,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Window,
    Online,
    Post,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    City,
    Province,
    National,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub name: String,
    pub standard: String,
    pub basis: String,
    #[serde(default)]
    pub reduction: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    pub law: String,
    #[serde(default)]
    pub article: String,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessStep {
    pub step: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemResult {
    pub kind: ResultKind,
    pub name: String,
    #[serde(default)]
    pub validity: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    /// 证照
    Certificate,
    /// 批文
    Approval,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

/// 申请材料, one per row of the guide's material table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// Stable within the item; file questions name it.
    pub id: String,
    pub name: String,
    pub form: MaterialForm,
    #[serde(default)]
    pub originals: u8,
    #[serde(default)]
    pub copies: u8,
    pub necessity: Necessity,
    pub source: MaterialSource,
    #[serde(default)]
    pub source_note: String,
    /// The electronic certificate (电子证照) that can replace it, if any.
    #[serde(default)]
    pub e_certificate: Option<String>,
    /// A signed declaration (告知承诺) can replace it.
    #[serde(default)]
    pub declaration_allowed: bool,
    #[serde(default)]
    pub note: String,
}

/// 材料形式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    Original,
    Copy,
    OriginalAndCopy,
    Electronic,
}

/// 材料必要性: 必要 / 非必要 / 容缺 (may follow after acceptance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Necessity {
    Required,
    Optional,
    Deferrable,
}

/// 来源渠道.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialSource {
    Applicant,
    Government,
    Other,
}

/// The online application's questions, stored as data with the item version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDefinition {
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within the form (letters, digits, `_`).
    pub id: String,
    pub kind: QuestionKind,
    pub label: Bilingual,
    #[serde(default)]
    pub hint: Option<Bilingual>,
    #[serde(default)]
    pub required: bool,
    /// For choices.
    #[serde(default)]
    pub options: Vec<ChoiceOption>,
    /// Text length or number range.
    #[serde(default)]
    pub max_length: Option<u32>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    /// A register field that can fill this answer, as `RESOURCE.field` (e.g. `RK-0001.name`);
    /// the item's forms may only use fields granted to application prefill.
    #[serde(default)]
    pub prefill: Option<String>,
    /// Shown only when another (earlier) question has this answer.
    #[serde(default)]
    pub visible_if: Option<Condition>,
    /// For file questions: the material the upload provides.
    #[serde(default)]
    pub material: Option<String>,
    /// For groups: the repeated questions and how many times they may repeat.
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub min_items: Option<u16>,
    #[serde(default)]
    pub max_items: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Text,
    Number,
    Date,
    Choice,
    IdNumber,
    Phone,
    Address,
    Group,
    File,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub value: String,
    pub label: Bilingual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    pub equals: String,
}

/// 主题分类 for people and companies, by code (labels in the message table).
pub const TOPICS: &[&str] = &[
    "birth",
    "household",
    "identity",
    "marriage",
    "social_assistance",
    "pension",
    "disability",
    "health",
    "housing",
    "education",
    "employment",
    "business_start",
    "business_change",
    "food",
    "construction",
];

/// 人生事件 and 企业事件 ("I want to …").
pub const LIFE_EVENTS: &[&str] =
    &["having_a_baby", "getting_married", "moving_home", "retiring", "hardship", "starting_a_business", "building"];
