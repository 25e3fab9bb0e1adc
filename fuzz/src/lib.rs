//! The invariants every fuzz target checks, beyond "no panic":
//!
//! - an accepted document is one well-formed JSON document, and a success
//!   re-serializes and re-parses to the same value;
//! - every failure has at least one problem, each with a message, and names
//!   a field (a non-empty path) unless the document as a whole is at fault
//!   (not JSON, or not a JSON object);
//! - every instant written parses back (and a moment's `utc` and `local`
//!   are the same instant);
//! - answers are deterministic: the same input twice gives the same output.
//!
//! A few stricter checks (of findings fixed in the engine, each with a
//! regression test in `dispute-rules/tests/fuzz_findings.rs`) run when
//! [`strict`] is on, as it is by default.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use dispute_rules::calendar::rfc3339;
use dispute_rules::Error;
use serde_json::Value;
use std::sync::OnceLock;

/// Whether the strict checks run by default (they do: the engine fixed the
/// findings they were written for).
pub const STRICT_BY_DEFAULT: bool = true;

/// Whether the strict checks run: [`STRICT_BY_DEFAULT`], or the environment
/// variable `DR_FUZZ_STRICT=1`. The strict checks (with the regression
/// tests that pin them):
///
/// - a document followed by more text is refused
///   (`dispute-rules/tests/fuzz_findings.rs`: `trailing_text_*`);
/// - a duplicate field names the field, not the empty path
///   (`duplicate_field_is_named`), and so does an unknown field with an
///   empty name (`an_unknown_field_with_an_empty_name_names_a_field`);
/// - messages are lowercase, without a trailing period and without Rust
///   type names (`messages_name_no_rust_types`).
pub fn strict() -> bool {
    static STRICT: OnceLock<bool> = OnceLock::new();
    *STRICT.get_or_init(|| {
        STRICT_BY_DEFAULT
            || std::env::var("DR_FUZZ_STRICT").is_ok_and(|v| v != "0" && !v.is_empty())
    })
}

/// Every operation of `api::call`, in the order the `api_call` target picks
/// them by its input's first byte (fixed, so the seed corpus keeps its
/// meaning; [`operation`] fails when the engine has one this list lacks).
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

/// The operation a first byte picks (the high bit is left to the target).
pub fn operation(byte: u8) -> &'static str {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        for op in dispute_rules::api::OPERATIONS
            .iter()
            .chain(dispute_rules::selling::api::OPERATIONS)
        {
            assert!(
                OPERATIONS.contains(op),
                "`{op}` is not fuzzed: add it to OPERATIONS in fuzz/src/lib.rs"
            );
        }
    });
    let i = usize::from(byte & 0x7f) % OPERATIONS.len();
    OPERATIONS.get(i).copied().unwrap_or("eligibility")
}

