#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use super::*;
use crate::error::Error;

fn base() -> OrderFacts {
    OrderFacts::from_json(include_str!("../../tests/data/not_received.json"))
        .expect("sample parses")
}

fn now() -> DateTime<Utc> {
    "2026-03-20T12:00:00Z".parse().unwrap()
}

fn problems(f: &OrderFacts) -> Vec<(String, String)> {
    match f.validate(&Policy::aliexpress(), now()) {
        Ok(()) => Vec::new(),
        Err(Error::InvalidFacts(p)) => p
            .list()
            .iter()
            .map(|p| (p.field().to_owned(), p.message().to_owned()))
            .collect(),
        Err(e) => panic!("unexpected error kind {e}"),
    }
}

fn fields(f: &OrderFacts) -> Vec<String> {
    problems(f).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn sample_is_valid() {
    assert_eq!(problems(&base()), vec![]);
}

#[test]
fn unknown_fields_are_refused_with_their_name() {
    let json =
        include_str!("../../tests/data/not_received.json").replace("\"quantity\"", "\"qty\"");
    let err = OrderFacts::from_json(&json).unwrap_err();
    assert!(err.to_string().contains("unknown field `qty`"), "{err}");
}

#[test]
fn missing_field_is_named() {
    let json =
        include_str!("../../tests/data/not_received.json").replace("\"order_id\": \"8123\",", "");
    let err = OrderFacts::from_json(&json).unwrap_err();
    assert_eq!(err.field(), "order_id");
}

#[test]
fn nested_parse_error_names_the_path() {
    let json = include_str!("../../tests/data/not_received.json").replace(
        r#""tracking": {"status": "none"}"#,
        r#""tracking": {"status": "delivered", "at": "yesterday"}"#,
    );
    let err = OrderFacts::from_json(&json).unwrap_err();
    assert!(err.field().starts_with("tracking"), "{err}");
}

#[test]
fn delivered_before_shipped_is_rejected() {
    let mut f = base();
    f.tracking = Tracking::Delivered {
        at: "2026-02-28T00:00:00Z".parse().unwrap(),
        to_correct_address: true,
    };
    assert_eq!(fields(&f), vec!["tracking.at"]);
}

#[test]
fn receipt_before_shipment_and_without_shipment() {
    let mut f = base();
    f.receipt = Some(Receipt {
        at: "2026-02-28T00:00:00Z".parse().unwrap(),
        by: ConfirmedBy::Buyer,
    });
    assert_eq!(fields(&f), vec!["receipt.at"]);
    f.shipped_at = None;
    assert_eq!(fields(&f), vec!["receipt.at"]);
}

#[test]
fn negative_amount_zero_quantity_and_mixed_currency_are_reported_together() {
    let mut f = base();
    f.unit_price.amount = Decimal::new(-5, 0);
    f.quantity = 0;
    f.shipping_cost.currency = Currency::new("EUR").unwrap();
    let got = fields(&f);
    assert!(got.contains(&"unit_price.amount".to_owned()), "{got:?}");
    assert!(got.contains(&"quantity".to_owned()), "{got:?}");
    assert!(
        got.contains(&"shipping_cost.currency".to_owned()),
        "{got:?}"
    );
    assert_eq!(got.len(), 3);
}

#[test]
fn coupon_must_not_exceed_the_total() {
    let mut f = base();
    f.coupon = Some(Money::new(Decimal::new(2000, 2), Currency::USD));
    assert_eq!(fields(&f), vec!["coupon.amount"]);
}

#[test]
fn facts_dated_after_now_are_rejected() {
    let mut f = base();
    f.shipped_at = Some("2026-03-21T00:00:00Z".parse().unwrap());
    assert_eq!(fields(&f), vec!["shipped_at"]);
    let mut f = base();
    f.disputes.push(PriorDispute {
        opened_at: "2026-03-25T00:00:00Z".parse().unwrap(),
        status: PriorDisputeStatus::Open,
        closed_at: None,
    });
    assert_eq!(fields(&f), vec!["disputes[0].opened_at"]);
}

#[test]
fn extension_consistency() {
    let mut f = base();
    f.extensions.push(ExtensionRequest {
        requested_at: "2026-03-10T00:00:00Z".parse().unwrap(),
        days: 0,
        status: ExtensionStatus::Approved,
        decided_at: None,
    });
    assert_eq!(
        fields(&f),
        vec!["extensions[0].days", "extensions[0].decided_at"]
    );
    f.extensions[0] = ExtensionRequest {
        requested_at: "2026-03-10T00:00:00Z".parse().unwrap(),
        days: 10,
        status: ExtensionStatus::Pending,
        decided_at: Some("2026-03-11T00:00:00Z".parse().unwrap()),
    };
    assert_eq!(fields(&f), vec!["extensions[0].decided_at"]);
}

#[test]
fn c3_at_most_one_open_dispute_per_line() {
    // C-3 / R-E6: two open disputes on one line are inconsistent facts.
    let mut f = base();
    let d = PriorDispute {
        opened_at: "2026-03-15T00:00:00Z".parse().unwrap(),
        status: PriorDisputeStatus::Open,
        closed_at: None,
    };
    f.disputes = vec![d, d];
    assert_eq!(fields(&f), vec!["disputes"]);
}

#[test]
fn unknown_shipping_method_needs_a_promise() {
    let mut f = base();
    f.shipping_method = "carrier_pigeon".into();
    assert_eq!(fields(&f), vec!["shipping_method"]);
    f.promised_protection_days = Some(45);
    assert_eq!(fields(&f), Vec::<String>::new());
}

#[test]
fn c4_refund_cap_is_price_plus_shipping_less_coupon() {
    let mut f = base();
    f.unit_price = Money::parse("10.50", "USD").unwrap();
    f.quantity = 3;
    f.shipping_cost = Money::parse("2.25", "USD").unwrap();
    f.coupon = Some(Money::parse("1.00", "USD").unwrap());
    // C-4: 3 x 10.50 + 2.25 - 1.00 (coupons are not refunded) = 32.75, exactly.
    assert_eq!(f.refund_cap(), Money::parse("32.75", "USD"));
}

#[test]
fn schema_version_is_checked() {
    let mut f = base();
    f.schema_version = 2;
    assert_eq!(fields(&f), vec!["schema_version"]);
}

#[test]
fn round_trips_through_json() {
    let f = base();
    let json = serde_json::to_string(&f).unwrap();
    assert_eq!(OrderFacts::from_json(&json).unwrap(), f);
}

/// The facts JSON with one field replaced (`field` at the top level).
fn with(field: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/data/not_received.json")).unwrap();
    v[field] = value;
    v.to_string()
}

fn parse_problem(json: &str) -> (String, String) {
    let e = OrderFacts::from_json(json).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::InvalidFacts, "{e}");
    let p = &e.problems()[0];
    (p.field().to_owned(), p.message().to_owned())
}

