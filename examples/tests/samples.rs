//! The shared sample data parses, assesses, and still illustrates the
//! scenario it is named after; the `assess` binary runs on it.

use dispute_rules::api::{self, Request};
use dispute_rules::reasons::{Claim, Group};
use dispute_rules::{Explain, OrderFacts, Policy, Status};
use dispute_rules_examples::batch::{self, Batch, Format};
use dispute_rules_examples::generate;
use dispute_rules_examples::report::{self, Context};
use dispute_rules_examples::request::{self, Overrides, PolicyArg};
use dispute_rules_examples::samples::{self, ORDERS_BAD_LINE, ORDERS_JSONL, SAMPLES, SAMPLE_NOW};
use std::process::Command;

fn now() -> chrono::DateTime<chrono::Utc> {
    SAMPLE_NOW.parse().unwrap()
}

#[test]
fn every_major_scenario_has_a_sample() {
    let names: Vec<&str> = SAMPLES.iter().map(|s| s.name).collect();
    for required in [
        "not_received_no_tracking",
        "customs_hold",
        "delivered_not_received",
        "quantity_shortage",
        "counterfeit",
        "damaged",
        "buyer_remorse",
        "confirmed_10_days_ago",
        "confirmation_timeout",
        "cancelled_reopen",
        "too_early",
        "pending_extension",
    ] {
        assert!(names.contains(&required), "missing sample {required}");
    }
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "sample names are unique");
    assert!(samples::find(samples::DEFAULT_SAMPLE).is_some());
}

#[test]
fn every_sample_parses_with_the_api_types() {
    for s in SAMPLES {
        let r = Request::parse(s.json).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        let facts = r.facts().unwrap_or_else(|e| panic!("{}: {e}", s.name));
        assert_eq!(
            r.now,
            Some(now()),
            "{}: every sample shares SAMPLE_NOW",
            s.name
        );
        r.policy().unwrap_or_else(|e| panic!("{}: {e}", s.name));
        facts
            .validate(&Policy::aliexpress(), now())
            .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        for rule in s.rules {
            assert!(
                dispute_rules::Rule::from_id(rule).is_some(),
                "{}: unknown rule id {rule}",
                s.name
            );
        }

        let report = r
            .report()
            .unwrap_or_else(|e| panic!("{}: report: {e}", s.name))
            .expect("every sample has a report");
        if let Some(u) = report.units_received {
            assert!(
                u < facts.quantity,
                "{}: units_received is a shortage",
                s.name
            );
        }

        match (r.claim, s.expect.reason) {
            (None, None) => {}
            (Some(raw), Some(expected)) => {
                let c = Claim::from_json(raw.get())
                    .unwrap_or_else(|e| panic!("{}: claim: {e}", s.name));
                assert_eq!(c.reason.code(), expected, "{}", s.name);
                // The buyer's answer to "did you receive your package?" (002)
                // matches the reason family.
                assert_eq!(
                    report.received,
                    Some(c.reason.group() == Group::Received),
                    "{}: report.received vs reason",
                    s.name
                );
                assert_eq!(c.refund.currency, facts.currency(), "{}", s.name);
            }
            (claim, expected) => panic!(
                "{}: claim {:?} but expected reason {expected:?}",
                s.name,
                claim.map(|c| c.get())
            ),
        }
    }
}

