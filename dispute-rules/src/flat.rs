//! Order facts as flat columns: one row per order line, the shape of a CSV
//! export, a DataFrame or an Arrow table.
//!
//! Every batch input that is not JSON (CSV in the `assess` program, Arrow,
//! C) reads these same columns, defined once here. A reader
//! maps its header to [`Column`]s with a [`Layout`], presents each row
//! through the [`Row`] trait as borrowed [`Value`]s (text, or typed values
//! such as integers, decimals and timestamps straight from a columnar
//! reader, without going through text), and [`facts`] turns the row into
//! [`OrderFacts`]. No I/O happens here.
//!
//! # The columns
//!
//! | column | facts field | required | holds |
//! |---|---|---|---|
//! | `order_id` | `order_id` | yes | text (an integer is read as its digits) |
//! | `line_id` | `line_id` | yes | text |
//! | `unit_price` | `unit_price.amount` | yes | exact decimal amount |
//! | `currency` | `unit_price.currency`, `shipping_cost.currency`, `coupon.currency` | yes | ISO 4217 code |
//! | `quantity` | `quantity` | yes | whole number |
//! | `shipping_cost` | `shipping_cost.amount` | yes | exact decimal amount |
//! | `coupon` | `coupon.amount` | no | exact decimal amount |
//! | `placed_at` | `placed_at` | yes | instant |
//! | `paid_at` | `paid_at` | no | instant |
//! | `shipped_at` | `shipped_at` | no | instant |
//! | `shipping_method` | `shipping_method` | yes | text |
//! | `promised_protection_days` | `promised_protection_days` | no | whole number |
//! | `destination_country` | `destination_country` | yes | ISO 3166 alpha-2 code |
//! | `tracking_status` | `tracking.status` | no (empty: `none`) | `none`, `in_transit`, `stalled`, `customs_hold`, `returned_to_sender`, `delivered` |
//! | `tracking_at` | `tracking.last_event_at`, `.since` or `.at` | with a status other than `none` (optional for `in_transit`) | instant |
//! | `delivered_to_correct_address` | `tracking.to_correct_address` | no (empty: `true`; only with `delivered`) | `true` or `false` |
//! | `receipt_at` | `receipt.at` | with `receipt_by` | instant |
//! | `receipt_by` | `receipt.by` | with `receipt_at` | `buyer` or `automatic` |
//! | `order_cancelled_at` | `order_cancelled_at` | no | instant |
//! | `refund_completed_at` | `refund_completed_at` | no | instant |
//! | `payment_method` | `payment_method` | yes | `card`, `wallet`, `paypal`, `cash_payment`, `western_union`, `tt`, `bank_transfer`, `other` |
//! | `extensions` | `extensions` | no | compact list, see below |
//! | `disputes` | `disputes` | no | compact list, see below |
//!
//! A required column must be in the header and its cell must not be empty;
//! an optional column may be left out of the header altogether. An empty
//! cell (or only spaces) is an absent value. A column the header names that
//! is not above is an error, as is a column named twice. The flat facts are
//! facts schema version 1, and one currency applies to every amount of the
//! line.
//!
//! Text columns (ids, the shipping method, the country) are taken as they
//! are; every other value is read with surrounding spaces ignored.
//!
//! Values given as text: amounts as decimals (`19.99`, never through binary
//! floating point); instants in RFC 3339 with an offset
//! (`2026-03-20T12:00:00Z`); whole numbers in decimal digits; flags as
//! `true` or `false` (any case). Typed values: integers for whole numbers and
//! identifiers; decimals (mantissa and scale, as Arrow's `decimal128`),
//! integers or floating-point numbers for amounts (a float is read by its
//! shortest decimal spelling, as the JSON layer reads a JSON number);
//! timestamps in seconds, milliseconds, microseconds or nanoseconds since
//! 1970-01-01T00:00:00Z for instants; booleans for flags.
//!
//! The two list columns hold elements separated by `;`, each element's parts
//! separated by `/` (spaces around either are ignored):
//!
//! - `extensions`: `requested_at/days/status[/decided_at]`, for example
//!   `2026-03-18T16:00:00Z/15/pending;2026-03-01T00:00:00Z/10/approved/2026-03-02T00:00:00Z`
//!   (status `pending`, `approved` or `declined`; R-E5);
//! - `disputes`: `opened_at/status[/closed_at]`, for example
//!   `2026-02-14T20:00:00Z/closed_by_agreement/2026-02-17T03:00:00Z` (status
//!   `open`, `cancelled`, `closed_by_agreement` or `decided`; R-E6..R-E8).
//!
//! # The customer columns
//!
//! A row may also carry the **customer side** of a back-to-back order (see
//! [`crate::backtoback`]): the order the seller's own customer placed on
//! PayPal, eBay, Amazon or by card, and the customer's dispute when there is
//! one. Every customer column is optional and a header without them reads
//! exactly as before; [`customer`] reads them into a [`CustomerSide`],
//! [`facts`] ignores them. Their names follow the JSON forms:
//! `customer_X` is `customer_order.X` and `customer_dispute_X` is
//! `customer_dispute.X`, except the amount, split like the facts' amounts.
//!
//! | column | field | needed | holds |
//! |---|---|---|---|
//! | `customer_order_id` | `customer_order.order_id` | with a customer side | text |
//! | `customer_platform` | `customer_order.platform` | gives the row a customer side | `paypal`, `ebay`, `amazon`, `stripe`, `shopify_payments` |
//! | `customer_amount` | `customer_order.amount.amount` | with a customer side | exact decimal amount |
//! | `customer_currency` | `customer_order.amount.currency` | with a customer side | ISO 4217 code |
//! | `customer_paid_at` | `customer_order.paid_at` | with a customer side | instant |
//! | `customer_expected_delivery` | `customer_order.expected_delivery` | no | date or instant |
//! | `customer_min_estimated_delivery` | `customer_order.min_estimated_delivery` | no | date or instant |
//! | `customer_max_estimated_delivery` | `customer_order.max_estimated_delivery` | no | date or instant |
//! | `customer_delivered_at` | `customer_order.delivered_at` | no | date or instant |
//! | `customer_country` | `customer_order.country` | no | ISO 3166 alpha-2 code |
//! | `customer_fee_tier` | `customer_order.fee_tier` | no | text |
//! | `customer_dispute_reason` | `customer_dispute.reason` | gives the row a customer dispute | the platform's code |
//! | `customer_dispute_network` | `customer_dispute.network` | no | `visa`, `mastercard`, `amex`, `discover` |
//! | `customer_dispute_network_reason_code` | `customer_dispute.network_reason_code` | no | text (`13.1`) |
//! | `customer_dispute_stage` | `customer_dispute.stage` | with a dispute | a stage of the selling policy |
//! | `customer_dispute_opened_at` | `customer_dispute.opened_at` | with a dispute | instant |
//! | `customer_dispute_stage_started_at` | `customer_dispute.stage_started_at` | no | instant |
//! | `customer_dispute_respond_by` | `customer_dispute.respond_by` | no | date or instant |
//! | `customer_dispute_no_response_allowed` | `customer_dispute.no_response_allowed` | no (empty: `false`) | `true` or `false` |
//! | `customer_dispute_offer_made_at` | `customer_dispute.offer_made_at` | no | instant |
//! | `customer_dispute_closed_at` | `customer_dispute.closed_at` | no | instant |
//!
//! A header naming any customer column must name the five "with a customer
//! side" columns, and one naming any `customer_dispute_*` column the three
//! "with a dispute" ones. In a row, every customer cell empty means no
//! customer side; otherwise `customer_platform` must be filled, and with it
//! the order's needed cells; likewise `customer_dispute_reason` and the
//! dispute's. Dates are `2026-06-19` (a calendar day in the selling
//! policy's zone) or an RFC 3339 instant; typed, a [`Value::Date`] or a
//! [`Value::Timestamp`]. Codes (reasons, stages, tiers) are read with
//! surrounding spaces ignored.
//!
//! # Field names in errors
//!
//! Every problem with a flat row names the **column** (`shipped_at`,
//! `tracking_at`, `currency`), and for the list columns the element and its
//! part (`extensions[1].days`, `disputes[0]`), counted from 0 like the JSON
//! form's `facts.extensions[1].days`. Problems found later by the engine
//! (which names facts paths such as `tracking.at` or `unit_price.amount`)
//! are renamed to columns by [`column_error`], so one row's problems always
//! name columns the reader has (the customer side's too: `customer_amount`,
//! `customer_dispute_stage`). The JSON forms keep naming facts paths under
//! `facts.` (and `customer_order.`, `customer_dispute.`).
//!
//! ```
//! use dispute_rules::flat::{self, Layout, TextRow};
//!
//! let header = ["order_id", "line_id", "unit_price", "currency", "quantity",
//!     "shipping_cost", "placed_at", "shipped_at", "shipping_method",
//!     "destination_country", "tracking_status", "tracking_at", "payment_method"];
//! let layout = Layout::new(header).unwrap();
//! let cells = ["8123", "1", "19.99", "USD", "1", "0", "2026-02-27T09:00:00Z",
//!     "2026-03-01T18:00:00Z", "standard", "US", "in_transit", "2026-03-05T10:00:00Z", "card"];
//! let facts = flat::facts(&TextRow::new(&layout, &cells)).unwrap();
//! assert_eq!(facts.unit_price.to_string(), "19.99 USD");
//! assert_eq!(facts.tracking.name(), "in_transit");
//!
//! let bad = ["8123", "1", "19.99", "USD", "one", "0", "2026-02-27T09:00:00Z",
//!     "2026-03-01", "standard", "US", "", "", "card"];
//! let e = flat::facts(&TextRow::new(&layout, &bad)).unwrap_err();
//! let fields: Vec<String> = e.problems().iter().map(|p| p.field().to_owned()).collect();
//! assert_eq!(fields, ["quantity", "shipped_at"]);
//! ```

