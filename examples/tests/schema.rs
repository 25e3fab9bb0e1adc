//! The published JSON Schemas (`schema/*.schema.json`): committed fresh
//! (regenerated from the Rust types and compared), valid JSON Schema
//! 2020-12, accepting every sample, and refusing what the engine refuses.
//!
//! After changing the facts or request types, update the files with
//! `UPDATE_SCHEMA=1 cargo test -p dispute-rules-examples --test schema`.

use dispute_rules::{OrderFacts, Policy};
use dispute_rules_examples::generate;
use dispute_rules_examples::samples::{
    BACK_TO_BACK_SAMPLES, ORDERS_B2B_JSONL, ORDERS_BAD_LINE, ORDERS_JSONL, SAMPLES, SAMPLE_NOW,
};
use jsonschema::Validator;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema")
}

fn committed(name: &str) -> Value {
    let path = schema_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A validator of the committed schema (what users get), formats checked.
fn validator(name: &str) -> Validator {
    let schema = committed(name);
    jsonschema::draft202012::meta::validate(&schema)
        .unwrap_or_else(|e| panic!("{name} is not a valid 2020-12 schema: {e}"));
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Where the schema refuses `v` (JSON pointers), empty when it accepts it.
fn refusals(v: &Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| e.instance_path().to_string())
        .collect()
}

#[test]
fn committed_schemas_are_fresh() {
    let update = std::env::var_os("UPDATE_SCHEMA").is_some();
    for (name, text) in dispute_rules::schema::files() {
        let path = schema_dir().join(name);
        if update {
            std::fs::create_dir_all(schema_dir()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == text,
            "schema/{name} is stale (or missing): regenerate it with \
             `UPDATE_SCHEMA=1 cargo test -p dispute-rules-examples --test schema`"
        );
    }
}

#[test]
fn every_sample_is_valid() {
    let facts = validator("order-facts.schema.json");
    let request = validator("request.schema.json");
    // The engine's test data.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dispute-rules/tests/data");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(
                refusals(&facts, &v),
                Vec::<String>::new(),
                "{}",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 1);
    // Every request sample, and its facts.
    for s in SAMPLES {
        let v: Value = serde_json::from_str(s.json).unwrap();
        assert_eq!(refusals(&request, &v), Vec::<String>::new(), "{}", s.name);
        assert_eq!(
            refusals(&facts, &v["facts"]),
            Vec::<String>::new(),
            "{}",
            s.name
        );
    }
    // The batch sample: every line but the deliberately bad one, whose
    // negative price the schema refuses too (the engine's other complaint,
    // delivered before shipped, is beyond a schema).
    for (i, line) in ORDERS_JSONL.lines().enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        let want: Vec<String> = if i + 1 == ORDERS_BAD_LINE {
            vec!["/unit_price/amount".into()]
        } else {
            vec![]
        };
        assert_eq!(refusals(&facts, &v), want, "orders.jsonl line {}", i + 1);
    }
    // The supplier facts of the back-to-back samples and batch (the
    // customer side has no published schema yet).
    for s in BACK_TO_BACK_SAMPLES {
        let v: Value = serde_json::from_str(s.json).unwrap();
        assert_eq!(
            refusals(&facts, &v["facts"]),
            Vec::<String>::new(),
            "{}",
            s.name
        );
    }
    for (i, line) in ORDERS_B2B_JSONL.lines().enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        let f = v.get("facts").unwrap_or(&v);
        assert_eq!(
            refusals(&facts, f),
            Vec::<String>::new(),
            "orders-b2b.jsonl line {}",
            i + 1
        );
    }
    // Generated orders.
    let mut out = Vec::new();
    generate::write(1000, 11, SAMPLE_NOW.parse().unwrap(), &mut out).unwrap();
    for line in String::from_utf8(out).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(refusals(&facts, &v), Vec::<String>::new(), "{line}");
    }
}

/// The sample facts with one change: `path` (dot-separated) set to `value`,
/// or removed when `value` is `None`.
fn changed(path: &str, value: Option<Value>) -> Value {
    let mut v: Value = serde_json::from_str(include_str!(
        "../../dispute-rules/tests/data/not_received.json"
    ))
    .unwrap();
    let (parents, last) = match path.rsplit_once('.') {
        Some((p, l)) => (p.split('.').collect::<Vec<_>>(), l),
        None => (vec![], path),
    };
    let mut at = &mut v;
    for p in parents {
        at = match p.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[p],
        };
    }
    match value {
        Some(x) => at[last] = x,
        None => {
            at.as_object_mut().unwrap().remove(last);
        }
    }
    v
}

