//! Answers about a dispute: where it stands, what each party may do, the
//! refund (R-L6) and the chargeback pointer (R-L7).

use super::machine::{event_rule, solution_name};
use super::{
    Action, Actor, Basis, ClaimRequest, Deadline, Dispute, End, EventKinds, RefundDestination,
    State,
};
use crate::calendar::Moment;
use crate::explain::{Explain, Explanation, Tracer};
use crate::money::Money;
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Utc};
use serde::Serialize;

impl Dispute {
    /// Where the dispute stands at `now`: state, open-API status, next
    /// deadline, what each party may do, the refund (R-L6) and the rules;
    /// plain-English steps with [`Explain::Yes`].
    pub fn summary(&self, now: DateTime<Utc>, explain: Explain) -> Summary {
        let mut rules = self.rules();
        let refund = self.refund_info();
        if refund.is_some() {
            rules.insert(Rule::L6);
        }
        let chargeback_possible = self.chargeback_possible();
        if chargeback_possible {
            rules.insert(Rule::L7);
        }
        let next_deadline = self.next_deadline();
        let mut t = Tracer::new(explain);
        if t.on() {
            self.trace(&mut t, next_deadline.as_ref(), chargeback_possible);
        }
        Summary {
            state: self.state.name(),
            api_status: self.state.api_status(),
            terminal: self.state.is_terminal(),
            entered_at: self.moment(self.entered_at),
            next_deadline,
            allowed: Allowed {
                buyer: self.allowed_actions(Actor::Buyer, now),
                seller: self.allowed_actions(Actor::Seller, now),
                platform: self.allowed_actions(Actor::Platform, now),
                clock: self.allowed_actions(Actor::Clock, now),
            },
            claim: self.claim,
            appeals: self.appeals,
            reopens: self.reopens,
            refund,
            chargeback_possible,
            rules,
            explanation: t.finish(),
        }
    }

    pub(super) fn refund_info(&self) -> Option<Refund> {
        let (amount, due) = match self.state {
            State::SellerAccepted {
                settlement,
                refund_due,
            } => (settlement.refund, Some(refund_due)),
            State::Resolved {
                refund, refund_due, ..
            } if !refund.amount.is_zero() => (refund, refund_due),
            _ => return None,
        };
        Some(Refund {
            amount,
            destination: RefundDestination::for_method(self.line.payment_method),
            due_by: due.map(|d| self.moment(d)),
            business_days: self.terms.lifecycle.refund_business_days,
        })
    }

    /// R-L7: after a final loss on the platform (a decision or ruling giving
    /// less than the claim), a card or PayPal payer may turn to a chargeback.
    fn chargeback_possible(&self) -> bool {
        match self.state {
            State::Resolved {
                settlement,
                refund,
                end,
                ..
            } => {
                matches!(settlement.basis, Basis::Decision | Basis::FinalRuling)
                    && end != End::ReturnNotShipped
                    && refund.amount < self.claim.refund.amount
                    && self.line.payment_method.chargeback_possible()
            }
            _ => false,
        }
    }