#[test]
fn bad_instants_say_what_is_wrong_with_an_example() {
    use serde_json::json;
    let (f, m) = parse_problem(&with("shipped_at", json!("2026-03-01T18:00:00")));
    assert_eq!(f, "shipped_at");
    assert!(
        m.contains("has no UTC offset") && m.contains("2026-03-01T18:00:00Z"),
        "{m}"
    );
    let (f, m) = parse_problem(&with("shipped_at", json!("2026-02-30T10:00:00Z")));
    assert_eq!(f, "shipped_at");
    assert!(
        m.contains("2026-02-30 does not exist") && m.contains("February 2026 has 28 days"),
        "{m}"
    );
    let (_, m) = parse_problem(&with("placed_at", json!("2024-02-30T10:00:00Z")));
    assert!(m.contains("February 2024 has 29 days"), "{m}");
    let (_, m) = parse_problem(&with("paid_at", json!("2026-03-01")));
    assert!(
        m.contains("a date without a time") && m.contains("2026-03-01T00:00:00Z"),
        "{m}"
    );
    let (_, m) = parse_problem(&with("paid_at", json!("2026-13-01T00:00:00Z")));
    assert!(m.contains("no month 13"), "{m}");
    let (_, m) = parse_problem(&with("paid_at", json!("yesterday")));
    assert!(
        m.contains("not an RFC 3339 instant") && m.contains("2026-03-01T18:00:00Z"),
        "{m}"
    );
    let (f, m) = parse_problem(&with("paid_at", json!(1_700_000_000)));
    assert_eq!(f, "paid_at");
    assert!(m.contains("expected an RFC 3339 instant"), "{m}");
    // Nested instants too, with their path.
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/data/not_received.json")).unwrap();
    v["tracking"] = json!({"status": "delivered", "at": "2026-03-10T10:00:00"});
    let (f, m) = parse_problem(&v.to_string());
    assert_eq!(f, "tracking.at");
    assert!(m.contains("has no UTC offset"), "{m}");
}

