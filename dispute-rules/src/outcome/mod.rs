//! Likely outcomes (R-O1..R-O6): what will probably happen to a dispute, how
//! sure that is, and which facts moved it.
//!
//! [`predict`] scores four outcomes, a full refund (R-O1), a full refund
//! with return (R-O2: the seller pays the return shipping; R-O3: the buyer
//! does), a partial refund (R-O4) and no refund (R-O5), with the integer
//! points table of [`OutcomePolicy`]: the reason, the evidence, what tracking
//! shows, the seller's behaviour, timeliness, what the buyer reports and the
//! value at stake (R-O6). The answer gives every outcome with an exact
//! refund (capped, C-4) and a likelihood in integer percent (the four add up
//! to 100), a confidence level, the factors that moved it (each with its
//! rule id and points), and the open API's `issueRefundType` and
//! `isReturnGoods`.
//!
//! The model is deterministic and contains no floating point: the same
//! facts and policy give the same answer, byte for byte.
//!
//! ```
//! use dispute_rules::outcome::{self, OutcomeKind};
//! use dispute_rules::reasons::{BuyerReport, Claim, Reason, Solution};
//! use dispute_rules::{Explain, Money, OrderFacts, Policy};
//!
//! // 003: 18 parts ordered, 17 arrived.
//! let mut facts = OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
//! facts.unit_price = Money::parse("5.00", "USD").unwrap();
//! facts.quantity = 18;
//! let report = BuyerReport::new().with_received(true).with_units_received(17);
//! let claim = Claim::new(
//!     Reason::ReceivedQuantityShortage,
//!     Solution::RefundOnly,
//!     Money::parse("90.00", "USD").unwrap(),
//! );
//! let now = "2026-03-20T12:00:00Z".parse().unwrap();
//! let case = outcome::Case::new(&facts).report(&report).claim(Some(&claim));
//! let p = outcome::predict(&case, &Policy::aliexpress(), now, Explain::No).unwrap();
//! // R-O4: a partial refund of the missing unit, not the 90.00 asked.
//! assert_eq!(p.likely.kind, OutcomeKind::PartialRefund);
//! assert_eq!(p.likely.refund.to_string(), "5.00 USD");
//! assert_eq!(p.outcomes.iter().map(|o| o.likelihood_percent).sum::<u32>(), 100);
//! ```

mod policy;
mod predict;

pub use policy::{
    ConfidencePolicy, Decisive, EvidenceBand, OutcomePolicy, ReasonOutcome, ReportWeights,
    SellerWeights, ShortagePolicy, TimelinessWeights, TrackingWeights, ValueBand, Weights,
    MAX_WEIGHT,
};

pub use predict::{predict, predict_checked};
pub(crate) use predict::{predict_with, Known};

use crate::eligibility::Ineligible;
use crate::error::Error;
#[cfg(doc)]
use crate::explain::Explain;
use crate::explain::Explanation;
use crate::facts::OrderFacts;
use crate::money::Money;
use crate::reasons::{BuyerReport, Claim, Payer, Reason};
use crate::rules::{Rule, RuleSet};
use serde::{Deserialize, Serialize, Serializer};

/// The four outcomes of a dispute (R-O1..R-O5), with stable codes and
/// numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum OutcomeKind {
    /// R-O1: the full amount (C-4), the buyer keeps whatever arrived.
    FullRefund = 1,
    /// R-O2, R-O3: the full amount once the goods are returned (R-S3).
    FullRefundWithReturn = 2,
    /// R-O4: part of the amount, the buyer keeps the goods.
    PartialRefund = 3,
    /// R-O5: nothing.
    NoRefund = 4,
}

impl OutcomeKind {
    /// Every outcome, in tie-breaking order.
    pub const ALL: [OutcomeKind; 4] = [
        OutcomeKind::FullRefund,
        OutcomeKind::FullRefundWithReturn,
        OutcomeKind::PartialRefund,
        OutcomeKind::NoRefund,
    ];

