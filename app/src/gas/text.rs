//! The gas feature's own message table (zh-CN first, then English).

use super::contract::{GasClass, ReadingSource};

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    title: "燃气缴费与用气", "Household gas";
    lead: "绑定您家的燃气户号，查看账单、欠费、阶梯用气进度和每月用气量，自报抄表读数。数据由燃气公司实时提供。", "Bind your household's gas account to see its bills, what is owed, this year's progress through the price tiers and the gas used each month, and to report meter readings. The gas company supplies the data live.";
    demo_prices: "本演示中的气价为演示数值，不是本市实际气价。", "The prices in this demonstration are made-up values, not the city's actual gas prices.";
    sign_in: "登录后即可查看和绑定燃气户号。", "Sign in to see and bind gas accounts.";
    needs_real_name: "绑定燃气户号需要先完成实名认证。", "Binding a gas account needs your real name verified first.";
    verify_link: "去实名认证", "Verify your real name";
    my_accounts: "我的燃气户号", "My gas accounts";
    no_accounts: "您还没有绑定燃气户号。", "You have not bound a gas account yet.";
    col_account: "户号", "Account";
    col_address: "用气地址", "Address";
    col_class: "用气类型", "Type";
    col_balance: "余额 / 欠费", "Balance / owed";
    class_cooking: "居民炊事", "Cooking and hot water";
    class_heating: "居民采暖", "Heating";
    balance: "余额 {} 元", "Credit CNY {}";
    owed: "欠费 {} 元", "Owed CNY {}";
    unavailable_accounts: "燃气公司暂时没有答复以下户号，请稍后刷新：{}", "The gas company is not answering for these accounts just now; reload in a little while: {}";
    bind_title: "绑定燃气户号", "Bind a gas account";
    bind_notice: "绑定时，平台会把您填写的户号和户主姓名交给燃气公司核对；绑定后，平台会向燃气公司读取该户号的账单和用气量。每次交换都会记录，您可以在“我的数据使用记录”中查看。", "To bind, the portal passes the account number and holder's name you give to the gas company to check; once bound, it reads the account's bills and use from the company. Every exchange is recorded; you can see it under \"use of my data\".";
    bind_by_number: "按户号和户主姓名绑定", "By account number and holder's name";
    account_no_label: "燃气户号", "Gas account number";
    account_no_hint: "10 位数字，印在燃气账单和燃气卡上", "10 digits, printed on the gas bill and the gas card";
    holder_label: "户主姓名", "Account holder's name";
    holder_hint: "在燃气公司登记的户主姓名", "The holder's name as registered with the gas company";
    bind_button: "绑定", "Bind";
    bind_household: "绑定我家户籍地址上的燃气户号", "Bind the account at my household's registered address";
    bind_household_lead: "平台按您在人口库中的户籍地址向燃气公司查找该地址上的户号。", "The portal looks up the accounts at your household-registration address (from the population register) with the gas company.";
    bind_household_button: "查找并绑定", "Find and bind";
    error_required_account: "请填写燃气户号", "Enter the gas account number";
    error_required_holder: "请填写户主姓名", "Enter the account holder's name";
    error_no_match: "户号与户主姓名不匹配，未能绑定。请核对燃气账单上的户号和登记的户主姓名。", "The account number and holder's name do not match, so nothing was bound. Check the account number on the gas bill and the holder's registered name.";
    error_none_at_address: "在您的户籍地址上没有找到燃气户号。可以按户号和户主姓名绑定。", "No gas account was found at your household address. You can bind one by number and holder's name.";
    error_throttled: "绑定尝试次数过多，请一小时后再试。", "Too many binding attempts. Please try again in an hour.";
    error_unavailable: "燃气公司暂时无法访问，未能完成。您填写的内容已保留，请稍后再试。", "The gas company is not answering, so nothing was done. What you typed is kept; please try again later.";
    error_generic: "出现了问题，未能完成，请稍后再试。", "Something went wrong and nothing was done. Please try again later.";
    bound_notice: "已绑定燃气户号。", "The gas account is bound.";
    unbound_notice: "已解除绑定。", "The gas account is unbound.";
    reported_notice: "读数已提交，将用于下一期账单。", "The reading is in and will be used for the next bill.";
    back: "返回我的燃气户号", "Back to my gas accounts";
    account_title: "燃气户号 {}", "Gas account {}";
    summary_holder: "户主", "Holder";
    summary_meter: "表号", "Meter";
    summary_people: "登记人口", "People registered";
    amount_due: "应缴金额", "Amount due";
    nothing_due: "无欠费", "Nothing owed";
    latest_bill: "最新账单", "Latest bill";
    period: "{} 至 {}", "{} to {}";
    due_on: "缴费截止日 {}", "Due by {}";
    paid_on: "已于 {} 缴清", "Paid on {}";
    unpaid: "未缴", "Unpaid";
    ladder_title: "本阶梯年度用气进度", "This tier year's progress";
    ladder_text: "{} 起本年度已用气 {} 立方米，目前处于第 {} 档。", "Since {}, {} m³ used this tier year: tier {} now.";
    ladder_to_next: "再用 {} 立方米进入第 {} 档。", "{} m³ more until tier {}.";
    ladder_projection: "按近一年的用气速度，预计 {} 前后进入下一档。", "At the past year's rate of use, the next tier is likely reached around {}.";
    ladder_no_projection: "按近一年的用气速度，本年度（至 {}）预计不会进入下一档。", "At the past year's rate of use, the next tier is not expected this tier year (to {}).";
    ladder_last: "已处于最高档。", "This is the highest tier.";
    ladder_bar: "本年度已用 {} 立方米，第 {} 档", "{} m³ used this year, tier {}";
    col_tier: "档位", "Tier";
    col_range: "年用气量（立方米）", "Yearly use (m³)";
    col_price: "单价（元/立方米）", "Price (CNY per m³)";
    tier_n: "第 {} 档", "Tier {}";
    range_to: "{} – {}", "{} – {}";
    range_over: "{} 以上", "over {}";
    bills_title: "历史账单", "Bills";
    col_period: "账期", "Period";
    col_readings: "起止读数（立方米）", "Readings (m³)";
    col_volume: "用气量（立方米）", "Used (m³)";
    col_amount: "金额（元）", "Amount (CNY)";
    col_status: "缴费状态", "Payment";
    col_lines: "计费明细", "Priced lines";
    line: "{} 至 {}：第 {} 档 {} 立方米 × {} 元 = {} 元", "{} to {}: tier {}, {} m³ × CNY {} = CNY {}";
    source_inspector: "人工抄表", "Read by the inspector";
    source_self: "自报读数", "Self-reported";
    source_remote: "远传", "Remote reading";
    source_estimated: "估抄", "Estimated";
    download_pdf: "下载账单（PDF）", "Download the bill (PDF)";
    usage_title: "每月用气量", "Gas used each month";
    usage_chart: "每月用气量（立方米），{} 至 {}", "Gas used each month (m³), {} to {}";
    usage_caption: "每月用气量（按账期开始月份，立方米）", "Gas used each month (by the period's first month, m³)";
    col_month: "月份", "Month";
    yoy_title: "同比", "This year against last year";
    yoy_caption: "{} 年与 {} 年各月用气量（立方米）", "Gas used each month in {} and {} (m³)";
    col_change: "变化", "Change";
    col_this_year: "今年", "This year";
    col_last_year: "去年", "Last year";
    owed_amount: "{} 元", "CNY {}";
    no_data: "—", "—";
    reading_title: "自报抄表读数", "Report a meter reading";
    reading_lead: "上次读数 {} 立方米（{}）。自报读数用于下一期账单。", "The last reading was {} m³ ({}). A reported reading is used for the next bill.";
    reading_pending: "已提交的读数：{} 立方米（{}）", "Reading already reported: {} m³ ({})";
    reading_label: "当前读数（立方米）", "Meter reading now (m³)";
    reading_hint: "表盘上的数字，最多三位小数，例如 1234.567", "The figures on the meter, up to three decimals, e.g. 1234.567";
    read_on_label: "抄表日期", "Day read";
    read_on_hint: "格式 2026-12-04", "As 2026-12-04";
    reading_button: "提交读数", "Submit the reading";
    unbind_button: "解除绑定", "Unbind this account";
    error_reading_format: "请按立方米填写读数，最多三位小数", "Enter the reading in m³, with at most three decimals";
    error_day_format: "请按 2026-12-04 的格式填写日期", "Enter the day as 2026-12-04";
    error_below_last: "读数低于上次抄表读数 {} 立方米，请核对表盘", "The reading is below the last one ({} m³); check the meter";
    error_implausible: "读数比上次多出的用气量超出一户可能的用量，请核对表盘", "That is more gas since the last reading than a household could use; check the meter";
    error_bad_day: "抄表日期须在上次抄表之后、且不晚于今天", "The day must be after the last reading and not later than today";
    not_found: "没有找到这个燃气户号，或者它没有绑定在您的账户下。", "That gas account was not found, or it is not bound to your account.";
    unavailable_title: "燃气公司暂时无法访问", "The gas company is not answering";
    unavailable_body: "请稍后刷新本页再试。", "Please reload this page in a little while.";
    pdf_title: "燃气账单", "Gas bill";
    pdf_company: "供气单位", "Gas company";
    pdf_page: "第 {} 页，共 {} 页", "Page {} of {}";
}

