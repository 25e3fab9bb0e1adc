//! The precise lifecycle defaults (issue 17), each walked at its deadline:
//! one second before, at, and one second after (C-1: a window includes its
//! start and excludes its end), under the default and under the other
//! value of its policy switch:
//! - the escalation clock runs from the opening or the latest reopening
//!   (`escalation_clock`, appendix);
//! - evidence may be added in every state in which the dispute is still
//!   open, including while the goods travel back, never after it ended
//!   (`evidence_during_return`, R-V1);
//! - a return comes with the full amount: an offer or a ruling of a partial
//!   refund with a return is refused (`partial_refund_with_return`, R-S1);
//! - after an appeal only the final ruling ends the dispute, and the answer
//!   says so (`end`: `final_ruling`); the first decision is not made again
//!   (`final_ruling_ends_appeal`, R-L5).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{DateTime, Duration, Utc};
use dispute_rules::lifecycle::{
    Action, Actor, Basis, ClaimRequest, DeadlineKind, Dispute, End, EscalationClock, Event,
    EventKind, Proposal, Ruling, State,
};
use dispute_rules::reasons::{Reason, Solution};
use dispute_rules::{Error, Explain, Money, OrderFacts, Policy, Rule};

type T = DateTime<Utc>;

fn t(s: &str) -> T {
    s.parse().unwrap()
}

fn usd(a: &str) -> Money {
    Money::parse(a, "USD").unwrap()
}

const SECOND: Duration = Duration::seconds(1);

/// Shipped 1 March 2026, 19.99 USD, no tracking: eligible from 12 March
/// until 30 April 17:00 UTC.
fn not_received() -> OrderFacts {
    OrderFacts::from_json(include_str!("data/not_received.json")).unwrap()
}

/// 40 USD plus 5 shipping (cap 45), received and confirmed 10 March 18:00
/// UTC: eligible until 25 March 18:00 UTC (R-E3).
fn received() -> OrderFacts {
    OrderFacts::from_json(
        r#"{
      "schema_version": 1, "order_id": "9001", "line_id": "2",
      "unit_price": {"amount": "40", "currency": "USD"}, "quantity": 1,
      "shipping_cost": {"amount": "5", "currency": "USD"},
      "placed_at": "2026-02-27T09:00:00Z", "paid_at": "2026-02-27T09:01:00Z",
      "shipped_at": "2026-03-01T18:00:00Z", "shipping_method": "standard",
      "destination_country": "US",
      "tracking": {"status": "delivered", "at": "2026-03-09T18:00:00Z"},
      "receipt": {"at": "2026-03-10T18:00:00Z", "by": "buyer"},
      "payment_method": "card"
    }"#,
    )
    .unwrap()
}

/// Friday 20 March 2026, 12:00 UTC (05:00 PDT).
const OPEN: &str = "2026-03-20T12:00:00Z";

fn not_received_claim() -> ClaimRequest {
    ClaimRequest {
        reason: Reason::NotReceivedNoTracking,
        solution: Solution::RefundOnly,
        refund: usd("19.99"),
    }
}

fn received_claim(solution: Solution, amount: &str) -> ClaimRequest {
    ClaimRequest {
        reason: Reason::ReceivedNotAsDescribed,
        solution,
        refund: usd(amount),
    }
}

fn policy_with(f: impl FnOnce(&mut Policy)) -> Policy {
    let mut p = Policy::aliexpress();
    f(&mut p);
    p.validate().unwrap();
    p
}

fn open(facts: &OrderFacts, policy: &Policy, claim: ClaimRequest) -> Dispute {
    Dispute::open(facts, policy, claim, t(OPEN)).unwrap()
}

fn ok(d: &mut Dispute, at: T, actor: Actor, action: Action) {
    let e = Event::new(at, actor, action);
    if let Err(err) = d.apply(e) {
        panic!("{e:?} refused in {}: {err}", d.state().name());
    }
}

/// The code of a refused event; the dispute is unchanged.
fn refused(d: &mut Dispute, at: T, actor: Actor, action: Action) -> String {
    let before = d.clone();
    match d.apply(Event::new(at, actor, action)) {
        Err(Error::IllegalTransition(te)) => {
            assert_eq!(*d, before, "a refused event changes nothing");
            te.code().unwrap().to_owned()
        }
        other => panic!("expected an illegal transition, got {other:?}"),
    }
}

