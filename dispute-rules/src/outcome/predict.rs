//! The model: inputs checked, amounts computed (C-4), the table's rows
//! summed, decisive facts applied, points turned into exact percentages.

use super::{
    Case, Confidence, Factor, FactorId, Factors, OpenApiOutcome, Outcome, OutcomeKind,
    OutcomePolicy, Points, Prediction, ReasonOutcome, SellerBehaviour, ShortagePolicy, Timeliness,
    Weights,
};
use crate::eligibility::{self, Eligibility, Ineligible};
use crate::error::{Collector, Error, Problems};
use crate::explain::{Explain, Tracer};
use crate::facts::{CheckedFacts, OrderFacts, PriorDisputeStatus, Tracking};
use crate::lifecycle::TimeoutOutcome;
use crate::money::Money;
use crate::policy::Policy;
use crate::reasons::{
    self, exact, Attachment, Claim, Payer, Reason, ReasonRules, RefundType, Solution,
};
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// Predicts the outcome of a dispute on `facts` at `now`.
///
/// Validates the facts ([`Error::InvalidFacts`]), the report against them
/// ([`Error::InvalidRequest`] naming `report.…`), the claim
/// ([`Error::InvalidClaim`]: `claim.refund.currency`, `claim.refund.amount`
/// above the cap, not above zero or partial where the reason allows no
/// partial refund, `claim.solution` the reason does not allow,
/// `claim.evidence[i].…` outside the R-V2 limits) and the seller's
/// behaviour ([`Error::InvalidRequest`]: `seller` without a claim,
/// `seller.amount.…` in another currency or above the cap). Without a claim,
/// the reason is the best suggestion for the report
/// ([`reasons::suggest`]); if nothing points to a reason, an
/// [`Error::InvalidRequest`] naming `claim`. For the full check of a claim
/// (against the report, R-E9), see [`reasons::check_claim`].
///
/// **Amounts** (C-4: never above the cap). A full refund, with or without
/// return, is the cap: price plus shipping, less the coupon. (With
/// `reasons.return_means_full_refund` false, a return comes with the amount
/// the counter-offer or the claim names.) A partial refund is, first that
/// applies: the seller's counter-offer; the partial amount the claim asks
/// for (003: the buyer knows the missing part's price, the facts have one
/// unit price per line); for a shortage with a unit count, the missing
/// units' share (unit price x missing, plus the shipping share and less the
/// coupon share as `outcome.shortage` says); else the reason's
/// `partial_percent` of the cap. Computed shares are rounded down to
/// `outcome.amount_decimals`.
///
/// **Likelihoods.** Every outcome's points are summed over the factors that
/// apply (see [`OutcomePolicy`]); negative totals and impossible outcomes
/// count as zero. No refund's share is rounded to the nearest percent
/// (halves towards the buyer), then the rest is split among the refunds by
/// largest remainder (ties in kind order), so the four add up to exactly
/// 100 and the buyer's odds move monotonically with the points. When every
/// total is zero, no refund gets 100%. A decisive fact gives its outcome
/// 100%; the first that applies wins: the seller accepted (R-E7,
/// `outcome.decisive.seller_accepted`), the seller stayed silent (R-L2, when
/// `lifecycle.seller_silent` is `resolve_as_requested`), filed late (R-O5,
/// `outcome.decisive.filed_late`), barred (R-E9, `outcome.decisive.barred`).
///
/// **Confidence** from the margin between the two likeliest outcomes
/// (`outcome.confidence`); decisive facts are high.
pub fn predict(
    case: &Case<'_>,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Prediction, Error> {
    let checked = CheckedFacts::new(case.facts, policy, now)?;
    predict_checked(&checked, case, explain)
}

/// [`predict`] for checked facts: nothing is validated or computed again
/// but the report, the claim and the seller's behaviour. `case.facts` must
/// be the checked facts (else an [`Error::InvalidRequest`] naming `facts`).
pub fn predict_checked(
    checked: &CheckedFacts<'_>,
    case: &Case<'_>,
    explain: Explain,
) -> Result<Prediction, Error> {
    if !std::ptr::eq(case.facts, checked.facts()) && case.facts != checked.facts() {
        return Err(Error::InvalidRequest(Problems::one(
            "facts",
            "the case's facts are not the facts that were checked",
        )));
    }
    let e = eligibility::assess_checked(checked, Explain::No);
    let known = Known {
        cap: case.facts.refund_cap(),
        evidence_ok: false,
    };
    predict_with(checked, case, &e, None, known, explain)
}

