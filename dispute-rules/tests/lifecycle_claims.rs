//! Claims in the lifecycle are claims (issue 17): for any facts, claim,
//! buyer's report, policy and instant, opening a dispute accepts a claim
//! exactly when the claim check accepts it, and refuses it with the same
//! problems (C-2, C-4, R-S1, R-R14, R-R15, R-V2, the report) or, when the
//! line is not eligible, with the same R-E9 code. A claim changed on an open
//! dispute (`modify_claim`, `reopen`) is accepted exactly when the claim
//! check accepts its terms on the same facts, with the same problems
//! (eligibility aside: the dispute is open, and reopening has its own
//! window; attachments aside: they come with the claim document at the
//! opening, R-V2).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{DateTime, Duration, Utc};
use dispute_rules::facts::{ConfirmedBy, PriorDispute, PriorDisputeStatus, Receipt, Tracking};
use dispute_rules::lifecycle::{Action, Actor, ClaimRequest, Dispute, Event, EventKind};
use dispute_rules::reasons::{
    check_claim, Attachment, AttachmentKind, BuyerReport, Claim, EvidenceKind, Reason, RefundType,
    Solution,
};
use dispute_rules::{Error, Explain, Money, OrderFacts, Policy, Problem};
use proptest::prelude::*;
use rust_decimal::Decimal;

type T = DateTime<Utc>;

/// The sample's dispute window opens (R-E1: the 11th day after shipment on
/// 1 March, 00:00 PDT).
const OPENS: &str = "2026-03-12T07:00:00Z";

fn t(s: &str) -> T {
    s.parse().unwrap()
}

