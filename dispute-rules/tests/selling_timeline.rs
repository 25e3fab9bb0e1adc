//! The seller's timeline, platform by platform: each selling-side rule id
//! with a case that would catch it being wrong.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::selling::timeline::{
    Entry, Milestone, Origin, SellerActionKind, SellerTimeline,
};
use dispute_rules::selling::{
    seller_timeline, CustomerDispute, CustomerOrder, SellingPolicy, SellingRule as R,
};
use dispute_rules::{Error, Explain};
use serde_json::{json, Value};

fn merge(mut base: Value, extra: &Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn order(platform: &str, extra: Value) -> CustomerOrder {
    let base = json!({"schema_version": 1, "order_id": "S-9", "platform": platform,
        "amount": {"amount": "59.90", "currency": "USD"}, "paid_at": "2026-03-01T10:00:00Z"});
    CustomerOrder::from_json(&merge(base, &extra).to_string()).unwrap()
}

fn dispute(reason: &str, stage: &str, extra: Value) -> CustomerDispute {
    let base = json!({"reason": reason, "stage": stage, "opened_at": "2026-04-01T12:00:00Z"});
    CustomerDispute::from_json(&merge(base, &extra).to_string()).unwrap()
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    s.parse().unwrap()
}

fn tl(o: &CustomerOrder, d: Option<&CustomerDispute>, now: &str) -> SellerTimeline {
    let p = SellingPolicy::for_platform(o.platform);
    seller_timeline(o, d, &p, at(now), None, Explain::Yes).unwrap()
}

fn get(t: &SellerTimeline, m: Milestone) -> Entry {
    *t.get(m)
        .unwrap_or_else(|| panic!("no {m:?} in {:#?}", t.entries))
}

fn utc(e: Entry) -> String {
    e.at.utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn fields(e: Error) -> Vec<String> {
    e.problems().iter().map(|p| p.field().to_owned()).collect()
}

const NR: &str = "MERCHANDISE_OR_SERVICE_NOT_RECEIVED";
const SNAD: &str = "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED";
const NOW: &str = "2026-04-02T00:00:00Z";

// --- PayPal ----------------------------------------------------------------

#[test]
fn paypal_windows_count_utc_days_from_payment() {
    // P-W1, P-T1, BB-5: 180 UTC days: no daylight-saving hour, unlike C-1 in
    // Los Angeles (which would end at 09:00Z).
    let t = tl(&order("paypal", json!({})), None, NOW);
    assert_eq!(
        utc(get(&t, Milestone::FilingWindowCloses)),
        "2026-08-28T10:00:00Z"
    );
    assert_eq!(get(&t, Milestone::FilingWindowCloses).rule, R::PW1);
    assert!(t.rules.contains(R::PT1));
    // Without a dispute: the windows of both families (PayPal: the same one).
    assert_eq!(t.windows.len(), 2);
    assert!(t.windows.iter().all(|w| w.open_now));
}

#[test]
fn paypal_inquiry_deadlines() {
    let o = order("paypal", json!({}));
    let t = tl(&o, Some(&dispute(NR, "inquiry", json!({}))), NOW);
    // P-L4 fallback, flagged; P-W2 20 days; P-W3 7 days from payment (not received only).
    let r = get(&t, Milestone::SellerResponse);
    assert_eq!(
        (utc(r).as_str(), r.rule, r.origin),
        ("2026-04-11T12:00:00Z", R::PL4, Origin::Computed)
    );
    assert_eq!(
        utc(get(&t, Milestone::EscalationCloses)),
        "2026-04-21T12:00:00Z"
    );
    assert_eq!(
        utc(get(&t, Milestone::EscalationOpens)),
        "2026-03-08T10:00:00Z"
    );
    assert_eq!(get(&t, Milestone::EscalationOpens).rule, R::PW3);
    let snad = tl(&o, Some(&dispute(SNAD, "inquiry", json!({}))), NOW);
    assert!(
        snad.get(Milestone::EscalationOpens).is_none(),
        "P-W3 is for not received"
    );
    assert_eq!(
        t.next_deadline.unwrap().milestone,
        Milestone::SellerResponse
    );
    assert!(t.rules.contains(R::BB3) && t.rules.contains(R::BB5));
}

#[test]
fn paypal_inquiry_only_for_not_received_and_not_as_described() {
    // P-W5: an unauthorized dispute starts as a claim.
    let o = order("paypal", json!({}));
    let p = SellingPolicy::preset("paypal").unwrap();
    let d = dispute("UNAUTHORISED", "inquiry", json!({}));
    let e = seller_timeline(&o, Some(&d), &p, at(NOW), None, Explain::No).unwrap_err();
    assert_eq!(fields(e.clone()), ["customer_dispute.stage"]);
    assert!(e.to_string().contains("P-W5"), "{e}");
    assert!(seller_timeline(
        &o,
        Some(&dispute("UNAUTHORISED", "claim", json!({}))),
        &p,
        at(NOW),
        None,
        Explain::No
    )
    .is_ok());
}

#[test]
fn paypal_claim_stage() {
    // P-L1 (the API's CHARGEBACK stage), P-L4, P-L5.
    let p = SellingPolicy::preset("paypal").unwrap();
    assert_eq!(p.stage("claim").unwrap().api_name, "CHARGEBACK");
    let d = dispute(
        NR,
        "claim",
        json!({"stage_started_at": "2026-04-01T20:00:00Z"}),
    );
    let t = tl(&order("paypal", json!({})), Some(&d), NOW);
    assert_eq!(
        utc(get(&t, Milestone::StageStarted)),
        "2026-04-01T20:00:00Z"
    );
    assert_eq!(
        utc(get(&t, Milestone::SellerResponse)),
        "2026-04-11T20:00:00Z"
    );
    let dec = get(&t, Milestone::PlatformDecision);
    assert_eq!(
        (utc(dec).as_str(), dec.rule),
        ("2026-05-01T20:00:00Z", R::PL5)
    );
    assert_eq!(
        t.decision_at.unwrap().milestone,
        Milestone::PlatformDecision
    );
    assert!(t.rules.contains(R::PL1));
    let e = seller_timeline(
        &order("paypal", json!({})),
        Some(&dispute(NR, "appeal", json!({}))),
        &p,
        at(NOW),
        None,
        Explain::No,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("known: inquiry, claim, pre_arbitration, arbitration"),
        "{e}"
    );
}

#[test]
fn paypal_reasons_map_to_families_and_supplier_reasons() {
    // P-R1 and the library's reasons.
    let p = SellingPolicy::preset("paypal").unwrap();
    let fam = |code: &str| serde_json::to_value(p.reason(code).unwrap().family).unwrap();
    assert_eq!(fam(NR), "not_received");
    assert_eq!(fam(SNAD), "not_as_described");
    assert_eq!(fam("UNAUTHORISED"), "unauthorized");
    assert_eq!(fam("CREDIT_NOT_PROCESSED"), "credit_not_processed");
    assert_eq!(fam("DUPLICATE_TRANSACTION"), "other");
    assert_eq!(
        p.reason("CREDIT_NOT_PROCESSED").unwrap().supplier_reasons[0].code(),
        "not_received.no_refund_after_cancellation"
    );
    assert!(p
        .reason("UNAUTHORISED")
        .unwrap()
        .supplier_reasons
        .is_empty());
    let e = seller_timeline(
        &order("paypal", json!({})),
        Some(&dispute("ITEM_NOT_RECEIVED", "claim", json!({}))),
        &p,
        at(NOW),
        None,
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(e), ["customer_dispute.reason"]);
}

#[test]
fn paypal_evidence_protection_and_signature() {
    let o = order("paypal", json!({}));
    let t = tl(&o, Some(&dispute(NR, "inquiry", json!({}))), NOW);
    let ids: Vec<&str> = t.evidence.items.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tracking_online",
            "tracking_to_transaction_address",
            "delivery_signature"
        ]
    );
    assert_eq!(
        t.evidence.items[0].api_name.as_deref(),
        Some("PROOF_OF_FULFILLMENT")
    ); // P-V3
    assert_eq!(t.evidence.items[1].rule, R::PV2);
    assert_eq!(t.evidence.seller_protection, Some(true)); // P-R2
    assert_eq!(t.evidence.signature.required, Some(false)); // P-V1
    let snad = tl(&o, Some(&dispute(SNAD, "inquiry", json!({}))), NOW);
    assert_eq!(
        snad.evidence.seller_protection,
        Some(false),
        "P-R2: not as described is not covered"
    );
    assert!(snad
        .evidence
        .items
        .iter()
        .any(|e| e.id == "return_tracking" && e.rule == R::PV4));
    let cnp = tl(
        &o,
        Some(&dispute("CREDIT_NOT_PROCESSED", "claim", json!({}))),
        NOW,
    );
    assert!(cnp
        .evidence
        .items
        .iter()
        .any(|e| e.api_name.as_deref() == Some("PROOF_OF_REFUND")));
    // P-V1: USD 750 or more needs a signature; other currencies: unknown.
    let sig = |amount: &str, cur: &str| {
        let o = order(
            "paypal",
            json!({"amount": {"amount": amount, "currency": cur}}),
        );
        tl(&o, Some(&dispute(NR, "inquiry", json!({}))), NOW)
            .evidence
            .signature
            .required
    };
    assert_eq!(sig("750.00", "USD"), Some(true));
    assert_eq!(sig("749.99", "USD"), Some(false));
    assert_eq!(sig("900", "EUR"), None);
}

