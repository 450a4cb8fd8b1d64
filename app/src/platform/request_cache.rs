//! Values loaded at most once per request and shared by every part of the page that needs them,
//! so two sections showing the same list do not each query for it.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Provided for each request (page, form post or server function) by the server's page context.
/// One value per type: wrap a value in a type of its own to keep it apart from others.
#[derive(Clone, Default)]
pub struct RequestCache(Arc<Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>>);

impl RequestCache {
    /// The request's value of type `T`, as [`RequestCache::load`] gives it; outside a request
    /// (no cache in the context), `load` simply runs.
    pub async fn get_or_load<T, E, F>(load: impl FnOnce() -> F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        match leptos::prelude::use_context::<RequestCache>() {
            Some(cache) => cache.load(load).await,
            None => load().await,
        }
    }

    /// The value of type `T`: loaded by the first caller, shared with every later one (and with
    /// callers waiting meanwhile). A failed load is not kept; the next caller tries again.
    pub async fn load<T, E, F>(&self, load: impl FnOnce() -> F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let cell = {
            let mut cells = self.0.lock().unwrap_or_else(|e| e.into_inner());
            let cell = cells.entry(TypeId::of::<T>()).or_insert_with(|| Arc::new(OnceCell::<T>::new()));
            Arc::clone(cell).downcast::<OnceCell<T>>().expect("one cell type per TypeId")
        };
        cell.get_or_try_init(load).await.cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Clone, Debug, PartialEq)]
    struct Names(Vec<&'static str>);
    #[derive(Clone, Debug, PartialEq)]
    struct Count(usize);

    async fn counted<T>(loads: &AtomicUsize, value: T) -> Result<T, String> {
        loads.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Ok(value)
    }

    #[tokio::test]
    async fn a_value_is_loaded_once_per_request_even_by_callers_waiting_at_the_same_time() {
        let cache = RequestCache::default();
        let loads = AtomicUsize::new(0);
        let (a, b) = tokio::join!(
            cache.load(|| counted(&loads, Names(vec!["公安局"]))),
            cache.load(|| counted(&loads, Names(vec!["another"]))),
        );
        assert_eq!((a, b), (Ok(Names(vec!["公安局"])), Ok(Names(vec!["公安局"]))));
        let later = cache.load(|| counted(&loads, Names(vec!["third"]))).await;
        assert_eq!(later, Ok(Names(vec!["公安局"])));
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        // Another request starts empty.
        let next_request = RequestCache::default().load(|| counted(&loads, Names(vec!["next"]))).await;
        assert_eq!(next_request, Ok(Names(vec!["next"])));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn values_of_different_types_are_kept_apart_and_a_failure_is_not_kept() {
        let cache = RequestCache::default();
        let failed: Result<Count, String> = cache.load(|| async { Err("database away".to_owned()) }).await;
        assert_eq!(failed, Err("database away".to_owned()));
        let loads = AtomicUsize::new(0);
        assert_eq!(cache.load(|| counted(&loads, Count(3))).await, Ok(Count(3)));
        assert_eq!(cache.load(|| counted(&loads, Names(vec!["x"]))).await, Ok(Names(vec!["x"])));
        assert_eq!(cache.load(|| counted(&loads, Count(4))).await, Ok(Count(3)));
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }
}
