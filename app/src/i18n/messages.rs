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

    // Statistics
    nav_statistics: "统计数据", "Statistics";
    statistics_title: "统计数据", "Statistics";
    statistics_lead: "本市主要经济指标，数据来自宏观经济基础库。每张图旁的表格列出全部数值。", "The city's main economic indicators, from the macro-economy register. The table beside each chart lists every value.";
    statistics_empty: "暂无统计数据。", "No statistics are available yet.";
    statistics_latest: "{} 年：{} {}", "{}: {} ({})";
    statistics_latest_change: "{} 年：{} {}，比上年 {}%", "{}: {} ({}), {}% on the year before";
    statistics_caption: "{}（单位：{}）", "{} (in {})";
    statistics_chart_title: "{}，{}–{} 年，单位：{}", "{}, {}–{}, in {}";
    statistics_col_period: "年份", "Year";
    statistics_col_value: "数值（{}）", "Value ({})";
    statistics_source: "数据来源", "Source";

    // Open data catalogue
    nav_open_data: "开放数据目录", "Open data";
    open_data_title: "开放数据目录", "Open data catalogue";
    open_data_lead: "各部门无条件共享的数据资源。有条件共享的资源只提供给经授权的办事功能，并逐次记录每一次调用。", "Data resources departments share without conditions. Conditionally shared resources go only to authorised services, and every call is recorded.";
    open_data_empty: "暂无无条件共享的数据资源。", "No resources are shared without conditions yet.";
    open_data_count: "共 {} 项数据资源", "{} data resources";
    catalogue_code: "资源代码", "Resource code";
    catalogue_provider: "提供部门", "Provided by";
    catalogue_sharing: "共享类型", "Sharing";
    catalogue_frequency: "更新周期", "Updated";
    catalogue_fields: "信息项", "Data items";
    sharing_unconditional: "无条件共享", "Shared without conditions";
    sharing_conditional: "有条件共享", "Shared on conditions";
    sharing_not_shared: "不予共享", "Not shared";

    // Place names and addresses
    nav_places: "地名地址查询", "Place and address lookup";
    places_title: "地名地址查询", "Place and address lookup";
    places_lead: "查找区县、街道（乡镇）、社区（村）和重要地点，了解所属区划、代码和位置。", "Find districts, streets, communities and important places, with the areas they belong to, their codes and positions.";
    places_label: "地名或地址", "Place name or address";
    places_hint: "例如：酒泉路、畅家巷社区、图书馆", "For example: 酒泉路, 畅家巷社区, 图书馆";
    places_button: "查询", "Look up";
    places_error_too_long: "查询内容不能超过 {} 个字", "The place name must be at most {} characters";
    places_unavailable_title: "地名地址库暂时无法访问", "The address register cannot be reached right now";
    places_unavailable_body: "这不影响您办事：填写表格时可以直接输入完整地址，无需从列表中选择。您输入的内容已保留，也可以稍后再查询。", "This does not stop you applying: in forms you can type the full address yourself instead of choosing it from a list. What you typed is kept, and you can look it up again later.";
    places_no_results: "没有找到与“{}”相关的地名。请检查用字，或只输入地名中的几个字。", "No place matched “{}”. Check the characters, or type just part of the name.";
    places_col_name: "名称", "Name";
    places_col_kind: "类型", "Type";
    places_col_area: "所属区划", "Area";
    places_col_code: "代码", "Code";
    places_col_position: "位置（纬度, 经度）", "Position (latitude, longitude)";
    places_approximate: "约 {}", "about {}";
    places_coordinates_note: "坐标为 WGS-84（与卫星定位一致）。标有“约”的位置是区域内的一个近似点。", "Coordinates are WGS-84, as used by satellite positioning. Positions marked “about” are an approximate point inside the area.";
    place_kind_district: "区县", "District or county";
    place_kind_street: "街道（乡镇）", "Street office or town";
    place_kind_community: "社区（村）", "Community or village";
    place_kind_named: "地点", "Place";

    // Accounts
    nav_account: "个人中心", "My account";
    register_title: "注册账号", "Create an account";
    register_lead: "注册后可以在线申请办事、查看办理进度，并查看哪些部门调用了您的数据。请填写与居民身份证一致的信息。", "With an account you can apply online, follow your applications and see which departments used your data. Enter your details exactly as on your resident ID card.";
    register_button: "注册", "Create account";
    register_have_account: "已有账号？", "Already registered?";
    field_name: "姓名", "Full name";
    field_name_hint: "与居民身份证上的姓名一致", "As on your resident ID card";
    field_id_number: "居民身份证号码", "Resident ID number";
    field_id_number_hint: "18 位，最后一位可能是 X", "18 characters; the last may be X";
    field_email: "电子邮箱", "Email address";
    field_email_hint: "用于接收确认邮件和找回密码", "For the confirmation mail and for resetting your password";
    field_phone: "手机号码（选填）", "Mobile number (optional)";
    field_phone_hint: "11 位手机号码", "11-digit mainland mobile number";
    field_password: "密码", "Password";
    field_password_hint: "至少 8 位。可以使用空格、汉字，或几个词连在一起；不要使用姓名、生日、手机号等容易被猜到的内容。", "At least 8 characters. Spaces, Chinese characters or several words together are fine; avoid your name, birthday, phone number or anything easy to guess.";
    field_identifier: "电子邮箱或手机号码", "Email address or mobile number";
    login_title: "登录", "Sign in";
    login_lead: "登录后办理业务、查看办件进度。", "Sign in to apply and to follow your applications.";
    login_button: "登录", "Sign in";
    login_no_account: "还没有账号？", "No account yet?";
    login_register_link: "注册账号", "Create an account";
    login_failed: "账号或密码不正确。连续输错 5 次，账号将被锁定 15 分钟。", "The account or password is not right. After 5 wrong attempts the account is locked for 15 minutes.";
    login_throttled: "尝试次数过多，请 15 分钟后再试。", "Too many attempts. Please try again in 15 minutes.";
    logout_button: "退出登录", "Sign out";
    signed_out: "您已安全退出。", "You have signed out.";
    session_expired: "您已超过 30 分钟未操作（或登录已超过 12 小时），为保护您的信息，系统已自动退出。请重新登录。", "You were signed out to protect your information: 30 minutes passed without activity, or 12 hours since you signed in. Please sign in again.";
    sign_in_needed: "请先登录。", "Please sign in first.";
    account_title: "个人中心", "My account";
    account_profile: "基本信息", "Your details";
    account_email_verified: "已确认", "confirmed";
    account_email_unverified: "未确认：请打开我们发给您的邮件中的链接。", "not confirmed yet: open the link in the mail we sent you.";
    account_resend: "重新发送确认邮件", "Send the confirmation mail again";
    account_real_name: "实名认证", "Real-name verification";
    account_real_name_done: "已通过实名认证。", "Your identity has been verified.";
    account_real_name_todo: "尚未实名认证。实名认证会将您的姓名和身份证号与人口基础信息库核对，核对结果会记录在“我的数据使用记录”中。", "Not verified yet. Verification checks your name and ID number against the population register; the check is listed in “Use of my data”.";
    account_real_name_button: "进行实名认证", "Verify my identity";
    account_data_access_link: "我的数据使用记录：哪些部门、为什么查看了我的信息", "Use of my data: who looked at my information, and why";
    account_not_provided: "未填写", "not given";
    done_registered: "注册成功。我们已向您的邮箱发送了确认邮件，请打开邮件中的链接完成确认。", "Your account is ready. We have sent you a mail: open the link in it to confirm your email address.";
    done_email_verified: "电子邮箱已确认。", "Your email address is confirmed.";
    done_real_name_verified: "实名认证已通过。", "Your identity is verified.";
    done_mail_sent: "确认邮件已重新发送。", "The confirmation mail has been sent again.";
    real_name_mismatch: "您填写的姓名与身份证号码在人口基础信息库中不一致。请核对后联系政务服务热线更正。", "The name and ID number you gave do not match the population register. Please check them and call the service hotline to correct them.";
    real_name_not_found: "人口基础信息库中没有找到该身份证号码。如户籍不在本市，请携带身份证到政务服务大厅办理。", "This ID number is not in the population register. If your household is registered elsewhere, bring your ID card to the service hall.";
    real_name_unavailable: "人口基础信息库暂时无法访问，实名认证未完成。您的账号可以正常使用，请稍后再试。", "The population register cannot be reached right now, so verification did not finish. Your account works as usual; please try again later.";
    verify_email_title: "确认电子邮箱", "Confirm your email address";
    verify_email_lead: "点击下面的按钮，确认这是您的电子邮箱。", "Press the button to confirm that this is your email address.";
    verify_email_button: "确认电子邮箱", "Confirm email address";
    token_invalid: "链接无效或已过期（有效期 24 小时，只能使用一次）。请登录后重新发送确认邮件。", "This link is invalid or has expired (it works once, within 24 hours). Sign in and send the confirmation mail again.";
    data_access_title: "我的数据使用记录", "Use of my data";
    data_access_lead: "这里列出每一次有办事功能通过共享接口查询您的个人信息的记录，包括查询的部门、用途、依据和信息项。记录保存至少 6 个月。", "Every time a service used the sharing interfaces to look up your personal information, it is listed here with the provider, the purpose, the legal basis and the data items. Records are kept for at least six months.";
    data_access_caption: "数据使用记录", "Uses of my data";
    data_access_empty: "还没有任何部门查询过您的信息。", "No department has looked up your information yet.";
    data_access_col_time: "时间（北京时间）", "Time (Beijing)";
    data_access_col_resource: "数据资源与提供部门", "Data and provider";
    data_access_col_purpose: "用途", "Purpose";
    data_access_col_basis: "依据", "Basis";
    data_access_col_fields: "信息项", "Data items";
    data_access_col_outcome: "结果", "Outcome";
    basis_statutory: "履行法定职责", "Statutory duty";
    basis_consent: "您的同意", "Your consent";
    basis_open: "公开数据", "Open data";
    outcome_ok: "已提供", "Provided";
    outcome_refused: "已拒绝（超出授权）", "Refused (not authorised)";
    outcome_failed: "未完成", "Not completed";
    field_error_required: "请填写此项", "Enter this";
    field_error_name_invalid: "姓名最多 30 个字，不能包含数字或特殊符号", "Names are at most 30 characters, without digits or special symbols";
    field_error_email_invalid: "请输入正确的电子邮箱，例如 name@example.cn", "Enter an email address like name@example.cn";
    field_error_phone_invalid: "请输入 11 位手机号码", "Enter an 11-digit mobile number";
    field_error_id_length: "身份证号码应为 18 位", "The ID number has 18 characters";
    field_error_id_character: "身份证号码前 17 位是数字，最后一位是数字或 X", "The ID number is 17 digits followed by a digit or X";
    field_error_id_birth_date: "身份证号码中的出生日期不存在，请核对", "The date of birth in this ID number does not exist; check it";
    field_error_id_checksum: "身份证号码校验位不正确，请逐位核对", "The check character does not match; check each character";
    field_error_email_taken: "该电子邮箱已注册。如果是您本人，请直接登录", "This email address is already registered. If it is yours, sign in";
    field_error_phone_taken: "该手机号码已被其他账号使用", "This mobile number is used by another account";
    field_error_id_taken: "该身份证号码已注册账号。如果是您本人，请直接登录", "An account already exists for this ID number. If it is yours, sign in";
    field_error_password_too_short: "密码至少 8 位", "Use at least 8 characters";
    field_error_password_too_long: "密码最多 128 位", "Use at most 128 characters";
    field_error_password_weak: "这个密码太常见或太容易猜到，请换一个更长、更少见的密码", "This password is too common or too easy to guess; choose a longer, less usual one";
    field_error_password_personal: "密码不能包含您的姓名、生日、身份证号、手机号或邮箱", "The password must not contain your name, birthday, ID number, phone or email";

    login_forgot: "忘记密码？", "Forgotten your password?";
    reset_title: "找回密码", "Reset your password";
    reset_lead: "输入注册时使用的电子邮箱，我们会发送一个 30 分钟内有效的重置链接。", "Enter the email address you registered with and we will send a link that works for 30 minutes.";
    reset_button: "发送重置链接", "Send the link";
    reset_sent: "如果该邮箱已注册账号，重置链接已发送，请查收邮件（也请查看垃圾邮件）。", "If an account uses that address, we have sent it a link. Check your mail, including the spam folder.";
    new_password_title: "设置新密码", "Choose a new password";
    new_password_lead: "设置新密码后，所有设备上的登录都会退出。", "After you choose a new password, you are signed out on every device.";
    new_password_button: "保存新密码", "Save the new password";
    reset_token_invalid: "重置链接无效、已使用或已过期（有效期 30 分钟）。请重新申请。", "This reset link is invalid, used or expired (it lasts 30 minutes). Ask for a new one.";
    done_password_reset: "新密码已生效，请登录。", "Your new password is set. Please sign in.";

    account_security: "账号安全", "Account security";
    field_current_password: "当前密码", "Current password";
    field_new_password: "新密码", "New password";
    change_password_button: "修改密码", "Change password";
    field_error_current_password_wrong: "当前密码不正确", "The current password is not right";
    done_password_changed: "密码已修改，其他设备上的登录已退出。", "Your password is changed, and you are signed out on other devices.";
    sign_out_everywhere_button: "在所有设备上退出登录", "Sign out on every device";
    sign_out_everywhere_hint: "如果您在别人的电脑或手机上登录过，可以在这里让所有登录失效。", "If you signed in on someone else's computer or phone, end every sign-in here.";
    done_signed_out_everywhere: "已在所有设备上退出登录。", "You are signed out on every device.";

    account_export_link: "下载我的数据（JSON 文件）", "Download my data (JSON file)";
    account_cancel_title: "注销账号", "Close my account";
    account_cancel_warning: "注销后无法登录，姓名、身份证号、联系方式将被删除；法律要求保存的数据调用记录按期限保存后删除。如需再次使用，可重新注册。", "After closing, the account cannot sign in and your name, ID number and contact details are deleted; records the law requires us to keep are deleted when their period ends. You can register again later.";
    field_cancel_password: "输入密码确认注销", "Enter your password to confirm";
    account_cancel_button: "注销账号", "Close my account";
    done_account_cancelled: "账号已注销。", "Your account is closed.";

    account_entities_title: "企业（法人）办事", "Acting for a business";
    account_entities_lead: "关联您担任法定代表人的企业后，可以为企业在线办事。系统会在法人基础信息库中核对。", "Link a business whose legal representative you are, and you can apply for it online. We check with the legal-entity register.";
    account_entities_need_real_name: "完成实名认证后，才能关联企业。", "Verify your identity first; then you can link a business.";
    account_entities_linked: "已关联的企业", "Linked businesses";
    field_credit_code: "统一社会信用代码", "Unified social credit code";
    field_credit_code_hint: "18 位，见营业执照", "18 characters, on the business licence";
    link_entity_button: "关联企业", "Link the business";
    done_entity_linked: "企业已关联。", "The business is linked.";
    entity_needs_real_name: "请先完成实名认证，再关联企业。", "Verify your identity before linking a business.";
    entity_register_unavailable: "法人基础信息库暂时无法访问，请稍后再试。", "The legal-entity register cannot be reached right now; please try again later.";
    field_error_credit_length: "统一社会信用代码应为 18 位", "The credit code has 18 characters";
    field_error_credit_character: "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）", "The credit code has characters it cannot contain (I, O, Z, S and V are not used)";
    field_error_credit_checksum: "统一社会信用代码校验位不正确，请逐位核对", "The check character does not match; check each character";
    field_error_entity_not_found: "法人基础信息库中没有这个统一社会信用代码", "This credit code is not in the legal-entity register";
    field_error_not_legal_representative: "法人基础信息库登记的法定代表人不是您，不能关联", "The register does not name you as this business's legal representative";
    field_error_entity_inactive: "该企业不是存续状态（已注销、吊销或迁出），不能关联", "This business is not active (deregistered, revoked or moved out)";

    sessions_title: "登录设备", "Where you are signed in";
    sessions_caption: "当前有效的登录", "Active sign-ins";
    sessions_col_started: "登录时间（北京时间）", "Signed in (Beijing)";
    sessions_col_last_used: "最近使用", "Last used";
    sessions_this_device: "本设备", "This device";
    sessions_revoke: "退出此登录", "Sign this out";
    done_session_revoked: "该登录已退出。", "That sign-in has ended.";

    // Staff
    staff_setup_title: "设置工作人员账号", "Set up your staff account";
    staff_setup_lead: "请设置密码，并用手机上的身份验证器应用（如政务 App、Microsoft Authenticator、Google 身份验证器）扫描二维码，然后输入它显示的 6 位验证码。", "Choose a password, scan the QR code with an authenticator app on your phone, then enter the 6-digit code it shows.";
    staff_setup_qr: "用身份验证器扫描此二维码", "Scan this QR code with your authenticator";
    staff_setup_secret: "无法扫描时，在应用中手动输入此密钥", "If you cannot scan, type this key into the app";
    staff_setup_button: "完成设置", "Finish set-up";
    setup_token_invalid: "设置链接无效、已使用或已过期（有效期 24 小时）。请联系系统管理员重新生成。", "This set-up link is invalid, used or expired (it lasts 24 hours). Ask an administrator for a new one.";
    field_username: "用户名", "Username";
    field_totp_code: "验证码", "Authenticator code";
    field_totp_hint: "身份验证器应用中显示的 6 位数字", "The 6 digits shown in your authenticator app";
    field_staff_password_hint: "至少 12 位，包含大写字母、小写字母、数字、符号中的至少三种，不能包含用户名。", "At least 12 characters from at least three of: capitals, small letters, digits, symbols; not containing your username.";
    field_error_totp_invalid: "验证码不正确或已过期，请输入应用中当前显示的 6 位数字", "The code is wrong or has expired; enter the 6 digits the app shows now";
    field_error_staff_password_too_short: "工作人员密码至少 12 位", "Staff passwords have at least 12 characters";
    staff_login_title: "工作人员登录", "Staff sign-in";
    staff_login_lead: "工作人员登录需要密码和身份验证器验证码。", "Staff sign in with a password and an authenticator code.";
    staff_login_failed: "用户名、密码或验证码不正确。连续输错 5 次，账号将被锁定 30 分钟。", "The username, password or code is not right. After 5 wrong attempts the account is locked for 30 minutes.";
    done_setup: "账号设置完成，请登录。", "Your account is set up. Please sign in.";
    staff_home_title: "工作台", "Staff console";
    staff_signed_in_as: "当前用户", "Signed in as";
    staff_role: "角色", "Role";
    role_window_clerk: "窗口受理人员", "Window clerk";
    role_supervisor: "审核负责人", "Supervisor";
    role_system_admin: "系统管理员", "System administrator";
    role_security_admin: "安全管理员", "Security administrator";
    role_audit_admin: "审计管理员", "Audit administrator";
    staff_sign_in_needed: "请使用工作人员账号登录。", "Please sign in with a staff account.";
    staff_forbidden: "您的角色无权查看此页面。", "Your role does not give access to this page.";
    nav_staff_catalogue: "数据共享目录", "Data-sharing catalogue";
    nav_staff_data_calls: "数据调用统计", "Data-call statistics";
    nav_staff_accounts: "工作人员账号", "Staff accounts";
    staff_accounts_title: "工作人员账号", "Staff accounts";
    staff_accounts_lead: "创建工作人员账号并授予角色，停用不再使用的账号。只有安全管理员可以操作（三员分立）。", "Create staff accounts with their roles, and disable accounts no longer in use. Only security administrators can do this (separation of duties).";
    create_staff_title: "新建账号", "New account";
    field_display_name: "姓名", "Name";
    field_role: "角色", "Role";
    field_department: "所属部门（窗口受理人员必填；审核负责人不选部门即负责全市）", "Department (required for window clerks; a supervisor without one oversees the whole city)";
    field_department_none: "（无 / 全市）", "(none / whole city)";
    field_error_department_unknown: "没有这个部门，请从列表中选择", "There is no such department; choose one from the list";
    staff_scope: "办件范围", "Cases handled";
    login_locked: "账号被锁定？用邮件验证码解锁", "Account locked? Unlock it with a code sent by email";
    unlock_title: "解锁账号", "Unlock your account";
    unlock_lead: "连续输错密码 5 次后，账号会被锁定 15 分钟。您可以等待自动解锁，也可以用发送到注册邮箱的验证码立即解锁。", "After 5 wrong passwords an account is locked for 15 minutes. Wait, or unlock it now with a code sent to your registered email address.";
    unlock_step_request: "第一步：获取验证码", "Step 1: get a code";
    unlock_step_code: "第二步：输入验证码", "Step 2: enter the code";
    unlock_send_button: "发送验证码", "Send code";
    unlock_button: "解锁", "Unlock";
    unlock_code_sent: "如果该邮箱对应的账号处于锁定状态，验证码已经发出，10 分钟内有效。请查收邮件。", "If this address belongs to a locked account, a code is on its way; it works for 10 minutes. Check your email.";
    field_unlock_code: "验证码", "Code";
    field_unlock_code_hint: "邮件中的 6 位数字", "The 6 digits in the email";
    field_error_code_format: "验证码是 6 位数字", "The code is 6 digits";
    field_error_unlock_code_invalid: "验证码不正确或已失效（10 分钟内有效，最多尝试 5 次）。请重新获取。", "The code is wrong or no longer valid (it lasts 10 minutes and allows 5 tries). Ask for a new one.";
    done_unlocked: "账号已解锁，请登录。", "Your account is unlocked. Please sign in.";
    account_contact_link: "更改电子邮箱或手机号", "Change email address or phone number";
    contact_title: "更改联系方式", "Change contact details";
    contact_lead: "电子邮箱用于登录和接收通知；手机号可用于登录。", "Your email address is for signing in and for messages; your phone number can also be used to sign in.";
    contact_reauth_lead: "为保护您的账号，请先输入密码确认是您本人。确认后 5 分钟内可以修改。", "To protect your account, confirm it is you with your password first. You then have 5 minutes to make changes.";
    contact_reauth_button: "确认", "Confirm";
    contact_current: "当前", "Now";
    field_new_email: "新的电子邮箱", "New email address";
    field_new_email_hint: "我们会向新邮箱发送验证码，输入验证码后才会更改。", "We send a code to the new address; it changes only when you enter the code.";
    contact_send_code_button: "发送验证码", "Send code";
    contact_code_sent: "验证码已发送到新邮箱，10 分钟内有效。", "A code has been sent to the new address; it works for 10 minutes.";
    field_email_code: "新邮箱收到的验证码", "Code from the new address";
    field_email_code_hint: "6 位数字", "6 digits";
    contact_confirm_email_button: "确认更改邮箱", "Confirm new email address";
    field_new_phone: "新的手机号", "New phone number";
    field_new_phone_hint: "11 位手机号；留空表示删除手机号", "11-digit mobile number; leave empty to remove it";
    contact_phone_button: "保存手机号", "Save phone number";
    field_error_email_code_invalid: "验证码不正确或已失效，请重新发送", "The code is wrong or no longer valid; send a new one";
    reauth_needed: "为保护您的账号，请先输入密码确认（确认后 5 分钟内有效）。", "To protect your account, confirm your password first (it lasts 5 minutes).";
    code_recently_sent: "验证码刚刚发出，请 1 分钟后再试。", "A code was sent a moment ago; try again in a minute.";
    done_email_changed: "电子邮箱已更改。我们已通知原邮箱。", "Your email address is changed. We told your previous address.";
    done_phone_changed: "手机号已更新。", "Your phone number is updated.";
    back_to_account: "返回个人中心", "Back to your account";
    session_warning: "您已有一段时间没有操作。为保护您的信息，{} 分钟后将自动退出登录。", "You have been inactive for a while. To protect your information, you will be signed out in {} minutes.";
    session_stay_button: "保持登录", "Stay signed in";
    session_ended: "您已因长时间未操作而自动退出登录。如果刚才填写了内容，提交时会为您保留。", "You have been signed out after a period of inactivity. If you were filling in a form, what you typed is kept when you send it.";
    session_expired_kept: "您刚才提交的内容已保留，重新登录后会自动填回原页面。", "What you were sending has been kept: after you sign in, it is filled in again on the page you were on.";
    kept_after_sign_in: "这是您在自动退出前填写的内容，请检查后重新提交。", "These are the answers you gave before you were signed out. Check them and send again.";
    staff_scope_city: "全市", "Whole city";
    staff_password_title: "修改密码", "Change password";
    staff_password_expired: "您的密码已使用超过 90 天，请先设置新密码再继续工作。", "Your password is more than 90 days old. Choose a new one before you continue.";
    field_staff_new_password_hint: "至少 12 位，包含大写字母、小写字母、数字、符号中的至少三种，不能包含用户名，不能与最近 5 次使用过的密码相同。", "At least 12 characters from at least three of: capitals, small letters, digits, symbols; not containing your username, and none of your last 5 passwords.";
    field_error_password_reused: "不能使用最近 5 次用过的密码", "You cannot use any of your last 5 passwords";
    nav_staff_security_log: "工作人员安全日志", "Staff security log";
    staff_security_log_lead: "工作人员登录、账号设置、密码修改和账号管理的记录（最近 200 条）。记录只能追加，任何人都不能修改或删除。", "Staff sign-ins, account set-up, password changes and account administration (the latest 200). The log can only be appended to; nobody can change or delete it.";
    staff_col_event: "事件", "Event";
    staff_col_result: "结果", "Result";
    staff_col_actor: "操作人", "Done by";
    staff_col_address: "来源地址", "Address";
    staff_col_detail: "说明", "Detail";
    result_success: "成功", "Succeeded";
    result_refused: "失败", "Failed";
    staff_event_sign_in: "登录", "Sign-in";
    staff_event_setup: "账号设置", "Account set-up";
    staff_event_password_change: "修改密码", "Password change";
    staff_event_account_created: "创建账号", "Account created";
    staff_event_account_disabled: "停用账号", "Account disabled";
    staff_event_disabled_unused: "长期未使用，自动停用", "Disabled after long disuse";
    staff_event_log_exported: "导出安全日志", "Security log exported";
    staff_security_log_export: "导出全部日志（JSON）", "Export the whole log (JSON)";
    create_staff_button: "创建账号", "Create account";
    staff_created: "已创建账号 {}。请把下面的一次性设置链接交给本人：24 小时内有效，只在这里显示一次。", "Account {} is created. Give the person this one-time set-up link: it works for 24 hours and is shown only here.";
    staff_col_username: "用户名", "Username";
    staff_col_department: "部门", "Department";
    staff_col_status: "状态", "Status";
    staff_col_action: "操作", "Action";
    staff_status_pending: "待设置", "Awaiting set-up";
    staff_status_active: "正常", "Active";
    staff_status_disabled: "已停用", "Disabled";
    disable_button: "停用", "Disable";
    done_staff_disabled: "账号已停用，其登录已全部退出。", "The account is disabled and signed out everywhere.";
    staff_cannot_disable_self: "不能停用自己的账号。", "You cannot disable your own account.";
    field_error_username_invalid: "用户名为 3–32 位小写字母、数字或 . _ -，以字母开头", "Usernames are 3–32 lower-case letters, digits, '.', '_' or '-', starting with a letter";
    field_error_username_taken: "该用户名已被使用", "This username is taken";
    field_error_department_required: "窗口受理人员必须选择所属部门", "Window clerks need a department";
    staff_catalogue_title: "数据共享目录", "Data-sharing catalogue";
    staff_catalogue_lead: "全部数据资源及其授权：哪个办事功能可以获得哪些信息项、用途和依据。", "Every data resource and its grants: which service may receive which data items, for what purpose, on what basis.";
    staff_grants: "授权", "Grants";
    staff_no_grants: "无授权", "No grants";
    grant_consumer: "使用方（办事功能）", "Consumer (service)";
    grant_purpose: "用途", "Purpose";
    grant_basis: "依据", "Basis";
    grant_fields: "可获得的信息项", "Data items granted";
    data_calls_title: "数据调用统计", "Data-call statistics";
    data_calls_lead: "最近 30 天各数据资源、各使用方的调用量、失败、拒绝和响应时间（第 95 百分位）。", "Calls in the last 30 days per data resource and consumer: volume, failures, refusals and 95th-percentile response time.";
    data_calls_caption: "最近 30 天数据调用", "Data calls, last 30 days";
    data_calls_chart: "各数据资源调用量", "Calls per data resource";
    data_calls_col_resource: "数据资源", "Data resource";
    data_calls_col_consumer: "使用方", "Consumer";
    data_calls_col_calls: "调用次数", "Calls";
    data_calls_col_errors: "失败", "Failed";
    data_calls_col_refused: "拒绝", "Refused";
    data_calls_col_p95: "P95 响应时间（毫秒）", "p95 latency (ms)";
    data_calls_empty: "最近 30 天没有数据调用。", "No data calls in the last 30 days.";

    // Errors
    error_unavailable: "该信息由其他部门的系统提供，暂时无法获取。请稍后再试；办事时可以直接填写相关内容。", "This information comes from another department's system, which cannot be reached right now. Please try again later; when applying, you can type the details yourself.";
    not_found_title: "页面未找到", "Page not found";
    not_found_body: "您访问的页面不存在或已被移除。请检查网址，或从首页、搜索重新查找。", "The page you asked for does not exist or has moved. Check the address, or start again from the home page or search.";
    error_summary_title: "请修改以下问题", "There is a problem";
    error_generic: "出现了问题，请稍后重试。如需帮助请拨打政务服务热线，并提供参考编号。", "Something went wrong. Please try again later. If you need help, call the hotline and quote the reference.";
    error_reference: "参考编号", "Reference";
    back_home: "返回首页", "Back to home";
}
