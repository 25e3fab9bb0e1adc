//! The vocabulary of the lifecycle: actors, events, proposals, states and
//! deadlines.

use super::LifecyclePolicy;
use crate::calendar::Moment;
use crate::eligibility::Ineligible;
use crate::facts::PaymentMethod;
use crate::money::Money;
use crate::reasons::{Reason, Solution};
use crate::rules::Rule;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who acts on a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Actor {
    /// The buyer.
    Buyer,
    /// The seller.
    Seller,
    /// The platform's dispute team.
    Platform,
    /// The clock: a window ran out.
    Clock,
}

impl Actor {
    /// Every actor.
    pub const ALL: [Actor; 4] = [Actor::Buyer, Actor::Seller, Actor::Platform, Actor::Clock];

    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Actor::Buyer => "buyer",
            Actor::Seller => "seller",
            Actor::Platform => "platform",
            Actor::Clock => "clock",
        }
    }

    /// The party, for the buyer and the seller.
    pub const fn party(self) -> Option<Party> {
        match self {
            Actor::Buyer => Some(Party::Buyer),
            Actor::Seller => Some(Party::Seller),
            Actor::Platform | Actor::Clock => None,
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One of the two parties of a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Party {
    /// The buyer.
    Buyer,
    /// The seller.
    Seller,
}

impl Party {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Party::Buyer => "buyer",
            Party::Seller => "seller",
        }
    }
}

