//! What an application is, in both builds: the answers document, the status vocabulary, the
//! steps a form definition becomes, and the application number's check character.

use crate::catalogue::model::{FormDefinition, Question, QuestionKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The answers to one application's form. Keys are question ids, and for repeating groups
/// `group.index.question` (entries counted from 0). The same keys name the HTML fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// How many entries each repeating group has.
    #[serde(default)]
    pub groups: BTreeMap<String, u16>,
    /// Answers filled from a register, with the value as it arrived; an answer the citizen has
    /// since changed no longer counts as coming from the register.
    #[serde(default)]
    pub sources: BTreeMap<String, Source>,
}

/// Where a prefilled answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The shared resource (e.g. `RK-0001`) and its field.
    pub resource: String,
    pub field: String,
    /// Unix seconds of retrieval.
    pub retrieved_at: i64,
    pub value: String,
}

impl Answers {
    pub fn value(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    pub fn group_len(&self, group: &str) -> u16 {
        self.groups.get(group).copied().unwrap_or(0)
    }

    /// The register an answer came from, if it still holds the value that arrived.
    pub fn source_of(&self, key: &str) -> Option<&Source> {
        self.sources.get(key).filter(|s| s.value == self.value(key))
    }

    /// Takes the posted answers to one step's questions (`posted` finds a field's value by its
    /// key). Fields the post does not carry keep their answers (a question hidden by its
    /// condition keeps what was typed, should the condition hold again).
    pub fn take_posted(&mut self, questions: &[&Question], posted: impl Fn(&str) -> Option<String>) {
        for q in questions {
            match q.kind {
                QuestionKind::File => {}
                QuestionKind::Group => {
                    for index in 0..self.group_len(&q.id) {
                        for inner in &q.questions {
                            let key = entry_key(&q.id, index, &inner.id);
                            if let Some(value) = posted(&key) {
                                self.values.insert(key, value);
                            }
                        }
                    }
                }
                _ => {
                    if let Some(value) = posted(&q.id) {
                        self.values.insert(q.id.clone(), value);
                    }
                }
            }
        }
    }

    /// Removes entry `index` of a group, moving later entries up.
    pub fn remove_entry(&mut self, group: &Question, index: u16) {
        let len = self.group_len(&group.id);
        if index >= len {
            return;
        }
        for i in index..len {
            for q in &group.questions {
                let here = entry_key(&group.id, i, &q.id);
                let next = entry_key(&group.id, i + 1, &q.id);
                match self.values.remove(&next) {
                    Some(v) if i + 1 < len => {
                        self.values.insert(here.clone(), v);
                    }
                    _ => {
                        self.values.remove(&here);
                    }
                }
                match self.sources.remove(&next) {
                    Some(s) if i + 1 < len => {
                        self.sources.insert(here, s);
                    }
                    _ => {
                        self.sources.remove(&here);
                    }
                }
            }
        }
        self.groups.insert(group.id.clone(), len - 1);
    }

    /// Keeps only answers to questions `form` still asks (a draft carried to a new version of
    /// the item); returns the keys dropped.
    pub fn keep_only_questions_of(&mut self, form: &FormDefinition) -> Vec<String> {
        let known = |key: &str| -> bool {
            let mut parts = key.split('.');
            let first = parts.next().unwrap_or_default();
            let Some(q) = form.questions.iter().find(|q| q.id == first) else { return false };
            match (parts.next(), parts.next()) {
                (None, _) => q.kind != QuestionKind::Group,
                (Some(_), Some(inner)) => q.kind == QuestionKind::Group && q.questions.iter().any(|i| i.id == inner),
                _ => false,
            }
        };
        let dropped: Vec<String> = self.values.keys().filter(|k| !known(k)).cloned().collect();
        for key in &dropped {
            self.values.remove(key);
            self.sources.remove(key);
        }
        self.groups.retain(|g, _| form.questions.iter().any(|q| q.id == *g && q.kind == QuestionKind::Group));
        dropped
    }
}

/// The answer key (and field name) of a question inside a repeating group's entry.
pub fn entry_key(group: &str, index: u16, question: &str) -> String {
    format!("{group}.{index}.{question}")
}

/// The HTML id of a field: its key with dots made dashes, prefixed so it never collides.
pub fn field_id(key: &str) -> String {
    format!("q-{}", key.replace('.', "-"))
}

/// The status of an application, on the national vocabulary (domain reference §2d).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 外网申报未提交.
    Draft,
    /// 已提交，待预审.
    Submitted,
    /// 预审退回: the citizen edits and submits again.
    Returned,
    /// 待补正: the clock stops until the citizen answers.
    SupplementRequested,
    /// 已受理.
    Accepted,
    /// 不予受理.
    NotAccepted,
    /// 挂起: the clock stops.
    Suspended,
    /// 准予许可.
    Approved,
    /// 不予许可.
    Denied,
    /// 已办结.
    Completed,
    /// 已撤回.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 11] = [
        Status::Draft,
        Status::Submitted,
        Status::Returned,
        Status::SupplementRequested,
        Status::Accepted,
        Status::NotAccepted,
        Status::Suspended,
        Status::Approved,
        Status::Denied,
        Status::Completed,
        Status::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::SupplementRequested => "supplement_requested",
            Status::Accepted => "accepted",
            Status::NotAccepted => "not_accepted",
            Status::Suspended => "suspended",
            Status::Approved => "approved",
            Status::Denied => "denied",
            Status::Completed => "completed",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The applicant may still withdraw (before acceptance).
    pub fn can_withdraw(self) -> bool {
        matches!(self, Status::Submitted | Status::Returned | Status::SupplementRequested)
    }

