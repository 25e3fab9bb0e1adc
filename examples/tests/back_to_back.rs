//! The back-to-back report of `assess`: the three worked examples of
//! `docs/selling-side.md` as built-in samples, the report's binding
//! deadline, supplier route and next actions, `--json` as
//! `api::call("back_to_back", ...)`, the command-line flags for the
//! customer side, errors named as the operation names them, exit statuses.

use dispute_rules::api;
use dispute_rules_examples::b2b;
use dispute_rules_examples::request::{self, Overrides, PolicyArg};
use dispute_rules_examples::samples::{self, BackToBackSample, BACK_TO_BACK_SAMPLES, SAMPLES};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

fn sample(name: &str) -> &'static BackToBackSample {
    samples::find_back_to_back(name).unwrap()
}

/// The typed answer and the report of a request.
fn report(json: &str, s: Option<&BackToBackSample>) -> (Value, String) {
    let l = b2b::load(json).unwrap();
    let b = b2b::assess(&l).unwrap();
    (serde_json::to_value(&b).unwrap(), b2b::render(&l, &b, s))
}

fn call(json: &str) -> Value {
    serde_json::from_str(&api::call("back_to_back", json)).unwrap()
}

fn assess(args: &[&str]) -> (i32, String, String) {
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

fn temp(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("assess-b2b-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// The lines of `text` from the one starting with `heading` to the next
/// blank line.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(heading))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn every_sample_answers_as_its_worked_example_typed_and_json_alike() {
    assert_eq!(BACK_TO_BACK_SAMPLES.len(), 3);
    for s in BACK_TO_BACK_SAMPLES {
        let (typed, text) = report(s.json, Some(s));
        // The report is computed from the very answer `api::call` gives.
        let json = call(s.json);
        assert_eq!(json["result"], "success", "{}", s.name);
        assert_eq!(
            json["answer"], typed,
            "{}: typed and JSON answers differ",
            s.name
        );
        let e = &s.expect;
        assert_eq!(typed["binding"]["side"], e.binds, "{}", s.name);
        assert_eq!(typed["binding"]["milestone"], e.milestone, "{}", s.name);
        assert_eq!(typed["binding"]["rule"], e.rule, "{}", s.name);
        assert_eq!(typed["supplier_route"]["state"], e.route, "{}", s.name);
        assert_eq!(
            typed["next_actions"][0]["kind"], e.first_action,
            "{}",
            s.name
        );
        for rule in s.rules {
            assert!(
                dispute_rules::selling::AnyRule::from_id(rule).is_some(),
                "{}: unknown rule id {rule}",
                s.name
            );
            assert!(
                typed["rules"].as_array().unwrap().contains(&json!(rule)),
                "{}: {rule} is not among the answer's rules",
                s.name
            );
        }
        // The sections, in the order a dropshipper reads them.
        let at = |h: &str| text.find(h).unwrap_or_else(|| panic!("{}: no {h}", s.name));
        let order = [
            at("Back-to-back assessment: customer order"),
            at("\nBINDING DEADLINE  [BB-3]"),
            at("\nSUPPLIER ROUTE  ["),
            at("\nNEXT ACTIONS  (soonest deadline first)"),
            at("\nCUSTOMER SIDE: "),
            at("\nSUPPLIER SIDE: AliExpress"),
            at("\nRules applied: "),
        ];
        assert!(
            order.windows(2).all(|w| w[0] < w[1]),
            "{}: {order:?}",
            s.name
        );
        assert!(text.contains(&format!("  Sample      {} - {}", s.name, s.title)));
        assert!(!text.contains("EXPLANATION"), "{}: only when asked", s.name);
        // Every next action is listed, numbered, in the answer's order.
        let actions = section(&text, "NEXT ACTIONS");
        for (i, a) in typed["next_actions"].as_array().unwrap().iter().enumerate() {
            let kind = a["kind"].as_str().unwrap().replace('_', " ");
            let line = format!("  {}. {}: {kind}  [", i + 1, a["side"].as_str().unwrap());
            assert!(
                actions.iter().any(|l| l.starts_with(&line)),
                "{}: {line} in {actions:#?}",
                s.name
            );
        }
        // Both timelines list every date of their side.
        for (side, heading) in [("customer", "CUSTOMER SIDE"), ("supplier", "SUPPLIER SIDE")] {
            let rows = section(&text, heading);
            let n = typed["deadlines"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["side"] == side)
                .count();
            let listed = rows
                .iter()
                .filter(|l| {
                    l.starts_with("  passed")
                        || l.starts_with("  NEXT")
                        || l.starts_with("  upcoming")
                })
                .count();
            assert_eq!(listed, n, "{}: {side} dates", s.name);
        }
    }
}

#[test]
fn paypal_the_supplier_window_binds_first() {
    let s = sample("b2b_paypal_supplier_first");
    let (_, text) = report(s.json, Some(s));
    let binding = section(&text, "BINDING DEADLINE");
    assert_eq!(
        binding[1..3],
        [
            "  Supplier side (AliExpress): extension request deadline (R-E5)",
            "  2026-04-28 10:00 PDT  2026-04-28 17:00 UTC  in 2 days 5 h",
        ]
    );
    let route = section(&text, "SUPPLIER ROUTE");
    for part in [
        "  OPEN: an AliExpress dispute can be opened now with reason `not_received.too_long` (R-R1)",
        "to 2026-05-01 10:00 PDT (17:00 UTC)  closes in 5 days 5 h",
        "PayPal may decide from 2026-05-05 14:00 PDT (21:00 UTC): the supplier window closes BEFORE that (BB-3)",
        "117 days after the supplier route closes (BB-2)",
        "  At stake    79.90 USD if PayPal decides for the customer",
    ] {
        assert!(route.iter().any(|l| l.contains(part)), "{part}: {route:#?}");
    }
    let actions = section(&text, "NEXT ACTIONS");
    assert_eq!(
        actions[1],
        "  1. supplier: request supplier extension  [R-E5 BB-3]"
    );
    assert_eq!(
        actions[3],
        "     deadline  2026-04-28 10:00 PDT (17:00 UTC)  in 2 days 5 h"
    );
    assert_eq!(
        actions[4],
        "  2. supplier: open supplier dispute  [R-E1 R-R1 BB-3]"
    );
    assert!(
        actions[5].contains("open the AliExpress dispute now with reason `not_received.too_long`")
    );
    assert!(actions[7].starts_with("  3. customer: respond to customer  [P-L4"));
    // PayPal's fallback deadline is flagged as computed, with its confidence.
    assert!(text.contains(
        "  NEXT      2026-05-05 14:00 PDT  2026-05-05 21:00 UTC  P-L4   seller response  (computed, low confidence; binds the seller)"
    ));
    assert!(text.contains("R-E5   extension request deadline  (BINDS FIRST)"));
}

#[test]
fn stripe_after_the_supplier_window_closed_shows_what_is_uncovered() {
    let s = sample("b2b_stripe_route_closed");
    let (_, text) = report(s.json, Some(s));
    let binding = section(&text, "BINDING DEADLINE");
    assert_eq!(
        binding[1..3],
        [
            "  Customer side (Stripe): seller response (S-L1), the platform's own instant (BB-4)",
            "  2026-12-08 09:15 PST  2026-12-08 17:15 UTC  in 17 days 8 h",
        ]
    );
    let route = section(&text, "SUPPLIER ROUTE");
    assert_eq!(
        route[1],
        "  CLOSED (confirmation_window_passed, R-E3): the window after confirmed receipt has passed"
    );
    assert!(route[2].ends_with("to 2026-10-21 12:00 PDT (19:00 UTC)  closed 30 days 14 h ago"));
    assert!(route
        .iter()
        .any(|l| l.starts_with("  UNCOVERED   75.00 USD if Stripe decides for the customer")));
    let actions = section(&text, "NEXT ACTIONS");
    assert!(actions[1].starts_with("  1. customer: respond to customer  ["));
    assert!(actions[2].contains("with the supplier's tracking (delivered 2026-10-05"));
    assert!(actions[4].starts_with("  2. supplier: consider supplier chargeback  [R-L7"));
    assert!(!text.contains("open supplier dispute"));
    // The Visa window, 120 days after the promised delivery (S-N2).
    assert!(text.contains(
        "  Filing window (not received, visa): until 2027-02-17 16:00 PST (2027-02-18 00:00 UTC) (S-N2, low confidence); the dispute was filed inside it"
    ));
}

#[test]
fn ebay_business_days_bind_first() {
    let s = sample("b2b_ebay_business_days");
    let (_, text) = report(s.json, Some(s));
    let binding = section(&text, "BINDING DEADLINE");
    assert_eq!(
        binding[1..3],
        [
            "  Customer side (eBay): seller response (B-L1), computed, high confidence",
            "  2026-06-25 17:00 PDT  2026-06-26 00:00 UTC  in 3 days 6 h",
        ]
    );
    let route = section(&text, "SUPPLIER ROUTE");
    assert!(route[1].starts_with("  OPEN: an AliExpress dispute can be opened now"));
    assert!(route.iter().any(|l| l.contains(
        "eBay may decide from 2026-06-27 17:00 PDT (2026-06-28 00:00 UTC): the supplier window is still open then (BB-3)"
    )));
    let actions = section(&text, "NEXT ACTIONS");
    assert!(actions[1].starts_with("  1. customer: respond to customer  [B-L1"));
    assert!(actions[4].starts_with("  2. supplier: request supplier extension  [R-E5 BB-3]"));
    // B-L3: the idle close after the 21st business day, 3 July skipped.
    assert!(text.contains("2026-07-23 00:00 UTC  B-L3   idle close"));
}

#[test]
fn the_binary_prints_the_report_and_the_json_answer() {
    for s in BACK_TO_BACK_SAMPLES {
        let (code, out, err) = assess(&["--sample", s.name]);
        assert_eq!(code, 0, "{}: {err}", s.name);
        assert_eq!(out, report(s.json, Some(s)).1, "{}", s.name);
        let (code, out, _) = assess(&["--sample", s.name, "--json"]);
        assert_eq!(code, 0);
        assert_eq!(
            out,
            format!("{}\n", api::call("back_to_back", s.json)),
            "{}",
            s.name
        );
    }
    // --now and --time-zone go into the request: the JSON answer is the
    // operation's for that request.
    let s = sample("b2b_paypal_supplier_first");
    let args = [
        "--sample",
        s.name,
        "--now",
        "2026-05-02T12:00:00Z",
        "--time-zone",
        "Europe/London",
        "--json",
    ];
    let (code, out, _) = assess(&args);
    assert_eq!(code, 0);
    let mut req: Value = serde_json::from_str(s.json).unwrap();
    req["now"] = json!("2026-05-02T12:00:00Z");
    req["time_zone"] = json!("Europe/London");
    let want = call(&req.to_string());
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), want);
    // After the supplier window: PayPal's deadline binds, the route is closed.
    assert_eq!(want["answer"]["binding"]["milestone"], "seller_response");
    assert_eq!(want["answer"]["supplier_route"]["state"], "closed");
    let (_, text, _) = assess(&args[..6]);
    assert!(text.contains("local time Europe/London"), "{text}");
    assert!(
        text.contains("2026-05-05 22:00 BST  2026-05-05 21:00 UTC"),
        "{text}"
    );
    assert!(text.contains("  UNCOVERED   79.90 USD"), "{text}");
}

