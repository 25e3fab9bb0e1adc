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
use crate::facts::{CheckedFacts, OrderFacts};
use crate::lifecycle;
use crate::outcome::Case;
use crate::policy::Policy;
use crate::reasons::{self, Attachment, Reason};
use crate::timeline::{self, Timeline};
use chrono::{DateTime, Utc};
use serde::Serialize;

mod batch;
pub(crate) mod request;
#[cfg(test)]
mod tests;
mod write;

pub use batch::{
    assess_jsonl, call_parts, for_each_line, lines, request_from_parts, Batch, BatchItem, BatchOp,
    BatchResult, Line, LineResult, Lines, OrderAnswer,
};
pub use request::Request;

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
#[non_exhaustive]
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

impl ErrorAnswer {
    /// A failure of kind `kind` (a stable kind, like `invalid_facts`) with
    /// its whole message and every problem; no code.
    pub fn new(
        kind: &'static str,
        message: String,
        problems: Vec<crate::error::Problem>,
    ) -> ErrorAnswer {
        ErrorAnswer {
            kind,
            message,
            code: None,
            problems,
        }
    }

    /// With a stable code (or none), like the R-E9 code of a refused
    /// lifecycle event.
    #[must_use]
    pub fn with_code(mut self, code: Option<String>) -> ErrorAnswer {
        self.code = code;
        self
    }
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
    #[cfg(test)]
    let use_writer = !tests::SERDE_JSON_ONLY.with(std::cell::Cell::get);
    #[cfg(not(test))]
    let use_writer = true;
    if use_writer {
        // Most answers of a single call are 1 to 6 KB: one growth at most.
        if let Some(text) = write::to_string_with_capacity(&env, 2048) {
            return text;
        }
    }
    serde_json::to_string(&env).unwrap_or_else(|e| {
        format!(
            r#"{{"result":"failure","error":{{"kind":"internal","message":{},"problems":[]}}}}"#,
            json_string(&e.to_string())
        )
    })
}

