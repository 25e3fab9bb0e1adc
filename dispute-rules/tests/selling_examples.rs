//! The three worked back-to-back examples of `docs/selling-side.md`
//! ("Worked examples"), checked through the JSON layer,
//! plus the business-day cases they lean on (Juneteenth, the observed
//! Independence Day, UK bank holidays).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::api::call;
use serde_json::{json, Value};

fn run(op: &str, req: &Value) -> Value {
    let out: Value = serde_json::from_str(&call(op, &req.to_string())).unwrap();
    assert_eq!(out["result"], "success", "{out:#}");
    out["answer"].clone()
}

/// The entry of one side and milestone in the merged list.
fn deadline<'a>(a: &'a Value, side: &str, milestone: &str) -> &'a Value {
    a["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["side"] == side && d["milestone"] == milestone)
        .unwrap_or_else(|| panic!("no {side} {milestone}"))
}

fn utc(d: &Value) -> &str {
    d["at"]["utc"].as_str().unwrap()
}

fn local(d: &Value) -> &str {
    d["at"]["local"].as_str().unwrap()
}

fn supplier(shipped: &str, extra: Value) -> Value {
    let mut f = json!({
        "schema_version": 1, "order_id": "AE-1", "line_id": "1",
        "unit_price": {"amount": "12.00", "currency": "USD"}, "quantity": 1,
        "shipping_cost": {"amount": "0", "currency": "USD"},
        "placed_at": "2026-01-01T00:00:00Z", "shipped_at": shipped,
        "shipping_method": "standard", "destination_country": "US",
        "tracking": {"status": "in_transit"}, "payment_method": "card"
    });
    for (k, v) in extra.as_object().unwrap() {
        f[k] = v.clone();
    }
    f
}

// --- Example 1: PayPal not received; the supplier window binds first -------

fn example1(now: &str) -> Value {
    json!({
        "customer_order": {"schema_version": 1, "order_id": "S-1", "platform": "paypal",
            "amount": {"amount": "59.90", "currency": "USD"},
            "paid_at": "2026-02-28T03:30:00Z"},
        "customer_dispute": {"reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
            "stage": "inquiry", "opened_at": "2026-04-25T21:00:00Z"},
        "facts": supplier("2026-03-02T18:00:00Z", json!({})),
        "now": now
    })
}

#[test]
fn example1_paypal_supplier_window_binds_first() {
    let a = run("back_to_back", &example1("2026-04-26T12:00:00Z"));
    // The table of the example, row by row (UTC and Los Angeles time).
    let paid = deadline(&a, "customer", "paid");
    assert_eq!(local(paid), "2026-02-27T19:30:00-08:00");
    let opens = deadline(&a, "supplier", "dispute_window_opens");
    assert_eq!(
        (utc(opens), local(opens)),
        ("2026-03-13T07:00:00Z", "2026-03-13T00:00:00-07:00")
    );
    assert_eq!(opens["rule"], "R-E1");
    let ext = deadline(&a, "supplier", "extension_request_deadline");
    assert_eq!(
        (utc(ext), local(ext)),
        ("2026-04-28T17:00:00Z", "2026-04-28T10:00:00-07:00")
    );
    assert_eq!(ext["rule"], "R-E5");
    // C-1 across the 8 March change: 10:00 PDT = 17:00Z, not 60 x 24 h (18:00Z).
    let end = deadline(&a, "supplier", "protection_ends");
    assert_eq!(
        (utc(end), local(end)),
        ("2026-05-01T17:00:00Z", "2026-05-01T10:00:00-07:00")
    );
    let resp = deadline(&a, "customer", "seller_response");
    assert_eq!(utc(resp), "2026-05-05T21:00:00Z");
    assert_eq!(
        (resp["rule"].as_str(), resp["origin"].as_str()),
        (Some("P-L4"), Some("computed"))
    );
    assert_eq!(resp["confidence"], "low");
    let inquiry_end = deadline(&a, "customer", "escalation_closes");
    assert_eq!(
        (utc(inquiry_end), inquiry_end["rule"].as_str()),
        ("2026-05-15T21:00:00Z", Some("P-W2"))
    );
    let window = deadline(&a, "customer", "filing_window_closes");
    assert_eq!(
        (utc(window), local(window)),
        ("2026-08-27T03:30:00Z", "2026-08-26T20:30:00-07:00")
    );
    assert_eq!(window["rule"], "P-W1");

    // BB-3: the extension cutoff binds first, then the protection end.
    assert_eq!(a["binding"]["milestone"], "extension_request_deadline");
    assert_eq!(a["binding"]["side"], "supplier");
    let route = &a["supplier_route"];
    assert_eq!(route["state"], "open");
    assert_eq!(route["closes_before_customer_decision"], true);
    assert_eq!(route["reason"], "not_received.too_long");
    assert_eq!(route["closes_at"]["utc"], "2026-05-01T17:00:00Z");
    assert_eq!(route["customer_decision_at"]["utc"], "2026-05-05T21:00:00Z");
    assert_eq!(a["uncovered"], Value::Null);

    // Next actions in order: extension by 28 April, dispute by 1 May, PayPal by 5 May.
    let kinds: Vec<&str> = a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "request_supplier_extension",
            "open_supplier_dispute",
            "respond_to_customer",
            "resolve_before_escalation"
        ]
    );
    let open = &a["next_actions"][1];
    assert_eq!(open["supplier_reason"], "not_received.too_long");
    assert!(open["text"]
        .as_str()
        .unwrap()
        .contains("now with reason `not_received.too_long`"));
    assert!(open["rules"].as_array().unwrap().contains(&json!("BB-3")));

    // BB-2: a customer can still file 117 days after the supplier route closes.
    assert_eq!(a["gap"]["days"], 117);
    assert_eq!(a["gap"]["customer_can_file_after_supplier_closes"], true);
    // P-V1: USD 59.90 is under the USD 750 signature threshold.
    assert_eq!(a["customer"]["evidence"]["signature"]["required"], false);
    let rules = a["rules"].as_array().unwrap();
    for id in ["R-E1", "R-E5", "P-W1", "P-W2", "P-L4", "BB-2", "BB-3"] {
        assert!(rules.contains(&json!(id)), "{id} missing from {rules:?}");
    }
}

