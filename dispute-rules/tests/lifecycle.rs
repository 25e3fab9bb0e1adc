//! The dispute lifecycle, path by path (R-L1..R-L7, R-E6..R-E8, C-4 and the
//! appendix of docs/rules.md): every path of the reference walked event by
//! event, one test per rule, and the JSON form.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{DateTime, Duration, Utc};
use dispute_rules::eligibility::{self, Ineligible};
use dispute_rules::facts::{PaymentMethod, PriorDispute, PriorDisputeStatus};
use dispute_rules::lifecycle::{
    add_business_days, Action, Actor, Basis, ClaimRequest, ClosedReason, DeadlineKind, Dispute,
    End, EscalationClock, Event, EventKind, Party, Proposal, RefundDestination, Ruling, State,
    TimeoutOutcome,
};
use dispute_rules::reasons::{Reason, Solution};
use dispute_rules::{Error, Explain, Money, OrderFacts, Policy, Rule};

// ---- helpers ----

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn usd(a: &str) -> Money {
    Money::parse(a, "USD").unwrap()
}

/// Shipped 1 March 2026 18:00 UTC, standard, 19.99 USD, no shipping cost,
/// card: eligible from 12 March 07:00 UTC until 30 April 17:00 UTC.
fn not_received() -> OrderFacts {
    OrderFacts::from_json(include_str!("data/not_received.json")).unwrap()
}

/// 40 USD plus 5 shipping (cap 45), delivered and confirmed 10 March 18:00
/// UTC: eligible until 25 March 18:00 UTC (R-E3).
fn received(method: &str) -> OrderFacts {
    OrderFacts::from_json(&format!(
        r#"{{
      "schema_version": 1, "order_id": "9001", "line_id": "2",
      "unit_price": {{"amount": "40", "currency": "USD"}}, "quantity": 1,
      "shipping_cost": {{"amount": "5", "currency": "USD"}},
      "placed_at": "2026-02-27T09:00:00Z", "paid_at": "2026-02-27T09:01:00Z",
      "shipped_at": "2026-03-01T18:00:00Z", "shipping_method": "standard",
      "destination_country": "US",
      "tracking": {{"status": "delivered", "at": "2026-03-09T18:00:00Z"}},
      "receipt": {{"at": "2026-03-10T18:00:00Z", "by": "buyer"}},
      "payment_method": "{method}"
    }}"#
    ))
    .unwrap()
}

fn not_received_claim(amount: &str) -> ClaimRequest {
    ClaimRequest {
        reason: Reason::NotReceivedNoTracking,
        solution: Solution::RefundOnly,
        refund: usd(amount),
    }
}

fn return_claim(amount: &str) -> ClaimRequest {
    ClaimRequest {
        reason: Reason::ReceivedNotAsDescribed,
        solution: Solution::ReturnAndRefund,
        refund: usd(amount),
    }
}

const OPEN: &str = "2026-03-20T12:00:00Z"; // a Friday, 05:00 PDT

fn open_with(policy: &Policy, claim: ClaimRequest) -> Dispute {
    Dispute::open(&not_received(), policy, claim, t(OPEN)).unwrap()
}

fn open_default() -> Dispute {
    open_with(&Policy::aliexpress(), not_received_claim("19.99"))
}

fn open_received(method: &str, claim: ClaimRequest) -> Dispute {
    Dispute::open(&received(method), &Policy::aliexpress(), claim, t(OPEN)).unwrap()
}

fn ev(at: &str, actor: Actor, action: Action) -> Event {
    Event::new(t(at), actor, action)
}

fn ok(d: &mut Dispute, at: &str, actor: Actor, action: Action) {
    let e = ev(at, actor, action);
    if let Err(err) = d.apply(e) {
        panic!("{e:?} refused in {}: {err}", d.state().name());
    }
}

/// Applies an event that must be refused with an illegal-transition code;
/// checks that the dispute is unchanged and returns the code.
fn refused(d: &mut Dispute, at: &str, actor: Actor, action: Action) -> String {
    let before = d.clone();
    match d.apply(ev(at, actor, action)) {
        Err(Error::IllegalTransition(te)) => {
            assert_eq!(*d, before, "a refused event leaves the dispute unchanged");
            assert_eq!(te.state(), d.state().name());
            assert_eq!(te.actor(), actor.as_str());
            te.code().unwrap().to_owned()
        }
        other => panic!("expected an illegal transition, got {other:?}"),
    }
}

fn invalid_fields(d: &mut Dispute, at: &str, actor: Actor, action: Action) -> Vec<String> {
    let before = d.clone();
    match d.apply(ev(at, actor, action)) {
        Err(Error::InvalidClaim(p)) => {
            assert_eq!(*d, before);
            p.list().iter().map(|p| p.field().to_owned()).collect()
        }
        other => panic!("expected an invalid claim, got {other:?}"),
    }
}

fn offer(amount: &str) -> Action {
    Action::CounterOffer {
        offer: Proposal {
            solution: Solution::RefundOnly,
            refund: usd(amount),
        },
    }
}

fn decide(amount: &str) -> Action {
    Action::Decide {
        ruling: Ruling {
            refund: usd(amount),
            return_goods: false,
        },
    }
}

fn final_ruling(amount: &str) -> Action {
    Action::FinalRuling {
        ruling: Ruling {
            refund: usd(amount),
            return_goods: false,
        },
    }
}

fn policy_with(f: impl FnOnce(&mut Policy)) -> Policy {
    let mut p = Policy::aliexpress();
    f(&mut p);
    p.validate().unwrap();
    p
}

fn deadline(d: &Dispute) -> (DeadlineKind, DateTime<Utc>) {
    let n = d.next_deadline().unwrap();
    (n.kind, n.at.utc)
}

fn replay_equals(d: &Dispute) {
    let r = Dispute::replay(d.line().clone(), d.terms().clone(), d.history()).unwrap();
    assert_eq!(&r, d);
    let back = Dispute::from_json(&d.to_json()).unwrap();
    assert_eq!(&back, d);
}

// ---- opening (R-E1, R-E6..R-E9, C-4) ----

#[test]
fn opening_goes_through_eligibility_with_the_r_e9_code() {
    let p = Policy::aliexpress();
    // R-E1: too early on 11 March (the window opens 12 March 00:00 PDT).
    let e = Dispute::open(
        &not_received(),
        &p,
        not_received_claim("19.99"),
        t("2026-03-11T12:00:00Z"),
    )
    .unwrap_err();
    let Error::IllegalTransition(te) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(te.code(), Some("too_early"));
    assert_eq!(
        (te.state(), te.event(), te.actor()),
        ("none", "open", "buyer")
    );
    // R-E4: protection ended 30 April 17:00 UTC.
    let e = Dispute::open(
        &not_received(),
        &p,
        not_received_claim("19.99"),
        t("2026-04-30T17:00:00Z"),
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::IllegalTransition(te) if te.code() == Some("confirmation_timeout"))
    );
    // R-E6: a dispute already open on the line.
    let mut f = not_received();
    f.disputes.push(PriorDispute {
        opened_at: t("2026-03-15T00:00:00Z"),
        status: PriorDisputeStatus::Open,
        closed_at: None,
    });
    let e = Dispute::open(&f, &p, not_received_claim("19.99"), t(OPEN)).unwrap_err();
    assert!(
        matches!(&e, Error::IllegalTransition(te) if te.code() == Some("dispute_already_open"))
    );
}

#[test]
fn c4_a_claim_above_the_cap_is_refused_naming_the_field() {
    let p = Policy::aliexpress();
    let f = not_received();
    let e = Dispute::open(&f, &p, not_received_claim("20.00"), t(OPEN)).unwrap_err();
    assert!(matches!(&e, Error::InvalidClaim(_)), "{e:?}");
    assert_eq!(e.field(), "claim.refund.amount");
    assert!(
        e.to_string().contains(
            "`20.00` exceeds the cap `19.99 USD`: the price plus shipping, less the coupon (C-4)"
        ),
        "{e}"
    );
    // Exactly the cap is fine; zero or another currency is not.
    assert!(Dispute::open(&f, &p, not_received_claim("19.99"), t(OPEN)).is_ok());
    let e = Dispute::open(&f, &p, not_received_claim("0"), t(OPEN)).unwrap_err();
    assert_eq!(e.field(), "claim.refund.amount");
    let mut eur = not_received_claim("5");
    eur.refund = Money::parse("5", "EUR").unwrap();
    let e = Dispute::open(&f, &p, eur, t(OPEN)).unwrap_err();
    assert_eq!(e.field(), "claim.refund.currency");
    // R-S1: a return needs goods that arrived.
    let mut c = not_received_claim("5");
    c.solution = Solution::ReturnAndRefund;
    let e = Dispute::open(&f, &p, c, t(OPEN)).unwrap_err();
    assert_eq!(e.field(), "claim.solution");
}

