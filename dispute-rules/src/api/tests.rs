//! The JSON layer: the one-pass envelope, the answer writer, hardening.

use super::*;
use serde_json::{json, Value};
use std::cell::Cell;

thread_local! {
    /// Test switch: write answers with serde_json only (to compare).
    pub(super) static SERDE_JSON_ONLY: Cell<bool> = const { Cell::new(false) };
}

const FACTS: &str = include_str!("../../tests/data/not_received.json");
const NOW: &str = "2026-03-20T12:00:00Z";

fn facts() -> Value {
    serde_json::from_str(FACTS).unwrap()
}

fn call_json(op: &str, req: &Value) -> Value {
    serde_json::from_str(&call(op, &req.to_string())).unwrap()
}

/// Requests that exercise every operation and most answer shapes.
fn requests() -> Vec<(&'static str, Value)> {
    let f = facts();
    let claim = json!({
        "reason": "not_received.no_tracking", "solution": "refund_only",
        "refund": {"amount": "19.99", "currency": "USD"},
        "evidence": [{"kind": "image", "file_name": "a \"quoted\"\nname.png", "format": "png",
                      "size_bytes": 1000, "shows": "tracking_screenshot"}]
    });
    let base = json!({"facts": f, "now": NOW, "report": {"received": false}, "claim": claim});
    let mut explained = base.clone();
    explained["explain"] = json!(true);
    let mut out = Vec::new();
    for op in OPERATIONS {
        out.push((*op, base.clone()));
        out.push((*op, explained.clone()));
    }
    out.push((
        "evidence_checklist",
        json!({"reason": "received.damaged", "attachments": []}),
    ));
    out.push(("policy", json!({"policy": "aliexpress-legacy"})));
    let opened: Value = call_json("lifecycle_open", &base);
    let dispute = opened["answer"]["dispute"].clone();
    for op in ["lifecycle_status", "lifecycle_advance"] {
        out.push((
            op,
            json!({"dispute": dispute, "now": "2026-05-01T00:00:00Z"}),
        ));
    }
    out.push((
        "lifecycle_allowed",
        json!({"dispute": dispute, "now": NOW, "actor": "seller"}),
    ));
    out.push((
        "eligibility",
        json!({"facts": {"schema_version": 1}, "now": NOW}),
    ));
    out
}

#[test]
fn answers_are_written_byte_for_byte_as_serde_json_writes_them() {
    for (op, req) in requests() {
        let text = req.to_string();
        let fast = call(op, &text);
        SERDE_JSON_ONLY.with(|s| s.set(true));
        let slow = call(op, &text);
        SERDE_JSON_ONLY.with(|s| s.set(false));
        assert_eq!(fast, slow, "{op}: {text}");
    }
}

#[test]
fn the_three_readings_of_an_envelope_agree() {
    // The byte scan, the serde one-pass reading and the raw reading give the
    // same request, in every layout.
    let mut texts: Vec<String> = Vec::new();
    for (_, req) in requests() {
        texts.push(req.to_string());
        texts.push(serde_json::to_string_pretty(&req).unwrap());
    }
    let f = FACTS.trim();
    texts.push(format!(
        r#"{{"now": null, "claim": null, "facts": {f}, "explain": true}}"#
    ));
    texts.push(format!(
        r#"{{"facts": {f}, "now": "{NOW}", "policy": null, "report": null, "seller": {{"status": "silent"}}, "actor": "buyer"}}"#
    ));
    let mut scanned = 0;
    for text in &texts {
        let slow = Request::parse_slow_for_tests(text)
            .unwrap()
            .summary_for_tests();
        // The serde one-pass reading fails on invalid documents (the raw
        // reading then names the problem).
        if let Ok(serde) = Request::parse_serde_for_tests(text) {
            assert_eq!(serde.summary_for_tests(), slow, "{text}");
        }
        if let Some(r) = Request::parse_scan_for_tests(text) {
            scanned += 1;
            assert_eq!(r.summary_for_tests(), slow, "{text}");
        }
    }
    // The byte scan takes the usual requests itself.
    assert!(
        scanned * 10 >= texts.len() * 9,
        "{scanned} of {}",
        texts.len()
    );
}

