//! Likely outcomes: a scenario per rule R-O1..R-O5, the factors of R-O6, the
//! 003 shortage, counterfeit compensation, decisive facts, timeliness, the
//! open API mapping, explanations and input errors.
//!
//! The expected percentages are worked out by hand from the default table
//! (`OutcomePolicy::aliexpress`), so a change to the model or its rounding
//! shows up here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

mod reasons_common;

use dispute_rules::facts::{ConfirmedBy, PriorDispute, PriorDisputeStatus, Receipt, Tracking};
use dispute_rules::outcome::{
    self, Case, Confidence, FactorId, OutcomeKind, Prediction, SellerBehaviour, Timeliness,
};
use dispute_rules::reasons::{
    checklist, BuyerReport, Claim, EvidenceKind as K, Payer, Reason, Solution,
};
use dispute_rules::{Error, ErrorKind, Explain, Money, OrderFacts, Policy, Rule};
use reasons_common::*;

use OutcomeKind::{
    FullRefund as Full, FullRefundWithReturn as Return, NoRefund as Nothing,
    PartialRefund as Partial,
};

fn received() -> BuyerReport {
    BuyerReport::new().with_received(true)
}

fn not_received() -> BuyerReport {
    BuyerReport::new().with_received(false)
}

fn with(mut c: Claim, kinds: &[K]) -> Claim {
    for k in kinds {
        c.evidence.push(match k.medium() {
            Some(dispute_rules::reasons::AttachmentKind::Video) => video(*k),
            _ => photo(*k),
        });
    }
    c
}

fn run(
    f: &OrderFacts,
    r: &BuyerReport,
    c: Option<&Claim>,
    s: SellerBehaviour,
) -> Result<Prediction, Error> {
    outcome::predict(
        &Case::new(f).report(r).claim(c).seller(s),
        &Policy::aliexpress(),
        now(),
        Explain::No,
    )
}

fn predict(f: &OrderFacts, r: &BuyerReport, c: &Claim) -> Prediction {
    run(f, r, Some(c), SellerBehaviour::Unknown).unwrap()
}

/// The likelihoods in kind order: full, with return, partial, none.
fn pct(p: &Prediction) -> [u32; 4] {
    [Full, Return, Partial, Nothing].map(|k| p.likelihood(k))
}

fn check_invariants(p: &Prediction) {
    assert_eq!(
        p.outcomes.iter().map(|o| o.likelihood_percent).sum::<u32>(),
        100
    );
    assert_eq!(p.likely, p.outcomes[0]);
    for o in &p.outcomes {
        assert!(o.refund.amount <= p.cap.amount, "C-4: {o:?}");
        assert!(o.possible || o.likelihood_percent == 0, "{o:?}");
    }
    assert_eq!(p.buyer_odds_percent, 100 - p.likelihood(Nothing));
    assert!(p.rules.contains(Rule::O6) && p.rules.contains(Rule::C4));
}

/// The shortage line of 003: 18 parts at 5.00 USD, free shipping.
fn shortage_facts() -> OrderFacts {
    let mut f = facts();
    f.unit_price = usd("5.00");
    f.quantity = 18;
    f
}

fn units(n: u32) -> BuyerReport {
    received().with_units_received(n)
}

// ---------------------------------------------------------------- R-O1

#[test]
fn r_o1_never_received_is_a_full_refund() {
    // No tracking (R-R3), tracking and order screenshots: 80% of the
    // checklist. Points: reason 75/0/0/25, evidence +15/+10/+5/-10,
    // tracking.none +10/-5, value (< 20 USD) +5/-5: 105/-/-/5; a return and
    // a partial refund are impossible (C-4: not received, refunded in full).
    // No refund: 5/110 = 4.55% rounds to 5.
    let c = with(
        claim(Reason::NotReceivedNoTracking, Solution::RefundOnly, "19.99"),
        &[K::TrackingScreenshot, K::OrderScreenshot],
    );
    let p = predict(&facts(), &not_received(), &c);
    check_invariants(&p);
    assert_eq!(p.evidence_score_percent, 80);
    assert_eq!(pct(&p), [95, 0, 0, 5]);
    assert_eq!(p.likely.kind, Full);
    assert_eq!(p.likely.refund, usd("19.99"));
    assert_eq!(p.likely.rule, Rule::O1);
    assert_eq!(p.confidence, Confidence::High);
    assert_eq!(p.margin_percent, 90);
    assert!(!p.outcome(Partial).possible);
    assert!(
        !p.outcome(Return).possible,
        "goods not received cannot go back"
    );
    assert_eq!(
        p.factors.ids().collect::<Vec<_>>(),
        [
            FactorId::Reason,
            FactorId::Evidence,
            FactorId::TrackingNone,
            FactorId::Value
        ]
    );
}

