//! Status codes: the result of every fallible function, with fixed numbers.

use std::ffi::{c_char, CStr};

/// The result of every fallible function. The numbers are fixed and will
/// never change; new codes get new numbers.
///
/// On `DR_STATUS_OK` the function wrote its outputs. On any other code it
/// wrote none of them, and, when the caller passed a non-NULL `error_out`,
/// stored a new `dr_error` there describing the failure (free it with
/// `dr_error_free`).
///
/// The name of each code (`dr_status_name`) equals the `kind` of the JSON
/// failure answer, for example `invalid_facts`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum dr_status {
    /// 0, `ok`: success; the outputs were written.
    Ok = 0,
    /// 1, `null_argument`: a required pointer argument was NULL (the error's
    /// field names the argument).
    NullArgument = 1,
    /// 2, `invalid_utf8`: a string argument is not valid UTF-8.
    InvalidUtf8 = 2,
    /// 3, `invalid_request`: a JSON request is malformed (not JSON, an unknown
    /// field or operation, a missing `now`), outside the facts, policy and
    /// claim.
    InvalidRequest = 3,
    /// 4, `invalid_facts`: the order facts are malformed or inconsistent.
    InvalidFacts = 4,
    /// 5, `invalid_policy`: the policy is malformed, out of range or an
    /// unknown preset.
    InvalidPolicy = 5,
    /// 6, `invalid_claim`: a claim (reason, solution, amount, evidence) is not
    /// acceptable.
    InvalidClaim = 6,
    /// 7, `illegal_transition`: a lifecycle event is not allowed in the
    /// dispute's state (the error may carry a stable code).
    IllegalTransition = 7,
    /// 8, `internal`: a bug. A Rust panic was caught at the boundary, or an
    /// answer could not be produced. Please report it.
    Internal = 8,
    /// 9, `invalid_argument`: an argument is not what the function takes: a
    /// `struct_size` that is not a size of that struct, or a handle that is
    /// not a live object of this library (a `dr_policy` already freed). The
    /// error's field names the argument. Never an answer of the JSON API.
    InvalidArgument = 9,
}

impl dr_status {
    /// Every status, in number order.
    pub(crate) const ALL: [dr_status; 10] = [
        dr_status::Ok,
        dr_status::NullArgument,
        dr_status::InvalidUtf8,
        dr_status::InvalidRequest,
        dr_status::InvalidFacts,
        dr_status::InvalidPolicy,
        dr_status::InvalidClaim,
        dr_status::IllegalTransition,
        dr_status::Internal,
        dr_status::InvalidArgument,
    ];

    /// The stable snake_case name, NUL-terminated.
    pub const fn name_c(self) -> &'static CStr {
        match self {
            dr_status::Ok => c"ok",
            dr_status::NullArgument => c"null_argument",
            dr_status::InvalidUtf8 => c"invalid_utf8",
            dr_status::InvalidRequest => c"invalid_request",
            dr_status::InvalidFacts => c"invalid_facts",
            dr_status::InvalidPolicy => c"invalid_policy",
            dr_status::InvalidClaim => c"invalid_claim",
            dr_status::IllegalTransition => c"illegal_transition",
            dr_status::Internal => c"internal",
            dr_status::InvalidArgument => c"invalid_argument",
        }
    }

    /// The stable snake_case name (the JSON error `kind`).
    pub fn name(self) -> &'static str {
        self.name_c().to_str().unwrap_or("internal")
    }

    /// What a message of this kind starts with.
    pub(crate) const fn title(self) -> &'static str {
        match self {
            dr_status::Ok => "ok",
            dr_status::NullArgument => "null argument",
            dr_status::InvalidUtf8 => "invalid UTF-8",
            dr_status::InvalidRequest => "invalid request",
            dr_status::InvalidFacts => "invalid order facts",
            dr_status::InvalidPolicy => "invalid policy",
            dr_status::InvalidClaim => "invalid claim",
            dr_status::IllegalTransition => "illegal transition",
            dr_status::Internal => "internal error",
            dr_status::InvalidArgument => "invalid argument",
        }
    }

    /// The status for a JSON failure `kind`; unknown kinds are `Internal`
    /// (a kind added to the core without a status here).
    pub fn from_kind(kind: &str) -> dr_status {
        dr_status::ALL
            .into_iter()
            .find(|s| *s != dr_status::Ok && s.name() == kind)
            .unwrap_or(dr_status::Internal)
    }

    /// The status with this number.
    pub fn from_number(n: u32) -> Option<dr_status> {
        dr_status::ALL.into_iter().find(|s| *s as u32 == n)
    }
}

/// The stable name of a status number (`"ok"`, `"invalid_facts"`, ...), or
/// `"unknown"` for a number that is not a status. Never NULL; the string is
/// static (do not free it).
#[no_mangle]
pub extern "C" fn dr_status_name(status: u32) -> *const c_char {
    crate::error::guard(c"unknown".as_ptr(), || {
        dr_status::from_number(status)
            .map_or(c"unknown", dr_status::name_c)
            .as_ptr()
    })
}
