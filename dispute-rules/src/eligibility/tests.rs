#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

//! One test per rule (R-E1..R-E9, C-1) that would fail if the rule were wrong.

use super::*;
use crate::calendar::DayCounting;
use crate::facts::{ExtensionRequest, PriorDispute, Receipt};
use crate::timeline::{self, Milestone};

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Shipped 1 March 2026 10:00 PST (18:00 UTC), standard, to the US.
fn facts() -> OrderFacts {
    OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap()
}

fn at(f: &OrderFacts, p: &Policy, now: &str) -> Eligibility {
    assess(f, p, t(now), Explain::Yes).unwrap()
}

fn ali() -> Policy {
    Policy::aliexpress()
}

fn window(e: &Eligibility) -> (DateTime<Utc>, DateTime<Utc>) {
    let w = e.window.unwrap();
    (w.opens_at.utc, w.closes_at.utc)
}

fn dispute(status: PriorDisputeStatus, opened: &str, closed: Option<&str>) -> PriorDispute {
    PriorDispute {
        opened_at: t(opened),
        status,
        closed_at: closed.map(t),
    }
}

// ---- R-E1 -------------------------------------------------------------

#[test]
fn e1_opens_at_local_midnight_of_the_11th_day_start_inclusive() {
    let f = facts();
    // 12 March 00:00 PDT = 07:00 UTC (the DST change on 8 March is inside).
    let before = at(&f, &ali(), "2026-03-12T06:59:59Z");
    assert_eq!(before.status, Status::NotYet);
    assert_eq!(before.code, Some(Ineligible::TooEarly));
    assert_eq!(window(&before).0, t("2026-03-12T07:00:00Z"));
    let exactly = at(&f, &ali(), "2026-03-12T07:00:00Z");
    assert_eq!(exactly.status, Status::Eligible);
    assert!(exactly.rules.contains(Rule::E1));
}

#[test]
fn e1_earliest_day_is_policy_data() {
    let mut p = ali();
    p.eligibility.earliest_open_day = 6;
    // 7 March 00:00 PST = 08:00 UTC.
    assert_eq!(
        window(&at(&facts(), &p, "2026-03-05T00:00:00Z")).0,
        t("2026-03-07T08:00:00Z")
    );
}

#[test]
fn e1_confirmed_receipt_opens_at_once() {
    let mut f = facts();
    f.receipt = Some(Receipt {
        at: t("2026-03-05T20:00:00Z"),
        by: ConfirmedBy::Buyer,
    });
    let e = at(&f, &ali(), "2026-03-06T00:00:00Z");
    assert_eq!(e.status, Status::Eligible);
    assert_eq!(window(&e).0, t("2026-03-05T20:00:00Z"));
    let mut p = ali();
    p.eligibility.confirmed_receipt_opens_at_once = false;
    assert_eq!(
        at(&f, &p, "2026-03-06T00:00:00Z").code,
        Some(Ineligible::TooEarly)
    );
}

// ---- R-E2 -------------------------------------------------------------

#[test]
fn e2_protection_by_method_and_the_listing_promise_wins() {
    let mut f = facts();
    // standard: 60 days, same wall-clock time (10:00 PDT = 17:00 UTC).
    assert_eq!(
        at(&f, &ali(), "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-04-30T17:00:00Z")
    );
    f.shipping_method = "expedited".into();
    assert_eq!(
        at(&f, &ali(), "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-06-09T17:00:00Z")
    );
    f.promised_protection_days = Some(90);
    assert_eq!(
        at(&f, &ali(), "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-05-30T17:00:00Z")
    );
    let mut p = ali();
    p.eligibility.listing_promise_wins = false;
    assert_eq!(
        at(&f, &p, "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-06-09T17:00:00Z")
    );
}

#[test]
fn e2_destination_overrides_the_method_table() {
    let mut f = facts();
    f.destination_country = "BR".into();
    assert_eq!(
        at(&f, &ali(), "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-06-29T17:00:00Z")
    );
    // Legacy: seller-stated at most 60 days.
    f.promised_protection_days = Some(90);
    assert_eq!(
        at(&f, &Policy::aliexpress_legacy(), "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-05-01T07:00:00Z") // end of local day 30 April
    );
}

