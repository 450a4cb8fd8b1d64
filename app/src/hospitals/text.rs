//! The hospitals feature's own message table (zh-CN first, then English).

use super::contract::{HospitalKind, Title};

crate::i18n::message_table! {
    Text, ZH_CN, EN;

    list_title: "预约挂号", "Book a hospital appointment";
    list_lead: "选择医院、科室和医生，查看每个时段剩余的号源。号源由各医院的预约挂号平台实时提供。", "Choose a hospital, a department and a doctor and see how many numbers are left in each time slot. The numbers come live from the hospitals' booking platform.";
    rules_title: "放号规则", "Release rules";
    rules_window: "可预约今天起 {} 天内的号源，每天 {} 放出新一天的号源。", "You can book up to {} days ahead; each day's numbers are released at {} the day before they come into the window.";
    rules_limits: "同一就诊人同一科室同一天限约 {} 个号，每周最多 {} 个号。", "One patient may book {} number(s) per department per day and at most {} per week.";
    rules_cancel: "就诊前 {} 小时内不能取消。", "Bookings cannot be cancelled in the {} hours before the appointment.";
    rules_holidays: "法定节假日停诊；调休工作日按周一的出诊安排。", "No clinics on public holidays; a make-up working day (调休) follows Monday's clinic hours.";
    from_label: "您所在的区县（用于计算距离）", "Your district (to work out distances)";
    from_none: "不计算距离", "Do not work out distances";
    from_button: "按距离排序", "Sort by distance";
    col_hospital: "医院", "Hospital";
    col_kind: "类别", "Type";
    col_address: "地址", "Address";
    col_phone: "电话", "Phone";
    col_distance: "距离与方向", "Distance and direction";
    kind_city: "综合医院", "General hospital";
    kind_community: "社区卫生服务中心", "Community health centre";
    distance: "距{}中心约 {} 公里，在其{}方", "From the centre of {}: about {} km, to the {}";
    distance_unknown: "选择区县后显示", "Choose your district to see it";
    places_unavailable: "暂时无法读取区县位置，距离未计算；医院地址照常列出。", "District positions cannot be read right now, so no distances are shown; every hospital's address is still listed.";
    dir_n: "北", "north";
    dir_ne: "东北", "north-east";
    dir_e: "东", "east";
    dir_se: "东南", "south-east";
    dir_s: "南", "south";
    dir_sw: "西南", "south-west";
    dir_w: "西", "west";
    dir_nw: "西北", "north-west";
    unavailable_title: "预约挂号平台暂时无法访问", "The booking platform is not answering";
    unavailable_body: "请稍后刷新本页再试。您选择的医院、科室和医生都保留在本页地址中。", "Please reload this page in a little while. The hospital, department and doctor you chose are kept in this page's address.";
    hospital_lead: "{}，{}。电话：{}", "{}, {}. Phone: {}";
    departments_title: "科室", "Departments";
    back_to_hospitals: "返回医院列表", "Back to the hospitals";
    back_to_hospital: "返回{}", "Back to {}";
    back_to_department: "返回{}", "Back to {}";
    doctors_title: "医生", "Doctors";
    col_doctor: "医生", "Doctor";
    col_title: "职称", "Title";
    col_fee: "挂号费", "Fee";
    col_specialty: "擅长", "Good at";
    col_hours: "出诊时间", "Clinic hours";
    col_next: "最早可约", "Next available";
    no_free_slot: "近期无余号", "No numbers left soon";
    next_title: "最早可约", "Next available";
    next_none: "本科室在可预约的日期内已无余号。", "This department has no numbers left in the days that can be booked.";
    next_slot: "{} {} {}–{}，{}（{}），余号 {}", "{} {} {}–{}, {} ({}), {} left";
    by_title_title: "按职称预约（不指定医生）", "Book by title (any doctor)";
    by_title_lead: "只看某一职称的全部医生的号源：", "See the numbers of every doctor with one title:";
    by_title_heading: "{}：全部医生的号源", "{}: numbers of every doctor";
    all_titles: "全部职称", "All titles";
    fee: "{} 元", "CNY {}";
    profile_title: "医生简介", "About the doctor";
    slots_title: "号源", "Numbers";
    slots_caption: "{} 的号源（余号 / 总数）", "Numbers on {} (left / total)";
    col_time: "时段", "Time";
    col_remaining: "余号", "Left";
    col_status: "状态", "Status";
    remaining_of: "{} / {}", "{} of {}";
    status_free: "可预约", "Open";
    status_full: "已约满", "Full";
    status_closed: "已停止预约", "Closed";
    no_slots: "可预约的日期内没有出诊。", "No clinics in the days that can be booked.";
    doctor_not_found: "没有找到这位医生。", "That doctor was not found.";
    weekday_1: "周一", "Mon";
    weekday_2: "周二", "Tue";
    weekday_3: "周三", "Wed";
    weekday_4: "周四", "Thu";
    weekday_5: "周五", "Fri";
    weekday_6: "周六", "Sat";
    weekday_7: "周日", "Sun";
    hours_entry: "{} {}–{}", "{} {}–{}";
    title_chief: "主任医师", "Chief physician";
    title_associate_chief: "副主任医师", "Associate chief physician";
    title_attending: "主治医师", "Attending physician";
    title_resident: "住院医师", "Resident physician";
}

/// This request's table.
pub fn use_text() -> &'static Text {
    Text::of(crate::i18n::use_locale())
}

impl Text {
    pub fn title(&self, title: Title) -> &'static str {
        match title {
            Title::Chief => self.title_chief,
            Title::AssociateChief => self.title_associate_chief,
            Title::Attending => self.title_attending,
            Title::Resident => self.title_resident,
        }
    }

    pub fn kind(&self, kind: HospitalKind) -> &'static str {
        match kind {
            HospitalKind::CityHospital => self.kind_city,
            HospitalKind::CommunityCentre => self.kind_community,
        }
    }

    /// 1 = Monday.
    pub fn weekday(&self, n: u8) -> &'static str {
        [self.weekday_1, self.weekday_2, self.weekday_3, self.weekday_4, self.weekday_5, self.weekday_6, self.weekday_7]
            [usize::from(n.clamp(1, 7) - 1)]
    }

    /// The compass point of a bearing in degrees (0 = north, clockwise).
    pub fn direction(&self, bearing: f64) -> &'static str {
        let points =
            [self.dir_n, self.dir_ne, self.dir_e, self.dir_se, self.dir_s, self.dir_sw, self.dir_w, self.dir_nw];
        points[((bearing.rem_euclid(360.0) + 22.5) / 45.0) as usize % 8]
    }
}
