//! Checking a proposed claim against the facts and the policy (C-4, R-S1..R-S3,
//! R-V2, R-E9).

use super::evidence::{self, check_attachments, Attachment, Checklist};
use super::exact;
use super::interop::{self, CardCategory};
use super::{BuyerReport, Group, Payer, Reason, ReasonRules, ReasonsPolicy, Solution};
use crate::eligibility::{self, Ineligible};
use crate::error::{from_json, Collector, Error};
use crate::explain::{Explain, Explanation, Tracer};
use crate::facts::{CheckedFacts, OrderFacts};
use crate::money::{Currency, Money};
use crate::policy::Policy;
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Full or partial refund (R-S1; the open API's `issueRefundType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
pub enum RefundType {
    /// The full amount: price plus shipping, less the coupon (C-4).
    Full = 1,
    /// Strictly less than the full amount, more than zero.
    Partial = 2,
}

impl RefundType {
    /// The stable string code.
    pub const fn code(self) -> &'static str {
        match self {
            RefundType::Full => "full",
            RefundType::Partial => "partial",
        }
    }
}

/// A proposed claim. In JSON (unknown fields refused):
/// `{"reason": "received.quantity_shortage", "solution": "refund_only",
/// "refund": {"amount": "1.11", "currency": "USD"}, "evidence": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Claim {
    /// The reason (R-R1..R-R15).
    pub reason: Reason,
    /// The solution asked for (R-S1).
    pub solution: Solution,
    /// The refund asked for (C-4: at most the cap).
    pub refund: Money,
    /// Full or partial, as the buyer chose on the form; when absent, read
    /// from the amount (the cap is full, anything less partial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_type: Option<RefundType>,
    /// Attachments (R-V1, R-V2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Attachment>,
}

impl Claim {
    /// A claim for `refund` under `reason`, asking for `solution`; the
    /// refund type read from the amount, no evidence attached.
    ///
    /// ```
    /// use dispute_rules::reasons::{Claim, Reason, RefundType, Solution};
    /// use dispute_rules::Money;
    ///
    /// let refund = Money::parse("5.00", "USD").unwrap();
    /// let claim = Claim::new(Reason::NotReceivedTooLong, Solution::RefundOnly, refund)
    ///     .with_refund_type(RefundType::Partial);
    /// assert_eq!(claim.refund_type, Some(RefundType::Partial));
    /// assert!(claim.evidence.is_empty());
    /// ```
    pub const fn new(reason: Reason, solution: Solution, refund: Money) -> Claim {
        Claim {
            reason,
            solution,
            refund,
            refund_type: None,
            evidence: Vec::new(),
        }
    }

    /// With the refund type the buyer chose on the form (R-S1).
    #[must_use]
    pub const fn with_refund_type(mut self, refund_type: RefundType) -> Claim {
        self.refund_type = Some(refund_type);
        self
    }

    /// With these attachments (R-V1, R-V2), replacing any already there.
    #[must_use]
    pub fn with_evidence(mut self, evidence: Vec<Attachment>) -> Claim {
        self.evidence = evidence;
        self
    }

    /// With one more attachment (R-V1, R-V2).
    #[must_use]
    pub fn attach(mut self, attachment: Attachment) -> Claim {
        self.evidence.push(attachment);
        self
    }

    /// Parses a claim from JSON; the error names the failing field (without
    /// a `claim.` prefix).
    pub fn from_json(json: &str) -> Result<Claim, Error> {
        // The common form without serde (the same claim; anything else,
        // errors included, is serde's).
        if json.len() <= crate::limits::MAX_REQUEST_BYTES {
            if let Some(claim) = crate::facts::fast::claim(json) {
                return Ok(claim);
            }
        }
        from_json(json, Error::InvalidClaim)
    }
}

/// When the refund is paid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RefundRelease {
    /// Once the dispute is resolved in the buyer's favour (refund only).
    OnResolution,
    /// R-S3: once the seller confirms receipt of the returned goods.
    OnSellerConfirmingReturn,
}

