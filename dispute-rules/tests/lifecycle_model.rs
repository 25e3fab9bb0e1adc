//! Model-based property test of the dispute lifecycle (proptest-state-machine).
//!
//! A small reference model, written independently of the engine (plain UTC
//! day arithmetic, its own tables), runs beside the real [`Dispute`]. Random
//! sequences mix legal events, arbitrary (mostly illegal) ones, events dated
//! before the last one, timeouts at random instants, and clock steps
//! (`AdvanceDays(n)`). The policy itself is random. At every step the real
//! machine accepts exactly what the model accepts (with the model's refusal
//! code), lists in `allowed_actions` exactly what the model allows (for the
//! event tried, and for every actor and kind after each step), and
//! reaches the model's state; and these invariants hold:
//! - no amount in the state or history exceeds the refund cap (C-4);
//! - terminal states absorb every event;
//! - an event earlier than the last is refused;
//! - every non-terminal state has a next deadline later than its entry;
//! - only the permitted actor acts (only the buyer or the platform cancels,
//!   only the platform decides);
//! - appeals and reopens stay within the policy's counts; a dispute closed by
//!   agreement never reopens (R-E7);
//! - replaying the history (and the JSON round trip) equals the live state.
//!
//! The model follows the precise lifecycle defaults and their policy
//! switches: claims in the lifecycle are checked as the claim check checks
//! them (C-4, R-S1); the escalation clock (`escalation_clock`); evidence
//! while the goods travel back (`evidence_during_return`); a return with
//! the full amount (`partial_refund_with_return`); after an appeal only the
//! final ruling ends the dispute (`final_ruling_ends_appeal`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use dispute_rules::calendar::DayCounting;
use dispute_rules::lifecycle::{
    Action, Actor, ClaimRequest, DeadlineKind, Dispute, End, EscalationClock, Event, EventKind,
    LifecyclePolicy, Proposal, Ruling, State, TimeoutOutcome,
};
use dispute_rules::reasons::{Reason, Solution};
use dispute_rules::{Error, Money, OrderFacts, Policy};
use proptest::prelude::*;
use proptest::test_runner::Config;
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use rust_decimal::Decimal;
use std::str::FromStr;

type T = DateTime<Utc>;

fn t(s: &str) -> T {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

// ---- the model ----

/// How an amount in an event is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amt {
    Cap,
    Half,
    Cent,
    Zero,
    Over,
    Negative,
    Euro,
}

/// On what grounds the model settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum B {
    Agreed,
    Silent,
    Platform,
    /// The final ruling on an appeal (R-L5).
    Final,
}

