//! The calling end: signed requests to another organisation's endpoint with a deadline, bounded
//! retries and a circuit breaker; nothing that comes back is trusted until its signature and
//! shape check out. Each partner's provider wraps a [`SignedClient`] and checks the fields of
//! its own answers.
//!
//! Plain HTTP on purpose: as with X-Road's security servers, transport encryption between
//! departments is the exchange gateway's job; message integrity and authenticity are ours.

use super::wire::{self, Protocol, SigningKey};
use super::ProviderError;
use crate::platform::time::now_unix;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct ClientConfig {
    /// e.g. `http://10.0.0.5:3200`; the operation path is appended.
    pub base_url: String,
    pub key: SigningKey,
    /// The longest one attempt may take.
    pub attempt_timeout: Duration,
    /// The longest a call may take, retries included: the caller hears back within this.
    pub deadline: Duration,
    /// Extra attempts after a failed one, for failures that may pass (timeouts, 5xx, resets).
    pub retries: u32,
    /// Consecutive failed calls that open the circuit.
    pub breaker_threshold: u32,
    /// How long an open circuit refuses calls before letting one through to test the provider.
    pub breaker_cooldown: Duration,
}

impl ClientConfig {
    pub fn new(base_url: &str, key: SigningKey) -> ClientConfig {
        ClientConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            key,
            attempt_timeout: Duration::from_millis(1500),
            deadline: Duration::from_millis(3000),
            retries: 2,
            breaker_threshold: 5,
            breaker_cooldown: Duration::from_secs(30),
        }
    }

    /// The configured deadline for a whole call, with half of it for one attempt (so one retry
    /// still fits).
    pub fn within(mut self, deadline: Duration) -> ClientConfig {
        self.deadline = deadline;
        self.attempt_timeout = deadline.mul_f32(0.5);
        self
    }
}

/// One partner's endpoint as the portal calls it.
pub struct SignedClient {
    protocol: &'static Protocol,
    config: ClientConfig,
    client: Client<HttpConnector, Full<Bytes>>,
    breaker: Mutex<Breaker>,
}

#[derive(Default)]
struct Breaker {
    consecutive_failures: u32,
    open_until: Option<Instant>,
    /// While half-open, one trial call is in flight and others are refused.
    trial_in_flight: bool,
}

/// What one attempt produced: an answer to hand back (good or a definite "no"), or a failure
/// that may be worth retrying.
enum Attempt<T> {
    Answer(Result<T, ProviderError>),
    Retryable(ProviderError),
}

