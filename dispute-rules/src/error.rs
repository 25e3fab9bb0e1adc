//! Errors: every problem names the field and says what is wrong.
//!
//! Validation collects every problem it finds, so a host can show them all at
//! once. Messages are lowercase, without a trailing period, with user input in
//! backticks.

use serde::Serialize;
use std::fmt;

/// One problem with an input: the field (a dotted path such as
/// `tracking.delivered_at` or `extensions[1].days`) and what is wrong.
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
            write!(f, "`{}`: {}", self.field, self.message)
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
/// extended by the missing or duplicated field's name.
pub(crate) fn problem_of<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Problems {
    let path = e.path().to_string();
    let path = if path == "." || path == "?" {
        String::new()
    } else {
        path
    };
    let msg = crate::limits::shorten_quoted(e.into_inner().to_string());
    Problems::one(with_missing(path, &msg), msg)
}

/// serde reports a missing or duplicated field at its parent: name the field
/// itself.
fn with_missing(path: String, msg: &str) -> String {
    let Some(rest) = msg
        .strip_prefix("missing field `")
        .or_else(|| msg.strip_prefix("duplicate field `"))
    else {
        return path;
    };
    let Some(name) = rest.split('`').next() else {
        return path;
    };
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Same as [`from_json`], from an already parsed JSON value.
#[allow(dead_code)]
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    make: fn(Problems) -> Error,
) -> Result<T, Error> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| make(problem_of(e)))
}
