//! One operation: Python arguments converted to the core's types (in the
//! order, with the error kinds and field names, of the JSON layer), then run
//! by the engine's typed functions.
//!
//! The converted inputs ([`Call`]) are kept by the result object: the engine
//! is pure, so a pickled result is its operation and inputs, and unpickling
//! computes the same answer again.

use crate::de::{self, from_json, from_py};
use crate::errors::field_error;
use crate::values;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use dispute_rules::api::{self, FullAssessment};
use dispute_rules::backtoback::{self, BackToBack};
use dispute_rules::eligibility::{self, Eligibility};
use dispute_rules::lifecycle::{Actor, AllowedAnswer, ClaimRequest, Event, Report};
use dispute_rules::outcome::{Prediction, SellerBehaviour};
use dispute_rules::reasons::{
    self, Attachment, BuyerReport, CatalogueEntry, Checklist, Claim, ClaimCheck, Reason,
    Suggestions,
};
use dispute_rules::selling::{self, CustomerDispute, CustomerOrder, SellerTimeline, SellingPolicy};
use dispute_rules::timeline::{self, Timeline};
use dispute_rules::{Dispute, Error, Explain, OrderFacts, Policy, Problem, Problems};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::{Arc, OnceLock};

/// The operations (the core's `api::OPERATIONS`, plus the batch-only
/// `eligibility_timeline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eligibility,
    Timeline,
    Assess,
    EligibilityTimeline,
    ValidateFacts,
    Policy,
    Reasons,
    SuggestReasons,
    CheckClaim,
    EvidenceChecklist,
    LifecycleOpen,
    LifecycleApply,
    LifecycleAdvance,
    LifecycleStatus,
    LifecycleAllowed,
    Predict,
    SellingPolicy,
    SellerTimeline,
    BackToBack,
}

impl Op {
    pub const ALL: [Op; 19] = [
        Op::Eligibility,
        Op::Timeline,
        Op::Assess,
        Op::EligibilityTimeline,
        Op::ValidateFacts,
        Op::Policy,
        Op::Reasons,
        Op::SuggestReasons,
        Op::CheckClaim,
        Op::EvidenceChecklist,
        Op::LifecycleOpen,
        Op::LifecycleApply,
        Op::LifecycleAdvance,
        Op::LifecycleStatus,
        Op::LifecycleAllowed,
        Op::Predict,
        Op::SellingPolicy,
        Op::SellerTimeline,
        Op::BackToBack,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Op::Eligibility => "eligibility",
            Op::Timeline => "timeline",
            Op::Assess => "assess",
            Op::EligibilityTimeline => "eligibility_timeline",
            Op::ValidateFacts => "validate_facts",
            Op::Policy => "policy",
            Op::Reasons => "reasons",
            Op::SuggestReasons => "suggest_reasons",
            Op::CheckClaim => "check_claim",
            Op::EvidenceChecklist => "evidence_checklist",
            Op::LifecycleOpen => "lifecycle_open",
            Op::LifecycleApply => "lifecycle_apply",
            Op::LifecycleAdvance => "lifecycle_advance",
            Op::LifecycleStatus => "lifecycle_status",
            Op::LifecycleAllowed => "lifecycle_allowed",
            Op::Predict => "predict",
            Op::SellingPolicy => "selling_policy",
            Op::SellerTimeline => "seller_timeline",
            Op::BackToBack => "back_to_back",
        }
    }

    /// A selling-side operation (`selling::api`: its own request fields,
    /// and errors already named under their documents).
    pub const fn is_selling(self) -> bool {
        matches!(
            self,
            Op::SellingPolicy | Op::SellerTimeline | Op::BackToBack
        )
    }

    /// An operation of `call` (every one of `api::OPERATIONS`).
    pub fn from_name(name: &str) -> Result<Op, Error> {
        Op::ALL
            .iter()
            .copied()
            .find(|o| o.name() == name && *o != Op::EligibilityTimeline)
            .ok_or_else(|| {
                Error::InvalidRequest(Problems::one(
                    "operation",
                    format!(
                        "unknown operation `{name}` (known: {})",
                        api::OPERATIONS.join(", ")
                    ),
                ))
            })
    }

    /// Any operation, `eligibility_timeline` included (unpickling).
    fn any(name: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|o| o.name() == name)
    }
}

/// A built-in preset, built once (building one costs microseconds).
pub fn preset(id: &str) -> Option<Arc<Policy>> {
    static ALIEXPRESS: OnceLock<Arc<Policy>> = OnceLock::new();
    static LEGACY: OnceLock<Arc<Policy>> = OnceLock::new();
    let cell = match id {
        "aliexpress" => &ALIEXPRESS,
        "aliexpress-legacy" => &LEGACY,
        _ => return None,
    };
    if let Some(p) = cell.get() {
        return Some(p.clone());
    }
    Policy::preset(id).map(|p| cell.get_or_init(|| Arc::new(p)).clone())
}