fn cents(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

/// The line: facts generated around the sample (shipped or not, received
/// or not, cancelled, refunded, earlier disputes), and the last fact's
/// instant.
#[derive(Debug, Clone)]
struct Line {
    facts: OrderFacts,
    last: T,
}

fn arb_line() -> impl Strategy<Value = Line> {
    (
        (
            1i64..5_000,
            1u32..4,
            0i64..800,
            prop::option::of(0i64..=100),
        ),
        (
            prop::bool::weighted(0.85),
            0u8..4,
            prop::option::of(0i64..40 * 86400),
        ),
        (prop::option::of(0i64..20 * 86400), 0u8..12, 0u8..16),
    )
        .prop_map(
            |(
                (unit, qty, ship, coupon_pct),
                (shipped, tracking, receipt),
                (cancel, refund, prior),
            )| {
                let mut f = OrderFacts::from_json(include_str!("data/not_received.json")).unwrap();
                let cur = f.unit_price.currency;
                let usd = |a: Decimal| Money::new(a, cur);
                f.unit_price = usd(cents(unit));
                f.quantity = qty;
                f.shipping_cost = usd(cents(ship));
                let total = cents(unit) * Decimal::from(qty) + cents(ship);
                f.coupon = coupon_pct
                    .map(|p| usd((total * Decimal::from(p) / Decimal::from(100)).round_dp(2)));
                let s = f.shipped_at.unwrap();
                let mut last = s;
                if !shipped {
                    f.shipped_at = None;
                    last = f.paid_at.unwrap();
                } else {
                    f.tracking = match tracking {
                        0 => Tracking::None,
                        1 => Tracking::InTransit {
                            last_event_at: Some(s + Duration::days(2)),
                        },
                        _ => Tracking::Delivered {
                            at: s + Duration::days(8),
                            to_correct_address: tracking == 2,
                        },
                    };
                    last = last.max(s + Duration::days(8));
                    if let Some(off) = receipt {
                        let at = s + Duration::days(9) + Duration::seconds(off);
                        f.receipt = Some(Receipt {
                            at,
                            by: ConfirmedBy::Buyer,
                        });
                        last = last.max(at);
                    }
                    // Earlier disputes on the line (R-E6..R-E8).
                    let opened = s + Duration::days(12);
                    let (status, closed_at) = match prior {
                        0 => (Some(PriorDisputeStatus::Open), None),
                        1 => (
                            Some(PriorDisputeStatus::ClosedByAgreement),
                            Some(opened + Duration::days(1)),
                        ),
                        2 | 3 => (
                            Some(PriorDisputeStatus::Cancelled),
                            Some(opened + Duration::hours(5)),
                        ),
                        _ => (None, None),
                    };
                    if let Some(status) = status {
                        f.disputes.push(PriorDispute {
                            opened_at: opened,
                            status,
                            closed_at,
                        });
                        last = last.max(closed_at.unwrap_or(opened));
                    }
                }
                if let Some(off) = cancel {
                    let at = f.placed_at + Duration::seconds(off);
                    f.order_cancelled_at = Some(at);
                    last = last.max(at);
                }
                if refund == 0 {
                    let at = last + Duration::days(1);
                    f.refund_completed_at = Some(at);
                    last = at;
                }
                Line { facts: f, last }
            },
        )
}

/// How the amount asked relates to the line's full amount.
#[derive(Debug, Clone, Copy)]
enum Ask {
    Full,
    /// The full amount plus this many cents (-3..=3).
    Near(i64),
    Half,
    Zero,
    Euro,
}

fn arb_ask() -> impl Strategy<Value = Ask> {
    prop_oneof![
        5 => Just(Ask::Full),
        3 => (-3i64..=3).prop_map(Ask::Near),
        3 => Just(Ask::Half),
        1 => Just(Ask::Zero),
        1 => Just(Ask::Euro),
    ]
}

fn arb_claim() -> impl Strategy<Value = (Reason, Solution, Ask, Option<RefundType>, u8)> {
    let reason = proptest::sample::select(Reason::ALL.to_vec());
    let any = (
        reason.clone(),
        proptest::sample::select(Solution::ALL.to_vec()),
        arb_ask(),
        prop::option::of(prop_oneof![
            Just(RefundType::Full),
            Just(RefundType::Partial)
        ]),
        // Attachments: none, a photo, an oversized photo, a file in a format
        // the policy refuses.
        0u8..4,
    );
    // Often a claim the default tables accept: the preferred solution, the
    // full amount, a photo.
    let sensible = reason.prop_map(|r| {
        let s = if r == Reason::ReceivedBuyerRemorse {
            Solution::ReturnAndRefund
        } else {
            Solution::RefundOnly
        };
        (r, s, Ask::Full, None, 1)
    });
    prop_oneof![2 => any, 1 => sensible]
}

fn amount(f: &OrderFacts, a: Ask) -> Money {
    let full = f.refund_cap().unwrap();
    match a {
        Ask::Full => full,
        Ask::Near(d) => Money::new(full.amount + cents(d), full.currency),
        Ask::Half => Money::new((full.amount / Decimal::TWO).round_dp(2), full.currency),
        Ask::Zero => Money::new(Decimal::ZERO, full.currency),
        Ask::Euro => Money::parse("5", "EUR").unwrap(),
    }
}

fn claim_of(f: &OrderFacts, c: (Reason, Solution, Ask, Option<RefundType>, u8)) -> Claim {
    let (reason, solution, ask, refund_type, files) = c;
    let photo = |name: &str, size: u64| Attachment {
        kind: AttachmentKind::Image,
        file_name: name.to_owned(),
        format: name.rsplit_once('.').unwrap().1.to_owned(),
        size_bytes: size,
        shows: EvidenceKind::ItemPhoto,
    };
    let evidence = match files {
        0 => vec![],
        1 => vec![photo("a.jpg", 500_000)],
        2 => vec![photo("a.jpg", 3 * 1024 * 1024)],
        _ => vec![photo("a.tiff", 500_000)],
    };
    let mut claim = Claim::new(reason, solution, amount(f, ask)).with_evidence(evidence);
    claim.refund_type = refund_type;
    claim
}

fn arb_report() -> impl Strategy<Value = Option<BuyerReport>> {
    prop::option::of(
        (
            prop::option::of(any::<bool>()),
            prop::option::of(0u32..4),
            any::<bool>(),
        )
            .prop_map(|(received, units_received, damaged)| {
                let mut report = BuyerReport::new().with_damaged(damaged);
                report.received = received;
                report.units_received = units_received;
                report
            }),
    )
}

/// The presets, and switches of the reasons policy that change the claim
/// check (R-S1 `return_means_full_refund`, R-R15 `cancellation_skips_timer`).
fn arb_policy() -> impl Strategy<Value = Policy> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(legacy, full, skips)| {
        let mut p = if legacy {
            Policy::aliexpress_legacy()
        } else {
            Policy::aliexpress()
        };
        p.reasons.return_means_full_refund = full;
        p.reasons.cancellation_skips_timer = skips;
        if !full {
            p.lifecycle.partial_refund_with_return = true;
        }
        p.validate().unwrap();
        p
    })
}