    /// The applicant can change answers and files: a draft, or a case handed back to them.
    pub fn citizen_can_edit(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    /// The case is over (nothing more will happen to it). A decision, granted or not, is
    /// still to be delivered: the case closes at 办结.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::NotAccepted | Status::Completed | Status::Withdrawn)
    }

    /// The deadline clock is stopped while the citizen owes material or the case is suspended.
    pub fn clock_stopped(self) -> bool {
        matches!(self, Status::SupplementRequested | Status::Suspended | Status::Returned)
    }
}

/// One page of the application form.
#[derive(Debug, Clone, PartialEq)]
pub struct Step<'a> {
    pub kind: StepKind,
    pub questions: Vec<&'a Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The questions that are neither repeating groups nor files, in the form's order.
    Details,
    /// One repeating group (its label is the step's title).
    Group,
    /// Every file question: the materials to upload.
    Materials,
}

/// The task list a form definition becomes: the details first, each repeating group on its own
/// page, the uploads last. Short enough per page for a phone, in the order the form asks.
pub fn steps(form: &FormDefinition) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    let details: Vec<&Question> =
        form.questions.iter().filter(|q| !matches!(q.kind, QuestionKind::Group | QuestionKind::File)).collect();
    if !details.is_empty() {
        steps.push(Step { kind: StepKind::Details, questions: details });
    }
    for group in form.questions.iter().filter(|q| q.kind == QuestionKind::Group) {
        steps.push(Step { kind: StepKind::Group, questions: vec![group] });
    }
    let files: Vec<&Question> = form.questions.iter().filter(|q| q.kind == QuestionKind::File).collect();
    if !files.is_empty() {
        steps.push(Step { kind: StepKind::Materials, questions: files });
    }
    steps
}

/// The fields a step draws, as (answer key, question): each asked question of the details, or
/// each asked question of every entry of the group; none for the uploads.
pub fn step_fields<'a>(step: &Step<'a>, answers: &Answers) -> Vec<(String, &'a Question)> {
    match step.kind {
        StepKind::Details => {
            step.questions.iter().filter(|q| is_asked(q, answers, "")).map(|q| (q.id.clone(), *q)).collect()
        }
        StepKind::Group => step
            .questions
            .iter()
            .flat_map(|g| {
                (0..answers.group_len(&g.id)).flat_map(move |index| {
                    let prefix = format!("{}.{index}.", g.id);
                    g.questions
                        .iter()
                        .filter(move |q| is_asked(q, answers, &prefix))
                        .map(move |q| (entry_key(&g.id, index, &q.id), q))
                })
            })
            .collect(),
        StepKind::Materials => Vec::new(),
    }
}

/// Whether a question is asked, given the answers so far: its condition names an earlier
/// question at the top level or in the same group entry (`prefix` is `group.index.` there).
pub fn is_asked(question: &Question, answers: &Answers, prefix: &str) -> bool {
    match &question.visible_if {
        None => true,
        Some(condition) => {
            let own = format!("{prefix}{}", condition.question);
            let value = answers.values.get(&own).or_else(|| answers.values.get(&condition.question));
            value.is_some_and(|v| *v == condition.equals)
        }
    }
}

/// What the progress lookup shows someone not signed in: no names, no answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicProgress {
    pub number: String,
    pub status: Status,
    pub item: crate::site::Bilingual,
    pub submitted_at: Option<i64>,
    pub promised_due: Option<String>,
}

/// One material a 补正 notice asks for, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplementItem {
    /// The material's id in the item.
    pub material: String,
    pub reason: String,
}

/// The file questions (upload slots) that provide a material.
pub fn slots_for_material<'a>(form: &'a FormDefinition, material: &str) -> Vec<&'a str> {
    form.questions
        .iter()
        .filter(|q| q.kind == QuestionKind::File && q.material.as_deref() == Some(material))
        .map(|q| q.id.as_str())
        .collect()
}

