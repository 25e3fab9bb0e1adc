//! Checking a proposed claim against the facts and the policy (C-4, R-S1..R-S3,
//! R-V2, R-E9).

use super::evidence::{self, check_attachments, Attachment, Checklist};
use super::interop::{self, CardCategory};
use super::{BuyerReport, Group, Payer, Reason, Solution};
use crate::eligibility::{self, Ineligible};
use crate::error::{from_json, Collector, Error};
use crate::explain::{Explain, Explanation, Tracer};
use crate::facts::OrderFacts;
use crate::money::Money;
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
    /// Parses a claim from JSON; the error names the failing field (without
    /// a `claim.` prefix).
    pub fn from_json(json: &str) -> Result<Claim, Error> {
        from_json(json, Error::InvalidClaim)
    }
}

/// When the refund is paid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundRelease {
    /// Once the dispute is resolved in the buyer's favour (refund only).
    OnResolution,
    /// R-S3: once the seller confirms receipt of the returned goods.
    OnSellerConfirmingReturn,
}

/// A claim mapped to outside systems (see [`interop`](super::interop)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
/// - `claim.solution`: not allowed for the reason (R-S1);
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
pub fn check_claim(
    facts: &OrderFacts,
    report: Option<&BuyerReport>,
    claim: &Claim,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<ClaimCheck, Error> {
    facts.validate(policy, now)?;
    let rp = &policy.reasons;
    let reason = claim.reason;
    let rules_for = rp.rules(reason)?;
    let group = reason.group();
    let mut t = Tracer::new(explain);
    let mut c = Collector::new();
    let mut rules = RuleSet::of(&[Rule::C4, Rule::S1, Rule::E9]).with(reason.rule());

    // R-S1: the solution.
    if !rules_for.solutions.contains(&claim.solution) {
        c.push(
            "claim.solution",
            format!(
                "`{}` is not allowed for `{reason}` (allowed: {}; R-S1)",
                claim.solution,
                rules_for
                    .solutions
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }

    // C-4: the amount.
    let cur = facts.currency();
    let full = facts.refund_cap().map_or(Decimal::ZERO, |m| m.amount);
    let full_amount = Money::new(full, cur);
    let amount = claim.refund.amount;
    if claim.refund.currency != cur {
        c.push(
            "claim.refund.currency",
            format!(
                "`{}` is not the line's currency `{cur}`",
                claim.refund.currency
            ),
        );
    }
    let is_full = amount == full;
    let refund_type = claim.refund_type.unwrap_or(if is_full {
        RefundType::Full
    } else {
        RefundType::Partial
    });
    if amount <= Decimal::ZERO {
        c.push(
            "claim.refund.amount",
            format!("must be more than zero, got `{amount}`"),
        );
    } else if amount > full {
        c.push(
            "claim.refund.amount",
            format!("`{amount}` exceeds the cap `{full_amount}`: the price plus shipping, less the coupon (C-4)"),
        );
    } else {
        match (claim.refund_type, is_full) {
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
            if !rules_for.partial_refund {
                let why = if group == Group::NotReceived {
                    format!("goods not received are refunded in full: `{full_amount}`, not `{amount}` (C-4)")
                } else {
                    format!("`{reason}` does not allow a partial refund: ask for `{full_amount}` (R-S1)")
                };
                c.push("claim.refund.amount", why);
            } else if claim.solution.returns_goods() && rp.return_means_full_refund {
                c.push(
                    "claim.refund.amount",
                    format!("returning the goods is for a full refund of `{full_amount}`, not `{amount}` (R-S1)"),
                );
            }
        }
    }
    t.step(Rule::C4, || {
        format!("the cap is `{full_amount}` (price plus shipping, less the coupon); the claim asks `{}`", claim.refund)
    });

    // The report and the facts against the reason.
    let mut missing_units_value = None;
    if let Some(rep) = report {
        rep.check(facts, &mut c);
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
                        .map(|v| Money::new(v.min(full), cur));
                    rules.insert(Rule::O4);
                }
                None => {}
            }
        }
    }
    if reason == Reason::NotReceivedNoRefundAfterCancellation && facts.order_cancelled_at.is_none()
    {
        c.push(
            "claim.reason",
            format!("`{reason}` needs a cancelled order, but facts.order_cancelled_at is absent"),
        );
    }

    // R-V2: attachments; appendix: required when received (policy).
    if !claim.evidence.is_empty() {
        rules.insert(Rule::V2);
    }
    check_attachments(&claim.evidence, rp, "claim.evidence", &mut c);
    if rp.attachments.required_when_received
        && group == Group::Received
        && claim.evidence.is_empty()
    {
        rules.insert(Rule::V2);
        c.push(
            "claim.evidence",
            "at least one attachment is required when the goods were received (R-V2)",
        );
    }

    // R-E9: the line must be eligible now.
    let e = eligibility::assess_valid(facts, policy, now, Explain::No)?;
    rules.extend(e.rules);
    if let Some(code) = e.code {
        let timer = matches!(code, Ineligible::NotShipped | Ineligible::TooEarly);
        let exempt = timer
            && reason == Reason::NotReceivedNoRefundAfterCancellation
            && rp.cancellation_skips_timer;
        if exempt {
            t.step(Rule::R15, || {
                format!("`{}` does not apply: a refund owed after a cancellation does not wait for the shipping timer", code.code())
            });
        } else {
            c.push(
                "eligibility",
                format!("`{}`: {} (R-E9)", code.code(), code.describe()),
            );
        }
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
    let checklist = evidence::build(reason, &claim.evidence, rp, explain)?;
    rules.extend(checklist.rules);
    if let Some(x) = &checklist.explanation {
        for s in x.steps() {
            t.step(s.rule, || s.text.clone());
        }
    }
    let mut checklist = checklist;
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