#[test]
fn r_o1_badly_faulty_goods_are_refunded_in_full() {
    let c = with(
        claim(Reason::ReceivedQuality, Solution::RefundOnly, "19.99"),
        &[K::ItemVideo, K::ItemPhoto],
    );
    let r = received().with_defective(true);
    let p = predict(&facts(), &r, &c);
    check_invariants(&p);
    assert_eq!(p.likely.kind, Full);
    assert!(p.factors.contains(FactorId::ReportDefective));
    assert_eq!(
        p.factors.get(FactorId::ReportDefective).unwrap().rule,
        Rule::O1
    );
}

#[test]
fn r_o1_counterfeit_is_a_full_refund_with_compensation() {
    // Listing plus photo: 100%. Points 95/30/10/-10 -> 70/22/8/0.
    let c = with(
        claim(Reason::ReceivedCounterfeit, Solution::RefundOnly, "19.99"),
        &[K::ListingScreenshot, K::ItemPhoto],
    );
    let r = received().with_counterfeit(true);
    let p = predict(&facts(), &r, &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [70, 22, 8, 0]);
    assert_eq!(p.likely.kind, Full);
    assert_eq!(
        p.likely.refund,
        usd("19.99"),
        "the refund stays capped (C-4)"
    );
    // Appendix: up to 3x the amount paid excluding shipping.
    assert_eq!(p.compensation_up_to, Some(usd("59.97")));

    // Paid excluding shipping: goods less the coupon.
    let mut f = priced_facts(); // 2 x 10.00 + 3.50 shipping - 2.00 coupon
    f.unit_price = usd("10.00");
    let c = with(
        claim(Reason::ReceivedCounterfeit, Solution::RefundOnly, "21.50"),
        &[K::ListingScreenshot],
    );
    let p = predict(&f, &r, &c);
    assert_eq!(p.cap, usd("21.50"));
    assert_eq!(p.compensation_up_to, Some(usd("54.00")));

    // Legacy: no compensation; other reasons: none either.
    let legacy = outcome::predict(
        &Case::new(&facts())
            .report(&r)
            .claim(Some(&c_full(Reason::ReceivedCounterfeit)))
            .seller(SellerBehaviour::Unknown),
        &Policy::aliexpress_legacy(),
        now(),
        Explain::No,
    )
    .unwrap();
    assert_eq!(legacy.compensation_up_to, None);
    let p = predict(&facts(), &received(), &c_full(Reason::ReceivedDamaged));
    assert_eq!(p.compensation_up_to, None);
}

fn c_full(r: Reason) -> Claim {
    claim(r, Solution::RefundOnly, "19.99")
}

#[test]
fn r_o1_r_l2_a_silent_seller_gives_the_buyer_what_was_asked() {
    // Even a weak case: no evidence at all.
    for (c, kind, amount) in [
        (c_full(Reason::ReceivedQuality), Full, "19.99"),
        (
            claim(Reason::ReceivedQuality, Solution::RefundOnly, "7.50"),
            Partial,
            "7.50",
        ),
        (
            claim(Reason::ReceivedQuality, Solution::ReturnAndRefund, "19.99"),
            Return,
            "19.99",
        ),
    ] {
        let p = run(&facts(), &received(), Some(&c), SellerBehaviour::Silent).unwrap();
        check_invariants(&p);
        assert_eq!(p.requested, Some(kind));
        assert_eq!(p.likely.kind, kind);
        assert_eq!(p.likely.likelihood_percent, 100);
        assert_eq!(p.likely.refund, usd(amount));
        assert_eq!(p.confidence, Confidence::High);
        let f = p.factors.get(FactorId::SellerSilent).unwrap();
        assert!(f.decisive && f.points.is_zero());
        assert_eq!(f.rule, Rule::L2);
        assert!(p.rules.contains(Rule::L2));
    }
}

#[test]
fn r_l2_legacy_escalates_a_silent_seller_instead() {
    // Legacy (003): a silent seller's dispute goes to the platform: the
    // silent row only nudges towards the request.
    let c = c_full(Reason::ReceivedQuality);
    let legacy = Policy::aliexpress_legacy();
    let p = outcome::predict(
        &Case::new(&facts())
            .report(&received())
            .claim(Some(&c))
            .seller(SellerBehaviour::Silent),
        &legacy,
        now(),
        Explain::No,
    )
    .unwrap();
    check_invariants(&p);
    let f = p.factors.get(FactorId::SellerSilent).unwrap();
    assert!(!f.decisive);
    assert_eq!(f.points.get(Full), 20, "requested +20");
    assert_eq!(f.points.get(Nothing), -5);
    assert!(p.likely.likelihood_percent < 100);
}

// ---------------------------------------------------------------- R-O2

