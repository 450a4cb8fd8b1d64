//! The documents' own message table (zh-CN first, then English; a missing translation does not
//! compile): the pages that list and verify documents, and the documents' wording. A document
//! is issued in Chinese (the official language of the notice); its kind is named in both.

use super::DocumentKind;

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    // Kinds, as titles of the documents and in lists
    kind_supplement: "补正材料告知书", "Notice to supplement materials";
    kind_acceptance: "受理通知书", "Notice of acceptance";
    kind_non_acceptance: "不予受理通知书", "Notice of non-acceptance";
    kind_approval: "准予行政许可决定书", "Decision to grant the licence";
    kind_denial: "不予行政许可决定书", "Decision to refuse the licence";

    // Lists on the case pages
    documents_title: "办理文书", "Documents issued";
    documents_lead: "下载文书（PDF）。每份文书上的二维码可用于核验真伪。", "Download the documents (PDF). The QR code on each one lets anyone check that it is genuine.";
    documents_none: "还没有出具文书。", "No documents issued yet.";
    col_document: "文书", "Document";
    col_issued: "出具时间", "Issued";
    col_state: "状态", "State";
    col_download: "下载", "Download";
    state_current: "有效", "Current";
    state_superseded: "已被新文书替代", "Replaced by a later document";
    download_link: "下载 PDF", "Download PDF";
    // The link's name starts with its visible text (WCAG 2.5.3) and names the document.
    download_label: "下载 PDF（{}）", "Download PDF ({})";

    // The public verification page
    verify_title: "文书核验", "Document verification";
    verify_genuine: "这是本平台出具的真实文书，当前有效。", "This is a genuine document issued through this portal, and it is current.";
    verify_superseded: "这是本平台出具的真实文书，但已被之后出具的同类文书替代，请以新文书为准。", "This is a genuine document issued through this portal, but a later document of the same kind has replaced it: rely on the later one.";
    verify_unknown: "未找到这份文书：它不是本平台出具的真实文书，或核验地址有误。", "No such document: it was not issued through this portal, or the verification address is wrong.";
    verify_facts: "文书信息", "About the document";
    verify_kind: "文书类型", "Kind";
    verify_number: "办件编号", "Application number";
    verify_item: "办理事项", "Service";
    verify_issued: "出具日期", "Issued on";
    verify_department: "出具部门", "Issued by";
    verify_applicant: "申请人", "Applicant";
    verify_state: "状态", "State";
    verify_sha256: "文件 SHA-256", "File SHA-256";
    verify_sha256_hint: "可将手中 PDF 文件的 SHA-256 摘要与此对照，一致即为未被改动的原件。", "Compare this with the SHA-256 digest of the PDF you hold: if they match, the file is the unaltered original.";

    // The documents' wording (issued in Chinese; the English is for reference)
    doc_number: "办件编号：{}", "Application number: {}";
    doc_received: "你（单位）于 {} 通过{}提交的“{}”申请，", "Your application submitted on {} through {} for \"{}\"";
    doc_supplement_body: "经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，请补正以下材料：", "was examined: the materials are incomplete or not in the required form. Under Article 32 of the Administrative Licensing Law, please supplement the following:";
    doc_supplement_note: "说明：{}", "Note: {}";
    doc_supplement_due: "请于 {} 前补正。", "Please supplement them by {}.";
    doc_supplement_how: "补正期间不计入办理期限。请登录{}，在办件页面按本告知书一次性补正全部材料。", "The time until you supplement them does not count towards the deadline. Sign in to {} and supplement every listed material on the application's page.";
    doc_acceptance_body: "经审查，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。", "was examined: the materials are complete and in the required form. Under Article 32 of the Administrative Licensing Law, it is accepted.";
    doc_acceptance_due: "承诺办结期限：{}。", "Promised decision by: {}.";
    doc_non_acceptance_body: "经审查，决定不予受理。", "was examined and is not accepted.";
    doc_reason: "理由：{}", "Reason: {}";
    doc_appeal: "权利告知：{}", "Your rights: {}";
    doc_approval_body: "经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条的规定，决定准予行政许可。", "was examined and meets the statutory conditions and standards. Under Article 38 of the Administrative Licensing Law, the licence is granted.";
    doc_denial_body: "经审查，不符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条的规定，决定不予行政许可。", "was examined and does not meet the statutory conditions and standards. Under Article 38 of the Administrative Licensing Law, the licence is refused.";
    doc_denial_appeal: "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。", "If you disagree with this decision, you may apply for administrative reconsideration within 60 days of receiving it, or bring an administrative lawsuit before a people's court within six months.";
    doc_note: "说明：{}", "Note: {}";
    doc_issued_on: "{}年{}月{}日", "{}-{}-{}";
    doc_verify: "扫描二维码或访问以下地址核验本文书：", "Scan the QR code or open this address to verify this document:";
    doc_reference: "文书核验码：{}", "Verification reference: {}";
    doc_page: "办件编号 {}　第 {} 页，共 {} 页", "Application {}, page {} of {}";
}

impl Text {
    /// The title of a kind of document.
    pub fn kind_label(&self, kind: DocumentKind) -> &'static str {
        match kind {
            DocumentKind::Supplement => self.kind_supplement,
            DocumentKind::Acceptance => self.kind_acceptance,
            DocumentKind::NonAcceptance => self.kind_non_acceptance,
            DocumentKind::Approval => self.kind_approval,
            DocumentKind::Denial => self.kind_denial,
        }
    }
}

/// This feature's table in the page's language.
pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_is_translated() {
        crate::i18n::check_table(super::ZH_CN.entries(), super::EN.entries());
    }
}
