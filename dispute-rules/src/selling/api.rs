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
//!
//! Named presets (`"paypal"`, `"aliexpress"`...) are borrowed from the ones
//! built once per process ([`SellingPolicy::preset_ref`],
//! [`Policy::preset_ref`]), not built per call. [`call_with`] also takes a
//! loaded selling policy, used when a request names none (the C binding's
//! `dr_selling_policy` handle).

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
use std::borrow::Cow;

/// The operations of this module: the last three of
/// [`crate::api::OPERATIONS`] (the one list), which [`crate::api::call`]
/// answers.
pub const OPERATIONS: &[&str] = match crate::api::OPERATIONS.split_last_chunk::<3>() {
    Some((_, selling)) => selling,
    None => &[],
};

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

    /// The selling policy: the request's, else the caller's loaded one,
    /// else the preset of the order's platform.
    fn selling_policy<'p>(
        &self,
        order: Option<&CustomerOrder>,
        default: Option<&'p SellingPolicy>,
    ) -> Result<Cow<'p, SellingPolicy>, Error> {
        match (self.selling_policy, default, order) {
            (Some(raw), _, _) => resolve_selling_policy_ref(raw.get()),
            (None, Some(p), _) => Ok(Cow::Borrowed(p)),
            (None, None, Some(o)) => Ok(Cow::Borrowed(SellingPolicy::for_platform_ref(o.platform))),
            (None, None, None) => Err(Error::InvalidRequest(Problems::one(
                "selling_policy",
                "missing field `selling_policy` (a preset id such as `paypal`, or a policy)",
            ))),
        }
    }

    fn supplier_policy<'p>(&self, default: Option<&'p Policy>) -> Result<Cow<'p, Policy>, Error> {
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
        let Some(raw) = self.policy else {
            return match default {
                Some(p) => Ok(Cow::Borrowed(p)),
                None => preset("aliexpress"),
            };
        };
        let text = raw.get();
        if text.trim_start().starts_with('"') {
            let id: String = serde_json::from_str(text)
                .map_err(|e| Error::InvalidPolicy(Problems::one("policy", e.to_string())))?;
            preset(&id)
        } else {
            Policy::from_json(text)
                .map(Cow::Owned)
                .map_err(|e| e.nested("policy"))
        }
    }
}

/// Resolves a selling policy given as JSON: a preset id string or a policy
/// object (errors name `selling_policy`).
pub fn resolve_selling_policy(json: &str) -> Result<SellingPolicy, Error> {
    resolve_selling_policy_ref(json).map(Cow::into_owned)
}

/// [`resolve_selling_policy`], borrowing a named preset (built once per
/// process, [`SellingPolicy::preset_ref`]) instead of building it.
pub fn resolve_selling_policy_ref(json: &str) -> Result<Cow<'static, SellingPolicy>, Error> {
    if json.trim_start().starts_with('"') {
        let id: String = serde_json::from_str(json)
            .map_err(|e| Error::InvalidPolicy(Problems::one("selling_policy", e.to_string())))?;
        SellingPolicy::preset_ref(&id)
            .map(Cow::Borrowed)
            .ok_or_else(|| {
                Error::InvalidPolicy(Problems::one(
                    "selling_policy",
                    format!(
                        "unknown preset `{id}` (known: {})",
                        SellingPolicy::PRESETS.join(", ")
                    ),
                ))
            })
    } else {
        SellingPolicy::from_json(json)
            .map(Cow::Owned)
            .map_err(|e| e.nested("selling_policy"))
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
    call_with(operation, request_json, default_policy, None)
}

/// [`call`] with a loaded selling policy too: `default_selling` is used
/// when a request names no `selling_policy` (instead of the preset of the
/// order's platform; the `selling_policy` operation then answers it), as
/// `default_policy` is for the supplier's `policy`. A request's own
/// policies still win.
pub fn call_with(
    operation: &str,
    request_json: &str,
    default_policy: Option<&Policy>,
    default_selling: Option<&SellingPolicy>,
) -> Option<String> {
    Some(match operation {
        "selling_policy" => crate::api::answer(&selling_policy(request_json, default_selling)),
        "seller_timeline" => crate::api::answer(&seller_timeline(request_json, default_selling)),
        "back_to_back" => {
            crate::api::answer(&back_to_back(request_json, default_policy, default_selling))
        }
        _ => return None,
    })
}

fn selling_policy<'p>(
    json: &str,
    default: Option<&'p SellingPolicy>,
) -> Result<Cow<'p, SellingPolicy>, Error> {
    let r = SellingRequest::parse(json)?;
    r.refuse_unused("selling_policy", &["selling_policy"])?;
    r.selling_policy(None, default)
}