#[test]
fn r_o2_not_as_described_is_returned_at_the_sellers_expense() {
    // Points 55/65/20/0 -> 39/47/14/0.
    let c = with(
        claim(
            Reason::ReceivedNotAsDescribed,
            Solution::ReturnAndRefund,
            "19.99",
        ),
        &[K::ItemPhoto, K::ListingScreenshot],
    );
    let r = received().with_wrong_item(true);
    let p = predict(&facts(), &r, &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [39, 47, 14, 0]);
    let l = p.likely;
    assert_eq!(l.kind, Return);
    assert_eq!(l.refund, usd("19.99"));
    assert!(l.return_goods);
    assert_eq!(l.return_shipping_payer, Some(Payer::Seller));
    assert_eq!(l.rule, Rule::O2);
    assert_eq!(
        (l.open_api.issue_refund_type(), l.open_api.is_return_goods()),
        ("full_amount_refund", "Y")
    );
    assert!(p.rules.contains(Rule::S2) && p.rules.contains(Rule::S3));
    assert_eq!(p.confidence, Confidence::Low, "a margin of 8 points");
}

// ---------------------------------------------------------------- R-O3

#[test]
fn r_o3_buyers_mistake_is_returned_at_the_buyers_expense() {
    // Item photo and order screenshot: 100%. Points 10/85/-/20 -> 9/74/0/17
    // (partial impossible: the reason allows none).
    let c = with(
        claim(
            Reason::ReceivedBuyerRemorse,
            Solution::ReturnAndRefund,
            "19.99",
        ),
        &[K::ItemPhoto, K::OrderScreenshot],
    );
    let r = received().with_no_longer_wanted(true);
    let p = predict(&facts(), &r, &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [9, 74, 0, 17]);
    assert_eq!(p.likely.kind, Return);
    assert_eq!(p.likely.return_shipping_payer, Some(Payer::Buyer));
    assert_eq!(p.likely.rule, Rule::O3);
    assert!(!p.outcome(Partial).possible);
    assert_eq!(
        p.factors.get(FactorId::ReportNoLongerWanted).unwrap().rule,
        Rule::O3
    );
}

// ---------------------------------------------------------------- R-O4

#[test]
fn r_o4_shortage_003_refunds_the_missing_unit() {
    // 003: 17 of 18 arrived, no unboxing video. The claim asks the full
    // 90.00; the likely outcome is the missing unit's 5.00.
    // Points: reason 10/-/75/15, evidence -15/-/-5/+20, shortage -10/-/+15/0
    // -> 0/-/85/35 -> 0/0/71/29.
    let f = shortage_facts();
    let c = claim(
        Reason::ReceivedQuantityShortage,
        Solution::RefundOnly,
        "90.00",
    );
    let p = predict(&f, &units(17), &c);
    check_invariants(&p);
    assert_eq!(p.requested, Some(Full));
    assert_eq!(pct(&p), [0, 0, 71, 29]);
    assert_eq!(p.likely.kind, Partial);
    assert_eq!(p.likely.refund, usd("5.00"));
    assert_eq!(p.likely.rule, Rule::O4);
    assert_eq!(p.confidence, Confidence::High);
    assert_eq!(
        (
            p.likely.open_api.issue_refund_type(),
            p.likely.open_api.is_return_goods()
        ),
        ("part_amount_refund", "N")
    );
    assert!(p.factors.contains(FactorId::Shortage));

    // Three missing: three units.
    let p = predict(&f, &units(15), &c);
    assert_eq!(p.outcome(Partial).refund, usd("15.00"));

    // The buyer names the missing part's price (003: the most expensive
    // part): that amount is the partial refund.
    let c = claim(
        Reason::ReceivedQuantityShortage,
        Solution::RefundOnly,
        "6.40",
    );
    let p = predict(&f, &units(17), &c);
    assert_eq!(p.requested, Some(Partial));
    assert_eq!(p.likely.refund, usd("6.40"));
}

#[test]
fn r_o4_shortage_shares_of_coupon_and_shipping_follow_the_policy() {
    let mut f = shortage_facts();
    f.shipping_cost = usd("3.60");
    f.coupon = Some(usd("9.00"));
    let c = claim(
        Reason::ReceivedQuantityShortage,
        Solution::RefundOnly,
        "84.60",
    );
    // Default: coupon share deducted (9.00 / 18 = 0.50), no shipping share.
    assert_eq!(
        predict(&f, &units(17), &c).outcome(Partial).refund,
        usd("4.50")
    );
    let mut policy = Policy::aliexpress();
    policy.outcome.shortage.include_shipping_share = true;
    policy.outcome.shortage.deduct_coupon_share = false;
    let p = outcome::predict(
        &Case::new(&f)
            .report(&units(17))
            .claim(Some(&c))
            .seller(SellerBehaviour::Unknown),
        &policy,
        now(),
        Explain::No,
    )
    .unwrap();
    assert_eq!(p.outcome(Partial).refund, usd("5.20"), "5.00 + 3.60 / 18");
    // Rounded down to the policy's decimals: 10.00 / 3 per unit.
    let mut f = facts();
    f.unit_price = usd("3.33");
    f.quantity = 3;
    f.shipping_cost = usd("0.10");
    let c = claim(
        Reason::ReceivedQuantityShortage,
        Solution::RefundOnly,
        "10.09",
    );
    let p = outcome::predict(
        &Case::new(&f)
            .report(&units(2))
            .claim(Some(&c))
            .seller(SellerBehaviour::Unknown),
        &policy,
        now(),
        Explain::No,
    )
    .unwrap();
    assert_eq!(
        p.outcome(Partial).refund,
        usd("3.36"),
        "3.33 + 0.0333... rounded down"
    );
}