macro_rules! event_kinds {
    ($( $(#[$doc:meta])* $v:ident = $s:literal, $($actor:ident)|+ ; )+) => {
        /// The kind of a lifecycle event.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u8)]
        #[non_exhaustive]
        pub enum EventKind {
            $( $(#[$doc])* $v ),+
        }

        impl EventKind {
            /// Every kind, in lifecycle order.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$v),+];

            /// The stable snake_case name.
            pub const fn as_str(self) -> &'static str {
                match self { $(EventKind::$v => $s),+ }
            }

            /// Whether `actor` may ever make an event of this kind (R-E8:
            /// only the buyer and the platform cancel; only the platform
            /// decides; only the clock times out).
            pub const fn permitted(self, actor: Actor) -> bool {
                match self { $(EventKind::$v => matches!(actor, $(Actor::$actor)|+)),+ }
            }
        }
    };
}

event_kinds! {
    /// The buyer opens the dispute with a claim.
    Open = "open", Buyer;
    /// The seller accepts the buyer's claim.
    Accept = "accept", Seller;
    /// The seller refuses the claim without a proposal.
    Refuse = "refuse", Seller;
    /// The seller proposes other terms (R-L3).
    CounterOffer = "counter_offer", Seller;
    /// The buyer accepts the seller's proposal (R-E7: final).
    AcceptOffer = "accept_offer", Buyer;
    /// The buyer rejects the seller's proposal.
    RejectOffer = "reject_offer", Buyer;
    /// The buyer changes the claim (R-L3, 003).
    ModifyClaim = "modify_claim", Buyer;
    /// A party adds evidence (R-V1).
    AddEvidence = "add_evidence", Buyer | Seller;
    /// The buyer takes the dispute to the platform (R-L3, 002, 003).
    Escalate = "escalate", Buyer;
    /// The buyer ships the goods back.
    ShipReturn = "ship_return", Buyer;
    /// The seller confirms the return arrived (R-S3: the refund follows).
    ConfirmReturnReceived = "confirm_return_received", Seller;
    /// The platform decides (R-L4).
    Decide = "decide", Platform;
    /// A party appeals the decision (R-L5).
    Appeal = "appeal", Buyer | Seller;
    /// The platform's binding ruling on an appeal (R-L5).
    FinalRuling = "final_ruling", Platform;
    /// The buyer or the platform cancels the dispute (R-E8).
    Cancel = "cancel", Buyer | Platform;
    /// The buyer reopens a cancelled dispute (R-E8).
    Reopen = "reopen", Buyer;
    /// A window ran out (recorded by `advance`).
    Timeout = "timeout", Clock;
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`EventKind`]s (a bit mask: no allocation). Serializes as a
/// list of names in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EventKinds(u32);

impl EventKinds {
    /// The empty set.
    pub const EMPTY: EventKinds = EventKinds(0);

    /// Adds a kind.
    pub fn insert(&mut self, kind: EventKind) {
        self.0 |= 1 << (kind as u8);
    }

    /// Whether the set holds `kind`.
    pub const fn contains(self, kind: EventKind) -> bool {
        self.0 & (1 << (kind as u8)) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of kinds in the set.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The kinds, in lifecycle order.
    pub fn iter(self) -> impl Iterator<Item = EventKind> {
        EventKind::ALL
            .iter()
            .copied()
            .filter(move |k| self.contains(*k))
    }
}

impl FromIterator<EventKind> for EventKinds {
    fn from_iter<I: IntoIterator<Item = EventKind>>(iter: I) -> Self {
        let mut s = EventKinds::EMPTY;
        for k in iter {
            s.insert(k);
        }
        s
    }
}

impl Serialize for EventKinds {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// The buyer's claim: why, what solution, and how much (kept simple here;
/// R-R1..R-R15, R-S1, C-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    /// The reason code.
    pub reason: Reason,
    /// Refund only, or return and refund (R-S1).
    pub solution: Solution,
    /// The refund asked for (C-4: at most the line's refund cap).
    pub refund: Money,
}

impl ClaimRequest {
    /// What the claim asks, for the claim check (no refund type: read from
    /// the amount).
    pub(crate) const fn ask(self) -> crate::reasons::Ask {
        crate::reasons::Ask {
            reason: self.reason,
            solution: self.solution,
            refund: self.refund,
            refund_type: None,
        }
    }
}

/// A proposal on the table: the seller's counter-offer (R-L3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// Refund only, or return and refund (R-S1).
    pub solution: Solution,
    /// The refund offered (C-4: at most the cap).
    pub refund: Money,
}

/// A platform decision or ruling (R-L4, R-L5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ruling {
    /// The refund granted (zero: none, R-O5; C-4: at most the cap).
    pub refund: Money,
    /// Whether the goods must be returned first (R-O2, R-O3).
    pub return_goods: bool,
}

/// What an event does, with its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Open the dispute with a claim.
    Open {
        /// The claim.
        claim: ClaimRequest,
    },
    /// The seller accepts the claim.
    Accept,
    /// The seller refuses the claim.
    Refuse,
    /// The seller proposes other terms.
    CounterOffer {
        /// The proposal.
        offer: Proposal,
    },
    /// The buyer accepts the proposal on the table.
    AcceptOffer,
    /// The buyer rejects the proposal on the table.
    RejectOffer,
    /// The buyer changes the claim.
    ModifyClaim {
        /// The new claim.
        claim: ClaimRequest,
    },
    /// A party adds evidence.
    AddEvidence,
    /// The buyer escalates to the platform.
    Escalate,
    /// The buyer ships the return.
    ShipReturn,
    /// The seller confirms the return arrived.
    ConfirmReturnReceived,
    /// The platform decides.
    Decide {
        /// The decision.
        ruling: Ruling,
    },
    /// A party appeals.
    Appeal,
    /// The platform's final ruling.
    FinalRuling {
        /// The ruling.
        ruling: Ruling,
    },
    /// Cancel the dispute.
    Cancel,
    /// Reopen a cancelled dispute, with a new claim or the last one.
    Reopen {
        /// The new claim (`None`: the last claim).
        claim: Option<ClaimRequest>,
    },
    /// A window ran out.
    Timeout {
        /// Which one.
        deadline: DeadlineKind,
    },
}

impl Action {
    /// The kind of the action.
    pub const fn kind(&self) -> EventKind {
        match self {
            Action::Open { .. } => EventKind::Open,
            Action::Accept => EventKind::Accept,
            Action::Refuse => EventKind::Refuse,
            Action::CounterOffer { .. } => EventKind::CounterOffer,
            Action::AcceptOffer => EventKind::AcceptOffer,
            Action::RejectOffer => EventKind::RejectOffer,
            Action::ModifyClaim { .. } => EventKind::ModifyClaim,
            Action::AddEvidence => EventKind::AddEvidence,
            Action::Escalate => EventKind::Escalate,
            Action::ShipReturn => EventKind::ShipReturn,
            Action::ConfirmReturnReceived => EventKind::ConfirmReturnReceived,
            Action::Decide { .. } => EventKind::Decide,
            Action::Appeal => EventKind::Appeal,
            Action::FinalRuling { .. } => EventKind::FinalRuling,
            Action::Cancel => EventKind::Cancel,
            Action::Reopen { .. } => EventKind::Reopen,
            Action::Timeout { .. } => EventKind::Timeout,
        }
    }
}

/// One lifecycle event: who did what, when.
///
/// In JSON, flat: `{"at": "2026-03-21T10:00:00Z", "actor": "seller",
/// "kind": "counter_offer", "offer": {"solution": "refund_only", "refund":
/// {"amount": "10", "currency": "USD"}}}`. The data fields are `claim`
/// (`open`, `modify_claim`, optional for `reopen`), `offer`
/// (`counter_offer`), `ruling` (`decide`, `final_ruling`) and `deadline`
/// (`timeout`); any other is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EventWire", into = "EventWire")]
pub struct Event {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: Actor,
    /// What was done.
    pub action: Action,
}

impl Event {
    /// An event.
    pub const fn new(at: DateTime<Utc>, actor: Actor, action: Action) -> Event {
        Event { at, actor, action }
    }

    /// The kind of the event.
    pub const fn kind(&self) -> EventKind {
        self.action.kind()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventWire {
    at: DateTime<Utc>,
    actor: Actor,
    kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim: Option<ClaimRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offer: Option<Proposal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ruling: Option<Ruling>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deadline: Option<DeadlineKind>,
}

impl From<Event> for EventWire {
    fn from(e: Event) -> Self {
        let mut w = EventWire {
            at: e.at,
            actor: e.actor,
            kind: e.kind(),
            claim: None,
            offer: None,
            ruling: None,
            deadline: None,
        };
        match e.action {
            Action::Open { claim } | Action::ModifyClaim { claim } => w.claim = Some(claim),
            Action::Reopen { claim } => w.claim = claim,
            Action::CounterOffer { offer } => w.offer = Some(offer),
            Action::Decide { ruling } | Action::FinalRuling { ruling } => w.ruling = Some(ruling),
            Action::Timeout { deadline } => w.deadline = Some(deadline),
            _ => {}
        }
        w
    }
}

impl TryFrom<EventWire> for Event {
    type Error = String;

    fn try_from(w: EventWire) -> Result<Self, String> {
        let kind = w.kind;
        let need = |field: &str| format!("`{kind}` needs `{field}`");
        let action = match kind {
            EventKind::Open => Action::Open {
                claim: w.claim.ok_or_else(|| need("claim"))?,
            },
            EventKind::ModifyClaim => Action::ModifyClaim {
                claim: w.claim.ok_or_else(|| need("claim"))?,
            },
            EventKind::Reopen => Action::Reopen { claim: w.claim },
            EventKind::CounterOffer => Action::CounterOffer {
                offer: w.offer.ok_or_else(|| need("offer"))?,
            },
            EventKind::Decide => Action::Decide {
                ruling: w.ruling.ok_or_else(|| need("ruling"))?,
            },
            EventKind::FinalRuling => Action::FinalRuling {
                ruling: w.ruling.ok_or_else(|| need("ruling"))?,
            },
            EventKind::Timeout => Action::Timeout {
                deadline: w.deadline.ok_or_else(|| need("deadline"))?,
            },
            EventKind::Accept => Action::Accept,
            EventKind::Refuse => Action::Refuse,
            EventKind::AcceptOffer => Action::AcceptOffer,
            EventKind::RejectOffer => Action::RejectOffer,
            EventKind::AddEvidence => Action::AddEvidence,
            EventKind::Escalate => Action::Escalate,
            EventKind::ShipReturn => Action::ShipReturn,
            EventKind::ConfirmReturnReceived => Action::ConfirmReturnReceived,
            EventKind::Appeal => Action::Appeal,
            EventKind::Cancel => Action::Cancel,
        };
        // Refuse data the kind does not take, rather than ignore it.
        let event = Event {
            at: w.at,
            actor: w.actor,
            action,
        };
        let canonical = EventWire::from(event);
        let extra = [
            ("claim", w.claim.is_some() && canonical.claim.is_none()),
            ("offer", w.offer.is_some() && canonical.offer.is_none()),
            ("ruling", w.ruling.is_some() && canonical.ruling.is_none()),
            (
                "deadline",
                w.deadline.is_some() && canonical.deadline.is_none(),
            ),
        ];
        if let Some((field, _)) = extra.iter().find(|(_, bad)| *bad) {
            return Err(format!("`{kind}` takes no `{field}`"));
        }
        Ok(event)
    }
}

/// On what grounds the terms of a settlement were set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// The seller accepted the buyer's claim (agreement, R-E7).
    SellerAccepted,
    /// The buyer accepted the seller's proposal (agreement, R-E7).
    OfferAccepted,
    /// The seller did not answer in time (R-L2).
    SellerSilent,
    /// The platform's decision became final (R-L4, R-L5).
    Decision,
    /// The platform's final ruling on an appeal (R-L5).
    FinalRuling,
}

impl Basis {
    /// Whether the parties agreed (R-E7: final, never reopened).
    pub const fn by_agreement(self) -> bool {
        matches!(self, Basis::SellerAccepted | Basis::OfferAccepted)
    }

    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Basis::SellerAccepted => "seller_accepted",
            Basis::OfferAccepted => "offer_accepted",
            Basis::SellerSilent => "seller_silent",
            Basis::Decision => "decision",
            Basis::FinalRuling => "final_ruling",
        }
    }
}