/// A claim mapped to outside systems (see [`interop`](super::interop)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClaimInterop {
    /// The open API's `issueRefundType` (`full_amount_refund`,
    /// `part_amount_refund`).
    pub open_api_issue_refund_type: &'static str,
    /// The open API's `isReturnGoods` (`Y`, `N`).
    pub open_api_is_return_goods: &'static str,
    /// PayPal's dispute reason.
    pub paypal: Option<&'static str>,
    /// Visa's dispute condition.
    pub visa: Option<CardCategory>,
    /// Mastercard's reason code.
    pub mastercard: Option<CardCategory>,
}

/// An accepted claim, with what follows from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ClaimCheck {
    /// The reason.
    pub reason: Reason,
    /// Received or not received.
    pub group: Group,
    /// The solution.
    pub solution: Solution,
    /// The refund asked for.
    pub refund: Money,
    /// Full or partial.
    pub refund_type: RefundType,
    /// C-4: the full amount and cap (price plus shipping, less the coupon).
    pub full_amount: Money,
    /// Whether the goods go back to the seller.
    pub return_goods: bool,
    /// R-S2: who pays for shipping the return (only when returning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_shipping_payer: Option<Payer>,
    /// When the refund is paid out (R-S3 for a return).
    pub refund_released: RefundRelease,
    /// Whether the seller is at fault for this reason.
    pub seller_at_fault: bool,
    /// R-O4: for a shortage with a unit count, the price of the missing
    /// units (at most the cap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_units_value: Option<Money>,
    /// R-V1: how complete the evidence is.
    pub checklist: Checklist,
    /// The claim in outside systems' terms.
    pub interop: ClaimInterop,
    /// Every rule applied.
    pub rules: RuleSet,
    /// Plain-English steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// Checks a proposed claim against the facts, the buyer's report (optional)
/// and the policy at `now`.
///
/// Invalid facts are an [`Error::InvalidFacts`]. Every problem with the claim
/// is reported together as one [`Error::InvalidClaim`], each naming its field:
/// - `claim.solution`: not allowed for the reason (R-S1; R-R14: a return
///   only);
/// - `claim.refund.currency`: not the line's currency (C-2);
/// - `claim.refund.amount`: not more than zero, above the cap (C-4), not the
///   full amount when the goods were not received (C-4), a partial refund not
///   strictly below the full amount, a partial refund the reason does not
///   allow, a return with less than the full amount (R-S1);
/// - `claim.refund_type`: full or partial does not match the amount;
/// - `claim.reason`: contradicts the report or the facts;
/// - `claim.evidence[i].…`: an attachment outside the limits (R-V2);
///   `claim.evidence`: none attached where the policy requires it;
/// - `eligibility`: no dispute can be opened now; the message starts with the
///   R-E9 code in backticks, like `` `too_early`: … ``;
/// - `report.…`: the report contradicts the facts or itself.
///
/// The lifecycle checks a claim with the same code: opening a dispute
/// ([`Dispute::open`](crate::Dispute::open)) refuses exactly the claims
/// refused here, with the same problems (an R-E9 code as an illegal
/// transition), and a modified or reopened claim is checked against the
/// same terms ([`ClaimLimits`]).
pub fn check_claim(
    facts: &OrderFacts,
    report: Option<&BuyerReport>,
    claim: &Claim,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<ClaimCheck, Error> {
    facts.validate(policy, now)?;
    let known = Known {
        cap: facts.refund_cap(),
        evidence_ok: false,
        checklist: None,
    };
    check_claim_with(facts, report, claim, policy, explain, known, || {
        let e = eligibility::assess_valid(facts, policy, now, Explain::No)?;
        Ok((e.code, e.rules))
    })
}

/// [`check_claim`] for checked facts (C-4, R-S1..R-S3, R-V2, R-E9): the
/// facts are not validated again and their dates not computed again; the
/// same answer, problems and errors as [`check_claim`] at the checked
/// facts' policy and moment.
pub fn check_claim_checked(
    checked: &CheckedFacts<'_>,
    report: Option<&BuyerReport>,
    claim: &Claim,
    explain: Explain,
) -> Result<ClaimCheck, Error> {
    let facts = checked.facts();
    let known = Known {
        cap: facts.refund_cap(),
        evidence_ok: false,
        checklist: None,
    };
    check_claim_with(
        facts,
        report,
        claim,
        checked.policy(),
        explain,
        known,
        || {
            let e = eligibility::assess_checked(checked, Explain::No);
            Ok((e.code, e.rules))
        },
    )
}

/// What a caller already knows about a claim on valid facts, handed to
/// [`check_claim_with`] so nothing is computed twice.
pub(crate) struct Known<'a> {
    /// C-4: the facts' cap ([`OrderFacts::refund_cap`]).
    pub(crate) cap: Option<Money>,
    /// R-V2: the claim's attachments are known to meet the limits
    /// ([`evidence::attachments_ok`]); false: check them.
    pub(crate) evidence_ok: bool,
    /// R-V1: the claim's checklist, already built (with any explanation),
    /// when the attachments are known to be valid.
    pub(crate) checklist: Option<&'a Checklist>,
}