#[test]
fn bad_counts_say_what_is_wrong() {
    use serde_json::json;
    let (f, m) = parse_problem(&with(
        "quantity",
        serde_json::from_str("18446744073709551616").unwrap(),
    ));
    assert_eq!(f, "quantity");
    assert!(m.contains("too large") && m.contains("4294967295"), "{m}");
    assert!(!m.contains("floating point"), "{m}");
    let (_, m) = parse_problem(&with("quantity", json!(5_000_000_000u64)));
    assert!(m.contains("`5000000000` is too large"), "{m}");
    let (_, m) = parse_problem(&with("quantity", json!(-3)));
    assert!(m.contains("must not be negative, got `-3`"), "{m}");
    let (_, m) = parse_problem(&with("quantity", json!(1.5)));
    assert!(m.contains("`1.5` is not a whole number"), "{m}");
    let (f, _) = parse_problem(&with("promised_protection_days", json!(-1)));
    assert_eq!(f, "promised_protection_days");
}

#[test]
fn tracking_fields_must_belong_to_the_status() {
    use serde_json::json;
    for (tracking, field, says) in [
        (
            json!({"status": "none", "since": "2026-03-10T00:00:00Z"}),
            "tracking",
            "unknown field `since`",
        ),
        (
            json!({"status": "stalled"}),
            "tracking.since",
            "missing field `since`",
        ),
        (
            json!({"since": "2026-03-10T00:00:00Z"}),
            "tracking.status",
            "missing field `status`",
        ),
        (
            json!({"status": "lost"}),
            "tracking.status",
            "unknown variant `lost`",
        ),
        (
            json!({"status": "delivered", "at": "2026-03-10T00:00:00Z", "bogus": 1}),
            "tracking.bogus",
            "unknown field `bogus`",
        ),
    ] {
        let (f, m) = parse_problem(&with("tracking", tracking.clone()));
        assert_eq!(f, field, "{tracking}: {m}");
        assert!(m.contains(says), "{tracking}: {m}");
    }
    // The status may come anywhere; optional fields may be absent.
    for (tracking, want) in [
        (
            json!({"at": "2026-03-10T00:00:00Z", "status": "delivered"}),
            Tracking::Delivered {
                at: "2026-03-10T00:00:00Z".parse().unwrap(),
                to_correct_address: true,
            },
        ),
        (
            json!({"status": "in_transit"}),
            Tracking::InTransit {
                last_event_at: None,
            },
        ),
        (
            json!({"status": "in_transit", "last_event_at": null}),
            Tracking::InTransit {
                last_event_at: None,
            },
        ),
        (
            json!({"to_correct_address": false, "status": "delivered", "at": "2026-03-10T00:00:00Z"}),
            Tracking::Delivered {
                at: "2026-03-10T00:00:00Z".parse().unwrap(),
                to_correct_address: false,
            },
        ),
    ] {
        let f = OrderFacts::from_json(&with("tracking", tracking.clone())).unwrap();
        assert_eq!(f.tracking, want, "{tracking}");
        // And it writes back to the same JSON form.
        let back: serde_json::Value = serde_json::to_value(f.tracking).unwrap();
        assert_eq!(
            OrderFacts::from_json(&with("tracking", back))
                .unwrap()
                .tracking,
            want
        );
    }
}

