//! The language-neutral JSON request/answer layer (Cedar-style).
//!
//! Python and C call exactly these functions, so every binding answers
//! byte-for-byte alike. A request is a JSON object:
//!
//! ```json
//! {"facts": {...}, "now": "2026-03-20T12:00:00Z",
//!  "policy": "aliexpress", "explain": false}
//! ```
//!
//! `policy` is a preset id or a whole policy object (default `aliexpress`).
//! Every call answers a JSON object tagged by `result`:
//! `{"result": "success", "answer": {...}}` or
//! `{"result": "failure", "error": {"kind": "invalid_facts", "message": "...",
//! "problems": [{"field": "...", "message": "..."}]}}`.

use crate::eligibility::{self, Eligibility};
use crate::error::{Error, Problems};
use crate::explain::Explain;
use crate::facts::OrderFacts;
use crate::lifecycle;
use crate::policy::Policy;
use crate::reasons::{self, Attachment, BuyerReport, Claim, Reason};
use crate::timeline::{self, Timeline};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The request envelope. Unknown fields are refused.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Request<'a> {
    /// The order facts (see [`OrderFacts`]).
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "OrderFacts"))]
    pub facts: Option<&'a RawValue>,
    /// The moment of evaluation (RFC 3339).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub now: Option<DateTime<Utc>>,
    /// A preset id or a whole policy; default `aliexpress`.
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::PolicyArg"))]
    pub policy: Option<&'a RawValue>,
    /// Whether to include plain-English explanations.
    #[serde(default)]
    pub explain: bool,
    /// What the buyer reports (reason suggestions, claims, predictions).
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyObject"))]
    pub report: Option<&'a RawValue>,
    /// A proposed claim.
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyObject"))]
    pub claim: Option<&'a RawValue>,
    /// A dispute's state or history (lifecycle).
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyObject"))]
    pub dispute: Option<&'a RawValue>,
    /// A lifecycle event.
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyObject"))]
    pub event: Option<&'a RawValue>,
    /// Who acts (lifecycle: `buyer`, `seller`, `platform`, `clock`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::ActorName"))]
    pub actor: Option<crate::lifecycle::Actor>,
    /// Attachments to validate.
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyValue"))]
    pub attachments: Option<&'a RawValue>,
    /// A reason code (evidence checklist).
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyValue"))]
    pub reason: Option<&'a RawValue>,
    /// What the seller has done (prediction; see
    /// [`SellerBehaviour`](crate::outcome::SellerBehaviour)).
    #[serde(borrow, default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::AnyObject"))]
    pub seller: Option<&'a RawValue>,
    /// The policy to use when the request names none (a loaded handle).
    #[serde(skip)]
    pub default_policy: Option<&'a Policy>,
}

impl<'a> Request<'a> {
    /// Parses the envelope.
    pub fn parse(json: &'a str) -> Result<Request<'a>, Error> {
        crate::error::from_json(json, Error::InvalidRequest)
    }

    /// The `now` field (required by most calls).
    pub fn now(&self) -> Result<DateTime<Utc>, Error> {
        self.now.ok_or_else(|| {
            Error::InvalidRequest(Problems::one(
                "now",
                "missing field `now` (an RFC 3339 instant)",
            ))
        })
    }

    /// The facts, parsed (errors prefixed with `facts`).
    pub fn facts(&self) -> Result<OrderFacts, Error> {
        let raw = self.facts.ok_or_else(|| {
            Error::InvalidRequest(Problems::one("facts", "missing field `facts`"))
        })?;
        // Field paths get their `facts.` prefix in `run_with`, together with
        // validation errors.
        OrderFacts::from_json(raw.get())
    }

    /// The policy, resolved and validated (errors prefixed with `policy`):
    /// the request's own, else the caller's default, else `aliexpress`.
    pub fn policy(&self) -> Result<std::borrow::Cow<'a, Policy>, Error> {
        match (self.policy, self.default_policy) {
            (None, Some(p)) => Ok(std::borrow::Cow::Borrowed(p)),
            (raw, _) => resolve_policy_ref(raw.map(RawValue::get)),
        }
    }

    /// The explanation switch.
    pub fn explain(&self) -> Explain {
        Explain::from(self.explain)
    }

    /// The buyer's report, parsed (errors prefixed with `report`); absent
    /// means an empty report.
    pub fn report(&self) -> Result<Option<BuyerReport>, Error> {
        self.report
            .map(|raw| BuyerReport::from_json(raw.get()).map_err(|e| e.nested("report")))
            .transpose()
    }

