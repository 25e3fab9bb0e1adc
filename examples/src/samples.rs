//! The built-in sample orders: one per major scenario of the rules reference
//! (`docs/rules.md`), and the three back-to-back worked examples of the
//! selling-side reference (`docs/selling-side.md`, [`BACK_TO_BACK_SAMPLES`]).
//!
//! Each sample is a request for `dispute_rules::api::call` stored under
//! `examples/data/requests/<name>.json` and embedded here with `include_str!`,
//! so the example, the tests and the benchmarks all read the same data.
//! All samples share one moment of evaluation, [`SAMPLE_NOW`], which is also
//! the `now` to use with [`ORDERS_JSONL`].

/// The `now` every sample request carries (a Friday, 05:00 PDT).
pub const SAMPLE_NOW: &str = "2026-03-20T12:00:00Z";

/// What the engine should answer for a sample (checked by the tests, so a
/// sample cannot silently stop illustrating its scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// `eligible`, `not_yet`, `closed` or `blocked`.
    pub status: &'static str,
    /// The R-E9 code, when not eligible.
    pub code: Option<&'static str>,
    /// The buyer's reason code the claim uses, when the sample has a claim.
    pub reason: Option<&'static str>,
}

/// One built-in sample.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// Short name (`--sample <name>`), also the file stem.
    pub name: &'static str,
    /// One line about the scenario.
    pub title: &'static str,
    /// The rule ids the scenario illustrates.
    pub rules: &'static [&'static str],
    /// The request JSON.
    pub json: &'static str,
    /// The expected answer.
    pub expect: Expect,
}

macro_rules! sample {
    ($name:literal, $title:literal, [$($rule:literal),*], $status:literal, $code:expr, $reason:expr) => {
        Sample {
            name: $name,
            title: $title,
            rules: &[$($rule),*],
            json: include_str!(concat!("../data/requests/", $name, ".json")),
            expect: Expect { status: $status, code: $code, reason: $reason },
        }
    };
}

/// Every sample, in the order of the rules reference's scenarios.
pub const SAMPLES: &[Sample] = &[
    sample!(
        "not_received_no_tracking",
        "Not received, no tracking information for five weeks",
        ["R-E1", "R-E2", "R-E5", "R-R3", "C-4"],
        "eligible",
        None,
        Some("not_received.no_tracking")
    ),
    sample!(
        "customs_hold",
        "Held by customs in Russia (90-day protection for RU)",
        ["R-E2", "R-R4"],
        "eligible",
        None,
        Some("not_received.customs_hold")
    ),
    sample!(
        "delivered_not_received",
        "Tracking says delivered, but nothing arrived (expedited, 100 days)",
        ["R-E2", "R-R6", "R-V1"],
        "eligible",
        None,
        Some("not_received.delivered_not_received")
    ),
    sample!(
        "quantity_shortage",
        "17 of 18 units arrived; the most expensive part is missing (003)",
        ["R-R10", "R-O4", "R-V1"],
        "eligible",
        None,
        Some("received.quantity_shortage")
    ),
    sample!(
        "counterfeit",
        "Counterfeit brand earbuds",
        ["R-R12", "R-O1", "R-V1"],
        "eligible",
        None,
        Some("received.counterfeit")
    ),
    sample!(
        "damaged",
        "A tea set that arrived broken",
        ["R-R9", "R-V1"],
        "eligible",
        None,
        Some("received.damaged")
    ),
    sample!(
        "buyer_remorse",
        "Bought by mistake (wrong phone model): return at the buyer's expense",
        ["R-R14", "R-S2", "R-O3", "R-E3"],
        "eligible",
        None,
        Some("received.buyer_remorse")
    ),
    sample!(
        "confirmed_10_days_ago",
        "Receipt confirmed 10 days ago, then the chargers stopped working",
        ["R-E3", "R-R8"],
        "eligible",
        None,
        Some("received.quality")
    ),
    sample!(
        "confirmation_timeout",
        "Protection ended without confirmation or dispute (confirmation timeout)",
        ["R-E4", "R-E9", "R-L7"],
        "closed",
        Some("confirmation_timeout"),
        Some("not_received.too_long")
    ),
    sample!(
        "cancelled_reopen",
        "A dispute cancelled on the seller's promise to resend, to be reopened",
        ["R-E8", "R-R1"],
        "eligible",
        None,
        Some("not_received.too_long")
    ),
    sample!(
        "too_early",
        "Shipped five days ago: not yet (the 11th day starts at 00:00 Pacific)",
        ["R-E1", "C-1", "R-E9"],
        "not_yet",
        Some("too_early"),
        None
    ),
    sample!(
        "pending_extension",
        "Protection nearly over, an extension request the seller has not answered",
        ["R-E5", "R-R1"],
        "eligible",
        None,
        Some("not_received.too_long")
    ),
];

