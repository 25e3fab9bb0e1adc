//! The outcome model's policy (`outcome.*`): presets, JSON round trip,
//! validation errors that name the field, tuning by loading another policy;
//! and the `predict` JSON operation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::outcome::OutcomePolicy;
use dispute_rules::reasons::Reason;
use dispute_rules::{api, Error, Policy};
use serde_json::{json, Value};

const FACTS: &str = include_str!("data/not_received.json");

fn err_fields(json: &str) -> Vec<String> {
    match Policy::from_json(json) {
        Err(Error::InvalidPolicy(p)) => p.list().iter().map(|p| p.field().to_owned()).collect(),
        Err(e) => panic!("wrong error kind: {e}"),
        Ok(_) => Vec::new(),
    }
}

fn edit(f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&Policy::aliexpress().to_json()).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn presets_differ_where_the_sources_do() {
    let (a, l) = (
        OutcomePolicy::aliexpress(),
        OutcomePolicy::aliexpress_legacy(),
    );
    // R-L2 lives in the lifecycle policy: as the buyer asked (001, 002) vs
    // escalated (003); the outcome model reads it from there.
    use dispute_rules::lifecycle::TimeoutOutcome;
    assert_eq!(
        Policy::aliexpress().lifecycle.seller_silent,
        TimeoutOutcome::ResolveAsRequested
    );
    assert_eq!(
        Policy::aliexpress_legacy().lifecycle.seller_silent,
        TimeoutOutcome::Escalate
    );
    assert_ne!(a.evidence_bands, l.evidence_bands);
    // Appendix: 3x counterfeit compensation (official, about 2021).
    assert_eq!(a.counterfeit_compensation_multiple, Some(3));
    assert_eq!(l.counterfeit_compensation_multiple, None);
    for p in [&a, &l] {
        assert_eq!(p.by_reason.len(), Reason::ALL.len());
    }
    // R-O1..R-O5 defaults: the favoured outcome of each reason's row.
    let favours = |r: Reason| {
        let w = a.reason(r).unwrap().points;
        let cols = [
            ("full", w.full),
            ("with_return", w.with_return),
            ("partial", w.partial),
            ("none", w.none),
        ];
        cols.iter().max_by_key(|c| c.1).unwrap().0
    };
    assert_eq!(favours(Reason::NotReceivedNoTracking), "full"); // R-O1
    assert_eq!(favours(Reason::ReceivedCounterfeit), "full"); // R-O1
    assert_eq!(favours(Reason::ReceivedNotAsDescribed), "with_return"); // R-O2
    assert_eq!(favours(Reason::ReceivedBuyerRemorse), "with_return"); // R-O3
    assert_eq!(favours(Reason::ReceivedQuantityShortage), "partial"); // R-O4
}

#[test]
fn outcome_policy_round_trips() {
    for id in Policy::PRESETS {
        let p = Policy::preset(id).unwrap();
        let back = Policy::from_json(&p.to_json()).unwrap();
        assert_eq!(back.outcome, p.outcome);
    }
    let v: Value = serde_json::from_str(&Policy::aliexpress().to_json()).unwrap();
    let o = &v["outcome"];
    assert_eq!(
        o["by_reason"]["received.quantity_shortage"]["points"]["partial"],
        75
    );
    assert_eq!(o["value_bands"]["USD"][2]["min_amount"], "100");
    assert_eq!(o["tracking"]["proof"], json!(["postal_proof"]));
}

#[test]
fn weights_out_of_range_are_named() {
    let json = edit(|v| v["outcome"]["seller"]["refused"]["none"] = 5000.into());
    assert_eq!(err_fields(&json), ["outcome.seller.refused.none"]);
    let json = edit(|v| v["outcome"]["seller"]["offered"] = (-2000).into());
    assert_eq!(err_fields(&json), ["outcome.seller.offered"]);
}

#[test]
fn missing_and_unknown_fields_are_named() {
    let json = edit(|v| {
        v["outcome"]["by_reason"]
            .as_object_mut()
            .unwrap()
            .remove("received.counterfeit");
    });
    assert_eq!(
        err_fields(&json),
        ["outcome.by_reason.received.counterfeit"]
    );
    let json = edit(|v| v["outcome"]["decisive"]["seller_ignored"] = true.into());
    assert_eq!(err_fields(&json), ["outcome.decisive.seller_ignored"]);
    let json = edit(|v| {
        v["outcome"]
            .as_object_mut()
            .unwrap()
            .remove("amount_decimals");
    });
    assert_eq!(err_fields(&json), ["outcome.amount_decimals"]);
    let json = edit(|v| v["outcome"]["by_reason"]["received.fake"] = json!({}));
    let e = Policy::from_json(&json).unwrap_err();
    assert!(
        e.to_string().contains("unknown reason `received.fake`"),
        "{e}"
    );
}