impl SignedClient {
    pub fn new(protocol: &'static Protocol, config: ClientConfig) -> SignedClient {
        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(config.attempt_timeout));
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new()).pool_idle_timeout(Duration::from_secs(30)).build(connector);
        SignedClient { protocol, config, client, breaker: Mutex::new(Breaker::default()) }
    }

    fn admit(&self) -> Result<(), ProviderError> {
        let mut b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
        match b.open_until {
            Some(until) if Instant::now() < until => Err(ProviderError::CircuitOpen),
            Some(_) if b.trial_in_flight => Err(ProviderError::CircuitOpen),
            Some(_) => {
                b.trial_in_flight = true;
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn record(&self, healthy: bool) {
        let mut b = self.breaker.lock().unwrap_or_else(|e| e.into_inner());
        b.trial_in_flight = false;
        if healthy {
            *b = Breaker::default();
        } else {
            b.consecutive_failures += 1;
            if b.consecutive_failures >= self.config.breaker_threshold || b.open_until.is_some() {
                b.open_until = Some(Instant::now() + self.config.breaker_cooldown);
            }
        }
    }

    /// One contract call: deadline, retries, breaker. `Resp` is parsed strictly from a signed
    /// 200 answer; a signed 404 or 400 is the partner's definite "no".
    pub async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        operation: &str,
        request: &Req,
    ) -> Result<Resp, ProviderError> {
        self.admit()?;
        let body = serde_json::to_vec(request).map_err(|e| ProviderError::BadRequest(e.to_string()))?;
        let started = Instant::now();
        let mut attempt = 0;
        let result = loop {
            let remaining = self.config.deadline.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                break Err(ProviderError::Timeout);
            }
            let limit = remaining.min(self.config.attempt_timeout);
            let outcome = match tokio::time::timeout(limit, self.attempt::<Resp>(operation, &body)).await {
                Ok(outcome) => outcome,
                Err(_) => Attempt::Retryable(ProviderError::Timeout),
            };
            match outcome {
                Attempt::Answer(answer) => break answer,
                Attempt::Retryable(err) if attempt >= self.config.retries => break Err(err),
                Attempt::Retryable(err) => {
                    attempt += 1;
                    let backoff = Duration::from_millis(100 * 2u64.pow(attempt - 1));
                    if started.elapsed() + backoff >= self.config.deadline {
                        break Err(err);
                    }
                    tokio::time::sleep(backoff).await;
                }
            }
        };
        let healthy = !matches!(
            result,
            Err(ProviderError::Timeout | ProviderError::Unavailable | ProviderError::InvalidResponse(_))
        );
        self.record(healthy);
        result
    }

    async fn attempt<Resp: DeserializeOwned>(&self, operation: &str, body: &[u8]) -> Attempt<Resp> {
        let (protocol, partner) = (self.protocol, self.protocol.partner);
        let path = protocol.path(operation);
        let timestamp = now_unix();
        let nonce = wire::new_nonce();
        let signature = self.config.key.sign_request(&path, timestamp, &nonce, body);
        let request = http::Request::post(format!("{}{path}", self.config.base_url))
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(protocol.header_key, &self.config.key.key_id)
            .header(protocol.header_timestamp, timestamp.to_string())
            .header(protocol.header_nonce, &nonce)
            .header(protocol.header_signature, signature)
            .body(Full::new(Bytes::copy_from_slice(body)));
        let request = match request {
            Ok(r) => r,
            Err(e) => return Attempt::Answer(Err(ProviderError::BadRequest(format!("bad provider URL: {e}")))),
        };
        let response = match self.client.request(request).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, partner, operation, "provider unreachable");
                return Attempt::Retryable(ProviderError::Unavailable);
            }
        };
        let status = response.status().as_u16();
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let (resp_timestamp, resp_signature) = (header(protocol.header_timestamp), header(protocol.header_signature));
        let bytes = match Limited::new(response.into_body(), wire::MAX_RESPONSE_BYTES).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) => {
                tracing::warn!(error = %e, partner, operation, "provider response unreadable");
                return Attempt::Retryable(ProviderError::Unavailable);
            }
        };
        let timestamp: Option<i64> = resp_timestamp.and_then(|t| t.parse().ok());
        let authentic = match (timestamp, resp_signature) {
            (Some(ts), Some(sig)) => {
                (now_unix() - ts).abs() <= wire::MAX_CLOCK_SKEW_SECS
                    && self.config.key.verify_response(status, &nonce, ts, &bytes, &sig)
            }
            _ => false,
        };
        if !authentic {
            // A gateway error page is unsigned too; only a 5xx is worth another try.
            if status >= 500 {
                return Attempt::Retryable(ProviderError::Unavailable);
            }
            tracing::warn!(status, partner, operation, "provider response signature missing or wrong");
            return Attempt::Answer(Err(ProviderError::InvalidResponse("signature".into())));
        }
        match status {
            200 => Attempt::Answer(
                serde_json::from_slice(&bytes).map_err(|e| ProviderError::InvalidResponse(format!("body: {e}"))),
            ),
            400 | 404 | 503 => match serde_json::from_slice::<ProviderError>(&bytes) {
                Ok(ProviderError::NotFound) if status == 404 => Attempt::Answer(Err(ProviderError::NotFound)),
                Ok(ProviderError::BadRequest(why)) if status == 400 => {
                    Attempt::Answer(Err(ProviderError::BadRequest(why)))
                }
                Ok(_) if status == 503 => Attempt::Retryable(ProviderError::Unavailable),
                _ => Attempt::Answer(Err(ProviderError::InvalidResponse(format!("status {status}")))),
            },
            s if s >= 500 => Attempt::Retryable(ProviderError::Unavailable),
            _ => Attempt::Answer(Err(ProviderError::InvalidResponse(format!("status {status}")))),
        }
    }
}