/// What the engine should answer for a back-to-back sample (checked by the
/// tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackToBackExpect {
    /// The side whose deadline binds first (BB-3): `customer` or `supplier`.
    pub binds: &'static str,
    /// That deadline's milestone.
    pub milestone: &'static str,
    /// Its rule id.
    pub rule: &'static str,
    /// The supplier route: `open`, `closed`...
    pub route: &'static str,
    /// The kind of the first next action.
    pub first_action: &'static str,
}

/// One built-in back-to-back sample: a request for
/// `dispute_rules::api::call("back_to_back", ...)` with its own `now`.
#[derive(Debug, Clone, Copy)]
pub struct BackToBackSample {
    /// Short name (`--sample <name>`), also the file stem.
    pub name: &'static str,
    /// One line about the scenario.
    pub title: &'static str,
    /// The rule ids the scenario illustrates.
    pub rules: &'static [&'static str],
    /// The request JSON.
    pub json: &'static str,
    /// The expected answer.
    pub expect: BackToBackExpect,
}

macro_rules! back_to_back {
    ($name:literal, $title:literal, [$($rule:literal),*],
     $binds:literal, $milestone:literal, $rule_id:literal, $route:literal, $first:literal) => {
        BackToBackSample {
            name: $name,
            title: $title,
            rules: &[$($rule),*],
            json: include_str!(concat!("../data/requests/", $name, ".json")),
            expect: BackToBackExpect {
                binds: $binds,
                milestone: $milestone,
                rule: $rule_id,
                route: $route,
                first_action: $first,
            },
        }
    };
}

/// The back-to-back samples: the three worked examples of
/// `docs/selling-side.md`, each at its own `now`.
pub const BACK_TO_BACK_SAMPLES: &[BackToBackSample] = &[
    back_to_back!(
        "b2b_paypal_supplier_first",
        "PayPal, not received: the AliExpress extension cutoff binds before PayPal's deadline",
        ["BB-3", "R-E5", "R-E2", "P-L4", "BB-2"],
        "supplier",
        "extension_request_deadline",
        "R-E5",
        "open",
        "request_supplier_extension"
    ),
    back_to_back!(
        "b2b_stripe_route_closed",
        "Stripe, Visa 13.1 chargeback after the AliExpress window closed: 75 USD uncovered",
        ["BB-3", "R-E3", "S-L1", "S-N2", "S-F1", "S-F2"],
        "customer",
        "seller_response",
        "S-L1",
        "closed",
        "respond_to_customer"
    ),
    back_to_back!(
        "b2b_ebay_business_days",
        "eBay, item not received: eBay's 3 business days bind before AliExpress",
        ["BB-3", "B-L1", "B-L2", "B-L3", "B-W1"],
        "customer",
        "seller_response",
        "B-L1",
        "open",
        "respond_to_customer"
    ),
];

/// The back-to-back sample with this name.
pub fn find_back_to_back(name: &str) -> Option<&'static BackToBackSample> {
    BACK_TO_BACK_SAMPLES.iter().find(|s| s.name == name)
}

/// The sample assessed when `assess` runs without arguments.
pub const DEFAULT_SAMPLE: &str = "not_received_no_tracking";

/// A JSON-lines file of bare order facts for the batch mode: 12 lines, line 6
/// deliberately invalid (a negative price, delivered before shipped). Assess
/// it with `now` = [`SAMPLE_NOW`].
pub const ORDERS_JSONL: &str = include_str!("../data/orders.jsonl");

/// The 1-based line of [`ORDERS_JSONL`] that is deliberately invalid.
pub const ORDERS_BAD_LINE: usize = 6;

/// The orders of [`ORDERS_JSONL`] as CSV, in the flat columns of
/// `dispute_rules::flat` (generated from it; a test keeps the two equal).
/// The header is line 1, so order N of the JSON lines is on line N + 1.
pub const ORDERS_CSV: &str = include_str!("../data/orders.csv");

/// A JSON-lines file for the batch with the customer side: 8 records,
/// `{"facts": ..., "customer_order": ..., "customer_dispute": ...}` on
/// PayPal, eBay, Stripe, Shopify Payments and Amazon, line 2 bare order facts
/// (a record without a customer side), line 4 deliberately invalid (a Stripe
/// dispute in stage `chargebak`). Assess it with `now` = [`SAMPLE_NOW`].
pub const ORDERS_B2B_JSONL: &str = include_str!("../data/orders-b2b.jsonl");

/// The 1-based line of [`ORDERS_B2B_JSONL`] that is deliberately invalid.
pub const ORDERS_B2B_BAD_LINE: usize = 4;

/// The records of [`ORDERS_B2B_JSONL`] as CSV: the flat columns of
/// `dispute_rules::flat`, then its customer columns (generated from it; a
/// test keeps the two equal). Record N is on line N + 1.
pub const ORDERS_B2B_CSV: &str = include_str!("../data/orders-b2b.csv");

/// The sample with this name.
pub fn find(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}