/// The claim check on facts already validated: `eligibility` gives the
/// R-E9 code and rules of the facts at the moment of evaluation (asked for
/// only once the claim's own problems are collected, as [`check_claim`]
/// always did).
pub(crate) fn check_claim_with(
    facts: &OrderFacts,
    report: Option<&BuyerReport>,
    claim: &Claim,
    policy: &Policy,
    explain: Explain,
    known: Known<'_>,
    eligibility: impl FnOnce() -> Result<(Option<Ineligible>, RuleSet), Error>,
) -> Result<ClaimCheck, Error> {
    let rp = &policy.reasons;
    let reason = claim.reason;
    let rules_for = rp.rules(reason)?;
    let group = reason.group();
    let mut t = Tracer::new(explain);
    let mut c = Collector::new();
    let mut rules = RuleSet::of(&[Rule::C4, Rule::S1, Rule::E9]).with(reason.rule());

    let checked = check_document_with(
        facts,
        report,
        Ask::of(claim),
        &claim.evidence,
        policy,
        &mut c,
        known.cap,
        known.evidence_ok,
    )?;
    rules.extend(checked.rules);
    let (full_amount, refund_type) = (checked.full_amount, checked.refund_type);
    let missing_units_value = checked.missing_units_value;
    t.step(Rule::C4, || {
        format!("the cap is `{full_amount}` (price plus shipping, less the coupon); the claim asks `{}`", claim.refund)
    });

    // R-E9: the line must be eligible now.
    let (e_code, e_rules) = eligibility()?;
    rules.extend(e_rules);
    let (code, waived) = eligibility_code(facts, policy, reason, e_code);
    if let Some(w) = waived {
        t.step(Rule::R15, || {
            format!("`{}` does not apply: a refund owed after a cancellation does not wait for the shipping timer", w.code())
        });
    }
    if let Some(code) = code {
        c.push(
            "eligibility",
            format!("`{}`: {} (R-E9)", code.code(), code.describe()),
        );
    }

    c.finish(Error::InvalidClaim)?;

    let returns = claim.solution.returns_goods();
    let payer = returns.then_some(rules_for.return_shipping_payer);
    if returns {
        rules.insert(Rule::S2);
        rules.insert(Rule::S3);
        t.step(Rule::S2, || {
            format!(
                "the {} pays for shipping the return (policy for `{reason}`)",
                rules_for.return_shipping_payer.code()
            )
        });
        t.step(Rule::S3, || {
            "the refund is issued once the seller confirms receipt of the returned goods".into()
        });
    }
    let mut checklist = match known.checklist {
        Some(built) => built.clone(),
        None => evidence::build(reason, &claim.evidence, rp, explain)?,
    };
    rules.extend(checklist.rules);
    if let Some(x) = &checklist.explanation {
        for s in x.steps() {
            t.step(s.rule, || s.text.clone());
        }
    }
    checklist.explanation = None;
    let io = interop::interop(reason);
    t.step(reason.rule(), || {
        format!(
            "accepted: `{reason}`, `{}`, {} refund of `{}`",
            claim.solution,
            refund_type.code(),
            claim.refund
        )
    });
    Ok(ClaimCheck {
        reason,
        group,
        solution: claim.solution,
        refund: claim.refund,
        refund_type,
        full_amount,
        return_goods: returns,
        return_shipping_payer: payer,
        refund_released: if returns {
            RefundRelease::OnSellerConfirmingReturn
        } else {
            RefundRelease::OnResolution
        },
        seller_at_fault: rules_for.seller_at_fault,
        missing_units_value,
        checklist,
        interop: ClaimInterop {
            open_api_issue_refund_type: interop::open_api_refund_type(refund_type),
            open_api_is_return_goods: interop::open_api_return_goods(claim.solution),
            paypal: io.paypal,
            visa: io.visa,
            mastercard: io.mastercard,
        },
        rules,
        explanation: t.finish(),
    })
}