#[test]
fn evidence_bands_must_never_lower_the_buyers_odds() {
    // A higher band that gives a refund fewer points than the band below.
    let json = edit(|v| v["outcome"]["evidence_bands"][2]["points"]["full"] = (-50).into());
    assert_eq!(err_fields(&json), ["outcome.evidence_bands[2].points.full"]);
    // ... or no refund more.
    let json = edit(|v| v["outcome"]["evidence_bands"][1]["points"]["none"] = 90.into());
    assert_eq!(err_fields(&json), ["outcome.evidence_bands[1].points.none"]);
    let json = edit(|v| v["outcome"]["evidence_bands"][0]["min_percent"] = 10.into());
    assert_eq!(err_fields(&json), ["outcome.evidence_bands[0].min_percent"]);
    let json = edit(|v| v["outcome"]["evidence_bands"][2]["min_percent"] = 40.into());
    assert_eq!(err_fields(&json), ["outcome.evidence_bands[2].min_percent"]);
    let json = edit(|v| v["outcome"]["evidence_bands"] = json!([]));
    assert_eq!(err_fields(&json), ["outcome.evidence_bands"]);
    // Proof never worse than no proof.
    let json = edit(|v| v["outcome"]["tracking"]["delivered_no_proof"]["full"] = 50.into());
    assert_eq!(
        err_fields(&json),
        ["outcome.tracking.delivered_with_proof.full"]
    );
}

#[test]
fn buyer_damage_and_lateness_must_never_favour_the_buyer() {
    let json = edit(|v| {
        v["outcome"]["report"]["damaged_by_buyer"]["partial"] = 5.into();
        v["outcome"]["report"]["damaged_by_buyer"]["none"] = (-1).into();
        v["outcome"]["timeliness"]["late"]["requested"] = 1.into();
    });
    assert_eq!(
        err_fields(&json),
        [
            "outcome.timeliness.late.requested",
            "outcome.report.damaged_by_buyer.partial",
            "outcome.report.damaged_by_buyer.none",
        ]
    );
}

#[test]
fn other_values_are_checked() {
    let json = edit(|v| {
        let o = &mut v["outcome"];
        o["by_reason"]["received.damaged"]["partial_percent"] = 100.into();
        o["by_reason"]["received.damaged"]["points"] =
            json!({"full": 0, "with_return": -1, "partial": 0, "none": 0, "requested": 5});
        o["value_bands"]["USD"][0]["min_amount"] = "5".into();
        o["value_bands"]["EUR"][3]["min_amount"] = "100".into();
        o["confidence"]["medium_margin_percent"] = 50.into();
        o["amount_decimals"] = 12.into();
        o["counterfeit_compensation_multiple"] = 0.into();
        o["tracking"]["proof"] = json!([]);
    });
    let got = err_fields(&json);
    for f in [
        "outcome.by_reason.received.damaged.points",
        "outcome.by_reason.received.damaged.partial_percent",
        "outcome.tracking.proof",
        "outcome.value_bands.EUR[3].min_amount",
        "outcome.value_bands.USD[0].min_amount",
        "outcome.confidence.medium_margin_percent",
        "outcome.amount_decimals",
        "outcome.counterfeit_compensation_multiple",
    ] {
        assert!(got.contains(&f.to_owned()), "{f} not in {got:?}");
    }
    assert_eq!(got.len(), 8, "{got:?}");
}

// ---------------------------------------------------------------- api

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

fn shortage(extra: Value) -> String {
    let mut facts: Value = serde_json::from_str(FACTS).unwrap();
    facts["unit_price"]["amount"] = "5.00".into();
    facts["quantity"] = 18.into();
    let mut v = json!({
        "facts": facts, "now": "2026-03-20T12:00:00Z",
        "report": {"received": true, "units_received": 17},
        "claim": {"reason": "received.quantity_shortage", "solution": "refund_only",
                  "refund": {"amount": "90.00", "currency": "USD"}}
    });
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    v.to_string()
}

