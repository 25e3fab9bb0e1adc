//! Regression tests for what fuzzing found (`fuzz/`, `scripts/fuzz.sh`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use dispute_rules::{api, OrderFacts, Policy};
use serde_json::Value;

const FACTS: &str = include_str!("data/not_received.json");

/// The problems of a failure envelope: (field, message).
fn problems(answer: &str) -> Vec<(String, String)> {
    let v: Value = serde_json::from_str(answer).unwrap();
    assert_eq!(v["result"], "failure", "{answer}");
    v["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_owned(),
                p["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn trailing_text_after_facts_is_refused() {
    // The slow (error-path) parse never checked for the end of the input.
    for text in [
        format!("{FACTS} x"),
        format!("{FACTS}}}}}"),
        format!("{FACTS} {{}}"),
    ] {
        assert!(OrderFacts::from_json(&text).is_err(), "accepted: {text}");
    }
}

#[test]
fn trailing_text_after_a_request_or_policy_is_refused() {
    let request = format!(r#"{{"facts": {FACTS}, "now": "2026-03-20T12:00:00Z"}} garbage }}}}"#);
    for op in ["eligibility", "assess", "validate_facts"] {
        let answer = api::call(op, &request);
        assert!(
            answer.starts_with(r#"{"result":"failure""#),
            "{op}: {answer}"
        );
    }
    let policy = format!("{} junk", Policy::aliexpress().to_json());
    assert!(Policy::from_json(&policy).is_err());
}

#[test]
fn duplicate_field_is_named() {
    let dup = FACTS.replacen(
        r#""line_id": "1","#,
        r#""line_id": "1", "line_id": "2","#,
        1,
    );
    assert_ne!(dup, FACTS);
    let e = OrderFacts::from_json(&dup).unwrap_err();
    assert_eq!(e.field(), "line_id", "{e}");
    let answer = api::call(
        "eligibility",
        &format!(r#"{{"facts": {FACTS}, "facts": {FACTS}, "now": "2026-03-20T12:00:00Z"}}"#),
    );
    assert_eq!(problems(&answer)[0].0, "facts", "{answer}");
}

#[test]
fn an_unknown_field_with_an_empty_name_names_a_field() {
    // `{"": 1}`: the unknown field's own path is empty, which reads as "the
    // whole document".
    let answer = api::call("eligibility", r#"{"": 1, "now": "2026-03-20T12:00:00Z"}"#);
    let p = problems(&answer);
    assert!(p[0].1.starts_with("unknown field"), "{answer}");
    assert!(!p[0].0.is_empty(), "{answer}");
}

#[test]
fn messages_name_no_rust_types() {
    let quantity = FACTS.replacen(r#""quantity": 1"#, r#""quantity": 18446744073709551616"#, 1);
    assert_ne!(quantity, FACTS);
    for (op, request) in [
        ("eligibility", "0".to_owned()),
        (
            "eligibility",
            r#"{"facts": 0, "now": "2026-03-20T12:00:00Z"}"#.to_owned(),
        ),
        ("policy", r#"{"policy": 2}"#.to_owned()),
        (
            "eligibility",
            format!(r#"{{"facts": {quantity}, "now": "2026-03-20T12:00:00Z"}}"#),
        ),
        // Every document of a request, of the wrong JSON type.
        (
            "eligibility",
            r#"{"facts": [], "now": "2026-03-20T12:00:00Z"}"#.to_owned(),
        ),
        (
            "assess",
            format!(r#"{{"facts": {FACTS}, "now": "2026-03-20T12:00:00Z", "report": 3}}"#),
        ),
        (
            "assess",
            format!(r#"{{"facts": {FACTS}, "now": "2026-03-20T12:00:00Z", "seller": 3}}"#),
        ),
        (
            "check_claim",
            format!(r#"{{"facts": {FACTS}, "now": "2026-03-20T12:00:00Z", "claim": 3}}"#),
        ),
        (
            "lifecycle_status",
            r#"{"dispute": 3, "now": "2026-03-20T12:00:00Z"}"#.to_owned(),
        ),
        (
            "eligibility",
            format!(
                r#"{{"facts": {}, "now": "2026-03-20T12:00:00Z"}}"#,
                FACTS.replacen(r#""quantity": 1"#, r#""quantity": 1, "disputes": [5]"#, 1)
            ),
        ),
        (
            "back_to_back",
            r#"{"customer_order": 3, "now": "2026-03-20T12:00:00Z"}"#.to_owned(),
        ),
        ("selling_policy", r#"{"selling_policy": [1]}"#.to_owned()),
    ] {
        let answer = api::call(op, &request);
        for (_, message) in problems(&answer) {
            for word in ["struct ", "enum ", "u32", "u64", "sequence", "\""] {
                assert!(!message.contains(word), "{word:?} in {answer}");
            }
        }
    }
}

#[test]
fn a_now_outside_the_supported_years_is_refused_by_the_lifecycle() {
    // `lifecycle_status` and `lifecycle_allowed` answered for `now` in the
    // year 1013 (or 10000), writing moments outside the supported years.
    let request = include_str!("../../examples/data/requests/damaged.json");
    let opened = api::call("lifecycle_open", request);
    let v: Value = serde_json::from_str(&opened).unwrap();
    assert_eq!(v["result"], "success", "{opened}");
    let dispute = &v["answer"]["dispute"];
    for now in ["1013-03-21T00:00:00Z", "+10000-01-01T00:00:00Z"] {
        for op in ["lifecycle_status", "lifecycle_allowed", "lifecycle_advance"] {
            let mut req = serde_json::json!({"dispute": dispute, "now": now});
            if op == "lifecycle_allowed" {
                req["actor"] = "seller".into();
            }
            let answer = api::call(op, &req.to_string());
            let p = problems(&answer);
            assert_eq!(p[0].0, "now", "{op} at {now}: {answer}");
        }
    }
}

#[test]
fn a_flat_cell_is_repeated_in_a_message_only_shortened() {
    // An unknown payment method of a thousand bytes came back whole, the
    // reader's own messages too (`echo`'s limit applies to every message).
    use dispute_rules::flat::{self, Column, Layout, TextRow, COLUMNS};
    let layout = Layout::new(COLUMNS.map(Column::name)).unwrap();
    let facts = OrderFacts::from_json(FACTS).unwrap();
    let mut cells = flat::to_text(&facts).unwrap();
    let long = "x`y".repeat(400);
    for column in ["payment_method", "unit_price", "placed_at"] {
        let i = layout.position(Column::from_name(column).unwrap()).unwrap();
        cells[i] = long.clone();
    }
    let e = flat::facts(&TextRow::new(&layout, &cells)).unwrap_err();
    assert_eq!(e.problems().len(), 3, "{e}");
    for p in e.problems() {
        assert!(p.message().len() < 400, "{}: {}", p.field(), p.message());
        assert!(!p.message().contains("enum "), "{}", p.message());
    }
}

#[test]
fn input_holding_backticks_keeps_the_quotes_of_a_message_paired() {
    // Fuzz findings: an unknown key, or a string where an object belongs,
    // holding backticks (and words such as `struct`) broke the quoting of
    // the message, so the input read as the message's own words.
    let unknown_key = FACTS.replacen(r#""line_id""#, r#""a`b`struct ::`x", "line_id""#, 1);
    let string_for_object = FACTS.replacen(
        r#""schema_version": 1,"#,
        r#""schema_version": 1, "tracking": "s``truct `X`","#,
        1,
    );
    for text in [unknown_key, string_for_object] {
        let e = OrderFacts::from_json(&text).unwrap_err();
        let message = e.to_string();
        assert_eq!(message.matches('`').count() % 2, 0, "{message}");
        let outside: String = message
            .split('`')
            .step_by(2)
            .collect::<Vec<_>>()
            .join(" ");
        for word in ["struct", "::"] {
            assert!(!outside.contains(word), "{word:?} outside quotes: {message}");
        }
    }
}