#[test]
fn c4_coupon_lowers_the_cap_for_offers_and_decisions() {
    let mut f = received("card");
    f.coupon = Some(usd("5")); // cap 40 + 5 - 5 = 40
    let mut d = Dispute::open(&f, &Policy::aliexpress(), return_claim("40"), t(OPEN)).unwrap();
    assert_eq!(d.line().refund_cap, usd("40"));
    let fields = invalid_fields(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        offer("40.01"),
    );
    assert_eq!(fields, ["offer.refund.amount"]);
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-21T13:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    let fields = invalid_fields(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Platform,
        decide("45"),
    );
    assert_eq!(fields, ["ruling.refund.amount"]);
    let fields = invalid_fields(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Platform,
        decide("-1"),
    );
    assert_eq!(fields, ["ruling.refund.amount"]);
    // A decision of no refund (R-O5) is fine.
    ok(&mut d, "2026-03-22T12:00:00Z", Actor::Platform, decide("0"));
}

// ---- the paths of the rules reference ----

#[test]
fn path_seller_accepts() {
    let mut d = open_default();
    assert_eq!(d.api_status(), Some("WAIT_SELLER_CONFIRM_REFUND"));
    ok(
        &mut d,
        "2026-03-20T15:00:00Z",
        Actor::Seller,
        Action::Accept,
    );
    // An agreement on a refund without return: ACCEPTISSUE, final (R-E7),
    // the refund is paid within 10 business days (R-L6).
    let State::SellerAccepted {
        settlement,
        refund_due,
    } = *d.state()
    else {
        panic!("{:?}", d.state())
    };
    assert_eq!(settlement.refund, usd("19.99"));
    assert_eq!(settlement.basis, Basis::SellerAccepted);
    assert_eq!(refund_due, t("2026-04-03T15:00:00Z")); // Friday to Friday, two weeks
    assert_eq!(d.api_status(), Some("ACCEPTISSUE"));
    assert!(d
        .allowed_actions(Actor::Buyer, t("2026-03-21T00:00:00Z"))
        .is_empty());
    assert_eq!(
        refused(&mut d, "2026-03-21T00:00:00Z", Actor::Buyer, Action::Cancel),
        "not_in_this_state"
    );
    assert_eq!(d.advance(t("2026-04-03T15:00:00Z")), 1);
    let State::Resolved { refund, end, .. } = *d.state() else {
        panic!()
    };
    assert_eq!((refund, end), (usd("19.99"), End::Settled));
    assert_eq!(d.api_status(), Some("ACCEPTISSUE"));
    // R-E7: closed by agreement is final.
    let reopen = Action::Reopen { claim: None };
    assert_eq!(
        refused(&mut d, "2026-04-04T00:00:00Z", Actor::Buyer, reopen),
        "closed_by_agreement"
    );
    replay_equals(&d);
}

#[test]
fn path_seller_silent() {
    let mut d = open_default();
    // R-L1: 5 days; R-L2: resolved as the buyer asked.
    assert_eq!(
        deadline(&d),
        (DeadlineKind::SellerResponse, t("2026-03-25T12:00:00Z"))
    );
    assert_eq!(d.advance(t("2026-03-25T11:59:59Z")), 0);
    assert_eq!(d.advance(t("2026-03-25T12:00:00Z")), 1);
    let State::Resolved {
        settlement,
        refund,
        end,
        refund_due,
    } = *d.state()
    else {
        panic!("{:?}", d.state())
    };
    assert_eq!(settlement.basis, Basis::SellerSilent);
    assert_eq!((refund, end), (usd("19.99"), End::Settled));
    assert_eq!(refund_due, Some(t("2026-04-08T12:00:00Z")));
    assert_eq!(d.api_status(), Some("SELLER_RESPONSE_ISSUE_TIMEOUT"));
    let last = d.history().last().unwrap();
    assert_eq!(last.actor, Actor::Clock);
    assert_eq!(last.at, t("2026-03-25T12:00:00Z"));
    assert!(d.rules().contains(Rule::L2));
    replay_equals(&d);
}

#[test]
fn path_counter_offer_accepted() {
    let mut d = open_default();
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        offer("12.50"),
    );
    assert_eq!(d.api_status(), Some("SELLER_REFUSE_REFUND"));
    let State::Negotiating {
        turn,
        offer: o,
        rounds,
        ..
    } = *d.state()
    else {
        panic!()
    };
    assert_eq!((turn, rounds), (Party::Buyer, 1));
    assert_eq!(o.unwrap().refund, usd("12.50"));
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::AcceptOffer,
    );
    let State::SellerAccepted { settlement, .. } = *d.state() else {
        panic!()
    };
    assert_eq!(settlement.refund, usd("12.50"));
    assert_eq!(settlement.basis, Basis::OfferAccepted);
    assert!(d.rules().contains(Rule::E7));
    // R-E7: the agreement cannot be changed.
    let claim = Action::ModifyClaim {
        claim: not_received_claim("19.99"),
    };
    assert_eq!(
        refused(&mut d, "2026-03-23T12:00:00Z", Actor::Buyer, claim),
        "not_in_this_state"
    );
    d.advance(t("2026-05-01T00:00:00Z"));
    let prior = d.prior_disputes();
    assert_eq!(prior.len(), 1);
    assert_eq!(prior[0].status, PriorDisputeStatus::ClosedByAgreement);
    assert_eq!(prior[0].closed_at, Some(t("2026-03-22T12:00:00Z")));
    replay_equals(&d);
}

#[test]
fn path_escalation_decision_appeal_final_ruling() {
    let mut d = open_default();
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    assert_eq!(d.api_status(), Some("SELLER_REFUSE_REFUND"));
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    assert_eq!(d.state().name(), "under_review");
    assert_eq!(d.api_status(), Some("ARBITRATING"));
    // Only the platform decides.
    assert_eq!(
        refused(&mut d, "2026-03-23T12:00:00Z", Actor::Seller, decide("0")),
        "actor_not_permitted"
    );
    ok(
        &mut d,
        "2026-03-23T12:00:00Z",
        Actor::Seller,
        Action::AddEvidence,
    );
    ok(&mut d, "2026-03-29T12:00:00Z", Actor::Platform, decide("0"));
    assert_eq!(
        deadline(&d),
        (DeadlineKind::AppealWindow, t("2026-04-05T12:00:00Z"))
    );
    assert_eq!(d.api_status(), Some("ARBITRATING"));
    // R-L5: an appeal needs new evidence from the appellant.
    assert_eq!(
        refused(&mut d, "2026-03-30T12:00:00Z", Actor::Buyer, Action::Appeal),
        "no_new_evidence"
    );
    ok(
        &mut d,
        "2026-03-30T12:00:00Z",
        Actor::Buyer,
        Action::AddEvidence,
    );
    ok(&mut d, "2026-03-31T12:00:00Z", Actor::Buyer, Action::Appeal);
    let State::Appealed { by, ruling_due, .. } = *d.state() else {
        panic!()
    };
    assert_eq!((by, ruling_due), (Party::Buyer, t("2026-04-10T12:00:00Z")));
    assert_eq!(d.appeals(), 1);
    ok(
        &mut d,
        "2026-04-05T12:00:00Z",
        Actor::Platform,
        final_ruling("10"),
    );
    let State::Resolved {
        settlement, refund, ..
    } = *d.state()
    else {
        panic!()
    };
    assert_eq!(settlement.basis, Basis::FinalRuling);
    assert_eq!(refund, usd("10"));
    assert_eq!(d.api_status(), None);
    // R-L7: less than the claim after the final ruling, paid by card.
    let s = d.summary(t("2026-04-06T00:00:00Z"), Explain::Yes);
    assert!(s.chargeback_possible);
    assert!(s.rules.contains(Rule::L7));
    assert!(s
        .explanation
        .unwrap()
        .steps()
        .iter()
        .any(|st| st.rule == Rule::L7));
    replay_equals(&d);
}