#[test]
fn paypal_fees() {
    let t = |amount: &str, extra: Value, reason: &str| {
        let o = order(
            "paypal",
            merge(
                json!({"amount": {"amount": amount, "currency": "USD"}}),
                &extra,
            ),
        );
        tl(&o, Some(&dispute(reason, "claim", json!({}))), NOW).exposure
    };
    // P-F1/P-F3: standard USD 20 by default; high volume USD 30.
    let std = t("59.90", json!({}), NR);
    assert_eq!(std.total_if_lost.amount.to_string(), "79.90");
    assert_eq!(
        (std.fees[0].rule, std.fees[0].tier.as_deref()),
        (R::PF3, Some("standard"))
    );
    assert!(std.rules.contains(R::PF1) && std.rules.contains(R::PF2) && std.rules.contains(R::PF4));
    let hv = t("59.90", json!({"fee_tier": "high_volume"}), NR);
    assert_eq!(hv.total_if_lost.amount.to_string(), "89.90");
    // P-F2: under twice the standard fee, no fee; unauthorized: none either.
    let small = t("39.90", json!({}), NR);
    assert!(small.fees[0].waived);
    assert_eq!(small.total_if_lost.amount.to_string(), "39.90");
    assert!(t("59.90", json!({}), "UNAUTHORISED").fees.is_empty());
    // The high-volume fee is not waived by the amount.
    assert!(!t("39.90", json!({"fee_tier": "high_volume"}), NR).fees[0].waived);
    // No conversion: a EUR order has no known PayPal fee.
    let o = order(
        "paypal",
        json!({"amount": {"amount": "59.90", "currency": "EUR"}}),
    );
    let eur = tl(&o, Some(&dispute(NR, "claim", json!({}))), NOW).exposure;
    assert!(eur.fees.is_empty() && eur.fees_unknown);
    let p = SellingPolicy::preset("paypal").unwrap();
    let e = seller_timeline(
        &order("paypal", json!({"fee_tier": "gold"})),
        None,
        &p,
        at(NOW),
        None,
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(e.clone()), ["customer_order.fee_tier"]);
    assert!(e.to_string().contains("known: standard, high_volume"));
}