/// What the caller of [`predict_with`] already knows about the case.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known {
    /// C-4: the facts' cap ([`OrderFacts::refund_cap`]).
    pub(crate) cap: Option<Money>,
    /// R-V2: the claim's attachments are known to meet the limits; false:
    /// check them.
    pub(crate) evidence_ok: bool,
}

/// [`predict_checked`] with the facts' eligibility at `now` already
/// computed (with any [`Explain`]) and, when known, the reason suggestions
/// for the case's report (used when the case has no claim).
pub(crate) fn predict_with(
    checked: &CheckedFacts<'_>,
    case: &Case<'_>,
    eligibility: &Eligibility,
    suggested: Option<&reasons::Suggestions>,
    known: Known,
    explain: Explain,
) -> Result<Prediction, Error> {
    let policy = checked.policy();
    let s = setup(checked, case, suggested, known)?;
    let timeliness = timeliness(case.facts, eligibility, s.reason, policy);
    let amounts = amounts(case, &s, policy);
    let on = explain == Explain::Yes;
    // The factors are built where they stay (no copy of the fixed array).
    let mut acc = Acc {
        fx: Factors::new(),
        total: Points::default(),
        requested: s.requested,
        on,
    };
    let score = score(&mut acc, case, &s, timeliness, &policy.outcome);
    let decisive = decisive(case.seller, s.requested, timeliness, policy);
    if let Some(d) = decisive {
        acc.decide(d.id, d.rule, on);
    }
    let p = assemble(&s, &amounts, &acc, decisive, &policy.outcome);

    // Appendix: counterfeit compensation, beside the capped refund.
    let compensation_up_to = compensation(case.facts, s.reason, &policy.outcome);
    let mut rules = p.rules;
    if compensation_up_to.is_some() {
        rules.insert(Rule::O1);
    }
    let explanation = if on {
        let mut t = Tracer::new(explain);
        trace(
            &mut t,
            &s,
            &p,
            &acc.fx,
            score,
            compensation_up_to,
            &policy.outcome,
        );
        t.finish()
    } else {
        None
    };
    Ok(Prediction {
        reason: s.reason,
        reason_inferred: s.inferred,
        requested: s.requested,
        likely: p.likely,
        outcomes: p.outcomes,
        confidence: p.confidence,
        margin_percent: p.margin,
        buyer_odds_percent: p.buyer_odds,
        cap: s.cap,
        evidence_score_percent: score,
        timeliness,
        eligibility_code: eligibility.code,
        compensation_up_to,
        factors: acc.fx,
        rules,
        explanation,
    })
}

/// The checked inputs.
struct Setup<'p> {
    reason: Reason,
    inferred: bool,
    rules: &'p ReasonRules,
    row: &'p ReasonOutcome,
    cap: Money,
    requested: Option<OutcomeKind>,
    /// The counter-offer's outcome and amount.
    offer: Option<(OutcomeKind, Decimal)>,
}

fn setup<'p>(
    checked: &CheckedFacts<'p>,
    case: &Case<'_>,
    suggested: Option<&reasons::Suggestions>,
    known: Known,
) -> Result<Setup<'p>, Error> {
    let policy = checked.policy();
    let Case {
        facts,
        report,
        claim,
        seller,
    } = *case;
    let mut c = Collector::new();
    report.check(facts, &mut c);
    c.finish(Error::InvalidRequest)?;
    let cap = known.cap.ok_or_else(|| {
        Error::InvalidFacts(Problems::one(
            "unit_price.amount",
            "amount times quantity is too large",
        ))
    })?;
    let (reason, inferred) = match claim {
        Some(cl) => (cl.reason, false),
        None => {
            let computed;
            let s = match suggested {
                Some(s) => s,
                None => {
                    computed = reasons::suggest_checked(checked, report, Explain::No)?;
                    &computed
                }
            };
            let best = s.reasons.first().map(|x| x.reason).ok_or_else(|| {
                Error::InvalidRequest(Problems::one(
                    "claim",
                    "no claim, and nothing in the report points to a reason: give a claim or say what is wrong",
                ))
            })?;
            (best, true)
        }
    };
    let rules = policy.reasons.rules(reason)?;
    let row = policy.outcome.reason(reason).ok_or_else(|| {
        Error::InvalidPolicy(Problems::one(
            format!("outcome.by_reason.{reason}"),
            "missing: every reason needs an entry",
        ))
    })?;
    if let Some(cl) = claim {
        check_claim(cl, rules, cap, policy, known.evidence_ok)?;
    }
    check_seller(&seller, claim.is_some(), cap)?;
    let offer = match seller {
        SellerBehaviour::CounterOffered {
            amount,
            return_goods,
        } => Some((
            offer_kind(amount.amount, return_goods, cap.amount),
            amount.amount,
        )),
        _ => None,
    };
    Ok(Setup {
        reason,
        inferred,
        rules,
        row,
        cap,
        requested: claim.map(|cl| requested_kind(cl, cap.amount)),
        offer,
    })
}

