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
    map_label: "医院分布图", "Map of the hospitals";
    map_caption: "图中编号与下表医院编号一致，点击编号可查看医院。", "The numbers on the map are the hospitals' numbers in the table below; select one to open the hospital.";
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
    book_link: "预约", "Book";
    book_title: "预约挂号", "Book this appointment";
    book_summary: "预约信息", "The appointment";
    col_hospital_short: "医院", "Hospital";
    col_department: "科室", "Department";
    col_patient: "就诊人", "Patient";
    patient_self: "本人（{}）", "Yourself ({})";
    patient_member: "{}（与户主关系：{}）", "{} (relation to the head of household: {})";
    patient_member_short: "家人 {}", "Household member {}";
    patient_hint: "可以为本人或户籍同户的家庭成员预约。预约数量限制按每位就诊人分别计算。", "You can book for yourself or for a member of your registered household. The booking limits count for each patient separately.";
    household_button: "为家庭成员预约（读取户籍中的家庭成员）", "Book for a household member (read my household from the register)";
    household_hint: "点击即表示您同意本平台从人口库读取您户籍中的同户成员（姓名、身份证号、与户主关系），仅用于选择和核对就诊人，每次读取都会记录。", "By pressing this you agree to the portal reading the members of your registered household (names, ID numbers, relation to the head) from the population register, only to choose and check the patient; every reading is recorded.";
    household_none: "户籍中没有其他同户成员。", "There is no one else in your registered household.";
    household_unavailable: "暂时无法读取户籍中的家庭成员，可以先为本人预约。", "Your household cannot be read right now; you can still book for yourself.";
    notice_member: "为家庭成员预约时，您代其同意按上述方式处理其健康信息。", "When booking for a household member, you agree on their behalf to their health information being used in this way.";
    error_patient_unknown: "所选的人不在您的户籍同户成员中，请重新选择就诊人", "The person chosen is not a member of your registered household; choose the patient again";
    relation_head: "户主", "head";
    relation_spouse: "配偶", "spouse";
    relation_son: "子", "son";
    relation_daughter: "女", "daughter";
    relation_father: "父亲", "father";
    relation_mother: "母亲", "mother";
    notice_title: "健康信息处理告知", "How your health information is used";
    notice_body: "预约挂号会把您的就诊信息（就诊医院、科室、医生、时间）交给医院预约挂号平台，并在本平台保留预约记录。就诊信息属于敏感个人信息。平台只向医院提供您的姓名（部分隐去）和由身份证号计算的不可逆标识，不提供身份证号本身。每次交换都会记录，您可以在“我的数据使用记录”中查看。", "Booking passes your visit (hospital, department, doctor, time) to the hospitals' booking platform and keeps the booking on this portal. Health information is sensitive personal information. The hospital receives your name (partly hidden) and an irreversible reference computed from your ID number, never the number itself. Every exchange is recorded; you can see it under \"use of my data\".";
    notice_agree: "我已阅读以上告知，同意为本次预约处理我的健康信息", "I have read this and agree to my health information being used for this booking";
    book_button: "确认预约", "Confirm the booking";
    needs_real_name: "预约挂号实行实名制，请先完成实名认证。", "Bookings are in your real name: please verify your real name first.";
    verify_link: "去实名认证", "Verify your real name";
    sign_in_to_book: "登录后即可预约。", "Sign in to book.";
    slot_gone: "这个时段已不能预约。", "This time slot can no longer be booked.";
    error_notice_required: "请阅读告知并勾选同意后再预约", "Read the notice and tick that you agree before booking";
    error_full: "这个时段的号刚刚被约满了。以下是离它最近的可约时段：", "The last number in this slot has just been taken. These are the nearest slots with numbers left:";
    error_full_none: "这个时段的号刚刚被约满了，该医生近期已无余号，可以查看本科室其他医生。", "The last number in this slot has just been taken and this doctor has no numbers left soon; try another doctor of the department.";
    error_not_open: "这个时段已不在可预约的时间内。", "This slot is no longer open for booking.";
    error_department_day: "同一就诊人同一天在同一科室只能预约一个号。", "A patient can book only one number per department per day.";
    error_weekly: "同一就诊人每周最多预约 {} 个号，本周已约满。", "A patient can book at most {} numbers a week; this week's are used.";
    error_banned: "因多次爽约，暂停预约至 {}。", "Because of missed appointments, booking is suspended until {}.";
    error_unavailable: "预约挂号平台暂时无法访问，预约没有完成。您的选择已保留，请稍后再点“确认预约”。", "The booking platform is not answering, so nothing was booked. Your choices are kept: press \"Confirm the booking\" again in a little while.";
    error_generic: "出现了问题，预约没有完成，请稍后再试。", "Something went wrong and nothing was booked. Please try again later.";
    error_cannot_cancel: "这个预约不能再取消（已过取消截止时间或已取消）。", "This booking can no longer be cancelled (past the cut-off, or already cancelled).";
    confirmation_title: "预约成功", "Booked";
    booking_title: "预约详情", "Booking";
    identifier_label: "识别码", "Booking code";
    sequence_label: "就诊序号", "Queue number";
    qr_label: "到院后出示此二维码或识别码取号：{}", "Show this QR code or the booking code at the hospital: {}";
    status_label: "状态", "Status";
    status_booked: "已预约", "Booked";
    status_cancelled: "已取消", "Cancelled";
    status_noshow: "已爽约", "Missed";
    status_arrived: "已到院", "Arrived";
    standing_title: "爽约提醒", "Missed appointments";
    standing_counted: "{}已爽约 {} 次（{} 天内）。再爽约 {} 次将暂停预约 {} 天。", "{} has missed {} appointment(s) in {} days. {} more and booking is suspended for {} days.";
    standing_banned: "{}因多次爽约，暂停预约至 {}。", "Because of missed appointments, booking for {} is suspended until {}.";
    standing_rule: "预约后未在就诊时段结束前到院取号即为爽约。{} 天内爽约 {} 次，暂停预约 {} 天。不能就诊时请在就诊前 {} 小时以上取消。", "A booking is missed when the patient has not arrived by the end of its time slot. Within {} days, {} missed appointments suspend booking for {} days. If you cannot come, cancel at least {} hours before.";
    status_fulfilled: "已就诊", "Attended";
    cancel_button: "取消预约", "Cancel the booking";
    cancelled_notice: "预约已取消，号源已退回。", "The booking is cancelled and its number has gone back to the pool.";
    booked_notice: "预约成功，确认邮件已发送到您的邮箱。", "Booked. A confirmation has been sent to your email address.";
    my_bookings_title: "我的预约", "My bookings";
    my_bookings_empty: "您还没有预约。", "You have no bookings.";
    col_when: "就诊时间", "When";
    col_code: "识别码", "Code";
    mail_subject: "预约挂号成功：{} {}", "Appointment booked: {} {}";
    mail_body: "您已预约：\n医院：{}\n科室：{}\n医生：{}\n时间：{}\n就诊人：{}\n识别码：{}\n就诊序号：{}\n挂号费：{}\n\n查看二维码或取消预约：{}\n", "You have booked:\nHospital: {}\nDepartment: {}\nDoctor: {}\nTime: {}\nPatient: {}\nBooking code: {}\nQueue number: {}\nFee: {}\n\nSee the QR code or cancel: {}\n";
    waitlist_title: "排队候补", "Waiting list";
    waitlist_lead: "{} 的号已全部约满。排队候补后，一旦有人取消，号源会按排队顺序为您保留 {} 分钟，并发邮件通知您确认。", "Every number on {} is taken. Join the waiting list: when someone cancels, a number is held for you in turn for {} minutes and you are told by email to confirm it.";
    waitlist_button: "排队候补", "Join the waitlist";
    waitlist_sign_in: "登录并完成实名认证后可以排队候补。", "Sign in with a verified real name to join the waiting list.";
    waitlist_joined: "已加入候补队列。", "You are on the waiting list.";
    waitlist_already: "您已在这一天的候补队列中。", "You are already on the waiting list for that day.";
    waitlist_left: "已退出候补。", "You have left the waiting list.";
    error_not_full: "这一天还有余号，不需要候补，请直接预约。", "There are still numbers left that day: book one instead of waiting.";
    error_waitlist_not_open: "这一天已不在可预约的时间内，不能候补。", "That day is no longer open for booking, so you cannot wait for it.";
    error_already_waiting_other: "这位就诊人已经通过其他账号排队候补这一天。", "This patient is already waiting for that day through another account.";
    error_offer_gone: "这个候补已不存在或保留时间已过。", "This waiting-list entry no longer exists, or the held number has lapsed.";
    my_waitlist_title: "我的候补", "My waiting list";
    col_waitlist_status: "候补状态", "Waiting-list status";
    col_actions: "操作", "Actions";
    waitlist_position: "排队中，第 {} 位", "Waiting, number {} in the queue";
    waitlist_offered: "已为您保留 {}，请在 {} 前确认", "{} is held for you: confirm by {}";
    accept_button: "确认预约保留的号", "Book the held number";
    decline_button: "放弃", "Decline";
    leave_button: "退出候补", "Leave the waiting list";
    offer_mail_subject: "号源候补成功，请在 {} 前确认", "A number is held for you: confirm by {}";
    offer_mail_body: "您候补的号源已为您保留：\n医院：{}\n科室：{}\n医生：{}\n时间：{}\n就诊人：{}\n\n请在 {} 前登录确认预约，逾期号源将转给下一位候补：{}\n", "A number you were waiting for is held for you:\nHospital: {}\nDepartment: {}\nDoctor: {}\nTime: {}\nPatient: {}\n\nSign in and confirm the booking before {}; after that the number goes to the next person waiting: {}\n";
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

    pub fn relation(&self, relation: crate::registers::contract::Relation) -> &'static str {
        use crate::registers::contract::Relation;
        match relation {
            Relation::Head => self.relation_head,
            Relation::Spouse => self.relation_spouse,
            Relation::Son => self.relation_son,
            Relation::Daughter => self.relation_daughter,
            Relation::Father => self.relation_father,
            Relation::Mother => self.relation_mother,
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
