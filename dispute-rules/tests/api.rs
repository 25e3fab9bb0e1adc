//! The JSON request/answer layer: envelopes, error fields, policies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::{api, Policy};
use serde_json::{json, Value};

const FACTS: &str = include_str!("data/not_received.json");

fn req(extra: Value) -> String {
    let mut v = json!({"facts": serde_json::from_str::<Value>(FACTS).unwrap(), "now": "2026-03-20T12:00:00Z"});
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    v.to_string()
}

fn call(op: &str, r: &str) -> Value {
    serde_json::from_str(&api::call(op, r)).unwrap()
}

#[test]
fn success_envelope() {
    let a = call("eligibility", &req(json!({})));
    assert_eq!(a["result"], "success");
    assert_eq!(a["answer"]["status"], "eligible");
    assert_eq!(
        a["answer"]["window"]["opens_at"]["local"],
        "2026-03-12T00:00:00-07:00"
    );
    assert!(a["answer"].get("explanation").is_none());
    let a = call("assess", &req(json!({"explain": true})));
    assert!(
        a["answer"]["eligibility"]["explanation"]
            .as_array()
            .unwrap()
            .len()
            > 2
    );
    assert_eq!(
        a["answer"]["timeline"]["entries"][0]["milestone"],
        "shipped"
    );
}

#[test]
fn facts_errors_are_prefixed_with_facts() {
    let mut facts: Value = serde_json::from_str(FACTS).unwrap();
    facts["quantity"] = json!(0);
    facts["shipped_at"] = json!("2027-01-01T00:00:00Z");
    let a = call(
        "eligibility",
        &json!({"facts": facts, "now": "2026-03-20T12:00:00Z"}).to_string(),
    );
    assert_eq!(a["result"], "failure");
    assert_eq!(a["error"]["kind"], "invalid_facts");
    let fields: Vec<_> = a["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, vec!["facts.quantity", "facts.shipped_at"]);
}

#[test]
fn policy_by_preset_inline_or_handle() {
    let legacy = call("eligibility", &req(json!({"policy": "aliexpress-legacy"})));
    // Legacy: the 6th day after shipment.
    assert_eq!(
        legacy["answer"]["window"]["opens_at"]["local"],
        "2026-03-07T00:00:00-08:00"
    );
    let unknown = call("eligibility", &req(json!({"policy": "ebay"})));
    assert_eq!(unknown["error"]["kind"], "invalid_policy");
    assert_eq!(unknown["error"]["problems"][0]["field"], "policy");
    let mut p: Value = serde_json::from_str(&Policy::aliexpress().to_json()).unwrap();
    p["eligibility"]["earliest_open_day"] = json!(-1);
    let bad = call("eligibility", &req(json!({ "policy": p })));
    assert_eq!(
        bad["error"]["problems"][0]["field"],
        "policy.eligibility.earliest_open_day"
    );
    // A loaded handle is the default; the request's own policy still wins.
    let handle = Policy::aliexpress_legacy();
    let a: Value = serde_json::from_str(&api::call_with_policy(
        "eligibility",
        &handle,
        &req(json!({})),
    ))
    .unwrap();
    assert_eq!(
        a["answer"]["window"]["opens_at"]["local"],
        "2026-03-07T00:00:00-08:00"
    );
    let a: Value = serde_json::from_str(&api::call_with_policy(
        "eligibility",
        &handle,
        &req(json!({"policy": "aliexpress"})),
    ))
    .unwrap();
    assert_eq!(
        a["answer"]["window"]["opens_at"]["local"],
        "2026-03-12T00:00:00-07:00"
    );
}

#[test]
fn malformed_requests() {
    for (op, body, field) in [
        ("eligibility", "{", ""),
        ("eligibility", r#"{"now": "2026-03-20T12:00:00Z"}"#, "facts"),
        ("eligibility", &req(json!({"bogus": 1}))[..], "bogus"),
        ("nonsense", "{}", "operation"),
    ] {
        let a = call(op, body);
        assert_eq!(a["result"], "failure", "{op} {body}");
        assert_eq!(a["error"]["problems"][0]["field"], field, "{a}");
    }
    let no_now = call(
        "eligibility",
        &json!({"facts": serde_json::from_str::<Value>(FACTS).unwrap()}).to_string(),
    );
    assert_eq!(no_now["error"]["problems"][0]["field"], "now");
}

#[test]
fn batch_reports_bad_lines_and_keeps_the_rest() {
    let line = FACTS.replace('\n', "");
    let text = format!(
        "{line}\nnot json\n\n{}\n",
        line.replace("\"quantity\": 1", "\"quantity\": 0")
    );
    let out = api::assess_jsonl(
        &Policy::aliexpress(),
        "2026-03-20T12:00:00Z".parse().unwrap(),
        Default::default(),
        &text,
    );
    let v = serde_json::to_value(&out).unwrap();
    assert_eq!(v[0]["line"], 1);
    assert_eq!(v[0]["result"], "success");
    assert_eq!(v[1]["line"], 2);
    assert_eq!(v[1]["error"]["kind"], "invalid_facts");
    assert_eq!(v[2]["line"], 4);
    // The same field path as every other interface (issue 13): `facts.…`.
    assert_eq!(v[2]["error"]["problems"][0]["field"], "facts.quantity");
}

#[test]
fn assess_is_the_full_assessment() {
    // 003: 17 of 18 units arrived; the claim asks for the missing unit's value.
    let mut facts: Value = serde_json::from_str(FACTS).unwrap();
    facts["quantity"] = json!(18);
    facts["unit_price"] = json!({"amount": "5.00", "currency": "USD"});
    facts["tracking"] = json!({"status": "delivered", "at": "2026-03-15T18:00:00Z"});
    let claim = json!({"reason": "received.quantity_shortage", "solution": "refund_only",
        "refund": {"amount": "5.00", "currency": "USD"},
        "evidence": [{"kind": "video", "file_name": "unboxing.mp4", "format": "mp4", "size_bytes": 1000000, "shows": "unboxing_video"}]});
    let r = json!({"facts": facts, "now": "2026-03-20T12:00:00Z",
        "report": {"received": true, "units_received": 17}, "claim": claim});
    let a = call("assess", &r.to_string());
    let a = &a["answer"];
    assert_eq!(a["eligibility"]["status"], "eligible");
    assert_eq!(
        a["reasons"]["reasons"][0]["reason"],
        "received.quantity_shortage"
    );
    assert_eq!(a["checklist"]["answer"]["score_percent"], 50);
    assert_eq!(a["claim"]["result"], "success");
    assert_eq!(
        a["prediction"]["answer"]["likely"]["kind"],
        "partial_refund"
    );
    assert_eq!(
        a["prediction"]["answer"]["likely"]["refund"]["amount"],
        "5.00"
    );

    // A claim above the C-4 cap fails its check without hiding the rest.
    let mut r2 = r.clone();
    r2["claim"]["refund"]["amount"] = json!("1000.00");
    let b = call("assess", &r2.to_string());
    assert_eq!(b["result"], "success");
    assert_eq!(b["answer"]["claim"]["result"], "failure");
    assert_eq!(b["answer"]["claim"]["error"]["kind"], "invalid_claim");
    assert_eq!(b["answer"]["prediction"]["result"], "success");
    assert_eq!(b["answer"]["eligibility"], a["eligibility"]);

    // Without report or claim: reasons inferred from the facts.
    let c = call("assess", &req(json!({})));
    assert_eq!(c["result"], "success");
    assert!(c["answer"]["claim"].is_null());
}
