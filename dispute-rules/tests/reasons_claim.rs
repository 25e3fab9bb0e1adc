//! Claim checks: C-4 refund cap, R-S1..R-S3 solutions, R-V2 attachments,
//! R-E9 eligibility, all problems reported together.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

mod reasons_common;

use dispute_rules::reasons::{
    check_claim, AttachmentKind, BuyerReport, Claim, ClaimCheck, EvidenceKind, Payer, Reason,
    RefundRelease, RefundType, Solution,
};
use dispute_rules::{Error, Explain, OrderFacts, Policy, Rule};
use reasons_common::*;

fn check(f: &OrderFacts, c: &Claim) -> Result<ClaimCheck, Error> {
    check_claim(f, None, c, &Policy::aliexpress(), now(), Explain::No)
}

fn err(f: &OrderFacts, c: &Claim) -> Error {
    let e = check(f, c).unwrap_err();
    assert!(matches!(e, Error::InvalidClaim(_)), "{e}");
    e
}

use Reason::*;
use Solution::*;

#[test]
fn c4_cap_is_price_plus_shipping_less_coupon() {
    let f = priced_facts(); // 2 x 10.00 + 3.50 - 2.00 = 21.50
    let ok = check(&f, &claim(ReceivedQuality, RefundOnly, "21.50")).unwrap();
    assert_eq!(ok.full_amount, usd("21.50"));
    assert_eq!(ok.refund_type, RefundType::Full);
    assert!(ok.rules.contains(Rule::C4));
    let e = err(&f, &claim(ReceivedQuality, RefundOnly, "21.51"));
    assert_eq!(fields(&e), ["claim.refund.amount"]);
    assert!(e.to_string().contains("exceeds the cap `21.50 USD`"), "{e}");
    // Without the coupon the cap would be 23.50: the coupon is not refundable.
    let e = err(&f, &claim(ReceivedQuality, RefundOnly, "23.50"));
    assert_eq!(fields(&e), ["claim.refund.amount"]);
}

#[test]
fn c4_not_received_means_the_full_amount() {
    let f = priced_facts();
    let e = err(&f, &claim(NotReceivedNoTracking, RefundOnly, "10.00"));
    assert_eq!(fields(&e), ["claim.refund.amount"]);
    assert!(
        e.to_string().contains("refunded in full: `21.50 USD`"),
        "{e}"
    );
    let ok = check(&f, &claim(NotReceivedNoTracking, RefundOnly, "21.5")).unwrap();
    assert_eq!(ok.refund_type, RefundType::Full);
    for r in Reason::ALL.iter().filter(|r| !r.is_received()) {
        let c = claim(*r, RefundOnly, "21.49");
        assert!(
            fields(&check(&f, &c).unwrap_err()).contains(&"claim.refund.amount".to_owned()),
            "{r}"
        );
    }
}

#[test]
fn partial_refund_is_strictly_below_the_full_amount() {
    let f = priced_facts();
    let ok = check(&f, &claim(ReceivedQuality, RefundOnly, "5.00")).unwrap();
    assert_eq!(ok.refund_type, RefundType::Partial);
    assert_eq!(ok.interop.open_api_issue_refund_type, "part_amount_refund");
    let e = err(
        &f,
        &claim_typed(ReceivedQuality, RefundOnly, "21.50", RefundType::Partial),
    );
    assert_eq!(fields(&e), ["claim.refund_type"]);
    let e = err(
        &f,
        &claim_typed(ReceivedQuality, RefundOnly, "21.00", RefundType::Full),
    );
    assert_eq!(fields(&e), ["claim.refund_type"]);
    for amount in ["0", "-1.00"] {
        let e = err(&f, &claim(ReceivedQuality, RefundOnly, amount));
        assert_eq!(fields(&e), ["claim.refund.amount"], "{amount}");
    }
}

#[test]
fn currency_must_be_the_lines() {
    let mut c = claim(ReceivedQuality, RefundOnly, "19.99");
    c.refund.currency = dispute_rules::Currency::new("EUR").unwrap();
    let e = err(&facts(), &c);
    assert_eq!(fields(&e), ["claim.refund.currency"]);
    assert_eq!(
        e.problems()[0].message(),
        "`EUR` is not the line's currency `USD` (C-2)"
    );
}