#[test]
fn path_return_and_refund() {
    let mut d = open_received("card", return_claim("45"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Accept,
    );
    assert_eq!(d.api_status(), Some("WAIT_BUYER_SEND_GOODS"));
    // Appendix: ship within 10 days.
    assert_eq!(
        deadline(&d),
        (DeadlineKind::ReturnShipment, t("2026-03-31T12:00:00Z"))
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-03-22T12:00:00Z",
            Actor::Seller,
            Action::ConfirmReturnReceived
        ),
        "not_in_this_state"
    );
    ok(
        &mut d,
        "2026-03-25T12:00:00Z",
        Actor::Buyer,
        Action::ShipReturn,
    );
    assert_eq!(d.api_status(), Some("WAIT_SELLER_RECEIVE_GOODS"));
    assert_eq!(
        deadline(&d),
        (DeadlineKind::ReturnReceipt, t("2026-04-24T12:00:00Z"))
    );
    // R-S3: the refund follows the seller's confirmation.
    ok(
        &mut d,
        "2026-04-08T12:00:00Z",
        Actor::Seller,
        Action::ConfirmReturnReceived,
    );
    let State::Resolved {
        refund,
        end,
        settlement,
        ..
    } = *d.state()
    else {
        panic!()
    };
    assert_eq!((refund, end), (usd("45"), End::ReturnReceived));
    assert!(settlement.return_goods && settlement.basis.by_agreement());
    replay_equals(&d);
}

#[test]
fn path_return_not_shipped_goes_to_the_seller() {
    let mut d = open_received("card", return_claim("45"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Accept,
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-03-31T12:00:00Z",
            Actor::Buyer,
            Action::ShipReturn
        ),
        "deadline_passed"
    );
    assert_eq!(d.advance(t("2026-04-30T00:00:00Z")), 1);
    let State::Resolved { refund, end, .. } = *d.state() else {
        panic!()
    };
    assert_eq!((refund, end), (usd("0"), End::ReturnNotShipped));
    let s = d.summary(t("2026-04-30T00:00:00Z"), Explain::No);
    assert!(s.refund.is_none() && !s.chargeback_possible);
}

#[test]
fn path_return_not_confirmed_refunds_the_buyer_or_escalates() {
    let mut d = open_received("card", return_claim("45"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Accept,
    );
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::ShipReturn,
    );
    d.advance(t("2026-06-01T00:00:00Z"));
    let State::Resolved { refund, end, .. } = *d.state() else {
        panic!()
    };
    assert_eq!((refund, end), (usd("45"), End::ReturnNotConfirmed));

    let p = policy_with(|p| p.lifecycle.return_unconfirmed = TimeoutOutcome::Escalate);
    let mut d = Dispute::open(&received("card"), &p, return_claim("45"), t(OPEN)).unwrap();
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Accept,
    );
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::ShipReturn,
    );
    d.advance(t("2026-04-21T12:00:00Z"));
    assert_eq!(d.state().name(), "under_review");
    assert_eq!(d.entered_at(), t("2026-04-21T12:00:00Z"));
}

#[test]
fn path_cancel_and_reopen() {
    let mut d = open_default();
    // R-E8: only the buyer and the platform cancel.
    assert_eq!(
        refused(
            &mut d,
            "2026-03-21T12:00:00Z",
            Actor::Seller,
            Action::Cancel
        ),
        "actor_not_permitted"
    );
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Buyer, Action::Cancel);
    let State::Cancelled { reopenable_until } = *d.state() else {
        panic!()
    };
    // Reopenable while the protection window is open (30 April 17:00 UTC).
    assert_eq!(reopenable_until, t("2026-04-30T17:00:00Z"));
    assert_eq!(d.prior_disputes()[0].status, PriorDisputeStatus::Cancelled);
    // A reopened claim is a claim: goods not received are refunded in full
    // (C-4), refund only (R-S1).
    let partial = Action::Reopen {
        claim: Some(not_received_claim("15")),
    };
    assert_eq!(
        invalid_fields(&mut d, "2026-04-01T12:00:00Z", Actor::Buyer, partial),
        ["claim.refund.amount"]
    );
    let mut returned = not_received_claim("19.99");
    returned.solution = Solution::ReturnAndRefund;
    let returned = Action::Reopen {
        claim: Some(returned),
    };
    assert_eq!(
        invalid_fields(&mut d, "2026-04-01T12:00:00Z", Actor::Buyer, returned),
        ["claim.solution"]
    );
    let mut new_claim = not_received_claim("19.99");
    new_claim.reason = Reason::NotReceivedTooLong;
    ok(
        &mut d,
        "2026-04-01T12:00:00Z",
        Actor::Buyer,
        Action::Reopen {
            claim: Some(new_claim),
        },
    );
    assert_eq!(d.state().name(), "awaiting_seller");
    assert_eq!(d.reopens(), 1);
    assert_eq!(*d.claim(), new_claim);
    // R-L1 again from the reopening.
    assert_eq!(
        deadline(&d),
        (DeadlineKind::SellerResponse, t("2026-04-06T12:00:00Z"))
    );
    // The platform cancels; no reopen is left (default limit 1).
    ok(
        &mut d,
        "2026-04-02T12:00:00Z",
        Actor::Platform,
        Action::Cancel,
    );
    assert_eq!(
        *d.state(),
        State::ClosedForGood {
            reason: ClosedReason::ReopenLimit
        }
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-04-03T12:00:00Z",
            Actor::Buyer,
            Action::Reopen { claim: None }
        ),
        "reopen_limit_reached"
    );
    // The facts model counts two cancelled disputes: no new one (R-E8).
    let prior = d.prior_disputes();
    assert_eq!(prior.len(), 2);
    assert!(prior
        .iter()
        .all(|p| p.status == PriorDisputeStatus::Cancelled));
    let mut f = not_received();
    f.disputes.extend(prior);
    let e = eligibility::assess(
        &f,
        &Policy::aliexpress(),
        t("2026-04-03T12:00:00Z"),
        Explain::No,
    )
    .unwrap();
    assert_eq!(e.code, Some(Ineligible::ReopenLimitReached));
    replay_equals(&d);
}

#[test]
fn path_reopen_after_protection_ended_is_refused() {
    let mut d = open_default();
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Buyer, Action::Cancel);
    // At the window's end (exclusive, C-1): too late, R-E4's code.
    assert_eq!(
        refused(
            &mut d,
            "2026-04-30T17:00:00Z",
            Actor::Buyer,
            Action::Reopen { claim: None }
        ),
        "confirmation_timeout"
    );
    assert!(d
        .allowed_actions(Actor::Buyer, t("2026-04-30T16:59:59Z"))
        .contains(EventKind::Reopen));
    assert!(!d
        .allowed_actions(Actor::Buyer, t("2026-04-30T17:00:00Z"))
        .contains(EventKind::Reopen));
    assert_eq!(d.advance(t("2026-05-01T00:00:00Z")), 1);
    assert_eq!(
        *d.state(),
        State::ClosedForGood {
            reason: ClosedReason::WindowClosed
        }
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-05-02T00:00:00Z",
            Actor::Buyer,
            Action::Reopen { claim: None }
        ),
        "confirmation_timeout"
    );
    // After a confirmed receipt the window is R-E3's.
    let mut d = open_received("card", return_claim("45"));
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Buyer, Action::Cancel);
    let reopen = Action::Reopen { claim: None };
    assert_eq!(
        refused(&mut d, "2026-03-25T18:00:00Z", Actor::Buyer, reopen),
        "confirmation_window_passed"
    );
}

#[test]
fn r_e8_cancel_after_protection_ended_closes_for_good() {
    let mut d = open_default();
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    // Under review when protection ends (30 April 17:00 UTC, exclusive): a
    // cancel then is final.
    let mut late = d.clone();
    ok(&mut d, "2026-04-30T16:59:59Z", Actor::Buyer, Action::Cancel);
    assert_eq!(d.state().name(), "cancelled");
    ok(
        &mut late,
        "2026-04-30T17:00:00Z",
        Actor::Buyer,
        Action::Cancel,
    );
    assert_eq!(
        *late.state(),
        State::ClosedForGood {
            reason: ClosedReason::WindowClosed
        }
    );
}

#[test]
fn r_e8_earlier_cancellations_count_towards_the_reopen_limit() {
    let mut f = not_received();
    f.disputes.push(PriorDispute {
        opened_at: t("2026-03-13T00:00:00Z"),
        status: PriorDisputeStatus::Cancelled,
        closed_at: Some(t("2026-03-14T00:00:00Z")),
    });
    // This dispute is reopen number 1 (allowed with limit 1) ...
    let mut d = Dispute::open(
        &f,
        &Policy::aliexpress(),
        not_received_claim("19.99"),
        t(OPEN),
    )
    .unwrap();
    assert_eq!(d.reopens(), 1);
    // ... and cancelling it leaves no reopen.
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Buyer, Action::Cancel);
    assert_eq!(
        *d.state(),
        State::ClosedForGood {
            reason: ClosedReason::ReopenLimit
        }
    );
    // The facts model agrees: two cancellations exceed the limit.
    f.disputes.extend(d.prior_disputes());
    let e = eligibility::assess(
        &f,
        &Policy::aliexpress(),
        t("2026-03-22T00:00:00Z"),
        Explain::No,
    )
    .unwrap();
    assert_eq!(e.code, Some(Ineligible::ReopenLimitReached));
}

