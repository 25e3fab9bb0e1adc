//! Back-to-back disputes: the customer's dispute against the seller (on
//! PayPal, eBay, Amazon or a card) beside the seller's own supplier dispute
//! (AliExpress) for the same goods.
//!
//! [`assess`] answers which deadline binds first (BB-3), whether the supplier
//! route is still open, closes before the customer's platform decides, or has
//! already closed (then what is uncovered: the order value plus fees), the
//! exposure gap between the two windows (BB-2), and the next actions in
//! order, each with the rule ids that call for it.
//!
//! The supplier side is the engine's own answer ([`eligibility::assess`],
//! [`crate::timeline::build`], [`reasons::suggest`]) for the supplier's
//! [`OrderFacts`] and [`Policy`]; the customer side is
//! [`crate::selling::seller_timeline`].
//!
//! ```
//! use dispute_rules::backtoback::{self, RouteState};
//! use dispute_rules::selling::{CustomerDispute, CustomerOrder, SellingPolicy};
//! use dispute_rules::{Explain, OrderFacts, Policy};
//!
//! let order = CustomerOrder::from_json(r#"{"schema_version": 1, "order_id": "S-1001",
//!   "platform": "paypal", "amount": {"amount": "59.90", "currency": "USD"},
//!   "paid_at": "2026-02-28T03:30:00Z"}"#).unwrap();
//! let dispute = CustomerDispute::from_json(r#"{"reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
//!   "stage": "inquiry", "opened_at": "2026-04-25T21:00:00Z"}"#).unwrap();
//! let supplier = OrderFacts::from_json(r#"{"schema_version": 1, "order_id": "8123", "line_id": "1",
//!   "unit_price": {"amount": "12.00", "currency": "USD"}, "quantity": 1,
//!   "shipping_cost": {"amount": "0", "currency": "USD"},
//!   "placed_at": "2026-02-28T04:00:00Z", "shipped_at": "2026-03-02T18:00:00Z",
//!   "shipping_method": "standard", "destination_country": "US",
//!   "tracking": {"status": "in_transit"}, "payment_method": "card"}"#).unwrap();
//! let now = "2026-04-26T12:00:00Z".parse().unwrap();
//! let b = backtoback::assess(&order, Some(&dispute), &SellingPolicy::preset("paypal").unwrap(),
//!                            &supplier, &Policy::aliexpress(), now, None, Explain::No).unwrap();
//! // BB-3: the AliExpress extension cutoff binds first, before anything PayPal asks.
//! let first = b.binding.unwrap();
//! assert_eq!((first.milestone, first.rule.id()), ("extension_request_deadline", "R-E5"));
//! assert_eq!(first.at.to_string(), "2026-04-28 10:00 PDT (2026-04-28 17:00 UTC)");
//! assert_eq!(b.supplier_route.state, RouteState::Open);
//! assert_eq!(b.supplier_route.closes_before_customer_decision, Some(true));
//! ```

use crate::calendar::Moment;
use crate::eligibility::{self, ActionKind as SupplierActionKind, Eligibility, Ineligible, Status};
use crate::error::{Error, Problems};
use crate::explain::Explain;
use crate::facts::{OrderFacts, Tracking};
use crate::money::Money;
use crate::policy::Policy;
use crate::reasons::{self, BuyerReport, Reason};
use crate::rules::Rule;
use crate::selling::facts::{CustomerDispute, CustomerOrder, DayOrInstant};
use crate::selling::policy::{Confidence, Family, SellingPolicy};
use crate::selling::rules::{AnyRule, RuleIds, SellingRule, Step, Steps};
use crate::selling::timeline::{self, Origin, SellerActionKind, SellerTimeline};
use crate::timeline::{Milestone as SupplierMilestone, Timeline};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// Which side of the back-to-back a date or action belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The customer's dispute against the seller.
    Customer,
    /// The seller's dispute against the supplier.
    Supplier,
}

/// One date of either side, in one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Deadline {
    /// The side.
    pub side: Side,
    /// What it is (the side's milestone name).
    pub milestone: &'static str,
    /// When, in UTC and in the display zone.
    pub at: Moment,
    /// The rule that sets it.
    pub rule: AnyRule,
    /// Where the instant comes from (supplier dates are always computed by
    /// the engine, or facts).
    pub origin: Origin,
    /// For a computed customer-side instant: how sure it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Whether the seller must act before it (BB-3).
    pub binds_seller: bool,
    /// Whether `now` is at or past it.
    pub passed: bool,
    /// What to do before it.
    pub before: &'static str,
}