/// The problems of an invalid event (field, message); the dispute is
/// unchanged.
fn invalid(d: &mut Dispute, at: T, actor: Actor, action: Action) -> Vec<(String, String)> {
    let before = d.clone();
    match d.apply(Event::new(at, actor, action)) {
        Err(Error::InvalidClaim(p)) => {
            assert_eq!(*d, before, "a refused event changes nothing");
            p.list()
                .iter()
                .map(|p| (p.field().to_owned(), p.message().to_owned()))
                .collect()
        }
        other => panic!("expected an invalid claim, got {other:?}"),
    }
}

fn deadline(d: &Dispute) -> (DeadlineKind, T, bool) {
    let n = d.next_deadline().unwrap();
    (n.kind, n.at.utc, n.automatic)
}

fn replay_equals(d: &Dispute) {
    let r = Dispute::replay(d.line().clone(), d.terms().clone(), d.history()).unwrap();
    assert_eq!(&r, d);
    assert_eq!(&Dispute::from_json(&d.to_json()).unwrap(), d);
}

fn offer(solution: Solution, amount: &str) -> Action {
    Action::CounterOffer {
        offer: Proposal {
            solution,
            refund: usd(amount),
        },
    }
}

fn ruling(amount: &str, return_goods: bool) -> Ruling {
    Ruling {
        refund: usd(amount),
        return_goods,
    }
}

// ---- the escalation clock (appendix) ----

/// Opened 20 March 12:00 UTC; the seller refuses on 21 March; the buyer
/// modifies the claim on 24 March (the seller's turn until 29 March).
fn negotiating(policy: &Policy) -> Dispute {
    let mut d = open(
        &received(),
        policy,
        received_claim(Solution::RefundOnly, "45"),
    );
    ok(
        &mut d,
        t("2026-03-21T12:00:00Z"),
        Actor::Seller,
        Action::Refuse,
    );
    let claim = received_claim(Solution::RefundOnly, "30");
    ok(
        &mut d,
        t("2026-03-24T12:00:00Z"),
        Actor::Buyer,
        Action::ModifyClaim { claim },
    );
    d
}

#[test]
fn escalation_counts_from_the_opening_at_the_boundaries() {
    let p = Policy::aliexpress();
    assert_eq!(p.lifecycle.escalation_clock, EscalationClock::Opening);
    let d = negotiating(&p);
    // 7 days after the opening, not after the seller's answer (28 March).
    let due = t("2026-03-27T12:00:00Z");
    assert_eq!(deadline(&d), (DeadlineKind::NoAgreement, due, true));
    // One second before: still negotiating; an offer keeps the clock.
    let mut x = d.clone();
    ok(
        &mut x,
        due - SECOND,
        Actor::Seller,
        offer(Solution::RefundOnly, "20"),
    );
    assert_eq!(deadline(&x), (DeadlineKind::NoAgreement, due, true));
    assert_eq!(x.advance(due - SECOND), 0);
    assert!(!x
        .allowed_actions(Actor::Clock, due - SECOND)
        .contains(EventKind::Timeout));
    // At the deadline: too late for the parties; the clock escalates.
    assert_eq!(
        refused(&mut x, due, Actor::Buyer, Action::AcceptOffer),
        "deadline_passed"
    );
    assert!(x
        .allowed_actions(Actor::Clock, due)
        .contains(EventKind::Timeout));
    assert_eq!(x.advance(due), 1);
    assert_eq!(x.state().name(), "under_review");
    assert_eq!(x.entered_at(), due);
    // One second after: under review; the negotiation is over.
    assert_eq!(
        refused(&mut x, due + SECOND, Actor::Buyer, Action::AcceptOffer),
        "not_in_this_state"
    );
    // Advancing past it lands on the same instant.
    let mut y = d.clone();
    assert_eq!(y.advance(due + SECOND), 1);
    assert_eq!(y.entered_at(), due);
    replay_equals(&y);
}