#[test]
fn r_s1_solution_allowed_for_the_reason() {
    let f = facts();
    // Goods not received cannot be returned.
    let e = err(&f, &claim(NotReceivedCustomsHold, ReturnAndRefund, "19.99"));
    assert_eq!(fields(&e), ["claim.solution"]);
    assert!(e.to_string().contains("allowed: refund_only"), "{e}");
    // Buyer's remorse is a return (001).
    let e = err(&f, &claim(ReceivedBuyerRemorse, RefundOnly, "19.99"));
    assert_eq!(fields(&e), ["claim.solution"]);
    assert!(check(&f, &claim(ReceivedBuyerRemorse, ReturnAndRefund, "19.99")).is_ok());
    // Return goods is for a full refund.
    let e = err(&f, &claim(ReceivedNotAsDescribed, ReturnAndRefund, "9.99"));
    assert_eq!(fields(&e), ["claim.refund.amount"]);
    let mut p = Policy::aliexpress();
    p.reasons.return_means_full_refund = false;
    let c = claim(ReceivedNotAsDescribed, ReturnAndRefund, "9.99");
    assert!(check_claim(&f, None, &c, &p, now(), Explain::No).is_ok());
    // Buyer's remorse allows no partial refund.
    let e = err(&f, &claim(ReceivedBuyerRemorse, ReturnAndRefund, "9.99"));
    assert_eq!(fields(&e), ["claim.refund.amount"]);
}

#[test]
fn r_s2_return_shipping_payer_by_fault_and_legacy() {
    let f = facts();
    let c = claim(ReceivedNotAsDescribed, ReturnAndRefund, "19.99");
    let ok = check(&f, &c).unwrap();
    assert_eq!(ok.return_shipping_payer, Some(Payer::Seller));
    assert!(ok.seller_at_fault && ok.rules.contains(Rule::S2));
    let remorse = check(&f, &claim(ReceivedBuyerRemorse, ReturnAndRefund, "19.99")).unwrap();
    assert_eq!(remorse.return_shipping_payer, Some(Payer::Buyer));
    assert!(!remorse.seller_at_fault);
    // Legacy (000): the buyer pays in general.
    let mut c2 = c.clone();
    c2.evidence.push(photo(EvidenceKind::ItemPhoto));
    let legacy = check_claim(
        &f,
        None,
        &c2,
        &Policy::aliexpress_legacy(),
        now(),
        Explain::No,
    )
    .unwrap();
    assert_eq!(legacy.return_shipping_payer, Some(Payer::Buyer));
    // No return, no payer.
    assert_eq!(
        check(&f, &claim(ReceivedQuality, RefundOnly, "5"))
            .unwrap()
            .return_shipping_payer,
        None
    );
}

#[test]
fn r_s3_return_refund_waits_for_the_seller_to_confirm_receipt() {
    let f = facts();
    let ret = check(&f, &claim(ReceivedQuality, ReturnAndRefund, "19.99")).unwrap();
    assert_eq!(ret.refund_released, RefundRelease::OnSellerConfirmingReturn);
    assert!(ret.return_goods && ret.rules.contains(Rule::S3));
    assert_eq!(ret.interop.open_api_is_return_goods, "Y");
    let only = check(&f, &claim(ReceivedQuality, RefundOnly, "19.99")).unwrap();
    assert_eq!(only.refund_released, RefundRelease::OnResolution);
    assert!(!only.rules.contains(Rule::S3));
    assert_eq!(only.interop.open_api_is_return_goods, "N");
}

#[test]
fn r_e9_the_line_must_be_eligible() {
    let f = facts();
    let c = claim(NotReceivedNoTracking, RefundOnly, "19.99");
    let e = check_claim(
        &f,
        None,
        &c,
        &Policy::aliexpress(),
        at("2026-03-05T00:00:00Z"),
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["eligibility"]);
    assert!(e.problems()[0].message().starts_with("`too_early`"), "{e}");
    let mut f2 = facts();
    f2.refund_completed_at = Some(at("2026-03-18T00:00:00Z"));
    let e = err(&f2, &c);
    assert!(
        e.problems()[0].message().starts_with("`refund_complete`"),
        "{e}"
    );
}