/// 好差评 indicators for online services (domain reference §3): 整体满意度, 办事效率, 办事指南精确度,
/// 办事便捷度, 平台操作性.
pub const RATING_INDICATORS: [&str; 5] = ["overall", "efficiency", "guide_accuracy", "convenience", "usability"];

/// The weights and check characters of ISO 7064 MOD 11-2, as in the resident ID number.
const WEIGHTS: [u32; 14] = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1, 2, 4, 8, 5];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// An application number (办件编号): the submission day `YYYYMMDD`, a six-digit sequence of that
/// day and an ISO 7064 MOD 11-2 check character, so a mistyped number is caught before any
/// lookup. Fifteen characters, e.g. `20261203000042` + check.
pub fn application_number(day: &str, sequence: u32) -> String {
    let body = format!("{day}{sequence:06}");
    let check = check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}

fn check_character(body: &str) -> Option<char> {
    if body.len() != WEIGHTS.len() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body.bytes().zip(WEIGHTS.iter().rev()).map(|(b, w)| u32::from(b - b'0') * w).sum();
    Some(CHECK[(sum % 11) as usize])
}

/// Whether `input` (spaces ignored, `x` in either case) is a well-formed application number.
pub fn parse_application_number(input: &str) -> Option<String> {
    let cleaned: String = crate::identifiers::normalize(input).to_ascii_uppercase();
    if cleaned.len() != 15 || !cleaned.is_ascii() {
        return None;
    }
    let (body, check) = cleaned.split_at(14);
    (check_character(body)? == check.chars().next()?).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_numbers_carry_a_check_character_that_catches_slips() {
        let number = application_number("20261203", 42);
        assert_eq!(number.len(), 15);
        assert!(number.starts_with("20261203000042"));
        assert_eq!(parse_application_number(&number), Some(number.clone()));
        assert_eq!(parse_application_number(&format!(" {} ", number.to_lowercase())), Some(number.clone()));
        // Every single-digit slip and every swap of two different neighbours is caught.
        let bytes: Vec<char> = number.chars().collect();
        for i in 0..14 {
            for d in '0'..='9' {
                if d == bytes[i] {
                    continue;
                }
                let mut slipped = bytes.clone();
                slipped[i] = d;
                let slipped: String = slipped.into_iter().collect();
                assert_eq!(parse_application_number(&slipped), None, "{slipped}");
            }
            if i < 13 && bytes[i] != bytes[i + 1] {
                let mut swapped = bytes.clone();
                swapped.swap(i, i + 1);
                let swapped: String = swapped.into_iter().collect();
                assert_eq!(parse_application_number(&swapped), None, "{swapped}");
            }
        }
        assert_eq!(parse_application_number("2026120300004"), None);
        assert_eq!(parse_application_number("abc"), None);
    }

    fn group() -> Question {
        toml::from_str(
            r#"
            id = "members"
            kind = "group"
            label = { zh = "成员", en = "Members" }
            [[questions]]
            id = "name"
            kind = "text"
            label = { zh = "姓名", en = "Name" }
            "#,
        )
        .expect("group")
    }

    #[test]
    fn removing_an_entry_moves_later_entries_up_with_their_sources() {
        let g = group();
        let mut a = Answers::default();
        a.groups.insert("members".into(), 3);
        for (i, n) in ["甲", "乙", "丙"].iter().enumerate() {
            a.values.insert(entry_key("members", i as u16, "name"), (*n).into());
        }
        a.sources.insert(
            entry_key("members", 2, "name"),
            Source { resource: "RK-0001".into(), field: "name".into(), retrieved_at: 1, value: "丙".into() },
        );
        a.remove_entry(&g, 1);
        assert_eq!(a.group_len("members"), 2);
        assert_eq!(a.value("members.0.name"), "甲");
        assert_eq!(a.value("members.1.name"), "丙");
        assert!(a.source_of("members.1.name").is_some(), "the source moved with its answer");
        assert!(!a.values.contains_key("members.2.name"));
        a.remove_entry(&g, 5);
        assert_eq!(a.group_len("members"), 2, "an entry that is not there is not removed");
    }

    #[test]
    fn a_changed_answer_no_longer_counts_as_from_the_register() {
        let mut a = Answers::default();
        a.values.insert("name".into(), "张伟".into());
        a.sources.insert(
            "name".into(),
            Source { resource: "RK-0001".into(), field: "name".into(), retrieved_at: 1, value: "张伟".into() },
        );
        assert!(a.source_of("name").is_some());
        a.values.insert("name".into(), "张维".into());
        assert!(a.source_of("name").is_none());
    }
}