#[test]
fn escalation_counts_from_the_latest_reopening() {
    let p = Policy::aliexpress();
    let mut d = open(&not_received(), &p, not_received_claim());
    ok(
        &mut d,
        t("2026-03-21T12:00:00Z"),
        Actor::Buyer,
        Action::Cancel,
    );
    let reopened = t("2026-03-25T12:00:00Z");
    ok(
        &mut d,
        reopened,
        Actor::Buyer,
        Action::Reopen { claim: None },
    );
    ok(
        &mut d,
        t("2026-03-26T12:00:00Z"),
        Actor::Seller,
        Action::Refuse,
    );
    // The buyer's turn lapses first (5 days after the refusal)...
    assert_eq!(
        deadline(&d),
        (DeadlineKind::TurnLapse, t("2026-03-31T12:00:00Z"), true)
    );
    // ...unless the buyer answers: then 7 days after the reopening.
    let claim = ClaimRequest {
        reason: Reason::NotReceivedTooLong,
        ..not_received_claim()
    };
    ok(
        &mut d,
        t("2026-03-27T12:00:00Z"),
        Actor::Buyer,
        Action::ModifyClaim { claim },
    );
    let due = reopened + Duration::days(7);
    assert_eq!(deadline(&d), (DeadlineKind::NoAgreement, due, true));
    assert_eq!(d.advance(due - SECOND), 0);
    assert_eq!(d.advance(due), 1);
    assert_eq!((d.state().name(), d.entered_at()), ("under_review", due));
}

#[test]
fn escalation_from_the_first_answer_by_policy() {
    let p = policy_with(|p| p.lifecycle.escalation_clock = EscalationClock::FirstAnswer);
    let d = negotiating(&p);
    let due = t("2026-03-28T12:00:00Z");
    assert_eq!(deadline(&d), (DeadlineKind::NoAgreement, due, true));
    let mut x = d.clone();
    assert_eq!(x.advance(due - SECOND), 0);
    assert_eq!(x.state().name(), "negotiating");
    assert_eq!(x.advance(due + SECOND), 1);
    assert_eq!(x.entered_at(), due);
    // Legacy counts from the opening too: automatic on day 16.
    let legacy = Policy::aliexpress_legacy();
    assert_eq!(legacy.lifecycle.escalation_clock, EscalationClock::Opening);
    let mut d = open(&not_received(), &legacy, not_received_claim());
    ok(
        &mut d,
        t("2026-03-30T12:00:00Z"),
        Actor::Seller,
        Action::Refuse,
    );
    let claim = ClaimRequest {
        reason: Reason::NotReceivedTooLong,
        ..not_received_claim()
    };
    ok(
        &mut d,
        t("2026-03-31T12:00:00Z"),
        Actor::Buyer,
        Action::ModifyClaim { claim },
    );
    // End-of-local-day counting (legacy): 15 days after 20 March (PDT) end
    // at 00:00 PDT on 5 April, 07:00 UTC.
    assert_eq!(
        deadline(&d),
        (DeadlineKind::NoAgreement, t("2026-04-05T07:00:00Z"), true)
    );
}

#[test]
fn escalation_from_the_opening_is_not_before_the_sellers_window_ends() {
    // The seller may answer until the last second of the response window:
    // counted from the opening, escalation cannot come earlier.
    let mut p = Policy::aliexpress();
    p.lifecycle.seller_response_days = 10;
    let e = p.validate().unwrap_err();
    assert_eq!(e.field(), "lifecycle.escalation_after_days");
    assert!(
        e.to_string()
            .contains("at least `seller_response_days` (10)"),
        "{e}"
    );
    let e = Dispute::open(&not_received(), &p, not_received_claim(), t(OPEN)).unwrap_err();
    assert!(matches!(e, Error::InvalidPolicy(_)), "{e}");
    assert_eq!(e.field(), "lifecycle.escalation_after_days");
    // Equal is fine: an answer in the last second still negotiates.
    p.lifecycle.escalation_after_days = 10;
    let mut d = Dispute::open(&not_received(), &p, not_received_claim(), t(OPEN)).unwrap();
    let last = t("2026-03-30T12:00:00Z") - SECOND;
    ok(&mut d, last, Actor::Seller, Action::Refuse);
    assert_eq!(
        deadline(&d),
        (DeadlineKind::NoAgreement, t("2026-03-30T12:00:00Z"), true)
    );
    // From the first answer, any length.
    p.lifecycle.escalation_after_days = 2;
    p.lifecycle.escalation_clock = EscalationClock::FirstAnswer;
    p.validate().unwrap();
}

// ---- evidence while the dispute is open (R-V1) ----