/// [`answer`] for the answers with a hand-written writer (eligibility,
/// timeline, assessments): the same bytes, written without serde.
fn answer_json<T: Serialize + write::WriteJson>(r: &Result<T, Error>) -> String {
    #[cfg(test)]
    let use_writer = !tests::SERDE_JSON_ONLY.with(std::cell::Cell::get);
    #[cfg(not(test))]
    let use_writer = true;
    if let (Ok(a), true) = (r, use_writer) {
        let mut out = String::with_capacity(2048);
        out.push_str(r#"{"result":"success","answer":"#);
        if a.write_json(&mut out).is_ok() {
            out.push('}');
            return out;
        }
    }
    answer(r)
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// Eligibility and timeline together (one validation, shared dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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

/// Eligibility plus timeline (validates once, computes the dates once; a
/// wrapper of [`assess_checked`]).
pub fn assess(
    facts: &OrderFacts,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<Assessment, Error> {
    Ok(assess_checked(
        &CheckedFacts::new(facts, policy, now)?,
        explain,
    ))
}

/// Eligibility plus timeline of checked facts: nothing is validated or
/// computed again.
pub fn assess_checked(checked: &CheckedFacts<'_>, explain: Explain) -> Assessment {
    let facts = checked.facts();
    Assessment {
        order_id: facts.order_id.clone(),
        line_id: facts.line_id.clone(),
        eligibility: eligibility::assess_checked(checked, explain),
        timeline: timeline::build_checked(checked, explain),
    }
}

/// Everything about one order line at once: eligibility and timeline, the
/// fitting reasons, the evidence checklist, the claim check (when a claim is
/// given) and the likely outcome. The JSON `assess` operation answers this;
/// in JSON each fallible part is `{"result": "success", "answer": ...}` or
/// `{"result": "failure", "error": ...}`.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
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

/// The full assessment of one line (see [`FullAssessment`]): the case's
/// facts, report, claim and seller's behaviour (see
/// [`Case`]). Invalid facts or an invalid report fail
/// the whole call; a claim that fails its check is reported in `claim` and
/// the prediction falls back to the best suggestion. A wrapper of
/// [`assess_full_checked`].
pub fn assess_full(
    case: &crate::outcome::Case<'_>,
    policy: &Policy,
    now: DateTime<Utc>,
    explain: Explain,
) -> Result<FullAssessment, Error> {
    let checked = CheckedFacts::new(case.facts, policy, now)?;
    assess_full_checked(&checked, case, explain)
}

/// [`assess_full`] for checked facts: the facts are validated once and
/// their dates computed once for eligibility, timeline, suggestions and
/// prediction. `case.facts` must be the checked facts (else an
/// [`Error::InvalidRequest`] naming `facts`).
pub fn assess_full_checked(
    checked: &CheckedFacts<'_>,
    case: &crate::outcome::Case<'_>,
    explain: Explain,
) -> Result<FullAssessment, Error> {
    let (facts, policy) = (checked.facts(), checked.policy());
    if !std::ptr::eq(case.facts, facts) && case.facts != facts {
        return Err(Error::InvalidRequest(Problems::one(
            "facts",
            "the case's facts are not the facts that were checked",
        )));
    }
    let (report, claim) = (case.report, case.claim);
    let rp = &policy.reasons;
    let assessment = assess_checked(checked, explain);
    let reasons = crate::reasons::suggest_checked(checked, report, explain)?;
    // Computed once and handed on: the cap (C-4), whether the claim's
    // attachments meet the limits (R-V2) and, when they do, the claim's
    // checklist (R-V1), for the claim check, the checklist and the
    // prediction alike.
    let cap = facts.refund_cap();
    let evidence_ok = claim.is_some_and(|c| reasons::attachments_ok(&c.evidence, rp));
    let built = match claim {
        Some(c) if evidence_ok => {
            Some(reasons::build_checklist(c.reason, &c.evidence, rp, explain))
        }
        _ => None,
    };
    let claim_check = claim.map(|c| {
        let known = reasons::Known {
            cap,
            evidence_ok,
            checklist: built.as_ref().and_then(|b| b.as_ref().ok()),
        };
        // R-E9: the eligibility just assessed (its code and rules do not
        // depend on `explain`).
        let e = &assessment.eligibility;
        reasons::check_claim_with(facts, Some(report), c, policy, explain, known, || {
            Ok((e.code, e.rules))
        })
    });
    let checklist = match (claim, reasons.reasons.first()) {
        (Some(c), _) => Some(
            built
                .unwrap_or_else(|| reasons::checklist(c.reason, &c.evidence, policy, explain))
                .map_err(|e| e.nested("claim.evidence")),
        ),
        (None, Some(best)) => Some(reasons::checklist(best.reason, &[], policy, explain)),
        (None, None) => None,
    };
    let usable_claim = match (&claim_check, claim) {
        (Some(Ok(_)), Some(c)) => Some(c),
        _ => None,
    };
    let case = crate::outcome::Case {
        facts,
        claim: usable_claim,
        ..*case
    };
    let known = crate::outcome::Known { cap, evidence_ok };
    let prediction = crate::outcome::predict_with(
        checked,
        &case,
        &assessment.eligibility,
        Some(&reasons),
        known,
        explain,
    );
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
    // The answers with a hand-written writer.
    macro_rules! op_json {
        ($f:expr $(,)?) => {
            answer_json(&run_with(request_json, default_policy, $f))
        };
    }
    match operation {
        "eligibility" => op_json!(|r| {
            let (f, p, now) = (r.facts_ref()?, r.policy()?, r.now()?);
            eligibility::assess(f, &p, now, r.explain())
        }),
        "timeline" => op_json!(|r| {
            let (f, p, now) = (r.facts_ref()?, r.policy()?, r.now()?);
            timeline::build(f, &p, now, r.explain())
        }),
        "assess" => op_json!(|r| {
            let (f, p, now) = (r.facts_ref()?, r.policy()?, r.now()?);
            let report = r.report()?.unwrap_or_default();
            let (claim, seller) = (r.claim_opt()?, r.seller()?);
            let case = Case::new(f)
                .report(&report)
                .claim(claim.as_ref())
                .seller(seller);
            assess_full(&case, &p, now, r.explain())
        }),
        "validate_facts" => op!(|r| {
            let (f, p, now) = (r.facts_ref()?, r.policy()?, r.now()?);
            f.validate(&p, now).map(|()| f.clone())
        }),
        "policy" => op!(|r| { r.policy().map(|p| p.into_owned()) }),
        "reasons" => op!(|r| { reasons::catalogue(&*r.policy()?) }),
        "suggest_reasons" => op!(|r| {
            let (f, p, now, rep) = (r.facts_ref()?, r.policy()?, r.now()?, r.report()?);
            reasons::suggest(f, &rep.unwrap_or_default(), &p, now, r.explain())
        }),
        "check_claim" => op!(|r| {
            let (f, p, now, claim, rep) = (
                r.facts_ref()?,
                r.policy()?,
                r.now()?,
                r.claim()?,
                r.report()?,
            );
            reasons::check_claim(f, rep.as_ref(), &claim, &p, now, r.explain())
        }),
        "evidence_checklist" => op!(evidence_checklist),
        "lifecycle_open" => op!(lifecycle::ops::open),
        "lifecycle_apply" => op!(lifecycle::ops::apply),
        "lifecycle_advance" => op!(lifecycle::ops::advance),
        "lifecycle_status" => op!(lifecycle::ops::status),
        "lifecycle_allowed" => op!(lifecycle::ops::allowed),
        "predict" => op!(|r| {
            let (f, p, now, rep) = (r.facts_ref()?, r.policy()?, r.now()?, r.report()?);
            let (claim, seller) = (r.claim_opt()?, r.seller()?);
            let rep = rep.unwrap_or_default();
            let case = Case::new(f)
                .report(&rep)
                .claim(claim.as_ref())
                .seller(seller);
            crate::outcome::predict(&case, &p, now, r.explain())
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