/// This request's table.
pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

impl Text {
    pub fn class(&self, class: GasClass) -> &'static str {
        match class {
            GasClass::Cooking => self.class_cooking,
            GasClass::Heating => self.class_heating,
        }
    }

    pub fn source(&self, source: ReadingSource) -> &'static str {
        match source {
            ReadingSource::Inspector => self.source_inspector,
            ReadingSource::SelfReported => self.source_self,
            ReadingSource::Remote => self.source_remote,
            ReadingSource::Estimated => self.source_estimated,
        }
    }
}

/// Litres as m³ with up to three decimals (1234500 → "1234.5").
pub fn m3(litres: i64) -> String {
    let sign = if litres < 0 { "-" } else { "" };
    let (whole, part) = (litres.abs() / 1000, litres.abs() % 1000);
    if part == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{}", format!("{part:03}").trim_end_matches('0'))
    }
}

/// Fen as yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// Ten-thousandths of a yuan as yuan with two to four decimals.
pub fn unit_price(price: i64) -> String {
    let text = format!("{}.{:04}", price / 10_000, price % 10_000);
    let trimmed = text.trim_end_matches('0');
    if trimmed.len() < text.len() - 2 {
        format!("{}.{:02}", price / 10_000, (price % 10_000) / 100)
    } else {
        trimmed.to_owned()
    }
}

/// "1234.567" → litres; `None` for anything else (negative, more than three decimals, text).
pub fn parse_m3(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, part) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || whole.len() > 9
        || part.len() > 3
        || !whole.bytes().chain(part.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(whole.parse::<i64>().ok()? * 1000 + format!("{part:0<3}").parse::<i64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_written_exactly() {
        assert_eq!(m3(1_234_500), "1234.5");
        assert_eq!(m3(2_000), "2");
        assert_eq!(yuan(-1_205), "-12.05");
        assert_eq!(unit_price(26_400), "2.64");
        assert_eq!(unit_price(26_450), "2.645");
        assert_eq!(unit_price(30_000), "3.00");
        assert_eq!(parse_m3("1234.567"), Some(1_234_567));
        assert_eq!(parse_m3(" 12.5 "), Some(12_500));
        for bad in ["", "-1", "1.2345", "1e3", "１２"] {
            assert_eq!(parse_m3(bad), None, "{bad}");
        }
    }
}
