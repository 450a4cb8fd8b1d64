//! Checks an item version before it is saved: the guide's rules (promised ≤ statutory limit, a
//! handled-at-once item promises no days, known department and categories) and the form
//! definition's (unique question ids, a file question bound to one of the item's materials,
//! conditions on earlier choices, prefill only from register fields granted to application
//! prefill). Each problem names where it is, so the editor can show it next to the field.

use super::model::{DayUnit, Handling, ItemContent, Question, QuestionKind, LIFE_EVENTS, TOPICS};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: a field name, or e.g. `form.questions[2].material`.
    pub path: String,
    /// What, as a message key.
    pub code: &'static str,
}

/// What a version is checked against: the departments that exist, and the register fields
/// (`RESOURCE.field`) granted to application prefill.
pub struct Rules<'a> {
    pub departments: &'a [String],
    pub prefill_fields: &'a [String],
}

pub fn validate(item: &ItemContent, rules: &Rules<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |path: &str, code: &'static str| problems.push(Problem { path: path.to_owned(), code });
    let code_ok =
        (5..=64).contains(&item.code.len()) && item.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !code_ok {
        problem("code", "item_code_invalid");
    }
    if item.name.zh.trim().is_empty() || item.name.en.trim().is_empty() || item.name.zh.chars().count() > 100 {
        problem("name", "item_name_invalid");
    }
    if !rules.departments.contains(&item.department) {
        problem("department", "department_unknown");
    }
    if item.topics.iter().any(|t| !TOPICS.contains(&t.as_str())) {
        problem("topics", "topic_unknown");
    }
    if item.life_events.iter().any(|t| !LIFE_EVENTS.contains(&t.as_str())) {
        problem("life_events", "life_event_unknown");
    }
    if item.summary.zh.trim().is_empty() || item.summary.en.trim().is_empty() {
        problem("summary", "required");
    }
    if item.conditions.is_empty() || item.conditions.iter().any(|c| c.trim().is_empty()) {
        problem("conditions", "required");
    }
    let (statutory, promised) = (item.statutory_limit, item.promised_limit);
    if statutory.unit != promised.unit {
        problem("promised_limit", "limit_units_differ");
    } else if promised.days > statutory.days {
        problem("promised_limit", "promised_exceeds_statutory");
    }
    match item.handling {
        Handling::Immediate if promised.days != 0 => problem("promised_limit", "immediate_promises_days"),
        Handling::Promised if promised.days == 0 => problem("promised_limit", "promised_needs_days"),
        _ => {}
    }
    if statutory.days == 0 && item.handling == Handling::Promised {
        problem("statutory_limit", "promised_needs_days");
    }
    let too_long = match statutory.unit {
        DayUnit::Natural => statutory.days > 366,
        DayUnit::Working => statutory.days > 260,
    };
    if too_long {
        problem("statutory_limit", "limit_too_long");
    }
    if !(1..=4).contains(&item.online_depth) {
        problem("online_depth", "online_depth_invalid");
    }
    if item.channels.is_empty() {
        problem("channels", "required");
    }
    if item.online_depth == 4 && !item.channels.contains(&super::model::Channel::Online) {
        problem("channels", "online_channel_missing");
    }
    for (field, empty) in [
        ("location", item.location.trim().is_empty()),
        ("hours", item.hours.trim().is_empty()),
        ("legal_basis", item.legal_basis.is_empty() || item.legal_basis.iter().any(|b| b.law.trim().is_empty())),
        ("process", item.process.is_empty()),
        ("result", item.result.name.trim().is_empty()),
        ("consultation_phone", item.consultation_phone.trim().is_empty()),
        ("complaint_phone", item.complaint_phone.trim().is_empty()),
        ("materials", item.materials.is_empty()),
    ] {
        if empty {
            problem(field, "required");
        }
    }
    let mut material_ids = HashSet::new();
    for (i, m) in item.materials.iter().enumerate() {
        if !is_identifier(&m.id) || !material_ids.insert(m.id.as_str()) {
            problem(&format!("materials[{i}].id"), "identifier_invalid_or_repeated");
        }
        if m.name.trim().is_empty() {
            problem(&format!("materials[{i}].name"), "required");
        }
    }
    check_form(item, &material_ids, rules, &mut problems);
    problems
}