#[test]
fn facts_deserialize_from_any_serde_deserializer() {
    // A serde_json::Value is another deserializer than text: same facts,
    // same field paths in errors.
    let v: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/data/not_received.json")).unwrap();
    let from_value: OrderFacts = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(from_value, base());
    let mut bad = v;
    bad["tracking"] = serde_json::json!({"status": "delivered", "at": "2026-02-30T00:00:00Z"});
    let e: Result<OrderFacts, Error> = crate::error::from_value(&bad, Error::InvalidFacts);
    let e = e.unwrap_err();
    assert_eq!(e.field(), "tracking.at");
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[test]
fn limits_are_enforced_without_echoing_the_input() {
    let mut f = base();
    f.order_id = "7".repeat(10_000);
    f.destination_country = "Z".repeat(10_000);
    let p = problems(&f);
    assert_eq!(p[0].0, "order_id");
    assert_eq!(p[0].1, "is 10000 bytes long; at most 128");
    let country = p.iter().find(|(f, _)| f == "destination_country").unwrap();
    assert!(country.1.len() < 200, "{}", country.1);
    let mut f = base();
    f.extensions = vec![
        ExtensionRequest {
            requested_at: "2026-03-05T00:00:00Z".parse().unwrap(),
            days: 10,
            status: ExtensionStatus::Pending,
            decided_at: None,
        };
        crate::limits::MAX_EXTENSIONS + 1
    ];
    assert_eq!(fields(&f), vec!["extensions"]);
    let mut f = base();
    f.disputes = vec![
        PriorDispute {
            opened_at: "2026-03-15T00:00:00Z".parse().unwrap(),
            status: PriorDisputeStatus::Cancelled,
            closed_at: Some("2026-03-16T00:00:00Z".parse().unwrap()),
        };
        crate::limits::MAX_DISPUTES + 1
    ];
    assert_eq!(fields(&f), vec!["disputes"]);
}

#[test]
fn extension_days_are_capped_in_sum() {
    let approved = |days| ExtensionRequest {
        requested_at: "2026-03-05T00:00:00Z".parse().unwrap(),
        days,
        status: ExtensionStatus::Approved,
        decided_at: Some("2026-03-06T00:00:00Z".parse().unwrap()),
    };
    let mut f = base();
    f.extensions = vec![approved(3000), approved(3000)];
    let p = problems(&f);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "extensions");
    assert!(
        p[0].1.contains("6000 days in all; at most 3650 (R-E5)"),
        "{}",
        p[0].1
    );
    f.extensions = vec![approved(3000), approved(650)];
    assert_eq!(problems(&f), vec![]);
}

#[test]
fn computed_instants_stay_in_the_supported_years() {
    // Shipped 1 December 9999, evaluated 31 December: protection (60 days)
    // would end in the year 10000, which cannot be written.
    let mut f = base();
    f.placed_at = "9999-11-28T00:00:00Z".parse().unwrap();
    f.paid_at = Some("9999-11-28T00:01:00Z".parse().unwrap());
    f.shipped_at = Some("9999-12-01T18:00:00Z".parse().unwrap());
    let now: DateTime<Utc> = "9999-12-31T12:00:00Z".parse().unwrap();
    let policy = Policy::aliexpress();
    assert_eq!(f.validate(&policy, now), Ok(()));
    let e = crate::eligibility::assess(&f, &policy, now, crate::Explain::No).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::InvalidFacts);
    assert_eq!(e.field(), "shipped_at");
    assert!(
        e.to_string().contains("10000-01-30") && e.to_string().contains("9999-12-31"),
        "{e}"
    );
    // The same through JSON, named under `facts`.
    let req = serde_json::json!({"facts": f, "now": "9999-12-31T12:00:00Z"}).to_string();
    let a: serde_json::Value =
        serde_json::from_str(&crate::api::call("eligibility", &req)).unwrap();
    assert_eq!(a["error"]["problems"][0]["field"], "facts.shipped_at");
    // An approved extension that pushes the end out is named.
    let mut f = base();
    f.placed_at = "9999-09-01T00:00:00Z".parse().unwrap();
    f.paid_at = Some("9999-09-01T00:01:00Z".parse().unwrap());
    f.shipped_at = Some("9999-09-02T18:00:00Z".parse().unwrap());
    f.extensions = vec![ExtensionRequest {
        requested_at: "9999-09-20T00:00:00Z".parse().unwrap(),
        days: 200,
        status: ExtensionStatus::Approved,
        decided_at: Some("9999-09-21T00:00:00Z".parse().unwrap()),
    }];
    let e = crate::eligibility::assess(
        &f,
        &policy,
        "9999-10-01T00:00:00Z".parse().unwrap(),
        crate::Explain::No,
    )
    .unwrap_err();
    assert_eq!(e.field(), "extensions");
    // `now` itself must be in range.
    let e = crate::eligibility::assess(
        &base(),
        &policy,
        "1969-12-31T00:00:00Z".parse().unwrap(),
        crate::Explain::No,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (crate::ErrorKind::InvalidRequest, "now".to_owned())
    );
}

