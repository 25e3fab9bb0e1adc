//! The dispute lifecycle (R-L1..R-L7, R-E6..R-E8, appendix) as a pure state
//! machine.
//!
//! A [`Dispute`] is a value: it is opened through eligibility
//! ([`Dispute::open`]), changed only by [`Dispute::apply`] (one [`Event`]:
//! who did what, when) and [`Dispute::advance`] (the clock: every window that
//! has ended by `now`), and keeps its whole history. Replaying the history
//! ([`Dispute::replay`]) gives the same value; the JSON form
//! ([`Dispute::to_json`], [`Dispute::from_json`]) is the history plus the
//! terms it runs under, and loading it replays and checks the state.
//!
//! ```
//! use dispute_rules::lifecycle::{Action, Actor, ClaimRequest, Event};
//! use dispute_rules::reasons::{Reason, Solution};
//! use dispute_rules::{Dispute, Money, OrderFacts, Policy};
//! # let facts = OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
//! let claim = ClaimRequest {
//!     reason: Reason::NotReceivedNoTracking,
//!     solution: Solution::RefundOnly,
//!     refund: Money::parse("19.99", "USD").unwrap(),
//! };
//! let opened = "2026-03-20T12:00:00Z".parse().unwrap();
//! let mut d = Dispute::open(&facts, &Policy::aliexpress(), claim, opened).unwrap();
//! assert_eq!(d.api_status(), Some("WAIT_SELLER_CONFIRM_REFUND"));
//! // R-L1: the seller has 5 days; R-L2: silence resolves as the buyer asked.
//! let due = d.next_deadline().unwrap();
//! assert_eq!(due.at.utc.to_rfc3339(), "2026-03-25T12:00:00+00:00");
//! // Too late for the seller: the window has ended.
//! let late = Event::new(due.at.utc, Actor::Seller, Action::Accept);
//! assert!(d.apply(late).is_err());
//! assert_eq!(d.advance(due.at.utc), 1);
//! assert_eq!(d.api_status(), Some("SELLER_RESPONSE_ISSUE_TIMEOUT"));
//! // The history replays to the same dispute.
//! assert_eq!(Dispute::from_json(&d.to_json()).unwrap(), d);
//! ```
//!
//! # States
//! | state | open-API status | deadline (policy field), what happens then | events |
//! |---|---|---|---|
//! | `awaiting_seller` | WAIT_SELLER_CONFIRM_REFUND | `seller_response_days` (R-L1): resolved as asked or escalated, `seller_silent` (R-L2) | seller `accept`, `refuse`, `counter_offer`; buyer `modify_claim`, `cancel`; both `add_evidence` |
//! | `negotiating` (whose turn, offer, rounds) | WAIT_SELLER_CONFIRM_REFUND (seller's turn), SELLER_REFUSE_REFUND (buyer's) | the earlier of `turn_response_days` (R-L3) and `escalation_after_days` (appendix) counted from the opening or latest reopening (`escalation_clock`): escalated | seller as above (`negotiation_rounds`); buyer `accept_offer`, `reject_offer`, `modify_claim`, `escalate` (`buyer_escalation_from_days`), `cancel`; both `add_evidence` |
//! | `seller_accepted` (agreed, no return) | ACCEPTISSUE | `refund_business_days` (R-L6): resolved | none (R-E7) |
//! | `awaiting_return_shipment` | WAIT_BUYER_SEND_GOODS | `return_ship_days` (appendix): resolved with no refund | buyer `ship_return`; both `add_evidence` (`evidence_during_return`) |
//! | `awaiting_return_receipt` | WAIT_SELLER_RECEIVE_GOODS | `return_receipt_days` (R-S3): `return_unconfirmed` | seller `confirm_return_received`; both `add_evidence` (`evidence_during_return`) |
//! | `under_review` | ARBITRATING | `decision_target_days` (R-L4): a target only | platform `decide`, `cancel`; buyer `cancel`; both `add_evidence` |
//! | `decided` (appealable until) | ARBITRATING | `appeal_window_days` (R-L5): the decision is final | buyer or seller `appeal` (`appeal_limit`, `appeal_requires_new_evidence`), `add_evidence` |
//! | `appealed` | ARBITRATING | `appeal_ruling_days` (R-L5): a target only (`final_ruling_ends_appeal`, default); otherwise the decision stands | platform `final_ruling` (`decide` only when `final_ruling_ends_appeal` is off); both `add_evidence` |
//! | `cancelled` (reopenable until) | none | the dispute window's end (R-E8): closed for good | buyer `reopen` (`eligibility.reopen_limit`) |
//! | `resolved` (outcome, amount, `end`) | SELLER_RESPONSE_ISSUE_TIMEOUT (seller silent), ACCEPTISSUE (agreed), none | terminal | none |
//! | `closed_for_good` | none | terminal | none |
//!
//! Parties add evidence (`add_evidence`) in every state in which the
//! dispute is still open, including while the goods travel back (R-V1,
//! `evidence_during_return`), never once it is agreed without a return
//! (R-E7), cancelled or closed. The buyer or the platform `cancel`s while it
//! is open, negotiated or under review (R-E8). A settlement with a return
//! goes through the two return states; a decision becomes final when no
//! appeal is left; after an appeal only the final ruling ends the dispute,
//! and `resolved` says so (`end`: `final_ruling`, or the return's end when
//! the ruling orders one).
//!
//! # What each event needs
//! An event is checked in this order; the first failing check refuses it
//! with a stable code ([`Refusal`]) and leaves the dispute unchanged:
//! 1. the state is terminal (`resolved`, `closed_for_good`): every event is
//!    refused (`open` and `reopen` with the R-E9 code: `closed_by_agreement`
//!    (R-E7), `reopen_limit_reached`, or the window's code; others
//!    `dispute_closed`);
//! 2. the instant lies in the years 1970-9999 (`time_out_of_range`) and is
//!    not earlier than the last event (`time_runs_backwards`);
//! 3. the actor may make the kind at all (`actor_not_permitted`, see
//!    [`EventKind::permitted`]);
//! 4. a `timeout` needs the state's automatic deadline to fall exactly at its
//!    instant (`not_due`); `open` is refused (`dispute_already_open`, R-E6);
//! 5. the state's automatic deadline has not passed (`deadline_passed`;
//!    `reopen` then gets the window's R-E9 code): windows include their
//!    start and exclude their end (C-1), so call [`Dispute::advance`] first;
//! 6. the state takes the kind (`not_in_this_state`), it is the actor's turn
//!    (`not_your_turn`), a proposal is on the table (`no_offer`), a
//!    counter-offer is left (`round_limit_reached`), the buyer may escalate
//!    yet (`escalation_too_early`), the appellant added new evidence
//!    (`no_new_evidence`);
//! 7. the data, refused as [`Error::InvalidClaim`] naming the field:
//!    - a claim (`open`, `modify_claim`, `reopen`) is checked by the claim
//!      check's own code ([`check_claim`](crate::reasons::check_claim)), with
//!      the same problems: the solution (R-S1; R-R14: a return only), the
//!      line's currency (C-2), more than zero and at most the cap (C-4), the
//!      full amount and refund only when the goods did not arrive (C-4), a
//!      return for the full amount (R-S1), a cancelled order for R-R15; at
//!      the opening also the attachments (R-V2) and the buyer's report. The
//!      limits stay with the dispute ([`Terms::claims`]);
//!    - an offer or a ruling: the line's currency (C-2), at most the cap
//!      (C-4; an offer above zero, a ruling not negative), a return only for
//!      goods that arrived, with a refund, for the full amount (R-S1; the
//!      policy's `partial_refund_with_return` allows less).
//!
//! Opening refuses a line that is not eligible (R-E9, with R-R15's
//! exemption from the shipping timer) as an [`Error::IllegalTransition`]
//! carrying the code, before the claim's data.