    /// The claim, parsed (errors prefixed with `claim`).
    pub fn claim(&self) -> Result<Claim, Error> {
        let raw = self.required("claim", self.claim)?;
        Claim::from_json(raw).map_err(|e| e.nested("claim"))
    }

    /// The claim, parsed (errors prefixed with `claim`), if given.
    pub fn claim_opt(&self) -> Result<Option<Claim>, Error> {
        self.claim.map(|_| self.claim()).transpose()
    }

    /// The seller's behaviour (errors prefixed with `seller`); absent means
    /// unknown.
    pub fn seller(&self) -> Result<crate::outcome::SellerBehaviour, Error> {
        self.seller
            .map(|raw| {
                crate::outcome::SellerBehaviour::from_json(raw.get())
                    .map_err(|e| e.nested("seller"))
            })
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// A required raw field.
    pub fn required(&self, name: &str, v: Option<&'a RawValue>) -> Result<&'a str, Error> {
        v.map(RawValue::get).ok_or_else(|| {
            Error::InvalidRequest(Problems::one(name, format!("missing field `{name}`")))
        })
    }
}

/// Resolves a policy given as JSON: a preset id string or a policy object.
pub fn resolve_policy(json: Option<&str>) -> Result<Policy, Error> {
    resolve_policy_ref(json).map(std::borrow::Cow::into_owned)
}

/// [`resolve_policy`], borrowing a named preset (built once per process,
/// [`Policy::preset_ref`]) instead of building it.
pub fn resolve_policy_ref(json: Option<&str>) -> Result<std::borrow::Cow<'static, Policy>, Error> {
    use std::borrow::Cow;
    let preset = |id: &str| {
        Policy::preset_ref(id).map(Cow::Borrowed).ok_or_else(|| {
            Error::InvalidPolicy(Problems::one(
                "policy",
                format!(
                    "unknown preset `{id}` (known: {})",
                    Policy::PRESETS.join(", ")
                ),
            ))
        })
    };
    let Some(text) = json else {
        return preset("aliexpress");
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('"') {
        let id: Cow<'_, str> = match serde_json::from_str::<&str>(text) {
            Ok(id) => Cow::Borrowed(id),
            Err(_) => serde_json::from_str::<String>(text)
                .map(Cow::Owned)
                .map_err(|e| Error::InvalidPolicy(Problems::one("policy", e.to_string())))?,
        };
        preset(&id)
    } else {
        Policy::from_json(text)
            .map(Cow::Owned)
            .map_err(|e| e.nested("policy"))
    }
}

/// The failure half of an answer.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorAnswer {
    /// Stable kind (`invalid_facts`, `invalid_policy`, ...).
    pub kind: &'static str,
    /// The whole message.
    pub message: String,
    /// A stable code when one applies (lifecycle: an R-E9 code).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Every problem, with its field.
    pub problems: Vec<crate::error::Problem>,
}

