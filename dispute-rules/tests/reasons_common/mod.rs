//! Shared helpers for the reasons tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers"
)]

use chrono::{DateTime, Utc};
use dispute_rules::reasons::{
    Attachment, AttachmentKind, Claim, EvidenceKind, Reason, RefundType, Solution,
};
use dispute_rules::{Money, OrderFacts};

/// The sample line: 19.99 USD, one unit, free shipping, shipped 1 March
/// 2026, no tracking; eligible at [`now`].
pub fn facts() -> OrderFacts {
    OrderFacts::from_json(include_str!("../data/not_received.json")).unwrap()
}

/// 20 March 2026, inside the window of [`facts`] (opens 12 March).
pub fn now() -> DateTime<Utc> {
    at("2026-03-20T12:00:00Z")
}

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn usd(s: &str) -> Money {
    Money::parse(s, "USD").unwrap()
}

/// A line of 2 x 10.00 + 3.50 shipping - 2.00 coupon: cap 21.50 USD (C-4).
pub fn priced_facts() -> OrderFacts {
    let mut f = facts();
    f.unit_price = usd("10.00");
    f.quantity = 2;
    f.shipping_cost = usd("3.50");
    f.coupon = Some(usd("2.00"));
    f
}

pub fn claim(reason: Reason, solution: Solution, amount: &str) -> Claim {
    Claim::new(reason, solution, usd(amount))
}

pub fn claim_typed(reason: Reason, solution: Solution, amount: &str, t: RefundType) -> Claim {
    claim(reason, solution, amount).with_refund_type(t)
}

pub fn file(kind: AttachmentKind, name: &str, size_bytes: u64, shows: EvidenceKind) -> Attachment {
    let format = name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .unwrap_or("")
        .to_owned();
    Attachment {
        kind,
        file_name: name.to_owned(),
        format,
        size_bytes,
        shows,
    }
}

pub fn photo(shows: EvidenceKind) -> Attachment {
    file(AttachmentKind::Image, "photo.jpg", 500_000, shows)
}

pub fn video(shows: EvidenceKind) -> Attachment {
    file(AttachmentKind::Video, "clip.mp4", 50_000_000, shows)
}

/// The fields of every problem of an error.
pub fn fields(e: &dispute_rules::Error) -> Vec<String> {
    e.problems().iter().map(|p| p.field().to_owned()).collect()
}