mod machine;
mod policy;
mod summary;
mod types;

pub use machine::add_business_days;
pub(crate) use summary::ops;
pub use summary::{Allowed, AllowedAnswer, Refund, Report, Summary};

pub use policy::{EscalationClock, LifecyclePolicy, Terms, TimeoutOutcome};
pub use types::{
    Action, Actor, Basis, ClaimRequest, ClosedReason, Deadline, DeadlineKind, End, Event,
    EventKind, EventKinds, Line, Party, Proposal, RefundDestination, Refusal, Ruling, Settlement,
    State,
};

use crate::eligibility::{self, Ineligible};
use crate::error::{Collector, Error, Problems, TransitionError};
use crate::explain::Explain;
use crate::facts::{OrderFacts, PriorDispute, PriorDisputeStatus};
use crate::policy::Policy;
use crate::reasons::{self, Ask, Attachment, BuyerReport, Claim};
use crate::rules::{Rule, RuleSet};
use chrono::{DateTime, Datelike, Utc};
use machine::check_line;
use serde::{Deserialize, Serialize};

/// The JSON schema version of a dispute.
pub const DISPUTE_SCHEMA_VERSION: u32 = 1;

/// One dispute on one order line, from opening to its final close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    line: Line,
    terms: Terms,
    history: Vec<Event>,
    state: State,
    claim: ClaimRequest,
    opened_at: DateTime<Utc>,
    entered_at: DateTime<Utc>,
    last_at: DateTime<Utc>,
    appeals: u32,
    reopens: u32,
    rules: RuleSet,
}

