//! The panic boundary and the owned error object `dr_error`.
//!
//! Every `extern "C"` function runs its body through [`boundary`] (fallible
//! functions) or [`guard`] (accessors): a Rust panic never unwinds into C.
//!
//! A failure is always carried as the JSON failure answer of
//! `dispute_rules::api` (`{"result":"failure","error":{kind,message,problems}}`),
//! so the `dr_error` a C caller sees holds exactly what Rust and Python report.

use crate::status::dr_status;
use crate::strings::lossy_cstring;
use dispute_rules::api::{self, ErrorAnswer};
use dispute_rules::{Error, Problem};
use serde::{Deserialize, Serialize};
use std::any::Any;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A failure on its way to C: the JSON failure answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    envelope: String,
}

#[derive(Serialize)]
struct FailureEnvelope<'a> {
    result: &'static str,
    error: &'a ErrorAnswer,
}

impl Failure {
    /// A failure answer produced by `dispute_rules::api`.
    pub(crate) fn from_envelope(envelope: String) -> Failure {
        Failure { envelope }
    }

    /// An engine error, answered exactly as `dispute_rules::api` answers it.
    pub(crate) fn from_error(e: Error) -> Failure {
        Failure {
            envelope: api::answer::<()>(&Err(e)),
        }
    }

    /// A failure found by the binding itself (NULL, UTF-8, panic).
    fn binding(status: dr_status, field: &str, message: &str) -> Failure {
        let problem = Problem::new(field, message);
        let error = ErrorAnswer::new(
            status.name(),
            format!("{}: {problem}", status.title()),
            vec![problem],
        );
        let envelope = serde_json::to_string(&FailureEnvelope {
            result: "failure",
            error: &error,
        })
        .unwrap_or_else(|_| {
            format!(
                r#"{{"result":"failure","error":{{"kind":"{}","message":"","problems":[]}}}}"#,
                status.name()
            )
        });
        Failure { envelope }
    }

    /// A required pointer argument was NULL.
    pub(crate) fn null(argument: &str) -> Failure {
        Failure::binding(dr_status::NullArgument, argument, "must not be NULL")
    }

    /// A string argument is not UTF-8.
    pub(crate) fn utf8(argument: &str, e: std::str::Utf8Error) -> Failure {
        Failure::binding(
            dr_status::InvalidUtf8,
            argument,
            &format!("not valid UTF-8 ({e})"),
        )
    }

    /// An argument that is not what the function takes (a wrong
    /// `struct_size`, a handle that is not live).
    pub(crate) fn invalid_argument(argument: &str, message: &str) -> Failure {
        Failure::binding(dr_status::InvalidArgument, argument, message)
    }

    /// A bug: something that cannot happen did.
    pub(crate) fn internal(message: &str) -> Failure {
        Failure::binding(dr_status::Internal, "", message)
    }

    fn panic(payload: &(dyn Any + Send)) -> Failure {
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown panic payload");
        Failure::internal(&format!("panic caught at the C boundary: {what}"))
    }
}

/// An error: what failed, where, and the failure answer as JSON. Owned by the
/// caller, who frees it with `dr_error_free`. Strings returned by its
/// accessors belong to it and stay valid until it is freed.
///
/// Like `dr_policy`, it carries a tag checked by every accessor and cleared
/// by `dr_error_free`: a freed error (while its memory is not reused) reads
/// as an empty one and a second `dr_error_free` does nothing.
#[derive(Debug)]
pub struct dr_error(Tagged);

/// The error behind its tag (the first 8 bytes, checked at compile time).
#[repr(C)]
#[derive(Debug)]
struct Tagged {
    tag: u64,
    body: Body,
}

const _: () = assert!(std::mem::offset_of!(dr_error, 0) == 0);
const _: () = assert!(std::mem::offset_of!(Tagged, tag) == 0);

/// The tag of a live error ("drerror!" in ASCII).
const LIVE: u64 = u64::from_be_bytes(*b"drerror!");
/// Written over the tag by `dr_error_free` before the memory is released.
const FREED: u64 = u64::from_be_bytes(*b"freederr");

#[derive(Debug)]
struct Body {
    status: dr_status,
    kind: CString,
    message: CString,
    code: CString,
    problems: Vec<(CString, CString)>,
    json: CString,
}

