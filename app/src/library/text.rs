//! The library feature's message table (zh-CN first, then English).

use super::contract::ItemStatus;

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    search_title: "图书信息检索", "Library catalogue";
    search_lead: "检索市图书馆及各分馆的馆藏图书，查看在架情况和所在位置。可输入题名、作者、主题、出版社、ISBN，也可以输入拼音或拼音首字母（如 hlm 查红楼梦），繁体简体均可。", "Search the books of the city library and its branches, and see whether they are on the shelf and where. Type a title, author, subject, publisher or ISBN; pinyin and pinyin initials (hlm finds 红楼梦) and traditional or simplified characters all work.";
    search_label: "检索词", "Search for";
    search_hint: "多个词用空格分开，结果同时包含全部词语", "Separate words with spaces; results contain every word";
    search_field_label: "检索字段", "Search in";
    field_all: "全部字段", "All fields";
    field_title: "题名", "Title";
    field_author: "责任者", "Author";
    field_subject: "主题", "Subject";
    field_publisher: "出版社", "Publisher";
    field_isbn: "ISBN", "ISBN";
    search_button: "检索", "Search";
    error_empty: "请输入要检索的题名、作者、主题或 ISBN", "Enter a title, author, subject or ISBN to search for";
    error_too_long: "检索词太长了，请不要超过 {} 个字", "That is too long: use at most {} characters";
    error_nothing: "检索词里没有文字或数字，请输入题名、作者等", "There are no letters or digits in that: enter a title, an author or similar";
    results_count: "共找到 {} 种图书", "{} titles found";
    results_caption: "“{}”的检索结果", "Results for “{}”";
    no_results: "没有找到与“{}”相符的图书。可以减少检索词、改用全部字段，或去掉筛选条件。", "No book matches “{}”. Try fewer words, search all fields, or remove a filter.";
    unavailable_title: "图书馆系统暂时无法访问", "The library's system cannot be reached just now";
    unavailable_body: "暂时无法检索，请稍后再试。您的检索词和筛选条件已保留，稍后点“检索”即可。", "Searching is not possible at the moment; try again later. Your search and filters are kept: press Search again later.";
    not_live: "馆藏状态暂时无法从图书馆系统读取，以下结果不显示在架情况。", "The library's system did not say which copies are on the shelf just now; the results below show no availability.";
    facets_title: "筛选结果", "Narrow the results";
    facet_availability: "在架情况", "Availability";
    facet_available: "有在架可借", "On the shelf to borrow";
    facet_branch: "馆藏地", "Branch";
    facet_class: "中图法分类", "Subject class (CLC)";
    facet_decade: "出版年代", "Published";
    decade: "{}年代", "{}s";
    decade_unknown: "年代不详", "Year unknown";
    filter_remove: "取消筛选：{}", "Remove filter: {}";
    filters_active: "已选筛选条件", "Filters in use";
    copies_summary: "{}：在架 {} 册，共 {} 册", "{}: {} of {} copies on the shelf";
    copies_unknown: "在架情况暂不可查", "Availability not known just now";
    no_copies: "暂无馆藏", "No copies";
    page_of: "第 {} 页，共 {} 页", "Page {} of {}";
    page_previous: "上一页", "Previous page";
    page_next: "下一页", "Next page";
    page_nav: "分页", "Pages";
    deep_pages: "只显示前 {} 页，请增加检索词或筛选条件缩小范围。", "Only the first {} pages are shown: add words or filters to narrow the search.";
    by: "著者", "By";

    record_title_fallback: "图书详情", "Book details";
    record_not_found: "没有找到这本书，可能已从馆藏中注销。", "This book was not found; it may have been withdrawn.";
    record_description: "书目信息", "Description";
    record_title: "题名", "Title";
    record_romanized: "题名（拼音）", "Title (romanised)";
    record_responsibility: "责任说明", "Responsibility";
    record_authors: "责任者", "Authors";
    record_edition: "版本", "Edition";
    record_publication: "出版发行", "Published";
    record_extent: "载体形态", "Extent";
    record_isbn: "ISBN", "ISBN";
    record_subjects: "主题", "Subjects";
    record_series: "丛书", "Series";
    record_summary: "提要", "Summary";
    record_clc: "中图法分类号", "CLC class";
    record_lcc: "美国国会图书馆分类号", "LC class";
    record_source: "数据来源", "Record source";
    source_loc: "美国国会图书馆开放书目数据（MARC21）", "Library of Congress open bibliographic data (MARC21)";
    source_generated: "演示用生成数据", "Generated demo data";
    holdings_title: "馆藏信息", "Copies";
    holdings_caption: "{}的馆藏", "Copies at {}";
    col_call_number: "索书号", "Call number";
    col_barcode: "条码号", "Barcode";
    col_location: "所在位置", "Where";
    col_status: "状态", "Status";
    status_on_shelf: "在架", "On the shelf";
    status_on_loan: "借出，应还日期 {}", "On loan, due {}";
    status_in_transit: "在途（馆间调拨中）", "In transit between branches";
    status_reference_only: "仅供馆内阅览", "Reference only (read in the library)";
    where_title: "在哪里", "Where is it";
    where_address: "地址：{}", "Address: {}";
    where_hours: "开放时间：{}", "Opening hours: {}";
    where_map: "在地图上查看", "See it on a map";
    map_label: "馆藏地分布图", "Map of the branches holding copies";
    map_caption: "图中编号与下列各馆编号一致，点击编号可跳到该馆的馆藏。", "The numbers on the map are the branches' numbers below; select one to go to that branch's copies.";
    where_shelf: "到馆后按索书号在上表所列位置取书，或请工作人员帮助。", "At the library, find the book by its call number at the place listed above, or ask the staff.";
    cite_title: "引用本书", "Cite this book";
    cite_gbt: "GB/T 7714—2015 格式", "GB/T 7714—2015";
    cite_ris: "下载 RIS 文件（用于 EndNote、Zotero 等文献管理软件）", "Download an RIS file (for EndNote, Zotero and other reference managers)";
    back_to_results: "返回检索", "Back to the search";
    record_unavailable_body: "暂时无法读取这本书的信息，请稍后再试。", "The book's details cannot be read just now; try again later.";
    status_on_hold: "已被预约，保留待取", "Reserved, kept for a reader";

    my_title: "我的图书馆", "My library";
    my_lead: "绑定市图书馆读者证后，可在这里查看在借图书和预约，续借图书，并在图书详情页预约在架的书。", "Bind your city library card to see your loans and reservations here, renew books, and reserve books on the shelf from a book's page.";
    my_link: "我的图书馆（借阅与预约）", "My library (loans and reservations)";
    sign_in: "登录后可绑定读者证，查看借阅和预约。", "Sign in to bind your library card and see your loans and reservations.";
    needs_real_name: "绑定读者证需要先完成实名认证。", "Binding a library card needs a real-name verified account first.";
    verify_link: "去实名认证", "Verify my identity";
    bind_title: "绑定读者证", "Bind your library card";
    bind_notice: "绑定时，门户把您填写的读者证号和密码交给市图书馆核对，密码不在门户保存。绑定后，门户按您的授权向图书馆查询您的借阅和预约，每次查询都有记录。每张读者证每小时最多尝试 5 次。", "To bind, the portal passes the card number and PIN you enter to the city library to check; the portal does not keep the PIN. Once bound, the portal asks the library for your loans and reservations with your consent, and every request is logged. Each card allows 5 attempts an hour.";
    card_label: "读者证号", "Library card number";
    card_hint: "读者证正面或背面的数字", "The number on your library card";
    pin_label: "读者证密码", "Card PIN";
    pin_hint: "办证时设置的密码", "The PIN you chose when the card was issued";
    bind_button: "绑定读者证", "Bind card";
    error_required_card: "请填写读者证号", "Enter your library card number";
    error_card_format: "读者证号是 6 到 20 位数字", "A library card number is 6 to 20 digits";
    error_required_pin: "请填写读者证密码", "Enter your card PIN";
    error_pin_format: "密码太长了", "That PIN is too long";
    error_no_match: "读者证号或密码不正确。", "The card number or the PIN is not right.";
    error_throttled: "尝试次数过多，请一小时后再试。", "Too many attempts: try again in an hour.";
    error_unavailable: "图书馆系统暂时无法访问，请稍后再试。您填写的内容已保留。", "The library's system cannot be reached just now; try again later. What you entered is kept.";
    error_generic: "操作没有完成，请稍后再试。", "That did not work; try again later.";
    no_card: "您还没有绑定读者证。", "You have not bound a library card yet.";
    card_heading: "读者证 {}（{}）", "Library card {} ({})";
    loans_title: "在借图书", "Books on loan";
    col_title: "题名", "Title";
    col_branch: "借出馆", "Borrowed at";
    col_due: "应还日期", "Due";
    col_renewals: "已续借", "Renewed";
    col_action: "操作", "Action";
    renewals: "{} / {} 次", "{} of {} times";
    overdue: "已逾期", "Overdue";
    reserved_by_another: "有其他读者预约", "Reserved by another reader";
    renew_button: "续借", "Renew";
    renew_label: "续借《{}》", "Renew “{}”";
    no_loans: "目前没有在借图书。", "No books on loan.";
    holds_title: "我的预约", "My reservations";
    col_pickup: "取书地点", "Pick up at";
    col_pickup_by: "保留至", "Kept until";
    hold_waiting: "等待图书归还", "Waiting for the book to be returned";
    no_holds: "目前没有预约。", "No reservations.";
    rules: "每本书最多续借 {} 次，每次自续借之日起延长 {} 天；已逾期或有其他读者预约的图书不能续借。预约的图书在取书地点保留 {} 天。", "A book may be renewed {} times, each time for {} days from the day of renewal; overdue books and books another reader has reserved cannot be renewed. A reserved book is kept at the pick-up branch for {} days.";
    unbind_title: "解除绑定", "Unbind the card";
    unbind_lead: "解除后，门户不再查询这张读者证；读者证本身和借阅不受影响。", "After unbinding, the portal no longer asks about this card; the card and its loans are not affected.";
    unbind_button: "解除绑定读者证", "Unbind library card";
    bound_notice: "读者证已绑定。", "Your library card is bound.";
    unbound_notice: "读者证已解除绑定。", "Your library card is no longer bound.";
    renewed_notice: "续借成功，应还日期已更新。", "Renewed: the due date has been updated.";
    reserved_notice: "预约成功，请在保留期内到取书地点借书。", "Reserved: borrow it at the pick-up branch before the date shown.";
    renew_limit: "这本书已达到续借次数上限，请按时归还。", "This book has been renewed as often as allowed: please return it on time.";
    renew_reserved: "这本书有其他读者在等，不能续借，请按时归还。", "Another reader is waiting for this book, so it cannot be renewed: please return it on time.";
    renew_overdue: "这本书已逾期，不能续借，请尽快归还。", "This book is overdue and cannot be renewed: please return it soon.";
    not_on_loan: "没有找到这笔借阅。", "That loan was not found.";
    col_reserve: "预约", "Reserve";
    reserve_button: "预约", "Reserve";
    reserve_label: "预约 {} 这一册", "Reserve copy {}";
    pickup_label: "取书地点", "Pick up at";
    reserve_to_bind: "绑定读者证后，可以预约在架的图书，到选定的图书馆取书。", "Bind your library card to reserve a book on the shelf and pick it up at the library you choose.";
    reserve_bind_link: "绑定读者证", "Bind your library card";
    reserve_not_available: "这一册刚被借出或已被预约，请选择其他在架的一册。", "That copy has just been lent or reserved: choose another copy on the shelf.";
    reserve_unknown: "没有找到这一册或这个取书地点。", "That copy or pick-up branch was not found.";
}