#[test]
fn r_o4_minor_defect_is_a_partial_refund() {
    // Points 40/30/55/-5 -> 32/24/44/0.
    let c = with(
        claim(Reason::ReceivedQuality, Solution::RefundOnly, "5.00"),
        &[K::ItemVideo, K::ItemPhoto],
    );
    let r = received().with_minor_defect(true);
    let p = predict(&facts(), &r, &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [32, 24, 44, 0]);
    assert_eq!(p.likely.kind, Partial);
    assert_eq!(p.likely.refund, usd("5.00"));
    assert_eq!(
        p.factors.get(FactorId::ReportMinorDefect).unwrap().rule,
        Rule::O4
    );
    // Defective and minor: the worse one counts.
    let r = r.with_defective(true);
    assert!(!predict(&facts(), &r, &c)
        .factors
        .contains(FactorId::ReportMinorDefect));
}

#[test]
fn r_o4_customs_delay_can_end_in_a_partial_refund() {
    // R-O4 (000): a delay outside the seller's control. The claim rules
    // refund goods not received in full (C-4), but the outcome table gives
    // customs holds partial points, so the outcome is possible.
    let mut f = facts();
    f.tracking = Tracking::CustomsHold {
        since: at("2026-03-10T00:00:00Z"),
    };
    let c = c_full(Reason::NotReceivedCustomsHold);
    let p = predict(&f, &not_received(), &c);
    check_invariants(&p);
    assert!(p.outcome(Partial).possible);
    assert_eq!(
        p.outcome(Partial).refund,
        usd("9.99"),
        "50% of 19.99, rounded down"
    );
    let t = p.factors.get(FactorId::TrackingCustomsHold).unwrap();
    assert_eq!((t.rule, t.points.get(Partial)), (Rule::O4, 10));
    // Points 35/-/35/40: a close call.
    assert_eq!(pct(&p), [32, 0, 32, 36]);
    assert_eq!(p.confidence, Confidence::Low);
    // Not so for tracking that says delivered: no partial points, none
    // allowed.
    let p = predict(
        &f,
        &not_received(),
        &c_full(Reason::NotReceivedDeliveredNotReceived),
    );
    assert!(!p.outcome(Partial).possible);
}

#[test]
fn r_o4_counter_offer_is_the_partial_amount() {
    let c = c_full(Reason::ReceivedDamaged);
    let offer = SellerBehaviour::CounterOffered {
        amount: usd("6.00"),
        return_goods: false,
    };
    let p = run(
        &facts(),
        &received().with_damaged(true),
        Some(&c),
        offer,
    )
    .unwrap();
    check_invariants(&p);
    assert_eq!(p.outcome(Partial).refund, usd("6.00"));
    let f = p.factors.get(FactorId::SellerCounterOffered).unwrap();
    // counter_offered: requested (full) -10, none -5; offered (partial) +30.
    assert_eq!(
        [Full, Return, Partial, Nothing].map(|k| f.points.get(k)),
        [-10, 0, 30, -5]
    );
    assert_eq!(f.rule, Rule::L3);
    // Without the offer, the partial outcome is 40% of the cap.
    let p = run(&facts(), &received(), Some(&c), SellerBehaviour::Refused).unwrap();
    assert_eq!(p.outcome(Partial).refund, usd("7.99"));
}

// ---------------------------------------------------------------- R-O5

#[test]
fn r_o5_damage_by_the_buyer_means_no_refund() {
    // Points -20/-5/10/70 -> 0/0/10/70 -> none 87.5% rounds to 87.
    let c = with(c_full(Reason::ReceivedDamaged), &[K::DamagePhoto]);
    let r = received().with_damaged(true).with_damaged_by_buyer(true);
    let p = predict(&facts(), &r, &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [0, 0, 13, 87]);
    assert_eq!(p.likely.kind, Nothing);
    assert_eq!(p.likely.refund.amount, rust_decimal::Decimal::ZERO);
    assert_eq!(p.likely.rule, Rule::O5);
    assert_eq!(
        (
            p.likely.open_api.issue_refund_type(),
            p.likely.open_api.is_return_goods()
        ),
        ("no_amount_refund", "N")
    );
    assert_eq!(
        p.factors.get(FactorId::ReportDamagedByBuyer).unwrap().rule,
        Rule::O5
    );
    // The same claim without the buyer's damage.
    let honest = predict(
        &facts(),
        &received().with_damaged(true),
        &c,
    );
    assert_eq!(honest.likely.kind, Full);
}

