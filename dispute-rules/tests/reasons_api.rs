//! The JSON operations of the reasons area: `reasons`, `suggest_reasons`,
//! `check_claim`, `evidence_checklist`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::api::{call, OPERATIONS};
use serde_json::{json, Value};

const FACTS: &str = include_str!("data/not_received.json");
const NOW: &str = "2026-03-20T12:00:00Z";

fn run(op: &str, req: &Value) -> Value {
    serde_json::from_str(&call(op, &req.to_string())).unwrap()
}

fn facts() -> Value {
    serde_json::from_str(FACTS).unwrap()
}

fn problem_fields(v: &Value) -> Vec<String> {
    v["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn operations_are_listed() {
    for op in [
        "reasons",
        "suggest_reasons",
        "check_claim",
        "evidence_checklist",
    ] {
        assert!(OPERATIONS.contains(&op), "{op}");
    }
}

#[test]
fn reasons_catalogue_needs_only_a_policy() {
    let v = run("reasons", &json!({}));
    assert_eq!(v["result"], "success");
    let list = v["answer"].as_array().unwrap();
    assert_eq!(list.len(), 15);
    assert_eq!(list[0]["reason"], "not_received.too_long");
    assert_eq!(list[0]["rule"], "R-R1");
    assert_eq!(list[0]["group"], "not_received");
    assert_eq!(list[0]["interop"]["visa"]["code"], "13.1");
    let legacy = run("reasons", &json!({"policy": "aliexpress-legacy"}));
    let remorse = legacy["answer"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["number"] == 7)
        .unwrap();
    assert_eq!(remorse["return_shipping_payer"], "buyer");
    let bad = run("reasons", &json!({"policy": "ebay"}));
    assert_eq!(bad["error"]["kind"], "invalid_policy");
}

#[test]
fn suggest_reasons_from_facts_and_report() {
    let mut f = facts();
    f["quantity"] = json!(18);
    let v = run(
        "suggest_reasons",
        &json!({"facts": f, "now": NOW, "report": {"units_received": 17}, "explain": true}),
    );
    assert_eq!(v["result"], "success", "{v}");
    assert_eq!(
        v["answer"]["reasons"][0]["reason"],
        "received.quantity_shortage"
    );
    assert!(v["answer"]["explanation"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    // No report: inferred from tracking (none): R-R3 first.
    let v = run("suggest_reasons", &json!({"facts": facts(), "now": NOW}));
    assert_eq!(
        v["answer"]["reasons"][0]["reason"],
        "not_received.no_tracking"
    );
    let v = run(
        "suggest_reasons",
        &json!({"facts": facts(), "now": NOW, "report": {"broken": true}}),
    );
    assert_eq!(v["error"]["kind"], "invalid_request");
    assert_eq!(problem_fields(&v), ["report.broken"]);
    let v = run(
        "suggest_reasons",
        &json!({"facts": facts(), "now": NOW, "report": {"units_received": 2}}),
    );
    assert_eq!(problem_fields(&v), ["report.units_received"]);
}

#[test]
fn check_claim_success_and_failures_name_fields() {
    let claim = json!({"reason": "received.damaged", "solution": "return_and_refund",
        "refund": {"amount": "19.99", "currency": "USD"},
        "evidence": [{"kind": "image", "file_name": "d.png", "format": "png", "size_bytes": 1000, "shows": "damage_photo"}]});
    let v = run(
        "check_claim",
        &json!({"facts": facts(), "now": NOW, "claim": claim}),
    );
    assert_eq!(v["result"], "success", "{v}");
    let a = &v["answer"];
    assert_eq!(a["return_shipping_payer"], "seller");
    assert_eq!(a["refund_released"], "on_seller_confirming_return");
    assert_eq!(a["refund_type"], "full");
    assert_eq!(a["checklist"]["score_percent"], 60);
    assert_eq!(
        a["interop"]["open_api_issue_refund_type"],
        "full_amount_refund"
    );
    assert!(a["rules"].as_array().unwrap().contains(&json!("C-4")));

    let bad = json!({"reason": "not_received.customs_hold", "solution": "refund_only",
        "refund": {"amount": "5", "currency": "USD"},
        "evidence": [{"kind": "image", "file_name": "a.png", "format": "png", "size_bytes": 1, "shows": "tracking_screenshot"},
                     {"kind": "image", "file_name": "a.png", "format": "png", "size_bytes": 1, "shows": "customs_notice"},
                     {"kind": "image", "file_name": "b.png", "format": "png", "size_bytes": 3000000, "shows": "customs_notice"}]});
    let v = run(
        "check_claim",
        &json!({"facts": facts(), "now": NOW, "claim": bad}),
    );
    assert_eq!(v["error"]["kind"], "invalid_claim");
    assert_eq!(
        problem_fields(&v),
        ["claim.refund.amount", "claim.evidence[2].size_bytes"]
    );

    let v = run(
        "check_claim",
        &json!({"facts": facts(), "now": NOW, "claim": {"reason": "received.damaged"}}),
    );
    assert_eq!(v["error"]["kind"], "invalid_claim");
    assert_eq!(problem_fields(&v), ["claim.solution"]);
    let v = run("check_claim", &json!({"facts": facts(), "now": NOW}));
    assert_eq!(problem_fields(&v), ["claim"]);
    let report_says_received = json!({"reason": "not_received.no_tracking", "solution": "refund_only",
        "refund": {"amount": "19.99", "currency": "USD"}});
    let v = run(
        "check_claim",
        &json!({"facts": facts(), "now": NOW, "claim": report_says_received, "report": {"received": true}}),
    );
    assert_eq!(problem_fields(&v), ["claim.reason"]);
}

#[test]
fn evidence_checklist_from_a_claim_or_a_reason() {
    let atts = json!([{"kind": "video", "file_name": "u.mp4", "format": "mp4", "size_bytes": 1000, "shows": "unboxing_video"}]);
    let v = run(
        "evidence_checklist",
        &json!({"reason": "received.quantity_shortage", "attachments": atts}),
    );
    assert_eq!(v["result"], "success", "{v}");
    assert_eq!(v["answer"]["score_percent"], 50);
    assert_eq!(v["answer"]["most_helpful"], "item_photo");
    let v = run(
        "evidence_checklist",
        &json!({"reason": "received.quantity_shortage"}),
    );
    assert_eq!(v["answer"]["most_helpful"], "unboxing_video");
    let claim = json!({"reason": "received.counterfeit", "solution": "refund_only",
        "refund": {"amount": "1", "currency": "USD"},
        "evidence": [{"kind": "image", "file_name": "l.gif", "format": "gif", "size_bytes": 10, "shows": "listing_screenshot"},
                     {"kind": "image", "file_name": "x.webp", "format": "webp", "size_bytes": 10, "shows": "item_photo"}]});
    let v = run("evidence_checklist", &json!({"claim": claim}));
    assert_eq!(problem_fields(&v), ["claim.evidence[1].format"]);
    let v = run("evidence_checklist", &json!({"reason": "received.nope"}));
    assert_eq!(v["error"]["kind"], "invalid_request");
    assert_eq!(problem_fields(&v), ["reason"]);
    let v = run(
        "evidence_checklist",
        &json!({"reason": "received.damaged", "attachments": [{"kind": "audio"}]}),
    );
    assert_eq!(problem_fields(&v), ["attachments[0].kind"]);
    let v = run("evidence_checklist", &json!({}));
    assert_eq!(problem_fields(&v), ["reason"]);
    let v = run(
        "evidence_checklist",
        &json!({"claim": claim, "reason": "received.damaged"}),
    );
    assert_eq!(v["error"]["kind"], "invalid_request");
}

#[test]
fn invalid_facts_in_a_claim_check_are_prefixed() {
    let mut f = facts();
    f["quantity"] = json!(0);
    let claim = json!({"reason": "received.quality", "solution": "refund_only",
        "refund": {"amount": "1", "currency": "USD"}});
    let v = run(
        "check_claim",
        &json!({"facts": f, "now": NOW, "claim": claim}),
    );
    assert_eq!(v["error"]["kind"], "invalid_facts");
    assert_eq!(problem_fields(&v), ["facts.quantity"]);
}