#[test]
fn c2_amounts_with_more_decimals_than_the_currency_are_refused() {
    let mut f = base();
    f.unit_price = Money::parse("19.999", "USD").unwrap();
    f.shipping_cost = Money::parse("2.5", "USD").unwrap();
    let p = problems(&f);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, "unit_price.amount");
    assert!(
        p[0].1.contains("3 decimal places") && p[0].1.contains("(C-2)"),
        "{}",
        p[0].1
    );
    // Trailing zeros are not extra decimals.
    f.unit_price = Money::parse("19.9900", "USD").unwrap();
    assert_eq!(problems(&f), vec![]);
    // JPY has none; KWD three.
    let mut f = base();
    f.unit_price = Money::parse("1500.5", "JPY").unwrap();
    f.shipping_cost = Money::parse("0", "JPY").unwrap();
    assert_eq!(fields(&f), vec!["unit_price.amount"]);
    f.unit_price = Money::parse("1.125", "KWD").unwrap();
    f.shipping_cost = Money::parse("0.5", "KWD").unwrap();
    f.coupon = Some(Money::parse("0.0001", "KWD").unwrap());
    assert_eq!(fields(&f), vec!["coupon.amount"]);
}

mod fast_reader {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn sample() -> Value {
        serde_json::from_str(include_str!("../../tests/data/not_received.json")).unwrap()
    }

    /// Whenever the fast reader answers, serde answers the same; when serde
    /// refuses, the fast reader does not answer.
    fn agrees(text: &str) -> bool {
        let fast = crate::facts::fast::parse(text);
        let serde = serde_json::from_str::<OrderFacts>(text).ok();
        match fast {
            Some(f) => serde.as_ref() == Some(&f),
            None => true,
        }
    }

    /// Valid variants in every shape the reader should take itself.
    fn variants() -> Vec<Value> {
        let mut out = vec![sample()];
        let mut v = sample();
        v["tracking"] = json!({"status": "delivered", "at": "2026-03-10T10:00:00Z", "to_correct_address": false});
        v["receipt"] = json!({"at": "2026-03-11T10:00:00Z", "by": "buyer"});
        v["coupon"] = json!({"currency": "USD", "amount": "1.00"});
        v["promised_protection_days"] = json!(75);
        v["extensions"] = json!([{"requested_at": "2026-03-05T00:00:00Z", "days": 10, "status": "approved", "decided_at": "2026-03-06T00:00:00.5+02:00"},
                                 {"requested_at": "2026-03-07T00:00:00Z", "days": 5, "status": "pending", "decided_at": null}]);
        v["disputes"] = json!([{"opened_at": "2026-03-15T00:00:00Z", "status": "cancelled", "closed_at": "2026-03-16T00:00:00Z"}]);
        out.push(v);
        for t in [
            json!({"status": "in_transit"}),
            json!({"status": "in_transit", "last_event_at": null}),
            json!({"last_event_at": "2026-03-09T00:00:00Z", "status": "in_transit"}),
            json!({"status": "stalled", "since": "2026-03-09T00:00:00Z"}),
            json!({"status": "customs_hold", "since": "2026-03-09T00:00:00Z"}),
            json!({"status": "returned_to_sender", "at": "2026-03-09T00:00:00Z"}),
        ] {
            let mut v = sample();
            v["tracking"] = t;
            out.push(v);
        }
        let mut v = sample();
        for k in [
            "paid_at",
            "coupon",
            "receipt",
            "order_cancelled_at",
            "refund_completed_at",
            "promised_protection_days",
        ] {
            v[k] = Value::Null;
        }
        out.push(v);
        let mut v = sample();
        v.as_object_mut().unwrap().remove("tracking");
        out.push(v);
        out
    }