#[test]
fn e2_timer_can_start_at_payment() {
    let mut p = ali();
    p.eligibility.protection_starts = crate::policy::ProtectionStart::Payment;
    // Paid 27 Feb 09:01 UTC (01:01 PST) + 60 days = 28 April 01:01 PDT.
    assert_eq!(
        at(&facts(), &p, "2026-03-20T00:00:00Z")
            .protection_end
            .unwrap()
            .utc,
        t("2026-04-28T08:01:00Z")
    );
}

// ---- R-E3 -------------------------------------------------------------

#[test]
fn e3_window_after_confirmation_end_exclusive() {
    let mut f = facts();
    // Confirmed 15 March 10:00 PDT (17:00 UTC): open until 30 March 10:00 PDT.
    f.receipt = Some(Receipt {
        at: t("2026-03-15T17:00:00Z"),
        by: ConfirmedBy::Buyer,
    });
    let e = at(&f, &ali(), "2026-03-30T16:59:59Z");
    assert_eq!(e.status, Status::Eligible);
    assert_eq!(window(&e).1, t("2026-03-30T17:00:00Z"));
    let closed = at(&f, &ali(), "2026-03-30T17:00:00Z");
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.code, Some(Ineligible::ConfirmationWindowPassed));
    assert!(closed.rules.contains(Rule::E3));
}

#[test]
fn e3_confirmation_closes_the_window_even_before_protection_would_end() {
    let mut f = facts();
    f.receipt = Some(Receipt {
        at: t("2026-03-15T17:00:00Z"),
        by: ConfirmedBy::Buyer,
    });
    // 30 March < 30 April: the confirmation shortened the window.
    assert_eq!(
        at(&f, &ali(), "2026-04-10T00:00:00Z").code,
        Some(Ineligible::ConfirmationWindowPassed)
    );
}

#[test]
fn e3_policy_zero_means_confirming_ends_the_right() {
    // 002's reading: confirming receipt ends the right to dispute.
    let mut p = ali();
    p.eligibility.window_after_confirmation_days = 0;
    let mut f = facts();
    f.receipt = Some(Receipt {
        at: t("2026-03-15T17:00:00Z"),
        by: ConfirmedBy::Buyer,
    });
    assert_eq!(
        at(&f, &p, "2026-03-15T17:00:00Z").code,
        Some(Ineligible::ConfirmationWindowPassed)
    );
}

// ---- R-E4 -------------------------------------------------------------

#[test]
fn e4_confirmation_timeout_when_protection_ends_unconfirmed() {
    let f = facts();
    assert_eq!(
        at(&f, &ali(), "2026-04-30T16:59:59Z").status,
        Status::Eligible
    );
    let e = at(&f, &ali(), "2026-04-30T17:00:00Z");
    assert_eq!(
        (e.status, e.code),
        (Status::Closed, Some(Ineligible::ConfirmationTimeout))
    );
    assert!(e.rules.contains(Rule::E4));
}

#[test]
fn e4_a_confirmation_after_protection_ended_does_not_count() {
    let mut f = facts();
    f.receipt = Some(Receipt {
        at: t("2026-05-02T00:00:00Z"),
        by: ConfirmedBy::Automatic,
    });
    let e = at(&f, &ali(), "2026-05-03T00:00:00Z");
    assert_eq!(e.code, Some(Ineligible::ConfirmationTimeout));
}

// ---- R-E5 -------------------------------------------------------------

#[test]
fn e5_approved_extensions_are_summed_and_added() {
    let mut f = facts();
    for (days, status) in [
        (10, ExtensionStatus::Approved),
        (5, ExtensionStatus::Approved),
        (30, ExtensionStatus::Declined),
    ] {
        f.extensions.push(ExtensionRequest {
            requested_at: t("2026-04-10T00:00:00Z"),
            days,
            status,
            decided_at: Some(t("2026-04-11T00:00:00Z")),
        });
    }
    // 60 + 15 = 75 days: 15 May 10:00 PDT.
    let e = at(&f, &ali(), "2026-05-01T00:00:00Z");
    assert_eq!(e.status, Status::Eligible);
    assert_eq!(e.protection_end.unwrap().utc, t("2026-05-15T17:00:00Z"));
    assert!(e.rules.contains(Rule::E5));
}