pub(super) fn in_range(at: DateTime<Utc>) -> bool {
    (1970..=9999).contains(&at.year())
}

/// The reopen window of a line without a protection window (never shipped,
/// R-R15): the last instant of the years the lifecycle takes.
fn no_window_end() -> DateTime<Utc> {
    DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default()
}

impl Dispute {
    /// Opens a dispute at `at` with the buyer's claim: [`Dispute::open_claim`]
    /// for a claim with no attachments and no buyer's report, its refund
    /// type read from the amount.
    pub fn open(
        facts: &OrderFacts,
        policy: &Policy,
        claim: ClaimRequest,
        at: DateTime<Utc>,
    ) -> Result<Dispute, Error> {
        Dispute::open_with(facts, None, claim.ask(), &[], policy, at)
    }

    /// Opens a dispute at `at` with a claim document, taking the same
    /// arguments as [`check_claim`](crate::reasons::check_claim) and
    /// refusing exactly the claims it refuses, with the same problems:
    /// - the line must be eligible at `at` (R-E9, with R-R15's exemption
    ///   from the shipping timer); if it is not, the error is an
    ///   [`Error::IllegalTransition`] carrying the R-E9 code;
    /// - otherwise every problem with the claim (C-2, C-4, R-S1, R-R14,
    ///   R-R15, R-V2, the report) is an [`Error::InvalidClaim`] naming the
    ///   field under `claim` (or `report`), as the claim check names it.
    ///
    /// The dispute keeps the reason, the solution and the amount; the values
    /// of the policy it runs under ([`Terms`], checked as
    /// [`Policy::validate`] checks them) stay with it.
    pub fn open_claim(
        facts: &OrderFacts,
        report: Option<&BuyerReport>,
        claim: &Claim,
        policy: &Policy,
        at: DateTime<Utc>,
    ) -> Result<Dispute, Error> {
        Dispute::open_with(facts, report, Ask::of(claim), &claim.evidence, policy, at)
    }

    fn open_with(
        facts: &OrderFacts,
        report: Option<&BuyerReport>,
        ask: Ask,
        evidence: &[Attachment],
        policy: &Policy,
        at: DateTime<Utc>,
    ) -> Result<Dispute, Error> {
        let terms = Terms::of(policy)?;
        // Validated once, dates computed once (C-1, R-E1..R-E5).
        let checked = facts.checked(policy, at)?;
        let dates = checked.dates().copied();
        let e = eligibility::assess_checked(&checked, Explain::No);
        if let (Some(code), _) = reasons::eligibility_code(facts, policy, ask.reason, e.code) {
            return Err(Error::IllegalTransition(
                TransitionError::new("none", "open", "buyer", code.describe())
                    .with_code(code.code()),
            ));
        }
        let mut c = Collector::new();
        let checked = reasons::check_document(facts, report, ask, evidence, policy, &mut c)?;
        c.finish(Error::InvalidClaim)?;
        let earlier = facts
            .disputes
            .iter()
            .filter(|d| d.status == PriorDisputeStatus::Cancelled)
            .count();
        let line = Line {
            order_id: facts.order_id.clone(),
            line_id: facts.line_id.clone(),
            refund_cap: checked.full_amount,
            payment_method: facts.payment_method,
            // R-E8; a line never shipped (R-R15) has no window.
            reopenable_until: e.window.map_or_else(no_window_end, |w| w.closes_at.utc),
            receipt_confirmed: dates
                .is_some_and(|d| d.closing_code == Ineligible::ConfirmationWindowPassed),
            earlier_cancellations: u32::try_from(earlier).unwrap_or(u32::MAX),
            order_cancelled: facts.order_cancelled_at.is_some(),
        };
        let claim = ClaimRequest {
            reason: ask.reason,
            solution: ask.solution,
            refund: ask.refund,
        };
        Ok(Dispute::start(line, terms, at, claim))
    }

