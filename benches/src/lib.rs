//! Benchmarks of `dispute-rules` (see `benches/engine.rs`). Run them with
//! `cargo bench -p dispute-rules-benches`; they read the shared sample data
//! of `examples/data/` through `dispute_rules_examples::samples`.
//!
//! This library holds the inputs the benchmarks share.

pub mod c_order;

use chrono::{DateTime, Utc};
use dispute_rules::api::Request;
use dispute_rules::OrderFacts;
use dispute_rules_examples::samples::{self, SAMPLES, SAMPLE_NOW};

/// The moment every sample is assessed at.
pub fn now() -> DateTime<Utc> {
    SAMPLE_NOW.parse().unwrap_or_default()
}

/// The facts of one sample, as JSON text (the `facts` field of its request).
pub fn facts_json(name: &str) -> String {
    samples::find(name)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s.json).ok())
        .map(|v| v["facts"].to_string())
        .unwrap_or_default()
}

/// The facts of every sample, parsed.
pub fn all_facts() -> Vec<OrderFacts> {
    SAMPLES
        .iter()
        .filter_map(|s| Request::parse(s.json).ok()?.facts().ok())
        .collect()
}
