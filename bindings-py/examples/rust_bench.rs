//! The Rust figures beside `bench/bench.py`: the same orders (JSON lines),
//! the same work, without Python. Prints one JSON object.
//!
//! Usage: `cargo run --release -p dispute-rules-py --example rust_bench -- ORDERS.jsonl [REPEAT]`
//!
//! - `call_us`: `api::call("eligibility", request)` per order (JSON request
//!   in, JSON answer out), as one Python call does through the binding;
//! - `batch_orders_per_s`: `Batch::run` of `eligibility_timeline` over every
//!   line (parse, validate, eligibility and timeline), as the Python batch
//!   does;
//! - `parse_us` / `assess_us`: the parts of it (parsing the facts; computing
//!   eligibility and timeline from parsed facts);
//! - `back_to_back_call_us`: `api::call("back_to_back", request)` per call
//!   on the three shared back-to-back requests (the worked examples), as
//!   `call_json` does from Python.

use dispute_rules::api::{self, Batch};
use dispute_rules::{Explain, OrderFacts, Policy};
use std::time::Instant;

/// CPU time of this (single-threaded) process in seconds, from
/// `/proc/self/schedstat` (Linux); `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Best time per item over `repeat` runs, in microseconds: CPU time where the
/// system reports it (robust on a shared machine), else wall time.
fn best(repeat: usize, items: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..repeat {
        let (t, c) = (Instant::now(), cpu_seconds());
        let n = f();
        assert_eq!(n, items, "every order must succeed");
        let secs = match (c, cpu_seconds()) {
            (Some(a), Some(b)) => b - a,
            _ => t.elapsed().as_secs_f64(),
        };
        best = best.min(secs * 1e6 / items as f64);
    }
    best
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: rust_bench ORDERS.jsonl [REPEAT]")?;
    let repeat: usize = std::env::args()
        .nth(2)
        .map(|r| r.parse())
        .transpose()?
        .unwrap_or(5);
    let text = std::fs::read_to_string(path)?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let now_json = r#""2026-03-20T12:00:00Z""#;
    let now = "2026-03-20T12:00:00Z".parse()?;
    let policy = Policy::aliexpress();
    let batch = Batch::new(
        "assess",
        &format!(r#"{{"now":{now_json},"policy":"aliexpress"}}"#),
    )?;

    let sample: Vec<String> = lines
        .iter()
        .take(5000)
        .map(|l| format!(r#"{{"facts":{l},"now":{now_json},"policy":"aliexpress"}}"#))
        .collect();
    let call_us = best(repeat, sample.len(), || {
        sample
            .iter()
            .filter(|r| api::call("eligibility", r).starts_with(r#"{"result":"success""#))
            .count()
    });
    let batch_us = best(repeat, lines.len(), || {
        lines.iter().filter(|l| batch.run(l).is_ok()).count()
    });
    let parse_us = best(repeat, lines.len(), || {
        lines
            .iter()
            .filter(|l| serde_json::from_str::<OrderFacts>(l).is_ok())
            .count()
    });
    let facts: Vec<OrderFacts> = lines
        .iter()
        .map(|l| OrderFacts::from_json(l))
        .collect::<Result<_, _>>()?;
    let assess_us = best(repeat, facts.len(), || {
        facts
            .iter()
            .filter(|f| api::assess(f, &policy, now, Explain::No).is_ok())
            .count()
    });
    let b2b = [
        include_str!(
            "../../dispute-rules/tests/data/back_to_back/paypal_supplier_binds_first.json"
        ),
        include_str!(
            "../../dispute-rules/tests/data/back_to_back/stripe_after_supplier_window.json"
        ),
        include_str!(
            "../../dispute-rules/tests/data/back_to_back/ebay_business_days_bind_first.json"
        ),
    ];
    let b2b_requests: Vec<&str> = b2b.iter().copied().cycle().take(3000).collect();
    let back_to_back_call_us = best(repeat, b2b_requests.len(), || {
        b2b_requests
            .iter()
            .filter(|r| api::call("back_to_back", r).starts_with(r#"{"result":"success""#))
            .count()
    });
    println!(
        "{}",
        serde_json::json!({
            "back_to_back_call_us": back_to_back_call_us,
            "orders": lines.len(),
            "call_us": call_us,
            "batch_us": batch_us,
            "batch_orders_per_s": 1e6 / batch_us,
            "parse_us": parse_us,
            "assess_us": assess_us,
        })
    );
    Ok(())
}
