//! The window console's own message table (zh-CN first, then English; a missing translation
//! does not compile), and the lookups from codes to its texts.

use super::checklist::Verdict;
use crate::applications::lifecycle::Action;

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    // The queue
    queue_title: "办件受理", "Case queue";
    queue_lead: "本部门收到的网上申请，最紧急的排在前面。认领后办理，办理决定会立即通知申请人。", "Applications to your department, the most urgent first. Claim a case to work on it; the applicant is told of every decision at once.";
    queue_lead_city: "全市收到的网上申请，最紧急的排在前面。", "Applications across the city, the most urgent first.";
    counts_title: "各状态办件数", "Cases by status";
    counts_none: "还没有收到申请。", "No applications yet.";
    filter_title: "筛选办件", "Filter cases";
    filter_status: "状态", "Status";
    filter_status_open: "全部在办", "All open cases";
    filter_service: "事项", "Service";
    filter_service_all: "全部事项", "All services";
    filter_due: "期限", "Deadline";
    filter_due_all: "不限", "Any";
    filter_due_soon: "已用承诺时限的 80% 或已超期", "80 % of the promised time used, or overdue";
    filter_due_overdue: "已超期", "Overdue";
    filter_mine: "只看我认领的", "Only cases I hold";
    filter_apply: "筛选", "Filter";
    col_number: "办件编号", "Number";
    col_service: "事项", "Service";
    col_applicant: "申请人", "Applicant";
    col_status: "状态", "Status";
    col_submitted: "提交时间", "Submitted";
    col_due: "承诺期限", "Promised by";
    col_holder: "认领人", "Held by";
    unclaimed: "未认领", "Not claimed";
    due_overdue: "已超期", "Overdue";
    due_soon: "即将到期", "Due soon";
    queue_empty: "没有符合条件的办件。", "No cases match.";

    // One case
    back_to_queue: "返回办件列表", "Back to the case queue";
    case_not_found: "没有找到该办件，或该办件不在您的办理范围内。", "There is no such case in your scope.";
    applicant: "申请人", "Applicant";
    applicant_id: "身份证号", "ID number";
    reveal_id: "显示完整号码（将记录在审计日志中）", "Show the full numbers (recorded in the audit log)";
    hide_id: "隐藏完整号码", "Hide the full numbers";
    review_due: "预审期限", "Pre-review by";
    review_due_hint: "须在此前一次性告知全部补正内容，逾期未告知即视为受理。", "Everything missing must be asked for in one notice before this day; silence counts as acceptance.";
    paused: "计时暂停累计", "Clock stopped in total";
    paused_value: "{} 天", "{} days";
    time_used: "承诺时限已用", "Promised time used";
    time_used_value: "{} / {} 个工作日", "{} of {} working days";
    time_paused: "暂停计时的工作日", "Working days paused";
    time_paused_value: "{} 个工作日（不计入时限）", "{} working days (not counted)";
    time_due_moved: "顺延后的承诺期限", "Promised by, moved by the pauses";
    prereviewed: "预审通过时间", "Pre-review passed";
    holder: "认领人", "Held by";
    claim: "认领办件", "Claim this case";
    release: "放弃认领", "Release this case";
    held_by_you: "您", "you";
    changes_title: "重新提交后的改动", "Changed since the previous submission";
    changes_lead: "与第 {} 次提交相比：", "Compared with submission {}:";
    changes_none: "申请内容没有改动。", "No answers changed.";
    change_before: "原来", "Before";
    change_after: "现在", "Now";
    change_question: "问题", "Question";
    files_added: "新上传的材料", "Materials added";
    answers_title: "申请内容", "Answers";
    materials_title: "申请材料", "Materials";
    material_missing: "未上传", "Not uploaded";
    download: "下载 {}", "Download {}";
    decisions_title: "办理决定", "Decision";
    decisions_none: "该办件当前状态下没有可作出的办理决定。", "There is no decision to take in this status.";
    decisions_claim_first: "该办件已由 {} 认领，只有认领人可以办理。", "{} holds this case; only they can decide it.";
    action_pass_prereview: "预审通过", "Pass pre-review";
    action_accept: "受理", "Accept";
    action_request_supplement: "一次性告知补正", "Ask for what is missing (补正)";
    action_return: "预审退回", "Return to the applicant";
    action_not_accept: "不予受理", "Do not accept";
    action_suspend: "挂起", "Suspend";
    action_resume: "恢复办理", "Resume";
    action_approve: "准予许可", "Approve";
    action_deny: "不予许可", "Deny";
    action_complete: "办结", "Complete";
    lead_pass_prereview: "网上材料齐全、符合要求；申请人会收到通知。", "The online materials are complete and in order; the applicant is told.";
    lead_accept: "受理后开始计算承诺办结时限，申请人会收到受理通知。", "Acceptance starts the promised time; the applicant receives the notice of acceptance.";
    lead_request_supplement: "勾选需要补正的每一项材料并写明原因，申请人会收到一份完整的告知；计时暂停到申请人补正为止。", "Tick every material needed and say why: the applicant receives one complete notice, and the clock stops until they answer.";
    lead_return: "退回申请人修改后重新提交，计时暂停。", "The applicant changes the application and submits it again; the clock stops.";
    lead_not_accept: "写明不予受理的理由和申请人的救济途径，两项都必须填写。", "Give the reason and the applicant's appeal rights; both are required.";
    lead_suspend: "特别程序等情形挂起办件，计时暂停。", "Suspend for a special procedure or the like; the clock stops.";
    lead_resume: "结束挂起，继续计时。", "End the suspension; the clock runs again.";
    lead_approve: "作出准予许可的决定。", "Grant the application.";
    lead_deny: "写明不予许可的理由。", "Refuse the application, with the reason.";
    lead_complete: "结果已送达，办结后申请人可以评价。", "The result is issued; after completion the applicant can rate the service.";
    reason: "理由（申请人可见）", "Reason (shown to the applicant)";
    note_optional: "说明（可选，申请人可见）", "Note (optional, shown to the applicant)";
    appeal: "救济途径（申请人可见）", "Appeal rights (shown to the applicant)";
    appeal_default: "如对本决定不服，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。", "If you disagree with this decision you may apply for administrative reconsideration within sixty days of receiving this notice, or bring an administrative lawsuit within six months.";
    supplement_items: "需要补正的材料", "Materials to ask for";
    supplement_item_reason: "{}：需要补正的原因", "{}: why it is needed";
    notes_title: "内部备注", "Internal notes";
    notes_lead: "只有工作人员可见，申请人看不到。", "Seen by staff only, never by the applicant.";
    note_body: "备注", "Note";
    note_add: "添加备注", "Add the note";
    notes_none: "暂无备注。", "No notes yet.";

    // The review checklist (材料核验)
    checks_lead: "逐项核验申请材料并记录核验结论；核验说明仅工作人员可见。", "Check each material and record your verdict; notes are seen by staff only.";
    checks_read_only: "核验结论由认领该办件的工作人员或主管记录。", "The holder of the case or a supervisor records the verdicts.";
    check_verdict: "{}：核验结论", "{}: verdict";
    check_note: "{}：核验说明（选填，最多 200 字）", "{}: note (optional, at most 200 characters)";
    verdict_none: "未核验", "Not checked yet";
    verdict_present: "已提交", "Submitted";
    verdict_legible: "清晰可辨", "Legible";
    verdict_valid: "真实有效", "Authentic and valid";
    verdict_mismatch: "与申请内容不符", "Does not match the application";
    check_recorded: "{} 于 {} 记录", "recorded by {} at {}";
    check_needs_review: "材料已重新提交，需重新核验", "Resubmitted since: check again";
    checks_save: "保存核验结论", "Save the verdicts";
    supplement_suggested: "已按核验结论预先勾选与申请内容不符或未提交的材料，请逐项确认后再发出告知。", "Materials that do not match or were not submitted are ticked from the checklist; confirm each before sending the notice.";
    done_checks: "核验结论已保存。", "The verdicts were saved.";
    error_verdict_unknown: "请从列出的核验结论中选择", "Choose one of the listed verdicts";
    error_verdict_required: "填写核验说明时请同时选择核验结论", "Choose a verdict to go with the note";
    error_note_too_long: "核验说明过长，最多 200 字", "The note is too long: at most 200 characters";
    form_checks_not_allowed: "只有认领该办件的工作人员或主管可以记录核验结论，办件办结后不再记录。", "Only the holder of the case or a supervisor records verdicts, and not once the case is closed.";
    form_checks_conflict: "申请人刚刚重新提交了材料，或该办件已由其他工作人员认领，核验结论没有保存。请查看下面的最新情况。", "The applicant has just resubmitted, or someone else now holds the case; the verdicts were not saved. The current state is shown below.";

    // Assignment by a supervisor (指派)
    assign_title: "指派办理", "Assign the case";
    assign_lead: "将办件指派或改派给本部门的窗口工作人员，对方会在“指派给我的”办件中看到。", "Give the case to a window clerk of its department; they find it among the cases assigned to them.";
    assignee: "指派给", "Assign to";
    assignee_choose: "请选择工作人员", "Choose a clerk";
    assign_submit: "指派", "Assign";
    assign_none: "本部门暂无可指派的窗口工作人员。", "The department has no window clerk to assign.";
    assigned_by: "指派人", "Assigned by";
    assigned_tag: "主管指派", "assigned";
    filter_assigned: "只看指派给我的", "Only cases assigned to me";
    assigned_to_me: "指派给我的办件", "Cases assigned to me";
    timeline_assigned: "{} 将办件指派给 {}", "{} assigned the case to {}";
    timeline_internal: "仅工作人员可见", "Staff only";
    done_assigned: "办件已指派。", "The case was assigned.";
    error_assignee_required: "请选择要指派的工作人员", "Choose the clerk to assign";
    error_assignee_unknown: "只能指派给本部门的窗口工作人员", "Choose a window clerk of the case's department";
    form_assign_taken: "该办件已由 {} 处理，本次指派没有生效。请查看下面的最新情况后再决定。", "{} has this case now; the assignment was not made. Look at its current state below before deciding.";
    form_assign_supervisors_only: "只有主管可以指派办件。", "Only a supervisor assigns cases.";

    // Outcomes
    done_decided: "已作出办理决定：{}。申请人已收到通知。", "Decision recorded: {}. The applicant has been told.";
    done_claimed: "您已认领该办件。", "You hold this case now.";
    done_released: "您已放弃认领该办件。", "You no longer hold this case.";
    done_note: "备注已添加。", "The note was added.";
    error_reason_required: "请填写理由", "Enter the reason";
    error_appeal_required: "请填写救济途径", "Enter the appeal rights";
    error_items_required: "请至少勾选一项需要补正的材料", "Tick at least one material to ask for";
    error_item_reason_required: "请写明这项材料需要补正的原因", "Say why this material is needed";
    error_too_long: "内容过长，最多 1000 字", "Too long: at most 1,000 characters";
    error_note_required: "请填写备注", "Enter the note";
    form_not_allowed: "该办件的状态已经变化，这项决定不能再作出。请查看下面的最新状态。", "The case has moved on and this decision is no longer possible. Its current state is shown below.";
    form_conflict: "其他工作人员刚刚处理或认领了该办件，请查看下面的最新状态。", "Someone else has just decided or claimed this case. Its current state is shown below.";
    form_held: "该办件已由其他工作人员认领。", "Someone else holds this case.";
    form_generic: "操作没有完成，请稍后再试。", "That did not work; please try again later.";

    // Window intake (一窗受理)
    intake_title: "窗口受理登记", "Register a walk-in application";
    intake_lead: "为到大厅办事的申请人登记申请：先核验身份，再录入申请内容并上传扫描的材料。提交后办件进入本部门的队列，按同样的流程办理；申请人登录后可在“我的办件”中查看。", "Register an application for someone at the hall: identify them first, then enter the application and upload the scanned materials. Once submitted it joins your department's queue and follows the same workflow; the applicant sees it under “My applications” after signing in.";
    intake_identify_title: "核验申请人身份", "Identify the applicant";
    intake_service: "办理事项", "Service";
    intake_choose: "请选择", "Choose";
    intake_name: "申请人姓名", "Applicant's name";
    intake_id_number: "公民身份号码", "Resident ID number";
    intake_id_hint: "请核对申请人出示的身份证原件，系统将通过人口库核验姓名与号码是否一致。", "Check the ID card the applicant shows; name and number are checked against the population register.";
    intake_email: "电子邮箱（选填，用于接收办理通知）", "Email (optional, for notices about the application)";
    intake_phone: "手机号码（选填）", "Mobile number (optional)";
    intake_start: "核验并开始登记", "Check and start";
    intake_open_title: "尚未提交的窗口登记", "Walk-in applications not yet submitted";
    intake_open_none: "没有尚未提交的登记。", "There are none.";
    intake_col_registered: "登记时间", "Registered";
    intake_applicant: "申请人：{0}，身份证号 {1}", "Applicant: {0}, ID number {1}";
    intake_answers_title: "申请内容", "Application details";
    intake_materials_title: "扫描上传材料", "Scanned materials";
    intake_declaration: "申请人已当面核对以上内容并签字确认", "The applicant has checked the above in person and signed";
    intake_save: "保存", "Save";
    intake_submit: "提交，进入办件队列", "Submit to the case queue";
    intake_saved: "已保存。", "Saved.";
    intake_done: "窗口登记的申请已提交，已进入办件队列。", "The walk-in application is submitted and in the queue.";
    intake_registered: "身份核验通过，请录入申请内容。", "Identity checked; enter the application.";
    intake_error_service: "请选择办理事项", "Choose the service";
    intake_error_name: "请填写申请人姓名", "Enter the applicant's name";
    intake_error_mismatch: "姓名与身份证号码不一致（人口库核验未通过），请核对证件", "Name and ID number do not match the population register; check the ID card";
    intake_error_not_found: "人口库中没有这个身份证号码，请核对证件", "The population register has no such ID number; check the ID card";
    intake_error_email: "请输入有效的电子邮箱地址", "Enter a valid email address";
    intake_error_phone: "请输入 11 位手机号码", "Enter an 11-digit mobile number";
    intake_error_unavailable: "人口库暂时无法核验身份，请稍后再试。", "The population register cannot check identities just now; try again shortly.";
    audit_title: "办件审计日志", "Case audit log";
    audit_lead: "每一次查看办件、下载材料、查看完整身份证号和作出办理决定的记录：谁、什么角色、哪个部门、何时、做了什么、结果如何。记录只增不改，并以哈希链相连。", "Every view of a case, material download, full ID number shown and decision: who, in which role and department, when, what and with what outcome. Rows are only ever added, and chained by hash.";
    audit_filter_title: "查找记录", "Find entries";
    audit_from: "开始日期", "From";
    audit_until: "结束日期（含当天）", "Until (inclusive)";
    audit_date_hint: "格式：2026-12-03", "Format: 2026-12-03";
    audit_department: "部门", "Department";
    audit_department_all: "全部部门", "All departments";
    audit_action: "操作", "Action";
    audit_action_all: "全部操作", "All actions";
    audit_number: "办件编号", "Application number";
    audit_staff: "工作人员（用户名或姓名）", "Staff member (username or name)";
    audit_search: "查找", "Search";
    audit_export: "导出这些记录（JSON）", "Export these entries (JSON)";
    audit_caption: "审计记录", "Audit entries";
    audit_none: "这段时间内没有符合条件的记录。", "No entries match in this period.";
    audit_col_at: "时间", "When";
    audit_col_staff: "工作人员", "Staff member";
    audit_col_department: "部门", "Department";
    audit_col_action: "操作", "Action";
    audit_col_number: "办件", "Application";
    audit_col_outcome: "结果", "Outcome";
    audit_col_detail: "详情", "Detail";
    audit_previous: "上一页", "Previous page";
    audit_next: "下一页", "Next page";
    audit_page: "第 {0} 页", "Page {0}";
    audit_error_date: "请按 2026-12-03 的格式填写日期", "Enter the date as 2026-12-03";
    audit_error_period: "结束日期不能早于开始日期", "The end date cannot be before the start date";
    audit_action_view: "查看办件", "Viewed the case";
    audit_action_reveal: "查看完整身份证号", "Showed the full ID number";
    audit_action_claim: "认领", "Claimed";
    audit_action_release: "放弃认领", "Released";
    audit_action_decide: "办理决定", "Decision";
    audit_action_check_material: "材料核验", "Material checked";
    audit_action_assign: "指派", "Assigned";
    audit_action_download: "下载材料", "Downloaded a material";
    audit_action_thumbnail: "查看材料预览", "Viewed a material's preview";
    audit_action_intake: "窗口登记", "Walk-in application registered";
    audit_action_intake_submit: "窗口登记提交", "Walk-in application submitted";
    audit_action_intake_download: "下载扫描件", "Downloaded a scan";
    audit_action_intake_thumbnail: "查看扫描件预览", "Viewed a scan's preview";
    audit_outcome_ok: "成功", "Done";
    audit_outcome_refused: "未成功", "Not done";
    intake_error_incomplete: "申请内容还不完整，请按提示补全后再提交。", "The application is not complete yet; fill in what is marked and submit again.";
}

pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

impl Text {
    pub fn action_label(&self, action: Action) -> &'static str {
        match action {
            Action::PassPrereview => self.action_pass_prereview,
            Action::Accept | Action::DeemAccepted => self.action_accept,
            Action::RequestSupplement => self.action_request_supplement,
            Action::Return => self.action_return,
            Action::NotAccept => self.action_not_accept,
            Action::Suspend => self.action_suspend,
            Action::Resume => self.action_resume,
            Action::Approve => self.action_approve,
            Action::Deny => self.action_deny,
            Action::Complete => self.action_complete,
            Action::Submit | Action::Resubmit | Action::AnswerSupplement | Action::Withdraw => "",
        }
    }

    pub fn action_lead(&self, action: Action) -> &'static str {
        match action {
            Action::PassPrereview => self.lead_pass_prereview,
            Action::Accept | Action::DeemAccepted => self.lead_accept,
            Action::RequestSupplement => self.lead_request_supplement,
            Action::Return => self.lead_return,
            Action::NotAccept => self.lead_not_accept,
            Action::Suspend => self.lead_suspend,
            Action::Resume => self.lead_resume,
            Action::Approve => self.lead_approve,
            Action::Deny => self.lead_deny,
            Action::Complete => self.lead_complete,
            Action::Submit | Action::Resubmit | Action::AnswerSupplement | Action::Withdraw => "",
        }
    }

    pub fn verdict_label(&self, verdict: Verdict) -> &'static str {
        match verdict {
            Verdict::Present => self.verdict_present,
            Verdict::Legible => self.verdict_legible,
            Verdict::Valid => self.verdict_valid,
            Verdict::Mismatch => self.verdict_mismatch,
        }
    }

    /// A field problem of a console form.
    pub fn field_error_text(&self, code: &str) -> &'static str {
        match code {
            "appeal_required" => self.error_appeal_required,
            "items_required" => self.error_items_required,
            "item_reason_required" => self.error_item_reason_required,
            "too_long" => self.error_too_long,
            "note_required" => self.error_note_required,
            "verdict_unknown" => self.error_verdict_unknown,
            "verdict_required" => self.error_verdict_required,
            "note_too_long" => self.error_note_too_long,
            "assignee_required" => self.error_assignee_required,
            "assignee_unknown" => self.error_assignee_unknown,
            crate::error::FieldError::CONTROL_CHARACTERS => crate::i18n::use_messages().field_error_control_characters,
            _ => self.error_reason_required,
        }
    }

    /// The case audit's actions, for the filter and the table (unknown ones shown as stored).
    pub fn audit_actions(&self) -> [(&'static str, &'static str); 13] {
        [
            ("view", self.audit_action_view),
            ("reveal", self.audit_action_reveal),
            ("claim", self.audit_action_claim),
            ("release", self.audit_action_release),
            ("decide", self.audit_action_decide),
            ("check_material", self.audit_action_check_material),
            ("assign", self.audit_action_assign),
            ("download", self.audit_action_download),
            ("thumbnail", self.audit_action_thumbnail),
            ("intake", self.audit_action_intake),
            ("intake_submit", self.audit_action_intake_submit),
            ("intake_download", self.audit_action_intake_download),
            ("intake_thumbnail", self.audit_action_intake_thumbnail),
        ]
    }

    /// A field problem of the intake's identification form (answers use the applications' texts).
    pub fn intake_error_text(&self, code: &str) -> &'static str {
        match code {
            "service_required" => self.intake_error_service,
            "name_required" => self.intake_error_name,
            "identity_mismatch" => self.intake_error_mismatch,
            "identity_not_found" => self.intake_error_not_found,
            "email_invalid" => self.intake_error_email,
            "phone_invalid" => self.intake_error_phone,
            code => crate::applications::text::use_text().field_error_text(code),
        }
    }

    /// A whole-form problem of a console form.
    pub fn form_error_text(&self, code: &str) -> &'static str {
        match code {
            "not_allowed" => self.form_not_allowed,
            "conflict" => self.form_conflict,
            "held" => self.form_held,
            "checks_not_allowed" => self.form_checks_not_allowed,
            "checks_conflict" => self.form_checks_conflict,
            "assign_supervisors_only" => self.form_assign_supervisors_only,
            "identity_unavailable" => self.intake_error_unavailable,
            "intake_incomplete" => self.intake_error_incomplete,
            _ => self.form_generic,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_is_translated() {
        crate::i18n::check_table(super::ZH_CN.entries(), super::EN.entries());
    }
}