/// C-4, R-S1, R-V2: the claim checks a prediction needs.
fn check_claim(
    cl: &Claim,
    rules: &ReasonRules,
    cap: Money,
    policy: &Policy,
    evidence_ok: bool,
) -> Result<(), Error> {
    let mut c = Collector::new();
    if cl.refund.currency != cap.currency {
        c.push(
            "claim.refund.currency",
            format!(
                "`{}` is not the line's currency `{}`",
                cl.refund.currency, cap.currency
            ),
        );
    }
    let a = cl.refund.amount;
    if !positive(a) {
        c.push(
            "claim.refund.amount",
            format!("must be more than zero, got `{a}`"),
        );
    } else if !exact::le(a, cap.amount) {
        c.push(
            "claim.refund.amount",
            format!(
                "`{a}` exceeds the cap `{cap}`: the price plus shipping, less the coupon (C-4)"
            ),
        );
    } else if requested_kind(cl, cap.amount) == OutcomeKind::PartialRefund && !rules.partial_refund
    {
        c.push(
            "claim.refund.amount",
            format!(
                "`{}` does not allow a partial refund: ask for `{cap}` (R-S1, C-4)",
                cl.reason
            ),
        );
    }
    if !rules.solutions.contains(&cl.solution) {
        c.push(
            "claim.solution",
            format!(
                "`{}` is not allowed for `{}` (R-S1)",
                cl.solution, cl.reason
            ),
        );
    }
    if !evidence_ok {
        reasons::check_attachments(&cl.evidence, &policy.reasons, "claim.evidence", &mut c);
    }
    c.finish(Error::InvalidClaim)
}

/// The seller's behaviour against the claim and the cap.
fn check_seller(s: &SellerBehaviour, has_claim: bool, cap: Money) -> Result<(), Error> {
    let mut c = Collector::new();
    if !has_claim && *s != SellerBehaviour::Unknown {
        c.push(
            "seller",
            format!("`{}` needs a claim for the seller to respond to", s.code()),
        );
    }
    if let SellerBehaviour::CounterOffered { amount, .. } = s {
        if amount.currency != cap.currency {
            c.push(
                "seller.amount.currency",
                format!(
                    "`{}` is not the line's currency `{}`",
                    amount.currency, cap.currency
                ),
            );
        }
        if amount.amount.is_sign_negative() && !amount.amount.is_zero() {
            c.push(
                "seller.amount.amount",
                format!("must not be negative, got `{}`", amount.amount),
            );
        } else if let Some(problem) = amount.decimals_problem() {
            c.push("seller.amount.amount", problem);
        } else if !exact::le(amount.amount, cap.amount) {
            c.push(
                "seller.amount.amount",
                format!("`{}` exceeds the cap `{cap}` (C-4)", amount.amount),
            );
        }
    }
    c.finish(Error::InvalidRequest)
}

/// Whether an amount is above zero (cheaper than comparing decimals).
fn positive(d: Decimal) -> bool {
    d.is_sign_positive() && !d.is_zero()
}

/// The outcome a claim asks for.
fn requested_kind(cl: &Claim, cap: Decimal) -> OutcomeKind {
    if cl.solution.returns_goods() {
        return OutcomeKind::FullRefundWithReturn;
    }
    match cl.refund_type {
        Some(RefundType::Full) => OutcomeKind::FullRefund,
        Some(RefundType::Partial) => OutcomeKind::PartialRefund,
        None if !exact::lt(cl.refund.amount, cap) => OutcomeKind::FullRefund,
        None => OutcomeKind::PartialRefund,
    }
}

/// The outcome a counter-offer proposes.
fn offer_kind(amount: Decimal, return_goods: bool, cap: Decimal) -> OutcomeKind {
    if return_goods {
        OutcomeKind::FullRefundWithReturn
    } else if !positive(amount) {
        OutcomeKind::NoRefund
    } else if !exact::lt(amount, cap) {
        OutcomeKind::FullRefund
    } else {
        OutcomeKind::PartialRefund
    }
}

/// Each outcome's refund and whether it is possible.
struct Amounts {
    refund: [Decimal; 4],
    possible: [bool; 4],
    payer: Payer,
}