#[test]
fn r_e6_r_e7_the_dispute_feeds_back_into_eligibility() {
    let p = Policy::aliexpress();
    let now = t("2026-03-22T00:00:00Z");
    let mut d = open_default();
    let mut f = not_received();
    f.disputes.extend(d.prior_disputes());
    let e = eligibility::assess(&f, &p, now, Explain::No).unwrap();
    assert_eq!(e.code, Some(Ineligible::DisputeAlreadyOpen));
    // Opening again on the live dispute: R-E6.
    let open = Action::Open {
        claim: not_received_claim("1"),
    };
    assert_eq!(
        refused(&mut d, "2026-03-21T00:00:00Z", Actor::Buyer, open),
        "dispute_already_open"
    );
    ok(&mut d, "2026-03-20T13:00:00Z", Actor::Seller, offer("10"));
    ok(
        &mut d,
        "2026-03-20T14:00:00Z",
        Actor::Buyer,
        Action::AcceptOffer,
    );
    let mut f = not_received();
    f.disputes.extend(d.prior_disputes());
    let e = eligibility::assess(&f, &p, now, Explain::No).unwrap();
    assert_eq!(e.code, Some(Ineligible::ClosedByAgreement));
}

// ---- one test per lifecycle rule ----

#[test]
fn r_l1_seller_response_window_is_policy_and_keeps_wall_clock() {
    // Opened 29 October 2026 09:00 PDT; five days later is 3 November
    // 09:00 PST (C-1): 17:00 UTC, not 16:00.
    let facts = OrderFacts::from_json(
        r#"{"schema_version": 1, "order_id": "7", "line_id": "1",
        "unit_price": {"amount": "10", "currency": "USD"}, "quantity": 1,
        "shipping_cost": {"amount": "0", "currency": "USD"},
        "placed_at": "2026-09-30T09:00:00Z", "shipped_at": "2026-10-01T17:00:00Z",
        "shipping_method": "standard", "destination_country": "US",
        "payment_method": "card"}"#,
    )
    .unwrap();
    let open = t("2026-10-29T16:00:00Z");
    let d = Dispute::open(
        &facts,
        &Policy::aliexpress(),
        not_received_claim("10"),
        open,
    )
    .unwrap();
    let (kind, due) = deadline(&d);
    assert_eq!(kind, DeadlineKind::SellerResponse);
    assert_eq!(due, t("2026-11-03T17:00:00Z"));
    assert_ne!(due, open + Duration::days(5));
    assert_eq!(d.next_deadline().unwrap().rule, Rule::L1);
    // Legacy: 15 days (003).
    let d = Dispute::open(
        &facts,
        &Policy::aliexpress_legacy(),
        not_received_claim("10"),
        open,
    )
    .unwrap();
    assert!(d.terms().lifecycle.seller_response_days == 15);
    // End-of-local-day counting (legacy): 13 November ends at 14 Nov 00:00 PST.
    assert_eq!(deadline(&d).1, t("2026-11-14T08:00:00Z"));
    // The seller may act up to the deadline, not at it.
    let mut d = open_default();
    assert!(d
        .allowed_actions(Actor::Seller, t("2026-03-25T11:59:59Z"))
        .contains(EventKind::Accept));
    assert_eq!(
        refused(
            &mut d,
            "2026-03-25T12:00:00Z",
            Actor::Seller,
            Action::Accept
        ),
        "deadline_passed"
    );
    assert!(d
        .allowed_actions(Actor::Clock, t("2026-03-25T12:00:00Z"))
        .contains(EventKind::Timeout));
}

#[test]
fn r_l2_silent_seller_resolves_as_asked_or_escalates_by_policy() {
    // Default: as the buyer asked, including a return when one was asked.
    let mut d = open_received("card", return_claim("45"));
    d.advance(t("2026-03-25T12:00:00Z"));
    let State::AwaitingReturnShipment { settlement, .. } = *d.state() else {
        panic!("{:?}", d.state())
    };
    assert_eq!(settlement.basis, Basis::SellerSilent);
    assert_eq!(settlement.refund, usd("45"));
    // Policy: escalate (003).
    let p = policy_with(|p| p.lifecycle.seller_silent = TimeoutOutcome::Escalate);
    let mut d = open_with(&p, not_received_claim("19.99"));
    assert!(d.next_deadline().unwrap().effect.contains("platform"));
    d.advance(t("2026-03-26T00:00:00Z"));
    let State::UnderReview { decision_due } = *d.state() else {
        panic!()
    };
    assert_eq!(decision_due, t("2026-04-02T12:00:00Z"));
    assert!(d.rules().contains(Rule::L2));
    // The legacy preset escalates too.
    assert_eq!(
        Policy::aliexpress_legacy().lifecycle.seller_silent,
        TimeoutOutcome::Escalate
    );
}

#[test]
fn r_l3_rounds_turns_and_modified_claims() {
    let p = policy_with(|p| p.lifecycle.negotiation_rounds = 2);
    let mut d = Dispute::open(&received("card"), &p, return_claim("45"), t(OPEN)).unwrap();
    ok(&mut d, "2026-03-20T13:00:00Z", Actor::Seller, offer("5"));
    // Not the seller's turn.
    assert_eq!(
        refused(&mut d, "2026-03-20T14:00:00Z", Actor::Seller, offer("6")),
        "not_your_turn"
    );
    ok(
        &mut d,
        "2026-03-20T14:00:00Z",
        Actor::Buyer,
        Action::RejectOffer,
    );
    assert_eq!(d.api_status(), Some("WAIT_SELLER_CONFIRM_REFUND"));
    assert_eq!(
        refused(
            &mut d,
            "2026-03-20T15:00:00Z",
            Actor::Buyer,
            Action::AcceptOffer
        ),
        "not_your_turn"
    );
    ok(&mut d, "2026-03-20T15:00:00Z", Actor::Seller, offer("8"));
    ok(
        &mut d,
        "2026-03-20T16:00:00Z",
        Actor::Buyer,
        Action::RejectOffer,
    );
    // Two rounds used: no third counter-offer.
    assert_eq!(
        refused(&mut d, "2026-03-20T17:00:00Z", Actor::Seller, offer("9")),
        "round_limit_reached"
    );
    ok(
        &mut d,
        "2026-03-20T17:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-03-20T18:00:00Z",
            Actor::Buyer,
            Action::AcceptOffer
        ),
        "no_offer"
    );
    // The buyer modifies the claim; the seller accepts the new one. A
    // modified claim is a claim (C-4, R-S1): a return is for the full
    // amount.
    let mut claim = return_claim("9.50");
    assert_eq!(
        invalid_fields(
            &mut d,
            "2026-03-20T18:00:00Z",
            Actor::Buyer,
            Action::ModifyClaim { claim }
        ),
        ["claim.refund.amount"]
    );
    claim.solution = Solution::RefundOnly;
    ok(
        &mut d,
        "2026-03-20T18:00:00Z",
        Actor::Buyer,
        Action::ModifyClaim { claim },
    );
    ok(
        &mut d,
        "2026-03-20T19:00:00Z",
        Actor::Seller,
        Action::Accept,
    );
    let State::SellerAccepted { settlement, .. } = *d.state() else {
        panic!()
    };
    assert_eq!(settlement.refund, usd("9.50"));
}