#[test]
fn r_r15_claim_needs_a_cancellation_and_skips_the_shipping_timer() {
    let mut f = facts();
    f.shipped_at = None;
    f.order_cancelled_at = Some(at("2026-03-02T00:00:00Z"));
    let c = claim(NotReceivedNoRefundAfterCancellation, RefundOnly, "19.99");
    let ok = check(&f, &c).unwrap();
    assert_eq!(ok.interop.paypal, Some("CREDIT_NOT_PROCESSED"));
    // The policy may make it wait for the timer like every other reason.
    let mut p = Policy::aliexpress();
    p.reasons.cancellation_skips_timer = false;
    let e = check_claim(&f, None, &c, &p, now(), Explain::No).unwrap_err();
    assert!(
        e.problems()[0].message().starts_with("`not_shipped`"),
        "{e}"
    );
    // Other reasons are blocked on an unshipped order.
    let e = err(&f, &claim(NotReceivedNoTracking, RefundOnly, "19.99"));
    assert_eq!(fields(&e), ["eligibility"]);
    // No cancellation, no R-R15.
    let e = err(&facts(), &c);
    assert_eq!(fields(&e), ["claim.reason"]);
}

#[test]
fn r_r15_skips_only_the_timer_codes() {
    // An unshipped, cancelled order: the codes after `not_shipped` still
    // refuse an R-R15 claim (R-E9's order: refund complete, closed by
    // agreement, dispute already open, reopen limit).
    let mut f = facts();
    f.shipped_at = None;
    f.order_cancelled_at = Some(at("2026-03-02T00:00:00Z"));
    let c = claim(NotReceivedNoRefundAfterCancellation, RefundOnly, "19.99");
    let code = |f: &OrderFacts| {
        let e = err(f, &c);
        assert_eq!(fields(&e), ["eligibility"]);
        e.problems()[0]
            .message()
            .split('`')
            .nth(1)
            .unwrap()
            .to_owned()
    };
    let mut refunded = f.clone();
    refunded.refund_completed_at = Some(at("2026-03-05T00:00:00Z"));
    assert_eq!(code(&refunded), "refund_complete");
    let prior = |status| dispute_rules::facts::PriorDispute {
        opened_at: at("2026-03-03T00:00:00Z"),
        status,
        closed_at: None,
    };
    let mut open = f.clone();
    open.disputes
        .push(prior(dispute_rules::facts::PriorDisputeStatus::Open));
    assert_eq!(code(&open), "dispute_already_open");
    // The lifecycle refuses it with the same code.
    let request = dispute_rules::lifecycle::ClaimRequest {
        reason: c.reason,
        solution: c.solution,
        refund: c.refund,
    };
    let e = dispute_rules::Dispute::open(&open, &Policy::aliexpress(), request, now()).unwrap_err();
    assert!(
        matches!(&e, Error::IllegalTransition(t) if t.code() == Some("dispute_already_open")),
        "{e}"
    );
    // Without them, the claim goes through, and a dispute opens: the line
    // has no protection window, so only the reopen limit bounds a reopen.
    let d = dispute_rules::Dispute::open(&f, &Policy::aliexpress(), request, now()).unwrap();
    assert_eq!(d.line().reopenable_until, at("9999-12-31T23:59:59Z"));
    assert!(d.line().order_cancelled);
}

#[test]
fn report_must_agree_with_the_reason() {
    let f = facts();
    let rep = BuyerReport::new().with_received(true);
    let c = claim(NotReceivedNoTracking, RefundOnly, "19.99");
    let e = check_claim(
        &f,
        Some(&rep),
        &c,
        &Policy::aliexpress(),
        now(),
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["claim.reason"]);
    let rep = BuyerReport::new().with_received(false);
    let c = claim(ReceivedDamaged, RefundOnly, "5");
    let e = check_claim(
        &f,
        Some(&rep),
        &c,
        &Policy::aliexpress(),
        now(),
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["claim.reason"]);
}

#[test]
fn r_r10_shortage_values_the_missing_units() {
    let mut f = facts();
    f.unit_price = usd("1.11");
    f.quantity = 18;
    let rep = BuyerReport::new().with_units_received(17);
    let mut c = claim(ReceivedQuantityShortage, RefundOnly, "1.11");
    c.evidence.push(video(EvidenceKind::UnboxingVideo));
    let ok = check_claim(
        &f,
        Some(&rep),
        &c,
        &Policy::aliexpress(),
        now(),
        Explain::No,
    )
    .unwrap();
    assert_eq!(ok.missing_units_value, Some(usd("1.11")));
    assert_eq!(ok.refund_type, RefundType::Partial);
    assert!(ok.rules.contains(Rule::O4));
    assert_eq!(ok.checklist.score_percent, 50);
    let rep = BuyerReport::new().with_units_received(18);
    let e = check_claim(
        &f,
        Some(&rep),
        &c,
        &Policy::aliexpress(),
        now(),
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(&e), ["claim.reason"]);
}