    #[test]
    fn takes_the_common_forms_and_agrees_with_serde() {
        for v in variants() {
            for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
                let fast = crate::facts::fast::parse(&text);
                assert!(fast.is_some(), "not taken: {text}");
                assert_eq!(
                    fast,
                    serde_json::from_str::<OrderFacts>(&text).ok(),
                    "{text}"
                );
            }
        }
        // The original text, in its own key order and layout.
        let text = include_str!("../../tests/data/not_received.json");
        assert_eq!(crate::facts::fast::parse(text), Some(base()));
    }

    #[test]
    fn leaves_the_unusual_to_serde() {
        let text = include_str!("../../tests/data/not_received.json");
        for odd in [
            text.replace("\"8123\"", "\"81\\u0032\""), // an escape
            text.replace("\"19.99\"", "19.99"),        // a number amount
            text.replace("2026-03-01T18:00:00Z", "2026-03-01 18:00:00Z"), // a relaxed instant
            text.replace("\"quantity\": 1", "\"quantity\": 1, \"quantity\": 1"), // a repeated key
            format!("{text} x"),                       // trailing text
        ] {
            assert_eq!(crate::facts::fast::parse(&odd), None, "{odd}");
            assert!(agrees(&odd));
        }
        // Yet serde reads the escape and the relaxed forms the same.
        let escaped = text.replace("\"8123\"", "\"81\\u0032\\u0033\"");
        assert_eq!(OrderFacts::from_json(&escaped).unwrap(), base());
    }

    fn leaf() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            (0u32..100).prop_map(|n| json!(n)),
            Just(json!(1.5)),
            Just(json!(1e3)),
            prop::sample::select(vec!["2026-03-09T00:00:00Z", "2026-03-09T00:00:00+01:00"])
                .prop_map(|s| json!(s)),
            prop::sample::select(vec![
                "",
                "USD",
                "usd",
                "19.99",
                " 19.99 ",
                "1e2",
                "-0",
                "x\"y",
                "a\\b",
                "\u{1}",
                "2026-03-01T18:00:00Z",
                "2026-03-01T18:00:00",
                "2026-02-30T00:00:00Z",
                "2026-03-10T00:00:00.123456789+05:30",
                "none",
                "delivered",
                "stalled",
                "buyer",
                "approved",
                "pending",
                "open",
                "card",
                "tt",
                "standard",
            ])
            .prop_map(|s| json!(s)),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        leaf().prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec![
                        "status", "at", "since", "amount", "currency", "days", "x"
                    ]),
                    inner,
                    0..3
                )
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
            ]
        })
    }

    const KEYS: &[&str] = &[
        "schema_version",
        "order_id",
        "line_id",
        "unit_price",
        "quantity",
        "shipping_cost",
        "coupon",
        "placed_at",
        "paid_at",
        "shipped_at",
        "shipping_method",
        "promised_protection_days",
        "destination_country",
        "tracking",
        "receipt",
        "extensions",
        "order_cancelled_at",
        "refund_completed_at",
        "disputes",
        "payment_method",
        "bogus",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn agrees_with_serde_on_mutated_facts(
            base in prop::sample::select(variants()),
            edits in prop::collection::vec((prop::sample::select(KEYS), prop::option::of(value())), 0..3),
            nested in prop::option::of((prop::sample::select(vec![
                ("tracking", "status"), ("tracking", "at"), ("tracking", "since"), ("tracking", "last_event_at"),
                ("tracking", "to_correct_address"), ("tracking", "x"), ("unit_price", "amount"),
                ("unit_price", "currency"), ("unit_price", "x"), ("receipt", "at"), ("receipt", "by"),
                ("extensions", "days"), ("extensions", "status"), ("extensions", "decided_at"), ("extensions", "x"),
                ("disputes", "closed_at"), ("disputes", "status"),
            ]), leaf())),
            pretty in any::<bool>(),
        ) {
            let mut v = base;
            for (k, val) in edits {
                match val {
                    Some(val) => { v[k] = val; }
                    None => { v.as_object_mut().unwrap().remove(k); }
                }
            }
            if let Some(((outer, inner), val)) = nested {
                match &mut v[outer] {
                    Value::Object(m) => { m.insert(inner.to_owned(), val); }
                    Value::Array(a) => if let Some(Value::Object(m)) = a.first_mut() { m.insert(inner.to_owned(), val); },
                    _ => {}
                }
            }
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            prop_assert!(agrees(&text), "{}", text);
            // Text edits: truncations and inserted bytes.
            let cut = text.len() / 2;
            if let Some(t) = text.get(..cut) { prop_assert!(agrees(t)); }
            let extra = format!("{text}}}");
            prop_assert!(agrees(&extra));
            prop_assert!(agrees(&text.replacen(':', ": ", 3)));
            prop_assert!(agrees(&text.replacen(',', ",,", 1)));
        }
    }
}

mod utc_instants {
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        /// The direct reading of `YYYY-MM-DDTHH:MM:SSZ` gives what the RFC
        /// 3339 reader gives, for every text of that shape, valid or not.
        #[test]
        fn direct_reading_agrees_with_rfc3339(
            y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61, se in 0u32..62,
            leap in prop::sample::select(vec![1900u32, 2000, 2024, 2100, 1970, 9999, 0, 4]),
            use_leap in any::<bool>(),
        ) {
            let (y, mo, d) = if use_leap { (leap, 2, 29) } else { (y, mo, d) };
            let s = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}Z");
            prop_assert_eq!(crate::facts::fast::utc_instant(s.as_bytes()), crate::calendar::rfc3339::fast(&s), "{}", s);
        }
    }
}