impl From<&Error> for ErrorAnswer {
    fn from(e: &Error) -> Self {
        ErrorAnswer {
            kind: e.kind().as_str(),
            message: e.to_string(),
            code: match e {
                Error::IllegalTransition(t) => t.code().map(str::to_owned),
                _ => None,
            },
            problems: e.problems(),
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
enum Envelope<'a, T: Serialize> {
    Success { answer: &'a T },
    Failure { error: ErrorAnswer },
}

/// Writes an answer envelope for a result.
pub fn answer<T: Serialize>(r: &Result<T, Error>) -> String {
    let env = match r {
        Ok(a) => Envelope::Success { answer: a },
        Err(e) => Envelope::Failure {
            error: ErrorAnswer::from(e),
        },
    };
    serde_json::to_string(&env).unwrap_or_else(|e| {
        format!(
            r#"{{"result":"failure","error":{{"kind":"internal","message":{},"problems":[]}}}}"#,
            json_string(&e.to_string())
        )
    })
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Eligibility and timeline together (one validation, shared dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Order and line ids, echoed.
    pub order_id: String,
    /// Line id.
    pub line_id: String,
    /// Can a dispute be opened now.
    pub eligibility: Eligibility,
    /// Every date that matters.
    pub timeline: Timeline,
}

/// Eligibility plus timeline for validated-or-not facts (validates once).
pub fn assess(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Assessment, Error> {
    facts.validate(policy, now)?;
    // The dates are computed once and shared by eligibility and timeline.
    let dates = match facts.shipped_at {
        Some(s) => Some(eligibility::dates(facts, policy, s)?),
        None => None,
    };
    Ok(Assessment {
        order_id: facts.order_id.clone(),
        line_id: facts.line_id.clone(),
        eligibility: eligibility::assess_dates(facts, policy, now, explain, dates.as_ref())?,
        timeline: timeline::build_dates(facts, policy, now, explain, dates.as_ref())?,
    })
}

/// Everything about one order line at once: eligibility and timeline, the
/// fitting reasons, the evidence checklist, the claim check (when a claim is
/// given) and the likely outcome. The JSON `assess` operation answers this;
/// in JSON each fallible part is `{"result": "success", "answer": ...}` or
/// `{"result": "failure", "error": ...}`.
#[derive(Debug, Clone, Serialize)]
pub struct FullAssessment {
    /// Eligibility and timeline (and the ids).
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The fitting reasons, best first (R-R1..R-R15).
    pub reasons: crate::reasons::Suggestions,
    /// The evidence checklist for the claim's reason and attachments, else for
    /// the best suggestion with nothing attached yet (R-V1, R-V2).
    #[serde(serialize_with = "ser_part_opt")]
    pub checklist: Option<Result<crate::reasons::Checklist, Error>>,
    /// The claim check, when a claim is given (C-4, R-S1..R-S3, R-V2). A bad
    /// claim does not hide the rest of the assessment.
    #[serde(serialize_with = "ser_part_opt")]
    pub claim: Option<Result<crate::reasons::ClaimCheck, Error>>,
    /// The likely outcome (R-O1..R-O6): of the claim when it passes the
    /// check, else of the best suggestion.
    #[serde(serialize_with = "ser_part")]
    pub prediction: Result<crate::outcome::Prediction, Error>,
}

#[derive(Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
enum PartRef<'a, T: Serialize> {
    Success { answer: &'a T },
    Failure { error: ErrorAnswer },
}

fn part_ref<T: Serialize>(r: &Result<T, Error>) -> PartRef<'_, T> {
    match r {
        Ok(answer) => PartRef::Success { answer },
        Err(e) => PartRef::Failure {
            error: ErrorAnswer::from(e),
        },
    }
}

fn ser_part<T: Serialize, S: serde::Serializer>(
    r: &Result<T, Error>,
    s: S,
) -> Result<S::Ok, S::Error> {
    part_ref(r).serialize(s)
}

fn ser_part_opt<T: Serialize, S: serde::Serializer>(
    r: &Option<Result<T, Error>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    r.as_ref().map(part_ref).serialize(s)
}

/// The full assessment of one line (see [`FullAssessment`]). Invalid facts or
/// an invalid report fail the whole call; a claim that fails its check is
/// reported in `claim` and the prediction falls back to the best suggestion.
pub fn assess_full(
    facts: &OrderFacts,
    report: &crate::reasons::BuyerReport,
    claim: Option<&crate::reasons::Claim>,
    seller: crate::outcome::SellerBehaviour,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<FullAssessment, Error> {
    let assessment = assess(facts, policy, now, explain)?;
    let reasons = crate::reasons::suggest(facts, report, policy, now, explain)?;
    let claim_check =
        claim.map(|c| crate::reasons::check_claim(facts, Some(report), c, policy, now, explain));
    let checklist = match (claim, reasons.reasons.first()) {
        (Some(c), _) => Some(
            crate::reasons::checklist(c.reason, &c.evidence, policy, explain)
                .map_err(|e| e.nested("claim.evidence")),
        ),
        (None, Some(best)) => Some(crate::reasons::checklist(best.reason, &[], policy, explain)),
        (None, None) => None,
    };
    let usable_claim = match (&claim_check, claim) {
        (Some(Ok(_)), Some(c)) => Some(c),
        _ => None,
    };
    let case = crate::outcome::Case {
        facts,
        report,
        claim: usable_claim,
        seller,
    };
    let prediction =
        crate::outcome::predict_with(&case, policy, now, &assessment.eligibility, explain);
    Ok(FullAssessment {
        assessment,
        reasons,
        checklist,
        claim: claim_check,
        prediction,
    })
}

/// The operations of [`call`]. The last three are the selling side's
/// ([`crate::selling::api::OPERATIONS`] is that tail).
pub const OPERATIONS: &[&str] = &[
    "eligibility",
    "timeline",
    "assess",
    "validate_facts",
    "policy",
    "reasons",
    "suggest_reasons",
    "check_claim",
    "evidence_checklist",
    "lifecycle_open",
    "lifecycle_apply",
    "lifecycle_advance",
    "lifecycle_status",
    "lifecycle_allowed",
    "predict",
    "selling_policy",
    "seller_timeline",
    "back_to_back",
];

/// Runs one operation on a JSON request and returns the JSON answer. Never
/// panics; any input gives a success or a failure envelope.
///
/// Operations: `eligibility`, `timeline`, `assess` (the
/// [`FullAssessment`]: eligibility, timeline, reasons, checklist, claim check
/// and prediction), `validate_facts`, `policy` (the resolved policy), `reasons`
/// (the catalogue; only `policy` is read), `suggest_reasons` (`facts`, `now`,
/// `report`), `check_claim` (`facts`, `now`, `claim`, optional `report`),
/// `evidence_checklist` (`claim`, or `reason` plus `attachments`),
/// `predict` (`facts`, `now`, optional `report`, `claim` and `seller`; see
/// [`crate::outcome`]).
///
/// Lifecycle (see [`crate::lifecycle`]; the answer holds the `dispute` to
/// pass back, its `state`, `api_status`, `next_deadline`, `allowed` actions
/// per actor, `refund`, `rules`): `lifecycle_open` (`facts`, `now`,
/// `policy`, `claim`: `reason`, `solution`, `refund`), `lifecycle_apply`
/// (`dispute`, `event`, optional `now`), `lifecycle_advance` (`dispute`,
/// `now`), `lifecycle_status` (`dispute`, `now`), `lifecycle_allowed`
/// (`dispute`, `actor`, `now`). A dispute carries its own terms: `policy`
/// is read only by `lifecycle_open`.
///
/// Selling side (see [`crate::selling::api`]): `selling_policy`,
/// `seller_timeline` and `back_to_back`.
pub fn call(operation: &str, request_json: &str) -> String {
    dispatch(operation, request_json, None)
}

/// [`call`] with a loaded policy used when the request names none (the C and
/// Python bindings pass their policy handle here, so a policy is parsed and
/// validated once, not per call).
pub fn call_with_policy(operation: &str, policy: &Policy, request_json: &str) -> String {
    dispatch(operation, request_json, Some(policy))
}

fn dispatch(operation: &str, request_json: &str, default_policy: Option<&Policy>) -> String {
    // Every operation: parse the envelope, run, answer.
    macro_rules! op {
        ($f:expr $(,)?) => {
            answer(&run_with(request_json, default_policy, $f))
        };
    }
    match operation {
        "eligibility" => op!(|r| {
            let (f, p, now) = (r.facts()?, r.policy()?, r.now()?);
            eligibility::assess(&f, &p, now, r.explain())
        }),
        "timeline" => op!(|r| {
            let (f, p, now) = (r.facts()?, r.policy()?, r.now()?);
            timeline::build(&f, &p, now, r.explain())
        }),
        "assess" => op!(|r| {
            let (f, p, now) = (r.facts()?, r.policy()?, r.now()?);
            let report = r.report()?.unwrap_or_default();
            let (claim, seller) = (r.claim_opt()?, r.seller()?);
            assess_full(&f, &report, claim.as_ref(), seller, &p, now, r.explain())
        }),
        "validate_facts" => op!(|r| {
            let (f, p, now) = (r.facts()?, r.policy()?, r.now()?);
            f.validate(&p, now).map(|()| f)
        }),
        "policy" => op!(|r| { r.policy().map(|p| p.into_owned()) }),
        "reasons" => op!(|r| { reasons::catalogue(&*r.policy()?) }),
        "suggest_reasons" => op!(|r| {
            let (f, p, now, rep) = (r.facts()?, r.policy()?, r.now()?, r.report()?);
            reasons::suggest(&f, &rep.unwrap_or_default(), &p, now, r.explain())
        }),
        "check_claim" => op!(|r| {
            let (f, p, now, claim, rep) =
                (r.facts()?, r.policy()?, r.now()?, r.claim()?, r.report()?);
            reasons::check_claim(&f, rep.as_ref(), &claim, &p, now, r.explain())
        }),
        "evidence_checklist" => op!(evidence_checklist),
        "lifecycle_open" => op!(lifecycle::ops::open),
        "lifecycle_apply" => op!(lifecycle::ops::apply),
        "lifecycle_advance" => op!(lifecycle::ops::advance),
        "lifecycle_status" => op!(lifecycle::ops::status),
        "lifecycle_allowed" => op!(lifecycle::ops::allowed),
        "predict" => op!(|r| {
            let (f, p, now, rep) = (r.facts()?, r.policy()?, r.now()?, r.report()?);
            let (claim, seller) = (r.claim_opt()?, r.seller()?);
            let rep = rep.unwrap_or_default();
            crate::outcome::predict(&f, &rep, claim.as_ref(), seller, &p, now, r.explain())
        }),
        "selling_policy" | "seller_timeline" | "back_to_back" => {
            crate::selling::api::call(operation, request_json, default_policy).unwrap_or_default()
        }
        other => answer::<()>(&Err(Error::InvalidRequest(Problems::one(
            "operation",
            format!(
                "unknown operation `{other}` (known: {})",
                OPERATIONS.join(", ")
            ),
        )))),
    }
}

/// `evidence_checklist`: from a claim, or from `reason` plus `attachments`.
fn evidence_checklist(r: &Request<'_>) -> Result<reasons::Checklist, Error> {
    let p = r.policy()?;
    if r.claim.is_some() {
        if r.reason.is_some() || r.attachments.is_some() {
            return Err(Error::InvalidRequest(Problems::one(
                "claim",
                "give either `claim` or `reason` with `attachments`, not both",
            )));
        }
        let claim = r.claim()?;
        return reasons::checklist_at(
            claim.reason,
            &claim.evidence,
            &p,
            r.explain(),
            "claim.evidence",
        );
    }
    let reason: Reason =
        crate::error::from_json(r.required("reason", r.reason)?, Error::InvalidRequest)
            .map_err(|e| e.nested("reason"))?;
    let attachments: Vec<Attachment> = match r.attachments {
        Some(raw) => crate::error::from_json(raw.get(), Error::InvalidClaim)
            .map_err(|e| e.nested("attachments"))?,
        None => Vec::new(),
    };
    reasons::checklist(reason, &attachments, &p, r.explain())
}

fn run_with<T>(
    json: &str,
    default_policy: Option<&Policy>,
    f: impl FnOnce(&Request<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut r = Request::parse(json)?;
    r.default_policy = default_policy;
    f(&r).map_err(|e| match e {
        Error::InvalidFacts(_) => e.nested("facts"),
        other => other,
    })
}

/// One line of a batch answer.
#[derive(Debug, Serialize)]
pub struct BatchItem<T> {
    /// 1-based line number in the input.
    pub line: usize,
    /// The answer, or the error for that line.
    #[serde(flatten)]
    pub result: BatchResult<T>,
}

/// Success or failure of one batch line.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum BatchResult<T> {
    /// The answer.
    Success {
        /// The answer.
        answer: T,
    },
    /// The error.
    Failure {
        /// The error.
        error: ErrorAnswer,
    },
}

/// Assesses every non-blank line of a JSON-lines text of order facts with one
/// policy and one `now`. A bad line gives its error; the rest are processed.
pub fn assess_jsonl(
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
    jsonl: &str,
) -> Vec<BatchItem<Assessment>> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let r = OrderFacts::from_json(l).and_then(|f| assess(&f, policy, now, explain));
            BatchItem {
                line: i + 1,
                result: match r {
                    Ok(answer) => BatchResult::Success { answer },
                    Err(e) => BatchResult::Failure {
                        error: ErrorAnswer::from(&e),
                    },
                },
            }
        })
        .collect()
}

// --- batch (python) ---
//
// Additions for the Python binding: a request assembled from fields given as
// separate JSON texts, and a batch that runs one operation over many orders
// with one shared policy and `now` (the policy is resolved once).

/// The error kind for a request field given as malformed JSON text.
fn part_error(field: &str, message: String) -> Error {
    let p = Problems::one(field, message);
    match field {
        "facts" => Error::InvalidFacts(p),
        "policy" => Error::InvalidPolicy(p),
        "claim" => Error::InvalidClaim(p),
        _ => Error::InvalidRequest(p),
    }
}

/// Assembles a JSON request from fields, each given as JSON text (for example
/// `("facts", "{...}")`, `("now", "\"2026-03-20T12:00:00Z\"")`).
///
/// A field whose text is not JSON is reported against that field, with the
/// kind the field implies (`facts`: invalid facts, `policy`: invalid policy,
/// `claim`: invalid claim, others: invalid request), rather than as a
/// malformed request.
pub fn request_from_parts(parts: &[(&str, &str)]) -> Result<String, Error> {
    let mut request = String::with_capacity(
        2 + parts
            .iter()
            .map(|(k, v)| k.len() + v.len() + 4)
            .sum::<usize>(),
    );
    request.push('{');
    for (i, (name, text)) in parts.iter().enumerate() {
        if let Err(e) = serde_json::from_str::<&RawValue>(text) {
            return Err(part_error(name, e.to_string()));
        }
        if i > 0 {
            request.push(',');
        }
        request.push_str(&json_string(name));
        request.push(':');
        request.push_str(text);
    }
    request.push('}');
    Ok(request)
}

/// [`call`] (or [`call_with_policy`] when `default_policy` is given) on a
/// request assembled by [`request_from_parts`]: the answer is exactly that
/// of the call on the assembled request.
pub fn call_parts(
    operation: &str,
    parts: &[(&str, &str)],
    default_policy: Option<&Policy>,
) -> String {
    match request_from_parts(parts) {
        Ok(request) => match default_policy {
            Some(p) => call_with_policy(operation, p, &request),
            None => call(operation, &request),
        },
        Err(e) => answer::<()>(&Err(e)),
    }
}

/// An operation a [`Batch`] can run on each order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BatchOp {
    /// [`eligibility::assess`], as the `eligibility` operation of [`call`].
    Eligibility,
    /// [`timeline::build`], as the `timeline` operation of [`call`].
    Timeline,
    /// [`assess`]: eligibility plus timeline (one validation, shared dates),
    /// the lean scan. Batch only: its answer is the order and line ids with
    /// the answers of the `eligibility` and `timeline` operations.
    EligibilityTimeline,
    /// [`assess_full`] with no report, claim or seller behaviour, as the
    /// `assess` operation of [`call`].
    Assess,
}

impl BatchOp {
    /// Every batch operation.
    pub const ALL: &'static [BatchOp] = &[
        BatchOp::Eligibility,
        BatchOp::Timeline,
        BatchOp::EligibilityTimeline,
        BatchOp::Assess,
    ];

