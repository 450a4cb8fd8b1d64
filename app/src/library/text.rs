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
    where_shelf: "到馆后按索书号在上表所列位置取书，或请工作人员帮助。", "At the library, find the book by its call number at the place listed above, or ask the staff.";
    cite_title: "引用本书", "Cite this book";
    cite_gbt: "GB/T 7714—2015 格式", "GB/T 7714—2015";
    cite_ris: "下载 RIS 文件（用于 EndNote、Zotero 等文献管理软件）", "Download an RIS file (for EndNote, Zotero and other reference managers)";
    back_to_results: "返回检索", "Back to the search";
    record_unavailable_body: "暂时无法读取这本书的信息，请稍后再试。", "The book's details cannot be read just now; try again later.";
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