#[derive(Deserialize)]
struct ParsedEnvelope {
    error: ParsedError,
}

#[derive(Deserialize)]
struct ParsedError {
    kind: String,
    message: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    problems: Vec<ParsedProblem>,
}

#[derive(Deserialize)]
struct ParsedProblem {
    field: String,
    message: String,
}

impl dr_error {
    fn from_failure(f: Failure) -> dr_error {
        let parsed = match serde_json::from_str::<ParsedEnvelope>(&f.envelope) {
            Ok(p) => p.error,
            Err(e) => {
                let inner = Failure::internal(&format!("unreadable failure answer ({e})"));
                return match serde_json::from_str::<ParsedEnvelope>(&inner.envelope) {
                    Ok(p) => dr_error::build(dr_status::Internal, p.error, &inner.envelope),
                    Err(_) => dr_error::build(
                        dr_status::Internal,
                        ParsedError {
                            kind: "internal".into(),
                            message: "internal error".into(),
                            code: None,
                            problems: Vec::new(),
                        },
                        &inner.envelope,
                    ),
                };
            }
        };
        dr_error::build(dr_status::from_kind(&parsed.kind), parsed, &f.envelope)
    }

    fn build(status: dr_status, e: ParsedError, json: &str) -> dr_error {
        dr_error(Tagged {
            tag: LIVE,
            body: Body {
            status,
            kind: lossy_cstring(&e.kind),
            message: lossy_cstring(&e.message),
            code: lossy_cstring(e.code.as_deref().unwrap_or("")),
            problems: e
                .problems
                .iter()
                .map(|p| (lossy_cstring(&p.field), lossy_cstring(&p.message)))
                .collect(),
            json: lossy_cstring(json),
            },
        })
    }

    /// The status of this error.
    pub fn status(&self) -> dr_status {
        self.0.body.status
    }

    /// The failure answer, as JSON.
    pub fn json(&self) -> &CStr {
        &self.0.body.json
    }
}

/// Where a failure goes: a caller's `dr_error **error_out` (NULL: nowhere).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorOut(*mut *mut dr_error);

impl ErrorOut {
    /// Wraps an `error_out` argument.
    ///
    /// # Safety
    /// `p` must be NULL or valid for writing one pointer.
    pub(crate) unsafe fn new(p: *mut *mut dr_error) -> ErrorOut {
        ErrorOut(p)
    }

    fn store(self, err: Box<dr_error>) {
        if !self.0.is_null() {
            // SAFETY: non-NULL and, by the contract of `ErrorOut::new`, valid
            // for writing one pointer. Ownership of the box passes to C.
            unsafe { self.0.write(Box::into_raw(err)) };
        }
    }
}

/// Runs a fallible body inside the panic boundary. On failure (an error or a
/// panic), stores a new `dr_error` through `error_out` and returns its status.
pub(crate) fn boundary<F>(error_out: ErrorOut, body: F) -> dr_status
where
    F: FnOnce() -> Result<(), Failure>,
{
    // AssertUnwindSafe: after a panic nothing the body touched is used again;
    // outputs are written only as the body's last step.
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return dr_status::Ok,
        Ok(Err(f)) => f,
        Err(payload) => Failure::panic(payload.as_ref()),
    };
    // Building the error allocates: keep that inside a boundary too.
    let Ok(err) = catch_unwind(AssertUnwindSafe(|| {
        Box::new(dr_error::from_failure(failure))
    })) else {
        return dr_status::Internal;
    };
    let status = err.status();
    error_out.store(err);
    status
}

