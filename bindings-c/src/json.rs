//! JSON in, JSON out: every operation of `dispute_rules::api`.
//!
//! [`dr_call`] runs any operation by name, so an operation added to the core
//! works from C at once. Each operation also has a named wrapper
//! (`dr_<operation>_json`); adding one is a single forwarding function below,
//! and `tests::every_operation_has_a_named_wrapper` fails until it exists.

use crate::error::{boundary, dr_error, guard, ErrorOut, Failure};
use crate::policy::{dr_policy, live_policy};
use crate::status::dr_status;
use crate::strings::{arg_str, into_c, static_table, Out};
use dispute_rules::api;
use dispute_rules::{Error, Explain, Problems};
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// Every success answer of `api::call` starts with this (the envelope's tag
/// is serialized first).
const SUCCESS: &str = r#"{"result":"success""#;

/// Hands a success answer to C, or turns a failure answer into a `Failure`.
pub(crate) fn deliver(answer: String, answer_out: Out<*mut c_char>) -> Result<(), Failure> {
    if !answer.starts_with(SUCCESS) {
        return Err(Failure::from_envelope(answer));
    }
    answer_out.put(into_c(answer)?);
    Ok(())
}

/// Runs `operation` on `request_json` (the body of every named wrapper).
///
/// # Safety
/// As for [`dr_call`].
unsafe fn call_named(
    operation: &str,
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: `request_json` is NULL or a live C string (contract).
        let request = unsafe { arg_str(request_json, "request_json") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(answer_out, "answer_out") }?;
        deliver(api::call(operation, request), out)
    })
}

/// Runs one operation of the engine on a JSON request.
///
/// `operation` is one of the names listed by `dr_operation_name` (for
/// example `"eligibility"`); `request_json` is a request such as
/// `{"facts": {...}, "now": "2026-03-20T12:00:00Z", "policy": "aliexpress",
/// "explain": false}`.
///
/// On success returns `DR_STATUS_OK` and stores in `*answer_out` the answer,
/// `{"result":"success","answer":{...}}`, byte-for-byte as Rust's
/// `dispute_rules::api::call` and the Python binding answer; free it with
/// `dr_string_free`. On failure returns the status, leaves `*answer_out`
/// untouched, and (when `error_out` is not NULL) stores a `dr_error` whose
/// `dr_error_json` is the failure answer `{"result":"failure",...}`. An
/// unknown operation is `DR_STATUS_INVALID_REQUEST`.
///
/// # Safety
/// `operation` and `request_json` must be NULL or NUL-terminated strings;
/// `answer_out` and `error_out` must be NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_call(
    operation: *const c_char,
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or live C strings (this function's contract).
        let op = unsafe { arg_str(operation, "operation") }?;
        // SAFETY: as above.
        let request = unsafe { arg_str(request_json, "request_json") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(answer_out, "answer_out") }?;
        deliver(api::call(op, request), out)
    })
}

/// `dr_call` with a loaded policy: requests that name no `policy` use
/// `policy` (parsed and validated once, when it was loaded) instead of the
/// default preset; a request's own `policy` still wins. The answer is
/// byte-for-byte that of Rust's `dispute_rules::api::call_with_policy`.
///
/// # Safety
/// `policy` must be NULL or a `dr_policy` pointer (see `dr_policy_free`);
/// otherwise as for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_call_with_policy(
    policy: *const dr_policy,
    operation: *const c_char,
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a policy pointer (this function's contract).
        let policy = unsafe { live_policy(policy, "policy") }?;
        // SAFETY: NULL or live C strings (this function's contract).
        let op = unsafe { arg_str(operation, "operation") }?;
        // SAFETY: as above.
        let request = unsafe { arg_str(request_json, "request_json") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(answer_out, "answer_out") }?;
        deliver(api::call_with_policy(op, policy.policy(), request), out)
    })
}

/// `dr_call("eligibility", ...)`: can a dispute be opened now (R-E1..R-E9).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_eligibility_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("eligibility", request_json, answer_out, error_out) }
}

/// `dr_call("timeline", ...)`: every date that matters, in order.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_timeline_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("timeline", request_json, answer_out, error_out) }
}

/// `dr_call("assess", ...)`: eligibility and timeline together.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_assess_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("assess", request_json, answer_out, error_out) }
}

