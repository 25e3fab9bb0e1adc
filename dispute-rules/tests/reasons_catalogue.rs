//! The reasons catalogue, the policy tables (R-S1, R-S2, R-V1, R-V2) and the
//! interop table.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::reasons::{
    catalogue, interop, EvidenceKind, EvidenceNeed, Group, Payer, Reason, ReasonsPolicy, Solution,
};
use dispute_rules::{Error, Policy, Rule};

#[test]
fn every_reason_listed_once_grouped_not_received_first() {
    let c = catalogue(&Policy::aliexpress()).unwrap();
    assert_eq!(c.len(), 15);
    let nums: Vec<u32> = c.iter().map(|e| e.number).collect();
    assert_eq!(nums, [1, 2, 3, 4, 5, 6, 15, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert!(c[..7].iter().all(|e| e.group == Group::NotReceived));
    assert!(c[7..].iter().all(|e| e.group == Group::Received));
    for e in &c {
        assert_eq!(e.rule, e.reason.rule());
        assert_eq!(e.rule.id(), format!("R-R{}", e.number));
        assert!(!e.label.is_empty());
        assert!(e.reason.code().starts_with(e.group.code()));
    }
}

#[test]
fn r_s1_solutions_per_reason() {
    let c = catalogue(&Policy::aliexpress()).unwrap();
    for e in &c {
        assert!(!e.solutions.is_empty());
        if e.group == Group::NotReceived {
            // C-4 and R-S1: refund only, in full.
            assert_eq!(e.solutions, [Solution::RefundOnly], "{}", e.reason);
            assert!(!e.partial_refund);
        }
    }
    let get = |r: Reason| c.iter().find(|e| e.reason == r).unwrap();
    assert_eq!(
        get(Reason::ReceivedBuyerRemorse).solutions,
        [Solution::ReturnAndRefund]
    );
    assert_eq!(
        get(Reason::ReceivedNotAsDescribed).solutions,
        [Solution::RefundOnly, Solution::ReturnAndRefund]
    );
    assert!(get(Reason::ReceivedQuality).partial_refund);
}

#[test]
fn r_s2_return_shipping_by_fault_and_buyer_in_legacy() {
    for e in catalogue(&Policy::aliexpress()).unwrap() {
        let by_fault = if e.seller_at_fault {
            Payer::Seller
        } else {
            Payer::Buyer
        };
        assert_eq!(e.return_shipping_payer, by_fault, "{}", e.reason);
    }
    let c = catalogue(&Policy::aliexpress()).unwrap();
    let remorse = c
        .iter()
        .find(|e| e.reason == Reason::ReceivedBuyerRemorse)
        .unwrap();
    assert!(!remorse.seller_at_fault);
    let nad = c
        .iter()
        .find(|e| e.reason == Reason::ReceivedNotAsDescribed)
        .unwrap();
    assert_eq!(nad.return_shipping_payer, Payer::Seller);
    assert!(catalogue(&Policy::aliexpress_legacy())
        .unwrap()
        .iter()
        .all(|e| e.return_shipping_payer == Payer::Buyer));
}

#[test]
fn r_v1_evidence_lists_add_up_to_100() {
    for e in catalogue(&Policy::aliexpress()).unwrap() {
        assert_eq!(
            e.evidence.iter().map(|n| n.weight).sum::<u32>(),
            100,
            "{}",
            e.reason
        );
    }
    let c = catalogue(&Policy::aliexpress()).unwrap();
    let nr = c
        .iter()
        .find(|e| e.reason == Reason::NotReceivedDeliveredNotReceived)
        .unwrap();
    assert!(nr
        .evidence
        .iter()
        .any(|n| n.shows.contains(EvidenceKind::PostalProof)));
    assert!(nr
        .evidence
        .iter()
        .any(|n| n.shows.contains(EvidenceKind::TrackingScreenshot)));
}

#[test]
fn interop_table_maps_groups_to_payment_categories() {
    for r in Reason::ALL {
        let i = interop::interop(*r);
        assert_eq!(i.reason, *r);
        match r {
            Reason::ReceivedBuyerRemorse => {
                assert_eq!((i.paypal, i.visa, i.mastercard), (None, None, None))
            }
            Reason::NotReceivedNoRefundAfterCancellation => {
                assert_eq!(i.paypal, Some(interop::PAYPAL_CREDIT_NOT_PROCESSED));
                assert_eq!(i.visa.map(|v| v.code), Some("13.6"));
            }
            Reason::ReceivedCounterfeit => {
                assert_eq!(i.paypal, Some("MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED"));
                assert_eq!(i.visa.map(|v| v.code), Some("13.4"));
            }
            r if !r.is_received() => {
                assert_eq!(i.paypal, Some("MERCHANDISE_OR_SERVICE_NOT_RECEIVED"));
                assert_eq!(i.visa.map(|v| v.code), Some("13.1"));
            }
            _ => {
                assert_eq!(i.paypal, Some("MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED"));
                assert_eq!(i.visa.map(|v| v.code), Some("13.3"));
            }
        }
        if *r != Reason::ReceivedBuyerRemorse {
            assert_eq!(i.mastercard.map(|m| m.code), Some("4853"));
        }
    }
}

#[test]
fn presets_validate_and_round_trip_through_json() {
    for p in [Policy::aliexpress(), Policy::aliexpress_legacy()] {
        p.validate().unwrap();
        let back = Policy::from_json(&p.to_json()).unwrap();
        assert_eq!(back, p);
    }
    assert_ne!(
        ReasonsPolicy::aliexpress(),
        ReasonsPolicy::aliexpress_legacy()
    );
    assert!(
        ReasonsPolicy::aliexpress_legacy()
            .attachments
            .required_when_received
    );
    let json = serde_json::to_value(ReasonsPolicy::aliexpress()).unwrap();
    assert_eq!(
        json["by_reason"]["received.quantity_shortage"]["evidence"][0]["shows"][0],
        "unboxing_video"
    );
    assert_eq!(json["attachments"]["image"]["max_bytes"], 2 * 1024 * 1024);
}

fn policy_errors(p: &Policy) -> Vec<String> {
    match p.validate() {
        Ok(()) => Vec::new(),
        Err(e) => {
            assert!(matches!(e, Error::InvalidPolicy(_)));
            e.problems().iter().map(|x| x.field().to_owned()).collect()
        }
    }
}

#[test]
fn policy_errors_name_every_field() {
    let mut p = Policy::aliexpress();
    p.reasons.by_reason.remove(&Reason::ReceivedDamaged);
    let q = p
        .reasons
        .by_reason
        .get_mut(&Reason::ReceivedQuality)
        .unwrap();
    q.solutions.clear();
    q.evidence
        .push(EvidenceNeed::new(&[EvidenceKind::ItemPhoto], 5));
    let c = p
        .reasons
        .by_reason
        .get_mut(&Reason::NotReceivedCustomsHold)
        .unwrap();
    c.solutions = vec![
        Solution::RefundOnly,
        Solution::ReturnAndRefund,
        Solution::RefundOnly,
    ];
    c.evidence[0].shows = Default::default();
    c.evidence[1].weight = 0;
    p.reasons.attachments.image.formats = Some(vec!["png".into(), ".jpg".into(), "png".into()]);
    p.reasons.attachments.video.max_bytes = 0;
    p.reasons.attachments.max_count = Some(0);
    let f = policy_errors(&p);
    assert_eq!(
        f,
        [
            "reasons.by_reason.not_received.customs_hold.solutions[1]",
            "reasons.by_reason.not_received.customs_hold.solutions[2]",
            "reasons.by_reason.not_received.customs_hold.evidence[0].shows",
            "reasons.by_reason.not_received.customs_hold.evidence[1].weight",
            "reasons.by_reason.not_received.customs_hold.evidence",
            "reasons.by_reason.received.quality.solutions",
            "reasons.by_reason.received.quality.evidence",
            "reasons.by_reason.received.damaged",
            "reasons.attachments.image.formats[1]",
            "reasons.attachments.image.formats[2]",
            "reasons.attachments.video.max_bytes",
            "reasons.attachments.max_count",
        ]
    );
}

#[test]
fn policy_json_errors_name_the_field() {
    let mut v = serde_json::to_value(Policy::aliexpress()).unwrap();
    v["reasons"]["by_reason"]["received.nonsense"] =
        v["reasons"]["by_reason"]["received.quality"].clone();
    let e = Policy::from_json(&v.to_string()).unwrap_err();
    assert!(
        e.to_string().contains("unknown reason `received.nonsense`"),
        "{e}"
    );
    let mut v = serde_json::to_value(Policy::aliexpress()).unwrap();
    v["reasons"]["attachments"]["extra"] = serde_json::json!(1);
    let e = Policy::from_json(&v.to_string()).unwrap_err();
    assert_eq!(e.field(), "reasons.attachments.extra");
}

#[test]
fn catalogue_of_a_policy_missing_a_reason_is_an_error() {
    let mut p = Policy::aliexpress();
    p.reasons.by_reason.remove(&Reason::ReceivedDamaged);
    let e = catalogue(&p).unwrap_err();
    assert_eq!(e.field(), "reasons.by_reason.received.damaged");
    assert!(Rule::ALL.contains(&Rule::S2));
}