    /// The stable snake_case code.
    pub const fn code(self) -> &'static str {
        match self {
            OutcomeKind::FullRefund => "full_refund",
            OutcomeKind::FullRefundWithReturn => "full_refund_with_return",
            OutcomeKind::PartialRefund => "partial_refund",
            OutcomeKind::NoRefund => "no_refund",
        }
    }

    /// The stable number (for C).
    pub const fn number(self) -> u32 {
        self as u32
    }

    /// Whether the buyer gets money back.
    pub const fn is_refund(self) -> bool {
        !matches!(self, OutcomeKind::NoRefund)
    }

    /// The open API's `issueRefundType` (appendix).
    pub const fn open_api_issue_refund_type(self) -> &'static str {
        match self {
            OutcomeKind::FullRefund | OutcomeKind::FullRefundWithReturn => "full_amount_refund",
            OutcomeKind::PartialRefund => "part_amount_refund",
            OutcomeKind::NoRefund => "no_amount_refund",
        }
    }

    /// The open API's `isReturnGoods` (appendix): `Y` or `N`.
    pub const fn open_api_is_return_goods(self) -> &'static str {
        match self {
            OutcomeKind::FullRefundWithReturn => "Y",
            _ => "N",
        }
    }

    /// Plain English.
    pub const fn describe(self) -> &'static str {
        match self {
            OutcomeKind::FullRefund => "a full refund",
            OutcomeKind::FullRefundWithReturn => "a full refund once the goods are returned",
            OutcomeKind::PartialRefund => "a partial refund",
            OutcomeKind::NoRefund => "no refund",
        }
    }

    pub(crate) const fn index(self) -> usize {
        (self as u32 as usize).saturating_sub(1)
    }
}

impl std::fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What the seller has done so far, the dispute's state as far as the
/// outcome cares. In JSON, tagged by `status`: `{"status": "silent"}`,
/// `{"status": "counter_offered", "amount": {"amount": "3.00", "currency":
/// "USD"}, "return_goods": false}`.
///
/// A lifecycle maps its states onto it: waiting for the seller inside the
/// response window, `unknown`; the window ran out (R-L2), `silent`; the
/// seller accepted the claim (R-E7), `accepted`; the seller refused, or the
/// dispute went to the platform after a refusal, `refused`; a proposal on
/// the table (R-L3), `counter_offered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    tag = "status",
    rename_all = "snake_case",
    try_from = "RawSellerBehaviour"
)]
#[non_exhaustive]
pub enum SellerBehaviour {
    /// No dispute yet, or the seller's window is still running.
    #[default]
    Unknown,
    /// The seller let the response window pass (R-L1, R-L2).
    Silent,
    /// The seller accepted the claim as asked.
    Accepted,
    /// The seller refused the claim (R-L3).
    Refused,
    /// The seller proposed something else (R-L3).
    CounterOffered {
        /// The refund offered (C-4: at most the cap; zero offers nothing).
        amount: Money,
        /// Whether the offer asks for the goods back.
        #[serde(default)]
        return_goods: bool,
    },
}

/// The JSON form, read strictly: serde lets the unit variants of a tagged
/// enum ignore unknown fields, this does not.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSellerBehaviour {
    status: SellerStatus,
    #[serde(default)]
    amount: Option<Money>,
    #[serde(default)]
    return_goods: Option<bool>,
}

#[derive(Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum SellerStatus {
    Unknown,
    Silent,
    Accepted,
    Refused,
    CounterOffered,
}

impl TryFrom<RawSellerBehaviour> for SellerBehaviour {
    type Error = String;

    fn try_from(r: RawSellerBehaviour) -> Result<Self, String> {
        let offer = r.status == SellerStatus::CounterOffered;
        if !offer && (r.amount.is_some() || r.return_goods.is_some()) {
            return Err("`amount` and `return_goods` go only with `counter_offered`".into());
        }
        Ok(match r.status {
            SellerStatus::Unknown => SellerBehaviour::Unknown,
            SellerStatus::Silent => SellerBehaviour::Silent,
            SellerStatus::Accepted => SellerBehaviour::Accepted,
            SellerStatus::Refused => SellerBehaviour::Refused,
            SellerStatus::CounterOffered => SellerBehaviour::CounterOffered {
                amount: r
                    .amount
                    .ok_or("`counter_offered` needs `amount`, the refund offered")?,
                return_goods: r.return_goods.unwrap_or(false),
            },
        })
    }
}