    /// The operation's name (as in [`OPERATIONS`], but for
    /// `eligibility_timeline`, which only batches run).
    pub const fn name(self) -> &'static str {
        match self {
            BatchOp::Eligibility => "eligibility",
            BatchOp::Timeline => "timeline",
            BatchOp::EligibilityTimeline => "eligibility_timeline",
            BatchOp::Assess => "assess",
        }
    }

    /// The batch operation of a name.
    pub fn from_name(name: &str) -> Option<BatchOp> {
        BatchOp::ALL.iter().copied().find(|op| op.name() == name)
    }
}

/// One order's answer in a batch; serializes exactly as the answer of the
/// same operation through [`call`].
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum OrderAnswer {
    /// From [`BatchOp::Eligibility`].
    Eligibility(Eligibility),
    /// From [`BatchOp::Timeline`].
    Timeline(Timeline),
    /// From [`BatchOp::EligibilityTimeline`].
    EligibilityTimeline(Assessment),
    /// From [`BatchOp::Assess`].
    Assess(Box<FullAssessment>),
}

impl OrderAnswer {
    /// The eligibility part, when the operation computes one.
    pub fn eligibility(&self) -> Option<&Eligibility> {
        match self {
            OrderAnswer::Eligibility(e) => Some(e),
            OrderAnswer::EligibilityTimeline(a) => Some(&a.eligibility),
            OrderAnswer::Assess(a) => Some(&a.assessment.eligibility),
            OrderAnswer::Timeline(_) => None,
        }
    }