/// Settled terms: the refund, whether the goods go back, and on what grounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// The refund due (C-4: never above the cap).
    pub refund: Money,
    /// Whether the goods are returned first (R-S1, R-S3).
    pub return_goods: bool,
    /// On what grounds.
    pub basis: Basis,
}

/// How a resolved dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum End {
    /// The settlement was carried out (no return needed).
    Settled,
    /// The seller confirmed the return; the refund follows (R-S3).
    ReturnReceived,
    /// The buyer did not ship the return in time: no refund (appendix).
    ReturnNotShipped,
    /// The seller did not confirm the return in time: refunded (R-S3).
    ReturnNotConfirmed,
    /// The platform's final ruling on an appeal ended it (R-L5; no return
    /// needed).
    FinalRuling,
}

/// Why a dispute is closed for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClosedReason {
    /// It was cancelled with no reopen left (R-E8).
    ReopenLimit,
    /// It was cancelled and the protection window closed (R-E8, appendix).
    WindowClosed,
}

/// Where a dispute stands. In JSON, tagged by `name`; instants are UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum State {
    /// Waiting for the seller's first answer (R-L1).
    AwaitingSeller {
        /// End of the seller's response window (R-L1, R-L2).
        due: DateTime<Utc>,
    },
    /// An agreement on a refund without return (the seller accepted the
    /// claim, or the buyer accepted the seller's proposal): final (R-E7);
    /// the refund is being paid (R-L6).
    SellerAccepted {
        /// The agreed terms.
        settlement: Settlement,
        /// The refund is due by then; the dispute then closes (R-L6).
        refund_due: DateTime<Utc>,
    },
    /// The parties negotiate (R-L3).
    Negotiating {
        /// Whose turn it is.
        turn: Party,
        /// The seller's proposal on the table, if any.
        offer: Option<Proposal>,
        /// Counter-offers made so far (R-L3).
        rounds: u32,
        /// End of the current turn (R-L3).
        turn_due: DateTime<Utc>,
        /// Automatic escalation without agreement (appendix).
        escalation_due: DateTime<Utc>,
    },
    /// Waiting for the buyer to ship the return (appendix: 10 days).
    AwaitingReturnShipment {
        /// The settled terms.
        settlement: Settlement,
        /// Ship by then, or the money goes to the seller.
        due: DateTime<Utc>,
    },
    /// Waiting for the seller to confirm receipt of the return (R-S3).
    AwaitingReturnReceipt {
        /// The settled terms.
        settlement: Settlement,
        /// Confirm by then.
        due: DateTime<Utc>,
    },
    /// The platform reviews the dispute (R-L4).
    UnderReview {
        /// The platform aims to decide by then (a target, R-L4).
        decision_due: DateTime<Utc>,
    },
    /// The platform decided; the decision can be appealed (R-L5).
    Decided {
        /// The decision.
        decision: Ruling,
        /// Appeals are possible until then (exclusive).
        appealable_until: DateTime<Utc>,
        /// The buyer added evidence since the decision (R-L5).
        buyer_evidence: bool,
        /// The seller added evidence since the decision (R-L5).
        seller_evidence: bool,
    },
    /// A party appealed; the platform rules (R-L5).
    Appealed {
        /// The decision under appeal.
        decision: Ruling,
        /// Who appealed.
        by: Party,
        /// The platform aims to rule by then (`final_ruling_ends_appeal`:
        /// a target only; otherwise, without a ruling, the decision stands).
        ruling_due: DateTime<Utc>,
    },
    /// Closed with an outcome (terminal).
    Resolved {
        /// The settled terms.
        settlement: Settlement,
        /// The refund actually due to the buyer.
        refund: Money,
        /// How it ended.
        end: End,
        /// By when the refund is paid (R-L6), when there is one.
        refund_due: Option<DateTime<Utc>>,
    },
    /// Cancelled by the buyer or the platform; can be reopened (R-E8).
    Cancelled {
        /// Reopening is possible until then (the protection window).
        reopenable_until: DateTime<Utc>,
    },
    /// Closed for good, without outcome (terminal).
    ClosedForGood {
        /// Why.
        reason: ClosedReason,
    },
}

