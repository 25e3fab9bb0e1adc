//! Errors: every problem names the field and says what is wrong.
//!
//! Validation collects every problem it finds, so a host can show them all at
//! once. Messages are lowercase, without a trailing period, with user input in
//! backticks, and say what was expected in the words of JSON (`expected a JSON
//! object`, `expected a whole number from 0 to 4294967295`), never with the
//! name of a Rust type.
//!
//! # Field paths
//!
//! A problem's field is the path of the value at fault in the document the
//! caller gave: object keys joined by `.`, array positions in brackets
//! (`facts.extensions[1].days`, `policy.eligibility.max_protection_days`). A
//! key that cannot be written plainly (the empty name `""`, or a name holding
//! `.`, `[`, `]`, `"`, `\\`, a space or a control character) is written as
//! a JSON string in brackets, joined without a dot: the unknown field `""` of
//! a facts document's tracking object is `facts.tracking[""]`, one at the top
//! of a request is `[""]`, and the method `"two day"` of a policy's table is
//! `policy.eligibility.protection_days_by_method["two day"]`. The field is
//! empty only when the document as a whole is at fault (it is not JSON, not
//! a JSON object, too large, or followed by more text).

use serde::Serialize;
use std::fmt;

/// One problem with an input: the field (a dotted path such as
/// `tracking.delivered_at` or `extensions[1].days`; see the
/// [module documentation](self#field-paths) for keys such as `""`) and what
/// is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    field: String,
    message: String,
}

impl Problem {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The dotted path of the field (empty for the whole document).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            // Quoted in backticks: one inside the path (a key given in the
            // input) is written `'` so the quotes pair up; `field()` keeps
            // the path exactly.
            match self.field.contains('`') {
                false => write!(f, "`{}`: {}", self.field, self.message),
                true => write!(f, "`{}`: {}", self.field.replace('`', "'"), self.message),
            }
        }
    }
}

/// A non-empty list of [`Problem`]s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Wraps a list of problems.
    pub fn new(list: Vec<Problem>) -> Self {
        Problems(list)
    }

    /// A single problem.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problems(vec![Problem::new(field, message)])
    }

    /// The problems, in the order they were found.
    pub fn list(&self) -> &[Problem] {
        &self.0
    }

    /// The first problem's field.
    pub fn first_field(&self) -> &str {
        self.0.first().map(Problem::field).unwrap_or("")
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A lifecycle event that the dispute's state does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TransitionError {
    state: String,
    event: String,
    actor: String,
    message: String,
    code: Option<String>,
}

impl TransitionError {
    /// An illegal `event` by `actor` in `state`, and why.
    pub fn new(
        state: impl Into<String>,
        event: impl Into<String>,
        actor: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        TransitionError {
            state: state.into(),
            event: event.into(),
            actor: actor.into(),
            message: message.into(),
            code: None,
        }
    }

    /// Attaches a stable code (for example an R-E9 ineligibility code).
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// The state the dispute was in.
    pub fn state(&self) -> &str {
        &self.state
    }
    /// The event that was refused.
    pub fn event(&self) -> &str {
        &self.event
    }
    /// Who attempted it.
    pub fn actor(&self) -> &str {
        &self.actor
    }
    /// Why it was refused.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// A stable code, when one applies (such as `dispute_already_open`).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` by `{}` is not allowed in state `{}`: {}",
            self.event, self.actor, self.state, self.message
        )?;
        if let Some(c) = &self.code {
            write!(f, " (`{c}`)")?;
        }
        Ok(())
    }
}

/// Every error of the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The order facts are malformed or inconsistent.
    #[error("invalid order facts: {0}")]
    InvalidFacts(Problems),
    /// The policy is malformed or out of range.
    #[error("invalid policy: {0}")]
    InvalidPolicy(Problems),
    /// A claim (reason, solution, amount, evidence) is not acceptable.
    #[error("invalid claim: {0}")]
    InvalidClaim(Problems),
    /// A JSON request is malformed (outside facts, policy and claim).
    #[error("invalid request: {0}")]
    InvalidRequest(Problems),
    /// A lifecycle event is not allowed.
    #[error("illegal transition: {0}")]
    IllegalTransition(TransitionError),
}

