//! Lifecycle policy (R-L1..R-L6, R-S3, appendix): every window and limit of
//! the dispute state machine, with its rule id and default.
//!
//! The reopen count is not here: it is `eligibility.reopen_limit` (R-E8),
//! shared with eligibility.

use crate::calendar::{Calendar, DayCounting};
use crate::error::{Collector, Error};
use crate::facts::MAX_DAYS;
use crate::policy::Policy;
use crate::reasons::ClaimLimits;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// What happens when a party stays silent until a window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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

/// Where the clock of automatic escalation starts (appendix: "automatic
/// after 7 days without agreement").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EscalationClock {
    /// At the opening, or the latest reopening, of the dispute.
    Opening,
    /// At the seller's first answer that was not an acceptance (a refusal
    /// or a counter-offer).
    FirstAnswer,
}

impl EscalationClock {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            EscalationClock::Opening => "opening",
            EscalationClock::FirstAnswer => "first_answer",
        }
    }
}

/// Lifecycle values (R-L1..R-L6, R-S3 and the appendix). Every field is
/// required in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
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
    /// Appendix: automatic escalation after this many days without
    /// agreement, counted as `escalation_clock` says. Default 7 (since
    /// 2017); legacy 15 (automatic on day 16). With the `opening` clock, at
    /// least `seller_response_days` (the seller may answer until the end of
    /// the response window).
    pub escalation_after_days: u32,
    /// Appendix, precise default: where the `escalation_after_days` clock
    /// starts. Default `opening`: the opening or the latest reopening, not
    /// the latest offer (a turn that lapses goes to the platform on its
    /// own). Legacy `opening` too: the legacy rule counts the days of the
    /// dispute (buyer escalation from day 3-4, automatic on day 16).
    /// `first_answer`: from the seller's first answer that was not an
    /// acceptance.
    pub escalation_clock: EscalationClock,
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
    /// R-L5: days after an appeal by which the platform rules. Default 10
    /// (appendix: "answered in about 10 days"). A target when
    /// `final_ruling_ends_appeal` is on; otherwise, if the platform has not
    /// ruled by then, the appealed decision stands and the dispute closes
    /// (000: "after 30 days the dispute is closed").
    pub appeal_ruling_days: u32,
    /// R-L5, precise default: after an appeal only the platform's final
    /// ruling ends the dispute, and the answer says so (`end`:
    /// `final_ruling`); the first decision cannot be made again (`decide` is
    /// refused in `appealed`), and `appeal_ruling_days` is a target: nothing
    /// happens by itself when it passes. Default true; legacy true (no legacy
    /// source says otherwise). false: the platform may `decide` again (a new
    /// decision, appealable while appeals remain), and without a ruling by
    /// `appeal_ruling_days` the appealed decision stands.
    pub final_ruling_ends_appeal: bool,
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
    /// R-S1, precise default: whether a counter-offer or a ruling may ask
    /// for the goods back with less than the full amount. Default false: a
    /// return always comes with the full amount, and a partial refund never
    /// asks for the goods back. Legacy true: the older open API (appendix)
    /// records the refund (`issueRefundType`, `part_amount_refund`) and the
    /// return (`isReturnGoods`) separately, so a proposal could combine
    /// them. Must be true when `reasons.return_means_full_refund` is false
    /// (a claim for a partial refund with a return could not settle
    /// otherwise).
    pub partial_refund_with_return: bool,
    /// R-V1, precise default: evidence may be added in every state in which
    /// the dispute is still open, including while the goods travel back to
    /// the seller (`awaiting_return_shipment`, `awaiting_return_receipt`),
    /// never after it ended. Default true; legacy true (no source limits
    /// it). false: only while the dispute is with the seller or the
    /// platform.
    pub evidence_during_return: bool,
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
            escalation_clock: EscalationClock::Opening,
            buyer_escalation_from_days: 0,
            decision_target_days: 8,
            appeal_window_days: 7,
            appeal_limit: 1,
            appeal_requires_new_evidence: true,
            appeal_ruling_days: 10,
            final_ruling_ends_appeal: true,
            return_ship_days: 10,
            return_receipt_days: 30,
            return_unconfirmed: TimeoutOutcome::ResolveAsRequested,
            partial_refund_with_return: false,
            evidence_during_return: true,
            refund_business_days: 10,
        }
    }

    /// The appendix's legacy values (15-day seller response, escalation on
    /// day 16, buyer escalation from day 3, 3-20 business days to refund, a
    /// proposal may combine a partial refund with a return).
    pub fn aliexpress_legacy() -> Self {
        LifecyclePolicy {
            seller_response_days: 15,
            seller_silent: TimeoutOutcome::Escalate,
            negotiation_rounds: 3,
            turn_response_days: 5,
            escalation_after_days: 15,
            escalation_clock: EscalationClock::Opening,
            buyer_escalation_from_days: 3,
            decision_target_days: 8,
            appeal_window_days: 7,
            appeal_limit: 1,
            appeal_requires_new_evidence: true,
            appeal_ruling_days: 10,
            final_ruling_ends_appeal: true,
            return_ship_days: 10,
            return_receipt_days: 30,
            return_unconfirmed: TimeoutOutcome::ResolveAsRequested,
            partial_refund_with_return: true,
            evidence_during_return: true,
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
        // The seller may answer until the end of the response window: the
        // escalation instant counted from the opening must not fall earlier.
        let ranged = |v: u32| (1..=MAX_DAYS).contains(&v);
        if self.escalation_clock == EscalationClock::Opening
            && ranged(self.seller_response_days)
            && ranged(self.escalation_after_days)
            && self.escalation_after_days < self.seller_response_days
        {
            c.push(
                "lifecycle.escalation_after_days",
                format!(
                    "must be at least `seller_response_days` ({}) when `escalation_clock` is `opening`, got {}",
                    self.seller_response_days, self.escalation_after_days
                ),
            );
        }
    }

    /// The values that must agree with the reasons policy: a claim for a
    /// partial refund with a return (`reasons.return_means_full_refund`
    /// false) needs `partial_refund_with_return` (R-S1).
    pub(crate) fn check_with_claims(&self, return_means_full_refund: bool, c: &mut Collector) {
        if !return_means_full_refund && !self.partial_refund_with_return {
            c.push(
                "lifecycle.partial_refund_with_return",
                "must be true when `reasons.return_means_full_refund` is false: a claim for a partial refund with a return could not settle otherwise (R-S1)",
            );
        }
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
#[non_exhaustive]
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
    /// What a claim is checked against (C-4, R-S1, R-R14: the reasons
    /// policy's solutions, partial refunds and `return_means_full_refund`),
    /// for `modify_claim` and `reopen`.
    pub claims: ClaimLimits,
}

impl Terms {
    /// The terms of a policy, checked as [`Policy::validate`] checks the
    /// same values (errors name the policy's fields: `lifecycle.…`,
    /// `eligibility.reopen_limit`, `reasons.by_reason.…`). The rest of the
    /// policy is not checked here.
    pub fn of(policy: &Policy) -> Result<Terms, Error> {
        let mut c = Collector::new();
        policy.lifecycle.check(&mut c);
        policy
            .lifecycle
            .check_with_claims(policy.reasons.return_means_full_refund, &mut c);
        check_reopen_limit(
            policy.eligibility.reopen_limit,
            "eligibility.reopen_limit",
            &mut c,
        );
        c.finish(Error::InvalidPolicy)?;
        Ok(Terms {
            lifecycle: policy.lifecycle,
            time_zone: policy.time_zone,
            day_counting: policy.day_counting,
            reopen_limit: policy.eligibility.reopen_limit,
            claims: ClaimLimits::of(&policy.reasons)?,
        })
    }

    /// The calendar of these terms (C-1).
    pub const fn calendar(&self) -> Calendar {
        Calendar::new(self.time_zone, self.day_counting)
    }

    pub(crate) fn check(&self, c: &mut Collector) {
        self.lifecycle.check(c);
        self.lifecycle
            .check_with_claims(self.claims.return_means_full_refund, c);
        check_reopen_limit(self.reopen_limit, "reopen_limit", c);
    }
}

fn check_reopen_limit(v: u32, field: &str, c: &mut Collector) {
    if v > 100 {
        c.push(field, format!("must be 0 to 100, got {v}"));
    }
}
