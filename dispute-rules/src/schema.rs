//! JSON Schema (draft 2020-12) of the order facts and of the request
//! envelope, generated from the Rust types with `schemars` (feature
//! `schema`, off by default).
//!
//! The schemas describe the JSON forms the engine reads: money as
//! `{"amount": "12.50", "currency": "USD"}` (the amount a decimal string or a
//! JSON number), instants as RFC 3339 text with an offset, tracking tagged by
//! `status`, and no unknown fields anywhere. A document the schema accepts
//! has the shape the engine reads; the engine's own checks
//! ([`OrderFacts::validate`](crate::OrderFacts::validate): dates in a
//! possible order, one currency, the policy's shipping methods...) go
//! further.
//!
//! The repository commits both schemas under `schema/`; a test regenerates
//! them and fails when they are stale.
//!
//! ```
//! let facts = dispute_rules::schema::order_facts();
//! assert_eq!(facts["title"], "OrderFacts");
//! assert!(facts["required"].as_array().unwrap().iter().any(|f| f == "placed_at"));
//! let request = dispute_rules::schema::request();
//! assert!(request["$defs"]["OrderFacts"].is_object());
//! ```

use crate::facts::FACTS_SCHEMA_VERSION;
use crate::lifecycle::Actor;
use crate::money::Currency;
use crate::policy::Policy;
use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

/// The JSON Schema of [`OrderFacts`](crate::OrderFacts), as a JSON value.
pub fn order_facts() -> serde_json::Value {
    let mut v = generator()
        .into_root_schema_for::<crate::OrderFacts>()
        .to_value();
    tidy(&mut v);
    v
}

/// The JSON Schema of a request to [`api::call`](crate::api::call) (the
/// envelope [`api::Request`](crate::api::Request)), with the order facts
/// under `$defs`. The parts other operations read (`report`, `claim`,
/// `dispute`, `event`, `attachments`, `reason`, `seller`) are described but
/// not yet constrained.
pub fn request() -> serde_json::Value {
    let mut v = generator()
        .into_root_schema_for::<Request>()
        .to_value();
    tidy(&mut v);
    v
}

/// Both schemas, pretty-printed with a final newline, as committed under
/// `schema/`: (`order-facts.schema.json`, `request.schema.json`).
pub fn files() -> [(&'static str, String); 2] {
    let pretty = |v: serde_json::Value| {
        let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
        s.push('\n');
        s
    };
    [
        ("order-facts.schema.json", pretty(order_facts())),
        ("request.schema.json", pretty(request())),
    ]
}

/// Readable schemas: descriptions come from the doc comments, so rustdoc
/// links (`` [`Type`] ``, `` [`Type`](path) ``) become plain code spans; a
/// `"default": null` (an absent optional part) says nothing and goes.
fn tidy(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if map.get("default").is_some_and(serde_json::Value::is_null) {
                map.remove("default");
            }
            if let Some(serde_json::Value::String(d)) = map.get_mut("description") {
                *d = unlink(d);
            }
            map.values_mut().for_each(tidy);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// `` [`X`](target) `` and `` [`X`] `` become `` `X` ``.
fn unlink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = rest.split_once("[`") {
        let Some((code, tail)) = after.split_once("`]") else {
            break;
        };
        out.push_str(before);
        out.push('`');
        out.push_str(code);
        out.push('`');
        rest = match tail.strip_prefix('(').and_then(|t| t.split_once(')')) {
            Some((_, t)) => t,
            None => tail,
        };
    }
    out.push_str(rest);
    out
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator()
}

/// The strict RFC 3339 form the schemas ask for (the engine also reads a
/// few looser spellings).
const INSTANT_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";

/// Schema stand-in for an instant: RFC 3339 text with an offset.
pub(crate) struct Instant;

impl JsonSchema for Instant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An instant, RFC 3339 with an offset: `2026-03-20T12:00:00Z` or `2026-03-20T05:00:00-07:00`.",
            "type": "string",
            "format": "date-time",
            "pattern": INSTANT_PATTERN,
        })
    }
}

/// Schema stand-in for an exact decimal amount (C-2).
pub(crate) struct Amount;

impl JsonSchema for Amount {
    fn schema_name() -> Cow<'static, str> {
        "Amount".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An exact non-negative decimal amount, best written as a string (`\"12.50\"`); a JSON number is read by its shortest decimal spelling.",
            "type": ["string", "number"],
            "pattern": r"^[0-9]+(\.[0-9]+)?$",
            "minimum": 0,
        })
    }
}

