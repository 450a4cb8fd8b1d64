//! The applications feature's own message table (zh-CN first, then English; a missing
//! translation does not compile), and the lookups from codes to its texts.

use super::model::Status;
use crate::ui::NoticeKind;

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    // Starting an application
    apply_title: "在线办理：{}", "Apply online: {}";
    apply_lead: "按步骤填写申请、上传材料，提交前可以核对。每一步都会自动保存，可以随时离开、换设备继续。", "Fill in the application step by step and upload the materials; you can check everything before you submit. Every step is saved, so you can leave and continue later, on any device.";
    apply_steps_title: "办理步骤", "Steps";
    apply_uploads_title: "需要上传的材料", "Materials to upload";
    apply_uploads_lead: "请准备好以下材料的照片或扫描件（PDF、JPEG 或 PNG）：", "Have photos or scans of these ready (PDF, JPEG or PNG):";
    apply_limit_working: "承诺办结时限：受理后 {} 个工作日。", "Promised time: {} working days after acceptance.";
    apply_limit_natural: "承诺办结时限：受理后 {} 个自然日。", "Promised time: {} calendar days after acceptance.";
    apply_drafts_kept: "未提交的申请作为草稿保存 30 天，过期前 3 天会邮件提醒您。", "An application you have not submitted is kept as a draft for 30 days; we email you 3 days before it expires.";
    apply_start: "开始申请", "Start the application";
    apply_not_online: "该事项暂不支持在线办理", "This service cannot be applied for online";
    back_to_guide: "返回办事指南", "Back to the service guide";
    back_to_services: "查看全部服务", "See all services";
    back: "返回", "Back";

    // Prefill consent
    prefill_title: "使用部门共享数据自动填写", "Fill in from government records";
    prefill_lead: "经您同意，本平台可以从以下部门的数据中读取您的信息，自动填写申请表，减少重复填写。每次读取都会记录，您可以在“我的数据使用记录”中查看。", "With your consent, the portal can read your details from the records below and fill in the form for you, so you type less. Every reading is recorded; you can see it under \"use of my data\".";
    prefill_provider: "提供部门", "Held by";
    prefill_purpose: "用途", "Purpose";
    prefill_fields: "读取的信息", "Details read";
    prefill_editable: "自动填写的内容会标明来源，您仍然可以修改。不同意也可以正常办理，只需手动填写。", "Filled-in answers are marked with their source and you can still change them. If you decline you can still apply; you type the answers yourself.";
    prefill_agree: "同意并自动填写", "Agree and fill in";
    prefill_decline: "不同意，手动填写", "Decline and type them myself";
    prefill_needs_real_name: "自动填写需要先完成实名认证。您可以先手动填写，或", "Filling in from records needs a verified real name. You can type the answers yourself, or";
    prefill_verify_link: "去实名认证", "verify your real name";
    prefilled_from: "（来自{}，{}获取）", "(from {}, retrieved {})";
    register_population: "人口基础信息库", "the population register";
    register_entities: "法人基础信息库", "the legal-entity register";
    register_other: "部门共享数据", "shared government data";

    // Steps
    step_details: "申请信息", "Your details";
    step_materials: "上传材料", "Upload materials";
    step_review: "核对并提交", "Check and submit";
    step_of: "第 {} 步，共 {} 步", "Step {} of {}";
    optional_suffix: "（选填）", " (optional)";
    choose: "请选择", "Choose one";
    continue_button: "保存并继续", "Save and continue";
    save_and_leave: "保存草稿，稍后继续", "Save the draft and continue later";
    autosaved: "已自动保存草稿。", "Draft saved automatically.";
    autosave_failed: "自动保存未成功，请点击“保存草稿”。", "The draft could not be saved automatically: use \"Save the draft\".";
    group_entry: "{} 第 {} 项", "{}: entry {}";
    group_add: "添加一项：{}", "Add an entry: {}";
    group_remove: "删除 {}", "Remove {}";
    group_empty: "尚未添加。", "None added yet.";
    group_limits: "至少 {} 项，最多 {} 项。", "At least {} and at most {} entries.";
    not_editable: "这份申请已提交，不能再修改。", "This application has been submitted and can no longer be changed.";
    see_progress: "查看办理进度", "See its progress";
    draft_moved: "该事项的申请表已更新，您的草稿已转到新版本，相同的问题保留了您的回答。", "The form for this service has changed. Your draft has moved to the new version; answers to the questions that stayed the same are kept.";
    draft_moved_dropped: "部分问题已取消或改变，请检查各步骤并补充新的问题。", "Some questions were removed or changed: please go through the steps and answer the new ones.";

    // Address questions: suggestions from the spatial register
    address_find: "查找地址", "Find address";
    address_find_for: "查找地址：{}", "Find address: {}";
    address_choices_legend: "选择标准地址：{}", "Choose a standard address: {}";
    address_choices_hint: "以下地址来自标准地名地址库。选择一个后按“使用所选地址”，再检查门牌号等详细地址。", "These addresses come from the register of standard place names. Choose one and press \"Use this address\", then check the house number and the rest.";
    address_keep: "保留我填写的：{}", "Keep what I typed: {}";
    address_use: "使用所选地址", "Use this address";
    address_none: "没有找到与“{}”相符的标准地址。请检查所填内容，或直接填写完整地址。", "No standard address matches \"{}\". Check what you typed, or type the full address yourself.";
    address_too_short: "请至少输入两个字（例如街道或社区名称），再查找地址。", "Type at least two characters (a street or community name, say), then find the address.";
    address_unavailable: "暂时无法查找标准地址，请直接填写完整地址。", "Standard addresses cannot be looked up at the moment: please type the full address yourself.";
    notice_address_chosen: "已填入所选地址，请检查并补充门牌号等详细地址。", "The address you chose is filled in: check it and add anything missing, such as the house number.";

    // Uploads
    upload_material: "对应材料：{}", "Material: {}";
    upload_none: "尚未上传文件。", "No file uploaded yet.";
    upload_choose: "选择文件", "Choose files";
    upload_types: "可以上传 PDF、JPEG 或 PNG，每个文件不超过 {}，可一次选择多个文件。", "PDF, JPEG or PNG, at most {} each; you can choose several at once.";
    upload_button: "上传", "Upload";
    upload_remove: "删除文件 {}", "Remove the file {}";
    pdf_pages: "{} 页", "{} pages";
    upload_reuse: "从我的材料中选择（以前提交过的文件）", "Choose from my materials (files submitted before)";
    upload_reuse_button: "使用 {}", "Use {}";
    upload_view: "查看 {}", "View {}";

    // Check your answers and submission
    review_problems: "提交前还需要处理以下问题", "Before you submit, please fix these";
    change: "修改", "Change";
    not_answered: "未填写", "Not answered";
    declaration: "本人承诺所填写的信息和提交的材料真实、准确、完整，如有不实，愿承担相应法律责任。", "I declare that the information and materials I submit are true, accurate and complete, and I accept legal responsibility if they are not.";
    submit_button: "提交申请", "Submit the application";

    // The application page
    number_label: "办件编号", "Application number";
    status_title: "当前状态", "Status";
    submitted_at: "提交时间", "Submitted";
    submitted_on: "{} 提交", "submitted {}";
    promised_due: "承诺办结日期", "Promised by";
    statutory_due: "法定办结期限", "Legal time limit";
    draft_expires: "草稿保留至", "Draft kept until";
    next_title: "接下来", "What happens next";
    next_draft: "这份申请还没有提交。完成各步骤并核对后提交。", "This application has not been submitted yet. Complete the steps, check and submit.";
    next_submitted: "窗口工作人员将进行预审，最迟在 {} 前告诉您是否受理，或一次性告知需要补充的全部材料。", "A clerk will pre-review it and tell you by {} whether it is accepted, or list everything that is missing in one notice.";
    next_returned: "预审未通过，请根据说明修改后重新提交。", "The pre-review sent it back: change it as explained and submit again.";
    next_supplement: "需要您补正材料。请按下面的通知上传材料后重新提交，补正期间办理时限暂停计算。", "Materials are needed: upload them as the notice below says and resubmit. The time limit is paused until you do.";
    next_accepted: "已受理，正在审查，承诺在 {} 前办结。", "Accepted and under review; promised by {}.";
    next_suspended: "办理已暂停，恢复后会通知您，暂停期间时限暂停计算。", "Handling is suspended; you will be told when it resumes. The time limit is paused meanwhile.";
    next_decided: "已作出决定，正在办结送达。", "A decision has been made and the result is being issued.";
    next_closed: "这件申请已经结束。", "This application is closed.";
    continue_draft: "继续填写", "Continue the application";
    clock_days_left: "距承诺办结日期还有 {} 个工作日。", "{} working days left until the promised day.";
    clock_overdue: "已超过承诺办结日期 {} 个工作日。", "{} working days past the promised day.";
    clock_stopped: "办理时限自 {} 起暂停计算：{}。", "The time limit has been paused since {}: {}.";
    clock_why_supplement: "等待您补正材料", "waiting for your materials";
    clock_why_suspended: "办理挂起", "handling is suspended";
    clock_why_returned: "等待您修改后重新提交", "waiting for you to change and resubmit";
    timeline_title: "办理过程", "Timeline";
    your_answers: "查看提交的内容", "See what you submitted";
    actor_citizen: "申请人", "Applicant";
    actor_staff: "窗口工作人员", "Clerk";
    actor_system: "系统", "System";

    // Withdrawal
    withdraw_title: "撤回申请", "Withdraw the application";
    withdraw_lead: "受理前可以撤回。撤回后如需办理，需要重新申请。", "You can withdraw it until it is accepted. To apply again afterwards you start a new application.";
    withdraw_confirm: "我确认撤回这份申请", "I confirm I want to withdraw this application";
    withdraw_button: "撤回申请", "Withdraw";

    // 补正
    supplement_title: "补正材料通知", "Materials requested";
    supplement_requested_at: "{} 通知补正以下材料：", "On {} the following were requested:";
    supplement_answer: "补正材料", "Send the materials";
    supplement_note: "给工作人员的说明（选填）", "Note to the clerk (optional)";
    supplement_submit: "提交补正材料", "Send and resubmit";
    supplement_none: "目前没有需要补正的材料。", "No materials are requested at the moment.";

    // Ratings
    rating_title: "评价本次服务（好差评）", "Rate this service";
    rating_lead: "您的评价是实名、自愿的，只用于改进服务。办结后 7 天内未评价的，默认为“基本满意”。", "Your rating is voluntary and only used to improve the service. Without a rating within 7 days of completion it counts as \"satisfactory\".";
    rating_level_label: "总体评价", "Overall";
    rating_indicators_label: "您想评价的方面（不满意时请至少选择一项）", "What you rate (choose at least one if you were dissatisfied)";
    rating_comment: "具体意见（选填）", "Comments (optional)";
    rating_submit: "提交评价", "Submit the rating";
    rating_given: "您的评价：{}。感谢您的反馈。", "Your rating: {}. Thank you.";
    rating_defaulted: "未在 7 天内评价，默认为“{}”。", "Not rated within 7 days; counted as \"{}\".";
    rating_5: "非常满意", "Very satisfied";
    rating_4: "满意", "Satisfied";
    rating_3: "基本满意", "Satisfactory";
    rating_2: "不满意", "Dissatisfied";
    rating_1: "非常不满意", "Very dissatisfied";
    indicator_overall: "整体满意度", "Overall satisfaction";
    indicator_efficiency: "办事效率", "Speed";
    indicator_guide_accuracy: "办事指南精确度", "Accuracy of the guide";
    indicator_convenience: "办事便捷度", "Convenience";
    indicator_usability: "平台操作性", "Ease of use of the portal";

    // 我的办件 and the inbox
    my_applications_title: "我的办件", "My applications";
    my_applications_lead: "您的草稿、办理中和已办结的申请，以及状态变化的通知。", "Your drafts, applications in progress and finished ones, and news about them.";
    inbox_title: "新消息（{}）", "New messages ({})";
    inbox_empty: "没有未读消息。", "No unread messages.";
    drafts_title: "草稿", "Drafts";
    drafts_empty: "没有未提交的草稿。", "No unsubmitted drafts.";
    draft_saved_at: "{} 保存。", "Saved {}.";
    draft_expires_at: "保留至 {}。", "Kept until {}.";
    cases_title: "已提交的申请", "Submitted applications";
    cases_empty: "还没有提交过申请。可以在办事指南中选择“在线办理”。", "You have not submitted an application yet. Choose \"Apply online\" on a service guide.";
    progress_link: "没有账号也可以按办件编号查询进度", "Look up progress by application number without signing in";

    // Progress lookup
    progress_title: "办件进度查询", "Application progress";
    progress_lead: "输入办件编号和申请人身份证号码的后四位，无需登录即可查看办理进度。", "Enter the application number and the last four characters of the applicant's ID number to see its progress, no sign-in needed.";
    progress_number: "办件编号", "Application number";
    progress_number_hint: "15 位，见提交成功页面或通知邮件", "15 characters, on the confirmation page or in the email";
    progress_last4: "申请人身份证号码后四位", "Last four characters of the applicant's ID number";
    progress_last4_hint: "例如 123X", "For example 123X";
    progress_submit: "查询", "Look up";

    // Statuses (domain reference §2d)
    status_draft: "草稿", "Draft";
    status_submitted: "已提交，待预审", "Submitted, awaiting pre-review";
    status_returned: "预审退回", "Returned at pre-review";
    status_supplement_requested: "待补正", "Materials requested";
    status_accepted: "已受理", "Accepted";
    status_not_accepted: "不予受理", "Not accepted";
    status_suspended: "已挂起", "Suspended";
    status_approved: "准予许可", "Approved";
    status_denied: "不予许可", "Refused";
    status_completed: "已办结", "Completed";
    status_withdrawn: "已撤回", "Withdrawn";
    event_resubmitted: "已重新提交", "Resubmitted";
    event_supplemented: "已补正材料", "Materials sent";
    event_prereview_passed: "预审通过", "Pre-review passed";
    event_deemed_accepted: "视为受理（预审期限内未告知补正）", "Accepted by law (nothing was asked for within the review period)";

    // Notices after a redirect
    notice_submitted: "申请已提交。请记下办件编号，我们也已发送邮件通知您。", "Your application has been submitted. Note the application number; we have also emailed you.";
    notice_draft_saved: "草稿已保存，可以在这里随时继续。", "Your draft is saved; continue it here whenever you like.";
    notice_entry_removed: "已删除该项。", "The entry was removed.";
    notice_prefilled: "已根据部门共享数据自动填写，请核对，如有不对可以直接修改。", "Answers were filled in from government records: please check them and change anything that is wrong.";
    notice_register_unavailable: "部门数据暂时无法读取，请手动填写。", "The records cannot be read at the moment: please type the answers yourself.";
    notice_prefill_needs_real_name: "完成实名认证后才能自动填写，本次请手动填写。", "Filling in from records needs a verified real name; please type the answers this time.";
    notice_withdrawn: "申请已撤回。", "The application was withdrawn.";
    notice_supplemented: "补正材料已提交，办理时限恢复计算。", "Your materials were sent and the time limit runs again.";
    notice_rated: "感谢您的评价。", "Thank you for your rating.";
    notice_uploaded: "文件已上传。", "The file was uploaded.";
    notice_file_removed: "文件已删除。", "The file was removed.";
    notice_file_attached: "已从我的材料中添加文件。", "The file from your materials was added.";

    // Whole-form problems
    application_not_found: "没有找到这份申请", "Application not found";
    answers_incomplete: "还有问题没有填写完整，请根据提示修改后再提交。", "Some answers are missing or wrong: fix them as shown, then submit.";
    submission_stale: "页面已过期，请刷新后重新提交。", "This page is out of date: reload it and submit again.";
    cannot_withdraw: "这份申请已经受理或结束，不能撤回。", "This application has been accepted or is closed and can no longer be withdrawn.";
    cannot_rate: "这份申请还不能评价，或已经评价过。", "This application cannot be rated yet, or has already been rated.";
    progress_not_found: "没有找到与办件编号和身份证后四位都相符的申请，请核对后重试。", "No application matches both the number and the ID ending: check them and try again.";
    progress_throttled: "查询次数过多，请 15 分钟后再试。", "Too many lookups: try again in 15 minutes.";
    link_business: "关联企业", "Link a business";
    file_not_found: "没有找到这个文件。", "That file was not found.";
    files_not_accepted: "这份申请现在不能添加文件。", "Files cannot be added to this application now.";
    needs_business: "这是面向企业的服务，需要先在“个人中心 - 我的企业”中关联您担任法定代表人的企业。", "This service is for businesses: first link the business you represent under \"My account – Businesses\".";

    // Field messages
    error_required: "请填写此项", "Answer this question";
    error_too_long: "内容太长，请精简", "This is too long: shorten it";
    error_number_invalid: "请输入数字", "Enter a number";
    error_number_too_small: "数字太小", "The number is too small";
    error_number_too_large: "数字太大", "The number is too large";
    error_date_invalid: "请输入有效日期，格式如 2024-03-01", "Enter a real date, like 2024-03-01";
    error_choice_invalid: "请从选项中选择", "Choose one of the options";
    error_phone_invalid: "请输入 11 位手机号码或带区号的固定电话", "Enter an 11-digit mobile number or a landline with its area code";
    error_id_length: "身份证号码应为 18 位", "An ID number has 18 characters";
    error_id_character: "身份证号码只能包含数字，最后一位可以是 X", "An ID number has digits only, the last may be X";
    error_id_birth_date: "身份证号码中的出生日期无效", "The date of birth in the ID number is not valid";
    error_id_checksum: "身份证号码校验位不正确，请核对", "The ID number's check character is wrong: check it";
    error_group_too_few: "请至少添加一项", "Add at least one entry";
    error_group_too_many: "超过了允许的项数，请删除多余的项", "Too many entries: remove some";
    error_file_required: "请上传此材料", "Upload this material";
    error_declaration_required: "请确认承诺后再提交", "Confirm the declaration to submit";
    error_withdraw_confirm_required: "请勾选确认后再撤回", "Tick the box to confirm";
    error_supplement_file_missing: "请为此材料上传新文件", "Upload a new file for this material";
    error_rating_level_required: "请选择总体评价", "Choose an overall rating";
    error_rating_indicator_required: "不满意时请至少选择一个方面", "When dissatisfied, choose at least one aspect";
    error_upload_too_many: "这项材料的文件已达上限（{} 个），请先删除不需要的文件", "This material already has the most files allowed ({}): remove one first";
    error_upload_duplicate: "这个文件已经上传过了，同一份申请不需要重复上传", "This file is already attached to the application";
    error_upload_total_too_large: "这份申请的文件总大小超过了 {}，请压缩或删除部分文件", "The application's files together pass {}: make some smaller or remove them";
    error_upload_not_editable: "这份申请现在不能添加文件", "Files cannot be added to this application now";
    error_upload_too_large: "文件超过 {}，请压缩或拆分后再上传", "The file is over {}: make it smaller or split it";
    error_upload_type: "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断，不看扩展名）", "Only PDF, JPEG or PNG files (judged by their content, not their name)";
    error_upload_empty: "文件是空的，请重新选择", "The file is empty: choose it again";
    error_upload_blank: "图片太小或几乎是空白，看不清内容，请重新拍摄或扫描", "The picture is too small or almost blank to read: take or scan it again";
    error_upload_unreadable: "文件已损坏或无法打开（加密的 PDF 也无法查看），请重新导出", "The file is damaged or cannot be opened (encrypted PDFs too): export it again";
    error_upload_too_many_pixels: "图片尺寸过大（超过 8000×8000 像素），请缩小后再上传", "The picture is too large (over 8000×8000 pixels): make it smaller";
    error_upload_active_content: "PDF 中含有脚本、自动操作或嵌入文件，出于安全原因不能接收，请另存为普通 PDF", "The PDF contains scripts, automatic actions or embedded files, which are refused for safety: save it as a plain PDF";
    error_upload_storage: "文件暂时无法保存，请稍后再试", "The file cannot be stored right now: try again later";
    error_upload_no_file: "请选择要上传的文件", "Choose a file to upload";
    error_number_invalid_check: "办件编号不正确，请核对（15 位，最后一位可能是 X）", "That is not a valid application number (15 characters, the last may be X)";
    error_id_last4_invalid: "请输入身份证号码的最后四位（数字或 X）", "Enter the last four characters of the ID number (digits or X)";
}