#[test]
fn r_l3_turn_lapse_and_no_agreement_escalate() {
    // Turn lapse: the buyer does not answer an offer within 5 days.
    let mut d = open_default();
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Seller, offer("5"));
    assert_eq!(
        deadline(&d),
        (DeadlineKind::TurnLapse, t("2026-03-26T12:00:00Z"))
    );
    d.advance(t("2026-03-26T12:00:00Z"));
    assert_eq!(d.state().name(), "under_review");
    assert_eq!(d.entered_at(), t("2026-03-26T12:00:00Z"));
    // No agreement: 7 days after the opening (appendix, precise default),
    // even though turns keep being answered.
    let mut d = open_received("card", return_claim("45"));
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Seller, offer("5"));
    ok(
        &mut d,
        "2026-03-23T12:00:00Z",
        Actor::Buyer,
        Action::RejectOffer,
    );
    ok(&mut d, "2026-03-26T12:00:00Z", Actor::Seller, offer("6"));
    assert_eq!(
        deadline(&d),
        (DeadlineKind::NoAgreement, t("2026-03-27T12:00:00Z"))
    );
    assert_eq!(d.advance(t("2026-03-30T00:00:00Z")), 1);
    assert_eq!(d.state().name(), "under_review");
    assert_eq!(d.entered_at(), t("2026-03-27T12:00:00Z"));
    // The other clock: 7 days after the seller's first answer.
    let p = policy_with(|p| p.lifecycle.escalation_clock = EscalationClock::FirstAnswer);
    let mut d = Dispute::open(&received("card"), &p, return_claim("45"), t(OPEN)).unwrap();
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Seller, offer("5"));
    ok(
        &mut d,
        "2026-03-23T12:00:00Z",
        Actor::Buyer,
        Action::RejectOffer,
    );
    ok(&mut d, "2026-03-26T12:00:00Z", Actor::Seller, offer("6"));
    assert_eq!(
        deadline(&d),
        (DeadlineKind::NoAgreement, t("2026-03-28T12:00:00Z"))
    );
    // Legacy: the buyer may escalate only after 3 days (end-of-local-day
    // counting: from 24 March 00:00 PDT).
    let mut d = open_with(&Policy::aliexpress_legacy(), not_received_claim("19.99"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-03-24T06:59:59Z",
            Actor::Buyer,
            Action::Escalate
        ),
        "escalation_too_early"
    );
    ok(
        &mut d,
        "2026-03-24T07:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    // Escalation only once the seller answered.
    let mut d = open_default();
    assert_eq!(
        refused(
            &mut d,
            "2026-03-21T12:00:00Z",
            Actor::Buyer,
            Action::Escalate
        ),
        "not_in_this_state"
    );
}

#[test]
fn r_l4_decision_target_is_not_automatic() {
    let mut d = open_default();
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    let n = d.next_deadline().unwrap();
    assert_eq!(
        (n.kind, n.at.utc, n.automatic, n.rule),
        (
            DeadlineKind::DecisionDue,
            t("2026-03-30T12:00:00Z"),
            false,
            Rule::L4
        )
    );
    // Nothing happens by itself; the platform may decide late.
    assert_eq!(d.advance(t("2026-06-01T00:00:00Z")), 0);
    assert!(d
        .allowed_actions(Actor::Clock, t("2026-06-01T00:00:00Z"))
        .is_empty());
    ok(
        &mut d,
        "2026-04-15T12:00:00Z",
        Actor::Platform,
        decide("19.99"),
    );
    assert_eq!(d.state().name(), "decided");
    assert!(d.rules().contains(Rule::L4));
}

