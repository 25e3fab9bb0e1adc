//! Suggesting reasons from the order facts and the buyer's report, best
//! first, each with why.

use super::{BuyerReport, Group, Reason, Solution};
use crate::error::{Collector, Error};
use crate::explain::{Explain, Explanation, Tracer};
use crate::facts::{CheckedFacts, OrderFacts, Tracking};
use crate::policy::Policy;
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One fitting reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Suggestion {
    /// The reason (serialized as its code).
    pub reason: Reason,
    /// Received or not received.
    pub group: Group,
    /// How well it fits, 1..=100: a ranking weight, not a probability.
    pub score: u32,
    /// Why it fits, in plain English.
    pub why: &'static str,
    /// The policy's preferred solution for it (R-S1).
    pub solution: Solution,
    /// The rules behind the suggestion.
    pub rules: RuleSet,
}

/// The fitting reasons, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Suggestions {
    /// Whether the goods arrived (as reported, else inferred).
    pub received: bool,
    /// Whether `received` was inferred from the facts rather than reported.
    pub received_inferred: bool,
    /// The fitting reasons, best first (ties: by reason number). Empty when
    /// nothing reported points to a reason.
    pub reasons: Vec<Suggestion>,
    /// Every rule applied.
    pub rules: RuleSet,
    /// Plain-English steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

#[derive(Clone, Copy)]
struct Signal {
    score: u32,
    why: &'static str,
    rules: RuleSet,
}

struct Board {
    slots: [Option<Signal>; 15],
    tracer: Tracer,
}

impl Board {
    /// Records a signal for `reason`; the strongest signal per reason wins.
    fn add(&mut self, reason: Reason, score: u32, why: &'static str, extra: &[Rule]) {
        let rules = RuleSet::of(extra).with(reason.rule());
        self.tracer.step(reason.rule(), || {
            format!("`{reason}` fits (score {score}): {why}")
        });
        if let Some(slot) = self.slots.get_mut(reason.index()) {
            match slot {
                Some(s) if s.score >= score => s.rules.extend(rules),
                _ => {
                    let old = slot.map_or(RuleSet::EMPTY, |s| s.rules);
                    let mut rules = rules;
                    rules.extend(old);
                    *slot = Some(Signal { score, why, rules });
                }
            }
        }
    }
}

