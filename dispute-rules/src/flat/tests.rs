#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use super::*;
use crate::facts::PaymentMethod;
use crate::policy::Policy;
use proptest::prelude::*;

fn sample() -> OrderFacts {
    OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Facts using every column: coupon, receipt, extensions, disputes...
fn full() -> OrderFacts {
    let mut f = sample();
    f.coupon = Some(Money::new(Decimal::new(150, 2), Currency::USD));
    f.promised_protection_days = Some(75);
    f.tracking = Tracking::Delivered {
        at: t("2026-03-10T08:00:00.25Z"),
        to_correct_address: false,
    };
    f.receipt = Some(Receipt {
        at: t("2026-03-11T09:00:00Z"),
        by: ConfirmedBy::Automatic,
    });
    f.extensions = vec![
        ExtensionRequest {
            requested_at: t("2026-03-05T00:00:00Z"),
            days: 15,
            status: ExtensionStatus::Approved,
            decided_at: Some(t("2026-03-06T00:00:00Z")),
        },
        ExtensionRequest {
            requested_at: t("2026-03-12T00:00:00Z"),
            days: 7,
            status: ExtensionStatus::Pending,
            decided_at: None,
        },
    ];
    f.disputes = vec![PriorDispute {
        opened_at: t("2026-03-12T10:00:00Z"),
        status: PriorDisputeStatus::Cancelled,
        closed_at: Some(t("2026-03-13T10:00:00Z")),
    }];
    f.order_cancelled_at = Some(t("2026-03-14T00:00:00Z"));
    f.refund_completed_at = Some(t("2026-03-15T00:00:00Z"));
    f.payment_method = PaymentMethod::WesternUnion;
    f
}

fn layout() -> Layout {
    Layout::new(COLUMNS.map(Column::name)).unwrap()
}

fn read_text(cells: &[String]) -> Result<OrderFacts, Error> {
    facts(&TextRow::new(&layout(), cells))
}

fn fields(e: &Error) -> Vec<String> {
    e.problems().iter().map(|p| p.field().to_owned()).collect()
}

/// A row of named cells; every other column empty.
fn row(cells: &[(Column, &str)]) -> Vec<String> {
    let mut out = to_text(&sample()).unwrap();
    for (c, v) in cells {
        out[COLUMNS.iter().position(|x| x == c).unwrap()] = (*v).to_owned();
    }
    out
}

/// A typed row: the sample's text, with some columns replaced by values.
struct Typed<'a> {
    text: Vec<String>,
    typed: &'a [(Column, Value<'a>)],
}

impl Row for Typed<'_> {
    fn get(&self, column: Column) -> Value<'_> {
        match self.typed.iter().find(|(c, _)| *c == column) {
            Some((_, v)) => *v,
            None => Value::Text(&self.text[column.index()]),
        }
    }
}

