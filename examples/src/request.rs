//! Building and reading `api::call` requests.
//!
//! The input of `assess` is either a whole request
//! (`{"facts": {...}, "now": "...", "policy": "aliexpress", "report": {...}}`)
//! or bare order facts. [`build`] turns either into a request, applying the
//! command-line overrides (`--now`, `--policy`, `--explain`, and the customer
//! side's `--customer-order`, `--customer-dispute`, `--selling-policy`,
//! `--time-zone`) while keeping every other field byte for byte. A request
//! naming the customer side is a back-to-back request
//! ([`is_back_to_back`]), read by [`crate::b2b`]. [`load`] reads a request through the
//! engine's own [`api::Request`], so the typed report and `--json` see the
//! very same input.

use chrono::{DateTime, Utc};
use dispute_rules::api::{self, Request};
use dispute_rules::reasons::{BuyerReport, Checklist, Claim, ClaimCheck, Suggestions};
use dispute_rules::{Error, Explain, OrderFacts, Policy};
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
    /// `--customer-order FILE`: the customer's order with the seller, as
    /// JSON text (the request becomes a back-to-back request).
    pub customer_order: Option<String>,
    /// `--customer-dispute FILE`: the customer's dispute, as JSON text.
    pub customer_dispute: Option<String>,
    /// `--selling-policy`: the customer side's policy.
    pub selling_policy: Option<PolicyArg>,
    /// `--time-zone`: the zone of local times (back-to-back).
    pub time_zone: Option<String>,
}

/// The fields that make a request a back-to-back request (for
/// `api::call("back_to_back", ...)`) rather than an `assess` request.
pub const BACK_TO_BACK_FIELDS: [&str; 4] = [
    "customer_order",
    "customer_dispute",
    "selling_policy",
    "time_zone",
];

/// Whether a request (as [`build`] writes it) is a back-to-back request: it
/// names the customer side (one of [`BACK_TO_BACK_FIELDS`]).
pub fn is_back_to_back(request_json: &str) -> bool {
    serde_json::from_str::<Fields>(request_json)
        .is_ok_and(|Fields(m)| BACK_TO_BACK_FIELDS.iter().any(|k| m.contains_key(*k)))
}

/// Builds the request JSON for `text` (a request or bare facts). `now` comes
/// from the overrides, else the request, else `clock()`.
pub fn build(
    text: &str,
    o: &Overrides,
    clock: impl FnOnce() -> DateTime<Utc>,
) -> Result<String, String> {
    let mut map = match serde_json::from_str::<Fields>(text) {
        Ok(Fields(m)) => m,
        Err(e) if e.to_string().starts_with(DUPLICATE) => {
            return Err(format!("the input has a {e}; give each field once"))
        }
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
    for (key, what, text) in [
        ("customer_order", "the customer order", &o.customer_order),
        (
            "customer_dispute",
            "the customer dispute",
            &o.customer_dispute,
        ),
    ] {
        if let Some(t) = text {
            let value = RawValue::from_string(t.trim().to_owned())
                .map_err(|e| format!("{what} is not JSON: {e}"))?;
            map.insert(key.into(), value);
        }
    }
    match &o.selling_policy {
        Some(PolicyArg::Preset(id)) => {
            map.insert("selling_policy".into(), raw(json_str(id)?)?);
        }
        Some(PolicyArg::Json(text)) => {
            let value = RawValue::from_string(text.trim().to_owned())
                .map_err(|e| format!("the selling policy is not JSON: {e}"))?;
            map.insert("selling_policy".into(), value);
        }
        None => {}
    }
    if let Some(z) = &o.time_zone {
        map.insert("time_zone".into(), raw(json_str(z)?)?);
    }
    serde_json::to_string(&map).map_err(|e| e.to_string())
}

const DUPLICATE: &str = "duplicate field";

/// The top-level fields of a JSON object, refusing a field given twice (a
/// map would silently keep the last one).
struct Fields(BTreeMap<String, Box<RawValue>>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Fields, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.contains_key(&k) {
                        return Err(serde::de::Error::custom(format_args!("{DUPLICATE} `{k}`")));
                    }
                    out.insert(k, m.next_value::<Box<RawValue>>()?);
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(V)
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
    pub claim: Option<Claim>,
    /// What the seller has done so far (`unknown` when the request says
    /// nothing).
    pub seller: dispute_rules::outcome::SellerBehaviour,
}

/// Reads a request with [`api::Request`]; errors name the field (facts
/// problems with their `facts.` prefix, as `api::call` names them).
pub fn load(request_json: &str) -> Result<Loaded, Error> {
    let r = Request::parse(request_json)?;
    let facts = r.facts().map_err(|e| match e {
        Error::InvalidFacts(_) => e.nested("facts"),
        other => other,
    })?;
    let claim = match r.claim {
        Some(_) => Some(r.claim()?),
        None => None,
    };
    Ok(Loaded {
        facts,
        policy: r.policy()?.into_owned(),
        now: r.now()?,
        explain: r.explain(),
        report: r.report()?,
        claim,
        seller: r.seller()?,
    })
}

/// Everything the report shows: the engine's full assessment
/// ([`api::assess_full`], the answer of the JSON `assess` operation).
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Eligibility and timeline (`api::assess`).
    pub assessment: api::Assessment,
    /// The fitting reasons (`reasons::suggest`), from the report (an empty
    /// report when the request has none: received is then inferred).
    pub suggestions: Result<Suggestions, Error>,
    /// The evidence checklist (`reasons::checklist`) for the claimed reason
    /// and its attachments, else for the best suggestion with nothing
    /// attached yet (what to gather).
    pub checklist: Option<Result<Checklist, Error>>,
    /// The claim check (`reasons::check_claim`), when there is a claim.
    pub claim_check: Option<Result<ClaimCheck, Error>>,
    /// The likely outcome (`outcome::predict`): of the claim when it passes
    /// its check, else of the best suggestion.
    pub prediction: Result<dispute_rules::outcome::Prediction, Error>,
}

/// Runs the full assessment on a loaded request. Invalid facts or an
/// invalid report are fatal; the other parts are shown in their sections.
pub fn analyse(l: &Loaded) -> Result<Analysis, Error> {
    let report = l.report.clone().unwrap_or_default();
    let case = dispute_rules::outcome::Case::new(&l.facts)
        .report(&report)
        .claim(l.claim.as_ref())
        .seller(l.seller);
    let full = api::assess_full(&case, &l.policy, l.now, l.explain).map_err(|e| match e {
        Error::InvalidFacts(_) => e.nested("facts"),
        other => other,
    })?;
    Ok(Analysis {
        assessment: full.assessment,
        suggestions: Ok(full.reasons),
        checklist: full.checklist,
        claim_check: full.claim,
        prediction: full.prediction,
    })
}

/// Loads and analyses a request (the typed path of the report).
pub fn assess(request_json: &str) -> Result<(Loaded, Analysis), Error> {
    let l = load(request_json)?;
    let a = analyse(&l)?;
    Ok((l, a))
}