#[test]
fn r_o5_filed_past_the_deadline_means_no_refund() {
    // R-E3: confirmed 3 March, the window closed 15 days later (18 March).
    let mut f = facts();
    f.receipt = Some(Receipt {
        at: at("2026-03-03T12:00:00Z"),
        by: ConfirmedBy::Buyer,
    });
    let c = with(
        c_full(Reason::ReceivedQuality),
        &[K::ItemVideo, K::ItemPhoto],
    );
    let r = received().with_defective(true);
    let p = predict(&f, &r, &c);
    check_invariants(&p);
    assert_eq!(p.timeliness, Timeliness::Late);
    assert_eq!(
        p.eligibility_code,
        Some(dispute_rules::Ineligible::ConfirmationWindowPassed)
    );
    assert_eq!(pct(&p), [0, 0, 0, 100]);
    assert_eq!(p.confidence, Confidence::High);
    let late = p.factors.get(FactorId::TimelinessLate).unwrap();
    assert!(late.decisive);
    assert_eq!(late.rule, Rule::O5);
    // The other factors still rank the alternatives.
    assert!(p.outcome(Full).points > p.outcome(Nothing).points);

    // A dispute that was opened in time is judged as filed then.
    let mut f2 = f.clone();
    f2.disputes.push(PriorDispute {
        opened_at: at("2026-03-15T00:00:00Z"),
        status: PriorDisputeStatus::Open,
        closed_at: None,
    });
    let p = predict(&f2, &r, &c);
    assert_eq!(p.timeliness, Timeliness::InTime);
    assert_eq!(p.likely.kind, Full);
    // ... and one opened after the window closed, as late.
    f2.disputes[0].opened_at = at("2026-03-19T00:00:00Z");
    assert_eq!(predict(&f2, &r, &c).timeliness, Timeliness::Late);

    // Not decisive: the policy's `timeliness.late` row instead.
    let mut policy = Policy::aliexpress();
    policy.outcome.decisive.filed_late = false;
    let p = outcome::predict(
        &Case::new(&f)
            .report(&r)
            .claim(Some(&c))
            .seller(SellerBehaviour::Unknown),
        &policy,
        now(),
        Explain::No,
    )
    .unwrap();
    let late = p.factors.get(FactorId::TimelinessLate).unwrap();
    assert!(!late.decisive);
    assert_eq!(late.points.get(Nothing), 100);
    assert_eq!(late.points.get(Full), -200, "full -100, requested -100");
    assert_eq!(p.likely.kind, Nothing);
}

#[test]
fn r_o5_delivered_to_the_right_address_without_proof_means_no_refund() {
    let mut f = facts();
    f.tracking = Tracking::Delivered {
        at: at("2026-03-10T12:00:00Z"),
        to_correct_address: true,
    };
    // Tracking screenshot only (40%): points 15/-/-/100 -> 13/0/0/87.
    let c = with(
        c_full(Reason::NotReceivedDeliveredNotReceived),
        &[K::TrackingScreenshot],
    );
    let p = predict(&f, &not_received(), &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [13, 0, 0, 87]);
    assert_eq!(p.likely.kind, Nothing);
    assert_eq!(
        p.factors
            .get(FactorId::TrackingDeliveredNoProof)
            .unwrap()
            .rule,
        Rule::O5
    );

    // With proof from the postal service (R-V1): 80/-/-/30 -> 73/0/0/27.
    let c = with(c, &[K::PostalProof]);
    let p = predict(&f, &not_received(), &c);
    check_invariants(&p);
    assert_eq!(pct(&p), [73, 0, 0, 27]);
    assert_eq!(p.likely.kind, Full);
    assert!(p.factors.contains(FactorId::TrackingDeliveredWithProof));
    assert!(!p.factors.contains(FactorId::TrackingDeliveredNoProof));
}

#[test]
fn r_e9_barred_lines_get_no_refund() {
    let mut f = facts();
    f.refund_completed_at = Some(at("2026-03-15T00:00:00Z"));
    let p = predict(&f, &received(), &c_full(Reason::ReceivedQuality));
    assert_eq!(p.timeliness, Timeliness::Barred);
    assert_eq!(pct(&p), [0, 0, 0, 100]);
    assert_eq!(
        p.factors.get(FactorId::TimelinessBarred).unwrap().rule,
        Rule::E9
    );
}

#[test]
fn r_e7_an_accepted_claim_is_what_happens() {
    let c = claim(Reason::ReceivedDamaged, Solution::RefundOnly, "4.00");
    let p = run(&facts(), &received(), Some(&c), SellerBehaviour::Accepted).unwrap();
    assert_eq!(p.likely.kind, Partial);
    assert_eq!(p.likely.refund, usd("4.00"));
    assert_eq!(p.likely.likelihood_percent, 100);
    assert_eq!(
        p.factors.get(FactorId::SellerAccepted).unwrap().rule,
        Rule::E7
    );
}

