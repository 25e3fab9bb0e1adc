//! The transitions: which events each state takes (and the refusal code
//! when it does not), and what an accepted event changes. The order of the
//! checks is documented in the parent module.

use super::{
    in_range, Action, Actor, Basis, ClaimRequest, ClosedReason, DeadlineKind, Dispute, End,
    EscalationClock, Event, EventKind, Line, Party, Refusal, Ruling, Settlement, State,
    TimeoutOutcome,
};
use crate::calendar::{Calendar, Moment};
use crate::eligibility::Ineligible;
use crate::error::{Collector, Error, TransitionError};
use crate::money::Money;
use crate::reasons::{self, Solution};
use crate::rules::Rule;
use chrono::{DateTime, Datelike, Utc, Weekday};

impl Dispute {
    pub(super) fn moment(&self, at: DateTime<Utc>) -> Moment {
        Moment::new(at, self.terms.time_zone)
    }

    pub(super) fn cal(&self) -> Calendar {
        self.terms.calendar()
    }

    pub(super) fn deadline_raw(&self) -> Option<(DeadlineKind, DateTime<Utc>)> {
        Some(match self.state {
            State::AwaitingSeller { due } => (DeadlineKind::SellerResponse, due),
            State::SellerAccepted { refund_due, .. } => (DeadlineKind::RefundDue, refund_due),
            State::Negotiating {
                turn_due,
                escalation_due,
                ..
            } => {
                if escalation_due <= turn_due {
                    (DeadlineKind::NoAgreement, escalation_due)
                } else {
                    (DeadlineKind::TurnLapse, turn_due)
                }
            }
            State::AwaitingReturnShipment { due, .. } => (DeadlineKind::ReturnShipment, due),
            State::AwaitingReturnReceipt { due, .. } => (DeadlineKind::ReturnReceipt, due),
            State::UnderReview { decision_due } => (DeadlineKind::DecisionDue, decision_due),
            State::Decided {
                appealable_until, ..
            } => (DeadlineKind::AppealWindow, appealable_until),
            State::Appealed { ruling_due, .. } => (DeadlineKind::AppealRuling, ruling_due),
            State::Cancelled { reopenable_until } => (DeadlineKind::ReopenWindow, reopenable_until),
            State::Resolved { .. } | State::ClosedForGood { .. } => return None,
        })
    }

    pub(super) fn automatic_deadline(&self) -> Option<(DeadlineKind, DateTime<Utc>)> {
        let p = &self.terms.lifecycle;
        self.deadline_raw().filter(|(k, _)| k.automatic(p))
    }

    fn closed_refusal(&self) -> Refusal {
        match self.state {
            State::Resolved { settlement, .. } if settlement.basis.by_agreement() => {
                Refusal::Ineligible(Ineligible::ClosedByAgreement)
            }
            State::ClosedForGood {
                reason: ClosedReason::ReopenLimit,
            } => Refusal::Ineligible(Ineligible::ReopenLimitReached),
            State::ClosedForGood {
                reason: ClosedReason::WindowClosed,
            } => Refusal::Ineligible(self.line.window_code()),
            _ => Refusal::Closed,
        }
    }

    /// Why `actor` may not make a `kind` event at `at` (data aside).
    pub(super) fn refusal(
        &self,
        actor: Actor,
        kind: EventKind,
        at: DateTime<Utc>,
    ) -> Option<Refusal> {
        use EventKind as K;
        if self.state.is_terminal() {
            return Some(match kind {
                K::Open | K::Reopen => self.closed_refusal(),
                _ => Refusal::Closed,
            });
        }
        if !in_range(at) {
            return Some(Refusal::TimeOutOfRange);
        }
        if at < self.last_at {
            return Some(Refusal::TimeRunsBackwards);
        }
        if !kind.permitted(actor) {
            return Some(Refusal::ActorNotPermitted);
        }
        let due = self.automatic_deadline().map(|(_, d)| d);
        if kind == K::Timeout {
            return match due {
                Some(d) if at >= d => None,
                _ => Some(Refusal::NotDue),
            };
        }
        if kind == K::Open {
            return Some(match self.state {
                State::Cancelled { .. } => Refusal::NotInThisState,
                _ => Refusal::Ineligible(Ineligible::DisputeAlreadyOpen),
            });
        }
        if due.is_some_and(|d| at >= d) {
            return Some(match (self.state, kind) {
                (State::Cancelled { .. }, K::Reopen) => {
                    Refusal::Ineligible(self.line.window_code())
                }
                _ => Refusal::DeadlinePassed,
            });
        }
        self.state_refusal(actor, kind, at)
    }

