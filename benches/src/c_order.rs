//! The C typed path's input: a `dr_order` built from `OrderFacts`, for the
//! benchmarks that put `dr_order_eligibility` beside the Rust call.

use chrono::{DateTime, Utc};
use dispute_rules::facts::{
    ConfirmedBy, ExtensionStatus, PaymentMethod, PriorDisputeStatus, Tracking,
};
use dispute_rules::OrderFacts;
use dispute_rules_c::{dr_extension, dr_order, dr_prior_dispute};
use std::ffi::CString;

/// A `dr_order` and the C memory its pointers refer to.
#[derive(Debug)]
pub struct COrder {
    _strings: [CString; 5],
    _extensions: Vec<dr_extension>,
    _disputes: Vec<dr_prior_dispute>,
    /// The order, pointing into the fields above.
    pub order: dr_order,
}

fn secs(t: Option<DateTime<Utc>>) -> i64 {
    t.map_or(0, |t| t.timestamp())
}

/// The amount in minor units at the line's scale.
fn minor(d: rust_decimal::Decimal, scale: u32) -> i64 {
    let mut d = d;
    d.rescale(scale);
    i64::try_from(d.mantissa()).unwrap_or(i64::MAX)
}

impl COrder {
    /// The C twin of `f`: the same facts, amounts at the line's largest scale.
    pub fn new(f: &OrderFacts) -> COrder {
        let c = |s: &str| CString::new(s).unwrap_or_default();
        let strings = [
            c(&f.order_id),
            c(&f.line_id),
            c(f.unit_price.currency.as_str()),
            c(&f.shipping_method),
            c(&f.destination_country),
        ];
        let scale = [Some(f.unit_price), Some(f.shipping_cost), f.coupon]
            .iter()
            .flatten()
            .map(|m| m.amount.scale())
            .max()
            .unwrap_or(0);
        let extensions: Vec<dr_extension> = f
            .extensions
            .iter()
            .map(|e| dr_extension {
                requested_at: e.requested_at.timestamp(),
                days: e.days,
                status: match e.status {
                    ExtensionStatus::Pending => 0,
                    ExtensionStatus::Approved => 1,
                    ExtensionStatus::Declined => 2,
                    // Newer than this conversion: pending.
                    _ => 0,
                },
                decided_at: secs(e.decided_at),
            })
            .collect();
        let disputes: Vec<dr_prior_dispute> = f
            .disputes
            .iter()
            .map(|d| dr_prior_dispute {
                opened_at: d.opened_at.timestamp(),
                closed_at: secs(d.closed_at),
                status: match d.status {
                    PriorDisputeStatus::Open => 0,
                    PriorDisputeStatus::Cancelled => 1,
                    PriorDisputeStatus::ClosedByAgreement => 2,
                    PriorDisputeStatus::Decided => 3,
                    // Newer than this conversion: open.
                    _ => 0,
                },
            })
            .collect();
        let (tracking, tracking_at, wrong) = match f.tracking {
            Tracking::None => (0, 0, 0),
            Tracking::InTransit { last_event_at } => (1, secs(last_event_at), 0),
            Tracking::Stalled { since } => (2, since.timestamp(), 0),
            Tracking::CustomsHold { since } => (3, since.timestamp(), 0),
            Tracking::ReturnedToSender { at } => (4, at.timestamp(), 0),
            Tracking::Delivered {
                at,
                to_correct_address,
            } => (5, at.timestamp(), u32::from(!to_correct_address)),
            // Newer than this conversion: no information.
            _ => (0, 0, 0),
        };
        let order = dr_order {
            struct_size: std::mem::size_of::<dr_order>(),
            order_id: strings[0].as_ptr(),
            line_id: strings[1].as_ptr(),
            currency: strings[2].as_ptr(),
            amount_scale: scale,
            quantity: f.quantity,
            unit_price_minor: minor(f.unit_price.amount, scale),
            shipping_cost_minor: minor(f.shipping_cost.amount, scale),
            coupon_minor: f.coupon.map_or(0, |m| minor(m.amount, scale)),
            placed_at: f.placed_at.timestamp(),
            paid_at: secs(f.paid_at),
            shipped_at: secs(f.shipped_at),
            shipping_method: strings[3].as_ptr(),
            promised_protection_days: f.promised_protection_days.unwrap_or(0),
            payment_method: match f.payment_method {
                PaymentMethod::Other => 0,
                PaymentMethod::Card => 1,
                PaymentMethod::Wallet => 2,
                PaymentMethod::Paypal => 3,
                PaymentMethod::CashPayment => 4,
                PaymentMethod::WesternUnion => 5,
                PaymentMethod::Tt => 6,
                PaymentMethod::BankTransfer => 7,
                // Newer than this conversion: other.
                _ => 0,
            },
            destination_country: strings[4].as_ptr(),
            tracking,
            delivered_to_wrong_address: wrong,
            tracking_at,
            receipt_at: f.receipt.map_or(0, |r| r.at.timestamp()),
            receipt_by: f.receipt.map_or(0, |r| match r.by {
                ConfirmedBy::Buyer => 0,
                ConfirmedBy::Automatic => 1,
                // Newer than this conversion: the buyer.
                _ => 0,
            }),
            order_cancelled_at: secs(f.order_cancelled_at),
            refund_completed_at: secs(f.refund_completed_at),
            extensions: extensions.as_ptr(),
            extension_count: extensions.len(),
            disputes: disputes.as_ptr(),
            dispute_count: disputes.len(),
        };
        COrder {
            _strings: strings,
            _extensions: extensions,
            _disputes: disputes,
            order,
        }
    }
}