impl State {
    /// The stable snake_case name.
    pub const fn name(&self) -> &'static str {
        match self {
            State::AwaitingSeller { .. } => "awaiting_seller",
            State::SellerAccepted { .. } => "seller_accepted",
            State::Negotiating { .. } => "negotiating",
            State::AwaitingReturnShipment { .. } => "awaiting_return_shipment",
            State::AwaitingReturnReceipt { .. } => "awaiting_return_receipt",
            State::UnderReview { .. } => "under_review",
            State::Decided { .. } => "decided",
            State::Appealed { .. } => "appealed",
            State::Resolved { .. } => "resolved",
            State::Cancelled { .. } => "cancelled",
            State::ClosedForGood { .. } => "closed_for_good",
        }
    }

    /// Whether no event can change the state any more.
    pub const fn is_terminal(&self) -> bool {
        matches!(self, State::Resolved { .. } | State::ClosedForGood { .. })
    }

    /// The marketplace open-API issue status of the state (appendix), where
    /// one exists.
    pub const fn api_status(&self) -> Option<&'static str> {
        match self {
            State::AwaitingSeller { .. }
            | State::Negotiating {
                turn: Party::Seller,
                ..
            } => Some("WAIT_SELLER_CONFIRM_REFUND"),
            State::Negotiating {
                turn: Party::Buyer, ..
            } => Some("SELLER_REFUSE_REFUND"),
            State::SellerAccepted { .. } => Some("ACCEPTISSUE"),
            State::AwaitingReturnShipment { .. } => Some("WAIT_BUYER_SEND_GOODS"),
            State::AwaitingReturnReceipt { .. } => Some("WAIT_SELLER_RECEIVE_GOODS"),
            State::UnderReview { .. } | State::Decided { .. } | State::Appealed { .. } => {
                Some("ARBITRATING")
            }
            State::Resolved { settlement, .. } => match settlement.basis {
                Basis::SellerSilent => Some("SELLER_RESPONSE_ISSUE_TIMEOUT"),
                Basis::SellerAccepted | Basis::OfferAccepted => Some("ACCEPTISSUE"),
                Basis::Decision | Basis::FinalRuling => None,
            },
            State::Cancelled { .. } | State::ClosedForGood { .. } => None,
        }
    }

    /// The rules that govern the state.
    pub(crate) const fn rule(&self) -> Rule {
        match self {
            State::AwaitingSeller { .. } => Rule::L1,
            State::SellerAccepted { .. } => Rule::E7,
            State::Negotiating { .. } => Rule::L3,
            State::AwaitingReturnShipment { .. } => Rule::S1,
            State::AwaitingReturnReceipt { .. } => Rule::S3,
            State::UnderReview { .. } => Rule::L4,
            State::Decided { .. } | State::Appealed { .. } => Rule::L5,
            State::Resolved { settlement, .. } => match settlement.basis {
                Basis::SellerAccepted | Basis::OfferAccepted => Rule::E7,
                Basis::SellerSilent => Rule::L2,
                Basis::Decision => Rule::L4,
                Basis::FinalRuling => Rule::L5,
            },
            State::Cancelled { .. } | State::ClosedForGood { .. } => Rule::E8,
        }
    }
}