use crate::calendar::rfc3339;
use crate::error::{Error, Problem, Problems};
use crate::facts::{
    ConfirmedBy, ExtensionRequest, ExtensionStatus, OrderFacts, PriorDispute, PriorDisputeStatus,
    Receipt, Tracking, FACTS_SCHEMA_VERSION,
};
use crate::limits::echo;
use crate::money::{Currency, Money};
use crate::selling::facts::CUSTOMER_SCHEMA_VERSION;
use crate::selling::{CustomerDispute, CustomerOrder, DayOrInstant, Network, Platform};
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// One flat column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Column {
    /// `order_id`
    OrderId,
    /// `line_id`
    LineId,
    /// `unit_price`
    UnitPrice,
    /// `currency`
    Currency,
    /// `quantity`
    Quantity,
    /// `shipping_cost`
    ShippingCost,
    /// `coupon`
    Coupon,
    /// `placed_at`
    PlacedAt,
    /// `paid_at`
    PaidAt,
    /// `shipped_at`
    ShippedAt,
    /// `shipping_method`
    ShippingMethod,
    /// `promised_protection_days`
    PromisedProtectionDays,
    /// `destination_country`
    DestinationCountry,
    /// `tracking_status`
    TrackingStatus,
    /// `tracking_at`
    TrackingAt,
    /// `delivered_to_correct_address`
    DeliveredToCorrectAddress,
    /// `receipt_at`
    ReceiptAt,
    /// `receipt_by`
    ReceiptBy,
    /// `order_cancelled_at`
    OrderCancelledAt,
    /// `refund_completed_at`
    RefundCompletedAt,
    /// `payment_method`
    PaymentMethod,
    /// `extensions`
    Extensions,
    /// `disputes`
    Disputes,
    /// `customer_order_id`
    CustomerOrderId,
    /// `customer_platform`
    CustomerPlatform,
    /// `customer_amount`
    CustomerAmount,
    /// `customer_currency`
    CustomerCurrency,
    /// `customer_paid_at`
    CustomerPaidAt,
    /// `customer_expected_delivery`
    CustomerExpectedDelivery,
    /// `customer_min_estimated_delivery`
    CustomerMinEstimatedDelivery,
    /// `customer_max_estimated_delivery`
    CustomerMaxEstimatedDelivery,
    /// `customer_delivered_at`
    CustomerDeliveredAt,
    /// `customer_country`
    CustomerCountry,
    /// `customer_fee_tier`
    CustomerFeeTier,
    /// `customer_dispute_reason`
    CustomerDisputeReason,
    /// `customer_dispute_network`
    CustomerDisputeNetwork,
    /// `customer_dispute_network_reason_code`
    CustomerDisputeNetworkReasonCode,
    /// `customer_dispute_stage`
    CustomerDisputeStage,
    /// `customer_dispute_opened_at`
    CustomerDisputeOpenedAt,
    /// `customer_dispute_stage_started_at`
    CustomerDisputeStageStartedAt,
    /// `customer_dispute_respond_by`
    CustomerDisputeRespondBy,
    /// `customer_dispute_no_response_allowed`
    CustomerDisputeNoResponseAllowed,
    /// `customer_dispute_offer_made_at`
    CustomerDisputeOfferMadeAt,
    /// `customer_dispute_closed_at`
    CustomerDisputeClosedAt,
}

/// What a column holds (what a typed reader should hand over).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// Text: identifiers, codes and names.
    Text,
    /// An exact decimal amount.
    Amount,
    /// A whole number.
    Count,
    /// An instant.
    Instant,
    /// `true` or `false`.
    Flag,
    /// A compact list, as text (see the [module documentation](self)).
    List,
    /// A calendar date (`2026-06-19`) or an instant: the customer side's
    /// delivery dates and the platform's due date.
    DateOrInstant,
}

/// The order facts columns, in the canonical order (the order [`to_text`]
/// writes).
pub const COLUMNS: [Column; 23] = [
    Column::OrderId,
    Column::LineId,
    Column::UnitPrice,
    Column::Currency,
    Column::Quantity,
    Column::ShippingCost,
    Column::Coupon,
    Column::PlacedAt,
    Column::PaidAt,
    Column::ShippedAt,
    Column::ShippingMethod,
    Column::PromisedProtectionDays,
    Column::DestinationCountry,
    Column::TrackingStatus,
    Column::TrackingAt,
    Column::DeliveredToCorrectAddress,
    Column::ReceiptAt,
    Column::ReceiptBy,
    Column::OrderCancelledAt,
    Column::RefundCompletedAt,
    Column::PaymentMethod,
    Column::Extensions,
    Column::Disputes,
];

/// The optional customer-side columns (see the [module
/// documentation](self#the-customer-columns)), in the canonical order (the
/// order [`customer_to_text`] writes).
pub const CUSTOMER_COLUMNS: [Column; 21] = [
    Column::CustomerOrderId,
    Column::CustomerPlatform,
    Column::CustomerAmount,
    Column::CustomerCurrency,
    Column::CustomerPaidAt,
    Column::CustomerExpectedDelivery,
    Column::CustomerMinEstimatedDelivery,
    Column::CustomerMaxEstimatedDelivery,
    Column::CustomerDeliveredAt,
    Column::CustomerCountry,
    Column::CustomerFeeTier,
    Column::CustomerDisputeReason,
    Column::CustomerDisputeNetwork,
    Column::CustomerDisputeNetworkReasonCode,
    Column::CustomerDisputeStage,
    Column::CustomerDisputeOpenedAt,
    Column::CustomerDisputeStageStartedAt,
    Column::CustomerDisputeRespondBy,
    Column::CustomerDisputeNoResponseAllowed,
    Column::CustomerDisputeOfferMadeAt,
    Column::CustomerDisputeClosedAt,
];

/// The customer columns a header with any customer column must name.
const CUSTOMER_ORDER_NEEDS: [Column; 5] = [
    Column::CustomerOrderId,
    Column::CustomerPlatform,
    Column::CustomerAmount,
    Column::CustomerCurrency,
    Column::CustomerPaidAt,
];