/// The kind of an [`Error`], with a stable name and number (used by the C and
/// Python bindings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::InvalidFacts`]
    InvalidFacts = 1,
    /// [`Error::InvalidPolicy`]
    InvalidPolicy = 2,
    /// [`Error::InvalidClaim`]
    InvalidClaim = 3,
    /// [`Error::InvalidRequest`]
    InvalidRequest = 4,
    /// [`Error::IllegalTransition`]
    IllegalTransition = 5,
}

impl ErrorKind {
    /// The stable snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidFacts => "invalid_facts",
            ErrorKind::InvalidPolicy => "invalid_policy",
            ErrorKind::InvalidClaim => "invalid_claim",
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::IllegalTransition => "illegal_transition",
        }
    }
}

impl Error {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidFacts(_) => ErrorKind::InvalidFacts,
            Error::InvalidPolicy(_) => ErrorKind::InvalidPolicy,
            Error::InvalidClaim(_) => ErrorKind::InvalidClaim,
            Error::InvalidRequest(_) => ErrorKind::InvalidRequest,
            Error::IllegalTransition(_) => ErrorKind::IllegalTransition,
        }
    }

    /// Every problem (for a transition error, one problem on `event`).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Error::InvalidFacts(p)
            | Error::InvalidPolicy(p)
            | Error::InvalidClaim(p)
            | Error::InvalidRequest(p) => p.list().to_vec(),
            Error::IllegalTransition(t) => vec![Problem::new("event", t.to_string())],
        }
    }

    /// The field of the first problem.
    pub fn field(&self) -> String {
        match self {
            Error::InvalidFacts(p)
            | Error::InvalidPolicy(p)
            | Error::InvalidClaim(p)
            | Error::InvalidRequest(p) => p.first_field().to_owned(),
            Error::IllegalTransition(_) => "event".to_owned(),
        }
    }

    /// Prefixes every field path with `prefix.` (used when a document is
    /// nested inside a request).
    #[must_use]
    pub fn nested(self, prefix: &str) -> Error {
        fn pre(p: Problems, prefix: &str) -> Problems {
            Problems(
                p.0.into_iter()
                    .map(|x| Problem {
                        field: if x.field.is_empty() {
                            prefix.to_owned()
                        } else if x.field.starts_with('[') {
                            format!("{prefix}{}", x.field)
                        } else {
                            format!("{prefix}.{}", x.field)
                        },
                        message: x.message,
                    })
                    .collect(),
            )
        }
        match self {
            Error::InvalidFacts(p) => Error::InvalidFacts(pre(p, prefix)),
            Error::InvalidPolicy(p) => Error::InvalidPolicy(pre(p, prefix)),
            Error::InvalidClaim(p) => Error::InvalidClaim(pre(p, prefix)),
            Error::InvalidRequest(p) => Error::InvalidRequest(pre(p, prefix)),
            e @ Error::IllegalTransition(_) => e,
        }
    }
}

/// Builds problems while validating; turns into an error when non-empty.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    list: Vec<Problem>,
}

impl Collector {
    pub(crate) fn new() -> Self {
        Collector { list: Vec::new() }
    }

    pub(crate) fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.list.push(Problem::new(field, message));
    }

    #[allow(dead_code)]
    pub(crate) fn check(&mut self, ok: bool, field: impl Into<String>, message: impl Into<String>) {
        if !ok {
            self.push(field, message);
        }
    }

    #[allow(dead_code)]
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn finish(self, make: fn(Problems) -> Error) -> Result<(), Error> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(make(Problems(self.list)))
        }
    }
}

/// Refuses a moment of evaluation outside the supported years
/// ([`MIN_YEAR`](crate::limits::MIN_YEAR)..=[`MAX_YEAR`](crate::limits::MAX_YEAR)),
/// with a problem on `now`: every operation given a `now` checks it so.
pub(crate) fn check_now(now: chrono::DateTime<chrono::Utc>) -> Result<(), Error> {
    if crate::limits::supported(now) {
        return Ok(());
    }
    Err(Error::InvalidRequest(Problems::one(
        "now",
        format!(
            "`{}` is outside the years {}-{} the engine supports",
            now.to_rfc3339(),
            crate::limits::MIN_YEAR,
            crate::limits::MAX_YEAR
        ),
    )))
}