impl SellerBehaviour {
    /// The stable snake_case code.
    pub const fn code(&self) -> &'static str {
        match self {
            SellerBehaviour::Unknown => "unknown",
            SellerBehaviour::Silent => "silent",
            SellerBehaviour::Accepted => "accepted",
            SellerBehaviour::Refused => "refused",
            SellerBehaviour::CounterOffered { .. } => "counter_offered",
        }
    }

    /// Parses a behaviour from JSON; errors name the field (no prefix).
    pub fn from_json(json: &str) -> Result<SellerBehaviour, Error> {
        crate::error::from_json(json, Error::InvalidRequest)
    }
}

/// Whether the dispute is (or would be) filed in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Timeliness {
    /// Inside the window (or the open dispute was filed inside it).
    InTime,
    /// The window has not opened yet (R-E1): the prediction is for a
    /// dispute filed once it does.
    NotYet,
    /// Past the deadline (R-E3, R-E4; R-O5).
    Late,
    /// No dispute can be opened at all (R-E9: refund complete, closed by
    /// agreement, reopen limit).
    Barred,
}

/// How sure the prediction is, from the margin between the two likeliest
/// outcomes (thresholds in the policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Confidence {
    /// A close call.
    Low,
    /// A clear favourite.
    Medium,
    /// A clear favourite by a wide margin, or decided by a rule.
    High,
}

/// Points per outcome (a factor's contribution, or a total). In JSON, keyed
/// by the outcome codes: `{"full_refund": 10, "full_refund_with_return": 0,
/// "partial_refund": 75, "no_refund": 15}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Points([i32; 4]);

impl Points {
    /// The points of one outcome.
    pub fn get(&self, kind: OutcomeKind) -> i32 {
        self.0.get(kind.index()).copied().unwrap_or(0)
    }

    pub(crate) fn add(&mut self, kind: OutcomeKind, v: i32) {
        if let Some(x) = self.0.get_mut(kind.index()) {
            *x = x.saturating_add(v);
        }
    }

    pub(crate) fn add_all(&mut self, other: &Points) {
        for k in OutcomeKind::ALL {
            self.add(k, other.get(k));
        }
    }

    /// Whether every outcome has zero points.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }

    /// A row of weights resolved for a case: `requested` goes to the
    /// requested outcome.
    pub(crate) fn resolve(w: &Weights, requested: Option<OutcomeKind>) -> Points {
        let mut p = Points([w.full, w.with_return, w.partial, w.none]);
        if let Some(k) = requested {
            p.add(k, w.requested);
        }
        p
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(4))?;
        for k in OutcomeKind::ALL {
            m.serialize_entry(k.code(), &self.get(k))?;
        }
        m.end()
    }
}