fn seller_timeline(
    json: &str,
    default: Option<&SellingPolicy>,
) -> Result<super::SellerTimeline, Error> {
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
    let policy = r.selling_policy(Some(&order), default)?;
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
    default_selling: Option<&SellingPolicy>,
) -> Result<crate::backtoback::BackToBack, Error> {
    let r = SellingRequest::parse(json)?;
    let order = r.order()?;
    let dispute = r.dispute()?;
    let selling = r.selling_policy(Some(&order), default_selling)?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;
    use crate::selling::Platform;

    #[test]
    fn presets_are_built_once_and_equal_fresh_ones() {
        for id in SellingPolicy::PRESETS {
            let a = SellingPolicy::preset_ref(id).unwrap();
            assert!(
                std::ptr::eq(a, SellingPolicy::preset_ref(id).unwrap()),
                "{id}"
            );
            assert_eq!(*a, SellingPolicy::preset(id).unwrap(), "{id}");
        }
        for p in Platform::ALL {
            let a = SellingPolicy::for_platform_ref(p);
            assert_eq!((a.platform, a.id.as_str()), (p, p.code()));
            assert_eq!(*a, SellingPolicy::for_platform(p));
        }
        assert!(SellingPolicy::preset_ref("venmo").is_none());
    }

    #[test]
    fn a_preset_named_in_a_request_is_borrowed() {
        for id in SellingPolicy::PRESETS {
            let json = serde_json::to_string(id).unwrap();
            assert!(matches!(
                resolve_selling_policy_ref(&json).unwrap(),
                Cow::Borrowed(p) if std::ptr::eq(p, SellingPolicy::preset_ref(id).unwrap())
            ));
        }
        let whole = SellingPolicy::preset("ebay").unwrap().to_json();
        assert!(matches!(
            resolve_selling_policy_ref(&whole).unwrap(),
            Cow::Owned(p) if p.id == "ebay"
        ));
        let e = resolve_selling_policy_ref("\"venmo\"").unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (crate::ErrorKind::InvalidPolicy, "selling_policy".to_owned())
        );
    }

    #[test]
    fn the_operations_are_the_tail_of_the_api_list() {
        assert_eq!(
            OPERATIONS,
            ["selling_policy", "seller_timeline", "back_to_back"]
        );
        let n = crate::api::OPERATIONS.len();
        assert_eq!(crate::api::OPERATIONS.get(n - 3..), Some(OPERATIONS));
        for op in OPERATIONS {
            assert!(call(op, "{}", None).is_some(), "{op}");
        }
        assert!(call("eligibility", "{}", None).is_none());
    }

    #[test]
    fn loaded_policies_are_the_defaults() {
        let order = r#"{"schema_version": 1, "order_id": "S-1", "platform": "paypal",
            "amount": {"amount": "10.00", "currency": "USD"}, "paid_at": "2026-02-28T03:30:00Z"}"#;
        let mut mine = SellingPolicy::preset("paypal").unwrap();
        mine.id = "paypal-mine".to_owned();
        let answer = |op: &str, req: &str, p: Option<&SellingPolicy>| -> serde_json::Value {
            serde_json::from_str(&call_with(op, req, None, p).unwrap()).unwrap()
        };
        // `selling_policy`: the loaded one, unless the request names one.
        assert_eq!(
            answer("selling_policy", "{}", Some(&mine))["answer"]["id"],
            "paypal-mine"
        );
        let named = r#"{"selling_policy": "ebay"}"#;
        assert_eq!(
            answer("selling_policy", named, Some(&mine))["answer"]["id"],
            "ebay"
        );
        assert_eq!(
            answer("selling_policy", "{}", None)["error"]["problems"][0]["field"],
            "selling_policy"
        );
        // `seller_timeline`: the loaded one instead of the order's platform preset.
        let req = format!(r#"{{"customer_order": {order}, "now": "2026-03-01T00:00:00Z"}}"#);
        assert_eq!(
            answer("seller_timeline", &req, Some(&mine))["answer"]["policy"],
            "paypal-mine"
        );
        assert_eq!(
            answer("seller_timeline", &req, None)["answer"]["policy"],
            "paypal"
        );
        // A loaded policy of another platform: the order's platform is named.
        let ebay = SellingPolicy::preset("ebay").unwrap();
        let e = answer("seller_timeline", &req, Some(&ebay));
        assert_eq!(
            e["error"]["problems"][0]["field"],
            "customer_order.platform"
        );
        // call is call_with without loaded policies.
        assert_eq!(
            call("seller_timeline", &req, None),
            call_with("seller_timeline", &req, None, None)
        );
    }
}
