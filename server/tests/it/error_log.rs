//! Every server ERROR line during a test fails that test unless the test says it expects it.
//!
//! nextest runs each test in a process of its own, so one process-wide subscriber records what
//! one test logged. `TestApp` checks the record when it is dropped at the end of a test.

use std::sync::{Mutex, OnceLock};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

fn recorded() -> &'static Mutex<Vec<String>> {
    static ERRORS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    ERRORS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Installs the recording subscriber (once per process); ERROR and WARN lines are also printed,
/// so a failing test shows them.
pub fn watch() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let print = tracing_subscriber::fmt::layer()
            .with_test_writer()
            .with_filter(tracing_subscriber::filter::LevelFilter::WARN);
        let _ = tracing_subscriber::registry().with(ErrorRecorder).with(print).try_init();
    });
}

/// The ERROR lines logged so far, taken out of the record.
pub fn take() -> Vec<String> {
    recorded().lock().map(|mut errors| std::mem::take(&mut *errors)).unwrap_or_default()
}

/// Fails the test when an ERROR line was logged that no entry of `expected` (substrings) covers.
pub fn assert_only_expected(expected: &[String]) {
    let unexpected: Vec<String> =
        take().into_iter().filter(|line| !expected.iter().any(|e| line.contains(e.as_str()))).collect();
    assert!(unexpected.is_empty(), "the server logged unexpected ERROR lines:\n{}", unexpected.join("\n"));
}

struct ErrorRecorder;

impl<S: Subscriber> Layer<S> for ErrorRecorder {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if *event.metadata().level() != Level::ERROR {
            return;
        }
        let mut line = Line(String::new());
        event.record(&mut line);
        if let Ok(mut errors) = recorded().lock() {
            errors.push(line.0);
        }
    }
}

/// An event's fields as `name=value` text (the message first, as logged).
struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

#[test]
fn an_error_line_is_recorded_and_only_expected_ones_pass() {
    watch();
    tracing::error!(reason = "disk full", "cannot write");
    tracing::warn!("only a warning");
    let errors = take();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("cannot write") && errors[0].contains("disk full"), "{errors:?}");
    tracing::error!("expected failure");
    assert_only_expected(&["expected failure".to_owned()]);
    tracing::error!("surprise");
    let result = std::panic::catch_unwind(|| assert_only_expected(&[]));
    assert!(result.is_err(), "an unexpected ERROR line must fail the test");
}