/// A deadline of the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeadlineKind {
    /// The seller's response window (R-L1, R-L2).
    SellerResponse,
    /// The agreed refund is due (R-L6).
    RefundDue,
    /// The current negotiation turn (R-L3).
    TurnLapse,
    /// Escalation without agreement (appendix).
    NoAgreement,
    /// The buyer's return shipment (appendix).
    ReturnShipment,
    /// The seller's confirmation of the return (R-S3).
    ReturnReceipt,
    /// The platform's decision target (R-L4; nothing automatic).
    DecisionDue,
    /// The appeal window (R-L5).
    AppealWindow,
    /// The platform's ruling on an appeal (R-L5).
    AppealRuling,
    /// The window to reopen a cancelled dispute (R-E8).
    ReopenWindow,
}

impl DeadlineKind {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::SellerResponse => "seller_response",
            DeadlineKind::RefundDue => "refund_due",
            DeadlineKind::TurnLapse => "turn_lapse",
            DeadlineKind::NoAgreement => "no_agreement",
            DeadlineKind::ReturnShipment => "return_shipment",
            DeadlineKind::ReturnReceipt => "return_receipt",
            DeadlineKind::DecisionDue => "decision_due",
            DeadlineKind::AppealWindow => "appeal_window",
            DeadlineKind::AppealRuling => "appeal_ruling",
            DeadlineKind::ReopenWindow => "reopen_window",
        }
    }

    /// Whether the clock acts when it passes under `policy` (`false`: a
    /// target only): never for the decision target (R-L4), and for the
    /// appeal ruling only when `final_ruling_ends_appeal` is off (R-L5).
    pub const fn automatic(self, policy: &LifecyclePolicy) -> bool {
        match self {
            DeadlineKind::DecisionDue => false,
            DeadlineKind::AppealRuling => !policy.final_ruling_ends_appeal,
            _ => true,
        }
    }

    /// The rule that sets it.
    pub const fn rule(self) -> Rule {
        match self {
            DeadlineKind::SellerResponse => Rule::L1,
            DeadlineKind::RefundDue => Rule::L6,
            DeadlineKind::TurnLapse | DeadlineKind::NoAgreement => Rule::L3,
            DeadlineKind::ReturnShipment => Rule::S1,
            DeadlineKind::ReturnReceipt => Rule::S3,
            DeadlineKind::DecisionDue => Rule::L4,
            DeadlineKind::AppealWindow | DeadlineKind::AppealRuling => Rule::L5,
            DeadlineKind::ReopenWindow => Rule::E8,
        }
    }
}