/// How a resolved dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum E {
    Settled,
    ReturnReceived,
    ReturnNotShipped,
    ReturnNotConfirmed,
    FinalRuling,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum M {
    AwaitSeller {
        due: T,
    },
    Accepted {
        refund: Decimal,
        due: T,
    },
    Neg {
        buyer_turn: bool,
        offer: Option<(bool, Decimal)>,
        rounds: u32,
        turn: T,
        esc: T,
    },
    Ship {
        refund: Decimal,
        b: B,
        due: T,
    },
    Receive {
        refund: Decimal,
        b: B,
        due: T,
    },
    Review {
        target: T,
    },
    Decided {
        refund: Decimal,
        ret: bool,
        until: T,
        eb: bool,
        es: bool,
    },
    Appealed {
        refund: Decimal,
        ret: bool,
        due: T,
    },
    Resolved {
        refund: Decimal,
        b: B,
        end: E,
    },
    Cancelled {
        until: T,
    },
    Closed {
        limit: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MClaim {
    received_reason: bool,
    ret: bool,
    refund: Decimal,
}

/// What the model predicted for the last step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Start,
    Accepted,
    Refused(&'static str),
    Invalid,
    Advanced(usize),
}

#[derive(Debug, Clone)]
struct Params {
    l: LifecyclePolicy,
    /// `reasons.return_means_full_refund` (claims, R-S1).
    return_full: bool,
    reopen_limit: u32,
    earlier: u32,
    received: bool,
    claim_amt: Amt,
    claim_ret: bool,
}

#[derive(Debug, Clone)]
struct Model {
    p: Params,
    cap: Decimal,
    reopen_until: T,
    now: T,
    last: T,
    opened: T,
    entered: T,
    st: M,
    claim: MClaim,
    appeals: u32,
    reopens: u32,
    outcome: Outcome,
}

/// The transitions of the test.
#[derive(Debug, Clone)]
enum Step {
    /// An event at `now + minutes`.
    Act {
        actor: Actor,
        kind: EventKind,
        amt: Amt,
        ret: bool,
        received_reason: bool,
        with_claim: bool,
        minutes: i64,
        deadline: DeadlineKind,
        /// Instead of `now + minutes`: 1 = exactly at the current deadline,
        /// 2 = exactly at the end of the reopen window (boundaries, C-1).
        snap: u8,
    },
    /// An event one second before the last one.
    Back { actor: Actor, kind: EventKind },
    /// The clock itself acts exactly at the current deadline.
    ClockAtDeadline,
    /// Time passes, then `advance(now)`.
    AdvanceDays(u32),
    /// Time passes (hours), then `advance(now)`.
    AdvanceHours(u32),
}

const SHIPPED: &str = "2026-01-01T00:00:00Z";
const RECEIVED_AT: &str = "2026-01-20T00:00:00Z";

fn permitted(a: Actor, k: EventKind) -> bool {
    use EventKind::*;
    match a {
        Actor::Buyer => matches!(
            k,
            Open | AcceptOffer
                | RejectOffer
                | ModifyClaim
                | AddEvidence
                | Escalate
                | ShipReturn
                | Appeal
                | Cancel
                | Reopen
        ),
        Actor::Seller => matches!(
            k,
            Accept | Refuse | CounterOffer | AddEvidence | ConfirmReturnReceived | Appeal
        ),
        Actor::Platform => matches!(k, Decide | FinalRuling | Cancel),
        Actor::Clock => k == Timeout,
        _ => unreachable!("a variant newer than this test"),
    }
}

fn days(at: T, n: u32) -> T {
    at + Duration::days(i64::from(n))
}

fn business(at: T, n: u32) -> T {
    let (mut d, mut counted) = (at, 0);
    while counted < n {
        d += Duration::days(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            counted += 1;
        }
    }
    d
}

impl Model {
    fn amount(&self, a: Amt) -> Option<Decimal> {
        match a {
            Amt::Cap => Some(self.cap),
            Amt::Half => Some((self.cap / Decimal::TWO).round_dp(2)),
            Amt::Cent => Some(dec("0.01")),
            Amt::Zero => Some(Decimal::ZERO),
            Amt::Over => Some(self.cap + dec("0.01")),
            Amt::Negative => Some(dec("-1")),
            Amt::Euro => None,
        }
    }

    fn money(&self, a: Amt) -> Money {
        match self.amount(a) {
            Some(x) => Money::new(x, dispute_rules::Currency::USD),
            None => Money::parse("5", "EUR").unwrap(),
        }
    }

    fn positive_ok(a: Amt) -> bool {
        matches!(a, Amt::Cap | Amt::Half | Amt::Cent)
    }

    fn deadline(&self) -> Option<(&'static str, T, bool)> {
        Some(match self.st {
            M::AwaitSeller { due } => ("seller_response", due, true),
            M::Accepted { due, .. } => ("refund_due", due, true),
            M::Neg { turn, esc, .. } => {
                if esc <= turn {
                    ("no_agreement", esc, true)
                } else {
                    ("turn_lapse", turn, true)
                }
            }
            M::Ship { due, .. } => ("return_shipment", due, true),
            M::Receive { due, .. } => ("return_receipt", due, true),
            M::Review { target } => ("decision_due", target, false),
            M::Decided { until, .. } => ("appeal_window", until, true),
            M::Appealed { due, .. } => ("appeal_ruling", due, !self.p.l.final_ruling_ends_appeal),
            M::Cancelled { until } => ("reopen_window", until, true),
            M::Resolved { .. } | M::Closed { .. } => return None,
        })
    }

    fn auto_due(&self) -> Option<T> {
        self.deadline().filter(|d| d.2).map(|d| d.1)
    }

    fn terminal(&self) -> bool {
        matches!(self.st, M::Resolved { .. } | M::Closed { .. })
    }

    fn window_code(&self) -> &'static str {
        if self.p.received {
            "confirmation_window_passed"
        } else {
            "confirmation_timeout"
        }
    }

    /// The refusal code the model predicts (payload aside).
    fn refusal(&self, a: Actor, k: EventKind, at: T) -> Option<&'static str> {
        use EventKind::*;
        if self.terminal() {
            return Some(match (k, self.st) {
                (Open | Reopen, M::Resolved { b: B::Agreed, .. }) => "closed_by_agreement",
                (Open | Reopen, M::Closed { limit: true }) => "reopen_limit_reached",
                (Open | Reopen, M::Closed { limit: false }) => self.window_code(),
                _ => "dispute_closed",
            });
        }
        if at < self.last {
            return Some("time_runs_backwards");
        }
        if !permitted(a, k) {
            return Some("actor_not_permitted");
        }
        if k == Timeout {
            return match self.auto_due() {
                Some(d) if at >= d => None,
                _ => Some("not_due"),
            };
        }
        if k == Open {
            return Some(match self.st {
                M::Cancelled { .. } => "not_in_this_state",
                _ => "dispute_already_open",
            });
        }
        if self.auto_due().is_some_and(|d| at >= d) {
            return Some(match (self.st, k) {
                (M::Cancelled { .. }, Reopen) => self.window_code(),
                _ => "deadline_passed",
            });
        }
        let l = &self.p.l;
        let bad = "not_in_this_state";
        match (self.st, k) {
            (M::AwaitSeller { .. }, CounterOffer) => {
                (l.negotiation_rounds == 0).then_some("round_limit_reached")
            }
            (M::AwaitSeller { .. }, Accept | Refuse | ModifyClaim | AddEvidence | Cancel) => None,
            (
                M::Neg {
                    buyer_turn,
                    offer,
                    rounds,
                    ..
                },
                _,
            ) => match k {
                Accept | Refuse | CounterOffer if buyer_turn => Some("not_your_turn"),
                CounterOffer if rounds >= l.negotiation_rounds => Some("round_limit_reached"),
                AcceptOffer | RejectOffer | ModifyClaim if !buyer_turn => Some("not_your_turn"),
                AcceptOffer | RejectOffer if offer.is_none() => Some("no_offer"),
                Escalate if at < days(self.opened, l.buyer_escalation_from_days) => {
                    Some("escalation_too_early")
                }
                Accept | Refuse | CounterOffer | AcceptOffer | RejectOffer | ModifyClaim
                | Escalate | AddEvidence | Cancel => None,
                _ => Some(bad),
            },
            (M::Review { .. }, Decide | AddEvidence | Cancel) => None,
            (M::Decided { eb, es, .. }, Appeal) => {
                let added = if a == Actor::Seller { es } else { eb };
                (l.appeal_requires_new_evidence && !added).then_some("no_new_evidence")
            }
            (M::Ship { .. } | M::Receive { .. }, AddEvidence) => {
                (!l.evidence_during_return).then_some(bad)
            }
            (M::Appealed { .. }, Decide) => l.final_ruling_ends_appeal.then_some(bad),
            (M::Decided { .. }, AddEvidence)
            | (M::Appealed { .. }, FinalRuling | AddEvidence)
            | (M::Ship { .. }, ShipReturn)
            | (M::Receive { .. }, ConfirmReturnReceived)
            | (M::Cancelled { .. }, Reopen) => None,
            _ => Some(bad),
        }
    }

    /// Whether the event's data is acceptable.
    fn data_ok(&self, step: &Step) -> bool {
        let Step::Act {
            kind,
            amt,
            ret,
            received_reason,
            with_claim,
            ..
        } = *step
        else {
            return true;
        };
        // R-S1: a return for the full amount, unless the policy allows a
        // partial refund with it.
        let full_return = |switch: bool| amt == Amt::Cap || switch;
        let l = &self.p.l;
        match kind {
            EventKind::ModifyClaim => self.claim_ok(amt, ret, received_reason),
            EventKind::Reopen if with_claim => self.claim_ok(amt, ret, received_reason),
            EventKind::CounterOffer => {
                Self::positive_ok(amt)
                    && (!ret
                        || (self.claim.received_reason
                            && full_return(l.partial_refund_with_return)))
            }
            EventKind::Decide | EventKind::FinalRuling => {
                (Self::positive_ok(amt) || amt == Amt::Zero)
                    && (!ret
                        || (amt != Amt::Zero
                            && self.claim.received_reason
                            && full_return(l.partial_refund_with_return)))
            }
            _ => true,
        }
    }

    /// A claim as the claim check takes it, for the two reasons the model
    /// uses: `received.not_as_described` (refund only or return; partial
    /// allowed, a return for the full amount unless `return_full` is off)
    /// and `not_received.no_tracking` (refund only, the full amount: C-4).
    fn claim_ok(&self, amt: Amt, ret: bool, received_reason: bool) -> bool {
        Self::positive_ok(amt)
            && if received_reason {
                !ret || amt == Amt::Cap || !self.p.return_full
            } else {
                !ret && amt == Amt::Cap
            }
    }

    fn finalize(&self, refund: Decimal, ret: bool, b: B, at: T) -> M {
        if ret {
            M::Ship {
                refund,
                b,
                due: days(at, self.p.l.return_ship_days),
            }
        } else {
            let end = if b == B::Final {
                E::FinalRuling
            } else {
                E::Settled
            };
            M::Resolved { refund, b, end }
        }
    }

    fn agree(&self, refund: Decimal, ret: bool, at: T) -> M {
        if ret {
            self.finalize(refund, ret, B::Agreed, at)
        } else {
            M::Accepted {
                refund,
                due: business(at, self.p.l.refund_business_days),
            }
        }
    }

    fn decide(&self, refund: Decimal, ret: bool, at: T) -> M {
        if self.appeals < self.p.l.appeal_limit {
            M::Decided {
                refund,
                ret,
                until: days(at, self.p.l.appeal_window_days),
                eb: false,
                es: false,
            }
        } else {
            self.finalize(refund, ret, B::Platform, at)
        }
    }

    fn escalation(&self, first_answer: T) -> T {
        let from = match self.p.l.escalation_clock {
            EscalationClock::Opening => self.opened,
            EscalationClock::FirstAnswer => first_answer,
            _ => unreachable!("a variant newer than this test"),
        };
        days(from, self.p.l.escalation_after_days)
    }

    fn review(&self, at: T) -> M {
        M::Review {
            target: days(at, self.p.l.decision_target_days),
        }
    }

    fn timeout(&self, at: T) -> M {
        let l = &self.p.l;
        match self.st {
            M::AwaitSeller { .. } => match l.seller_silent {
                TimeoutOutcome::ResolveAsRequested => {
                    self.finalize(self.claim.refund, self.claim.ret, B::Silent, at)
                }
                TimeoutOutcome::Escalate => self.review(at),
                _ => unreachable!("a variant newer than this test"),
            },
            M::Accepted { refund, .. } => M::Resolved {
                refund,
                b: B::Agreed,
                end: E::Settled,
            },
            M::Neg { .. } => self.review(at),
            M::Ship { b, .. } => M::Resolved {
                refund: Decimal::ZERO,
                b,
                end: E::ReturnNotShipped,
            },
            M::Receive { refund, b, .. } => match l.return_unconfirmed {
                TimeoutOutcome::ResolveAsRequested => M::Resolved {
                    refund,
                    b,
                    end: E::ReturnNotConfirmed,
                },
                TimeoutOutcome::Escalate => self.review(at),
                _ => unreachable!("a variant newer than this test"),
            },
            M::Decided { refund, ret, .. } | M::Appealed { refund, ret, .. } => {
                self.finalize(refund, ret, B::Platform, at)
            }
            M::Cancelled { .. } => M::Closed { limit: false },
            s @ (M::Review { .. } | M::Resolved { .. } | M::Closed { .. }) => s,
        }
    }

    /// Applies an accepted event.
    fn accept(&mut self, actor: Actor, step: &Step, at: T) {
        use EventKind::*;
        let (kind, amt, ret, received_reason, with_claim) = match *step {
            Step::Act {
                kind,
                amt,
                ret,
                received_reason,
                with_claim,
                ..
            } => (kind, amt, ret, received_reason, with_claim),
            _ => (Timeout, Amt::Cap, false, false, false),
        };
        let l = self.p.l;
        let amount = self.amount(amt).unwrap_or_default();
        let new_claim = MClaim {
            received_reason,
            ret,
            refund: amount,
        };
        let neg = |buyer_turn, offer, rounds, esc| M::Neg {
            buyer_turn,
            offer,
            rounds,
            turn: days(at, l.turn_response_days),
            esc,
        };
        self.last = at;
        let next = match (self.st, kind) {
            (M::Decided { eb, es, .. }, AddEvidence) => {
                if let M::Decided { eb: b2, es: s2, .. } = &mut self.st {
                    *b2 = eb || actor == Actor::Buyer;
                    *s2 = es || actor == Actor::Seller;
                }
                return;
            }
            (_, AddEvidence) => return,
            (M::AwaitSeller { .. }, ModifyClaim) => {
                self.claim = new_claim;
                return;
            }
            (_, Accept) => self.agree(self.claim.refund, self.claim.ret, at),
            // Appendix: the escalation clock runs from the opening (or the
            // latest reopening), or from this first answer (policy).
            (M::AwaitSeller { .. }, Refuse) => neg(true, None, 0, self.escalation(at)),
            (M::AwaitSeller { .. }, CounterOffer) => {
                neg(true, Some((ret, amount)), 1, self.escalation(at))
            }
            (M::Neg { rounds, esc, .. }, Refuse) => neg(true, None, rounds, esc),
            (M::Neg { rounds, esc, .. }, CounterOffer) => {
                neg(true, Some((ret, amount)), rounds + 1, esc)
            }
            (
                M::Neg {
                    offer: Some((r, x)),
                    ..
                },
                AcceptOffer,
            ) => self.agree(x, r, at),
            (M::Neg { rounds, esc, .. }, RejectOffer) => neg(false, None, rounds, esc),
            (M::Neg { rounds, esc, .. }, ModifyClaim) => {
                self.claim = new_claim;
                neg(false, None, rounds, esc)
            }
            (_, Escalate) => self.review(at),
            (M::Ship { refund, b, .. }, ShipReturn) => M::Receive {
                refund,
                b,
                due: days(at, l.return_receipt_days),
            },
            (M::Receive { refund, b, .. }, ConfirmReturnReceived) => M::Resolved {
                refund,
                b,
                end: E::ReturnReceived,
            },
            (_, Decide) => self.decide(amount, ret, at),
            (M::Decided { refund, ret, .. }, Appeal) => {
                self.appeals += 1;
                M::Appealed {
                    refund,
                    ret,
                    due: days(at, l.appeal_ruling_days),
                }
            }
            (_, FinalRuling) => self.finalize(amount, ret, B::Final, at),
            (_, Cancel) => {
                if self.reopens >= self.p.reopen_limit {
                    M::Closed { limit: true }
                } else if at >= self.reopen_until {
                    M::Closed { limit: false }
                } else {
                    M::Cancelled {
                        until: self.reopen_until,
                    }
                }
            }
            (_, Reopen) => {
                if with_claim {
                    self.claim = new_claim;
                }
                self.reopens += 1;
                self.opened = at;
                M::AwaitSeller {
                    due: days(at, l.seller_response_days),
                }
            }
            (_, Timeout) => self.timeout(at),
            _ => unreachable!("accepted {kind:?} in {:?}", self.st),
        };
        self.st = next;
        self.entered = at;
    }

    fn advance(&mut self) -> usize {
        let mut n = 0;
        while let Some(d) = self.auto_due() {
            if d > self.now {
                break;
            }
            self.accept(Actor::Clock, &Step::ClockAtDeadline, d);
            n += 1;
        }
        n
    }

    fn event_at(&self, step: &Step) -> T {
        match *step {
            Step::Act { snap: 1, .. } => self.deadline().map_or(self.now, |d| d.1),
            Step::Act { snap: 2, .. } => self.reopen_until,
            Step::Act { minutes, .. } => self.now + Duration::minutes(minutes),
            Step::Back { .. } => self.last - Duration::seconds(1),
            Step::ClockAtDeadline => self.deadline().map_or(self.now, |d| d.1),
            Step::AdvanceDays(_) | Step::AdvanceHours(_) => self.now,
        }
    }

    fn step(mut self, step: &Step) -> Model {
        match *step {
            Step::AdvanceDays(n) | Step::AdvanceHours(n) => {
                self.now += match step {
                    Step::AdvanceDays(_) => Duration::days(i64::from(n)),
                    _ => Duration::hours(i64::from(n)),
                };
                let n = self.advance();
                self.outcome = Outcome::Advanced(n);
                return self;
            }
            _ => {}
        }
        let at = self.event_at(step);
        let (actor, kind) = step_actor_kind(step);
        self.outcome = match self.refusal(actor, kind, at) {
            Some(code) => Outcome::Refused(code),
            None => {
                let timeout_ok = match *step {
                    Step::Act { deadline, .. } if kind == EventKind::Timeout => self
                        .deadline()
                        .is_some_and(|(k, d, auto)| auto && d == at && k == deadline.as_str()),
                    _ => true,
                };
                if !timeout_ok {
                    Outcome::Refused("not_due")
                } else if !self.data_ok(step) {
                    Outcome::Invalid
                } else {
                    self.accept(actor, step, at);
                    Outcome::Accepted
                }
            }
        };
        if self.outcome == Outcome::Accepted {
            self.now = self.now.max(at);
        }
        self
    }
}

