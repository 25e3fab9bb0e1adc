//! A loaded selling policy (the customer's platform: PayPal, eBay, Amazon,
//! Stripe, Shopify Payments): an opaque handle, created once and reused, and
//! the call that takes it beside the supplier's `dr_policy`.
//!
//! The JSON operations `selling_policy`, `seller_timeline` and `back_to_back`
//! need no handle: a request names its selling policy (a preset id, borrowed
//! from the ones built once per process, or a whole policy, parsed per
//! call). The handle is for a policy of the caller's own (a changed value),
//! parsed and validated once instead of per request.

use crate::error::{boundary, dr_error, guard, ErrorOut, Failure};
use crate::json::deliver;
use crate::policy::{dr_policy, live_handle, live_policy, Tags};
use crate::status::dr_status;
use crate::strings::{arg_str, into_c, Out};
use dispute_rules::api;
use dispute_rules::selling::api as selling_api;
use dispute_rules::selling::SellingPolicy;
use std::ffi::c_char;

/// A validated selling policy: the rules of the platform where the customer
/// paid (the windows, response deadlines, reason codes, evidence and fees of
/// PayPal, eBay, Amazon, Stripe or Shopify Payments), each value with its
/// rule id. Opaque: create it with `dr_selling_policy_new_preset` or
/// `dr_selling_policy_new_json`, free it with `dr_selling_policy_free`. It is
/// never modified after creation, so it may be shared by several threads.
///
/// Like `dr_policy`, it carries a tag that every function checks: a freed
/// selling policy (while its memory is not reused) or a pointer to something
/// else is answered with `DR_STATUS_INVALID_ARGUMENT` instead of a crash.
#[derive(Debug)]
pub struct dr_selling_policy(Tagged);

/// The policy behind its tag; the tag is the first 8 bytes (checked at
/// compile time below), so a foreign pointer is only read that far.
#[repr(C)]
#[derive(Debug)]
struct Tagged {
    tag: u64,
    policy: SellingPolicy,
}

const _: () = assert!(std::mem::offset_of!(dr_selling_policy, 0) == 0);
const _: () = assert!(std::mem::offset_of!(Tagged, tag) == 0);

/// The tag of a live selling policy ("drsellpo" in ASCII).
const LIVE: u64 = u64::from_be_bytes(*b"drsellpo");
/// Written over the tag by `dr_selling_policy_free` before the release.
const FREED: u64 = u64::from_be_bytes(*b"freedsel");

impl dr_selling_policy {
    /// The selling policy.
    pub fn policy(&self) -> &SellingPolicy {
        &self.0.policy
    }
}

/// The tags of `dr_selling_policy`.
const SELLING_TAGS: Tags = Tags {
    live: LIVE,
    freed: FREED,
    type_name: "dr_selling_policy",
    free_fn: "dr_selling_policy_free",
};

/// Borrows the selling policy behind a `dr_selling_policy` argument named
/// `name`, after checking its tag.
///
/// # Safety
/// As [`live_handle`].
unsafe fn live_selling<'a>(
    p: *const dr_selling_policy,
    name: &str,
) -> Result<&'a dr_selling_policy, Failure> {
    // SAFETY: the caller's contract is live_handle's.
    unsafe { live_handle(p, name, &SELLING_TAGS) }
}

/// Hands a new selling policy to C.
fn deliver_policy(policy: SellingPolicy, policy_out: Out<*mut dr_selling_policy>) {
    // Ownership passes to C (`dr_selling_policy_free`).
    policy_out.put(Box::into_raw(Box::new(dr_selling_policy(Tagged {
        tag: LIVE,
        policy,
    }))));
}

/// Loads a built-in selling policy: `"paypal"`, `"ebay"`, `"amazon"`,
/// `"stripe"` or `"shopify_payments"` (one per platform).
///
/// On success stores a new selling policy in `*policy_out` (free with
/// `dr_selling_policy_free`). An unknown id is `DR_STATUS_INVALID_POLICY`
/// naming `selling_policy`, with the same message as the JSON API gives.
///
/// # Safety
/// `preset` must be NULL or a NUL-terminated string; `policy_out` and
/// `error_out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_selling_policy_new_preset(
    preset: *const c_char,
    policy_out: *mut *mut dr_selling_policy,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a live C string (this function's contract).
        let id = unsafe { arg_str(preset, "preset") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(policy_out, "policy_out") }?;
        // The JSON API's own resolution: a preset id is a JSON string.
        let quoted = serde_json::to_string(id).map_err(|e| Failure::internal(&e.to_string()))?;
        let policy = selling_api::resolve_selling_policy(&quoted).map_err(Failure::from_error)?;
        deliver_policy(policy, out);
        Ok(())
    })
}