    fn start(line: Line, terms: Terms, at: DateTime<Utc>, claim: ClaimRequest) -> Dispute {
        let due = terms
            .calendar()
            .add_days(at, terms.lifecycle.seller_response_days);
        let mut history = Vec::with_capacity(8);
        history.push(Event::new(at, Actor::Buyer, Action::Open { claim }));
        Dispute {
            reopens: line.earlier_cancellations,
            line,
            terms,
            history,
            state: State::AwaitingSeller { due },
            claim,
            opened_at: at,
            entered_at: at,
            last_at: at,
            appeals: 0,
            rules: RuleSet::of(&[Rule::C1, Rule::C4, Rule::E6, Rule::S1, Rule::L1]),
        }
    }

    /// Rebuilds a dispute from its line, terms and history (which starts
    /// with the buyer's `open`). Any event the machine refuses is an
    /// [`Error::InvalidRequest`] naming `history[i]`.
    pub fn replay(line: Line, terms: Terms, history: &[Event]) -> Result<Dispute, Error> {
        let mut c = Collector::new();
        check_line(&line, &mut c);
        terms.check(&mut c);
        c.finish(Error::InvalidRequest)?;
        let bad = |field: &str, msg: String| Error::InvalidRequest(Problems::one(field, msg));
        if history.len() > crate::limits::MAX_EVENTS {
            return Err(bad(
                "history",
                format!(
                    "holds {} events; a dispute's history holds at most {}",
                    history.len(),
                    crate::limits::MAX_EVENTS
                ),
            ));
        }
        let Some((first, rest)) = history.split_first() else {
            return Err(bad(
                "history",
                "must start with the buyer's `open` event".into(),
            ));
        };
        let claim = match (first.actor, first.action) {
            (Actor::Buyer, Action::Open { claim }) if in_range(first.at) => claim,
            _ => {
                return Err(bad(
                    "history[0]",
                    format!(
                        "must be the buyer's `open` event in the years 1970-9999, got `{}` by `{}`",
                        first.kind(),
                        first.actor
                    ),
                ))
            }
        };
        reasons::check_request(
            claim.ask(),
            line.refund_cap,
            &terms.claims,
            line.order_cancelled,
        )
        .map_err(|e| e.nested("history[0]"))?;
        let mut d = Dispute::start(line, terms, first.at, claim);
        for (i, e) in rest.iter().enumerate() {
            d.apply(*e).map_err(|err| {
                let field = format!("history[{}]", i + 1);
                match err {
                    Error::IllegalTransition(t) => bad(&field, t.to_string()),
                    other => other.nested(&field),
                }
            })?;
        }
        Ok(d)
    }

    /// Applies one event. On success the event joins the history; on error
    /// the dispute is unchanged. See the module documentation for the order
    /// of checks and the codes.
    pub fn apply(&mut self, event: Event) -> Result<(), Error> {
        if self.history.len() >= crate::limits::MAX_EVENTS {
            return Err(Error::InvalidRequest(Problems::one(
                "event",
                format!(
                    "the dispute's history is full: it holds at most {} events",
                    crate::limits::MAX_EVENTS
                ),
            )));
        }
        let kind = event.kind();
        if let Some(r) = self.refusal(event.actor, kind, event.at) {
            return Err(self.refused(&event, r));
        }
        if let Action::Timeout { deadline } = event.action {
            match self.deadline_raw() {
                Some((k, d)) if k == deadline && d == event.at => {}
                _ => return Err(self.refused(&event, Refusal::NotDue)),
            }
        }
        self.check_action(&event.action)?;
        self.transition(&event);
        self.history.push(event);
        self.last_at = event.at;
        Ok(())
    }

    /// Applies every automatic timeout that has passed by `now` (each
    /// recorded as a `timeout` event by the clock at its deadline) and
    /// returns how many: the seller stays silent (R-L2), a turn lapses or no
    /// agreement is reached (R-L3, appendix), the return is not shipped
    /// (appendix) or not confirmed (R-S3), the appeal window or ruling
    /// lapses (R-L5), the refund falls due (R-L6), the reopen window ends
    /// (R-E8).
    pub fn advance(&mut self, now: DateTime<Utc>) -> usize {
        let mut n = 0;
        while let Some((deadline, at)) = self.automatic_deadline() {
            if at > now {
                break;
            }
            let e = Event::new(at, Actor::Clock, Action::Timeout { deadline });
            if self.apply(e).is_err() {
                break;
            }
            n += 1;
        }
        n
    }

