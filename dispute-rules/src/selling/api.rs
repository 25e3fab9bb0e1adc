//! The selling side's JSON operations, answered through the same envelope as
//! every other operation of [`crate::api::call`]:
//!
//! - `selling_policy`: `{"selling_policy": "paypal"}` (a preset id or a
//!   whole policy) → the resolved selling policy;
//! - `seller_timeline`: `{"customer_order": {...}, "customer_dispute": {...},
//!   "now": "...", "selling_policy": "paypal", "time_zone": "UTC",
//!   "explain": false}` → [`SellerTimeline`](super::SellerTimeline);
//!   `customer_dispute`, `selling_policy` (default: the preset of the
//!   order's `platform`) and `time_zone` (default: the selling policy's) are
//!   optional;
//! - `back_to_back`: the same fields plus `facts` (the supplier's order
//!   facts) and `policy` (the supplier policy, default `aliexpress` or the
//!   caller's loaded policy) → [`BackToBack`](crate::backtoback::BackToBack);
//!   `time_zone` defaults to the supplier policy's.
//!
//! Fields an operation does not read are refused, each named.

use super::facts::{CustomerDispute, CustomerOrder};
use super::policy::SellingPolicy;
use crate::error::{Error, Problem, Problems};
use crate::explain::Explain;
use crate::facts::OrderFacts;
use crate::policy::Policy;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::value::RawValue;

/// The operations of this module. [`crate::api::call`] answers them; they
/// join [`crate::api::OPERATIONS`] together with the bindings' named
/// wrappers for them (the C binding checks that every listed operation has
/// one).
pub const OPERATIONS: &[&str] = &["selling_policy", "seller_timeline", "back_to_back"];

/// A selling-side request. Unknown fields are refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SellingRequest<'a> {
    /// The customer's order ([`CustomerOrder`]).
    #[serde(borrow, default)]
    pub customer_order: Option<&'a RawValue>,
    /// The customer's dispute ([`CustomerDispute`]), when one is open.
    #[serde(borrow, default)]
    pub customer_dispute: Option<&'a RawValue>,
    /// The supplier's order facts ([`OrderFacts`]; `back_to_back` only).
    #[serde(borrow, default)]
    pub facts: Option<&'a RawValue>,
    /// The moment of evaluation (RFC 3339).
    #[serde(default, deserialize_with = "crate::calendar::rfc3339::de_opt")]
    pub now: Option<DateTime<Utc>>,
    /// The supplier policy: a preset id or a whole policy (`back_to_back`).
    #[serde(borrow, default)]
    pub policy: Option<&'a RawValue>,
    /// The selling policy: a preset id or a whole policy.
    #[serde(borrow, default)]
    pub selling_policy: Option<&'a RawValue>,
    /// The zone to show local instants in (IANA name).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Whether to include plain-English explanations.
    #[serde(default)]
    pub explain: bool,
}

impl<'a> SellingRequest<'a> {
    /// Parses the envelope.
    pub fn parse(json: &'a str) -> Result<SellingRequest<'a>, Error> {
        crate::error::from_json(json, Error::InvalidRequest)
    }

    fn refuse_unused(&self, op: &str, reads: &[&str]) -> Result<(), Error> {
        let given = [
            ("customer_order", self.customer_order.is_some()),
            ("customer_dispute", self.customer_dispute.is_some()),
            ("facts", self.facts.is_some()),
            ("now", self.now.is_some()),
            ("policy", self.policy.is_some()),
            ("selling_policy", self.selling_policy.is_some()),
            ("time_zone", self.time_zone.is_some()),
            ("explain", self.explain),
        ];
        let unused: Vec<Problem> = given
            .iter()
            .filter(|(name, on)| *on && !reads.contains(name))
            .map(|(name, _)| Problem::new(*name, format!("not used by `{op}`")))
            .collect();
        if unused.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidRequest(Problems::new(unused)))
        }
    }

    fn now(&self) -> Result<DateTime<Utc>, Error> {
        self.now.ok_or_else(|| {
            Error::InvalidRequest(Problems::one(
                "now",
                "missing field `now` (an RFC 3339 instant)",
            ))
        })
    }

    fn order(&self) -> Result<CustomerOrder, Error> {
        let raw = self.customer_order.ok_or_else(|| {
            Error::InvalidRequest(Problems::one(
                "customer_order",
                "missing field `customer_order`",
            ))
        })?;
        CustomerOrder::from_json(raw.get()).map_err(|e| e.nested("customer_order"))
    }

    fn dispute(&self) -> Result<Option<CustomerDispute>, Error> {
        self.customer_dispute
            .map(|raw| {
                CustomerDispute::from_json(raw.get()).map_err(|e| e.nested("customer_dispute"))
            })
            .transpose()
    }

    fn zone(&self) -> Result<Option<Tz>, Error> {
        self.time_zone
            .as_deref()
            .map(|name| {
                name.parse::<Tz>().map_err(|_| {
                    Error::InvalidRequest(Problems::one(
                        "time_zone",
                        format!("unknown time zone `{name}` (use an IANA name such as `America/Los_Angeles`)"),
                    ))
                })
            })
            .transpose()
    }

    /// The selling policy: the request's, else the preset of the order's
    /// platform.
    fn selling_policy(&self, order: Option<&CustomerOrder>) -> Result<SellingPolicy, Error> {
        match (self.selling_policy, order) {
            (Some(raw), _) => resolve_selling_policy(raw.get()),
            (None, Some(o)) => Ok(SellingPolicy::for_platform(o.platform)),
            (None, None) => Err(Error::InvalidRequest(Problems::one(
                "selling_policy",
                "missing field `selling_policy` (a preset id such as `paypal`, or a policy)",
            ))),
        }
    }

    fn supplier_policy(&self, default: Option<&Policy>) -> Result<Policy, Error> {
        let Some(raw) = self.policy else {
            return Ok(default.cloned().unwrap_or_else(Policy::aliexpress));
        };
        let text = raw.get();
        if text.trim_start().starts_with('"') {
            let id: String = serde_json::from_str(text)
                .map_err(|e| Error::InvalidPolicy(Problems::one("policy", e.to_string())))?;
            Policy::preset(&id).ok_or_else(|| {
                Error::InvalidPolicy(Problems::one(
                    "policy",
                    format!(
                        "unknown preset `{id}` (known: {})",
                        Policy::PRESETS.join(", ")
                    ),
                ))
            })
        } else {
            Policy::from_json(text).map_err(|e| e.nested("policy"))
        }
    }
}