/// Where the supplier route stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RouteState {
    /// A supplier dispute can be opened now.
    Open,
    /// Not yet (R-E1); it will open.
    NotYetOpen,
    /// The supplier window has closed, or a final outcome rules it out.
    Closed,
    /// A supplier dispute is already open (R-E6).
    DisputeOpen,
    /// The supplier already refunded the line.
    Refunded,
    /// The supplier has not shipped.
    NotShipped,
    /// The customer's reason has no supplier counterpart (fraud, duplicate
    /// charges...): nothing to recover from the supplier.
    NotApplicable,
}

/// The supplier route for the customer's problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SupplierRoute {
    /// Where it stands.
    pub state: RouteState,
    /// The supplier side's R-E9 code, when not eligible.
    pub code: Option<Ineligible>,
    /// When the supplier window opens.
    pub opens_at: Option<Moment>,
    /// When it closes.
    pub closes_at: Option<Moment>,
    /// When the customer's platform may decide (its expected decision, else
    /// the seller's response deadline).
    pub customer_decision_at: Option<Moment>,
    /// Whether the supplier window closes before that (`null` when either is
    /// unknown or the route is not open).
    pub closes_before_customer_decision: Option<bool>,
    /// The supplier-side reason to open with (R-R1..R-R15).
    pub reason: Option<Reason>,
    /// The rules behind the answer.
    pub rules: RuleIds,
}

/// BB-2: how long after the supplier route closes a customer can still file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Gap {
    /// The customer's last filing instant (the latest window end).
    pub customer_last_filing: Moment,
    /// The supplier's last dispute instant.
    pub supplier_last_dispute: Moment,
    /// `customer_last_filing - supplier_last_dispute`, in seconds.
    pub seconds: i64,
    /// The same in whole days, rounded toward zero.
    pub days: i64,
    /// Whether a customer dispute can arrive after the supplier route closed.
    pub customer_can_file_after_supplier_closes: bool,
}

/// What a back-to-back action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionKind {
    /// Ask the supplier to extend protection (R-E5).
    RequestSupplierExtension,
    /// Open the supplier dispute (R-E1) with the given reason.
    OpenSupplierDispute,
    /// If the extension is not approved in time, open the supplier dispute.
    OpenSupplierDisputeIfExtensionNotApproved,
    /// Follow the supplier dispute already open (R-E6).
    FollowSupplierDispute,
    /// A chargeback on the payment to the supplier (R-L7).
    ConsiderSupplierChargeback,
    /// Respond to the customer's dispute.
    RespondToCustomer,
    /// Settle with the customer before escalation.
    ResolveBeforeEscalation,
    /// Issue the refund offered to the customer.
    IssueRefund,
    /// Appeal the customer-side decision.
    Appeal,
    /// The customer filed outside their window.
    ContestLateFiling,
    /// The platform allows no response.
    NoResponsePossible,
}

/// A next action, with the side, the time limits and the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Action {
    /// The side it acts on.
    pub side: Side,
    /// What to do.
    pub kind: ActionKind,
    /// Not before this instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Moment>,
    /// Before this instant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Moment>,
    /// The supplier-side reason to use, for a supplier dispute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier_reason: Option<Reason>,
    /// The rules that call for it.
    pub rules: RuleIds,
    /// Plain-English instruction.
    pub text: String,
}

/// The supplier side, as the engine answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SupplierSide {
    /// Can a supplier dispute be opened.
    pub eligibility: Eligibility,
    /// Every supplier date.
    pub timeline: Timeline,
}

/// The back-to-back answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BackToBack {
    /// The customer side.
    pub customer: SellerTimeline,
    /// The supplier side.
    pub supplier: SupplierSide,
    /// Every date of both sides, earliest first.
    pub deadlines: Vec<Deadline>,
    /// BB-3: the first deadline the seller must meet that has not passed.
    pub binding: Option<Deadline>,
    /// Where the supplier route stands.
    pub supplier_route: SupplierRoute,
    /// BB-2: the gap between the customer's and the supplier's windows.
    pub gap: Option<Gap>,
    /// What the seller cannot recover from the supplier if the customer wins
    /// (the order value plus fees), when the supplier route is closed or does
    /// not apply.
    pub uncovered: Option<Money>,
    /// What to do next, soonest deadline first.
    pub next_actions: Vec<Action>,
    /// Every rule applied, both sides.
    pub rules: RuleIds,
    /// Plain-English steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Vec<Step>>,
}