#[test]
fn every_claim_is_what_the_engine_suggests_and_accepts_when_eligible() {
    for s in SAMPLES {
        let (loaded, x) = request::assess(s.json).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        let suggestions = x
            .suggestions
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        let top = suggestions
            .reasons
            .first()
            .unwrap_or_else(|| panic!("{}: no suggestion", s.name));
        let Some(claim) = &loaded.claim else {
            // Without a claim the checklist is for the best suggestion.
            let c = x.checklist.as_ref().unwrap().as_ref().unwrap();
            assert_eq!(c.reason, top.reason, "{}", s.name);
            continue;
        };
        // The sample's claim uses the engine's own first suggestion.
        assert_eq!(top.reason, claim.reason, "{}: first suggestion", s.name);
        let check = x.claim_check.as_ref().expect("a claim is checked");
        match (s.expect.status, check) {
            ("eligible", Ok(c)) => {
                // C-4: never more than the cap; the checklist is the claim's.
                assert!(c.refund.amount <= c.full_amount.amount, "{}: C-4", s.name);
                assert_eq!(c.checklist.reason, claim.reason, "{}", s.name);
            }
            ("eligible", Err(e)) => panic!("{}: claim refused: {e}", s.name),
            (_, Ok(_)) => panic!("{}: a claim accepted on an ineligible line", s.name),
            (_, Err(e)) => {
                let code = s.expect.code.unwrap();
                assert!(
                    e.problems()
                        .iter()
                        .any(|p| p.field() == "eligibility" && p.message().contains(code)),
                    "{}: the refusal names `{code}`: {e}",
                    s.name
                );
            }
        }
        // The JSON layer answers the same.
        let json: serde_json::Value =
            serde_json::from_str(&api::call("check_claim", s.json)).unwrap();
        assert_eq!(json["result"] == "success", check.is_ok(), "{}", s.name);
        if let Ok(c) = check {
            assert_eq!(
                json["answer"],
                serde_json::to_value(c).unwrap(),
                "{}",
                s.name
            );
        }
    }
    // 003: the missing unit is worth one unit's price, and an unboxing video
    // is what would help most (R-O4, R-V1).
    let (_, x) = request::assess(samples::find("quantity_shortage").unwrap().json).unwrap();
    let c = x.claim_check.unwrap().unwrap();
    assert_eq!(
        c.missing_units_value.map(|m| m.to_string()),
        Some("7000 KRW".to_owned())
    );
    assert_eq!(
        c.checklist.most_helpful.map(|k| k.code()),
        Some("unboxing_video")
    );
}

#[test]
fn every_sample_assesses_as_its_scenario_says_typed_and_json_alike() {
    for s in SAMPLES {
        let (loaded, x) = request::assess(s.json).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        let a = &x.assessment;
        assert_eq!(a.eligibility.status.as_str(), s.expect.status, "{}", s.name);
        assert_eq!(
            a.eligibility.code.map(|c| c.code()),
            s.expect.code,
            "{}",
            s.name
        );
        assert!(
            !a.timeline.entries.is_empty(),
            "{}: shipped samples have a timeline",
            s.name
        );

        // The JSON round trip answers the same thing.
        let json: serde_json::Value = serde_json::from_str(&api::call("assess", s.json)).unwrap();
        assert_eq!(json["result"], "success", "{}", s.name);
        let report = loaded.report.clone().unwrap_or_default();
        let case = dispute_rules::outcome::Case::new(&loaded.facts)
            .report(&report)
            .claim(loaded.claim.as_ref())
            .seller(loaded.seller);
        let full =
            dispute_rules::api::assess_full(&case, &loaded.policy, loaded.now, loaded.explain)
                .unwrap();
        assert_eq!(
            json["answer"],
            serde_json::to_value(&full).unwrap(),
            "{}: typed and JSON answers differ",
            s.name
        );

        // And the report renders every section.
        let text = report::render(&Context {
            loaded: &loaded,
            analysis: &x,
            sample: Some(s),
        });
        for section in [
            "SUGGESTED REASONS",
            "EVIDENCE CHECKLIST",
            "ORDER",
            "ELIGIBILITY",
            "TIMELINE",
            "NEXT ACTIONS",
            "Rules applied",
        ] {
            assert!(text.contains(section), "{}: no {section} section", s.name);
        }
        assert!(text.contains(&a.order_id));
        assert!(
            !text.contains("EXPLANATION"),
            "{}: no explanation unless asked",
            s.name
        );
    }
}

