//! The policy parsers: `Policy::from_json` (first byte even) and the
//! selling side's `SellingPolicy::from_json` (odd); the rest of the input is
//! the JSON. An accepted policy writes back to an equal policy and is then
//! used on a sample order.
#![no_main]

use chrono::{DateTime, Utc};
use dispute_rules::selling::{seller_timeline, CustomerDispute, CustomerOrder, SellingPolicy};
use dispute_rules::{api, Explain, OrderFacts, Policy};
use dispute_rules_fuzz::{
    check_dated_lists, check_envelope, check_error, deterministic, json_value, strict,
    whole_document_at_fault,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const FACTS: &str = include_str!("../../dispute-rules/tests/data/not_received.json");
const ORDER: &str = r#"{"schema_version": 1, "order_id": "S-1001", "platform": "paypal",
    "amount": {"amount": "59.90", "currency": "USD"}, "paid_at": "2026-02-28T03:30:00Z",
    "max_estimated_delivery": "2026-03-20"}"#;
const DISPUTE: &str = r#"{"reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "stage": "inquiry",
    "opened_at": "2026-04-25T21:00:00Z"}"#;
const NOWS: [&str; 2] = ["2026-03-20T12:00:00Z", "2026-04-26T12:00:00Z"];

struct Samples {
    facts: OrderFacts,
    order: CustomerOrder,
    dispute: CustomerDispute,
    nows: Vec<DateTime<Utc>>,
}

fn samples() -> &'static Samples {
    static S: OnceLock<Samples> = OnceLock::new();
    S.get_or_init(|| Samples {
        facts: OrderFacts::from_json(FACTS).expect("sample facts"),
        order: CustomerOrder::from_json(ORDER).expect("sample order"),
        dispute: CustomerDispute::from_json(DISPUTE).expect("sample dispute"),
        nows: NOWS
            .iter()
            .map(|n| n.parse().expect("an instant"))
            .collect(),
    })
}

/// Checks a buyer-side policy; whether it was accepted.
fn buyer(text: &str) -> bool {
    let p = match deterministic(|| Policy::from_json(text)) {
        Ok(p) => p,
        Err(e) => {
            check_error(&e, whole_document_at_fault(text));
            return false;
        }
    };
    let json = deterministic(|| p.to_json());
    let back = Policy::from_json(&json)
        .unwrap_or_else(|e| panic!("a written policy does not parse back ({e}): {json}"));
    assert_eq!(back, p, "the policy changed through JSON: {json}");
    let s = samples();
    for (&now, text) in s.nows.iter().zip(NOWS) {
        let r = deterministic(|| api::assess(&s.facts, &p, now, Explain::Yes));
        check_dated_lists(&check_envelope(&api::answer(&r), false), now);
        let request = format!(r#"{{"facts": {FACTS}, "now": "{text}"}}"#);
        for op in ["assess", "lifecycle_open"] {
            let answer = deterministic(|| api::call_with_policy(op, &p, &request));
            check_envelope(&answer, false);
        }
    }
    true
}

/// Checks a selling-side policy; whether it was accepted.
fn selling(text: &str) -> bool {
    let p = match deterministic(|| SellingPolicy::from_json(text)) {
        Ok(p) => p,
        Err(e) => {
            check_error(&e, whole_document_at_fault(text));
            return false;
        }
    };
    let json = deterministic(|| p.to_json());
    let back = SellingPolicy::from_json(&json)
        .unwrap_or_else(|e| panic!("a written selling policy does not parse back ({e}): {json}"));
    assert_eq!(back, p, "the selling policy changed through JSON: {json}");
    let s = samples();
    for &now in &s.nows {
        for dispute in [None, Some(&s.dispute)] {
            let r =
                deterministic(|| seller_timeline(&s.order, dispute, &p, now, None, Explain::Yes));
            check_dated_lists(&check_envelope(&api::answer(&r), false), now);
        }
    }
    true
}

fuzz_target!(|data: &[u8]| {
    dispute_rules_fuzz::given(data);
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let accepted = if which % 2 == 0 {
        buyer(text)
    } else {
        selling(text)
    };
    if accepted && strict() {
        assert!(
            json_value(text).is_some(),
            "accepted a policy that is not one JSON document"
        );
    }
});