#[test]
fn not_yet_open_still_predicts() {
    let early = at("2026-03-05T00:00:00Z");
    let p = outcome::predict(
        &Case::new(&facts())
            .report(&not_received())
            .claim(Some(&c_full(Reason::NotReceivedNoTracking)))
            .seller(SellerBehaviour::Unknown),
        &Policy::aliexpress(),
        early,
        Explain::No,
    )
    .unwrap();
    assert_eq!(p.timeliness, Timeliness::NotYet);
    assert_eq!(
        p.eligibility_code,
        Some(dispute_rules::Ineligible::TooEarly)
    );
    assert_eq!(p.likely.kind, Full);
}

// ---------------------------------------------------------------- R-O6

#[test]
fn r_o6_every_factor_is_listed_with_its_rule_and_points() {
    let mut f = facts();
    f.unit_price = usd("150.00");
    let c = with(
        claim(
            Reason::ReceivedNotAsDescribed,
            Solution::ReturnAndRefund,
            "150.00",
        ),
        &[K::ItemPhoto],
    );
    let r = received().with_wrong_item(true).with_minor_defect(true);
    let p = run(&f, &r, Some(&c), SellerBehaviour::Refused).unwrap();
    check_invariants(&p);
    assert_eq!(
        p.factors.ids().collect::<Vec<_>>(),
        [
            FactorId::Reason,
            FactorId::Evidence,
            FactorId::SellerRefused,
            FactorId::ReportMinorDefect,
            FactorId::ReportWrongItem,
            FactorId::Value,
        ]
    );
    // The factors' points add up to the outcomes' points.
    for k in [Full, Return, Partial, Nothing] {
        let sum: i32 = p.factors.as_slice().iter().map(|f| f.points.get(k)).sum();
        assert_eq!(sum, p.outcome(k).points, "{k}");
    }
    for x in p.factors.as_slice() {
        assert!(p.rules.contains(x.rule), "{:?}", x.id);
        assert!(x.text.is_none(), "texts only with Explain::Yes");
    }
    // 150 USD: the 100..500 band (more scrutiny).
    let v = p.factors.get(FactorId::Value).unwrap();
    assert_eq!((v.points.get(Full), v.points.get(Nothing)), (-5, 5));
    // The reason's row favours a return here (R-O2).
    assert_eq!(p.factors.get(FactorId::Reason).unwrap().rule, Rule::O2);
    // Refused: requested (return) -10, none +10.
    let s = p.factors.get(FactorId::SellerRefused).unwrap();
    assert_eq!((s.points.get(Return), s.points.get(Nothing)), (-10, 10));
}

#[test]
fn r_o6_value_bands_are_per_currency() {
    let c = c_full(Reason::ReceivedQuality);
    let mut cheap = facts();
    cheap.unit_price = usd("10.00");
    let mut dear = facts();
    dear.unit_price = usd("900.00");
    let (a, b) = (
        predict(&cheap, &received(), &c_at(&c, "10.00")),
        predict(&dear, &received(), &c_at(&c, "900.00")),
    );
    assert!(a.buyer_odds_percent > b.buyer_odds_percent);
    assert_eq!(a.factors.get(FactorId::Value).unwrap().points.get(Full), 5);
    assert_eq!(
        b.factors.get(FactorId::Value).unwrap().points.get(Full),
        -10
    );
    // 003's 7000 won: no table for KRW, no value factor.
    let mut krw = facts();
    krw.unit_price = Money::parse("7000", "KRW").unwrap();
    krw.shipping_cost = Money::parse("0", "KRW").unwrap();
    let mut ck = c_full(Reason::ReceivedQuality);
    ck.refund = Money::parse("7000", "KRW").unwrap();
    let p = predict(&krw, &received(), &ck);
    assert!(!p.factors.contains(FactorId::Value));
}

fn c_at(c: &Claim, amount: &str) -> Claim {
    let mut c = c.clone();
    c.refund = usd(amount);
    c
}

#[test]
fn r_o6_more_evidence_moves_the_odds_towards_the_buyer() {
    let base = c_full(Reason::ReceivedDamaged);
    let r = received().with_damaged(true);
    let none = predict(&facts(), &r, &base);
    let some = predict(&facts(), &r, &with(base.clone(), &[K::DamagePhoto]));
    let all = predict(
        &facts(),
        &r,
        &with(base, &[K::DamagePhoto, K::PackagePhoto]),
    );
    assert_eq!(
        (
            none.evidence_score_percent,
            some.evidence_score_percent,
            all.evidence_score_percent
        ),
        (0, 60, 85)
    );
    assert!(none.buyer_odds_percent < some.buyer_odds_percent);
    assert!(some.buyer_odds_percent < all.buyer_odds_percent);
    assert!(none.likelihood(Full) < all.likelihood(Full));
}

