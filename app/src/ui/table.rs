use leptos::prelude::*;

/// A data table with a caption and column headers; wide tables scroll within their own box on
/// phones instead of widening the page. The rows come from the caller.
#[component]
pub fn DataTable(#[prop(into)] caption: String, headers: Vec<&'static str>, children: Children) -> impl IntoView {
    let label = caption.clone();
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            <table class="data-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