/// The default policy (`aliexpress`).
pub fn default_policy() -> Arc<Policy> {
    preset("aliexpress").unwrap_or_else(|| Arc::new(Policy::aliexpress()))
}

/// A loaded policy, shared by the calls and results that use it.
#[derive(Debug, Clone)]
pub struct PolicyRef(pub Arc<Policy>);

impl Serialize for PolicyRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for PolicyRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = Policy::deserialize(d)?;
        p.validate().map_err(serde::de::Error::custom)?;
        Ok(PolicyRef(Arc::new(p)))
    }
}

/// A loaded selling policy, shared by the calls and results that use it.
#[derive(Debug, Clone)]
pub struct SellingPolicyRef(pub Arc<SellingPolicy>);

impl Serialize for SellingPolicyRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SellingPolicyRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = SellingPolicy::deserialize(d)?;
        p.validate().map_err(serde::de::Error::custom)?;
        Ok(SellingPolicyRef(Arc::new(p)))
    }
}

/// A built-in selling preset, built once per process (the core's).
pub fn selling_preset(id: &str) -> Option<Arc<SellingPolicy>> {
    static PRESETS: OnceLock<Vec<(&'static str, Arc<SellingPolicy>)>> = OnceLock::new();
    let all = PRESETS.get_or_init(|| {
        SellingPolicy::PRESETS
            .iter()
            .filter_map(|id| Some((*id, Arc::new(SellingPolicy::preset_ref(id)?.clone()))))
            .collect()
    });
    all.iter().find(|(i, _)| *i == id).map(|(_, p)| p.clone())
}

/// An IANA time zone, written as its name (the request's `time_zone`).
#[derive(Debug, Clone, Copy)]
pub struct Zone(pub Tz);

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        zone_named(&name)
            .map(Zone)
            .map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

/// A zone by IANA name, with the JSON layer's error.
pub fn zone_named(name: &str) -> Result<Tz, Error> {
    name.parse::<Tz>().map_err(|_| {
        Error::InvalidRequest(Problems::one(
            "time_zone",
            format!("unknown time zone `{name}` (use an IANA name such as `America/Los_Angeles`)"),
        ))
    })
}

/// The converted inputs of one operation (what `api::call` reads from a
/// request). Serializes as that request, for pickling.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<OrderFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyRef>,
    #[serde(default)]
    pub explain: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<BuyerReport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<Claim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<SellerBehaviour>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute: Option<Dispute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_order: Option<CustomerOrder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_dispute: Option<CustomerDispute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selling_policy: Option<SellingPolicyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Zone>,
}

/// Every answer of an operation.
pub enum Answer {
    Eligibility(Eligibility),
    Timeline(Timeline),
    Assess(Box<FullAssessment>),
    EligibilityTimeline(Box<api::Assessment>),
    Facts(Box<OrderFacts>),
    Policy(Arc<Policy>),
    Catalogue(Vec<CatalogueEntry>),
    Suggestions(Suggestions),
    ClaimCheck(Box<ClaimCheck>),
    Checklist(Checklist),
    Report(Box<Report>),
    Allowed(AllowedAnswer),
    Prediction(Box<Prediction>),
    SellingPolicy(Arc<SellingPolicy>),
    SellerTimeline(Box<SellerTimeline>),
    BackToBack(Box<BackToBack>),
}

fn missing(name: &str) -> Error {
    Error::InvalidRequest(Problems::one(name, format!("missing field `{name}`")))
}

fn missing_selling_policy() -> Error {
    Error::InvalidRequest(Problems::one(
        "selling_policy",
        "missing field `selling_policy` (a preset id such as `paypal`, or a policy)",
    ))
}

/// Prefixes the fields of attachment problems (`attachments[0].format`) as
/// the claim's (`claim.evidence[0].format`).
fn as_claim_evidence(e: Error) -> Error {
    let rename = |p: &Problems| {
        Problems::new(
            p.list()
                .iter()
                .map(|x| {
                    let f = x.field();
                    let f = match f.strip_prefix("attachments") {
                        Some(rest) => format!("claim.evidence{rest}"),
                        None => f.to_owned(),
                    };
                    Problem::new(f, x.message())
                })
                .collect(),
        )
    };
    match &e {
        Error::InvalidClaim(p) => Error::InvalidClaim(rename(p)),
        Error::InvalidRequest(p) => Error::InvalidRequest(rename(p)),
        _ => e,
    }
}

impl Call {
    fn facts(&self) -> Result<&OrderFacts, Error> {
        self.facts.as_ref().ok_or_else(|| missing("facts"))
    }

    fn now(&self) -> Result<DateTime<Utc>, Error> {
        self.now.ok_or_else(|| {
            Error::InvalidRequest(Problems::one(
                "now",
                "missing field `now` (an RFC 3339 instant)",
            ))
        })
    }

    fn policy(&self) -> Arc<Policy> {
        self.policy
            .as_ref()
            .map_or_else(default_policy, |p| p.0.clone())
    }