#[test]
fn evidence_while_the_goods_travel_back_at_the_boundaries() {
    let p = Policy::aliexpress();
    assert!(p.lifecycle.evidence_during_return);
    let claim = received_claim(Solution::ReturnAndRefund, "45");
    let mut d = open(&received(), &p, claim);
    ok(
        &mut d,
        t("2026-03-21T12:00:00Z"),
        Actor::Seller,
        Action::Accept,
    );
    // Waiting for the return shipment (10 days).
    let due = t("2026-03-31T12:00:00Z");
    assert_eq!(deadline(&d), (DeadlineKind::ReturnShipment, due, true));
    for actor in [Actor::Buyer, Actor::Seller] {
        assert!(d
            .allowed_actions(actor, due - SECOND)
            .contains(EventKind::AddEvidence));
        assert!(!d
            .allowed_actions(actor, due)
            .contains(EventKind::AddEvidence));
    }
    let mut late = d.clone();
    assert_eq!(
        refused(&mut late, due, Actor::Buyer, Action::AddEvidence),
        "deadline_passed"
    );
    late.advance(due);
    assert_eq!(
        refused(&mut late, due + SECOND, Actor::Buyer, Action::AddEvidence),
        "dispute_closed"
    );
    ok(&mut d, due - SECOND, Actor::Seller, Action::AddEvidence);
    ok(&mut d, due - SECOND, Actor::Buyer, Action::AddEvidence);
    ok(&mut d, due - SECOND, Actor::Buyer, Action::ShipReturn);
    // Waiting for the seller to confirm receipt (30 days).
    let due = due - SECOND + Duration::days(30);
    assert_eq!(deadline(&d), (DeadlineKind::ReturnReceipt, due, true));
    ok(&mut d, due - SECOND, Actor::Buyer, Action::AddEvidence);
    ok(&mut d, due - SECOND, Actor::Seller, Action::AddEvidence);
    assert_eq!(
        refused(&mut d, due, Actor::Seller, Action::AddEvidence),
        "deadline_passed"
    );
    assert_eq!(d.advance(due + SECOND), 1);
    let State::Resolved { end, .. } = *d.state() else {
        panic!("{:?}", d.state())
    };
    assert_eq!(end, End::ReturnNotConfirmed);
    // Never after the end.
    assert_eq!(
        refused(&mut d, due + SECOND, Actor::Buyer, Action::AddEvidence),
        "dispute_closed"
    );
    replay_equals(&d);
}

#[test]
fn evidence_in_every_open_state_and_never_after() {
    let p = Policy::aliexpress();
    let can = |d: &Dispute, at: T| {
        [Actor::Buyer, Actor::Seller]
            .map(|a| d.allowed_actions(a, at).contains(EventKind::AddEvidence))
    };
    let mut d = open(&not_received(), &p, not_received_claim());
    let mut at = t(OPEN) + Duration::hours(1);
    assert_eq!(can(&d, at), [true, true], "awaiting_seller");
    ok(&mut d, at, Actor::Seller, Action::Refuse);
    at += Duration::hours(1);
    assert_eq!(can(&d, at), [true, true], "negotiating");
    ok(&mut d, at, Actor::Buyer, Action::Escalate);
    at += Duration::hours(1);
    assert_eq!(can(&d, at), [true, true], "under_review");
    ok(
        &mut d,
        at,
        Actor::Platform,
        Action::Decide {
            ruling: ruling("5", false),
        },
    );
    at += Duration::hours(1);
    assert_eq!(can(&d, at), [true, true], "decided");
    ok(&mut d, at, Actor::Buyer, Action::AddEvidence);
    ok(&mut d, at, Actor::Buyer, Action::Appeal);
    at += Duration::hours(1);
    assert_eq!(can(&d, at), [true, true], "appealed");
    ok(
        &mut d,
        at,
        Actor::Platform,
        Action::FinalRuling {
            ruling: ruling("10", false),
        },
    );
    assert_eq!(can(&d, at), [false, false], "resolved");
    // Agreed without a return: closed by agreement (R-E7), the refund is
    // being paid.
    let mut d = open(&not_received(), &p, not_received_claim());
    ok(&mut d, at, Actor::Seller, Action::Accept);
    assert_eq!(d.state().name(), "seller_accepted");
    assert_eq!(
        refused(&mut d, at, Actor::Buyer, Action::AddEvidence),
        "not_in_this_state"
    );
    // Cancelled: not open until reopened.
    let mut d = open(&not_received(), &p, not_received_claim());
    ok(&mut d, at, Actor::Buyer, Action::Cancel);
    assert_eq!(
        refused(&mut d, at, Actor::Seller, Action::AddEvidence),
        "not_in_this_state"
    );
    ok(&mut d, at, Actor::Buyer, Action::Reopen { claim: None });
    ok(&mut d, at, Actor::Seller, Action::AddEvidence);
}

