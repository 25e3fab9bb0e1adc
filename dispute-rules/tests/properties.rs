//! Property tests: parsers never panic and always name a field; eligibility
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]
//! invariants over generated valid facts.

use chrono::{DateTime, Duration, Utc};
use dispute_rules::facts::{
    ConfirmedBy, ExtensionRequest, ExtensionStatus, PriorDispute, PriorDisputeStatus, Receipt,
    Tracking,
};
use dispute_rules::{eligibility, timeline, Error, Explain, OrderFacts, Policy, Status};
use proptest::prelude::*;
use serde_json::Value;

const SAMPLE: &str = include_str!("data/not_received.json");

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        Just(Value::String("2026-03-01T18:00:00Z".into())),
        Just(Value::String("USD".into())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces, removes or adds the value at a random path of `doc`.
fn mutate(doc: &mut Value, path: &[usize], op: u8, with: Value) {
    match doc {
        Value::Object(map) if !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let k = &keys[path.first().copied().unwrap_or(0) % keys.len()];
            if path.len() <= 1 {
                match op % 3 {
                    0 => {
                        map.insert(k.clone(), with);
                    }
                    1 => {
                        map.remove(k);
                    }
                    _ => {
                        map.insert(format!("{k}_x"), with);
                    }
                }
            } else if let Some(v) = map.get_mut(k) {
                mutate(v, &path[1..], op, with);
            }
        }
        other => *other = with,
    }
}