fn read_typed(typed: &[(Column, Value<'_>)]) -> Result<OrderFacts, Error> {
    facts(&Typed {
        text: to_text(&sample()).unwrap(),
        typed,
    })
}

#[test]
fn columns_have_unique_names_in_their_canonical_order() {
    assert_eq!(COLUMNS.len() + CUSTOMER_COLUMNS.len(), Column::COUNT);
    for (i, c) in COLUMNS.iter().chain(&CUSTOMER_COLUMNS).enumerate() {
        assert_eq!(c.index(), i, "{c}: COLUMNS follows the enum order");
        assert_eq!(Column::from_name(c.name()), Some(*c));
        assert_eq!(c.to_string(), c.name());
    }
    assert_eq!(Column::from_name("Order_ID"), None);
    assert_eq!(
        COLUMNS.iter().filter(|c| c.required()).count(),
        10,
        "the required facts fields"
    );
}

#[test]
fn facts_round_trip_through_text_cells() {
    for f in [sample(), full()] {
        let cells = to_text(&f).unwrap();
        assert_eq!(cells.len(), COLUMNS.len());
        assert_eq!(read_text(&cells).unwrap(), f);
    }
    let cells = to_text(&full()).unwrap();
    let get = |c: Column| cells[c.index()].as_str();
    assert_eq!(get(Column::Coupon), "1.50");
    assert_eq!(get(Column::TrackingStatus), "delivered");
    assert_eq!(get(Column::TrackingAt), "2026-03-10T08:00:00.250Z");
    assert_eq!(get(Column::DeliveredToCorrectAddress), "false");
    assert_eq!(get(Column::ReceiptBy), "automatic");
    assert_eq!(get(Column::PaymentMethod), "western_union");
    assert_eq!(
        get(Column::Extensions),
        "2026-03-05T00:00:00Z/15/approved/2026-03-06T00:00:00Z;2026-03-12T00:00:00Z/7/pending"
    );
    assert_eq!(
        get(Column::Disputes),
        "2026-03-12T10:00:00Z/cancelled/2026-03-13T10:00:00Z"
    );
}

#[test]
fn facts_flat_columns_cannot_hold_are_refused_by_name() {
    let mut f = full();
    f.coupon = Some(Money::new(Decimal::ONE, Currency::new("EUR").unwrap()));
    f.schema_version = 2;
    let e = to_text(&f).unwrap_err();
    assert_eq!(fields(&e), ["schema_version", "coupon.currency"]);
}

#[test]
fn every_tracking_state_reads_and_writes() {
    let at = t("2026-03-05T00:00:00Z");
    let states = [
        Tracking::None,
        Tracking::InTransit {
            last_event_at: None,
        },
        Tracking::InTransit {
            last_event_at: Some(at),
        },
        Tracking::Stalled { since: at },
        Tracking::CustomsHold { since: at },
        Tracking::ReturnedToSender { at },
        Tracking::Delivered {
            at,
            to_correct_address: true,
        },
    ];
    let mut names: Vec<&str> = states.iter().map(Tracking::name).collect();
    names.dedup();
    assert_eq!(names, TRACKING_NAMES, "every variant has its name");
    for s in states {
        let mut f = sample();
        f.tracking = s;
        assert_eq!(read_text(&to_text(&f).unwrap()).unwrap(), f, "{s:?}");
    }
}

type Case<'a> = (&'a [(Column, &'a str)], &'a [&'a str]);

#[test]
fn tracking_columns_must_agree() {
    let cases: &[Case<'_>] = &[
        (&[(Column::TrackingStatus, "stalled")], &["tracking_at"]),
        (
            &[
                (Column::TrackingStatus, "none"),
                (Column::TrackingAt, "2026-03-05T00:00:00Z"),
            ],
            &["tracking_at"],
        ),
        (
            &[
                (Column::TrackingStatus, ""),
                (Column::TrackingAt, "2026-03-05T00:00:00Z"),
            ],
            &["tracking_status"],
        ),
        (
            &[
                (Column::TrackingStatus, "in_transit"),
                (Column::DeliveredToCorrectAddress, "false"),
            ],
            &["delivered_to_correct_address"],
        ),
        (
            &[
                (Column::TrackingStatus, "delivered"),
                (Column::TrackingAt, "2026-03-05T00:00:00Z"),
                (Column::DeliveredToCorrectAddress, "no"),
            ],
            &["delivered_to_correct_address"],
        ),
        (&[(Column::TrackingStatus, "lost")], &["tracking_status"]),
        (
            &[
                (Column::TrackingStatus, "delivered"),
                (Column::TrackingAt, "yesterday"),
            ],
            &["tracking_at"],
        ),
    ];
    for (cells, want) in cases {
        let e = read_text(&row(cells)).unwrap_err();
        assert_eq!(fields(&e), *want, "{cells:?}: {e}");
    }
    let e = read_text(&row(&[(Column::TrackingStatus, "lost")])).unwrap_err();
    assert!(
        e.to_string()
            .contains("unknown tracking status `lost`, expected one of `none`, `in_transit`"),
        "{e}"
    );
    // Any case for flags; `delivered` without a flag is to the right address.
    let f = read_text(&row(&[
        (Column::TrackingStatus, " delivered "),
        (Column::TrackingAt, "2026-03-05T00:00:00Z"),
        (Column::DeliveredToCorrectAddress, "FALSE"),
    ]))
    .unwrap();
    assert_eq!(
        f.tracking,
        Tracking::Delivered {
            at: t("2026-03-05T00:00:00Z"),
            to_correct_address: false
        }
    );
}

#[test]
fn receipt_needs_both_columns() {
    let e = read_text(&row(&[(Column::ReceiptAt, "2026-03-05T00:00:00Z")])).unwrap_err();
    assert_eq!(fields(&e), ["receipt_by"]);
    let e = read_text(&row(&[(Column::ReceiptBy, "buyer")])).unwrap_err();
    assert_eq!(fields(&e), ["receipt_at"]);
    let e = read_text(&row(&[
        (Column::ReceiptAt, "2026-03-05T00:00:00Z"),
        (Column::ReceiptBy, "courier"),
    ]))
    .unwrap_err();
    assert_eq!(fields(&e), ["receipt_by"]);
    assert!(e.to_string().contains("unknown variant `courier`"), "{e}");
}

#[test]
fn list_problems_name_the_element_and_part() {
    let cases: &[(Column, &str, &[&str])] = &[
        (
            Column::Extensions,
            "2026-03-05T00:00:00Z/15",
            &["extensions[0]"],
        ),
        (
            Column::Extensions,
            "2026-03-05T00:00:00Z/15/pending;2026-03-06T00:00:00Z/ten/approved/2026-03-06",
            &["extensions[1].days", "extensions[1].decided_at"],
        ),
        (
            Column::Extensions,
            "2026-03-05T00:00:00Z/15/maybe",
            &["extensions[0].status"],
        ),
        (
            Column::Extensions,
            "2026-03-05T00:00:00Z/15/pending;",
            &["extensions[1]"],
        ),
        (
            Column::Disputes,
            "2026-03-05/open;2026-03-05T00:00:00Z/won",
            &["disputes[0].opened_at", "disputes[1].status"],
        ),
        (Column::Disputes, "a/b/c/d", &["disputes[0]"]),
    ];
    for (c, cell, want) in cases {
        let e = read_text(&row(&[(*c, cell)])).unwrap_err();
        assert_eq!(fields(&e), *want, "{cell}: {e}");
    }
    // Spaces around separators are ignored; an empty decision is absent.
    let f = read_text(&row(&[(
        Column::Extensions,
        " 2026-03-05T00:00:00Z / 15 / pending / ; 2026-03-06T00:00:00Z/3/declined/2026-03-07T00:00:00Z",
    )]))
    .unwrap();
    assert_eq!(f.extensions.len(), 2);
    assert_eq!(f.extensions[0].decided_at, None);
    assert_eq!(f.extensions[1].status, ExtensionStatus::Declined);
}

#[test]
fn a_misshapen_list_element_is_quoted_without_its_spaces() {
    let cases: &[(Column, &str, &str)] = &[
        (
            Column::Extensions,
            "2026-03-05T00:00:00Z / 15",
            "`extensions[0]`: `2026-03-05T00:00:00Z/15` is not `requested_at/days/status` or \
             `requested_at/days/status/decided_at`",
        ),
        (
            Column::Extensions,
            "a / b/c /d/ e",
            "`extensions[0]`: `a/b/c/d/e` is not `requested_at/days/status` or \
             `requested_at/days/status/decided_at`",
        ),
        (
            Column::Extensions,
            "2026-03-05T00:00:00Z/15/pending; ",
            "`extensions[1]`: empty element (elements are separated by `;`, with none after the last)",
        ),
        (
            Column::Disputes,
            " x ",
            "`disputes[0]`: `x` is not `opened_at/status` or `opened_at/status/closed_at`",
        ),
        (
            Column::Disputes,
            "a/b/c/d/e/f",
            "`disputes[0]`: `a/b/c/d/e/f` is not `opened_at/status` or `opened_at/status/closed_at`",
        ),
    ];
    for (c, cell, want) in cases {
        let e = read_text(&row(&[(*c, cell)])).unwrap_err();
        assert!(e.to_string().contains(want), "{cell}: {e}");
    }
}

#[test]
fn every_bad_cell_is_reported_at_once_by_column() {
    let e = read_text(&row(&[
        (Column::OrderId, " "),
        (Column::UnitPrice, "12,50"),
        (Column::Currency, "usd"),
        (Column::Quantity, "-1"),
        (Column::PlacedAt, "2026-02-27 09:00"),
        (Column::PromisedProtectionDays, "99999999999"),
        (Column::PaymentMethod, "cash"),
    ]))
    .unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::InvalidFacts);
    assert_eq!(
        fields(&e),
        [
            "order_id",
            "currency",
            "unit_price",
            "quantity",
            "placed_at",
            "promised_protection_days",
            "payment_method"
        ]
    );
    let text = e.to_string();
    for part in [
        "`order_id`: must not be empty",
        "`12,50` is not a decimal amount",
        "`usd` is not a currency code",
        "`-1` is not a whole number",
        "`2026-02-27 09:00` is not an RFC 3339 instant",
        "`99999999999` is out of range 0 to 4294967295",
        "unknown variant `cash`",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[test]
fn layout_reports_every_header_problem_by_column() {
    let e = Layout::new([
        "order_id",
        "line_id",
        "unit_price",
        "unit_price",
        "shiped_at",
        "quantity",
        "shipping_cost",
        "placed_at",
        "shipping_method",
        "destination_country",
        "payment_method",
    ])
    .unwrap_err();
    assert_eq!(fields(&e), ["unit_price", "shiped_at", "currency"]);
    let text = e.to_string();
    assert!(text.contains("column `unit_price` appears twice"), "{text}");
    assert!(
        text.contains("unknown column `shiped_at` (the columns: order_id, line_id"),
        "{text}"
    );
    assert!(
        text.contains("missing required column `currency`"),
        "{text}"
    );
}

#[test]
fn an_empty_header_cell_is_named_by_its_position() {
    // Fuzz finding: an empty (or blank) header name gave a problem with an
    // empty field, which reads as "the whole document".
    let mut names: Vec<&str> = COLUMNS.iter().map(|c| c.name()).collect();
    names.insert(2, "");
    names.push("  ");
    let e = Layout::new(&names).unwrap_err();
    assert_eq!(fields(&e), ["header[2]", "header[24]"]);
    let text = e.to_string();
    assert!(
        text.contains("`header[2]`: empty column name (the columns: order_id, line_id"),
        "{text}"
    );
}

#[test]
fn optional_columns_may_be_left_out_of_the_header() {
    let required: Vec<Column> = COLUMNS.into_iter().filter(|c| c.required()).collect();
    // In another order than the canonical one, with spaces around names.
    let names: Vec<String> = required.iter().rev().map(|c| format!(" {c} ")).collect();
    let layout = Layout::new(&names).unwrap();
    assert_eq!(layout.columns().len(), required.len());
    assert_eq!(layout.position(Column::ShippedAt), None);
    let all = to_text(&sample()).unwrap();
    let cells: Vec<&str> = required
        .iter()
        .rev()
        .map(|c| all[c.index()].as_str())
        .collect();
    let f = facts(&TextRow::new(&layout, &cells)).unwrap();
    let mut want = sample();
    (want.paid_at, want.shipped_at) = (None, None);
    assert_eq!(f, want);
    // A row shorter than its header: the missing cells are empty.
    let e = facts(&TextRow::new(&layout, &cells[..3])).unwrap_err();
    assert!(fields(&e).contains(&"order_id".to_owned()), "{e}");
}

#[test]
fn typed_values_read_without_text() {
    let micros = t("2026-03-01T18:00:00Z").timestamp_micros();
    let f = read_typed(&[
        (Column::OrderId, Value::Int(8123)),
        (Column::LineId, Value::UInt(1)),
        (
            Column::UnitPrice,
            Value::Decimal128 {
                mantissa: 1999,
                scale: 2,
            },
        ),
        (Column::ShippingCost, Value::Float(0.1)),
        (
            Column::Coupon,
            Value::Decimal128 {
                mantissa: 2,
                scale: -1,
            },
        ),
        (Column::Quantity, Value::Float(3.0)),
        (Column::PromisedProtectionDays, Value::Int(60)),
        (
            Column::PlacedAt,
            Value::Timestamp {
                value: micros / 1_000_000 - 86_400,
                unit: TimeUnit::Seconds,
            },
        ),
        (
            Column::PaidAt,
            Value::Timestamp {
                value: micros / 1000 - 1,
                unit: TimeUnit::Millis,
            },
        ),
        (
            Column::ShippedAt,
            Value::Timestamp {
                value: micros,
                unit: TimeUnit::Micros,
            },
        ),
        (Column::TrackingStatus, Value::Text("delivered")),
        (
            Column::TrackingAt,
            Value::Timestamp {
                value: micros * 1000 + 5,
                unit: TimeUnit::Nanos,
            },
        ),
        (Column::DeliveredToCorrectAddress, Value::Bool(false)),
    ])
    .unwrap();
    assert_eq!(f.order_id, "8123");
    assert_eq!(f.line_id, "1");
    assert_eq!(f.unit_price.to_string(), "19.99 USD");
    assert_eq!(f.shipping_cost.amount.to_string(), "0.1", "exactly 0.1");
    assert_eq!(f.coupon.unwrap().amount, Decimal::from(20));
    assert_eq!(f.quantity, 3);
    assert_eq!(f.promised_protection_days, Some(60));
    assert_eq!(f.placed_at, t("2026-02-28T18:00:00Z"));
    assert_eq!(f.paid_at, Some(t("2026-03-01T17:59:59.999Z")));
    assert_eq!(f.shipped_at, Some(t("2026-03-01T18:00:00Z")));
    assert_eq!(
        f.tracking,
        Tracking::Delivered {
            at: t("2026-03-01T18:00:00.000000005Z"),
            to_correct_address: false
        }
    );

    let e = read_typed(&[
        (Column::OrderId, Value::Bool(true)),
        (Column::UnitPrice, Value::Float(f64::NAN)),
        (Column::Quantity, Value::Float(2.5)),
        (Column::ShippingCost, Value::Text("0")),
        (Column::PlacedAt, Value::Int(5)),
        (
            Column::PaidAt,
            Value::Timestamp {
                value: i64::MAX,
                unit: TimeUnit::Seconds,
            },
        ),
        (
            Column::Coupon,
            Value::Decimal128 {
                mantissa: i128::MAX,
                scale: 2,
            },
        ),
        (Column::PromisedProtectionDays, Value::Int(-3)),
        (Column::DeliveredToCorrectAddress, Value::Int(1)),
    ])
    .unwrap_err();
    let text = e.to_string();
    assert_eq!(
        fields(&e),
        [
            "order_id",
            "unit_price",
            "quantity",
            "coupon",
            "placed_at",
            "paid_at",
            "promised_protection_days",
            "delivered_to_correct_address",
        ],
        "{text}"
    );
    for part in [
        "expected text, got a boolean",
        "amount is not a finite number",
        "`2.5` is not a whole number",
        "is out of range",
        "expected an instant, got an integer",
        "timestamp 9223372036854775807 is out of range",
        "-3 is out of range 0 to 4294967295",
        "expected `true` or `false`, got an integer",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[test]
fn engine_problems_are_renamed_to_columns() {
    for (path, column) in [
        ("unit_price.amount", "unit_price"),
        ("facts.unit_price.currency", "currency"),
        ("shipping_cost.currency", "currency"),
        ("coupon.amount", "coupon"),
        ("tracking", "tracking_status"),
        ("tracking.at", "tracking_at"),
        ("tracking.since", "tracking_at"),
        ("tracking.last_event_at", "tracking_at"),
        (
            "tracking.to_correct_address",
            "delivered_to_correct_address",
        ),
        ("receipt.at", "receipt_at"),
        ("receipt.by", "receipt_by"),
        ("extensions[2].days", "extensions[2].days"),
        ("facts.disputes[0].closed_at", "disputes[0].closed_at"),
        ("shipped_at", "shipped_at"),
        ("", ""),
    ] {
        assert_eq!(column_of(path), column, "{path}");
    }
    // A row that reads but does not validate: delivered before shipped,
    // a negative price.
    let f = read_text(&row(&[
        (Column::UnitPrice, "-4.00"),
        (Column::TrackingStatus, "delivered"),
        (Column::TrackingAt, "2026-02-28T00:00:00Z"),
    ]))
    .unwrap();
    let now = t("2026-03-20T12:00:00Z");
    let e = column_error(f.validate(&Policy::aliexpress(), now).unwrap_err());
    assert_eq!(fields(&e), ["unit_price", "tracking_at"]);
    let other = Error::InvalidPolicy(Problems::one("x.y", "m"));
    assert_eq!(column_error(other.clone()), other);
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 1970 to 9999, with sub-second parts now and then.
    (
        0i64..253_402_300_799,
        prop_oneof![Just(0u32), 0u32..1_000_000_000],
    )
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap())
}

fn amount() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..8).prop_map(|(m, s)| Decimal::new(m, s))
}

fn word() -> impl Strategy<Value = String> {
    // Any text without the characters a CSV reader treats specially would
    // be too kind: include separators, quotes and non-ASCII.
    "[a-zA-Z0-9 ;/\",é-]{1,12}".prop_filter("not blank", |s| !s.trim().is_empty())
}

prop_compose! {
    fn arb_facts()(
        ids in (word(), word(), word(), "[A-Z]{2}"),
        cur in "[A-Z]{3}",
        amounts in (amount(), amount(), proptest::option::of(amount())),
        quantity in any::<u32>(),
        times in (instant(), proptest::option::of(instant()), proptest::option::of(instant())),
        more in (proptest::option::of(instant()), proptest::option::of(instant())),
        promised in proptest::option::of(any::<u32>()),
        tracking in (0usize..7, instant(), any::<bool>()),
        receipt in proptest::option::of((instant(), any::<bool>())),
        extensions in proptest::collection::vec((instant(), any::<u32>(), 0usize..3, instant()), 0..3),
        disputes in proptest::collection::vec((instant(), 0usize..4, instant()), 0..3),
        payment in 0usize..8,
    ) -> OrderFacts {
        let cur = Currency::new(&cur).unwrap();
        let (at, t_at, right) = (tracking.0, tracking.1, tracking.2);
        let tracking = match at {
            0 => Tracking::None,
            1 => Tracking::InTransit { last_event_at: None },
            2 => Tracking::InTransit { last_event_at: Some(t_at) },
            3 => Tracking::Stalled { since: t_at },
            4 => Tracking::CustomsHold { since: t_at },
            5 => Tracking::ReturnedToSender { at: t_at },
            _ => Tracking::Delivered { at: t_at, to_correct_address: right },
        };
        let statuses = [ExtensionStatus::Pending, ExtensionStatus::Approved, ExtensionStatus::Declined];
        let dstatuses = [
            PriorDisputeStatus::Open,
            PriorDisputeStatus::Cancelled,
            PriorDisputeStatus::ClosedByAgreement,
            PriorDisputeStatus::Decided,
        ];
        let payments = [
            PaymentMethod::Card, PaymentMethod::Wallet, PaymentMethod::Paypal,
            PaymentMethod::CashPayment, PaymentMethod::WesternUnion, PaymentMethod::Tt,
            PaymentMethod::BankTransfer, PaymentMethod::Other,
        ];
        OrderFacts {
            schema_version: FACTS_SCHEMA_VERSION,
            order_id: ids.0,
            line_id: ids.1,
            unit_price: Money::new(amounts.0, cur),
            quantity,
            shipping_cost: Money::new(amounts.1, cur),
            coupon: amounts.2.map(|a| Money::new(a, cur)),
            placed_at: times.0,
            paid_at: times.1,
            shipped_at: times.2,
            shipping_method: ids.2,
            promised_protection_days: promised,
            destination_country: ids.3,
            tracking,
            receipt: receipt.map(|(at, buyer)| Receipt {
                at,
                by: if buyer { ConfirmedBy::Buyer } else { ConfirmedBy::Automatic },
            }),
            extensions: extensions
                .into_iter()
                .map(|(r, days, s, d)| ExtensionRequest {
                    requested_at: r,
                    days,
                    status: statuses[s],
                    decided_at: (s > 0).then_some(d),
                })
                .collect(),
            order_cancelled_at: more.0,
            refund_completed_at: more.1,
            disputes: disputes
                .into_iter()
                .map(|(o, s, c)| PriorDispute {
                    opened_at: o,
                    status: dstatuses[s],
                    closed_at: (s > 0).then_some(c),
                })
                .collect(),
            payment_method: payments[payment],
        }
    }
}

proptest! {
    #[test]
    fn any_flat_facts_round_trip(f in arb_facts()) {
        let cells = to_text(&f).unwrap();
        prop_assert_eq!(read_text(&cells).unwrap(), f);
    }

    #[test]
    fn any_cells_give_facts_or_problems_naming_columns(
        cells in proptest::collection::vec(
            prop_oneof![
                Just(String::new()),
                "[ -~]{0,30}",
                Just("2026-03-01T18:00:00Z".to_owned()),
                Just("delivered".to_owned()),
                Just("12.5".to_owned()),
                Just("2026-03-05T00:00:00Z/15/pending;x/y".to_owned()),
            ],
            Column::COUNT,
        ),
    ) {
        if let Err(e) = read_text(&cells) {
            prop_assert_eq!(e.kind(), crate::ErrorKind::InvalidFacts);
            for p in e.problems() {
                let head = p.field().split(['[', '.']).next().unwrap();
                prop_assert!(Column::from_name(head).is_some(), "{}", p.field());
                prop_assert!(!p.message().is_empty());
            }
        }
    }
}

// --- the customer columns ---------------------------------------------------

/// A layout of every column: the facts columns, then the customer columns
/// (so a column's position is its index).
fn all_layout() -> Layout {
    Layout::new(COLUMNS.iter().chain(&CUSTOMER_COLUMNS).map(|c| c.name())).unwrap()
}

/// PayPal, not received, an inquiry: the first worked example's customer
/// side.
fn paypal() -> CustomerSide {
    CustomerSide {
        order: CustomerOrder::from_json(
            r#"{"schema_version": 1, "order_id": "S-1001", "platform": "paypal",
               "amount": {"amount": "59.90", "currency": "USD"},
               "paid_at": "2026-02-28T03:30:00Z"}"#,
        )
        .unwrap(),
        dispute: Some(
            CustomerDispute::from_json(
                r#"{"reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "stage": "inquiry",
                   "opened_at": "2026-04-25T21:00:00Z"}"#,
            )
            .unwrap(),
        ),
    }
}

/// A customer side using every customer column.
fn full_customer() -> CustomerSide {
    CustomerSide {
        order: CustomerOrder::from_json(
            r#"{"schema_version": 1, "order_id": " S 2002 ", "platform": "stripe",
               "amount": {"amount": "45.00", "currency": "EUR"},
               "paid_at": "2026-09-08T18:00:00Z", "expected_delivery": "2026-10-20",
               "min_estimated_delivery": "2026-10-01T07:00:00Z",
               "max_estimated_delivery": "2026-10-25", "delivered_at": "2026-10-05T20:00:00.5Z",
               "country": "IE", "fee_tier": "standard"}"#,
        )
        .unwrap(),
        dispute: Some(
            CustomerDispute::from_json(
                r#"{"reason": "product_not_received", "network": "visa",
                   "network_reason_code": "13.1", "stage": "chargeback",
                   "opened_at": "2026-11-20T17:15:00Z", "stage_started_at": "2026-11-21T00:00:00Z",
                   "respond_by": "2026-12-08", "no_response_allowed": true,
                   "offer_made_at": "2026-11-22T10:00:00Z", "closed_at": "2026-11-30T10:00:00Z"}"#,
            )
            .unwrap(),
        ),
    }
}

/// The sample facts and a customer side (or none) as one row of
/// [`all_layout`].
fn customer_cells(side: Option<&CustomerSide>) -> Vec<String> {
    let mut cells = to_text(&sample()).unwrap();
    match side {
        Some(c) => cells.extend(customer_to_text(&c.order, c.dispute.as_ref()).unwrap()),
        None => cells.extend(CUSTOMER_COLUMNS.map(|_| String::new())),
    }
    cells
}

fn read_customer(cells: &[String]) -> Result<Option<CustomerSide>, Error> {
    customer(&TextRow::new(&all_layout(), cells))
}

/// The PayPal row with some cells replaced.
fn customer_row(cells: &[(Column, &str)]) -> Vec<String> {
    let mut out = customer_cells(Some(&paypal()));
    for (c, v) in cells {
        out[c.index()] = (*v).to_owned();
    }
    out
}

#[test]
fn customer_columns_follow_the_facts_columns() {
    for c in CUSTOMER_COLUMNS {
        assert!(c.is_customer(), "{c}");
        assert!(!c.required(), "{c}: customer columns are optional");
        assert!(c.name().starts_with("customer_"), "{c}");
        assert_eq!(
            c.is_customer_dispute(),
            c.name().starts_with("customer_dispute_"),
            "{c}"
        );
    }
    assert!(COLUMNS.iter().all(|c| !c.is_customer()));
    let kinds = |k: Kind| -> Vec<&str> {
        CUSTOMER_COLUMNS
            .iter()
            .filter(|c| c.kind() == k)
            .map(|c| c.name())
            .collect()
    };
    assert_eq!(kinds(Kind::Amount), ["customer_amount"]);
    assert_eq!(
        kinds(Kind::DateOrInstant),
        [
            "customer_expected_delivery",
            "customer_min_estimated_delivery",
            "customer_max_estimated_delivery",
            "customer_delivered_at",
            "customer_dispute_respond_by"
        ]
    );
    assert_eq!(kinds(Kind::Flag), ["customer_dispute_no_response_allowed"]);
}

#[test]
fn customer_side_round_trips_through_text_cells() {
    let mut no_dispute = full_customer();
    no_dispute.dispute = None;
    for side in [paypal(), full_customer(), no_dispute] {
        let cells = customer_cells(Some(&side));
        assert_eq!(cells.len(), Column::COUNT);
        assert_eq!(read_customer(&cells).unwrap(), Some(side.clone()));
        // The facts of the same row read as without the customer columns.
        assert_eq!(
            facts(&TextRow::new(&all_layout(), &cells)).unwrap(),
            sample()
        );
    }
    let cells = customer_cells(Some(&full_customer()));
    let get = |c: Column| cells[c.index()].as_str();
    assert_eq!(get(Column::CustomerOrderId), " S 2002 ", "ids as they are");
    assert_eq!(get(Column::CustomerPlatform), "stripe");
    assert_eq!(
        (get(Column::CustomerAmount), get(Column::CustomerCurrency)),
        ("45.00", "EUR")
    );
    assert_eq!(get(Column::CustomerExpectedDelivery), "2026-10-20");
    assert_eq!(
        get(Column::CustomerMinEstimatedDelivery),
        "2026-10-01T07:00:00Z"
    );
    assert_eq!(get(Column::CustomerDeliveredAt), "2026-10-05T20:00:00.500Z");
    assert_eq!(get(Column::CustomerDisputeNetwork), "visa");
    assert_eq!(get(Column::CustomerDisputeRespondBy), "2026-12-08");
    assert_eq!(get(Column::CustomerDisputeNoResponseAllowed), "true");
    // Without a dispute the dispute cells are empty.
    let cells = customer_to_text(&paypal().order, None).unwrap();
    assert!(cells[11..].iter().all(String::is_empty), "{cells:?}");
    // Spaces around codes are ignored.
    let side = read_customer(&customer_row(&[
        (Column::CustomerPlatform, " paypal "),
        (Column::CustomerDisputeStage, " inquiry "),
        (Column::CustomerDisputeNoResponseAllowed, " False "),
    ]))
    .unwrap();
    assert_eq!(side, Some(paypal()));
    let mut v2 = paypal();
    v2.order.schema_version = 2;
    let e = customer_to_text(&v2.order, None).unwrap_err();
    assert_eq!(fields(&e), ["customer_order.schema_version"]);
}

#[test]
fn a_row_without_customer_cells_has_no_customer_side() {
    assert_eq!(read_customer(&customer_cells(None)).unwrap(), None);
    // A header without the customer columns.
    let cells = to_text(&sample()).unwrap();
    assert_eq!(customer(&TextRow::new(&layout(), &cells)).unwrap(), None);
    assert!(!layout().has_customer());
    assert!(all_layout().has_customer());
    // Only spaces is empty.
    let mut cells = customer_cells(None);
    cells[Column::CustomerCountry.index()] = "  ".into();
    assert_eq!(read_customer(&cells).unwrap(), None);
}

#[test]
fn customer_cells_must_agree() {
    let dispute_only = {
        let mut cells = customer_cells(None);
        cells[Column::CustomerDisputeStage.index()] = "inquiry".into();
        cells
    };
    let e = read_customer(&dispute_only).unwrap_err();
    assert_eq!(fields(&e), ["customer_platform"]);
    assert!(
        e.to_string()
            .contains("must not be empty when customer_dispute_stage is given"),
        "{e}"
    );
    let cases: &[Case<'_>] = &[
        (&[(Column::CustomerPlatform, "")], &["customer_platform"]),
        (
            &[(Column::CustomerPlatform, "venmo")],
            &["customer_platform"],
        ),
        (&[(Column::CustomerAmount, "")], &["customer_amount"]),
        (&[(Column::CustomerCurrency, "usd")], &["customer_currency"]),
        (&[(Column::CustomerOrderId, " ")], &["customer_order_id"]),
        (
            &[(Column::CustomerExpectedDelivery, "soon")],
            &["customer_expected_delivery"],
        ),
        (
            &[(Column::CustomerDisputeNetwork, "unionpay")],
            &["customer_dispute_network"],
        ),
        (
            &[(Column::CustomerDisputeNoResponseAllowed, "yes")],
            &["customer_dispute_no_response_allowed"],
        ),
        (
            &[(Column::CustomerDisputeReason, "")],
            &["customer_dispute_reason"],
        ),
        (
            &[
                (Column::CustomerDisputeStage, ""),
                (Column::CustomerDisputeOpenedAt, ""),
            ],
            &["customer_dispute_stage", "customer_dispute_opened_at"],
        ),
        // Every problem of the row at once, in column order.
        (
            &[
                (Column::CustomerAmount, "x"),
                (Column::CustomerPaidAt, "yesterday"),
                (Column::CustomerDisputeOpenedAt, "later"),
            ],
            &[
                "customer_amount",
                "customer_paid_at",
                "customer_dispute_opened_at",
            ],
        ),
    ];
    for (cells, want) in cases {
        let e = read_customer(&customer_row(cells)).unwrap_err();
        assert_eq!(fields(&e), *want, "{cells:?}: {e}");
        assert_eq!(e.kind(), crate::ErrorKind::InvalidFacts);
    }
    let e = read_customer(&customer_row(&[(Column::CustomerAmount, "")])).unwrap_err();
    assert!(
        e.to_string()
            .contains("`customer_amount`: must not be empty when customer_platform is given"),
        "{e}"
    );
    let e = read_customer(&customer_row(&[(Column::CustomerDisputeReason, "")])).unwrap_err();
    assert!(
        e.to_string().contains(
            "`customer_dispute_reason`: must not be empty when customer_dispute_stage is given"
        ),
        "{e}"
    );
    let e =
        read_customer(&customer_row(&[(Column::CustomerExpectedDelivery, "soon")])).unwrap_err();
    assert!(
        e.to_string()
            .contains("`soon` is neither a date (`2026-06-19`) nor an RFC 3339 instant"),
        "{e}"
    );
}

#[test]
fn a_header_with_customer_columns_names_the_needed_ones() {
    let required: Vec<&str> = COLUMNS
        .iter()
        .filter(|c| c.required())
        .map(|c| c.name())
        .collect();
    let with = |extra: &[&str]| {
        let mut names = required.clone();
        names.extend_from_slice(extra);
        Layout::new(&names)
    };
    let e = with(&["customer_amount"]).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "customer_order_id",
            "customer_platform",
            "customer_currency",
            "customer_paid_at"
        ]
    );
    assert!(
        e.to_string()
            .contains("missing column `customer_paid_at`, needed with `customer_amount`"),
        "{e}"
    );
    let order = [
        "customer_order_id",
        "customer_platform",
        "customer_amount",
        "customer_currency",
        "customer_paid_at",
    ];
    let layout = with(&order).unwrap();
    assert!(layout.has_customer());
    let mut dispute = order.to_vec();
    dispute.push("customer_dispute_respond_by");
    let e = with(&dispute).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "customer_dispute_reason",
            "customer_dispute_stage",
            "customer_dispute_opened_at"
        ]
    );
    // A dispute column alone needs both groups.
    let e = with(&["customer_dispute_reason"]).unwrap_err();
    assert_eq!(fields(&e).len(), 5 + 2, "{e}");
    // An unknown customer column lists the customer columns; any other
    // unknown column the facts columns, as before.
    let e = with(&["customer_amout"]).unwrap_err();
    assert!(
        e.to_string().contains(
            "unknown column `customer_amout` (the customer columns: customer_order_id, customer_platform"
        ),
        "{e}"
    );
    let e = with(&["unit_prize"]).unwrap_err();
    assert!(
        e.to_string().contains(&format!(
            "unknown column `unit_prize` (the columns: {})",
            COLUMNS.map(Column::name).join(", ")
        )),
        "{e}"
    );
}