macro_rules! factor_ids {
    ($( $(#[$doc:meta])* $v:ident = $code:literal, $rule:ident, $text:literal; )+) => {
        /// What moved a prediction: one row of the [`OutcomePolicy`] table
        /// (or a decisive fact). Stable string codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum FactorId {
            $( $(#[$doc])* $v ),+
        }

        impl FactorId {
            /// Every factor, in the order they are applied.
            pub const ALL: &'static [FactorId] = &[$(FactorId::$v),+];

            /// The stable code, like `tracking.delivered_no_proof`.
            pub const fn code(self) -> &'static str {
                match self { $(FactorId::$v => $code),+ }
            }

            /// The rule behind it.
            pub const fn rule(self) -> Rule {
                match self { $(FactorId::$v => Rule::$rule),+ }
            }

            /// What it means, in plain English.
            pub const fn describe(self) -> &'static str {
                match self { $(FactorId::$v => $text),+ }
            }

            /// Parses a code.
            pub fn from_code(code: &str) -> Option<FactorId> {
                match code { $($code => Some(FactorId::$v),)+ _ => None }
            }
        }
    };
}

factor_ids! {
    /// `by_reason`: the reason's starting points (R-O1..R-O5; the rule of
    /// the outcome they favour is reported).
    Reason = "reason", O6,
        "the reason sets the starting points (R-O1..R-O5)";
    /// `evidence_bands`: how complete the evidence is (R-V1).
    Evidence = "evidence", V1,
        "how complete the evidence is, by the reason's checklist (R-V1)";
    /// `tracking.none` (R-R3).
    TrackingNone = "tracking.none", R3,
        "there is no tracking information: the seller cannot show the shipment";
    /// `tracking.in_transit` (R-R1).
    TrackingInTransit = "tracking.in_transit", R1,
        "tracking shows the package still moving: the platform tends to wait";
    /// `tracking.stalled` (R-R1).
    TrackingStalled = "tracking.stalled", R1,
        "tracking has stopped moving";
    /// `tracking.customs_hold` (R-R4, R-O4).
    TrackingCustomsHold = "tracking.customs_hold", O4,
        "held by customs: a delay outside the seller's control (R-O4)";
    /// `tracking.returned_to_sender` (R-R2).
    TrackingReturnedToSender = "tracking.returned_to_sender", R2,
        "tracking shows the package returned to the sender";
    /// `tracking.delivered_wrong_address` (R-R5).
    TrackingDeliveredWrongAddress = "tracking.delivered_wrong_address", R5,
        "tracking shows delivery to another address";
    /// `tracking.delivered_no_proof` (R-O5).
    TrackingDeliveredNoProof = "tracking.delivered_no_proof", O5,
        "tracking confirms delivery to the buyer's address and the buyer has no proof otherwise (R-O5)";
    /// `tracking.delivered_with_proof` (R-V1).
    TrackingDeliveredWithProof = "tracking.delivered_with_proof", V1,
        "tracking says delivered, but the buyer has proof that nothing came (R-V1)";
    /// `seller.silent`, or decisive (`lifecycle.seller_silent` is
    /// `resolve_as_requested`, R-L2).
    SellerSilent = "seller.silent", L2,
        "the seller ignored the dispute: the response window passed (R-L2)";
    /// `seller.accepted`, or decisive (`decisive.seller_accepted`, R-E7).
    SellerAccepted = "seller.accepted", L3,
        "the seller accepted the claim";
    /// `seller.refused` (R-L3).
    SellerRefused = "seller.refused", L3,
        "the seller refused the claim: the platform will weigh the evidence (R-L3, R-L4)";
    /// `seller.counter_offered` plus `seller.offered` (R-L3).
    SellerCounterOffered = "seller.counter_offered", L3,
        "the seller proposed something else, which the buyer may accept (R-L3)";
    /// `timeliness.not_yet` (R-E1).
    TimelinessNotYet = "timeliness.not_yet", E1,
        "the dispute window has not opened yet (R-E1)";
    /// `timeliness.late`, or decisive (`decisive.filed_late`, R-O5).
    TimelinessLate = "timeliness.late", O5,
        "filed past the deadline (R-O5)";
    /// `timeliness.barred`, or decisive (`decisive.barred`, R-E9).
    TimelinessBarred = "timeliness.barred", E9,
        "no dispute can be opened on this line (R-E9)";
    /// `report.damaged_by_buyer` (R-O5).
    ReportDamagedByBuyer = "report.damaged_by_buyer", O5,
        "damage or misuse by the buyer is not covered (R-O5)";
    /// `report.defective` (R-O1).
    ReportDefective = "report.defective", O1,
        "badly faulty: it does not work (R-O1)";
    /// `report.minor_defect` (R-O4).
    ReportMinorDefect = "report.minor_defect", O4,
        "a minor defect that does not stop use (R-O4)";
    /// `report.wrong_item` (R-O1, R-O2).
    ReportWrongItem = "report.wrong_item", O2,
        "a wrong item, colour or size: a clear breach of the description (R-O1, R-O2)";
    /// `report.counterfeit` (R-O1).
    ReportCounterfeit = "report.counterfeit", O1,
        "a fake of the brand (R-O1)";
    /// `report.no_longer_wanted` (R-O3).
    ReportNoLongerWanted = "report.no_longer_wanted", O3,
        "the buyer's own mistake or change of mind (R-O3)";
    /// `shortage.points` (R-O4).
    Shortage = "shortage", O4,
        "part of the order is missing: refund the missing part (R-O4)";
    /// `value_bands` (R-O6).
    Value = "value", O6,
        "the value at stake (R-O6)";
}

impl std::fmt::Display for FactorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for FactorId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// One fact that moved the prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Factor {
    /// Which row of the table (serialized as its code).
    pub id: FactorId,
    /// The rule behind it here.
    pub rule: Rule,
    /// The points it added to each outcome.
    pub points: Points,
    /// Whether it decided the outcome on its own (the other outcomes then
    /// get 0%; the other factors' points still show how they ranked).
    pub decisive: bool,
    /// What it means, in plain English (only with [`Explain::Yes`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<&'static str>,
}