fn check_error(e: &Error) {
    let problems = e.problems();
    assert!(!problems.is_empty());
    for p in &problems {
        assert!(!p.message().is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        if let Err(e) = OrderFacts::from_json(&s) { check_error(&e) }
        if let Err(e) = Policy::from_json(&s) { check_error(&e) }
        let _ = dispute_rules::api::call("assess", &s);
    }

    #[test]
    fn mutated_facts_give_a_value_or_an_error_naming_a_field(
        path in prop::collection::vec(any::<usize>(), 1..4), op in any::<u8>(), with in arb_json()
    ) {
        let mut doc: Value = serde_json::from_str(SAMPLE).unwrap();
        mutate(&mut doc, &path, op, with);
        let text = doc.to_string();
        let now = "2026-03-20T12:00:00Z".parse().unwrap();
        match OrderFacts::from_json(&text) {
            Ok(f) => {
                // Parsed: assessing never panics; an error names a field.
                if let Err(e) = eligibility::assess(&f, &Policy::aliexpress(), now, Explain::Yes) {
                    check_error(&e);
                    prop_assert!(!e.field().is_empty(), "no field in {e}");
                }
            }
            Err(e) => {
                check_error(&e);
                prop_assert!(!e.field().is_empty(), "no field in {e}");
            }
        }
    }

    #[test]
    fn mutated_policies_give_a_value_or_an_error_naming_a_field(
        path in prop::collection::vec(any::<usize>(), 1..4), op in any::<u8>(), with in arb_json()
    ) {
        let mut doc: Value = serde_json::from_str(&Policy::aliexpress().to_json()).unwrap();
        mutate(&mut doc, &path, op, with);
        match Policy::from_json(&doc.to_string()) {
            Ok(p) => prop_assert_eq!(Policy::from_json(&p.to_json()).unwrap(), p),
            Err(e) => {
                check_error(&e);
                prop_assert!(!e.field().is_empty(), "no field in {e}");
            }
        }
    }
}

// ---- generated valid facts ------------------------------------------------

#[derive(Debug, Clone)]
struct Case {
    facts: OrderFacts,
    last_fact: DateTime<Utc>,
}

fn arb_case() -> impl Strategy<Value = Case> {
    let t0: DateTime<Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
    (
        0i64..365 * 86400, // placed
        0i64..10 * 86400,  // shipped after placed
        prop_oneof![Just("standard"), Just("expedited"), Just("economy")],
        prop::option::of(1u32..150), // promised days
        prop::option::of((0i64..130 * 86400, any::<bool>())), // receipt after shipment
        prop::collection::vec((0i64..90 * 86400, 1u32..40, 0u8..3, 0i64..5 * 86400), 0..3),
        prop::collection::vec((0i64..60 * 86400, 0u8..6), 0..3),
        prop_oneof![Just("US"), Just("RU"), Just("BR"), Just("FR")],
        any::<bool>(),
    )
        .prop_map(
            move |(placed, ship, method, promised, receipt, exts, disputes, country, shipped)| {
                let mut f = OrderFacts::from_json(SAMPLE).unwrap();
                f.placed_at = t0 + Duration::seconds(placed);
                f.paid_at = Some(f.placed_at);
                let s = f.placed_at + Duration::seconds(ship);
                f.shipped_at = shipped.then_some(s);
                f.shipping_method = method.into();
                f.promised_protection_days = promised;
                f.destination_country = country.into();
                let mut last = s;
                if shipped {
                    f.receipt = receipt.map(|(off, buyer)| {
                        let at = s + Duration::seconds(off);
                        last = last.max(at);
                        Receipt {
                            at,
                            by: if buyer {
                                ConfirmedBy::Buyer
                            } else {
                                ConfirmedBy::Automatic
                            },
                        }
                    });
                    for (off, days, st, dec) in exts {
                        let req = s + Duration::seconds(off);
                        let status = [
                            ExtensionStatus::Pending,
                            ExtensionStatus::Approved,
                            ExtensionStatus::Declined,
                        ][st as usize];
                        let decided_at = (status != ExtensionStatus::Pending)
                            .then(|| req + Duration::seconds(dec));
                        last = last.max(decided_at.unwrap_or(req));
                        f.extensions.push(ExtensionRequest {
                            requested_at: req,
                            days,
                            status,
                            decided_at,
                        });
                    }
                    for (off, st) in disputes {
                        let opened = s + Duration::seconds(off);
                        let (status, closed_at) = match st {
                            0 => (PriorDisputeStatus::Open, None),
                            1 => (
                                PriorDisputeStatus::ClosedByAgreement,
                                Some(opened + Duration::days(2)),
                            ),
                            2 => (
                                PriorDisputeStatus::Decided,
                                Some(opened + Duration::days(9)),
                            ),
                            _ => (
                                PriorDisputeStatus::Cancelled,
                                Some(opened + Duration::hours(5)),
                            ),
                        };
                        if status == PriorDisputeStatus::Open
                            && f.disputes.iter().any(|d| d.status == status)
                        {
                            continue;
                        }
                        last = last.max(closed_at.unwrap_or(opened));
                        f.disputes.push(PriorDispute {
                            opened_at: opened,
                            status,
                            closed_at,
                        });
                    }
                    f.tracking = Tracking::InTransit {
                        last_event_at: Some(s),
                    };
                }
                last = last.max(f.placed_at);
                Case {
                    facts: f,
                    last_fact: last,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn eligible_means_inside_a_non_empty_window(
        case in arb_case(), after in 0i64..200 * 86400, legacy in any::<bool>()
    ) {
        let policy = if legacy { Policy::aliexpress_legacy() } else { Policy::aliexpress() };
        let now = case.last_fact + Duration::seconds(after);
        let e = eligibility::assess(&case.facts, &policy, now, Explain::No).unwrap();
        if e.status == Status::Eligible {
            let w = e.window.unwrap();
            prop_assert!(w.opens_at < w.closes_at);
            prop_assert!(w.opens_at.utc <= now && now < w.closes_at.utc);
            prop_assert!(e.code.is_none());
        } else {
            prop_assert!(e.code.is_some());
            prop_assert_eq!(e.code.unwrap().status(), e.status);
        }
        // The timeline is ordered and its passed flags agree with `now`.
        let t = timeline::build(&case.facts, &policy, now, Explain::No).unwrap();
        prop_assert!(t.entries.windows(2).all(|w| w[0].at <= w[1].at));
        prop_assert!(t.entries.iter().all(|x| x.passed == (now >= x.at.utc)));
    }

    #[test]
    fn a_closed_line_never_becomes_eligible_again(
        case in arb_case(), a in 0i64..200 * 86400, b in 0i64..200 * 86400
    ) {
        let policy = Policy::aliexpress();
        let now1 = case.last_fact + Duration::seconds(a);
        let now2 = now1 + Duration::seconds(b);
        let e1 = eligibility::assess(&case.facts, &policy, now1, Explain::No).unwrap();
        let e2 = eligibility::assess(&case.facts, &policy, now2, Explain::No).unwrap();
        if e1.status == Status::Closed {
            prop_assert_eq!(e2.status, Status::Closed);
        }
        if e1.status == Status::Eligible && e2.status == Status::NotYet {
            prop_assert!(false, "went from eligible back to not yet");
        }
        // The window itself does not depend on `now`.
        prop_assert_eq!(e1.window, e2.window);
    }
}
