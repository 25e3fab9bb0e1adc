//! Timeline: every date that matters for the line, in order (C-1, R-E1..R-E5).

use crate::calendar::{Moment, Zoned};
use crate::eligibility::Dates;
use crate::error::Error;
use crate::explain::{Explain, Explanation, Tracer};
use crate::facts::{CheckedFacts, ExtensionStatus, OrderFacts};
use crate::policy::Policy;
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a timeline date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Milestone {
    /// The seller marked the order shipped: the timer starts (R-E1, R-E2).
    Shipped,
    /// Receipt was confirmed (R-E3).
    ReceiptConfirmed,
    /// An extension was requested (R-E5).
    ExtensionRequested,
    /// The wait for a pending extension's approval ends (R-E5).
    ExtensionWaitEnds,
    /// The earliest moment a dispute can be opened (R-E1).
    DisputeWindowOpens,
    /// The last moment to request an extension and still wait for it (R-E5).
    ExtensionRequestDeadline,
    /// Protection as first granted ends (R-E2).
    ProtectionEnds,
    /// Protection with approved extensions ends (R-E5).
    ExtendedProtectionEnds,
    /// Tracking says delivered: remaining protection is cut (appendix).
    DeliveredCutEnds,
    /// The window after confirmed receipt ends (R-E3).
    ConfirmationWindowEnds,
    /// The dispute window closes (R-E3 or R-E4).
    DisputeWindowCloses,
}

impl Milestone {
    /// The stable name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Milestone::Shipped => "shipped",
            Milestone::ReceiptConfirmed => "receipt_confirmed",
            Milestone::ExtensionRequested => "extension_requested",
            Milestone::ExtensionWaitEnds => "extension_wait_ends",
            Milestone::DisputeWindowOpens => "dispute_window_opens",
            Milestone::ExtensionRequestDeadline => "extension_request_deadline",
            Milestone::ProtectionEnds => "protection_ends",
            Milestone::ExtendedProtectionEnds => "extended_protection_ends",
            Milestone::DeliveredCutEnds => "delivered_cut_ends",
            Milestone::ConfirmationWindowEnds => "confirmation_window_ends",
            Milestone::DisputeWindowCloses => "dispute_window_closes",
        }
    }
}

/// One date of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Entry {
    /// What it is.
    pub milestone: Milestone,
    /// When, in UTC and local time.
    pub at: Moment,
    /// The rule that sets it.
    pub rule: Rule,
    /// Whether `now` is at or past it.
    pub passed: bool,
    /// What to do before it.
    pub before: &'static str,
}

/// The timeline answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Timeline {
    /// The dates, earliest first.
    pub entries: Vec<Entry>,
    /// The rules that set them.
    pub rules: RuleSet,
    /// Plain-English steps, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl Timeline {
    /// The first entry of a kind.
    pub fn get(&self, m: Milestone) -> Option<&Entry> {
        self.entries.iter().find(|e| e.milestone == m)
    }

    /// The next date that has not passed.
    pub fn next(&self) -> Option<&Entry> {
        self.entries.iter().find(|e| !e.passed)
    }
}

