//! The engine's documented limits, in one place.
//!
//! Every limit is enforced with a typed error naming the field (in a batch,
//! the line), and no error message repeats more than [`MAX_ECHO_CHARS`]
//! characters of what it was given.
//!
//! | limit | value | applies to |
//! |---|---|---|
//! | [`MAX_REQUEST_BYTES`] | 1 MiB | a JSON request or document (`api::call`, facts, policy, claim) |
//! | [`MAX_LINE_BYTES`] | 256 KiB | one line of a JSON-lines batch |
//! | [`MAX_ID_LEN`] | 128 bytes | `order_id`, `line_id` |
//! | [`MAX_TEXT_LEN`] | 256 bytes | `shipping_method`, attachment file names |
//! | [`MAX_EXTENSIONS`] | 100 | `extensions` |
//! | [`MAX_DISPUTES`] | 100 | `disputes` |
//! | [`MAX_ATTACHMENTS`] | 100 | a claim's `evidence`, `attachments` |
//! | [`MAX_EVENTS`] | 1,000 | a dispute's history |
//! | [`MAX_DAYS`] | 3,650 | any day count (protection, one extension) |
//! | [`MAX_EXTENSION_DAYS_TOTAL`] | 3,650 | the days of all extension requests together (R-E5) |
//! | [`MAX_THREADS`] | 1,024 | worker threads of a batch (more are capped) |
//! | [`MIN_YEAR`]..=[`MAX_YEAR`] | 1970..=9999 | every instant given and every instant computed |
//!
//! An instant computed from the facts (a deadline, the end of protection)
//! that falls outside the supported years is an error naming the input that
//! pushed it there (for example `facts.shipped_at`).

use chrono::{DateTime, Datelike, Utc};
use std::borrow::Cow;

/// Most worker threads a batch starts (a larger count asks for this many;
/// the front ends refuse it as an input error).
pub const MAX_THREADS: usize = 1024;

/// Largest JSON request or document, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1 << 20;

/// Largest line of a JSON-lines batch (one order's facts), in bytes.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// Longest `order_id` or `line_id`, in bytes.
pub const MAX_ID_LEN: usize = 128;

/// Longest other text (a shipping method, a file name), in bytes.
pub const MAX_TEXT_LEN: usize = 256;

/// Most extension requests on one line (R-E5).
pub const MAX_EXTENSIONS: usize = 100;

/// Most disputes on one line (R-E6..R-E8).
pub const MAX_DISPUTES: usize = 100;

/// Most attachments to one claim (R-V2).
pub const MAX_ATTACHMENTS: usize = 100;

/// Most events in one dispute's history (R-L1..R-L7).
pub const MAX_EVENTS: usize = 1000;

/// Largest day count accepted anywhere (ten years).
pub const MAX_DAYS: u32 = 3650;

/// Largest sum of the days of all extension requests on one line (R-E5).
pub const MAX_EXTENSION_DAYS_TOTAL: u32 = 3650;

/// First year of the supported range.
pub const MIN_YEAR: i32 = 1970;

/// Last year of the supported range.
pub const MAX_YEAR: i32 = 9999;

/// Most characters of a given value that an error message repeats.
pub const MAX_ECHO_CHARS: usize = 64;

/// Whether an instant lies in the supported range: UTC years
/// [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn supported(t: DateTime<Utc>) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&t.naive_utc().year())
}

/// A given value as an error message repeats it: whole when short, else its
/// first [`MAX_ECHO_CHARS`] characters, then `…` and the full length. Messages
/// quote it in backticks, so a backtick inside it is written `'` (the quotes
/// of a message always pair up; the field path names the value exactly).
///
/// ```
/// use dispute_rules::limits::echo;
/// assert_eq!(echo("US"), "US");
/// assert_eq!(echo("a`b"), "a'b");
/// let long = "x".repeat(1000);
/// assert_eq!(echo(&long), format!("{}… (1000 bytes)", "x".repeat(64)));
/// ```
pub fn echo(s: &str) -> Cow<'_, str> {
    let short = match s.char_indices().nth(MAX_ECHO_CHARS) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => Cow::Owned(format!(
            "{}… ({} bytes)",
            s.get(..cut).unwrap_or_default(),
            s.len()
        )),
    };
    if short.contains('`') {
        Cow::Owned(short.replace('`', "'"))
    } else {
        short
    }
}

/// Shortens every backtick-quoted value of a message to [`echo`]'s length
/// (serde's messages quote the input in backticks).
pub(crate) fn shorten_quoted(message: String) -> String {
    if message.len() <= 2 * MAX_ECHO_CHARS {
        return message;
    }
    let mut out = String::with_capacity(4 * MAX_ECHO_CHARS);
    let mut parts = message.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        out.push('`');
        if i % 2 == 0 {
            out.push_str(&echo(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_keeps_short_values_and_cuts_long_ones_on_a_char_boundary() {
        assert_eq!(echo(""), "");
        let exact = "é".repeat(MAX_ECHO_CHARS);
        assert_eq!(echo(&exact), exact);
        let long = "é".repeat(MAX_ECHO_CHARS + 1);
        assert_eq!(
            echo(&long),
            format!("{}… ({} bytes)", "é".repeat(MAX_ECHO_CHARS), long.len())
        );
    }

    #[test]
    fn quoted_values_are_shortened() {
        let huge = "y".repeat(10_000);
        let m = shorten_quoted(format!("unknown variant `{huge}`, expected `a` or `b`"));
        assert!(m.len() < 200, "{m}");
        assert!(m.ends_with("… (10000 bytes)`, expected `a` or `b`"), "{m}");
        assert_eq!(shorten_quoted("short `x`".into()), "short `x`");
    }

    #[test]
    fn supported_years() {
        let t = |secs: i64| DateTime::from_timestamp(secs, 0).unwrap_or_default();
        assert!(supported(t(0)));
        assert!(!supported(t(-1)));
        // 9999-12-31T23:59:59Z, then 10000-01-01T00:00:00Z.
        assert!(supported(t(253_402_300_799)));
        assert!(!supported(t(253_402_300_800)));
    }
}
