//! The C functions answer exactly as the Rust API: the JSON entry points
//! byte-for-byte as `dispute_rules::api::call`, the typed hot path as
//! `dispute_rules::eligibility::assess` on the same facts (property test).

// Test code: unwrap, expect, panic and indexing are the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::DateTime;
use dispute_rules::{api, eligibility, Explain, OrderFacts, Policy};
use dispute_rules_c::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;
use std::ffi::{c_char, CStr, CString};
use std::ptr::null_mut;

const FACTS: &str = include_str!("../../dispute-rules/tests/data/not_received.json");

/// Runs `dr_call` and returns (status, answer or failure JSON).
fn c_call(op: &str, request: &str) -> (dr_status, String) {
    let (op, request) = (CString::new(op).unwrap(), CString::new(request).unwrap());
    let mut answer: *mut c_char = null_mut();
    let mut err: *mut dr_error = null_mut();
    // SAFETY: live C strings and writable out pointers; results freed once.
    unsafe {
        let status = dr_call(op.as_ptr(), request.as_ptr(), &mut answer, &mut err);
        let text = if status == dr_status::Ok {
            assert!(err.is_null(), "no error on success");
            CStr::from_ptr(answer).to_str().unwrap().to_owned()
        } else {
            assert!(answer.is_null(), "no answer written on failure");
            assert_eq!(dr_error_status(err), status);
            CStr::from_ptr(dr_error_json(err))
                .to_str()
                .unwrap()
                .to_owned()
        };
        dr_string_free(answer);
        dr_error_free(err);
        (status, text)
    }
}

fn requests() -> Vec<String> {
    let facts: serde_json::Value = serde_json::from_str(FACTS).unwrap();
    let mut bad_facts = facts.clone();
    bad_facts["quantity"] = json!(0);
    bad_facts["destination_country"] = json!("usa");
    let mut legacy = facts.clone();
    legacy["promised_protection_days"] = json!(20);
    vec![
        json!({"facts": facts, "now": "2026-03-20T12:00:00Z"}).to_string(),
        json!({"facts": facts, "now": "2026-03-02T12:00:00Z", "explain": true}).to_string(),
        json!({"facts": legacy, "now": "2026-06-20T12:00:00Z", "policy": "aliexpress-legacy", "explain": true}).to_string(),
        json!({"facts": bad_facts, "now": "2026-03-20T12:00:00Z"}).to_string(),
        json!({"facts": facts, "now": "2026-03-20T12:00:00Z", "policy": "nope"}).to_string(),
        json!({"facts": facts, "now": "2026-03-20T12:00:00Z", "policy": {"id": "x"}}).to_string(),
        json!({"facts": facts}).to_string(),
        json!({"facts": facts, "now": "2026-03-20T12:00:00Z", "surprise": 1}).to_string(),
        json!({"now": "2026-03-20T12:00:00Z"}).to_string(),
        "{\"facts\": ".to_owned(),
        "not json at all".to_owned(),
        "{\"facts\": {\"order_id\": \"\\u0000\"}, \"now\": \"2026-03-20T12:00:00Z\"}".to_owned(),
        String::new(),
    ]
}

#[test]
fn every_operation_answers_as_api_call() {
    let mut seen = std::collections::BTreeSet::new();
    for op in api::OPERATIONS
        .iter()
        .copied()
        .chain(["no_such_operation", ""])
    {
        for request in requests() {
            let rust = api::call(op, &request);
            let (status, c) = c_call(op, &request);
            assert_eq!(c, rust, "{op} on {request}");
            let value: serde_json::Value = serde_json::from_str(&rust).unwrap();
            if status == dr_status::Ok {
                assert_eq!(value["result"], "success");
            } else {
                // The status's name is the answer's kind.
                // SAFETY: a static C string.
                let name = unsafe { CStr::from_ptr(dr_status_name(status as u32)) }
                    .to_str()
                    .unwrap();
                assert_eq!(value["error"]["kind"], name, "{op} on {request}");
            }
            seen.insert(status as u32);
        }
    }
    // Success and every request-level failure kind were exercised.
    for s in [
        dr_status::Ok,
        dr_status::InvalidRequest,
        dr_status::InvalidFacts,
        dr_status::InvalidPolicy,
    ] {
        assert!(seen.contains(&(s as u32)), "{s:?} never seen");
    }
}

