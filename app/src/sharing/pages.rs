//! The public open-data catalogue: resources departments share without conditions.

use super::{CatalogueEntry, SharingType};
use crate::error::AppError;
use crate::i18n::{fill, use_locale, use_messages};
use crate::ui::when_ready;
use crate::ui::{Notice, NoticeKind, PageHeading};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Unconditionally shared resources (无条件共享): public by definition.
#[server(name = OpenResources, prefix = "/api", endpoint = "open-data/resources", input = GetUrl)]
pub async fn open_resources() -> Result<Vec<CatalogueEntry>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let mut entries = super::server::db::catalogue(&ctx.db, Some(SharingType::Unconditional)).await?;
    // Grants name internal consumers; the public sees what is shared, not the wiring.
    for e in &mut entries {
        e.resource.grants.clear();
    }
    Ok(entries)
}

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let t = use_messages();
    let resources = Resource::new(|| (), |_| open_resources());
    view! {
        <div class="container">
            <PageHeading title=t.open_data_title lead=t.open_data_lead/>
            {when_ready(move || async move {
                match resources.await {
                    Ok(list) if list.is_empty() => {
                        view! { <Notice kind=NoticeKind::Info><p>{t.open_data_empty}</p></Notice> }.into_any()
                    }
                    Ok(list) => view! { <ResourceList entries=list/> }.into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn ResourceList(entries: Vec<CatalogueEntry>) -> impl IntoView {
    let t = use_messages();
    view! {
        <p class="results-count">{fill(t.open_data_count, &[&entries.len().to_string()])}</p>
        <ul class="resource-list">
            {entries
                .into_iter()
                .map(|e| {
                    let r = e.resource;
                    view! {
                        <li class="resource">
                            <ResourceSummary resource=r provider_name=e.provider_name/>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// A resource's name, description and facts (code, provider, sharing type, update frequency,
/// data items): the same on the public and the staff catalogue.
#[component]
pub fn ResourceSummary(resource: super::DataResource, provider_name: crate::site::Bilingual) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let r = resource;
    view! {
        <h2 id=format!("resource-{}", r.code) class="resource__title">{r.name.get(locale).to_owned()}</h2>
        <p>{r.description.get(locale).to_owned()}</p>
        <dl class="facts">
            <div><dt>{t.catalogue_code}</dt><dd><code>{r.code.clone()}</code></dd></div>
            <div><dt>{t.catalogue_provider}</dt><dd>{provider_name.get(locale).to_owned()}</dd></div>
            <div><dt>{t.catalogue_sharing}</dt><dd>{sharing_label(r.sharing, locale)}</dd></div>
            <div><dt>{t.catalogue_frequency}</dt><dd>{r.frequency.get(locale).to_owned()}</dd></div>
            <div>
                <dt>{t.catalogue_fields}</dt>
                <dd>
                    <ul class="inline-list">
                        {r.fields.iter().map(|f| view! { <li>{f.name.get(locale).to_owned()}</li> }).collect_view()}
                    </ul>
                </dd>
            </div>
        </dl>
    }
}

pub fn sharing_label(sharing: SharingType, locale: crate::i18n::Locale) -> &'static str {
    let t = locale.messages();
    match sharing {
        SharingType::Unconditional => t.sharing_unconditional,
        SharingType::Conditional => t.sharing_conditional,
        SharingType::NotShared => t.sharing_not_shared,
    }
}