/// The dispute columns a header with any `customer_dispute_*` column must
/// name.
const CUSTOMER_DISPUTE_NEEDS: [Column; 3] = [
    Column::CustomerDisputeReason,
    Column::CustomerDisputeStage,
    Column::CustomerDisputeOpenedAt,
];

impl Column {
    /// How many columns there are: [`COLUMNS`] and [`CUSTOMER_COLUMNS`].
    pub const COUNT: usize = 44;

    /// The column's name in a header.
    pub const fn name(self) -> &'static str {
        match self {
            Column::OrderId => "order_id",
            Column::LineId => "line_id",
            Column::UnitPrice => "unit_price",
            Column::Currency => "currency",
            Column::Quantity => "quantity",
            Column::ShippingCost => "shipping_cost",
            Column::Coupon => "coupon",
            Column::PlacedAt => "placed_at",
            Column::PaidAt => "paid_at",
            Column::ShippedAt => "shipped_at",
            Column::ShippingMethod => "shipping_method",
            Column::PromisedProtectionDays => "promised_protection_days",
            Column::DestinationCountry => "destination_country",
            Column::TrackingStatus => "tracking_status",
            Column::TrackingAt => "tracking_at",
            Column::DeliveredToCorrectAddress => "delivered_to_correct_address",
            Column::ReceiptAt => "receipt_at",
            Column::ReceiptBy => "receipt_by",
            Column::OrderCancelledAt => "order_cancelled_at",
            Column::RefundCompletedAt => "refund_completed_at",
            Column::PaymentMethod => "payment_method",
            Column::Extensions => "extensions",
            Column::Disputes => "disputes",
            Column::CustomerOrderId => "customer_order_id",
            Column::CustomerPlatform => "customer_platform",
            Column::CustomerAmount => "customer_amount",
            Column::CustomerCurrency => "customer_currency",
            Column::CustomerPaidAt => "customer_paid_at",
            Column::CustomerExpectedDelivery => "customer_expected_delivery",
            Column::CustomerMinEstimatedDelivery => "customer_min_estimated_delivery",
            Column::CustomerMaxEstimatedDelivery => "customer_max_estimated_delivery",
            Column::CustomerDeliveredAt => "customer_delivered_at",
            Column::CustomerCountry => "customer_country",
            Column::CustomerFeeTier => "customer_fee_tier",
            Column::CustomerDisputeReason => "customer_dispute_reason",
            Column::CustomerDisputeNetwork => "customer_dispute_network",
            Column::CustomerDisputeNetworkReasonCode => "customer_dispute_network_reason_code",
            Column::CustomerDisputeStage => "customer_dispute_stage",
            Column::CustomerDisputeOpenedAt => "customer_dispute_opened_at",
            Column::CustomerDisputeStageStartedAt => "customer_dispute_stage_started_at",
            Column::CustomerDisputeRespondBy => "customer_dispute_respond_by",
            Column::CustomerDisputeNoResponseAllowed => "customer_dispute_no_response_allowed",
            Column::CustomerDisputeOfferMadeAt => "customer_dispute_offer_made_at",
            Column::CustomerDisputeClosedAt => "customer_dispute_closed_at",
        }
    }

    /// The column of a header name (exact, case-sensitive).
    pub fn from_name(name: &str) -> Option<Column> {
        COLUMNS
            .iter()
            .chain(&CUSTOMER_COLUMNS)
            .copied()
            .find(|c| c.name() == name)
    }

    /// Whether the column is one of the customer side's
    /// ([`CUSTOMER_COLUMNS`]).
    pub const fn is_customer(self) -> bool {
        self.index() >= COLUMNS.len()
    }

    /// Whether the column is one of the customer dispute's
    /// (`customer_dispute_*`).
    const fn is_customer_dispute(self) -> bool {
        self.index() >= Column::CustomerDisputeReason.index()
    }

    /// Whether every header must have the column (and every row a value).
    pub const fn required(self) -> bool {
        matches!(
            self,
            Column::OrderId
                | Column::LineId
                | Column::UnitPrice
                | Column::Currency
                | Column::Quantity
                | Column::ShippingCost
                | Column::PlacedAt
                | Column::ShippingMethod
                | Column::DestinationCountry
                | Column::PaymentMethod
        )
    }

    /// What the column holds.
    pub const fn kind(self) -> Kind {
        match self {
            Column::UnitPrice | Column::ShippingCost | Column::Coupon => Kind::Amount,
            Column::Quantity | Column::PromisedProtectionDays => Kind::Count,
            Column::CustomerAmount => Kind::Amount,
            Column::CustomerExpectedDelivery
            | Column::CustomerMinEstimatedDelivery
            | Column::CustomerMaxEstimatedDelivery
            | Column::CustomerDeliveredAt
            | Column::CustomerDisputeRespondBy => Kind::DateOrInstant,
            Column::CustomerDisputeNoResponseAllowed => Kind::Flag,
            Column::CustomerPaidAt
            | Column::CustomerDisputeOpenedAt
            | Column::CustomerDisputeStageStartedAt
            | Column::CustomerDisputeOfferMadeAt
            | Column::CustomerDisputeClosedAt => Kind::Instant,
            Column::CustomerOrderId
            | Column::CustomerPlatform
            | Column::CustomerCurrency
            | Column::CustomerCountry
            | Column::CustomerFeeTier
            | Column::CustomerDisputeReason
            | Column::CustomerDisputeNetwork
            | Column::CustomerDisputeNetworkReasonCode
            | Column::CustomerDisputeStage => Kind::Text,
            Column::PlacedAt
            | Column::PaidAt
            | Column::ShippedAt
            | Column::TrackingAt
            | Column::ReceiptAt
            | Column::OrderCancelledAt
            | Column::RefundCompletedAt => Kind::Instant,
            Column::DeliveredToCorrectAddress => Kind::Flag,
            Column::Extensions | Column::Disputes => Kind::List,
            Column::OrderId
            | Column::LineId
            | Column::Currency
            | Column::ShippingMethod
            | Column::DestinationCountry
            | Column::TrackingStatus
            | Column::ReceiptBy
            | Column::PaymentMethod => Kind::Text,
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The unit of a [`Value::Timestamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeUnit {
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Millis,
    /// Microseconds.
    Micros,
    /// Nanoseconds.
    Nanos,
}

/// One cell of a row, borrowed from the reader.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// No value (a null, an empty cell, a column left out).
    Null,
    /// Text; empty or all spaces counts as no value.
    Text(&'a str),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A floating-point number (amounts: read by its shortest decimal
    /// spelling; counts: only whole values).
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An exact decimal `mantissa x 10^-scale` (as Arrow's `decimal128`).
    Decimal128 {
        /// The unscaled value.
        mantissa: i128,
        /// Digits after the point (negative: zeros before it).
        scale: i8,
    },
    /// An instant as a count of `unit`s since 1970-01-01T00:00:00Z.
    Timestamp {
        /// The count.
        value: i64,
        /// Its unit.
        unit: TimeUnit,
    },
    /// A calendar date as a count of days since 1970-01-01 (as Arrow's
    /// `date32`); read by the columns that hold a date or an instant.
    Date {
        /// The count.
        days: i32,
    },
}

impl Value<'_> {
    /// What the value is, for messages.
    fn describe(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Text(_) => "text",
            Value::Int(_) | Value::UInt(_) => "an integer",
            Value::Float(_) => "a floating-point number",
            Value::Bool(_) => "a boolean",
            Value::Decimal128 { .. } => "a decimal",
            Value::Timestamp { .. } => "a timestamp",
            Value::Date { .. } => "a date",
        }
    }
}

/// One row of flat facts, as a reader presents it.
pub trait Row {
    /// The value of `column` in this row ([`Value::Null`] when the column is
    /// absent or the cell empty).
    fn get(&self, column: Column) -> Value<'_>;
}

/// Where each column sits in a reader's rows, from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    positions: [Option<usize>; Column::COUNT],
    columns: Vec<Column>,
}

impl Layout {
    /// The layout of a header. Every problem is reported at once, each
    /// naming the column: a name that is not a column, a column named twice,
    /// a required column missing; an empty name is named by its position,
    /// `header[i]` (counted from 0). Names are compared exactly, after
    /// trimming spaces.
    pub fn new<I, S>(names: I) -> Result<Layout, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut positions = [None; Column::COUNT];
        let mut columns = Vec::new();
        let mut problems = Vec::new();
        for (i, name) in names.into_iter().enumerate() {
            let name = name.as_ref().trim();
            if name.is_empty() {
                // No name to report it by: its position in the header.
                problems.push(Problem::new(
                    format!("header[{i}]"),
                    format!("empty column name (the columns: {})", names_list()),
                ));
                continue;
            }
            let Some(c) = Column::from_name(name) else {
                let message = if name.starts_with("customer_") {
                    format!(
                        "unknown column `{name}` (the customer columns: {})",
                        CUSTOMER_COLUMNS.map(Column::name).join(", ")
                    )
                } else {
                    format!("unknown column `{name}` (the columns: {})", names_list())
                };
                problems.push(Problem::new(name, message));
                continue;
            };
            match positions.get_mut(c.index()) {
                Some(Some(_)) => {
                    problems.push(Problem::new(name, format!("column `{name}` appears twice")))
                }
                Some(slot) => *slot = Some(i),
                None => {}
            }
            columns.push(c);
        }
        let has = |c: Column| positions.get(c.index()).copied().flatten().is_some();
        for c in COLUMNS {
            if c.required() && !has(c) {
                problems.push(Problem::new(
                    c.name(),
                    format!("missing required column `{c}`"),
                ));
            }
        }
        // A customer side needs its order's columns; a customer dispute
        // needs its own.
        let named =
            |pick: fn(Column) -> bool| CUSTOMER_COLUMNS.into_iter().find(|c| pick(*c) && has(*c));
        let groups = [
            (named(|_| true), &CUSTOMER_ORDER_NEEDS[..]),
            (
                named(Column::is_customer_dispute),
                &CUSTOMER_DISPUTE_NEEDS[..],
            ),
        ];
        for (given, needs) in groups {
            let Some(given) = given else { continue };
            for c in needs {
                if !has(*c) {
                    problems.push(Problem::new(
                        c.name(),
                        format!("missing column `{c}`, needed with `{given}`"),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(Layout { positions, columns })
        } else {
            Err(Error::InvalidFacts(Problems::new(problems)))
        }
    }

    /// The position of `column` in a row, when the header has it.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions.get(column.index()).copied().flatten()
    }

    /// The header's columns, in its order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Whether the header names the customer columns (rows may then carry
    /// a customer side: [`customer`]).
    pub fn has_customer(&self) -> bool {
        self.columns.iter().any(|c| c.is_customer())
    }
}

fn names_list() -> String {
    COLUMNS.map(Column::name).join(", ")
}

/// A row of text cells (a CSV record, for example) read through a
/// [`Layout`].
#[derive(Debug, Clone, Copy)]
pub struct TextRow<'a, S> {
    layout: &'a Layout,
    cells: &'a [S],
}

impl<'a, S: AsRef<str>> TextRow<'a, S> {
    /// The row `cells`, in the header's order.
    pub const fn new(layout: &'a Layout, cells: &'a [S]) -> Self {
        TextRow { layout, cells }
    }
}

impl<S: AsRef<str>> Row for TextRow<'_, S> {
    fn get(&self, column: Column) -> Value<'_> {
        match self.layout.position(column).and_then(|i| self.cells.get(i)) {
            Some(s) => Value::Text(s.as_ref()),
            None => Value::Null,
        }
    }
}

/// Reads one row into order facts. Every problem of the row is reported at
/// once, each naming its column (see the [module documentation](self)).
/// The facts are not yet validated: the engine does that (and
/// [`column_error`] names its problems by column).
pub fn facts(row: &impl Row) -> Result<OrderFacts, Error> {
    read_facts(row, Spare::default())
}

/// Reads one row into `facts`, as [`facts`] does, reusing the buffers of
/// its texts and lists instead of allocating new ones: a batch reader keeps
/// one `OrderFacts` and refills it row after row. On success every field of
/// `facts` is the row's; on error `facts` is left with empty texts and
/// lists (its other fields unchanged) and must not be assessed.
pub fn facts_into(row: &impl Row, facts: &mut OrderFacts) -> Result<(), Error> {
    let spare = Spare {
        order_id: std::mem::take(&mut facts.order_id),
        line_id: std::mem::take(&mut facts.line_id),
        shipping_method: std::mem::take(&mut facts.shipping_method),
        destination_country: std::mem::take(&mut facts.destination_country),
        extensions: std::mem::take(&mut facts.extensions),
        disputes: std::mem::take(&mut facts.disputes),
    };
    *facts = read_facts(row, spare)?;
    Ok(())
}

/// The buffers [`facts_into`] hands on to be refilled (all empty for
/// [`facts`]).
#[derive(Default)]
struct Spare {
    order_id: String,
    line_id: String,
    shipping_method: String,
    destination_country: String,
    extensions: Vec<ExtensionRequest>,
    disputes: Vec<PriorDispute>,
}

fn read_facts(row: &impl Row, spare: Spare) -> Result<OrderFacts, Error> {
    let mut r = Reader {
        row,
        problems: Vec::new(),
    };
    let order_id = r.text_in(Column::OrderId, spare.order_id);
    let line_id = r.text_in(Column::LineId, spare.line_id);
    let currency = r.currency(Column::Currency);
    let unit_price = r.amount(Column::UnitPrice);
    let quantity = r.count(Column::Quantity);
    let shipping_cost = r.amount(Column::ShippingCost);
    let coupon = r.amount(Column::Coupon);
    let placed_at = r.instant(Column::PlacedAt);
    let paid_at = r.instant(Column::PaidAt);
    let shipped_at = r.instant(Column::ShippedAt);
    let shipping_method = r.text_in(Column::ShippingMethod, spare.shipping_method);
    let promised_protection_days = r.count(Column::PromisedProtectionDays);
    let destination_country = r.text_in(Column::DestinationCountry, spare.destination_country);
    let tracking = r.tracking();
    let receipt = r.receipt();
    let order_cancelled_at = r.instant(Column::OrderCancelledAt);
    let refund_completed_at = r.instant(Column::RefundCompletedAt);
    let payment_method = r.name(Column::PaymentMethod);
    let extensions = r.extensions(spare.extensions);
    let disputes = r.disputes(spare.disputes);
    let (
        Some(order_id),
        Some(line_id),
        Some(currency),
        Some(unit_price),
        Some(quantity),
        Some(shipping_cost),
        Some(placed_at),
        Some(shipping_method),
        Some(destination_country),
        Some(payment_method),
        true,
    ) = (
        order_id,
        line_id,
        currency,
        unit_price,
        quantity,
        shipping_cost,
        placed_at,
        shipping_method,
        destination_country,
        payment_method,
        r.problems.is_empty(),
    )
    else {
        return Err(Error::InvalidFacts(Problems::new(r.problems)));
    };
    Ok(OrderFacts {
        schema_version: FACTS_SCHEMA_VERSION,
        order_id,
        line_id,
        unit_price: Money::new(unit_price, currency),
        quantity,
        shipping_cost: Money::new(shipping_cost, currency),
        coupon: coupon.map(|c| Money::new(c, currency)),
        placed_at,
        paid_at,
        shipped_at,
        shipping_method,
        promised_protection_days,
        destination_country,
        tracking,
        receipt,
        extensions,
        order_cancelled_at,
        refund_completed_at,
        disputes,
        payment_method,
    })
}

/// The customer side of a row: the order a customer placed with the seller
/// and, when the row has one, the customer's dispute (see the [module
/// documentation](self#the-customer-columns)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSide {
    /// The customer's order (`customer_order` in the JSON forms).
    pub order: CustomerOrder,
    /// The customer's dispute (`customer_dispute`), when the row has one.
    pub dispute: Option<CustomerDispute>,
}

/// Reads the customer side of one row: `None` when every customer cell is
/// empty (or the header has no customer columns). Every problem of the row's
/// customer cells is reported at once, each naming its column. Not yet
/// validated: [`crate::backtoback::assess`] does that (and [`column_error`]
/// names its problems by column).
pub fn customer(row: &impl Row) -> Result<Option<CustomerSide>, Error> {
    let mut r = Reader {
        row,
        problems: Vec::new(),
    };
    let given = |r: &mut Reader<'_, _>, dispute: bool| {
        CUSTOMER_COLUMNS
            .into_iter()
            .filter(|c| *c != Column::CustomerPlatform && c.is_customer_dispute() == dispute)
            .find(|c| r.cell(*c).is_some())
    };
    let order_given = given(&mut r, false);
    let dispute_given = given(&mut r, true);
    let platform = Column::CustomerPlatform;
    if r.cell(platform).is_none() {
        return match order_given.or(dispute_given) {
            None => Ok(None),
            Some(c) => Err(Error::InvalidFacts(Problems::one(
                platform.name(),
                format!("must not be empty when {c} is given (a customer side names its platform)"),
            ))),
        };
    }
    let platform: Option<Platform> = r.name(platform);
    let because = Column::CustomerPlatform;
    let order_id = r.needed(Column::CustomerOrderId, because, Reader::text);
    let amount = r.needed(Column::CustomerAmount, because, Reader::amount);
    let currency = r.needed(Column::CustomerCurrency, because, Reader::currency);
    let paid_at = r.needed(Column::CustomerPaidAt, because, Reader::instant);
    let expected_delivery = r.day(Column::CustomerExpectedDelivery);
    let min_estimated_delivery = r.day(Column::CustomerMinEstimatedDelivery);
    let max_estimated_delivery = r.day(Column::CustomerMaxEstimatedDelivery);
    let delivered_at = r.day(Column::CustomerDeliveredAt);
    let country = r.text(Column::CustomerCountry);
    let fee_tier = r.code(Column::CustomerFeeTier);
    let dispute = match r.code(Column::CustomerDisputeReason) {
        None => {
            if let Some(c) = dispute_given {
                r.push(
                    Column::CustomerDisputeReason.name(),
                    format!(
                        "must not be empty when {c} is given (a customer dispute names its reason)"
                    ),
                );
            }
            None
        }
        Some(reason) => {
            let because = Column::CustomerDisputeReason;
            let network: Option<Network> = r.name(Column::CustomerDisputeNetwork);
            let network_reason_code = r.code(Column::CustomerDisputeNetworkReasonCode);
            let stage = r.needed(Column::CustomerDisputeStage, because, Reader::code);
            let opened_at = r.needed(Column::CustomerDisputeOpenedAt, because, Reader::instant);
            let stage_started_at = r.instant(Column::CustomerDisputeStageStartedAt);
            let respond_by = r.day(Column::CustomerDisputeRespondBy);
            let no_response_allowed = r.flag(Column::CustomerDisputeNoResponseAllowed);
            let offer_made_at = r.instant(Column::CustomerDisputeOfferMadeAt);
            let closed_at = r.instant(Column::CustomerDisputeClosedAt);
            match (stage, opened_at) {
                (Some(stage), Some(opened_at)) => Some(CustomerDispute {
                    reason,
                    network,
                    network_reason_code,
                    stage,
                    opened_at,
                    stage_started_at,
                    respond_by,
                    no_response_allowed: no_response_allowed.unwrap_or(false),
                    offer_made_at,
                    closed_at,
                }),
                _ => None,
            }
        }
    };
    let (Some(platform), Some(order_id), Some(currency), Some(amount), Some(paid_at), true) = (
        platform,
        order_id,
        currency,
        amount,
        paid_at,
        r.problems.is_empty(),
    ) else {
        return Err(Error::InvalidFacts(Problems::new(r.problems)));
    };
    Ok(Some(CustomerSide {
        order: CustomerOrder {
            schema_version: CUSTOMER_SCHEMA_VERSION,
            order_id,
            platform,
            amount: Money::new(amount, currency),
            paid_at,
            expected_delivery,
            min_estimated_delivery,
            max_estimated_delivery,
            delivered_at,
            country,
            fee_tier,
        },
        dispute,
    }))
}

/// Reads the cells of one row, collecting problems. Each reader returns
/// `None` when the value is absent or wrong; a required column's `None`
/// always comes with a problem.
struct Reader<'r, R: Row> {
    row: &'r R,
    problems: Vec<Problem>,
}

impl<'r, R: Row> Reader<'r, R> {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(field, message));
    }

    /// The cell, `None` when empty; a required column's empty cell is a
    /// problem.
    #[inline]
    fn cell(&mut self, c: Column) -> Option<Value<'r>> {
        let row: &'r R = self.row;
        let v = row.get(c);
        let empty = match v {
            Value::Null => true,
            Value::Text(s) => blank(s),
            _ => false,
        };
        if empty {
            if c.required() {
                self.push(c.name(), "must not be empty");
            }
            return None;
        }
        Some(v)
    }

    fn wrong(&mut self, c: Column, v: Value<'_>, expected: &str) {
        let got = v.describe();
        self.push(c.name(), format!("expected {expected}, got {got}"));
    }

    fn text(&mut self, c: Column) -> Option<String> {
        self.text_in(c, String::new())
    }

    /// A text, written into `buf` (cleared first, its capacity reused).
    fn text_in(&mut self, c: Column, mut buf: String) -> Option<String> {
        use fmt::Write as _;
        buf.clear();
        match self.cell(c)? {
            Value::Text(s) => buf.push_str(s),
            Value::Int(n) => {
                let _ = write!(buf, "{n}");
            }
            Value::UInt(n) => {
                let _ = write!(buf, "{n}");
            }
            v => {
                self.wrong(c, v, "text");
                return None;
            }
        }
        Some(buf)
    }

    /// A name of a serde enum (`card`, `buyer`...): the names come from the
    /// facts types themselves.
    fn name<T: serde::de::DeserializeOwned>(&mut self, c: Column) -> Option<T> {
        let v = self.cell(c)?;
        let Value::Text(s) = v else {
            self.wrong(c, v, "text");
            return None;
        };
        match parse_name(s.trim()) {
            Ok(t) => Some(t),
            Err(m) => {
                self.push(c.name(), m);
                None
            }
        }
    }

    fn currency(&mut self, c: Column) -> Option<Currency> {
        let v = self.cell(c)?;
        let Value::Text(s) = v else {
            self.wrong(c, v, "text");
            return None;
        };
        let s = s.trim();
        let cur = Currency::new(s);
        if cur.is_none() {
            self.push(
                c.name(),
                format!(
                    "`{s}` is not a currency code (three uppercase letters, like `USD`)",
                    s = echo(s)
                ),
            );
        }
        cur
    }

    fn amount(&mut self, c: Column) -> Option<Decimal> {
        let v = self.cell(c)?;
        let r = match v {
            Value::Text(s) => parse_amount(s),
            Value::Int(n) => Ok(Decimal::from(n)),
            Value::UInt(n) => Ok(Decimal::from(n)),
            Value::Float(f) if f.is_finite() => parse_amount(&format!("{f}")),
            Value::Float(_) => Err("amount is not a finite number".to_owned()),
            Value::Decimal128 { mantissa, scale } => decimal128(mantissa, scale),
            v => Err(format!("expected an amount, got {}", v.describe())),
        };
        self.ok(c.name(), r)
    }

    fn count(&mut self, c: Column) -> Option<u32> {
        let v = self.cell(c)?;
        let r = match v {
            Value::Text(s) => parse_count(s),
            Value::Int(n) => u32::try_from(n).map_err(|_| count_range(n)),
            Value::UInt(n) => u32::try_from(n).map_err(|_| count_range(n)),
            // A whole float (a pandas column with gaps becomes float) is
            // read exactly; anything else is refused.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Value::Float(f) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => {
                Ok(f as u32)
            }
            Value::Float(f) => Err(format!("`{f}` is not a whole number of 0 or more")),
            v => Err(format!("expected a whole number, got {}", v.describe())),
        };
        self.ok(c.name(), r)
    }

    fn instant(&mut self, c: Column) -> Option<DateTime<Utc>> {
        let v = self.cell(c)?;
        let r = match v {
            Value::Text(s) => parse_instant(s),
            Value::Timestamp { value, unit } => timestamp(value, unit),
            v => Err(format!("expected an instant, got {}", v.describe())),
        };
        self.ok(c.name(), r)
    }

    /// A date or an instant (the customer side's delivery dates and due
    /// date): text as either, a timestamp, or a date.
    fn day(&mut self, c: Column) -> Option<DayOrInstant> {
        let v = self.cell(c)?;
        let r = match v {
            Value::Text(s) => parse_day(s),
            Value::Timestamp { value, unit } => timestamp(value, unit).map(DayOrInstant::Instant),
            Value::Date { days } => DateTime::from_timestamp(i64::from(days) * 86_400, 0)
                .map(|t| DayOrInstant::Day(t.date_naive()))
                .ok_or_else(|| format!("date {days} days from 1970-01-01 is out of range")),
            v => Err(format!(
                "expected a date or an instant, got {}",
                v.describe()
            )),
        };
        self.ok(c.name(), r)
    }

    /// A code (a platform's reason code, a stage name...): text, spaces
    /// around it ignored.
    fn code(&mut self, c: Column) -> Option<String> {
        let v = self.cell(c)?;
        match v {
            Value::Text(s) => Some(s.trim().to_owned()),
            Value::Int(n) => Some(n.to_string()),
            Value::UInt(n) => Some(n.to_string()),
            v => {
                self.wrong(c, v, "text");
                None
            }
        }
    }

    /// The value of `c`, which the row needs because `because` is given: an
    /// empty cell is a problem.
    fn needed<T>(
        &mut self,
        c: Column,
        because: Column,
        read: fn(&mut Self, Column) -> Option<T>,
    ) -> Option<T> {
        if self.cell(c).is_none() {
            self.push(
                c.name(),
                format!("must not be empty when {because} is given"),
            );
            return None;
        }
        read(self, c)
    }

    fn flag(&mut self, c: Column) -> Option<bool> {
        let v = self.cell(c)?;
        let r = match v {
            Value::Bool(b) => Ok(b),
            Value::Text(s) if s.trim().eq_ignore_ascii_case("true") => Ok(true),
            Value::Text(s) if s.trim().eq_ignore_ascii_case("false") => Ok(false),
            Value::Text(s) => Err(format!("`{s}` is not `true` or `false`", s = echo(s))),
            v => Err(format!("expected `true` or `false`, got {}", v.describe())),
        };
        self.ok(c.name(), r)
    }

    /// As [`Reader::ok`], the field named only on error (a list element's
    /// field name is made for its problem, not for every element read).
    fn ok_at<T>(&mut self, field: impl FnOnce() -> String, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(t) => Some(t),
            Err(m) => {
                self.push(field(), m);
                None
            }
        }
    }

    fn ok<T>(&mut self, field: &str, r: Result<T, String>) -> Option<T> {
        match r {
            Ok(t) => Some(t),
            Err(m) => {
                self.push(field, m);
                None
            }
        }
    }

    fn tracking(&mut self) -> Tracking {
        let status: Option<&str> = match self.cell(Column::TrackingStatus) {
            None => None,
            Some(Value::Text(s)) => Some(s.trim()),
            Some(v) => {
                self.wrong(Column::TrackingStatus, v, "text");
                return Tracking::None;
            }
        };
        let at_given = self.cell(Column::TrackingAt).is_some();
        let at = self.instant(Column::TrackingAt);
        let to_correct = self.flag(Column::DeliveredToCorrectAddress);
        let (status_col, at_col, flag_col) = (
            Column::TrackingStatus.name(),
            Column::TrackingAt.name(),
            Column::DeliveredToCorrectAddress.name(),
        );
        let Some(status) = status else {
            if at_given {
                self.push(status_col, "required when tracking_at is given");
            }
            if to_correct.is_some() {
                self.push(
                    status_col,
                    "required when delivered_to_correct_address is given",
                );
            }
            return Tracking::None;
        };
        if to_correct.is_some() && status != "delivered" {
            self.push(
                flag_col,
                format!("only applies when tracking_status is `delivered`, not `{status}`"),
            );
        }
        let need_at = |r: &mut Self, make: fn(DateTime<Utc>) -> Tracking| match at {
            Some(t) => make(t),
            None => {
                if !at_given {
                    r.push(
                        at_col,
                        format!("required when tracking_status is `{status}`"),
                    );
                }
                Tracking::None
            }
        };
        match status {
            "none" => {
                if at_given {
                    self.push(at_col, "must be empty when tracking_status is `none`");
                }
                Tracking::None
            }
            "in_transit" => Tracking::InTransit { last_event_at: at },
            "stalled" => need_at(self, |since| Tracking::Stalled { since }),
            "customs_hold" => need_at(self, |since| Tracking::CustomsHold { since }),
            "returned_to_sender" => need_at(self, |at| Tracking::ReturnedToSender { at }),
            "delivered" => match need_at(self, |at| Tracking::Delivered {
                at,
                to_correct_address: true,
            }) {
                Tracking::Delivered { at, .. } => Tracking::Delivered {
                    at,
                    to_correct_address: to_correct.unwrap_or(true),
                },
                other => other,
            },
            other => {
                self.push(
                    status_col,
                    format!(
                        "unknown tracking status `{other}`, expected one of {}",
                        TRACKING_NAMES.map(|n| format!("`{n}`")).join(", ")
                    ),
                );
                Tracking::None
            }
        }
    }

    fn receipt(&mut self) -> Option<Receipt> {
        let at_given = self.cell(Column::ReceiptAt).is_some();
        let by_given = self.cell(Column::ReceiptBy).is_some();
        let at = self.instant(Column::ReceiptAt);
        let by: Option<ConfirmedBy> = self.name(Column::ReceiptBy);
        if at_given && !by_given {
            self.push(
                Column::ReceiptBy.name(),
                "required when receipt_at is given",
            );
        }
        if by_given && !at_given {
            self.push(
                Column::ReceiptAt.name(),
                "required when receipt_by is given",
            );
        }
        Some(Receipt { at: at?, by: by? })
    }

    /// The elements of a list column (its text split at `;`), none when
    /// the cell is empty or not text.
    fn list(&mut self, c: Column) -> impl Iterator<Item = &'r str> + use<'r, R> {
        let text = match self.cell(c) {
            None => None,
            Some(Value::Text(s)) => Some(s),
            Some(v) => {
                self.wrong(c, v, "text");
                None
            }
        };
        text.into_iter().flat_map(|s| s.split(';'))
    }

    /// The list, written into `out` (cleared first, its capacity reused).
    fn extensions(&mut self, mut out: Vec<ExtensionRequest>) -> Vec<ExtensionRequest> {
        let c = Column::Extensions;
        out.clear();
        for (i, element) in self.list(c).enumerate() {
            let parts = Parts::new(element);
            let f = |part: &str| format!("extensions[{i}].{part}");
            let (requested_at, days, status, decided_at) = match parts.as_slice() {
                [a, b, c] => (*a, *b, *c, None),
                [a, b, c, d] => (*a, *b, *c, Some(*d)),
                [""] => {
                    self.push(format!("extensions[{i}]"), EMPTY_ELEMENT);
                    continue;
                }
                _ => {
                    let got = parts.joined();
                    self.push(
                        format!("extensions[{i}]"),
                        format!("`{got}` is not `requested_at/days/status` or `requested_at/days/status/decided_at`", got = echo(&got)),
                    );
                    continue;
                }
            };
            let requested_at = self.ok_at(|| f("requested_at"), parse_instant(requested_at));
            let days = self.ok_at(|| f("days"), parse_count(days));
            let status: Option<ExtensionStatus> = self.ok_at(|| f("status"), parse_name(status));
            let decided_at = match decided_at {
                Some(d) if !d.is_empty() => {
                    self.ok_at(|| f("decided_at"), parse_instant(d)).map(Some)
                }
                _ => Some(None),
            };
            if let (Some(requested_at), Some(days), Some(status), Some(decided_at)) =
                (requested_at, days, status, decided_at)
            {
                out.push(ExtensionRequest {
                    requested_at,
                    days,
                    status,
                    decided_at,
                });
            }
        }
        out
    }

    /// The list, written into `out` (cleared first, its capacity reused).
    fn disputes(&mut self, mut out: Vec<PriorDispute>) -> Vec<PriorDispute> {
        let c = Column::Disputes;
        out.clear();
        for (i, element) in self.list(c).enumerate() {
            let parts = Parts::new(element);
            let f = |part: &str| format!("disputes[{i}].{part}");
            let (opened_at, status, closed_at) = match parts.as_slice() {
                [a, b] => (*a, *b, None),
                [a, b, c] => (*a, *b, Some(*c)),
                [""] => {
                    self.push(format!("disputes[{i}]"), EMPTY_ELEMENT);
                    continue;
                }
                _ => {
                    let got = parts.joined();
                    self.push(
                        format!("disputes[{i}]"),
                        format!(
                            "`{got}` is not `opened_at/status` or `opened_at/status/closed_at`"
                        ),
                    );
                    continue;
                }
            };
            let opened_at = self.ok_at(|| f("opened_at"), parse_instant(opened_at));
            let status: Option<PriorDisputeStatus> = self.ok_at(|| f("status"), parse_name(status));
            let closed_at = match closed_at {
                Some(d) if !d.is_empty() => {
                    self.ok_at(|| f("closed_at"), parse_instant(d)).map(Some)
                }
                _ => Some(None),
            };
            if let (Some(opened_at), Some(status), Some(closed_at)) = (opened_at, status, closed_at)
            {
                out.push(PriorDispute {
                    opened_at,
                    status,
                    closed_at,
                });
            }
        }
        out
    }
}

/// Whether a text is empty or all white space: a first byte that is
/// visible ASCII answers at once (most cells), else the whole text is
/// looked at.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(0x21..=0x7e) => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// The parts of a list element (its text split at `/`, trimmed), read
/// without allocating: the first four, and how many there are.
struct Parts<'a> {
    element: &'a str,
    first: [&'a str; 4],
    count: usize,
}

impl<'a> Parts<'a> {
    fn new(element: &'a str) -> Self {
        let mut first = [""; 4];
        let mut count = 0;
        for part in element.split('/') {
            if let Some(slot) = first.get_mut(count) {
                *slot = part.trim();
            }
            count += 1;
        }
        Parts {
            element,
            first,
            count,
        }
    }

    /// The parts; empty when there are more than four (no element has
    /// more).
    fn as_slice(&self) -> &[&'a str] {
        self.first.get(..self.count).unwrap_or(&[])
    }

    /// The parts joined by `/` (the element without the spaces around
    /// its parts), for a message.
    fn joined(&self) -> String {
        self.element
            .split('/')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("/")
    }
}

const EMPTY_ELEMENT: &str =
    "empty element (elements are separated by `;`, with none after the last)";

/// The tracking status names, in the order of [`Tracking`]'s variants.
const TRACKING_NAMES: [&str; 6] = [
    "none",
    "in_transit",
    "stalled",
    "customs_hold",
    "returned_to_sender",
    "delivered",
];

fn parse_name<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, String> {
    use serde::de::IntoDeserializer;
    let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = s.into_deserializer();
    T::deserialize(de).map_err(|e| {
        // serde repeats the name whole: repeat it as `echo` does.
        let m = crate::error::plain_message(&e.to_string());
        match (m.strip_prefix("unknown variant `"), m.rfind("`, expected ")) {
            (Some(_), Some(i)) => {
                format!("unknown variant `{}{}", echo(s), m.get(i..).unwrap_or("`"))
            }
            _ => m,
        }
    })
}

/// An amount in text, read as the JSON layer reads one (C-2: exact).
fn parse_amount(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_scientific(t))
        .map_err(|_| format!("`{s}` is not a decimal amount", s = echo(s)))
}

fn decimal128(mantissa: i128, scale: i8) -> Result<Decimal, String> {
    let out_of_range = || format!("decimal {mantissa}e{} is out of range", -i32::from(scale));
    if scale >= 0 {
        Decimal::try_from_i128_with_scale(mantissa, u32::from(scale.unsigned_abs()))
            .map_err(|_| out_of_range())
    } else {
        let base = Decimal::try_from_i128_with_scale(mantissa, 0).map_err(|_| out_of_range())?;
        (0..scale.unsigned_abs())
            .try_fold(base, |d, _| d.checked_mul(Decimal::TEN))
            .ok_or_else(out_of_range)
    }
}

fn count_range(n: impl fmt::Display) -> String {
    format!("{n} is out of range 0 to {}", u32::MAX)
}

fn parse_count(s: &str) -> Result<u32, String> {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<u32>()
            .map_err(|_| count_range(format!("`{t}`", t = echo(t))))
    } else {
        Err(format!("`{s}` is not a whole number", s = echo(s)))
    }
}

fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    rfc3339::fast(t)
        .or_else(|| {
            t.parse::<DateTime<FixedOffset>>()
                .ok()
                .map(|d| d.with_timezone(&Utc))
        })
        .ok_or_else(|| {
            format!(
                "`{s}` is not an RFC 3339 instant with an offset (like `2026-03-20T12:00:00Z`)",
                s = echo(s)
            )
        })
}

/// A date (`2026-06-19`) or an RFC 3339 instant, as the JSON layer reads
/// the customer side's dates.
fn parse_day(s: &str) -> Result<DayOrInstant, String> {
    let t = s.trim();
    if let Ok(i) = parse_instant(t) {
        return Ok(DayOrInstant::Instant(i));
    }
    t.parse::<NaiveDate>().map(DayOrInstant::Day).map_err(|_| {
        format!(
            "`{s}` is neither a date (`2026-06-19`) nor an RFC 3339 instant with an offset",
            s = echo(s)
        )
    })
}

fn timestamp(value: i64, unit: TimeUnit) -> Result<DateTime<Utc>, String> {
    let t = match unit {
        TimeUnit::Seconds => DateTime::from_timestamp(value, 0),
        TimeUnit::Millis => DateTime::from_timestamp_millis(value),
        TimeUnit::Micros => DateTime::from_timestamp_micros(value),
        TimeUnit::Nanos => Some(DateTime::from_timestamp_nanos(value)),
    };
    t.ok_or_else(|| format!("timestamp {value} is out of range"))
}

/// The facts as text cells, one per column of [`COLUMNS`] in that order
/// (empty for an absent value): the inverse of [`facts`] over a
/// [`TextRow`]. Facts that flat columns cannot hold are an error naming the
/// facts field: another schema version, or an amount in another currency
/// than the unit price.
pub fn to_text(f: &OrderFacts) -> Result<Vec<String>, Error> {
    let mut problems = Vec::new();
    if f.schema_version != FACTS_SCHEMA_VERSION {
        problems.push(Problem::new(
            "schema_version",
            format!("flat columns hold facts schema version {FACTS_SCHEMA_VERSION} only"),
        ));
    }
    let cur = f.unit_price.currency;
    for (field, m) in [
        ("shipping_cost", Some(&f.shipping_cost)),
        ("coupon", f.coupon.as_ref()),
    ] {
        if let Some(m) = m {
            if m.currency != cur {
                problems.push(Problem::new(
                    format!("{field}.currency"),
                    format!(
                        "`{}` differs from unit_price.currency `{cur}`; flat columns hold one currency",
                        m.currency
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::InvalidFacts(Problems::new(problems)));
    }
    let instant = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    let opt = |t: Option<DateTime<Utc>>| t.map(instant).unwrap_or_default();
    let (tracking_at, to_correct) = match f.tracking {
        Tracking::Delivered {
            at,
            to_correct_address,
        } => (Some(at), to_correct_address.to_string()),
        other => (other.instant().map(|(_, t)| t), String::new()),
    };
    let extensions: Vec<String> = f
        .extensions
        .iter()
        .map(|e| {
            let mut s = format!(
                "{}/{}/{}",
                instant(e.requested_at),
                e.days,
                name_of(&e.status)
            );
            if let Some(d) = e.decided_at {
                s.push('/');
                s.push_str(&instant(d));
            }
            s
        })
        .collect();
    let disputes: Vec<String> = f
        .disputes
        .iter()
        .map(|d| {
            let mut s = format!("{}/{}", instant(d.opened_at), name_of(&d.status));
            if let Some(c) = d.closed_at {
                s.push('/');
                s.push_str(&instant(c));
            }
            s
        })
        .collect();
    Ok(COLUMNS
        .iter()
        .map(|c| match c {
            Column::OrderId => f.order_id.clone(),
            Column::LineId => f.line_id.clone(),
            Column::UnitPrice => f.unit_price.amount.to_string(),
            Column::Currency => cur.to_string(),
            Column::Quantity => f.quantity.to_string(),
            Column::ShippingCost => f.shipping_cost.amount.to_string(),
            Column::Coupon => f.coupon.map(|m| m.amount.to_string()).unwrap_or_default(),
            Column::PlacedAt => instant(f.placed_at),
            Column::PaidAt => opt(f.paid_at),
            Column::ShippedAt => opt(f.shipped_at),
            Column::ShippingMethod => f.shipping_method.clone(),
            Column::PromisedProtectionDays => f
                .promised_protection_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            Column::DestinationCountry => f.destination_country.clone(),
            Column::TrackingStatus => f.tracking.name().to_owned(),
            Column::TrackingAt => opt(tracking_at),
            Column::DeliveredToCorrectAddress => to_correct.clone(),
            Column::ReceiptAt => opt(f.receipt.map(|r| r.at)),
            Column::ReceiptBy => f.receipt.map(|r| name_of(&r.by)).unwrap_or_default(),
            Column::OrderCancelledAt => opt(f.order_cancelled_at),
            Column::RefundCompletedAt => opt(f.refund_completed_at),
            Column::PaymentMethod => name_of(&f.payment_method),
            Column::Extensions => extensions.join(";"),
            Column::Disputes => disputes.join(";"),
            // Not in COLUMNS: the customer side is `customer_to_text`'s.
            _ => String::new(),
        })
        .collect())
}

/// The customer side as text cells, one per column of [`CUSTOMER_COLUMNS`]
/// in that order (empty for an absent value; `customer_dispute_*` empty
/// without a dispute): the inverse of [`customer`] over a [`TextRow`].
/// Another schema version than the flat columns hold is an error naming
/// the field.
pub fn customer_to_text(
    order: &CustomerOrder,
    dispute: Option<&CustomerDispute>,
) -> Result<Vec<String>, Error> {
    if order.schema_version != CUSTOMER_SCHEMA_VERSION {
        return Err(Error::InvalidFacts(Problems::one(
            "customer_order.schema_version",
            format!(
                "flat columns hold customer-order schema version {CUSTOMER_SCHEMA_VERSION} only"
            ),
        )));
    }
    let instant = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    let opt = |t: Option<DateTime<Utc>>| t.map(instant).unwrap_or_default();
    let day = |d: Option<DayOrInstant>| match d {
        None => String::new(),
        Some(DayOrInstant::Day(d)) => d.to_string(),
        Some(DayOrInstant::Instant(t)) => instant(t),
    };
    let d = dispute;
    Ok(CUSTOMER_COLUMNS
        .iter()
        .map(|c| match c {
            Column::CustomerOrderId => order.order_id.clone(),
            Column::CustomerPlatform => order.platform.code().to_owned(),
            Column::CustomerAmount => order.amount.amount.to_string(),
            Column::CustomerCurrency => order.amount.currency.to_string(),
            Column::CustomerPaidAt => instant(order.paid_at),
            Column::CustomerExpectedDelivery => day(order.expected_delivery),
            Column::CustomerMinEstimatedDelivery => day(order.min_estimated_delivery),
            Column::CustomerMaxEstimatedDelivery => day(order.max_estimated_delivery),
            Column::CustomerDeliveredAt => day(order.delivered_at),
            Column::CustomerCountry => order.country.clone().unwrap_or_default(),
            Column::CustomerFeeTier => order.fee_tier.clone().unwrap_or_default(),
            Column::CustomerDisputeReason => d.map(|d| d.reason.clone()).unwrap_or_default(),
            Column::CustomerDisputeNetwork => d
                .and_then(|d| d.network)
                .map(|n| name_of(&n))
                .unwrap_or_default(),
            Column::CustomerDisputeNetworkReasonCode => d
                .and_then(|d| d.network_reason_code.clone())
                .unwrap_or_default(),
            Column::CustomerDisputeStage => d.map(|d| d.stage.clone()).unwrap_or_default(),
            Column::CustomerDisputeOpenedAt => opt(d.map(|d| d.opened_at)),
            Column::CustomerDisputeStageStartedAt => opt(d.and_then(|d| d.stage_started_at)),
            Column::CustomerDisputeRespondBy => day(d.and_then(|d| d.respond_by)),
            Column::CustomerDisputeNoResponseAllowed => {
                if d.is_some_and(|d| d.no_response_allowed) {
                    "true".to_owned()
                } else {
                    String::new()
                }
            }
            Column::CustomerDisputeOfferMadeAt => opt(d.and_then(|d| d.offer_made_at)),
            Column::CustomerDisputeClosedAt => opt(d.and_then(|d| d.closed_at)),
            _ => String::new(),
        })
        .collect())
}

/// The JSON name of a unit enum (`card`, `approved`...).
fn name_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The column (or list element) a facts path is read from:
/// `unit_price.amount` is `unit_price`, `unit_price.currency` is
/// `currency`, `tracking.at` is `tracking_at`, `receipt.by` is
/// `receipt_by`; list paths (`extensions[1].days`) and the paths of plain
/// columns (`shipped_at`) are the same. A leading `facts.` is dropped.
/// The customer side's paths: `customer_order.amount.amount` is
/// `customer_amount`, `customer_order.amount.currency` is
/// `customer_currency`, `customer_order.X` is `customer_X` and
/// `customer_dispute.X` is `customer_dispute_X`.
pub fn column_of(path: &str) -> String {
    let path = path.strip_prefix("facts.").unwrap_or(path);
    let (head, rest) = match path.find(['.', '[']) {
        Some(i) => path.split_at(i),
        None => (path, ""),
    };
    let column = match (head, rest) {
        ("unit_price" | "shipping_cost" | "coupon", ".currency") => Column::Currency,
        ("unit_price", _) => Column::UnitPrice,
        ("shipping_cost", _) => Column::ShippingCost,
        ("coupon", _) => Column::Coupon,
        ("tracking", ".at" | ".since" | ".last_event_at") => Column::TrackingAt,
        ("tracking", ".to_correct_address") => Column::DeliveredToCorrectAddress,
        ("tracking", _) => Column::TrackingStatus,
        ("receipt", ".by") => Column::ReceiptBy,
        ("receipt", _) => Column::ReceiptAt,
        ("customer_order", ".amount.currency") => Column::CustomerCurrency,
        ("customer_order", ".amount" | ".amount.amount") => Column::CustomerAmount,
        ("customer_order" | "customer_dispute", _) => {
            let field = rest.trim_start_matches('.');
            let field = field.split(['.', '[']).next().unwrap_or(field);
            let prefix = if head == "customer_order" {
                "customer_"
            } else {
                "customer_dispute_"
            };
            match Column::from_name(&format!("{prefix}{field}")) {
                Some(c) if c.is_customer() => c,
                _ => return path.to_owned(),
            }
        }
        _ => return path.to_owned(),
    };
    column.name().to_owned()
}

/// An error about facts read from a flat row, with every problem's field
/// renamed to its column by [`column_of`] (errors of other kinds are
/// returned as they are).
pub fn column_error(e: Error) -> Error {
    match e {
        Error::InvalidFacts(p) => Error::InvalidFacts(Problems::new(
            p.list()
                .iter()
                .map(|x| Problem::new(column_of(x.field()), x.message()))
                .collect(),
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests;
