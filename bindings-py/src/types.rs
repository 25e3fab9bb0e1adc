//! Python types and objects the compiled module uses, imported once.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyType};

macro_rules! cached_type {
    ($name:ident, $module:literal, $attr:literal) => {
        /// The Python type, imported once.
        pub fn $name(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
            static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            T.import(py, $module, $attr)
        }
    };
}

cached_type!(decimal, "decimal", "Decimal");
cached_type!(datetime, "datetime", "datetime");
cached_type!(date, "datetime", "date");
cached_type!(mapping, "collections.abc", "Mapping");
cached_type!(generic_alias, "types", "GenericAlias");

/// An attribute of the `dispute_rules` package (its enums and exception
/// classes live in Python), looked up once per name.
fn package_attr<'py>(
    py: Python<'py>,
    cache: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cache
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("dispute_rules")?.getattr(name)?.unbind())
        })
        .map(|o| o.bind(py).clone())
}

/// A str enum of the package: its class and its `_value2member_map_`.
pub struct PyEnum {
    name: &'static str,
    members: PyOnceLock<Py<PyDict>>,
}

impl PyEnum {
    /// The enum `dispute_rules.<name>`.
    pub const fn new(name: &'static str) -> Self {
        PyEnum {
            name,
            members: PyOnceLock::new(),
        }
    }

    /// The member whose value is `code`; a code this package's enum does
    /// not know (a newer engine) stays a plain `str`.
    pub fn member<'py>(&self, py: Python<'py>, code: &str) -> PyResult<Bound<'py, PyAny>> {
        let map = self.members.get_or_try_init(py, || {
            let cls = py.import("dispute_rules")?.getattr(self.name)?;
            Ok::<_, PyErr>(
                cls.getattr("_value2member_map_")?
                    .cast_into::<PyDict>()?
                    .unbind(),
            )
        })?;
        let key = PyString::new(py, code);
        match map.bind(py).get_item(&key)? {
            Some(m) => Ok(m),
            None => Ok(key.into_any()),
        }
    }
}

/// The exception class for an error kind (`invalid_facts`, ...).
pub fn error_class<'py>(py: Python<'py>, kind: &str) -> PyResult<Bound<'py, PyAny>> {
    static FACTS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static POLICY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static CLAIM: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static REQUEST: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static TRANSITION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static INTERNAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static BASE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    match kind {
        "invalid_facts" => package_attr(py, &FACTS, "InvalidFactsError"),
        "invalid_policy" => package_attr(py, &POLICY, "InvalidPolicyError"),
        "invalid_claim" => package_attr(py, &CLAIM, "InvalidClaimError"),
        "invalid_request" => package_attr(py, &REQUEST, "InvalidRequestError"),
        "illegal_transition" => package_attr(py, &TRANSITION, "IllegalTransitionError"),
        "internal" => package_attr(py, &INTERNAL, "InternalError"),
        _ => package_attr(py, &BASE, "DisputeRulesError"),
    }
}