impl fmt::Display for DeadlineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The next deadline of a dispute and what happens when it passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Deadline {
    /// When (exclusive: an action at this instant is too late, C-1).
    pub at: Moment,
    /// Which deadline.
    pub kind: DeadlineKind,
    /// Whether [`Dispute::advance`](super::Dispute::advance) acts on it
    /// (`false`: a target for the platform, nothing happens by itself).
    pub automatic: bool,
    /// What happens then, in plain English.
    pub effect: &'static str,
    /// The rule that sets it.
    pub rule: Rule,
}

/// The order line a dispute is about, as known when it opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The marketplace's order id.
    pub order_id: String,
    /// The product line (C-3).
    pub line_id: String,
    /// C-4: price plus shipping, less the coupon; no refund exceeds it.
    pub refund_cap: Money,
    /// R-L6: where refunds go; R-L7: whether a chargeback is possible.
    pub payment_method: PaymentMethod,
    /// R-E8: reopening is possible until then: the dispute window's end.
    /// A line never shipped (a refund owed after a cancellation, R-R15) has
    /// no window: 9999-12-31T23:59:59Z, only the reopen limit applies.
    pub reopenable_until: DateTime<Utc>,
    /// Whether receipt was confirmed (the window then ends R-E3's way,
    /// otherwise R-E4's).
    pub receipt_confirmed: bool,
    /// R-E8: cancelled disputes on the line before this one (this one is
    /// reopen number `earlier_cancellations`).
    pub earlier_cancellations: u32,
    /// R-R15: whether the order was cancelled (a claim that the seller did
    /// not refund a cancellation needs one).
    pub order_cancelled: bool,
}

