//! Public statistics (统计数据): a few macro-economic indicators from the economy register,
//! drawn as server-rendered SVG charts with the numbers in a table beside each chart.

pub mod chart;

use crate::error::AppError;
use crate::i18n::{fill, use_locale, use_messages, Locale};
use crate::registers::contract::IndicatorSeries;
use crate::ui::when_ready;
use crate::ui::{Notice, NoticeKind, PageHeading};
pub use chart::ChartKind;
use chart::{format_number, geometry, HEIGHT, WIDTH};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The indicators the page shows, with how each is drawn.
const SHOWN: [(&str, ChartKind); 4] = [
    ("gdp", ChartKind::Bars),
    ("resident_population", ChartKind::Bars),
    ("fiscal_revenue", ChartKind::Bars),
    ("cpi", ChartKind::Line),
];

/// Open data: anyone may read it, and every read is still audited like any register call.
#[server(name = PublicIndicators, prefix = "/api", endpoint = "statistics/indicators", input = GetUrl)]
pub async fn public_indicators() -> Result<Vec<IndicatorSeries>, AppError> {
    let ctx = crate::platform::AppContext::current()?;
    let codes: Vec<String> = SHOWN.iter().map(|(code, _)| (*code).to_owned()).collect();
    let caller = crate::sharing::server::Caller::for_request("statistics.public", "public");
    ctx.shared.indicators(&caller, &codes).await.map_err(|e| crate::platform::fail(e.into()))
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let t = use_messages();
    let series = Resource::new(|| (), |_| public_indicators());
    view! {
        <div class="container">
            <PageHeading title=t.statistics_title lead=t.statistics_lead/>
            {when_ready(move || async move {
                match series.await {
                    Ok(list) => view! { <Indicators series=list/> }.into_any(),
                    Err(err) => view! { <crate::ui::ErrorNotice error=err/> }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn Indicators(series: Vec<IndicatorSeries>) -> impl IntoView {
    let t = use_messages();
    if series.is_empty() {
        return view! { <Notice kind=NoticeKind::Info><p>{t.statistics_empty}</p></Notice> }.into_any();
    }
    let charts = SHOWN
        .iter()
        .filter_map(|(code, kind)| series.iter().find(|s| s.code == *code).map(|s| (s.clone(), *kind)))
        .map(|(s, kind)| view! { <IndicatorFigure series=s kind/> })
        .collect_view();
    view! { <div class="figures">{charts}</div> }.into_any()
}

/// The latest value and its change on the period before, as a sentence.
fn summary(s: &IndicatorSeries, locale: Locale) -> Option<String> {
    let t = locale.messages();
    let last = s.points.last()?;
    let unit = s.unit.get(locale);
    let change = s.points.iter().rev().nth(1).filter(|p| p.value != 0.0).map(|p| (last.value / p.value - 1.0) * 100.0);
    Some(match change {
        Some(c) => fill(
            t.statistics_latest_change,
            &[&last.period, &format_number(last.value), unit, &format!("{}{:.1}", if c >= 0.0 { "+" } else { "" }, c)],
        ),
        None => fill(t.statistics_latest, &[&last.period, &format_number(last.value), unit]),
    })
}

/// A server-rendered SVG chart: bars from zero or a line, with axis ticks and period labels,
/// named for assistive technology by its title and description (`{id}-title`, `{id}-desc`).
/// Pages put the numbers in a table beside it.
#[component]
pub fn Chart(
    points: Vec<(String, f64)>,
    kind: ChartKind,
    #[prop(into)] id: String,
    #[prop(into)] title: String,
    #[prop(into)] description: String,
) -> impl IntoView {
    let g = geometry(&points, kind);
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            role="img"
            aria-labelledby=labelled_by
            focusable="false"
        >
            <title id=title_id>{title}</title>
            <desc id=desc_id>{description}</desc>
            {g.ticks.iter().map(|tick| view! {
                <g class="chart__tick">
                    <line x1=g.plot_left x2=g.plot_right y1=tick.y y2=tick.y/>
                    <text x=g.plot_left - 6.0 y=tick.y + 4.0 text-anchor="end">{tick.label.clone()}</text>
                </g>
            }).collect_view()}
            {(kind == ChartKind::Bars).then(|| g.marks.iter().map(|m| view! {
                <rect class="chart__bar" x=m.x y=m.y width=m.width height=m.height/>
            }).collect_view())}
            {(kind == ChartKind::Line).then(|| view! { <polyline class="chart__line" points=g.line.clone()/> })}
            {(kind == ChartKind::Line).then(|| g.marks.iter().map(|m| view! {
                <circle class="chart__dot" cx=m.centre cy=m.y r="4"/>
            }).collect_view())}
            <line class="chart__axis" x1=g.plot_left x2=g.plot_right y1=g.baseline y2=g.baseline/>
            {g.marks.iter().filter(|m| m.labelled).map(|m| view! {
                <text class="chart__label" x=m.centre y=g.baseline + 22.0 text-anchor="middle">{m.label.clone()}</text>
            }).collect_view()}
        </svg>
    }
}

#[component]
fn IndicatorFigure(series: IndicatorSeries, kind: ChartKind) -> impl IntoView {
    let t = use_messages();
    let locale = use_locale();
    let name = series.name.get(locale).to_owned();
    let unit = series.unit.get(locale).to_owned();
    let points: Vec<(String, f64)> = series.points.iter().map(|p| (p.period.clone(), p.value)).collect();
    let first = points.first().map(|p| p.0.clone()).unwrap_or_default();
    let last = points.last().map(|p| p.0.clone()).unwrap_or_default();
    let title = fill(t.statistics_chart_title, &[&name, &first, &last, &unit]);
    let latest = summary(&series, locale).unwrap_or_default();
    let caption = fill(t.statistics_caption, &[&name, &unit]);
    let source = series.source.get(locale).to_owned();
    view! {
        <figure class="figure" aria-labelledby=format!("figure-{}", series.code)>
            <figcaption id=format!("figure-{}", series.code) class="figure__caption">
                <span class="figure__title">{name.clone()}</span>
                <span class="figure__latest">{latest.clone()}</span>
            </figcaption>
            <div class="figure__body">
                <Chart points=points.clone() kind id=format!("chart-{}", series.code) title description=latest.clone()/>
                <div class="table-scroll figure__table" role="region" aria-label=caption.clone() tabindex="0">
                    <table class="data-table data-table--compact">
                        <caption>{caption.clone()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.statistics_col_period}</th>
                                <th scope="col" class="numeric">{fill(t.statistics_col_value, &[&unit])}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {points.iter().rev().map(|(period, value)| view! {
                                <tr>
                                    <th scope="row">{period.clone()}</th>
                                    <td class="numeric">{format_number(*value)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </div>
            <p class="figure__source">{t.statistics_source}": "{source}</p>
        </figure>
    }
}

crate::page_routes!(StatisticsRoutes {
    "/statistics" => StatisticsPage,
});