/// A typed row: the PayPal row's text, with some columns replaced.
struct TypedCustomer<'a> {
    text: Vec<String>,
    typed: &'a [(Column, Value<'a>)],
}

impl Row for TypedCustomer<'_> {
    fn get(&self, column: Column) -> Value<'_> {
        match self.typed.iter().find(|(c, _)| *c == column) {
            Some((_, v)) => *v,
            None => Value::Text(&self.text[column.index()]),
        }
    }
}

#[test]
fn typed_customer_values_read_without_text() {
    let days = (NaiveDate::from_ymd_opt(2026, 6, 19).unwrap()
        - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
    .num_days();
    let days = i32::try_from(days).unwrap();
    let paid = t("2026-02-28T03:30:00Z").timestamp_millis();
    let typed = [
        (Column::CustomerMaxEstimatedDelivery, Value::Date { days }),
        (
            Column::CustomerDeliveredAt,
            Value::Timestamp {
                value: paid / 1000 + 86_400,
                unit: TimeUnit::Seconds,
            },
        ),
        (
            Column::CustomerPaidAt,
            Value::Timestamp {
                value: paid,
                unit: TimeUnit::Millis,
            },
        ),
        (
            Column::CustomerAmount,
            Value::Decimal128 {
                mantissa: 5990,
                scale: 2,
            },
        ),
        (Column::CustomerDisputeNoResponseAllowed, Value::Bool(false)),
        (Column::CustomerOrderId, Value::Int(1001)),
    ];
    let side = customer(&TypedCustomer {
        text: customer_row(&[]),
        typed: &typed,
    })
    .unwrap()
    .unwrap();
    let mut want = paypal();
    want.order.order_id = "1001".into();
    want.order.max_estimated_delivery = Some(DayOrInstant::Day(
        NaiveDate::from_ymd_opt(2026, 6, 19).unwrap(),
    ));
    want.order.delivered_at = Some(DayOrInstant::Instant(t("2026-03-01T03:30:00Z")));
    assert_eq!(side, want);
    // A date is not an instant; a date out of range; a number is not a date.
    let bad = [
        (Column::CustomerPaidAt, Value::Date { days }),
        (
            Column::CustomerExpectedDelivery,
            Value::Date { days: i32::MAX },
        ),
        (Column::CustomerDisputeRespondBy, Value::Int(3)),
        (Column::CustomerDisputeStage, Value::Bool(true)),
    ];
    let e = customer(&TypedCustomer {
        text: customer_row(&[]),
        typed: &bad,
    })
    .unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "customer_paid_at",
            "customer_expected_delivery",
            "customer_dispute_stage",
            "customer_dispute_respond_by"
        ]
    );
    let text = e.to_string();
    for part in [
        "expected an instant, got a date",
        "is out of range",
        "expected a date or an instant, got an integer",
        "expected text, got a boolean",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[test]
fn customer_paths_are_renamed_to_columns() {
    for (path, column) in [
        ("customer_order.amount.amount", "customer_amount"),
        ("customer_order.amount", "customer_amount"),
        ("customer_order.amount.currency", "customer_currency"),
        ("customer_order.order_id", "customer_order_id"),
        ("customer_order.platform", "customer_platform"),
        (
            "customer_order.max_estimated_delivery",
            "customer_max_estimated_delivery",
        ),
        ("customer_dispute.stage", "customer_dispute_stage"),
        ("customer_dispute.respond_by", "customer_dispute_respond_by"),
        (
            "customer_dispute.network_reason_code",
            "customer_dispute_network_reason_code",
        ),
        // No column holds these: the path stays.
        (
            "customer_order.schema_version",
            "customer_order.schema_version",
        ),
        ("customer_order", "customer_order"),
        ("customer_dispute.order_id", "customer_dispute.order_id"),
        ("selling_policy", "selling_policy"),
    ] {
        assert_eq!(column_of(path), column, "{path}");
    }
    // The engine's own checks after reading: an unknown stage, a payment
    // after now, a negative amount.
    let cells = customer_row(&[
        (Column::CustomerDisputeStage, "claims"),
        (Column::CustomerPaidAt, "2026-05-01T00:00:00Z"),
        (Column::CustomerAmount, "-1"),
    ]);
    let side = read_customer(&cells).unwrap().unwrap();
    let now = t("2026-04-26T12:00:00Z");
    let e = crate::backtoback::assess(
        &side.order,
        side.dispute.as_ref(),
        &crate::selling::SellingPolicy::preset("paypal").unwrap(),
        &sample(),
        &Policy::aliexpress(),
        now,
        None,
        crate::Explain::No,
    )
    .unwrap_err();
    let e = column_error(e);
    let got = fields(&e);
    for want in [
        "customer_amount",
        "customer_paid_at",
        "customer_dispute_stage",
    ] {
        assert!(got.contains(&want.to_owned()), "{want}: {got:?}");
    }
    assert!(
        got.iter().all(|f| Column::from_name(f).is_some()),
        "{got:?}"
    );
}

fn code() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.]{1,12}"
}

