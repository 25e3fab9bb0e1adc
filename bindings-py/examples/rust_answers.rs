//! Prints the Rust engine's answers on the shared sample orders, as JSON
//! lines `{"file", "op", "request", "envelope"}`, for the Python test that
//! proves Python answers equal Rust's (`tests/test_rust_parity.py`).
//!
//! Usage: `cargo run -p dispute-rules-py --example rust_answers -- DATA_DIR`
//! (default `dispute-rules/tests/data`).
//!
//! For each sample facts file: every facts operation at several `now`s
//! (before the window, in it, after it), with and without explanations,
//! under each policy preset; reason suggestions, a claim check, and a dispute
//! opened, advanced, queried and sent events (legal and illegal); a few
//! broken variants of the facts; and the `policy`, `reasons` and
//! `evidence_checklist` operations for each preset.

use chrono::{DateTime, Duration, Utc};
use dispute_rules::{api, OrderFacts, Policy};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dispute-rules/tests/data")
        });
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let text = std::fs::read_to_string(path)?;
        // Only facts documents (other sample files may hold other inputs).
        let Ok(facts) = OrderFacts::from_json(&text) else {
            continue;
        };
        let facts_json = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text)?)?;
        let start = facts.shipped_at.unwrap_or(facts.placed_at);
        let latest = [facts.paid_at, facts.shipped_at, facts.receipt.map(|r| r.at)]
            .into_iter()
            .flatten()
            .chain(facts.tracking.instant().map(|(_, t)| t))
            .chain(
                facts
                    .extensions
                    .iter()
                    .flat_map(|x| [Some(x.requested_at), x.decided_at])
                    .flatten(),
            )
            .chain(
                facts
                    .disputes
                    .iter()
                    .flat_map(|d| [Some(d.opened_at), d.closed_at])
                    .flatten(),
            )
            .chain(
                [facts.order_cancelled_at, facts.refund_completed_at]
                    .into_iter()
                    .flatten(),
            )
            .fold(facts.placed_at, DateTime::max);
        let nows: Vec<DateTime<Utc>> = [1i64, 12, 45, 70, 130]
            .iter()
            .map(|d| start + Duration::days(*d) + Duration::hours(3))
            .map(|t| t.max(latest))
            .collect();
        for now in &nows {
            let now =
                serde_json::to_string(&now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))?;
            for policy in Policy::PRESETS {
                for explain in [false, true] {
                    for op in ["eligibility", "timeline", "assess", "validate_facts"] {
                        let request = format!(
                            r#"{{"facts":{facts_json},"now":{now},"policy":"{policy}","explain":{explain}}}"#
                        );
                        out.push((name.clone(), op, request));
                    }
                }
            }
        }
        // Reasons, claims and the lifecycle on the same facts.
        for now in &nows[1..3] {
            let now =
                serde_json::to_string(&now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))?;
            let claim_of = |amount: &str| {
                format!(
                    r#"{{"reason":"not_received.no_tracking","solution":"refund_only","refund":{{"amount":"{amount}","currency":"{}"}}}}"#,
                    facts.unit_price.currency
                )
            };
            // The full refund (C-4 cap) is the claim; a partial one is refused.
            let cap = facts
                .refund_cap()
                .map(|m| m.amount.to_string())
                .unwrap_or_default();
            let (claim, partial) = (claim_of(&cap), claim_of("1"));
            out.push((
                name.clone(),
                "check_claim",
                format!(r#"{{"facts":{facts_json},"now":{now},"claim":{partial}}}"#),
            ));
            for explain in [false, true] {
                out.push((
                    name.clone(),
                    "suggest_reasons",
                    format!(
                        r#"{{"facts":{facts_json},"now":{now},"report":{{"received":false}},"explain":{explain}}}"#
                    ),
                ));
                out.push((
                    name.clone(),
                    "check_claim",
                    format!(r#"{{"facts":{facts_json},"now":{now},"claim":{claim},"explain":{explain}}}"#),
                ));
            }
            for extra in [
                String::new(),
                format!(r#","claim":{claim},"seller":{{"status":"silent"}}"#),
                format!(r#","claim":{partial},"report":{{"received":false}}"#),
                r#","seller":{"status":"counter_offered","amount":{"amount":"5","currency":"USD"}}"#.to_owned(),
                format!(
                    r#","claim":{claim},"seller":{{"status":"counter_offered","amount":{{"amount":"5","currency":"{}"}}}}"#,
                    facts.unit_price.currency
                ),
            ] {
                for op in ["assess", "predict"] {
                    out.push((name.clone(), op, format!(r#"{{"facts":{facts_json},"now":{now}{extra}}}"#)));
                }
            }
            let open = format!(r#"{{"facts":{facts_json},"now":{now},"claim":{claim}}}"#);
            let opened: serde_json::Value =
                serde_json::from_str(&api::call("lifecycle_open", &open))?;
            out.push((name.clone(), "lifecycle_open", open));
            if let Some(dispute) = opened.pointer("/answer/dispute") {
                let later = |days: i64| -> Result<String, serde_json::Error> {
                    let t = DateTime::parse_from_rfc3339(now.trim_matches('"'))
                        .map(|t| t.with_timezone(&Utc));
                    let t = t.map(|t| t + Duration::days(days)).unwrap_or(start);
                    serde_json::to_string(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                };
                let (soon, late) = (later(1)?, later(30)?);
                out.push((
                    name.clone(),
                    "lifecycle_status",
                    format!(r#"{{"dispute":{dispute},"now":{soon}}}"#),
                ));
                out.push((
                    name.clone(),
                    "lifecycle_advance",
                    format!(r#"{{"dispute":{dispute},"now":{late}}}"#),
                ));
                for actor in ["buyer", "seller", "platform"] {
                    out.push((
                        name.clone(),
                        "lifecycle_allowed",
                        format!(r#"{{"dispute":{dispute},"actor":"{actor}","now":{soon}}}"#),
                    ));
                }
                for (actor, kind) in [
                    ("seller", "accept"),
                    ("seller", "cancel"),
                    ("buyer", "escalate"),
                ] {
                    out.push((
                        name.clone(),
                        "lifecycle_apply",
                        format!(r#"{{"dispute":{dispute},"event":{{"at":{soon},"actor":"{actor}","kind":"{kind}"}}}}"#),
                    ));
                }
            }
        }
        // Broken variants: a validation problem, a parse problem, no `now`.
        let now =
            serde_json::to_string(&nows[1].to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))?;
        let mut doc: serde_json::Value = serde_json::from_str(&facts_json)?;
        if let Some(m) = doc.as_object_mut() {
            m.insert("quantity".into(), 0.into());
        }
        let zero = serde_json::to_string(&doc)?;
        if let Some(m) = doc.as_object_mut() {
            m.remove("order_id");
        }
        let missing = serde_json::to_string(&doc)?;
        for op in ["eligibility", "timeline", "assess", "validate_facts"] {
            out.push((
                name.clone(),
                op,
                format!(r#"{{"facts":{zero},"now":{now}}}"#),
            ));
            out.push((
                name.clone(),
                op,
                format!(r#"{{"facts":{missing},"now":{now}}}"#),
            ));
            out.push((name.clone(), op, format!(r#"{{"facts":{facts_json}}}"#)));
        }
    }
    for policy in Policy::PRESETS {
        out.push((
            String::new(),
            "policy",
            format!(r#"{{"policy":"{policy}"}}"#),
        ));
        out.push((
            String::new(),
            "reasons",
            format!(r#"{{"policy":"{policy}"}}"#),
        ));
        // The checklist of a claim's evidence: a good attachment and one of a
        // format the policy refuses (named under `claim.evidence`).
        for format in ["jpg", "exe"] {
            out.push((
                String::new(),
                "evidence_checklist",
                format!(
                    r#"{{"policy":"{policy}","claim":{{"reason":"received.damaged","solution":"refund_only","refund":{{"amount":"5","currency":"USD"}},"evidence":[{{"kind":"image","file_name":"a.{format}","format":"{format}","size_bytes":1000,"shows":"damage_photo"}}]}}}}"#
                ),
            ));
        }
        for reason in ["received.damaged", "not_received.too_long"] {
            out.push((
                String::new(),
                "evidence_checklist",
                format!(r#"{{"policy":"{policy}","reason":"{reason}","attachments":[]}}"#),
            ));
        }
    }
    // The selling side: the shared back-to-back requests (the worked
    // examples), whole and customer side alone, at several `now`s, with
    // policies, zones and explanations, and broken variants.
    let mut b2b: Vec<PathBuf> = std::fs::read_dir(dir.join("back_to_back"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    b2b.sort();
    for path in &b2b {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| format!("back_to_back/{n}"))
            .unwrap_or_default();
        let full: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        let now = full["now"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .ok_or("a back-to-back sample without `now`")?;
        let mut requests = Vec::new();
        for days in [0i64, 3, 12, 60] {
            let mut r = full.clone();
            r["now"] =
                serde_json::json!((now + Duration::days(days))
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
            requests.push(r);
        }
        let with = |k: &str, v: serde_json::Value| {
            let mut r = full.clone();
            r[k] = v;
            r
        };
        requests.push(with("explain", serde_json::json!(true)));
        requests.push(with("policy", serde_json::json!("aliexpress-legacy")));
        requests.push(with(
            "selling_policy",
            full["customer_order"]["platform"].clone(),
        ));
        requests.push(with("time_zone", serde_json::json!("Europe/London")));
        // Broken: each names its document's field.
        let mut bad = full.clone();
        bad["customer_order"]["paid_at"] = serde_json::json!("2026-02-30T00:00:00Z");
        requests.push(bad);
        let mut bad = full.clone();
        bad["customer_order"]["amount"]["amount"] = serde_json::json!("-1");
        bad["customer_dispute"]["stage"] = serde_json::json!("nowhere");
        requests.push(bad);
        let mut bad = full.clone();
        bad["facts"]["quantity"] = serde_json::json!(0);
        requests.push(bad);
        requests.push(with("selling_policy", serde_json::json!("venmo")));
        requests.push(with("time_zone", serde_json::json!("Mars/Base")));
        for r in &requests {
            out.push((name.clone(), "back_to_back", r.to_string()));
            let mut customer = r.clone();
            if let Some(m) = customer.as_object_mut() {
                m.remove("facts");
                m.remove("policy");
            }
            out.push((name.clone(), "seller_timeline", customer.to_string()));
            if let Some(m) = customer.as_object_mut() {
                m.remove("customer_dispute");
            }
            out.push((name.clone(), "seller_timeline", customer.to_string()));
        }
    }
    for preset in dispute_rules::selling::SellingPolicy::PRESETS
        .iter()
        .chain(&["venmo"])
    {
        out.push((
            String::new(),
            "selling_policy",
            format!(r#"{{"selling_policy":"{preset}"}}"#),
        ));
    }
    for (file, op, request) in out {
        let envelope = api::call(op, &request);
        let line =
            serde_json::json!({"file": file, "op": op, "request": request, "envelope": envelope});
        println!("{line}");
    }
    Ok(())
}