#[test]
fn evidence_during_return_is_a_policy_switch() {
    let p = policy_with(|p| p.lifecycle.evidence_during_return = false);
    let claim = received_claim(Solution::ReturnAndRefund, "45");
    let mut d = open(&received(), &p, claim);
    let at = t("2026-03-21T12:00:00Z");
    ok(&mut d, at, Actor::Seller, Action::Accept);
    assert_eq!(
        refused(&mut d, at, Actor::Buyer, Action::AddEvidence),
        "not_in_this_state"
    );
    ok(&mut d, at, Actor::Buyer, Action::ShipReturn);
    assert_eq!(
        refused(&mut d, at, Actor::Seller, Action::AddEvidence),
        "not_in_this_state"
    );
}

// ---- a return means the full amount (R-S1) ----

#[test]
fn a_return_is_for_the_full_amount_in_offers_and_rulings() {
    let p = Policy::aliexpress();
    assert!(!p.lifecycle.partial_refund_with_return);
    let mut d = open(
        &received(),
        &p,
        received_claim(Solution::ReturnAndRefund, "45"),
    );
    let due = t("2026-03-25T12:00:00Z");
    assert_eq!(deadline(&d), (DeadlineKind::SellerResponse, due, true));
    // One second before the seller's window ends: the offer's data decides.
    let full_only = vec![(
        "offer.refund.amount".to_owned(),
        "returning the goods is for a full refund of `45 USD`, not `44.99` (R-S1)".to_owned(),
    )];
    assert_eq!(
        invalid(
            &mut d,
            due - SECOND,
            Actor::Seller,
            offer(Solution::ReturnAndRefund, "44.99")
        ),
        full_only
    );
    // At the deadline the window has ended, whatever the data.
    assert_eq!(
        refused(
            &mut d,
            due,
            Actor::Seller,
            offer(Solution::ReturnAndRefund, "45")
        ),
        "deadline_passed"
    );
    // A partial refund without the goods back, or the full amount with
    // them, is fine.
    let mut x = d.clone();
    ok(
        &mut x,
        due - SECOND,
        Actor::Seller,
        offer(Solution::RefundOnly, "20"),
    );
    let mut x = d.clone();
    ok(
        &mut x,
        due - SECOND,
        Actor::Seller,
        offer(Solution::ReturnAndRefund, "45"),
    );
    // Rulings: the same (a ruling of no refund never asks for the goods).
    let at = t("2026-03-22T12:00:00Z");
    ok(&mut d, at, Actor::Seller, Action::Refuse);
    ok(&mut d, at, Actor::Buyer, Action::Escalate);
    let decide = |r| Action::Decide { ruling: r };
    assert_eq!(
        invalid(&mut d, at, Actor::Platform, decide(ruling("20", true))),
        [(
            "ruling.refund.amount".to_owned(),
            "returning the goods is for a full refund of `45 USD`, not `20` (R-S1)".to_owned()
        )]
    );
    assert_eq!(
        invalid(&mut d, at, Actor::Platform, decide(ruling("0", true))),
        [(
            "ruling.return_goods".to_owned(),
            "a return needs a refund above zero (R-S1)".to_owned()
        )]
    );
    let mut x = d.clone();
    ok(&mut x, at, Actor::Platform, decide(ruling("20", false)));
    ok(&mut d, at, Actor::Platform, decide(ruling("45", true)));
    ok(&mut d, at, Actor::Seller, Action::AddEvidence);
    ok(&mut d, at, Actor::Seller, Action::Appeal);
    let fin = |r| Action::FinalRuling { ruling: r };
    assert_eq!(
        invalid(&mut d, at, Actor::Platform, fin(ruling("44.99", true)))[0].0,
        "ruling.refund.amount"
    );
    ok(&mut d, at, Actor::Platform, fin(ruling("45", true)));
    assert_eq!(d.state().name(), "awaiting_return_shipment");
}