fn day() -> impl Strategy<Value = DayOrInstant> {
    prop_oneof![
        (0i64..2_932_896).prop_map(|d| DayOrInstant::Day(
            DateTime::from_timestamp(d * 86_400, 0)
                .unwrap()
                .date_naive()
        )),
        instant().prop_map(DayOrInstant::Instant),
    ]
}

prop_compose! {
    fn arb_customer()(
        id in word(),
        platform in 0usize..5,
        money in (amount(), "[A-Z]{3}"),
        paid in instant(),
        days in (
            proptest::option::of(day()),
            proptest::option::of(day()),
            proptest::option::of(day()),
            proptest::option::of(day()),
        ),
        country in proptest::option::of(word()),
        tier in proptest::option::of(code()),
        dispute in proptest::option::of((
            (code(), proptest::option::of(0usize..4), proptest::option::of(code()), code()),
            (instant(), proptest::option::of(instant()), proptest::option::of(day()), any::<bool>()),
            (proptest::option::of(instant()), proptest::option::of(instant())),
        )),
    ) -> CustomerSide {
        let networks = [Network::Visa, Network::Mastercard, Network::Amex, Network::Discover];
        CustomerSide {
            order: CustomerOrder {
                schema_version: CUSTOMER_SCHEMA_VERSION,
                order_id: id,
                platform: Platform::ALL[platform],
                amount: Money::new(money.0, Currency::new(&money.1).unwrap()),
                paid_at: paid,
                expected_delivery: days.0,
                min_estimated_delivery: days.1,
                max_estimated_delivery: days.2,
                delivered_at: days.3,
                country,
                fee_tier: tier,
            },
            dispute: dispute.map(|((reason, network, code, stage), (opened, started, respond, none), (offer, closed))| {
                CustomerDispute {
                    reason,
                    network: network.map(|n| networks[n]),
                    network_reason_code: code,
                    stage,
                    opened_at: opened,
                    stage_started_at: started,
                    respond_by: respond,
                    no_response_allowed: none,
                    offer_made_at: offer,
                    closed_at: closed,
                }
            }),
        }
    }
}

proptest! {
    #[test]
    fn any_customer_side_round_trips(c in arb_customer()) {
        let cells = customer_cells(Some(&c));
        prop_assert_eq!(read_customer(&cells).unwrap(), Some(c));
    }

    #[test]
    fn any_customer_cells_give_a_side_or_problems_naming_columns(
        cells in proptest::collection::vec(
            prop_oneof![
                4 => Just(String::new()),
                1 => "[ -~]{0,20}",
                1 => Just("2026-03-01T18:00:00Z".to_owned()),
                1 => Just("2026-06-19".to_owned()),
                1 => Just("paypal".to_owned()),
                1 => Just("12.5".to_owned()),
                1 => Just("USD".to_owned()),
            ],
            CUSTOMER_COLUMNS.len(),
        ),
    ) {
        let mut row = to_text(&sample()).unwrap();
        row.extend(cells);
        if let Err(e) = read_customer(&row) {
            prop_assert_eq!(e.kind(), crate::ErrorKind::InvalidFacts);
            for p in e.problems() {
                let c = Column::from_name(p.field());
                prop_assert!(c.is_some_and(Column::is_customer), "{}", p.field());
                prop_assert!(!p.message().is_empty());
            }
        }
    }
}