#[test]
fn r_l5_appeal_window_count_and_ruling() {
    let escalated = || {
        let mut d = open_default();
        ok(
            &mut d,
            "2026-03-21T12:00:00Z",
            Actor::Seller,
            Action::Refuse,
        );
        ok(
            &mut d,
            "2026-03-22T12:00:00Z",
            Actor::Buyer,
            Action::Escalate,
        );
        ok(&mut d, "2026-03-29T12:00:00Z", Actor::Platform, decide("5"));
        d
    };
    // The window: 7 days, exclusive end; then the decision is final.
    let mut d = escalated();
    ok(
        &mut d,
        "2026-03-30T00:00:00Z",
        Actor::Seller,
        Action::AddEvidence,
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-04-05T12:00:00Z",
            Actor::Seller,
            Action::Appeal
        ),
        "deadline_passed"
    );
    d.advance(t("2026-04-05T12:00:00Z"));
    let State::Resolved {
        settlement, refund, ..
    } = *d.state()
    else {
        panic!()
    };
    assert_eq!((settlement.basis, refund), (Basis::Decision, usd("5")));
    // One appeal: after it only the final ruling ends the dispute (the
    // precise default); `decide` is not made again.
    let mut d = escalated();
    ok(
        &mut d,
        "2026-03-30T00:00:00Z",
        Actor::Seller,
        Action::AddEvidence,
    );
    ok(
        &mut d,
        "2026-03-30T01:00:00Z",
        Actor::Seller,
        Action::Appeal,
    );
    assert_eq!(
        refused(&mut d, "2026-04-02T00:00:00Z", Actor::Platform, decide("3")),
        "not_in_this_state"
    );
    ok(
        &mut d,
        "2026-04-02T00:00:00Z",
        Actor::Platform,
        final_ruling("3"),
    );
    let State::Resolved { end, .. } = *d.state() else {
        panic!()
    };
    assert_eq!(end, End::FinalRuling);
    assert_eq!(d.appeals(), 1);
    // The other reading (policy): a new decision is final at once, and
    // without a ruling within 10 days the decision stands.
    let p = policy_with(|p| p.lifecycle.final_ruling_ends_appeal = false);
    let escalated_under = |p: &Policy| {
        let mut d = open_with(p, not_received_claim("19.99"));
        ok(
            &mut d,
            "2026-03-21T12:00:00Z",
            Actor::Seller,
            Action::Refuse,
        );
        ok(
            &mut d,
            "2026-03-22T12:00:00Z",
            Actor::Buyer,
            Action::Escalate,
        );
        ok(&mut d, "2026-03-29T12:00:00Z", Actor::Platform, decide("5"));
        ok(
            &mut d,
            "2026-03-30T00:00:00Z",
            Actor::Seller,
            Action::AddEvidence,
        );
        ok(
            &mut d,
            "2026-03-30T01:00:00Z",
            Actor::Seller,
            Action::Appeal,
        );
        d
    };
    let mut d = escalated_under(&p);
    ok(&mut d, "2026-04-02T00:00:00Z", Actor::Platform, decide("3"));
    let State::Resolved {
        end, settlement, ..
    } = *d.state()
    else {
        panic!()
    };
    assert_eq!((end, settlement.basis), (End::Settled, Basis::Decision));
    let mut d = escalated_under(&p);
    assert_eq!(
        deadline(&d),
        (DeadlineKind::AppealRuling, t("2026-04-09T01:00:00Z"))
    );
    d.advance(t("2026-04-09T01:00:00Z"));
    let State::Resolved { refund, .. } = *d.state() else {
        panic!()
    };
    assert_eq!(refund, usd("5"));
    // Two appeals by policy: a new decision is appealable again, then final.
    let p = policy_with(|p| {
        p.lifecycle.appeal_limit = 2;
        p.lifecycle.appeal_requires_new_evidence = false;
        p.lifecycle.final_ruling_ends_appeal = false;
    });
    let mut d = open_with(&p, not_received_claim("19.99"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    ok(&mut d, "2026-03-23T12:00:00Z", Actor::Platform, decide("5"));
    ok(&mut d, "2026-03-24T12:00:00Z", Actor::Buyer, Action::Appeal);
    ok(&mut d, "2026-03-25T12:00:00Z", Actor::Platform, decide("7"));
    assert_eq!(d.state().name(), "decided");
    ok(
        &mut d,
        "2026-03-26T12:00:00Z",
        Actor::Seller,
        Action::Appeal,
    );
    ok(&mut d, "2026-03-27T12:00:00Z", Actor::Platform, decide("6"));
    assert_eq!(d.state().name(), "resolved");
    assert_eq!(d.appeals(), 2);
    // No appeal at all: the decision is final at once.
    let p = policy_with(|p| p.lifecycle.appeal_limit = 0);
    let mut d = open_with(&p, not_received_claim("19.99"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    ok(&mut d, "2026-03-23T12:00:00Z", Actor::Platform, decide("5"));
    assert_eq!(d.state().name(), "resolved");
}

#[test]
fn r_l5_a_decision_with_return_goes_through_the_return() {
    let mut d = open_received("card", return_claim("45"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-21T13:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    let ruling = Ruling {
        refund: usd("45"),
        return_goods: true,
    };
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Platform,
        Action::Decide { ruling },
    );
    d.advance(t("2026-03-29T12:00:00Z"));
    assert_eq!(d.api_status(), Some("WAIT_BUYER_SEND_GOODS"));
    // A return with no refund makes no sense.
    let mut d = open_received("card", return_claim("45"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-21T13:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    let ruling = Ruling {
        refund: usd("0"),
        return_goods: true,
    };
    let fields = invalid_fields(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Platform,
        Action::Decide { ruling },
    );
    assert_eq!(fields, ["ruling.return_goods"]);
}

#[test]
fn r_l6_refund_destination_and_timing() {
    // Card: back to the card; bank transfer: to an Alipay account.
    let mut d = open_received("card", return_claim("45"));
    ok(&mut d, "2026-03-20T15:00:00Z", Actor::Seller, offer("20"));
    ok(
        &mut d,
        "2026-03-20T16:00:00Z",
        Actor::Buyer,
        Action::AcceptOffer,
    );
    let r = d.summary(t(OPEN), Explain::No).refund.unwrap();
    assert_eq!(r.destination, RefundDestination::OriginalPaymentMethod);
    assert_eq!(r.amount, usd("20"));
    // Friday 20 March + 10 business days = Friday 3 April, same local time.
    assert_eq!(r.due_by.unwrap().utc, t("2026-04-03T16:00:00Z"));
    for (method, dest) in [
        ("bank_transfer", RefundDestination::AlipayAccount),
        ("western_union", RefundDestination::AlipayAccount),
        ("cash_payment", RefundDestination::AlipayAccount),
        ("tt", RefundDestination::AlipayAccount),
        ("wallet", RefundDestination::OriginalPaymentMethod),
        ("paypal", RefundDestination::OriginalPaymentMethod),
    ] {
        let mut d = open_received(method, return_claim("45"));
        d.advance(t("2026-03-25T12:00:00Z")); // seller silent: return
        ok(
            &mut d,
            "2026-03-26T12:00:00Z",
            Actor::Buyer,
            Action::ShipReturn,
        );
        ok(
            &mut d,
            "2026-03-27T12:00:00Z",
            Actor::Seller,
            Action::ConfirmReturnReceived,
        );
        let s = d.summary(t("2026-03-27T12:00:00Z"), Explain::No);
        assert_eq!(s.refund.unwrap().destination, dest, "{method}");
        assert!(s.rules.contains(Rule::L6));
    }
    // Business days skip weekends; the count is policy (legacy: 20).
    let cal = Policy::aliexpress().calendar();
    let fri = t("2026-03-20T12:00:00Z");
    assert_eq!(add_business_days(cal, fri, 1), t("2026-03-23T12:00:00Z"));
    assert_eq!(add_business_days(cal, fri, 5), t("2026-03-27T12:00:00Z"));
    let sat = t("2026-03-21T12:00:00Z");
    assert_eq!(add_business_days(cal, sat, 1), t("2026-03-23T12:00:00Z"));
    let legacy = open_with(&Policy::aliexpress_legacy(), not_received_claim("19.99"));
    assert_eq!(legacy.terms().lifecycle.refund_business_days, 20);
}

#[test]
fn r_l7_chargeback_pointer_only_after_a_final_loss_by_card() {
    let lose = |method: &str, refund: &str| {
        let mut d = open_received(method, return_claim("45"));
        ok(
            &mut d,
            "2026-03-21T12:00:00Z",
            Actor::Seller,
            Action::Refuse,
        );
        ok(
            &mut d,
            "2026-03-21T13:00:00Z",
            Actor::Buyer,
            Action::Escalate,
        );
        ok(
            &mut d,
            "2026-03-22T12:00:00Z",
            Actor::Platform,
            decide(refund),
        );
        d.advance(t("2026-04-01T00:00:00Z"));
        d.summary(t("2026-04-01T00:00:00Z"), Explain::No)
    };
    assert!(lose("card", "0").chargeback_possible);
    assert!(lose("card", "44.99").chargeback_possible);
    assert!(!lose("card", "45").chargeback_possible, "won in full");
    assert!(!lose("bank_transfer", "0").chargeback_possible);
    // An agreement is not a loss.
    let mut d = open_default();
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Seller, offer("1"));
    ok(
        &mut d,
        "2026-03-21T13:00:00Z",
        Actor::Buyer,
        Action::AcceptOffer,
    );
    d.advance(t("2026-06-01T00:00:00Z"));
    assert!(
        !d.summary(t("2026-06-01T00:00:00Z"), Explain::No)
            .chargeback_possible
    );
}

// ---- time, terminal states, allowed actions ----

#[test]
fn time_never_runs_backwards_and_terminal_states_absorb() {
    let mut d = open_default();
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    assert_eq!(
        refused(
            &mut d,
            "2026-03-21T11:59:59Z",
            Actor::Buyer,
            Action::Escalate
        ),
        "time_runs_backwards"
    );
    // The same instant is fine.
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Platform, decide("1"));
    d.advance(t("2026-03-28T12:00:00Z"));
    assert!(d.is_terminal());
    for kind in EventKind::ALL {
        for actor in Actor::ALL {
            assert!(d
                .allowed_actions(actor, t("2026-04-01T00:00:00Z"))
                .is_empty());
            let action = match kind {
                EventKind::Cancel => Action::Cancel,
                EventKind::Escalate => Action::Escalate,
                EventKind::AddEvidence => Action::AddEvidence,
                _ => Action::Appeal,
            };
            assert_eq!(
                refused(&mut d, "2026-04-01T00:00:00Z", actor, action),
                "dispute_closed"
            );
        }
    }
    assert_eq!(d.advance(t("2030-01-01T00:00:00Z")), 0);
    assert!(d.next_deadline().is_none());
}

#[test]
fn allowed_actions_list_what_each_party_may_do() {
    let d = open_default();
    let now = t("2026-03-21T00:00:00Z");
    let names = |a| {
        d.allowed_actions(a, now)
            .iter()
            .map(EventKind::as_str)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(Actor::Buyer),
        ["modify_claim", "add_evidence", "cancel"]
    );
    assert_eq!(
        names(Actor::Seller),
        ["accept", "refuse", "counter_offer", "add_evidence"]
    );
    assert_eq!(names(Actor::Platform), ["cancel"]);
    assert!(names(Actor::Clock).is_empty());
}

#[test]
fn a_timeout_must_fall_on_its_deadline() {
    let mut d = open_default();
    let early = Action::Timeout {
        deadline: DeadlineKind::SellerResponse,
    };
    assert_eq!(
        refused(&mut d, "2026-03-24T12:00:00Z", Actor::Clock, early),
        "not_due"
    );
    let wrong = Action::Timeout {
        deadline: DeadlineKind::AppealWindow,
    };
    assert_eq!(
        refused(&mut d, "2026-03-25T12:00:00Z", Actor::Clock, wrong),
        "not_due"
    );
    let late = Action::Timeout {
        deadline: DeadlineKind::SellerResponse,
    };
    assert_eq!(
        refused(&mut d, "2026-03-26T12:00:00Z", Actor::Clock, late),
        "not_due"
    );
    assert_eq!(
        refused(&mut d, "2026-03-25T12:00:00Z", Actor::Buyer, late),
        "actor_not_permitted"
    );
    ok(&mut d, "2026-03-25T12:00:00Z", Actor::Clock, late);
    assert_eq!(d.state().name(), "resolved");
}

#[test]
fn advance_applies_a_chain_of_timeouts() {
    // Decided with a return -> the appeal window lapses -> the return is not
    // shipped: two timeouts in one call, each at its own deadline.
    let mut d = open_received("card", return_claim("45"));
    ok(
        &mut d,
        "2026-03-21T12:00:00Z",
        Actor::Seller,
        Action::Refuse,
    );
    ok(
        &mut d,
        "2026-03-21T13:00:00Z",
        Actor::Buyer,
        Action::Escalate,
    );
    let ruling = Ruling {
        refund: usd("45"),
        return_goods: true,
    };
    ok(
        &mut d,
        "2026-03-22T12:00:00Z",
        Actor::Platform,
        Action::Decide { ruling },
    );
    assert_eq!(d.advance(t("2026-06-01T00:00:00Z")), 2);
    let State::Resolved { end, refund, .. } = *d.state() else {
        panic!()
    };
    assert_eq!((end, refund), (End::ReturnNotShipped, usd("0")));
    // 22 March + 7 days = 29 March; + 10 days = 8 April.
    assert_eq!(d.entered_at(), t("2026-04-08T12:00:00Z"));
    let clock: Vec<_> = d
        .history()
        .iter()
        .filter(|e| e.actor == Actor::Clock)
        .map(|e| e.at)
        .collect();
    assert_eq!(
        clock,
        [t("2026-03-29T12:00:00Z"), t("2026-04-08T12:00:00Z")]
    );
    replay_equals(&d);
    // Escalated on silence (policy): under review stops the chain (R-L4).
    let p = policy_with(|p| p.lifecycle.seller_silent = TimeoutOutcome::Escalate);
    let mut d = open_with(&p, not_received_claim("19.99"));
    assert_eq!(d.advance(t("2027-01-01T00:00:00Z")), 1);
    assert_eq!(d.state().name(), "under_review");
}

// ---- JSON ----

#[test]
fn json_round_trip_and_replay_reproduce_the_state() {
    let mut d = open_received("western_union", return_claim("45"));
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Seller, offer("20"));
    ok(
        &mut d,
        "2026-03-21T13:00:00Z",
        Actor::Buyer,
        Action::RejectOffer,
    );
    ok(
        &mut d,
        "2026-03-21T14:00:00Z",
        Actor::Seller,
        Action::AddEvidence,
    );
    d.advance(t("2026-04-10T00:00:00Z"));
    ok(
        &mut d,
        "2026-04-10T00:00:00Z",
        Actor::Platform,
        decide("30"),
    );
    let json = d.to_json();
    let back = Dispute::from_json(&json).unwrap();
    assert_eq!(back, d);
    assert_eq!(back.to_json(), json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["history"][1]["kind"], "counter_offer");
    assert_eq!(v["history"][1]["offer"]["refund"]["amount"], "20");
    assert_eq!(v["state"]["name"], "decided");
    // serde's own Deserialize agrees.
    let via_serde: Dispute = serde_json::from_str(&json).unwrap();
    assert_eq!(via_serde, d);
}

#[test]
fn json_tampering_is_caught() {
    let mut d = open_default();
    ok(&mut d, "2026-03-21T12:00:00Z", Actor::Seller, offer("5"));
    let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    // A state that the history does not give.
    let mut w = v.clone();
    w["state"] =
        serde_json::json!({"name": "under_review", "decision_due": "2026-04-01T00:00:00Z"});
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert_eq!(e.field(), "state");
    // An offer above the cap in the history.
    let mut w = v.clone();
    w["history"][1]["offer"]["refund"]["amount"] = "500".into();
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert_eq!(e.field(), "history[1].offer.refund.amount");
    // An event the machine refuses.
    let mut w = v.clone();
    w["history"][1]["actor"] = "buyer".into();
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert_eq!(e.field(), "history[1]");
    assert!(e.to_string().contains("actor_not_permitted"), "{e}");
    // Unknown fields, missing and extra event data.
    let mut w = v.clone();
    w["history"][1]["note"] = "hi".into();
    assert!(Dispute::from_json(&w.to_string()).is_err());
    let mut w = v.clone();
    w["history"][1].as_object_mut().unwrap().remove("offer");
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert!(
        e.to_string().contains("`counter_offer` needs `offer`"),
        "{e}"
    );
    let mut w = v.clone();
    w["history"][0]["offer"] = w["history"][1]["offer"].clone();
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert!(e.to_string().contains("`open` takes no `offer`"), "{e}");
    // Bad terms are named.
    let mut w = v;
    w["terms"]["lifecycle"]["seller_response_days"] = 0.into();
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert_eq!(e.field(), "lifecycle.seller_response_days");
}

#[test]
fn policy_lifecycle_values_are_validated_by_name() {
    let p = policy_with(|_| {});
    let mut v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
    v["lifecycle"]["appeal_window_days"] = 0.into();
    v["lifecycle"]["appeal_limit"] = 1000.into();
    let e = Policy::from_json(&v.to_string()).unwrap_err();
    let fields: Vec<_> = e.problems().iter().map(|p| p.field().to_owned()).collect();
    assert_eq!(
        fields,
        ["lifecycle.appeal_window_days", "lifecycle.appeal_limit"]
    );
    let mut v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
    v["lifecycle"]
        .as_object_mut()
        .unwrap()
        .remove("return_ship_days");
    let e = Policy::from_json(&v.to_string()).unwrap_err();
    assert_eq!(e.field(), "lifecycle.return_ship_days");
    // Presets: the appendix values.
    let a = Policy::aliexpress().lifecycle;
    assert_eq!(
        (
            a.seller_response_days,
            a.escalation_after_days,
            a.appeal_window_days,
            a.appeal_limit,
            a.return_ship_days
        ),
        (5, 7, 7, 1, 10)
    );
    assert_eq!(
        Policy::aliexpress_legacy().lifecycle.seller_response_days,
        15
    );
}

#[test]
fn payment_method_is_kept_on_the_line() {
    let d = open_received("bank_transfer", return_claim("45"));
    assert_eq!(d.line().payment_method, PaymentMethod::BankTransfer);
}

// ---- the JSON operations (api::call) ----

fn call(op: &str, req: serde_json::Value) -> serde_json::Value {
    let out = dispute_rules::api::call(op, &req.to_string());
    serde_json::from_str(&out).unwrap()
}

fn answer(v: &serde_json::Value) -> &serde_json::Value {
    assert_eq!(v["result"], "success", "{v}");
    &v["answer"]
}

#[test]
fn api_open_apply_advance_allowed_status() {
    let facts: serde_json::Value =
        serde_json::from_str(include_str!("data/not_received.json")).unwrap();
    let claim = serde_json::json!({"reason": "not_received.no_tracking",
        "solution": "refund_only", "refund": {"amount": "19.99", "currency": "USD"}});
    let v = call(
        "lifecycle_open",
        serde_json::json!({"facts": facts, "now": OPEN, "claim": claim, "explain": true}),
    );
    let a = answer(&v);
    assert_eq!(a["state"], "awaiting_seller");
    assert_eq!(a["api_status"], "WAIT_SELLER_CONFIRM_REFUND");
    assert_eq!(a["next_deadline"]["kind"], "seller_response");
    assert_eq!(a["next_deadline"]["at"]["utc"], "2026-03-25T12:00:00Z");
    assert_eq!(
        a["next_deadline"]["at"]["local"],
        "2026-03-25T05:00:00-07:00"
    );
    assert_eq!(
        a["allowed"]["seller"],
        serde_json::json!(["accept", "refuse", "counter_offer", "add_evidence"])
    );
    assert!(a["rules"].as_array().unwrap().contains(&"R-L1".into()));
    assert!(!a["explanation"].as_array().unwrap().is_empty());
    let dispute = a["dispute"].clone();

    // A counter-offer, in the flat event form.
    let event = serde_json::json!({"at": "2026-03-21T12:00:00Z", "actor": "seller",
        "kind": "counter_offer", "offer": {"solution": "refund_only",
        "refund": {"amount": "10", "currency": "USD"}}});
    let v = call(
        "lifecycle_apply",
        serde_json::json!({"dispute": dispute, "event": event}),
    );
    let a = answer(&v);
    assert_eq!(a["state"], "negotiating");
    assert_eq!(a["api_status"], "SELLER_REFUSE_REFUND");
    assert_eq!(
        a["allowed"]["buyer"],
        serde_json::json!([
            "accept_offer",
            "reject_offer",
            "modify_claim",
            "add_evidence",
            "escalate",
            "cancel"
        ])
    );
    assert!(a.get("explanation").is_none());
    let dispute = a["dispute"].clone();

    // What the seller may do now (nothing: the buyer's turn).
    let v = call(
        "lifecycle_allowed",
        serde_json::json!({"dispute": dispute, "actor": "seller", "now": "2026-03-21T13:00:00Z"}),
    );
    assert_eq!(answer(&v)["allowed"], serde_json::json!(["add_evidence"]));

    // The buyer stays silent: the turn lapses (R-L3).
    let v = call(
        "lifecycle_advance",
        serde_json::json!({"dispute": dispute, "now": "2026-03-27T00:00:00Z"}),
    );
    let a = answer(&v);
    assert_eq!(a["timeouts_applied"], 1);
    assert_eq!(a["state"], "under_review");
    assert_eq!(a["api_status"], "ARBITRATING");
    assert_eq!(a["next_deadline"]["automatic"], false);
    let dispute = a["dispute"].clone();
    let v = call(
        "lifecycle_status",
        serde_json::json!({"dispute": dispute, "now": "2026-03-28T00:00:00Z"}),
    );
    assert_eq!(
        answer(&v)["allowed"]["platform"],
        serde_json::json!(["decide", "cancel"])
    );
    // The JSON layer's dispute is the library's JSON form.
    let d = Dispute::from_json(&dispute.to_string()).unwrap();
    assert_eq!(d.history().len(), 3);
}

#[test]
fn api_errors_name_the_field_and_carry_the_code() {
    let facts: serde_json::Value =
        serde_json::from_str(include_str!("data/not_received.json")).unwrap();
    let claim = serde_json::json!({"reason": "not_received.no_tracking",
        "solution": "refund_only", "refund": {"amount": "19.99", "currency": "USD"}});
    // Ineligible: the R-E9 code.
    let v = call(
        "lifecycle_open",
        serde_json::json!({"facts": facts, "now": "2026-03-05T00:00:00Z", "claim": claim}),
    );
    assert_eq!(v["error"]["kind"], "illegal_transition");
    assert_eq!(v["error"]["code"], "too_early");
    // A claim above the cap (C-4) or malformed.
    let mut big = claim.clone();
    big["refund"]["amount"] = "100".into();
    let v = call(
        "lifecycle_open",
        serde_json::json!({"facts": facts, "now": OPEN, "claim": big}),
    );
    assert_eq!(v["error"]["kind"], "invalid_claim");
    assert_eq!(v["error"]["problems"][0]["field"], "claim.refund.amount");
    let v = call(
        "lifecycle_open",
        serde_json::json!({"facts": facts, "now": OPEN, "claim": {"reason": "nope"}}),
    );
    assert_eq!(v["error"]["problems"][0]["field"], "claim.reason");
    let v = call(
        "lifecycle_open",
        serde_json::json!({"facts": facts, "now": OPEN}),
    );
    assert_eq!(v["error"]["problems"][0]["field"], "claim");

    let dispute: serde_json::Value = serde_json::from_str(&open_default().to_json()).unwrap();
    // An illegal event: code and field `event`.
    let event =
        serde_json::json!({"at": "2026-03-21T12:00:00Z", "actor": "seller", "kind": "cancel"});
    let v = call(
        "lifecycle_apply",
        serde_json::json!({"dispute": dispute, "event": event}),
    );
    assert_eq!(v["error"]["code"], "actor_not_permitted");
    assert_eq!(v["error"]["problems"][0]["field"], "event");
    // Bad event data: the field under `event`.
    let event = serde_json::json!({"at": "2026-03-21T12:00:00Z", "actor": "seller",
        "kind": "counter_offer", "offer": {"solution": "refund_only",
        "refund": {"amount": "30", "currency": "USD"}}});
    let v = call(
        "lifecycle_apply",
        serde_json::json!({"dispute": dispute, "event": event}),
    );
    assert_eq!(
        v["error"]["problems"][0]["field"],
        "event.offer.refund.amount"
    );
    let event =
        serde_json::json!({"at": "2026-03-21T12:00:00Z", "actor": "judge", "kind": "accept"});
    let v = call(
        "lifecycle_apply",
        serde_json::json!({"dispute": dispute, "event": event}),
    );
    assert_eq!(v["error"]["problems"][0]["field"], "event.actor");
    // A tampered dispute: the field under `dispute`.
    let mut bad = dispute.clone();
    bad["history"][0]["at"] = "2026-03-19T00:00:00Z".into();
    let v = call(
        "lifecycle_status",
        serde_json::json!({"dispute": bad, "now": OPEN}),
    );
    assert_eq!(v["error"]["problems"][0]["field"], "dispute.state");
    // Missing fields.
    let v = call(
        "lifecycle_allowed",
        serde_json::json!({"dispute": dispute, "now": OPEN}),
    );
    assert_eq!(v["error"]["problems"][0]["field"], "actor");
    let v = call("lifecycle_advance", serde_json::json!({"now": OPEN}));
    assert_eq!(v["error"]["problems"][0]["field"], "dispute");
    assert!(dispute_rules::api::OPERATIONS.contains(&"lifecycle_allowed"));
}

#[test]
fn api_open_checks_the_claim_document_and_report_as_check_claim_does() {
    let facts: serde_json::Value =
        serde_json::from_str(include_str!("data/not_received.json")).unwrap();
    let same = |req: serde_json::Value| {
        let open = call("lifecycle_open", req.clone());
        let check = call("check_claim", req);
        assert_eq!(open["result"], "failure", "{open}");
        assert_eq!(open["error"], check["error"], "{open} vs {check}");
        open["error"]["problems"].clone()
    };
    // R-V2: an attachment above 2 MB.
    let claim = serde_json::json!({"reason": "not_received.no_tracking",
        "solution": "refund_only", "refund": {"amount": "19.99", "currency": "USD"},
        "evidence": [{"kind": "image", "file_name": "t.png", "format": "png",
                      "size_bytes": 3000000, "shows": "tracking_screenshot"}]});
    let p = same(serde_json::json!({"facts": facts, "now": OPEN, "claim": claim}));
    assert_eq!(p[0]["field"], "claim.evidence[0].size_bytes", "{p}");
    // The buyer's report contradicts the reason.
    let claim = serde_json::json!({"reason": "not_received.no_tracking",
        "solution": "refund_only", "refund": {"amount": "19.99", "currency": "USD"}});
    let p = same(
        serde_json::json!({"facts": facts, "now": OPEN, "claim": claim,
        "report": {"received": true}}),
    );
    assert_eq!(p[0]["field"], "claim.reason", "{p}");
    // The refund type disagrees with the amount (C-4).
    let claim = serde_json::json!({"reason": "not_received.no_tracking",
        "solution": "refund_only", "refund": {"amount": "19.99", "currency": "USD"},
        "refund_type": "partial"});
    let p = same(serde_json::json!({"facts": facts, "now": OPEN, "claim": claim}));
    assert_eq!(p[0]["field"], "claim.refund_type", "{p}");
}

#[test]
fn the_dispute_keeps_the_claim_limits_of_its_policy() {
    // A policy whose not-received reasons allow partial refunds: the
    // dispute keeps it, later policy changes aside.
    let p = policy_with(|p| {
        for (r, x) in p.reasons.by_reason.iter_mut() {
            if !r.is_received() {
                x.partial_refund = true;
            }
        }
    });
    let mut d = open_with(&p, not_received_claim("19.99"));
    ok(
        &mut d,
        "2026-03-20T13:00:00Z",
        Actor::Buyer,
        Action::ModifyClaim {
            claim: not_received_claim("10"),
        },
    );
    replay_equals(&d);
    let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    let limits = &v["terms"]["claims"];
    assert_eq!(
        limits["by_reason"]["not_received.no_tracking"],
        serde_json::json!({"solutions": ["refund_only"], "partial_refund": true})
    );
    assert_eq!(limits["return_means_full_refund"], true);
    assert_eq!(limits["by_reason"].as_object().unwrap().len(), 15);
    // Under the default tables the same history does not replay.
    let mut w = v.clone();
    w["terms"]["claims"]["by_reason"]["not_received.no_tracking"]["partial_refund"] = false.into();
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert_eq!(e.field(), "history[1].claim.refund.amount");
    // Tampered limits are refused, naming where.
    let mut w = v.clone();
    w["terms"]["claims"]["by_reason"]
        .as_object_mut()
        .unwrap()
        .remove("received.quality");
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert!(e.field().starts_with("terms.claims"), "{e}");
    assert!(e.to_string().contains("missing `received.quality`"), "{e}");
    let mut w = v.clone();
    w["terms"]["claims"]["by_reason"]["not_received.no_tracking"]["solutions"] =
        serde_json::json!(["refund_only", "return_and_refund"]);
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert!(e.to_string().contains("cannot be returned (R-S1)"), "{e}");
    let mut w = v;
    w["terms"]["claims"]["by_reason"]["received.quality"]["solutions"] =
        serde_json::json!(["refund_only", "refund_only"]);
    let e = Dispute::from_json(&w.to_string()).unwrap_err();
    assert!(e.to_string().contains("each once (R-S1)"), "{e}");
}

// ---- limits ----

#[test]
fn a_history_holds_at_most_max_events() {
    // Evidence may be added in every open state, so only the limit bounds a
    // dispute's history (and the answer that echoes it).
    use dispute_rules::limits::MAX_EVENTS;
    let mut d = open_default();
    let at = t(OPEN) + Duration::hours(1);
    while d.history().len() < MAX_EVENTS {
        d.apply(Event::new(at, Actor::Buyer, Action::AddEvidence)).unwrap();
    }
    let before = d.clone();
    let e = d
        .apply(Event::new(at, Actor::Buyer, Action::AddEvidence))
        .unwrap_err();
    assert_eq!(e.field(), "event", "{e}");
    assert!(e.to_string().contains("at most 1000 events"), "{e}");
    assert_eq!(d, before, "a refused event leaves the dispute unchanged");
    replay_equals(&d);
    let mut longer = d.history().to_vec();
    longer.push(Event::new(at, Actor::Buyer, Action::AddEvidence));
    let e = Dispute::replay(d.line().clone(), d.terms().clone(), &longer).unwrap_err();
    assert_eq!(e.field(), "history", "{e}");
}