fn amounts(case: &Case<'_>, s: &Setup<'_>, policy: &Policy) -> Amounts {
    let cap = s.cap.amount;
    let with_return = if policy.reasons.return_means_full_refund {
        cap
    } else {
        let asked = match (s.offer, case.claim) {
            (Some((OutcomeKind::FullRefundWithReturn, a)), _) => a,
            (_, Some(cl)) if cl.solution.returns_goods() => cl.refund.amount,
            _ => cap,
        };
        exact::min(asked, cap)
    };
    let partial = partial_amount(case, s, &policy.outcome);
    let can_return =
        s.reason.is_received() && s.rules.solutions.contains(&Solution::ReturnAndRefund);
    // R-S1 / C-4: a partial refund where the reason allows one; R-O4 (000):
    // also where the reason's starting row gives it points (delays outside
    // the seller's control, such as customs).
    let can_partial = s.rules.partial_refund || s.row.points.partial > 0;
    Amounts {
        refund: [cap, with_return, partial, Decimal::ZERO],
        possible: [
            positive(cap),
            can_return && positive(with_return),
            can_partial && positive(partial) && exact::lt(partial, cap),
            true,
        ],
        payer: s.rules.return_shipping_payer,
    }
}

/// The partial refund: the counter-offer, the claim's partial amount, the
/// missing units' share, or the reason's share of the cap.
fn partial_amount(case: &Case<'_>, s: &Setup<'_>, op: &OutcomePolicy) -> Decimal {
    let cap = s.cap.amount;
    let down = |v: Decimal| v.round_dp_with_strategy(op.amount_decimals, RoundingStrategy::ToZero);
    if let Some((OutcomeKind::PartialRefund, a)) = s.offer {
        return exact::min(a, cap);
    }
    if let (Some(cl), Some(OutcomeKind::PartialRefund)) = (case.claim, s.requested) {
        return exact::min(cl.refund.amount, cap);
    }
    let facts = case.facts;
    if let Some(n) = case.report.units_received.filter(|n| *n < facts.quantity) {
        if let Some(v) = shortage_share(facts, n, &op.shortage) {
            return down(v).clamp(Decimal::ZERO, cap);
        }
    }
    cap.checked_mul(Decimal::from(s.row.partial_percent))
        .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
        .map_or(Decimal::ZERO, |v| exact::min(down(v), cap))
}

/// R-O4 (003): the missing units' share of the line.
fn shortage_share(facts: &OrderFacts, received: u32, sp: &ShortagePolicy) -> Option<Decimal> {
    let missing = Decimal::from(facts.quantity.saturating_sub(received));
    let qty = Decimal::from(facts.quantity);
    let share = |total: Decimal| total.checked_mul(missing)?.checked_div(qty);
    let mut v = facts.unit_price.amount.checked_mul(missing)?;
    if sp.include_shipping_share {
        v = v.checked_add(share(facts.shipping_cost.amount)?)?;
    }
    if sp.deduct_coupon_share {
        if let Some(cp) = facts.coupon {
            v = v.checked_sub(share(cp.amount)?)?;
        }
    }
    Some(v)
}

/// Whether the dispute is (or was) filed in time.
fn timeliness(facts: &OrderFacts, e: &Eligibility, reason: Reason, policy: &Policy) -> Timeliness {
    if facts.refund_completed_at.is_some() {
        return Timeliness::Barred;
    }
    let cancellation = reason == Reason::NotReceivedNoRefundAfterCancellation
        && policy.reasons.cancellation_skips_timer;
    match e.code {
        None => Timeliness::InTime,
        // The open dispute was filed when it was opened.
        Some(Ineligible::DisputeAlreadyOpen) => {
            let opened = facts
                .disputes
                .iter()
                .filter(|d| d.status == PriorDisputeStatus::Open)
                .map(|d| d.opened_at)
                .max();
            match (opened, e.window) {
                (Some(at), Some(w)) if at >= w.closes_at.utc => Timeliness::Late,
                _ => Timeliness::InTime,
            }
        }
        Some(Ineligible::NotShipped | Ineligible::TooEarly) if cancellation => Timeliness::InTime,
        Some(Ineligible::NotShipped | Ineligible::TooEarly) => Timeliness::NotYet,
        Some(Ineligible::ConfirmationTimeout | Ineligible::ConfirmationWindowPassed) => {
            Timeliness::Late
        }
        Some(
            Ineligible::RefundComplete
            | Ineligible::ClosedByAgreement
            | Ineligible::ReopenLimitReached,
        ) => Timeliness::Barred,
    }
}

/// The factors and their points, as they are applied.
struct Acc {
    fx: Factors,
    total: Points,
    requested: Option<OutcomeKind>,
    on: bool,
}