    /// The kinds of event `actor` may make at `now` (with suitable data).
    /// For the clock: `timeout` when an automatic deadline has passed.
    pub fn allowed_actions(&self, actor: Actor, now: DateTime<Utc>) -> EventKinds {
        // The checks of `refusal`, with the ones common to every kind done once.
        if self.state.is_terminal() || !in_range(now) || now < self.last_at {
            return EventKinds::EMPTY;
        }
        let passed = self.automatic_deadline().is_some_and(|(_, d)| now >= d);
        EventKind::ALL
            .iter()
            .copied()
            .filter(|k| {
                k.permitted(actor)
                    && match k {
                        EventKind::Timeout => passed,
                        EventKind::Open => false,
                        _ => !passed && self.state_refusal(actor, *k, now).is_none(),
                    }
            })
            .collect()
    }

    /// When the next deadline falls and what happens then (`None` for a
    /// closed dispute).
    pub fn next_deadline(&self) -> Option<Deadline> {
        let (kind, at) = self.deadline_raw()?;
        let p = &self.terms.lifecycle;
        let effect = match kind {
            DeadlineKind::SellerResponse => match p.seller_silent {
                TimeoutOutcome::ResolveAsRequested => {
                    "the seller stayed silent: the dispute is resolved as the buyer asked (R-L2)"
                }
                TimeoutOutcome::Escalate => {
                    "the seller stayed silent: the dispute goes to the platform (R-L2)"
                }
            },
            DeadlineKind::RefundDue => "the agreed refund is due and the dispute closes (R-L6)",
            DeadlineKind::TurnLapse => "the turn lapses: the dispute goes to the platform (R-L3)",
            DeadlineKind::NoAgreement => {
                "no agreement: the dispute is escalated to the platform automatically"
            }
            DeadlineKind::ReturnShipment => {
                "the return was not shipped in time: the money goes to the seller"
            }
            DeadlineKind::ReturnReceipt => match p.return_unconfirmed {
                TimeoutOutcome::ResolveAsRequested => {
                    "the seller did not confirm the return: the buyer is refunded (R-S3)"
                }
                TimeoutOutcome::Escalate => {
                    "the seller did not confirm the return: the dispute goes to the platform"
                }
            },
            DeadlineKind::DecisionDue => {
                "the platform aims to decide by then; nothing happens by itself (R-L4)"
            }
            DeadlineKind::AppealWindow => "no appeal: the decision becomes final (R-L5)",
            DeadlineKind::AppealRuling if p.final_ruling_ends_appeal => {
                "the platform aims to rule on the appeal by then; nothing happens by itself: only the final ruling ends the dispute (R-L5)"
            }
            DeadlineKind::AppealRuling => {
                "no ruling on the appeal: the decision stands and the dispute closes (R-L5)"
            }
            DeadlineKind::ReopenWindow => {
                "the dispute can no longer be reopened and is closed for good (R-E8)"
            }
        };
        Some(Deadline {
            at: self.moment(at),
            kind,
            automatic: kind.automatic(p),
            effect,
            rule: kind.rule(),
        })
    }

    /// The current state.
    pub const fn state(&self) -> &State {
        &self.state
    }

    /// Every event so far, oldest first (the first is `open`).
    pub fn history(&self) -> &[Event] {
        &self.history
    }

    /// The order line.
    pub const fn line(&self) -> &Line {
        &self.line
    }

    /// The terms the dispute runs under.
    pub const fn terms(&self) -> &Terms {
        &self.terms
    }

    /// The buyer's current claim.
    pub const fn claim(&self) -> &ClaimRequest {
        &self.claim
    }

    /// Appeals made so far (R-L5).
    pub const fn appeals(&self) -> u32 {
        self.appeals
    }

    /// The reopen number of the dispute: earlier cancellations on the line
    /// plus reopens of this dispute (R-E8).
    pub const fn reopens(&self) -> u32 {
        self.reopens
    }

    /// When the current state was entered.
    pub const fn entered_at(&self) -> DateTime<Utc> {
        self.entered_at
    }

    /// When the last event happened.
    pub const fn last_at(&self) -> DateTime<Utc> {
        self.last_at
    }

    /// The rules that produced the dispute's history and state.
    pub fn rules(&self) -> RuleSet {
        let mut r = self.rules;
        r.insert(self.state.rule());
        r
    }

    /// Whether the dispute is closed (resolved or closed for good).
    pub const fn is_terminal(&self) -> bool {
        self.state.is_terminal()
    }