#[test]
fn e5_extension_request_deadline_and_approval_wait() {
    let f = facts();
    let e = at(&f, &ali(), "2026-03-20T00:00:00Z");
    let req = e
        .next_actions
        .iter()
        .find(|a| a.kind == ActionKind::RequestExtension)
        .unwrap();
    // Protection end minus 3 days.
    assert_eq!(req.deadline.unwrap().utc, t("2026-04-27T17:00:00Z"));
    let mut p = ali();
    p.eligibility.extension_approval_wait_days = 5;
    let e = at(&f, &p, "2026-03-20T00:00:00Z");
    let req = e
        .next_actions
        .iter()
        .find(|a| a.kind == ActionKind::RequestExtension)
        .unwrap();
    assert_eq!(req.deadline.unwrap().utc, t("2026-04-25T17:00:00Z"));

    // A pending request: stop waiting 3 days after it, then open the dispute.
    let mut f = facts();
    f.extensions.push(ExtensionRequest {
        requested_at: t("2026-04-20T17:00:00Z"),
        days: 15,
        status: ExtensionStatus::Pending,
        decided_at: None,
    });
    let e = at(&f, &ali(), "2026-04-21T00:00:00Z");
    let wait = e
        .next_actions
        .iter()
        .find(|a| a.kind == ActionKind::OpenDisputeIfExtensionNotApproved)
        .unwrap();
    assert_eq!(wait.from.unwrap().utc, t("2026-04-23T17:00:00Z"));
    assert_eq!(wait.deadline.unwrap().utc, t("2026-04-30T17:00:00Z"));
    // A pending request does not extend anything.
    assert_eq!(e.protection_end.unwrap().utc, t("2026-04-30T17:00:00Z"));
}

// ---- R-E6..R-E9 -------------------------------------------------------

#[test]
fn e6_one_open_dispute_per_line() {
    let mut f = facts();
    f.disputes.push(dispute(
        PriorDisputeStatus::Open,
        "2026-03-15T00:00:00Z",
        None,
    ));
    let e = at(&f, &ali(), "2026-03-20T00:00:00Z");
    assert_eq!(
        (e.status, e.code),
        (Status::Blocked, Some(Ineligible::DisputeAlreadyOpen))
    );
    assert_eq!(e.next_actions[0].kind, ActionKind::FollowOpenDispute);
}

#[test]
fn e7_closed_by_agreement_is_final() {
    let mut f = facts();
    f.disputes.push(dispute(
        PriorDisputeStatus::ClosedByAgreement,
        "2026-03-13T00:00:00Z",
        Some("2026-03-14T00:00:00Z"),
    ));
    let e = at(&f, &ali(), "2026-03-20T00:00:00Z");
    assert_eq!(
        (e.status, e.code),
        (Status::Blocked, Some(Ineligible::ClosedByAgreement))
    );
    assert!(e.rules.contains(Rule::E7));
}

#[test]
fn e8_reopen_count_against_the_limit() {
    let mut f = facts();
    let c = || {
        dispute(
            PriorDisputeStatus::Cancelled,
            "2026-03-13T00:00:00Z",
            Some("2026-03-14T00:00:00Z"),
        )
    };
    f.disputes.push(c());
    // One cancellation: this is reopen number 1, allowed by the default limit 1.
    assert_eq!(
        at(&f, &ali(), "2026-03-20T00:00:00Z").status,
        Status::Eligible
    );
    f.disputes.push(c());
    let e = at(&f, &ali(), "2026-03-20T00:00:00Z");
    assert_eq!(e.code, Some(Ineligible::ReopenLimitReached));
    assert!(e.rules.contains(Rule::E8));
    let mut p = ali();
    p.eligibility.reopen_limit = 2;
    assert_eq!(at(&f, &p, "2026-03-20T00:00:00Z").status, Status::Eligible);
    // Reopening after protection ended is refused (the window has closed).
    f.disputes.pop();
    assert_eq!(
        at(&f, &ali(), "2026-05-01T00:00:00Z").code,
        Some(Ineligible::ConfirmationTimeout)
    );
}

