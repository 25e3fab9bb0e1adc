//! The built-in sample orders: one per major scenario of the rules reference
//! (`docs/rules.md`).
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

/// The sample with this name.
pub fn find(name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.name == name)
}