#[test]
fn invalid_facts_fail_only_the_operations_that_read_them() {
    let mut f = facts();
    f["quantity"] = json!("many");
    let req = json!({"facts": f, "now": NOW, "policy": "aliexpress"});
    let a = call_json("eligibility", &req);
    assert_eq!(a["error"]["kind"], "invalid_facts");
    assert_eq!(a["error"]["problems"][0]["field"], "facts.quantity");
    assert_eq!(call_json("policy", &req)["result"], "success");
    assert_eq!(call_json("reasons", &req)["result"], "success");
}

#[test]
fn trailing_text_after_a_request_is_refused() {
    let good = json!({"facts": facts(), "now": NOW}).to_string();
    assert_eq!(
        call_json("eligibility", &serde_json::from_str(&good).unwrap())["result"],
        "success"
    );
    for junk in [" garbage }}}", "}", "{}", "\n\"x\""] {
        let a: Value =
            serde_json::from_str(&call("eligibility", &format!("{good}{junk}"))).unwrap();
        assert_eq!(a["result"], "failure", "{junk}");
        assert_eq!(a["error"]["kind"], "invalid_request", "{junk}");
    }
    // Trailing whitespace is not garbage.
    let a: Value = serde_json::from_str(&call("eligibility", &format!("{good} \n\t"))).unwrap();
    assert_eq!(a["result"], "success");
    // Nor in documents parsed on their own: facts, policies.
    assert!(OrderFacts::from_json(&format!("{FACTS} }}")).is_err());
    assert!(OrderFacts::from_json(&format!("{FACTS}  ")).is_ok());
    let policy = Policy::aliexpress().to_json();
    let e = Policy::from_json(&format!("{policy} junk")).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::InvalidPolicy);
}

