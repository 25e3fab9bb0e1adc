//! Strings across the boundary: reading arguments, returning owned strings.

use crate::error::{guard, Failure};
use std::ffi::{c_char, CStr, CString};
use std::ptr::NonNull;

/// Reads a NUL-terminated UTF-8 string argument named `name`.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string that stays valid and
/// unmodified for `'a`.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: `p` is non-NULL and, by this function's contract, a
    // NUL-terminated string valid for `'a`.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|e| Failure::utf8(name, e))
}

/// An output argument: a non-NULL pointer the caller made writable.
#[derive(Debug)]
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks that the output argument named `name` is not NULL.
    ///
    /// # Safety
    /// `p` must be NULL or valid for writing one `T`.
    pub(crate) unsafe fn new(p: *mut T, name: &str) -> Result<Out<T>, Failure> {
        NonNull::new(p).map(Out).ok_or_else(|| Failure::null(name))
    }

    /// Writes the output (without dropping what was there: C memory).
    pub(crate) fn put(self, value: T) {
        // SAFETY: non-NULL and, by the contract of `Out::new`, valid for
        // writing one `T`.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// Hands a string to C (freed by `dr_string_free`).
pub(crate) fn into_c(s: String) -> Result<*mut c_char, Failure> {
    CString::new(s)
        .map(CString::into_raw)
        .map_err(|_| Failure::internal("the answer contains a NUL byte"))
}

/// A C string from text that may hold NUL bytes (decoded from a JSON
/// `\u0000`): each is replaced by U+FFFD.
pub(crate) fn lossy_cstring(s: &str) -> CString {
    CString::new(s)
        .unwrap_or_else(|_| CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default())
}

/// Frees a string returned by this library (an answer, a policy as JSON).
/// NULL is accepted and ignored. Never pass it to `free()`, and never pass a
/// string borrowed from a `dr_error` (those are freed with the error).
///
/// Unlike `dr_policy_free` and `dr_error_free`, this cannot check its
/// argument: strings are plain `char *` with no tag in front, so a string
/// freed twice, or one this library did not return, is undefined behaviour
/// (typically a crash in the allocator). That part stays the caller's
/// contract.
///
/// # Safety
/// `s` must be NULL or a string returned by this library and not yet freed;
/// it must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn dr_string_free(s: *mut c_char) {
    guard((), || {
        if !s.is_null() {
            // SAFETY: by this function's contract, `s` came from
            // `CString::into_raw` in this library and is freed only once.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// The major version of this header (`0` for 0.1.0). Compare it with the
/// library's at run time: `dr_version_number() / 1000000`.
pub const DR_VERSION_MAJOR: u32 = 0;
/// The minor version of this header (`1` for 0.1.0).
pub const DR_VERSION_MINOR: u32 = 1;
/// The patch version of this header (`0` for 0.1.0).
pub const DR_VERSION_PATCH: u32 = 0;
/// This header's version as one number, `MAJOR * 1000000 + MINOR * 1000 +
/// PATCH` (`1000` for 0.1.0): what `dr_version_number()` returns for the
/// library this header came with.
pub const DR_VERSION_NUMBER: u32 =
    DR_VERSION_MAJOR * 1_000_000 + DR_VERSION_MINOR * 1_000 + DR_VERSION_PATCH;

/// A decimal number at compile time (the parts of `CARGO_PKG_VERSION`).
const fn number(s: &str) -> u32 {
    let mut n = 0u32;
    let mut bytes = s.as_bytes();
    while let [b, rest @ ..] = bytes {
        n = n * 10 + (*b - b'0') as u32;
        bytes = rest;
    }
    n
}

// The header's macros are the crate's version: bumping one without the
// other does not compile.
const _: () = assert!(
    DR_VERSION_MAJOR == number(env!("CARGO_PKG_VERSION_MAJOR"))
        && DR_VERSION_MINOR == number(env!("CARGO_PKG_VERSION_MINOR"))
        && DR_VERSION_PATCH == number(env!("CARGO_PKG_VERSION_PATCH")),
    "DR_VERSION_MAJOR/MINOR/PATCH must equal the crate version in Cargo.toml"
);

/// The library's version as one number, `major * 1000000 + minor * 1000 +
/// patch`, to compare with `DR_VERSION_NUMBER` of the header a program was
/// compiled with. While the major version is 0, a library serves programs
/// built with the same major and minor version and a patch up to its own:
///
/// ```c
/// uint32_t v = dr_version_number();
/// if (v / 1000 != DR_VERSION_NUMBER / 1000 || v < DR_VERSION_NUMBER) {
///     /* built against another version: refuse to run */
/// }
/// ```
#[no_mangle]
pub extern "C" fn dr_version_number() -> u32 {
    DR_VERSION_NUMBER
}

/// The library's version, for example `"0.1.0"`. Static; do not free.
#[no_mangle]
pub extern "C" fn dr_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"unknown",
        };
    VERSION.as_ptr()
}

/// NUL-terminated copies of static texts of the engine (operation names, rule
/// ids, codes), built once on first use and never freed.
pub(crate) fn static_table(
    cell: &'static std::sync::OnceLock<Vec<CString>>,
    texts: impl FnOnce() -> Vec<&'static str>,
) -> &'static [CString] {
    cell.get_or_init(|| texts().into_iter().map(lossy_cstring).collect())
}
