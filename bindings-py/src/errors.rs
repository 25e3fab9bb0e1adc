//! Engine errors as the package's exceptions (`DisputeRulesError` and its
//! subclasses, defined in Python), with `kind`, `message`, `field`,
//! `problems` and `code`.

use crate::types;
use dispute_rules::api::ErrorAnswer;
use dispute_rules::{Error, Problems};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

/// The exception object for an error (not raised), with the position of
/// its order in a batch when it has one.
pub fn error_object<'py>(
    py: Python<'py>,
    e: &ErrorAnswer,
    index: Option<usize>,
    line: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    static KINDS: types::PyEnum = types::PyEnum::new("ErrorKind");
    let cls = types::error_class(py, e.kind)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", KINDS.member(py, e.kind)?)?;
    let problems = PyList::empty(py);
    for p in &e.problems {
        problems.append(PyTuple::new(py, [p.field(), p.message()])?)?;
    }
    kwargs.set_item("problems", problems)?;
    kwargs.set_item("code", e.code.as_deref())?;
    let obj = cls.call((e.message.as_str(),), Some(&kwargs))?;
    if index.is_some() || line.is_some() {
        obj.setattr("index", index)?;
        obj.setattr("line", line)?;
    }
    Ok(obj)
}

/// The exception to raise for an engine error.
pub fn raise(py: Python<'_>, e: &Error) -> PyErr {
    match error_object(py, &ErrorAnswer::from(e), None, None) {
        Ok(obj) => PyErr::from_value(obj),
        Err(err) => err,
    }
}

/// An `internal` error answer (the engine panicked: a bug).
pub fn internal_answer(message: &str) -> ErrorAnswer {
    ErrorAnswer::new("internal", format!("internal error: {message}"), Vec::new())
}

/// The text of a panic payload.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("the engine panicked")
}

/// An engine error or a panic, as raised.
pub enum Failure {
    /// The engine refused the input.
    Engine(Error),
    /// The engine panicked (a bug).
    Panic(String),
    /// Python failed while converting (propagated as is).
    Python(PyErr),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Engine(e)
    }
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Self {
        Failure::Python(e)
    }
}

impl Failure {
    /// The exception to raise.
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Engine(e) => raise(py, &e),
            Failure::Panic(m) => match error_object(py, &internal_answer(&m), None, None) {
                Ok(obj) => PyErr::from_value(obj),
                Err(err) => err,
            },
            Failure::Python(e) => e,
        }
    }
}

/// An error naming one field, with the kind the field implies (as the core
/// names request fields given as separate documents).
pub fn field_error(field: &str, message: impl Into<String>) -> Error {
    let root = field.split(['.', '[']).next().unwrap_or("");
    let p = Problems::one(field, message);
    match root {
        "facts" | "customer_order" | "customer_dispute" => Error::InvalidFacts(p),
        "policy" | "selling_policy" => Error::InvalidPolicy(p),
        "claim" | "attachments" => Error::InvalidClaim(p),
        _ => Error::InvalidRequest(p),
    }
}

/// Runs `f` inside a panic boundary.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, Error>) -> Result<T, Failure> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(Failure::Engine(e)),
        Err(p) => Err(Failure::Panic(panic_text(p.as_ref()).to_owned())),
    }
}
