//! The answer rules, in both builds: the browser checks a field as it is typed and the server
//! checks the same way before anything is saved as valid or submitted.

use super::model::{entry_key, is_asked, Answers, Step, StepKind};
use crate::catalogue::model::{FormDefinition, Question, QuestionKind};
use crate::error::FieldError;

/// The longest text any answer may hold when its question sets no limit.
pub const DEFAULT_MAX_LENGTH: usize = 200;

/// The problem with one answer, as a message code (`None`: fine). Empty answers are only a
/// problem for required questions.
pub fn check_answer(question: &Question, value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.is_empty() {
        return question.required.then_some("required");
    }
    let max = question.max_length.map_or(DEFAULT_MAX_LENGTH, |m| m as usize);
    if value.chars().count() > max {
        return Some("too_long");
    }
    match question.kind {
        QuestionKind::Text | QuestionKind::Address => None,
        QuestionKind::Number => match value.parse::<f64>() {
            Ok(n) if !n.is_finite() => Some("number_invalid"),
            Ok(n) if question.min.is_some_and(|min| n < min) => Some("number_too_small"),
            Ok(n) if question.max.is_some_and(|max| n > max) => Some("number_too_large"),
            Ok(_) => None,
            Err(_) => Some("number_invalid"),
        },
        QuestionKind::Date => (!is_date(value)).then_some("date_invalid"),
        QuestionKind::Choice => (!question.options.iter().any(|o| o.value == value)).then_some("choice_invalid"),
        QuestionKind::IdNumber => crate::identifiers::ResidentId::parse(value).err().map(|e| e.code()),
        QuestionKind::Phone => phone_problem(value),
        // Groups and files are checked by count, not by a typed value.
        QuestionKind::Group | QuestionKind::File => None,
    }
}

/// Address answers are looked up in the spatial register once this much is typed: one
/// character matches half the city.
pub const ADDRESS_LOOKUP_MIN_CHARS: usize = 2;

/// Whether what is typed in an address field is enough to look up (the browser asks as the
/// citizen types, the server answers nothing for less).
pub fn address_lookup_wanted(typed: &str) -> bool {
    typed.trim().chars().count() >= ADDRESS_LOOKUP_MIN_CHARS
}

/// A mainland mobile number (11 digits from 1) or a landline with its area code (0 and 9–11
/// digits, a dash allowed after the area code).
fn phone_problem(value: &str) -> Option<&'static str> {
    let digits: String = crate::identifiers::normalize(value).chars().filter(|c| *c != '-' && *c != ' ').collect();
    let all_digits = digits.chars().all(|c| c.is_ascii_digit());
    let mobile = digits.len() == 11 && digits.starts_with('1');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    (!(all_digits && (mobile || landline))).then_some("phone_invalid")
}

/// `YYYY-MM-DD`, a real calendar day between 1900 and 2100.
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else { return false };
    if y.to_string().len() != 4 || !(1900..=2100).contains(&y) || !(1..=12).contains(&m) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

/// Every problem on one step. `files_in` counts the files attached to a file question.
pub fn check_step(step: &Step<'_>, answers: &Answers, files_in: &dyn Fn(&str) -> usize) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for question in &step.questions {
        if !is_asked(question, answers, "") {
            continue;
        }
        match (step.kind, question.kind) {
            (_, QuestionKind::Group) => check_group(question, answers, &mut errors),
            (_, QuestionKind::File) => {
                if question.required && files_in(&question.id) == 0 {
                    errors.push(FieldError::new(&question.id, "file_required"));
                }
            }
            (StepKind::Details | StepKind::Group | StepKind::Materials, _) => {
                if let Some(code) = check_answer(question, answers.value(&question.id)) {
                    errors.push(FieldError::new(&question.id, code));
                }
            }
        }
    }
    errors
}

fn check_group(group: &Question, answers: &Answers, errors: &mut Vec<FieldError>) {
    let len = answers.group_len(&group.id);
    let min = group.min_items.unwrap_or(u16::from(group.required));
    if len < min {
        errors.push(FieldError::new(&group.id, "group_too_few"));
    }
    if group.max_items.is_some_and(|max| len > max) {
        errors.push(FieldError::new(&group.id, "group_too_many"));
    }
    for index in 0..len {
        let prefix = format!("{}.{index}.", group.id);
        for q in &group.questions {
            if !is_asked(q, answers, &prefix) {
                continue;
            }
            let key = entry_key(&group.id, index, &q.id);
            if let Some(code) = check_answer(q, answers.value(&key)) {
                errors.push(FieldError::new(&key, code));
            }
        }
    }
}