/// Parses JSON into `T`, reporting the path of the field that failed.
/// Text after the value is an error; so is a document larger than
/// [`MAX_REQUEST_BYTES`](crate::limits::MAX_REQUEST_BYTES).
pub(crate) fn from_json<'de, T: serde::Deserialize<'de>>(
    json: &'de str,
    make: fn(Problems) -> Error,
) -> Result<T, Error> {
    if json.len() > crate::limits::MAX_REQUEST_BYTES {
        return Err(make(Problems::one(
            "",
            format!(
                "the document is {} bytes, over the limit of {} bytes",
                json.len(),
                crate::limits::MAX_REQUEST_BYTES
            ),
        )));
    }
    // Fast path: plain serde_json. Only on failure parse again, tracking the
    // path of the failing field.
    if let Ok(v) = serde_json::from_str::<T>(json) {
        return Ok(v);
    }
    Err(make(json_problem(json, |de| {
        serde_path_to_error::deserialize::<_, T>(de).map(|_| ())
    })))
}

/// The problem of a JSON text that failed to parse: parses it again with
/// `parse` (a path-tracking deserialization), then checks the end of input.
pub(crate) fn json_problem<'de>(
    json: &'de str,
    parse: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    ) -> Result<(), serde_path_to_error::Error<serde_json::Error>>,
) -> Problems {
    let de = &mut serde_json::Deserializer::from_str(json);
    match parse(de) {
        Ok(()) => {
            let msg = match de.end() {
                Err(e) => e.to_string(),
                // The fast path failed, the slow one did not: report what
                // the fast path says.
                Ok(()) => "the JSON value could not be read".to_owned(),
            };
            Problems::one("", msg)
        }
        Err(e) => problem_of(e),
    }
}

/// A path-tracking serde error as a problem: the path as a dotted field,
/// extended by the missing or duplicated field's name, and serde's message in
/// the words of JSON ([`plain_message`]).
pub(crate) fn problem_of<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Problems {
    let path = e.path().clone();
    problem_at(&path, &e.into_inner().to_string())
}

/// The problem of a serde error message `message` raised at `path` (a
/// path-tracking deserializer's, such as `serde_path_to_error`'s): the field
/// written as the [field paths](self#field-paths) say, extended by the name
/// of a missing or duplicated field (serde reports those at their parent),
/// and the message in the words of JSON, its quoted input shortened.
///
/// For the bindings, which read documents with deserializers of their own
/// (the Python binding reads Python objects), so that their problems read
/// exactly as the core's; not part of the stable API.
#[doc(hidden)]
pub fn problem_at(path: &serde_path_to_error::Path, message: &str) -> Problems {
    use serde_path_to_error::Segment;
    let mut field = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                field.push('[');
                field.push_str(&index.to_string());
                field.push(']');
            }
            Segment::Map { key } => push_key(&mut field, key),
            Segment::Enum { variant } => push_key(&mut field, variant),
            Segment::Unknown => push_key(&mut field, "?"),
        }
    }
    if field == "?" {
        field.clear();
    }
    let message = crate::limits::shorten_quoted(plain_message(message));
    if let Some(name) = named_field(&message) {
        push_key(&mut field, &name);
    }
    Problems::one(field, message)
}

/// The path `parent` extended by the object key `key`, as the
/// [field paths](self#field-paths) say: `parent.key`, or `parent["key"]`
/// for a key that cannot be written plainly (such as the empty name).
pub(crate) fn key_path(parent: &str, key: &str) -> String {
    let mut s = parent.to_owned();
    push_key(&mut s, key);
    s
}

/// Appends `key` to the path `field` ([`key_path`]).
fn push_key(field: &mut String, key: &str) {
    let plain = !key.is_empty()
        && !key.chars().any(|c| {
            matches!(c, '.' | '[' | ']' | '"' | '\\') || c.is_whitespace() || c.is_control()
        });
    if plain {
        if !field.is_empty() {
            field.push('.');
        }
        field.push_str(key);
    } else {
        field.push('[');
        field.push_str(&serde_json::to_string(key).unwrap_or_else(|_| "\"?\"".to_owned()));
        field.push(']');
    }
}