fn merge(a: Result<(), Error>, b: Result<(), Error>) -> Result<(), Error> {
    match (a, b) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Err(e), Err(f)) if e.kind() == f.kind() => {
            let mut list = e.problems();
            list.extend(f.problems());
            Err(Error::InvalidFacts(Problems::new(list)))
        }
        (Err(e), Err(_)) => Err(e),
    }
}

/// The back-to-back assessment at `now`: the customer's order (and dispute,
/// when one is open) on the selling platform, beside the supplier's order
/// facts under the supplier policy. Local instants are shown in `zone`
/// (default: the supplier policy's zone).
///
/// Validates every input first and reports every problem at once: customer
/// fields as `customer_order.…` / `customer_dispute.…`, supplier fields as
/// `facts.…`.
#[allow(clippy::too_many_arguments)]
pub fn assess(
    order: &CustomerOrder,
    dispute: Option<&CustomerDispute>,
    selling: &SellingPolicy,
    supplier_facts: &OrderFacts,
    supplier_policy: &Policy,
    now: DateTime<Utc>,
    zone: Option<Tz>,
    explain: Explain,
) -> Result<BackToBack, Error> {
    let customer_ok = timeline::validate(order, dispute, selling, now);
    let supplier_ok = supplier_facts
        .validate(supplier_policy, now)
        .map_err(|e| e.nested("facts"));
    merge(customer_ok, supplier_ok)?;
    let tz = zone.unwrap_or(supplier_policy.time_zone);
    let mut steps = Steps::new(explain);
    let mut rules = RuleIds::EMPTY;

    // BB-1: the supplier's tracking is the customer's parcel.
    let mut order_seen = order.clone();
    if let (
        None,
        Tracking::Delivered {
            at,
            to_correct_address: true,
        },
    ) = (order.delivered_at, supplier_facts.tracking)
    {
        if at >= order.paid_at {
            order_seen.delivered_at = Some(DayOrInstant::Instant(at));
            rules.insert(SellingRule::BB1);
            steps.step(SellingRule::BB1, || {
                format!(
                    "the customer's delivery is taken from the supplier's tracking: {}",
                    Moment::new(at, tz)
                )
            });
        }
    }
    let customer = timeline::build(&order_seen, dispute, selling, now, Some(tz), explain);
    let elig = eligibility::assess(supplier_facts, supplier_policy, now, explain)
        .map_err(|e| e.nested("facts"))?;
    let tl = crate::timeline::build(supplier_facts, supplier_policy, now, explain)
        .map_err(|e| e.nested("facts"))?;
    rules.extend(RuleIds::from(customer.rules));
    rules.supplier.extend(elig.rules);
    rules.supplier.extend(tl.rules);

    // The customer's problem and the supplier reason for it.
    let family = customer.reason.as_ref().map(|r| r.family);
    let candidates: Vec<Reason> = match &customer.reason {
        Some(r) => r.supplier_reasons.clone(),
        // No dispute yet: the parcel that never came is the case to prepare.
        None => Reason::ALL
            .iter()
            .copied()
            .filter(|r| !r.is_received() && *r != Reason::NotReceivedNoRefundAfterCancellation)
            .collect(),
    };
    let supplier_reason = pick_reason(
        &candidates,
        family.unwrap_or(Family::NotReceived),
        supplier_facts,
        supplier_policy,
        now,
    );

    // The route.
    let decision = customer.decision_at.map(|e| Moment::new(e.at.utc, tz));
    let window = elig.window;
    let state = if candidates.is_empty() {
        RouteState::NotApplicable
    } else {
        match (elig.status, elig.code) {
            (Status::Eligible, _) => RouteState::Open,
            (Status::NotYet, _) => RouteState::NotYetOpen,
            (_, Some(Ineligible::DisputeAlreadyOpen)) => RouteState::DisputeOpen,
            (_, Some(Ineligible::RefundComplete)) => RouteState::Refunded,
            (_, Some(Ineligible::NotShipped)) => RouteState::NotShipped,
            _ => RouteState::Closed,
        }
    };
    let mut route_rules = RuleIds::EMPTY;
    route_rules.supplier.extend(elig.rules);
    let live = matches!(state, RouteState::Open | RouteState::NotYetOpen);
    let closes_before = match (live, window, decision) {
        (true, Some(w), Some(d)) => Some(w.closes_at.utc < d.utc),
        _ => None,
    };
    if let Some(r) = supplier_reason {
        route_rules.insert(r.rule());
    }
    if closes_before.is_some() {
        route_rules.insert(SellingRule::BB3);
    }
    let route = SupplierRoute {
        state,
        code: elig.code,
        opens_at: window.map(|w| Moment::new(w.opens_at.utc, tz)),
        closes_at: window.map(|w| Moment::new(w.closes_at.utc, tz)),
        customer_decision_at: decision,
        closes_before_customer_decision: closes_before,
        reason: supplier_reason.filter(|_| state != RouteState::NotApplicable),
        rules: route_rules,
    };
    rules.extend(route_rules);
    steps.step(SellingRule::BB3, || {
        let closes = route
            .closes_at
            .map_or_else(|| "unknown".to_owned(), |m| m.to_string());
        match (state, closes_before) {
            (RouteState::NotApplicable, _) => format!(
                "a `{}` dispute has no supplier counterpart: nothing to recover from the supplier",
                family.map_or("", Family::code)
            ),
            (_, Some(true)) => format!(
                "the supplier window closes {closes}, before the customer's platform may decide, at {}",
                decision.map(|m| m.to_string()).unwrap_or_default()
            ),
            (_, Some(false)) => format!(
                "the supplier window stays open until {closes}, after the customer's platform may decide"
            ),
            _ => format!("the supplier route is `{}` (window end {closes})", state_code(state)),
        }
    });

    // Every date of both sides, and the binding one (BB-3).
    let mut deadlines: Vec<Deadline> = customer
        .entries
        .iter()
        .map(|e| Deadline {
            side: Side::Customer,
            milestone: e.milestone.as_str(),
            at: Moment::new(e.at.utc, tz),
            rule: AnyRule::Selling(e.rule),
            origin: e.origin,
            confidence: e.confidence,
            binds_seller: e.binds_seller,
            passed: e.passed,
            before: e.before,
        })
        .collect();
    for e in &tl.entries {
        let binds = live
            && matches!(
                e.milestone,
                SupplierMilestone::ExtensionRequestDeadline
                    | SupplierMilestone::ExtensionWaitEnds
                    | SupplierMilestone::DisputeWindowCloses
            );
        let origin = match e.milestone {
            SupplierMilestone::Shipped
            | SupplierMilestone::ReceiptConfirmed
            | SupplierMilestone::ExtensionRequested => Origin::Fact,
            _ => Origin::Computed,
        };
        deadlines.push(Deadline {
            side: Side::Supplier,
            milestone: e.milestone.as_str(),
            at: Moment::new(e.at.utc, tz),
            rule: AnyRule::Supplier(e.rule),
            origin,
            confidence: None,
            binds_seller: binds,
            passed: e.passed,
            before: e.before,
        });
    }
    deadlines.sort_by_key(|d| d.at.utc);
    let binding = deadlines
        .iter()
        .find(|d| d.binds_seller && !d.passed)
        .copied();
    if let Some(b) = binding {
        rules.insert(SellingRule::BB3);
        steps.step(SellingRule::BB3, || {
            format!(
                "binds first: the {} side's `{}` ({}), {}",
                side_code(b.side),
                b.milestone,
                b.rule,
                b.at
            )
        });
    }

    // BB-2: the exposure gap.
    let last_filing = customer
        .windows
        .iter()
        .filter_map(|w| w.closes_at)
        .max_by_key(|m| m.utc);
    let gap = match (last_filing, window) {
        (Some(c), Some(w)) => {
            let seconds = (c.utc - w.closes_at.utc).num_seconds();
            rules.insert(SellingRule::BB2);
            let g = Gap {
                customer_last_filing: Moment::new(c.utc, tz),
                supplier_last_dispute: Moment::new(w.closes_at.utc, tz),
                seconds,
                days: seconds / 86_400,
                customer_can_file_after_supplier_closes: seconds > 0,
            };
            steps.step(SellingRule::BB2, || {
                format!(
                    "a customer can file until {}, the supplier route closes {}: a gap of {} days",
                    g.customer_last_filing, g.supplier_last_dispute, g.days
                )
            });
            Some(g)
        }
        _ => None,
    };

    let uncovered = matches!(state, RouteState::Closed | RouteState::NotApplicable)
        .then_some(customer.exposure.total_if_lost);
    if let Some(u) = uncovered {
        rules.extend(RuleIds::from(customer.exposure.rules));
        steps.step(SellingRule::BB3, || {
            format!(
                "the supplier route cannot cover a loss: {u} is uncovered ({})",
                customer.exposure.loss
            )
        });
    }

    let next_actions = actions(
        &customer,
        &elig,
        &route,
        supplier_facts,
        supplier_policy,
        selling,
        tz,
        &mut rules,
    );
    Ok(BackToBack {
        customer,
        supplier: SupplierSide {
            eligibility: elig,
            timeline: tl,
        },
        deadlines,
        binding,
        supplier_route: route,
        gap,
        uncovered,
        next_actions,
        rules,
        explanation: steps.finish(),
    })
}