/// Loads a selling policy from a JSON policy document (every field
/// required; see `dr_selling_policy_to_json` for the shape). Problems are
/// reported all together as `DR_STATUS_INVALID_POLICY`, each naming its
/// field (`windows[0].closes[0].amount`).
///
/// # Safety
/// `policy_json` must be NULL or a NUL-terminated string; `policy_out` and
/// `error_out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_selling_policy_new_json(
    policy_json: *const c_char,
    policy_out: *mut *mut dr_selling_policy,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a live C string (this function's contract).
        let text = unsafe { arg_str(policy_json, "policy_json") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(policy_out, "policy_out") }?;
        let policy = SellingPolicy::from_json(text).map_err(Failure::from_error)?;
        deliver_policy(policy, out);
        Ok(())
    })
}

/// The selling policy as a JSON document (it loads back to an equal
/// policy). Free the string with `dr_string_free`.
///
/// # Safety
/// `policy` must be NULL or a `dr_selling_policy` pointer (see
/// `dr_selling_policy_free`); `json_out` and `error_out` NULL or valid for
/// writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_selling_policy_to_json(
    policy: *const dr_selling_policy,
    json_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a selling policy pointer (this function's contract).
        let p = unsafe { live_selling(policy, "selling_policy") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(json_out, "json_out") }?;
        out.put(into_c(p.policy().to_json())?);
        Ok(())
    })
}

/// Frees a selling policy. NULL is accepted and ignored (`DR_STATUS_OK`).
/// As `dr_policy_free`: the tag is cleared first, so a second free or a use
/// after the free is answered with `DR_STATUS_INVALID_ARGUMENT` while the
/// memory has not been handed out again.
///
/// # Safety
/// `policy` must be NULL or point to at least 8 readable bytes; when they
/// hold a live selling policy's tag, to a `dr_selling_policy` of this
/// library that no other thread is using.
#[no_mangle]
pub unsafe extern "C" fn dr_selling_policy_free(policy: *mut dr_selling_policy) -> dr_status {
    guard(dr_status::Internal, || {
        if policy.is_null() {
            return dr_status::Ok;
        }
        // SAFETY: NULL was handled; 8 readable bytes (contract).
        if unsafe { live_selling(policy, "selling_policy") }.is_err() {
            return dr_status::InvalidArgument;
        }
        // SAFETY: a live selling policy of this library, from `Box::into_raw`
        // in `deliver_policy` (its tag says so). The tag is overwritten first, with
        // a volatile write so that it is not elided before the release.
        unsafe {
            std::ptr::write_volatile(std::ptr::addr_of_mut!((*policy).0.tag), FREED);
            drop(Box::from_raw(policy));
        }
        dr_status::Ok
    })
}

/// `dr_call` with loaded policies, either of which may be NULL: requests
/// that name no `policy` use `policy` (the supplier's, as in
/// `dr_call_with_policy`), requests that name no `selling_policy` use
/// `selling_policy` (instead of the preset of the customer order's
/// `platform`; the `selling_policy` operation then answers it). A request's
/// own policies still win. With both NULL this is `dr_call`. The answer is
/// byte-for-byte that of Rust's `api::call_with_policy` /
/// `selling::api::call_with`.
///
/// # Safety
/// `policy` must be NULL or a `dr_policy` pointer, `selling_policy` NULL or
/// a `dr_selling_policy` pointer; otherwise as for `dr_call`.
#[no_mangle]
pub unsafe extern "C" fn dr_call_with_policies(
    policy: *const dr_policy,
    selling_policy: *const dr_selling_policy,
    operation: *const c_char,
    request_json: *const c_char,
    answer_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        let policy = match policy.is_null() {
            true => None,
            // SAFETY: a policy pointer (this function's contract).
            false => Some(unsafe { live_policy(policy, "policy") }?.policy()),
        };
        let selling = match selling_policy.is_null() {
            true => None,
            // SAFETY: a selling policy pointer (this function's contract).
            false => Some(unsafe { live_selling(selling_policy, "selling_policy") }?.policy()),
        };
        // SAFETY: NULL or live C strings (this function's contract).
        let op = unsafe { arg_str(operation, "operation") }?;
        // SAFETY: as above.
        let request = unsafe { arg_str(request_json, "request_json") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(answer_out, "answer_out") }?;
        let answer = match selling_api::call_with(op, request, policy, selling) {
            Some(a) => a,
            None => match policy {
                Some(p) => api::call_with_policy(op, p, request),
                None => api::call(op, request),
            },
        };
        deliver(answer, out)
    })
}
