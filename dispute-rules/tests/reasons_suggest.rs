//! Reason suggestions: one test per reason R-R1..R-R15, ranking, and input
//! errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

mod reasons_common;

use dispute_rules::facts::Tracking;
use dispute_rules::reasons::{suggest, BuyerReport, Group, Reason, Solution, Suggestions};
use dispute_rules::{Error, Explain, OrderFacts, Policy, Rule};
use reasons_common::*;

fn run(f: &OrderFacts, r: &BuyerReport) -> Suggestions {
    suggest(f, r, &Policy::aliexpress(), now(), Explain::No).unwrap()
}

fn first(f: &OrderFacts, r: &BuyerReport) -> Reason {
    run(f, r).reasons[0].reason
}

fn not_received() -> BuyerReport {
    BuyerReport::new().with_received(false)
}

fn received() -> BuyerReport {
    BuyerReport::new().with_received(true)
}

fn delivered(correct: bool) -> Tracking {
    Tracking::Delivered {
        at: at("2026-03-15T10:00:00Z"),
        to_correct_address: correct,
    }
}

#[test]
fn r_r1_in_transit_is_taking_too_long() {
    let mut f = facts();
    f.tracking = Tracking::InTransit {
        last_event_at: Some(at("2026-03-10T00:00:00Z")),
    };
    let s = run(&f, &not_received());
    assert_eq!(s.reasons[0].reason, Reason::NotReceivedTooLong);
    assert!(s.reasons[0].rules.contains(Rule::R1) && s.reasons[0].rules.contains(Rule::E5));
    f.tracking = Tracking::Stalled {
        since: at("2026-03-05T00:00:00Z"),
    };
    assert_eq!(first(&f, &not_received()), Reason::NotReceivedTooLong);
}

#[test]
fn r_r2_returned_to_sender() {
    let mut f = facts();
    f.tracking = Tracking::ReturnedToSender {
        at: at("2026-03-15T00:00:00Z"),
    };
    // Unknown receipt: returned to the sender means it did not arrive.
    assert_eq!(
        first(&f, &BuyerReport::default()),
        Reason::NotReceivedReturnedToSeller
    );
}

#[test]
fn r_r3_no_tracking_information() {
    let s = run(&facts(), &BuyerReport::default());
    assert!(!s.received && s.received_inferred);
    assert_eq!(s.reasons[0].reason, Reason::NotReceivedNoTracking);
    // Too long is offered too, below it.
    assert_eq!(s.reasons[1].reason, Reason::NotReceivedTooLong);
    assert!(s.reasons[0].score > s.reasons[1].score);
}

#[test]
fn r_r4_held_by_customs() {
    let mut f = facts();
    f.tracking = Tracking::CustomsHold {
        since: at("2026-03-12T00:00:00Z"),
    };
    let s = run(&f, &not_received());
    assert_eq!(s.reasons[0].reason, Reason::NotReceivedCustomsHold);
    assert_eq!(s.reasons.len(), 1);
}

#[test]
fn r_r5_delivered_to_a_wrong_address() {
    let mut f = facts();
    f.tracking = delivered(false);
    // Not inferred as received: the address was wrong.
    let s = run(&f, &BuyerReport::default());
    assert!(!s.received);
    assert_eq!(s.reasons[0].reason, Reason::NotReceivedWrongAddress);
}

#[test]
fn r_r6_tracking_delivered_but_nothing_arrived() {
    let mut f = facts();
    f.tracking = delivered(true);
    let s = run(&f, &not_received());
    assert_eq!(s.reasons[0].reason, Reason::NotReceivedDeliveredNotReceived);
    assert!(s.reasons[0].rules.contains(Rule::V1));
    // The buyer says nothing: received is inferred, R-R6 is offered last.
    let s = run(
        &f,
        &BuyerReport::new().with_wrong_item(true),
    );
    assert!(s.received && s.received_inferred);
    assert_eq!(s.reasons[0].reason, Reason::ReceivedNotAsDescribed);
    assert_eq!(
        s.reasons.last().map(|x| x.reason),
        Some(Reason::NotReceivedDeliveredNotReceived)
    );
}

#[test]
fn r_r7_wrong_item_colour_or_size() {
    let r = received().with_wrong_item(true);
    assert_eq!(first(&facts(), &r), Reason::ReceivedNotAsDescribed);
}

#[test]
fn r_r8_defective_or_stops_working() {
    let s = run(
        &facts(),
        &received().with_defective(true),
    );
    assert_eq!(s.reasons[0].reason, Reason::ReceivedQuality);
    // A minor defect fits the same reason, less strongly (R-O4: partial).
    let m = run(
        &facts(),
        &received().with_minor_defect(true),
    );
    assert_eq!(m.reasons[0].reason, Reason::ReceivedQuality);
    assert!(m.reasons[0].score < s.reasons[0].score);
    assert!(m.reasons[0].rules.contains(Rule::O4));
}