#[test]
fn the_schema_refuses_what_the_engine_refuses() {
    let facts = validator("order-facts.schema.json");
    let now = SAMPLE_NOW.parse().unwrap();
    let engine_refuses = |v: &Value| {
        OrderFacts::from_json(&v.to_string())
            .and_then(|f| f.validate(&Policy::aliexpress(), now))
            .is_err()
    };
    let cases = [
        ("surprise", Some(json!(1)), "/"),
        ("placed_at", None, "/"),
        (
            "placed_at",
            Some(json!("2026-02-27 09:00:00")),
            "/placed_at",
        ),
        (
            "placed_at",
            Some(json!("2026-02-27T09:00:00")),
            "/placed_at",
        ),
        (
            "placed_at",
            Some(json!("2026-02-30T09:00:00Z")),
            "/placed_at",
        ),
        ("schema_version", Some(json!(2)), "/schema_version"),
        ("order_id", Some(json!(" ")), "/order_id"),
        ("quantity", Some(json!(0)), "/quantity"),
        ("quantity", Some(json!(1.5)), "/quantity"),
        (
            "unit_price.amount",
            Some(json!("ten")),
            "/unit_price/amount",
        ),
        ("unit_price.amount", Some(json!(-1)), "/unit_price/amount"),
        (
            "unit_price.currency",
            Some(json!("usd")),
            "/unit_price/currency",
        ),
        ("unit_price.cents", Some(json!(5)), "/unit_price"),
        (
            "destination_country",
            Some(json!("USA")),
            "/destination_country",
        ),
        ("payment_method", Some(json!("cash")), "/payment_method"),
        (
            "tracking",
            Some(json!({"status": "delivered"})),
            "/tracking",
        ),
        ("tracking", Some(json!({"status": "lost"})), "/tracking"),
        (
            "extensions",
            Some(json!([{"requested_at": "2026-03-05T00:00:00Z", "days": 0, "status": "pending"}])),
            "/extensions/0/days",
        ),
        (
            "receipt",
            Some(json!({"at": "2026-03-05T00:00:00Z"})),
            "/receipt",
        ),
        ("extensions", Some(Value::Null), "/extensions"),
    ];
    for (path, value, pointer) in cases {
        let v = changed(path, value.clone());
        assert!(
            engine_refuses(&v),
            "{path} = {value:?}: the engine accepts it"
        );
        let got = refusals(&facts, &v);
        assert!(
            got.iter()
                .any(|p| p == pointer || (pointer == "/" && p.is_empty())),
            "{path} = {value:?}: the schema should refuse it at {pointer}, got {got:?}"
        );
    }
    // And it accepts what the engine reads: numbers for amounts, offsets,
    // nulls for absent optional parts, `to_correct_address` left out.
    for (path, value) in [
        ("unit_price.amount", json!(19.99)),
        ("placed_at", json!("2026-02-27T01:00:00-08:00")),
        ("placed_at", json!("2026-02-27T09:00:00.123Z")),
        ("coupon", Value::Null),
        ("paid_at", Value::Null),
        (
            "tracking",
            json!({"status": "delivered", "at": "2026-03-05T00:00:00Z"}),
        ),
    ] {
        let v = changed(path, Some(value.clone()));
        assert!(!engine_refuses(&v), "{path} = {value}");
        assert_eq!(
            refusals(&facts, &v),
            Vec::<String>::new(),
            "{path} = {value}"
        );
    }
}

#[test]
fn the_request_schema_checks_the_envelope() {
    let request = validator("request.schema.json");
    let sample: Value = serde_json::from_str(SAMPLES[0].json).unwrap();
    let with = |k: &str, x: Value| {
        let mut v = sample.clone();
        v[k] = x;
        v
    };
    for (v, pointer) in [
        (with("surprise", json!(true)), ""),
        (with("policy", json!("amazon")), "/policy"),
        (with("now", json!("tomorrow")), "/now"),
        (with("actor", json!("courier")), "/actor"),
        (with("facts", json!({"schema_version": 1})), "/facts"),
    ] {
        let got = refusals(&request, &v);
        assert!(got.iter().any(|p| p == pointer), "{pointer}: {got:?}");
        let answer: Value =
            serde_json::from_str(&dispute_rules::api::call("assess", &v.to_string())).unwrap();
        assert_eq!(
            answer["result"], "failure",
            "the engine refuses it too: {v}"
        );
    }
    let policy_object: Value = serde_json::from_str(&Policy::aliexpress().to_json()).unwrap();
    assert_eq!(
        refusals(&request, &with("policy", policy_object)),
        Vec::<String>::new()
    );
}
