//! The facts parser: `OrderFacts::from_json`, then validation and the
//! assessment against both presets at a `now` the facts allow.
#![no_main]

use chrono::{DateTime, Duration, Utc};
use dispute_rules::{api, Explain, OrderFacts, Policy, Status};
use dispute_rules_fuzz::{
    check_envelope, check_error, check_instants, deterministic, json_value, latest_instant, strict,
    whole_document_at_fault,
};
use libfuzzer_sys::fuzz_target;

/// What an assessment promises: the window opens before it closes and holds
/// `now` when the line is eligible; the timeline is in time order and its
/// entries have passed exactly when `now` is at or past them.
fn check_assessment(a: &api::Assessment, facts: &OrderFacts, now: DateTime<Utc>) {
    assert_eq!((&a.order_id, &a.line_id), (&facts.order_id, &facts.line_id));
    let e = &a.eligibility;
    if let Some(w) = &e.window {
        assert!(
            w.opens_at <= w.closes_at,
            "the window closes before it opens: {a:?}"
        );
    }
    if e.status == Status::Eligible {
        assert!(
            e.window.as_ref().is_some_and(|w| w.contains(now)),
            "eligible outside the window: {a:?}"
        );
        assert!(e.code.is_none(), "eligible with a code: {a:?}");
    }
    let entries = &a.timeline.entries;
    assert!(
        entries.windows(2).all(|w| w[0].at <= w[1].at),
        "the timeline is out of order: {a:?}"
    );
    for entry in entries {
        assert_eq!(
            entry.passed,
            now >= entry.at.utc,
            "`passed` is wrong: {entry:?} at {now}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    dispute_rules_fuzz::given(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let facts = match deterministic(|| OrderFacts::from_json(text)) {
        Ok(f) => f,
        Err(e) => {
            check_error(&e, whole_document_at_fault(text));
            return;
        }
    };
    let parsed = json_value(text);
    if strict() {
        assert!(
            parsed.is_some(),
            "accepted facts that are not one JSON document: {text:?}"
        );
    }

    // A success re-serializes and re-parses to the same facts.
    let json = serde_json::to_string(&facts).expect("facts serialize");
    let back = OrderFacts::from_json(&json)
        .unwrap_or_else(|e| panic!("written facts do not parse back ({e}): {json}"));
    assert_eq!(back, facts, "facts changed through JSON: {json}");
    let written: serde_json::Value = serde_json::from_str(&json).expect("written facts are JSON");
    check_instants(&written);

    // Validation and the assessment, at the latest instant of the facts and a
    // month later (so that validation passes and the rules run).
    let Some(latest) = latest_instant(&written) else {
        return;
    };
    let nows = [Some(latest), latest.checked_add_signed(Duration::days(31))];
    for id in Policy::PRESETS {
        let policy = Policy::preset_ref(id).expect("a preset");
        for now in nows.into_iter().flatten() {
            match deterministic(|| facts.validate(policy, now)) {
                Err(e) => check_error(&e, false),
                Ok(()) => {
                    let r = deterministic(|| api::assess(&facts, policy, now, Explain::Yes));
                    let answer = api::answer(&r);
                    let v = check_envelope(&answer, false);
                    if let Ok(a) = &r {
                        check_assessment(a, &facts, now);
                        check_instants(&v);
                    }
                }
            }
        }
    }
});
