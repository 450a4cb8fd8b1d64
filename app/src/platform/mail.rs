//! Outgoing mail through an outbox: features enqueue in the database, and the sender delivers
//! with retries and backoff. An SMTP outage delays mail; it never loses it or fails the request
//! that wrote it.

use super::Db;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

/// Give up on a message after this many attempts (the last about a day after the first).
const MAX_ATTEMPTS: i64 = 12;

/// How long a sender owns a message it has claimed: far longer than one SMTP exchange (lettre
/// gives up after 60 s), so another instance never sends it meanwhile. A sender that dies
/// holding a claim leaves the message due again after this, sent with the same Message-ID.
const CLAIM_SECS: i64 = 600;

pub async fn enqueue(db: &Db, recipient: &str, subject: &str, body: &str, now: i64) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let id = enqueue_in(&mut tx, recipient, subject, body, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Enqueues inside the caller's transaction, so the mail exists exactly when the change it
/// tells of does (a status change and its notice commit together or not at all).
pub async fn enqueue_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    recipient: &str,
    subject: &str,
    body: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO mail_outbox (recipient, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4) \
         RETURNING id",
    )
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

pub enum Transport {
    /// Plain SMTP to a relay (the host's MTA or the government mail gateway, which does TLS).
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a folder, for local runs.
    Folder(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    /// `smtp://host:port` or a folder path.
    pub fn smtp(host: &str, port: u16, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        Ok(Mailer { transport: Transport::Smtp(transport), from: from.parse().map_err(|e| format!("{e}"))? })
    }

    pub fn folder(dir: PathBuf, from: &str) -> Result<Mailer, String> {
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Mailer {
            transport: Transport::Folder(AsyncFileTransport::new(dir)),
            from: from.parse().map_err(|e| format!("{e}"))?,
        })
    }

    /// Sends outbox message `id`. Its Message-ID is derived from the outbox row, so a message
    /// sent again after a crash between delivery and bookkeeping is recognisably the same one.
    async fn send(&self, id: i64, recipient: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = recipient.parse().map_err(|e| format!("bad recipient: {e}"))?;
        let domain = self.from.email.domain().to_owned();
        let message = Message::builder()
            .message_id(Some(format!("<outbox-{id}@{domain}>")))
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_owned())
            .map_err(|e| e.to_string())?;
        match &self.transport {
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Folder(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// Sends every message that is due; returns how many went out. Several portal instances may run
/// this on one database at once: each message is claimed before it is sent, and only the
/// instance whose claim changed the row sends it.
pub async fn deliver_due(db: &Db, mailer: &Mailer, now: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, recipient, subject, body, attempts FROM mail_outbox \
         WHERE sent_at IS NULL AND next_attempt_at <= $1 AND attempts < $2 ORDER BY id LIMIT 50",
    )
    .bind(now)
    .bind(MAX_ATTEMPTS)
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for (id, recipient, subject, body, attempts) in due {
        let claimed = sqlx::query(
            "UPDATE mail_outbox SET next_attempt_at = $1 WHERE id = $2 AND sent_at IS NULL AND next_attempt_at <= $3",
        )
        .bind(now + CLAIM_SECS)
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected();
        if claimed == 0 {
            continue; // another sender has it
        }
        let result = mailer.send(id, &recipient, &subject, &body).await;
        let mut tx = db.begin_write().await?;
        match result {
            Ok(()) => {
                sent += 1;
                sqlx::query("UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Err(err) => {
                // 30 s, 1 min, 2 min, … capped at 4 h.
                let backoff = (30_i64 << attempts.min(9)).min(4 * 3600);
                tracing::warn!(mail.id = id, attempts = attempts + 1, error = %err, "mail delivery failed; will retry");
                sqlx::query(
                    "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2 WHERE id = $3",
                )
                .bind(now + backoff)
                .bind(err.chars().take(500).collect::<String>())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(sent)
}