    fn trace(&self, t: &mut Tracer, deadline: Option<&Deadline>, chargeback: bool) {
        for e in &self.history {
            let rule = match e.action {
                Action::Timeout { deadline } => deadline.rule(),
                _ => event_rule(e.kind()),
            };
            t.step(rule, || {
                let what = match e.action {
                    Action::Open { claim }
                    | Action::ModifyClaim { claim }
                    | Action::Reopen { claim: Some(claim) } => format!(
                        " (`{}`, {}, {})",
                        claim.reason,
                        solution_name(claim.solution),
                        claim.refund
                    ),
                    Action::CounterOffer { offer } => {
                        format!(" ({}, {})", solution_name(offer.solution), offer.refund)
                    }
                    Action::Decide { ruling } | Action::FinalRuling { ruling } => format!(
                        " (refund {}{})",
                        ruling.refund,
                        if ruling.return_goods {
                            " after a return"
                        } else {
                            ""
                        }
                    ),
                    Action::Timeout { deadline } => format!(" (`{deadline}`)"),
                    _ => String::new(),
                };
                format!(
                    "{}: `{}` by the {}{what}",
                    self.moment(e.at),
                    e.kind(),
                    e.actor
                )
            });
        }
        t.step(self.state.rule(), || {
            format!(
                "now `{}` since {}",
                self.state.name(),
                self.moment(self.entered_at)
            )
        });
        if let Some(d) = deadline {
            t.step(d.rule, || format!("next deadline {}: {}", d.at, d.effect));
        }
        if let Some(r) = self.refund_info() {
            t.step(Rule::L6, || {
                let to = match r.destination {
                    RefundDestination::OriginalPaymentMethod => "the original payment method",
                    RefundDestination::AlipayAccount => "an Alipay account",
                };
                match r.due_by {
                    Some(d) => format!("refund {} to {to}, due by {d}", r.amount),
                    None => format!("refund {} to {to}", r.amount),
                }
            });
        }
        if chargeback {
            t.step(Rule::L7, || {
                "the platform's final answer gave less than the claim; as a last resort a chargeback with the card issuer may be possible".into()
            });
        }
    }
}

/// What each actor may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Allowed {
    /// The buyer.
    pub buyer: EventKinds,
    /// The seller.
    pub seller: EventKinds,
    /// The platform.
    pub platform: EventKinds,
    /// The clock (`timeout` when a window has ended: call `advance`).
    pub clock: EventKinds,
}

/// A refund that is agreed or decided (R-L6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Refund {
    /// How much (C-4: never above the cap).
    pub amount: Money,
    /// Where it goes (R-L6).
    pub destination: RefundDestination,
    /// By when it is paid (R-L6), counted from the agreement or decision.
    pub due_by: Option<Moment>,
    /// The policy's business days.
    pub business_days: u32,
}

/// Where a dispute stands ([`Dispute::summary`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// The state's name.
    pub state: &'static str,
    /// The open-API issue status, where one exists (appendix).
    pub api_status: Option<&'static str>,
    /// Whether the dispute is closed.
    pub terminal: bool,
    /// When the state was entered.
    pub entered_at: Moment,
    /// The next deadline and its effect.
    pub next_deadline: Option<Deadline>,
    /// What each actor may do now.
    pub allowed: Allowed,
    /// The buyer's current claim.
    pub claim: ClaimRequest,
    /// Appeals made (R-L5).
    pub appeals: u32,
    /// The reopen number (R-E8).
    pub reopens: u32,
    /// The refund, once agreed or final (R-L6).
    pub refund: Option<Refund>,
    /// R-L7: a chargeback with the card issuer may be the last resort.
    pub chargeback_possible: bool,
    /// The rules that produced the answer.
    pub rules: RuleSet,
    /// Plain-English steps, when requested.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// A lifecycle answer of the JSON layer: the dispute (to pass back in the
/// next request) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The dispute, in its JSON form.
    pub dispute: Dispute,
    /// Where it stands.
    #[serde(flatten)]
    pub summary: Summary,
    /// For `lifecycle_advance`: how many timeouts were applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts_applied: Option<usize>,
}

impl Report {
    /// The report on `dispute` at `now`.
    pub fn new(dispute: Dispute, now: DateTime<Utc>, explain: Explain) -> Report {
        let summary = dispute.summary(now, explain);
        Report {
            dispute,
            summary,
            timeouts_applied: None,
        }
    }
}

/// The answer of `lifecycle_allowed`: what one actor may do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AllowedAnswer {
    /// The actor asked about.
    pub actor: Actor,
    /// The moment asked about.
    pub now: Moment,
    /// The dispute's state.
    pub state: &'static str,
    /// The kinds of event the actor may make now.
    pub allowed: EventKinds,
    /// The next deadline.
    pub next_deadline: Option<Deadline>,
    /// The rules that produced the answer.
    pub rules: RuleSet,
}

