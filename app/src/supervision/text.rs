//! Supervision's own message table (zh-CN first, then English; a missing translation does not
//! compile), and the lookups from codes to its texts.

use super::{ExportState, Period};

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    title: "督办监督", "Supervision";
    lead: "本部门办件的受理、办结、时限和评价情况。", "Cases of your department: received, accepted, completed, on time, and how applicants rated them.";
    lead_city: "全市办件的受理、办结、时限和评价情况。", "Cases across the city: received, accepted, completed, on time, and how applicants rated them.";
    period: "统计期间", "Period";
    period_month: "本月", "This month";
    period_30d: "最近 30 天", "Last 30 days";
    period_year: "本年", "This year";
    period_apply: "查看", "Show";
    figures_title: "总体情况", "Overview";
    received: "收件", "Received";
    accepted: "受理", "Accepted";
    completed: "办结", "Completed";
    on_time_rate: "按时办结率", "Completed on time";
    average_days: "平均办理工作日", "Average working days to completion";
    none_value: "无", "none";
    days_value: "{} 个工作日", "{} working days";
    overdue_title: "超期办件", "Overdue cases";
    overdue_none: "没有超期办件。", "No case is overdue.";
    col_number: "办件编号", "Number";
    col_service: "事项", "Service";
    col_holder: "认领人", "Held by";
    col_due: "顺延后的承诺期限", "Promised by (moved by pauses)";
    col_used: "已用 / 承诺工作日", "Working days used / promised";
    unclaimed: "未认领", "Not claimed";
    overdue_tag: "已超期", "Overdue";
    by_department_title: "各部门情况", "By department";
    by_service_title: "各事项情况", "By service";
    col_department: "部门", "Department";
    col_name: "名称", "Name";
    rating_1: "1 星", "1 star";
    rating_2: "2 星", "2 stars";
    rating_3: "3 星", "3 stars";
    rating_4: "4 星", "4 stars";
    rating_5: "5 星", "5 stars";
    received_chart_title: "各事项收件数", "Cases received by service";
    received_chart_desc: "本期间共收件 {} 件。", "{} cases received in the period.";
    ratings_chart_title: "评价分布", "Ratings";
    ratings_chart_desc: "本期间共收到评价 {} 条。", "{} ratings given in the period.";
    col_level: "评价", "Rating";
    col_count: "条数", "Count";
    no_data: "本期间没有数据。", "No data for this period.";
    exports_title: "导出", "Exports";
    export_aggregate: "下载统计表（CSV，不含个人信息）", "Download the figures (CSV, no personal data)";
    export_cases_lead: "办件清单含申请人姓名和脱敏身份证号，须由本范围的另一名督办人员批准后，申请人可在 24 小时内下载一次。申请、批准和下载都会记录在安全日志中。", "The case list names applicants (ID numbers masked): another supervisor of your scope approves it, then whoever asked may download it once within 24 hours. Requests, approvals and downloads are logged.";
    export_request: "申请导出本期间的办件清单", "Ask to export this period's case list";
    col_requested: "申请时间", "Requested";
    col_requester: "申请人", "Requested by";
    col_period: "期间", "Period";
    col_state: "状态", "State";
    col_action: "操作", "Action";
    state_pending: "待批准", "Waiting for approval";
    state_approved: "已批准（{}）", "Approved ({})";
    state_downloaded: "已下载（{} 行）", "Downloaded ({} rows)";
    state_expired: "已过期", "Expired";
    approve: "批准", "Approve";
    download: "下载清单", "Download the list";
    wait_for_other: "需另一名督办人员批准", "Another supervisor approves it";
    exports_none: "最近 7 天没有导出申请。", "No export requests in the last 7 days.";
    done_requested: "已提交导出申请，请等待另一名督办人员批准。", "Your request is in; another supervisor approves it.";
    done_approved: "已批准该导出申请。", "The export is approved.";
    form_not_approvable: "不能批准该申请：只能批准本范围内其他督办人员尚未批准的申请。", "You cannot approve that: only requests of your scope made by another supervisor and not yet approved.";
    form_period: "请选择统计期间。", "Choose a period.";
    form_generic: "操作没有完成，请稍后再试。", "That did not work; please try again later.";
    form_forbidden: "只有督办人员可以这样做。", "Only supervisors may do that.";
    csv_number: "办件编号", "Number";
    csv_service: "事项", "Service";
    csv_department: "部门", "Department";
    csv_status: "状态", "Status";
    csv_submitted: "提交时间", "Submitted";
    csv_closed: "办结时间", "Closed";
    csv_promised: "承诺期限", "Promised by";
    csv_applicant: "申请人", "Applicant";
    csv_applicant_id: "身份证号（脱敏）", "ID number (masked)";
    csv_on_time: "按时办结", "Completed on time";
    ledger_title: "差评整改台账", "Poor ratings to resolve";
    ledger_none: "没有待处理的差评。", "No poor rating is open.";
    ledger_entry_title: "差评 {}", "Poor rating {}";
    col_state_ledger: "进度", "Progress";
    col_ledger_due: "整改期限", "Due";
    col_responsible: "责任人", "Responsible";
    ledger_overdue: "已逾期", "Overdue";
    ledger_state_to_verify: "待核实", "To verify";
    ledger_state_rectifying: "整改中", "Being put right";
    ledger_state_fed_back: "已反馈", "Answered";
    ledger_state_reviewed: "已复核", "Reviewed";
    ledger_state_appealed: "申诉中", "Appealed";
    ledger_case: "办件", "Case";
    ledger_indicators: "不满意的方面", "Aspects rated poorly";
    ledger_comment: "评价内容", "Comment";
    ledger_rated_at: "评价时间", "Rated";
    ledger_history: "处理记录", "History";
    ledger_move_title: "更新进度", "Update the progress";
    ledger_to: "下一步", "Next step";
    ledger_responsible_label: "责任人", "Person responsible";
    ledger_note_label: "处理说明", "What was done";
    ledger_submit: "保存", "Save";
    ledger_done: "已更新台账。", "The entry is updated.";
    ledger_closed: "该差评已复核办结。", "This rating has been reviewed and closed.";
    ledger_back: "返回督办监督", "Back to supervision";
    ledger_not_found: "没有找到该差评，或它不在您的督办范围内。", "There is no such poor rating in your scope.";
    error_ledger_state: "请选择当前进度允许的下一步", "Choose a next step the current progress allows";
    error_ledger_responsible: "请填写责任人", "Enter the person responsible";
    error_ledger_note: "请填写处理说明", "Describe what was done";
    error_ledger_too_long: "内容过长", "Too long";
    form_ledger_conflict: "该差评的进度刚被其他人更新，请查看下面的最新状态。", "Someone else has just updated this entry; its current state is shown below.";
}

pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

impl Text {
    pub fn period_label(&self, period: Period) -> &'static str {
        match period {
            Period::ThisMonth => self.period_month,
            Period::Last30Days => self.period_30d,
            Period::ThisYear => self.period_year,
        }
    }

    /// The column and bar label of rating level 1 to 5.
    pub fn rating_label(&self, level: usize) -> &'static str {
        [self.rating_1, self.rating_2, self.rating_3, self.rating_4, self.rating_5][level.clamp(1, 5) - 1]
    }

    pub fn state_label(&self, state: ExportState) -> &'static str {
        match state {
            ExportState::Pending => self.state_pending,
            ExportState::Approved => self.state_approved,
            ExportState::Downloaded => self.state_downloaded,
            ExportState::Expired => self.state_expired,
        }
    }

    pub fn ledger_state_label(&self, state: crate::supervision::ledger::LedgerState) -> &'static str {
        use crate::supervision::ledger::LedgerState as S;
        match state {
            S::ToVerify => self.ledger_state_to_verify,
            S::Rectifying => self.ledger_state_rectifying,
            S::FedBack => self.ledger_state_fed_back,
            S::Reviewed => self.ledger_state_reviewed,
            S::Appealed => self.ledger_state_appealed,
        }
    }

    /// A field problem of the ledger form.
    pub fn field_error_text(&self, code: &str) -> &'static str {
        match code {
            "ledger_responsible" => self.error_ledger_responsible,
            "ledger_note" => self.error_ledger_note,
            "ledger_too_long" => self.error_ledger_too_long,
            crate::error::FieldError::CONTROL_CHARACTERS => crate::i18n::use_messages().field_error_control_characters,
            _ => self.error_ledger_state,
        }
    }

    /// A whole-form problem of a dashboard form.
    pub fn form_error_text(&self, code: &str) -> &'static str {
        match code {
            "export_not_approvable" => self.form_not_approvable,
            "export_period" => self.form_period,
            "staff_forbidden" => self.form_forbidden,
            "ledger_conflict" => self.form_ledger_conflict,
            "ledger_missing" => self.ledger_not_found,
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