/// Runs an infallible body inside the panic boundary; a panic gives `fallback`.
pub(crate) fn guard<R>(fallback: R, body: impl FnOnce() -> R) -> R {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Is this non-NULL pointer a live error (its tag)?
///
/// # Safety
/// `e` must point to at least 8 readable bytes.
unsafe fn is_live(e: *const dr_error) -> bool {
    // SAFETY: 8 readable bytes (contract), maybe unaligned.
    unsafe { e.cast::<u64>().read_unaligned() == LIVE }
}

/// Borrows the error behind an accessor's argument: `None` for NULL and for
/// a pointer without the live tag (a freed error).
///
/// # Safety
/// `e` must be NULL or point to at least 8 readable bytes; when they hold
/// the live tag, to a `dr_error` of this library alive for `'a`.
unsafe fn borrow<'a>(e: *const dr_error) -> Option<&'a Body> {
    // SAFETY: non-NULL pointers have 8 readable bytes (contract).
    if e.is_null() || !unsafe { is_live(e) } {
        return None;
    }
    // SAFETY: the live tag: an error of this library (contract).
    Some(unsafe { &(*e).0.body })
}

/// The status of an error; `DR_STATUS_NULL_ARGUMENT` when `error` is NULL,
/// `DR_STATUS_INVALID_ARGUMENT` when it is not a live error (freed).
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_status(error: *const dr_error) -> dr_status {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(dr_status::Internal, || match e {
        Some(e) => e.status,
        None if error.is_null() => dr_status::NullArgument,
        None => dr_status::InvalidArgument,
    })
}

/// The stable kind of an error (`"invalid_facts"`, ...): the same text as
/// `dr_status_name` of its status and as the `kind` of the JSON answer. Empty
/// when `error` is NULL. Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_kind(error: *const dr_error) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(c"".as_ptr(), || e.map_or(c"".as_ptr(), |e| e.kind.as_ptr()))
}

/// The whole message, every problem included, for example
/// "invalid order facts: `quantity`: must be at least 1". Empty when `error`
/// is NULL. Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_message(error: *const dr_error) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(c"".as_ptr(), || {
        e.map_or(c"".as_ptr(), |e| e.message.as_ptr())
    })
}

/// The field of the first problem, as a dotted path (`"facts.quantity"`,
/// `"request_json"`); empty when the error names no field or `error` is NULL.
/// Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_field(error: *const dr_error) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(c"".as_ptr(), || {
        e.and_then(|e| e.problems.first())
            .map_or(c"".as_ptr(), |p| p.0.as_ptr())
    })
}

/// A stable code when one applies (an illegal transition may carry one, such
/// as `"dispute_already_open"`); empty otherwise. Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_code(error: *const dr_error) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(c"".as_ptr(), || e.map_or(c"".as_ptr(), |e| e.code.as_ptr()))
}

/// How many problems the error lists (every problem found is reported); 0
/// when `error` is NULL.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_problem_count(error: *const dr_error) -> usize {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(0, || e.map_or(0, |e| e.problems.len()))
}

/// The field of problem `index` (0-based), or NULL when `index` is out of
/// range or `error` is NULL. Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_problem_field(
    error: *const dr_error,
    index: usize,
) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(std::ptr::null(), || {
        e.and_then(|e| e.problems.get(index))
            .map_or(std::ptr::null(), |p| p.0.as_ptr())
    })
}

/// What is wrong in problem `index` (0-based), or NULL when `index` is out of
/// range or `error` is NULL. Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_problem_message(
    error: *const dr_error,
    index: usize,
) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(std::ptr::null(), || {
        e.and_then(|e| e.problems.get(index))
            .map_or(std::ptr::null(), |p| p.1.as_ptr())
    })
}

/// The failure answer as JSON, exactly as `dispute_rules::api::call` (and the
/// Python binding) answers: `{"result":"failure","error":{"kind":...,
/// "message":...,"problems":[{"field":...,"message":...}]}}`. Empty when
/// `error` is NULL. Owned by the error.
///
/// # Safety
/// `error` must be NULL or a `dr_error` pointer (see `dr_error_free`).
#[no_mangle]
pub unsafe extern "C" fn dr_error_json(error: *const dr_error) -> *const c_char {
    // SAFETY: `error` is NULL or a `dr_error` pointer (this function's contract).
    let e = unsafe { borrow(error) };
    guard(c"".as_ptr(), || e.map_or(c"".as_ptr(), |e| e.json.as_ptr()))
}

/// Frees an error. NULL is accepted and ignored (`DR_STATUS_OK`). A pointer
/// without a live error's tag (an error already freed, while its memory is
/// not reused) is left alone: `DR_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `error` must be NULL or point to at least 8 readable bytes; when they
/// hold a live error's tag, to a `dr_error` of this library. It must not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn dr_error_free(error: *mut dr_error) -> dr_status {
    guard(dr_status::Internal, || {
        if error.is_null() {
            return dr_status::Ok;
        }
        // SAFETY: non-NULL: 8 readable bytes (contract).
        if !unsafe { is_live(error) } {
            return dr_status::InvalidArgument;
        }
        // SAFETY: a live error of this library, from `Box::into_raw` in
        // `boundary` (its tag says so). The tag is overwritten first, with a
        // volatile write so that it is not elided before the release.
        unsafe {
            std::ptr::write_volatile(std::ptr::addr_of_mut!((*error).0.tag), FREED);
            drop(Box::from_raw(error));
        }
        dr_status::Ok
    })
}