#[test]
fn a_partial_refund_with_a_return_by_policy() {
    let p = policy_with(|p| p.lifecycle.partial_refund_with_return = true);
    let mut d = open(
        &received(),
        &p,
        received_claim(Solution::ReturnAndRefund, "45"),
    );
    let at = t("2026-03-21T12:00:00Z");
    ok(
        &mut d,
        at,
        Actor::Seller,
        offer(Solution::ReturnAndRefund, "30"),
    );
    ok(&mut d, at, Actor::Buyer, Action::AcceptOffer);
    let State::AwaitingReturnShipment { settlement, .. } = *d.state() else {
        panic!("{:?}", d.state())
    };
    assert_eq!(
        (settlement.refund, settlement.return_goods),
        (usd("30"), true)
    );
    // The legacy preset allows it (the older open API records the refund
    // and the return separately); its claims keep the full amount.
    let legacy = Policy::aliexpress_legacy();
    assert!(legacy.lifecycle.partial_refund_with_return);
    assert!(legacy.reasons.return_means_full_refund);
    // Claims with a partial refund and a return need it.
    let mut p = Policy::aliexpress();
    p.reasons.return_means_full_refund = false;
    let e = p.validate().unwrap_err();
    assert_eq!(e.field(), "lifecycle.partial_refund_with_return");
    let e = Dispute::open(
        &received(),
        &p,
        received_claim(Solution::RefundOnly, "45"),
        t(OPEN),
    )
    .unwrap_err();
    assert_eq!(e.field(), "lifecycle.partial_refund_with_return");
    p.lifecycle.partial_refund_with_return = true;
    let d = open(
        &received(),
        &p,
        received_claim(Solution::ReturnAndRefund, "30"),
    );
    assert_eq!(d.claim().refund, usd("30"));
}

// ---- after an appeal, only the final ruling (R-L5) ----

/// Decided on 23 March 12:00 UTC (5 USD), with new evidence from the buyer:
/// appealable until 30 March 12:00 UTC (7 days, end excluded).
fn decided(policy: &Policy) -> Dispute {
    let mut d = open(&not_received(), policy, not_received_claim());
    ok(
        &mut d,
        t("2026-03-21T12:00:00Z"),
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        t("2026-03-22T12:00:00Z"),
        Actor::Buyer,
        Action::Escalate,
    );
    ok(
        &mut d,
        t("2026-03-23T12:00:00Z"),
        Actor::Platform,
        Action::Decide {
            ruling: ruling("5", false),
        },
    );
    ok(
        &mut d,
        t("2026-03-23T13:00:00Z"),
        Actor::Buyer,
        Action::AddEvidence,
    );
    d
}

/// [`decided`], appealed by the buyer at `at`.
fn appealed(policy: &Policy, at: T) -> Dispute {
    let mut d = decided(policy);
    ok(&mut d, at, Actor::Buyer, Action::Appeal);
    d
}

#[test]
fn after_an_appeal_only_the_final_ruling_ends_the_dispute() {
    let p = Policy::aliexpress();
    assert!(p.lifecycle.final_ruling_ends_appeal);
    // The appeal window: appealed one second before its end; at the end,
    // too late.
    let window = t("2026-03-30T12:00:00Z");
    let mut late = decided(&p);
    assert_eq!(
        refused(&mut late, window, Actor::Buyer, Action::Appeal),
        "deadline_passed"
    );
    let d = appealed(&p, window - SECOND);
    // The ruling: 10 days after the appeal, a target only.
    let due = window - SECOND + Duration::days(10);
    let n = d.next_deadline().unwrap();
    assert_eq!(
        (n.kind, n.at.utc, n.automatic, n.rule),
        (DeadlineKind::AppealRuling, due, false, Rule::L5)
    );
    assert!(
        n.effect.contains("only the final ruling ends the dispute"),
        "{}",
        n.effect
    );
    for at in [due - SECOND, due, due + SECOND] {
        let mut x = d.clone();
        // Nothing happens by itself; the first decision is not made again.
        assert_eq!(x.advance(at), 0);
        assert!(x.allowed_actions(Actor::Clock, at).is_empty());
        assert_eq!(
            refused(
                &mut x,
                at,
                Actor::Platform,
                Action::Decide {
                    ruling: ruling("3", false)
                }
            ),
            "not_in_this_state"
        );
        assert!(!x
            .allowed_actions(Actor::Platform, at)
            .contains(EventKind::Decide));
        // Evidence still comes in; the final ruling ends it.
        ok(&mut x, at, Actor::Seller, Action::AddEvidence);
        ok(
            &mut x,
            at,
            Actor::Platform,
            Action::FinalRuling {
                ruling: ruling("12", false),
            },
        );
        let State::Resolved {
            settlement,
            refund,
            end,
            refund_due,
        } = *x.state()
        else {
            panic!("{:?}", x.state())
        };
        assert_eq!(
            (settlement.basis, refund, end),
            (Basis::FinalRuling, usd("12"), End::FinalRuling)
        );
        assert!(refund_due.is_some());
        // The answer says so.
        let json: serde_json::Value = serde_json::from_str(&x.to_json()).unwrap();
        assert_eq!(json["state"]["end"], "final_ruling", "{json}");
        assert!(x.summary(at, Explain::No).rules.contains(Rule::L5));
        replay_equals(&x);
    }
}

