//! Lifecycle policy (R-L1..R-L6, R-S3, appendix): every window and limit of
//! the dispute state machine, with its rule id and default.
//!
//! The reopen count is not here: it is `eligibility.reopen_limit` (R-E8),
//! shared with eligibility.

use crate::calendar::{Calendar, DayCounting};
use crate::error::Collector;
use crate::facts::MAX_DAYS;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What happens when a party stays silent until a window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutOutcome {
    /// The dispute goes as the buyer asked (R-L2: 001, 002).
    ResolveAsRequested,
    /// The dispute goes to the platform's dispute team (R-L2: 003).
    Escalate,
}

impl TimeoutOutcome {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            TimeoutOutcome::ResolveAsRequested => "resolve_as_requested",
            TimeoutOutcome::Escalate => "escalate",
        }
    }
}

/// Lifecycle values (R-L1..R-L6, R-S3 and the appendix). Every field is
/// required in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecyclePolicy {
    /// R-L1: days the seller has to answer a new (or reopened) dispute,
    /// counted from its opening. Default 5 (000; appendix: 2018 copies,
    /// sellers' rules); legacy 15 (003; legacy official page).
    pub seller_response_days: u32,
    /// R-L2: what happens when the seller does not answer in time. Default
    /// `resolve_as_requested` (001, 002; appendix: refund at the buyer's
    /// requested amount); legacy `escalate` (003, the source that also gives
    /// the 15-day window).
    pub seller_silent: TimeoutOutcome,
    /// R-L3: how many counter-offers the seller may make in one negotiation
    /// ("several rounds"; the sources give no number). Default 3.
    pub negotiation_rounds: u32,
    /// R-L3: days the party whose turn it is has to answer during the
    /// negotiation; when it lapses the dispute goes to the platform (001:
    /// unresolved disputes go to the platform). Default 5 (as R-L1).
    pub turn_response_days: u32,
    /// Appendix: automatic escalation after this many days without agreement,
    /// counted from the seller's first answer that was not an acceptance.
    /// Default 7 (since 2017); legacy 15 (automatic on day 16).
    pub escalation_after_days: u32,
    /// Appendix (legacy): the buyer may escalate only from this many days
    /// after the dispute was opened. Default 0 (as soon as the seller has
    /// answered); legacy 3 ("from day 3-4").
    pub buyer_escalation_from_days: u32,
    /// R-L4: days after escalation by which the platform aims to decide
    /// (000: review day 8-14, decision day 15, i.e. 8 days after the
    /// day-7 escalation). A target: nothing happens automatically. Default 8.
    pub decision_target_days: u32,
    /// R-L5: days after a decision during which either side may appeal.
    /// Default 7 (000; appendix).
    pub appeal_window_days: u32,
    /// R-L5: appeals per dispute. Default 1 (appendix: one appeal per
    /// dispute).
    pub appeal_limit: u32,
    /// R-L5: an appeal needs new evidence from the appellant, added after
    /// the decision (000: "with new evidence"). Default true.
    pub appeal_requires_new_evidence: bool,
    /// R-L5: days after an appeal by which the platform rules; if it has
    /// not, the appealed decision stands and the dispute closes (000: "after
    /// 30 days the dispute is closed"). Default 10 (appendix: "answered in
    /// about 10 days").
    pub appeal_ruling_days: u32,
    /// Appendix: days the buyer has to ship a return, else the money goes to
    /// the seller. Default 10.
    pub return_ship_days: u32,
    /// R-S3: days the seller has to confirm receipt of a shipped return (the
    /// refund follows the confirmation). The sources give no number.
    /// Default 30.
    pub return_receipt_days: u32,
    /// R-S3: what happens when the seller does not confirm receipt of the
    /// return in time. Default `resolve_as_requested` (the buyer is
    /// refunded).
    pub return_unconfirmed: TimeoutOutcome,
    /// R-L6: business days (Monday to Friday in the policy's zone) within
    /// which an agreed or decided refund is paid. Default 10 (001: up to 10
    /// business days; 003: 7-10); legacy 20 (appendix: 3-20 business days
    /// to a card, 2018).
    pub refund_business_days: u32,
}