#[test]
fn predict_op() {
    assert!(api::OPERATIONS.contains(&"predict"));
    let a = call("predict", &shortage(json!({})));
    assert_eq!(a["result"], "success", "{a}");
    let p = &a["answer"];
    assert_eq!(p["likely"]["kind"], "partial_refund");
    assert_eq!(
        p["likely"]["refund"],
        json!({"amount": "5.00", "currency": "USD"})
    );
    assert_eq!(
        p["likely"]["open_api"],
        json!({"issue_refund_type": "part_amount_refund", "is_return_goods": "N"})
    );
    assert_eq!(p["likely"]["likelihood_percent"], 71);
    assert!(p.get("explanation").is_none());
    assert_eq!(p["rules"], json!(["C-4", "R-R10", "R-V1", "R-O4", "R-O6"]));

    let a = call(
        "predict",
        &shortage(json!({"explain": true, "seller": {"status": "silent"}})),
    );
    let p = &a["answer"];
    assert_eq!(
        p["likely"]["kind"], "full_refund",
        "R-L2: as the buyer asked"
    );
    assert_eq!(p["likely"]["likelihood_percent"], 100);
    assert!(!p["explanation"].as_array().unwrap().is_empty());

    let a = call(
        "predict",
        &shortage(json!({"policy": "aliexpress-legacy", "seller": {"status": "silent"}})),
    );
    assert_ne!(a["answer"]["likely"]["likelihood_percent"], 100);

    let a = call(
        "predict",
        &shortage(
            json!({"seller": {"status": "counter_offered", "amount": {"amount": "4.00", "currency": "USD"}}}),
        ),
    );
    assert_eq!(a["answer"]["likely"]["refund"]["amount"], "4.00");

    // No claim: the best suggestion for the report.
    let mut v: Value = serde_json::from_str(&shortage(json!({}))).unwrap();
    v.as_object_mut().unwrap().remove("claim");
    let a = call("predict", &v.to_string());
    assert_eq!(a["answer"]["reason"], "received.quantity_shortage");
    assert_eq!(a["answer"]["reason_inferred"], true);
}

#[test]
fn predict_op_errors_name_their_fields() {
    let field = |a: &Value| {
        a["error"]["problems"][0]["field"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let a = call(
        "predict",
        &shortage(json!({"seller": {"status": "asleep"}})),
    );
    assert_eq!(a["error"]["kind"], "invalid_request");
    assert_eq!(field(&a), "seller.status");
    let a = call(
        "predict",
        &shortage(
            json!({"seller": {"status": "counter_offered", "amount": {"amount": "4.00", "currency": "EUR"}}}),
        ),
    );
    assert_eq!(field(&a), "seller.amount.currency");
    let a = call(
        "predict",
        &shortage(json!({"seller": {"status": "silent", "extra": 1}})),
    );
    assert_eq!(a["error"]["kind"], "invalid_request");
    assert_eq!(field(&a), "seller.extra");
    let a = call(
        "predict",
        &shortage(json!({"seller": {"status": "silent", "return_goods": true}})),
    );
    assert_eq!(field(&a), "seller");
    let a = call(
        "predict",
        &shortage(json!({"seller": {"status": "counter_offered"}})),
    );
    assert_eq!(field(&a), "seller");
    assert!(
        a["error"]["message"]
            .as_str()
            .unwrap()
            .contains("needs `amount`"),
        "{a}"
    );
    let a = call(
        "predict",
        &shortage(
            json!({"claim": {"reason": "received.quantity_shortage", "solution": "refund_only", "refund": {"amount": "95.00", "currency": "USD"}}}),
        ),
    );
    assert_eq!(a["error"]["kind"], "invalid_claim");
    assert_eq!(field(&a), "claim.refund.amount");
    let a = call(
        "predict",
        &shortage(json!({"report": {"units_received": 19}})),
    );
    assert_eq!(field(&a), "report.units_received");
    let a = call("predict", &req(json!({"report": {"received": true}})));
    assert_eq!(field(&a), "claim");
    let mut v: Value = serde_json::from_str(&shortage(json!({}))).unwrap();
    v["facts"]["quantity"] = 0.into();
    let a = call("predict", &v.to_string());
    assert_eq!(a["error"]["kind"], "invalid_facts");
    assert_eq!(field(&a), "facts.quantity");
    let a = call("predict", &shortage(json!({"policy": {"outcome": {}}})));
    assert_eq!(a["error"]["kind"], "invalid_policy");
}

#[test]
fn a_loaded_policy_tunes_the_model() {
    // A host that has seen silent sellers' disputes escalated, and that
    // trusts unboxing videos less, loads its own table.
    let mut p = Policy::aliexpress();
    p.lifecycle.seller_silent = dispute_rules::lifecycle::TimeoutOutcome::Escalate;
    p.outcome.seller.silent.requested = 0;
    p.outcome
        .by_reason
        .get_mut(&Reason::ReceivedQuantityShortage)
        .unwrap()
        .points
        .partial = 10;
    let p = Policy::from_json(&p.to_json()).unwrap();
    let out = api::call_with_policy(
        "predict",
        &p,
        &shortage(json!({"seller": {"status": "silent"}})),
    );
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["answer"]["likely"]["kind"], "no_refund", "{a}");
}