#[test]
fn e9_precedence_follows_the_documented_order() {
    // All conditions at once, then remove them one by one, in R-E9 order.
    let mut f = facts();
    f.refund_completed_at = Some(t("2026-04-01T00:00:00Z"));
    f.disputes = vec![
        dispute(
            PriorDisputeStatus::ClosedByAgreement,
            "2026-03-13T00:00:00Z",
            Some("2026-03-14T00:00:00Z"),
        ),
        dispute(PriorDisputeStatus::Open, "2026-03-15T00:00:00Z", None),
        dispute(
            PriorDisputeStatus::Cancelled,
            "2026-03-12T08:00:00Z",
            Some("2026-03-12T09:00:00Z"),
        ),
        dispute(
            PriorDisputeStatus::Cancelled,
            "2026-03-12T10:00:00Z",
            Some("2026-03-12T11:00:00Z"),
        ),
    ];
    let now = "2026-05-10T00:00:00Z";
    let mut unshipped = f.clone();
    unshipped.shipped_at = None;
    unshipped.disputes.clear();
    assert_eq!(
        at(&unshipped, &ali(), now).code,
        Some(Ineligible::NotShipped)
    );
    assert_eq!(at(&f, &ali(), now).code, Some(Ineligible::RefundComplete));
    f.refund_completed_at = None;
    assert_eq!(
        at(&f, &ali(), now).code,
        Some(Ineligible::ClosedByAgreement)
    );
    f.disputes.remove(0);
    assert_eq!(
        at(&f, &ali(), now).code,
        Some(Ineligible::DisputeAlreadyOpen)
    );
    f.disputes.remove(0);
    assert_eq!(
        at(&f, &ali(), now).code,
        Some(Ineligible::ReopenLimitReached)
    );
    f.disputes.remove(0);
    assert_eq!(
        at(&f, &ali(), now).code,
        Some(Ineligible::ConfirmationTimeout)
    );
    // Window closed beats too early: a 5-day promise ends before day 11.
    let mut short = facts();
    short.promised_protection_days = Some(5);
    assert_eq!(
        at(&short, &ali(), "2026-03-08T00:00:00Z").code,
        Some(Ineligible::ConfirmationTimeout)
    );
    assert_eq!(
        at(&short, &ali(), "2026-03-05T00:00:00Z").code,
        Some(Ineligible::TooEarly)
    );
}

#[test]
fn e9_codes_are_stable() {
    let names: Vec<_> = Ineligible::ALL
        .iter()
        .map(|c| (c.number(), c.code()))
        .collect();
    assert_eq!(
        names,
        vec![
            (1, "not_shipped"),
            (2, "refund_complete"),
            (3, "closed_by_agreement"),
            (4, "dispute_already_open"),
            (5, "reopen_limit_reached"),
            (6, "confirmation_timeout"),
            (7, "confirmation_window_passed"),
            (8, "too_early"),
        ]
    );
    for c in Ineligible::ALL {
        assert_eq!(Ineligible::from_code(c.code()), Some(c));
        assert_eq!(Ineligible::from_number(c.number()), Some(c));
    }
}

// ---- C-1: daylight saving ---------------------------------------------

#[test]
fn c1_window_spanning_spring_forward_keeps_wall_clock() {
    // Shipped 1 March 10:00 PST; 60 days later is 30 April 10:00 PDT = 17:00 UTC,
    // not 18:00 UTC (which 60 x 24 hours would give).
    let e = at(&facts(), &ali(), "2026-03-20T00:00:00Z");
    assert_eq!(window(&e).1, t("2026-04-30T17:00:00Z"));
    assert_eq!(
        e.window.unwrap().closes_at.local().to_rfc3339(),
        "2026-04-30T10:00:00-07:00"
    );
}

#[test]
fn c1_start_in_the_repeated_hour() {
    // Shipped at 01:30 PST on 1 November 2026, the second 01:30 (09:30 UTC).
    let mut f = facts();
    f.placed_at = t("2026-10-25T00:00:00Z");
    f.paid_at = Some(t("2026-10-25T00:00:00Z"));
    f.shipped_at = Some(t("2026-11-01T09:30:00Z"));
    let e = at(&f, &ali(), "2026-11-20T00:00:00Z");
    // Day 11: 12 Nov 00:00 PST = 08:00 UTC; + 60 days: 31 Dec 01:30 PST = 09:30 UTC.
    assert_eq!(
        window(&e),
        (t("2026-11-12T08:00:00Z"), t("2026-12-31T09:30:00Z"))
    );
}