// ---- the checks every path that accepts a claim shares ----

/// What a claim asks: the reason, the solution, the refund and, optionally,
/// full or partial (the claim without its attachments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ask {
    pub(crate) reason: Reason,
    pub(crate) solution: Solution,
    pub(crate) refund: Money,
    pub(crate) refund_type: Option<RefundType>,
}

impl Ask {
    pub(crate) const fn of(claim: &Claim) -> Ask {
        Ask {
            reason: claim.reason,
            solution: claim.solution,
            refund: claim.refund,
            refund_type: claim.refund_type,
        }
    }
}

/// The limits of one reason's claims: the solutions it allows, in the
/// policy's order (R-S1; R-R14: a return only), and whether "refund only"
/// may be partial (C-4, R-S1). The part of [`ReasonRules`] that decides
/// whether a claim is acceptable, small enough to keep with a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReasonLimits {
    /// The solutions' numbers, in order; 0 for none (one byte each: a
    /// dispute keeps fifteen of these).
    solutions: [u8; 2],
    /// R-S1, C-4: whether "refund only" may be partial.
    pub partial_refund: bool,
}

impl ReasonLimits {
    /// The limits of a reason's rules (each solution once, in order).
    pub fn of(rules: &ReasonRules) -> ReasonLimits {
        ReasonLimits::listing(&rules.solutions, rules.partial_refund)
    }

    /// Each solution once, in order (at most both).
    fn listing(list: &[Solution], partial_refund: bool) -> ReasonLimits {
        let mut solutions = [0u8; 2];
        let mut n = 0;
        for s in list {
            let code = solution_byte(*s);
            if !solutions.contains(&code) {
                if let Some(slot) = solutions.get_mut(n) {
                    *slot = code;
                    n += 1;
                }
            }
        }
        ReasonLimits {
            solutions,
            partial_refund,
        }
    }

