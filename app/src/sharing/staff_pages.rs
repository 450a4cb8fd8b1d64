//! Staff views of shared data: the whole catalogue with its grants (any staff member), and call
//! statistics per resource and consumer (audit administrators only: 三员分立).

use super::{Basis, CallStats, CatalogueEntry, ResourceSummary};
use crate::accounts::StaffAccessNotice;
use crate::error::AppError;
use crate::i18n::{use_locale, use_messages, Locale};
use crate::statistics::{Chart, ChartKind};
use crate::ui::when_ready;
use crate::ui::{cell, row, DataTable, Notice, NoticeKind, PageHeading};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[server(name = StaffCatalogue, prefix = "/api", endpoint = "staff/catalogue", input = GetUrl)]
pub async fn staff_catalogue() -> Result<Vec<CatalogueEntry>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    crate::accounts::server::auth::staff().await.map_err(crate::platform::fail)?;
    Ok(super::server::db::catalogue(&ctx.db, None).await?)
}

/// Call statistics for the last 30 days, with each resource's name.
#[server(name = DataCallStats, prefix = "/api", endpoint = "staff/data-calls", input = GetUrl)]
pub async fn data_call_stats() -> Result<(Vec<CallStats>, Vec<CatalogueEntry>), AppError> {
    use crate::accounts::StaffRole;
    let ctx = crate::platform::AppContext::current()?;
    crate::accounts::server::auth::staff_with_role(&[StaffRole::AuditAdmin]).await.map_err(crate::platform::fail)?;
    let since = ctx.clock.now() - 30 * 86_400;
    let stats = super::server::audit::call_stats(&ctx.db, since).await?;
    Ok((stats, super::server::db::catalogue(&ctx.db, None).await?))
}

fn basis_label(basis: Basis, locale: Locale) -> &'static str {
    let t = locale.messages();
    match basis {
        Basis::Statutory => t.basis_statutory,
        Basis::Consent => t.basis_consent,
        Basis::Open => t.basis_open,
    }
}

#[component]
pub fn StaffCataloguePage() -> impl IntoView {
    let t = use_messages();
    let entries = Resource::new(|| (), |_| staff_catalogue());
    view! {
        <div class="container">
            <PageHeading title=t.staff_catalogue_title lead=t.staff_catalogue_lead/>
            {when_ready(move || async move {
                match entries.await {
                    Ok(list) => view! { <FullCatalogue entries=list/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn FullCatalogue(entries: Vec<CatalogueEntry>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    view! {
        <ul class="resource-list">
            {entries
                .into_iter()
                .map(|e| {
                    let r = e.resource;
                    let field_name = |key: &str| {
                        r.fields.iter().find(|f| f.key == key).map(|f| f.name.get(locale).to_owned()).unwrap_or_else(|| key.to_owned())
                    };
                    let grants = r
                        .grants
                        .iter()
                        .map(|g| {
                            row([
                                cell(view! { <code>{g.consumer.clone()}</code> }),
                                cell(g.purpose.get(locale).to_owned()),
                                cell(view! { {basis_label(g.basis, locale)}<br/>{g.legal_basis.get(locale).to_owned()} }),
                                cell(locale.join_list(&g.fields.iter().map(|k| field_name(k)).collect::<Vec<_>>())),
                            ])
                        })
                        .collect::<Vec<_>>();
                    let has_grants = !r.grants.is_empty();
                    let caption = format!("{}：{}", r.name.get(locale), t.staff_grants);
                    view! {
                        <li class="resource">
                            <ResourceSummary resource=r.clone() provider_name=e.provider_name.clone()/>
                            {if has_grants {
                                view! {
                                    <DataTable
                                        caption=caption
                                        headers=vec![t.grant_consumer, t.grant_purpose, t.grant_basis, t.grant_fields]
                                        rows=grants
                                    />
                                }
                                .into_any()
                            } else {
                                view! { <p>{t.staff_no_grants}</p> }.into_any()
                            }}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn DataCallsPage() -> impl IntoView {
    let t = use_messages();
    let stats = Resource::new(|| (), |_| data_call_stats());
    view! {
        <div class="container">
            <PageHeading title=t.data_calls_title lead=t.data_calls_lead/>
            {when_ready(move || async move {
                match stats.await {
                    Ok((list, _)) if list.is_empty() => {
                        view! { <Notice kind=NoticeKind::Info><p>{t.data_calls_empty}</p></Notice> }.into_any()
                    }
                    Ok((list, catalogue)) => view! { <CallTable stats=list catalogue/><crate::accounts::SessionKeeper staff=true/> }.into_any(),
                    Err(err) => view! { <StaffAccessNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn CallTable(stats: Vec<CallStats>, catalogue: Vec<CatalogueEntry>) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let names: std::collections::HashMap<String, String> =
        catalogue.iter().map(|e| (e.resource.code.clone(), e.resource.name.get(locale).to_owned())).collect();
    let name_of = move |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_owned());
    // Calls per resource, for the chart.
    let mut per_resource: Vec<(String, f64)> = Vec::new();
    for s in &stats {
        match per_resource.iter_mut().find(|(code, _)| *code == s.resource_code) {
            Some((_, calls)) => *calls += s.calls as f64,
            None => per_resource.push((s.resource_code.clone(), s.calls as f64)),
        }
    }
    let description = locale
        .join_list(&per_resource.iter().map(|(code, calls)| format!("{} {calls}", name_of(code))).collect::<Vec<_>>());
    view! {
        <figure class="figure">
            <figcaption class="figure__caption"><span class="figure__title">{t.data_calls_chart}</span></figcaption>
            <Chart points=per_resource kind=ChartKind::Bars id="calls" title=t.data_calls_chart description/>
        </figure>
        <DataTable
            caption=t.data_calls_caption
            headers=vec![
                t.data_calls_col_resource,
                t.data_calls_col_consumer,
                t.data_calls_col_calls,
                t.data_calls_col_errors,
                t.data_calls_col_refused,
                t.data_calls_col_p95,
            ]
            rows=stats
                .iter()
                .map(|s| row([
                    cell(view! { {name_of(&s.resource_code)}" "<code>{s.resource_code.clone()}</code> }),
                    cell(view! { <code>{s.consumer.clone()}</code> }),
                    cell(s.calls).class("numeric"),
                    cell(s.errors).class("numeric"),
                    cell(s.refused).class("numeric"),
                    cell(s.p95_latency_ms).class("numeric"),
                ]))
                .collect()
        />
    }
}
