//! `docs/selling-side.md` defines every selling-side rule id and preset, and
//! its JSON examples run: each ```json request``` block is sent to the
//! operation its fields call for, and each ```json answer``` block must be
//! part of that answer.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::selling::{SellingPolicy, SellingRule};
use serde_json::Value;

fn doc() -> String {
    let path = format!("{}/docs/selling-side.md", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_rule_id_and_preset_is_defined() {
    let d = doc();
    for r in SellingRule::ALL {
        assert!(d.contains(&format!("\n| {} | ", r.id())), "{r} has no row");
    }
    for id in SellingPolicy::PRESETS {
        assert!(
            d.contains(&format!("preset `{id}`")),
            "preset {id} is not described"
        );
    }
    // scripts/check_docs.py checks every tracked file for references that
    // leave the repository; these are the research notes' own names.
    for forbidden in ["/work/", "SELLING-SIDE", "research digest"] {
        assert!(!d.contains(forbidden), "the doc points to `{forbidden}`");
    }
}

/// `part` is contained in `whole`: objects by key, arrays element by element
/// (a prefix), everything else equal.
fn contains(whole: &Value, part: &Value, path: &str) {
    match (whole, part) {
        (Value::Object(w), Value::Object(p)) => {
            for (k, v) in p {
                let inner = w.get(k).unwrap_or_else(|| panic!("{path}.{k} missing"));
                contains(inner, v, &format!("{path}.{k}"));
            }
        }
        (Value::Array(w), Value::Array(p)) => {
            assert!(
                p.len() <= w.len(),
                "{path}: {} items, the answer has {}",
                p.len(),
                w.len()
            );
            for (i, (a, b)) in w.iter().zip(p).enumerate() {
                contains(a, b, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(whole, part, "{path}"),
    }
}

#[test]
fn json_examples_run() {
    let d = doc();
    let mut last: Option<Value> = None;
    let mut ran = 0;
    for block in d.split("```").skip(1).step_by(2) {
        let (info, body) = block.split_once('\n').unwrap_or((block, ""));
        match info.trim() {
            "json request" => {
                let req: Value = serde_json::from_str(body).unwrap();
                let op = if req.get("facts").is_some() {
                    "back_to_back"
                } else if req.get("customer_order").is_some() {
                    "seller_timeline"
                } else {
                    "selling_policy"
                };
                let out: Value = serde_json::from_str(&dispute_rules::api::call(op, body)).unwrap();
                assert_eq!(out["result"], "success", "{out:#}");
                last = Some(out["answer"].clone());
                ran += 1;
            }
            "json answer" => {
                let part: Value = serde_json::from_str(body).unwrap();
                contains(
                    last.as_ref().expect("an answer follows a request"),
                    &part,
                    "answer",
                );
            }
            other => assert!(
                !other.starts_with("json"),
                "unlabelled JSON block `{other}`"
            ),
        }
    }
    assert!(ran > 0);
}