    /// Step 6 of the checks: what the state takes from whom.
    pub(super) fn state_refusal(
        &self,
        actor: Actor,
        kind: EventKind,
        at: DateTime<Utc>,
    ) -> Option<Refusal> {
        use EventKind as K;
        let p = &self.terms.lifecycle;
        match (&self.state, kind) {
            (State::AwaitingSeller { .. }, K::CounterOffer) => {
                (p.negotiation_rounds == 0).then_some(Refusal::RoundLimitReached)
            }
            (
                State::AwaitingSeller { .. },
                K::Accept | K::Refuse | K::ModifyClaim | K::AddEvidence | K::Cancel,
            ) => None,
            (
                State::Negotiating {
                    turn,
                    offer,
                    rounds,
                    ..
                },
                k,
            ) => match k {
                K::Accept | K::Refuse | K::CounterOffer if *turn != Party::Seller => {
                    Some(Refusal::NotYourTurn)
                }
                K::CounterOffer => {
                    (*rounds >= p.negotiation_rounds).then_some(Refusal::RoundLimitReached)
                }
                K::AcceptOffer | K::RejectOffer | K::ModifyClaim if *turn != Party::Buyer => {
                    Some(Refusal::NotYourTurn)
                }
                K::AcceptOffer | K::RejectOffer if offer.is_none() => Some(Refusal::NoOffer),
                K::Escalate => {
                    let from = self
                        .cal()
                        .add_days(self.opened_at, p.buyer_escalation_from_days);
                    (at < from).then_some(Refusal::EscalationTooEarly)
                }
                K::Accept
                | K::Refuse
                | K::AcceptOffer
                | K::RejectOffer
                | K::ModifyClaim
                | K::AddEvidence
                | K::Cancel => None,
                _ => Some(Refusal::NotInThisState),
            },
            (State::UnderReview { .. }, K::Decide | K::AddEvidence | K::Cancel) => None,
            (
                State::Decided {
                    buyer_evidence,
                    seller_evidence,
                    ..
                },
                K::Appeal,
            ) => {
                let added = match actor {
                    Actor::Seller => *seller_evidence,
                    _ => *buyer_evidence,
                };
                (p.appeal_requires_new_evidence && !added).then_some(Refusal::NoNewEvidence)
            }
            // R-V1: evidence while the goods travel back (policy).
            (
                State::AwaitingReturnShipment { .. } | State::AwaitingReturnReceipt { .. },
                K::AddEvidence,
            ) => (!p.evidence_during_return).then_some(Refusal::NotInThisState),
            // R-L5: after an appeal only the final ruling ends the dispute
            // (policy); the first decision is not made again.
            (State::Appealed { .. }, K::Decide) => p
                .final_ruling_ends_appeal
                .then_some(Refusal::NotInThisState),
            (State::Decided { .. }, K::AddEvidence)
            | (State::Appealed { .. }, K::FinalRuling | K::AddEvidence)
            | (State::AwaitingReturnShipment { .. }, K::ShipReturn)
            | (State::AwaitingReturnReceipt { .. }, K::ConfirmReturnReceived)
            | (State::Cancelled { .. }, K::Reopen) => None,
            _ => Some(Refusal::NotInThisState),
        }
    }

    pub(super) fn refused(&self, e: &Event, r: Refusal) -> Error {
        Error::IllegalTransition(
            TransitionError::new(
                self.state.name(),
                e.kind().as_str(),
                e.actor.as_str(),
                r.describe(),
            )
            .with_code(r.code()),
        )
    }