impl Acc {
    /// Adds resolved points as a factor.
    fn push(&mut self, id: FactorId, rule: Rule, points: Points) {
        self.total.add_all(&points);
        self.fx.push(Factor {
            id,
            rule,
            points,
            decisive: false,
            text: self.on.then(|| id.describe()),
        });
    }

    /// Adds a row of weights; a row that moves nothing is not listed.
    fn add(&mut self, id: FactorId, w: &Weights) {
        let p = Points::resolve(w, self.requested);
        if !p.is_zero() {
            self.push(id, id.rule(), p);
        }
    }

    /// Marks a factor decisive (its points, if any, no longer count).
    fn decide(&mut self, id: FactorId, rule: Rule, on: bool) {
        let text = on.then(|| id.describe());
        if let Some(f) = self.fx.get_mut(id) {
            let p = f.points;
            f.points = Points::default();
            f.decisive = true;
            f.rule = rule;
            for k in OutcomeKind::ALL {
                self.total.add(k, p.get(k).saturating_neg());
            }
        } else {
            self.fx.push(Factor {
                id,
                rule,
                points: Points::default(),
                decisive: true,
                text,
            });
        }
    }
}

/// Sums the table's rows for the case (R-O1..R-O6) into `acc`. Returns the
/// evidence score.
fn score(
    acc: &mut Acc,
    case: &Case<'_>,
    s: &Setup<'_>,
    timeliness: Timeliness,
    op: &OutcomePolicy,
) -> u32 {
    let (facts, report) = (case.facts, case.report);
    // R-O1..R-O5: the reason, always listed.
    let base = Points::resolve(&s.row.points, s.requested);
    acc.push(
        FactorId::Reason,
        base_rule(&s.row.points, s.rules.return_shipping_payer),
        base,
    );

    // R-V1: the evidence.
    let evidence: &[Attachment] = case.claim.map_or(&[], |cl| cl.evidence.as_slice());
    let score = evidence_score(s.rules, evidence);
    if let Some(b) = op
        .evidence_bands
        .iter()
        .rev()
        .find(|b| b.min_percent <= score)
    {
        acc.add(FactorId::Evidence, &b.points);
    }

    // What tracking shows, for the not-received reasons.
    if !s.reason.is_received() && s.reason != Reason::NotReceivedNoRefundAfterCancellation {
        let proof = evidence.iter().any(|a| op.tracking.proof.contains(a.shows));
        let (id, w) = tracking_row(facts.tracking, proof, op);
        acc.add(id, w);
    }

    // R-O6: the seller's behaviour.
    let sw = &op.seller;
    match case.seller {
        SellerBehaviour::Unknown => {}
        SellerBehaviour::Silent => acc.add(FactorId::SellerSilent, &sw.silent),
        SellerBehaviour::Accepted => acc.add(FactorId::SellerAccepted, &sw.accepted),
        SellerBehaviour::Refused => acc.add(FactorId::SellerRefused, &sw.refused),
        SellerBehaviour::CounterOffered { .. } => {
            let mut p = Points::resolve(&sw.counter_offered, s.requested);
            if let Some((k, _)) = s.offer {
                p.add(k, sw.offered);
            }
            if !p.is_zero() {
                acc.push(FactorId::SellerCounterOffered, Rule::L3, p);
            }
        }
    }

    // R-O5, R-E9: timeliness (decisive facts are applied later).
    let tl = &op.timeliness;
    match timeliness {
        Timeliness::InTime => {}
        Timeliness::NotYet => acc.add(FactorId::TimelinessNotYet, &tl.not_yet),
        Timeliness::Late if !op.decisive.filed_late => {
            acc.add(FactorId::TimelinessLate, &tl.late);
        }
        Timeliness::Barred if !op.decisive.barred => {
            acc.add(FactorId::TimelinessBarred, &tl.barred);
        }
        Timeliness::Late | Timeliness::Barred => {}
    }

    // What the buyer reports.
    let r = &op.report;
    let flags = [
        (
            report.damaged_by_buyer,
            FactorId::ReportDamagedByBuyer,
            &r.damaged_by_buyer,
        ),
        (report.defective, FactorId::ReportDefective, &r.defective),
        (
            report.minor_defect && !report.defective,
            FactorId::ReportMinorDefect,
            &r.minor_defect,
        ),
        (report.wrong_item, FactorId::ReportWrongItem, &r.wrong_item),
        (
            report.counterfeit,
            FactorId::ReportCounterfeit,
            &r.counterfeit,
        ),
        (
            report.no_longer_wanted,
            FactorId::ReportNoLongerWanted,
            &r.no_longer_wanted,
        ),
        (
            report.units_received.is_some_and(|n| n < facts.quantity),
            FactorId::Shortage,
            &op.shortage.points,
        ),
    ];
    for (on, id, w) in flags {
        if on {
            acc.add(id, w);
        }
    }

    // R-O6: the value at stake, in the line's currency.
    let cap = s.cap.amount;
    if let Some(b) = op
        .value_bands
        .get(&s.cap.currency)
        .and_then(|bands| bands.iter().rev().find(|b| exact::le(b.min_amount, cap)))
    {
        acc.add(FactorId::Value, &b.points);
    }
    score
}