#[test]
fn error_accessors_read_the_failure() {
    let facts: serde_json::Value = serde_json::from_str(FACTS).unwrap();
    let mut bad = facts.clone();
    bad["quantity"] = json!(0);
    bad["destination_country"] = json!("usa");
    for request in [
        json!({"facts": {"schema_version": 1}, "now": "2026-03-20T12:00:00Z"}),
        json!({"facts": bad, "now": "2026-03-20T12:00:00Z"}),
    ] {
        let text = request.to_string();
        let want: serde_json::Value =
            serde_json::from_str(&api::call("eligibility", &text)).unwrap();
        let want = &want["error"];
        let request = CString::new(text).unwrap();
        let mut answer: *mut c_char = null_mut();
        let mut err: *mut dr_error = null_mut();
        // SAFETY: live C strings and writable out pointers; results freed once.
        unsafe {
            let status = dr_eligibility_json(request.as_ptr(), &mut answer, &mut err);
            assert_eq!(status, dr_status::InvalidFacts);
            assert!(answer.is_null());
            let s = |p: *const c_char| CStr::from_ptr(p).to_str().unwrap().to_owned();
            assert_eq!(s(dr_error_kind(err)), want["kind"]);
            assert_eq!(s(dr_error_message(err)), want["message"]);
            assert_eq!(s(dr_error_field(err)), want["problems"][0]["field"]);
            let problems = want["problems"].as_array().unwrap();
            assert_eq!(dr_error_problem_count(err), problems.len());
            for (i, p) in problems.iter().enumerate() {
                assert_eq!(s(dr_error_problem_field(err, i)), p["field"]);
                assert_eq!(s(dr_error_problem_message(err, i)), p["message"]);
                assert!(s(dr_error_problem_field(err, i)).starts_with("facts."));
            }
            assert!(dr_error_problem_field(err, problems.len()).is_null());
            assert_eq!(s(dr_error_code(err)), "");
            dr_error_free(err);
        }
    }
}

#[test]
fn a_loaded_policy_answers_as_call_with_policy() {
    let facts: serde_json::Value = serde_json::from_str(FACTS).unwrap();
    let legacy = Policy::aliexpress_legacy();
    let mut policy: *mut dr_policy = null_mut();
    // SAFETY: a static C string and a writable out pointer.
    unsafe {
        assert_eq!(
            dr_policy_new_preset(c"aliexpress-legacy".as_ptr(), &mut policy, null_mut()),
            dr_status::Ok
        );
    }
    for op in api::OPERATIONS {
        for request in [
            json!({"facts": facts, "now": "2026-03-20T12:00:00Z"}),
            json!({"facts": facts, "now": "2026-03-20T12:00:00Z", "policy": "aliexpress"}),
            json!({"facts": facts}),
        ] {
            let text = request.to_string();
            let want = api::call_with_policy(op, &legacy, &text);
            let (op_c, req_c) = (CString::new(*op).unwrap(), CString::new(text).unwrap());
            let mut answer: *mut c_char = null_mut();
            let mut err: *mut dr_error = null_mut();
            // SAFETY: live arguments and writable out pointers; freed once.
            unsafe {
                let st = dr_call_with_policy(
                    policy,
                    op_c.as_ptr(),
                    req_c.as_ptr(),
                    &mut answer,
                    &mut err,
                );
                let got = if st == dr_status::Ok {
                    CStr::from_ptr(answer)
                } else {
                    CStr::from_ptr(dr_error_json(err))
                };
                assert_eq!(got.to_str().unwrap(), want, "{op}");
                dr_string_free(answer);
                dr_error_free(err);
            }
        }
    }
    // The handle's policy is the one used when the request names none.
    let text = CString::new(json!({}).to_string()).unwrap();
    let mut answer: *mut c_char = null_mut();
    // SAFETY: live arguments and writable out pointers; freed once.
    unsafe {
        assert_eq!(
            dr_call_with_policy(
                policy,
                c"policy".as_ptr(),
                text.as_ptr(),
                &mut answer,
                null_mut()
            ),
            dr_status::Ok
        );
        let v: serde_json::Value =
            serde_json::from_str(CStr::from_ptr(answer).to_str().unwrap()).unwrap();
        assert_eq!(v["answer"]["id"], json!(legacy.id));
        dr_string_free(answer);
        dr_policy_free(policy);
    }
}