    fn dispute(&self) -> Result<&Dispute, Error> {
        self.dispute.as_ref().ok_or_else(|| missing("dispute"))
    }

    fn x(&self) -> Explain {
        Explain::from(self.explain)
    }

    /// `eligibility` of `facts` with this call's policy, `now` and
    /// explanations: what [`Call::run`] answers for a call holding these
    /// facts, without making that call (a batch's order: nothing cloned).
    pub fn eligibility_of(&self, facts: &OrderFacts) -> Result<Answer, Error> {
        self.now()
            .and_then(|now| eligibility::assess(facts, &self.policy(), now, self.x()))
            .map(Answer::Eligibility)
            .map_err(nest_facts)
    }

    /// Runs `op` on the inputs (errors in the facts named under `facts`, as
    /// the JSON layer names them).
    pub fn run(&self, op: Op) -> Result<Answer, Error> {
        if op.is_selling() {
            // The engine names every field under its document itself.
            return self.run_selling(op);
        }
        self.run_inner(op).map_err(nest_facts)
    }

    fn customer_order(&self) -> Result<&CustomerOrder, Error> {
        self.customer_order
            .as_ref()
            .ok_or_else(|| missing("customer_order"))
    }

    /// The selling policy: the given one, else the preset of the order's
    /// platform (shared, not built).
    fn selling_policy_for<'a>(
        &'a self,
        order: Option<&CustomerOrder>,
    ) -> Result<&'a SellingPolicy, Error> {
        match (&self.selling_policy, order) {
            (Some(p), _) => Ok(&p.0),
            (None, Some(o)) => Ok(SellingPolicy::for_platform_ref(o.platform)),
            (None, None) => Err(missing_selling_policy()),
        }
    }

    fn run_selling(&self, op: Op) -> Result<Answer, Error> {
        let x = self.x();
        let zone = self.time_zone.map(|z| z.0);
        Ok(match op {
            Op::SellingPolicy => match &self.selling_policy {
                Some(p) => Answer::SellingPolicy(p.0.clone()),
                None => return Err(missing_selling_policy()),
            },
            Op::SellerTimeline => {
                let order = self.customer_order()?;
                Answer::SellerTimeline(Box::new(selling::seller_timeline(
                    order,
                    self.customer_dispute.as_ref(),
                    self.selling_policy_for(Some(order))?,
                    self.now()?,
                    zone,
                    x,
                )?))
            }
            Op::BackToBack => {
                let order = self.customer_order()?;
                Answer::BackToBack(Box::new(backtoback::assess(
                    order,
                    self.customer_dispute.as_ref(),
                    self.selling_policy_for(Some(order))?,
                    self.facts()?,
                    &self.policy(),
                    self.now()?,
                    zone,
                    x,
                )?))
            }
            _ => return self.run_inner(op).map_err(nest_facts),
        })
    }

    fn run_inner(&self, op: Op) -> Result<Answer, Error> {
        let x = self.x();
        Ok(match op {
            Op::Eligibility => Answer::Eligibility(eligibility::assess(
                self.facts()?,
                &self.policy(),
                self.now()?,
                x,
            )?),
            Op::Timeline => Answer::Timeline(timeline::build(
                self.facts()?,
                &self.policy(),
                self.now()?,
                x,
            )?),
            Op::EligibilityTimeline => Answer::EligibilityTimeline(Box::new(api::assess(
                self.facts()?,
                &self.policy(),
                self.now()?,
                x,
            )?)),
            Op::Assess => {
                let report = self.report.clone().unwrap_or_default();
                let case = dispute_rules::outcome::Case::new(self.facts()?)
                    .report(&report)
                    .claim(self.claim.as_ref())
                    .seller(self.seller.unwrap_or_default());
                Answer::Assess(Box::new(api::assess_full(
                    &case,
                    &self.policy(),
                    self.now()?,
                    x,
                )?))
            }
            Op::ValidateFacts => {
                let f = self.facts()?;
                f.validate(&self.policy(), self.now()?)?;
                Answer::Facts(Box::new(f.clone()))
            }
            Op::Policy => Answer::Policy(self.policy()),
            Op::Reasons => Answer::Catalogue(reasons::catalogue(&self.policy())?),
            Op::SuggestReasons => Answer::Suggestions(reasons::suggest(
                self.facts()?,
                &self.report.clone().unwrap_or_default(),
                &self.policy(),
                self.now()?,
                x,
            )?),
            Op::CheckClaim => Answer::ClaimCheck(Box::new(reasons::check_claim(
                self.facts()?,
                self.report.as_ref(),
                self.claim.as_ref().ok_or_else(|| missing("claim"))?,
                &self.policy(),
                self.now()?,
                x,
            )?)),
            Op::EvidenceChecklist => {
                let p = self.policy();
                Answer::Checklist(match &self.claim {
                    Some(c) => reasons::checklist(c.reason, &c.evidence, &p, x)
                        .map_err(as_claim_evidence)?,
                    None => reasons::checklist(
                        self.reason.ok_or_else(|| missing("reason"))?,
                        self.attachments.as_deref().unwrap_or(&[]),
                        &p,
                        x,
                    )?,
                })
            }
            Op::LifecycleOpen => {
                let (f, p, now) = (self.facts()?, self.policy(), self.now()?);
                let c = self.claim.as_ref().ok_or_else(|| missing("claim"))?;
                let claim = ClaimRequest {
                    reason: c.reason,
                    solution: c.solution,
                    refund: c.refund,
                };
                let d = Dispute::open(f, &p, claim, now)?;
                Answer::Report(Box::new(Report::new(d, now, x)))
            }
            Op::LifecycleApply => {
                let mut d = self.dispute()?.clone();
                let event = self.event.ok_or_else(|| missing("event"))?;
                d.apply(event).map_err(|e| e.nested("event"))?;
                let now = self.now.unwrap_or(event.at).max(event.at);
                Answer::Report(Box::new(Report::new(d, now, x)))
            }
            Op::LifecycleAdvance => {
                let (mut d, now) = (self.dispute()?.clone(), self.now()?);
                let n = d.advance(now);
                let mut report = Report::new(d, now, x);
                report.timeouts_applied = Some(n);
                Answer::Report(Box::new(report))
            }
            Op::LifecycleStatus => {
                let (d, now) = (self.dispute()?.clone(), self.now()?);
                Answer::Report(Box::new(Report::new(d, now, x)))
            }
            Op::LifecycleAllowed => {
                let (d, now) = (self.dispute()?, self.now()?);
                let actor = self.actor.ok_or_else(|| {
                    Error::InvalidRequest(Problems::one(
                        "actor",
                        "missing field `actor` (`buyer`, `seller`, `platform` or `clock`)",
                    ))
                })?;
                Answer::Allowed(AllowedAnswer::new(d, actor, now))
            }
            Op::Predict => {
                let report = self.report.clone().unwrap_or_default();
                let case = dispute_rules::outcome::Case::new(self.facts()?)
                    .report(&report)
                    .claim(self.claim.as_ref())
                    .seller(self.seller.unwrap_or_default());
                Answer::Prediction(Box::new(dispute_rules::outcome::predict(
                    &case,
                    &self.policy(),
                    self.now()?,
                    x,
                )?))
            }
            Op::SellingPolicy | Op::SellerTimeline | Op::BackToBack => self.run_selling(op)?,
        })
    }

    /// The inputs as an `api::call` request (JSON text), for pickling.
    pub fn request_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The inputs of a pickled result.
    pub fn from_request_json(text: &str) -> Result<Call, Error> {
        from_json(text, Error::InvalidRequest)
    }
}

