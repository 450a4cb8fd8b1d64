//! Parts of a page with nothing to wait for, rendered on the server in one pass.
//!
//! Pages render with `SsrMode::Async`, which collects leptos's HTML stream, and on that path
//! tachys 0.2.19 builds two strings per element, its opening and its closing tag, and copies each
//! into the stream (`HtmlElement::to_html_async_with_buf`); its plain path writes every element
//! straight into one buffer. [`in_one_pass`] renders a part through the plain path, into the
//! stream's own buffer: the same markup, made by leptos with its own escaping, with no string per
//! element. On the catalogue pages that was about a tenth of the portal's own work
//! (BENCHMARKS.md, item 9).
//!
//! Only for a part with nothing to wait for inside (no `ui::when_ready`, no resource read): on
//! the plain path tachys renders a part that is still waiting as nothing. The finished view a
//! waiting part makes once its data has come is such a part, and so is the site's furniture.

use leptos::tachys::html::attribute::{any_attribute::AnyAttribute, Attribute};
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::{add_attr::AddAnyAttr, Position, PositionState, Render, RenderHtml};

/// A view rendered in one pass on the server; see the module's documentation.
pub struct OnePass<V>(V);

/// `view`, rendered on the server in one pass. It must hold nothing that waits.
pub fn in_one_pass<V>(view: V) -> OnePass<V> {
    OnePass(view)
}

impl<V: Render> Render for OnePass<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for OnePass<V> {
    type Output<SomeNewAttr: Attribute> = OnePass<V::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        OnePass(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for OnePass<V> {
    type AsyncOutput = OnePass<V::AsyncOutput>;
    type Owned = OnePass<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        OnePass(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        buf.with_buf(|html| self.0.to_html_with_buf(html, position, escape, mark_branches, extra_attrs))
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate_async(cursor, position).await
    }

    fn into_owned(self) -> Self::Owned {
        OnePass(self.0.into_owned())
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use futures_util::StreamExt;

    use super::*;
    use crate::ui::when_ready;
    use leptos::prelude::*;

    /// A part like a page's: elements, attributes, adjacent texts (which get markers), text that
    /// must be escaped, an optional and a list.
    fn part(name: &'static str) -> impl IntoView {
        view! {
            <section class="panel" aria-labelledby="t"><h2 id="t">{name}" & "{"<b>"}</h2>
                {Some(view! { <p class="lead">"x\"y"</p> })}
                <ul>{(1..4).map(|n| view! { <li><a href=format!("/n/{n}")>{n}</a></li> }).collect_view()}</ul>
            </section>
        }
    }

    async fn streamed(view: impl IntoView + 'static) -> String {
        Owner::new().with(|| view.to_html_stream_in_order()).collect::<String>().await
    }

    /// The same markup as leptos's streaming path makes, in the page's place among waiting parts.
    #[tokio::test]
    async fn a_part_in_one_pass_renders_as_the_stream_does() {
        let plain = streamed(view! { <main>{part("a")}{when_ready(|| async { part("b") })}{part("c")}</main> }).await;
        let one_pass = streamed(view! {
            <main>
                {in_one_pass(part("a"))}
                {when_ready(|| async { in_one_pass(part("b")) })}
                {in_one_pass(part("c"))}
            </main>
        })
        .await;
        assert_eq!(one_pass, plain);
        assert!(plain.contains("<h2 id=\"t\">b<!> &amp; <!>&lt;b&gt;</h2>"), "{plain}");
    }
}