/// `dr_call("validate_facts", ...)`: checks the facts; answers them back.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_validate_facts_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("validate_facts", request_json, answer_out, error_out) }
}

/// `dr_call("policy", ...)`: the resolved, validated policy of the request.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("policy", request_json, answer_out, error_out) }
}

/// `dr_call("reasons", ...)`: the catalogue of reason codes (R-R1..R-R15) under the request's policy.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_reasons_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("reasons", request_json, answer_out, error_out) }
}

/// `dr_call("suggest_reasons", ...)`: reason codes that fit the facts and the buyer's `report`.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_suggest_reasons_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("suggest_reasons", request_json, answer_out, error_out) }
}

/// `dr_call("check_claim", ...)`: checks a proposed `claim` (reason, solution, refund, evidence).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_check_claim_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("check_claim", request_json, answer_out, error_out) }
}

/// `dr_call("evidence_checklist", ...)`: the evidence a `claim` (or a `reason` with `attachments`) needs.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_evidence_checklist_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("evidence_checklist", request_json, answer_out, error_out) }
}

/// `dr_call("lifecycle_open", ...)`: opens a dispute from `facts`, `now` and a `claim` (R-L1).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_lifecycle_open_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("lifecycle_open", request_json, answer_out, error_out) }
}

/// `dr_call("lifecycle_apply", ...)`: applies an `event` to a `dispute` (R-L1..R-L7).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_lifecycle_apply_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("lifecycle_apply", request_json, answer_out, error_out) }
}

/// `dr_call("lifecycle_advance", ...)`: lets the clock run to `now` on a `dispute` (deadlines, R-L2..R-L5).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_lifecycle_advance_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("lifecycle_advance", request_json, answer_out, error_out) }
}

/// `dr_call("lifecycle_status", ...)`: where a `dispute` stands at `now`.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_lifecycle_status_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("lifecycle_status", request_json, answer_out, error_out) }
}

/// `dr_call("predict", ...)`: the likely outcome of a claim (`facts`, `now`,
/// optional `report`, `claim` and `seller`).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_predict_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("predict", request_json, answer_out, error_out) }
}

/// `dr_call("lifecycle_allowed", ...)`: what an `actor` may do next on a `dispute` at `now`.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_lifecycle_allowed_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("lifecycle_allowed", request_json, answer_out, error_out) }
}

/// `dr_call("selling_policy", ...)`: the resolved, validated selling policy
/// of the request (`{"selling_policy": "paypal"}`: a preset id of the
/// customer's platform, or a whole policy).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_selling_policy_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("selling_policy", request_json, answer_out, error_out) }
}

/// `dr_call("seller_timeline", ...)`: the seller's deadlines in the
/// customer's dispute on PayPal, eBay, Amazon or a card (`customer_order`,
/// optional `customer_dispute`, `now`; a deadline the platform gave always
/// wins, BB-4).
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_seller_timeline_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("seller_timeline", request_json, answer_out, error_out) }
}

/// `dr_call("back_to_back", ...)`: the customer's dispute beside the
/// seller's own supplier dispute for the same goods (`customer_order`,
/// optional `customer_dispute`, `facts` of the supplier order, `now`): the
/// deadline that binds first (BB-3), the supplier route, the next actions
/// with their rule ids.
///
/// # Safety
/// As for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_back_to_back_json(
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: the same contract as this function's.
    unsafe { call_named("back_to_back", request_json, answer_out, error_out) }
}

static OPERATION_NAMES: OnceLock<Vec<CString>> = OnceLock::new();

fn operation_names() -> &'static [CString] {
    static_table(&OPERATION_NAMES, || api::OPERATIONS.to_vec())
}

/// How many operations `dr_call` knows.
#[no_mangle]
pub extern "C" fn dr_operation_count() -> usize {
    guard(0, || operation_names().len())
}

/// The name of operation `index` (0-based), or NULL when out of range.
/// Static; do not free.
#[no_mangle]
pub extern "C" fn dr_operation_name(index: usize) -> *const c_char {
    guard(std::ptr::null(), || {
        operation_names()
            .get(index)
            .map_or(std::ptr::null(), |c| c.as_ptr())
    })
}