#[test]
fn duplicate_fields_are_named() {
    let f = FACTS.trim();
    let twice = format!(r#"{{"facts": {f}, "now": "{NOW}", "facts": {f}}}"#);
    let a: Value = serde_json::from_str(&call("eligibility", &twice)).unwrap();
    assert_eq!(a["error"]["kind"], "invalid_request");
    assert_eq!(a["error"]["problems"][0]["field"], "facts");
    assert!(a["error"]["message"]
        .as_str()
        .unwrap()
        .contains("duplicate field `facts`"));
    let inner = f.replacen("\"quantity\": 1", "\"quantity\": 1, \"quantity\": 2", 1);
    let a: Value = serde_json::from_str(&call(
        "eligibility",
        &format!(r#"{{"facts": {inner}, "now": "{NOW}"}}"#),
    ))
    .unwrap();
    assert_eq!(a["error"]["problems"][0]["field"], "facts.quantity");
    let tracking = f.replacen(
        r#"{"status": "none"}"#,
        r#"{"status": "none", "status": "none"}"#,
        1,
    );
    let a: Value = serde_json::from_str(&call(
        "eligibility",
        &format!(r#"{{"facts": {tracking}, "now": "{NOW}"}}"#),
    ))
    .unwrap();
    assert_eq!(a["error"]["problems"][0]["field"], "facts.tracking.status");
}

#[test]
fn null_required_fields_say_null_not_missing() {
    for (field, req) in [
        ("facts", json!({"facts": null, "now": NOW})),
        ("now", json!({"facts": facts(), "now": null})),
    ] {
        let a = call_json("eligibility", &req);
        assert_eq!(a["error"]["kind"], "invalid_request");
        assert_eq!(a["error"]["problems"][0]["field"], field);
        let m = a["error"]["problems"][0]["message"].as_str().unwrap();
        assert!(m.starts_with("is `null`"), "{m}");
        assert!(!m.contains("missing"), "{m}");
    }
    let a = call_json(
        "check_claim",
        &json!({"facts": facts(), "now": NOW, "claim": null}),
    );
    assert_eq!(a["error"]["problems"][0]["field"], "claim");
    assert!(a["error"]["problems"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("is `null`"));
    // Absent is still "missing".
    let a = call_json("eligibility", &json!({"now": NOW}));
    assert!(a["error"]["problems"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("missing field `facts`"));
}

#[test]
fn oversize_requests_are_refused_without_echoing_them() {
    let mut f = facts();
    f["order_id"] = json!("9".repeat(crate::limits::MAX_REQUEST_BYTES));
    let text = json!({"facts": f, "now": NOW}).to_string();
    let out = call("eligibility", &text);
    assert!(out.len() < 1000, "{}", out.len());
    let a: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(a["error"]["kind"], "invalid_request");
}

/// Every sample order: the requests of `examples/data/requests` as they
/// are, and the orders of the JSON-lines files of `examples/data` and of
/// `tests/data` as facts of a request.
fn sample_requests() -> Vec<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("../examples/data/requests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for p in &files {
        out.push(serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap());
    }
    let mut facts: Vec<Value> = Vec::new();
    for name in ["orders.jsonl", "orders-b2b.jsonl"] {
        let text = std::fs::read_to_string(root.join("../examples/data").join(name)).unwrap();
        facts.extend(
            text.lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap()),
        );
    }
    facts.push(self::facts());
    for f in facts {
        out.push(json!({"facts": f, "now": NOW}));
    }
    assert!(out.len() >= 35, "{} samples", out.len());
    out
}

/// The answer of `op` by the hand-written writer and by serde_json alone.
fn both_ways(op: &str, text: &str) -> (String, String) {
    let fast = call(op, text);
    SERDE_JSON_ONLY.with(|s| s.set(true));
    let slow = call(op, text);
    SERDE_JSON_ONLY.with(|s| s.set(false));
    (fast, slow)
}

#[test]
fn hand_written_answers_are_serde_json_byte_for_byte_on_every_sample() {
    let nows = [
        None,
        Some("2026-02-01T00:00:00Z"),
        Some("2026-03-01T08:00:00.25Z"),
        Some("2026-05-15T00:00:00Z"),
        Some("2027-01-01T00:00:00Z"),
    ];
    let mut successes = 0;
    for req in sample_requests() {
        for now in nows {
            for explain in [false, true] {
                for policy in ["aliexpress", "aliexpress-legacy"] {
                    let mut r = req.clone();
                    if let Some(now) = now {
                        r["now"] = json!(now);
                    }
                    r["explain"] = json!(explain);
                    r["policy"] = json!(policy);
                    let text = r.to_string();
                    for op in ["eligibility", "timeline", "assess"] {
                        let (fast, slow) = both_ways(op, &text);
                        assert_eq!(fast, slow, "{op}: {text}");
                        successes += usize::from(fast.starts_with(r#"{"result":"success""#));
                    }
                }
            }
        }
    }
    // Most answers are successes: the hand-written writer is what was compared.
    assert!(successes > 600, "{successes} successes");
}

#[test]
fn hand_written_parts_are_serde_json_byte_for_byte() {
    use super::write::WriteJson;
    fn same<T: Serialize + WriteJson>(v: &T) {
        let mut fast = String::new();
        v.write_json(&mut fast).unwrap();
        assert_eq!(fast, serde_json::to_string(v).unwrap());
    }
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let mut compared = 0;
    for req in sample_requests() {
        // The back-to-back samples (a customer order and a supplier order)
        // are not the facts of one line.
        let Ok(f) = OrderFacts::from_json(&req["facts"].to_string()) else {
            continue;
        };
        compared += 1;
        for policy in [Policy::aliexpress(), Policy::aliexpress_legacy()] {
            for explain in [Explain::No, Explain::Yes] {
                let Ok(a) = assess(&f, &policy, now, explain) else {
                    continue;
                };
                same(&a.eligibility);
                same(&a.timeline);
                for x in &a.eligibility.next_actions {
                    same(x);
                }
                for e in &a.timeline.entries {
                    same(e);
                }
                if let Some(w) = &a.eligibility.window {
                    same(w);
                }
                same(&a);
                let full = assess_full(&Case::new(&f), &policy, now, explain).unwrap();
                same(&full);
                for answer in [
                    OrderAnswer::Eligibility(a.eligibility.clone()),
                    OrderAnswer::Timeline(a.timeline.clone()),
                    OrderAnswer::EligibilityTimeline(a.clone()),
                    OrderAnswer::Assess(Box::new(full)),
                ] {
                    same(&answer);
                }
            }
        }
    }
    assert!(compared >= 20, "{compared} samples");
}

#[test]
fn names_written_without_an_escape_check_are_what_serde_json_writes() {
    use crate::eligibility::{ActionKind, Ineligible, Status};
    use crate::rules::Rule;
    use crate::timeline::Milestone;
    fn quoted<T: Serialize>(v: &T, name: &str) {
        assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{name}\""));
    }
    for &s in Status::ALL {
        quoted(&s, s.as_str());
    }
    for c in Ineligible::ALL {
        quoted(&c, c.code());
    }
    for &k in ActionKind::ALL {
        quoted(&k, k.as_str());
    }
    for &m in Milestone::ALL {
        quoted(&m, m.as_str());
    }
    for r in Rule::ALL {
        quoted(r, r.id());
    }
    // The full assessment's parts (`write::full`).
    use super::write::full::{confidence_name, refund_release_name, timeliness_name};
    use crate::outcome::{Confidence, FactorId, OutcomeKind, Timeliness};
    use crate::reasons::{EvidenceKind, Group, Payer, RefundRelease, RefundType, Solution};
    for r in Reason::ALL {
        quoted(r, r.code());
    }
    for g in Group::ALL {
        quoted(&g, g.code());
    }
    for s in Solution::ALL {
        quoted(&s, s.code());
    }
    for p in Payer::ALL {
        quoted(&p, p.code());
    }
    for &t in RefundType::ALL {
        quoted(&t, t.code());
    }
    for k in EvidenceKind::ALL {
        quoted(k, k.code());
    }
    for k in OutcomeKind::ALL {
        quoted(&k, k.code());
    }
    for f in FactorId::ALL {
        quoted(f, f.code());
    }
    for &r in RefundRelease::ALL {
        quoted(&r, refund_release_name(r));
    }
    for &t in Timeliness::ALL {
        quoted(&t, timeliness_name(t));
    }
    for &c in Confidence::ALL {
        quoted(&c, confidence_name(c));
    }
}

/// Claims, reports and sellers that reach every shape of the full
/// assessment's parts: evidence present and missing, unrelated
/// attachments, returns, partial refunds, shortages, counterfeits, failed
/// claim checks and checklists, texts that need escaping.
fn claim_variants() -> Vec<Value> {
    let odd = "a \"quoted\" \\ back\u{1}\t\n é 🎉.png";
    let att = |kind: &str, name: &str, format: &str, size: u64, shows: &str| json!({"kind": kind, "file_name": name, "format": format, "size_bytes": size, "shows": shows});
    let claim = |reason: &str, solution: &str, amount: &str, currency: &str, evidence: Value| {
        json!({"reason": reason, "solution": solution,
               "refund": {"amount": amount, "currency": currency}, "evidence": evidence})
    };
    vec![
        // No claim, no report: the best suggestion's checklist (if any).
        json!({}),
        json!({"report": {"received": false}}),
        json!({"report": {"received": true, "damaged": true, "defective": true, "wrong_item": true}}),
        json!({"report": {"received": true, "no_longer_wanted": true}}),
        json!({"report": {"received": true, "counterfeit": true, "minor_defect": true}}),
        json!({"report": {"received": true, "units_received": 0}}),
        json!({"report": {"received": false},
               "claim": claim("not_received.no_tracking", "refund_only", "19.99", "USD",
                              json!([att("image", odd, "png", 1000, "tracking_screenshot"),
                                     att("image", "x.png", "png", 10, "damage_photo")]))}),
        json!({"report": {"received": true, "damaged": true},
               "claim": claim("received.damaged", "return_and_refund", "5.5", "USD",
                              json!([att("image", "d.jpg", "jpg", 2000, "damage_photo"),
                                     att("video", "u.mp4", "mp4", 3000, "unboxing_video")])),
               "seller": {"status": "refused"}}),
        json!({"report": {"received": true, "units_received": 1},
               "claim": claim("received.quantity_shortage", "refund_only", "0.01", "USD", json!([])),
               "seller": {"status": "counter_offered", "amount": {"amount": "0.50", "currency": "USD"}}}),
        json!({"report": {"received": true, "counterfeit": true},
               "claim": claim("received.counterfeit", "refund_only", "1000000", "USD",
                              json!([att("image", "l.png", "png", 1, "listing_screenshot")])),
               "seller": {"status": "silent"}}),
        // Failed checks: a bad attachment (the checklist and the claim
        // fail), a currency that is not the order's, a reason that does
        // not fit the report.
        json!({"report": {"received": true, "damaged": true},
               "claim": claim("received.damaged", "refund_only", "1.00", "USD",
                              json!([att("video", odd, "exe", 99_999_999_999u64, "damage_photo")]))}),
        json!({"claim": claim("received.damaged", "refund_only", "1.00", "EUR", json!([])),
               "seller": {"status": "accepted"}}),
        json!({"report": {"received": false},
               "claim": claim("received.not_as_described", "return_and_refund", "-3", "USD", json!([]))}),
    ]
}

/// Every sample request (facts of one line) with each of
/// [`claim_variants`] in place of its own report, claim and seller, and the
/// sample as it is.
fn full_requests() -> Vec<Value> {
    let mut out = Vec::new();
    for req in sample_requests() {
        if OrderFacts::from_json(&req["facts"].to_string()).is_err() {
            continue;
        }
        out.push(req.clone());
        for v in claim_variants() {
            let mut r = req.clone();
            for key in ["report", "claim", "seller"] {
                r.as_object_mut().unwrap().remove(key);
                if let Some(x) = v.get(key) {
                    r[key] = x.clone();
                }
            }
            out.push(r);
        }
    }
    out
}

#[test]
fn full_assessments_are_serde_json_byte_for_byte_with_any_claim() {
    use super::write::WriteJson;
    fn same<T: Serialize + WriteJson>(v: &T) {
        let mut fast = String::new();
        v.write_json(&mut fast).unwrap();
        assert_eq!(fast, serde_json::to_string(v).unwrap());
    }
    let (mut claims, mut failed_claims, mut checklists, mut failed_checklists) = (0, 0, 0, 0);
    let (mut shortages, mut compensations, mut returns) = (0, 0, 0);
    for req in full_requests() {
        for explain in [false, true] {
            for policy in ["aliexpress", "aliexpress-legacy"] {
                let mut r = req.clone();
                r["explain"] = json!(explain);
                r["policy"] = json!(policy);
                let text = r.to_string();
                let (fast, slow) = both_ways("assess", &text);
                assert_eq!(fast, slow, "{text}");
                if !fast.starts_with(r#"{"result":"success""#) {
                    continue;
                }
                // The same answer, typed: every part by its own writer.
                let parsed = Request::parse(&text).unwrap();
                let Ok(claim) = parsed.claim_opt() else {
                    continue;
                };
                let (f, p, now) = (
                    parsed.facts_ref().unwrap(),
                    parsed.policy().unwrap(),
                    parsed.now().unwrap(),
                );
                let report = parsed.report().unwrap().unwrap_or_default();
                let case = Case::new(f)
                    .report(&report)
                    .claim(claim.as_ref())
                    .seller(parsed.seller().unwrap());
                let Ok(full) = assess_full(&case, &p, now, parsed.explain()) else {
                    assert!(fast.starts_with(r#"{"result":"failure""#), "{text}");
                    continue;
                };
                same(&full);
                same(&full.reasons);
                for s in &full.reasons.reasons {
                    same(s);
                }
                match &full.checklist {
                    Some(Ok(c)) => {
                        same(c);
                        checklists += 1;
                    }
                    Some(Err(_)) => failed_checklists += 1,
                    None => {}
                }
                match &full.claim {
                    Some(Ok(c)) => {
                        same(c);
                        same(&c.checklist);
                        same(&c.interop);
                        claims += 1;
                        shortages += usize::from(c.missing_units_value.is_some());
                        returns += usize::from(c.return_shipping_payer.is_some());
                    }
                    Some(Err(_)) => failed_claims += 1,
                    None => {}
                }
                if let Ok(pr) = &full.prediction {
                    same(pr);
                    same(&pr.likely);
                    for f in pr.factors.as_slice() {
                        same(f);
                    }
                    compensations += usize::from(pr.compensation_up_to.is_some());
                }
            }
        }
    }
    // Every shape was met.
    assert!(
        claims > 40
            && failed_claims > 50
            && checklists > 100
            && failed_checklists > 10
            && shortages > 0
            && compensations > 0
            && returns > 0,
        "{claims} {failed_claims} {checklists} {failed_checklists} {shortages} {compensations} {returns}"
    );
}

#[test]
fn texts_written_without_an_escape_check_need_none_and_are_the_codes() {
    use super::write::{action_text, entry_text};
    use crate::eligibility::ActionKind;
    use crate::timeline::Milestone;
    let kinds = ActionKind::ALL;
    let milestones = Milestone::ALL;
    let texts = kinds
        .iter()
        .map(|k| action_text(*k))
        .chain(milestones.iter().map(|m| entry_text(*m)));
    for t in texts {
        assert_eq!(serde_json::to_string(t).unwrap(), format!("\"{t}\""));
    }
    // The copies are the code's texts: every text of every sample answer,
    // at instants before, in and after the windows, is the known one.
    let (mut actions, mut entries) = (
        std::collections::HashSet::new(),
        std::collections::HashSet::new(),
    );
    for req in sample_requests() {
        let Ok(f) = OrderFacts::from_json(&req["facts"].to_string()) else {
            continue;
        };
        for now in [
            "2026-02-01T00:00:00Z",
            "2026-03-20T12:00:00Z",
            "2026-05-15T00:00:00Z",
            "2027-01-01T00:00:00Z",
        ] {
            for policy in [Policy::aliexpress(), Policy::aliexpress_legacy()] {
                let Ok(a) = assess(&f, &policy, now.parse().unwrap(), Explain::No) else {
                    continue;
                };
                for x in &a.eligibility.next_actions {
                    assert_eq!(x.text, action_text(x.kind), "{:?}", x.kind);
                    actions.insert(x.kind);
                }
                for e in &a.timeline.entries {
                    assert_eq!(e.before, entry_text(e.milestone), "{:?}", e.milestone);
                    entries.insert(e.milestone);
                }
            }
        }
    }
    // Most kinds and milestones were met.
    assert!(
        actions.len() >= 4 && entries.len() >= 9,
        "{actions:?} {entries:?}"
    );
}

#[test]
fn batch_lines_are_serde_json_byte_for_byte() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("../examples/data/orders.jsonl")).unwrap();
    let mut lines = 0;
    for op in ["eligibility", "timeline", "eligibility_timeline", "assess"] {
        for explain in [false, true] {
            let req = json!({"now": NOW, "explain": explain}).to_string();
            let batch = Batch::new(op, &req).unwrap();
            for r in batch.run_lines(text.as_bytes(), 1) {
                let fast = r.to_json();
                SERDE_JSON_ONLY.with(|s| s.set(true));
                let slow = r.to_json();
                SERDE_JSON_ONLY.with(|s| s.set(false));
                assert_eq!(fast, slow);
                lines += 1;
            }
        }
    }
    assert!(lines >= 80);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]
    #[test]
    fn hand_written_answers_agree_at_any_instant(
        sample in 0usize..40, secs in 0i64..400 * 86400, nanos in 0u32..1_000_000_000,
        explain in proptest::bool::ANY, legacy in proptest::bool::ANY,
    ) {
        let reqs = sample_requests();
        let mut r = reqs[sample % reqs.len()].clone();
        let t0: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
        let now = t0 + chrono::Duration::seconds(secs) + chrono::Duration::nanoseconds(i64::from(nanos));
        r["now"] = json!(now.to_rfc3339());
        r["explain"] = json!(explain);
        r["policy"] = json!(if legacy { "aliexpress-legacy" } else { "aliexpress" });
        let text = r.to_string();
        for op in ["eligibility", "timeline", "assess"] {
            let (fast, slow) = both_ways(op, &text);
            proptest::prop_assert_eq!(fast, slow);
        }
    }
}
