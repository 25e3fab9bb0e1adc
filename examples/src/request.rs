//! Building and reading `api::call` requests.
//!
//! The input of `assess` is either a whole request
//! (`{"facts": {...}, "now": "...", "policy": "aliexpress", "report": {...}}`)
//! or bare order facts. [`build`] turns either into a request, applying the
//! command-line overrides (`--now`, `--policy`, `--explain`) while keeping
//! every other field byte for byte. [`load`] reads a request through the
//! engine's own [`api::Request`], so the typed report and `--json` see the
//! very same input.

use chrono::{DateTime, Utc};
use dispute_rules::api::{self, Request};
use dispute_rules::reasons::{BuyerReport, Reason, Solution};
use dispute_rules::{Error, Explain, Money, OrderFacts, Policy, Problems};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// How `--policy` names a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyArg {
    /// A preset id such as `aliexpress-legacy`.
    Preset(String),
    /// A whole policy, as JSON text (read from a file).
    Json(String),
}

/// The command-line overrides of a request.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--now`: the moment of evaluation.
    pub now: Option<DateTime<Utc>>,
    /// `--policy`.
    pub policy: Option<PolicyArg>,
    /// `--explain`.
    pub explain: bool,
}

/// Builds the request JSON for `text` (a request or bare facts). `now` comes
/// from the overrides, else the request, else `clock()`.
pub fn build(
    text: &str,
    o: &Overrides,
    clock: impl FnOnce() -> DateTime<Utc>,
) -> Result<String, String> {
    let mut map: BTreeMap<String, Box<RawValue>> = match serde_json::from_str(text) {
        Ok(m) => m,
        Err(e) => return Err(format!("the input is not a JSON object: {e}")),
    };
    if !map.contains_key("facts") {
        // Bare facts: wrap them.
        let facts = RawValue::from_string(text.trim().to_owned()).map_err(|e| e.to_string())?;
        map = BTreeMap::from([("facts".to_owned(), facts)]);
    }
    let raw = |s: String| RawValue::from_string(s).map_err(|e| e.to_string());
    let json_str = |s: &str| serde_json::to_string(s).map_err(|e| e.to_string());
    match o.now {
        Some(now) => {
            map.insert("now".into(), raw(json_str(&now.to_rfc3339())?)?);
        }
        None if !map.contains_key("now") => {
            map.insert("now".into(), raw(json_str(&clock().to_rfc3339())?)?);
        }
        None => {}
    }
    match &o.policy {
        Some(PolicyArg::Preset(id)) => {
            map.insert("policy".into(), raw(json_str(id)?)?);
        }
        Some(PolicyArg::Json(text)) => {
            map.insert("policy".into(), raw(text.trim().to_owned())?);
        }
        None => {}
    }
    if o.explain {
        map.insert("explain".into(), raw("true".into())?);
    }
    serde_json::to_string(&map).map_err(|e| e.to_string())
}

/// A claim as the sample files write it, read leniently for display only:
/// the engine's claim type is still being built (issue "Reason codes, claims
/// and evidence"); once it lands, the report reads that type instead.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimSummary {
    /// The reason code, when it is a known one.
    pub reason: Option<Reason>,
    /// The reason as written (shown when unknown).
    pub reason_text: Option<String>,
    /// The solution asked for.
    pub solution: Option<Solution>,
    /// The refund asked for.
    pub refund: Option<Money>,
    /// The buyer's message.
    pub message: Option<String>,
    /// Evidence file names.
    pub evidence: Vec<String>,
}

impl ClaimSummary {
    /// Reads a claim object; fields it does not know are ignored.
    pub fn read(json: &str) -> Result<ClaimSummary, String> {
        let v: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let obj = v.as_object().ok_or("a claim is a JSON object")?;
        let field = |k: &str| obj.get(k).cloned();
        let reason_text = field("reason").and_then(|r| r.as_str().map(str::to_owned));
        Ok(ClaimSummary {
            reason: reason_text.as_deref().and_then(Reason::from_code),
            reason_text,
            solution: field("solution").and_then(|s| serde_json::from_value(s).ok()),
            refund: field("refund").and_then(|m| serde_json::from_value(m).ok()),
            message: field("message").and_then(|m| m.as_str().map(str::to_owned)),
            evidence: obj
                .get("evidence")
                .and_then(|e| e.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.get("name")?.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

/// A request read into the engine's types.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The order facts.
    pub facts: OrderFacts,
    /// The resolved policy.
    pub policy: Policy,
    /// The moment of evaluation.
    pub now: DateTime<Utc>,
    /// Whether to explain.
    pub explain: Explain,
    /// What the buyer reports, if the request says.
    pub report: Option<BuyerReport>,
    /// The proposed claim, if any.
    pub claim: Option<ClaimSummary>,
}

/// Reads a request with [`api::Request`]; errors name the field.
pub fn load(request_json: &str) -> Result<Loaded, Error> {
    let r = Request::parse(request_json)?;
    let report = match r.report {
        Some(raw) => Some(
            serde_json::from_str::<BuyerReport>(raw.get())
                .map_err(|e| Error::InvalidRequest(Problems::one("report", e.to_string())))?,
        ),
        None => None,
    };
    let claim = match r.claim {
        Some(raw) => Some(
            ClaimSummary::read(raw.get())
                .map_err(|e| Error::InvalidRequest(Problems::one("claim", e)))?,
        ),
        None => None,
    };
    Ok(Loaded {
        facts: r.facts()?,
        policy: r.policy()?,
        now: r.now()?,
        explain: r.explain(),
        report,
        claim,
    })
}

/// Loads and assesses a request (the typed path of the report).
pub fn assess(request_json: &str) -> Result<(Loaded, api::Assessment), Error> {
    let l = load(request_json)?;
    let a = api::assess(&l.facts, &l.policy, l.now, l.explain)?;
    Ok((l, a))
}