const NO_FACTOR: Factor = Factor {
    id: FactorId::Reason,
    rule: Rule::O6,
    points: Points([0; 4]),
    decisive: false,
    text: None,
};

/// Most factors one prediction can list (at most 13 apply: the reason,
/// evidence, tracking, seller and timeliness rows, five report rows, the
/// shortage and value rows, and a decisive fact).
pub const MAX_FACTORS: usize = 14;

/// The factors of a prediction, in the order they were applied (a fixed
/// array: no allocation). Serializes as a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Factors {
    items: [Factor; MAX_FACTORS],
    len: usize,
}

impl Factors {
    pub(crate) const fn new() -> Self {
        Factors {
            items: [NO_FACTOR; MAX_FACTORS],
            len: 0,
        }
    }

    pub(crate) fn push(&mut self, f: Factor) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = f;
            self.len += 1;
        }
    }

    /// The factors.
    pub fn as_slice(&self) -> &[Factor] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    /// The factor `id`, if it applied.
    pub fn get(&self, id: FactorId) -> Option<&Factor> {
        self.as_slice().iter().find(|f| f.id == id)
    }

    /// Whether the factor `id` applied.
    pub fn contains(&self, id: FactorId) -> bool {
        self.get(id).is_some()
    }

    /// The ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = FactorId> + '_ {
        self.as_slice().iter().map(|f| f.id)
    }

    /// The factor `id`, mutable.
    fn get_mut(&mut self, id: FactorId) -> Option<&mut Factor> {
        let len = self.len;
        self.items.iter_mut().take(len).find(|f| f.id == id)
    }
}

impl Serialize for Factors {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.as_slice())
    }
}

/// The open API's fields for an outcome (appendix), derived from the
/// outcome's kind. In JSON: `{"issue_refund_type": "part_amount_refund",
/// "is_return_goods": "N"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpenApiOutcome(OutcomeKind);

impl OpenApiOutcome {
    /// `issueRefundType`: `full_amount_refund`, `part_amount_refund` or
    /// `no_amount_refund`.
    pub const fn issue_refund_type(self) -> &'static str {
        self.0.open_api_issue_refund_type()
    }

    /// `isReturnGoods`: `Y` or `N`.
    pub const fn is_return_goods(self) -> &'static str {
        self.0.open_api_is_return_goods()
    }
}

impl Serialize for OpenApiOutcome {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("OpenApiOutcome", 2)?;
        m.serialize_field("issue_refund_type", self.issue_refund_type())?;
        m.serialize_field("is_return_goods", self.is_return_goods())?;
        m.end()
    }
}

impl From<OutcomeKind> for OpenApiOutcome {
    fn from(k: OutcomeKind) -> Self {
        OpenApiOutcome(k)
    }
}

/// One possible outcome, with its likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Outcome {
    /// What happens.
    pub kind: OutcomeKind,
    /// Likelihood in integer percent (the four outcomes add up to 100).
    pub likelihood_percent: u32,
    /// The refund, exact and at most the cap (C-4); zero for no refund.
    pub refund: Money,
    /// Whether the goods go back first (R-S3).
    pub return_goods: bool,
    /// R-S2: who pays for shipping the return (only with a return).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_shipping_payer: Option<Payer>,
    /// Whether the outcome is possible here at all: a return needs goods
    /// that arrived and a reason that allows it (R-S1); a partial refund
    /// needs an amount strictly between zero and the cap, and a reason that
    /// allows one or whose starting row gives it points (R-O4); a full
    /// refund needs a cap above zero.
    pub possible: bool,
    /// The outcome's total points (before negative totals count as zero).
    pub points: i32,
    /// The rule that describes it (R-O1..R-O5).
    pub rule: Rule,
    /// The open API's fields.
    pub open_api: OpenApiOutcome,
}