/// The row for what tracking shows.
fn tracking_row(t: Tracking, proof: bool, op: &OutcomePolicy) -> (FactorId, &Weights) {
    let w = &op.tracking;
    match t {
        Tracking::None => (FactorId::TrackingNone, &w.none),
        Tracking::InTransit { .. } => (FactorId::TrackingInTransit, &w.in_transit),
        Tracking::Stalled { .. } => (FactorId::TrackingStalled, &w.stalled),
        Tracking::CustomsHold { .. } => (FactorId::TrackingCustomsHold, &w.customs_hold),
        Tracking::ReturnedToSender { .. } => {
            (FactorId::TrackingReturnedToSender, &w.returned_to_sender)
        }
        Tracking::Delivered {
            to_correct_address: false,
            ..
        } => (
            FactorId::TrackingDeliveredWrongAddress,
            &w.delivered_wrong_address,
        ),
        Tracking::Delivered { .. } if proof => (
            FactorId::TrackingDeliveredWithProof,
            &w.delivered_with_proof,
        ),
        Tracking::Delivered { .. } => (FactorId::TrackingDeliveredNoProof, &w.delivered_no_proof),
    }
}

/// R-V1: the checklist score of the attachments (the same number as
/// [`Checklist::score_percent`](crate::reasons::Checklist), without building
/// its lists).
fn evidence_score(rules: &ReasonRules, evidence: &[Attachment]) -> u32 {
    let shown: reasons::EvidenceSet = evidence.iter().map(|a| a.shows).collect();
    rules
        .evidence
        .iter()
        .filter(|n| n.shows.intersects(shown))
        .fold(0u32, |s, n| s.saturating_add(n.weight))
        .min(100)
}

/// A fact that decides on its own.
#[derive(Clone, Copy)]
struct Decision {
    id: FactorId,
    rule: Rule,
    kind: OutcomeKind,
}

/// The first decisive fact that applies, in the policy's `decisive` order
/// (R-L2 from `lifecycle.seller_silent`).
fn decisive(
    seller: SellerBehaviour,
    requested: Option<OutcomeKind>,
    timeliness: Timeliness,
    policy: &Policy,
) -> Option<Decision> {
    let d = &policy.outcome.decisive;
    let silent_as_asked = policy.lifecycle.seller_silent == TimeoutOutcome::ResolveAsRequested;
    let pick = |id, rule, kind| Some(Decision { id, rule, kind });
    match (seller, requested, timeliness) {
        (SellerBehaviour::Accepted, Some(k), _) if d.seller_accepted => {
            pick(FactorId::SellerAccepted, Rule::E7, k)
        }
        (SellerBehaviour::Silent, Some(k), _) if silent_as_asked => {
            pick(FactorId::SellerSilent, Rule::L2, k)
        }
        (_, _, Timeliness::Late) if d.filed_late => {
            pick(FactorId::TimelinessLate, Rule::O5, OutcomeKind::NoRefund)
        }
        (_, _, Timeliness::Barred) if d.barred => {
            pick(FactorId::TimelinessBarred, Rule::E9, OutcomeKind::NoRefund)
        }
        _ => None,
    }
}

/// The outcomes, ranked, with the confidence.
struct Assembled {
    likely: Outcome,
    outcomes: [Outcome; 4],
    confidence: Confidence,
    margin: u32,
    buyer_odds: u32,
    no_support: bool,
    rules: RuleSet,
}

