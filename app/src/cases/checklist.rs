//! The review checklist (材料核验): for each material of a case the clerk records a verdict and
//! an optional note. A verdict belongs to the submission it was made on; files added for the
//! material by a later submission make it one to check again. The checklist also suggests which
//! materials the 补正 notice should list — the clerk still confirms the notice.

use crate::catalogue::model::{FormDefinition, Material, Necessity, Question, QuestionKind};
use serde::{Deserialize, Serialize};

/// The longest note on a verdict.
pub const MAX_NOTE: usize = 200;

/// What the clerk found, from the weakest positive finding to the negative one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// 已提交: the material is there.
    Present,
    /// 清晰可辨: and it can be read.
    Legible,
    /// 真实有效: and it is authentic and in force.
    Valid,
    /// 与申请内容不符: it does not match the application.
    Mismatch,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::Present, Verdict::Legible, Verdict::Valid, Verdict::Mismatch];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Present => "present",
            Verdict::Legible => "legible",
            Verdict::Valid => "valid",
            Verdict::Mismatch => "mismatch",
        }
    }

    pub fn from_code(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// A recorded verdict as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialCheck {
    pub material: String,
    pub verdict: Verdict,
    pub note: String,
    /// Who recorded it, and when.
    pub by: String,
    pub at: i64,
    /// Files for the material arrived with a later submission than the one checked.
    pub needs_review: bool,
}

/// The file questions (upload slots) that provide `material`, those inside groups included.
pub fn slots_of(form: &FormDefinition, material: &str) -> Vec<String> {
    fn walk(questions: &[Question], material: &str, out: &mut Vec<String>) {
        for q in questions {
            if q.kind == QuestionKind::File && q.material.as_deref() == Some(material) {
                out.push(q.id.clone());
            }
            walk(&q.questions, material, out);
        }
    }
    let mut slots = Vec::new();
    walk(&form.questions, material, &mut slots);
    slots
}

/// Whether a verdict made on submission `checked` must be made again, given the submissions
/// that added the material's current files.
pub fn needs_review_again(checked: i64, file_revisions: impl IntoIterator<Item = i64>) -> bool {
    file_revisions.into_iter().any(|added| added > checked)
}

/// Whether the 补正 form starts with `material` ticked: the clerk found it does not match the
/// application (and nothing new came since), or it is a required material the applicant uploads
/// that was not uploaded and not marked as handed in otherwise.
pub fn suggest_supplement(
    material: &Material,
    uploadable: bool,
    uploaded: bool,
    check: Option<&MaterialCheck>,
) -> bool {
    match check {
        Some(check) => check.verdict == Verdict::Mismatch && !check.needs_review,
        None => uploadable && !uploaded && material.necessity == Necessity::Required,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::{MaterialForm, MaterialSource};

    fn check(verdict: Verdict, needs_review: bool) -> MaterialCheck {
        MaterialCheck { material: "m".into(), verdict, note: String::new(), by: "窗口".into(), at: 0, needs_review }
    }

    fn material(necessity: Necessity) -> Material {
        Material {
            id: "m".into(),
            name: "材料".into(),
            form: MaterialForm::Original,
            originals: 1,
            copies: 0,
            necessity,
            source: MaterialSource::Applicant,
            source_note: String::new(),
            e_certificate: None,
            declaration_allowed: false,
            note: String::new(),
        }
    }

    #[test]
    fn verdict_codes_round_trip_and_nothing_else_parses() {
        for v in Verdict::ALL {
            assert_eq!(Verdict::from_code(v.code()), Some(v));
        }
        for bad in ["", "Present", "missing", "valid "] {
            assert_eq!(Verdict::from_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_files_of_a_later_submission_reopen_a_verdict() {
        assert!(!needs_review_again(2, [1, 2]));
        assert!(needs_review_again(2, [1, 3]));
        assert!(!needs_review_again(1, []));
    }

    #[test]
    fn the_supplement_suggestion_follows_the_checklist() {
        let required = material(Necessity::Required);
        assert!(suggest_supplement(&required, true, true, Some(&check(Verdict::Mismatch, false))));
        assert!(!suggest_supplement(&required, true, true, Some(&check(Verdict::Mismatch, true))), "new files came");
        assert!(!suggest_supplement(&required, true, false, Some(&check(Verdict::Present, false))), "handed in");
        assert!(!suggest_supplement(&required, true, true, Some(&check(Verdict::Legible, false))));
        assert!(suggest_supplement(&required, true, false, None), "required and not uploaded");
        assert!(!suggest_supplement(&required, true, true, None));
        assert!(!suggest_supplement(&required, false, false, None), "not something the applicant uploads");
        assert!(!suggest_supplement(&material(Necessity::Optional), true, false, None));
    }
}
