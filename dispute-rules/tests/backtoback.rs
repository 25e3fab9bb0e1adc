//! The back-to-back assessment and the selling-side JSON operations: route
//! states, the exposure gap, the binding deadline, errors that name the
//! field, and properties over generated orders.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code"
)]

use dispute_rules::api::{call, call_with_policy};
use dispute_rules::backtoback::{self, ActionKind, RouteState, Side};
use dispute_rules::selling::{CustomerDispute, CustomerOrder, SellingPolicy};
use dispute_rules::{Explain, OrderFacts, Policy};
use proptest::prelude::*;
use serde_json::{json, Value};

fn merge(mut base: Value, extra: &Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn supplier(extra: Value) -> Value {
    merge(
        json!({
            "schema_version": 1, "order_id": "AE-1", "line_id": "1",
            "unit_price": {"amount": "12.00", "currency": "USD"}, "quantity": 1,
            "shipping_cost": {"amount": "0", "currency": "USD"},
            "placed_at": "2026-02-28T04:00:00Z", "shipped_at": "2026-03-02T18:00:00Z",
            "shipping_method": "standard", "destination_country": "US",
            "tracking": {"status": "in_transit"}, "payment_method": "wallet"
        }),
        &extra,
    )
}

fn request(dispute: Option<Value>, facts: Value, now: &str) -> Value {
    let mut r = json!({
        "customer_order": {"schema_version": 1, "order_id": "S-1", "platform": "paypal",
            "amount": {"amount": "59.90", "currency": "USD"}, "paid_at": "2026-02-28T03:30:00Z"},
        "facts": facts,
        "now": now
    });
    if let Some(d) = dispute {
        r["customer_dispute"] = d;
    }
    r
}

fn nr(extra: Value) -> Value {
    merge(
        json!({"reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "stage": "claim",
               "opened_at": "2026-04-25T21:00:00Z"}),
        &extra,
    )
}

fn ok(op: &str, req: &Value) -> Value {
    let out: Value = serde_json::from_str(&call(op, &req.to_string())).unwrap();
    assert_eq!(out["result"], "success", "{out:#}");
    out["answer"].clone()
}

fn err(op: &str, req: &Value) -> Value {
    let out: Value = serde_json::from_str(&call(op, &req.to_string())).unwrap();
    assert_eq!(out["result"], "failure", "{out:#}");
    out["error"].clone()
}

fn kinds(a: &Value) -> Vec<String> {
    a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn operations_are_listed_and_answer_through_the_envelope() {
    // Answered by `call`; listed with the core's operations once the
    // bindings have named wrappers for them.
    assert_eq!(
        dispute_rules::selling::api::OPERATIONS,
        ["selling_policy", "seller_timeline", "back_to_back"]
    );
    for op in dispute_rules::selling::api::OPERATIONS {
        let out: Value = serde_json::from_str(&call(op, "{}")).unwrap();
        assert_eq!(out["error"]["kind"], "invalid_request", "{op}");
    }
    let p = ok("selling_policy", &json!({"selling_policy": "ebay"}));
    assert_eq!(p["platform"], "ebay");
    assert!(p == serde_json::to_value(SellingPolicy::preset("ebay").unwrap()).unwrap());
    // A whole policy object is accepted back.
    let again = ok("selling_policy", &json!({"selling_policy": p}));
    assert_eq!(again["id"], "ebay");
}

#[test]
fn route_not_applicable_for_fraud_leaves_everything_uncovered() {
    let a = ok(
        "back_to_back",
        &request(
            Some(nr(json!({"reason": "UNAUTHORISED"}))),
            supplier(json!({})),
            "2026-04-26T12:00:00Z",
        ),
    );
    assert_eq!(a["supplier_route"]["state"], "not_applicable");
    assert_eq!(a["supplier_route"]["reason"], Value::Null);
    // P-F2: filed as unauthorized, no dispute fee: the amount alone.
    assert_eq!(
        a["uncovered"],
        json!({"amount": "59.90", "currency": "USD"})
    );
    assert!(
        kinds(&a).iter().all(|k| !k.contains("supplier")),
        "{:?}",
        kinds(&a)
    );
    // The supplier's dates are listed but bind nothing.
    assert!(a["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["side"] == "supplier")
        .all(|d| d["binds_seller"] == false));
}

#[test]
fn route_states_follow_the_supplier_side() {
    let now = "2026-04-26T12:00:00Z";
    let state = |facts: Value| {
        let a = ok("back_to_back", &request(Some(nr(json!({}))), facts, now));
        (
            a["supplier_route"]["state"].as_str().unwrap().to_owned(),
            kinds(&a),
        )
    };
    let (s, k) = state(supplier(
        json!({"disputes": [{"opened_at": "2026-04-20T00:00:00Z", "status": "open"}]}),
    ));
    assert_eq!(s, "dispute_open");
    assert!(k.contains(&"follow_supplier_dispute".to_owned()));
    let (s, _) = state(supplier(
        json!({"refund_completed_at": "2026-04-20T00:00:00Z"}),
    ));
    assert_eq!(s, "refunded");
    let (s, _) = state(supplier(
        json!({"shipped_at": null, "tracking": {"status": "none"}}),
    ));
    assert_eq!(s, "not_shipped");
    // Shipped recently: not yet open (R-E1); the action waits until it opens.
    let a = ok(
        "back_to_back",
        &request(
            Some(nr(json!({}))),
            supplier(json!({"shipped_at": "2026-04-20T18:00:00Z"})),
            now,
        ),
    );
    assert_eq!(a["supplier_route"]["state"], "not_yet_open");
    let open = a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "open_supplier_dispute")
        .unwrap();
    assert_eq!(open["from"]["utc"], "2026-05-01T07:00:00Z");
    assert!(open["text"]
        .as_str()
        .unwrap()
        .contains(" from 2026-05-01 00:00 PDT"));
    // Paid by card and closed: a chargeback on the supplier payment (R-L7).
    let a = ok(
        "back_to_back",
        &request(
            Some(nr(json!({}))),
            supplier(json!({"payment_method": "card"})),
            "2026-05-02T12:00:00Z",
        ),
    );
    assert_eq!(a["supplier_route"]["state"], "closed");
    assert!(kinds(&a).contains(&"consider_supplier_chargeback".to_owned()));
    assert!(a["rules"].as_array().unwrap().contains(&json!("R-L7")));
}

#[test]
fn supplier_reason_follows_the_supplier_tracking() {
    let now = "2026-04-26T12:00:00Z";
    let reason = |tracking: Value| {
        let a = ok(
            "back_to_back",
            &request(
                Some(nr(json!({}))),
                supplier(json!({"tracking": tracking})),
                now,
            ),
        );
        a["supplier_route"]["reason"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        reason(json!({"status": "none"})),
        "not_received.no_tracking"
    );
    assert_eq!(
        reason(json!({"status": "customs_hold", "since": "2026-04-01T00:00:00Z"})),
        "not_received.customs_hold"
    );
    assert_eq!(
        reason(json!({"status": "returned_to_sender", "at": "2026-04-01T00:00:00Z"})),
        "not_received.returned_to_seller"
    );
    assert_eq!(
        reason(
            json!({"status": "delivered", "at": "2026-04-01T00:00:00Z", "to_correct_address": false})
        ),
        "not_received.wrong_address"
    );
    // Delivered per the supplier's tracking: R-R6, and the defence is that tracking.
    let a = ok(
        "back_to_back",
        &request(
            Some(nr(json!({}))),
            supplier(json!({"tracking": {"status": "delivered", "at": "2026-04-01T00:00:00Z"}})),
            now,
        ),
    );
    assert_eq!(
        a["supplier_route"]["reason"],
        "not_received.delivered_not_received"
    );
    let respond = a["next_actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "respond_to_customer")
        .unwrap();
    assert!(respond["text"]
        .as_str()
        .unwrap()
        .contains("supplier's tracking (delivered 2026-03-31 17:00 PDT"));
    assert!(respond["rules"]
        .as_array()
        .unwrap()
        .contains(&json!("R-R6")));
    // BB-1: the customer's delivery is taken from that tracking.
    assert_eq!(a["customer"]["windows"][0]["family"], "not_received");
    // A not-as-described dispute keeps the mapped reason.
    let a = ok(
        "back_to_back",
        &request(
            Some(nr(
                json!({"reason": "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED"}),
            )),
            supplier(json!({})),
            now,
        ),
    );
    assert_eq!(a["supplier_route"]["reason"], "received.not_as_described");
}

#[test]
fn without_a_customer_dispute_the_gap_is_reported() {
    // BB-2: no dispute yet; PayPal's 180 days against AliExpress's 60.
    let a = ok(
        "back_to_back",
        &request(None, supplier(json!({})), "2026-03-20T12:00:00Z"),
    );
    assert_eq!(a["gap"]["days"], 117);
    assert_eq!(a["gap"]["customer_can_file_after_supplier_closes"], true);
    assert_eq!(a["supplier_route"]["state"], "open");
    assert_eq!(
        a["supplier_route"]["closes_before_customer_decision"],
        Value::Null
    );
    // BB-3 over the supplier side alone.
    assert_eq!(a["binding"]["milestone"], "extension_request_deadline");
    assert!(kinds(&a).iter().all(|k| !k.contains("customer")));
    // The supplier reason still follows the supplier's tracking.
    let a = ok(
        "back_to_back",
        &request(
            None,
            supplier(json!({"tracking": {"status": "none"}})),
            "2026-03-20T12:00:00Z",
        ),
    );
    assert_eq!(a["supplier_route"]["reason"], "not_received.no_tracking");
    // A shorter customer window gives a negative gap.
    let mut r = request(None, supplier(json!({})), "2026-03-20T12:00:00Z");
    r["customer_order"]["platform"] = json!("ebay");
    r["customer_order"]["max_estimated_delivery"] = json!("2026-03-10");
    let a = ok("back_to_back", &r);
    assert_eq!(a["gap"]["customer_can_file_after_supplier_closes"], false);
    assert!(a["gap"]["seconds"].as_i64().unwrap() < 0);
}

#[test]
fn errors_name_the_field_in_every_part() {
    let base = request(
        Some(nr(json!({}))),
        supplier(json!({})),
        "2026-04-26T12:00:00Z",
    );
    let field = |e: &Value| e["problems"][0]["field"].as_str().unwrap().to_owned();
    let e = err(
        "back_to_back",
        &merge(
            base.clone(),
            &json!({"customer_order": {"schema_version": 1}}),
        ),
    );
    assert_eq!(
        (e["kind"].as_str(), field(&e).as_str()),
        (Some("invalid_facts"), "customer_order.order_id")
    );
    let mut r = base.clone();
    r["customer_dispute"]["stage"] = json!("appeal");
    r["facts"]["quantity"] = json!(0);
    let e = err("back_to_back", &r);
    let fields: Vec<&str> = e["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["customer_dispute.stage", "facts.quantity"],
        "every part at once"
    );
    let e = err(
        "back_to_back",
        &merge(base.clone(), &json!({"selling_policy": "etsy"})),
    );
    assert_eq!(
        (e["kind"].as_str(), field(&e).as_str()),
        (Some("invalid_policy"), "selling_policy")
    );
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("known: paypal, ebay, amazon, stripe, shopify_payments"));
    let e = err(
        "back_to_back",
        &merge(base.clone(), &json!({"selling_policy": "ebay"})),
    );
    assert_eq!(field(&e), "customer_order.platform");
    let e = err(
        "back_to_back",
        &merge(base.clone(), &json!({"policy": "aliexpress-2030"})),
    );
    assert_eq!(
        (e["kind"].as_str(), field(&e).as_str()),
        (Some("invalid_policy"), "policy")
    );
    let e = err(
        "back_to_back",
        &merge(base.clone(), &json!({"time_zone": "Mars/Base"})),
    );
    assert_eq!(
        (e["kind"].as_str(), field(&e).as_str()),
        (Some("invalid_request"), "time_zone")
    );
    let mut r = base.clone();
    r.as_object_mut().unwrap().remove("facts");
    assert_eq!(field(&err("back_to_back", &r)), "facts");
    let mut r = base.clone();
    r.as_object_mut().unwrap().remove("now");
    assert_eq!(field(&err("back_to_back", &r)), "now");
    let e = err("back_to_back", &merge(base.clone(), &json!({"report": {}})));
    assert_eq!(field(&e), "report");
    // seller_timeline refuses what it does not read.
    let e = err("seller_timeline", &base);
    assert_eq!(field(&e), "facts");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("not used by `seller_timeline`"));
    let e = err("selling_policy", &json!({}));
    assert_eq!(field(&e), "selling_policy");
    // Not JSON at all.
    let out: Value = serde_json::from_str(&call("back_to_back", "{nope")).unwrap();
    assert_eq!(out["error"]["kind"], "invalid_request");
}

#[test]
fn a_loaded_supplier_policy_is_the_default() {
    let r = request(
        Some(nr(json!({}))),
        supplier(json!({})),
        "2026-04-26T12:00:00Z",
    )
    .to_string();
    let legacy = Policy::aliexpress_legacy();
    let with: Value = serde_json::from_str(&call_with_policy("back_to_back", &legacy, &r)).unwrap();
    let plain: Value = serde_json::from_str(&call("back_to_back", &r)).unwrap();
    // The legacy rules open disputes on the 6th day, not the 11th.
    assert_eq!(
        with["answer"]["supplier_route"]["opens_at"]["utc"],
        "2026-03-08T08:00:00Z"
    );
    assert_eq!(
        plain["answer"]["supplier_route"]["opens_at"]["utc"],
        "2026-03-13T07:00:00Z"
    );
    // The JSON answer is the typed answer, serialized.
    let typed = backtoback::assess(
        &CustomerOrder::from_json(
            &json!({"schema_version": 1, "order_id": "S-1", "platform": "paypal",
            "amount": {"amount": "59.90", "currency": "USD"}, "paid_at": "2026-02-28T03:30:00Z"})
            .to_string(),
        )
        .unwrap(),
        Some(&CustomerDispute::from_json(&nr(json!({})).to_string()).unwrap()),
        &SellingPolicy::preset("paypal").unwrap(),
        &OrderFacts::from_json(&supplier(json!({})).to_string()).unwrap(),
        &Policy::aliexpress(),
        "2026-04-26T12:00:00Z".parse().unwrap(),
        None,
        Explain::No,
    )
    .unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), plain["answer"]);
    assert_eq!(typed.supplier_route.state, RouteState::Open);
    assert!(typed
        .next_actions
        .iter()
        .any(|a| a.side == Side::Supplier && a.kind == ActionKind::OpenSupplierDispute));
}