    /// The event's data; fields are named from the event. A claim
    /// (`modify_claim`, `reopen`) is checked as the claim check checks it
    /// (C-2, C-4, R-S1, R-R14, R-R15); an offer or a ruling by the limits
    /// that apply to it: C-2 currency, C-4 at most the cap (an offer above
    /// zero, a ruling not negative), R-S1 a return only for goods that
    /// arrived, with a refund, for the full amount (unless
    /// `partial_refund_with_return`).
    pub(super) fn check_action(&self, a: &Action) -> Result<(), Error> {
        let full = self.line.refund_cap;
        // (refund, return, an offer (not a ruling), the fields)
        let (refund, return_goods, offer, fields) = match a {
            Action::ModifyClaim { claim } | Action::Reopen { claim: Some(claim) } => {
                return reasons::check_request(
                    claim.ask(),
                    full,
                    &self.terms.claims,
                    self.line.order_cancelled,
                );
            }
            Action::CounterOffer { offer } => (
                offer.refund,
                offer.solution == Solution::ReturnAndRefund,
                true,
                [
                    "offer.refund.currency",
                    "offer.refund.amount",
                    "offer.solution",
                ],
            ),
            Action::Decide { ruling } | Action::FinalRuling { ruling } => (
                ruling.refund,
                ruling.return_goods,
                false,
                [
                    "ruling.refund.currency",
                    "ruling.refund.amount",
                    "ruling.return_goods",
                ],
            ),
            _ => return Ok(()),
        };
        let [currency_field, amount_field, return_field] = fields;
        let mut c = Collector::new();
        reasons::check_currency(&mut c, currency_field, refund, full.currency);
        let amount_ok = reasons::check_amount(&mut c, amount_field, refund.amount, full, !offer);
        if return_goods {
            if refund.amount.is_zero() && !offer {
                c.push(return_field, "a return needs a refund above zero (R-S1)");
            }
            if !self.claim.reason.is_received() {
                c.push(return_field, not_received(&self.claim));
            }
            if amount_ok
                && !refund.amount.is_zero()
                && refund.amount < full.amount
                && !self.terms.lifecycle.partial_refund_with_return
            {
                c.push(amount_field, reasons::return_not_full(refund.amount, full));
            }
        }
        c.finish(Error::InvalidClaim)
    }

    fn business_days_later(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        add_business_days(self.cal(), at, self.terms.lifecycle.refund_business_days)
    }

    fn refund_due(&self, refund: Money, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (refund.amount > rust_decimal::Decimal::ZERO).then(|| self.business_days_later(at))
    }

    /// Agreed terms (R-E7): a return first, or the refund.
    fn agree(&self, s: Settlement, at: DateTime<Utc>) -> State {
        if s.return_goods {
            State::AwaitingReturnShipment {
                settlement: s,
                due: self
                    .cal()
                    .add_days(at, self.terms.lifecycle.return_ship_days),
            }
        } else {
            State::SellerAccepted {
                settlement: s,
                refund_due: self.business_days_later(at),
            }
        }
    }

    /// Final terms: a return first, or resolved (R-L5: a final ruling says
    /// so in `end`).
    fn finalize(&self, s: Settlement, at: DateTime<Utc>) -> State {
        if s.return_goods {
            State::AwaitingReturnShipment {
                settlement: s,
                due: self
                    .cal()
                    .add_days(at, self.terms.lifecycle.return_ship_days),
            }
        } else {
            State::Resolved {
                settlement: s,
                refund: s.refund,
                end: if s.basis == Basis::FinalRuling {
                    End::FinalRuling
                } else {
                    End::Settled
                },
                refund_due: self.refund_due(s.refund, at),
            }
        }
    }

    /// R-L4, R-L5: appealable while appeals remain, else final.
    fn decide(&self, r: Ruling, at: DateTime<Utc>) -> State {
        let p = &self.terms.lifecycle;
        if self.appeals < p.appeal_limit {
            State::Decided {
                decision: r,
                appealable_until: self.cal().add_days(at, p.appeal_window_days),
                buyer_evidence: false,
                seller_evidence: false,
            }
        } else {
            self.finalize(settle(r, Basis::Decision), at)
        }
    }

    fn escalated(&self, at: DateTime<Utc>) -> State {
        State::UnderReview {
            decision_due: self
                .cal()
                .add_days(at, self.terms.lifecycle.decision_target_days),
        }
    }

    /// R-E8: reopenable while the window is open and a reopen is left.
    fn cancel(&self, at: DateTime<Utc>) -> State {
        if self.reopens >= self.terms.reopen_limit {
            State::ClosedForGood {
                reason: ClosedReason::ReopenLimit,
            }
        } else if at >= self.line.reopenable_until {
            State::ClosedForGood {
                reason: ClosedReason::WindowClosed,
            }
        } else {
            State::Cancelled {
                reopenable_until: self.line.reopenable_until,
            }
        }
    }