/// serde reports a missing or duplicated field at its parent: the field's
/// own name, from the message.
fn named_field(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("missing field `")
        .or_else(|| msg.strip_prefix("duplicate field `"))?;
    rest.split('`').next().map(str::to_owned)
}

/// A serde or serde_json message said in the words of JSON: what was
/// expected, never a Rust type (`invalid type: integer `0`, expected struct
/// Policy` reads `invalid type: integer `0`, expected a JSON object`; `expected
/// u32` reads `expected a whole number from 0 to 4294967295`), and a string
/// found quoted in backticks as all user input. serde_json's position (`at
/// line 1 column 5`) is kept; other messages are left as they are.
pub(crate) fn plain_message(msg: &str) -> String {
    // serde_json's position, kept as it is.
    let (body, at) = split_position(msg);
    let out = if let Some(rest) = body.strip_prefix("invalid type: ") {
        found_expected("invalid type: ", rest)
    } else if let Some(rest) = body.strip_prefix("invalid value: ") {
        found_expected("invalid value: ", rest)
    } else if let Some(rest) = body.strip_prefix("invalid length ") {
        match rest.split_once(", expected ") {
            // A JSON array for an object (serde reads a struct from an
            // array too).
            Some((_, e)) if is_object(e) => {
                "invalid type: array, expected a JSON object".to_owned()
            }
            Some((n, e)) => format!("invalid length {n}, expected {}", expected(e)),
            None => body.to_owned(),
        }
    } else if body.starts_with("data did not match any variant of ") {
        "the value matches none of the accepted forms".to_owned()
    } else if let Some(named) = key_named(body) {
        named
    } else {
        body.to_owned()
    };
    format!("{out}{at}")
}

/// serde's messages that quote a key or variant given in the input
/// (`unknown field `X`, expected one of ...`, `unknown variant `X`, ...`,
/// `duplicate field `X``), with any backtick inside `X` written `'`, so the
/// quotes pair up (the field path keeps the key exactly).
fn key_named(body: &str) -> Option<String> {
    for head in ["unknown field `", "unknown variant `", "duplicate field `"] {
        let Some(rest) = body.strip_prefix(head) else {
            continue;
        };
        let end = if rest.ends_with("there are no fields") || rest.ends_with("there are no variants")
        {
            rest.rfind("`, there are no ")
        } else if let Some(i) = rest.rfind("`, expected ") {
            Some(i)
        } else {
            rest.strip_suffix('`').map(str::len)
        }?;
        let (name, tail) = rest.split_at(end);
        if !name.contains('`') {
            return None;
        }
        return Some(format!("{head}{}{tail}", name.replace('`', "'")));
    }
    None
}

/// Splits serde_json's ` at line L column C` off the end of a message.
fn split_position(msg: &str) -> (&str, &str) {
    let Some(i) = msg.rfind(" at line ") else {
        return (msg, "");
    };
    let (body, at) = msg.split_at(i);
    let tail = at.trim_start_matches(" at line ");
    let ok = tail.split_once(" column ").is_some_and(|(l, c)| {
        !l.is_empty()
            && !c.is_empty()
            && l.bytes().all(|b| b.is_ascii_digit())
            && c.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        (body, at)
    } else {
        (msg, "")
    }
}

/// `found, expected E` of an `invalid type` or `invalid value` message.
fn found_expected(head: &str, rest: &str) -> String {
    // The found part may quote a string holding `, expected `: split at the
    // last one outside the quoted input.
    let Some((found, exp)) = split_expected(rest) else {
        return format!("{head}{rest}");
    };
    format!("{head}{}, expected {}", self::found(found), expected(exp))
}

/// Splits `found, expected E` after the found part (which may quote user
/// input in backticks, or in double quotes for a string).
fn split_expected(rest: &str) -> Option<(&str, &str)> {
    let sep = ", expected ";
    let end = if let Some(s) = rest.strip_prefix("string \"") {
        // A Debug-quoted string: skip to its closing quote.
        let mut escaped = false;
        let mut close = None;
        for (i, c) in s.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    close = Some(i);
                    break;
                }
                _ => {}
            }
        }
        "string \"".len() + close? + 1
    } else if let Some(open) = rest.find('`') {
        let close = rest.get(open + 1..)?.find('`')?;
        open + 1 + close + 1
    } else {
        0
    };
    let i = rest.get(end..)?.find(sep)? + end;
    Some((rest.get(..i)?, rest.get(i + sep.len()..)?))
}