    /// The timeline part, when the operation computes one.
    pub fn timeline(&self) -> Option<&Timeline> {
        match self {
            OrderAnswer::Timeline(t) => Some(t),
            OrderAnswer::EligibilityTimeline(a) => Some(&a.timeline),
            OrderAnswer::Assess(a) => Some(&a.assessment.timeline),
            OrderAnswer::Eligibility(_) => None,
        }
    }
}

/// One operation run over many orders with one policy, one `now` and one
/// explanation switch. Each order's answer (or error) is the one [`call`]
/// gives for the request `{"facts": <order>, "now", "policy", "explain"}`;
/// error fields are named under `facts` in the same way.
#[derive(Debug, Clone)]
pub struct Batch {
    op: BatchOp,
    policy: Policy,
    now: DateTime<Utc>,
    explain: Explain,
}

impl Batch {
    /// A batch of `operation` with the shared request fields `now` (required),
    /// `policy` and `explain` given as a JSON request without `facts`.
    pub fn new(operation: &str, request_json: &str) -> Result<Batch, Error> {
        Batch::with_policy(operation, request_json, None)
    }

    /// [`Batch::new`] with a loaded policy used when the request names none
    /// (as [`call_with_policy`]).
    pub fn with_policy(
        operation: &str,
        request_json: &str,
        default_policy: Option<&Policy>,
    ) -> Result<Batch, Error> {
        let op = BatchOp::from_name(operation).ok_or_else(|| {
            let known: Vec<&str> = BatchOp::ALL.iter().map(|o| o.name()).collect();
            Error::InvalidRequest(Problems::one(
                "operation",
                format!(
                    "`{operation}` cannot run as a batch (batch operations: {})",
                    known.join(", ")
                ),
            ))
        })?;
        let mut r = Request::parse(request_json)?;
        r.default_policy = default_policy;
        let mut unused = Vec::new();
        for (name, given) in [
            ("facts", r.facts.is_some()),
            ("report", r.report.is_some()),
            ("claim", r.claim.is_some()),
            ("dispute", r.dispute.is_some()),
            ("event", r.event.is_some()),
            ("actor", r.actor.is_some()),
            ("attachments", r.attachments.is_some()),
            ("reason", r.reason.is_some()),
            ("seller", r.seller.is_some()),
        ] {
            if given {
                unused.push(crate::error::Problem::new(
                    name,
                    "not used by a batch (each order gives its facts)",
                ));
            }
        }
        if !unused.is_empty() {
            return Err(Error::InvalidRequest(Problems::new(unused)));
        }
        Ok(Batch {
            op,
            policy: r.policy()?.into_owned(),
            now: r.now()?,
            explain: r.explain(),
        })
    }