impl LifecyclePolicy {
    /// The defaults of the rules reference (`docs/rules.md`).
    pub fn aliexpress() -> Self {
        LifecyclePolicy {
            seller_response_days: 5,
            seller_silent: TimeoutOutcome::ResolveAsRequested,
            negotiation_rounds: 3,
            turn_response_days: 5,
            escalation_after_days: 7,
            buyer_escalation_from_days: 0,
            decision_target_days: 8,
            appeal_window_days: 7,
            appeal_limit: 1,
            appeal_requires_new_evidence: true,
            appeal_ruling_days: 10,
            return_ship_days: 10,
            return_receipt_days: 30,
            return_unconfirmed: TimeoutOutcome::ResolveAsRequested,
            refund_business_days: 10,
        }
    }

    /// The appendix's legacy values (15-day seller response, escalation on
    /// day 16, buyer escalation from day 3, 3-20 business days to refund).
    pub fn aliexpress_legacy() -> Self {
        LifecyclePolicy {
            seller_response_days: 15,
            seller_silent: TimeoutOutcome::Escalate,
            negotiation_rounds: 3,
            turn_response_days: 5,
            escalation_after_days: 15,
            buyer_escalation_from_days: 3,
            decision_target_days: 8,
            appeal_window_days: 7,
            appeal_limit: 1,
            appeal_requires_new_evidence: true,
            appeal_ruling_days: 10,
            return_ship_days: 10,
            return_receipt_days: 30,
            return_unconfirmed: TimeoutOutcome::ResolveAsRequested,
            refund_business_days: 20,
        }
    }

    pub(crate) fn check(&self, c: &mut Collector) {
        // Windows of at least one day: a state's deadline must fall after the
        // moment the state is entered.
        let days = |c: &mut Collector, field: &str, v: u32, min: u32| {
            if !(min..=MAX_DAYS).contains(&v) {
                c.push(
                    format!("lifecycle.{field}"),
                    format!("must be {min} to {MAX_DAYS} days, got {v}"),
                );
            }
        };
        days(c, "seller_response_days", self.seller_response_days, 1);
        days(c, "turn_response_days", self.turn_response_days, 1);
        days(c, "escalation_after_days", self.escalation_after_days, 1);
        days(
            c,
            "buyer_escalation_from_days",
            self.buyer_escalation_from_days,
            0,
        );
        days(c, "decision_target_days", self.decision_target_days, 1);
        days(c, "appeal_window_days", self.appeal_window_days, 1);
        days(c, "appeal_ruling_days", self.appeal_ruling_days, 1);
        days(c, "return_ship_days", self.return_ship_days, 1);
        days(c, "return_receipt_days", self.return_receipt_days, 1);
        days(c, "refund_business_days", self.refund_business_days, 1);
        let count = |c: &mut Collector, field: &str, v: u32| {
            if v > 100 {
                c.push(
                    format!("lifecycle.{field}"),
                    format!("must be 0 to 100, got {v}"),
                );
            }
        };
        count(c, "negotiation_rounds", self.negotiation_rounds);
        count(c, "appeal_limit", self.appeal_limit);
    }
}

impl Default for LifecyclePolicy {
    fn default() -> Self {
        LifecyclePolicy::aliexpress()
    }
}

/// The policy values a dispute runs under, fixed when it opens and kept with
/// it: later policy changes do not move its deadlines, and replaying its
/// history gives the same states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// The lifecycle values.
    pub lifecycle: LifecyclePolicy,
    /// C-1: the zone of day arithmetic.
    pub time_zone: Tz,
    /// C-1: how a duration of N days ends.
    pub day_counting: DayCounting,
    /// R-E8: how many times a cancelled dispute may be reopened
    /// (`eligibility.reopen_limit`).
    pub reopen_limit: u32,
}

impl Terms {
    /// The terms of a policy.
    pub fn of(policy: &crate::Policy) -> Terms {
        Terms {
            lifecycle: policy.lifecycle,
            time_zone: policy.time_zone,
            day_counting: policy.day_counting,
            reopen_limit: policy.eligibility.reopen_limit,
        }
    }

    /// The calendar of these terms (C-1).
    pub const fn calendar(&self) -> Calendar {
        Calendar::new(self.time_zone, self.day_counting)
    }

    pub(crate) fn check(&self, c: &mut Collector) {
        self.lifecycle.check(c);
        if self.reopen_limit > 100 {
            c.push(
                "reopen_limit",
                format!("must be 0 to 100, got {}", self.reopen_limit),
            );
        }
    }
}
