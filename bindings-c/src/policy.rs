//! A loaded policy: an opaque handle, created once and reused.

use crate::error::{boundary, dr_error, guard, ErrorOut, Failure};
use crate::status::dr_status;
use crate::strings::{arg_str, into_c, Out};
use dispute_rules::{api, Policy};
use std::ffi::c_char;

/// A validated policy (every number and contested choice of the rules).
/// Opaque: create it with `dr_policy_new_preset` or `dr_policy_new_json`,
/// free it with `dr_policy_free`. It is never modified after creation, so one
/// policy may be shared by several threads.
#[derive(Debug)]
pub struct dr_policy {
    pub(crate) policy: Policy,
}

/// Hands a new policy to C.
fn deliver(policy: Policy, policy_out: Out<*mut dr_policy>) {
    // Ownership passes to C (`dr_policy_free`).
    policy_out.put(Box::into_raw(Box::new(dr_policy { policy })));
}

/// Loads a built-in policy: `"aliexpress"` (the defaults of docs/rules.md) or
/// `"aliexpress-legacy"` (the appendix's older values).
///
/// On success stores a new policy in `*policy_out` (free with
/// `dr_policy_free`). An unknown id is `DR_STATUS_INVALID_POLICY`, with the
/// same message as the JSON API gives.
///
/// # Safety
/// `preset` must be NULL or a NUL-terminated string; `policy_out` and
/// `error_out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_new_preset(
    preset: *const c_char,
    policy_out: *mut *mut dr_policy,
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
        let policy = api::resolve_policy(Some(&quoted)).map_err(Failure::from_error)?;
        deliver(policy, out);
        Ok(())
    })
}

/// Loads a policy from a JSON policy document (every field required; see
/// `dr_policy_to_json` for the shape). Problems are reported all together,
/// each naming its field (`lifecycle.seller_response_days`) as
/// `DR_STATUS_INVALID_POLICY`.
///
/// # Safety
/// `policy_json` must be NULL or a NUL-terminated string; `policy_out` and
/// `error_out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_new_json(
    policy_json: *const c_char,
    policy_out: *mut *mut dr_policy,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a live C string (this function's contract).
        let text = unsafe { arg_str(policy_json, "policy_json") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(policy_out, "policy_out") }?;
        let policy = Policy::from_json(text).map_err(Failure::from_error)?;
        deliver(policy, out);
        Ok(())
    })
}

/// The policy as a JSON document (it loads back to an equal policy). Free the
/// string with `dr_string_free`.
///
/// # Safety
/// `policy` must be NULL or a live `dr_policy`; `json_out` and `error_out`
/// NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_to_json(
    policy: *const dr_policy,
    json_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a live policy (this function's contract).
        let p = unsafe { policy.as_ref() }.ok_or_else(|| Failure::null("policy"))?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(json_out, "json_out") }?;
        out.put(into_c(p.policy.to_json())?);
        Ok(())
    })
}

/// Frees a policy. NULL is accepted and ignored.
///
/// # Safety
/// `policy` must be NULL or a `dr_policy` from this library not yet freed; it
/// must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_free(policy: *mut dr_policy) {
    guard((), || {
        if !policy.is_null() {
            // SAFETY: by this function's contract, `policy` came from
            // `Box::into_raw` in `deliver` and is freed only once.
            drop(unsafe { Box::from_raw(policy) });
        }
    })
}