#[test]
fn batch_answers_as_api_assess_jsonl() {
    let facts: serde_json::Value = serde_json::from_str(FACTS).unwrap();
    let jsonl = format!("{}\n\n{{\"broken\": true}}\n{}\n", facts, facts);
    let now = DateTime::parse_from_rfc3339("2026-03-20T12:00:00Z")
        .unwrap()
        .to_utc();
    let want = api::answer(&Ok(api::assess_jsonl(
        &Policy::aliexpress(),
        now,
        Explain::Yes,
        &jsonl,
    )));
    let mut policy: *mut dr_policy = null_mut();
    let mut answer: *mut c_char = null_mut();
    let text = CString::new(jsonl).unwrap();
    // SAFETY: live C strings and writable out pointers; results freed once.
    unsafe {
        assert_eq!(
            dr_policy_new_preset(c"aliexpress".as_ptr(), &mut policy, null_mut()),
            dr_status::Ok
        );
        let status = dr_assess_jsonl(
            policy,
            now.timestamp(),
            true,
            text.as_ptr(),
            &mut answer,
            null_mut(),
        );
        assert_eq!(status, dr_status::Ok);
        assert_eq!(CStr::from_ptr(answer).to_str().unwrap(), want);
        dr_string_free(answer);
        dr_policy_free(policy);
    }
}

/// Runs `dr_batch_jsonl`: (status, JSON lines or failure JSON).
fn c_batch(
    policy: *const dr_policy,
    op: &str,
    now: i64,
    explain: bool,
    input: &[u8],
    threads: usize,
) -> (dr_status, String) {
    let op = CString::new(op).unwrap();
    let mut out: *mut c_char = null_mut();
    let mut err: *mut dr_error = null_mut();
    // SAFETY: live arguments and writable out pointers; results freed once.
    unsafe {
        let status = dr_batch_jsonl(
            policy,
            op.as_ptr(),
            now,
            explain,
            input.as_ptr(),
            input.len(),
            threads,
            &mut out,
            &mut err,
        );
        let text = if status == dr_status::Ok {
            assert!(err.is_null());
            CStr::from_ptr(out).to_str().unwrap().to_owned()
        } else {
            assert!(out.is_null());
            CStr::from_ptr(dr_error_json(err))
                .to_str()
                .unwrap()
                .to_owned()
        };
        dr_string_free(out);
        dr_error_free(err);
        (status, text)
    }
}