/// Names errors in the facts under `facts` (as `api::call` does).
pub fn nest_facts(e: Error) -> Error {
    match e {
        Error::InvalidFacts(_) => e.nested("facts"),
        other => other,
    }
}

/// The operation of a pickled result.
pub fn op_named(name: &str) -> Result<Op, Error> {
    Op::any(name).ok_or_else(|| missing("operation"))
}

// ---------------------------------------------------------------------------
// Conversion of the arguments.
// ---------------------------------------------------------------------------

/// The raw arguments of a call (Python objects; `None` is absent).
#[derive(Default)]
pub struct Raw<'py> {
    pub facts: Option<Bound<'py, PyAny>>,
    pub now: Option<Bound<'py, PyAny>>,
    pub policy: Option<Bound<'py, PyAny>>,
    pub explain: Option<Bound<'py, PyAny>>,
    pub report: Option<Bound<'py, PyAny>>,
    pub claim: Option<Bound<'py, PyAny>>,
    pub seller: Option<Bound<'py, PyAny>>,
    pub dispute: Option<Bound<'py, PyAny>>,
    pub event: Option<Bound<'py, PyAny>>,
    pub actor: Option<Bound<'py, PyAny>>,
    pub reason: Option<Bound<'py, PyAny>>,
    pub attachments: Option<Bound<'py, PyAny>>,
    pub customer_order: Option<Bound<'py, PyAny>>,
    pub customer_dispute: Option<Bound<'py, PyAny>>,
    pub selling_policy: Option<Bound<'py, PyAny>>,
    pub time_zone: Option<Bound<'py, PyAny>>,
}

/// The request fields of the core's operations (those of `api::Request`).
pub const FIELDS: &[&str] = &[
    "facts",
    "now",
    "policy",
    "explain",
    "report",
    "claim",
    "dispute",
    "event",
    "actor",
    "attachments",
    "reason",
    "seller",
];

/// The request fields of the selling-side operations (those of
/// `selling::api::SellingRequest`).
pub const SELLING_FIELDS: &[&str] = &[
    "customer_order",
    "customer_dispute",
    "facts",
    "now",
    "policy",
    "selling_policy",
    "time_zone",
    "explain",
];