#[test]
fn r_v2_attachments_in_a_claim_name_their_index() {
    let mut c = claim(ReceivedDamaged, RefundOnly, "5");
    c.evidence = vec![
        photo(EvidenceKind::DamagePhoto),
        photo(EvidenceKind::PackagePhoto),
        file(
            AttachmentKind::Image,
            "big.png",
            3_000_000,
            EvidenceKind::DamagePhoto,
        ),
    ];
    let e = err(&facts(), &c);
    assert_eq!(fields(&e), ["claim.evidence[2].size_bytes"]);
}

#[test]
fn legacy_requires_attachments_when_received() {
    let p = Policy::aliexpress_legacy();
    let c = claim(ReceivedDamaged, RefundOnly, "5");
    let e = check_claim(&facts(), None, &c, &p, now(), Explain::No).unwrap_err();
    assert_eq!(fields(&e), ["claim.evidence"]);
    // Optional when not received.
    let c = claim(NotReceivedNoTracking, RefundOnly, "19.99");
    assert!(check_claim(&facts(), None, &c, &p, now(), Explain::No).is_ok());
    // The default does not require them (003: a refund without attachments).
    assert!(check(&facts(), &claim(ReceivedDamaged, RefundOnly, "5")).is_ok());
}

#[test]
fn every_problem_is_reported_together() {
    let mut c = claim(NotReceivedCustomsHold, ReturnAndRefund, "500");
    c.refund.currency = dispute_rules::Currency::new("EUR").unwrap();
    c.evidence = vec![
        photo(EvidenceKind::TrackingScreenshot),
        file(
            AttachmentKind::Image,
            "scan.webp",
            10,
            EvidenceKind::CustomsNotice,
        ),
        file(
            AttachmentKind::Video,
            "v.mp4",
            300 * 1024 * 1024,
            EvidenceKind::ItemPhoto,
        ),
    ];
    let e = check_claim(
        &facts(),
        None,
        &c,
        &Policy::aliexpress(),
        at("2026-03-05T00:00:00Z"),
        Explain::No,
    )
    .unwrap_err();
    let f = fields(&e);
    for want in [
        "claim.solution",
        "claim.refund.currency",
        "claim.refund.amount",
        "claim.evidence[1].format",
        "claim.evidence[2].size_bytes",
        "claim.evidence[2].shows",
        "eligibility",
    ] {
        assert!(f.contains(&want.to_owned()), "{want} missing in {f:?}");
    }
}

#[test]
fn invalid_facts_are_an_invalid_facts_error() {
    let mut f = facts();
    f.shipping_cost = Money::parse("1", "EUR").unwrap();
    let e = check(&f, &claim(ReceivedQuality, RefundOnly, "5")).unwrap_err();
    assert!(matches!(e, Error::InvalidFacts(_)));
}

use dispute_rules::Money;

#[test]
fn claim_json_refuses_unknown_fields_and_round_trips() {
    let json = r#"{"reason": "received.quantity_shortage", "solution": "refund_only",
        "refund": {"amount": "1.11", "currency": "USD"},
        "evidence": [{"kind": "video", "file_name": "u.mp4", "format": "mp4", "size_bytes": 1000, "shows": "unboxing_video"}]}"#;
    let c = Claim::from_json(json).unwrap();
    assert_eq!(c.reason, ReceivedQuantityShortage);
    assert_eq!(c.evidence[0].shows, EvidenceKind::UnboxingVideo);
    let back = Claim::from_json(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    let e = Claim::from_json(r#"{"reason": "received.quality", "solution": "refund_only", "refund": {"amount": "1", "currency": "USD"}, "return": true}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `return`"), "{e}");
    let e = Claim::from_json(r#"{"reason": "received.bad", "solution": "refund_only", "refund": {"amount": "1", "currency": "USD"}}"#).unwrap_err();
    assert_eq!(fields(&e), ["reason"]);
}

#[test]
fn explanation_only_when_asked() {
    let c = claim(ReceivedQuality, ReturnAndRefund, "19.99");
    assert!(check(&facts(), &c).unwrap().explanation.is_none());
    let x = check_claim(
        &facts(),
        None,
        &c,
        &Policy::aliexpress(),
        now(),
        Explain::Yes,
    )
    .unwrap();
    let steps = x.explanation.unwrap();
    assert!(steps.steps().iter().any(|s| s.rule == Rule::S3));
    assert!(steps.steps().iter().any(|s| s.rule == Rule::C4));
}