fn step_actor_kind(step: &Step) -> (Actor, EventKind) {
    match *step {
        Step::Act { actor, kind, .. } | Step::Back { actor, kind } => (actor, kind),
        Step::ClockAtDeadline | Step::AdvanceDays(_) | Step::AdvanceHours(_) => {
            (Actor::Clock, EventKind::Timeout)
        }
    }
}

// ---- strategies ----

fn arb_policy() -> impl Strategy<Value = LifecyclePolicy> {
    let outcome = || {
        prop_oneof![
            Just(TimeoutOutcome::ResolveAsRequested),
            Just(TimeoutOutcome::Escalate)
        ]
    };
    let clock = prop_oneof![
        3 => Just(EscalationClock::Opening),
        1 => Just(EscalationClock::FirstAnswer)
    ];
    (
        (1u32..=6, outcome(), 0u32..=3, 1u32..=5, 0u32..=4, 0u32..=3),
        (1u32..=5, 1u32..=4, 0u32..=2, any::<bool>(), 1u32..=5),
        (1u32..=5, 1u32..=5, outcome(), 1u32..=5),
        (clock, any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |((a, b, c, d, e, f), (g, h, i, j, k), (l, m, n, o), (clock, fin, partial, ev))| {
                // Every value drawn (the rest, if any, from the preset).
                let mut p = LifecyclePolicy::aliexpress();
                p.seller_response_days = a;
                p.seller_silent = b;
                p.negotiation_rounds = c;
                p.turn_response_days = d;
                // With the `opening` clock, at least the seller's window.
                p.escalation_after_days = match clock {
                    EscalationClock::Opening => a + e,
                    EscalationClock::FirstAnswer => 1 + e * 2,
                    _ => unreachable!("a variant newer than this test"),
                };
                p.escalation_clock = clock;
                p.buyer_escalation_from_days = f;
                p.decision_target_days = g;
                p.appeal_window_days = h;
                p.appeal_limit = i;
                p.appeal_requires_new_evidence = j;
                p.appeal_ruling_days = k;
                p.final_ruling_ends_appeal = fin;
                p.return_ship_days = l;
                p.return_receipt_days = m;
                p.return_unconfirmed = n;
                p.partial_refund_with_return = partial;
                p.evidence_during_return = ev;
                p.refund_business_days = o;
                p
            },
        )
}

fn arb_amt() -> impl Strategy<Value = Amt> {
    prop_oneof![
        6 => Just(Amt::Cap),
        6 => Just(Amt::Half),
        3 => Just(Amt::Cent),
        2 => Just(Amt::Zero),
        1 => Just(Amt::Over),
        1 => Just(Amt::Negative),
        1 => Just(Amt::Euro),
    ]
}

fn arb_actor() -> impl Strategy<Value = Actor> {
    proptest::sample::select(Actor::ALL.to_vec())
}

fn arb_kind() -> impl Strategy<Value = EventKind> {
    proptest::sample::select(EventKind::ALL.to_vec())
}

fn arb_deadline_kind() -> impl Strategy<Value = DeadlineKind> {
    proptest::sample::select(vec![
        DeadlineKind::SellerResponse,
        DeadlineKind::RefundDue,
        DeadlineKind::TurnLapse,
        DeadlineKind::NoAgreement,
        DeadlineKind::ReturnShipment,
        DeadlineKind::ReturnReceipt,
        DeadlineKind::DecisionDue,
        DeadlineKind::AppealWindow,
        DeadlineKind::AppealRuling,
        DeadlineKind::ReopenWindow,
    ])
}

fn act(
    pair: impl Strategy<Value = (Actor, EventKind)>,
    minutes: impl Strategy<Value = i64>,
) -> impl Strategy<Value = Step> {
    (
        pair,
        arb_amt(),
        any::<bool>(),
        prop_oneof![3 => Just(true), 1 => Just(false)],
        any::<bool>(),
        minutes,
        arb_deadline_kind(),
        prop_oneof![12 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
    )
        .prop_map(
            |((actor, kind), amt, ret, received_reason, with_claim, minutes, deadline, snap)| {
                Step::Act {
                    actor,
                    kind,
                    amt,
                    ret,
                    received_reason,
                    with_claim,
                    minutes,
                    deadline,
                    snap,
                }
            },
        )
}

struct LifecycleModel;

impl ReferenceStateMachine for LifecycleModel {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        (
            arb_policy(),
            0u32..=2,
            0u32..=2,
            any::<bool>(),
            0i64..=240,
            prop_oneof![Just(Amt::Cap), Just(Amt::Half), Just(Amt::Cent)],
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(l, reopen_limit, earlier, received, hours, claim_amt, ret, full)| {
                    // A return only for goods that arrived (R-S1).
                    let claim_ret = ret && received;
                    // Claims with a partial refund and a return need offers
                    // and rulings that may have them too.
                    let return_full = full || !l.partial_refund_with_return;
                    // The opening claim is acceptable: not received means
                    // the full amount (C-4); a return is for the full amount
                    // unless the policy says otherwise (R-S1).
                    let claim_amt = if !received || (claim_ret && return_full) {
                        Amt::Cap
                    } else {
                        claim_amt
                    };
                    let p = Params {
                        l,
                        return_full,
                        reopen_limit,
                        earlier: earlier.min(reopen_limit),
                        received,
                        claim_amt,
                        claim_ret,
                    };
                    let cap = if received { dec("45") } else { dec("19.99") };
                    // UTC policy: protection ends 60 days after shipment; after a
                    // confirmed receipt 15 days after it (R-E2, R-E3).
                    let reopen_until = if received {
                        days(t(RECEIVED_AT), 15)
                    } else {
                        days(t(SHIPPED), 60)
                    };
                    let opened = t(RECEIVED_AT) + Duration::hours(hours);
                    let mut m = Model {
                        cap,
                        reopen_until,
                        now: opened,
                        last: opened,
                        opened,
                        entered: opened,
                        st: M::AwaitSeller {
                            due: days(opened, l.seller_response_days),
                        },
                        claim: MClaim {
                            received_reason: received,
                            ret: p.claim_ret,
                            refund: Decimal::ZERO,
                        },
                        appeals: 0,
                        reopens: p.earlier,
                        outcome: Outcome::Start,
                        p,
                    };
                    m.claim.refund = m.amount(m.p.claim_amt).unwrap_or_default();
                    m
                },
            )
            .boxed()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Step> {
        // Legal moves, weighted towards going deeper (cancelling is rarer).
        let legal: Vec<(Actor, EventKind)> = Actor::ALL
            .iter()
            .flat_map(|a| EventKind::ALL.iter().map(move |k| (*a, *k)))
            .filter(|(a, k)| *k != EventKind::Timeout && m.refusal(*a, *k, m.now).is_none())
            .flat_map(|pair| {
                let weight = match pair.1 {
                    EventKind::Cancel | EventKind::FinalRuling => 1,
                    EventKind::Accept | EventKind::AcceptOffer | EventKind::AddEvidence => 2,
                    _ => 4,
                };
                std::iter::repeat_n(pair, weight)
            })
            .collect();
        let any_act = act((arb_actor(), arb_kind()), -30i64..=600);
        // Kinds the actor may make somewhere, mostly not here or not now.
        let permitted_pairs: Vec<(Actor, EventKind)> = Actor::ALL
            .iter()
            .flat_map(|a| EventKind::ALL.iter().map(move |k| (*a, *k)))
            .filter(|(a, k)| permitted(*a, *k))
            .collect();
        let near_act = act(proptest::sample::select(permitted_pairs), 0i64..=4000).boxed();
        // Kinds this state takes, refused for a reason of their own.
        let subtle: Vec<(Actor, EventKind)> = Actor::ALL
            .iter()
            .flat_map(|a| EventKind::ALL.iter().map(move |k| (*a, *k)))
            .filter(|(a, k)| {
                matches!(
                    m.refusal(*a, *k, m.now),
                    Some(
                        "not_your_turn"
                            | "no_offer"
                            | "round_limit_reached"
                            | "escalation_too_early"
                            | "no_new_evidence"
                    )
                )
            })
            .collect();
        let back = (arb_actor(), arb_kind()).prop_map(|(actor, kind)| Step::Back { actor, kind });
        let clock = prop_oneof![
            1 => (0u32..=4).prop_map(Step::AdvanceDays),
            2 => (1u32..=30).prop_map(Step::AdvanceHours),
            1 => Just(Step::ClockAtDeadline),
        ];
        let subtle = if subtle.is_empty() {
            // Nothing subtle here: fall back to any permitted pair.
            near_act.clone().boxed()
        } else {
            act(proptest::sample::select(subtle), 0i64..=60).boxed()
        };
        if legal.is_empty() {
            prop_oneof![2 => any_act, 3 => near_act, 2 => subtle, 1 => back, 3 => clock].boxed()
        } else {
            let legal_act = act(proptest::sample::select(legal), 0i64..=120);
            prop_oneof![
                10 => legal_act,
                2 => any_act,
                3 => near_act,
                2 => subtle,
                1 => back,
                3 => clock,
            ]
            .boxed()
        }
    }

    fn apply(m: Model, step: &Step) -> Model {
        m.step(step)
    }
}

// ---- the machine under test ----

fn facts(m: &Model) -> OrderFacts {
    let mut json = serde_json::json!({
        "schema_version": 1, "order_id": "1", "line_id": "1",
        "unit_price": {"amount": if m.p.received { "40" } else { "19.99" }, "currency": "USD"},
        "quantity": 1,
        "shipping_cost": {"amount": if m.p.received { "5" } else { "0" }, "currency": "USD"},
        "placed_at": "2025-12-30T00:00:00Z", "shipped_at": SHIPPED,
        "shipping_method": "standard", "destination_country": "US",
        "payment_method": "card"
    });
    if m.p.received {
        json["receipt"] = serde_json::json!({"at": RECEIVED_AT, "by": "buyer"});
    }
    let cancelled: Vec<_> = (0..m.p.earlier)
        .map(|i| {
            serde_json::json!({
                "opened_at": format!("2026-01-1{}T00:00:00Z", 2 + i),
                "status": "cancelled",
                "closed_at": format!("2026-01-1{}T12:00:00Z", 2 + i),
            })
        })
        .collect();
    json["disputes"] = cancelled.into();
    OrderFacts::from_json(&json.to_string()).unwrap()
}

fn policy(m: &Model) -> Policy {
    let mut p = Policy::aliexpress();
    p.time_zone = chrono_tz::UTC;
    p.day_counting = DayCounting::SameWallClock;
    p.lifecycle = m.p.l;
    p.reasons.return_means_full_refund = m.p.return_full;
    p.eligibility.reopen_limit = m.p.reopen_limit;
    p.validate().unwrap();
    p
}

fn claim_of(m: &Model, received_reason: bool, ret: bool, amt: Amt) -> ClaimRequest {
    ClaimRequest {
        reason: if received_reason {
            Reason::ReceivedNotAsDescribed
        } else {
            Reason::NotReceivedNoTracking
        },
        solution: if ret {
            Solution::ReturnAndRefund
        } else {
            Solution::RefundOnly
        },
        refund: m.money(amt),
    }
}

/// The real event for a step, built from the model state before the step.
fn event(before: &Model, step: &Step) -> Event {
    let at = before.event_at(step);
    let (actor, kind) = step_actor_kind(step);
    let (amt, ret, received_reason, with_claim, deadline) = match *step {
        Step::Act {
            amt,
            ret,
            received_reason,
            with_claim,
            deadline,
            ..
        } => (amt, ret, received_reason, with_claim, deadline),
        _ => (Amt::Cap, false, true, false, DeadlineKind::SellerResponse),
    };
    let deadline = match step {
        Step::ClockAtDeadline => before
            .deadline()
            .map_or(DeadlineKind::DecisionDue, |(k, _, _)| kind_of(k)),
        _ => deadline,
    };
    let claim = claim_of(before, received_reason, ret, amt);
    let solution = claim.solution;
    let money = before.money(amt);
    let action = match kind {
        EventKind::Open => Action::Open { claim },
        EventKind::Accept => Action::Accept,
        EventKind::Refuse => Action::Refuse,
        EventKind::CounterOffer => Action::CounterOffer {
            offer: Proposal {
                solution,
                refund: money,
            },
        },
        EventKind::AcceptOffer => Action::AcceptOffer,
        EventKind::RejectOffer => Action::RejectOffer,
        EventKind::ModifyClaim => Action::ModifyClaim { claim },
        EventKind::AddEvidence => Action::AddEvidence,
        EventKind::Escalate => Action::Escalate,
        EventKind::ShipReturn => Action::ShipReturn,
        EventKind::ConfirmReturnReceived => Action::ConfirmReturnReceived,
        EventKind::Decide => Action::Decide {
            ruling: Ruling {
                refund: money,
                return_goods: ret,
            },
        },
        EventKind::Appeal => Action::Appeal,
        EventKind::FinalRuling => Action::FinalRuling {
            ruling: Ruling {
                refund: money,
                return_goods: ret,
            },
        },
        EventKind::Cancel => Action::Cancel,
        EventKind::Reopen => Action::Reopen {
            claim: with_claim.then_some(claim),
        },
        EventKind::Timeout => Action::Timeout { deadline },
        _ => unreachable!("a variant newer than this test"),
    };
    Event::new(at, actor, action)
}

fn kind_of(name: &str) -> DeadlineKind {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).unwrap()
}

struct Sut {
    d: Dispute,
    /// The model before the last step (to rebuild the event).
    before: Model,
}

/// What both sides can be compared on.
#[derive(Debug, PartialEq, Eq)]
struct Obs {
    name: &'static str,
    api_status: Option<&'static str>,
    deadline: Option<(&'static str, T, bool)>,
    amount: Option<Decimal>,
    turn: Option<(bool, u32)>,
    claim_refund: Decimal,
    end: Option<&'static str>,
    appeals: u32,
    reopens: u32,
    entered: T,
    last: T,
}

fn observe_sut(d: &Dispute) -> Obs {
    let (amount, turn) = match *d.state() {
        State::SellerAccepted { settlement, .. }
        | State::AwaitingReturnShipment { settlement, .. }
        | State::AwaitingReturnReceipt { settlement, .. } => (Some(settlement.refund.amount), None),
        State::Negotiating {
            turn,
            offer,
            rounds,
            ..
        } => (
            offer.map(|o| o.refund.amount),
            Some((turn == dispute_rules::lifecycle::Party::Buyer, rounds)),
        ),
        State::Decided { decision, .. } | State::Appealed { decision, .. } => {
            (Some(decision.refund.amount), None)
        }
        State::Resolved { refund, .. } => (Some(refund.amount), None),
        _ => (None, None),
    };
    Obs {
        name: d.state().name(),
        api_status: d.api_status(),
        deadline: d
            .next_deadline()
            .map(|n| (n.kind.as_str(), n.at.utc, n.automatic)),
        amount,
        turn,
        claim_refund: d.claim().refund.amount,
        end: match *d.state() {
            State::Resolved { end, .. } => Some(match end {
                End::Settled => "settled",
                End::ReturnReceived => "return_received",
                End::ReturnNotShipped => "return_not_shipped",
                End::ReturnNotConfirmed => "return_not_confirmed",
                End::FinalRuling => "final_ruling",
                _ => unreachable!("a variant newer than this test"),
            }),
            _ => None,
        },
        appeals: d.appeals(),
        reopens: d.reopens(),
        entered: d.entered_at(),
        last: d.last_at(),
    }
}

fn observe_model(m: &Model) -> Obs {
    let (name, api_status, amount, turn) = match m.st {
        M::AwaitSeller { .. } => (
            "awaiting_seller",
            Some("WAIT_SELLER_CONFIRM_REFUND"),
            None,
            None,
        ),
        M::Accepted { refund, .. } => ("seller_accepted", Some("ACCEPTISSUE"), Some(refund), None),
        M::Neg {
            buyer_turn,
            offer,
            rounds,
            ..
        } => (
            "negotiating",
            Some(if buyer_turn {
                "SELLER_REFUSE_REFUND"
            } else {
                "WAIT_SELLER_CONFIRM_REFUND"
            }),
            offer.map(|o| o.1),
            Some((buyer_turn, rounds)),
        ),
        M::Ship { refund, .. } => (
            "awaiting_return_shipment",
            Some("WAIT_BUYER_SEND_GOODS"),
            Some(refund),
            None,
        ),
        M::Receive { refund, .. } => (
            "awaiting_return_receipt",
            Some("WAIT_SELLER_RECEIVE_GOODS"),
            Some(refund),
            None,
        ),
        M::Review { .. } => ("under_review", Some("ARBITRATING"), None, None),
        M::Decided { refund, .. } => ("decided", Some("ARBITRATING"), Some(refund), None),
        M::Appealed { refund, .. } => ("appealed", Some("ARBITRATING"), Some(refund), None),
        M::Resolved { refund, b, .. } => (
            "resolved",
            match b {
                B::Agreed => Some("ACCEPTISSUE"),
                B::Silent => Some("SELLER_RESPONSE_ISSUE_TIMEOUT"),
                B::Platform | B::Final => None,
            },
            Some(refund),
            None,
        ),
        M::Cancelled { .. } => ("cancelled", None, None, None),
        M::Closed { .. } => ("closed_for_good", None, None, None),
    };
    Obs {
        name,
        api_status,
        deadline: m.deadline(),
        amount,
        turn,
        claim_refund: m.claim.refund,
        end: match m.st {
            M::Resolved { end, .. } => Some(match end {
                E::Settled => "settled",
                E::ReturnReceived => "return_received",
                E::ReturnNotShipped => "return_not_shipped",
                E::ReturnNotConfirmed => "return_not_confirmed",
                E::FinalRuling => "final_ruling",
            }),
            _ => None,
        },
        appeals: m.appeals,
        reopens: m.reopens,
        entered: m.entered,
        last: m.last,
    }
}

fn code(e: &Error) -> String {
    match e {
        Error::IllegalTransition(t) => t.code().unwrap_or("").to_owned(),
        Error::InvalidClaim(_) => "invalid".to_owned(),
        other => format!("other: {other}"),
    }
}

impl StateMachineTest for Sut {
    type SystemUnderTest = Sut;
    type Reference = LifecycleModel;

    fn init_test(m: &Model) -> Sut {
        let claim = claim_of(m, m.p.received, m.p.claim_ret, m.p.claim_amt);
        let d = Dispute::open(&facts(m), &policy(m), claim, m.opened).unwrap();
        Sut {
            d,
            before: m.clone(),
        }
    }

    fn apply(mut sut: Sut, after: &Model, step: Step) -> Sut {
        let before = sut.before.clone();
        match step {
            Step::AdvanceDays(_) | Step::AdvanceHours(_) => {
                let n = sut.d.advance(after.now);
                assert_eq!(
                    Outcome::Advanced(n),
                    after.outcome,
                    "advance to {}",
                    after.now
                );
            }
            _ => {
                let e = event(&before, &step);
                // allowed_actions agrees with the model (data aside).
                if e.kind() != EventKind::Timeout {
                    assert_eq!(
                        sut.d.allowed_actions(e.actor, e.at).contains(e.kind()),
                        before.refusal(e.actor, e.kind(), e.at).is_none(),
                        "allowed_actions for {e:?} in {:?}",
                        sut.d.state()
                    );
                }
                let prior = sut.d.clone();
                let r = sut.d.apply(e);
                match (&r, after.outcome) {
                    (Ok(()), Outcome::Accepted) => {
                        assert_eq!(sut.d.history().last(), Some(&e));
                    }
                    (Err(err), Outcome::Refused(c)) => {
                        assert_eq!(code(err), c, "{e:?} in {:?}", prior.state());
                        assert_eq!(sut.d, prior, "a refused event changes nothing");
                    }
                    (Err(err @ Error::InvalidClaim(_)), Outcome::Invalid) => {
                        assert!(!err.field().is_empty());
                        assert_eq!(sut.d, prior);
                    }
                    (r, o) => panic!("{e:?} in {:?}: engine {r:?}, model {o:?}", prior.state()),
                }
            }
        }
        sut.before = after.clone();
        sut
    }

    fn check_invariants(sut: &Sut, m: &Model) {
        let d = &sut.d;
        // The machine agrees with the model, and allows now exactly what the
        // model allows, for every actor and kind.
        assert_eq!(observe_sut(d), observe_model(m));
        for actor in Actor::ALL {
            let allowed = d.allowed_actions(actor, m.now);
            for kind in EventKind::ALL {
                assert_eq!(
                    allowed.contains(*kind),
                    m.refusal(actor, *kind, m.now).is_none(),
                    "{actor} {kind} at {} in {:?}",
                    m.now,
                    d.state()
                );
            }
        }
        let lp = &d.terms().lifecycle;
        let cap = d.line().refund_cap;
        // C-4: nothing above the cap, in the state or the history.
        let mut amounts = vec![d.claim().refund];
        match *d.state() {
            State::SellerAccepted { settlement, .. }
            | State::AwaitingReturnShipment { settlement, .. }
            | State::AwaitingReturnReceipt { settlement, .. } => amounts.push(settlement.refund),
            State::Resolved {
                settlement, refund, ..
            } => amounts.extend([settlement.refund, refund]),
            State::Negotiating { offer: Some(o), .. } => amounts.push(o.refund),
            State::Decided { decision, .. } | State::Appealed { decision, .. } => {
                amounts.push(decision.refund)
            }
            _ => {}
        }
        for e in d.history() {
            match e.action {
                Action::Open { claim }
                | Action::ModifyClaim { claim }
                | Action::Reopen { claim: Some(claim) } => amounts.push(claim.refund),
                Action::CounterOffer { offer } => amounts.push(offer.refund),
                Action::Decide { ruling } | Action::FinalRuling { ruling } => {
                    amounts.push(ruling.refund)
                }
                _ => {}
            }
        }
        for a in amounts {
            assert_eq!(a.currency, cap.currency);
            assert!(
                a.amount <= cap.amount && !a.amount.is_sign_negative(),
                "{a} vs cap {cap}"
            );
        }
        // Only the permitted actor acts; time never runs backwards.
        for w in d.history().windows(2) {
            assert!(w[0].at <= w[1].at);
        }
        for e in d.history() {
            assert!(permitted(e.actor, e.kind()), "{e:?}");
            match e.kind() {
                EventKind::Cancel => assert!(matches!(e.actor, Actor::Buyer | Actor::Platform)),
                EventKind::Decide | EventKind::FinalRuling => {
                    assert_eq!(e.actor, Actor::Platform)
                }
                _ => {}
            }
        }
        // Counts within the policy.
        assert!(d.appeals() <= lp.appeal_limit);
        assert!(d.reopens() <= d.terms().reopen_limit);
        let later = d.last_at() + Duration::days(1);
        if d.is_terminal() {
            assert!(d.next_deadline().is_none());
            // Terminal states absorb every event.
            for actor in Actor::ALL {
                assert!(d.allowed_actions(actor, later).is_empty());
                for kind in EventKind::ALL {
                    let mut x = d.clone();
                    let step = Step::Act {
                        actor,
                        kind: *kind,
                        amt: Amt::Cent,
                        ret: false,
                        received_reason: true,
                        with_claim: true,
                        minutes: 0,
                        deadline: DeadlineKind::SellerResponse,
                        snap: 0,
                    };
                    let mut e = event(m, &step);
                    e.at = later;
                    assert!(x.apply(e).is_err(), "{e:?} accepted in {:?}", d.state());
                    assert_eq!(&x, d);
                }
            }
        } else {
            // A later deadline than the state's entry.
            let n = d.next_deadline().unwrap();
            assert!(n.at.utc > d.entered_at(), "{n:?} vs {}", d.entered_at());
            // Earlier than the last event: refused.
            let mut x = d.clone();
            let e = Event::new(
                d.last_at() - Duration::seconds(1),
                Actor::Buyer,
                Action::AddEvidence,
            );
            assert_eq!(code(&x.apply(e).unwrap_err()), "time_runs_backwards");
        }
        // R-E7: closed by agreement never reopens.
        let agreed = match *d.state() {
            State::SellerAccepted { .. } => true,
            State::Resolved { settlement, .. } => settlement.basis.by_agreement(),
            _ => false,
        };
        if agreed {
            for kind in [EventKind::Reopen, EventKind::Cancel, EventKind::Open] {
                assert!(!d.allowed_actions(Actor::Buyer, later).contains(kind));
            }
            let mut x = d.clone();
            let e = Event::new(later, Actor::Buyer, Action::Reopen { claim: None });
            assert!(x.apply(e).is_err());
        }
        // R-E8: one facts record per opening, the cancelled ones closed.
        let priors = d.prior_disputes();
        assert_eq!(
            priors.len(),
            1 + (d.reopens() - d.line().earlier_cancellations) as usize
        );
        let cancels = d
            .history()
            .iter()
            .filter(|e| e.kind() == EventKind::Cancel)
            .count();
        let cancelled = priors
            .iter()
            .filter(|p| p.status == dispute_rules::facts::PriorDisputeStatus::Cancelled)
            .count();
        assert_eq!(cancels, cancelled);
        // Replaying the history equals the live state; so does JSON.
        let r = Dispute::replay(d.line().clone(), d.terms().clone(), d.history()).unwrap();
        assert_eq!(&r, d);
        assert_eq!(&Dispute::from_json(&d.to_json()).unwrap(), d);
    }
}

prop_state_machine! {
    #![proptest_config(Config {
        cases: 256,
        max_shrink_iters: 4096,
        // Relative to the package root (cargo runs tests there).
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "proptest-regressions/lifecycle_model.txt",
            ),
        )),
        .. Config::default()
    })]

    #[test]
    fn the_machine_follows_the_model(sequential 1..30 => Sut);
}