/// Resolves a selling policy given as JSON: a preset id string or a policy
/// object (errors name `selling_policy`).
pub fn resolve_selling_policy(json: &str) -> Result<SellingPolicy, Error> {
    if json.trim_start().starts_with('"') {
        let id: String = serde_json::from_str(json)
            .map_err(|e| Error::InvalidPolicy(Problems::one("selling_policy", e.to_string())))?;
        SellingPolicy::preset(&id).ok_or_else(|| {
            Error::InvalidPolicy(Problems::one(
                "selling_policy",
                format!(
                    "unknown preset `{id}` (known: {})",
                    SellingPolicy::PRESETS.join(", ")
                ),
            ))
        })
    } else {
        SellingPolicy::from_json(json).map_err(|e| e.nested("selling_policy"))
    }
}

/// Runs one selling-side operation and writes the answer envelope; `None`
/// when `operation` is not one of [`OPERATIONS`]. `default_policy` is the
/// supplier policy used when the request names none.
pub fn call(
    operation: &str,
    request_json: &str,
    default_policy: Option<&Policy>,
) -> Option<String> {
    Some(match operation {
        "selling_policy" => crate::api::answer(&selling_policy(request_json)),
        "seller_timeline" => crate::api::answer(&seller_timeline(request_json)),
        "back_to_back" => crate::api::answer(&back_to_back(request_json, default_policy)),
        _ => return None,
    })
}

fn selling_policy(json: &str) -> Result<SellingPolicy, Error> {
    let r = SellingRequest::parse(json)?;
    r.refuse_unused("selling_policy", &["selling_policy"])?;
    r.selling_policy(None)
}

fn seller_timeline(json: &str) -> Result<super::SellerTimeline, Error> {
    let r = SellingRequest::parse(json)?;
    r.refuse_unused(
        "seller_timeline",
        &[
            "customer_order",
            "customer_dispute",
            "now",
            "selling_policy",
            "time_zone",
            "explain",
        ],
    )?;
    let order = r.order()?;
    let dispute = r.dispute()?;
    let policy = r.selling_policy(Some(&order))?;
    let now = r.now()?;
    super::seller_timeline(
        &order,
        dispute.as_ref(),
        &policy,
        now,
        r.zone()?,
        Explain::from(r.explain),
    )
}

fn back_to_back(
    json: &str,
    default_policy: Option<&Policy>,
) -> Result<crate::backtoback::BackToBack, Error> {
    let r = SellingRequest::parse(json)?;
    let order = r.order()?;
    let dispute = r.dispute()?;
    let selling = r.selling_policy(Some(&order))?;
    let raw = r.facts.ok_or_else(|| {
        Error::InvalidRequest(Problems::one(
            "facts",
            "missing field `facts` (the supplier's order facts)",
        ))
    })?;
    let facts = OrderFacts::from_json(raw.get()).map_err(|e| e.nested("facts"))?;
    let supplier = r.supplier_policy(default_policy)?;
    let now = r.now()?;
    crate::backtoback::assess(
        &order,
        dispute.as_ref(),
        &selling,
        &facts,
        &supplier,
        now,
        r.zone()?,
        Explain::from(r.explain),
    )
}