    /// The operation.
    pub const fn op(&self) -> BatchOp {
        self.op
    }

    /// The resolved policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Runs the operation on one order given as JSON facts. Errors in the
    /// facts are named under `facts`, as [`call`] names them.
    pub fn run(&self, facts_json: &str) -> Result<OrderAnswer, Error> {
        OrderFacts::from_json(facts_json)
            .and_then(|f| self.run_facts(&f))
            .map_err(|e| match e {
                Error::InvalidFacts(_) => e.nested("facts"),
                other => other,
            })
    }

    /// Runs the operation on parsed facts (errors not yet nested).
    fn run_facts(&self, f: &OrderFacts) -> Result<OrderAnswer, Error> {
        let (p, now, x) = (&self.policy, self.now, self.explain);
        Ok(match self.op {
            BatchOp::Eligibility => OrderAnswer::Eligibility(eligibility::assess(f, p, now, x)?),
            BatchOp::Timeline => OrderAnswer::Timeline(timeline::build(f, p, now, x)?),
            BatchOp::EligibilityTimeline => OrderAnswer::EligibilityTimeline(assess(f, p, now, x)?),
            BatchOp::Assess => OrderAnswer::Assess(Box::new(assess_full(
                f,
                &crate::reasons::BuyerReport::default(),
                None,
                crate::outcome::SellerBehaviour::default(),
                p,
                now,
                x,
            )?)),
        })
    }