#[test]
fn c1_end_in_the_skipped_hour() {
    // Shipped 7 January 02:30 PST; 60 days later is 8 March 02:30, which does not
    // exist: the window closes when the clocks jump, 03:00 PDT = 10:00 UTC.
    let mut f = facts();
    f.placed_at = t("2026-01-05T00:00:00Z");
    f.paid_at = Some(t("2026-01-05T00:00:00Z"));
    f.shipped_at = Some(t("2026-01-07T10:30:00Z"));
    let e = at(&f, &ali(), "2026-03-08T09:59:59Z");
    assert_eq!(e.status, Status::Eligible);
    assert_eq!(window(&e).1, t("2026-03-08T10:00:00Z"));
    assert_eq!(
        at(&f, &ali(), "2026-03-08T10:00:00Z").code,
        Some(Ineligible::ConfirmationTimeout)
    );
}

#[test]
fn c1_end_of_local_day_counting_is_a_policy_choice() {
    let mut p = ali();
    p.day_counting = DayCounting::EndOfLocalDay;
    // 60 days after 1 March ends with 30 April: 1 May 00:00 PDT = 07:00 UTC.
    assert_eq!(
        window(&at(&facts(), &p, "2026-03-20T00:00:00Z")).1,
        t("2026-05-01T07:00:00Z")
    );
}

#[test]
fn c1_time_zone_is_policy_data() {
    let mut p = ali();
    p.time_zone = chrono_tz::Europe::Moscow;
    // 1 March 21:00 MSK; day 11 begins 12 March 00:00 MSK = 11 March 21:00 UTC.
    assert_eq!(
        window(&at(&facts(), &p, "2026-03-20T00:00:00Z")).0,
        t("2026-03-11T21:00:00Z")
    );
}

// ---- answers ----------------------------------------------------------

#[test]
fn not_shipped_is_blocked_with_no_window() {
    let mut f = facts();
    f.shipped_at = None;
    let e = at(&f, &ali(), "2026-03-20T00:00:00Z");
    assert_eq!(
        (e.status, e.code, e.window),
        (Status::Blocked, Some(Ineligible::NotShipped), None)
    );
}

#[test]
fn explanation_only_when_asked() {
    let f = facts();
    let quiet = assess(&f, &ali(), t("2026-03-20T00:00:00Z"), Explain::No).unwrap();
    assert!(quiet.explanation.is_none());
    let loud = at(&f, &ali(), "2026-03-20T00:00:00Z");
    let steps = loud.explanation.unwrap();
    assert!(steps
        .steps()
        .iter()
        .any(|s| s.rule == Rule::E2 && s.text.contains("60 days")));
    assert_eq!(quiet.rules, loud.rules);
}

#[test]
fn chargeback_pointer_after_the_window_for_cards() {
    let e = at(&facts(), &ali(), "2026-05-10T00:00:00Z");
    assert_eq!(
        e.next_actions.first().map(|a| a.kind),
        Some(ActionKind::ConsiderChargeback)
    );
    assert!(e.rules.contains(Rule::L7));
    let mut f = facts();
    f.payment_method = crate::facts::PaymentMethod::WesternUnion;
    assert!(at(&f, &ali(), "2026-05-10T00:00:00Z")
        .next_actions
        .is_empty());
}

#[test]
fn legacy_delivered_cut() {
    let mut f = facts();
    f.tracking = Tracking::Delivered {
        at: t("2026-03-20T18:00:00Z"),
        to_correct_address: true,
    };
    let p = Policy::aliexpress_legacy();
    // Delivered 20 March 11:00 PDT; 5 days, to the end of the local day: 26 March 00:00 PDT.
    let e = at(&f, &p, "2026-03-21T00:00:00Z");
    assert_eq!(e.protection_end.unwrap().utc, t("2026-03-26T07:00:00Z"));
    let tl = timeline::build(&f, &p, t("2026-03-21T00:00:00Z"), Explain::No).unwrap();
    assert!(tl.get(Milestone::DeliveredCutEnds).is_some());
}