impl Line {
    /// The R-E9 code for a reopen after the window closed.
    pub const fn window_code(&self) -> Ineligible {
        if self.receipt_confirmed {
            Ineligible::ConfirmationWindowPassed
        } else {
            Ineligible::ConfirmationTimeout
        }
    }
}

/// Why an event was refused: a stable code, found in
/// [`TransitionError::code`](crate::error::TransitionError::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// The dispute is closed (terminal states absorb every event).
    Closed,
    /// The instant lies outside years 1970-9999.
    TimeOutOfRange,
    /// The event is earlier than the last one.
    TimeRunsBackwards,
    /// This actor never makes this kind of event.
    ActorNotPermitted,
    /// The current window has ended; `advance` first.
    DeadlinePassed,
    /// The state does not take this kind of event.
    NotInThisState,
    /// It is the other party's turn (R-L3).
    NotYourTurn,
    /// No proposal is on the table (R-L3).
    NoOffer,
    /// No counter-offer left (R-L3).
    RoundLimitReached,
    /// The buyer may not escalate yet (appendix, legacy).
    EscalationTooEarly,
    /// An appeal needs new evidence from the appellant (R-L5).
    NoNewEvidence,
    /// No automatic deadline has passed at this instant (or not this one).
    NotDue,
    /// An R-E9 ineligibility.
    Ineligible(Ineligible),
}

impl Refusal {
    /// The stable code.
    pub const fn code(self) -> &'static str {
        match self {
            Refusal::Closed => "dispute_closed",
            Refusal::TimeOutOfRange => "time_out_of_range",
            Refusal::TimeRunsBackwards => "time_runs_backwards",
            Refusal::ActorNotPermitted => "actor_not_permitted",
            Refusal::DeadlinePassed => "deadline_passed",
            Refusal::NotInThisState => "not_in_this_state",
            Refusal::NotYourTurn => "not_your_turn",
            Refusal::NoOffer => "no_offer",
            Refusal::RoundLimitReached => "round_limit_reached",
            Refusal::EscalationTooEarly => "escalation_too_early",
            Refusal::NoNewEvidence => "no_new_evidence",
            Refusal::NotDue => "not_due",
            Refusal::Ineligible(i) => i.code(),
        }
    }

    /// A plain-English sentence.
    pub const fn describe(self) -> &'static str {
        match self {
            Refusal::Closed => "the dispute is closed; nothing can change it",
            Refusal::TimeOutOfRange => "the instant lies outside the years 1970-9999",
            Refusal::TimeRunsBackwards => "the event is earlier than the last event of the dispute",
            Refusal::ActorNotPermitted => "this party never makes this kind of event",
            Refusal::DeadlinePassed => {
                "the current window has ended; advance the dispute to that moment first"
            }
            Refusal::NotInThisState => "the dispute's state does not take this event",
            Refusal::NotYourTurn => "it is the other party's turn (R-L3)",
            Refusal::NoOffer => "no proposal is on the table (R-L3)",
            Refusal::RoundLimitReached => "no counter-offer is left in this negotiation (R-L3)",
            Refusal::EscalationTooEarly => "the buyer may not escalate yet",
            Refusal::NoNewEvidence => {
                "an appeal needs new evidence from the appellant, added after the decision (R-L5)"
            }
            Refusal::NotDue => "no such window has ended at this instant",
            Refusal::Ineligible(i) => i.describe(),
        }
    }
}

/// Where a refund goes (R-L6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RefundDestination {
    /// Back to the original payment method.
    OriginalPaymentMethod,
    /// To an Alipay account (cash payments, Western Union, TT, bank or wire
    /// transfer).
    AlipayAccount,
}

impl RefundDestination {
    /// R-L6: the destination for a payment method.
    pub const fn for_method(m: PaymentMethod) -> RefundDestination {
        if m.refunds_to_alipay() {
            RefundDestination::AlipayAccount
        } else {
            RefundDestination::OriginalPaymentMethod
        }
    }
}