#[test]
fn the_customer_side_can_come_from_flags() {
    let s = sample("b2b_stripe_route_closed");
    let req: Value = serde_json::from_str(s.json).unwrap();
    let facts = temp("facts.json", &req["facts"].to_string());
    let order = temp("order.json", &req["customer_order"].to_string());
    let dispute = temp("dispute.json", &req["customer_dispute"].to_string());
    let policy = temp(
        "stripe.json",
        &dispute_rules::selling::SellingPolicy::preset("stripe")
            .unwrap()
            .to_json(),
    );
    let now = req["now"].as_str().unwrap();
    let flags = [
        facts.to_str().unwrap(),
        "--customer-order",
        order.to_str().unwrap(),
        "--customer-dispute",
        dispute.to_str().unwrap(),
        "--now",
        now,
    ];
    let (code, out, err) = assess(&flags);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        report(s.json, None).1,
        "the same report, without the sample line"
    );
    // A selling policy file, and --json.
    let mut args = flags.to_vec();
    args.extend(["--selling-policy", policy.to_str().unwrap(), "--json"]);
    let (code, out, _) = assess(&args);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), call(s.json));
    // The request builder does the same.
    let o = Overrides {
        customer_order: Some(req["customer_order"].to_string()),
        customer_dispute: Some(req["customer_dispute"].to_string()),
        selling_policy: Some(PolicyArg::Preset("stripe".into())),
        ..Overrides::default()
    };
    let built = request::build(&req["facts"].to_string(), &o, || now.parse().unwrap()).unwrap();
    assert!(request::is_back_to_back(&built));
    assert_eq!(call(&built), call(s.json));
    // Without a customer side, the request is the supplier's.
    let plain = request::build(&req["facts"].to_string(), &Overrides::default(), || {
        now.parse().unwrap()
    })
    .unwrap();
    assert!(!request::is_back_to_back(&plain));
    for name in SAMPLES.iter().map(|s| s.json) {
        assert!(!request::is_back_to_back(name));
    }
}