#[test]
fn scenario_details_survive_in_the_answers() {
    let get = |n: &str| {
        request::assess(samples::find(n).unwrap().json)
            .unwrap()
            .1
            .assessment
    };
    // R-E1 / C-1: shipped 14 March 20:00 PDT (15 March UTC): the 11th day
    // after the local date is 25 March, from 00:00 Pacific.
    let early = get("too_early");
    let w = early.eligibility.window.unwrap();
    assert_eq!(w.opens_at.utc.to_rfc3339(), "2026-03-25T07:00:00+00:00");
    // R-E5: a pending request is waited on, then the dispute must be opened.
    let pending = get("pending_extension");
    assert!(pending
        .eligibility
        .next_actions
        .iter()
        .any(|a| a.kind.as_str() == "open_dispute_if_extension_not_approved"));
    // R-E3: confirmed 10 days ago, so 5 days remain.
    let confirmed = get("confirmed_10_days_ago");
    let closes = confirmed.eligibility.window.unwrap().closes_at.utc;
    assert_eq!((closes - now()).num_days(), 5);
    // R-E8: one cancelled dispute is within the default reopen limit.
    assert!(get("cancelled_reopen").eligibility.is_eligible());
    // R-L7: a closed card order points to a chargeback.
    assert!(get("confirmation_timeout")
        .eligibility
        .next_actions
        .iter()
        .any(|a| a.kind.as_str() == "consider_chargeback"));
}

#[test]
fn explain_adds_the_reasoning() {
    let s = samples::find("confirmed_10_days_ago").unwrap();
    let o = Overrides {
        explain: true,
        ..Overrides::default()
    };
    let req = request::build(s.json, &o, || panic!("the sample has a now")).unwrap();
    let (loaded, x) = request::assess(&req).unwrap();
    assert_eq!(loaded.explain, Explain::Yes);
    let text = report::render(&Context {
        loaded: &loaded,
        analysis: &x,
        sample: Some(s),
    });
    assert!(text.contains("EXPLANATION"));
    for part in [
        "eligibility:",
        "timeline:",
        "reasons:",
        "evidence:",
        "claim:",
    ] {
        assert!(text.contains(part), "no {part} explanation");
    }
}

#[test]
fn build_wraps_bare_facts_and_applies_overrides() {
    let facts = serde_json::to_string(
        &Request::parse(samples::find("damaged").unwrap().json)
            .unwrap()
            .facts()
            .unwrap(),
    )
    .unwrap();
    // Bare facts without --now take the clock.
    let clock = now() + chrono::Duration::days(3);
    let req = request::build(&facts, &Overrides::default(), || clock).unwrap();
    let r = Request::parse(&req).unwrap();
    assert_eq!(r.now, Some(clock));
    assert_eq!(r.facts().unwrap(), OrderFacts::from_json(&facts).unwrap());
    // --now and --policy win over the request.
    let o = Overrides {
        now: Some(now() + chrono::Duration::days(100)),
        policy: Some(PolicyArg::Preset("aliexpress-legacy".into())),
        ..Overrides::default()
    };
    let req = request::build(samples::find("damaged").unwrap().json, &o, || {
        panic!("not needed")
    })
    .unwrap();
    let (loaded, x) = request::assess(&req).unwrap();
    assert_eq!(loaded.policy.id, "aliexpress-legacy");
    assert_eq!(x.assessment.eligibility.status, Status::Closed);
    // Not JSON at all: a clear message.
    assert!(request::build("order.json", &Overrides::default(), now)
        .unwrap_err()
        .contains("not a JSON object"));
}

fn table(input: &str, format: Format) -> Batch {
    let policy = Policy::aliexpress();
    Batch::collect(
        batch::outcomes(input.as_bytes(), format, &policy, now()).unwrap(),
        now(),
    )
}