fn assemble(
    s: &Setup<'_>,
    a: &Amounts,
    acc: &Acc,
    decisive: Option<Decision>,
    op: &OutcomePolicy,
) -> Assembled {
    let (factors, total) = (&acc.fx, acc.total);
    let [full, with_return, partial, none] = OutcomeKind::ALL;
    let clamp = |k: OutcomeKind| {
        let ok = a.possible.get(k.index()).copied().unwrap_or(false);
        if ok {
            i64::from(total.get(k).max(0))
        } else {
            0
        }
    };
    let clamped = [clamp(full), clamp(with_return), clamp(partial), clamp(none)];
    let percents = match decisive {
        Some(d) => {
            let mut p = [0; 4];
            if let Some(x) = p.get_mut(d.kind.index()) {
                *x = 100;
            }
            p
        }
        None => shares(clamped),
    };
    let cur = s.cap.currency;
    let make = |k: OutcomeKind| {
        let i = k.index();
        let ret = k == OutcomeKind::FullRefundWithReturn;
        Outcome {
            kind: k,
            likelihood_percent: percents.get(i).copied().unwrap_or(0),
            refund: Money::new(a.refund.get(i).copied().unwrap_or(Decimal::ZERO), cur),
            return_goods: ret,
            return_shipping_payer: ret.then_some(a.payer),
            possible: a.possible.get(i).copied().unwrap_or(false),
            points: total.get(k),
            rule: kind_rule(k, a.payer),
            open_api: OpenApiOutcome::from(k),
        }
    };
    let mut outcomes = [make(full), make(with_return), make(partial), make(none)];
    // Most likely first; the sort is stable, so ties keep the kind order.
    outcomes.sort_by_key(|o| std::cmp::Reverse(o.likelihood_percent));
    let [likely, second, ..] = outcomes;
    let margin = likely
        .likelihood_percent
        .saturating_sub(second.likelihood_percent);
    let cf = &op.confidence;
    let confidence = if decisive.is_some() || margin >= cf.high_margin_percent {
        Confidence::High
    } else if margin >= cf.medium_margin_percent {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let none = percents
        .get(OutcomeKind::NoRefund.index())
        .copied()
        .unwrap_or(0);
    let mut rules = RuleSet::of(&[Rule::O6, Rule::C4])
        .with(likely.rule)
        .with(s.reason.rule());
    for f in factors.as_slice() {
        rules.insert(f.rule);
    }
    if likely.return_goods {
        rules.insert(Rule::S2);
        rules.insert(Rule::S3);
    }
    Assembled {
        likely,
        outcomes,
        confidence,
        margin,
        buyer_odds: 100u32.saturating_sub(none),
        no_support: decisive.is_none() && clamped.iter().all(|v| *v == 0),
        rules,
    }
}

/// The rule that describes an outcome (R-O2 or R-O3 by who pays the return).
const fn kind_rule(k: OutcomeKind, payer: Payer) -> Rule {
    match (k, payer) {
        (OutcomeKind::FullRefund, _) => Rule::O1,
        (OutcomeKind::FullRefundWithReturn, Payer::Seller) => Rule::O2,
        (OutcomeKind::FullRefundWithReturn, Payer::Buyer) => Rule::O3,
        (OutcomeKind::PartialRefund, _) => Rule::O4,
        (OutcomeKind::NoRefund, _) => Rule::O5,
    }
}

/// The rule of the outcome a reason's starting points favour most.
fn base_rule(w: &Weights, payer: Payer) -> Rule {
    let p = Points::resolve(w, None);
    let best = OutcomeKind::ALL
        .into_iter()
        .fold(OutcomeKind::FullRefund, |b, k| {
            if p.get(k) > p.get(b) {
                k
            } else {
                b
            }
        });
    kind_rule(best, payer)
}

/// Splits 100 percent by points: no refund's share rounded to the nearest
/// percent (halves towards the buyer), the rest by largest remainder among
/// the refunds (ties in kind order). All zero: no refund gets 100.
pub(super) fn shares(points: [i64; 4]) -> [u32; 4] {
    let none_i = OutcomeKind::NoRefund.index();
    let n = points.get(none_i).copied().unwrap_or(0);
    let total: i64 = points.iter().sum();
    let mut out = [0u32; 4];
    if total <= 0 {
        if let Some(x) = out.get_mut(none_i) {
            *x = 100;
        }
        return out;
    }
    // round(100 n / total) with halves down = ceil((200 n - total) / (2 total)).
    let num = 200 * n - total;
    let none_pct = if num <= 0 {
        0
    } else {
        (num + 2 * total - 1) / (2 * total)
    };
    if let Some(x) = out.get_mut(none_i) {
        *x = u32::try_from(none_pct).unwrap_or(100);
    }
    let rest = 100 - none_pct;
    let refund_total = total - n;
    if refund_total <= 0 || rest <= 0 {
        return out;
    }
    let mut given = 0i64;
    let mut rem = [(0i64, 0usize); 3];
    for (j, (slot, r)) in out.iter_mut().zip(rem.iter_mut()).enumerate() {
        let p = points.get(j).copied().unwrap_or(0);
        let q = rest * p / refund_total;
        *slot = u32::try_from(q).unwrap_or(0);
        *r = (rest * p % refund_total, j);
        given += q;
    }
    // Largest remainder first; ties by kind order.
    rem.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = usize::try_from(rest - given).unwrap_or(0);
    for (_, j) in rem.iter().take(left) {
        if let Some(x) = out.get_mut(*j) {
            *x += 1;
        }
    }
    out
}

/// Appendix: a counterfeit may be compensated up to the policy's multiple of
/// the amount paid excluding shipping (the goods less the coupon).
fn compensation(facts: &OrderFacts, reason: Reason, op: &OutcomePolicy) -> Option<Money> {
    let m = op.counterfeit_compensation_multiple?;
    if reason != Reason::ReceivedCounterfeit {
        return None;
    }
    let coupon = facts.coupon.map_or(Decimal::ZERO, |c| c.amount);
    let paid = facts.goods_total()?.checked_sub(coupon)?.max(Decimal::ZERO);
    Some(Money::new(
        paid.checked_mul(Decimal::from(m))?,
        facts.currency(),
    ))
}

fn points_text(p: &Points) -> String {
    let parts: Vec<String> = OutcomeKind::ALL
        .iter()
        .filter(|k| p.get(**k) != 0)
        .map(|k| format!("{} {:+}", k.code(), p.get(*k)))
        .collect();
    if parts.is_empty() {
        "no points".into()
    } else {
        parts.join(", ")
    }
}

/// The plain-English steps (only with [`Explain::Yes`]).
fn trace(
    t: &mut Tracer,
    s: &Setup<'_>,
    p: &Assembled,
    factors: &Factors,
    score: u32,
    compensation: Option<Money>,
    op: &OutcomePolicy,
) {
    let r = s.reason;
    t.step(r.rule(), || {
        if s.inferred {
            format!("no claim: predicting for the best fitting reason, `{r}`")
        } else {
            format!("the claim's reason is `{r}`")
        }
    });
    t.step(Rule::C4, || {
        format!(
            "the cap is `{}` (price plus shipping, less the coupon)",
            s.cap
        )
    });
    for f in factors.as_slice() {
        t.step(f.rule, || {
            let what = f.id.describe();
            if f.decisive {
                format!("decides on its own: {what}")
            } else if f.id == FactorId::Evidence {
                format!("{what}: {score}% complete; {}", points_text(&f.points))
            } else {
                format!("{what}: {}", points_text(&f.points))
            }
        });
    }
    if p.no_support {
        t.step(Rule::O5, || {
            "no outcome has any points left: no refund".into()
        });
    }
    for o in &p.outcomes {
        t.step(o.rule, || {
            if o.kind == OutcomeKind::NoRefund {
                format!("no refund: {} points, {}%", o.points, o.likelihood_percent)
            } else if o.possible {
                format!(
                    "{} of `{}`: {} points, {}%",
                    o.kind.describe(),
                    o.refund,
                    o.points,
                    o.likelihood_percent
                )
            } else {
                format!("{} is not possible here", o.kind.describe())
            }
        });
    }
    let l = &p.likely;
    t.step(Rule::O6, || {
        let conf = match p.confidence {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        };
        let what = if l.kind.is_refund() {
            format!("{} of `{}`", l.kind.describe(), l.refund)
        } else {
            l.kind.describe().to_owned()
        };
        format!(
            "most likely: {what} ({}%), {conf} confidence ({} percentage points ahead)",
            l.likelihood_percent, p.margin
        )
    });
    if let (Some(c), Some(m)) = (compensation, op.counterfeit_compensation_multiple) {
        t.step(Rule::O1, || {
            format!("a counterfeit may also be compensated up to {m}x the amount paid excluding shipping: `{c}`")
        });
    }
}

#[cfg(test)]
mod tests {
    use super::shares;

    #[test]
    fn shares_add_up_and_round_no_refund_first() {
        assert_eq!(shares([0, 0, 0, 0]), [0, 0, 0, 100]);
        assert_eq!(shares([1, 1, 1, 0]), [34, 33, 33, 0]);
        assert_eq!(shares([159, 0, 0, 41]), [80, 0, 0, 20], "20.5% rounds down");
        assert_eq!(shares([41, 0, 0, 159]), [21, 0, 0, 79], "79.5% rounds down");
        assert_eq!(shares([0, 0, 0, 7]), [0, 0, 0, 100]);
        assert_eq!(shares([1, 0, 0, 999]), [0, 0, 0, 100]);
        for p in [[3, 7, 11, 13], [1, 0, 999, 1], [5, 5, 5, 5], [2, 2, 2, 1]] {
            assert_eq!(shares(p).iter().sum::<u32>(), 100, "{p:?}");
        }
    }
}