#[test]
fn batch_jsonl_answers_as_the_core_batch_on_any_number_of_threads() {
    let flat = FACTS.replace('\n', " ");
    // Lines over several blocks of the core's threads: good, bad facts,
    // garbage, invalid UTF-8, blank, CRLF.
    let mut input = b"\xEF\xBB\xBF".to_vec();
    for i in 0..9000 {
        match i % 7 {
            1 => input.extend_from_slice(
                flat.replace("\"quantity\": 1", "\"quantity\": 0")
                    .as_bytes(),
            ),
            3 => input.extend_from_slice(b"{\"order_id\": \"\xFF\"}"),
            5 => input.extend_from_slice(b"not json"),
            _ => input.extend_from_slice(flat.as_bytes()),
        }
        input.extend_from_slice(if i % 2 == 0 { b"\r\n" } else { b"\n\n" });
    }
    let now = DateTime::parse_from_rfc3339("2026-03-20T12:00:00Z")
        .unwrap()
        .to_utc();
    let legacy = Policy::aliexpress_legacy();
    let text = CString::new(legacy.to_json()).unwrap();
    let mut policy: *mut dr_policy = null_mut();
    // SAFETY: a live C string and a writable out pointer.
    let status = unsafe { dr_policy_new_json(text.as_ptr(), &mut policy, null_mut()) };
    assert_eq!(status, dr_status::Ok);
    for op in api::BatchOp::ALL {
        for explain in [false, true] {
            let shared = format!(r#"{{"now":"2026-03-20T12:00:00Z","explain":{explain}}}"#);
            let batch = api::Batch::with_policy(op.name(), &shared, Some(&legacy)).unwrap();
            let mut want = String::new();
            batch.write_jsonl(&input, 1, &mut want);
            assert_eq!(want.lines().count(), 9000);
            for threads in [1, 2, 0] {
                let (status, got) =
                    c_batch(policy, op.name(), now.timestamp(), explain, &input, threads);
                assert_eq!(status, dr_status::Ok);
                assert!(got == want, "{op:?} explain {explain} threads {threads}");
            }
        }
    }
    // A line's answer is that of dr_call on the order alone.
    let (_, got) = c_batch(policy, "eligibility", now.timestamp(), false, &input, 2);
    let first: serde_json::Value = serde_json::from_str(got.lines().next().unwrap()).unwrap();
    let request = format!(
        r#"{{"facts":{FACTS},"now":"2026-03-20T12:00:00Z","policy":{}}}"#,
        legacy.to_json()
    );
    let (_, single) = c_call("eligibility", &request);
    let single: serde_json::Value = serde_json::from_str(&single).unwrap();
    assert_eq!(first["answer"], single["answer"]);
    assert_eq!(
        (first["index"].as_u64(), first["line"].as_u64()),
        (Some(0), Some(1))
    );
    let bad: serde_json::Value = serde_json::from_str(got.lines().nth(3).unwrap()).unwrap();
    assert_eq!(bad["line"], 5);
    assert_eq!(bad["error"]["problems"][0]["field"], "facts");
    assert!(bad["error"]["message"].as_str().unwrap().contains("UTF-8"));
    // Empty input: no lines. Bad shared arguments: the request's error.
    assert_eq!(
        c_batch(policy, "assess", 0, false, b"", 1),
        (dr_status::Ok, String::new())
    );
    let (status, e) = c_batch(policy, "policy", 0, false, b"", 1);
    assert_eq!(status, dr_status::InvalidRequest);
    assert!(e.contains(r#""field":"operation""#), "{e}");
    let (status, e) = c_batch(policy, "assess", i64::MAX, false, b"", 1);
    assert_eq!(status, dr_status::InvalidRequest);
    assert!(e.contains(r#""field":"now""#), "{e}");
    let (status, e) = c_batch(policy, "assess", 0, false, b"", DR_MAX_THREADS + 1);
    assert_eq!(status, dr_status::InvalidRequest);
    assert!(e.contains(r#""field":"threads""#), "{e}");
    // SAFETY: a policy from this library, freed once.
    unsafe { dr_policy_free(policy) };
}

#[test]
fn policies_load_as_the_json_api_resolves_them() {
    for preset in Policy::PRESETS.iter().copied().chain(["unknown-preset"]) {
        let id = CString::new(preset).unwrap();
        let mut policy: *mut dr_policy = null_mut();
        let mut err: *mut dr_error = null_mut();
        let want = api::resolve_policy(Some(&serde_json::to_string(preset).unwrap()));
        // SAFETY: live C strings and writable out pointers; results freed once.
        unsafe {
            let status = dr_policy_new_preset(id.as_ptr(), &mut policy, &mut err);
            match want {
                Ok(p) => {
                    assert_eq!(status, dr_status::Ok);
                    let mut json: *mut c_char = null_mut();
                    assert_eq!(
                        dr_policy_to_json(policy, &mut json, null_mut()),
                        dr_status::Ok
                    );
                    assert_eq!(CStr::from_ptr(json).to_str().unwrap(), p.to_json());
                    // The JSON loads back into an equal policy.
                    let mut again: *mut dr_policy = null_mut();
                    assert_eq!(
                        dr_policy_new_json(json, &mut again, null_mut()),
                        dr_status::Ok
                    );
                    let mut json2: *mut c_char = null_mut();
                    assert_eq!(
                        dr_policy_to_json(again, &mut json2, null_mut()),
                        dr_status::Ok
                    );
                    assert_eq!(CStr::from_ptr(json), CStr::from_ptr(json2));
                    dr_string_free(json);
                    dr_string_free(json2);
                    dr_policy_free(again);
                }
                Err(e) => {
                    assert_eq!(status, dr_status::InvalidPolicy);
                    assert!(policy.is_null());
                    assert_eq!(
                        CStr::from_ptr(dr_error_json(err)).to_str().unwrap(),
                        api::answer::<()>(&Err(e))
                    );
                }
            }
            dr_policy_free(policy);
            dr_error_free(err);
        }
    }
}

/// One order line, held both as C structs (with the strings they point to)
/// and as facts JSON.
#[derive(Debug, Clone)]
struct Case {
    placed: i64,
    paid: Option<i64>,
    shipped: Option<i64>,
    method: &'static str,
    country: &'static str,
    promised: u32,
    payment: (u32, &'static str),
    tracking: (u32, i64, bool),
    receipt: Option<(i64, u32)>,
    extensions: Vec<(i64, u32, u32, Option<i64>)>,
    disputes: Vec<(i64, u32, Option<i64>)>,
    refunded: Option<i64>,
    unit_minor: i64,
    quantity: u32,
    coupon_minor: i64,
    now: i64,
}

const DAY: i64 = 86_400;
const T0: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn rfc(t: i64) -> String {
    DateTime::from_timestamp(t, 0).unwrap().to_rfc3339()
}

impl Case {
    fn json(&self) -> String {
        let money = |m: i64| json!({"amount": Decimal::new(m, 2).to_string(), "currency": "USD"});
        let mut f = json!({
            "schema_version": 1, "order_id": "8123", "line_id": "1",
            "unit_price": money(self.unit_minor), "quantity": self.quantity,
            "shipping_cost": money(150), "placed_at": rfc(self.placed),
            "shipping_method": self.method, "destination_country": self.country,
            "payment_method": self.payment.1,
        });
        let o = f.as_object_mut().unwrap();
        if self.coupon_minor != 0 {
            o.insert("coupon".into(), money(self.coupon_minor));
        }
        if let Some(t) = self.paid {
            o.insert("paid_at".into(), json!(rfc(t)));
        }
        if let Some(t) = self.shipped {
            o.insert("shipped_at".into(), json!(rfc(t)));
        }
        if self.promised != 0 {
            o.insert("promised_protection_days".into(), json!(self.promised));
        }
        let (kind, at, wrong) = self.tracking;
        let tracking = match kind {
            0 => json!({"status": "none"}),
            1 => json!({"status": "in_transit", "last_event_at": rfc(at)}),
            2 => json!({"status": "stalled", "since": rfc(at)}),
            3 => json!({"status": "customs_hold", "since": rfc(at)}),
            4 => json!({"status": "returned_to_sender", "at": rfc(at)}),
            _ => json!({"status": "delivered", "at": rfc(at), "to_correct_address": !wrong}),
        };
        o.insert("tracking".into(), tracking);
        if let Some((at, by)) = self.receipt {
            o.insert(
                "receipt".into(),
                json!({"at": rfc(at), "by": (["buyer", "automatic"][by as usize])}),
            );
        }
        let ext: Vec<_> = self
            .extensions
            .iter()
            .map(|(req, days, st, dec)| {
                let mut e = json!({"requested_at": rfc(*req), "days": days, "status": (["pending", "approved", "declined"][*st as usize])});
                if let Some(d) = dec {
                    e["decided_at"] = json!(rfc(*d));
                }
                e
            })
            .collect();
        o.insert("extensions".into(), json!(ext));
        let disputes: Vec<_> = self
            .disputes
            .iter()
            .map(|(opened, st, closed)| {
                let mut d = json!({"opened_at": rfc(*opened), "status": (["open", "cancelled", "closed_by_agreement", "decided"][*st as usize])});
                if let Some(c) = closed {
                    d["closed_at"] = json!(rfc(*c));
                }
                d
            })
            .collect();
        o.insert("disputes".into(), json!(disputes));
        if let Some(t) = self.refunded {
            o.insert("refund_completed_at".into(), json!(rfc(t)));
        }
        f.to_string()
    }

    /// Runs the typed C function; returns the answer or the failure JSON.
    fn run_c(&self, policy: *const dr_policy) -> Result<dr_eligibility, String> {
        let strings: Vec<CString> = ["8123", "1", "USD", self.method, self.country]
            .iter()
            .map(|s| CString::new(*s).unwrap())
            .collect();
        let ext: Vec<dr_extension> = self
            .extensions
            .iter()
            .map(|(req, days, st, dec)| dr_extension {
                requested_at: *req,
                days: *days,
                status: *st,
                decided_at: dec.unwrap_or(0),
            })
            .collect();
        let disputes: Vec<dr_prior_dispute> = self
            .disputes
            .iter()
            .map(|(opened, st, closed)| dr_prior_dispute {
                opened_at: *opened,
                closed_at: closed.unwrap_or(0),
                status: *st,
            })
            .collect();
        let order = dr_order {
            struct_size: std::mem::size_of::<dr_order>(),
            order_id: strings[0].as_ptr(),
            line_id: strings[1].as_ptr(),
            currency: strings[2].as_ptr(),
            amount_scale: 2,
            quantity: self.quantity,
            unit_price_minor: self.unit_minor,
            shipping_cost_minor: 150,
            coupon_minor: self.coupon_minor,
            placed_at: self.placed,
            paid_at: self.paid.unwrap_or(0),
            shipped_at: self.shipped.unwrap_or(0),
            shipping_method: strings[3].as_ptr(),
            promised_protection_days: self.promised,
            payment_method: self.payment.0,
            destination_country: strings[4].as_ptr(),
            tracking: self.tracking.0,
            delivered_to_wrong_address: u32::from(self.tracking.2 && self.tracking.0 == 5),
            tracking_at: if self.tracking.0 == 0 {
                0
            } else {
                self.tracking.1
            },
            receipt_at: self.receipt.map_or(0, |r| r.0),
            receipt_by: self.receipt.map_or(0, |r| r.1),
            order_cancelled_at: 0,
            refund_completed_at: self.refunded.unwrap_or(0),
            extensions: if ext.is_empty() {
                std::ptr::null()
            } else {
                ext.as_ptr()
            },
            extension_count: ext.len(),
            disputes: if disputes.is_empty() {
                std::ptr::null()
            } else {
                disputes.as_ptr()
            },
            dispute_count: disputes.len(),
        };
        let mut out = std::mem::MaybeUninit::<dr_eligibility>::zeroed();
        // SAFETY: a local, written before the call as the API asks.
        unsafe { (*out.as_mut_ptr()).struct_size = std::mem::size_of::<dr_eligibility>() };
        let mut err: *mut dr_error = null_mut();
        // SAFETY: the order's pointers live in `strings`, `ext` and
        // `disputes` during the call; `out` is written on success only.
        unsafe {
            match dr_order_eligibility(policy, &order, self.now, out.as_mut_ptr(), &mut err) {
                dr_status::Ok => Ok(out.assume_init()),
                _ => {
                    let json = CStr::from_ptr(dr_error_json(err))
                        .to_str()
                        .unwrap()
                        .to_owned();
                    dr_error_free(err);
                    Err(json)
                }
            }
        }
    }
}

fn case() -> impl Strategy<Value = Case> {
    let shipped = prop::option::weighted(0.9, 0..12 * DAY);
    (
        (0..60 * DAY, prop::option::of(0..3600i64), shipped, 0..3usize, 0..3usize, prop_oneof![Just(0u32), 1..120u32], 0..8u32),
        (0..6u32, 0..90 * DAY, any::<bool>(), prop::option::weighted(0.3, (0..80 * DAY, 0..2u32))),
        prop::collection::vec((0..70 * DAY, 1..30u32, 0..3u32, 0..5 * DAY), 0..3),
        prop_oneof![2 => Just(Vec::new()), 1 => prop::collection::vec((0..40 * DAY, 0..4u32, prop::option::of(0..10 * DAY)), 1..3)],
        (prop::option::weighted(0.1, 0..100 * DAY), 1..100_000i64, 1..4u32, prop_oneof![Just(0i64), 1..500i64], prop_oneof![-DAY..15 * DAY, 0..160 * DAY]),
    )
        .prop_map(|(a, b, ext, disp, c)| {
            let (placed_off, paid, shipped, method, country, promised, payment) = a;
            let placed = T0 + placed_off;
            let shipped_at = shipped.map(|s| placed + 3600 + s);
            let base = shipped_at.unwrap_or(placed);
            let (tkind, tat, wrong, receipt) = b;
            let now = base + c.4;
            let payments = ["other", "card", "wallet", "paypal", "cash_payment", "western_union", "tt", "bank_transfer"];
            Case {
                placed,
                paid: paid.map(|p| placed + p),
                shipped: shipped_at,
                method: ["standard", "expedited", "economy"][method],
                country: ["US", "RU", "BR"][country],
                promised,
                payment: (payment, payments[payment as usize]),
                tracking: (if shipped_at.is_some() { tkind } else { 0 }, base + tat % (now - base).max(1), wrong),
                receipt: shipped_at.and(receipt).map(|(at, by)| (base + at, by)),
                extensions: if shipped_at.is_some() {
                    ext.into_iter()
                        .map(|(req, days, st, dec)| (base + req, days, st, (st != 0).then_some(base + req + dec)))
                        .collect()
                } else {
                    Vec::new()
                },
                disputes: disp
                    .into_iter()
                    .map(|(op, st, cl)| (base + op, st, if st == 0 { None } else { Some(base + op + cl.unwrap_or(DAY)) }))
                    .collect(),
                refunded: c.0.map(|r| base + r),
                unit_minor: c.1,
                quantity: c.2,
                coupon_minor: c.3,
                now,
            }
        })
}

fn name(p: *const c_char) -> Option<&'static str> {
    // SAFETY: NULL or a static C string from the library.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap())
}

proptest! {
    #[test]
    fn typed_eligibility_answers_as_the_engine(c in case()) {
        let mut policy: *mut dr_policy = null_mut();
        // SAFETY: a static C string and a writable out pointer.
        prop_assert_eq!(unsafe { dr_policy_new_preset(c"aliexpress".as_ptr(), &mut policy, null_mut()) }, dr_status::Ok);
        let got = c.run_c(policy);
        // SAFETY: a policy from dr_policy_new_preset, freed once.
        unsafe { dr_policy_free(policy) };

        let facts = OrderFacts::from_json(&c.json()).unwrap();
        let now = DateTime::from_timestamp(c.now, 0).unwrap();
        let want = eligibility::assess(&facts, &Policy::aliexpress(), now, Explain::No);
        let secs = |m: Option<dispute_rules::Moment>| m.map_or(0, |m| m.utc.timestamp());
        match (got, want) {
            (Ok(g), Ok(w)) => {
                prop_assert_eq!(name(dr_eligibility_status_name(g.status)), Some(w.status.as_str()));
                prop_assert_eq!(g.ineligible, w.code.map_or(0, |c| c.number()));
                prop_assert_eq!(name(dr_ineligible_code(g.ineligible)), w.code.map(|c| c.code()));
                prop_assert_eq!(g.opens_at, secs(w.window.map(|x| x.opens_at)));
                prop_assert_eq!(g.closes_at, secs(w.window.map(|x| x.closes_at)));
                prop_assert_eq!(g.protection_end, secs(w.protection_end));
                let ext = w.next_actions.iter().find(|a| a.kind == eligibility::ActionKind::RequestExtension);
                prop_assert_eq!(g.extension_deadline, secs(ext.and_then(|a| a.deadline)));
                prop_assert_eq!(g.action_count as usize, w.next_actions.len());
                let first = w.next_actions.first();
                prop_assert_eq!(name(dr_action_name(g.next_action)), first.map(|a| a.kind.as_str()));
                prop_assert_eq!(g.next_action_from, secs(first.and_then(|a| a.from)));
                prop_assert_eq!(g.next_action_deadline, secs(first.and_then(|a| a.deadline)));
                let ids: Vec<&str> = (0..64).filter(|b| g.rules & (1u64 << b) != 0).map(|b| name(dr_rule_id(b)).unwrap()).collect();
                prop_assert_eq!(ids, w.rules.ids());
            }
            (Err(g), Err(w)) => prop_assert_eq!(g, api::answer::<()>(&Err(w))),
            (g, w) => prop_assert!(false, "C gave {:?}, Rust gave {:?}", g, w),
        }
    }
}

/// The shared back-to-back requests (the three worked examples).
const BACK_TO_BACK: [&str; 3] = [
    include_str!("../../dispute-rules/tests/data/back_to_back/paypal_supplier_binds_first.json"),
    include_str!("../../dispute-rules/tests/data/back_to_back/stripe_after_supplier_window.json"),
    include_str!("../../dispute-rules/tests/data/back_to_back/ebay_business_days_bind_first.json"),
];

/// Selling-side requests: the examples whole, without the supplier, with
/// policies named, broken.
fn selling_requests() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for text in BACK_TO_BACK {
        let full: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut customer = full.clone();
        customer.as_object_mut().unwrap().remove("facts");
        let mut named = full.clone();
        named["policy"] = json!("aliexpress-legacy");
        named["selling_policy"] = full["customer_order"]["platform"].clone();
        let mut bad = full.clone();
        bad["customer_order"]["paid_at"] = json!("2026-02-30T00:00:00Z");
        bad["facts"]["quantity"] = json!(0);
        for r in [&full, &named, &bad] {
            out.push(("back_to_back", r.to_string()));
        }
        for r in [&customer, &full] {
            out.push(("seller_timeline", r.to_string()));
        }
        let mut explained = customer.clone();
        explained["explain"] = json!(true);
        out.push(("seller_timeline", explained.to_string()));
    }
    for preset in [
        "paypal",
        "ebay",
        "amazon",
        "stripe",
        "shopify_payments",
        "venmo",
    ] {
        out.push((
            "selling_policy",
            json!({ "selling_policy": preset }).to_string(),
        ));
    }
    out.push(("selling_policy", "{}".to_owned()));
    out
}

#[test]
fn selling_operations_answer_as_api_call() {
    let mut ok = 0;
    for (op, request) in selling_requests() {
        let (status, c) = c_call(op, &request);
        assert_eq!(c, api::call(op, &request), "{op} on {request}");
        ok += usize::from(status == dr_status::Ok);
    }
    assert!(ok >= 12, "{ok} successes");
}

/// `dr_call_with_policies` with the handles given (NULL for `None`).
fn c_call_with_policies(
    policy: *const dr_policy,
    selling: *const dr_selling_policy,
    op: &str,
    request: &str,
) -> (dr_status, String) {
    let (op, request) = (CString::new(op).unwrap(), CString::new(request).unwrap());
    let mut answer: *mut c_char = null_mut();
    let mut err: *mut dr_error = null_mut();
    // SAFETY: live handles or NULL, C strings and out pointers; freed once.
    unsafe {
        let status = dr_call_with_policies(
            policy,
            selling,
            op.as_ptr(),
            request.as_ptr(),
            &mut answer,
            &mut err,
        );
        let text = if status == dr_status::Ok {
            CStr::from_ptr(answer).to_str().unwrap().to_owned()
        } else {
            CStr::from_ptr(dr_error_json(err))
                .to_str()
                .unwrap()
                .to_owned()
        };
        dr_string_free(answer);
        dr_error_free(err);
        (status, text)
    }
}

#[test]
fn loaded_policies_answer_as_selling_call_with() {
    use dispute_rules::selling::{api as selling_api, SellingPolicy};
    let legacy = Policy::aliexpress_legacy();
    let mut changed = SellingPolicy::preset("paypal").unwrap();
    changed.description.push_str(" (changed by the caller)");
    changed.id = "paypal-mine".to_owned();
    let mut policy: *mut dr_policy = null_mut();
    let mut selling: *mut dr_selling_policy = null_mut();
    let doc = CString::new(changed.to_json()).unwrap();
    // SAFETY: live C strings and writable out pointers.
    unsafe {
        assert_eq!(
            dr_policy_new_preset(c"aliexpress-legacy".as_ptr(), &mut policy, null_mut()),
            dr_status::Ok
        );
        assert_eq!(
            dr_selling_policy_new_json(doc.as_ptr(), &mut selling, null_mut()),
            dr_status::Ok
        );
    }
    let mut seen_mine = false;
    for (op, request) in selling_requests()
        .into_iter()
        .chain(api::OPERATIONS.iter().map(|op| {
            (
                *op,
                json!({"facts": serde_json::from_str::<serde_json::Value>(FACTS).unwrap(),
                         "now": "2026-03-20T12:00:00Z"})
                .to_string(),
            )
        }))
    {
        for (p, s) in [(true, true), (true, false), (false, true), (false, false)] {
            let (pp, sp) = (
                if p {
                    policy.cast_const()
                } else {
                    std::ptr::null()
                },
                if s {
                    selling.cast_const()
                } else {
                    std::ptr::null()
                },
            );
            let want =
                selling_api::call_with(op, &request, p.then_some(&legacy), s.then_some(&changed))
                    .unwrap_or_else(|| match p {
                        true => api::call_with_policy(op, &legacy, &request),
                        false => api::call(op, &request),
                    });
            let (_, got) = c_call_with_policies(pp, sp, op, &request);
            assert_eq!(got, want, "{op} {p} {s} on {request}");
            seen_mine |= got.contains("paypal-mine");
        }
    }
    assert!(seen_mine, "the loaded selling policy was never used");
    // Its JSON document loads back to an equal policy.
    let mut json_out: *mut c_char = null_mut();
    // SAFETY: a live handle and a writable out pointer; freed once.
    unsafe {
        assert_eq!(
            dr_selling_policy_to_json(selling, &mut json_out, null_mut()),
            dr_status::Ok
        );
        let back = SellingPolicy::from_json(CStr::from_ptr(json_out).to_str().unwrap()).unwrap();
        assert_eq!(back, changed);
        dr_string_free(json_out);
        assert_eq!(dr_selling_policy_free(selling), dr_status::Ok);
        assert_eq!(dr_selling_policy_free(selling), dr_status::InvalidArgument);
        dr_policy_free(policy);
    }
}

#[test]
fn selling_presets_load_as_the_json_api_resolves_them() {
    use dispute_rules::selling::{api as selling_api, SellingPolicy};
    for preset in SellingPolicy::PRESETS.iter().copied().chain(["venmo"]) {
        let id = CString::new(preset).unwrap();
        let mut policy: *mut dr_selling_policy = null_mut();
        let mut err: *mut dr_error = null_mut();
        let want = selling_api::resolve_selling_policy(&serde_json::to_string(preset).unwrap());
        // SAFETY: live C strings and writable out pointers; results freed once.
        unsafe {
            let status = dr_selling_policy_new_preset(id.as_ptr(), &mut policy, &mut err);
            match want {
                Ok(p) => {
                    assert_eq!(status, dr_status::Ok);
                    assert_eq!((*policy).policy(), &p);
                    assert_eq!(p, *SellingPolicy::preset_ref(preset).unwrap());
                }
                Err(e) => {
                    assert_eq!(status, dr_status::InvalidPolicy);
                    assert_eq!(
                        CStr::from_ptr(dr_error_json(err)).to_str().unwrap(),
                        api::answer::<()>(&Err(e))
                    );
                }
            }
            dr_selling_policy_free(policy);
            dr_error_free(err);
        }
    }
}