/// Deliberately panics inside the panic boundary and returns
/// `DR_STATUS_INTERNAL`, with an error saying so in `*error_out` (when not
/// NULL). For tests of the host's error handling: it shows that a Rust panic
/// never unwinds into C. Has no other effect (Rust's panic hook prints a line
/// on stderr).
///
/// Only in builds with the `testing` cargo feature (the C tests enable it;
/// releases do not), and declared only when `DR_TESTING` is defined.
///
/// # Safety
/// `error_out` must be NULL or valid for writing one pointer.
#[cfg(feature = "testing")]
#[no_mangle]
pub unsafe extern "C" fn dr_test_panic(error_out: *mut *mut dr_error) -> dr_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { ErrorOut::new(error_out) };
    boundary(error_out, || {
        #[allow(clippy::panic)]
        {
            panic!("deliberate panic from dr_test_panic")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispute_rules::error::TransitionError;
    use dispute_rules::Problems;

    fn error_of(e: Error) -> Body {
        dr_error::from_failure(Failure::from_error(e)).0.body
    }

    #[test]
    fn every_engine_error_kind_has_its_status() {
        let cases = [
            (
                Error::InvalidFacts(Problems::one("quantity", "must be at least 1")),
                dr_status::InvalidFacts,
            ),
            (
                Error::InvalidPolicy(Problems::one("id", "must not be empty")),
                dr_status::InvalidPolicy,
            ),
            (
                Error::InvalidClaim(Problems::one("claim.solution", "missing")),
                dr_status::InvalidClaim,
            ),
            (
                Error::InvalidRequest(Problems::one("now", "missing")),
                dr_status::InvalidRequest,
            ),
            (
                Error::IllegalTransition(
                    TransitionError::new("closed", "appeal", "buyer", "the dispute is closed")
                        .with_code("dispute_closed"),
                ),
                dr_status::IllegalTransition,
            ),
        ];
        for (e, status) in cases {
            let kind = e.kind().as_str();
            let err = error_of(e.clone());
            assert_eq!(err.status, status, "{kind}");
            assert_eq!(err.kind.to_str().unwrap(), kind);
            assert_eq!(status.name(), kind);
            assert_eq!(err.message.to_str().unwrap(), e.to_string());
            assert_eq!(
                err.json.to_str().unwrap(),
                api::answer::<()>(&Err(e.clone()))
            );
            assert_eq!(err.problems[0].0.to_str().unwrap(), e.field());
        }
        let t = error_of(Error::IllegalTransition(
            TransitionError::new("a", "b", "c", "d").with_code("x_y"),
        ));
        assert_eq!(t.code.to_str().unwrap(), "x_y");
    }

    #[test]
    fn binding_failures_answer_like_the_engine() {
        let err = dr_error::from_failure(Failure::null("request_json")).0.body;
        assert_eq!(err.status, dr_status::NullArgument);
        assert_eq!(
            err.json.to_str().unwrap(),
            r#"{"result":"failure","error":{"kind":"null_argument","message":"null argument: `request_json`: must not be NULL","problems":[{"field":"request_json","message":"must not be NULL"}]}}"#
        );
        // A NUL decoded from JSON input cannot cut a C string short.
        let e = Error::InvalidPolicy(Problems::one("policy", "unknown preset `a\0b`"));
        let err = error_of(e);
        assert_eq!(
            err.message.to_str().unwrap(),
            "invalid policy: `policy`: unknown preset `a\u{FFFD}b`"
        );
        assert!(err.json.to_str().unwrap().contains("a\\u0000b"));
        // An unreadable answer is an internal error, never a crash.
        let err = dr_error::from_failure(Failure::from_envelope("garbage".into())).0.body;
        assert_eq!(err.status, dr_status::Internal);
    }
}
