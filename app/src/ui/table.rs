use leptos::either::Either;
use leptos::prelude::*;

/// One cell of a [`DataTable`] row, in column order.
pub struct TableCell {
    content: AnyView,
    class: Option<&'static str>,
    lang: Option<&'static str>,
}

/// A cell showing `content`.
pub fn cell(content: impl IntoAny) -> TableCell {
    TableCell { content: content.into_any(), class: None, lang: None }
}

impl TableCell {
    /// A class for the cell (`numeric`, `actions`, …).
    pub fn class(mut self, class: &'static str) -> TableCell {
        self.class = Some(class);
        self
    }

    /// The language of the cell's content when it differs from the page's (WCAG 3.1.2).
    pub fn lang(mut self, lang: &'static str) -> TableCell {
        self.lang = Some(lang);
        self
    }
}

/// One row of a [`DataTable`]: its cells, one per column.
pub struct TableRow {
    id: Option<String>,
    cells: Vec<TableCell>,
}

/// A row of `cells`, one per column header.
pub fn row(cells: impl IntoIterator<Item = TableCell>) -> TableRow {
    TableRow { id: None, cells: cells.into_iter().collect() }
}

impl TableRow {
    /// An id for the row, so that a link can point at it.
    pub fn id(mut self, id: String) -> TableRow {
        self.id = Some(id);
        self
    }
}

/// A data table with a caption and column headers. On wide screens it is an ordinary table
/// (scrolling within its own box if it must); on phones each row becomes a card in which every
/// value carries its column's name, taken here from `headers` so labels and columns cannot
/// drift apart (`data-label`, shown by the stylesheet).
///
/// The explicit table roles keep the table a table for screen readers when the stylesheet
/// changes its display to stack the rows (some browsers drop table semantics otherwise).
#[component]
pub fn DataTable(
    #[prop(into)] caption: String,
    headers: Vec<&'static str>,
    rows: Vec<TableRow>,
    /// Which column names the row (a row header, `<th scope="row">`); the first unless said.
    #[prop(optional)]
    row_header: usize,
) -> impl IntoView {
    let label = caption.clone();
    let body = rows
        .into_iter()
        .map(|r| {
            let cells = r
                .cells
                .into_iter()
                .enumerate()
                .map(|(column, c)| {
                    let data_label = headers.get(column).copied().unwrap_or_default();
                    if column == row_header {
                        Either::Left(view! {
                            <th scope="row" role="rowheader" class=c.class lang=c.lang>{c.content}</th>
                        })
                    } else {
                        Either::Right(view! {
                            <td role="cell" data-label=data_label class=c.class lang=c.lang>{c.content}</td>
                        })
                    }
                })
                .collect_view();
            view! { <tr role="row" id=r.id>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-label=label tabindex="0">
            <table class="data-table data-table--stack" role="table">
                <caption>{caption}</caption>
                <thead role="rowgroup">
                    <tr role="row">
                        {headers.iter().map(|h| view! { <th scope="col" role="columnheader">{*h}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody role="rowgroup">{body}</tbody>
            </table>
        </div>
    }
}