/// Every date that matters for the line at `now`. Validates the facts first
/// (a wrapper of [`build_checked`]).
///
/// ```
/// use dispute_rules::{timeline, timeline::Milestone, OrderFacts, Policy};
/// # let facts = OrderFacts::from_json(include_str!("../tests/data/not_received.json")).unwrap();
/// let now = "2026-03-20T12:00:00Z".parse().unwrap();
/// let t = timeline::build(&facts, &Policy::aliexpress(), now, Default::default()).unwrap();
/// let opens = t.get(Milestone::DisputeWindowOpens).unwrap();
/// assert_eq!(opens.at.utc.to_rfc3339(), "2026-03-12T07:00:00+00:00");
/// ```
pub fn build(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Timeline, Error> {
    Ok(build_checked(
        &CheckedFacts::new(facts, policy, now)?,
        explain,
    ))
}

/// Every date that matters for the checked facts at their `now`. Nothing is
/// validated or computed again.
pub fn build_checked(checked: &CheckedFacts<'_>, explain: Explain) -> Timeline {
    build_dates(
        checked.facts(),
        checked.policy(),
        checked.now(),
        explain,
        checked.dates(),
    )
}

/// The timeline from dates already computed (`None`: not shipped).
fn build_dates(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
    dates: Option<&Dates>,
) -> Timeline {
    let mut t = Tracer::new(explain);
    let cal = policy.calendar();
    let mut entries = Vec::with_capacity(8 + facts.extensions.len());
    let mut rules = RuleSet::of(&[Rule::C1]);
    let (Some(_), Some(d)) = (facts.shipped_at, dates) else {
        t.step(Rule::E1, || {
            "not shipped: no date can be computed until the seller ships".into()
        });
        return Timeline {
            entries: Vec::new(),
            rules: RuleSet::of(&[Rule::C1, Rule::E1]),
            explanation: t.finish(),
        };
    };
    let mut push = |m: Milestone, z: Zoned, rule: Rule, before: &'static str| {
        rules.insert(rule);
        entries.push(Entry {
            milestone: m,
            at: d.moment(z),
            rule,
            passed: now >= z.at,
            before,
        });
    };
    push(Milestone::Shipped, d.shipped, Rule::E1, "");
    if let Some(r) = facts.receipt {
        let z = d.confirmed.filter(|c| c.at == r.at).unwrap_or_else(|| cal.zoned(r.at));
        push(Milestone::ReceiptConfirmed, z, Rule::E3, "");
    }
    let wait = policy.eligibility.extension_approval_wait_days;
    for x in &facts.extensions {
        push(Milestone::ExtensionRequested, cal.zoned(x.requested_at), Rule::E5, "");
        if x.status == ExtensionStatus::Pending {
            push(
                Milestone::ExtensionWaitEnds,
                cal.add_days_zoned(x.requested_at, wait).min(d.closes_at),
                Rule::E5,
                "wait for the seller's approval; if none by then, open the dispute",
            );
        }
    }
    push(
        Milestone::DisputeWindowOpens,
        d.opens_at,
        Rule::E1,
        "gather evidence: tracking, photos, messages with the seller",
    );
    // R-E5: only while the goods have not arrived (as for the next actions).
    if let Some(x) = d.extension_deadline.filter(|_| !facts.received()) {
        push(
            Milestone::ExtensionRequestDeadline,
            x,
            Rule::E5,
            "request a protection extension if the goods are still on the way",
        );
    }
    push(
        Milestone::ProtectionEnds,
        d.protection_end_base,
        Rule::E2,
        "open a dispute or get an extension approved",
    );
    if d.protection_end != d.protection_end_base && d.delivered_cut.is_none() {
        push(
            Milestone::ExtendedProtectionEnds,
            d.protection_end,
            Rule::E5,
            "open a dispute if the goods have not arrived",
        );
    }
    if let Some(cut) = d.delivered_cut {
        push(
            Milestone::DeliveredCutEnds,
            cut,
            Rule::E2,
            "open a dispute if the delivered goods never arrived",
        );
    }
    if let Some(end) = d.confirmation_window_end {
        push(
            Milestone::ConfirmationWindowEnds,
            end,
            Rule::E3,
            "open a dispute about the goods received",
        );
    }
    let close_rule = if d.confirmed.is_some() {
        Rule::E3
    } else {
        Rule::E4
    };
    push(
        Milestone::DisputeWindowCloses,
        d.closes_at,
        close_rule,
        "open the dispute; after this no dispute can be opened",
    );
    // Stable: equal instants keep their logical order.
    // Usually already in order: a stable sort then changes nothing.
    if !entries.is_sorted_by_key(|e| e.at.utc) {
        entries.sort_by_key(|e| e.at.utc);
    }
    if t.on() {
        for e in &entries {
            t.step(e.rule, || {
                format!(
                    "{} {}: {}",
                    e.milestone.as_str(),
                    if e.passed { "passed" } else { "falls" },
                    e.at
                )
            });
        }
    }
    Timeline {
        entries,
        rules,
        explanation: t.finish(),
    }
}