    fn timeout(&mut self, at: DateTime<Utc>) -> Option<State> {
        let p = self.terms.lifecycle;
        Some(match self.state {
            State::AwaitingSeller { .. } => {
                self.rules.insert(Rule::L2);
                match p.seller_silent {
                    TimeoutOutcome::ResolveAsRequested => {
                        let s = Settlement {
                            refund: self.claim.refund,
                            return_goods: self.claim.solution == Solution::ReturnAndRefund,
                            basis: Basis::SellerSilent,
                        };
                        self.finalize(s, at)
                    }
                    TimeoutOutcome::Escalate => self.escalated(at),
                }
            }
            State::SellerAccepted {
                settlement,
                refund_due,
            } => State::Resolved {
                settlement,
                refund: settlement.refund,
                end: End::Settled,
                refund_due: Some(refund_due),
            },
            State::Negotiating { .. } => self.escalated(at),
            State::AwaitingReturnShipment { settlement, .. } => State::Resolved {
                settlement,
                refund: Money::zero(self.line.refund_cap.currency),
                end: End::ReturnNotShipped,
                refund_due: None,
            },
            State::AwaitingReturnReceipt { settlement, .. } => match p.return_unconfirmed {
                TimeoutOutcome::ResolveAsRequested => State::Resolved {
                    settlement,
                    refund: settlement.refund,
                    end: End::ReturnNotConfirmed,
                    refund_due: self.refund_due(settlement.refund, at),
                },
                TimeoutOutcome::Escalate => self.escalated(at),
            },
            State::Decided { decision, .. } | State::Appealed { decision, .. } => {
                self.finalize(settle(decision, Basis::Decision), at)
            }
            State::Cancelled { .. } => State::ClosedForGood {
                reason: ClosedReason::WindowClosed,
            },
            State::UnderReview { .. } | State::Resolved { .. } | State::ClosedForGood { .. } => {
                return None
            }
        })
    }

    /// The state change of an accepted event.
    pub(super) fn transition(&mut self, e: &Event) {
        let at = e.at;
        let p = self.terms.lifecycle;
        let cal = self.cal();
        self.rules.insert(event_rule(e.kind()));
        let negotiating = |turn, offer, rounds, escalation_due| State::Negotiating {
            turn,
            offer,
            rounds,
            turn_due: cal.add_days(at, p.turn_response_days),
            escalation_due,
        };
        // Appendix: no agreement within `escalation_after_days` of the
        // opening (or latest reopening), or of the seller's first answer.
        let opened_at = self.opened_at;
        let escalation_due = || {
            let from = match p.escalation_clock {
                EscalationClock::Opening => opened_at,
                EscalationClock::FirstAnswer => at,
            };
            cal.add_days(from, p.escalation_after_days)
        };
        let next = match (self.state, e.action) {
            (
                State::Decided {
                    decision,
                    appealable_until,
                    buyer_evidence,
                    seller_evidence,
                },
                Action::AddEvidence,
            ) => {
                // R-L5: evidence added after the decision supports an appeal.
                self.state = State::Decided {
                    decision,
                    appealable_until,
                    buyer_evidence: buyer_evidence || e.actor == Actor::Buyer,
                    seller_evidence: seller_evidence || e.actor == Actor::Seller,
                };
                return;
            }
            (_, Action::AddEvidence) => return,
            (State::AwaitingSeller { .. }, Action::ModifyClaim { claim }) => {
                // R-L1: the seller's window still runs from the opening.
                self.claim = claim;
                return;
            }
            (_, Action::Accept) => {
                let s = Settlement {
                    refund: self.claim.refund,
                    return_goods: self.claim.solution == Solution::ReturnAndRefund,
                    basis: Basis::SellerAccepted,
                };
                self.agree(s, at)
            }
            (State::AwaitingSeller { .. }, Action::Refuse) => {
                negotiating(Party::Buyer, None, 0, escalation_due())
            }
            (State::AwaitingSeller { .. }, Action::CounterOffer { offer }) => {
                negotiating(Party::Buyer, Some(offer), 1, escalation_due())
            }
            (
                State::Negotiating {
                    rounds,
                    escalation_due,
                    ..
                },
                Action::Refuse,
            ) => negotiating(Party::Buyer, None, rounds, escalation_due),
            (
                State::Negotiating {
                    rounds,
                    escalation_due,
                    ..
                },
                Action::CounterOffer { offer },
            ) => negotiating(
                Party::Buyer,
                Some(offer),
                rounds.saturating_add(1),
                escalation_due,
            ),
            (State::Negotiating { offer: Some(o), .. }, Action::AcceptOffer) => {
                let s = Settlement {
                    refund: o.refund,
                    return_goods: o.solution == Solution::ReturnAndRefund,
                    basis: Basis::OfferAccepted,
                };
                self.agree(s, at)
            }
            (
                State::Negotiating {
                    rounds,
                    escalation_due,
                    ..
                },
                Action::RejectOffer,
            ) => negotiating(Party::Seller, None, rounds, escalation_due),
            (
                State::Negotiating {
                    rounds,
                    escalation_due,
                    ..
                },
                Action::ModifyClaim { claim },
            ) => {
                self.claim = claim;
                negotiating(Party::Seller, None, rounds, escalation_due)
            }
            (_, Action::Escalate) => self.escalated(at),
            (State::AwaitingReturnShipment { settlement, .. }, Action::ShipReturn) => {
                State::AwaitingReturnReceipt {
                    settlement,
                    due: cal.add_days(at, p.return_receipt_days),
                }
            }
            (State::AwaitingReturnReceipt { settlement, .. }, Action::ConfirmReturnReceived) => {
                State::Resolved {
                    settlement,
                    refund: settlement.refund,
                    end: End::ReturnReceived,
                    refund_due: self.refund_due(settlement.refund, at),
                }
            }
            (_, Action::Decide { ruling }) => self.decide(ruling, at),
            (State::Decided { decision, .. }, Action::Appeal) => {
                self.appeals = self.appeals.saturating_add(1);
                State::Appealed {
                    decision,
                    by: match e.actor {
                        Actor::Seller => Party::Seller,
                        _ => Party::Buyer,
                    },
                    ruling_due: cal.add_days(at, p.appeal_ruling_days),
                }
            }
            (_, Action::FinalRuling { ruling }) => {
                self.finalize(settle(ruling, Basis::FinalRuling), at)
            }
            (_, Action::Cancel) => self.cancel(at),
            (_, Action::Reopen { claim }) => {
                if let Some(c) = claim {
                    self.claim = c;
                }
                self.reopens = self.reopens.saturating_add(1);
                self.opened_at = at;
                State::AwaitingSeller {
                    due: cal.add_days(at, p.seller_response_days),
                }
            }
            (_, Action::Timeout { deadline }) => {
                self.rules.insert(deadline.rule());
                match self.timeout(at) {
                    Some(s) => s,
                    None => return,
                }
            }
            // Every other pair was refused before.
            _ => return,
        };
        self.rules.insert(next.rule());
        self.state = next;
        self.entered_at = at;
    }
}