    /// The open-API issue status, where one exists (appendix).
    pub const fn api_status(&self) -> Option<&'static str> {
        self.state.api_status()
    }

    /// The dispute as the facts model records it on the line (R-E6..R-E8),
    /// for a later eligibility check: one record per opening (the `open` and
    /// each `reopen`), each cancelled one closed at its `cancel`, the last
    /// one with the dispute's standing (open, closed by agreement, decided).
    pub fn prior_disputes(&self) -> Vec<PriorDispute> {
        let mut out = Vec::new();
        let mut segment = None;
        for e in &self.history {
            match e.kind() {
                EventKind::Open | EventKind::Reopen => segment = Some(e.at),
                EventKind::Cancel => {
                    if let Some(opened_at) = segment.take() {
                        out.push(PriorDispute {
                            opened_at,
                            status: PriorDisputeStatus::Cancelled,
                            closed_at: Some(e.at),
                        });
                    }
                }
                _ => {}
            }
        }
        if let Some(opened_at) = segment {
            // R-E7: an agreement without return closes the dispute when it
            // is made (the refund is then only being paid).
            let agreed_at = self
                .history
                .iter()
                .rev()
                .find(|e| matches!(e.kind(), EventKind::Accept | EventKind::AcceptOffer))
                .map_or(self.entered_at, |e| e.at);
            let (status, closed_at) = match &self.state {
                State::SellerAccepted { .. } => {
                    (PriorDisputeStatus::ClosedByAgreement, Some(self.entered_at))
                }
                State::Resolved {
                    settlement,
                    end: End::Settled,
                    ..
                } if settlement.basis.by_agreement() => {
                    (PriorDisputeStatus::ClosedByAgreement, Some(agreed_at))
                }
                State::Resolved { settlement, .. } if settlement.basis.by_agreement() => {
                    (PriorDisputeStatus::ClosedByAgreement, Some(self.entered_at))
                }
                State::Resolved { .. } => (PriorDisputeStatus::Decided, Some(self.entered_at)),
                _ => (PriorDisputeStatus::Open, None),
            };
            out.push(PriorDispute {
                opened_at,
                status,
                closed_at,
            });
        }
        out
    }

    /// An instant as a [`Moment`](crate::Moment) in the dispute's zone.
    pub fn moment_of(&self, at: DateTime<Utc>) -> crate::Moment {
        self.moment(at)
    }

    /// The dispute as JSON (see [`Dispute::from_json`]).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Loads a dispute from JSON: `{"schema_version": 1, "line": {...},
    /// "terms": {...}, "history": [...], "state": {...}}`. The history is
    /// replayed; `state` (optional) must equal the replayed state.
    pub fn from_json(json: &str) -> Result<Dispute, Error> {
        let w: DisputeWire = crate::error::from_json(json, Error::InvalidRequest)?;
        w.into_dispute()
    }
}

#[derive(Serialize)]
struct DisputeRef<'a> {
    schema_version: u32,
    line: &'a Line,
    terms: &'a Terms,
    history: &'a [Event],
    state: &'a State,
}

impl Serialize for Dispute {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DisputeRef {
            schema_version: DISPUTE_SCHEMA_VERSION,
            line: &self.line,
            terms: &self.terms,
            history: &self.history,
            state: &self.state,
        }
        .serialize(s)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisputeWire {
    schema_version: u32,
    line: Line,
    terms: Terms,
    history: Vec<Event>,
    #[serde(default)]
    state: Option<State>,
}

impl DisputeWire {
    fn into_dispute(self) -> Result<Dispute, Error> {
        if self.schema_version != DISPUTE_SCHEMA_VERSION {
            return Err(Error::InvalidRequest(Problems::one(
                "schema_version",
                format!(
                    "unsupported schema version {}; this engine reads {DISPUTE_SCHEMA_VERSION}",
                    self.schema_version
                ),
            )));
        }
        let d = Dispute::replay(self.line, self.terms, &self.history)?;
        if let Some(s) = self.state {
            if s != d.state {
                return Err(Error::InvalidRequest(Problems::one(
                    "state",
                    format!(
                        "does not match the history: replaying it gives `{}`",
                        d.state.name()
                    ),
                )));
            }
        }
        Ok(d)
    }
}

impl<'de> Deserialize<'de> for Dispute {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DisputeWire::deserialize(d)?
            .into_dispute()
            .map_err(serde::de::Error::custom)
    }
}