fn is_identifier(id: &str) -> bool {
    (1..=40).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_form(item: &ItemContent, materials: &HashSet<&str>, rules: &Rules<'_>, problems: &mut Vec<Problem>) {
    let questions = &item.form.questions;
    if questions.is_empty() {
        problems.push(Problem { path: "form.questions".into(), code: "required" });
    }
    let mut ids = HashSet::new();
    for (i, q) in questions.iter().enumerate() {
        let path = format!("form.questions[{i}]");
        check_question(q, &path, materials, rules, &mut ids, problems, false);
        if let Some(cond) = &q.visible_if {
            // Only an earlier choice question, and one of its values.
            let target = questions[..i].iter().find(|e| e.id == cond.question);
            let ok = target
                .is_some_and(|t| t.kind == QuestionKind::Choice && t.options.iter().any(|o| o.value == cond.equals));
            if !ok {
                problems.push(Problem { path: format!("{path}.visible_if"), code: "condition_invalid" });
            }
        }
    }
}

fn check_question(
    q: &Question,
    path: &str,
    materials: &HashSet<&str>,
    rules: &Rules<'_>,
    ids: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
    nested: bool,
) {
    let mut problem = |field: &str, code: &'static str| {
        problems
            .push(Problem { path: if field.is_empty() { path.to_owned() } else { format!("{path}.{field}") }, code })
    };
    if !is_identifier(&q.id) || !ids.insert(q.id.clone()) {
        problem("id", "identifier_invalid_or_repeated");
    }
    if q.label.zh.trim().is_empty() || q.label.en.trim().is_empty() {
        problem("label", "required");
    }
    match (q.kind, &q.material) {
        (QuestionKind::File, None) => problem("material", "file_without_material"),
        (QuestionKind::File, Some(m)) if !materials.contains(m.as_str()) => problem("material", "material_unknown"),
        (QuestionKind::File, Some(_)) => {}
        (_, Some(_)) => problem("material", "material_on_non_file"),
        (_, None) => {}
    }
    if q.kind == QuestionKind::Choice {
        let values: HashSet<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
        if q.options.len() < 2 || values.len() != q.options.len() || values.iter().any(|v| v.is_empty()) {
            problem("options", "choice_options_invalid");
        }
    } else if !q.options.is_empty() {
        problem("options", "options_on_non_choice");
    }
    if let Some(field) = &q.prefill {
        if matches!(q.kind, QuestionKind::File | QuestionKind::Group) {
            problem("prefill", "prefill_not_allowed");
        } else if !rules.prefill_fields.contains(field) {
            problem("prefill", "prefill_not_granted");
        }
    }
    if let (Some(min), Some(max)) = (q.min, q.max) {
        if min > max {
            problem("max", "range_invalid");
        }
    }
    if q.max_length.is_some_and(|l| l == 0 || l > 2000) {
        problem("max_length", "range_invalid");
    }
    if nested && q.visible_if.is_some() {
        problem("visible_if", "condition_invalid");
    }
    if q.kind == QuestionKind::Group {
        let (min, max) = (q.min_items.unwrap_or(1), q.max_items.unwrap_or(20));
        if nested || q.questions.is_empty() {
            problem("questions", "group_invalid");
        }
        if min == 0 || min > max || max > 20 {
            problem("max_items", "range_invalid");
        }
        for (j, inner) in q.questions.iter().enumerate() {
            let inner_path = format!("{path}.questions[{j}]");
            if matches!(inner.kind, QuestionKind::Group | QuestionKind::File) {
                problems.push(Problem { path: inner_path.clone(), code: "group_invalid" });
            }
            check_question(inner, &inner_path, materials, rules, ids, problems, true);
        }
    } else if !q.questions.is_empty() {
        problem("questions", "group_invalid");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::TimeLimit;

    fn example() -> ItemContent {
        toml::from_str(include_str!("../../../server/demo/catalogue/newborn-household-registration.toml"))
            .expect("the example item parses")
    }

    fn rules() -> (Vec<String>, Vec<String>) {
        (
            vec!["public-security".to_owned()],
            ["RK-0001.name", "RK-0001.household_address"].iter().map(|s| s.to_string()).collect(),
        )
    }

    fn codes(item: &ItemContent) -> Vec<(String, &'static str)> {
        let (departments, prefill_fields) = rules();
        validate(item, &Rules { departments: &departments, prefill_fields: &prefill_fields })
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    #[test]
    fn the_example_item_is_valid() {
        assert_eq!(codes(&example()), vec![]);
    }

    #[test]
    fn a_promise_longer_than_the_law_allows_is_refused() {
        let mut item = example();
        item.promised_limit = TimeLimit { days: 21, unit: DayUnit::Working };
        assert_eq!(codes(&item), vec![("promised_limit".to_owned(), "promised_exceeds_statutory")]);
        item.promised_limit = TimeLimit { days: 5, unit: DayUnit::Natural };
        assert_eq!(codes(&item), vec![("promised_limit".to_owned(), "limit_units_differ")]);
        item.promised_limit = TimeLimit { days: 0, unit: DayUnit::Working };
        item.handling = Handling::Immediate;
        assert_eq!(codes(&item), vec![], "即办 promises no days");
        item.promised_limit = TimeLimit { days: 2, unit: DayUnit::Working };
        assert_eq!(codes(&item), vec![("promised_limit".to_owned(), "immediate_promises_days")]);
    }

    #[test]
    fn prefill_only_from_granted_register_fields() {
        let mut item = example();
        item.form.questions[0].prefill = Some("RK-0001.marital_status".into());
        assert_eq!(codes(&item), vec![("form.questions[0].prefill".to_owned(), "prefill_not_granted")]);
        item.form.questions[0].prefill = Some("FR-0001.name".into());
        assert_eq!(codes(&item), vec![("form.questions[0].prefill".to_owned(), "prefill_not_granted")]);
    }

    #[test]
    fn a_file_question_needs_one_of_the_items_materials() {
        let mut item = example();
        let last = item.form.questions.len() - 1;
        item.form.questions[last].material = None;
        assert_eq!(codes(&item), vec![(format!("form.questions[{last}].material"), "file_without_material")]);
        item.form.questions[last].material = Some("passport".into());
        assert_eq!(codes(&item), vec![(format!("form.questions[{last}].material"), "material_unknown")]);
        item.form.questions[0].material = Some("birth_certificate".into());
        item.form.questions[last].material = Some("birth_certificate".into());
        assert_eq!(codes(&item), vec![("form.questions[0].material".to_owned(), "material_on_non_file")]);
    }

    #[test]
    fn questions_have_unique_ids_and_conditions_on_earlier_choices() {
        let mut item = example();
        item.form.questions[3].id = item.form.questions[0].id.clone();
        assert_eq!(codes(&item), vec![("form.questions[3].id".to_owned(), "identifier_invalid_or_repeated")]);
        let mut item = example();
        let condition = item.form.questions[2].visible_if.clone().expect("the example has a condition");
        item.form.questions[0].visible_if = Some(condition.clone());
        assert_eq!(codes(&item), vec![("form.questions[0].visible_if".to_owned(), "condition_invalid")], "later");
        let mut item = example();
        item.form.questions[2].visible_if =
            Some(crate::catalogue::model::Condition { equals: "uncle".into(), ..condition });
        assert_eq!(codes(&item), vec![("form.questions[2].visible_if".to_owned(), "condition_invalid")], "value");
    }

    #[test]
    fn groups_repeat_simple_questions_only() {
        let mut item = example();
        let mut group = item.form.questions[3].clone();
        group.id = "children".into();
        group.kind = QuestionKind::Group;
        group.max_length = None;
        let mut inner = item.form.questions[4].clone();
        inner.id = "child_birth".into();
        group.questions = vec![inner.clone()];
        group.min_items = Some(1);
        group.max_items = Some(5);
        item.form.questions.push(group.clone());
        assert_eq!(codes(&item), vec![]);
        let mut nested_file = item.form.questions[item.form.questions.len() - 2].clone();
        nested_file.id = "scan_again".into();
        let at = item.form.questions.len() - 1;
        item.form.questions[at].questions.push(nested_file);
        assert_eq!(codes(&item), vec![(format!("form.questions[{at}].questions[1]"), "group_invalid")]);
    }
}