/// The problems of the whole form, with the step (counted from 1) each is on: what "check your
/// answers" lists and what submission refuses.
pub fn check_form(
    form: &FormDefinition,
    answers: &Answers,
    files_in: &dyn Fn(&str) -> usize,
) -> Vec<(usize, FieldError)> {
    super::model::steps(form)
        .iter()
        .enumerate()
        .flat_map(|(i, step)| check_step(step, answers, files_in).into_iter().map(move |e| (i + 1, e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::FormDefinition;

    fn form() -> FormDefinition {
        toml::from_str(
            r#"
            [[questions]]
            id = "name"
            kind = "text"
            label = { zh = "姓名", en = "Name" }
            required = true
            max_length = 4

            [[questions]]
            id = "id"
            kind = "id_number"
            label = { zh = "身份号码", en = "ID" }
            required = true

            [[questions]]
            id = "reason"
            kind = "choice"
            label = { zh = "原因", en = "Reason" }
            required = true
            options = [{ value = "a", label = { zh = "甲", en = "A" } }, { value = "other", label = { zh = "其他", en = "Other" } }]

            [[questions]]
            id = "reason_text"
            kind = "text"
            label = { zh = "说明", en = "Explain" }
            required = true
            visible_if = { question = "reason", equals = "other" }

            [[questions]]
            id = "income"
            kind = "number"
            label = { zh = "收入", en = "Income" }
            min = 0
            max = 100

            [[questions]]
            id = "born"
            kind = "date"
            label = { zh = "出生日期", en = "Born" }

            [[questions]]
            id = "phone"
            kind = "phone"
            label = { zh = "电话", en = "Phone" }

            [[questions]]
            id = "members"
            kind = "group"
            label = { zh = "成员", en = "Members" }
            required = true
            min_items = 1
            max_items = 2
            [[questions.questions]]
            id = "member_name"
            kind = "text"
            label = { zh = "姓名", en = "Name" }
            required = true

            [[questions]]
            id = "scan"
            kind = "file"
            label = { zh = "扫描件", en = "Scan" }
            required = true
            material = "m1"
            "#,
        )
        .expect("form")
    }

    fn answers(pairs: &[(&str, &str)]) -> Answers {
        let mut a = Answers::default();
        for (k, v) in pairs {
            a.values.insert((*k).into(), (*v).into());
        }
        a
    }

    #[test]
    fn the_form_becomes_details_then_each_group_then_materials() {
        let form = form();
        let steps = crate::applications::model::steps(&form);
        let kinds: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [StepKind::Details, StepKind::Group, StepKind::Materials]);
        assert_eq!(steps[0].questions.len(), 7);
        assert_eq!(steps[1].questions[0].id, "members");
        assert_eq!(steps[2].questions[0].id, "scan");
    }

    #[test]
    fn each_kind_of_answer_is_checked_by_its_rule() {
        let form = form();
        let q = |id: &str| form.questions.iter().find(|q| q.id == id).expect("question");
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("name", "", Some("required")),
            ("name", "  ", Some("required")),
            ("name", "张三丰", None),
            ("name", "欧阳娜娜娜", Some("too_long")),
            ("id", "110101199003078515", None),
            ("id", "110101199003078516", Some("id_checksum")),
            ("id", "12345", Some("id_length")),
            ("reason", "a", None),
            ("reason", "b", Some("choice_invalid")),
            ("income", "", None),
            ("income", "0", None),
            ("income", "99.5", None),
            ("income", "-1", Some("number_too_small")),
            ("income", "101", Some("number_too_large")),
            ("income", "十", Some("number_invalid")),
            ("income", "NaN", Some("number_invalid")),
            ("income", "inf", Some("number_invalid")),
            ("born", "2024-02-29", None),
            ("born", "2023-02-29", Some("date_invalid")),
            ("born", "2024-13-01", Some("date_invalid")),
            ("born", "24-01-01", Some("date_invalid")),
            ("phone", "13912345678", None),
            ("phone", "139 1234 5678", None),
            ("phone", "0931-8888888", None),
            ("phone", "12345", Some("phone_invalid")),
            ("phone", "1391234567a", Some("phone_invalid")),
        ];
        for (id, value, expected) in cases {
            assert_eq!(check_answer(q(id), value), *expected, "{id} = {value:?}");
        }
    }

    #[test]
    fn conditions_groups_and_files_are_checked_on_their_steps() {
        let form = form();
        let steps = crate::applications::model::steps(&form);
        let none = |_: &str| 0;
        let mut a = answers(&[("name", "张三"), ("id", "110101199003078515"), ("reason", "a")]);
        assert!(check_step(&steps[0], &a, &none).is_empty(), "a hidden question is not required");
        a.values.insert("reason".into(), "other".into());
        let errors = check_step(&steps[0], &a, &none);
        assert_eq!(errors, vec![FieldError::new("reason_text", "required")], "shown once its condition holds");

        let errors = check_step(&steps[1], &a, &none);
        assert_eq!(errors, vec![FieldError::new("members", "group_too_few")]);
        a.groups.insert("members".into(), 3);
        a.values.insert("members.0.member_name".into(), "甲".into());
        let errors = check_step(&steps[1], &a, &none);
        assert!(errors.contains(&FieldError::new("members", "group_too_many")));
        assert!(errors.contains(&FieldError::new("members.1.member_name", "required")));
        assert!(!errors.iter().any(|e| e.field == "members.0.member_name"));

        assert_eq!(check_step(&steps[2], &a, &none), vec![FieldError::new("scan", "file_required")]);
        assert!(check_step(&steps[2], &a, &|slot| usize::from(slot == "scan")).is_empty());

        let all = check_form(&form, &a, &none);
        let on: Vec<usize> = all.iter().map(|(step, _)| *step).collect();
        assert_eq!(on, [1, 2, 2, 2, 3]);
    }
}