#[test]
fn example1_after_the_cutoff_the_protection_end_binds() {
    let a = run("back_to_back", &example1("2026-04-29T12:00:00Z"));
    assert_eq!(a["binding"]["milestone"], "dispute_window_closes");
    assert_eq!(a["binding"]["at"]["utc"], "2026-05-01T17:00:00Z");
    // After the supplier window, PayPal's response binds and the route is closed.
    let a = run("back_to_back", &example1("2026-05-02T12:00:00Z"));
    assert_eq!(a["binding"]["milestone"], "seller_response");
    assert_eq!(a["supplier_route"]["state"], "closed");
    assert_eq!(a["supplier_route"]["code"], "confirmation_timeout");
    // Exposure: 59.90 + the standard dispute fee USD 20 (P-F3).
    assert_eq!(
        a["uncovered"],
        json!({"amount": "79.90", "currency": "USD"})
    );
}

#[test]
fn example1_platform_instant_wins() {
    // BB-4: PayPal's seller_response_due_date replaces the 10-day fallback.
    let mut req = example1("2026-04-26T12:00:00Z");
    req["customer_dispute"]["respond_by"] = json!("2026-04-27T21:00:00Z");
    let a = run("back_to_back", &req);
    let resp = deadline(&a, "customer", "seller_response");
    assert_eq!(utc(resp), "2026-04-27T21:00:00Z");
    assert_eq!(
        (resp["rule"].as_str(), resp["origin"].as_str()),
        (Some("P-L3"), Some("platform"))
    );
    assert!(resp.get("confidence").is_none());
    assert_eq!(a["binding"]["milestone"], "seller_response");
    assert!(a["rules"].as_array().unwrap().contains(&json!("BB-4")));
    assert!(!a["customer"]["rules"]
        .as_array()
        .unwrap()
        .contains(&json!("P-L4")));
}

// --- Example 2: Stripe (Visa 13.1) after the supplier window closed --------

fn example2(expected: Option<&str>) -> Value {
    let mut order = json!({"schema_version": 1, "order_id": "S-2", "platform": "stripe",
        "amount": {"amount": "45.00", "currency": "USD"},
        "paid_at": "2026-09-08T18:00:00Z"});
    if let Some(e) = expected {
        order["expected_delivery"] = json!(e);
    }
    json!({
        "customer_order": order,
        "customer_dispute": {"reason": "product_not_received", "network": "visa",
            "network_reason_code": "13.1", "stage": "chargeback",
            "opened_at": "2026-11-20T17:15:00Z", "respond_by": "2026-12-08T17:15:00Z"},
        "facts": supplier("2026-09-10T15:00:00Z", json!({
            "placed_at": "2026-09-08T18:30:00Z",
            "tracking": {"status": "delivered", "at": "2026-10-05T20:00:00Z"},
            "receipt": {"at": "2026-10-06T19:00:00Z", "by": "buyer"}})),
        "now": "2026-11-21T09:00:00Z"
    })
}

