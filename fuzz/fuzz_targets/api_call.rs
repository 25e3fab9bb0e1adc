//! Every operation of `api::call`: the first byte picks the operation
//! (`dispute_rules_fuzz::OPERATIONS`; high bit set: `call_with_policy` with
//! the `aliexpress-legacy` policy loaded), the rest is the JSON request.
#![no_main]

use dispute_rules::selling::SellingPolicy;
use dispute_rules::{api, Dispute, OrderFacts, Policy};
use dispute_rules_fuzz::{
    check_dated_lists, check_envelope, deterministic, json_value, operation, read_instant, strict,
    whole_document_at_fault,
};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    dispute_rules_fuzz::given(data);
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(request) = std::str::from_utf8(rest) else {
        return;
    };
    let op = operation(which);
    let loaded = Policy::preset_ref("aliexpress-legacy").expect("a preset");
    let call = || {
        if which & 0x80 != 0 {
            api::call_with_policy(op, loaded, request)
        } else {
            api::call(op, request)
        }
    };
    let answer = deterministic(call);
    let v = check_envelope(&answer, whole_document_at_fault(request));
    if v["result"] != "success" {
        return;
    }
    if strict() {
        assert!(
            json_value(request).is_some(),
            "`{op}` accepted a request that is not one JSON document: {request:?}"
        );
    }
    let a = &v["answer"];
    if let Some(now) = json_value(request).and_then(|r| r["now"].as_str().and_then(read_instant)) {
        if !op.starts_with("lifecycle_") {
            check_dated_lists(a, now);
        }
    }
    // What the answer hands back reads back as the same value.
    match op {
        "policy" => {
            let p = Policy::from_json(&a.to_string())
                .unwrap_or_else(|e| panic!("the `policy` answer does not load ({e}): {answer}"));
            assert_eq!(serde_json::to_value(&p).expect("a policy serializes"), *a);
            let again = api::call("policy", &json!({ "policy": a }).to_string());
            assert_eq!(again, answer, "the policy answer is not a fixed point");
        }
        "selling_policy" => {
            let p = SellingPolicy::from_json(&a.to_string()).unwrap_or_else(|e| {
                panic!("the `selling_policy` answer does not load ({e}): {answer}")
            });
            assert_eq!(serde_json::to_value(&p).expect("a policy serializes"), *a);
        }
        "validate_facts" => {
            let f = OrderFacts::from_json(&a.to_string()).unwrap_or_else(|e| {
                panic!("the validated facts do not parse back ({e}): {answer}")
            });
            assert_eq!(serde_json::to_value(&f).expect("facts serialize"), *a);
        }
        _ if op.starts_with("lifecycle_") && a.get("dispute").is_some() => {
            let d = &a["dispute"];
            let dispute = Dispute::from_json(&d.to_string())
                .unwrap_or_else(|e| panic!("the dispute does not load back ({e}): {answer}"));
            assert_eq!(
                serde_json::to_value(&dispute).expect("a dispute serializes"),
                *d
            );
        }
        _ => {}
    }
});