    /// The solutions allowed, preferred first.
    pub fn solutions(&self) -> impl Iterator<Item = Solution> + '_ {
        self.solutions
            .iter()
            .filter_map(|b| Solution::from_number(u32::from(*b)))
    }

    /// Whether the reason allows `solution` (R-S1).
    pub fn allows(&self, solution: Solution) -> bool {
        self.solutions.contains(&solution_byte(solution))
    }

    fn listed(&self) -> String {
        self.solutions()
            .map(Solution::code)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What every claim is checked against, reason by reason: the part of the
/// [`ReasonsPolicy`] that decides whether a claim is acceptable
/// (`by_reason.*.solutions`, `by_reason.*.partial_refund`,
/// `return_means_full_refund`). A dispute keeps it with its terms, so a
/// modified or reopened claim is checked as the claim check checks it, under
/// the policy the dispute opened with.
///
/// In JSON: `{"by_reason": {"not_received.too_long": {"solutions":
/// ["refund_only"], "partial_refund": false}, ...}, "return_means_full_refund":
/// true}`, every reason required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ClaimLimitsWire", into = "ClaimLimitsWire")]
pub struct ClaimLimits {
    by_reason: [ReasonLimits; 15],
    /// R-S1: a return is for the full amount (`reasons.return_means_full_refund`).
    pub return_means_full_refund: bool,
}

const NO_LIMITS: ReasonLimits = ReasonLimits {
    solutions: [0; 2],
    partial_refund: false,
};

fn solution_byte(s: Solution) -> u8 {
    match s {
        Solution::RefundOnly => 1,
        Solution::ReturnAndRefund => 2,
    }
}

impl ClaimLimits {
    /// The limits of a reasons policy; an error names a reason the policy
    /// lacks (a validated policy has every one).
    pub fn of(policy: &ReasonsPolicy) -> Result<ClaimLimits, Error> {
        let mut by_reason = [NO_LIMITS; 15];
        let mut seen = 0u32;
        for (r, rules) in &policy.by_reason {
            if let Some(slot) = by_reason.get_mut(r.index()) {
                *slot = ReasonLimits::of(rules);
                seen |= 1 << r.index();
            }
        }
        if seen != (1 << Reason::ALL.len()) - 1 {
            for r in Reason::ALL {
                policy.rules(*r)?;
            }
        }
        Ok(ClaimLimits {
            by_reason,
            return_means_full_refund: policy.return_means_full_refund,
        })
    }

    /// The limits of one reason.
    pub fn reason(&self, reason: Reason) -> ReasonLimits {
        self.by_reason
            .get(reason.index())
            .copied()
            .unwrap_or(NO_LIMITS)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReasonLimitsWire {
    solutions: Vec<Solution>,
    partial_refund: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimLimitsWire {
    by_reason: std::collections::BTreeMap<Reason, ReasonLimitsWire>,
    return_means_full_refund: bool,
}

impl From<ClaimLimits> for ClaimLimitsWire {
    fn from(l: ClaimLimits) -> Self {
        ClaimLimitsWire {
            by_reason: Reason::ALL
                .iter()
                .map(|r| {
                    let x = l.reason(*r);
                    (
                        *r,
                        ReasonLimitsWire {
                            solutions: x.solutions().collect(),
                            partial_refund: x.partial_refund,
                        },
                    )
                })
                .collect(),
            return_means_full_refund: l.return_means_full_refund,
        }
    }
}

impl TryFrom<ClaimLimitsWire> for ClaimLimits {
    type Error = String;

    /// The checks of the reasons policy on the same fields (R-S1).
    fn try_from(w: ClaimLimitsWire) -> Result<Self, String> {
        let mut by_reason = [NO_LIMITS; 15];
        for r in Reason::ALL {
            let Some(x) = w.by_reason.get(r) else {
                return Err(format!("missing `{r}`: every reason needs an entry"));
            };
            let limits = ReasonLimits::listing(&x.solutions, x.partial_refund);
            let n = limits.solutions().count();
            if n == 0 || n != x.solutions.len() {
                return Err(format!(
                    "`{r}` must allow at least one solution, each once (R-S1)"
                ));
            }
            if !r.is_received() && limits.allows(Solution::ReturnAndRefund) {
                return Err(format!(
                    "`{r}`: goods that were not received cannot be returned (R-S1)"
                ));
            }
            if let Some(slot) = by_reason.get_mut(r.index()) {
                *slot = limits;
            }
        }
        Ok(ClaimLimits {
            by_reason,
            return_means_full_refund: w.return_means_full_refund,
        })
    }
}

/// C-2: an amount in the line's currency.
pub(crate) fn check_currency(c: &mut Collector, field: &str, m: Money, line: Currency) {
    if m.currency != line {
        c.push(
            field,
            format!("`{}` is not the line's currency `{line}` (C-2)", m.currency),
        );
    }
}

/// C-4: more than zero (or, with `zero_allowed`, not negative) and at most
/// the cap. Whether the amount passed.
pub(crate) fn check_amount(
    c: &mut Collector,
    field: &str,
    amount: Decimal,
    full_amount: Money,
    zero_allowed: bool,
) -> bool {
    if exact::lt(amount, Decimal::ZERO) && zero_allowed {
        c.push(field, format!("must not be negative, got `{amount}`"));
    } else if exact::le(amount, Decimal::ZERO) && !zero_allowed {
        c.push(field, format!("must be more than zero, got `{amount}`"));
    } else if !exact::le(amount, full_amount.amount) {
        c.push(
            field,
            format!("`{amount}` exceeds the cap `{full_amount}`: the price plus shipping, less the coupon (C-4)"),
        );
    } else {
        return true;
    }
    false
}

/// R-S1: returning the goods is for the full amount.
pub(crate) fn return_not_full(amount: Decimal, full_amount: Money) -> String {
    format!("returning the goods is for a full refund of `{full_amount}`, not `{amount}` (R-S1)")
}

/// The terms of a claim against the line's full amount and the reason's
/// limits, the same for every path that accepts a claim (the claim check,
/// and the lifecycle's `open`, `modify_claim` and `reopen`): the solution
/// (R-S1, R-R14), the currency (C-2), more than zero and at most the cap
/// (C-4), the refund type, the full amount when the goods did not arrive
/// (C-4), a return for the full amount (R-S1, unless
/// `return_means_full_refund` is off). Problems are named under `claim.`;
/// returns full or partial.
pub(crate) fn check_terms(
    ask: Ask,
    full_amount: Money,
    limits: ReasonLimits,
    return_means_full_refund: bool,
    c: &mut Collector,
) -> RefundType {
    let reason = ask.reason;
    // R-S1: the solution.
    if !limits.allows(ask.solution) {
        c.push(
            "claim.solution",
            format!(
                "`{}` is not allowed for `{reason}` (allowed: {}; R-S1)",
                ask.solution,
                limits.listed()
            ),
        );
    }
    // C-2, C-4: the amount.
    check_currency(c, "claim.refund.currency", ask.refund, full_amount.currency);
    let (amount, full) = (ask.refund.amount, full_amount.amount);
    let is_full = exact::eq(amount, full);
    let refund_type = ask.refund_type.unwrap_or(if is_full {
        RefundType::Full
    } else {
        RefundType::Partial
    });
    if !check_amount(c, "claim.refund.amount", amount, full_amount, false) {
        return refund_type;
    }
    match (ask.refund_type, is_full) {
        (Some(RefundType::Full), false) => c.push(
            "claim.refund_type",
            format!("a full refund is the full amount `{full_amount}`, not `{amount}` (C-4)"),
        ),
        (Some(RefundType::Partial), true) => c.push(
            "claim.refund_type",
            format!("a partial refund must be strictly below the full amount `{full_amount}`"),
        ),
        _ => {}
    }
    if refund_type == RefundType::Partial {
        if !limits.partial_refund {
            let why = if reason.group() == Group::NotReceived {
                format!("goods not received are refunded in full: `{full_amount}`, not `{amount}` (C-4)")
            } else {
                format!(
                    "`{reason}` does not allow a partial refund: ask for `{full_amount}` (R-S1)"
                )
            };
            c.push("claim.refund.amount", why);
        } else if ask.solution.returns_goods() && return_means_full_refund {
            c.push("claim.refund.amount", return_not_full(amount, full_amount));
        }
    }
    refund_type
}

/// R-R15: the reason needs a cancelled order.
fn check_cancelled(reason: Reason, order_cancelled: bool, c: &mut Collector) {
    if reason == Reason::NotReceivedNoRefundAfterCancellation && !order_cancelled {
        c.push(
            "claim.reason",
            format!("`{reason}` needs a cancelled order, but facts.order_cancelled_at is absent"),
        );
    }
}

/// A claim changed on an open dispute (`modify_claim`, `reopen`): its terms
/// ([`check_terms`]) and the facts the dispute keeps (R-R15: a cancelled
/// order).
pub(crate) fn check_request(
    ask: Ask,
    full_amount: Money,
    limits: &ClaimLimits,
    order_cancelled: bool,
) -> Result<(), Error> {
    let mut c = Collector::new();
    check_terms(
        ask,
        full_amount,
        limits.reason(ask.reason),
        limits.return_means_full_refund,
        &mut c,
    );
    check_cancelled(ask.reason, order_cancelled, &mut c);
    c.finish(Error::InvalidClaim)
}

/// What [`check_document`] found out.
pub(crate) struct Checked {
    pub(crate) full_amount: Money,
    pub(crate) refund_type: RefundType,
    pub(crate) missing_units_value: Option<Money>,
    pub(crate) rules: RuleSet,
}

/// Everything the claim check checks before eligibility, in its order: the
/// terms ([`check_terms`]), the report against the facts and the reason, the
/// facts against the reason (R-R15), the attachments (R-V2). Facts already
/// validated; problems are pushed to `c`.
pub(crate) fn check_document(
    facts: &OrderFacts,
    report: Option<&BuyerReport>,
    ask: Ask,
    evidence: &[Attachment],
    policy: &Policy,
    c: &mut Collector,
) -> Result<Checked, Error> {
    let cap = facts.refund_cap();
    check_document_with(facts, report, ask, evidence, policy, c, cap, false)
}

/// [`check_document`] with the facts' cap already computed and, when
/// `evidence_ok`, the attachments already known to meet the limits (R-V2).
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_document_with(
    facts: &OrderFacts,
    report: Option<&BuyerReport>,
    ask: Ask,
    evidence: &[Attachment],
    policy: &Policy,
    c: &mut Collector,
    cap: Option<Money>,
    evidence_ok: bool,
) -> Result<Checked, Error> {
    let rp = &policy.reasons;
    let reason = ask.reason;
    let limits = ReasonLimits::of(rp.rules(reason)?);
    let group = reason.group();
    let cur = facts.currency();
    let full = cap.map_or(Decimal::ZERO, |m| m.amount);
    let full_amount = Money::new(full, cur);
    let mut rules = RuleSet::EMPTY;
    let refund_type = check_terms(ask, full_amount, limits, rp.return_means_full_refund, c);

    // The report and the facts against the reason.
    let mut missing_units_value = None;
    if let Some(rep) = report {
        rep.check(facts, c);
        if let Some(said) = rep.received {
            if said != (group == Group::Received) {
                c.push(
                    "claim.reason",
                    format!(
                        "`{reason}` is a {} reason but the report says the package {}",
                        group.code().replace('_', "-"),
                        if said { "arrived" } else { "did not arrive" }
                    ),
                );
            }
        }
        if reason == Reason::ReceivedQuantityShortage {
            match rep.units_received {
                Some(n) if n >= facts.quantity => c.push(
                    "claim.reason",
                    format!(
                        "the report says all {} units arrived: no shortage (R-R10)",
                        facts.quantity
                    ),
                ),
                Some(n) => {
                    let missing = Decimal::from(facts.quantity.saturating_sub(n));
                    missing_units_value = facts
                        .unit_price
                        .amount
                        .checked_mul(missing)
                        .map(|v| Money::new(exact::min(v, full), cur));
                    rules.insert(Rule::O4);
                }
                None => {}
            }
        }
    }
    check_cancelled(reason, facts.order_cancelled_at.is_some(), c);

    // R-V2: attachments; appendix: required when received (policy).
    if !evidence.is_empty() {
        rules.insert(Rule::V2);
    }
    if !evidence_ok {
        check_attachments(evidence, rp, "claim.evidence", c);
    }
    if rp.attachments.required_when_received && group == Group::Received && evidence.is_empty() {
        rules.insert(Rule::V2);
        c.push(
            "claim.evidence",
            "at least one attachment is required when the goods were received (R-V2)",
        );
    }
    Ok(Checked {
        full_amount,
        refund_type,
        missing_units_value,
        rules,
    })
}

/// R-E9 for a claim: the code that refuses it now, and the code waived, if
/// any. R-R15 (`cancellation_skips_timer`): a refund owed after a
/// cancellation does not wait for the shipping timer, so `not_shipped` and
/// `too_early` do not refuse it; every other code still does (for a line
/// never shipped, the codes that do not need a shipment, in R-E9's order).
pub(crate) fn eligibility_code(
    facts: &OrderFacts,
    policy: &Policy,
    reason: Reason,
    code: Option<Ineligible>,
) -> (Option<Ineligible>, Option<Ineligible>) {
    let exempt = reason == Reason::NotReceivedNoRefundAfterCancellation
        && policy.reasons.cancellation_skips_timer;
    match code {
        Some(c @ Ineligible::TooEarly) if exempt => (None, Some(c)),
        Some(c @ Ineligible::NotShipped) if exempt => (
            eligibility::blocking_besides_shipment(facts, policy),
            Some(c),
        ),
        other => (other, None),
    }
}