#[test]
fn evidence_score_is_the_checklist_score() {
    let policy = Policy::aliexpress();
    for r in Reason::ALL {
        let c = with(
            claim(*r, Solution::RefundOnly, "19.99"),
            &[K::ItemPhoto, K::UnboxingVideo, K::TrackingScreenshot],
        );
        let want = checklist(*r, &c.evidence, &policy, Explain::No)
            .unwrap()
            .score_percent;
        let rep = if r.is_received() {
            received()
        } else {
            not_received()
        };
        if let Ok(p) = run(&facts(), &rep, Some(&c), SellerBehaviour::Unknown) {
            assert_eq!(p.evidence_score_percent, want, "{r}");
        }
    }
}

// ---------------------------------------------------------------- inputs

#[test]
fn without_a_claim_the_best_suggestion_is_used() {
    let p = run(
        &shortage_facts(),
        &units(17),
        None,
        SellerBehaviour::Unknown,
    )
    .unwrap();
    check_invariants(&p);
    assert!(p.reason_inferred);
    assert_eq!(p.reason, Reason::ReceivedQuantityShortage);
    assert_eq!(p.requested, None);
    assert_eq!(p.likely.kind, Partial);
    assert_eq!(p.likely.refund, usd("5.00"));
    // Nothing points to a reason.
    let e = run(&facts(), &received(), None, SellerBehaviour::Unknown).unwrap_err();
    assert_eq!(fields(&e), ["claim"]);
    // A seller cannot respond to no claim.
    let e = run(&shortage_facts(), &units(17), None, SellerBehaviour::Silent).unwrap_err();
    assert!(matches!(e, Error::InvalidRequest(_)));
    assert_eq!(fields(&e), ["seller"]);
}

#[test]
fn bad_inputs_name_their_fields() {
    let f = facts();
    let mut c = c_full(Reason::NotReceivedNoTracking);
    c.refund = Money::parse("19.99", "EUR").unwrap();
    let e = run(&f, &not_received(), Some(&c), SellerBehaviour::Unknown).unwrap_err();
    assert!(matches!(e, Error::InvalidClaim(_)));
    assert_eq!(fields(&e), ["claim.refund.currency"]);

    let c = claim(
        Reason::NotReceivedNoTracking,
        Solution::ReturnAndRefund,
        "25.00",
    );
    let e = run(&f, &not_received(), Some(&c), SellerBehaviour::Unknown).unwrap_err();
    assert_eq!(fields(&e), ["claim.refund.amount", "claim.solution"]);

    // R-S1 / C-4: goods not received are not refunded in part.
    let c = claim(Reason::NotReceivedNoTracking, Solution::RefundOnly, "5.00");
    let e = run(&f, &not_received(), Some(&c), SellerBehaviour::Unknown).unwrap_err();
    assert_eq!(fields(&e), ["claim.refund.amount"]);

    let mut c = c_full(Reason::ReceivedDamaged);
    c.evidence.push(file(
        dispute_rules::reasons::AttachmentKind::Image,
        "big.png",
        9_000_000,
        K::DamagePhoto,
    ));
    let e = run(&f, &received(), Some(&c), SellerBehaviour::Unknown).unwrap_err();
    assert_eq!(fields(&e), ["claim.evidence[0].size_bytes"]);

    let offer = SellerBehaviour::CounterOffered {
        amount: usd("30.00"),
        return_goods: false,
    };
    let e = run(
        &f,
        &received(),
        Some(&c_full(Reason::ReceivedDamaged)),
        offer,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["seller.amount.amount"]);
    // C-2: an offer with more decimals than the currency has.
    let offer = SellerBehaviour::CounterOffered {
        amount: usd("3.005"),
        return_goods: false,
    };
    let e = run(
        &f,
        &received(),
        Some(&c_full(Reason::ReceivedDamaged)),
        offer,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["seller.amount.amount"]);
    assert!(e.to_string().contains("(C-2)"), "{e}");

    let bad = received().with_units_received(3);
    let e = run(
        &f,
        &bad,
        Some(&c_full(Reason::ReceivedQuantityShortage)),
        SellerBehaviour::Unknown,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["report.units_received"]);

    let mut g = facts();
    g.quantity = 0;
    let e = run(
        &g,
        &received(),
        Some(&c_full(Reason::ReceivedDamaged)),
        SellerBehaviour::Unknown,
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidFacts(_)));
}

#[test]
fn predict_checked_reuses_the_checked_facts() {
    let (f, r) = (shortage_facts(), units(17));
    let c = claim(
        Reason::ReceivedQuantityShortage,
        Solution::RefundOnly,
        "90.00",
    );
    let policy = Policy::aliexpress();
    let checked = f.checked(&policy, now()).unwrap();
    let case = Case::new(&f).report(&r).claim(Some(&c));
    let a = outcome::predict_checked(&checked, &case, Explain::No).unwrap();
    assert_eq!(a, predict(&f, &r, &c));
    // Other facts than the checked ones are refused, not silently ignored.
    let other = facts();
    let e = outcome::predict_checked(
        &checked,
        &Case::new(&other).report(&r).claim(Some(&c)),
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidRequest, "facts".to_owned())
    );
}