/// The text as one JSON value, when it is one well-formed JSON document.
pub fn json_value(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

/// Whether an error about `text` may leave its field empty: the document as
/// a whole is at fault (it is not one well-formed JSON document, or not an
/// object).
pub fn whole_document_at_fault(text: &str) -> bool {
    !matches!(json_value(text), Some(Value::Object(_)))
}

/// The text with every backquoted part (user input) removed.
fn outside_backquotes(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("")
}

thread_local! {
    /// The bytes of the input being fuzzed ([`given`]).
    static INPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Notes the input being fuzzed (every target calls it first): a message
/// may repeat the input, so a word of the input is not held against it.
/// Messages quote the input in backticks, but the input can hold backticks
/// itself, which no reading of the message can tell apart from the quotes.
pub fn given(data: &[u8]) {
    INPUT.with(|i| {
        let mut i = i.borrow_mut();
        i.clear();
        i.extend_from_slice(data);
    });
}

/// Whether `word` occurs in the input noted by [`given`].
fn in_input(word: &str) -> bool {
    INPUT.with(|i| {
        i.borrow()
            .windows(word.len().max(1))
            .any(|w| w == word.as_bytes())
    })
}

/// Words that give away a Rust type in a message meant for a person.
const RUST_TYPE_WORDS: &[&str] = &[
    "struct ", "enum ", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64", "Option<", "Vec<", "DateTime", "Decimal", "::",
];

/// Outside strict mode, the problems that may name no field although the
/// document as a whole is not at fault (as the engine did before its fix):
/// a duplicate field, an unknown field named ``.
fn pending_empty_field(message: &str) -> bool {
    !strict() && (message.starts_with("duplicate field") || message.starts_with("unknown field ``"))
}

/// Checks one problem (field and message) of an error.
fn check_problem(field: &str, message: &str, whole_ok: bool, what: &dyn std::fmt::Display) {
    assert!(!message.is_empty(), "a problem without a message: {what}");
    if !whole_ok && field.is_empty() {
        assert!(
            pending_empty_field(message),
            "a problem names no field: {what}"
        );
    }
    if strict() {
        let plain = outside_backquotes(message);
        for w in RUST_TYPE_WORDS {
            assert!(
                !plain.contains(w) || in_input(w),
                "a message names a Rust type ({w:?}): {what}"
            );
        }
        assert!(
            !message.ends_with('.'),
            "a message ends with a period: {what}"
        );
        // Lowercase, but an abbreviation (`EOF`, `ISO`) keeps its capitals.
        let first = message.split(' ').next().unwrap_or("");
        assert!(
            !(first.starts_with(|c: char| c.is_ascii_uppercase())
                && first.contains(|c: char| c.is_ascii_lowercase())),
            "a message starts with a capital: {what}"
        );
    }
}

/// Checks an engine error: problems with messages and fields (see the
/// crate documentation). `whole_ok`: the document as a whole is at fault,
/// so a problem may name no field.
pub fn check_error(e: &Error, whole_ok: bool) {
    let problems = e.problems();
    assert!(!problems.is_empty(), "an error without problems: {e:?}");
    for p in &problems {
        check_problem(p.field(), p.message(), whole_ok, &format_args!("{e:?}"));
    }
    assert!(!e.to_string().is_empty());
}

/// Checks an answer envelope of `api::call` (a JSON object tagged by
/// `result`) and gives its parsed value. `whole_ok`: the request as a whole
/// is at fault, so a problem may name no field.
pub fn check_envelope(answer: &str, whole_ok: bool) -> Value {
    let v: Value = serde_json::from_str(answer)
        .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {answer}"));
    match v["result"].as_str() {
        Some("success") => {
            assert!(
                v.get("answer").is_some(),
                "a success without an answer: {answer}"
            );
            check_instants(&v["answer"]);
        }
        Some("failure") => check_error_answer(&v["error"], whole_ok, answer),
        _ => panic!("an answer that is neither a success nor a failure: {answer}"),
    }
    v
}

/// Checks the `error` object of a failure envelope.
pub fn check_error_answer(error: &Value, whole_ok: bool, answer: &str) {
    let kind = error["kind"].as_str().unwrap_or("");
    assert!(
        matches!(
            kind,
            "invalid_facts"
                | "invalid_policy"
                | "invalid_claim"
                | "invalid_request"
                | "illegal_transition"
        ),
        "an unexpected error kind {kind:?}: {answer}"
    );
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "a failure without a message: {answer}"
    );
    let problems = error["problems"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    assert!(!problems.is_empty(), "a failure without problems: {answer}");
    for p in problems {
        let field = p["field"].as_str().unwrap_or("");
        let message = p["message"].as_str().unwrap_or("");
        check_problem(field, message, whole_ok, &answer);
    }
}

/// Reads an instant as the engine reads one (RFC 3339; years past 9999 in
/// the expanded form `+10000-...`).
pub fn read_instant(s: &str) -> Option<DateTime<Utc>> {
    rfc3339::fast(s).or_else(|| {
        s.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// Whether a key of an answer holds an instant (or a date).
fn is_instant_key(key: &str) -> bool {
    matches!(
        key,
        "at" | "utc" | "local" | "since" | "due" | "now" | "refund_due"
    ) || key.ends_with("_at")
        || key.ends_with("_until")
}

/// Checks every instant of a JSON answer: each value under an instant key
/// (`at`, `utc`, `local`, `since`, `due`, `now`, `*_at`, `*_until`) is an
/// instant (or a date) that parses back, and a moment's `utc` and `local`
/// are the same instant.
pub fn check_instants(v: &Value) {
    walk(v, "", v);
}

fn walk(v: &Value, key: &str, root: &Value) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(u)), Some(Value::String(l))) = (m.get("utc"), m.get("local"))
            {
                let (tu, tl) = (read_instant(u), read_instant(l));
                assert!(
                    tu.is_some() && tu == tl,
                    "a moment's utc `{u}` and local `{l}` are not the same instant: {root}"
                );
            }
            for (k, x) in m {
                walk(x, k, root);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, key, root)),
        Value::String(s) if is_instant_key(key) => {
            let ok = read_instant(s).is_some() || s.parse::<NaiveDate>().is_ok();
            assert!(
                ok,
                "`{key}`: `{s}` does not parse back as an instant: {root}"
            );
        }
        _ => {}
    }
}