#[test]
fn load_names_every_error_as_the_operation_does() {
    let base: Value = serde_json::from_str(sample("b2b_paypal_supplier_first").json).unwrap();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut r = base.clone();
        f(&mut r);
        r.to_string()
    };
    let cases = [
        with(&|r| {
            r.as_object_mut().unwrap().remove("customer_order");
        }),
        with(&|r| r["customer_order"]["paid_at"] = json!("yesterday")),
        with(&|r| r["customer_order"]["platform"] = json!("venmo")),
        with(&|r| r["customer_dispute"]["stage"] = json!("claimz")),
        with(&|r| r["customer_dispute"]["opened_at"] = json!("2026-01-01T00:00:00Z")),
        with(&|r| {
            r.as_object_mut().unwrap().remove("facts");
        }),
        with(&|r| r["facts"]["quantity"] = json!("one")),
        // Problems of both sides, reported together.
        with(&|r| {
            r["facts"]["unit_price"]["amount"] = json!("-1");
            r["customer_order"]["amount"]["amount"] = json!("-1");
        }),
        with(&|r| r["policy"] = json!("aliexpress-2019")),
        with(&|r| r["selling_policy"] = json!("venmo")),
        with(&|r| r["selling_policy"] = json!("ebay")),
        with(&|r| {
            r.as_object_mut().unwrap().remove("now");
        }),
        with(&|r| r["time_zone"] = json!("Mars/Olympus_Mons")),
        with(&|r| r["report"] = json!({"received": false})),
        "{not json".to_owned(),
    ];
    for req in &cases {
        let want = call(req);
        assert_eq!(want["result"], "failure", "{req}");
        let got = b2b::load(req).and_then(|l| b2b::assess(&l)).unwrap_err();
        assert_eq!(
            serde_json::to_value(api::ErrorAnswer::from(&got)).unwrap(),
            want["error"],
            "{req}"
        );
    }
}