#[test]
fn example2_stripe_after_the_supplier_window() {
    let a = run("back_to_back", &example2(Some("2026-10-20")));
    let opens = deadline(&a, "supplier", "dispute_window_opens");
    assert_eq!(local(opens), "2026-09-21T00:00:00-07:00");
    let conf = deadline(&a, "supplier", "confirmation_window_ends");
    assert_eq!(
        (utc(conf), local(conf)),
        ("2026-10-21T19:00:00Z", "2026-10-21T12:00:00-07:00")
    );
    assert_eq!(conf["rule"], "R-E3");
    // C-1 across 1 November: 08:00 PST = 16:00Z, not 60 x 24 h (15:00Z).
    let prot = deadline(&a, "supplier", "protection_ends");
    assert_eq!(
        (utc(prot), local(prot)),
        ("2026-11-09T16:00:00Z", "2026-11-09T08:00:00-08:00")
    );
    let due = deadline(&a, "customer", "seller_response");
    assert_eq!(
        (utc(due), due["origin"].as_str(), due["rule"].as_str()),
        ("2026-12-08T17:15:00Z", Some("platform"), Some("S-L1"))
    );
    // S-N2: 120 days after the expected delivery date; day 17 Feb 2027 is the last.
    let w = &a["customer"]["windows"][0];
    assert_eq!(
        (w["family"].as_str(), w["network"].as_str()),
        (Some("not_received"), Some("visa"))
    );
    assert_eq!(w["closes_at"]["utc"], "2027-02-18T00:00:00Z");
    assert_eq!(w["closes_rule"], "S-N2");
    assert_eq!(a["customer"]["reason"]["rule"], "S-R2");

    // Only Stripe's due_by binds; the supplier route closed 30 days before the chargeback.
    assert_eq!(a["binding"]["side"], "customer");
    assert_eq!(a["binding"]["milestone"], "seller_response");
    let route = &a["supplier_route"];
    assert_eq!(
        (route["state"].as_str(), route["code"].as_str()),
        (Some("closed"), Some("confirmation_window_passed"))
    );
    assert_eq!(route["closes_at"]["utc"], "2026-10-21T19:00:00Z");
    // Exposure: 45.00 + received fee 15 (S-F1) + counter fee 15 (S-F2, disputes
    // from 17 June 2025), no conversion.
    assert_eq!(
        a["uncovered"],
        json!({"amount": "75.00", "currency": "USD"})
    );
    let fees = a["customer"]["exposure"]["fees"].as_array().unwrap();
    assert_eq!(fees.len(), 2);
    assert_eq!(
        (
            fees[0]["rule"].as_str(),
            fees[0]["returned_on_win"].as_bool()
        ),
        (Some("S-F1"), Some(false))
    );
    assert_eq!(
        (
            fees[1]["rule"].as_str(),
            fees[1]["returned_on_win"].as_bool()
        ),
        (Some("S-F2"), Some(true))
    );
    // The issuer decides up to 75 days after the evidence (S-L5).
    let decision = deadline(&a, "customer", "platform_decision");
    assert_eq!(
        (utc(decision), decision["rule"].as_str()),
        ("2027-02-21T17:15:00Z", Some("S-L5"))
    );
    // The defence: the supplier's tracking, delivered to the right address.
    let respond = a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "respond_to_customer")
        .unwrap();
    assert!(respond["text"]
        .as_str()
        .unwrap()
        .contains("supplier's tracking (delivered 2026-10-05"));
    assert!(a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["kind"] == "consider_supplier_chargeback"));
    assert!(!a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["kind"] == "open_supplier_dispute"));
}

#[test]
fn example2_window_from_processing_without_an_expected_date() {
    let a = run("back_to_back", &example2(None));
    let w = &a["customer"]["windows"][0];
    // The example's other reading: 120 days after processing, 6 January 2027 the last day.
    assert_eq!(w["closes_at"]["utc"], "2027-01-07T00:00:00Z");
    // S-N2: without a delivery date the issuer waits 15 days after the transaction.
    assert_eq!(w["opens_at"]["utc"], "2026-09-23T18:00:00Z");
    assert_eq!(
        a["customer"]["missing"][0]["field"],
        "customer_order.expected_delivery"
    );
}

// --- Example 3: eBay not received; eBay's business days bind first --------

fn example3(opened: &str, now: &str, edd: &str, country: Option<&str>) -> Value {
    let mut order = json!({"schema_version": 1, "order_id": "S-3", "platform": "ebay",
        "amount": {"amount": "35.00", "currency": "USD"},
        "paid_at": "2026-06-01T17:00:00Z", "max_estimated_delivery": edd});
    if let Some(c) = country {
        order["country"] = json!(c);
    }
    json!({
        "customer_order": order,
        "customer_dispute": {"reason": "ITEM_NOT_RECEIVED", "stage": "inr_request", "opened_at": opened},
        "facts": supplier("2026-06-03T16:00:00Z", json!({"placed_at": "2026-06-01T18:00:00Z"})),
        "now": now
    })
}