/// Declares a schema stand-in type whose schema is written inline.
macro_rules! inline_schema {
    ($(#[$doc:meta])* $name:ident, |$g:ident| $body:expr) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema($g: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
}

inline_schema!(
    /// The facts schema version: exactly [`FACTS_SCHEMA_VERSION`].
    Version,
    |_g| json_schema!({"type": "integer", "const": FACTS_SCHEMA_VERSION})
);

inline_schema!(
    /// A policy in a request: a preset id or a whole policy object.
    PolicyArg,
    |_g| json_schema!({
        "anyOf": [
            {"type": "string", "enum": Policy::PRESETS},
            {"type": "object"},
        ],
    })
);

inline_schema!(
    /// Who acts, from [`Actor::ALL`].
    ActorName,
    |_g| {
        let names: Vec<&str> = Actor::ALL.iter().map(|a| a.as_str()).collect();
        json_schema!({"type": "string", "enum": names})
    }
);

inline_schema!(
    /// A request part another operation reads, not constrained here.
    AnyObject,
    |_g| json_schema!({"type": "object"})
);

inline_schema!(
    /// A request part another operation reads, not constrained here.
    AnyValue,
    |_g| json_schema!({})
);

impl JsonSchema for Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An ISO 4217 currency code: three uppercase letters (`USD`, `EUR`).",
            "type": "string",
            "pattern": "^[A-Z]{3}$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_schema_has_the_required_fields_and_refuses_unknown_ones() {
        let s = order_facts();
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for f in [
            "schema_version",
            "order_id",
            "line_id",
            "unit_price",
            "quantity",
            "shipping_cost",
            "placed_at",
            "shipping_method",
            "destination_country",
            "payment_method",
        ] {
            assert!(required.contains(&f), "{f} is required");
        }
        for f in ["paid_at", "shipped_at", "tracking", "coupon", "extensions"] {
            assert!(!required.contains(&f), "{f} is optional");
        }
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["$defs"]["Money"]["additionalProperties"], false);
        assert_eq!(s["properties"]["schema_version"]["const"], 1);
        assert_eq!(s["$defs"]["Instant"]["format"], "date-time");
    }

    #[test]
    fn tracking_is_tagged_by_status() {
        let s = order_facts();
        let variants = s["$defs"]["Tracking"]["oneOf"].as_array().unwrap();
        let tags: Vec<&str> = variants
            .iter()
            .map(|v| v["properties"]["status"]["const"].as_str().unwrap())
            .collect();
        assert_eq!(
            tags,
            [
                "none",
                "in_transit",
                "stalled",
                "customs_hold",
                "returned_to_sender",
                "delivered"
            ]
        );
        assert!(variants.iter().all(|v| v["additionalProperties"] == false));
    }

    #[test]
    fn rustdoc_links_become_code_spans() {
        assert_eq!(unlink("see [`OrderFacts`]."), "see `OrderFacts`.");
        assert_eq!(
            unlink("see\n[`SellerBehaviour`](crate::outcome::SellerBehaviour))."),
            "see\n`SellerBehaviour`)."
        );
        assert_eq!(unlink("a [`b` c"), "a [`b` c");
        let text = serde_json::to_string(&request()).unwrap();
        assert!(!text.contains("[`") && !text.contains("crate::"), "{text}");
        assert!(!text.contains(r#""default":null"#));
    }

    #[test]
    fn request_schema_names_the_envelope_fields() {
        let s = request();
        let props = s["properties"].as_object().unwrap();
        for f in [
            "facts", "now", "policy", "explain", "report", "claim", "actor",
        ] {
            assert!(props.contains_key(f), "{f}");
        }
        assert!(!props.contains_key("default_policy"));
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(
            s["properties"]["actor"]["enum"],
            serde_json::json!(["buyer", "seller", "platform", "clock"])
        );
    }
}

// The engine reads the envelope with its own one-pass reader
// (`api::Request`); this struct only describes it, and a test checks both
// know the same fields.
/// The request envelope. Unknown fields are refused.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Request {
    /// The order facts (see [`OrderFacts`](crate::OrderFacts)).
    #[schemars(with = "crate::OrderFacts", default)]
    facts: Option<String>,
    /// The moment of evaluation (RFC 3339).
    #[schemars(with = "Instant", default)]
    now: Option<String>,
    /// A preset id or a whole policy; default `aliexpress`.
    #[schemars(with = "PolicyArg", default)]
    policy: Option<String>,
    /// Whether to include plain-English explanations.
    #[schemars(default)]
    explain: bool,
    /// What the buyer reports (reason suggestions, claims, predictions).
    #[schemars(with = "AnyObject", default)]
    report: Option<String>,
    /// A proposed claim.
    #[schemars(with = "AnyObject", default)]
    claim: Option<String>,
    /// A dispute's state or history (lifecycle).
    #[schemars(with = "AnyObject", default)]
    dispute: Option<String>,
    /// A lifecycle event.
    #[schemars(with = "AnyObject", default)]
    event: Option<String>,
    /// Who acts (lifecycle: `buyer`, `seller`, `platform`, `clock`).
    #[schemars(with = "ActorName", default)]
    actor: Option<String>,
    /// Attachments to validate.
    #[schemars(with = "AnyValue", default)]
    attachments: Option<String>,
    /// A reason code (evidence checklist).
    #[schemars(with = "AnyValue", default)]
    reason: Option<String>,
    /// What the seller has done (prediction; see
    /// [`SellerBehaviour`](crate::outcome::SellerBehaviour)).
    #[schemars(with = "AnyObject", default)]
    seller: Option<String>,
}

#[cfg(test)]
mod request_fields {
    #[test]
    fn the_schema_and_the_reader_know_the_same_request_fields() {
        let v = super::request();
        let mut schema: Vec<&str> = v["properties"]
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut reader = crate::api::request::FIELDS.to_vec();
        schema.sort_unstable();
        reader.sort_unstable();
        assert_eq!(schema, reader);
    }
}
