//! Hospital appointment pages over the demo booking platform: hospitals with distances,
//! departments, doctors with fees, hours and the next free numbers, a doctor's numbers per slot.

use crate::on_both_backends;
use crate::support::body_text;

/// The first link in `html` whose address starts with `prefix`.
fn first_link(html: &str, prefix: &str) -> String {
    let at = html.find(&format!("href=\"{prefix}")).unwrap_or_else(|| panic!("a link to {prefix}…"));
    let rest = &html[at + 6..];
    rest[..rest.find('"').expect("closing quote")].to_owned()
}

on_both_backends!(hospitals_are_listed_with_address_and_distance_without_javascript, |app| {
    let res = app.get("/hospitals").await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert_eq!(html.matches("id=\"hospital-").count(), 8, "every demo hospital has a row");
    assert!(html.contains("城关区人民医院") && html.contains("社区卫生服务中心"), "{html}");
    assert!(html.contains("甘肃省兰州市城关区"), "addresses are listed");
    assert!(html.contains("每天 15:00 放出"), "the release rule is published");
    assert!(html.contains("选择区县后显示"), "no distance before a district is chosen");

    let html = body_text(app.get("/hospitals?from=620102").await).await;
    assert_eq!(html.matches("距城关区中心约").count(), 8, "each hospital has its distance and direction");
    let first = html.find("id=\"hospital-").expect("a row");
    assert!(html[first..].starts_with("id=\"hospital-H01\""), "the nearest hospital comes first");

    let html = body_text(app.get_with_cookie("/hospitals?from=620102", "onestop_lang=en").await).await;
    assert!(html.contains("From the centre of 城关区: about"), "English page");
});

on_both_backends!(a_department_shows_doctors_fees_hours_and_the_next_free_number, |app| {
    let html = body_text(app.get("/hospitals/H01").await).await;
    assert!(html.contains("<h3>内科</h3>") && html.contains("呼吸内科"), "departments under their categories");
    let department = first_link(&html, "/hospitals/H01/departments/");
    let res = app.get(&department).await;
    assert_eq!(res.status(), 200);
    let html = body_text(res).await;
    assert_eq!(html.matches("id=\"doctor-").count(), 4, "four doctors, one per title");
    for text in ["主任医师", "50 元", "住院医师", "10 元", "周", "最早可约"] {
        assert!(html.contains(text), "{text} missing");
    }
    let by_title = body_text(app.get(&format!("{department}?title=chief")).await).await;
    assert!(by_title.contains("主任医师：全部医生的号源"), "any doctor of one title");

    let doctor = first_link(&html, &format!("{department}/doctors/"));
    let html = body_text(app.get(&doctor).await).await;
    assert!(html.contains("医生简介") && html.contains("出诊时间"), "profile and hours");
    assert!(html.contains("id=\"slot-") || html.contains("可预约的日期内没有出诊"), "slots or none");
});

on_both_backends!(unknown_hospitals_departments_and_doctors_are_not_found, |app| {
    for path in
        ["/hospitals/NOPE", "/hospitals/H01/departments/NOPE", "/hospitals/H01/departments/H01-D01/doctors/NOPE"]
    {
        let res = app.get(path).await;
        assert_eq!(res.status(), 404, "{path}");
    }
});