#[test]
fn refusals_and_usage_errors_have_their_exit_statuses() {
    // The engine refuses the order: 1, every problem named on stderr.
    let s = sample("b2b_ebay_business_days");
    let mut req: Value = serde_json::from_str(s.json).unwrap();
    req["customer_dispute"]["stage"] = json!("return_request");
    req["facts"]["shipped_at"] = json!("2027-01-01T00:00:00Z");
    let bad = temp("bad.json", &req.to_string());
    let (code, out, err) = assess(&[bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("`customer_dispute.stage`: the `return_request` stage is only for"),
        "{err}"
    );
    assert!(err.contains("`facts.shipped_at`"), "{err}");
    let (code, out, _) = assess(&[bad.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!("{}\n", api::call("back_to_back", &req.to_string()))
    );
    // A request naming any part of the customer side is a back-to-back
    // request: without its customer order, that is what is missing.
    for (key, value) in [
        ("customer_dispute", req["customer_dispute"].clone()),
        ("selling_policy", json!("ebay")),
        ("time_zone", json!("UTC")),
    ] {
        let partial = json!({"facts": req["facts"], key: value, "now": req["now"]});
        let path = temp("partial.json", &partial.to_string());
        let (code, _, err) = assess(&[path.to_str().unwrap()]);
        assert_eq!(code, 1, "{key}");
        assert!(
            err.contains("invalid request: `customer_order`: missing field `customer_order`"),
            "{key}: {err}"
        );
    }
    // Usage and input errors: 2.
    let order = temp("order.json", &req["customer_order"].to_string());
    let order = order.to_str().unwrap();
    let not_json = temp("not.json", "{customer");
    let facts = temp("facts.json", &req["facts"].to_string());
    let facts = facts.to_str().unwrap();
    for (args, says) in [
        (
            vec![facts, "--customer-order", "/nonexistent/order.json"],
            "--customer-order `/nonexistent/order.json`",
        ),
        (
            vec![facts, "--customer-order", not_json.to_str().unwrap()],
            "the customer order is not JSON",
        ),
        (
            vec![
                facts,
                "--customer-order",
                order,
                "--customer-dispute",
                not_json.to_str().unwrap(),
            ],
            "the customer dispute is not JSON",
        ),
        (
            vec![
                facts,
                "--customer-order",
                order,
                "--selling-policy",
                "/nonexistent/p.json",
            ],
            "not a preset (paypal, ebay, amazon, stripe, shopify_payments)",
        ),
        (
            vec!["--batch", facts, "--customer-order", order],
            "--customer-order goes with one order",
        ),
        (
            vec!["--list-samples", "--time-zone", "UTC"],
            "--time-zone goes with one order",
        ),
        (
            vec!["--back-to-back"],
            "--back-to-back goes with --generate",
        ),
        (vec!["--customer-order"], "--customer-order needs a value"),
    ] {
        let (code, out, err) = assess(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // An unknown sample lists the back-to-back samples too.
    let (code, _, err) = assess(&["--sample", "nope"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("b2b_paypal_supplier_first, b2b_stripe_route_closed, b2b_ebay_business_days"),
        "{err}"
    );
}

#[test]
fn list_samples_and_explain() {
    let (code, out, _) = assess(&["--list-samples"]);
    assert_eq!(code, 0);
    let (supplier, b2b) = out.split_once("\nBack to back").unwrap();
    assert_eq!(supplier.lines().count(), SAMPLES.len());
    for s in BACK_TO_BACK_SAMPLES {
        let line = b2b.lines().find(|l| l.starts_with(s.name)).unwrap();
        assert!(line.contains(s.title), "{line}");
        assert!(
            line.ends_with(&format!("[{}]", s.rules.join(" "))),
            "{line}"
        );
    }
    let (code, out, _) = assess(&["--sample", "b2b_stripe_route_closed", "--explain"]);
    assert_eq!(code, 0);
    let x = section(&out, "EXPLANATION");
    for part in [
        "  back-to-back:",
        "  customer side:",
        "  supplier eligibility:",
        "  supplier timeline:",
    ] {
        assert!(x.contains(&part), "{part}: {x:#?}");
    }
    assert!(
        x.iter()
            .any(|l| l.starts_with("    BB-4   the platform's `evidence_details.due_by`")),
        "{x:#?}"
    );
}

#[test]
fn every_sample_request_is_the_worked_example_of_the_reference() {
    // The digest's facts, as `dispute-rules/tests/selling_examples.rs` has
    // them: the anchors the dates are computed from.
    let get = |n: &str| -> Value { serde_json::from_str(sample(n).json).unwrap() };
    let p = get("b2b_paypal_supplier_first");
    assert_eq!(
        (
            &p["customer_order"]["paid_at"],
            &p["facts"]["shipped_at"],
            &p["customer_dispute"]["opened_at"],
            &p["now"]
        ),
        (
            &json!("2026-02-28T03:30:00Z"),
            &json!("2026-03-02T18:00:00Z"),
            &json!("2026-04-25T21:00:00Z"),
            &json!("2026-04-26T12:00:00Z")
        )
    );
    let s = get("b2b_stripe_route_closed");
    assert_eq!(
        (
            &s["customer_order"]["expected_delivery"],
            &s["facts"]["receipt"]["at"],
            &s["customer_dispute"]["respond_by"]
        ),
        (
            &json!("2026-10-20"),
            &json!("2026-10-06T19:00:00Z"),
            &json!("2026-12-08T17:15:00Z")
        )
    );
    let e = get("b2b_ebay_business_days");
    assert_eq!(
        (
            &e["customer_order"]["max_estimated_delivery"],
            &e["customer_dispute"]["opened_at"]
        ),
        (&json!("2026-06-19"), &json!("2026-06-22T15:00:00Z"))
    );
}

#[test]
fn the_first_action_is_the_first_whose_deadline_is_ahead() {
    let s = sample("b2b_paypal_supplier_first");
    let b = b2b::assess(&b2b::load(s.json).unwrap()).unwrap();
    let kind =
        |now: &str| b2b::first_action(&b, now.parse().unwrap()).map(|a| b2b::action_name(a.kind));
    // The extension cutoff (28 April), the window end (1 May), PayPal (5 May).
    assert_eq!(
        kind("2026-04-26T12:00:00Z"),
        Some("request_supplier_extension")
    );
    assert_eq!(kind("2026-04-29T12:00:00Z"), Some("open_supplier_dispute"));
    assert_eq!(kind("2026-05-02T12:00:00Z"), Some("respond_to_customer"));
    // Every deadline passed: the first action all the same.
    assert_eq!(
        kind("2027-01-01T00:00:00Z"),
        Some("request_supplier_extension")
    );
    let urgent = |now: &str| {
        dispute_rules_examples::batch::back_to_back_urgency(&b, now.parse().unwrap())
            .map(|u| (u.kind, u.deadline.utc.to_rfc3339()))
    };
    assert_eq!(
        urgent("2026-04-29T12:00:00Z"),
        Some((
            "open_supplier_dispute",
            "2026-05-01T17:00:00+00:00".to_owned()
        ))
    );
    assert_eq!(urgent("2027-01-01T00:00:00Z"), None);
}
