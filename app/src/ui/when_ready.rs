//! Page parts that wait for their data.

use std::future::Future;

use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;

/// The view `part` makes once the data it awaits has come: every page part that waits for a
/// resource goes through here.
///
/// Not `<Suspense>`: pages render only on the server (islands mode), and there leptos 0.8's
/// `<Suspense>` runs its children three times per request, twice looking for resources and once
/// to render, so each waiting part was built over again and its lookups repeated. A bare
/// `Suspend` runs once.
///
/// A part awaits its data itself: `when_ready(move || async move { list_departments().await … })`.
/// A `Resource` read in a part costs a spawned task and a reactive memo, signal and derived value
/// for data read once (pages render only on the server); on the guide page that was about a
/// tenth of the page's time (BENCHMARKS.md). Pages written before this still load through a
/// `Resource`, which is correct, only slower.
///
/// Parts wait one after another, in page order, each when the page's rendering reaches it. So a
/// part must not wait for a value that a later part has begun to load: a page whose parts share a
/// request-cached value (`platform::request_cache`, the department list) awaits it in one part,
/// or the first part never finishes and the request times out (408).
///
/// Each run gets an owner of its own, for two reasons:
/// - a `Suspend` that has to wait registers a notifier as a context value on the current owner;
///   two waiting at once under one owner (the header's account link and the page itself)
///   replace each other's, and the replaced one renders nothing;
/// - the closure runs when the page is rendered, which for a part inside another part is after
///   the outer part's data has come, where no owner is current. So the owner hangs from the one
///   the calling component ran under, which keeps it (and the resources the part makes) alive as
///   long as the page: an owner nobody holds is disposed with everything it made, while a part
///   nested in it may still read it.
pub fn when_ready<Part, Ready, V>(part: Part) -> impl IntoView
where
    Part: Fn() -> Ready + Send + Sync + 'static,
    Ready: Future<Output = V> + Send + 'static,
    V: IntoView + 'static,
{
    let parent = Owner::current();
    move || {
        let owner = match &parent {
            Some(parent) => {
                let owner = parent.child();
                let kept = owner.clone();
                parent.with(|| on_cleanup(move || drop(kept)));
                owner
            }
            None => Owner::new(),
        };
        let view = owner.with(|| Suspend::new(part()));
        OwnedView::new_with_owner(view, owner)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    /// Data that is not there on the first look, as a database answer never is, and takes a
    /// moment to come.
    async fn arrives_later(text: &'static str) -> &'static str {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        text
    }

    /// Parts waiting at the same time (the header's account link and the page's own part) each
    /// render their own data, in their places.
    #[tokio::test]
    async fn parts_waiting_at_the_same_time_all_render() {
        let owner = Owner::new();
        let html: String = owner
            .with(|| {
                view! {
                    <p>{when_ready(|| async { arrives_later("first").await })}</p>
                    <p>{when_ready(|| async { arrives_later("second").await })}</p>
                    <p>{when_ready(|| async { arrives_later("third").await })}</p>
                }
                .to_html_stream_in_order()
            })
            .collect()
            .await;
        for part in ["first", "second", "third"] {
            assert!(html.contains(&format!("<p>{part}</p>")), "{part} is missing from {html}");
        }
    }

    /// A part inside a part inside a part (a page part within a page part, the page itself being
    /// one): the middle one makes a value once its data has come, and the innermost reads it
    /// after waiting too. The middle part's owner once died with its wait, taking the value along
    /// (the case page's document list, a 500).
    #[tokio::test]
    async fn a_nested_part_reads_what_its_outer_part_made() {
        let owner = Owner::new();
        let html: String = owner
            .with(|| {
                view! {
                    <div>{when_ready(|| async {
                        arrives_later("").await;
                        view! {
                            <section>{when_ready(|| async {
                                let made = StoredValue::new(arrives_later("made by the middle part").await);
                                view! { <p>{when_ready(move || async move {
                                    arrives_later("").await;
                                    made.get_value()
                                })}</p> }
                            })}</section>
                        }
                    })}</div>
                }
                .to_html_stream_in_order()
            })
            .collect()
            .await;
        assert!(html.contains("<p>made by the middle part"), "{html}");
    }

    /// Each part's code runs once per render, where `<Suspense>` ran it three times.
    #[tokio::test]
    async fn a_part_runs_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let runs = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&runs);
        let owner = Owner::new();
        let html: String = owner
            .with(|| {
                view! {
                    <p>{when_ready(move || {
                        counted.fetch_add(1, Ordering::SeqCst);
                        async { arrives_later("ready").await }
                    })}</p>
                }
                .to_html_stream_in_order()
            })
            .collect()
            .await;
        assert!(html.contains("ready"), "{html}");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }
}
