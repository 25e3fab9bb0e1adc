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
///
/// Every function that takes a `dr_policy` first checks its tag, so a freed
/// policy (while its memory is not reused) or a pointer to something else is
/// answered with `DR_STATUS_INVALID_ARGUMENT` instead of a crash.
#[derive(Debug)]
pub struct dr_policy(Tagged);

/// The policy behind its tag; the tag is the first 8 bytes (checked at
/// compile time below), so a foreign pointer is only read that far.
#[repr(C)]
#[derive(Debug)]
struct Tagged {
    tag: u64,
    policy: Policy,
}

const _: () = assert!(std::mem::offset_of!(dr_policy, 0) == 0);
const _: () = assert!(std::mem::offset_of!(Tagged, tag) == 0);

/// The tag of a live policy ("drpolicy" in ASCII).
const LIVE: u64 = u64::from_be_bytes(*b"drpolicy");
/// Written over the tag by `dr_policy_free` before the memory is released.
const FREED: u64 = u64::from_be_bytes(*b"freedpol");

impl dr_policy {
    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.0.policy
    }
}

/// The tags of a handle type: the first 8 bytes of a live handle, and of
/// one that was freed, with the names its messages use.
pub(crate) struct Tags {
    pub(crate) live: u64,
    pub(crate) freed: u64,
    /// The C type (`dr_policy`).
    pub(crate) type_name: &'static str,
    /// Its free function (`dr_policy_free`).
    pub(crate) free_fn: &'static str,
}

/// Borrows the handle behind an argument named `name`, after checking its
/// tag (the handles' shared check: `dr_policy`, `dr_selling_policy`).
///
/// # Safety
/// `p` must be NULL or point to at least 8 readable bytes; when they hold
/// `tags.live`, to a `T` of this library that stays alive for `'a`.
pub(crate) unsafe fn live_handle<'a, T>(
    p: *const T,
    name: &str,
    tags: &Tags,
) -> Result<&'a T, Failure> {
    if p.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: 8 readable bytes (contract); unaligned, as a foreign pointer
    // may be.
    let tag = unsafe { p.cast::<u64>().read_unaligned() };
    if tag == tags.live {
        // SAFETY: the live tag: a handle of this library (contract).
        Ok(unsafe { &*p })
    } else if tag == tags.freed {
        Err(Failure::invalid_argument(
            name,
            &format!("this {} was freed ({})", tags.type_name, tags.free_fn),
        ))
    } else {
        Err(Failure::invalid_argument(
            name,
            &format!(
                "not a live {}: freed, never created by this library, or overwritten",
                tags.type_name
            ),
        ))
    }
}

/// The tags of `dr_policy`.
const POLICY_TAGS: Tags = Tags {
    live: LIVE,
    freed: FREED,
    type_name: "dr_policy",
    free_fn: "dr_policy_free",
};

/// Borrows the policy behind a `dr_policy` argument named `name`, after
/// checking its tag.
///
/// # Safety
/// As [`live_handle`].
pub(crate) unsafe fn live_policy<'a>(
    p: *const dr_policy,
    name: &str,
) -> Result<&'a dr_policy, Failure> {
    // SAFETY: the caller's contract is live_handle's.
    unsafe { live_handle(p, name, &POLICY_TAGS) }
}

/// Hands a new policy to C.
fn deliver(policy: Policy, policy_out: Out<*mut dr_policy>) {
    // Ownership passes to C (`dr_policy_free`).
    policy_out.put(Box::into_raw(Box::new(dr_policy(Tagged { tag: LIVE, policy }))));
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
/// `policy` must be NULL or a `dr_policy` pointer (see `dr_policy_free`);
/// `json_out` and `error_out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_to_json(
    policy: *const dr_policy,
    json_out: *mut *mut c_char,
    error_out: *mut *mut dr_error,
) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        // SAFETY: NULL or a policy pointer (this function's contract).
        let p = unsafe { live_policy(policy, "policy") }?;
        // SAFETY: NULL or writable (contract).
        let out = unsafe { Out::new(json_out, "json_out") }?;
        out.put(into_c(p.policy().to_json())?);
        Ok(())
    })
}

/// Frees a policy. NULL is accepted and ignored (`DR_STATUS_OK`).
///
/// The policy's tag is cleared before its memory is released, so a second
/// `dr_policy_free`, or a use after the free, is answered with
/// `DR_STATUS_INVALID_ARGUMENT` (nothing is freed) as long as the memory has
/// not been handed out again. Once it has, the pointer may even name a new,
/// live policy: never use a policy after freeing it. Memory checkers
/// (valgrind, AddressSanitizer) report such a use, as they should.
///
/// # Safety
/// `policy` must be NULL or point to at least 8 readable bytes; when they
/// hold a live policy's tag, to a `dr_policy` of this library that no other
/// thread is using.
#[no_mangle]
pub unsafe extern "C" fn dr_policy_free(policy: *mut dr_policy) -> dr_status {
    guard(dr_status::Internal, || {
        if policy.is_null() {
            return dr_status::Ok;
        }
        // SAFETY: NULL was handled; 8 readable bytes (contract).
        if unsafe { live_policy(policy, "policy") }.is_err() {
            return dr_status::InvalidArgument;
        }
        // SAFETY: a live policy of this library, from `Box::into_raw` in
        // `deliver` (its tag says so). The tag is overwritten first, with a
        // volatile write so that it is not elided before the release.
        unsafe {
            std::ptr::write_volatile(std::ptr::addr_of_mut!((*policy).0.tag), FREED);
            drop(Box::from_raw(policy));
        }
        dr_status::Ok
    })
}