/// Assesses many orders at once (eligibility plus timeline, as the `assess`
/// operation): `jsonl` holds one order-facts JSON document per line (blank
/// lines are skipped), evaluated with one policy at one `now` (unix seconds).
///
/// On success stores in `*answer_out` `{"result":"success","answer":[...]}`
/// with one item per non-blank line, `{"line":N,"result":"success",
/// "answer":{...}}` or `{"line":N,"result":"failure","error":{...}}`: a bad
/// line gives its error and the others are still assessed. Free it with
/// `dr_string_free`. An unrepresentable `now` is `DR_STATUS_INVALID_REQUEST`.
///
/// # Safety
/// `policy` must be NULL or a `dr_policy` pointer (see `dr_policy_free`);
/// `jsonl` NULL or a NUL-terminated string; `answer_out` and `error_out`
/// NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_assess_jsonl(
    policy: *const dr_policy,
    now: i64,
    explain: bool,
    jsonl: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a policy pointer (this function's contract).
        let policy = unsafe { live_policy(policy, "policy") }?;
        // SAFETY: NULL or a live C string (this function's contract).
        let text = unsafe { arg_str(jsonl, "jsonl") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(answer_out, "answer_out") }?;
        let now = chrono::DateTime::from_timestamp(now, 0).ok_or_else(|| {
            Failure::from_error(Error::InvalidRequest(Problems::one(
                "now",
                format!("{now} is not a representable unix time"),
            )))
        })?;
        let items = api::assess_jsonl(policy.policy(), now, Explain::from(explain), text);
        deliver(api::answer(&Ok(items)), out)
    })
}

/// The most threads `dr_batch_jsonl` accepts.
pub const DR_MAX_THREADS: usize = 1024;
// The header needs a literal; it is the engine's limit.
const _: () = assert!(DR_MAX_THREADS == dispute_rules::limits::MAX_THREADS);