/// This request's table.
pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

impl Text {
    pub fn status(&self, status: ItemStatus, due: Option<&str>) -> String {
        match status {
            ItemStatus::OnShelf => self.status_on_shelf.to_owned(),
            ItemStatus::OnLoan => crate::i18n::fill(self.status_on_loan, &[due.unwrap_or("—")]),
            ItemStatus::InTransit => self.status_in_transit.to_owned(),
            ItemStatus::ReferenceOnly => self.status_reference_only.to_owned(),
            ItemStatus::OnHold => self.status_on_hold.to_owned(),
        }
    }

    pub fn field(&self, field: super::model::SearchField) -> &'static str {
        use super::model::SearchField;
        match field {
            SearchField::All => self.field_all,
            SearchField::Title => self.field_title,
            SearchField::Author => self.field_author,
            SearchField::Subject => self.field_subject,
            SearchField::Publisher => self.field_publisher,
            SearchField::Isbn => self.field_isbn,
        }
    }
}

/// The 中图法 top classes' names (the only levels shipped).
pub fn class_name(class: char, locale: crate::i18n::Locale) -> &'static str {
    let zh = crate::i18n::Locale::ZhCn == locale;
    let (z, e) = match class {
        'A' => (
            "马克思主义、列宁主义、毛泽东思想、邓小平理论",
            "Marxism, Leninism, Mao Zedong Thought, Deng Xiaoping Theory",
        ),
        'B' => ("哲学、宗教", "Philosophy and religion"),
        'C' => ("社会科学总论", "Social sciences (general)"),
        'D' => ("政治、法律", "Politics and law"),
        'E' => ("军事", "Military science"),
        'F' => ("经济", "Economics"),
        'G' => ("文化、科学、教育、体育", "Culture, science, education, sport"),
        'H' => ("语言、文字", "Languages"),
        'I' => ("文学", "Literature"),
        'J' => ("艺术", "Arts"),
        'K' => ("历史、地理", "History and geography"),
        'N' => ("自然科学总论", "Natural sciences (general)"),
        'O' => ("数理科学和化学", "Mathematics, physics and chemistry"),
        'P' => ("天文学、地球科学", "Astronomy and earth sciences"),
        'Q' => ("生物科学", "Biology"),
        'R' => ("医药、卫生", "Medicine and health"),
        'S' => ("农业科学", "Agriculture"),
        'T' => ("工业技术", "Technology"),
        'U' => ("交通运输", "Transport"),
        'V' => ("航空、航天", "Aviation and spaceflight"),
        'X' => ("环境科学、安全科学", "Environmental and safety science"),
        _ => ("综合性图书", "General works"),
    };
    if zh {
        z
    } else {
        e
    }
}

impl Text {
    /// A form problem's text, by the code the form post gave.
    pub fn form_error(&self, code: &str) -> &'static str {
        match code {
            "needs_real_name" => self.needs_real_name,
            "no_match" => self.error_no_match,
            "throttled" => self.error_throttled,
            "unavailable" => self.error_unavailable,
            "no_card" => self.no_card,
            "renew_limit" => self.renew_limit,
            "renew_reserved" => self.renew_reserved,
            "renew_overdue" => self.renew_overdue,
            "not_on_loan" => self.not_on_loan,
            "reserve_not_available" => self.reserve_not_available,
            "reserve_unknown" => self.reserve_unknown,
            _ => self.error_generic,
        }
    }
}