/// The supplier reason for the customer's problem: among the candidates, the
/// engine's best suggestion for the supplier facts (not received: from the
/// supplier's tracking), else the first candidate.
fn pick_reason(
    candidates: &[Reason],
    family: Family,
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Option<Reason> {
    if family != Family::NotReceived || candidates.len() < 2 {
        return candidates.first().copied();
    }
    let report = BuyerReport {
        received: Some(false),
        ..BuyerReport::default()
    };
    reasons::suggest(facts, &report, policy, now, Explain::No)
        .ok()
        .and_then(|s| {
            s.reasons
                .iter()
                .map(|x| x.reason)
                .find(|r| candidates.contains(r))
        })
        .or_else(|| candidates.first().copied())
}

const fn state_code(s: RouteState) -> &'static str {
    match s {
        RouteState::Open => "open",
        RouteState::NotYetOpen => "not_yet_open",
        RouteState::Closed => "closed",
        RouteState::DisputeOpen => "dispute_open",
        RouteState::Refunded => "refunded",
        RouteState::NotShipped => "not_shipped",
        RouteState::NotApplicable => "not_applicable",
    }
}

const fn side_code(s: Side) -> &'static str {
    match s {
        Side::Customer => "customer",
        Side::Supplier => "supplier",
    }
}

