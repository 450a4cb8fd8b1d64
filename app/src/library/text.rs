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
    class_all: "全部分类", "All classes";
    class_path: "已选分类", "Chosen class";
    class_exact: "仅分到 {} 的图书", "Classed at {} only";
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

/// A 中图法 class's name: every top class, the second-level classes of the demo library's
/// records and the common ones beside them, and 中国文学's genres; `None` for the others (the
/// page shows their notation alone). Each entry pairs zh-CN with English, so one without its
/// translation does not compile.
pub fn class_name(notation: &str, locale: crate::i18n::Locale) -> Option<&'static str> {
    let (z, e) = match notation {
        "A" => (
            "马克思主义、列宁主义、毛泽东思想、邓小平理论",
            "Marxism, Leninism, Mao Zedong Thought, Deng Xiaoping Theory",
        ),
        "B" => ("哲学、宗教", "Philosophy and religion"),
        "B0" => ("哲学理论", "Philosophical theory"),
        "B1" => ("世界哲学", "Philosophy of the world"),
        "B2" => ("中国哲学", "Chinese philosophy"),
        "B5" => ("欧洲哲学", "European philosophy"),
        "B84" => ("心理学", "Psychology"),
        "B9" => ("宗教", "Religion"),
        "C" => ("社会科学总论", "Social sciences (general)"),
        "C8" => ("统计学", "Statistics"),
        "C91" => ("社会学", "Sociology"),
        "D" => ("政治、法律", "Politics and law"),
        "D0" => ("政治学、政治理论", "Political science and theory"),
        "D2" => ("中国共产党", "Communist Party of China"),
        "D5" => ("世界政治", "World politics"),
        "D6" => ("中国政治", "Chinese politics"),
        "D8" => ("外交、国际关系", "Diplomacy and international relations"),
        "D9" => ("法律", "Law"),
        "E" => ("军事", "Military science"),
        "E2" => ("中国军事", "Chinese military"),
        "F" => ("经济", "Economics"),
        "F0" => ("经济学", "Economic theory"),
        "F1" => ("世界各国经济概况、经济史、经济地理", "Economies of the world, economic history and geography"),
        "F12" => ("中国经济", "Chinese economy"),
        "F2" => ("经济管理", "Economic management"),
        "F3" => ("农业经济", "Agricultural economics"),
        "F4" => ("工业经济", "Industrial economics"),
        "F7" => ("贸易经济", "Trade"),
        "F8" => ("财政、金融", "Public finance and finance"),
        "G" => ("文化、科学、教育、体育", "Culture, science, education, sport"),
        "G2" => ("信息与知识传播", "Information and knowledge communication"),
        "G25" => ("图书馆学、图书馆事业", "Library science and libraries"),
        "G4" => ("教育", "Education"),
        "G6" => ("各级教育", "Education by level"),
        "G62" => ("初等教育", "Primary education"),
        "G8" => ("体育", "Sport"),
        "H" => ("语言、文字", "Languages"),
        "H0" => ("语言学", "Linguistics"),
        "H1" => ("汉语", "Chinese language"),
        "H2" => ("中国少数民族语言", "Languages of China's ethnic minorities"),
        "H3" => ("常用外国语", "Common foreign languages"),
        "H31" => ("英语", "English"),
        "I" => ("文学", "Literature"),
        "I0" => ("文学理论", "Literary theory"),
        "I1" => ("世界文学", "World literature"),
        "I2" => ("中国文学", "Chinese literature"),
        "I21" => ("作品集", "Collected works"),
        "I22" => ("诗歌、韵文", "Poetry and verse"),
        "I23" => ("戏剧文学", "Drama"),
        "I24" => ("小说", "Fiction"),
        "I25" => ("报告文学", "Reportage"),
        "I26" => ("散文", "Prose"),
        "I27" => ("民间文学", "Folk literature"),
        "I28" => ("儿童文学", "Children's literature"),
        "I3" => ("亚洲文学", "Asian literature"),
        "I5" => ("欧洲文学", "European literature"),
        "I7" => ("美洲文学", "American literature"),
        "J" => ("艺术", "Arts"),
        "J0" => ("艺术理论", "Art theory"),
        "J2" => ("绘画", "Painting"),
        "J29" => ("书法、篆刻", "Calligraphy and seal carving"),
        "J3" => ("雕塑", "Sculpture"),
        "J4" => ("摄影艺术", "Photography"),
        "J5" => ("工艺美术", "Arts and crafts"),
        "J6" => ("音乐", "Music"),
        "J7" => ("舞蹈", "Dance"),
        "J8" => ("戏剧、曲艺、杂技艺术", "Theatre, folk performance and acrobatics"),
        "J9" => ("电影、电视艺术", "Film and television"),
        "K" => ("历史、地理", "History and geography"),
        "K0" => ("史学理论", "Historiography"),
        "K1" => ("世界史", "World history"),
        "K2" => ("中国史", "History of China"),
        "K3" => ("亚洲史", "History of Asia"),
        "K5" => ("欧洲史", "History of Europe"),
        "K7" => ("美洲史", "History of the Americas"),
        "K81" => ("传记", "Biography"),
        "K85" => ("文物考古", "Archaeology"),
        "K89" => ("风俗习惯", "Customs"),
        "K9" => ("地理", "Geography"),
        "K92" => ("中国地理", "Geography of China"),
        "N" => ("自然科学总论", "Natural sciences (general)"),
        "N4" => ("自然科学教育与普及", "Science education and popularisation"),
        "O" => ("数理科学和化学", "Mathematics, physics and chemistry"),
        "O1" => ("数学", "Mathematics"),
        "O3" => ("力学", "Mechanics"),
        "O4" => ("物理学", "Physics"),
        "O6" => ("化学", "Chemistry"),
        "P" => ("天文学、地球科学", "Astronomy and earth sciences"),
        "P1" => ("天文学", "Astronomy"),
        "P2" => ("测绘学", "Surveying and mapping"),
        "P4" => ("大气科学（气象学）", "Atmospheric science (meteorology)"),
        "P5" => ("地质学", "Geology"),
        "P7" => ("海洋学", "Oceanography"),
        "P9" => ("自然地理学", "Physical geography"),
        "Q" => ("生物科学", "Biology"),
        "Q94" => ("植物学", "Botany"),
        "Q95" => ("动物学", "Zoology"),
        "R" => ("医药、卫生", "Medicine and health"),
        "R1" => ("预防医学、卫生学", "Preventive medicine and hygiene"),
        "R2" => ("中国医学", "Traditional Chinese medicine"),
        "R4" => ("临床医学", "Clinical medicine"),
        "R5" => ("内科学", "Internal medicine"),
        "R9" => ("药学", "Pharmacy"),
        "S" => ("农业科学", "Agriculture"),
        "S3" => ("农学（农艺学）", "Agronomy"),
        "S5" => ("农作物", "Field crops"),
        "S6" => ("园艺", "Horticulture"),
        "S7" => ("林业", "Forestry"),
        "T" => ("工业技术", "Technology"),
        "TB" => ("一般工业技术", "General engineering"),
        "TD" => ("矿业工程", "Mining engineering"),
        "TE" => ("石油、天然气工业", "Oil and gas industry"),
        "TF" => ("冶金工业", "Metallurgy"),
        "TG" => ("金属学与金属工艺", "Metals and metalworking"),
        "TH" => ("机械、仪表工业", "Machinery and instruments"),
        "TJ" => ("武器工业", "Weapons industry"),
        "TK" => ("能源与动力工程", "Energy and power engineering"),
        "TL" => ("原子能技术", "Nuclear technology"),
        "TM" => ("电工技术", "Electrical engineering"),
        "TN" => ("无线电电子学、电信技术", "Electronics and telecommunications"),
        "TP" => ("自动化技术、计算机技术", "Automation and computing"),
        "TP3" => ("计算技术、计算机技术", "Computing and computers"),
        "TQ" => ("化学工业", "Chemical industry"),
        "TS" => ("轻工业、手工业", "Light industry and handicrafts"),
        "TU" => ("建筑科学", "Architecture and building"),
        "TV" => ("水利工程", "Hydraulic engineering"),
        "U" => ("交通运输", "Transport"),
        "U2" => ("铁路运输", "Railways"),
        "U4" => ("公路运输", "Road transport"),
        "U6" => ("水路运输", "Water transport"),
        "U8" => ("航空运输", "Air transport"),
        "V" => ("航空、航天", "Aviation and spaceflight"),
        "X" => ("环境科学、安全科学", "Environmental and safety science"),
        "X1" => ("环境科学基础理论", "Environmental science theory"),
        "X2" => ("社会与环境", "Society and the environment"),
        "X3" => ("环境保护管理", "Environmental protection management"),
        "X4" => ("灾害及其防治", "Disasters and their prevention"),
        "X5" => ("环境污染及其防治", "Pollution and its control"),
        "X7" => ("行业污染、废物处理与综合利用", "Industrial pollution and waste treatment"),
        "X8" => ("环境质量评价与环境监测", "Environmental assessment and monitoring"),
        "X9" => ("安全科学", "Safety science"),
        "Z" => ("综合性图书", "General works"),
        "Z3" => ("辞典", "Dictionaries"),
        "Z8" => ("图书目录、文摘、索引", "Bibliographies, abstracts and indexes"),
        _ => return None,
    };
    Some(if crate::i18n::Locale::ZhCn == locale { z } else { e })
}

/// A class as a link or heading shows it: its notation, and its name when there is one
/// (`I2 中国文学`).
pub fn class_label(notation: &str, locale: crate::i18n::Locale) -> String {
    match class_name(notation, locale) {
        Some(name) => format!("{notation} {name}"),
        None => notation.to_owned(),
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
