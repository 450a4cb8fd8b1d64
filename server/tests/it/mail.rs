//! Mail delivery over real SMTP: a listener on loopback speaks the protocol (RFC 5321) and keeps
//! what it receives; the outbox sender delivers to it with lettre, and keeps mail through an
//! outage until the relay is back.

use crate::on_both_backends;
use app::platform::mail::{deliver_due, enqueue, Mailer};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP relay on loopback: accepts every message and keeps its DATA.
struct SmtpListener {
    port: u16,
    received: Arc<Mutex<Vec<String>>>,
}

impl SmtpListener {
    async fn start_on(port: u16) -> SmtpListener {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind smtp");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                store.lock().expect("store").push(std::mem::take(body));
                                data = None;
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                body.push_str(
                                    line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line),
                                );
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-test.local\r\n250 8BITMIME\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        SmtpListener { port, received }
    }

    fn messages(&self) -> Vec<String> {
        self.received.lock().expect("store").clone()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

on_both_backends!(the_outbox_delivers_over_smtp_and_keeps_mail_through_an_outage, |app| {
    let port = free_port();
    let mailer = Mailer::smtp("127.0.0.1", port, "OneStop <noreply@onestop.example>").expect("mailer");
    let now = app.clock.now();
    enqueue(
        &app.db,
        "zhang.wei@example.cn",
        "请确认您的电子邮箱",
        "链接：https://portal.example/verify?token=abc\n",
        now,
    )
    .await
    .expect("queued");
    // Nobody listens yet: the message stays queued with the error and a later attempt time.
    assert_eq!(deliver_due(&app.db, &mailer, now).await.expect("run"), 0);
    let (attempts, next, error): (i64, i64, Option<String>) =
        sqlx::query_as("SELECT attempts, next_attempt_at, last_error FROM mail_outbox")
            .fetch_one(app.db.pool())
            .await
            .expect("row");
    assert_eq!(attempts, 1);
    assert!(next > now && error.is_some());
    assert_eq!(deliver_due(&app.db, &mailer, now + 1).await.expect("run"), 0, "not before the backoff");

    let relay = SmtpListener::start_on(port).await;
    assert_eq!(relay.port, port);
    assert_eq!(deliver_due(&app.db, &mailer, next).await.expect("run"), 1);
    let messages = relay.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(message.contains("To: zhang.wei@example.cn"), "{message}");
    assert!(message.contains("From: OneStop <noreply@onestop.example>"));
    // Chinese subject and body travel encoded; the token-bearing link is intact.
    assert!(message.contains("Subject: =?utf-8?"), "{message}");
    assert!(message.contains("token=abc") || message.contains("token=3Dabc"), "{message}");
    let sent: Option<i64> =
        sqlx::query_scalar("SELECT sent_at FROM mail_outbox").fetch_one(app.db.pool()).await.expect("row");
    assert_eq!(sent, Some(next));
    assert_eq!(deliver_due(&app.db, &mailer, next + 3600).await.expect("run"), 0, "sent once");
});

// Two portal instances on one database both run the mail sender: each message goes out once.
on_both_backends!(two_senders_on_one_outbox_deliver_each_message_once, |app| {
    let relay = SmtpListener::start_on(0).await;
    let from = "OneStop <noreply@onestop.example>";
    let (first, second) = (
        Mailer::smtp("127.0.0.1", relay.port, from).expect("mailer"),
        Mailer::smtp("127.0.0.1", relay.port, from).expect("mailer"),
    );
    let now = app.clock.now();
    for i in 0..20 {
        enqueue(&app.db, &format!("citizen{i}@example.cn"), "通知", &format!("第 {i} 封\n"), now)
            .await
            .expect("queued");
    }
    let (a, b) = tokio::join!(deliver_due(&app.db, &first, now), deliver_due(&app.db, &second, now));
    assert_eq!(a.expect("first sender") + b.expect("second sender"), 20);
    let messages = relay.messages();
    assert_eq!(messages.len(), 20, "each message once");
    for i in 0..20 {
        let to = format!("To: citizen{i}@example.cn\n");
        assert_eq!(messages.iter().filter(|m| m.contains(&to)).count(), 1, "{to}");
    }
    // Claimed and sent: nothing is due for either sender later.
    assert_eq!(deliver_due(&app.db, &first, now + 3600).await.expect("run"), 0);
    assert_eq!(deliver_due(&app.db, &second, now + 3600).await.expect("run"), 0);
});