#[test]
fn a_final_ruling_with_a_return_ends_with_the_return() {
    let p = Policy::aliexpress();
    let mut d = open(
        &received(),
        &p,
        received_claim(Solution::ReturnAndRefund, "45"),
    );
    let at = t("2026-03-21T12:00:00Z");
    ok(&mut d, at, Actor::Seller, Action::Refuse);
    ok(&mut d, at, Actor::Buyer, Action::Escalate);
    ok(
        &mut d,
        at,
        Actor::Platform,
        Action::Decide {
            ruling: ruling("0", false),
        },
    );
    ok(&mut d, at, Actor::Buyer, Action::AddEvidence);
    ok(&mut d, at, Actor::Buyer, Action::Appeal);
    ok(
        &mut d,
        at,
        Actor::Platform,
        Action::FinalRuling {
            ruling: ruling("45", true),
        },
    );
    assert_eq!(d.state().name(), "awaiting_return_shipment");
    ok(&mut d, at, Actor::Buyer, Action::ShipReturn);
    ok(&mut d, at, Actor::Seller, Action::ConfirmReturnReceived);
    let State::Resolved {
        settlement, end, ..
    } = *d.state()
    else {
        panic!("{:?}", d.state())
    };
    assert_eq!(
        (settlement.basis, end),
        (Basis::FinalRuling, End::ReturnReceived)
    );
}

#[test]
fn after_an_appeal_the_decision_may_stand_by_policy() {
    let p = policy_with(|p| p.lifecycle.final_ruling_ends_appeal = false);
    let appeal = t("2026-03-24T12:00:00Z");
    let d = appealed(&p, appeal);
    let due = appeal + Duration::days(10);
    let n = d.next_deadline().unwrap();
    assert_eq!(
        (n.kind, n.at.utc, n.automatic),
        (DeadlineKind::AppealRuling, due, true)
    );
    // One second before: the platform may still rule, or decide again.
    let mut x = d.clone();
    ok(
        &mut x,
        due - SECOND,
        Actor::Platform,
        Action::FinalRuling {
            ruling: ruling("12", false),
        },
    );
    let State::Resolved { end, .. } = *x.state() else {
        panic!()
    };
    assert_eq!(end, End::FinalRuling);
    let mut x = d.clone();
    ok(
        &mut x,
        due - SECOND,
        Actor::Platform,
        Action::Decide {
            ruling: ruling("3", false),
        },
    );
    let State::Resolved {
        settlement, end, ..
    } = *x.state()
    else {
        panic!()
    };
    assert_eq!((settlement.basis, end), (Basis::Decision, End::Settled));
    // At the deadline: too late; the decision stands.
    let mut x = d.clone();
    assert_eq!(
        refused(
            &mut x,
            due,
            Actor::Platform,
            Action::FinalRuling {
                ruling: ruling("12", false)
            }
        ),
        "deadline_passed"
    );
    assert_eq!(x.advance(due - SECOND), 0);
    assert_eq!(x.advance(due + SECOND), 1);
    let State::Resolved {
        settlement,
        refund,
        end,
        ..
    } = *x.state()
    else {
        panic!()
    };
    assert_eq!(
        (settlement.basis, refund, end, x.entered_at()),
        (Basis::Decision, usd("5"), End::Settled, due)
    );
}