#[test]
fn explanations_only_on_request_and_the_same_answer() {
    let c = with(c_full(Reason::ReceivedCounterfeit), &[K::ListingScreenshot]);
    let r = received().with_counterfeit(true);
    let policy = Policy::aliexpress();
    let off = outcome::predict(
        &Case::new(&facts())
            .report(&r)
            .claim(Some(&c))
            .seller(SellerBehaviour::Refused),
        &policy,
        now(),
        Explain::No,
    )
    .unwrap();
    let on = outcome::predict(
        &Case::new(&facts())
            .report(&r)
            .claim(Some(&c))
            .seller(SellerBehaviour::Refused),
        &policy,
        now(),
        Explain::Yes,
    )
    .unwrap();
    assert!(off.explanation.is_none());
    let x = on.explanation.as_ref().unwrap();
    assert!(x.steps().len() >= on.factors.as_slice().len() + 4);
    let text: Vec<&str> = x.steps().iter().map(|s| s.text.as_str()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("most likely: a full refund of `19.99 USD`")),
        "{text:#?}"
    );
    assert!(text
        .iter()
        .any(|t| t.contains("up to 3x the amount paid excluding shipping: `59.97 USD`")));
    assert!(on
        .factors
        .as_slice()
        .iter()
        .all(|f| f.text == Some(f.id.describe())));
    // Same numbers either way.
    let mut stripped = on.clone();
    stripped.explanation = None;
    assert_eq!(
        stripped.outcomes.map(|o| o.likelihood_percent),
        off.outcomes.map(|o| o.likelihood_percent)
    );
    assert_eq!(
        stripped
            .factors
            .as_slice()
            .iter()
            .map(|f| (f.id, f.points))
            .collect::<Vec<_>>(),
        off.factors
            .as_slice()
            .iter()
            .map(|f| (f.id, f.points))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        (stripped.rules, stripped.confidence),
        (off.rules, off.confidence)
    );
}

#[test]
fn deterministic_and_serializable() {
    let c = claim(
        Reason::ReceivedQuantityShortage,
        Solution::RefundOnly,
        "90.00",
    );
    let a = serde_json::to_string(&predict(&shortage_facts(), &units(17), &c)).unwrap();
    let b = serde_json::to_string(&predict(&shortage_facts(), &units(17), &c)).unwrap();
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["likely"]["kind"], "partial_refund");
    assert_eq!(v["likely"]["refund"]["amount"], "5.00");
    assert_eq!(
        v["likely"]["open_api"]["issue_refund_type"],
        "part_amount_refund"
    );
    assert_eq!(v["factors"][0]["id"], "reason");
    assert_eq!(v["factors"][0]["points"]["partial_refund"], 75);
    assert!(v["factors"][0].get("text").is_none());
    assert_eq!(v["timeliness"], "in_time");
    assert_eq!(v["confidence"], "high");
}

#[test]
fn the_busiest_case_keeps_every_factor() {
    // Every row that can apply at once to received goods: reason, evidence,
    // seller, timeliness, five report rows, shortage, value.
    let mut policy = Policy::aliexpress();
    policy.outcome.timeliness.not_yet = dispute_rules::outcome::Weights {
        full: 1,
        with_return: 1,
        partial: 1,
        none: 1,
        requested: 1,
    };
    let mut f = facts();
    f.unit_price = usd("5.00");
    f.quantity = 2;
    let r = received().with_units_received(1).with_damaged(true).with_damaged_by_buyer(true).with_defective(true).with_wrong_item(true).with_counterfeit(true).with_no_longer_wanted(true);
    let c = with(
        claim(Reason::ReceivedDamaged, Solution::RefundOnly, "10.00"),
        &[K::DamagePhoto],
    );
    let offer = SellerBehaviour::CounterOffered {
        amount: usd("3.00"),
        return_goods: false,
    };
    let early = at("2026-03-05T00:00:00Z");
    let p = outcome::predict(
        &Case::new(&f).report(&r).claim(Some(&c)).seller(offer),
        &policy,
        early,
        Explain::No,
    )
    .unwrap();
    check_invariants(&p);
    assert_eq!(
        p.factors.as_slice().len(),
        11,
        "{:?}",
        p.factors.ids().collect::<Vec<_>>()
    );
    assert!(p.factors.as_slice().len() < outcome::MAX_FACTORS);
    for k in [Full, Return, Partial, Nothing] {
        let sum: i32 = p.factors.as_slice().iter().map(|f| f.points.get(k)).sum();
        assert_eq!(sum, p.outcome(k).points, "{k}");
    }
}