impl<'py> Raw<'py> {
    /// Sets a request field of `op` by name.
    pub fn set(&mut self, op: Op, name: &str, v: Bound<'py, PyAny>) -> Result<(), Error> {
        let known = if op.is_selling() {
            SELLING_FIELDS
        } else {
            FIELDS
        };
        let v = if v.is_none() { None } else { Some(v) };
        match name {
            "facts" => self.facts = v,
            "now" => self.now = v,
            "policy" => self.policy = v,
            "explain" => self.explain = v,
            "report" => self.report = v,
            "claim" => self.claim = v,
            "seller" => self.seller = v,
            "dispute" => self.dispute = v,
            "event" => self.event = v,
            "actor" => self.actor = v,
            "reason" => self.reason = v,
            "attachments" => self.attachments = v,
            "customer_order" => self.customer_order = v,
            "customer_dispute" => self.customer_dispute = v,
            "selling_policy" => self.selling_policy = v,
            "time_zone" => self.time_zone = v,
            other => return Err(unknown_field(other, known)),
        }
        Ok(())
    }

    /// Refuses what the JSON layer refuses: fields that are not the
    /// operation's request fields (as unknown), and for `seller_timeline`
    /// and `selling_policy`, request fields they do not read.
    fn refuse_fields(&self, op: Op) -> Result<(), Error> {
        let given = [
            ("facts", self.facts.is_some()),
            ("now", self.now.is_some()),
            ("policy", self.policy.is_some()),
            ("explain", self.explain.is_some()),
            ("report", self.report.is_some()),
            ("claim", self.claim.is_some()),
            ("dispute", self.dispute.is_some()),
            ("event", self.event.is_some()),
            ("actor", self.actor.is_some()),
            ("attachments", self.attachments.is_some()),
            ("reason", self.reason.is_some()),
            ("seller", self.seller.is_some()),
            ("customer_order", self.customer_order.is_some()),
            ("customer_dispute", self.customer_dispute.is_some()),
            ("selling_policy", self.selling_policy.is_some()),
            ("time_zone", self.time_zone.is_some()),
        ];
        let known = if op.is_selling() {
            SELLING_FIELDS
        } else {
            FIELDS
        };
        if let Some((name, _)) = given.iter().find(|(n, on)| *on && !known.contains(n)) {
            return Err(unknown_field(name, known));
        }
        let reads: &[&str] = match op {
            Op::SellingPolicy => &["selling_policy"],
            Op::SellerTimeline => &[
                "customer_order",
                "customer_dispute",
                "now",
                "selling_policy",
                "time_zone",
                "explain",
            ],
            _ => return Ok(()),
        };
        let unused: Vec<Problem> = given
            .iter()
            .filter(|(name, on)| *on && !reads.contains(name))
            .filter(|(name, _)| {
                // An `explain` of False is no request for explanations.
                *name != "explain"
                    || self
                        .explain
                        .as_ref()
                        .is_some_and(|x| flag(x, "explain").unwrap_or(true))
            })
            .map(|(name, _)| Problem::new(*name, format!("not used by `{}`", op.name())))
            .collect();
        if unused.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidRequest(Problems::new(unused)))
        }
    }

    /// Converts what `op` reads, in the order the JSON layer reads it.
    pub fn convert(&self, op: Op) -> Result<Call, Error> {
        self.refuse_fields(op)?;
        if op.is_selling() {
            // Each document's errors are named under it here.
            return self.convert_inner(op);
        }
        self.convert_inner(op).map_err(nest_facts)
    }

    fn convert_inner(&self, op: Op) -> Result<Call, Error> {
        let mut c = Call::default();
        // Read with the request itself in the JSON layer: `now`, `actor`,
        // `explain`.
        if let Some(n) = &self.now {
            c.now = Some(values::instant(n, "now")?);
        }
        if let Some(a) = &self.actor {
            c.actor = Some(actor(a)?);
        }
        if let Some(x) = &self.explain {
            c.explain = flag(x, "explain")?;
        }
        let facts = |c: &mut Call| -> Result<(), Error> {
            let f = self.facts.as_ref().ok_or_else(|| missing("facts"))?;
            c.facts = Some(facts(f)?);
            Ok(())
        };
        let policy = |c: &mut Call| -> Result<(), Error> {
            c.policy = Some(PolicyRef(policy(self.policy.as_ref())?));
            Ok(())
        };
        let now = |c: &mut Call| -> Result<(), Error> { c.now().map(|_| ()) };
        let report = |c: &mut Call| -> Result<(), Error> {
            if let Some(r) = &self.report {
                c.report = Some(report(r)?);
            }
            Ok(())
        };
        let claim_opt = |c: &mut Call| -> Result<(), Error> {
            if let Some(x) = &self.claim {
                c.claim = Some(claim(x)?);
            }
            Ok(())
        };
        let claim_req = |c: &mut Call| -> Result<(), Error> {
            let x = self.claim.as_ref().ok_or_else(|| missing("claim"))?;
            c.claim = Some(claim(x)?);
            Ok(())
        };
        let seller = |c: &mut Call| -> Result<(), Error> {
            if let Some(s) = &self.seller {
                c.seller = Some(seller(s)?);
            }
            Ok(())
        };
        let dispute = |c: &mut Call| -> Result<(), Error> {
            let d = self.dispute.as_ref().ok_or_else(|| missing("dispute"))?;
            c.dispute = Some(dispute(d)?);
            Ok(())
        };
        match op {
            Op::Eligibility | Op::Timeline | Op::ValidateFacts | Op::EligibilityTimeline => {
                facts(&mut c)?;
                policy(&mut c)?;
                now(&mut c)?;
            }
            Op::Assess | Op::Predict => {
                facts(&mut c)?;
                policy(&mut c)?;
                now(&mut c)?;
                report(&mut c)?;
                claim_opt(&mut c)?;
                seller(&mut c)?;
            }
            Op::Policy | Op::Reasons => policy(&mut c)?,
            Op::SuggestReasons => {
                facts(&mut c)?;
                policy(&mut c)?;
                now(&mut c)?;
                report(&mut c)?;
            }
            Op::CheckClaim => {
                facts(&mut c)?;
                policy(&mut c)?;
                now(&mut c)?;
                claim_req(&mut c)?;
                report(&mut c)?;
            }
            Op::EvidenceChecklist => {
                policy(&mut c)?;
                if self.claim.is_some() {
                    if self.reason.is_some() || self.attachments.is_some() {
                        return Err(Error::InvalidRequest(Problems::one(
                            "claim",
                            "give either `claim` or `reason` with `attachments`, not both",
                        )));
                    }
                    claim_req(&mut c)?;
                } else {
                    let r = self.reason.as_ref().ok_or_else(|| missing("reason"))?;
                    c.reason = Some(reason(r)?);
                    if let Some(a) = &self.attachments {
                        c.attachments = Some(attachments(a)?);
                    }
                }
            }
            Op::LifecycleOpen => {
                facts(&mut c)?;
                policy(&mut c)?;
                now(&mut c)?;
                claim_req(&mut c)?;
            }
            Op::LifecycleApply => {
                dispute(&mut c)?;
                let e = self.event.as_ref().ok_or_else(|| missing("event"))?;
                c.event = Some(event(e)?);
            }
            Op::LifecycleAdvance | Op::LifecycleStatus | Op::LifecycleAllowed => {
                dispute(&mut c)?;
                now(&mut c)?;
            }
            Op::SellingPolicy => {
                let p = self
                    .selling_policy
                    .as_ref()
                    .ok_or_else(missing_selling_policy)?;
                c.selling_policy = Some(SellingPolicyRef(selling_policy(p)?));
            }
            Op::SellerTimeline | Op::BackToBack => {
                let o = self
                    .customer_order
                    .as_ref()
                    .ok_or_else(|| missing("customer_order"))?;
                c.customer_order = Some(customer_order(o)?);
                if let Some(d) = &self.customer_dispute {
                    c.customer_dispute = Some(customer_dispute(d)?);
                }
                if let Some(p) = &self.selling_policy {
                    c.selling_policy = Some(SellingPolicyRef(selling_policy(p)?));
                }
                if op == Op::BackToBack {
                    let f = self.facts.as_ref().ok_or_else(|| {
                        Error::InvalidRequest(Problems::one(
                            "facts",
                            "missing field `facts` (the supplier's order facts)",
                        ))
                    })?;
                    c.facts = Some(crate::call::facts(f).map_err(nest_facts)?);
                    policy(&mut c)?;
                }
                now(&mut c)?;
                if let Some(z) = &self.time_zone {
                    c.time_zone = Some(Zone(zone(z)?));
                }
            }
        }
        Ok(c)
    }
}

