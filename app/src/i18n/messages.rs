//! The message tables. Each key carries its zh-CN text first, then English.

macro_rules! messages {
    ($($key:ident: $zh:expr, $en:expr;)*) => {
        /// Every user-facing string of the portal, for one locale.
        #[derive(Debug)]
        pub struct Messages {
            $(pub $key: &'static str,)*
        }

        pub static ZH_CN: Messages = Messages { $($key: $zh,)* };
        pub static EN: Messages = Messages { $($key: $en,)* };

        impl Messages {
            /// Key/text pairs, for completeness tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }
        }
    };
}

messages! {
    // Shell
    skip_to_content: "跳到主要内容", "Skip to main content";
    nav_label: "主导航", "Main navigation";
    nav_home: "首页", "Home";
    nav_departments: "办事部门", "Departments";
    nav_search: "搜索", "Search";
    nav_accessibility: "无障碍与长者模式", "Accessibility and elder mode";
    search_label: "搜索政务服务", "Search government services";
    search_placeholder: "输入事项名称、部门或关键词", "Service, department or keyword";
    search_button: "搜索", "Search";
    language_label: "语言", "Language";
    language_switch_to: "切换语言为", "Switch language to";
    elder_mode: "长者模式", "Elder mode";
    elder_mode_on: "长者模式：已开启", "Elder mode: on";
    elder_mode_off: "长者模式：已关闭", "Elder mode: off";
    settings_label: "显示设置", "Display settings";
    footer_sponsor: "主办单位", "Run by";
    footer_hotline: "政务服务热线", "Government service hotline";
    footer_hall: "政务服务大厅", "Service hall";
    footer_hours: "办公时间", "Opening hours";
    footer_record: "备案号", "Registration no.";
    footer_links: "网站信息", "About this site";

    // Home
    home_title: "首页", "Home";
    home_hero_title: "让数据多跑路，群众少跑腿", "Let data travel, so people don't have to";
    home_hero_lead: "一个入口查找全市政务服务：办事部门、办理地点、联系方式，一次看清。", "One place for the city's government services: which department handles what, where to go and whom to call.";
    home_departments_title: "按部门查找", "Find by department";
    home_departments_lead: "以下部门通过本平台提供政务服务。", "These departments offer their services through this portal.";
    home_departments_all: "查看全部办事部门", "See all departments";
    home_help_title: "需要帮助？", "Need help?";
    home_help_lead: "拨打政务服务热线，或前往政务服务大厅，工作人员将为您提供帮办代办服务。", "Call the service hotline or visit the service hall, where staff can help you apply.";
    home_elder_title: "长者模式", "Elder mode";
    home_elder_lead: "更大的文字、更高的对比度、更简洁的页面。可随时在页面顶部开启或关闭。", "Larger text, higher contrast and a simpler layout. Turn it on or off at the top of any page.";

    // Departments
    departments_title: "办事部门", "Departments";
    departments_lead: "各部门的职责、咨询电话和办公地址。", "What each department is responsible for, with its phone number and address.";
    departments_caption: "办事部门一览", "List of departments";
    departments_col_name: "部门", "Department";
    departments_col_duties: "主要职责", "Responsibilities";
    departments_col_phone: "咨询电话", "Enquiries";
    departments_col_address: "办公地址", "Address";
    departments_empty: "暂无办事部门信息。", "No departments are listed yet.";

    // Search
    search_title: "搜索", "Search";
    search_results_for: "“{}”的搜索结果", "Results for “{}”";
    search_results_count: "找到 {} 条结果", "{} results found";
    search_no_results: "没有找到与“{}”相关的结果。请尝试更短的关键词，或拨打政务服务热线咨询。", "Nothing matched “{}”. Try a shorter keyword, or call the service hotline.";
    search_hint: "例如：公安、社保、市场监管", "For example: police, social security, market regulation";
    search_error_too_long: "搜索内容不能超过 {} 个字", "Search text must be at most {} characters";
    search_error_empty: "请输入要搜索的内容", "Enter what you are looking for";
    search_result_department: "办事部门", "Department";

    // Accessibility statement
    accessibility_title: "无障碍与长者模式", "Accessibility and elder mode";
    accessibility_intro: "本网站按照《信息技术 互联网内容无障碍可访问性技术要求与测试方法》（GB/T 37668-2019）和 WCAG 2.1 AA 级要求设计和测试。", "This site is designed and tested to GB/T 37668-2019 (accessibility of internet content) and WCAG 2.1 level AA.";
    accessibility_keyboard_title: "键盘操作", "Using a keyboard";
    accessibility_keyboard_body: "所有功能都可以只用键盘完成。按 Tab 键在链接和按钮之间移动，当前位置会有明显的焦点框；每页第一个链接可直接跳到主要内容。", "Everything works with a keyboard alone. Tab moves between links and buttons, with a clearly visible focus outline; the first link on every page skips to the main content.";
    accessibility_elder_title: "长者模式", "Elder mode";
    accessibility_elder_body: "长者模式放大文字和按钮、提高颜色对比度，并把页面排成单栏。您的选择保存在本设备上，不需要登录，也不需要开启 JavaScript。", "Elder mode enlarges text and buttons, raises colour contrast and arranges pages in a single column. Your choice is kept on this device; it needs no account and no JavaScript.";
    accessibility_language_title: "语言", "Language";
    accessibility_language_body: "网站提供简体中文和英文两种界面，可在页面顶部切换。", "The site is available in Simplified Chinese and English; switch at the top of any page.";
    accessibility_feedback_title: "反馈问题", "Report a problem";
    accessibility_feedback_body: "如果您在使用中遇到障碍，请拨打政务服务热线告诉我们，我们会尽快改进。", "If anything on this site is hard to use, call the service hotline and tell us; we will fix it.";

    // Errors
    not_found_title: "页面未找到", "Page not found";
    not_found_body: "您访问的页面不存在或已被移除。请检查网址，或从首页、搜索重新查找。", "The page you asked for does not exist or has moved. Check the address, or start again from the home page or search.";
    error_summary_title: "请修改以下问题", "There is a problem";
    error_generic: "出现了问题，请稍后重试。如需帮助请拨打政务服务热线，并提供参考编号。", "Something went wrong. Please try again later. If you need help, call the hotline and quote the reference.";
    error_reference: "参考编号", "Reference";
    back_home: "返回首页", "Back to home";
}