impl AllowedAnswer {
    /// What `actor` may do on `dispute` at `now` (the answer of
    /// `lifecycle_allowed`).
    pub fn new(dispute: &Dispute, actor: Actor, now: DateTime<Utc>) -> AllowedAnswer {
        AllowedAnswer {
            actor,
            now: dispute.moment_of(now),
            state: dispute.state().name(),
            allowed: dispute.allowed_actions(actor, now),
            next_deadline: dispute.next_deadline(),
            rules: dispute.rules(),
        }
    }
}

/// JSON operations (`api::call`).
pub(crate) mod ops {
    use super::{AllowedAnswer, Report};
    use crate::api::Request;
    use crate::error::{check_now, from_json, Error, Problems};
    use crate::lifecycle::{Dispute, Event};
    use chrono::{DateTime, Utc};

    /// The request's `now`, if given: every lifecycle operation reads it
    /// here, so that one outside the supported years is refused (on `now`)
    /// by all alike, as the eligibility path refuses it.
    fn given_now(r: &Request<'_>) -> Result<Option<DateTime<Utc>>, Error> {
        if let Some(now) = r.now {
            check_now(now)?;
        }
        Ok(r.now)
    }

    /// The request's `now`, required ([`given_now`]).
    fn now(r: &Request<'_>) -> Result<DateTime<Utc>, Error> {
        match given_now(r)? {
            Some(now) => Ok(now),
            None => r.now(),
        }
    }

    fn dispute(r: &Request<'_>) -> Result<Dispute, Error> {
        let raw = r.required("dispute", r.dispute)?;
        Dispute::from_json(raw).map_err(|e| e.nested("dispute"))
    }

    /// `lifecycle_open`: `facts`, `now`, `policy`, `claim`, `report`
    /// (optional), `explain`. The claim and the report are read and checked
    /// as `check_claim` reads and checks them (the dispute keeps the reason,
    /// solution and amount).
    pub(crate) fn open(r: &Request<'_>) -> Result<Report, Error> {
        let (facts, policy, now) = (r.facts()?, r.policy()?, now(r)?);
        let claim = r.claim()?;
        let report = r.report()?;
        let d = Dispute::open_claim(&facts, report.as_ref(), &claim, &policy, now)?;
        Ok(Report::new(d, now, r.explain()))
    }

    /// `lifecycle_apply`: `dispute`, `event`, `now` (default: the event's
    /// instant), `explain`.
    pub(crate) fn apply(r: &Request<'_>) -> Result<Report, Error> {
        let mut d = dispute(r)?;
        let given = given_now(r)?;
        let raw = r.required("event", r.event)?;
        let event: Event = from_json(raw, Error::InvalidRequest).map_err(|e| e.nested("event"))?;
        d.apply(event).map_err(|e| e.nested("event"))?;
        let now = given.unwrap_or(event.at).max(event.at);
        Ok(Report::new(d, now, r.explain()))
    }

    /// `lifecycle_advance`: `dispute`, `now`, `explain`.
    pub(crate) fn advance(r: &Request<'_>) -> Result<Report, Error> {
        let (mut d, now) = (dispute(r)?, now(r)?);
        let n = d.advance(now);
        let mut report = Report::new(d, now, r.explain());
        report.timeouts_applied = Some(n);
        Ok(report)
    }

    /// `lifecycle_status`: `dispute`, `now`, `explain`.
    pub(crate) fn status(r: &Request<'_>) -> Result<Report, Error> {
        let (d, now) = (dispute(r)?, now(r)?);
        Ok(Report::new(d, now, r.explain()))
    }

    /// `lifecycle_allowed`: `dispute`, `actor`, `now`.
    pub(crate) fn allowed(r: &Request<'_>) -> Result<AllowedAnswer, Error> {
        let (d, now) = (dispute(r)?, now(r)?);
        let actor = r.actor.ok_or_else(|| {
            Error::InvalidRequest(Problems::one(
                "actor",
                "missing field `actor` (`buyer`, `seller`, `platform` or `clock`)",
            ))
        })?;
        Ok(AllowedAnswer::new(&d, actor, now))
    }
}