fn settle(r: Ruling, basis: Basis) -> Settlement {
    Settlement {
        refund: r.refund,
        return_goods: r.return_goods,
        basis,
    }
}

pub(super) fn solution_name(s: Solution) -> &'static str {
    match s {
        Solution::RefundOnly => "refund only",
        Solution::ReturnAndRefund => "return and refund",
    }
}

pub(super) fn event_rule(k: EventKind) -> Rule {
    use EventKind as K;
    match k {
        K::Open => Rule::E6,
        K::Accept | K::Refuse | K::CounterOffer | K::RejectOffer | K::ModifyClaim | K::Escalate => {
            Rule::L3
        }
        K::AcceptOffer => Rule::E7,
        K::AddEvidence => Rule::V1,
        K::ShipReturn => Rule::S1,
        K::ConfirmReturnReceived => Rule::S3,
        K::Decide => Rule::L4,
        K::Appeal | K::FinalRuling => Rule::L5,
        K::Cancel | K::Reopen => Rule::E8,
        K::Timeout => Rule::C1,
    }
}

fn not_received(claim: &ClaimRequest) -> String {
    format!(
        "a return needs goods that arrived; `{}` is a not-received reason (R-S1)",
        claim.reason
    )
}

pub(super) fn check_line(line: &Line, c: &mut Collector) {
    if line.order_id.trim().is_empty() {
        c.push("line.order_id", "must not be empty");
    }
    if line.line_id.trim().is_empty() {
        c.push("line.line_id", "must not be empty");
    }
    if line.refund_cap.amount.is_sign_negative() && !line.refund_cap.amount.is_zero() {
        c.push("line.refund_cap.amount", "must not be negative");
    }
    if !in_range(line.reopenable_until) {
        c.push("line.reopenable_until", "must lie in the years 1970-9999");
    }
}

/// R-L6: `n` business days (Monday to Friday, local dates) after `at`, at
/// the same local time (or as the calendar's day counting ends a day).
pub fn add_business_days(cal: Calendar, at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    let mut date = cal.local_date(at);
    let (mut counted, mut days) = (0u32, 0u32);
    while counted < n {
        let Some(next) = date.succ_opt() else { break };
        date = next;
        days += 1;
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            counted += 1;
        }
    }
    cal.add_days(at, days)
}
