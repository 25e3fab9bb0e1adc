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