/// The reasons that fit `facts` and `report`, best first, each with why.
///
/// The facts are validated first ([`Error::InvalidFacts`]); a report that
/// contradicts them or itself is an [`Error::InvalidRequest`] naming
/// `report.…`. Examples: 17 of 18 units arrived: quantity shortage first
/// (R-R10, 003); tracking says delivered but the buyer has nothing: R-R6;
/// held by customs: R-R4; returned to sender: R-R2; delivered to a wrong
/// address: R-R5; cancelled without a refund: R-R15.
pub fn suggest(
    facts: &OrderFacts,
    report: &BuyerReport,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Suggestions, Error> {
    suggest_checked(&CheckedFacts::new(facts, policy, now)?, report, explain)
}

/// [`suggest`] for checked facts: the facts are not validated again; the
/// report is checked against them.
pub fn suggest_checked(
    checked: &CheckedFacts<'_>,
    report: &BuyerReport,
    explain: Explain,
) -> Result<Suggestions, Error> {
    let (facts, policy) = (checked.facts(), checked.policy());
    let mut c = Collector::new();
    report.check(facts, &mut c);
    c.finish(Error::InvalidRequest)?;

    let mut b = Board {
        slots: [None; 15],
        tracer: Tracer::new(explain),
    };
    let received = report.received(facts);
    let inferred = report.received.is_none();
    b.tracer.step(Rule::R1, || {
        let how = if inferred {
            "inferred from the facts"
        } else {
            "as the buyer reports"
        };
        let what = if received {
            "arrived"
        } else {
            "did not arrive"
        };
        format!("\"Did you receive your package?\" (002): the goods {what}, {how}")
    });

    // R-R15: cancelled and not refunded, whatever tracking says.
    if facts.order_cancelled_at.is_some() && facts.refund_completed_at.is_none() {
        b.add(
            Reason::NotReceivedNoRefundAfterCancellation,
            100,
            "the order was cancelled and no refund has been completed",
            &[],
        );
    }

    if received {
        received_signals(&mut b, facts, report);
        // Delivered per tracking, nothing reported by the buyer: maybe nothing came.
        if inferred
            && facts.receipt.is_none()
            && report.units_received.is_none()
            && matches!(
                facts.tracking,
                Tracking::Delivered {
                    to_correct_address: true,
                    ..
                }
            )
        {
            b.add(
                Reason::NotReceivedDeliveredNotReceived,
                20,
                "tracking says delivered; if nothing actually arrived, this is the reason",
                &[],
            );
        }
    } else {
        not_received_signals(&mut b, facts);
    }

    let mut rules = RuleSet::EMPTY;
    let mut out = Vec::with_capacity(b.slots.iter().flatten().count());
    for r in Reason::ALL {
        let Some(Some(s)) = b.slots.get(r.index()) else {
            continue;
        };
        rules.extend(s.rules);
        let solution = policy
            .reasons
            .rules(*r)?
            .solutions
            .first()
            .copied()
            .unwrap_or(Solution::RefundOnly);
        out.push(Suggestion {
            reason: *r,
            group: r.group(),
            score: s.score,
            why: s.why,
            solution,
            rules: s.rules,
        });
    }
    // Best first; ties by reason number (a stable sort keeps number order).
    out.sort_by_key(|s| std::cmp::Reverse(s.score));
    if out.is_empty() {
        b.tracer.step(Rule::R7, || {
            "nothing reported points to a reason: ask what is wrong with the goods".into()
        });
    }
    rules.insert(Rule::S1);
    Ok(Suggestions {
        received,
        received_inferred: inferred,
        reasons: out,
        rules,
        explanation: b.tracer.finish(),
    })
}

fn not_received_signals(b: &mut Board, facts: &OrderFacts) {
    match facts.tracking {
        Tracking::ReturnedToSender { .. } => {
            b.add(
                Reason::NotReceivedReturnedToSeller,
                95,
                "tracking shows the package returned to the sender",
                &[],
            );
        }
        Tracking::CustomsHold { .. } => {
            b.add(
                Reason::NotReceivedCustomsHold,
                95,
                "tracking shows the package held by customs",
                &[],
            );
        }
        Tracking::Delivered {
            to_correct_address: false,
            ..
        } => {
            b.add(
                Reason::NotReceivedWrongAddress,
                95,
                "tracking shows delivery to another address",
                &[],
            );
        }
        Tracking::Delivered {
            to_correct_address: true,
            ..
        } => {
            b.add(
                Reason::NotReceivedDeliveredNotReceived,
                95,
                "tracking says delivered but the buyer received nothing",
                &[Rule::V1],
            );
        }
        Tracking::None => {
            b.add(
                Reason::NotReceivedNoTracking,
                90,
                "there is no tracking information",
                &[],
            );
            b.add(
                Reason::NotReceivedTooLong,
                50,
                "the package has not arrived",
                &[Rule::E5],
            );
        }
        Tracking::Stalled { .. } => {
            b.add(
                Reason::NotReceivedTooLong,
                90,
                "tracking has not moved: delivery is taking too long",
                &[Rule::E5],
            );
        }
        Tracking::InTransit { .. } => {
            b.add(
                Reason::NotReceivedTooLong,
                85,
                "still in transit: delivery is taking too long (ask the seller to extend protection first)",
                &[Rule::E5],
            );
        }
    }
}

fn received_signals(b: &mut Board, facts: &OrderFacts, r: &BuyerReport) {
    if let Some(n) = r.units_received {
        if n < facts.quantity {
            b.add(
                Reason::ReceivedQuantityShortage,
                100,
                "fewer units arrived than were ordered (003: 17 of 18)",
                &[Rule::O4],
            );
        }
    }
    if r.counterfeit {
        b.add(
            Reason::ReceivedCounterfeit,
            95,
            "the buyer reports a fake",
            &[],
        );
    }
    if r.wrong_item {
        b.add(
            Reason::ReceivedNotAsDescribed,
            90,
            "a wrong item, colour or size arrived",
            &[],
        );
    }
    if r.damaged && !r.damaged_by_buyer {
        b.add(Reason::ReceivedDamaged, 90, "the item arrived damaged", &[]);
    } else if r.damaged {
        b.add(
            Reason::ReceivedDamaged,
            15,
            "damage the buyer caused is not covered (R-O5); only damage on arrival is",
            &[Rule::O5],
        );
    }
    if r.defective {
        b.add(
            Reason::ReceivedQuality,
            85,
            "the item is defective or stops working",
            &[],
        );
    }
    if r.minor_defect {
        b.add(
            Reason::ReceivedQuality,
            70,
            "a minor defect that does not stop use: usually a partial refund (R-O4)",
            &[Rule::O4],
        );
    }
    if r.missing_parts {
        b.add(
            Reason::ReceivedMissingParts,
            85,
            "parts or components are missing",
            &[],
        );
    }
    if r.other_carrier {
        b.add(
            Reason::ReceivedShippingMethod,
            75,
            "another carrier or method than promised was used",
            &[],
        );
    }
    if r.no_longer_wanted {
        b.add(
            Reason::ReceivedBuyerRemorse,
            50,
            "the buyer no longer wants the item: a return at the buyer's expense (001)",
            &[Rule::S2],
        );
    }
}