/// The R-E9 code of the claim check's `eligibility` problem, if any.
fn eligibility_code(problems: &[Problem]) -> Option<String> {
    problems
        .iter()
        .find(|p| p.field() == "eligibility")
        .map(|p| p.message().split('`').nth(1).unwrap().to_owned())
}

/// The problems with a claim's terms: eligibility aside (the dispute is
/// open; reopening has its own window, R-E8), and the attachments aside
/// (R-V2: they come with the claim document at the opening; `modify_claim`
/// and `reopen` carry none, evidence is added with `add_evidence`).
fn terms_problems(problems: &[Problem]) -> Vec<Problem> {
    problems
        .iter()
        .filter(|p| p.field() != "eligibility" && p.field() != "claim.evidence")
        .cloned()
        .collect()
}

/// The opening agrees with the claim check: both accept, or both refuse with
/// the same problems (the R-E9 code as an illegal transition).
fn same_answer(
    check: Result<(), Error>,
    open: Result<Dispute, Error>,
) -> Result<(), TestCaseError> {
    match (check, open) {
        (Ok(()), Ok(_)) => {}
        (Err(Error::InvalidClaim(p)), Err(e)) => match eligibility_code(p.list()) {
            Some(code) => {
                let Error::IllegalTransition(te) = &e else {
                    return Err(TestCaseError::fail(format!(
                        "ineligible (`{code}`) but the lifecycle answered {e}"
                    )));
                };
                prop_assert_eq!(te.code(), Some(code.as_str()));
                prop_assert_eq!((te.event(), te.actor()), ("open", "buyer"));
            }
            None => prop_assert_eq!(e, Error::InvalidClaim(p)),
        },
        (Err(a), Err(b)) => prop_assert_eq!(a, b),
        (a, b) => {
            return Err(TestCaseError::fail(format!(
                "the claim check answered {a:?}, the lifecycle {:?}",
                b.map(|d| d.state().name())
            )))
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    /// `open_claim` (the claim document, the report) and `open` (reason,
    /// solution, amount) accept exactly what `check_claim` accepts.
    #[test]
    fn opening_accepts_exactly_what_the_claim_check_accepts(
        line in arb_line(),
        c in arb_claim(),
        report in arb_report(),
        policy in arb_policy(),
        after in prop_oneof![6 => 0i64..3 * 86400, 1 => -86400i64..0, 1 => 0i64..130 * 86400],
    ) {
        let f = &line.facts;
        // From the last fact, and mostly once the sample's window has opened
        // (12 March 00:00 PDT, R-E1).
        let now = line.last.max(t(OPENS)) + Duration::seconds(after);
        let claim = claim_of(f, c);
        let check = check_claim(f, report.as_ref(), &claim, &policy, now, Explain::No).map(|_| ());
        let open = Dispute::open_claim(f, report.as_ref(), &claim, &policy, now);
        if let Ok(d) = &open {
            // The dispute keeps the claim's terms and the line's facts.
            prop_assert_eq!(d.claim().refund, claim.refund);
            prop_assert_eq!(d.line().refund_cap, f.refund_cap().unwrap());
            prop_assert_eq!(d.line().order_cancelled, f.order_cancelled_at.is_some());
        }
        same_answer(check, open)?;
        // The typed opening: no attachments, no refund type, no report.
        let bare = { let mut c = claim.clone(); c.refund_type = None; c.evidence = Vec::new(); c };
        let request = ClaimRequest { reason: claim.reason, solution: claim.solution, refund: claim.refund };
        let check = check_claim(f, None, &bare, &policy, now, Explain::No).map(|_| ());
        same_answer(check, Dispute::open(f, &policy, request, now))?;
    }

    /// `modify_claim` and `reopen` accept exactly the claims whose terms the
    /// claim check accepts on the same facts, with the same problems.
    #[test]
    fn modify_and_reopen_accept_exactly_what_the_claim_check_accepts(
        line in arb_line(),
        c in arb_claim(),
        policy in arb_policy(),
        after in 0i64..20 * 86400,
    ) {
        let f = &line.facts;
        // A dispute open on the line: the full amount, refund only.
        let opened = line.last.max(t(OPENS)) + Duration::seconds(after);
        let base = ClaimRequest {
            reason: Reason::NotReceivedNoRefundAfterCancellation,
            solution: Solution::RefundOnly,
            refund: f.refund_cap().unwrap(),
        };
        let base = if f.order_cancelled_at.is_some() {
            base
        } else {
            ClaimRequest { reason: Reason::NotReceivedNoTracking, ..base }
        };
        let Ok(d) = Dispute::open(f, &policy, base, opened) else {
            return Ok(());
        };
        let claim = { let mut c = claim_of(f, c); c.refund_type = None; c.evidence = Vec::new(); c };
        let request = ClaimRequest { reason: claim.reason, solution: claim.solution, refund: claim.refund };
        let expected = match check_claim(f, None, &claim, &policy, opened, Explain::No) {
            Ok(_) => Vec::new(),
            Err(Error::InvalidClaim(p)) => terms_problems(p.list()),
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let answer = |r: Result<(), Error>| match r {
            Ok(()) => Ok(Vec::new()),
            Err(Error::InvalidClaim(p)) => Ok(p.list().to_vec()),
            Err(e) => Err(e),
        };
        // Modify, while the seller has not answered.
        let mut m = d.clone();
        let at = opened + Duration::hours(1);
        let r = m.apply(Event::new(at, Actor::Buyer, Action::ModifyClaim { claim: request }));
        prop_assert_eq!(answer(r).unwrap(), expected.clone());
        prop_assert_eq!(m.claim() == &request, expected.is_empty());
        // Reopen after a cancellation (where the dispute may be reopened).
        let mut r = d;
        r.apply(Event::new(at, Actor::Buyer, Action::Cancel)).unwrap();
        let later = at + Duration::hours(1);
        if r.allowed_actions(Actor::Buyer, later).contains(EventKind::Reopen) {
            let e = Event::new(later, Actor::Buyer, Action::Reopen { claim: Some(request) });
            let before = r.clone();
            let got = answer(r.apply(e)).unwrap();
            prop_assert_eq!(&got, &expected);
            if !got.is_empty() {
                prop_assert_eq!(r, before);
            } else {
                prop_assert_eq!(r.claim(), &request);
            }
        }
    }
}

/// The issue's example: goods not received (in transit), 10.00 plus 2.00
/// shipping, a claim `not_received.too_long` for 6.00, refund only: the
/// claim check refuses it (C-4) and so does the lifecycle, with the same
/// problem; nothing opens.
#[test]
fn the_issue_example_opens_nothing() {
    let mut f = OrderFacts::from_json(include_str!("data/not_received.json")).unwrap();
    f.unit_price = Money::parse("10.00", "USD").unwrap();
    f.shipping_cost = Money::parse("2.00", "USD").unwrap();
    f.tracking = Tracking::InTransit {
        last_event_at: Some(t("2026-03-03T00:00:00Z")),
    };
    let now = t("2026-03-20T12:00:00Z");
    let claim = ClaimRequest {
        reason: Reason::NotReceivedTooLong,
        solution: Solution::RefundOnly,
        refund: Money::parse("6.00", "USD").unwrap(),
    };
    let p = Policy::aliexpress();
    let doc = Claim::new(claim.reason, claim.solution, claim.refund);
    let Err(Error::InvalidClaim(expected)) = check_claim(&f, None, &doc, &p, now, Explain::No)
    else {
        panic!("the claim check accepts it")
    };
    let e = Dispute::open(&f, &p, claim, now).unwrap_err();
    assert_eq!(e, Error::InvalidClaim(expected));
    assert_eq!(e.field(), "claim.refund.amount");
    assert_eq!(
        e.problems()[0].message(),
        "goods not received are refunded in full: `12.00 USD`, not `6.00` (C-4)"
    );
    // The JSON operation answers the same, with the claim document.
    let req = serde_json::json!({
        "facts": serde_json::to_value(&f).unwrap(),
        "now": "2026-03-20T12:00:00Z",
        "claim": {"reason": "not_received.too_long", "solution": "refund_only",
                  "refund": {"amount": "6.00", "currency": "USD"}},
    });
    let out: serde_json::Value = serde_json::from_str(&dispute_rules::api::call(
        "lifecycle_open",
        &req.to_string(),
    ))
    .unwrap();
    let check: serde_json::Value =
        serde_json::from_str(&dispute_rules::api::call("check_claim", &req.to_string())).unwrap();
    assert_eq!(out["result"], "failure", "{out}");
    assert_eq!(out["error"], check["error"], "{out} vs {check}");
}