/// This request's table.
pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

impl Text {
    pub fn status_label(&self, status: Status) -> &'static str {
        match status {
            Status::Draft => self.status_draft,
            Status::Submitted => self.status_submitted,
            Status::Returned => self.status_returned,
            Status::SupplementRequested => self.status_supplement_requested,
            Status::Accepted => self.status_accepted,
            Status::NotAccepted => self.status_not_accepted,
            Status::Suspended => self.status_suspended,
            Status::Approved => self.status_approved,
            Status::Denied => self.status_denied,
            Status::Completed => self.status_completed,
            Status::Withdrawn => self.status_withdrawn,
        }
    }

    /// A timeline entry or inbox kind: a status, or one of the events that are not statuses.
    pub fn event_label(&self, code: &str) -> &'static str {
        match code {
            "resubmitted" => self.event_resubmitted,
            "supplemented" => self.event_supplemented,
            "prereview_passed" => self.event_prereview_passed,
            "deemed_accepted" => self.event_deemed_accepted,
            other => Status::from_code(other).map_or(self.status_submitted, |s| self.status_label(s)),
        }
    }

    pub fn actor_label(&self, role: &str) -> &'static str {
        match role {
            "citizen" => self.actor_citizen,
            "staff" => self.actor_staff,
            _ => self.actor_system,
        }
    }

    pub fn register_name(&self, resource: &str) -> &'static str {
        match resource {
            "RK-0001" => self.register_population,
            "FR-0001" => self.register_entities,
            _ => self.register_other,
        }
    }

    pub fn rating_level(&self, level: i64) -> &'static str {
        match level {
            5 => self.rating_5,
            4 => self.rating_4,
            3 => self.rating_3,
            2 => self.rating_2,
            _ => self.rating_1,
        }
    }

    pub fn indicator_label(&self, code: &str) -> &'static str {
        match code {
            "efficiency" => self.indicator_efficiency,
            "guide_accuracy" => self.indicator_guide_accuracy,
            "convenience" => self.indicator_convenience,
            "usability" => self.indicator_usability,
            _ => self.indicator_overall,
        }
    }

    pub fn notice_text(&self, key: &str) -> Option<(NoticeKind, &'static str)> {
        let success = |t| Some((NoticeKind::Success, t));
        let info = |t| Some((NoticeKind::Info, t));
        match key {
            "submitted" => success(self.notice_submitted),
            "draft_saved" => success(self.notice_draft_saved),
            "entry_removed" => info(self.notice_entry_removed),
            "prefilled" => success(self.notice_prefilled),
            "register_unavailable" => info(self.notice_register_unavailable),
            "prefill_needs_real_name" => info(self.notice_prefill_needs_real_name),
            "withdrawn" => success(self.notice_withdrawn),
            "supplemented" => success(self.notice_supplemented),
            "rated" => success(self.notice_rated),
            "uploaded" => success(self.notice_uploaded),
            "file_removed" => info(self.notice_file_removed),
            "file_attached" => success(self.notice_file_attached),
            "address_chosen" => success(self.notice_address_chosen),
            _ => None,
        }
    }

    pub fn form_error_text(&self, key: &str) -> &'static str {
        match key {
            "application_not_found" | "item_not_found" => self.application_not_found,
            "answers_incomplete" => self.answers_incomplete,
            "submission_stale" => self.submission_stale,
            "cannot_withdraw" => self.cannot_withdraw,
            "cannot_rate" => self.cannot_rate,
            "progress_not_found" => self.progress_not_found,
            "progress_throttled" => self.progress_throttled,
            "needs_business" => self.needs_business,
            "file_not_found" => self.file_not_found,
            "files_not_accepted" => self.files_not_accepted,
            _ => crate::i18n::use_messages().error_generic,
        }
    }

    /// The messages of the answer rules (`rules::check_answer`), by code, for the browser's
    /// checks.
    pub fn answer_messages(&self) -> Vec<(String, String)> {
        [
            "required",
            "too_long",
            "number_invalid",
            "number_too_small",
            "number_too_large",
            "date_invalid",
            "choice_invalid",
            "id_length",
            "id_character",
            "id_birth_date",
            "id_checksum",
            "phone_invalid",
        ]
        .into_iter()
        .map(|code| (code.to_owned(), self.field_error_text(code).to_owned()))
        .collect()
    }

    pub fn field_error_text(&self, code: &str) -> &'static str {
        match code {
            "too_long" => self.error_too_long,
            "number_invalid" => self.error_number_invalid,
            "number_too_small" => self.error_number_too_small,
            "number_too_large" => self.error_number_too_large,
            "date_invalid" => self.error_date_invalid,
            "choice_invalid" => self.error_choice_invalid,
            "phone_invalid" => self.error_phone_invalid,
            "id_length" => self.error_id_length,
            "id_character" => self.error_id_character,
            "id_birth_date" => self.error_id_birth_date,
            "id_checksum" => self.error_id_checksum,
            "group_too_few" => self.error_group_too_few,
            "group_too_many" => self.error_group_too_many,
            "file_required" => self.error_file_required,
            "declaration_required" => self.error_declaration_required,
            "withdraw_confirm_required" => self.error_withdraw_confirm_required,
            "supplement_file_missing" => self.error_supplement_file_missing,
            "rating_level_required" => self.error_rating_level_required,
            "rating_indicator_required" => self.error_rating_indicator_required,
            "number_invalid_check" => self.error_number_invalid_check,
            "upload_too_many" => self.error_upload_too_many,
            "upload_duplicate" => self.error_upload_duplicate,
            "upload_total_too_large" => self.error_upload_total_too_large,
            "upload_not_editable" => self.error_upload_not_editable,
            "upload_too_large" => self.error_upload_too_large,
            "upload_type" => self.error_upload_type,
            "upload_empty" => self.error_upload_empty,
            "upload_blank" => self.error_upload_blank,
            "upload_unreadable" => self.error_upload_unreadable,
            "upload_too_many_pixels" => self.error_upload_too_many_pixels,
            "upload_active_content" => self.error_upload_active_content,
            "upload_storage" => self.error_upload_storage,
            "upload_no_file" => self.error_upload_no_file,
            "id_last4_invalid" => self.error_id_last4_invalid,
            crate::error::FieldError::CONTROL_CHARACTERS => crate::i18n::use_messages().field_error_control_characters,
            _ => self.error_required,
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