#[allow(clippy::too_many_arguments)]
fn actions(
    customer: &SellerTimeline,
    elig: &Eligibility,
    route: &SupplierRoute,
    facts: &OrderFacts,
    policy: &Policy,
    selling: &SellingPolicy,
    tz: Tz,
    rules: &mut RuleIds,
) -> Vec<Action> {
    let m = |x: Moment| Moment::new(x.utc, tz);
    let platform = selling.platform.display();
    let mut out = Vec::new();
    let reason = route.reason;
    let reason_text = reason.map_or_else(String::new, |r| {
        format!(" with reason `{}` ({})", r.code(), r.rule())
    });
    let decision_note = match (
        route.closes_before_customer_decision,
        route.customer_decision_at,
    ) {
        (Some(true), Some(d)) => format!(": it closes before {platform} may decide, at {d}"),
        _ => String::new(),
    };
    if route.state != RouteState::NotApplicable {
        for a in &elig.next_actions {
            let mut r = RuleIds::EMPTY;
            r.insert(a.rule);
            r.insert(SellingRule::BB3);
            let deadline = a.deadline.map(m);
            let (kind, text, with_reason) = match a.kind {
                SupplierActionKind::OpenDispute => {
                    if let Some(x) = reason {
                        r.insert(x.rule());
                    }
                    let when = match (route.state, a.from) {
                        (RouteState::NotYetOpen, Some(f)) => format!(" from {}", m(f)),
                        _ => " now".to_owned(),
                    };
                    (
                        ActionKind::OpenSupplierDispute,
                        format!(
                            "open the AliExpress dispute{when}{reason_text}, before {}{decision_note}",
                            deadline.map(|d| d.to_string()).unwrap_or_default()
                        ),
                        true,
                    )
                }
                SupplierActionKind::RequestExtension => (
                    ActionKind::RequestSupplierExtension,
                    format!(
                        "if the parcel is still moving, ask the AliExpress seller to extend protection before {}, leaving {} days for approval",
                        deadline.map(|d| d.to_string()).unwrap_or_default(),
                        policy.eligibility.extension_approval_wait_days
                    ),
                    false,
                ),
                SupplierActionKind::OpenDisputeIfExtensionNotApproved => {
                    if let Some(x) = reason {
                        r.insert(x.rule());
                    }
                    (
                        ActionKind::OpenSupplierDisputeIfExtensionNotApproved,
                        format!(
                            "if the AliExpress seller has not approved the extension by {}, open the dispute{reason_text} before {}",
                            a.from.map(|f| m(f).to_string()).unwrap_or_default(),
                            deadline.map(|d| d.to_string()).unwrap_or_default()
                        ),
                        true,
                    )
                }
                SupplierActionKind::FollowOpenDispute => (
                    ActionKind::FollowSupplierDispute,
                    "the AliExpress dispute is open: answer it there, with the customer's complaint as evidence".to_owned(),
                    false,
                ),
                SupplierActionKind::ConsiderChargeback => (
                    ActionKind::ConsiderSupplierChargeback,
                    "the AliExpress window is closed: as a last resort, a chargeback on the payment to AliExpress may be possible".to_owned(),
                    false,
                ),
            };
            rules.extend(r);
            out.push(Action {
                side: Side::Supplier,
                kind,
                from: a.from.map(m),
                deadline,
                supplier_reason: if with_reason { reason } else { None },
                rules: r,
                text,
            });
        }
    }
    let family = customer.reason.as_ref().map(|r| r.family);
    for a in &customer.next_actions {
        let mut r = RuleIds::from(a.rules);
        let kind = match a.kind {
            SellerActionKind::Respond => ActionKind::RespondToCustomer,
            SellerActionKind::ResolveBeforeEscalation => ActionKind::ResolveBeforeEscalation,
            SellerActionKind::IssueRefund => ActionKind::IssueRefund,
            SellerActionKind::Appeal => ActionKind::Appeal,
            SellerActionKind::ContestLateFiling => ActionKind::ContestLateFiling,
            SellerActionKind::NoResponsePossible => ActionKind::NoResponsePossible,
        };
        let deadline = a.deadline.map(m);
        let text = if kind == ActionKind::RespondToCustomer && family == Some(Family::NotReceived) {
            let due = deadline.map(|d| d.to_string()).unwrap_or_default();
            let sig = &customer.evidence.signature;
            let signature = match (sig.required, sig.threshold, sig.rule) {
                (Some(true), Some(t), Some(rule)) => {
                    r.insert(rule);
                    format!(", with the recipient's signature (the order reaches {t})")
                }
                _ => String::new(),
            };
            for e in &customer.evidence.items {
                r.insert(e.rule);
            }
            match facts.tracking {
                Tracking::Delivered {
                    at,
                    to_correct_address: true,
                } => {
                    r.insert(Rule::R6);
                    format!(
                        "answer {platform} before {due} with the supplier's tracking (delivered {}); it protects only if it shows the address the customer gave{signature}",
                        Moment::new(at, tz)
                    )
                }
                Tracking::Delivered {
                    to_correct_address: false,
                    ..
                } => {
                    r.insert(Rule::R5);
                    format!(
                        "answer {platform} before {due}: the supplier's tracking shows delivery to another address, which does not protect you; losing costs {}",
                        customer.exposure.total_if_lost
                    )
                }
                _ => format!(
                    "answer {platform} before {due} with the supplier's tracking; it does not show delivery yet, so it protects only once it does{signature}; losing costs {}",
                    customer.exposure.total_if_lost
                ),
            }
        } else {
            a.text.clone()
        };
        rules.extend(r);
        out.push(Action {
            side: Side::Customer,
            kind,
            from: None,
            deadline,
            supplier_reason: None,
            rules: r,
            text,
        });
    }
    // Soonest deadline first; actions without a deadline last.
    out.sort_by_key(|a| (a.deadline.is_none(), a.deadline.map(|d| d.utc)));
    out
}
