//! The bus feature's own message table (zh-CN first, then English).

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    home_title: "实时公交", "Real-time buses";
    home_lead: "查找站点，看下一班车还有几站、约几分钟到。时间由公交公司的实时数据提供；数据中断时按时刻表显示。", "Find a stop and see how many stops and about how many minutes away the next buses are. Times come live from the bus company; when its live data stops, the timetable is shown.";
    search_label: "站名或线路号", "Stop name or line number";
    search_hint: "例如“东岗”或“1路”", "For example 东岗 or 1";
    search_button: "查找站点", "Find stops";
    query_empty: "请输入站名或线路号。", "Enter a stop name or a line number.";
    query_too_long: "最多输入 40 个字，请只输入站名或线路号。", "Enter at most 40 characters: just a stop name or a line number.";
    query_no_letters: "请输入文字或数字，不能只有标点符号。", "Enter letters or numbers, not only punctuation.";
    errors_title: "请修改以下问题", "Please correct the following";
    results_title: "查找结果", "Search results";
    results_none: "没有找到站点。可以换个说法，或输入线路号。", "No stops found. Try other words, or a line number.";
    nearby_title: "附近站点", "Stops nearby";
    nearby_label: "您在哪个区县或地点附近", "The district or place you are near";
    nearby_none: "请选择", "Choose one";
    nearby_button: "查看附近站点", "Show stops nearby";
    nearby_from: "{}附近的站点", "Stops near {}";
    near_label: "或输入地址", "Or type an address";
    near_hint: "街道、社区或地名，例如“酒泉路”", "A street, community or place name";
    near_button: "按地址查找", "Find by address";
    near_unknown: "没有找到这个地址。请换一种写法，例如只写街道或社区的名字。", "That address was not found. Try another way of writing it, such as just the street or community name.";
    near_others: "您是不是要找：", "Did you mean:";
    places_unavailable: "暂时无法读取区县和地点位置，请用站名或线路号查找。", "District and place positions cannot be read right now; please search by stop name or line number.";
    metres: "约 {} 米", "about {} m";
    lines_at: "途经：{}", "Lines: {}";
    line_name: "{}路", "Line {}";
    lines_title: "全部线路", "All lines";
    favourites_title: "我收藏的站点", "My saved stops";
    favourites_none: "还没有收藏站点。在站点页面点“收藏本站”即可。", "No saved stops yet. Use “Save this stop” on a stop's page.";
    remove_button: "取消收藏{}", "Remove {}";
    save_button: "收藏本站", "Save this stop";
    saved_notice: "已收藏本站。", "This stop is saved.";
    removed_notice: "已取消收藏。", "The stop was removed from your saved stops.";
    saved_already: "本站已在您的收藏中。", "This stop is in your saved stops.";
    sign_in_to_save: "登录后可收藏本站", "Sign in to save this stop";
    too_many: "最多收藏 20 个站点，请先取消一些。", "You can save at most 20 stops; remove some first.";
    form_generic: "没有完成，请刷新页面后重试。", "That did not work; please reload the page and try again.";
    no_timetable_title: "公交数据暂时无法访问", "Bus data is not available";
    no_timetable_body: "公交公司的时刻表暂时无法读取，请稍后再试。", "The bus company's timetable cannot be read right now; please try again later.";
    back_to_bus: "返回实时公交", "Back to real-time buses";
    arrivals_title: "即将到站", "Next buses";
    arrivals_caption: "{}的下一班车", "Next buses at {}";
    arrivals_none: "未来两小时内没有车次。", "No buses in the next two hours.";
    col_line: "线路", "Line";
    col_towards: "开往", "Towards";
    col_when: "到站", "Arrives";
    col_kind: "来源", "Source";
    live: "实时", "Real-time";
    scheduled: "计划", "Scheduled";
    due: "即将进站", "Due now";
    minutes: "约 {} 分钟（{}）", "about {} min ({})";
    stops_away: "还有 {} 站", "{} stops away";
    at_stop: "已到站", "At the stop";
    feed_live: "实时数据 {} 秒前更新。", "Live data updated {} s ago.";
    feed_stale_title: "实时数据已中断，以下为计划时间", "Live data has stopped: times below are from the timetable";
    feed_stale: "公交公司的实时数据已有 {} 分钟没有更新，以下时间按时刻表计算，车辆可能提前或晚到。", "The bus company's live data has not been updated for {} min, so the times below are worked out from the timetable; buses may come earlier or later.";
    feed_down: "暂时收不到公交公司的实时数据，以下时间按时刻表计算。", "No live data is coming from the bus company right now, so the times below are from the timetable.";
    refresh: "刷新", "Refresh";
    auto_refresh_on: "本页每 30 秒自动刷新。", "This page refreshes itself every 30 seconds.";
    auto_refresh_stop: "停止自动刷新", "Stop refreshing";
    auto_refresh_start: "每 30 秒自动刷新", "Refresh every 30 seconds";
    live_running: "本页每 30 秒自动更新到站时间。", "Arrival times on this page update every 30 seconds.";
    live_paused: "自动更新已暂停。", "Updates are paused.";
    live_pause: "暂停更新", "Pause updates";
    live_resume: "继续更新", "Resume updates";
    alerts_title: "公交公告", "Service notices";
    line_title: "{}路", "Line {}";
    direction_title: "开往{}", "Towards {}";
    first_last: "首班 {}，末班 {}", "First bus {}, last bus {}";
    no_service_today: "今天不运营。", "No service today.";
    headway: "约每 {} 分钟一班", "About every {} min";
    headway_range: "约每 {}–{} 分钟一班", "About every {}–{} min";
    strip_caption: "{}方向的站点（按顺序）", "Stops towards {} (in order)";
    bus_at: "{} 辆车在站", "{} bus(es) at this stop";
    bus_approaching: "{} 辆车正驶向本站", "{} bus(es) on the way to this stop";
    vehicles_not_live: "实时数据中断，车辆位置暂不显示。", "Live data has stopped, so bus positions are not shown.";
}

/// This request's table.
pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}
