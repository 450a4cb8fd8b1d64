use super::{list_departments, Department};
use crate::i18n::{use_locale, use_messages, Locale};
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, Notice, NoticeKind, PageHeading, TableRow};
use leptos::prelude::*;

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let t = use_messages();
    view! {
        <div class="container">
            <PageHeading title=t.departments_title lead=t.departments_lead/>
            {when_ready(move || async move {
                match list_departments().await {
                    Ok(list) => view! { <DepartmentTable departments=list/> }.into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn DepartmentTable(departments: std::sync::Arc<Vec<Department>>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    if departments.is_empty() {
        return view! { <Notice kind=NoticeKind::Info><p>{t.departments_empty}</p></Notice> }.into_any();
    }
    view! {
        <DataTable
            caption=t.departments_caption
            headers=vec![t.departments_col_name, t.departments_col_duties, t.departments_col_phone, t.departments_col_address]
            rows=departments.iter().map(|d| department_row(d, locale)).collect()
        />
    }
    .into_any()
}

fn department_row(d: &Department, locale: Locale) -> TableRow {
    row([
        cell(d.name.get(locale).to_owned()),
        cell(d.duties.get(locale).to_owned()),
        cell(view! { <a href=format!("tel:{}", d.phone)>{d.phone.clone()}</a> }),
        cell(d.address.get(locale).to_owned()),
    ])
    .id(format!("department-{}", d.code))
}
