//! Booking throughput, contended against uncontended (issue "Lookups I": benchmarks as ratios).
//! The demo booking platform's `book` — the conditional update of the slot's remaining count,
//! the patient limits and the appointment insert in one transaction — driven by 16 concurrent
//! citizens: all on **one** slot (contended: every booking waits for the one row), or each on a
//! slot of its own (uncontended). Every booking is for a new patient, so no limit refuses any;
//! slots hold a million numbers, so none fills up. Interleaved rounds; the ratio is
//! contended ÷ uncontended.
//!
//! `cargo bench --locked -p onestop-server --bench hospitals` (release build) runs it on SQLite;
//! with `ONESTOP_BENCH_POSTGRES_URL` set (a scratch database: the platform's tables in it are
//! replaced) also on PostgreSQL. Not a test: nothing here fails on a number.

use app::hospitals::contract::{BookRequest, BookingOutcome, Patient, Slot, SlotQuery};
use app::hospitals::store::HospitalStore;
use app::hospitals::HospitalProvider;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod support;

use support::{median, ROUNDS, RUN};

/// Monday 2026-12-07, 07:00 Beijing time: the fixture's week is open for booking.
const MONDAY_7AM: i64 = 1_796_598_000;
const CITIZENS: usize = 16;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    println!("booking throughput, {CITIZENS} concurrent citizens, {ROUNDS} interleaved rounds of {RUN:?} per side");
    println!();
    println!("| Database | Contended bookings/s | Uncontended bookings/s | Contended ÷ uncontended (range) | p50 / p99 contended (ms) | p50 / p99 uncontended (ms) |");
    println!("|---|---:|---:|---:|---:|---:|");
    let file = std::env::temp_dir().join(format!("onestop-bench-hospitals-{}.db", std::process::id()));
    let sqlite = format!("sqlite://{}", file.display());
    bench("SQLite", &sqlite).await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    if let Ok(url) = std::env::var("ONESTOP_BENCH_POSTGRES_URL") {
        bench("PostgreSQL", &url).await;
    }
}

async fn bench(name: &str, url: &str) {
    let store = HospitalStore::open(url).await.expect("the booking platform's database");
    store.install(&app::hospitals::demo::single_hospital(1_000_000)).await.expect("install");
    let store = Arc::new(store);
    let mut slots = Vec::new();
    for service in ["H01-D01", "H01-D02"] {
        let query =
            SlotQuery { healthcare_service: service.into(), practitioner_role: None, title: None, at: MONDAY_7AM };
        slots.extend(store.slots(&query).await.expect("slots").into_iter().filter(|s| s.day != "2026-12-07"));
    }
    assert!(slots.len() >= CITIZENS, "a slot per citizen: {}", slots.len());
    let patients = Arc::new(AtomicUsize::new(0));
    let (mut contended, mut uncontended) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        contended.push(storm(&store, &patients, vec![slots[0].clone(); CITIZENS]).await);
        uncontended.push(storm(&store, &patients, slots[..CITIZENS].to_vec()).await);
    }
    let rate = |runs: &[Round]| median(&runs.iter().map(|r| r.rate).collect::<Vec<_>>());
    let mut ratios: Vec<f64> = contended.iter().zip(&uncontended).map(|(c, u)| c.rate / u.rate).collect();
    ratios.sort_by(f64::total_cmp);
    let latency = |runs: &[Round], q: f64| {
        let mut all: Vec<f64> = runs.iter().flat_map(|r| r.millis.iter().copied()).collect();
        all.sort_by(f64::total_cmp);
        all[((all.len() - 1) as f64 * q) as usize]
    };
    println!(
        "| {name} | {:.0} | {:.0} | **{:.2}** ({:.2}–{:.2}) | {:.1} / {:.1} | {:.1} / {:.1} |",
        rate(&contended),
        rate(&uncontended),
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1],
        latency(&contended, 0.5),
        latency(&contended, 0.99),
        latency(&uncontended, 0.5),
        latency(&uncontended, 0.99),
    );
    store.close().await;
}

struct Round {
    rate: f64,
    millis: Vec<f64>,
}

/// One round: citizen `i` books on `slots[i]` again and again (a new patient each time) for
/// [`RUN`]; every answer must be a booking.
async fn storm(store: &Arc<HospitalStore>, patients: &Arc<AtomicUsize>, slots: Vec<Slot>) -> Round {
    let started = Instant::now();
    let tasks: Vec<_> = slots
        .into_iter()
        .map(|slot| {
            let (store, patients) = (store.clone(), patients.clone());
            tokio::spawn(async move {
                let mut millis = Vec::new();
                while started.elapsed() < RUN {
                    let n = patients.fetch_add(1, Ordering::Relaxed);
                    let request = BookRequest {
                        slot: slot.id,
                        patient: Patient { reference: format!("bench-{n}"), display: "张*".into() },
                        booked_by: format!("citizen:{n}"),
                        idempotency_key: format!("bench-{n}"),
                        at: MONDAY_7AM,
                    };
                    let t = Instant::now();
                    let outcome = store.book(&request).await.expect("an answer");
                    millis.push(t.elapsed().as_secs_f64() * 1000.0);
                    assert!(matches!(outcome, BookingOutcome::Booked { repeat: false, .. }), "{outcome:?}");
                }
                millis
            })
        })
        .collect();
    let mut millis = Vec::new();
    for task in tasks {
        millis.extend(task.await.expect("citizen"));
    }
    let elapsed = started.elapsed().max(Duration::from_millis(1));
    Round { rate: millis.len() as f64 / elapsed.as_secs_f64(), millis }
}