#[test]
fn example3_case_a_ebay_business_days_bind_first() {
    let a = run(
        "back_to_back",
        &example3(
            "2026-06-22T15:00:00Z",
            "2026-06-22T18:00:00Z",
            "2026-06-19",
            None,
        ),
    );
    // Supplier: disputes from 14 June; cutoff 30 July; protection ends 2 August 09:00 PDT.
    assert_eq!(
        local(deadline(&a, "supplier", "dispute_window_opens")),
        "2026-06-14T00:00:00-07:00"
    );
    assert_eq!(
        local(deadline(&a, "supplier", "extension_request_deadline")),
        "2026-07-30T09:00:00-07:00"
    );
    assert_eq!(
        utc(deadline(&a, "supplier", "protection_ends")),
        "2026-08-02T16:00:00Z"
    );
    // B-W1: from the day after the latest EDD to EDD + 30 days (19 July the last day).
    let w = &a["customer"]["windows"][0];
    assert_eq!(
        (
            w["opens_at"]["utc"].as_str(),
            w["closes_at"]["utc"].as_str()
        ),
        (Some("2026-06-20T00:00:00Z"), Some("2026-07-20T00:00:00Z"))
    );
    // B-L1: Tue 23, Wed 24, Thu 25: the seller's time ends with Thursday 25 June.
    let resp = deadline(&a, "customer", "seller_response");
    assert_eq!(
        (utc(resp), resp["rule"].as_str()),
        ("2026-06-26T00:00:00Z", Some("B-L1"))
    );
    assert_eq!(
        utc(deadline(&a, "customer", "escalation_opens")),
        "2026-06-26T00:00:00Z"
    );
    // B-L2: about 48 hours later, Sunday 28 June.
    assert_eq!(
        utc(deadline(&a, "customer", "platform_decision")),
        "2026-06-28T00:00:00Z"
    );
    // B-L3: more than 21 business days (3 July, observed Independence Day, skipped).
    let idle = deadline(&a, "customer", "idle_close");
    assert_eq!(
        (utc(idle), idle["rule"].as_str()),
        ("2026-07-23T00:00:00Z", Some("B-L3"))
    );
    assert_eq!(a["binding"]["milestone"], "seller_response");
    assert_eq!(a["binding"]["side"], "customer");
    assert_eq!(a["supplier_route"]["state"], "open");
    assert_eq!(
        a["supplier_route"]["closes_before_customer_decision"],
        false
    );
    assert!(a["customer"]["rules"]
        .as_array()
        .unwrap()
        .contains(&json!("B-T1")));
}

#[test]
fn example3_case_b_skips_the_observed_independence_day() {
    let a = run(
        "back_to_back",
        &example3(
            "2026-07-01T15:00:00Z",
            "2026-07-01T18:00:00Z",
            "2026-06-19",
            None,
        ),
    );
    // Thu 2 July, (Fri 3 July observed holiday), Mon 6, Tue 7.
    assert_eq!(
        utc(deadline(&a, "customer", "seller_response")),
        "2026-07-08T00:00:00Z"
    );
    assert_eq!(
        utc(deadline(&a, "customer", "platform_decision")),
        "2026-07-10T00:00:00Z"
    );
    assert_eq!(
        utc(deadline(&a, "customer", "idle_close")),
        "2026-08-01T00:00:00Z"
    );
}

#[test]
fn juneteenth_is_skipped() {
    // Opened Wed 17 June: Thu 18, (Fri 19 Juneteenth), Mon 22, Tue 23.
    let a = run("seller_timeline", &{
        let mut r = example3(
            "2026-06-17T15:00:00Z",
            "2026-06-17T18:00:00Z",
            "2026-06-15",
            None,
        );
        r.as_object_mut().unwrap().remove("facts");
        r
    });
    let e = a["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["milestone"] == "seller_response")
        .unwrap();
    assert_eq!(e["at"]["utc"], "2026-06-24T00:00:00Z");
}

#[test]
fn uk_bank_holidays_for_a_uk_seller() {
    // Thu 24 Dec 2026: (Fri 25 Christmas, Mon 28 Boxing Day substitute) Tue 29, Wed 30, Thu 31.
    let timeline = |country| {
        let mut r = example3(
            "2026-12-24T10:00:00Z",
            "2026-12-24T12:00:00Z",
            "2026-12-20",
            country,
        );
        r.as_object_mut().unwrap().remove("facts");
        let a = run("seller_timeline", &r);
        a["response_due"]["at"]["utc"].as_str().unwrap().to_owned()
    };
    assert_eq!(timeline(Some("GB")), "2027-01-01T00:00:00Z");
    // The US calendar skips only Christmas: Mon 28, Tue 29, Wed 30.
    assert_eq!(timeline(None), "2026-12-31T00:00:00Z");
}