/// Runs one operation over many orders given as JSON lines (bytes), with
/// one policy, one `now` (unix seconds) and one explanation switch, on
/// `threads` threads (0: every core).
///
/// `operation` is a batch operation: `"eligibility"`, `"timeline"`,
/// `"eligibility_timeline"` (eligibility plus timeline with the order and
/// line ids, the lean scan) or `"assess"`. `input` holds `len` bytes: one
/// order-facts JSON document per line; lines end with `\n` (a `\r` before
/// it is dropped), a leading UTF-8 byte-order mark is skipped and blank
/// lines are not orders. Each line is decoded and judged on its own: a line
/// that is not UTF-8, longer than 256 KiB, not JSON or with bad facts gives
/// its error and every other line is still answered.
///
/// On success returns `DR_STATUS_OK` and stores in `*jsonl_out` one JSON
/// line (ending with `\n`) per order, in input order, the same whatever
/// the number of threads: `{"index":I,"line":N,"result":"success",
/// "answer":{...}}` or `{"index":I,"line":N,"result":"failure",
/// "error":{...}}`, where `index` is the 0-based position among the orders,
/// `line` the 1-based line number, and the answer or error that of
/// `dr_call` on the order alone (fields named `facts.<path>`). Free it with
/// `dr_string_free`. An unknown operation, an unrepresentable `now` or more
/// than `DR_MAX_THREADS` threads is `DR_STATUS_INVALID_REQUEST`; `input`
/// may be NULL only when `len` is 0.
///
/// # Safety
/// `policy` must be NULL or a `dr_policy` pointer (see `dr_policy_free`);
/// `operation` NULL or a NUL-terminated string; `input` NULL or valid for
/// reading `len` bytes during the call; `jsonl_out` and `error_out` NULL or
/// valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_batch_jsonl(
    policy: *const dr_policy,
    operation: *const c_char,
    now: i64,
    explain: bool,
    input: *const u8,
    len: usize,
    threads: usize,
    jsonl_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a policy pointer (this function's contract).
        let policy = unsafe { live_policy(policy, "policy") }?;
        // SAFETY: NULL or a live C string (this function's contract).
        let op = unsafe { arg_str(operation, "operation") }?;
        let input: &[u8] = if len == 0 {
            &[]
        } else if input.is_null() {
            return Err(Failure::null("input"));
        } else if len > isize::MAX as usize {
            return Err(Failure::from_error(Error::InvalidRequest(Problems::one(
                "len",
                format!("{len} bytes cannot exist in memory"),
            ))));
        } else {
            // SAFETY: non-NULL, the length fits in isize, and by this
            // function's contract `input` is readable for `len` bytes.
            unsafe { std::slice::from_raw_parts(input, len) }
        };
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(jsonl_out, "jsonl_out") }?;
        let now = chrono::DateTime::from_timestamp(now, 0).ok_or_else(|| {
            Failure::from_error(Error::InvalidRequest(Problems::one(
                "now",
                format!("{now} is not a representable unix time"),
            )))
        })?;
        if threads > DR_MAX_THREADS {
            return Err(Failure::from_error(Error::InvalidRequest(Problems::one(
                "threads",
                format!("{threads} threads: at most {DR_MAX_THREADS} (0 is every core)"),
            ))));
        }
        let shared = format!(
            r#"{{"now":"{}","explain":{explain}}}"#,
            now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        let batch = api::Batch::with_policy(op, &shared, Some(policy.policy()))
            .map_err(Failure::from_error)?;
        let mut jsonl = String::new();
        batch.write_jsonl(input, threads, &mut jsonl);
        out.put(into_c(jsonl)?);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type JsonFn =
        unsafe extern "C" fn(*const c_char, *mut *mut c_char, *mut *mut dr_error) -> dr_status;

    /// One line per operation: its name and its named wrapper.
    const NAMED: &[(&str, JsonFn)] = &[
        ("eligibility", dr_eligibility_json),
        ("timeline", dr_timeline_json),
        ("assess", dr_assess_json),
        ("validate_facts", dr_validate_facts_json),
        ("policy", dr_policy_json),
        ("reasons", dr_reasons_json),
        ("suggest_reasons", dr_suggest_reasons_json),
        ("check_claim", dr_check_claim_json),
        ("evidence_checklist", dr_evidence_checklist_json),
        ("lifecycle_open", dr_lifecycle_open_json),
        ("lifecycle_apply", dr_lifecycle_apply_json),
        ("lifecycle_advance", dr_lifecycle_advance_json),
        ("lifecycle_status", dr_lifecycle_status_json),
        ("lifecycle_allowed", dr_lifecycle_allowed_json),
        ("predict", dr_predict_json),
        ("selling_policy", dr_selling_policy_json),
        ("seller_timeline", dr_seller_timeline_json),
        ("back_to_back", dr_back_to_back_json),
    ];

    #[test]
    fn every_operation_has_a_named_wrapper() {
        let named: Vec<&str> = NAMED.iter().map(|(n, _)| *n).collect();
        for op in api::OPERATIONS {
            assert!(
                named.contains(op),
                "operation `{op}` has no C wrapper: add `dr_{op}_json` to bindings-c/src/json.rs \
                 (a copy of dr_eligibility_json), list it in NAMED and regenerate the header"
            );
        }
        assert_eq!(
            named.len(),
            api::OPERATIONS.len(),
            "a wrapper names an operation the core does not have"
        );
    }

    #[test]
    fn named_wrappers_answer_as_dr_call() {
        let request = c"{\"now\": \"2026-03-20T12:00:00Z\", \"policy\": \"aliexpress-legacy\"}";
        for (op, f) in NAMED {
            let op_c = CString::new(*op).unwrap();
            let (mut a, mut b): (*mut c_char, *mut c_char) =
                (std::ptr::null_mut(), std::ptr::null_mut());
            let (mut ea, mut eb): (*mut dr_error, *mut dr_error) =
                (std::ptr::null_mut(), std::ptr::null_mut());
            // SAFETY: valid C strings and out pointers.
            let (sa, sb) = unsafe {
                (
                    dr_call(op_c.as_ptr(), request.as_ptr(), &mut a, &mut ea),
                    f(request.as_ptr(), &mut b, &mut eb),
                )
            };
            assert_eq!(sa, sb, "{op}");
            // SAFETY: strings and errors from this library, read then freed once.
            unsafe {
                if sa == dr_status::Ok {
                    assert_eq!(
                        std::ffi::CStr::from_ptr(a),
                        std::ffi::CStr::from_ptr(b),
                        "{op}"
                    );
                } else {
                    assert_eq!((*ea).json(), (*eb).json(), "{op}");
                }
                crate::dr_string_free(a);
                crate::dr_string_free(b);
                crate::dr_error_free(ea);
                crate::dr_error_free(eb);
            }
        }
    }
}