    /// Runs the operation on every non-blank line of JSON-lines text, in
    /// order; each result comes with its 1-based line number. A bad line
    /// gives its error; the other lines are still answered.
    pub fn run_jsonl(&self, jsonl: &str) -> Vec<(usize, Result<OrderAnswer, Error>)> {
        jsonl
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i.saturating_add(1), self.run(l)))
            .collect()
    }
}

#[cfg(test)]
mod batch_tests {
    use super::*;

    const FACTS: &str = include_str!("../tests/data/not_received.json");
    const NOW: &str = "\"2026-03-20T12:00:00Z\"";

    fn single(op: &str, facts: &str) -> String {
        call(
            op,
            &format!(r#"{{"facts":{facts},"now":{NOW},"policy":"aliexpress"}}"#),
        )
    }

    #[test]
    fn batch_answers_equal_single_calls() {
        let bad_line = r#"{"schema_version": 1}"#;
        let flat = FACTS.replace('\n', " ");
        let lines = [
            flat.clone(),
            bad_line.to_owned(),
            flat.replace("\"card\"", "\"paypal\""),
            flat.replace("\"quantity\": 1", "\"quantity\": 0"),
        ]
        .join("\n\n");
        for op in BatchOp::ALL {
            let b = Batch::new(
                op.name(),
                &format!(r#"{{"now":{NOW},"policy":"aliexpress"}}"#),
            )
            .unwrap();
            let out = b.run_jsonl(&lines);
            assert_eq!(
                out.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
                [1, 3, 5, 7]
            );
            for ((_, r), line) in out.iter().zip(lines.split("\n\n")) {
                if *op == BatchOp::EligibilityTimeline {
                    // The ids with the `eligibility` and `timeline` answers.
                    let got: serde_json::Value = serde_json::from_str(&answer(r)).unwrap();
                    let e: serde_json::Value =
                        serde_json::from_str(&single("eligibility", line)).unwrap();
                    let t: serde_json::Value =
                        serde_json::from_str(&single("timeline", line)).unwrap();
                    if e["result"] == "success" {
                        let f: serde_json::Value = serde_json::from_str(line).unwrap();
                        assert_eq!(got["answer"]["order_id"], f["order_id"]);
                        assert_eq!(got["answer"]["line_id"], f["line_id"]);
                        assert_eq!(got["answer"]["eligibility"], e["answer"]);
                        assert_eq!(got["answer"]["timeline"], t["answer"]);
                    } else {
                        assert_eq!(got, e);
                    }
                } else {
                    assert_eq!(answer(r), single(op.name(), line), "{op:?} {line}");
                }
            }
            let err = out[1].1.as_ref().unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidFacts);
            assert_eq!(err.field(), "facts.order_id");
            let invalid = out[3].1.as_ref().unwrap_err();
            assert_eq!(invalid.kind(), crate::ErrorKind::InvalidFacts);
            assert_eq!(invalid.field(), "facts.quantity");
        }
    }

    #[test]
    fn batch_refuses_unknown_op_and_facts_field() {
        let e = Batch::new("policy", &format!(r#"{{"now":{NOW}}}"#)).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (crate::ErrorKind::InvalidRequest, "operation".to_owned())
        );
        let e = Batch::new("assess", &format!(r#"{{"now":{NOW},"facts":{{}}}}"#)).unwrap_err();
        assert_eq!(e.field(), "facts");
        let e = Batch::new("assess", "{}").unwrap_err();
        assert_eq!(e.field(), "now");
        let e = Batch::new("assess", &format!(r#"{{"now":{NOW},"policy":"nope"}}"#)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidPolicy);
        let facts = OrderFacts::from_json(FACTS).unwrap();
        let now = NOW.trim_matches('"').parse().unwrap();
        let t = OrderAnswer::Timeline(
            timeline::build(&facts, &Policy::aliexpress(), now, Explain::No).unwrap(),
        );
        assert!(t.eligibility().is_none() && t.timeline().is_some());
    }

    #[test]
    fn batch_with_a_loaded_policy_equals_call_with_policy() {
        let legacy = Policy::aliexpress_legacy();
        let b = Batch::with_policy("eligibility", &format!(r#"{{"now":{NOW}}}"#), Some(&legacy))
            .unwrap();
        let got = answer(&b.run(FACTS));
        let want = call_with_policy(
            "eligibility",
            &legacy,
            &format!(r#"{{"facts":{FACTS},"now":{NOW}}}"#),
        );
        assert_eq!(got, want);
        assert_ne!(got, single("eligibility", FACTS));
        assert_eq!(b.policy(), &legacy);
    }

    #[test]
    fn call_parts_equals_call_and_names_the_bad_part() {
        let parts = [("facts", FACTS), ("now", NOW), ("explain", "true")];
        let whole = format!(r#"{{"facts":{FACTS},"now":{NOW},"explain":true}}"#);
        assert_eq!(call_parts("assess", &parts, None), call("assess", &whole));
        let legacy = Policy::aliexpress_legacy();
        assert_eq!(
            call_parts("assess", &parts, Some(&legacy)),
            call_with_policy("assess", &legacy, &whole)
        );
        for (field, kind) in [
            ("facts", "invalid_facts"),
            ("policy", "invalid_policy"),
            ("claim", "invalid_claim"),
            ("now", "invalid_request"),
        ] {
            let out = call_parts("assess", &[(field, "{not json")], None);
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["error"]["kind"], kind);
            assert_eq!(v["error"]["problems"][0]["field"], field);
        }
    }
}
