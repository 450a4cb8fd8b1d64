//! The portal's side of a bus company's GTFS Realtime feed: one GET of the feed URL per poll,
//! bounded in time and size. GTFS Realtime is published openly (no personal data), so there is
//! no signature; what comes back is trusted only once it decodes (`Buses::accept`).

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// Larger than any city's full dataset; a body past it is refused, not buffered.
const MAX_FEED_BYTES: usize = 16 * 1024 * 1024;
/// One poll's whole budget: a slow company delays the next poll, never a page.
const POLL_TIMEOUT: Duration = Duration::from_secs(5);

pub struct FeedClient {
    url: String,
    client: Client<HttpConnector, Empty<Bytes>>,
}

impl FeedClient {
    pub fn new(url: &str) -> FeedClient {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(POLL_TIMEOUT));
        FeedClient { url: url.to_owned(), client: Client::builder(TokioExecutor::new()).build(connector) }
    }

    /// The feed message's bytes, or why there are none (for the log: the page only says the
    /// data is stale).
    pub async fn fetch(&self) -> Result<Vec<u8>, String> {
        match tokio::time::timeout(POLL_TIMEOUT, self.attempt()).await {
            Ok(outcome) => outcome,
            Err(_) => Err(format!("no answer within {} s", POLL_TIMEOUT.as_secs())),
        }
    }

    async fn attempt(&self) -> Result<Vec<u8>, String> {
        let request = http::Request::get(&self.url)
            .header(http::header::ACCEPT, "application/x-protobuf")
            .body(Empty::new())
            .map_err(|e| format!("bad feed URL: {e}"))?;
        let response = self.client.request(request).await.map_err(|e| format!("unreachable: {e}"))?;
        if response.status() != http::StatusCode::OK {
            return Err(format!("answered {}", response.status()));
        }
        let body = Limited::new(response.into_body(), MAX_FEED_BYTES)
            .collect()
            .await
            .map_err(|e| format!("unreadable body: {e}"))?;
        Ok(body.to_bytes().to_vec())
    }
}