/// What serde says it found, in the words of JSON (a string quoted in
/// backticks, as all user input).
fn found(f: &str) -> String {
    if let Some(s) = f
        .strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'))
    {
        // serde quotes a string as Rust would (`"a\"b"`): read it back.
        let text =
            serde_json::from_str::<String>(&format!("\"{s}\"")).unwrap_or_else(|_| s.to_owned());
        return format!("string `{}`", crate::limits::echo(&text));
    }
    match f {
        "sequence" => "array".to_owned(),
        "map" => "object".to_owned(),
        "unit value" | "Option value" => "null".to_owned(),
        "newtype struct" | "newtype variant" | "struct variant" | "tuple variant" => {
            "object".to_owned()
        }
        "unit variant" | "enum" => "string".to_owned(),
        other => other.to_owned(),
    }
}

/// Whether serde's expectation is a struct (a JSON object).
fn is_object(e: &str) -> bool {
    e.starts_with("struct ")
        || e.starts_with("internally tagged enum ")
        || e.starts_with("adjacently tagged enum ")
        || e.starts_with("newtype struct ")
        || e == "a map"
        || e == "map"
        || e == "string or map"
}

/// What serde says it expected, in the words of JSON: Rust types and serde's
/// own words replaced, an expectation written by this crate kept.
fn expected(e: &str) -> String {
    let whole = |min: i128, max: i128| format!("a whole number from {min} to {max}");
    let s = match e {
        _ if is_object(e) => "a JSON object".to_owned(),
        "u8" => whole(0, u8::MAX.into()),
        "u16" => whole(0, u16::MAX.into()),
        "u32" => whole(0, u32::MAX.into()),
        "u64" | "usize" => whole(0, u64::MAX.into()),
        "u128" => "a whole number from 0".to_owned(),
        "i8" => whole(i8::MIN.into(), i8::MAX.into()),
        "i16" => whole(i16::MIN.into(), i16::MAX.into()),
        "i32" => whole(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => whole(i64::MIN.into(), i64::MAX.into()),
        "i128" => "a whole number".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a sequence" | "sequence" | "a tuple" => "a JSON array".to_owned(),
        "a borrowed string" | "string" | "a character" | "char" => "a string".to_owned(),
        "bool" => "a boolean".to_owned(),
        "unit" | "null" => "`null`".to_owned(),
        "option" => "a value or `null`".to_owned(),
        "variant identifier" | "field identifier" => "a name (a JSON string)".to_owned(),
        _ if e.starts_with("tuple ") || e.starts_with("an array of length ") => {
            match e.rsplit_once(' ') {
                Some((_, n)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                    format!("a JSON array of {n} items")
                }
                _ => "a JSON array".to_owned(),
            }
        }
        _ if e.starts_with("a sequence of ") || e.starts_with("a tuple of size ") => {
            "a JSON array".to_owned()
        }
        // A unit-only enum (read from a name) or one tagged by its variant.
        _ if e.starts_with("enum ") => "a name (a JSON string) or a JSON object".to_owned(),
        _ if e.starts_with("unit struct ") => "`null`".to_owned(),
        _ if e.starts_with("tuple struct ") => "a JSON array".to_owned(),
        other => other.to_owned(),
    };
    s
}

/// Same as [`from_json`], from an already parsed JSON value.
#[allow(dead_code)]
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    make: fn(Problems) -> Error,
) -> Result<T, Error> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| make(problem_of(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_cannot_be_written_plainly_are_bracketed() {
        assert_eq!(key_path("facts.tracking", "at"), "facts.tracking.at");
        assert_eq!(key_path("facts.tracking", ""), r#"facts.tracking[""]"#);
        assert_eq!(key_path("", ""), r#"[""]"#);
        assert_eq!(key_path("", "status"), "status");
        assert_eq!(key_path("m", "two day"), r#"m["two day"]"#);
        assert_eq!(key_path("m", "a.b"), r#"m["a.b"]"#);
        assert_eq!(key_path("m", "q\"\n"), r#"m["q\"\n"]"#);
        assert_eq!(key_path("m", "é"), "m.é");
    }

    #[test]
    fn a_key_holding_backticks_is_quoted_so_the_quotes_pair_up() {
        // Fuzz finding: an unknown key with backticks broke the quoting.
        for (serde_says, we_say) in [
            (
                "unknown field `a`b:`, expected one of `x`, `y` at line 1 column 9",
                "unknown field `a'b:`, expected one of `x`, `y` at line 1 column 9",
            ),
            (
                "unknown variant ```, expected `card`",
                "unknown variant `'`, expected `card`",
            ),
            ("duplicate field `a`b`", "duplicate field `a'b`"),
            (
                "unknown field `q`, there are no fields",
                "unknown field `q`, there are no fields",
            ),
            (
                "unknown field `a`, expected `b`, expected `c`",
                "unknown field `a', expected 'b`, expected `c`",
            ),
        ] {
            assert_eq!(plain_message(serde_says), we_say, "{serde_says}");
        }
    }

    #[test]
    fn serde_messages_are_said_in_json_words() {
        for (serde_says, we_say) in [
            (
                "invalid type: integer `0`, expected struct Slow at line 1 column 1",
                "invalid type: integer `0`, expected a JSON object at line 1 column 1",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "invalid value: integer `-1`, expected a whole number from 0 to 4294967295",
            ),
            (
                r#"invalid type: string "x, expected \"y", expected a sequence"#,
                r#"invalid type: string `x, expected "y`, expected a JSON array"#,
            ),
            (
                "invalid type: map, expected internally tagged enum Event",
                "invalid type: object, expected a JSON object",
            ),
            (
                "invalid type: sequence, expected u8 at line 2 column 3",
                "invalid type: array, expected a whole number from 0 to 255 at line 2 column 3",
            ),
            (
                "invalid type: floating point `1.5`, expected i64",
                "invalid type: floating point `1.5`, expected a whole number from -9223372036854775808 to 9223372036854775807",
            ),
            (
                "invalid length 0, expected struct OrderFacts with 20 elements at line 1 column 2",
                "invalid type: array, expected a JSON object at line 1 column 2",
            ),
            (
                "invalid type: unit value, expected enum Actor",
                "invalid type: null, expected a name (a JSON string) or a JSON object",
            ),
            (
                "data did not match any variant of untagged enum Policy",
                "the value matches none of the accepted forms",
            ),
            // Written by this crate, or serde_json's own: kept.
            (
                "invalid type: integer `5`, expected an RFC 3339 instant such as `2026-03-01T18:00:00Z`",
                "invalid type: integer `5`, expected an RFC 3339 instant such as `2026-03-01T18:00:00Z`",
            ),
            ("missing field `now`", "missing field `now`"),
            (
                "trailing characters at line 1 column 9",
                "trailing characters at line 1 column 9",
            ),
            ("expected value at line 1 column 1", "expected value at line 1 column 1"),
        ] {
            assert_eq!(plain_message(serde_says), we_say, "{serde_says}");
        }
    }

    #[test]
    fn a_problem_of_an_empty_key_names_its_parent_and_the_key() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            b: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            a: Vec<Inner>,
        }
        for (json, field) in [
            (r#"{"a": [{"b": 1}, {"": 1}]}"#, r#"a[1][""]"#),
            (r#"{"": 1}"#, r#"[""]"#),
            (r#"{"a": [{"b": 1, "b": 2}]}"#, "a[0].b"),
            (r#"{"a": [{}]}"#, "a[0].b"),
            (r#"{"a": [{"b": 1, "x y": 2}]}"#, r#"a[0]["x y"]"#),
            (r#"{"a": [{"b": "1"}]}"#, "a[0].b"),
        ] {
            let e = from_json::<Outer>(json, Error::InvalidRequest).unwrap_err();
            assert_eq!(e.field(), field, "{json}: {e}");
            assert!(!e.to_string().contains("u32"), "{e}");
            assert_eq!(
                e.nested("doc").field(),
                if field.starts_with('[') {
                    format!("doc{field}")
                } else {
                    format!("doc.{field}")
                }
            );
        }
    }
}