/// serde's message for a field a request does not have, naming it (as the
/// JSON layer does).
fn unknown_field(name: &str, known: &[&str]) -> Error {
    Error::InvalidRequest(Problems::one(
        name,
        format!(
            "unknown field `{name}`, expected one of {}",
            known
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// A document given as JSON text (`str`, `bytes`), if it is one; an error
/// (of kind `make`, on the document itself) for text that is not Unicode.
fn text_of<'a>(
    obj: &'a Bound<'_, PyAny>,
    make: fn(Problems) -> Error,
) -> Result<Option<std::borrow::Cow<'a, str>>, Error> {
    let bad = |m: String| make(Problems::one("", m));
    if let Ok(s) = obj.cast::<PyString>() {
        return de::str_of(s)
            .map(|s| Some(std::borrow::Cow::Borrowed(s)))
            .map_err(|e| bad(e.to_string()));
    }
    if let Ok(b) = obj.cast::<PyBytes>() {
        return std::str::from_utf8(b.as_bytes())
            .map(|s| Some(std::borrow::Cow::Owned(s.to_owned())))
            .map_err(|e| bad(format!("not UTF-8 text: {e}")));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return String::from_utf8(b.to_vec())
            .map(|s| Some(std::borrow::Cow::Owned(s)))
            .map_err(|e| bad(format!("not UTF-8 text: {e}")));
    }
    Ok(None)
}

/// Order facts: a mapping, or JSON text (errors not yet under `facts`).
pub fn facts(obj: &Bound<'_, PyAny>) -> Result<OrderFacts, Error> {
    match text_of(obj, Error::InvalidFacts)? {
        Some(t) => OrderFacts::from_json(&t),
        None => {
            // Already converted facts (e.g. from another result) are not
            // accepted: facts are data (a dict or JSON text).
            from_py(obj, Error::InvalidFacts)
        }
    }
}

/// A policy: a `Policy`, a preset id, JSON text or a mapping (`None`: the
/// default preset).
pub fn policy(obj: Option<&Bound<'_, PyAny>>) -> Result<Arc<Policy>, Error> {
    let Some(obj) = obj else {
        return Ok(default_policy());
    };
    if let Ok(p) = obj.cast::<crate::answers::PyPolicy>() {
        return Ok(p.get().v.clone());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = de::str_of(s).map_err(|e| field_error("policy", e.to_string()))?;
        if !s.trim_start().starts_with('{') {
            return preset(s).ok_or_else(|| {
                Error::InvalidPolicy(Problems::one(
                    "policy",
                    format!(
                        "unknown preset `{s}` (known: {})",
                        Policy::PRESETS.join(", ")
                    ),
                ))
            });
        }
    }
    let p = match text_of(obj, Error::InvalidPolicy).map_err(|e| e.nested("policy"))? {
        Some(t) => Policy::from_json(&t),
        None => from_py::<Policy>(obj, Error::InvalidPolicy).and_then(|p| p.validate().map(|()| p)),
    };
    p.map(Arc::new).map_err(|e| e.nested("policy"))
}

/// The customer's order: a mapping or JSON text (errors under
/// `customer_order`).
pub fn customer_order(obj: &Bound<'_, PyAny>) -> Result<CustomerOrder, Error> {
    match text_of(obj, Error::InvalidFacts).map_err(|e| e.nested("customer_order"))? {
        Some(t) => CustomerOrder::from_json(&t),
        None => from_py(obj, Error::InvalidFacts),
    }
    .map_err(|e| e.nested("customer_order"))
}

/// The customer's dispute: a mapping or JSON text (errors under
/// `customer_dispute`).
pub fn customer_dispute(obj: &Bound<'_, PyAny>) -> Result<CustomerDispute, Error> {
    match text_of(obj, Error::InvalidFacts).map_err(|e| e.nested("customer_dispute"))? {
        Some(t) => CustomerDispute::from_json(&t),
        None => from_py(obj, Error::InvalidFacts),
    }
    .map_err(|e| e.nested("customer_dispute"))
}

/// A selling policy: a `SellingPolicy`, a preset id (`paypal`, ...), JSON
/// text or a mapping (errors under `selling_policy`).
pub fn selling_policy(obj: &Bound<'_, PyAny>) -> Result<Arc<SellingPolicy>, Error> {
    if let Ok(p) = obj.cast::<crate::answers::PySellingPolicy>() {
        return Ok(p.get().v.clone());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = de::str_of(s)
            .map_err(|e| Error::InvalidPolicy(Problems::one("selling_policy", e.to_string())))?;
        if !s.trim_start().starts_with('{') {
            return selling_preset(s).ok_or_else(|| {
                Error::InvalidPolicy(Problems::one(
                    "selling_policy",
                    format!(
                        "unknown preset `{s}` (known: {})",
                        SellingPolicy::PRESETS.join(", ")
                    ),
                ))
            });
        }
    }
    let p = match text_of(obj, Error::InvalidPolicy).map_err(|e| e.nested("selling_policy"))? {
        Some(t) => SellingPolicy::from_json(&t),
        None => from_py::<SellingPolicy>(obj, Error::InvalidPolicy)
            .and_then(|p| p.validate().map(|()| p)),
    };
    p.map(Arc::new).map_err(|e| e.nested("selling_policy"))
}

/// The zone to show local instants in: an IANA name (`str`), or a
/// `zoneinfo.ZoneInfo` (its `key`).
fn zone(obj: &Bound<'_, PyAny>) -> Result<Tz, Error> {
    let name: String = if let Ok(s) = obj.cast::<PyString>() {
        de::str_of(s)
            .map_err(|e| field_error("time_zone", e.to_string()))?
            .to_owned()
    } else if let Ok(k) = obj.getattr(pyo3::intern!(obj.py(), "key")) {
        k.extract::<String>().map_err(|_| {
            field_error(
                "time_zone",
                "the zone's `key` is not a str (give an IANA name)",
            )
        })?
    } else {
        return Err(field_error(
            "time_zone",
            format!(
                "expected an IANA time zone name (a `str` such as `America/Los_Angeles`) or a `zoneinfo.ZoneInfo`, got `{}`",
                de::type_name(obj)
            ),
        ));
    };
    zone_named(&name)
}

/// `explain`-like switches: a bool only.
pub fn flag(obj: &Bound<'_, PyAny>, field: &str) -> Result<bool, Error> {
    obj.cast::<PyBool>().map(|b| b.is_true()).map_err(|_| {
        field_error(
            field,
            format!("expected True or False, got `{}`", de::type_name(obj)),
        )
    })
}

fn report(obj: &Bound<'_, PyAny>) -> Result<BuyerReport, Error> {
    match text_of(obj, Error::InvalidRequest).map_err(|e| e.nested("report"))? {
        Some(t) => BuyerReport::from_json(&t),
        None => from_py(obj, Error::InvalidRequest),
    }
    .map_err(|e| e.nested("report"))
}

/// A claim: a mapping or JSON text (errors under `claim`).
pub fn claim(obj: &Bound<'_, PyAny>) -> Result<Claim, Error> {
    match text_of(obj, Error::InvalidClaim).map_err(|e| e.nested("claim"))? {
        Some(t) => Claim::from_json(&t),
        None => from_py(obj, Error::InvalidClaim),
    }
    .map_err(|e| e.nested("claim"))
}

/// What the seller did: a status (`"silent"`), a mapping or JSON text.
fn seller(obj: &Bound<'_, PyAny>) -> Result<SellerBehaviour, Error> {
    if let Ok(s) = obj.cast::<PyString>() {
        let s = de::str_of(s).map_err(|e| field_error("seller", e.to_string()))?;
        if !s.trim_start().starts_with('{') {
            let status = serde::de::value::MapDeserializer::<_, de::DeError>::new(
                [("status", s)].into_iter(),
            );
            return serde_path_to_error::deserialize::<_, SellerBehaviour>(status).map_err(|e| {
                let msg = e.into_inner().to_string();
                field_error("seller.status", msg)
            });
        }
    }
    match text_of(obj, Error::InvalidRequest).map_err(|e| e.nested("seller"))? {
        Some(t) => SellerBehaviour::from_json(&t),
        None => from_py(obj, Error::InvalidRequest),
    }
    .map_err(|e| e.nested("seller"))
}

/// A dispute: a `Dispute`, a lifecycle answer, a mapping or JSON text.
pub fn dispute(obj: &Bound<'_, PyAny>) -> Result<Dispute, Error> {
    if let Ok(d) = obj.cast::<crate::answers::PyDispute>() {
        return Ok(d.get().v.clone());
    }
    if let Ok(r) = obj.cast::<crate::answers::DisputeReport>() {
        return Ok(r.get().v.dispute.clone());
    }
    match text_of(obj, Error::InvalidRequest).map_err(|e| e.nested("dispute"))? {
        Some(t) => Dispute::from_json(&t),
        None => {
            from_py::<DisputeWire>(obj, Error::InvalidRequest).and_then(DisputeWire::into_dispute)
        }
    }
    .map_err(|e| e.nested("dispute"))
}

/// A dispute's JSON form read from Python data: its history is replayed
/// and checked as `Dispute::from_json` does, with errors naming the field
/// (the core's `Deserialize` for `Dispute` reports replay errors as text).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DisputeWire {
    schema_version: u32,
    line: dispute_rules::lifecycle::Line,
    terms: dispute_rules::lifecycle::Terms,
    history: Vec<Event>,
    #[serde(default)]
    state: Option<dispute_rules::lifecycle::State>,
}

impl DisputeWire {
    fn into_dispute(self) -> Result<Dispute, Error> {
        use dispute_rules::lifecycle::DISPUTE_SCHEMA_VERSION;
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
            if &s != d.state() {
                return Err(Error::InvalidRequest(Problems::one(
                    "state",
                    format!(
                        "does not match the history: replaying it gives `{}`",
                        d.state().name()
                    ),
                )));
            }
        }
        Ok(d)
    }
}

fn event(obj: &Bound<'_, PyAny>) -> Result<Event, Error> {
    match text_of(obj, Error::InvalidRequest).map_err(|e| e.nested("event"))? {
        Some(t) => from_json(&t, Error::InvalidRequest),
        None => from_py(obj, Error::InvalidRequest),
    }
    .map_err(|e| e.nested("event"))
}

fn actor(obj: &Bound<'_, PyAny>) -> Result<Actor, Error> {
    from_py(obj, Error::InvalidRequest).map_err(|e| e.nested("actor"))
}

fn reason(obj: &Bound<'_, PyAny>) -> Result<Reason, Error> {
    from_py(obj, Error::InvalidRequest).map_err(|e| e.nested("reason"))
}

fn attachments(obj: &Bound<'_, PyAny>) -> Result<Vec<Attachment>, Error> {
    match text_of(obj, Error::InvalidClaim).map_err(|e| e.nested("attachments"))? {
        Some(t) => from_json(&t, Error::InvalidClaim),
        None => from_py(obj, Error::InvalidClaim),
    }
    .map_err(|e| e.nested("attachments"))
}