#[test]
fn paypal_offers_and_appeals() {
    // P-W4: an offer lapses after 10 days.
    let d = dispute(
        NR,
        "claim",
        json!({"offer_made_at": "2026-04-01T18:00:00Z"}),
    );
    let t = tl(&order("paypal", json!({})), Some(&d), NOW);
    let lapse = get(&t, Milestone::OfferLapses);
    assert_eq!(
        (utc(lapse).as_str(), lapse.rule),
        ("2026-04-11T18:00:00Z", R::PW4)
    );
    // P-F5: closed cases: only the appeal window, 10 days.
    let d = dispute(NR, "claim", json!({"closed_at": "2026-04-01T18:00:00Z"}));
    let t = tl(&order("paypal", json!({})), Some(&d), NOW);
    assert!(t.get(Milestone::SellerResponse).is_none() && t.response_due.is_none());
    let appeal = get(&t, Milestone::AppealCloses);
    assert_eq!(
        (utc(appeal).as_str(), appeal.rule),
        ("2026-04-11T18:00:00Z", R::PF5)
    );
    assert_eq!(t.next_actions[0].kind, SellerActionKind::Appeal);
}

// --- cards: Stripe, Shopify Payments -------------------------------------------

fn card_window(
    platform: &str,
    reason: &str,
    extra_d: Value,
    extra_o: Value,
) -> (Option<String>, Option<R>) {
    let o = order(platform, extra_o);
    let t = tl(&o, Some(&dispute(reason, "chargeback", extra_d)), NOW);
    let w = t.windows[0];
    (
        w.closes_at
            .map(|m| m.utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        w.closes_rule,
    )
}

#[test]
fn card_network_windows() {
    let visa = json!({"network": "visa"});
    // S-N2: 120 days after the later of processing and expected delivery, at most 540.
    assert_eq!(
        card_window(
            "stripe",
            "product_not_received",
            visa.clone(),
            json!({"expected_delivery": "2026-03-20"})
        ),
        (Some("2026-07-19T00:00:00Z".into()), Some(R::SN2))
    );
    assert_eq!(
        card_window(
            "stripe",
            "product_not_received",
            visa.clone(),
            json!({"expected_delivery": "2027-06-01"})
        ),
        (Some("2027-08-24T00:00:00Z".into()), Some(R::SN2)),
        "540 days after payment come first"
    );
    // S-N3: not as described, from the delivery.
    assert_eq!(
        card_window(
            "stripe",
            "product_unacceptable",
            visa,
            json!({"delivered_at": "2026-03-10T15:00:00Z"})
        ),
        (Some("2026-07-09T00:00:00Z".into()), Some(R::SN3))
    );
    // S-N4: Mastercard; S-N1: any other network, or none given.
    assert_eq!(
        card_window(
            "stripe",
            "product_not_received",
            json!({"network": "mastercard"}),
            json!({})
        )
        .1,
        Some(R::SN4)
    );
    assert_eq!(
        card_window(
            "shopify_payments",
            "PRODUCT_NOT_RECEIVED",
            json!({"network": "amex"}),
            json!({})
        ),
        (Some("2026-06-30T00:00:00Z".into()), Some(R::SN1))
    );
    assert_eq!(
        card_window("stripe", "product_not_received", json!({}), json!({})).1,
        Some(R::SN1)
    );
}

#[test]
fn card_reason_codes() {
    // S-R2: the network code wins over the processor's category.
    let o = order("stripe", json!({}));
    let d = dispute(
        "general",
        "chargeback",
        json!({"network": "visa", "network_reason_code": "13.1"}),
    );
    let t = tl(&o, Some(&d), NOW);
    let r = t.reason.as_ref().unwrap();
    assert_eq!(
        (serde_json::to_value(r.family).unwrap(), r.rule),
        (json!("not_received"), R::SR2)
    );
    let d = dispute(
        "general",
        "chargeback",
        json!({"network": "visa", "network_reason_code": "13.4"}),
    );
    assert_eq!(
        tl(&o, Some(&d), NOW).reason.unwrap().supplier_reasons[0].code(),
        "received.counterfeit"
    );
    // S-R1, H-R1: the processors' own codes.
    let d = dispute("fraudulent", "chargeback", json!({}));
    assert_eq!(tl(&o, Some(&d), NOW).reason.unwrap().rule, R::SR1);
    let h = order("shopify_payments", json!({}));
    let d = dispute("PRODUCT_UNACCEPTABLE", "chargeback", json!({}));
    let r = tl(&h, Some(&d), NOW).reason.unwrap();
    assert_eq!(
        (serde_json::to_value(r.family).unwrap(), r.rule),
        (json!("not_as_described"), R::HR1)
    );
    // Mastercard 4855: not received (S-N4).
    let d = dispute(
        "general",
        "chargeback",
        json!({"network": "mastercard", "network_reason_code": "4855"}),
    );
    assert_eq!(tl(&o, Some(&d), NOW).reason.unwrap().rule, R::SN4);
    // Bad codes are named.
    let p = SellingPolicy::preset("stripe").unwrap();
    let d = dispute(
        "general",
        "chargeback",
        json!({"network": "visa", "network_reason_code": "99.9"}),
    );
    assert_eq!(
        fields(seller_timeline(&o, Some(&d), &p, at(NOW), None, Explain::No).unwrap_err()),
        ["customer_dispute.network_reason_code"]
    );
    let d = dispute(
        "general",
        "chargeback",
        json!({"network_reason_code": "13.1"}),
    );
    assert_eq!(
        fields(seller_timeline(&o, Some(&d), &p, at(NOW), None, Explain::No).unwrap_err()),
        ["customer_dispute.network_reason_code"]
    );
    let pp = SellingPolicy::preset("paypal").unwrap();
    let d = dispute(NR, "claim", json!({"network": "visa"}));
    assert_eq!(
        fields(
            seller_timeline(
                &order("paypal", json!({})),
                Some(&d),
                &pp,
                at(NOW),
                None,
                Explain::No
            )
            .unwrap_err()
        ),
        ["customer_dispute.network"]
    );
}

#[test]
fn stripe_deadlines_and_fees() {
    let o = order("stripe", json!({}));
    // S-L2: without due_by, 7 days, flagged low; S-L5 decision 75 days after it.
    let t = tl(
        &o,
        Some(&dispute("product_not_received", "chargeback", json!({}))),
        NOW,
    );
    let r = get(&t, Milestone::SellerResponse);
    assert_eq!(
        (utc(r).as_str(), r.rule, r.origin),
        ("2026-04-08T12:00:00Z", R::SL2, Origin::Computed)
    );
    assert_eq!(
        utc(get(&t, Milestone::PlatformDecision)),
        "2026-06-22T12:00:00Z"
    );
    assert!(t.rules.contains(R::ST1));
    // S-L1: the issuer allows no response.
    let t = tl(
        &o,
        Some(&dispute(
            "product_not_received",
            "chargeback",
            json!({"no_response_allowed": true}),
        )),
        NOW,
    );
    assert!(t.response_due.is_none());
    assert_eq!(t.next_actions[0].kind, SellerActionKind::NoResponsePossible);
    assert!(t.rules.contains(R::SL1) && t.rules.contains(R::BB4));
    // An inquiry takes no fee; a chargeback takes the dispute fee (S-F1) and,
    // for disputes from 17 June 2025, the counter fee (S-F2).
    let inquiry = tl(
        &o,
        Some(&dispute("product_not_received", "inquiry", json!({}))),
        NOW,
    );
    assert!(inquiry.exposure.fees.is_empty());
    let old = order("stripe", json!({"paid_at": "2025-05-01T10:00:00Z"}));
    let d = dispute(
        "product_not_received",
        "chargeback",
        json!({"opened_at": "2025-06-16T12:00:00Z"}),
    );
    let t = tl(&old, Some(&d), NOW);
    assert_eq!(t.exposure.fees.len(), 1);
    assert!(t.exposure.fees[0]
        .waived_if
        .contains(&dispute_rules::selling::policy::Waiver::RefundedBeforeDispute)); // S-V3
    assert!(t.exposure.rules.contains(R::SV3) && t.exposure.rules.contains(R::SF3));
    // S-V1/S-V2 evidence.
    let ids: Vec<String> = tl(
        &o,
        Some(&dispute("product_not_received", "chargeback", json!({}))),
        NOW,
    )
    .evidence
    .items
    .iter()
    .map(|e| format!("{}:{}", e.id, e.rule))
    .collect();
    assert_eq!(
        ids,
        [
            "shipping_tracking:S-V1",
            "signed_delivery:S-V2",
            "customer_communication:S-V1"
        ]
    );
}

#[test]
fn shopify_due_date_is_read_at_its_start() {
    // H-L1/H-T1: evidenceDueBy is a date; the last safe moment is 00:00 UTC.
    let o = order("shopify_payments", json!({}));
    let d = dispute(
        "PRODUCT_NOT_RECEIVED",
        "chargeback",
        json!({"respond_by": "2026-04-09"}),
    );
    let t = tl(&o, Some(&d), NOW);
    let r = t.response_due.unwrap();
    assert_eq!(
        (utc(r).as_str(), r.rule, r.origin),
        ("2026-04-09T00:00:00Z", R::HL1, Origin::Platform)
    );
    assert!(t.rules.contains(R::HT1) && t.rules.contains(R::BB4));
    // H-L2: Shopify submits by itself on the due date.
    let respond = t
        .next_actions
        .iter()
        .find(|a| a.kind == SellerActionKind::Respond)
        .unwrap();
    assert!(
        respond
            .text
            .contains("submits what it has on the due date (H-L2)"),
        "{}",
        respond.text
    );
    // H-L3: decision up to 75 days later.
    let dec = get(&t, Milestone::PlatformDecision);
    assert_eq!(
        (utc(dec).as_str(), dec.rule),
        ("2026-06-23T00:00:00Z", R::HL3)
    );
    // The same date on Stripe (an instant platform) would be read to its end.
    let s = order("stripe", json!({}));
    let d = dispute(
        "product_not_received",
        "chargeback",
        json!({"respond_by": "2026-04-09"}),
    );
    assert_eq!(
        utc(tl(&s, Some(&d), NOW).response_due.unwrap()),
        "2026-04-10T00:00:00Z"
    );
    // H-V1 evidence.
    assert!(t.evidence.items.iter().all(|e| e.rule == R::HV1));
}

#[test]
fn shopify_fees_by_country() {
    // H-F1: per country, in its currency, returned on a win; an inquiry takes none.
    let fee = |country: &str, currency: &str, stage: &str| {
        let o = order(
            "shopify_payments",
            json!({"country": country, "amount": {"amount": "50", "currency": currency}}),
        );
        tl(
            &o,
            Some(&dispute("PRODUCT_NOT_RECEIVED", stage, json!({}))),
            NOW,
        )
        .exposure
    };
    let gb = fee("GB", "GBP", "chargeback");
    assert_eq!(gb.total_if_lost.amount.to_string(), "60.00");
    assert!(gb.fees[0].returned_on_win && gb.fees[0].rule == R::HF1);
    assert_eq!(
        fee("IE", "EUR", "chargeback")
            .total_if_lost
            .amount
            .to_string(),
        "68.45"
    );
    assert!(fee("GB", "GBP", "inquiry").fees.is_empty());
    let odd = fee("GB", "USD", "chargeback");
    assert!(odd.fees.is_empty() && odd.fees_unknown);
    assert!(!fee("US", "USD", "chargeback").fees_unknown);
}

// --- eBay --------------------------------------------------------------------

#[test]
fn ebay_not_as_described_and_returns() {
    // B-W2: within 30 days of the actual delivery; the return request has the
    // same 3 business days (B-L1).
    let o = order(
        "ebay",
        json!({"delivered_at": "2026-03-20T15:00:00Z", "max_estimated_delivery": "2026-03-25"}),
    );
    let d = dispute(
        "SIGNIFICANTLY_NOT_AS_DESCRIBED",
        "return_request",
        json!({}),
    );
    let t = tl(&o, Some(&d), NOW);
    let w = t.windows[0];
    assert_eq!(w.closes_rule, Some(R::BW2));
    assert_eq!(
        w.closes_at.unwrap().utc.to_rfc3339(),
        "2026-04-20T00:00:00+00:00"
    );
    assert_eq!(
        w.opens_at.unwrap().utc.to_rfc3339(),
        "2026-03-20T15:00:00+00:00"
    );
    // Opened Wed 1 April: Thu 2, Fri 3, Mon 6.
    assert_eq!(
        utc(get(&t, Milestone::SellerResponse)),
        "2026-04-07T00:00:00Z"
    );
    // B-R1: counterfeit becomes the supplier's counterfeit reason.
    let p = SellingPolicy::preset("ebay").unwrap();
    assert_eq!(
        p.reason("COUNTERFEIT").unwrap().supplier_reasons[0].code(),
        "received.counterfeit"
    );
    assert_eq!(p.reason("COUNTERFEIT").unwrap().source.rule, R::BR1);
}

#[test]
fn ebay_refunds_deliveries_appeals_and_payment_disputes() {
    let o = order(
        "ebay",
        json!({"max_estimated_delivery": "2026-03-20", "delivered_at": "2026-04-01T20:00:00Z"}),
    );
    // B-L4: an offered refund within 2 business days (Wed 1 April: Thu 2, Fri 3).
    // B-L5: delivery after opening closes the request within 24 hours.
    let d = dispute(
        "ITEM_NOT_RECEIVED",
        "inr_request",
        json!({"offer_made_at": "2026-04-01T13:00:00Z"}),
    );
    let t = tl(&o, Some(&d), NOW);
    let refund = get(&t, Milestone::RefundDue);
    assert_eq!(
        (utc(refund).as_str(), refund.rule),
        ("2026-04-04T00:00:00Z", R::BL4)
    );
    assert!(refund.binds_seller);
    let closes = get(&t, Milestone::DeliveryCloses);
    assert_eq!(
        (utc(closes).as_str(), closes.rule),
        ("2026-04-02T20:00:00Z", R::BL5)
    );
    assert!(t
        .next_actions
        .iter()
        .any(|a| a.kind == SellerActionKind::IssueRefund));
    // Delivered before opening: no B-L5 entry.
    let early = order(
        "ebay",
        json!({"max_estimated_delivery": "2026-03-20", "delivered_at": "2026-03-31T20:00:00Z"}),
    );
    assert!(tl(&early, Some(&d), NOW)
        .get(Milestone::DeliveryCloses)
        .is_none());
    // B-F2: appeal within 30 days.
    let d = dispute(
        "ITEM_NOT_RECEIVED",
        "escalated",
        json!({"closed_at": "2026-04-01T18:00:00Z"}),
    );
    let t = tl(&o, Some(&d), NOW);
    assert_eq!(
        (
            utc(get(&t, Milestone::AppealCloses)).as_str(),
            get(&t, Milestone::AppealCloses).rule
        ),
        ("2026-05-01T18:00:00Z", R::BF2)
    );
    // B-L7: payment disputes, 5 calendar days; B-F3: USD 20 when contested and lost.
    let d = dispute("ITEM_NOT_RECEIVED", "payment_dispute", json!({}));
    let t = tl(&o, Some(&d), NOW);
    let r = get(&t, Milestone::SellerResponse);
    assert_eq!((utc(r).as_str(), r.rule), ("2026-04-06T12:00:00Z", R::BL7));
    assert_eq!(t.exposure.fees[0].rule, R::BF3);
    assert_eq!(t.exposure.total_if_lost.amount.to_string(), "79.90");
    assert!(t.evidence.items.iter().any(|e| e.rule == R::BV2));
    // Not in a request: no fee (B-F1: price plus shipping is the loss).
    let d = dispute("ITEM_NOT_RECEIVED", "inr_request", json!({}));
    let t = tl(&o, Some(&d), NOW);
    assert!(t.exposure.fees.is_empty() && t.exposure.rules.contains(R::BF1));
    // B-L2: once escalated, eBay decides in about 48 hours.
    let d = dispute(
        "ITEM_NOT_RECEIVED",
        "escalated",
        json!({"stage_started_at": "2026-04-01T15:00:00Z"}),
    );
    assert_eq!(
        utc(get(&tl(&o, Some(&d), NOW), Milestone::PlatformDecision)),
        "2026-04-03T15:00:00Z"
    );
}

#[test]
fn ebay_signature_thresholds_by_currency() {
    // B-V1: GBP 450 on eBay.co.uk, USD 750 on eBay.com.
    let sig = |amount: &str, cur: &str| {
        let o = order(
            "ebay",
            json!({"max_estimated_delivery": "2026-03-20", "amount": {"amount": amount, "currency": cur}}),
        );
        let t = tl(
            &o,
            Some(&dispute("ITEM_NOT_RECEIVED", "inr_request", json!({}))),
            NOW,
        );
        (t.evidence.signature.required, t.evidence.signature.rule)
    };
    assert_eq!(sig("500", "GBP"), (Some(true), Some(R::BV1)));
    assert_eq!(sig("500", "USD"), (Some(false), Some(R::BV1)));
    assert_eq!(sig("500", "JPY"), (None, None));
    let p = SellingPolicy::preset("ebay").unwrap();
    let e = seller_timeline(
        &order("ebay", json!({"country": "FR"})),
        None,
        &p,
        at(NOW),
        None,
        Explain::No,
    )
    .unwrap_err();
    assert_eq!(fields(e.clone()), ["customer_order.country"]);
    assert!(e.to_string().contains("known: US, GB"));
}

// --- Amazon ------------------------------------------------------------------

#[test]
fn amazon_claim_window() {
    // A-W1: 3 days after the maximum EDD, or delivery, whichever is sooner;
    // A-W2: up to 90 days after the maximum EDD.
    let o = order("amazon", json!({"max_estimated_delivery": "2026-03-20"}));
    let t = tl(&o, None, NOW);
    let w = t.windows[0];
    assert_eq!(
        w.opens_at.unwrap().utc.to_rfc3339(),
        "2026-03-23T00:00:00+00:00"
    );
    assert_eq!(
        w.closes_at.unwrap().utc.to_rfc3339(),
        "2026-06-19T00:00:00+00:00"
    );
    assert_eq!(w.closes_rule, Some(R::AW2));
    assert_eq!(get(&t, Milestone::FilingWindowOpens).rule, R::AW1);
    let delivered = order(
        "amazon",
        json!({"max_estimated_delivery": "2026-03-20", "delivered_at": "2026-03-18T09:00:00Z"}),
    );
    assert_eq!(
        tl(&delivered, None, NOW).windows[0]
            .opens_at
            .unwrap()
            .utc
            .to_rfc3339(),
        "2026-03-18T09:00:00+00:00"
    );
    // Without the maximum EDD nothing can be computed: say which fact is missing.
    let t = tl(&order("amazon", json!({})), None, NOW);
    assert!(t.windows[0].closes_at.is_none());
    assert_eq!(t.missing[0].field, "customer_order.max_estimated_delivery");
}

#[test]
fn amazon_hour_clocks() {
    let o = order("amazon", json!({"max_estimated_delivery": "2026-03-20"}));
    let h = |stage: &str| {
        let t = tl(&o, Some(&dispute("not_received", stage, json!({}))), NOW);
        let r = get(&t, Milestone::SellerResponse);
        (utc(r), r.rule)
    };
    assert_eq!(h("contact"), ("2026-04-03T12:00:00Z".into(), R::AW3));
    assert_eq!(h("claim"), ("2026-04-04T12:00:00Z".into(), R::AL1));
    assert_eq!(
        h("information_request"),
        ("2026-04-03T12:00:00Z".into(), R::AL2)
    );
    assert_eq!(h("chargeback"), ("2026-04-08T12:00:00Z".into(), R::AL4));
    let t = tl(
        &o,
        Some(&dispute("not_received", "contact", json!({}))),
        NOW,
    );
    assert_eq!(get(&t, Milestone::EscalationOpens).rule, R::AW3);
    let t = tl(
        &o,
        Some(&dispute("not_received", "chargeback", json!({}))),
        NOW,
    );
    assert!(t.rules.contains(R::AW4) && t.rules.contains(R::AT1));
    // A-L3: appeal within 30 days; A-F1: no fee, the amount is the loss.
    let t = tl(
        &o,
        Some(&dispute(
            "not_received",
            "claim",
            json!({"closed_at": "2026-04-01T18:00:00Z"}),
        )),
        NOW,
    );
    assert_eq!(get(&t, Milestone::AppealCloses).rule, R::AL3);
    assert_eq!(t.exposure.total_if_lost, o.amount);
    assert!(t.exposure.rules.contains(R::AF1) && !t.exposure.fees_unknown);
    assert!(t.evidence.items.iter().all(|e| e.rule == R::AV1));
}

// --- input checks ------------------------------------------------------------

#[test]
fn customer_inputs_are_checked_and_every_problem_named() {
    let p = SellingPolicy::preset("paypal").unwrap();
    let o = order(
        "paypal",
        json!({
            "platform": "ebay", "amount": {"amount": "-1", "currency": "USD"},
            "paid_at": "2026-05-01T00:00:00Z", "min_estimated_delivery": "2026-04-10",
            "max_estimated_delivery": "2026-04-05", "delivered_at": "2026-04-20", "country": "usa"
        }),
    );
    let d = dispute(
        NR,
        "claim",
        json!({
            "opened_at": "2026-04-30T00:00:00Z", "stage_started_at": "2026-04-29T00:00:00Z",
            "closed_at": "2026-06-01T00:00:00Z", "respond_by": "2026-05-10", "no_response_allowed": true
        }),
    );
    let got = fields(seller_timeline(&o, Some(&d), &p, at(NOW), None, Explain::No).unwrap_err());
    assert_eq!(
        got,
        [
            "customer_order.platform",
            "customer_order.amount.amount",
            "customer_order.paid_at",
            "customer_order.max_estimated_delivery",
            "customer_order.delivered_at",
            "customer_order.delivered_at",
            "customer_order.country",
            "customer_dispute.opened_at",
            "customer_dispute.opened_at",
            "customer_dispute.stage_started_at",
            "customer_dispute.stage_started_at",
            "customer_dispute.closed_at",
            "customer_dispute.respond_by",
        ]
    );
    // Parse errors name the field too.
    let e =
        CustomerOrder::from_json(r#"{"schema_version": 1, "order_id": "x", "platform": "etsy"}"#)
            .unwrap_err();
    assert_eq!(e.field(), "platform");
    let e = CustomerDispute::from_json(
        r#"{"reason": "x", "stage": "y", "opened_at": "2026-04-01", "respond_by": "soon"}"#,
    )
    .unwrap_err();
    assert_eq!(e.field(), "opened_at");
    let e = CustomerDispute::from_json(r#"{"reason": "x", "stage": "y", "opened_at": "2026-04-01T00:00:00Z", "respond_by": "soon"}"#)
        .unwrap_err();
    assert_eq!(e.field(), "respond_by");
    assert!(e.to_string().contains("`soon` is neither a date"), "{e}");
}

#[test]
fn late_filing_is_flagged() {
    // The customer opened after their window: say so in the response.
    let o = order("paypal", json!({"paid_at": "2025-09-01T10:00:00Z"}));
    let t = tl(&o, Some(&dispute(NR, "claim", json!({}))), NOW);
    assert_eq!(t.windows[0].filed_in_window, Some(false));
    let a = t
        .next_actions
        .iter()
        .find(|a| a.kind == SellerActionKind::ContestLateFiling)
        .unwrap();
    assert!(
        a.rules.contains(R::PW1) && a.text.contains("after the end of"),
        "{}",
        a.text
    );
    // eBay: opened before the estimated delivery date had passed.
    let o = order("ebay", json!({"max_estimated_delivery": "2026-04-10"}));
    let t = tl(
        &o,
        Some(&dispute("ITEM_NOT_RECEIVED", "inr_request", json!({}))),
        NOW,
    );
    let a = t
        .next_actions
        .iter()
        .find(|a| a.kind == SellerActionKind::ContestLateFiling)
        .unwrap();
    assert!(a.text.contains("before the start of"), "{}", a.text);
}

#[test]
fn explanations_cite_rules_and_local_times_follow_the_display_zone() {
    let o = order("paypal", json!({}));
    let d = dispute(NR, "inquiry", json!({"respond_by": "2026-04-09T21:00:00Z"}));
    let p = SellingPolicy::preset("paypal").unwrap();
    let la = "America/Los_Angeles".parse().unwrap();
    let t = seller_timeline(&o, Some(&d), &p, at(NOW), Some(la), Explain::Yes).unwrap();
    let steps = t.explanation.as_ref().unwrap();
    assert!(steps
        .iter()
        .any(|s| s.rule.id() == "BB-4" && s.text.contains("wins over the computed fallback")));
    assert_eq!(
        t.response_due.unwrap().at.to_string(),
        "2026-04-09 14:00 PDT (2026-04-09 21:00 UTC)"
    );
    let plain = seller_timeline(&o, Some(&d), &p, at(NOW), None, Explain::No).unwrap();
    assert!(plain.explanation.is_none());
    assert_eq!(
        plain.response_due.unwrap().at.to_string(),
        "2026-04-09 21:00 UTC (2026-04-09 21:00 UTC)"
    );
    assert_eq!(plain.rules, t.rules, "explanations change no rule");
}