/// What will probably happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Prediction {
    /// The reason predicted for (the claim's, else the best suggestion).
    pub reason: Reason,
    /// Whether the reason was inferred from the report (no claim given).
    pub reason_inferred: bool,
    /// The outcome the claim asks for, if there is a claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested: Option<OutcomeKind>,
    /// The most likely outcome (the first of `outcomes`).
    pub likely: Outcome,
    /// Every outcome, most likely first (ties in the order full refund,
    /// with return, partial, none).
    pub outcomes: [Outcome; 4],
    /// How sure.
    pub confidence: Confidence,
    /// Percentage points between the two likeliest outcomes.
    pub margin_percent: u32,
    /// The chance of getting any money back (100 minus no refund's).
    pub buyer_odds_percent: u32,
    /// C-4: the refund cap (price plus shipping, less the coupon).
    pub cap: Money,
    /// R-V1: the claim's evidence completeness (0 without a claim).
    pub evidence_score_percent: u32,
    /// Filed in time or not (R-O5, R-E9).
    pub timeliness: Timeliness,
    /// The eligibility code at `now`, if not eligible (R-E9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility_code: Option<Ineligible>,
    /// Appendix: for a counterfeit, the compensation the platform may add,
    /// up to the policy's multiple of the amount paid excluding shipping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compensation_up_to: Option<Money>,
    /// The facts that moved the prediction, in order.
    pub factors: Factors,
    /// Every rule applied.
    pub rules: RuleSet,
    /// Plain-English steps, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl Prediction {
    /// The outcome of a kind.
    pub fn outcome(&self, kind: OutcomeKind) -> &Outcome {
        self.outcomes
            .iter()
            .find(|o| o.kind == kind)
            .unwrap_or(&self.likely)
    }

    /// The likelihood of a kind, in percent.
    pub fn likelihood(&self, kind: OutcomeKind) -> u32 {
        self.outcome(kind).likelihood_percent
    }
}

/// The inputs of a prediction beyond the policy and the clock: the order
/// line, what the buyer reports, the claim and what the seller has done.
///
/// ```
/// use dispute_rules::outcome::{Case, SellerBehaviour};
/// use dispute_rules::reasons::BuyerReport;
/// # let facts = dispute_rules::OrderFacts::from_json(include_str!("../../tests/data/not_received.json")).unwrap();
/// let report = BuyerReport::new().with_received(false);
/// let case = Case::new(&facts).report(&report).seller(SellerBehaviour::Silent);
/// assert!(case.claim.is_none());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    /// The order line.
    pub facts: &'a OrderFacts,
    /// What the buyer reports ([`BuyerReport::EMPTY`] when nothing is).
    pub report: &'a BuyerReport,
    /// The claim, if one is made (or would be); without one the reason is
    /// the best suggestion for the report (R-R1..R-R15).
    pub claim: Option<&'a Claim>,
    /// What the seller has done.
    pub seller: SellerBehaviour,
}

impl<'a> Case<'a> {
    /// A case on `facts`: nothing reported, no claim, the seller's
    /// behaviour unknown.
    pub const fn new(facts: &'a OrderFacts) -> Case<'a> {
        Case {
            facts,
            report: &BuyerReport::EMPTY,
            claim: None,
            seller: SellerBehaviour::Unknown,
        }
    }

    /// With what the buyer reports.
    #[must_use]
    pub const fn report(mut self, report: &'a BuyerReport) -> Case<'a> {
        self.report = report;
        self
    }

    /// With a claim (or none).
    #[must_use]
    pub const fn claim(mut self, claim: Option<&'a Claim>) -> Case<'a> {
        self.claim = claim;
        self
    }

    /// With what the seller has done.
    #[must_use]
    pub const fn seller(mut self, seller: SellerBehaviour) -> Case<'a> {
        self.seller = seller;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_fill_without_panicking() {
        let mut f = Factors::new();
        for _ in 0..MAX_FACTORS + 3 {
            f.push(NO_FACTOR);
        }
        assert_eq!(f.as_slice().len(), MAX_FACTORS);
    }

    #[test]
    fn factor_codes_round_trip_and_are_unique() {
        for (i, f) in FactorId::ALL.iter().enumerate() {
            assert_eq!(FactorId::from_code(f.code()), Some(*f));
            assert!(FactorId::ALL
                .iter()
                .skip(i + 1)
                .all(|g| g.code() != f.code()));
        }
    }
}