#[test]
fn the_batch_reports_the_bad_line_and_sorts_the_rest_by_urgency() {
    let policy = Policy::aliexpress();
    let b = table(ORDERS_JSONL, Format::Jsonl);
    assert_eq!(ORDERS_JSONL.lines().count(), 12);
    assert_eq!(b.errors.len(), 1);
    assert_eq!(b.errors[0].line, ORDERS_BAD_LINE);
    let fields: Vec<String> = b.errors[0]
        .error
        .problems()
        .iter()
        .map(|p| p.field().to_owned())
        .collect();
    assert_eq!(
        fields,
        ["facts.unit_price.amount", "facts.tracking.at"],
        "both problems reported together, named as api::call names them"
    );
    assert_eq!(b.rows.len(), 11);
    // Soonest deadline first; lines without a deadline last.
    let deadlines: Vec<_> = b
        .rows
        .iter()
        .map(|r| r.urgent.map(|u| u.deadline.utc))
        .collect();
    let with = deadlines.iter().take_while(|d| d.is_some()).count();
    assert!(deadlines[with..].iter().all(Option::is_none));
    assert!(deadlines[..with].windows(2).all(|w| w[0] <= w[1]));
    assert!(deadlines[..with].iter().all(|d| d.unwrap() > now()));
    // The engine's own batch call agrees line by line.
    let api_items = api::assess_jsonl(&policy, now(), Explain::No, ORDERS_JSONL);
    assert_eq!(api_items.len(), 12);
    for item in &api_items {
        let v = serde_json::to_value(item).unwrap();
        let ok = v["result"] == "success";
        assert_eq!(ok, item.line != ORDERS_BAD_LINE);
        if ok {
            let row = b.rows.iter().find(|r| r.line == item.line).unwrap();
            assert_eq!(v["answer"]["eligibility"]["status"], row.status.as_str());
        }
    }
    assert_eq!(
        b.summary(),
        "12 lines: 6 eligible, 1 not yet, 2 closed, 2 blocked, 1 error (line 6)"
    );
    let table = b.table(now(), Some(3));
    assert!(table.contains("... 8 more"));
    assert!(table.contains("line 6: invalid order facts"));
}

#[test]
fn generated_lines_are_valid_varied_and_reproducible() {
    let mut out = Vec::new();
    generate::write(2000, 7, now(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let b = table(&text, Format::Jsonl);
    assert!(
        b.errors.is_empty(),
        "generated line invalid: {:?}",
        b.errors.first()
    );
    let c = b.counts();
    assert!(c.iter().all(|n| *n > 0), "every status occurs: {c:?}");
    let mut again = Vec::new();
    generate::write(2000, 7, now(), &mut again).unwrap();
    assert_eq!(text.as_bytes(), again.as_slice());
}

fn assess_bin(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_assess"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_binary_runs_the_main_job() {
    let (code, out, _) = assess_bin(&[]);
    assert_eq!(code, 0);
    assert!(out.contains("ELIGIBLE: a dispute can be opened now"));
    assert!(out.contains("PDT") && out.contains("UTC"));

    let (code, out, _) = assess_bin(&["--sample", "confirmation_timeout", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["answer"]["eligibility"]["code"], "confirmation_timeout");

    let orders = concat!(env!("CARGO_MANIFEST_DIR"), "/data/orders.jsonl");
    let (code, out, err) = assess_bin(&["--batch", orders, "--now", SAMPLE_NOW]);
    assert_eq!(code, 1, "a line failed");
    assert!(out.contains("line 6: invalid order facts"));
    assert!(out.ends_with("1 error (line 6)\n"));
    assert!(
        err.is_empty(),
        "no progress noise for a small file off a terminal: {err}"
    );

    let (code, _, err) = assess_bin(&["--frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown option `--frobnicate`"));
    let (code, _, err) = assess_bin(&["--sample", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no sample `nope`"));
}

#[test]
fn a_bad_file_gives_errors_naming_the_field() {
    let dir = std::env::temp_dir().join(format!("assess-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"{"facts": {"schema_version": 1}, "now": "2026-03-20T12:00:00Z"}"#,
    )
    .unwrap();
    let (code, _, err) = assess_bin(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("facts.order_id"), "{err}");
    let (code, out, _) = assess_bin(&[path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    assert!(out.starts_with(r#"{"result":"failure""#));
    std::fs::remove_dir_all(&dir).unwrap();
}