/// Checks every dated list of an answer (`entries` of a timeline,
/// `deadlines` of a back-to-back answer): earliest first, and each item
/// `passed` exactly when `now` is at or past it; a seller timeline's
/// `next_deadline` and a back-to-back answer's `binding` are the first item
/// that binds the seller and has not passed.
pub fn check_dated_lists(v: &Value, now: DateTime<Utc>) {
    let at = |item: &Value| item["at"]["utc"].as_str().and_then(read_instant);
    match v {
        Value::Object(m) => {
            for (key, first) in [("entries", "next_deadline"), ("deadlines", "binding")] {
                let Some(list) = m.get(key).and_then(Value::as_array) else {
                    continue;
                };
                let times: Vec<_> = list.iter().map(at).collect();
                if times.iter().any(Option::is_none) {
                    continue; // not a dated list
                }
                assert!(
                    times.windows(2).all(|w| w[0] <= w[1]),
                    "`{key}` out of order: {v}"
                );
                for (item, t) in list.iter().zip(&times) {
                    if let Some(passed) = item["passed"].as_bool() {
                        assert_eq!(
                            passed,
                            t.is_some_and(|t| now >= t),
                            "`passed` is wrong at {now}: {item}"
                        );
                    }
                }
                if let Some(chosen) = m.get(first) {
                    if list.iter().all(|i| i.get("binds_seller").is_some()) {
                        let want = list
                            .iter()
                            .find(|i| i["binds_seller"] == true && i["passed"] == false)
                            .unwrap_or(&Value::Null);
                        assert_eq!(chosen, want, "`{first}` is not the first binding date: {v}");
                    }
                }
            }
            m.values().for_each(|x| check_dated_lists(x, now));
        }
        Value::Array(a) => a.iter().for_each(|x| check_dated_lists(x, now)),
        _ => {}
    }
}

/// The latest instant of a JSON value (every string that reads as one),
/// for choosing a `now` that validation accepts.
pub fn latest_instant(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Object(m) => m.values().filter_map(latest_instant).max(),
        Value::Array(a) => a.iter().filter_map(latest_instant).max(),
        Value::String(s) => read_instant(s),
        _ => None,
    }
}

/// Asserts that `f` gives the same output twice.
pub fn deterministic<T: PartialEq + std::fmt::Debug>(f: impl Fn() -> T) -> T {
    let (a, b) = (f(), f());
    assert_eq!(a, b, "the same input gave two different outputs");
    a
}