#[test]
fn explanations_list_the_rules_of_both_sides() {
    let mut r = request(
        Some(nr(json!({}))),
        supplier(json!({})),
        "2026-04-26T12:00:00Z",
    );
    r["explain"] = json!(true);
    let a = ok("back_to_back", &r);
    let steps = a["explanation"].as_array().unwrap();
    assert!(steps
        .iter()
        .any(|s| s["rule"] == "BB-3" && s["text"].as_str().unwrap().contains("binds first")));
    assert!(steps.iter().any(|s| s["rule"] == "BB-2"));
    assert!(a["customer"]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["rule"] == "P-L4"));
    assert!(a["supplier"]["eligibility"]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["rule"] == "R-E1"));
    let r2 = request(
        Some(nr(json!({}))),
        supplier(json!({})),
        "2026-04-26T12:00:00Z",
    );
    let b = ok("back_to_back", &r2);
    assert!(b.get("explanation").is_none());
    assert_eq!(a["rules"], b["rules"]);
}

fn arb_case() -> impl Strategy<Value = (i64, i64, i64, i64, bool, u8)> {
    (
        0i64..200,     // payment, days after 2026-01-01
        0i64..20,      // supplier shipment, days after payment
        0i64..150,     // dispute opened, days after payment
        0i64..200,     // now, days after the dispute
        any::<bool>(), // platform instant given
        0u8..4,        // supplier tracking
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn binding_is_the_earliest_open_deadline((pay, ship, open, now, given, tracking) in arb_case()) {
        let base = chrono::DateTime::parse_from_rfc3339("2026-01-01T10:30:00Z").unwrap().with_timezone(&chrono::Utc);
        let day = |n: i64| base + chrono::Duration::days(n) + chrono::Duration::minutes(n * 37 % 600);
        let paid = day(pay);
        let shipped = day(pay + ship);
        let opened = day(pay + open);
        let now_at = day(pay + open + now).max(shipped);
        let t = match tracking {
            0 => json!({"status": "none"}),
            1 => json!({"status": "in_transit"}),
            2 => json!({"status": "delivered", "at": shipped.to_rfc3339()}),
            _ => json!({"status": "stalled", "since": shipped.to_rfc3339()}),
        };
        let mut d = nr(json!({"opened_at": opened.to_rfc3339()}));
        if given {
            d["respond_by"] = json!((opened + chrono::Duration::hours(100)).to_rfc3339());
        }
        let mut r = request(Some(d), supplier(json!({
            "placed_at": paid.to_rfc3339(), "shipped_at": shipped.to_rfc3339(), "tracking": t})), &now_at.to_rfc3339());
        r["customer_order"]["paid_at"] = json!(paid.to_rfc3339());
        let a = ok("back_to_back", &r);
        let list = a["deadlines"].as_array().unwrap();
        let utc = |v: &Value| v["at"]["utc"].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        // Sorted; the binding one is the earliest binding date not passed.
        prop_assert!(list.windows(2).all(|w| utc(&w[0]) <= utc(&w[1])));
        let first = list.iter().find(|x| x["binds_seller"] == true && x["passed"] == false);
        prop_assert_eq!(first, a.get("binding").filter(|b| !b.is_null()));
        for x in list {
            prop_assert_eq!(x["passed"].as_bool().unwrap(), now_at >= utc(x));
        }
        // BB-4: a platform instant is the response deadline, whatever the policy.
        if given {
            let resp = list.iter().find(|x| x["milestone"] == "seller_response").unwrap();
            prop_assert_eq!(&resp["origin"], "platform");
            prop_assert_eq!(utc(resp), opened + chrono::Duration::hours(100));
        }
        // Actions with deadlines come first, soonest first.
        let acts = a["next_actions"].as_array().unwrap();
        let deadlines: Vec<Option<chrono::DateTime<chrono::Utc>>> =
            acts.iter().map(|x| x.get("deadline").map(utc_of)).collect();
        let mut sorted = deadlines.clone();
        sorted.sort_by_key(|d| (d.is_none(), *d));
        prop_assert_eq!(deadlines, sorted);
        // Every action cites at least one rule.
        prop_assert!(acts.iter().all(|x| !x["rules"].as_array().unwrap().is_empty()));
    }
}

fn utc_of(v: &Value) -> chrono::DateTime<chrono::Utc> {
    v["utc"].as_str().unwrap().parse().unwrap()
}