#[test]
fn timeline_is_ordered_and_marks_passed_dates() {
    let mut f = facts();
    f.extensions.push(ExtensionRequest {
        requested_at: t("2026-04-20T17:00:00Z"),
        days: 10,
        status: ExtensionStatus::Approved,
        decided_at: Some(t("2026-04-21T17:00:00Z")),
    });
    let now = t("2026-04-22T00:00:00Z");
    let tl = timeline::build(&f, &ali(), now, Explain::Yes).unwrap();
    assert!(tl.entries.windows(2).all(|w| w[0].at <= w[1].at));
    for e in &tl.entries {
        assert_eq!(e.passed, now >= e.at.utc, "{:?}", e.milestone);
    }
    assert_eq!(
        tl.get(Milestone::ProtectionEnds).unwrap().at.utc,
        t("2026-04-30T17:00:00Z")
    );
    assert_eq!(
        tl.get(Milestone::ExtendedProtectionEnds).unwrap().at.utc,
        t("2026-05-10T17:00:00Z")
    );
    assert_eq!(
        tl.get(Milestone::DisputeWindowCloses).unwrap().at.utc,
        t("2026-05-10T17:00:00Z")
    );
    assert_eq!(tl.next().unwrap().milestone, Milestone::ProtectionEnds);
    assert!(tl.rules.contains(Rule::E5));
    assert_eq!(tl.explanation.unwrap().steps().len(), tl.entries.len());
}

#[test]
fn e8_a_reopen_cites_r_e8_and_delivered_goods_need_no_extension() {
    let mut f = facts();
    f.disputes.push(dispute(
        PriorDisputeStatus::Cancelled,
        "2026-03-13T00:00:00Z",
        Some("2026-03-14T00:00:00Z"),
    ));
    assert!(at(&f, &ali(), "2026-03-20T00:00:00Z")
        .rules
        .contains(Rule::E8));
    assert!(!at(&facts(), &ali(), "2026-03-20T00:00:00Z")
        .rules
        .contains(Rule::E8));
    let mut d = facts();
    d.tracking = Tracking::Delivered {
        at: t("2026-03-15T18:00:00Z"),
        to_correct_address: true,
    };
    let tl = timeline::build(&d, &ali(), t("2026-03-20T00:00:00Z"), Explain::No).unwrap();
    assert!(tl.get(Milestone::ExtensionRequestDeadline).is_none());
    let e = at(&d, &ali(), "2026-03-20T00:00:00Z");
    assert!(e
        .next_actions
        .iter()
        .all(|a| a.kind != ActionKind::RequestExtension));
}

#[test]
fn c1_dates_carry_the_zones_offsets_for_their_moments() {
    // The offsets found while computing the dates (no second lookup) are
    // the zone's at each instant: shipments an hour apart across the 2026
    // spring-forward and fall-back in three zones, both counting rules,
    // with and without a confirmation and an approved extension.
    let zones = [
        chrono_tz::America::Los_Angeles,
        chrono_tz::Europe::London,
        chrono_tz::Australia::Lord_Howe,
    ];
    let mut checked = 0;
    for tz in zones {
        for counting in [DayCounting::SameWallClock, DayCounting::EndOfLocalDay] {
            let mut p = ali();
            p.time_zone = tz;
            p.day_counting = counting;
            let cal = p.calendar();
            for start in ["2026-02-20T00:30:00Z", "2026-09-20T00:30:00Z"] {
                for h in 0..(40 * 24) {
                    let mut f = facts();
                    let shipped = t(start) + chrono::Duration::hours(h);
                    f.shipped_at = Some(shipped);
                    f.paid_at = Some(shipped - chrono::Duration::days(1));
                    if h % 3 == 0 {
                        f.receipt = Some(Receipt {
                            at: shipped + chrono::Duration::days(9),
                            by: crate::facts::ConfirmedBy::Buyer,
                        });
                    }
                    let Ok(d) = dates(&f, &p, shipped) else {
                        continue;
                    };
                    let all = [
                        Some(d.shipped),
                        Some(d.protection_end_base),
                        Some(d.protection_end),
                        d.delivered_cut,
                        Some(d.earliest),
                        d.confirmed,
                        d.confirmation_window_end,
                        Some(d.opens_at),
                        Some(d.closes_at),
                        d.extension_deadline,
                    ];
                    for z in all.into_iter().flatten() {
                        let m = d.moment(z);
                        assert_eq!(m.utc, z.at);
                        assert_eq!(m.offset(), cal.moment(z.at).offset(), "{tz} {}", z.at);
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 20_000, "{checked}");
}
