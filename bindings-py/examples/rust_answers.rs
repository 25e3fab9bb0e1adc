//! Prints the Rust engine's answers on the shared sample orders, as JSON
//! lines `{"file", "op", "request", "envelope"}`, for the Python test that
//! proves Python answers equal Rust's (`tests/test_rust_parity.py`).
//!
//! Usage: `cargo run -p dispute-rules-py --example rust_answers -- DATA_DIR`
//! (default `dispute-rules/tests/data`).
//!
//! For each sample facts file: every facts operation at several `now`s
//! (before the window, in it, after it), with and without explanations,
//! under each policy preset; a few broken variants of the facts; and the
//! `policy` operation for each preset.

use chrono::{DateTime, Duration, Utc};
use dispute_rules::{api, OrderFacts, Policy};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dispute-rules/tests/data"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(path)?;
        // Only facts documents (other sample files may hold other inputs).
        let Ok(facts) = OrderFacts::from_json(&text) else { continue };
        let facts_json = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text)?)?;
        let start = facts.shipped_at.unwrap_or(facts.placed_at);
        let latest = [facts.paid_at, facts.shipped_at, facts.receipt.map(|r| r.at)]
            .into_iter()
            .flatten()
            .chain(facts.tracking.instant().map(|(_, t)| t))
            .chain(facts.extensions.iter().flat_map(|x| [Some(x.requested_at), x.decided_at]).flatten())
            .chain(facts.disputes.iter().flat_map(|d| [Some(d.opened_at), d.closed_at]).flatten())
            .chain([facts.order_cancelled_at, facts.refund_completed_at].into_iter().flatten())
            .fold(facts.placed_at, DateTime::max);
        let nows: Vec<DateTime<Utc>> = [1i64, 12, 45, 70, 130]
            .iter()
            .map(|d| start + Duration::days(*d) + Duration::hours(3))
            .map(|t| t.max(latest))
            .collect();
        for now in &nows {
            let now = serde_json::to_string(&now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))?;
            for policy in Policy::PRESETS {
                for explain in [false, true] {
                    for op in ["eligibility", "timeline", "assess", "validate_facts"] {
                        let request =
                            format!(r#"{{"facts":{facts_json},"now":{now},"policy":"{policy}","explain":{explain}}}"#);
                        out.push((name.clone(), op, request));
                    }
                }
            }
        }
        // Broken variants: a validation problem, a parse problem, no `now`.
        let now = serde_json::to_string(&nows[1].to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))?;
        let mut doc: serde_json::Value = serde_json::from_str(&facts_json)?;
        if let Some(m) = doc.as_object_mut() {
            m.insert("quantity".into(), 0.into());
        }
        let zero = serde_json::to_string(&doc)?;
        if let Some(m) = doc.as_object_mut() {
            m.remove("order_id");
        }
        let missing = serde_json::to_string(&doc)?;
        for op in ["eligibility", "timeline", "assess", "validate_facts"] {
            out.push((name.clone(), op, format!(r#"{{"facts":{zero},"now":{now}}}"#)));
            out.push((name.clone(), op, format!(r#"{{"facts":{missing},"now":{now}}}"#)));
            out.push((name.clone(), op, format!(r#"{{"facts":{facts_json}}}"#)));
        }
    }
    for policy in Policy::PRESETS {
        out.push((String::new(), "policy", format!(r#"{{"policy":"{policy}"}}"#)));
    }
    for (file, op, request) in out {
        let envelope = api::call(op, &request);
        let line = serde_json::json!({"file": file, "op": op, "request": request, "envelope": envelope});
        println!("{line}");
    }
    Ok(())
}