#[test]
fn r_r9_arrived_damaged_but_not_by_the_buyer() {
    let s = run(
        &facts(),
        &received().with_damaged(true),
    );
    assert_eq!(s.reasons[0].reason, Reason::ReceivedDamaged);
    let by_buyer = run(
        &facts(),
        &received().with_damaged(true).with_damaged_by_buyer(true),
    );
    assert!(by_buyer.reasons[0].score < s.reasons[0].score);
    assert!(by_buyer.reasons[0].rules.contains(Rule::O5));
}

#[test]
fn r_r10_seventeen_of_eighteen_is_a_shortage_first() {
    // 003: 18 items ordered, 17 arrived.
    let mut f = facts();
    f.quantity = 18;
    f.tracking = delivered(true);
    let r = BuyerReport::new().with_units_received(17);
    let s = run(&f, &r);
    assert!(s.received);
    assert_eq!(s.reasons[0].reason, Reason::ReceivedQuantityShortage);
    assert_eq!(s.reasons[0].group, Group::Received);
    // Even with other problems reported, the shortage ranks first.
    let r = received().with_units_received(17).with_minor_defect(true).with_other_carrier(true);
    assert_eq!(first(&f, &r), Reason::ReceivedQuantityShortage);
    // All units arrived: no shortage.
    let r = received().with_units_received(18);
    assert!(run(&f, &r).reasons.is_empty());
}

#[test]
fn r_r11_missing_parts() {
    assert_eq!(
        first(
            &facts(),
            &received().with_missing_parts(true)
        ),
        Reason::ReceivedMissingParts
    );
}

#[test]
fn r_r12_counterfeit_ranks_above_wrong_item() {
    let r = received().with_counterfeit(true).with_wrong_item(true);
    let s = run(&facts(), &r);
    assert_eq!(s.reasons[0].reason, Reason::ReceivedCounterfeit);
    assert_eq!(s.reasons[1].reason, Reason::ReceivedNotAsDescribed);
}

#[test]
fn r_r13_another_carrier_than_promised() {
    assert_eq!(
        first(
            &facts(),
            &received().with_other_carrier(true)
        ),
        Reason::ReceivedShippingMethod
    );
}

#[test]
fn r_r14_no_longer_wanted_is_a_return_ranked_below_seller_faults() {
    let s = run(
        &facts(),
        &received().with_no_longer_wanted(true),
    );
    assert_eq!(s.reasons[0].reason, Reason::ReceivedBuyerRemorse);
    assert_eq!(s.reasons[0].solution, Solution::ReturnAndRefund);
    let s = run(
        &facts(),
        &received().with_no_longer_wanted(true).with_other_carrier(true),
    );
    assert_eq!(s.reasons[0].reason, Reason::ReceivedShippingMethod);
}

#[test]
fn r_r15_cancelled_without_refund_comes_first() {
    let mut f = facts();
    f.order_cancelled_at = Some(at("2026-03-05T00:00:00Z"));
    let s = run(&f, &BuyerReport::default());
    assert_eq!(
        s.reasons[0].reason,
        Reason::NotReceivedNoRefundAfterCancellation
    );
    // Once refunded, it no longer fits.
    f.refund_completed_at = Some(at("2026-03-06T00:00:00Z"));
    let s = run(&f, &BuyerReport::default());
    assert!(s
        .reasons
        .iter()
        .all(|x| x.reason != Reason::NotReceivedNoRefundAfterCancellation));
}

#[test]
fn received_with_nothing_reported_suggests_nothing() {
    let s = run(&facts(), &received());
    assert!(s.reasons.is_empty());
    assert!(s.rules.contains(Rule::S1));
}

#[test]
fn ranked_best_first_and_each_with_why() {
    let r = received().with_counterfeit(true).with_wrong_item(true).with_damaged(true).with_defective(true).with_missing_parts(true).with_other_carrier(true).with_no_longer_wanted(true);
    let s = run(&facts(), &r);
    assert_eq!(s.reasons.len(), 7);
    assert!(s.reasons.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(s
        .reasons
        .iter()
        .all(|x| !x.why.is_empty() && x.rules.contains(x.reason.rule())));
    assert!(s.explanation.is_none());
    let e = suggest(&facts(), &r, &Policy::aliexpress(), now(), Explain::Yes).unwrap();
    assert!(e.explanation.is_some_and(|x| x.steps().len() >= 8));
}

#[test]
fn contradictory_reports_are_errors_naming_the_field() {
    let mut f = facts();
    f.quantity = 18;
    let r = BuyerReport::new().with_units_received(19);
    let e = suggest(&f, &r, &Policy::aliexpress(), now(), Explain::No).unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)));
    assert_eq!(fields(&e), ["report.units_received"]);
    let r = BuyerReport::new().with_received(false).with_units_received(3).with_damaged(true);
    let e = suggest(&f, &r, &Policy::aliexpress(), now(), Explain::No).unwrap_err();
    assert_eq!(fields(&e), ["report.units_received", "report.received"]);
}

#[test]
fn invalid_facts_are_reported_first() {
    let mut f = facts();
    f.quantity = 0;
    let e = suggest(
        &f,
        &BuyerReport::default(),
        &Policy::aliexpress(),
        now(),
        Explain::No,
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidFacts(_)));
}
